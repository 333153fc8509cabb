//! The demo of `antt serve --demo`: old Vĩnh Long's tree, synthetic units labelled "(minh họa)",
//! the 2013 campaign with varied verdicts, an account for every role, and a second seeding that
//! changes nothing.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use antt_app::demo;
use antt_core::access::Role;
use antt_core::eval::{Outcome, Status};
use antt_core::report::UnitReport;
use antt_store::units::{self, UnitRow};
use antt_store::{Store, campaigns, registrations, testing, users};
use antt_web::{AppState, Config};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;

async fn seeded() -> (Store, Vec<demo::Account>) {
    let store = testing::fresh_store().await.expect("a fresh store");
    let started = Instant::now();
    let accounts = demo::seed(&store).await.expect("the demo seeds");
    eprintln!("demo seeded in {:?}", started.elapsed());
    (store, accounts)
}

/// Every unit under the province, by id.
async fn all_units(store: &Store) -> HashMap<String, UnitRow> {
    let page = units::search(store, "/86/", "", None, 1, 100_000).await.expect("units");
    page.items.into_iter().map(|u| (u.id.clone(), u)).collect()
}

fn state(store: &Store) -> AppState {
    AppState::new(antt_app::App::new(store.clone(), antt_core::ruleset::built_in().expect("rulesets")), Config::default())
}

fn part<'a>(r: &'a UnitReport, criterion: &str, part: &str) -> &'a antt_core::report::PartReport {
    r.criteria
        .iter()
        .find(|c| *c.id == *criterion)
        .and_then(|c| c.parts.iter().find(|p| *p.id == *part))
        .unwrap_or_else(|| panic!("{} has no part {criterion}.{part}", r.name))
}

fn failing_parts(r: &UnitReport) -> Vec<String> {
    r.criteria
        .iter()
        .flat_map(|c| c.parts.iter().filter(|p| p.status == Status::NotMet).map(move |p| format!("{}.{}", c.id, p.id)))
        .collect()
}

/// One seeding serves every check: it takes a few seconds on SQLite but over a minute on
/// PostgreSQL, where every write of a fact updates the same campaign row in one transaction.
#[tokio::test]
async fn the_demo_is_old_vinh_long_in_2013_with_varied_verdicts_and_an_account_per_role() {
    let (store, accounts) = seeded().await;
    the_tree_is_old_vinh_long_with_labelled_synthetic_units(&store).await;
    verdicts_differ_with_their_reasons(&store).await;
    every_role_has_an_account_that_signs_in_and_sees_the_home_page(&store, &accounts).await;
    a_second_seed_adds_nothing(&store, &accounts).await;
    the_commune_and_the_district_have_issued_decisions(&store).await;
}

async fn the_commune_and_the_district_have_issued_decisions(store: &Store) {
    use antt_store::decisions;
    let campaign = campaigns::list(store).await.expect("campaigns").remove(0);
    let mut issued = decisions::list_under(store, &campaign.id, "/86/").await.expect("decisions");
    issued.sort_by(|a, b| a.number.cmp(&b.number));
    let numbers: Vec<(&str, Option<&str>)> = issued.iter().map(|d| (d.number.as_str(), d.issuer_unit_id.as_deref())).collect();
    assert_eq!(numbers, [(demo::COMMUNE_DECISION, Some(demo::COMMUNE)), (demo::DISTRICT_DECISION, Some(demo::DISTRICT))]);
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(2013, m, d).expect("date");
    assert_eq!(issued[0].request, Some(("12/TTr-CAX".to_owned(), day(11, 8))));
    let app = state(store).app.clone();
    let commune = decisions::get(store, &campaign.id, &issued[0].id).await.expect("get").expect("the commune's");
    let units: Vec<&str> = commune.units.iter().map(|u| u.unit_id.as_str()).collect();
    assert_eq!(units, demo::COMMUNE_DECIDED);
    let district = decisions::get(store, &campaign.id, &issued[1].id).await.expect("get").expect("the district's");
    assert!(!district.units.is_empty() && district.units.iter().all(|u| u.unit_type == "commune" && u.path.starts_with("/86/857/")));
    let text = format!("{:?}", antt_app::documents::decision(&app, &campaign, &commune).await.expect("the decision document"));
    assert!(text.contains("Xét đề nghị của Trưởng Công an xã Đồng Phú tại Tờ trình số 12/TTr-CAX ngày 08/11/2013"), "{text}");
    let text = format!("{:?}", antt_app::documents::decision(&app, &campaign, &district).await.expect("the decision document"));
    assert!(text.contains("Xét đề nghị của Trưởng Công an huyện Long Hồ tại Tờ trình số 25/TTr-CAH"), "{text}");
    let minutes = decisions::minutes(store, &campaign.id, demo::COMMUNE).await.expect("minutes");
    assert_eq!(minutes[0].secretary, "Trần Thị Lan (minh họa)");
    let unit = units::get(store, demo::COMMUNE).await.expect("get").expect("the commune");
    let text = format!("{:?}", antt_app::documents::review_minutes(&app, &campaign, &unit, None).await.expect("the minutes"));
    assert!(text.contains("Thư ký: Trần Thị Lan (minh họa)") && text.contains("Lê Văn Tâm (minh họa) - Trưởng Công an"), "{text}");
}

