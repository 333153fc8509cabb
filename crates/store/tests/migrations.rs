//! Migrations are forward-only and carry data forward: a database left by the previous release
//! (every migration but the newest) is brought to the newest schema with its data intact, and a
//! new database is brought there from empty. On SQLite, and on PostgreSQL with ANTT_TEST_POSTGRES.

use antt_core::fact::{Fact, FactKind};
use antt_store::facts;
use antt_store::{Store, campaigns, testing, units, users};
use sqlx::Row;

async fn applied_versions(store: &Store) -> Vec<i64> {
    sqlx::query("SELECT version FROM _sqlx_migrations ORDER BY version")
        .fetch_all(store.pool())
        .await
        .expect("versions")
        .iter()
        .map(|r| r.try_get("version").expect("version"))
        .collect()
}

/// What the first release stored, written with the first release's columns only (later
/// migrations may add columns, never take these away).
const FIRST_RELEASE_DATA: &[&str] = &[
    "INSERT INTO units (id, name, name_folded, unit_type, parent_id, path) VALUES ('86', 'Tỉnh Vĩnh Long', 'tinh vinh long', 'province', NULL, '/86/')",
    "INSERT INTO units (id, name, name_folded, unit_type, parent_id, path) VALUES ('29578', 'Xã Đồng Phú', 'xa dong phu', 'commune', '86', '/86/29578/')",
    "INSERT INTO units (id, name, name_folded, unit_type, parent_id, path) VALUES ('ap1', 'Ấp Phú Hòa', 'ap phu hoa', 'residential_area', '29578', '/86/29578/ap1/')",
    "INSERT INTO campaigns (id, scope_unit_id, year, plan_number, plan_date, ruleset, title, created_at, revision) \
     VALUES ('c2013', '86', 2013, '710/QĐ-UBND', '2013-05-02', 'vinh-long-2013', 'Phát động năm 2013', '2013-05-02T00:00:00Z', 3)",
    "INSERT INTO commitments (id, campaign_id, unit_id, group_code, signed, total) VALUES ('k1', 'c2013', 'ap1', 'households', 118, 120)",
    "INSERT INTO incidents (id, campaign_id, unit_id, kind, occurred_on, severity, in_territory, by_own_people, force_majeure, reported_promptly, note) \
     VALUES ('i1', 'c2013', 'ap1', 'crime', '2013-07-14', 'it_nghiem_trong', 1, 0, 0, 1, 'Mất trộm xe máy')",
    "INSERT INTO fact_lists (campaign_id, unit_id, list) VALUES ('c2013', 'ap1', 'incidents')",
];

#[tokio::test]
async fn the_previous_release_database_migrates_with_its_data() {
    let versions = testing::migration_versions();
    let newest = *versions.last().expect("at least one migration");
    // The data below is the first release's (tokens without an id or an expiry), so the database
    // stops at the first release's schema and every later migration carries it forward.
    let store = Store::connect(&testing::fresh_url().await.expect("url")).await.expect("connect");
    testing::migrate_to(&store, versions[0]).await.expect("first release");
    for sql in FIRST_RELEASE_DATA {
        sqlx::query(*sql).execute(store.pool()).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    // An account and an API token as the first release stored them (tokens had no expiry).
    let user = "u-canbo";
    sqlx::query("INSERT INTO users (id, username, full_name, password_hash, created_at) VALUES ($1, 'canbo', 'Cán bộ xã', $2, '2013-05-02T00:00:00Z')")
        .bind(user)
        .bind(users::hash_password("mat-khau-du-dai").expect("hash"))
        .execute(store.pool())
        .await
        .expect("user");
    let old_token = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    sqlx::query("INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES ($1, $2, 'phần mềm cũ', '2013-05-02T00:00:00Z')")
        .bind(antt_store::sha256_hex(old_token.as_bytes()))
        .bind(user)
        .execute(store.pool())
        .await
        .expect("token");

    store.migrate().await.expect("to the newest schema");
    assert_eq!(applied_versions(&store).await, versions);
    assert_eq!(applied_versions(&store).await.last(), Some(&newest));

    // Read back through today's code.
    let area = units::get(&store, "ap1").await.expect("get").expect("the area survives");
    assert_eq!((area.name.as_str(), area.path.as_str()), ("Ấp Phú Hòa", "/86/29578/ap1/"));
    let campaign = campaigns::get(&store, "c2013").await.expect("get").expect("the campaign survives");
    assert_eq!((campaign.year, campaign.plan_number.as_deref()), (2013, Some("710/QĐ-UBND")));
    let commitments = facts::list(&store, "c2013", "ap1", FactKind::Commitments).await.expect("commitments");
    assert_eq!(commitments.len(), 1);
    assert!(matches!(&commitments[0].fact, Fact::Commitment(c) if (c.signed, c.total) == (118, 120)), "{commitments:?}");
    let root = units::get(&store, "86").await.expect("get").expect("root");
    let loaded = facts::load(&store, &campaign, &root).await.expect("facts load at the newest schema");
    let ap = loaded.units.iter().find(|u| u.id.0 == "ap1").expect("area in facts");
    assert_eq!(ap.incidents.as_ref().map(Vec::len), Some(1), "the declared incident list comes through");
    let signed_in = users::check_password(&store, "canbo", "mat-khau-du-dai").await.expect("login").expect("accepted");
    assert_eq!((signed_in.id.as_str(), signed_in.must_change_password), (user, false));
    // A token without an expiry is listed with an id and refused from now on.
    let tokens = users::api_tokens(&store, user).await.expect("tokens");
    assert_eq!((tokens.len(), tokens[0].id.len(), tokens[0].name.as_str()), (1, 28, "phần mềm cũ"));
    assert!(users::api_user(&store, old_token).await.expect("lookup").is_none());

    // Running the migrations again changes nothing.
    store.migrate().await.expect("again");
    assert_eq!(applied_versions(&store).await, versions);
}

#[tokio::test]
async fn a_new_database_migrates_from_empty() {
    let store = Store::connect(&testing::fresh_url().await.expect("url")).await.expect("connect");
    store.migrate().await.expect("migrate");
    assert_eq!(applied_versions(&store).await, testing::migration_versions());
    assert!(units::roots(&store).await.expect("roots").is_empty());
}
