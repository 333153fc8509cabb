//! `antt rulesets list|show|check|add`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use antt_app::App;
use antt_core::Ruleset;
use antt_core::calendar::Calendar;
use antt_core::model::Campaign;
use antt_core::vi;
use anyhow::{Context, Result};

use antt_store::rulesets::Added;

use crate::database::{DatabaseArgs, runtime};
use crate::table;

/// The built-in rulesets, then (with a database) the newest version of each one added to it.
pub fn list(database: Option<&DatabaseArgs>) -> Result<ExitCode> {
    let mut rows: Vec<Vec<String>> = antt_core::ruleset::built_in()?
        .iter()
        .map(|r| {
            let hash = antt_store::sha256_hex(antt_core::ruleset::built_in_text(&r.id).unwrap_or_default().as_bytes());
            row(r, "có sẵn".into(), &hash)
        })
        .collect();
    if let Some(database) = database {
        runtime()?.block_on(async {
            let store = database.open().await?;
            for stored in antt_store::rulesets::newest_added(&store).await? {
                let r = Ruleset::from_yaml(&stored.name, &stored.text)?;
                let source = format!(
                    "bổ sung, phiên bản {} ({}, {})",
                    stored.version,
                    stored.added_by,
                    stored.added_at.get(..10).unwrap_or_default()
                );
                rows.push(row(&r, source, &stored.hash));
            }
            anyhow::Ok(())
        })?;
    }
    print!("{}", table::render(&["Mã", "Nguồn", "Chế độ", "Hiệu lực", "Tiêu chí", "SHA-256", "Tên"], &rows, 0));
    Ok(ExitCode::SUCCESS)
}

fn row(r: &Ruleset, source: String, hash: &str) -> Vec<String> {
    let validity = match r.valid_to {
        Some(to) => format!("{} – {}", vi::date(r.valid_from), vi::date(to)),
        None => format!("từ {}", vi::date(r.valid_from)),
    };
    vec![
        r.id.clone(),
        source,
        r.regime.clone(),
        validity,
        r.criteria.len().to_string(),
        hash.get(..16).unwrap_or(hash).to_owned(),
        r.name.clone(),
    ]
}

/// `antt rulesets add FILE`: checked, then kept in the database with its hash.
pub fn add(path: &Path, database: &DatabaseArgs) -> Result<ExitCode> {
    let text = std::fs::read_to_string(path).with_context(|| format!("không đọc được tệp {}", path.display()))?;
    runtime()?.block_on(async {
        let store = database.open().await?;
        let app = App::new(store, antt_core::ruleset::built_in()?);
        let by = format!("dòng lệnh ({})", std::env::var("USER").unwrap_or_else(|_| "không rõ người dùng".into()));
        match app.add_ruleset(&by, &path.display().to_string(), &text).await {
            Ok(Added::New(s)) => {
                println!("Đã lưu bộ tiêu chí {} phiên bản {} (SHA-256 {}).", s.name, s.version, s.hash);
                Ok(ExitCode::SUCCESS)
            }
            Ok(Added::Unchanged(s)) => {
                println!("Bộ tiêu chí {} phiên bản {} đã có đúng nội dung này (SHA-256 {}); không lưu thêm.", s.name, s.version, s.hash);
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => {
                eprintln!("{e}");
                Ok(ExitCode::FAILURE)
            }
        }
    })
}

pub fn show(rs: &Ruleset, plan_date: Option<chrono::NaiveDate>, year: Option<i32>) -> Result<ExitCode> {
    println!("{} — {}", rs.id, rs.name);
    println!("Chế độ: {}", rs.regime);
    println!("Căn cứ:");
    for b in &rs.legal_basis {
        println!("  - {b}");
    }
    for n in &rs.notes {
        println!("Ghi chú: {n}");
    }
    for x in &rs.exclusions {
        println!("Loại trừ: {}", x.reason);
    }
    for (name, s) in &rs.settings {
        println!("Thiết lập {name}: {} (mặc định {}; cho phép: {})", s.description, s.default, s.allowed.join(", "));
    }
    for t in &rs.unit_types {
        println!("\n{} ({})", t.name.to_uppercase(), t.code);
        for c in rs.criteria_for(&t.code) {
            println!("  {} {}", c.id, c.text);
            println!("      Căn cứ: {}", c.basis);
            for p in &c.parts {
                let when = p.when.as_ref().map(|w| format!(" [khi: {}]", rs.vocabulary.conditions.get(w).unwrap_or(w))).unwrap_or_default();
                println!("      {}) {}{when} — {}", p.id, p.text, p.check.name());
            }
        }
    }
    if let Some(plan_date) = plan_date {
        let campaign = Campaign {
            year: year.unwrap_or(chrono::Datelike::year(&plan_date)),
            plan_number: None,
            plan_date,
            settings: Default::default(),
        };
        let calendar = Calendar::new(&rs.timeline, rs.unit_types.iter().map(|t| &t.code), &campaign, &rs.settings)?;
        println!("\nMốc thời gian năm {} (kế hoạch ngày {}):", campaign.year, vi::date(plan_date));
        let rows: Vec<Vec<String>> = calendar
            .by_type
            .iter()
            .map(|(t, d)| {
                let opt = |d: Option<chrono::NaiveDate>| d.map(vi::date).unwrap_or_else(|| "—".into());
                vec![
                    rs.unit_type_name(t).to_owned(),
                    vi::date(d.registration_deadline),
                    format!("{} – {}", vi::date(d.period_from), vi::date(d.period_to)),
                    opt(d.decision_deadline),
                    opt(d.classification_deadline),
                    d.authority.name().to_owned(),
                ]
            })
            .collect();
        print!(
            "{}",
            table::render(&["Loại đơn vị", "Hạn đăng ký", "Kỳ đánh giá", "Hạn công nhận", "Hạn xếp loại", "Cấp công nhận"], &rows, 2)
        );
        if let Some((from, to)) = calendar.inspection {
            println!("  Kiểm tra: {} – {}", vi::date(from), vi::date(to));
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn check(files: &[PathBuf]) -> Result<ExitCode> {
    let mut ok = true;
    for path in files {
        let text = std::fs::read_to_string(path).with_context(|| format!("không đọc được tệp {}", path.display()))?;
        match Ruleset::from_yaml(&path.display().to_string(), &text) {
            Ok(rs) => println!("{}: hợp lệ — {} ({} tiêu chí)", path.display(), rs.id, rs.criteria.len()),
            Err(errors) => {
                ok = false;
                eprintln!("{errors}");
            }
        }
    }
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
