//! What any text typed or imported must be before it is kept: NFC, trimmed, within a length
//! limit, and free of characters that break storage or mislead a reader (NUL and other control
//! characters, bidirectional overrides). Also the form of unit codes. The page, the API and the
//! import all check through here, so they accept and refuse the same values.

use crate::model::UnitId;

/// Length limits, in characters (documented in docs/api.md).
pub mod limits {
    /// Names of units, sub-units, people, inspection teams.
    pub const NAME: usize = 200;
    /// Numbers and symbols of documents ("123/QĐ-UBND").
    pub const NUMBER: usize = 50;
    /// Notes, reasons, conclusions, attendance.
    pub const NOTE: usize = 2000;
    /// Titles of campaigns, addresses.
    pub const TITLE: usize = 300;
    /// Unit codes.
    pub const CODE: usize = 64;
    /// User names.
    pub const USERNAME: usize = 64;
}

/// Whether a text may span several lines (a note) or is one line (a name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

/// Characters that reorder the text shown around them (Trojan-source style) without being seen.
fn bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// The text as kept: NFC, trimmed, line ends as `\n` — or, in a one-line field, line breaks
/// and tabs made single spaces, as a spreadsheet cell's are — or the Vietnamese reason it is
/// refused. An empty result means the field was left blank.
pub fn clean(value: &str, max: usize, lines: Lines) -> Result<String, String> {
    let mut text = crate::text::nfc(value.trim()).replace("\r\n", "\n");
    if lines == Lines::One && text.contains(['\n', '\r', '\t']) {
        text = text.split(['\n', '\r', '\t', ' ']).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
    }
    for c in text.chars() {
        if c == '\0' {
            return Err("Không được chứa ký tự NUL (mã 0).".into());
        }
        let allowed_break = lines == Lines::Many && (c == '\n' || c == '\t');
        if c.is_control() && !allowed_break {
            return Err(format!("Không được chứa ký tự điều khiển (mã U+{:04X}).", u32::from(c)));
        }
        if bidi_control(c) {
            return Err(format!("Không được chứa ký tự đảo chiều văn bản (mã U+{:04X}).", u32::from(c)));
        }
    }
    let length = text.chars().count();
    if length > max {
        return Err(format!("Dài quá {} ký tự (đang có {}).", crate::vi::integer(max as u64), crate::vi::integer(length as u64)));
    }
    Ok(text)
}

impl UnitId {
    /// A unit code as people may give it: letters, digits, `-` and `.`, at most
    /// [`limits::CODE`] characters. Anything else (`/`, `%`, `_`, spaces, control characters)
    /// would break the materialised paths that subtrees are read by.
    pub fn parse(code: &str) -> Result<Self, String> {
        let code = code.trim();
        if code.is_empty() {
            return Err("Mã đơn vị không được để trống.".into());
        }
        if code.chars().count() > limits::CODE {
            return Err(format!("Mã đơn vị dài quá {} ký tự.", limits::CODE));
        }
        match code.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '.')) {
            Some(c) => Err(format!(
                "Mã đơn vị “{}” có ký tự “{}” không được dùng: mã chỉ gồm chữ không dấu, chữ số, dấu “-” và dấu “.”.",
                code.escape_debug(),
                c.escape_debug()
            )),
            None => Ok(Self(code.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_normalised_and_bounded() {
        assert_eq!(clean("  Vi\u{0303}nh Long ", 20, Lines::One).as_deref(), Ok("Vĩnh Long"));
        assert_eq!(clean("a\r\nb", 20, Lines::Many).as_deref(), Ok("a\nb"));
        assert_eq!(clean("", 20, Lines::One).as_deref(), Ok(""));
        assert_eq!(clean("Lê\r\n  Năm\tBa", 20, Lines::One).as_deref(), Ok("Lê Năm Ba"));
        assert_eq!(clean("ab\0c", 20, Lines::Many), Err("Không được chứa ký tự NUL (mã 0).".into()));
        assert_eq!(clean("a\u{7}b", 20, Lines::Many), Err("Không được chứa ký tự điều khiển (mã U+0007).".into()));
        assert_eq!(clean("abc\u{202E}fed", 20, Lines::One), Err("Không được chứa ký tự đảo chiều văn bản (mã U+202E).".into()));
        assert_eq!(clean(&"đ".repeat(2001), limits::NOTE, Lines::Many), Err("Dài quá 2.000 ký tự (đang có 2.001).".into()));
        // The limit counts characters, not bytes: 200 Vietnamese letters fit a name.
        assert!(clean(&"ệ".repeat(200), limits::NAME, Lines::One).is_ok());
    }

    #[test]
    fn unit_codes_keep_to_letters_digits_dash_and_dot() {
        assert_eq!(UnitId::parse(" 29578-ap01 "), Ok(UnitId("29578-ap01".into())));
        assert!(UnitId::parse("86.857.1").is_ok());
        for bad in ["29578-ap01/evil", "%", "a_b", "a b", "ấp1", "a\0", ""] {
            assert!(UnitId::parse(bad).is_err(), "{bad:?} must be refused");
        }
        assert!(UnitId::parse(&"a".repeat(65)).is_err());
        assert!(UnitId::parse(&"a".repeat(64)).is_ok());
    }
}
