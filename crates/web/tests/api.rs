//! The JSON API under /api/v1: bearer tokens, each role doing exactly its part inside its own
//! subtree, versions, validation with Vietnamese field messages, locks, results, and the
//! OpenAPI document (compared with tests/snapshots/openapi.json; `UPDATE_SNAPSHOTS=1` rewrites
//! it).

use std::collections::HashMap;

use antt_core::access::Role;
use antt_store::units::NewUnit;
use antt_store::{Store, campaigns, decisions, units, users};
use antt_web::{AppState, Config};
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use serde_json::{Value, json};
use tower::ServiceExt;

const PASSWORD: &str = "mat-khau-thu-nghiem";

/// A province (80) with two districts, each with a commune and two residential areas; another
/// province (81) outside the campaign; a user and a token for each role.
struct World {
    app: Router,
    store: Store,
    campaign: String,
    tokens: HashMap<&'static str, String>,
}

impl World {
    fn token(&self, who: &str) -> &str {
        &self.tokens[who]
    }

    /// `/api/v1/campaigns/{cid}/units/{uid}` + `rest`.
    fn unit_path(&self, unit: &str, rest: &str) -> String {
        format!("/api/v1/campaigns/{}/units/{unit}{rest}", self.campaign)
    }

    async fn call(&self, method: &str, uri: &str, who: Option<&str>, body: Option<Value>) -> Reply {
        let token = who.map(|w| self.token(w).to_owned());
        send(&self.app, method, uri, token.as_deref(), body).await
    }

    async fn get(&self, uri: &str, who: &str) -> Reply {
        self.call("GET", uri, Some(who), None).await
    }
}

#[derive(Debug)]
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    json: Value,
    text: String,
}

impl Reply {
    fn field(&self, name: &str) -> &str {
        self.json["fields"][name].as_str().unwrap_or_else(|| panic!("no message for `{name}` in {}", self.json))
    }

    fn error(&self) -> &str {
        self.json["error"].as_str().unwrap_or_else(|| panic!("no error in {} ({})", self.text, self.status))
    }
}

async fn send(app: &Router, method: &str, uri: &str, token: Option<&str>, body: Option<Value>) -> Reply {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let request = match body {
        Some(b) => request.header(header::CONTENT_TYPE, "application/json").body(Body::from(b.to_string())),
        None => request.body(Body::empty()),
    }
    .expect("test step");
    let response = app.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 8 * 1024 * 1024).await.expect("test step");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Reply { status, headers, json, text }
}

fn unit(id: &str, name: &str, unit_type: &str, parent: Option<&str>) -> NewUnit {
    NewUnit { id: id.into(), name: name.into(), unit_type: unit_type.into(), parent_id: parent.map(Into::into), ..NewUnit::default() }
}

async fn world() -> World {
    let store = antt_store::testing::fresh_store().await.expect("test step");
    let mut tx = store.begin().await.expect("test step");
    let tree = [
        unit("80", "Tỉnh Thử Nghiệm", "province", None),
        unit("801", "Huyện Long Hồ", "district", Some("80")),
        unit("80101", "Xã Phước Hậu", "commune", Some("801")),
        unit("80101-a1", "Ấp Phước Ngươn A", "residential_area", Some("80101")),
        unit("80101-a2", "Ấp Phước Ngươn B", "residential_area", Some("80101")),
        unit("802", "Huyện Mang Thít", "district", Some("80")),
        unit("80201", "Xã Mỹ An", "commune", Some("802")),
        unit("80201-a1", "Ấp Mỹ Phú", "residential_area", Some("80201")),
        unit("80201-a2", "Ấp Mỹ Hòa", "residential_area", Some("80201")),
        unit("81", "Tỉnh Bên Cạnh", "province", None),
        unit("81001", "Xã Bên Cạnh", "commune", Some("81")),
    ];
    units::insert_many(&mut tx, None, &tree).await.expect("test step");
    let campaign = campaigns::create(
        &mut tx,
        None,
        &campaigns::NewCampaign {
            scope_unit_id: "80".into(),
            year: 2013,
            plan_number: Some("710/QĐ-UBND".into()),
            plan_date: chrono::NaiveDate::from_ymd_opt(2013, 5, 2).expect("date"),
            ruleset: "vinh-long-2013".into(),
            ruleset_version: None,
            settings: Default::default(),
            title: "Phong trào năm 2013".into(),
        },
    )
    .await
    .expect("test step");
    let people: [(&str, &[(Role, &str)]); 8] = [
        ("admin", &[(Role::Admin, "80")]),
        ("district", &[(Role::District, "801")]),
        ("commune", &[(Role::Commune, "80101")]),
        ("head", &[(Role::UnitHead, "80101-a1")]),
        ("inspector", &[(Role::Inspector, "801")]),
        ("viewer", &[(Role::Viewer, "80")]),
        ("outsider", &[(Role::Admin, "81")]),
        ("both", &[(Role::Admin, "80"), (Role::Admin, "81")]),
    ];
    let mut ids = Vec::new();
    for (name, grants) in people {
        let id = users::create(&mut tx, None, name, &format!("Người dùng {name}"), PASSWORD).await.expect("test step");
        for (role, unit) in grants {
            users::grant(&mut tx, None, &id, *role, unit).await.expect("test step");
        }
        ids.push((name, id));
    }
    // The district's inspection team, with the inspector and the provincial admin, assigned to
    // one area of each district.
    let by = antt_store::inspection::By { user_id: &ids[0].1, campaign_id: &campaign.id, scope_unit_id: "80" };
    let dates = |d| chrono::NaiveDate::from_ymd_opt(2013, 10, d).expect("date");
    let team = antt_store::inspection::TeamInput { name: "Đoàn kiểm tra", starts_on: dates(11), ends_on: dates(20) };
    let team = antt_store::inspection::create_team(&mut tx, by, &team).await.expect("test step");
    for (name, id) in &ids {
        if ["inspector", "admin"].contains(name) {
            antt_store::inspection::add_member(&mut tx, by, &team, id, antt_store::inspection::MEMBER).await.expect("test step");
        }
    }
    for area in ["80101-a2", "80201-a1"] {
        antt_store::inspection::assign(&mut tx, by, &team, area).await.expect("test step");
    }
    tx.commit().await.expect("test step");
    let mut tokens = HashMap::new();
    let mut tx = store.begin().await.expect("test step");
    for (name, id) in ids {
        let (_, token) = users::create_api_token(&mut tx, &id, "thử nghiệm", "9999-12-31T00:00:00.000Z", None).await.expect("test step");
        tokens.insert(name, token);
    }
    tx.commit().await.expect("test step");
    let rulesets = antt_core::ruleset::built_in().expect("test step");
    let app = antt_web::app(AppState::new(antt_app::App::new(store.clone(), rulesets), Config::default()));
    World { app, store, campaign: campaign.id, tokens }
}

fn commitment(signed: i64, total: i64) -> Value {
    json!({"group_code": "households", "signed": signed, "total": total})
}

// --- Authentication ------------------------------------------------------------------------

