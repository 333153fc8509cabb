//! The General Statistics Office's conversion list of the 2025 reorganisation
//! (data/gso-commune-conversion-2025-07.csv, shipped inside the binary): for each commune of the
//! 34 provinces from 01/07/2025, the communes of the 63 old provinces it was formed from, whole
//! or in part.
//!
//! The list is a spreadsheet saved as CSV and reads as such: two header lines, a row naming each
//! province in capitals between the provinces (one says "Tỉnh Bắc Ninh (24)" where Phú Thọ
//! begins), names broken over two lines inside quotes, names in decomposed Unicode, doubled or
//! trailing spaces, and notes in a dozen wordings ("Nhập toàn bộ", "Nhập một phần diện tích, toàn
//! bộ dân số", "Giữ nguyên", "Sắp xếp toàn bộ huyện Lý Sơn thành đặc khu Lý Sơn"…). Only the
//! layout is checked here; how its old codes and names match the list of 04/01/2025 is
//! `gso::import`'s business.

use std::collections::{BTreeMap, BTreeSet};

use antt_core::text::fold;

use crate::{Result, StoreError};

/// The list as published for 01/07/2025.
pub const CONVERSION_2025_07: &str = include_str!("../../../../data/gso-commune-conversion-2025-07.csv");

/// Where the list comes from, in the words shown to users.
pub const SOURCE_2025_07: &str = "Bảng chuyển đổi đơn vị hành chính cấp xã từ ngày 01/7/2025 của Cục Thống kê";

/// One data row: a new commune and one old unit that went into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReorgRow {
    /// Line of the file where the row starts (1-based), for messages.
    pub line: usize,
    pub new_province_name: String,
    pub new_province_code: String,
    pub new_name: String,
    pub new_code: String,
    /// The old commune as written: empty when a whole old district became the new commune
    /// (the island districts), or an area without a code ("Khu vực bãi bồi ven biển…").
    pub old_name: String,
    pub old_code: Option<String>,
    /// "Nhập toàn bộ", "Nhập một phần", "Giữ nguyên"…
    pub note: String,
    pub old_district_name: String,
    pub old_district_code: String,
    pub old_province_name: String,
    pub old_province_code: String,
}

impl ReorgRow {
    /// Whether the old unit went whole into the new commune, as the note says: "một phần"
    /// (also misspelt "Nhâp một phần"), "phần còn lại" and "từ một phần" mark a part.
    pub fn whole(&self) -> bool {
        let note = fold(&self.note);
        !(note.contains("mot phan") || note.contains("phan con lai"))
    }
}

const HEADER: [[&str; 8]; 2] = [
    ["Đơn vị hành chính từ ngày 01/7/2025", "", "", "Đơn vị hành chính trước ngày 01/7/2025", "", "", "", ""],
    ["Tỉnh, thành phố", "Tên Xã mới", "Mã Xã mới", "Tên Xã cũ", "Mã Xã cũ", "Ghi chú", "Quận/huyện", "Tỉnh cũ"],
];

