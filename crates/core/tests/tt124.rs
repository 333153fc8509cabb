//! The TT 124/2021/TT-BCA rulesets (`tt124-2021` and, after the 2025 two-tier reform,
//! `tt124-2025`): every part of every criterion on both sides, each test named after the
//! article, clause and point it checks; the boundaries (Quarter I's last day, exactly 70% and
//! rounding up, the evaluation windows, units outside the circular); and the readings of issue 15
//! (discipline of every force named, learners, sanctions by field of law, harm, people in several
//! forces, combined groups, Art. 4.4.b's "hoặc").
//!
//! Each part test starts from a unit of the 2024 campaign that meets every criterion and changes
//! one thing, under both rulesets. A "not met" test checks that exactly that part fails (or the
//! parts the same fact fails by law) and the unit is not recognised; a "met" test checks that the
//! change (a near miss, where there is one) leaves the part met and the unit recognised. Both
//! check that the Vietnamese reason names the facts.

mod common;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use antt_core::calendar::{Authority, AuthorityRule, Calendar, CalendarError, Timeliness};
use antt_core::eval::{self, ChildOutcome, Input, Outcome, ScopeNote, Status};
use antt_core::model::{
    Campaign, Commitment, Discipline, DisciplineLevel as L, Document, Harm, Incident, Judgement, Severity as S, SubUnit, SubUnitTitle,
    Unit, UnitId,
};
use antt_core::reason::describe_scope;
use antt_core::rollup::{Tree, roll_up};
use antt_core::ruleset::{Ruleset, built_in_named};
use antt_core::scoring::Points;
use chrono::NaiveDate;
use common::{
    AGENCY, AREA, COMMUNE, IncidentExt, Report, SCHOOL, assert_mentions, commitment, d, discipline, drop_doc, incident, outcome_of,
    push_discipline, push_incident, set_commitment, set_title, title,
};

const BOTH: [&str; 2] = ["tt124-2021", "tt124-2025"];

static RULESETS: LazyLock<[Ruleset; 2]> =
    LazyLock::new(|| BOTH.map(|id| built_in_named(id).expect("built-in rulesets load").expect("ruleset is built in")));

fn ruleset(id: &str) -> &'static Ruleset {
    RULESETS.iter().find(|r| r.id == id).expect("one of the TT 124 rulesets")
}

fn campaign(year: i32) -> Campaign {
    Campaign { year, plan_number: None, plan_date: d(year, 1, 10), settings: BTreeMap::new() }
}

fn calendar_for(rs: &Ruleset, campaign: &Campaign) -> Result<Calendar, CalendarError> {
    Calendar::new(&rs.timeline, rs.unit_types.iter().map(|t| &t.code), campaign, &rs.settings)
}

/// The calendar of the 2024 campaign.
fn calendar(rs: &Ruleset) -> Calendar {
    calendar_for(rs, &campaign(2024)).expect("calendar for 2024")
}

/// A day inside every evaluation window of the 2024 campaign.
fn day() -> NaiveDate {
    d(2024, 5, 15)
}

fn doc(kind: &str, number: &str, on: NaiveDate) -> Document {
    Document { kind: kind.into(), date: Some(on), number: Some(number.into()) }
}

fn judged(criterion: &str, part: &str, met: bool) -> Judgement {
    Judgement {
        criterion: criterion.into(),
        part: part.into(),
        met,
        inspector: Some("Đoàn kiểm tra tỉnh".into()),
        date: Some(d(2024, 10, 20)),
        note: (!met).then(|| "mô hình không duy trì sinh hoạt".into()),
    }
}

/// `count` sub-units, the first `titled` of them "Tập thể lao động tiên tiến".
fn sub_units(count: usize, titled: usize) -> Vec<SubUnit> {
    (0..count)
        .map(|i| SubUnit {
            name: format!("Tổ {:02}", i + 1),
            titles: if i < titled {
                vec![SubUnitTitle { scale: "collective_rating".into(), level: "tien_tien".into() }]
            } else {
                Vec::new()
            },
        })
        .collect()
}

fn harm(deaths: u32, injuries: &[u32], damage_vnd: u64) -> Harm {
    Harm { deaths, injuries: injuries.to_vec(), damage_vnd }
}

/// Chainable facts of issue 15 on an [`Incident`].
trait Issue15: Sized {
    fn harm(self, h: Harm) -> Self;
    fn domain(self, d: &str) -> Self;
    fn group(self, g: &str) -> Self;
    fn force_majeure(self) -> Self;
}

impl Issue15 for Incident {
    fn harm(self, h: Harm) -> Self {
        Incident { harm: Some(h), ..self }
    }
    fn domain(self, d: &str) -> Self {
        Incident { domain: Some(d.into()), ..self }
    }
    fn group(self, g: &str) -> Self {
        Incident { group: Some(g.into()), ..self }
    }
    fn force_majeure(self) -> Self {
        Incident { force_majeure: true, ..self }
    }
}

/// A unit of `unit_type` of the 2024 campaign that meets every part of every criterion of its
/// type: documents in Quarter I, 100% figures, no events or discipline, the titles, ten titled
/// sub-units, the judgements, the flags and attributes that put it in scope.
fn compliant(unit_type: &str) -> Unit {
    let previous_year =
        [("crime", 3), ("social_evil", 2), ("other_violation", 2), ("traffic_accident", 2), ("labour_accident", 1), ("fire_explosion", 1)];
    let base = Unit {
        unit_type: unit_type.into(),
        parent: Some(UnitId("xa-an-binh".into())),
        incidents: Some(Vec::new()),
        discipline: Some(Vec::new()),
        ..Default::default()
    };
    match unit_type {
        AREA => Unit {
            id: UnitId("kdc-an-binh".into()),
            name: "Khu dân cư An Bình".into(),
            documents: Some(vec![doc("party_resolution", "01-NQ/CB", d(2024, 3, 15)), doc("registration", "02/ĐK", d(2024, 3, 20))]),
            commitments: Some(vec![commitment("households", 120, 120)]),
            previous_year: Some(previous_year.into_iter().map(|(k, n)| (k.to_owned(), n)).collect()),
            titles: Some(vec![title("grassroots_security", "task_rating", "hoan_thanh_tot")]),
            judgements: vec![judged("4.2", "1", true)],
            ..base
        },
        COMMUNE => Unit {
            id: UnitId("xa-an-binh".into()),
            name: "Xã An Bình".into(),
            parent: None,
            documents: Some(vec![
                doc("party_resolution", "12-NQ/ĐU", d(2024, 1, 20)),
                doc("security_plan", "45/KH-UBND", d(2024, 2, 5)),
                doc("registration", "46/ĐK-UBND", d(2024, 2, 10)),
                doc("movement_model", "05/QĐ-UBND", d(2023, 6, 1)),
            ]),
            previous_year: Some(previous_year.into_iter().map(|(k, n)| (k.to_owned(), n)).collect()),
            judgements: vec![judged("5.1", "5", true), judged("5.2", "k2", true), judged("5.3", "1", true)],
            ..base
        },
        AGENCY => Unit {
            id: UnitId("cty-an-binh".into()),
            name: "Công ty Cổ phần An Bình".into(),
            flags: BTreeMap::from([("party_organisation".into(), true)]),
            attributes: BTreeMap::from([("armed_forces".into(), "false".into()), ("enterprise_size".into(), "medium".into())]),
            documents: Some(vec![
                doc("party_resolution", "03-NQ/ĐU", d(2024, 1, 20)),
                doc("security_plan", "07/KH", d(2024, 2, 1)),
                doc("registration", "08/ĐK", d(2024, 2, 15)),
                doc("internal_rules", "15/QĐ", d(2022, 5, 1)),
                doc("movement_model", "16/QĐ", d(2023, 3, 1)),
            ]),
            commitments: Some(vec![commitment("staff", 85, 85)]),
            titles: Some(vec![title("protection_force", "collective_rating", "tien_tien")]),
            sub_units: Some(sub_units(10, 10)),
            judgements: vec![judged("6.1", "7", true), judged("6.2", "1", true)],
            ..base
        },
        SCHOOL => Unit {
            id: UnitId("thpt-an-binh".into()),
            name: "Trường THPT An Bình".into(),
            flags: BTreeMap::from([
                ("party_organisation".into(), true),
                ("general_education".into(), true),
                ("protection_force".into(), true),
            ]),
            attributes: BTreeMap::from([("education_level".into(), "upper_secondary".into())]),
            documents: Some(vec![
                doc("party_resolution", "04-NQ/CB", d(2024, 1, 25)),
                doc("security_plan", "09/KH-THPT", d(2024, 2, 2)),
                doc("registration", "10/ĐK-THPT", d(2024, 3, 1)),
                doc("internal_rules", "11/QĐ-THPT", d(2023, 9, 5)),
                doc("movement_model", "12/QĐ-THPT", d(2023, 9, 5)),
                doc("parents_coordination", "13/QC-THPT", d(2023, 9, 20)),
            ]),
            commitments: Some(vec![commitment("staff", 12, 12), commitment("teachers", 60, 60), commitment("learners", 1200, 1200)]),
            titles: Some(vec![title("protection_force", "collective_rating", "tien_tien")]),
            sub_units: Some(sub_units(10, 10)),
            judgements: vec![judged("7.1", "7", true), judged("7.2", "1", true)],
            ..base
        },
        other => panic!("no TT 124 unit type `{other}`"),
    }
}

/// A compliant unit of `unit_type` renamed `name` with id `id`.
fn named(unit_type: &str, id: &str, name: &str) -> Unit {
    Unit { id: UnitId(id.into()), name: name.into(), ..compliant(unit_type) }
}

/// One unit with its children and their outcomes as the unit sees them (`None`: undecided).
#[derive(Debug, Clone)]
struct Case {
    unit: Unit,
    children: Vec<(Unit, Option<bool>)>,
}

impl Case {
    /// A compliant unit; a commune gets seven residential areas, two enterprises and a school,
    /// all registered and recognised.
    fn compliant(unit_type: &str) -> Self {
        let children = if unit_type == COMMUNE {
            let mut children: Vec<Unit> = (1..=7).map(|i| named(AREA, &format!("kdc-{i:02}"), &format!("Khu dân cư số {i:02}"))).collect();
            children.push(named(AGENCY, "cty-01", "Công ty số 01"));
            children.push(named(AGENCY, "cty-02", "Công ty số 02"));
            children.push(named(SCHOOL, "thpt-01", "Trường THPT số 01"));
            children.into_iter().map(|u| (u, Some(true))).collect()
        } else {
            Vec::new()
        };
        Self { unit: compliant(unit_type), children }
    }

    /// The report under ruleset `id` with the 2024 calendar: residential areas are the
    /// territory, every child counts with its outcome.
    fn report(&self, id: &str) -> Report {
        let rs = ruleset(id);
        let cal = calendar(rs);
        let territory: Vec<&Unit> = self.children.iter().map(|(u, _)| u).filter(|u| u.unit_type == AREA).collect();
        let children: Vec<ChildOutcome<'_>> = self.children.iter().map(|(u, r)| ChildOutcome::new(u, outcome_of(*r))).collect();
        Report::in_ruleset(&eval::evaluate(rs, Some(&cal), Input { unit: &self.unit, territory: &territory, children: &children }), rs)
    }
}

// ----------------------------------------------------------------------------------------------
// The compliant units

#[test]
fn compliant_units_of_every_type_are_recognised_under_both_rulesets() {
    for id in BOTH {
        for t in [AREA, COMMUNE, AGENCY, SCHOOL] {
            let r = Case::compliant(t).report(id);
            assert_eq!(r.outcome, Outcome::Recognised, "{id} {t}:\n{}", r.dump());
            assert!(r.with_status(Status::NotMet).is_empty() && r.with_status(Status::MissingData).is_empty(), "{id} {t}:\n{}", r.dump());
            assert!(r.with_status(Status::NotApplicable).is_empty(), "{id} {t}:\n{}", r.dump());
            assert_eq!(r.registration, Some(Timeliness::OnTime { deadline: d(2024, 3, 31) }), "{id} {t}");
        }
    }
}

// ----------------------------------------------------------------------------------------------
// Every part, both sides

