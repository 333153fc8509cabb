//! Both GSO lists into the unit tree, on SQLite or (with ANTT_TEST_POSTGRES) PostgreSQL: the
//! national import, its links checked against the conversion list, re-imports that change
//! nothing but names, provinces of either tree, and all or nothing.
#![allow(clippy::unwrap_used)]

use antt_store::gso::import::{self, Counts, Link, Lists, OLD_VALID_TO, Outcome};
use antt_store::units::{self, NewUnit};
use antt_store::{Store, StoreError, testing};
use sqlx::Row;

async fn count(store: &Store, sql: &str) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())).fetch_one(store.pool()).await.unwrap().try_get(0).unwrap()
}

/// The successors of a unit as (successor, whole, note), in id order.
async fn successors(store: &Store, id: &str) -> Vec<(String, bool, String)> {
    let rows = sqlx::query("SELECT successor_id, whole, note FROM unit_successors WHERE unit_id = $1 ORDER BY successor_id")
        .bind(id)
        .fetch_all(store.pool())
        .await
        .unwrap();
    rows.iter().map(|r| (r.get("successor_id"), r.get::<i64, _>("whole") != 0, r.get("note"))).collect()
}

async fn unit(store: &Store, id: &str) -> units::UnitRow {
    units::get(store, id).await.unwrap().unwrap_or_else(|| panic!("unit {id}"))
}

fn nothing_changed(o: &Outcome, units: usize) {
    assert_eq!((o.inserted, o.updated, o.unchanged, o.links_written), (0, 0, units, 0));
}

