//! Minutes of a review meeting ("biên bản họp xét"): who met, what they reviewed — one unit's
//! criteria, or the units under the meeting's unit with the result agreed for each — how they
//! voted and what they concluded.

use antt_core::eval::Outcome;
use antt_core::report::UnitReport;

use super::naming::capitalise;
use super::unit_report::result_sentence;
use super::{Issuer, MOVEMENT, criteria_table};
use crate::model::{Block, Cell, Column, Document, Paragraph, Signature, Table};

#[derive(Debug, Clone)]
pub struct MinutesInput {
    /// The meeting's date is the issuer's.
    pub issuer: Issuer,
    pub year: i32,
    /// "14 giờ 00", when recorded.
    pub time: Option<String>,
    /// Where the meeting took place, when recorded.
    pub location: Option<String>,
    pub chair: Person,
    pub secretary: Option<Person>,
    pub attendees: Attendees,
    pub reviewed: Reviewed,
    /// Votes for, of the votes cast, when counted.
    pub votes: Option<(u32, u32)>,
    pub conclusion: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    /// "Trưởng ấp", "Bí thư chi bộ"…; empty when the name says it all.
    pub role: String,
}

impl Person {
    fn line(&self) -> String {
        if self.role.is_empty() { self.name.clone() } else { format!("{} - {}", self.name, self.role) }
    }
}

/// Who attended besides the chair and the secretary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attendees {
    /// One by one, counted.
    Listed(Vec<Person>),
    /// As the minutes describe them ("Bí thư chi bộ, Mặt trận, các trưởng ấp").
    Described(String),
}

/// What the meeting reviewed.
#[derive(Debug, Clone)]
pub enum Reviewed {
    /// One unit, criterion by criterion.
    Unit(Box<UnitReport>),
    /// The units under the meeting's unit, `within` naming it ("xã Đồng Phú").
    Units { within: String, units: Vec<ReviewedUnit> },
}

/// A unit's result as the meeting agreed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewedUnit {
    pub name: String,
    pub unit_type_name: String,
    pub outcome: Outcome,
    pub band_name: Option<String>,
    /// Why, when the meeting noted it.
    pub note: String,
}

impl Reviewed {
    /// What is proposed for recognition, as a sentence names it.
    fn subject(&self) -> String {
        match self {
            Self::Unit(r) => r.name.clone(),
            Self::Units { within, .. } => format!("các đơn vị thuộc {within}"),
        }
    }

    fn blocks(&self) -> Vec<Block> {
        let heard =
            format!("Hội nghị nghe báo cáo kết quả thực hiện các tiêu chí của {} và thảo luận, đối chiếu với tiêu chuẩn:", self.subject());
        match self {
            Self::Unit(r) => vec![Paragraph::new(heard).into(), Block::Table(criteria_table(r)), Paragraph::new(result_sentence(r)).into()],
            Self::Units { units, .. } => {
                let recognised = units.iter().filter(|u| u.outcome == Outcome::Recognised).count();
                vec![
                    Paragraph::new(heard).into(),
                    Block::Table(reviewed_table(units)),
                    Paragraph::new(format!("Kết quả: {recognised}/{} đơn vị đạt chuẩn.", units.len())).into(),
                ]
            }
        }
    }
}

fn reviewed_table(units: &[ReviewedUnit]) -> Table {
    Table {
        title: "Kết quả xét từng đơn vị".into(),
        columns: vec![
            Column::new("STT", 1),
            Column::new("Tên đơn vị", 4),
            Column::new("Loại đơn vị", 3),
            Column::new("Kết quả", 2),
            Column::new("Xếp loại", 2),
            Column::new("Ghi chú", 4),
        ],
        rows: units
            .iter()
            .enumerate()
            .map(|(n, u)| {
                vec![
                    Cell::Integer(n as i64 + 1),
                    Cell::text(&u.name),
                    Cell::text(&u.unit_type_name),
                    Cell::text(u.outcome.name()),
                    Cell::text(u.band_name.clone().unwrap_or_default()),
                    Cell::text(&u.note),
                ]
            })
            .collect(),
        total: None,
    }
}

pub fn minutes(i: &MinutesInput) -> Document {
    let subject = i.reviewed.subject();
    let mut when = match (&i.time, i.issuer.date) {
        (Some(t), Some(d)) => format!("Vào lúc {t}, {}", crate::model::long_date(d)),
        (Some(t), None) => format!("Vào lúc {t}"),
        (None, Some(d)) => capitalise(&crate::model::long_date(d)),
        (None, None) => String::new(),
    };
    if let Some(l) = &i.location {
        when.push_str(&format!(", tại {l}"));
    }
    let opening = format!("tiến hành họp xét đề nghị công nhận {subject} đạt tiêu chuẩn {MOVEMENT} năm {}.", i.year);
    let opening = if when.is_empty() { capitalise(&opening) } else { format!("{when}, {opening}") };
    let mut body: Vec<Block> = vec![
        Paragraph::new(opening).into(),
        Block::Heading("I. THÀNH PHẦN".into()),
        Paragraph::new(format!("Chủ trì: {}.", i.chair.line())).into(),
    ];
    if let Some(s) = &i.secretary {
        body.push(Paragraph::new(format!("Thư ký: {}.", s.line())).into());
    }
    match &i.attendees {
        Attendees::Listed(people) => {
            body.push(Paragraph::new(format!("Tham dự: {} người, gồm:", people.len())).into());
            body.extend(people.iter().map(|p| Paragraph::new(format!("- {}", p.line())).into()));
        }
        Attendees::Described(text) => body.push(Paragraph::new(format!("Tham dự: {}.", text.trim_end_matches('.'))).into()),
    }
    body.push(Block::Heading("II. NỘI DUNG".into()));
    body.extend(i.reviewed.blocks());
    let mut next = ["III", "IV"].into_iter();
    if let Some((votes_for, votes_total)) = i.votes {
        body.extend([
            Block::Heading(format!("{}. KẾT QUẢ BIỂU QUYẾT", next.next().unwrap_or_default())),
            Paragraph::new(format!(
                "Số người tán thành: {votes_for}/{votes_total} ({}).",
                antt_core::vi::percent(u64::from(votes_for), u64::from(votes_total))
            ))
            .into(),
        ]);
    }
    body.extend([
        Block::Heading(format!("{}. KẾT LUẬN", next.next().unwrap_or_default())),
        Paragraph::new(i.conclusion.clone()).into(),
        Paragraph::new("Biên bản kết thúc vào cùng ngày, đã thông qua cho những người dự họp cùng nghe và thống nhất.").into(),
    ]);
    // The secretary signs beside the chair; a name not recorded is written by hand.
    let sign = |position: &str, name: &str| Signature { position: position.into(), name: name.to_owned(), ..Signature::default() };
    let signatures = vec![sign("THƯ KÝ", i.secretary.as_ref().map_or("", |s| s.name.as_str())), sign("CHỦ TRÌ", &i.chair.name)];
    Document {
        file_title: format!("Biên bản họp xét {subject} năm {}", i.year),
        header: i.issuer.header(),
        title: "BIÊN BẢN".into(),
        subject: Some(format!("Họp xét, đề nghị công nhận {subject} đạt tiêu chuẩn {MOVEMENT} năm {}", i.year)),
        addressee: None,
        body,
        signatures,
        recipients: Vec::new(),
        annex: Vec::new(),
        copies: Vec::new(),
        landscape: false,
    }
}
