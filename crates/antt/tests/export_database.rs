//! `antt export --database` builds a document from what a database holds, as the web
//! application's downloads do: the summary of a commune of the demo, read back with calamine,
//! carries the counts the campaign's results give; a unit's registration comes out as submitted.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

use antt_store::{Store, campaigns, units};
use antt_web::{AppState, Config};

/// Every sheet of the workbook: its rows of cells as text.
fn sheets(path: &Path) -> Vec<Vec<Vec<String>>> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook(path).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|name| book.worksheet_range(&name).unwrap().rows().map(|r| r.iter().map(ToString::to_string).collect()).collect())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_summary_of_a_commune_comes_from_the_database() {
    let url = antt_store::testing::fresh_url().await.unwrap();
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    antt_app::demo::seed(&store).await.unwrap();
    let campaign = campaigns::list(&store).await.unwrap().remove(0);
    let commune = antt_app::demo::COMMUNE;

    // What the campaign's results say about the commune, by the web application's reckoning.
    let rulesets = antt_core::ruleset::built_in().unwrap();
    let state = AppState::new(antt_app::App::new(store.clone(), rulesets), Config::default());
    let computed = state.app.results(&campaign.id).await.unwrap();
    let ruleset = state.app.ruleset(&campaign).await.unwrap();
    let mut expected = antt_core::rollup::Counts::default();
    for (t, c) in computed.summary(commune).unwrap() {
        if ruleset.unit_type(t).is_some() {
            expected.total += c.total - c.out_of_scope;
            expected.registered += c.registered;
            expected.recognised += c.recognised;
            expected.not_recognised += c.not_recognised;
            expected.incomplete += c.incomplete;
        }
    }
    assert!(expected.total > 0 && expected.recognised > 0, "the demo commune has evaluated units: {expected:?}");

    let out = std::env::temp_dir().join(format!("antt-export-db-{}.xlsx", std::process::id()));
    let run = Command::new(env!("CARGO_BIN_EXE_antt"))
        .args(["export", "summary", "--database", &url, "--campaign", &campaign.id, "--unit", commune, "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(String::from_utf8_lossy(&run.stdout).contains("Đã ghi"));

    let book = sheets(&out);
    std::fs::remove_file(&out).unwrap();
    let by_type = book.iter().find(|rows| rows.get(2).and_then(|r| r.first()).is_some_and(|t| t == "Kết quả theo loại đơn vị")).unwrap();
    let total = by_type.iter().find(|r| r.get(1).is_some_and(|c| c == "Tổng cộng")).unwrap();
    let numbers = |at: &[usize]| at.iter().map(|&i| total[i].clone()).collect::<Vec<_>>();
    assert_eq!(
        numbers(&[2, 3, 5, 7, 8]),
        [expected.total, expected.registered, expected.recognised, expected.not_recognised, expected.incomplete].map(|n| n.to_string()),
        "{total:?}"
    );
    // The units listed are the commune's, not another commune's.
    let cells: Vec<&String> = book.iter().flatten().flatten().collect();
    let own = units::children(&store, commune).await.unwrap();
    assert!(own.iter().any(|u| cells.contains(&&u.name)), "none of the commune's units is listed");
    let commune_row = units::get(&store, commune).await.unwrap().unwrap();
    let others = units::children(&store, commune_row.parent_id.as_deref().unwrap()).await.unwrap();
    let other = others.iter().find(|u| u.id != commune).unwrap();
    let theirs = units::children(&store, &other.id).await.unwrap();
    assert!(!theirs.iter().any(|u| cells.contains(&&u.name)), "a unit of {} is listed", other.name);

    // A unit's registration as it was submitted; minutes the demo never recorded are refused.
    let area = units::get(&store, antt_app::demo::AREA).await.unwrap().unwrap();
    let pdf = std::env::temp_dir().join(format!("antt-export-db-{}.pdf", std::process::id()));
    let export = |kind: &str, unit: &str| {
        Command::new(env!("CARGO_BIN_EXE_antt"))
            .args(["export", kind, "--database", &url, "--campaign", &campaign.id, "--unit", unit, "-o"])
            .arg(&pdf)
            .output()
            .unwrap()
    };
    let run = export("registration", &area.id);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let text = Command::new("pdftotext").arg(&pdf).arg("-").output().unwrap().stdout;
    let text = String::from_utf8(text).unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
    std::fs::remove_file(&pdf).unwrap();
    assert!(text.contains("BẢN ĐĂNG KÝ PHẤN ĐẤU") && text.contains(&area.name), "{text}");
    assert!(text.contains("Bản gửi Thường trực Ban Chỉ đạo"), "the second copy: {text}");
    // (The demo records the minutes of Đồng Phú's and Long Hồ's meetings; Phước Hậu has none.)
    let refused = export("minutes", "29584");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("chưa có biên bản"), "{}", String::from_utf8_lossy(&refused.stderr));
}

#[test]
fn the_database_needs_a_campaign_and_a_facts_file_a_ruleset() {
    let antt = |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_antt")).args(args).output().unwrap();
    let no_campaign = antt(&["export", "summary", "--database", "sqlite://x.sqlite", "-o", "x.xlsx"]);
    assert!(!no_campaign.status.success());
    assert!(String::from_utf8_lossy(&no_campaign.stderr).contains("--campaign"));
    let no_ruleset = antt(&["export", "summary", "facts.yaml", "-o", "x.xlsx"]);
    assert!(!no_ruleset.status.success());
    assert!(String::from_utf8_lossy(&no_ruleset.stderr).contains("--ruleset"));
}
