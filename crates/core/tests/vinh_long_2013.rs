//! The `vinh-long-2013` ruleset (QĐ 710/QĐ-UBND of Vĩnh Long, section III, criteria 1.1–5.4)
//! against facts: every part of every criterion on both sides, the boundaries the plan's words
//! draw ("100%", "70% … trở lên", "từ … trở lên", "nghiêm trọng"), parts that do not apply,
//! missing data, a commune's territory, the evaluation period and the registration deadline.
//!
//! Each part test starts from a fully compliant unit and changes one thing. A "not met" test
//! checks that exactly that part fails and the unit is not recognised; a "met" test checks that
//! the change (a near miss, where there is one) leaves the part met and the unit recognised.
//! Both check that the Vietnamese reason names the facts.

mod common;

use antt_core::calendar::Timeliness;
use antt_core::eval::{Outcome, Status};
use antt_core::model::{Commitment, DisciplineLevel as L, Severity as S};
use antt_core::rollup::{Tree, roll_up};
use common::*;

// ----------------------------------------------------------------------------------------------
// The compliant units

#[test]
fn compliant_units_of_every_type_are_recognised() {
    for t in TYPES {
        let r = Case::compliant(t).report();
        assert_eq!(r.outcome, Outcome::Recognised, "{t}:\n{}", r.dump());
        assert!(r.with_status(Status::NotMet).is_empty() && r.with_status(Status::MissingData).is_empty(), "{t}:\n{}", r.dump());
        // Every part applies to the compliant unit: its flags are all set.
        assert!(r.with_status(Status::NotApplicable).is_empty(), "{t}:\n{}", r.dump());
    }
}

#[test]
fn compliant_units_cover_every_criterion_1_1_to_5_4() {
    let mut ids = Vec::new();
    for t in TYPES {
        ids.extend(Case::compliant(t).report().criteria.into_iter().map(|c| c.id));
    }
    let expected = [
        "1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4", "3.5", "4.1", "4.2", "4.3", "4.4",
        "4.5", "5.1", "5.2", "5.3", "5.4",
    ];
    assert_eq!(ids, expected);
}

// ----------------------------------------------------------------------------------------------
// Every part, both sides

/// Applies `change` to a compliant unit of `unit_type`: the part stays met and the unit
/// recognised, and the reason mentions every one of `expected`.
#[track_caller]
fn check_met(unit_type: &str, criterion: &str, part: &str, change: impl FnOnce(&mut Case), expected: &[&str]) {
    let mut case = Case::compliant(unit_type);
    change(&mut case);
    let r = case.report();
    assert_eq!(r.status(criterion, part), Status::Met, "{criterion}/{part}:\n{}", r.dump());
    assert_eq!(r.outcome, Outcome::Recognised, "{}", r.dump());
    assert_mentions(r.reason(criterion, part), expected);
}

/// Applies `change` to a compliant unit of `unit_type`: exactly that part fails, so does its
/// criterion, the unit is not recognised, and the reason mentions every one of `expected`.
#[track_caller]
fn check_not_met(unit_type: &str, criterion: &str, part: &str, change: impl FnOnce(&mut Case), expected: &[&str]) {
    let mut case = Case::compliant(unit_type);
    change(&mut case);
    let r = case.report();
    assert_eq!(r.with_status(Status::NotMet), [format!("{criterion}/{part}")], "{}", r.dump());
    assert!(r.with_status(Status::MissingData).is_empty(), "{}", r.dump());
    assert_eq!(r.criterion(criterion).status, Status::NotMet);
    assert_eq!(r.outcome, Outcome::NotRecognised);
    assert_mentions(r.reason(criterion, part), expected);
}

macro_rules! part {
    ($name:ident: $t:expr, $c:literal / $p:literal,
     met: $met:expr => [$($m:expr),* $(,)?],
     not_met: $not:expr => [$($n:expr),* $(,)?] $(,)?) => {
        mod $name {
            use super::*;

            #[test]
            fn met() {
                check_met($t, $c, $p, $met, &[$($m),*]);
            }

            #[test]
            fn not_met() {
                check_not_met($t, $c, $p, $not, &[$($n),*]);
            }
        }
    };
}

fn same(_: &mut Case) {}

fn without(kind: &'static str) -> impl FnOnce(&mut Case) {
    move |c| drop_doc(&mut c.unit, kind)
}

fn with_incident(i: antt_core::model::Incident) -> impl FnOnce(&mut Case) {
    move |c| push_incident(&mut c.unit, i)
}

fn with_discipline(force: &'static str, level: L) -> impl FnOnce(&mut Case) {
    move |c| push_discipline(&mut c.unit, discipline(force, level, day(), "Nguyễn Văn An"))
}

fn with_title(force: &'static str, scale: &'static str, level: &'static str) -> impl FnOnce(&mut Case) {
    move |c| set_title(&mut c.unit, force, scale, level)
}

fn judged_not_met(criterion: &'static str, part: &'static str) -> impl FnOnce(&mut Case) {
    move |c| judge(&mut c.unit, criterion, part, false, Some("chưa triển khai Chỉ thị 15/CT-UBND"))
}

const JUDGED_MET: &str = "Đoàn kiểm tra đánh giá: đạt (Đoàn kiểm tra huyện Long Hồ, 15/10/2013)";
const JUDGED_NOT_MET: &str =
    "Đoàn kiểm tra đánh giá: không đạt — chưa triển khai Chỉ thị 15/CT-UBND (Đoàn kiểm tra huyện Long Hồ, 15/10/2013)";
const RESOLUTION: &str = "nghị quyết của cấp ủy Đảng về công tác bảo đảm an ninh, trật tự";
const PLAN: &str = "kế hoạch về công tác bảo đảm an ninh, trật tự";
const REGISTRATION: &str = "bản đăng ký phấn đấu đạt tiêu chuẩn “An toàn về ANTT”";
const RULES: &str = "nội quy, quy chế bảo vệ đơn vị, bảo vệ chính trị nội bộ, phòng, chống cháy, nổ";
const MODEL: &str = "mô hình tự phòng, tự quản, tự bảo vệ về an ninh, trật tự";
const COORDINATION: &str = "kế hoạch phối hợp với chính quyền địa phương và cơ quan Công an";

// 1. Khu dân cư --------------------------------------------------------------------------------

part!(p1_1_a: AREA, "1.1" / "a",
    met: same => ["Có nghị quyết của cấp ủy Đảng về công tác bảo đảm an ninh, trật tự số 01/NQ-CB ngày 10/05/2013"],
    not_met: without("party_resolution") => ["Không có nghị quyết của cấp ủy Đảng về công tác bảo đảm an ninh, trật tự"]);
part!(p1_1_b: AREA, "1.1" / "b",
    met: same => ["Có bản đăng ký phấn đấu đạt tiêu chuẩn “An toàn về ANTT” số 03/ĐK ngày 15/05/2013"],
    not_met: without("registration") => [&format!("Không có {REGISTRATION}")]);
part!(p1_1_c: AREA, "1.1" / "c",
    met: same => ["250/250 hộ gia đình ký cam kết (100%; cần 100%)"],
    not_met: |c: &mut Case| set_commitment(&mut c.unit, "households", 249, 250) => ["249/250 hộ gia đình ký cam kết (99,6%; cần 100%)"]);
part!(p1_2_a: AREA, "1.2" / "a",
    met: same => [JUDGED_MET],
    not_met: judged_not_met("1.2", "a") => [JUDGED_NOT_MET]);
part!(p1_2_b: AREA, "1.2" / "b",
    met: same => [&format!("Có {MODEL} số 05/QĐ ngày 17/05/2013")],
    not_met: without("self_management_model") => [&format!("Không có {MODEL}")]);
part!(p1_3_a: AREA, "1.3" / "a",
    // Outside the area and not by its residents: not this area's event.
    met: with_incident(incident("anti_party", day()).outside()) => [
        "Không xảy ra hoạt động chống Đảng, chống chính quyền, phá hoại khối đại đoàn kết toàn dân tộc, \
         phá hoại mục tiêu, công trình kinh tế, văn hóa, xã hội, an ninh quốc phòng trên địa bàn"],
    not_met: with_incident(incident("sabotage", day())) => [
        "Xảy ra 1 vụ trên địa bàn: phá hoại mục tiêu, công trình kinh tế, văn hóa, xã hội, an ninh quốc phòng ngày 12/03/2013"]);
part!(p1_3_b: AREA, "1.3" / "b",
    met: same => ["Không xảy ra tuyên truyền, phát triển đạo trái pháp luật, hoạt động ly khai, đòi tự trị, gây rối an ninh, trật tự trên địa bàn"],
    not_met: |c: &mut Case| {
        push_incident(&mut c.unit, incident("public_disorder", d(2013, 8, 1)).note("tụ tập gây rối tại chợ"));
        push_incident(&mut c.unit, incident("unlawful_religion", d(2013, 4, 2)));
    } => ["Xảy ra 2 vụ trên địa bàn: tuyên truyền, phát triển đạo trái pháp luật ngày 02/04/2013; \
           gây rối an ninh, trật tự ngày 01/08/2013: tụ tập gây rối tại chợ"]);
part!(p1_3_c: AREA, "1.3" / "c",
    met: same => ["Không xảy ra mâu thuẫn, tranh chấp phức tạp trong nội bộ nhân dân trên địa bàn"],
    not_met: with_incident(incident("complex_dispute", day()).note("tranh chấp đất giữa hai dòng họ")) => [
        "mâu thuẫn, tranh chấp phức tạp trong nội bộ nhân dân ngày 12/03/2013: tranh chấp đất giữa hai dòng họ"]);
part!(p1_4_a: AREA, "1.4" / "a",
    // As many as the year before is not more.
    met: |c: &mut Case| {
        c.unit.previous_year.get_or_insert_default().insert("other_violation".into(), 1);
        push_incident(&mut c.unit, incident("other_violation", day()));
    } => ["Tội phạm: 0 vụ, năm trước 5 (giảm)", "vi phạm pháp luật khác: 1 vụ, năm trước 1 (bằng)"],
    not_met: |c: &mut Case| {
        for m in 1..=4 {
            push_incident(&mut c.unit, incident("traffic_accident", d(2013, m, 5)).severity(S::ItNghiemTrong));
        }
    } => ["tai nạn giao thông: 4 vụ, năm trước 3 (tăng)"]);
part!(p1_4_b: AREA, "1.4" / "b",
    met: with_incident(incident("crime", day()).severity(S::ItNghiemTrong).reported(true)) => [
        "Không xảy ra tội phạm từ mức nghiêm trọng trở lên trên địa bàn"],
    not_met: with_incident(incident("crime", day()).severity(S::NghiemTrong).reported(true)) => [
        "Xảy ra 1 vụ trên địa bàn từ mức nghiêm trọng trở lên: tội phạm (nghiêm trọng) ngày 12/03/2013"]);
