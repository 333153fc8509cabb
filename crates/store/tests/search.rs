//! Unit search ranks by match, on SQLite by default and on PostgreSQL when ANTT_TEST_POSTGRES
//! names a server.

use antt_store::testing;
use antt_store::units::{self, NewUnit};

fn unit(id: &str, name: &str, unit_type: &str, parent: Option<&str>) -> NewUnit {
    NewUnit { id: id.into(), name: name.into(), unit_type: unit_type.into(), parent_id: parent.map(Into::into), ..NewUnit::default() }
}

#[tokio::test]
async fn the_best_match_comes_first_then_higher_levels() {
    let store = testing::fresh_store().await.expect("store");
    let mut tx = store.begin().await.expect("tx");
    units::insert_many(
        &mut tx,
        None,
        &[
            unit("86", "Tỉnh Vĩnh Long", "province", None),
            unit("857", "Huyện Long Hồ", "district", Some("86")),
            unit("29578", "Xã Đồng Phú", "commune", Some("857")),
            unit("ap1", "Ấp Phú Long Hòa", "residential_area", Some("29578")),
            unit("ap2", "Long Hồ", "residential_area", Some("29578")),
            unit("ap3", "Long Hồ Hạ", "residential_area", Some("29578")),
            unit("ap4", "Ấp Cái Long Hồ", "residential_area", Some("29578")),
            unit("ap5", "Ấp Halong Hồ", "residential_area", Some("29578")),
        ],
    )
    .await
    .expect("units");
    tx.commit().await.expect("commit");

    let found = units::search(&store, "/86/", "long ho", None, 1, 20).await.expect("search");
    let ids: Vec<&str> = found.items.iter().map(|u| u.id.as_str()).collect();
    // The whole name; then the name's start; then a word's start, the district before the area;
    // then inside a word. "Ấp Phú Long Hòa" is "long hoa": a word starts with "long ho" too.
    assert_eq!(ids, ["ap2", "ap3", "857", "ap4", "ap1", "ap5"]);
    assert_eq!(found.total, 6);
    // The order merging several scopes uses is the same.
    let mut resorted = found.items.clone();
    resorted.sort_by_cached_key(|u| units::search_rank("long ho", u));
    assert_eq!(resorted.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(), ids);

    // Pages keep the order and the total; past the end the total is still counted.
    let second = units::search(&store, "/86/", "long ho", None, 2, 4).await.expect("search");
    assert_eq!(second.items.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(), ["ap1", "ap5"]);
    assert_eq!(second.total, 6);
    let past = units::search(&store, "/86/", "long ho", None, 9, 4).await.expect("search");
    assert!(past.items.is_empty());
    assert_eq!(past.total, 6);

    // A type narrows; a pattern character is a plain character.
    let areas = units::search(&store, "/86/", "long ho", Some("residential_area"), 1, 20).await.expect("search");
    assert_eq!(areas.total, 5);
    let percent = units::search(&store, "/86/", "%", None, 1, 20).await.expect("search");
    assert_eq!(percent.total, 0);
    // An empty query lists everything, higher levels first.
    let all = units::search(&store, "/86/", "", None, 1, 3).await.expect("search");
    assert_eq!(all.items.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(), ["86", "857", "29578"]);
    assert_eq!(all.total, 8);
}
