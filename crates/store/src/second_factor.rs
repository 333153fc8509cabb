//! The second factor of an account: its TOTP secret (enrolled, then confirmed with a code),
//! the last time step accepted (so no code is taken twice), its recovery codes (SHA-256
//! digests, each used once) and the sign-ins whose password was right and whose code is
//! awaited. Which codes are right and how guesses are throttled is the application's
//! (`antt_app::second_factor`, with `antt_core::totp`).

use sqlx::Row;

use crate::audit::{self, Change};
use crate::{Result, Store, Tx, now, sha256_hex};

/// An account's TOTP secret (base32) and whether it was confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totp {
    pub secret: String,
    pub enabled: bool,
    pub last_step: i64,
}

/// The TOTP state of an active user, `None` without a secret.
pub async fn totp(store: &Store, user_id: &str) -> Result<Option<Totp>> {
    let row = sqlx::query("SELECT totp_secret, totp_enabled, totp_last_step FROM users WHERE id = $1 AND disabled = 0")
        .bind(user_id)
        .fetch_optional(store.pool())
        .await?;
    let Some(row) = row else { return Ok(None) };
    let Some(secret) = row.try_get::<Option<String>, _>("totp_secret")? else { return Ok(None) };
    Ok(Some(Totp { secret, enabled: row.try_get::<i64, _>("totp_enabled")? != 0, last_step: row.try_get("totp_last_step")? }))
}

/// Keeps a new secret for a user who has none confirmed (a secret being enrolled is replaced
/// only by the caller's choice). `false` when the user already has a confirmed one.
pub async fn start_enrolment(store: &Store, user_id: &str, secret: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE users SET totp_secret = $1, totp_last_step = 0 WHERE id = $2 AND totp_enabled = 0")
        .bind(secret)
        .bind(user_id)
        .execute(store.pool())
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Confirms the secret being enrolled (its code for `step` was right) and stores the digests of
/// new recovery codes in place of any old ones. `false` when the secret changed or was
/// confirmed meanwhile. Audited.
pub async fn confirm(
    tx: &mut Tx<'_>,
    user_id: &str,
    secret: &str,
    step: i64,
    recovery_codes: &[String],
    unit_id: Option<&str>,
) -> Result<bool> {
    let done =
        sqlx::query("UPDATE users SET totp_enabled = 1, totp_last_step = $1 WHERE id = $2 AND totp_secret = $3 AND totp_enabled = 0")
            .bind(step)
            .bind(user_id)
            .bind(secret)
            .execute(&mut **tx)
            .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut **tx).await?;
    for code in recovery_codes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(user_id)
            .bind(sha256_hex(code.as_bytes()))
            .execute(&mut **tx)
            .await?;
    }
    let change =
        Change { user_id: Some(user_id), action: "enable_second_factor", entity: "user", entity_id: user_id, unit_id, campaign_id: None };
    audit::record(tx, change, None, Some(&serde_json::json!({ "recovery_codes": recovery_codes.len() }))).await?;
    Ok(true)
}

/// Takes the code of `step`: `true` only when the user's second factor is on and no code of
/// this step or a later one was taken — one statement, so two requests with the same code
/// cannot both get through.
pub async fn take_step(store: &Store, user_id: &str, step: i64) -> Result<bool> {
    let done = sqlx::query("UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_enabled = 1 AND totp_last_step < $1")
        .bind(step)
        .bind(user_id)
        .execute(store.pool())
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Uses a recovery code (as typed, normalised by the caller): `true` when it was one of the
/// user's and unused; from now on it is used. Audited.
pub async fn use_recovery_code(tx: &mut Tx<'_>, user_id: &str, code: &str, unit_id: Option<&str>) -> Result<bool> {
    let stamp = now();
    let done = sqlx::query("UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL")
        .bind(&stamp)
        .bind(user_id)
        .bind(sha256_hex(code.as_bytes()))
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    let change =
        Change { user_id: Some(user_id), action: "use_recovery_code", entity: "user", entity_id: user_id, unit_id, campaign_id: None };
    audit::record(tx, change, None, None).await?;
    Ok(true)
}

/// How many unused recovery codes a user has.
pub async fn recovery_codes_left(store: &Store, user_id: &str) -> Result<i64> {
    Ok(sqlx::query("SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id)
        .fetch_one(store.pool())
        .await?
        .try_get("n")?)
}

/// Removes a user's second factor (secret, recovery codes, awaited sign-ins): they sign in with
/// the password alone, or enrol again. Audited as done `by` the admin.
pub async fn reset(tx: &mut Tx<'_>, by: &str, user_id: &str, unit_id: Option<&str>) -> Result<()> {
    sqlx::query("UPDATE users SET totp_secret = NULL, totp_enabled = 0, totp_last_step = 0 WHERE id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM pending_sign_ins WHERE user_id = $1").bind(user_id).execute(&mut **tx).await?;
    let change =
        Change { user_id: Some(by), action: "reset_second_factor", entity: "user", entity_id: user_id, unit_id, campaign_id: None };
    audit::record(tx, change, None, Some(&serde_json::json!({ "second_factor": false }))).await?;
    Ok(())
}

/// Records a sign-in whose password was right, awaiting its code for `minutes`; returns the
/// token for its cookie (only the hash is stored).
pub async fn start_pending(store: &Store, user_id: &str, minutes: i64) -> Result<String> {
    let token = crate::users::new_token();
    let expires = (chrono::Utc::now() + chrono::Duration::minutes(minutes)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    sqlx::query("DELETE FROM pending_sign_ins WHERE expires_at < $1").bind(now()).execute(store.pool()).await?;
    sqlx::query("INSERT INTO pending_sign_ins (token_hash, user_id, expires_at) VALUES ($1, $2, $3)")
        .bind(sha256_hex(token.as_bytes()))
        .bind(user_id)
        .bind(expires)
        .execute(store.pool())
        .await?;
    Ok(token)
}

/// The user of an awaited sign-in that has not expired.
pub async fn pending(store: &Store, token: &str) -> Result<Option<String>> {
    let row = sqlx::query("SELECT user_id FROM pending_sign_ins WHERE token_hash = $1 AND expires_at > $2")
        .bind(sha256_hex(token.as_bytes()))
        .bind(now())
        .fetch_optional(store.pool())
        .await?;
    Ok(row.map(|r| r.try_get("user_id")).transpose()?)
}

/// Ends an awaited sign-in (its code was right, or it was abandoned).
pub async fn end_pending(store: &Store, token: &str) -> Result<()> {
    sqlx::query("DELETE FROM pending_sign_ins WHERE token_hash = $1").bind(sha256_hex(token.as_bytes())).execute(store.pool()).await?;
    Ok(())
}

/// `bytes` random bytes from the operating system.
pub fn random_bytes(bytes: usize) -> Vec<u8> {
    let mut out = vec![0u8; bytes];
    getrandom::fill(&mut out).expect("the operating system provides randomness");
    out
}
