//! A commune's units created, renamed, moved and retired one at a time (`App::change_unit`):
//! the import's checks and messages, who may do it where, the subtree moving with the unit,
//! the audit. On SQLite by default and on PostgreSQL when ANTT_TEST_POSTGRES names a server.

// A test stops at the first surprise, with the value that caused it.
#![allow(clippy::unwrap_used)]

use antt_app::units::UnitChange;
use antt_app::{Actor, App, Error};
use antt_core::access::Role;
use antt_store::units::NewUnit;
use antt_store::{audit, campaigns, testing, units, users};

fn unit(id: &str, name: &str, unit_type: &str, parent: Option<&str>) -> NewUnit {
    NewUnit { id: id.into(), name: name.into(), unit_type: unit_type.into(), parent_id: parent.map(Into::into), ..NewUnit::default() }
}

struct World {
    app: App,
    campaign: String,
    commune: Actor,
    district: Actor,
    head: Actor,
}

/// A district with two communes, the first with an area; the commune's, the district's and the
/// area head's accounts; the 2013 campaign.
async fn world() -> World {
    let store = testing::fresh_store().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let tree = [
        unit("86", "Tỉnh Vĩnh Long", "province", None),
        unit("857", "Huyện Long Hồ", "district", Some("86")),
        unit("29578", "Xã Đồng Phú", "commune", Some("857")),
        unit("29590", "Xã Hòa Ninh", "commune", Some("857")),
        unit("29578-ap01", "Ấp Phú Hòa", "residential_area", Some("29578")),
    ];
    units::insert_many(&mut tx, None, &tree).await.unwrap();
    let campaign = campaigns::create(&mut tx, None, &testing::vinh_long_2013("Phát động năm 2013")).await.unwrap();
    let mut ids = Vec::new();
    for (name, role, at) in [("xa", Role::Commune, "29578"), ("huyen", Role::District, "857"), ("ap", Role::UnitHead, "29578-ap01")] {
        let id = users::create(&mut tx, None, name, name, "mat-khau-thu-nghiem").await.unwrap();
        users::grant(&mut tx, None, &id, role, at).await.unwrap();
        ids.push(id);
    }
    tx.commit().await.unwrap();
    let mut actors = Vec::new();
    for id in ids {
        actors.push(Actor::from_user(&users::active(&store, &id).await.unwrap().unwrap()));
    }
    let head = actors.pop().unwrap();
    let district = actors.pop().unwrap();
    let commune = actors.pop().unwrap();
    World { app: App::new(store, antt_core::ruleset::built_in().unwrap()), campaign: campaign.id, commune, district, head }
}

fn create(name: &str, code: &str) -> UnitChange {
    UnitChange::Create { parent_id: "29578".into(), unit_type: "residential_area".into(), name: name.into(), code: code.into() }
}

fn fields(e: Error) -> Vec<(String, String)> {
    match e {
        Error::Invalid { fields, .. } => fields.0.into_iter().collect(),
        other => panic!("refused field by field: {other:?}"),
    }
}

#[tokio::test]
async fn the_commune_adds_an_area_with_the_checks_of_an_import() {
    let w = world().await;
    let revision = || async { campaigns::get(w.app.store(), &w.campaign).await.unwrap().unwrap().revision };
    let before = revision().await;
    let added = w.app.change_unit(&w.commune, &w.campaign, &create("  Ấp Tân Hòa ", "29578-ap02")).await.unwrap();
    // The campaign's results follow the new unit.
    assert_eq!(revision().await, before + 1);
    assert_eq!(
        (added.name.as_str(), added.unit_type.as_str(), added.path.as_str(), added.official_code.as_deref()),
        ("Ấp Tân Hòa", "residential_area", "/86/857/29578/29578-ap02/", Some("29578-ap02"))
    );
    // Without a code, one is given.
    let other = w.app.change_unit(&w.commune, &w.campaign, &create("Ấp Tân Lợi", "")).await.unwrap();
    assert_eq!((other.official_code, other.parent_id.as_deref()), (None, Some("29578")));

    // The same name (case and diacritics aside) and a code in use: the import's messages.
    let refused = w.app.change_unit(&w.commune, &w.campaign, &create("ấp phu hoa", "29578-ap02")).await.unwrap_err();
    assert_eq!(
        fields(refused),
        [
            ("code".to_owned(), "Mã “29578-ap02” đã được dùng cho đơn vị khác".to_owned()),
            ("name".to_owned(), "Xã Đồng Phú đã có “Ấp Phú Hòa” (mã 29578-ap01); không nhập lại".to_owned()),
        ]
    );
    let refused = w.app.change_unit(&w.commune, &w.campaign, &create(&"ệ".repeat(201), "ấp/1")).await.unwrap_err();
    assert_eq!(
        fields(refused),
        [
            (
                "code".to_owned(),
                "Mã đơn vị “ấp/1” có ký tự “ấ” không được dùng: mã chỉ gồm chữ không dấu, chữ số, dấu “-” và dấu “.”.".to_owned()
            ),
            ("name".to_owned(), "Dài quá 200 ký tự (đang có 201).".to_owned()),
        ]
    );
    let refused = w
        .app
        .change_unit(
            &w.commune,
            &w.campaign,
            &UnitChange::Create { parent_id: "29578".into(), unit_type: "commune".into(), name: "Xã mới".into(), code: String::new() },
        )
        .await
        .unwrap_err();
    assert_eq!(fields(refused), [("unit_type".to_owned(), "Cần chọn loại đơn vị.".to_owned())]);

    // Audited with who did it and what was made.
    let (log, _) =
        audit::list(w.app.store(), &audit::Filter { entity: Some("units".into()), ..audit::Filter::default() }, 1, 50).await.unwrap();
    assert_eq!(log.iter().filter(|e| e.action == "create").count(), 2);
}

