//! Inputs the fuzz targets (crates/import/fuzz, see docs/import.md) found crashing the reader,
//! kept as fixtures. The fixtures are one small stored (uncompressed) workbook, `minimal.xlsx`,
//! and copies of it with one range reversed.
#![allow(clippy::unwrap_used)]

use antt_import::{Kind, Limits, Parsed, parse, sheet};

fn read(bytes: &[u8]) -> Parsed {
    let vocabulary = antt_core::ruleset::built_in_named("vinh-long-2013").unwrap().unwrap().vocabulary;
    parse(Kind::Incidents, bytes, "vu-viec.xlsx", &vocabulary, &Limits::default(), &mut |_| {})
}

fn messages(p: &Parsed) -> Vec<String> {
    p.problems.iter().map(ToString::to_string).collect()
}

const BROKEN: &str = "Không đọc được tệp Excel (nội dung không hợp lệ). Tệp có thể đã hỏng hoặc không phải .xlsx: hãy mở bằng Excel và lưu lại thành “Excel Workbook (.xlsx)”.";

#[test]
fn the_minimal_workbook_is_read() {
    let bytes = include_bytes!("fixtures/minimal.xlsx");
    let p = read(bytes);
    assert_eq!(p.header_row, 1);
    assert_eq!(p.records.len(), 3, "{:?}", messages(&p));
    assert_eq!(sheet::estimate_rows(bytes), Some(4));
}

/// `<mergeCell ref="C4:C2"/>`: calamine subtracts the first row from the last without a check.
#[test]
fn a_reversed_merged_range_is_a_broken_file_not_a_crash() {
    let p = read(include_bytes!("fixtures/reversed-merge.xlsx"));
    if cfg!(debug_assertions) {
        // Overflow checks are on: calamine panics and the reader reports a broken file.
        assert_eq!(messages(&p), [BROKEN]);
        assert!(p.records.is_empty());
    } else {
        // Unchecked, the subtraction wraps and the region, which covers no row, is ignored.
        assert_eq!(p.records.len(), 3, "{:?}", messages(&p));
    }
}

/// `<dimension ref="C4:A1"/>`: the same subtraction, for the sheet's size, which the progress
/// estimate reads too.
#[test]
fn a_reversed_sheet_dimension_is_a_broken_file_not_a_crash() {
    let bytes = include_bytes!("fixtures/reversed-dimension.xlsx");
    let p = read(bytes);
    if cfg!(debug_assertions) {
        assert_eq!(messages(&p), [BROKEN]);
        assert_eq!(sheet::estimate_rows(bytes), None);
    } else {
        assert_eq!(p.records.len(), 3, "{:?}", messages(&p));
    }
}
