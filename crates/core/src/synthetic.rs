//! A synthetic country for measuring the system at national scale: the provinces and communes
//! given (the real 2025 tree, or numbered ones), with residential areas, agencies and
//! enterprises, schools and places of worship attached to random communes, and incidents spread
//! over them, all drawn from a seeded generator so that every run builds the same facts. The
//! outcomes are varied on purpose: every evaluated unit type gets recognised, not recognised
//! and incomplete units under `vinh-long-2013` for campaign year [`YEAR`].

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::model::{
    Commitment, Discipline, DisciplineLevel, Document, Incident, Judgement, Severity, SubUnit, SubUnitTitle, Title, Unit, UnitId,
};
use crate::ruleset::Ruleset;

/// The campaign year the generated dates belong to.
pub const YEAR: i32 = 2013;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Shape {
    /// Provinces: id and name.
    pub provinces: Vec<(String, String)>,
    /// Communes: id, name and the index of their province in `provinces`.
    pub communes: Vec<(String, String, usize)>,
    pub residential_areas: usize,
    /// Agencies and enterprises, schools and places of worship, attached to communes.
    pub establishments: usize,
    pub incidents: usize,
    pub seed: u64,
}

impl Shape {
    /// Viet Nam's size after the 2025 merger of provinces (34 provinces, 3.321 communes) with
    /// numbered names, 100.000 residential areas, 60.000 establishments and 1.000.000 incidents.
    pub fn national() -> Self {
        const PROVINCES: usize = 34;
        const COMMUNES: usize = 3_321;
        Self {
            provinces: (0..PROVINCES).map(|p| (format!("P{p:02}"), format!("Tỉnh {p}"))).collect(),
            communes: (0..COMMUNES).map(|c| (format!("X{c:05}"), format!("Xã {c}"), c * PROVINCES / COMMUNES)).collect(),
            ..Self::national_facts()
        }
    }

    /// The national numbers of areas, establishments and incidents, without provinces or
    /// communes.
    pub fn national_facts() -> Self {
        Self {
            provinces: Vec::new(),
            communes: Vec::new(),
            residential_areas: 100_000,
            establishments: 60_000,
            incidents: 1_000_000,
            seed: 0x9E37_79B9_7F4A_7C15,
        }
    }
}

/// The units of the country, provinces first, then communes, then the units below them; each
/// unit's parent comes before it.
pub fn country(ruleset: &Ruleset, shape: &Shape) -> Vec<Unit> {
    let kinds: Vec<String> = ruleset.vocabulary.incident_kinds.keys().cloned().collect();
    Generator { rng: Rng(shape.seed.max(1)), kinds }.country(shape)
}

/// xorshift64: deterministic, fast and good enough to spread facts around.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn day(month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(YEAR, month, d).expect("a real day")
}

/// How a commune and the residential areas in it fare; communes only pass when most of their
/// areas do, so areas follow their commune.
#[derive(Clone, Copy)]
enum Quality {
    Good,
    Average,
    Poor,
}

/// How complete and how good a unit's records other than incidents are.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Record {
    Complete,
    /// One thing fails: a document, a commitment ratio, a judgement, a title or discipline.
    Failing,
    /// One thing is not recorded.
    Gaps,
}

/// What the generator decided for one unit before its incidents are drawn.
#[derive(Clone, Copy)]
struct Plan {
    /// Only incidents that no check of the unit or its commune counts against it.
    mild: bool,
    record: Record,
}

struct Generator {
    rng: Rng,
    kinds: Vec<String>,
}

impl Generator {
    fn plan(&mut self, mild_percent: u64, complete_percent: u64, failing_percent: u64) -> Plan {
        let mild = self.rng.chance(mild_percent);
        let roll = self.rng.below(100) as u64;
        let record = if roll < complete_percent {
            Record::Complete
        } else if roll < complete_percent + failing_percent {
            Record::Failing
        } else {
            Record::Gaps
        };
        Plan { mild, record }
    }

