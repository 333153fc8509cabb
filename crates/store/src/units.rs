//! The unit tree: time-versioned, with successor links and a materialised path for subtrees.

use std::collections::{BTreeMap, HashMap};

use antt_core::text::fold;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, Change};
use crate::batch::insert_rows;
use crate::facts::Value;
use crate::{Backend, Result, Store, StoreError, Tx};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitRow {
    pub id: String,
    pub name: String,
    pub unit_type: String,
    pub parent_id: Option<String>,
    pub path: String,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub successor_id: Option<String>,
    pub official_code: Option<String>,
    pub attributes: BTreeMap<String, String>,
    pub is_demo: bool,
    pub version: i64,
}

/// A unit to create.
#[derive(Debug, Clone, Default, Serialize)]
pub struct NewUnit {
    pub id: String,
    pub name: String,
    pub unit_type: String,
    pub parent_id: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub successor_id: Option<String>,
    pub official_code: Option<String>,
    pub attributes: BTreeMap<String, String>,
    pub is_demo: bool,
}

const COLUMNS: &str =
    "id, name, unit_type, parent_id, path, valid_from, valid_to, successor_id, official_code, attributes, is_demo, version";

fn from_row(r: &AnyRow) -> Result<UnitRow> {
    let attributes: String = r.try_get("attributes")?;
    Ok(UnitRow {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        unit_type: r.try_get("unit_type")?,
        parent_id: r.try_get("parent_id")?,
        path: r.try_get("path")?,
        valid_from: r.try_get("valid_from")?,
        valid_to: r.try_get("valid_to")?,
        successor_id: r.try_get("successor_id")?,
        official_code: r.try_get("official_code")?,
        attributes: serde_json::from_str(&attributes).unwrap_or_default(),
        is_demo: r.try_get::<i64, _>("is_demo")? != 0,
        version: r.try_get("version")?,
    })
}

/// The path of a unit under a parent path.
pub fn child_path(parent_path: Option<&str>, id: &str) -> String {
    format!("{}{id}/", parent_path.unwrap_or("/"))
}

/// The columns `insert_many` writes, in the order of [`row_of`].
const INSERTED: [&str; 12] = [
    "id",
    "name",
    "name_folded",
    "unit_type",
    "parent_id",
    "path",
    "valid_from",
    "valid_to",
    "successor_id",
    "official_code",
    "attributes",
    "is_demo",
];

/// A unit's row, at `path`.
fn row_of(u: &NewUnit, path: String) -> Result<Vec<Value>> {
    if u.id.trim().is_empty() || u.name.trim().is_empty() {
        return Err(StoreError::Invalid("mỗi đơn vị cần có mã và tên".into()));
    }
    let name = antt_core::text::nfc(&u.name).into_owned();
    let text = |s: &Option<String>| Value::Text(s.clone());
    Ok(vec![
        Value::Text(Some(u.id.clone())),
        Value::Text(Some(name.clone())),
        Value::Text(Some(fold(&name))),
        Value::Text(Some(u.unit_type.clone())),
        text(&u.parent_id),
        Value::Text(Some(path)),
        text(&u.valid_from),
        text(&u.valid_to),
        text(&u.successor_id),
        text(&u.official_code),
        Value::Text(Some(serde_json::to_string(&u.attributes).unwrap_or_else(|_| "{}".into()))),
        Value::Int(Some(i64::from(u.is_demo))),
    ])
}

async fn insert(tx: &mut Tx<'_>, rows: Vec<Vec<Value>>) -> Result<()> {
    let backend = if crate::locks::is_postgres(tx) { Backend::Postgres } else { Backend::Sqlite };
    insert_rows(tx, backend, "units", &INSERTED, &mut rows.into_iter(), &mut |_| {}, &mut 0).await
}