/// Applies `change` to a compliant unit of `unit_type`: under both rulesets the part stays met
/// and the unit recognised, and the reason mentions every one of `expected`.
#[track_caller]
fn check_met(unit_type: &str, criterion: &str, part: &str, change: &dyn Fn(&mut Case), expected: &[&str]) {
    for id in BOTH {
        let mut case = Case::compliant(unit_type);
        change(&mut case);
        let r = case.report(id);
        assert_eq!(r.status(criterion, part), Status::Met, "{id} {criterion}/{part}:\n{}", r.dump());
        assert_eq!(r.outcome, Outcome::Recognised, "{id}:\n{}", r.dump());
        assert_mentions(r.reason(criterion, part), expected);
    }
}

/// Applies `change` to a compliant unit of `unit_type`: under both rulesets exactly that part
/// fails (with `also`, the parts the same fact fails by law), so does its criterion, the unit is
/// not recognised, and the reason mentions every one of `expected`.
#[track_caller]
fn check_not_met(unit_type: &str, criterion: &str, part: &str, also: &[&str], change: &dyn Fn(&mut Case), expected: &[&str]) {
    for id in BOTH {
        let mut case = Case::compliant(unit_type);
        change(&mut case);
        let r = case.report(id);
        let mut failing = vec![format!("{criterion}/{part}")];
        failing.extend(also.iter().map(|p| (*p).to_owned()));
        failing.sort();
        let mut got = r.with_status(Status::NotMet);
        got.sort();
        assert_eq!(got, failing, "{id}:\n{}", r.dump());
        assert!(r.with_status(Status::MissingData).is_empty(), "{id}:\n{}", r.dump());
        assert_eq!(r.criterion(criterion).status, Status::NotMet);
        assert_eq!(r.outcome, Outcome::NotRecognised);
        assert_mentions(r.reason(criterion, part), expected);
    }
}

macro_rules! part {
    ($name:ident: $t:expr, $c:literal / $p:literal,
     met: $met:expr => [$($m:expr),* $(,)?],
     not_met: $not:expr => [$($n:expr),* $(,)?] $(, also: [$($a:expr),*])? $(,)?) => {
        mod $name {
            use super::*;

            #[test]
            fn met() {
                check_met($t, $c, $p, &$met, &[$($m),*]);
            }

            #[test]
            fn not_met() {
                check_not_met($t, $c, $p, &[$($($a),*)?], &$not, &[$($n),*]);
            }
        }
    };
}

fn same(_: &mut Case) {}

fn without(kind: &'static str) -> impl Fn(&mut Case) {
    move |c| drop_doc(&mut c.unit, kind)
}

/// Dates the document of `kind` `on`.
fn dated(kind: &'static str, on: NaiveDate) -> impl Fn(&mut Case) {
    move |c| {
        for doc in c.unit.documents.iter_mut().flatten().filter(|x| x.kind == kind) {
            doc.date = Some(on);
        }
    }
}

fn with_incident(i: Incident) -> impl Fn(&mut Case) {
    move |c| push_incident(&mut c.unit, i.clone())
}

/// The incident recorded in the commune's third residential area.
fn in_area(i: Incident) -> impl Fn(&mut Case) {
    move |c| push_incident(&mut c.children[2].0, i.clone())
}

/// The incident recorded in the commune's first enterprise, which is not its territory.
fn in_agency(i: Incident) -> impl Fn(&mut Case) {
    move |c| push_incident(&mut c.children[7].0, i.clone())
}

fn with_discipline(force: &'static str, level: L) -> impl Fn(&mut Case) {
    move |c| push_discipline(&mut c.unit, discipline(force, level, day(), "Nguyễn Văn An"))
}

fn with_title(force: &'static str, scale: &'static str, level: &'static str) -> impl Fn(&mut Case) {
    move |c| set_title(&mut c.unit, force, scale, level)
}

fn with_commitment(group: &'static str, signed: u32, total: u32) -> impl Fn(&mut Case) {
    move |c| set_commitment(&mut c.unit, group, signed, total)
}

fn with_sub_units(count: usize, titled: usize) -> impl Fn(&mut Case) {
    move |c| c.unit.sub_units = Some(sub_units(count, titled))
}

fn judged_not_met(criterion: &'static str, part: &'static str) -> impl Fn(&mut Case) {
    move |c| {
        c.unit.judgements.retain(|j| !(j.criterion == criterion && j.part == part));
        c.unit.judgements.push(judged(criterion, part, false));
    }
}

/// The commune's children from `from` on are not recognised.
fn recognised_until(from: usize) -> impl Fn(&mut Case) {
    move |c| {
        for child in &mut c.children[from..] {
            child.1 = Some(false);
        }
    }
}

const JUDGED_MET: &str = "Đoàn kiểm tra đánh giá: đạt (Đoàn kiểm tra tỉnh, 20/10/2024)";
const JUDGED_NOT_MET: &str = "Đoàn kiểm tra đánh giá: không đạt — mô hình không duy trì sinh hoạt (Đoàn kiểm tra tỉnh, 20/10/2024)";
const RESOLUTION: &str = "nghị quyết của cấp ủy, tổ chức Đảng về công tác bảo đảm an ninh, trật tự";
const PLAN: &str = "kế hoạch về bảo đảm an ninh, trật tự";
const REGISTRATION: &str = "bản đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự”";
const RULES: &str = "nội quy, quy định về bảo vệ cơ quan, đơn vị, bí mật Nhà nước, chính trị nội bộ, an toàn lao động, phòng, chống cháy nổ, bảo vệ môi trường";
const MODEL: &str = "mô hình phong trào toàn dân bảo vệ an ninh Tổ quốc";
const PARENTS: &str = "kế hoạch (quy chế) phối hợp với Ban đại diện cha mẹ học sinh trong quản lý, giáo dục người học";
const LAST_DAY: &str = "ngày 31/03/2024, trong hạn 31/03/2024";
const LATE: &str = "ngày 01/04/2024, sau hạn 31/03/2024";
const TIEN_TIEN: &str = "Tập thể lao động tiên tiến hoặc Hoàn thành tốt nhiệm vụ";

// Điều 4. Khu dân cư ---------------------------------------------------------------------------

part!(dieu4_khoan1_phan1_nghi_quyet_chi_bo: AREA, "4.1" / "1",
    met: dated("party_resolution", d(2024, 3, 31)) => [&format!("Có nghị quyết của cấp ủy, tổ chức Đảng về công tác bảo đảm an ninh, trật tự số 01-NQ/CB {LAST_DAY}")],
    not_met: dated("party_resolution", d(2024, 4, 1)) => [&format!("Có {RESOLUTION} số 01-NQ/CB {LATE}")]);
part!(dieu4_khoan1_phan2_dang_ky: AREA, "4.1" / "2",
    met: dated("registration", d(2024, 3, 31)) => [&format!("Có {REGISTRATION} số 02/ĐK {LAST_DAY}")],
    not_met: without("registration") => [&format!("Không có {REGISTRATION}")]);
part!(dieu4_khoan1_phan3_ho_gia_dinh: AREA, "4.1" / "3",
    met: same => ["120/120 hộ gia đình đang cư trú trên địa bàn ký cam kết (100%; cần 100%)"],
    not_met: with_commitment("households", 119, 120) => ["119/120 hộ gia đình đang cư trú trên địa bàn ký cam kết (99,2%; cần 100%)"]);
part!(dieu4_khoan2_phan1_thuc_hien: AREA, "4.2" / "1",
    met: same => [JUDGED_MET],
    not_met: judged_not_met("4.2", "1") => [JUDGED_NOT_MET]);
part!(dieu4_khoan3_diem_a: AREA, "4.3" / "a",
    met: with_incident(incident("anti_party", day()).outside()) => [
        "Không xảy ra hoạt động chống Đảng, chống chính quyền, phá hoại khối đại đoàn kết toàn dân tộc trên địa bàn"],
    not_met: with_incident(incident("anti_party", day())) => [
        "Xảy ra 1 vụ trên địa bàn: hoạt động chống Đảng, chống chính quyền, phá hoại khối đại đoàn kết toàn dân tộc ngày 15/05/2024"]);
part!(dieu4_khoan3_diem_b: AREA, "4.3" / "b",
    met: with_incident(incident("sabotage", day()).outside()) => [
        "Không xảy ra hoạt động phá hoại các mục tiêu, công trình kinh tế, văn hóa, xã hội, an ninh, quốc phòng trên địa bàn"],
    not_met: with_incident(incident("sabotage", day())) => [
        "Xảy ra 1 vụ trên địa bàn: hoạt động phá hoại các mục tiêu, công trình kinh tế, văn hóa, xã hội, an ninh, quốc phòng ngày 15/05/2024"]);
part!(dieu4_khoan3_diem_c: AREA, "4.3" / "c",
    met: with_incident(incident("unlawful_religion", day()).outside()) => [
        "Không xảy ra tuyên truyền, phát triển tín ngưỡng, tôn giáo trái pháp luật trên địa bàn"],
    not_met: with_incident(incident("unlawful_religion", day())) => [
        "Xảy ra 1 vụ trên địa bàn: tuyên truyền, phát triển tín ngưỡng, tôn giáo trái pháp luật ngày 15/05/2024"]);
part!(dieu4_khoan3_diem_d: AREA, "4.3" / "d",
    met: with_incident(incident("exploitation", day()).outside()) => [
        "Không xảy ra hoạt động lợi dụng tín ngưỡng, tôn giáo, dân tộc, tranh chấp, khiếu kiện gây phức tạp về an ninh, trật tự trên địa bàn"],
    not_met: with_incident(incident("exploitation", day())) => [
        "Xảy ra 1 vụ trên địa bàn: hoạt động lợi dụng tín ngưỡng, tôn giáo, dân tộc, tranh chấp, khiếu kiện gây phức tạp về an ninh, trật tự ngày 15/05/2024"]);
part!(dieu4_khoan3_diem_dd: AREA, "4.3" / "đ",
    met: with_incident(incident("separatism", day()).outside()) => ["Không xảy ra hoạt động ly khai, đòi tự trị trên địa bàn"],
    not_met: with_incident(incident("separatism", day())) => ["Xảy ra 1 vụ trên địa bàn: hoạt động ly khai, đòi tự trị ngày 15/05/2024"]);
part!(dieu4_khoan3_diem_e: AREA, "4.3" / "e",
    met: with_incident(incident("complex_dispute", day()).outside()) => [
        "Không xảy ra mâu thuẫn, tranh chấp phức tạp, kéo dài trong nội bộ Nhân dân trên địa bàn"],
    not_met: with_incident(incident("complex_dispute", day())) => [
        "Xảy ra 1 vụ trên địa bàn: mâu thuẫn, tranh chấp phức tạp, kéo dài trong nội bộ Nhân dân ngày 15/05/2024"]);
part!(dieu4_khoan3_diem_g: AREA, "4.3" / "g",
    met: with_incident(incident("mass_complaint_incitement", day()).outside()) => [
        "Không xảy ra kích động, lôi kéo, mua chuộc người khác tham gia khiếu kiện đông người, biểu tình trái pháp luật, gây rối an ninh, trật tự trên địa bàn"],
    not_met: with_incident(incident("mass_complaint_incitement", day())) => [
        "Xảy ra 1 vụ trên địa bàn: kích động, lôi kéo, mua chuộc người khác tham gia khiếu kiện đông người, biểu tình trái pháp luật, gây rối an ninh, trật tự ngày 15/05/2024"]);
part!(dieu4_khoan4_diem_a: AREA, "4.4" / "a",
    met: |c: &mut Case| {
        for _ in 0..3 {
            push_incident(&mut c.unit, incident("crime", day()).severity(S::ItNghiemTrong).reported(true));
        }
    } => ["Tội phạm: 3 vụ, năm trước 3 (bằng)"],
    not_met: |c: &mut Case| {
        for _ in 0..2 {
            push_incident(&mut c.unit, incident("fire_explosion", day()).severity(S::ItNghiemTrong));
        }
    } => ["cháy, nổ: 2 vụ, năm trước 1 (tăng)"]);
part!(dieu4_khoan4_diem_b: AREA, "4.4" / "b",
    met: with_incident(incident("crime", day()).severity(S::NghiemTrong).reported(true)) => [
        "Không xảy ra tội phạm từ mức nghiêm trọng trở lên trên địa bàn",
        "không tính vụ đã được phát hiện, báo cáo ngay: tội phạm (nghiêm trọng) ngày 15/05/2024"],
    not_met: with_incident(incident("crime", day()).severity(S::NghiemTrong).reported(false)) => [
        "Xảy ra 1 vụ trên địa bàn từ mức nghiêm trọng trở lên: tội phạm (nghiêm trọng) ngày 15/05/2024"]);
