//! The registration to strive for the standard ("bản đăng ký"), in two copies: one kept by the
//! unit, one sent to the steering committee's standing office.

use super::{Issuer, MOVEMENT};
use crate::model::{Block, Document, Paragraph, Signature};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationInput {
    /// The unit as the registering agency; `number` is usually `None`.
    pub issuer: Issuer,
    pub unit_name: String,
    pub year: i32,
    /// What the registration answers, e.g. "Kế hoạch số 710/QĐ-UBND ngày 02/05/2013 (…)".
    pub basis: String,
    pub pledges: Vec<Pledge>,
    /// Documents sent with it (resolution, plan…).
    pub documents: Vec<String>,
    /// The receipt number the office gave, with its timeliness ("đúng hạn").
    pub receipt: Option<String>,
    /// The standing office's police department, e.g. "PV28".
    pub office: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pledge {
    pub id: String,
    pub text: String,
    pub note: String,
}

pub fn registration(i: &RegistrationInput) -> Document {
    let mut body: Vec<Block> = vec![
        Paragraph::new(format!(
            "Thực hiện {}, {} đăng ký phấn đấu đạt tiêu chuẩn {MOVEMENT} năm {} với các tiêu chí sau:",
            i.basis, i.unit_name, i.year
        ))
        .into(),
    ];
    for p in &i.pledges {
        let note = if p.note.is_empty() { String::new() } else { format!(" ({})", p.note) };
        body.push(Paragraph::new(format!("Tiêu chí {}: {}{note}", p.id, p.text)).into());
    }
    if !i.documents.is_empty() {
        body.push(Paragraph::new("Hồ sơ kèm theo:").into());
        body.extend(i.documents.iter().map(|d| Paragraph::new(format!("- {d}")).into()));
    }
    if let Some(r) = &i.receipt {
        body.push(Paragraph::new(format!("Số tiếp nhận: {r}")).italic().into());
    }
    Document {
        file_title: format!("Bản đăng ký {} năm {}", i.unit_name, i.year),
        header: i.issuer.header(),
        title: format!("BẢN ĐĂNG KÝ PHẤN ĐẤU ĐẠT TIÊU CHUẨN {} NĂM {}", MOVEMENT.to_uppercase(), i.year),
        subject: None,
        addressee: None,
        body,
        signatures: vec![Signature {
            position: "ĐẠI DIỆN ĐƠN VỊ".into(),
            note: Some("(Ký, ghi rõ họ tên, đóng dấu nếu có)".into()),
            ..Signature::default()
        }],
        recipients: Vec::new(),
        annex: Vec::new(),
        copies: vec!["Bản lưu tại đơn vị".to_owned(), format!("Bản gửi Thường trực Ban Chỉ đạo (Phòng {} - Công an tỉnh)", i.office)],
        landscape: false,
    }
}
