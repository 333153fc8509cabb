//! Accounts: sign-in attempts are counted atomically per (user name, client) and per client,
//! so parallel guesses get no more checks than the limit and the guessing client waits while
//! the owner signs in from elsewhere; unknown and known names get the same answers; accounts
//! are created within one's subtree with a good password; API tokens expire and are listed and
//! revoked by their owner and by an admin above them; the demo's accounts are found and
//! disabled; an account-wide count slows guesses spread over many addresses without locking the
//! owner out; one-time codes expire; a second factor is enrolled, confirmed, asked for, guessed
//! no more than the limit, recovered with single-use codes and removed by an admin. On SQLite by default and on PostgreSQL when ANTT_TEST_POSTGRES names a server.

// A test stops at the first surprise, with the value that caused it.
#![allow(clippy::unwrap_used)]

use std::net::{IpAddr, Ipv4Addr};

use antt_app::accounts::{
    ATTEMPTS_PER_ACCOUNT, ATTEMPTS_PER_ACCOUNT_AND_CLIENT, ATTEMPTS_PER_CLIENT, By, Client, NewAccount, ONE_TIME_CODE_HOURS, Refusal,
};
use antt_app::second_factor::{CODE_ATTEMPTS_PER_ACCOUNT_AND_CLIENT, RECOVERY_CODES, must_enrol};
use antt_app::{Actor, App, Error};
use antt_core::access::Role;
use antt_core::totp;
use antt_store::units::NewUnit;
use antt_store::{audit, testing, units, users};

const PASSWORD: &str = "mat-khau-thu-nghiem";

fn unit(id: &str, name: &str, unit_type: &str, parent: Option<&str>) -> NewUnit {
    NewUnit { id: id.into(), name: name.into(), unit_type: unit_type.into(), parent_id: parent.map(Into::into), ..NewUnit::default() }
}

fn client(last: u8) -> Client {
    Client::from_ip(IpAddr::V4(Ipv4Addr::new(192, 0, 2, last)))
}

/// A province with two districts; the province's admin `tinh`, the admin `huyen` of district
/// 857 and a commune user `xa` of 29578 in it.
async fn world() -> (App, Actor, Actor, Actor) {
    let store = testing::fresh_store().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let tree = [
        unit("86", "Tỉnh Vĩnh Long", "province", None),
        unit("857", "Huyện Long Hồ", "district", Some("86")),
        unit("29578", "Xã Đồng Phú", "commune", Some("857")),
        unit("858", "Huyện Mang Thít", "district", Some("86")),
        unit("29600", "Xã Mỹ An", "commune", Some("858")),
    ];
    units::insert_many(&mut tx, None, &tree).await.unwrap();
    let mut ids = Vec::new();
    for (username, role, unit) in [("tinh", Role::Admin, "86"), ("huyen", Role::Admin, "857"), ("xa", Role::Commune, "29578")] {
        let id = users::create(&mut tx, None, username, &format!("Người dùng {username}"), PASSWORD).await.unwrap();
        users::grant(&mut tx, None, &id, role, unit).await.unwrap();
        ids.push(id);
    }
    tx.commit().await.unwrap();
    let mut actors = Vec::new();
    for id in ids {
        actors.push(Actor::from_user(&users::active(&store, &id).await.unwrap().unwrap()));
    }
    let xa = actors.pop().unwrap();
    let huyen = actors.pop().unwrap();
    let tinh = actors.pop().unwrap();
    (App::new(store, Vec::new()), tinh, huyen, xa)
}

