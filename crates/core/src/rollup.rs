//! Roll-up: evaluates a whole tree bottom-up (residential areas before their commune, every
//! child before its parent) and counts the results for every node with children.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, TypeCalendar};
use crate::eval::{self, ChildOutcome, CodeMap, Events, Input, Outcome, Prepared, Sighting, Sightings, TypePlan, Verdict};
use crate::model::Unit;
use crate::ruleset::Ruleset;

/// The units of a facts file arranged as a tree, children in input order.
#[derive(Debug)]
pub struct Tree<'a> {
    pub units: &'a [Unit],
    /// Every unit's children, one unit's after another's: one allocation for the tree rather
    /// than one for each unit with children.
    children: Vec<usize>,
    /// Where each unit's children start in `children`, and one more entry where the last end.
    child_starts: Vec<usize>,
    roots: Vec<usize>,
    /// Seeded per process, so ids chosen to collide cannot be prepared in advance, and faster
    /// than the standard library's SipHash on short ids.
    index: HashMap<&'a str, usize, foldhash::fast::RandomState>,
}

/// A problem with the shape of the tree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TreeError {
    #[error("mã đơn vị `{0}` bị trùng")]
    DuplicateId(String),
    #[error("đơn vị `{unit}` có đơn vị cấp trên `{parent}` không tồn tại")]
    UnknownParent { unit: String, parent: String },
    #[error("đơn vị `{0}` nằm trong một vòng lặp cấp trên – cấp dưới")]
    Cycle(String),
}

impl<'a> Tree<'a> {
    pub fn new(units: &'a [Unit]) -> Result<Self, Vec<TreeError>> {
        let mut errors = Vec::new();
        let mut index = HashMap::with_capacity_and_hasher(units.len(), foldhash::fast::RandomState::default());
        for (i, u) in units.iter().enumerate() {
            if index.insert(u.id.0.as_str(), i).is_some() {
                errors.push(TreeError::DuplicateId(u.id.0.clone()));
            }
        }
        let mut parents: Vec<Option<usize>> = vec![None; units.len()];
        let mut roots = Vec::new();
        for (i, u) in units.iter().enumerate() {
            match &u.parent {
                None => roots.push(i),
                Some(p) => match index.get(p.0.as_str()) {
                    Some(&pi) => parents[i] = Some(pi),
                    None => errors.push(TreeError::UnknownParent { unit: u.id.0.clone(), parent: p.0.clone() }),
                },
            }
        }
        // Counted, summed into starts, then placed: each parent's children keep input order.
        let mut child_starts = vec![0; units.len() + 1];
        for &p in parents.iter().flatten() {
            child_starts[p + 1] += 1;
        }
        for i in 1..child_starts.len() {
            child_starts[i] += child_starts[i - 1];
        }
        let mut next = child_starts.clone();
        let mut children = vec![0; child_starts[units.len()]];
        for (i, p) in parents.iter().enumerate() {
            if let Some(p) = *p {
                children[next[p]] = i;
                next[p] += 1;
            }
        }
        let tree = Self { units, children, child_starts, roots, index };
        if errors.is_empty() {
            let reached = tree.post_order().len();
            if reached < units.len() {
                let mut seen = vec![false; units.len()];
                for i in tree.post_order() {
                    seen[i] = true;
                }
                let parented = |i: &usize| units[*i].parent.as_ref().is_some_and(|p| tree.index.contains_key(p.0.as_str()));
                errors.extend((0..units.len()).filter(|i| !seen[*i] && parented(i)).map(|i| TreeError::Cycle(units[i].id.0.clone())));
            }
        }
        if errors.is_empty() { Ok(tree) } else { Err(errors) }
    }

    pub fn children(&self, i: usize) -> &[usize] {
        &self.children[self.child_starts[i]..self.child_starts[i + 1]]
    }

    pub fn roots(&self) -> &[usize] {
        &self.roots
    }