#[tokio::test]
async fn the_national_import_links_every_old_unit_and_a_second_run_changes_only_what_differs() {
    let store = testing::fresh_store().await.unwrap();
    let first = import::import(&store, Some("tester"), &[]).await.unwrap();
    let national =
        Counts { old_provinces: 63, old_districts: 696, old_communes: 10_051, new_provinces: 34, new_communes: 3_321, links: 11_321 };
    assert_eq!(first.counts, national);
    assert_eq!((first.inserted, first.updated, first.unchanged, first.links_written), (14_165, 0, 0, 11_321));
    assert_eq!(count(&store, "SELECT COUNT(*) FROM units").await, 14_165);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM unit_successors").await, 11_321);

    // Old Xã Đồng Phú (29578) went whole into Xã An Bình, whose new code 29584 was old Xã Hòa
    // Ninh's: the new unit's id keeps them apart (conversion list, line 10390).
    let dong_phu = unit(&store, "29578").await;
    assert_eq!(
        (dong_phu.name.as_str(), dong_phu.path.as_str(), dong_phu.valid_to.as_deref(), dong_phu.successor_id.as_deref()),
        ("Xã Đồng Phú", "/86/857/29578/", Some(OLD_VALID_TO), Some("2025-29584"))
    );
    assert_eq!(successors(&store, "29578").await, [("2025-29584".to_owned(), true, "Nhập toàn bộ".to_owned())]);
    let an_binh = unit(&store, "2025-29584").await;
    assert_eq!(
        (an_binh.name.as_str(), an_binh.path.as_str(), an_binh.valid_from.as_deref(), an_binh.official_code.as_deref()),
        ("Xã An Bình", "/2025-86/2025-29584/", Some("2025-07-01"), Some("29584"))
    );
    assert_eq!(unit(&store, "29584").await.name, "Xã Hòa Ninh");
    assert_eq!(unit(&store, "29584").await.successor_id.as_deref(), Some("2025-29584"));

    // Xã Ngãi Tứ (29764) was split: part to Phường Cái Vồn, part to the new Xã Ngãi Tứ, which
    // is the main successor as it keeps the name.
    assert_eq!(
        successors(&store, "29764").await,
        [("2025-29767".to_owned(), false, "Nhập một phần".to_owned()), ("2025-29770".to_owned(), false, "Nhập một phần".to_owned())]
    );
    assert_eq!(unit(&store, "29764").await.successor_id.as_deref(), Some("2025-29767"));
    let names = |links: Vec<units::Linked>| links.into_iter().map(|l| (l.unit.name, l.whole)).collect::<Vec<_>>();
    assert_eq!(
        names(units::links(&store, "29764", false).await.unwrap()),
        [("Xã Ngãi Tứ".to_owned(), false), ("Phường Cái Vồn".to_owned(), false)],
        "the main successor first"
    );
    assert_eq!(
        names(units::links(&store, "2025-29584", true).await.unwrap()),
        ["Xã An Bình", "Xã Bình Hòa Phước", "Xã Đồng Phú", "Xã Hòa Ninh"].map(|n| (n.to_owned(), true)),
        "predecessors in Vietnamese order"
    );
    // Thị trấn Trà Ôn (29821): part to Xã Ngãi Tứ, part to Xã Trà Ôn, the main one.
    assert_eq!(unit(&store, "29821").await.successor_id.as_deref(), Some("2025-29821"));

    // Provinces and districts go to the new province their communes went into.
    let new_vinh_long = unit(&store, "2025-86").await;
    assert_eq!((new_vinh_long.name.as_str(), new_vinh_long.parent_id.as_deref()), ("Tỉnh Vĩnh Long", None));
    for old in ["86", "83", "84", "857"] {
        assert_eq!(successors(&store, old).await, [("2025-86".to_owned(), true, "Toàn bộ địa bàn".to_owned())], "{old}");
    }
    assert_eq!(units::children(&store, "2025-86").await.unwrap().len(), 124);
    // Old Bắc Giang (24) went into new Bắc Ninh, which took code 24.
    assert_eq!(unit(&store, "2025-24").await.name, "Tỉnh Bắc Ninh");
    assert_eq!(unit(&store, "24").await.successor_id.as_deref(), Some("2025-24"));
    assert_eq!(unit(&store, "27").await.successor_id.as_deref(), Some("2025-24"));
    // An island district without communes became a special zone (line 3968).
    assert_eq!(
        successors(&store, "318").await,
        [("2025-11948".to_owned(), true, "Sắp xếp toàn bộ huyện Bạch Long Vĩ thành đặc khu Bạch Long Vĩ".to_owned())]
    );
    assert_eq!(unit(&store, "2025-11948").await.attributes.get("cap").map(String::as_str), Some("Đặc khu"));
    // Line 426 gives Xã Đặng Xá the code of Xã Cổ Bi (00553); the name wins within the district.
    assert!(successors(&store, "00556").await.contains(&(
        "2025-00562".to_owned(),
        false,
        "Nhập một phần diện tích, toàn bộ dân số".to_owned()
    )));
    assert!(first.warnings.iter().any(|w| w.starts_with("dòng 426: mã 00553 của `Xã Đặng Xá` là mã của Xã Cổ Bi; dùng mã 00556")));
    // Communes dissolved in early 2025 have no row in the conversion list: they end, unlinked.
    assert!(
        first
            .warnings
            .contains(&"Xã Tân Hợp (mã 03988) không có trong bảng chuyển đổi: hết hiệu lực mà không có đơn vị kế tiếp".to_owned())
    );
    assert_eq!(first.warnings.len(), 35);

    // One audit record per import, not one per unit.
    let audit = "SELECT COUNT(*) FROM audit_log WHERE entity = 'units' AND action = 'import'";
    assert_eq!(count(&store, audit).await, 1);

    // Again: nothing to write.
    nothing_changed(&import::import(&store, Some("tester"), &[]).await.unwrap(), 14_165);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM units").await, 14_165);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM unit_successors").await, 11_321);
    assert_eq!(count(&store, audit).await, 2);

    // A name changed by hand is put back; attributes added by hand stay.
    sqlx::query("UPDATE units SET name = 'Xã Đồng Phú cũ', attributes = '{\"ghi_chu\":\"x\",\"cap\":\"?\"}' WHERE id = '29578'")
        .execute(store.pool())
        .await
        .unwrap();
    let again = import::import(&store, Some("tester"), &[]).await.unwrap();
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 1, 14_164));
    let dong_phu_again = unit(&store, "29578").await;
    assert_eq!((dong_phu_again.name.as_str(), dong_phu_again.version), ("Xã Đồng Phú", dong_phu.version + 1));
    assert_eq!(dong_phu_again.attributes.get("ghi_chu").map(String::as_str), Some("x"));
    assert_eq!(dong_phu_again.attributes.get("cap").map(String::as_str), Some("Xã"));
}

