//! Users, their (role, unit) grants, sessions and API tokens — all in the database, so any
//! number of servers can share them. Which passwords are good enough, who may manage whom and
//! how sign-in attempts are throttled is the application's (`antt_app::accounts`); this module
//! stores, hashes and checks.

use std::sync::LazyLock;

use antt_core::access::{Grant, Role};
use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use serde::Serialize;
use sqlx::Row;
use tokio::sync::Semaphore;

use crate::audit::{self, Change};
use crate::{Result, Store, StoreError, Tx, new_id, now, sha256_hex};

/// How long a session lasts without a new login.
pub const SESSION_HOURS: i64 = 12;

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: String,
    pub username: String,
    pub full_name: String,
    pub grants: Vec<Grant>,
    /// An admin reset the password: the user must choose a new one before anything else.
    pub must_change_password: bool,
    /// Until when the one-time code the user signed in with works (RFC 3339); `None` for a
    /// password the user chose.
    pub password_expires_at: Option<String>,
    /// The account has a confirmed second factor (TOTP): sign-in asks for a code too.
    pub second_factor: bool,
}

/// A stored password hash: Argon2id with the argon2 crate's defaults (m = 19 MiB, t = 2, p = 1;
/// docs/operations.md) and a random salt.
/// Passwords are hashed and checked in NFC, so the same letters typed on any keyboard match.
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(antt_core::text::nfc(password).as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Invalid(format!("không băm được mật khẩu: {e}")))
}

fn password_matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(antt_core::text::nfc(password).as_bytes(), &h).is_ok())
}

/// A hash of a password nobody types, checked when the user name is unknown or disabled, so
/// such a sign-in costs the same hash as a real one.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password("không có tài khoản này — chỉ để tốn cùng thời gian").unwrap_or_default());

/// At most one password hash per processor at a time: each takes 19 MiB and a core for tens of
/// milliseconds, and a flood of sign-ins must not starve the other requests.
static HASHING: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map(std::num::NonZero::get).unwrap_or(2)));

/// Checks a password against a hash off the async workers, one hash per processor at a time.
pub async fn verify(password: &str, hash: &str) -> Result<bool> {
    let _permit = HASHING.acquire().await.map_err(|e| StoreError::Invalid(e.to_string()))?;
    let (password, hash) = (password.to_owned(), hash.to_owned());
    tokio::task::spawn_blocking(move || password_matches(&password, &hash))
        .await
        .map_err(|e| StoreError::Invalid(format!("không kiểm tra được mật khẩu: {e}")))
}

/// Hashes a password off the async workers, one hash per processor at a time.
pub async fn hash(password: &str) -> Result<String> {
    let _permit = HASHING.acquire().await.map_err(|e| StoreError::Invalid(e.to_string()))?;
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| StoreError::Invalid(format!("không băm được mật khẩu: {e}")))?
}

/// The form user names are stored and looked up in.
pub fn normalise_username(username: &str) -> String {
    antt_core::text::nfc(username.trim()).to_lowercase()
}

/// Creates a user and returns its id.
pub async fn create(tx: &mut Tx<'_>, by: Option<&str>, username: &str, full_name: &str, password: &str) -> Result<String> {
    let hash = hash_password(password)?;
    create_hashed(tx, by, username, full_name, &hash, None, None).await
}

/// Creates a user with a password already hashed ([`hash`]) and returns its id. With
/// `one_time_until` (RFC 3339) the password is a one-time code that works until then, and the
/// user must choose a password at first sign-in. The audit record is filed under `unit_id` (the
/// unit of the user's first grant).
pub async fn create_hashed(
    tx: &mut Tx<'_>,
    by: Option<&str>,
    username: &str,
    full_name: &str,
    password_hash: &str,
    one_time_until: Option<&str>,
    unit_id: Option<&str>,
) -> Result<String> {
    let username = normalise_username(username);
    let full_name = antt_core::text::nfc(full_name.trim()).into_owned();
    if username.is_empty() || full_name.is_empty() {
        return Err(StoreError::Invalid("cần tên đăng nhập và họ tên".into()));
    }
    let id = new_id();
    sqlx::query(
        "INSERT INTO users (id, username, full_name, password_hash, created_at, must_change_password, password_expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(&username)
    .bind(&full_name)
    .bind(password_hash)
    .bind(now())
    .bind(i64::from(one_time_until.is_some()))
    .bind(one_time_until)
    .execute(&mut **tx)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Invalid(format!("tên đăng nhập `{username}` đã có")),
        _ => StoreError::Database(e),
    })?;
    let change = Change { user_id: by, action: "create", entity: "user", entity_id: &id, unit_id, campaign_id: None };
    audit::record(tx, change, None, Some(&serde_json::json!({ "username": username, "full_name": full_name }))).await?;
    Ok(id)
}

