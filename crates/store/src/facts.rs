//! A campaign's facts: written record by record with a version check, a lock check, an audit
//! record and a revision bump in one transaction; read back — one record, one unit's list, or a
//! whole subtree as the rules engine's `Facts` — through one codec per kind, which refuses a row
//! it cannot read (naming it) rather than leaving it out: a discipline record silently dropped
//! would turn "not met" into "met".

use std::collections::{BTreeMap, HashSet};

use antt_core::fact::{Fact, FactKind};
use antt_core::model::{self, Commitment, Discipline, Document, Incident, Judgement, Scores, SubUnit, SubUnitTitle, Title, Unit, UnitId};
use antt_core::scoring::Points;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, Change};
use crate::campaigns::CampaignRow;
use crate::locks::{ensure_unlocked, touch};
use crate::{Backend, Result, Store, StoreError, Tx, date_text, new_id, now};

/// The table of a kind.
pub fn table(kind: FactKind) -> &'static str {
    kind.code()
}

/// The columns a kind is stored in, in the order [`encode`] gives them.
pub fn columns(kind: FactKind) -> &'static [&'static str] {
    match kind {
        FactKind::Documents => &["kind", "number", "issued_on"],
        FactKind::Commitments => &["group_code", "also_groups", "signed", "total"],
        FactKind::Incidents => &[
            "kind",
            "occurred_on",
            "severity",
            "harm",
            "domain",
            "group_code",
            "in_territory",
            "by_own_people",
            "force_majeure",
            "reported_promptly",
            "note",
        ],
        FactKind::Discipline => &["force_code", "also_forces", "level", "decided_on", "person"],
        FactKind::Titles => &["force_code", "scale", "level"],
        FactKind::SubUnits => &["name", "scale", "level"],
    }
}

/// A column value: text or integer, either possibly empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Text(Option<String>),
    Int(Option<i64>),
}

fn text(s: &str) -> Value {
    Value::Text(Some(s.to_owned()))
}

fn optional(s: &Option<String>) -> Value {
    Value::Text(s.clone())
}

/// A structured value as JSON text; `None` stays empty.
fn json<T: Serialize>(t: Option<&T>) -> Value {
    Value::Text(t.map(|t| serde_json::to_string(t).unwrap_or_default()))
}

fn yes_no(b: bool) -> Value {
    Value::Int(Some(i64::from(b)))
}

/// The snake_case code of a core enum, as stored.
pub fn code_of<T: Serialize>(t: &T) -> String {
    serde_json::to_value(t).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// Reads a snake_case code into one of the core enums.
pub fn parse_enum<T: serde::de::DeserializeOwned>(code: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(code.to_owned())).ok()
}

/// The column values of a record, in the order of [`columns`].
pub fn encode(fact: &Fact) -> Vec<Value> {
    match fact {
        Fact::Document(d) => vec![text(&d.kind), optional(&d.number), Value::Text(d.date.map(date_text))],
        Fact::Commitment(c) => {
            vec![text(&c.group), json(Some(&c.also_groups)), Value::Int(Some(i64::from(c.signed))), Value::Int(Some(i64::from(c.total)))]
        }
        Fact::Incident(i) => vec![
            text(&i.kind),
            text(&date_text(i.date)),
            Value::Text(i.severity.as_ref().map(code_of)),
            json(i.harm.as_ref()),
            optional(&i.domain),
            optional(&i.group),
            yes_no(i.in_territory),
            yes_no(i.by_own_people),
            yes_no(i.force_majeure),
            Value::Int(i.reported_promptly.map(i64::from)),
            optional(&i.note),
        ],
        Fact::Discipline(d) => {
            vec![text(&d.force), json(Some(&d.also_forces)), text(&code_of(&d.level)), text(&date_text(d.date)), optional(&d.person)]
        }
        Fact::Title(t) => vec![text(&t.force), text(&t.scale), text(&t.level)],
        Fact::SubUnit(s) => {
            let title = s.titles.first();
            vec![text(&s.name), Value::Text(title.map(|t| t.scale.clone())), Value::Text(title.map(|t| t.level.clone()))]
        }
    }
}

/// A row's values by column name: a row as the driver gives it, or one of the rows of a chunk
/// read as JSON.
trait Cells {
    fn optional_text(&self, c: &str) -> Result<Option<String>, String>;
    fn optional_int(&self, c: &str) -> Result<Option<i64>, String>;
}

/// Any driver's row: the portable one, or PostgreSQL's own.
impl<R> Cells for R
where
    R: Row,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<i64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'c> &'c str: sqlx::ColumnIndex<R>,
{
    fn optional_text(&self, c: &str) -> Result<Option<String>, String> {
        self.try_get::<Option<String>, _>(c).map_err(|e| format!("cột {c}: {e}"))
    }

    fn optional_int(&self, c: &str) -> Result<Option<i64>, String> {
        self.try_get::<Option<i64>, _>(c).map_err(|e| format!("cột {c}: {e}"))
    }
}

/// A driver's row read by the position of each column in `names`, the statement's columns:
/// PostgreSQL's rows find a column by name through a SipHash map, which a profile of the
/// national cold load showed for every cell.
struct Positioned<'a, R> {
    names: &'a [&'a str],
    row: &'a R,
}

