//! `antt export` writes real documents from the example facts: PDFs whose text pdftotext reads
//! back, DOCX and XLSX files that are ZIP packages with the right parts.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn antt(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_antt")).args(args).current_dir(root()).output().expect("the antt binary runs")
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("antt-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn export(kind: &str, unit: Option<&str>, out: &Path) -> Output {
    let out = out.to_str().expect("utf-8 path");
    let mut args = vec!["export", kind, "--ruleset", "vinh-long-2013", "examples/vinh-long-2013-xa.yaml", "-o", out];
    if let Some(u) = unit {
        args.extend(["--unit", u]);
    }
    antt(&args)
}

fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext").arg(path).arg("-").output().expect("pdftotext is installed");
    String::from_utf8(out.stdout).expect("utf-8").split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_provincial_summary_comes_out_in_every_format() {
    let dir = scratch();
    let pdf = dir.join("tong-hop.pdf");
    let out = export("summary", None, &pdf);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = pdf_text(&pdf);
    for line in [
        "UBND TỈNH VĨNH LONG",
        "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Vĩnh Long",
        "Huyện Long Hồ",
        "Xã Đồng Phú",
        "Danh sách đơn vị chưa đạt chuẩn",
    ] {
        assert!(text.contains(line), "{line} missing from {text}");
    }
    for ext in ["docx", "xlsx"] {
        let path = dir.join(format!("tong-hop.{ext}"));
        let out = export("summary", None, &path);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let bytes = std::fs::read(&path).expect("written");
        assert_eq!(&bytes[..2], b"PK", "{ext} is a ZIP package");
    }
}

#[test]
fn unit_documents_need_a_unit_and_a_certificate_a_recognised_one() {
    let dir = scratch();
    let report = dir.join("bao-cao.pdf");
    assert!(export("report", Some("29578-ap01"), &report).status.success());
    assert!(pdf_text(&report).contains("Ấp Đồng Phú A (minh họa)"));

    let decision = dir.join("quyet-dinh.pdf");
    assert!(export("decision", Some("29578"), &decision).status.success());
    let text = pdf_text(&decision);
    assert!(text.contains("CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ ĐỒNG PHÚ"), "{text}");
    assert!(text.contains("Công nhận 9 đơn vị"), "{text}");
    // The chairman's decision (NĐ 30): he signs himself, never "TM." of the committee; the
    // grounds of 2013 in order; the commune's police proposes; no Chánh Văn phòng in a commune.
    assert!(text.contains("Lưu: VT. CHỦ TỊCH") && !text.contains("TM. ỦY BAN NHÂN DÂN"), "{text}");
    let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s} missing from {text}"));
    assert!(
        at("Căn cứ Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân ngày 26 tháng 11 năm 2003") < at("Căn cứ Thông tư số 23/2012/TT-BCA")
            && at("Căn cứ Thông tư số 23/2012/TT-BCA")
                < at("Căn cứ Quyết định số 710/QĐ-UBND ngày 02/5/2013 của Chủ tịch UBND tỉnh Vĩnh Long")
            && at("Căn cứ Quyết định số 710/QĐ-UBND") < at("Xét đề nghị của Trưởng Công an xã Đồng Phú tại Tờ trình số"),
        "{text}"
    );
    assert!(!text.contains("Chánh Văn phòng"), "{text}");
    // The district recognises communes; none of the file's communes meets the standard.
    let district = export("decision", Some("857"), &dir.join("huyen.pdf"));
    assert!(!district.status.success());
    assert!(String::from_utf8_lossy(&district.stderr).contains("Chủ tịch Ủy ban nhân dân huyện Long Hồ"));

    // A certificate of its own: the commune's, one page, its number left for the register.
    let certificate = dir.join("giay-ap01.pdf");
    assert!(export("certificate", Some("29578-ap01"), &certificate).status.success());
    let text = pdf_text(&certificate);
    for line in
        ["GIẤY CHỨNG NHẬN", "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ ĐỒNG PHÚ", "Số: /CN-UBND", "Thuộc xã Đồng Phú, huyện Long Hồ, tỉnh Vĩnh Long"]
    {
        assert!(text.contains(line), "{line} missing from {text}");
    }
    let refused = export("certificate", Some("29578-ap08"), &dir.join("giay.pdf"));
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("chưa đạt chuẩn"));
    let missing = export("report", None, &dir.join("x.pdf"));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cần --unit"));
}