#[tokio::test]
async fn forty_parallel_guesses_check_at_most_the_limit_and_only_the_guessing_client_waits() {
    let (app, ..) = world().await;
    let guesser = client(66);
    let guesses = (0..40).map(|i| {
        let (app, guesser) = (app.clone(), guesser.clone());
        tokio::spawn(async move { app.sign_in("xa", &format!("doan-sai-{i}"), &guesser).await.unwrap() })
    });
    let mut checked = 0;
    let mut waited = 0;
    for guess in guesses.collect::<Vec<_>>() {
        match guess.await.unwrap() {
            Err(Refusal::WrongCredentials) => checked += 1,
            Err(Refusal::TooManyAttempts { .. }) => waited += 1,
            other => panic!("a wrong password answered {other:?}"),
        }
    }
    assert_eq!((checked, waited), (ATTEMPTS_PER_ACCOUNT_AND_CLIENT, 40 - ATTEMPTS_PER_ACCOUNT_AND_CLIENT));

    // The right password from the guessing client waits too; from another address the owner
    // signs in, and that does not reopen the door for the guesser.
    let from_guesser = app.sign_in("xa", PASSWORD, &guesser).await.unwrap();
    let Err(Refusal::TooManyAttempts { until }) = from_guesser else { panic!("{from_guesser:?}") };
    let wait = Refusal::TooManyAttempts { until }.retry_after().unwrap();
    assert!(wait > 0 && wait <= 15 * 60, "{wait}");
    let owner = app.sign_in("XA", PASSWORD, &client(7)).await.unwrap();
    assert_eq!(owner.map(|u| u.username), Ok("xa".to_owned()));
    assert!(matches!(app.sign_in("xa", PASSWORD, &guesser).await.unwrap(), Err(Refusal::TooManyAttempts { .. })));
    // An address may make only so many attempts in a window on all names together. How many of
    // the forty counted depends on how many read the limits before the name's was reached (one
    // refused there is not counted), so the guesser goes on with other names until it waits:
    // within the client's limit, and then for every account, while the others do not wait at all.
    let mut more = 0;
    while !matches!(app.sign_in(&format!("ten-khac-{more}"), "doan-sai", &guesser).await.unwrap(), Err(Refusal::TooManyAttempts { .. })) {
        more += 1;
        assert!(more <= ATTEMPTS_PER_CLIENT - checked, "the client's limit was not enforced after {more} more attempts");
    }
    assert!(matches!(app.sign_in("tinh", PASSWORD, &guesser).await.unwrap(), Err(Refusal::TooManyAttempts { .. })));
    assert!(app.sign_in("tinh", PASSWORD, &client(8)).await.unwrap().is_ok());
}

#[tokio::test]
async fn unknown_and_known_user_names_get_the_same_answers() {
    let (app, ..) = world().await;
    let mut answers = Vec::new();
    for username in ["xa", "khong-co-ai"] {
        let mut seen = Vec::new();
        for _ in 0..=ATTEMPTS_PER_ACCOUNT_AND_CLIENT {
            seen.push(match app.sign_in(username, "doan-sai", &client(9)).await.unwrap() {
                Err(Refusal::WrongCredentials) => "wrong",
                Err(Refusal::TooManyAttempts { .. }) => "wait",
                Ok(_) => "signed in",
                Err(_) => "other",
            });
        }
        answers.push(seen);
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0].last(), Some(&"wait"));
}

#[tokio::test]
async fn a_right_password_does_not_count_against_its_client() {
    let (app, ..) = world().await;
    let office = client(20);
    // Many people behind one address sign in all day: only wrong passwords count.
    for _ in 0..3 * ATTEMPTS_PER_ACCOUNT_AND_CLIENT {
        assert!(app.sign_in("xa", PASSWORD, &office).await.unwrap().is_ok());
    }
    for _ in 0..ATTEMPTS_PER_ACCOUNT_AND_CLIENT - 1 {
        assert_eq!(app.sign_in("xa", "sai", &office).await.unwrap().err(), Some(Refusal::WrongCredentials));
    }
    // A success clears the (name, client) count: the owner who mistyped is not made to wait.
    assert!(app.sign_in("xa", PASSWORD, &office).await.unwrap().is_ok());
    for _ in 0..ATTEMPTS_PER_ACCOUNT_AND_CLIENT {
        assert_eq!(app.sign_in("xa", "sai", &office).await.unwrap().err(), Some(Refusal::WrongCredentials));
    }
}

fn account(username: &str, password: &str, role: Role, unit: &str) -> NewAccount {
    NewAccount {
        username: username.into(),
        full_name: format!("Cán bộ {username}"),
        password: Some(password.into()),
        role,
        unit_id: unit.into(),
    }
}

const GOOD: &str = "trâu cày ruộng sâu lúc bình minh";

