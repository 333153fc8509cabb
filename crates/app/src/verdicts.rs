//! Verdicts computed from the stored facts, cached per campaign and kept current as the
//! campaign's revision moves. Every write stamps the units it touched with the revision it made
//! (`unit_changes`, in the write's transaction), so the next read re-evaluates only what those
//! units decide: each one's commune (or whatever evaluated unit stands at the top of its
//! chain), with the facts of that subtree read by an indexed range; then the counts of the
//! ancestors above are adjusted by the difference. A change to the tree itself, or a campaign
//! not in memory, recomputes the whole campaign. Readers never queue behind that: after a short
//! wait they get the last complete results, marked as being updated.
//!
//! The results of one revision are persistent maps: the next revision shares everything it did
//! not re-evaluate with the one before, so an update costs what it changed, not the campaign's
//! size.
//!
//! Results are also kept in the database (`antt_store::results`), written after each update by
//! a task of its own: another server, or this one after a restart, starts from them and follows
//! the units written since, instead of evaluating the whole campaign again.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Deref;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use antt_core::Ruleset;
use antt_core::calendar::Calendar;
use antt_core::model::{Facts, Unit};
use antt_core::report::{Interner, UnitReport};
use antt_core::rollup::{self, Counts, Known, RollUp, Summary, Tree, roll_up_knowing};
use antt_store::campaigns::{self, CampaignRow};
use antt_store::inspection::{self, Scored};
use antt_store::results::{self, Base, Rows, Stored};
use antt_store::units::{Placed, UnitRow};
use antt_store::{facts, locks, units};

use crate::{App, Error, Result};

/// How long a reader waits for newer results before it is given the last complete ones.
const PATIENCE: Duration = Duration::from_millis(300);

/// How many campaigns' results are kept in memory; the one read least recently goes first.
const CACHED_CAMPAIGNS: usize = 8;

/// How many times in a row storing results may lose the race to another server before this one
/// leaves it to the next update.
const STORE_ATTEMPTS: usize = 3;

/// How many units' results are serialised at a time while storing.
const STORED_PER_CHUNK: usize = 2_000;

/// How long storing waits after it stored, when newer results are already there to store.
const STORE_PAUSE: Duration = Duration::from_secs(1);

/// How many subtrees' facts are kept per campaign for the next update (a commune's subtree
/// holds some fifty units).
const CACHED_SUBTREES: usize = 512;

/// How many subtrees one read of their facts covers: two bound paths each, well within what
/// either database allows in one statement.
const SUBTREES_PER_READ: usize = 200;

/// One evaluated unit: its report and what it adds to the counts of the nodes above it.
#[derive(Debug)]
struct Evaluated {
    report: UnitReport,
    counts: Counts,
}

/// Where a unit sits in the campaign's tree, which is all an update needs to know about units
/// it does not re-read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Node {
    parent: Option<Arc<str>>,
    unit_type: String,
    evaluated: bool,
}

/// A persistent map by unit id: cloned in constant time, changed by copying only the path to
/// the entry.
type ByUnit<V> = imbl::HashMap<Arc<str>, V>;

/// What a full evaluation builds of its groups: the tree below the tops, the evaluated units
/// and the counts of the units with children.
type GroupsEvaluated = (ByUnit<Node>, ByUnit<Arc<Evaluated>>, ByUnit<Arc<Summary>>);

/// Everything the pages show about one campaign's results, at one revision.
#[derive(Debug)]
pub struct Computed {
    pub campaign: CampaignRow,
    pub revision: i64,
    pub calendar: Calendar,
    scope: UnitRow,
    /// The tree as evaluated.
    shape: ByUnit<Node>,
    /// The children of every unit that has any, to walk a subtree down.
    children: ByUnit<Vec<Arc<str>>>,
    /// Every evaluated unit.
    units: ByUnit<Arc<Evaluated>>,
    /// Counts by unit type for every unit that has children.
    summaries: ByUnit<Arc<Summary>>,
    /// The units with a self-score or a reviewed score, by path. Scores move the revision like
    /// any fact, so they are read once here rather than on every page view.
    scored: imbl::OrdMap<String, Scored>,
}

impl Computed {
    /// The unit's report, when the unit is evaluated.
    pub fn report(&self, unit_id: &str) -> Option<&UnitReport> {
        self.units.get(unit_id).map(|e| &e.report)
    }

    /// The counts below the unit, when it has children.
    pub fn summary(&self, unit_id: &str) -> Option<&Summary> {
        self.summaries.get(unit_id).map(Arc::as_ref)
    }

    /// Every evaluated unit's report, in no particular order.
    pub fn reports(&self) -> impl Iterator<Item = &UnitReport> {
        self.units.values().map(|e| &e.report)
    }

    /// The scored units in the subtree at `path` (a materialised path such as `/86/857/`), by
    /// path.
    pub fn scored_under<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a Scored> {
        // Sorted by path, a subtree is one contiguous run starting at the first path >= `path`.
        self.scored.range(path.to_owned()..).take_while(move |(p, _)| p.starts_with(path)).map(|(_, s)| s)
    }

    /// Everything the subtree at `unit_id` counts, the unit's own verdict included.
    fn subtree_total(&self, unit_id: &str) -> Summary {
        let own = self.units.get(unit_id).zip(self.shape.get(unit_id)).map(|(e, n)| (n.unit_type.as_str(), &e.counts));
        rollup::subtree_total(self.summary(unit_id), own)
    }

