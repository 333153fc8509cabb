//! The national benchmark: the synthetic country of `antt_core::synthetic` the size of Viet Nam
//! after the 2025 merger of provinces (34 provinces, 3,321 communes), with 100,000 residential
//! areas, 60,000 agencies, schools and places of worship and 1,000,000 incidents, evaluated under
//! `vinh-long-2013` for campaign year 2013. Only `Tree::new` and `roll_up` are timed; the facts are built once.
//!
//! Run with `cargo bench -p antt-core --bench national`. The goal is under 0.25 s on one core
//! (issue 12).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use antt_core::calendar::Calendar;
use antt_core::model::{Campaign, Unit};
use antt_core::rollup::{RollUp, Tree, roll_up};
use antt_core::ruleset::{Ruleset, built_in_named};
use antt_core::synthetic::{self, Shape, YEAR};
use chrono::NaiveDate;

#[path = "../tests/digest/mod.rs"]
mod digest;

/// The allocator the `antt` program runs on, so the figures are the product's.
#[global_allocator]
static ALLOCATOR: antt_alloc::Allocator = antt_alloc::Allocator;

/// The fingerprint of the national roll-up taken with the engine of commit 8e0377f, before it
/// was optimised (issue 12): a faster engine must give exactly the same verdicts.
const NATIONAL_DIGEST: &str = "82b22bd966430c5ef00f5c556189b15b3f3e1859";

fn main() {
    sanity_check();
    divan::main();
}

/// Each sample evaluates the whole country once, so a few samples are enough.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn national_tree(bencher: divan::Bencher) {
    let nation = &*NATION;
    bencher.bench(|| nation.evaluate());
}

/// Refuses to time anything unless the tree produces every kind of decision for every evaluated
/// unit type: a generator bug that made everything fail on the first part would make the
/// benchmark measure almost nothing.
fn sanity_check() {
    let nation = &*NATION;
    let rollup = nation.evaluate();
    let total = rollup.total();
    let shape = Shape::national();
    let evaluated = shape.communes.len() + shape.residential_areas + shape.establishments;
    assert_eq!(total.values().map(|c| c.total as usize).sum::<usize>(), evaluated, "every unit below the provinces has a verdict");
    for (unit_type, c) in &total {
        assert!(
            c.recognised > 0 && c.not_recognised > 0 && c.incomplete > 0,
            "outcomes of `{unit_type}` are not varied: {c:?} (recognised, not recognised and incomplete must all appear)"
        );
        assert_eq!(c.out_of_scope, 0, "`{unit_type}` is covered by the ruleset");
    }
    let fingerprint = digest::digest(&rollup);
    assert_eq!(fingerprint, NATIONAL_DIGEST, "the national roll-up differs from what the engine gave before");
    let incidents: usize = nation.units.iter().filter_map(|u| u.incidents.as_ref()).map(Vec::len).sum();
    eprintln!("national tree: {} units, {incidents} incidents recorded", nation.units.len());
    for (unit_type, c) in &total {
        eprintln!(
            "  {unit_type}: {} units, {} recognised, {} not recognised, {} incomplete",
            c.total, c.recognised, c.not_recognised, c.incomplete
        );
    }
}

static NATION: LazyLock<Nation> = LazyLock::new(Nation::build);

struct Nation {
    ruleset: Ruleset,
    calendar: Calendar,
    units: Vec<Unit>,
}

impl Nation {
    fn evaluate(&self) -> RollUp<'_> {
        let tree = Tree::new(&self.units).expect("the synthetic tree is well formed");
        roll_up(&self.ruleset, Some(&self.calendar), tree)
    }

    fn build() -> Self {
        let ruleset = built_in_named("vinh-long-2013").expect("built-in rulesets load").expect("vinh-long-2013 is built in");
        let plan_date = NaiveDate::from_ymd_opt(YEAR, 5, 2).expect("a real day");
        let campaign = Campaign { year: YEAR, plan_number: Some("710/QĐ-UBND".into()), plan_date, settings: BTreeMap::new() };
        let calendar = Calendar::new(&ruleset.timeline, ruleset.unit_types.iter().map(|t| &t.code), &campaign, &ruleset.settings)
            .expect("the 2013 calendar is complete");
        let units = synthetic::country(&ruleset, &Shape::national());
        Self { ruleset, calendar, units }
    }
}
