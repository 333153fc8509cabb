//! Form handling: the CSRF token check, and per-field Vietnamese errors that are shown next to
//! the field while everything typed is kept.

use axum::body::Bytes;
use axum::extract::multipart::{Field, MultipartError};
use axum::extract::{FromRequest, FromRequestParts, Multipart, Request};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use antt_app::facts::FieldSource;

use crate::auth::CurrentUser;
use crate::{AppError, AppState, view};

/// Why a form without the session's token is refused.
const CSRF_REFUSED: &str = "Bạn không gửi được biểu mẫu này: phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ; hãy tải lại trang.";

/// The cookie that carries a save's confirmation to the page the browser is sent to next.
const FLASH_COOKIE: &str = "antt_flash";

/// After a save, the browser is sent (303) to `to`, whose page says `message` ("Đã lưu …")
/// once at its top: the form is not sent again when the page is reloaded.
pub fn saved(to: &str, message: &str) -> Response {
    let value = serde_urlencoded::to_string([("m", message)]).unwrap_or_default();
    let cookie = format!("{FLASH_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age=120", value.trim_start_matches("m="));
    ([(header::SET_COOKIE, cookie)], axum::response::Redirect::to(to)).into_response()
}

/// The confirmation a request's flash cookie carries.
pub fn flash_of(headers: &HeaderMap) -> Option<String> {
    let value = crate::auth::cookie(headers, FLASH_COOKIE)?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&format!("m={value}")).ok()?;
    pairs.into_iter().next().map(|(_, m)| m).filter(|m| !m.is_empty() && m.chars().count() <= 500)
}

/// Forgets a flash once a page (not a redirect) has been answered to the request carrying it.
pub async fn clear_flash(request: Request, next: axum::middleware::Next) -> Response {
    let had = crate::auth::cookie(request.headers(), FLASH_COOKIE).is_some();
    let mut response = next.run(request).await;
    if had && !response.status().is_redirection() {
        let clear = format!("{FLASH_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
        if let Ok(v) = axum::http::HeaderValue::from_str(&clear) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

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
        if pairs.iter().any(|(k, v)| k.contains('\0') || v.contains('\0')) {
            return Err(AppError::BadRequest(crate::security::NUL_REFUSED.into()));
        }
        // API clients authenticate with a bearer token and carry no CSRF token.
        if !user.csrf.is_empty() && !pairs.iter().any(|(k, v)| k == CSRF_FIELD && *v == user.csrf) {
            return Err(AppError::Forbidden(CSRF_REFUSED.into()));
        }
        let normalised: Vec<(String, String)> =
            pairs.into_iter().filter(|(k, _)| k != CSRF_FIELD).map(|(k, v)| (k, antt_core::text::nfc(&v).into_owned())).collect();
        let encoded = serde_urlencoded::to_string(&normalised).map_err(|e| AppError::Internal(e.to_string()))?;
        let form = serde_urlencoded::from_str(&encoded).map_err(|e| AppError::BadRequest(format!("Dữ liệu biểu mẫu không hợp lệ: {e}")))?;
        Ok(Self(user, form))
    }
}

fn csrf_refused() -> AppError {
    AppError::Forbidden(CSRF_REFUSED.into())
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

pub use antt_app::FieldErrors;

/// How a refused use case is shown on its form: the fields' messages next to them, and a
/// message of the whole form (a conflict, a lock, a refusal of the input as a whole) above it,
/// with everything typed kept. Anything else is an error page.
pub fn on_form(e: antt_app::Error) -> Result<(axum::http::StatusCode, FieldErrors, Option<String>), AppError> {
    use antt_app::Error as E;
    use axum::http::StatusCode;
    match e {
        E::Invalid { message, fields } if fields.is_empty() => Ok((StatusCode::UNPROCESSABLE_ENTITY, fields, Some(message))),
        E::Invalid { fields, .. } => Ok((StatusCode::UNPROCESSABLE_ENTITY, fields, None)),
        e @ (E::Conflict | E::Locked(_)) => Ok((StatusCode::CONFLICT, FieldErrors::default(), Some(e.to_string()))),
        other => Err(other.into()),
    }
}

/// Puts a refused use case on its form: the fields' messages next to them, a message of the
/// whole form (a conflict, a lock, the input refused as a whole) next to `field`.
pub fn refusal(errors: &mut FieldErrors, field: &str, e: antt_app::Error) -> Result<(), AppError> {
    let (_, fields, message) = on_form(e)?;
    for (f, m) in fields.0 {
        errors.add(&f, m);
    }
    if let Some(m) = message {
        errors.add(field, m);
    }
    Ok(())
}

/// A form's fields as sent, in order (checkboxes that are not ticked are absent).
#[derive(Debug, Clone, Default)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value of a field, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    /// Every non-empty value of a field (ticked boxes of one name), in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, v)| k == name && !v.trim().is_empty()).map(|(_, v)| v.trim()).collect()
    }

    /// Whether a field was sent with a value (a ticked checkbox).
    pub fn has(&self, name: &str) -> bool {
        !self.get(name).is_empty()
    }

    /// The trimmed value, `None` when empty.
    pub fn optional(&self, name: &str) -> Option<String> {
        let v = self.get(name).trim();
        (!v.is_empty()).then(|| v.to_owned())
    }
}

/// A form as the fields of a record: dates typed dd/mm/yyyy (or yyyy-mm-dd, as date pickers
/// send them), counts and sums with Vietnamese thousands ("1.234"), yes/no as "1"/"0", several
/// codes as ticked boxes of one name, several numbers in one box separated by ";".
impl FieldSource for Fields {
    fn text(&mut self, field: &str) -> Result<Option<String>, String> {
        Ok(self.optional(field))
    }

    fn date(&mut self, field: &str) -> Result<Option<chrono::NaiveDate>, String> {
        let v = self.get(field).trim();
        if v.is_empty() {
            return Ok(None);
        }
        let mut e = FieldErrors::default();
        e.date(field, v).map(Some).ok_or_else(|| e.get(field).unwrap_or_default().to_owned())
    }

    fn count(&mut self, field: &str) -> Result<Option<u32>, String> {
        let v = self.get(field).trim();
        if v.is_empty() {
            return Ok(None);
        }
        let mut e = FieldErrors::default();
        e.count(field, v).map(Some).ok_or_else(|| e.get(field).unwrap_or_default().to_owned())
    }

    fn amount(&mut self, field: &str) -> Result<Option<u64>, String> {
        let v = self.get(field).trim();
        if v.is_empty() {
            return Ok(None);
        }
        let mut e = FieldErrors::default();
        e.amount(field, v).map(Some).ok_or_else(|| e.get(field).unwrap_or_default().to_owned())
    }

    fn codes(&mut self, field: &str) -> Result<Vec<String>, String> {
        Ok(self.all(field).into_iter().map(str::to_owned).collect())
    }

    fn counts(&mut self, field: &str) -> Result<Vec<u32>, String> {
        let mut e = FieldErrors::default();
        let numbers = self.get(field).split(';').map(str::trim).filter(|n| !n.is_empty());
        numbers.map(|n| e.count(field, n).ok_or_else(|| e.get(field).unwrap_or_default().to_owned())).collect()
    }

    fn yes_no(&mut self, field: &str) -> Result<Option<bool>, String> {
        match self.get(field) {
            "1" => Ok(Some(true)),
            "0" => Ok(Some(false)),
            "" => Ok(None),
            _ => Err("Lựa chọn không hợp lệ.".into()),
        }
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
}