async fn the_tree_is_old_vinh_long_with_labelled_synthetic_units(store: &Store) {
    let store = store.clone();
    let province = units::get(&store, "86").await.expect("read").expect("province 86");
    assert_eq!((province.name.as_str(), province.unit_type.as_str()), ("Tỉnh Vĩnh Long", "province"));
    let note = province.attributes.get("ghi_chu").expect("the province says where its tree comes from");
    assert!(note.contains("04/01/2025") && note.contains("102") && note.contains("109"), "{note}");

    let districts = units::children(&store, "86").await.expect("districts");
    assert_eq!(districts.len(), 8);
    assert!(districts.iter().all(|d| d.unit_type == "district" && d.official_code.as_deref() == Some(d.id.as_str()) && !d.is_demo));
    assert!(districts.iter().any(|d| d.id == "859" && d.name == "Huyện Vũng Liêm"));

    let all = all_units(&store).await;
    let communes: Vec<&UnitRow> = all.values().filter(|u| u.unit_type == "commune").collect();
    assert_eq!(communes.len(), 102);
    assert!(communes.iter().all(|c| c.id.len() == 5 && c.official_code.as_deref() == Some(c.id.as_str()) && !c.is_demo));
    assert_eq!(all.get("29578").map(|u| u.name.as_str()), Some("Xã Đồng Phú"));
    let mut areas_per_commune: BTreeMap<&str, usize> = communes.iter().map(|c| (c.id.as_str(), 0)).collect();
    for u in all.values().filter(|u| u.unit_type == "residential_area") {
        *areas_per_commune.get_mut(u.parent_id.as_deref().unwrap_or_default()).expect("an area's parent is a commune") += 1;
    }
    assert!(areas_per_commune.values().all(|n| (6..=14).contains(n)), "{areas_per_commune:?}");

    let synthetic: Vec<&UnitRow> = all.values().filter(|u| u.official_code.is_none()).collect();
    for t in ["residential_area", "agency", "school", "worship_site"] {
        assert!(synthetic.iter().any(|u| u.unit_type == t), "no {t}");
    }
    for u in &synthetic {
        assert!(u.name.ends_with("(minh họa)") && u.is_demo, "{} ({}) is synthetic", u.name, u.id);
        assert!(u.parent_id.as_deref().is_some_and(|p| p.len() == 5), "{} sits in a commune", u.id);
    }
    // Attributes that decide scope under TT 124.
    assert!(synthetic.iter().filter(|u| u.unit_type == "agency").all(|u| u.attributes.contains_key("enterprise_size")));
    assert!(synthetic.iter().filter(|u| u.unit_type == "school").all(|u| u.attributes.contains_key("education_level")));
    assert!(synthetic.iter().any(|u| u.attributes.get("enterprise_size").is_some_and(|s| s == "micro" || s == "small")));
    assert!(synthetic.iter().any(|u| u.attributes.get("education_level").is_some_and(|s| s == "primary")));

    // The tree from 01/07/2025 came with it: new Vĩnh Long, and each old commune's successor.
    let new_province = units::get(&store, "2025-86").await.expect("read").expect("new Vĩnh Long");
    assert_eq!((new_province.name.as_str(), new_province.valid_from.as_deref()), ("Tỉnh Vĩnh Long", Some("2025-07-01")));
    assert_eq!(units::children(&store, "2025-86").await.expect("communes").len(), 124);
    let dong_phu = all.get("29578").expect("Đồng Phú");
    assert_eq!((dong_phu.valid_to.as_deref(), dong_phu.successor_id.as_deref()), (Some("2025-06-30"), Some("2025-29584")));
    assert!(communes.iter().all(|c| c.successor_id.as_deref().is_some_and(|s| s.starts_with("2025-"))));

    let list = campaigns::list(&store).await.expect("campaigns");
    assert_eq!(list.len(), 1);
    let c = &list[0];
    assert!(c.title.contains("04/01/2025") && c.title.contains("102") && c.title.contains("109"), "{}", c.title);
    assert_eq!(
        (c.year, c.plan_number.as_deref(), c.plan_date.to_string().as_str(), c.ruleset.as_str(), c.scope_unit_id.as_str()),
        (2013, Some("710/QĐ-UBND"), "2013-05-02", "vinh-long-2013", "86")
    );
}

