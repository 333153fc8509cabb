//! A campaign's facts: written record by record with a version check, a lock check, an audit
//! record and a revision bump in one transaction; read back for a whole subtree as the rules
//! engine's `Facts`.

use std::collections::{BTreeMap, HashMap};

use antt_core::model::{self, Commitment, Discipline, Document, Incident, Judgement, Scores, SubUnit, SubUnitTitle, Title, Unit, UnitId};
use antt_core::scoring::Points;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, Change};
use crate::campaigns::{CampaignRow, bump_revision};
use crate::{Result, Store, StoreError, Tx, new_id, now, parse_date};

/// The kinds of records a unit keeps for a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Document,
    Commitment,
    Incident,
    Discipline,
    Title,
    SubUnit,
}

impl Kind {
    pub fn table(self) -> &'static str {
        match self {
            Self::Document => "documents",
            Self::Commitment => "commitments",
            Self::Incident => "incidents",
            Self::Discipline => "discipline",
            Self::Title => "titles",
            Self::SubUnit => "sub_units",
        }
    }

    /// The fact list a record of this kind belongs to (see `fact_lists`).
    pub fn list(self) -> &'static str {
        self.table()
    }

    /// The columns a user edits, in form order.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Self::Document => &["kind", "number", "issued_on"],
            Self::Commitment => &["group_code", "signed", "total"],
            Self::Incident => {
                &["kind", "occurred_on", "severity", "in_territory", "by_own_people", "force_majeure", "reported_promptly", "note"]
            }
            Self::Discipline => &["force_code", "level", "decided_on", "person"],
            Self::Title => &["force_code", "scale", "level"],
            Self::SubUnit => &["name", "scale", "level"],
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Document, Self::Commitment, Self::Incident, Self::Discipline, Self::Title, Self::SubUnit]
            .into_iter()
            .find(|k| k.table() == s)
    }
}

/// A column value: text or integer, either possibly empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Text(Option<String>),
    Int(Option<i64>),
}

impl Value {
    pub fn text(s: impl Into<String>) -> Self {
        Self::Text(Some(s.into()))
    }

    pub fn as_text(&self) -> Option<&str> {
        match self {
            Self::Text(t) => t.as_deref(),
            Self::Int(_) => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Self::Int(i) => *i,
            Self::Text(_) => None,
        }
    }
}

/// One stored record of a kind.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    pub id: String,
    pub version: i64,
    pub values: BTreeMap<String, Value>,
}

impl Record {
    pub fn text(&self, column: &str) -> Option<&str> {
        self.values.get(column).and_then(Value::as_text)
    }

    pub fn int(&self, column: &str) -> Option<i64> {
        self.values.get(column).and_then(Value::as_int)
    }
}

/// Who is writing, for the audit log.
#[derive(Debug, Clone, Copy)]
pub struct Writer<'a> {
    pub user_id: &'a str,
    pub campaign_id: &'a str,
    pub unit_id: &'a str,
}

/// Fails with `Locked` when an issued decision froze the unit's facts.
pub async fn ensure_unlocked(tx: &mut Tx<'_>, campaign_id: &str, unit_id: &str) -> Result<()> {
    let row =
        sqlx::query("SELECT d.number FROM locks l JOIN decisions d ON d.id = l.decision_id WHERE l.campaign_id = $1 AND l.unit_id = $2")
            .bind(campaign_id)
            .bind(unit_id)
            .fetch_optional(&mut **tx)
            .await?;
    match row {
        Some(r) => Err(StoreError::Locked(r.try_get("number")?)),
        None => Ok(()),
    }
}