    /// What re-evaluating `changed` units takes: for each one in the tree, the top of its chain
    /// of evaluated units (an area's commune), unless an ancestor of that is taken anyway.
    fn tops<'a>(&self, changed: impl Iterator<Item = &'a str>) -> Vec<Arc<str>> {
        let mut tops = BTreeSet::new();
        for id in changed.filter(|id| self.is_evaluated(id)) {
            let Some((mut top, _)) = self.shape.get_key_value(id).map(|(k, n)| (k.clone(), n)) else { continue };
            while let Some(p) = self.shape.get(&top).and_then(|n| n.parent.clone()).filter(|p| self.is_evaluated(p)) {
                top = p;
            }
            tops.insert(top);
        }
        tops.iter().filter(|t| !self.ancestors(t).iter().any(|a| tops.contains(a))).cloned().collect()
    }

    /// Whether the unit is in the tree and evaluated (not an administrative level above).
    fn is_evaluated(&self, unit_id: &str) -> bool {
        self.shape.get(unit_id).is_some_and(|n| n.evaluated)
    }

    /// The top among `tops` whose subtree holds the unit, if any.
    fn top_of(&self, unit_id: &str, tops: &HashSet<&str>) -> Option<Arc<str>> {
        let (mut at, _) = self.shape.get_key_value(unit_id)?;
        loop {
            if tops.contains(at.as_ref()) {
                return Some(at.clone());
            }
            at = self.shape.get(at)?.parent.as_ref()?;
        }
    }

    /// The units whose results a change to `changed` can move: each evaluated one's subtree
    /// (a unit's verdict reads its own facts and its territory's) and the ancestors above it,
    /// whose verdicts and counts take it in. Its siblings, though evaluated again with it, come
    /// out as they were.
    fn affected(&self, changed: &[String]) -> Vec<Arc<str>> {
        let starts: Vec<Arc<str>> = changed
            .iter()
            .filter(|id| self.is_evaluated(id))
            .filter_map(|id| self.shape.get_key_value(id.as_str()).map(|(k, _)| k.clone()))
            .collect();
        let above: Vec<Arc<str>> = starts.iter().flat_map(|t| self.ancestors(t)).collect();
        let mut out = HashSet::new();
        let mut below = starts;
        while let Some(id) = below.pop() {
            if out.insert(id.clone()) {
                below.extend(self.children.get(&id).into_iter().flatten().cloned());
            }
        }
        out.extend(above);
        out.into_iter().collect()
    }

    /// The unit's results as stored; `None` when it has none (not evaluated, no children).
    fn stored(&self, unit_id: &str) -> Option<Stored> {
        let unit = self.units.get(unit_id);
        let summary = self.summaries.get(unit_id);
        if unit.is_none() && summary.is_none() {
            return None;
        }
        Some(Stored {
            unit_id: unit_id.to_owned(),
            report: unit.map(|e| to_json(&e.report.without_ruleset_texts())),
            counts: unit.map(|e| to_json(&e.counts)),
            summary: summary.map(|s| to_json(s.as_ref())),
        })
    }

    /// The ancestors of a unit of the tree, nearest first.
    fn ancestors(&self, unit_id: &str) -> Vec<Arc<str>> {
        let mut out = Vec::new();
        let mut at = self.shape.get(unit_id).and_then(|n| n.parent.clone());
        while let Some(p) = at {
            at = self.shape.get(&p).and_then(|n| n.parent.clone());
            out.push(p);
        }
        out
    }
}

/// A campaign's results as a reader gets them: the latest complete ones, which are a revision
/// behind while newer ones are still being computed.
#[derive(Debug, Clone)]
pub struct Results {
    computed: Arc<Computed>,
    /// Newer facts exist and are being evaluated; the page says so.
    pub updating: bool,
}

impl Deref for Results {
    type Target = Computed;

    fn deref(&self) -> &Computed {
        &self.computed
    }
}

/// One campaign's place in the cache.
#[derive(Debug, Default)]
struct Slot {
    latest: Option<Arc<Computed>>,
    /// Held while the campaign's results are brought up to date, so that concurrent readers
    /// wait for one computation instead of each starting their own; other campaigns go on.
    computing: Arc<tokio::sync::Mutex<()>>,
    last_read: u64,
    /// The revision of the results this server last stored, or found stored, in the database.
    stored: Option<i64>,
    /// A task is storing this campaign's results.
    storing: bool,
    facts: SubtreeFacts,
}

/// The facts of the subtrees updates re-evaluated lately (a commune with its areas and
/// establishments), current at revision `at`: the next update re-reads only the units written
/// since, rather than each subtree whole. Only the results at `at` may use them.
#[derive(Debug, Default)]
struct SubtreeFacts {
    at: Option<i64>,
    /// By the subtree's top, with when it was last used.
    subtrees: HashMap<Arc<str>, (Vec<Unit>, u64)>,
    clock: u64,
}

impl Slot {
    /// The latest results, when they are newer than those stored.
    fn unstored(&self) -> Option<Arc<Computed>> {
        self.latest.clone().filter(|l| self.stored.is_none_or(|s| l.revision > s))
    }
}

#[derive(Debug, Default)]
pub struct Cache {
    slots: Mutex<(HashMap<String, Slot>, u64)>,
}

impl Cache {
    /// The campaign's latest results and its computing lock, marking it as read.
    fn slot(&self, campaign_id: &str) -> (Option<Arc<Computed>>, Arc<tokio::sync::Mutex<()>>) {
        let mut guard = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        let (slots, clock) = &mut *guard;
        *clock += 1;
        let slot = slots.entry(campaign_id.to_owned()).or_default();
        slot.last_read = *clock;
        (slot.latest.clone(), slot.computing.clone())
    }

