//! What keeps a write and a decision from both committing over the same unit: every write to a
//! unit's facts holds the unit's row (shared) for the rest of its transaction and only then reads
//! whether an issued decision locks it; issuing or lifting a decision holds the rows of its units
//! exclusively. On PostgreSQL these are row locks (`FOR SHARE` / `FOR UPDATE`, always taken in
//! id order, and always before the campaign's row, so two transactions never wait on each
//! other in a circle); SQLite transactions here take the database's write lock at their start
//! (`BEGIN IMMEDIATE`), which already orders every writer.
//!
//! Also the record of which units each write touched, at which revision of the campaign: the
//! revision tells cached verdicts they are stale, the units say which ones.

use std::collections::HashMap;

use sqlx::Row;

use crate::{Backend, Result, Store, StoreError, Tx};

pub(crate) fn is_postgres(tx: &mut Tx<'_>) -> bool {
    (**tx).backend_name() == "PostgreSQL"
}

/// SQL selecting the text values of the JSON array bound as parameter `$n`, as column `v`.
pub(crate) fn json_ids(postgres: bool, n: usize) -> String {
    if postgres { format!("SELECT jsonb_array_elements_text(${n}::jsonb) AS v") } else { format!("SELECT value AS v FROM json_each(${n})") }
}

pub(crate) fn ids_json(unit_ids: &[&str]) -> String {
    serde_json::to_string(unit_ids).unwrap_or_else(|_| "[]".into())
}

async fn hold_rows(tx: &mut Tx<'_>, unit_ids: &[&str], mode: &str) -> Result<()> {
    if !is_postgres(tx) || unit_ids.is_empty() {
        return Ok(());
    }
    let sql = format!("SELECT id FROM units WHERE id IN ({}) ORDER BY id FOR {mode}", json_ids(true, 1));
    sqlx::query(crate::trusted(&sql)).bind(ids_json(unit_ids)).fetch_all(&mut **tx).await?;
    Ok(())
}

/// Holds the units' rows against decisions until the transaction ends (writers of facts).
pub async fn hold(tx: &mut Tx<'_>, unit_ids: &[&str]) -> Result<()> {
    hold_rows(tx, unit_ids, "SHARE").await
}

/// Holds the units' rows against every writer until the transaction ends (decisions).
pub async fn hold_exclusive(tx: &mut Tx<'_>, unit_ids: &[&str]) -> Result<()> {
    hold_rows(tx, unit_ids, "UPDATE").await
}

/// The decisions locking any of the units: unit id → decision number. Read after [`hold`], so
/// a decision committed while this transaction waited is seen.
pub async fn locked_among(tx: &mut Tx<'_>, campaign_id: &str, unit_ids: &[&str]) -> Result<HashMap<String, String>> {
    if unit_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let postgres = is_postgres(tx);
    let sql = format!(
        "SELECT l.unit_id, d.number FROM locks l JOIN decisions d ON d.id = l.decision_id WHERE l.campaign_id = $1 AND l.unit_id IN ({})",
        json_ids(postgres, 2)
    );
    let rows = sqlx::query(crate::trusted(&sql)).bind(campaign_id).bind(ids_json(unit_ids)).fetch_all(&mut **tx).await?;
    rows.iter().map(|r| Ok((r.try_get("unit_id")?, r.try_get("number")?))).collect()
}

/// Holds the unit and fails with `Locked` when an issued decision froze its facts.
pub async fn ensure_unlocked(tx: &mut Tx<'_>, campaign_id: &str, unit_id: &str) -> Result<()> {
    hold(tx, &[unit_id]).await?;
    match locked_among(tx, campaign_id, &[unit_id]).await?.remove(unit_id) {
        Some(number) => Err(StoreError::Locked(number)),
        None => Ok(()),
    }
}

/// Moves the campaign's revision and returns it. Readers only see committed transactions, so
/// once per transaction is enough; on PostgreSQL each further update of the same row in one
/// transaction would also cost more than the one before (a bulk write of thousands of facts
/// would slow to a crawl), so the transaction remembers, in a transaction-local setting, that
/// it has done it.
async fn bump_revision(tx: &mut Tx<'_>, campaign_id: &str) -> Result<i64> {
    if is_postgres(tx) {
        let done = sqlx::query("SELECT current_setting('antt.revision_bumped', true) AS v").fetch_one(&mut **tx).await?;
        let done: Option<String> = done.try_get("v")?;
        if done.as_ref().is_some_and(|v| v.split(',').any(|c| c == campaign_id)) {
            let row = sqlx::query("SELECT revision FROM campaigns WHERE id = $1").bind(campaign_id).fetch_one(&mut **tx).await?;
            return Ok(row.try_get("revision")?);
        }
        let marks = match done.filter(|v| !v.is_empty()) {
            Some(v) => format!("{v},{campaign_id}"),
            None => campaign_id.to_owned(),
        };
        sqlx::query("SELECT set_config('antt.revision_bumped', $1, true)").bind(marks).execute(&mut **tx).await?;
    }
    let row = sqlx::query("UPDATE campaigns SET revision = revision + 1 WHERE id = $1 RETURNING revision")
        .bind(campaign_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("đợt phát động `{campaign_id}`")))?;
    Ok(row.try_get("revision")?)
}

