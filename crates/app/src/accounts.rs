//! Accounts: signing in (throttled per client, never by locking the account), creating an
//! account, the password rules, and API tokens. The sign-in page, the API and the command line
//! call these functions, so the rules live here once.

use std::net::IpAddr;

use antt_core::access::{Action, Role};
use antt_store::users::{self, ApiToken, User};
use antt_store::{throttle, units};

use crate::{Actor, App, Error, FieldErrors, Result};

/// The window in which sign-in attempts are counted; it starts at a bucket's first attempt.
pub const WINDOW_MINUTES: i64 = 15;
/// Attempts one client address may make on one user name in a window (a right password clears
/// them). Beyond, that client waits for the window to end; other clients, the account's owner
/// among them, are not affected.
pub const ATTEMPTS_PER_ACCOUNT_AND_CLIENT: i64 = 5;
/// Wrong passwords one client address may send in a window, all user names together (an office
/// behind one address shares it), so trying many names from one place is slowed down too.
pub const ATTEMPTS_PER_CLIENT: i64 = 30;
/// Attempts on one user name in a window from all addresses together. Beyond, the account is
/// not locked: each address gets [`ATTEMPTS_PER_ACCOUNT_WHEN_TARGETED`] attempt instead of
/// [`ATTEMPTS_PER_ACCOUNT_AND_CLIENT`], so guesses spread over many addresses slow down five
/// times while the owner, from an address of their own, still signs in with the right password.
pub const ATTEMPTS_PER_ACCOUNT: i64 = 20;
/// Attempts one address may make on a user name already over [`ATTEMPTS_PER_ACCOUNT`].
pub const ATTEMPTS_PER_ACCOUNT_WHEN_TARGETED: i64 = 1;

/// Where a sign-in comes from, as the throttle counts it: an IP address, an IPv6 address by its
/// /64 network (which one subscriber usually holds whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client(String);

impl Client {
    pub fn from_ip(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) => Self(v4.to_string()),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Self(v4.to_string()),
                None => {
                    let s = v6.segments();
                    Self(format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3]))
                }
            },
        }
    }

    /// A client whose address is not known: all such clients share one count.
    pub fn unknown() -> Self {
        Self("unknown".into())
    }
}

/// Why a sign-in was refused. Both answers are the same whether the user name exists or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    WrongCredentials,
    /// The one-time code an admin gave was right but its time is over: the admin gives a new one.
    CodeExpired,
    /// The second-factor code (or recovery code) is not right.
    WrongCode,
    /// This client made too many attempts; it may try again at `until` (RFC 3339).
    TooManyAttempts {
        until: String,
    },
}

