//! Properties of evaluation under `vinh-long-2013`, over generated facts drawn from the
//! ruleset's own vocabulary:
//!
//! - more bad news never helps: adding an incident or a discipline record never raises a unit's
//!   outcome (not recognised < incomplete < recognised) nor any part's status
//!   (not met < missing data < met), also through the roll-up of a commune and its areas, also
//!   when the commune's own lists are not recorded; one more person who did not sign never helps;
//! - more good news never hurts: recognising one more residential area never lowers its commune;
//! - order does not matter: the outcome, every status and every rendered reason are the same
//!   whatever the order of incidents, discipline records, documents, commitments, sub-units,
//!   judgements and children.
//!
//! Units are generated as a compliant unit with a few random changes, so that every outcome
//! occurs often.

mod common;

use std::sync::LazyLock;

use antt_core::calendar::Calendar;
use antt_core::eval::Outcome;
use antt_core::model::{
    Commitment, Discipline, DisciplineLevel, Document, Harm, Incident, Judgement, Severity, SubUnit, SubUnitTitle, Title, Unit,
};
use antt_core::rollup::{Tree, roll_up};
use chrono::{Days, NaiveDate};
use common::*;
use proptest::prelude::*;
use proptest::sample::select;

static CALENDAR: LazyLock<Calendar> = LazyLock::new(calendar);

fn codes(map: &std::collections::BTreeMap<String, String>) -> Vec<String> {
    map.keys().cloned().collect()
}

// ----------------------------------------------------------------------------------------------
// Facts over the ruleset's vocabulary

/// Mostly one busy day (so that ties in sorting keys occur), otherwise any day from November
/// 2012 to June 2014, around the 2013 year and the 2013–2014 school year.
fn date() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![1 => Just(day()), 3 => (0u64..600).prop_map(|n| d(2012, 11, 1) + Days::new(n))]
}

fn severity() -> impl Strategy<Value = Option<Severity>> {
    proptest::option::of(select(vec![
        Severity::ItNghiemTrong,
        Severity::NghiemTrong,
        Severity::RatNghiemTrong,
        Severity::DacBietNghiemTrong,
    ]))
}

fn note() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(select(vec!["vụ thứ nhất".to_owned(), "vụ thứ hai".to_owned()]))
}

fn harm() -> impl Strategy<Value = Option<Harm>> {
    proptest::option::of((0u32..3, proptest::collection::vec(0u32..=100, 0..3), select(vec![0, 99_999_999, 100_000_000, 600_000_000])))
        .prop_map(|h| h.map(|(deaths, injuries, damage_vnd)| Harm { deaths, injuries, damage_vnd }))
}

fn any_incident() -> impl Strategy<Value = Incident> {
    (
        (
            select(codes(&rs().vocabulary.incident_kinds)),
            date(),
            severity(),
            harm(),
            proptest::option::of(select(codes(&rs().vocabulary.groups))),
        ),
        (any::<bool>(), any::<bool>(), any::<bool>(), any::<Option<bool>>(), note()),
    )
        .prop_map(|((kind, date, severity, harm, group), (in_territory, by_own_people, force_majeure, reported_promptly, note))| {
            Incident {
                severity,
                harm,
                group,
                in_territory,
                by_own_people,
                force_majeure,
                reported_promptly,
                note,
                ..Incident::new(kind, date)
            }
        })
}

fn discipline_level() -> impl Strategy<Value = DisciplineLevel> {
    select(DisciplineLevel::ALL.to_vec())
}

fn discipline_record() -> impl Strategy<Value = Discipline> {
    let forces = codes(&rs().vocabulary.forces);
    (
        select(forces.clone()),
        proptest::collection::vec(select(forces), 0..2),
        discipline_level(),
        date(),
        proptest::option::of(select(vec!["Nguyễn Văn An", "Lê Thị Bình"])),
    )
        .prop_map(|(force, also_forces, level, date, person)| Discipline {
            also_forces: also_forces.into_iter().filter(|f| *f != force).collect(),
            person: person.map(str::to_owned),
            ..Discipline::new(force, level, date)
        })
}

