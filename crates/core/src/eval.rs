//! Evaluation: a pure function from one unit's facts, its territory and its children's outcomes
//! to a verdict in which every criterion and every part says met, not met, not applicable or
//! missing data, with the facts it rests on.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thin_vec::ThinVec;

use crate::calendar::{Calendar, Timeliness, TypeCalendar};
use crate::model::{Commitment, Discipline, Document, Incident, Judgement, Severity, SubUnit, Unit};
use crate::ruleset::{
    self, Check, ChildCondition, Criterion, EventsReported, Exclusion, HarmScale, HarmThreshold, NoDiscipline, NoEvent, Part, Ruleset,
    Scope, ShareOfChildren, ShareOfSubUnits, TitleAtLeast, Vocabulary,
};

/// The state of a part, a criterion or a child unit's condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    /// The child's unit type: a copy of the code the roll-up numbered its type by, read without
    /// reaching for the child's own string, long out of the cache when its parent is evaluated.
    pub unit_type: &'a str,
    /// `None` while the child's documents are not recorded.
    pub registered: Option<bool>,
    /// `None` while the child's verdict is undecided.
    pub recognised: Option<bool>,
}

impl<'a> ChildOutcome<'a> {
    pub fn new(unit: &'a Unit, outcome: Outcome) -> Self {
        Self::knowing(unit, &unit.unit_type, registered(unit), outcome)
    }

    /// As [`ChildOutcome::new`], with the unit's type (equal to its `unit_type`) and whether it
    /// registered already read.
    pub fn knowing(unit: &'a Unit, unit_type: &'a str, registered: Option<bool>, outcome: Outcome) -> Self {
        debug_assert_eq!(unit.unit_type, unit_type, "the type given is the unit's");
        Self { unit, unit_type, registered, recognised: outcome.recognised() }
    }
}

/// Whether the unit registered; `None` while its documents are not recorded.
pub fn registered(unit: &Unit) -> Option<bool> {
    unit.documents.as_ref().map(|docs| docs.iter().any(|d| d.kind == REGISTRATION))
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

/// A discipline record and, when it was recorded in a territorial child, where.
#[derive(Debug, Clone, Copy)]
pub struct PlacedDiscipline<'a> {
    pub discipline: &'a Discipline,
    pub place: Option<&'a Unit>,
}

/// How serious an event is, as far as the facts tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grade {
    /// The competent body's classification, as recorded.
    Recorded(Severity),
    /// Derived from the recorded harm by the ruleset's harm scale; `None` below every level.
    ByHarm(Option<Severity>),
    /// Neither recorded nor derivable.
    Unknown,
}

impl Grade {
    /// The grade of `incident` under `vocabulary`: its recorded severity, else what its harm
    /// reaches on the harm scale of its kind.
    pub fn of(incident: &Incident, vocabulary: &Vocabulary) -> Self {
        Self::on_scale(incident, || vocabulary.harm_scale(&incident.kind))
    }

    /// The grade of `incident` given the harm scale of its kind, looked up only when needed.
    fn on_scale<'v>(incident: &Incident, scale: impl FnOnce() -> Option<&'v HarmScale>) -> Self {
        match (incident.severity, &incident.harm) {
            (Some(s), _) => Self::Recorded(s),
            (None, Some(harm)) => scale().map_or(Self::Unknown, |scale| Self::ByHarm(scale.grade(harm))),
            (None, None) => Self::Unknown,
        }
    }

    /// Whether it is at or above `min`; `None` when unknown.
    fn at_least(self, min: Severity) -> Option<bool> {
        match self {
            Self::Recorded(s) | Self::ByHarm(Some(s)) => Some(s >= min),
            Self::ByHarm(None) => Some(false),
            Self::Unknown => None,
        }
    }
}

/// What is not yet known about an event that keeps a part undecided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Doubt {
    /// Whether it reached the harm its kind is defined by (a labour accident: was anyone killed?).
    Harm,
    /// Which group of the unit's people was involved.
    Group,
    /// The field of law of a sanction.
    Domain,
    /// How serious it was.
    Severity,
    /// Whether it was detected and reported at once.
    Reporting,
}

/// Why an event of a `no_event` check's kinds does not count. The order is the order a finding
/// lists them in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Uncounted {
    /// It would count but for something not yet known.
    Doubtful(Doubt),
    Excused(Excuse),
    /// Its field of law or group of people is not the check's.
    Other,
}

/// Why an event that would count does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Excuse {
    ForceMajeure,
    ReportedPromptly,
}

