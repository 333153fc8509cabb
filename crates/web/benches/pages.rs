//! Server-side latency of the dashboard and the unit page on a province of about 10,000 units.
//!
//! `cargo bench -p antt-web --bench pages` builds a synthetic province in a temporary SQLite
//! database, signs in as the province's standing office and times requests through the whole
//! application (routing, session, guard, queries, verdict cache, templates) in process, so the
//! figures are the server's own time without the network. Prints p50/p95/p99 per page, plus the
//! first request after a write, which recomputes the campaign's verdicts.
//!
//! With `ANTT_BENCH_DATABASE=URL` it measures a database built by `antt demo --scale national`
//! instead (the campaign whose scope has the most units; a bench account is added to it): the
//! same pages, the whole campaign from its facts, a server started on the stored results, and
//! the server's memory once it holds the campaign's results.
//!
//! `RUST_LOG=antt_app=debug` prints how each update of the results spent its time (reading
//! the facts, evaluating).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use antt_core::access::Role;
use antt_core::fact::{Fact, FactKind};
use antt_core::model::{Commitment, Document, Incident, Severity};
use antt_store::facts::{self, Writer};
use antt_store::units::NewUnit;
use antt_store::{Store, campaigns, units, users};
use antt_web::{AppState, Config};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;

const DISTRICTS: usize = 8;
const COMMUNES_PER_DISTRICT: usize = 13;
const AREAS_PER_COMMUNE: usize = 75;
const OTHERS_PER_COMMUNE: usize = 20;
const REQUESTS: usize = 200;
const AFTER_WRITES: usize = 50;

/// The allocator the `antt` program runs on, so the figures are the server's.
#[global_allocator]
static ALLOCATOR: antt_alloc::Allocator = antt_alloc::Allocator;

fn main() {
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::from_default_env()).with_writer(std::io::stderr).init();
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    runtime.block_on(run());
}

async fn build(store: &Store) -> (String, String, String, usize) {
    let mut tx = store.begin().await.expect("tx");
    let mut all =
        vec![NewUnit { id: "p".into(), name: "Tỉnh Thử nghiệm".into(), unit_type: "province".into(), ..NewUnit::default() }];
    let mut evaluated = Vec::new();
    for d in 0..DISTRICTS {
        let did = format!("d{d}");
        all.push(NewUnit {
            id: did.clone(),
            name: format!("Huyện {d}"),
            unit_type: "district".into(),
            parent_id: Some("p".into()),
            ..NewUnit::default()
        });
        for c in 0..COMMUNES_PER_DISTRICT {
            let cid = format!("{did}c{c}");
            all.push(NewUnit {
                id: cid.clone(),
                name: format!("Xã {d}-{c}"),
                unit_type: "commune".into(),
                parent_id: Some(did.clone()),
                ..NewUnit::default()
            });
            evaluated.push((cid.clone(), "commune"));
            for a in 0..AREAS_PER_COMMUNE {
                let aid = format!("{cid}a{a}");
                all.push(NewUnit {
                    id: aid.clone(),
                    name: format!("Ấp {a}"),
                    unit_type: "residential_area".into(),
                    parent_id: Some(cid.clone()),
                    ..NewUnit::default()
                });
                evaluated.push((aid, "residential_area"));
            }
            for o in 0..OTHERS_PER_COMMUNE {
                let oid = format!("{cid}o{o}");
                let unit_type = ["agency", "school", "worship_site"][o % 3];
                all.push(NewUnit {
                    id: oid.clone(),
                    name: format!("Đơn vị {o}"),
                    unit_type: unit_type.into(),
                    parent_id: Some(cid.clone()),
                    ..NewUnit::default()
                });
                evaluated.push((oid, unit_type));
            }
        }
    }
    units::insert_many(&mut tx, None, &all).await.expect("units");
    let admin = users::create(&mut tx, None, "tinh", "Thường trực", "mat-khau-bench").await.expect("user");
    users::grant(&mut tx, None, &admin, Role::Admin, "p").await.expect("grant");
    let campaign = campaigns::create(
        &mut tx,
        Some(&admin),
        &campaigns::NewCampaign {
            scope_unit_id: "p".into(),
            year: 2013,
            plan_number: Some("710/QĐ-UBND".into()),
            plan_date: chrono::NaiveDate::from_ymd_opt(2013, 5, 2).expect("date"),
            ruleset: "vinh-long-2013".into(),
            ruleset_version: None,
            settings: BTreeMap::new(),
            title: "Thử tải".into(),
        },
    )
    .await
    .expect("campaign");
    for (i, (uid, unit_type)) in evaluated.iter().enumerate() {
        let w = Writer { user_id: &admin, campaign_id: &campaign.id, unit_id: uid };
        let on = |m: u32, d: u32| chrono::NaiveDate::from_ymd_opt(2013, m, d).expect("date");
        for kind in ["party_resolution", "registration", "self_management_model", "security_plan"] {
            let fact = Fact::Document(Document { kind: kind.to_owned(), number: None, date: Some(on(5, 15)) });
            facts::insert(&mut tx, w, &fact).await.expect("document");
        }
        if *unit_type == "residential_area" {
            let total = 100 + (i % 150) as u32;
            let signed = if i % 7 == 0 { total - 1 } else { total };
            let fact = Fact::Commitment(Commitment::new("households", signed, total));
            facts::insert(&mut tx, w, &fact).await.expect("commitment");
        }
        if i % 3 == 0 {
            let fact = Fact::Incident(Incident {
                severity: Some(if i % 21 == 0 { Severity::NghiemTrong } else { Severity::ItNghiemTrong }),
                reported_promptly: Some(true),
                ..Incident::new("crime", on(7, 1))
            });
            facts::insert(&mut tx, w, &fact).await.expect("incident");
        } else {
            facts::declare_complete(&mut tx, w, FactKind::Incidents).await.expect("incidents");
        }
        facts::declare_complete(&mut tx, w, FactKind::Discipline).await.expect("discipline");
    }
    tx.commit().await.expect("commit");
    (campaign.id, admin, "d0c0a0".to_owned(), all.len())
}