#[tokio::test]
async fn accounts_are_created_within_ones_subtree_with_a_good_password() {
    let (app, tinh, huyen, xa) = world().await;
    // The operator creates the first admin anywhere.
    let id = app.create_account(By::Operator, &account("quantri", GOOD, Role::Admin, "86")).await.unwrap().id;
    assert_eq!(app.sign_in("quantri", GOOD, &client(1)).await.unwrap().map(|u| u.id), Ok(id));
    // A district admin creates users of its communes, not of the other district.
    app.create_account(By::User(&huyen), &account("xa-dong-phu", GOOD, Role::Commune, "29578")).await.unwrap();
    let outside = app.create_account(By::User(&huyen), &account("xa-my-an", GOOD, Role::Commune, "29600")).await;
    assert!(matches!(outside, Err(Error::NotFound(_))), "{outside:?}");
    let above = app.create_account(By::User(&huyen), &account("tinh-2", GOOD, Role::Admin, "86")).await;
    assert!(matches!(above, Err(Error::NotFound(_))), "{above:?}");
    // A commune user manages nobody.
    let commune = app.create_account(By::User(&xa), &account("ap-1", GOOD, Role::UnitHead, "29578")).await;
    assert!(matches!(commune, Err(Error::Forbidden(_))), "{commune:?}");
    // Weak passwords and bad names are refused field by field, with what was wrong.
    let refused = |r: antt_app::Result<antt_app::accounts::Created>| match r {
        Err(Error::Invalid { fields, .. }) => fields.0,
        other => panic!("{other:?}"),
    };
    let short = refused(app.create_account(By::User(&tinh), &account("ngan", "ngan-qua", Role::Viewer, "86")).await);
    assert_eq!(short["password"], "Mật khẩu cần ít nhất 12 ký tự (mới có 8).");
    let common = refused(app.create_account(By::User(&tinh), &account("pho-bien", "password1234", Role::Viewer, "86")).await);
    assert!(common["password"].starts_with("Mật khẩu quá dễ đoán"), "{common:?}");
    let named = refused(app.create_account(By::User(&tinh), &account("nguyenvana", "Nguyenvana2024!", Role::Viewer, "86")).await);
    assert_eq!(named["password"], "Mật khẩu không được dựa trên tên đăng nhập.");
    let taken = refused(app.create_account(By::User(&tinh), &account("Xa", GOOD, Role::Viewer, "86")).await);
    assert_eq!(taken["username"], "Tên đăng nhập “xa” đã có.");
    let spaced = refused(app.create_account(By::User(&tinh), &account("cán bộ", GOOD, Role::Viewer, "86")).await);
    assert!(spaced["username"].starts_with("Tên đăng nhập chỉ gồm chữ a–z"), "{spaced:?}");
    // Every creation is in the audit log under the unit of the grant.
    let filter = audit::Filter { scope_path: Some("/86/857/".into()), action: Some("grant".into()), ..audit::Filter::default() };
    let (entries, _) = audit::list(app.store(), &filter, 1, 50).await.unwrap();
    assert!(entries.iter().any(|e| e.user.as_deref() == Some("huyen") && e.unit_id.as_deref() == Some("29578")), "{entries:?}");
}