part!(p1_4_c: AREA, "1.4" / "c",
    met: with_incident(incident("crime", day()).severity(S::ItNghiemTrong).outside().by_own_people()) => [
        "Không xảy ra tội phạm từ mức nghiêm trọng trở lên do người của đơn vị gây ra"],
    not_met: with_incident(incident("crime", day()).severity(S::RatNghiemTrong).outside().by_own_people()) => [
        "Xảy ra 1 vụ do người của đơn vị gây ra từ mức nghiêm trọng trở lên: \
         tội phạm (rất nghiêm trọng) ngày 12/03/2013 ngoài địa bàn do người của đơn vị gây ra"]);
part!(p1_4_d: AREA, "1.4" / "d",
    met: with_incident(incident("crime", day()).severity(S::ItNghiemTrong).reported(true)) => [
        "Cả 1 vụ tội phạm đều được phát hiện, báo cáo ngay"],
    not_met: with_incident(incident("crime", day()).severity(S::ItNghiemTrong).reported(false)) => [
        "Không phát hiện, báo cáo ngay: tội phạm (ít nghiêm trọng) ngày 12/03/2013"]);
part!(p1_4_e: AREA, "1.4" / "e",
    met: same => ["Không xảy ra tụ điểm phức tạp về trật tự xã hội trên địa bàn"],
    not_met: with_incident(incident("hotspot", day()).note("quán cà phê đánh bạc")) => [
        "Xảy ra 1 vụ trên địa bàn: tụ điểm phức tạp về trật tự xã hội ngày 12/03/2013: quán cà phê đánh bạc"]);
part!(p1_4_f: AREA, "1.4" / "f",
    // A newcomer from elsewhere is not one of the area's residents.
    met: with_incident(incident("new_social_evil_person", day())) => [
        "Không xảy ra phát sinh người mắc tệ nạn xã hội do người của đơn vị gây ra"],
    not_met: with_incident(incident("new_social_evil_person", day()).by_own_people()) => [
        "Xảy ra 1 vụ do người của đơn vị gây ra: phát sinh người mắc tệ nạn xã hội ngày 12/03/2013 do người của đơn vị gây ra"]);
part!(p1_4_g: AREA, "1.4" / "g",
    met: with_incident(incident("traffic_accident", day()).severity(S::ItNghiemTrong).by_own_people()) => [
        "Không xảy ra cháy, nổ, tai nạn giao thông, tai nạn lao động từ mức nghiêm trọng trở lên do người của đơn vị gây ra"],
    not_met: with_incident(incident("fire_explosion", day()).severity(S::NghiemTrong).outside().by_own_people()) => [
        "cháy, nổ (nghiêm trọng) ngày 12/03/2013 ngoài địa bàn do người của đơn vị gây ra"]);
part!(p1_5_a: AREA, "1.5" / "a",
    met: with_title("grassroots_security", "task_rating", "hoan_thanh_xuat_sac") => [
        "Công an viên, bảo vệ dân phố: “Hoàn thành xuất sắc nhiệm vụ” (cần “Hoàn thành tốt nhiệm vụ” trở lên)"],
    not_met: with_title("grassroots_security", "task_rating", "hoan_thanh") => [
        "Công an viên, bảo vệ dân phố: “Hoàn thành nhiệm vụ” (cần “Hoàn thành tốt nhiệm vụ” trở lên)"]);
part!(p1_5_b: AREA, "1.5" / "b",
    met: with_discipline("grassroots_security", L::KhienTrach) => [
        "Không có công an viên, bảo vệ dân phố bị kỷ luật từ cảnh cáo trở lên",
        "(dưới mức cảnh cáo, không tính: công an viên, bảo vệ dân phố Nguyễn Văn An bị kỷ luật khiển trách ngày 12/03/2013)"],
    not_met: with_discipline("grassroots_security", L::CanhCao) => [
        "Công an viên, bảo vệ dân phố Nguyễn Văn An bị kỷ luật cảnh cáo ngày 12/03/2013"]);

// 2. Xã, phường, thị trấn ----------------------------------------------------------------------

part!(p2_1_a: COMMUNE, "2.1" / "a",
    met: same => [&format!("Có {RESOLUTION} số 01/NQ-CB ngày 10/05/2013")],
    not_met: without("party_resolution") => [&format!("Không có {RESOLUTION}")]);
part!(p2_1_b: COMMUNE, "2.1" / "b",
    met: same => [&format!("Có {PLAN} số 02/KH-UBND ngày 12/05/2013")],
    not_met: without("security_plan") => [&format!("Không có {PLAN}")]);
part!(p2_1_c: COMMUNE, "2.1" / "c",
    met: same => [&format!("Có {REGISTRATION} số 03/ĐK ngày 15/05/2013")],
    not_met: without("registration") => [&format!("Không có {REGISTRATION}")]);
part!(p2_2_k2a: COMMUNE, "2.2" / "k2a",
    met: same => [JUDGED_MET],
    not_met: judged_not_met("2.2", "k2a") => [JUDGED_NOT_MET]);
part!(p2_2_k2b: COMMUNE, "2.2" / "k2b",
    met: same => [&format!("Có {MODEL} số 05/QĐ")],
    not_met: without("self_management_model") => [&format!("Không có {MODEL}")]);
part!(p2_2_k3a: COMMUNE, "2.2" / "k3a",
    met: same => ["Không xảy ra hoạt động chống Đảng, chống chính quyền, phá hoại khối đại đoàn kết toàn dân tộc trên địa bàn"],
    not_met: with_incident(incident("anti_party", day())) => [
        "Xảy ra 1 vụ trên địa bàn: hoạt động chống Đảng, chống chính quyền, phá hoại khối đại đoàn kết toàn dân tộc ngày 12/03/2013"]);
part!(p2_2_k3b: COMMUNE, "2.2" / "k3b",
    met: same => ["Không xảy ra phá hoại mục tiêu, công trình kinh tế, văn hóa, xã hội, an ninh quốc phòng trên địa bàn"],
    not_met: with_incident(incident("sabotage", day())) => [
        "Xảy ra 1 vụ trên địa bàn: phá hoại mục tiêu, công trình kinh tế, văn hóa, xã hội, an ninh quốc phòng ngày 12/03/2013"]);
part!(p2_2_k3c: COMMUNE, "2.2" / "k3c",
    met: with_incident(incident("public_disorder", day()).outside()) => [
        "Không xảy ra tuyên truyền, phát triển đạo trái pháp luật, hoạt động ly khai, đòi tự trị, gây rối an ninh, trật tự trên địa bàn"],
    not_met: with_incident(incident("public_disorder", day())) => ["Xảy ra 1 vụ trên địa bàn: gây rối an ninh, trật tự ngày 12/03/2013"]);
part!(p2_2_k3d: COMMUNE, "2.2" / "k3d",
    met: with_incident(incident("mass_complaint", day()).outside()) => [
        "Không xảy ra mâu thuẫn, tranh chấp phức tạp trong nội bộ nhân dân, khiếu kiện đông người, khiếu kiện vượt cấp trái pháp luật trên địa bàn"],
    not_met: with_incident(incident("mass_complaint", day())) => [
        "Xảy ra 1 vụ trên địa bàn: khiếu kiện đông người, khiếu kiện vượt cấp trái pháp luật ngày 12/03/2013"]);
part!(p2_2_k4a: COMMUNE, "2.2" / "k4a",
    met: same => ["Tội phạm: 0 vụ, năm trước 5 (giảm); tai nạn giao thông: 0 vụ, năm trước 3 (giảm)"],
    not_met: |c: &mut Case| {
        c.unit.previous_year.get_or_insert_default().remove("social_evil");
        push_incident(&mut c.unit, incident("social_evil", day()));
    } => ["tệ nạn xã hội: 1 vụ, năm trước 0 (tăng)"]);
part!(p2_2_k4b1: COMMUNE, "2.2" / "k4b1",
    met: with_incident(incident("crime", day()).severity(S::ItNghiemTrong).reported(true)) => [
        "Không xảy ra tội phạm từ mức nghiêm trọng trở lên trên địa bàn"],
    not_met: with_incident(incident("crime", day()).severity(S::DacBietNghiemTrong).reported(true)) => [
        "Xảy ra 1 vụ trên địa bàn từ mức nghiêm trọng trở lên: tội phạm (đặc biệt nghiêm trọng) ngày 12/03/2013"]);
part!(p2_2_k4b2: COMMUNE, "2.2" / "k4b2",
    met: same => ["Không xảy ra tội phạm từ mức nghiêm trọng trở lên do người của đơn vị gây ra"],
    not_met: with_incident(incident("crime", day()).severity(S::NghiemTrong).outside().by_own_people()) => [
        "Xảy ra 1 vụ do người của đơn vị gây ra từ mức nghiêm trọng trở lên: tội phạm (nghiêm trọng) ngày 12/03/2013"]);
part!(p2_2_k4b3: COMMUNE, "2.2" / "k4b3",
    met: same => ["Không có vụ tội phạm nào phải báo cáo"],
    not_met: with_incident(incident("crime", day()).severity(S::ItNghiemTrong).reported(false)) => [
        "Không phát hiện, báo cáo ngay: tội phạm (ít nghiêm trọng) ngày 12/03/2013"]);
part!(p2_2_k4c1: COMMUNE, "2.2" / "k4c1",
    met: same => ["Không xảy ra tụ điểm phức tạp về trật tự xã hội trên địa bàn"],
    not_met: with_incident(incident("hotspot", day())) => ["Xảy ra 1 vụ trên địa bàn: tụ điểm phức tạp về trật tự xã hội ngày 12/03/2013"]);
part!(p2_2_k4c2: COMMUNE, "2.2" / "k4c2",
    met: same => ["Không xảy ra phát sinh người mắc tệ nạn xã hội do người của đơn vị gây ra"],
    not_met: with_incident(incident("new_social_evil_person", day()).by_own_people()) => [
        "phát sinh người mắc tệ nạn xã hội ngày 12/03/2013 do người của đơn vị gây ra"]);
part!(p2_2_k4d: COMMUNE, "2.2" / "k4d",
    met: with_incident(incident("labour_accident", day()).severity(S::ItNghiemTrong).by_own_people()) => [
        "Không xảy ra cháy, nổ, tai nạn giao thông, tai nạn lao động từ mức nghiêm trọng trở lên do người của đơn vị gây ra"],
    not_met: with_incident(incident("labour_accident", day()).severity(S::NghiemTrong).by_own_people()) => [
        "tai nạn lao động (nghiêm trọng) ngày 12/03/2013 do người của đơn vị gây ra"]);