    fn country(mut self, shape: &Shape) -> Vec<Unit> {
        let communes = shape.communes.len();
        assert!(communes > 0 || shape.residential_areas + shape.establishments == 0, "units below communes need communes");
        let mut units = Vec::with_capacity(shape.provinces.len() + communes + shape.residential_areas + shape.establishments);
        let mut plans = Vec::with_capacity(units.capacity());
        for (id, name) in &shape.provinces {
            units.push(Unit { id: UnitId(id.clone()), name: name.clone(), unit_type: "province".into(), ..Unit::default() });
            plans.push(None);
        }
        let first_commune = units.len();
        let mut quality = Vec::with_capacity(communes);
        for (id, name, province) in &shape.communes {
            let q = match self.rng.below(100) {
                0..50 => Quality::Good,
                50..80 => Quality::Average,
                _ => Quality::Poor,
            };
            quality.push(q);
            let plan = match q {
                Quality::Good => self.plan(100, 85, 10),
                Quality::Average => self.plan(95, 75, 15),
                Quality::Poor => self.plan(50, 55, 25),
            };
            let commune = self.commune(UnitId(id.clone()), name.clone(), &units[*province].id, plan);
            units.push(commune);
            plans.push(Some(plan));
        }
        let mut areas_of: Vec<Vec<usize>> = vec![Vec::new(); communes];
        for r in 0..shape.residential_areas {
            let c = self.rng.below(communes);
            let plan = match quality[c] {
                Quality::Good => self.plan(98, 92, 5),
                Quality::Average => self.plan(90, 80, 12),
                Quality::Poor => self.plan(60, 55, 25),
            };
            areas_of[c].push(units.len());
            units.push(self.residential_area(r, &units[first_commune + c].id, plan));
            plans.push(Some(plan));
        }
        for e in 0..shape.establishments {
            let commune = units[first_commune + self.rng.below(communes)].id.clone();
            let plan = self.plan(75, 75, 15);
            let unit = match self.rng.below(100) {
                0..50 => self.agency(e, commune, plan),
                50..85 => self.school(e, commune, plan),
                _ => self.worship_site(e, commune, plan),
            };
            units.push(unit);
            plans.push(Some(plan));
        }

        // Records with gaps lose one thing, possibly their incidents or last year's counts.
        for (i, unit) in units.iter_mut().enumerate() {
            if plans[i].is_some_and(|p| p.record == Record::Gaps) {
                self.leave_gap(unit);
            }
        }

        // Incidents land at random on evaluated units whose incidents are recorded.
        let recorded: Vec<usize> = (0..units.len()).filter(|&i| units[i].incidents.is_some()).collect();
        let mut counts = vec![0usize; units.len()];
        for _ in 0..if recorded.is_empty() { 0 } else { shape.incidents } {
            counts[*self.rng.pick(&recorded)] += 1;
        }
        for (i, unit) in units.iter_mut().enumerate() {
            if let (Some(plan), Some(list)) = (plans[i], unit.incidents.as_mut()) {
                list.extend((0..counts[i]).map(|_| self.incident(&unit.unit_type, plan.mild)));
            }
        }

        // Last year's counts: at or above this year's for units meant to pass, anything
        // for the others. A commune's territory includes its residential areas.
        for (c, areas) in areas_of.iter().enumerate() {
            let own = first_commune + c;
            let mut now = this_year(&units[own]);
            for &a in areas {
                for (kind, n) in this_year(&units[a]) {
                    *now.entry(kind).or_default() += n;
                }
            }
            self.fill_previous_year(&mut units[own], now, plans[own]);
            for &a in areas {
                let now = this_year(&units[a]);
                self.fill_previous_year(&mut units[a], now, plans[a]);
            }
        }

        // Lay the units out in memory one after another, as loading a facts file would, rather
        // than with every unit's incidents far from the rest of its facts.
        units.to_vec()
    }

    /// Fills last year's counts unless a gap left them unrecorded.
    fn fill_previous_year(&mut self, unit: &mut Unit, now: BTreeMap<String, u32>, plan: Option<Plan>) {
        let mild = plan.is_some_and(|p| p.mild);
        if let Some(previous) = unit.previous_year.as_mut() {
            *previous = self.previous_year(now, mild);
        }
    }

    fn previous_year(&mut self, now: BTreeMap<String, u32>, mild: bool) -> BTreeMap<String, u32> {
        now.into_iter()
            .map(|(kind, n)| {
                let before = if mild { n + self.rng.below(3) as u32 } else { self.rng.below(n as usize + 2) as u32 };
                (kind, before)
            })
            .filter(|(_, n)| *n > 0)
            .collect()
    }

