//! One error type for handlers, shown as a Vietnamese page (or JSON under /api).

use antt_store::{StoreError, Trouble};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("Không tìm thấy trang hoặc dữ liệu bạn cần.")]
    NotFound,
    #[error("{0}")]
    Forbidden(String),
    #[error("Bạn cần đăng nhập.")]
    Unauthenticated,
    /// Signed in with a one-time code: the password must be changed before anything else.
    #[error("{}", antt_app::accounts::MUST_CHANGE)]
    MustChangePassword,
    /// An admin without a second factor where the deployment requires one: enrol first.
    #[error("{}", crate::auth::MUST_ENROL)]
    MustEnrolSecondFactor,
    #[error("{0}")]
    BadRequest(String),
    #[error("Dữ liệu đã được người khác thay đổi trong lúc bạn nhập. Hãy tải lại trang; phần bạn nhập vẫn còn trong biểu mẫu.")]
    Conflict,
    #[error("{0}")]
    Locked(String),
    #[error("Dữ liệu gửi lên quá lớn.")]
    TooLarge,
    #[error(
        "Hiện không kết nối được cơ sở dữ liệu; hệ thống tự kết nối lại khi cơ sở dữ liệu hoạt động trở lại. Xin thử lại sau ít phút — phần bạn nhập vẫn còn trong biểu mẫu."
    )]
    Unavailable,
    #[error("Máy chủ không ghi được dữ liệu xuống đĩa (đĩa có thể đã đầy); dữ liệu vừa gửi chưa được lưu. Xin báo quản trị viên hệ thống.")]
    Storage,
    #[error("Lỗi hệ thống: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(_) => Self::NotFound,
            StoreError::Conflict => Self::Conflict,
            StoreError::Locked(_) => Self::Locked(e.to_string()),
            StoreError::Invalid(m) => Self::BadRequest(m),
            e @ StoreError::Unreadable(_) => {
                tracing::error!("{e}");
                Self::Internal(e.to_string())
            }
            StoreError::Database(_) | StoreError::Migration(_) => {
                tracing::error!("{e}");
                match e.trouble() {
                    Trouble::Unavailable => Self::Unavailable,
                    Trouble::Storage => Self::Storage,
                    Trouble::Other => Self::Internal("cơ sở dữ liệu báo lỗi, xin thử lại sau ít phút".into()),
                }
            }
        }
    }
}

impl From<antt_app::Error> for AppError {
    fn from(e: antt_app::Error) -> Self {
        use antt_app::Error as E;
        match e {
            E::NotFound(_) => Self::NotFound,
            E::Forbidden(m) => Self::Forbidden(m),
            E::Invalid { message, fields } => {
                let mut lines = vec![message];
                lines.extend(fields.0.into_values().filter(|m| !m.is_empty()));
                lines.dedup();
                Self::BadRequest(lines.join(" "))
            }
            E::Conflict => Self::Conflict,
            e @ E::Locked(_) => Self::Locked(e.to_string()),
            E::Database(e) => e.into(),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        Self::Internal(e.to_string())
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Forbidden(_) | Self::MustChangePassword | Self::MustEnrolSecondFactor => StatusCode::FORBIDDEN,
            Self::Unauthenticated => StatusCode::UNAUTHORIZED,
            Self::BadRequest(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Conflict | Self::Locked(_) => StatusCode::CONFLICT,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Storage => StatusCode::INSUFFICIENT_STORAGE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Seconds a client should wait before trying again, when waiting helps.
    pub fn retry_after(&self) -> Option<i64> {
        matches!(self, Self::Unavailable).then_some(30)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    message: &'a str,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if matches!(self, Self::Unauthenticated) {
            return axum::response::Redirect::to("/login").into_response();
        }
        if matches!(self, Self::MustChangePassword) {
            return axum::response::Redirect::to(crate::pages::account::PASSWORD_PAGE).into_response();
        }
        if matches!(self, Self::MustEnrolSecondFactor) {
            return axum::response::Redirect::to(crate::pages::account::SECOND_FACTOR_PAGE).into_response();
        }
        let message = self.to_string();
        let body = ErrorPage { status: status.as_u16(), message: &message }.render().unwrap_or(message.clone());
        let mut response = (status, Html(body)).into_response();
        if let Some(seconds) = self.retry_after() {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

/// The answer to a path nobody serves.
pub async fn not_found() -> AppError {
    AppError::NotFound
}