pub async fn grant(tx: &mut Tx<'_>, by: Option<&str>, user_id: &str, role: Role, unit_id: &str) -> Result<()> {
    sqlx::query("INSERT INTO grants (user_id, role, unit_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(user_id)
        .bind(role.code())
        .bind(unit_id)
        .execute(&mut **tx)
        .await?;
    let change = Change { user_id: by, action: "grant", entity: "user", entity_id: user_id, unit_id: Some(unit_id), campaign_id: None };
    audit::record(tx, change, None, Some(&serde_json::json!({ "role": role.code(), "unit": unit_id }))).await?;
    Ok(())
}

/// Disables an account and ends its sessions: it can no longer sign in, and its tokens stop
/// working. `unit_id` is the unit the audit record is filed under.
pub async fn disable(tx: &mut Tx<'_>, by: Option<&str>, user_id: &str, unit_id: Option<&str>) -> Result<()> {
    sqlx::query("UPDATE users SET disabled = 1 WHERE id = $1").bind(user_id).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut **tx).await?;
    let change = Change { user_id: by, action: "disable", entity: "user", entity_id: user_id, unit_id, campaign_id: None };
    audit::record(tx, change, None, Some(&serde_json::json!({ "disabled": true }))).await?;
    Ok(())
}

/// Stores a new password hash and ends every session of the user but `keep_session` (the
/// token of the session that changed it, if any). With `one_time_until` the password is a
/// one-time code that works until then (see [`create_hashed`]).
pub async fn set_password(
    tx: &mut Tx<'_>,
    by: Option<&str>,
    user_id: &str,
    password_hash: &str,
    one_time_until: Option<&str>,
    keep_session: Option<&str>,
    unit_id: Option<&str>,
) -> Result<()> {
    let must_change_password = one_time_until.is_some();
    sqlx::query("UPDATE users SET password_hash = $1, must_change_password = $2, password_expires_at = $3 WHERE id = $4")
        .bind(password_hash)
        .bind(i64::from(must_change_password))
        .bind(one_time_until)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep_session.map(|t| sha256_hex(t.as_bytes())).unwrap_or_default())
        .execute(&mut **tx)
        .await?;
    let change = Change { user_id: by, action: "set_password", entity: "user", entity_id: user_id, unit_id, campaign_id: None };
    let after = serde_json::json!({ "must_change_password": must_change_password, "expires_at": one_time_until });
    audit::record(tx, change, None, Some(&after)).await?;
    Ok(())
}

/// An account as stored, enabled or not, with its password hash.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: String,
    pub username: String,
    pub disabled: bool,
    pub password_hash: String,
}

/// The account of a user name (normalised as stored), enabled or not.
pub async fn account(store: &Store, username: &str) -> Result<Option<Account>> {
    let row = sqlx::query("SELECT id, username, disabled, password_hash FROM users WHERE username = $1")
        .bind(normalise_username(username))
        .fetch_optional(store.pool())
        .await?;
    row.map(|r| {
        Ok(Account {
            id: r.try_get("id")?,
            username: r.try_get("username")?,
            disabled: r.try_get::<i64, _>("disabled")? != 0,
            password_hash: r.try_get("password_hash")?,
        })
    })
    .transpose()
}

/// The password hash of an active user, by id.
pub async fn password_hash(store: &Store, user_id: &str) -> Result<Option<String>> {
    let row =
        sqlx::query("SELECT password_hash FROM users WHERE id = $1 AND disabled = 0").bind(user_id).fetch_optional(store.pool()).await?;
    Ok(row.map(|r| r.try_get("password_hash")).transpose()?)
}

/// How many accounts can sign in.
pub async fn count_active(store: &Store) -> Result<i64> {
    Ok(sqlx::query("SELECT COUNT(*) AS n FROM users WHERE disabled = 0").fetch_one(store.pool()).await?.try_get("n")?)
}