impl<R> Cells for Positioned<'_, R>
where
    R: Row,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<i64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    usize: sqlx::ColumnIndex<R>,
{
    fn optional_text(&self, c: &str) -> Result<Option<String>, String> {
        let i = column_index(self.names, c)?;
        self.row.try_get::<Option<String>, _>(i).map_err(|e| format!("cột {c}: {e}"))
    }

    fn optional_int(&self, c: &str) -> Result<Option<i64>, String> {
        let i = column_index(self.names, c)?;
        self.row.try_get::<Option<i64>, _>(i).map_err(|e| format!("cột {c}: {e}"))
    }
}

/// One row of a chunk: its values in the order of `names`.
struct JsonRow<'a> {
    names: &'a [&'a str],
    values: &'a [serde_json::Value],
}

/// Where the column `c` is among a statement's columns `names`.
fn column_index(names: &[&str], c: &str) -> Result<usize, String> {
    names.iter().position(|n| *n == c).ok_or_else(|| format!("không có cột {c}"))
}

impl JsonRow<'_> {
    fn value(&self, c: &str) -> Result<&serde_json::Value, String> {
        let i = column_index(self.names, c)?;
        self.values.get(i).ok_or_else(|| format!("thiếu cột {c}"))
    }
}

impl Cells for JsonRow<'_> {
    fn optional_text(&self, c: &str) -> Result<Option<String>, String> {
        match self.value(c)? {
            serde_json::Value::Null => Ok(None),
            serde_json::Value::String(s) => Ok(Some(s.clone())),
            other => Err(format!("cột {c} có giá trị {other}, không phải chữ")),
        }
    }

    fn optional_int(&self, c: &str) -> Result<Option<i64>, String> {
        match self.value(c)? {
            serde_json::Value::Null => Ok(None),
            serde_json::Value::Number(n) if n.is_i64() => Ok(n.as_i64()),
            other => Err(format!("cột {c} có giá trị {other}, không phải số nguyên")),
        }
    }
}

/// A row's columns, read strictly: a value of the wrong type or out of range is an error.
struct Columns<'r, R: Cells + ?Sized>(&'r R);

impl<R: Cells + ?Sized> Columns<'_, R> {
    fn text(&self, c: &str) -> Result<String, String> {
        self.optional(c)?.ok_or_else(|| format!("cột {c} trống"))
    }

    /// The key naming a row of [`load_selected`]'s statements, for an error ("?" if it cannot
    /// be read either).
    fn row_name(&self) -> String {
        self.text("row_key").unwrap_or_else(|_| "?".into())
    }

    fn optional(&self, c: &str) -> Result<Option<String>, String> {
        self.0.optional_text(c)
    }

    fn int(&self, c: &str) -> Result<Option<i64>, String> {
        self.0.optional_int(c)
    }

    fn count(&self, c: &str) -> Result<u32, String> {
        let n = self.int(c)?.ok_or_else(|| format!("cột {c} trống"))?;
        u32::try_from(n).map_err(|_| format!("cột {c} có số {n} ngoài khoảng 0–{}", u32::MAX))
    }

    fn flag(&self, c: &str) -> Result<Option<bool>, String> {
        match self.int(c)? {
            None => Ok(None),
            Some(0) => Ok(Some(false)),
            Some(1) => Ok(Some(true)),
            Some(n) => Err(format!("cột {c} có giá trị {n}, không phải 0 hay 1")),
        }
    }

    fn required_flag(&self, c: &str) -> Result<bool, String> {
        self.flag(c)?.ok_or_else(|| format!("cột {c} trống"))
    }

    fn date(&self, c: &str) -> Result<Option<chrono::NaiveDate>, String> {
        self.optional(c)?.map(|d| crate::stored_date(&d).ok_or_else(|| format!("cột {c} có ngày “{d}” không hợp lệ"))).transpose()
    }

    fn required_date(&self, c: &str) -> Result<chrono::NaiveDate, String> {
        self.date(c)?.ok_or_else(|| format!("cột {c} trống"))
    }

    /// A JSON column, read into its exact shape (unknown keys refused by the model's types).
    fn json<T: serde::de::DeserializeOwned>(&self, c: &str) -> Result<Option<T>, String> {
        self.optional(c)?.map(|j| serde_json::from_str(&j).map_err(|e| format!("cột {c} có giá trị “{j}” không đọc được: {e}"))).transpose()
    }

    fn list(&self, c: &str) -> Result<Vec<String>, String> {
        Ok(self.json(c)?.unwrap_or_default())
    }

    fn code<T: serde::de::DeserializeOwned>(&self, c: &str) -> Result<T, String> {
        let code = self.text(c)?;
        parse_enum(&code).ok_or_else(|| format!("cột {c} có mã “{code}” không có trong danh mục"))
    }
}

/// A record of `kind` from a row holding its columns.
fn decode(kind: FactKind, r: &(impl Cells + ?Sized)) -> Result<Fact, String> {
    let c = Columns(r);
    Ok(match kind {
        FactKind::Documents => {
            Fact::Document(Document { kind: c.text("kind")?, number: c.optional("number")?, date: c.date("issued_on")? })
        }
        FactKind::Commitments => Fact::Commitment(Commitment {
            group: c.text("group_code")?,
            also_groups: c.list("also_groups")?,
            signed: c.count("signed")?,
            total: c.count("total")?,
        }),
        FactKind::Incidents => Fact::Incident(Incident {
            kind: c.text("kind")?,
            date: c.required_date("occurred_on")?,
            severity: c.optional("severity")?.map(|_| c.code("severity")).transpose()?,
            harm: c.json("harm")?,
            domain: c.optional("domain")?,
            group: c.optional("group_code")?,
            in_territory: c.required_flag("in_territory")?,
            by_own_people: c.required_flag("by_own_people")?,
            force_majeure: c.required_flag("force_majeure")?,
            reported_promptly: c.flag("reported_promptly")?,
            note: c.optional("note")?,
        }),
        FactKind::Discipline => Fact::Discipline(Discipline {
            force: c.text("force_code")?,
            also_forces: c.list("also_forces")?,
            level: c.code("level")?,
            date: c.required_date("decided_on")?,
            person: c.optional("person")?,
        }),
        FactKind::Titles => Fact::Title(Title { force: c.text("force_code")?, scale: c.text("scale")?, level: c.text("level")? }),
        FactKind::SubUnits => {
            let titles = match (c.optional("scale")?, c.optional("level")?) {
                (Some(scale), Some(level)) => vec![SubUnitTitle { scale, level }],
                (None, None) => Vec::new(),
                _ => return Err("cột scale và level phải cùng có hoặc cùng trống".into()),
            };
            Fact::SubUnit(SubUnit { name: c.text("name")?, titles })
        }
    })
}

