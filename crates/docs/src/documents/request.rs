//! The request for recognition ("tờ trình") a unit or a lower level sends to the authority
//! that recognises, with the list of units it proposes.

use super::{Issuer, ListedUnit, MOVEMENT, units_table};
use crate::model::{Block, Document, Paragraph, Signature};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestInput {
    pub issuer: Issuer,
    /// The issuer as a sentence names it ("Ủy ban nhân dân xã Đồng Phú").
    pub requester: String,
    pub year: i32,
    /// The authority asked ("Chủ tịch Ủy ban nhân dân huyện Long Hồ").
    pub addressee: String,
    /// The grounds, one sentence each ("Căn cứ Kế hoạch số 710/QĐ-UBND …").
    pub bases: Vec<String>,
    pub units: Vec<ListedUnit>,
    /// Documents sent with the request (results reports, minutes…).
    pub enclosed: Vec<String>,
    pub signer: Signature,
    pub recipients: Vec<String>,
}

pub fn request(i: &RequestInput) -> Document {
    let mut body: Vec<Block> = i.bases.iter().map(|b| Paragraph::new(b.clone()).italic().into()).collect();
    body.push(
        Paragraph::new(format!(
            "{} kính đề nghị {} xem xét, công nhận {} đơn vị sau đạt tiêu chuẩn {MOVEMENT} năm {}:",
            i.requester,
            i.addressee,
            i.units.len(),
            i.year
        ))
        .into(),
    );
    body.push(Block::Table(units_table("Danh sách đề nghị công nhận", &i.units)));
    if !i.enclosed.is_empty() {
        body.push(Paragraph::new("Hồ sơ kèm theo:").into());
        body.extend(i.enclosed.iter().map(|d| Paragraph::new(format!("- {d}")).into()));
    }
    body.push(Paragraph::new(format!("Kính trình {} xem xét, quyết định./.", i.addressee)).into());
    Document {
        file_title: format!("Tờ trình đề nghị công nhận năm {}", i.year),
        header: i.issuer.header(),
        title: "TỜ TRÌNH".into(),
        subject: Some(format!("Về việc đề nghị công nhận đạt tiêu chuẩn {MOVEMENT} năm {}", i.year)),
        addressee: Some(i.addressee.clone()),
        body,
        signatures: vec![i.signer.clone()],
        recipients: i.recipients.clone(),
        annex: Vec::new(),
        copies: Vec::new(),
        landscape: false,
    }
}