part!(p2_3_a: COMMUNE, "2.3" / "a",
    met: with_title("commune_police", "police_unit", "don_vi_quyet_thang") => [
        "Công an xã, bảo vệ dân phố: “Đơn vị quyết thắng” (cần “Đơn vị tiên tiến” trở lên)"],
    not_met: with_title("commune_police", "police_unit", "khong_dat") => [
        "Công an xã, bảo vệ dân phố: “Không đạt danh hiệu” (cần “Đơn vị tiên tiến” trở lên)"]);
part!(p2_3_b: COMMUNE, "2.3" / "b",
    met: with_discipline("commune_police", L::KhienTrach) => [
        "Không có công an xã, bảo vệ dân phố, công an viên, bảo vệ dân phố bị kỷ luật từ cảnh cáo trở lên", "khiển trách ngày 12/03/2013"],
    not_met: with_discipline("commune_police", L::HaBacLuong) => [
        "Công an xã, bảo vệ dân phố Nguyễn Văn An bị kỷ luật hạ bậc lương ngày 12/03/2013"]);
part!(p2_4_a: COMMUNE, "2.4" / "a",
    met: same => ["10/10 khu dân cư đạt chuẩn (cần 7)"],
    not_met: |c: &mut Case| {
        for child in &mut c.children[6..] {
            child.1 = Some(false);
        }
    } => ["6/10 khu dân cư đạt chuẩn (cần 7); chưa đạt: Ấp 07, Ấp 08, Ấp 09, Ấp 10"]);

// 3. Cơ quan, doanh nghiệp ---------------------------------------------------------------------

part!(p3_1_a: AGENCY, "3.1" / "a",
    met: same => [&format!("Có {RESOLUTION}")],
    not_met: without("party_resolution") => [&format!("Không có {RESOLUTION}")]);
part!(p3_1_b: AGENCY, "3.1" / "b",
    met: same => [&format!("Có {PLAN} số 02/KH-UBND")],
    not_met: without("security_plan") => [&format!("Không có {PLAN}")]);
part!(p3_1_c: AGENCY, "3.1" / "c",
    met: same => [&format!("Có {REGISTRATION}")],
    not_met: without("registration") => [&format!("Không có {REGISTRATION}")]);
part!(p3_1_d: AGENCY, "3.1" / "d",
    met: same => [&format!("Có {RULES} số 04/NQ ngày 16/05/2013")],
    not_met: without("internal_rules") => [&format!("Không có {RULES}")]);
part!(p3_1_e: AGENCY, "3.1" / "e",
    met: same => ["120/120 cán bộ, công nhân viên ký cam kết (100%; cần 100%)"],
    not_met: |c: &mut Case| set_commitment(&mut c.unit, "staff", 118, 120) => ["118/120 cán bộ, công nhân viên ký cam kết (98,3%; cần 100%)"]);
part!(p3_2_a: AGENCY, "3.2" / "a",
    met: same => [JUDGED_MET],
    not_met: judged_not_met("3.2", "a") => [JUDGED_NOT_MET]);
part!(p3_2_b: AGENCY, "3.2" / "b",
    met: same => [&format!("Có {COORDINATION} số 06/KHPH")],
    not_met: without("coordination_plan") => [&format!("Không có {COORDINATION}")]);
part!(p3_2_c: AGENCY, "3.2" / "c",
    met: same => [&format!("Có {MODEL}")],
    not_met: without("self_management_model") => [&format!("Không có {MODEL}")]);
part!(p3_3_a: AGENCY, "3.3" / "a",
    met: same => ["Không xảy ra khiếu kiện đông người, khiếu kiện vượt cấp trái pháp luật, đình công trái pháp luật trên địa bàn"],
    not_met: with_incident(incident("illegal_strike", day()).note("120 công nhân ngừng việc")) => [
        "Xảy ra 1 vụ trên địa bàn: đình công trái pháp luật ngày 12/03/2013: 120 công nhân ngừng việc"]);
part!(p3_3_b: AGENCY, "3.3" / "b",
    met: same => ["Không xảy ra mất trộm tài sản có giá trị lớn, để lộ công nghệ, bí mật nhà nước trên địa bàn"],
    not_met: with_incident(incident("secret_leak", day())) => ["Xảy ra 1 vụ trên địa bàn: để lộ công nghệ, bí mật nhà nước ngày 12/03/2013"]);
part!(p3_3_c: AGENCY, "3.3" / "c",
    met: with_incident(incident("labour_accident", day()).severity(S::ItNghiemTrong)) => [
        "Không xảy ra cháy, nổ, tai nạn lao động từ mức nghiêm trọng trở lên trên địa bàn"],
    not_met: with_incident(incident("labour_accident", day()).severity(S::NghiemTrong)) => [
        "Xảy ra 1 vụ trên địa bàn từ mức nghiêm trọng trở lên: tai nạn lao động (nghiêm trọng) ngày 12/03/2013"]);
part!(p3_3_d: AGENCY, "3.3" / "d",
    // Social evils on the premises by outsiders are not the staff's.
    met: with_incident(incident("social_evil", day())) => ["Không xảy ra tội phạm, tệ nạn xã hội, phát sinh người mắc tệ nạn xã hội do người của đơn vị gây ra"],
    not_met: with_incident(incident("social_evil", day()).outside().by_own_people()) => [
        "Xảy ra 1 vụ do người của đơn vị gây ra: tệ nạn xã hội ngày 12/03/2013 ngoài địa bàn do người của đơn vị gây ra"]);
part!(p3_4_a: AGENCY, "3.4" / "a",
    met: with_title("protection_force", "collective_labour", "xuat_sac") => [
        "Lực lượng bảo vệ chuyên trách, bán chuyên trách: “Tập thể lao động xuất sắc” (cần “Tập thể lao động tiên tiến” trở lên)"],
    not_met: |c: &mut Case| c.unit.titles = Some(vec![]) => [
        "Lực lượng bảo vệ chuyên trách, bán chuyên trách chưa có danh hiệu (cần “Tập thể lao động tiên tiến” trở lên)"]);
part!(p3_4_b: AGENCY, "3.4" / "b",
    met: with_discipline("protection_force", L::KhienTrach) => ["Không có lực lượng bảo vệ chuyên trách, bán chuyên trách bị kỷ luật từ cảnh cáo trở lên"],
    not_met: with_discipline("protection_force", L::CachChuc) => [
        "Lực lượng bảo vệ chuyên trách, bán chuyên trách Nguyễn Văn An bị kỷ luật cách chức ngày 12/03/2013"]);
part!(p3_5_a: AGENCY, "3.5" / "a",
    met: same => ["10/10 đầu mối trực thuộc đạt “Tập thể lao động tiên tiến” trở lên (cần 7)"],
    not_met: |c: &mut Case| {
        for s in &mut c.unit.sub_units.get_or_insert_default()[6..] {
            s.titles.clear();
        }
    } => ["6/10 đầu mối trực thuộc đạt “Tập thể lao động tiên tiến” trở lên (cần 7); chưa đạt: Phòng 07, Phòng 08, Phòng 09, Phòng 10"]);

// 4. Nhà trường --------------------------------------------------------------------------------

part!(p4_1_a: SCHOOL, "4.1" / "a",
    met: same => [&format!("Có {RESOLUTION}")],
    not_met: without("party_resolution") => [&format!("Không có {RESOLUTION}")]);
part!(p4_1_b: SCHOOL, "4.1" / "b",
    met: same => [&format!("Có {PLAN}")],
    not_met: without("security_plan") => [&format!("Không có {PLAN}")]);
part!(p4_1_c: SCHOOL, "4.1" / "c",
    met: same => [&format!("Có {REGISTRATION}")],
    not_met: without("registration") => [&format!("Không có {REGISTRATION}")]);
part!(p4_1_d: SCHOOL, "4.1" / "d",
    met: same => [&format!("Có {RULES}")],
    not_met: without("internal_rules") => [&format!("Không có {RULES}")]);
part!(p4_1_e: SCHOOL, "4.1" / "e",
    met: same => ["Ký cam kết: 420/420 học sinh trung học cơ sở; 380/380 học sinh trung học phổ thông; 15/15 cán bộ, công nhân viên; \
                   45/45 giáo viên — tổng 860/860 (100%; cần 100%)"],
    not_met: |c: &mut Case| set_commitment(&mut c.unit, "teachers", 44, 45) => ["44/45 giáo viên", "tổng 859/860 (99,9%; cần 100%)"]);
part!(p4_2_a: SCHOOL, "4.2" / "a",
    met: same => [JUDGED_MET],
    not_met: judged_not_met("4.2", "a") => [JUDGED_NOT_MET]);
part!(p4_2_b: SCHOOL, "4.2" / "b",
    met: same => [&format!("Có {COORDINATION}")],
    not_met: without("coordination_plan") => [&format!("Không có {COORDINATION}")]);
part!(p4_2_c: SCHOOL, "4.2" / "c",
    met: same => ["Có kế hoạch phối hợp với gia đình người học số 07/KHPH ngày 19/05/2013"],
    not_met: without("parents_coordination") => ["Không có kế hoạch phối hợp với gia đình người học"]);
part!(p4_2_d: SCHOOL, "4.2" / "d",
    met: same => [&format!("Có {MODEL}")],
    not_met: without("self_management_model") => [&format!("Không có {MODEL}")]);
part!(p4_3_a: SCHOOL, "4.3" / "a",
    met: same => ["Không xảy ra gây rối an ninh, trật tự, biểu tình, lập hội, nhóm, tụ tập đông người trái pháp luật, \
                   tuyên truyền, phát triển đạo trái pháp luật, khiếu kiện đông người, khiếu kiện vượt cấp trái pháp luật trên địa bàn"],
    not_met: with_incident(incident("illegal_assembly", day())) => [
        "Xảy ra 1 vụ trên địa bàn: biểu tình, lập hội, nhóm, tụ tập đông người trái pháp luật ngày 12/03/2013"]);
part!(p4_3_b: SCHOOL, "4.3" / "b",
    met: same => ["Không xảy ra tội phạm, bạo lực học đường trên địa bàn"],
    not_met: with_incident(incident("school_violence", day()).note("học sinh lớp 8 đánh nhau")) => [
        "Xảy ra 1 vụ trên địa bàn: bạo lực học đường ngày 12/03/2013: học sinh lớp 8 đánh nhau"]);
part!(p4_3_c: SCHOOL, "4.3" / "c",
    met: same => ["Không xảy ra tội phạm, tệ nạn xã hội, phát sinh người mắc tệ nạn xã hội do người của đơn vị gây ra"],
    not_met: with_incident(incident("crime", day()).severity(S::ItNghiemTrong).outside().by_own_people()) => [
        "Xảy ra 1 vụ do người của đơn vị gây ra: tội phạm (ít nghiêm trọng) ngày 12/03/2013 ngoài địa bàn do người của đơn vị gây ra"]);