fn document() -> impl Strategy<Value = Document> {
    (select(codes(&rs().vocabulary.documents)), proptest::option::of(date()), proptest::option::of(select(vec!["01/KH", "02/KH"])))
        .prop_map(|(kind, date, number)| Document { kind, date, number: number.map(str::to_owned) })
}

/// A figure for one group, sometimes for a second one as well.
fn commitment_of_any_group() -> impl Strategy<Value = Commitment> {
    let groups = codes(&rs().vocabulary.groups);
    (select(groups.clone()), proptest::option::of(select(groups)), 0u32..60).prop_flat_map(|(group, also, total)| {
        (0..=total).prop_map(move |signed| Commitment {
            also_groups: also.iter().filter(|g| **g != group).cloned().collect(),
            ..Commitment::new(group.clone(), signed, total)
        })
    })
}

/// A scale and one of its levels.
fn scale_level() -> impl Strategy<Value = (String, String)> {
    let scales: Vec<(String, Vec<String>)> =
        rs().vocabulary.scales.iter().map(|(code, s)| (code.clone(), s.levels.iter().map(|l| l.code.clone()).collect())).collect();
    select(scales).prop_flat_map(|(scale, levels)| (Just(scale), select(levels)))
}

fn title_of_any_force() -> impl Strategy<Value = Title> {
    (select(codes(&rs().vocabulary.forces)), scale_level()).prop_map(|(force, (scale, level))| Title { force, scale, level })
}

fn sub_units() -> impl Strategy<Value = Vec<SubUnit>> {
    let names: Vec<String> = (1..=6).map(|i| format!("Phòng {i:02}")).collect();
    proptest::collection::vec(
        (select(names), proptest::collection::vec(scale_level(), 0..3)).prop_map(|(name, titles)| SubUnit {
            name,
            titles: titles.into_iter().map(|(scale, level)| SubUnitTitle { scale, level }).collect(),
        }),
        0..12,
    )
}

fn judgement_of(unit_type: &'static str) -> impl Strategy<Value = Judgement> {
    (select(judged_parts(unit_type).to_vec()), any::<bool>(), proptest::option::of(date()), note()).prop_map(|((c, p), met, date, note)| {
        let mut j = judgement(c, p, met);
        j.date = date;
        j.note = note;
        j
    })
}

/// One change to a compliant unit.
#[derive(Debug, Clone)]
enum Change {
    DropDocument(String),
    AddDocument(Document),
    DocumentsUnrecorded,
    /// Replaces the group's count: a facts file has one count per group.
    Commitment(Commitment),
    CommitmentsUnrecorded,
    Incident(Incident),
    Incidents(Vec<Incident>),
    IncidentsUnrecorded,
    PreviousYear(String, u32),
    PreviousYearUnrecorded,
    Discipline(Discipline),
    DisciplineRecords(Vec<Discipline>),
    DisciplineUnrecorded,
    Title(Title),
    TitlesUnrecorded,
    SubUnits(Option<Vec<SubUnit>>),
    Judgement(Judgement),
    NoJudgements,
    Flag(String, Option<bool>),
}

fn change(unit_type: &'static str) -> impl Strategy<Value = Change> {
    let v = &rs().vocabulary;
    prop_oneof![
        3 => select(codes(&v.documents)).prop_map(Change::DropDocument),
        1 => document().prop_map(Change::AddDocument),
        1 => Just(Change::DocumentsUnrecorded),
        2 => commitment_of_any_group().prop_map(Change::Commitment),
        1 => Just(Change::CommitmentsUnrecorded),
        4 => any_incident().prop_map(Change::Incident),
        1 => proptest::collection::vec(any_incident(), 2..10).prop_map(Change::Incidents),
        1 => Just(Change::IncidentsUnrecorded),
        1 => (select(codes(&v.incident_kinds)), 0u32..4).prop_map(|(k, n)| Change::PreviousYear(k, n)),
        1 => Just(Change::PreviousYearUnrecorded),
        2 => discipline_record().prop_map(Change::Discipline),
        1 => proptest::collection::vec(discipline_record(), 2..6).prop_map(Change::DisciplineRecords),
        1 => Just(Change::DisciplineUnrecorded),
        2 => title_of_any_force().prop_map(Change::Title),
        1 => Just(Change::TitlesUnrecorded),
        1 => proptest::option::of(sub_units()).prop_map(Change::SubUnits),
        2 => judgement_of(unit_type).prop_map(Change::Judgement),
        1 => Just(Change::NoJudgements),
        2 => (select(codes(&v.conditions)), any::<Option<bool>>()).prop_map(|(c, b)| Change::Flag(c, b)),
    ]
}

