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
    /// Takes the facts of `read` (flags, lists, records, judgements, scores), keeping this
    /// unit's identity, place and attributes: for facts read apart from the unit itself.
    pub fn take_facts(&mut self, read: Unit) {
        // Every field named, so that a field added to units must be placed here too.
        let Unit {
            id: _,
            name: _,
            unit_type: _,
            parent: _,
            attributes: _,
            flags,
            documents,
            commitments,
            incidents,
            previous_year,
            discipline,
            titles,
            sub_units,
            judgements,
            scores,
        } = read;
        self.flags = flags;
        self.documents = documents;
        self.commitments = commitments;
        self.incidents = incidents;
        self.previous_year = previous_year;
        self.discipline = discipline;
        self.titles = titles;
        self.sub_units = sub_units;
        self.judgements = judgements;
        self.scores = scores;
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

/// How many people of one group signed the commitment, out of how many. One figure may cover
/// several groups at once (`also_groups`), e.g. "chức sắc, chức việc, tín đồ" counted together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commitment {
    pub group: String,
    /// Other groups this one figure also counts, when they were not counted separately.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_groups: Vec<String>,
    pub signed: u32,
    pub total: u32,
}

impl Commitment {
    /// A figure for one group.
    pub fn new(group: impl Into<String>, signed: u32, total: u32) -> Self {
        Self { group: group.into(), also_groups: Vec::new(), signed, total }
    }

    /// Every group the figure counts: `group` first, then `also_groups`.
    pub fn groups(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.group.as_str()).chain(self.also_groups.iter().map(String::as_str))
    }
}

/// How serious an event is: for a crime the Penal Code's scale; for an accident or a fire the
/// scale of its consequences ("gây hậu quả nghiêm trọng"), which a ruleset may derive from the
/// recorded [`Harm`] (see `vocabulary.harm_scales`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    ItNghiemTrong,
    NghiemTrong,
    RatNghiemTrong,
    DacBietNghiemTrong,
}

impl Severity {
    /// Every level, lowest first.
    pub const ALL: [Self; 4] = [Self::ItNghiemTrong, Self::NghiemTrong, Self::RatNghiemTrong, Self::DacBietNghiemTrong];

    pub fn name(self) -> &'static str {
        match self {
            Self::ItNghiemTrong => "ít nghiêm trọng",
            Self::NghiemTrong => "nghiêm trọng",
            Self::RatNghiemTrong => "rất nghiêm trọng",
            Self::DacBietNghiemTrong => "đặc biệt nghiêm trọng",
        }
    }
}

/// What an accident, a fire or another event cost: the facts the rules that classify accidents
/// and fires by their consequences look at.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Harm {
    /// People who died.
    #[serde(default)]
    pub deaths: u32,
    /// One entry per injured person: the body injury rate (tỷ lệ tổn thương cơ thể) in percent.
    #[serde(default)]
    pub injuries: Vec<u32>,
    /// Damage to property, in đồng.
    #[serde(default)]
    pub damage_vnd: u64,
}

impl Harm {
    /// The harm as a record keeps it: none done and none recorded read the same.
    pub fn recorded(self) -> Option<Self> {
        (self != Self::default()).then_some(self)
    }

    /// The sum of the injured people's body injury rates (tổng tỷ lệ tổn thương cơ thể).
    pub fn injury_percent(&self) -> u64 {
        self.injuries.iter().map(|&p| u64::from(p)).sum()
    }
}

