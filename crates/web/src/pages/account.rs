//! The signed-in user's own account: changing the password with the current one
//! (`antt_app::accounts::change_password`, as the API's `PUT /account/password`).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::auth::{CurrentUser, session_token};
use crate::forms::{FieldErrors, SecureForm, on_form};
use crate::view::Frame;
use crate::{AppError, AppState};

/// Where a user changes their password, and where a user signed in with a one-time code is sent.
pub const PASSWORD_PAGE: &str = "/account/password";

pub fn routes() -> Router<AppState> {
    Router::new().route(PASSWORD_PAGE, get(form).post(change))
}

#[derive(Template)]
#[template(path = "account_password.html")]
struct PasswordPage {
    frame: Frame,
    username: String,
    min_chars: usize,
    errors: FieldErrors,
    message: Option<String>,
    done: bool,
    must_change: bool,
}

fn page(user: &CurrentUser, errors: FieldErrors, message: Option<String>, done: bool) -> PasswordPage {
    PasswordPage {
        frame: Frame::new(user, "Đổi mật khẩu", "account"),
        username: user.actor.username.clone(),
        min_chars: antt_app::accounts::PASSWORD_MIN_CHARS,
        errors,
        message,
        done,
        must_change: user.must_change_password && !done,
    }
}

async fn form(user: CurrentUser) -> Result<Html<String>, AppError> {
    Ok(Html(page(&user, FieldErrors::default(), None, false).render()?))
}

#[derive(Debug, Deserialize)]
struct PasswordForm {
    current_password: String,
    new_password: String,
    confirm_password: String,
}

/// Passwords typed are not sent back into the page; every message says which field to retype.
async fn change(
    State(state): State<AppState>,
    headers: HeaderMap,
    SecureForm(user, f): SecureForm<PasswordForm>,
) -> Result<Response, AppError> {
    if f.new_password != f.confirm_password {
        let mut errors = FieldErrors::default();
        errors.add("confirm_password", "Hai lần nhập mật khẩu mới không khớp; hãy nhập lại cả hai.");
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page(&user, errors, None, false).render()?)).into_response());
    }
    match state.app.change_password(&user.actor, &f.current_password, &f.new_password, session_token(&headers)).await {
        Ok(()) => Ok(Html(page(&user, FieldErrors::default(), None, true).render()?).into_response()),
        Err(e) => {
            let (status, errors, message) = on_form(e)?;
            Ok((status, Html(page(&user, errors, message, false).render()?)).into_response())
        }
    }
}