    fn incident(&mut self, unit_type: &str, mild: bool) -> Incident {
        // Some incidents happened the year before and fall outside every evaluation period.
        let year = if self.rng.chance(8) { YEAR - 1 } else { YEAR };
        let date = NaiveDate::from_yo_opt(year, 1 + self.rng.below(365) as u32).expect("a day of the year");
        if mild {
            // Kinds and facts that no check of this unit type (nor of a commune, for its
            // residential areas) counts against it.
            let kinds: &[&str] = match unit_type {
                "residential_area" | "commune" => &["traffic_accident", "other_violation", "crime", "labour_accident", "social_evil"],
                "agency" => &["traffic_accident", "other_violation", "crime", "labour_accident", "fire_explosion"],
                _ => &["traffic_accident", "other_violation", "labour_accident", "fire_explosion", "social_evil"],
            };
            return Incident {
                severity: Some(Severity::ItNghiemTrong),
                force_majeure: self.rng.chance(3),
                reported_promptly: Some(true),
                ..Incident::new(*self.rng.pick(kinds), date)
            };
        }
        let severity = match self.rng.below(10) {
            0..4 => Some(Severity::ItNghiemTrong),
            4..7 => Some(Severity::NghiemTrong),
            7 => Some(Severity::RatNghiemTrong),
            8 => Some(Severity::DacBietNghiemTrong),
            _ => None,
        };
        let reported_promptly = match self.rng.below(20) {
            0..14 => Some(true),
            14..17 => Some(false),
            _ => None,
        };
        Incident {
            severity,
            in_territory: self.rng.chance(80),
            by_own_people: self.rng.chance(30),
            force_majeure: self.rng.chance(5),
            reported_promptly,
            note: self.rng.chance(10).then(|| "ghi chú".to_owned()),
            ..Incident::new(self.rng.pick(&self.kinds).clone(), date)
        }
    }

    fn registration(&mut self, on_time: NaiveDate, late: NaiveDate) -> Document {
        doc("registration", if self.rng.chance(10) { late } else { on_time })
    }

    fn residential_area(&mut self, r: usize, commune: &UnitId, plan: Plan) -> Unit {
        let households = 20 + self.rng.below(300) as u32;
        let mut unit = Unit {
            id: UnitId(format!("KDC{r:06}")),
            name: format!("Khu dân cư {r}"),
            unit_type: "residential_area".into(),
            parent: Some(commune.clone()),
            documents: Some(vec![
                doc("party_resolution", day(3, 1)),
                self.registration(day(5, 10), day(6, 30)),
                doc("self_management_model", day(2, 1)),
            ]),
            commitments: Some(vec![Commitment::new("households", households, households)]),
            titles: Some(vec![title(
                "grassroots_security",
                "task_rating",
                if self.rng.chance(30) { "hoan_thanh_xuat_sac" } else { "hoan_thanh_tot" },
            )]),
            discipline: Some(self.minor_discipline("grassroots_security")),
            judgements: vec![judgement("1.2", "a", true)],
            incidents: Some(Vec::new()),
            previous_year: Some(BTreeMap::new()),
            ..Unit::default()
        };
        self.apply(&mut unit, plan, "grassroots_security", "task_rating", "hoan_thanh");
        unit
    }

    fn commune(&mut self, id: UnitId, name: String, province: &UnitId, plan: Plan) -> Unit {
        let mut unit = Unit {
            id,
            name,
            unit_type: "commune".into(),
            parent: Some(province.clone()),
            documents: Some(vec![
                doc("party_resolution", day(3, 1)),
                doc("security_plan", day(3, 15)),
                self.registration(day(5, 12), day(7, 1)),
                doc("self_management_model", day(2, 1)),
            ]),
            titles: Some(vec![title(
                "commune_police",
                "police_unit",
                if self.rng.chance(30) { "don_vi_quyet_thang" } else { "don_vi_tien_tien" },
            )]),
            discipline: Some(self.minor_discipline("commune_police")),
            judgements: vec![judgement("2.2", "k2a", true)],
            incidents: Some(Vec::new()),
            previous_year: Some(BTreeMap::new()),
            ..Unit::default()
        };
        self.apply(&mut unit, plan, "commune_police", "police_unit", "khong_dat");
        unit
    }

