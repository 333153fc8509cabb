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

/// Lower-case text without diacritics, for search that ignores them: "Vĩnh Long" → "vinh long".
/// Both Đ (U+0110) and its look-alike Ð (U+00D0) become "d".
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !('\u{0300}'..='\u{036f}').contains(c))
        .map(|c| match c {
            'Đ' | 'đ' | 'Ð' | 'ð' => 'd',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod fold_tests {
    use super::fold;

    #[test]
    fn folding_drops_diacritics_and_case() {
        assert_eq!(fold("Vĩnh Long"), "vinh long");
        assert_eq!(fold("ĐỒNG PHÚ"), "dong phu");
        assert_eq!(fold("Ðồng Phú"), "dong phu");
        assert_eq!(fold("Ấp Hòa Quới"), "ap hoa quoi");
    }
}

/// A key that sorts Vietnamese text in dictionary order: letters by the Vietnamese alphabet
/// (a ă â b c d đ e ê … o ô ơ … u ư …), then tones (none, huyền, sắc, hỏi, ngã, nặng) as a tie
/// breaker, then the text itself.
pub fn sort_key(s: &str) -> (Vec<u32>, Vec<u8>, String) {
    const ALPHABET: [char; 33] = [
        'a', 'ă', 'â', 'b', 'c', 'd', 'đ', 'e', 'ê', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'ô', 'ơ', 'p', 'q', 'r', 's', 't',
        'u', 'ư', 'v', 'w', 'x', 'y', 'z',
    ];
    let mut letters: Vec<char> = Vec::with_capacity(s.len());
    let mut tones: Vec<u8> = Vec::with_capacity(s.len());
    for c in s.nfd().flat_map(char::to_lowercase) {
        let last = letters.last_mut();
        match (c, last) {
            ('\u{0300}', _) => set_last(&mut tones, 1), // huyền
            ('\u{0301}', _) => set_last(&mut tones, 2), // sắc
            ('\u{0309}', _) => set_last(&mut tones, 3), // hỏi
            ('\u{0303}', _) => set_last(&mut tones, 4), // ngã
            ('\u{0323}', _) => set_last(&mut tones, 5), // nặng
            // Breve, circumflex and horn make letters of their own.
            ('\u{0306}', Some(l @ 'a')) => *l = 'ă',
            ('\u{0302}', Some(l @ 'a')) => *l = 'â',
            ('\u{0302}', Some(l @ 'e')) => *l = 'ê',
            ('\u{0302}', Some(l @ 'o')) => *l = 'ô',
            ('\u{031b}', Some(l @ 'o')) => *l = 'ơ',
            ('\u{031b}', Some(l @ 'u')) => *l = 'ư',
            ('đ' | 'ð', _) => {
                letters.push('đ');
                tones.push(0);
            }
            (c, _) => {
                letters.push(c);
                tones.push(0);
            }
        }
    }
    // Spaces first, then numbers by value (Phường 2 before Phường 10), then letters in
    // alphabet order, then anything else.
    let mut key = Vec::with_capacity(letters.len());
    let mut chars = letters.into_iter().peekable();
    while let Some(c) = chars.next() {
        if let Some(d) = c.to_digit(10) {
            let mut n = d;
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                n = n.saturating_mul(10).saturating_add(d);
                chars.next();
            }
            key.extend([1, n]);
        } else if c.is_whitespace() {
            key.push(0);
        } else {
            key.push(ALPHABET.iter().position(|a| *a == c).map_or(2_000_000_000 + c as u32, |p| 1_000_000_000 + p as u32));
        }
    }
    (key, tones, s.to_owned())
}

fn set_last(tones: &mut [u8], tone: u8) {
    if let Some(t) = tones.last_mut() {
        *t = tone;
    }
}

#[cfg(test)]
mod sort_tests {
    use super::sort_key;

    #[test]
    fn vietnamese_alphabet_order() {
        let mut names = vec!["Ấp Đông", "Ấp Dương", "Ấp Bình", "Ấp Ăn", "Ấp An", "Ấp Ân", "Ấp Ơn", "Ấp Ôn", "Ấp On", "Ấp 2", "Ấp 10"];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(names, ["Ấp 2", "Ấp 10", "Ấp An", "Ấp Ăn", "Ấp Ân", "Ấp Bình", "Ấp Dương", "Ấp Đông", "Ấp On", "Ấp Ôn", "Ấp Ơn"]);
        let mut tones = vec!["má", "mà", "ma", "mạ", "mã", "mả"];
        tones.sort_by_key(|n| sort_key(n));
        assert_eq!(tones, ["ma", "mà", "má", "mả", "mã", "mạ"]);
    }
}
