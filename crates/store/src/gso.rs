//! The General Statistics Office's list of administrative units (data/gso-communes-2025-01-04.csv,
//! shipped inside the binary): province → district → commune with their official codes, as it
//! stood on 04/01/2025, the last list with a district level. `reorg` reads the list of the 2025
//! reorganisation, `import` writes both into the unit tree.

pub mod import;
pub mod reorg;

use std::collections::BTreeMap;

use crate::units::NewUnit;
use crate::{Result, StoreError};

/// The list of 04/01/2025: 63 provinces, their district-level units and 10,051 communes (10,056
/// lines: five island districts have no commune).
pub const COMMUNES_2025_01_04: &str = include_str!("../../../data/gso-communes-2025-01-04.csv");

/// Where the list comes from, in the words shown to users.
pub const SOURCE_2025_01_04: &str = "Danh mục đơn vị hành chính của Tổng cục Thống kê ngày 04/01/2025";

/// One line of the list: a commune with its district and province. A district-level unit
/// without communes (island districts such as Huyện Bạch Long Vĩ) has a line of its own with an
/// empty commune name, code and level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommuneRow {
    pub province_name: String,
    pub province_code: String,
    pub district_name: String,
    pub district_code: String,
    pub name: String,
    pub code: String,
    /// "Xã", "Phường" or "Thị trấn".
    pub level: String,
    pub english_name: Option<String>,
}

const HEADER: [&str; 8] = ["Tỉnh Thành Phố", "Mã TP", "Quận Huyện", "Mã QH", "Phường Xã", "Mã PX", "Cấp", "Tên Tiếng Anh"];

