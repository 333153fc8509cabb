//! Time-based one-time passwords (TOTP, RFC 6238, on HOTP, RFC 4226) as authenticator apps
//! make them: HMAC-SHA1, six digits, 30-second steps, the secret written in base32
//! (RFC 4648) and handed over as an `otpauth://` URI. Pure: the caller gives the time and keeps
//! the last step accepted, so a code is never taken twice.

use hmac::{Hmac, KeyInit, Mac};

/// Digits of a code.
pub const DIGITS: usize = 6;
/// Seconds of one time step.
pub const STEP_SECONDS: i64 = 30;
/// Bytes of a new secret (160 bits, as RFC 4226 recommends).
pub const SECRET_BYTES: usize = 20;
/// Steps either side of the current one also accepted: a phone's clock a little off, or a code
/// typed just as it changed.
pub const DRIFT_STEPS: i64 = 1;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Base32 without padding, as authenticator apps take it.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Reads base32 (any case, spaces, dashes and padding ignored); `None` on another character.
pub fn from_base32(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !matches!(c, ' ' | '-' | '=')) {
        let value = ALPHABET.iter().position(|&a| char::from(a) == c.to_ascii_uppercase())?;
        buffer = (buffer << 5) | value as u32;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// The time step of an instant given in seconds since 1970.
pub fn step_at(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// The code of a step (HOTP of the step counter), as the six digits an app shows.
pub fn code(secret: &[u8], step: i64) -> String {
    let Ok(mut mac) = Hmac::<sha1::Sha1>::new_from_slice(secret) else { unreachable!("HMAC takes a key of any length") };
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let binary = u32::from_be_bytes([digest[offset] & 0x7f, digest[offset + 1], digest[offset + 2], digest[offset + 3]]);
    format!("{:0width$}", binary % 10u32.pow(DIGITS as u32), width = DIGITS)
}

/// What was typed, reduced to its digits when it is a code ("123 456" → "123456").
pub fn typed_code(typed: &str) -> Option<String> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    (digits.len() == DIGITS && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// The step whose code was typed, among the current one and [`DRIFT_STEPS`] either side, and
/// later than `last_step` (the last one accepted): `None` when none matches. Every candidate is
/// compared whole, in time independent of where they differ.
pub fn matching_step(secret: &[u8], typed: &str, unix_seconds: i64, last_step: i64) -> Option<i64> {
    let typed = typed_code(typed)?;
    let now = step_at(unix_seconds);
    let mut found = None;
    for step in (now - DRIFT_STEPS)..=(now + DRIFT_STEPS) {
        let same = code(secret, step).bytes().zip(typed.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
        if same && step > last_step && found.is_none() {
            found = Some(step);
        }
    }
    found
}

/// The `otpauth://` URI an authenticator app reads (from a QR code or pasted), labelled with
/// the issuer and the account.
pub fn uri(secret_base32: &str, issuer: &str, account: &str) -> String {
    let label = format!("{}:{}", encode(issuer), encode(account));
    format!("otpauth://totp/{label}?secret={secret_base32}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}", encode(issuer))
}

/// Percent-encoding of everything but unreserved characters (RFC 3986).
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B, SHA-1 column: the secret "12345678901234567890", eight digits
    /// there; the last six are ours.
    #[test]
    fn the_rfc_6238_test_vectors() {
        let secret = b"12345678901234567890";
        for (time, eight) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(code(secret, step_at(time)), eight[2..], "at {time}");
        }
    }

    #[test]
    fn base32_round_trips_and_matches_rfc_4648() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32(b"12345678901234567890"), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(from_base32("mzxw 6ytb-oi==").as_deref(), Some(&b"foobar"[..]));
        assert_eq!(from_base32("MZ1W"), None);
        let secret: Vec<u8> = (0u8..20).collect();
        assert_eq!(from_base32(&base32(&secret)), Some(secret));
    }

    #[test]
    fn a_code_is_taken_within_one_step_of_now_and_never_for_a_step_already_used() {
        let secret = b"12345678901234567890";
        let now = 1_111_111_111;
        let here = step_at(now);
        let typed = code(secret, here);
        assert_eq!(matching_step(secret, &typed, now, 0), Some(here));
        assert_eq!(matching_step(secret, &format!("{} {}", &typed[..3], &typed[3..]), now, 0), Some(here));
        assert_eq!(matching_step(secret, &code(secret, here - 1), now, 0), Some(here - 1));
        assert_eq!(matching_step(secret, &code(secret, here + 1), now, 0), Some(here + 1));
        assert_eq!(matching_step(secret, &code(secret, here - 2), now, 0), None);
        assert_eq!(matching_step(secret, &typed, now, here), None, "the same code twice");
        assert_eq!(matching_step(secret, "12345", now, 0), None);
        assert_eq!(matching_step(secret, "abcdef", now, 0), None);
    }

    #[test]
    fn the_uri_names_issuer_and_account() {
        assert_eq!(
            uri("GEZDGNBV", "ANTT Vĩnh Long", "xa.dong-phu"),
            "otpauth://totp/ANTT%20V%C4%A9nh%20Long:xa.dong-phu?secret=GEZDGNBV&issuer=ANTT%20V%C4%A9nh%20Long&algorithm=SHA1&digits=6&period=30"
        );
    }
}