impl Refusal {
    /// Seconds until the client may try again.
    pub fn retry_after(&self) -> Option<i64> {
        match self {
            Self::WrongCredentials | Self::CodeExpired | Self::WrongCode => None,
            Self::TooManyAttempts { until } => Some(
                chrono::DateTime::parse_from_rfc3339(until)
                    .map(|t| (t.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_seconds().max(1))
                    .unwrap_or(60),
            ),
        }
    }
}

/// The refusal of a client over one of its limits, until that bucket's window ends.
fn too_many<'a>(mut counts: impl Iterator<Item = (&'a throttle::Count, i64)>, window: chrono::Duration) -> Option<Refusal> {
    let (count, _) = counts.find(|(c, limit)| c.attempts > *limit)?;
    let until = chrono::DateTime::parse_from_rfc3339(&count.window_start)
        .map(|t| (t.with_timezone(&chrono::Utc) + window).to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_else(|_| count.window_start.clone());
    Some(Refusal::TooManyAttempts { until })
}

fn bucket(parts: &[&str]) -> String {
    antt_store::sha256_hex(parts.join("\n").as_bytes())
}

/// The three counts of one kind of guess (a password, a second-factor code) on one account:
/// per (account, client), per client and per account, each with its limit.
pub(crate) struct Attempts {
    pair: String,
    client: String,
    account: String,
    limits: [i64; 3],
}

impl Attempts {
    /// Buckets of `kind` ("account" for passwords, "code" for second-factor codes) for the
    /// account named `who` and the client.
    pub(crate) fn new(kind: &str, who: &str, client: &Client, limits: [i64; 3]) -> Self {
        Self {
            pair: bucket(&[kind, who, &client.0]),
            client: bucket(&[kind, "client", &client.0]),
            account: bucket(&[kind, "all", who]),
            limits,
        }
    }

    /// The limits in force: an account over its own limit gives each client
    /// [`ATTEMPTS_PER_ACCOUNT_WHEN_TARGETED`] attempt.
    fn limits(&self, account: Option<&throttle::Count>) -> [i64; 3] {
        let [pair, client, whole] = self.limits;
        let targeted = account.is_some_and(|c| c.attempts > whole);
        [if targeted { pair.min(ATTEMPTS_PER_ACCOUNT_WHEN_TARGETED) } else { pair }, client, i64::MAX]
    }

    /// Counts one attempt, atomically in the database, unless the client is already over a
    /// limit (refused with a read only). `Some` refusal when over a limit: the guess must not
    /// be checked.
    pub(crate) async fn admit(&self, store: &antt_store::Store) -> Result<Option<Refusal>> {
        let window = chrono::Duration::minutes(WINDOW_MINUTES);
        let buckets = [self.pair.as_str(), self.client.as_str(), self.account.as_str()];
        let seen = throttle::peek(store, &buckets, window).await?;
        let limits = self.limits(seen[2].as_ref());
        if let Some(refusal) = too_many(seen.iter().zip(limits).filter_map(|(c, limit)| Some((c.as_ref()?, limit))), window) {
            return Ok(Some(refusal));
        }
        let counts = throttle::count(store, &buckets, window).await?;
        let limits = self.limits(counts.get(2));
        if let Some(refusal) = too_many(counts.iter().zip(limits), window) {
            return Ok(Some(refusal));
        }
        if counts.get(1).is_some_and(|c| c.attempts == 1) {
            // A client's first attempt in its window: a good moment to forget ended windows.
            if let Err(e) = throttle::forget_old(store, window).await {
                tracing::warn!("không xóa được các lượt đăng nhập cũ: {e}");
            }
        }
        Ok(None)
    }

    /// A right guess: the pair's attempts are forgotten, and this attempt does not count
    /// against the client or the account.
    pub(crate) async fn succeeded(&self, store: &antt_store::Store) -> Result<()> {
        throttle::clear(store, &self.pair).await?;
        throttle::forgive(store, &self.client).await?;
        throttle::forgive(store, &self.account).await?;
        Ok(())
    }
}

impl App {
    /// Signs a user in by name and password. Each attempt is first counted, atomically in the
    /// database, for the (user name, client) pair, for the client and for the user name
    /// ([`Attempts`]); beyond the limits the client is refused without a check until its window
    /// ends. Otherwise the password is checked — against a dummy hash when the name is unknown
    /// — so unknown and known names get the same answers in about the same time. A one-time
    /// code past its time is refused as such (only to whoever typed the code right).
    pub async fn sign_in(&self, username: &str, password: &str, client: &Client) -> Result<Result<User, Refusal>> {
        let store = self.store();
        let username = users::normalise_username(username);
        let attempts =
            Attempts::new("account", &username, client, [ATTEMPTS_PER_ACCOUNT_AND_CLIENT, ATTEMPTS_PER_CLIENT, ATTEMPTS_PER_ACCOUNT]);
        if let Some(refusal) = attempts.admit(store).await? {
            return Ok(Err(refusal));
        }
        match users::check_password(store, &username, password).await? {
            Some(user) => {
                attempts.succeeded(store).await?;
                if user.must_change_password && user.password_expires_at.as_deref().is_some_and(|t| t <= antt_store::now().as_str()) {
                    return Ok(Err(Refusal::CodeExpired));
                }
                Ok(Ok(user))
            }
            None => Ok(Err(Refusal::WrongCredentials)),
        }
    }
}

/// Who creates or changes an account: a signed-in admin, within their own subtree, or the
/// operator at the server's command line, who holds the database itself.
#[derive(Debug, Clone, Copy)]
pub enum By<'a> {
    Operator,
    User(&'a Actor),
}

impl By<'_> {
    fn user_id(&self) -> Option<&str> {
        match self {
            Self::Operator => None,
            Self::User(actor) => Some(&actor.user_id),
        }
    }
}

/// The shortest password accepted.
pub const PASSWORD_MIN_CHARS: usize = 12;

