//! Realistic inputs for every document: Xã Đồng Phú, huyện Long Hồ, tỉnh Vĩnh Long, 2013, and a
//! synthetic province of any size for the summary.
#![allow(dead_code, clippy::unwrap_used)]

use antt_core::eval::{Outcome, Status};
use antt_core::report::{CriterionReport, PartReport, RegistrationReport, UnitReport};
use antt_core::rollup::Counts;
use antt_core::scoring::{Classification, Points, ScoreSource};
use antt_docs::Document;
use antt_docs::documents::*;
use antt_docs::model::Signature;
use chrono::NaiveDate;

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn commune_issuer(number: Option<&str>, day: NaiveDate) -> Issuer {
    Issuer {
        parent_agency: None,
        agency: "ỦY BAN NHÂN DÂN\nXÃ ĐỒNG PHÚ".into(),
        number: number.map(str::to_owned),
        place: "Đồng Phú".into(),
        date: Some(day),
    }
}

fn area_issuer(day: Option<NaiveDate>) -> Issuer {
    Issuer {
        parent_agency: Some("UBND XÃ ĐỒNG PHÚ".into()),
        agency: "BAN NHÂN DÂN ẤP PHÚ HÒA".into(),
        number: None,
        place: "Đồng Phú".into(),
        date: day,
    }
}

pub fn area_report() -> UnitReport {
    let part =
        |id: &str, text: &str, status: Status, reason: &str| PartReport { id: id.into(), text: text.into(), status, reason: reason.into() };
    UnitReport {
        id: "dp-phu-hoa".into(),
        name: "Ấp Phú Hòa".into(),
        unit_type: "residential_area".into(),
        unit_type_name: "Ấp, khóm".into(),
        outcome: Outcome::Recognised,
        outcome_name: Outcome::Recognised.name().into(),
        scope_notes: Vec::new(),
        registration: Some(RegistrationReport {
            date: date(2013, 5, 20),
            timeliness: antt_core::calendar::Timeliness::OnTime { deadline: date(2013, 5, 31) },
            text: "20/05/2013, đúng hạn".into(),
        }),
        authority: Some("Chủ tịch UBND cấp xã".into()),
        criteria: vec![
            CriterionReport {
                id: "1".into(),
                text: "Có 100% hộ gia đình ký cam kết thực hiện các nội dung về bảo đảm an ninh, trật tự".into(),
                basis: "Điều 5 khoản 1 Thông tư 23/2012/TT-BCA".into(),
                status: Status::Met,
                parts: vec![part("1.a", "Hộ gia đình ký cam kết", Status::Met, "312/312 hộ ký cam kết (100%)")],
            },
            CriterionReport {
                id: "2".into(),
                text: "Không có công dân cư trú ở ấp phạm tội nghiêm trọng trở lên".into(),
                basis: "Điều 5 khoản 2".into(),
                status: Status::Met,
                parts: vec![
                    part("2.a", "Tội phạm nghiêm trọng trở lên", Status::Met, "Không có vụ việc nào"),
                    part("2.b", "Tệ nạn xã hội “ma túy, mại dâm”", Status::NotApplicable, "Không áp dụng cho ấp không có cơ sở kinh doanh"),
                ],
            },
        ],
        classification: Some(classification()),
        classification_problem: None,
    }
}

fn classification() -> Classification {
    Classification {
        band: "xuat_sac".into(),
        band_name: "Xuất sắc".into(),
        source: ScoreSource::Reviewed,
        total: Points(930),
        max: Points(1000),
        self_total: Points(960),
        differences: vec![("4".into(), Points(180), Points(150))],
        reasons: Vec::new(),
    }
}

pub fn registration_doc() -> Document {
    registration(&RegistrationInput {
        issuer: area_issuer(Some(date(2013, 5, 20))),
        unit_name: "Ấp Phú Hòa".into(),
        year: 2013,
        basis: "Kế hoạch số 710/QĐ-UBND ngày 02/05/2013 của UBND tỉnh Vĩnh Long".into(),
        pledges: vec![
            Pledge { id: "1".into(), text: "100% hộ gia đình ký cam kết về an ninh, trật tự".into(), note: String::new() },
            Pledge {
                id: "3".into(), text: "Không có cán bộ, đảng viên vi phạm pháp luật".into(), note: "phấn đấu giữ vững".into()
            },
        ],
        documents: vec!["Nghị quyết của chi bộ ấp".into(), "Kế hoạch thực hiện phong trào".into()],
        receipt: Some("PV28-2013-0042 (đăng ký đúng hạn)".into()),
        office: "PV28".into(),
    })
}