part!(dieu4_khoan4_diem_c_tu_diem: AREA, "4.4" / "c1",
    met: with_incident(incident("hotspot", day()).outside()) => ["Không xảy ra tụ điểm phức tạp về an ninh, trật tự phát sinh mới trên địa bàn"],
    not_met: with_incident(incident("hotspot", day())) => ["Xảy ra 1 vụ trên địa bàn: tụ điểm phức tạp về an ninh, trật tự phát sinh mới ngày 15/05/2024"]);
part!(dieu4_khoan4_diem_c_te_nan: AREA, "4.4" / "c2",
    met: with_incident(incident("new_social_evil_person", day())) => [
        "Không xảy ra người mắc tệ nạn xã hội phát sinh mới do người của đơn vị gây ra"],
    not_met: with_incident(incident("new_social_evil_person", day()).by_own_people().note("nghiện ma túy")) => [
        "người mắc tệ nạn xã hội phát sinh mới ngày 15/05/2024 do người của đơn vị gây ra: nghiện ma túy"]);
part!(dieu4_khoan4_diem_d_chay_no: AREA, "4.4" / "d1",
    // 1 injured at 60% and 99.999.999 đồng: just below "nghiêm trọng".
    met: with_incident(incident("fire_explosion", day()).harm(harm(0, &[60], 99_999_999))) => [
        "Không xảy ra cháy, nổ từ mức nghiêm trọng trở lên trên địa bàn"],
    not_met: with_incident(incident("fire_explosion", day()).harm(harm(0, &[61], 0))) => [
        "cháy, nổ (nghiêm trọng theo thiệt hại) ngày 15/05/2024, thiệt hại: 1 người bị thương (tổng tỷ lệ tổn thương cơ thể 61%)"]);
part!(dieu4_khoan4_diem_d_tai_nan_lao_dong: AREA, "4.4" / "d2",
    met: with_incident(incident("labour_accident", day()).harm(harm(0, &[80, 45], 0))) => [
        "Không xảy ra tai nạn lao động làm chết người trên địa bàn"],
    not_met: with_incident(incident("labour_accident", day()).harm(harm(1, &[], 0))) => [
        "Xảy ra 1 vụ trên địa bàn: tai nạn lao động ngày 15/05/2024, thiệt hại: 1 người chết"]);
part!(dieu4_khoan4_diem_d_su_co: AREA, "4.4" / "d3",
    met: with_incident(incident("serious_incident", day()).force_majeure()) => [
        "không tính vụ bất khả kháng: sự cố nghiêm trọng ngày 15/05/2024"],
    not_met: with_incident(incident("serious_incident", day())) => ["Xảy ra 1 vụ trên địa bàn: sự cố nghiêm trọng ngày 15/05/2024"]);
part!(dieu4_khoan5_phan1_xep_loai: AREA, "4.5" / "1",
    met: with_title("grassroots_security", "task_rating", "hoan_thanh") => [
        "Lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở: “Hoàn thành nhiệm vụ” (cần “Hoàn thành nhiệm vụ” trở lên)"],
    not_met: with_title("grassroots_security", "task_rating", "khong_hoan_thanh") => [
        "Lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở: “Không hoàn thành nhiệm vụ” (cần “Hoàn thành nhiệm vụ” trở lên)"]);
part!(dieu4_khoan5_phan2_ky_luat: AREA, "4.5" / "2",
    met: with_discipline("staff", L::BuocThoiViec) => [
        "Không có lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở bị kỷ luật từ khiển trách trở lên"],
    not_met: with_discipline("grassroots_security", L::KhienTrach) => [
        "Lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở Nguyễn Văn An bị kỷ luật khiển trách ngày 15/05/2024"]);

// Điều 5. Xã, phường, thị trấn (xã, phường, đặc khu) -----------------------------------------

part!(dieu5_khoan1_phan1_nghi_quyet_dang_uy: COMMUNE, "5.1" / "1",
    met: dated("party_resolution", d(2024, 3, 31)) => [&format!("Có {RESOLUTION} số 12-NQ/ĐU {LAST_DAY}")],
    not_met: without("party_resolution") => [&format!("Không có {RESOLUTION}")]);
part!(dieu5_khoan1_phan2_ke_hoach: COMMUNE, "5.1" / "2",
    met: dated("security_plan", d(2024, 3, 31)) => [&format!("Có {PLAN} số 45/KH-UBND {LAST_DAY}")],
    not_met: dated("security_plan", d(2024, 4, 1)) => [&format!("Có {PLAN} số 45/KH-UBND {LATE}")]);
part!(dieu5_khoan1_phan3_dang_ky: COMMUNE, "5.1" / "3",
    met: same => [&format!("Có {REGISTRATION} số 46/ĐK-UBND ngày 10/02/2024, trong hạn 31/03/2024")],
    not_met: without("registration") => [&format!("Không có {REGISTRATION}")]);
part!(dieu5_khoan1_phan4_mo_hinh: COMMUNE, "5.1" / "4",
    met: same => [&format!("Có {MODEL} số 05/QĐ-UBND ngày 01/06/2023")],
    not_met: without("movement_model") => [&format!("Không có {MODEL}")]);
part!(dieu5_khoan1_phan5_mo_hinh_hieu_qua: COMMUNE, "5.1" / "5",
    met: same => [JUDGED_MET],
    not_met: judged_not_met("5.1", "5") => [JUDGED_NOT_MET]);
part!(dieu5_khoan2_dieu4_khoan2: COMMUNE, "5.2" / "k2",
    met: same => [JUDGED_MET],
    not_met: judged_not_met("5.2", "k2") => [JUDGED_NOT_MET]);
part!(dieu5_khoan2_dieu4_khoan3_diem_a: COMMUNE, "5.2" / "k3a",
    met: in_agency(incident("anti_party", day())) => [
        "Không xảy ra hoạt động chống Đảng, chống chính quyền, phá hoại khối đại đoàn kết toàn dân tộc trên địa bàn"],
    not_met: in_area(incident("anti_party", day())) => [
        "Xảy ra 1 vụ trên địa bàn: hoạt động chống Đảng, chống chính quyền, phá hoại khối đại đoàn kết toàn dân tộc ngày 15/05/2024 tại Khu dân cư số 03"]);
part!(dieu5_khoan2_dieu4_khoan3_diem_b: COMMUNE, "5.2" / "k3b",
    met: in_area(incident("sabotage", day()).outside()) => [
        "Không xảy ra hoạt động phá hoại các mục tiêu, công trình kinh tế, văn hóa, xã hội, an ninh, quốc phòng trên địa bàn"],
    not_met: in_area(incident("sabotage", day())) => ["hoạt động phá hoại các mục tiêu, công trình kinh tế, văn hóa, xã hội, an ninh, quốc phòng ngày 15/05/2024 tại Khu dân cư số 03"]);
part!(dieu5_khoan2_dieu4_khoan3_diem_c: COMMUNE, "5.2" / "k3c",
    met: in_agency(incident("unlawful_religion", day())) => ["Không xảy ra tuyên truyền, phát triển tín ngưỡng, tôn giáo trái pháp luật trên địa bàn"],
    not_met: with_incident(incident("unlawful_religion", day())) => ["Xảy ra 1 vụ trên địa bàn: tuyên truyền, phát triển tín ngưỡng, tôn giáo trái pháp luật ngày 15/05/2024"]);
part!(dieu5_khoan2_dieu4_khoan3_diem_d: COMMUNE, "5.2" / "k3d",
    met: in_area(incident("exploitation", day()).outside()) => [
        "Không xảy ra hoạt động lợi dụng tín ngưỡng, tôn giáo, dân tộc, tranh chấp, khiếu kiện gây phức tạp về an ninh, trật tự trên địa bàn"],
    not_met: in_area(incident("exploitation", day())) => [
        "hoạt động lợi dụng tín ngưỡng, tôn giáo, dân tộc, tranh chấp, khiếu kiện gây phức tạp về an ninh, trật tự ngày 15/05/2024 tại Khu dân cư số 03"]);
part!(dieu5_khoan2_dieu4_khoan3_diem_dd: COMMUNE, "5.2" / "k3đ",
    met: in_agency(incident("separatism", day())) => ["Không xảy ra hoạt động ly khai, đòi tự trị trên địa bàn"],
    not_met: in_area(incident("separatism", day())) => ["hoạt động ly khai, đòi tự trị ngày 15/05/2024 tại Khu dân cư số 03"]);
part!(dieu5_khoan2_dieu4_khoan3_diem_e: COMMUNE, "5.2" / "k3e",
    met: in_area(incident("complex_dispute", day()).outside()) => ["Không xảy ra mâu thuẫn, tranh chấp phức tạp, kéo dài trong nội bộ Nhân dân trên địa bàn"],
    not_met: in_area(incident("complex_dispute", day())) => ["mâu thuẫn, tranh chấp phức tạp, kéo dài trong nội bộ Nhân dân ngày 15/05/2024 tại Khu dân cư số 03"]);
part!(dieu5_khoan2_dieu4_khoan3_diem_g: COMMUNE, "5.2" / "k3g",
    met: in_agency(incident("mass_complaint_incitement", day())) => [
        "Không xảy ra kích động, lôi kéo, mua chuộc người khác tham gia khiếu kiện đông người, biểu tình trái pháp luật, gây rối an ninh, trật tự trên địa bàn"],
    not_met: in_area(incident("mass_complaint_incitement", day())) => [
        "kích động, lôi kéo, mua chuộc người khác tham gia khiếu kiện đông người, biểu tình trái pháp luật, gây rối an ninh, trật tự ngày 15/05/2024 tại Khu dân cư số 03"]);
part!(dieu5_khoan2_dieu4_khoan4_diem_a: COMMUNE, "5.2" / "k4a",
    met: |c: &mut Case| {
        for _ in 0..3 {
            push_incident(&mut c.children[0].0, incident("crime", day()).severity(S::ItNghiemTrong).reported(true));
        }
    } => ["Tội phạm: 3 vụ, năm trước 3 (bằng)"],
    not_met: |c: &mut Case| {
        for child in &mut c.children[..4] {
            push_incident(&mut child.0, incident("crime", day()).severity(S::ItNghiemTrong).reported(true));
        }
    } => ["Tội phạm: 4 vụ, năm trước 3 (tăng)"]);
part!(dieu5_khoan2_dieu4_khoan4_diem_b: COMMUNE, "5.2" / "k4b",
    met: in_area(incident("crime", day()).severity(S::RatNghiemTrong).force_majeure()) => [
        "không tính vụ bất khả kháng: tội phạm (rất nghiêm trọng) ngày 15/05/2024 tại Khu dân cư số 03"],
    not_met: in_area(incident("crime", day()).severity(S::RatNghiemTrong).reported(false)) => [
        "Xảy ra 1 vụ trên địa bàn từ mức nghiêm trọng trở lên: tội phạm (rất nghiêm trọng) ngày 15/05/2024 tại Khu dân cư số 03"]);
part!(dieu5_khoan2_dieu4_khoan4_diem_c_tu_diem: COMMUNE, "5.2" / "k4c1",
    met: in_agency(incident("hotspot", day())) => ["Không xảy ra tụ điểm phức tạp về an ninh, trật tự phát sinh mới trên địa bàn"],
    not_met: in_area(incident("hotspot", day())) => ["tụ điểm phức tạp về an ninh, trật tự phát sinh mới ngày 15/05/2024 tại Khu dân cư số 03"]);
part!(dieu5_khoan2_dieu4_khoan4_diem_c_te_nan: COMMUNE, "5.2" / "k4c2",
    met: in_area(incident("new_social_evil_person", day())) => ["Không xảy ra người mắc tệ nạn xã hội phát sinh mới do người của đơn vị gây ra"],
    not_met: in_area(incident("new_social_evil_person", day()).by_own_people()) => [
        "người mắc tệ nạn xã hội phát sinh mới ngày 15/05/2024 tại Khu dân cư số 03 do người của đơn vị gây ra"]);