/// Whether a new password is good enough: at least [`PASSWORD_MIN_CHARS`] characters, not built
/// from the user name or the full name, and not common or otherwise easy to guess (zxcvbn's
/// estimate, which knows the common passwords, words, names, dates, repeats and keyboard runs).
pub fn password_problem(password: &str, username: &str, full_name: &str) -> Option<String> {
    let length = password.chars().count();
    if length < PASSWORD_MIN_CHARS {
        return Some(format!("Mật khẩu cần ít nhất {PASSWORD_MIN_CHARS} ký tự (mới có {length})."));
    }
    let folded = |s: &str| -> String { antt_core::text::fold(s).chars().filter(char::is_ascii_alphanumeric).collect() };
    let typed = folded(password);
    let name = folded(username);
    if name.len() >= 3 && (typed.contains(&name) || name.contains(&typed)) {
        return Some("Mật khẩu không được dựa trên tên đăng nhập.".into());
    }
    let mut inputs: Vec<&str> = vec![username];
    inputs.extend(full_name.split_whitespace());
    let folded_inputs: Vec<String> = inputs.iter().map(|s| folded(s)).collect();
    inputs.extend(folded_inputs.iter().map(String::as_str));
    let estimate = zxcvbn::zxcvbn(password, &inputs);
    if u8::from(estimate.score()) < 3 {
        return Some(
            "Mật khẩu quá dễ đoán (mật khẩu phổ biến, tên người, ngày tháng, chuỗi lặp hay theo bàn phím). Hãy dùng một câu dài \
             gồm vài từ không liên quan đến nhau."
                .into(),
        );
    }
    None
}

/// A new account with one role on one unit.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: String,
    pub full_name: String,
    /// The password, chosen by whoever creates the account (the operator for themselves); `None`
    /// gives a one-time code instead, and the user chooses a password at first sign-in.
    pub password: Option<String>,
    pub role: Role,
    pub unit_id: String,
}

/// An account just created, with its one-time code when it got one (shown this once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    pub id: String,
    pub one_time_code: Option<OneTimeCode>,
}

/// How long a one-time code given by an admin works.
pub const ONE_TIME_CODE_HOURS: i64 = 24;

/// A one-time code for a first sign-in, shown to the admin once, and until when it works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneTimeCode {
    pub code: String,
    /// RFC 3339, [`ONE_TIME_CODE_HOURS`] after it was made.
    pub expires_at: String,
}

/// A one-time code: 80 random bits as 20 hex digits in groups of four, to read out or copy.
fn one_time_code() -> OneTimeCode {
    let hex = users::new_token();
    let code = hex.as_bytes()[..20].chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-");
    let expires_at =
        (chrono::Utc::now() + chrono::Duration::hours(ONE_TIME_CODE_HOURS)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    OneTimeCode { code, expires_at }
}

/// Letters a–z, digits, `.`, `-` and `_`, 2 to 64 of them.
fn username_problem(username: &str) -> Option<String> {
    let n = username.chars().count();
    if !(2..=64).contains(&n) {
        return Some(format!("Tên đăng nhập cần từ 2 đến 64 ký tự (có {n})."));
    }
    if let Some(c) = username.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))) {
        return Some(format!("Tên đăng nhập chỉ gồm chữ a–z không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới (có “{c}”)."));
    }
    None
}

impl App {
    /// Creates an account with one role on one unit. An admin creates accounts only inside
    /// their own subtree (a unit outside it is not found), so nobody grants above their own
    /// grant; the operator at the command line creates the first admin. Without a password the
    /// account gets a one-time code and its user chooses a password at first sign-in. Audited.
    pub async fn create_account(&self, by: By<'_>, input: &NewAccount) -> Result<Created> {
        let username = users::normalise_username(&input.username);
        let full_name = antt_core::text::nfc(input.full_name.trim()).into_owned();
        let mut errors = FieldErrors::default();
        if let Some(problem) = username_problem(&username) {
            errors.add("username", problem);
        } else if users::account(self.store(), &username).await?.is_some() {
            errors.add("username", format!("Tên đăng nhập “{username}” đã có."));
        }
        if full_name.is_empty() {
            errors.add("full_name", "Không được để trống.");
        } else if full_name.chars().count() > 200 {
            errors.add("full_name", "Tối đa 200 ký tự.");
        }
        if let Some(problem) = input.password.as_deref().and_then(|p| password_problem(p, &username, &full_name)) {
            errors.add("password", problem);
        }
        let unit = match by {
            By::User(actor) => Some(self.unit(actor, &input.unit_id, Action::ManageUsers).await?),
            By::Operator => units::get(self.store(), &input.unit_id).await?,
        };
        if unit.is_none() {
            errors.add("unit", format!("Không có đơn vị mã “{}”.", input.unit_id));
        }
        errors.into_result()?;
        let one_time_code = input.password.is_none().then(one_time_code);
        let secret = input.password.as_deref().or(one_time_code.as_ref().map(|c| c.code.as_str())).unwrap_or_default();
        let hash = users::hash(secret).await?;
        let until = one_time_code.as_ref().map(|c| c.expires_at.as_str());
        let mut tx = self.store().begin().await?;
        let id = users::create_hashed(&mut tx, by.user_id(), &username, &full_name, &hash, until, Some(&input.unit_id)).await?;
        users::grant(&mut tx, by.user_id(), &id, input.role, &input.unit_id).await?;
        tx.commit().await.map_err(antt_store::StoreError::from)?;
        Ok(Created { id, one_time_code })
    }