/// An error naming the row that could not be read.
fn unreadable(table: &str, id: &str, problem: &str) -> StoreError {
    StoreError::Unreadable(format!("bản ghi `{id}` của bảng {table} không đọc được ({problem})"))
}

/// One stored record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stored {
    pub id: String,
    /// Goes up with every change.
    pub version: i64,
    pub fact: Fact,
}

fn stored_from_row(kind: FactKind, r: &AnyRow) -> Result<Stored> {
    let id: String = r.try_get("id")?;
    let fact = decode(kind, r).map_err(|p| unreadable(table(kind), &id, &p))?;
    Ok(Stored { version: r.try_get("version")?, id, fact })
}

/// Who is writing, for the audit log.
#[derive(Debug, Clone, Copy)]
pub struct Writer<'a> {
    pub user_id: &'a str,
    pub campaign_id: &'a str,
    pub unit_id: &'a str,
}

/// Marks a list of the unit as recorded and the unit as changed.
async fn touched(tx: &mut Tx<'_>, w: Writer<'_>, list: &str) -> Result<()> {
    sqlx::query("INSERT INTO fact_lists (campaign_id, unit_id, list) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(w.campaign_id)
        .bind(w.unit_id)
        .bind(list)
        .execute(&mut **tx)
        .await?;
    touch(tx, w.campaign_id, &[w.unit_id]).await
}

fn bind_value<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    v: &Value,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    match v {
        Value::Text(t) => q.bind(t.clone()),
        Value::Int(i) => q.bind(*i),
    }
}

/// The record as the audit log keeps it: its columns and values.
fn audit_json(fact: &Fact) -> serde_json::Value {
    let pairs = columns(fact.kind()).iter().zip(encode(fact)).map(|(c, v)| ((*c).to_owned(), serde_json::to_value(v).unwrap_or_default()));
    serde_json::Value::Object(pairs.collect())
}

fn change<'a>(w: Writer<'a>, action: &'a str, kind: FactKind, id: &'a str) -> Change<'a> {
    Change {
        user_id: Some(w.user_id),
        action,
        entity: table(kind),
        entity_id: id,
        unit_id: Some(w.unit_id),
        campaign_id: Some(w.campaign_id),
    }
}

/// Adds a record and returns its id.
pub async fn insert(tx: &mut Tx<'_>, w: Writer<'_>, fact: &Fact) -> Result<String> {
    let kind = fact.kind();
    ensure_unlocked(tx, w.campaign_id, w.unit_id).await?;
    let id = new_id();
    let cols = columns(kind);
    let placeholders: Vec<String> = (4..4 + cols.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "INSERT INTO {} (id, campaign_id, unit_id, {}) VALUES ($1, $2, $3, {})",
        table(kind),
        cols.join(", "),
        placeholders.join(", ")
    );
    let mut q = sqlx::query(crate::trusted(&sql)).bind(id.clone()).bind(w.campaign_id.to_owned()).bind(w.unit_id.to_owned());
    for v in &encode(fact) {
        q = bind_value(q, v);
    }
    q.execute(&mut **tx).await.map_err(unique_violation)?;
    audit::record(tx, change(w, "create", kind, &id), None, Some(&audit_json(fact))).await?;
    touched(tx, w, table(kind)).await?;
    Ok(id)
}

/// Changes a record if nobody changed it since `expected_version` was read.
pub async fn update(tx: &mut Tx<'_>, w: Writer<'_>, id: &str, expected_version: i64, fact: &Fact) -> Result<()> {
    let kind = fact.kind();
    ensure_unlocked(tx, w.campaign_id, w.unit_id).await?;
    let before = get_in(tx, w, kind, id).await?.ok_or_else(|| StoreError::NotFound("bản ghi".into()))?;
    if before.version != expected_version {
        return Err(StoreError::Conflict);
    }
    let sets: String = columns(kind).iter().enumerate().map(|(i, c)| format!("{c} = ${}, ", i + 3)).collect();
    let sql = format!("UPDATE {} SET {sets}version = version + 1 WHERE id = $1 AND version = $2", table(kind));
    let mut q = sqlx::query(crate::trusted(&sql)).bind(id.to_owned()).bind(expected_version);
    for v in &encode(fact) {
        q = bind_value(q, v);
    }
    if q.execute(&mut **tx).await.map_err(unique_violation)?.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    audit::record(tx, change(w, "update", kind, id), Some(&audit_json(&before.fact)), Some(&audit_json(fact))).await?;
    touched(tx, w, table(kind)).await
}

