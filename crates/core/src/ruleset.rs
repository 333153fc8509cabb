//! Rulesets: one regime (its legal basis, scope, criteria and timeline) as a YAML file, loaded
//! and validated before anything is evaluated against it.
//!
//! Criteria are built from the closed vocabulary of [`Check`]s; everything a check names
//! (documents, groups, incident kinds, forces, conditions, title scales, unit types) must be
//! declared in the ruleset's vocabulary, so a typo is refused at load time rather than silently
//! never matching.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::Timeline;
use crate::model::{DisciplineLevel, Harm, Severity};
use crate::scoring::Scoring;

/// Unit types every tree has above the evaluated units; a ruleset need not declare them.
pub const ADMINISTRATIVE_TYPES: [(&str, &str); 3] =
    [("country", "cả nước"), ("province", "tỉnh, thành phố"), ("district", "huyện, quận, thị xã, thành phố thuộc tỉnh")];

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ruleset {
    /// Short name used on the command line and in campaigns, e.g. `vinh-long-2013`.
    pub id: String,
    /// Vietnamese title.
    pub name: String,
    /// The legal regime the ruleset belongs to, e.g. `TT 23/2012/TT-BCA`.
    pub regime: String,
    /// The texts the criteria come from, most specific first.
    pub legal_basis: Vec<String>,
    /// The texts a recognition decision cites after the law on local government and before the
    /// province's plan, in the order cited, each as a ground names it (without "Căn cứ"): the
    /// circular that sets the standard, and what amends it.
    #[serde(default)]
    pub decision_grounds: Vec<String>,
    pub valid_from: NaiveDate,
    #[serde(default)]
    pub valid_to: Option<NaiveDate>,
    #[serde(default)]
    pub notes: Vec<String>,
    pub unit_types: Vec<UnitTypeDef>,
    #[serde(default)]
    pub exclusions: Vec<Exclusion>,
    pub vocabulary: Vocabulary,
    /// Settings a province chooses per campaign, with their defaults.
    #[serde(default)]
    pub settings: BTreeMap<String, Setting>,
    pub criteria: Vec<Criterion>,
    pub timeline: Timeline,
    pub scoring: Scoring,
}

/// A unit type in the ruleset's scope.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitTypeDef {
    pub code: String,
    pub name: String,
    /// Units of this type are part of their parent's territory: what must not happen in the
    /// parent includes what happens in them (residential areas inside a commune).
    #[serde(default)]
    pub territorial: bool,
}

/// Units of a type that are outside the regime, e.g. small enterprises under TT 124.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    /// The unit type the exclusion applies to; all types when absent.
    #[serde(default)]
    pub unit_type: Option<String>,
    pub attribute: String,
    pub values: Vec<String>,
    /// Why, in Vietnamese, with the legal basis.
    pub reason: String,
}

/// Codes the checks may name, each with its Vietnamese name.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vocabulary {
    pub documents: BTreeMap<String, String>,
    pub groups: BTreeMap<String, String>,
    pub incident_kinds: BTreeMap<String, String>,
    pub forces: BTreeMap<String, String>,
    pub conditions: BTreeMap<String, String>,
    pub scales: BTreeMap<String, Scale>,
    /// Fields of law an administrative sanction may be given in (lĩnh vực), e.g. `security_order`.
    #[serde(default)]
    pub domains: BTreeMap<String, String>,
    /// How events of some kinds are classified by their consequences when no classification is
    /// recorded: the severity of a traffic accident from its deaths, injuries and damage.
    #[serde(default)]
    pub harm_scales: Vec<HarmScale>,
    /// Kinds that are another kind with at least some harm: `fatal_labour_accident` is a
    /// `labour_accident` with at least one death. A check naming such a kind also counts events
    /// of the other kind whose recorded harm reaches it.
    #[serde(default)]
    pub harm_kinds: BTreeMap<String, HarmKind>,
}

