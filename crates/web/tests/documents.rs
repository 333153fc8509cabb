//! Downloads of the official documents as a signed-in user: the right content type and file
//! name, a PDF whose text (pdftotext) names the unit, a DOCX zip, an XLSX read back with
//! calamine; 404 outside one's subtree, without an issued decision or before the unit has
//! registered; /login when signed out. The registration, the self-scoring table, the review
//! minutes and the request for recognition come from what the pages stored.
#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Page, world};

fn content_type(page: &Page) -> &str {
    page.headers[header::CONTENT_TYPE].to_str().unwrap()
}

/// The PDF's text as pdftotext reads it, lines joined by spaces.
#[track_caller]
fn pdf_text(page: &Page) -> String {
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert_eq!(content_type(page), "application/pdf");
    assert!(page.body.starts_with(b"%PDF"));
    let file = tempfile_path();
    std::fs::write(&file, &page.body).unwrap();
    let out = std::process::Command::new("pdftotext").arg(&file).arg("-").output().expect("pdftotext is installed");
    std::fs::remove_file(&file).unwrap();
    String::from_utf8(out.stdout).unwrap().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A file name of its own for one PDF (tests run in parallel).
fn tempfile_path() -> std::path::PathBuf {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::env::temp_dir().join(format!("antt-web-doc-{}-{n}.pdf", std::process::id()))
}

#[track_caller]
fn assert_pdf_names(page: &Page, name: &str) {
    let text = pdf_text(page);
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
    // What the rules find and what an authority decided are two figures.
    dashboard.has("Đạt chuẩn theo tiêu chí").has(r#"id="n-decided">0<"#);
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
            &[
                ("unit_id", "ap-long"),
                ("outcome", "recognised"),
                ("note", "Đoàn kiểm tra xác nhận"),
                ("acknowledged", "1"),
                ("back", "29578"),
            ],
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER, "{}", confirmed.text);
    // The commune's People's Committee recognises its residential areas (the 2013 plan).
    let xa = w.sign_in("xa").await;
    let issued = xa
        .post(
            &w.c("/decisions"),
            &[("unit", "29578"), ("number", "12/QĐ-UBND"), ("decided_on", "20/11/2013"), ("signer", "Trần Văn Bình"), ("units", "ap-long")],
        )
        .await;
    assert_eq!(issued.status, StatusCode::SEE_OTHER, "{}", issued.text);
    let decision = issued.location().to_owned();
    tinh.get(&decision).await.has("/document.docx");
    let pdf = tinh.get(&format!("{decision}/document.pdf")).await;
    assert_pdf_names(&pdf, "Ấp Phú Long");
    assert_pdf_names(&pdf, "12/QĐ-UBND");
    assert_pdf_names(&pdf, "Trần Văn Bình");
    tinh.get(&w.c("/dashboard?unit=857")).await.has(r#"id="n-decided">1<"#);
    assert_pdf_names(&tinh.get(&w.c("/documents/summary.pdf?unit=857")).await, "công nhận bằng quyết định: 1 đơn vị");
    // Built from the stored data as NĐ 30 sets a chairman's decision, right for a commune.
    for line in [
        "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ ĐỒNG PHÚ",
        "Căn cứ Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân ngày 26 tháng 11 năm 2003;",
        "Căn cứ Thông tư số 23/2012/TT-BCA ngày 27/4/2012 của Bộ Công an",
        "Căn cứ Quyết định số 710/QĐ-UBND ngày 02/5/2013 của Chủ tịch UBND tỉnh Vĩnh Long ban hành Kế hoạch",
        "Xét đề nghị của Trưởng Công an xã Đồng Phú tại Tờ trình số",
        "Đồng Phú, ngày 20 tháng 11 năm 2013",
    ] {
        assert_pdf_names(&pdf, line);
    }
    let text = pdf_text(&pdf);
    for wrong in ["TM. ỦY BAN NHÂN DÂN", "Chánh Văn phòng", "CẤP HUYỆN", "Kế hoạch số 710"] {
        assert!(!text.contains(wrong), "{wrong} in the decision:\n{text}");
    }
    assert_docx(&tinh.get(&format!("{decision}/document.docx")).await);
    let annex = xlsx_cells(&tinh.get(&format!("{decision}/document.xlsx")).await);
    assert!(annex.iter().any(|c| c == "Tên đơn vị") && annex.iter().any(|c| c == "Ấp Phú Long"), "{annex:?}");

    tinh.get(&w.unit("ap-long", "")).await.has("/documents/certificate.pdf");
    let certificate = tinh.get(&w.unit("ap-long", "/documents/certificate.pdf")).await;
    assert_pdf_names(&certificate, "GIẤY CHỨNG NHẬN");
    assert_pdf_names(&certificate, "ẤP PHÚ LONG");
    assert_pdf_names(&certificate, "Căn cứ Quyết định số 12/QĐ-UBND ngày 20/11/2013 của Chủ tịch Ủy ban nhân dân xã Đồng Phú");
    assert_pdf_names(&certificate, "Thuộc xã Đồng Phú, huyện Long Hồ, tỉnh Vĩnh Long");
    assert!(!pdf_text(&certificate).contains("Số: 12/QĐ-UBND"), "the decision's number as the certificate's");
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

fn pledges(date: &str) -> Vec<(&str, &str)> {
    vec![
        ("pledge_1.1", "1"),
        ("pledge_1.2", "1"),
        ("pledge_1.3", "1"),
        ("pledge_1.4", "1"),
        ("pledge_1.5", "1"),
        ("note_1.4", "Phấn đấu giảm tai nạn giao thông"),
        ("registered_on", date),
    ]
}

const SELF_SCORES: [(&str, &str); 5] =
    [("points_1.1", "18"), ("points_1.2", "17,5"), ("points_1.3", "20"), ("points_1.4", "15"), ("points_1.5", "20")];

#[tokio::test]
async fn the_registration_and_the_self_scoring_table_come_from_what_was_stored() {
    let w = world().await;
    let xa = w.sign_in("xa").await;
    // Nothing registered yet: no registration to download.
    let none = xa.get(&w.unit("ap-hoa", "/documents/registration.pdf")).await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    none.has("Không tìm thấy");
    xa.get(&w.unit("ap-hoa", "")).await.lacks("/documents/registration.pdf");

    let sent = xa.post(&w.unit("ap-hoa", "/register"), &pledges("20/05/2013")).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.text);
    xa.get(&w.unit("ap-hoa", "")).await.has("/documents/registration.pdf");
    xa.get(&w.unit("ap-hoa", "/register")).await.has("/documents/registration.docx");
    let pdf = xa.get(&w.unit("ap-hoa", "/documents/registration.pdf")).await;
    assert_pdf_names(&pdf, "Ấp Phú Hòa");
    assert_pdf_names(&pdf, "BẢN ĐĂNG KÝ PHẤN ĐẤU");
    // The plan as the vinh-long-2013 ruleset quotes it: a decision of the provincial chairman.
    assert_pdf_names(&pdf, "Thực hiện Quyết định số 710/QĐ-UBND ngày 02/5/2013 của Chủ tịch UBND tỉnh Vĩnh Long ban hành Kế hoạch");
    assert_pdf_names(&pdf, "Phấn đấu giảm tai nạn giao thông");
    assert_pdf_names(&pdf, "Số tiếp nhận: PV28-2013-000001, đăng ký đúng hạn (hạn 22/05/2013)");
    // The two copies: the unit's and the standing office's.
    assert_pdf_names(&pdf, "Bản lưu tại đơn vị");
    assert_pdf_names(&pdf, "Bản gửi Thường trực Ban Chỉ đạo (Phòng PV28 - Công an tỉnh)");
    let disposition = pdf.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.starts_with("attachment; filename=\"ban-dang-ky-ap-phu-hoa-nam-2013.pdf\""), "{disposition}");
    assert_docx(&xa.get(&w.unit("ap-hoa", "/documents/registration.docx")).await);
    assert_eq!(xa.get(&w.unit("ap-hoa", "/documents/registration.xlsx")).await.status, StatusCode::NOT_FOUND);

    let saved = xa.post(&w.unit("ap-hoa", "/self-score"), &SELF_SCORES).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    xa.get(&w.unit("ap-hoa", "/self-score")).await.has("/documents/self-scoring.xlsx");
    xa.get(&w.unit("ap-hoa", "")).await.has("/documents/self-scoring.pdf");
    let pdf = xa.get(&w.unit("ap-hoa", "/documents/self-scoring.pdf")).await;
    assert_pdf_names(&pdf, "Ấp Phú Hòa");
    assert_pdf_names(&pdf, "BẢNG TỰ CHẤM ĐIỂM");
    assert_pdf_names(&pdf, "Tự xếp loại");
    assert_docx(&xa.get(&w.unit("ap-hoa", "/documents/self-scoring.docx")).await);
    let cells = xlsx_cells(&xa.get(&w.unit("ap-hoa", "/documents/self-scoring.xlsx")).await);
    let at = |label: &str| cells.iter().position(|c| c == label).unwrap_or_else(|| panic!("{label:?} missing in {cells:?}"));
    // Item 1.2: its text, then the maximum and the self-score on the same row.
    let item = at("1.2");
    assert_eq!(&cells[item + 2..item + 4], ["20", "17.5"], "{cells:?}");
    let total = at("Tổng cộng");
    assert_eq!(&cells[total + 1..total + 3], ["100", "90.5"], "{cells:?}");
    // No inspection score yet: no column for it.
    assert!(!cells.iter().any(|c| c == "Điểm thẩm định"), "{cells:?}");
}

#[tokio::test]
async fn a_units_documents_stay_inside_the_subtree() {
    let w = world().await;
    let tinh = w.sign_in("tinh").await;
    let sent = tinh.post(&w.unit("ap-ngu", "/register"), &pledges("20/05/2013")).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.text);
    assert_eq!(tinh.post(&w.unit("ap-ngu", "/self-score"), &SELF_SCORES).await.status, StatusCode::SEE_OTHER);
    assert_pdf_names(&tinh.get(&w.unit("ap-ngu", "/documents/registration.pdf")).await, "Ấp Phước Ngươn");
    assert!(xlsx_cells(&tinh.get(&w.unit("ap-ngu", "/documents/self-scoring.xlsx")).await).iter().any(|c| c == "90.5"));

    // The commune of Đồng Phú does not see a hamlet of Phước Hậu.
    let xa = w.sign_in("xa").await;
    for doc in ["registration.pdf", "registration.docx", "self-scoring.pdf", "self-scoring.xlsx"] {
        let page = xa.get(&w.unit("ap-ngu", &format!("/documents/{doc}"))).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{doc}");
        assert!(page.body.starts_with(b"<!"), "{doc}: an error page, not the document");
    }
}

