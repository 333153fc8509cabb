//! Verdicts computed from the stored facts, cached per campaign and recomputed when the
//! campaign's revision moves — so every page is current within moments of any write, on any
//! server, with no nightly batch.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use antt_core::Ruleset;
use antt_core::calendar::Calendar;
use antt_core::report::UnitReport;
use antt_core::rollup::{Summary, Tree, roll_up};
use antt_store::campaigns::{self, CampaignRow};
use antt_store::inspection::{self, Scored};
use antt_store::{facts, units};

use crate::{App, Error, Result};

/// Everything the pages show about one campaign's results.
#[derive(Debug)]
pub struct Computed {
    pub campaign: CampaignRow,
    pub revision: i64,
    pub calendar: Calendar,
    /// Every evaluated unit's report, by unit id.
    pub reports: HashMap<String, UnitReport>,
    /// Counts by unit type for every unit that has children, by unit id.
    pub summaries: HashMap<String, Summary>,
    /// The units with a self-score or a reviewed score, sorted by path. Scores move the
    /// revision like any fact, so they are read once here rather than on every page view.
    scored: Vec<Scored>,
}

impl Computed {
    /// The scored units in the subtree at `path` (a materialised path such as `/86/857/`).
    pub fn scored_under(&self, path: &str) -> &[Scored] {
        // Sorted by path, a subtree is one contiguous run starting at the first path >= `path`.
        let start = self.scored.partition_point(|s| s.path.as_str() < path);
        let len = self.scored[start..].iter().take_while(|s| s.path.starts_with(path)).count();
        &self.scored[start..start + len]
    }
}

#[derive(Debug, Default)]
pub struct Cache {
    computed: Mutex<HashMap<String, Arc<Computed>>>,
    /// One lock per campaign, held while its results are computed, so requests arriving
    /// meanwhile wait for that one computation instead of each starting their own, while other
    /// campaigns go on.
    computing: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl Cache {
    fn get(&self, campaign_id: &str, revision: i64) -> Option<Arc<Computed>> {
        self.computed.lock().ok()?.get(campaign_id).filter(|c| c.revision == revision).cloned()
    }

    fn put(&self, computed: Arc<Computed>) {
        if let Ok(mut map) = self.computed.lock() {
            map.insert(computed.campaign.id.clone(), computed);
        }
    }

    fn computing(&self, campaign_id: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self.computing.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.entry(campaign_id.to_owned()).or_default().clone()
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

    /// The campaign's results at its current revision.
    pub async fn results(&self, campaign_id: &str) -> Result<Arc<Computed>> {
        let cache = &self.0.verdicts;
        let revision = campaigns::revision(self.store(), campaign_id).await?;
        if let Some(c) = cache.get(campaign_id, revision) {
            return Ok(c);
        }
        let lock = cache.computing(campaign_id);
        let _computing = lock.lock().await;
        // Another request may have computed it while this one waited.
        let revision = campaigns::revision(self.store(), campaign_id).await?;
        if let Some(c) = cache.get(campaign_id, revision) {
            return Ok(c);
        }
        let campaign = campaigns::get(self.store(), campaign_id).await?.ok_or_else(|| Error::not_found("đợt phát động này"))?;
        let root = units::get(self.store(), &campaign.scope_unit_id).await?.ok_or_else(|| Error::not_found("đơn vị phạm vi của đợt"))?;
        let facts = facts::load(self.store(), &campaign, &root).await?;
        let ruleset = self.ruleset(&campaign).await?;
        let calendar = self.calendar(&campaign).await?;
        let tree = Tree::new(&facts.units).map_err(|e| Error::invalid(format!("Cây đơn vị của đợt không hợp lệ: {e:?}")))?;
        let result = roll_up(&ruleset, Some(&calendar), tree);
        let mut reports = HashMap::new();
        let mut summaries = HashMap::new();
        for (i, unit) in facts.units.iter().enumerate() {
            if let Some(v) = &result.verdicts[i] {
                reports.insert(unit.id.0.clone(), UnitReport::new(&ruleset, Some(&calendar), v));
            }
            if let Some(s) = &result.summaries[i] {
                summaries.insert(unit.id.0.clone(), s.clone());
            }
        }
        let scored = inspection::scored(self.store(), campaign_id, &root.path).await?;
        let computed = Arc::new(Computed { campaign, revision, calendar, reports, summaries, scored });
        cache.put(computed.clone());
        Ok(computed)
    }
}