/// At least this much harm: every field given must be reached (0 asks nothing).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HarmThreshold {
    #[serde(default)]
    pub deaths: u32,
    /// Injured people.
    #[serde(default)]
    pub injured: u32,
    /// The injured people's body injury rates together, in percent.
    #[serde(default)]
    pub injury_percent: u32,
    #[serde(default)]
    pub damage_vnd: u64,
}

impl HarmThreshold {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Whether `harm` reaches every field of the threshold.
    pub fn reached_by(&self, harm: &Harm) -> bool {
        harm.deaths >= self.deaths
            && harm.injuries.len() as u64 >= u64::from(self.injured)
            && harm.injury_percent() >= u64::from(self.injury_percent)
            && harm.damage_vnd >= self.damage_vnd
    }
}

/// A classification of events by their consequences, e.g. traffic accidents under Art. 5
/// TT 26/2024/TT-BCA.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HarmScale {
    /// The rule it comes from, in Vietnamese.
    pub basis: String,
    pub kinds: Vec<String>,
    pub levels: Vec<HarmLevel>,
}

/// A level of a harm scale: reached when any one of the thresholds is.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HarmLevel {
    pub severity: Severity,
    pub any_of: Vec<HarmThreshold>,
}

impl HarmScale {
    /// The highest level `harm` reaches; `None` when it reaches none (below the scale).
    pub fn grade(&self, harm: &Harm) -> Option<Severity> {
        self.levels.iter().filter(|l| l.any_of.iter().any(|t| t.reached_by(harm))).map(|l| l.severity).max()
    }
}

/// A kind defined as another kind with at least some harm.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HarmKind {
    pub of: String,
    pub harm: HarmThreshold,
}

impl Vocabulary {
    /// The harm scale that classifies events of `kind`, if any.
    pub fn harm_scale(&self, kind: &str) -> Option<&HarmScale> {
        self.harm_scales.iter().find(|s| s.kinds.iter().any(|k| k == kind))
    }
}

/// An ordered scale of titles or ratings, lowest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    pub name: String,
    pub levels: Vec<Level>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub code: String,
    pub name: String,
}

impl Scale {
    /// Position of `code` on the scale, lowest 0.
    pub fn rank(&self, code: &str) -> Option<usize> {
        self.levels.iter().position(|l| l.code == code)
    }

    pub fn level_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.levels.iter().find(|l| l.code == code).map_or(code, |l| l.name.as_str())
    }
}

/// A choice left to the province, e.g. which authority recognises communes after 2025.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setting {
    pub description: String,
    pub default: String,
    pub allowed: Vec<String>,
}

/// One criterion: every part must be met (or not apply) for the criterion to be met.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub id: String,
    pub unit_type: String,
    /// The criterion's wording (the source's own where the ruleset quotes one).
    pub text: String,
    /// Article, clause or section it comes from.
    pub basis: String,
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    pub id: String,
    pub text: String,
    /// The part applies only where this condition holds (e.g. a party organisation exists).
    #[serde(default)]
    pub when: Option<String>,
    pub check: Check,
}

/// The closed vocabulary of checks criteria are built from.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// A document of this kind exists for the year (optionally by a timeline deadline).
    Document(DocumentCheck),
    /// At least a share of the people in the named groups signed the commitment.
    CommitmentRatio(CommitmentRatio),
    /// No event of the given kinds happened (at or above a severity, in a scope).
    NoEvent(NoEvent),
    /// Every event of the given kinds that happened was detected and reported at once.
    EventsReported(EventsReported),
    /// The count of each given kind is not above the previous year's.
    NotMoreThanLastYear(NotMoreThanLastYear),
    /// A force holds a title at or above a level.
    TitleAtLeast(TitleAtLeast),
    /// No member of the given forces was disciplined at or above a level.
    NoDiscipline(NoDiscipline),
    /// A share of the unit's child units meet a condition (ceil rounding).
    ShareOfChildren(ShareOfChildren),
    /// A share of the unit's direct sub-units hold a title at or above a level (ceil rounding).
    ShareOfSubUnits(ShareOfSubUnits),
    /// An inspector's recorded judgement.
    Judgement,
}

