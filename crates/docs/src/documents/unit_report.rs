//! A unit's results report ("báo cáo kết quả"): each criterion and part with its result and the
//! reason, the overall result, the classification and what the unit asks for.

use antt_core::eval::Outcome;
use antt_core::report::UnitReport;

use super::{Issuer, MOVEMENT};
use crate::model::{Block, Cell, Column, Document, Paragraph, Signature, Table};

#[derive(Debug, Clone)]
pub struct UnitReportInput {
    pub issuer: Issuer,
    pub year: i32,
    /// "Ủy ban nhân dân xã Đồng Phú" (after "Kính gửi:").
    pub addressee: String,
    pub report: UnitReport,
    pub signer: Signature,
    pub recipients: Vec<String>,
}

/// Every criterion and part of a report with its result and reason.
pub fn criteria_table(report: &UnitReport) -> Table {
    let mut rows = Vec::new();
    for c in &report.criteria {
        rows.push(vec![Cell::text(&*c.id), Cell::text(&*c.text), Cell::text(c.status.name()), Cell::text(&*c.basis)]);
        for p in &c.parts {
            rows.push(vec![Cell::text(&*p.id), Cell::text(&*p.text), Cell::text(p.status.name()), Cell::text(&*p.reason)]);
        }
    }
    Table {
        title: "Kết quả các tiêu chí".into(),
        columns: vec![Column::new("Mục", 1), Column::new("Nội dung", 6), Column::new("Kết quả", 2), Column::new("Căn cứ, lý do", 5)],
        rows,
        total: None,
    }
}

/// The overall result in one sentence, with the classification when there is one.
pub(crate) fn result_sentence(r: &UnitReport) -> String {
    let mut s = format!("Kết quả: {} {}", r.name, r.outcome_name.to_lowercase());
    if let Some(c) = &r.classification {
        s.push_str(&format!("; xếp loại phong trào: {} ({}/{} điểm)", c.band_name, c.total, c.max));
    }
    s.push('.');
    s
}

pub fn unit_report(i: &UnitReportInput) -> Document {
    let r = &i.report;
    let mut body: Vec<Block> = vec![
        Block::Heading("I. KẾT QUẢ THỰC HIỆN CÁC TIÊU CHÍ".into()),
        Block::Table(criteria_table(r)),
        Block::Heading("II. TỰ ĐÁNH GIÁ".into()),
        Paragraph::new(result_sentence(r)).into(),
    ];
    body.extend(r.scope_notes.iter().map(|n| Paragraph::new(n.to_string()).italic().into()));
    if let Some(reg) = &r.registration {
        body.push(Paragraph::new(format!("Đăng ký phấn đấu: {}.", reg.text)).into());
    }
    body.push(Block::Heading("III. ĐỀ NGHỊ".into()));
    let ask = match r.outcome {
        Outcome::Recognised => {
            format!("{} đề nghị {} xem xét, công nhận đơn vị đạt tiêu chuẩn {MOVEMENT} năm {}.", r.name, i.addressee, i.year)
        }
        _ => format!("{} tiếp tục khắc phục các tiêu chí chưa đạt và báo cáo {} theo dõi.", r.name, i.addressee),
    };
    body.push(Paragraph::new(ask).into());
    Document {
        file_title: format!("Báo cáo kết quả {} năm {}", r.name, i.year),
        header: i.issuer.header(),
        title: "BÁO CÁO".into(),
        subject: Some(format!("Kết quả thực hiện tiêu chuẩn {MOVEMENT} năm {}", i.year)),
        addressee: Some(i.addressee.clone()),
        body,
        signatures: vec![i.signer.clone()],
        recipients: i.recipients.clone(),
        annex: Vec::new(),
        copies: Vec::new(),
        landscape: false,
    }
}
