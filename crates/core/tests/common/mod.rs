//! Shared builders for the `vinh-long-2013` tests: the ruleset, a fully compliant unit of each
//! type, small builders for facts, and an owned summary of a verdict (outcome, every criterion
//! and part status, every rendered reason) that tests of any ruleset can compare and search.

// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::LazyLock;

use antt_core::calendar::{Calendar, Timeliness};
use antt_core::eval::{self, ChildOutcome, Input, Outcome, Status, Verdict};
use antt_core::model::{
    Campaign, Commitment, Discipline, DisciplineLevel, Document, Incident, Judgement, Severity, SubUnit, SubUnitTitle, Title, Unit, UnitId,
};
use antt_core::{Ruleset, reason};
use chrono::NaiveDate;
use proptest::prelude::*;

pub const FILE: &str = "rulesets/vinh-long-2013.yaml";
pub const TEXT: &str = include_str!("../../../../rulesets/vinh-long-2013.yaml");

pub const AREA: &str = "residential_area";
pub const COMMUNE: &str = "commune";
pub const AGENCY: &str = "agency";
pub const SCHOOL: &str = "school";
pub const WORSHIP: &str = "worship_site";
pub const TYPES: [&str; 5] = [AREA, COMMUNE, AGENCY, SCHOOL, WORSHIP];

static RULESET: LazyLock<Ruleset> = LazyLock::new(|| Ruleset::from_yaml(FILE, TEXT).unwrap_or_else(|e| panic!("{e}")));

/// The shipped `vinh-long-2013` ruleset, loaded once.
pub fn rs() -> &'static Ruleset {
    &RULESET
}

/// The 2013 campaign launched by QĐ 710/QĐ-UBND of 02/05/2013.
pub fn campaign() -> Campaign {
    Campaign { year: 2013, plan_number: Some("710/QĐ-UBND".into()), plan_date: d(2013, 5, 2), settings: BTreeMap::new() }
}

/// The dates of the 2013 campaign under the ruleset.
pub fn calendar() -> Calendar {
    let rs = rs();
    Calendar::new(&rs.timeline, rs.unit_types.iter().map(|t| &t.code), &campaign(), &rs.settings).unwrap_or_else(|e| panic!("{e}"))
}

pub fn d(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("valid date")
}

/// A day in the middle of the 2013 evaluation period, used for most events.
pub fn day() -> NaiveDate {
    d(2013, 3, 12)
}

// ----------------------------------------------------------------------------------------------
// Facts builders

pub fn doc(kind: &str) -> Document {
    let (number, date) = match kind {
        "party_resolution" => ("01/NQ-CB", d(2013, 5, 10)),
        "security_plan" => ("02/KH-UBND", d(2013, 5, 12)),
        "registration" => ("03/ĐK", d(2013, 5, 15)),
        "internal_rules" => ("04/NQ", d(2013, 5, 16)),
        "self_management_model" => ("05/QĐ", d(2013, 5, 17)),
        "coordination_plan" => ("06/KHPH", d(2013, 5, 18)),
        "parents_coordination" => ("07/KHPH", d(2013, 5, 19)),
        "worship_program" => ("08/CT", d(2013, 5, 20)),
        "visitor_guide_map" => ("09/SĐ", d(2013, 5, 21)),
        other => panic!("no document builder for `{other}`"),
    };
    Document { kind: kind.into(), date: Some(date), number: Some(number.into()) }
}

pub fn commitment(group: &str, signed: u32, total: u32) -> Commitment {
    Commitment::new(group, signed, total)
}

/// An incident of `kind` on `date`, inside the territory, not by the unit's own people,
/// severity and reporting not recorded.
pub fn incident(kind: &str, date: NaiveDate) -> Incident {
    Incident::new(kind, date)
}

/// Chainable adjustments of an [`Incident`].
pub trait IncidentExt: Sized {
    fn severity(self, s: Severity) -> Self;
    fn outside(self) -> Self;
    fn by_own_people(self) -> Self;
    fn reported(self, promptly: bool) -> Self;
    fn note(self, note: &str) -> Self;
}

impl IncidentExt for Incident {
    fn severity(mut self, s: Severity) -> Self {
        self.severity = Some(s);
        self
    }
    fn outside(mut self) -> Self {
        self.in_territory = false;
        self
    }
    fn by_own_people(mut self) -> Self {
        self.by_own_people = true;
        self
    }
    fn reported(mut self, promptly: bool) -> Self {
        self.reported_promptly = Some(promptly);
        self
    }
    fn note(mut self, note: &str) -> Self {
        self.note = Some(note.into());
        self
    }
}