    /// Marks the campaign as being stored; false when a task is at it already.
    fn begin_storing(&self, campaign_id: &str) -> bool {
        let mut guard = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        let slot = guard.0.entry(campaign_id.to_owned()).or_default();
        !std::mem::replace(&mut slot.storing, true)
    }

    /// The latest results when they are newer than those stored; otherwise the storing ends.
    fn to_store(&self, campaign_id: &str) -> Option<Arc<Computed>> {
        let mut guard = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        let slot = guard.0.entry(campaign_id.to_owned()).or_default();
        let newer = slot.unstored();
        slot.storing = newer.is_some();
        newer
    }

    /// Whether the latest results are newer than those stored.
    fn has_newer(&self, campaign_id: &str) -> bool {
        let guard = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        guard.0.get(campaign_id).is_some_and(|s| s.unstored().is_some())
    }

    /// Records that the database holds results at `revision` (or later).
    fn stored(&self, campaign_id: &str, revision: i64) {
        let mut guard = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        let slot = guard.0.entry(campaign_id.to_owned()).or_default();
        slot.stored = Some(slot.stored.map_or(revision, |s| s.max(revision)));
    }

    fn stop_storing(&self, campaign_id: &str) {
        let mut guard = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        guard.0.entry(campaign_id.to_owned()).or_default().storing = false;
    }

    fn is_storing(&self, campaign_id: &str) -> bool {
        let guard = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        guard.0.get(campaign_id).is_some_and(|s| s.storing)
    }

    /// Takes out the facts kept of `tops`, when they are current at `at`; otherwise forgets them
    /// all (the results moved on without them).
    fn take_facts(&self, campaign_id: &str, at: i64, tops: &[Arc<str>]) -> HashMap<Arc<str>, Vec<Unit>> {
        let mut guard = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        let kept = &mut guard.0.entry(campaign_id.to_owned()).or_default().facts;
        if kept.at != Some(at) {
            *kept = SubtreeFacts::default();
            return HashMap::new();
        }
        tops.iter().filter_map(|t| kept.subtrees.remove(t).map(|(units, _)| (t.clone(), units))).collect()
    }

    /// Keeps the facts of `subtrees`, current at `at` as are those kept already, forgetting the
    /// subtrees used least recently beyond [`CACHED_SUBTREES`].
    fn keep_facts(&self, campaign_id: &str, at: i64, subtrees: Vec<(Arc<str>, Vec<Unit>)>) {
        let mut guard = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        let kept = &mut guard.0.entry(campaign_id.to_owned()).or_default().facts;
        kept.at = Some(at);
        for (top, units) in subtrees {
            kept.clock += 1;
            kept.subtrees.insert(top, (units, kept.clock));
        }
        if kept.subtrees.len() > CACHED_SUBTREES {
            let mut used: Vec<u64> = kept.subtrees.values().map(|(_, used)| *used).collect();
            used.sort_unstable();
            let oldest_kept = used[used.len() - CACHED_SUBTREES];
            kept.subtrees.retain(|_, (_, used)| *used >= oldest_kept);
        }
    }

    /// Keeps `computed` as the campaign's latest results, dropping the results of the campaign
    /// read least recently when more than [`CACHED_CAMPAIGNS`] are held.
    fn put(&self, computed: Arc<Computed>) {
        let mut guard = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        let (slots, _) = &mut *guard;
        let id = computed.campaign.id.clone();
        slots.entry(id).or_default().latest = Some(computed);
        let held = || slots.values().filter(|s| s.latest.is_some());
        if held().count() > CACHED_CAMPAIGNS
            && let Some(oldest) = held().min_by_key(|s| s.last_read).map(|s| s.last_read)
            && let Some(slot) = slots.values_mut().find(|s| s.last_read == oldest && s.latest.is_some())
        {
            slot.latest = None;
            slot.facts = SubtreeFacts::default();
        }
    }
}

/// The most units one group of a full evaluation reads and evaluates together; fewer in a
/// smaller campaign, which is still cut into several groups so that evaluating overlaps
/// reading.
const UNITS_PER_GROUP: usize = 4_000;

/// How many groups a campaign is cut into at least, when it has that many tops and units
/// enough for groups of [`UNITS_PER_GROUP_AT_LEAST`].
const GROUPS_AT_LEAST: usize = 8;

/// The fewest units a group is given before the next one starts: below that, a group's dozen
/// statements cost more than the overlap gains.
const UNITS_PER_GROUP_AT_LEAST: usize = 200;

/// A campaign's tree as a full evaluation takes it: the tops (evaluated units with no evaluated
/// unit above them: communes, and agencies placed directly under a province), whose subtrees
/// are evaluated on their own, in groups of subtrees read together; and the units above them.
struct Cut<'a> {
    tops: Vec<&'a Placed>,
    /// Each group's tops, as the ids and paths of the roots to read.
    groups: Vec<Vec<(&'a str, &'a str)>>,
    /// Units under no top, in path order.
    above: Vec<&'a Placed>,
}

