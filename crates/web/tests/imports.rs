//! Spreadsheet import from a unit's page: templates, the dry run by row and column, the
//! confirmation that imports once and all or nothing, its progress page, and who may do it.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use antt_store::{imports, units};
use axum::http::StatusCode;
use calamine::Reader;
use common::{Browser, World, world};

const CSV: &str = "text/csv";

/// The id of the upload the dry run kept, from its confirmation form.
fn upload_id(page: &common::Page) -> String {
    let start = page.text.find("/imports/").expect("a confirmation form") + "/imports/".len();
    page.text[start..].split('/').next().unwrap().to_owned()
}

async fn households(w: &World, unit: &str) -> Vec<String> {
    imports::households(&w.store, &w.campaign, unit).await.unwrap().into_iter().map(|h| h.household_head).collect()
}

/// Opens the upload's page until it no longer says it is running.
async fn finished(browser: &Browser, page: &str) -> common::Page {
    for _ in 0..200 {
        let p = browser.get(page).await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.text);
        if !p.text.contains("hx-trigger=\"every 1s\"") {
            return p;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the import of {page} did not end");
}

#[tokio::test]
async fn templates_download_and_read_back() {
    let w = world().await;
    let xa = w.sign_in("xa").await;
    let page = xa.get(&w.unit("29578", "/import")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.has("Danh sách hộ gia đình ký cam kết").has("Danh sách khu dân cư").has("Chưa có lần nhập nào.");

    let kind = xa.get(&w.unit("29578", "/import/households")).await;
    kind.has("Chủ hộ").has("Đã ký cam kết").has("template.xlsx").has("template.csv");

    let xlsx = xa.get(&w.unit("29578", "/import/households/template.xlsx")).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.headers["content-disposition"].to_str().unwrap().contains("mau-nhap-households.xlsx"));
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(xlsx.body.clone())).unwrap();
    let sheet = book.worksheet_range("Dữ liệu").unwrap();
    let header: Vec<String> = sheet.rows().next().unwrap().iter().map(ToString::to_string).collect();
    assert!(header.iter().any(|h| h.starts_with("Chủ hộ")), "{header:?}");

    let csv = xa.get(&w.unit("29578", "/import/households/template.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.text.lines().next().unwrap().contains("Chủ hộ"), "{}", csv.text);
    assert_eq!(xa.get(&w.unit("29578", "/import/nothing")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(xa.get(&w.unit("29578", "/import/households/template.pdf")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_dry_run_lists_every_problem_by_row_and_column_and_writes_nothing() {
    let w = world().await;
    let xa = w.sign_in("xa").await;
    let csv = "Khu dân cư,Chủ hộ,Đã ký cam kết,Ngày ký\n\
               Ấp Phú Long,Nguyễn Văn An,có,31/02/2013\n\
               Ấp Không Có,Trần Thị Bé,có,02/05/2013\n\
               Ấp Phú Hòa,<script>alert(1)</script>,có lẽ,\n";
    let page = xa.upload(&w.unit("29578", "/import/households"), "ho-gia-dinh.csv", CSV, csv.as_bytes(), true).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.text);
    page.has("Tệp “ho-gia-dinh.csv” có 3 lỗi").has("Không ghi dòng nào");
    // Row numbers as the spreadsheet shows them (the header is row 1), with the column.
    page.has("<td class=\"num\">2</td><td>D (Ngày ký)</td>")
        .has("<td class=\"num\">3</td><td>A (Đơn vị)</td><td>không có đơn vị “Ấp Không Có” trong Xã Đồng Phú");
    page.has("<td class=\"num\">4</td><td>C (Đã ký cam kết)</td>");
    page.lacks("<script>alert(1)</script>").lacks("Nhập 3 dòng");
    assert!(households(&w, "ap-long").await.is_empty());
    assert!(
        antt_store::import_files::recent(&w.store, &w.campaign, "29578", 10).await.unwrap().is_empty(),
        "a file with problems is not kept"
    );

    // Not a spreadsheet at all.
    let pdf = xa.upload(&w.unit("29578", "/import/households"), "bao-cao.csv", CSV, b"%PDF-1.7\n%\xe2\xe3", true).await;
    assert_eq!(pdf.status, StatusCode::UNPROCESSABLE_ENTITY);
    pdf.has("bao-cao.csv").has("Không ghi dòng nào");
    // No file chosen.
    let none = xa.upload(&w.unit("29578", "/import/households"), "", CSV, b"", true).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    none.has("Chưa chọn tệp để tải lên.");
    // A file larger than the page accepts is refused by name and size before it is read.
    let big = vec![b'a'; antt_import::Limits::default().max_bytes + 1];
    let refused = xa.upload(&w.unit("29578", "/import/households"), "rat-lon.csv", CSV, &big, true).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.has("rat-lon.csv").has("vượt quá giới hạn");
}

#[tokio::test]
async fn a_clean_file_is_imported_once_after_confirmation() {
    let w = world().await;
    let xa = w.sign_in("xa").await;
    // NFD text and the Ð look-alike are brought to the proper letters.
    let csv = "Khu dân cư,Chủ hộ,Địa chỉ,Đã ký cam kết,Ngày ký\n\
               Ấp Phú Long,Nguye\u{302}\u{303}n Văn An,Số 1,có,02/05/2013\n\
               ap phu long,\u{d0}ỗ Thị Bé,Số 2,không,\n\
               Ấp Phú Hòa,Lê Văn Cường,,có,03/05/2013\n";
    let page = xa.upload(&w.unit("29578", "/import/households"), "ho.csv", CSV, csv.as_bytes(), true).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    page.has("Tệp không có lỗi: <strong>3</strong> dòng sẵn sàng để nhập. Chưa ghi gì.").has("Nhập 3 dòng");
    let id = upload_id(&page);
    assert!(households(&w, "ap-long").await.is_empty(), "the dry run writes nothing");

    let waiting = xa.get(&w.unit("29578", &format!("/imports/{id}"))).await;
    waiting.has("Đã kiểm tra, chờ xác nhận").has("Nhập tệp này");

    let confirmed = xa.post(&w.unit("29578", &format!("/imports/{id}/confirm")), &[]).await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
    assert_eq!(confirmed.location(), w.unit("29578", &format!("/imports/{id}")));
    let done = finished(&xa, confirmed.location()).await;
    done.has("Đã nhập 3 dòng.").lacks("Nhập tệp này");
    assert_eq!(households(&w, "ap-long").await, ["Nguyễn Văn An", "Đỗ Thị Bé"]);
    assert_eq!(households(&w, "ap-hoa").await, ["Lê Văn Cường"]);

    // Confirmed again (a double click, another tab): nothing is imported twice.
    let again = xa.post(&w.unit("29578", &format!("/imports/{id}/confirm")), &[]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    finished(&xa, again.location()).await.has("Đã nhập 3 dòng.");
    assert_eq!(households(&w, "ap-long").await.len(), 2);
    let fragment = xa.htmx(&w.unit("29578", &format!("/imports/{id}/progress"))).await;
    fragment.has("Đã nhập 3 dòng.").lacks("hx-trigger").lacks("<html");

    let list = xa.get(&w.unit("29578", "/import")).await;
    list.has("ho.csv").has("Đã nhập");
}

#[tokio::test]
async fn an_import_this_server_does_not_run_says_so_and_keeps_polling() {
    let w = world().await;
    let xa = w.sign_in("xa").await;
    let csv = "Khu dân cư,Chủ hộ,Đã ký cam kết\nẤp Phú Long,Nguyễn Văn An,có\n";
    let page = xa.upload(&w.unit("29578", "/import/households"), "ho.csv", CSV, csv.as_bytes(), true).await;
    let id = upload_id(&page);
    // Claimed as another server (or one stopped since) would have claimed it.
    assert!(antt_store::import_files::claim(&w.store, &id).await.unwrap());
    let status = xa.get(&w.unit("29578", &format!("/imports/{id}"))).await;
    status.has("Đang nhập…").has("hãy tải tệp lên lại").has("hx-trigger=\"every 1s\"").lacks("Nhập tệp này");
    // Its confirmation does nothing more: the claim is taken.
    xa.post(&w.unit("29578", &format!("/imports/{id}/confirm")), &[]).await;
    // Time enough for an import of one row, had the confirmation started one.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(households(&w, "ap-long").await.is_empty());
    assert_eq!(antt_store::import_files::find(&w.store, &id).await.unwrap().unwrap().status, "importing");
}

#[tokio::test]
async fn data_changed_after_the_dry_run_refuses_the_whole_file() {
    let w = world().await;
    let xa = w.sign_in("xa").await;
    let csv = "Khu dân cư,Chủ hộ,Đã ký cam kết\nẤp Phú Long,Nguyễn Văn An,có\nẤp Phú Hòa,Trần Thị Bé,có\n";
    let page = xa.upload(&w.unit("29578", "/import/households"), "ho.csv", CSV, csv.as_bytes(), true).await;
    let id = upload_id(&page);
    // Between the dry run and the confirmation the area is merged away.
    let mut tx = w.store.begin().await.unwrap();
    units::set_successor(&mut tx, "ap-hoa", "ap-long", "2013-06-01").await.unwrap();
    tx.commit().await.unwrap();

    let confirmed = xa.post(&w.unit("29578", &format!("/imports/{id}/confirm")), &[]).await;
    let done = finished(&xa, confirmed.location()).await;
    done.has("Không nhập được").has("Dữ liệu đã thay đổi từ lúc kiểm tra tệp; không ghi dòng nào").has("Dòng 3");
    assert!(households(&w, "ap-long").await.is_empty(), "nothing of the file is written");
}

#[tokio::test]
async fn units_are_imported_under_the_commune() {
    let w = world().await;
    let xa = w.sign_in("xa").await;
    let csv = "Tên khu dân cư\nẤp Phú Thạnh\nẤp Phú Quới\n";
    let page = xa.upload(&w.unit("29578", "/import/residential_area"), "ap.csv", CSV, csv.as_bytes(), true).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let confirmed = xa.post(&w.unit("29578", &format!("/imports/{}/confirm", upload_id(&page))), &[]).await;
    finished(&xa, confirmed.location()).await.has("Đã nhập 2 dòng.");
    let commune = units::get(&w.store, "29578").await.unwrap().unwrap();
    let under = units::search(&w.store, &commune.path, "phu thanh", None, 1, 10).await.unwrap().items;
    assert_eq!(under.iter().map(|u| (u.name.as_str(), u.unit_type.as_str())).collect::<Vec<_>>(), [("Ấp Phú Thạnh", "residential_area")]);
}

#[tokio::test]
async fn only_those_who_enter_the_units_data_may_import_it() {
    let w = world().await;
    let xa = w.sign_in("xa").await;
    let csv = "Chủ hộ,Đã ký cam kết\nNguyễn Văn An,có\n";
    // Another commune's page: as if it did not exist.
    assert_eq!(xa.get(&w.unit("29584", "/import")).await.status, StatusCode::NOT_FOUND);
    let other = xa.upload(&w.unit("ap-ngu", "/import/households"), "ho.csv", CSV, csv.as_bytes(), true).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    // Without the form's CSRF token.
    let forged = xa.upload(&w.unit("ap-long", "/import/households"), "ho.csv", CSV, csv.as_bytes(), false).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // The province's viewer reads but does not import; the tab is not offered.
    let viewer = w.sign_in("lanhdao").await;
    assert_eq!(viewer.get(&w.unit("ap-long", "/import")).await.status, StatusCode::FORBIDDEN);
    viewer.get(&w.unit("ap-long", "")).await.lacks("Nhập từ tệp");
    xa.get(&w.unit("ap-long", "")).await.has("Nhập từ tệp");

    // An upload is confirmed only from its own unit's address, by someone who may import there.
    let page = xa.upload(&w.unit("ap-long", "/import/households"), "ho.csv", CSV, csv.as_bytes(), true).await;
    let id = upload_id(&page);
    assert_eq!(xa.post(&w.unit("ap-hoa", &format!("/imports/{id}/confirm")), &[]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(viewer.post(&w.unit("ap-long", &format!("/imports/{id}/confirm")), &[]).await.status, StatusCode::FORBIDDEN);
    assert!(households(&w, "ap-long").await.is_empty());
}
