//! The TT 124/2021/TT-BCA rulesets (`tt124-2021` and, after the 2025 two-tier reform,
//! `tt124-2025`): scope exclusions, the Quarter I deadline, force majeure, the commune's wider
//! denominator, recognising authorities and the evaluation windows.

use std::collections::BTreeMap;

use antt_core::calendar::{Authority, AuthorityRule, Calendar, CalendarError, Timeliness};
use antt_core::eval::{ChildOutcome, Finding, Input, Outcome, ScopeNote, Status, Verdict, evaluate};
use antt_core::model::{
    Campaign, Commitment, Discipline, DisciplineLevel, Document, Incident, Judgement, Severity, SubUnit, SubUnitTitle, Title, Unit, UnitId,
};
use antt_core::reason::describe_scope;
use antt_core::rollup::{Tree, roll_up};
use antt_core::ruleset::{Ruleset, built_in_named};
use antt_core::scoring::Points;
use chrono::NaiveDate;

const BOTH: [&str; 2] = ["tt124-2021", "tt124-2025"];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn ruleset(id: &str) -> Ruleset {
    built_in_named(id).expect("built-in rulesets load").expect("ruleset is built in")
}

fn campaign(year: i32) -> Campaign {
    Campaign { year, plan_number: None, plan_date: date(year, 1, 10), settings: BTreeMap::new() }
}

fn calendar_for(rs: &Ruleset, campaign: &Campaign) -> Result<Calendar, CalendarError> {
    Calendar::new(&rs.timeline, rs.unit_types.iter().map(|t| &t.code), campaign, &rs.settings)
}

fn calendar(rs: &Ruleset) -> Calendar {
    calendar_for(rs, &campaign(2024)).expect("calendar for 2024")
}

fn doc(kind: &str, on: NaiveDate) -> Document {
    Document { kind: kind.into(), date: Some(on), number: None }
}

fn judged(criterion: &str, part: &str) -> Judgement {
    Judgement { criterion: criterion.into(), part: part.into(), met: true, inspector: None, date: None, note: None }
}

fn incident(kind: &str, on: NaiveDate, severity: Option<Severity>) -> Incident {
    Incident { severity, reported_promptly: Some(true), ..Incident::new(kind, on) }
}

fn title(force: &str, scale: &str, level: &str) -> Title {
    Title { force: force.into(), scale: scale.into(), level: level.into() }
}

fn discipline(force: &str, level: DisciplineLevel, on: NaiveDate) -> Discipline {
    Discipline { person: Some("Nguyễn Văn A".into()), ..Discipline::new(force, level, on) }
}

fn commitment(group: &str, signed: u32, total: u32) -> Commitment {
    Commitment::new(group, signed, total)
}

/// `count` sub-units, the first `titled` of them "Tập thể lao động tiên tiến".
fn sub_units(count: usize, titled: usize) -> Vec<SubUnit> {
    (0..count)
        .map(|i| SubUnit {
            name: format!("Tổ {}", i + 1),
            titles: if i < titled {
                vec![SubUnitTitle { scale: "collective_rating".into(), level: "tien_tien".into() }]
            } else {
                Vec::new()
            },
        })
        .collect()
}

/// A residential area of the 2024 campaign that meets every criterion of Art. 4.
fn residential_area(id: &str) -> Unit {
    Unit {
        id: UnitId(id.into()),
        name: format!("Khu dân cư {id}"),
        unit_type: "residential_area".into(),
        parent: Some(UnitId("X".into())),
        documents: Some(vec![doc("party_resolution", date(2024, 3, 15)), doc("registration", date(2024, 3, 20))]),
        commitments: Some(vec![commitment("households", 120, 120)]),
        incidents: Some(Vec::new()),
        previous_year: Some(BTreeMap::new()),
        discipline: Some(Vec::new()),
        titles: Some(vec![title("grassroots_security", "task_rating", "hoan_thanh")]),
        judgements: vec![judged("4.2", "a")],
        ..Default::default()
    }
}

/// A commune of the 2024 campaign that meets Art. 5 clauses 1–3 (clause 4 depends on children).
fn commune() -> Unit {
    Unit {
        id: UnitId("X".into()),
        name: "Xã Mẫu".into(),
        unit_type: "commune".into(),
        documents: Some(vec![
            doc("party_resolution", date(2024, 2, 1)),
            doc("security_plan", date(2024, 2, 5)),
            doc("registration", date(2024, 2, 10)),
            doc("movement_model", date(2023, 6, 1)),
        ]),
        incidents: Some(Vec::new()),
        previous_year: Some(BTreeMap::new()),
        discipline: Some(Vec::new()),
        judgements: vec![judged("5.1", "e"), judged("5.2", "k2"), judged("5.3", "a")],
        ..Default::default()
    }
}

/// A medium-sized enterprise with a party organisation that meets every criterion of Art. 6.
fn agency(id: &str) -> Unit {
    Unit {
        id: UnitId(id.into()),
        name: format!("Công ty {id}"),
        unit_type: "agency".into(),
        parent: Some(UnitId("X".into())),
        flags: BTreeMap::from([("party_organisation".into(), true)]),
        attributes: BTreeMap::from([("armed_forces".into(), "false".into()), ("enterprise_size".into(), "medium".into())]),
        documents: Some(vec![
            doc("party_resolution", date(2024, 1, 20)),
            doc("security_plan", date(2024, 2, 1)),
            doc("registration", date(2024, 2, 15)),
            doc("internal_rules", date(2022, 5, 1)),
            doc("movement_model", date(2023, 3, 1)),
        ]),
        commitments: Some(vec![commitment("staff", 85, 85)]),
        incidents: Some(Vec::new()),
        discipline: Some(Vec::new()),
        titles: Some(vec![title("protection_force", "collective_rating", "tien_tien")]),
        sub_units: Some(sub_units(4, 3)),
        judgements: vec![judged("6.2", "a"), judged("6.2", "c")],
        ..Default::default()
    }
}

