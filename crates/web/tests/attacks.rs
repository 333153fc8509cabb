//! What an attacker would try: a cross-site form post, a session reused after logout, script
//! tags and SQL metacharacters in text, a body far too large, ids of another subtree, guessing
//! passwords in parallel and probing which user names exist.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{PASSWORD, run, world};

const HOSTILE: &str = "<script>alert('x')</script>'; DROP TABLE units; --";

/// Signs in by hand and returns the session cookie (the tests below need to forge requests).
async fn cookie(app: &axum::Router, username: &str) -> String {
    let body = serde_urlencoded::to_string([("username", username), ("password", PASSWORD)]).unwrap();
    let request = Request::post("/login").header(header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(Body::from(body)).unwrap();
    let page = run(app, request).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    page.headers[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned()
}

fn form_post(uri: &str, cookie: &str) -> axum::http::request::Builder {
    Request::post(uri).header(header::COOKIE, cookie).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
}

#[tokio::test]
async fn a_cross_site_form_post_is_refused_even_with_a_valid_session() {
    let w = world().await;
    let xa = w.sign_in("xa").await;
    let page = xa.get(&w.unit("ap-hoa", "/facts/incidents")).await;
    let csrf = page.text.split("data-csrf=\"").nth(1).and_then(|s| s.split('"').next()).unwrap().to_owned();
    let session = cookie(&w.app, "xa").await;
    let body = serde_urlencoded::to_string([("_csrf", csrf.as_str()), ("kind", "crime"), ("occurred_on", "01/07/2013")]).unwrap();
    let uri = w.unit("ap-hoa", "/facts/incidents");
    let cross = form_post(&uri, &session).header("sec-fetch-site", "cross-site").body(Body::from(body.clone())).unwrap();
    let page = run(&w.app, cross).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.text.contains("Yêu cầu từ trang web khác bị từ chối"));
    let other_origin = form_post(&uri, &session)
        .header(header::ORIGIN, "http://evil.example")
        .header(header::HOST, "antt.local")
        .body(Body::from(body))
        .unwrap();
    assert_eq!(run(&w.app, other_origin).await.status, StatusCode::FORBIDDEN);
    // Without the session's CSRF token a same-site post is refused too.
    let body = serde_urlencoded::to_string([("kind", "crime"), ("occurred_on", "01/07/2013")]).unwrap();
    let no_token = form_post(&uri, &session).header("sec-fetch-site", "same-origin").body(Body::from(body)).unwrap();
    assert_eq!(run(&w.app, no_token).await.status, StatusCode::FORBIDDEN);
    let list = antt_store::facts::list(&w.store, &w.campaign, "ap-hoa", antt_core::fact::FactKind::Incidents).await.unwrap();
    assert!(list.is_empty(), "nothing was written");
}

#[tokio::test]
async fn a_session_is_over_after_logout() {
    let w = world().await;
    let session = cookie(&w.app, "tinh").await;
    let home = run(&w.app, Request::get("/").header(header::COOKIE, &session).body(Body::empty()).unwrap()).await;
    assert_eq!(home.status, StatusCode::OK);
    let csrf = home.text.split("data-csrf=\"").nth(1).and_then(|s| s.split('"').next()).unwrap().to_owned();
    let body = format!("_csrf={csrf}");
    let logout = form_post("/logout", &session).header("sec-fetch-site", "same-origin").body(Body::from(body)).unwrap();
    assert_eq!(run(&w.app, logout).await.status, StatusCode::SEE_OTHER);
    let again = run(&w.app, Request::get("/").header(header::COOKIE, &session).body(Body::empty()).unwrap()).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(again.location(), "/login");
}

#[tokio::test]
async fn script_tags_and_sql_metacharacters_are_stored_as_text_and_shown_escaped() {
    let w = world().await;
    let xa = w.sign_in("xa").await;
    let uri = w.unit("ap-hoa", "/facts/incidents");
    let fields = [
        ("kind", "crime"),
        ("occurred_on", "01/07/2013"),
        ("severity", "it_nghiem_trong"),
        ("in_territory", "1"),
        ("by_own_people", "0"),
        ("force_majeure", "0"),
        ("reported_promptly", "1"),
        ("note", HOSTILE),
    ];
    let saved = xa.post(&uri, &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    let list = antt_store::facts::list(&w.store, &w.campaign, "ap-hoa", antt_core::fact::FactKind::Incidents).await.unwrap();
    let antt_core::fact::Fact::Incident(stored) = &list[0].fact else { panic!("an incident: {:?}", list[0]) };
    assert_eq!(stored.note.as_deref(), Some(HOSTILE), "stored exactly as typed");
    assert!(antt_store::units::get(&w.store, "ap-hoa").await.unwrap().is_some(), "the units table is still there");
    let page = xa.get(&uri).await;
    page.has("&#60;script&#62;alert(").lacks("<script>alert(");
    // The unit page shows the note inside the verdict's reasons, escaped as well.
    xa.get(&w.unit("ap-hoa", "")).await.lacks("<script>alert(");
    // Search with metacharacters finds nothing and breaks nothing.
    let search = xa.get("/units/search?q=%27%3B%20DROP%20TABLE%20units%3B%20--%25_").await;
    assert_eq!(search.status, StatusCode::OK);
}

#[tokio::test]
async fn a_body_far_too_large_is_refused_before_it_is_read() {
    let w = world().await;
    let session = cookie(&w.app, "xa").await;
    let huge = "a".repeat(12 * 1024 * 1024);
    let body = format!("note={huge}");
    let request = form_post(&w.unit("ap-hoa", "/facts/incidents"), &session)
        .header("sec-fetch-site", "same-origin")
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from(body))
        .unwrap();
    let page = run(&w.app, request).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", page.text);
}

#[tokio::test]
async fn ids_of_another_subtree_in_addresses_reveal_nothing() {
    let w = world().await;
    let xa = w.sign_in("xa").await;
    for uri in [w.unit("ap-ngu", ""), w.unit("ap-ngu", "/facts/incidents"), w.unit("ap-ngu", "/register"), "/units/ap-ngu".to_owned()] {
        let page = xa.get(&uri).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{uri}");
        page.lacks("Ấp Phước Ngươn");
    }
    let write = xa.post(&w.unit("ap-ngu", "/facts/commitments"), &[("group_code", "households"), ("signed", "1"), ("total", "1")]).await;
    assert_eq!(write.status, StatusCode::NOT_FOUND);
}

/// A sign-in from an address, as the server's connection loop marks it.
async fn sign_in_from(app: &axum::Router, address: [u8; 4], username: &str, password: &str) -> common::Page {
    let body = serde_urlencoded::to_string([("username", username), ("password", password)]).unwrap();
    let mut request =
        Request::post("/login").header(header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(Body::from(body)).unwrap();
    let peer = std::net::SocketAddr::from((address, 40000));
    request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
    run(app, request).await
}

#[tokio::test]
async fn guessing_passwords_makes_the_guesser_wait_not_the_owner_and_says_nothing_of_the_name() {
    let w = world().await;
    // Forty guesses at once from one address: five are checked, the rest wait.
    let guesses = (0..40).map(|i| {
        let app = w.app.clone();
        tokio::spawn(async move { sign_in_from(&app, [203, 0, 113, 9], "xa", &format!("doan-sai-{i}")).await.status })
    });
    let mut statuses = Vec::new();
    for guess in guesses.collect::<Vec<_>>() {
        statuses.push(guess.await.unwrap());
    }
    let checked = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    let waiting = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!((checked, waiting), (5, 35), "{statuses:?}");
    // The right password from the guessing address waits; from another address it signs in.
    let page = sign_in_from(&w.app, [203, 0, 113, 9], "xa", PASSWORD).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    page.has("Có quá nhiều lần đăng nhập không thành công từ địa chỉ mạng này; hãy thử lại sau ").has("value=\"xa\"");
    assert_eq!(sign_in_from(&w.app, [198, 51, 100, 7], "xa", PASSWORD).await.status, StatusCode::SEE_OTHER);

    // An unknown name gets the very same pages as a known one.
    let mut pages = Vec::new();
    for username in ["lanhdao", "khong-co-ai"] {
        let mut seen = Vec::new();
        for _ in 0..6 {
            let page = sign_in_from(&w.app, [192, 0, 2, 44], username, "doan-sai").await;
            let error = page.text.split("role=\"alert\"").nth(1).and_then(|s| s.split('<').next()).unwrap_or_default();
            // The time to wait differs by the moment each name was first tried.
            seen.push((page.status, error.chars().map(|c| if c.is_ascii_digit() { '#' } else { c }).collect::<String>()));
        }
        pages.push(seen);
    }
    assert_eq!(pages[0], pages[1]);
    assert_eq!(pages[0][0].0, StatusCode::UNAUTHORIZED);
    assert_eq!(pages[0][5].0, StatusCode::TOO_MANY_REQUESTS);
}
