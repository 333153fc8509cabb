//! The recognition decision ("quyết định công nhận") of the Chairman of a People's Committee,
//! with its annex: the list of units recognised. NĐ 30/2020/NĐ-CP, Phụ lục III, mẫu 1.2
//! (a decision of an individual's authority): the committee in two lines, the author line
//! "CHỦ TỊCH ỦY BAN NHÂN DÂN …", the grounds, "Xét đề nghị của …", the articles, the
//! chairman's signature (or a vice-chairman's for the chairman).

use chrono::NaiveDate;

use super::{Committee, ListedUnit, MOVEMENT, units_table};
use crate::model::{Block, Document, Paragraph};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionInput {
    pub committee: Committee,
    /// Number and symbol ("12/QĐ-UBND"); `Some("")` leaves it blank to be filled in.
    pub number: Option<String>,
    pub date: Option<NaiveDate>,
    pub year: i32,
    /// The grounds, one sentence each, in order ([`super::decision_grounds`]).
    pub grounds: Vec<String>,
    /// The police's request ("45/TTr-CAX" of 10/11/2013), when recorded; blanks to fill in
    /// otherwise.
    pub request: Option<(String, NaiveDate)>,
    pub units: Vec<ListedUnit>,
    pub recipients: Vec<String>,
}

/// "Xét đề nghị của Trưởng Công an xã Đồng Phú tại Tờ trình số …".
fn proposal(i: &DecisionInput) -> String {
    let request = match &i.request {
        Some((n, d)) => format!("số {n} ngày {}", antt_core::vi::date(*d)),
        None => "số ……/TTr-CA ngày ……/……/………".to_owned(),
    };
    format!("Xét đề nghị của {} tại Tờ trình {request},", i.committee.police_head())
}

pub fn decision(i: &DecisionInput) -> Document {
    let c = &i.committee;
    let mut body: Vec<Block> = vec![Paragraph::new(c.author()).bold().centered().into()];
    body.extend(i.grounds.iter().map(|b| Paragraph::new(b.clone()).italic().into()));
    body.push(Paragraph::new(proposal(i)).italic().into());
    body.push(Paragraph::new("QUYẾT ĐỊNH:").bold().centered().into());
    body.push(
        Paragraph::led(
            "Điều 1.",
            format!(
                "Công nhận {} đơn vị đạt tiêu chuẩn {MOVEMENT} năm {} (có danh sách kèm theo).",
                antt_core::vi::integer(i.units.len() as u64),
                i.year
            ),
        )
        .into(),
    );
    body.push(Paragraph::led("Điều 2.", "Quyết định này có hiệu lực kể từ ngày ký.").into());
    body.push(Paragraph::led("Điều 3.", format!("{} chịu trách nhiệm thi hành Quyết định này./.", c.executors())).into());
    let reference = match (&i.number, i.date) {
        (Some(n), Some(d)) if !n.trim().is_empty() => {
            format!("(Kèm theo Quyết định số {n} ngày {} của {})", antt_core::vi::date(d), c.author_name())
        }
        _ => format!("(Kèm theo Quyết định số ……/QĐ-UBND ngày ……/……/……… của {})", c.author_name()),
    };
    let annex = vec![
        Paragraph::new("DANH SÁCH").bold().centered().into(),
        Paragraph::new(format!("CÁC ĐƠN VỊ ĐẠT TIÊU CHUẨN {} NĂM {}", MOVEMENT.to_uppercase(), i.year)).bold().centered().into(),
        Paragraph::new(reference).italic().centered().into(),
        Block::Table(units_table("Danh sách đơn vị được công nhận", &i.units)),
    ];
    Document {
        file_title: format!("Quyết định công nhận đạt tiêu chuẩn năm {}", i.year),
        header: c.issuer(i.number.clone(), "QĐ", i.date).header(),
        title: "QUYẾT ĐỊNH".into(),
        subject: Some(format!("Về việc công nhận đạt tiêu chuẩn {MOVEMENT} năm {}", i.year)),
        addressee: None,
        body,
        signatures: vec![c.signature()],
        recipients: i.recipients.clone(),
        annex,
        copies: Vec::new(),
        landscape: false,
    }
}
