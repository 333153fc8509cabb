//! The caller's own account: changing the password with the current one, as the page
//! `/account/password` does (`antt_app::accounts::change_password`).

use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ErrorBody};
use super::input::{ApiUser, JsonBody};
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(change_password))
}

/// Body of PUT /account/password.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"current_password": "…", "new_password": "trâu cày ruộng sâu lúc bình minh"}))]
pub struct PasswordChange {
    pub current_password: String,
    /// At least 12 characters, not built from the user name, not common or easy to guess.
    pub new_password: String,
}

/// Changes the caller's password. Every browser session of the account ends; API tokens stay
/// (revoke them with DELETE /tokens/{id}). Wrong current passwords are counted: after five in
/// 15 minutes the field says to wait.
#[utoipa::path(
    put,
    path = "/account/password",
    tag = "tokens",
    security(("bearer" = [])),
    request_body = PasswordChange,
    responses(
        (status = 204, description = "Đã đổi mật khẩu"),
        (status = 401, description = "Thiếu, sai, đã thu hồi hoặc hết hạn mã truy cập", body = ErrorBody),
        (status = 422, description = "Mật khẩu hiện tại không đúng, hoặc mật khẩu mới chưa đạt yêu cầu", body = ErrorBody),
    )
)]
pub async fn change_password(State(state): State<AppState>, user: ApiUser, JsonBody(mut body): JsonBody) -> Result<StatusCode, ApiError> {
    let current = body.raw_text("current_password");
    let new = body.raw_text("new_password");
    body.finish()?;
    let (Some(current), Some(new)) = (current, new) else {
        return Err(ApiError::invalid(super::error::INVALID));
    };
    state.app.change_password(&user.actor, &current, &new, None).await?;
    Ok(StatusCode::NO_CONTENT)
}
