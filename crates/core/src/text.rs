//! Text at the edge: everything typed or imported is brought to Unicode NFC first, so "Vĩnh"
//! typed with a combining tilde and "Vĩnh" precomposed are the same name.

use unicode_normalization::{UnicodeNormalization, is_nfc_quick};

/// The NFC form of `s`, borrowing when it already is.
pub fn nfc(s: &str) -> std::borrow::Cow<'_, str> {
    match is_nfc_quick(s.chars()) {
        unicode_normalization::IsNormalized::Yes => std::borrow::Cow::Borrowed(s),
        _ => std::borrow::Cow::Owned(s.nfc().collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposed_vietnamese_becomes_precomposed() {
        let decomposed = "Vi\u{0303}nh Long"; // "Vĩnh" with a combining tilde
        assert_ne!(decomposed, "Vĩnh Long");
        assert_eq!(nfc(decomposed), "Vĩnh Long");
        assert!(matches!(nfc("Vĩnh Long"), std::borrow::Cow::Borrowed(_)));
    }
}