    pub fn find(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Every node reachable from a root, children before parents.
    pub fn post_order(&self) -> Vec<usize> {
        let mut order = Vec::with_capacity(self.units.len());
        let mut stack: Vec<(usize, usize)> = self.roots.iter().rev().map(|&r| (r, 0)).collect();
        while let Some((node, next)) = stack.pop() {
            if let Some(&child) = self.children(node).get(next) {
                stack.push((node, next + 1));
                stack.push((child, 0));
            } else {
                order.push(node);
            }
        }
        order
    }
}

/// Counts of outcomes for one unit type within a subtree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub total: u32,
    pub recognised: u32,
    pub not_recognised: u32,
    pub incomplete: u32,
    pub out_of_scope: u32,
    pub registered: u32,
    pub registered_on_time: u32,
}

impl Counts {
    /// What one verdict adds to the counts of every node above its unit.
    pub fn of(verdict: &Verdict<'_>) -> Self {
        let mut counts = Self::default();
        counts.count(verdict, eval::registered(verdict.unit) == Some(true));
        counts
    }

    fn sub(&mut self, other: &Counts) {
        self.total = self.total.saturating_sub(other.total);
        self.recognised = self.recognised.saturating_sub(other.recognised);
        self.not_recognised = self.not_recognised.saturating_sub(other.not_recognised);
        self.incomplete = self.incomplete.saturating_sub(other.incomplete);
        self.out_of_scope = self.out_of_scope.saturating_sub(other.out_of_scope);
        self.registered = self.registered.saturating_sub(other.registered);
        self.registered_on_time = self.registered_on_time.saturating_sub(other.registered_on_time);
    }

    fn add(&mut self, other: &Counts) {
        self.total += other.total;
        self.recognised += other.recognised;
        self.not_recognised += other.not_recognised;
        self.incomplete += other.incomplete;
        self.out_of_scope += other.out_of_scope;
        self.registered += other.registered;
        self.registered_on_time += other.registered_on_time;
    }

    /// Counts one verdict of a unit that did or did not register.
    fn count(&mut self, verdict: &Verdict<'_>, registered: bool) {
        self.total += 1;
        match verdict.outcome {
            Outcome::Recognised => self.recognised += 1,
            Outcome::NotRecognised => self.not_recognised += 1,
            Outcome::Incomplete => self.incomplete += 1,
            Outcome::OutOfScope => self.out_of_scope += 1,
        }
        if registered {
            self.registered += 1;
        }
        if verdict.registration.is_some_and(|t| t.is_on_time()) {
            self.registered_on_time += 1;
        }
    }
}

/// Results for one subtree, by unit type.
pub type Summary = BTreeMap<String, Counts>;

/// Every unit's verdict (administrative nodes have none) and every inner node's summary.
#[derive(Debug)]
pub struct RollUp<'a> {
    pub tree: Tree<'a>,
    pub verdicts: Vec<Option<Verdict<'a>>>,
    /// Summaries of nodes that have children, indexed like the units.
    pub summaries: Vec<Option<Summary>>,
}

impl<'a> RollUp<'a> {
    pub fn verdict(&self, id: &str) -> Option<&Verdict<'a>> {
        self.verdicts[self.tree.find(id)?].as_ref()
    }

    pub fn summary(&self, id: &str) -> Option<&Summary> {
        self.summaries[self.tree.find(id)?].as_ref()
    }

    /// Totals over every root.
    pub fn total(&self) -> Summary {
        let mut total = Summary::new();
        for &r in self.tree.roots() {
            if let Some(s) = &self.summaries[r] {
                merge(&mut total, s);
            }
            if let Some(v) = &self.verdicts[r] {
                counts_for(&mut total, &v.unit.unit_type).count(v, eval::registered(v.unit) == Some(true));
            }
        }
        total
    }
}

fn merge(into: &mut Summary, from: &Summary) {
    for (t, c) in from {
        counts_for(into, t).add(c);
    }
}

/// Everything a subtree counts: its root's summary and the root's own verdict.
pub fn subtree_total(summary: Option<&Summary>, own: Option<(&str, &Counts)>) -> Summary {
    let mut total = summary.cloned().unwrap_or_default();
    if let Some((unit_type, counts)) = own {
        counts_for(&mut total, unit_type).add(counts);
    }
    total
}

