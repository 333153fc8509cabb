//! Form handling: the CSRF token check, and per-field Vietnamese errors that are shown next to
//! the field while everything typed is kept.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::multipart::{Field, MultipartError};
use axum::extract::{FromRequest, FromRequestParts, Multipart, Request};
use axum::http::{HeaderMap, header};
use serde::de::DeserializeOwned;

use crate::auth::CurrentUser;
use crate::{AppError, AppState, view};

/// The name of the hidden field that carries the session's CSRF token.
pub const CSRF_FIELD: &str = "_csrf";

/// A urlencoded form from the signed-in user whose CSRF token matches the session. Text is
/// brought to NFC before it is read.
#[derive(Debug)]
pub struct SecureForm<T>(pub CurrentUser, pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for SecureForm<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, AppError> {
        let (mut parts, body) = request.into_parts();
        let user = CurrentUser::from_request_parts(&mut parts, state).await?;
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state).await.map_err(|r| {
            if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::TooLarge
            } else {
                AppError::BadRequest("Không đọc được dữ liệu gửi lên.".into())
            }
        })?;
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&bytes).map_err(|_| AppError::BadRequest("Dữ liệu biểu mẫu không hợp lệ.".into()))?;
        // API clients authenticate with a bearer token and carry no CSRF token.
        if !user.csrf.is_empty() && !pairs.iter().any(|(k, v)| k == CSRF_FIELD && *v == user.csrf) {
            return Err(AppError::Forbidden("gửi biểu mẫu này (phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ; hãy tải lại trang)"));
        }
        let normalised: Vec<(String, String)> =
            pairs.into_iter().filter(|(k, _)| k != CSRF_FIELD).map(|(k, v)| (k, antt_core::text::nfc(&v).into_owned())).collect();
        let encoded = serde_urlencoded::to_string(&normalised).map_err(|e| AppError::Internal(e.to_string()))?;
        let form = serde_urlencoded::from_str(&encoded).map_err(|e| AppError::BadRequest(format!("Dữ liệu biểu mẫu không hợp lệ: {e}")))?;
        Ok(Self(user, form))
    }
}

fn csrf_refused() -> AppError {
    AppError::Forbidden("gửi biểu mẫu này (phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ; hãy tải lại trang)")
}

fn unreadable(_: MultipartError) -> AppError {
    AppError::BadRequest("Không đọc được tệp gửi lên; hãy thử lại.".into())
}

/// The last part of a file name as browsers send it (some send a whole path), in NFC.
fn base_name(name: &str) -> String {
    let name = name.rsplit(['/', '\\']).next().unwrap_or(name);
    antt_core::text::nfc(name.trim()).into_owned()
}

/// Reads a field up to `max` bytes; `Ok(Err(read))` when it is longer (`read` bytes were read).
async fn read_bounded(field: &mut Field<'_>, max: usize) -> Result<Result<Vec<u8>, usize>, AppError> {
    let mut content = Vec::new();
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) if content.len() + chunk.len() > max => return Ok(Err(content.len() + chunk.len())),
            Ok(Some(chunk)) => content.extend_from_slice(&chunk),
            Ok(None) => return Ok(Ok(content)),
            Err(e) => return Err(unreadable(e)),
        }
    }
}

/// Reads the one file (field `file`) of a multipart form: its name and content, or a Vietnamese
/// reason to show on the form (none chosen, larger than `limit`). The CSRF field must come
/// before the file. Routes using this have no body limit of their own: every field is read with
/// a bound, so a file over the limit is refused by name and size and the rest of the request is
/// never read.
pub async fn one_file(
    user: &CurrentUser,
    headers: &HeaderMap,
    mut multipart: Multipart,
    limit: usize,
) -> Result<Result<(String, Vec<u8>), String>, AppError> {
    const SMALL_FIELD: usize = 4096;
    const MAX_FIELDS: usize = 8;
    let announced: usize = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok()).unwrap_or(0);
    // API clients authenticate with a bearer token and carry no CSRF token.
    let mut csrf_ok = user.csrf.is_empty();
    let mut fields = 0;
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        fields += 1;
        if fields > MAX_FIELDS {
            return Err(AppError::BadRequest("Biểu mẫu gửi lên có quá nhiều trường.".into()));
        }
        match field.name() {
            Some(CSRF_FIELD) => {
                let token = read_bounded(&mut field, SMALL_FIELD).await?.unwrap_or_default();
                csrf_ok |= !user.csrf.is_empty() && token == user.csrf.as_bytes();
            }
            Some("file") => {
                if !csrf_ok {
                    return Err(csrf_refused());
                }
                let name = base_name(field.file_name().unwrap_or_default());
                if name.is_empty() {
                    return Ok(Err("Chưa chọn tệp để tải lên.".to_owned()));
                }
                // Nothing after the file is needed.
                return Ok(match read_bounded(&mut field, limit).await? {
                    Ok(content) => Ok((name, content)),
                    Err(read) => {
                        let size = announced.max(read) as u64;
                        Err(format!("Tệp “{name}” ({}) vượt quá giới hạn {}.", view::file_size(size), view::file_size(limit as u64)))
                    }
                });
            }
            _ => {
                if read_bounded(&mut field, SMALL_FIELD).await?.is_err() {
                    return Err(AppError::BadRequest("Biểu mẫu gửi lên có trường quá dài.".into()));
                }
            }
        }
    }
    if !csrf_ok {
        return Err(csrf_refused());
    }
    Ok(Err("Chưa chọn tệp để tải lên.".to_owned()))
}

