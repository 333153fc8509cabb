//! Movement scoring ("chấm điểm phân loại phong trào"): a points table per unit type with a
//! self-score and a reviewed score, and bands (Xuất sắc / Khá / Trung bình / Kém) with vetoes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::Scores;

/// Points in tenths, so 2,5 points is exact and totals never drift.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Points(pub u32);

impl Points {
    pub fn from_tenths(t: u32) -> Self {
        Self(t)
    }

    pub fn tenths(self) -> u32 {
        self.0
    }
}

impl std::ops::Add for Points {
    type Output = Self;
    fn add(self, other: Self) -> Self {
        Self(self.0 + other.0)
    }
}

impl std::iter::Sum for Points {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self(0), |a, b| a + b)
    }
}

impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::vi::decimal(f64::from(self.0) / 10.0, 1))
    }
}

impl Serialize for Points {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(f64::from(self.0) / 10.0)
    }
}

impl<'de> Deserialize<'de> for Points {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let x = f64::deserialize(d)?;
        let tenths = (x * 10.0).round();
        if !(0.0..=1_000_000.0).contains(&tenths) || (x * 10.0 - tenths).abs() > 1e-6 {
            return Err(serde::de::Error::custom(format!("số điểm {x} phải không âm và có tối đa một chữ số thập phân")));
        }
        Ok(Self(tenths as u32))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    /// Where the frame and bands come from, and how far they are placeholders.
    pub note: String,
    pub frames: BTreeMap<String, Frame>,
    pub bands: Vec<Band>,
}

/// The scoring table of one unit type.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Frame {
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub text: String,
    pub max: Points,
}

impl Frame {
    pub fn max_total(&self) -> Points {
        self.items.iter().map(|i| i.max).sum()
    }
}

/// A classification band, tried from the first (highest) down.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub code: String,
    pub name: String,
    /// Minimum total, as a percentage of the frame's maximum.
    pub min_percent: u32,
    /// Every item must reach at least this percentage of its maximum.
    #[serde(default)]
    pub min_item_percent: Option<u32>,
    /// Veto: only a unit recognised as meeting the standard can have this band.
    #[serde(default)]
    pub requires_recognised: bool,
}

impl Scoring {
    pub(crate) fn problems(&self, known_type: &dyn Fn(&str) -> bool) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (t, frame) in &self.frames {
            if !known_type(t) {
                out.push((format!("frames.{t}"), format!("loại đơn vị `{t}` không được khai báo trong unit_types")));
            }
            let mut ids = BTreeSet::new();
            for item in &frame.items {
                if !ids.insert(item.id.as_str()) {
                    out.push((format!("frames.{t}.items[{}]", item.id), format!("mục `{}` trùng", item.id)));
                }
                if item.max.0 == 0 {
                    out.push((format!("frames.{t}.items[{}]", item.id), "điểm tối đa phải lớn hơn 0".into()));
                }
            }
        }
        if self.bands.is_empty() {
            out.push(("bands".into(), "chưa có mức xếp loại nào".into()));
        }
        let mut previous = u32::MAX;
        for b in &self.bands {
            for p in [Some(b.min_percent), b.min_item_percent].into_iter().flatten() {
                if p > 100 {
                    out.push((format!("bands[{}]", b.code), format!("ngưỡng {p}% vượt quá 100%")));
                }
            }
            if b.min_percent > previous {
                out.push((format!("bands[{}]", b.code), "các mức xếp loại phải xếp từ cao xuống thấp".into()));
            }
            previous = b.min_percent;
        }
        if self.bands.last().is_some_and(|b| b.min_percent != 0 || b.min_item_percent.is_some() || b.requires_recognised) {
            out.push(("bands".into(), "mức cuối cùng phải nhận mọi kết quả (0%, không điều kiện)".into()));
        }
        out
    }
}

/// Which score a classification rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreSource {
    /// The inspection team's reviewed score.
    Reviewed,
    /// Only the unit's self-score exists yet: the classification is provisional.
    SelfAssessed,
}