    /// How many accounts can sign in (none: `antt serve` says how to create the first).
    pub async fn active_accounts(&self) -> Result<i64> {
        Ok(users::count_active(self.store()).await?)
    }
}

/// Why an account whose password an admin reset may do nothing but choose a new one.
pub const MUST_CHANGE: &str =
    "Mật khẩu của bạn là mã dùng một lần do quản trị viên cấp: hãy đặt mật khẩu mới (trang Đổi mật khẩu) trước khi làm việc khác.";

/// How long a new API token lasts unless asked otherwise, and at most.
pub const TOKEN_DAYS: i64 = 90;
pub const TOKEN_DAYS_MAX: i64 = 365;
/// The longest name of a token.
pub const TOKEN_NAME_MAX: usize = 100;

fn user_not_found() -> Error {
    Error::not_found("người dùng này")
}

/// Whether the actor manages a user with these grants: an admin whose grants cover every one of
/// them (nobody reaches above their own grant). A user the actor cannot see at all is not
/// found; one with grants beyond the actor's subtrees is forbidden.
fn manages(actor: &Actor, grants: &[antt_core::access::Grant]) -> Result<()> {
    if !grants.iter().any(|g| actor.may(Action::Read, &g.unit_path)) {
        return Err(user_not_found());
    }
    if grants.iter().all(|g| actor.may(Action::ManageUsers, &g.unit_path)) {
        Ok(())
    } else {
        Err(Error::Forbidden("Người dùng này có quyền ngoài phạm vi quản lý của bạn.".into()))
    }
}

/// The unit an account action is filed under in the audit log: the user's first grant.
fn home_unit(user: &User) -> Option<&str> {
    user.grants.first().map(|g| g.unit_id.as_str())
}

impl App {
    /// Checks that the actor may manage a user's tokens: they are their own, or the actor
    /// manages the user ([`manages`]).
    async fn managed_user(&self, actor: &Actor, user_id: &str) -> Result<User> {
        let user = users::active(self.store(), user_id).await?.ok_or_else(user_not_found)?;
        if user.id != actor.user_id {
            manages(actor, &user.grants)?;
        }
        Ok(user)
    }

