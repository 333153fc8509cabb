//! Minutes of the review meeting ("biên bản họp xét") that proposes a unit for recognition:
//! who met, what the results were, how they voted and what they concluded.

use antt_core::report::UnitReport;

use super::unit_report::result_sentence;
use super::{Issuer, MOVEMENT, criteria_table};
use crate::model::{Block, Document, Paragraph, Signature};

#[derive(Debug, Clone)]
pub struct MinutesInput {
    pub issuer: Issuer,
    pub year: i32,
    /// "14 giờ 00".
    pub time: String,
    /// Where the meeting took place.
    pub location: String,
    pub chair: Person,
    pub secretary: Person,
    pub attendees: Vec<Person>,
    pub report: UnitReport,
    pub votes_for: u32,
    pub votes_total: u32,
    pub conclusion: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    /// "Trưởng ấp", "Bí thư chi bộ"…
    pub role: String,
}

impl Person {
    fn line(&self) -> String {
        format!("{} - {}", self.name, self.role)
    }
}

pub fn minutes(i: &MinutesInput) -> Document {
    let r = &i.report;
    let when = match i.issuer.date {
        Some(d) => format!("Vào lúc {}, {}", i.time, crate::model::long_date(d)),
        None => format!("Vào lúc {}", i.time),
    };
    let mut body: Vec<Block> = vec![
        Paragraph::new(format!(
            "{when}, tại {}, tiến hành họp xét đề nghị công nhận {} đạt tiêu chuẩn {MOVEMENT} năm {}.",
            i.location, r.name, i.year
        ))
        .into(),
        Block::Heading("I. THÀNH PHẦN".into()),
        Paragraph::new(format!("Chủ trì: {}.", i.chair.line())).into(),
        Paragraph::new(format!("Thư ký: {}.", i.secretary.line())).into(),
        Paragraph::new(format!("Tham dự: {} người, gồm:", i.attendees.len())).into(),
    ];
    body.extend(i.attendees.iter().map(|p| Paragraph::new(format!("- {}", p.line())).into()));
    body.extend([
        Block::Heading("II. NỘI DUNG".into()),
        Paragraph::new(format!(
            "Hội nghị nghe báo cáo kết quả thực hiện các tiêu chí của {} và thảo luận, đối chiếu với tiêu chuẩn:",
            r.name
        ))
        .into(),
        Block::Table(criteria_table(r)),
        Paragraph::new(result_sentence(r)).into(),
        Block::Heading("III. KẾT QUẢ BIỂU QUYẾT".into()),
        Paragraph::new(format!(
            "Số người tán thành: {}/{} ({}).",
            i.votes_for,
            i.votes_total,
            antt_core::vi::percent(u64::from(i.votes_for), u64::from(i.votes_total))
        ))
        .into(),
        Block::Heading("IV. KẾT LUẬN".into()),
        Paragraph::new(i.conclusion.clone()).into(),
        Paragraph::new("Biên bản kết thúc vào cùng ngày, đã thông qua cho những người dự họp cùng nghe và thống nhất.").into(),
    ]);
    let sign = |position: &str, p: &Person| Signature { position: position.into(), name: p.name.clone(), ..Signature::default() };
    Document {
        file_title: format!("Biên bản họp xét {} năm {}", r.name, i.year),
        header: i.issuer.header(),
        title: "BIÊN BẢN".into(),
        subject: Some(format!("Họp xét, đề nghị công nhận {} đạt tiêu chuẩn {MOVEMENT} năm {}", r.name, i.year)),
        addressee: None,
        body,
        signatures: vec![sign("THƯ KÝ", &i.secretary), sign("CHỦ TRÌ", &i.chair)],
        recipients: Vec::new(),
        annex: Vec::new(),
        copies: Vec::new(),
        landscape: false,
    }
}