/// A unit's movement classification with the reasons it did not reach the bands above.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classification {
    pub band: String,
    pub band_name: String,
    pub source: ScoreSource,
    pub total: Points,
    pub max: Points,
    pub self_total: Points,
    /// Items whose reviewed score differs from the self-score: (item, self, reviewed).
    pub differences: Vec<(String, Points, Points)>,
    /// Why each higher band was not reached, in Vietnamese.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoringError {
    #[error("chưa có bảng chấm điểm cho loại đơn vị `{0}`")]
    NoFrame(String),
    #[error("chưa có điểm tự chấm")]
    NoScores,
    #[error("chưa có mức xếp loại nào")]
    NoBands,
    #[error("mục `{0}` không có trong bảng chấm điểm")]
    UnknownItem(String),
    #[error("mục {item}: {given} điểm vượt quá tối đa {max}")]
    OverMax { item: String, given: Points, max: Points },
}

/// Classifies a unit from its scores. Items without a score count as 0; `recognised` is the
/// rules' verdict and feeds the vetoes.
pub fn classify(frame: &Frame, bands: &[Band], scores: &Scores, recognised: bool) -> Result<Classification, ScoringError> {
    for sheet in std::iter::once(&scores.self_assessed).chain(scores.reviewed.as_ref()) {
        for (id, given) in sheet {
            let item = frame.items.iter().find(|i| &i.id == id).ok_or_else(|| ScoringError::UnknownItem(id.clone()))?;
            if *given > item.max {
                return Err(ScoringError::OverMax { item: id.clone(), given: *given, max: item.max });
            }
        }
    }
    if scores.self_assessed.is_empty() && scores.reviewed.is_none() {
        return Err(ScoringError::NoScores);
    }
    let (sheet, source) = match &scores.reviewed {
        Some(r) => (r, ScoreSource::Reviewed),
        None => (&scores.self_assessed, ScoreSource::SelfAssessed),
    };
    let score = |sheet: &BTreeMap<String, Points>, id: &str| sheet.get(id).copied().unwrap_or_default();
    let total: Points = frame.items.iter().map(|i| score(sheet, &i.id)).sum();
    let self_total: Points = frame.items.iter().map(|i| score(&scores.self_assessed, &i.id)).sum();
    let max = frame.max_total();
    let differences = match &scores.reviewed {
        Some(r) => frame
            .items
            .iter()
            .filter(|i| score(r, &i.id) != score(&scores.self_assessed, &i.id))
            .map(|i| (i.id.clone(), score(&scores.self_assessed, &i.id), score(r, &i.id)))
            .collect(),
        None => Vec::new(),
    };
    let mut reasons = Vec::new();
    for band in bands {
        let mut misses = Vec::new();
        // total / max ≥ min_percent / 100, in integers.
        if u64::from(total.0) * 100 < u64::from(band.min_percent) * u64::from(max.0) {
            misses.push(format!("tổng điểm {total}/{max} dưới {}%", band.min_percent));
        }
        if let Some(p) = band.min_item_percent {
            for i in &frame.items {
                let got = score(sheet, &i.id);
                if u64::from(got.0) * 100 < u64::from(p) * u64::from(i.max.0) {
                    misses.push(format!("mục {} được {got}/{} điểm, dưới {p}%", i.id, i.max));
                }
            }
        }
        if band.requires_recognised && !recognised {
            misses.push("đơn vị chưa được công nhận đạt chuẩn".to_owned());
        }
        if misses.is_empty() {
            return Ok(Classification {
                band: band.code.clone(),
                band_name: band.name.clone(),
                source,
                total,
                max,
                self_total,
                differences,
                reasons,
            });
        }
        reasons.push(format!("Chưa đạt mức {}: {}", band.name, misses.join("; ")));
    }
    // A validated ruleset's last band accepts everything, so only an empty band list gets here.
    Err(ScoringError::NoBands)
}
