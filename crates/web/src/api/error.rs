//! Errors of the API as JSON: `{"error": "<Vietnamese message>", "fields": {...}}` with the
//! status that says what happened (401, 403, 404, 409, 422, 429, 500, 503 when the database is unreachable, 507 when it
//! cannot write to its disk).

use std::collections::BTreeMap;

use antt_store::StoreError;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppError;
use crate::forms::FieldErrors;

/// What every failed request answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"error": "Dữ liệu gửi lên chưa hợp lệ; xem lỗi ở từng trường.", "fields": {"signed": "Không được là số âm."}}))]
pub struct ErrorBody {
    /// What went wrong, in Vietnamese.
    pub error: String,
    /// Per-field messages, in Vietnamese, when the input was refused (422); empty otherwise.
    pub fields: BTreeMap<String, String>,
}

/// An error answered as JSON.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub fields: BTreeMap<String, String>,
    /// Seconds a client should wait before trying again (429).
    pub retry_after: Option<i64>,
}

pub const UNAUTHENTICATED: &str = "Cần mã truy cập hợp lệ trong tiêu đề `Authorization: Bearer <mã>` (lấy mã tại POST /api/v1/tokens).";
pub const CONFLICT: &str =
    "Bản ghi đã được người khác thay đổi sau khi bạn đọc (phiên bản `version` đã cũ). Hãy đọc lại bản ghi rồi gửi lại với phiên bản mới.";
pub const INVALID: &str = "Dữ liệu gửi lên chưa hợp lệ; xem lỗi ở từng trường.";

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self { status, message: message.into(), fields: BTreeMap::new(), retry_after: None }
    }

    pub fn unauthenticated() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, UNAUTHENTICATED)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// 422 with one message for the whole request.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    /// 422 with a message next to each refused field.
    pub fn fields(errors: FieldErrors) -> Self {
        Self { fields: errors.0, ..Self::invalid(INVALID) }
    }

    /// 422 for a single refused field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut e = FieldErrors::default();
        e.add(field, message);
        Self::fields(e)
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            // Pages send the browser to the sign-in page; an API client gets a JSON 401.
            AppError::Unauthenticated => Self::unauthenticated(),
            AppError::Conflict => Self::new(StatusCode::CONFLICT, CONFLICT),
            AppError::Internal(_) => {
                tracing::error!("{e}");
                Self::new(e.status(), e.to_string())
            }
            other => Self { retry_after: other.retry_after(), ..Self::new(other.status(), other.to_string()) },
        }
    }
}

impl From<antt_app::Error> for ApiError {
    fn from(e: antt_app::Error) -> Self {
        use antt_app::Error as E;
        match e {
            E::NotFound(m) => Self::not_found(m),
            E::Forbidden(m) => Self::new(StatusCode::FORBIDDEN, m),
            E::Invalid { message, fields } => Self { fields: fields.0, ..Self::invalid(message) },
            E::Conflict => Self::new(StatusCode::CONFLICT, CONFLICT),
            e @ E::Locked(_) => Self::new(StatusCode::CONFLICT, e.to_string()),
            E::Database(e) => e.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Locked(_) => {
                Self::new(StatusCode::CONFLICT, format!("{}; muốn sửa cần người có thẩm quyền mở khóa.", capitalised(&e.to_string())))
            }
            StoreError::Invalid(m) => Self::invalid(capitalised(&m)),
            StoreError::NotFound(what) => Self::not_found(format!("Không tìm thấy {what}.")),
            other => AppError::from(other).into(),
        }
    }
}

/// `dữ liệu …` → `Dữ liệu …` (store messages start in lower case to fit inside sentences).
fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: self.message, fields: self.fields };
        let mut response = (self.status, Json(body)).into_response();
        let h = response.headers_mut();
        if self.status == StatusCode::UNAUTHORIZED {
            h.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"antt\""));
        }
        if let Some(seconds) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&seconds.max(1).to_string())
        {
            h.insert(header::RETRY_AFTER, v);
        }
        response
    }
}

/// The answer to a path under /api/v1 that nobody serves.
pub async fn not_found() -> ApiError {
    ApiError::not_found("Không có địa chỉ API này. Xem danh sách tại /api/v1/docs/.")
}

/// The answer to a method a path does not accept.
pub async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "Địa chỉ này không nhận phương thức HTTP đó.")
}
