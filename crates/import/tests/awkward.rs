//! Import of awkward real-world files: each gives a precise problem list or correctly
//! normalised records. Fixtures are built here with rust_xlsxwriter and written out as bytes.
#![allow(clippy::unwrap_used)]

use antt_import::{Kind, Limits, Parsed, Records, parse};
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Formula, Workbook};

fn ruleset() -> antt_core::Ruleset {
    antt_core::ruleset::built_in_named("vinh-long-2013").unwrap().unwrap()
}

fn vocabulary() -> antt_core::ruleset::Vocabulary {
    ruleset().vocabulary
}

fn read(kind: Kind, bytes: &[u8], name: &str) -> Parsed {
    parse(kind, bytes, name, &vocabulary(), &Limits::default(), &mut |_| {})
}

fn messages(p: &Parsed) -> Vec<String> {
    p.problems.iter().map(ToString::to_string).collect()
}

fn households(p: &Parsed) -> &[antt_import::HouseholdRecord] {
    match &p.records {
        Records::Households(h) => h,
        other => panic!("not households: {other:?}"),
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn a_clean_csv_with_bom_semicolons_nfd_text_and_the_eth() {
    // Excel's "CSV UTF-8" in a Vietnamese locale: BOM, semicolons; text typed on a Mac (NFD)
    // and the Icelandic Ð pasted for Đ.
    let csv = "\u{FEFF}Khu dân cư;Chủ hộ;Địa chỉ;Đã ký cam kết;Ngày ký\n\
               Ấp Hòa Quới;Nguye\u{0302}\u{0303}n Va\u{0306}n An;Số 1;có;02/05/2013\n\
               ;;;;\n\
               Ấp Hòa Quới;\u{00D0}ỗ Thị Bình;Số 2;không;\n";
    let p = read(Kind::Households, csv.as_bytes(), "ho.csv");
    assert!(p.is_clean(), "{:?}", messages(&p));
    let h = households(&p);
    assert_eq!(h.len(), 2, "the blank row is skipped");
    assert_eq!(h[0].head, "Nguyễn Văn An");
    assert_eq!(h[0].row, 2);
    assert_eq!(h[0].signed_on, Some(d(2013, 5, 2)));
    assert_eq!(h[1].head, "Đỗ Thị Bình");
    assert_eq!(h[1].head.chars().next(), Some('\u{0110}'));
    assert_eq!(h[1].row, 4, "rows are numbered as Excel shows them, blank rows included");
    assert!(!h[1].signed);
}

#[test]
fn reordered_columns_with_other_spellings_are_matched() {
    let csv = "NGAY KY,Ho ten chu ho,da ky,Khu dan cu\n15/5/2013,Lê Văn Cường,x,Ấp 1\n";
    let p = read(Kind::Households, csv.as_bytes(), "ho.csv");
    assert!(p.is_clean(), "{:?}", messages(&p));
    let h = &households(&p)[0];
    assert_eq!((h.head.as_str(), h.signed, h.signed_on, h.unit.as_deref()), ("Lê Văn Cường", true, Some(d(2013, 5, 15)), Some("Ấp 1")));
}

#[test]
fn wrong_columns_are_reported_with_their_letters() {
    let csv = "Khu dân cư,Tên,Số điện thoại,Ngày ký,Ngày ký\nẤp 1,An,0909,01/01/2013,\n";
    let p = read(Kind::Households, csv.as_bytes(), "ho.csv");
    assert_eq!(
        messages(&p),
        [
            "Dòng 1: thiếu cột bắt buộc “Chủ hộ”",
            "Dòng 1: thiếu cột bắt buộc “Đã ký cam kết”",
            "Dòng 1, cột B (Tên): cột “Tên” không có trong mẫu; hãy xóa cột này hoặc đặt lại tên cho đúng mẫu (Đơn vị, Chủ hộ, Địa chỉ, Đã ký cam kết, Ngày ký, Ghi chú, Dòng mẫu)",
            "Dòng 1, cột C (Số điện thoại): cột “Số điện thoại” không có trong mẫu; hãy xóa cột này hoặc đặt lại tên cho đúng mẫu (Đơn vị, Chủ hộ, Địa chỉ, Đã ký cam kết, Ngày ký, Ghi chú, Dòng mẫu)",
            "Dòng 1, cột E (Ngày ký): cột “Ngày ký” bị lặp lại (đã có ở cột D); hãy xóa một trong hai cột",
        ]
    );
}

#[test]
fn bad_values_are_reported_by_row_and_column() {
    let csv = "Chủ hộ,Đã ký cam kết,Ngày ký\nAn,có,31/02/2013\n,có,\nBình,chắc chắn,\nCường,không,05/25/2013\n";
    let p = read(Kind::Households, csv.as_bytes(), "ho.csv");
    assert_eq!(
        messages(&p),
        [
            "Dòng 2, cột C (Ngày ký): “31/02/2013” không phải ngày có thật; hãy ghi theo dạng ngày/tháng/năm, ví dụ 02/05/2013",
            "Dòng 3, cột A (Chủ hộ): thiếu “Chủ hộ”",
            "Dòng 4, cột B (Đã ký cam kết): “chắc chắn” không phải có/không: hãy ghi “có” hoặc “không”",
            "Dòng 5, cột C (Ngày ký): “05/25/2013”: tháng 25 không có; có lẽ ngày và tháng bị đảo (kiểu Mỹ tháng/ngày); hãy ghi theo dạng ngày/tháng/năm, ví dụ 02/05/2013",
        ]
    );
}

fn workbook_bytes(build: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut book = Workbook::new();
    build(book.add_worksheet());
    book.save_to_buffer().unwrap()
}

#[test]
fn xlsx_with_a_title_merged_cells_formulas_and_dates_written_as_text() {
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let bytes = workbook_bytes(|s| {
        // A title merged across the columns above the header is fine.
        s.merge_range(0, 0, 0, 4, "DANH SÁCH HỘ GIA ĐÌNH KÝ CAM KẾT", &Format::new()).unwrap();
        for (c, h) in ["Khu dân cư", "Chủ hộ", "Đã ký cam kết", "Ngày ký", "Ghi chú"].iter().enumerate() {
            s.write_string(2, c as u16, *h).unwrap();
        }
        // The area written once for three households (merged down column A).
        s.merge_range(3, 0, 5, 0, "Ấp Hòa Quới", &Format::new()).unwrap();
        s.write_string(3, 1, "Nguyễn Văn An").unwrap();
        s.write_string(3, 2, "có").unwrap();
        s.write_with_format(3, 3, 41396.0, &date).unwrap(); // a real Excel date
        s.write_string(4, 1, "Trần Thị Bé").unwrap();
        s.write_boolean(4, 2, true).unwrap();
        s.write_string(4, 3, "3/5/2013").unwrap(); // a date written as text
        s.write_string(5, 1, "Lý Văn Cơ").unwrap();
        // A formula: its cached value is read.
        s.write_formula(5, 2, Formula::new("=IF(1=1,\"có\",\"không\")").set_result("có")).unwrap();
        s.write_formula(5, 3, Formula::new("=DATE(2013,5,4)").set_result("41398")).unwrap();
        s.write_string(5, 4, "Ghi chu\u{0301}").unwrap();
    });
    let p = read(Kind::Households, &bytes, "ho.xlsx");
    assert!(p.is_clean(), "{:?}", messages(&p));
    assert_eq!(p.header_row, 3);
    let h = households(&p);
    assert_eq!(h.len(), 3);
    assert!(h.iter().all(|h| h.unit.as_deref() == Some("Ấp Hòa Quới") && h.signed));
    assert_eq!(h.iter().map(|h| h.signed_on).collect::<Vec<_>>(), [Some(d(2013, 5, 2)), Some(d(2013, 5, 3)), Some(d(2013, 5, 4))]);
    assert_eq!(h.iter().map(|h| h.row).collect::<Vec<_>>(), [4, 5, 6]);
    assert_eq!(h[2].note.as_deref(), Some("Ghi chú"));
}

#[test]
fn xlsx_merged_across_data_columns_and_formula_errors_are_refused() {
    let bytes = workbook_bytes(|s| {
        for (c, h) in ["Chủ hộ", "Đã ký cam kết", "Ngày ký"].iter().enumerate() {
            s.write_string(0, c as u16, *h).unwrap();
        }
        s.write_string(1, 0, "An").unwrap();
        s.merge_range(1, 1, 1, 2, "có", &Format::new()).unwrap();
        s.write_string(2, 0, "Bình").unwrap();
        s.write_string(2, 1, "có").unwrap();
        s.write_formula(2, 2, Formula::new("=1/0").set_result("#DIV/0!")).unwrap();
    });
    let p = read(Kind::Households, &bytes, "ho.xlsx");
    assert_eq!(
        messages(&p),
        [
            "Dòng 2: ô gộp B2:C2 trải trên nhiều cột: hãy bỏ gộp ô (Merge & Center → Unmerge Cells) và ghi giá trị vào đúng cột",
            "Dòng 3, cột C (Ngày ký): ô có lỗi công thức #DIV/0!; hãy sửa công thức hoặc ghi giá trị",
        ]
    );
}

#[test]
fn files_that_are_not_spreadsheets_or_not_utf8() {
    let pdf = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n";
    assert_eq!(
        messages(&read(Kind::Households, pdf, "danh-sach.xlsx")),
        ["Tệp này là tệp PDF, không phải bảng tính: hãy dùng tệp mẫu Excel (.xlsx) hoặc CSV."]
    );
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    assert_eq!(
        messages(&read(Kind::Households, png, "anh.csv")),
        ["Tệp này là một ảnh, không phải bảng tính: hãy dùng tệp mẫu Excel (.xlsx) hoặc CSV."]
    );
    let renamed = b"Chu ho,Da ky\nAn,co\n";
    assert!(messages(&read(Kind::Households, renamed, "ho.xlsx"))[0].starts_with("Tệp có đuôi .xlsx nhưng nội dung không phải Excel"));
    let xls = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    assert!(messages(&read(Kind::Households, &xls, "ho.xls"))[0].starts_with("Tệp Excel 97–2003 (.xls) chưa được hỗ trợ"));
    // "Chủ hộ" in Windows-1258 is not UTF-8.
    let cp1258 = b"Ch\xF9 h\xF2,\xD0a\xF5 ky\xF9\nAn,co\n";
    assert!(messages(&read(Kind::Households, cp1258, "ho.csv"))[0].starts_with("Tệp CSV không phải mã UTF-8 (lỗi ở dòng 1)"));
    let broken_zip = b"PK\x03\x04garbage";
    assert!(messages(&read(Kind::Households, broken_zip, "ho.xlsx"))[0].starts_with("Không đọc được tệp Excel"));
    assert_eq!(messages(&read(Kind::Households, b"", "ho.csv")), ["Tệp rỗng: không có dữ liệu nào."]);
    assert_eq!(messages(&read(Kind::Households, b"Chu ho,Da ky\n", "ho.csv")), ["Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào."]);
}

#[test]
fn a_sheet_far_too_large_is_refused_before_its_rows_are_read() {
    let limits = Limits { max_rows: 1000, ..Limits::default() };
    let mut csv = String::from("Chủ hộ,Đã ký cam kết\n");
    for i in 0..5000 {
        csv.push_str(&format!("Hộ {i},có\n"));
    }
    let mut seen = 0;
    let p = parse(Kind::Households, csv.as_bytes(), "ho.csv", &vocabulary(), &limits, &mut |n| seen = n);
    assert_eq!(messages(&p), ["Bảng tính có quá nhiều dòng: giới hạn là 1.000 dòng dữ liệu mỗi tệp. Hãy chia thành nhiều tệp nhỏ hơn."]);
    assert_eq!(seen, 0, "nothing was parsed");
    assert!(p.records.is_empty());

    let bytes = workbook_bytes(|s| {
        s.write_string(0, 0, "Chủ hộ").unwrap();
        s.write_string(0, 1, "Đã ký cam kết").unwrap();
        s.write_string(1_000_000, 0, "Hộ cuối").unwrap();
    });
    let p = parse(Kind::Households, &bytes, "ho.xlsx", &vocabulary(), &limits, &mut |_| {});
    assert_eq!(messages(&p), ["Bảng tính có quá nhiều dòng: giới hạn là 1.000 dòng dữ liệu mỗi tệp. Hãy chia thành nhiều tệp nhỏ hơn."]);

    let big = vec![b'a'; 2 * 1024 * 1024];
    let p = parse(Kind::Households, &big, "ho.csv", &vocabulary(), &Limits { max_bytes: 1024 * 1024, ..Limits::default() }, &mut |_| {});
    assert_eq!(messages(&p), ["Tệp quá lớn: 2 MB, giới hạn là 1 MB. Hãy chia thành nhiều tệp nhỏ hơn."]);
}

#[test]
fn incidents_and_discipline_with_vietnamese_labels() {
    let csv = "Đơn vị,Loại vụ việc,Ngày xảy ra,Mức độ,Xảy ra trên địa bàn,Do người của đơn vị gây ra,Phát hiện báo cáo kịp thời,Ghi chú\n\
               Ấp 1,Tội phạm,20/07/2013,Nghiêm trọng,,có,,Trộm\n\
               ,cháy nổ,2013-08-01,,không,,không,\n\
               Ấp 2,trộm vặt,20/07/2013,rất rất nặng,,,,\n";
    let p = read(Kind::Incidents, csv.as_bytes(), "vu-viec.csv");
    assert_eq!(p.problem_count, 2, "{:?}", messages(&p));
    assert!(
        messages(&p)[0].starts_with("Dòng 4, cột B (Loại vụ việc): “trộm vặt” không phải loại vụ việc hợp lệ; các giá trị được nhận: ")
    );
    assert!(messages(&p)[1].starts_with("Dòng 4, cột D (Mức độ): “rất rất nặng” không phải mức độ hợp lệ; các giá trị được nhận: ít nghiêm trọng; nghiêm trọng; rất nghiêm trọng; đặc biệt nghiêm trọng"));
    let Records::Incidents(list) = &p.records else { panic!() };
    let first = &list[0].incident;
    assert_eq!((first.kind.as_str(), first.date, first.severity), ("crime", d(2013, 7, 20), Some(antt_core::model::Severity::NghiemTrong)));
    assert!(first.in_territory && first.by_own_people && !first.force_majeure && first.reported_promptly.is_none());
    let second = &list[1].incident;
    assert_eq!(
        (second.kind.as_str(), second.in_territory, second.reported_promptly, list[1].unit.as_deref()),
        ("fire_explosion", false, Some(false), None)
    );

    let csv = "Hình thức kỷ luật,Lực lượng,Ngày quyết định,Người bị kỷ luật\nCảnh cáo,Công an viên; bảo vệ dân phố,10/9/2013,Trần Văn Bình\nhạ bậc lương,commune_police,11/9/2013,\n";
    let p = read(Kind::Discipline, csv.as_bytes(), "ky-luat.csv");
    assert!(p.is_clean(), "{:?}", messages(&p));
    let Records::Discipline(list) = &p.records else { panic!() };
    assert_eq!(list[0].discipline.force, "grassroots_security");
    assert_eq!(list[0].discipline.level, antt_core::model::DisciplineLevel::CanhCao);
    assert_eq!(list[1].discipline.level, antt_core::model::DisciplineLevel::HaBacLuong);
}

#[test]
fn units_with_sub_units_and_their_titles() {
    let csv = "Tên đơn vị,Thuộc đơn vị,Danh hiệu của bộ phận\nTrường THCS Đồng Phú,,\nTổ Toán,Trường THCS Đồng Phú,Tập thể lao động tiên tiến\nTổ Văn,Trường THCS Đồng Phú,giỏi lắm\nTrường khác,,Tập thể lao động xuất sắc\n";
    let p = read(Kind::parse("school", &ruleset()).unwrap(), csv.as_bytes(), "truong.csv");
    let m = messages(&p);
    assert_eq!(m.len(), 2, "{m:?}");
    assert!(m[0].starts_with("Dòng 4, cột C (Danh hiệu của bộ phận): “giỏi lắm” không phải danh hiệu hay mức xếp loại hợp lệ"));
    assert_eq!(m[1], "Dòng 5, cột C (Danh hiệu của bộ phận): chỉ ghi danh hiệu ở dòng bộ phận (có cột “Thuộc đơn vị”)");
    let Records::Units(list) = &p.records else { panic!() };
    assert_eq!(list[1].title, Some(("collective_labour".to_owned(), "tien_tien".to_owned())));
}

#[test]
fn templates_read_back_with_their_example_skipped_and_clean_when_kept() {
    let only_sample =
        "Tệp chỉ có dòng mẫu (cột “Dòng mẫu” ghi “mẫu”), không có dòng dữ liệu nào: hãy ghi dữ liệu vào các dòng sau dòng mẫu.";
    let example = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/rulesets/vinh-long-2013-cho.yaml")).unwrap();
    let example = antt_core::Ruleset::from_yaml("vinh-long-2013-cho.yaml", &example).unwrap();
    for ruleset in [ruleset(), example] {
        for kind in Kind::for_ruleset(&ruleset) {
            let read = |bytes: &[u8], name: &str| parse(kind.clone(), bytes, name, &ruleset.vocabulary, &Limits::default(), &mut |_| {});
            let bytes = antt_import::template::xlsx(&kind, &ruleset.vocabulary).unwrap();
            let p = read(&bytes, "mau.xlsx");
            assert_eq!((messages(&p), p.sample_rows.clone(), p.records.len()), (vec![only_sample.to_owned()], vec![2], 0), "{kind}");
            let csv = String::from_utf8(antt_import::template::csv(&kind)).unwrap();
            let p = read(csv.as_bytes(), "mau.csv");
            assert_eq!((messages(&p), p.sample_rows.clone()), (vec![only_sample.to_owned()], vec![2]), "{kind} csv");
            // The example itself, unmarked, is a clean record.
            let unmarked = csv.trim_end().strip_suffix("mẫu").unwrap().to_owned() + "\n";
            let p = read(unmarked.as_bytes(), "vi-du.csv");
            assert!(p.is_clean(), "{kind} example: {:?}", messages(&p));
            assert_eq!(p.records.len(), 1, "{kind}: the example row");
        }
    }
}

#[test]
fn the_files_follow_the_unit_types_of_the_ruleset() {
    let codes = |r: &antt_core::Ruleset| Kind::for_ruleset(r).iter().map(|k| k.code().to_owned()).collect::<Vec<_>>();
    // Communes come from the official list, not from a file.
    assert_eq!(codes(&ruleset()), ["residential_area", "agency", "school", "worship_site", "households", "incidents", "discipline"]);
    let example = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/rulesets/vinh-long-2013-cho.yaml")).unwrap();
    let example = antt_core::Ruleset::from_yaml("vinh-long-2013-cho.yaml", &example).unwrap();
    let market = Kind::parse("market", &example).unwrap();
    assert_eq!(
        (market.title(), market.unit_type(), market.template_name()),
        ("Danh sách chợ và bộ phận".to_owned(), Some("market"), "mau-nhap-market".to_owned())
    );
    assert_eq!(market.example(&market.columns()[0]), "Chợ Đồng Phú");
    assert_eq!(Kind::parse("market", &ruleset()), None, "not a type of vinh-long-2013");
    let areas = Kind::parse("residential_area", &ruleset()).unwrap();
    assert_eq!(areas.columns().iter().map(|c| c.key).collect::<Vec<_>>(), ["name", "code", "commune", "sample"]);
}
