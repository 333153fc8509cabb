//! A full evaluation, which reads and evaluates a campaign a group of subtrees at a time and
//! counts the units above them afterwards, gives exactly what evaluating the campaign's whole
//! tree at once gives: every report and every count. On the demo province, whose 1.569 units
//! make several groups, with communes under districts and agencies placed directly under the
//! province. On SQLite by default and on PostgreSQL when ANTT_TEST_POSTGRES names a server.

// A test stops at the first surprise, with the value that caused it.
#![allow(clippy::unwrap_used)]

use std::collections::HashSet;

use antt_app::App;
use antt_core::report::UnitReport;
use antt_core::rollup::{Tree, roll_up};
use antt_store::{campaigns, facts, testing, units};

#[tokio::test]
async fn evaluating_by_groups_of_subtrees_equals_evaluating_the_whole_tree() {
    let store = testing::fresh_store().await.unwrap();
    antt_app::demo::seed(&store).await.unwrap();
    let app = App::new(store.clone(), antt_core::ruleset::built_in().unwrap());
    let campaigns = campaigns::list(&store).await.unwrap();
    assert!(!campaigns.is_empty());
    for campaign in campaigns {
        let scope = units::get(&store, &campaign.scope_unit_id).await.unwrap().unwrap();
        let whole = facts::load(&store, &campaign, &scope).await.unwrap();
        assert!(whole.units.len() > 1_000, "enough units for several groups: {}", whole.units.len());
        let ruleset = app.ruleset(&campaign).await.unwrap();
        let calendar = app.calendar(&campaign).await.unwrap();
        let expected = roll_up(&ruleset, Some(&calendar), Tree::new(&whole.units).unwrap());
        let computed = app.results_from_scratch(&campaign.id).await.unwrap();
        let (mut reports, mut outcomes) = (0, HashSet::new());
        for (i, u) in whole.units.iter().enumerate() {
            assert_eq!(computed.summary(&u.id.0), expected.summaries[i].as_ref(), "counts of {} ({})", u.id.0, u.unit_type);
            let report = computed.report(&u.id.0).map(|r| serde_json::to_string(r).unwrap());
            let in_memory =
                expected.verdicts[i].as_ref().map(|v| serde_json::to_string(&UnitReport::new(&ruleset, Some(&calendar), v)).unwrap());
            assert_eq!(report, in_memory, "report of {} ({})", u.id.0, u.unit_type);
            if let Some(r) = computed.report(&u.id.0) {
                reports += 1;
                outcomes.insert(r.outcome);
            }
        }
        assert_eq!(computed.reports().count(), reports, "no report of a unit outside the campaign");
        assert!(outcomes.len() > 1, "outcomes vary, so the comparison means something: {outcomes:?}");
    }
}
