//! What a use case answers when it does not do what was asked, in Vietnamese, for the page, the
//! API and the command line alike; and the per-field messages of refused input.

use std::collections::BTreeMap;

use antt_store::{StoreError, Trouble};

/// Why a use case refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Nothing there, or outside the actor's scope: ids outside one's subtree reveal nothing.
    #[error("{0}")]
    NotFound(String),
    /// The actor may see it but may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The input was refused: one message, and one per refused field.
    #[error("{message}")]
    Invalid { message: String, fields: FieldErrors },
    /// Someone changed the record since it was read; nothing was overwritten.
    #[error("Dữ liệu đã được người khác thay đổi trong lúc bạn nhập. Hãy tải lại trang; phần bạn nhập vẫn còn trong biểu mẫu.")]
    Conflict,
    /// An issued decision froze the unit's facts (its number).
    #[error("Dữ liệu của đơn vị đã bị khóa bởi quyết định công nhận {0}; muốn sửa cần người có thẩm quyền mở khóa.")]
    Locked(String),
    /// The database failed (unreachable, disk full, or otherwise).
    #[error("{0}")]
    Database(StoreError),
}

/// The message of input refused field by field.
pub const INVALID: &str = "Dữ liệu gửi lên chưa hợp lệ; xem lỗi ở từng trường.";

impl Error {
    pub fn not_found(what: &str) -> Self {
        Self::NotFound(format!("Không tìm thấy {what}."))
    }

    /// One message for the whole input.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::Invalid { message: message.into(), fields: FieldErrors::default() }
    }

    /// One refused field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut fields = FieldErrors::default();
        fields.add(field, message);
        Self::fields(fields)
    }

    /// Several refused fields.
    pub fn fields(fields: FieldErrors) -> Self {
        Self::Invalid { message: INVALID.into(), fields }
    }

    /// Whether the database could not be reached or could not write, as an operator can act on.
    pub fn trouble(&self) -> Option<Trouble> {
        match self {
            Self::Database(e) => Some(e.trouble()),
            _ => None,
        }
    }
}

/// `dữ liệu …` → `Dữ liệu ….` (store messages start in lower case to fit inside sentences).
pub fn sentence(s: &str) -> String {
    let mut chars = s.chars();
    let Some(first) = chars.next() else { return String::new() };
    let mut out: String = first.to_uppercase().chain(chars).collect();
    if !out.ends_with(['.', '?', '!']) {
        out.push('.');
    }
    out
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => Self::not_found(&what),
            StoreError::Conflict => Self::Conflict,
            StoreError::Locked(number) => Self::Locked(number),
            StoreError::Invalid(m) => Self::invalid(sentence(&m)),
            other => {
                tracing::error!("{other}");
                Self::Database(other)
            }
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Errors of a form, by field name, in Vietnamese: the first message per field is kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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

    /// `Ok(())` when nothing was refused, else the refusal.
    pub fn into_result(self) -> Result<()> {
        if self.is_empty() { Ok(()) } else { Err(Error::fields(self)) }
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
        let n = self.whole(field, value)?;
        u32::try_from(n).map_err(|_| self.add(field, "Số quá lớn.")).ok()
    }

    /// Reads a sum of money in đồng, written like a count ("1.500.000").
    pub fn amount(&mut self, field: &str, value: &str) -> Option<u64> {
        self.whole(field, value)
    }

    fn whole(&mut self, field: &str, value: &str) -> Option<u64> {
        let v = value.trim().replace(['.', ' '], "");
        if v.is_empty() {
            self.add(field, "Cần nhập số.");
            return None;
        }
        match v.parse::<i128>() {
            Ok(n) if n < 0 => {
                self.add(field, "Không được là số âm.");
                None
            }
            Ok(n) => u64::try_from(n).map_err(|_| self.add(field, "Số quá lớn.")).ok(),
            Err(_) if v.chars().all(|c| c.is_ascii_digit()) => {
                self.add(field, "Số quá lớn.");
                None
            }
            Err(_) => {
                self.add(field, format!("“{}” không phải là số nguyên.", value.trim()));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_read_with_vietnamese_errors() {
        let mut e = FieldErrors::default();
        assert_eq!(e.date("d", "12/03/2013"), chrono::NaiveDate::from_ymd_opt(2013, 3, 12));
        assert_eq!(e.date("d2", "2013-03-12"), chrono::NaiveDate::from_ymd_opt(2013, 3, 12));
        assert_eq!(e.date("d3", "31/02/2013"), None);
        assert_eq!(e.count("n", "1.234"), Some(1234));
        assert_eq!(e.count("n2", "-3"), None);
        assert_eq!(e.count("n3", "ba"), None);
        assert_eq!(e.get("d3"), Some("Ngày “31/02/2013” không hợp lệ (dd/mm/yyyy)."));
        assert_eq!(e.get("n2"), Some("Không được là số âm."));
        assert_eq!(e.get("n3"), Some("“ba” không phải là số nguyên."));
        assert!(e.get("d").is_none());
    }
}