/// An upper-secondary school with a party organisation and a protection force that meets every
/// criterion of Art. 7.
fn school(id: &str) -> Unit {
    Unit {
        id: UnitId(id.into()),
        name: format!("Trường THPT {id}"),
        unit_type: "school".into(),
        parent: Some(UnitId("X".into())),
        flags: BTreeMap::from([("party_organisation".into(), true), ("general_education".into(), true), ("protection_force".into(), true)]),
        attributes: BTreeMap::from([("education_level".into(), "upper_secondary".into())]),
        documents: Some(vec![
            doc("party_resolution", date(2024, 1, 25)),
            doc("security_plan", date(2024, 2, 2)),
            doc("registration", date(2024, 3, 1)),
            doc("internal_rules", date(2023, 9, 5)),
            doc("movement_model", date(2023, 9, 5)),
            doc("parents_coordination", date(2023, 9, 20)),
        ]),
        commitments: Some(vec![commitment("staff", 12, 12), commitment("teachers", 60, 60), commitment("learners", 1200, 1200)]),
        incidents: Some(Vec::new()),
        discipline: Some(Vec::new()),
        titles: Some(vec![title("protection_force", "collective_rating", "tien_tien")]),
        sub_units: Some(sub_units(7, 5)),
        judgements: vec![judged("7.2", "a"), judged("7.2", "c")],
        ..Default::default()
    }
}

fn with_children<'a>(
    rs: &'a Ruleset,
    cal: &Calendar,
    unit: &'a Unit,
    territory: &[&'a Unit],
    children: &[ChildOutcome<'a>],
) -> Verdict<'a> {
    evaluate(rs, Some(cal), Input { unit, territory, children })
}

fn alone<'a>(rs: &'a Ruleset, cal: &Calendar, unit: &'a Unit) -> Verdict<'a> {
    evaluate(rs, Some(cal), Input { unit, territory: &[], children: &[] })
}

/// The parts with `status`, as `criterion.part`.
fn parts_with(v: &Verdict<'_>, status: Status) -> Vec<String> {
    v.criteria
        .iter()
        .flat_map(|c| c.parts.iter().filter(move |p| p.status == status).map(move |p| format!("{}.{}", c.criterion.id, p.part.id)))
        .collect()
}

fn failing(v: &Verdict<'_>) -> Vec<String> {
    parts_with(v, Status::NotMet)
}

fn finding<'v, 'a>(v: &'v Verdict<'a>, criterion: &str, part: &str) -> &'v Finding<'a> {
    let c = v.criteria.iter().find(|c| c.criterion.id == criterion).expect("criterion evaluated");
    &c.parts.iter().find(|p| p.part.id == part).expect("part evaluated").finding
}

fn status(v: &Verdict<'_>, criterion: &str, part: &str) -> Status {
    let c = v.criteria.iter().find(|c| c.criterion.id == criterion).expect("criterion evaluated");
    c.parts.iter().find(|p| p.part.id == part).expect("part evaluated").status
}