/// The facts a part's status rests on. Lists are thin (one word, no allocation while empty)
/// and checks are referred to rather than copied: a national roll-up holds 2.7 million findings,
/// and each fits in 40 bytes (a test holds it there).
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
        counted: ThinVec<&'a Commitment>,
        /// Required groups without figures; several codes where any one of them would do.
        absent: ThinVec<&'a [String]>,
        left_out: ThinVec<&'a Commitment>,
        at_least_percent: u32,
    },
    Events {
        check: &'a NoEvent,
        counted: ThinVec<Located<'a>>,
        /// The events of the check's kinds that do not count, each with why, in the order of
        /// [`Uncounted`]: one list rather than one per reason keeps every finding in 40 bytes.
        uncounted: ThinVec<(Uncounted, Located<'a>)>,
        /// Units of the territory (the unit itself first) whose incidents are not recorded yet.
        unrecorded: ThinVec<&'a Unit>,
    },
    Reporting {
        check: &'a EventsReported,
        late: ThinVec<Located<'a>>,
        unknown: ThinVec<Located<'a>>,
        reported: u32,
        unrecorded: ThinVec<&'a Unit>,
    },
    YearOnYear {
        rows: ThinVec<(&'a str, u32, u32)>,
        unrecorded: ThinVec<&'a Unit>,
    },
    Title {
        check: &'a TitleAtLeast,
        held: Option<&'a str>,
    },
    Discipline {
        check: &'a NoDiscipline,
        counted: ThinVec<PlacedDiscipline<'a>>,
        below: ThinVec<PlacedDiscipline<'a>>,
        /// Units of the territory (the unit itself first) whose discipline is not recorded yet.
        unrecorded: ThinVec<&'a Unit>,
    },
    Children {
        check: &'a ShareOfChildren,
        yes: ThinVec<&'a Unit>,
        no: ThinVec<&'a Unit>,
        unknown: ThinVec<&'a Unit>,
        needed: u32,
    },
    SubUnits {
        check: &'a ShareOfSubUnits,
        with: usize,
        without: ThinVec<&'a SubUnit>,
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
    /// Where the results of its parts are in the verdict's `parts`.
    pub parts: Range<usize>,
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
    /// The results of every criterion's parts, one criterion's after another's: one vector
    /// for a verdict rather than one for each criterion.
    pub parts: Vec<PartResult<'a>>,
}

impl<'a> Verdict<'a> {
    /// Each criterion's result with the results of its parts.
    pub fn by_criterion(&self) -> impl Iterator<Item = (&CriterionResult<'a>, &[PartResult<'a>])> {
        self.criteria.iter().map(|c| (c, &self.parts[c.parts.clone()]))
    }
}

/// Evaluates one unit. `calendar`, when given, limits events and discipline to the unit type's
/// evaluation period and supplies deadlines.
pub fn evaluate<'a>(ruleset: &'a Ruleset, calendar: Option<&Calendar>, input: Input<'a, '_>) -> Verdict<'a> {
    let prepared = Prepared::new(ruleset);
    let unit_type = input.unit.unit_type.as_str();
    let dates = calendar.and_then(|c| c.by_type.get(unit_type));
    let mut sighted = Vec::new();
    let own = prepared.sight(input.unit, &mut sighted);
    let territory: Vec<Range<usize>> = input.territory.iter().map(|u| prepared.sight(u, &mut sighted)).collect();
    let sightings = Sightings { all: &sighted, own, territory: &territory };
    prepared.evaluate(prepared.plan(unit_type), dates, input, sightings, &mut Events::default())
}

/// An incident of a kind the ruleset names, as gathering events reads it. A commune gathers
/// its residential areas' incidents long after the areas were evaluated, when they are no
/// longer in the cache: these are read once, while they are, and kept side by side.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sighting<'a> {
    incident: &'a Incident,
    kind: KindId,
    date: NaiveDate,
}

/// The sightings of the unit being evaluated and of each unit of its territory (in the order
/// of `Input::territory`): ranges of `all`.
#[derive(Debug, Clone)]
pub(crate) struct Sightings<'s, 'a> {
    pub(crate) all: &'s [Sighting<'a>],
    pub(crate) own: Range<usize>,
    pub(crate) territory: &'s [Range<usize>],
}

/// An incident kind as a number: codes the ruleset names are numbered once, so that the checks
/// over the hundreds of events of a commune compare numbers rather than strings in the heap.
type KindId = u32;

/// Hashes the ruleset's codes: short names looked up in a table of a few dozen, where SipHash's
/// protection against chosen collisions buys nothing (only the ruleset inserts) and costs most
/// of a lookup.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct CodeHasher(u64);

impl Hasher for CodeHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut mix = |word: [u8; 8]| self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x517c_c1b7_2722_0a95);
        // Whole words by value: copying every word through a slice called `memcpy` for each.
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            mix(word.try_into().expect("chunks of eight"));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            mix(word);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A table keyed by the ruleset's codes.
pub(crate) type CodeMap<'a, V> = HashMap<&'a str, V, BuildHasherDefault<CodeHasher>>;

