//! Evaluation: a pure function from one unit's facts, its territory and its children's outcomes
//! to a verdict in which every criterion and every part says met, not met, not applicable or
//! missing data, with the facts it rests on.

use std::cell::OnceCell;
use std::cmp::Reverse;

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::{Calendar, Timeliness, TypeCalendar};
use crate::model::{Commitment, Discipline, DisciplineLevel, Document, Incident, Judgement, Severity, SubUnit, Unit};
use crate::ruleset::{self, Check, ChildCondition, Criterion, Exclusion, Part, Ruleset, Scope};

/// The state of a part, a criterion or a child unit's condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    NotMet,
    NotApplicable,
    MissingData,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Self::Met => "Đạt",
            Self::NotMet => "Không đạt",
            Self::NotApplicable => "Không áp dụng",
            Self::MissingData => "Thiếu dữ liệu",
        }
    }

    /// Combines the statuses of the parts of one whole: any failure fails it; otherwise any gap
    /// leaves it undecided; it does not apply only when nothing in it applies.
    pub fn combine(statuses: impl IntoIterator<Item = Status>) -> Status {
        let (mut missing, mut applies, mut any) = (false, false, false);
        for s in statuses {
            any = true;
            match s {
                Self::NotMet => return Self::NotMet,
                Self::MissingData => missing = true,
                Self::Met => applies = true,
                Self::NotApplicable => {}
            }
        }
        if missing {
            Self::MissingData
        } else if applies || !any {
            Self::Met
        } else {
            Self::NotApplicable
        }
    }
}

/// A unit's overall result under a ruleset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Recognised,
    NotRecognised,
    /// Nothing fails, but some data is missing: no decision yet.
    Incomplete,
    /// The ruleset does not cover this unit.
    OutOfScope,
}

impl Outcome {
    pub fn name(self) -> &'static str {
        match self {
            Self::Recognised => "Đạt chuẩn",
            Self::NotRecognised => "Chưa đạt chuẩn",
            Self::Incomplete => "Chưa đủ dữ liệu",
            Self::OutOfScope => "Ngoài phạm vi",
        }
    }

    /// As a three-valued "recognised?": unknown while data is missing.
    pub fn recognised(self) -> Option<bool> {
        match self {
            Self::Recognised => Some(true),
            Self::NotRecognised => Some(false),
            Self::Incomplete | Self::OutOfScope => None,
        }
    }
}

/// A child unit as its parent's criteria see it.
#[derive(Debug, Clone, Copy)]
pub struct ChildOutcome<'a> {
    pub unit: &'a Unit,
    /// `None` while the child's documents are not recorded.
    pub registered: Option<bool>,
    /// `None` while the child's verdict is undecided.
    pub recognised: Option<bool>,
}

impl<'a> ChildOutcome<'a> {
    pub fn new(unit: &'a Unit, outcome: Outcome) -> Self {
        let registered = unit.documents.as_ref().map(|docs| docs.iter().any(|d| d.kind == REGISTRATION));
        Self { unit, registered, recognised: outcome.recognised() }
    }
}

/// The document kind that is the unit's registration to strive for the standard.
pub const REGISTRATION: &str = "registration";

/// Everything one evaluation reads.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a, 's> {
    pub unit: &'a Unit,
    /// Child units whose events happen in this unit's territory (a commune's residential areas).
    pub territory: &'s [&'a Unit],
    /// The unit's children in scope of the ruleset, with their outcomes.
    pub children: &'s [ChildOutcome<'a>],
}

/// An incident and, when it was recorded in a territorial child, where.
#[derive(Debug, Clone, Copy)]
pub struct Located<'a> {
    pub incident: &'a Incident,
    pub place: Option<&'a Unit>,
}

