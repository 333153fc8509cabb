//! Imports through the store: all or nothing, checks against the database reported as row
//! problems, one audit record and one revision bump per import. SQLite by default, PostgreSQL
//! when ANTT_TEST_POSTGRES names a server.
#![allow(clippy::unwrap_used)]

use antt_core::fact::{Fact, FactKind};
use antt_import::{Kind, Limits, Parsed};
use antt_store::imports::{self, Target};
use antt_store::units::NewUnit;
use antt_store::{Store, campaigns, facts, testing, units, users};
use sqlx::Row;

/// A commitment record's group, signed and total.
fn commitment(r: &facts::Stored) -> (&str, u32, u32) {
    match &r.fact {
        Fact::Commitment(c) => (c.group.as_str(), c.signed, c.total),
        other => panic!("a commitment: {other:?}"),
    }
}

fn unit(id: &str, name: &str, unit_type: &str, parent: Option<&str>) -> NewUnit {
    NewUnit { id: id.into(), name: name.into(), unit_type: unit_type.into(), parent_id: parent.map(Into::into), ..NewUnit::default() }
}

struct Fixture {
    store: Store,
    campaign: campaigns::CampaignRow,
    user: String,
    /// The territorial unit types of `vinh-long-2013`.
    territorial: Vec<String>,
}

async fn fixture() -> Fixture {
    let store = testing::fresh_store().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    units::insert_many(
        &mut tx,
        None,
        &[
            unit("86", "Tỉnh Vĩnh Long", "province", None),
            unit("857", "Huyện Long Hồ", "district", Some("86")),
            unit("29578", "Xã Đồng Phú", "commune", Some("857")),
            unit("ap1", "Ấp Phú Hòa", "residential_area", Some("29578")),
            unit("ap2", "Ấp Hòa Quới", "residential_area", Some("29578")),
            unit("29590", "Xã Hòa Ninh", "commune", Some("857")),
            unit("ap9", "Ấp Xa", "residential_area", Some("29590")),
        ],
    )
    .await
    .unwrap();
    let user = users::create(&mut tx, None, "xa-dong-phu", "Cán bộ xã", "mat-khau-dai").await.unwrap();
    let campaign = campaigns::create(&mut tx, Some(&user), &testing::vinh_long_2013("Phát động năm 2013")).await.unwrap();
    tx.commit().await.unwrap();
    Fixture { store, campaign, user, territorial: vec!["residential_area".into()] }
}

fn vinh_long_2013() -> antt_core::Ruleset {
    antt_core::ruleset::built_in_named("vinh-long-2013").unwrap().unwrap()
}

/// The list of the ruleset's units of one type.
fn kind(unit_type: &str) -> Kind {
    Kind::parse(unit_type, &vinh_long_2013()).unwrap()
}

/// The list of the ruleset's schools.
fn schools() -> Kind {
    kind("school")
}

impl Fixture {
    fn target<'a>(&'a self, root: &'a str) -> Target<'a> {
        Target {
            campaign_id: &self.campaign.id,
            root_unit_id: root,
            user_id: Some(&self.user),
            file_name: "tep.csv",
            check: imports::NO_FACT_CHECK,
            territorial_types: &self.territorial,
        }
    }

    fn parse(&self, kind: Kind, csv: &str) -> Parsed {
        let vocabulary = vinh_long_2013().vocabulary;
        let parsed = antt_import::parse(kind, csv.as_bytes(), "tep.csv", &vocabulary, &Limits::default(), &mut |_| {});
        assert!(parsed.is_clean(), "{:?}", parsed.problems);
        parsed
    }

    async fn count(&self, sql: &str) -> i64 {
        sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .bind(&self.campaign.id)
            .fetch_one(self.store.pool())
            .await
            .unwrap()
            .try_get("n")
            .unwrap()
    }

    async fn imports_audited(&self) -> i64 {
        self.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'import' AND campaign_id = $1").await
    }
}

fn messages(problems: &[antt_import::Problem]) -> Vec<String> {
    problems.iter().map(ToString::to_string).collect()
}