async fn touched(tx: &mut Tx<'_>, w: Writer<'_>, list: &str) -> Result<()> {
    sqlx::query("INSERT INTO fact_lists (campaign_id, unit_id, list) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(w.campaign_id)
        .bind(w.unit_id)
        .bind(list)
        .execute(&mut **tx)
        .await?;
    bump_revision(tx, w.campaign_id).await
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

fn values_json(values: &BTreeMap<String, Value>) -> serde_json::Value {
    serde_json::to_value(values).unwrap_or_default()
}

fn check_columns(kind: Kind, values: &BTreeMap<String, Value>) -> Result<()> {
    for column in values.keys() {
        if !kind.columns().contains(&column.as_str()) {
            return Err(StoreError::Invalid(format!("cột `{column}` không thuộc {}", kind.table())));
        }
    }
    Ok(())
}

/// Adds a record and returns its id.
pub async fn insert(tx: &mut Tx<'_>, w: Writer<'_>, kind: Kind, values: &BTreeMap<String, Value>) -> Result<String> {
    check_columns(kind, values)?;
    ensure_unlocked(tx, w.campaign_id, w.unit_id).await?;
    let id = new_id();
    let columns: Vec<&str> = values.keys().map(String::as_str).collect();
    let placeholders: Vec<String> = (4..4 + columns.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "INSERT INTO {} (id, campaign_id, unit_id{}{}) VALUES ($1, $2, $3{}{})",
        kind.table(),
        if columns.is_empty() { "" } else { ", " },
        columns.join(", "),
        if columns.is_empty() { "" } else { ", " },
        placeholders.join(", ")
    );
    let mut q = sqlx::query(crate::trusted(&sql)).bind(id.clone()).bind(w.campaign_id.to_owned()).bind(w.unit_id.to_owned());
    for v in values.values() {
        q = bind_value(q, v);
    }
    q.execute(&mut **tx).await.map_err(unique_violation)?;
    let change = Change {
        user_id: Some(w.user_id),
        action: "create",
        entity: kind.table(),
        entity_id: &id,
        unit_id: Some(w.unit_id),
        campaign_id: Some(w.campaign_id),
    };
    audit::record(tx, change, None, Some(&values_json(values))).await?;
    touched(tx, w, kind.list()).await?;
    Ok(id)
}

/// Changes a record if nobody changed it since `expected_version` was read.
pub async fn update(
    tx: &mut Tx<'_>,
    w: Writer<'_>,
    kind: Kind,
    id: &str,
    expected_version: i64,
    values: &BTreeMap<String, Value>,
) -> Result<()> {
    check_columns(kind, values)?;
    ensure_unlocked(tx, w.campaign_id, w.unit_id).await?;
    let before = get_in(tx, kind, w, id).await?.ok_or_else(|| StoreError::NotFound("bản ghi".into()))?;
    if before.version != expected_version {
        return Err(StoreError::Conflict);
    }
    let sets: Vec<String> = values.keys().enumerate().map(|(i, c)| format!("{c} = ${}", i + 3)).collect();
    let sql = format!(
        "UPDATE {} SET {}version = version + 1 WHERE id = $1 AND version = $2",
        kind.table(),
        sets.iter().map(|s| format!("{s}, ")).collect::<String>()
    );
    let mut q = sqlx::query(crate::trusted(&sql)).bind(id.to_owned()).bind(expected_version);
    for v in values.values() {
        q = bind_value(q, v);
    }
    if q.execute(&mut **tx).await.map_err(unique_violation)?.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    let change = Change {
        user_id: Some(w.user_id),
        action: "update",
        entity: kind.table(),
        entity_id: id,
        unit_id: Some(w.unit_id),
        campaign_id: Some(w.campaign_id),
    };
    audit::record(tx, change, Some(&values_json(&before.values)), Some(&values_json(values))).await?;
    touched(tx, w, kind.list()).await
}

/// Removes a record if nobody changed it since `expected_version` was read.
pub async fn delete(tx: &mut Tx<'_>, w: Writer<'_>, kind: Kind, id: &str, expected_version: i64) -> Result<()> {
    ensure_unlocked(tx, w.campaign_id, w.unit_id).await?;
    let before = get_in(tx, kind, w, id).await?.ok_or_else(|| StoreError::NotFound("bản ghi".into()))?;
    let sql = format!("DELETE FROM {} WHERE id = $1 AND version = $2", kind.table());
    if sqlx::query(crate::trusted(&sql)).bind(id).bind(expected_version).execute(&mut **tx).await?.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    let change = Change {
        user_id: Some(w.user_id),
        action: "delete",
        entity: kind.table(),
        entity_id: id,
        unit_id: Some(w.unit_id),
        campaign_id: Some(w.campaign_id),
    };
    audit::record(tx, change, Some(&values_json(&before.values)), None).await?;
    touched(tx, w, kind.list()).await
}

/// Declares a list complete although it has no records ("không có vụ việc nào").
pub async fn declare_complete(tx: &mut Tx<'_>, w: Writer<'_>, kind: Kind) -> Result<()> {
    ensure_unlocked(tx, w.campaign_id, w.unit_id).await?;
    let change = Change {
        user_id: Some(w.user_id),
        action: "declare_complete",
        entity: kind.table(),
        entity_id: w.unit_id,
        unit_id: Some(w.unit_id),
        campaign_id: Some(w.campaign_id),
    };
    audit::record(tx, change, None, None).await?;
    touched(tx, w, kind.list()).await
}

fn unique_violation(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Invalid("bản ghi này đã có (trùng nhóm hoặc trùng mã)".into()),
        _ => StoreError::Database(e),
    }
}

fn record_from_row(kind: Kind, r: &AnyRow) -> Result<Record> {
    let mut values = BTreeMap::new();
    for c in kind.columns() {
        let v = if is_int_column(c) { Value::Int(r.try_get(*c)?) } else { Value::Text(r.try_get(*c)?) };
        values.insert((*c).to_owned(), v);
    }
    Ok(Record { id: r.try_get("id")?, version: r.try_get("version")?, values })
}

fn is_int_column(c: &str) -> bool {
    matches!(c, "signed" | "total" | "in_territory" | "by_own_people" | "force_majeure" | "reported_promptly")
}

async fn get_in(tx: &mut Tx<'_>, kind: Kind, w: Writer<'_>, id: &str) -> Result<Option<Record>> {
    let sql = format!(
        "SELECT id, version, {} FROM {} WHERE id = $1 AND campaign_id = $2 AND unit_id = $3",
        kind.columns().join(", "),
        kind.table()
    );
    let row = sqlx::query(crate::trusted(&sql)).bind(id).bind(w.campaign_id).bind(w.unit_id).fetch_optional(&mut **tx).await?;
    row.as_ref().map(|r| record_from_row(kind, r)).transpose()
}

/// The records of one kind of one unit in a campaign, oldest first.
pub async fn list(store: &Store, campaign_id: &str, unit_id: &str, kind: Kind) -> Result<Vec<Record>> {
    let sql = format!(
        "SELECT id, version, {} FROM {} WHERE campaign_id = $1 AND unit_id = $2 ORDER BY id",
        kind.columns().join(", "),
        kind.table()
    );
    let rows = sqlx::query(crate::trusted(&sql)).bind(campaign_id).bind(unit_id).fetch_all(store.pool()).await?;
    rows.iter().map(|r| record_from_row(kind, r)).collect()
}

/// Sets a yes/no condition of a unit (e.g. whether a party organisation exists).
pub async fn set_flag(tx: &mut Tx<'_>, w: Writer<'_>, flag: &str, value: bool) -> Result<()> {
    ensure_unlocked(tx, w.campaign_id, w.unit_id).await?;
    sqlx::query("DELETE FROM unit_flags WHERE campaign_id = $1 AND unit_id = $2 AND flag = $3")
        .bind(w.campaign_id)
        .bind(w.unit_id)
        .bind(flag)
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO unit_flags (campaign_id, unit_id, flag, value) VALUES ($1, $2, $3, $4)")
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
    bump_revision(tx, w.campaign_id).await
}

/// Sets the previous year's count of one kind of incident.
pub async fn set_previous_year(tx: &mut Tx<'_>, w: Writer<'_>, kind: &str, count: u32) -> Result<()> {
    ensure_unlocked(tx, w.campaign_id, w.unit_id).await?;
    sqlx::query("DELETE FROM previous_year_counts WHERE campaign_id = $1 AND unit_id = $2 AND kind = $3")
        .bind(w.campaign_id)
        .bind(w.unit_id)
        .bind(kind)
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO previous_year_counts (campaign_id, unit_id, kind, count) VALUES ($1, $2, $3, $4)")
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
    fn code(self) -> &'static str {
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
    sqlx::query("DELETE FROM scores WHERE campaign_id = $1 AND unit_id = $2 AND source = $3 AND item = $4")
        .bind(w.campaign_id)
        .bind(w.unit_id)
        .bind(source.code())
        .bind(item)
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO scores (campaign_id, unit_id, source, item, points, note, scored_by, scored_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
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
    bump_revision(tx, w.campaign_id).await
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
    sqlx::query("DELETE FROM judgements WHERE campaign_id = $1 AND unit_id = $2 AND criterion = $3 AND part = $4")
        .bind(w.campaign_id)
        .bind(w.unit_id)
        .bind(j.criterion)
        .bind(j.part)
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO judgements (id, campaign_id, unit_id, criterion, part, met, note, inspector, judged_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(new_id())
        .bind(w.campaign_id)
        .bind(w.unit_id)
        .bind(j.criterion)
        .bind(j.part)
        .bind(i64::from(j.met))
        .bind(j.note)
        .bind(j.inspector)
        .bind(crate::date_text(j.on))
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
    bump_revision(tx, w.campaign_id).await
}

/// Reads the facts of every unit under `root` (included) for a campaign, as the rules engine
/// takes them. The root's parent is left out so the subtree stands alone.
pub async fn load(store: &Store, campaign: &CampaignRow, root: &crate::units::UnitRow) -> Result<model::Facts> {
    let pool = store.pool();
    let like = format!("{}%", root.path);
    let unit_rows = sqlx::query("SELECT id, name, unit_type, parent_id, attributes FROM units WHERE path LIKE $1 ORDER BY path")
        .bind(&like)
        .fetch_all(pool)
        .await?;
    let mut units: Vec<Unit> = Vec::with_capacity(unit_rows.len());
    let mut index: HashMap<String, usize> = HashMap::with_capacity(unit_rows.len());
    for r in &unit_rows {
        let id: String = r.try_get("id")?;
        let attributes: String = r.try_get("attributes")?;
        index.insert(id.clone(), units.len());
        units.push(Unit {
            parent: if id == root.id { None } else { r.try_get::<Option<String>, _>("parent_id")?.map(UnitId) },
            id: UnitId(id),
            name: r.try_get("name")?,
            unit_type: r.try_get("unit_type")?,
            attributes: serde_json::from_str(&attributes).unwrap_or_default(),
            ..Unit::default()
        });
    }
    let scoped = |table: &str, columns: &str| {
        format!("SELECT x.unit_id, {columns} FROM {table} x JOIN units u ON u.id = x.unit_id WHERE x.campaign_id = $1 AND u.path LIKE $2")
    };
    let fetch = |sql: String| {
        let like = like.clone();
        let campaign_id = campaign.id.clone();
        async move { sqlx::query(crate::trusted(&sql)).bind(campaign_id).bind(like).fetch_all(pool).await }
    };
    let unit_of = |r: &AnyRow| -> Result<Option<usize>> { Ok(index.get(&r.try_get::<String, _>("unit_id")?).copied()) };

    for r in fetch(scoped("fact_lists", "x.list")).await? {
        let Some(i) = unit_of(&r)? else { continue };
        let u = &mut units[i];
        match r.try_get::<String, _>("list")?.as_str() {
            "documents" => u.documents = Some(Vec::new()),
            "commitments" => u.commitments = Some(Vec::new()),
            "incidents" => u.incidents = Some(Vec::new()),
            "discipline" => u.discipline = Some(Vec::new()),
            "titles" => u.titles = Some(Vec::new()),
            "sub_units" => u.sub_units = Some(Vec::new()),
            "previous_year" => u.previous_year = Some(BTreeMap::new()),
            _ => {}
        }
    }
    for r in fetch(scoped("unit_flags", "x.flag, x.value")).await? {
        let Some(i) = unit_of(&r)? else { continue };
        units[i].flags.insert(r.try_get("flag")?, r.try_get::<i64, _>("value")? != 0);
    }
    for r in fetch(scoped("registrations", "x.registered_on, x.status")).await? {
        let Some(i) = unit_of(&r)? else { continue };
        if r.try_get::<String, _>("status")? == "submitted" {
            let date = r.try_get::<Option<String>, _>("registered_on")?.map(|d| parse_date(&d)).transpose()?;
            units[i].documents.get_or_insert_with(Vec::new).push(Document {
                kind: antt_core::eval::REGISTRATION.into(),
                date,
                number: None,
            });
        }
    }
    for r in fetch(scoped("documents", "x.kind, x.number, x.issued_on")).await? {
        let Some(i) = unit_of(&r)? else { continue };
        let date = r.try_get::<Option<String>, _>("issued_on")?.map(|d| parse_date(&d)).transpose()?;
        units[i].documents.get_or_insert_with(Vec::new).push(Document { kind: r.try_get("kind")?, date, number: r.try_get("number")? });
    }
    for r in fetch(scoped("commitments", "x.group_code, x.signed, x.total")).await? {
        let Some(i) = unit_of(&r)? else { continue };
        let count = |c: &str| -> Result<u32> { Ok(u32::try_from(r.try_get::<i64, _>(c)?).unwrap_or(0)) };
        units[i].commitments.get_or_insert_with(Vec::new).push(Commitment {
            group: r.try_get("group_code")?,
            also_groups: Vec::new(),
            signed: count("signed")?,
            total: count("total")?,
        });
    }
    for r in fetch(scoped(
        "incidents",
        "x.kind, x.occurred_on, x.severity, x.in_territory, x.by_own_people, x.force_majeure, x.reported_promptly, x.note",
    ))
    .await?
    {
        let Some(i) = unit_of(&r)? else { continue };
        let severity = r.try_get::<Option<String>, _>("severity")?.and_then(|s| parse_enum::<model::Severity>(&s));
        units[i].incidents.get_or_insert_with(Vec::new).push(Incident {
            kind: r.try_get("kind")?,
            date: parse_date(&r.try_get::<String, _>("occurred_on")?)?,
            severity,
            harm: None,
            domain: None,
            group: None,
            in_territory: r.try_get::<i64, _>("in_territory")? != 0,
            by_own_people: r.try_get::<i64, _>("by_own_people")? != 0,
            force_majeure: r.try_get::<i64, _>("force_majeure")? != 0,
            reported_promptly: r.try_get::<Option<i64>, _>("reported_promptly")?.map(|v| v != 0),
            note: r.try_get("note")?,
        });
    }
    for r in fetch(scoped("previous_year_counts", "x.kind, x.count")).await? {
        let Some(i) = unit_of(&r)? else { continue };
        let count = u32::try_from(r.try_get::<i64, _>("count")?).unwrap_or(0);
        units[i].previous_year.get_or_insert_with(BTreeMap::new).insert(r.try_get("kind")?, count);
    }
    for r in fetch(scoped("discipline", "x.force_code, x.level, x.decided_on, x.person")).await? {
        let Some(i) = unit_of(&r)? else { continue };
        let Some(level) = parse_enum::<model::DisciplineLevel>(&r.try_get::<String, _>("level")?) else { continue };
        units[i].discipline.get_or_insert_with(Vec::new).push(Discipline {
            force: r.try_get("force_code")?,
            also_forces: Vec::new(),
            level,
            date: parse_date(&r.try_get::<String, _>("decided_on")?)?,
            person: r.try_get("person")?,
        });
    }
    for r in fetch(scoped("titles", "x.force_code, x.scale, x.level")).await? {
        let Some(i) = unit_of(&r)? else { continue };
        units[i].titles.get_or_insert_with(Vec::new).push(Title {
            force: r.try_get("force_code")?,
            scale: r.try_get("scale")?,
            level: r.try_get("level")?,
        });
    }
    for r in fetch(scoped("sub_units", "x.name, x.scale, x.level")).await? {
        let Some(i) = unit_of(&r)? else { continue };
        let title = match (r.try_get::<Option<String>, _>("scale")?, r.try_get::<Option<String>, _>("level")?) {
            (Some(scale), Some(level)) => vec![SubUnitTitle { scale, level }],
            _ => Vec::new(),
        };
        units[i].sub_units.get_or_insert_with(Vec::new).push(SubUnit { name: r.try_get("name")?, titles: title });
    }
    for r in fetch(scoped("judgements", "x.criterion, x.part, x.met, x.note, x.inspector, x.judged_on")).await? {
        let Some(i) = unit_of(&r)? else { continue };
        units[i].judgements.push(Judgement {
            criterion: r.try_get("criterion")?,
            part: r.try_get("part")?,
            met: r.try_get::<i64, _>("met")? != 0,
            inspector: Some(r.try_get("inspector")?),
            date: Some(parse_date(&r.try_get::<String, _>("judged_on")?)?),
            note: r.try_get("note")?,
        });
    }
    for r in fetch(scoped("scores", "x.source, x.item, x.points")).await? {
        let Some(i) = unit_of(&r)? else { continue };
        let points = Points::from_tenths(u32::try_from(r.try_get::<i64, _>("points")?).unwrap_or(0));
        let scores = units[i].scores.get_or_insert_with(Scores::default);
        let item: String = r.try_get("item")?;
        if r.try_get::<String, _>("source")? == "reviewed" {
            scores.reviewed.get_or_insert_with(BTreeMap::new).insert(item, points);
        } else {
            scores.self_assessed.insert(item, points);
        }
    }
    Ok(model::Facts { campaign: campaign.to_core(), units })
}

/// Reads a snake_case code into one of the core enums.
pub fn parse_enum<T: serde::de::DeserializeOwned>(code: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(code.to_owned())).ok()
}
