//! Rulesets at run time: the texts compiled into antt, those an operator adds to the database
//! (`antt rulesets add`, `antt serve --rulesets DIR`), and the exact text each campaign started
//! with, which it keeps whatever is added later.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use antt_core::Ruleset;
use antt_store::campaigns::CampaignRow;
use antt_store::rulesets::{self, Added, NewText, StoredRuleset};

use crate::{App, Error, Result};

/// The parsed texts of campaigns, by (name, version): a version's text never changes, so once
/// read it is kept for the life of the process.
#[derive(Debug, Default)]
pub struct Kept(RwLock<HashMap<(String, i64), Arc<Ruleset>>>);

impl Kept {
    fn get(&self, name: &str, version: i64) -> Option<Arc<Ruleset>> {
        self.0.read().unwrap_or_else(std::sync::PoisonError::into_inner).get(&(name.to_owned(), version)).cloned()
    }

    fn keep(&self, name: &str, version: i64, ruleset: Ruleset) -> Arc<Ruleset> {
        let ruleset = Arc::new(ruleset);
        self.0.write().unwrap_or_else(std::sync::PoisonError::into_inner).insert((name.to_owned(), version), ruleset.clone());
        ruleset
    }
}

/// A ruleset a new campaign may start with.
#[derive(Debug, Clone)]
pub struct Offered {
    pub ruleset: Arc<Ruleset>,
    /// Hex SHA-256 of its text.
    pub hash: String,
    /// The stored version, for a ruleset added at run time; `None` for one compiled into antt
    /// (its text is recorded when a campaign starts with it).
    pub stored: Option<StoredRuleset>,
}

impl App {
    /// The ruleset the campaign started with, exactly as it was then.
    pub async fn ruleset(&self, c: &CampaignRow) -> Result<Arc<Ruleset>> {
        if let Some(r) = self.0.kept.get(&c.ruleset, c.ruleset_version) {
            return Ok(r);
        }
        let missing = || Error::NotFound(format!("Máy chủ không có bộ tiêu chí “{}” của đợt phát động này.", c.ruleset));
        let stored = rulesets::get(self.store().pool(), &c.ruleset, c.ruleset_version).await?.ok_or_else(missing)?;
        let parsed = parse(&stored)?;
        Ok(self.0.kept.keep(&stored.name, stored.version, parsed))
    }

    /// The rulesets of every campaign, newest campaign first, then those compiled into antt: for
    /// the names of codes wherever a page shows them outside a campaign.
    pub async fn rulesets_in_use(&self) -> Result<Vec<Arc<Ruleset>>> {
        let mut out: Vec<Arc<Ruleset>> = Vec::new();
        for c in antt_store::campaigns::list(self.store()).await? {
            let r = self.ruleset(&c).await?;
            if !out.iter().any(|o| Arc::ptr_eq(o, &r)) {
                out.push(r);
            }
        }
        out.extend(self.rulesets().values().cloned());
        Ok(out)
    }

    /// The rulesets a new campaign may start with: those compiled into antt, then the newest
    /// version of each added to the database, by name.
    pub async fn offered_rulesets(&self) -> Result<Vec<Offered>> {
        let mut out: Vec<Offered> = self
            .rulesets()
            .values()
            .map(|r| Offered {
                ruleset: r.clone(),
                hash: antt_store::sha256_hex(antt_core::ruleset::built_in_text(&r.id).unwrap_or_default().as_bytes()),
                stored: None,
            })
            .collect();
        for stored in rulesets::newest_added(self.store()).await? {
            if out.iter().any(|o| o.ruleset.id == stored.name) {
                continue;
            }
            let ruleset = match self.0.kept.get(&stored.name, stored.version) {
                Some(r) => r,
                None => self.0.kept.keep(&stored.name, stored.version, parse(&stored)?),
            };
            out.push(Offered { ruleset, hash: stored.hash.clone(), stored: Some(stored) });
        }
        Ok(out)
    }

    /// The ruleset named `id` a new campaign would start with.
    pub async fn offered_ruleset(&self, id: &str) -> Result<Option<Offered>> {
        Ok(self.offered_rulesets().await?.into_iter().find(|o| o.ruleset.id == id))
    }

    /// Adds a ruleset's text to the database after the same check as `antt rulesets check`:
    /// a new version when its name already has a different text, nothing when the newest
    /// version is this exact text. A name compiled into antt is refused (its text comes with
    /// the program). `file` names the text in messages; `added_by` says who adds it.
    pub async fn add_ruleset(&self, added_by: &str, file: &str, text: &str) -> Result<Added> {
        let ruleset = Ruleset::from_yaml(file, text).map_err(|e| Error::invalid(e.to_string()))?;
        if antt_core::ruleset::built_in_text(&ruleset.id).is_some() {
            return Err(Error::invalid(format!(
                "{file}: bộ tiêu chí “{}” đã có sẵn trong chương trình; hãy đặt tên khác (trường id) cho bộ tiêu chí của tỉnh.",
                ruleset.id
            )));
        }
        let mut tx = self.store().begin().await?;
        let added = rulesets::add(&mut tx, NewText { name: &ruleset.id, text, built_in: false, added_by }).await?;
        antt_store::commit(tx).await?;
        if let Added::New(s) = &added {
            self.0.kept.keep(&s.name, s.version, ruleset);
        }
        Ok(added)
    }
}

fn parse(stored: &StoredRuleset) -> Result<Ruleset> {
    Ruleset::from_yaml(&format!("{} (phiên bản {})", stored.name, stored.version), &stored.text)
        .map_err(|e| Error::invalid(format!("Bộ tiêu chí lưu trong cơ sở dữ liệu không đọc được: {e}")))
}
