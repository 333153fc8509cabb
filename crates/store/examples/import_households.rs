//! Times the import of a large household commitment list from CSV on a fresh SQLite database:
//! `cargo run --release -p antt-store --example import_households -- 1000000`, or on an empty
//! PostgreSQL database given after the row count (`… -- 1000000 postgres://…/antt_bench_hh`).
//! Figures in docs/benchmarks.md. Prints the time of each step.
#![allow(clippy::unwrap_used)]

use std::time::Instant;

use antt_import::{Kind, Limits};
use antt_store::imports::{self, Target};
use antt_store::units::NewUnit;
use antt_store::{Store, campaigns, units};

const AREAS: usize = 100;

#[tokio::main]
async fn main() {
    let rows: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let path = std::env::temp_dir().join(format!("antt-import-bench-{}.sqlite", std::process::id()));
    let url = std::env::args().nth(2).unwrap_or_else(|| format!("sqlite://{}", path.display()));
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let mut tree = vec![
        NewUnit { id: "86".into(), name: "Tỉnh Vĩnh Long".into(), unit_type: "province".into(), ..NewUnit::default() },
        NewUnit {
            id: "29578".into(),
            name: "Xã Đồng Phú".into(),
            unit_type: "commune".into(),
            parent_id: Some("86".into()),
            ..NewUnit::default()
        },
    ];
    for a in 0..AREAS {
        tree.push(NewUnit {
            id: format!("ap{a}"),
            name: format!("Ấp {a}"),
            unit_type: "residential_area".into(),
            parent_id: Some("29578".into()),
            ..NewUnit::default()
        });
    }
    units::insert_many(&mut tx, None, &tree).await.unwrap();
    let campaign = campaigns::create(&mut tx, None, &antt_store::testing::vinh_long_2013("Bench")).await.unwrap();
    tx.commit().await.unwrap();

    let started = Instant::now();
    let mut csv = String::with_capacity(rows * 70);
    csv.push_str("Khu dân cư,Chủ hộ,Địa chỉ,Đã ký cam kết,Ngày ký,Ghi chú\n");
    for i in 0..rows {
        let signed = i % 10 != 0;
        let date = if signed { format!("{:02}/05/2013", 1 + i % 28) } else { String::new() };
        csv.push_str(&format!(
            "Ấp {},Nguyễn Văn Hộ {i},Số {} tổ {},{},{date},\n",
            i % AREAS,
            i % 500,
            i % 20,
            if signed { "có" } else { "không" }
        ));
    }
    println!("CSV: {} rows, {:.1} MB, generated in {:.2} s", rows, csv.len() as f64 / 1_048_576.0, started.elapsed().as_secs_f64());

    let vocabulary = antt_core::ruleset::built_in_named("vinh-long-2013").unwrap().unwrap().vocabulary;
    let limits = Limits { max_bytes: usize::MAX, max_rows: 5_000_000, ..Limits::default() };
    let total = Instant::now();
    let step = Instant::now();
    let mut parsed = antt_import::parse(Kind::Households, csv.as_bytes(), "ho.csv", &vocabulary, &limits, &mut |_| {});
    assert!(parsed.is_clean(), "{:?}", &parsed.problems[..parsed.problems.len().min(5)]);
    println!("parse: {:.2} s", step.elapsed().as_secs_f64());
    let territorial = ["residential_area".to_owned()];
    let target = Target {
        campaign_id: &campaign.id,
        root_unit_id: "29578",
        user_id: None,
        file_name: "ho.csv",
        check: imports::NO_FACT_CHECK,
        territorial_types: &territorial,
    };
    let step = Instant::now();
    imports::check(&store, target, &mut parsed).await.unwrap();
    assert!(parsed.is_clean());
    println!("dry run against the database: {:.2} s", step.elapsed().as_secs_f64());
    let step = Instant::now();
    let outcome = imports::import(&store, target, &parsed, &mut |_| {}).await.unwrap();
    assert_eq!(outcome.imported, rows);
    println!("import (checks again, writes, commits): {:.2} s", step.elapsed().as_secs_f64());
    println!("total from CSV bytes to committed rows: {:.2} s", total.elapsed().as_secs_f64());
    store.pool().close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