/// The facts a part's status rests on.
#[derive(Debug, Clone)]
pub enum Finding<'a> {
    ConditionFalse {
        condition: &'a str,
    },
    ConditionUnknown {
        condition: &'a str,
    },
    NotRecorded {
        what: &'static str,
    },
    Document {
        kind: &'a str,
        found: Option<&'a Document>,
        deadline: Option<NaiveDate>,
    },
    Commitments {
        counted: Vec<&'a Commitment>,
        absent: Vec<&'a str>,
        left_out: Vec<&'a Commitment>,
        at_least_percent: u32,
    },
    Events {
        kinds: &'a [String],
        at_least: Option<Severity>,
        scope: Scope,
        counted: Vec<Located<'a>>,
        severity_unknown: Vec<Located<'a>>,
        force_majeure: Vec<Located<'a>>,
        /// Territorial children whose incidents are not recorded yet.
        unrecorded: Vec<&'a Unit>,
    },
    Reporting {
        kinds: &'a [String],
        late: Vec<Located<'a>>,
        unknown: Vec<Located<'a>>,
        reported: usize,
        unrecorded: Vec<&'a Unit>,
    },
    YearOnYear {
        rows: Vec<(&'a str, u32, u32)>,
        unrecorded: Vec<&'a Unit>,
    },
    Title {
        force: &'a str,
        scale: &'a str,
        required: &'a str,
        held: Option<&'a str>,
    },
    Discipline {
        forces: &'a [String],
        at_least: DisciplineLevel,
        counted: Vec<&'a Discipline>,
        below: Vec<&'a Discipline>,
    },
    Children {
        unit_types: &'a [String],
        condition: ChildCondition,
        yes: Vec<&'a Unit>,
        no: Vec<&'a Unit>,
        unknown: Vec<&'a Unit>,
        needed: u32,
    },
    SubUnits {
        scale: &'a str,
        level: &'a str,
        with: usize,
        without: Vec<&'a SubUnit>,
        total: usize,
        needed: u32,
    },
    Judgement {
        found: Option<&'a Judgement>,
    },
}

#[derive(Debug, Clone)]
pub struct PartResult<'a> {
    pub part: &'a Part,
    pub status: Status,
    pub finding: Finding<'a>,
}

#[derive(Debug, Clone)]
pub struct CriterionResult<'a> {
    pub criterion: &'a Criterion,
    pub status: Status,
    pub parts: Vec<PartResult<'a>>,
}

/// Why a unit is out of scope, or what is missing to know whether it is.
#[derive(Debug, Clone)]
pub enum ScopeNote<'a> {
    TypeNotCovered,
    Excluded(&'a Exclusion),
    /// The attribute an exclusion depends on is not recorded.
    AttributeUnknown(&'a Exclusion),
}

#[derive(Debug, Clone)]
pub struct Verdict<'a> {
    pub unit: &'a Unit,
    pub outcome: Outcome,
    pub scope: Vec<ScopeNote<'a>>,
    /// When the registration was dated and a deadline is known: on time or late.
    pub registration: Option<Timeliness>,
    pub criteria: Vec<CriterionResult<'a>>,
}

