//! The recognition decision ("quyết định công nhận") with its annex: the list of units
//! recognised.

use super::{Issuer, ListedUnit, MOVEMENT, units_table};
use crate::model::{Block, Document, Paragraph, Signature};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionInput {
    pub issuer: Issuer,
    pub year: i32,
    /// Who decides, in capitals ("CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN LONG HỒ").
    pub authority: String,
    /// The same in a sentence ("Chủ tịch Ủy ban nhân dân huyện Long Hồ").
    pub authority_name: String,
    /// The legal grounds, one sentence each ("Căn cứ Luật Tổ chức chính quyền địa phương …;").
    pub bases: Vec<String>,
    /// "Xét đề nghị của …".
    pub proposal: String,
    pub units: Vec<ListedUnit>,
    /// Those who carry out the decision (Article 3).
    pub executors: String,
    pub signer: Signature,
    pub recipients: Vec<String>,
}

pub fn decision(i: &DecisionInput) -> Document {
    let mut body: Vec<Block> = vec![Paragraph::new(i.authority.clone()).bold().centered().into()];
    body.extend(i.bases.iter().map(|b| Paragraph::new(b.clone()).italic().into()));
    body.push(Paragraph::new(i.proposal.clone()).italic().into());
    body.push(Paragraph::new("QUYẾT ĐỊNH:").bold().centered().into());
    body.push(
        Paragraph::new(format!(
            "Điều 1. Công nhận {} đơn vị đạt tiêu chuẩn {MOVEMENT} năm {} (có danh sách kèm theo).",
            i.units.len(),
            i.year
        ))
        .into(),
    );
    body.push(Paragraph::new("Điều 2. Quyết định này có hiệu lực kể từ ngày ký.").into());
    body.push(Paragraph::new(format!("Điều 3. {} chịu trách nhiệm thi hành Quyết định này./.", i.executors)).into());
    let reference = match (&i.issuer.number, i.issuer.date) {
        (Some(n), Some(d)) if !n.trim().is_empty() => {
            format!("(Kèm theo Quyết định số {n} ngày {} của {})", antt_core::vi::date(d), i.authority_name)
        }
        _ => format!("(Kèm theo Quyết định của {})", i.authority_name),
    };
    let annex = vec![
        Paragraph::new("DANH SÁCH").bold().centered().into(),
        Paragraph::new(format!("CÁC ĐƠN VỊ ĐẠT TIÊU CHUẨN {} NĂM {}", MOVEMENT.to_uppercase(), i.year)).bold().centered().into(),
        Paragraph::new(reference).italic().centered().into(),
        Block::Table(units_table("Danh sách đơn vị được công nhận", &i.units)),
    ];
    Document {
        file_title: format!("Quyết định công nhận đạt tiêu chuẩn năm {}", i.year),
        header: i.issuer.header(),
        title: "QUYẾT ĐỊNH".into(),
        subject: Some(format!("Về việc công nhận đạt tiêu chuẩn {MOVEMENT} năm {}", i.year)),
        addressee: None,
        body,
        signatures: vec![i.signer.clone()],
        recipients: i.recipients.clone(),
        annex,
        copies: Vec::new(),
        landscape: false,
    }
}
