//! The commands of the `antt` program other than `serve` (which the `antt` crate adds): rulesets,
//! accounts, evaluation, migration, backup, import and export. They work on the application layer and the
//! store, never on the web application.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Subcommand;

mod admin;
mod backup;
mod database;
mod demo;
mod evaluate;
mod export;
mod import;
mod rulesets;
mod table;

pub use admin::create_admin_hint;
pub use database::{DatabaseArgs, runtime};

/// The commands, as the `antt` program lists them after `serve`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Tài khoản: tạo tài khoản quản trị đầu tiên, khóa tài khoản minh họa.
    Admin {
        #[command(subcommand)]
        command: admin::AdminCommand,
    },
    /// Bộ tiêu chí (rulesets): list, show, check.
    Rulesets {
        #[command(subcommand)]
        command: RulesetsCommand,
    },
    /// Cập nhật cấu trúc cơ sở dữ liệu lên phiên bản mới nhất (bắt buộc với PostgreSQL).
    Migrate {
        /// Địa chỉ cơ sở dữ liệu: sqlite://TỆP hoặc postgres://…
        #[arg(long, env = "ANTT_DATABASE_URL")]
        database: String,
    },
    /// Sao lưu cơ sở dữ liệu SQLite khi máy chủ vẫn chạy (PostgreSQL: dùng pg_dump).
    Backup {
        #[arg(long, env = "ANTT_DATABASE_URL")]
        database: String,
        /// Tệp sao lưu sẽ tạo (không ghi đè tệp đã có).
        #[arg(long)]
        output: PathBuf,
    },
    /// Khôi phục cơ sở dữ liệu SQLite từ một bản sao lưu (hãy dừng máy chủ trước).
    Restore {
        #[arg(long, env = "ANTT_DATABASE_URL")]
        database: String,
        #[arg(long)]
        input: PathBuf,
    },
    /// Nhập dữ liệu: đơn vị hành chính, …
    Import {
        #[command(subcommand)]
        command: import::ImportCommand,
    },
    /// Tạo dữ liệu minh họa trong một cơ sở dữ liệu trống mà không chạy máy chủ: tỉnh Vĩnh Long
    /// năm 2013 (như `serve --demo`) hoặc cả nước (--scale national) để đo hiệu năng.
    Demo {
        #[arg(long, value_enum, default_value = "province")]
        scale: demo::Scale,
        /// Với --scale national: một đợt cho cả nước (national) hoặc mỗi tỉnh một đợt (provinces).
        #[arg(long, value_enum, default_value = "national")]
        campaigns: CampaignsArg,
        /// Với --scale national: chỉ lấy chừng này xã đầu tiên của mỗi tỉnh (cơ sở dữ liệu nhỏ hơn).
        #[arg(long)]
        communes: Option<usize>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Xuất văn bản (DOCX, PDF) và bảng (XLSX) từ một tệp dữ liệu hoặc từ cơ sở dữ liệu: báo
    /// cáo tổng hợp, báo cáo đơn vị, quyết định công nhận, giấy công nhận; từ cơ sở dữ liệu còn
    /// có bản đăng ký, bảng tự chấm điểm, biên bản họp xét, tờ trình.
    Export(export::ExportArgs),
    /// Đánh giá các đơn vị trong một tệp dữ liệu (JSON hoặc YAML) theo một bộ tiêu chí.
    Evaluate {
        /// Tên bộ tiêu chí có sẵn (vinh-long-2013, tt124-2021, tt124-2025) hoặc đường dẫn tệp YAML.
        #[arg(long)]
        ruleset: String,
        /// Tệp dữ liệu (xem docs/facts-format.md).
        facts: PathBuf,
        /// Chỉ in đơn vị có mã này.
        #[arg(long)]
        unit: Option<String>,
        /// In kết quả dạng JSON.
        #[arg(long)]
        json: bool,
    },
}

/// How the national database's campaigns cover the country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CampaignsArg {
    /// Một đợt cho cả nước.
    National,
    /// Mỗi tỉnh một đợt.
    Provinces,
}