/// An active (not disabled) user with their grants.
pub async fn active(store: &Store, user_id: &str) -> Result<Option<User>> {
    let Some(row) = sqlx::query(
        "SELECT id, username, full_name, must_change_password, password_expires_at, totp_enabled FROM users WHERE id = $1 AND disabled = 0",
    )
    .bind(user_id)
    .fetch_optional(store.pool())
    .await?
    else {
        return Ok(None);
    };
    let grants =
        sqlx::query("SELECT g.role, g.unit_id, u.path FROM grants g JOIN units u ON u.id = g.unit_id WHERE g.user_id = $1 ORDER BY u.path")
            .bind(user_id)
            .fetch_all(store.pool())
            .await?
            .iter()
            .filter_map(|r| {
                let role = Role::parse(&r.try_get::<String, _>("role").ok()?)?;
                Some(Grant { role, unit_id: r.try_get("unit_id").ok()?, unit_path: r.try_get("path").ok()? })
            })
            .collect();
    Ok(Some(User {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        full_name: row.try_get("full_name")?,
        grants,
        must_change_password: row.try_get::<i64, _>("must_change_password")? != 0,
        password_expires_at: row.try_get("password_expires_at")?,
        second_factor: row.try_get::<i64, _>("totp_enabled")? != 0,
    }))
}

/// The active user with this name and password, or `None`. An unknown or disabled name costs
/// the same password hash as a known one, so the time taken does not tell them apart. Counting
/// attempts is the caller's (`antt_app::accounts`).
pub async fn check_password(store: &Store, username: &str, password: &str) -> Result<Option<User>> {
    let account = account(store, username).await?.filter(|a| !a.disabled);
    let hash = account.as_ref().map_or(DUMMY_HASH.as_str(), |a| a.password_hash.as_str());
    let matches = verify(password, hash).await?;
    match account {
        Some(a) if matches => active(store, &a.id).await,
        _ => Ok(None),
    }
}

/// A new random token, 256 bits in hex.
pub fn new_token() -> String {
    crate::second_factor::random_bytes(32).iter().map(|b| format!("{b:02x}")).collect()
}

/// A signed-in session: the user and the token forms must echo back.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
}

/// Starts a session and returns its token (only its hash is stored).
pub async fn start_session(store: &Store, user_id: &str) -> Result<String> {
    let token = new_token();
    let expires = (chrono::Utc::now() + chrono::Duration::hours(SESSION_HOURS)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(sha256_hex(token.as_bytes()))
        .bind(user_id)
        .bind(new_token())
        .bind(now())
        .bind(expires)
        .execute(store.pool())
        .await?;
    Ok(token)
}

pub async fn session(store: &Store, token: &str) -> Result<Option<Session>> {
    let row = sqlx::query("SELECT user_id, csrf_token FROM sessions WHERE token_hash = $1 AND expires_at > $2")
        .bind(sha256_hex(token.as_bytes()))
        .bind(now())
        .fetch_optional(store.pool())
        .await?;
    let Some(row) = row else { return Ok(None) };
    let user = active(store, &row.try_get::<String, _>("user_id")?).await?;
    Ok(user.map(|user| Session { user, csrf_token: row.try_get("csrf_token").unwrap_or_default() }))
}

/// The user and CSRF token of a session that has lapsed (expired, not ended by signing out):
/// to keep a form sent just after it lapsed, once the form proves it came from that session.
pub async fn lapsed_session(store: &Store, token: &str) -> Result<Option<(String, String)>> {
    let row = sqlx::query("SELECT user_id, csrf_token FROM sessions WHERE token_hash = $1 AND expires_at <= $2")
        .bind(sha256_hex(token.as_bytes()))
        .bind(now())
        .fetch_optional(store.pool())
        .await?;
    row.map(|r| Ok((r.try_get("user_id")?, r.try_get("csrf_token")?))).transpose()
}

pub async fn end_session(store: &Store, token: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(sha256_hex(token.as_bytes())).execute(store.pool()).await?;
    Ok(())
}

/// An API token as listed: never the token itself, which only its creator saw once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub created_at: String,
    pub expires_at: String,
    pub last_used_at: Option<String>,
    pub revoked: bool,
}

const TOKEN_COLUMNS: &str = "id, user_id, name, created_at, expires_at, last_used_at, revoked";

fn api_token_row(r: &sqlx::any::AnyRow) -> Result<ApiToken> {
    Ok(ApiToken {
        id: r.try_get("id")?,
        user_id: r.try_get("user_id")?,
        name: r.try_get("name")?,
        created_at: r.try_get("created_at")?,
        expires_at: r.try_get("expires_at")?,
        last_used_at: r.try_get("last_used_at")?,
        revoked: r.try_get::<i64, _>("revoked")? != 0,
    })
}