/// An event a unit's checks look at, with its kind as a number.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Event<'a> {
    located: Located<'a>,
    kind: KindId,
}

/// The events one unit's checks look at, grouped by kind so that each check reads the runs of
/// its own kinds and skips the rest: a commune has a dozen event checks, each about a few of
/// the kinds of its areas' events. Kept by the roll-up and reused from unit to unit.
#[derive(Debug, Default)]
pub(crate) struct Events<'a> {
    /// Grouped by kind; within a kind, in the order gathered.
    by_kind: Vec<Event<'a>>,
    /// Where each kind's run starts in `by_kind`, and one more entry where the last ends.
    starts: Vec<usize>,
    /// The events as gathered, before they are grouped.
    gathered: Vec<Event<'a>>,
}

impl<'a> Events<'a> {
    fn clear(&mut self) {
        self.gathered.clear();
        self.by_kind.clear();
        self.starts.clear();
    }

    /// Groups the gathered events by kind with a counting sort: a commune's hundreds of events
    /// fall into a few dozen kinds.
    fn group(&mut self, kinds: usize) {
        self.starts.clear();
        self.by_kind.clear();
        // With nothing gathered every run is empty, and `of_kind` finds no start.
        let Some(&first) = self.gathered.first() else { return };
        self.starts.resize(kinds + 1, 0);
        for e in &self.gathered {
            self.starts[e.kind as usize + 1] += 1;
        }
        for k in 1..self.starts.len() {
            self.starts[k] += self.starts[k - 1];
        }
        self.by_kind.resize(self.gathered.len(), first);
        // `starts[k]` serves as kind k's next free place, ending where kind k + 1 starts; the
        // places are then moved back by one kind to be the starts again.
        for e in &self.gathered {
            let next = &mut self.starts[e.kind as usize];
            self.by_kind[*next] = *e;
            *next += 1;
        }
        self.starts.rotate_right(1);
        self.starts[0] = 0;
    }

    /// The events of one kind.
    fn of_kind(&self, kind: KindId) -> &[Event<'a>] {
        match (self.starts.get(kind as usize), self.starts.get(kind as usize + 1)) {
            (Some(&start), Some(&end)) => &self.by_kind[start..end],
            _ => &[],
        }
    }
}

/// The kinds one event check names, as numbers.
#[derive(Debug, Default)]
struct CheckKinds<'a> {
    /// In the check's order (a year-on-year row per kind).
    named: Vec<KindId>,
    /// For the named kinds defined as another kind with some harm: that kind and the harm.
    by_harm: Vec<(KindId, &'a HarmThreshold)>,
    /// Every kind whose events the check weighs (named or defined by harm), each once: the
    /// check reads only these kinds' runs of the events grouped by kind.
    read: Vec<KindId>,
}

impl<'a> CheckKinds<'a> {
    fn new(named: Vec<KindId>, by_harm: Vec<(KindId, &'a HarmThreshold)>) -> Self {
        let mut read: Vec<KindId> = named.iter().copied().chain(by_harm.iter().map(|(of, _)| *of)).collect();
        read.sort_unstable();
        read.dedup();
        Self { named, by_harm, read }
    }
}

/// What one part's check needs of the ruleset, looked up once rather than for every unit.
#[derive(Debug, Default)]
struct CheckPlan<'a> {
    kinds: CheckKinds<'a>,
    /// The scale of a title or sub-unit check.
    scale: Option<&'a ruleset::Scale>,
    /// The rank on that scale of the level the check requires.
    required: Option<usize>,
}

/// What evaluating a unit of one type needs.
#[derive(Debug)]
pub(crate) struct TypePlan {
    /// Indices of the type's criteria in the ruleset.
    criteria: Vec<usize>,
    /// How many parts they have in all.
    parts: usize,
    /// Whether any of them reads events, which are then gathered once for all of them.
    pub(crate) reads_events: bool,
}

/// A ruleset made ready to evaluate many units: unit types looked up once per unit, incident
/// kinds numbered.
#[derive(Debug)]
pub(crate) struct Prepared<'a> {
    ruleset: &'a Ruleset,
    types: CodeMap<'a, TypePlan>,
    /// The kinds the ruleset names, with their numbers, by the length of their code: an
    /// incident's kind is compared with the few codes of its length instead of hashed.
    kinds: Vec<Vec<(&'a str, KindId)>>,
    /// The harm scale of each kind, by number: one entry per numbered kind.
    harm_scales: Vec<Option<&'a HarmScale>>,
    /// What every part's check needs, by criterion and part index.
    checks: Vec<Vec<CheckPlan<'a>>>,
}