/// Removes a record if nobody changed it since `expected_version` was read.
pub async fn delete(tx: &mut Tx<'_>, w: Writer<'_>, kind: FactKind, id: &str, expected_version: i64) -> Result<()> {
    ensure_unlocked(tx, w.campaign_id, w.unit_id).await?;
    let before = get_in(tx, w, kind, id).await?.ok_or_else(|| StoreError::NotFound("bản ghi".into()))?;
    let sql = format!("DELETE FROM {} WHERE id = $1 AND version = $2", table(kind));
    if sqlx::query(crate::trusted(&sql)).bind(id).bind(expected_version).execute(&mut **tx).await?.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    audit::record(tx, change(w, "delete", kind, id), Some(&audit_json(&before.fact)), None).await?;
    touched(tx, w, table(kind)).await
}

/// Declares a list complete although it has no records ("không có vụ việc nào").
pub async fn declare_complete(tx: &mut Tx<'_>, w: Writer<'_>, kind: FactKind) -> Result<()> {
    ensure_unlocked(tx, w.campaign_id, w.unit_id).await?;
    audit::record(tx, change(w, "declare_complete", kind, w.unit_id), None, None).await?;
    touched(tx, w, table(kind)).await
}

fn unique_violation(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Invalid("bản ghi này đã có (trùng nhóm hoặc trùng mã)".into()),
        _ => StoreError::Database(e),
    }
}

/// One record of the unit, read inside the transaction.
pub async fn get_in(tx: &mut Tx<'_>, w: Writer<'_>, kind: FactKind, id: &str) -> Result<Option<Stored>> {
    let sql = format!(
        "SELECT id, version, {} FROM {} WHERE id = $1 AND campaign_id = $2 AND unit_id = $3",
        columns(kind).join(", "),
        table(kind)
    );
    let row = sqlx::query(crate::trusted(&sql)).bind(id).bind(w.campaign_id).bind(w.unit_id).fetch_optional(&mut **tx).await?;
    row.as_ref().map(|r| stored_from_row(kind, r)).transpose()
}

/// The records of one kind of one unit in a campaign, oldest first.
pub async fn list(store: &Store, campaign_id: &str, unit_id: &str, kind: FactKind) -> Result<Vec<Stored>> {
    let sql = format!(
        "SELECT id, version, {} FROM {} WHERE campaign_id = $1 AND unit_id = $2 ORDER BY id",
        columns(kind).join(", "),
        table(kind)
    );
    let rows = sqlx::query(crate::trusted(&sql)).bind(campaign_id).bind(unit_id).fetch_all(store.pool()).await?;
    rows.iter().map(|r| stored_from_row(kind, r)).collect()
}

/// The records of one kind of one unit, read inside the transaction.
pub async fn list_in(tx: &mut Tx<'_>, campaign_id: &str, unit_id: &str, kind: FactKind) -> Result<Vec<Stored>> {
    let sql = format!(
        "SELECT id, version, {} FROM {} WHERE campaign_id = $1 AND unit_id = $2 ORDER BY id",
        columns(kind).join(", "),
        table(kind)
    );
    let rows = sqlx::query(crate::trusted(&sql)).bind(campaign_id).bind(unit_id).fetch_all(&mut **tx).await?;
    rows.iter().map(|r| stored_from_row(kind, r)).collect()
}

/// Sets a yes/no condition of a unit (e.g. whether a party organisation exists).
pub async fn set_flag(tx: &mut Tx<'_>, w: Writer<'_>, flag: &str, value: bool) -> Result<()> {
    ensure_unlocked(tx, w.campaign_id, w.unit_id).await?;
    sqlx::query(
        "INSERT INTO unit_flags (campaign_id, unit_id, flag, value) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (campaign_id, unit_id, flag) DO UPDATE SET value = excluded.value",
    )
    .bind(w.campaign_id)
    .bind(w.unit_id)
    .bind(flag)
    .bind(i64::from(value))
    .execute(&mut **tx)
    .await?;
    let change = Change {
        user_id: Some(w.user_id),
        action: "set_flag",
        entity: "unit_flags",
        entity_id: flag,
        unit_id: Some(w.unit_id),
        campaign_id: Some(w.campaign_id),
    };
    audit::record(tx, change, None, Some(&serde_json::json!({ flag: value }))).await?;
    touch(tx, w.campaign_id, &[w.unit_id]).await
}

/// Sets the previous year's count of one kind of incident.
pub async fn set_previous_year(tx: &mut Tx<'_>, w: Writer<'_>, kind: &str, count: u32) -> Result<()> {
    ensure_unlocked(tx, w.campaign_id, w.unit_id).await?;
    sqlx::query(
        "INSERT INTO previous_year_counts (campaign_id, unit_id, kind, count) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (campaign_id, unit_id, kind) DO UPDATE SET count = excluded.count",
    )
    .bind(w.campaign_id)
    .bind(w.unit_id)
    .bind(kind)
    .bind(i64::from(count))
    .execute(&mut **tx)
    .await?;
    let change = Change {
        user_id: Some(w.user_id),
        action: "set",
        entity: "previous_year_counts",
        entity_id: kind,
        unit_id: Some(w.unit_id),
        campaign_id: Some(w.campaign_id),
    };
    audit::record(tx, change, None, Some(&serde_json::json!({ kind: count }))).await?;
    touched(tx, w, "previous_year").await
}

/// Whose score: the unit's own, or the inspection team's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreSource {
    SelfAssessed,
    Reviewed,
}

impl ScoreSource {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::SelfAssessed => "self",
            Self::Reviewed => "reviewed",
        }
    }
}