part!(dieu5_khoan2_dieu4_khoan4_diem_d_chay_no: COMMUNE, "5.2" / "k4d1",
    met: in_area(incident("fire_explosion", day()).severity(S::ItNghiemTrong)) => ["Không xảy ra cháy, nổ từ mức nghiêm trọng trở lên trên địa bàn"],
    not_met: in_area(incident("fire_explosion", day()).severity(S::RatNghiemTrong)) => [
        "Xảy ra 1 vụ trên địa bàn từ mức nghiêm trọng trở lên: cháy, nổ (rất nghiêm trọng) ngày 15/05/2024 tại Khu dân cư số 03"]);
part!(dieu5_khoan2_dieu4_khoan4_diem_d_tai_nan_lao_dong: COMMUNE, "5.2" / "k4d2",
    met: in_area(incident("fatal_labour_accident", day()).force_majeure()) => [
        "không tính vụ bất khả kháng: tai nạn lao động làm chết người ngày 15/05/2024 tại Khu dân cư số 03"],
    // The kind written by older facts files still counts.
    not_met: in_area(incident("fatal_labour_accident", day())) => [
        "Xảy ra 1 vụ trên địa bàn: tai nạn lao động làm chết người ngày 15/05/2024 tại Khu dân cư số 03"]);
part!(dieu5_khoan2_dieu4_khoan4_diem_d_su_co: COMMUNE, "5.2" / "k4d3",
    met: in_area(incident("serious_incident", day()).outside()) => ["Không xảy ra sự cố nghiêm trọng trên địa bàn"],
    not_met: with_incident(incident("serious_incident", day())) => ["Xảy ra 1 vụ trên địa bàn: sự cố nghiêm trọng ngày 15/05/2024"]);
part!(dieu5_khoan3_phan1_cong_an_hieu_qua: COMMUNE, "5.3" / "1",
    met: same => [JUDGED_MET],
    not_met: judged_not_met("5.3", "1") => [JUDGED_NOT_MET]);
part!(dieu5_khoan3_phan2_ky_luat: COMMUNE, "5.3" / "2",
    met: with_discipline("grassroots_security", L::CanhCao) => ["bị kỷ luật từ khiển trách trở lên"],
    not_met: with_discipline("commune_police", L::KhienTrach) => ["Nguyễn Văn An bị kỷ luật khiển trách ngày 15/05/2024"]);
part!(dieu5_khoan4_phan1_dang_ky: COMMUNE, "5.4" / "1",
    met: same => ["10/10 đơn vị (khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục) đã đăng ký (cần 10)"],
    not_met: |c: &mut Case| drop_doc(&mut c.children[8].0, "registration") => [
        "9/10 đơn vị (khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục) đã đăng ký (cần 10); chưa đăng ký: Công ty số 02"]);
part!(dieu5_khoan4_phan2_bay_muoi_phan_tram: COMMUNE, "5.4" / "2",
    // Exactly 70%: 7 of 10.
    met: recognised_until(7) => ["7/10 đơn vị (khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục) đạt chuẩn (cần 7)"],
    not_met: recognised_until(6) => [
        "6/10 đơn vị (khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục) đạt chuẩn (cần 7); chưa đạt: Công ty số 01, Công ty số 02, Khu dân cư số 07, Trường THPT số 01"]);

// Điều 6. Cơ quan, doanh nghiệp ------------------------------------------------------------------

part!(dieu6_khoan1_phan1_nghi_quyet: AGENCY, "6.1" / "1",
    met: dated("party_resolution", d(2024, 3, 31)) => [&format!("Có {RESOLUTION} số 03-NQ/ĐU {LAST_DAY}")],
    not_met: dated("party_resolution", d(2024, 4, 1)) => [&format!("Có {RESOLUTION} số 03-NQ/ĐU {LATE}")]);
part!(dieu6_khoan1_phan2_ke_hoach: AGENCY, "6.1" / "2",
    met: same => [&format!("Có {PLAN} số 07/KH ngày 01/02/2024, trong hạn 31/03/2024")],
    not_met: without("security_plan") => [&format!("Không có {PLAN}")]);
part!(dieu6_khoan1_phan3_dang_ky: AGENCY, "6.1" / "3",
    met: dated("registration", d(2024, 3, 31)) => [&format!("Có {REGISTRATION} số 08/ĐK {LAST_DAY}")],
    not_met: dated("registration", d(2024, 4, 1)) => [&format!("Có {REGISTRATION} số 08/ĐK {LATE}")]);
part!(dieu6_khoan1_phan4_noi_quy: AGENCY, "6.1" / "4",
    // Not tied to Quarter I.
    met: dated("internal_rules", d(2024, 6, 1)) => [&format!("Có {RULES} số 15/QĐ ngày 01/06/2024")],
    not_met: without("internal_rules") => [&format!("Không có {RULES}")]);
part!(dieu6_khoan1_phan5_pho_bien: AGENCY, "6.1" / "5",
    met: same => ["85/85 cán bộ, công chức, viên chức, người lao động ký cam kết (100%; cần 100%)"],
    not_met: with_commitment("staff", 84, 85) => ["84/85 cán bộ, công chức, viên chức, người lao động ký cam kết (98,8%; cần 100%)"]);
part!(dieu6_khoan1_phan6_mo_hinh: AGENCY, "6.1" / "6",
    met: same => [&format!("Có {MODEL} số 16/QĐ ngày 01/03/2023")],
    not_met: without("movement_model") => [&format!("Không có {MODEL}")]);
part!(dieu6_khoan1_phan7_mo_hinh_hieu_qua: AGENCY, "6.1" / "7",
    met: same => [JUDGED_MET],
    not_met: judged_not_met("6.1", "7") => [JUDGED_NOT_MET]);
part!(dieu6_khoan2_phan1_thuc_hien: AGENCY, "6.2" / "1",
    met: same => [JUDGED_MET],
    not_met: judged_not_met("6.2", "1") => [JUDGED_NOT_MET]);
part!(dieu6_khoan3_diem_a: AGENCY, "6.3" / "a",
    met: with_incident(incident("unlawful_religion", day()).outside()) => ["Không xảy ra tuyên truyền, phát triển tín ngưỡng, tôn giáo trái pháp luật trên địa bàn"],
    not_met: with_incident(incident("unlawful_religion", day())) => ["tuyên truyền, phát triển tín ngưỡng, tôn giáo trái pháp luật ngày 15/05/2024"]);
part!(dieu6_khoan3_diem_b: AGENCY, "6.3" / "b",
    met: with_incident(incident("exploitation", day()).outside()) => [
        "Không xảy ra hoạt động lợi dụng tín ngưỡng, tôn giáo, dân tộc, tranh chấp, khiếu kiện gây phức tạp về an ninh, trật tự trên địa bàn"],
    not_met: with_incident(incident("exploitation", day())) => [
        "hoạt động lợi dụng tín ngưỡng, tôn giáo, dân tộc, tranh chấp, khiếu kiện gây phức tạp về an ninh, trật tự ngày 15/05/2024"]);
part!(dieu6_khoan3_diem_c: AGENCY, "6.3" / "c",
    met: with_incident(incident("mass_complaint_incitement", day()).outside()) => [
        "Không xảy ra kích động, lôi kéo, mua chuộc người khác tham gia khiếu kiện đông người, biểu tình trái pháp luật, gây rối an ninh, trật tự trên địa bàn"],
    not_met: with_incident(incident("mass_complaint_incitement", day())) => [
        "kích động, lôi kéo, mua chuộc người khác tham gia khiếu kiện đông người, biểu tình trái pháp luật, gây rối an ninh, trật tự ngày 15/05/2024"]);
part!(dieu6_khoan3_diem_d: AGENCY, "6.3" / "d",
    met: with_incident(incident("illegal_strike", day()).outside()) => ["Không xảy ra đình công, ngừng việc tập thể trái pháp luật trên địa bàn"],
    not_met: with_incident(incident("illegal_strike", day())) => ["Xảy ra 1 vụ trên địa bàn: đình công, ngừng việc tập thể trái pháp luật ngày 15/05/2024"]);
part!(dieu6_khoan3_diem_dd: AGENCY, "6.3" / "đ",
    met: with_incident(incident("crime", day()).severity(S::ItNghiemTrong)) => ["Không xảy ra tội phạm từ mức nghiêm trọng trở lên trên địa bàn"],
    not_met: with_incident(incident("crime", day()).severity(S::NghiemTrong).reported(true)) => [
        "Xảy ra 1 vụ trên địa bàn từ mức nghiêm trọng trở lên: tội phạm (nghiêm trọng) ngày 15/05/2024"]);
part!(dieu6_khoan3_diem_e: AGENCY, "6.3" / "e",
    met: with_incident(incident("secret_leak", day()).outside()) => [
        "Không xảy ra để lộ, lọt, mất bí mật Nhà nước trên địa bàn hoặc do người của đơn vị gây ra"],
    not_met: with_incident(incident("secret_leak", day()).outside().by_own_people()) => [
        "để lộ, lọt, mất bí mật Nhà nước ngày 15/05/2024 ngoài địa bàn do người của đơn vị gây ra"]);
part!(dieu6_khoan3_diem_g_chay_no: AGENCY, "6.3" / "g1",
    met: with_incident(incident("fire_explosion", day()).harm(harm(0, &[], 99_999_999))) => ["Không xảy ra cháy, nổ từ mức nghiêm trọng trở lên trên địa bàn"],
    not_met: with_incident(incident("fire_explosion", day()).harm(harm(0, &[], 100_000_000))) => [
        "cháy, nổ (nghiêm trọng theo thiệt hại) ngày 15/05/2024, thiệt hại: tài sản 100.000.000 đồng"]);
part!(dieu6_khoan3_diem_g_tai_nan_lao_dong: AGENCY, "6.3" / "g2",
    met: with_incident(incident("labour_accident", day()).harm(harm(0, &[90], 0))) => ["Không xảy ra tai nạn lao động làm chết người trên địa bàn"],
    not_met: with_incident(incident("labour_accident", day()).harm(harm(2, &[30], 0))) => [
        "tai nạn lao động ngày 15/05/2024, thiệt hại: 2 người chết, 1 người bị thương (tổng tỷ lệ tổn thương cơ thể 30%)"]);
part!(dieu6_khoan3_diem_g_su_co: AGENCY, "6.3" / "g3",
    met: with_incident(incident("serious_incident", day()).force_majeure()) => ["không tính vụ bất khả kháng: sự cố nghiêm trọng ngày 15/05/2024"],
    not_met: with_incident(incident("serious_incident", day())) => ["Xảy ra 1 vụ trên địa bàn: sự cố nghiêm trọng ngày 15/05/2024"]);
part!(dieu6_khoan3_diem_g_moi_truong: AGENCY, "6.3" / "g4",
    met: with_incident(incident("environment_food_safety", day()).outside()) => [
        "Không xảy ra vụ việc nghiêm trọng về môi trường, an toàn thực phẩm trên địa bàn"],
    not_met: with_incident(incident("environment_food_safety", day()).force_majeure()) => [
        "vụ việc nghiêm trọng về môi trường, an toàn thực phẩm ngày 15/05/2024"]);
part!(dieu6_khoan3_diem_h: AGENCY, "6.3" / "h",
    // A traffic fine is not in the field of security and order.
    met: with_incident(incident("administrative_sanction", day()).outside().by_own_people().domain("traffic")) => [
        "Không xảy ra bị xử phạt vi phạm hành chính trong lĩnh vực an ninh, trật tự, an toàn xã hội do người của đơn vị gây ra",
        "không tính vụ thuộc lĩnh vực hoặc nhóm người khác: bị xử phạt vi phạm hành chính ngày 15/05/2024 ngoài địa bàn do người của đơn vị gây ra, lĩnh vực giao thông"],
    not_met: with_incident(incident("administrative_sanction", day()).outside().by_own_people().domain("security_order")) => [
        "Xảy ra 1 vụ do người của đơn vị gây ra trong lĩnh vực an ninh, trật tự, an toàn xã hội: bị xử phạt vi phạm hành chính ngày 15/05/2024"]);
part!(dieu6_khoan4_phan1_danh_hieu: AGENCY, "6.4" / "1",
    met: with_title("protection_force", "collective_rating", "xuat_sac") => [
        "Lực lượng bảo vệ cơ quan, doanh nghiệp, cơ sở giáo dục: “Tập thể lao động xuất sắc hoặc Hoàn thành xuất sắc nhiệm vụ”"],
    not_met: with_title("protection_force", "collective_rating", "hoan_thanh") => [
        &format!("Lực lượng bảo vệ cơ quan, doanh nghiệp, cơ sở giáo dục: “Hoàn thành nhiệm vụ” (cần “{TIEN_TIEN}” trở lên)")]);
