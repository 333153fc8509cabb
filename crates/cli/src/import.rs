//! `antt import …`: bringing official lists and records into the database.

use std::process::ExitCode;
use std::time::Instant;

use antt_core::vi;
use anyhow::Result;
use clap::Subcommand;

use crate::serve::{DatabaseArgs, runtime};

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Đơn vị hành chính theo danh mục của Tổng cục Thống kê: cây trước 01/7/2025 (tỉnh, huyện, xã), cây từ 01/7/2025 (tỉnh, xã) và liên kết sáp nhập giữa hai cây.
    Units(UnitsArgs),
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
    }
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
