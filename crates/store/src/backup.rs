//! Backups of the embedded database. SQLite copies itself consistently while the server runs
//! (`VACUUM INTO`); PostgreSQL is backed up with its own tools (see docs/operations.md).

use std::path::Path;

use crate::{Backend, Result, Store, StoreError};

/// Writes a consistent copy of a SQLite database to `dest` (which must not exist yet).
pub async fn sqlite_backup(store: &Store, dest: &Path) -> Result<()> {
    if store.backend() != Backend::Sqlite {
        return Err(StoreError::Invalid(
            "sao lưu trực tiếp chỉ dành cho SQLite; với PostgreSQL dùng pg_dump (xem docs/operations.md)".into(),
        ));
    }
    if dest.exists() {
        return Err(StoreError::Invalid(format!("tệp {} đã tồn tại; chọn tên khác", dest.display())));
    }
    sqlx::query("VACUUM INTO $1").bind(dest.display().to_string()).execute(store.pool()).await?;
    Ok(())
}

/// Whether SQLite finds the database sound (`PRAGMA integrity_check` says "ok").
pub async fn sqlite_integrity_ok(store: &Store) -> Result<bool> {
    use sqlx::Row;
    let row = sqlx::query("PRAGMA integrity_check").fetch_one(store.pool()).await?;
    Ok(row.try_get::<String, _>(0)? == "ok")
}