/// Evaluates one unit. `calendar`, when given, limits events and discipline to the unit type's
/// evaluation period and supplies deadlines.
pub fn evaluate<'a>(ruleset: &'a Ruleset, calendar: Option<&Calendar>, input: Input<'a, '_>) -> Verdict<'a> {
    let unit = input.unit;
    let mut scope = Vec::new();
    if ruleset.unit_type(&unit.unit_type).is_none() {
        scope.push(ScopeNote::TypeNotCovered);
    }
    for x in ruleset.exclusions.iter().filter(|x| x.unit_type.as_ref().is_none_or(|t| *t == unit.unit_type)) {
        match unit.attributes.get(&x.attribute) {
            Some(v) if x.values.contains(v) => scope.push(ScopeNote::Excluded(x)),
            Some(_) => {}
            None => scope.push(ScopeNote::AttributeUnknown(x)),
        }
    }
    let out_of_scope = scope.iter().any(|n| matches!(n, ScopeNote::TypeNotCovered | ScopeNote::Excluded(_)));
    if out_of_scope {
        scope.retain(|n| !matches!(n, ScopeNote::AttributeUnknown(_)));
        return Verdict { unit, outcome: Outcome::OutOfScope, scope, registration: None, criteria: Vec::new() };
    }
    let dates = calendar.and_then(|c| c.by_type.get(&unit.unit_type));
    let registration = match (unit.registration_date(), dates) {
        (Some(submitted), Some(d)) => Some(Timeliness::of(submitted, d.registration_deadline)),
        _ => None,
    };
    let evaluator = Evaluator { ruleset, input, dates, incidents: OnceCell::new() };
    // Sized up front: collecting from a filter would grow and move the vector for most units.
    let mut criteria: Vec<CriterionResult<'a>> = Vec::with_capacity(ruleset.criteria_for(&unit.unit_type).count());
    criteria.extend(ruleset.criteria_for(&unit.unit_type).map(|criterion| {
        let parts: Vec<PartResult<'a>> = criterion.parts.iter().map(|part| evaluator.part(criterion, part)).collect();
        CriterionResult { criterion, status: Status::combine(parts.iter().map(|p| p.status)), parts }
    }));
    let outcome = match Status::combine(criteria.iter().map(|c| c.status)) {
        Status::NotMet => Outcome::NotRecognised,
        Status::MissingData => Outcome::Incomplete,
        _ if !scope.is_empty() => Outcome::Incomplete,
        _ => Outcome::Recognised,
    };
    Verdict { unit, outcome, scope, registration, criteria }
}

struct Evaluator<'a, 's, 'c> {
    ruleset: &'a Ruleset,
    input: Input<'a, 's>,
    dates: Option<&'c TypeCalendar>,
    /// The incidents the event checks look at, gathered on first use: a commune has a dozen
    /// event checks over the incidents of all its residential areas.
    incidents: OnceCell<Option<Vec<Located<'a>>>>,
}