/// Inserts units in order (parents before children), in one transaction, with one audit record
/// for the batch, a batch of rows a statement (the national tree's 163.000 units included).
/// `user_id` is who did it.
pub async fn insert_many(tx: &mut Tx<'_>, user_id: Option<&str>, units: &[NewUnit]) -> Result<()> {
    let mut paths: HashMap<&str, String> = HashMap::with_capacity(units.len());
    let mut rows = Vec::with_capacity(units.len());
    for u in units {
        let parent_path = match &u.parent_id {
            None => None,
            Some(p) => match paths.get(p.as_str()) {
                Some(path) => Some(path.clone()),
                None => Some(
                    sqlx::query("SELECT path FROM units WHERE id = $1")
                        .bind(p)
                        .fetch_optional(&mut **tx)
                        .await?
                        .ok_or_else(|| StoreError::Invalid(format!("đơn vị cấp trên `{p}` của `{}` không tồn tại", u.id)))?
                        .try_get("path")?,
                ),
            },
        };
        let path = child_path(parent_path.as_deref(), &u.id);
        rows.push(row_of(u, path.clone())?);
        paths.insert(&u.id, path);
    }
    insert(tx, rows).await?;
    if let Some(first) = units.first() {
        let after = serde_json::json!({ "count": units.len(), "first": first.id, "last": units.last().map(|u| &u.id) });
        let change = Change {
            user_id,
            action: "import",
            entity: "units",
            entity_id: &first.id,
            unit_id: first.parent_id.as_deref(),
            campaign_id: None,
        };
        audit::record(tx, change, None, Some(&after)).await?;
    }
    Ok(())
}

