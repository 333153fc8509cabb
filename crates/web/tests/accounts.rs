//! Accounts in the browser: an admin creates a commune user with a role on one commune; the
//! user signs in with the one-time code, must change the password first, and then sees only
//! that commune; the admin disables the account and the open session ends. A user changes
//! their own password with the current one.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::{Browser, PASSWORD, world};

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

/// A form posted as a browser does, with the given cookies and fields.
async fn post_form(w: &common::World, uri: &str, cookies: &str, pairs: &[(&str, &str)]) -> common::Page {
    let request = axum::http::Request::post(uri)
        .header(axum::http::header::COOKIE, cookies)
        .header(axum::http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(axum::body::Body::from(serde_urlencoded::to_string(pairs).unwrap()))
        .unwrap();
    common::run(&w.app, request).await
}

fn set_cookie(page: &common::Page, name: &str) -> Option<String> {
    page.headers
        .get_all(axum::http::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
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
    let forged = post_form(&w, &w.unit("29578", "/children"), xa.cookie(), &[&[("_csrf", "khac")][..], &fields[..]].concat()).await;
    assert_eq!((forged.status, forged.location()), (StatusCode::SEE_OTHER, "/login"));
    assert_eq!(set_cookie(&forged, "antt_resume"), None);

    let kept = post_form(&w, &w.unit("29578", "/children"), xa.cookie(), &[&[("_csrf", csrf.as_str())][..], &fields[..]].concat()).await;
    assert_eq!((kept.status, kept.location()), (StatusCode::SEE_OTHER, "/login?form=kept"));
    let resume = set_cookie(&kept, "antt_resume").unwrap();
    let units = antt_store::units::children(&w.store, "29578").await.unwrap();
    assert!(!units.iter().any(|u| u.name == "Ấp Giữ Lại"), "nothing is saved before signing in again");

    // Another user signing in on that browser does not get it.
    let login = |username: &'static str| {
        let resume = resume.clone();
        let w = &w;
        async move { post_form(w, "/login", &resume, &[("username", username), ("password", PASSWORD)]).await }
    };
    assert_eq!(login("tinh").await.location(), "/");
    // Its user does: the values, with the new session's token, sent by one click.
    let signed_in = login("xa").await;
    assert_eq!(signed_in.location(), "/resume");
    let session = set_cookie(&signed_in, "antt_session").unwrap();
    let cookies = format!("{session}; {resume}");
    let request = axum::http::Request::get("/resume").header(axum::http::header::COOKIE, &cookies).body(axum::body::Body::empty()).unwrap();
    let page = common::run(&w.app, request).await;
    page.has("Ấp Giữ Lại").has(&format!("action=\"{}\"", w.unit("29578", "/children"))).lacks(&format!("value=\"{csrf}\""));
    let new_csrf = page.text.split("data-csrf=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    assert_ne!(new_csrf, csrf);
    let saved = post_form(&w, &w.unit("29578", "/children"), &session, &[&[("_csrf", new_csrf.as_str())][..], &fields[..]].concat()).await;
    assert_eq!((saved.status, saved.location()), (StatusCode::SEE_OTHER, w.unit("29578", "/children").as_str()));
    assert!(set_cookie(&saved, "antt_flash").is_some_and(|c| c.contains("%C4%90%C3%A3+l%C6%B0u")), "{:?}", saved.headers);
    let units = antt_store::units::children(&w.store, "29578").await.unwrap();
    assert!(units.iter().any(|u| u.name == "Ấp Giữ Lại"));
    // Shown once.
    let request = axum::http::Request::get("/resume").header(axum::http::header::COOKIE, &cookies).body(axum::body::Body::empty()).unwrap();
    assert_eq!(common::run(&w.app, request).await.location(), "/");
}