#[test]
fn both_rulesets_load_with_the_four_unit_types_of_the_law() {
    for id in BOTH {
        let rs = ruleset(id);
        assert_eq!(rs.id, id);
        assert!(rs.regime.starts_with("TT 124/2021/TT-BCA"), "{id}: {}", rs.regime);
        let types: Vec<(&str, bool)> = rs.unit_types.iter().map(|t| (t.code.as_str(), t.territorial)).collect();
        assert_eq!(types, [("residential_area", true), ("commune", false), ("agency", false), ("school", false)], "{id}");
        assert_eq!(rs.unit_type_name("school"), "cơ sở giáo dục");
        assert_eq!(rs.unit_type_name("agency"), "cơ quan, doanh nghiệp");
        let ids = |t: &str| rs.criteria_for(t).map(|c| c.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids("residential_area"), ["4.1", "4.2", "4.3", "4.4", "4.5"], "{id}");
        assert_eq!(ids("commune"), ["5.1", "5.2", "5.3", "5.4"], "{id}");
        assert_eq!(ids("agency"), ["6.1", "6.2", "6.3", "6.4", "6.5"], "{id}");
        assert_eq!(ids("school"), ["7.1", "7.2", "7.3", "7.4", "7.5", "7.6"], "{id}");
        for c in &rs.criteria {
            let article = c.id.split('.').next().expect("article number");
            assert!(c.basis.contains(&format!("Điều {article} Thông tư 124/2021/TT-BCA")), "{id} {}: {}", c.id, c.basis);
        }
        let exclusions: Vec<(Option<&str>, &str, Vec<&str>)> = rs
            .exclusions
            .iter()
            .map(|x| (x.unit_type.as_deref(), x.attribute.as_str(), x.values.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            exclusions,
            [
                (Some("agency"), "armed_forces", vec!["true"]),
                (Some("agency"), "enterprise_size", vec!["micro", "small"]),
                (Some("school"), "education_level", vec!["preschool", "primary"]),
            ],
            "{id}"
        );
    }
    let old = ruleset("tt124-2021");
    assert_eq!((old.valid_from, old.valid_to), (date(2022, 2, 10), Some(date(2025, 6, 30))));
    assert!(old.settings.is_empty());
    let new = ruleset("tt124-2025");
    assert_eq!((new.valid_from, new.valid_to), (date(2025, 7, 1), None));
    let setting = new.settings.get("commune_recogniser").expect("commune_recogniser setting");
    assert_eq!(setting.default, "province_committee");
    assert_eq!(setting.allowed, ["province_committee", "commune_committee"]);
    assert_eq!(new.unit_type_name("commune"), "xã, phường, đặc khu");
}

#[test]
fn tt124_2025_keeps_the_criteria_of_tt124_2021() {
    let (old, new) = (ruleset("tt124-2021"), ruleset("tt124-2025"));
    let shape = |rs: &Ruleset| {
        rs.criteria
            .iter()
            .map(|c| {
                let parts: Vec<_> = c
                    .parts
                    .iter()
                    .map(|p| (p.id.clone(), p.when.clone(), serde_json::to_value(&p.check).expect("check serialises")))
                    .collect();
                (c.id.clone(), c.unit_type.clone(), c.basis.clone(), parts)
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(shape(&old), shape(&new));
    assert_eq!(shape(&old).iter().map(|(_, _, _, parts)| parts.len()).sum::<usize>(), 74);
    assert_eq!(serde_json::to_value(&old.vocabulary.scales).ok(), serde_json::to_value(&new.vocabulary.scales).ok());
    assert_eq!(serde_json::to_value(&old.scoring).ok(), serde_json::to_value(&new.scoring).ok());
}

#[test]
fn tt124_2025_has_no_district_level() {
    let new = ruleset("tt124-2025");
    for r in &new.timeline.authority {
        assert_ne!(r.rule, AuthorityRule::Fixed(Authority::DistrictCommittee), "{:?}", r.unit_types);
    }
    let commune_rule = new.timeline.authority.iter().find(|r| r.unit_types.iter().any(|t| t == "commune")).expect("commune rule");
    assert_eq!(commune_rule.rule, AuthorityRule::Setting("commune_recogniser".into()));
    let old = ruleset("tt124-2021");
    let commune_rule = old.timeline.authority.iter().find(|r| r.unit_types.iter().any(|t| t == "commune")).expect("commune rule");
    assert_eq!(commune_rule.rule, AuthorityRule::Fixed(Authority::DistrictCommittee));
}

#[test]
fn complete_units_of_every_type_are_recognised() {
    for id in BOTH {
        let rs = ruleset(id);
        let cal = calendar(&rs);
        for unit in [residential_area("A1"), agency("C1"), school("S1")] {
            let v = alone(&rs, &cal, &unit);
            assert_eq!(
                v.outcome,
                Outcome::Recognised,
                "{id} {}: failing {:?}, missing {:?}",
                unit.name,
                failing(&v),
                parts_with(&v, Status::MissingData)
            );
            assert!(v.scope.is_empty());
            assert_eq!(v.registration, Some(Timeliness::OnTime { deadline: date(2024, 3, 31) }));
        }
        let (a1, c1, s1, x) = (residential_area("A1"), agency("C1"), school("S1"), commune());
        let children = [
            ChildOutcome::new(&a1, Outcome::Recognised),
            ChildOutcome::new(&c1, Outcome::Recognised),
            ChildOutcome::new(&s1, Outcome::Recognised),
        ];
        let v = evaluate(&rs, Some(&cal), Input { unit: &x, territory: &[&a1], children: &children });
        assert_eq!(v.outcome, Outcome::Recognised, "{id}: failing {:?}, missing {:?}", failing(&v), parts_with(&v, Status::MissingData));
    }
}

#[test]
fn exclusions_put_units_out_of_scope_with_their_reason() {
    for id in BOTH {
        let rs = ruleset(id);
        let cal = calendar(&rs);
        let cases = [
            (agency("C1"), "armed_forces", "true", "lực lượng vũ trang"),
            (agency("C2"), "enterprise_size", "micro", "doanh nghiệp siêu nhỏ"),
            (agency("C3"), "enterprise_size", "small", "Doanh nghiệp nhỏ"),
            (school("S1"), "education_level", "primary", "tiểu học"),
            (school("S2"), "education_level", "preschool", "mầm non, nhà trẻ"),
        ];
        for (mut unit, attribute, value, phrase) in cases {
            unit.attributes.insert(attribute.into(), value.into());
            let v = alone(&rs, &cal, &unit);
            assert_eq!(v.outcome, Outcome::OutOfScope, "{id} {attribute}={value}");
            assert!(v.criteria.is_empty());
            assert_eq!(v.registration, None);
            let [ScopeNote::Excluded(x)] = v.scope.as_slice() else { panic!("{id} {attribute}={value}: {:?}", v.scope) };
            assert_eq!(x.attribute, attribute);
            assert!(x.reason.contains(phrase) && x.reason.contains("điểm b khoản 2 Điều 1"), "{}", x.reason);
            assert_eq!(describe_scope(&v.scope[0], &rs, &unit.unit_type), x.reason);
        }
        // Values outside the exclusion keep the unit in scope.
        for (mut unit, attribute, value) in [
            (agency("C4"), "enterprise_size", "large"),
            (school("S3"), "education_level", "lower_secondary"),
            (school("S4"), "education_level", "higher"),
        ] {
            unit.attributes.insert(attribute.into(), value.into());
            assert_eq!(alone(&rs, &cal, &unit).outcome, Outcome::Recognised, "{id} {attribute}={value}");
        }
    }
}

#[test]
fn a_missing_exclusion_attribute_leaves_the_unit_incomplete() {
    for id in BOTH {
        let rs = ruleset(id);
        let cal = calendar(&rs);
        for (mut unit, attribute) in [(agency("C1"), "enterprise_size"), (agency("C2"), "armed_forces"), (school("S1"), "education_level")]
        {
            unit.attributes.remove(attribute);
            let v = alone(&rs, &cal, &unit);
            assert_eq!(v.outcome, Outcome::Incomplete, "{id} without {attribute}");
            let [ScopeNote::AttributeUnknown(x)] = v.scope.as_slice() else { panic!("{id}: {:?}", v.scope) };
            assert_eq!(x.attribute, attribute);
            // Every criterion is met: only the scope is undecided.
            assert!(failing(&v).is_empty() && parts_with(&v, Status::MissingData).is_empty());
            assert!(describe_scope(&v.scope[0], &rs, &unit.unit_type).starts_with(&format!("Chưa nhập thuộc tính `{attribute}`")));
        }
        // An exclusion that applies wins over another attribute being unknown.
        let mut unit = agency("C3");
        unit.attributes.insert("armed_forces".into(), "true".into());
        unit.attributes.remove("enterprise_size");
        let v = alone(&rs, &cal, &unit);
        assert_eq!(v.outcome, Outcome::OutOfScope);
        assert!(matches!(v.scope.as_slice(), [ScopeNote::Excluded(x)] if x.attribute == "armed_forces"));
    }
}

#[test]
fn quarter_one_ends_on_31_march() {
    for id in BOTH {
        let rs = ruleset(id);
        let cal = calendar(&rs);
        for t in ["residential_area", "commune", "agency", "school"] {
            assert_eq!(cal.by_type[t].registration_deadline, date(2024, 3, 31), "{id} {t}");
        }

        let mut on_time = residential_area("A1");
        on_time.documents = Some(vec![doc("party_resolution", date(2024, 3, 31)), doc("registration", date(2024, 3, 31))]);
        let v = alone(&rs, &cal, &on_time);
        assert_eq!(v.outcome, Outcome::Recognised, "{id}");
        assert_eq!(status(&v, "4.1", "b"), Status::Met);
        assert_eq!(v.registration, Some(Timeliness::OnTime { deadline: date(2024, 3, 31) }));

        let mut late = residential_area("A2");
        late.documents = Some(vec![doc("party_resolution", date(2024, 3, 31)), doc("registration", date(2024, 4, 1))]);
        let v = alone(&rs, &cal, &late);
        assert_eq!(v.outcome, Outcome::NotRecognised, "{id}");
        assert_eq!(failing(&v), ["4.1.b"]);
        assert_eq!(v.registration, Some(Timeliness::Late { deadline: date(2024, 3, 31), days_late: 1 }));
        let Finding::Document { deadline, .. } = finding(&v, "4.1", "b") else { panic!("document finding") };
        assert_eq!(*deadline, Some(date(2024, 3, 31)));

        let mut late_resolution = residential_area("A3");
        late_resolution.documents = Some(vec![doc("party_resolution", date(2024, 4, 1)), doc("registration", date(2024, 3, 1))]);
        assert_eq!(failing(&alone(&rs, &cal, &late_resolution)), ["4.1.a"]);

        let mut undated = residential_area("A4");
        undated.documents =
            Some(vec![doc("party_resolution", date(2024, 3, 1)), Document { kind: "registration".into(), date: None, number: None }]);
        let v = alone(&rs, &cal, &undated);
        assert_eq!(v.outcome, Outcome::Incomplete);
        assert_eq!(parts_with(&v, Status::MissingData), ["4.1.b"]);

        // The same deadline for the plan of an agency and the resolution of a school.
        let mut late_plan = agency("C1");
        late_plan.documents.as_mut().expect("documents")[1] = doc("security_plan", date(2024, 4, 2));
        assert_eq!(failing(&alone(&rs, &cal, &late_plan)), ["6.1.b"]);
        let mut late_school = school("S1");
        late_school.documents.as_mut().expect("documents")[0] = doc("party_resolution", date(2024, 5, 1));
        assert_eq!(failing(&alone(&rs, &cal, &late_school)), ["7.1.a"]);
        // Internal rules and models are not tied to Quarter I.
        let mut old_rules = agency("C2");
        old_rules.documents.as_mut().expect("documents")[3] = doc("internal_rules", date(2024, 6, 1));
        assert_eq!(alone(&rs, &cal, &old_rules).outcome, Outcome::Recognised);
    }
}

#[test]
fn every_household_must_register() {
    let rs = ruleset("tt124-2021");
    let cal = calendar(&rs);
    let mut one_short = residential_area("A1");
    one_short.commitments = Some(vec![commitment("households", 119, 120)]);
    assert_eq!(failing(&alone(&rs, &cal, &one_short)), ["4.1.c"]);
    let mut unrecorded = residential_area("A2");
    unrecorded.commitments = None;
    let v = alone(&rs, &cal, &unrecorded);
    assert_eq!(v.outcome, Outcome::Incomplete);
    assert_eq!(parts_with(&v, Status::MissingData), ["4.1.c"]);
}

#[test]
fn force_majeure_is_excused_only_where_the_law_says_so() {
    for id in BOTH {
        let rs = ruleset(id);
        let cal = calendar(&rs);
        let with = |i: Incident| {
            let mut u = residential_area("A1");
            u.incidents = Some(vec![i]);
            // One crime last year, so the year-on-year part stays met.
            u.previous_year = Some(BTreeMap::from([("crime".into(), 1), ("fire_explosion".into(), 1)]));
            u
        };
        let serious_crime = incident("crime", date(2024, 5, 1), Some(Severity::NghiemTrong));

        let unit = with(Incident { force_majeure: true, ..serious_crime.clone() });
        let v = alone(&rs, &cal, &unit);
        assert_eq!(v.outcome, Outcome::Recognised, "{id}: {:?}", failing(&v));
        let Finding::Events { counted, excused, .. } = finding(&v, "4.4", "b") else { panic!("events finding") };
        assert_eq!((counted.len(), excused.len()), (0, 1));

        let unit = with(serious_crime.clone());
        let v = alone(&rs, &cal, &unit);
        assert_eq!(v.outcome, Outcome::NotRecognised);
        assert_eq!(failing(&v), ["4.4.b"]);

        // A crime below "nghiêm trọng" does not fail the part.
        let unit = with(incident("crime", date(2024, 5, 1), Some(Severity::ItNghiemTrong)));
        assert_eq!(alone(&rs, &cal, &unit).outcome, Outcome::Recognised);

        // Serious fires and fatal labour accidents: excused only when force majeure.
        let fire = incident("fire_explosion", date(2024, 7, 1), Some(Severity::RatNghiemTrong));
        assert_eq!(failing(&alone(&rs, &cal, &with(fire.clone()))), ["4.4.f"]);
        assert!(failing(&alone(&rs, &cal, &with(Incident { force_majeure: true, ..fire }))).is_empty());
        let fatal = incident("fatal_labour_accident", date(2024, 8, 1), None);
        assert_eq!(failing(&alone(&rs, &cal, &with(fatal.clone()))), ["4.4.g"]);
        assert!(failing(&alone(&rs, &cal, &with(Incident { force_majeure: true, ..fatal }))).is_empty());

        // No exception for a new hotspot, nor for school violence.
        let hotspot = Incident { force_majeure: true, ..incident("hotspot", date(2024, 6, 1), None) };
        assert_eq!(failing(&alone(&rs, &cal, &with(hotspot))), ["4.4.d"]);
        let mut s = school("S1");
        s.incidents = Some(vec![Incident { force_majeure: true, ..incident("school_violence", date(2024, 4, 10), None) }]);
        assert_eq!(failing(&alone(&rs, &cal, &s)), ["7.4.c"]);

        // A serious crime that is force majeure but was not reported at once still fails.
        let unit = with(Incident { force_majeure: true, reported_promptly: Some(false), ..serious_crime });
        assert_eq!(failing(&alone(&rs, &cal, &unit)), ["4.4.c"]);
    }
}

#[test]
fn the_evaluation_window_limits_what_counts() {
    let rs = ruleset("tt124-2021");
    let cal = calendar(&rs);
    let crime_on = |d: NaiveDate| incident("crime", d, Some(Severity::NghiemTrong));
    let mut before = residential_area("A1");
    before.incidents = Some(vec![crime_on(date(2023, 10, 31))]);
    assert_eq!(alone(&rs, &cal, &before).outcome, Outcome::Recognised);
    let mut first_day = residential_area("A2");
    first_day.incidents = Some(vec![crime_on(date(2023, 11, 1))]);
    first_day.previous_year = Some(BTreeMap::from([("crime".into(), 1)]));
    assert_eq!(failing(&alone(&rs, &cal, &first_day)), ["4.4.b"]);
    // A residential area's window closes on 31/10; an agency's runs to 15/11.
    let mut after = residential_area("A3");
    after.incidents = Some(vec![crime_on(date(2024, 11, 1))]);
    assert_eq!(alone(&rs, &cal, &after).outcome, Outcome::Recognised);
    let mut agency_last_day = agency("C1");
    agency_last_day.incidents = Some(vec![crime_on(date(2024, 11, 15))]);
    assert_eq!(failing(&alone(&rs, &cal, &agency_last_day)), ["6.3.b"]);
    let mut agency_after = agency("C2");
    agency_after.incidents = Some(vec![crime_on(date(2024, 11, 16))]);
    assert_eq!(alone(&rs, &cal, &agency_after).outcome, Outcome::Recognised);
}

#[test]
fn discipline_thresholds_differ_by_force() {
    for id in BOTH {
        let rs = ruleset(id);
        let cal = calendar(&rs);
        let reprimand = |force: &str| discipline(force, DisciplineLevel::KhienTrach, date(2024, 6, 1));

        let mut area = residential_area("A1");
        area.discipline = Some(vec![reprimand("grassroots_security")]);
        assert_eq!(failing(&alone(&rs, &cal, &area)), ["4.5.b"], "{id}: any discipline fails a residential area");

        let mut c = agency("C1");
        c.discipline = Some(vec![reprimand("staff")]);
        assert_eq!(alone(&rs, &cal, &c).outcome, Outcome::Recognised, "{id}: a reprimand alone does not fail an agency");
        c.discipline = Some(vec![discipline("staff", DisciplineLevel::CanhCao, date(2024, 6, 1))]);
        assert_eq!(failing(&alone(&rs, &cal, &c)), ["6.3.h"]);

        let mut s = school("S1");
        s.discipline = Some(vec![discipline("staff", DisciplineLevel::HaBacLuong, date(2024, 2, 1))]);
        assert_eq!(failing(&alone(&rs, &cal, &s)), ["7.4.i"]);
        let mut fined = school("S2");
        fined.incidents = Some(vec![Incident {
            by_own_people: true,
            in_territory: false,
            ..incident("administrative_sanction", date(2024, 3, 3), None)
        }]);
        assert_eq!(failing(&alone(&rs, &cal, &fined)), ["7.4.h"]);

        let a1 = residential_area("A1");
        let mut x = commune();
        x.discipline = Some(vec![reprimand("commune_police")]);
        let v = with_children(&rs, &cal, &x, &[&a1], &[ChildOutcome::new(&a1, Outcome::Recognised)]);
        assert_eq!(failing(&v), ["5.3.b"], "{id}: any discipline fails a commune");
    }
}

#[test]
fn agencies_and_schools_have_their_own_lists_of_events() {
    let rs = ruleset("tt124-2021");
    let cal = calendar(&rs);
    let strike = incident("illegal_strike", date(2024, 4, 1), None);
    let mut c = agency("C1");
    c.incidents = Some(vec![strike.clone()]);
    assert_eq!(failing(&alone(&rs, &cal, &c)), ["6.3.a"]);
    // Illegal strikes are not on a school's list.
    let mut s = school("S1");
    s.incidents = Some(vec![strike]);
    assert_eq!(alone(&rs, &cal, &s).outcome, Outcome::Recognised);
    let mut s = school("S2");
    s.incidents = Some(vec![incident("school_violence", date(2024, 4, 1), None)]);
    assert_eq!(failing(&alone(&rs, &cal, &s)), ["7.4.c"]);
    let mut c = agency("C2");
    c.incidents = Some(vec![Incident { in_territory: false, by_own_people: true, ..incident("secret_leak", date(2024, 4, 1), None) }]);
    assert_eq!(failing(&alone(&rs, &cal, &c)), ["6.3.c"]);
    let mut c = agency("C3");
    c.incidents = Some(vec![incident("environment_food_safety", date(2024, 4, 1), None)]);
    assert_eq!(failing(&alone(&rs, &cal, &c)), ["6.3.f"]);
}

#[test]
fn conditional_parts_of_a_school() {
    let rs = ruleset("tt124-2021");
    let cal = calendar(&rs);
    // A university without a party organisation, without a parents' board and without a
    // protection force: those parts do not apply.
    let mut s = school("U1");
    s.attributes.insert("education_level".into(), "higher".into());
    s.flags =
        BTreeMap::from([("party_organisation".into(), false), ("general_education".into(), false), ("protection_force".into(), false)]);
    s.documents = Some(vec![
        doc("security_plan", date(2024, 2, 2)),
        doc("registration", date(2024, 3, 1)),
        doc("internal_rules", date(2023, 9, 5)),
        doc("movement_model", date(2023, 9, 5)),
    ]);
    s.titles = Some(Vec::new());
    let v = alone(&rs, &cal, &s);
    assert_eq!(v.outcome, Outcome::Recognised, "{:?}", failing(&v));
    assert_eq!(parts_with(&v, Status::NotApplicable), ["7.1.a", "7.3.a", "7.5.a"]);
    let c73 = v.criteria.iter().find(|c| c.criterion.id == "7.3").expect("7.3");
    assert_eq!(c73.status, Status::NotApplicable);
    // Whether a party organisation exists must be known.
    s.flags.remove("party_organisation");
    let v = alone(&rs, &cal, &s);
    assert_eq!(v.outcome, Outcome::Incomplete);
    assert_eq!(parts_with(&v, Status::MissingData), ["7.1.a"]);
    // A school with learners from general education needs the plan with the parents' board.
    let mut s = school("S1");
    s.documents.as_mut().expect("documents").retain(|d| d.kind != "parents_coordination");
    assert_eq!(failing(&alone(&rs, &cal, &s)), ["7.3.a"]);
    // Teachers and learners must be counted.
    let mut s = school("S2");
    s.commitments = Some(vec![commitment("staff", 12, 12), commitment("teachers", 60, 60)]);
    assert_eq!(parts_with(&alone(&rs, &cal, &s), Status::MissingData), ["7.1.e"]);
    s.commitments = Some(vec![commitment("teachers", 60, 60), commitment("learners", 1199, 1200)]);
    assert_eq!(failing(&alone(&rs, &cal, &s)), ["7.1.e"]);
}

#[test]
fn protection_force_and_sub_unit_titles() {
    let rs = ruleset("tt124-2021");
    let cal = calendar(&rs);
    let mut c = agency("C1");
    c.titles = Some(vec![title("protection_force", "collective_rating", "hoan_thanh")]);
    assert_eq!(failing(&alone(&rs, &cal, &c)), ["6.4.a"]);
    c.titles = Some(vec![title("protection_force", "collective_rating", "xuat_sac")]);
    assert_eq!(alone(&rs, &cal, &c).outcome, Outcome::Recognised);
    // 70% of 10 sub-units is 7; of 7 it is 5 (ceil 4.9).
    c.sub_units = Some(sub_units(10, 7));
    assert_eq!(alone(&rs, &cal, &c).outcome, Outcome::Recognised);
    c.sub_units = Some(sub_units(10, 6));
    let v = alone(&rs, &cal, &c);
    assert_eq!(failing(&v), ["6.5.a"]);
    let Finding::SubUnits { with, total, needed, .. } = finding(&v, "6.5", "a") else { panic!("sub-units finding") };
    assert_eq!((*with, *total, *needed), (6, 10, 7));
    let mut s = school("S1");
    s.sub_units = Some(sub_units(7, 4));
    assert_eq!(failing(&alone(&rs, &cal, &s)), ["7.6.a"]);
}

#[test]
fn the_commune_counts_agencies_and_schools_and_needs_every_one_registered() {
    for id in BOTH {
        let rs = ruleset(id);
        let cal = calendar(&rs);
        let (a1, a2, a3, c1, s1, x) =
            (residential_area("A1"), residential_area("A2"), residential_area("A3"), agency("C1"), school("S1"), commune());
        let mut unregistered = agency("C2");
        unregistered.documents.as_mut().expect("documents").retain(|d| d.kind != "registration");
        let territory = [&a1, &a2, &a3];

        // Five units, all registered and recognised.
        let all = [
            ChildOutcome::new(&a1, Outcome::Recognised),
            ChildOutcome::new(&a2, Outcome::Recognised),
            ChildOutcome::new(&a3, Outcome::Recognised),
            ChildOutcome::new(&c1, Outcome::Recognised),
            ChildOutcome::new(&s1, Outcome::Recognised),
        ];
        let v = with_children(&rs, &cal, &x, &territory, &all);
        assert_eq!(v.outcome, Outcome::Recognised, "{id}");
        let Finding::Children { yes, no, needed, .. } = finding(&v, "5.4", "a") else { panic!("children finding") };
        assert_eq!((yes.len(), no.len(), *needed), (5, 0, 5));

        // The unregistered agency: 4 of 5 registered is not 100%, though 4 of 5 recognised is
        // at least 70% (needs 4).
        let mut some = all;
        some[3] = ChildOutcome::new(&unregistered, Outcome::NotRecognised);
        let v = with_children(&rs, &cal, &x, &territory, &some);
        assert_eq!((v.outcome, failing(&v)), (Outcome::NotRecognised, vec!["5.4.a".to_owned()]), "{id}");
        let Finding::Children { no, .. } = finding(&v, "5.4", "a") else { panic!("children finding") };
        assert_eq!(no.iter().map(|u| u.id.0.as_str()).collect::<Vec<_>>(), ["C2"]);
        let Finding::Children { yes, needed, .. } = finding(&v, "5.4", "b") else { panic!("children finding") };
        assert_eq!((yes.len(), *needed), (4, 4));

        // Every residential area recognised, but neither the agency nor the school: 3 of 5 is
        // 60%, below 70%, although the residential areas alone would be 100%.
        let mut some = all;
        some[3] = ChildOutcome::new(&c1, Outcome::NotRecognised);
        some[4] = ChildOutcome::new(&s1, Outcome::NotRecognised);
        let v = with_children(&rs, &cal, &x, &territory, &some);
        assert_eq!((v.outcome, failing(&v)), (Outcome::NotRecognised, vec!["5.4.b".to_owned()]), "{id}");
        let Finding::Children { yes, no, needed, .. } = finding(&v, "5.4", "b") else { panic!("children finding") };
        assert_eq!((yes.len(), no.len(), *needed), (3, 2, 4));

        // A child whose verdict is undecided leaves the share undecided when it could tip it.
        let mut some = all;
        some[4] = ChildOutcome::new(&s1, Outcome::Incomplete);
        some[3] = ChildOutcome::new(&c1, Outcome::NotRecognised);
        let v = with_children(&rs, &cal, &x, &territory, &some);
        assert_eq!(v.outcome, Outcome::Incomplete);
        assert_eq!(parts_with(&v, Status::MissingData), ["5.4.b"]);
    }
}

#[test]
fn roll_up_leaves_excluded_units_out_of_the_commune_denominator() {
    for id in BOTH {
        let rs = ruleset(id);
        let cal = calendar(&rs);
        let mut small = agency("C9");
        small.attributes.insert("enterprise_size".into(), "small".into());
        small.documents = Some(Vec::new());
        let units = vec![commune(), residential_area("A1"), residential_area("A2"), agency("C1"), school("S1"), small.clone()];
        let r = roll_up(&rs, Some(&cal), Tree::new(&units).expect("tree"));
        assert_eq!(r.verdict("C9").map(|v| v.outcome), Some(Outcome::OutOfScope));
        let v = r.verdict("X").expect("commune verdict");
        assert_eq!(v.outcome, Outcome::Recognised, "{id}: {:?}", failing(v));
        let Finding::Children { yes, no, unknown, .. } = finding(v, "5.4", "a") else { panic!("children finding") };
        assert_eq!((yes.len(), no.len(), unknown.len()), (4, 0, 0));

        // Without its size the small enterprise is in doubt, and so is the commune.
        small.attributes.remove("enterprise_size");
        small.documents = None;
        let units = vec![commune(), residential_area("A1"), residential_area("A2"), agency("C1"), school("S1"), small];
        let r = roll_up(&rs, Some(&cal), Tree::new(&units).expect("tree"));
        assert_eq!(r.verdict("C9").map(|v| v.outcome), Some(Outcome::Incomplete));
        let v = r.verdict("X").expect("commune verdict");
        assert_eq!(v.outcome, Outcome::Incomplete);
        assert_eq!(parts_with(v, Status::MissingData), ["5.4.a"]);

        // A serious crime in a residential area counts against the commune too.
        let mut a2 = residential_area("A2");
        a2.incidents = Some(vec![incident("crime", date(2024, 9, 9), Some(Severity::DacBietNghiemTrong))]);
        a2.previous_year = Some(BTreeMap::from([("crime".into(), 1)]));
        let mut x = commune();
        x.previous_year = Some(BTreeMap::from([("crime".into(), 1)]));
        let units = vec![x, residential_area("A1"), a2, agency("C1"), school("S1")];
        let r = roll_up(&rs, Some(&cal), Tree::new(&units).expect("tree"));
        assert_eq!(failing(r.verdict("A2").expect("A2")), ["4.4.b"]);
        // 4 of 5 recognised still reaches 70%; only the territory part fails.
        assert_eq!(failing(r.verdict("X").expect("commune")), ["5.2.k4b"]);
    }
}

#[test]
fn tt124_2025_commune_authority_is_a_campaign_setting() {
    let rs = ruleset("tt124-2025");
    let default = calendar(&rs);
    assert_eq!(default.by_type["commune"].authority, Authority::ProvinceCommittee);
    assert_eq!(default.by_type["residential_area"].authority, Authority::CommuneCommittee);
    assert_eq!(default.by_type["agency"].authority, Authority::ManagingLevel);
    assert_eq!(default.by_type["school"].authority, Authority::ManagingLevel);

    let mut chosen = campaign(2025);
    chosen.settings.insert("commune_recogniser".into(), "commune_committee".into());
    let cal = calendar_for(&rs, &chosen).expect("calendar");
    assert_eq!(cal.by_type["commune"].authority, Authority::CommuneCommittee);

    chosen.settings.insert("commune_recogniser".into(), "district_committee".into());
    assert_eq!(
        calendar_for(&rs, &chosen),
        Err(CalendarError::BadSetting { name: "commune_recogniser".into(), value: "district_committee".into() })
    );

    let old = calendar(&ruleset("tt124-2021"));
    assert_eq!(old.by_type["commune"].authority, Authority::DistrictCommittee);
    assert_eq!(old.by_type["residential_area"].authority, Authority::CommuneCommittee);
}

#[test]
fn windows_and_deadlines_of_campaign_2024() {
    for id in BOTH {
        let rs = ruleset(id);
        let cal = calendar(&rs);
        assert_eq!(cal.inspection, None);
        let area = &cal.by_type["residential_area"];
        assert_eq!((area.period_from, area.period_to), (date(2023, 11, 1), date(2024, 10, 31)), "{id}");
        assert_eq!(area.decision_deadline, Some(date(2024, 11, 14)));
        assert_eq!(area.classification_deadline, Some(date(2024, 11, 19)));
        for t in ["commune", "agency", "school"] {
            let c = &cal.by_type[t];
            assert_eq!((c.period_from, c.period_to), (date(2023, 11, 16), date(2024, 11, 15)), "{id} {t}");
            assert_eq!(c.decision_deadline, Some(date(2024, 11, 19)), "{id} {t}");
            assert_eq!(c.classification_deadline, Some(date(2024, 11, 29)), "{id} {t}");
            assert_eq!(c.registration_deadline, date(2024, 3, 31));
        }
        let texts: Vec<&str> = rs.timeline.decision_deadline.iter().map(|d| d.rule.text.as_str()).collect();
        assert_eq!(texts, ["trước ngày 15/11", "trước ngày 20/11"]);
        let texts: Vec<&str> = rs.timeline.classification_deadline.iter().map(|d| d.rule.text.as_str()).collect();
        assert_eq!(texts, ["trước ngày 20/11", "trước ngày 30/11"]);
    }
    // Campaign 2025 runs from 16/11/2024.
    let rs = ruleset("tt124-2025");
    let cal = calendar_for(&rs, &campaign(2025)).expect("calendar");
    assert_eq!(cal.by_type["commune"].period_from, date(2024, 11, 16));
    assert_eq!(cal.by_type["residential_area"].decision_deadline, Some(date(2025, 11, 14)));
}

#[test]
fn scoring_frames_are_placeholders_of_100_points_per_criterion() {
    for id in BOTH {
        let rs = ruleset(id);
        assert!(rs.scoring.note.contains("510/QĐ-BCA-V05") && rs.scoring.note.contains("giữ chỗ"));
        for t in ["residential_area", "commune", "agency", "school"] {
            let frame = rs.scoring.frames.get(t).expect("frame for every unit type");
            assert_eq!(frame.max_total(), Points::from_tenths(1000), "{id} {t}");
            let items: Vec<&str> = frame.items.iter().map(|i| i.id.as_str()).collect();
            let criteria: Vec<&str> = rs.criteria_for(t).map(|c| c.id.as_str()).collect();
            assert_eq!(items, criteria, "{id} {t}");
        }
        let bands: Vec<(&str, u32, bool)> =
            rs.scoring.bands.iter().map(|b| (b.code.as_str(), b.min_percent, b.requires_recognised)).collect();
        assert_eq!(bands, [("xuat_sac", 90, true), ("kha", 75, false), ("trung_binh", 50, false), ("kem", 0, false)]);
    }
}
