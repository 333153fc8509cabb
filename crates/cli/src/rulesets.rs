//! `antt rulesets list|show|check`.

use std::path::PathBuf;
use std::process::ExitCode;

use antt_core::Ruleset;
use antt_core::calendar::Calendar;
use antt_core::model::Campaign;
use antt_core::vi;
use anyhow::{Context, Result};

use crate::table;

pub fn list() -> Result<ExitCode> {
    let rows: Vec<Vec<String>> = antt_core::ruleset::built_in()?
        .iter()
        .map(|r| {
            let validity = match r.valid_to {
                Some(to) => format!("{} – {}", vi::date(r.valid_from), vi::date(to)),
                None => format!("từ {}", vi::date(r.valid_from)),
            };
            vec![r.id.clone(), r.regime.clone(), validity, r.criteria.len().to_string(), r.name.clone()]
        })
        .collect();
    print!("{}", table::render(&["Mã", "Chế độ", "Hiệu lực", "Tiêu chí", "Tên"], &rows, 0));
    Ok(ExitCode::SUCCESS)
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
