//! Campaigns: a plan launched for a province in a year, evaluated under one ruleset.

use std::collections::BTreeMap;

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, Change};
use crate::{Result, Store, StoreError, Tx, date_text, new_id, now, parse_date};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignRow {
    pub id: String,
    pub scope_unit_id: String,
    pub year: i32,
    pub plan_number: Option<String>,
    pub plan_date: chrono::NaiveDate,
    /// The ruleset's name (its id).
    pub ruleset: String,
    /// The version of the ruleset's text the campaign started with and keeps (in `rulesets`).
    pub ruleset_version: i64,
    /// Hex SHA-256 of that text.
    pub ruleset_hash: String,
    pub settings: BTreeMap<String, String>,
    pub title: String,
    pub created_at: String,
    pub revision: i64,
    pub version: i64,
}

impl CampaignRow {
    /// The campaign as the rules engine sees it.
    pub fn to_core(&self) -> antt_core::model::Campaign {
        antt_core::model::Campaign {
            year: self.year,
            plan_number: self.plan_number.clone(),
            plan_date: self.plan_date,
            settings: self.settings.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewCampaign {
    pub scope_unit_id: String,
    pub year: i32,
    pub plan_number: Option<String>,
    pub plan_date: chrono::NaiveDate,
    pub ruleset: String,
    /// The version of the ruleset to keep; `None` records the built-in text of `ruleset` (and
    /// refuses a name that is not built in).
    pub ruleset_version: Option<i64>,
    pub settings: BTreeMap<String, String>,
    pub title: String,
}

/// The campaign's columns with its ruleset's hash.
const SELECT: &str = "SELECT c.id, c.scope_unit_id, c.year, c.plan_number, c.plan_date, c.ruleset, c.ruleset_version, \
     COALESCE(r.hash, '') AS ruleset_hash, c.settings, c.title, c.created_at, c.revision, c.version \
     FROM campaigns c LEFT JOIN rulesets r ON r.name = c.ruleset AND r.version = c.ruleset_version";

fn from_row(r: &AnyRow) -> Result<CampaignRow> {
    let settings: String = r.try_get("settings")?;
    Ok(CampaignRow {
        id: r.try_get("id")?,
        scope_unit_id: r.try_get("scope_unit_id")?,
        year: i32::try_from(r.try_get::<i64, _>("year")?).unwrap_or_default(),
        plan_number: r.try_get("plan_number")?,
        plan_date: parse_date(&r.try_get::<String, _>("plan_date")?)?,
        ruleset: r.try_get("ruleset")?,
        ruleset_version: r.try_get::<Option<i64>, _>("ruleset_version")?.unwrap_or_default(),
        ruleset_hash: r.try_get("ruleset_hash")?,
        settings: serde_json::from_str(&settings).unwrap_or_default(),
        title: r.try_get("title")?,
        created_at: r.try_get("created_at")?,
        revision: r.try_get("revision")?,
        version: r.try_get("version")?,
    })
}

pub async fn create(tx: &mut Tx<'_>, user_id: Option<&str>, c: &NewCampaign) -> Result<CampaignRow> {
    if c.title.trim().is_empty() {
        return Err(StoreError::Invalid("tên đợt phát động không được để trống".into()));
    }
    let stored = match c.ruleset_version {
        Some(version) => crate::rulesets::get(&mut **tx, &c.ruleset, version).await?,
        None => crate::rulesets::record_built_in(tx, &c.ruleset).await?,
    }
    .ok_or_else(|| StoreError::NotFound(format!("bộ tiêu chí `{}`", c.ruleset)))?;
    let id = new_id();
    let row = CampaignRow {
        id: id.clone(),
        scope_unit_id: c.scope_unit_id.clone(),
        year: c.year,
        plan_number: c.plan_number.clone(),
        plan_date: c.plan_date,
        ruleset: c.ruleset.clone(),
        ruleset_version: stored.version,
        ruleset_hash: stored.hash,
        settings: c.settings.clone(),
        title: c.title.clone(),
        created_at: now(),
        revision: 0,
        version: 1,
    };
    sqlx::query(
        "INSERT INTO campaigns (id, scope_unit_id, year, plan_number, plan_date, ruleset, ruleset_version, settings, title, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&row.id)
    .bind(&row.scope_unit_id)
    .bind(i64::from(row.year))
    .bind(&row.plan_number)
    .bind(date_text(row.plan_date))
    .bind(&row.ruleset)
    .bind(row.ruleset_version)
    .bind(serde_json::to_string(&row.settings).unwrap_or_else(|_| "{}".into()))
    .bind(&row.title)
    .bind(&row.created_at)
    .execute(&mut **tx)
    .await?;
    let after = serde_json::to_value(&row).ok();
    let change =
        Change { user_id, action: "create", entity: "campaign", entity_id: &id, unit_id: Some(&row.scope_unit_id), campaign_id: Some(&id) };
    audit::record(tx, change, None, after.as_ref()).await?;
    Ok(row)
}

pub async fn get(store: &Store, id: &str) -> Result<Option<CampaignRow>> {
    let row = sqlx::query(crate::trusted(&format!("{SELECT} WHERE c.id = $1"))).bind(id).fetch_optional(store.pool()).await?;
    row.as_ref().map(from_row).transpose()
}

/// Every campaign, newest year first.
pub async fn list(store: &Store) -> Result<Vec<CampaignRow>> {
    let rows = sqlx::query(crate::trusted(&format!("{SELECT} ORDER BY c.year DESC, c.created_at DESC"))).fetch_all(store.pool()).await?;
    rows.iter().map(from_row).collect()
}

/// The campaign's revision: it changes with every write to its facts.
pub async fn revision(store: &Store, id: &str) -> Result<i64> {
    let row = sqlx::query("SELECT revision FROM campaigns WHERE id = $1").bind(id).fetch_optional(store.pool()).await?;
    Ok(row.map(|r| r.try_get("revision")).transpose()?.unwrap_or(0))
}
