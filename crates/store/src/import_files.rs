//! Uploaded import files, kept between their dry run and their confirmation: claimed once for
//! the import — whichever server the confirmation reaches —, marked with how it ended, and
//! listed among a unit's recent imports.

use antt_import::Kind;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Result, Store, new_id, now};

/// An uploaded file waiting for confirmation, being imported, or done with.
#[derive(Debug, Clone, Serialize)]
pub struct Upload {
    pub id: String,
    pub campaign_id: String,
    pub unit_id: String,
    pub kind: String,
    pub file_name: String,
    pub sha256: String,
    /// Empty unless read with [`get`], and once imported.
    #[serde(skip)]
    pub content: Vec<u8>,
    pub uploaded_by: String,
    pub uploaded_at: String,
    /// `checked`, `importing`, `imported` or `failed`.
    pub status: String,
    pub imported_rows: Option<i64>,
    pub message: Option<String>,
}

/// Keeps a checked file for its confirmation; returns its id.
pub async fn save(
    store: &Store,
    campaign_id: &str,
    unit_id: &str,
    kind: &Kind,
    file_name: &str,
    content: &[u8],
    user_id: &str,
) -> Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO import_files (id, campaign_id, unit_id, kind, file_name, size, sha256, content, uploaded_by, uploaded_at, status) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'checked')",
    )
    .bind(&id)
    .bind(campaign_id)
    .bind(unit_id)
    .bind(kind.code())
    .bind(file_name)
    .bind(i64::try_from(content.len()).unwrap_or(i64::MAX))
    .bind(crate::sha256_hex(content))
    .bind(content.to_vec())
    .bind(user_id)
    .bind(now())
    .execute(store.pool())
    .await?;
    Ok(id)
}

/// An upload with its content, to import it.
pub async fn get(store: &Store, id: &str) -> Result<Option<Upload>> {
    let sql = format!("{WITHOUT_CONTENT_COLUMNS}, content FROM import_files WHERE id = $1");
    let row = sqlx::query(crate::trusted(&sql)).bind(id).fetch_optional(store.pool()).await?;
    row.map(|r| Ok(Upload { content: r.try_get("content")?, ..upload(&r)? })).transpose()
}

/// Records how the import of an upload ended; the content is dropped once imported.
pub async fn finish(store: &Store, id: &str, status: &str, imported_rows: Option<i64>, message: Option<&str>) -> Result<()> {
    let clear = if status == "imported" { ", content = $5" } else { "" };
    let sql = format!("UPDATE import_files SET status = $1, imported_rows = $2, message = $3{clear} WHERE id = $4");
    let mut q = sqlx::query(crate::trusted(&sql)).bind(status).bind(imported_rows).bind(message).bind(id);
    if status == "imported" {
        q = q.bind(Vec::<u8>::new());
    }
    q.execute(store.pool()).await?;
    Ok(())
}

/// Marks a checked upload as being imported. `false` when it is not waiting for confirmation
/// (already claimed, imported or failed), so a file confirmed twice is imported once.
pub async fn claim(store: &Store, id: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE import_files SET status = 'importing' WHERE id = $1 AND status = 'checked'")
        .bind(id)
        .execute(store.pool())
        .await?;
    Ok(done.rows_affected() == 1)
}

const WITHOUT_CONTENT_COLUMNS: &str =
    "SELECT id, campaign_id, unit_id, kind, file_name, sha256, uploaded_by, uploaded_at, status, imported_rows, message";

/// An upload without its content (which may be tens of megabytes), to show where it stands.
pub async fn find(store: &Store, id: &str) -> Result<Option<Upload>> {
    let sql = format!("{WITHOUT_CONTENT_COLUMNS} FROM import_files WHERE id = $1");
    let row = sqlx::query(crate::trusted(&sql)).bind(id).fetch_optional(store.pool()).await?;
    row.as_ref().map(upload).transpose()
}

/// The unit's latest uploads in the campaign, newest first, without their content.
pub async fn recent(store: &Store, campaign_id: &str, unit_id: &str, limit: u32) -> Result<Vec<Upload>> {
    let sql = format!(
        "{WITHOUT_CONTENT_COLUMNS} FROM import_files WHERE campaign_id = $1 AND unit_id = $2 ORDER BY uploaded_at DESC, id LIMIT $3"
    );
    let rows = sqlx::query(crate::trusted(&sql)).bind(campaign_id).bind(unit_id).bind(i64::from(limit)).fetch_all(store.pool()).await?;
    rows.iter().map(upload).collect()
}

fn upload(r: &AnyRow) -> Result<Upload> {
    Ok(Upload {
        id: r.try_get("id")?,
        campaign_id: r.try_get("campaign_id")?,
        unit_id: r.try_get("unit_id")?,
        kind: r.try_get("kind")?,
        file_name: r.try_get("file_name")?,
        sha256: r.try_get("sha256")?,
        content: Vec::new(),
        uploaded_by: r.try_get("uploaded_by")?,
        uploaded_at: r.try_get("uploaded_at")?,
        status: r.try_get("status")?,
        imported_rows: r.try_get("imported_rows")?,
        message: r.try_get("message")?,
    })
}
