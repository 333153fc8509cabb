//! Campaign results kept in the database (table `campaign_results`), at the revision recorded
//! in `campaign_results_state`. The application computes them; this module only stores and reads
//! them, as JSON texts it does not look into. A write names the revision the stored results must
//! be at (or be older than), so two servers never interleave their writes into a mixture: the
//! state row is updated first, which makes a second writer wait for the first and then find the
//! revision moved.

use futures_util::TryStreamExt;
use sqlx::Row;

use crate::batch::insert_rows;
use crate::facts::Value;
use crate::locks::{ids_json, is_postgres, json_ids};
use crate::{Backend, Result, Store, StoreError, Tx};

/// One unit's stored results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub unit_id: String,
    pub report: Option<String>,
    pub counts: Option<String>,
    pub summary: Option<String>,
}

/// What a write of results receives: chunks of rows, then the end. A write that does not see
/// the end (the side serialising them failed) stores nothing.
#[derive(Debug)]
pub enum Rows {
    Chunk(Vec<Stored>),
    End,
}

/// What the stored results must be for a write to go ahead.
#[derive(Debug, Clone, Copy)]
pub enum Base {
    /// Exactly at this revision: the write holds only what changed since.
    At(i64),
    /// Older than the revision written: the write replaces everything.
    Older,
}

/// Writes results at `revision`: every unit's row when `base` is [`Base::Older`], otherwise the
/// rows of `replaced` (those `rows` no longer holds are removed). Returns false, writing
/// nothing, when the stored results are not at `base` (another server stored newer ones, or
/// older ones than expected). `rows` arrive in chunks, written as they come, so a national
/// campaign's rows need not all be serialised in memory at once.
pub async fn write(
    store: &Store,
    campaign_id: &str,
    revision: i64,
    base: Base,
    replaced: &[&str],
    rows: &mut tokio::sync::mpsc::Receiver<Rows>,
) -> Result<bool> {
    let mut tx = store.begin().await?;
    let moved = match base {
        Base::At(at) => sqlx::query("UPDATE campaign_results_state SET revision = $1 WHERE campaign_id = $2 AND revision = $3")
            .bind(revision)
            .bind(campaign_id)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected(),
        Base::Older => sqlx::query(
            "INSERT INTO campaign_results_state (campaign_id, revision) VALUES ($1, $2) ON CONFLICT (campaign_id) \
             DO UPDATE SET revision = excluded.revision WHERE campaign_results_state.revision < excluded.revision",
        )
        .bind(campaign_id)
        .bind(revision)
        .execute(&mut *tx)
        .await?
        .rows_affected(),
    };
    if moved == 0 {
        return Ok(false);
    }
    match base {
        Base::Older => {
            sqlx::query("DELETE FROM campaign_results WHERE campaign_id = $1").bind(campaign_id).execute(&mut *tx).await?;
        }
        Base::At(_) => delete(&mut tx, campaign_id, replaced).await?,
    }
    let backend = if is_postgres(&mut tx) { Backend::Postgres } else { Backend::Sqlite };
    let columns = ["campaign_id", "unit_id", "report", "counts", "summary"];
    loop {
        let chunk = match rows.recv().await {
            Some(Rows::Chunk(chunk)) => chunk,
            Some(Rows::End) => break,
            None => return Err(StoreError::Invalid("kết quả cần lưu không đến đủ, nên không lưu gì".to_owned())),
        };
        let mut values = chunk.into_iter().map(|r| {
            vec![
                Value::Text(Some(campaign_id.to_owned())),
                Value::Text(Some(r.unit_id)),
                Value::Text(r.report),
                Value::Text(r.counts),
                Value::Text(r.summary),
            ]
        });
        insert_rows(&mut tx, backend, "campaign_results", &columns, &mut values, &mut |_| {}, &mut 0).await?;
    }
    tx.commit().await?;
    Ok(true)
}

async fn delete(tx: &mut Tx<'_>, campaign_id: &str, unit_ids: &[&str]) -> Result<()> {
    if unit_ids.is_empty() {
        return Ok(());
    }
    let sql = format!("DELETE FROM campaign_results WHERE campaign_id = $1 AND unit_id IN ({})", json_ids(is_postgres(tx), 2));
    sqlx::query(crate::trusted(&sql)).bind(campaign_id).bind(ids_json(unit_ids)).execute(&mut **tx).await?;
    Ok(())
}

/// The revision of the campaign's stored results, if any are stored.
pub async fn revision(store: &Store, campaign_id: &str) -> Result<Option<i64>> {
    let row = sqlx::query("SELECT revision FROM campaign_results_state WHERE campaign_id = $1")
        .bind(campaign_id)
        .fetch_optional(store.pool())
        .await?;
    Ok(row.map(|r| r.try_get("revision")).transpose()?)
}

/// The stored results of the campaign and their revision, read together (in one transaction,
/// so a write landing meanwhile is either wholly in or wholly out); `None` when none are stored.
pub async fn read(store: &Store, campaign_id: &str) -> Result<Option<(i64, Vec<Stored>)>> {
    let mut tx = store.begin_read().await?;
    let Some(state) = sqlx::query("SELECT revision FROM campaign_results_state WHERE campaign_id = $1")
        .bind(campaign_id)
        .fetch_optional(&mut *tx)
        .await?
    else {
        return Ok(None);
    };
    let revision: i64 = state.try_get("revision")?;
    // Row by row: the national campaign's rows are half a gigabyte, held once rather than twice.
    let mut stored = Vec::new();
    let mut rows = sqlx::query("SELECT unit_id, report, counts, summary FROM campaign_results WHERE campaign_id = $1")
        .bind(campaign_id)
        .fetch(&mut *tx);
    while let Some(r) = rows.try_next().await? {
        stored.push(Stored {
            unit_id: r.try_get("unit_id")?,
            report: r.try_get("report")?,
            counts: r.try_get("counts")?,
            summary: r.try_get("summary")?,
        });
    }
    drop(rows);
    tx.commit().await?;
    Ok(Some((revision, stored)))
}
