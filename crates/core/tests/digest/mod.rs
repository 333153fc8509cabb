//! A fingerprint of a whole roll-up: every verdict (outcome, scope, registration, every
//! criterion and part with its status and finding) and every summary, hashed with SHA-1. Units a
//! finding points to are written by id rather than in full, so that hashing a national tree
//! takes seconds; everything else is written in its `Debug` form. Shared by the roll-up test and
//! the national benchmark, which both compare it with a fingerprint taken before the engine was
//! optimised.

use std::fmt::{self, Write};

use antt_core::eval::{Finding, Located, PlacedDiscipline, Uncounted, Verdict};
use antt_core::model::Unit;
use antt_core::rollup::RollUp;
use sha1::{Digest, Sha1};

/// Lets `write!` feed the hash without building the text.
struct Hasher(Sha1);

impl Write for Hasher {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

/// The SHA-1 of the roll-up's rendering, in hexadecimal.
pub fn digest(rollup: &RollUp<'_>) -> String {
    let mut h = Hasher(Sha1::new());
    write_rollup(&mut h, rollup).expect("hashing does not fail");
    h.0.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn write_rollup(w: &mut impl Write, rollup: &RollUp<'_>) -> fmt::Result {
    for (i, unit) in rollup.tree.units.iter().enumerate() {
        writeln!(w, "unit {}", unit.id)?;
        if let Some(v) = &rollup.verdicts[i] {
            write_verdict(w, v)?;
        }
        if let Some(s) = &rollup.summaries[i] {
            writeln!(w, "summary {s:?}")?;
        }
    }
    writeln!(w, "total {:?}", rollup.total())
}

fn write_verdict(w: &mut impl Write, v: &Verdict<'_>) -> fmt::Result {
    writeln!(w, "verdict {} {:?} {:?} {:?}", v.unit.id, v.outcome, v.scope, v.registration)?;
    for (c, parts) in v.by_criterion() {
        writeln!(w, " criterion {} {:?}", c.criterion.id, c.status)?;
        for p in parts {
            write!(w, "  part {} {:?} ", p.part.id, p.status)?;
            write_finding(w, &p.finding)?;
            writeln!(w)?;
        }
    }
    Ok(())
}

fn ids(units: &[&Unit]) -> Vec<String> {
    units.iter().map(|u| u.id.0.clone()).collect()
}

fn located(list: &[Located<'_>]) -> Vec<String> {
    list.iter().map(|l| format!("{:?}@{:?}", l.incident, l.place.map(|u| &u.id))).collect()
}

fn tagged<T: fmt::Debug>(list: &[(T, Located<'_>)]) -> Vec<String> {
    list.iter().map(|(t, l)| format!("{t:?}:{:?}@{:?}", l.incident, l.place.map(|u| &u.id))).collect()
}

fn placed(list: &[PlacedDiscipline<'_>]) -> Vec<String> {
    list.iter().map(|p| format!("{:?}@{:?}", p.discipline, p.place.map(|u| &u.id))).collect()
}

fn write_finding(w: &mut impl Write, f: &Finding<'_>) -> fmt::Result {
    match f {
        Finding::ConditionFalse { .. }
        | Finding::ConditionUnknown { .. }
        | Finding::NotRecorded { .. }
        | Finding::Document { .. }
        | Finding::Commitments { .. }
        | Finding::Judgement { .. } => write!(w, "{f:?}"),
        // As these findings printed when they copied their check's fields, so that fingerprints
        // taken then still compare.
        Finding::Title { check, held } => {
            write!(w, "Title {{ force: {:?}, scale: {:?}, required: {:?}, held: {held:?} }}", check.force, check.scale, check.level)
        }
        Finding::SubUnits { check, with, without, total, needed } => write!(
            w,
            "SubUnits {{ scale: {:?}, level: {:?}, with: {with:?}, without: {without:?}, total: {total:?}, needed: {needed:?} }}",
            check.scale, check.level
        ),
        Finding::Events { check, counted, uncounted, unrecorded } => {
            // Written as the four lists the finding held before they became one, so that the
            // national fingerprint stays the engine's of commit 8e0377f.
            let doubtful: Vec<_> =
                uncounted.iter().filter_map(|(why, l)| if let Uncounted::Doubtful(d) = why { Some((*d, *l)) } else { None }).collect();
            let excused: Vec<_> =
                uncounted.iter().filter_map(|(why, l)| if let Uncounted::Excused(e) = why { Some((*e, *l)) } else { None }).collect();
            let other: Vec<_> = uncounted.iter().filter(|(why, _)| *why == Uncounted::Other).map(|(_, l)| *l).collect();
            write!(
                w,
                "Events {check:?} {:?} {:?} {:?} {:?} {:?}",
                located(counted),
                tagged(&doubtful),
                tagged(&excused),
                located(&other),
                ids(unrecorded)
            )
        }
        Finding::Reporting { check, late, unknown, reported, unrecorded } => {
            write!(w, "Reporting {:?} {:?} {:?} {reported} {:?}", check.kinds, located(late), located(unknown), ids(unrecorded))
        }
        Finding::YearOnYear { rows, unrecorded } => write!(w, "YearOnYear {rows:?} {:?}", ids(unrecorded)),
        Finding::Discipline { check, counted, below, unrecorded } => {
            write!(w, "Discipline {:?} {:?} {:?} {:?} {:?}", check.forces, check.at_least, placed(counted), placed(below), ids(unrecorded))
        }
        Finding::Children { check, yes, no, unknown, needed } => {
            write!(w, "Children {:?} {:?} {:?} {:?} {:?} {needed}", check.unit_types, check.condition, ids(yes), ids(no), ids(unknown))
        }
    }
}
