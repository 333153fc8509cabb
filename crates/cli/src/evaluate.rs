//! `antt evaluate`: reads a facts file, evaluates the whole tree and prints every verdict with
//! its reasons, then the counts by administrative unit.

use std::path::Path;
use std::process::ExitCode;

use antt_core::calendar::Calendar;
use antt_core::report::{Interner, UnitReport};
use antt_core::rollup::{Counts, RollUp, Summary, Tree, roll_up};
use antt_core::{Facts, Ruleset, vi};
use anyhow::{Context, Result, bail};
use serde::Serialize;

use crate::table;

#[derive(Serialize)]
struct Output<'a> {
    ruleset: &'a str,
    campaign: &'a antt_core::model::Campaign,
    calendar: &'a Calendar,
    units: Vec<UnitReport>,
    summaries: Vec<NodeSummary<'a>>,
    total: Summary,
}

#[derive(Serialize)]
struct NodeSummary<'a> {
    id: &'a str,
    name: &'a str,
    unit_type: &'a str,
    summary: &'a Summary,
}

pub fn run(rs: &Ruleset, path: &Path, only: Option<&str>, json: bool) -> Result<ExitCode> {
    let text = std::fs::read_to_string(path).with_context(|| format!("không đọc được tệp {}", path.display()))?;
    let facts = Facts::parse(&path.display().to_string(), &text)?;
    let problems = antt_core::validate::validate(rs, &facts);
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("{}: {p}", path.display());
        }
        bail!("tệp dữ liệu có {} lỗi, chưa đánh giá", problems.len());
    }
    let calendar = Calendar::new(&rs.timeline, rs.unit_types.iter().map(|t| &t.code), &facts.campaign, &rs.settings)?;
    let tree =
        Tree::new(&facts.units).map_err(|e| anyhow::anyhow!("{}", e.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")))?;
    let result = roll_up(rs, Some(&calendar), tree);
    let order = pre_order(&result);
    if let Some(id) = only
        && result.tree.find(id).is_none()
    {
        bail!("không có đơn vị mã `{id}` trong tệp dữ liệu");
    }
    let shown = |i: usize| only.is_none_or(|id| facts.units[i].id.0 == id);
    let mut texts = Interner::default();
    let units: Vec<UnitReport> = order
        .iter()
        .filter(|&&i| shown(i))
        .filter_map(|&i| result.verdicts[i].as_ref())
        .map(|v| UnitReport::new_in(rs, Some(&calendar), v, &mut texts))
        .collect();
    let summaries: Vec<NodeSummary> = order
        .iter()
        .filter(|&&i| shown(i) && result.verdicts[i].is_none())
        .filter_map(|&i| {
            let u = &facts.units[i];
            Some(NodeSummary { id: &u.id.0, name: &u.name, unit_type: &u.unit_type, summary: result.summaries[i].as_ref()? })
        })
        .collect();
    let total = result.total();
    if json {
        let out = Output { ruleset: &rs.id, campaign: &facts.campaign, calendar: &calendar, units, summaries, total };
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        print_text(rs, &facts, &units, &summaries, only.is_none().then_some(&total));
    }
    Ok(ExitCode::SUCCESS)
}

/// Parents before children, children in file order.
fn pre_order(result: &RollUp<'_>) -> Vec<usize> {
    let mut order = Vec::with_capacity(result.verdicts.len());
    let mut stack: Vec<usize> = result.tree.roots().iter().rev().copied().collect();
    while let Some(i) = stack.pop() {
        order.push(i);
        stack.extend(result.tree.children(i).iter().rev());
    }
    order
}

fn print_text(rs: &Ruleset, facts: &Facts, units: &[UnitReport], summaries: &[NodeSummary<'_>], total: Option<&Summary>) {
    let c = &facts.campaign;
    println!("Bộ tiêu chí: {} — {}", rs.id, rs.name);
    let plan = c
        .plan_number
        .as_ref()
        .map(|n| format!("Kế hoạch số {n} ngày {}", vi::date(c.plan_date)))
        .unwrap_or_else(|| format!("Kế hoạch ngày {}", vi::date(c.plan_date)));
    println!("Năm {} — {plan}", c.year);
    for u in units {
        println!();
        println!("{} — {} [{}]", u.name, u.unit_type_name, u.id);
        println!("Kết quả: {}", u.outcome_name.to_uppercase());
        for note in &u.scope_notes {
            println!("  {note}");
        }
        if let Some(r) = &u.registration {
            println!("Đăng ký: {}", r.text);
        }
        if let Some(a) = &u.authority {
            println!("Cấp công nhận: {a}");
        }
        if u.criteria.is_empty() {
            continue;
        }
        let mut rows = Vec::new();
        for cr in &u.criteria {
            rows.push(vec![cr.id.to_string(), cr.status.name().to_owned(), String::new()]);
            for p in &cr.parts {
                rows.push(vec![format!("  {}", p.id), p.status.name().to_owned(), format!("{}: {}", p.text, p.reason)]);
            }
        }
        print!("{}", table::render(&["Tiêu chí", "Kết quả", "Nội dung và lý do"], &rows, 2));
        if let Some(k) = &u.classification {
            let source = match k.source {
                antt_core::scoring::ScoreSource::Reviewed => format!("điểm đoàn kiểm tra; tự chấm {}", k.self_total),
                antt_core::scoring::ScoreSource::SelfAssessed => "điểm tự chấm, chờ đoàn kiểm tra".to_owned(),
            };
            println!("Xếp loại phong trào: {} — {}/{} điểm ({source})", k.band_name, k.total, k.max);
            for (item, own, reviewed) in &k.differences {
                println!("  Mục {item}: tự chấm {own}, đoàn kiểm tra {reviewed}");
            }
            for r in &k.reasons {
                println!("  {r}");
            }
        }
        if let Some(p) = &u.classification_problem {
            println!("Xếp loại phong trào: chưa xếp được — {p}");
        }
    }
    let mut blocks: Vec<(String, &Summary)> = summaries.iter().map(|s| (format!("{} [{}]", s.name, s.id), s.summary)).collect();
    if let Some(t) = total {
        blocks.push(("Toàn bộ tệp dữ liệu".to_owned(), t));
    }
    for (title, summary) in blocks {
        println!("\nTổng hợp: {title}");
        let rows: Vec<Vec<String>> = summary.iter().map(|(t, k)| summary_row(rs.unit_type_name(t), k)).collect();
        print!(
            "{}",
            table::render(
                &["Loại đơn vị", "Tổng", "Đạt chuẩn", "Chưa đạt", "Thiếu dữ liệu", "Ngoài phạm vi", "Đã đăng ký", "Đúng hạn"],
                &rows,
                2
            )
        );
    }
}

fn summary_row(name: &str, k: &Counts) -> Vec<String> {
    let n = |x: u32| vi::integer(x.into());
    vec![
        name.to_owned(),
        n(k.total),
        n(k.recognised),
        n(k.not_recognised),
        n(k.incomplete),
        n(k.out_of_scope),
        n(k.registered),
        n(k.registered_on_time),
    ]
}
