//! Ruleset texts in the database: kept exactly with their SHA-256 hash, a changed text under the
//! same name is a new version beside the old ones, the same text again writes nothing, and a
//! campaign keeps the version it started with. On SQLite, and on PostgreSQL with
//! ANTT_TEST_POSTGRES.

// A test stops at the first surprise, with the value that caused it.
#![allow(clippy::unwrap_used)]

use antt_store::rulesets::{self, Added, NewText};
use antt_store::units::{self, NewUnit};
use antt_store::{Store, campaigns, sha256_hex, testing};

const V1: &str = "id: tinh-x\nname: Bộ tiêu chí của tỉnh\n";
const V2: &str = "id: tinh-x\nname: Bộ tiêu chí của tỉnh, sửa đổi\n";

async fn add(store: &Store, name: &str, text: &str) -> Added {
    let mut tx = store.begin().await.unwrap();
    let added = rulesets::add(&mut tx, NewText { name, text, built_in: false, added_by: "dòng lệnh (root)" }).await.unwrap();
    tx.commit().await.unwrap();
    added
}

#[tokio::test]
async fn a_changed_text_is_a_new_version_and_the_same_text_writes_nothing() {
    let store = testing::fresh_store().await.unwrap();
    let Added::New(first) = add(&store, "tinh-x", V1).await else { panic!("the first text is new") };
    assert_eq!((first.name.as_str(), first.version, first.built_in), ("tinh-x", 1, false));
    assert_eq!(first.hash, sha256_hex(V1.as_bytes()));
    assert_eq!(first.hash.len(), 64);
    assert_eq!(first.added_by, "dòng lệnh (root)");

    // The same text again: nothing written, the stored version given back.
    assert_eq!(add(&store, "tinh-x", V1).await, Added::Unchanged(first.clone()));

    let Added::New(second) = add(&store, "tinh-x", V2).await else { panic!("a changed text is new") };
    assert_eq!((second.version, second.hash.as_str()), (2, sha256_hex(V2.as_bytes()).as_str()));
    // Going back to the first text is a third version: the newest is what a new campaign gets.
    let Added::New(third) = add(&store, "tinh-x", V1).await else { panic!("back to the first text is new") };
    assert_eq!((third.version, third.hash.as_str()), (3, first.hash.as_str()));

    let history = rulesets::history(&store, "tinh-x").await.unwrap();
    assert_eq!(history.iter().map(|s| (s.version, s.text.as_str())).collect::<Vec<_>>(), [(1, V1), (2, V2), (3, V1)]);
    // Every version reads back exactly as written, byte for byte.
    assert_eq!(rulesets::get(store.pool(), "tinh-x", 2).await.unwrap().map(|s| s.text), Some(V2.to_owned()));
    assert_eq!(rulesets::get(store.pool(), "tinh-x", 4).await.unwrap(), None);

    // The newest added version of each name; built-in texts recorded for campaigns are not
    // listed as added.
    add(&store, "tinh-y", "id: tinh-y\n").await;
    let mut tx = store.begin().await.unwrap();
    rulesets::record_built_in(&mut tx, "vinh-long-2013").await.unwrap().unwrap();
    tx.commit().await.unwrap();
    let newest = rulesets::newest_added(&store).await.unwrap();
    assert_eq!(newest.iter().map(|s| (s.name.as_str(), s.version)).collect::<Vec<_>>(), [("tinh-x", 3), ("tinh-y", 1)]);
}

#[tokio::test]
async fn a_campaign_keeps_the_version_it_started_with() {
    let store = testing::fresh_store().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    units::insert_many(
        &mut tx,
        None,
        &[NewUnit { id: "86".into(), name: "Tỉnh Vĩnh Long".into(), unit_type: "province".into(), ..NewUnit::default() }],
    )
    .await
    .unwrap();
    // A built-in ruleset: its text is recorded when the campaign starts.
    let built_in = campaigns::create(&mut tx, None, &testing::vinh_long_2013("Năm 2013")).await.unwrap();
    tx.commit().await.unwrap();
    let text = antt_core::ruleset::built_in_text("vinh-long-2013").unwrap();
    assert_eq!((built_in.ruleset_version, built_in.ruleset_hash.as_str()), (1, sha256_hex(text.as_bytes()).as_str()));
    let recorded = rulesets::get(store.pool(), "vinh-long-2013", 1).await.unwrap().unwrap();
    assert_eq!((recorded.text.as_str(), recorded.built_in, recorded.added_by.as_str()), (text, true, "antt"));

    // An added ruleset at version 1, then version 2 added: the campaign stays at 1.
    add(&store, "tinh-x", V1).await;
    let mut tx = store.begin().await.unwrap();
    let added = campaigns::create(
        &mut tx,
        None,
        &campaigns::NewCampaign { ruleset: "tinh-x".into(), ruleset_version: Some(1), ..testing::vinh_long_2013("Tỉnh X") },
    )
    .await
    .unwrap();
    // A second campaign on the built-in ruleset reuses the recorded text.
    let again = campaigns::create(&mut tx, None, &testing::vinh_long_2013("Lần nữa")).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(again.ruleset_version, 1);
    add(&store, "tinh-x", V2).await;
    let read = campaigns::get(&store, &added.id).await.unwrap().unwrap();
    assert_eq!(
        (read.ruleset.as_str(), read.ruleset_version, read.ruleset_hash.as_str()),
        ("tinh-x", 1, sha256_hex(V1.as_bytes()).as_str())
    );
    assert_eq!(campaigns::get(&store, &built_in.id).await.unwrap().unwrap(), built_in);

    // A version that does not exist, or a name that is neither stored nor built in, is refused.
    let mut tx = store.begin().await.unwrap();
    let missing = campaigns::NewCampaign { ruleset: "tinh-x".into(), ruleset_version: Some(9), ..testing::vinh_long_2013("Sai") };
    assert!(campaigns::create(&mut tx, None, &missing).await.is_err());
    let unknown = campaigns::NewCampaign { ruleset: "khong-co".into(), ..testing::vinh_long_2013("Sai") };
    assert!(campaigns::create(&mut tx, None, &unknown).await.is_err());
}
