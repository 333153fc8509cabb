//! Reports made with one interner hold each distinct text once, and a report stored without
//! the ruleset's wording reads back equal to the one made, sharing its texts again.

mod common;

use std::collections::HashSet;
use std::sync::Arc;

use antt_core::report::{Interner, Text, UnitReport};
use antt_core::rollup::{Tree, roll_up};
use antt_core::synthetic::{self, Shape};
use common::{calendar, rs};

fn small_country() -> Shape {
    Shape {
        provinces: vec![("P00".into(), "Tỉnh 0".into())],
        communes: (0..6).map(|c| (format!("X{c:05}"), format!("Xã {c}"), 0)).collect(),
        residential_areas: 120,
        establishments: 60,
        incidents: 1_500,
        seed: 7,
    }
}

/// Every text of a report, in a fixed order.
fn texts(r: &UnitReport) -> Vec<&Text> {
    let mut out = vec![&r.unit_type, &r.unit_type_name, &r.outcome_name];
    out.extend(&r.scope_notes);
    out.extend(&r.authority);
    out.extend(r.registration.as_ref().map(|g| &g.text));
    for c in &r.criteria {
        out.extend([&c.id, &c.text, &c.basis]);
        for p in &c.parts {
            out.extend([&p.id, &p.text, &p.reason]);
        }
    }
    out
}

/// How many distinct allocations hold the texts, against how many distinct strings they are.
fn allocations_and_strings(reports: &[UnitReport]) -> (usize, usize) {
    let all: Vec<&Text> = reports.iter().flat_map(texts).collect();
    let allocations: HashSet<*const u8> = all.iter().map(|t| Arc::as_ptr(t).cast::<u8>()).collect();
    let strings: HashSet<&str> = all.iter().map(|t| &***t).collect();
    (allocations.len(), strings.len())
}

#[test]
fn reports_made_with_one_interner_hold_each_text_once() {
    let units = synthetic::country(rs(), &small_country());
    let result = roll_up(rs(), Some(&calendar()), Tree::new(&units).expect("well formed"));
    let mut interner = Interner::default();
    let shared: Vec<UnitReport> =
        result.verdicts.iter().flatten().map(|v| UnitReport::new_in(rs(), Some(&calendar()), v, &mut interner)).collect();
    let (allocations, strings) = allocations_and_strings(&shared);
    assert!(shared.len() > 150 && strings > 50, "a country of {} reports, {strings} texts", shared.len());
    assert_eq!(allocations, strings, "one allocation per distinct text");

    let alone: Vec<UnitReport> = result.verdicts.iter().flatten().map(|v| UnitReport::new(rs(), Some(&calendar()), v)).collect();
    assert!(allocations_and_strings(&alone).0 > 10 * strings, "reports made one by one share nothing across reports");

    // Stored without the ruleset's wording, read back with it: the same report, shared again.
    let wording = shared.iter().flat_map(|r| &r.criteria).map(|c| c.text.clone()).next().expect("a unit has criteria");
    let mut again = Interner::default();
    let restored: Vec<UnitReport> = shared
        .iter()
        .map(|r| {
            let json = serde_json::to_string(&r.without_ruleset_texts()).expect("serialises");
            assert!(!json.contains(&*wording), "the ruleset's wording is left out");
            serde_json::from_str::<UnitReport>(&json).expect("reads back").with_ruleset_texts(rs(), &mut again)
        })
        .collect();
    for (r, s) in restored.iter().zip(&shared) {
        assert_eq!(serde_json::to_value(r).expect("json"), serde_json::to_value(s).expect("json"), "unit {}", s.id);
    }
    assert_eq!(allocations_and_strings(&restored), (strings, strings));
}