part!(p4_3_d: SCHOOL, "4.3" / "d",
    met: with_incident(incident("fire_explosion", day()).severity(S::ItNghiemTrong)) => [
        "Không xảy ra cháy, nổ, tai nạn lao động từ mức nghiêm trọng trở lên trên địa bàn"],
    not_met: with_incident(incident("fire_explosion", day()).severity(S::RatNghiemTrong)) => [
        "Xảy ra 1 vụ trên địa bàn từ mức nghiêm trọng trở lên: cháy, nổ (rất nghiêm trọng) ngày 12/03/2013"]);
part!(p4_4_a: SCHOOL, "4.4" / "a",
    met: with_title("protection_force", "collective_labour", "xuat_sac") => ["“Tập thể lao động xuất sắc” (cần “Tập thể lao động tiên tiến” trở lên)"],
    not_met: with_title("protection_force", "collective_labour", "khong_dat") => [
        "Lực lượng bảo vệ chuyên trách, bán chuyên trách: “Không đạt danh hiệu” (cần “Tập thể lao động tiên tiến” trở lên)"]);
part!(p4_4_b: SCHOOL, "4.4" / "b",
    met: with_discipline("protection_force", L::KhienTrach) => ["Không có lực lượng bảo vệ chuyên trách, bán chuyên trách bị kỷ luật từ cảnh cáo trở lên"],
    not_met: with_discipline("protection_force", L::GiangChuc) => [
        "Lực lượng bảo vệ chuyên trách, bán chuyên trách Nguyễn Văn An bị kỷ luật giáng chức ngày 12/03/2013"]);
part!(p4_5_a: SCHOOL, "4.5" / "a",
    met: |c: &mut Case| {
        for s in &mut c.unit.sub_units.get_or_insert_default()[7..] {
            s.titles.clear();
        }
    } => ["7/10 đầu mối trực thuộc đạt “Tập thể lao động tiên tiến” trở lên (cần 7); chưa đạt: Phòng 08, Phòng 09, Phòng 10"],
    not_met: |c: &mut Case| {
        for s in &mut c.unit.sub_units.get_or_insert_default()[6..] {
            s.titles.clear();
        }
    } => ["6/10 đầu mối trực thuộc đạt “Tập thể lao động tiên tiến” trở lên (cần 7)"]);

// 5. Cơ sở thờ tự ------------------------------------------------------------------------------

part!(p5_1_a: WORSHIP, "5.1" / "a",
    met: same => ["Có chương trình hành đạo số 08/CT ngày 20/05/2013"],
    not_met: without("worship_program") => ["Không có chương trình hành đạo"]);
part!(p5_1_b: WORSHIP, "5.1" / "b",
    met: same => [&format!("Có {PLAN}")],
    not_met: without("security_plan") => [&format!("Không có {PLAN}")]);
part!(p5_1_c: WORSHIP, "5.1" / "c",
    met: same => [&format!("Có {REGISTRATION}")],
    not_met: without("registration") => [&format!("Không có {REGISTRATION}")]);
part!(p5_1_d: WORSHIP, "5.1" / "d",
    met: same => [&format!("Có {RULES}")],
    not_met: without("internal_rules") => [&format!("Không có {RULES}")]);
part!(p5_1_e: WORSHIP, "5.1" / "e",
    met: same => ["Ký cam kết: 3/3 chức sắc; 850/850 tín đồ; 12/12 chức việc — tổng 865/865 (100%; cần 100%)"],
    not_met: |c: &mut Case| set_commitment(&mut c.unit, "followers", 849, 850) => [
        "Ký cam kết: 3/3 chức sắc; 849/850 tín đồ; 12/12 chức việc — tổng 864/865 (99,9%; cần 100%)"]);
part!(p5_2_a: WORSHIP, "5.2" / "a",
    met: same => [JUDGED_MET],
    not_met: judged_not_met("5.2", "a") => [JUDGED_NOT_MET]);
part!(p5_2_b: WORSHIP, "5.2" / "b",
    met: same => [&format!("Có {COORDINATION}")],
    not_met: without("coordination_plan") => [&format!("Không có {COORDINATION}")]);
part!(p5_2_c: WORSHIP, "5.2" / "c",
    met: same => ["Có sơ đồ hướng dẫn người đến hành lễ và khách tham quan số 09/SĐ ngày 21/05/2013"],
    not_met: without("visitor_guide_map") => ["Không có sơ đồ hướng dẫn người đến hành lễ và khách tham quan"]);
part!(p5_2_d: WORSHIP, "5.2" / "d",
    met: same => [&format!("Có {MODEL}")],
    not_met: without("self_management_model") => [&format!("Không có {MODEL}")]);
part!(p5_3_a: WORSHIP, "5.3" / "a",
    met: same => ["Không xảy ra gây rối an ninh, trật tự, biểu tình, lập hội, nhóm, tụ tập đông người trái pháp luật, \
                   khiếu kiện đông người, khiếu kiện vượt cấp trái pháp luật trên địa bàn"],
    not_met: with_incident(incident("mass_complaint", day())) => [
        "Xảy ra 1 vụ trên địa bàn: khiếu kiện đông người, khiếu kiện vượt cấp trái pháp luật ngày 12/03/2013"]);
part!(p5_3_b: WORSHIP, "5.3" / "b",
    met: same => ["Không xảy ra tội phạm, bạo lực nơi thờ tự trên địa bàn"],
    not_met: with_incident(incident("worship_violence", day())) => ["Xảy ra 1 vụ trên địa bàn: bạo lực nơi thờ tự ngày 12/03/2013"]);
part!(p5_3_c: WORSHIP, "5.3" / "c",
    met: same => ["Không xảy ra tội phạm, tệ nạn xã hội, phát sinh người mắc tệ nạn xã hội do người của đơn vị gây ra"],
    not_met: with_incident(incident("social_evil", day()).outside().by_own_people()) => [
        "tệ nạn xã hội ngày 12/03/2013 ngoài địa bàn do người của đơn vị gây ra"]);
part!(p5_3_d: WORSHIP, "5.3" / "d",
    met: with_incident(incident("fire_explosion", day()).severity(S::ItNghiemTrong)) => [
        "Không xảy ra cháy, nổ, tai nạn lao động từ mức nghiêm trọng trở lên trên địa bàn"],
    not_met: with_incident(incident("fire_explosion", day()).severity(S::NghiemTrong)) => [
        "Xảy ra 1 vụ trên địa bàn từ mức nghiêm trọng trở lên: cháy, nổ (nghiêm trọng) ngày 12/03/2013"]);
part!(p5_4_a: WORSHIP, "5.4" / "a",
    met: same => ["Không xảy ra hoạt động mê tín dị đoan"],
    not_met: with_incident(incident("superstition", day()).note("lên đồng chữa bệnh")) => [
        "Xảy ra 1 vụ trên địa bàn: hoạt động mê tín dị đoan (đồng bóng, bói toán, trị bệnh bằng bùa phép, mua bán sách bói toán, \
         ấn phẩm chưa được phép lưu hành) ngày 12/03/2013: lên đồng chữa bệnh"]);
part!(p5_4_b: WORSHIP, "5.4" / "b",
    // Neither on the premises nor by its people: not the site's.
    met: with_incident(incident("illegal_proselytising", day()).outside()) => [
        "Không xảy ra truyền đạo bất hợp pháp trên địa bàn hoặc do người của đơn vị gây ra"],
    not_met: with_incident(incident("illegal_proselytising", day()).outside().by_own_people()) => [
        "Xảy ra 1 vụ trên địa bàn hoặc do người của đơn vị gây ra: truyền đạo bất hợp pháp ngày 12/03/2013 ngoài địa bàn do người của đơn vị gây ra"]);

#[test]
fn every_part_of_the_ruleset_has_a_test_above() {
    // Keep in step with the `part!` invocations: one per part of each criterion.
    let tested = [
        ("1.1", 3),
        ("1.2", 2),
        ("1.3", 3),
        ("1.4", 7),
        ("1.5", 2),
        ("2.1", 3),
        ("2.2", 13),
        ("2.3", 2),
        ("2.4", 1),
        ("3.1", 5),
        ("3.2", 3),
        ("3.3", 4),
        ("3.4", 2),
        ("3.5", 1),
        ("4.1", 5),
        ("4.2", 4),
        ("4.3", 4),
        ("4.4", 2),
        ("4.5", 1),
        ("5.1", 5),
        ("5.2", 4),
        ("5.3", 4),
        ("5.4", 2),
    ];
    let actual: Vec<(&str, usize)> = rs().criteria.iter().map(|c| (c.id.as_str(), c.parts.len())).collect();
    assert_eq!(actual, tested);
}

// ----------------------------------------------------------------------------------------------
// "70% … trở lên", rounded up

fn commune_with(recognised: usize, total: usize) -> Case {
    let mut case = Case::compliant(COMMUNE);
    case.children = (1..=total).map(|i| (area(i), Some(i <= recognised))).collect();
    case
}

#[test]
fn seventy_percent_of_ten_areas_is_seven() {
    let r = commune_with(7, 10).report();
    assert_eq!(r.status("2.4", "a"), Status::Met, "{}", r.dump());
    assert_eq!(r.outcome, Outcome::Recognised);
    assert_mentions(r.reason("2.4", "a"), &["7/10 khu dân cư đạt chuẩn (cần 7)", "chưa đạt: Ấp 08, Ấp 09, Ấp 10"]);

    let r = commune_with(6, 10).report();
    assert_eq!(r.status("2.4", "a"), Status::NotMet, "{}", r.dump());
    assert_eq!(r.outcome, Outcome::NotRecognised);
    assert_mentions(r.reason("2.4", "a"), &["6/10 khu dân cư đạt chuẩn (cần 7)"]);
}

#[test]
fn seventy_percent_of_twenty_five_areas_is_eighteen() {
    // 70% of 25 is 17,5: the share must reach it, so 18 areas are needed.
    let r = commune_with(18, 25).report();
    assert_eq!(r.status("2.4", "a"), Status::Met, "{}", r.dump());
    assert_mentions(r.reason("2.4", "a"), &["18/25 khu dân cư đạt chuẩn (cần 18)"]);

    let r = commune_with(17, 25).report();
    assert_eq!(r.status("2.4", "a"), Status::NotMet, "{}", r.dump());
    assert_mentions(r.reason("2.4", "a"), &["17/25 khu dân cư đạt chuẩn (cần 18)"]);
}