#[tokio::test]
async fn a_household_list_is_imported_whole_and_sets_the_commitment_counts() {
    let f = fixture().await;
    let revision = campaigns::revision(&f.store, &f.campaign.id).await.unwrap();
    let csv = "Khu dân cư,Chủ hộ,Địa chỉ,Đã ký cam kết,Ngày ký\n\
               Ấp Phú Hòa,Nguyễn Văn An,Số 1,có,02/05/2013\n\
               ap1,Trần Thị Bé,Số 2,không,\n\
               ap phu hoa,Lê Văn Cường,,có,03/05/2013\n\
               Ấp Hòa Quới,Đỗ Văn Dũng,,có,04/05/2013\n";
    let mut parsed = f.parse(Kind::Households, csv);
    imports::check(&f.store, f.target("29578"), &mut parsed).await.unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.problems);
    let mut progress = Vec::new();
    let outcome = imports::import(&f.store, f.target("29578"), &parsed, &mut |n| progress.push(n)).await.unwrap();
    assert_eq!((outcome.imported, outcome.units), (4, 2));
    assert!(outcome.problems.is_empty());
    assert_eq!(progress.last(), Some(&4));

    let list = imports::households(&f.store, &f.campaign.id, "ap1").await.unwrap();
    assert_eq!(list.iter().map(|h| h.household_head.as_str()).collect::<Vec<_>>(), ["Nguyễn Văn An", "Trần Thị Bé", "Lê Văn Cường"]);
    assert_eq!(list[0].signed_on.as_deref(), Some("2013-05-02"));
    let commitments = facts::list(&f.store, &f.campaign.id, "ap1", FactKind::Commitments).await.unwrap();
    assert_eq!(commitments.len(), 1);
    assert_eq!(commitment(&commitments[0]), ("households", 2, 3));
    assert_eq!(f.imports_audited().await, 1, "one audit record for the whole import");
    assert_eq!(campaigns::revision(&f.store, &f.campaign.id).await.unwrap(), revision + 1, "one revision bump");

    // A new list of the same area replaces the old one and the counts follow it.
    let again = f.parse(Kind::Households, "Chủ hộ,Đã ký cam kết\nNguyễn Văn An,có\nTrần Thị Bé,có\n");
    imports::import(&f.store, f.target("ap1"), &again, &mut |_| {}).await.unwrap();
    let commitments = facts::list(&f.store, &f.campaign.id, "ap1", FactKind::Commitments).await.unwrap();
    assert_eq!((commitments.len(), commitment(&commitments[0])), (1, ("households", 2, 2)));
    assert_eq!(f.count("SELECT COUNT(*) AS n FROM household_commitments WHERE campaign_id = $1 AND unit_id = 'ap1'").await, 2);
    assert_eq!(imports::households(&f.store, &f.campaign.id, "ap2").await.unwrap().len(), 1, "other areas keep theirs");
}

#[tokio::test]
async fn a_file_with_any_problem_writes_nothing() {
    let f = fixture().await;
    // Lock Ấp Hòa Quới with an issued decision.
    for sql in [
        "INSERT INTO decisions (id, campaign_id, number, decided_on, signer, authority, issued_by, issued_at) VALUES ('d1', $1, '12/QĐ-UBND', '2013-12-01', 'A', 'UBND', 'x', '2013-12-01T00:00:00Z')",
        "INSERT INTO locks (campaign_id, unit_id, decision_id) VALUES ($1, 'ap2', 'd1')",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())).bind(&f.campaign.id).execute(f.store.pool()).await.unwrap();
    }
    let csv = "Khu dân cư,Chủ hộ,Đã ký cam kết\n\
               Ấp Phú Hòa,Nguyễn Văn An,có\n\
               Ấp Xa,Người xã khác,có\n\
               Ấp Hòa Quới,Đỗ Văn Dũng,có\n\
               Xã Đồng Phú,Hộ không thuộc ấp nào,có\n";
    let mut parsed = f.parse(Kind::Households, csv);
    imports::check(&f.store, f.target("29578"), &mut parsed).await.unwrap();
    let expected = [
        "Dòng 3, cột A (Đơn vị): không có đơn vị “Ấp Xa” trong Xã Đồng Phú",
        "Dòng 4, cột A (Đơn vị): dữ liệu của Ấp Hòa Quới đã bị khóa bởi quyết định công nhận 12/QĐ-UBND",
        "Dòng 5, cột A (Đơn vị): Xã Đồng Phú không phải khu dân cư: danh sách hộ gia đình ký cam kết thuộc từng khu dân cư",
    ];
    assert_eq!(messages(&parsed.problems), expected);
    // Importing the same records anyway: the checks run again inside the transaction.
    let fresh = f.parse(Kind::Households, csv);
    let outcome = imports::import(&f.store, f.target("29578"), &fresh, &mut |_| {}).await.unwrap();
    assert_eq!(outcome.imported, 0);
    assert_eq!(messages(&outcome.problems), expected);
    assert_eq!(f.count("SELECT COUNT(*) AS n FROM household_commitments WHERE campaign_id = $1").await, 0);
    assert_eq!(f.count("SELECT COUNT(*) AS n FROM commitments WHERE campaign_id = $1").await, 0);
    assert_eq!(f.count("SELECT COUNT(*) AS n FROM fact_lists WHERE campaign_id = $1").await, 0);
    assert_eq!(f.imports_audited().await, 0);
}

