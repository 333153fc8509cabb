#[test]
fn built_in_rulesets_load() {
    let all = antt_core::ruleset::built_in().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(all.len(), 3);
}
