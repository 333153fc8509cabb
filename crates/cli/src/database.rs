//! Where the database is, and `antt migrate`.

use std::path::PathBuf;
use std::process::ExitCode;

use antt_store::{Backend, Store};
use anyhow::{Context, Result};

/// Where the database is: an address, or the embedded database in the data folder.
#[derive(Debug, clap::Args)]
pub struct DatabaseArgs {
    /// Cơ sở dữ liệu: sqlite://TỆP hoặc postgres://… (mặc định: tệp antt.sqlite trong thư mục dữ liệu).
    #[arg(long, env = "ANTT_DATABASE_URL")]
    pub database: Option<String>,
    /// Thư mục dữ liệu cho cơ sở dữ liệu nhúng.
    #[arg(long, default_value = "antt-data")]
    pub data_dir: PathBuf,
}

impl DatabaseArgs {
    /// Connects; the embedded database migrates itself, PostgreSQL is migrated with `antt migrate`.
    pub async fn open(&self) -> Result<Store> {
        let database = match &self.database {
            Some(url) => url.clone(),
            None => {
                std::fs::create_dir_all(&self.data_dir).with_context(|| format!("không tạo được thư mục {}", self.data_dir.display()))?;
                let path = std::fs::canonicalize(&self.data_dir)?.join("antt.sqlite");
                println!("Thư mục dữ liệu: {}", self.data_dir.display());
                format!("sqlite://{}", path.display())
            }
        };
        let store = Store::connect(&database).await?;
        if store.backend() == Backend::Sqlite {
            store.migrate().await?;
        }
        Ok(store)
    }
}

pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().context("không khởi động được bộ chạy bất đồng bộ")
}

pub fn migrate(database: &str) -> Result<ExitCode> {
    runtime()?.block_on(async {
        let store = Store::connect(database).await?;
        store.migrate().await?;
        println!("Cơ sở dữ liệu đã ở phiên bản mới nhất.");
        Ok(ExitCode::SUCCESS)
    })
}