/// NFC, inner runs of white space (line breaks included) made one space, trimmed.
fn clean(s: &str) -> String {
    antt_core::text::nfc(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_code(s: &str, width: usize) -> bool {
    s.len() == width && s.bytes().all(|b| b.is_ascii_digit())
}

/// "Thành phố Hà Nội (01)" → ("Thành phố Hà Nội", "01") when the code has `width` digits.
fn named_code(s: &str, width: usize) -> Option<(String, String)> {
    let (name, rest) = s.strip_suffix(')')?.rsplit_once('(')?;
    let (name, code) = (name.trim(), rest.trim());
    (!name.is_empty() && is_code(code, width)).then(|| (name.to_owned(), code.to_owned()))
}

/// A line's problems, joined into one refusal.
fn refuse(errors: Vec<String>) -> StoreError {
    const SHOWN: usize = 20;
    let mut text = format!("bảng chuyển đổi có {} dòng lỗi:", errors.len());
    for e in errors.iter().take(SHOWN) {
        text.push_str("\n  ");
        text.push_str(e);
    }
    if errors.len() > SHOWN {
        text.push_str(&format!("\n  … và {} dòng lỗi khác", errors.len() - SHOWN));
    }
    StoreError::Invalid(text)
}

/// Reads the list: every data row, in order. Every line with a problem is reported with its
/// number: a missing or malformed name or code, a new commune code named differently on two
/// rows (beyond spelling: "Xã Điềm Thụy" and "Xã Điềm Thuỵ" are one name), or an old unit
/// listed twice for the same new commune.
pub fn parse(text: &str) -> Result<Vec<ReorgRow>> {
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut new_names: BTreeMap<String, (String, String, usize)> = BTreeMap::new();
    let mut pairs: BTreeSet<(String, Option<String>, String)> = BTreeSet::new();
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            StoreError::Invalid(format!("dòng {line} của bảng chuyển đổi không đọc được: {e}"))
        })?;
        let line = usize::try_from(record.position().map_or(0, |p| p.line())).unwrap_or(0);
        let fields: Vec<String> = record.iter().map(clean).collect();
        if let Some(header) = HEADER.get(index) {
            if fields.iter().map(String::as_str).take(8).ne(header.iter().copied()) {
                return Err(refuse(vec![format!("dòng {line}: dòng tiêu đề không đúng, cần `{}`", header.join(","))]));
            }
            continue;
        }
        // Blank lines, and the rows naming a province between the provinces.
        if fields.iter().skip(1).all(String::is_empty) {
            continue;
        }
        match row(line, &fields) {
            Ok(r) => {
                let (name, province, first) =
                    new_names.entry(r.new_code.clone()).or_insert_with(|| (r.new_name.clone(), r.new_province_code.clone(), line));
                if fold(name) != fold(&r.new_name) || *province != r.new_province_code {
                    errors.push(format!(
                        "dòng {line}: xã mới mã {} là `{}` thuộc tỉnh mã {} nhưng dòng {first} ghi `{name}` thuộc tỉnh mã {province}",
                        r.new_code, r.new_name, r.new_province_code
                    ));
                } else if !pairs.insert((r.new_code.clone(), r.old_code.clone(), fold(&r.old_name))) {
                    errors.push(format!("dòng {line}: `{}` đã được ghi cho {} ở một dòng trước", r.old_name, r.new_name));
                } else {
                    rows.push(r);
                }
            }
            Err(why) => errors.push(format!("dòng {line}: {why}")),
        }
    }
    if errors.is_empty() { Ok(rows) } else { Err(refuse(errors)) }
}

