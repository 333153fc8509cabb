//! What the clerk ("văn thư") checks before a document goes to be signed, read back from the
//! rendered files: the PDF through poppler (pdftotext, pdftohtml for bold, pdfinfo), the DOCX
//! through its XML, the XLSX through calamine. Expected wording is NĐ 30/2020/NĐ-CP's and the
//! seed's (QĐ 710/QĐ-UBND of Vĩnh Long, 2013), not the program's own output.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use antt_docs::documents::Level;
use antt_docs::model::Document;
use antt_docs::{Format, render};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("antt-signing-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn pdf(doc: &Document, dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, render(doc, Format::Pdf).unwrap()).unwrap();
    path
}

fn tool(program: &str, args: &[&str], file: &Path) -> String {
    let out = Command::new(program).args(args).arg(file).args(["-"]).output().expect("poppler-utils is installed");
    assert!(out.status.success(), "{program} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The text of pages `first..=last` in reading order, whitespace made single spaces.
fn text(pdf: &Path, first: u32, last: u32) -> String {
    let t = tool("pdftotext", &["-f", &first.to_string(), "-l", &last.to_string()], pdf);
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The lines of one page, in physical layout.
fn layout_lines(pdf: &Path, page: u32) -> Vec<String> {
    let t = tool("pdftotext", &["-layout", "-f", &page.to_string(), "-l", &page.to_string()], pdf);
    t.lines().map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()).collect()
}

fn pages(pdf: &Path) -> u32 {
    let out = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo is installed");
    let info = String::from_utf8(out.stdout).unwrap();
    info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
}

/// The words set in a bold font, from pdftohtml's XML (`<b>` around bold text).
fn bold_text(pdf: &Path) -> String {
    let out = Command::new("pdftohtml").args(["-xml", "-i", "-stdout"]).arg(pdf).output().expect("pdftohtml is installed");
    let xml = String::from_utf8(out.stdout).unwrap();
    let bold = xml.split("<b>").skip(1).filter_map(|s| s.split("</b>").next()).collect::<Vec<_>>().join(" ");
    bold.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `parts` appear in `text` in this order.
fn in_order(text: &str, parts: &[&str]) -> bool {
    let mut from = 0;
    for p in parts {
        match text[from..].find(p) {
            Some(i) => from += i + p.len(),
            None => return false,
        }
    }
    true
}

#[test]
fn the_decision_speaks_for_the_chairman_at_every_level() {
    let dir = scratch("decision");
    // (level, issuing body's two lines, author, signature, police head, office)
    let cases = [
        (Level::Commune, "XÃ ĐỒNG PHÚ", "Trưởng Công an xã Đồng Phú", true, "Công chức Văn phòng - Thống kê"),
        (Level::District, "HUYỆN LONG HỒ", "Trưởng Công an huyện Long Hồ", false, "Chánh Văn phòng Ủy ban nhân dân huyện"),
        (Level::Province, "TỈNH VĨNH LONG", "Giám đốc Công an tỉnh Vĩnh Long", true, "Chánh Văn phòng Ủy ban nhân dân tỉnh"),
    ];
    for (level, body, police, deputy, office) in cases {
        let doc = common::decision_at(level);
        let file = pdf(&doc, &dir, &format!("{level:?}"));
        let first = text(&file, 1, 1);
        let all = text(&file, 1, pages(&file));
        // The issuing body in two lines, with no governing body above a People's Committee.
        let head = layout_lines(&file, 1);
        assert!(head[0].starts_with("ỦY BAN NHÂN DÂN ") && head[1].starts_with(body), "{level:?}: {head:#?}");
        assert!(!all.contains("CẤP HUYỆN") && !all.contains("UBND CẤP"), "{level:?}: placeholder authority\n{all}");
        // The chairman decides; he signs himself or a vice-chairman signs for him; never "TM."
        let author = format!("CHỦ TỊCH ỦY BAN NHÂN DÂN {body}");
        assert!(first.contains(&author), "{level:?}: no author line {author}\n{first}");
        assert!(!all.contains("TM. ỦY BAN NHÂN DÂN"), "{level:?}: the chairman's decision signed for the committee\n{all}");
        let signature = if deputy { "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" } else { "Lưu: VT. CHỦ TỊCH" };
        assert!(all.contains(signature), "{level:?}: signature {signature}\n{all}");
        assert_eq!(all.contains("KT. CHỦ TỊCH"), deputy, "{level:?}");
        // Grounds in order: the law in force in 2013, the circular, the province's plan with its
        // real type, number, date and issuer, then the police's request.
        assert!(
            in_order(
                &all,
                &[
                    "Căn cứ Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân ngày 26 tháng 11 năm 2003;",
                    "Căn cứ Thông tư số 23/2012/TT-BCA ngày 27/4/2012 của Bộ Công an quy định về khu dân cư",
                    "Căn cứ Quyết định số 710/QĐ-UBND ngày 02/5/2013 của Chủ tịch UBND tỉnh Vĩnh Long ban hành Kế hoạch phát động",
                    &format!("Xét đề nghị của {police} tại Tờ trình số"),
                    "QUYẾT ĐỊNH:",
                    "Điều 1. Công nhận",
                    "Điều 2.",
                    "Điều 3.",
                ]
            ),
            "{level:?}: grounds and articles out of order\n{all}"
        );
        assert!(!all.contains("Kế hoạch số 710"), "{level:?}: 710 is a decision's number\n{all}");
        assert!(all.contains(&format!("Điều 3. {office}, {police}")), "{level:?}: executors\n{all}");
        assert_eq!(all.contains("Chánh Văn phòng"), level != Level::Commune, "{level:?}: office head\n{all}");
        let bold = bold_text(&file);
        for article in ["Điều 1.", "Điều 2.", "Điều 3.", "QUYẾT ĐỊNH:", author.as_str()] {
            assert!(bold.contains(article), "{level:?}: {article} not bold in {bold}");
        }
        assert!(!bold.contains("Công nhận"), "{level:?}: the article's text is bold too: {bold}");
        // The annex lists the units and names the decision.
        assert!(all.contains("Kèm theo Quyết định số"), "{level:?}");
    }
}

#[test]
fn a_commune_decision_lists_no_chanh_van_phong_and_a_district_one_does() {
    let commune = common::decision_at(Level::Commune).text_lines().join("\n");
    let district = common::decision_at(Level::District).text_lines().join("\n");
    assert!(!commune.contains("Chánh Văn phòng"), "{commune}");
    assert!(district.contains("Chánh Văn phòng Ủy ban nhân dân huyện"), "{district}");
}

#[test]
fn pages_are_numbered_from_the_second_centred_at_the_top() {
    let dir = scratch("pages");
    for (name, doc) in common::all() {
        let file = pdf(&doc, &dir, name);
        let n = pages(&file);
        let first = layout_lines(&file, 1);
        assert_ne!(first[0], "1", "{name}: page 1 carries a number");
        for page in 2..=n {
            let lines = layout_lines(&file, page);
            assert_eq!(lines[0], page.to_string(), "{name}: page {page} starts with {:?}", lines.first());
        }
        if name.starts_with("decision") || name == "provincial_summary" {
            assert!(n >= 2, "{name}: expected the annex on a page of its own");
        }
    }
    // The page number is centred: its middle is within a few characters of the line's middle.
    let file = pdf(&common::summary_doc(), &dir, "centred");
    let raw = tool("pdftotext", &["-layout", "-f", "2", "-l", "2"], &file);
    let line = raw.lines().find(|l| !l.trim().is_empty()).unwrap();
    let widest = raw.lines().map(|l| l.trim_end().chars().count()).max().unwrap();
    let middle = line.find('2').unwrap() as i64;
    assert!((middle - widest as i64 / 2).abs() <= 6, "page number at column {middle} of {widest}: {line:?}");
}

#[test]
fn the_signature_never_stands_alone_on_a_page() {
    let dir = scratch("keep");
    for (name, doc) in common::all() {
        let file = pdf(&doc, &dir, name);
        let Some(sig) = doc.signatures.last() else { continue };
        let position = &sig.position;
        // The page holding the signature holds the body's last paragraph too.
        let last_body = doc.body.iter().rev().find_map(|b| match b {
            antt_docs::model::Block::Paragraph(p) => Some(p.full_text()),
            _ => None,
        });
        let Some(last_body) = last_body else { continue };
        let tail: String = last_body.split_whitespace().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join(" ");
        let page = (1..=pages(&file)).find(|&p| text(&file, p, p).contains(position.as_str())).unwrap();
        assert!(text(&file, page, page).contains(&tail), "{name}: page {page} has the signature but not “{tail}”");
    }
}

#[test]
fn the_certificate_is_one_page_with_its_own_number_and_its_decision() {
    let dir = scratch("certificate");
    let doc = common::certificate_doc();
    let file = pdf(&doc, &dir, "certificate");
    assert_eq!(pages(&file), 1);
    let t = text(&file, 1, 1);
    assert!(t.contains("Số: 03/CN-UBND"), "{t}");
    assert!(!t.contains("Số: 12/QĐ-UBND"), "the decision's number as the certificate's: {t}");
    assert!(t.contains("GIẤY CHỨNG NHẬN"), "{t}");
    assert!(t.contains("Căn cứ Quyết định số 12/QĐ-UBND ngày 14/11/2013 của Chủ tịch Ủy ban nhân dân xã Đồng Phú"), "{t}");
    assert!(t.contains("Thuộc xã Đồng Phú, huyện Long Hồ, tỉnh Vĩnh Long"), "{t}");
    assert!(!t.contains("TM. ỦY BAN NHÂN DÂN"), "{t}");
    // The page is filled: the signature sits in the lower half of the page.
    let lines = tool("pdftotext", &["-layout"], &file);
    let lines: Vec<&str> = lines.lines().collect();
    let at = lines.iter().position(|l| l.contains("Trương Văn Sáu")).unwrap();
    assert!(at * 2 > lines.len(), "signature at line {at} of {}", lines.len());
}

fn docx_part(bytes: &[u8], part: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name(part).unwrap().read_to_string(&mut xml).unwrap();
    xml
}

#[test]
fn docx_repeats_table_headers_is_vietnamese_and_numbers_each_copys_pages_from_its_second() {
    for (name, doc) in common::all() {
        let bytes = render(&doc, Format::Docx).unwrap();
        let document = docx_part(&bytes, "word/document.xml");
        let data_tables = antt_docs::model::tables(&doc).len() * doc.copies.len().max(1);
        assert_eq!(document.matches("<w:tblHeader />").count(), data_tables, "{name}: header rows repeated");
        assert!(!document.contains(r#"w:val="1" w:hRule="atLeast""#), "{name}: the header row's mark left in");
        assert!(document.contains("<w:titlePg />"), "{name}: the first page's header is not its own");
        // Each copy is a section numbered from 1: its first page without a number.
        let copies = doc.copies.len().max(1);
        assert_eq!(document.matches("<w:sectPr").count(), copies, "{name}: one section per copy");
        assert_eq!(document.matches("<w:titlePg />").count(), copies, "{name}");
        assert_eq!(document.matches(r#"<w:pgNumType w:start="1" />"#).count(), copies, "{name}");
        assert!(!document.contains("ANTT-SECTION-BREAK"), "{name}: the section mark left in");
        let styles = docx_part(&bytes, "word/styles.xml");
        assert!(styles.contains(r#"<w:lang w:val="vi-VN""#), "{name}: no Vietnamese language in {styles}");
        let zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        let headers: Vec<String> =
            zip.file_names().filter_map(Result::ok).filter(|n| n.starts_with("word/header")).map(|n| n.into_owned()).collect();
        let with_page = headers.iter().filter(|h| docx_part(&bytes, h).contains("PAGE")).count();
        assert_eq!(with_page, 1, "{name}: one header with the page number, {headers:?}");
    }
    // "Điều 1." is a bold run of its own.
    let bytes = render(&common::decision_doc(), Format::Docx).unwrap();
    let document = docx_part(&bytes, "word/document.xml");
    let at = document.find("Điều 1. </w:t>").unwrap();
    let run = &document[document[..at].rfind("<w:r>").unwrap()..at];
    assert!(run.contains("<w:b />"), "{run}");
}

#[test]
fn xlsx_totals_are_sums_of_their_rows_and_sheets_print_one_page_wide() {
    use calamine::{Data, DataType, Reader, Xlsx};
    let mut checked = 0;
    for (name, doc) in common::all() {
        let bytes = render(&doc, Format::Xlsx).unwrap();
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
        let tables = antt_docs::model::tables(&doc);
        let names = book.sheet_names();
        for (i, (sheet, table)) in names.iter().zip(&tables).enumerate() {
            assert!(sheet.chars().count() <= 31, "{name}/{sheet}");
            let xml = {
                let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
                let mut s = String::new();
                zip.by_name(&format!("xl/worksheets/sheet{}.xml", i + 1)).unwrap().read_to_string(&mut s).unwrap();
                s
            };
            assert!(
                xml.contains(r#"fitToHeight="0""#) && xml.contains("<pageSetUpPr fitToPage=\"1\"/>"),
                "{name}/{sheet}: not fit to width"
            );
            let Some(total) = &table.total else { continue };
            let formulas = book.worksheet_formula(sheet).unwrap();
            let values = book.worksheet_range(sheet).unwrap();
            let row = 6 + table.rows.len() as u32;
            for (c, cell) in total.iter().enumerate() {
                if !matches!(cell, antt_docs::model::Cell::Integer(_) | antt_docs::model::Cell::Decimal(_)) {
                    continue;
                }
                let col = c as u32;
                let formula = formulas.get_value((row, col)).cloned().unwrap_or_default();
                assert!(formula.starts_with("SUM("), "{name}/{sheet} column {c}: total is not a formula: {formula:?}");
                let sum: f64 = (6..row).filter_map(|r| values.get_value((r, col))).filter_map(|v| v.get_float()).sum();
                let shown = values.get_value((row, col)).and_then(Data::get_float).unwrap();
                assert!((sum - shown).abs() < 1e-9, "{name}/{sheet} column {c}: rows add up to {sum}, total says {shown}");
                checked += 1;
            }
        }
    }
    assert!(checked > 10, "only {checked} totals checked");
}

#[test]
fn counts_are_integers_everywhere() {
    use antt_docs::model::{Block, Cell};
    let doc = common::summary_doc();
    let chart = doc
        .body
        .iter()
        .find_map(|b| match b {
            Block::Chart(c) if !c.percent => Some(c),
            _ => None,
        })
        .unwrap();
    assert!(chart.as_table().rows.iter().all(|r| matches!(r[1], Cell::Integer(_))), "{:?}", chart.as_table().rows);
    let text = doc.text_lines().join("\n");
    for (label, v) in &chart.bars {
        let line = format!("{label} | {}", *v as i64);
        assert!(text.lines().any(|l| l == line), "no line “{line}” in\n{text}");
    }
}

/// Page images of the documents a clerk signs, for people to look at: written under
/// docs/documents/ with UPDATE_SNAPSHOTS=1, to a scratch directory otherwise.
#[test]
fn page_images_of_the_decisions_and_the_certificate() {
    let out = if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/documents")
    } else {
        scratch("images")
    };
    std::fs::create_dir_all(&out).unwrap();
    let dir = scratch("images-pdf");
    let docs = [
        ("decision-commune", common::decision_at(Level::Commune)),
        ("decision-district", common::decision_at(Level::District)),
        ("decision-province", common::decision_at(Level::Province)),
        ("certificate", common::certificate_doc()),
    ];
    for (name, doc) in docs {
        let file = pdf(&doc, &dir, name);
        let status = Command::new("pdftoppm")
            .args(["-r", "60", "-png", "-f", "1", "-l", "2"])
            .arg(&file)
            .arg(out.join(name))
            .status()
            .expect("pdftoppm is installed");
        assert!(status.success(), "{name}");
        assert!(std::fs::read_dir(&out).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().starts_with(name)), "{name}");
    }
}

#[test]
fn minutes_carry_the_secretarys_signature_beside_the_chairs() {
    let dir = scratch("minutes");
    for (name, doc) in [("minutes", common::minutes_doc()), ("review_minutes", common::review_minutes_doc())] {
        let positions: Vec<&str> = doc.signatures.iter().map(|s| s.position.as_str()).collect();
        assert_eq!(positions, ["THƯ KÝ", "CHỦ TRÌ"], "{name}");
        let t = text(&pdf(&doc, &dir, name), 1, 9);
        assert!(t.contains("THƯ KÝ") && t.contains("CHỦ TRÌ"), "{name}: {t}");
    }
}

#[test]
fn a_summary_without_districts_has_no_empty_district_section_and_adds_up() {
    let mut input = common::province(40, false);
    input.districts.clear();
    input.communes.clear();
    let doc = antt_docs::documents::provincial_summary(&input);
    let text = doc.text_lines().join("\n");
    assert!(!text.contains("Theo đơn vị cấp huyện") && !text.contains("Kết quả theo huyện"), "{text}");
    assert!(!text.contains("Kết quả theo xã"), "{text}");
    assert!(text.contains("1. Theo loại đơn vị"), "sections renumbered: {text}");
    // The classification's total is the sum of its rows, the summary's own unit included.
    let table = antt_docs::model::tables(&doc).into_iter().find(|t| t.title == "Xếp loại phong trào").unwrap();
    let last = table.columns.len() - 1;
    let sum: i64 = table.rows.iter().map(|r| if let antt_docs::model::Cell::Integer(n) = r[last] { n } else { 0 }).sum();
    assert_eq!(table.total.as_ref().unwrap()[last], antt_docs::model::Cell::Integer(sum));
    assert_eq!(sum, 40);
}