/// Links a unit to the one it became part of (2025 merges) and closes its validity.
pub async fn set_successor(tx: &mut Tx<'_>, id: &str, successor_id: &str, valid_to: &str) -> Result<()> {
    sqlx::query("UPDATE units SET successor_id = $1, valid_to = $2, version = version + 1 WHERE id = $3")
        .bind(successor_id)
        .bind(valid_to)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// One unit created, renamed, moved or retired (the unit form and the API); the checks shared
// with the import of a list of units.

/// The unit a new or moved unit goes under, as the checks need it.
#[derive(Debug, Clone, Copy)]
pub struct Parent<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

/// The checks of a unit of `unit_type` named `name`, with its own `code` if any, under `parent`
/// that need the database — the same for a row of an import and for the unit form: no other
/// current unit of that type under the parent has the name (compared without case, diacritics
/// or punctuation), and no other unit has the code. `except` is the unit being changed. Returns
/// the problems by field (`name`, `code`).
pub async fn placement_problems(
    tx: &mut Tx<'_>,
    parent: Parent<'_>,
    unit_type: &str,
    name: &str,
    code: Option<&str>,
    except: Option<&str>,
) -> Result<Vec<(&'static str, String)>> {
    let mut problems = Vec::new();
    let siblings = sqlx::query("SELECT id, name FROM units WHERE parent_id = $1 AND unit_type = $2 AND valid_to IS NULL")
        .bind(parent.id)
        .bind(unit_type)
        .fetch_all(&mut **tx)
        .await?;
    let wanted = antt_import::text::key(name);
    for r in &siblings {
        let (id, existing): (String, String) = (r.try_get("id")?, r.try_get("name")?);
        if except != Some(id.as_str()) && antt_import::text::key(&existing) == wanted {
            problems.push(("name", format!("{} đã có “{existing}” (mã {id}); không nhập lại", parent.name)));
            break;
        }
    }
    if let Some(code) = code {
        let used = sqlx::query("SELECT id FROM units WHERE (id = $1 OR official_code = $1) AND id <> $2")
            .bind(code)
            .bind(except.unwrap_or_default())
            .fetch_optional(&mut **tx)
            .await?;
        if used.is_some() {
            problems.push(("code", code_taken(code)));
        }
    }
    Ok(problems)
}

/// The refusal of a code another unit has.
pub fn code_taken(code: &str) -> String {
    format!("mã “{code}” đã được dùng cho đơn vị khác")
}

/// A unit as it is in the transaction, its row held against other writers until it ends.
pub async fn get_held(tx: &mut Tx<'_>, id: &str) -> Result<Option<UnitRow>> {
    crate::locks::hold_exclusive(tx, &[id]).await?;
    let row = sqlx::query(crate::trusted(&format!("SELECT {COLUMNS} FROM units WHERE id = $1"))).bind(id).fetch_optional(&mut **tx).await?;
    row.as_ref().map(from_row).transpose()
}

fn audit_view(u: &UnitRow) -> serde_json::Value {
    serde_json::json!({ "name": u.name, "unit_type": u.unit_type, "parent_id": u.parent_id, "official_code": u.official_code, "valid_to": u.valid_to })
}

async fn audit_change(tx: &mut Tx<'_>, user_id: Option<&str>, action: &str, before: Option<&UnitRow>, after: &UnitRow) -> Result<()> {
    let change = Change { user_id, action, entity: "units", entity_id: &after.id, unit_id: after.parent_id.as_deref(), campaign_id: None };
    audit::record(tx, change, before.map(audit_view).as_ref(), Some(&audit_view(after))).await
}

/// Creates one unit under `parent` (held by the caller), audited.
pub async fn create(tx: &mut Tx<'_>, user_id: Option<&str>, unit: &NewUnit, parent: &UnitRow) -> Result<UnitRow> {
    insert(tx, vec![row_of(unit, child_path(Some(&parent.path), &unit.id))?]).await?;
    let row =
        sqlx::query(crate::trusted(&format!("SELECT {COLUMNS} FROM units WHERE id = $1"))).bind(&unit.id).fetch_one(&mut **tx).await?;
    let created = from_row(&row)?;
    audit_change(tx, user_id, "create", None, &created).await?;
    Ok(created)
}

/// What a change does to one unit.
#[derive(Debug, Clone)]
pub enum Edit<'a> {
    /// A new name, and the unit it now belongs to (its subtree moves with it).
    Change { name: &'a str, parent: &'a UnitRow },
    /// No longer exists from this day: it stays in the campaigns it took part in.
    Retire { on: &'a str },
}

/// Changes a unit read at `version` (held by the caller), audited; `Conflict` when it changed
/// since.
pub async fn edit(tx: &mut Tx<'_>, user_id: Option<&str>, before: &UnitRow, version: i64, edit: Edit<'_>) -> Result<UnitRow> {
    if before.version != version {
        return Err(StoreError::Conflict);
    }
    let (action, done) = match edit {
        Edit::Change { name, parent } => {
            let path = child_path(Some(&parent.path), &before.id);
            let renamed = sqlx::query(
                "UPDATE units SET name = $1, name_folded = $2, parent_id = $3, version = version + 1 WHERE id = $4 AND version = $5",
            )
            .bind(name)
            .bind(fold(name))
            .bind(&parent.id)
            .bind(&before.id)
            .bind(version)
            .execute(&mut **tx)
            .await?;
            if path != before.path {
                // The subtree moves with it: every path under the old one takes the new prefix.
                let (from, to) = crate::subtree(&before.path);
                sqlx::query("UPDATE units SET path = $1 || SUBSTR(path, CAST($2 AS INTEGER)) WHERE path >= $3 AND path < $4")
                    .bind(&path)
                    .bind(i64::try_from(before.path.len() + 1).unwrap_or(i64::MAX))
                    .bind(from)
                    .bind(to)
                    .execute(&mut **tx)
                    .await?;
            }
            (if parent.id.as_str() == before.parent_id.as_deref().unwrap_or_default() { "rename" } else { "move" }, renamed)
        }
        Edit::Retire { on } => {
            let retired = sqlx::query("UPDATE units SET valid_to = $1, version = version + 1 WHERE id = $2 AND version = $3")
                .bind(on)
                .bind(&before.id)
                .bind(version)
                .execute(&mut **tx)
                .await?;
            ("retire", retired)
        }
    };
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    let row =
        sqlx::query(crate::trusted(&format!("SELECT {COLUMNS} FROM units WHERE id = $1"))).bind(&before.id).fetch_one(&mut **tx).await?;
    let after = from_row(&row)?;
    audit_change(tx, user_id, action, Some(before), &after).await?;
    Ok(after)
}

/// How many current units are directly under the unit.
pub async fn current_children(tx: &mut Tx<'_>, id: &str) -> Result<i64> {
    Ok(sqlx::query("SELECT COUNT(*) AS n FROM units WHERE parent_id = $1 AND valid_to IS NULL")
        .bind(id)
        .fetch_one(&mut **tx)
        .await?
        .try_get("n")?)
}

pub async fn get(store: &Store, id: &str) -> Result<Option<UnitRow>> {
    let row =
        sqlx::query(crate::trusted(&format!("SELECT {COLUMNS} FROM units WHERE id = $1"))).bind(id).fetch_optional(store.pool()).await?;
    row.as_ref().map(from_row).transpose()
}

/// The units with these ids that exist, in no particular order.
pub async fn get_many(store: &Store, ids: &[&str]) -> Result<Vec<UnitRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT {COLUMNS} FROM units WHERE id IN ({})", crate::locks::json_ids_in(store, 1));
    let rows = sqlx::query(crate::trusted(&sql)).bind(crate::locks::ids_json(ids)).fetch_all(store.pool()).await?;
    rows.iter().map(from_row).collect()
}

