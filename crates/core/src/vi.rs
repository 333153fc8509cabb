//! Vietnamese presentation of dates and numbers: dates as dd/mm/yyyy, numbers with "." between
//! thousands and "," before decimals (1.234,5).

use chrono::{Datelike, NaiveDate};

/// `02/05/2013`. Written directly rather than through a format string, which chrono parses
/// again on every call: reasons quote dates for every unit of a campaign.
pub fn date(d: NaiveDate) -> String {
    match d.year() {
        year @ 0..=9999 => format!("{:02}/{:02}/{year:04}", d.day(), d.month()),
        _ => d.format("%d/%m/%Y").to_string(),
    }
}

/// An integer with Vietnamese thousands separators: `1234567` → `1.234.567`.
pub fn integer(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A non-negative decimal number with at most `decimals` digits after the comma, trailing zeros
/// dropped: `decimal(1234.5, 1)` → `1.234,5`, `decimal(70.0, 1)` → `70`.
pub fn decimal(x: f64, decimals: usize) -> String {
    let sign = if x < 0.0 { "-" } else { "" };
    let text = format!("{:.*}", decimals, x.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((text.as_str(), ""));
    let fraction = fraction.trim_end_matches('0');
    let whole = integer(whole.parse().unwrap_or(0));
    if fraction.is_empty() { format!("{sign}{whole}") } else { format!("{sign}{whole},{fraction}") }
}

/// A share as a percentage with one decimal: `percent(249, 250)` → `99,6%`.
pub fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "—".to_owned();
    }
    format!("{}%", decimal(part as f64 * 100.0 / whole as f64, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_day_month_year() {
        let d = NaiveDate::from_ymd_opt(2013, 5, 2).expect("valid date");
        assert_eq!(date(d), "02/05/2013");
        for (y, m, day, shown) in [(987, 12, 31, "31/12/0987"), (2100, 1, 9, "09/01/2100"), (-5, 3, 4, "04/03/-0005")] {
            let d = NaiveDate::from_ymd_opt(y, m, day).expect("valid date");
            assert_eq!(date(d), shown);
            assert_eq!(date(d), d.format("%d/%m/%Y").to_string(), "as chrono writes it");
        }
    }

    #[test]
    fn numbers_use_dot_for_thousands_and_comma_for_decimals() {
        assert_eq!(integer(0), "0");
        assert_eq!(integer(999), "999");
        assert_eq!(integer(1000), "1.000");
        assert_eq!(integer(1_234_567), "1.234.567");
        assert_eq!(decimal(1234.5, 1), "1.234,5");
        assert_eq!(decimal(70.0, 1), "70");
        assert_eq!(decimal(-2.25, 2), "-2,25");
        assert_eq!(percent(249, 250), "99,6%");
        assert_eq!(percent(7, 10), "70%");
        assert_eq!(percent(1, 0), "—");
    }
}