/// Replaces, in an ancestor's summary, what one of its subtrees counted before by what it
/// counts now. A type left with no unit disappears, as it would from a full roll-up.
pub fn replace_part(summary: &mut Summary, before: &Summary, after: &Summary) {
    for (t, c) in before {
        if let Some(counts) = summary.get_mut(t) {
            counts.sub(c);
        }
    }
    merge(summary, after);
    summary.retain(|_, c| c.total > 0);
}

/// The counts of one unit type, added when missing. Unlike `entry`, this copies the type's
/// name only the first time: a commune counts a hundred units of the same few types.
fn counts_for<'s>(summary: &'s mut Summary, unit_type: &str) -> &'s mut Counts {
    if !summary.contains_key(unit_type) {
        summary.insert(unit_type.to_owned(), Counts::default());
    }
    summary.get_mut(unit_type).expect("inserted above")
}

/// Whether a unit type is evaluated by the ruleset (administrative levels are not).
pub fn evaluated(ruleset: &Ruleset, unit: &Unit) -> bool {
    !crate::ruleset::ADMINISTRATIVE_TYPES.iter().any(|(code, _)| *code == unit.unit_type) || ruleset.unit_type(&unit.unit_type).is_some()
}

/// Every node reachable from a root, deepest level first and, within a level, in input order.
/// Children still come before their parents, which is all a verdict or a summary depends on,
/// but units are read in the order they sit in memory rather than jumping around it: on a
/// national tree whose residential areas are not listed next to their commune, this evaluates
/// about a third faster than a depth-first post-order.
fn evaluation_order(tree: &Tree<'_>) -> Vec<usize> {
    let mut depth: Vec<Option<usize>> = vec![None; tree.units.len()];
    let mut stack = tree.roots().to_vec();
    for &r in &stack {
        depth[r] = Some(0);
    }
    while let Some(node) = stack.pop() {
        let below = depth[node].map(|d| d + 1);
        for &k in tree.children(node) {
            depth[k] = below;
            stack.push(k);
        }
    }
    let mut levels: Vec<Vec<usize>> = Vec::new();
    for (node, d) in depth.into_iter().enumerate() {
        if let Some(d) = d {
            if levels.len() <= d {
                levels.resize_with(d + 1, Vec::new);
            }
            levels[d].push(node);
        }
    }
    levels.into_iter().rev().flatten().collect()
}

/// What the roll-up needs of a unit type, looked up once per type rather than once per unit: a
/// national tree has 163,000 units of half a dozen types.
struct TypeFacts<'a, 'p> {
    code: &'a str,
    evaluated: bool,
    territorial: bool,
    plan: Option<&'p TypePlan>,
    dates: Option<&'p TypeCalendar>,
}

/// The unit types of a tree numbered in order of first appearance, and each unit's number.
fn number_types<'a, 'p>(
    ruleset: &Ruleset,
    calendar: Option<&'p Calendar>,
    prepared: &'p Prepared<'_>,
    units: &'a [Unit],
) -> (Vec<TypeFacts<'a, 'p>>, Vec<usize>) {
    let mut types: Vec<TypeFacts<'a, 'p>> = Vec::new();
    let mut numbers: CodeMap<'a, usize> = CodeMap::default();
    let of_unit = units
        .iter()
        .map(|unit| {
            *numbers.entry(unit.unit_type.as_str()).or_insert_with(|| {
                let code = unit.unit_type.as_str();
                types.push(TypeFacts {
                    code,
                    evaluated: evaluated(ruleset, unit),
                    territorial: ruleset.unit_type(code).is_some_and(|t| t.territorial),
                    plan: prepared.plan(code),
                    dates: calendar.and_then(|c| c.by_type.get(code)),
                });
                types.len() - 1
            })
        })
        .collect();
    (types, of_unit)
}

/// Evaluates every unit of the tree, children first, and sums the outcomes upwards.
pub fn roll_up<'a>(ruleset: &'a Ruleset, calendar: Option<&Calendar>, tree: Tree<'a>) -> RollUp<'a> {
    roll_up_knowing(ruleset, calendar, tree, &[])
}

/// What a roll-up may take of a unit's earlier verdict instead of evaluating it again, when
/// nothing the verdict reads has changed: what its parent reads of it and what it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    pub outcome: Outcome,
    pub counts: Counts,
}