    fn agency(&mut self, e: usize, commune: UnitId, plan: Plan) -> Unit {
        let party = self.rng.chance(60);
        let mut documents = vec![
            doc("security_plan", day(3, 15)),
            self.registration(day(5, 15), day(8, 1)),
            doc("internal_rules", day(1, 10)),
            doc("coordination_plan", day(4, 1)),
            doc("self_management_model", day(2, 1)),
        ];
        if party {
            documents.push(doc("party_resolution", day(3, 1)));
        }
        let staff = 5 + self.rng.below(500) as u32;
        let mut unit = Unit {
            id: UnitId(format!("CQ{e:05}")),
            name: format!("Cơ quan {e}"),
            unit_type: "agency".into(),
            parent: Some(commune),
            flags: BTreeMap::from([("party_organisation".to_owned(), party)]),
            documents: Some(documents),
            commitments: Some(vec![Commitment::new("staff", staff, staff)]),
            titles: Some(vec![title("protection_force", "collective_labour", "tien_tien")]),
            discipline: Some(self.minor_discipline("protection_force")),
            sub_units: Some(self.sub_units()),
            judgements: vec![judgement("3.2", "a", true)],
            incidents: Some(Vec::new()),
            ..Unit::default()
        };
        self.apply(&mut unit, plan, "protection_force", "collective_labour", "khong_dat");
        unit
    }

    fn school(&mut self, e: usize, commune: UnitId, plan: Plan) -> Unit {
        let (party, general, protection) = (self.rng.chance(70), self.rng.chance(80), self.rng.chance(40));
        let mut documents = vec![
            doc("security_plan", day(6, 5)),
            self.registration(day(6, 10), day(7, 20)),
            doc("internal_rules", day(6, 5)),
            doc("coordination_plan", day(6, 15)),
            doc("self_management_model", day(6, 15)),
        ];
        if party {
            documents.push(doc("party_resolution", day(6, 1)));
        }
        if general {
            documents.push(doc("parents_coordination", day(6, 20)));
        }
        let (teachers, pupils) = (10 + self.rng.below(80) as u32, 100 + self.rng.below(1500) as u32);
        let mut unit = Unit {
            id: UnitId(format!("TR{e:05}")),
            name: format!("Trường {e}"),
            unit_type: "school".into(),
            parent: Some(commune),
            flags: BTreeMap::from([
                ("party_organisation".to_owned(), party),
                ("general_education".to_owned(), general),
                ("protection_force".to_owned(), protection),
            ]),
            documents: Some(documents),
            commitments: Some(vec![
                Commitment::new("teachers", teachers, teachers),
                Commitment::new("staff", 5, 5),
                Commitment::new("learners_lower_secondary", pupils, pupils),
                Commitment::new("learners_primary", 0, pupils),
            ]),
            titles: Some(if protection { vec![title("protection_force", "collective_labour", "tien_tien")] } else { Vec::new() }),
            discipline: Some(Vec::new()),
            sub_units: Some(self.sub_units()),
            judgements: vec![judgement("4.2", "a", true)],
            incidents: Some(Vec::new()),
            ..Unit::default()
        };
        self.apply(&mut unit, plan, "protection_force", "collective_labour", "khong_dat");
        unit
    }

    fn worship_site(&mut self, e: usize, commune: UnitId, plan: Plan) -> Unit {
        let followers = 50 + self.rng.below(2000) as u32;
        let mut unit = Unit {
            id: UnitId(format!("TT{e:05}")),
            name: format!("Cơ sở thờ tự {e}"),
            unit_type: "worship_site".into(),
            parent: Some(commune),
            documents: Some(vec![
                doc("worship_program", day(1, 15)),
                doc("security_plan", day(3, 15)),
                self.registration(day(5, 20), day(6, 15)),
                doc("internal_rules", day(1, 10)),
                doc("coordination_plan", day(4, 1)),
                doc("visitor_guide_map", day(4, 1)),
                doc("self_management_model", day(2, 1)),
            ]),
            commitments: Some(vec![
                Commitment::new("dignitaries", 3, 3),
                Commitment::new("officials", 8, 8),
                Commitment::new("followers", followers, followers),
            ]),
            judgements: vec![judgement("5.2", "a", true)],
            incidents: Some(Vec::new()),
            ..Unit::default()
        };
        self.apply(&mut unit, plan, "protection_force", "collective_labour", "khong_dat");
        unit
    }

