//! Every document rendered from a realistic fixture and checked with real tools: pdftotext
//! gives the Vietnamese text back, pdffonts shows Liberation Serif embedded, LibreOffice
//! converts each DOCX to PDF keeping the text, calamine reads each XLSX back. The text of each
//! document is held in tests/snapshots (UPDATE_SNAPSHOTS=1 rewrites them).
#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use antt_docs::model::{Block, Document, MOTTO, NATION};
use antt_docs::{Format, render};
use unicode_normalization::UnicodeNormalization;

/// A fresh directory for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("antt-docs-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// NFC with every run of whitespace made one space: lines wrap differently on paper. A line may
/// also break after the hyphen inside a word ("TTr-|CAT" in Word), which joins back.
fn flat(s: &str) -> String {
    let spaced = s.nfc().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(spaced.len());
    let mut chars = spaced.chars().peekable();
    let mut prev = ' ';
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '-' && prev != ' ' && chars.peek() == Some(&' ') {
            chars.next();
        }
        prev = c;
    }
    out
}

/// The PDF's text in pdftotext's reading order, then again in its physical layout: a wrapped
/// line's last word can land in a neighbouring block in the first, never in the second.
fn pdftotext(pdf: &Path) -> String {
    [None, Some("-layout")].iter().map(|mode| pdftotext_mode(pdf, *mode)).collect::<Vec<_>>().join("\n")
}

fn pdftotext_mode(pdf: &Path, mode: Option<&str>) -> String {
    let out = Command::new("pdftotext").args(mode).arg(pdf).arg("-").output().expect("pdftotext is installed (poppler-utils)");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The lines a reader must find on paper: everything outside tables and charts (whose cells
/// wrap within columns), plus each table's short cells.
fn key_lines(doc: &Document) -> Vec<String> {
    let mut lines = vec![doc.header.agency.clone(), NATION.to_owned(), MOTTO.to_owned(), doc.header.place_date(), doc.title.clone()];
    lines.extend(doc.header.number_line());
    lines.extend(doc.subject.clone());
    lines.extend(doc.copies.iter().cloned());
    for s in &doc.signatures {
        lines.extend(s.lines());
    }
    lines.extend(doc.recipients.iter().map(|r| format!("- {r}")));
    for b in doc.body.iter().chain(&doc.annex) {
        match b {
            Block::Heading(t) => lines.push(t.clone()),
            Block::Paragraph(p) => lines.push(p.text.clone()),
            Block::Table(t) => {
                lines.extend(t.rows.iter().take(3).flatten().map(|c| c.display()).filter(|s| !s.is_empty() && s.chars().count() <= 12))
            }
            Block::Chart(c) => lines.push(c.title.clone()),
            Block::Gap => {}
        }
    }
    lines
}

/// Whether `line` is in `text` as it is, or, where pdftotext's reading order interleaves two
/// columns set side by side (the header, the signatures), as its exact words in order with
/// only a few of the other column's words between them.
fn found(text: &str, words: &[&str], line: &str) -> bool {
    if text.contains(line) {
        return true;
    }
    let wanted: Vec<&str> = line.split(' ').collect();
    let window = wanted.len() * 3 + 8;
    (0..words.len()).filter(|&i| words[i] == wanted[0]).any(|start| {
        let mut next = 0;
        for w in words.iter().skip(start).take(window) {
            if next < wanted.len() && *w == wanted[next] {
                next += 1;
            }
        }
        next == wanted.len()
    })
}

fn assert_text_has(doc_name: &str, text: &str, doc: &Document) {
    let text = flat(text);
    let words: Vec<&str> = text.split(' ').collect();
    let missing: Vec<String> = key_lines(doc).into_iter().map(|l| flat(&l)).filter(|l| !found(&text, &words, l)).collect();
    assert!(missing.is_empty(), "{doc_name}: missing from the text {missing:#?}\n--- text ---\n{text}");
}

#[test]
fn snapshots_hold_each_documents_text() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut changed = Vec::new();
    for (name, doc) in common::all() {
        let text = doc.text_lines().join("\n") + "\n";
        let path = dir.join(format!("{name}.txt"));
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            changed.push(name);
        }
    }
    assert!(changed.is_empty(), "snapshots differ (UPDATE_SNAPSHOTS=1 rewrites them): {changed:?}");
}

