//! The rules that protect a write hold when writes overlap: a decision and an import of the same
//! unit never both commit; concurrent saves of one single-valued fact all succeed and the last
//! one stays; unit codes that would widen a subtree are refused. On SQLite by default and on
//! PostgreSQL when ANTT_TEST_POSTGRES names a server.

// A test stops at the first surprise, with the value that caused it.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use antt_app::decisions::{CHAIRMAN, DecisionForm};
use antt_app::imports::{ImportFile, Importer};
use antt_app::review::Confirm;
use antt_app::scoring::ScoreInput;
use antt_app::{Actor, App, Error};
use antt_core::access::{Action, Role};
use antt_import::{Kind, Limits};
use antt_store::units::NewUnit;
use antt_store::{Store, audit, campaigns, decisions, imports, registrations, testing, units, users};

const AREAS: usize = 20;

fn unit(id: &str, name: &str, unit_type: &str, parent: Option<&str>) -> NewUnit {
    NewUnit { id: id.into(), name: name.into(), unit_type: unit_type.into(), parent_id: parent.map(Into::into), ..NewUnit::default() }
}

fn area(i: usize) -> String {
    format!("29578-a{i:02}")
}

/// Old Vĩnh Long in small: a district, a commune with `AREAS` residential areas and three units
/// whose codes share a prefix; the 2013 campaign; the commune's account and a head of `x`.
async fn world() -> (App, String, Actor, Actor) {
    let store = testing::fresh_store().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let mut tree = vec![
        unit("86", "Tỉnh Vĩnh Long", "province", None),
        unit("857", "Huyện Long Hồ", "district", Some("86")),
        unit("29578", "Xã Đồng Phú", "commune", Some("857")),
    ];
    tree.extend((0..AREAS).map(|i| unit(&area(i), &format!("Ấp số {i}"), "residential_area", Some("29578"))));
    for code in ["x", "x-1", "x.1"] {
        tree.push(unit(code, &format!("Ấp {code}"), "residential_area", Some("29578")));
    }
    units::insert_many(&mut tx, None, &tree).await.unwrap();
    let campaign = campaigns::create(&mut tx, None, &testing::vinh_long_2013("Phát động năm 2013")).await.unwrap();
    let commune = users::create(&mut tx, None, "xa", "Ban Chỉ đạo xã Đồng Phú", "mat-khau-thu-nghiem").await.unwrap();
    users::grant(&mut tx, None, &commune, Role::Commune, "29578").await.unwrap();
    let head = users::create(&mut tx, None, "truong-ap-x", "Trưởng ấp x", "mat-khau-thu-nghiem").await.unwrap();
    users::grant(&mut tx, None, &head, Role::UnitHead, "x").await.unwrap();
    tx.commit().await.unwrap();
    let actor = |id: String| {
        let store = store.clone();
        async move { Actor::from_user(&users::active(&store, &id).await.unwrap().unwrap()) }
    };
    let (commune, head) = (actor(commune).await, actor(head).await);
    (App::new(store, antt_core::ruleset::built_in().unwrap()), campaign.id, commune, head)
}

/// A household list of `rows` households for one area, as a CSV file.
fn households(rows: usize) -> ImportFile {
    let mut csv = String::from("Chủ hộ,Đã ký cam kết\n");
    for i in 0..rows {
        csv.push_str(&format!("Hộ {i},có\n"));
    }
    ImportFile { kind: Kind::Households, file_name: "ho.csv".into(), content: csv.into_bytes(), limits: Limits::default() }
}