pub fn scoring_doc() -> Document {
    let line = |id: &str, text: &str, max: u32, own: u32, reviewed: u32| ScoreLine {
        id: id.into(),
        text: text.into(),
        max: Points(max),
        self_score: Some(Points(own)),
        reviewed: Some(Points(reviewed)),
    };
    self_scoring(&ScoringInput {
        issuer: area_issuer(Some(date(2013, 11, 5))),
        unit_name: "Ấp Phú Hòa".into(),
        unit_type_name: "Ấp, khóm".into(),
        year: 2013,
        items: vec![
            line("1", "Công tác lãnh đạo, chỉ đạo", 200, 200, 200),
            line("2", "Phòng ngừa, đấu tranh với tội phạm", 200, 190, 190),
            line("3", "Giữ gìn trật tự an toàn giao thông", 200, 200, 200),
            line("4", "Phòng cháy, chữa cháy", 200, 180, 150),
            line("5", "Xây dựng lực lượng nòng cốt", 200, 190, 190),
        ],
        classification: Some(classification()),
        signer: Signature { position: "TRƯỞNG ẤP".into(), name: "Nguyễn Văn Hùng".into(), ..Signature::default() },
    })
}

pub fn unit_report_doc() -> Document {
    unit_report(&UnitReportInput {
        issuer: Issuer { number: Some("05/BC-BND".into()), ..area_issuer(Some(date(2013, 11, 6))) },
        year: 2013,
        addressee: "Ủy ban nhân dân xã Đồng Phú".into(),
        report: area_report(),
        signer: Signature {
            on_behalf: Some("TM. BAN NHÂN DÂN".into()),
            position: "TRƯỞNG ẤP".into(),
            name: "Nguyễn Văn Hùng".into(),
            ..Signature::default()
        },
        recipients: vec!["UBND xã Đồng Phú;".into(), "Công an xã;".into(), "Lưu: VT.".into()],
    })
}

pub fn minutes_doc() -> Document {
    let person = |name: &str, role: &str| Person { name: name.into(), role: role.into() };
    minutes(&MinutesInput {
        issuer: area_issuer(Some(date(2013, 11, 8))),
        year: 2013,
        time: Some("14 giờ 00".into()),
        location: Some("Nhà văn hóa ấp Phú Hòa".into()),
        chair: person("Nguyễn Văn Hùng", "Trưởng ấp"),
        secretary: Some(person("Trần Thị Lan", "Chi hội trưởng Chi hội Phụ nữ")),
        attendees: Attendees::Listed(vec![
            person("Lê Văn Tâm", "Bí thư chi bộ"),
            person("Phạm Thị Hoa", "Trưởng Ban công tác Mặt trận"),
            person("Võ Minh Đức", "Công an viên phụ trách ấp"),
        ]),
        reviewed: Reviewed::Unit(Box::new(area_report())),
        votes: Some((5, 5)),
        conclusion:
            "Thống nhất đề nghị Chủ tịch UBND xã Đồng Phú công nhận Ấp Phú Hòa đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm 2013."
                .into(),
    })
}

/// The commune's review of its hamlets as stored by the web application: no time, place,
/// secretary or vote count, the attendees in a sentence.
pub fn review_minutes_doc() -> Document {
    let unit = |name: &str, outcome: Outcome, band: Option<&str>, note: &str| ReviewedUnit {
        name: name.into(),
        unit_type_name: "Ấp, khóm".into(),
        outcome,
        band_name: band.map(Into::into),
        note: note.into(),
    };
    minutes(&MinutesInput {
        issuer: Issuer { number: None, ..commune_issuer(None, date(2013, 11, 12)) },
        year: 2013,
        time: None,
        location: None,
        chair: Person { name: "Trương Văn Sáu - Chủ tịch UBND xã".into(), role: String::new() },
        secretary: None,
        attendees: Attendees::Described("Bí thư Đảng ủy, Mặt trận, Công an xã và trưởng các ấp".into()),
        reviewed: Reviewed::Units {
            within: "xã Đồng Phú".into(),
            units: vec![
                unit("Ấp Phú Hòa", Outcome::Recognised, Some("Xuất sắc"), ""),
                unit("Ấp Phú Long", Outcome::NotRecognised, Some("Trung bình"), "Có 01 vụ trộm cắp chưa được phát hiện kịp thời"),
            ],
        },
        votes: None,
        conclusion: "Thống nhất đề nghị Chủ tịch UBND xã Đồng Phú công nhận Ấp Phú Hòa đạt chuẩn.".into(),
    })
}

