//! Users, their (role, unit) grants, sessions and API tokens, and login throttling — all in the
//! database, so any number of servers can share them.

use antt_core::access::{Grant, Role};
use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use serde::Serialize;
use sqlx::Row;

use crate::audit::{self, Change};
use crate::{Result, Store, StoreError, Tx, new_id, now, sha256_hex};

/// After this many wrong passwords in a row the account waits [`LOCKOUT_MINUTES`].
pub const MAX_FAILED_LOGINS: i64 = 5;
pub const LOCKOUT_MINUTES: i64 = 15;
/// How long a session lasts without a new login.
pub const SESSION_HOURS: i64 = 12;

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: String,
    pub username: String,
    pub full_name: String,
    pub grants: Vec<Grant>,
}

pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Invalid(format!("không băm được mật khẩu: {e}")))
}

fn password_matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// Creates a user and returns its id.
pub async fn create(tx: &mut Tx<'_>, by: Option<&str>, username: &str, full_name: &str, password: &str) -> Result<String> {
    let username = username.trim().to_lowercase();
    if username.is_empty() || full_name.trim().is_empty() {
        return Err(StoreError::Invalid("cần tên đăng nhập và họ tên".into()));
    }
    if password.chars().count() < 8 {
        return Err(StoreError::Invalid("mật khẩu cần ít nhất 8 ký tự".into()));
    }
    let id = new_id();
    sqlx::query("INSERT INTO users (id, username, full_name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&id)
        .bind(&username)
        .bind(antt_core::text::nfc(full_name.trim()).into_owned())
        .bind(hash_password(password)?)
        .bind(now())
        .execute(&mut **tx)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Invalid(format!("tên đăng nhập `{username}` đã có")),
            _ => StoreError::Database(e),
        })?;
    let change = Change { user_id: by, action: "create", entity: "user", entity_id: &id, unit_id: None, campaign_id: None };
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

/// An active (not disabled) user with their grants.
pub async fn active(store: &Store, user_id: &str) -> Result<Option<User>> {
    let Some(row) = sqlx::query("SELECT id, username, full_name FROM users WHERE id = $1 AND disabled = 0")
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
    Ok(Some(User { id: row.try_get("id")?, username: row.try_get("username")?, full_name: row.try_get("full_name")?, grants }))
}

/// Why a login was refused. The message never says whether the user name exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginError {
    WrongCredentials,
    LockedUntil(String),
}

/// Checks a password, counting failures and locking the account after too many.
pub async fn login(store: &Store, username: &str, password: &str) -> Result<Result<User, LoginError>> {
    let username = username.trim().to_lowercase();
    let row = sqlx::query("SELECT id, password_hash, failed_logins, locked_until FROM users WHERE username = $1 AND disabled = 0")
        .bind(&username)
        .fetch_optional(store.pool())
        .await?;
    let Some(row) = row else {
        // Spend the same time as a real check so timing does not reveal unknown names.
        let _ =
            password_matches(password, "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        return Ok(Err(LoginError::WrongCredentials));
    };
    let id: String = row.try_get("id")?;
    let stamp = now();
    if let Some(until) = row.try_get::<Option<String>, _>("locked_until")?
        && until > stamp
    {
        return Ok(Err(LoginError::LockedUntil(until)));
    }
    if password_matches(password, &row.try_get::<String, _>("password_hash")?) {
        sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1").bind(&id).execute(store.pool()).await?;
        return Ok(active(store, &id).await?.ok_or(LoginError::WrongCredentials));
    }
    let failures = row.try_get::<i64, _>("failed_logins")? + 1;
    let locked_until = (failures >= MAX_FAILED_LOGINS)
        .then(|| (chrono::Utc::now() + chrono::Duration::minutes(LOCKOUT_MINUTES)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
    sqlx::query("UPDATE users SET failed_logins = $1, locked_until = $2 WHERE id = $3")
        .bind(if locked_until.is_some() { 0 } else { failures })
        .bind(&locked_until)
        .bind(&id)
        .execute(store.pool())
        .await?;
    Ok(Err(locked_until.map_or(LoginError::WrongCredentials, LoginError::LockedUntil)))
}

/// A new random token, 256 bits in hex.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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

pub async fn end_session(store: &Store, token: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(sha256_hex(token.as_bytes())).execute(store.pool()).await?;
    Ok(())
}

/// Creates an API token for a user and returns it (only its hash is stored).
pub async fn create_api_token(store: &Store, user_id: &str, name: &str) -> Result<String> {
    let token = new_token();
    sqlx::query("INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES ($1, $2, $3, $4)")
        .bind(sha256_hex(token.as_bytes()))
        .bind(user_id)
        .bind(name)
        .bind(now())
        .execute(store.pool())
        .await?;
    Ok(token)
}

pub async fn api_user(store: &Store, token: &str) -> Result<Option<User>> {
    let row = sqlx::query("SELECT user_id FROM api_tokens WHERE token_hash = $1 AND revoked = 0")
        .bind(sha256_hex(token.as_bytes()))
        .fetch_optional(store.pool())
        .await?;
    match row {
        Some(r) => active(store, &r.try_get::<String, _>("user_id")?).await,
        None => Ok(None),
    }
}
