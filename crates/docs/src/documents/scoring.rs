//! The self-scoring table ("bảng tự chấm điểm phân loại phong trào"), with the reviewed score
//! beside it once the inspection team has scored.

use antt_core::scoring::{Classification, Points, ScoreSource};

use super::{Issuer, MOVEMENT};
use crate::model::{Block, Cell, Column, Document, Paragraph, Signature, Table};

#[derive(Debug, Clone, PartialEq)]
pub struct ScoringInput {
    pub issuer: Issuer,
    pub unit_name: String,
    pub unit_type_name: String,
    pub year: i32,
    pub items: Vec<ScoreLine>,
    pub classification: Option<Classification>,
    pub signer: Signature,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreLine {
    pub id: String,
    pub text: String,
    pub max: Points,
    pub self_score: Option<Points>,
    pub reviewed: Option<Points>,
}

fn points(p: Option<Points>) -> Cell {
    p.map_or(Cell::Empty, |p| Cell::Decimal(f64::from(p.tenths()) / 10.0))
}

pub fn self_scoring(i: &ScoringInput) -> Document {
    let reviewed = i.items.iter().any(|l| l.reviewed.is_some());
    let mut columns =
        vec![Column::new("STT", 2), Column::new("Nội dung chấm điểm", 8), Column::new("Điểm tối đa", 2), Column::new("Điểm tự chấm", 2)];
    if reviewed {
        columns.push(Column::new("Điểm thẩm định", 2));
    }
    let mut rows = Vec::new();
    for l in &i.items {
        let mut row = vec![Cell::text(&l.id), Cell::text(&l.text), points(Some(l.max)), points(l.self_score)];
        if reviewed {
            row.push(points(l.reviewed));
        }
        rows.push(row);
    }
    let sum = |f: &dyn Fn(&ScoreLine) -> Option<Points>| points(Some(i.items.iter().filter_map(f).sum()));
    let mut total = vec![Cell::Empty, Cell::text("Tổng cộng"), sum(&|l| Some(l.max)), sum(&|l| l.self_score)];
    if reviewed {
        total.push(sum(&|l| l.reviewed));
    }
    let mut body: Vec<Block> = vec![
        Paragraph::new(format!("Đơn vị: {} ({})", i.unit_name, i.unit_type_name)).into(),
        Block::Table(Table { title: "Bảng chấm điểm".into(), columns, rows, total: Some(total) }),
    ];
    if let Some(c) = &i.classification {
        let (what, source) = match c.source {
            ScoreSource::Reviewed => ("Xếp loại theo điểm thẩm định", "điểm thẩm định"),
            ScoreSource::SelfAssessed => ("Tự xếp loại", "điểm tự chấm"),
        };
        body.push(Paragraph::new(format!("Tổng {source}: {}/{} điểm. {what}: {}.", c.total, c.max, c.band_name)).bold().into());
        body.extend(c.reasons.iter().map(|r| Paragraph::new(format!("{r}.")).italic().into()));
    }
    Document {
        file_title: format!("Bảng tự chấm điểm {} năm {}", i.unit_name, i.year),
        header: i.issuer.header(),
        title: "BẢNG TỰ CHẤM ĐIỂM".into(),
        subject: Some(format!("Phân loại phong trào toàn dân bảo vệ an ninh Tổ quốc và tiêu chuẩn {MOVEMENT} năm {}", i.year)),
        addressee: None,
        body,
        signatures: vec![i.signer.clone()],
        recipients: Vec::new(),
        annex: Vec::new(),
        copies: Vec::new(),
        landscape: false,
    }
}