#[tokio::test]
async fn only_those_who_enter_the_communes_data_change_its_units() {
    let w = world().await;
    // The area's head: not their commune's units, nor their own unit.
    assert!(matches!(w.app.change_unit(&w.head, &w.campaign, &create("Ấp Mới", "")).await, Err(Error::NotFound(_))));
    let rename = UnitChange::Change { unit_id: "29578-ap01".into(), version: 1, name: "Ấp Đổi Tên".into(), parent: String::new() };
    assert!(matches!(w.app.change_unit(&w.head, &w.campaign, &rename).await, Err(Error::NotFound(_))));
    // The commune cannot move its area to a commune it does not enter data for, nor learn its name.
    let moving = UnitChange::Change { unit_id: "29578-ap01".into(), version: 1, name: "Ấp Phú Hòa".into(), parent: "29590".into() };
    let refused = w.app.change_unit(&w.commune, &w.campaign, &moving).await.unwrap_err();
    assert_eq!(
        fields(refused),
        [("parent".to_owned(), "Không có xã, phường, thị trấn “29590” trong phạm vi của đợt phát động.".to_owned())]
    );
    // Administrative units are the GSO's.
    let commune = UnitChange::Change { unit_id: "29578".into(), version: 1, name: "Xã Khác".into(), parent: String::new() };
    assert!(matches!(w.app.change_unit(&w.district, &w.campaign, &commune).await, Err(Error::Invalid { .. })));
}

#[tokio::test]
async fn the_district_moves_an_area_with_its_subtree_then_it_is_retired() {
    let w = world().await;
    // Something under the area moves with it.
    let mut tx = w.app.store().begin().await.unwrap();
    units::insert_many(&mut tx, None, &[unit("to-1", "Tổ 1", "residential_area", Some("29578-ap01"))]).await.unwrap();
    tx.commit().await.unwrap();

    let moving =
        UnitChange::Change { unit_id: "29578-ap01".into(), version: 1, name: "Ấp Phú Hòa".into(), parent: "xa hoa ninh".into() };
    let moved = w.app.change_unit(&w.district, &w.campaign, &moving).await.unwrap();
    assert_eq!((moved.parent_id.as_deref(), moved.path.as_str(), moved.version), (Some("29590"), "/86/857/29590/29578-ap01/", 2));
    let below = units::get(w.app.store(), "to-1").await.unwrap().unwrap();
    assert_eq!(below.path, "/86/857/29590/29578-ap01/to-1/");
    // A stale version changes nothing.
    let stale = UnitChange::Change { unit_id: "29578-ap01".into(), version: 1, name: "Ấp Khác".into(), parent: String::new() };
    assert!(matches!(w.app.change_unit(&w.district, &w.campaign, &stale).await, Err(Error::Conflict)));

    // Retired: refused while a current unit is under it, then from today.
    let retire = UnitChange::Retire { unit_id: "29578-ap01".into(), version: 2 };
    assert!(matches!(w.app.change_unit(&w.district, &w.campaign, &retire).await, Err(Error::Invalid { .. })));
    let mut tx = w.app.store().begin().await.unwrap();
    let below = units::get_held(&mut tx, "to-1").await.unwrap().unwrap();
    units::edit(&mut tx, None, &below, below.version, units::Edit::Retire { on: "2020-01-01" }).await.unwrap();
    tx.commit().await.unwrap();
    let retired = w.app.change_unit(&w.district, &w.campaign, &retire).await.unwrap();
    assert_eq!(retired.valid_to, Some(antt_app::today().format("%Y-%m-%d").to_string()));
    let again = UnitChange::Retire { unit_id: "29578-ap01".into(), version: 3 };
    assert!(matches!(w.app.change_unit(&w.district, &w.campaign, &again).await, Err(Error::Invalid { .. })));
    // The name is free again under the commune it was retired from.
    let reused = UnitChange::Create {
        parent_id: "29590".into(),
        unit_type: "residential_area".into(),
        name: "Ấp Phú Hòa".into(),
        code: String::new(),
    };
    w.app.change_unit(&w.district, &w.campaign, &reused).await.unwrap();

    let (log, _) =
        audit::list(w.app.store(), &audit::Filter { entity: Some("units".into()), ..audit::Filter::default() }, 1, 50).await.unwrap();
    // Besides the tree's own insertion (`import`).
    let mut actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).filter(|a| *a != "import").collect();
    actions.sort_unstable();
    assert_eq!(actions, ["create", "move", "retire", "retire"]);
}
