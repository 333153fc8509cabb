//! A ruleset is data; a broken one must be refused at load time with the file, the place and a
//! plain Vietnamese message. Each broken ruleset below is the shipped `vinh-long-2013.yaml` with
//! one thing changed. The last tests check the shipped criteria against the plan's own words.

use antt_core::Ruleset;
use antt_core::ruleset::{RulesetError, RulesetErrors};

const FILE: &str = "rulesets/vinh-long-2013.yaml";
const TEXT: &str = include_str!("../../../rulesets/vinh-long-2013.yaml");

/// The shipped text with the first `from` replaced by `to`, which must be refused.
#[track_caller]
fn refused(from: &str, to: &str) -> RulesetErrors {
    assert!(TEXT.contains(from), "the shipped ruleset no longer contains {from:?}");
    let text = TEXT.replacen(from, to, 1);
    match Ruleset::from_yaml(FILE, &text) {
        Ok(_) => panic!("a ruleset with {to:?} instead of {from:?} was accepted"),
        Err(e) => e,
    }
}

/// The error at `place`, which must also name the file and say `message` (a substring).
#[track_caller]
fn error_at<'e>(errors: &'e RulesetErrors, place: &str, message: &str) -> &'e RulesetError {
    let Some(e) = errors.0.iter().find(|e| e.place == place) else { panic!("no error at {place:?}; errors:\n{errors}") };
    assert_eq!(e.file, FILE);
    assert!(e.message.contains(message), "message at {place} does not say {message:?}: {}", e.message);
    assert!(!e.message.contains("unknown") && !e.message.contains("invalid"), "message is not plain Vietnamese: {}", e.message);
    e
}

#[test]
fn the_shipped_ruleset_loads() {
    let rs = Ruleset::from_yaml(FILE, TEXT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rs.id, "vinh-long-2013");
    assert_eq!(rs.regime, "TT 23/2012/TT-BCA");
}

#[test]
fn an_unknown_check_is_refused_with_its_line() {
    let errors = refused("check: !document { kind: party_resolution }", "check: !documnt { kind: party_resolution }");
    assert_eq!(errors.0.len(), 1, "{errors}");
    // Parse errors name the place by position: criterion 1.1 is the first, part a its first.
    let e = parse_error_at(&errors, "criteria[0].parts[0].check", "`documnt`");
    assert!(e.message.contains("`document`"), "the message lists the known checks: {}", e.message);
    // The parser points at the start of the part (`- id: a`), two lines above the check.
    let expected_line = line_of("check: !document { kind: party_resolution }") - 2;
    assert_eq!(e.line, Some((expected_line, 9)));
    assert!(errors.to_string().starts_with(&format!("{FILE}:{expected_line}:")), "{errors}");
}

/// The 1-based line of the first line of the shipped text containing `s`.
fn line_of(s: &str) -> usize {
    TEXT.lines().position(|l| l.contains(s)).expect("line") + 1
}

/// The single parse error, which must be at `place`, name the file and a line, and mention
/// `mentions`. The wording is checked separately (see the ignored test below).
#[track_caller]
fn parse_error_at<'e>(errors: &'e RulesetErrors, place: &str, mentions: &str) -> &'e RulesetError {
    let [e] = errors.0.as_slice() else { panic!("expected one parse error:\n{errors}") };
    assert_eq!(e.place, place, "{errors}");
    assert_eq!(e.file, FILE);
    assert!(e.line.is_some(), "a parse error knows its line");
    assert!(e.message.contains(mentions), "message does not mention {mentions:?}: {}", e.message);
    e
}

#[test]
fn an_unknown_unit_type_in_a_criterion_is_refused() {
    let errors = refused("    unit_type: residential_area\n", "    unit_type: residental_area\n");
    let e = error_at(&errors, "criteria[1.1].unit_type", "loại đơn vị `residental_area` chưa được khai báo");
    assert!(e.message.contains("(có: agency, commune, residential_area, school, worship_site)"), "{}", e.message);
    assert_eq!(e.line, None);
    assert!(errors.to_string().contains(&format!("{FILE}: tại criteria[1.1].unit_type: loại đơn vị")), "{errors}");
}

