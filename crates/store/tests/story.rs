//! One campaign's story through the store, on SQLite by default and on PostgreSQL when
//! ANTT_TEST_POSTGRES names a server.

use antt_core::access::Role;
use antt_core::fact::Fact;
use antt_core::model::Commitment;
use antt_core::rollup::{Tree, roll_up};
use antt_store::facts::{self, Writer};
use antt_store::units::NewUnit;
use antt_store::{StoreError, campaigns, testing, units, users};

fn unit(id: &str, name: &str, unit_type: &str, parent: Option<&str>) -> NewUnit {
    NewUnit { id: id.into(), name: name.into(), unit_type: unit_type.into(), parent_id: parent.map(Into::into), ..NewUnit::default() }
}

fn households(signed: u32, total: u32) -> Fact {
    Fact::Commitment(Commitment::new("households", signed, total))
}

#[tokio::test]
async fn a_campaign_from_units_to_verdicts() {
    let store = testing::fresh_store().await.expect("store");
    let mut tx = store.begin().await.expect("tx");
    units::insert_many(
        &mut tx,
        None,
        &[
            unit("86", "Tỉnh Vĩnh Long", "province", None),
            unit("857", "Huyện Long Hồ", "district", Some("86")),
            unit("29578", "Xã Đồng Phú", "commune", Some("857")),
            unit("ap1", "Ấp Phú Hòa", "residential_area", Some("29578")),
        ],
    )
    .await
    .expect("units");
    let admin = users::create(&mut tx, None, "admin", "Quản trị", "mat-khau-dai").await.expect("user");
    users::grant(&mut tx, None, &admin, Role::Admin, "86").await.expect("grant");
    let campaign = campaigns::create(&mut tx, Some(&admin), &testing::vinh_long_2013("Phát động năm 2013")).await.expect("campaign");
    tx.commit().await.expect("commit");

    let ap = units::get(&store, "ap1").await.expect("get").expect("exists");
    assert_eq!(ap.path, "/86/857/29578/ap1/");
    let found = units::search(&store, "/86/", "phu hoa", None, 1, 20).await.expect("search");
    assert_eq!(found.items.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(), ["ap1"]);
    let found = units::search(&store, "/86/", "VĨNH", None, 1, 20).await.expect("search");
    assert_eq!(found.total, 1);

    let w = Writer { user_id: &admin, campaign_id: &campaign.id, unit_id: "ap1" };
    let mut tx = store.begin().await.expect("tx");
    let id = facts::insert(&mut tx, w, &households(249, 250)).await.expect("insert");
    tx.commit().await.expect("commit");
    let before = campaigns::revision(&store, &campaign.id).await.expect("revision");

    // A stale version is refused and changes nothing.
    let mut tx = store.begin().await.expect("tx");
    let stale = facts::update(&mut tx, w, &id, 7, &households(250, 250)).await;
    assert!(matches!(stale, Err(StoreError::Conflict)), "{stale:?}");
    drop(tx);
    assert_eq!(campaigns::revision(&store, &campaign.id).await.expect("revision"), before);

    let root = units::get(&store, "86").await.expect("get").expect("exists");
    let loaded = facts::load(&store, &campaign, &root).await.expect("load");
    let ap_facts = loaded.units.iter().find(|u| u.id.0 == "ap1").expect("ap1 loaded");
    assert_eq!(ap_facts.commitments.as_ref().map(|c| (c[0].signed, c[0].total)), Some((249, 250)));
    assert_eq!(ap_facts.incidents, None, "incidents were never declared, so they are missing, not empty");

    let rs = antt_core::ruleset::built_in_named("vinh-long-2013").expect("rulesets").expect("exists");
    let result = roll_up(&rs, None, Tree::new(&loaded.units).expect("tree"));
    let verdict = result.verdict("ap1").expect("verdict");
    assert_eq!(verdict.outcome, antt_core::Outcome::NotRecognised);

    let (entries, total) = antt_store::audit::list(&store, &antt_store::audit::Filter::default(), 1, 50).await.expect("audit");
    assert!(total >= 4, "{total}");
    assert!(
        entries.iter().any(|e| e.entity == "commitments" && e.action == "create" && e.after.as_deref().is_some_and(|a| a.contains("249")))
    );

    let logged_in = users::check_password(&store, "ADMIN", "mat-khau-dai").await.expect("login");
    assert_eq!(logged_in.expect("right password").grants.len(), 1);
    assert!(users::check_password(&store, "admin", "sai").await.expect("login").is_none());
}

#[tokio::test]
async fn the_audit_log_refuses_updates_and_deletes() {
    let store = testing::fresh_store().await.expect("store");
    let mut tx = store.begin().await.expect("tx");
    users::create(&mut tx, None, "someone", "Người dùng", "mat-khau-dai").await.expect("user");
    tx.commit().await.expect("commit");
    let update = sqlx::query("UPDATE audit_log SET action = 'x'").execute(store.pool()).await;
    assert!(update.is_err(), "an update of the audit log must fail");
    let delete = sqlx::query("DELETE FROM audit_log").execute(store.pool()).await;
    assert!(delete.is_err(), "a delete from the audit log must fail");
    let (_, total) = antt_store::audit::list(&store, &antt_store::audit::Filter::default(), 1, 10).await.expect("audit");
    assert_eq!(total, 1);
}

#[tokio::test]
async fn a_sqlite_backup_is_a_complete_sound_copy() {
    if std::env::var(testing::POSTGRES_ENV).is_ok_and(|v| !v.is_empty()) {
        return; // PostgreSQL is backed up with pg_dump, not by antt.
    }
    let store = testing::fresh_store().await.expect("store");
    let mut tx = store.begin().await.expect("tx");
    units::insert_many(
        &mut tx,
        None,
        &[unit("86", "Tỉnh Vĩnh Long", "province", None), unit("857", "Huyện Long Hồ", "district", Some("86"))],
    )
    .await
    .expect("units");
    tx.commit().await.expect("commit");
    let dest = std::env::temp_dir().join(format!("antt-backup-{}.sqlite", antt_store::new_id()));
    antt_store::backup::sqlite_backup(&store, &dest).await.expect("backup");
    assert!(antt_store::backup::sqlite_backup(&store, &dest).await.is_err(), "an existing file is never overwritten");
    let copy = antt_store::Store::connect(&format!("sqlite://{}", dest.display())).await.expect("open copy");
    assert!(antt_store::backup::sqlite_integrity_ok(&copy).await.expect("check"));
    assert_eq!(units::get(&copy, "857").await.expect("get").map(|u| u.path), Some("/86/857/".to_owned()));
    let _ = std::fs::remove_file(dest);
}