/// Confirms a unit's outcome at the review of Xã Đồng Phú.
async fn confirm(w: &common::World, b: &common::Browser, unit: &str, outcome: &str, back: &str) {
    let done = b
        .post(
            &w.c("/review/confirm"),
            &[("unit_id", unit), ("outcome", outcome), ("note", "Đoàn kiểm tra xác nhận"), ("acknowledged", "1"), ("back", back)],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
}

async fn add_minutes(w: &common::World, b: &common::Browser, unit: &str, chair: &str) {
    let done = b
        .post(
            &w.c("/review/minutes"),
            &[
                ("unit_id", unit),
                ("held_on", "15/11/2013"),
                ("chair", chair),
                ("attendees", "Bí thư chi bộ, Mặt trận, các trưởng ấp"),
                ("conclusions", "Đề nghị công nhận Ấp Phú Long đạt chuẩn"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
}

#[tokio::test]
async fn the_review_minutes_and_the_request_for_recognition_come_from_the_review() {
    let w = world().await;
    let xa = w.sign_in("xa").await;
    let request = w.c("/review/documents/request.pdf?unit=29578");
    let early = xa.get(&request).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    early.has("Chưa có đơn vị nào do Chủ tịch Ủy ban nhân dân xã Đồng Phú công nhận được xác nhận đạt chuẩn");
    assert_eq!(xa.get(&w.c("/review/documents/minutes.pdf?unit=29578")).await.status, StatusCode::NOT_FOUND);

    confirm(&w, &xa, "ap-long", "recognised", "29578").await;
    confirm(&w, &xa, "ap-hoa", "not_recognised", "29578").await;
    add_minutes(&w, &xa, "29578", "Ông Lê Văn Chủ").await;

    let review = xa.get(&w.c("/review?unit=29578")).await;
    review.has("/review/documents/request.docx?unit=29578");
    let link = "/review/documents/minutes.pdf?unit=29578&amp;minutes=";
    let start = review.text.find(link).unwrap_or_else(|| panic!("no minutes link in {}", review.text)) + link.len();
    let minutes_id = review.text[start..].split('"').next().unwrap().to_owned();

    let minutes = xa.get(&w.c(&format!("/review/documents/minutes.pdf?unit=29578&minutes={minutes_id}"))).await;
    for line in [
        "BIÊN BẢN",
        "XÃ ĐỒNG PHÚ",
        "Chủ trì: Ông Lê Văn Chủ.",
        "Tham dự: Bí thư chi bộ, Mặt trận, các trưởng ấp",
        "Ấp Phú Long",
        "Ấp Phú Hòa",
        "Kết quả: 1/2 đơn vị đạt chuẩn.",
        "Đề nghị công nhận Ấp Phú Long đạt chuẩn",
    ] {
        assert_pdf_names(&minutes, line);
    }
    assert_docx(&xa.get(&w.c("/review/documents/minutes.docx?unit=29578")).await);
    assert_eq!(xa.get(&w.c("/review/documents/minutes.pdf?unit=29578&minutes=other")).await.status, StatusCode::NOT_FOUND);

    let pdf = xa.get(&request).await;
    for line in
        ["TỜ TRÌNH", "CÔNG AN XÃ ĐỒNG PHÚ", "Ấp Phú Long", "Chủ tịch Ủy ban nhân dân xã Đồng Phú", "Biên bản họp xét ngày 15/11/2013"]
    {
        assert_pdf_names(&pdf, line);
    }
    let text = pdf_text(&pdf);
    assert!(!text.contains("Ấp Phú Hòa"), "a unit not recognised is not proposed:\n{text}");
    assert_docx(&xa.get(&w.c("/review/documents/request.docx?unit=29578")).await);
    assert_eq!(xa.get(&w.c("/review/documents/request.xlsx?unit=29578")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn review_documents_need_the_right_to_review_that_subtree() {
    let w = world().await;
    let tinh = w.sign_in("tinh").await;
    confirm(&w, &tinh, "ap-ngu", "recognised", "29584").await;
    add_minutes(&w, &tinh, "29584", "Bà Trần Thị Hậu").await;
    assert_pdf_names(&tinh.get(&w.c("/review/documents/minutes.pdf?unit=29584")).await, "Bà Trần Thị Hậu");
    assert_pdf_names(&tinh.get(&w.c("/review/documents/request.pdf?unit=29584")).await, "Ấp Phước Ngươn");

    // Another commune's reviewer: as if it did not exist.
    let xa = w.sign_in("xa").await;
    for doc in ["minutes.pdf", "minutes.docx", "request.pdf", "request.docx"] {
        assert_eq!(xa.get(&w.c(&format!("/review/documents/{doc}?unit=29584"))).await.status, StatusCode::NOT_FOUND, "{doc}");
    }
    // A viewer of the whole province reads but does not review.
    let lanhdao = w.sign_in("lanhdao").await;
    assert_eq!(lanhdao.get(&w.c("/review/documents/request.pdf?unit=29584")).await.status, StatusCode::FORBIDDEN);
}

/// A district's decision recognising a commune, built from the stored data: the district's
/// chairman decides, a vice-chairman signs for him, the district's police proposes; the
/// district's request lists the commune, not the hamlets the commune's own decision recognised.
#[tokio::test]
async fn a_districts_decision_and_request_are_the_districts_own() {
    let w = world().await;
    let mut tx = w.store.begin().await.unwrap();
    let id = antt_store::users::create(&mut tx, None, "huyen", "Ban Chỉ đạo huyện Long Hồ", common::PASSWORD).await.unwrap();
    antt_store::users::grant(&mut tx, None, &id, antt_core::access::Role::District, "857").await.unwrap();
    tx.commit().await.unwrap();
    let tinh = w.sign_in("tinh").await;
    confirm(&w, &tinh, "ap-long", "recognised", "29578").await;
    confirm(&w, &tinh, "29578", "recognised", "857").await;
    // The commune recognises its hamlet first.
    let xa = w.sign_in("xa").await;
    let by_commune = xa
        .post(
            &w.c("/decisions"),
            &[("unit", "29578"), ("number", "12/QĐ-UBND"), ("decided_on", "20/11/2013"), ("signer", "Trần Văn Bình"), ("units", "ap-long")],
        )
        .await;
    assert_eq!(by_commune.status, StatusCode::SEE_OTHER, "{}", by_commune.text);

    let huyen = w.sign_in("huyen").await;
    let request = pdf_text(&huyen.get(&w.c("/review/documents/request.pdf?unit=857")).await);
    for line in [
        "CÔNG AN TỈNH VĨNH LONG",
        "CÔNG AN HUYỆN LONG HỒ",
        "Kính gửi: Chủ tịch Ủy ban nhân dân huyện Long Hồ",
        "Xã Đồng Phú",
        "TRƯỞNG CÔNG AN",
    ] {
        assert!(request.contains(line), "{line} missing from the request:\n{request}");
    }
    assert!(!request.contains("Ấp Phú Long"), "a hamlet the commune recognises in the district's request:\n{request}");

    let issued = huyen
        .post(
            &w.c("/decisions"),
            &[
                ("unit", "857"),
                ("number", "230/QĐ-UBND"),
                ("decided_on", "25/11/2013"),
                ("signer", "Lê Văn Phó"),
                ("signer_role", "pho_chu_tich"),
                ("units", "29578"),
            ],
        )
        .await;
    assert_eq!(issued.status, StatusCode::SEE_OTHER, "{}", issued.text);
    let pdf = huyen.get(&format!("{}/document.pdf", issued.location())).await;
    let text = pdf_text(&pdf);
    for line in [
        "ỦY BAN NHÂN DÂN HUYỆN LONG HỒ",
        "Số: 230/QĐ-UBND",
        "Long Hồ, ngày 25 tháng 11 năm 2013",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN LONG HỒ",
        "Xét đề nghị của Trưởng Công an huyện Long Hồ tại Tờ trình số",
        "Điều 3. Chánh Văn phòng Ủy ban nhân dân huyện, Trưởng Công an huyện Long Hồ",
        "KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
        "Lê Văn Phó",
        "Xã Đồng Phú",
    ] {
        assert!(text.contains(line), "{line} missing from the district's decision:\n{text}");
    }
    for wrong in ["TM. ỦY BAN NHÂN DÂN", "CẤP HUYỆN", "Ấp Phú Long"] {
        assert!(!text.contains(wrong), "{wrong} in the district's decision:\n{text}");
    }
}
