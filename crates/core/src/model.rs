//! The facts a campaign records about units: the administrative tree, commitments, documents,
//! incidents, discipline, titles, sub-units and inspectors' judgements.
//!
//! Codes (unit types, commitment groups, document kinds, incident kinds, forces, conditions and
//! title scales) are strings defined by each ruleset's vocabulary, so a province can extend them
//! without touching Rust. Severity and discipline levels are fixed by law and are enums here.
//!
//! A list that is absent (`None`) means "not recorded yet" and makes the checks that need it
//! report missing data; a list that is present, even empty, is taken as complete.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::scoring::Points;

/// A unit's identifier within one facts file or database: a GSO code for provinces, districts
/// and communes, any unique text for units without a national code.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UnitId(pub String);

impl std::fmt::Display for UnitId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a campaign's facts file holds: the campaign and the units with their facts.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facts {
    pub campaign: Campaign,
    pub units: Vec<Unit>,
}

/// One year's campaign, launched by a plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    /// The campaign year, e.g. 2013.
    pub year: i32,
    /// Number and symbol of the plan, e.g. `710/QĐ-UBND`.
    #[serde(default)]
    pub plan_number: Option<String>,
    /// The date the plan was issued; registration deadlines count from it.
    pub plan_date: NaiveDate,
    /// Settings the ruleset leaves to the province (e.g. who recognises communes).
    #[serde(default)]
    pub settings: BTreeMap<String, String>,
}

/// A node of the administrative tree or a unit attached to it, with the facts of the campaign.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    pub id: UnitId,
    pub name: String,
    /// A unit type code: `province`, `district`, or one the ruleset declares.
    #[serde(rename = "type")]
    pub unit_type: String,
    #[serde(default)]
    pub parent: Option<UnitId>,
    /// Yes/no facts that decide whether a conditional part applies,
    /// e.g. `party_organisation: true`.
    #[serde(default)]
    pub flags: BTreeMap<String, bool>,
    /// Descriptive attributes that decide scope, e.g. `enterprise_size: small`.
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    #[serde(default)]
    pub documents: Option<Vec<Document>>,
    #[serde(default)]
    pub commitments: Option<Vec<Commitment>>,
    #[serde(default)]
    pub incidents: Option<Vec<Incident>>,
    /// Counts of incidents by kind in the previous year; a kind not listed had none.
    #[serde(default)]
    pub previous_year: Option<BTreeMap<String, u32>>,
    #[serde(default)]
    pub discipline: Option<Vec<Discipline>>,
    #[serde(default)]
    pub titles: Option<Vec<Title>>,
    #[serde(default)]
    pub sub_units: Option<Vec<SubUnit>>,
    #[serde(default)]
    pub judgements: Vec<Judgement>,
    #[serde(default)]
    pub scores: Option<Scores>,
}

impl Unit {
    /// The document of `kind`, if recorded.
    pub fn document(&self, kind: &str) -> Option<&Document> {
        self.documents.as_deref()?.iter().find(|d| d.kind == kind)
    }

    /// The date of the unit's registration: the earliest, when several are recorded.
    pub fn registration_date(&self) -> Option<NaiveDate> {
        self.documents.iter().flatten().filter(|d| d.kind == crate::eval::REGISTRATION).filter_map(|d| d.date).min()
    }
}

/// A document the unit has for the campaign year (resolution, plan, registration, rules…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub kind: String,
    #[serde(default)]
    pub date: Option<NaiveDate>,
    #[serde(default)]
    pub number: Option<String>,
}

/// How many people of one group signed the commitment, out of how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commitment {
    pub group: String,
    pub signed: u32,
    pub total: u32,
}

/// Penal Code severity of a crime, also used for accidents and fires ("nghiêm trọng").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    ItNghiemTrong,
    NghiemTrong,
    RatNghiemTrong,
    DacBietNghiemTrong,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Self::ItNghiemTrong => "ít nghiêm trọng",
            Self::NghiemTrong => "nghiêm trọng",
            Self::RatNghiemTrong => "rất nghiêm trọng",
            Self::DacBietNghiemTrong => "đặc biệt nghiêm trọng",
        }
    }
}