impl<'a> Prepared<'a> {
    pub(crate) fn new(ruleset: &'a Ruleset) -> Self {
        let v = &ruleset.vocabulary;
        let mut kinds: CodeMap<'a, KindId> = CodeMap::default();
        let mut number = |code: &'a str| {
            let next = KindId::try_from(kinds.len()).expect("fewer kinds than numbers");
            *kinds.entry(code).or_insert(next)
        };
        let check_kinds = |check: &'a Check, number: &mut dyn FnMut(&'a str) -> KindId| {
            let named = |list: &'a [String], number: &mut dyn FnMut(&'a str) -> KindId| list.iter().map(|k| number(k)).collect();
            match check {
                Check::NoEvent(c) => CheckKinds::new(
                    named(&c.kinds, number),
                    c.kinds.iter().filter_map(|k| v.harm_kinds.get(k)).map(|k| (number(&k.of), &k.harm)).collect(),
                ),
                Check::EventsReported(EventsReported { kinds })
                | Check::NotMoreThanLastYear(ruleset::NotMoreThanLastYear { kinds, .. }) => {
                    CheckKinds::new(named(kinds, number), Vec::new())
                }
                _ => CheckKinds::default(),
            }
        };
        let scale_plan = |check: &'a Check, kinds: CheckKinds<'a>| match check {
            Check::TitleAtLeast(TitleAtLeast { scale, level, .. }) | Check::ShareOfSubUnits(ShareOfSubUnits { scale, level, .. }) => {
                let scale = v.scales.get(scale);
                CheckPlan { kinds, scale, required: scale.and_then(|s| s.rank(level)) }
            }
            _ => CheckPlan { kinds, ..CheckPlan::default() },
        };
        let checks: Vec<Vec<CheckPlan<'a>>> = ruleset
            .criteria
            .iter()
            .map(|c| c.parts.iter().map(|p| scale_plan(&p.check, check_kinds(&p.check, &mut number))).collect())
            .collect();
        for code in v.incident_kinds.keys().chain(v.harm_scales.iter().flat_map(|s| &s.kinds)) {
            number(code);
        }
        let mut harm_scales = vec![None; kinds.len()];
        let mut by_length: Vec<Vec<(&'a str, KindId)>> = Vec::new();
        for (&code, &id) in &kinds {
            harm_scales[id as usize] = v.harm_scale(code);
            if by_length.len() <= code.len() {
                by_length.resize_with(code.len() + 1, Vec::new);
            }
            by_length[code.len()].push((code, id));
        }
        let types = ruleset
            .unit_types
            .iter()
            .map(|t| {
                let criteria: Vec<usize> = (0..ruleset.criteria.len()).filter(|&i| ruleset.criteria[i].unit_type == t.code).collect();
                let reads_events = criteria
                    .iter()
                    .flat_map(|&i| &ruleset.criteria[i].parts)
                    .any(|p| matches!(p.check, Check::NoEvent(_) | Check::EventsReported(_) | Check::NotMoreThanLastYear(_)));
                let parts = criteria.iter().map(|&i| ruleset.criteria[i].parts.len()).sum();
                (t.code.as_str(), TypePlan { criteria, parts, reads_events })
            })
            .collect();
        Self { ruleset, types, kinds: by_length, harm_scales, checks }
    }

    /// Appends the unit's incidents of the kinds the ruleset names to `into`, whatever their
    /// date, and says where they are.
    pub(crate) fn sight(&self, unit: &'a Unit, into: &mut Vec<Sighting<'a>>) -> Range<usize> {
        let start = into.len();
        for incident in unit.incidents.iter().flatten() {
            // A kind the ruleset never names is read by no check.
            if let Some(kind) = self.kind_of(&incident.kind) {
                into.push(Sighting { incident, kind, date: incident.date });
            }
        }
        start..into.len()
    }

    /// The number of a kind the ruleset names.
    fn kind_of(&self, code: &str) -> Option<KindId> {
        self.kinds.get(code.len())?.iter().find(|(named, _)| *named == code).map(|&(_, id)| id)
    }

    /// How units of a type are evaluated; `None` for a type the ruleset does not cover.
    pub(crate) fn plan(&self, unit_type: &str) -> Option<&TypePlan> {
        self.types.get(unit_type)
    }

    /// Evaluates one unit, given the plan and the dates of its type (looked up once per type
    /// by the roll-up) and the incidents of the unit and its territory as sighted.
    /// `events` is room for the events it gathers, reused from unit to unit.
    pub(crate) fn evaluate(
        &self,
        plan: Option<&TypePlan>,
        dates: Option<&TypeCalendar>,
        input: Input<'a, '_>,
        sightings: Sightings<'_, 'a>,
        events: &mut Events<'a>,
    ) -> Verdict<'a> {
        let ruleset = self.ruleset;
        let unit = input.unit;
        let mut scope = Vec::new();
        if plan.is_none() {
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
        let Some(plan) = plan.filter(|_| !out_of_scope) else {
            scope.retain(|n| !matches!(n, ScopeNote::AttributeUnknown(_)));
            return Verdict { unit, outcome: Outcome::OutOfScope, scope, registration: None, criteria: Vec::new(), parts: Vec::new() };
        };
        let registration = match (unit.registration_date(), dates) {
            (Some(submitted), Some(d)) => Some(Timeliness::of(submitted, d.registration_deadline)),
            _ => None,
        };
        events.clear();
        let mut unrecorded_incidents = ThinVec::new();
        if plan.reads_events {
            self.gather(input, sightings, dates, events);
            unrecorded_incidents = unrecorded(unit, input.territory, |u| u.incidents.as_ref());
        }
        let evaluator = Evaluator { prepared: self, input, dates, events, unrecorded_incidents };
        let mut parts: Vec<PartResult<'a>> = Vec::with_capacity(plan.parts);
        let criteria: Vec<CriterionResult<'a>> = plan
            .criteria
            .iter()
            .map(|&c| {
                let criterion = &ruleset.criteria[c];
                let start = parts.len();
                parts.extend(criterion.parts.iter().zip(&self.checks[c]).map(|(part, plan)| evaluator.part(criterion, part, plan)));
                let status = Status::combine(parts[start..].iter().map(|p| p.status));
                CriterionResult { criterion, status, parts: start..parts.len() }
            })
            .collect();
        let outcome = match Status::combine(criteria.iter().map(|c| c.status)) {
            Status::NotMet => Outcome::NotRecognised,
            Status::MissingData => Outcome::Incomplete,
            _ if !scope.is_empty() => Outcome::Incomplete,
            _ => Outcome::Recognised,
        };
        Verdict { unit, outcome, scope, registration, criteria, parts }
    }

    /// The recorded incidents of the unit and of its territory, within the evaluation period.
    /// What is recorded already decides a part when it shows a failure, even while other lists
    /// are missing.
    fn gather(&self, input: Input<'a, '_>, sightings: Sightings<'_, 'a>, dates: Option<&TypeCalendar>, events: &mut Events<'a>) {
        debug_assert_eq!(input.territory.len(), sightings.territory.len(), "every unit of the territory is sighted");
        let own = std::iter::once((None, sightings.own));
        let places = own.chain(input.territory.iter().zip(sightings.territory).map(|(&child, range)| (Some(child), range.clone())));
        for (place, range) in places {
            for s in sightings.all[range].iter().filter(|s| dates.is_none_or(|c| c.in_period(s.date))) {
                events.gathered.push(Event { located: Located { incident: s.incident, place }, kind: s.kind });
            }
        }
        events.group(self.harm_scales.len());
    }
}

