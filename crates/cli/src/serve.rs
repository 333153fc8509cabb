//! `antt serve` and `antt migrate`.

use std::path::PathBuf;
use std::process::ExitCode;

use antt_store::{Backend, Store};
use antt_web::{AppState, Config};
use anyhow::{Context, Result};

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Điền dữ liệu minh họa (tỉnh Vĩnh Long năm 2013) nếu cơ sở dữ liệu còn trống.
    #[arg(long)]
    demo: bool,
    /// Cổng lắng nghe (0: một cổng trống bất kỳ).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Địa chỉ lắng nghe.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    #[command(flatten)]
    database: DatabaseArgs,
    /// Đánh dấu cookie Secure (khi chạy sau HTTPS).
    #[arg(long)]
    secure_cookies: bool,
}

/// Where the database is: an address, or the embedded database in the data folder.
#[derive(Debug, clap::Args)]
pub struct DatabaseArgs {
    /// Cơ sở dữ liệu: sqlite://TỆP hoặc postgres://… (mặc định: tệp antt.sqlite trong thư mục dữ liệu).
    #[arg(long, env = "ANTT_DATABASE_URL")]
    database: Option<String>,
    /// Thư mục dữ liệu cho cơ sở dữ liệu nhúng.
    #[arg(long, default_value = "antt-data")]
    data_dir: PathBuf,
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

pub fn run(args: ServeArgs) -> Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    runtime()?.block_on(async move {
        let store = args.database.open().await?;
        if args.demo {
            let accounts = antt_web::demo::seed(&store).await?;
            println!("Dữ liệu minh họa: tỉnh Vĩnh Long, đợt phát động năm 2013 (QĐ 710/QĐ-UBND).");
            println!("Tài khoản (mật khẩu chung: {}):", antt_web::demo::PASSWORD);
            for a in &accounts {
                println!("  {:<14} {} — {}", a.username, a.role.name(), a.unit_name);
            }
        }
        let rulesets = antt_core::ruleset::built_in()?;
        let state = AppState::new(store, rulesets, Config { secure_cookies: args.secure_cookies, ..Config::default() });
        let listener = tokio::net::TcpListener::bind((args.host.as_str(), args.port))
            .await
            .with_context(|| format!("không mở được cổng {}", args.port))?;
        let address = listener.local_addr()?;
        println!("Mở trình duyệt tại: http://{address}/");
        antt_web::serve(listener, state).await?;
        Ok(ExitCode::SUCCESS)
    })
}