#[test]
fn seventy_percent_of_three_sub_units_is_three() {
    // 70% of 3 is 2,1: two of three (66,7%) is short.
    let mut case = Case::compliant(AGENCY);
    case.unit.sub_units =
        Some(vec![sub_unit("Phòng A", Some("tien_tien")), sub_unit("Phòng B", Some("xuat_sac")), sub_unit("Phòng C", None)]);
    let r = case.report();
    assert_eq!(r.status("3.5", "a"), Status::NotMet, "{}", r.dump());
    assert_mentions(r.reason("3.5", "a"), &["2/3 đầu mối trực thuộc đạt “Tập thể lao động tiên tiến” trở lên (cần 3); chưa đạt: Phòng C"]);
}

#[test]
fn a_sub_unit_titled_below_the_level_does_not_count() {
    let mut case = Case::compliant(SCHOOL);
    let subs = case.unit.sub_units.get_or_insert_default();
    for s in &mut subs[6..] {
        *s = sub_unit(&s.name, Some("khong_dat"));
    }
    let r = case.report();
    assert_eq!(r.status("4.5", "a"), Status::NotMet, "{}", r.dump());
    assert_mentions(r.reason("4.5", "a"), &["6/10", "chưa đạt: Phòng 07, Phòng 08, Phòng 09, Phòng 10"]);
}

#[test]
fn a_unit_without_sub_units_has_nothing_to_count() {
    let mut case = Case::compliant(AGENCY);
    case.unit.sub_units = Some(vec![]);
    let r = case.report();
    assert_eq!(r.status("3.5", "a"), Status::NotApplicable, "{}", r.dump());
    assert_eq!(r.reason("3.5", "a"), "Không có đầu mối trực thuộc");
    assert_eq!(r.outcome, Outcome::Recognised);
}

// ----------------------------------------------------------------------------------------------
// "… trở lên": titles at and above the level

#[test]
fn commune_police_title_at_or_above_don_vi_tien_tien() {
    for (level, status) in [("don_vi_tien_tien", Status::Met), ("don_vi_quyet_thang", Status::Met), ("khong_dat", Status::NotMet)] {
        let mut case = Case::compliant(COMMUNE);
        set_title(&mut case.unit, "commune_police", "police_unit", level);
        let r = case.report();
        assert_eq!(r.status("2.3", "a"), status, "{level}: {}", r.reason("2.3", "a"));
    }
}

#[test]
fn a_missing_or_other_force_title_does_not_count() {
    let mut case = Case::compliant(COMMUNE);
    // The right level on the right scale, but held by another force.
    case.unit.titles = Some(vec![title("grassroots_security", "police_unit", "don_vi_quyet_thang")]);
    let r = case.report();
    assert_eq!(r.status("2.3", "a"), Status::NotMet);
    assert_eq!(r.reason("2.3", "a"), "Công an xã, bảo vệ dân phố chưa có danh hiệu (cần “Đơn vị tiên tiến” trở lên)");
}

#[test]
fn the_highest_of_several_titles_counts() {
    let mut case = Case::compliant(AREA);
    case.unit.titles = Some(vec![
        title("grassroots_security", "task_rating", "hoan_thanh"),
        title("grassroots_security", "task_rating", "hoan_thanh_tot"),
        title("grassroots_security", "task_rating", "khong_hoan_thanh"),
    ]);
    let r = case.report();
    assert_eq!(r.status("1.5", "a"), Status::Met, "{}", r.reason("1.5", "a"));
    assert_mentions(r.reason("1.5", "a"), &["“Hoàn thành tốt nhiệm vụ”"]);
}

#[test]
fn titles_not_recorded_are_missing_data() {
    let mut case = Case::compliant(AREA);
    case.unit.titles = None;
    let r = case.report();
    assert_eq!(r.status("1.5", "a"), Status::MissingData);
    assert_eq!(r.reason("1.5", "a"), "Chưa nhập danh hiệu thi đua");
    assert_eq!(r.outcome, Outcome::Incomplete);
}

// ----------------------------------------------------------------------------------------------
// Severity: "tội phạm nghiêm trọng" and above

#[test]
fn crime_severity_at_and_above_nghiem_trong_fails_1_4_b() {
    for (severity, status) in [
        (S::ItNghiemTrong, Status::Met),
        (S::NghiemTrong, Status::NotMet),
        (S::RatNghiemTrong, Status::NotMet),
        (S::DacBietNghiemTrong, Status::NotMet),
    ] {
        let mut case = Case::compliant(AREA);
        push_incident(&mut case.unit, incident("crime", day()).severity(severity).reported(true));
        let r = case.report();
        assert_eq!(r.status("1.4", "b"), status, "{severity:?}: {}", r.reason("1.4", "b"));
        if status == Status::NotMet {
            assert_mentions(r.reason("1.4", "b"), &[&format!("tội phạm ({}) ngày 12/03/2013", severity.name())]);
        } else {
            assert_eq!(r.outcome, Outcome::Recognised, "{}", r.dump());
        }
    }
}

#[test]
fn a_crime_of_unknown_severity_is_missing_data_for_1_4_b() {
    let mut case = Case::compliant(AREA);
    push_incident(&mut case.unit, incident("crime", day()).reported(true));
    let r = case.report();
    assert_eq!(r.status("1.4", "b"), Status::MissingData);
    assert_mentions(r.reason("1.4", "b"), &["chưa rõ mức độ: tội phạm ngày 12/03/2013"]);
    assert_eq!(r.outcome, Outcome::Incomplete);
}

#[test]
fn a_serious_crime_by_a_resident_inside_the_area_fails_both_1_4_b_and_1_4_c() {
    let mut case = Case::compliant(AREA);
    push_incident(&mut case.unit, incident("crime", day()).severity(S::NghiemTrong).by_own_people().reported(true));
    let r = case.report();
    assert_eq!(r.with_status(Status::NotMet), ["1.4/b", "1.4/c"], "{}", r.dump());
}

// ----------------------------------------------------------------------------------------------
// Discipline "từ hình thức cảnh cáo trở lên"

#[test]
fn khien_trach_does_not_fail_1_5_but_canh_cao_and_above_do() {
    for (level, status) in [
        (L::KhienTrach, Status::Met),
        (L::CanhCao, Status::NotMet),
        (L::HaBacLuong, Status::NotMet),
        (L::GiangChuc, Status::NotMet),
        (L::CachChuc, Status::NotMet),
        (L::BuocThoiViec, Status::NotMet),
    ] {
        let mut case = Case::compliant(AREA);
        push_discipline(&mut case.unit, discipline("grassroots_security", level, day(), "Lê Văn Bình"));
        let r = case.report();
        assert_eq!(r.status("1.5", "b"), status, "{level:?}: {}", r.reason("1.5", "b"));
        assert_mentions(r.reason("1.5", "b"), &[&format!("Lê Văn Bình bị kỷ luật {} ngày 12/03/2013", level.name())]);
        let outcome = if status == Status::Met { Outcome::Recognised } else { Outcome::NotRecognised };
        assert_eq!(r.outcome, outcome);
    }
}

#[test]
fn discipline_of_another_force_does_not_count() {
    let mut case = Case::compliant(COMMUNE);
    push_discipline(&mut case.unit, discipline("protection_force", L::CachChuc, day(), "Lê Văn Bình"));
    let r = case.report();
    assert_eq!(r.status("2.3", "b"), Status::Met, "{}", r.reason("2.3", "b"));
}

#[test]
fn discipline_not_recorded_is_missing_data() {
    let mut case = Case::compliant(COMMUNE);
    case.unit.discipline = None;
    let r = case.report();
    assert_eq!(r.status("2.3", "b"), Status::MissingData);
    assert_eq!(r.reason("2.3", "b"), "Chưa nhập danh sách kỷ luật");
    assert_eq!(r.outcome, Outcome::Incomplete);
}

// ----------------------------------------------------------------------------------------------
// Commitments: "100%", primary pupils not counted

#[test]
fn primary_pupils_do_not_count_in_4_1() {
    let mut case = Case::compliant(SCHOOL);
    set_commitment(&mut case.unit, "learners_primary", 0, 300);
    let r = case.report();
    assert_eq!(r.status("4.1", "e"), Status::Met, "{}", r.reason("4.1", "e"));
    assert_eq!(r.outcome, Outcome::Recognised);
    assert_mentions(r.reason("4.1", "e"), &["tổng 860/860 (100%; cần 100%)", "(không tính 0/300 học sinh tiểu học)"]);
}

#[test]
fn upper_secondary_and_higher_learners_do_count_in_4_1() {
    for group in ["learners_upper_secondary", "learners_higher"] {
        let mut case = Case::compliant(SCHOOL);
        set_commitment(&mut case.unit, group, 99, 100);
        let r = case.report();
        assert_eq!(r.status("4.1", "e"), Status::NotMet, "{group}: {}", r.reason("4.1", "e"));
        assert_mentions(r.reason("4.1", "e"), &["99/100"]);
    }
}

#[test]
fn a_school_of_primary_pupils_alone_still_needs_its_teachers() {
    let mut case = Case::compliant(SCHOOL);
    case.unit.commitments = Some(vec![commitment("learners_primary", 0, 300), commitment("staff", 10, 10)]);
    let r = case.report();
    assert_eq!(r.status("4.1", "e"), Status::MissingData, "{}", r.reason("4.1", "e"));
    assert_mentions(r.reason("4.1", "e"), &["chưa có số liệu: giáo viên", "không tính 0/300 học sinh tiểu học"]);
}

#[test]
fn ninety_nine_point_nine_percent_is_not_a_hundred() {
    let mut case = Case::compliant(AREA);
    set_commitment(&mut case.unit, "households", 1999, 2000);
    let r = case.report();
    assert_eq!(r.status("1.1", "c"), Status::NotMet);
    assert_mentions(r.reason("1.1", "c"), &["1.999/2.000 hộ gia đình ký cam kết (100%; cần 100%)"]);
}

// ----------------------------------------------------------------------------------------------
// Parts that do not apply

#[test]
fn party_resolution_does_not_apply_without_a_party_organisation() {
    for (t, c) in [(AGENCY, "3.1"), (SCHOOL, "4.1")] {
        let mut case = Case::compliant(t);
        case.unit.flags.insert("party_organisation".into(), false);
        drop_doc(&mut case.unit, "party_resolution");
        let r = case.report();
        assert_eq!(r.status(c, "a"), Status::NotApplicable, "{}", r.dump());
        assert_eq!(r.reason(c, "a"), "Không áp dụng: đơn vị không thuộc trường hợp “có tổ chức Đảng”");
        assert_eq!(r.criterion(c).status, Status::Met);
        assert_eq!(r.outcome, Outcome::Recognised);
    }
}