#[test]
fn pdfs_give_back_the_vietnamese_text_with_the_fonts_embedded() {
    let dir = scratch("pdf");
    for (name, doc) in common::all() {
        let pdf = dir.join(format!("{name}.pdf"));
        std::fs::write(&pdf, render(&doc, Format::Pdf).unwrap()).unwrap();
        assert_text_has(name, &pdftotext(&pdf), &doc);

        let out = Command::new("pdffonts").arg(&pdf).output().expect("pdffonts is installed (poppler-utils)");
        let fonts = String::from_utf8(out.stdout).unwrap();
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!rows.is_empty(), "{name}: no fonts\n{fonts}");
        for row in &rows {
            // name type encoding emb sub uni object ID
            let cols: Vec<&str> = row.split_whitespace().collect();
            assert!(cols[0].contains("LiberationSerif"), "{name}: unexpected font {row}");
            let emb = cols[cols.len() - 5];
            assert_eq!(emb, "yes", "{name}: font not embedded: {row}");
        }
        let styles = ["LiberationSerif-Bold", "LiberationSerif-Italic", "LiberationSerif"];
        for s in styles {
            assert!(rows.iter().any(|r| r.contains(s)), "{name}: {s} missing\n{fonts}");
        }
    }
}

#[test]
fn libreoffice_converts_each_docx_and_keeps_the_text() {
    let dir = scratch("docx");
    let docs = common::all();
    let mut files = Vec::new();
    for (name, doc) in &docs {
        let path = dir.join(format!("{name}.docx"));
        std::fs::write(&path, render(doc, Format::Docx).unwrap()).unwrap();
        files.push(path);
    }
    // A profile of its own, so parallel runs do not share LibreOffice's lock.
    let profile = format!("-env:UserInstallation=file://{}", dir.join("profile").display());
    let out = Command::new("soffice")
        .args([profile.as_str(), "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.join("out"))
        .args(&files)
        .env("HOME", &dir)
        .output()
        .expect("soffice is installed (libreoffice-writer-nogui)");
    assert!(out.status.success(), "soffice failed: {}", String::from_utf8_lossy(&out.stderr));
    for (name, doc) in &docs {
        let pdf = dir.join("out").join(format!("{name}.pdf"));
        assert!(pdf.exists(), "{name}: LibreOffice made no PDF\n{}", String::from_utf8_lossy(&out.stdout));
        assert_text_has(name, &pdftotext(&pdf), doc);
    }
}

/// The sheet's XML inside the workbook, to read what calamine does not expose (panes, filters).
fn sheet_xml(xlsx: &[u8], index: usize) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut xml = String::new();
    zip.by_name(&format!("xl/worksheets/sheet{}.xml", index + 1)).unwrap().read_to_string(&mut xml).unwrap();
    xml
}

#[test]
fn calamine_reads_every_table_back_with_frozen_filtered_headers() {
    use calamine::{Data, Reader, Xlsx};
    for (name, doc) in common::all() {
        let bytes = render(&doc, Format::Xlsx).unwrap();
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
        let tables = antt_docs::model::tables(&doc);
        let sheets = book.sheet_names();
        if tables.is_empty() {
            assert_eq!(sheets.len(), 1, "{name}");
            continue;
        }
        assert_eq!(sheets.len(), tables.len(), "{name}: {sheets:?}");
        for (i, (sheet, table)) in sheets.iter().zip(&tables).enumerate() {
            let range = book.worksheet_range(sheet).unwrap();
            assert_eq!(range.get_value((0, 0)), Some(&Data::String(doc.header.agency.replace('\n', " "))), "{name}/{sheet}");
            assert_eq!(range.get_value((2, 0)), Some(&Data::String(table.title.clone())), "{name}/{sheet}");
            for (c, column) in table.columns.iter().enumerate() {
                assert_eq!(range.get_value((5, c as u32)), Some(&Data::String(column.header.clone())), "{name}/{sheet}");
            }
            for (r, row) in table.rows.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    let got = range.get_value((6 + r as u32, c as u32)).unwrap_or(&Data::Empty);
                    let ok = match (cell, got) {
                        (antt_docs::model::Cell::Text(s), Data::String(g)) => s == g,
                        (antt_docs::model::Cell::Text(s), Data::Empty) => s.is_empty(),
                        (antt_docs::model::Cell::Integer(n), Data::Float(g)) => *n as f64 == *g,
                        (antt_docs::model::Cell::Decimal(x), Data::Float(g)) => (x - g).abs() < 1e-9,
                        (antt_docs::model::Cell::Percent(Some(x)), Data::Float(g)) => (x - g).abs() < 1e-9,
                        (antt_docs::model::Cell::Percent(None), Data::String(g)) => g == "—",
                        (antt_docs::model::Cell::Date(d), Data::DateTime(g)) => {
                            g.as_f64() == (*d - chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days() as f64
                        }
                        (antt_docs::model::Cell::Empty, Data::Empty | Data::String(_)) => true,
                        _ => false,
                    };
                    assert!(ok, "{name}/{sheet} row {r} column {c}: {cell:?} came back as {got:?}");
                }
            }
            let xml = sheet_xml(&bytes, i);
            assert!(
                xml.contains(r#"<pane ySplit="6" topLeftCell="A7" activePane="bottomLeft" state="frozen"/>"#),
                "{name}/{sheet}: header row not frozen"
            );
            let last_col = (b'A' + table.columns.len() as u8 - 1) as char;
            let last_row = 6 + table.rows.len();
            assert!(
                xml.contains(&format!(r#"<autoFilter ref="A6:{last_col}{last_row}"/>"#)),
                "{name}/{sheet}: no filter on the header row"
            );
        }
    }
}

#[test]
fn xlsx_numbers_and_dates_keep_their_types_and_vietnamese_formats() {
    use antt_docs::model::{Cell, Column, Table};
    use calamine::{Data, Reader, Xlsx};
    use std::io::Read;
    let mut doc = common::registration_doc();
    doc.body = vec![Block::Table(Table {
        title: "Hồ sơ đã nộp".into(),
        columns: vec![Column::new("Ngày nộp", 2), Column::new("Số hộ", 2), Column::new("Điểm", 2), Column::new("Tỷ lệ", 2)],
        rows: vec![vec![Cell::Date(common::date(2013, 5, 20)), Cell::Integer(1234), Cell::Decimal(93.5), Cell::share(249, 250)]],
        total: None,
    })];
    let bytes = render(&doc, Format::Xlsx).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let mut styles = String::new();
    zip.by_name("xl/styles.xml").unwrap().read_to_string(&mut styles).unwrap();
    for code in ["dd/mm/yyyy", "#,##0", "#,##0.0", "0.0%"] {
        assert!(styles.contains(&format!("formatCode=\"{code}\"")), "{code} missing from {styles}");
    }
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range("Hồ sơ đã nộp").unwrap();
    assert!(matches!(range.get_value((6, 0)), Some(Data::DateTime(d)) if d.as_f64() == 41414.0), "{:?}", range.get_value((6, 0)));
    assert_eq!(range.get_value((6, 1)), Some(&Data::Float(1234.0)));
    assert_eq!(range.get_value((6, 2)), Some(&Data::Float(93.5)));
    assert_eq!(range.get_value((6, 3)), Some(&Data::Float(0.996)));
}
