//! The signed-in user's own account: changing the password with the current one
//! (`antt_app::accounts::change_password`, as the API's `PUT /account/password`), enrolling a
//! second factor (`antt_app::second_factor`), and the user's API tokens — listed, made with a
//! name and an expiry, revoked (`antt_app::accounts`, as the API's `/tokens`).

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::auth::{ClientAddress, CurrentUser, session_token};
use crate::forms::{FieldErrors, SecureForm, on_form};
use crate::view::{self, Frame};
use crate::{AppError, AppState};

/// Where a user changes their password, and where a user signed in with a one-time code is sent.
pub const PASSWORD_PAGE: &str = "/account/password";
/// Where a user enrols a second factor, and where an admin without one is sent when the
/// deployment requires it.
pub const SECOND_FACTOR_PAGE: &str = "/account/second-factor";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(PASSWORD_PAGE, get(form).post(change))
        .route(SECOND_FACTOR_PAGE, get(second_factor).post(confirm_second_factor))
        .route("/account/tokens", get(tokens).post(create_token))
        .route("/account/tokens/{id}/revoke", post(revoke_token))
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

#[derive(Template)]
#[template(path = "account_second_factor.html")]
struct SecondFactorPage {
    frame: Frame,
    /// The deployment requires a second factor of this user, who has none yet.
    required: bool,
    /// Just confirmed: the recovery codes, shown this once.
    recovery_codes: Option<Vec<String>>,
    /// On: how many recovery codes are left.
    codes_left: Option<i64>,
    /// Off: the secret being enrolled.
    enrolment: Option<antt_app::second_factor::Enrolment>,
    code: String,
    digits: usize,
    errors: FieldErrors,
    message: Option<String>,
}

async fn second_factor_page(
    state: &AppState,
    user: &CurrentUser,
    code: String,
    errors: FieldErrors,
    message: Option<String>,
) -> Result<SecondFactorPage, AppError> {
    let codes_left = state.app.second_factor_status(&user.actor).await?;
    let enrolment = match codes_left {
        Some(_) => None,
        None => Some(state.app.enrolment(&user.actor).await?),
    };
    let required = codes_left.is_none()
        && state.config.require_second_factor_for_admin
        && user.actor.grants.iter().any(|g| g.role == antt_core::access::Role::Admin);
    Ok(SecondFactorPage {
        frame: Frame::new(user, "Xác thực hai bước", "account"),
        required,
        recovery_codes: None,
        codes_left,
        enrolment,
        code,
        digits: antt_core::totp::DIGITS,
        errors,
        message,
    })
}

async fn second_factor(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>, AppError> {
    Ok(Html(second_factor_page(&state, &user, String::new(), FieldErrors::default(), None).await?.render()?))
}

#[derive(Debug, Deserialize)]
struct CodeForm {
    code: String,
}

async fn confirm_second_factor(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    SecureForm(user, f): SecureForm<CodeForm>,
) -> Result<Response, AppError> {
    match state.app.confirm_second_factor(&user.actor, &f.code, &client).await {
        Ok(codes) => {
            let mut page = second_factor_page(&state, &user, String::new(), FieldErrors::default(), None).await?;
            page.recovery_codes = Some(codes);
            page.required = false;
            Ok(Html(page.render()?).into_response())
        }
        Err(e) => {
            let (status, errors, message) = on_form(e)?;
            Ok((status, Html(second_factor_page(&state, &user, f.code, errors, message).await?.render()?)).into_response())
        }
    }
}

/// A token as listed on the page.
#[derive(Debug, Clone)]
struct TokenRow {
    id: String,
    name: String,
    created_at: String,
    expires_at: String,
    last_used_at: String,
    state: &'static str,
    active: bool,
}

impl From<antt_store::users::ApiToken> for TokenRow {
    fn from(t: antt_store::users::ApiToken) -> Self {
        let expired = t.expires_at.as_str() <= antt_store::now().as_str();
        let (state, active) = match (t.revoked, expired) {
            (true, _) => ("đã thu hồi", false),
            (false, true) => ("đã hết hạn", false),
            (false, false) => ("dùng được", true),
        };
        Self {
            id: t.id,
            name: t.name,
            created_at: view::instant(&t.created_at),
            expires_at: view::instant(&t.expires_at),
            last_used_at: t.last_used_at.as_deref().map_or_else(|| "chưa dùng".into(), view::instant),
            state,
            active,
        }
    }
}

#[derive(Template)]
#[template(path = "account_tokens.html")]
struct TokensPage {
    frame: Frame,
    tokens: Vec<TokenRow>,
    /// Just made: its name, expiry and the token itself, shown this once.
    created: Option<(String, String, String)>,
    name: String,
    days: String,
    name_max: usize,
    days_max: i64,
    errors: FieldErrors,
    message: Option<String>,
}

async fn tokens_page(
    state: &AppState,
    user: &CurrentUser,
    name: String,
    days: String,
    errors: FieldErrors,
) -> Result<TokensPage, AppError> {
    let tokens = state.app.tokens(&user.actor, &user.actor.user_id).await?.into_iter().map(TokenRow::from).collect();
    Ok(TokensPage {
        frame: Frame::new(user, "Mã truy cập API", "account"),
        tokens,
        created: None,
        name,
        days,
        name_max: antt_app::accounts::TOKEN_NAME_MAX,
        days_max: antt_app::accounts::TOKEN_DAYS_MAX,
        errors,
        message: None,
    })
}

async fn tokens(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>, AppError> {
    let days = antt_app::accounts::TOKEN_DAYS.to_string();
    Ok(Html(tokens_page(&state, &user, String::new(), days, FieldErrors::default()).await?.render()?))
}

#[derive(Debug, Deserialize)]
struct TokenForm {
    name: String,
    expires_in_days: String,
}

async fn create_token(State(state): State<AppState>, SecureForm(user, f): SecureForm<TokenForm>) -> Result<Response, AppError> {
    let refused = |errors: FieldErrors| async {
        let page = tokens_page(&state, &user, f.name.clone(), f.expires_in_days.clone(), errors).await?;
        Ok::<_, AppError>((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
    };
    let Ok(days) = f.expires_in_days.trim().parse::<i64>() else {
        let mut errors = FieldErrors::default();
        errors.add("expires_in_days", "Cần một số nguyên ngày.");
        return refused(errors).await;
    };
    let owner = antt_store::users::active(state.app.store(), &user.actor.user_id).await?.ok_or(AppError::Unauthenticated)?;
    match state.app.create_token(&owner, &f.name, Some(days)).await {
        Ok((row, token)) => {
            let mut page =
                tokens_page(&state, &user, String::new(), antt_app::accounts::TOKEN_DAYS.to_string(), FieldErrors::default()).await?;
            page.created = Some((row.name, view::instant(&row.expires_at), token));
            Ok(Html(page.render()?).into_response())
        }
        Err(e) => {
            let (_, errors, _) = on_form(e)?;
            refused(errors).await
        }
    }
}

#[derive(Debug, Deserialize)]
struct RevokeForm {}

async fn revoke_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SecureForm(user, _f): SecureForm<RevokeForm>,
) -> Result<Response, AppError> {
    let revoked = state.app.revoke_token(&user.actor, &id).await?;
    let days = antt_app::accounts::TOKEN_DAYS.to_string();
    let mut page = tokens_page(&state, &user, String::new(), days, FieldErrors::default()).await?;
    page.message = Some(format!("Đã thu hồi mã “{}”: từ nay phần mềm dùng mã này nhận lỗi 401.", revoked.name));
    Ok(Html(page.render()?).into_response())
}
