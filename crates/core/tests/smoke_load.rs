#[test]
fn built_in_rulesets_load() {
    let all = antt_core::ruleset::built_in().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(all.len(), 3);
}

#[test]
fn each_built_in_text_is_found_by_the_id_it_declares() {
    for rs in antt_core::ruleset::built_in().unwrap_or_else(|e| panic!("{e}")) {
        let text = antt_core::ruleset::built_in_text(&rs.id).unwrap_or_else(|| panic!("{} has no text", rs.id));
        assert_eq!(antt_core::Ruleset::from_yaml("", text).map(|r| r.id), Ok(rs.id.clone()));
    }
    assert_eq!(antt_core::ruleset::built_in_text("nope"), None);
}