/// Something that happened: a crime, an accident, a security event, a social evil…
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Incident {
    pub kind: String,
    pub date: NaiveDate,
    #[serde(default)]
    pub severity: Option<Severity>,
    /// It happened inside the unit's territory or premises.
    #[serde(default = "yes")]
    pub in_territory: bool,
    /// It was committed or caused by the unit's own people (residents, staff, learners…).
    #[serde(default)]
    pub by_own_people: bool,
    #[serde(default)]
    pub force_majeure: bool,
    /// Detected and reported to the competent authority at once; `None` when not recorded.
    #[serde(default)]
    pub reported_promptly: Option<bool>,
    #[serde(default)]
    pub note: Option<String>,
}

fn yes() -> bool {
    true
}

/// Disciplinary measures, ordered by weight. Salary-step reduction and demotion weigh the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisciplineLevel {
    KhienTrach,
    CanhCao,
    HaBacLuong,
    GiangChuc,
    CachChuc,
    BuocThoiViec,
}

impl DisciplineLevel {
    /// Position on the ordered scale khiển trách < cảnh cáo < (hạ bậc lương, giáng chức) <
    /// cách chức < buộc thôi việc.
    pub fn rank(self) -> u8 {
        match self {
            Self::KhienTrach => 1,
            Self::CanhCao => 2,
            Self::HaBacLuong | Self::GiangChuc => 3,
            Self::CachChuc => 4,
            Self::BuocThoiViec => 5,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::KhienTrach => "khiển trách",
            Self::CanhCao => "cảnh cáo",
            Self::HaBacLuong => "hạ bậc lương",
            Self::GiangChuc => "giáng chức",
            Self::CachChuc => "cách chức",
            Self::BuocThoiViec => "buộc thôi việc",
        }
    }

    /// At or above `other` on the scale ("từ … trở lên").
    pub fn at_least(self, other: Self) -> bool {
        self.rank() >= other.rank()
    }
}

/// A disciplinary measure against a member of one of the unit's forces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Discipline {
    pub force: String,
    pub level: DisciplineLevel,
    pub date: NaiveDate,
    #[serde(default)]
    pub person: Option<String>,
}

/// An emulation title or rating held for the year by one of the unit's forces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Title {
    pub force: String,
    pub scale: String,
    pub level: String,
}

/// A direct sub-unit (phòng, ban, tổ, đội, khoa…) and the title it holds, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubUnit {
    pub name: String,
    #[serde(default)]
    pub titles: Vec<SubUnitTitle>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubUnitTitle {
    pub scale: String,
    pub level: String,
}

/// An inspector's assessment of a part that needs a person's judgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Judgement {
    pub criterion: String,
    pub part: String,
    pub met: bool,
    #[serde(default)]
    pub inspector: Option<String>,
    #[serde(default)]
    pub date: Option<NaiveDate>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Movement scores per scoring item: the unit's own and the inspection team's.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scores {
    #[serde(default, rename = "self")]
    pub self_assessed: BTreeMap<String, Points>,
    #[serde(default)]
    pub reviewed: Option<BTreeMap<String, Points>>,
}

/// A facts file that could not be read, with the place and a plain message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {}{message}", line.map(|(l, c)| format!(":{l}:{c}")).unwrap_or_default(), if place.is_empty() { String::new() } else { format!("tại {place}: ") })]
pub struct FactsError {
    pub file: String,
    pub line: Option<(usize, usize)>,
    pub place: String,
    pub message: String,
}

impl Facts {
    /// Reads a facts file written in JSON (when it starts with `{`) or YAML, after bringing the
    /// text to NFC.
    pub fn parse(file: &str, text: &str) -> Result<Self, FactsError> {
        let text = crate::text::nfc(text);
        let error = |place: String, line, message: String| FactsError {
            file: file.to_owned(),
            line,
            place: if place == "." { String::new() } else { place },
            message,
        };
        if text.trim_start().starts_with('{') {
            let mut de = serde_json::Deserializer::from_str(&text);
            serde_path_to_error::deserialize(&mut de).map_err(|e| {
                let place = e.path().to_string();
                let inner = e.into_inner();
                error(place, Some((inner.line(), inner.column())), crate::ruleset::plain_parse_message(&inner.to_string()))
            })
        } else {
            serde_path_to_error::deserialize(serde_norway::Deserializer::from_str(&text)).map_err(|e| {
                let place = e.path().to_string();
                let inner = e.into_inner();
                let line = inner.location().map(|l| (l.line(), l.column()));
                error(place, line, crate::ruleset::plain_parse_message(&inner.to_string()))
            })
        }
    }
}