#[tokio::test]
async fn tokens_expire_and_are_listed_and_revoked_by_their_owner_and_the_admin_above() {
    let (app, tinh, huyen, xa) = world().await;
    let xa_user = users::active(app.store(), &xa.user_id).await.unwrap().unwrap();
    let (first, token) = app.create_token(&xa_user, "Phần mềm xã", None).await.unwrap();
    let days = (chrono::DateTime::parse_from_rfc3339(&first.expires_at).unwrap() - chrono::Utc::now().fixed_offset()).num_days();
    assert!((89..=90).contains(&days), "{days}");
    assert_eq!(users::api_user(app.store(), &token).await.unwrap().map(|u| u.username), Some("xa".to_owned()));
    let listed = app.tokens(&xa, &xa.user_id).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].last_used_at.is_some(), "the use above is recorded");
    // The district admin above sees and revokes it; the token then stops working.
    assert_eq!(app.tokens(&huyen, &xa.user_id).await.unwrap().len(), 1);
    assert!(app.revoke_token(&huyen, &first.id).await.unwrap().revoked);
    assert!(users::api_user(app.store(), &token).await.unwrap().is_none());
    // Nobody reaches above their grant: the commune cannot see the province admin's tokens.
    let tinh_user = users::active(app.store(), &tinh.user_id).await.unwrap().unwrap();
    let (theirs, _) = app.create_token(&tinh_user, "Tổng hợp tỉnh", Some(1)).await.unwrap();
    assert!(matches!(app.tokens(&xa, &tinh.user_id).await, Err(Error::NotFound(_))));
    assert!(matches!(app.revoke_token(&xa, &theirs.id).await, Err(Error::NotFound(_))));
    assert!(matches!(app.tokens(&huyen, &tinh.user_id).await, Err(Error::NotFound(_))));
    app.create_token(&xa_user, "Phần mềm xã 2", None).await.unwrap();
    let tinh_over_xa = app.tokens(&tinh, &xa.user_id).await.unwrap();
    assert_eq!(tinh_over_xa.iter().filter(|t| !t.revoked).count(), 1);
    // Out of range lifetimes and names are refused.
    let long = app.create_token(&xa_user, &"x".repeat(101), Some(400)).await;
    let Err(Error::Invalid { fields, .. }) = long else { panic!("{long:?}") };
    assert_eq!((fields.get("name"), fields.get("expires_in_days")), (Some("Tối đa 100 ký tự."), Some("Từ 1 đến 365 ngày.")));
    // An expired token is refused.
    let mut tx = app.store().begin().await.unwrap();
    let (_, old) = users::create_api_token(&mut tx, &xa.user_id, "cũ", "2020-01-01T00:00:00.000Z", None).await.unwrap();
    tx.commit().await.unwrap();
    assert!(users::api_user(app.store(), &old).await.unwrap().is_none());
    let (entries, _) =
        audit::list(app.store(), &audit::Filter { entity: Some("api_token".into()), ..Default::default() }, 1, 50).await.unwrap();
    assert!(entries.iter().any(|e| e.action == "revoke" && e.user.as_deref() == Some("huyen")), "{entries:?}");
}

#[tokio::test]
async fn the_demo_accounts_with_the_demo_password_are_found_and_disabled() {
    let (app, ..) = world().await;
    let mut tx = app.store().begin().await.unwrap();
    users::create(&mut tx, None, "ap", "Trưởng ấp (minh họa)", antt_app::demo::PASSWORD).await.unwrap();
    users::create(&mut tx, None, "xem", "Lãnh đạo", GOOD).await.unwrap();
    tx.commit().await.unwrap();
    // Of the demo's user names, `tinh`, `huyen`, `xa` and `xem` have passwords of their own.
    assert_eq!(antt_app::demo::open_accounts(app.store()).await.unwrap(), ["ap"]);
    assert_eq!(antt_app::demo::disable_open_accounts(app.store()).await.unwrap(), ["ap"]);
    assert!(antt_app::demo::open_accounts(app.store()).await.unwrap().is_empty());
    assert_eq!(app.sign_in("ap", antt_app::demo::PASSWORD, &client(3)).await.unwrap().err(), Some(Refusal::WrongCredentials));
    let (entries, _) =
        audit::list(app.store(), &audit::Filter { action: Some("disable".into()), ..Default::default() }, 1, 50).await.unwrap();
    assert_eq!(entries.len(), 1);
}

#[tokio::test]
async fn a_user_changes_their_password_with_the_current_one_and_other_sessions_end() {
    let (app, _, _, xa) = world().await;
    let here = users::start_session(app.store(), &xa.user_id).await.unwrap();
    let elsewhere = users::start_session(app.store(), &xa.user_id).await.unwrap();
    let refused = |r: antt_app::Result<()>| match r {
        Err(Error::Invalid { fields, .. }) => fields.0,
        other => panic!("{other:?}"),
    };
    let wrong = refused(app.change_password(&xa, "khong-dung", GOOD, Some(&here)).await);
    assert_eq!(wrong["current_password"], "Mật khẩu hiện tại không đúng.");
    let weak = refused(app.change_password(&xa, PASSWORD, "xa-xa-xa-xa-xa", Some(&here)).await);
    assert!(weak["new_password"].starts_with("Mật khẩu quá dễ đoán"), "{weak:?}");
    assert!(!weak.contains_key("current_password"), "{weak:?}");
    app.change_password(&xa, PASSWORD, GOOD, Some(&here)).await.unwrap();
    assert!(users::session(app.store(), &here).await.unwrap().is_some(), "the session that changed it stays");
    assert!(users::session(app.store(), &elsewhere).await.unwrap().is_none(), "other sessions end");
    assert_eq!(app.sign_in("xa", PASSWORD, &client(30)).await.unwrap().err(), Some(Refusal::WrongCredentials));
    assert!(app.sign_in("xa", GOOD, &client(30)).await.unwrap().is_ok());
    // Guessing the current password through an open session is counted too.
    for _ in 0..ATTEMPTS_PER_ACCOUNT_AND_CLIENT {
        refused(app.change_password(&xa, "doan-sai", "mot cau khac hoan toan dai", None).await);
    }
    let waiting = refused(app.change_password(&xa, GOOD, "mot cau khac hoan toan dai", None).await);
    assert!(waiting["current_password"].starts_with("Đã nhập sai mật khẩu hiện tại quá nhiều lần"), "{waiting:?}");
    let (entries, _) =
        audit::list(app.store(), &audit::Filter { action: Some("set_password".into()), ..Default::default() }, 1, 50).await.unwrap();
    assert_eq!(entries.len(), 1);
}