impl Check {
    pub fn name(&self) -> &'static str {
        match self {
            Self::Document(_) => "document",
            Self::CommitmentRatio(_) => "commitment_ratio",
            Self::NoEvent(_) => "no_event",
            Self::EventsReported(_) => "events_reported",
            Self::NotMoreThanLastYear(_) => "not_more_than_last_year",
            Self::TitleAtLeast(_) => "title_at_least",
            Self::NoDiscipline(_) => "no_discipline",
            Self::ShareOfChildren(_) => "share_of_children",
            Self::ShareOfSubUnits(_) => "share_of_sub_units",
            Self::Judgement => "judgement",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentCheck {
    pub kind: String,
    /// The document must be dated on or before this unit's registration deadline.
    #[serde(default)]
    pub by_registration_deadline: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitmentRatio {
    /// Groups counted in the ratio.
    pub groups: Vec<String>,
    /// Groups whose count must be recorded; the others count only when present.
    #[serde(default)]
    pub required: Vec<String>,
    /// Lists of groups of which at least one must be recorded, e.g. learners of one level or
    /// another.
    #[serde(default)]
    pub required_one_of: Vec<Vec<String>>,
    /// Groups that are deliberately left out, named in the reason (e.g. primary pupils).
    #[serde(default)]
    pub not_counted: Vec<String>,
    pub at_least_percent: u32,
}

/// Where an event must have happened, or by whom, to count against the unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// In the unit's territory or premises.
    Territory,
    /// By the unit's own people, wherever.
    People,
    /// Either.
    TerritoryOrPeople,
    /// In its territory and by its people.
    TerritoryAndPeople,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoEvent {
    pub kinds: Vec<String>,
    /// Only events at or above this severity count.
    #[serde(default)]
    pub at_least: Option<Severity>,
    pub scope: Scope,
    /// Only events by these groups of the unit's own people count (all when empty).
    #[serde(default)]
    pub groups: Vec<String>,
    /// Only events in these fields of law count (all when empty): sanctions "trong lĩnh vực an
    /// ninh, trật tự".
    #[serde(default)]
    pub domains: Vec<String>,
    #[serde(default)]
    pub except_force_majeure: bool,
    /// An event detected and reported to the competent body at once does not count ("… hoặc
    /// nếu có phải kịp thời phát hiện, báo cáo ngay").
    #[serde(default)]
    pub except_reported_promptly: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsReported {
    pub kinds: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotMoreThanLastYear {
    pub kinds: Vec<String>,
    pub scope: Scope,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TitleAtLeast {
    pub force: String,
    pub scale: String,
    pub level: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoDiscipline {
    pub forces: Vec<String>,
    pub at_least: DisciplineLevel,
    /// Also count discipline recorded in the units of the territory (a commune's residential
    /// areas, where their grassroots security members are recorded).
    #[serde(default)]
    pub with_territory: bool,
}

/// What a child unit must have for a share-of-children check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChildCondition {
    Registered,
    Recognised,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareOfChildren {
    pub unit_types: Vec<String>,
    pub condition: ChildCondition,
    pub at_least_percent: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareOfSubUnits {
    pub scale: String,
    pub level: String,
    pub at_least_percent: u32,
}

/// The smallest whole number of items that reaches `percent` of `total` (ceil rounding, exact
/// integer arithmetic: 70% of 25 is 18).
pub fn needed_for(percent: u32, total: u32) -> u32 {
    (u64::from(percent) * u64::from(total)).div_ceil(100) as u32
}

/// A ruleset that failed to load, with the file, the place in it and a plain message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct RulesetError {
    pub file: String,
    /// Line and column, when the YAML parser knows them.
    pub line: Option<(usize, usize)>,
    /// Path inside the document, e.g. `criteria[1.4].parts[b].check`.
    pub place: String,
    pub message: String,
}

impl fmt::Display for RulesetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some((line, column)) = self.line {
            write!(f, ":{line}:{column}")?;
        }
        if !self.place.is_empty() {
            write!(f, ": tại {}", self.place)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Several problems found in one ruleset; all are reported, not only the first.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct RulesetErrors(pub Vec<RulesetError>);

impl fmt::Display for RulesetErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl Ruleset {
    /// Parses and validates a ruleset; `file` names it in error messages.
    pub fn from_yaml(file: &str, text: &str) -> Result<Self, RulesetErrors> {
        let deserializer = serde_norway::Deserializer::from_str(text);
        let ruleset: Ruleset = serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let place = e.path().to_string();
            let inner = e.into_inner();
            let line = inner.location().map(|l| (l.line(), l.column()));
            let message = plain_parse_message(&inner.to_string());
            RulesetErrors(vec![RulesetError {
                file: file.to_owned(),
                line,
                place: if place == "." { String::new() } else { place },
                message,
            }])
        })?;
        let problems = ruleset.problems();
        if problems.is_empty() {
            Ok(ruleset)
        } else {
            Err(RulesetErrors(
                problems.into_iter().map(|(place, message)| RulesetError { file: file.to_owned(), line: None, place, message }).collect(),
            ))
        }
    }

    pub fn unit_type(&self, code: &str) -> Option<&UnitTypeDef> {
        self.unit_types.iter().find(|t| t.code == code)
    }

    /// The Vietnamese name of a unit type, including the administrative ones.
    pub fn unit_type_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.unit_type(code)
            .map(|t| t.name.as_str())
            .unwrap_or_else(|| ADMINISTRATIVE_TYPES.iter().find(|(c, _)| *c == code).map_or(code, |(_, n)| n))
    }

    /// The name of a classification band ("xuat_sac" → "Xuất sắc"); a name is given back as it is.
    pub fn band_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.scoring.bands.iter().find(|b| b.code == code).map_or(code, |b| b.name.as_str())
    }

    pub fn criteria_for<'a>(&'a self, unit_type: &'a str) -> impl Iterator<Item = &'a Criterion> + 'a {
        self.criteria.iter().filter(move |c| c.unit_type == unit_type)
    }

    /// The value of a setting for a campaign: the campaign's choice, else the default.
    pub fn setting<'a>(&'a self, name: &str, chosen: &'a BTreeMap<String, String>) -> Option<&'a str> {
        chosen.get(name).map(String::as_str).or_else(|| self.settings.get(name).map(|s| s.default.as_str()))
    }

    /// Every semantic problem as (place, message).
    fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut push = |place: String, message: String| out.push((place, message));
        let v = &self.vocabulary;
        if self.id.trim().is_empty() {
            push("id".into(), "tên bộ tiêu chí không được để trống".into());
        }
        if let Some(to) = self.valid_to
            && to < self.valid_from
        {
            push("valid_to".into(), format!("ngày hết hiệu lực {to} trước ngày có hiệu lực {}", self.valid_from));
        }
        let mut types = BTreeSet::new();
        for (i, t) in self.unit_types.iter().enumerate() {
            if ADMINISTRATIVE_TYPES.iter().any(|(c, _)| *c == t.code) {
                push(format!("unit_types[{i}]"), format!("`{}` là cấp hành chính, không phải loại đơn vị được đánh giá", t.code));
            }
            if !types.insert(t.code.as_str()) {
                push(format!("unit_types[{i}]"), format!("loại đơn vị `{}` khai báo hai lần", t.code));
            }
        }
        let known_type = |code: &str| types.contains(code);
        for (i, x) in self.exclusions.iter().enumerate() {
            if let Some(t) = &x.unit_type
                && !known_type(t)
            {
                push(format!("exclusions[{i}].unit_type"), unknown("loại đơn vị", t, types.iter().copied()));
            }
        }
        for (name, s) in &self.settings {
            if !s.allowed.contains(&s.default) {
                push(format!("settings.{name}.default"), format!("giá trị mặc định `{}` không nằm trong danh sách cho phép", s.default));
            }
        }
        for (code, scale) in &v.scales {
            if scale.levels.is_empty() {
                push(format!("vocabulary.scales.{code}"), "thang danh hiệu không có mức nào".into());
            }
            let mut seen = BTreeSet::new();
            for l in &scale.levels {
                if !seen.insert(l.code.as_str()) {
                    push(format!("vocabulary.scales.{code}"), format!("mức `{}` khai báo hai lần", l.code));
                }
            }
        }
        harm_vocabulary_problems(v, &mut push);
        let mut ids = BTreeSet::new();
        for c in &self.criteria {
            let here = format!("criteria[{}]", c.id);
            if !ids.insert(c.id.as_str()) {
                push(here.clone(), format!("mã tiêu chí `{}` trùng", c.id));
            }
            if !known_type(&c.unit_type) {
                push(format!("{here}.unit_type"), unknown("loại đơn vị", &c.unit_type, types.iter().copied()));
            }
            if c.parts.is_empty() {
                push(here.clone(), "tiêu chí không có nội dung kiểm tra nào".into());
            }
            let mut part_ids = BTreeSet::new();
            for p in &c.parts {
                let here = format!("{here}.parts[{}]", p.id);
                if !part_ids.insert(p.id.as_str()) {
                    push(here.clone(), format!("mã nội dung `{}` trùng trong tiêu chí {}", p.id, c.id));
                }
                if let Some(w) = &p.when
                    && !v.conditions.contains_key(w)
                {
                    push(format!("{here}.when"), unknown("điều kiện", w, v.conditions.keys().map(String::as_str)));
                }
                for (field, message) in check_problems(&p.check, v, &known_type) {
                    push(format!("{here}.check.{}{field}", p.check.name()), message);
                }
            }
        }
        for (i, t) in self.unit_types.iter().enumerate() {
            if !self.criteria.iter().any(|c| c.unit_type == t.code) {
                push(format!("unit_types[{i}]"), format!("loại đơn vị `{}` không có tiêu chí nào", t.code));
            }
        }
        for (place, message) in self.timeline.problems(&known_type, &self.settings) {
            push(format!("timeline.{place}"), message);
        }
        for (place, message) in self.scoring.problems(&known_type) {
            push(format!("scoring.{place}"), message);
        }
        out
    }
}

/// Problems of the harm scales and harm kinds of the vocabulary.
fn harm_vocabulary_problems(v: &Vocabulary, push: &mut impl FnMut(String, String)) {
    let kind_known = |k: &str| v.incident_kinds.contains_key(k);
    let mut scaled = BTreeSet::new();
    for (i, scale) in v.harm_scales.iter().enumerate() {
        let here = format!("vocabulary.harm_scales[{i}]");
        if scale.kinds.is_empty() {
            push(format!("{here}.kinds"), "danh sách loại vụ việc trống".into());
        }
        for k in &scale.kinds {
            if !kind_known(k) {
                push(format!("{here}.kinds"), unknown("loại vụ việc", k, v.incident_kinds.keys().map(String::as_str)));
            }
            if !scaled.insert(k.as_str()) {
                push(format!("{here}.kinds"), format!("loại vụ việc `{k}` đã có thang phân loại theo thiệt hại khác"));
            }
        }
        if scale.levels.is_empty() {
            push(format!("{here}.levels"), "thang phân loại không có mức nào".into());
        }
        let mut seen = BTreeSet::new();
        for level in &scale.levels {
            if !seen.insert(level.severity) {
                push(format!("{here}.levels"), format!("mức `{}` khai báo hai lần", level.severity.name()));
            }
            if level.any_of.is_empty() || level.any_of.iter().any(HarmThreshold::is_empty) {
                push(format!("{here}.levels"), format!("mức `{}` có ngưỡng thiệt hại trống", level.severity.name()));
            }
        }
    }
    for (code, k) in &v.harm_kinds {
        let here = format!("vocabulary.harm_kinds.{code}");
        if !kind_known(code) {
            push(here.clone(), unknown("loại vụ việc", code, v.incident_kinds.keys().map(String::as_str)));
        }
        if !kind_known(&k.of) || v.harm_kinds.contains_key(&k.of) {
            push(format!("{here}.of"), format!("`{}` phải là loại vụ việc đã khai báo và không định nghĩa theo thiệt hại", k.of));
        }
        if k.harm.is_empty() {
            push(format!("{here}.harm"), "ngưỡng thiệt hại trống".into());
        }
    }
}

/// Problems of one check as (field suffix, message).
fn check_problems(check: &Check, v: &Vocabulary, known_type: &dyn Fn(&str) -> bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut codes = |field: &str, what: &str, list: &[String], known: &BTreeMap<String, String>| {
        if list.is_empty() {
            out.push((format!(".{field}"), format!("danh sách {what} trống")));
        }
        for code in list {
            if !known.contains_key(code) {
                out.push((format!(".{field}"), unknown(what, code, known.keys().map(String::as_str))));
            }
        }
    };
    match check {
        Check::Document(d) => codes("kind", "loại tài liệu", std::slice::from_ref(&d.kind), &v.documents),
        Check::CommitmentRatio(r) => {
            codes("groups", "nhóm người ký cam kết", &r.groups, &v.groups);
            for (field, list) in [("required", &r.required), ("not_counted", &r.not_counted)] {
                for code in list {
                    if !v.groups.contains_key(code) {
                        out.push((format!(".{field}"), unknown("nhóm người ký cam kết", code, v.groups.keys().map(String::as_str))));
                    }
                }
            }
            for code in r.required.iter().chain(r.required_one_of.iter().flatten()) {
                if !r.groups.contains(code) {
                    out.push((".required".into(), format!("nhóm bắt buộc `{code}` không có trong groups")));
                }
            }
            if r.required_one_of.iter().any(Vec::is_empty) {
                out.push((".required_one_of".into(), "danh sách nhóm trống".into()));
            }
            out.extend(percent_problem(r.at_least_percent));
        }
        Check::NoEvent(e) => {
            codes("kinds", "loại vụ việc", &e.kinds, &v.incident_kinds);
            for (field, list, what, known) in
                [("groups", &e.groups, "nhóm người", &v.groups), ("domains", &e.domains, "lĩnh vực", &v.domains)]
            {
                for code in list {
                    if !known.contains_key(code) {
                        out.push((format!(".{field}"), unknown(what, code, known.keys().map(String::as_str))));
                    }
                }
            }
            if !e.groups.is_empty() && !matches!(e.scope, Scope::People | Scope::TerritoryAndPeople) {
                out.push((".groups".into(), "chỉ lọc theo nhóm người khi phạm vi là `people` hoặc `territory_and_people`".into()));
            }
        }
        Check::EventsReported(e) => codes("kinds", "loại vụ việc", &e.kinds, &v.incident_kinds),
        Check::NotMoreThanLastYear(e) => codes("kinds", "loại vụ việc", &e.kinds, &v.incident_kinds),
        Check::TitleAtLeast(t) => {
            codes("force", "lực lượng", std::slice::from_ref(&t.force), &v.forces);
            out.extend(level_problem(v, &t.scale, &t.level));
        }
        Check::NoDiscipline(d) => codes("forces", "lực lượng", &d.forces, &v.forces),
        Check::ShareOfChildren(s) => {
            if s.unit_types.is_empty() {
                out.push((".unit_types".into(), "danh sách loại đơn vị trống".into()));
            }
            for t in &s.unit_types {
                if !known_type(t) {
                    out.push((".unit_types".into(), format!("loại đơn vị `{t}` không được khai báo trong unit_types")));
                }
            }
            out.extend(percent_problem(s.at_least_percent));
        }
        Check::ShareOfSubUnits(s) => {
            out.extend(level_problem(v, &s.scale, &s.level));
            out.extend(percent_problem(s.at_least_percent));
        }
        Check::Judgement => {}
    }
    out
}

fn percent_problem(p: u32) -> Option<(String, String)> {
    (p == 0 || p > 100).then(|| (".at_least_percent".into(), format!("ngưỡng {p}% nằm ngoài khoảng 1–100%")))
}

fn level_problem(v: &Vocabulary, scale: &str, level: &str) -> Option<(String, String)> {
    match v.scales.get(scale) {
        None => Some((".scale".into(), unknown("thang danh hiệu", scale, v.scales.keys().map(String::as_str)))),
        Some(s) if s.rank(level).is_none() => {
            Some((".level".into(), unknown(&format!("mức trên thang `{scale}`"), level, s.levels.iter().map(|l| l.code.as_str()))))
        }
        Some(_) => None,
    }
}

fn unknown<'a>(what: &str, code: &str, known: impl Iterator<Item = &'a str>) -> String {
    let known: Vec<&str> = known.collect();
    if known.is_empty() {
        format!("{what} `{code}` chưa được khai báo")
    } else {
        format!("{what} `{code}` chưa được khai báo (có: {})", known.join(", "))
    }
}

/// Turns serde's English parse messages into plain Vietnamese where the pattern is known. The
/// YAML parser may prefix its own path ("criteria[0].parts[0]: …"); the place is reported
/// separately, so it is dropped here.
pub(crate) fn plain_parse_message(message: &str) -> String {
    let message = message.split(" at line ").next().unwrap_or(message);
    let message = match message.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && path.chars().any(|c| c == '.' || c == '[') => rest,
        _ => message,
    };
    let message = message.replace(", expected one of ", ", cần một trong: ").replace(", expected ", ", cần ");
    for (english, vietnamese) in [
        ("unknown variant ", "kiểu kiểm tra hoặc giá trị không hợp lệ: "),
        ("unknown field ", "trường không hợp lệ: "),
        ("missing field ", "thiếu trường "),
        ("invalid type: ", "sai kiểu dữ liệu: "),
        ("invalid value: ", "giá trị không hợp lệ: "),
        ("input is out of range", "ngày hoặc số nằm ngoài phạm vi cho phép"),
        ("premature end of input", "ngày không đầy đủ"),
        ("input contains invalid characters", "ngày có ký tự không hợp lệ"),
    ] {
        if let Some(rest) = message.strip_prefix(english) {
            return format!("{vietnamese}{rest}");
        }
    }
    format!("lỗi cú pháp: {message}")
}