#[test]
fn a_duplicate_criterion_id_is_refused() {
    let errors = refused("id: \"1.2\"", "id: \"1.1\"");
    error_at(&errors, "criteria[1.1]", "mã tiêu chí `1.1` trùng");
}

#[test]
fn a_duplicate_part_id_is_refused() {
    let errors = refused("      - id: k3b\n", "      - id: k3a\n");
    error_at(&errors, "criteria[2.2].parts[k3a]", "mã nội dung `k3a` trùng trong tiêu chí 2.2");
}

#[test]
fn a_threshold_out_of_range_is_refused() {
    let errors = refused("condition: recognised, at_least_percent: 70", "condition: recognised, at_least_percent: 150");
    error_at(&errors, "criteria[2.4].parts[a].check.share_of_children.at_least_percent", "ngưỡng 150% nằm ngoài khoảng 1–100%");

    let errors = refused("required: [households], at_least_percent: 100", "required: [households], at_least_percent: 150");
    error_at(&errors, "criteria[1.1].parts[c].check.commitment_ratio.at_least_percent", "ngưỡng 150% nằm ngoài khoảng 1–100%");

    let errors = refused(
        "!share_of_sub_units { scale: collective_labour, level: tien_tien, at_least_percent: 70 }",
        "!share_of_sub_units { scale: collective_labour, level: tien_tien, at_least_percent: 0 }",
    );
    error_at(&errors, "criteria[3.5].parts[a].check.share_of_sub_units.at_least_percent", "ngưỡng 0% nằm ngoài khoảng 1–100%");
}

#[test]
fn a_negative_threshold_is_refused_by_the_parser() {
    let errors = refused("condition: recognised, at_least_percent: 70", "condition: recognised, at_least_percent: -70");
    parse_error_at(&errors, "criteria[8].parts[0].check.share_of_children.at_least_percent", "`-70`");
}

#[test]
fn an_unknown_incident_kind_in_a_check_is_refused() {
    let errors = refused("kinds: [anti_party, sabotage]", "kinds: [anti_party, sabotge]");
    let e = error_at(&errors, "criteria[1.3].parts[a].check.no_event.kinds", "loại vụ việc `sabotge` chưa được khai báo");
    assert!(e.message.contains("sabotage"), "the message lists the known kinds: {}", e.message);
}

#[test]
fn unknown_codes_of_every_vocabulary_are_refused() {
    let cases = [
        (
            "!document { kind: worship_program }",
            "!document { kind: worship_programme }",
            "criteria[5.1].parts[a].check.document.kind",
            "loại tài liệu `worship_programme`",
        ),
        (
            "groups: [households], required: [households]",
            "groups: [household], required: [household]",
            "criteria[1.1].parts[c].check.commitment_ratio.groups",
            "nhóm người ký cam kết `household`",
        ),
        (
            "!no_discipline { forces: [grassroots_security]",
            "!no_discipline { forces: [grassroot_security]",
            "criteria[1.5].parts[b].check.no_discipline.forces",
            "lực lượng `grassroot_security`",
        ),
        (
            "force: commune_police, scale: police_unit, level: don_vi_tien_tien",
            "force: commune_police, scale: police_unit, level: tien_tien",
            "criteria[2.3].parts[a].check.title_at_least.level",
            "mức trên thang `police_unit` `tien_tien`",
        ),
        (
            "scale: task_rating, level: hoan_thanh_tot",
            "scale: task_ratings, level: hoan_thanh_tot",
            "criteria[1.5].parts[a].check.title_at_least.scale",
            "thang danh hiệu `task_ratings`",
        ),
        (
            "unit_types: [residential_area], condition: recognised",
            "unit_types: [residential_areas], condition: recognised",
            "criteria[2.4].parts[a].check.share_of_children.unit_types",
            "loại đơn vị `residential_areas` không được khai báo trong unit_types",
        ),
        (
            "not_counted: [learners_primary]",
            "not_counted: [learners_elementary]",
            "criteria[4.1].parts[e].check.commitment_ratio.not_counted",
            "nhóm người ký cam kết `learners_elementary`",
        ),
    ];
    for (from, to, place, message) in cases {
        let errors = refused(from, to);
        error_at(&errors, place, message);
    }
}