#[tokio::test]
async fn an_admin_manages_the_users_of_its_subtree_and_nobody_above() {
    let (app, tinh, huyen, xa) = world().await;
    // A district admin creates a commune user: a one-time code, to be changed at first sign-in.
    let input = NewAccount {
        username: "xa-moi".into(),
        full_name: "Cán bộ xã mới".into(),
        password: None,
        role: Role::Commune,
        unit_id: "29578".into(),
    };
    let created = app.create_account(By::User(&huyen), &input).await.unwrap();
    let code = created.one_time_code.unwrap().code;
    let signed_in = app.sign_in("xa-moi", &code, &client(50)).await.unwrap().unwrap();
    assert!(signed_in.must_change_password);
    assert!(matches!(app.create_token(&signed_in, "x", None).await, Err(Error::Forbidden(_))));
    let newcomer = Actor::from_user(&signed_in);
    app.change_password(&newcomer, &code, GOOD, None).await.unwrap();
    assert!(!app.sign_in("xa-moi", GOOD, &client(50)).await.unwrap().unwrap().must_change_password);

    // The district admin lists its subtree's users, not the province's admin.
    let names: Vec<String> = app.accounts_in(&huyen, "857").await.unwrap().into_iter().map(|u| u.username).collect();
    assert_eq!(names, ["huyen", "xa", "xa-moi"]);
    assert!(matches!(app.accounts_in(&huyen, "86").await, Err(Error::NotFound(_))));
    assert!(matches!(app.managed(&huyen, &tinh.user_id).await, Err(Error::NotFound(_))));

    // Grants: inside one's subtree only; the last grant stays.
    app.grant_role(&huyen, &created.id, Role::Viewer, "857").await.unwrap();
    assert!(matches!(app.grant_role(&huyen, &created.id, Role::Admin, "86").await, Err(Error::NotFound(_))));
    assert!(matches!(app.grant_role(&huyen, &created.id, Role::Viewer, "29600").await, Err(Error::NotFound(_))));
    // Now with a grant at 857 and one at 29578, still inside the district: the district admin
    // manages it; the commune user manages nobody.
    assert!(matches!(app.reset_password(&xa, &created.id).await, Err(Error::Forbidden(_))));
    app.withdraw_role(&huyen, &created.id, Role::Viewer, "857").await.unwrap();
    let last = app.withdraw_role(&huyen, &created.id, Role::Commune, "29578").await;
    assert!(matches!(&last, Err(Error::Invalid { message, .. }) if message.starts_with("Không bỏ được quyền cuối cùng")), "{last:?}");
    // A user with a grant beyond the district is beyond the district admin, though also inside.
    app.grant_role(&tinh, &xa.user_id, Role::Viewer, "86").await.unwrap();
    assert!(matches!(app.managed(&huyen, &xa.user_id).await, Err(Error::Forbidden(_))));

    // Sessions end; a reset gives a new code and ends them too; disabling stops everything.
    let session = users::start_session(app.store(), &created.id).await.unwrap();
    assert_eq!(app.managed(&huyen, &created.id).await.unwrap().sessions.len(), 1);
    assert_eq!(app.end_sessions(&huyen, &created.id).await.unwrap(), 1);
    assert!(users::session(app.store(), &session).await.unwrap().is_none());
    let again = app.reset_password(&huyen, &created.id).await.unwrap().code;
    assert_ne!(again, code);
    assert!(app.sign_in("xa-moi", &again, &client(51)).await.unwrap().unwrap().must_change_password);
    let session = users::start_session(app.store(), &created.id).await.unwrap();
    app.disable_account(&huyen, &created.id).await.unwrap();
    assert!(users::session(app.store(), &session).await.unwrap().is_none());
    assert_eq!(app.sign_in("xa-moi", &again, &client(52)).await.unwrap().err(), Some(Refusal::WrongCredentials));
    assert!(app.managed(&huyen, &created.id).await.unwrap().user.disabled, "a disabled account is still listed");
    assert!(matches!(app.disable_account(&huyen, &huyen.user_id).await, Err(Error::Forbidden(_))), "not oneself");

    // Every action is audited under the user's unit, by the district admin.
    let filter = audit::Filter { scope_path: Some("/86/857/".into()), user: Some("huyen".into()), ..audit::Filter::default() };
    let (entries, _) = audit::list(app.store(), &filter, 1, 100).await.unwrap();
    let mut actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    actions.sort_unstable();
    actions.dedup();
    assert_eq!(actions, ["create", "disable", "end_sessions", "grant", "set_password", "withdraw"]);
}

