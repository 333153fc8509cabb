//! Cell values read as dates, yes/no and labels the way people write them in Vietnamese
//! spreadsheets. Each reader returns the value or the Vietnamese message for the problem.

use chrono::NaiveDate;

use crate::sheet::Cell;
use crate::text::key;

/// The text of a cell as the user sees it (numbers without a needless ".0").
pub fn text(cell: &Cell) -> Option<String> {
    match cell {
        Cell::Empty => None,
        Cell::Text(t) => Some(t.clone()),
        Cell::Number(n) | Cell::DateSerial(n) => Some(number_text(*n)),
        Cell::Bool(b) => Some(if *b { "có" } else { "không" }.to_owned()),
        Cell::Error(e) => Some(e.clone()),
    }
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { n.to_string() }
}

/// Days from Excel's day 0 (30/12/1899, so that serial 60 is Excel's phantom 29/02/1900 and
/// later serials come out right) to the date.
fn from_serial(serial: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(chrono::Days::new(serial.floor() as u64))
}

const DATE_HINT: &str = "hãy ghi theo dạng ngày/tháng/năm, ví dụ 02/05/2013";

/// A date: an Excel date, an Excel serial number, or text in dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy,
/// dd.mm.yyyy or yyyy-mm-dd (a time after it is ignored).
pub fn date(cell: &Cell) -> Result<NaiveDate, String> {
    let date = match cell {
        Cell::DateSerial(n) | Cell::Number(n) => {
            from_serial(*n).ok_or_else(|| format!("số {} không phải một ngày: {DATE_HINT}", number_text(*n)))?
        }
        Cell::Text(t) => date_text(t)?,
        Cell::Bool(_) => return Err(format!("giá trị đúng/sai không phải một ngày: {DATE_HINT}")),
        Cell::Error(e) => return Err(format!("ô có lỗi công thức {e}")),
        Cell::Empty => return Err("thiếu ngày".to_owned()),
    };
    if !(1945..=2100).contains(&chrono::Datelike::year(&date)) {
        return Err(format!("năm {} không hợp lý: {DATE_HINT}", chrono::Datelike::year(&date)));
    }
    Ok(date)
}

fn date_text(t: &str) -> Result<NaiveDate, String> {
    let t = t.trim();
    // "02/05/2013 00:00:00", "2013-05-02T00:00:00": the time is dropped.
    let day_part = t.split([' ', 'T']).next().unwrap_or(t);
    if let Ok(d) = NaiveDate::parse_from_str(day_part, "%Y-%m-%d") {
        return Ok(d);
    }
    let parts: Vec<&str> = day_part.split(['/', '-', '.']).collect();
    if parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit())) {
        let number = |s: &str| s.parse::<u32>().unwrap_or(0);
        let (day, month, year) = (number(parts[0]), number(parts[1]), parts[2]);
        if year.len() != 4 {
            return Err(format!("“{t}”: năm phải đủ 4 chữ số; {DATE_HINT}"));
        }
        if month > 12 && day <= 12 {
            return Err(format!("“{t}”: tháng {month} không có; có lẽ ngày và tháng bị đảo (kiểu Mỹ tháng/ngày); {DATE_HINT}"));
        }
        return NaiveDate::from_ymd_opt(year.parse().unwrap_or(0), month, day)
            .ok_or_else(|| format!("“{t}” không phải ngày có thật; {DATE_HINT}"));
    }
    // A serial number kept as text ("41396").
    if day_part.len() == 5
        && day_part.bytes().all(|b| b.is_ascii_digit())
        && let Some(d) = day_part.parse().ok().and_then(from_serial)
    {
        return Ok(d);
    }
    Err(format!("“{t}” không phải một ngày; {DATE_HINT}"))
}

/// Yes or no: có/không, x, đã/chưa, rồi, c/k, yes/no, true/false, 1/0, or an Excel TRUE/FALSE.
pub fn yes_no(cell: &Cell) -> Result<bool, String> {
    let hint = "hãy ghi “có” hoặc “không”";
    match cell {
        Cell::Bool(b) => Ok(*b),
        Cell::Number(n) if *n == 1.0 => Ok(true),
        Cell::Number(n) if *n == 0.0 => Ok(false),
        Cell::Text(t) => match key(t).as_str() {
            "co" | "c" | "x" | "yes" | "y" | "true" | "1" | "da" | "roi" | "da ky" | "dung" | "v" => Ok(true),
            "khong" | "k" | "ko" | "no" | "n" | "false" | "0" | "chua" | "chua ky" | "sai" => Ok(false),
            _ => Err(format!("“{t}” không phải có/không: {hint}")),
        },
        Cell::Error(e) => Err(format!("ô có lỗi công thức {e}")),
        other => Err(format!("“{}” không phải có/không: {hint}", text(other).unwrap_or_default())),
    }
}

