//! API tokens: a user name and password (with the same throttling as the sign-in page) give a
//! named bearer token that expires (90 days unless asked otherwise) — with the code of the
//! second factor too when the account has one (`antt_app::second_factor`); only its hash is stored
//! and it is shown once. Its owner, or an admin who manages the owner, lists and revokes it; a
//! revoked or expired token gets 401. Rules in `antt_app::accounts`.

use antt_app::accounts::Refusal;
use antt_store::users::ApiToken;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ErrorBody};
use super::input::{ApiUser, JsonBody};
use crate::AppState;
use crate::auth::{ClientAddress, refusal_message, refusal_status};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_token, list_tokens)).routes(routes!(revoke_token))
}

/// Body of POST /tokens.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"username": "xa-phuoc-hau", "password": "…", "name": "Phần mềm tổng hợp của xã", "expires_in_days": 90}))]
pub struct TokenRequest {
    pub username: String,
    pub password: String,
    /// What the token is for, so it can be recognised later (at most 100 characters).
    pub name: String,
    /// How many days the token lasts: 1 to 365, 90 when absent.
    pub expires_in_days: Option<i64>,
    /// For an account with a second factor: the six-digit code of the authenticator app, or an
    /// unused recovery code (used up by this).
    pub code: Option<String>,
}

/// A token as listed: never the token itself.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenInfo {
    pub id: String,
    pub name: String,
    /// The user the token acts as.
    pub user_id: String,
    pub created_at: String,
    pub expires_at: String,
    /// When it was last used (to the minute), if ever.
    pub last_used_at: Option<String>,
    pub revoked: bool,
}

impl From<ApiToken> for TokenInfo {
    fn from(t: ApiToken) -> Self {
        Self {
            id: t.id,
            name: t.name,
            user_id: t.user_id,
            created_at: t.created_at,
            expires_at: t.expires_at,
            last_used_at: t.last_used_at,
            revoked: t.revoked,
        }
    }
}

/// A new bearer token: send it as `Authorization: Bearer <token>`. It is shown only once.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenResponse {
    pub token: String,
    pub id: String,
    pub name: String,
    pub expires_at: String,
}

/// Exchanges a user name and password — and, for an account with a second factor, its code —
/// for a bearer token. Attempts are counted per client address exactly as on the sign-in page:
/// beyond the limit the client gets 429 until its window ends (the account itself is never
/// locked).
#[utoipa::path(
    post,
    path = "/tokens",
    tag = "tokens",
    request_body = TokenRequest,
    responses(
        (status = 201, description = "Mã truy cập mới", body = TokenResponse),
        (status = 401, description = "Sai tên đăng nhập hoặc mật khẩu, mã dùng một lần đã hết hạn, hoặc thiếu hay sai mã xác thực hai bước", body = ErrorBody),
        (status = 422, description = "Thiếu trường, tên quá dài hoặc số ngày ngoài 1–365", body = ErrorBody),
        (status = 429, description = "Địa chỉ mạng này đăng nhập sai quá nhiều lần (xem tiêu đề Retry-After)", body = ErrorBody),
    )
)]
pub async fn create_token(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    JsonBody(mut body): JsonBody,
) -> Result<(StatusCode, Json<TokenResponse>), ApiError> {
    let username = body.text("username");
    let password = body.raw_text("password");
    let name = body.text("name");
    let code = body.optional_text("code");
    let days = match body.value("expires_in_days") {
        None => Some(None),
        Some(v) => match v.as_i64() {
            Some(n) => Some(Some(n)),
            None => {
                body.errors.add("expires_in_days", "Phải là số nguyên.");
                None
            }
        },
    };
    body.finish()?;
    let (Some(username), Some(password), Some(name), Some(days), Some(code)) = (username, password, name, days, code) else {
        return Err(ApiError::invalid(super::error::INVALID));
    };
    let signed_in = match state.app.sign_in(&username, &password, &client).await? {
        Ok(user) if user.second_factor => match code {
            Some(code) => state.app.second_factor(&user.id, &code, &client).await?,
            None => Err(Refusal::WrongCode),
        },
        other => other,
    };
    match signed_in {
        Ok(user) => {
            let (row, token) = state.app.create_token(&user, &name, days).await?;
            Ok((StatusCode::CREATED, Json(TokenResponse { token, id: row.id, name: row.name, expires_at: row.expires_at })))
        }
        Err(refusal) => {
            let mut e = ApiError::new(refusal_status(&refusal), refusal_message(&refusal));
            e.retry_after = refusal.retry_after();
            Err(e)
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct TokenListParams {
    /// Whose tokens: a user an admin manages (default: the caller's own).
    pub user: Option<String>,
}

/// The caller's tokens, or those of a user the caller manages as admin, newest first, revoked
/// and expired ones included.
#[utoipa::path(
    get,
    path = "/tokens",
    tag = "tokens",
    security(("bearer" = [])),
    params(("user" = Option<String>, Query, description = "Mã người dùng mà bạn quản lý (mặc định: chính bạn)")),
    responses(
        (status = 200, description = "Các mã truy cập", body = Vec<TokenInfo>),
        (status = 401, description = "Thiếu, sai, đã thu hồi hoặc hết hạn mã truy cập", body = ErrorBody),
        (status = 403, description = "Người dùng có quyền ngoài phạm vi quản lý của bạn", body = ErrorBody),
        (status = 404, description = "Không có người dùng này trong phạm vi của bạn", body = ErrorBody),
    )
)]
pub async fn list_tokens(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<TokenListParams>,
) -> Result<Json<Vec<TokenInfo>>, ApiError> {
    let whose = params.user.as_deref().unwrap_or(&user.actor.user_id);
    Ok(Json(state.app.tokens(&user.actor, whose).await?.into_iter().map(TokenInfo::from).collect()))
}

/// Revokes a token of the caller, or of a user the caller manages as admin: from then on it
/// gets 401. Revoking it again changes nothing.
#[utoipa::path(
    delete,
    path = "/tokens/{id}",
    tag = "tokens",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã số của mã truy cập (trường `id`)")),
    responses(
        (status = 200, description = "Mã truy cập đã thu hồi", body = TokenInfo),
        (status = 401, description = "Thiếu, sai, đã thu hồi hoặc hết hạn mã truy cập", body = ErrorBody),
        (status = 404, description = "Không có mã này trong phạm vi của bạn", body = ErrorBody),
    )
)]
pub async fn revoke_token(State(state): State<AppState>, user: ApiUser, Path(id): Path<String>) -> Result<Json<TokenInfo>, ApiError> {
    Ok(Json(state.app.revoke_token(&user.actor, &id).await?.into()))
}