#[tokio::test]
async fn withdrawals_at_once_never_take_the_last_grant() {
    let (app, _, huyen, _) = world().await;
    let input = NewAccount {
        username: "nhieu-quyen".into(),
        full_name: "Nhiều quyền".into(),
        password: None,
        role: Role::Viewer,
        unit_id: "857".into(),
    };
    let id = app.create_account(By::User(&huyen), &input).await.unwrap().id;
    let grants: Vec<(Role, &str)> = Role::ALL.iter().flat_map(|r| [(*r, "857"), (*r, "29578")]).collect();
    for (role, unit) in &grants {
        app.grant_role(&huyen, &id, *role, unit).await.unwrap();
    }
    // Twelve withdrawals at once, of every grant the user has: all but one succeed.
    let withdrawals = grants.iter().map(|(role, unit)| {
        let (app, huyen, id, role, unit) = (app.clone(), huyen.clone(), id.clone(), *role, unit.to_string());
        tokio::spawn(async move { app.withdraw_role(&huyen, &id, role, &unit).await.is_ok() })
    });
    let mut done = 0;
    for w in withdrawals.collect::<Vec<_>>() {
        done += usize::from(w.await.unwrap());
    }
    assert_eq!(done, grants.len() - 1);
    assert_eq!(users::listed(app.store(), &id).await.unwrap().unwrap().grants.len(), 1);
}

#[tokio::test]
async fn guesses_spread_over_many_addresses_slow_down_but_the_owner_still_signs_in() {
    let (app, ..) = world().await;
    // Up to the account-wide limit, each address has its usual attempts.
    let per_client = usize::try_from(ATTEMPTS_PER_ACCOUNT_AND_CLIENT).unwrap();
    let spread = usize::try_from(ATTEMPTS_PER_ACCOUNT).unwrap() / per_client;
    for address in 0..spread {
        for i in 0..per_client {
            let answer = app.sign_in("xa", &format!("sai-{i}"), &client(100 + u8::try_from(address).unwrap())).await.unwrap();
            assert_eq!(answer.err(), Some(Refusal::WrongCredentials));
        }
    }
    // Beyond it, a new address gets one attempt, not five.
    let late = client(150);
    assert_eq!(app.sign_in("xa", "sai-nua", &late).await.unwrap().err(), Some(Refusal::WrongCredentials));
    assert!(matches!(app.sign_in("xa", "sai-nua-nua", &late).await.unwrap(), Err(Refusal::TooManyAttempts { .. })));
    assert!(matches!(app.sign_in("xa", PASSWORD, &late).await.unwrap(), Err(Refusal::TooManyAttempts { .. })));
    // The owner, from an address of their own, signs in with the right password.
    assert_eq!(app.sign_in("xa", PASSWORD, &client(151)).await.unwrap().unwrap().username, "xa");
    // Another account is not slowed down.
    for _ in 0..ATTEMPTS_PER_ACCOUNT_AND_CLIENT {
        assert_eq!(app.sign_in("huyen", "sai", &client(152)).await.unwrap().err(), Some(Refusal::WrongCredentials));
    }
}

