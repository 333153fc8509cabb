//! The verdicts kept current write by write agree with a full re-evaluation: after every step of
//! seeded random sequences of writes (facts added and removed, lists declared complete,
//! conditions, scores, new units), and after dozens of writes at once, every unit's report,
//! every node's counts and the scored units are the same as from scratch. On SQLite by default
//! and on PostgreSQL when ANTT_TEST_POSTGRES names a server.

// A test stops at the first surprise, with the value that caused it.
#![allow(clippy::unwrap_used)]

use antt_app::App;
use antt_app::verdicts::{Computed, Results};
use antt_core::fact::{Fact, FactKind};
use antt_core::model::{Commitment, Discipline, DisciplineLevel, Incident, Severity};
use antt_core::scoring::Points;
use antt_store::facts::{self, ScoreSource, Writer};
use antt_store::units::NewUnit;
use antt_store::{Store, StoreError, campaigns, locks, testing, units, users};
use chrono::NaiveDate;

const DISTRICTS: usize = 2;
const COMMUNES: usize = 3;
const AREAS: usize = 5;

/// A small, seeded generator: the same seed gives the same sequence of writes on every run.
struct Seeded(u64);

impl Seeded {
    fn below(&mut self, n: usize) -> usize {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn unit(id: &str, unit_type: &str, parent: &str) -> NewUnit {
    testing::new_unit(id, unit_type, Some(parent))
}

struct World {
    app: App,
    /// A second server on the same database, keeping its own results.
    other: App,
    store: Store,
    campaign: String,
    user: String,
    /// Every unit that can be written to, the province and districts included.
    units: Vec<String>,
}

/// A province with two districts of three communes, each with five residential areas, an
/// agency and a school; an agency directly under each district; the 2013 campaign.
async fn world() -> World {
    let store = testing::fresh_store().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let mut tree = vec![NewUnit { id: "86".into(), name: "Tỉnh Vĩnh Long".into(), unit_type: "province".into(), ..NewUnit::default() }];
    for d in 0..DISTRICTS {
        let district = format!("d{d}");
        tree.push(unit(&district, "district", "86"));
        tree.push(unit(&format!("{district}-agency"), "agency", &district));
        for c in 0..COMMUNES {
            let commune = format!("{district}-c{c}");
            tree.push(unit(&commune, "commune", &district));
            tree.extend((0..AREAS).map(|a| unit(&format!("{commune}-a{a}"), "residential_area", &commune)));
            tree.push(unit(&format!("{commune}-agency"), "agency", &commune));
            tree.push(unit(&format!("{commune}-school"), "school", &commune));
        }
    }
    units::insert_many(&mut tx, None, &tree).await.unwrap();
    let campaign = campaigns::create(&mut tx, None, &testing::vinh_long_2013("Phát động năm 2013")).await.unwrap();
    let user = users::create(&mut tx, None, "tinh", "Ban Chỉ đạo tỉnh", "mat-khau-thu-nghiem").await.unwrap();
    tx.commit().await.unwrap();
    let app = App::new(store.clone(), antt_core::ruleset::built_in().unwrap());
    let other = App::new(store.clone(), antt_core::ruleset::built_in().unwrap());
    World { app, other, store, campaign: campaign.id, user, units: tree.into_iter().map(|u| u.id).collect() }
}

fn day(rng: &mut Seeded) -> NaiveDate {
    NaiveDate::from_ymd_opt(2013, 1, 1).unwrap() + chrono::Duration::days(rng.below(365) as i64)
}

/// One random fact of a kind the rules read.
fn random_fact(rng: &mut Seeded) -> Fact {
    match rng.below(3) {
        0 => {
            let group = *rng.pick(&["households", "staff", "teachers", "learners_primary"]);
            let total = rng.below(40) as u32;
            let signed = if rng.below(2) == 0 { total } else { rng.below(total as usize + 1) as u32 };
            Fact::Commitment(Commitment::new(group, signed, total))
        }
        1 => {
            let kind =
                *rng.pick(&["crime", "social_evil", "public_disorder", "mass_complaint", "traffic_accident", "fire_explosion", "hotspot"]);
            let mut incident = Incident::new(kind, day(rng));
            incident.severity =
                [None, Some(Severity::ItNghiemTrong), Some(Severity::NghiemTrong), Some(Severity::RatNghiemTrong)][rng.below(4)];
            incident.by_own_people = rng.below(2) == 0;
            incident.in_territory = rng.below(4) != 0;
            Fact::Incident(incident)
        }
        _ => {
            let force = *rng.pick(&["grassroots_security", "commune_police", "protection_force"]);
            let level = *rng.pick(&[DisciplineLevel::KhienTrach, DisciplineLevel::CanhCao, DisciplineLevel::CachChuc]);
            Fact::Discipline(Discipline::new(force, level, day(rng)))
        }
    }
}

/// One random write to a random unit, as the pages and the import make them.
/// `kinds` below 7 leaves out new units, so that every update is an incremental one.
async fn random_write(w: &World, rng: &mut Seeded, step: usize, kinds: usize) -> Result<(), StoreError> {
    let unit_id = rng.pick(&w.units).clone();
    let writer = Writer { user_id: &w.user, campaign_id: &w.campaign, unit_id: &unit_id };
    let mut tx = w.store.begin().await?;
    match rng.below(kinds) {
        0 | 1 => {
            facts::insert(&mut tx, writer, &random_fact(rng)).await?;
        }
        2 => {
            let kind = *rng.pick(&[FactKind::Commitments, FactKind::Incidents, FactKind::Discipline]);
            let existing = facts::list_in(&mut tx, &w.campaign, &unit_id, kind).await?;
            if let Some(old) = existing.first() {
                facts::delete(&mut tx, writer, kind, &old.id, old.version).await?;
            }
        }
        3 => {
            let kind = *rng.pick(&[FactKind::Incidents, FactKind::Discipline, FactKind::Documents]);
            facts::declare_complete(&mut tx, writer, kind).await?;
        }
        4 => {
            let flag = *rng.pick(&["party_organisation", "protection_force"]);
            facts::set_flag(&mut tx, writer, flag, rng.below(2) == 0).await?;
        }
        5 => {
            let source = if rng.below(2) == 0 { ScoreSource::SelfAssessed } else { ScoreSource::Reviewed };
            facts::set_score(&mut tx, writer, source, "1.4", Points::from_tenths(rng.below(200) as u32), None).await?;
        }
        _ => {
            // A new residential area under a random commune, stamped like an import stamps it.
            let commune = format!("d{}-c{}", rng.below(DISTRICTS), rng.below(COMMUNES));
            let id = format!("{commune}-new{step}");
            units::insert_many(&mut tx, None, &[unit(&id, "residential_area", &commune)]).await?;
            locks::touch(&mut tx, &w.campaign, &[&id]).await?;
        }
    }
    antt_store::commit(tx).await
}

/// The campaign's results once they are current (never the "being updated" ones).
async fn current(app: &App, campaign: &str) -> Results {
    loop {
        let r = app.results(campaign).await.unwrap();
        if !r.updating {
            return r;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// Every unit's report and counts, and the scored units, against a full re-evaluation: as the
/// first server keeps them, as the second one does, and as a server started now gets them from
/// the results the others stored.
async fn assert_current_equals_scratch(w: &World, context: &str) {
    let scratch = w.app.results_from_scratch(&w.campaign).await.unwrap();
    assert_equal(&w.store, &*current(&w.app, &w.campaign).await, &scratch, context).await;
    assert_equal(&w.store, &*current(&w.other, &w.campaign).await, &scratch, &format!("{context}, second server")).await;
    w.app.results_stored(&w.campaign).await;
    w.other.results_stored(&w.campaign).await;
    let restarted = App::new(w.store.clone(), antt_core::ruleset::built_in().unwrap());
    assert_equal(&w.store, &*current(&restarted, &w.campaign).await, &scratch, &format!("{context}, restarted server")).await;
}

async fn assert_equal(store: &Store, kept: &Computed, scratch: &Computed, context: &str) {
    assert_eq!(kept.revision, scratch.revision, "{context}: revision");
    let all = all_units(store).await;
    for id in &all {
        let (a, b) =
            (kept.report(id).map(|r| serde_json::to_value(r).unwrap()), scratch.report(id).map(|r| serde_json::to_value(r).unwrap()));
        assert_eq!(a, b, "{context}: report of {id}");
        assert_eq!(kept.summary(id), scratch.summary(id), "{context}: counts under {id}");
    }
    assert_eq!(kept.scored_under("/").collect::<Vec<_>>(), scratch.scored_under("/").collect::<Vec<_>>(), "{context}: scored units");
    let evaluated = all.iter().filter(|id| scratch.report(id).is_some()).count();
    assert!(evaluated > DISTRICTS * COMMUNES * AREAS, "{context}: the comparison covered {evaluated} evaluated units");
}

async fn all_units(store: &Store) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack: Vec<String> = units::roots(store).await.unwrap().into_iter().map(|u| u.id).collect();
    while let Some(id) = stack.pop() {
        stack.extend(units::children(store, &id).await.unwrap().into_iter().map(|u| u.id));
        out.push(id);
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_any_sequence_of_writes_the_kept_verdicts_equal_a_full_re_evaluation() {
    let w = world().await;
    assert_current_equals_scratch(&w, "before any write").await;
    for seed in [1_u64, 7, 2013] {
        let mut rng = Seeded(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        for step in 0..40 {
            // One to three writes between reads, so that an update often takes several
            // communes' subtrees at once.
            for n in 0..=step % 3 {
                random_write(&w, &mut rng, 10 * step + n + 1000 * seed as usize, 7).await.unwrap();
            }
            assert_current_equals_scratch(&w, &format!("seed {seed}, step {step}")).await;
        }
    }
    // The writes did change outcomes: otherwise the comparison proved little.
    let r = current(&w.app, &w.campaign).await;
    let counts = r.summary("86").unwrap();
    let recognised: u32 = counts.values().map(|c| c.recognised).sum();
    let not: u32 = counts.values().map(|c| c.not_recognised).sum();
    assert!(not > 0, "some unit fails after the random writes: {counts:?}");
    assert!(recognised + not > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn dozens_of_writes_at_once_leave_the_kept_verdicts_equal_to_a_full_re_evaluation() {
    let w = std::sync::Arc::new(world().await);
    assert_current_equals_scratch(&w, "before any write").await;
    let mut tasks = Vec::new();
    for client in 0..40_u64 {
        let w = w.clone();
        tasks.push(tokio::spawn(async move {
            let mut rng = Seeded((client + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
            for step in 0..3 {
                // Two clients may remove the same record: the second is told it changed.
                match random_write(&w, &mut rng, client as usize * 10 + step, 6).await {
                    Ok(()) | Err(StoreError::Conflict | StoreError::NotFound(_)) => {}
                    Err(e) => panic!("client {client}: {e}"),
                }
                // Reads interleave with other clients' writes.
                let server = if client % 2 == 0 { &w.app } else { &w.other };
                server.results(&w.campaign).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_current_equals_scratch(&w, "after 40 clients wrote at once").await;
}

/// A restarted server takes the stored results rather than evaluating the campaign again (a
/// stored report altered behind its back shows through), then follows the writes made since;
/// stored results it cannot read are evaluated afresh.
#[tokio::test]
async fn a_restarted_server_starts_from_the_stored_results() {
    let w = world().await;
    current(&w.app, &w.campaign).await;
    w.app.results_stored(&w.campaign).await;
    let (area, other_area) = ("d0-c0-a0", "d1-c2-a4");
    for (unit, name) in [(area, "Đã lưu 1"), (other_area, "Đã lưu 2")] {
        let sql = format!(
            "UPDATE campaign_results SET report = replace(report, '\"name\":\"Đơn vị {unit}\"', '\"name\":\"{name}\"') \
             WHERE unit_id = '{unit}'"
        );
        let changed = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(w.store.pool()).await.unwrap();
        assert_eq!(changed.rows_affected(), 1, "the stored row of {unit}");
    }
    let restarted = App::new(w.store.clone(), antt_core::ruleset::built_in().unwrap());
    let r = current(&restarted, &w.campaign).await;
    assert_eq!(r.report(area).unwrap().name, "Đã lưu 1", "read from the stored results, not evaluated again");
    assert_eq!(r.report(other_area).unwrap().name, "Đã lưu 2");

    // A write to the first area's commune re-evaluates that commune's subtree only.
    let writer = Writer { user_id: &w.user, campaign_id: &w.campaign, unit_id: area };
    let mut tx = w.store.begin().await.unwrap();
    facts::insert(&mut tx, writer, &Fact::Incident(Incident::new("crime", NaiveDate::from_ymd_opt(2013, 6, 1).unwrap()))).await.unwrap();
    tx.commit().await.unwrap();
    let r = current(&restarted, &w.campaign).await;
    assert_eq!(r.report(area).unwrap().name, format!("Đơn vị {area}"), "the written area is evaluated again");
    assert_eq!(r.report(other_area).unwrap().name, "Đã lưu 2", "another commune's area is not");

    // Stored results this version cannot read: evaluated afresh.
    restarted.results_stored(&w.campaign).await;
    sqlx::query("UPDATE campaign_results SET report = '{' WHERE unit_id = 'd1-c2-a4'").execute(w.store.pool()).await.unwrap();
    let again = App::new(w.store.clone(), antt_core::ruleset::built_in().unwrap());
    let scratch = again.results_from_scratch(&w.campaign).await.unwrap();
    assert_equal(&w.store, &*current(&again, &w.campaign).await, &scratch, "after unreadable stored results").await;
}