#[derive(Debug, Subcommand)]
pub enum RulesetsCommand {
    /// Liệt kê các bộ tiêu chí có sẵn và, với --database/--data-dir, các bộ đã bổ sung vào cơ sở dữ liệu.
    List {
        /// Cơ sở dữ liệu: sqlite://TỆP hoặc postgres://…
        #[arg(long, env = "ANTT_DATABASE_URL")]
        database: Option<String>,
        /// Thư mục dữ liệu của cơ sở dữ liệu nhúng.
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Bổ sung một bộ tiêu chí của tỉnh vào cơ sở dữ liệu (kiểm tra như `check`); nội dung khác
    /// dưới cùng tên là phiên bản mới, các phiên bản cũ được giữ; nội dung y hệt thì không đổi gì.
    /// Máy chủ đang chạy dùng được ngay, không cần khởi động lại.
    Add {
        file: PathBuf,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// In một bộ tiêu chí: tiêu chí, nội dung kiểm tra, mốc thời gian, khung điểm.
    Show {
        name: String,
        /// Ngày ban hành kế hoạch (dd/mm/yyyy hoặc yyyy-mm-dd) để tính các thời hạn.
        #[arg(long)]
        plan_date: Option<String>,
        /// Năm của đợt phát động (mặc định: năm của ngày ban hành kế hoạch).
        #[arg(long)]
        year: Option<i32>,
    },
    /// Kiểm tra một tệp bộ tiêu chí; in mọi lỗi kèm vị trí.
    Check { files: Vec<PathBuf> },
}

/// Runs a command.
pub fn run(command: Command) -> Result<ExitCode> {
    match command {
        Command::Admin { command } => admin::run(command),
        Command::Rulesets { command: RulesetsCommand::List { database, data_dir } } => {
            let stored = (database.is_some() || data_dir.is_some())
                .then(|| DatabaseArgs { database, data_dir: data_dir.unwrap_or_else(|| PathBuf::from("antt-data")) });
            rulesets::list(stored.as_ref())
        }
        Command::Rulesets { command: RulesetsCommand::Add { file, database } } => rulesets::add(&file, &database),
        Command::Rulesets { command: RulesetsCommand::Show { name, plan_date, year } } => {
            let plan_date = plan_date.as_deref().map(parse_date).transpose()?;
            rulesets::show(&load_ruleset(&name)?, plan_date, year)
        }
        Command::Rulesets { command: RulesetsCommand::Check { files } } => rulesets::check(&files),
        Command::Migrate { database } => database::migrate(&database),
        Command::Backup { database, output } => backup::backup(&database, &output),
        Command::Restore { database, input } => backup::restore(&database, &input),
        Command::Import { command } => import::run(command),
        Command::Demo { scale, campaigns, communes, database } => {
            let campaigns = match campaigns {
                CampaignsArg::National => antt_app::national::Campaigns::National,
                CampaignsArg::Provinces => antt_app::national::Campaigns::Provinces,
            };
            demo::run(scale, campaigns, communes, &database)
        }
        Command::Export(args) => export::run(args.ruleset.as_deref().map(load_ruleset).transpose()?, &args),
        Command::Evaluate { ruleset, facts, unit, json } => evaluate::run(&load_ruleset(&ruleset)?, &facts, unit.as_deref(), json),
    }
}

/// A built-in ruleset by name, or a ruleset file by path.
fn load_ruleset(name: &str) -> Result<antt_core::Ruleset> {
    if let Some(rs) = antt_core::ruleset::built_in_named(name)? {
        return Ok(rs);
    }
    let path = PathBuf::from(name);
    if !path.exists() {
        let names: Vec<String> = antt_core::ruleset::built_in()?.into_iter().map(|r| r.id).collect();
        bail!("không có bộ tiêu chí `{name}` (có sẵn: {}; hoặc đưa đường dẫn tệp YAML)", names.join(", "));
    }
    let text = std::fs::read_to_string(&path).with_context(|| format!("không đọc được tệp {}", path.display()))?;
    Ok(antt_core::Ruleset::from_yaml(&path.display().to_string(), &text)?)
}

/// Accepts 02/05/2013, 2/5/2013 and 2013-05-02.
fn parse_date(s: &str) -> Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%d/%m/%Y")
        .or_else(|_| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d"))
        .with_context(|| format!("ngày `{s}` không hợp lệ (dùng dd/mm/yyyy)"))
}