part!(dieu6_khoan4_phan2_ky_luat: AGENCY, "6.4" / "2",
    met: with_discipline("protection_force", L::KhienTrach) => ["dưới mức cảnh cáo, không tính: lực lượng bảo vệ cơ quan, doanh nghiệp, cơ sở giáo dục Nguyễn Văn An"],
    // A guard is also one of the agency's people: 6.5 fails too.
    not_met: with_discipline("protection_force", L::CanhCao) => [
        "Lực lượng bảo vệ cơ quan, doanh nghiệp, cơ sở giáo dục Nguyễn Văn An bị kỷ luật cảnh cáo ngày 15/05/2024"],
    also: ["6.5/2"]);
part!(dieu6_khoan5_phan1_dau_moi: AGENCY, "6.5" / "1",
    met: with_sub_units(10, 7) => [&format!("7/10 đầu mối trực thuộc đạt “{TIEN_TIEN}” trở lên (cần 7)")],
    not_met: with_sub_units(10, 6) => [&format!("6/10 đầu mối trực thuộc đạt “{TIEN_TIEN}” trở lên (cần 7); chưa đạt: Tổ 07, Tổ 08, Tổ 09, Tổ 10")]);
part!(dieu6_khoan5_phan2_ky_luat: AGENCY, "6.5" / "2",
    met: with_discipline("staff", L::KhienTrach) => ["Không có cán bộ, công chức, viên chức, người lao động, lực lượng bảo vệ cơ quan, doanh nghiệp, cơ sở giáo dục bị kỷ luật từ cảnh cáo trở lên"],
    not_met: with_discipline("staff", L::KeoDaiNangLuong) => [
        "Cán bộ, công chức, viên chức, người lao động Nguyễn Văn An bị kỷ luật kéo dài thời hạn nâng lương ngày 15/05/2024"]);

// Điều 7. Cơ sở giáo dục -------------------------------------------------------------------------

part!(dieu7_khoan1_phan1_nghi_quyet: SCHOOL, "7.1" / "1",
    met: dated("party_resolution", d(2024, 3, 31)) => [&format!("Có {RESOLUTION} số 04-NQ/CB {LAST_DAY}")],
    not_met: without("party_resolution") => [&format!("Không có {RESOLUTION}")]);
part!(dieu7_khoan1_phan2_ke_hoach: SCHOOL, "7.1" / "2",
    met: dated("security_plan", d(2024, 3, 31)) => [&format!("Có {PLAN} số 09/KH-THPT {LAST_DAY}")],
    not_met: dated("security_plan", d(2024, 4, 1)) => [&format!("Có {PLAN} số 09/KH-THPT {LATE}")]);
part!(dieu7_khoan1_phan3_dang_ky: SCHOOL, "7.1" / "3",
    met: dated("registration", d(2024, 3, 31)) => [&format!("Có {REGISTRATION} số 10/ĐK-THPT {LAST_DAY}")],
    not_met: without("registration") => [&format!("Không có {REGISTRATION}")]);
part!(dieu7_khoan1_phan4_noi_quy: SCHOOL, "7.1" / "4",
    met: same => [&format!("Có {RULES} số 11/QĐ-THPT ngày 05/09/2023")],
    not_met: without("internal_rules") => [&format!("Không có {RULES}")]);
part!(dieu7_khoan1_phan5_pho_bien: SCHOOL, "7.1" / "5",
    met: same => ["tổng 1.272/1.272 (100%; cần 100%)"],
    not_met: with_commitment("learners", 1199, 1200) => ["1.199/1.200 người học", "tổng 1.271/1.272"]);
part!(dieu7_khoan1_phan6_mo_hinh: SCHOOL, "7.1" / "6",
    met: same => [&format!("Có {MODEL} số 12/QĐ-THPT ngày 05/09/2023")],
    not_met: without("movement_model") => [&format!("Không có {MODEL}")]);
part!(dieu7_khoan1_phan7_mo_hinh_hieu_qua: SCHOOL, "7.1" / "7",
    met: same => [JUDGED_MET],
    not_met: judged_not_met("7.1", "7") => [JUDGED_NOT_MET]);
part!(dieu7_khoan2_phan1_thuc_hien: SCHOOL, "7.2" / "1",
    met: same => [JUDGED_MET],
    not_met: judged_not_met("7.2", "1") => [JUDGED_NOT_MET]);
part!(dieu7_khoan2_phan2_ban_dai_dien_cha_me: SCHOOL, "7.2" / "2",
    met: same => [&format!("Có {PARENTS} số 13/QC-THPT ngày 20/09/2023")],
    not_met: without("parents_coordination") => [&format!("Không có {PARENTS}")]);
part!(dieu7_khoan3_dieu6_khoan3_diem_a: SCHOOL, "7.3" / "a",
    met: with_incident(incident("unlawful_religion", day()).outside()) => ["Không xảy ra tuyên truyền, phát triển tín ngưỡng, tôn giáo trái pháp luật trên địa bàn"],
    not_met: with_incident(incident("unlawful_religion", day())) => ["tuyên truyền, phát triển tín ngưỡng, tôn giáo trái pháp luật ngày 15/05/2024"]);
part!(dieu7_khoan3_dieu6_khoan3_diem_b: SCHOOL, "7.3" / "b",
    met: with_incident(incident("exploitation", day()).outside()) => ["Không xảy ra hoạt động lợi dụng tín ngưỡng"],
    not_met: with_incident(incident("exploitation", day())) => ["Xảy ra 1 vụ trên địa bàn: hoạt động lợi dụng tín ngưỡng"]);
part!(dieu7_khoan3_dieu6_khoan3_diem_c: SCHOOL, "7.3" / "c",
    met: with_incident(incident("mass_complaint_incitement", day()).outside()) => ["Không xảy ra kích động, lôi kéo"],
    not_met: with_incident(incident("mass_complaint_incitement", day())) => ["Xảy ra 1 vụ trên địa bàn: kích động, lôi kéo"]);
part!(dieu7_khoan3_dieu6_khoan3_diem_dd: SCHOOL, "7.3" / "đ",
    met: with_incident(incident("crime", day()).severity(S::DacBietNghiemTrong).force_majeure()) => [
        "không tính vụ bất khả kháng: tội phạm (đặc biệt nghiêm trọng) ngày 15/05/2024"],
    not_met: with_incident(incident("crime", day()).severity(S::DacBietNghiemTrong)) => [
        "Xảy ra 1 vụ trên địa bàn từ mức nghiêm trọng trở lên: tội phạm (đặc biệt nghiêm trọng) ngày 15/05/2024"]);
part!(dieu7_khoan3_dieu6_khoan3_diem_e: SCHOOL, "7.3" / "e",
    met: with_incident(incident("secret_leak", day()).outside()) => ["Không xảy ra để lộ, lọt, mất bí mật Nhà nước"],
    not_met: with_incident(incident("secret_leak", day())) => ["Xảy ra 1 vụ trên địa bàn hoặc do người của đơn vị gây ra: để lộ, lọt, mất bí mật Nhà nước ngày 15/05/2024"]);
part!(dieu7_khoan3_dieu6_khoan3_diem_g_chay_no: SCHOOL, "7.3" / "g1",
    met: with_incident(incident("fire_explosion", day()).harm(harm(0, &[30, 30], 0))) => ["Không xảy ra cháy, nổ từ mức nghiêm trọng trở lên"],
    not_met: with_incident(incident("fire_explosion", day()).harm(harm(0, &[30, 31], 0))) => [
        "cháy, nổ (nghiêm trọng theo thiệt hại) ngày 15/05/2024, thiệt hại: 2 người bị thương (tổng tỷ lệ tổn thương cơ thể 61%)"]);
part!(dieu7_khoan3_dieu6_khoan3_diem_g_tai_nan_lao_dong: SCHOOL, "7.3" / "g2",
    met: with_incident(incident("labour_accident", day()).harm(harm(1, &[], 0)).outside()) => ["Không xảy ra tai nạn lao động làm chết người trên địa bàn"],
    not_met: with_incident(incident("labour_accident", day()).harm(harm(1, &[], 0))) => ["tai nạn lao động ngày 15/05/2024, thiệt hại: 1 người chết"]);
part!(dieu7_khoan3_dieu6_khoan3_diem_g_su_co: SCHOOL, "7.3" / "g3",
    met: with_incident(incident("serious_incident", day()).outside()) => ["Không xảy ra sự cố nghiêm trọng trên địa bàn"],
    not_met: with_incident(incident("serious_incident", day())) => ["sự cố nghiêm trọng ngày 15/05/2024"]);
part!(dieu7_khoan3_dieu6_khoan3_diem_g_moi_truong: SCHOOL, "7.3" / "g4",
    met: with_incident(incident("environment_food_safety", day()).outside()) => ["Không xảy ra vụ việc nghiêm trọng về môi trường, an toàn thực phẩm trên địa bàn"],
    not_met: with_incident(incident("environment_food_safety", day()).note("ngộ độc thực phẩm tại căng tin")) => [
        "vụ việc nghiêm trọng về môi trường, an toàn thực phẩm ngày 15/05/2024: ngộ độc thực phẩm tại căng tin"]);
part!(dieu7_khoan4_phan1_bao_luc_hoc_duong: SCHOOL, "7.4" / "1",
    met: with_incident(incident("school_violence", day()).outside()) => ["Không xảy ra bạo lực học đường trên địa bàn hoặc do người của đơn vị gây ra"],
    not_met: with_incident(incident("school_violence", day()).outside().by_own_people().group("learners")) => [
        "bạo lực học đường ngày 15/05/2024 ngoài địa bàn do người học của đơn vị gây ra"]);
part!(dieu7_khoan4_phan2_nguoi_hoc_pham_toi: SCHOOL, "7.4" / "2",
    met: with_incident(incident("crime", day()).severity(S::ItNghiemTrong).outside().by_own_people().group("staff")) => [
        "Không xảy ra tội phạm do người học của đơn vị gây ra",
        "không tính vụ thuộc lĩnh vực hoặc nhóm người khác: tội phạm (ít nghiêm trọng) ngày 15/05/2024 ngoài địa bàn do cán bộ, công chức, viên chức, người lao động của đơn vị gây ra"],
    not_met: with_incident(incident("crime", day()).severity(S::ItNghiemTrong).outside().by_own_people().group("learners")) => [
        "Xảy ra 1 vụ do người học của đơn vị gây ra: tội phạm (ít nghiêm trọng) ngày 15/05/2024 ngoài địa bàn do người học của đơn vị gây ra"]);
part!(dieu7_khoan4_phan3_xu_phat: SCHOOL, "7.4" / "3",
    met: with_incident(incident("administrative_sanction", day()).outside().by_own_people().group("learners").domain("traffic")) => [
        "không tính vụ thuộc lĩnh vực hoặc nhóm người khác: bị xử phạt vi phạm hành chính ngày 15/05/2024"],
    not_met: with_incident(incident("administrative_sanction", day()).outside().by_own_people().group("learners").domain("security_order")) => [
        "Xảy ra 1 vụ do người của đơn vị gây ra trong lĩnh vực an ninh, trật tự, an toàn xã hội: bị xử phạt vi phạm hành chính ngày 15/05/2024"]);
part!(dieu7_khoan5_phan1_danh_hieu: SCHOOL, "7.5" / "1",
    met: with_title("protection_force", "collective_rating", "xuat_sac") => ["Tập thể lao động xuất sắc hoặc Hoàn thành xuất sắc nhiệm vụ"],
    not_met: with_title("protection_force", "collective_rating", "hoan_thanh") => [&format!("“Hoàn thành nhiệm vụ” (cần “{TIEN_TIEN}” trở lên)")]);
part!(dieu7_khoan5_phan2_ky_luat: SCHOOL, "7.5" / "2",
    met: with_discipline("protection_force", L::KhienTrach) => ["dưới mức cảnh cáo, không tính"],
    not_met: with_discipline("protection_force", L::CachChuc) => ["Nguyễn Văn An bị kỷ luật cách chức ngày 15/05/2024"],
    also: ["7.6/2"]);