#[tokio::test]
async fn one_time_codes_work_for_a_day_and_then_are_refused_as_expired() {
    let (app, _, huyen, _) = world().await;
    let input = NewAccount {
        username: "xa-het-han".into(),
        full_name: "Cán bộ xã".into(),
        password: None,
        role: Role::Commune,
        unit_id: "29578".into(),
    };
    let created = app.create_account(By::User(&huyen), &input).await.unwrap();
    let code = created.one_time_code.unwrap();
    let expires = chrono::DateTime::parse_from_rfc3339(&code.expires_at).unwrap().with_timezone(&chrono::Utc);
    let hours = (expires - chrono::Utc::now()).num_minutes() as f64 / 60.0;
    assert!((f64::from(u32::try_from(ONE_TIME_CODE_HOURS).unwrap()) - hours).abs() < 0.1, "{hours} hours");
    assert!(app.sign_in("xa-het-han", &code.code, &client(60)).await.unwrap().is_ok());

    // A day later: the right code is refused as expired, a wrong one as wrong.
    sqlx::query("UPDATE users SET password_expires_at = '2000-01-01T00:00:00.000Z' WHERE username = 'xa-het-han'")
        .execute(app.store().pool())
        .await
        .unwrap();
    assert_eq!(app.sign_in("xa-het-han", &code.code, &client(60)).await.unwrap().err(), Some(Refusal::CodeExpired));
    assert_eq!(app.sign_in("xa-het-han", "sai-ma", &client(60)).await.unwrap().err(), Some(Refusal::WrongCredentials));
    // A reset gives a new day; a password the user chose never expires.
    let again = app.reset_password(&huyen, &created.id).await.unwrap();
    let user = app.sign_in("xa-het-han", &again.code, &client(60)).await.unwrap().unwrap();
    app.change_password(&Actor::from_user(&user), &again.code, GOOD, None).await.unwrap();
    let user = app.sign_in("xa-het-han", GOOD, &client(60)).await.unwrap().unwrap();
    assert_eq!((user.must_change_password, user.password_expires_at), (false, None));
}

/// A six-digit code that is none of the codes the secret accepts around now.
fn wrong_code(secret: &[u8], i: u32) -> String {
    let now = totp::step_at(chrono::Utc::now().timestamp());
    let near: Vec<String> = (now - 2..=now + 2).map(|s| totp::code(secret, s)).collect();
    (i..).map(|n| format!("{:06}", (n * 7919) % 1_000_000)).find(|c| !near.contains(c)).unwrap()
}

