//! Text as imported: NFC, the look-alike letter Ð (U+00D0, Icelandic eth) read as Đ (U+0110),
//! spaces of every kind made plain and runs of them collapsed.

/// `s` cleaned for storing: NFC, Ð/ð → Đ/đ, whitespace collapsed, trimmed.
pub fn clean(s: &str) -> String {
    let nfc = antt_core::text::nfc(s);
    let mut out = String::with_capacity(nfc.len());
    let mut space = false;
    for c in nfc.chars() {
        let c = match c {
            'Ð' => 'Đ',
            'ð' => 'đ',
            c => c,
        };
        if c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}' {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

/// A key for matching names and labels: diacritics, case, punctuation and spacing ignored.
pub fn key(s: &str) -> String {
    let folded = antt_core::text::fold(s);
    let mut out = String::with_capacity(folded.len());
    for word in folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposed_text_and_the_eth_become_vietnamese() {
        assert_eq!(clean("  \u{00D0}o\u{0302}\u{0300}ng  Phu\u{0301}\u{00A0} "), "Đồng Phú");
        assert_eq!(clean("Nguye\u{0302}\u{0303}n Va\u{0306}n \u{00F0}\u{1EE9}c"), "Nguyễn Văn đức");
        assert_eq!(key("Ngày ký (dd/mm/yyyy)"), "ngay ky dd mm yyyy");
        assert_eq!(key("ĐÃ KÝ?"), "da ky");
    }
}