#[test]
fn an_unknown_when_condition_is_refused() {
    let errors = refused("when: general_education", "when: general_educaton");
    let e = error_at(&errors, "criteria[4.2].parts[c].when", "điều kiện `general_educaton` chưa được khai báo");
    assert!(e.message.contains("general_education"), "{}", e.message);
}

#[test]
fn an_unknown_field_is_refused() {
    let errors = refused("    basis: Mục III.2.4 Kế hoạch\n", "    basiss: Mục III.2.4 Kế hoạch\n");
    let e = parse_error_at(&errors, "criteria[8].basiss", "`basiss`");
    assert_eq!(e.line, Some((line_of("basis: Mục III.2.4"), 5)));
}

#[test]
fn an_unknown_field_inside_a_check_is_refused() {
    let errors = refused("!document { kind: registration }", "!document { kind: registration, deadline: true }");
    let e = parse_error_at(&errors, "criteria[0].parts[1].check.document.deadline", "`deadline`");
    assert!(e.message.contains("by_registration_deadline"), "the message lists the known fields: {}", e.message);
}

#[test]
fn an_unknown_top_level_field_gets_a_plain_message() {
    let errors = refused("id: vinh-long-2013\n", "id: vinh-long-2013\nnam: x\n");
    let e = parse_error_at(&errors, "nam", "`nam`");
    assert!(e.message.starts_with("trường không hợp lệ: `nam`"), "{}", e.message);
}

