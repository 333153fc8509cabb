//! The steering pages as people use them in a browser: the worklist, the dashboard that follows
//! every write, launching a campaign, inspection teams, review and decisions that lock the
//! facts (with an audited unlock), the audit log, and the subtree and role checks.

// A test stops at the first surprise, with the value that caused it.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;

use antt_core::access::Role;
use antt_core::fact::Fact;
use antt_core::model::{Commitment, Document};
use antt_core::scoring::Points;
use antt_store::facts::{self, ScoreSource, Writer};
use antt_store::{StoreError, audit, campaigns, decisions, inspection, registrations, users};
use axum::http::StatusCode;
use common::{PASSWORD, Page, World, world};

impl Page {
    /// A number of the dashboard, by the id of its element.
    #[track_caller]
    fn stat(&self, id: &str) -> u32 {
        let start = self.text.find(&format!("id=\"{id}\">")).unwrap_or_else(|| panic!("no {id} in {}", self.text)) + id.len() + 6;
        self.text[start..].split('<').next().unwrap().replace('.', "").parse().unwrap()
    }

    /// The rows of the audit table.
    fn audit_rows(&self) -> usize {
        self.text.matches("<tr class=\"audit-row\"").count()
    }
}

impl World {
    fn writer<'a>(&'a self, unit_id: &'a str) -> Writer<'a> {
        Writer { user_id: &self.users["tinh"], campaign_id: &self.campaign, unit_id }
    }

