//! What happens to an uploaded import file after its dry run: claimed once for its import —
//! whichever server the confirmation reaches — and listed among a unit's recent imports.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::imports::Upload;
use crate::{Result, Store};

/// Marks a checked upload as being imported. `false` when it is not waiting for confirmation
/// (already claimed, imported or failed), so a file confirmed twice is imported once.
pub async fn claim(store: &Store, id: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE import_files SET status = 'importing' WHERE id = $1 AND status = 'checked'")
        .bind(id)
        .execute(store.pool())
        .await?;
    Ok(done.rows_affected() == 1)
}

const WITHOUT_CONTENT: &str =
    "SELECT id, campaign_id, unit_id, kind, file_name, sha256, uploaded_by, uploaded_at, status, imported_rows, message FROM import_files";

/// An upload without its content (which may be tens of megabytes), to show where it stands.
pub async fn find(store: &Store, id: &str) -> Result<Option<Upload>> {
    let sql = format!("{WITHOUT_CONTENT} WHERE id = $1");
    let row = sqlx::query(crate::trusted(&sql)).bind(id).fetch_optional(store.pool()).await?;
    row.as_ref().map(upload).transpose()
}

/// The unit's latest uploads in the campaign, newest first, without their content.
pub async fn recent(store: &Store, campaign_id: &str, unit_id: &str, limit: u32) -> Result<Vec<Upload>> {
    let sql = format!("{WITHOUT_CONTENT} WHERE campaign_id = $1 AND unit_id = $2 ORDER BY uploaded_at DESC, id LIMIT $3");
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
