//! The database failing under the store: a full disk on SQLite and a PostgreSQL server that
//! cannot be reached are told apart from other errors, and a failed write leaves the database
//! sound and unchanged.

use antt_store::units::{self, NewUnit};
use antt_store::{Store, StoreError, Trouble, backup};
use sqlx::{Acquire, Row};

fn unit(id: &str, parent: Option<&str>, note: &str) -> NewUnit {
    NewUnit {
        id: id.into(),
        name: format!("Ấp {id}"),
        unit_type: if parent.is_some() { "residential_area" } else { "province" }.into(),
        parent_id: parent.map(Into::into),
        attributes: [("ghi_chu".to_owned(), note.to_owned())].into(),
        ..NewUnit::default()
    }
}

async fn count_units(store: &Store) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM units").fetch_one(store.pool()).await.expect("count").try_get("n").expect("n")
}

#[tokio::test]
async fn a_full_disk_on_sqlite_is_a_storage_error_and_corrupts_nothing() {
    // SQLite whatever ANTT_TEST_POSTGRES says: this is about the embedded database's file.
    let path = std::env::temp_dir().join(format!("antt_full_{}.sqlite", antt_store::new_id()));
    let store = Store::connect(&format!("sqlite://{}", path.display())).await.expect("connect");
    store.migrate().await.expect("migrate");
    let mut tx = store.begin().await.expect("tx");
    units::insert_many(&mut tx, None, &[unit("86", None, "")]).await.expect("root");
    tx.commit().await.expect("commit");
    let before = count_units(&store).await;

    // `max_page_count` caps the file a few pages above its size: to SQLite that is a full disk.
    let mut conn = store.pool().acquire().await.expect("connection");
    let pages: i64 = sqlx::query("PRAGMA page_count").fetch_one(&mut *conn).await.expect("pages").try_get(0).expect("n");
    sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA max_page_count = {}", pages + 4))).execute(&mut *conn).await.expect("cap");
    let mut tx = conn.begin().await.expect("tx");
    let padding = "x".repeat(2_000);
    let batch: Vec<NewUnit> = (0..200).map(|i| unit(&format!("ap{i}"), Some("86"), &padding)).collect();
    let err = units::insert_many(&mut tx, None, &batch).await.expect_err("the capped file must fill up");
    assert_eq!(err.trouble(), Trouble::Storage, "{err}");
    drop(tx);
    drop(conn);

    assert!(backup::sqlite_integrity_ok(&store).await.expect("integrity check"));
    assert_eq!(count_units(&store).await, before, "nothing of the failed transaction stays");
    store.pool().close().await;
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn an_unreachable_database_is_unavailable_not_a_bug() {
    // Nothing listens on port 1: the connection is refused.
    let err = Store::connect("postgres://postgres@127.0.0.1:1/antt").await.expect_err("nothing listens there");
    assert_eq!(err.trouble(), Trouble::Unavailable, "{err}");
    // Input mistakes and missing rows are not database troubles.
    assert_eq!(StoreError::Invalid("x".into()).trouble(), Trouble::Other);
    assert_eq!(StoreError::NotFound("x".into()).trouble(), Trouble::Other);
}

#[tokio::test]
async fn concurrent_writers_queue_instead_of_failing() {
    use antt_core::fact::Fact;
    use antt_core::model::Commitment;
    use antt_store::facts::{self, Writer};
    use antt_store::{campaigns, testing, users};

    let store = testing::fresh_store().await.expect("store");
    let mut tx = store.begin().await.expect("tx");
    let mut tree = vec![unit("86", None, "")];
    tree.extend((0..16).map(|i| unit(&format!("ap{i}"), Some("86"), "")));
    units::insert_many(&mut tx, None, &tree).await.expect("units");
    let user = users::create(&mut tx, None, "canbo", "Cán bộ", "mat-khau-du-dai").await.expect("user");
    let campaign = campaigns::create(&mut tx, Some(&user), &testing::vinh_long_2013("Phát động")).await.expect("campaign");
    tx.commit().await.expect("commit");

    // Each transaction reads (the lock check) before it writes, as every fact write does: on
    // SQLite a deferred transaction that does so fails at once ("database is locked") when
    // another writer got in between, instead of waiting its turn.
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let (store, user, campaign_id) = (store.clone(), user.clone(), campaign.id.clone());
            tokio::spawn(async move {
                for round in 0..5 {
                    let unit_id = format!("ap{i}");
                    let mut tx = store.begin().await?;
                    let w = Writer { user_id: &user, campaign_id: &campaign_id, unit_id: &unit_id };
                    let fact = Fact::Commitment(Commitment::new(format!("group{round}"), 9, 10));
                    facts::insert(&mut tx, w, &fact).await?;
                    tx.commit().await?;
                }
                Ok::<_, StoreError>(())
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("task").expect("every writer gets its turn");
    }
    let n: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM commitments").fetch_one(store.pool()).await.expect("count").try_get("n").expect("n");
    assert_eq!(n, 16 * 5);
}
