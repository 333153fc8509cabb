//! Shared fixtures of the page tests: old Vĩnh Long in small with the 2013 campaign of QĐ 710
//! and a user per role, a signed-in browser (session cookie, CSRF token, forms and uploads) and
//! the page it gets back.

// Each test binary uses a different part of this module.
#![allow(dead_code)]

use std::collections::BTreeMap;

use antt_core::access::Role;
use antt_store::units::NewUnit;
use antt_store::{Store, campaigns, units, users};
use antt_web::{AppState, Config};
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use tower::ServiceExt;

pub const PASSWORD: &str = "mat-khau-thu-nghiem";

pub struct World {
    pub app: Router,
    pub store: Store,
    pub campaign: String,
    /// The id of each user of the world, by username.
    pub users: BTreeMap<&'static str, String>,
}

/// A signed-in browser: its session cookie and the CSRF token of its pages.
pub struct Browser {
    app: Router,
    cookie: String,
    csrf: String,
}

#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub text: String,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }

    #[track_caller]
    pub fn has(&self, needle: &str) -> &Self {
        assert!(self.text.contains(needle), "missing {needle:?} in page ({}):\n{}", self.status, self.text);
        self
    }

    #[track_caller]
    pub fn lacks(&self, needle: &str) -> &Self {
        assert!(!self.text.contains(needle), "unexpected {needle:?} in page ({}):\n{}", self.status, self.text);
        self
    }
}

pub async fn run(app: &Router, request: Request<Body>) -> Page {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), 64 * 1024 * 1024).await.unwrap().to_vec();
    let text = String::from_utf8_lossy(&body).into_owned();
    Page { status, headers, body, text }
}

fn form_body(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap()
}

impl Browser {
    pub async fn sign_in(app: &Router, username: &str) -> Self {
        Self::sign_in_with(app, username, PASSWORD, "/").await
    }

    /// Signs in with a password, then reads the CSRF token from the page at `landing`.
    pub async fn sign_in_with(app: &Router, username: &str, password: &str, landing: &str) -> Self {
        let request = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(form_body(&[("username", username), ("password", password)])))
            .unwrap();
        let page = run(app, request).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "login of {username}: {}", page.text);
        let cookie = page.headers[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
        let mut browser = Self { app: app.clone(), cookie, csrf: String::new() };
        let home = browser.get(landing).await;
        assert_eq!(home.status, StatusCode::OK, "{}", home.text);
        let start = home.text.find("data-csrf=\"").expect("the page carries the CSRF token") + "data-csrf=\"".len();
        browser.csrf = home.text[start..].split('"').next().unwrap().to_owned();
        browser
    }

    /// The session cookie (`antt_session=…`).
    pub fn cookie(&self) -> &str {
        &self.cookie
    }

    pub async fn get(&self, uri: &str) -> Page {
        run(&self.app, Request::get(uri).header(header::COOKIE, &self.cookie).body(Body::empty()).unwrap()).await
    }

    pub async fn htmx(&self, uri: &str) -> Page {
        let request = Request::get(uri).header(header::COOKIE, &self.cookie).header("hx-request", "true").body(Body::empty()).unwrap();
        run(&self.app, request).await
    }

    /// Posts a form with the session's CSRF token.
    pub async fn post(&self, uri: &str, pairs: &[(&str, &str)]) -> Page {
        let mut all = vec![("_csrf", self.csrf.as_str())];
        all.extend_from_slice(pairs);
        let request = Request::post(uri)
            .header(header::COOKIE, &self.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(form_body(&all)))
            .unwrap();
        run(&self.app, request).await
    }

    /// Uploads one file as a browser does: the CSRF field first, then the file.
    pub async fn upload(&self, uri: &str, file_name: &str, content_type: &str, content: &[u8], csrf: bool) -> Page {
        let boundary = "----antt-boundary-7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        if csrf {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{}\r\n", self.csrf).as_bytes(),
            );
        }
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let request = Request::post(uri)
            .header(header::COOKIE, &self.cookie)
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .header(header::CONTENT_LENGTH, body.len())
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap();
        run(&self.app, request).await
    }
}