pub fn discipline(force: &str, level: DisciplineLevel, date: NaiveDate, person: &str) -> Discipline {
    Discipline { person: Some(person.into()), ..Discipline::new(force, level, date) }
}

pub fn title(force: &str, scale: &str, level: &str) -> Title {
    Title { force: force.into(), scale: scale.into(), level: level.into() }
}

pub fn sub_unit(name: &str, level: Option<&str>) -> SubUnit {
    SubUnit {
        name: name.into(),
        titles: level.map(|l| SubUnitTitle { scale: "collective_labour".into(), level: l.into() }).into_iter().collect(),
    }
}

pub fn judgement(criterion: &str, part: &str, met: bool) -> Judgement {
    Judgement {
        criterion: criterion.into(),
        part: part.into(),
        met,
        inspector: Some("Đoàn kiểm tra huyện Long Hồ".into()),
        date: Some(d(2013, 10, 15)),
        note: None,
    }
}

/// Counts of the previous year, high enough that one more event of a kind does not exceed them.
pub fn previous_year() -> BTreeMap<String, u32> {
    [("crime", 5), ("traffic_accident", 3), ("labour_accident", 2), ("fire_explosion", 1), ("social_evil", 4), ("other_violation", 6)]
        .into_iter()
        .map(|(k, n)| (k.to_owned(), n))
        .collect()
}

/// The parts each unit type leaves to the inspection team's judgement.
pub fn judged_parts(unit_type: &str) -> &'static [(&'static str, &'static str)] {
    match unit_type {
        AREA => &[("1.2", "a")],
        COMMUNE => &[("2.2", "k2a")],
        AGENCY => &[("3.2", "a")],
        SCHOOL => &[("4.2", "a")],
        WORSHIP => &[("5.2", "a")],
        other => panic!("unknown unit type `{other}`"),
    }
}

/// `Phòng 01` … `Phòng 10`, each a “Tập thể lao động tiên tiến”.
pub fn ten_sub_units() -> Vec<SubUnit> {
    (1..=10).map(|i| sub_unit(&format!("Phòng {i:02}"), Some("tien_tien"))).collect()
}

/// What differs between the compliant units of each type: id, name, document kinds,
/// commitments, titles, sub-units and flags.
struct Shape(&'static str, &'static str, &'static [&'static str], Vec<Commitment>, Vec<Title>, Vec<SubUnit>, &'static [&'static str]);

/// A unit of `unit_type` that meets every part of every criterion of its type: every document,
/// 100% commitments, no incidents or discipline, the titles, the sub-units, the judgements, the
/// flags and the previous year's counts.
pub fn compliant(unit_type: &str) -> Unit {
    let Shape(id, name, docs, commitments, titles, sub_units, flags) = match unit_type {
        AREA => Shape(
            "kdc-phu-hoa",
            "Ấp Phú Hòa",
            &["party_resolution", "registration", "self_management_model"],
            vec![commitment("households", 250, 250)],
            vec![title("grassroots_security", "task_rating", "hoan_thanh_tot")],
            vec![],
            &[],
        ),
        COMMUNE => Shape(
            "xa-long-phuoc",
            "Xã Long Phước",
            &["party_resolution", "security_plan", "registration", "self_management_model"],
            vec![],
            vec![title("commune_police", "police_unit", "don_vi_tien_tien")],
            vec![],
            &[],
        ),
        AGENCY => Shape(
            "cty-cap-nuoc",
            "Công ty Cấp nước Vĩnh Long",
            &["party_resolution", "security_plan", "registration", "internal_rules", "coordination_plan", "self_management_model"],
            vec![commitment("staff", 120, 120)],
            vec![title("protection_force", "collective_labour", "tien_tien")],
            ten_sub_units(),
            &["party_organisation"],
        ),
        SCHOOL => Shape(
            "thpt-luu-van-liet",
            "Trường THCS và THPT Lưu Văn Liệt",
            &[
                "party_resolution",
                "security_plan",
                "registration",
                "internal_rules",
                "coordination_plan",
                "parents_coordination",
                "self_management_model",
            ],
            vec![
                commitment("staff", 15, 15),
                commitment("teachers", 45, 45),
                commitment("learners_lower_secondary", 420, 420),
                commitment("learners_upper_secondary", 380, 380),
            ],
            vec![title("protection_force", "collective_labour", "tien_tien")],
            ten_sub_units(),
            &["party_organisation", "general_education", "protection_force"],
        ),
        WORSHIP => Shape(
            "chua-tien-chau",
            "Chùa Tiên Châu",
            &[
                "worship_program",
                "security_plan",
                "registration",
                "internal_rules",
                "coordination_plan",
                "visitor_guide_map",
                "self_management_model",
            ],
            vec![commitment("dignitaries", 3, 3), commitment("officials", 12, 12), commitment("followers", 850, 850)],
            vec![],
            vec![],
            &[],
        ),
        other => panic!("unknown unit type `{other}`"),
    };
    Unit {
        id: UnitId(id.into()),
        name: name.into(),
        unit_type: unit_type.into(),
        parent: None,
        flags: flags.iter().map(|f| ((*f).to_owned(), true)).collect(),
        attributes: BTreeMap::new(),
        documents: Some(docs.iter().map(|k| doc(k)).collect()),
        commitments: Some(commitments),
        incidents: Some(vec![]),
        previous_year: Some(previous_year()),
        discipline: Some(vec![]),
        titles: Some(titles),
        sub_units: Some(sub_units),
        judgements: judged_parts(unit_type).iter().map(|(c, p)| judgement(c, p, true)).collect(),
        scores: None,
    }
}

