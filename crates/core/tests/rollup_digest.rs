//! The roll-up of small synthetic countries gives exactly what it gave before the engine was
//! made fast for the national tree (issue 12): the fingerprints below were taken with the
//! engine of commit 8e0377f, which compared codes as strings and allocated freely.

mod common;
mod digest;

use antt_core::rollup::{Counts, Known, Tree, roll_up, roll_up_knowing};
use antt_core::synthetic::{self, Shape};
use common::{calendar, rs};

/// `provinces` provinces sharing `communes` communes, with national proportions of areas,
/// establishments and incidents per commune.
fn shape(provinces: usize, communes: usize, seed: u64) -> Shape {
    Shape {
        provinces: (0..provinces).map(|p| (format!("P{p:02}"), format!("Tỉnh {p}"))).collect(),
        communes: (0..communes).map(|c| (format!("X{c:05}"), format!("Xã {c}"), c * provinces / communes)).collect(),
        residential_areas: communes * 30,
        establishments: communes * 18,
        incidents: communes * 300,
        seed,
    }
}

fn digest_of(shape: &Shape) -> String {
    let units = synthetic::country(rs(), shape);
    let tree = Tree::new(&units).expect("the synthetic tree is well formed");
    digest::digest(&roll_up(rs(), Some(&calendar()), tree))
}

#[test]
fn a_small_country_rolls_up_as_before() {
    assert_eq!(digest_of(&shape(3, 40, Shape::national_facts().seed)), "ba87f9fca27d1ec4710ff2bec2606993765d2ddd");
}

#[test]
fn another_seed_rolls_up_as_before() {
    assert_eq!(digest_of(&shape(2, 25, 42)), "211e920557185fcab45220dd6130aad6f1257891");
}

/// A roll-up given some units' outcomes and counts as known (their true ones) gives every
/// other unit the verdict and every node the summary of a full roll-up, and evaluates none of
/// the known units: what an update relies on when it re-evaluates only the units written and
/// those above them.
#[test]
fn units_given_as_known_leave_every_other_verdict_and_every_summary_as_a_full_roll_up() {
    let units = synthetic::country(rs(), &shape(2, 25, 7));
    let full = roll_up(rs(), Some(&calendar()), Tree::new(&units).expect("a well formed tree"));
    // Every third evaluated unit known, communes and leaves alike.
    let known: Vec<Option<Known>> = full
        .verdicts
        .iter()
        .enumerate()
        .map(|(i, v)| v.as_ref().filter(|_| i % 3 == 0).map(|v| Known { outcome: v.outcome, counts: Counts::of(v) }))
        .collect();
    let given = known.iter().filter(|k| k.is_some()).count();
    assert!(given > 100, "{given}");
    let partial = roll_up_knowing(rs(), Some(&calendar()), Tree::new(&units).expect("a well formed tree"), &known);
    assert_eq!(partial.summaries, full.summaries);
    for (i, (again, before)) in partial.verdicts.iter().zip(&full.verdicts).enumerate() {
        if known[i].is_some() {
            assert!(again.is_none(), "unit {} was known, not evaluated again", units[i].id.0);
        } else {
            assert_eq!(again.as_ref().map(|v| format!("{v:?}")), before.as_ref().map(|v| format!("{v:?}")), "unit {}", units[i].id.0);
        }
    }
}
