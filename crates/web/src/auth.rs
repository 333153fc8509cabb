//! Sign-in: sessions in the database behind an HttpOnly cookie (a new token at every login),
//! bearer tokens for API clients, sign-in attempts throttled per client (`antt_app::accounts`).

use std::net::SocketAddr;

use antt_app::Actor;
use antt_app::accounts::{Client, Refusal};
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
        if let Some(token) = parts.headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")) {
            let user = users::api_user(state.app.store(), token.trim()).await?.ok_or(AppError::Unauthenticated)?;
            return Ok(Self { actor: Actor::from_user(&user), csrf: String::new(), must_change_password: false, flash: None });
        }
        let token = cookie(&parts.headers, COOKIE_NAME).ok_or(AppError::Unauthenticated)?;
        let session = users::session(state.app.store(), token).await?.ok_or(AppError::Unauthenticated)?;
        if session.user.must_change_password && ![crate::pages::account::PASSWORD_PAGE, "/logout"].contains(&parts.uri.path()) {
            return Err(AppError::MustChangePassword);
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
        Refusal::TooManyAttempts { until } => {
            format!("Có quá nhiều lần đăng nhập không thành công từ địa chỉ mạng này; hãy thử lại sau {}.", crate::view::instant(until))
        }
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/login", get(login_page).post(login)).route("/logout", post(logout))
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
        let status = match refusal {
            Refusal::WrongCredentials => StatusCode::UNAUTHORIZED,
            Refusal::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
        };
        Ok((status, Html(page.render()?)).into_response())
    };
    if form.username.contains('\0') || form.password.contains('\0') {
        return refused(&Refusal::WrongCredentials);
    }
    match state.app.sign_in(&form.username, &form.password, &client).await? {
        Ok(user) => {
            let token = users::start_session(state.app.store(), &user.id).await?;
            let secure = if state.config.secure_cookies { "; Secure" } else { "" };
            let cookie = format!("{COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}", users::SESSION_HOURS * 3600);
            Ok(([(SET_COOKIE, cookie)], Redirect::to(crate::resume::after_sign_in(&state, &headers, &user.id))).into_response())
        }
        Err(refusal) => refused(&refusal),
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