fn apply(u: &mut Unit, change: Change) {
    match change {
        Change::DropDocument(kind) => drop_doc(u, &kind),
        Change::AddDocument(d) => u.documents.get_or_insert_default().push(d),
        Change::DocumentsUnrecorded => u.documents = None,
        Change::Commitment(c) => {
            let list = u.commitments.get_or_insert_default();
            list.retain(|x| !x.groups().any(|g| c.groups().any(|h| h == g)));
            list.push(c);
        }
        Change::CommitmentsUnrecorded => u.commitments = None,
        Change::Incident(i) => push_incident(u, i),
        Change::Incidents(list) => u.incidents.get_or_insert_default().extend(list),
        Change::IncidentsUnrecorded => u.incidents = None,
        Change::PreviousYear(k, n) => {
            u.previous_year.get_or_insert_default().insert(k, n);
        }
        Change::PreviousYearUnrecorded => u.previous_year = None,
        Change::Discipline(x) => push_discipline(u, x),
        Change::DisciplineRecords(list) => u.discipline.get_or_insert_default().extend(list),
        Change::DisciplineUnrecorded => u.discipline = None,
        Change::Title(t) => u.titles.get_or_insert_default().push(t),
        Change::TitlesUnrecorded => u.titles = None,
        Change::SubUnits(s) => u.sub_units = s,
        Change::Judgement(j) => u.judgements.push(j),
        Change::NoJudgements => u.judgements.clear(),
        Change::Flag(c, Some(b)) => {
            u.flags.insert(c, b);
        }
        Change::Flag(c, None) => {
            u.flags.remove(&c);
        }
    }
}

fn changed(mut u: Unit, changes: Vec<Change>) -> Unit {
    for c in changes {
        apply(&mut u, c);
    }
    u
}

/// A residential area `Ấp NN` of the commune with up to two changes.
fn changed_area(i: usize) -> impl Strategy<Value = Unit> {
    proptest::collection::vec(change(AREA), 0..3).prop_map(move |changes| changed(area(i), changes))
}

/// A unit of `unit_type` with up to five changes; a commune has up to twelve areas, each with
/// its own changes and an outcome (recognised, not, undecided) as the commune sees it.
fn case_of(unit_type: &'static str) -> impl Strategy<Value = Case> {
    let children = if unit_type == COMMUNE {
        (0usize..12)
            .prop_flat_map(|n| {
                (1..=n)
                    .map(|i| (changed_area(i), prop_oneof![3 => Just(Some(true)), 1 => Just(Some(false)), 1 => Just(None)]))
                    .collect::<Vec<_>>()
            })
            .boxed()
    } else {
        Just(Vec::new()).boxed()
    };
    (proptest::collection::vec(change(unit_type), 0..6), children)
        .prop_map(move |(changes, children)| Case { unit: changed(compliant(unit_type), changes), children })
}

fn any_case() -> impl Strategy<Value = Case> {
    prop_oneof![case_of(AREA), case_of(COMMUNE), case_of(AGENCY), case_of(SCHOOL), case_of(WORSHIP)]
}

fn report(case: &Case, with_calendar: bool) -> Report {
    case.report_with(with_calendar.then_some(&*CALENDAR))
}

/// A permutation of 0..32; lists are shorter and take the indices below their length.
fn permutation() -> impl Strategy<Value = Vec<usize>> {
    Just((0..32).collect::<Vec<usize>>()).prop_shuffle()
}

fn permute<T: Clone>(list: &mut [T], p: &[usize]) {
    assert!(list.len() <= p.len(), "list of {} longer than the permutation", list.len());
    let reordered: Vec<T> = p.iter().filter(|&&i| i < list.len()).map(|&i| list[i].clone()).collect();
    list.clone_from_slice(&reordered);
}