/// Creates an API token for a user, valid until `expires_at` (RFC 3339), and returns it with
/// the token itself (only its hash is stored).
pub async fn create_api_token(
    tx: &mut Tx<'_>,
    user_id: &str,
    name: &str,
    expires_at: &str,
    unit_id: Option<&str>,
) -> Result<(ApiToken, String)> {
    let token = new_token();
    let row = ApiToken {
        id: new_id(),
        user_id: user_id.to_owned(),
        name: name.to_owned(),
        created_at: now(),
        expires_at: expires_at.to_owned(),
        last_used_at: None,
        revoked: false,
    };
    sqlx::query("INSERT INTO api_tokens (id, token_hash, user_id, name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&row.id)
        .bind(sha256_hex(token.as_bytes()))
        .bind(user_id)
        .bind(name)
        .bind(&row.created_at)
        .bind(expires_at)
        .execute(&mut **tx)
        .await?;
    let change = Change { user_id: Some(user_id), action: "create", entity: "api_token", entity_id: &row.id, unit_id, campaign_id: None };
    audit::record(tx, change, None, Some(&serde_json::json!({ "name": name, "expires_at": expires_at }))).await?;
    Ok((row, token))
}

/// The tokens of a user, newest first, revoked and expired ones included.
pub async fn api_tokens(store: &Store, user_id: &str) -> Result<Vec<ApiToken>> {
    let sql = format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC");
    sqlx::query(crate::trusted(&sql)).bind(user_id).fetch_all(store.pool()).await?.iter().map(api_token_row).collect()
}

pub async fn api_token(store: &Store, id: &str) -> Result<Option<ApiToken>> {
    let sql = format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE id = $1");
    sqlx::query(crate::trusted(&sql)).bind(id).fetch_optional(store.pool()).await?.as_ref().map(api_token_row).transpose()
}

/// Revokes a token: from now on it gets 401.
pub async fn revoke_api_token(tx: &mut Tx<'_>, by: &str, token: &ApiToken, unit_id: Option<&str>) -> Result<()> {
    sqlx::query("UPDATE api_tokens SET revoked = 1 WHERE id = $1").bind(&token.id).execute(&mut **tx).await?;
    let change = Change { user_id: Some(by), action: "revoke", entity: "api_token", entity_id: &token.id, unit_id, campaign_id: None };
    let before = serde_json::json!({ "name": token.name, "owner": token.user_id });
    audit::record(tx, change, Some(&before), Some(&serde_json::json!({ "revoked": true }))).await?;
    Ok(())
}

/// The user of a bearer token that is neither revoked nor expired; its last use is recorded
/// (to the minute, so a busy client does not write at every request).
pub async fn api_user(store: &Store, token: &str) -> Result<Option<User>> {
    let stamp = now();
    let row = sqlx::query("SELECT id, user_id, last_used_at FROM api_tokens WHERE token_hash = $1 AND revoked = 0 AND expires_at > $2")
        .bind(sha256_hex(token.as_bytes()))
        .bind(&stamp)
        .fetch_optional(store.pool())
        .await?;
    let Some(row) = row else { return Ok(None) };
    let minute_ago = (chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    if row.try_get::<Option<String>, _>("last_used_at")?.is_none_or(|last| last < minute_ago) {
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(&stamp)
            .bind(row.try_get::<String, _>("id")?)
            .execute(store.pool())
            .await?;
    }
    active(store, &row.try_get::<String, _>("user_id")?).await
}

/// Withdraws a grant (its absence is not an error). `true` when there was one.
pub async fn withdraw(tx: &mut Tx<'_>, by: Option<&str>, user_id: &str, role: Role, unit_id: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM grants WHERE user_id = $1 AND role = $2 AND unit_id = $3")
        .bind(user_id)
        .bind(role.code())
        .bind(unit_id)
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    let change = Change { user_id: by, action: "withdraw", entity: "user", entity_id: user_id, unit_id: Some(unit_id), campaign_id: None };
    audit::record(tx, change, Some(&serde_json::json!({ "role": role.code(), "unit": unit_id })), None).await?;
    Ok(true)
}

/// Holds the user's row until the transaction ends (PostgreSQL `FOR UPDATE`; SQLite holds the
/// whole database from `BEGIN IMMEDIATE`), so two changes of one account's grants do not
/// interleave. Returns the number of grants the user has.
pub async fn lock_grants(tx: &mut Tx<'_>, backend: crate::Backend, user_id: &str) -> Result<i64> {
    let lock = match backend {
        crate::Backend::Postgres => "SELECT id FROM users WHERE id = $1 FOR UPDATE",
        crate::Backend::Sqlite => "SELECT id FROM users WHERE id = $1",
    };
    sqlx::query(lock).bind(user_id).fetch_optional(&mut **tx).await?;
    Ok(sqlx::query("SELECT COUNT(*) AS n FROM grants WHERE user_id = $1").bind(user_id).fetch_one(&mut **tx).await?.try_get("n")?)
}

/// A user as an admin sees them: name, whether disabled, and every grant.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub id: String,
    pub username: String,
    pub full_name: String,
    pub disabled: bool,
    pub must_change_password: bool,
    /// The account has a confirmed second factor.
    pub second_factor: bool,
    pub grants: Vec<Grant>,
}

/// The users with at least one grant inside the subtree at `path`, enabled or not, by user
/// name, each with all their grants (some may lie outside the subtree).
pub async fn in_subtree(store: &Store, path: &str) -> Result<Vec<Listed>> {
    let (from, to) = crate::subtree(path);
    let rows = sqlx::query(
        "SELECT us.id, us.username, us.full_name, us.disabled, us.must_change_password, us.totp_enabled, g.role, g.unit_id, u.path \
         FROM users us JOIN grants g ON g.user_id = us.id JOIN units u ON u.id = g.unit_id \
         WHERE us.id IN (SELECT g2.user_id FROM grants g2 JOIN units u2 ON u2.id = g2.unit_id WHERE u2.path >= $1 AND u2.path < $2) \
         ORDER BY us.username, u.path",
    )
    .bind(from)
    .bind(to)
    .fetch_all(store.pool())
    .await?;
    let mut out: Vec<Listed> = Vec::new();
    for r in &rows {
        let id: String = r.try_get("id")?;
        if out.last().is_none_or(|l| l.id != id) {
            out.push(Listed {
                id,
                username: r.try_get("username")?,
                full_name: r.try_get("full_name")?,
                disabled: r.try_get::<i64, _>("disabled")? != 0,
                must_change_password: r.try_get::<i64, _>("must_change_password")? != 0,
                second_factor: r.try_get::<i64, _>("totp_enabled")? != 0,
                grants: Vec::new(),
            });
        }
        let role = r.try_get::<String, _>("role")?;
        let role = Role::parse(&role).ok_or_else(|| StoreError::Unreadable(format!("vai trò `{role}` của người dùng")))?;
        if let Some(last) = out.last_mut() {
            last.grants.push(Grant { role, unit_id: r.try_get("unit_id")?, unit_path: r.try_get("path")? });
        }
    }
    Ok(out)
}

/// A session as listed: when it began and ends, never its token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionInfo {
    /// The first 16 hex digits of the token's hash: enough to tell sessions apart.
    pub id: String,
    pub created_at: String,
    pub expires_at: String,
}

