//! The second factor: a TOTP secret per account (`antt_core::totp`), enrolled by its user and
//! active only once confirmed with a code, with recovery codes shown once, stored hashed and
//! each used once; at sign-in the code is asked after the password. Code guesses are counted
//! like passwords ([`crate::accounts`]): atomically, per (account, client), per client and per
//! account, so an attacker who has the password cannot guess on, and the owner is slowed down,
//! never locked out. A deployment can require it of admins (`antt serve
//! --require-second-factor-for-admin`): [`must_enrol`]. An admin of the subtree removes a
//! user's second factor when the phone is lost.

use antt_core::access::Role;
use antt_core::totp;
use antt_store::second_factor as store;
use antt_store::users::{self, User};

use crate::accounts::{Attempts, Client, Refusal};
use crate::{Actor, App, Error, Result};

/// The issuer an authenticator app shows beside the account.
pub const ISSUER: &str = "ANTT";
/// Minutes a sign-in whose password was right waits for its code.
pub const PENDING_MINUTES: i64 = 5;
/// Recovery codes made at enrolment.
pub const RECOVERY_CODES: usize = 10;
/// Code guesses one client may make on one account in a window ([`crate::accounts::WINDOW_MINUTES`]).
pub const CODE_ATTEMPTS_PER_ACCOUNT_AND_CLIENT: i64 = 5;
/// Code guesses one client may make in a window, all accounts together.
pub const CODE_ATTEMPTS_PER_CLIENT: i64 = 30;
/// Code guesses on one account in a window from all clients; beyond, each client gets one.
pub const CODE_ATTEMPTS_PER_ACCOUNT: i64 = 10;

/// A secret being enrolled, to type or paste into an authenticator app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    /// The secret in base32.
    pub secret: String,
    /// The `otpauth://` URI that carries it with the issuer and the account.
    pub uri: String,
}

impl Enrolment {
    /// The secret in groups of four letters, easier to type.
    pub fn grouped(&self) -> String {
        self.secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
    }
}

/// Whether a user must enrol a second factor before anything else: the deployment requires it
/// of admins, the user holds the admin role somewhere and has none confirmed.
pub fn must_enrol(user: &User, required_for_admin: bool) -> bool {
    required_for_admin && !user.second_factor && user.grants.iter().any(|g| g.role == Role::Admin)
}

