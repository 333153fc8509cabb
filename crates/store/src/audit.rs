//! The audit log: append-only, written in the same transaction as the change it records.

use serde::Serialize;
use sqlx::Row;

use crate::{Result, Store, Tx, new_id, now};

/// What changed, for the audit record.
#[derive(Debug, Clone, Copy)]
pub struct Change<'a> {
    pub user_id: Option<&'a str>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub unit_id: Option<&'a str>,
    pub campaign_id: Option<&'a str>,
}

/// Records a change with the values before and after (JSON, `None` for creation or deletion).
pub async fn record(
    tx: &mut Tx<'_>,
    change: Change<'_>,
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (id, at, user_id, action, entity, entity_id, unit_id, campaign_id, before, after) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(new_id())
    .bind(now())
    .bind(change.user_id)
    .bind(change.action)
    .bind(change.entity)
    .bind(change.entity_id)
    .bind(change.unit_id)
    .bind(change.campaign_id)
    .bind(before.map(serde_json::Value::to_string))
    .bind(after.map(serde_json::Value::to_string))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub id: String,
    pub at: String,
    pub user: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub unit_id: Option<String>,
    pub unit_name: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Filters for reading the log; every field narrows it.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only entries about units under this materialised path (the reader's scope).
    pub scope_path: Option<String>,
    pub user: Option<String>,
    pub action: Option<String>,
    pub entity: Option<String>,
    pub unit_id: Option<String>,
    /// Inclusive bounds on the date part of `at`, YYYY-MM-DD.
    pub from: Option<String>,
    pub to: Option<String>,
}

/// A page of entries, newest first, and the total count.
pub async fn list(store: &Store, filter: &Filter, page: u32, per_page: u32) -> Result<(Vec<Entry>, u64)> {
    let mut conditions = Vec::new();
    let mut binds: Vec<String> = Vec::new();
    let mut add = |sql: &str, value: String| {
        binds.push(value);
        conditions.push(sql.replace('?', &format!("${}", binds.len())));
    };
    if let Some(p) = &filter.scope_path {
        let (from, to) = crate::subtree(p);
        add("u.path >= ?", from);
        add("u.path < ?", to);
    }
    if let Some(v) = &filter.user {
        add("us.username = ?", v.clone());
    }
    if let Some(v) = &filter.action {
        add("a.action = ?", v.clone());
    }
    if let Some(v) = &filter.entity {
        add("a.entity = ?", v.clone());
    }
    if let Some(v) = &filter.unit_id {
        add("a.unit_id = ?", v.clone());
    }
    if let Some(v) = &filter.from {
        add("a.at >= ?", v.clone());
    }
    if let Some(v) = &filter.to {
        add("a.at < ?", format!("{v}T99"));
    }
    let filter_sql = if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
    let from = "FROM audit_log a LEFT JOIN units u ON u.id = a.unit_id LEFT JOIN users us ON us.id = a.user_id";
    let count_sql = format!("SELECT COUNT(*) AS n {from} {filter_sql}");
    let mut count = sqlx::query(crate::trusted(&count_sql));
    for b in &binds {
        count = count.bind(b);
    }
    let total: i64 = count.fetch_one(store.pool()).await?.try_get("n")?;
    let sql = format!(
        "SELECT a.id, a.at, us.username, a.action, a.entity, a.entity_id, a.unit_id, u.name AS unit_name, a.before, a.after {from} {filter_sql} \
         ORDER BY a.id DESC LIMIT {} OFFSET {}",
        per_page,
        u64::from(page.saturating_sub(1)) * u64::from(per_page)
    );
    let mut query = sqlx::query(crate::trusted(&sql));
    for b in &binds {
        query = query.bind(b);
    }
    let rows = query.fetch_all(store.pool()).await?;
    let entries = rows
        .iter()
        .map(|r| {
            Ok(Entry {
                id: r.try_get("id")?,
                at: r.try_get("at")?,
                user: r.try_get("username")?,
                action: r.try_get("action")?,
                entity: r.try_get("entity")?,
                entity_id: r.try_get("entity_id")?,
                unit_id: r.try_get("unit_id")?,
                unit_name: r.try_get("unit_name")?,
                before: r.try_get("before")?,
                after: r.try_get("after")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok((entries, u64::try_from(total).unwrap_or(0)))
}