#[tokio::test]
async fn a_second_factor_is_confirmed_asked_for_recovered_once_and_removed_by_an_admin() {
    let (app, tinh, huyen, xa) = world().await;
    let here = client(70);
    // Enrolment keeps one secret until confirmed; the URI names the account.
    let enrolment = app.enrolment(&xa).await.unwrap();
    assert_eq!(app.enrolment(&xa).await.unwrap(), enrolment);
    assert!(enrolment.uri.starts_with(&format!("otpauth://totp/ANTT:xa?secret={}&", enrolment.secret)), "{}", enrolment.uri);
    let secret = totp::from_base32(&enrolment.secret).unwrap();
    assert_eq!(secret.len(), totp::SECRET_BYTES);
    // Not yet on: the password alone signs in.
    assert!(!app.sign_in("xa", PASSWORD, &here).await.unwrap().unwrap().second_factor);
    let wrong = app.confirm_second_factor(&xa, &wrong_code(&secret, 1), &here).await;
    assert!(matches!(&wrong, Err(Error::Invalid { fields, .. }) if fields.0.contains_key("code")), "{wrong:?}");
    assert_eq!(app.second_factor_status(&xa).await.unwrap(), None);

    let step = totp::step_at(chrono::Utc::now().timestamp());
    let codes = app.confirm_second_factor(&xa, &totp::code(&secret, step), &here).await.unwrap();
    assert_eq!(codes.len(), RECOVERY_CODES);
    assert_eq!(app.second_factor_status(&xa).await.unwrap(), Some(i64::try_from(RECOVERY_CODES).unwrap()));
    assert!(matches!(app.enrolment(&xa).await, Err(Error::Invalid { .. })), "no second enrolment while on");

    // Sign-in: the password, then a code; the code of the step already used is refused.
    let user = app.sign_in("xa", PASSWORD, &here).await.unwrap().unwrap();
    assert!(user.second_factor);
    assert_eq!(app.second_factor(&user.id, &totp::code(&secret, step), &here).await.unwrap().err(), Some(Refusal::WrongCode));
    let next = totp::code(&secret, step + 1);
    assert_eq!(app.second_factor(&user.id, &format!("{} {}", &next[..3], &next[3..]), &here).await.unwrap().unwrap().id, xa.user_id);
    assert_eq!(app.second_factor(&user.id, &next, &here).await.unwrap().err(), Some(Refusal::WrongCode), "no replay");

    // A recovery code, however typed, works once.
    let typed = codes[0].to_uppercase().replace('-', " ");
    assert!(app.second_factor(&user.id, &typed, &here).await.unwrap().is_ok());
    assert_eq!(app.second_factor(&user.id, &codes[0], &here).await.unwrap().err(), Some(Refusal::WrongCode));
    assert_eq!(app.second_factor_status(&xa).await.unwrap(), Some(i64::try_from(RECOVERY_CODES).unwrap() - 1));
    let stored: Vec<String> = sqlx::query_scalar("SELECT code_hash FROM recovery_codes").fetch_all(app.store().pool()).await.unwrap();
    assert!(stored.iter().all(|h| h.len() == 64 && codes.iter().all(|c| !h.contains(&c.replace('-', "")))), "stored hashed");

    // The admin requirement: admins without a second factor must enrol, others need not.
    let tinh_user = users::active(app.store(), &tinh.user_id).await.unwrap().unwrap();
    assert!(must_enrol(&tinh_user, true));
    assert!(!must_enrol(&tinh_user, false));
    assert!(!must_enrol(&users::active(app.store(), &xa.user_id).await.unwrap().unwrap(), true));

    // The commune user cannot remove the district admin's; the district admin removes the
    // commune user's, audited; the password alone signs in again.
    assert!(app.reset_second_factor(&xa, &huyen.user_id).await.is_err());
    app.reset_second_factor(&huyen, &xa.user_id).await.unwrap();
    assert!(!app.sign_in("xa", PASSWORD, &here).await.unwrap().unwrap().second_factor);
    assert_eq!(app.second_factor(&xa.user_id, &codes[1], &here).await.unwrap().err(), Some(Refusal::WrongCode));
    let filter = audit::Filter { user: Some("huyen".into()), ..audit::Filter::default() };
    let (entries, _) = audit::list(app.store(), &filter, 1, 100).await.unwrap();
    assert!(entries.iter().any(|e| e.action == "reset_second_factor" && e.entity_id == xa.user_id));
    let filter = audit::Filter { user: Some("xa".into()), ..audit::Filter::default() };
    let (entries, _) = audit::list(app.store(), &filter, 1, 100).await.unwrap();
    let mut actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    actions.sort_unstable();
    assert_eq!(actions, ["enable_second_factor", "use_recovery_code"]);
}

#[tokio::test]
async fn forty_parallel_code_guesses_check_at_most_the_limit_and_the_owner_gets_in_from_elsewhere() {
    let (app, _, _, xa) = world().await;
    let here = client(80);
    let secret = totp::from_base32(&app.enrolment(&xa).await.unwrap().secret).unwrap();
    let step = totp::step_at(chrono::Utc::now().timestamp());
    app.confirm_second_factor(&xa, &totp::code(&secret, step), &here).await.unwrap();
    let guesser = client(81);
    let guesses = (0..40).map(|i| {
        let (app, guesser, id, code) = (app.clone(), guesser.clone(), xa.user_id.clone(), wrong_code(&secret, i));
        tokio::spawn(async move { app.second_factor(&id, &code, &guesser).await.unwrap() })
    });
    let mut checked = 0;
    let mut waited = 0;
    for guess in guesses.collect::<Vec<_>>() {
        match guess.await.unwrap() {
            Err(Refusal::WrongCode) => checked += 1,
            Err(Refusal::TooManyAttempts { .. }) => waited += 1,
            other => panic!("a wrong code answered {other:?}"),
        }
    }
    assert_eq!((checked, waited), (CODE_ATTEMPTS_PER_ACCOUNT_AND_CLIENT, 40 - CODE_ATTEMPTS_PER_ACCOUNT_AND_CLIENT));
    let right = totp::code(&secret, step + 1);
    assert!(matches!(app.second_factor(&xa.user_id, &right, &guesser).await.unwrap(), Err(Refusal::TooManyAttempts { .. })));
    assert!(app.second_factor(&xa.user_id, &right, &client(82)).await.unwrap().is_ok());
}
