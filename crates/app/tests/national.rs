//! The national database builder (`antt demo --scale national`) on a small country cut from the
//! same lists: what it writes reads back as exactly the generator's facts, and the stored
//! campaign's results are those of evaluating the generated units in memory. On SQLite by
//! default and on PostgreSQL when ANTT_TEST_POSTGRES names a server.

// A test stops at the first surprise, with the value that caused it.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, HashSet};

use antt_app::App;
use antt_app::national::{self, COUNTRY, Campaigns};
use antt_core::eval::Outcome;
use antt_core::model::Unit;
use antt_core::report::UnitReport;
use antt_core::rollup::{Tree, roll_up};
use antt_core::synthetic::{self, Shape};
use antt_store::{campaigns, facts, testing, units};

/// Communes kept of each province.
const COMMUNES: usize = 2;

fn numbers() -> Shape {
    Shape { residential_areas: 400, establishments: 200, incidents: 4_000, ..Shape::national_facts() }
}

/// A unit's facts with every list in one order, for comparing what was written with what is
/// read back (the store gives rows in no particular order).
fn normalised(mut u: Unit) -> String {
    fn sort<T: serde::Serialize>(list: &mut Option<Vec<T>>) {
        if let Some(l) = list {
            l.sort_by_cached_key(|x| serde_json::to_string(x).unwrap());
        }
    }
    sort(&mut u.documents);
    sort(&mut u.commitments);
    sort(&mut u.incidents);
    sort(&mut u.discipline);
    sort(&mut u.titles);
    sort(&mut u.sub_units);
    u.judgements.sort_by_cached_key(|x| serde_json::to_string(x).unwrap());
    // The lists' provinces and communes carry the source of their names; the generator's do not.
    u.attributes.clear();
    serde_json::to_string(&u).unwrap()
}

#[tokio::test]
async fn the_national_campaign_reads_back_as_generated_and_evaluates_alike() {
    let store = testing::fresh_store().await.unwrap();
    let built = national::build(&store, &numbers(), Some(COMMUNES), Campaigns::National).await.unwrap();
    let ruleset = antt_core::ruleset::built_in_named("vinh-long-2013").unwrap().unwrap();
    let (shape, _) = national::shape(&numbers(), Some(COMMUNES)).unwrap();
    let generated = synthetic::country(&ruleset, &shape);
    assert_eq!((shape.provinces.len(), shape.communes.len()), (34, 34 * COMMUNES), "every province, with its first communes");
    assert_eq!(built.units, 1 + 34 + 34 * COMMUNES + 400 + 200, "the root, the lists' units and the generated ones");
    assert_eq!(built.campaigns.len(), 1);

    // Every fact reads back as generated.
    let campaign = campaigns::get(&store, &built.campaigns[0]).await.unwrap().unwrap();
    let root = units::get(&store, COUNTRY).await.unwrap().unwrap();
    let loaded = facts::load(&store, &campaign, &root).await.unwrap();
    let mut read: BTreeMap<String, String> = loaded
        .units
        .into_iter()
        .filter(|u| u.id.0 != COUNTRY)
        .map(|u| (u.id.0.clone(), normalised(Unit { parent: u.parent.clone(), ..u })))
        .collect();
    for u in &generated {
        let mut expected = u.clone();
        if expected.parent.is_none() {
            expected.parent = Some(antt_core::model::UnitId(COUNTRY.into()));
        }
        assert_eq!(read.remove(&u.id.0).as_deref(), Some(normalised(expected).as_str()), "unit {}", u.id.0);
    }
    assert!(read.is_empty(), "units nobody generated: {:?}", read.keys().collect::<Vec<_>>());

    // The stored campaign's counts are those of the generated units evaluated in memory.
    let app = App::new(store.clone(), antt_core::ruleset::built_in().unwrap());
    let results = app.results(&campaign.id).await.unwrap();
    let calendar = app.calendar(&campaign).await.unwrap();
    let expected = roll_up(&ruleset, Some(&calendar), Tree::new(&generated).unwrap());
    let mut outcomes = BTreeMap::<String, HashSet<Outcome>>::new();
    for (i, u) in generated.iter().enumerate() {
        assert_eq!(results.summary(&u.id.0), expected.summaries[i].as_ref(), "counts of {}", u.id.0);
        let report = results.report(&u.id.0).map(|r| serde_json::to_string(r).unwrap());
        let in_memory =
            expected.verdicts[i].as_ref().map(|v| serde_json::to_string(&UnitReport::new(&ruleset, Some(&calendar), v)).unwrap());
        assert_eq!(report, in_memory, "report of {}", u.id.0);
        if let Some(r) = results.report(&u.id.0) {
            outcomes.entry(u.unit_type.clone()).or_default().insert(r.outcome);
        }
    }
    // Outcomes vary within every evaluated unit type, so the comparison above means something.
    assert_eq!(outcomes.len(), 5, "{outcomes:?}");
    for (unit_type, seen) in &outcomes {
        assert!(seen.contains(&Outcome::Recognised) && seen.contains(&Outcome::NotRecognised), "{unit_type}: {seen:?}");
    }
}

#[tokio::test]
async fn one_campaign_per_province_covers_each_province_once() {
    let store = testing::fresh_store().await.unwrap();
    let built = national::build(&store, &numbers(), Some(COMMUNES), Campaigns::Provinces).await.unwrap();
    let (shape, _) = national::shape(&numbers(), Some(COMMUNES)).unwrap();
    assert_eq!(built.campaigns.len(), 34);
    assert!(units::get(&store, COUNTRY).await.unwrap().is_none(), "no country root without a national campaign");
    let mut scopes = Vec::new();
    let mut evaluated = 0;
    for id in &built.campaigns {
        let campaign = campaigns::get(&store, id).await.unwrap().unwrap();
        let scope = units::get(&store, &campaign.scope_unit_id).await.unwrap().unwrap();
        evaluated += facts::load(&store, &campaign, &scope).await.unwrap().units.len() - 1;
        scopes.push(campaign.scope_unit_id);
    }
    scopes.sort();
    let mut provinces: Vec<String> = shape.provinces.iter().map(|p| p.0.clone()).collect();
    provinces.sort();
    assert_eq!(scopes, provinces);
    assert_eq!(evaluated, 34 * COMMUNES + 400 + 200, "every unit below a province is in exactly one campaign");
    // A second build on the same database is refused rather than mixed in.
    assert!(national::build(&store, &numbers(), Some(COMMUNES), Campaigns::Provinces).await.is_err());
}