/// What a user types as a recovery code, as it is hashed: letters and digits, lower case.
fn recovery_form(typed: &str) -> String {
    typed.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// A new recovery code: 80 random bits in base32, in groups of four.
fn recovery_code() -> String {
    let letters = totp::base32(&store::random_bytes(10)).to_ascii_lowercase();
    letters.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn attempts(user_id: &str, client: &Client) -> Attempts {
    Attempts::new("code", user_id, client, [CODE_ATTEMPTS_PER_ACCOUNT_AND_CLIENT, CODE_ATTEMPTS_PER_CLIENT, CODE_ATTEMPTS_PER_ACCOUNT])
}

fn wait_message(refusal: &Refusal) -> String {
    match refusal {
        Refusal::TooManyAttempts { .. } => format!(
            "Đã nhập sai mã quá nhiều lần; hãy chờ khoảng {} phút rồi thử lại.",
            refusal.retry_after().map_or(crate::accounts::WINDOW_MINUTES, |s| (s + 59) / 60)
        ),
        _ => "Mã không đúng.".into(),
    }
}

impl App {
    /// The secret the actor is enrolling: the one kept from an earlier visit (so a page
    /// reloaded shows the same), or a new one. Refused when the second factor is already on.
    pub async fn enrolment(&self, actor: &Actor) -> Result<Enrolment> {
        let secret = match store::totp(self.store(), &actor.user_id).await? {
            Some(t) if t.enabled => return Err(Error::invalid("Tài khoản đã bật xác thực hai bước.")),
            Some(t) => t.secret,
            None => {
                let secret = totp::base32(&store::random_bytes(totp::SECRET_BYTES));
                if !store::start_enrolment(self.store(), &actor.user_id, &secret).await? {
                    return Err(Error::invalid("Tài khoản đã bật xác thực hai bước."));
                }
                secret
            }
        };
        Ok(Enrolment { uri: totp::uri(&secret, ISSUER, &actor.username), secret })
    }

    /// Turns the second factor on with a code from the app for the secret being enrolled, and
    /// returns the recovery codes, to be shown this once (only their digests are kept). Code
    /// guesses are counted like sign-in codes. Audited.
    pub async fn confirm_second_factor(&self, actor: &Actor, code: &str, client: &Client) -> Result<Vec<String>> {
        let Some(state) = store::totp(self.store(), &actor.user_id).await?.filter(|t| !t.enabled) else {
            return Err(Error::invalid("Không có mã bí mật nào đang chờ xác nhận; hãy mở lại trang Xác thực hai bước."));
        };
        let secret = totp::from_base32(&state.secret).ok_or_else(|| Error::invalid("Mã bí mật đã lưu bị hỏng; hãy đặt lại."))?;
        if totp::typed_code(code).is_none() {
            return Err(Error::field("code", format!("Nhập {} chữ số ứng dụng xác thực đang hiện.", totp::DIGITS)));
        }
        let attempts = attempts(&actor.user_id, client);
        if let Some(refusal) = attempts.admit(self.store()).await? {
            return Err(Error::field("code", wait_message(&refusal)));
        }
        let Some(step) = totp::matching_step(&secret, code, unix_now(), state.last_step) else {
            return Err(Error::field(
                "code",
                "Mã không đúng. Kiểm tra rằng đồng hồ của điện thoại đúng giờ và nhập mã đang hiện (mỗi mã dùng được 30 giây).",
            ));
        };
        attempts.succeeded(self.store()).await?;
        let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| recovery_code()).collect();
        let digests_of: Vec<String> = codes.iter().map(|c| recovery_form(c)).collect();
        let unit = actor.grants.first().map(|g| g.unit_id.as_str());
        let mut tx = self.store().begin().await?;
        if !store::confirm(&mut tx, &actor.user_id, &state.secret, step, &digests_of, unit).await? {
            return Err(Error::Conflict);
        }
        tx.commit().await.map_err(antt_store::StoreError::from)?;
        Ok(codes)
    }

    /// The second step of a sign-in: the code from the app, or one of the recovery codes (used
    /// up by this). Guesses are counted per (account, client), per client and per account;
    /// beyond the limits the client is refused without a check.
    pub async fn second_factor(&self, user_id: &str, typed: &str, client: &Client) -> Result<Result<User, Refusal>> {
        let store = self.store();
        let Some(state) = store::totp(store, user_id).await?.filter(|t| t.enabled) else {
            return Ok(Err(Refusal::WrongCode));
        };
        let attempts = attempts(user_id, client);
        if let Some(refusal) = attempts.admit(store).await? {
            return Ok(Err(refusal));
        }
        let user = users::active(store, user_id).await?.ok_or_else(|| Error::not_found("tài khoản này"))?;
        let right = if totp::typed_code(typed).is_some() {
            let secret = totp::from_base32(&state.secret).unwrap_or_default();
            match totp::matching_step(&secret, typed, unix_now(), state.last_step) {
                Some(step) => store::take_step(store, user_id, step).await?,
                None => false,
            }
        } else {
            let unit = user.grants.first().map(|g| g.unit_id.as_str());
            let mut tx = store.begin().await?;
            let used = store::use_recovery_code(&mut tx, user_id, &recovery_form(typed), unit).await?;
            tx.commit().await.map_err(antt_store::StoreError::from)?;
            used
        };
        if !right {
            return Ok(Err(Refusal::WrongCode));
        }
        attempts.succeeded(store).await?;
        Ok(Ok(user))
    }

    /// Whether the actor's second factor is on, with how many recovery codes are left unused
    /// (`None`: off).
    pub async fn second_factor_status(&self, actor: &Actor) -> Result<Option<i64>> {
        match store::totp(self.store(), &actor.user_id).await? {
            Some(t) if t.enabled => Ok(Some(store::recovery_codes_left(self.store(), &actor.user_id).await?)),
            _ => Ok(None),
        }
    }

    /// Removes the second factor of a user the actor manages (the phone was lost, the recovery
    /// codes too): the user signs in with the password alone and enrols again — at once, when
    /// the deployment requires it of their role. Audited.
    pub async fn reset_second_factor(&self, actor: &Actor, user_id: &str) -> Result<()> {
        let user = self.other(actor, user_id).await?;
        let unit = user.grants.first().map(|g| g.unit_id.as_str());
        let mut tx = self.store().begin().await?;
        store::reset(&mut tx, &actor.user_id, &user.id, unit).await?;
        tx.commit().await.map_err(antt_store::StoreError::from)?;
        Ok(())
    }

    /// Records a sign-in whose password was right and whose code is awaited; returns the
    /// token of its cookie.
    pub async fn await_second_factor(&self, user: &User) -> Result<String> {
        Ok(store::start_pending(self.store(), &user.id, PENDING_MINUTES).await?)
    }

    /// The user whose code is awaited under this token, if it has not expired.
    pub async fn awaiting_second_factor(&self, token: &str) -> Result<Option<String>> {
        Ok(store::pending(self.store(), token).await?)
    }

    /// Ends an awaited sign-in.
    pub async fn end_awaiting(&self, token: &str) -> Result<()> {
        Ok(store::end_pending(self.store(), token).await?)
    }
}
