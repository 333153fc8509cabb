//! What an API request carries: the bearer token's user, and a JSON body read field by field
//! with Vietnamese messages next to each refused field.

use std::collections::BTreeSet;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use serde_json::{Map, Value};

use super::error::ApiError;
use crate::AppState;
use crate::auth::CurrentUser;
use antt_app::facts::FieldSource;

use crate::forms::FieldErrors;

/// The user of a request that carries `Authorization: Bearer <token>`. The API takes no
/// session cookie: a browser page cannot be tricked into writing through it.
#[derive(Debug, Clone)]
pub struct ApiUser(pub CurrentUser);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let bearer = parts.headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("Bearer "));
        if !bearer {
            return Err(ApiError::unauthenticated());
        }
        Ok(Self(CurrentUser::from_request_parts(parts, state).await?))
    }
}

impl std::ops::Deref for ApiUser {
    type Target = CurrentUser;
    fn deref(&self) -> &CurrentUser {
        &self.0
    }
}

/// A JSON object sent as the request body, read with [`Body`].
#[derive(Debug)]
pub struct JsonBody(pub Body);

impl FromRequest<AppState> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, ApiError> {
        let json = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json")));
        if !json {
            return Err(ApiError::new(
                axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Nội dung yêu cầu phải là JSON (Content-Type: application/json).",
            ));
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|r| {
            if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::from(crate::AppError::TooLarge)
            } else {
                ApiError::invalid("Không đọc được dữ liệu gửi lên.")
            }
        })?;
        let value: Value = serde_json::from_slice(&bytes)
            .map_err(|e| ApiError::invalid(format!("Nội dung không phải JSON hợp lệ (dòng {}, cột {}).", e.line(), e.column())))?;
        if has_nul(&value) {
            return Err(ApiError::invalid(crate::security::NUL_REFUSED));
        }
        match value {
            Value::Object(map) => Ok(Self(Body::new(map))),
            _ => Err(ApiError::invalid("Nội dung yêu cầu phải là một đối tượng JSON ({…}).")),
        }
    }
}