    /// Records a dated registration document for a unit, as the facts pages do.
    async fn registration_document(&self, unit_id: &str, date: &str) -> Result<String, StoreError> {
        let date = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok();
        let fact = Fact::Document(Document { kind: "registration".to_owned(), number: None, date });
        let mut tx = self.store.begin().await?;
        let id = facts::insert(&mut tx, self.writer(unit_id), &fact).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn commitment(&self, unit_id: &str, signed: u32, total: u32) -> Result<String, StoreError> {
        let fact = Fact::Commitment(Commitment::new("households", signed, total));
        let mut tx = self.store.begin().await?;
        let id = facts::insert(&mut tx, self.writer(unit_id), &fact).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn score(&self, unit_id: &str, source: ScoreSource) {
        let mut tx = self.store.begin().await.unwrap();
        facts::set_score(&mut tx, self.writer(unit_id), source, "1.1", Points::from_tenths(150), None).await.unwrap();
        tx.commit().await.unwrap();
    }
}

#[tokio::test]
async fn the_dashboard_follows_every_write_without_a_restart() {
    let w = world().await;
    let tinh = w.sign_in("tinh").await;

    let latest = tinh.get("/dashboard").await;
    assert_eq!(latest.status, StatusCode::SEE_OTHER);
    assert_eq!(latest.location(), w.c("/dashboard?unit=86"));

    let page = tinh.get(&w.c("/dashboard?unit=86")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.has("<script src=\"/static/chart.umd.min.js\" defer></script>")
        .has(&format!("hx-get=\"/c/{}/dashboard/numbers?unit=86\"", w.campaign))
        .has("hx-trigger=\"every 15s\"")
        .has("<canvas data-chart=\"{&#34;")
        .has("&#34;type&#34;:&#34;bar&#34;")
        .has("&#34;type&#34;:&#34;doughnut&#34;")
        .has(&format!("<a href=\"/c/{}/dashboard?unit=857\">Huyện Long Hồ</a>", w.campaign))
        .has("id=\"n-units\">5<")
        .has("id=\"n-registered\">0<");

    let numbers = w.c("/dashboard/numbers?unit=86");
    tinh.get(&numbers).await.has("id=\"n-registered\">0<").has("id=\"n-self\">0<").lacks("<html");

    // A registration on time and one late, a self-score and a reviewed score: each shows at once.
    w.registration_document("ap-long", "2013-05-10").await.unwrap();
    tinh.get(&numbers).await.has("id=\"n-registered\">1<").has("id=\"n-on-time\">1<").has("id=\"n-late\">0<");
    w.registration_document("ap-ngu", "2013-05-25").await.unwrap();
    tinh.get(&numbers).await.has("id=\"n-registered\">2<").has("id=\"n-late\">1<");
    w.score("ap-long", ScoreSource::SelfAssessed).await;
    w.score("ap-hoa", ScoreSource::Reviewed).await;
    tinh.get(&numbers).await.has("id=\"n-self\">1<").has("id=\"n-inspected\">1<");

    // A commitment short of every household makes Ấp Phú Hòa (undecided so far) fail criterion
    // 1.1: one more unit not recognised, at once.
    let commune = w.c("/dashboard/numbers?unit=29578");
    let before = tinh.get(&commune).await.stat("n-not-recognised");
    let undecided = tinh.get(&commune).await.stat("n-incomplete");
    w.commitment("ap-hoa", 80, 100).await.unwrap();
    let after = tinh.get(&commune).await;
    assert_eq!((after.stat("n-not-recognised"), after.stat("n-incomplete")), (before + 1, undecided - 1));

    // By child unit: the commune's row counts its areas and itself.
    let commune = tinh.get(&w.c("/dashboard?unit=857")).await;
    commune.has(&format!(
        "<a href=\"/c/{}/dashboard?unit=29578\">Xã Đồng Phú</a></td><td class=\"num\">3</td><td class=\"num\">1</td>",
        w.campaign
    ));
}

#[tokio::test]
async fn a_commune_sees_only_its_subtree() {
    let w = world().await;
    let xa = w.sign_in("xa").await;

    let latest = xa.get("/dashboard").await;
    assert_eq!(latest.location(), w.c("/dashboard?unit=29578"));
    let own = xa.get(&w.c("/dashboard?unit=29578")).await;
    assert_eq!(own.status, StatusCode::OK);
    own.has("Ấp Phú Long").has("Ấp Phú Hòa").lacks("Xã Phước Hậu").lacks("Ấp Phước Ngươn").lacks("Huyện Long Hồ");
    // Without a unit the page shows the user's own.
    xa.get(&w.c("/dashboard")).await.has("Tổng quan: Xã Đồng Phú");

    for other in ["29584", "ap-ngu", "86", "857", "khong-co"] {
        assert_eq!(xa.get(&w.c(&format!("/dashboard?unit={other}"))).await.status, StatusCode::NOT_FOUND, "{other}");
        assert_eq!(xa.get(&w.c(&format!("/dashboard/numbers?unit={other}"))).await.status, StatusCode::NOT_FOUND, "{other}");
    }
    assert_eq!(xa.get("/c/khong-co/dashboard").await.status, StatusCode::NOT_FOUND);

    // The review list shows only the commune's areas too.
    let review = xa.get(&w.c("/review?unit=29578")).await;
    assert_eq!(review.status, StatusCode::OK);
    review.has("Ấp Phú Long").lacks("Ấp Phước Ngươn");
    assert_eq!(xa.get(&w.c("/review?unit=29584")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_worklist_shows_deadlines_returns_and_assignments() {
    let w = world().await;
    // Ấp Phú Hòa registered late; Ấp Phước Ngươn (the other commune) registered and was returned.
    w.registration_document("ap-hoa", "2013-05-25").await.unwrap();
    let pledges = BTreeMap::new();
    let mut tx = w.store.begin().await.unwrap();
    let submission = registrations::Submission {
        pledges: &pledges,
        registered_on: chrono::NaiveDate::from_ymd_opt(2013, 5, 20).unwrap(),
        on_time: true,
        copy: serde_json::json!({}),
        receipt_prefix: "PV28-2013",
        replaces_version: None,
    };
    let row = registrations::submit(&mut tx, w.writer("ap-ngu"), &submission).await.unwrap();
    registrations::return_for_correction(&mut tx, w.writer("ap-ngu"), row.version, "Thiếu nghị quyết của chi bộ").await.unwrap();
    tx.commit().await.unwrap();

    let xa = w.sign_in("xa").await;
    let home = xa.get("/").await;
    home.has("Phát động năm 2013")
        // The commune's own page is one click away.
        .has(&format!("Đơn vị của bạn: <a href=\"/c/{}/units/29578\">Xã Đồng Phú</a>", w.campaign))
        .has("Đơn vị cần đăng ký")
        .has(&format!("<a href=\"/c/{}/units/ap-long/register\">Ấp Phú Long</a>", w.campaign))
        .has("Hạn 22/05/2013 — quá hạn")
        .has("Đăng ký trễ hạn")
        .has("trễ 3 ngày (hạn 22/05/2013)")
        .lacks("Ấp Phước Ngươn")
        .lacks("Bản đăng ký bị trả lại");

    let tinh = w.sign_in("tinh").await;
    tinh.get("/")
        .await
        .has("Bản đăng ký bị trả lại để sửa")
        .has("Lý do: Thiếu nghị quyết của chi bộ")
        .has(&format!("<a href=\"/c/{}/units/ap-ngu/register\">Ấp Phước Ngươn</a>", w.campaign));

    // An inspector sees nothing to do until a team assigns a unit to them.
    let kiemtra = w.sign_in("kiemtra").await;
    kiemtra.get("/").await.has("Không có việc nào đang chờ bạn").lacks("Đơn vị cần đăng ký");
    let mut tx = w.store.begin().await.unwrap();
    let by = inspection::By { user_id: &w.users["tinh"], campaign_id: &w.campaign, scope_unit_id: "86" };
    let input = inspection::TeamInput {
        name: "Đoàn số 1",
        starts_on: chrono::NaiveDate::from_ymd_opt(2013, 10, 11).unwrap(),
        ends_on: chrono::NaiveDate::from_ymd_opt(2013, 10, 20).unwrap(),
    };
    let team = inspection::create_team(&mut tx, by, &input).await.unwrap();
    inspection::add_member(&mut tx, by, &team, &w.users["kiemtra"], inspection::MEMBER).await.unwrap();
    inspection::assign(&mut tx, by, &team, "ap-hoa").await.unwrap();
    tx.commit().await.unwrap();
    kiemtra
        .get("/")
        .await
        .has("Được phân công kiểm tra, chưa chấm điểm")
        .has(&format!("<a href=\"/c/{}/units/ap-hoa/inspect\">Ấp Phú Hòa</a>", w.campaign));
    w.score("ap-hoa", ScoreSource::Reviewed).await;
    kiemtra.get("/").await.lacks("Được phân công kiểm tra, chưa chấm điểm");
}

#[tokio::test]
async fn launching_a_campaign_validates_in_vietnamese_and_keeps_the_input() {
    let w = world().await;
    let tinh = w.sign_in("tinh").await;
    let form = tinh.get("/campaigns/new").await;
    assert_eq!(form.status, StatusCode::OK);
    form.has("name=\"setting.tt124-2025.commune_recogniser\"").has("Chủ tịch UBND cấp tỉnh");

    let bad = tinh
        .post(
            "/campaigns/new",
            &[
                ("title", "  "),
                ("plan_number", "15/KH-UBND"),
                ("plan_date", "31/02/2022"),
                ("year", "2022"),
                ("ruleset", "tt124-2021"),
                ("scope_unit", "86"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.has("Không được để trống.")
        .has("Ngày “31/02/2022” không hợp lệ (dd/mm/yyyy).")
        .has("value=\"15/KH-UBND\"")
        .has("value=\"31/02/2022\"")
        .has("value=\"2022\"")
        .has("<option value=\"tt124-2021\" selected>")
        .has("aria-invalid=\"true\"");

    // A plan dated outside the ruleset's validity, a year out of range, a setting not allowed.
    let outside = tinh
        .post(
            "/campaigns/new",
            &[
                ("title", "Phát động năm 2023"),
                ("plan_date", "10/01/2023"),
                ("year", "2023"),
                ("ruleset", "vinh-long-2013"),
                ("scope_unit", "86"),
            ],
        )
        .await;
    assert_eq!(outside.status, StatusCode::UNPROCESSABLE_ENTITY);
    outside.has("nằm ngoài thời gian này").has("value=\"Phát động năm 2023\"");
    let setting = tinh
        .post(
            "/campaigns/new",
            &[
                ("title", "Phát động năm 2025"),
                ("plan_date", "01/08/2025"),
                ("year", "3025"),
                ("ruleset", "tt124-2025"),
                ("scope_unit", "86"),
                ("setting.tt124-2025.commune_recogniser", "ministry"),
            ],
        )
        .await;
    assert_eq!(setting.status, StatusCode::UNPROCESSABLE_ENTITY);
    setting.has("Năm phải trong khoảng 2000–2100.").has("Giá trị “ministry” không được bộ tiêu chí cho phép.");
    assert_eq!(campaigns::list(&w.store).await.unwrap().len(), 1, "nothing was stored");

    // Valid: stored, audited, and its deadlines computed by unit type.
    let ok = tinh
        .post(
            "/campaigns/new",
            &[
                ("title", "Phát động năm 2025"),
                ("plan_number", "120/KH-UBND"),
                ("plan_date", "01/08/2025"),
                ("year", "2025"),
                ("ruleset", "tt124-2025"),
                ("scope_unit", "86"),
                ("setting.tt124-2025.commune_recogniser", "commune_committee"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);
    let created = campaigns::list(&w.store).await.unwrap().into_iter().find(|c| c.year == 2025).unwrap();
    assert_eq!(ok.location(), format!("/campaigns/{}", created.id));
    assert_eq!(created.settings.get("commune_recogniser").map(String::as_str), Some("commune_committee"));
    let shown = tinh.get(ok.location()).await;
    shown
        .has("120/KH-UBND")
        .has("01/08/2025")
        .has("31/03/2025")
        .has("01/11/2024 – 31/10/2025")
        .has("14/11/2025 (trước ngày 15/11)")
        .has("19/11/2025 (trước ngày 20/11)")
        .has("Chủ tịch UBND cấp xã");
    assert!(!shown.text.contains("Chủ tịch UBND cấp tỉnh"), "the chosen setting decides who recognises communes");
    tinh.get("/campaigns?q=nam%202025").await.has("Phát động năm 2025").lacks("Phát động năm 2013");

    // The 2013 campaign: registration 20 days after the plan, inspection in mid-October.
    tinh.get(&format!("/campaigns/{}", w.campaign)).await.has("22/05/2013").has("từ 11/10/2013 đến 20/10/2013 (trung tuần tháng 10)");

    // A commune cannot launch campaigns.
    let xa = w.sign_in("xa").await;
    assert_eq!(xa.get("/campaigns/new").await.status, StatusCode::FORBIDDEN);
    let refused = xa
        .post(
            "/campaigns/new",
            &[("title", "X"), ("plan_date", "01/08/2025"), ("year", "2025"), ("ruleset", "tt124-2025"), ("scope_unit", "29578")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // …and sees the campaigns that cover it, not the one it cannot reach.
    xa.get("/campaigns").await.has("Phát động năm 2013");
}

#[tokio::test]
async fn inspection_teams_are_formed_and_assigned() {
    let w = world().await;
    let tinh = w.sign_in("tinh").await;
    let page = tinh.get(&w.c("/inspection")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.has("từ 11/10/2013 đến 20/10/2013").has("Chưa có đoàn kiểm tra nào.");

    let bad = tinh.post(&w.c("/inspection/teams"), &[("name", ""), ("starts_on", "20/10/2013"), ("ends_on", "11/10/2013")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.has("Không được để trống.").has("Ngày kết thúc phải sau ngày bắt đầu.").has("value=\"20/10/2013\"");

    let made = tinh
        .post(&w.c("/inspection/teams"), &[("name", "Đoàn kiểm tra số 1"), ("starts_on", "11/10/2013"), ("ends_on", "20/10/2013")])
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text);
    let team = inspection::teams(&w.store, &w.campaign).await.unwrap().remove(0);
    assert_eq!(made.location(), w.c(&format!("/inspection?team={}#team-{}", team.id, team.id)));

    let members = w.c(&format!("/inspection/teams/{}/members", team.id));
    let nobody = tinh.post(&members, &[("username", "khongco"), ("role", "thanh_vien")]).await;
    assert_eq!(nobody.status, StatusCode::UNPROCESSABLE_ENTITY);
    nobody.has("Không có người dùng “khongco”.").has("value=\"khongco\"");
    assert_eq!(tinh.post(&members, &[("username", "kiemtra"), ("role", "truong_doan")]).await.status, StatusCode::SEE_OTHER);

    let search = tinh.get(&w.c(&format!("/inspection?team={}&q=phu%20long", team.id))).await;
    search.has("Ấp Phú Long").has("Phân công").lacks("Ấp Phước Ngươn").has("Nguyễn Văn Kiểm").has("Trưởng đoàn");
    let assign = w.c(&format!("/inspection/teams/{}/units", team.id));
    assert_eq!(tinh.post(&assign, &[("unit_id", "ap-long"), ("q", "phu long")]).await.status, StatusCode::SEE_OTHER);
    let assigned = inspection::assigned_to(&w.store, &w.campaign, &w.users["kiemtra"]).await.unwrap();
    assert!(assigned.contains("ap-long") && !assigned.contains("ap-hoa"), "{assigned:?}");
    // A province is not inspected.
    assert_eq!(tinh.post(&assign, &[("unit_id", "86")]).await.status, StatusCode::UNPROCESSABLE_ENTITY);

    // A stale version of the team is refused with the conflict message, keeping the input.
    let edit = w.c(&format!("/inspection/teams/{}", team.id));
    let stale =
        tinh.post(&edit, &[("name", "Đoàn số 1 (sửa)"), ("starts_on", "12/10/2013"), ("ends_on", "20/10/2013"), ("version", "7")]).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    stale.has("Dữ liệu đã được người khác thay đổi").has("value=\"Đoàn số 1 (sửa)\"");
    let fresh = tinh
        .post(
            &edit,
            &[("name", "Đoàn số 1 (sửa)"), ("starts_on", "12/10/2013"), ("ends_on", "20/10/2013"), ("version", &team.version.to_string())],
        )
        .await;
    assert_eq!(fresh.status, StatusCode::SEE_OTHER);
    tinh.get(&w.c("/inspection")).await.has("Đoàn số 1 (sửa)").has("12/10/2013 – 20/10/2013");

    // Only those who manage the campaign's scope form teams.
    let xa = w.sign_in("xa").await;
    assert_eq!(xa.get(&w.c("/inspection")).await.status, StatusCode::NOT_FOUND);
    let kiemtra = w.sign_in("kiemtra").await;
    assert_eq!(
        kiemtra.post(&w.c("/inspection/teams"), &[("name", "X"), ("starts_on", "11/10/2013"), ("ends_on", "20/10/2013")]).await.status,
        StatusCode::NOT_FOUND
    );
    let audited =
        audit::list(&w.store, &audit::Filter { entity: Some("inspection_teams".into()), ..Default::default() }, 1, 50).await.unwrap();
    assert_eq!(audited.1, 4, "create, add member, assign, update are audited");
}

#[tokio::test]
async fn a_decision_locks_the_units_and_an_unlock_with_a_reason_reopens_them() {
    let w = world().await;
    let tinh = w.sign_in("tinh").await;
    let review = tinh.get(&w.c("/review?unit=29578")).await;
    assert_eq!(review.status, StatusCode::OK);
    review.has("Ấp Phú Long").has("data-proposed=\"incomplete\"").has("Còn thiếu dữ liệu");

    // A different outcome than the rules propose needs a note; what was typed is kept.
    let confirm = w.c("/review/confirm");
    let no_note = tinh.post(&confirm, &[("unit_id", "ap-long"), ("outcome", "recognised"), ("note", " "), ("back", "29578")]).await;
    assert_eq!(no_note.status, StatusCode::UNPROCESSABLE_ENTITY);
    no_note.has("Kết quả khác với đề xuất theo tiêu chí (Chưa đủ dữ liệu): cần ghi rõ lý do.");
    let note = "Đoàn kiểm tra xác nhận đủ điều kiện tại chỗ";
    // Recognising it against missing data needs the box ticked that says the reviewer saw it;
    // the refusal lists what is missing and keeps the note.
    let unticked = tinh.post(&confirm, &[("unit_id", "ap-long"), ("outcome", "recognised"), ("note", note), ("back", "29578")]).await;
    assert_eq!(unticked.status, StatusCode::UNPROCESSABLE_ENTITY);
    unticked.has("mục thiếu dữ liệu (").has("Muốn xác nhận “Đạt chuẩn” cần đánh dấu đã xem các mục này.").has(note);
    let done = tinh
        .post(&confirm, &[("unit_id", "ap-long"), ("outcome", "recognised"), ("note", note), ("acknowledged", "1"), ("back", "29578")])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    assert_eq!(done.location(), w.c("/review?unit=29578#u-ap-long"));
    let verdict = decisions::verdict(&w.store, &w.campaign, "ap-long").await.unwrap().unwrap();
    assert_eq!((verdict.proposed_outcome.as_str(), verdict.confirmed_outcome.as_str()), ("incomplete", "recognised"));
    assert_eq!(verdict.note.as_deref(), Some(note));
    assert!(verdict.report.contains("\"outcome\":\"incomplete\""), "the report is kept as it stood");
    tinh.get(&w.c("/review?unit=29578")).await.has(note).has("Thường trực Ban Chỉ đạo tỉnh");

    // Issuing: the commune's People's Committee recognises its residential areas (the plan of
    // 2013), so the province's standing office does not issue this decision, and its review page
    // offers it nothing to list.
    let issue = w.c("/decisions");
    let xa = w.sign_in("xa").await;
    let decision =
        [("unit", "29578"), ("number", "12/QĐ-UBND"), ("decided_on", "20/11/2013"), ("signer", "Trần Văn Bình"), ("units", "ap-long")];
    let by_province = tinh.post(&issue, &decision).await;
    assert_eq!(by_province.status, StatusCode::FORBIDDEN);
    by_province.has("Quyết định này thuộc thẩm quyền Chủ tịch Ủy ban nhân dân xã Đồng Phú");
    tinh.get(&w.c("/review?unit=29578")).await.lacks("name=\"units\" value=\"ap-long\"");
    xa.get(&w.c("/review?unit=29578")).await.has("name=\"units\" value=\"ap-long\"");
    // Validated, then stored with its annex, and the units' facts locked.
    let bad = xa.post(&issue, &[("unit", "29578"), ("number", "12"), ("decided_on", "20/11/2013"), ("signer", "")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.has("Số quyết định cần có dạng số/ký hiệu").has("Cần chọn ít nhất một đơn vị").has("value=\"12\"");
    let issued = xa.post(&issue, &decision).await;
    assert_eq!(issued.status, StatusCode::SEE_OTHER, "{}", issued.text);
    let decision_page = issued.location().to_owned();
    assert!(decision_page.starts_with(&w.c("/decisions/")));
    xa.get(&decision_page).await.has("Quyết định số 12/QĐ-UBND").has("20/11/2013").has("Ấp Phú Long").has("data-lock=\"locked\"");

    let refused = w.commitment("ap-long", 100, 100).await.unwrap_err();
    assert!(matches!(refused, StoreError::Locked(_)));
    assert_eq!(refused.to_string(), "dữ liệu của đơn vị đã bị khóa bởi quyết định công nhận 12/QĐ-UBND");
    // The other area is not in the decision and stays open.
    w.commitment("ap-hoa", 100, 100).await.unwrap();
    // Nor can the locked unit be confirmed again.
    let again = tinh.post(&confirm, &[("unit_id", "ap-long"), ("outcome", "not_recognised"), ("note", "x"), ("back", "29578")]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);

    // An unlock needs a reason; with one, writes are allowed again. Only the committee that
    // issued the decision lifts its lock.
    let unlock = format!("{decision_page}/unlock");
    assert_eq!(tinh.post(&unlock, &[("unit_id", "ap-long"), ("reason", "Sửa")]).await.status, StatusCode::FORBIDDEN);
    let no_reason = xa.post(&unlock, &[("unit_id", "ap-long"), ("reason", "")]).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    no_reason.has("Cần ghi lý do mở khóa");
    w.commitment("ap-long", 100, 100).await.unwrap_err();
    let reason = "Sửa số hộ cam kết theo biên bản kiểm tra";
    let unlocked = xa.post(&unlock, &[("unit_id", "ap-long"), ("reason", reason)]).await;
    assert_eq!(unlocked.status, StatusCode::SEE_OTHER, "{}", unlocked.text);
    w.commitment("ap-long", 100, 100).await.unwrap();
    xa.get(&decision_page).await.has("data-lock=\"unlocked\"");
    // Locked again once corrected.
    assert_eq!(xa.post(&format!("{decision_page}/relock"), &[("unit_id", "ap-long")]).await.status, StatusCode::SEE_OTHER);
    assert!(matches!(w.registration_document("ap-long", "2013-05-10").await, Err(StoreError::Locked(_))));

    // All of it is in the audit log.
    let log = |action: &'static str| {
        let store = w.store.clone();
        async move { audit::list(&store, &audit::Filter { action: Some(action.into()), ..Default::default() }, 1, 50).await.unwrap() }
    };
    assert_eq!(log("confirm").await.1, 1);
    assert_eq!(log("issue").await.1, 1);
    assert_eq!(log("lock").await.1, 2, "issued, then locked again");
    let (unlocks, n) = log("unlock").await;
    assert_eq!(n, 1);
    assert!(unlocks[0].after.as_deref().unwrap().contains(reason));
    assert_eq!(unlocks[0].user.as_deref(), Some("xa"));
    assert_eq!(unlocks[0].unit_id.as_deref(), Some("ap-long"));
}

#[tokio::test]
async fn minutes_and_proposals_are_recorded() {
    let w = world().await;
    let xa = w.sign_in("xa").await;
    let minutes = w.c("/review/minutes");
    let bad = xa
        .post(
            &minutes,
            &[
                ("unit_id", "29578"),
                ("held_on", "15/11"),
                ("chair", "Ông Lê Văn Chủ"),
                ("attendees", ""),
                ("conclusions", "Đề nghị công nhận"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.has("Ngày “15/11” không hợp lệ (dd/mm/yyyy).").has("value=\"Ông Lê Văn Chủ\"").has(">Đề nghị công nhận</textarea>");
    let ok = xa
        .post(
            &minutes,
            &[
                ("unit_id", "29578"),
                ("held_on", "15/11/2013"),
                ("chair", "Ông Lê Văn Chủ"),
                ("attendees", "Bí thư chi bộ, Mặt trận"),
                ("conclusions", "Đề nghị công nhận"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);

    let proposals = w.c("/review/proposals");
    let empty = xa.post(&proposals, &[("unit_id", "ap-hoa"), ("kind", "phe_binh"), ("reason", ""), ("back", "29578")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    empty.has("Không được để trống.");
    for (unit, kind, reason) in [("ap-long", "khen_thuong", "Không có tội phạm trong năm"), ("ap-hoa", "phe_binh", "Đăng ký trễ hạn")]
    {
        let done = xa.post(&proposals, &[("unit_id", unit), ("kind", kind), ("reason", reason), ("back", "29578")]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    }
    // Not for a unit of another commune.
    assert_eq!(
        xa.post(&proposals, &[("unit_id", "ap-ngu"), ("kind", "phe_binh"), ("reason", "x"), ("back", "29578")]).await.status,
        StatusCode::NOT_FOUND
    );
    let page = xa.get(&w.c("/review?unit=29578")).await;
    page.has("Ngày 15/11/2013").has("Bí thư chi bộ, Mặt trận").has("<strong>Ấp Phú Long</strong>: Không có tội phạm trong năm");
    let commend = page.text.find("data-kind=\"khen_thuong\"").unwrap();
    let criticise = page.text.find("data-kind=\"phe_binh\"").unwrap();
    assert!(page.text[criticise..].contains("Đăng ký trễ hạn") && !page.text[commend..criticise].contains("Đăng ký trễ hạn"));
}

#[tokio::test]
async fn the_audit_log_filters_and_stays_in_the_subtree() {
    let w = world().await;
    let tinh = w.sign_in("tinh").await;
    let confirm = w.c("/review/confirm");
    for (unit, back) in [("ap-long", "29578"), ("ap-ngu", "29584")] {
        let done =
            tinh.post(&confirm, &[("unit_id", unit), ("outcome", "not_recognised"), ("note", "Chưa đủ hồ sơ"), ("back", back)]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    }
    w.commitment("ap-hoa", 90, 100).await.unwrap();

    let all = tinh.get("/audit").await;
    assert_eq!(all.status, StatusCode::OK);
    let total = all.audit_rows();
    assert!(total >= 4, "{}", all.text);
    all.has("Xác nhận kết quả").has("Kết quả xác nhận: Chưa đạt chuẩn").has("Ghi chú: Chưa đủ hồ sơ");

    let confirms = tinh.get("/audit?action=confirm").await;
    assert_eq!(confirms.audit_rows(), 2);
    assert_eq!(confirms.text.matches("data-action=\"confirm\"").count(), 2);
    let one_unit = tinh.get("/audit?action=confirm&unit=ap-ngu").await;
    assert_eq!(one_unit.audit_rows(), 1);
    one_unit.has("Ấp Phước Ngươn").has("<span class=\"muted\">Ấp Phước Ngươn</span>");
    let commitments = tinh.get("/audit?entity=commitments").await;
    assert_eq!(commitments.audit_rows(), 1);
    // Codes are shown by their names in the ruleset, technical fields not at all.
    commitments.has("hộ gia đình").lacks(">households<").lacks("campaign_id");
    assert_eq!(tinh.get("/audit?user=xa").await.audit_rows(), 0);
    assert_eq!(tinh.get("/audit?user=tinh&action=confirm").await.audit_rows(), 2);
    assert_eq!(tinh.get("/audit?from=01/01/2999").await.audit_rows(), 0);
    let yesterday = (chrono::Utc::now() - chrono::Duration::hours(24)).format("%d/%m/%Y").to_string();
    assert_eq!(tinh.get(&format!("/audit?from={yesterday}&action=confirm")).await.audit_rows(), 2);

    let bad = tinh.get("/audit?from=31/13/2020&user=tinh").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.has("Ngày “31/13/2020” không hợp lệ (dd/mm/yyyy).").has("value=\"tinh\"");

    // The commune reads its own subtree only.
    let xa = w.sign_in("xa").await;
    let own = xa.get("/audit?action=confirm").await;
    assert_eq!(own.audit_rows(), 1);
    own.has("Ấp Phú Long").lacks("Ấp Phước Ngươn");
    let other = xa.get("/audit?unit=ap-ngu").await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
    other.has("Không có đơn vị mã “ap-ngu” trong phạm vi bạn được xem.");
    // Leadership that only reads has no audit log.
    let lanhdao = w.sign_in("lanhdao").await;
    assert_eq!(lanhdao.get("/audit").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn roles_do_only_their_part() {
    let w = world().await;
    let tinh = w.sign_in("tinh").await;
    let note = [("unit_id", "ap-long"), ("outcome", "recognised"), ("note", "Đủ điều kiện"), ("acknowledged", "1"), ("back", "29578")];
    assert_eq!(tinh.post(&w.c("/review/confirm"), &note).await.status, StatusCode::SEE_OTHER);
    let decision =
        [("unit", "29578"), ("number", "12/QĐ-UBND"), ("decided_on", "20/11/2013"), ("signer", "Trần Văn Bình"), ("units", "ap-long")];

    // An inspector may not issue decisions, nor the province for a commune's area; a viewer may
    // not confirm.
    let kiemtra = w.sign_in("kiemtra").await;
    assert_eq!(kiemtra.post(&w.c("/decisions"), &decision).await.status, StatusCode::FORBIDDEN);
    assert_eq!(kiemtra.post(&w.c("/review/confirm"), &note).await.status, StatusCode::FORBIDDEN);
    assert_eq!(tinh.post(&w.c("/decisions"), &decision).await.status, StatusCode::FORBIDDEN);
    tinh.get(&w.c("/review?unit=29578")).await.has("Xác nhận lại").lacks("name=\"units\" value=\"ap-long\"");
    let xa = w.sign_in("xa").await;
    let lanhdao = w.sign_in("lanhdao").await;
    assert_eq!(lanhdao.post(&w.c("/review/confirm"), &note).await.status, StatusCode::FORBIDDEN);
    assert_eq!(lanhdao.get(&w.c("/review?unit=29578")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(lanhdao.get(&w.c("/dashboard?unit=29578")).await.status, StatusCode::OK);
    assert!(decisions::list_under(&w.store, &w.campaign, "/").await.unwrap().is_empty(), "nothing was issued");

    // The commune issues it; then a viewer reads the decision but cannot unlock it, nor can the
    // province undo the commune's decision.
    let issued = xa.post(&w.c("/decisions"), &decision).await;
    assert_eq!(issued.status, StatusCode::SEE_OTHER, "{}", issued.text);
    let page = lanhdao.get(issued.location()).await;
    assert_eq!(page.status, StatusCode::OK);
    page.has("Ấp Phú Long").lacks("Mở khóa để sửa");
    let unlock = format!("{}/unlock", issued.location());
    assert_eq!(lanhdao.post(&unlock, &[("unit_id", "ap-long"), ("reason", "Sửa")]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(tinh.post(&unlock, &[("unit_id", "ap-long"), ("reason", "Sửa")]).await.status, StatusCode::FORBIDDEN);
    assert!(decisions::lock_of(&w.store, &w.campaign, "ap-long").await.unwrap().is_some());
    // A commune of another subtree does not even see the decision's annex.
    let mut tx = w.store.begin().await.unwrap();
    let other = users::create(&mut tx, None, "xa2", "Ban Chỉ đạo xã Phước Hậu", PASSWORD).await.unwrap();
    users::grant(&mut tx, None, &other, Role::Commune, "29584").await.unwrap();
    tx.commit().await.unwrap();
    let xa2 = w.sign_in("xa2").await;
    assert_eq!(xa2.get(issued.location()).await.status, StatusCode::NOT_FOUND);
}