impl<'a> Cut<'a> {
    /// `placed` is every unit under `scope`, in path order.
    fn of(ruleset: &Ruleset, scope: &UnitRow, placed: &'a [Placed]) -> Self {
        let mut evaluated_types: HashMap<&str, bool> = HashMap::new();
        let mut top_of: HashMap<&str, usize> = HashMap::with_capacity(placed.len());
        let (mut tops, mut sizes, mut above) = (Vec::new(), Vec::new(), Vec::new());
        for p in placed {
            let parent = if p.id == scope.id { None } else { p.parent_id.as_deref() };
            if let Some(top) = parent.and_then(|q| top_of.get(q)).copied() {
                top_of.insert(&p.id, top);
                sizes[top] += 1;
            } else if *evaluated_types
                .entry(&p.unit_type)
                .or_insert_with(|| rollup::evaluated(ruleset, &Unit { unit_type: p.unit_type.clone(), ..Unit::default() }))
            {
                top_of.insert(&p.id, tops.len());
                tops.push(p);
                sizes.push(1);
            } else {
                above.push(p);
            }
        }
        let per_group = (placed.len() / GROUPS_AT_LEAST).clamp(UNITS_PER_GROUP_AT_LEAST, UNITS_PER_GROUP);
        let mut groups: Vec<Vec<(&str, &str)>> = Vec::new();
        let mut filled = per_group;
        for (top, size) in tops.iter().zip(sizes) {
            if filled >= per_group {
                groups.push(Vec::new());
                filled = 0;
            }
            groups.last_mut().expect("pushed above").push((top.id.as_str(), top.path.as_str()));
            filled += size;
        }
        Self { tops, groups, above }
    }
}

/// The verdicts and summaries of one subtree read from the store, evaluated on their own.
struct Evaluation {
    ids: Vec<Arc<str>>,
    nodes: Vec<Node>,
    units: Vec<Option<Evaluated>>,
    summaries: Vec<Option<Summary>>,
}

impl Evaluation {
    /// `known` as [`roll_up_knowing`] takes it: the units given there get no verdict here.
    fn of(ruleset: &Ruleset, calendar: &Calendar, facts: &Facts, known: &[Option<Known>], texts: &mut Interner) -> Result<Self> {
        let tree = Tree::new(&facts.units).map_err(|e| Error::invalid(format!("Cây đơn vị của đợt không hợp lệ: {e:?}")))?;
        let RollUp { verdicts, summaries, .. } = roll_up_knowing(ruleset, Some(calendar), tree, known);
        let ids: Vec<Arc<str>> = facts.units.iter().map(|u| Arc::from(u.id.0.as_str())).collect();
        let by_id: HashMap<&str, &Arc<str>> = ids.iter().map(|id| (id.as_ref(), id)).collect();
        let nodes = facts
            .units
            .iter()
            .map(|u| Node {
                parent: u.parent.as_ref().and_then(|p| by_id.get(p.0.as_str()).map(|a| Arc::clone(a))),
                unit_type: u.unit_type.clone(),
                evaluated: rollup::evaluated(ruleset, u),
            })
            .collect();
        // Each verdict is dropped as soon as its report is made: holding every verdict of a
        // national campaign until the last report was the peak of a cold load.
        let units = verdicts
            .into_iter()
            .map(|v| v.map(|v| Evaluated { report: UnitReport::new_in(ruleset, Some(calendar), &v, texts), counts: Counts::of(&v) }))
            .collect();
        Ok(Self { ids, nodes, units, summaries })
    }
}

/// The campaign's dates under `ruleset`, the one it started with.
pub fn calendar_of(ruleset: &Ruleset, campaign: &CampaignRow) -> Result<Calendar> {
    Calendar::new(&ruleset.timeline, ruleset.unit_types.iter().map(|t| &t.code), &campaign.to_core(), &ruleset.settings)
        .map_err(|e| Error::invalid(format!("Lịch của đợt phát động không tính được: {e}")))
}

impl App {
    /// The campaign's dates under its ruleset.
    pub async fn calendar(&self, campaign: &CampaignRow) -> Result<Calendar> {
        calendar_of(&*self.ruleset(campaign).await?, campaign)
    }

    /// The campaign's results: current, or the last complete ones marked `updating` when newer
    /// ones take longer than a moment to compute (the computation goes on for the next reader).
    pub async fn results(&self, campaign_id: &str) -> Result<Results> {
        let revision = campaigns::revision(self.store(), campaign_id).await?;
        let (latest, _) = self.0.verdicts.slot(campaign_id);
        // Results newer than the revision just read are as current as this reader needs.
        if let Some(c) = latest.as_ref().filter(|c| c.revision >= revision) {
            return Ok(Results { computed: c.clone(), updating: false });
        }
        // In a task of its own, so that a reader who stops waiting does not cancel it.
        let app = self.clone();
        let id = campaign_id.to_owned();
        let task = tokio::spawn(async move { app.bring_up_to_date(&id, revision).await });
        let joined = match latest {
            Some(stale) => match tokio::time::timeout(PATIENCE, task).await {
                Ok(joined) => joined,
                Err(_) => return Ok(Results { computed: stale, updating: true }),
            },
            None => task.await,
        };
        let computed = joined.map_err(|e| Error::invalid(format!("Không tính được kết quả của đợt phát động: {e}")))??;
        Ok(Results { computed, updating: false })
    }

    /// The campaign's results recomputed from every fact, ignoring the cache: what the
    /// incremental update must always agree with.
    pub async fn results_from_scratch(&self, campaign_id: &str) -> Result<Computed> {
        let revision = campaigns::revision(self.store(), campaign_id).await?;
        self.compute(campaign_id, revision).await
    }