impl<'a> Evaluator<'a, '_, '_> {
    fn part(&self, criterion: &'a Criterion, part: &'a Part) -> PartResult<'a> {
        let unit = self.input.unit;
        let (status, finding) = match part.when.as_deref().map(|c| (c, unit.flags.get(c))) {
            Some((condition, Some(false))) => (Status::NotApplicable, Finding::ConditionFalse { condition }),
            Some((condition, None)) => (Status::MissingData, Finding::ConditionUnknown { condition }),
            _ => self.check(criterion, part),
        };
        PartResult { part, status, finding }
    }

    fn in_period(&self, d: NaiveDate) -> bool {
        self.dates.is_none_or(|c| c.in_period(d))
    }

    /// The unit's own incidents and those of its territory, within the evaluation period;
    /// `None` when the unit's own incidents are not recorded.
    fn incidents(&self) -> Option<&[Located<'a>]> {
        self.incidents
            .get_or_init(|| {
                let own = self.input.unit.incidents.as_deref()?;
                let territory = self.input.territory;
                // Sized for everything up front: a commune gathers hundreds of incidents.
                let mut all =
                    Vec::with_capacity(own.len() + territory.iter().map(|c| c.incidents.as_ref().map_or(0, Vec::len)).sum::<usize>());
                all.extend(own.iter().map(|incident| Located { incident, place: None }));
                for &child in territory {
                    all.extend(child.incidents.iter().flatten().map(|incident| Located { incident, place: Some(child) }));
                }
                all.retain(|l| self.in_period(l.incident.date));
                Some(all)
            })
            .as_deref()
    }

    /// Territorial children (a commune's residential areas) whose incidents are not recorded:
    /// until they are, "nothing happened" cannot be said of the whole territory.
    fn unrecorded_territory(&self) -> Vec<&'a Unit> {
        let mut units: Vec<&'a Unit> = self.input.territory.iter().copied().filter(|u| u.incidents.is_none()).collect();
        units.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
        units
    }

    fn check(&self, criterion: &'a Criterion, part: &'a Part) -> (Status, Finding<'a>) {
        let unit = self.input.unit;
        let not_recorded = |what| (Status::MissingData, Finding::NotRecorded { what });
        match &part.check {
            Check::Document(c) => {
                let Some(docs) = unit.documents.as_deref() else { return not_recorded("danh sách tài liệu") };
                // With several of a kind, the earliest dated one counts (it is the one that can be on
                // time), whatever order they were recorded in.
                let found = docs.iter().filter(|d| d.kind == c.kind).min_by_key(|d| (d.date.is_none(), d.date, d.number.as_deref()));
                let deadline = if c.by_registration_deadline { self.dates.map(|d| d.registration_deadline) } else { None };
                let status = match (found, deadline) {
                    (None, _) => Status::NotMet,
                    (Some(_), None) => Status::Met,
                    (Some(d), Some(deadline)) => match d.date {
                        None => Status::MissingData,
                        Some(date) if date <= deadline => Status::Met,
                        Some(_) => Status::NotMet,
                    },
                };
                (status, Finding::Document { kind: &c.kind, found, deadline })
            }
            Check::CommitmentRatio(c) => {
                let Some(list) = unit.commitments.as_deref() else { return not_recorded("số liệu ký cam kết") };
                let mut counted: Vec<&Commitment> = list.iter().filter(|x| c.groups.contains(&x.group)).collect();
                counted.sort_by(|a, b| a.group.cmp(&b.group));
                let mut left_out: Vec<&Commitment> = list.iter().filter(|x| c.not_counted.contains(&x.group)).collect();
                left_out.sort_by(|a, b| a.group.cmp(&b.group));
                let absent: Vec<&str> = c.required.iter().filter(|g| !counted.iter().any(|x| &x.group == *g)).map(String::as_str).collect();
                let signed: u64 = counted.iter().map(|x| u64::from(x.signed)).sum();
                let total: u64 = counted.iter().map(|x| u64::from(x.total)).sum();
                let status = if !absent.is_empty() || total == 0 {
                    Status::MissingData
                } else if signed * 100 >= u64::from(c.at_least_percent) * total {
                    Status::Met
                } else {
                    Status::NotMet
                };
                (status, Finding::Commitments { counted, absent, left_out, at_least_percent: c.at_least_percent })
            }
            Check::NoEvent(c) => {
                let Some(incidents) = self.incidents() else { return not_recorded("danh sách vụ việc") };
                let (mut counted, mut severity_unknown, mut force_majeure) = (Vec::new(), Vec::new(), Vec::new());
                for &l in incidents.iter().filter(|l| in_scope(c.scope, l.incident) && c.kinds.contains(&l.incident.kind)) {
                    if c.except_force_majeure && l.incident.force_majeure {
                        force_majeure.push(l);
                    } else {
                        match (c.at_least, l.incident.severity) {
                            (None, _) => counted.push(l),
                            (Some(min), Some(s)) if s >= min => counted.push(l),
                            (Some(_), Some(_)) => {}
                            (Some(_), None) => severity_unknown.push(l),
                        }
                    }
                }
                for list in [&mut counted, &mut severity_unknown, &mut force_majeure] {
                    sort_located(list);
                }
                let unrecorded = self.unrecorded_territory();
                let status = if !counted.is_empty() {
                    Status::NotMet
                } else if !severity_unknown.is_empty() || !unrecorded.is_empty() {
                    Status::MissingData
                } else {
                    Status::Met
                };
                let finding = Finding::Events {
                    kinds: &c.kinds,
                    at_least: c.at_least,
                    scope: c.scope,
                    counted,
                    severity_unknown,
                    force_majeure,
                    unrecorded,
                };
                (status, finding)
            }
            Check::EventsReported(c) => {
                let Some(incidents) = self.incidents() else { return not_recorded("danh sách vụ việc") };
                let (mut late, mut unknown, mut reported) = (Vec::new(), Vec::new(), 0);
                for &l in incidents.iter().filter(|l| l.incident.in_territory && c.kinds.contains(&l.incident.kind)) {
                    match l.incident.reported_promptly {
                        Some(true) => reported += 1,
                        Some(false) => late.push(l),
                        None => unknown.push(l),
                    }
                }
                sort_located(&mut late);
                sort_located(&mut unknown);
                let unrecorded = self.unrecorded_territory();
                let status = if !late.is_empty() {
                    Status::NotMet
                } else if !unknown.is_empty() || !unrecorded.is_empty() {
                    Status::MissingData
                } else {
                    Status::Met
                };
                (status, Finding::Reporting { kinds: &c.kinds, late, unknown, reported, unrecorded })
            }
            Check::NotMoreThanLastYear(c) => {
                let Some(incidents) = self.incidents() else { return not_recorded("danh sách vụ việc") };
                let Some(previous) = unit.previous_year.as_ref() else { return not_recorded("số liệu năm trước") };
                // One pass over the incidents rather than one per kind; a kind the ruleset lists
                // twice is counted in both of its rows.
                let mut rows: Vec<(&str, u32, u32)> =
                    c.kinds.iter().map(|k| (k.as_str(), 0, previous.get(k).copied().unwrap_or(0))).collect();
                for l in incidents.iter().filter(|l| in_scope(c.scope, l.incident)) {
                    for row in rows.iter_mut().filter(|row| row.0 == l.incident.kind) {
                        row.1 = row.1.saturating_add(1);
                    }
                }
                let unrecorded = self.unrecorded_territory();
                // Counts only grow as missing lists arrive, so a rise already seen is final.
                let status = if rows.iter().any(|(_, now, before)| now > before) {
                    Status::NotMet
                } else if !unrecorded.is_empty() {
                    Status::MissingData
                } else {
                    Status::Met
                };
                (status, Finding::YearOnYear { rows, unrecorded })
            }
            Check::TitleAtLeast(c) => {
                let Some(titles) = unit.titles.as_deref() else { return not_recorded("danh hiệu thi đua") };
                let scale = self.scale(&c.scale);
                let held = titles
                    .iter()
                    .filter(|t| t.force == c.force && t.scale == c.scale)
                    .max_by_key(|t| scale.and_then(|s| s.rank(&t.level)))
                    .map(|t| t.level.as_str());
                let status = match (held, scale) {
                    (Some(level), Some(s)) if s.rank(level) >= s.rank(&c.level) => Status::Met,
                    _ => Status::NotMet,
                };
                (status, Finding::Title { force: &c.force, scale: &c.scale, required: &c.level, held })
            }
            Check::NoDiscipline(c) => {
                let Some(records) = unit.discipline.as_deref() else { return not_recorded("danh sách kỷ luật") };
                let (mut counted, mut below): (Vec<&Discipline>, Vec<&Discipline>) = records
                    .iter()
                    .filter(|d| c.forces.contains(&d.force) && self.in_period(d.date))
                    .partition(|d| d.level.at_least(c.at_least));
                for list in [&mut counted, &mut below] {
                    list.sort_by(|a, b| {
                        (a.date, Reverse(a.level.rank()), a.level.name(), &a.force, &a.person).cmp(&(
                            b.date,
                            Reverse(b.level.rank()),
                            b.level.name(),
                            &b.force,
                            &b.person,
                        ))
                    });
                }
                let status = if counted.is_empty() { Status::Met } else { Status::NotMet };
                (status, Finding::Discipline { forces: &c.forces, at_least: c.at_least, counted, below })
            }
            Check::ShareOfChildren(c) => {
                let (mut yes, mut no, mut unknown) = (Vec::new(), Vec::new(), Vec::new());
                for child in self.input.children.iter().filter(|ch| c.unit_types.contains(&ch.unit.unit_type)) {
                    let state = match c.condition {
                        ChildCondition::Registered => child.registered,
                        ChildCondition::Recognised => child.recognised,
                    };
                    match state {
                        Some(true) => yes.push(child.unit),
                        Some(false) => no.push(child.unit),
                        None => unknown.push(child.unit),
                    }
                }
                for list in [&mut yes, &mut no, &mut unknown] {
                    list.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
                }
                let total = u32::try_from(yes.len() + no.len() + unknown.len()).unwrap_or(u32::MAX);
                let needed = ruleset::needed_for(c.at_least_percent, total);
                let (y, u) = (yes.len() as u64, unknown.len() as u64);
                let status = if total == 0 {
                    Status::MissingData
                } else if y >= u64::from(needed) {
                    Status::Met
                } else if y + u < u64::from(needed) {
                    Status::NotMet
                } else {
                    Status::MissingData
                };
                (status, Finding::Children { unit_types: &c.unit_types, condition: c.condition, yes, no, unknown, needed })
            }
            Check::ShareOfSubUnits(c) => {
                let Some(subs) = unit.sub_units.as_deref() else { return not_recorded("danh sách đầu mối trực thuộc") };
                let scale = self.scale(&c.scale);
                let required = scale.and_then(|s| s.rank(&c.level));
                let holds = |s: &SubUnit| s.titles.iter().any(|t| t.scale == c.scale && scale.and_then(|sc| sc.rank(&t.level)) >= required);
                let mut without: Vec<&SubUnit> = subs.iter().filter(|s| !holds(s)).collect();
                without.sort_by(|a, b| a.name.cmp(&b.name));
                let total = subs.len();
                let with = total - without.len();
                let needed = ruleset::needed_for(c.at_least_percent, u32::try_from(total).unwrap_or(u32::MAX));
                let status = if total == 0 {
                    Status::NotApplicable
                } else if with as u64 >= u64::from(needed) {
                    Status::Met
                } else {
                    Status::NotMet
                };
                (status, Finding::SubUnits { scale: &c.scale, level: &c.level, with, without, total, needed })
            }
            Check::Judgement => {
                // The latest judgement decides; on the same day a "not met" outweighs a "met"; the
                // note and inspector break remaining ties so input order never matters.
                let found = unit
                    .judgements
                    .iter()
                    .filter(|j| j.criterion == criterion.id && j.part == part.id)
                    .max_by_key(|j| (j.date, !j.met, j.note.as_deref(), j.inspector.as_deref()));
                let status = match found {
                    Some(j) if j.met => Status::Met,
                    Some(_) => Status::NotMet,
                    None => Status::MissingData,
                };
                (status, Finding::Judgement { found })
            }
        }
    }

    fn scale(&self, code: &str) -> Option<&'a ruleset::Scale> {
        self.ruleset.vocabulary.scales.get(code)
    }
}

fn in_scope(scope: Scope, i: &Incident) -> bool {
    match scope {
        Scope::Territory => i.in_territory,
        Scope::People => i.by_own_people,
        Scope::TerritoryOrPeople => i.in_territory || i.by_own_people,
        Scope::TerritoryAndPeople => i.in_territory && i.by_own_people,
    }
}

/// Orders incidents by every field, so reasons never depend on input order.
fn sort_located(list: &mut [Located<'_>]) {
    fn key<'k>(l: &Located<'k>) -> impl Ord + 'k {
        let i = l.incident;
        (
            i.date,
            l.place.map(|u| &u.id),
            &i.kind,
            i.severity,
            &i.note,
            i.in_territory,
            i.by_own_people,
            i.force_majeure,
            i.reported_promptly,
        )
    }
    list.sort_by(|a, b| key(a).cmp(&key(b)));
}