/// Records one item's score with its note.
pub async fn set_score(tx: &mut Tx<'_>, w: Writer<'_>, source: ScoreSource, item: &str, points: Points, note: Option<&str>) -> Result<()> {
    ensure_unlocked(tx, w.campaign_id, w.unit_id).await?;
    let before = sqlx::query("SELECT points FROM scores WHERE campaign_id = $1 AND unit_id = $2 AND source = $3 AND item = $4")
        .bind(w.campaign_id)
        .bind(w.unit_id)
        .bind(source.code())
        .bind(item)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.try_get::<i64, _>("points"))
        .transpose()?;
    sqlx::query(
        "INSERT INTO scores (campaign_id, unit_id, source, item, points, note, scored_by, scored_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (campaign_id, unit_id, source, item) DO UPDATE SET points = excluded.points, note = excluded.note, \
         scored_by = excluded.scored_by, scored_at = excluded.scored_at",
    )
    .bind(w.campaign_id)
    .bind(w.unit_id)
    .bind(source.code())
    .bind(item)
    .bind(i64::from(points.tenths()))
    .bind(note)
    .bind(w.user_id)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    let change = Change {
        user_id: Some(w.user_id),
        action: "score",
        entity: "scores",
        entity_id: item,
        unit_id: Some(w.unit_id),
        campaign_id: Some(w.campaign_id),
    };
    let before = before.map(|p| serde_json::json!({ "source": source.code(), "points": p as f64 / 10.0 }));
    let after = serde_json::json!({ "source": source.code(), "points": f64::from(points.tenths()) / 10.0, "note": note });
    audit::record(tx, change, before.as_ref(), Some(&after)).await?;
    touch(tx, w.campaign_id, &[w.unit_id]).await
}

/// An inspector's judgement of one part.
#[derive(Debug, Clone, Copy)]
pub struct JudgementInput<'a> {
    pub criterion: &'a str,
    pub part: &'a str,
    pub met: bool,
    pub note: Option<&'a str>,
    pub inspector: &'a str,
    pub on: chrono::NaiveDate,
}

/// Records an inspector's judgement of a part, replacing an earlier one.
pub async fn set_judgement(tx: &mut Tx<'_>, w: Writer<'_>, j: &JudgementInput<'_>) -> Result<()> {
    ensure_unlocked(tx, w.campaign_id, w.unit_id).await?;
    sqlx::query(
        "INSERT INTO judgements (id, campaign_id, unit_id, criterion, part, met, note, inspector, judged_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (campaign_id, unit_id, criterion, part) DO UPDATE SET met = excluded.met, note = excluded.note, \
         inspector = excluded.inspector, judged_on = excluded.judged_on",
    )
    .bind(new_id())
    .bind(w.campaign_id)
    .bind(w.unit_id)
    .bind(j.criterion)
    .bind(j.part)
    .bind(i64::from(j.met))
    .bind(j.note)
    .bind(j.inspector)
    .bind(date_text(j.on))
    .execute(&mut **tx)
    .await?;
    let id = format!("{}.{}", j.criterion, j.part);
    let change = Change {
        user_id: Some(w.user_id),
        action: "judge",
        entity: "judgements",
        entity_id: &id,
        unit_id: Some(w.unit_id),
        campaign_id: Some(w.campaign_id),
    };
    audit::record(tx, change, None, Some(&serde_json::json!({ "met": j.met, "note": j.note }))).await?;
    touch(tx, w.campaign_id, &[w.unit_id]).await
}

fn judgement_from_row(c: &Columns<'_, impl Cells + ?Sized>) -> Result<Judgement, String> {
    Ok(Judgement {
        criterion: c.text("criterion")?,
        part: c.text("part")?,
        met: c.required_flag("met")?,
        inspector: c.optional("inspector")?,
        date: c.date("judged_on")?,
        note: c.optional("note")?,
    })
}

/// How many units' fact rows [`load_selected`] reads as one list.
const UNITS_PER_READ: usize = 2000;

/// How many of those lists are read at once, ahead of the decoding of their rows: enough to
/// keep the database busy while rows are decoded, few enough to leave SQLite's readers' pool to
/// the pages. Also the size of PostgreSQL's pool for these reads (`Store::bulk_reader`).
pub(crate) const READS_AT_ONCE: usize = 4;

/// A table of facts as [`load_selected`] reads it: its rows keyed by `key`, with `columns`.
#[derive(Debug, Clone, Copy)]
enum Source {
    /// Lists declared complete; read first, since declaring a list starts it empty.
    Lists,
    Flags,
    Registrations,
    Records(FactKind),
    PreviousYear,
    Judgements,
    Scores,
}

/// The sources in the order their rows are applied to a unit.
const SOURCES: [Source; 12] = [
    Source::Lists,
    Source::Flags,
    Source::Registrations,
    Source::Records(FactKind::ALL[0]),
    Source::Records(FactKind::ALL[1]),
    Source::Records(FactKind::ALL[2]),
    Source::Records(FactKind::ALL[3]),
    Source::Records(FactKind::ALL[4]),
    Source::Records(FactKind::ALL[5]),
    Source::PreviousYear,
    Source::Judgements,
    Source::Scores,
];