/// A compliant residential area `Ấp NN` (id `kdc-NN`) of the commune.
pub fn area(i: usize) -> Unit {
    let mut u = compliant(AREA);
    u.id = UnitId(format!("kdc-{i:02}"));
    u.name = format!("Ấp {i:02}");
    u.parent = Some(UnitId("xa-long-phuoc".into()));
    u
}

// ----------------------------------------------------------------------------------------------
// Adjusting a unit

pub fn drop_doc(u: &mut Unit, kind: &str) {
    u.documents.get_or_insert_with(Vec::new).retain(|d| d.kind != kind);
}

pub fn push_incident(u: &mut Unit, i: Incident) {
    u.incidents.get_or_insert_with(Vec::new).push(i);
}

pub fn push_discipline(u: &mut Unit, x: Discipline) {
    u.discipline.get_or_insert_with(Vec::new).push(x);
}

/// Replaces the count of `group` (or adds it).
pub fn set_commitment(u: &mut Unit, group: &str, signed: u32, total: u32) {
    let list = u.commitments.get_or_insert_with(Vec::new);
    list.retain(|c| c.group != group);
    list.push(commitment(group, signed, total));
}

/// Replaces the title of `force` on `scale` (or adds it).
pub fn set_title(u: &mut Unit, force: &str, scale: &str, level: &str) {
    let list = u.titles.get_or_insert_with(Vec::new);
    list.retain(|t| !(t.force == force && t.scale == scale));
    list.push(title(force, scale, level));
}

/// Replaces the judgement of one part.
pub fn judge(u: &mut Unit, criterion: &str, part: &str, met: bool, note: Option<&str>) {
    u.judgements.retain(|j| !(j.criterion == criterion && j.part == part));
    let mut j = judgement(criterion, part, met);
    j.note = note.map(str::to_owned);
    u.judgements.push(j);
}

// ----------------------------------------------------------------------------------------------
// Evaluating

/// One unit with its children (for a commune: its residential areas) and their outcomes as the
/// parent sees them (`None`: undecided).
#[derive(Debug, Clone)]
pub struct Case {
    pub unit: Unit,
    pub children: Vec<(Unit, Option<bool>)>,
}

impl Case {
    /// A compliant unit; a commune gets ten compliant, recognised residential areas.
    pub fn compliant(unit_type: &str) -> Self {
        let children = if unit_type == COMMUNE { (1..=10).map(|i| (area(i), Some(true))).collect() } else { Vec::new() };
        Self { unit: compliant(unit_type), children }
    }

    pub fn report(&self) -> Report {
        self.report_with(None)
    }

    /// Evaluates the unit as the roll-up does: territorial children are its territory, every
    /// child counts with its outcome.
    pub fn report_with(&self, calendar: Option<&Calendar>) -> Report {
        let rs = rs();
        let territory: Vec<&Unit> =
            self.children.iter().map(|(u, _)| u).filter(|u| rs.unit_type(&u.unit_type).is_some_and(|t| t.territorial)).collect();
        let children: Vec<ChildOutcome<'_>> = self.children.iter().map(|(u, r)| ChildOutcome::new(u, outcome_of(*r))).collect();
        Report::of(&eval::evaluate(rs, calendar, Input { unit: &self.unit, territory: &territory, children: &children }))
    }
}

