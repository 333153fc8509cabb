//! The pages of one unit through a campaign, as people use them in a browser: registration on
//! time and late with a receipt and a print view, facts and their effect on the verdict, self-
//! and inspector scoring, bad input shown next to the field and kept, stale versions, uploads,
//! and the subtree and role checks.

// A test stops at the first surprise, with the value that caused it.
#![allow(clippy::unwrap_used)]

mod common;

use antt_core::fact::{Fact, FactKind};
use antt_store::facts::ScoreSource;
use antt_store::{facts, registrations};
use axum::http::{StatusCode, header};
use common::World;

/// The shared world, its inspector being the district's inspection team.
async fn world() -> World {
    common::world_with_inspector("Đoàn kiểm tra huyện Long Hồ").await
}

fn pledges_of_residential_area(date: &str) -> Vec<(&str, &str)> {
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

#[tokio::test]
async fn registration_is_timed_numbered_returned_and_printed() {
    let w = world().await;
    let xa = w.sign_in("xa").await;

    let form = xa.get(&w.unit("ap-hoa", "/register")).await;
    assert_eq!(form.status, StatusCode::OK);
    form.has("name=\"pledge_1.1\"").has("đăng ký phấn đấu").has("Hạn đăng ký: 22/05/2013").has("name=\"doc_party_resolution\"");

    // On time: the 20th day after the plan is the last day on time.
    let mut on_time = pledges_of_residential_area("22/05/2013");
    on_time.extend([("doc_party_resolution", "1"), ("docnum_party_resolution", "01-NQ/CB"), ("docdate_party_resolution", "10/05/2013")]);
    let sent = xa.post(&w.unit("ap-hoa", "/register"), &on_time).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.text);
    assert_eq!(sent.location(), w.unit("ap-hoa", "/register"));
    xa.get(&w.unit("ap-hoa", "/register"))
        .await
        .has("PV28-2013-000001")
        .has("đúng hạn (hạn 22/05/2013)")
        .has("Phấn đấu giảm tai nạn giao thông");

    // Late, and no accompanying documents: the documents list is declared complete.
    let late = xa.post(&w.unit("ap-long", "/register"), &pledges_of_residential_area("25/05/2013")).await;
    assert_eq!(late.status, StatusCode::SEE_OTHER, "{}", late.text);
    xa.get(&w.unit("ap-long", "/register")).await.has("PV28-2013-000002").has("trễ 3 ngày (hạn 22/05/2013)");

    let hoa = registrations::get(&w.store, &w.campaign, "ap-hoa").await.unwrap().unwrap();
    assert_eq!((hoa.status.as_str(), hoa.on_time), ("submitted", Some(true)));
    assert_eq!(hoa.registered_on, chrono::NaiveDate::from_ymd_opt(2013, 5, 22));
    assert_eq!(hoa.submitted_copy.as_ref().unwrap()["receipt_number"], "PV28-2013-000001");
    assert!(hoa.pledges["1.4"].pledged);
    let long = registrations::get(&w.store, &w.campaign, "ap-long").await.unwrap().unwrap();
    assert_eq!(long.on_time, Some(false));
    let docs = facts::list(&w.store, &w.campaign, "ap-hoa", FactKind::Documents).await.unwrap();
    assert_eq!(docs.len(), 1);
    let Fact::Document(d) = &docs[0].fact else { panic!("a document: {:?}", docs[0]) };
    assert_eq!(
        (d.kind.as_str(), d.number.as_deref(), d.date),
        ("party_resolution", Some("01-NQ/CB"), chrono::NaiveDate::from_ymd_opt(2013, 5, 10))
    );
    assert!(registrations::recorded_lists(&w.store, &w.campaign, "ap-long").await.unwrap().contains("documents"));

    // The unit's page shows the registration and the verdict's reasons.
    xa.get(&w.unit("ap-hoa", "")).await.has("PV28-2013-000001").has("Có nghị quyết của cấp ủy Đảng").has("Thẩm quyền công nhận");
    // The commune's page lists its areas with their registration.
    xa.get(&w.unit("29578", "")).await.has("Ấp Phú Hòa").has("22/05/2013, đúng hạn").has("trễ 3 ngày");

    // A submitted registration is not silently overwritten.
    let again = xa.post(&w.unit("ap-hoa", "/register"), &pledges_of_residential_area("21/05/2013")).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    again.has("đã gửi bản đăng ký").has("PV28-2013-000001");
    assert_eq!(registrations::get(&w.store, &w.campaign, "ap-hoa").await.unwrap().unwrap().version, hoa.version);

    // Only the province or the district returns it, with a reason.
    let version = hoa.version.to_string();
    let refused = xa.post(&w.unit("ap-hoa", "/register/return"), &[("reason", "Thiếu chữ ký"), ("version", &version)]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let tinh = w.sign_in("tinh").await;
    tinh.get(&w.unit("ap-hoa", "/register")).await.has("Trả lại bản đăng ký");
    let empty = tinh.post(&w.unit("ap-hoa", "/register/return"), &[("reason", "  "), ("version", &version)]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    empty.has("Không được để trống.");
    let returned =
        tinh.post(&w.unit("ap-hoa", "/register/return"), &[("reason", "Thiếu chữ ký của trưởng ấp"), ("version", &version)]).await;
    assert_eq!(returned.status, StatusCode::SEE_OTHER, "{}", returned.text);
    assert_eq!(registrations::get(&w.store, &w.campaign, "ap-hoa").await.unwrap().unwrap().status, "returned");

    // Then the unit registers again and gets a new receipt.
    let page = xa.get(&w.unit("ap-hoa", "/register")).await;
    page.has("Thiếu chữ ký của trưởng ấp").has("name=\"pledge_1.1\"");
    let start = page.text.find("name=\"version\" value=\"").unwrap() + "name=\"version\" value=\"".len();
    let form_version = page.text[start..].split('"').next().unwrap().to_owned();
    let mut again = pledges_of_residential_area("21/05/2013");
    again.push(("version", &form_version));
    let resent = xa.post(&w.unit("ap-hoa", "/register"), &again).await;
    assert_eq!(resent.status, StatusCode::SEE_OTHER, "{}", resent.text);
    let hoa = registrations::get(&w.store, &w.campaign, "ap-hoa").await.unwrap().unwrap();
    assert_eq!((hoa.status.as_str(), hoa.receipt_number.as_deref()), ("submitted", Some("PV28-2013-000003")));

    // Two copies to print, with the national header.
    let print = xa.get(&w.unit("ap-hoa", "/register/print")).await;
    assert_eq!(print.status, StatusCode::OK);
    print
        .has("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        .has("Độc lập - Tự do - Hạnh phúc")
        .has("Bản lưu tại đơn vị")
        .has("Bản gửi Thường trực Ban Chỉ đạo (Phòng PV28 - Công an tỉnh)")
        .has("ẤP PHÚ HÒA")
        .has("UBND XÃ ĐỒNG PHÚ")
        // The seat's place (NĐ 30): the area's commune; the month without a leading zero.
        .has("Đồng Phú, ngày 21 tháng 5 năm 2013")
        .has("Thực hiện Quyết định số 710/QĐ-UBND ngày 02/5/2013 của Chủ tịch UBND tỉnh Vĩnh Long")
        .has("Tiêu chí 1.4")
        .has("page-break")
        .has("data-print")
        .lacks("<script>")
        .lacks("style=");
    assert_eq!(print.text.matches("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").count(), 2);
}

#[tokio::test]
async fn facts_and_self_score_show_in_the_verdict() {
    let w = world().await;
    let xa = w.sign_in("xa").await;

    let added =
        xa.post(&w.unit("ap-hoa", "/facts/commitments"), &[("group_code", "households"), ("signed", "249"), ("total", "250")]).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text);
    assert_eq!(added.location(), w.unit("ap-hoa", "/facts/commitments"));
    xa.get(&w.unit("ap-hoa", "/facts/commitments")).await.has("Hộ gia đình").has("99,6%");
    let page = xa.get(&w.unit("ap-hoa", "")).await;
    page.has("249/250 hộ gia đình").has("Chưa đạt chuẩn").has("Không đạt");

    let incident = xa
        .post(
            &w.unit("ap-hoa", "/facts/incidents"),
            &[
                ("kind", "crime"),
                ("occurred_on", "12/08/2013"),
                ("severity", "it_nghiem_trong"),
                ("in_territory", "1"),
                ("by_own_people", "0"),
                ("force_majeure", "0"),
                ("reported_promptly", "1"),
                ("note", "Trộm cắp xe máy"),
            ],
        )
        .await;
    assert_eq!(incident.status, StatusCode::SEE_OTHER, "{}", incident.text);
    let stored = facts::list(&w.store, &w.campaign, "ap-hoa", FactKind::Incidents).await.unwrap();
    let Fact::Incident(i) = &stored[0].fact else { panic!("an incident: {:?}", stored[0]) };
    assert_eq!(
        (i.date, i.severity, i.reported_promptly),
        (chrono::NaiveDate::from_ymd_opt(2013, 8, 12).unwrap(), Some(antt_core::model::Severity::ItNghiemTrong), Some(true))
    );
    xa.get(&w.unit("ap-hoa", "")).await.has("Trộm cắp xe máy").has("12/08/2013");

    // "None" is a fact too.
    let none = xa.post(&w.unit("ap-hoa", "/facts/discipline/complete"), &[]).await;
    assert_eq!(none.status, StatusCode::SEE_OTHER);
    xa.get(&w.unit("ap-hoa", "/facts/discipline")).await.has("Đã xác nhận: không có");

    let scores = [
        ("points_1.1", "18"),
        ("points_1.2", "17,5"),
        ("points_1.3", "20"),
        ("points_1.4", "15"),
        ("points_1.5", "20"),
        ("note_1.2", "Mô hình tổ tự quản"),
    ];
    let saved = xa.post(&w.unit("ap-hoa", "/self-score"), &scores).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    let own = registrations::scores(&w.store, &w.campaign, "ap-hoa", ScoreSource::SelfAssessed).await.unwrap();
    assert_eq!(own["1.2"].points.tenths(), 175);
    assert_eq!(own["1.2"].note.as_deref(), Some("Mô hình tổ tự quản"));
    xa.get(&w.unit("ap-hoa", "/self-score")).await.has("value=\"17,5\"").has("90,5");
    xa.get(&w.unit("ap-hoa", "")).await.has("Xếp loại phong trào").has("tạm tính theo điểm tự chấm").has("90,5/100");
}

#[tokio::test]
async fn the_inspector_scores_beside_the_self_score() {
    let w = world().await;
    let xa = w.sign_in("xa").await;
    let own = [("points_1.1", "18"), ("points_1.2", "20"), ("points_1.3", "20"), ("points_1.4", "20"), ("points_1.5", "20")];
    assert_eq!(xa.post(&w.unit("ap-hoa", "/self-score"), &own).await.status, StatusCode::SEE_OTHER);
    assert_eq!(xa.get(&w.unit("ap-hoa", "/inspect")).await.status, StatusCode::FORBIDDEN);

    let kiemtra = w.sign_in("kiemtra").await;
    let reviewed = [
        ("inspected_on", "15/10/2013"),
        ("points_1.1", "15,5"),
        ("points_1.2", "20"),
        ("points_1.3", "20"),
        ("points_1.4", "20"),
        ("points_1.5", "20"),
        ("note_1.1", "Còn 1 hộ chưa ký cam kết"),
        ("judge_1.2_a", "met"),
        ("jnote_1.2_a", "Triển khai đầy đủ"),
    ];
    // Not a member of a team assigned to the area yet: refused, nothing written.
    let refused = kiemtra.post(&w.unit("ap-hoa", "/inspect"), &reviewed).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    refused.has("Bạn không thuộc đoàn kiểm tra nào được phân công kiểm tra Ấp Phú Hòa");
    assert!(registrations::scores(&w.store, &w.campaign, "ap-hoa", ScoreSource::Reviewed).await.unwrap().is_empty());
    w.inspection_team(&["ap-hoa"]).await;
    // A day outside the inspection window (11–20/10/2013) is kept only once confirmed.
    let mut late = reviewed;
    late[0] = ("inspected_on", "02/12/2013");
    let unconfirmed = kiemtra.post(&w.unit("ap-hoa", "/inspect"), &late).await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    unconfirmed
        .has("nằm ngoài thời gian kiểm tra của đợt (11/10/2013 – 20/10/2013)")
        .has("name=\"confirm_outside_window\"")
        .has("value=\"15,5\"");

    let form = kiemtra.get(&w.unit("ap-hoa", "/inspect")).await;
    assert_eq!(form.status, StatusCode::OK);
    form.has("name=\"judge_1.2_a\"").has("18");
    let saved = kiemtra.post(&w.unit("ap-hoa", "/inspect"), &reviewed).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    let page = kiemtra.get(&w.unit("ap-hoa", "/inspect")).await;
    page.has("class=\"diff\"").has("-2,5").has("Còn 1 hộ chưa ký cam kết").has("value=\"15/10/2013\"");
    assert_eq!(page.text.matches("class=\"diff\"").count(), 1);
    let judged = registrations::judgements(&w.store, &w.campaign, "ap-hoa").await.unwrap();
    assert_eq!(judged.len(), 1);
    assert!(judged[0].met);
    assert_eq!(
        (judged[0].criterion.as_str(), judged[0].part.as_str(), judged[0].inspector.as_str()),
        ("1.2", "a", "Đoàn kiểm tra huyện Long Hồ")
    );
    let reviewed = registrations::scores(&w.store, &w.campaign, "ap-hoa", ScoreSource::Reviewed).await.unwrap();
    assert_eq!(reviewed["1.1"].points.tenths(), 155);
    // The unit's page shows both columns and classifies on the reviewed score.
    xa.get(&w.unit("ap-hoa", "")).await.has("theo điểm đoàn kiểm tra chấm").has("95,5/100").has("class=\"diff\"").has("Triển khai đầy đủ");
    // An inspector does not edit the unit's facts.
    let refused =
        kiemtra.post(&w.unit("ap-hoa", "/facts/commitments"), &[("group_code", "households"), ("signed", "1"), ("total", "1")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn bad_input_is_explained_next_to_the_field_and_kept() {
    let w = world().await;
    let xa = w.sign_in("xa").await;

    let page = xa.post(&w.unit("ap-hoa", "/facts/commitments"), &[("group_code", "households"), ("signed", "251"), ("total", "250")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.has("Số đã ký (251) không được lớn hơn tổng số (250).").has("value=\"251\"").has("value=\"250\"").has("aria-invalid=\"true\"");

    let page = xa.post(&w.unit("ap-hoa", "/facts/commitments"), &[("group_code", "households"), ("signed", "-3"), ("total", "250")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.has("Không được là số âm.").has("value=\"-3\"");
    assert!(facts::list(&w.store, &w.campaign, "ap-hoa", FactKind::Commitments).await.unwrap().is_empty());

    let page = xa.post(&w.unit("ap-hoa", "/previous-year"), &[("crime", "-3"), ("traffic_accident", "2")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.has("Không được là số âm.").has("value=\"-3\"").has("value=\"2\"");

    let page = xa
        .post(
            &w.unit("ap-hoa", "/facts/incidents"),
            &[
                ("kind", "crime"),
                ("occurred_on", "31/02/2013"),
                ("in_territory", "1"),
                ("by_own_people", "0"),
                ("force_majeure", "0"),
                ("note", "Đánh nhau"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.has("Ngày “31/02/2013” không hợp lệ (dd/mm/yyyy).").has("value=\"31/02/2013\"").has(">Đánh nhau</textarea>");
    assert!(facts::list(&w.store, &w.campaign, "ap-hoa", FactKind::Incidents).await.unwrap().is_empty());

    let page = xa.post(&w.unit("ap-hoa", "/facts/sub_units"), &[("name", "  ")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.has("Không được để trống.");

    let page = xa.post(&w.unit("ap-hoa", "/self-score"), &[("points_1.1", "25"), ("points_1.2", ""), ("points_1.3", "7,5")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.has("Tối đa 20 điểm.").has("value=\"25\"").has("Cần nhập điểm.").has("value=\"7,5\"");
    assert!(registrations::scores(&w.store, &w.campaign, "ap-hoa", ScoreSource::SelfAssessed).await.unwrap().is_empty());

    let mut form = pledges_of_residential_area("31/02/2013");
    form.push(("note_1.1", "Giữ lại ghi chú này"));
    let page = xa.post(&w.unit("ap-hoa", "/register"), &form).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.has("Ngày “31/02/2013” không hợp lệ (dd/mm/yyyy).").has("value=\"Giữ lại ghi chú này\"");
    let page = xa.post(&w.unit("ap-hoa", "/register"), &[("registered_on", "20/05/2013")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.has("Cần đăng ký phấn đấu ít nhất một tiêu chí.");
    assert!(registrations::get(&w.store, &w.campaign, "ap-hoa").await.unwrap().is_none());
}

#[tokio::test]
async fn a_stale_version_is_refused_and_what_was_typed_is_kept() {
    let w = world().await;
    let xa = w.sign_in("xa").await;
    xa.post(&w.unit("ap-hoa", "/facts/commitments"), &[("group_code", "households"), ("signed", "200"), ("total", "250")]).await;
    let record = facts::list(&w.store, &w.campaign, "ap-hoa", FactKind::Commitments).await.unwrap().remove(0);
    let edit = w.unit("ap-hoa", &format!("/facts/commitments/{}", record.id));
    xa.get(&edit).await.has("value=\"200\"").has("name=\"version\" value=\"1\"");

    let saved = xa.post(&edit, &[("version", "1"), ("group_code", "households"), ("signed", "249"), ("total", "250")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    // Someone still holding version 1 is told, and keeps what they typed.
    let stale = xa.post(&edit, &[("version", "1"), ("group_code", "households"), ("signed", "240"), ("total", "250")]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    stale.has("Dữ liệu đã được người khác thay đổi trong lúc bạn nhập").has("value=\"240\"");
    let delete = xa.post(&format!("{edit}/delete"), &[("version", "1")]).await;
    assert_eq!(delete.status, StatusCode::CONFLICT);
    let now = facts::list(&w.store, &w.campaign, "ap-hoa", FactKind::Commitments).await.unwrap().remove(0);
    let Fact::Commitment(c) = &now.fact else { panic!("a commitment: {now:?}") };
    assert_eq!((c.signed, now.version), (249, 2));

    // A second row for the same group is refused next to the field.
    let twice = xa.post(&w.unit("ap-hoa", "/facts/commitments"), &[("group_code", "households"), ("signed", "1"), ("total", "2")]).await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    twice.has("Nhóm “hộ gia đình” đã có số liệu");

    let deleted = xa.post(&format!("{edit}/delete"), &[("version", "2")]).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert!(facts::list(&w.store, &w.campaign, "ap-hoa", FactKind::Commitments).await.unwrap().is_empty());
}

#[tokio::test]
async fn uploads_are_checked_for_size_and_type() {
    let w = world().await;
    let xa = w.sign_in("xa").await;
    let uri = w.unit("ap-hoa", "/evidence");

    // 12,4 MB against the 10 MB default.
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(13_002_342, b'0');
    let page = xa.upload(&uri, "bien-ban.pdf", "application/pdf", &big, true).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.has("Tệp “bien-ban.pdf” (12,4 MB) vượt quá giới hạn 10 MB.");

    let page = xa.upload(&uri, "ghi-chu.txt", "text/plain", b"van ban", true).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.has("Tệp “ghi-chu.txt” không thuộc loại được phép (PDF, JPEG, PNG, DOCX, XLSX).");
    let page = xa.upload(&uri, "anh.pdf", "application/pdf", b"\x89PNG\r\n\x1a\n....", true).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.has("không đúng định dạng PDF");
    let page = xa.upload(&uri, "bien-ban.pdf", "application/pdf", b"%PDF-1.4 ok", false).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(antt_store::evidence::list(&w.store, &w.campaign, "ap-hoa").await.unwrap().is_empty());

    let content = b"%PDF-1.4\nbien ban hop chi bo\n%%EOF".to_vec();
    let page = xa.upload(&uri, "Biên bản họp.pdf", "application/pdf", &content, true).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.text);
    let files = antt_store::evidence::list(&w.store, &w.campaign, "ap-hoa").await.unwrap();
    assert_eq!(
        (files[0].file_name.as_str(), files[0].size, files[0].sha256.clone()),
        ("Biên bản họp.pdf", content.len() as u64, antt_store::sha256_hex(&content))
    );
    xa.get(&uri).await.has("Biên bản họp.pdf").has("Ban Chỉ đạo xã Đồng Phú");

    // Anyone who may read the unit downloads it, as an attachment of the right type.
    let lanhdao = w.sign_in("lanhdao").await;
    let download = lanhdao.get(&format!("{uri}/{}", files[0].id)).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(download.headers[header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("attachment;"));
    assert_eq!(download.body, content);
    // A viewer may not upload.
    assert_eq!(lanhdao.upload(&uri, "x.pdf", "application/pdf", b"%PDF-1.4", true).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn scope_and_roles_are_enforced() {
    let w = world().await;
    let xa = w.sign_in("xa").await;

    // Another commune's unit does not exist for this user, by any address.
    assert_eq!(xa.get(&w.unit("ap-ngu", "")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(xa.get("/units/ap-ngu").await.status, StatusCode::NOT_FOUND);
    assert_eq!(xa.get(&w.unit("ap-ngu", "/register")).await.status, StatusCode::NOT_FOUND);
    let post = xa.post(&w.unit("ap-ngu", "/facts/commitments"), &[("group_code", "households"), ("signed", "1"), ("total", "1")]).await;
    assert_eq!(post.status, StatusCode::NOT_FOUND);
    assert_eq!(xa.get("/c/nope/units/ap-hoa").await.status, StatusCode::NOT_FOUND);

    // A viewer reads but does not write.
    let lanhdao = w.sign_in("lanhdao").await;
    lanhdao.get(&w.unit("ap-ngu", "")).await.has("Ấp Phước Ngươn").lacks("Đăng ký phấn đấu</a>");
    let post =
        lanhdao.post(&w.unit("ap-ngu", "/facts/commitments"), &[("group_code", "households"), ("signed", "1"), ("total", "1")]).await;
    assert_eq!(post.status, StatusCode::FORBIDDEN);
    assert_eq!(
        lanhdao.post(&w.unit("ap-ngu", "/register"), &pledges_of_residential_area("20/05/2013")).await.status,
        StatusCode::FORBIDDEN
    );
    assert!(facts::list(&w.store, &w.campaign, "ap-ngu", FactKind::Commitments).await.unwrap().is_empty());

    // The tree starts at the user's scope, children in Vietnamese order.
    let tree = xa.get("/units").await;
    tree.has("Xã Đồng Phú").lacks("Xã Phước Hậu");
    let hoa = tree.text.find("Ấp Phú Hòa").unwrap();
    let long = tree.text.find("Ấp Phú Long").unwrap();
    assert!(hoa < long, "Hòa sorts before Long");
    let commune = xa.get("/units/29578").await;
    commune.has("2 khu dân cư").has("Phát động năm 2013").has("Tỉnh Vĩnh Long").lacks("href=\"/units/86\"");

    // Search ignores diacritics and stays inside the scope.
    xa.get("/units/search?q=phu+hoa").await.has("Ấp Phú Hòa").lacks("Ấp Phú Long").has("Xã Đồng Phú");
    xa.get("/units/search?q=phuoc").await.has("Tìm thấy 0 đơn vị");
    let tinh = w.sign_in("tinh").await;
    tinh.get("/units/search?q=vinh+long").await.has("Tỉnh Vĩnh Long");
    tinh.get("/units/search?q=long&type=residential_area").await.has("Tìm thấy 1 đơn vị").has("Ấp Phú Long").lacks("Huyện Long Hồ");
    let fragment = tinh.htmx("/units/search?q=phuoc").await;
    fragment.has("Ấp Phước Ngươn").has("Xã Phước Hậu").lacks("<html");
}

#[tokio::test]
async fn facts_locked_by_a_decision_are_refused_with_its_number() {
    let w = world().await;
    let mut tx = w.store.begin().await.unwrap();
    let report = serde_json::json!({});
    let confirmation = antt_store::decisions::Confirmation {
        campaign_id: &w.campaign,
        unit_id: "ap-hoa",
        proposed: "recognised",
        confirmed: "recognised",
        classification: None,
        report: &report,
        note: None,
        unit_revision: 0,
    };
    antt_store::decisions::confirm(&mut tx, "tinh", &confirmation).await.unwrap();
    let decision = antt_store::decisions::NewDecision {
        campaign_id: &w.campaign,
        number: "12/QĐ-UBND",
        decided_on: chrono::NaiveDate::from_ymd_opt(2013, 11, 14).unwrap(),
        signer: "Nguyễn Văn A",
        signer_role: "chu_tich",
        authority: "Chủ tịch Ủy ban nhân dân xã",
        issuer_unit_id: "29578",
        unit_ids: &["ap-hoa"],
        request: None,
    };
    antt_store::decisions::issue(&mut tx, "tinh", &decision).await.unwrap();
    tx.commit().await.unwrap();

    let xa = w.sign_in("xa").await;
    let page = xa.post(&w.unit("ap-hoa", "/facts/commitments"), &[("group_code", "households"), ("signed", "250"), ("total", "250")]).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    page.has("Dữ liệu của đơn vị đã bị khóa bởi quyết định công nhận 12/QĐ-UBND").has("value=\"250\"");
    let scores = [("points_1.1", "20"), ("points_1.2", "20"), ("points_1.3", "20"), ("points_1.4", "20"), ("points_1.5", "20")];
    let page = xa.post(&w.unit("ap-hoa", "/self-score"), &scores).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    page.has("12/QĐ-UBND");
    assert!(facts::list(&w.store, &w.campaign, "ap-hoa", FactKind::Commitments).await.unwrap().is_empty());
    // The unit next door is not locked.
    let page =
        xa.post(&w.unit("ap-long", "/facts/commitments"), &[("group_code", "households"), ("signed", "250"), ("total", "250")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
}
