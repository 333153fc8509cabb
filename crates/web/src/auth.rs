//! Sign-in: sessions in the database behind an HttpOnly cookie (a new token at every login),
//! bearer tokens for API clients, sign-in attempts throttled per client (`antt_app::accounts`).
//! An account with a second factor signs in in two steps: the password starts an awaited
//! sign-in (a cookie of its own, five minutes), and the code from the app turns it into a
//! session (`antt_app::second_factor`).

use std::net::SocketAddr;

use antt_app::Actor;
use antt_app::accounts::{Client, Refusal};
use antt_app::second_factor::must_enrol;
use antt_store::users;
use askama::Template;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::header::{AUTHORIZATION, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use crate::forms::SecureForm;
use crate::{AppError, AppState};

pub const COOKIE_NAME: &str = "antt_session";
/// The cookie of a sign-in whose password was right and whose second-factor code is awaited.
pub const PENDING_COOKIE: &str = "antt_pending";
/// The page that asks for the second-factor code.
pub const CODE_PAGE: &str = "/login/code";

/// The signed-in user of a request, with the CSRF token its forms must carry.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub actor: Actor,
    pub csrf: String,
    /// Signed in with a one-time code: only the password page is open.
    pub must_change_password: bool,
    /// What the last save said ("Đã lưu …"), shown once at the top of the next page.
    pub flash: Option<String>,
}

/// The session token a browser sends, if any.
pub fn session_token(headers: &HeaderMap) -> Option<&str> {
    cookie(headers, COOKIE_NAME)
}

pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get_all(COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let required = state.config.require_second_factor_for_admin;
        if let Some(token) = parts.headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")) {
            let user = users::api_user(state.app.store(), token.trim()).await?.ok_or(AppError::Unauthenticated)?;
            if must_enrol(&user, required) {
                return Err(AppError::Forbidden(MUST_ENROL.into()));
            }
            return Ok(Self { actor: Actor::from_user(&user), csrf: String::new(), must_change_password: false, flash: None });
        }
        let token = cookie(&parts.headers, COOKIE_NAME).ok_or(AppError::Unauthenticated)?;
        let session = users::session(state.app.store(), token).await?.ok_or(AppError::Unauthenticated)?;
        let path = parts.uri.path();
        if session.user.must_change_password && ![crate::pages::account::PASSWORD_PAGE, "/logout"].contains(&path) {
            return Err(AppError::MustChangePassword);
        }
        if must_enrol(&session.user, required) && ![crate::pages::account::SECOND_FACTOR_PAGE, "/logout"].contains(&path) {
            return Err(AppError::MustEnrolSecondFactor);
        }
        Ok(Self {
            actor: Actor::from_user(&session.user),
            csrf: session.csrf_token,
            must_change_password: session.user.must_change_password,
            flash: crate::forms::flash_of(&parts.headers),
        })
    }
}

/// The address a request comes from, for the sign-in throttle: the connection's peer, or, behind
/// a reverse proxy named in the settings, the address the proxy puts in its header.
#[derive(Debug, Clone)]
pub struct ClientAddress(pub Client);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let from_header = state.config.client_address_header.as_ref().and_then(|name| {
            let value = parts.headers.get_all(name).iter().next_back()?.to_str().ok()?;
            value.rsplit(',').next()?.trim().parse().ok()
        });
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        Ok(Self(from_header.or(peer).map_or_else(Client::unknown, Client::from_ip)))
    }
}

/// The message of a refused sign-in, the same for the page and the API, and the same whether
/// the user name exists or not.
pub fn refusal_message(refusal: &Refusal) -> String {
    match refusal {
        Refusal::WrongCredentials => "Tên đăng nhập hoặc mật khẩu không đúng.".into(),
        Refusal::CodeExpired => format!(
            "Mã dùng một lần này đã hết hạn (mã chỉ dùng được trong {} giờ); hãy nhờ quản trị viên cấp mã mới.",
            antt_app::accounts::ONE_TIME_CODE_HOURS
        ),
        Refusal::WrongCode => {
            "Mã xác thực hai bước không đúng hoặc đã dùng; hãy nhập mã ứng dụng xác thực đang hiện, hoặc một mã khôi phục chưa dùng.".into()
        }
        Refusal::TooManyAttempts { until } => {
            format!("Có quá nhiều lần đăng nhập không thành công từ địa chỉ mạng này; hãy thử lại sau {}.", crate::view::instant(until))
        }
    }
}

/// The status of a refused sign-in: 429 when the client must wait, 401 otherwise.
pub fn refusal_status(refusal: &Refusal) -> StatusCode {
    match refusal {
        Refusal::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
        Refusal::WrongCredentials | Refusal::CodeExpired | Refusal::WrongCode => StatusCode::UNAUTHORIZED,
    }
}

