//! API tokens: a user name and password (with the same throttling and lockout as the sign-in
//! page) give a bearer token. Only the token's hash is stored; it is shown once.

use antt_store::users::{self, LoginError};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ErrorBody};
use super::input::JsonBody;
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_token))
}

/// Body of POST /tokens.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"username": "xa-phuoc-hau", "password": "…", "name": "Phần mềm tổng hợp của xã"}))]
pub struct TokenRequest {
    pub username: String,
    pub password: String,
    /// What the token is for, so it can be recognised later (at most 100 characters).
    pub name: String,
}

/// A new bearer token: send it as `Authorization: Bearer <token>`. It is shown only once.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenResponse {
    pub token: String,
}

pub const NAME_MAX: usize = 100;

/// Exchanges a user name and password for a bearer token. Wrong passwords count towards the
/// account's lockout exactly as on the sign-in page.
#[utoipa::path(
    post,
    path = "/tokens",
    tag = "tokens",
    request_body = TokenRequest,
    responses(
        (status = 201, description = "Mã truy cập mới", body = TokenResponse),
        (status = 401, description = "Sai tên đăng nhập hoặc mật khẩu", body = ErrorBody),
        (status = 422, description = "Thiếu trường", body = ErrorBody),
        (status = 429, description = "Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần (xem tiêu đề Retry-After)", body = ErrorBody),
    )
)]
pub async fn create_token(
    State(state): State<AppState>,
    JsonBody(mut body): JsonBody,
) -> Result<(StatusCode, Json<TokenResponse>), ApiError> {
    let username = body.text("username");
    let password = body.raw_text("password");
    let name = body.text("name");
    if let Some(n) = &name
        && n.chars().count() > NAME_MAX
    {
        body.errors.add("name", format!("Tối đa {NAME_MAX} ký tự."));
    }
    body.finish()?;
    let (Some(username), Some(password), Some(name)) = (username, password, name) else {
        return Err(ApiError::invalid(super::error::INVALID));
    };
    match users::login(state.app.store(), &username, &password).await? {
        Ok(user) => {
            let token = users::create_api_token(state.app.store(), &user.id, &name).await?;
            Ok((StatusCode::CREATED, Json(TokenResponse { token })))
        }
        Err(LoginError::WrongCredentials) => Err(ApiError::new(StatusCode::UNAUTHORIZED, "Tên đăng nhập hoặc mật khẩu không đúng.")),
        Err(LoginError::LockedUntil(until)) => {
            let seconds = chrono::DateTime::parse_from_rfc3339(&until)
                .map(|t| (t.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_seconds())
                .unwrap_or(60);
            let mut e = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "Tài khoản tạm khóa do nhập sai mật khẩu {} lần; thử lại sau {}.",
                    users::MAX_FAILED_LOGINS,
                    crate::view::instant(&until)
                ),
            );
            e.retry_after = Some(seconds);
            Err(e)
        }
    }
}