/// Records that this transaction changed the facts of `unit_ids` in the campaign: moves the
/// campaign's revision and stamps each unit with it.
pub async fn touch(tx: &mut Tx<'_>, campaign_id: &str, unit_ids: &[&str]) -> Result<()> {
    let revision = bump_revision(tx, campaign_id).await?;
    if unit_ids.is_empty() {
        return Ok(());
    }
    let postgres = is_postgres(tx);
    let sql = format!(
        "INSERT INTO unit_changes (campaign_id, unit_id, revision) SELECT $1, x.v, $2 FROM ({}) x WHERE true \
         ON CONFLICT (campaign_id, unit_id) DO UPDATE SET revision = excluded.revision",
        json_ids(postgres, 3)
    );
    sqlx::query(crate::trusted(&sql)).bind(campaign_id).bind(revision).bind(ids_json(unit_ids)).execute(&mut **tx).await?;
    Ok(())
}

/// The revision at which the unit's facts last changed in the campaign (0: never).
pub async fn unit_revision(tx: &mut Tx<'_>, campaign_id: &str, unit_id: &str) -> Result<i64> {
    let row = sqlx::query("SELECT revision FROM unit_changes WHERE campaign_id = $1 AND unit_id = $2")
        .bind(campaign_id)
        .bind(unit_id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.map(|r| r.try_get("revision")).transpose()?.unwrap_or(0))
}

/// The units whose facts changed in the campaign after `revision`: what cached verdicts at that
/// revision must re-read (by the `(campaign_id, revision)` index).
pub async fn changed_since(store: &Store, campaign_id: &str, revision: i64) -> Result<Vec<String>> {
    let rows = sqlx::query("SELECT unit_id FROM unit_changes WHERE campaign_id = $1 AND revision > $2")
        .bind(campaign_id)
        .bind(revision)
        .fetch_all(store.pool())
        .await?;
    rows.iter().map(|r| Ok(r.try_get("unit_id")?)).collect()
}

/// SQL selecting the ids of the JSON array bound as parameter `$n`, for a query outside a
/// transaction.
pub(crate) fn json_ids_in(store: &Store, n: usize) -> String {
    json_ids(store.backend() == Backend::Postgres, n)
}

/// The campaigns whose scope holds one of `paths`.
async fn campaigns_holding(tx: &mut Tx<'_>, paths: &[&str]) -> Result<Vec<String>> {
    let rows = sqlx::query("SELECT c.id, s.path FROM campaigns c JOIN units s ON s.id = c.scope_unit_id").fetch_all(&mut **tx).await?;
    let mut out = Vec::new();
    for r in &rows {
        let scope: String = r.try_get("path")?;
        if paths.iter().any(|p| p.starts_with(&scope)) {
            out.push(r.try_get("id")?);
        }
    }
    Ok(out)
}

/// Records that this transaction created units: every campaign whose scope holds one of
/// `paths` has its revision moved and the units stamped, so its results take them in.
pub async fn touch_units(tx: &mut Tx<'_>, paths: &[&str], unit_ids: &[&str]) -> Result<()> {
    for campaign_id in campaigns_holding(tx, paths).await? {
        touch(tx, &campaign_id, unit_ids).await?;
    }
    Ok(())
}

/// Records that this transaction changed the tree itself (a unit renamed, moved or retired):
/// every campaign whose scope holds one of `paths` has its revision moved and marked as the
/// revision its tree changed at, so kept results are recomputed in full. No unit is stamped:
/// its facts did not change, so a confirmed verdict stays valid for a decision.
pub async fn touch_tree(tx: &mut Tx<'_>, paths: &[&str]) -> Result<()> {
    for campaign_id in campaigns_holding(tx, paths).await? {
        touch_whole(tx, &campaign_id).await?;
    }
    Ok(())
}

/// Records that this transaction changed too much of the campaign to follow unit by unit (a
/// tree change, a bulk write): kept results are recomputed in full.
pub async fn touch_whole(tx: &mut Tx<'_>, campaign_id: &str) -> Result<()> {
    let revision = bump_revision(tx, campaign_id).await?;
    sqlx::query("UPDATE campaigns SET tree_revision = $1 WHERE id = $2").bind(revision).bind(campaign_id).execute(&mut **tx).await?;
    Ok(())
}

/// The revision at which the campaign's tree last changed (0: never since it started).
pub async fn tree_revision(store: &Store, campaign_id: &str) -> Result<i64> {
    let row = sqlx::query("SELECT tree_revision FROM campaigns WHERE id = $1").bind(campaign_id).fetch_optional(store.pool()).await?;
    Ok(row.map(|r| r.try_get("tree_revision")).transpose()?.unwrap_or(0))
}