/// Seeding again changes nothing and gives the same accounts.
async fn a_second_seed_adds_nothing(store: &Store, accounts: &[demo::Account]) {
    let c = campaigns::list(store).await.expect("campaigns").remove(0);
    let counts = units::count_by_type(store, "/").await.expect("counts");
    let revision = campaigns::revision(store, &c.id).await.expect("revision");
    let again = demo::seed(store).await.expect("a second seed");
    assert_eq!(again, accounts);
    assert_eq!(units::count_by_type(store, "/").await.expect("counts"), counts);
    assert_eq!(campaigns::list(store).await.expect("campaigns").len(), 1);
    assert_eq!(campaigns::revision(store, &c.id).await.expect("revision"), revision);
    assert!(users::check_password(store, "tinh", demo::PASSWORD).await.expect("login runs").is_some());
}

async fn every_role_has_an_account_that_signs_in_and_sees_the_home_page(store: &Store, accounts: &[demo::Account]) {
    let store = store.clone();
    let expected = [
        ("tinh", Role::Admin, "86"),
        ("huyen", Role::District, "857"),
        ("xa", Role::Commune, "29578"),
        ("ap", Role::UnitHead, "29578-ap01"),
        ("kiemtra", Role::Inspector, "857"),
        ("xem", Role::Viewer, "86"),
    ];
    assert_eq!(accounts.iter().map(|a| a.username.as_str()).collect::<Vec<_>>(), expected.map(|e| e.0).to_vec());
    let app = antt_web::app(state(&store));
    for ((username, role, unit_id), account) in expected.into_iter().zip(accounts) {
        assert_eq!((account.role, account.password.as_str()), (role, demo::PASSWORD));
        let unit = units::get(&store, unit_id).await.expect("read").expect("the account's unit");
        assert_eq!(account.unit_name, unit.name);
        let user = users::check_password(&store, username, demo::PASSWORD).await.expect("login runs").expect("the demo password works");
        assert!(user.grants.iter().any(|g| g.role == role && g.unit_id == unit_id), "{username}: {:?}", user.grants);

        let response = app
            .clone()
            .oneshot(
                Request::post("/login")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header("sec-fetch-site", "same-origin")
                    .body(Body::from(format!("username={username}&password={}", demo::PASSWORD)))
                    .expect("request"),
            )
            .await
            .expect("response");
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{username}");
        let cookie = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("antt_session="))
            .and_then(|v| v.split(';').next())
            .expect("a session cookie")
            .to_owned();
        let home = app.clone().oneshot(Request::get("/").header(header::COOKIE, &cookie).body(Body::empty()).expect("request")).await;
        let home = home.expect("response");
        assert_eq!(home.status(), StatusCode::OK, "{username}");
        let body = axum::body::to_bytes(home.into_body(), 1 << 20).await.expect("body");
        let html = String::from_utf8_lossy(&body);
        assert!(html.contains("710/QĐ-UBND"), "{username} sees the 2013 campaign");
        assert!(html.contains("năm 2013 có 109"), "{username} is told where the tree comes from");
        // A commune of 2013 says until when it was valid and what it went into, linked where
        // the user may follow (the viewer also sees new Vĩnh Long).
        let page = app.clone().oneshot(Request::get("/units/29578").header(header::COOKIE, cookie).body(Body::empty()).expect("request"));
        let page = page.await.expect("response");
        if username == "ap" {
            assert_eq!(page.status(), StatusCode::NOT_FOUND, "the area's head cannot read the commune");
            continue;
        }
        assert_eq!(page.status(), StatusCode::OK, "{username}");
        let html = String::from_utf8_lossy(&axum::body::to_bytes(page.into_body(), 1 << 20).await.expect("body")).into_owned();
        let successor = if username == "xem" { r#"<a href="/units/2025-29584">Xã An Bình</a> (2025)"# } else { "Xã An Bình (2025)" };
        assert!(html.contains(&format!("Hiệu lực đến 30/06/2025 · Sáp nhập vào: {successor}</p>")), "{username}: {html}");
    }
    let wrong = users::check_password(&store, "xa", "not-the-password").await.expect("login runs");
    assert!(wrong.is_none());
}