/// The open sessions of a user, newest first.
pub async fn sessions_of(store: &Store, user_id: &str) -> Result<Vec<SessionInfo>> {
    sqlx::query("SELECT token_hash, created_at, expires_at FROM sessions WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at DESC")
        .bind(user_id)
        .bind(now())
        .fetch_all(store.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(SessionInfo {
                id: r.try_get::<String, _>("token_hash")?.chars().take(16).collect(),
                created_at: r.try_get("created_at")?,
                expires_at: r.try_get("expires_at")?,
            })
        })
        .collect()
}

/// Ends every session of a user; returns how many there were.
pub async fn end_sessions(tx: &mut Tx<'_>, by: Option<&str>, user_id: &str, unit_id: Option<&str>) -> Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut **tx).await?;
    let change = Change { user_id: by, action: "end_sessions", entity: "user", entity_id: user_id, unit_id, campaign_id: None };
    audit::record(tx, change, None, Some(&serde_json::json!({ "sessions": done.rows_affected() }))).await?;
    Ok(done.rows_affected())
}

/// One user as an admin sees them, enabled or not.
pub async fn listed(store: &Store, user_id: &str) -> Result<Option<Listed>> {
    let Some(row) = sqlx::query("SELECT id, username, full_name, disabled, must_change_password, totp_enabled FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(store.pool())
        .await?
    else {
        return Ok(None);
    };
    let mut grants = Vec::new();
    for r in
        sqlx::query("SELECT g.role, g.unit_id, u.path FROM grants g JOIN units u ON u.id = g.unit_id WHERE g.user_id = $1 ORDER BY u.path")
            .bind(user_id)
            .fetch_all(store.pool())
            .await?
    {
        let role = r.try_get::<String, _>("role")?;
        let role = Role::parse(&role).ok_or_else(|| StoreError::Unreadable(format!("vai trò `{role}` của người dùng")))?;
        grants.push(Grant { role, unit_id: r.try_get("unit_id")?, unit_path: r.try_get("path")? });
    }
    Ok(Some(Listed {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        full_name: row.try_get("full_name")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        must_change_password: row.try_get::<i64, _>("must_change_password")? != 0,
        second_factor: row.try_get::<i64, _>("totp_enabled")? != 0,
        grants,
    }))
}
