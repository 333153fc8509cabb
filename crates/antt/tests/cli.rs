//! The `antt` binary, run as a user would.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn antt(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_antt")).args(args).current_dir(root()).output().expect("the antt binary runs")
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 output")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8 output")
}

/// An example file, the ruleset to evaluate it with, and the expected outcome of every unit.
type Expectation = (&'static str, &'static str, &'static [(&'static str, &'static str)]);

const EXPECTED: &[Expectation] = &[
    ("vinh-long-2013-ap.json", "vinh-long-2013", &[("ap-phuoc-yen-a", "recognised")]),
    (
        "vinh-long-2013-xa.yaml",
        "vinh-long-2013",
        &[
            ("29578", "not_recognised"),
            ("29578-ap01", "recognised"),
            ("29578-ap02", "recognised"),
            ("29578-ap03", "recognised"),
            ("29578-ap04", "recognised"),
            ("29578-ap05", "recognised"),
            ("29578-ap06", "recognised"),
            ("29578-ap07", "recognised"),
            ("29578-ap08", "not_recognised"),
            ("29578-ap09", "not_recognised"),
            ("29578-ap10", "not_recognised"),
            ("29578-cty", "recognised"),
            ("29578-thcs", "recognised"),
            ("29578-chua", "not_recognised"),
            ("29584", "not_recognised"),
            ("29584-ap01", "recognised"),
            ("29584-ap02", "recognised"),
            ("29584-ap03", "incomplete"),
            ("29584-ap04", "not_recognised"),
        ],
    ),
    (
        "tt124-2024-xa.yaml",
        "tt124-2021",
        &[
            ("29578", "not_recognised"),
            ("29578-ap01", "recognised"),
            ("29578-ap02", "not_recognised"),
            ("29578-ap03", "incomplete"),
            ("29578-ap04", "recognised"),
            ("29578-cty", "not_recognised"),
            ("29578-thpt", "recognised"),
            ("29578-thcs", "not_recognised"),
        ],
    ),
];

#[test]
fn every_example_is_covered_by_expectations() {
    let mut files: Vec<String> = std::fs::read_dir(root().join("examples"))
        .expect("examples/ exists")
        .map(|e| e.expect("directory entry").file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".json") || f.ends_with(".yaml"))
        .collect();
    files.sort();
    let mut covered: Vec<String> = EXPECTED.iter().map(|(f, _, _)| (*f).to_owned()).collect();
    covered.sort();
    assert_eq!(files, covered);
}

#[test]
fn evaluate_prints_the_expected_verdicts_for_every_example() {
    for (file, ruleset, expected) in EXPECTED {
        let path = format!("examples/{file}");
        let out = antt(&["evaluate", "--ruleset", ruleset, &path, "--json"]);
        assert!(out.status.success(), "{file}: {}", stderr(&out));
        let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
        let units = json["units"].as_array().expect("units array");
        let got: Vec<(String, String)> =
            units.iter().map(|u| (u["id"].as_str().expect("id").to_owned(), u["outcome"].as_str().expect("outcome").to_owned())).collect();
        let want: Vec<(String, String)> = expected.iter().map(|(id, o)| ((*id).to_owned(), (*o).to_owned())).collect();
        assert_eq!(got, want, "{file}");
    }
}