/// The rulesets shipped with antt, compiled into the binary from `rulesets/`.
pub const BUILT_IN: [(&str, &str); 3] = [
    ("rulesets/vinh-long-2013.yaml", include_str!("../../../rulesets/vinh-long-2013.yaml")),
    ("rulesets/tt124-2021.yaml", include_str!("../../../rulesets/tt124-2021.yaml")),
    ("rulesets/tt124-2025.yaml", include_str!("../../../rulesets/tt124-2025.yaml")),
];

/// Loads and validates every built-in ruleset.
pub fn built_in() -> Result<Vec<Ruleset>, RulesetErrors> {
    BUILT_IN.iter().map(|(file, text)| Ruleset::from_yaml(file, text)).collect()
}

/// The text of the built-in ruleset `id` (each file is named after the id it declares).
pub fn built_in_text(id: &str) -> Option<&'static str> {
    BUILT_IN
        .iter()
        .find(|(file, _)| file.strip_prefix("rulesets/").and_then(|f| f.strip_suffix(".yaml")) == Some(id))
        .map(|(_, text)| *text)
}

/// One built-in ruleset by id.
pub fn built_in_named(id: &str) -> Result<Option<Ruleset>, RulesetErrors> {
    Ok(built_in()?.into_iter().find(|r| r.id == id))
}
