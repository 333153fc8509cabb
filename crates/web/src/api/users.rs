//! Accounts of a subtree, for its admin: list, create (with a one-time code), disable, reset a
//! password (a new one-time code) or the second factor, grant and withdraw roles, see and end
//! sessions. Nobody
//! reaches above their own grant; every action is audited. Rules in `antt_app::accounts`.

use antt_app::accounts::NewAccount;
use antt_core::access::Role;
use antt_store::users::{Listed, SessionInfo};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ErrorBody};
use super::input::{ApiUser, Body, JsonBody};
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(get_user))
        .routes(routes!(disable_user))
        .routes(routes!(reset_password))
        .routes(routes!(add_grant))
        .routes(routes!(withdraw_grant))
        .routes(routes!(end_sessions))
        .routes(routes!(reset_second_factor))
}

/// A role on a unit (covering its subtree).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GrantInfo {
    /// `admin`, `district`, `commune`, `unit_head`, `inspector` or `viewer`.
    pub role: String,
    pub unit_id: String,
}

/// An account as its admin sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserInfo {
    pub id: String,
    pub username: String,
    pub full_name: String,
    pub disabled: bool,
    /// Signed in with a one-time code until the user chooses a password.
    pub must_change_password: bool,
    /// The account has a confirmed second factor (TOTP).
    pub second_factor: bool,
    pub grants: Vec<GrantInfo>,
}

impl From<Listed> for UserInfo {
    fn from(u: Listed) -> Self {
        Self {
            id: u.id,
            username: u.username,
            full_name: u.full_name,
            disabled: u.disabled,
            must_change_password: u.must_change_password,
            second_factor: u.second_factor,
            grants: u.grants.into_iter().map(|g| GrantInfo { role: g.role.code().into(), unit_id: g.unit_id }).collect(),
        }
    }
}

/// An open session: when it began and ends.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionEntry {
    pub id: String,
    pub created_at: String,
    pub expires_at: String,
}

impl From<SessionInfo> for SessionEntry {
    fn from(s: SessionInfo) -> Self {
        Self { id: s.id, created_at: s.created_at, expires_at: s.expires_at }
    }
}

/// An account with its open sessions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserDetail {
    pub user: UserInfo,
    pub sessions: Vec<SessionEntry>,
}

/// A one-time code, shown once: the user signs in with it before `expires_at` (24 hours) and
/// must choose a password.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OneTimeCode {
    pub id: String,
    pub one_time_code: String,
    /// Until when the code works (RFC 3339); after it, the admin resets the password again.
    pub expires_at: String,
}

impl OneTimeCode {
    fn new(id: String, code: antt_app::accounts::OneTimeCode) -> Self {
        Self { id, one_time_code: code.code, expires_at: code.expires_at }
    }
}

#[derive(Debug, Deserialize)]
pub struct UsersParams {
    /// The unit whose subtree's users to list.
    pub unit: String,
}

/// The users with a grant inside the subtree of `unit` (which the caller manages), by user name.
#[utoipa::path(
    get,
    path = "/users",
    tag = "users",
    security(("bearer" = [])),
    params(("unit" = String, Query, description = "Đơn vị mà bạn quản lý: liệt kê người dùng có quyền trong cây của nó")),
    responses(
        (status = 200, description = "Người dùng", body = Vec<UserInfo>),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Vai trò của bạn không quản lý người dùng", body = ErrorBody),
        (status = 404, description = "Đơn vị không có hoặc ngoài phạm vi", body = ErrorBody),
    )
)]
pub async fn list_users(
    State(state): State<AppState>,
    user: ApiUser,
    Query(p): Query<UsersParams>,
) -> Result<Json<Vec<UserInfo>>, ApiError> {
    Ok(Json(state.app.accounts_in(&user.actor, &p.unit).await?.into_iter().map(UserInfo::from).collect()))
}

/// Body of POST /users.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"username": "xa-phuoc-hau", "full_name": "Ban Chỉ đạo xã Phước Hậu", "role": "commune", "unit_id": "29584"}))]
pub struct NewUser {
    /// Letters a–z, digits, `.`, `-`, `_`; 2 to 64.
    pub username: String,
    pub full_name: String,
    pub role: String,
    /// A unit inside the caller's subtree.
    pub unit_id: String,
}