#[test]
fn a_school_without_a_protection_force_is_not_judged_on_4_4() {
    let mut case = Case::compliant(SCHOOL);
    case.unit.flags.insert("protection_force".into(), false);
    case.unit.titles = Some(vec![]);
    let r = case.report();
    assert_eq!(r.status("4.4", "a"), Status::NotApplicable);
    assert_eq!(r.status("4.4", "b"), Status::NotApplicable);
    assert_eq!(r.criterion("4.4").status, Status::NotApplicable);
    assert_eq!(r.reason("4.4", "a"), "Không áp dụng: đơn vị không thuộc trường hợp “có lực lượng bảo vệ chuyên trách, bán chuyên trách”");
    assert_eq!(r.outcome, Outcome::Recognised);
}

#[test]
fn an_agency_needs_its_protection_force_whatever_the_flag() {
    // 3.4 has no "(nếu có)": unlike 4.4, the flag does not lift it.
    let mut case = Case::compliant(AGENCY);
    case.unit.flags.insert("protection_force".into(), false);
    case.unit.titles = Some(vec![]);
    let r = case.report();
    assert_eq!(r.status("3.4", "a"), Status::NotMet);
}

#[test]
fn parents_coordination_applies_only_to_general_education() {
    let mut case = Case::compliant(SCHOOL);
    case.unit.flags.insert("general_education".into(), false);
    drop_doc(&mut case.unit, "parents_coordination");
    let r = case.report();
    assert_eq!(r.status("4.2", "c"), Status::NotApplicable);
    assert_eq!(r.reason("4.2", "c"), "Không áp dụng: đơn vị không thuộc trường hợp “người học là học sinh phổ thông”");
    assert_eq!(r.criterion("4.2").status, Status::Met);
    assert_eq!(r.outcome, Outcome::Recognised);
}

#[test]
fn an_unrecorded_condition_is_missing_data_not_a_pass() {
    let mut case = Case::compliant(SCHOOL);
    case.unit.flags.remove("general_education");
    let r = case.report();
    assert_eq!(r.status("4.2", "c"), Status::MissingData);
    assert_eq!(r.reason("4.2", "c"), "Chưa rõ đơn vị có thuộc trường hợp “người học là học sinh phổ thông” hay không");
    assert_eq!(r.outcome, Outcome::Incomplete);
}

// ----------------------------------------------------------------------------------------------
// Missing data

#[test]
fn no_commitments_recorded_is_missing_data_and_incomplete() {
    let mut case = Case::compliant(AREA);
    case.unit.commitments = None;
    let r = case.report();
    assert_eq!(r.status("1.1", "c"), Status::MissingData);
    assert_eq!(r.criterion("1.1").status, Status::MissingData);
    assert_eq!(r.reason("1.1", "c"), "Chưa nhập số liệu ký cam kết");
    assert_eq!(r.outcome, Outcome::Incomplete);
}

#[test]
fn commitments_of_other_groups_only_are_missing_data() {
    let mut case = Case::compliant(AREA);
    case.unit.commitments = Some(vec![commitment("staff", 3, 3)]);
    let r = case.report();
    assert_eq!(r.status("1.1", "c"), Status::MissingData);
    assert_mentions(r.reason("1.1", "c"), &["chưa có số liệu: hộ gia đình"]);
    assert_eq!(r.outcome, Outcome::Incomplete);
}

#[test]
fn a_failure_outweighs_missing_data() {
    let mut case = Case::compliant(AREA);
    case.unit.commitments = None;
    drop_doc(&mut case.unit, "registration");
    let r = case.report();
    assert_eq!(r.outcome, Outcome::NotRecognised);
}

#[test]
fn no_documents_recorded_is_missing_data_for_every_document_part() {
    let mut case = Case::compliant(WORSHIP);
    case.unit.documents = None;
    let r = case.report();
    assert_eq!(r.with_status(Status::MissingData), ["5.1/a", "5.1/b", "5.1/c", "5.1/d", "5.2/b", "5.2/c", "5.2/d"]);
    assert_eq!(r.reason("5.1", "a"), "Chưa nhập danh sách tài liệu");
    assert_eq!(r.outcome, Outcome::Incomplete);
}

#[test]
fn no_incidents_recorded_is_missing_data_for_every_event_part() {
    let mut case = Case::compliant(AREA);
    case.unit.incidents = None;
    let r = case.report();
    assert_eq!(
        r.with_status(Status::MissingData),
        ["1.3/a", "1.3/b", "1.3/c", "1.4/a", "1.4/b", "1.4/c", "1.4/d", "1.4/e", "1.4/f", "1.4/g"]
    );
    assert_eq!(r.reason("1.3", "a"), "Chưa nhập danh sách vụ việc");
    assert_eq!(r.outcome, Outcome::Incomplete);
}

#[test]
fn no_previous_year_counts_is_missing_data_for_the_comparison() {
    let mut case = Case::compliant(COMMUNE);
    case.unit.previous_year = None;
    let r = case.report();
    assert_eq!(r.with_status(Status::MissingData), ["2.2/k4a"]);
    assert_eq!(r.reason("2.2", "k4a"), "Chưa nhập số liệu năm trước");
}

#[test]
fn a_missing_judgement_is_missing_data() {
    let mut case = Case::compliant(AGENCY);
    case.unit.judgements.clear();
    let r = case.report();
    assert_eq!(r.with_status(Status::MissingData), ["3.2/a"]);
    assert_eq!(r.reason("3.2", "a"), "Chưa có đánh giá của đoàn kiểm tra");
    assert_eq!(r.outcome, Outcome::Incomplete);
}

#[test]
fn the_latest_judgement_decides_and_on_the_same_day_not_met_wins() {
    let mut case = Case::compliant(AREA);
    let mut earlier = judgement("1.2", "a", false);
    earlier.date = Some(d(2013, 10, 11));
    case.unit.judgements.push(earlier);
    assert_eq!(case.report().status("1.2", "a"), Status::Met);

    case.unit.judgements.push(judgement("1.2", "a", false));
    assert_eq!(case.report().status("1.2", "a"), Status::NotMet);
}

#[test]
fn an_unknown_report_is_missing_data_for_1_4_d() {
    let mut case = Case::compliant(AREA);
    push_incident(&mut case.unit, incident("crime", day()).severity(S::ItNghiemTrong));
    let r = case.report();
    assert_eq!(r.status("1.4", "d"), Status::MissingData);
    assert_mentions(r.reason("1.4", "d"), &["Chưa rõ đã báo cáo ngay chưa: tội phạm (ít nghiêm trọng) ngày 12/03/2013"]);
}

#[test]
fn sub_units_not_recorded_are_missing_data() {
    let mut case = Case::compliant(SCHOOL);
    case.unit.sub_units = None;
    let r = case.report();
    assert_eq!(r.with_status(Status::MissingData), ["4.5/a"]);
    assert_eq!(r.reason("4.5", "a"), "Chưa nhập danh sách đầu mối trực thuộc");
}

// ----------------------------------------------------------------------------------------------
// 2.4 with children of unknown outcome: undecided only when they could change the result

fn commune_of(outcomes: &[Option<bool>]) -> Case {
    let mut case = Case::compliant(COMMUNE);
    case.children = outcomes.iter().enumerate().map(|(i, r)| (area(i + 1), *r)).collect();
    case
}

#[test]
fn an_undecided_area_does_not_matter_when_seven_are_already_recognised() {
    let mut outcomes = vec![Some(true); 7];
    outcomes.extend([None, Some(false), Some(false)]);
    let r = commune_of(&outcomes).report();
    assert_eq!(r.status("2.4", "a"), Status::Met, "{}", r.reason("2.4", "a"));
    assert_eq!(r.outcome, Outcome::Recognised);
    assert_mentions(r.reason("2.4", "a"), &["7/10 khu dân cư đạt chuẩn (cần 7)", "chưa đạt: Ấp 09, Ấp 10", "chưa đủ dữ liệu: Ấp 08"]);
}

#[test]
fn an_undecided_area_matters_when_it_could_make_the_seventh() {
    let mut outcomes = vec![Some(true); 6];
    outcomes.extend([None, Some(false), Some(false), Some(false)]);
    let r = commune_of(&outcomes).report();
    assert_eq!(r.status("2.4", "a"), Status::MissingData, "{}", r.reason("2.4", "a"));
    assert_eq!(r.outcome, Outcome::Incomplete);
    assert_mentions(r.reason("2.4", "a"), &["6/10 khu dân cư đạt chuẩn (cần 7)", "chưa đủ dữ liệu: Ấp 07"]);
}

#[test]
fn undecided_areas_do_not_matter_when_even_all_of_them_would_not_be_enough() {
    let mut outcomes = vec![Some(true); 5];
    outcomes.extend([None, Some(false), Some(false), Some(false), Some(false)]);
    let r = commune_of(&outcomes).report();
    assert_eq!(r.status("2.4", "a"), Status::NotMet, "{}", r.reason("2.4", "a"));
    assert_eq!(r.outcome, Outcome::NotRecognised);
}

#[test]
fn a_commune_without_residential_areas_is_missing_data_for_2_4() {
    let r = commune_of(&[]).report();
    assert_eq!(r.status("2.4", "a"), Status::MissingData);
    assert_eq!(r.reason("2.4", "a"), "Chưa có khu dân cư nào trong dữ liệu");
}

// ----------------------------------------------------------------------------------------------
// A commune's territory includes its residential areas (through the roll-up)

fn commune_tree() -> Vec<antt_core::Unit> {
    let mut units = vec![compliant(COMMUNE)];
    units.extend((1..=10).map(area));
    units
}

#[test]
fn the_roll_up_of_compliant_units_recognises_the_commune() {
    let units = commune_tree();
    let tree = Tree::new(&units).unwrap_or_else(|e| panic!("{e:?}"));
    let up = roll_up(rs(), None, tree);
    let commune = up.verdict("xa-long-phuoc").expect("commune verdict");
    assert_eq!(commune.outcome, Outcome::Recognised);
    let counts = up.summary("xa-long-phuoc").expect("summary")[AREA];
    assert_eq!((counts.total, counts.recognised, counts.registered), (10, 10, 10));
}