/// One data row, or what is wrong with it.
fn row(line: usize, f: &[String]) -> std::result::Result<ReorgRow, String> {
    if f.len() < 8 || f.iter().skip(8).any(|c| !c.is_empty()) {
        return Err(format!("có {} cột, cần 8", f.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1)));
    }
    let (new_province_name, new_province_code) =
        named_code(&f[0], 2).ok_or_else(|| format!("tỉnh mới `{}` cần có dạng `Tên tỉnh (mã 2 chữ số)`", f[0]))?;
    if f[1].is_empty() {
        return Err("thiếu tên xã mới".into());
    }
    if !is_code(&f[2], 5) {
        return Err(format!("mã xã mới `{}` phải gồm 5 chữ số", f[2]));
    }
    let old_code = match f[4].as_str() {
        "" => None,
        c if is_code(c, 5) => Some(c.to_owned()),
        c => return Err(format!("mã xã cũ `{c}` phải gồm 5 chữ số")),
    };
    if old_code.is_some() && f[3].is_empty() {
        return Err("thiếu tên xã cũ".into());
    }
    if f[5].is_empty() {
        return Err("thiếu ghi chú (nhập toàn bộ hay một phần)".into());
    }
    let (old_district_name, old_district_code) =
        named_code(&f[6], 3).ok_or_else(|| format!("huyện cũ `{}` cần có dạng `Tên huyện (mã 3 chữ số)`", f[6]))?;
    let (old_province_name, old_province_code) =
        named_code(&f[7], 2).ok_or_else(|| format!("tỉnh cũ `{}` cần có dạng `Tên tỉnh (mã 2 chữ số)`", f[7]))?;
    Ok(ReorgRow {
        line,
        new_province_name,
        new_province_code,
        new_name: f[1].clone(),
        new_code: f[2].clone(),
        old_name: f[3].clone(),
        old_code,
        note: f[5].clone(),
        old_district_name,
        old_district_code,
        old_province_name,
        old_province_code,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<ReorgRow> {
        parse(CONVERSION_2025_07).expect("the shipped list reads")
    }

    #[test]
    fn the_shipped_list_has_34_provinces_and_3321_communes() {
        let rows = rows();
        assert_eq!(rows.len(), 10_571);
        let provinces: BTreeSet<&str> = rows.iter().map(|r| r.new_province_code.as_str()).collect();
        let communes: BTreeSet<&str> = rows.iter().map(|r| r.new_code.as_str()).collect();
        assert_eq!((provinces.len(), communes.len()), (34, 3_321));
        // Rows start where the spreadsheet's multi-line cells start.
        let tay_loc = rows.iter().find(|r| r.old_code.as_deref() == Some("19750")).expect("Phường Tây Lộc");
        assert_eq!((tay_loc.line, tay_loc.new_name.as_str(), tay_loc.old_name.as_str()), (6214, "Phường Phú Xuân", "Phường Tây Lộc"));
        // Decomposed names come out composed.
        assert!(rows.iter().all(|r| antt_core::text::nfc(&r.old_name) == r.old_name.as_str()));
    }

    #[test]
    fn notes_say_whole_or_part() {
        let rows = rows();
        let note = |note: &str| rows.iter().find(|r| r.note == note).unwrap_or_else(|| panic!("a row with {note}"));
        for (text, whole) in [
            ("Nhập toàn bộ", true),
            ("Giữ nguyên", true),
            ("Đổi tên", true),
            ("Nhập một phần", false),
            ("Nhâp một phần diện tích", false),
            ("Nhập một phần diện tích, toàn bộ dân số", false),
            ("Phần còn lại sau khi tách một phần vào xã Canh Vinh", false),
            ("Đổi tên từ một phần Phường 15", false),
        ] {
            assert_eq!(note(text).whole(), whole, "{text}");
        }
        // The island districts became special zones whole, without an old commune.
        let con_co = rows.iter().find(|r| r.new_code == "19742").expect("Đặc khu Cồn Cỏ");
        assert_eq!((con_co.old_code.as_deref(), con_co.old_district_code.as_str(), con_co.whole()), (None, "471", true));
    }

    #[test]
    fn malformed_lines_are_refused_with_their_numbers() {
        let head = "Đơn vị hành chính từ ngày 01/7/2025,,,Đơn vị hành chính trước ngày 01/7/2025,,,,,\n\
                    \"Tỉnh, thành phố\",Tên Xã mới,Mã Xã mới,Tên Xã cũ,Mã Xã cũ,Ghi chú,Quận/huyện,Tỉnh cũ,\n";
        let good =
            "Tỉnh Vĩnh Long (86),Phường Long Châu,29557,Phường 1,29557,Nhập toàn bộ,Thành phố Vĩnh Long (855),Tỉnh Vĩnh Long (86),\n";
        assert_eq!(parse(&format!("{head}VĨNH LONG,,,,,,,,\n{good}")).expect("one good row").len(), 1);
        let text = format!(
            "{head}VĨNH LONG,,,,,,,,\n{good}\
             Tỉnh Vĩnh Long,Phường X,29558,Phường 2,29560,Nhập toàn bộ,Thành phố Vĩnh Long (855),Tỉnh Vĩnh Long (86),\n\
             Tỉnh Vĩnh Long (86),Phường Y,2956,Phường 3,29563,Nhập toàn bộ,Thành phố Vĩnh Long (855),Tỉnh Vĩnh Long (86),\n\
             Tỉnh Vĩnh Long (86),\"Phường\nZ\",29570,Phường 4,29566,,Thành phố Vĩnh Long (855),Tỉnh Vĩnh Long (86),\n\
             Tỉnh Vĩnh Long (86),Phường Long Châu,29557,Phường 1,29557,Nhập toàn bộ,Thành phố Vĩnh Long (855),Tỉnh Vĩnh Long (86),\n\
             Tỉnh Vĩnh Long (86),Phường Khác,29557,Phường 5,29569,Nhập toàn bộ,Thành phố Vĩnh Long,Tỉnh Vĩnh Long (86),\n\
             Tỉnh Vĩnh Long (86),Phường Khác,29557,Phường 5,29569,Nhập toàn bộ,Thành phố Vĩnh Long (855),Tỉnh Vĩnh Long (86),\n"
        );
        let e = parse(&text).expect_err("malformed rows").to_string();
        for expected in [
            "có 6 dòng lỗi",
            "dòng 5: tỉnh mới `Tỉnh Vĩnh Long` cần có dạng",
            "dòng 6: mã xã mới `2956` phải gồm 5 chữ số",
            "dòng 7: thiếu ghi chú",
            "dòng 9: `Phường 1` đã được ghi cho Phường Long Châu",
            "dòng 10: huyện cũ `Thành phố Vĩnh Long` cần có dạng",
            "dòng 11: xã mới mã 29557 là `Phường Khác`",
        ] {
            assert!(e.contains(expected), "{expected} in {e}");
        }
        let e = parse("a,b\n").expect_err("no header").to_string();
        assert!(e.contains("dòng 1: dòng tiêu đề không đúng"), "{e}");
    }
}