/// The outcome whose three-valued "recognised?" is `r`.
pub fn outcome_of(r: Option<bool>) -> Outcome {
    match r {
        Some(true) => Outcome::Recognised,
        Some(false) => Outcome::NotRecognised,
        None => Outcome::Incomplete,
    }
}

/// Outcomes ordered from worst to best: not recognised < incomplete < recognised.
pub fn rank(o: Outcome) -> u8 {
    match o {
        Outcome::NotRecognised => 0,
        Outcome::Incomplete => 1,
        Outcome::Recognised => 2,
        Outcome::OutOfScope => panic!("the units compared are in scope"),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartReport {
    pub id: String,
    pub status: Status,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriterionReport {
    pub id: String,
    pub status: Status,
    pub parts: Vec<PartReport>,
}

/// A verdict without borrows: outcome, registration timeliness, every status and every reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub outcome: Outcome,
    pub registration: Option<Timeliness>,
    pub criteria: Vec<CriterionReport>,
}

impl Report {
    /// The summary of a `vinh-long-2013` verdict.
    pub fn of(v: &Verdict<'_>) -> Self {
        Self::in_ruleset(v, rs())
    }

    /// The summary of a verdict, its reasons rendered with the names of `rs`.
    pub fn in_ruleset(v: &Verdict<'_>, rs: &Ruleset) -> Self {
        Self {
            outcome: v.outcome,
            registration: v.registration,
            criteria: v
                .by_criterion()
                .map(|(c, parts)| CriterionReport {
                    id: c.criterion.id.clone(),
                    status: c.status,
                    parts: parts
                        .iter()
                        .map(|p| PartReport { id: p.part.id.clone(), status: p.status, reason: reason::describe(&p.finding, rs) })
                        .collect(),
                })
                .collect(),
        }
    }

    pub fn criterion(&self, id: &str) -> &CriterionReport {
        self.criteria.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("no criterion {id} in {self:#?}"))
    }

    pub fn part(&self, criterion: &str, part: &str) -> &PartReport {
        self.criterion(criterion).parts.iter().find(|p| p.id == part).unwrap_or_else(|| panic!("no part {criterion}/{part}"))
    }

    pub fn status(&self, criterion: &str, part: &str) -> Status {
        self.part(criterion, part).status
    }

    pub fn reason(&self, criterion: &str, part: &str) -> &str {
        &self.part(criterion, part).reason
    }

    /// `criterion/part` of every part with `status`.
    pub fn with_status(&self, status: Status) -> Vec<String> {
        self.criteria.iter().flat_map(|c| c.parts.iter().filter(|p| p.status == status).map(|p| format!("{}/{}", c.id, p.id))).collect()
    }

    /// Every part and its reason, one a line, for failure messages.
    pub fn dump(&self) -> String {
        let mut s = format!("outcome {:?}\n", self.outcome);
        for c in &self.criteria {
            for p in &c.parts {
                s.push_str(&format!("  {}/{} {:?}: {}\n", c.id, p.id, p.status, p.reason));
            }
        }
        s
    }
}

/// Asserts that `reason` contains every one of `expected`.
#[track_caller]
pub fn assert_mentions(reason: &str, expected: &[&str]) {
    for e in expected {
        assert!(reason.contains(e), "reason does not mention {e:?}:\n  {reason}");
    }
}

// ----------------------------------------------------------------------------------------------
// Comparing reports

/// Part statuses from worst to best; a part that does not apply has no place on the scale.
pub fn part_rank(s: Status) -> Option<u8> {
    match s {
        Status::NotMet => Some(0),
        Status::MissingData => Some(1),
        Status::Met => Some(2),
        Status::NotApplicable => None,
    }
}

/// Nothing in `after` is better than in `before`: the outcome and every part.
pub fn assert_not_better(before: &Report, after: &Report) -> Result<(), TestCaseError> {
    prop_assert!(rank(after.outcome) <= rank(before.outcome), "outcome rose from {:?} to {:?}", before.outcome, after.outcome);
    for (b, a) in before.criteria.iter().zip(&after.criteria) {
        for (bp, ap) in b.parts.iter().zip(&a.parts) {
            match (part_rank(bp.status), part_rank(ap.status)) {
                (None, _) | (_, None) => prop_assert_eq!(bp.status, ap.status, "{}/{} changed applicability", b.id, bp.id),
                (Some(x), Some(y)) => prop_assert!(
                    y <= x,
                    "{}/{} rose from {:?} to {:?}\n  before: {}\n  after: {}",
                    b.id,
                    bp.id,
                    bp.status,
                    ap.status,
                    bp.reason,
                    ap.reason
                ),
            }
        }
    }
    Ok(())
}
