//! Accounts of a subtree, for its admin: the list with a form to create one (it gets a one-time
//! code, shown once), and each user's page to grant and withdraw roles, reset the password or
//! the second factor, end the sessions or disable the account — the same use cases as the API's `/users`.

use antt_app::accounts::{By, NewAccount, OneTimeCode};
use antt_core::access::{Action, Role};
use antt_store::users::{Listed, SessionInfo};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::forms::{FieldErrors, SecureForm, on_form};
use crate::view::{self, Frame};
use crate::{AppError, AppState};

pub fn routes() -> Router<AppState> {
    Router::new().route("/users", get(list).post(create)).route("/users/{id}", get(show)).route("/users/{id}/{action}", post(act))
}

/// A role and its Vietnamese name, for the select boxes.
fn roles() -> Vec<(&'static str, &'static str)> {
    Role::ALL.iter().map(|r| (r.code(), r.name())).collect()
}

/// A grant as shown: the role's code and Vietnamese name, and the unit.
#[derive(Debug, Clone)]
struct GrantRow {
    role: &'static str,
    name: &'static str,
    unit: String,
}

fn grant_rows(user: &Listed) -> Vec<GrantRow> {
    user.grants.iter().map(|g| GrantRow { role: g.role.code(), name: g.role.name(), unit: g.unit_id.clone() }).collect()
}

/// A user of the list with their grants as shown.
#[derive(Debug, Clone)]
struct UserRow {
    user: Listed,
    grants: Vec<GrantRow>,
}