#[test]
fn a_serious_crime_in_one_of_its_areas_fails_the_commune_2_2_k4b1() {
    let mut units = commune_tree();
    let area3 = units.iter_mut().find(|u| u.id.0 == "kdc-03").expect("area 3");
    push_incident(area3, incident("crime", d(2013, 6, 20)).severity(S::NghiemTrong).reported(true).note("cướp tài sản"));
    let tree = Tree::new(&units).unwrap_or_else(|e| panic!("{e:?}"));
    let up = roll_up(rs(), None, tree);

    let area = Report::of(up.verdict("kdc-03").expect("area verdict"));
    assert_eq!(area.with_status(Status::NotMet), ["1.4/b"], "{}", area.dump());

    let commune = Report::of(up.verdict("xa-long-phuoc").expect("commune verdict"));
    assert_eq!(commune.with_status(Status::NotMet), ["2.2/k4b1"], "{}", commune.dump());
    assert_eq!(commune.outcome, Outcome::NotRecognised);
    assert_mentions(
        commune.reason("2.2", "k4b1"),
        &["Xảy ra 1 vụ trên địa bàn từ mức nghiêm trọng trở lên: tội phạm (nghiêm trọng) ngày 20/06/2013 tại Ấp 03: cướp tài sản"],
    );
    // Nine of ten areas are still recognised: 2.4 holds.
    assert_eq!(commune.status("2.4", "a"), Status::Met);
    assert_mentions(commune.reason("2.4", "a"), &["9/10 khu dân cư đạt chuẩn (cần 7); chưa đạt: Ấp 03"]);
}

#[test]
fn an_area_without_recorded_incidents_leaves_the_communes_event_checks_undecided() {
    let mut units = commune_tree();
    units.iter_mut().find(|u| u.id.0 == "kdc-04").expect("area 4").incidents = None;
    let tree = Tree::new(&units).unwrap_or_else(|e| panic!("{e:?}"));
    let up = roll_up(rs(), None, tree);
    let commune = Report::of(up.verdict("xa-long-phuoc").expect("commune verdict"));
    assert_eq!(commune.status("2.2", "k4b1"), Status::MissingData, "{}", commune.dump());
    assert_eq!(commune.status("2.2", "k4a"), Status::MissingData, "{}", commune.dump());
    assert_mentions(commune.reason("2.2", "k4b1"), &["chưa nhập danh sách vụ việc của: Ấp 04"]);
    assert_eq!(commune.outcome, Outcome::Incomplete);
    // A failure already known in another area still fails the commune. (The first roll-up
    // borrows the units until it is dropped.)
    drop(up);
    let area3 = units.iter_mut().find(|u| u.id.0 == "kdc-03").expect("area 3");
    push_incident(area3, incident("crime", d(2013, 6, 20)).severity(S::NghiemTrong).reported(true));
    let up = roll_up(rs(), None, Tree::new(&units).unwrap_or_else(|e| panic!("{e:?}")));
    let commune = Report::of(up.verdict("xa-long-phuoc").expect("commune verdict"));
    assert_eq!(commune.status("2.2", "k4b1"), Status::NotMet);
    assert_eq!(commune.outcome, Outcome::NotRecognised);
}

#[test]
fn events_in_the_areas_count_towards_the_communes_year_on_year_comparison() {
    let mut units = commune_tree();
    // The commune had 3 traffic accidents last year; 2 happen in the commune itself, 2 in areas.
    push_incident(&mut units[0], incident("traffic_accident", d(2013, 2, 1)));
    push_incident(&mut units[0], incident("traffic_accident", d(2013, 3, 1)));
    for u in units.iter_mut().filter(|u| u.id.0 == "kdc-01" || u.id.0 == "kdc-02") {
        push_incident(u, incident("traffic_accident", d(2013, 4, 1)));
    }
    let tree = Tree::new(&units).unwrap_or_else(|e| panic!("{e:?}"));
    let up = roll_up(rs(), None, tree);
    let commune = Report::of(up.verdict("xa-long-phuoc").expect("commune verdict"));
    assert_eq!(commune.status("2.2", "k4a"), Status::NotMet, "{}", commune.dump());
    assert_mentions(commune.reason("2.2", "k4a"), &["tai nạn giao thông: 4 vụ, năm trước 3 (tăng)"]);
}

#[test]
fn an_incomplete_area_leaves_2_4_undecided_only_when_it_could_change_it() {
    // Three areas fail; a fourth has no commitment data. 6 recognised + 1 undecided of 10.
    let mut units = commune_tree();
    for u in units.iter_mut().filter(|u| ["kdc-01", "kdc-02", "kdc-03"].contains(&u.id.0.as_str())) {
        drop_doc(u, "registration");
    }
    units.iter_mut().find(|u| u.id.0 == "kdc-04").expect("area 4").commitments = None;
    let tree = Tree::new(&units).unwrap_or_else(|e| panic!("{e:?}"));
    let up = roll_up(rs(), None, tree);
    assert_eq!(up.verdict("kdc-04").expect("area 4").outcome, Outcome::Incomplete);
    let commune = Report::of(up.verdict("xa-long-phuoc").expect("commune verdict"));
    assert_eq!(commune.status("2.4", "a"), Status::MissingData, "{}", commune.reason("2.4", "a"));
    assert_mentions(commune.reason("2.4", "a"), &["6/10 khu dân cư đạt chuẩn (cần 7)", "chưa đủ dữ liệu: Ấp 04"]);
    assert_eq!(commune.outcome, Outcome::Incomplete);

    // With only two failing areas the undecided one cannot change 2.4.
    let mut units = commune_tree();
    for u in units.iter_mut().filter(|u| ["kdc-01", "kdc-02"].contains(&u.id.0.as_str())) {
        drop_doc(u, "registration");
    }
    units.iter_mut().find(|u| u.id.0 == "kdc-04").expect("area 4").commitments = None;
    let up = roll_up(rs(), None, Tree::new(&units).unwrap_or_else(|e| panic!("{e:?}")));
    let commune = Report::of(up.verdict("xa-long-phuoc").expect("commune verdict"));
    assert_eq!(commune.status("2.4", "a"), Status::Met, "{}", commune.reason("2.4", "a"));
    assert_eq!(commune.outcome, Outcome::Recognised);
}

// ----------------------------------------------------------------------------------------------
// The evaluation period

#[test]
fn events_outside_the_year_do_not_count_with_a_calendar() {
    let cal = calendar();
    for (date, counts) in [(d(2012, 12, 31), false), (d(2013, 1, 1), true), (d(2013, 12, 31), true), (d(2014, 1, 1), false)] {
        let mut case = Case::compliant(AREA);
        push_incident(&mut case.unit, incident("complex_dispute", date));
        let with = case.report_with(Some(&cal));
        let expected = if counts { Status::NotMet } else { Status::Met };
        assert_eq!(with.status("1.3", "c"), expected, "{date}: {}", with.reason("1.3", "c"));
        // Without a calendar every recorded event counts.
        assert_eq!(case.report().status("1.3", "c"), Status::NotMet, "{date}");
    }
}

#[test]
fn discipline_outside_the_year_does_not_count_with_a_calendar() {
    let cal = calendar();
    let mut case = Case::compliant(COMMUNE);
    push_discipline(&mut case.unit, discipline("commune_police", L::CanhCao, d(2012, 11, 20), "Phạm Văn Cường"));
    assert_eq!(case.report_with(Some(&cal)).status("2.3", "b"), Status::Met);
    assert_eq!(case.report().status("2.3", "b"), Status::NotMet);
}

#[test]
fn events_in_areas_outside_the_year_do_not_count_for_the_commune() {
    let cal = calendar();
    let mut case = Case::compliant(COMMUNE);
    push_incident(&mut case.children[0].0, incident("crime", d(2012, 12, 30)).severity(S::NghiemTrong).reported(true));
    assert_eq!(case.report_with(Some(&cal)).status("2.2", "k4b1"), Status::Met);
    assert_eq!(case.report().status("2.2", "k4b1"), Status::NotMet);
}

#[test]
fn a_schools_period_is_the_school_year() {
    let cal = calendar();
    let school = &cal.by_type[SCHOOL];
    assert_eq!((school.period_from, school.period_to), (d(2013, 6, 1), d(2014, 5, 31)));
    for (date, counts) in [(d(2013, 5, 31), false), (d(2013, 6, 1), true), (d(2014, 5, 31), true), (d(2014, 6, 1), false)] {
        let mut case = Case::compliant(SCHOOL);
        push_incident(&mut case.unit, incident("school_violence", date));
        let expected = if counts { Status::NotMet } else { Status::Met };
        assert_eq!(case.report_with(Some(&cal)).status("4.3", "b"), expected, "{date}");
    }
}

// ----------------------------------------------------------------------------------------------
// Registration: within 20 days of the plan (02/05/2013)

#[test]
fn registration_deadline_is_twenty_days_after_the_plan() {
    let cal = calendar();
    for t in [AREA, COMMUNE, AGENCY, WORSHIP] {
        assert_eq!(cal.by_type[t].registration_deadline, d(2013, 5, 22), "{t}");
    }
    // Schools count from the start of the school year.
    assert_eq!(cal.by_type[SCHOOL].registration_deadline, d(2013, 6, 21));
}

fn registered_on(date: chrono::NaiveDate) -> Report {
    let mut case = Case::compliant(AREA);
    for doc in case.unit.documents.get_or_insert_default().iter_mut().filter(|d| d.kind == "registration") {
        doc.date = Some(date);
    }
    case.report_with(Some(&calendar()))
}

#[test]
fn registering_on_22_05_2013_is_on_time() {
    let r = registered_on(d(2013, 5, 22));
    assert_eq!(r.registration, Some(Timeliness::OnTime { deadline: d(2013, 5, 22) }));
    assert_eq!(r.registration.map(|t| t.to_string()).as_deref(), Some("đúng hạn (hạn 22/05/2013)"));
}

#[test]
fn registering_on_23_05_2013_is_one_day_late() {
    let r = registered_on(d(2013, 5, 23));
    assert_eq!(r.registration, Some(Timeliness::Late { deadline: d(2013, 5, 22), days_late: 1 }));
    assert_eq!(r.registration.map(|t| t.to_string()).as_deref(), Some("trễ 1 ngày (hạn 22/05/2013)"));
}

#[test]
fn without_a_calendar_or_a_date_timeliness_is_unknown() {
    let case = Case::compliant(AREA);
    assert_eq!(case.report().registration, None);
    let mut undated = Case::compliant(AREA);
    for doc in undated.unit.documents.get_or_insert_default().iter_mut() {
        doc.date = None;
    }
    assert_eq!(undated.report_with(Some(&calendar())).registration, None);
}

// ----------------------------------------------------------------------------------------------
// Issue 15, the seed's own regime: each point on both sides