#[tokio::test]
async fn schools_with_their_sub_units_and_incidents() {
    let f = fixture().await;
    let csv = "Tên đơn vị,Mã,Thuộc đơn vị,Danh hiệu của bộ phận\n\
               Trường THCS Đồng Phú,THCS-DP,,\n\
               Tổ Toán,,Trường THCS Đồng Phú,Tập thể lao động tiên tiến\n\
               Tổ Văn,,THCS-DP,\n";
    let parsed = f.parse(schools(), csv);
    let outcome = imports::import(&f.store, f.target("29578"), &parsed, &mut |_| {}).await.unwrap();
    assert!(outcome.problems.is_empty(), "{:?}", outcome.problems);
    let school = units::get(&f.store, "THCS-DP").await.unwrap().unwrap();
    assert_eq!(
        (school.unit_type.as_str(), school.path.as_str(), school.official_code.as_deref()),
        ("school", "/86/857/29578/THCS-DP/", Some("THCS-DP"))
    );
    let subs = facts::list(&f.store, &f.campaign.id, "THCS-DP", FactKind::SubUnits).await.unwrap();
    assert_eq!(
        subs.iter()
            .map(|s| match &s.fact {
                Fact::SubUnit(s) => (s.name.as_str(), s.titles.first().map(|t| t.level.as_str())),
                other => panic!("a sub-unit: {other:?}"),
            })
            .collect::<Vec<_>>(),
        [("Tổ Toán", Some("tien_tien")), ("Tổ Văn", None)]
    );

    // The same school again is refused, by name and by code.
    let mut again = f.parse(schools(), "Tên đơn vị,Mã\ntrường thcs đồng phú,THCS-DP\n");
    imports::check(&f.store, f.target("29578"), &mut again).await.unwrap();
    assert_eq!(
        messages(&again.problems),
        [
            "Dòng 2, cột A (Tên đơn vị): Xã Đồng Phú đã có “Trường THCS Đồng Phú” (mã THCS-DP); không nhập lại",
            "Dòng 2, cột B (Mã): mã “THCS-DP” đã được dùng cho đơn vị khác"
        ]
    );

    let incidents = f.parse(Kind::Incidents, "Đơn vị,Loại vụ việc,Ngày xảy ra,Mức độ\nTrường THCS Đồng Phú,bạo lực học đường,12/10/2013,ít nghiêm trọng\nẤp Phú Hòa,tội phạm,13/10/2013,\n");
    let outcome = imports::import(&f.store, f.target("29578"), &incidents, &mut |_| {}).await.unwrap();
    assert_eq!((outcome.imported, outcome.units), (2, 2));
    let root = units::get(&f.store, "29578").await.unwrap().unwrap();
    let loaded = facts::load(&f.store, &f.campaign, &root).await.unwrap();
    let school = loaded.units.iter().find(|u| u.id.0 == "THCS-DP").unwrap();
    let incident = &school.incidents.as_ref().unwrap()[0];
    assert_eq!((incident.kind.as_str(), incident.severity), ("school_violence", Some(antt_core::model::Severity::ItNghiemTrong)));
    assert_eq!(school.sub_units.as_ref().unwrap().len(), 2);

    let discipline =
        f.parse(Kind::Discipline, "Lực lượng,Hình thức kỷ luật,Ngày quyết định\n\"công an xã, bảo vệ dân phố\",cảnh cáo,01/11/2013\n");
    imports::import(&f.store, f.target("29578"), &discipline, &mut |_| {}).await.unwrap();
    let loaded = facts::load(&f.store, &f.campaign, &root).await.unwrap();
    let commune = loaded.units.iter().find(|u| u.id.0 == "29578").unwrap();
    assert_eq!(commune.discipline.as_ref().unwrap()[0].level, antt_core::model::DisciplineLevel::CanhCao);
    assert_eq!(f.imports_audited().await, 3);
}

