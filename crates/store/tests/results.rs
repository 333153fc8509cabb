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
        // A refused write stops reading: the rest is not sent.
        for chunk in chunks {
            if sender.send(Rows::Chunk(chunk)).await.is_err() {
                return;
            }
        }
        if complete {
            let _ = sender.send(Rows::End).await;
        }
    });
    let written = results::write(store, campaign_id, revision, Base::Older, &[], &mut rows).await;
    drop(rows);
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

/// The summary of unit "a" and the revision the campaign's stored results are at.
async fn stored_a(store: &Store, campaign_id: &str) -> (i64, Vec<Option<String>>) {
    let (revision, stored) = results::read(store, campaign_id).await.expect("read").expect("stored");
    (revision, stored.into_iter().map(|s| s.summary).collect())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn dozens_of_writes_at_once_leave_one_revision_whole() {
    let (store, id) = campaign().await;
    // Every write replaces everything: whatever the order, the newest wins and no row of
    // another revision stays beside its rows.
    let mut tasks = Vec::new();
    for revision in 1..=24_i64 {
        let (store, id) = (store.clone(), id.clone());
        tasks.push(tokio::spawn(async move {
            let text = revision.to_string();
            let chunks = vec![vec![row("a", &text), row("b", &text)], vec![row(&format!("only-{revision}"), &text)]];
            write(&store, &id, revision, chunks, true).await.expect("written or refused")
        }));
    }
    for t in tasks {
        t.await.expect("task");
    }
    let (revision, summaries) = stored_a(&store, &id).await;
    assert_eq!(revision, 24);
    assert_eq!(summaries, vec![Some("24".to_owned()); 3], "only the rows of revision 24");

    // Writes of what changed since revision 24, all at once: exactly one goes ahead.
    let mut tasks = Vec::new();
    for revision in 25..=48_i64 {
        let (store, id) = (store.clone(), id.clone());
        tasks.push(tokio::spawn(async move {
            let (sender, mut rows) = tokio::sync::mpsc::channel(1);
            sender.send(Rows::Chunk(vec![row("a", &revision.to_string())])).await.expect("room for one chunk");
            let ending = tokio::spawn(async move { sender.send(Rows::End).await.is_ok() });
            let written = results::write(&store, &id, revision, Base::At(24), &["a"], &mut rows).await.expect("written or refused");
            drop(rows);
            ending.await.expect("end sent or refused");
            written.then_some(revision)
        }));
    }
    let mut went_ahead = Vec::new();
    for t in tasks {
        went_ahead.extend(t.await.expect("task"));
    }
    assert_eq!(went_ahead.len(), 1, "one write from revision 24 goes ahead: {went_ahead:?}");
    let (revision, summaries) = stored_a(&store, &id).await;
    assert_eq!(revision, went_ahead[0]);
    let mut summaries: Vec<String> = summaries.into_iter().flatten().collect();
    summaries.sort_unstable();
    assert_eq!(summaries, vec!["24".to_owned(), "24".to_owned(), went_ahead[0].to_string()], "a replaced, b and only-24 kept");
}