fn role(body: &mut Body, field: &str) -> Option<Role> {
    let code = body.text(field)?;
    let role = Role::parse(&code);
    if role.is_none() {
        let codes: Vec<&str> = Role::ALL.iter().map(|r| r.code()).collect();
        body.errors.add(field, format!("Không có vai trò “{code}” (có: {}).", codes.join(", ")));
    }
    role
}

/// Creates an account with one role on a unit of the caller's subtree. It gets a one-time code,
/// shown only in this answer: the user signs in with it and must choose a password first.
#[utoipa::path(
    post,
    path = "/users",
    tag = "users",
    security(("bearer" = [])),
    request_body = NewUser,
    responses(
        (status = 201, description = "Tài khoản mới và mã dùng một lần", body = OneTimeCode),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Vai trò của bạn không quản lý người dùng", body = ErrorBody),
        (status = 404, description = "Đơn vị không có hoặc ngoài phạm vi", body = ErrorBody),
        (status = 422, description = "Tên đăng nhập đã có hoặc không hợp lệ, thiếu trường", body = ErrorBody),
    )
)]
pub async fn create_user(
    State(state): State<AppState>,
    user: ApiUser,
    JsonBody(mut body): JsonBody,
) -> Result<(StatusCode, Json<OneTimeCode>), ApiError> {
    let username = body.text("username");
    let full_name = body.text("full_name");
    let role = role(&mut body, "role");
    let unit_id = body.text("unit_id");
    body.finish()?;
    let (Some(username), Some(full_name), Some(role), Some(unit_id)) = (username, full_name, role, unit_id) else {
        return Err(ApiError::invalid(super::error::INVALID));
    };
    let input = NewAccount { username, full_name, password: None, role, unit_id };
    let created = state.app.create_account(antt_app::accounts::By::User(&user.actor), &input).await?;
    let code =
        created.one_time_code.ok_or_else(|| ApiError::from(crate::AppError::Internal("tài khoản mới không có mã dùng một lần".into())))?;
    Ok((StatusCode::CREATED, Json(OneTimeCode::new(created.id, code))))
}

/// A user the caller manages, with their open sessions.
#[utoipa::path(
    get,
    path = "/users/{id}",
    tag = "users",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã người dùng")),
    responses(
        (status = 200, description = "Người dùng", body = UserDetail),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Người dùng có quyền ngoài phạm vi quản lý của bạn", body = ErrorBody),
        (status = 404, description = "Không có người dùng này trong phạm vi của bạn", body = ErrorBody),
    )
)]
pub async fn get_user(State(state): State<AppState>, user: ApiUser, Path(id): Path<String>) -> Result<Json<UserDetail>, ApiError> {
    let managed = state.app.managed(&user.actor, &id).await?;
    Ok(Json(UserDetail { user: managed.user.into(), sessions: managed.sessions.into_iter().map(SessionEntry::from).collect() }))
}

/// Disables an account: it cannot sign in, its sessions end and its tokens stop working.
#[utoipa::path(
    post,
    path = "/users/{id}/disable",
    tag = "users",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã người dùng")),
    responses(
        (status = 204, description = "Đã khóa tài khoản"),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Ngoài phạm vi quản lý, hoặc chính tài khoản của bạn", body = ErrorBody),
        (status = 404, description = "Không có người dùng này trong phạm vi của bạn", body = ErrorBody),
    )
)]
pub async fn disable_user(State(state): State<AppState>, user: ApiUser, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    state.app.disable_account(&user.actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Replaces the user's password by a one-time code, shown only in this answer; their sessions end.
#[utoipa::path(
    post,
    path = "/users/{id}/password-reset",
    tag = "users",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã người dùng")),
    responses(
        (status = 200, description = "Mã dùng một lần", body = OneTimeCode),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Ngoài phạm vi quản lý, hoặc chính tài khoản của bạn", body = ErrorBody),
        (status = 404, description = "Không có người dùng này trong phạm vi của bạn", body = ErrorBody),
    )
)]
pub async fn reset_password(State(state): State<AppState>, user: ApiUser, Path(id): Path<String>) -> Result<Json<OneTimeCode>, ApiError> {
    let code = state.app.reset_password(&user.actor, &id).await?;
    Ok(Json(OneTimeCode::new(id, code)))
}

