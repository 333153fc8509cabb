//! The facts format: the files written before issue 15 still read and check clean; the new
//! fields (harm, field of law, group of people, several forces, combined groups) read from YAML
//! and JSON, are left out when empty, and every problem with them is named with its place.

use antt_core::model::{DisciplineLevel, Facts, Harm};
use antt_core::ruleset::built_in_named;
use antt_core::validate::validate;

const EXAMPLES: [(&str, &str); 2] = [
    ("examples/vinh-long-2013-xa.yaml", include_str!("../../../examples/vinh-long-2013-xa.yaml")),
    ("examples/vinh-long-2013-ap.json", include_str!("../../../examples/vinh-long-2013-ap.json")),
];

fn ruleset(id: &str) -> antt_core::Ruleset {
    built_in_named(id).expect("built-in rulesets load").expect("built in")
}

#[test]
fn the_examples_written_before_issue_15_still_read_and_check_clean() {
    let rs = ruleset("vinh-long-2013");
    for (file, text) in EXAMPLES {
        let facts = Facts::parse(file, text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(validate(&rs, &facts), [], "{file}");
        // Nothing new is written back for them: the new fields are left out when empty.
        let json = serde_json::to_string(&facts).expect("facts serialise");
        for field in ["also_groups", "also_forces", "\"harm\"", "\"domain\""] {
            assert!(!json.contains(field), "{file}: {field} written");
        }
    }
}

const NEW: &str = r#"
campaign: {year: 2024, plan_date: '2024-01-10'}
units:
- id: S
  name: Trường THPT An Bình
  type: school
  attributes: {education_level: upper_secondary}
  commitments:
  - {group: staff, also_groups: [teachers], signed: 72, total: 72}
  - {group: learners, signed: 1200, total: 1200}
  incidents:
  - {kind: fire_explosion, date: '2024-05-15', harm: {deaths: 1, injuries: [35, 40], damage_vnd: 120000000}}
  - {kind: administrative_sanction, date: '2024-05-16', in_territory: false, by_own_people: true, group: learners, domain: traffic}
  discipline:
  - {force: staff, also_forces: [protection_force], level: keo_dai_nang_luong, date: '2024-06-01', person: Phạm Văn Bảo}
  - {force: learners, level: dinh_chi_hoc_tap, date: '2024-06-02'}
"#;

#[test]
fn the_new_fields_read_from_yaml_and_json_alike() {
    let facts = Facts::parse("new.yaml", NEW).unwrap_or_else(|e| panic!("{e}"));
    let json = serde_json::to_string(&facts).expect("facts serialise");
    let again = Facts::parse("new.json", &json).unwrap_or_else(|e| panic!("{e}"));
    for f in [&facts, &again] {
        let s = &f.units[0];
        let c = &s.commitments.as_ref().expect("commitments")[0];
        assert_eq!(c.groups().collect::<Vec<_>>(), ["staff", "teachers"]);
        let incidents = s.incidents.as_ref().expect("incidents");
        assert_eq!(incidents[0].harm, Some(Harm { deaths: 1, injuries: vec![35, 40], damage_vnd: 120_000_000 }));
        assert_eq!(incidents[0].harm.as_ref().map(Harm::injury_percent), Some(75));
        assert_eq!((incidents[1].group.as_deref(), incidents[1].domain.as_deref()), (Some("learners"), Some("traffic")));
        let discipline = s.discipline.as_ref().expect("discipline");
        assert_eq!(discipline[0].forces().collect::<Vec<_>>(), ["staff", "protection_force"]);
        assert_eq!((discipline[0].level, discipline[1].level), (DisciplineLevel::KeoDaiNangLuong, DisciplineLevel::DinhChiHocTap));
    }
    assert_eq!(validate(&ruleset("tt124-2021"), &facts), []);
}

#[test]
fn the_new_discipline_forms_sit_on_the_scale_of_weight() {
    use DisciplineLevel as L;
    assert!(!L::KhienTrach.at_least(L::CanhCao));
    for heavy in [L::KeoDaiNangLuong, L::SaThai, L::DinhChiHocTap, L::BuocThoiHoc] {
        assert!(heavy.at_least(L::CanhCao), "{heavy:?}");
    }
    assert!(!L::KeoDaiNangLuong.at_least(L::HaBacLuong));
    assert!(L::BuocThoiHoc.at_least(L::CachChuc) && L::SaThai.at_least(L::BuocThoiViec));
    assert_eq!(L::ALL.len(), 10);
}

#[test]
fn problems_with_the_new_fields_are_named_with_their_place() {
    let broken = NEW
        .replace("also_groups: [teachers]", "also_groups: [teacher, learners]")
        .replace("domain: traffic", "domain: roads")
        .replace("group: learners, domain", "group: pupils, domain")
        .replace("also_forces: [protection_force]", "also_forces: [guards, staff]")
        .replace("injuries: [35, 40]", "injuries: [35, 140]");
    let facts = Facts::parse("broken.yaml", &broken).unwrap_or_else(|e| panic!("{e}"));
    let problems: Vec<String> = validate(&ruleset("tt124-2021"), &facts).iter().map(ToString::to_string).collect();
    for expected in [
        "đơn vị S, commitments[staff]: nhóm người ký cam kết `teacher` không có trong bộ tiêu chí tt124-2021",
        "đơn vị S, commitments[learners]: nhóm `learners` được nhập hai lần",
        "đơn vị S, incidents[1].domain: lĩnh vực `roads` không có trong bộ tiêu chí tt124-2021",
        "đơn vị S, incidents[1].group: nhóm người `pupils` không có trong bộ tiêu chí tt124-2021",
        "đơn vị S, discipline[0]: lực lượng `guards` không có trong bộ tiêu chí tt124-2021",
        "đơn vị S, discipline[0]: một lực lượng được ghi hai lần cho cùng một người",
        "đơn vị S, incidents[0].harm: tỷ lệ tổn thương cơ thể 140% lớn hơn 100%",
    ] {
        assert!(problems.iter().any(|p| p == expected), "missing {expected:?} in {problems:#?}");
    }
}

#[test]
fn a_combined_figure_may_not_mix_counted_and_uncounted_groups() {
    let text = r#"
campaign: {year: 2013, plan_date: '2013-05-02'}
units:
- id: T
  name: Trường Tiểu học và THCS
  type: school
  commitments:
  - {group: learners_lower_secondary, also_groups: [learners_primary], signed: 700, total: 700}
"#;
    let facts = Facts::parse("mixed.yaml", text).unwrap_or_else(|e| panic!("{e}"));
    let problems: Vec<String> = validate(&ruleset("vinh-long-2013"), &facts).iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "đơn vị T, commitments[learners_lower_secondary]: số liệu gộp nhóm được tính `learners_lower_secondary` với nhóm không tính `learners_primary`; hãy nhập riêng"
        ]
    );
}
