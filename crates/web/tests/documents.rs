//! Downloads of the official documents as a signed-in user: the right content type and file
//! name, a PDF whose text (pdftotext) names the unit, a DOCX zip, an XLSX read back with
//! calamine; 404 outside one's subtree or without an issued decision; /login when signed out.
#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Page, world};

fn content_type(page: &Page) -> &str {
    page.headers[header::CONTENT_TYPE].to_str().unwrap()
}

#[track_caller]
fn assert_pdf_names(page: &Page, name: &str) {
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert_eq!(content_type(page), "application/pdf");
    assert!(page.body.starts_with(b"%PDF"));
    let dir = std::env::temp_dir().join(format!("antt-web-doc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{}.pdf", antt_docs::documents::file_stem(name)));
    std::fs::write(&path, &page.body).unwrap();
    let out = std::process::Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext is installed");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(name), "{name:?} missing in the PDF's text:\n{text}");
}

#[track_caller]
fn assert_docx(page: &Page) {
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert_eq!(content_type(page), "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    assert!(page.body.starts_with(b"PK"));
}

/// Every cell of every sheet, as text.
fn xlsx_cells(page: &Page) -> Vec<String> {
    use calamine::{Reader, Xlsx};
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert_eq!(content_type(page), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(page.body.clone())).unwrap();
    let mut cells = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        cells.extend(range.rows().flat_map(|r| r.iter().map(ToString::to_string)));
    }
    cells
}

#[tokio::test]
async fn the_summary_report_decision_and_certificate_download_in_every_format() {
    let w = world().await;
    let tinh = w.sign_in("tinh").await;

    let dashboard = tinh.get(&w.c("/dashboard?unit=857")).await;
    dashboard.has(&format!("/c/{}/documents/summary.xlsx?unit=857", w.campaign));
    let summary = tinh.get(&w.c("/documents/summary.pdf?unit=857")).await;
    assert_pdf_names(&summary, "Huyện Long Hồ");
    let disposition = summary.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.starts_with("attachment; filename=\"bao-cao-tong-hop"), "{disposition}");
    assert!(disposition.contains("filename*=UTF-8''B%C3%A1o%20c%C3%A1o"), "{disposition}");
    assert_docx(&tinh.get(&w.c("/documents/summary.docx?unit=857")).await);
    let cells = xlsx_cells(&tinh.get(&w.c("/documents/summary.xlsx?unit=857")).await);
    assert!(cells.iter().any(|c| c == "Tên đơn vị"), "{cells:?}");
    assert!(cells.iter().any(|c| c == "Xã Đồng Phú"), "{cells:?}");
    assert!(cells.iter().any(|c| c == "Ấp Phú Long"), "{cells:?}");

    tinh.get(&w.unit("ap-long", "")).await.has("/documents/report.pdf").lacks("/documents/certificate.pdf");
    assert_pdf_names(&tinh.get(&w.unit("ap-long", "/documents/report.pdf")).await, "Ấp Phú Long");
    assert_docx(&tinh.get(&w.unit("ap-long", "/documents/report.docx")).await);
    // Not recognised by an issued decision: no certificate.
    let none = tinh.get(&w.unit("ap-long", "/documents/certificate.pdf")).await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    none.has("Không tìm thấy");

    let confirmed = tinh
        .post(
            &w.c("/review/confirm"),
            &[("unit_id", "ap-long"), ("outcome", "recognised"), ("note", "Đoàn kiểm tra xác nhận"), ("back", "29578")],
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER, "{}", confirmed.text);
    let issued = tinh
        .post(
            &w.c("/decisions"),
            &[
                ("unit", "29578"),
                ("number", "12/QĐ-UBND"),
                ("decided_on", "20/11/2013"),
                ("signer", "Trần Văn Bình"),
                ("authority", "Chủ tịch UBND xã Đồng Phú"),
                ("units", "ap-long"),
            ],
        )
        .await;
    assert_eq!(issued.status, StatusCode::SEE_OTHER, "{}", issued.text);
    let decision = issued.location().to_owned();
    tinh.get(&decision).await.has("/document.docx");
    let pdf = tinh.get(&format!("{decision}/document.pdf")).await;
    assert_pdf_names(&pdf, "Ấp Phú Long");
    assert_pdf_names(&pdf, "12/QĐ-UBND");
    assert_pdf_names(&pdf, "Trần Văn Bình");
    assert_docx(&tinh.get(&format!("{decision}/document.docx")).await);
    let annex = xlsx_cells(&tinh.get(&format!("{decision}/document.xlsx")).await);
    assert!(annex.iter().any(|c| c == "Tên đơn vị") && annex.iter().any(|c| c == "Ấp Phú Long"), "{annex:?}");

    tinh.get(&w.unit("ap-long", "")).await.has("/documents/certificate.pdf");
    let certificate = tinh.get(&w.unit("ap-long", "/documents/certificate.pdf")).await;
    assert_pdf_names(&certificate, "ẤP PHÚ LONG");
    assert_pdf_names(&certificate, "Quyết định số 12/QĐ-UBND ngày 20/11/2013");
    assert_docx(&tinh.get(&w.unit("ap-long", "/documents/certificate.docx")).await);
    // A certificate has no table to put in a workbook; an unknown document is not served.
    assert_eq!(tinh.get(&w.unit("ap-long", "/documents/certificate.xlsx")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(tinh.get(&w.unit("ap-long", "/documents/other.pdf")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn downloads_stay_inside_the_subtree_and_need_a_sign_in() {
    let w = world().await;
    let xa = w.sign_in("xa").await;
    assert_pdf_names(&xa.get(&w.unit("ap-hoa", "/documents/report.pdf")).await, "Ấp Phú Hòa");
    assert_eq!(xa.get(&w.unit("ap-ngu", "/documents/report.pdf")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(xa.get(&w.c("/documents/summary.pdf?unit=29584")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(xa.get(&w.c("/documents/summary.xlsx?unit=86")).await.status, StatusCode::NOT_FOUND);
    assert_pdf_names(&xa.get(&w.c("/documents/summary.pdf")).await, "Xã Đồng Phú");

    let anonymous = common::run(&w.app, Request::get(w.unit("ap-hoa", "/documents/report.pdf")).body(Body::empty()).unwrap()).await;
    assert!(anonymous.status.is_redirection(), "{}", anonymous.status);
    assert_eq!(anonymous.location(), "/login");
}
