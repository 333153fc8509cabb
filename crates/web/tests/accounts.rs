//! Accounts in the browser: an admin creates a commune user with a role on one commune; the
//! user signs in with the one-time code, must change the password first, and then sees only
//! that commune; the admin disables the account and the open session ends. A user changes
//! their own password with the current one. A user enrols a second factor and then signs in with
//! password and code (or a recovery code, once), on the page and for an API token; a server
//! that requires it of admins sends an admin without one to enrol first; an admin removes a
//! user's second factor; a user makes, lists and revokes their API tokens on a page.

#![allow(clippy::unwrap_used)]

mod common;

use antt_core::totp;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Browser, PASSWORD, Page, run, world};

const GOOD: &str = "trâu cày ruộng sâu lúc bình minh";

#[tokio::test]
async fn an_admin_creates_a_commune_user_who_chooses_a_password_sees_only_the_commune_and_is_disabled() {
    let w = world().await;
    let admin = w.sign_in("tinh").await;
    admin.get("/users").await.has("Người dùng trong phạm vi đơn vị 86").has(">xa</a>").has("Ban Chỉ đạo xã Đồng Phú");

    // Refused input comes back with what was typed.
    let page = admin
        .post(
            "/users",
            &[("unit", "86"), ("username", "Cán Bộ"), ("full_name", "Cán bộ xã Phước Hậu"), ("role", "commune"), ("unit_id", "29584")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.has("Tên đăng nhập chỉ gồm chữ a–z không dấu").has("value=\"Cán bộ xã Phước Hậu\"");

    let page = admin
        .post(
            "/users",
            &[
                ("unit", "86"),
                ("username", "xa-phuoc-hau"),
                ("full_name", "Cán bộ xã Phước Hậu"),
                ("role", "commune"),
                ("unit_id", "29584"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::CREATED, "{}", page.text);
    let code = page.text.split("<strong class=\"code\">").nth(1).and_then(|s| s.split('<').next()).unwrap().to_owned();
    let user_page = page.text.split("action=\"/users/").nth(1).and_then(|s| s.split('/').next()).unwrap().to_owned();

    // With the code, the only page open is the one to choose a password.
    let user = Browser::sign_in_with(&w.app, "xa-phuoc-hau", &code, "/account/password").await;
    let home = user.get("/").await;
    assert_eq!((home.status, home.location()), (StatusCode::SEE_OTHER, "/account/password"));
    user.get("/account/password").await.has("Bạn đang đăng nhập bằng mã dùng một lần");
    let weak = user
        .post("/account/password", &[("current_password", &code), ("new_password", "123456789012"), ("confirm_password", "123456789012")])
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    weak.has("Mật khẩu quá dễ đoán");
    let done = user.post("/account/password", &[("current_password", &code), ("new_password", GOOD), ("confirm_password", GOOD)]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    done.has("Đã đổi mật khẩu.");

    // Now it works, in its commune only.
    assert_eq!(user.get("/").await.status, StatusCode::OK);
    assert_eq!(user.get("/units/29584").await.status, StatusCode::OK);
    assert_eq!(user.get("/units/29578").await.status, StatusCode::NOT_FOUND);
    assert_eq!(user.get("/users").await.status, StatusCode::FORBIDDEN);

    // The admin sees the open session, then disables the account: the session is over.
    admin.get(&format!("/users/{user_page}")).await.has("Ban Chỉ đạo cấp xã — đơn vị 29584").has("Bắt đầu ");
    admin.post(&format!("/users/{user_page}/disable"), &[]).await.has("Đã khóa tài khoản");
    let after = user.get("/").await;
    assert_eq!((after.status, after.location()), (StatusCode::SEE_OTHER, "/login"));
    // …and it is in the audit log.
    admin.get("/audit?entity=user").await.has("Khóa tài khoản").has("Tạo mới").has("Cấp quyền").has("xa-phuoc-hau");
}

#[tokio::test]
async fn a_user_changes_their_password_with_the_current_one() {
    let w = world().await;
    let xa = w.sign_in("xa").await;
    let page = xa.post("/account/password", &[("current_password", "sai"), ("new_password", GOOD), ("confirm_password", GOOD)]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.has("Mật khẩu hiện tại không đúng.");
    let page = xa.post("/account/password", &[("current_password", PASSWORD), ("new_password", GOOD), ("confirm_password", "khác")]).await;
    page.has("Hai lần nhập mật khẩu mới không khớp");
    let other = w.sign_in("xa").await;
    let page = xa.post("/account/password", &[("current_password", PASSWORD), ("new_password", GOOD), ("confirm_password", GOOD)]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert_eq!(xa.get("/").await.status, StatusCode::OK, "the session that changed it stays");
    assert_eq!(other.get("/").await.status, StatusCode::SEE_OTHER, "the other session ended");
    Browser::sign_in_with(&w.app, "xa", GOOD, "/").await;
}

#[tokio::test]
async fn a_form_sent_after_the_session_lapsed_is_kept_for_its_user_and_sent_again_with_a_new_token() {
    let w = world().await;
    let xa = w.sign_in("xa").await;
    let page = xa.get(&w.unit("29578", "/children")).await;
    let csrf = page.text.split("data-csrf=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    antt_store::testing::lapse_sessions(&w.store).await.unwrap();
    let fields = [("unit_type", "residential_area"), ("name", "Ấp Giữ Lại"), ("code", "")];

    // Without the lapsed session's own token nothing is kept: sign in, as always.
    let forged =
        run(&w.app, form(&w.unit("29578", "/children"), Some(xa.cookie()), &[&[("_csrf", "khac")][..], &fields[..]].concat())).await;
    assert_eq!((forged.status, forged.location()), (StatusCode::SEE_OTHER, "/login"));
    assert_eq!(set_cookie(&forged, "antt_resume"), "");

    let kept =
        run(&w.app, form(&w.unit("29578", "/children"), Some(xa.cookie()), &[&[("_csrf", csrf.as_str())][..], &fields[..]].concat())).await;
    assert_eq!((kept.status, kept.location()), (StatusCode::SEE_OTHER, "/login?form=kept"));
    let resume = set_cookie(&kept, "antt_resume");
    let units = antt_store::units::children(&w.store, "29578").await.unwrap();
    assert!(!units.iter().any(|u| u.name == "Ấp Giữ Lại"), "nothing is saved before signing in again");

    // Another user signing in on that browser does not get it.
    let login = |username: &'static str| {
        let resume = resume.clone();
        let w = &w;
        async move { run(&w.app, form("/login", Some(&resume), &[("username", username), ("password", PASSWORD)])).await }
    };
    assert_eq!(login("tinh").await.location(), "/");
    // Its user does: the values, with the new session's token, sent by one click.
    let signed_in = login("xa").await;
    assert_eq!(signed_in.location(), "/resume");
    let session = set_cookie(&signed_in, "antt_session");
    let cookies = format!("{session}; {resume}");
    let request = Request::get("/resume").header(header::COOKIE, &cookies).body(Body::empty()).unwrap();
    let page = run(&w.app, request).await;
    page.has("Ấp Giữ Lại").has(&format!("action=\"{}\"", w.unit("29578", "/children"))).lacks(&format!("value=\"{csrf}\""));
    let new_csrf = page.text.split("data-csrf=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    assert_ne!(new_csrf, csrf);
    let saved =
        run(&w.app, form(&w.unit("29578", "/children"), Some(&session), &[&[("_csrf", new_csrf.as_str())][..], &fields[..]].concat()))
            .await;
    assert_eq!((saved.status, saved.location()), (StatusCode::SEE_OTHER, w.unit("29578", "/children").as_str()));
    assert!(set_cookie(&saved, "antt_flash").contains("%C4%90%C3%A3+l%C6%B0u"), "{:?}", saved.headers);
    let units = antt_store::units::children(&w.store, "29578").await.unwrap();
    assert!(units.iter().any(|u| u.name == "Ấp Giữ Lại"));
    // Shown once.
    let request = Request::get("/resume").header(header::COOKIE, &cookies).body(Body::empty()).unwrap();
    assert_eq!(run(&w.app, request).await.location(), "/");
}

/// The text after `start` up to the next `end`.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    text.split(start).nth(1).and_then(|t| t.split(end).next()).unwrap()
}

fn form(uri: &str, cookie: Option<&str>, pairs: &[(&str, &str)]) -> Request<Body> {
    let mut request =
        Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded").header("sec-fetch-site", "same-origin");
    if let Some(c) = cookie {
        request = request.header(header::COOKIE, c);
    }
    request.body(Body::from(serde_urlencoded::to_string(pairs).unwrap())).unwrap()
}

/// The `name=value` of a cookie the page sets.
fn set_cookie(page: &Page, name: &str) -> String {
    page.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap().to_owned())
        .unwrap_or_default()
}

fn step_now() -> i64 {
    totp::step_at(chrono::Utc::now().timestamp())
}

/// Enrols the browser's user with the code of the current step; returns the secret, the step
/// used and the recovery codes shown.
async fn enrol(user: &Browser) -> (Vec<u8>, i64, Vec<String>) {
    let page = user.get("/account/second-factor").await;
    let secret = totp::from_base32(between(&page.text, "data-secret=\"", "\"")).unwrap();
    let step = step_now();
    let done = user.post("/account/second-factor", &[("code", &totp::code(&secret, step))]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    done.has("Mã khôi phục (chỉ hiện lần này)");
    let codes: Vec<String> = done.text.split("<li><code>").skip(1).map(|c| c.split('<').next().unwrap().to_owned()).collect();
    (secret, step, codes)
}

#[tokio::test]
async fn a_user_enrols_a_second_factor_and_then_signs_in_with_password_and_code() {
    let w = world().await;
    let xa = w.sign_in("xa").await;
    let page = xa.get("/account/second-factor").await;
    page.has("otpauth://totp/ANTT:xa?secret=");
    let refused = xa.post("/account/second-factor", &[("code", "12345")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.has("Nhập 6 chữ số").has("value=\"12345\"");
    let (secret, step, codes) = enrol(&xa).await;
    assert_eq!(codes.len(), antt_app::second_factor::RECOVERY_CODES);
    xa.get("/account/second-factor").await.has("Xác thực hai bước đang bật").has("Còn 10 mã khôi phục chưa dùng");

    // The password alone gives no session, only the page asking for the code.
    let login = run(&w.app, form("/login", None, &[("username", "xa"), ("password", PASSWORD)])).await;
    assert_eq!((login.status, login.location()), (StatusCode::SEE_OTHER, "/login/code"));
    assert_eq!(set_cookie(&login, "antt_session"), "");
    let pending = set_cookie(&login, "antt_pending");
    let home = run(&w.app, Request::get("/").header(header::COOKIE, &pending).body(Body::empty()).unwrap()).await;
    assert_eq!(home.location(), "/login");
    let asked = run(&w.app, Request::get("/login/code").header(header::COOKIE, &pending).body(Body::empty()).unwrap()).await;
    asked.has("autocomplete=\"one-time-code\"");
    let wrong = run(&w.app, form("/login/code", Some(&pending), &[("code", &totp::code(&secret, step))])).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "the code of the enrolment's step is used up");
    wrong.has("Mã xác thực hai bước không đúng hoặc đã dùng");
    let right = run(&w.app, form("/login/code", Some(&pending), &[("code", &totp::code(&secret, step + 1))])).await;
    assert_eq!((right.status, right.location()), (StatusCode::SEE_OTHER, "/"), "{}", right.text);
    let session = set_cookie(&right, "antt_session");
    let home = run(&w.app, Request::get("/").header(header::COOKIE, &session).body(Body::empty()).unwrap()).await;
    assert_eq!(home.status, StatusCode::OK);
    let again = run(&w.app, form("/login/code", Some(&pending), &[("code", &codes[0])])).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED, "the awaited sign-in ended with its session");

    // An API token needs the code too; a recovery code works once.
    let token = |code: Option<&str>| {
        let mut body = serde_json::json!({"username": "xa", "password": PASSWORD, "name": "sổ của xã"});
        if let Some(c) = code {
            body["code"] = c.into();
        }
        Request::post("/api/v1/tokens").header(header::CONTENT_TYPE, "application/json").body(Body::from(body.to_string())).unwrap()
    };
    assert_eq!(run(&w.app, token(None)).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(run(&w.app, token(Some(&codes[1]))).await.status, StatusCode::CREATED);
    assert_eq!(run(&w.app, token(Some(&codes[1]))).await.status, StatusCode::UNAUTHORIZED);

    // The province's admin removes it: the password alone signs in again.
    let tinh = w.sign_in("tinh").await;
    let page = tinh.post(&format!("/users/{}/second-factor", w.users["xa"]), &[]).await;
    page.has("Đã gỡ xác thực hai bước").has("Xác thực hai bước: chưa bật");
    Browser::sign_in_with(&w.app, "xa", PASSWORD, "/").await;
    tinh.get("/audit?entity=user").await.has("Gỡ xác thực hai bước").has("Bật xác thực hai bước").has("Dùng mã khôi phục");
}

#[tokio::test]
async fn a_server_that_requires_it_sends_an_admin_without_a_second_factor_to_enrol_first() {
    let w = world().await;
    let rulesets = antt_core::ruleset::built_in().unwrap();
    let config = antt_web::Config { require_second_factor_for_admin: true, ..antt_web::Config::default() };
    let app = antt_web::app(antt_web::AppState::new(antt_app::App::new(w.store.clone(), rulesets), config));
    let tinh = Browser::sign_in_with(&app, "tinh", PASSWORD, "/account/second-factor").await;
    for page in ["/", "/users", "/account/tokens"] {
        assert_eq!(tinh.get(page).await.location(), "/account/second-factor", "{page}");
    }
    tinh.get("/account/second-factor").await.has("Máy chủ này yêu cầu quản trị viên bật xác thực hai bước");
    // Other roles are not asked.
    Browser::sign_in_with(&app, "xa", PASSWORD, "/").await;
    enrol(&tinh).await;
    assert_eq!(tinh.get("/users").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_user_makes_lists_and_revokes_their_api_tokens_on_a_page() {
    let w = world().await;
    let xa = w.sign_in("xa").await;
    xa.get("/account/tokens").await.has("Chưa có mã nào.").has("value=\"90\"");
    let refused = xa.post("/account/tokens", &[("name", "Sổ của xã"), ("expires_in_days", "400")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.has("Từ 1 đến 365 ngày.").has("value=\"Sổ của xã\"").has("value=\"400\"");
    let made = xa.post("/account/tokens", &[("name", "Sổ của xã"), ("expires_in_days", "30")]).await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.text);
    made.has("Đã tạo mã “Sổ của xã”").has("dùng được");
    let token = between(&made.text, "id=\"new-token\">", "<").to_owned();
    let api = |token: &str| {
        Request::get("/api/v1/campaigns").header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).unwrap()
    };
    assert_eq!(run(&w.app, api(&token)).await.status, StatusCode::OK);
    let listed = xa.get("/account/tokens").await;
    listed.lacks(&token).has("Sổ của xã");
    let revoke = between(&listed.text, "action=\"/account/tokens/", "/revoke").to_owned();
    xa.post(&format!("/account/tokens/{revoke}/revoke"), &[]).await.has("Đã thu hồi mã “Sổ của xã”").has("đã thu hồi");
    assert_eq!(run(&w.app, api(&token)).await.status, StatusCode::UNAUTHORIZED);
}
