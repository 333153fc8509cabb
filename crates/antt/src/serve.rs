//! `antt serve`: the web application on the embedded database or PostgreSQL.

use std::process::ExitCode;

use antt_app::App;
use antt_cli::{DatabaseArgs, runtime};
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

pub fn run(args: ServeArgs) -> Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    runtime()?.block_on(async move {
        let store = args.database.open().await?;
        if args.demo {
            let accounts = antt_app::demo::seed(&store).await?;
            println!("Dữ liệu minh họa: tỉnh Vĩnh Long, đợt phát động năm 2013 (QĐ 710/QĐ-UBND).");
            println!("Tài khoản (mật khẩu chung: {}):", antt_app::demo::PASSWORD);
            for a in &accounts {
                println!("  {:<14} {} — {}", a.username, a.role.name(), a.unit_name);
            }
        }
        let rulesets = antt_core::ruleset::built_in()?;
        let state = AppState::new(App::new(store, rulesets), Config { secure_cookies: args.secure_cookies, ..Config::default() });
        let listener = tokio::net::TcpListener::bind((args.host.as_str(), args.port))
            .await
            .with_context(|| format!("không mở được cổng {}", args.port))?;
        let address = listener.local_addr()?;
        println!("Mở trình duyệt tại: http://{address}/");
        antt_web::serve(listener, state).await?;
        Ok(ExitCode::SUCCESS)
    })
}