    /// Results at `needed` or later. Readers queued behind one computation all take its
    /// results when they are recent enough, rather than each computing again: under a stream of
    /// writes, one update covers every write made before it started.
    async fn bring_up_to_date(&self, campaign_id: &str, needed: i64) -> Result<Arc<Computed>> {
        let (_, lock) = self.0.verdicts.slot(campaign_id);
        let _computing = lock.lock().await;
        let (latest, _) = self.0.verdicts.slot(campaign_id);
        if let Some(c) = latest.as_ref().filter(|c| c.revision >= needed) {
            return Ok(c.clone());
        }
        let revision = campaigns::revision(self.store(), campaign_id).await?;
        let started = std::time::Instant::now();
        let updated = match &latest {
            Some(old) => self.advance(old, revision).await?,
            None => match self.restore(campaign_id).await? {
                Some(restored) if restored.revision >= revision => Some(restored),
                Some(restored) => self.advance(&restored, revision).await?,
                None => None,
            },
        };
        let computed = Arc::new(match updated {
            Some(c) => c,
            None => self.compute(campaign_id, revision).await?,
        });
        tracing::debug!(
            "đợt {campaign_id}: kết quả từ lần sửa {} lên {revision} trong {} ms",
            latest.as_ref().map_or(0, |l| l.revision),
            started.elapsed().as_millis()
        );
        self.0.verdicts.put(computed.clone());
        self.store_results_later(campaign_id);
        Ok(computed)
    }