fn permute_some<T: Clone>(list: &mut Option<Vec<T>>, p: &[usize]) {
    if let Some(list) = list {
        permute(list, p);
    }
}

// ----------------------------------------------------------------------------------------------
// More bad news never helps

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn adding_an_incident_never_raises_the_outcome_or_a_part(
        mut case in any_case(),
        extra in any_incident(),
        target in any::<proptest::sample::Index>(),
        with_calendar in any::<bool>(),
    ) {
        // Adding to a list that was not recorded would be recording it, which may settle
        // missing data: the property is about recorded lists (the unit's and its areas').
        case.unit.incidents.get_or_insert_default();
        for (child, _) in &mut case.children {
            child.incidents.get_or_insert_default();
        }
        let before = report(&case, with_calendar);
        // The unit itself or, for a commune, one of its areas (its territory).
        let slot = target.index(case.children.len() + 1);
        let unit = if slot == 0 { &mut case.unit } else { &mut case.children[slot - 1].0 };
        unit.incidents.get_or_insert_default().push(extra);
        let after = report(&case, with_calendar);
        assert_not_better(&before, &after)?;
    }

    #[test]
    fn adding_a_discipline_record_never_raises_the_outcome_or_a_part(
        mut case in any_case(),
        extra in discipline_record(),
        with_calendar in any::<bool>(),
    ) {
        case.unit.discipline.get_or_insert_default();
        let before = report(&case, with_calendar);
        push_discipline(&mut case.unit, extra);
        let after = report(&case, with_calendar);
        assert_not_better(&before, &after)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// What an area recorded decides the commune even while the commune's own list is missing:
    /// one more event there never helps.
    #[test]
    fn adding_an_incident_to_an_area_never_raises_a_commune_whose_own_list_is_missing(
        mut case in case_of(COMMUNE),
        extra in any_incident(),
        target in any::<proptest::sample::Index>(),
        with_calendar in any::<bool>(),
    ) {
        prop_assume!(!case.children.is_empty());
        case.unit.incidents = None;
        let slot = target.index(case.children.len());
        case.children[slot].0.incidents.get_or_insert_default();
        let before = report(&case, with_calendar);
        push_incident(&mut case.children[slot].0, extra);
        let after = report(&case, with_calendar);
        assert_not_better(&before, &after)?;
    }

    /// 2.3 counts the grassroots security force recorded in the areas: one more record in an
    /// area never helps the commune.
    #[test]
    fn adding_a_discipline_record_to_an_area_never_raises_the_commune(
        mut case in case_of(COMMUNE),
        extra in discipline_record(),
        target in any::<proptest::sample::Index>(),
        with_calendar in any::<bool>(),
    ) {
        prop_assume!(!case.children.is_empty());
        let slot = target.index(case.children.len());
        case.children[slot].0.discipline.get_or_insert_default();
        let before = report(&case, with_calendar);
        push_discipline(&mut case.children[slot].0, extra);
        let after = report(&case, with_calendar);
        assert_not_better(&before, &after)?;
    }

    /// One more person in a group, who did not sign, never helps.
    #[test]
    fn one_more_person_who_did_not_sign_never_raises_anything(case in any_case(), pick in any::<proptest::sample::Index>()) {
        let figures = case.unit.commitments.as_ref().map_or(0, Vec::len);
        prop_assume!(figures > 0);
        let before = case.report();
        let mut after = case.clone();
        after.unit.commitments.get_or_insert_default()[pick.index(figures)].total += 1;
        assert_not_better(&before, &after.report())?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Through the roll-up the areas' own outcomes feed the commune's 2.4 as well as their
    /// events its territory: no unit of the tree may improve.
    #[test]
    fn adding_an_incident_anywhere_in_a_commune_never_raises_any_outcome(
        commune in proptest::collection::vec(change(COMMUNE), 0..4),
        areas in (1usize..10).prop_flat_map(|n| (1..=n).map(changed_area).collect::<Vec<_>>()),
        extra in any_incident(),
        target in any::<proptest::sample::Index>(),
        with_calendar in any::<bool>(),
    ) {
        let mut units = vec![changed(compliant(COMMUNE), commune)];
        units.extend(areas);
        for u in &mut units {
            u.incidents.get_or_insert_default();
        }
        let calendar = with_calendar.then_some(&*CALENDAR);
        let outcomes = |units: &[Unit]| -> Vec<Outcome> {
            let tree = Tree::new(units).unwrap_or_else(|e| panic!("{e:?}"));
            let up = roll_up(rs(), calendar, tree);
            units.iter().map(|u| up.verdict(&u.id.0).expect("every unit is evaluated").outcome).collect()
        };
        let before = outcomes(&units);
        let slot = target.index(units.len());
        push_incident(&mut units[slot], extra);
        let after = outcomes(&units);
        for ((u, b), a) in units.iter().zip(&before).zip(&after) {
            prop_assert!(rank(*a) <= rank(*b), "{} rose from {b:?} to {a:?}", u.name);
        }
    }
}

// ----------------------------------------------------------------------------------------------
// More good news never hurts

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn recognising_one_more_area_never_lowers_the_commune(
        case in case_of(COMMUNE),
        pick in any::<proptest::sample::Index>(),
        with_calendar in any::<bool>(),
    ) {
        let candidates: Vec<usize> = (0..case.children.len()).filter(|&i| case.children[i].1 != Some(true)).collect();
        prop_assume!(!candidates.is_empty());
        let before = report(&case, with_calendar);
        let mut better = case.clone();
        better.children[candidates[pick.index(candidates.len())]].1 = Some(true);
        let after = report(&better, with_calendar);
        prop_assert!(rank(after.outcome) >= rank(before.outcome), "commune fell from {:?} to {:?}", before.outcome, after.outcome);
        if before.outcome == Outcome::Recognised {
            prop_assert_eq!(after.outcome, Outcome::Recognised);
        }
        let (b, a) = (before.status("2.4", "a"), after.status("2.4", "a"));
        prop_assert!(part_rank(a) >= part_rank(b), "2.4 fell from {b:?} to {a:?}: {}", after.reason("2.4", "a"));
    }
}

