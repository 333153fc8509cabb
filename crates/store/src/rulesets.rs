//! Ruleset texts kept in the database: every version of every ruleset added at run time, and the
//! built-in texts campaigns started with, each exactly as written with its SHA-256 hash. A
//! version is never changed or removed, so a campaign that names one keeps its rules.

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, Change};
use crate::{Result, Store, StoreError, Tx, now, sha256_hex};

/// One version of a ruleset's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredRuleset {
    /// The ruleset's id (`id:` in its text).
    pub name: String,
    pub version: i64,
    /// Hex SHA-256 of the text's bytes.
    pub hash: String,
    #[serde(skip)]
    pub text: String,
    /// A text compiled into antt, recorded when a campaign started with it.
    pub built_in: bool,
    pub added_by: String,
    pub added_at: String,
}

/// A text to keep under a name.
#[derive(Debug, Clone, Copy)]
pub struct NewText<'a> {
    pub name: &'a str,
    pub text: &'a str,
    pub built_in: bool,
    pub added_by: &'a str,
}

/// What [`add`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    /// A new version was written.
    New(StoredRuleset),
    /// The name's newest version already has this exact text: nothing was written.
    Unchanged(StoredRuleset),
}

impl Added {
    pub fn stored(&self) -> &StoredRuleset {
        match self {
            Self::New(s) | Self::Unchanged(s) => s,
        }
    }
}

const COLUMNS: &str = "name, version, hash, body, built_in, added_by, added_at";

fn from_row(r: &AnyRow) -> Result<StoredRuleset> {
    Ok(StoredRuleset {
        name: r.try_get("name")?,
        version: r.try_get("version")?,
        hash: r.try_get("hash")?,
        text: r.try_get("body")?,
        built_in: r.try_get::<i64, _>("built_in")? != 0,
        added_by: r.try_get("added_by")?,
        added_at: r.try_get("added_at")?,
    })
}

/// Keeps `new.text` as the newest version of `new.name`, unless the newest version already is
/// this exact text. Versions are numbered in the transaction; two writers adding the same name
/// at once cannot both take a number (the primary key refuses the second).
pub async fn add(tx: &mut Tx<'_>, new: NewText<'_>) -> Result<Added> {
    if new.name.trim().is_empty() {
        return Err(StoreError::Invalid("tên bộ tiêu chí không được để trống".into()));
    }
    let hash = sha256_hex(new.text.as_bytes());
    let newest = sqlx::query(crate::trusted(&format!("SELECT {COLUMNS} FROM rulesets WHERE name = $1 ORDER BY version DESC LIMIT 1")))
        .bind(new.name)
        .fetch_optional(&mut **tx)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()?;
    if let Some(newest) = newest.filter(|n| n.hash == hash && n.text == new.text) {
        return Ok(Added::Unchanged(newest));
    }
    let version = sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM rulesets WHERE name = $1")
        .bind(new.name)
        .fetch_one(&mut **tx)
        .await?
        .try_get::<i64, _>("v")?
        + 1;
    let row = StoredRuleset {
        name: new.name.to_owned(),
        version,
        hash,
        text: new.text.to_owned(),
        built_in: new.built_in,
        added_by: new.added_by.to_owned(),
        added_at: now(),
    };
    sqlx::query("INSERT INTO rulesets (name, version, hash, body, built_in, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(&row.name)
        .bind(row.version)
        .bind(&row.hash)
        .bind(&row.text)
        .bind(i64::from(row.built_in))
        .bind(&row.added_by)
        .bind(&row.added_at)
        .execute(&mut **tx)
        .await?;
    let id = format!("{}@{}", row.name, row.version);
    let after = serde_json::to_value(&row).ok();
    let change = Change { user_id: None, action: "create", entity: "ruleset", entity_id: &id, unit_id: None, campaign_id: None };
    audit::record(tx, change, None, after.as_ref()).await?;
    Ok(Added::New(row))
}

/// Records the built-in text of `name` as a version, if its newest version is not that text
/// already, and gives the version. `None` when no built-in ruleset has that name.
pub async fn record_built_in(tx: &mut Tx<'_>, name: &str) -> Result<Option<StoredRuleset>> {
    let Some(text) = antt_core::ruleset::built_in_text(name) else { return Ok(None) };
    let added = add(tx, NewText { name, text, built_in: true, added_by: "antt" }).await?;
    Ok(Some(added.stored().clone()))
}

/// One version of a ruleset, from the pool or inside a transaction (`&mut *tx`).
pub async fn get<'e>(db: impl sqlx::Executor<'e, Database = sqlx::Any>, name: &str, version: i64) -> Result<Option<StoredRuleset>> {
    let row = sqlx::query(crate::trusted(&format!("SELECT {COLUMNS} FROM rulesets WHERE name = $1 AND version = $2")))
        .bind(name)
        .bind(version)
        .fetch_optional(db)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The newest version of every ruleset added at run time (not the recorded built-in texts), by
/// name.
pub async fn newest_added(store: &Store) -> Result<Vec<StoredRuleset>> {
    let rows = sqlx::query(crate::trusted(&format!(
        "SELECT {COLUMNS} FROM rulesets r WHERE built_in = 0 \
         AND version = (SELECT MAX(version) FROM rulesets n WHERE n.name = r.name) ORDER BY name"
    )))
    .fetch_all(store.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// Every version of `name`, oldest first.
pub async fn history(store: &Store, name: &str) -> Result<Vec<StoredRuleset>> {
    let rows = sqlx::query(crate::trusted(&format!("SELECT {COLUMNS} FROM rulesets WHERE name = $1 ORDER BY version")))
        .bind(name)
        .fetch_all(store.pool())
        .await?;
    rows.iter().map(from_row).collect()
}

/// Gives every campaign that names no version (made by a release before rulesets were stored)
/// the built-in text of its ruleset, under which it was evaluated until now.
pub async fn pin_earlier_campaigns(store: &Store) -> Result<()> {
    let names: Vec<String> = sqlx::query("SELECT DISTINCT ruleset FROM campaigns WHERE ruleset_version IS NULL")
        .fetch_all(store.pool())
        .await?
        .iter()
        .map(|r| r.try_get("ruleset"))
        .collect::<std::result::Result<_, _>>()?;
    for name in names {
        let mut tx = store.begin().await?;
        if let Some(stored) = record_built_in(&mut tx, &name).await? {
            sqlx::query("UPDATE campaigns SET ruleset_version = $1 WHERE ruleset = $2 AND ruleset_version IS NULL")
                .bind(stored.version)
                .bind(&name)
                .execute(&mut *tx)
                .await?;
        }
        crate::commit(tx).await?;
    }
    Ok(())
}