/// The parts of a cell that lists several values separated by ";", trimmed, blanks left out.
pub fn list(written: &str) -> impl Iterator<Item = &str> {
    written.split(';').map(str::trim).filter(|p| !p.is_empty())
}

/// A whole number, not negative: an Excel number, or text with "." or spaces between
/// thousands ("1.500.000").
pub fn whole(cell: &Cell) -> Result<u64, String> {
    let refused = |written: &str| format!("“{written}” không phải số nguyên không âm");
    match cell {
        Cell::Number(n) if n.fract() == 0.0 && (0.0..9.0e15).contains(n) => Ok(*n as u64),
        Cell::Text(t) => {
            let digits = t.trim().replace(['.', ' ', '\u{a0}'], "");
            match digits.parse::<u64>() {
                Ok(n) if !digits.is_empty() => Ok(n),
                _ if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) => Err(format!("số “{}” quá lớn", t.trim())),
                _ => Err(refused(t.trim())),
            }
        }
        Cell::Error(e) => Err(format!("ô có lỗi công thức {e}")),
        other => Err(refused(&text(other).unwrap_or_default())),
    }
}

/// One of a fixed list of choices, given by its code or its Vietnamese name (diacritics, case
/// and punctuation ignored; a name may be written without the part in brackets).
pub fn choice<'a>(written: &str, choices: impl IntoIterator<Item = (&'a str, &'a str)>, what: &str) -> Result<String, String> {
    let wanted = key(written);
    let mut names = Vec::new();
    for (code, name) in choices {
        let short = name.split(" (").next().unwrap_or(name);
        if key(code) == wanted || key(name) == wanted || key(short) == wanted {
            return Ok(code.to_owned());
        }
        names.push(short.to_owned());
    }
    let list = if names.len() > 12 {
        format!("{}, …; xem trang “Hướng dẫn” của tệp mẫu", names[..12].join("; "))
    } else {
        names.join("; ")
    };
    Err(format!("“{written}” không phải {what} hợp lệ; các giá trị được nhận: {list}"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    fn t(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }

    #[test]
    fn dates_as_people_write_them() {
        assert_eq!(date(&t("02/05/2013")), Ok(d(2013, 5, 2)));
        assert_eq!(date(&t("2/5/2013")), Ok(d(2013, 5, 2)));
        assert_eq!(date(&t("02-05-2013")), Ok(d(2013, 5, 2)));
        assert_eq!(date(&t("02.05.2013")), Ok(d(2013, 5, 2)));
        assert_eq!(date(&t("2013-05-02")), Ok(d(2013, 5, 2)));
        assert_eq!(date(&t("2013-05-02T00:00:00")), Ok(d(2013, 5, 2)));
        assert_eq!(date(&t("02/05/2013 00:00:00")), Ok(d(2013, 5, 2)));
        assert_eq!(date(&Cell::DateSerial(41396.0)), Ok(d(2013, 5, 2)));
        assert_eq!(date(&Cell::Number(41396.0)), Ok(d(2013, 5, 2)));
        assert_eq!(date(&t("41396")), Ok(d(2013, 5, 2)));
        assert!(date(&t("2/5/13")).unwrap_err().contains("4 chữ số"));
        assert!(date(&t("05/25/2013")).unwrap_err().contains("đảo"));
        assert!(date(&t("31/02/2013")).unwrap_err().contains("không phải ngày có thật"));
        assert!(date(&t("hôm qua")).unwrap_err().contains("không phải một ngày"));
        assert!(date(&Cell::Number(-3.0)).is_err());
    }

    #[test]
    fn yes_and_no() {
        for yes in ["có", "Có", "CO", "x", "X", "đã ký", "1", "TRUE"] {
            assert_eq!(yes_no(&t(yes)), Ok(true), "{yes}");
        }
        for no in ["không", "Không", "k", "chưa", "chưa ký", "0", "FALSE"] {
            assert_eq!(yes_no(&t(no)), Ok(false), "{no}");
        }
        assert_eq!(yes_no(&Cell::Bool(true)), Ok(true));
        assert!(yes_no(&t("có lẽ")).is_err());
    }

    #[test]
    fn choices_by_code_or_name() {
        let kinds = [("crime", "tội phạm"), ("superstition", "hoạt động mê tín dị đoan (đồng bóng, bói toán)")];
        assert_eq!(choice("Tội phạm", kinds, "loại vụ việc"), Ok("crime".to_owned()));
        assert_eq!(choice("TOI PHAM", kinds, "loại vụ việc"), Ok("crime".to_owned()));
        assert_eq!(choice("crime", kinds, "loại vụ việc"), Ok("crime".to_owned()));
        assert_eq!(choice("Hoạt động mê tín dị đoan", kinds, "loại vụ việc"), Ok("superstition".to_owned()));
        let e = choice("trộm", kinds, "loại vụ việc").unwrap_err();
        assert!(e.contains("“trộm” không phải loại vụ việc hợp lệ"), "{e}");
    }
}