/// Parse errors below the top level should read as plainly as those at the top: no serde
/// English ("unknown variant", "unknown field", "invalid type"), no repeated internal path, and
/// not called a YAML syntax error when the YAML is well formed.
#[test]
fn nested_parse_errors_get_plain_messages() {
    let cases = [
        (
            "check: !document { kind: party_resolution }",
            "check: !documnt { kind: party_resolution }",
            "kiểu kiểm tra hoặc giá trị không hợp lệ: `documnt`",
        ),
        ("    basis: Mục III.2.4 Kế hoạch\n", "    basiss: Mục III.2.4 Kế hoạch\n", "trường không hợp lệ: `basiss`"),
        ("!document { kind: registration }", "!document { kind: registration, deadline: true }", "trường không hợp lệ: `deadline`"),
        (
            "scope: territory }\n  - id: \"1.4\"",
            "scope: teritory }\n  - id: \"1.4\"",
            "kiểu kiểm tra hoặc giá trị không hợp lệ: `teritory`",
        ),
        ("condition: recognised, at_least_percent: 70", "condition: recognised, at_least_percent: -70", "sai kiểu dữ liệu: integer `-70`"),
    ];
    let mut wrong = Vec::new();
    for (from, to, plain) in cases {
        let errors = refused(from, to);
        let message = &errors.0[0].message;
        if !message.starts_with(plain) || message.contains("lỗi cú pháp YAML") || message.contains("criteria[") {
            wrong.push(format!("{to:?}: got {message:?}, expected it to start with {plain:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_missing_field_is_refused() {
    let errors = refused("    basis: Mục III.5.4 Kế hoạch\n", "");
    let e = errors.0.first().expect("one error");
    assert!(e.place.starts_with("criteria[22]"), "place {:?}", e.place);
    assert!(e.message.starts_with("thiếu trường `basis`"), "{}", e.message);
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let text = TEXT
        .replacen("when: general_education", "when: general_educaton", 1)
        .replacen("kinds: [anti_party, sabotage]", "kinds: [anti_party, sabotge]", 1)
        .replacen("condition: recognised, at_least_percent: 70", "condition: recognised, at_least_percent: 150", 1);
    let errors = Ruleset::from_yaml(FILE, &text).expect_err("three problems");
    let places: Vec<&str> = errors.0.iter().map(|e| e.place.as_str()).collect();
    assert_eq!(
        places,
        [
            "criteria[1.3].parts[a].check.no_event.kinds",
            "criteria[2.4].parts[a].check.share_of_children.at_least_percent",
            "criteria[4.2].parts[c].when",
        ]
    );
    assert_eq!(errors.to_string().lines().count(), 3, "{errors}");
}

#[test]
fn a_unit_type_without_criteria_is_refused() {
    // Moving 5.4 to schools leaves worship sites with three criteria, still accepted; renaming
    // the type of all of them leaves none.
    let text = TEXT.replace("    unit_type: worship_site\n", "    unit_type: school\n");
    let errors = Ruleset::from_yaml(FILE, &text).expect_err("worship sites have no criteria");
    error_at(&errors, "unit_types[4]", "loại đơn vị `worship_site` không có tiêu chí nào");
}

// ----------------------------------------------------------------------------------------------
// The shipped criteria are the plan's (QĐ 710/QĐ-UBND, section III)

/// Section III of the plan, criterion by criterion, as printed.
const PLAN: [(&str, &str); 23] = [
    (
        "1.1",
        "Hàng năm, cấp uỷ Đảng có nghị quyết, khu dân cư có bản đăng ký phấn đấu đạt tiêu chuẩn “An toàn về ANTT” và 100% hộ gia đình trên địa bàn ký cam kết giao ước thi đua xây dựng khu dân cư “An toàn về ANTT”.",
    ),
    (
        "1.2",
        "Triển khai, thực hiện có hiệu quả các chủ trương, đường lối, chính sách của Đảng, pháp luật của Nhà nước, có mô hình tự quản về an ninh, trật tự ở khu dân cư.",
    ),
    (
        "1.3",
        "Không để xảy ra các hoạt động chống Đảng, chống chính quyền, phá hoại các mục tiêu, công trình kinh tế, văn hoá, xã hội, an ninh quốc phòng, tuyên truyền, phát triển đạo trái pháp luật, hoạt động ly khai, đòi tự trị, gây rối an ninh trật tự, tranh chấp phức tạp trong nội bộ nhân dân.",
    ),
    ("1.4", "Thực hiện các hoạt động phòng ngừa các loại tội phạm, tai nạn, tệ nạn xã hội và các vi phạm pháp luật khác."),
    (
        "1.5",
        "Công an viên, bảo vệ dân phố hoàn thành tốt nhiệm vụ, không có công an viên, bảo vệ dân phố bị kỷ luật từ hình thức cảnh cáo trở lên.",
    ),
    (
        "2.1",
        "Hàng năm, Đảng uỷ có nghị quyết, Uỷ ban nhân dân xã, phường, thị trấn có kế hoạch về công tác đảm bảo ANTT, có bản đăng ký phấn đấu đạt tiêu chuẩn “An toàn về ANTT”;",
    ),
    ("2.2", "Đạt các chỉ tiêu quy định tại Khoản 2, Khoản 3, Khoản 4, Điều 5 Thông tư 23/2012/TT-BCA ngày 27 tháng 4 năm 2012:"),
    (
        "2.3",
        "Hàng năm, công an xã, bảo vệ dân phố phải đạt danh hiệu “Đơn vị tiên tiến” trở lên; không có cá nhân bị kỷ luật từ hình thức cảnh cáo trở lên.",
    ),
    ("2.4", "Có 70% số khu dân cư trở lên được công nhận đạt tiêu chuẩn “An toàn về ANTT”."),
    (
        "3.1",
        "Hàng năm cấp uỷ Đảng có nghị quyết (đối với nơi có tổ chức Đảng), người đứng đầu cơ quan, doanh nghiệp có kế hoạch về công tác đảm bảo an ninh, trật tự; có bản đăng ký phấn đấu đạt tiêu chuẩn “An toàn về ANTT”; có nội quy, quy chế bảo vệ cơ quan, doanh nghiệp, bảo vệ bí mật nhà nước, bảo vệ chính trị nội bộ, phòng, chống cháy, nổ và 100% cán bộ, công nhân viên ký cam kết giao ước thi đua thực hiện tốt các nội quy, quy chế và xây dựng cơ quan, doanh nghiệp đạt chuẩn “An toàn về ANTT”.",
    ),
    (
        "3.2",
        "Triển khai, thực hiện có hiệu quả các chủ trương, đường lối, chính sách của Đảng, pháp luật của Nhà nước; có kế hoạch phối hợp với chính quyền địa phương và cơ quan Công an trong công tác đảm bảo an ninh, trật tự; phòng, chống tội phạm, tệ nạn xã hội trên địa bàn; có mô hình tự phòng, tự quản, tự bảo vệ về an ninh, trật tự; tự bảo vệ về vật tư, tài sản trong cơ quan, doanh nghiệp.",
    ),
    (
        "3.3",
        "Không để xảy ra các hoạt động khiếu kiện đông người, đình công trái pháp luật; mất trộm tài sản có giá trị lớn, để lộ công nghệ, bí mật nhà nước; cháy, nổ, tai nạn lao động nghiêm trọng, không có cán bộ, công nhân viên phạm tội hoặc mắc tệ nạn xã hội.",
    ),
    (
        "3.4",
        "Xây dựng lực lượng bảo vệ chuyên trách và bán chuyên trách trong sạch, vững mạnh, hàng năm đạt danh hiệu “Tập thể lao động tiên tiến” trở lên; không có cá nhân bị kỷ luật từ hình thức cảnh cáo trở lên.",
    ),
    ("3.5", "Có 70% số đầu mối trực thuộc (phòng, ban, tổ, đội…) trở lên đạt danh hiệu “Tập thể lao động tiên tiến”."),
    (
        "4.1",
        "Hàng năm, cấp uỷ Đảng có nghị quyết (đối với những nơi có tổ chức Đảng), Ban giám hiệu (Ban giám đốc) nhà trường có kế hoạch về công tác đảm bảo an ninh, trật tự, có bản đăng ký phấn đấu đạt tiêu chuẩn “An toàn về ANTT”; có nội quy, quy chế bảo vệ nhà trường, bảo vệ chính trị nội bộ, quản lý giáo dục người học; phòng, chống cháy, nổ và 100% cán bộ, giáo viên, công nhân viên, người học từ cấp trung học cơ sở trở lên ký cam kết thực hiện các nội quy, quy chế và xây dựng nhà trường đạt chuẩn “An toàn về ANTT” gắn với các phong trào thi đua trong hệ thống giáo dục quốc dân.",
    ),
    (
        "4.2",
        "Triển khai, thực hiện có hiệu quả các chủ trương, đường lối, chính sách của Đảng, pháp luật của Nhà nước; có kế hoạch phối hợp giữa nhà trường với chính quyền địa phương - gia đình người học (nếu người học là học sinh phổ thông) trong công tác đảm bảo an ninh, trật tự trường học và quản lý, giáo dục người học, có mô hình tự phòng, tự quản, tự bảo vệ về an ninh, trật tự trong nhà trường, ký túc xá và nhà trọ.",
    ),
    (
        "4.3",
        "Không để xảy ra các hoạt động gây rối, biểu tình, lập các hội, nhóm, tuyên truyền phát triển đạo, khiếu kiện và tụ tập đông người trái với quy định của pháp luật; không để xảy ra tội phạm và bạo lực học đường; không có cán bộ, giáo viên, công nhân viên, người học phạm tội hoặc mắc tệ nạn xã hội, không để xảy ra cháy, nổ, tai nạn lao động nghiêm trọng.",
    ),
    (
        "4.4",
        "Xây dựng lực lượng bảo vệ chuyên trách và bán chuyên trách (nếu có) trong sạch, vững mạnh, phân loại thi đua hàng năm đạt danh hiệu “Tập thể lao động tiên tiến” trở lên; không có cá nhân bị kỷ luật từ hình thức cảnh cáo trở lên.",
    ),
    ("4.5", "Có 70% số đầu mối trực thuộc (khoa, phòng, ban, tổ, bộ môn…) trở lên đạt danh hiệu “Tập thể lao động tiên tiến”."),
    (
        "5.1",
        "Hàng năm, xây dựng chương trình hành đạo có kế hoạch về công tác đảm bảo an ninh, trật tự; có bản đăng ký phấn đấu đạt tiêu chuẩn “An toàn về ANTT”; có nội quy, quy chế bảo vệ cơ sở thờ tự, bảo vệ chính trị nội bộ, quản lý giáo dục các chức sắc, chức việc, tín đồ chấp hành nghiêm túc chủ trương, đường lối, chính sách của Đảng, Nhà nước, quy định của địa phương; phòng, chống cháy, nổ và 100% chức sắc, chức việc, tín đồ ký cam kết thực hiện các nội quy, quy chế và xây dựng cơ sở thờ tự đạt chuẩn “An toàn về ANTT”.",
    ),
    (
        "5.2",
        "Triển khai, thực hiện có hiệu quả các chủ trương, đường lối, chính sách của Đảng, pháp luật của Nhà nước; có kế hoạch phối hợp giữa cơ sở thờ tự với chính quyền địa phương trong công tác đảm bảo ANTT, có sơ đồ hướng dẫn để thuận tiện cho người đến hành lễ và khách đến tham quan, có kế hoạch tự phòng, tự quản, tự bảo vệ về an ninh, trật tự trong cơ sở thờ tự.",
    ),
    (
        "5.3",
        "Không để xảy ra các hoạt động gây rối, biểu tình, lập các hội, nhóm, khiếu kiện và tụ tập đông người trái với quy định của pháp luật; không để xảy ra tội phạm và bạo lực nơi thờ tự; không có chức sắc, chức việc, tín đồ phạm tội hoặc mắc tệ nạn xã hội, không để xảy ra cháy, nổ, tai nạn lao động nghiêm trọng.",
    ),
    (
        "5.4",
        "Không có các hoạt động mê tín dị đoan như: Đồng bóng, bói toán, trị bệnh bằng bùa phép, mua bán sách bói toán và các ấn phẩm chưa được phép lưu hành, không để xảy ra truyền đạo bất hợp pháp dưới bất cứ hình thức nào.",
    ),
];

fn shipped() -> Ruleset {
    Ruleset::from_yaml(FILE, TEXT).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_criterion_1_1_to_5_4_exists_for_its_unit_type() {
    let rs = shipped();
    let ids: Vec<&str> = rs.criteria.iter().map(|c| c.id.as_str()).collect();
    let expected: Vec<&str> = PLAN.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, expected);
    for c in &rs.criteria {
        let unit_type = match &c.id[..1] {
            "1" => "residential_area",
            "2" => "commune",
            "3" => "agency",
            "4" => "school",
            "5" => "worship_site",
            other => panic!("criterion {} in section {other}", c.id),
        };
        assert_eq!(c.unit_type, unit_type, "criterion {}", c.id);
        assert!(c.basis.contains(&format!("Mục III.{}", c.id)), "criterion {} basis {:?}", c.id, c.basis);
    }
}

#[test]
fn criteria_1_1_2_4_and_5_4_have_the_plans_exact_wording() {
    let rs = shipped();
    for id in ["1.1", "2.4", "5.4"] {
        let text = rs.criteria.iter().find(|c| c.id == id).map(|c| c.text.as_str());
        let plan = PLAN.iter().find(|(i, _)| *i == id).map(|(_, t)| *t);
        assert_eq!(text, plan, "criterion {id}");
    }
}

#[test]
fn every_criterion_has_the_plans_wording() {
    let rs = shipped();
    for ((id, plan), c) in PLAN.iter().zip(&rs.criteria) {
        assert_eq!(c.id, *id);
        if *id == "2.2" {
            // The plan's colon introduces the list of clauses, which the ruleset splits into parts.
            assert_eq!(c.text.strip_suffix('.'), plan.strip_suffix(':'), "criterion 2.2");
        } else {
            assert_eq!(c.text, *plan, "criterion {id}");
        }
    }
}

// ----------------------------------------------------------------------------------------------
// The vocabulary and checks of TT 124: harm, fields of law, groups of people

const TT124_FILE: &str = "rulesets/tt124-2021.yaml";
const TT124: &str = include_str!("../../../rulesets/tt124-2021.yaml");

/// The shipped `tt124-2021` text with the first `from` replaced by `to`, which must be refused
/// with an error at `place` saying `message`.
#[track_caller]
fn tt124_refused_at(from: &str, to: &str, place: &str, message: &str) {
    assert!(TT124.contains(from), "the shipped tt124-2021 no longer contains {from:?}");
    let errors = match Ruleset::from_yaml(TT124_FILE, &TT124.replacen(from, to, 1)) {
        Ok(_) => panic!("a ruleset with {to:?} instead of {from:?} was accepted"),
        Err(e) => e,
    };
    let Some(e) = errors.0.iter().find(|e| e.place == place) else { panic!("no error at {place:?}; errors:\n{errors}") };
    assert_eq!(e.file, TT124_FILE);
    assert!(e.message.contains(message), "message at {place} does not say {message:?}: {}", e.message);
}

#[test]
fn harm_scales_and_harm_kinds_are_checked() {
    tt124_refused_at(
        "      kinds: [fire_explosion]",
        "      kinds: [fire]",
        "vocabulary.harm_scales[0].kinds",
        "loại vụ việc `fire` chưa được khai báo",
    );
    tt124_refused_at(
        "any_of: [{ deaths: 1 }, { injured: 1, injury_percent: 61 }",
        "any_of: [{ deaths: 0 }, { injured: 1, injury_percent: 61 }",
        "vocabulary.harm_scales[0].levels",
        "mức `nghiêm trọng` có ngưỡng thiệt hại trống",
    );
    tt124_refused_at(
        "        - severity: rat_nghiem_trong",
        "        - severity: dac_biet_nghiem_trong",
        "vocabulary.harm_scales[0].levels",
        "khai báo hai lần",
    );
    tt124_refused_at(
        "fatal_labour_accident: { of: labour_accident, harm: { deaths: 1 } }",
        "fatal_labour_accident: { of: labour_accidents, harm: { deaths: 1 } }",
        "vocabulary.harm_kinds.fatal_labour_accident.of",
        "`labour_accidents` phải là loại vụ việc đã khai báo",
    );
    tt124_refused_at(
        "fatal_labour_accident: { of: labour_accident, harm: { deaths: 1 } }",
        "fatal_labour_accident: { of: labour_accident, harm: {} }",
        "vocabulary.harm_kinds.fatal_labour_accident.harm",
        "ngưỡng thiệt hại trống",
    );
}

#[test]
fn fields_of_law_and_groups_of_people_in_a_check_are_checked() {
    tt124_refused_at(
        "scope: people, domains: [security_order] }\n  - id: \"6.4\"",
        "scope: people, domains: [security] }\n  - id: \"6.4\"",
        "criteria[6.3].parts[h].check.no_event.domains",
        "lĩnh vực `security` chưa được khai báo",
    );
    tt124_refused_at(
        "kinds: [crime], scope: people, groups: [learners] }",
        "kinds: [crime], scope: people, groups: [pupils] }",
        "criteria[7.4].parts[2].check.no_event.groups",
        "nhóm người `pupils` chưa được khai báo",
    );
    tt124_refused_at(
        "kinds: [crime], scope: people, groups: [learners] }",
        "kinds: [crime], scope: territory, groups: [learners] }",
        "criteria[7.4].parts[2].check.no_event.groups",
        "chỉ lọc theo nhóm người khi phạm vi là `people`",
    );
    tt124_refused_at(
        "groups: [staff, teachers, learners], required: [staff, teachers, learners]",
        "groups: [staff, teachers], required: [staff, teachers], required_one_of: [[learners]]",
        "criteria[7.1].parts[5].check.commitment_ratio.required",
        "nhóm bắt buộc `learners` không có trong groups",
    );
}

#[test]
fn documents_name_bands_and_cite_the_circular_of_each_shipped_ruleset() {
    for rs in antt_core::ruleset::built_in().expect("the shipped rulesets load") {
        // A band's code is never printed: its name is; a name stays as it is.
        for band in &rs.scoring.bands {
            assert_eq!(rs.band_name(&band.code), band.name, "{}", rs.id);
            assert_eq!(rs.band_name(&band.name), band.name, "{}", rs.id);
        }
        // A recognition decision cites the circular that sets the standard.
        let circular = if rs.id == "vinh-long-2013" { "Thông tư số 23/2012/TT-BCA" } else { "Thông tư số 124/2021/TT-BCA" };
        assert!(rs.decision_grounds.first().is_some_and(|g| g.starts_with(circular)), "{}: {:?}", rs.id, rs.decision_grounds);
    }
}