    /// Four to twelve sub-units, all but one with the title: at least 70% in every case.
    fn sub_units(&mut self) -> Vec<SubUnit> {
        let n = 4 + self.rng.below(9);
        (0..n)
            .map(|i| SubUnit {
                name: format!("Phòng {i}"),
                titles: if i == 0 {
                    Vec::new()
                } else {
                    vec![SubUnitTitle { scale: "collective_labour".into(), level: "tien_tien".into() }]
                },
            })
            .collect()
    }

    /// Now and then a reprimand, which is below the warning the rules count.
    fn minor_discipline(&mut self, force: &str) -> Vec<Discipline> {
        if self.rng.chance(10) { vec![discipline(force, DisciplineLevel::KhienTrach, day(9, 1))] } else { Vec::new() }
    }

    /// Spoils one thing in a failing record.
    fn apply(&mut self, unit: &mut Unit, plan: Plan, force: &str, scale: &str, low_level: &str) {
        if plan.record != Record::Failing {
            return;
        }
        match self.rng.below(5) {
            0 => {
                let docs = unit.documents.as_mut().expect("documents are recorded");
                // The registration stays so that registration counts stay realistic.
                if let Some(i) = docs.iter().position(|d| d.kind != "registration" && d.kind != "party_resolution") {
                    docs.remove(i);
                }
            }
            1 if unit.commitments.is_some() => {
                let first = &mut unit.commitments.as_mut().expect("commitments are recorded")[0];
                first.signed = first.total - 1;
            }
            2 if unit.titles.as_ref().is_some_and(|t| !t.is_empty()) => {
                unit.titles = Some(vec![title(force, scale, low_level)]);
            }
            3 if unit.discipline.is_some() && unit.flags.get("protection_force") != Some(&false) => {
                let level = *self.rng.pick(&[DisciplineLevel::CanhCao, DisciplineLevel::HaBacLuong, DisciplineLevel::CachChuc]);
                unit.discipline.as_mut().expect("discipline is recorded").push(discipline(force, level, day(8, 20)));
            }
            _ => unit.judgements[0].met = false,
        }
    }

    /// Leaves one thing unrecorded.
    fn leave_gap(&mut self, unit: &mut Unit) {
        match self.rng.below(6) {
            0 => unit.documents = None,
            1 if unit.commitments.is_some() => unit.commitments = None,
            2 => unit.incidents = None,
            3 if unit.unit_type == "residential_area" || unit.unit_type == "commune" => unit.previous_year = None,
            4 if !unit.flags.is_empty() => {
                unit.flags.pop_first();
            }
            _ => unit.judgements.clear(),
        }
    }
}

/// Counts by kind of a unit's own incidents in the campaign year, whatever their scope: an upper
/// bound for what the year-on-year checks count.
fn this_year(unit: &Unit) -> BTreeMap<String, u32> {
    let mut counts = BTreeMap::new();
    for i in unit.incidents.iter().flatten().filter(|i| i.date.year() == YEAR) {
        *counts.entry(i.kind.clone()).or_default() += 1;
    }
    counts
}

fn doc(kind: &str, date: NaiveDate) -> Document {
    Document { kind: kind.into(), date: Some(date), number: None }
}

fn title(force: &str, scale: &str, level: &str) -> Title {
    Title { force: force.into(), scale: scale.into(), level: level.into() }
}

fn discipline(force: &str, level: DisciplineLevel, date: NaiveDate) -> Discipline {
    Discipline { person: Some("Nguyễn Văn A".into()), ..Discipline::new(force, level, date) }
}

fn judgement(criterion: &str, part: &str, met: bool) -> Judgement {
    Judgement {
        criterion: criterion.into(),
        part: part.into(),
        met,
        inspector: Some("Đoàn kiểm tra".into()),
        date: Some(day(10, 15)),
        note: None,
    }
}