impl Source {
    fn table(self) -> &'static str {
        match self {
            Self::Lists => "fact_lists",
            Self::Flags => "unit_flags",
            Self::Registrations => "registrations",
            Self::Records(kind) => table(kind),
            Self::PreviousYear => "previous_year_counts",
            Self::Judgements => "judgements",
            Self::Scores => "scores",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Self::Lists => "list",
            Self::Flags => "flag",
            Self::PreviousYear => "kind",
            Self::Scores => "item",
            Self::Registrations | Self::Records(_) | Self::Judgements => "id",
        }
    }

    fn columns(self) -> &'static [&'static str] {
        match self {
            Self::Lists => &[],
            Self::Flags => &["value"],
            Self::Registrations => &["registered_on", "status"],
            Self::Records(kind) => columns(kind),
            Self::PreviousYear => &["count"],
            Self::Judgements => &["criterion", "part", "met", "note", "inspector", "judged_on"],
            Self::Scores => &["source", "points"],
        }
    }

    /// The subquery reading this table's rows of the statement's list of units (`j`, each unit
    /// with its position) as one JSON array of [position, key naming the row, columns…]. The
    /// list drives the join (the CROSS JOIN keeps it outside), each unit one probe of the
    /// table's (campaign_id, unit_id) index.
    fn json_subquery(self) -> String {
        let (table, key, fields) = (self.table(), self.key(), self.fields());
        format!(
            "(SELECT json_group_array(json_array(j.position, x.{key}{fields})) FROM j CROSS JOIN {table} x ON x.campaign_id = $1 AND x.unit_id = j.id)"
        )
    }

    /// PostgreSQL's statement reading this table's rows of one list of units (`$2`, a JSON
    /// array) as rows of [position, key naming the row, columns…], the list driving the join:
    /// each unit one probe of the table's (campaign_id, unit_id) index. The planner guesses
    /// 100 elements for any JSON array and, on a table whose rows are all of one campaign,
    /// preferred reading the whole table into a hash (3,5 ms for the 54 units of a commune on
    /// the national demo's discipline table, against 0,5 ms probing); the lateral subquery,
    /// kept apart by `OFFSET 0`, can only be probed.
    fn rows_statement(self) -> String {
        let (table, key, fields) = (self.table(), self.key(), self.fields());
        format!(
            "SELECT j.n - 1 AS position, x.{key} AS row_key{fields} \
             FROM jsonb_array_elements_text($2::jsonb) WITH ORDINALITY AS j(v, n) \
             CROSS JOIN LATERAL (SELECT {key}{columns} FROM {table} WHERE campaign_id = $1 AND unit_id = j.v OFFSET 0) x",
            columns = self.columns().iter().map(|c| format!(", {c}")).collect::<String>()
        )
    }

    /// The columns of this source's statements, in order.
    fn statement_columns(self) -> Vec<&'static str> {
        ["position", "row_key"].into_iter().chain(self.columns().iter().copied()).collect()
    }

    fn fields(self) -> String {
        self.columns().iter().map(|c| format!(", x.{c}")).collect()
    }

    /// Adds one row to its unit; an error names the row (its `row_key`) and what is wrong with
    /// it. The key is read as a text only where the unit keeps it: a record's id is for errors.
    fn apply(self, u: &mut Unit, row: &impl Cells) -> Result<()> {
        let cells = Columns(row);
        let bad = |problem: String| unreadable(self.table(), &cells.row_name(), &problem);
        let key = || cells.text("row_key").map_err(|p| unreadable(self.table(), "?", &p));
        match self {
            Self::Lists => {
                let list = key()?;
                match FactKind::parse(&list) {
                    Some(FactKind::Documents) => u.documents = Some(Vec::new()),
                    Some(FactKind::Commitments) => u.commitments = Some(Vec::new()),
                    Some(FactKind::Incidents) => u.incidents = Some(Vec::new()),
                    Some(FactKind::Discipline) => u.discipline = Some(Vec::new()),
                    Some(FactKind::Titles) => u.titles = Some(Vec::new()),
                    Some(FactKind::SubUnits) => u.sub_units = Some(Vec::new()),
                    None if list == "previous_year" => u.previous_year = Some(BTreeMap::new()),
                    None => return Err(bad("danh sách không có trong mẫu dữ liệu".into())),
                }
            }
            Self::Flags => {
                let value = cells.required_flag("value").map_err(bad)?;
                u.flags.insert(key()?, value);
            }
            Self::Registrations => {
                if cells.text("status").map_err(bad)? == crate::registrations::SUBMITTED {
                    let date = cells.date("registered_on").map_err(bad)?;
                    let registration = Document { kind: antt_core::eval::REGISTRATION.into(), date, number: None };
                    u.documents.get_or_insert_with(Vec::new).push(registration);
                }
            }
            Self::Records(kind) => match decode(kind, row).map_err(bad)? {
                Fact::Document(d) => u.documents.get_or_insert_with(Vec::new).push(d),
                Fact::Commitment(c) => u.commitments.get_or_insert_with(Vec::new).push(c),
                Fact::Incident(x) => u.incidents.get_or_insert_with(Vec::new).push(x),
                Fact::Discipline(d) => u.discipline.get_or_insert_with(Vec::new).push(d),
                Fact::Title(t) => u.titles.get_or_insert_with(Vec::new).push(t),
                Fact::SubUnit(s) => u.sub_units.get_or_insert_with(Vec::new).push(s),
            },
            Self::PreviousYear => {
                let count = cells.count("count").map_err(bad)?;
                u.previous_year.get_or_insert_with(BTreeMap::new).insert(key()?, count);
            }
            Self::Judgements => u.judgements.push(judgement_from_row(&cells).map_err(bad)?),
            Self::Scores => {
                let points = Points::from_tenths(cells.count("points").map_err(bad)?);
                let source = cells.text("source").map_err(bad)?;
                let scores = u.scores.get_or_insert_with(Scores::default);
                match source.as_str() {
                    "reviewed" => {
                        scores.reviewed.get_or_insert_with(BTreeMap::new).insert(key()?, points);
                    }
                    "self" => {
                        scores.self_assessed.insert(key()?, points);
                    }
                    other => return Err(bad(format!("nguồn điểm “{other}” không hợp lệ"))),
                }
            }
        }
        Ok(())
    }
}