/// Errors of a form, by field name, in Vietnamese.
#[derive(Debug, Clone, Default)]
pub struct FieldErrors(pub BTreeMap<String, String>);

impl FieldErrors {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.entry(field.to_owned()).or_insert_with(|| message.into());
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Reads a required, trimmed text field.
    pub fn required(&mut self, field: &str, value: &str) -> Option<String> {
        let v = value.trim();
        if v.is_empty() {
            self.add(field, "Không được để trống.");
            None
        } else {
            Some(v.to_owned())
        }
    }

    /// Reads a date typed as dd/mm/yyyy (or yyyy-mm-dd, as date pickers send it).
    pub fn date(&mut self, field: &str, value: &str) -> Option<chrono::NaiveDate> {
        let v = value.trim();
        if v.is_empty() {
            self.add(field, "Cần nhập ngày (dd/mm/yyyy).");
            return None;
        }
        let parsed = chrono::NaiveDate::parse_from_str(v, "%d/%m/%Y").or_else(|_| chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d"));
        match parsed {
            Ok(d) => Some(d),
            Err(_) => {
                self.add(field, format!("Ngày “{v}” không hợp lệ (dd/mm/yyyy)."));
                None
            }
        }
    }

    /// Reads a non-negative whole number; "1.234" (Vietnamese thousands) is accepted.
    pub fn count(&mut self, field: &str, value: &str) -> Option<u32> {
        let v = value.trim().replace(['.', ' '], "");
        if v.is_empty() {
            self.add(field, "Cần nhập số.");
            return None;
        }
        match v.parse::<i64>() {
            Ok(n) if n < 0 => {
                self.add(field, "Không được là số âm.");
                None
            }
            Ok(n) => match u32::try_from(n) {
                Ok(n) => Some(n),
                Err(_) => {
                    self.add(field, "Số quá lớn.");
                    None
                }
            },
            Err(_) => {
                self.add(field, format!("“{}” không phải là số nguyên.", value.trim()));
                None
            }
        }
    }

    /// Reads points with at most one decimal, written "7,5" or "7.5".
    pub fn points(&mut self, field: &str, value: &str, max: antt_core::scoring::Points) -> Option<antt_core::scoring::Points> {
        let v = value.trim().replace(',', ".");
        if v.is_empty() {
            self.add(field, "Cần nhập điểm.");
            return None;
        }
        let Ok(x) = v.parse::<f64>() else {
            self.add(field, format!("“{}” không phải là số điểm.", value.trim()));
            return None;
        };
        let tenths = (x * 10.0).round();
        if x < 0.0 || (x * 10.0 - tenths).abs() > 1e-6 {
            self.add(field, "Điểm phải không âm và có tối đa một chữ số thập phân.");
            return None;
        }
        let p = antt_core::scoring::Points::from_tenths(tenths as u32);
        if p > max {
            self.add(field, format!("Tối đa {max} điểm."));
            return None;
        }
        Some(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploaded_file_names_lose_their_folders() {
        assert_eq!(base_name("C:\\Users\\a\\ke-hoach.docx"), "ke-hoach.docx");
        assert_eq!(base_name("/home/a/Danh sa\u{301}ch.xlsx"), "Danh sách.xlsx");
    }

    #[test]
    fn fields_are_read_with_vietnamese_errors() {
        let mut e = FieldErrors::default();
        assert_eq!(e.date("d", "12/03/2013"), chrono::NaiveDate::from_ymd_opt(2013, 3, 12));
        assert_eq!(e.date("d2", "2013-03-12"), chrono::NaiveDate::from_ymd_opt(2013, 3, 12));
        assert_eq!(e.date("d3", "31/02/2013"), None);
        assert_eq!(e.count("n", "1.234"), Some(1234));
        assert_eq!(e.count("n2", "-3"), None);
        assert_eq!(e.count("n3", "ba"), None);
        let max = antt_core::scoring::Points::from_tenths(200);
        assert_eq!(e.points("p", "7,5", max).map(|p| p.tenths()), Some(75));
        assert_eq!(e.points("p2", "25", max), None);
        assert_eq!(e.get("d3"), Some("Ngày “31/02/2013” không hợp lệ (dd/mm/yyyy)."));
        assert_eq!(e.get("n2"), Some("Không được là số âm."));
        assert_eq!(e.get("n3"), Some("“ba” không phải là số nguyên."));
        assert_eq!(e.get("p2"), Some("Tối đa 20 điểm."));
        assert!(e.get("d").is_none());
    }
}