part!(dieu7_khoan6_phan1_dau_moi: SCHOOL, "7.6" / "1",
    met: with_sub_units(7, 5) => [&format!("5/7 đầu mối trực thuộc đạt “{TIEN_TIEN}” trở lên (cần 5)")],
    not_met: with_sub_units(7, 4) => [&format!("4/7 đầu mối trực thuộc đạt “{TIEN_TIEN}” trở lên (cần 5)")]);
part!(dieu7_khoan6_phan2_ky_luat: SCHOOL, "7.6" / "2",
    met: with_discipline("learners", L::KhienTrach) => ["dưới mức cảnh cáo, không tính: người học Nguyễn Văn An"],
    not_met: with_discipline("learners", L::CanhCao) => ["Người học Nguyễn Văn An bị kỷ luật cảnh cáo ngày 15/05/2024"]);

#[test]
fn every_part_of_the_ruleset_has_a_test_above() {
    // Keep in step with the `part!` invocations: one per part of each criterion.
    let tested = [
        ("4.1", 3),
        ("4.2", 1),
        ("4.3", 7),
        ("4.4", 7),
        ("4.5", 2),
        ("5.1", 5),
        ("5.2", 15),
        ("5.3", 2),
        ("5.4", 2),
        ("6.1", 7),
        ("6.2", 1),
        ("6.3", 11),
        ("6.4", 2),
        ("6.5", 2),
        ("7.1", 7),
        ("7.2", 2),
        ("7.3", 9),
        ("7.4", 3),
        ("7.5", 2),
        ("7.6", 2),
    ];
    for id in BOTH {
        let actual: Vec<(&str, usize)> = ruleset(id).criteria.iter().map(|c| (c.id.as_str(), c.parts.len())).collect();
        assert_eq!(actual, tested, "{id}");
    }
}

// ----------------------------------------------------------------------------------------------
// The two rulesets

#[test]
fn both_rulesets_load_with_the_four_unit_types_of_the_law() {
    for id in BOTH {
        let rs = ruleset(id);
        assert!(rs.regime.starts_with("TT 124/2021/TT-BCA"), "{id}: {}", rs.regime);
        let types: Vec<(&str, bool)> = rs.unit_types.iter().map(|t| (t.code.as_str(), t.territorial)).collect();
        assert_eq!(types, [("residential_area", true), ("commune", false), ("agency", false), ("school", false)], "{id}");
        assert_eq!(rs.unit_type_name("school"), "cơ sở giáo dục");
        assert_eq!(rs.unit_type_name("agency"), "cơ quan, doanh nghiệp");
        for c in &rs.criteria {
            // The id is article.clause, and the basis says the same.
            let (article, clause) = c.id.split_once('.').expect("article.clause");
            assert!(c.basis.starts_with(&format!("Khoản {clause} Điều {article} Thông tư 124/2021/TT-BCA")), "{id} {}: {}", c.id, c.basis);
        }
    }
    let old = ruleset("tt124-2021");
    assert_eq!((old.valid_from, old.valid_to), (d(2022, 2, 10), Some(d(2025, 6, 30))));
    assert!(old.settings.is_empty());
    let new = ruleset("tt124-2025");
    assert_eq!((new.valid_from, new.valid_to), (d(2025, 7, 1), None));
    let setting = new.settings.get("commune_recogniser").expect("commune_recogniser setting");
    assert_eq!(setting.default, "province_committee");
    assert_eq!(setting.allowed, ["province_committee", "commune_committee"]);
    assert_eq!(new.unit_type_name("commune"), "xã, phường, đặc khu");
}