#[test]
fn the_text_table_names_the_facts_behind_each_verdict() {
    let out = antt(&["evaluate", "--ruleset", "vinh-long-2013", "examples/vinh-long-2013-xa.yaml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for needle in [
        "Năm 2013 — Kế hoạch số 710/QĐ-UBND ngày 02/05/2013",
        "Xã Đồng Phú — xã, phường, thị trấn [29578]",
        "7/10 khu dân cư đạt chuẩn (cần 7)",
        "249/250 hộ gia đình ký cam kết (99,6%; cần 100%)",
        "Nguyễn Văn Tư bị kỷ luật cảnh cáo ngày 12/03/2013",
        "5/7 đầu mối trực thuộc đạt “Tập thể lao động tiên tiến” trở lên (cần 5)",
        "tội phạm (nghiêm trọng) ngày 14/08/2013 tại Ấp Hòa Quới (minh họa): cướp giật tài sản",
        "2/4 khu dân cư đạt chuẩn (cần 3)",
        "Đăng ký: 27/05/2013, trễ 5 ngày (hạn 22/05/2013)",
        "Xếp loại phong trào: Khá — 87/100 điểm",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    let late = antt(&["evaluate", "--ruleset", "vinh-long-2013", "examples/vinh-long-2013-ap.json"]);
    assert!(stdout(&late).contains("Đăng ký: 25/05/2013, trễ 3 ngày (hạn 22/05/2013)"));
}

#[test]
fn one_unit_can_be_shown_alone() {
    let out = antt(&["evaluate", "--ruleset", "vinh-long-2013", "examples/vinh-long-2013-xa.yaml", "--unit", "29578-ap08", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    assert_eq!(json["units"].as_array().map(Vec::len), Some(1));
    assert_eq!(json["units"][0]["name"], "Ấp Hòa Thạnh (minh họa)");
    let missing = antt(&["evaluate", "--ruleset", "vinh-long-2013", "examples/vinh-long-2013-xa.yaml", "--unit", "nope"]);
    assert!(!missing.status.success());
    assert!(stderr(&missing).contains("không có đơn vị mã `nope`"));
}

#[test]
fn rulesets_list_and_show() {
    let list = stdout(&antt(&["rulesets", "list"]));
    for id in ["vinh-long-2013", "tt124-2021", "tt124-2025"] {
        assert!(list.contains(id), "{list}");
    }
    let show = antt(&["rulesets", "show", "vinh-long-2013", "--plan-date", "02/05/2013"]);
    assert!(show.status.success(), "{}", stderr(&show));
    let text = stdout(&show);
    assert!(text.contains("1.1 Hàng năm, cấp uỷ Đảng có nghị quyết"), "{text}");
    // 20 days after 02/05/2013: 22/05/2013 is the last day on time.
    assert!(text.lines().any(|l| l.contains("khu dân cư") && l.contains("22/05/2013")), "{text}");
    assert!(text.contains("Kiểm tra: 11/10/2013 – 20/10/2013"), "{text}");
}

#[test]
fn rulesets_check_accepts_a_good_file_and_refuses_a_broken_one_with_its_place() {
    let good = antt(&["rulesets", "check", "rulesets/vinh-long-2013.yaml"]);
    assert!(good.status.success(), "{}", stderr(&good));
    assert!(stdout(&good).contains("hợp lệ"));
    let text = std::fs::read_to_string(root().join("rulesets/vinh-long-2013.yaml")).expect("ruleset file");
    let broken = text.replacen("at_least_percent: 70", "at_least_percent: 170", 1).replacen("check: !no_event", "check: !no_evnt", 1);
    let dir = std::env::temp_dir().join(format!("antt-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("broken.yaml");
    std::fs::write(&path, broken).expect("write");
    let out = antt(&["rulesets", "check", path.to_str().expect("utf-8 path")]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("broken.yaml:"), "{err}");
    assert!(err.contains("no_evnt"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn bad_facts_are_refused_with_every_problem_named() {
    let dir = std::env::temp_dir().join(format!("antt-cli-facts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("bad.yaml");
    std::fs::write(
        &path,
        "campaign: { year: 2013, plan_date: 2013-05-02 }\nunits:\n  - id: a\n    name: Ấp A\n    type: residential_area\n    parent: khong-co\n    commitments: [{ group: households, signed: 251, total: 250 }]\n    incidents: [{ kind: trom_cap, date: 2013-06-01 }]\n",
    )
    .expect("write");
    let out = antt(&["evaluate", "--ruleset", "vinh-long-2013", path.to_str().expect("utf-8 path")]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("đơn vị cấp trên `khong-co` không tồn tại"), "{err}");
    assert!(err.contains("số đã ký (251) lớn hơn tổng số (250)"), "{err}");
    assert!(err.contains("loại vụ việc `trom_cap` không có trong bộ tiêu chí vinh-long-2013"), "{err}");
    assert!(err.contains("3 lỗi"), "{err}");
    let syntax = dir.join("syntax.json");
    std::fs::write(&syntax, r#"{"campaign": {"year": 2013, "plan_date": "02/05/2013"}, "units": []}"#).expect("write");
    let out = antt(&["evaluate", "--ruleset", "vinh-long-2013", syntax.to_str().expect("utf-8 path")]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("campaign.plan_date"), "{}", stderr(&out));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn decomposed_unicode_input_is_normalised() {
    let dir = std::env::temp_dir().join(format!("antt-cli-nfd-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("nfd.json");
    // "Ấp" written as A + combining circumflex + combining acute.
    std::fs::write(&path, "{\"campaign\": {\"year\": 2013, \"plan_date\": \"2013-05-02\"}, \"units\": [{\"id\": \"a\", \"name\": \"A\u{302}\u{301}p Mới\", \"type\": \"residential_area\"}]}")
        .expect("write");
    let out = antt(&["evaluate", "--ruleset", "vinh-long-2013", path.to_str().expect("utf-8 path"), "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    assert_eq!(json["units"][0]["name"], "Ấp Mới");
    assert_eq!(json["units"][0]["outcome"], "incomplete");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn backup_and_restore_round_trip_an_embedded_database() {
    let dir = std::env::temp_dir().join(format!("antt-cli-backup-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let db = dir.join("antt.sqlite");
    let url = format!("sqlite://{}", db.display());
    // `migrate` creates the database; the demo data is not needed for a round trip.
    assert!(antt(&["migrate", "--database", &url]).status.success());
    let backup = dir.join("copy.sqlite");
    let out = antt(&["backup", "--database", &url, "--output", backup.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Đã sao lưu"));
    let again = antt(&["backup", "--database", &url, "--output", backup.to_str().expect("utf-8")]);
    assert!(!again.status.success(), "an existing backup is never overwritten");
    std::fs::write(&db, b"not a database any more").expect("clobber");
    let out = antt(&["restore", "--database", &url, "--input", backup.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(antt(&["migrate", "--database", &url]).status.success(), "the restored database opens and is current");
    let garbage = dir.join("garbage.sqlite");
    std::fs::write(&garbage, b"hello").expect("write");
    let out = antt(&["restore", "--database", &url, "--input", garbage.to_str().expect("utf-8")]);
    assert!(!out.status.success());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn import_units_brings_a_province_of_either_tree_once() {
    let dir = std::env::temp_dir().join(format!("antt-cli-units-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite://{}", dir.join("antt.sqlite").display());
    // 86 is old Vĩnh Long and new Vĩnh Long, formed from old Vĩnh Long, Bến Tre and Trà Vinh.
    let out = antt(&["import", "units", "--province", "86", "--database", &url]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Đã nhập đơn vị hành chính (tỉnh mã 86)"), "{text}");
    assert!(text.contains("Trước 01/7/2025: 3 tỉnh, 26 huyện, 354 xã"), "{text}");
    assert!(text.contains("Từ 01/7/2025: 1 tỉnh, 124 xã"), "{text}");
    assert!(text.contains("Liên kết sáp nhập: 388"), "{text}");
    assert!(text.contains("Thêm mới 508 đơn vị, cập nhật 0, giữ nguyên 0; ghi 388 liên kết; 0 cảnh báo."), "{text}");
    let again = antt(&["import", "units", "--province", "86", "--database", &url]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stdout(&again).contains("Thêm mới 0 đơn vị, cập nhật 0, giữ nguyên 508; ghi 0 liên kết"), "{}", stdout(&again));
    let unknown = antt(&["import", "units", "--province", "99", "--database", &url]);
    assert!(!unknown.status.success());
    assert!(stderr(&unknown).contains("Lỗi: không tìm thấy tỉnh mã 99"), "{}", stderr(&unknown));
    let _ = std::fs::remove_dir_all(dir);
}