/// SQLite's statement reading every source's rows of one list of units (`$2`, a JSON array) in
/// one round trip, as one text column per source in the order of [`SOURCES`]: SQLite hands
/// each result row from its worker thread to the reader on its own, which costs more than
/// reading the row.
fn json_chunk_statement() -> String {
    let columns: Vec<String> = SOURCES.iter().enumerate().map(|(n, s)| format!("{} AS s{n}", s.json_subquery())).collect();
    format!("WITH j AS (SELECT value AS id, key AS position FROM json_each($2)) SELECT {}", columns.join(", "))
}

/// How [`load_selected`] reads the facts of a list of units.
#[derive(Clone)]
enum Reader {
    /// SQLite: [`json_chunk_statement`].
    Json(sqlx::AnyPool, std::sync::Arc<str>),
    /// PostgreSQL: each source's [`Source::rows_statement`], side by side on its own connections.
    Rows(sqlx::PgPool, std::sync::Arc<[String]>),
}

/// One list of units' rows, source by source in the order of [`SOURCES`].
enum ChunkRows {
    Json(Vec<Vec<Vec<serde_json::Value>>>),
    Rows(Vec<Vec<sqlx::postgres::PgRow>>),
}

impl Reader {
    fn of(store: &Store) -> Self {
        match store.bulk_reader() {
            Some(pool) => Self::Rows(pool.clone(), SOURCES.iter().map(|s| s.rows_statement()).collect()),
            None => Self::Json(store.pool().clone(), json_chunk_statement().into()),
        }
    }

    /// The rows of the list of units `ids` (a JSON array).
    async fn read(self, campaign_id: String, ids: String) -> Result<ChunkRows> {
        match self {
            Self::Json(pool, sql) => {
                let row = sqlx::query(crate::trusted(&sql)).bind(campaign_id).bind(ids).fetch_one(&pool).await?;
                let sources = (0..SOURCES.len()).map(|n| {
                    let text: String = row.try_get(n)?;
                    serde_json::from_str(&text).map_err(|e| StoreError::Unreadable(format!("khối dữ liệu không đọc được ({e})")))
                });
                Ok(ChunkRows::Json(sources.collect::<Result<_>>()?))
            }
            Self::Rows(pool, statements) => {
                let reads = statements.iter().map(|sql| sqlx::query(crate::trusted(sql)).bind(&campaign_id).bind(&ids).fetch_all(&pool));
                Ok(ChunkRows::Rows(futures_util::future::try_join_all(reads).await?))
            }
        }
    }
}

/// Adds every row of a list of units to its unit, `units` being the list: source by source, so
/// a unit's lists come before its records.
fn apply_chunk(units: &mut [Unit], chunk: ChunkRows) -> Result<()> {
    match chunk {
        ChunkRows::Json(sources) => {
            for (source, rows) in SOURCES.into_iter().zip(sources) {
                let names = source.statement_columns();
                for values in rows {
                    apply_row(source, units, &JsonRow { names: &names, values: &values })?;
                }
            }
        }
        ChunkRows::Rows(sources) => {
            for (source, rows) in SOURCES.into_iter().zip(sources) {
                let names = source.statement_columns();
                for row in &rows {
                    apply_row(source, units, &Positioned { names: &names, row })?;
                }
            }
        }
    }
    Ok(())
}

/// Adds one row read by a statement of `source` to its unit, `units` being the statement's list.
fn apply_row(source: Source, units: &mut [Unit], row: &impl Cells) -> Result<()> {
    let table = source.table();
    let read = Columns(row);
    let position = read.count("position").map_err(|p| unreadable(table, &read.row_name(), &p))?;
    let Some(unit) = usize::try_from(position).ok().and_then(|p| units.get_mut(p)) else {
        return Err(unreadable(table, &read.row_name(), &format!("vị trí đơn vị {position} ngoài danh sách đã đọc")));
    };
    source.apply(unit, row)
}

/// Reads the facts of every unit under `root` (included) for a campaign, as the rules engine
/// takes them. The root's parent is left out so the subtree stands alone. A row that cannot be
/// read is an error naming it.
pub async fn load(store: &Store, campaign: &CampaignRow, root: &crate::units::UnitRow) -> Result<model::Facts> {
    load_subtrees(store, campaign, &[(root.id.as_str(), root.path.as_str())]).await
}

/// The facts of several subtrees that do not overlap (the communes a stream of writes touched),
/// read together as one forest: each statement once for all of them rather than once per
/// subtree. Each root, given as its id and path, has its parent left out.
pub async fn load_subtrees(store: &Store, campaign: &CampaignRow, roots: &[(&str, &str)]) -> Result<model::Facts> {
    let ranges = roots.iter().map(|(_, path)| crate::subtree(path)).collect();
    let roots: HashSet<&str> = roots.iter().map(|(id, _)| *id).collect();
    load_selected(store, campaign, Selection::Subtrees(ranges), &roots).await
}

/// The facts of the units named (those that exist), each with its parent as stored: to bring
/// facts already in memory up to date after writes to these units.
pub async fn load_units(store: &Store, campaign: &CampaignRow, unit_ids: &[&str]) -> Result<model::Facts> {
    load_selected(store, campaign, Selection::Units(crate::locks::ids_json(unit_ids)), &HashSet::new()).await
}