async fn household_rows(store: &Store, campaign: &str, unit: &str) -> usize {
    imports::households(store, campaign, unit).await.unwrap().len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_decision_and_an_import_of_the_same_unit_never_both_commit() {
    let (app, campaign, commune, _) = world().await;
    let rows = 20_000;
    let (mut imports_first, mut decisions_first) = (0, 0);
    for i in 0..AREAS {
        let unit = area(i);
        app.confirm_verdict(
            &commune,
            &campaign,
            &unit,
            Confirm { outcome: "recognised", note: Some("Đoàn kiểm tra đã xác minh tại chỗ"), acknowledged: true },
        )
        .await
        .unwrap();
        let importing = {
            let (app, campaign, commune, unit) = (app.clone(), campaign.clone(), commune.clone(), unit.clone());
            tokio::spawn(async move {
                app.import(Importer::User(&commune), &campaign, Some(&unit), &households(rows), |_| {}, &mut |_, _| {}).await
            })
        };
        // Start the decision at a different moment of the import each time.
        tokio::time::sleep(Duration::from_millis((i as u64 % 10) * 40)).await;
        let form = DecisionForm {
            number: format!("{}/QĐ-UBND", i + 1),
            decided_on: chrono::NaiveDate::from_ymd_opt(2013, 11, 14).unwrap(),
            signer: "Nguyễn Văn A".into(),
            signer_role: CHAIRMAN.into(),
            unit_ids: vec![unit.clone()],
            request_number: String::new(),
            request_date: None,
        };
        let decided = app.issue_decision(&commune, &campaign, &form).await;
        let imported = importing.await.unwrap().unwrap();
        let import_committed = imported.problems.is_empty() && imported.imported == rows;
        let lock = decisions::lock_of(app.store(), &campaign, &unit).await.unwrap();
        let stored = household_rows(app.store(), &campaign, &unit).await;
        match (&decided, import_committed) {
            (Ok(_), false) => {
                // The decision came first: the import saw the lock and wrote nothing.
                decisions_first += 1;
                assert!(lock.is_some(), "{unit}: locked");
                assert_eq!(stored, 0, "{unit}: the locked unit's facts are unchanged");
                assert!(imported.problems.iter().any(|p| p.message.contains("đã bị khóa bởi quyết định công nhận")), "{imported:?}");
            }
            (Err(Error::Invalid { message, .. }), true) => {
                // The import came first: the facts changed after the review, so no decision.
                imports_first += 1;
                assert!(message.contains("đã thay đổi sau khi được xét duyệt"), "{message}");
                assert!(lock.is_none(), "{unit}: not locked");
                assert_eq!(stored, rows);
            }
            other => panic!("{unit}: exactly one must commit, got {other:?} (import committed: {import_committed})"),
        }
    }
    eprintln!("decision first {decisions_first} times, import first {imports_first} times");
    assert_eq!(decisions_first + imports_first, AREAS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_saves_of_one_value_all_succeed_and_the_last_stays() {
    let (app, campaign, commune, _) = world().await;
    let unit = area(0);
    let saves = 16;
    let mut tasks = Vec::new();
    for n in 0..saves {
        let (app, campaign, commune, unit) = (app.clone(), campaign.clone(), commune.clone(), unit.clone());
        tasks.push(tokio::spawn(async move {
            let flag = app.set_conditions(&commune, &campaign, &unit, &[("party_organisation".into(), n % 2 == 0)]).await;
            let count = app.set_previous_year(&commune, &campaign, &unit, &[("crime".into(), n)]).await;
            let score = ScoreInput { item: "1.1".into(), points: n.to_string(), note: None };
            let scored = app.self_score(&commune, &campaign, &unit, &[score]).await;
            (flag, count, scored)
        }));
    }
    for t in tasks {
        let (flag, count, scored) = t.await.unwrap();
        flag.unwrap();
        count.unwrap();
        scored.unwrap();
    }
    // The value stored is one the last write set: a write waits for the one before it to
    // commit before it records itself, so the last audit records (by time, to the millisecond)
    // are those of the last writes.
    let last = |entity: &'static str, key: &'static str| {
        let store = app.store().clone();
        async move {
            let filter = audit::Filter { entity: Some(entity.into()), unit_id: Some(area(0)), ..Default::default() };
            let (entries, n) = audit::list(&store, &filter, 1, 100).await.unwrap();
            assert_eq!(n, u64::from(saves), "{entity}: every save audited");
            let latest = entries.iter().map(|e| e.at.clone()).max().unwrap();
            entries
                .iter()
                .filter(|e| e.at == latest)
                .map(|e| serde_json::from_str::<serde_json::Value>(e.after.as_deref().unwrap()).unwrap()[key].clone())
                .collect::<Vec<_>>()
        }
    };
    let flags = registrations::flags(app.store(), &campaign, &unit).await.unwrap();
    assert!(last("unit_flags", "party_organisation").await.contains(&serde_json::json!(flags["party_organisation"])));
    let counts = registrations::previous_year(app.store(), &campaign, &unit).await.unwrap();
    assert!(last("previous_year_counts", "crime").await.contains(&serde_json::json!(counts["crime"])));
    let scores = registrations::scores(app.store(), &campaign, &unit, antt_store::facts::ScoreSource::SelfAssessed).await.unwrap();
    assert!(last("scores", "points").await.contains(&serde_json::json!(f64::from(scores["1.1"].points.tenths()) / 10.0)));
}

#[tokio::test]
async fn unit_codes_that_would_widen_a_subtree_are_refused_at_import() {
    let (app, campaign, commune, head) = world().await;
    let csv = "Tên khu dân cư,Mã\nẤp Mới,29578-ap01/evil\nẤp Khác,%\nẤp Thường,29578-ap99\n";
    let areas = Kind::parse("residential_area", &antt_core::ruleset::built_in_named("vinh-long-2013").unwrap().unwrap()).unwrap();
    let file = ImportFile { kind: areas, file_name: "ap.csv".into(), content: csv.into(), limits: Limits::default() };
    let parsed = app.check_import(Importer::User(&commune), &campaign, Some("29578"), &file, |_| {}).await.unwrap();
    let refused: Vec<(u32, Option<&str>)> = parsed.problems.iter().map(|p| (p.row, p.column.as_deref())).collect();
    assert_eq!(refused, [(2, Some("B (Mã)")), (3, Some("B (Mã)"))], "{:?}", parsed.problems);
    assert!(parsed.problems[0].message.contains("“/”"), "{}", parsed.problems[0].message);
    // A head of `x` reaches `x` and nothing that merely starts with the same letters.
    assert!(app.unit(&head, "x", Action::EditFacts).await.is_ok());
    for sibling in ["x-1", "x.1"] {
        assert!(matches!(app.unit(&head, sibling, Action::Read).await, Err(Error::NotFound(_))), "{sibling}");
    }
}