fn listed() -> Vec<ListedUnit> {
    let u = |name: &str, band: &str| ListedUnit {
        name: name.into(),
        unit_type_name: "Ấp, khóm".into(),
        parent_name: "xã Đồng Phú, huyện Long Hồ".into(),
        band_name: Some(band.into()),
    };
    vec![u("Ấp Phú Hòa", "Xuất sắc"), u("Ấp Phú Thạnh", "Khá"), u("Ấp Phú Long", "Khá")]
}

pub fn request_doc() -> Document {
    request(&RequestInput {
        issuer: Issuer {
            number: Some("45/TTr-CAX".into()),
            agency: "CÔNG AN XÃ ĐỒNG PHÚ".into(),
            ..commune_issuer(None, date(2013, 11, 10))
        },
        requester: "Công an xã Đồng Phú".into(),
        year: 2013,
        addressee: "Chủ tịch Ủy ban nhân dân xã Đồng Phú".into(),
        bases: vec![
            "Căn cứ Thông tư số 23/2012/TT-BCA ngày 27/4/2012 của Bộ Công an;".into(),
            "Căn cứ Kế hoạch số 710/QĐ-UBND ngày 02/05/2013 của UBND tỉnh Vĩnh Long;".into(),
        ],
        units: listed(),
        enclosed: vec!["Báo cáo kết quả của các ấp".into(), "Biên bản họp xét của các ấp".into()],
        signer: Signature { position: "TRƯỞNG CÔNG AN XÃ".into(), name: "Đặng Quốc Bảo".into(), ..Signature::default() },
        recipients: vec!["Như trên;".into(), "Lưu: VT.".into()],
    })
}

/// The 2013 Vĩnh Long plan as the vinh-long-2013 ruleset quotes it (the seed's own words).
pub const PLAN_710: &str = "Quyết định số 710/QĐ-UBND ngày 02/5/2013 của Chủ tịch UBND tỉnh Vĩnh Long ban hành Kế hoạch phát động xây dựng khu dân cư, xã, phường, thị trấn, cơ quan, doanh nghiệp, nhà trường, cơ sở thờ tự đạt tiêu chuẩn “An toàn về an ninh, trật tự”";
/// The circular of that ruleset, as the seed cites it.
pub const TT23: &str = "Thông tư số 23/2012/TT-BCA ngày 27/4/2012 của Bộ Công an quy định về khu dân cư, xã, phường, thị trấn, cơ quan, doanh nghiệp, nhà trường đạt chuẩn “An toàn về an ninh, trật tự”";

pub fn committee(level: Level, unit_name: &str, deputy_signs: bool, signer: &str) -> Committee {
    Committee { level, unit_name: unit_name.into(), deputy_signs, signer: signer.into() }
}

/// The committee deciding at each level in the fixtures: Xã Đồng Phú (its vice-chairman signs),
/// Huyện Long Hồ, Tỉnh Vĩnh Long.
pub fn committee_at(level: Level) -> Committee {
    match level {
        Level::Commune => committee(level, "Xã Đồng Phú", true, "Huỳnh Văn Năm"),
        Level::District => committee(level, "Huyện Long Hồ", false, "Nguyễn Văn Sáu"),
        Level::Province => committee(level, "Tỉnh Vĩnh Long", true, "Trương Văn Bảy"),
    }
}

pub fn plan_2013() -> Plan {
    Plan {
        number: Some("710/QĐ-UBND".into()),
        date: date(2013, 5, 2),
        province: "Tỉnh Vĩnh Long".into(),
        year: 2013,
        quoted: vec![PLAN_710.into(), TT23.into()],
    }
}

