//! On PostgreSQL, paths and identifiers compare byte by byte whatever the database's collation.
//! Subtrees are read as ranges of paths, and a collation that skips punctuation, as glibc's
//! vi_VN.UTF-8 and en_US.UTF-8 do, would cut them short. Runs when ANTT_TEST_POSTGRES names a
//! server (SQLite compares bytes already).

use antt_core::access::Role;
use antt_store::{Store, campaigns, facts, testing, units, users};

/// ICU's root collation with punctuation ignorable, like glibc's locales.
const SKIPS_PUNCTUATION: &str = "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'und-u-ka-shifted'";

#[tokio::test]
async fn a_subtree_is_whole_under_a_collation_that_skips_punctuation() {
    let Some(server) = std::env::var(testing::POSTGRES_ENV).ok().filter(|s| !s.is_empty()) else { return };
    let url = testing::fresh_postgres_url(&server, SKIPS_PUNCTUATION).await.expect("database");
    let store = Store::connect(&url).await.expect("store");
    store.migrate().await.expect("migrate");
    let mut tx = store.begin().await.expect("tx");
    let unit = testing::new_unit;
    // Codes as the GSO lists give them: `/2025-40/2025-16939/` skipping its slashes reads
    // "202540202516939", past the end of the range `/2025-40/`..`/2025-400`.
    let tree = [
        unit("2025-40", "province", None),
        unit("2025-16939", "commune", Some("2025-40")),
        unit("KDC-1", "residential_area", Some("2025-16939")),
    ];
    units::insert_many(&mut tx, None, &tree).await.expect("units");
    let admin = users::create(&mut tx, None, "admin", "Quản trị", "mat-khau-dai").await.expect("user");
    users::grant(&mut tx, None, &admin, Role::Admin, "2025-40").await.expect("grant");
    let new = campaigns::NewCampaign { scope_unit_id: "2025-40".into(), ..testing::vinh_long_2013("Năm 2024") };
    let campaign = campaigns::create(&mut tx, Some(&admin), &new).await.expect("campaign");
    tx.commit().await.expect("commit");

    let root = units::get(&store, "2025-40").await.expect("get").expect("root");
    let loaded = facts::load(&store, &campaign, &root).await.expect("load");
    let ids: Vec<&str> = loaded.units.iter().map(|u| u.id.0.as_str()).collect();
    assert_eq!(ids, ["2025-40", "2025-16939", "KDC-1"], "the whole subtree, in path order");
}