#[test]
fn tt124_2025_keeps_the_criteria_and_vocabulary_of_tt124_2021() {
    let (old, new) = (ruleset("tt124-2021"), ruleset("tt124-2025"));
    let shape = |rs: &Ruleset| {
        rs.criteria
            .iter()
            .map(|c| {
                let parts: Vec<_> = c
                    .parts
                    .iter()
                    .map(|p| (p.id.clone(), p.text.clone(), p.when.clone(), serde_json::to_value(&p.check).expect("check serialises")))
                    .collect();
                (c.id.clone(), c.unit_type.clone(), c.basis.clone(), parts)
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(shape(old), shape(new));
    assert_eq!(shape(old).iter().map(|(_, _, _, parts)| parts.len()).sum::<usize>(), 92);
    let vocabulary = |rs: &Ruleset| {
        let v = &rs.vocabulary;
        serde_json::to_value((&v.groups, &v.incident_kinds, &v.scales, &v.domains, &v.harm_scales, &v.harm_kinds)).ok()
    };
    assert_eq!(vocabulary(old), vocabulary(new));
    assert_eq!(serde_json::to_value(&old.scoring).ok(), serde_json::to_value(&new.scoring).ok());
}

#[test]
fn tt124_2025_has_no_district_level() {
    let new = ruleset("tt124-2025");
    for r in &new.timeline.authority {
        assert_ne!(r.rule, AuthorityRule::Fixed(Authority::DistrictCommittee), "{:?}", r.unit_types);
    }
    let commune_rule = new.timeline.authority.iter().find(|r| r.unit_types.iter().any(|t| t == "commune")).expect("commune rule");
    assert_eq!(commune_rule.rule, AuthorityRule::Setting("commune_recogniser".into()));
    let old = ruleset("tt124-2021");
    let commune_rule = old.timeline.authority.iter().find(|r| r.unit_types.iter().any(|t| t == "commune")).expect("commune rule");
    assert_eq!(commune_rule.rule, AuthorityRule::Fixed(Authority::DistrictCommittee));
}

#[test]
fn tt124_2025_commune_authority_is_a_campaign_setting() {
    let rs = ruleset("tt124-2025");
    let default = calendar(rs);
    assert_eq!(default.by_type["commune"].authority, Authority::ProvinceCommittee);
    assert_eq!(default.by_type["residential_area"].authority, Authority::CommuneCommittee);
    assert_eq!(default.by_type["agency"].authority, Authority::ManagingLevel);
    assert_eq!(default.by_type["school"].authority, Authority::ManagingLevel);

    let mut chosen = campaign(2025);
    chosen.settings.insert("commune_recogniser".into(), "commune_committee".into());
    let cal = calendar_for(rs, &chosen).expect("calendar");
    assert_eq!(cal.by_type["commune"].authority, Authority::CommuneCommittee);

    chosen.settings.insert("commune_recogniser".into(), "district_committee".into());
    assert_eq!(
        calendar_for(rs, &chosen),
        Err(CalendarError::BadSetting { name: "commune_recogniser".into(), value: "district_committee".into() })
    );

    let old = calendar(ruleset("tt124-2021"));
    assert_eq!(old.by_type["commune"].authority, Authority::DistrictCommittee);
    assert_eq!(old.by_type["residential_area"].authority, Authority::CommuneCommittee);
}

#[test]
fn scoring_frames_are_placeholders_of_100_points_one_item_per_criterion() {
    for id in BOTH {
        let rs = ruleset(id);
        assert!(rs.scoring.note.contains("510/QĐ-BCA-V05") && rs.scoring.note.contains("giữ chỗ"));
        for t in [AREA, COMMUNE, AGENCY, SCHOOL] {
            let frame = rs.scoring.frames.get(t).expect("frame for every unit type");
            assert_eq!(frame.max_total(), Points::from_tenths(1000), "{id} {t}");
            let items: Vec<&str> = frame.items.iter().map(|i| i.id.as_str()).collect();
            let criteria: Vec<&str> = rs.criteria_for(t).map(|c| c.id.as_str()).collect();
            assert_eq!(items, criteria, "{id} {t}");
        }
        let bands: Vec<(&str, u32, bool)> =
            rs.scoring.bands.iter().map(|b| (b.code.as_str(), b.min_percent, b.requires_recognised)).collect();
        assert_eq!(bands, [("xuat_sac", 90, true), ("kha", 75, false), ("trung_binh", 50, false), ("kem", 0, false)]);
    }
}

// ----------------------------------------------------------------------------------------------
// Boundaries: Quarter I, 70% rounded up, the evaluation windows, units outside the circular

#[test]
fn quarter_one_ends_on_31_march_for_every_unit_type() {
    for id in BOTH {
        let cal = calendar(ruleset(id));
        for t in [AREA, COMMUNE, AGENCY, SCHOOL] {
            assert_eq!(cal.by_type[t].registration_deadline, d(2024, 3, 31), "{id} {t}");
        }
        // The registration of 31/03 is on time, of 01/04 one day late; undated, unknown.
        for (on, timeliness, status) in [
            (Some(d(2024, 3, 31)), Some(Timeliness::OnTime { deadline: d(2024, 3, 31) }), Status::Met),
            (Some(d(2024, 4, 1)), Some(Timeliness::Late { deadline: d(2024, 3, 31), days_late: 1 }), Status::NotMet),
            (None, None, Status::MissingData),
        ] {
            let mut case = Case::compliant(AREA);
            for doc in case.unit.documents.iter_mut().flatten().filter(|x| x.kind == "registration") {
                doc.date = on;
            }
            let r = case.report(id);
            assert_eq!((r.registration, r.status("4.1", "2")), (timeliness, status), "{id} {on:?}");
        }
    }
}

#[test]
fn seventy_percent_is_rounded_up() {
    // 70% of 3 is 3 (2,1 rounded up); of 7 it is 5 (4,9); of 10 exactly 7.
    for (count, titled, status) in
        [(3, 3, Status::Met), (3, 2, Status::NotMet), (7, 5, Status::Met), (7, 4, Status::NotMet), (10, 7, Status::Met)]
    {
        let mut case = Case::compliant(AGENCY);
        case.unit.sub_units = Some(sub_units(count, titled));
        assert_eq!(case.report("tt124-2021").status("6.5", "1"), status, "{titled}/{count}");
    }
    // An agency without sub-units has nothing to count.
    let mut none = Case::compliant(AGENCY);
    none.unit.sub_units = Some(Vec::new());
    assert_eq!(none.report("tt124-2021").status("6.5", "1"), Status::NotApplicable);
    // The commune's share: 3 children need 3; 2 recognised is 67%.
    let mut small = Case::compliant(COMMUNE);
    small.children.truncate(3);
    assert_eq!(small.report("tt124-2021").status("5.4", "2"), Status::Met);
    small.children[2].1 = Some(false);
    let r = small.report("tt124-2021");
    assert_eq!(r.status("5.4", "2"), Status::NotMet);
    assert_mentions(r.reason("5.4", "2"), &["2/3 đơn vị (khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục) đạt chuẩn (cần 3)"]);
}

#[test]
fn each_unit_types_evaluation_window_limits_what_counts() {
    for id in BOTH {
        // A residential area: 01/11/2023 – 31/10/2024.
        for (on, counts) in [(d(2023, 10, 31), false), (d(2023, 11, 1), true), (d(2024, 10, 31), true), (d(2024, 11, 1), false)] {
            let mut case = Case::compliant(AREA);
            push_incident(&mut case.unit, incident("hotspot", on));
            let expected = if counts { Status::NotMet } else { Status::Met };
            assert_eq!(case.report(id).status("4.4", "c1"), expected, "{id} area {on}");
        }
        // Communes, agencies and schools: 16/11/2023 – 15/11/2024, for events and discipline.
        for (on, counts) in [(d(2023, 11, 15), false), (d(2023, 11, 16), true), (d(2024, 11, 15), true), (d(2024, 11, 16), false)] {
            let expected = if counts { Status::NotMet } else { Status::Met };
            let mut agency = Case::compliant(AGENCY);
            push_incident(&mut agency.unit, incident("illegal_strike", on));
            assert_eq!(agency.report(id).status("6.3", "d"), expected, "{id} agency {on}");
            let mut school = Case::compliant(SCHOOL);
            push_discipline(&mut school.unit, discipline("learners", L::CanhCao, on, "Lê Văn Học"));
            assert_eq!(school.report(id).status("7.6", "2"), expected, "{id} school {on}");
            let mut commune = Case::compliant(COMMUNE);
            push_discipline(&mut commune.unit, discipline("commune_police", L::KhienTrach, on, "Trần Văn Công"));
            assert_eq!(commune.report(id).status("5.3", "2"), expected, "{id} commune {on}");
        }
        let cal = calendar(ruleset(id));
        let area = &cal.by_type[AREA];
        assert_eq!((area.period_from, area.period_to), (d(2023, 11, 1), d(2024, 10, 31)));
        assert_eq!((area.decision_deadline, area.classification_deadline), (Some(d(2024, 11, 14)), Some(d(2024, 11, 19))));
        for t in [COMMUNE, AGENCY, SCHOOL] {
            let c = &cal.by_type[t];
            assert_eq!((c.period_from, c.period_to), (d(2023, 11, 16), d(2024, 11, 15)), "{id} {t}");
            assert_eq!((c.decision_deadline, c.classification_deadline), (Some(d(2024, 11, 19)), Some(d(2024, 11, 29))), "{id} {t}");
        }
        assert_eq!(cal.inspection, None);
    }
    // Campaign 2025 runs from 16/11/2024.
    let cal = calendar_for(ruleset("tt124-2025"), &campaign(2025)).expect("calendar");
    assert_eq!(cal.by_type[COMMUNE].period_from, d(2024, 11, 16));
    assert_eq!(cal.by_type[AREA].decision_deadline, Some(d(2025, 11, 14)));
}

#[test]
fn units_outside_the_circular_are_out_of_scope_with_their_reason() {
    for id in BOTH {
        let rs = ruleset(id);
        let cal = calendar(rs);
        for (t, attribute, value, phrase) in [
            (AGENCY, "armed_forces", "true", "lực lượng vũ trang"),
            (AGENCY, "enterprise_size", "micro", "doanh nghiệp siêu nhỏ"),
            (AGENCY, "enterprise_size", "small", "Doanh nghiệp nhỏ"),
            (SCHOOL, "education_level", "primary", "tiểu học"),
            (SCHOOL, "education_level", "preschool", "mầm non, nhà trẻ"),
        ] {
            let mut unit = compliant(t);
            unit.attributes.insert(attribute.into(), value.into());
            let v = eval::evaluate(rs, Some(&cal), Input { unit: &unit, territory: &[], children: &[] });
            assert_eq!(v.outcome, Outcome::OutOfScope, "{id} {attribute}={value}");
            assert!(v.criteria.is_empty() && v.registration.is_none());
            let [ScopeNote::Excluded(x)] = v.scope.as_slice() else { panic!("{id} {attribute}={value}: {:?}", v.scope) };
            assert!(x.reason.contains(phrase) && x.reason.contains("điểm b khoản 2 Điều 1"), "{}", x.reason);
            assert_eq!(describe_scope(&v.scope[0], rs, t), x.reason);
        }
        // Values outside the exclusion keep the unit in scope.
        for (t, attribute, value) in [
            (AGENCY, "enterprise_size", "large"),
            (AGENCY, "enterprise_size", "not_enterprise"),
            (SCHOOL, "education_level", "lower_secondary"),
            (SCHOOL, "education_level", "higher"),
        ] {
            let mut case = Case::compliant(t);
            case.unit.attributes.insert(attribute.into(), value.into());
            assert_eq!(case.report(id).outcome, Outcome::Recognised, "{id} {attribute}={value}");
        }
        // Without the attribute the unit is in doubt; an exclusion that applies wins.
        for (t, attribute) in [(AGENCY, "enterprise_size"), (AGENCY, "armed_forces"), (SCHOOL, "education_level")] {
            let mut case = Case::compliant(t);
            case.unit.attributes.remove(attribute);
            let r = case.report(id);
            assert_eq!(r.outcome, Outcome::Incomplete, "{id} without {attribute}");
            assert!(r.with_status(Status::NotMet).is_empty() && r.with_status(Status::MissingData).is_empty());
        }
        let mut case = Case::compliant(AGENCY);
        case.unit.attributes.insert("armed_forces".into(), "true".into());
        case.unit.attributes.remove("enterprise_size");
        assert_eq!(case.report(id).outcome, Outcome::OutOfScope);
    }
}

#[test]
fn the_commune_leaves_units_outside_the_circular_out_of_its_denominator() {
    for id in BOTH {
        let rs = ruleset(id);
        let cal = calendar(rs);
        let mut small = named(AGENCY, "cty-nho", "Công ty nhỏ");
        small.attributes.insert("enterprise_size".into(), "small".into());
        small.documents = Some(Vec::new());
        let tree = |small: Unit| {
            vec![
                compliant(COMMUNE),
                named(AREA, "kdc-01", "Khu dân cư số 01"),
                named(AREA, "kdc-02", "Khu dân cư số 02"),
                named(AGENCY, "cty-01", "Công ty số 01"),
                named(SCHOOL, "thpt-01", "Trường THPT số 01"),
                small,
            ]
        };
        let units = tree(small.clone());
        let r = roll_up(rs, Some(&cal), Tree::new(&units).expect("tree"));
        assert_eq!(r.verdict("cty-nho").map(|v| v.outcome), Some(Outcome::OutOfScope));
        let commune = Report::in_ruleset(r.verdict("xa-an-binh").expect("commune"), rs);
        assert_eq!(commune.outcome, Outcome::Recognised, "{id}:\n{}", commune.dump());
        assert_mentions(commune.reason("5.4", "1"), &["4/4 đơn vị"]);

        // Without its size the small enterprise is in doubt, and so is the commune.
        small.attributes.remove("enterprise_size");
        small.documents = None;
        let units = tree(small);
        let r = roll_up(rs, Some(&cal), Tree::new(&units).expect("tree"));
        let commune = Report::in_ruleset(r.verdict("xa-an-binh").expect("commune"), rs);
        assert_eq!(commune.outcome, Outcome::Incomplete);
        assert_eq!(commune.with_status(Status::MissingData), ["5.4/1"]);
    }
}

// ----------------------------------------------------------------------------------------------
// Issue 15: the numbering and the readings

#[test]
fn the_clauses_are_reported_where_the_circular_puts_them() {
    // The movement model is part of Art. 6.1, the parents' board of Art. 7.2, and a state-secret
    // breach at a school is Art. 7.3 (point e of Art. 6.3).
    let mut agency = Case::compliant(AGENCY);
    drop_doc(&mut agency.unit, "movement_model");
    assert_eq!(agency.report("tt124-2021").with_status(Status::NotMet), ["6.1/6"]);
    let mut school = Case::compliant(SCHOOL);
    drop_doc(&mut school.unit, "parents_coordination");
    assert_eq!(school.report("tt124-2021").with_status(Status::NotMet), ["7.2/2"]);
    let mut school = Case::compliant(SCHOOL);
    push_incident(&mut school.unit, incident("secret_leak", day()));
    assert_eq!(school.report("tt124-2021").with_status(Status::NotMet), ["7.3/e"]);
    // Illegal strikes (point d) and the agency's sanctions (point h) are not on a school's list.
    let mut school = Case::compliant(SCHOOL);
    push_incident(&mut school.unit, incident("illegal_strike", day()));
    assert_eq!(school.report("tt124-2021").outcome, Outcome::Recognised);
}

#[test]
fn article_4_4_b_excuses_a_serious_crime_detected_and_reported_at_once() {
    let crime = || incident("crime", day()).severity(S::NghiemTrong);
    for (i, status) in [
        (crime().reported(true), Status::Met),
        (crime().force_majeure(), Status::Met),
        (crime().reported(false), Status::NotMet),
        (crime(), Status::MissingData),
        // Below "nghiêm trọng" nothing needs reporting under 4.4.b.
        (incident("crime", day()).severity(S::ItNghiemTrong).reported(false), Status::Met),
    ] {
        let mut case = Case::compliant(AREA);
        push_incident(&mut case.unit, i.clone());
        let r = case.report("tt124-2021");
        assert_eq!(r.status("4.4", "b"), status, "{i:?}: {}", r.reason("4.4", "b"));
    }
    let mut unknown = Case::compliant(AREA);
    push_incident(&mut unknown.unit, crime());
    assert_mentions(
        unknown.report("tt124-2021").reason("4.4", "b"),
        &["chưa rõ đã phát hiện, báo cáo ngay chưa: tội phạm (nghiêm trọng) ngày 15/05/2024"],
    );
    // At an agency Art. 6.3.đ has no such excuse.
    let mut agency = Case::compliant(AGENCY);
    push_incident(&mut agency.unit, crime().reported(true));
    assert_eq!(agency.report("tt124-2021").status("6.3", "đ"), Status::NotMet);
}

#[test]
fn a_sanction_counts_only_in_the_field_of_security_and_order() {
    let sanction = || incident("administrative_sanction", day()).outside().by_own_people();
    for (i, status) in [
        (sanction().domain("traffic"), Status::Met),
        (sanction().domain("security_order"), Status::NotMet),
        (sanction(), Status::MissingData),
        // Not one of the agency's people.
        (incident("administrative_sanction", day()).domain("security_order"), Status::Met),
    ] {
        let mut case = Case::compliant(AGENCY);
        push_incident(&mut case.unit, i.clone());
        let r = case.report("tt124-2021");
        assert_eq!(r.status("6.3", "h"), status, "{i:?}: {}", r.reason("6.3", "h"));
    }
    let mut unknown = Case::compliant(AGENCY);
    push_incident(&mut unknown.unit, sanction());
    assert_mentions(
        unknown.report("tt124-2021").reason("6.3", "h"),
        &["chưa rõ lĩnh vực xử phạt: bị xử phạt vi phạm hành chính ngày 15/05/2024"],
    );
}

#[test]
fn a_learners_crime_anywhere_fails_the_school_and_the_group_must_be_known() {
    let crime = || incident("crime", day()).severity(S::ItNghiemTrong).outside().by_own_people();
    for (i, status) in [
        (crime().group("learners"), Status::NotMet),
        (crime().group("staff"), Status::Met),
        (crime(), Status::MissingData),
        (incident("crime", day()).severity(S::ItNghiemTrong).outside(), Status::Met),
    ] {
        let mut case = Case::compliant(SCHOOL);
        push_incident(&mut case.unit, i.clone());
        let r = case.report("tt124-2021");
        assert_eq!(r.status("7.4", "2"), status, "{i:?}: {}", r.reason("7.4", "2"));
    }
}

#[test]
fn a_learners_discipline_is_recorded_on_the_learners_own_scale() {
    for (level, status) in
        [(L::KhienTrach, Status::Met), (L::CanhCao, Status::NotMet), (L::DinhChiHocTap, Status::NotMet), (L::BuocThoiHoc, Status::NotMet)]
    {
        let mut case = Case::compliant(SCHOOL);
        push_discipline(&mut case.unit, discipline("learners", level, day(), "Lê Văn Học"));
        let r = case.report("tt124-2021");
        assert_eq!(r.status("7.6", "2"), status, "{level:?}");
        // A learner is not the protection force.
        assert_eq!(r.status("7.5", "2"), Status::Met);
    }
}

#[test]
fn a_person_in_several_forces_counts_for_each() {
    let guard_and_staff =
        Discipline { also_forces: vec!["protection_force".into()], ..discipline("staff", L::CanhCao, day(), "Phạm Văn Bảo") };
    let mut both = Case::compliant(AGENCY);
    push_discipline(&mut both.unit, guard_and_staff);
    let r = both.report("tt124-2021");
    assert_eq!(r.with_status(Status::NotMet), ["6.4/2", "6.5/2"]);
    assert_mentions(
        r.reason("6.4", "2"),
        &[
            "Cán bộ, công chức, viên chức, người lao động, lực lượng bảo vệ cơ quan, doanh nghiệp, cơ sở giáo dục Phạm Văn Bảo bị kỷ luật cảnh cáo ngày 15/05/2024",
        ],
    );
    let mut staff_only = Case::compliant(AGENCY);
    push_discipline(&mut staff_only.unit, discipline("staff", L::CanhCao, day(), "Phạm Văn Bảo"));
    assert_eq!(staff_only.report("tt124-2021").with_status(Status::NotMet), ["6.5/2"]);
}

#[test]
fn one_figure_may_count_for_several_groups() {
    let staff_and_teachers = Commitment { also_groups: vec!["teachers".into()], ..commitment("staff", 72, 72) };
    let mut case = Case::compliant(SCHOOL);
    case.unit.commitments = Some(vec![staff_and_teachers.clone(), commitment("learners", 1200, 1200)]);
    let r = case.report("tt124-2021");
    assert_eq!(r.status("7.1", "5"), Status::Met, "{}", r.reason("7.1", "5"));
    assert_mentions(r.reason("7.1", "5"), &["72/72 cán bộ, công chức, viên chức, người lao động, nhà giáo"]);
    // Without the learners' figures the part is undecided; a shortfall decides it.
    case.unit.commitments = Some(vec![staff_and_teachers]);
    assert_eq!(case.report("tt124-2021").status("7.1", "5"), Status::MissingData);
    case.unit.commitments = Some(vec![Commitment { also_groups: vec!["teachers".into()], ..commitment("staff", 71, 72) }]);
    assert_eq!(case.report("tt124-2021").status("7.1", "5"), Status::NotMet);
}

#[test]
fn the_severity_of_a_fire_follows_its_recorded_classification_else_its_harm() {
    let fire = || incident("fire_explosion", day());
    for (i, status, mention) in [
        (fire().harm(harm(1, &[], 0)), Status::NotMet, "cháy, nổ (nghiêm trọng theo thiệt hại)"),
        (fire().harm(harm(2, &[], 0)), Status::NotMet, "cháy, nổ (rất nghiêm trọng theo thiệt hại)"),
        (fire().harm(harm(0, &[70, 70, 61], 0)), Status::NotMet, "cháy, nổ (đặc biệt nghiêm trọng theo thiệt hại)"),
        (fire().harm(harm(0, &[60], 0)), Status::Met, "Không xảy ra cháy, nổ từ mức nghiêm trọng trở lên"),
        // The competent body's classification wins over the harm.
        (fire().harm(harm(1, &[], 0)).severity(S::ItNghiemTrong), Status::Met, "Không xảy ra cháy, nổ"),
        (fire(), Status::MissingData, "chưa rõ mức độ: cháy, nổ ngày 15/05/2024"),
    ] {
        let mut case = Case::compliant(AREA);
        push_incident(&mut case.unit, i.clone());
        let r = case.report("tt124-2021");
        assert_eq!(r.status("4.4", "d1"), status, "{i:?}: {}", r.reason("4.4", "d1"));
        assert_mentions(r.reason("4.4", "d1"), &[mention]);
    }
}

#[test]
fn a_labour_accident_is_fatal_when_its_harm_says_so() {
    for (i, status) in [
        (incident("labour_accident", day()).harm(harm(1, &[], 0)), Status::NotMet),
        (incident("labour_accident", day()).harm(harm(0, &[100], 0)), Status::Met),
        (incident("labour_accident", day()), Status::MissingData),
        (incident("fatal_labour_accident", day()), Status::NotMet),
    ] {
        let mut case = Case::compliant(AGENCY);
        push_incident(&mut case.unit, i.clone());
        let r = case.report("tt124-2021");
        assert_eq!(r.status("6.3", "g2"), status, "{i:?}: {}", r.reason("6.3", "g2"));
    }
    let mut unknown = Case::compliant(AGENCY);
    push_incident(&mut unknown.unit, incident("labour_accident", day()));
    assert_mentions(unknown.report("tt124-2021").reason("6.3", "g2"), &["chưa rõ thiệt hại: tai nạn lao động ngày 15/05/2024"]);
}

#[test]
fn force_majeure_is_excused_only_where_the_circular_says_so() {
    for (i, part) in [
        (incident("hotspot", day()).force_majeure(), ("4.4", "c1")),
        (incident("new_social_evil_person", day()).by_own_people().force_majeure(), ("4.4", "c2")),
        (incident("complex_dispute", day()).force_majeure(), ("4.3", "e")),
    ] {
        let mut case = Case::compliant(AREA);
        push_incident(&mut case.unit, i);
        assert_eq!(case.report("tt124-2021").status(part.0, part.1), Status::NotMet, "{part:?}");
    }
    let mut school = Case::compliant(SCHOOL);
    push_incident(&mut school.unit, incident("school_violence", day()).force_majeure());
    assert_eq!(school.report("tt124-2021").with_status(Status::NotMet), ["7.4/1"]);
}

#[test]
fn a_school_without_a_party_organisation_parents_board_or_protection_force() {
    // A university: those parts do not apply.
    let mut case = Case::compliant(SCHOOL);
    case.unit.attributes.insert("education_level".into(), "higher".into());
    case.unit.flags =
        BTreeMap::from([("party_organisation".into(), false), ("general_education".into(), false), ("protection_force".into(), false)]);
    for kind in ["party_resolution", "parents_coordination"] {
        drop_doc(&mut case.unit, kind);
    }
    case.unit.titles = Some(Vec::new());
    let r = case.report("tt124-2021");
    assert_eq!(r.outcome, Outcome::Recognised, "{}", r.dump());
    assert_eq!(r.with_status(Status::NotApplicable), ["7.1/1", "7.2/2", "7.5/1", "7.5/2"]);
    assert_eq!(r.criterion("7.5").status, Status::NotApplicable);
    // Whether a party organisation exists must be known.
    case.unit.flags.remove("party_organisation");
    let r = case.report("tt124-2021");
    assert_eq!((r.outcome, r.with_status(Status::MissingData)), (Outcome::Incomplete, vec!["7.1/1".to_owned()]));
}

#[test]
fn every_group_named_in_7_1_must_be_recorded() {
    for group in ["staff", "teachers", "learners"] {
        let mut case = Case::compliant(SCHOOL);
        case.unit.commitments.get_or_insert_default().retain(|c| c.group != group);
        let r = case.report("tt124-2021");
        assert_eq!(r.status("7.1", "5"), Status::MissingData, "{group}: {}", r.reason("7.1", "5"));
        assert_mentions(r.reason("7.1", "5"), &["chưa có số liệu"]);
    }
}

#[test]
fn a_commune_with_its_own_list_missing_still_fails_on_an_areas_event() {
    let mut case = Case::compliant(COMMUNE);
    case.unit.incidents = None;
    push_incident(&mut case.children[0].0, incident("mass_complaint_incitement", day()));
    let r = case.report("tt124-2021");
    assert_eq!(r.status("5.2", "k3g"), Status::NotMet);
    assert_mentions(r.reason("5.2", "k3g"), &["chưa nhập danh sách vụ việc của: Xã An Bình"]);
    assert_eq!(r.status("5.2", "k3a"), Status::MissingData);
    assert_eq!(r.reason("5.2", "k3a"), "Chưa nhập danh sách vụ việc");
}

// ----------------------------------------------------------------------------------------------
// Properties of the new checks: more bad news never helps, more harm never helps, order does
// not matter

mod properties {
    use common::assert_not_better;
    use proptest::prelude::*;
    use proptest::sample::select;

    use super::*;

    fn codes(map: &BTreeMap<String, String>) -> Vec<String> {
        map.keys().cloned().collect()
    }

    fn any_harm() -> impl Strategy<Value = Harm> {
        (0u32..3, proptest::collection::vec(0u32..=100, 0..4), select(vec![0u64, 99_999_999, 100_000_000, 500_000_000, 1_500_000_000]))
            .prop_map(|(deaths, injuries, damage_vnd)| Harm { deaths, injuries, damage_vnd })
    }

    /// Any event over the vocabulary of `tt124-2021`, with every fact issue 15 added.
    fn any_incident() -> impl Strategy<Value = Incident> {
        let v = &ruleset("tt124-2021").vocabulary;
        (
            (
                select(codes(&v.incident_kinds)),
                (0u64..420).prop_map(|n| d(2023, 10, 1) + chrono::Days::new(n)),
                proptest::option::of(select(S::ALL.to_vec())),
                proptest::option::of(any_harm()),
                proptest::option::of(select(codes(&v.domains))),
                proptest::option::of(select(codes(&v.groups))),
            ),
            (any::<bool>(), any::<bool>(), any::<bool>(), any::<Option<bool>>()),
        )
            .prop_map(
                |((kind, on, severity, harm, domain, group), (in_territory, by_own_people, force_majeure, reported_promptly))| Incident {
                    severity,
                    harm,
                    domain,
                    group,
                    in_territory,
                    by_own_people,
                    force_majeure,
                    reported_promptly,
                    ..Incident::new(kind, on)
                },
            )
    }

    /// A unit of any type with a few events already recorded (a commune's in its areas too).
    fn any_case() -> impl Strategy<Value = Case> {
        (select(vec![AREA, COMMUNE, AGENCY, SCHOOL]), proptest::collection::vec((any_incident(), any::<proptest::sample::Index>()), 0..5))
            .prop_map(|(t, events)| {
                let mut case = Case::compliant(t);
                for (i, at) in events {
                    let slot = at.index(case.children.len() + 1);
                    let unit = if slot == 0 { &mut case.unit } else { &mut case.children[slot - 1].0 };
                    push_incident(unit, i);
                }
                case
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn adding_an_incident_never_raises_the_outcome_or_a_part(
            mut case in any_case(),
            extra in any_incident(),
            at in any::<proptest::sample::Index>(),
        ) {
            let before = case.report("tt124-2021");
            let slot = at.index(case.children.len() + 1);
            let unit = if slot == 0 { &mut case.unit } else { &mut case.children[slot - 1].0 };
            push_incident(unit, extra);
            assert_not_better(&before, &case.report("tt124-2021"))?;
        }

        /// One more death, one more injured person or more damage never makes a fire or an
        /// accident less serious.
        #[test]
        fn more_harm_never_helps(
            case in any_case(),
            extra in any_incident(),
            kind in select(vec!["fire_explosion", "labour_accident", "traffic_accident"]),
            harm in any_harm(),
            more in select(vec![0usize, 1, 2]),
        ) {
            let mut worse_harm = harm.clone();
            match more {
                0 => worse_harm.deaths += 1,
                1 => worse_harm.injuries.push(61),
                _ => worse_harm.damage_vnd += 500_000_000,
            }
            let event = Incident { kind: kind.into(), harm: Some(harm), ..extra };
            let (mut less, mut worse) = (case.clone(), case);
            push_incident(&mut less.unit, event.clone());
            push_incident(&mut worse.unit, Incident { harm: Some(worse_harm), ..event });
            assert_not_better(&less.report("tt124-2021"), &worse.report("tt124-2021"))?;
        }

        #[test]
        fn the_order_of_incidents_does_not_matter(mut case in any_case(), extra in proptest::collection::vec(any_incident(), 0..6)) {
            case.unit.incidents.get_or_insert_default().extend(extra);
            let mut reversed = case.clone();
            reversed.unit.incidents.get_or_insert_default().reverse();
            for (child, _) in &mut reversed.children {
                child.incidents.get_or_insert_default().reverse();
            }
            prop_assert_eq!(case.report("tt124-2021"), reversed.report("tt124-2021"));
        }
    }
}

/// The clauses whose own words could be checked against a copy of the circular are quoted
/// exactly (docs/rulesets.md §3 lists which texts are the circular's and which are antt's
/// reading).
#[test]
fn the_clauses_checked_against_the_circular_quote_it_exactly() {
    let quoted = [
        (
            "4.1",
            "Quý I hằng năm, chi bộ có nghị quyết, khu dân cư có đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự”; 100% hộ gia đình đang cư trú trên địa bàn đăng ký tham gia xây dựng khu dân cư “An toàn về an ninh, trật tự”.",
        ),
        (
            "4.2",
            "Triển khai, thực hiện đầy đủ các chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước, các quy định của địa phương về công tác bảo đảm an ninh, trật tự.",
        ),
        (
            "6.1",
            "Quý I hằng năm, tổ chức Đảng có nghị quyết chuyên đề riêng hoặc lồng ghép công tác bảo đảm an ninh, trật tự trong nghị quyết lãnh đạo, chỉ đạo hằng năm (đối với nơi có tổ chức Đảng); cơ quan, doanh nghiệp có kế hoạch về bảo đảm an ninh, trật tự và đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự”; có nội quy, quy định bảo vệ cơ quan, doanh nghiệp, bảo vệ bí mật Nhà nước, bảo vệ chính trị nội bộ, an toàn lao động, phòng, chống cháy nổ, bảo vệ môi trường phù hợp với tình hình thực tiễn và quy định của pháp luật; 100% cán bộ, công chức, viên chức, người lao động được phổ biến quán triệt các nội quy, quy định nêu trên và tiêu chí xây dựng cơ quan, doanh nghiệp đạt tiêu chuẩn “An toàn về an ninh, trật tự”; có ít nhất 01 mô hình phong trào toàn dân bảo vệ an ninh Tổ quốc hoạt động hiệu quả.",
        ),
    ];
    for id in BOTH {
        for (criterion, text) in quoted {
            let c = ruleset(id).criteria.iter().find(|c| c.id == criterion).expect("criterion");
            assert_eq!(c.text, text, "{id} {criterion}");
        }
    }
}