/// The decision of the committee at `level`, listing units that level recognises.
pub fn decision_at(level: Level) -> Document {
    let unit = |name: &str, unit_type_name: &str, parent: &str, band: &str| ListedUnit {
        name: name.into(),
        unit_type_name: unit_type_name.into(),
        parent_name: parent.into(),
        band_name: Some(band.into()),
    };
    let (number, day, units, request) = match level {
        Level::Commune => ("12/QĐ-UBND", date(2013, 11, 14), listed(), Some(("45/TTr-CAX".to_owned(), date(2013, 11, 10)))),
        Level::District => (
            "230/QĐ-UBND",
            date(2013, 11, 19),
            vec![
                unit("Xã Đồng Phú", "Xã, phường, thị trấn", "Huyện Long Hồ", "Khá"),
                unit("Xã Phú Quới", "Xã, phường, thị trấn", "Huyện Long Hồ", "Xuất sắc"),
            ],
            None,
        ),
        Level::Province => (
            "2105/QĐ-UBND",
            date(2013, 11, 19),
            vec![unit("Trường Trung học phổ thông Lưu Văn Liệt", "Nhà trường", "Thành phố Vĩnh Long", "Xuất sắc")],
            Some(("1120/TTr-CAT".to_owned(), date(2013, 11, 15))),
        ),
    };
    decision(&DecisionInput {
        committee: committee_at(level),
        number: Some(number.into()),
        date: Some(day),
        year: 2013,
        grounds: decision_grounds(day, &[TT23.to_owned()], &plan_2013()),
        request,
        units,
        recipients: vec!["Như Điều 3;".into(), "Lưu: VT.".into()],
    })
}

pub fn decision_doc() -> Document {
    decision_at(Level::Commune)
}

pub fn certificate_doc() -> Document {
    certificate(&CertificateInput {
        committee: committee(Level::Commune, "Xã Đồng Phú", false, "Trương Văn Sáu"),
        number: Some("03/CN-UBND".into()),
        year: 2013,
        unit_name: "Ấp Phú Hòa".into(),
        within: vec!["Xã Đồng Phú".into(), "Huyện Long Hồ".into(), "Tỉnh Vĩnh Long".into()],
        decision: Some(("12/QĐ-UBND".into(), date(2013, 11, 14))),
    })
}

const DISTRICTS: [&str; 8] = [
    "Thành phố Vĩnh Long",
    "Huyện Long Hồ",
    "Huyện Mang Thít",
    "Huyện Vũng Liêm",
    "Huyện Tam Bình",
    "Thị xã Bình Minh",
    "Huyện Trà Ôn",
    "Huyện Bình Tân",
];
const TYPES: [&str; 4] = ["Ấp, khóm", "Xã, phường, thị trấn", "Cơ quan, doanh nghiệp", "Nhà trường"];
const BANDS: [&str; 4] = ["Xuất sắc", "Khá", "Trung bình", "Kém"];

