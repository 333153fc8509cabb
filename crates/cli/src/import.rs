//! `antt import …`: bringing official lists and records into the database.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use antt_app::App;
use antt_app::imports::{ImportFile, Importer};
use antt_core::vi;
use anyhow::{Context, Result};
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::{DatabaseArgs, runtime};

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Đơn vị hành chính theo danh mục của Tổng cục Thống kê: cây trước 01/7/2025 (tỉnh, huyện, xã), cây từ 01/7/2025 (tỉnh, xã) và liên kết sáp nhập giữa hai cây.
    Units(UnitsArgs),
    /// Bảng tính (CSV hoặc Excel .xlsx) của một đợt phát động: đơn vị của từng loại trong bộ tiêu chí (khu dân cư, cơ quan, nhà trường, cơ sở thờ tự…) và bộ phận, danh sách hộ gia đình ký cam kết, vụ việc, kỷ luật. Chỉ nhập khi tệp không còn lỗi nào: có lỗi thì không ghi dòng nào.
    Records(RecordsArgs),
}

#[derive(Debug, clap::Args)]
pub struct RecordsArgs {
    /// Loại dữ liệu: mã một loại đơn vị của bộ tiêu chí của đợt phát động (danh sách các đơn vị
    /// loại đó, ví dụ residential_area, agency, school, worship_site), hoặc households, incidents, discipline.
    #[arg(long)]
    kind: String,
    /// Mã đợt phát động.
    #[arg(long)]
    campaign: String,
    /// Đơn vị nhập (các dòng chỉ được ghi đơn vị thuộc đơn vị này); mặc định: phạm vi của đợt phát động.
    #[arg(long)]
    unit: Option<String>,
    /// Tệp CSV (UTF-8) hoặc Excel (.xlsx).
    #[arg(long)]
    file: PathBuf,
    /// Chỉ kiểm tra và báo lỗi, không ghi gì.
    #[arg(long)]
    dry_run: bool,
    /// Số dòng dữ liệu tối đa của một tệp.
    #[arg(long, default_value_t = 5_000_000)]
    max_rows: usize,
    #[command(flatten)]
    database: DatabaseArgs,
}

#[derive(Debug, clap::Args)]
pub struct UnitsArgs {
    /// Mã tỉnh theo danh mục trước hoặc từ 01/7/2025 (lặp lại được); bỏ trống: cả nước.
    #[arg(long = "province", value_name = "MÃ")]
    provinces: Vec<String>,
    #[command(flatten)]
    database: DatabaseArgs,
}

pub fn run(command: ImportCommand) -> Result<ExitCode> {
    match command {
        ImportCommand::Units(args) => units(&args),
        ImportCommand::Records(args) => records(&args),
    }
}

fn bar(len: u64, message: &'static str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{msg} [{bar:40}] {human_pos}/{human_len} dòng ({elapsed})")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style.progress_chars("=> "));
    bar.set_message(message);
    bar
}

