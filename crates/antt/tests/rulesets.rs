//! `antt rulesets add` and `antt serve --rulesets DIR`: a province's ruleset checked and kept in
//! the database with its hash and versions, listed beside the built-in ones. On SQLite, and on
//! PostgreSQL with ANTT_TEST_POSTGRES.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;

fn antt(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_antt")).args(args).current_dir(root()).output().expect("the antt binary runs")
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn text(o: &Output) -> (String, String) {
    (String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

const EXAMPLE: &str = "examples/rulesets/vinh-long-2013-cho.yaml";

#[test]
fn a_province_ruleset_is_added_once_per_text_and_listed_with_its_hash() {
    let database = common::database(&[]);
    let example = std::fs::read(root().join(EXAMPLE)).expect("example");
    let hash = antt_store::sha256_hex(&example);

    let check = antt(&["rulesets", "check", EXAMPLE]);
    assert!(check.status.success(), "{:?}", text(&check));
    let added = antt(&["rulesets", "add", EXAMPLE, "--database", &database]);
    let (out, err) = text(&added);
    assert!(added.status.success(), "{err}");
    assert!(out.contains(&format!("Đã lưu bộ tiêu chí vinh-long-2013-cho phiên bản 1 (SHA-256 {hash}).")), "{out}");
    let again = text(&antt(&["rulesets", "add", EXAMPLE, "--database", &database])).0;
    assert!(
        again.contains(&format!("Bộ tiêu chí vinh-long-2013-cho phiên bản 1 đã có đúng nội dung này (SHA-256 {hash}); không lưu thêm.")),
        "{again}"
    );

    // A broken file: every problem with its place, nothing stored, exit status 1.
    let dir = std::env::temp_dir().join(format!("antt-rulesets-{}", antt_store::new_id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let broken = dir.join("sai.yaml");
    let changed = String::from_utf8(example.clone()).expect("utf-8").replace("id: vinh-long-2013-cho", "id: tinh-sai");
    std::fs::write(&broken, changed.replace("kind: market_rules", "kind: market_rule")).expect("write");
    let refused = antt(&["rulesets", "add", broken.to_str().expect("path"), "--database", &database]);
    assert!(!refused.status.success());
    assert!(
        text(&refused).1.contains("tại criteria[6.1].parts[a].check.document.kind: loại tài liệu `market_rule` chưa được khai báo"),
        "{:?}",
        text(&refused)
    );

    // A changed text: version 2; the list shows the newest with its hash.
    let v2 = dir.join("v2.yaml");
    let v2_text = String::from_utf8(example).expect("utf-8").replace("at_least_percent: 90 }", "at_least_percent: 95 }");
    std::fs::write(&v2, &v2_text).expect("write");
    let out = text(&antt(&["rulesets", "add", v2.to_str().expect("path"), "--database", &database])).0;
    assert!(out.contains("Đã lưu bộ tiêu chí vinh-long-2013-cho phiên bản 2"), "{out}");
    let list = text(&antt(&["rulesets", "list", "--database", &database])).0;
    let v2_hash = antt_store::sha256_hex(v2_text.as_bytes());
    let row = list.lines().find(|l| l.starts_with("vinh-long-2013-cho")).unwrap_or_else(|| panic!("{list}"));
    assert!(row.contains("bổ sung, phiên bản 2") && row.contains(&v2_hash[..16]), "{row}");
    assert!(!list.contains("tinh-sai"), "{list}");
    // Without a database, only the built-in rulesets, each with its hash.
    let built_in = text(&antt(&["rulesets", "list"])).0;
    assert!(!built_in.contains("vinh-long-2013-cho"), "{built_in}");
    let tt = antt_store::sha256_hex(antt_core::ruleset::built_in_text("tt124-2025").expect("built in").as_bytes());
    assert!(built_in.lines().any(|l| l.starts_with("tt124-2025") && l.contains("có sẵn") && l.contains(&tt[..16])), "{built_in}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn serve_adds_the_rulesets_of_a_directory_at_start() {
    let database = common::database(&[]);
    let dir = std::env::temp_dir().join(format!("antt-rulesets-{}", antt_store::new_id()));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::copy(root().join(EXAMPLE), dir.join("cho.yaml")).expect("copy");
    std::fs::write(dir.join("ghi-chu.txt"), "not a ruleset").expect("write");
    let server = common::start(&["--database", &database, "--rulesets", dir.to_str().expect("path")]).expect("serve starts");
    assert!(server.printed.iter().any(|l| l.starts_with("Bộ tiêu chí vinh-long-2013-cho phiên bản 1 (SHA-256 ")), "{:?}", server.printed);
    drop(server);
    // A file that fails its check stops the start.
    std::fs::write(dir.join("sai.yaml"), "id: sai\n").expect("write");
    let Err(stopped) = common::start(&["--database", &database, "--rulesets", dir.to_str().expect("path")]) else {
        panic!("a broken ruleset must stop the start")
    };
    assert!(stopped.contains("sai.yaml"), "{stopped}");
    let _ = std::fs::remove_dir_all(dir);
}