// ----------------------------------------------------------------------------------------------
// Order does not matter

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn the_order_of_incidents_does_not_matter(case in any_case(), p in permutation(), with_calendar in any::<bool>()) {
        let mut shuffled = case.clone();
        permute_some(&mut shuffled.unit.incidents, &p);
        for (child, _) in &mut shuffled.children {
            permute_some(&mut child.incidents, &p);
        }
        prop_assert_eq!(report(&case, with_calendar), report(&shuffled, with_calendar));
    }

    #[test]
    fn the_order_of_discipline_records_does_not_matter(case in any_case(), p in permutation(), with_calendar in any::<bool>()) {
        let mut shuffled = case.clone();
        permute_some(&mut shuffled.unit.discipline, &p);
        prop_assert_eq!(report(&case, with_calendar), report(&shuffled, with_calendar));
    }

    #[test]
    fn the_order_of_documents_does_not_matter(case in any_case(), p in permutation(), with_calendar in any::<bool>()) {
        let mut shuffled = case.clone();
        permute_some(&mut shuffled.unit.documents, &p);
        prop_assert_eq!(report(&case, with_calendar), report(&shuffled, with_calendar));
    }

    #[test]
    fn the_order_of_commitments_does_not_matter(case in any_case(), p in permutation()) {
        let mut shuffled = case.clone();
        permute_some(&mut shuffled.unit.commitments, &p);
        prop_assert_eq!(case.report(), shuffled.report());
    }

    #[test]
    fn the_order_of_sub_units_does_not_matter(case in any_case(), p in permutation(), q in permutation()) {
        let mut shuffled = case.clone();
        permute_some(&mut shuffled.unit.sub_units, &p);
        for s in shuffled.unit.sub_units.iter_mut().flatten() {
            permute(&mut s.titles, &q);
        }
        prop_assert_eq!(case.report(), shuffled.report());
    }

    #[test]
    fn the_order_of_titles_does_not_matter(case in any_case(), p in permutation()) {
        let mut shuffled = case.clone();
        permute_some(&mut shuffled.unit.titles, &p);
        prop_assert_eq!(case.report(), shuffled.report());
    }

    #[test]
    fn the_order_of_judgements_does_not_matter(case in any_case(), p in permutation()) {
        let mut shuffled = case.clone();
        permute(&mut shuffled.unit.judgements, &p);
        prop_assert_eq!(case.report(), shuffled.report());
    }

    #[test]
    fn the_order_of_children_does_not_matter(
        case in case_of(COMMUNE),
        p in permutation(),
        with_calendar in any::<bool>(),
    ) {
        let mut shuffled = case.clone();
        permute(&mut shuffled.children, &p);
        prop_assert_eq!(report(&case, with_calendar), report(&shuffled, with_calendar));
    }
}

