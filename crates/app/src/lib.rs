//! antt-app: every use case of antt written once — record a fact, register, score, inspect,
//! review, issue a decision, import a file, build a document, seed the demo — each taking the
//! actor and typed input and doing authorisation, validation, locking, audit and the revision
//! bump in one place. The pages, the JSON API, the spreadsheet import and the command line are
//! thin adapters over it: they parse their request into the typed input, call one function
//! here and render its answer.
//!
//! Below it: `antt-store` (typed reads and writes in transactions), `antt-docs` (documents from
//! plain inputs), `antt-import` (sheets to typed rows) and `antt-core` (the rules, no I/O).

use std::collections::BTreeMap;
use std::sync::Arc;

use antt_core::Ruleset;
use antt_core::access::{Action, Grant, permits};
use antt_store::Store;

pub mod access;
pub mod accounts;
pub mod campaigns;
pub mod decisions;
pub mod demo;
pub mod documents;
pub mod error;
pub mod facts;
pub mod imports;
pub mod inspection;
pub mod national;
pub mod registration;
pub mod review;
pub mod rulesets;
pub mod scoring;
pub mod second_factor;
pub mod units;
pub mod verdicts;

pub use access::Scoped;
pub use error::{Error, FieldErrors, Result};

/// The application: the store, the rulesets compiled in, the ruleset texts campaigns started
/// with and the verdicts it computed. Cheap to clone (shared).
#[derive(Debug, Clone)]
pub struct App(Arc<Inner>);

#[derive(Debug)]
pub struct Inner {
    store: Store,
    rulesets: BTreeMap<String, Arc<Ruleset>>,
    kept: rulesets::Kept,
    verdicts: verdicts::Cache,
}

impl App {
    pub fn new(store: Store, rulesets: Vec<Ruleset>) -> Self {
        let rulesets = rulesets.into_iter().map(|r| (r.id.clone(), Arc::new(r))).collect();
        Self(Arc::new(Inner { store, rulesets, kept: rulesets::Kept::default(), verdicts: verdicts::Cache::default() }))
    }

    /// The store, for the reads a page shows as they are.
    pub fn store(&self) -> &Store {
        &self.0.store
    }

    /// The rulesets compiled into antt, by id (a campaign's own text: [`App::ruleset`]).
    pub fn rulesets(&self) -> &BTreeMap<String, Arc<Ruleset>> {
        &self.0.rulesets
    }
}

/// Who acts: a signed-in user with their (role, unit) grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: String,
    pub username: String,
    pub full_name: String,
    pub grants: Vec<Grant>,
}

impl Actor {
    pub fn from_user(user: &antt_store::users::User) -> Self {
        Self { user_id: user.id.clone(), username: user.username.clone(), full_name: user.full_name.clone(), grants: user.grants.clone() }
    }

    /// Whether a grant allows `action` on the unit at `path`.
    pub fn may(&self, action: Action, path: &str) -> bool {
        permits(&self.grants, action, path)
    }

    /// The paths of the subtrees the actor can read: the roots of their scope.
    pub fn scopes(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = self.grants.iter().map(|g| g.unit_path.as_str()).collect();
        paths.sort_unstable();
        paths.dedup();
        // A grant inside another grant's subtree adds nothing.
        let all = paths.clone();
        paths.retain(|p| !all.iter().any(|q| q != p && p.starts_with(q)));
        paths
    }
}

/// Today in Vietnam (UTC+7).
pub fn today() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive()
}