async fn cookie(app: &axum::Router) -> String {
    let response = app
        .clone()
        .oneshot(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("username=tinh&password=mat-khau-bench"))
                .expect("request"),
        )
        .await
        .expect("login");
    let set = response.headers().get(header::SET_COOKIE).expect("session cookie").to_str().expect("ascii");
    set.split(';').next().expect("cookie").to_owned()
}

async fn get(app: &axum::Router, cookie: &str, uri: &str) -> Duration {
    let started = Instant::now();
    let response = app
        .clone()
        .oneshot(Request::get(uri).header(header::COOKIE, cookie).body(Body::empty()).expect("request"))
        .await
        .expect("response");
    let status = response.status();
    let _ = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("body");
    assert_eq!(status, StatusCode::OK, "{uri}");
    started.elapsed()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    println!(
        "{name:<44} n={:<4} p50 {:>9}  p95 {:>9}  p99 {:>9}",
        samples.len(),
        ms(percentile(&samples, 0.5)),
        ms(percentile(&samples, 0.95)),
        ms(percentile(&samples, 0.99))
    );
}

/// What the benchmark measures: the campaign, the account, the pages and the areas to write to.
struct Target {
    campaign: String,
    admin: String,
    pages: Vec<(String, String)>,
    written: Vec<String>,
}

/// The synthetic province, built in a fresh database.
async fn province() -> (Store, Target) {
    let store = antt_store::testing::fresh_store().await.expect("store");
    let started = Instant::now();
    let (cid, admin, area, count) = build(&store).await;
    println!("province of {count} units built in {:.1} s", started.elapsed().as_secs_f64());
    let pages = [
        ("dashboard, province", format!("/c/{cid}/dashboard?unit=p")),
        ("dashboard, district", format!("/c/{cid}/dashboard?unit=d0")),
        ("unit page, commune (95 children)", format!("/c/{cid}/units/d0c0")),
        ("unit page, residential area", format!("/c/{cid}/units/{area}")),
    ];
    let written = (0..AFTER_WRITES)
        .map(|i| {
            let (d, c, a) = (i % DISTRICTS, (i * 7) % COMMUNES_PER_DISTRICT, (i * 31) % AREAS_PER_COMMUNE);
            format!("d{d}c{c}a{a}")
        })
        .collect();
    (store, Target { campaign: cid, admin, pages: pages.map(|(n, u)| (n.to_owned(), u)).into(), written })
}