struct Evaluator<'a, 's, 'c, 'p> {
    prepared: &'p Prepared<'a>,
    input: Input<'a, 's>,
    dates: Option<&'c TypeCalendar>,
    /// The events the event checks look at, gathered once: a commune has a dozen event checks
    /// over the incidents of all its residential areas.
    events: &'s Events<'a>,
    /// The units whose incidents are not recorded, the same for every event check.
    unrecorded_incidents: ThinVec<&'a Unit>,
}

impl<'a, 's> Evaluator<'a, 's, '_, '_> {
    /// The gathered events of the kinds a check reads, each event once.
    fn read_by(&self, kinds: &CheckKinds<'a>) -> impl Iterator<Item = &'s Event<'a>> {
        let events = self.events;
        kinds.read.iter().flat_map(move |&kind| events.of_kind(kind))
    }
}

impl<'a> Evaluator<'a, '_, '_, '_> {
    #[inline(always)]
    fn part(&self, criterion: &'a Criterion, part: &'a Part, plan: &CheckPlan<'a>) -> PartResult<'a> {
        let unit = self.input.unit;
        let (status, finding) = match part.when.as_deref().map(|c| (c, unit.flags.get(c))) {
            Some((condition, Some(false))) => (Status::NotApplicable, Finding::ConditionFalse { condition }),
            Some((condition, None)) => (Status::MissingData, Finding::ConditionUnknown { condition }),
            _ => self.check(criterion, part, plan),
        };
        PartResult { part, status, finding }
    }

    fn in_period(&self, d: NaiveDate) -> bool {
        self.dates.is_none_or(|c| c.in_period(d))
    }

    /// Where one event stands for a `no_event` check: counted, excused, doubtful or left out.
    fn weigh(&self, c: &NoEvent, kinds: &CheckKinds<'a>, event: &Event<'a>) -> Weight {
        let i = event.located.incident;
        // Each filter says yes, no or "not known yet". The kind comes first: most events are of
        // other kinds, and their number says so without reading the incident.
        let kind = if kinds.named.contains(&event.kind) {
            Some(true)
        } else {
            let defined_by_harm = kinds.by_harm.iter().filter(|(of, _)| *of == event.kind);
            defined_by_harm.map(|(_, harm)| i.harm.as_ref().map(|h| harm.reached_by(h))).max().unwrap_or(Some(false))
        };
        if kind == Some(false) || !in_scope(c.scope, i) {
            return Weight::Ignored;
        }
        let scale = || self.prepared.harm_scales.get(event.kind as usize).copied().flatten();
        let severity = c.at_least.map_or(Some(true), |min| Grade::on_scale(i, scale).at_least(min));
        if severity == Some(false) {
            return Weight::Ignored;
        }
        let listed = |filter: &[String], value: &Option<String>| match value {
            _ if filter.is_empty() => Some(true),
            Some(x) => Some(filter.contains(x)),
            None => None,
        };
        let group = listed(&c.groups, &i.group);
        let domain = listed(&c.domains, &i.domain);
        if group == Some(false) || domain == Some(false) {
            return Weight::Uncounted(Uncounted::Other);
        }
        if c.except_force_majeure && i.force_majeure {
            return Weight::Uncounted(Uncounted::Excused(Excuse::ForceMajeure));
        }
        if c.except_reported_promptly && i.reported_promptly == Some(true) {
            return Weight::Uncounted(Uncounted::Excused(Excuse::ReportedPromptly));
        }
        let doubts = [
            (kind, Doubt::Harm),
            (group, Doubt::Group),
            (domain, Doubt::Domain),
            (severity, Doubt::Severity),
            (if c.except_reported_promptly { i.reported_promptly.map(|r| !r) } else { Some(true) }, Doubt::Reporting),
        ];
        match doubts.into_iter().find(|(known, _)| known.is_none()) {
            Some((_, doubt)) => Weight::Uncounted(Uncounted::Doubtful(doubt)),
            None => Weight::Counted,
        }
    }

    fn check(&self, criterion: &'a Criterion, part: &'a Part, plan: &CheckPlan<'a>) -> (Status, Finding<'a>) {
        let unit = self.input.unit;
        let (kinds, scale) = (&plan.kinds, plan.scale);
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
                let counts = |x: &Commitment| x.groups().any(|g| c.groups.iter().any(|cg| cg == g));
                // Borrowed keys: cloning the group names for every comparison was most of the
                // allocations of a national roll-up.
                let key = |x: &&'a Commitment| (x.group.as_str(), x.also_groups.as_slice(), x.signed, x.total);
                let mut counted: ThinVec<&Commitment> = list.iter().filter(|x| counts(x)).collect();
                counted.sort_by(|a, b| key(a).cmp(&key(b)));
                let mut left_out: ThinVec<&Commitment> =
                    list.iter().filter(|x| !counts(x) && x.groups().any(|g| c.not_counted.iter().any(|n| n == g))).collect();
                left_out.sort_by(|a, b| key(a).cmp(&key(b)));
                let recorded = |g: &String| counted.iter().any(|x| x.groups().any(|h| h == g));
                let absent: ThinVec<&[String]> = c
                    .required
                    .iter()
                    .map(std::slice::from_ref)
                    .chain(c.required_one_of.iter().map(Vec::as_slice))
                    .filter(|alternatives| !alternatives.iter().any(recorded))
                    .collect();
                let signed: u64 = counted.iter().map(|x| u64::from(x.signed)).sum();
                let total: u64 = counted.iter().map(|x| u64::from(x.total)).sum();
                let reached = signed * 100 >= u64::from(c.at_least_percent) * total;
                let status = if absent.is_empty() {
                    match (total, reached) {
                        (0, _) => Status::MissingData,
                        (_, true) => Status::Met,
                        (_, false) => Status::NotMet,
                    }
                } else if c.at_least_percent >= 100 && signed < total {
                    // Whatever the missing groups hold, someone already did not sign: 100% is out
                    // of reach. Below 100% large enough missing groups could still reach it.
                    Status::NotMet
                } else {
                    Status::MissingData
                };
                (status, Finding::Commitments { counted, absent, left_out, at_least_percent: c.at_least_percent })
            }
            Check::NoEvent(c) => {
                let (mut counted, mut uncounted) = (ThinVec::new(), ThinVec::new());
                for event in self.read_by(kinds) {
                    let l = event.located;
                    match self.weigh(c, kinds, event) {
                        Weight::Counted => counted.push(l),
                        Weight::Uncounted(why) => uncounted.push((why, l)),
                        Weight::Ignored => {}
                    }
                }
                sort_located(&mut counted);
                sort_tagged(&mut uncounted);
                let unrecorded = self.unrecorded_incidents.clone();
                let doubtful = uncounted.iter().any(|(why, _)| matches!(why, Uncounted::Doubtful(_)));
                let status = if !counted.is_empty() {
                    Status::NotMet
                } else if unit.incidents.is_none() {
                    return not_recorded("danh sách vụ việc");
                } else if doubtful || !unrecorded.is_empty() {
                    Status::MissingData
                } else {
                    Status::Met
                };
                (status, Finding::Events { check: c, counted, uncounted, unrecorded })
            }
            Check::EventsReported(c) => {
                let (mut late, mut unknown, mut reported) = (ThinVec::new(), ThinVec::new(), 0);
                for l in self.read_by(kinds).filter(|e| e.located.incident.in_territory).map(|e| e.located) {
                    match l.incident.reported_promptly {
                        Some(true) => reported += 1,
                        Some(false) => late.push(l),
                        None => unknown.push(l),
                    }
                }
                sort_located(&mut late);
                sort_located(&mut unknown);
                let unrecorded = self.unrecorded_incidents.clone();
                let status = if !late.is_empty() {
                    Status::NotMet
                } else if unit.incidents.is_none() {
                    return not_recorded("danh sách vụ việc");
                } else if !unknown.is_empty() || !unrecorded.is_empty() {
                    Status::MissingData
                } else {
                    Status::Met
                };
                (status, Finding::Reporting { check: c, late, unknown, reported, unrecorded })
            }
            Check::NotMoreThanLastYear(c) => {
                let Some(previous) = unit.previous_year.as_ref() else {
                    return not_recorded(if unit.incidents.is_none() { "danh sách vụ việc" } else { "số liệu năm trước" });
                };
                // One pass over the incidents rather than one per kind; a kind the ruleset lists
                // twice is counted in both of its rows.
                let mut rows: ThinVec<(&str, u32, u32)> = c.kinds.iter().map(|k| (k.as_str(), 0, 0)).collect();
                // Last year's counts in one walk of the map, each matched by equality, which
                // compares lengths first: the map's ordered search compares the bytes of every
                // key it passes, and a search per kind walked the map again for each.
                for (key, &n) in previous {
                    for row in rows.iter_mut().filter(|r| r.0 == key.as_str()) {
                        row.2 = n;
                    }
                }
                for (row, &kind) in rows.iter_mut().zip(&kinds.named) {
                    let now = self.events.of_kind(kind).iter().filter(|e| in_scope(c.scope, e.located.incident)).count();
                    row.1 = u32::try_from(now).unwrap_or(u32::MAX);
                }
                let unrecorded = self.unrecorded_incidents.clone();
                // Counts only grow as missing lists arrive, so a rise already seen is final.
                let status = if rows.iter().any(|(_, now, before)| now > before) {
                    Status::NotMet
                } else if unit.incidents.is_none() {
                    return not_recorded("danh sách vụ việc");
                } else if !unrecorded.is_empty() {
                    Status::MissingData
                } else {
                    Status::Met
                };
                (status, Finding::YearOnYear { rows, unrecorded })
            }
            Check::TitleAtLeast(c) => {
                let Some(titles) = unit.titles.as_deref() else { return not_recorded("danh hiệu thi đua") };
                let best = titles
                    .iter()
                    .filter(|t| t.force == c.force && t.scale == c.scale)
                    .map(|t| (scale.and_then(|s| s.rank(&t.level)), t))
                    .max_by_key(|(rank, _)| *rank);
                let status = match (best, scale) {
                    (Some((rank, _)), Some(_)) if rank >= plan.required => Status::Met,
                    _ => Status::NotMet,
                };
                (status, Finding::Title { check: c, held: best.map(|(_, t)| t.level.as_str()) })
            }
            Check::NoDiscipline(c) => {
                let territory: &[&'a Unit] = if c.with_territory { self.input.territory } else { &[] };
                let own = unit.discipline.iter().flatten().map(|discipline| PlacedDiscipline { discipline, place: None });
                let others = territory
                    .iter()
                    .flat_map(|&u| u.discipline.iter().flatten().map(move |discipline| PlacedDiscipline { discipline, place: Some(u) }));
                let (mut counted, mut below): (ThinVec<_>, ThinVec<_>) = own
                    .chain(others)
                    .filter(|p| p.discipline.forces().any(|f| c.forces.iter().any(|x| x == f)) && self.in_period(p.discipline.date))
                    .partition(|p| p.discipline.level.at_least(c.at_least));
                for list in [&mut counted, &mut below] {
                    list.sort_by(|a, b| discipline_key(a).cmp(&discipline_key(b)));
                }
                let unrecorded = unrecorded(unit, territory, |u| u.discipline.as_ref());
                let status = if !counted.is_empty() {
                    Status::NotMet
                } else if unit.discipline.is_none() {
                    return not_recorded("danh sách kỷ luật");
                } else if !unrecorded.is_empty() {
                    Status::MissingData
                } else {
                    Status::Met
                };
                (status, Finding::Discipline { check: c, counted, below, unrecorded })
            }
            Check::ShareOfChildren(c) => {
                let (mut yes, mut no, mut unknown) = (ThinVec::new(), ThinVec::new(), ThinVec::new());
                for child in self.input.children.iter().filter(|ch| c.unit_types.iter().any(|t| t == ch.unit_type)) {
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
                (status, Finding::Children { check: c, yes, no, unknown, needed })
            }
            Check::ShareOfSubUnits(c) => {
                let Some(subs) = unit.sub_units.as_deref() else { return not_recorded("danh sách đầu mối trực thuộc") };
                let holds =
                    |s: &SubUnit| s.titles.iter().any(|t| t.scale == c.scale && scale.and_then(|sc| sc.rank(&t.level)) >= plan.required);
                let mut without: ThinVec<&SubUnit> = subs.iter().filter(|s| !holds(s)).collect();
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
                (status, Finding::SubUnits { check: c, with, without, total, needed })
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
}

/// Where one event stands for a `no_event` check.
enum Weight {
    Counted,
    Uncounted(Uncounted),
    /// Not of the kinds, out of the check's scope, or below the severity.
    Ignored,
}

fn in_scope(scope: Scope, i: &Incident) -> bool {
    match scope {
        Scope::Territory => i.in_territory,
        Scope::People => i.by_own_people,
        Scope::TerritoryOrPeople => i.in_territory || i.by_own_people,
        Scope::TerritoryAndPeople => i.in_territory && i.by_own_people,
    }
}

/// The unit (first) and the units of `territory` whose list, read by `list`, is not recorded:
/// until it is, "nothing happened" cannot be said of the whole territory.
fn unrecorded<'a, T>(unit: &'a Unit, territory: &[&'a Unit], list: impl Fn(&Unit) -> Option<&T>) -> ThinVec<&'a Unit> {
    let mut units: ThinVec<&'a Unit> = territory.iter().copied().filter(|u| list(u).is_none()).collect();
    units.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
    if list(unit).is_none() {
        units.insert(0, unit);
    }
    units
}

/// Orders incidents by every field, so reasons never depend on input order.
fn sort_located(list: &mut [Located<'_>]) {
    list.sort_by(|a, b| located_key(a).cmp(&located_key(b)));
}

fn located_key<'k>(l: &Located<'k>) -> impl Ord + 'k {
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
        (&i.harm, &i.domain, &i.group),
    )
}

/// Orders tagged incidents by tag, then as [`sort_located`].
fn sort_tagged<T: Ord>(list: &mut [(T, Located<'_>)]) {
    list.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| located_key(&a.1).cmp(&located_key(&b.1))));
}

/// Orders discipline records by every field, so reasons never depend on input order.
fn discipline_key<'k>(p: &PlacedDiscipline<'k>) -> impl Ord + 'k {
    let d = p.discipline;
    (d.date, Reverse(d.level.rank()), d.level.name(), p.place.map(|u| &u.id), &d.force, &d.also_forces, &d.person)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_grouped_by_kind_in_the_order_gathered() {
        let day = |d| NaiveDate::from_ymd_opt(2013, 6, d).expect("a real day");
        let incidents: Vec<Incident> = (1..=6).map(|d| Incident::new(format!("k{d}"), day(d))).collect();
        let mut events = Events::default();
        // Kinds 3, 0, 3, 1, 0, 3 of five: kinds 2 and 4 have no event.
        for (incident, kind) in incidents.iter().zip([3, 0, 3, 1, 0, 3]) {
            events.gathered.push(Event { located: Located { incident, place: None }, kind });
        }
        events.group(5);
        let days = |kind| events.of_kind(kind).iter().map(|e| e.located.incident.date).collect::<Vec<_>>();
        assert_eq!(days(0), [day(2), day(5)]);
        assert_eq!(days(1), [day(4)]);
        assert_eq!(days(2), []);
        assert_eq!(days(3), [day(1), day(3), day(6)]);
        assert_eq!(days(4), []);
        assert_eq!(days(5), [], "a kind past the last has no events");

        events.clear();
        events.group(5);
        assert!((0..5).all(|k| events.of_kind(k).is_empty()), "nothing gathered, nothing grouped");
    }

    /// A national roll-up holds millions of part results: a residential area's 18 take 1.008
    /// bytes at this size, and fit a kilobyte block, where at 72 bytes each they took 1.536.
    #[test]
    fn a_part_result_takes_56_bytes() {
        assert_eq!(size_of::<Finding<'_>>(), 40);
        assert_eq!(size_of::<PartResult<'_>>(), 56);
    }
}