#[tokio::test]
async fn no_token_or_a_bad_token_is_a_json_401() {
    let w = world().await;
    for uri in ["/api/v1/campaigns", "/api/v1/units/80", &w.unit_path("80101-a1", "/verdict")] {
        let r = send(&w.app, "GET", uri, None, None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{uri}");
        assert!(r.error().contains("Authorization: Bearer"), "{}", r.text);
        assert_eq!(r.json["fields"], json!({}));
        assert_eq!(r.headers[header::WWW_AUTHENTICATE], "Bearer realm=\"antt\"");
        assert!(r.headers[header::CONTENT_TYPE].to_str().expect("header text").starts_with("application/json"));
    }
    let r = send(&w.app, "GET", "/api/v1/campaigns", Some("khong-phai-ma-that"), None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.error().starts_with("Cần mã truy cập hợp lệ"));
    // A write without a token is refused the same way, before anything is read.
    let r = send(&w.app, "POST", &w.unit_path("80101-a1", "/facts/commitments"), None, Some(commitment(1, 2))).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // A session cookie is not a bearer token.
    let r = w
        .app
        .clone()
        .oneshot(Request::get("/api/v1/campaigns").header(header::COOKIE, "antt_session=abc").body(Body::empty()).expect("test step"))
        .await
        .expect("test step");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_password_gives_a_token_and_wrong_ones_make_the_client_wait() {
    let w = world().await;
    let r = send(
        &w.app,
        "POST",
        "/api/v1/tokens",
        None,
        Some(json!({"username": "commune", "password": "sai-mat-khau", "name": "phần mềm xã"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.error(), "Tên đăng nhập hoặc mật khẩu không đúng.");

    let r = send(&w.app, "POST", "/api/v1/tokens", None, Some(json!({"username": "commune", "password": PASSWORD}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field("name"), "Không được để trống.");

    let r = send(&w.app, "POST", "/api/v1/tokens", None, Some(json!({"username": "commune", "password": PASSWORD, "name": "phần mềm xã"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let token = r.json["token"].as_str().expect("text").to_owned();
    assert_eq!(token.len(), 64);
    let r = send(&w.app, "GET", "/api/v1/campaigns", Some(&token), None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json[0]["id"], w.campaign.as_str());

    // After five wrong passwords from one client, that client waits, for the right password too.
    for _ in 0..5 {
        send(&w.app, "POST", "/api/v1/tokens", None, Some(json!({"username": "viewer", "password": "sai", "name": "x"}))).await;
    }
    let r = send(&w.app, "POST", "/api/v1/tokens", None, Some(json!({"username": "viewer", "password": PASSWORD, "name": "x"}))).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.error().starts_with("Có quá nhiều lần đăng nhập không thành công từ địa chỉ mạng này"), "{}", r.text);
    let wait: i64 = r.headers[header::RETRY_AFTER].to_str().expect("header text").parse().expect("number");
    assert!(wait > 0 && wait <= 15 * 60, "{wait}");
}

#[tokio::test]
async fn tokens_are_named_expire_and_are_listed_and_revoked_by_their_owner_and_the_admin_above() {
    let w = world().await;
    let body = json!({"username": "commune", "password": PASSWORD, "name": "Phần mềm xã", "expires_in_days": 30});
    let r = send(&w.app, "POST", "/api/v1/tokens", None, Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let (id, token) = (r.json["id"].as_str().expect("id").to_owned(), r.json["token"].as_str().expect("token").to_owned());
    assert_eq!(r.json["name"], "Phần mềm xã");
    let expires = chrono::DateTime::parse_from_rfc3339(r.json["expires_at"].as_str().expect("expiry")).expect("an instant");
    assert_eq!((expires.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_days(), 29);

    // The owner lists both of their tokens, the one in use with its last use, never the token.
    let r = send(&w.app, "GET", "/api/v1/tokens", Some(&token), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let listed = r.json.as_array().expect("a list");
    assert_eq!(listed.len(), 2, "{}", r.text);
    assert_eq!(listed[0]["id"], id.as_str());
    assert!(listed[0]["last_used_at"].is_string(), "{}", r.text);
    assert!(!r.text.contains(&token));
    let owner = listed[0]["user_id"].as_str().expect("owner").to_owned();
    let other = listed[1]["id"].as_str().expect("id").to_owned();

    // The province's admin sees them; the admin of another province finds nothing.
    assert_eq!(w.get(&format!("/api/v1/tokens?user={owner}"), "admin").await.json.as_array().map(Vec::len), Some(2));
    assert_eq!(w.get(&format!("/api/v1/tokens?user={owner}"), "outsider").await.status, StatusCode::NOT_FOUND);
    assert_eq!(w.call("DELETE", &format!("/api/v1/tokens/{id}"), Some("outsider"), None).await.status, StatusCode::NOT_FOUND);

    // The owner revokes one, the admin the other: both are 401 from then on.
    let r = send(&w.app, "DELETE", &format!("/api/v1/tokens/{id}"), Some(&token), None).await;
    assert_eq!((r.status, r.json["revoked"].as_bool()), (StatusCode::OK, Some(true)), "{}", r.text);
    assert_eq!(send(&w.app, "GET", "/api/v1/campaigns", Some(&token), None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(w.get("/api/v1/campaigns", "commune").await.status, StatusCode::OK);
    assert_eq!(w.call("DELETE", &format!("/api/v1/tokens/{other}"), Some("admin"), None).await.status, StatusCode::OK);
    assert_eq!(w.get("/api/v1/campaigns", "commune").await.status, StatusCode::UNAUTHORIZED);

    let body = json!({"username": "commune", "password": PASSWORD, "name": "x", "expires_in_days": 400});
    let r = send(&w.app, "POST", "/api/v1/tokens", None, Some(body)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field("expires_in_days"), "Từ 1 đến 365 ngày.");
}

#[tokio::test]
async fn an_admin_manages_the_accounts_of_its_subtree_through_the_api() {
    let w = world().await;
    let body = json!({"username": "xa-moi", "full_name": "Cán bộ xã mới", "role": "commune", "unit_id": "80101"});
    let r = w.call("POST", "/api/v1/users", Some("admin"), Some(body.clone())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.json["id"].as_str().expect("id").to_owned();
    let code = r.json["one_time_code"].as_str().expect("code").to_owned();
    assert_eq!(w.call("POST", "/api/v1/users", Some("admin"), Some(body)).await.field("username"), "Tên đăng nhập “xa-moi” đã có.");
    let r = w
        .call(
            "POST",
            "/api/v1/users",
            Some("commune"),
            Some(json!({"username": "ap-moi", "full_name": "Ấp", "role": "unit_head", "unit_id": "80101-a1"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);

    // Signed in with the one-time code, no token until the password is chosen.
    let r = send(&w.app, "POST", "/api/v1/tokens", None, Some(json!({"username": "xa-moi", "password": code, "name": "x"}))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert!(r.error().starts_with("Mật khẩu của bạn là mã dùng một lần"), "{}", r.text);

    let listed = w.get("/api/v1/users?unit=801", "admin").await;
    assert!(
        listed.json.as_array().expect("list").iter().any(|u| u["username"] == "xa-moi" && u["must_change_password"] == true),
        "{}",
        listed.text
    );
    assert_eq!(w.get(&format!("/api/v1/users/{id}"), "outsider").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        w.get(&format!("/api/v1/users/{id}"), "admin").await.json["user"]["grants"],
        json!([{"role": "commune", "unit_id": "80101"}])
    );

    let r = w.call("POST", &format!("/api/v1/users/{id}/grants"), Some("admin"), Some(json!({"role": "viewer", "unit_id": "801"}))).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = w.call("POST", &format!("/api/v1/users/{id}/grants"), Some("admin"), Some(json!({"role": "chu-tich", "unit_id": "801"}))).await;
    assert!(r.field("role").starts_with("Không có vai trò “chu-tich”"), "{}", r.text);
    assert_eq!(
        w.call("DELETE", &format!("/api/v1/users/{id}/grants/viewer/801"), Some("admin"), None).await.status,
        StatusCode::NO_CONTENT
    );
    let r = w.call("DELETE", &format!("/api/v1/users/{id}/grants/commune/80101"), Some("admin"), None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);

    let r = w.call("POST", &format!("/api/v1/users/{id}/password-reset"), Some("admin"), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_ne!(r.json["one_time_code"].as_str(), Some(code.as_str()));
    assert_eq!(w.call("DELETE", &format!("/api/v1/users/{id}/sessions"), Some("admin"), None).await.json["ended"], 0);
    assert_eq!(w.call("POST", &format!("/api/v1/users/{id}/disable"), Some("admin"), None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(w.get(&format!("/api/v1/users/{id}"), "admin").await.json["user"]["disabled"], true);
}

// --- Roles and subtrees -------------------------------------------------------------------

#[tokio::test]
async fn the_provincial_admin_works_across_the_province() {
    let w = world().await;
    for area in ["80101-a1", "80201-a2"] {
        let r = w.call("POST", &w.unit_path(area, "/facts/commitments"), Some("admin"), Some(commitment(90, 100))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{area}: {}", r.text);
    }
    let r = w.call("PUT", &w.unit_path("80201-a1", "/scores/reviewed"), Some("admin"), Some(json!({"1.1": 15}))).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = w.call("PUT", &w.unit_path("80201-a1", "/judgements/1.2/a"), Some("admin"), Some(json!({"met": true}))).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = w.get(&w.unit_path("80", "/summary"), "admin").await;
    assert_eq!(r.status, StatusCode::OK);
    let areas = r.json["by_type"].as_array().expect("array").iter().find(|t| t["unit_type"] == "residential_area").expect("test step");
    assert_eq!(areas["total"], 4);
    assert_eq!(areas["unit_type_name"], "khu dân cư");
    let r = w.get("/api/v1/units?type=commune", "admin").await;
    assert_eq!(r.json["total"], 2, "{}", r.text);
}

#[tokio::test]
async fn a_district_user_stays_in_its_district() {
    let w = world().await;
    let r = w.call("POST", &w.unit_path("80101-a1", "/facts/commitments"), Some("district"), Some(commitment(5, 10))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = w.call("POST", &w.unit_path("80201-a1", "/facts/commitments"), Some("district"), Some(commitment(5, 10))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    for other in ["/api/v1/units/80201", "/api/v1/units/80", "/api/v1/units/802/children"] {
        assert_eq!(w.get(other, "district").await.status, StatusCode::NOT_FOUND, "{other}");
    }
    // Districts self-score but do not inspect.
    let r = w.call("PUT", &w.unit_path("80101", "/scores/self"), Some("district"), Some(json!({"2.1": 20}))).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = w.call("PUT", &w.unit_path("80101", "/scores/reviewed"), Some("district"), Some(json!({"2.1": 20}))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.error(), "Bạn không có quyền chấm điểm kiểm tra đối với đơn vị này.");
    // Search covers its district only: 801, its commune and two areas.
    let r = w.get("/api/v1/units", "district").await;
    assert_eq!(r.json["total"], 4, "{}", r.text);
    assert!(r.json["items"].as_array().expect("array").iter().all(|u| u["path"].as_str().expect("text").starts_with("/80/801/")));
    let r = w.get(&w.unit_path("801", "/summary"), "district").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(w.get(&w.unit_path("802", "/summary"), "district").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_commune_user_writes_in_its_commune_and_nowhere_else() {
    let w = world().await;
    let r = w.call("POST", &w.unit_path("80101-a1", "/facts/commitments"), Some("commune"), Some(commitment(118, 120))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json["group_code"], "households");
    assert_eq!(r.json["signed"], 118);
    assert_eq!(r.json["version"], 1);
    // One commitment record per group: a second is refused next to the group, as on the page.
    let r = w.call("POST", &w.unit_path("80101-a1", "/facts/commitments"), Some("commune"), Some(commitment(119, 120))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field("group_code").starts_with("Nhóm “hộ gia đình” đã có số liệu cam kết"), "{}", r.text);
    let r = w
        .call(
            "POST",
            &w.unit_path("80101", "/facts/documents"),
            Some("commune"),
            Some(json!({"kind": "security_plan", "number": "12/KH-UBND", "issued_on": "2013-05-10"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json["issued_on"], "2013-05-10");

    // Another commune's unit, in a request path: 404, as if it did not exist.
    let r = w.call("POST", &w.unit_path("80201-a1", "/facts/commitments"), Some("commune"), Some(commitment(1, 2))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.error().starts_with("Không tìm thấy"));
    for uri in [
        "/api/v1/units/80201-a1".to_owned(),
        "/api/v1/units/801".to_owned(),
        w.unit_path("80201-a1", "/verdict"),
        w.unit_path("80201", "/facts/commitments"),
        w.unit_path("khong-co", "/verdict"),
    ] {
        assert_eq!(w.get(&uri, "commune").await.status, StatusCode::NOT_FOUND, "{uri}");
    }
    // It sees the campaign it takes part in, and its commune's areas.
    let r = w.get("/api/v1/campaigns", "commune").await;
    assert_eq!(r.json.as_array().expect("array").len(), 1);
    assert_eq!(r.json[0]["scope_unit_name"], "Tỉnh Thử Nghiệm");
    let r = w.get(&format!("/api/v1/campaigns/{}", w.campaign), "commune").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.json["vocabulary"]["groups"].as_array().expect("array").iter().any(|g| g["code"] == "households" && g["name"] == "hộ gia đình")
    );
    let r = w.get("/api/v1/units/80101/children", "commune").await;
    let names: Vec<&str> = r.json.as_array().expect("array").iter().map(|u| u["name"].as_str().expect("text")).collect();
    assert_eq!(names, ["Ấp Phước Ngươn A", "Ấp Phước Ngươn B"]);
    // Search without diacritics, in its scope only.
    let r = w.get("/api/v1/units?q=phuoc%20nguon", "commune").await;
    assert_eq!(r.json["total"], 2, "{}", r.text);
    let r = w.get("/api/v1/units?q=my", "commune").await;
    assert_eq!(r.json["total"], 0, "{}", r.text);
    let r = w.get("/api/v1/units?within=80201", "commune").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Communes review but neither inspect nor judge.
    let r = w.call("PUT", &w.unit_path("80101-a1", "/judgements/1.2/a"), Some("commune"), Some(json!({"met": true}))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_unit_head_works_on_its_own_unit_only() {
    let w = world().await;
    let r = w
        .call(
            "POST",
            &w.unit_path("80101-a1", "/facts/titles"),
            Some("head"),
            Some(json!({"force_code": "grassroots_security", "scale": "task_rating", "level": "hoan_thanh_tot"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = w.call("PUT", &w.unit_path("80101-a1", "/scores/self"), Some("head"), Some(json!({"1.1": 20, "1.2": "17,5"}))).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = w.call("PUT", &w.unit_path("80101-a1", "/flags/party_organisation"), Some("head"), Some(json!({"value": true}))).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = w.call("PUT", &w.unit_path("80101-a1", "/previous-year/crime"), Some("head"), Some(json!({"count": 2}))).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = w.call("POST", &w.unit_path("80101-a1", "/declare-complete/incidents"), Some("head"), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);

    for (method, path, body) in [("PUT", "/scores/reviewed", json!({"1.1": 20})), ("PUT", "/judgements/1.2/a", json!({"met": true}))] {
        let r = w.call(method, &w.unit_path("80101-a1", path), Some("head"), Some(body)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
    }
    let r = w.call("POST", &w.unit_path("80101-a2", "/facts/commitments"), Some("head"), Some(commitment(1, 2))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(w.get("/api/v1/units/80101", "head").await.status, StatusCode::NOT_FOUND);
    assert_eq!(w.get("/api/v1/units/80101-a1", "head").await.json["name"], "Ấp Phước Ngươn A");
    // The verdict reflects what it recorded: no incidents declared, title held.
    let r = w.get(&w.unit_path("80101-a1", "/verdict"), "head").await;
    let c15 = r.json["criteria"].as_array().expect("array").iter().find(|c| c["id"] == "1.5").expect("test step");
    assert_eq!(c15["parts"][0]["status"], "met", "{c15}");
}

#[tokio::test]
async fn an_inspector_scores_and_judges_but_writes_no_facts() {
    let w = world().await;
    let r = w.call("PUT", &w.unit_path("80101-a2", "/scores/reviewed"), Some("inspector"), Some(json!({"1.1": 18.5, "1.3": 20}))).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = w
        .call(
            "PUT",
            &w.unit_path("80101-a2", "/judgements/1.2/a"),
            Some("inspector"),
            Some(json!({"met": false, "note": "Chưa triển khai", "on": "2013-10-15"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = w.get(&w.unit_path("80101-a2", "/verdict"), "inspector").await;
    let part = &r.json["criteria"].as_array().expect("array").iter().find(|c| c["id"] == "1.2").expect("test step")["parts"][0];
    assert_eq!(part["status"], "not_met", "{part}");
    assert!(part["reason"].as_str().expect("text").contains("Chưa triển khai"), "{part}");

    for (method, path, body) in [
        ("POST", "/facts/commitments", Some(commitment(1, 2))),
        ("PUT", "/flags/party_organisation", Some(json!({"value": true}))),
        ("PUT", "/previous-year/crime", Some(json!({"count": 1}))),
        ("POST", "/declare-complete/incidents", None),
        ("PUT", "/scores/self", Some(json!({"1.1": 20}))),
    ] {
        let r = w.call(method, &w.unit_path("80101-a2", path), Some("inspector"), body).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.text);
    }
    // Outside its district, even inspecting is 404.
    let r = w.call("PUT", &w.unit_path("80201-a1", "/scores/reviewed"), Some("inspector"), Some(json!({"1.1": 10}))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Inside it, only the units its team is assigned to.
    let r = w.call("PUT", &w.unit_path("80101-a1", "/scores/reviewed"), Some("inspector"), Some(json!({"1.1": 10}))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert!(r.error().starts_with("Bạn không thuộc đoàn kiểm tra nào được phân công kiểm tra Ấp Phước Ngươn A"), "{}", r.text);
    // A day outside the inspection window needs the inspector's confirmation.
    let outside = json!({"met": true, "on": "2013-12-01"});
    let r = w.call("PUT", &w.unit_path("80101-a2", "/judgements/1.2/a"), Some("inspector"), Some(outside)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field("on").contains("nằm ngoài thời gian kiểm tra của đợt (11/10/2013 – 20/10/2013)"), "{}", r.text);
    let confirmed = json!({"met": true, "on": "2013-12-01", "confirm_outside_window": true});
    let r = w.call("PUT", &w.unit_path("80101-a2", "/judgements/1.2/a"), Some("inspector"), Some(confirmed)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
}

#[tokio::test]
async fn a_viewer_reads_everything_and_writes_nothing() {
    let w = world().await;
    let r = w.call("POST", &w.unit_path("80101-a1", "/facts/commitments"), Some("admin"), Some(commitment(1, 2))).await;
    let id = r.json["id"].as_str().expect("text").to_owned();

    for uri in [
        "/api/v1/campaigns".to_owned(),
        format!("/api/v1/campaigns/{}", w.campaign),
        "/api/v1/units/80201-a2".to_owned(),
        "/api/v1/units/80/children".to_owned(),
        "/api/v1/units?q=ap".to_owned(),
        w.unit_path("80101-a1", "/verdict"),
        w.unit_path("80", "/summary"),
        w.unit_path("80101-a1", "/facts/commitments"),
    ] {
        let r = w.get(&uri, "viewer").await;
        assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.text);
    }
    let writes: Vec<(&str, String, Option<Value>)> = vec![
        ("POST", w.unit_path("80101-a1", "/facts/commitments"), Some(commitment(1, 2))),
        (
            "PUT",
            w.unit_path("80101-a1", &format!("/facts/commitments/{id}")),
            Some(json!({"version": 1, "group_code": "households", "signed": 2, "total": 2})),
        ),
        ("DELETE", w.unit_path("80101-a1", &format!("/facts/commitments/{id}?version=1")), None),
        ("POST", w.unit_path("80101-a1", "/declare-complete/incidents"), None),
        ("PUT", w.unit_path("80101-a1", "/flags/party_organisation"), Some(json!({"value": true}))),
        ("PUT", w.unit_path("80101-a1", "/previous-year/crime"), Some(json!({"count": 1}))),
        ("PUT", w.unit_path("80101-a1", "/scores/self"), Some(json!({"1.1": 20}))),
        ("PUT", w.unit_path("80101-a1", "/scores/reviewed"), Some(json!({"1.1": 20}))),
        ("PUT", w.unit_path("80101-a1", "/judgements/1.2/a"), Some(json!({"met": true}))),
    ];
    for (method, uri, body) in writes {
        let r = w.call(method, &uri, Some("viewer"), body).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{method} {uri}: {}", r.text);
        assert!(r.error().starts_with("Bạn không có quyền"), "{}", r.text);
    }
    // Nothing changed.
    let r = w.get(&w.unit_path("80101-a1", "/facts/commitments"), "viewer").await;
    assert_eq!(r.json["items"][0]["signed"], 1);
    assert_eq!(r.json["items"][0]["version"], 1);
}

#[tokio::test]
async fn a_unit_outside_the_campaign_scope_is_404() {
    let w = world().await;
    // `both` may read 81001, but it is not in the campaign's province.
    assert_eq!(w.get("/api/v1/units/81001", "both").await.status, StatusCode::OK);
    let r = w.get(&w.unit_path("81001", "/verdict"), "both").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error(), "Đơn vị này không thuộc phạm vi của đợt phát động.");
    let r = w.call("POST", &w.unit_path("81001", "/facts/documents"), Some("both"), Some(json!({"kind": "security_plan"}))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Units in two scopes are searched one scope after the other, a page at a time.
    let r = w.get("/api/v1/units?per_page=5", "both").await;
    assert_eq!(r.json["total"], 11, "{}", r.text);
    assert_eq!(r.json["pages"], 3);
    let mut seen = Vec::new();
    for page in 1..=3 {
        let r = w.get(&format!("/api/v1/units?per_page=5&page={page}"), "both").await;
        seen.extend(r.json["items"].as_array().expect("array").iter().map(|u| u["id"].as_str().expect("text").to_owned()));
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 11);
    // A user of another province does not see the campaign at all.
    assert_eq!(w.get("/api/v1/campaigns", "outsider").await.json, json!([]));
    assert_eq!(w.get(&format!("/api/v1/campaigns/{}", w.campaign), "outsider").await.status, StatusCode::NOT_FOUND);
}

// --- Versions, validation, locks -----------------------------------------------------------

#[tokio::test]
async fn a_stale_version_is_a_409_and_nothing_is_lost() {
    let w = world().await;
    let facts = w.unit_path("80101-a1", "/facts/commitments");
    let r = w.call("POST", &facts, Some("commune"), Some(commitment(100, 120))).await;
    let id = r.json["id"].as_str().expect("text").to_owned();
    let one = format!("{facts}/{id}");

    // What was read, changed and sent back.
    let mut record = r.json.clone();
    record["signed"] = json!(110);
    let r = w.call("PUT", &one, Some("commune"), Some(record.clone())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["version"], 2);
    assert_eq!(r.json["signed"], 110);

    // Someone else sends the version they read before that change.
    record["signed"] = json!(120);
    let r = w.call("PUT", &one, Some("district"), Some(record)).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.error().contains("phiên bản `version` đã cũ"), "{}", r.text);
    let r = w.call("DELETE", &format!("{one}?version=1"), Some("commune"), None).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = w.call("DELETE", &one, Some("commune"), None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field("version"), "Cần gửi kèm số phiên bản của bản ghi (?version=…).");
    let r = w.get(&facts, "commune").await;
    assert_eq!(r.json["items"][0]["signed"], 110);

    let r = w.call("DELETE", &format!("{one}?version=2"), Some("commune"), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(w.get(&facts, "commune").await.json["items"], json!([]));
    let r = w.call("DELETE", &format!("{one}?version=2"), Some("commune"), None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn invalid_input_is_a_422_with_vietnamese_field_messages() {
    let w = world().await;
    let w = &w;
    let post = |kind: &str, body: Value| {
        let uri = w.unit_path("80101-a1", &format!("/facts/{kind}"));
        async move { w.call("POST", &uri, Some("commune"), Some(body)).await }
    };
    let r = post("commitments", commitment(121, 120)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error(), "Dữ liệu gửi lên chưa hợp lệ; xem lỗi ở từng trường.");
    assert_eq!(r.field("signed"), "Số đã ký (121) không được lớn hơn tổng số (120).");

    let r = post("commitments", json!({"group_code": "ho_dan", "signed": -1, "total": "nhiều", "extra": 1})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field("group_code"), "Mã “ho_dan” không có trong danh mục nhóm người cam kết của bộ tiêu chí.");
    assert_eq!(r.field("signed"), "Không được là số âm.");
    assert_eq!(r.field("total"), "Phải là số nguyên.");
    assert_eq!(r.field("extra"), "Trường này không có trong mẫu dữ liệu.");

    let r = post("incidents", json!({"kind": "crime", "occurred_on": "2013-02-30", "severity": "rat_nang"})).await;
    assert_eq!(r.field("occurred_on"), "Ngày “2013-02-30” không hợp lệ (dùng dạng YYYY-MM-DD, ví dụ 2013-05-02).");
    assert!(r.field("severity").starts_with("Mã “rat_nang” không có trong danh mục mức độ nghiêm trọng"));
    let r = post("incidents", json!({"kind": "crime", "occurred_on": "12/03/2013", "in_territory": "có"})).await;
    assert_eq!(r.field("occurred_on"), "Ngày “12/03/2013” không hợp lệ (dùng dạng YYYY-MM-DD, ví dụ 2013-05-02).");
    assert_eq!(r.field("in_territory"), "Phải là true hoặc false.");
    let r = post("incidents", json!({"kind": "crime"})).await;
    assert_eq!(r.field("occurred_on"), "Cần nhập ngày (YYYY-MM-DD).");
    let r = post("discipline", json!({"force_code": "grassroots_security", "level": "phat_tien", "decided_on": "2013-06-01"})).await;
    assert_eq!(r.field("level"), "Mã “phat_tien” không có trong danh mục hình thức kỷ luật của bộ tiêu chí.");
    let r = post("titles", json!({"force_code": "grassroots_security", "scale": "task_rating", "level": "xuat_sac"})).await;
    assert!(r.field("level").starts_with("Mức “xuat_sac” không có trong thang “mức hoàn thành nhiệm vụ”"), "{}", r.text);
    let r = post("documents", json!({"kind": "registration"})).await;
    assert_eq!(r.field("kind"), "Bản đăng ký phấn đấu được nộp theo quy trình đăng ký, không nhập như một văn bản.");
    let r = post("sub_units", json!({"name": "  ", "scale": "collective_labour"})).await;
    assert_eq!(r.field("name"), "Không được để trống.");
    assert_eq!(r.field("level"), "Cần chọn danh hiệu, mức.");
    // Nothing of all that was stored.
    for kind in ["commitments", "incidents", "discipline", "titles", "documents", "sub_units"] {
        assert_eq!(w.get(&w.unit_path("80101-a1", &format!("/facts/{kind}")), "commune").await.json["items"], json!([]), "{kind}");
    }

    // Scores: items of the frame, at most one decimal, not above the maximum.
    let r = w
        .call(
            "PUT",
            &w.unit_path("80101-a1", "/scores/self"),
            Some("commune"),
            Some(json!({"1.1": 25, "1.2": 7.25, "9.9": 1, "1.3": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field("1.1"), "Tối đa 20 điểm.");
    assert_eq!(r.field("1.2"), "Điểm phải không âm và có tối đa một chữ số thập phân.");
    assert_eq!(r.field("9.9"), "Không có mục “9.9” trong bảng chấm điểm (các mục: 1.1, 1.2, 1.3, 1.4, 1.5).");
    assert_eq!(r.field("1.3"), "“true” không phải là số điểm.");
    // Judgements only for parts that need one.
    let r = w.call("PUT", &w.unit_path("80101-a1", "/judgements/1.1/a"), Some("admin"), Some(json!({"met": true}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error(), "Phần 1.1/a được xét từ dữ liệu đã nhập, không cần đánh giá của đoàn kiểm tra.");
    let r = w.call("PUT", &w.unit_path("80101-a1", "/judgements/1.2/a"), Some("admin"), Some(json!({"met": "có", "on": "hôm nay"}))).await;
    assert_eq!(r.field("met"), "Phải là true hoặc false.");
    assert!(r.field("on").starts_with("Ngày “hôm nay” không hợp lệ"));
    let r = w.call("PUT", &w.unit_path("80101-a1", "/flags/co_dang"), Some("commune"), Some(json!({"value": true}))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error(), "Không có điều kiện “co_dang” trong bộ tiêu chí của đợt.");
    let r = w.call("PUT", &w.unit_path("80101-a1", "/previous-year/crime"), Some("commune"), Some(json!({"count": -2}))).await;
    assert_eq!(r.field("count"), "Không được là số âm.");

    // Not JSON at all.
    let request = Request::post(w.unit_path("80101-a1", "/facts/commitments"))
        .header(header::AUTHORIZATION, format!("Bearer {}", w.token("commune")))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{\"signed\": 1,"))
        .expect("test step");
    let r = w.app.clone().oneshot(request).await.expect("response");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let request = Request::post(w.unit_path("80101-a1", "/facts/commitments"))
        .header(header::AUTHORIZATION, format!("Bearer {}", w.token("commune")))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("signed=1"))
        .expect("test step");
    let r = w.app.clone().oneshot(request).await.expect("response");
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = w.call("POST", &w.unit_path("80101-a1", "/facts/ghi_chu"), Some("commune"), Some(json!({}))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.error().starts_with("Không có loại dữ liệu “ghi_chu”"));
}

#[tokio::test]
async fn facts_locked_by_a_decision_are_a_409() {
    let w = world().await;
    let admin = users::check_password(&w.store, "admin", PASSWORD).await.expect("test step").expect("test step").id;
    // The area is confirmed recognised and listed in a decision, which locks its facts.
    let mut tx = w.store.begin().await.expect("test step");
    let report = json!({});
    let confirmation = decisions::Confirmation {
        campaign_id: &w.campaign,
        unit_id: "80101-a1",
        proposed: decisions::NOT_RECOGNISED,
        confirmed: decisions::RECOGNISED,
        classification: None,
        report: &report,
        note: Some("thử nghiệm"),
        unit_revision: 0,
    };
    decisions::confirm(&mut tx, &admin, &confirmation).await.expect("test step");
    let decision = decisions::NewDecision {
        campaign_id: &w.campaign,
        number: "45/QĐ-UBND",
        decided_on: chrono::NaiveDate::from_ymd_opt(2013, 11, 14).expect("date"),
        signer: "Nguyễn Văn A",
        signer_role: "chu_tich",
        authority: "Chủ tịch Ủy ban nhân dân xã Phước Hậu",
        issuer_unit_id: "80101",
        unit_ids: &["80101-a1"],
        request: None,
    };
    decisions::issue(&mut tx, &admin, &decision).await.expect("test step");
    tx.commit().await.expect("test step");

    let r = w.call("POST", &w.unit_path("80101-a1", "/facts/commitments"), Some("commune"), Some(commitment(1, 2))).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.error().starts_with("Dữ liệu của đơn vị đã bị khóa bởi quyết định công nhận 45/QĐ-UBND"), "{}", r.text);
    let r = w.call("PUT", &w.unit_path("80101-a1", "/scores/self"), Some("commune"), Some(json!({"1.1": 20}))).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // The other area is not locked.
    let r = w.call("POST", &w.unit_path("80101-a2", "/facts/commitments"), Some("commune"), Some(commitment(1, 2))).await;
    assert_eq!(r.status, StatusCode::CREATED);
    // The commune's summary tells the decision apart from what the rules find (no area meets
    // the standard by its facts yet).
    let r = w.get(&w.unit_path("80101", "/summary"), "commune").await;
    assert_eq!(r.json["recognised_by_decision"], 1, "{}", r.text);
    let areas = r.json["by_type"].as_array().expect("array").iter().find(|t| t["unit_type"] == "residential_area").expect("test step");
    assert_eq!(areas["recognised"], 0, "{}", r.text);
}

// --- Results -------------------------------------------------------------------------------

#[tokio::test]
async fn the_verdict_has_every_criterion_part_and_reason() {
    let w = world().await;
    let area = "80101-a1";
    let r = w.get(&w.unit_path(area, "/verdict"), "commune").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["outcome"], "incomplete");
    assert_eq!(r.json["outcome_name"], "Chưa đủ dữ liệu");
    let ids: Vec<&str> = r.json["criteria"].as_array().expect("array").iter().map(|c| c["id"].as_str().expect("text")).collect();
    assert_eq!(ids, ["1.1", "1.2", "1.3", "1.4", "1.5"]);
    let parts: usize = r.json["criteria"].as_array().expect("array").iter().map(|c| c["parts"].as_array().expect("array").len()).sum();
    assert_eq!(parts, 3 + 2 + 3 + 7 + 2);
    for c in r.json["criteria"].as_array().expect("array") {
        for p in c["parts"].as_array().expect("array") {
            assert!(!p["reason"].as_str().expect("text").is_empty(), "{p}");
            assert!(!p["status_name"].as_str().expect("text").is_empty(), "{p}");
        }
    }
    let revision = r.json["revision"].as_i64().expect("integer");

    // 118 of 120 households: part 1.1 c fails, and says so; the result moves with the write.
    w.call("POST", &w.unit_path(area, "/facts/commitments"), Some("commune"), Some(commitment(118, 120))).await;
    let r = w.get(&w.unit_path(area, "/verdict"), "commune").await;
    assert!(r.json["revision"].as_i64().expect("integer") > revision);
    assert_eq!(r.json["outcome"], "not_recognised");
    let c11 = &r.json["criteria"][0];
    assert_eq!(c11["status"], "not_met");
    assert_eq!(c11["parts"][2]["status"], "not_met");
    assert!(c11["parts"][2]["reason"].as_str().expect("text").contains("118"), "{}", c11["parts"][2]);

    // The commune's summary counts its two areas; an area has no summary; a district has no verdict.
    let r = w.get(&w.unit_path("80101", "/summary"), "commune").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let areas =
        r.json["by_type"].as_array().expect("array").iter().find(|t| t["unit_type"] == "residential_area").expect("test step").clone();
    assert_eq!(areas["total"], 2);
    assert_eq!(areas["not_recognised"], 1);
    assert_eq!(areas["incomplete"], 1);
    assert_eq!(w.get(&w.unit_path(area, "/summary"), "commune").await.status, StatusCode::NOT_FOUND);
    assert_eq!(w.get(&w.unit_path("801", "/verdict"), "admin").await.status, StatusCode::NOT_FOUND);
}

// --- The document and its UI ---------------------------------------------------------------

#[tokio::test]
async fn the_openapi_document_matches_its_snapshot() {
    let w = world().await;
    let r = send(&w.app, "GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let paths = r.json["paths"].as_object().expect("object");
    for p in [
        "/tokens",
        "/campaigns",
        "/campaigns/{cid}",
        "/units",
        "/units/{id}",
        "/units/{id}/children",
        "/campaigns/{cid}/units/{uid}/verdict",
        "/campaigns/{cid}/units/{uid}/summary",
        "/campaigns/{cid}/units/{uid}/facts/{kind}",
        "/campaigns/{cid}/units/{uid}/facts/{kind}/{id}",
        "/campaigns/{cid}/units/{uid}/declare-complete/{kind}",
        "/campaigns/{cid}/units/{uid}/flags/{flag}",
        "/campaigns/{cid}/units/{uid}/previous-year/{kind}",
        "/campaigns/{cid}/units/{uid}/scores/self",
        "/campaigns/{cid}/units/{uid}/scores/reviewed",
        "/campaigns/{cid}/units/{uid}/judgements/{criterion}/{part}",
        "/campaigns/{cid}/units/{uid}/registration",
        "/campaigns/{cid}/units/{uid}/registration/return",
        "/campaigns/{cid}/units/{uid}/review",
        "/campaigns/{cid}/units/{uid}/proposals",
        "/campaigns/{cid}/decisions",
        "/campaigns/{cid}/decisions/{id}",
        "/campaigns/{cid}/decisions/{id}/unlock",
        "/campaigns/{cid}/decisions/{id}/relock",
    ] {
        assert!(paths.contains_key(p), "{p} missing from the document");
    }
    assert_eq!(r.json["servers"][0]["url"], "/api/v1");
    assert_eq!(r.json["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");

    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/openapi.json");
    let current = format!("{}\n", serde_json::to_string_pretty(&r.json).expect("test step"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(file.parent().expect("test step")).expect("test step");
        std::fs::write(&file, &current).expect("test step");
    }
    let saved = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(saved == current, "the OpenAPI document changed; review it and run with UPDATE_SNAPSHOTS=1 to accept it ({})", file.display());
}

#[tokio::test]
async fn swagger_ui_has_its_own_policy_and_everything_else_keeps_the_strict_one() {
    let w = world().await;
    let r = send(&w.app, "GET", "/api/v1/docs", None, None).await;
    assert_eq!(r.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(r.headers[header::LOCATION], "/api/v1/docs/");
    let r = send(&w.app, "GET", "/api/v1/docs/", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("swagger-ui-bundle.js"));
    assert_eq!(r.headers[header::CONTENT_SECURITY_POLICY], antt_web::api::DOCS_CSP);
    assert!(!antt_web::api::DOCS_CSP.contains("script-src 'self' 'unsafe-inline'"));
    let r = send(&w.app, "GET", "/api/v1/docs/swagger-initializer.js", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("\"/api/v1/openapi.json\""), "{}", r.text);
    assert_eq!(r.headers[header::CONTENT_SECURITY_POLICY], antt_web::api::DOCS_CSP);
    assert_eq!(send(&w.app, "GET", "/api/v1/docs/swagger-ui.css", None, None).await.status, StatusCode::OK);
    assert_eq!(send(&w.app, "GET", "/api/v1/docs/khong-co.js", None, None).await.status, StatusCode::NOT_FOUND);
    for uri in ["/login", "/api/v1/campaigns", "/api/v1/openapi.json"] {
        let r = send(&w.app, "GET", uri, None, None).await;
        assert_eq!(r.headers[header::CONTENT_SECURITY_POLICY], antt_web::security::CSP, "{uri}");
    }
}

#[tokio::test]
async fn an_unknown_api_path_or_method_answers_json() {
    let w = world().await;
    let r = w.get("/api/v1/khong-co", "admin").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.error().starts_with("Không có địa chỉ API này"));
    let r = w.call("DELETE", "/api/v1/campaigns", Some("admin"), None).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.error(), "Địa chỉ này không nhận phương thức HTTP đó.");
}

// --- Registration, review and decisions ----------------------------------------------------

#[tokio::test]
async fn a_registration_is_submitted_once_and_returned_for_correction() {
    let w = world().await;
    let reg = w.unit_path("80101-a1", "/registration");
    assert_eq!(w.get(&reg, "head").await.status, StatusCode::NOT_FOUND);

    let r = w.call("POST", &reg, Some("head"), Some(json!({"registered_on": "2013-04-30", "pledges": {"9.9": {"pledged": true}}}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field("registered_on"), "Ngày đăng ký không được trước ngày ban hành kế hoạch (02/05/2013).");
    assert_eq!(r.field("pledges.9.9"), "Không có tiêu chí “9.9” cho loại đơn vị này (các tiêu chí: 1.1, 1.2, 1.3, 1.4, 1.5).");
    let none: serde_json::Map<String, Value> =
        ["1.1", "1.2", "1.3", "1.4", "1.5"].iter().map(|c| (c.to_string(), json!({"pledged": false}))).collect();
    let r = w.call("POST", &reg, Some("head"), Some(json!({"registered_on": "2013-05-20", "pledges": none}))).await;
    assert_eq!(r.field("pledges"), "Cần đăng ký phấn đấu ít nhất một tiêu chí.");
    let r = w.call("POST", &reg, Some("viewer"), Some(json!({"registered_on": "2013-05-20"}))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let r = w
        .call(
            "POST",
            &reg,
            Some("head"),
            Some(json!({"registered_on": "2013-05-20", "pledges": {"1.2": {"pledged": true, "note": "Mô hình tổ tự quản"}}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json["receipt_number"], "PV28-2013-000001");
    assert_eq!(r.json["status"], "submitted");
    assert_eq!(r.json["on_time"], true);
    assert_eq!(r.json["pledges"]["1.2"]["note"], "Mô hình tổ tự quản");
    assert_eq!(r.json["pledges"]["1.5"]["pledged"], true);
    let version = r.json["version"].as_i64().expect("version");
    // The verdict now counts the registration (1.1 b).
    let v = w.get(&w.unit_path("80101-a1", "/verdict"), "commune").await;
    assert_eq!(v.json["criteria"][0]["parts"][1]["status"], "met", "{}", v.json["criteria"][0]);
    assert_eq!(v.json["registration"]["on_time"], true);

    // Never overwritten.
    let r = w.call("POST", &reg, Some("head"), Some(json!({"registered_on": "2013-05-21"}))).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.error().contains("đã gửi bản đăng ký (số tiếp nhận PV28-2013-000001)"), "{}", r.text);

    // Returned by the district (communes and unit heads may not), with the version read.
    let back = format!("{reg}/return");
    for who in ["head", "commune"] {
        let r = w.call("POST", &back, Some(who), Some(json!({"reason": "Thiếu nghị quyết", "version": version}))).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
    }
    let r = w.call("POST", &back, Some("district"), Some(json!({"version": version}))).await;
    assert_eq!(r.field("reason"), "Không được để trống.");
    let r = w.call("POST", &back, Some("district"), Some(json!({"reason": "Thiếu nghị quyết", "version": version + 5}))).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = w.call("POST", &back, Some("district"), Some(json!({"reason": "Thiếu nghị quyết", "version": version}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["status"], "returned");
    assert_eq!(r.json["returned_reason"], "Thiếu nghị quyết");
    let returned = r.json["version"].as_i64().expect("version");

    // Registered again, naming the returned version.
    let r = w.call("POST", &reg, Some("head"), Some(json!({"registered_on": "2013-05-21", "version": returned - 1}))).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = w.call("POST", &reg, Some("head"), Some(json!({"registered_on": "2013-05-21", "version": returned}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json["receipt_number"], "PV28-2013-000002");
    assert_eq!(w.get(&reg, "viewer").await.json["registered_on"], "2013-05-21");
}

#[tokio::test]
async fn review_proposals_and_a_decision_that_locks_until_unlocked() {
    let w = world().await;
    let review = w.unit_path("80101-a1", "/review");
    assert_eq!(w.get(&review, "commune").await.status, StatusCode::NOT_FOUND);
    // The rules say "incomplete": confirming another outcome needs a reason.
    let r = w.call("PUT", &review, Some("commune"), Some(json!({"confirmed": "recognised"}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field("note"), "Kết quả khác với đề xuất theo tiêu chí (Chưa đủ dữ liệu): cần ghi rõ lý do.");
    let r = w.call("PUT", &review, Some("commune"), Some(json!({"confirmed": "dat"}))).await;
    assert_eq!(r.field("confirmed"), "Cần chọn kết quả xác nhận.");
    for who in ["viewer", "inspector", "head"] {
        let r = w.call("PUT", &review, Some(who), Some(json!({"confirmed": "recognised", "note": "x"}))).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
    }
    // Recognising a unit with data missing needs the reviewer to acknowledge what is missing.
    let unacknowledged = json!({"confirmed": "recognised", "note": "Đoàn kiểm tra đã xác minh tại chỗ"});
    let r = w.call("PUT", &review, Some("commune"), Some(unacknowledged)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field("acknowledged").starts_with("Đơn vị còn "), "{}", r.text);
    assert!(r.field("acknowledged").contains("mục thiếu dữ liệu ("), "{}", r.text);
    assert!(r.field("acknowledged").ends_with("Muốn xác nhận “Đạt chuẩn” cần đánh dấu đã xem các mục này."), "{}", r.text);
    let r = w
        .call(
            "PUT",
            &review,
            Some("commune"),
            Some(json!({"confirmed": "recognised", "note": "Đoàn kiểm tra đã xác minh tại chỗ", "acknowledged": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["proposed_outcome"], "incomplete");
    assert_eq!(r.json["confirmed_outcome"], "recognised");
    assert_eq!(r.json["confirmed_by"], "Người dùng commune");
    assert_eq!(w.get(&review, "viewer").await.json["note"], "Đoàn kiểm tra đã xác minh tại chỗ");

    let proposals = w.unit_path("80101-a1", "/proposals");
    let r = w.call("POST", &proposals, Some("commune"), Some(json!({"kind": "thuong", "reason": ""}))).await;
    assert_eq!(r.field("kind"), "Cần chọn khen thưởng hoặc phê bình.");
    assert_eq!(r.field("reason"), "Không được để trống.");
    let r = w.call("POST", &proposals, Some("commune"), Some(json!({"kind": "khen_thuong", "reason": "Ba năm liền đạt chuẩn"}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json["kind_name"], "Đề nghị khen thưởng");
    assert_eq!(w.get(&proposals, "viewer").await.json[0]["reason"], "Ba năm liền đạt chuẩn");
    assert_eq!(
        w.call("POST", &proposals, Some("viewer"), Some(json!({"kind": "phe_binh", "reason": "x"}))).await.status,
        StatusCode::FORBIDDEN
    );

    // Decisions: under the 2013 plan the commune's People's Committee recognises its residential
    // areas; the district and the province do not, and nobody else unlocks its decision.
    let decisions = format!("/api/v1/campaigns/{}/decisions", w.campaign);
    let body = json!({"number": "45/QĐ-UBND", "decided_on": "2013-11-14", "signer": "Nguyễn Văn A", "unit_ids": ["80101-a1"]});
    for who in ["district", "admin"] {
        let r = w.call("POST", &decisions, Some(who), Some(body.clone())).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}: {}", r.text);
        assert!(r.error().starts_with("Quyết định này thuộc thẩm quyền Chủ tịch Ủy ban nhân dân xã Phước Hậu"), "{}", r.text);
    }
    let mut outside = body.clone();
    outside["unit_ids"] = json!(["80201-a1"]);
    assert_eq!(w.call("POST", &decisions, Some("commune"), Some(outside)).await.status, StatusCode::NOT_FOUND);
    let mut twice = body.clone();
    twice["unit_ids"] = json!(["80101-a1", "80101-a1"]);
    let r = w.call("POST", &decisions, Some("commune"), Some(twice)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field("unit_ids"), "Đơn vị mã “80101-a1” được ghi hai lần; mỗi đơn vị chỉ ghi một lần.");
    let mut unconfirmed = body.clone();
    unconfirmed["unit_ids"] = json!(["80101-a2"]);
    let r = w.call("POST", &decisions, Some("commune"), Some(unconfirmed)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error(), "Đơn vị `80101-a2` chưa được xét duyệt.");
    let mut stated = body.clone();
    stated["authority"] = json!("UBND huyện Long Hồ");
    let r = w.call("POST", &decisions, Some("commune"), Some(stated)).await;
    assert_eq!(r.field("authority"), "Trường này không có trong mẫu dữ liệu.", "the authority comes from the ruleset");
    let r = w.call("POST", &decisions, Some("commune"), Some(body.clone())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json["units"][0]["locked"], true);
    assert_eq!(
        (r.json["authority"].as_str(), r.json["issuer_unit_id"].as_str()),
        (Some("Chủ tịch Ủy ban nhân dân xã Phước Hậu"), Some("80101"))
    );
    let id = r.json["id"].as_str().expect("id").to_owned();
    let r = w.call("POST", &decisions, Some("commune"), Some(body)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field("number"), "Số quyết định 45/QĐ-UBND đã được Ủy ban nhân dân xã Phước Hậu dùng trong năm 2013.");
    assert_eq!(w.get(&decisions, "commune").await.json[0]["number"], "45/QĐ-UBND");
    assert_eq!(w.get(&format!("{decisions}/{id}"), "head").await.status, StatusCode::OK);
    assert_eq!(w.get(&format!("{decisions}/{id}"), "both").await.status, StatusCode::OK);
    assert_eq!(w.get(&format!("{decisions}/{id}"), "outsider").await.status, StatusCode::NOT_FOUND);

    // Locked: facts and the review refuse changes until an audited unlock.
    let facts = w.unit_path("80101-a1", "/facts/commitments");
    let r = w.call("POST", &facts, Some("head"), Some(commitment(10, 10))).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.error().contains("45/QĐ-UBND"));
    let r = w.call("PUT", &review, Some("commune"), Some(json!({"confirmed": "not_recognised", "note": "x"}))).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = w.call("POST", &format!("{decisions}/{id}/unlock"), Some("commune"), Some(json!({"unit_id": "80101-a1"}))).await;
    assert_eq!(r.field("reason"), "Không được để trống.");
    for who in ["district", "admin"] {
        let r = w
            .call("POST", &format!("{decisions}/{id}/unlock"), Some(who), Some(json!({"unit_id": "80101-a1", "reason": "Sửa số hộ"})))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "a district or province does not undo the commune's decision");
    }
    let r = w
        .call("POST", &format!("{decisions}/{id}/unlock"), Some("commune"), Some(json!({"unit_id": "80101-a1", "reason": "Sửa số hộ"})))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_eq!(w.call("POST", &facts, Some("head"), Some(commitment(10, 10))).await.status, StatusCode::CREATED);
    let r = w.call("POST", &format!("{decisions}/{id}/relock"), Some("commune"), Some(json!({"unit_id": "80101-a1"}))).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_eq!(w.call("POST", &facts, Some("head"), Some(commitment(10, 10))).await.status, StatusCode::CONFLICT);
    assert_eq!(w.get(&format!("{decisions}/{id}"), "viewer").await.json["units"][0]["locked"], true);
}

#[tokio::test]
async fn the_rulesets_a_campaign_may_start_with_include_those_added_while_it_runs() {
    let w = world().await;
    let r = w.get("/api/v1/rulesets", "commune").await;
    assert_eq!(r.status, StatusCode::OK);
    let ids =
        |r: &Reply| r.json.as_array().expect("array").iter().map(|o| o["id"].as_str().unwrap_or_default().to_owned()).collect::<Vec<_>>();
    assert_eq!(ids(&r), ["tt124-2021", "tt124-2025", "vinh-long-2013"]);
    let text = antt_core::ruleset::built_in_text("vinh-long-2013").expect("built in");
    assert_eq!(r.json[2]["hash"], antt_store::sha256_hex(text.as_bytes()));
    assert_eq!((r.json[2]["built_in"].clone(), r.json[2]["version"].clone()), (json!(true), Value::Null));

    // Added through another process's application on the same database: offered at once.
    let example = include_str!("../../../examples/rulesets/vinh-long-2013-cho.yaml");
    let other = antt_app::App::new(w.store.clone(), antt_core::ruleset::built_in().expect("test step"));
    other.add_ruleset("dòng lệnh (root)", "vinh-long-2013-cho.yaml", example).await.expect("added");
    let r = w.get("/api/v1/rulesets", "commune").await;
    let added = r.json.as_array().expect("array").iter().find(|o| o["id"] == "vinh-long-2013-cho").expect("offered");
    assert_eq!(
        (added["built_in"].clone(), added["version"].clone(), added["added_by"].clone()),
        (json!(false), json!(1), json!("dòng lệnh (root)"))
    );
    assert_eq!(added["hash"], antt_store::sha256_hex(example.as_bytes()));
    assert!(added["unit_types"].as_array().expect("array").iter().any(|t| t["code"] == "market" && t["name"] == "chợ"), "{added}");

    // The campaign keeps the built-in text it started with.
    let r = w.get("/api/v1/campaigns", "commune").await;
    assert_eq!((r.json[0]["ruleset"].clone(), r.json[0]["ruleset_version"].clone()), (json!("vinh-long-2013"), json!(1)));
    assert_eq!(r.json[0]["ruleset_hash"], antt_store::sha256_hex(text.as_bytes()));
}

#[tokio::test]
async fn a_commune_adds_renames_and_retires_its_units_and_nobody_else_does() {
    let w = world().await;
    let children = w.unit_path("80101", "/children");
    // The head of an area and a commune of another district: not theirs.
    let body = json!({"unit_type": "residential_area", "name": "Ấp Phước Hòa"});
    assert_eq!(w.call("POST", &children, Some("head"), Some(body.clone())).await.status, StatusCode::NOT_FOUND);
    // Refused field by field, with the import's messages.
    let refused =
        w.call("POST", &children, Some("commune"), Some(json!({"unit_type": "residential_area", "name": "ấp phuoc nguon a"}))).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.field("name"), "Xã Phước Hậu đã có “Ấp Phước Ngươn A” (mã 80101-a1); không nhập lại");
    let created = w
        .call(
            "POST",
            &children,
            Some("commune"),
            Some(json!({"unit_type": "residential_area", "name": "Ấp Phước Hòa", "code": "80101-a3"})),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!((created.json["id"].as_str(), created.json["path"].as_str()), (Some("80101-a3"), Some("/80/801/80101/80101-a3/")));

    let renamed =
        w.call("PUT", &w.unit_path("80101-a3", ""), Some("commune"), Some(json!({"name": "Ấp Phước Hòa Mới", "version": 1}))).await;
    assert_eq!((renamed.status, renamed.json["name"].as_str()), (StatusCode::OK, Some("Ấp Phước Hòa Mới")));
    let stale = w.call("PUT", &w.unit_path("80101-a3", ""), Some("commune"), Some(json!({"name": "Ấp Khác", "version": 1}))).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    // Moving to another district's commune needs the right to enter its data: the province has it.
    let moved = w
        .call(
            "PUT",
            &w.unit_path("80101-a3", ""),
            Some("admin"),
            Some(json!({"name": "Ấp Phước Hòa Mới", "parent": "80201", "version": 2})),
        )
        .await;
    assert_eq!((moved.status, moved.json["parent_id"].as_str()), (StatusCode::OK, Some("80201")), "{}", moved.text);

    let retired = w.call("POST", &w.unit_path("80101-a3", "/retire"), Some("admin"), Some(json!({"version": 3}))).await;
    assert_eq!(retired.status, StatusCode::OK, "{}", retired.text);
    assert!(retired.json["valid_to"].is_string());
    let viewer = w.call("POST", &w.unit_path("80201-a1", "/retire"), Some("viewer"), Some(json!({"version": 1}))).await;
    assert_eq!(viewer.status, StatusCode::FORBIDDEN);
}