/// As [`roll_up`], except that a unit whose entry in `known` (by its index in the tree's units;
/// missing entries are `None`) is given is not evaluated: its verdict is `None` in the result,
/// and its parent and the summaries above take its known outcome and counts.
pub fn roll_up_knowing<'a>(ruleset: &'a Ruleset, calendar: Option<&Calendar>, tree: Tree<'a>, known: &[Option<Known>]) -> RollUp<'a> {
    let units = tree.units;
    let known_at = |i: usize| known.get(i).copied().flatten();
    let mut verdicts: Vec<Option<Verdict<'a>>> = (0..units.len()).map(|_| None).collect();
    let prepared = Prepared::new(ruleset);
    let (types, type_of) = number_types(ruleset, calendar, &prepared, units);
    // Each inner node's counts, a row of one `Counts` per type, in rows numbered in
    // evaluation order: summing by number, not by looking the type's name up in a map.
    let width = types.len();
    let mut row_of: Vec<Option<usize>> = vec![None; units.len()];
    let mut rows: Vec<Counts> = Vec::new();
    let mut territory: Vec<&'a Unit> = Vec::new();
    let mut children: Vec<ChildOutcome<'a>> = Vec::new();
    let mut events = Events::default();
    // Whether each evaluated unit registered, read while its documents are in the cache: its
    // parent, evaluated much later, would otherwise fetch them from memory again.
    let mut registered: Vec<Option<bool>> = vec![None; units.len()];
    // The incidents of every unit evaluated so far, sighted as it was: its parent reads them
    // again when it gathers its territory's events.
    let mut sighted: Vec<Sighting<'a>> = Vec::new();
    let mut sighting_of: Vec<Option<Range<usize>>> = vec![None; units.len()];
    let mut territory_sightings: Vec<Range<usize>> = Vec::new();
    for node in evaluation_order(&tree) {
        let unit = &units[node];
        let kids = tree.children(node);
        let kind = &types[type_of[node]];
        if kind.evaluated && known_at(node).is_none() {
            let reads_events = kind.plan.is_some_and(|p| p.reads_events);
            territory.clear();
            territory_sightings.clear();
            children.clear();
            for &k in kids {
                let child = &units[k];
                if types[type_of[k]].territorial {
                    territory.push(child);
                    if reads_events {
                        territory_sightings.push(sighting_of[k].get_or_insert_with(|| prepared.sight(child, &mut sighted)).clone());
                    }
                }
                let outcome = verdicts[k].as_ref().map(|v| v.outcome).or_else(|| known_at(k).map(|x| x.outcome));
                if let Some(outcome) = outcome
                    && outcome != Outcome::OutOfScope
                {
                    let child_registered = if verdicts[k].is_some() { registered[k] } else { eval::registered(child) };
                    children.push(ChildOutcome::knowing(child, types[type_of[k]].code, child_registered, outcome));
                }
            }
            let own = if reads_events { sighting_of[node].get_or_insert_with(|| prepared.sight(unit, &mut sighted)).clone() } else { 0..0 };
            let input = Input { unit, territory: &territory, children: &children };
            let sightings = Sightings { all: &sighted, own, territory: &territory_sightings };
            verdicts[node] = Some(prepared.evaluate(kind.plan, kind.dates, input, sightings, &mut events));
            registered[node] = eval::registered(unit);
        }
        if !kids.is_empty() {
            let row = rows.len();
            rows.resize(row + width, Counts::default());
            for &k in kids {
                if let Some(from) = row_of[k] {
                    for t in 0..width {
                        let counts = rows[from + t];
                        rows[row + t].add(&counts);
                    }
                }
                if let Some(v) = &verdicts[k] {
                    rows[row + type_of[k]].count(v, registered[k] == Some(true));
                } else if let Some(x) = known_at(k) {
                    rows[row + type_of[k]].add(&x.counts);
                }
            }
            row_of[node] = Some(row);
        }
    }
    let summaries = row_of
        .iter()
        .map(|row| {
            row.map(|row| {
                let counted = types.iter().zip(&rows[row..row + width]).filter(|(_, c)| c.total > 0);
                counted.map(|(t, c)| (t.code.to_owned(), *c)).collect()
            })
        })
        .collect();
    RollUp { tree, verdicts, summaries }
}