    /// A new API token for a user who just proved their password, valid `days` days
    /// ([`TOKEN_DAYS`] unless asked, at most [`TOKEN_DAYS_MAX`]). Returns it with the token
    /// itself, shown this once. Audited.
    pub async fn create_token(&self, user: &User, name: &str, days: Option<i64>) -> Result<(ApiToken, String)> {
        if user.must_change_password {
            return Err(Error::Forbidden(MUST_CHANGE.into()));
        }
        let name = antt_core::text::nfc(name.trim()).into_owned();
        let mut errors = FieldErrors::default();
        if name.is_empty() {
            errors.add("name", "Không được để trống.");
        } else if name.chars().count() > TOKEN_NAME_MAX {
            errors.add("name", format!("Tối đa {TOKEN_NAME_MAX} ký tự."));
        }
        let days = days.unwrap_or(TOKEN_DAYS);
        if !(1..=TOKEN_DAYS_MAX).contains(&days) {
            errors.add("expires_in_days", format!("Từ 1 đến {TOKEN_DAYS_MAX} ngày."));
        }
        errors.into_result()?;
        let expires_at = (chrono::Utc::now() + chrono::Duration::days(days)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let mut tx = self.store().begin().await?;
        let created = users::create_api_token(&mut tx, &user.id, &name, &expires_at, home_unit(user)).await?;
        tx.commit().await.map_err(antt_store::StoreError::from)?;
        Ok(created)
    }

    /// The API tokens of a user, newest first, for the user or an admin who manages them.
    pub async fn tokens(&self, actor: &Actor, user_id: &str) -> Result<Vec<ApiToken>> {
        let user = self.managed_user(actor, user_id).await?;
        Ok(users::api_tokens(self.store(), &user.id).await?)
    }

    /// Revokes an API token, by its owner or an admin who manages the owner: from then on it
    /// gets 401. Revoking a revoked token changes nothing. Audited.
    pub async fn revoke_token(&self, actor: &Actor, token_id: &str) -> Result<ApiToken> {
        let token = users::api_token(self.store(), token_id).await?.ok_or_else(|| Error::not_found("mã truy cập này"))?;
        let owner = self.managed_user(actor, &token.user_id).await.map_err(|e| match e {
            Error::Forbidden(_) | Error::NotFound(_) => Error::not_found("mã truy cập này"),
            other => other,
        })?;
        if !token.revoked {
            let mut tx = self.store().begin().await?;
            users::revoke_api_token(&mut tx, &actor.user_id, &token, home_unit(&owner)).await?;
            tx.commit().await.map_err(antt_store::StoreError::from)?;
        }
        Ok(ApiToken { revoked: true, ..token })
    }
}

impl App {
    /// Changes the actor's own password. The current one must be right; wrong ones are counted
    /// like sign-in attempts (five per window), so an unattended session cannot be used to guess
    /// it. The user's other sessions end; `keep_session` (the token of the session asking, if
    /// any) stays. Audited.
    pub async fn change_password(&self, actor: &Actor, current: &str, new: &str, keep_session: Option<&str>) -> Result<()> {
        let store = self.store();
        let mut errors = FieldErrors::default();
        let attempts = bucket(&["password", &actor.user_id]);
        let window = chrono::Duration::minutes(WINDOW_MINUTES);
        let count = throttle::count(store, &[&attempts], window).await?;
        if count.first().is_some_and(|c| c.attempts > ATTEMPTS_PER_ACCOUNT_AND_CLIENT) {
            errors.add("current_password", format!("Đã nhập sai mật khẩu hiện tại quá nhiều lần; hãy thử lại sau {WINDOW_MINUTES} phút."));
        } else {
            let hash = users::password_hash(store, &actor.user_id).await?.ok_or_else(|| Error::not_found("tài khoản này"))?;
            if users::verify(current, &hash).await? {
                throttle::clear(store, &attempts).await?;
            } else {
                errors.add("current_password", "Mật khẩu hiện tại không đúng.");
            }
        }
        if let Some(problem) = password_problem(new, &actor.username, &actor.full_name) {
            errors.add("new_password", problem);
        } else if new == current {
            errors.add("new_password", "Mật khẩu mới phải khác mật khẩu hiện tại.");
        }
        errors.into_result()?;
        let hash = users::hash(new).await?;
        let unit = actor.grants.first().map(|g| g.unit_id.as_str());
        let mut tx = store.begin().await?;
        users::set_password(&mut tx, Some(&actor.user_id), &actor.user_id, &hash, None, keep_session, unit).await?;
        tx.commit().await.map_err(antt_store::StoreError::from)?;
        Ok(())
    }
}

/// What an admin manages of a user: the account with its grants, and its open sessions.
#[derive(Debug, Clone)]
pub struct Managed {
    pub user: users::Listed,
    pub sessions: Vec<users::SessionInfo>,
}

impl App {
    /// The users with a grant inside the subtree of `unit_id`, which the actor manages.
    pub async fn accounts_in(&self, actor: &Actor, unit_id: &str) -> Result<Vec<users::Listed>> {
        let unit = self.unit(actor, unit_id, Action::ManageUsers).await?;
        Ok(users::in_subtree(self.store(), &unit.path).await?)
    }