/// NFC, trimmed, inner runs of spaces made one ("Huyện  Vũng Liêm" → "Huyện Vũng Liêm").
fn clean(s: &str) -> String {
    antt_core::text::nfc(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads the list. It has no quoted fields; a line with another number of fields or a code that
/// is not digits is refused with its line number.
pub fn parse(text: &str) -> Result<Vec<CommuneRow>> {
    let mut lines = text.trim_start_matches('\u{feff}').lines().enumerate();
    let header: Vec<String> = lines.next().map(|(_, l)| l.split(',').map(clean).collect()).unwrap_or_default();
    if header != HEADER {
        return Err(StoreError::Invalid(format!("dòng tiêu đề của danh mục không đúng: cần `{}`", HEADER.join(","))));
    }
    let mut rows = Vec::new();
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<String> = line.split(',').map(clean).collect();
        let bad = |why: &str| StoreError::Invalid(format!("dòng {} của danh mục: {why}", i + 1));
        if fields.len() != HEADER.len() {
            return Err(bad(&format!("có {} cột, cần {}", fields.len(), HEADER.len())));
        }
        let district_only = fields[4].is_empty() && fields[5].is_empty();
        for (code, width) in [(&fields[1], 2), (&fields[3], 3), (&fields[5], 5)] {
            if !(width == 5 && district_only) && (code.len() != width || !code.bytes().all(|b| b.is_ascii_digit())) {
                return Err(bad(&format!("mã `{code}` phải gồm {width} chữ số")));
            }
        }
        if fields[0].is_empty() || fields[2].is_empty() || (fields[4].is_empty() && !district_only) {
            return Err(bad("thiếu tên đơn vị"));
        }
        let mut f = fields.into_iter();
        let mut next = || f.next().unwrap_or_default();
        rows.push(CommuneRow {
            province_name: next(),
            province_code: next(),
            district_name: next(),
            district_code: next(),
            name: next(),
            code: next(),
            level: next(),
            english_name: Some(next()).filter(|s| !s.is_empty()),
        });
    }
    Ok(rows)
}

/// The shipped list's lines for one province, in the list's order.
pub fn province(code: &str) -> Result<Vec<CommuneRow>> {
    let rows: Vec<CommuneRow> = parse(COMMUNES_2025_01_04)?.into_iter().filter(|r| r.province_code == code).collect();
    if rows.is_empty() {
        return Err(StoreError::NotFound(format!("tỉnh có mã {code} trong danh mục")));
    }
    Ok(rows)
}

/// A province's tree as units to insert, parents first: the province (`province`), its
/// district-level units (`district`) and communes (`commune`), with the official codes as ids.
/// Attributes keep the official level (`cap`), the English name (`ten_tieng_anh`) when given,
/// and the source (`nguon`).
pub fn units_of(rows: &[CommuneRow]) -> Vec<NewUnit> {
    let mut out: Vec<NewUnit> = Vec::with_capacity(rows.len() + 16);
    let mut seen: BTreeMap<&str, ()> = BTreeMap::new();
    let source = || BTreeMap::from([("nguon".to_owned(), SOURCE_2025_01_04.to_owned())]);
    let level_of = |name: &str| {
        ["Thành phố", "Thị xã", "Quận", "Huyện", "Tỉnh"].into_iter().find(|p| name.starts_with(p)).unwrap_or_default().to_owned()
    };
    for r in rows {
        if seen.insert(&r.province_code, ()).is_none() {
            let mut attributes = source();
            attributes.insert("cap".into(), level_of(&r.province_name));
            out.push(NewUnit {
                id: r.province_code.clone(),
                name: r.province_name.clone(),
                unit_type: "province".into(),
                official_code: Some(r.province_code.clone()),
                attributes,
                ..NewUnit::default()
            });
        }
        if seen.insert(&r.district_code, ()).is_none() {
            let mut attributes = source();
            attributes.insert("cap".into(), level_of(&r.district_name));
            out.push(NewUnit {
                id: r.district_code.clone(),
                name: r.district_name.clone(),
                unit_type: "district".into(),
                parent_id: Some(r.province_code.clone()),
                official_code: Some(r.district_code.clone()),
                attributes,
                ..NewUnit::default()
            });
        }
        if r.code.is_empty() {
            continue;
        }
        let mut attributes = source();
        attributes.insert("cap".into(), r.level.clone());
        if let Some(e) = &r.english_name {
            attributes.insert("ten_tieng_anh".into(), e.clone());
        }
        out.push(NewUnit {
            id: r.code.clone(),
            name: r.name.clone(),
            unit_type: "commune".into(),
            parent_id: Some(r.district_code.clone()),
            official_code: Some(r.code.clone()),
            attributes,
            ..NewUnit::default()
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_list_reads_whole() {
        let rows = parse(COMMUNES_2025_01_04).expect("the shipped list reads");
        assert_eq!(rows.len(), 10_056);
        assert_eq!(rows.iter().filter(|r| !r.code.is_empty()).count(), 10_051);
        // Five island districts have no commune.
        assert_eq!(rows.iter().filter(|r| r.code.is_empty()).count(), 5);
        assert_eq!(units_of(&rows).iter().filter(|u| u.id == "318").count(), 1);
        let provinces: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.province_code.as_str()).collect();
        assert_eq!(provinces.len(), 63);
    }

    #[test]
    fn old_vinh_long_has_eight_districts_and_102_communes() {
        let rows = province("86").expect("Vĩnh Long is in the list");
        let units = units_of(&rows);
        let count = |t: &str| units.iter().filter(|u| u.unit_type == t).count();
        assert_eq!((count("province"), count("district"), count("commune")), (1, 8, 102));
        assert_eq!(units[0].name, "Tỉnh Vĩnh Long");
        // The list writes "Huyện  Vũng Liêm" with two spaces.
        assert!(units.iter().any(|u| u.id == "859" && u.name == "Huyện Vũng Liêm"));
        let dong_phu = units.iter().find(|u| u.id == "29578").expect("Đồng Phú");
        assert_eq!((dong_phu.name.as_str(), dong_phu.parent_id.as_deref()), ("Xã Đồng Phú", Some("857")));
        assert_eq!(dong_phu.attributes.get("cap").map(String::as_str), Some("Xã"));
    }

    #[test]
    fn malformed_lines_are_refused_with_their_line() {
        let text = format!("{}\nTỉnh A,86,Huyện B,857,Xã C,2957,Xã,\n", HEADER.join(","));
        let e = parse(&text).expect_err("a 4-digit commune code").to_string();
        assert!(e.contains("dòng 2") && e.contains("5 chữ số"), "{e}");
        assert!(parse("a,b\n").is_err());
        assert!(matches!(province("99"), Err(StoreError::NotFound(_))));
    }
}