    /// Waits until this server has stored the campaign's latest results in the database (or
    /// given up on it): for tests and for commands that end right after computing.
    pub async fn results_stored(&self, campaign_id: &str) {
        while self.0.verdicts.is_storing(campaign_id) {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// Stores the campaign's latest results in the database, in a task of its own so that no
    /// reader waits for it; one task per campaign at a time, which stores whatever is latest
    /// when it gets to it (under a stream of writes, not every revision).
    fn store_results_later(&self, campaign_id: &str) {
        if !self.0.verdicts.begin_storing(campaign_id) {
            return;
        }
        let app = self.clone();
        let id = campaign_id.to_owned();
        tokio::spawn(async move {
            let mut lost = 0;
            while let Some(latest) = app.0.verdicts.to_store(&id) {
                let started = std::time::Instant::now();
                let revision = latest.revision;
                let stored = app.store_results(latest).await;
                tracing::debug!("đợt {id}: lưu kết quả lần sửa {revision} trong {} ms", started.elapsed().as_millis());
                match stored {
                    Ok(Some(revision)) => {
                        lost = 0;
                        app.0.verdicts.stored(&id, revision);
                        // Under a stream of writes, store a little later and the more at once:
                        // storing takes the only writer SQLite has, and time from the readers.
                        if app.0.verdicts.has_newer(&id) {
                            tokio::time::sleep(STORE_PAUSE).await;
                        }
                    }
                    Ok(None) if lost + 1 < STORE_ATTEMPTS => lost += 1,
                    Ok(None) => break,
                    Err(e) => {
                        tracing::warn!("không lưu được kết quả của đợt {id}: {e}");
                        break;
                    }
                }
            }
            app.0.verdicts.stop_storing(&id);
        });
    }

    /// Writes `computed` to the database: only the units written since the stored results, or
    /// everything when none are stored or the tree changed since. Returns the revision the
    /// database now holds, or `None` when another server's write came in between.
    async fn store_results(&self, computed: Arc<Computed>) -> Result<Option<i64>> {
        let store = self.store();
        let (id, revision) = (computed.campaign.id.clone(), computed.revision);
        let at = results::revision(store, &id).await?;
        if let Some(newer) = at.filter(|r| *r >= revision) {
            return Ok(Some(newer));
        }
        let since = match at {
            Some(r) if locks::tree_revision(store, &id).await? <= r => Some((r, locks::changed_since(store, &id, r).await?)),
            _ => None,
        };
        let (base, ids) = match since {
            Some((r, changed)) => (Base::At(r), computed.affected(&changed)),
            None => (Base::Older, computed.shape.keys().cloned().collect()),
        };
        // Serialised off the async threads, a chunk at a time, while the chunks before are
        // written: a national campaign's rows are about half a gigabyte of JSON.
        let (sender, mut rows) = tokio::sync::mpsc::channel(2);
        let replaced: Vec<&str> = ids.iter().map(AsRef::as_ref).collect();
        let serialising = {
            let ids = ids.clone();
            tokio::task::spawn_blocking(move || {
                for chunk in ids.chunks(STORED_PER_CHUNK) {
                    let stored: Vec<Stored> = chunk.iter().filter_map(|u| computed.stored(u)).collect();
                    // The writer gone (it found newer results stored) is not an error here.
                    if sender.blocking_send(Rows::Chunk(stored)).is_err() {
                        return;
                    }
                }
                let _ = sender.blocking_send(Rows::End);
            })
        };
        let written = results::write(store, &id, revision, base, &replaced, &mut rows).await;
        drop(rows);
        serialising.await.map_err(|e| Error::invalid(format!("Không chuẩn bị được kết quả để lưu: {e}")))?;
        let written = written?;
        Ok(written.then_some(revision))
    }

    /// The campaign's results as stored in the database, when they can be brought up to date
    /// unit by unit: stored at all, and the tree unchanged since.
    async fn restore(&self, campaign_id: &str) -> Result<Option<Computed>> {
        let store = self.store();
        let Some((revision, rows)) = results::read(store, campaign_id).await? else { return Ok(None) };
        if locks::tree_revision(store, campaign_id).await? > revision {
            return Ok(None);
        }
        let campaign = campaigns::get(store, campaign_id).await?.ok_or_else(|| Error::not_found("đợt phát động này"))?;
        let scope = units::get(store, &campaign.scope_unit_id).await?.ok_or_else(|| Error::not_found("đơn vị phạm vi của đợt"))?;
        let ruleset = self.ruleset(&campaign).await?;
        let calendar = self.calendar(&campaign).await?;
        let placed = units::placed_under(store, &scope).await?;
        let scored = inspection::scored(store, campaign_id, &scope.path).await?;
        let built = tokio::task::spawn_blocking(move || -> Result<Computed> {
            let ids: HashMap<&str, Arc<str>> = placed.iter().map(|p| (p.id.as_str(), Arc::from(p.id.as_str()))).collect();
            let mut shape = ByUnit::new();
            for p in &placed {
                let parent = if p.id == scope.id { None } else { p.parent_id.as_deref().and_then(|q| ids.get(q).cloned()) };
                let unit = Unit { unit_type: p.unit_type.clone(), ..Default::default() };
                let node = Node { parent, unit_type: p.unit_type.clone(), evaluated: rollup::evaluated(&ruleset, &unit) };
                shape.insert(ids[p.id.as_str()].clone(), node);
            }
            let mut units = ByUnit::new();
            let mut summaries = ByUnit::new();
            let mut texts = Interner::default();
            for r in rows {
                let Some(id) = ids.get(r.unit_id.as_str()).cloned() else { continue };
                if let (Some(report), Some(counts)) = (&r.report, &r.counts) {
                    let report = from_json::<UnitReport>(&r.unit_id, report)?.with_ruleset_texts(&ruleset, &mut texts);
                    let evaluated = Evaluated { report, counts: from_json(&r.unit_id, counts)? };
                    units.insert(id.clone(), Arc::new(evaluated));
                }
                if let Some(summary) = &r.summary {
                    summaries.insert(id, Arc::new(from_json(&r.unit_id, summary)?));
                }
            }
            let children = children_of(&shape);
            Ok(Computed { campaign, revision, calendar, scope, shape, children, units, summaries, scored: by_path(scored) })
        })
        .await
        .map_err(|e| Error::invalid(format!("Không đọc được kết quả đã lưu: {e}")))?;
        match built {
            Ok(c) => {
                self.0.verdicts.stored(campaign_id, c.revision);
                Ok(Some(c))
            }
            Err(e) => {
                tracing::warn!("kết quả đã lưu của đợt {campaign_id} không dùng được, tính lại: {e}");
                Ok(None)
            }
        }
    }

    /// Every unit of the campaign evaluated from its facts. The tree is cut into the subtrees
    /// of its tops (communes, and evaluated units above no commune), read and evaluated a group
    /// at a time: a thread of its own evaluates one group while the next one's facts are read,
    /// so that a cold load costs about the reading, not the reading and then the evaluating.
    /// The units above the tops only count what is below them.
    async fn compute(&self, campaign_id: &str, revision: i64) -> Result<Computed> {
        let store = self.store();
        let campaign = campaigns::get(store, campaign_id).await?.ok_or_else(|| Error::not_found("đợt phát động này"))?;
        let scope = units::get(store, &campaign.scope_unit_id).await?.ok_or_else(|| Error::not_found("đơn vị phạm vi của đợt"))?;
        let ruleset = self.ruleset(&campaign).await?;
        let calendar = self.calendar(&campaign).await?;
        let started = std::time::Instant::now();
        let placed = units::placed_under(store, &scope).await?;
        let cut = Cut::of(&ruleset, &scope, &placed);
        let (send, mut receive) = tokio::sync::mpsc::channel::<Facts>(1);
        let evaluator = {
            let (ruleset, calendar) = (ruleset.clone(), calendar.clone());
            tokio::task::spawn_blocking(move || -> Result<GroupsEvaluated> {
                let (mut shape, mut units, mut summaries) = (ByUnit::new(), ByUnit::new(), ByUnit::new());
                // One interner for every group, so that the whole campaign's reports share
                // their texts.
                let mut texts = Interner::default();
                while let Some(facts) = receive.blocking_recv() {
                    let Evaluation { ids, nodes, units: evaluated, summaries: counted } =
                        Evaluation::of(&ruleset, &calendar, &facts, &[], &mut texts)?;
                    drop(facts);
                    for (((id, node), unit), summary) in ids.into_iter().zip(nodes).zip(evaluated).zip(counted) {
                        if let Some(e) = unit {
                            units.insert(id.clone(), Arc::new(e));
                        }
                        if let Some(s) = summary {
                            summaries.insert(id.clone(), Arc::new(s));
                        }
                        shape.insert(id, node);
                    }
                }
                Ok((shape, units, summaries))
            })
        };
        for group in &cut.groups {
            let facts = facts::load_subtrees(store, &campaign, group).await?;
            // A closed channel means the evaluator stopped on an error, returned below.
            if send.send(facts).await.is_err() {
                break;
            }
        }
        drop(send);
        let read = started.elapsed();
        let (mut shape, units, summaries) =
            evaluator.await.map_err(|e| Error::invalid(format!("Không tính được kết quả của đợt phát động: {e}")))??;
        let above: HashMap<&str, Arc<str>> = cut.above.iter().map(|p| (p.id.as_str(), Arc::from(p.id.as_str()))).collect();
        let parent_of = |p: &Placed| if p.id == scope.id { None } else { p.parent_id.as_deref().and_then(|q| above.get(q).cloned()) };
        for p in &cut.above {
            shape.insert(above[p.id.as_str()].clone(), Node { parent: parent_of(p), unit_type: p.unit_type.clone(), evaluated: false });
        }
        // The tops were evaluated as roots of their groups.
        for top in &cut.tops {
            if let Some(node) = shape.get_mut(top.id.as_str()) {
                node.parent = parent_of(top);
            }
        }
        let scored = by_path(inspection::scored(store, campaign_id, &scope.path).await?);
        let children = children_of(&shape);
        let mut computed = Computed { campaign, revision, calendar, scope, shape, children, units, summaries, scored };
        // Deepest first: in path order reversed, every unit comes after those below it.
        for p in cut.above.iter().rev() {
            let Some(kids) = computed.children.get(p.id.as_str()) else { continue };
            let mut summary = Summary::new();
            for kid in kids {
                rollup::replace_part(&mut summary, &Summary::new(), &computed.subtree_total(kid));
            }
            computed.summaries.insert(above[p.id.as_str()].clone(), Arc::new(summary));
        }
        tracing::debug!(
            "đợt {campaign_id}: tính cả đợt, {} đơn vị, {} nhóm, đọc xong sau {} ms, tất cả {} ms",
            computed.shape.len(),
            cut.groups.len(),
            read.as_millis(),
            started.elapsed().as_millis()
        );
        Ok(computed)
    }

    /// The results at `revision` from those at an earlier one, re-evaluating only what the
    /// units written since decide; `None` when the tree itself changed and only a full
    /// computation will do.
    async fn advance(&self, old: &Computed, revision: i64) -> Result<Option<Computed>> {
        let store = self.store();
        if locks::tree_revision(store, &old.campaign.id).await? > old.revision {
            return Ok(None);
        }
        let changed = locks::changed_since(store, &old.campaign.id, old.revision).await?;
        let ids: Vec<&str> = changed.iter().map(String::as_str).collect();
        let mut rows = units::get_many(store, &ids).await?;
        if rows.len() < ids.len() && ids.iter().any(|id| !rows.iter().any(|r| r.id == *id) && old.shape.contains_key(*id)) {
            return Ok(None);
        }
        let ruleset = self.ruleset(&old.campaign).await?;
        // Units created since (an import of areas, the unit form) join the tree under a parent
        // already in it; a unit moved or changed in type recomputes the campaign.
        rows.sort_by(|a, b| a.path.cmp(&b.path));
        let (mut shape, mut children) = (old.shape.clone(), old.children.clone());
        for r in rows.iter().filter(|r| r.path.starts_with(&old.scope.path)) {
            match old.shape.get(r.id.as_str()) {
                Some(_) if same_place(old, r) => {}
                Some(_) => return Ok(None),
                None => {
                    let Some(parent) = r.parent_id.as_deref().and_then(|p| shape.get_key_value(p)).map(|(k, _)| k.clone()) else {
                        return Ok(None);
                    };
                    let unit = Unit { unit_type: r.unit_type.clone(), ..Default::default() };
                    let id: Arc<str> = Arc::from(r.id.as_str());
                    children.entry(parent.clone()).or_default().push(id.clone());
                    let node = Node { parent: Some(parent), unit_type: r.unit_type.clone(), evaluated: rollup::evaluated(&ruleset, &unit) };
                    shape.insert(id, node);
                }
            }
        }
        let mut next = Computed {
            campaign: old.campaign.clone(),
            revision,
            calendar: old.calendar.clone(),
            scope: old.scope.clone(),
            shape,
            children,
            units: old.units.clone(),
            summaries: old.summaries.clone(),
            scored: old.scored.clone(),
        };
        let tops = next.tops(rows.iter().map(|r| r.id.as_str()));
        let top_ids: Vec<&str> = tops.iter().map(|t| t.as_ref()).collect();
        let is_top: HashSet<&str> = top_ids.iter().copied().collect();
        let reading = std::time::Instant::now();
        // Subtrees whose facts are kept re-read only the units written since; the others are
        // read whole, together (a stream of writes touches many communes), each statement once
        // over all their index ranges, in chunks that keep the statements short.
        let mut subtrees = self.0.verdicts.take_facts(&old.campaign.id, old.revision, &tops);
        let missing: Vec<&str> = top_ids.iter().copied().filter(|t| !subtrees.contains_key(*t)).collect();
        let missing_rows = units::get_many(store, &missing).await?;
        if missing_rows.len() < missing.len() {
            return Ok(None);
        }
        for chunk in missing_rows.chunks(SUBTREES_PER_READ) {
            let roots: Vec<(&str, &str)> = chunk.iter().map(|r| (r.id.as_str(), r.path.as_str())).collect();
            let read = facts::load_subtrees(store, &old.campaign, &roots).await?.units;
            // A unit there that the results do not place (added or moved without a write
            // stamping it): recompute all.
            let Some(by_top) = split_by_top(&next, &is_top, read) else { return Ok(None) };
            for (top, units) in by_top {
                subtrees.entry(top).or_default().extend(units);
            }
        }
        let rewritten: Vec<&str> =
            ids.iter().copied().filter(|id| next.top_of(id, &is_top).is_some_and(|t| !missing.contains(&t.as_ref()))).collect();
        let reread = facts::load_units(store, &old.campaign, &rewritten).await?.units;
        let Some(by_top) = split_by_top(&next, &is_top, reread) else { return Ok(None) };
        for (top, units) in by_top {
            let subtree = subtrees.entry(top.clone()).or_default();
            for mut unit in units {
                if *unit.id.0 == *top {
                    unit.parent = None;
                }
                match subtree.iter_mut().find(|u| u.id == unit.id) {
                    Some(kept) => *kept = unit,
                    None => subtree.push(unit),
                }
            }
        }
        // Evaluated as one forest, then kept again subtree by subtree.
        let mut forest = Vec::new();
        let mut sizes = Vec::with_capacity(tops.len());
        for top in &tops {
            let units = subtrees.remove(top).unwrap_or_default();
            sizes.push(units.len());
            forest.extend(units);
        }
        let facts = Facts { campaign: old.campaign.to_core(), units: forest };
        let (read, evaluating) = (reading.elapsed(), std::time::Instant::now());
        // Only the units written and those above them are evaluated again: every other unit of
        // these subtrees reads the same facts as before (a verdict reads its unit's facts, its
        // territory's and its children's outcomes), so its verdict is given as known.
        let mut again: HashSet<Arc<str>> = HashSet::new();
        for id in &ids {
            again.insert(Arc::from(*id));
            again.extend(next.ancestors(id));
        }
        let known: Vec<Option<Known>> = facts
            .units
            .iter()
            .map(|u| {
                let id = u.id.0.as_str();
                let kept = next.units.get(id).filter(|_| !again.contains(id));
                kept.map(|e| Known { outcome: e.report.outcome, counts: e.counts })
            })
            .collect();
        let evaluation = Evaluation::of(&ruleset, &old.calendar, &facts, &known, &mut Interner::default())?;
        tracing::debug!(
            "đợt {}: {} đơn vị đổi, {} cây con ({} đọc cả cây), {} đơn vị, đọc trong {} ms, tính trong {} ms",
            old.campaign.id,
            changed.len(),
            tops.len(),
            missing.len(),
            facts.units.len(),
            read.as_millis(),
            evaluating.elapsed().as_millis()
        );
        // Units added or moved under a top without a write stamping them: recompute all.
        let moved = evaluation.ids.iter().zip(&evaluation.nodes).any(|(id, node)| match next.shape.get(id) {
            Some(was) => !is_top.contains(id.as_ref()) && was != node,
            None => true,
        });
        if moved {
            return Ok(None);
        }
        let mut units = facts.units.into_iter();
        let kept = tops.iter().zip(sizes).map(|(top, n)| (top.clone(), units.by_ref().take(n).collect())).collect();
        self.0.verdicts.keep_facts(&old.campaign.id, revision, kept);
        // The tops' subtrees are disjoint: each one's total before and after, then the
        // difference carried up its ancestors.
        let before: Vec<Summary> = tops.iter().map(|t| next.subtree_total(t)).collect();
        for (((id, unit), summary), known) in evaluation.ids.into_iter().zip(evaluation.units).zip(evaluation.summaries).zip(&known) {
            match unit {
                Some(e) => {
                    next.units.insert(id.clone(), Arc::new(e));
                }
                None if known.is_none() => {
                    next.units.remove(&id);
                }
                None => {}
            }
            match summary {
                Some(s) => next.summaries.insert(id, Arc::new(s)),
                None => next.summaries.remove(&id),
            };
        }
        for (top, before) in tops.iter().zip(before) {
            let after = next.subtree_total(top);
            if before != after {
                for a in next.ancestors(top) {
                    let mut summary = next.summary(&a).cloned().unwrap_or_default();
                    rollup::replace_part(&mut summary, &before, &after);
                    next.summaries.insert(a, Arc::new(summary));
                }
            }
        }
        for r in &rows {
            next.scored.remove(r.path.as_str());
        }
        let rescored = inspection::scored_among(store, &old.campaign.id, &ids).await?;
        next.scored.extend(by_path(rescored.into_iter().filter(|s| s.path.starts_with(&old.scope.path))));
        Ok(Some(next))
    }
}

/// Units read from the store, grouped by the top among `tops` whose subtree holds each in the
/// results; `None` when one of them is in none.
fn split_by_top(computed: &Computed, tops: &HashSet<&str>, units: Vec<Unit>) -> Option<HashMap<Arc<str>, Vec<Unit>>> {
    let mut out: HashMap<Arc<str>, Vec<Unit>> = HashMap::new();
    for unit in units {
        out.entry(computed.top_of(&unit.id.0, tops)?).or_default().push(unit);
    }
    Some(out)
}

/// The children of every unit of `shape` that has any.
fn children_of(shape: &ByUnit<Node>) -> ByUnit<Vec<Arc<str>>> {
    let mut children = ByUnit::<Vec<Arc<str>>>::new();
    for (id, node) in shape {
        if let Some(parent) = &node.parent {
            children.entry(parent.clone()).or_default().push(id.clone());
        }
    }
    children
}

/// Scored units by their path.
fn by_path(scored: impl IntoIterator<Item = Scored>) -> imbl::OrdMap<String, Scored> {
    scored.into_iter().map(|s| (s.path.clone(), s)).collect()
}

/// Whether a unit read now stands where the results placed it (or outside the campaign, where
/// it never was).
fn same_place(old: &Computed, row: &UnitRow) -> bool {
    let Some(node) = old.shape.get(row.id.as_str()) else { return !row.path.starts_with(&old.scope.path) };
    let parent = if row.id == old.scope.id { None } else { row.parent_id.as_deref() };
    row.path.starts_with(&old.scope.path) && node.parent.as_deref() == parent && node.unit_type == row.unit_type
}

/// A result as stored: plain maps, strings and numbers, which always serialise.
fn to_json<T: serde::Serialize>(t: &T) -> String {
    serde_json::to_string(t).unwrap_or_default()
}

/// A stored result read back; a row this version cannot read fails the restore, which then
/// evaluates the campaign afresh.
fn from_json<T: serde::de::DeserializeOwned>(unit_id: &str, json: &str) -> Result<T> {
    serde_json::from_str(json).map_err(|e| Error::invalid(format!("Kết quả đã lưu của đơn vị {unit_id} không đọc được: {e}")))
}