async fn verdicts_differ_with_their_reasons(store: &Store) {
    let store = store.clone();
    let campaign = campaigns::list(&store).await.expect("campaigns").remove(0);
    let started = Instant::now();
    let computed = state(&store).app.results(&campaign.id).await.expect("results");
    eprintln!("results computed in {:?}", started.elapsed());
    let count = |o: Outcome| computed.reports().filter(|r| r.outcome == o).count();
    for o in [Outcome::Recognised, Outcome::NotRecognised, Outcome::Incomplete] {
        assert!(count(o) > 0, "no unit is {o:?}");
    }
    // Most units with data are recognised.
    assert!(count(Outcome::Recognised) > count(Outcome::NotRecognised) + count(Outcome::Incomplete));
    let get = |id: &str| computed.report(id).unwrap_or_else(|| panic!("no report for {id}"));

    // A commune fails only because of a serious crime in one of its areas.
    let hoa_ninh = get("29584");
    assert_eq!(hoa_ninh.outcome, Outcome::NotRecognised);
    assert_eq!(failing_parts(hoa_ninh), vec!["2.2.k4b1"]);
    assert!(part(hoa_ninh, "2.2", "k4b1").reason.contains("Ấp"), "{}", part(hoa_ninh, "2.2", "k4b1").reason);
    let area = get("29584-ap02");
    assert_eq!(area.outcome, Outcome::NotRecognised);
    assert_eq!(part(area, "1.4", "b").status, Status::NotMet);

    // The commune account's commune: 9 of its 13 areas recognised, and one area has neither
    // registered nor entered anything (the commune account registers it in the browser test), so
    // the commune's share of areas and its event checks are undecided.
    let dong_phu = get("29578");
    assert_eq!(dong_phu.outcome, Outcome::Incomplete, "{:?}", failing_parts(dong_phu));
    assert!(failing_parts(dong_phu).is_empty(), "{:?}", failing_parts(dong_phu));
    let share = part(dong_phu, "2.4", "a");
    assert_eq!(share.status, Status::MissingData);
    assert!(share.reason.contains("9/13") && share.reason.contains("(cần 10)"), "{}", share.reason);
    let fresh = get("29578-ap13");
    assert!(share.reason.contains(&fresh.name), "{}", share.reason);
    let events = part(dong_phu, "2.2", "k4b1");
    assert_eq!(events.status, Status::MissingData);
    assert!(events.reason.contains(&format!("chưa nhập danh sách vụ việc của: {}", fresh.name)), "{}", events.reason);
    // The new area: no registration, no facts, no scores.
    assert_eq!(fresh.outcome, Outcome::Incomplete);
    assert!(fresh.registration.is_none(), "{:?}", fresh.registration);
    assert!(fresh.classification.is_none());
    assert!(fresh.criteria.iter().flat_map(|c| &c.parts).all(|p| p.status == Status::MissingData));
    assert_eq!(&*part(fresh, "1.1", "c").reason, "Chưa nhập số liệu ký cam kết");
    assert!(registrations::get(&store, &campaign.id, "29578-ap13").await.expect("read").is_none());
    assert_eq!(get(demo::AREA).outcome, Outcome::Recognised);
    // 249 of 250 households.
    let short = get("29578-ap03");
    assert_eq!(failing_parts(short), vec!["1.1.c"]);
    assert!(part(short, "1.1", "c").reason.contains("249"), "{}", part(short, "1.1", "c").reason);
    // A reprimand does not count; a late registration is shown as late.
    assert_eq!(get("29578-ap05").outcome, Outcome::Recognised);
    let late = get("29578-ap06");
    assert_eq!(late.outcome, Outcome::Recognised);
    assert!(late.registration.as_ref().is_some_and(|r| !r.timeliness.is_on_time() && r.text.contains("trễ")), "{:?}", late.registration);
    assert_eq!(failing_parts(get("29578-ap07")), vec!["1.2.b"]);
    assert_eq!(get("29578-ap09").outcome, Outcome::Incomplete);
    // Sub-units below 70% and a superstition incident at a place of worship.
    assert_eq!(failing_parts(get("29578-cq01")), vec!["3.5.a"]);
    let pagoda = get("29578-tt01");
    assert_eq!(failing_parts(pagoda), vec!["5.4.a"]);
    assert!(part(pagoda, "5.4", "a").reason.contains("mê tín"), "{}", part(pagoda, "5.4", "a").reason);

    // A warning (cảnh cáo) to a công an viên.
    let warned = get("29587-ap02");
    assert_eq!(failing_parts(warned), vec!["1.5.b"]);
    assert!(part(warned, "1.5", "b").reason.contains("cảnh cáo"), "{}", part(warned, "1.5", "b").reason);
    // Exactly 70% of areas recognised passes; 60% fails.
    assert_eq!(part(get("29587"), "2.4", "a").status, Status::Met);
    // The warned công an viên of 29587-ap02 belongs to the commune's grassroots security force,
    // so 2.3 fails the commune (vinh-long-2013, issue 15); nothing else does.
    assert_eq!(failing_parts(get("29587")), vec!["2.3.b"]);
    assert_eq!(part(get("29590"), "2.4", "a").status, Status::NotMet);
    // Communes with nothing entered yet, or only some of it.
    assert_eq!(get("29776").outcome, Outcome::Incomplete, "{:?}", failing_parts(get("29776")));
    let long_phuoc = get("29599");
    assert_eq!(long_phuoc.outcome, Outcome::Incomplete);
    assert_eq!(part(long_phuoc, "2.1", "a").status, Status::MissingData);
    assert_eq!(part(long_phuoc, "2.4", "a").status, Status::Met);
    let ap = get("29662-ap02");
    assert_eq!(failing_parts(ap), vec!["1.4.d"]);
    assert!(failing_parts(get("29662")).contains(&"2.2.k4b3".to_owned()));

    // The threshold cases among all communes, from the areas' verdicts.
    let all = all_units(&store).await;
    let mut shares: HashMap<&str, (usize, usize)> = HashMap::new();
    for u in all.values().filter(|u| u.unit_type == "residential_area") {
        let e = shares.entry(u.parent_id.as_deref().unwrap_or_default()).or_default();
        e.1 += 1;
        if computed.report(&u.id).is_some_and(|r| r.outcome == Outcome::Recognised) {
            e.0 += 1;
        }
    }
    assert!(shares.values().any(|(y, n)| y * 10 == n * 7));
    assert!(shares.values().any(|(y, n)| y * 10 > n * 7));
    assert!(shares.values().any(|(y, n)| y * 10 < n * 7));

    // Classifications: provisional (self-scores) and reviewed, in several bands.
    let classified: Vec<_> = computed.reports().filter_map(|r| r.classification.as_ref()).collect();
    assert!(classified.len() > 100, "{} classified", classified.len());
    assert!(computed.reports().all(|r| r.classification_problem.is_none()), "scores fit the frames");
    for band in ["xuat_sac", "kha", "trung_binh", "kem"] {
        assert!(classified.iter().any(|c| c.band == band), "no unit classified {band}");
    }
    assert!(classified.iter().any(|c| c.source == antt_core::scoring::ScoreSource::Reviewed));
    assert!(classified.iter().any(|c| c.source == antt_core::scoring::ScoreSource::SelfAssessed));

    // Registrations are real submissions with receipt numbers.
    let reg = registrations::get(&store, &campaign.id, demo::AREA).await.expect("read").expect("the area registered");
    assert!(reg.is_submitted() && reg.on_time == Some(true) && reg.receipt_number.is_some_and(|n| n.starts_with("PV28-2013-")));
    let late = registrations::get(&store, &campaign.id, "29578-ap06").await.expect("read").expect("registered late");
    assert_eq!(late.on_time, Some(false));
}
