//! The national import of administrative units: both GSO lists (14,165 units, 11,321 successor
//! links) into an empty database, then again into the same one (nothing to write).
//!
//! `cargo bench -p antt-store --bench units_import` times it on SQLite in a temporary file;
//! with `ANTT_TEST_POSTGRES=postgres://…` on a new PostgreSQL database. Each run uses a fresh
//! database; prints the fastest and the median of the runs, split into reading the lists,
//! planning, and writing (one transaction).
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use antt_store::gso::import::{self, Lists};
use antt_store::testing;

const RUNS: usize = 5;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(run());
}

fn summary(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("{name:<40} fastest {:>8.1} ms   median {:>8.1} ms", ms(times[0]), ms(times[times.len() / 2]));
}

async fn run() {
    let backend = if std::env::var(testing::POSTGRES_ENV).is_ok_and(|v| !v.is_empty()) { "PostgreSQL" } else { "SQLite" };
    println!("national import of administrative units on {backend}, {RUNS} runs");
    let (mut read, mut plan, mut write, mut again, mut total) = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let store = testing::fresh_store().await.unwrap();
        let started = Instant::now();
        let lists = Lists::shipped().unwrap();
        let read_at = Instant::now();
        let p = import::plan(&lists, &[]).unwrap();
        let planned_at = Instant::now();
        let mut tx = store.begin().await.unwrap();
        let outcome = import::write(&mut tx, None, &p).await.unwrap();
        tx.commit().await.unwrap();
        let done = Instant::now();
        assert_eq!((outcome.inserted, outcome.links_written), (14_165, 11_321));
        read.push(read_at - started);
        plan.push(planned_at - read_at);
        write.push(done - planned_at);
        total.push(done - started);
        let started = Instant::now();
        let outcome = import::import(&store, None, &[]).await.unwrap();
        again.push(started.elapsed());
        assert_eq!(outcome.unchanged, 14_165);
        store.pool().close().await;
    }
    summary("read both lists", read);
    summary("plan (match, links)", plan);
    summary("write (one transaction)", write);
    summary("whole import into an empty database", total);
    summary("again into the same database", again);
}