/// The facts of one list of units (`ids`, a JSON array of the ids of `listed`), each unit's in a
/// unit of its own, in the list's order.
async fn read_list(reader: Reader, campaign_id: String, listed: Vec<usize>, ids: String) -> Result<(Vec<usize>, Vec<Unit>)> {
    let rows = reader.read(campaign_id, ids).await?;
    let mut facts: Vec<Unit> = listed.iter().map(|_| Unit::default()).collect();
    apply_chunk(&mut facts, rows)?;
    Ok((listed, facts))
}

/// Which units [`load_selected`] reads.
enum Selection {
    /// Whole subtrees, each one index range of paths.
    Subtrees(Vec<(String, String)>),
    /// Units by id, as a JSON array.
    Units(String),
}

impl Selection {
    /// The condition on `units`, its parameters numbered from `$first`.
    fn condition(&self, postgres: bool, first: usize) -> String {
        match self {
            Self::Subtrees(ranges) => {
                let one = |i: usize| format!("(path >= ${} AND path < ${})", first + 2 * i, first + 2 * i + 1);
                (0..ranges.len()).map(one).collect::<Vec<_>>().join(" OR ")
            }
            Self::Units(_) => format!("id IN ({})", crate::locks::json_ids(postgres, first)),
        }
    }

    /// The parameters' values, in order.
    fn values(&self) -> Vec<String> {
        match self {
            Self::Subtrees(ranges) => ranges.iter().flat_map(|(from, to)| [from.clone(), to.clone()]).collect(),
            Self::Units(ids) => vec![ids.clone()],
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            Self::Subtrees(ranges) => ranges.is_empty(),
            Self::Units(ids) => ids == "[]",
        }
    }
}

/// The facts of the selected units, the parents of `roots` left out.
async fn load_selected(store: &Store, campaign: &CampaignRow, selection: Selection, roots: &HashSet<&str>) -> Result<model::Facts> {
    let pool = store.pool();
    if selection.is_empty() {
        return Ok(model::Facts { campaign: campaign.to_core(), units: Vec::new() });
    }
    let postgres = store.backend() == Backend::Postgres;
    let values = selection.values();
    // One subtree is read in path order; for several, ordering by path would make SQLite scan
    // the whole path index in order rather than seek each range, so they come in any order.
    let order = if matches!(&selection, Selection::Subtrees(r) if r.len() == 1) { " ORDER BY path" } else { "" };
    let unit_sql =
        format!("SELECT id, name, unit_type, parent_id, attributes FROM units WHERE {}{order}", selection.condition(postgres, 1));
    let mut unit_query = sqlx::query(crate::trusted(&unit_sql));
    for v in &values {
        unit_query = unit_query.bind(v.clone());
    }
    let unit_rows = unit_query.fetch_all(pool).await?;
    let mut units: Vec<Unit> = Vec::with_capacity(unit_rows.len());
    for r in &unit_rows {
        let id: String = r.try_get("id")?;
        let attributes: String = r.try_get("attributes")?;
        let attributes = serde_json::from_str(&attributes).map_err(|e| unreadable("units", &id, &format!("cột attributes: {e}")))?;
        units.push(Unit {
            parent: if roots.contains(id.as_str()) { None } else { r.try_get::<Option<String>, _>("parent_id")?.map(UnitId) },
            id: UnitId(id),
            name: r.try_get("name")?,
            unit_type: r.try_get("unit_type")?,
            attributes,
            ..Unit::default()
        });
    }
    // Every fact row of the campaign of the units read, in lists of UNITS_PER_READ units:
    // chunking by units rather than numbering rows and grouping them spares the database
    // sorting every row of a table, and a unit's position in its list spares reading and
    // looking up each row's unit id. Each list names its units in the order of their ids, the
    // order of the fact tables' indexes: PostgreSQL probing them in that order did the national
    // campaign's reads in 11,4 s of its time rather than 17,7 s in the order of paths
    // (docs/benchmarks.md). Each list is read and its rows decoded on a task of its own, a few
    // at once, so that decoding is not all done on one thread; dropping the set of tasks stops
    // them.
    let reader = Reader::of(store);
    let lists: Vec<(Vec<usize>, String)> = (0..units.len())
        .step_by(UNITS_PER_READ)
        .map(|start| {
            let mut listed: Vec<usize> = (start..units.len().min(start + UNITS_PER_READ)).collect();
            listed.sort_unstable_by(|&a, &b| units[a].id.cmp(&units[b].id));
            let ids: Vec<&str> = listed.iter().map(|&i| units[i].id.0.as_str()).collect();
            (listed, crate::locks::ids_json(&ids))
        })
        .collect();
    let mut lists = lists.into_iter();
    let mut reading = tokio::task::JoinSet::new();
    loop {
        while reading.len() < READS_AT_ONCE {
            let Some((listed, ids)) = lists.next() else { break };
            reading.spawn(read_list(reader.clone(), campaign.id.clone(), listed, ids));
        }
        let Some(joined) = reading.join_next().await else { break };
        let (listed, facts) = match joined {
            Ok(read) => read?,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => return Err(StoreError::Invalid(format!("việc đọc dữ liệu bị dừng: {e}"))),
        };
        for (i, read) in listed.into_iter().zip(facts) {
            units[i].take_facts(read);
        }
    }
    Ok(model::Facts { campaign: campaign.to_core(), units })
}
