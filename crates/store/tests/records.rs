//! Every field of every kind of record comes back as it was written, and a row the codec cannot
//! read is refused by name instead of being left out. On SQLite by default and on PostgreSQL
//! when ANTT_TEST_POSTGRES names a server.

use antt_core::access::Role;
use antt_core::fact::{Fact, FactKind};
use antt_core::model::{Commitment, Discipline, DisciplineLevel, Document, Harm, Incident, Severity, SubUnit, SubUnitTitle, Title};
use antt_store::facts::{self, Writer};
use antt_store::{Store, StoreError, campaigns, testing, units, users};
use chrono::NaiveDate;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, m, d).expect("date")
}

/// A store with one school in a campaign; returns the store, the campaign id and the writer's id.
async fn school() -> (Store, String, String) {
    let store = testing::fresh_store().await.expect("store");
    let mut tx = store.begin().await.expect("tx");
    let unit = testing::new_unit;
    units::insert_many(&mut tx, None, &[unit("86", "province", None), unit("truong", "school", Some("86"))]).await.expect("units");
    let admin = users::create(&mut tx, None, "admin", "Quản trị", "mat-khau-dai").await.expect("user");
    users::grant(&mut tx, None, &admin, Role::Admin, "86").await.expect("grant");
    let campaign = campaigns::create(&mut tx, Some(&admin), &testing::vinh_long_2013("Năm 2024")).await.expect("campaign");
    tx.commit().await.expect("commit");
    (store, campaign.id, admin)
}

fn every_field() -> Vec<Fact> {
    vec![
        Fact::Document(Document { kind: "security_plan".into(), number: Some("12/KH-THPT".into()), date: Some(day(2, 3)) }),
        Fact::Commitment(Commitment { also_groups: vec!["teachers".into(), "workers".into()], ..Commitment::new("staff", 71, 72) }),
        Fact::Incident(Incident {
            severity: Some(Severity::NghiemTrong),
            harm: Some(Harm { deaths: 1, injuries: vec![31, 12], damage_vnd: 120_000_000 }),
            domain: Some("security_order".into()),
            group: Some("learners".into()),
            in_territory: false,
            by_own_people: true,
            force_majeure: true,
            reported_promptly: Some(false),
            note: Some("Hai dòng\nghi chú".into()),
            ..Incident::new("traffic_accident", day(4, 5))
        }),
        Fact::Incident(Incident::new("crime", day(4, 6))),
        Fact::Discipline(Discipline {
            also_forces: vec!["protection_force".into()],
            person: Some("Phạm Văn Bảo".into()),
            ..Discipline::new("staff", DisciplineLevel::CanhCao, day(5, 6))
        }),
        Fact::Title(Title { force: "staff".into(), scale: "collective_labour".into(), level: "tap_the_lao_dong_tien_tien".into() }),
        Fact::SubUnit(SubUnit {
            name: "Tổ Toán".into(),
            titles: vec![SubUnitTitle { scale: "collective_labour".into(), level: "tap_the_lao_dong_tien_tien".into() }],
        }),
        Fact::SubUnit(SubUnit { name: "Tổ Văn".into(), titles: Vec::new() }),
    ]
}

#[tokio::test]
async fn every_field_of_every_kind_comes_back() {
    let (store, campaign_id, admin) = school().await;
    let w = Writer { user_id: &admin, campaign_id: &campaign_id, unit_id: "truong" };
    let written = every_field();
    let mut tx = store.begin().await.expect("tx");
    for fact in &written {
        facts::insert(&mut tx, w, fact).await.expect("insert");
    }
    tx.commit().await.expect("commit");

    let mut read = Vec::new();
    for kind in FactKind::ALL {
        read.extend(facts::list(&store, &campaign_id, "truong", kind).await.expect("list").into_iter().map(|s| s.fact));
    }
    for fact in &written {
        assert!(read.contains(fact), "{fact:?} did not come back; read {read:#?}");
    }
    assert_eq!(read.len(), written.len());

    // The engine's view of the unit holds the same records.
    let campaign = campaigns::get(&store, &campaign_id).await.expect("get").expect("campaign");
    let root = units::get(&store, "86").await.expect("get").expect("root");
    let loaded = facts::load(&store, &campaign, &root).await.expect("load");
    let unit = loaded.units.iter().find(|u| u.id.0 == "truong").expect("school");
    assert_eq!(unit.commitments.as_ref().map(|c| c[0].also_groups.clone()), Some(vec!["teachers".into(), "workers".into()]));
    let harms: Vec<Option<Harm>> = unit.incidents.iter().flatten().map(|i| i.harm.clone()).collect();
    assert!(harms.contains(&Some(Harm { deaths: 1, injuries: vec![31, 12], damage_vnd: 120_000_000 })), "{harms:?}");
    assert!(harms.contains(&None), "an event without harm stays without: {harms:?}");
    assert_eq!(unit.discipline.as_ref().map(|d| d[0].also_forces.clone()), Some(vec!["protection_force".into()]));
}

#[tokio::test]
async fn a_row_the_codec_cannot_read_is_refused_by_name() {
    let (store, campaign_id, admin) = school().await;
    let w = Writer { user_id: &admin, campaign_id: &campaign_id, unit_id: "truong" };
    let mut tx = store.begin().await.expect("tx");
    let incident = facts::insert(&mut tx, w, &every_field()[2]).await.expect("incident");
    let discipline = facts::insert(&mut tx, w, &every_field()[4]).await.expect("discipline");
    tx.commit().await.expect("commit");
    let campaign = campaigns::get(&store, &campaign_id).await.expect("get").expect("campaign");
    let root = units::get(&store, "86").await.expect("get").expect("root");

    // Each damage is one a hand-edited database or a bad migration could leave.
    let damages = [
        ("incidents", &incident, "harm", r#"{"deaths": 1, "wounded": 2}"#),
        ("incidents", &incident, "harm", "not json"),
        ("discipline", &discipline, "also_forces", r#""protection_force""#),
        ("discipline", &discipline, "level", "bi_mang"),
    ];
    for (table, id, column, value) in damages {
        let before: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT {column} FROM {table} WHERE id = $1")))
            .bind(id)
            .fetch_one(store.pool())
            .await
            .expect("read");
        sqlx::query(sqlx::AssertSqlSafe(format!("UPDATE {table} SET {column} = $1 WHERE id = $2")))
            .bind(value)
            .bind(id)
            .execute(store.pool())
            .await
            .expect("damage");
        let kind = FactKind::parse(table).expect("kind");
        let refused = facts::list(&store, &campaign_id, "truong", kind).await;
        match refused {
            Err(StoreError::Unreadable(message)) => {
                assert!(message.contains(id.as_str()) && message.contains(column), "{column} = {value}: {message}");
            }
            other => panic!("{column} = {value} was read as {other:?}"),
        }
        // The bulk read the engine's facts come from names the same row and column.
        match facts::load(&store, &campaign, &root).await {
            Err(StoreError::Unreadable(message)) => {
                assert!(message.contains(id.as_str()) && message.contains(column) && message.contains(table), "{message}");
            }
            other => panic!("{column} = {value} was loaded as {other:?}"),
        }
        sqlx::query(sqlx::AssertSqlSafe(format!("UPDATE {table} SET {column} = $1 WHERE id = $2")))
            .bind(before)
            .bind(id)
            .execute(store.pool())
            .await
            .expect("repair");
        assert_eq!(facts::list(&store, &campaign_id, "truong", kind).await.expect("repaired").len(), 1);
    }
}
