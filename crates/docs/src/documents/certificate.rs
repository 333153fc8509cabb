//! The certificate ("giấy chứng nhận", NĐ 30/2020/NĐ-CP, Phụ lục III: symbol CN) handed to a
//! recognised unit: one landscape page with a number of its own, issued by the Chairman who
//! recognised the unit and citing the decision it rests on.

use chrono::NaiveDate;

use super::{Committee, MOVEMENT};
use crate::model::{Block, Document, Paragraph};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateInput {
    pub committee: Committee,
    /// The certificate's own number ("05/CN-UBND"); `Some("")` leaves it to the office's register.
    pub number: Option<String>,
    pub year: i32,
    /// The unit's name as the tree holds it ("Ấp Phú Hòa").
    pub unit_name: String,
    /// The administrative units it belongs to, nearest first ("Xã Đồng Phú", "Huyện Long Hồ",
    /// "Tỉnh Vĩnh Long").
    pub within: Vec<String>,
    /// The decision it rests on: its number and date, when issued.
    pub decision: Option<(String, NaiveDate)>,
}

/// "xã Đồng Phú, huyện Long Hồ, tỉnh Vĩnh Long": level words in lower case inside the phrase.
fn place_phrase(within: &[String]) -> String {
    within.iter().map(|w| super::in_sentence(w)).collect::<Vec<_>>().join(", ")
}

pub fn certificate(i: &CertificateInput) -> Document {
    let c = &i.committee;
    let decision = match &i.decision {
        Some((n, d)) => format!("Quyết định số {n} ngày {}", antt_core::vi::date(*d)),
        None => "Quyết định số ……/QĐ-UBND ngày ……/……/………".to_owned(),
    };
    let mut body: Vec<Block> = vec![
        Block::Gap,
        Paragraph::new(c.author()).bold().centered().into(),
        Paragraph::new(format!("Căn cứ {decision} của {} về việc công nhận đạt tiêu chuẩn {MOVEMENT} năm {},", c.author_name(), i.year))
            .italic()
            .centered()
            .into(),
        Block::Gap,
        Paragraph::new("CHỨNG NHẬN").bold().centered().into(),
        Paragraph::new(i.unit_name.to_uppercase()).bold().centered().large().into(),
    ];
    if !i.within.is_empty() {
        body.push(Paragraph::new(format!("Thuộc {}", place_phrase(&i.within))).centered().into());
    }
    body.extend([Paragraph::new(format!("Đạt tiêu chuẩn {MOVEMENT} năm {}./.", i.year)).bold().centered().large().into(), Block::Gap]);
    Document {
        file_title: format!("Giấy chứng nhận {} năm {}", i.unit_name, i.year),
        header: c.issuer(i.number.clone(), "CN", i.decision.as_ref().map(|(_, d)| *d)).header(),
        title: "GIẤY CHỨNG NHẬN".into(),
        subject: None,
        addressee: None,
        body,
        signatures: vec![c.signature()],
        recipients: Vec::new(),
        annex: Vec::new(),
        copies: Vec::new(),
        landscape: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_number_keeps_the_certificates_symbol() {
        let c =
            Committee {
                level: super::super::Level::Commune, unit_name: "Xã Đồng Phú".into(), deputy_signs: false, signer: String::new()
            };
        let doc = certificate(&CertificateInput {
            committee: c,
            number: Some(String::new()),
            year: 2013,
            unit_name: "Ấp Phú Hòa".into(),
            within: Vec::new(),
            decision: None,
        });
        assert_eq!(doc.header.number_line().as_deref(), Some("Số:       /CN-UBND"));
    }

    #[test]
    fn the_place_is_lower_case_inside_the_phrase() {
        let within = ["Xã Đồng Phú".to_owned(), "Huyện Long Hồ".to_owned(), "Tỉnh Vĩnh Long".to_owned()];
        assert_eq!(place_phrase(&within), "xã Đồng Phú, huyện Long Hồ, tỉnh Vĩnh Long");
    }
}