#[tokio::test]
async fn household_values_are_stored_exactly_as_read() {
    let f = fixture().await;
    // Quotes, backslashes, what looks like JSON escapes, numbers or null, characters outside the
    // basic plane; an empty note is NULL; "Nguyễn" written decomposed is stored composed (NFC).
    let decomposed = "Nguye\u{302}\u{303}n";
    let csv = format!(
        r#"Khu dân cư,Chủ hộ,Địa chỉ,Đã ký cam kết,Ngày ký,Ghi chú
ap1,"Lê ""Tư"" \ Út",007,có,31/12/2013,"\u00e9 \""x\"" 🏠"
ap1,{decomposed} Văn Năm,null,không,,
ap1,"[1] {{""a"":2}}",,có,01/01/2013,-12
"#
    );
    let parsed = f.parse(Kind::Households, &csv);
    imports::import(&f.store, f.target("29578"), &parsed, &mut |_| {}).await.unwrap();
    let household = |head: &str, address: Option<&str>, signed, signed_on: Option<&str>, note: Option<&str>| imports::Household {
        household_head: head.into(),
        address: address.map(Into::into),
        signed,
        signed_on: signed_on.map(Into::into),
        note: note.map(Into::into),
    };
    assert_eq!(
        imports::households(&f.store, &f.campaign.id, "ap1").await.unwrap(),
        [
            household(r#"Lê "Tư" \ Út"#, Some("007"), true, Some("2013-12-31"), Some(r#"\u00e9 \"x\" 🏠"#)),
            household("Nguyễn Văn Năm", Some("null"), false, None, None),
            household(r#"[1] {"a":2}"#, None, true, Some("2013-01-01"), Some("-12")),
        ]
    );
    // Stored as the column types say: an integer where one belongs, NULL and not the text "null".
    let signed = "SELECT COUNT(*) AS n FROM household_commitments WHERE campaign_id = $1 AND signed = 1 AND note IS NOT NULL";
    assert_eq!(f.count(signed).await, 2);
    assert_eq!(f.count("SELECT COUNT(*) AS n FROM household_commitments WHERE campaign_id = $1 AND note IS NULL").await, 1);
}

#[tokio::test]
async fn a_list_longer_than_a_batch_is_written_whole_in_file_order() {
    let f = fixture().await;
    let rows = 25_001;
    let mut csv = String::from("Khu dân cư,Chủ hộ,Đã ký cam kết\n");
    for i in 0..rows {
        csv.push_str(&format!("{},Hộ {i},{}\n", if i % 2 == 0 { "ap1" } else { "ap2" }, if i % 3 == 0 { "không" } else { "có" }));
    }
    let parsed = f.parse(Kind::Households, &csv);
    let mut progress = Vec::new();
    // `Send`, or the web could not run an import as a task of its own.
    fn send<T: Send>(future: T) -> T {
        future
    }
    let outcome = send(imports::import(&f.store, f.target("29578"), &parsed, &mut |n| progress.push(n))).await.unwrap();
    assert_eq!(outcome.imported, rows);
    assert!(progress.len() > 1 && progress.windows(2).all(|w| w[0] < w[1]), "told per batch: {progress:?}");
    assert_eq!(progress.last(), Some(&rows));
    let list = imports::households(&f.store, &f.campaign.id, "ap2").await.unwrap();
    assert_eq!(list.len(), rows / 2);
    assert!(list.iter().enumerate().all(|(k, h)| h.household_head == format!("Hộ {}", 2 * k + 1)), "file order kept");
    // ap1 has the even rows 0, 2, …, 25,000; those divisible by 3 did not sign.
    let total = (rows / 2 + 1) as u32;
    let unsigned = (0..rows).filter(|i| i % 6 == 0).count() as u32;
    let commitments = facts::list(&f.store, &f.campaign.id, "ap1", FactKind::Commitments).await.unwrap();
    assert_eq!(commitment(&commitments[0]), ("households", total - unsigned, total));
}

#[tokio::test]
async fn a_template_imports_as_downloaded_naming_its_own_commune_of_the_old_tree() {
    let f = fixture().await;
    // The tree before 01/07/2025, as the GSO import leaves it for a 2013 campaign.
    sqlx::query("UPDATE units SET valid_to = '2025-06-30' WHERE id IN ('86', '857', '29578', '29590')")
        .execute(f.store.pool())
        .await
        .unwrap();
    // The CSV template as downloaded — its example row names "Ấp Hòa Quới", which the commune
    // already has — with rows naming the commune by code and by name.
    let template = String::from_utf8(antt_import::template::csv(&kind("residential_area"))).unwrap();
    assert!(template.contains("Ấp Hòa Quới,,Xã Đồng Phú,mẫu"), "{template}");
    let csv = format!("{}\nẤp Tân Thạnh,,29578,\nẤp Tân Phước,,xã đồng phú,\n", template.trim_end());
    let parsed = f.parse(kind("residential_area"), &csv);
    assert_eq!(parsed.sample_rows, [2]);
    let outcome = imports::import(&f.store, f.target("29578"), &parsed, &mut |_| {}).await.unwrap();
    assert!(outcome.problems.is_empty(), "{:?}", outcome.problems);
    assert_eq!(outcome.imported, 2);
    let names: Vec<String> = units::children(&f.store, "29578").await.unwrap().into_iter().map(|u| u.name).collect();
    assert_eq!(names, ["Ấp Hòa Quới", "Ấp Phú Hòa", "Ấp Tân Phước", "Ấp Tân Thạnh"]);

    // An agency whose "parent" is the commune is a unit of the commune, not a sub-unit.
    let agencies = f.parse(kind("agency"), "Tên đơn vị,Thuộc đơn vị\nCông an xã Đồng Phú,29578\nĐội tuần tra,Công an xã Đồng Phú\n");
    let outcome = imports::import(&f.store, f.target("29578"), &agencies, &mut |_| {}).await.unwrap();
    assert!(outcome.problems.is_empty(), "{:?}", outcome.problems);
    let agency = units::children(&f.store, "29578").await.unwrap().into_iter().find(|u| u.unit_type == "agency").unwrap();
    assert_eq!(agency.name, "Công an xã Đồng Phú");
    let subs = facts::list(&f.store, &f.campaign.id, &agency.id, FactKind::SubUnits).await.unwrap();
    assert_eq!(subs.len(), 1);

    // A file of nothing but the example, and a marker that is not "mẫu".
    let vocabulary = antt_core::ruleset::built_in_named("vinh-long-2013").unwrap().unwrap().vocabulary;
    let only = antt_import::parse(kind("residential_area"), template.as_bytes(), "mau.csv", &vocabulary, &Limits::default(), &mut |_| {});
    assert_eq!(
        messages(&only.problems),
        ["Tệp chỉ có dòng mẫu (cột “Dòng mẫu” ghi “mẫu”), không có dòng dữ liệu nào: hãy ghi dữ liệu vào các dòng sau dòng mẫu."]
    );
    let marked = "Tên khu dân cư,Dòng mẫu\nẤp Một,x\n";
    let marked = antt_import::parse(kind("residential_area"), marked.as_bytes(), "t.csv", &vocabulary, &Limits::default(), &mut |_| {});
    assert_eq!(
        messages(&marked.problems),
        ["Dòng 2, cột B (Dòng mẫu): chỉ ghi “mẫu” ở dòng ví dụ (dòng được bỏ qua); để trống ở các dòng dữ liệu"]
    );
}