/// A province of `units` evaluated units over 8 districts and about 14 communes each, with
/// outcomes and bands spread deterministically.
pub fn province(units: usize, with_history: bool) -> ProvincialInput {
    let mut lines = Vec::with_capacity(units);
    for n in 0..units {
        let district = DISTRICTS[n % DISTRICTS.len()];
        let commune = format!("Xã {} {}", ["Phú", "Hòa", "Tân", "Long", "Bình", "Thạnh", "An"][n / 8 % 7], n / 56 % 2 + 1);
        let outcome = match n % 10 {
            0 => Outcome::NotRecognised,
            1 => Outcome::Incomplete,
            _ => Outcome::Recognised,
        };
        let band = (n % 5 != 4).then(|| BANDS[if outcome == Outcome::Recognised { n % 3 } else { 3 }].to_owned());
        let reasons = if outcome == Outcome::NotRecognised {
            vec![format!("Tiêu chí 2: có {} vụ phạm tội nghiêm trọng do người của đơn vị gây ra", 1 + n % 3)]
        } else {
            Vec::new()
        };
        lines.push(UnitLine {
            name: format!("{} số {}", if n % 4 == 0 { "Trường" } else { "Ấp" }, n + 1),
            unit_type_name: TYPES[n % TYPES.len()].into(),
            commune,
            district: district.into(),
            outcome,
            decided: outcome == Outcome::Recognised && n % 3 == 0,
            registered: n % 37 != 5,
            band,
            reasons,
        });
    }
    let count = |filter: &dyn Fn(&UnitLine) -> bool| {
        let mut c = Counts::default();
        for u in lines.iter().filter(|u| filter(u)) {
            c.total += 1;
            match u.outcome {
                Outcome::Recognised => c.recognised += 1,
                Outcome::NotRecognised => c.not_recognised += 1,
                Outcome::Incomplete => c.incomplete += 1,
                Outcome::OutOfScope => c.out_of_scope += 1,
            }
            if u.registered {
                c.registered += 1;
                c.registered_on_time += 1;
            }
        }
        c
    };
    let districts =
        DISTRICTS.iter().map(|d| AreaCounts { name: (*d).into(), within: String::new(), counts: count(&|u| u.district == *d) }).collect();
    let mut pairs: Vec<(String, String)> = lines.iter().map(|u| (u.district.clone(), u.commune.clone())).collect();
    pairs.sort();
    pairs.dedup();
    let communes = pairs
        .iter()
        .map(|(d, c)| AreaCounts { name: c.clone(), within: d.clone(), counts: count(&|u| &u.district == d && &u.commune == c) })
        .collect();
    let unit_types =
        TYPES.iter().map(|t| AreaCounts { name: (*t).into(), within: String::new(), counts: count(&|u| u.unit_type_name == *t) }).collect();
    let bands: Vec<String> = BANDS.iter().map(|b| (*b).to_owned()).collect();
    let (commended, criticised) = honours(&lines, &bands);
    let earlier = if with_history {
        vec![
            YearCounts {
                year: 2011,
                counts: Counts {
                    total: 9000,
                    recognised: 6300,
                    not_recognised: 1800,
                    incomplete: 900,
                    registered: 8500,
                    registered_on_time: 8000,
                    out_of_scope: 0,
                },
            },
            YearCounts {
                year: 2012,
                counts: Counts {
                    total: 9500,
                    recognised: 7125,
                    not_recognised: 1425,
                    incomplete: 950,
                    registered: 9100,
                    registered_on_time: 8800,
                    out_of_scope: 0,
                },
            },
        ]
    } else {
        Vec::new()
    };
    ProvincialInput {
        issuer: Issuer {
            parent_agency: Some("UBND TỈNH VĨNH LONG".into()),
            agency: "BAN CHỈ ĐẠO PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC".into(),
            number: Some("158/BC-BCĐ".into()),
            place: "Vĩnh Long".into(),
            date: Some(date(2013, 12, 10)),
        },
        year: 2013,
        addressee: "Chủ tịch Ủy ban nhân dân tỉnh Vĩnh Long".into(),
        province: "tỉnh Vĩnh Long".into(),
        districts,
        communes,
        unit_types,
        bands,
        units: lines,
        earlier,
        commended,
        criticised,
        signer: Signature {
            for_head: Some("KT. TRƯỞNG BAN".into()),
            position: "PHÓ TRƯỞNG BAN THƯỜNG TRỰC".into(),
            name: "Nguyễn Thanh Bình".into(),
            ..Signature::default()
        },
        recipients: vec![
            "Chủ tịch UBND tỉnh (để báo cáo);".into(),
            "Công an tỉnh;".into(),
            "UBND các huyện, thị xã, thành phố;".into(),
            "Lưu: VT, PV28.".into(),
        ],
    }
}

pub fn summary_doc() -> Document {
    provincial_summary(&province(60, true))
}

/// Every document, by the name of its snapshot.
pub fn all() -> Vec<(&'static str, Document)> {
    vec![
        ("registration", registration_doc()),
        ("self_scoring", scoring_doc()),
        ("unit_report", unit_report_doc()),
        ("minutes", minutes_doc()),
        ("review_minutes", review_minutes_doc()),
        ("request", request_doc()),
        ("decision", decision_doc()),
        ("decision_district", decision_at(Level::District)),
        ("decision_province", decision_at(Level::Province)),
        ("certificate", certificate_doc()),
        ("provincial_summary", summary_doc()),
    ]
}
