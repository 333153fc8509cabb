//! `antt serve`: the web application on the embedded database or PostgreSQL.

use std::process::ExitCode;
use std::time::Duration;

use antt_app::App;
use antt_cli::{DatabaseArgs, runtime};
use antt_web::{AppState, Config, Limits};
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
    /// Khi chạy sau reverse proxy: tiêu đề proxy ghi địa chỉ máy khách (ví dụ X-Real-IP), dùng để
    /// giới hạn số lần đăng nhập sai theo địa chỉ. Chỉ đặt khi proxy luôn ghi đè tiêu đề này.
    #[arg(long, value_name = "TIÊU_ĐỀ")]
    client_address_header: Option<axum::http::HeaderName>,
    /// Số giây tối đa để một kết nối gửi xong phần đầu yêu cầu, kể cả khi đang chờ giữa hai yêu cầu.
    #[arg(long, default_value_t = 15, value_name = "GIÂY")]
    header_timeout: u64,
    /// Bắt buộc quản trị viên bật xác thực hai bước (TOTP): quản trị viên chưa bật được đưa đến
    /// trang đăng ký trước mọi việc khác, mã truy cập API của họ nhận 403 cho đến khi bật.
    #[arg(long, env = "ANTT_REQUIRE_SECOND_FACTOR_FOR_ADMIN")]
    require_second_factor_for_admin: bool,
    /// Số kết nối phục vụ cùng lúc; quá số này kết nối mới nhận 503 (mỗi kết nối cần một file descriptor).
    #[arg(long, default_value_t = 4096)]
    max_connections: usize,
    /// Thư mục các bộ tiêu chí của tỉnh (*.yaml): mỗi tệp được kiểm tra và bổ sung vào cơ sở dữ
    /// liệu khi khởi động, như `antt rulesets add`.
    #[arg(long, value_name = "THƯ_MỤC")]
    rulesets: Option<std::path::PathBuf>,
}

/// Adds every `*.yaml` file of `dir` (in name order) to the database; a file that fails its
/// check stops the start, with every problem listed.
async fn add_rulesets(app: &App, dir: &std::path::Path) -> Result<()> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("không đọc được thư mục {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).with_context(|| format!("không đọc được tệp {}", path.display()))?;
        let added = app.add_ruleset("antt serve --rulesets", &path.display().to_string(), &text).await?;
        let s = added.stored();
        println!(
            "Bộ tiêu chí {} phiên bản {} (SHA-256 {}) từ {}.",
            s.name,
            s.version,
            s.hash.get(..16).unwrap_or_default(),
            path.display()
        );
    }
    Ok(())
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
        if !args.demo {
            let open = antt_app::demo::open_accounts(&store).await?;
            if !open.is_empty() {
                anyhow::bail!(
                    "cơ sở dữ liệu còn {} tài khoản minh họa dùng mật khẩu minh họa công khai ({}); ai cũng đăng nhập được. \
                     Khóa chúng bằng `antt admin disable-demo` (cùng tùy chọn --database/--data-dir), \
                     hoặc chạy `antt serve --demo` nếu đây chỉ là bản chạy thử.",
                    open.len(),
                    open.join(", ")
                );
            }
        }
        let rulesets = antt_core::ruleset::built_in()?;
        let app = App::new(store, rulesets);
        if let Some(dir) = &args.rulesets {
            add_rulesets(&app, dir).await?;
        }
        if app.active_accounts().await? == 0 {
            println!("{}", antt_cli::create_admin_hint(&args.database));
        }
        let config = Config {
            secure_cookies: args.secure_cookies,
            client_address_header: args.client_address_header,
            require_second_factor_for_admin: args.require_second_factor_for_admin,
            ..Config::default()
        };
        let state = AppState::new(app, config);
        let limits =
            Limits { header_timeout: Duration::from_secs(args.header_timeout), max_connections: connections(args.max_connections) };
        let listener = tokio::net::TcpListener::bind((args.host.as_str(), args.port))
            .await
            .with_context(|| format!("không mở được cổng {}", args.port))?;
        let address = listener.local_addr()?;
        println!("Mở trình duyệt tại: http://{address}/");
        antt_web::serve(listener, state, limits).await?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Files the server keeps open besides its connections: the database pool (SQLite: up to 8
/// connections with their `-wal` and `-shm` files; PostgreSQL: 16 sockets), the listener, the
/// runtime's handles, the connections being answered 503 (`antt_web::BUSY_ANSWERS`).
const OTHER_FILES: u64 = 100;

/// Raises the limit of open files to what `wanted` connections need, as far as the hard limit
/// allows, and returns how many connections fit: never more than the descriptors there are, so
/// connections are refused with 503 rather than failing with "Too many open files".
fn connections(wanted: usize) -> usize {
    let need = wanted as u64 + OTHER_FILES;
    match rlimit::increase_nofile_limit(need) {
        Ok(limit) if limit >= need => wanted,
        Ok(limit) => {
            let fit = usize::try_from(limit.saturating_sub(OTHER_FILES)).unwrap_or(1).max(1);
            println!(
                "Giới hạn số tệp mở của tiến trình là {limit} (cần {need}): chỉ phục vụ {fit} kết nối cùng lúc. \
                 Tăng giới hạn (ulimit -n, LimitNOFILE) để phục vụ {wanted} (docs/operations.md)."
            );
            fit
        }
        Err(e) => {
            println!("Không đọc được giới hạn số tệp mở ({e}); phục vụ tối đa {wanted} kết nối.");
            wanted
        }
    }
}