/// Whether any key or text of the value holds a NUL character.
fn has_nul(value: &Value) -> bool {
    match value {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().any(has_nul),
        Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

/// A JSON object read field by field: each getter records a Vietnamese message for a field it
/// refuses, and [`Body::finish`] refuses fields nobody asked for. Text is brought to NFC.
#[derive(Debug)]
pub struct Body {
    map: Map<String, Value>,
    seen: BTreeSet<String>,
    pub errors: FieldErrors,
}

const NOT_TEXT: &str = "Phải là chuỗi ký tự.";
const REQUIRED: &str = "Không được để trống.";

impl Body {
    pub fn new(map: Map<String, Value>) -> Self {
        Self { map, seen: BTreeSet::new(), errors: FieldErrors::default() }
    }

    /// The field's value, `None` when absent or null.
    fn take(&mut self, field: &str) -> Option<Value> {
        self.seen.insert(field.to_owned());
        self.map.get(field).filter(|v| !v.is_null()).cloned()
    }

    /// The field's raw value, `None` when absent or null.
    pub fn value(&mut self, field: &str) -> Option<Value> {
        self.take(field)
    }

    /// Marks a field as allowed without reading it.
    pub fn ignore(&mut self, field: &str) {
        self.seen.insert(field.to_owned());
    }

    /// Required text, trimmed and in NFC.
    pub fn text(&mut self, field: &str) -> Option<String> {
        match self.optional_text(field)? {
            Some(t) => Some(t),
            None => {
                self.errors.add(field, REQUIRED);
                None
            }
        }
    }

    /// Optional text: `Some(None)` when absent, null or blank; `None` when refused.
    pub fn optional_text(&mut self, field: &str) -> Option<Option<String>> {
        match self.take(field) {
            None => Some(None),
            Some(Value::String(s)) => {
                let t = antt_core::text::nfc(s.trim()).into_owned();
                Some((!t.is_empty()).then_some(t))
            }
            Some(_) => {
                self.errors.add(field, NOT_TEXT);
                None
            }
        }
    }

    /// Required text exactly as sent (passwords are not normalised).
    pub fn raw_text(&mut self, field: &str) -> Option<String> {
        match self.take(field) {
            Some(Value::String(s)) if !s.is_empty() => Some(s),
            Some(Value::String(_)) | None => {
                self.errors.add(field, REQUIRED);
                None
            }
            Some(_) => {
                self.errors.add(field, NOT_TEXT);
                None
            }
        }
    }

    /// A required non-negative whole number.
    pub fn count(&mut self, field: &str) -> Option<u32> {
        match self.take(field) {
            None => {
                self.errors.add(field, "Cần nhập số.");
                None
            }
            Some(v) => count_of(&v).map_err(|m| self.errors.add(field, m)).ok(),
        }
    }

    /// A required integer (a record's version).
    pub fn integer(&mut self, field: &str) -> Option<i64> {
        match self.take(field) {
            Some(Value::Number(n)) if n.is_i64() => n.as_i64(),
            None => {
                self.errors.add(field, "Cần gửi kèm số phiên bản của bản ghi (trường `version` khi đọc).");
                None
            }
            Some(_) => {
                self.errors.add(field, "Phải là số nguyên.");
                None
            }
        }
    }

    /// A yes/no field: `Some(None)` when absent or null.
    pub fn optional_bool(&mut self, field: &str) -> Option<Option<bool>> {
        match self.take(field) {
            None => Some(None),
            Some(Value::Bool(b)) => Some(Some(b)),
            Some(_) => {
                self.errors.add(field, "Phải là true hoặc false.");
                None
            }
        }
    }

    /// A required yes/no field.
    pub fn bool(&mut self, field: &str) -> Option<bool> {
        match self.optional_bool(field)? {
            Some(b) => Some(b),
            None => {
                self.errors.add(field, "Cần chọn true hoặc false.");
                None
            }
        }
    }

    /// A required ISO date.
    pub fn date(&mut self, field: &str) -> Option<chrono::NaiveDate> {
        match self.optional_date(field)? {
            Some(d) => Some(d),
            None => {
                self.errors.add(field, "Cần nhập ngày (YYYY-MM-DD).");
                None
            }
        }
    }

    /// An optional ISO date (`YYYY-MM-DD`).
    pub fn optional_date(&mut self, field: &str) -> Option<Option<chrono::NaiveDate>> {
        let text = self.optional_text(field)?;
        let Some(t) = text else { return Some(None) };
        match iso_date(&t) {
            Ok(d) => Some(Some(d)),
            Err(m) => {
                self.errors.add(field, m);
                None
            }
        }
    }

    /// The object's fields and values, for bodies that are maps (scores).
    pub fn entries(&mut self) -> Vec<(String, Value)> {
        let entries: Vec<(String, Value)> = self.map.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        self.seen.extend(entries.iter().map(|(k, _)| k.clone()));
        entries
    }

    /// Records a message for every field nobody asked for.
    fn refuse_unknown(&mut self) {
        let unknown: Vec<String> = self.map.keys().filter(|k| !self.seen.contains(*k)).cloned().collect();
        for key in unknown {
            self.errors.add(&key, "Trường này không có trong mẫu dữ liệu.");
        }
    }

    /// Refuses unknown fields, then answers 422 if any field was refused.
    pub fn finish(mut self) -> Result<(), ApiError> {
        self.refuse_unknown();
        if self.errors.is_empty() { Ok(()) } else { Err(ApiError::fields(self.errors)) }
    }
}

/// A JSON body as the fields of a record: text as JSON strings, dates as `YYYY-MM-DD`, counts
/// as numbers, yes/no as `true`/`false`.
impl FieldSource for Body {
    fn text(&mut self, field: &str) -> Result<Option<String>, String> {
        match self.take(field) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(NOT_TEXT.into()),
        }
    }

    fn date(&mut self, field: &str) -> Result<Option<chrono::NaiveDate>, String> {
        let Some(t) = FieldSource::text(self, field)?.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()) else { return Ok(None) };
        iso_date(&t).map(Some)
    }

    fn count(&mut self, field: &str) -> Result<Option<u32>, String> {
        self.take(field).map(|v| count_of(&v).map_err(str::to_owned)).transpose()
    }

    fn yes_no(&mut self, field: &str) -> Result<Option<bool>, String> {
        match self.take(field) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(b)),
            Some(_) => Err("Phải là true hoặc false.".into()),
        }
    }

    fn amount(&mut self, field: &str) -> Result<Option<u64>, String> {
        match self.take(field) {
            None => Ok(None),
            Some(Value::Number(n)) if n.is_u64() => Ok(n.as_u64()),
            Some(Value::Number(n)) if n.is_i64() => Err("Không được là số âm.".into()),
            Some(_) => Err("Phải là số nguyên (đồng).".into()),
        }
    }

    fn codes(&mut self, field: &str) -> Result<Vec<String>, String> {
        match self.take(field) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .into_iter()
                .map(|v| v.as_str().map(|s| s.trim().to_owned()).ok_or_else(|| "Phải là danh sách mã (chuỗi ký tự).".to_owned()))
                .collect(),
            Some(_) => Err("Phải là danh sách mã, ví dụ [\"staff\"].".into()),
        }
    }

    fn counts(&mut self, field: &str) -> Result<Vec<u32>, String> {
        match self.take(field) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items.iter().map(|v| count_of(v).map_err(str::to_owned)).collect(),
            Some(_) => Err("Phải là danh sách số nguyên, ví dụ [31, 12].".into()),
        }
    }

    fn date_format(&self) -> &'static str {
        "YYYY-MM-DD"
    }

    fn finish(&mut self, errors: &mut FieldErrors) {
        self.refuse_unknown();
        for (field, message) in std::mem::take(&mut self.errors).0 {
            errors.add(&field, message);
        }
    }
}

/// A date written `YYYY-MM-DD`, or the Vietnamese reason it is not one.
fn iso_date(t: &str) -> Result<chrono::NaiveDate, String> {
    let shaped = t.len() == 10 && t.as_bytes()[4] == b'-' && t.as_bytes()[7] == b'-';
    match chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        Ok(d) if shaped => Ok(d),
        _ => Err(format!("Ngày “{t}” không hợp lệ (dùng dạng YYYY-MM-DD, ví dụ 2013-05-02).")),
    }
}

/// A non-negative whole number, or the Vietnamese reason it is not one.
pub fn count_of(v: &Value) -> Result<u32, &'static str> {
    match v {
        Value::Number(n) => match n.as_i64() {
            Some(i) if i < 0 => Err("Không được là số âm."),
            Some(i) => u32::try_from(i).map_err(|_| "Số quá lớn."),
            None if n.as_u64().is_some() => Err("Số quá lớn."),
            None => Err("Phải là số nguyên."),
        },
        _ => Err("Phải là số nguyên."),
    }
}
