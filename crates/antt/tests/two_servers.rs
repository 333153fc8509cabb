//! Two `antt serve` processes on one database: sessions live in the database, so a user signed
//! in on one server is signed in on the other, and signing out on one ends the session on both;
//! sign-in attempts are counted in the database, so guesses spread over both servers add up.
//! Runs on SQLite by default and on PostgreSQL when ANTT_TEST_POSTGRES names a server.

use std::process::Command;

use antt_core::access::Role;

mod common;

use common::{Person, http, serve};

fn session_cookie(head: &str) -> String {
    head.lines()
        .find_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned()
}

#[test]
fn a_session_started_on_one_server_works_and_ends_on_the_other() {
    let tinh = Person { username: "tinh", full_name: "Thường trực tỉnh", password: "mat-khau-hai-may", role: Some(Role::Admin) };
    let database = common::database(&[tinh]);
    // The explicit step a PostgreSQL deployment runs before starting its servers.
    let migrate = Command::new(env!("CARGO_BIN_EXE_antt")).args(["migrate", "--database", &database]).output().expect("antt migrate");
    assert!(migrate.status.success(), "{}", String::from_utf8_lossy(&migrate.stderr));

    let a = serve(&database);
    let b = serve(&database);
    assert_ne!(a.address, b.address);

    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let (status, head, _) = http(&a.address, "POST", "/login", &form, "username=tinh&password=mat-khau-hai-may");
    assert_eq!(status, 303, "{head}");
    let cookie = session_cookie(&head);

    // Signed in on A, the same cookie works on B.
    let (status, _, page) = http(&b.address, "GET", "/", &[("Cookie", &cookie)], "");
    assert_eq!(status, 200);
    assert!(page.contains("Thường trực tỉnh"), "{page}");
    let csrf = page.split("data-csrf=\"").nth(1).and_then(|s| s.split('"').next()).expect("the page carries its CSRF token").to_owned();

    // Signing out on B ends the session on A too.
    let logout = [("Cookie", cookie.as_str()), ("Content-Type", "application/x-www-form-urlencoded"), ("Sec-Fetch-Site", "same-origin")];
    let (status, _, _) = http(&b.address, "POST", "/logout", &logout, &format!("_csrf={csrf}"));
    assert_eq!(status, 303);
    let (status, head, _) = http(&a.address, "GET", "/", &[("Cookie", &cookie)], "");
    assert_eq!(status, 303, "a session ended on one server is over on the other: {head}");
    assert!(head.to_lowercase().contains("location: /login"), "{head}");

    // Wrong passwords on A count on B: the sixth attempt from this address waits, right or not.
    for _ in 0..5 {
        let (status, _, _) = http(&a.address, "POST", "/login", &form, "username=tinh&password=doan-sai");
        assert_eq!(status, 401);
    }
    let (status, _, page) = http(&b.address, "POST", "/login", &form, "username=tinh&password=mat-khau-hai-may");
    assert_eq!(status, 429, "{page}");
    assert!(page.contains("Có quá nhiều lần đăng nhập không thành công từ địa chỉ mạng này"), "{page}");
}