/// Reads a spreadsheet, checks it against the database, and imports it whole unless `--dry-run`
/// or any problem was found. Problems go to standard output, one a line, in file order.
fn records(args: &RecordsArgs) -> Result<ExitCode> {
    let content = std::fs::read(&args.file).with_context(|| format!("không đọc được tệp {}", args.file.display()))?;
    let file_name = args.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    runtime()?.block_on(async {
        let store = args.database.open().await?;
        let app = App::new(store, antt_core::ruleset::built_in()?);
        let started = Instant::now();
        let limits = antt_import::Limits { max_bytes: usize::MAX, max_rows: args.max_rows, ..antt_import::Limits::default() };
        let reading = bar(antt_import::sheet::estimate_rows(&content).unwrap_or(0) as u64, "Đọc tệp");
        let campaign = antt_store::campaigns::get(app.store(), &args.campaign)
            .await?
            .with_context(|| format!("không có đợt phát động mã `{}`", args.campaign))?;
        let kind = app.import_kind(&campaign, &args.kind).await?;
        let file = ImportFile { kind, file_name: file_name.clone(), content, limits };
        let read_bar = reading.clone();
        let parsed = app
            .check_import(Importer::CommandLine, &args.campaign, args.unit.as_deref(), &file, move |n| read_bar.set_position(n as u64))
            .await?;
        reading.finish();
        let read_seconds = started.elapsed().as_secs_f64();
        let rows = parsed.records.len();
        if !parsed.is_clean() {
            for p in &parsed.problems {
                println!("{p}");
            }
            if parsed.problem_count > parsed.problems.len() {
                println!("… và {} lỗi khác.", vi::integer((parsed.problem_count - parsed.problems.len()) as u64));
            }
            println!("Tệp {file_name} có {} lỗi: không ghi dòng nào. Hãy sửa rồi nhập lại.", vi::integer(parsed.problem_count as u64));
            return Ok(ExitCode::FAILURE);
        }
        if args.dry_run {
            println!(
                "Tệp {file_name} không có lỗi: {} dòng sẵn sàng để nhập (đọc trong {} giây). Chưa ghi gì (--dry-run).",
                vi::integer(rows as u64),
                vi::decimal(read_seconds, 2)
            );
            return Ok(ExitCode::SUCCESS);
        }
        let writing = bar(rows as u64, "Ghi vào cơ sở dữ liệu");
        let outcome = app
            .import(Importer::CommandLine, &args.campaign, args.unit.as_deref(), &file, |_| {}, &mut |n, _| writing.set_position(n as u64))
            .await?;
        writing.finish();
        if !outcome.problems.is_empty() {
            for p in &outcome.problems {
                println!("{p}");
            }
            println!("Dữ liệu vừa thay đổi: {} lỗi, không ghi dòng nào.", vi::integer(outcome.problems.len() as u64));
            return Ok(ExitCode::FAILURE);
        }
        println!(
            "Đã nhập {} dòng ({}) vào {} đơn vị trong {} giây (đọc tệp {} giây).",
            vi::integer(outcome.imported as u64),
            file.kind.title().to_lowercase(),
            vi::integer(outcome.units as u64),
            vi::decimal(started.elapsed().as_secs_f64(), 2),
            vi::decimal(read_seconds, 2)
        );
        Ok(ExitCode::SUCCESS)
    })
}

/// Imports the shipped GSO lists in one transaction and says what it did.
fn units(args: &UnitsArgs) -> Result<ExitCode> {
    runtime()?.block_on(async {
        let store = args.database.open().await?;
        let started = Instant::now();
        let outcome = antt_store::gso::import::import(&store, None, &args.provinces).await?;
        let seconds = started.elapsed().as_secs_f64();
        for w in &outcome.warnings {
            eprintln!("Cảnh báo: {w}");
        }
        let n = |x: usize| vi::integer(x as u64);
        let c = &outcome.counts;
        let scope = if args.provinces.is_empty() { "cả nước".to_owned() } else { format!("tỉnh mã {}", args.provinces.join(", ")) };
        println!("Đã nhập đơn vị hành chính ({scope}) trong {} giây:", vi::decimal(seconds, 2));
        println!("  Trước 01/7/2025: {} tỉnh, {} huyện, {} xã", n(c.old_provinces), n(c.old_districts), n(c.old_communes));
        println!("  Từ 01/7/2025: {} tỉnh, {} xã", n(c.new_provinces), n(c.new_communes));
        println!("  Liên kết sáp nhập: {}", n(c.links));
        println!(
            "  Thêm mới {} đơn vị, cập nhật {}, giữ nguyên {}; ghi {} liên kết; {} cảnh báo.",
            n(outcome.inserted),
            n(outcome.updated),
            n(outcome.unchanged),
            n(outcome.links_written),
            n(outcome.warnings.len())
        );
        Ok(ExitCode::SUCCESS)
    })
}
