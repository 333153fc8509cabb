//! The certificate ("giấy công nhận") handed to a recognised unit: landscape, the unit's name
//! large in the middle.

use super::{Issuer, MOVEMENT};
use crate::model::{Block, Document, Paragraph, Signature};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateInput {
    pub issuer: Issuer,
    pub year: i32,
    /// Who recognises, in capitals ("CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN LONG HỒ").
    pub authority: String,
    pub unit_name: String,
    /// Where the unit belongs ("Xã Đồng Phú, huyện Long Hồ, tỉnh Vĩnh Long").
    pub unit_place: String,
    /// The decision it rests on ("Quyết định số 12/QĐ-UBND ngày 15/10/2013").
    pub decision: Option<String>,
    pub signer: Signature,
}

pub fn certificate(i: &CertificateInput) -> Document {
    let mut body: Vec<Block> = vec![
        Paragraph::new(i.authority.clone()).bold().centered().into(),
        Paragraph::new("CÔNG NHẬN").bold().centered().into(),
        Paragraph::new(i.unit_name.clone()).bold().centered().large().into(),
        Paragraph::new(i.unit_place.clone()).centered().into(),
        Paragraph::new(format!("Đạt tiêu chuẩn {MOVEMENT} năm {}", i.year)).bold().centered().into(),
    ];
    if let Some(d) = &i.decision {
        body.push(Paragraph::new(format!("(Theo {d})")).italic().centered().into());
    }
    Document {
        file_title: format!("Giấy công nhận {} năm {}", i.unit_name, i.year),
        header: i.issuer.header(),
        title: "GIẤY CÔNG NHẬN".into(),
        subject: None,
        addressee: None,
        body,
        signatures: vec![i.signer.clone()],
        recipients: Vec::new(),
        annex: Vec::new(),
        copies: Vec::new(),
        landscape: true,
    }
}