/// Why an admin without a second factor may do nothing else, where the deployment requires it.
pub const MUST_ENROL: &str = "Máy chủ này yêu cầu quản trị viên bật xác thực hai bước: hãy đăng ký ứng dụng xác thực ở trang \
     Xác thực hai bước (/account/second-factor) trước khi làm việc khác.";

pub fn routes() -> Router<AppState> {
    Router::new().route("/login", get(login_page).post(login)).route(CODE_PAGE, get(code_page).post(code)).route("/logout", post(logout))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    username: String,
    error: Option<String>,
    /// A form sent after the session lapsed was kept.
    kept: bool,
}

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    form: String,
}

async fn login_page(axum::extract::Query(q): axum::extract::Query<LoginQuery>) -> Result<Html<String>, AppError> {
    Ok(Html(LoginPage { username: String::new(), error: None, kept: q.form == "kept" }.render()?))
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
}

async fn login(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let refused = |refusal: &Refusal| -> Result<Response, AppError> {
        let page = LoginPage { username: form.username.clone(), error: Some(refusal_message(refusal)), kept: false };
        Ok((refusal_status(refusal), Html(page.render()?)).into_response())
    };
    if form.username.contains('\0') || form.password.contains('\0') {
        return refused(&Refusal::WrongCredentials);
    }
    match state.app.sign_in(&form.username, &form.password, &client).await? {
        Ok(user) if user.second_factor => {
            let token = state.app.await_second_factor(&user).await?;
            let max_age = antt_app::second_factor::PENDING_MINUTES * 60;
            let cookie = format!("{PENDING_COOKIE}={token}; Path=/login; HttpOnly; SameSite=Lax; Max-Age={max_age}{}", secure(&state));
            Ok(([(SET_COOKIE, cookie)], Redirect::to(CODE_PAGE)).into_response())
        }
        Ok(user) => start_session(&state, &headers, &user.id, None).await,
        Err(refusal) => refused(&refusal),
    }
}

fn secure(state: &AppState) -> &'static str {
    if state.config.secure_cookies { "; Secure" } else { "" }
}

/// Starts a session and sends its cookie, ending the awaited sign-in's cookie if there was one;
/// then goes to a form kept when the previous session lapsed, if any, or home.
async fn start_session(state: &AppState, headers: &HeaderMap, user_id: &str, ending_pending: Option<&str>) -> Result<Response, AppError> {
    let token = users::start_session(state.app.store(), user_id).await?;
    let cookie = format!("{COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}", users::SESSION_HOURS * 3600, secure(state));
    let mut response = ([(SET_COOKIE, cookie)], Redirect::to(crate::resume::after_sign_in(state, headers, user_id))).into_response();
    if ending_pending.is_some() {
        let clear = format!("{PENDING_COOKIE}=; Path=/login; HttpOnly; SameSite=Lax; Max-Age=0");
        if let Ok(value) = clear.parse() {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    Ok(response)
}

#[derive(Template)]
#[template(path = "login_code.html")]
struct CodePage {
    error: Option<String>,
    digits: usize,
}

/// The awaited sign-in of a request: its token and user, or `None` (expired, or never started).
async fn awaited<'a>(state: &AppState, headers: &'a HeaderMap) -> Result<Option<(&'a str, String)>, AppError> {
    let Some(token) = cookie(headers, PENDING_COOKIE) else { return Ok(None) };
    Ok(state.app.awaiting_second_factor(token).await?.map(|user| (token, user)))
}

async fn code_page(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    if awaited(&state, &headers).await?.is_none() {
        return Ok(Redirect::to("/login").into_response());
    }
    Ok(Html(CodePage { error: None, digits: antt_core::totp::DIGITS }.render()?).into_response())
}

#[derive(Debug, Deserialize)]
pub struct CodeForm {
    code: String,
}

async fn code(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let Some((token, user_id)) = awaited(&state, &headers).await? else {
        let page = LoginPage {
            username: String::new(), error: Some("Đã quá thời gian nhập mã; hãy đăng nhập lại.".into()), kept: false
        };
        return Ok((StatusCode::UNAUTHORIZED, Html(page.render()?)).into_response());
    };
    match state.app.second_factor(&user_id, &form.code, &client).await? {
        Ok(user) => {
            state.app.end_awaiting(token).await?;
            start_session(&state, &headers, &user.id, Some(token)).await
        }
        Err(refusal) => {
            let page = CodePage { error: Some(refusal_message(&refusal)), digits: antt_core::totp::DIGITS };
            Ok((refusal_status(&refusal), Html(page.render()?)).into_response())
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct LogoutForm {}

async fn logout(State(state): State<AppState>, headers: HeaderMap, _form: SecureForm<LogoutForm>) -> Result<Response, AppError> {
    if let Some(token) = cookie(&headers, COOKIE_NAME) {
        users::end_session(state.app.store(), token).await?;
    }
    let clear = format!("{COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    Ok(([(SET_COOKIE, clear)], Redirect::to("/login")).into_response())
}
