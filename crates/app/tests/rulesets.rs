//! A province's ruleset added at run time: checked like `antt rulesets check`, offered to new
//! campaigns at its newest version, and kept by each campaign at the version it started with.
//! On SQLite by default and on PostgreSQL when ANTT_TEST_POSTGRES names a server.

// A test stops at the first surprise, with the value that caused it.
#![allow(clippy::unwrap_used)]

use antt_app::campaigns::LaunchForm;
use antt_app::{Actor, App, Error};
use antt_core::access::Role;
use antt_core::ruleset::Check;
use antt_store::rulesets::Added;
use antt_store::units::NewUnit;
use antt_store::{testing, units, users};

const EXAMPLE: &str = include_str!("../../../examples/rulesets/vinh-long-2013-cho.yaml");

async fn world() -> (App, Actor) {
    let store = testing::fresh_store().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    units::insert_many(
        &mut tx,
        None,
        &[NewUnit { id: "86".into(), name: "Tỉnh Vĩnh Long".into(), unit_type: "province".into(), ..NewUnit::default() }],
    )
    .await
    .unwrap();
    let admin = users::create(&mut tx, None, "tinh", "Ban Chỉ đạo tỉnh", "mat-khau-thu-nghiem").await.unwrap();
    users::grant(&mut tx, None, &admin, Role::Admin, "86").await.unwrap();
    tx.commit().await.unwrap();
    let actor = Actor::from_user(&users::active(&store, &admin).await.unwrap().unwrap());
    (App::new(store, antt_core::ruleset::built_in().unwrap()), actor)
}

fn launch(ruleset: &str, title: &str) -> LaunchForm {
    LaunchForm {
        scope_unit: "86".into(),
        title: title.into(),
        plan_number: "120/QĐ-UBND".into(),
        plan_date: "02/05/2014".into(),
        year: "2014".into(),
        ruleset: ruleset.into(),
        settings: Default::default(),
    }
}

/// The threshold of the market's commitment part (6.1 b) in a ruleset.
fn traders_percent(r: &antt_core::Ruleset) -> u32 {
    let part = r.criteria.iter().find(|c| c.id == "6.1").unwrap().parts.iter().find(|p| p.id == "b").unwrap();
    match &part.check {
        Check::CommitmentRatio(c) => c.at_least_percent,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_campaign_keeps_the_version_of_the_ruleset_it_started_with() {
    let (app, actor) = world().await;
    // Not offered before it is added.
    assert!(app.offered_ruleset("vinh-long-2013-cho").await.unwrap().is_none());
    let Added::New(v1) = app.add_ruleset("dòng lệnh (root)", "vinh-long-2013-cho.yaml", EXAMPLE).await.unwrap() else { panic!("new") };
    assert_eq!(
        (v1.name.as_str(), v1.version, v1.hash.as_str()),
        ("vinh-long-2013-cho", 1, antt_store::sha256_hex(EXAMPLE.as_bytes()).as_str())
    );
    let offered = app.offered_ruleset("vinh-long-2013-cho").await.unwrap().unwrap();
    assert_eq!((offered.stored.as_ref().map(|s| s.version), offered.hash.as_str()), (Some(1), v1.hash.as_str()));

    let campaign = app.launch_campaign(&actor, &launch("vinh-long-2013-cho", "Năm 2014, có chợ")).await.unwrap();
    assert_eq!(
        (campaign.ruleset.as_str(), campaign.ruleset_version, campaign.ruleset_hash.as_str()),
        ("vinh-long-2013-cho", 1, v1.hash.as_str())
    );
    let kept = app.ruleset(&campaign).await.unwrap();
    assert_eq!(kept.unit_type_name("market"), "chợ");
    assert_eq!(traders_percent(&kept), 90);

    // Version 2 raises the threshold: new campaigns get it, the first campaign does not.
    let changed = EXAMPLE.replace("at_least_percent: 90 }", "at_least_percent: 95 }");
    let Added::New(v2) = app.add_ruleset("dòng lệnh (root)", "v2.yaml", &changed).await.unwrap() else { panic!("new") };
    assert_eq!(v2.version, 2);
    let later = app.launch_campaign(&actor, &launch("vinh-long-2013-cho", "Năm 2014, lần hai")).await.unwrap();
    assert_eq!(later.ruleset_version, 2);
    assert_eq!(traders_percent(&app.ruleset(&later).await.unwrap()), 95);
    // Another process (a fresh App on the same database) reads the first campaign's own text.
    let fresh = App::new(app.store().clone(), antt_core::ruleset::built_in().unwrap());
    let reread = antt_store::campaigns::get(fresh.store(), &campaign.id).await.unwrap().unwrap();
    assert_eq!(traders_percent(&fresh.ruleset(&reread).await.unwrap()), 90);

    // A built-in ruleset: its text is recorded at launch.
    let built_in = app.launch_campaign(&actor, &launch("vinh-long-2013", "Năm 2014")).await.unwrap();
    assert_eq!((built_in.ruleset_version, built_in.ruleset_hash.len()), (1, 64));
}

#[tokio::test]
async fn an_added_ruleset_is_checked_and_named_apart_from_the_built_in_ones() {
    let (app, _) = world().await;
    // The same text twice: stored once.
    app.add_ruleset("a", "x.yaml", EXAMPLE).await.unwrap();
    assert!(matches!(app.add_ruleset("b", "x.yaml", EXAMPLE).await.unwrap(), Added::Unchanged(s) if s.version == 1 && s.added_by == "a"));
    // Every problem of the check, with the file and place; nothing stored.
    let broken = EXAMPLE.replace("kind: market_rules", "kind: market_rule").replace("id: vinh-long-2013-cho", "id: tinh-khac");
    let Err(Error::Invalid { message, .. }) = app.add_ruleset("a", "sai.yaml", &broken).await else { panic!("refused") };
    assert!(
        message.starts_with("sai.yaml: tại criteria[6.1].parts[a].check.document.kind: loại tài liệu `market_rule` chưa được khai báo"),
        "{message}"
    );
    assert!(antt_store::rulesets::history(app.store(), "tinh-khac").await.unwrap().is_empty());
    // A built-in name is refused.
    let renamed = EXAMPLE.replace("id: vinh-long-2013-cho", "id: tt124-2025");
    let Err(Error::Invalid { message, .. }) = app.add_ruleset("a", "tt.yaml", &renamed).await else { panic!("refused") };
    assert!(message.contains("đã có sẵn trong chương trình"), "{message}");
}
