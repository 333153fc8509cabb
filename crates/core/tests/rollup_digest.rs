//! The roll-up of small synthetic countries gives exactly what it gave before the engine was
//! made fast for the national tree (issue 12): the fingerprints below were taken with the
//! engine of commit 8e0377f, which compared codes as strings and allocated freely.

mod common;
mod digest;

use antt_core::rollup::{Tree, roll_up};
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
