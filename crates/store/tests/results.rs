//! Stored results arrive in chunks and are written whole or not at all. On SQLite by default and
//! on PostgreSQL when ANTT_TEST_POSTGRES names a server.

use antt_core::access::Role;
use antt_store::results::{self, Base, Rows, Stored};
use antt_store::units::NewUnit;
use antt_store::{Store, campaigns, testing, units, users};

/// A store with a campaign; returns the store and the campaign id.
async fn campaign() -> (Store, String) {
    let store = testing::fresh_store().await.expect("store");
    let mut tx = store.begin().await.expect("tx");
    let province = NewUnit { id: "86".into(), name: "Tỉnh 86".into(), unit_type: "province".into(), ..NewUnit::default() };
    units::insert_many(&mut tx, None, &[province]).await.expect("units");
    let admin = users::create(&mut tx, None, "admin", "Quản trị", "mat-khau-dai").await.expect("user");
    users::grant(&mut tx, None, &admin, Role::Admin, "86").await.expect("grant");
    let campaign = campaigns::create(&mut tx, Some(&admin), &testing::vinh_long_2013("Năm 2013")).await.expect("campaign");
    tx.commit().await.expect("commit");
    (store, campaign.id)
}

fn row(unit_id: &str, summary: &str) -> Stored {
    Stored { unit_id: unit_id.into(), report: None, counts: None, summary: Some(summary.into()) }
}

/// Writes `chunks` as one write of the whole campaign at `revision`, ending with `Rows::End`
/// only when `complete`.
async fn write(store: &Store, campaign_id: &str, revision: i64, chunks: Vec<Vec<Stored>>, complete: bool) -> antt_store::Result<bool> {
    let (sender, mut rows) = tokio::sync::mpsc::channel(1);
    let feeding = tokio::spawn(async move {
        for chunk in chunks {
            sender.send(Rows::Chunk(chunk)).await.expect("the write reads every chunk");
        }
        if complete {
            sender.send(Rows::End).await.expect("the write reads the end");
        }
    });
    let written = results::write(store, campaign_id, revision, Base::Older, &[], &mut rows).await;
    feeding.await.expect("fed");
    written
}

#[tokio::test]
async fn chunks_are_stored_together_and_a_write_without_its_end_stores_nothing() {
    let (store, id) = campaign().await;
    let chunks = vec![vec![row("a", "1"), row("b", "2")], vec![row("c", "3")]];
    assert!(write(&store, &id, 5, chunks, true).await.expect("written"));
    let (revision, stored) = results::read(&store, &id).await.expect("read").expect("stored");
    assert_eq!(revision, 5);
    let mut units: Vec<&str> = stored.iter().map(|s| s.unit_id.as_str()).collect();
    units.sort_unstable();
    assert_eq!(units, ["a", "b", "c"], "every chunk's rows are stored");

    // The rows of a newer revision stop before their end: the write fails and the results
    // stay as they were, not the first chunk of the newer ones.
    let error = write(&store, &id, 6, vec![vec![row("a", "9")]], false).await.expect_err("an unfinished write fails");
    assert!(error.to_string().contains("không đến đủ"), "{error}");
    let (revision, stored) = results::read(&store, &id).await.expect("read").expect("stored");
    assert_eq!(revision, 5);
    assert_eq!(stored.len(), 3);
    assert!(stored.iter().any(|s| s.unit_id == "a" && s.summary.as_deref() == Some("1")), "{stored:?}");
}
