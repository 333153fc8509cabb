//! Sign-in: sessions in the database behind an HttpOnly cookie (a new token at every login),
//! bearer tokens for API clients, login throttling and lockout.

use antt_app::Actor;
use antt_store::users::{self, LoginError};
use askama::Template;
use axum::extract::{FromRequestParts, State};
use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
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
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
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
            return Ok(Self { actor: Actor::from_user(&user), csrf: String::new() });
        }
        let token = cookie(&parts.headers, COOKIE_NAME).ok_or(AppError::Unauthenticated)?;
        let session = users::session(state.app.store(), token).await?.ok_or(AppError::Unauthenticated)?;
        Ok(Self { actor: Actor::from_user(&session.user), csrf: session.csrf_token })
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
}

async fn login_page() -> Result<Html<String>, AppError> {
    Ok(Html(LoginPage { username: String::new(), error: None }.render()?))
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
}

async fn login(State(state): State<AppState>, Form(form): Form<LoginForm>) -> Result<Response, AppError> {
    let refused = |error: String| -> Result<Response, AppError> {
        let page = LoginPage { username: form.username.clone(), error: Some(error) };
        Ok((axum::http::StatusCode::UNAUTHORIZED, Html(page.render()?)).into_response())
    };
    if form.username.contains('\0') || form.password.contains('\0') {
        return refused("Tên đăng nhập hoặc mật khẩu không đúng.".into());
    }
    match users::login(state.app.store(), &form.username, &form.password).await? {
        Ok(user) => {
            let token = users::start_session(state.app.store(), &user.id).await?;
            let secure = if state.config.secure_cookies { "; Secure" } else { "" };
            let cookie = format!("{COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}", users::SESSION_HOURS * 3600);
            Ok(([(SET_COOKIE, cookie)], Redirect::to("/")).into_response())
        }
        Err(LoginError::WrongCredentials) => refused("Tên đăng nhập hoặc mật khẩu không đúng.".into()),
        Err(LoginError::LockedUntil(until)) => refused(format!(
            "Tài khoản tạm khóa do nhập sai mật khẩu {} lần; thử lại sau {}.",
            users::MAX_FAILED_LOGINS,
            crate::view::instant(&until)
        )),
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