/// Removes the user's second factor (TOTP and recovery codes), when the phone is lost: the user
/// signs in with the password alone and enrols again. Audited.
#[utoipa::path(
    delete,
    path = "/users/{id}/second-factor",
    tag = "users",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã người dùng")),
    responses(
        (status = 204, description = "Đã gỡ xác thực hai bước"),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Ngoài phạm vi quản lý, hoặc chính tài khoản của bạn", body = ErrorBody),
        (status = 404, description = "Không có người dùng này trong phạm vi của bạn", body = ErrorBody),
    )
)]
pub async fn reset_second_factor(State(state): State<AppState>, user: ApiUser, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    state.app.reset_second_factor(&user.actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Body of POST /users/{id}/grants.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"role": "viewer", "unit_id": "857"}))]
pub struct GrantRequest {
    pub role: String,
    pub unit_id: String,
}

/// Grants a role on a unit of the caller's subtree.
#[utoipa::path(
    post,
    path = "/users/{id}/grants",
    tag = "users",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã người dùng")),
    request_body = GrantRequest,
    responses(
        (status = 204, description = "Đã cấp quyền"),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Ngoài phạm vi quản lý, hoặc chính tài khoản của bạn", body = ErrorBody),
        (status = 404, description = "Người dùng hoặc đơn vị không có trong phạm vi của bạn", body = ErrorBody),
        (status = 422, description = "Vai trò không hợp lệ, thiếu trường", body = ErrorBody),
    )
)]
pub async fn add_grant(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    JsonBody(mut body): JsonBody,
) -> Result<StatusCode, ApiError> {
    let role = role(&mut body, "role");
    let unit_id = body.text("unit_id");
    body.finish()?;
    let (Some(role), Some(unit_id)) = (role, unit_id) else {
        return Err(ApiError::invalid(super::error::INVALID));
    };
    state.app.grant_role(&user.actor, &id, role, &unit_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Withdraws a role on a unit. The user's last grant stays: disable the account instead.
#[utoipa::path(
    delete,
    path = "/users/{id}/grants/{role}/{unit_id}",
    tag = "users",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Mã người dùng"),
        ("role" = String, Path, description = "Vai trò"),
        ("unit_id" = String, Path, description = "Mã đơn vị"),
    ),
    responses(
        (status = 204, description = "Đã bỏ quyền"),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Ngoài phạm vi quản lý, hoặc chính tài khoản của bạn", body = ErrorBody),
        (status = 404, description = "Người dùng, đơn vị hoặc quyền không có trong phạm vi của bạn", body = ErrorBody),
        (status = 422, description = "Quyền cuối cùng của người dùng", body = ErrorBody),
    )
)]
pub async fn withdraw_grant(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, role, unit_id)): Path<(String, String, String)>,
) -> Result<StatusCode, ApiError> {
    let role = Role::parse(&role).ok_or_else(|| ApiError::not_found("Không có quyền này của người dùng."))?;
    state.app.withdraw_role(&user.actor, &id, role, &unit_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// How many sessions were ended.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Ended {
    pub ended: u64,
}

/// Ends every session of the user (they must sign in again).
#[utoipa::path(
    delete,
    path = "/users/{id}/sessions",
    tag = "users",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã người dùng")),
    responses(
        (status = 200, description = "Số phiên đã kết thúc", body = Ended),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Ngoài phạm vi quản lý, hoặc chính tài khoản của bạn", body = ErrorBody),
        (status = 404, description = "Không có người dùng này trong phạm vi của bạn", body = ErrorBody),
    )
)]
pub async fn end_sessions(State(state): State<AppState>, user: ApiUser, Path(id): Path<String>) -> Result<Json<Ended>, ApiError> {
    Ok(Json(Ended { ended: state.app.end_sessions(&user.actor, &id).await? }))
}