/// Where a unit sits in the tree: all that results kept between revisions need of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub id: String,
    pub parent_id: Option<String>,
    pub unit_type: String,
    pub path: String,
}

/// Every unit under `root` (included), by its indexed path range, in the byte order of paths:
/// a unit before those below it, whatever the database's collation.
pub async fn placed_under(store: &Store, root: &UnitRow) -> Result<Vec<Placed>> {
    let (from, to) = crate::subtree(&root.path);
    let rows = sqlx::query("SELECT id, parent_id, unit_type, path FROM units WHERE path >= $1 AND path < $2")
        .bind(from)
        .bind(to)
        .fetch_all(store.pool())
        .await?;
    let mut placed = rows
        .iter()
        .map(|r| {
            Ok(Placed {
                id: r.try_get("id")?,
                parent_id: r.try_get("parent_id")?,
                unit_type: r.try_get("unit_type")?,
                path: r.try_get("path")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    placed.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    Ok(placed)
}

pub async fn children(store: &Store, id: &str) -> Result<Vec<UnitRow>> {
    let rows =
        sqlx::query(crate::trusted(&format!("SELECT {COLUMNS} FROM units WHERE parent_id = $1"))).bind(id).fetch_all(store.pool()).await?;
    let mut units = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
    units.sort_by_cached_key(|u| antt_core::text::sort_key(&u.name));
    Ok(units)
}

pub async fn roots(store: &Store) -> Result<Vec<UnitRow>> {
    let rows = sqlx::query(crate::trusted(&format!("SELECT {COLUMNS} FROM units WHERE parent_id IS NULL"))).fetch_all(store.pool()).await?;
    let mut units = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
    units.sort_by_cached_key(|u| antt_core::text::sort_key(&u.name));
    Ok(units)
}

/// The units on the path from the root down to `unit`, excluding it.
pub async fn ancestors(store: &Store, unit: &UnitRow) -> Result<Vec<UnitRow>> {
    let ids: Vec<&str> = unit.path.trim_matches('/').split('/').filter(|s| !s.is_empty() && *s != unit.id).collect();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(u) = get(store, id).await? {
            out.push(u);
        }
    }
    Ok(out)
}

/// One page of search results.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

impl<T> Page<T> {
    pub fn pages(&self) -> u32 {
        u32::try_from(self.total.div_ceil(u64::from(self.per_page.max(1)))).unwrap_or(u32::MAX).max(1)
    }
}

/// Units under `scope_path` whose name contains `query`, ignoring diacritics and case, best
/// match first: the whole name, then names that start with the query, then names with a word
/// that starts with it ("long ho" finds "Huyện Long Hồ" before "Ấp Phú Long Hòa"), then the
/// rest; among equals, higher levels (shorter paths) first, then by name.
pub async fn search(
    store: &Store,
    scope_path: &str,
    query: &str,
    unit_type: Option<&str>,
    page: u32,
    per_page: u32,
) -> Result<Page<UnitRow>> {
    let whole = fold(query.trim());
    let folded = whole.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    // $4 is the unit type, or "" for any.
    let filter = "FROM units WHERE path >= $1 AND path < $2 AND name_folded LIKE $3 ESCAPE '\\' AND ($4 = '' OR unit_type = $4)";
    let (from, to) = crate::subtree(scope_path);
    let page = page.max(1);
    // $5 the whole name, $6 its start, $7 a word's start; the depth is the number of '/'.
    let sql = format!(
        "SELECT {COLUMNS}, COUNT(*) OVER () AS matches {filter} \
         ORDER BY CASE WHEN name_folded = $5 THEN 0 WHEN name_folded LIKE $6 ESCAPE '\\' THEN 1 \
                       WHEN name_folded LIKE $7 ESCAPE '\\' THEN 2 ELSE 3 END, \
                  LENGTH(path) - LENGTH(REPLACE(path, '/', '')), name_folded, id \
         LIMIT {per_page} OFFSET {}",
        u64::from(page - 1) * u64::from(per_page)
    );
    let contains = format!("%{folded}%");
    let rows = sqlx::query(crate::trusted(&sql))
        .bind(&from)
        .bind(&to)
        .bind(&contains)
        .bind(unit_type.unwrap_or(""))
        .bind(&whole)
        .bind(format!("{folded}%"))
        .bind(format!("% {folded}%"))
        .fetch_all(store.pool())
        .await?;
    let total = match rows.first() {
        Some(r) => r.try_get::<i64, _>("matches")?,
        // Past the last page, or nothing found: counted on its own.
        None => sqlx::query(crate::trusted(&format!("SELECT COUNT(*) AS n {filter}")))
            .bind(&from)
            .bind(&to)
            .bind(&contains)
            .bind(unit_type.unwrap_or(""))
            .fetch_one(store.pool())
            .await?
            .try_get("n")?,
    };
    let items = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
    Ok(Page { items, total: u64::try_from(total).unwrap_or(0), page, per_page })
}

/// Where a unit comes in the results of [`search`] for `query`, as its query sorts them: for
/// merging the searches of several scopes in the same order.
pub fn search_rank(query: &str, unit: &UnitRow) -> (u8, usize, String, String) {
    let query = fold(query.trim());
    let name = fold(&unit.name);
    let rank = if name == query {
        0
    } else if name.starts_with(&query) {
        1
    } else if name.contains(&format!(" {query}")) {
        2
    } else {
        3
    };
    (rank, unit.path.matches('/').count(), name, unit.id.clone())
}

/// How many units of each type are under `scope_path`.
pub async fn count_by_type(store: &Store, scope_path: &str) -> Result<BTreeMap<String, u64>> {
    let (from, to) = crate::subtree(scope_path);
    let rows = sqlx::query("SELECT unit_type, COUNT(*) AS n FROM units WHERE path >= $1 AND path < $2 GROUP BY unit_type")
        .bind(from)
        .bind(to)
        .fetch_all(store.pool())
        .await?;
    rows.iter().map(|r| Ok((r.try_get("unit_type")?, u64::try_from(r.try_get::<i64, _>("n")?).unwrap_or(0)))).collect()
}

/// A unit at the other end of a successor link of the 2025 reorganisation.
#[derive(Debug, Clone, Serialize)]
pub struct Linked {
    pub unit: UnitRow,
    /// The whole unit went into the successor (not a part of it).
    pub whole: bool,
    pub note: String,
}

/// The units `id` went into (main successor first), or with `predecessors` the units that went
/// into `id`, in Vietnamese order.
pub async fn links(store: &Store, id: &str, predecessors: bool) -> Result<Vec<Linked>> {
    let (this, other) = if predecessors { ("successor_id", "unit_id") } else { ("unit_id", "successor_id") };
    let columns = COLUMNS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "SELECT {columns}, s.whole AS link_whole, s.note AS link_note FROM unit_successors s JOIN units u ON u.id = s.{other} WHERE s.{this} = $1"
    );
    let rows = sqlx::query(crate::trusted(&sql)).bind(id).fetch_all(store.pool()).await?;
    let mut out = rows
        .iter()
        .map(|r| Ok(Linked { unit: from_row(r)?, whole: r.try_get::<i64, _>("link_whole")? != 0, note: r.try_get("link_note")? }))
        .collect::<Result<Vec<_>>>()?;
    let main = if predecessors { None } else { get(store, id).await?.and_then(|u| u.successor_id) };
    out.sort_by_cached_key(|l| (main.as_deref() != Some(l.unit.id.as_str()), antt_core::text::sort_key(&l.unit.name)));
    Ok(out)
}