/// Something that happened: a crime, an accident, a security event, a social evil, an
/// administrative sanction…
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Incident {
    pub kind: String,
    pub date: NaiveDate,
    /// The competent body's classification; when absent it may be derived from `harm`.
    #[serde(default)]
    pub severity: Option<Severity>,
    /// Deaths, injuries and damage, for events classified by their consequences.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub harm: Option<Harm>,
    /// The field of law (a code of `vocabulary.domains`), for an administrative sanction: only
    /// sanctions "trong lĩnh vực an ninh, trật tự" count under TT 124.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Which group of the unit's own people (a code of `vocabulary.groups`) committed or caused
    /// it, e.g. `learners`; meaningful with `by_own_people`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
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

impl Incident {
    /// An event of `kind` on `date` in the unit's territory, everything else as a facts file
    /// leaves it when unwritten: not by the unit's own people, no force majeure, severity, harm,
    /// field of law, group and reporting not recorded.
    pub fn new(kind: impl Into<String>, date: NaiveDate) -> Self {
        Self {
            kind: kind.into(),
            date,
            severity: None,
            harm: None,
            domain: None,
            group: None,
            in_territory: true,
            by_own_people: false,
            force_majeure: false,
            reported_promptly: None,
            note: None,
        }
    }
}

fn yes() -> bool {
    true
}

/// Disciplinary measures, ordered by weight, for civil servants and public employees, for
/// employees under the Labour Code and for learners. Each form sits where it stands among its
/// own: the second-lightest labour form (kéo dài thời hạn nâng lương) weighs as cảnh cáo,
/// dismissal (sa thải) as buộc thôi việc; a learner's suspension (đình chỉ học tập có thời hạn)
/// weighs above cảnh cáo and expulsion (buộc thôi học) as buộc thôi việc.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisciplineLevel {
    KhienTrach,
    CanhCao,
    HaBacLuong,
    GiangChuc,
    CachChuc,
    BuocThoiViec,
    KeoDaiNangLuong,
    SaThai,
    DinhChiHocTap,
    BuocThoiHoc,
}

impl DisciplineLevel {
    /// Every form, civil service first, then the Labour Code's, then the learners'.
    pub const ALL: [Self; 10] = [
        Self::KhienTrach,
        Self::CanhCao,
        Self::HaBacLuong,
        Self::GiangChuc,
        Self::CachChuc,
        Self::BuocThoiViec,
        Self::KeoDaiNangLuong,
        Self::SaThai,
        Self::DinhChiHocTap,
        Self::BuocThoiHoc,
    ];

    /// Position on the ordered scale khiển trách < cảnh cáo = kéo dài thời hạn nâng lương <
    /// (hạ bậc lương, giáng chức, đình chỉ học tập có thời hạn) < cách chức < (buộc thôi việc,
    /// sa thải, buộc thôi học).
    pub fn rank(self) -> u8 {
        match self {
            Self::KhienTrach => 1,
            Self::CanhCao | Self::KeoDaiNangLuong => 2,
            Self::HaBacLuong | Self::GiangChuc | Self::DinhChiHocTap => 3,
            Self::CachChuc => 4,
            Self::BuocThoiViec | Self::SaThai | Self::BuocThoiHoc => 5,
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
            Self::KeoDaiNangLuong => "kéo dài thời hạn nâng lương",
            Self::SaThai => "sa thải",
            Self::DinhChiHocTap => "đình chỉ học tập có thời hạn",
            Self::BuocThoiHoc => "buộc thôi học",
        }
    }

    /// At or above `other` on the scale ("từ … trở lên").
    pub fn at_least(self, other: Self) -> bool {
        self.rank() >= other.rank()
    }
}

/// A disciplinary measure against a member of one of the unit's forces. A person who belongs to
/// several forces (a guard who is also staff) is recorded once, with the others in
/// `also_forces`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Discipline {
    pub force: String,
    /// Other forces the same person belongs to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_forces: Vec<String>,
    pub level: DisciplineLevel,
    pub date: NaiveDate,
    #[serde(default)]
    pub person: Option<String>,
}

impl Discipline {
    /// A measure against a member of `force` alone, person not named.
    pub fn new(force: impl Into<String>, level: DisciplineLevel, date: NaiveDate) -> Self {
        Self { force: force.into(), also_forces: Vec::new(), level, date, person: None }
    }

    /// Every force the person belongs to: `force` first, then `also_forces`.
    pub fn forces(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.force.as_str()).chain(self.also_forces.iter().map(String::as_str))
    }
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