pub fn unit(id: &str, name: &str, unit_type: &str, parent: Option<&str>) -> NewUnit {
    NewUnit { id: id.into(), name: name.into(), unit_type: unit_type.into(), parent_id: parent.map(Into::into), ..NewUnit::default() }
}

/// Old Vĩnh Long in small: one district, two communes with their residential areas; the 2013
/// campaign of QĐ 710 (plan of 02/05/2013: registrations due 22/05/2013, inspection 11–20/10);
/// a user per role, the inspector being Nguyễn Văn Kiểm.
pub async fn world() -> World {
    world_with_inspector("Nguyễn Văn Kiểm").await
}

/// [`world`] with the inspector `kiemtra` under another display name.
pub async fn world_with_inspector(inspector_name: &str) -> World {
    let store = antt_store::testing::fresh_store().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let tree = [
        unit("86", "Tỉnh Vĩnh Long", "province", None),
        unit("857", "Huyện Long Hồ", "district", Some("86")),
        unit("29578", "Xã Đồng Phú", "commune", Some("857")),
        unit("ap-long", "Ấp Phú Long", "residential_area", Some("29578")),
        unit("ap-hoa", "Ấp Phú Hòa", "residential_area", Some("29578")),
        unit("29584", "Xã Phước Hậu", "commune", Some("857")),
        unit("ap-ngu", "Ấp Phước Ngươn", "residential_area", Some("29584")),
    ];
    units::insert_many(&mut tx, None, &tree).await.unwrap();
    let campaign = campaigns::create(&mut tx, None, &antt_store::testing::vinh_long_2013("Phát động năm 2013")).await.unwrap();
    let mut ids = BTreeMap::new();
    for (username, name, role, unit) in [
        ("tinh", "Thường trực Ban Chỉ đạo tỉnh", Role::Admin, "86"),
        ("xa", "Ban Chỉ đạo xã Đồng Phú", Role::Commune, "29578"),
        ("kiemtra", inspector_name, Role::Inspector, "857"),
        ("lanhdao", "Lãnh đạo tỉnh", Role::Viewer, "86"),
    ] {
        let id = users::create(&mut tx, None, username, name, PASSWORD).await.unwrap();
        users::grant(&mut tx, None, &id, role, unit).await.unwrap();
        ids.insert(username, id);
    }
    tx.commit().await.unwrap();
    let rulesets = antt_core::ruleset::built_in().unwrap();
    let app = antt_web::app(AppState::new(antt_app::App::new(store.clone(), rulesets), Config::default()));
    World { app, store, campaign: campaign.id, users: ids }
}

impl World {
    /// `/c/{campaign}` + `rest`.
    pub fn c(&self, rest: &str) -> String {
        format!("/c/{}{rest}", self.campaign)
    }

    /// `/c/{campaign}/units/{unit}` + `rest`.
    pub fn unit(&self, unit: &str, rest: &str) -> String {
        format!("/c/{}/units/{unit}{rest}", self.campaign)
    }

    pub async fn sign_in(&self, username: &str) -> Browser {
        Browser::sign_in(&self.app, username).await
    }

    /// Forms the district's inspection team, led by `kiemtra`, assigned to `units`: only such a
    /// member scores and judges a unit as its inspector.
    pub async fn inspection_team(&self, units: &[&str]) {
        use antt_store::inspection;
        let mut tx = self.store.begin().await.unwrap();
        let by = inspection::By { user_id: &self.users["tinh"], campaign_id: &self.campaign, scope_unit_id: "86" };
        let day = |d| chrono::NaiveDate::from_ymd_opt(2013, 10, d).unwrap();
        let team = inspection::TeamInput { name: "Đoàn kiểm tra huyện Long Hồ", starts_on: day(11), ends_on: day(20) };
        let team = inspection::create_team(&mut tx, by, &team).await.unwrap();
        inspection::add_member(&mut tx, by, &team, &self.users["kiemtra"], inspection::LEADER).await.unwrap();
        for unit in units {
            inspection::assign(&mut tx, by, &team, unit).await.unwrap();
        }
        tx.commit().await.unwrap();
    }
}