    /// A user the actor manages, enabled or not, with their sessions.
    pub async fn managed(&self, actor: &Actor, user_id: &str) -> Result<Managed> {
        let user = users::listed(self.store(), user_id).await?.ok_or_else(user_not_found)?;
        manages(actor, &user.grants)?;
        let sessions = users::sessions_of(self.store(), &user.id).await?;
        Ok(Managed { user, sessions })
    }

    /// A user another admin acts on: managed by the actor and not the actor (their own account
    /// is changed on their own page).
    pub(crate) async fn other(&self, actor: &Actor, user_id: &str) -> Result<users::Listed> {
        let managed = self.managed(actor, user_id).await?;
        if managed.user.id == actor.user_id {
            return Err(Error::Forbidden("Không thể làm việc này với chính tài khoản của mình.".into()));
        }
        Ok(managed.user)
    }

    /// Disables an account: it can no longer sign in, its sessions end at once and its tokens
    /// stop working. Audited.
    pub async fn disable_account(&self, actor: &Actor, user_id: &str) -> Result<()> {
        let user = self.other(actor, user_id).await?;
        let unit = user.grants.first().map(|g| g.unit_id.as_str());
        let mut tx = self.store().begin().await?;
        users::disable(&mut tx, Some(&actor.user_id), &user.id, unit).await?;
        tx.commit().await.map_err(antt_store::StoreError::from)?;
        Ok(())
    }

    /// Replaces a user's password by a one-time code, returned to be shown to the admin once:
    /// the user signs in with it within [`ONE_TIME_CODE_HOURS`] hours and must choose a new
    /// password before anything else. Their sessions end. Audited (never the code).
    pub async fn reset_password(&self, actor: &Actor, user_id: &str) -> Result<OneTimeCode> {
        let user = self.other(actor, user_id).await?;
        let code = one_time_code();
        let hash = users::hash(&code.code).await?;
        let unit = user.grants.first().map(|g| g.unit_id.as_str());
        let mut tx = self.store().begin().await?;
        users::set_password(&mut tx, Some(&actor.user_id), &user.id, &hash, Some(&code.expires_at), None, unit).await?;
        tx.commit().await.map_err(antt_store::StoreError::from)?;
        Ok(code)
    }

    /// Grants a role on a unit to a user the actor manages, the unit inside the actor's own
    /// subtree. Audited.
    pub async fn grant_role(&self, actor: &Actor, user_id: &str, role: Role, unit_id: &str) -> Result<()> {
        let user = self.other(actor, user_id).await?;
        self.unit(actor, unit_id, Action::ManageUsers).await?;
        let mut tx = self.store().begin().await?;
        users::lock_grants(&mut tx, self.store().backend(), &user.id).await?;
        users::grant(&mut tx, Some(&actor.user_id), &user.id, role, unit_id).await?;
        tx.commit().await.map_err(antt_store::StoreError::from)?;
        Ok(())
    }

    /// Withdraws a role on a unit from a user the actor manages. The last grant stays (a user
    /// without any would be nobody's to manage): disable the account instead. The count is read
    /// with the user's row held, so two withdrawals at once cannot both take the last two.
    /// Audited.
    pub async fn withdraw_role(&self, actor: &Actor, user_id: &str, role: Role, unit_id: &str) -> Result<()> {
        let user = self.other(actor, user_id).await?;
        self.unit(actor, unit_id, Action::ManageUsers).await?;
        let mut tx = self.store().begin().await?;
        if users::lock_grants(&mut tx, self.store().backend(), &user.id).await? <= 1 {
            return Err(Error::invalid("Không bỏ được quyền cuối cùng của người dùng; nếu người này thôi làm việc, hãy khóa tài khoản."));
        }
        if !users::withdraw(&mut tx, Some(&actor.user_id), &user.id, role, unit_id).await? {
            return Err(Error::not_found("quyền này của người dùng"));
        }
        tx.commit().await.map_err(antt_store::StoreError::from)?;
        Ok(())
    }

    /// Ends every session of a user the actor manages; returns how many there were. Audited.
    pub async fn end_sessions(&self, actor: &Actor, user_id: &str) -> Result<u64> {
        let user = self.other(actor, user_id).await?;
        let unit = user.grants.first().map(|g| g.unit_id.as_str());
        let mut tx = self.store().begin().await?;
        let ended = users::end_sessions(&mut tx, Some(&actor.user_id), &user.id, unit).await?;
        tx.commit().await.map_err(antt_store::StoreError::from)?;
        Ok(ended)
    }
}