// ----------------------------------------------------------------------------------------------
// Records that tie on the visible sorting keys: the result does not depend on their order

/// The reports of `case` and of `case` with `list` of its unit reversed.
fn both_orders(case: &Case, reverse: impl Fn(&mut Unit), calendar: Option<&Calendar>) -> (Report, Report) {
    let mut reversed = case.clone();
    reverse(&mut reversed.unit);
    (case.report_with(calendar), reversed.report_with(calendar))
}

#[test]
fn two_documents_of_a_kind_read_the_same_in_either_order() {
    let mut case = Case::compliant(AGENCY);
    let mut amended = doc("coordination_plan");
    amended.number = Some("06b/KHPH".into());
    amended.date = Some(d(2013, 7, 1));
    case.unit.documents.get_or_insert_default().push(amended);
    let (a, b) = both_orders(&case, |u| u.documents.get_or_insert_default().reverse(), None);
    assert_eq!(a.reason("3.2", "b"), b.reason("3.2", "b"));
}

#[test]
fn two_registrations_are_on_time_or_late_in_either_order() {
    let mut case = Case::compliant(AREA);
    let mut late = doc("registration");
    late.date = Some(d(2013, 5, 30));
    late.number = Some("03b/ĐK".into());
    case.unit.documents.get_or_insert_default().push(late);
    let (a, b) = both_orders(&case, |u| u.documents.get_or_insert_default().reverse(), Some(&*CALENDAR));
    assert_eq!(a.registration, b.registration);
}

#[test]
fn two_crimes_of_the_same_day_are_listed_in_the_same_order() {
    let mut case = Case::compliant(AREA);
    push_incident(&mut case.unit, incident("crime", day()).severity(Severity::NghiemTrong).reported(true));
    push_incident(&mut case.unit, incident("crime", day()).severity(Severity::RatNghiemTrong).reported(true));
    let (a, b) = both_orders(&case, |u| u.incidents.get_or_insert_default().reverse(), None);
    assert_eq!(a.reason("1.4", "b"), b.reason("1.4", "b"));
}

#[test]
fn discipline_of_equal_weight_on_one_day_is_listed_in_the_same_order() {
    let mut case = Case::compliant(AREA);
    let base = discipline("grassroots_security", DisciplineLevel::HaBacLuong, day(), "Nguyễn Văn An");
    push_discipline(&mut case.unit, base.clone());
    push_discipline(&mut case.unit, Discipline { level: DisciplineLevel::GiangChuc, ..base });
    let (a, b) = both_orders(&case, |u| u.discipline.get_or_insert_default().reverse(), None);
    assert_eq!(a.reason("1.5", "b"), b.reason("1.5", "b"));
}

#[test]
fn judgements_of_one_day_and_verdict_read_the_same_in_either_order() {
    let mut case = Case::compliant(AREA);
    judge(&mut case.unit, "1.2", "a", false, Some("chưa phổ biến nghị quyết"));
    let mut second = judgement("1.2", "a", false);
    second.note = Some("chưa có mô hình".into());
    case.unit.judgements.push(second);
    let (a, b) = both_orders(&case, |u| u.judgements.reverse(), None);
    assert_eq!(a.reason("1.2", "a"), b.reason("1.2", "a"));
}
