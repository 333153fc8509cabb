//! `antt backup` and `antt restore` for the embedded database.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use antt_store::Store;
use anyhow::{Context, Result, bail};

use crate::runtime;

/// The file behind a `sqlite://` address.
fn sqlite_path(database: &str) -> Result<PathBuf> {
    let rest = database.strip_prefix("sqlite://").or_else(|| database.strip_prefix("sqlite:")).with_context(|| {
        "sao lưu và khôi phục trực tiếp chỉ dành cho SQLite (sqlite://…); với PostgreSQL dùng pg_dump và pg_restore (xem docs/operations.md)"
    })?;
    Ok(PathBuf::from(rest.split('?').next().unwrap_or(rest)))
}

pub fn backup(database: &str, output: &Path) -> Result<ExitCode> {
    sqlite_path(database)?;
    runtime()?.block_on(async {
        let store = Store::connect(database).await?;
        antt_store::backup::sqlite_backup(&store, output).await?;
        let copy = Store::connect(&format!("sqlite://{}", output.display())).await?;
        if !antt_store::backup::sqlite_integrity_ok(&copy).await? {
            bail!("bản sao lưu {} không toàn vẹn", output.display());
        }
        println!("Đã sao lưu vào {}", output.display());
        Ok(ExitCode::SUCCESS)
    })
}

pub fn restore(database: &str, input: &Path) -> Result<ExitCode> {
    let target = sqlite_path(database)?;
    if !input.is_file() {
        bail!("không có tệp sao lưu {}", input.display());
    }
    runtime()?.block_on(async {
        // Check the copy before anything is replaced, on a scratch copy so the backup itself is never touched.
        let scratch = target.with_extension("restore-check");
        std::fs::copy(input, &scratch).with_context(|| format!("không đọc được {}", input.display()))?;
        let store = Store::connect(&format!("sqlite://{}?mode=ro", scratch.display())).await?;
        let sound = antt_store::backup::sqlite_integrity_ok(&store).await?;
        store.pool().close().await;
        if !sound {
            let _ = std::fs::remove_file(&scratch);
            bail!("tệp {} không phải bản sao lưu toàn vẹn; chưa khôi phục gì", input.display());
        }
        // Stale write-ahead files of the old database would be replayed onto the new one.
        for suffix in ["-wal", "-shm"] {
            let side = PathBuf::from(format!("{}{suffix}", target.display()));
            if side.exists() {
                std::fs::remove_file(&side).with_context(|| format!("không xóa được {}", side.display()))?;
            }
        }
        std::fs::rename(&scratch, &target).with_context(|| format!("không thay được {}", target.display()))?;
        println!("Đã khôi phục {} từ {}", target.display(), input.display());
        Ok(ExitCode::SUCCESS)
    })
}