/// The campaign with the largest scope in a database built by `antt demo --scale national`, with
/// a bench account added as its administrator.
async fn existing(url: &str) -> (Store, Target) {
    let store = Store::connect(url).await.expect("database");
    let mut largest: Option<(u64, campaigns::CampaignRow, units::UnitRow)> = None;
    for c in campaigns::list(&store).await.expect("campaigns") {
        let scope = units::get(&store, &c.scope_unit_id).await.expect("scope").expect("scope unit");
        let n: u64 = units::count_by_type(&store, &scope.path).await.expect("count").values().sum();
        if largest.as_ref().is_none_or(|(m, _, _)| n > *m) {
            largest = Some((n, c, scope));
        }
    }
    let (count, campaign, scope) = largest.expect("a database built by `antt demo --scale national`");
    println!("campaign {} over {} ({count} units)", campaign.id, scope.name);
    let admin = match users::account(&store, "tinh").await.expect("user") {
        Some(a) => a.id,
        None => {
            let mut tx = store.begin().await.expect("tx");
            let id = users::create(&mut tx, None, "tinh", "Thường trực", "mat-khau-bench").await.expect("user");
            users::grant(&mut tx, None, &id, Role::Admin, &scope.id).await.expect("grant");
            tx.commit().await.expect("commit");
            id
        }
    };
    // Pages one level down: the first province (or district) and commune, and an area.
    let mut chain = vec![scope.clone()];
    while chain.len() < 4 {
        let children = units::children(&store, &chain[chain.len() - 1].id).await.expect("children");
        let Some(next) =
            children.into_iter().max_by_key(|u| u.unit_type == "residential_area" || u.unit_type == "commune" || u.unit_type == "province")
        else {
            break;
        };
        chain.push(next);
    }
    let cid = campaign.id.clone();
    let mut pages = vec![(format!("dashboard, {}", scope.unit_type), format!("/c/{cid}/dashboard?unit={}", scope.id))];
    for u in &chain[1..] {
        let kind = if u.unit_type == "residential_area" { "unit page".to_owned() } else { format!("dashboard, {}", u.unit_type) };
        let uri = if u.unit_type == "residential_area" {
            format!("/c/{cid}/units/{}", u.id)
        } else {
            format!("/c/{cid}/dashboard?unit={}", u.id)
        };
        pages.push((format!("{kind} ({})", u.unit_type), uri));
    }
    // Areas spread over the scope: every so many by path.
    let areas: Vec<String> = units::search(&store, &scope.path, "", Some("residential_area"), 1, 200_000)
        .await
        .expect("areas")
        .items
        .into_iter()
        .map(|u| u.id)
        .collect();
    let step = (areas.len() / AFTER_WRITES).max(1);
    let written = areas.iter().step_by(step).take(AFTER_WRITES).cloned().collect();
    (store, Target { campaign: cid, admin, pages, written })
}

/// The server's resident memory now and at its peak, from the kernel (Linux).
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| status.lines().find(|l| l.starts_with(name)).map(|l| l[name.len()..].trim().to_owned()).unwrap_or_default();
    format!("resident {}, peak {}", field("VmRSS:"), field("VmHWM:"))
}

async fn run() {
    let (store, target) = match std::env::var("ANTT_BENCH_DATABASE") {
        Ok(url) if !url.is_empty() => existing(&url).await,
        _ => province().await,
    };
    let Target { campaign: cid, admin, pages, written } = target;
    let state = AppState::new(antt_app::App::new(store.clone(), antt_core::ruleset::built_in().expect("rulesets")), Config::default());
    let app = antt_web::app(state.clone());
    let cookie = cookie(&app).await;
    // The first request computes the campaign's verdicts (or reads those stored by an earlier
    // run); it is reported on its own below.
    let cold = get(&app, &cookie, &pages[0].1).await;
    println!("after the first request: {}", memory());
    for (name, uri) in &pages {
        let mut samples = Vec::with_capacity(REQUESTS);
        for _ in 0..REQUESTS {
            samples.push(get(&app, &cookie, uri).await);
        }
        report(name, samples);
    }
    // After each write (to a different unit each time, spread over the province), the next
    // dashboard and the written unit's own page: the verdicts follow the write incrementally.
    let (mut dashboard_after, mut unit_after) = (Vec::new(), Vec::new());
    for (i, unit) in written.iter().enumerate() {
        let mut tx = store.begin().await.expect("tx");
        let w = Writer { user_id: &admin, campaign_id: &cid, unit_id: unit };
        let fact = Fact::Document(Document { kind: "internal_rules".to_owned(), number: Some(format!("{i}/NQ")), date: None });
        facts::insert(&mut tx, w, &fact).await.expect("write");
        tx.commit().await.expect("commit");
        dashboard_after.push(get(&app, &cookie, &pages[0].1).await);
        unit_after.push(get(&app, &cookie, &format!("/c/{cid}/units/{unit}")).await);
    }
    println!("after the writes: {}", memory());
    // A server started now: it takes the results the first one stored, then the writes since.
    state.app.results_stored(&cid).await;
    let mut restarted = Vec::new();
    for _ in 0..3 {
        let fresh = antt_app::App::new(store.clone(), antt_core::ruleset::built_in().expect("rulesets"));
        let started = Instant::now();
        fresh.results(&cid).await.expect("results");
        restarted.push(started.elapsed());
    }
    // The same campaign computed from every fact, as a server with nothing stored does it.
    let mut scratch = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        state.app.results_from_scratch(&cid).await.expect("results");
        scratch.push(started.elapsed());
    }
    println!("first request (computes or reads all verdicts) {:.1} ms", cold.as_secs_f64() * 1000.0);
    report(&format!("{}, first after a write", pages[0].0), dashboard_after);
    report("unit page of the written area, after it", unit_after);
    report("server started on the stored results", restarted);
    report("whole campaign from its facts", scratch);
    println!("at the end: {}", memory());
}