/// "A part is decided as soon as the known facts decide it": a commune whose own incident list
/// is not recorded fails 2.2 on an area's mass complaint; without such an event it stays
/// undecided.
#[test]
fn a_communes_unrecorded_list_does_not_hide_an_areas_mass_complaint() {
    let mut case = Case::compliant(COMMUNE);
    case.unit.incidents = None;
    push_incident(&mut case.children[2].0, incident("mass_complaint", day()).note("khiếu kiện đông người về đất đai"));
    let r = case.report();
    assert_eq!(r.status("2.2", "k3d"), Status::NotMet, "{}", r.dump());
    assert_mentions(
        r.reason("2.2", "k3d"),
        &[
            "Xảy ra 1 vụ trên địa bàn: khiếu kiện đông người, khiếu kiện vượt cấp trái pháp luật ngày 12/03/2013 tại Ấp 03",
            "chưa nhập danh sách vụ việc của: Xã Long Phước",
        ],
    );
    assert_eq!(r.outcome, Outcome::NotRecognised);

    let mut quiet = Case::compliant(COMMUNE);
    quiet.unit.incidents = None;
    let r = quiet.report();
    assert_eq!(r.status("2.2", "k3d"), Status::MissingData);
    assert_eq!(r.reason("2.2", "k3d"), "Chưa nhập danh sách vụ việc");
    assert_eq!(r.outcome, Outcome::Incomplete);
}

/// The same for the year-on-year comparison and prompt reporting: what the areas recorded
/// already shows a rise or a crime not reported at once.
#[test]
fn a_communes_unrecorded_list_does_not_hide_a_rise_or_a_late_report_in_its_areas() {
    let mut case = Case::compliant(COMMUNE);
    case.unit.incidents = None;
    case.unit.previous_year = Some([("crime".to_owned(), 1)].into());
    for child in &mut case.children[..2] {
        push_incident(&mut child.0, incident("crime", day()).severity(S::ItNghiemTrong).reported(true));
    }
    let r = case.report();
    assert_eq!(r.status("2.2", "k4a"), Status::NotMet, "{}", r.dump());
    assert_mentions(r.reason("2.2", "k4a"), &["Tội phạm: 2 vụ, năm trước 1 (tăng)"]);
    assert_eq!(r.status("2.2", "k4b3"), Status::MissingData, "{}", r.reason("2.2", "k4b3"));

    push_incident(&mut case.children[3].0, incident("crime", day()).severity(S::ItNghiemTrong).reported(false));
    let r = case.report();
    assert_eq!(r.status("2.2", "k4b3"), Status::NotMet);
    assert_mentions(r.reason("2.2", "k4b3"), &["Không phát hiện, báo cáo ngay: tội phạm (ít nghiêm trọng) ngày 12/03/2013 tại Ấp 04"]);
}

/// 4.1: with the teachers' figures absent, 397 of 400 learners already miss 100%; with every
/// learner signed the teachers' figures could still decide it.
#[test]
fn a_shortfall_decides_100_percent_while_a_group_is_still_missing() {
    let mut case = Case::compliant(SCHOOL);
    case.unit.commitments = Some(vec![commitment("staff", 15, 15), commitment("learners_lower_secondary", 397, 400)]);
    let r = case.report();
    assert_eq!(r.status("4.1", "e"), Status::NotMet, "{}", r.reason("4.1", "e"));
    assert_mentions(r.reason("4.1", "e"), &["397/400 học sinh trung học cơ sở", "chưa có số liệu: giáo viên"]);
    assert_eq!(r.outcome, Outcome::NotRecognised);

    case.unit.commitments = Some(vec![commitment("staff", 15, 15), commitment("learners_lower_secondary", 400, 400)]);
    let r = case.report();
    assert_eq!(r.status("4.1", "e"), Status::MissingData, "{}", r.reason("4.1", "e"));
    assert_eq!(r.outcome, Outcome::Incomplete);
}

/// 3.3, 4.3, 5.3 "không có … mắc tệ nạn xã hội": a new person with a social evil among the
/// unit's own people fails; one who is not of the unit does not.
#[test]
fn a_new_person_with_a_social_evil_among_the_units_people_fails_3_3_4_3_5_3() {
    for (t, c, p) in [(AGENCY, "3.3", "d"), (SCHOOL, "4.3", "c"), (WORSHIP, "5.3", "c")] {
        let mut own = Case::compliant(t);
        push_incident(&mut own.unit, incident("new_social_evil_person", day()).outside().by_own_people().note("nghiện ma túy"));
        let r = own.report();
        assert_eq!(r.with_status(Status::NotMet), [format!("{c}/{p}")], "{t}: {}", r.dump());
        assert_mentions(
            r.reason(c, p),
            &["phát sinh người mắc tệ nạn xã hội ngày 12/03/2013 ngoài địa bàn do người của đơn vị gây ra: nghiện ma túy"],
        );
        assert_eq!(r.outcome, Outcome::NotRecognised);

        let mut other = Case::compliant(t);
        push_incident(&mut other.unit, incident("new_social_evil_person", day()).outside());
        let r = other.report();
        assert_eq!(r.status(c, p), Status::Met, "{t}: {}", r.dump());
        assert_eq!(r.outcome, Outcome::Recognised);
    }
}

/// 2.3 "công an xã, bảo vệ dân phố … không có cá nhân bị kỷ luật từ hình thức cảnh cáo trở
/// lên": a warning to a grassroots security member fails, whether recorded at the commune or in
/// its residential area; a reprimand does not.
#[test]
fn a_warning_to_a_grassroots_security_member_fails_2_3() {
    let mut at_commune = Case::compliant(COMMUNE);
    push_discipline(&mut at_commune.unit, discipline("grassroots_security", L::CanhCao, day(), "Trần Văn Bảy"));
    let r = at_commune.report();
    assert_eq!(r.with_status(Status::NotMet), ["2.3/b"], "{}", r.dump());
    assert_mentions(r.reason("2.3", "b"), &["Công an viên, bảo vệ dân phố Trần Văn Bảy bị kỷ luật cảnh cáo ngày 12/03/2013"]);

    let mut in_area = Case::compliant(COMMUNE);
    push_discipline(&mut in_area.children[4].0, discipline("grassroots_security", L::CanhCao, day(), "Trần Văn Bảy"));
    let r = in_area.report();
    assert_eq!(r.with_status(Status::NotMet), ["2.3/b"], "{}", r.dump());
    assert_mentions(r.reason("2.3", "b"), &["Công an viên, bảo vệ dân phố Trần Văn Bảy (Ấp 05) bị kỷ luật cảnh cáo ngày 12/03/2013"]);
    assert_eq!(r.outcome, Outcome::NotRecognised);

    let mut reprimand = Case::compliant(COMMUNE);
    push_discipline(&mut reprimand.children[4].0, discipline("grassroots_security", L::KhienTrach, day(), "Trần Văn Bảy"));
    let r = reprimand.report();
    assert_eq!(r.status("2.3", "b"), Status::Met, "{}", r.dump());
    assert_mentions(r.reason("2.3", "b"), &["dưới mức cảnh cáo, không tính: công an viên, bảo vệ dân phố Trần Văn Bảy (Ấp 05)"]);
    assert_eq!(r.outcome, Outcome::Recognised);

    // An area whose discipline is not recorded leaves 2.3 undecided.
    let mut unrecorded = Case::compliant(COMMUNE);
    unrecorded.children[4].0.discipline = None;
    let r = unrecorded.report();
    assert_eq!(r.status("2.3", "b"), Status::MissingData);
    assert_mentions(r.reason("2.3", "b"), &["chưa nhập danh sách kỷ luật của: Ấp 05"]);
}

/// Every group the seed names for 100% must have figures, or be recorded as none.
#[test]
fn every_group_the_seed_names_must_be_recorded() {
    for (t, c, p, group, name) in [
        (WORSHIP, "5.1", "e", "dignitaries", "chức sắc"),
        (WORSHIP, "5.1", "e", "officials", "chức việc"),
        (SCHOOL, "4.1", "e", "staff", "cán bộ, công nhân viên"),
        (SCHOOL, "4.1", "e", "teachers", "giáo viên"),
    ] {
        let mut absent = Case::compliant(t);
        absent.unit.commitments.get_or_insert_default().retain(|x| x.group != group);
        let r = absent.report();
        assert_eq!(r.status(c, p), Status::MissingData, "{group}: {}", r.reason(c, p));
        assert_mentions(r.reason(c, p), &[&format!("chưa có số liệu: {name}")]);
        assert_eq!(r.outcome, Outcome::Incomplete);

        // Recorded as none (0/0) is a record: the others decide.
        let mut none = Case::compliant(t);
        set_commitment(&mut none.unit, group, 0, 0);
        let r = none.report();
        assert_eq!(r.status(c, p), Status::Met, "{group}: {}", r.reason(c, p));
        assert_eq!(r.outcome, Outcome::Recognised);
    }
    // An agency's staff is its only group: without figures, or with nobody, there is nothing
    // to count.
    for staff in [None, Some((0, 0))] {
        let mut case = Case::compliant(AGENCY);
        case.unit.commitments = Some(staff.map(|(s, t)| commitment("staff", s, t)).into_iter().collect());
        assert_eq!(case.report().status("3.1", "e"), Status::MissingData, "{staff:?}");
    }
}

/// Learners "từ cấp trung học cơ sở trở lên" are one group of the seed: figures for any one
/// level will do, and without any the part is undecided.
#[test]
fn learners_from_lower_secondary_up_need_figures_of_one_level() {
    let mut upper_only = Case::compliant(SCHOOL);
    upper_only.unit.commitments.get_or_insert_default().retain(|x| x.group != "learners_lower_secondary");
    assert_eq!(upper_only.report().status("4.1", "e"), Status::Met);

    let mut none = Case::compliant(SCHOOL);
    none.unit.commitments.get_or_insert_default().retain(|x| !x.group.starts_with("learners"));
    let r = none.report();
    assert_eq!(r.status("4.1", "e"), Status::MissingData);
    assert_mentions(
        r.reason("4.1", "e"),
        &["chưa có số liệu: học sinh trung học cơ sở hoặc học sinh trung học phổ thông hoặc người học trung cấp, cao đẳng, đại học"],
    );
}

/// "chức sắc, chức việc, tín đồ" given as one figure is filed once, for all three groups.
#[test]
fn one_figure_for_dignitaries_officials_and_followers_counts_for_all_three() {
    let combined =
        |signed| Commitment { also_groups: vec!["dignitaries".into(), "officials".into()], ..commitment("followers", signed, 865) };
    let mut case = Case::compliant(WORSHIP);
    case.unit.commitments = Some(vec![combined(865)]);
    let r = case.report();
    assert_eq!(r.status("5.1", "e"), Status::Met, "{}", r.reason("5.1", "e"));
    assert_mentions(r.reason("5.1", "e"), &["865/865 tín đồ, chức sắc, chức việc ký cam kết (100%; cần 100%)"]);
    assert_eq!(r.outcome, Outcome::Recognised);

    case.unit.commitments = Some(vec![combined(864)]);
    let r = case.report();
    assert_eq!(r.status("5.1", "e"), Status::NotMet);
    assert_eq!(r.outcome, Outcome::NotRecognised);
}