#[derive(Template)]
#[template(path = "users_list.html")]
struct ListPage {
    frame: Frame,
    unit: String,
    users: Vec<UserRow>,
    roles: Vec<(&'static str, &'static str)>,
    form: NewUserForm,
    errors: FieldErrors,
    message: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    #[serde(default)]
    unit: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
struct NewUserForm {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit_id: String,
}

/// The unit whose users are listed: the one asked for, else the actor's first grant that
/// manages users.
fn scope_of(user: &CurrentUser, asked: &str) -> Result<String, AppError> {
    if !asked.trim().is_empty() {
        return Ok(asked.trim().to_owned());
    }
    user.actor
        .grants
        .iter()
        .find(|g| g.role.allows(Action::ManageUsers))
        .map(|g| g.unit_id.clone())
        .ok_or_else(|| AppError::Forbidden(antt_app::access::forbidden(Action::ManageUsers).to_string()))
}

async fn render_list(
    state: &AppState,
    user: &CurrentUser,
    unit: String,
    form: NewUserForm,
    errors: FieldErrors,
    message: Option<String>,
) -> Result<ListPage, AppError> {
    let users = state.app.accounts_in(&user.actor, &unit).await?.into_iter().map(|u| UserRow { grants: grant_rows(&u), user: u }).collect();
    Ok(ListPage { frame: Frame::new(user, "Người dùng", "users"), unit, users, roles: roles(), form, errors, message })
}

async fn list(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ListQuery>) -> Result<Html<String>, AppError> {
    let unit = scope_of(&user, &q.unit)?;
    let form = NewUserForm { unit_id: unit.clone(), ..NewUserForm::default() };
    Ok(Html(render_list(&state, &user, unit, form, FieldErrors::default(), None).await?.render()?))
}

async fn create(State(state): State<AppState>, SecureForm(user, form): SecureForm<NewUserForm>) -> Result<Response, AppError> {
    let unit = scope_of(&user, &form.unit)?;
    let Some(role) = Role::parse(&form.role) else {
        let mut errors = FieldErrors::default();
        errors.add("role", "Cần chọn vai trò.");
        let page = render_list(&state, &user, unit, form, errors, None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
    };
    let input = NewAccount {
        username: form.username.clone(),
        full_name: form.full_name.clone(),
        password: None,
        role,
        unit_id: form.unit_id.trim().to_owned(),
    };
    match state.app.create_account(By::User(&user.actor), &input).await {
        Ok(created) => {
            let page = render_show(&state, &user, &created.id, created.one_time_code, None, None).await?;
            Ok((StatusCode::CREATED, Html(page.render()?)).into_response())
        }
        Err(e) => {
            let (status, errors, message) = on_form(e)?;
            let page = render_list(&state, &user, unit, form, errors, message).await?;
            Ok((status, Html(page.render()?)).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "user_show.html")]
struct ShowPage {
    frame: Frame,
    user: Listed,
    grants: Vec<GrantRow>,
    sessions: Vec<(String, String)>,
    roles: Vec<(&'static str, &'static str)>,
    /// A one-time code just made, shown this once, and until when it works.
    code: Option<(String, String)>,
    code_hours: i64,
    message: Option<String>,
    error: Option<String>,
    own: bool,
}

async fn render_show(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    code: Option<OneTimeCode>,
    message: Option<String>,
    error: Option<String>,
) -> Result<ShowPage, AppError> {
    let managed = state.app.managed(&user.actor, id).await?;
    let sessions = managed.sessions.iter().map(|s: &SessionInfo| (view::instant(&s.created_at), view::instant(&s.expires_at))).collect();
    Ok(ShowPage {
        frame: Frame::new(user, format!("Người dùng {}", managed.user.username), "users"),
        grants: grant_rows(&managed.user),
        own: managed.user.id == user.actor.user_id,
        user: managed.user,
        sessions,
        roles: roles(),
        code: code.map(|c| (c.code, view::instant(&c.expires_at))),
        code_hours: antt_app::accounts::ONE_TIME_CODE_HOURS,
        message,
        error,
    })
}

async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> Result<Html<String>, AppError> {
    Ok(Html(render_show(&state, &user, &id, None, None, None).await?.render()?))
}

#[derive(Debug, Default, Deserialize)]
struct ActionForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit_id: String,
}

/// One action on a user, then the user's page with what happened.
async fn act(
    State(state): State<AppState>,
    Path((id, action)): Path<(String, String)>,
    SecureForm(user, form): SecureForm<ActionForm>,
) -> Result<Response, AppError> {
    let app = &state.app;
    let role = || Role::parse(&form.role).ok_or_else(|| antt_app::Error::field("role", "Cần chọn vai trò."));
    let done: antt_app::Result<(Option<OneTimeCode>, String)> = match action.as_str() {
        "disable" => {
            app.disable_account(&user.actor, &id).await.map(|()| (None, "Đã khóa tài khoản; các phiên đăng nhập đã kết thúc.".into()))
        }
        "reset" => app
            .reset_password(&user.actor, &id)
            .await
            .map(|code| (Some(code), "Đã cấp mã dùng một lần; các phiên đăng nhập đã kết thúc.".into())),
        "sessions" => app.end_sessions(&user.actor, &id).await.map(|n| (None, format!("Đã kết thúc {n} phiên đăng nhập."))),
        "second-factor" => app
            .reset_second_factor(&user.actor, &id)
            .await
            .map(|()| (None, "Đã gỡ xác thực hai bước: người dùng đăng nhập bằng mật khẩu rồi tự đăng ký lại ứng dụng xác thực.".into())),
        "grant" => match role() {
            Ok(r) => app.grant_role(&user.actor, &id, r, form.unit_id.trim()).await.map(|()| (None, "Đã cấp quyền.".into())),
            Err(e) => Err(e),
        },
        "withdraw" => match role() {
            Ok(r) => app.withdraw_role(&user.actor, &id, r, form.unit_id.trim()).await.map(|()| (None, "Đã bỏ quyền.".into())),
            Err(e) => Err(e),
        },
        _ => return Err(AppError::NotFound),
    };
    match done {
        Ok((code, message)) => Ok(Html(render_show(&state, &user, &id, code, Some(message), None).await?.render()?).into_response()),
        Err(e) => {
            let (status, errors, message) = on_form(e)?;
            let mut lines: Vec<String> = message.into_iter().collect();
            lines.extend(errors.0.into_values());
            let page = render_show(&state, &user, &id, None, None, Some(lines.join(" "))).await?;
            Ok((status, Html(page.render()?)).into_response())
        }
    }
}