#[tokio::test]
async fn a_province_of_either_tree_brings_what_flows_into_it_or_out_of_it() {
    let store = testing::fresh_store().await.unwrap();
    // 86 is old Vĩnh Long and new Vĩnh Long (old Vĩnh Long, Bến Tre and Trà Vinh).
    let vinh_long = import::import(&store, None, &["86".to_owned()]).await.unwrap();
    assert_eq!(
        vinh_long.counts,
        Counts { old_provinces: 3, old_districts: 26, old_communes: 354, new_provinces: 1, new_communes: 124, links: 388 }
    );
    assert_eq!(vinh_long.inserted, 508);
    assert!(vinh_long.warnings.is_empty(), "{:?}", vinh_long.warnings);
    let by_type = |path: &'static str| {
        let store = store.clone();
        async move { units::count_by_type(&store, path).await.unwrap() }
    };
    assert_eq!(by_type("/86/").await.get("commune"), Some(&102));
    assert_eq!(by_type("/83/").await.get("district"), Some(&9));
    assert_eq!(by_type("/2025-86/").await.get("commune"), Some(&124));
    nothing_changed(&import::import(&store, None, &["86".to_owned()]).await.unwrap(), 508);

    // 25 is old Phú Thọ and new Phú Thọ (old Vĩnh Phúc, Phú Thọ and Hòa Bình); 26 only old
    // Vĩnh Phúc, which brings only the new communes its own went into, with their province.
    let store = testing::fresh_store().await.unwrap();
    let vinh_phuc = import::import(&store, None, &["26".to_owned()]).await.unwrap();
    let c = vinh_phuc.counts;
    assert_eq!((c.old_provinces, c.new_provinces, c.new_communes), (1, 1, 36));
    assert_eq!(units::children(&store, "2025-25").await.unwrap().len(), 36);
    assert_eq!(unit(&store, "26").await.successor_id.as_deref(), Some("2025-25"));
    assert!(units::get(&store, "17").await.unwrap().is_none(), "Hòa Bình is not asked for");
    // Every old unit brought has all its links, so the whole country afterwards only adds.
    let rest = import::import(&store, None, &[]).await.unwrap();
    assert_eq!((rest.updated, rest.inserted + rest.unchanged), (0, 14_165));

    // A code of neither list is refused and writes nothing.
    let store = testing::fresh_store().await.unwrap();
    let e = import::import(&store, None, &["99".to_owned()]).await.unwrap_err();
    assert!(matches!(&e, StoreError::NotFound(_)), "{e}");
    assert_eq!(e.to_string(), "không tìm thấy tỉnh mã 99 trong danh mục trước hay từ 01/7/2025");
    assert_eq!(count(&store, "SELECT COUNT(*) FROM units").await, 0);
}

#[tokio::test]
async fn a_failure_midway_leaves_nothing() {
    let store = testing::fresh_store().await.unwrap();
    let mut plan = import::plan(&Lists::shipped().unwrap(), &["86".to_owned()]).unwrap();
    // The units are written, then a link to a unit that does not exist breaks the foreign key.
    plan.links.push(Link { unit_id: "29578".into(), successor_id: "2025-99999".into(), whole: true, note: String::new() });
    let mut tx = store.begin().await.unwrap();
    assert!(import::write(&mut tx, None, &plan).await.is_err());
    drop(tx);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM units").await, 0);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM audit_log").await, 0);

    // A demo-style tree (units added under imported communes) survives a re-import.
    import::import(&store, None, &["86".to_owned()]).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let area = NewUnit {
        id: "29578-ap01".into(),
        name: "Ấp Phú Hòa".into(),
        unit_type: "residential_area".into(),
        parent_id: Some("29578".into()),
        ..NewUnit::default()
    };
    units::insert_many(&mut tx, None, &[area]).await.unwrap();
    tx.commit().await.unwrap();
    nothing_changed(&import::import(&store, None, &["86".to_owned()]).await.unwrap(), 508);
    assert_eq!(unit(&store, "29578-ap01").await.path, "/86/857/29578/29578-ap01/");
}
