//! Imports of whole files (read by `antt-import`): the checks that need the database, reported
//! as row problems like the file's own, then the write of every record in ONE transaction —
//! all or nothing — with a lock check, one audit record for the import, one revision bump and
//! batched inserts. Uploaded files wait for their confirmation in `import_files`.

use std::collections::{BTreeMap, HashMap, HashSet};

use antt_core::fact::{Fact, FactKind};
use antt_import::text::key;
use antt_import::{Kind, Parsed, Problem, Records};
use serde::Serialize;
use sqlx::Row;

use crate::audit::{self, Change};
use crate::batch::{insert_rows, sequential_ids};
use crate::facts::{self as codec, Value};
use crate::locks;
use crate::{Backend, Result, Store, StoreError, Tx, date_text, new_id};

/// The checks a record of a fact must pass, once the unit it goes to is known: given the record
/// and the unit's type, the refused fields (named as the record's fields, e.g. `occurred_on`)
/// with their messages. The application layer supplies it, so a page, the API and an import
/// refuse the same values.
pub type FactCheck<'a> = &'a (dyn Fn(&Fact, &str) -> Vec<(String, String)> + Sync);

/// No check of the records beyond the file's and the database's: for callers that hold the
/// records to the rules themselves (the application layer supplies the real one).
pub const NO_FACT_CHECK: FactCheck<'static> = &|_, _| Vec::new();

/// Where an import goes and who makes it.
#[derive(Clone, Copy)]
pub struct Target<'a> {
    pub campaign_id: &'a str,
    /// The unit whose page (or command) the import is made from: rows may only name units in
    /// its subtree, and a blank unit column means this unit.
    pub root_unit_id: &'a str,
    /// Who imports, for the audit record (`None` for the command line).
    pub user_id: Option<&'a str>,
    /// For the audit record.
    pub file_name: &'a str,
    /// Applied to every incident and discipline record.
    pub check: FactCheck<'a>,
    /// The unit types of the campaign's ruleset that are part of a commune's territory
    /// (residential areas): household lists belong to units of these types.
    pub territorial_types: &'a [String],
}

impl std::fmt::Debug for Target<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("campaign_id", &self.campaign_id)
            .field("root_unit_id", &self.root_unit_id)
            .field("user_id", &self.user_id)
            .field("file_name", &self.file_name)
            .field("territorial_types", &self.territorial_types)
            .finish_non_exhaustive()
    }
}

/// What an import did, or why it wrote nothing.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// Rows written (0 when refused).
    pub imported: usize,
    /// Units the records went to (or were created under).
    pub units: usize,
    /// Problems found against the database; when any, nothing was written.
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone)]
struct KnownUnit {
    id: String,
    name: String,
    unit_type: String,
    path: String,
}

/// The root's subtree, for resolving the names and codes rows give.
struct Directory {
    root: KnownUnit,
    units: Vec<KnownUnit>,
    by_id: HashMap<String, usize>,
    by_code: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
}

impl Directory {
    async fn load(tx: &mut Tx<'_>, target: Target<'_>) -> Result<Self> {
        let campaign = sqlx::query("SELECT c.id, c.year, u.path FROM campaigns c JOIN units u ON u.id = c.scope_unit_id WHERE c.id = $1")
            .bind(target.campaign_id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("đợt phát động `{}`", target.campaign_id)))?;
        let scope_path: String = campaign.try_get("path")?;
        let year: i64 = campaign.try_get("year")?;
        let root = sqlx::query("SELECT id, name, unit_type, path FROM units WHERE id = $1")
            .bind(target.root_unit_id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("đơn vị `{}`", target.root_unit_id)))?;
        let root = KnownUnit {
            id: root.try_get("id")?,
            name: root.try_get("name")?,
            unit_type: root.try_get("unit_type")?,
            path: root.try_get("path")?,
        };
        if !root.path.starts_with(&scope_path) {
            return Err(StoreError::Invalid(format!("{} không thuộc phạm vi của đợt phát động này", root.name)));
        }
        let (from, to) = crate::subtree(&root.path);
        // The units still there at the end of the campaign's year: the communes of a 2013
        // campaign, closed on 30/06/2025, are the ones its rows name (the root among them); a
        // unit merged away or retired during the year is not.
        let rows = sqlx::query(
            "SELECT id, name, unit_type, path, official_code FROM units WHERE path >= $1 AND path < $2 AND (valid_to IS NULL OR valid_to >= $3)",
        )
        .bind(from)
        .bind(to)
        .bind(format!("{year:04}-12-31"))
        .fetch_all(&mut **tx)
        .await?;
        let mut directory = Self { root, units: Vec::new(), by_id: HashMap::new(), by_code: HashMap::new(), by_name: HashMap::new() };
        for r in rows {
            let unit =
                KnownUnit { id: r.try_get("id")?, name: r.try_get("name")?, unit_type: r.try_get("unit_type")?, path: r.try_get("path")? };
            let i = directory.units.len();
            directory.by_id.insert(unit.id.clone(), i);
            if let Some(code) = r.try_get::<Option<String>, _>("official_code")? {
                directory.by_code.insert(code, i);
            }
            directory.by_name.entry(key(&unit.name)).or_default().push(i);
            directory.units.push(unit);
        }
        Ok(directory)
    }

    /// The unit a row names (by id, code or name), or the root when it names none.
    fn resolve(&self, written: Option<&str>) -> Result<&KnownUnit, String> {
        let Some(written) = written else { return Ok(&self.root) };
        if let Some(i) = self.by_id.get(written).or_else(|| self.by_code.get(written)) {
            return Ok(&self.units[*i]);
        }
        match self.by_name.get(&key(written)).map(Vec::as_slice) {
            Some([i]) => Ok(&self.units[*i]),
            Some(many) if many.len() > 1 => {
                Err(format!("có {} đơn vị tên “{written}” trong {}: hãy ghi mã đơn vị thay cho tên", many.len(), self.root.name))
            }
            _ => Err(format!("không có đơn vị “{written}” trong {}", self.root.name)),
        }
    }

    /// `resolve` remembered per distinct text: a large file names the same few units on
    /// every row, and resolving a name folds it every time.
    fn resolve_seen<'d, 'r>(
        &'d self,
        seen: &mut HashMap<Option<&'r str>, Result<&'d KnownUnit, String>>,
        written: Option<&'r str>,
    ) -> Result<&'d KnownUnit, String> {
        seen.entry(written).or_insert_with(|| self.resolve(written)).clone()
    }

    fn name_of<'a>(&'a self, id: &'a str) -> &'a str {
        self.by_id.get(id).map_or(id, |i| self.units[*i].name.as_str())
    }
}

fn problem(row: u32, column: &str, message: String) -> Problem {
    Problem { row, column: Some(column.to_owned()), message }
}

/// The letter and header, in the kind's template, of the column of `field` (a column key, or a
/// record's field as the page names it).
fn column_named(kind: &Kind, field: &str) -> String {
    let (i, column) = kind.column_of_field(field).unwrap_or((0, &kind.columns()[0]));
    format!("{} ({})", antt_import::sheet::column_letter(i), column.header)
}

/// The column a problem about the unit is reported in.
fn unit_column(kind: &Kind) -> String {
    column_named(kind, "unit")
}

/// A row's resolved destination, made by the checks and used by the write.
enum Planned {
    NewUnit {
        id: String,
        code: Option<String>,
        parent_id: String,
        parent_path: String,
    },
    SubUnit {
        unit_id: String,
    },
    Fact {
        unit_id: String,
    },
    /// A row with a problem: nothing is written for it (nor for any other).
    Skip,
}

/// Checks every record against the database and returns the problems (row, column, message)
/// and, when there are none, where each record goes.
async fn plan(tx: &mut Tx<'_>, target: Target<'_>, parsed: &Parsed) -> Result<(Vec<Planned>, Vec<Problem>)> {
    let dir = Directory::load(tx, target).await?;
    let mut problems = Vec::new();
    let mut planned = Vec::with_capacity(parsed.records.len());
    let column_of = |key: &str| {
        let columns = parsed.kind.columns();
        columns
            .iter()
            .position(|c| c.key == key)
            .map(|i| format!("{} ({})", antt_import::sheet::column_letter(i), columns[i].header))
            .unwrap_or_default()
    };
    match &parsed.records {
        Records::Units(records) => {
            let unit_type = parsed.kind.unit_type().unwrap_or_default();
            let type_name = match &parsed.kind {
                Kind::Units(list) => list.name.as_str(),
                _ => unit_type,
            };
            // New units of the file by name and code, for sub-unit rows naming their parent.
            let mut new_units: HashMap<String, (u32, String)> = HashMap::new();
            let mut taken_codes: HashSet<String> = HashSet::new();
            // A row whose "parent" is a commune is a unit of that commune, not a sub-unit.
            let commune_of = |r: &'_ antt_import::UnitRecord| match r.parent.as_deref() {
                None => Some(r.commune.clone()),
                Some(p) => dir.resolve(Some(p)).is_ok_and(|u| u.unit_type == "commune").then(|| Some(p.to_owned())),
            };
            for (r, written) in records.iter().filter_map(|r| commune_of(r).map(|c| (r, c))) {
                let commune = match (&written, dir.root.unit_type.as_str()) {
                    (None, "commune") => Ok(&dir.root),
                    (None, _) => Err(format!("hãy ghi xã, phường, thị trấn của đơn vị (đang nhập từ {})", dir.root.name)),
                    (Some(c), _) => dir.resolve(Some(c)).and_then(|u| {
                        if u.unit_type == "commune" { Ok(u) } else { Err(format!("“{c}” không phải xã, phường, thị trấn")) }
                    }),
                };
                let commune = match commune {
                    Ok(c) => c,
                    Err(m) => {
                        problems.push(problem(r.row, &column_of("commune"), m));
                        planned.push(Planned::Skip);
                        continue;
                    }
                };
                let name_key = key(&r.name);
                let parent = crate::units::Parent { id: &commune.id, name: &commune.name };
                let placed = crate::units::placement_problems(tx, parent, unit_type, &r.name, r.code.as_deref(), None).await?;
                for (field, message) in placed {
                    problems.push(problem(r.row, &column_of(field), message));
                }
                let file_key = format!("{}/{name_key}", commune.id);
                if let Some((first, _)) = new_units.get(&file_key) {
                    problems.push(problem(r.row, &column_of("name"), format!("“{}” đã có ở dòng {first} của tệp", r.name)));
                }
                let id = match &r.code {
                    Some(code) => {
                        if !taken_codes.insert(code.clone()) {
                            problems.push(problem(r.row, &column_of("code"), crate::units::code_taken(code)));
                        }
                        code.clone()
                    }
                    None => new_id(),
                };
                new_units.insert(file_key, (r.row, id.clone()));
                new_units.entry(name_key).or_insert((r.row, id.clone()));
                if let Some(code) = &r.code {
                    new_units.entry(code.clone()).or_insert((r.row, id.clone()));
                }
                planned.push(Planned::NewUnit {
                    id,
                    code: r.code.clone(),
                    parent_id: commune.id.clone(),
                    parent_path: commune.path.clone(),
                });
            }
            // Sub-unit rows, in file order after the units (planned keeps the records' order).
            let mut units_iter = std::mem::take(&mut planned).into_iter();
            for r in records {
                if commune_of(r).is_some() {
                    planned.extend(units_iter.next());
                    continue;
                }
                let written = r.parent.as_deref().unwrap_or_default();
                let in_file = new_units.get(written).or_else(|| new_units.get(&key(written))).map(|(_, id)| id.clone());
                let unit_id = match in_file {
                    Some(id) => Ok(id),
                    None => dir.resolve(Some(written)).and_then(|u| {
                        if u.unit_type == unit_type {
                            Ok(u.id.clone())
                        } else {
                            Err(format!("{} không phải {type_name} nên không có bộ phận trong danh sách {type_name}", u.name))
                        }
                    }),
                };
                match unit_id {
                    Ok(unit_id) => planned.push(Planned::SubUnit { unit_id }),
                    Err(m) => {
                        problems.push(problem(r.row, &column_of("parent"), m));
                        planned.push(Planned::Skip);
                    }
                }
            }
        }
        Records::Households(records) => {
            let mut seen = HashMap::new();
            for r in records {
                match dir.resolve_seen(&mut seen, r.unit.as_deref()) {
                    Ok(u) if !target.territorial_types.contains(&u.unit_type) => {
                        problems.push(problem(
                            r.row,
                            &unit_column(&parsed.kind),
                            format!("{} không phải khu dân cư: danh sách hộ gia đình ký cam kết thuộc từng khu dân cư", u.name),
                        ));
                        planned.push(Planned::Skip);
                    }
                    Ok(u) => planned.push(Planned::Fact { unit_id: u.id.clone() }),
                    Err(m) => {
                        problems.push(problem(r.row, &unit_column(&parsed.kind), m));
                        planned.push(Planned::Skip);
                    }
                }
            }
        }
        Records::Incidents(records) => {
            let rows = records.iter().map(|r| (r.row, r.unit.as_deref(), Fact::Incident(r.incident.clone())));
            fact_rows(&dir, target, &parsed.kind, rows, &mut planned, &mut problems)
        }
        Records::Discipline(records) => {
            let rows = records.iter().map(|r| (r.row, r.unit.as_deref(), Fact::Discipline(r.discipline.clone())));
            fact_rows(&dir, target, &parsed.kind, rows, &mut planned, &mut problems)
        }
    }
    locked_rows(tx, target, &dir, parsed, &planned, &mut problems).await?;
    problems.sort_by(|a, b| (a.row, &a.column).cmp(&(b.row, &b.column)));
    Ok((planned, problems))
}

/// Holds the existing units the rows write to (see `locks`) and reports every row whose unit an
/// issued decision locks. Runs after the units are resolved and before anything is written, in
/// the import's transaction, so a decision issued meanwhile either waits for the import or is
/// seen by it.
async fn locked_rows(
    tx: &mut Tx<'_>,
    target: Target<'_>,
    dir: &Directory,
    parsed: &Parsed,
    planned: &[Planned],
    problems: &mut Vec<Problem>,
) -> Result<()> {
    fn written(p: &Planned) -> Option<&str> {
        match p {
            Planned::Fact { unit_id } | Planned::SubUnit { unit_id } => Some(unit_id.as_str()),
            Planned::NewUnit { .. } | Planned::Skip => None,
        }
    }
    let mut targets: Vec<&str> = planned.iter().filter_map(written).filter(|id| dir.by_id.contains_key(*id)).collect();
    targets.sort_unstable();
    targets.dedup();
    locks::hold(tx, &targets).await?;
    let locked = locks::locked_among(tx, target.campaign_id, &targets).await?;
    if locked.is_empty() {
        return Ok(());
    }
    let (rows, column): (Vec<u32>, String) = match &parsed.records {
        Records::Units(r) => (r.iter().map(|r| r.row).collect(), column_named(&parsed.kind, "parent")),
        Records::Households(r) => (r.iter().map(|r| r.row).collect(), unit_column(&parsed.kind)),
        Records::Incidents(r) => (r.iter().map(|r| r.row).collect(), unit_column(&parsed.kind)),
        Records::Discipline(r) => (r.iter().map(|r| r.row).collect(), unit_column(&parsed.kind)),
    };
    for (row, p) in rows.into_iter().zip(planned) {
        if let Some((id, number)) = written(p).and_then(|id| locked.get(id).map(|n| (id, n))) {
            let message = format!("dữ liệu của {} đã bị khóa bởi quyết định công nhận {number}", dir.name_of(id));
            problems.push(problem(row, &column, message));
        }
    }
    Ok(())
}

fn fact_rows<'a>(
    dir: &Directory,
    target: Target<'_>,
    kind: &Kind,
    rows: impl Iterator<Item = (u32, Option<&'a str>, Fact)>,
    planned: &mut Vec<Planned>,
    problems: &mut Vec<Problem>,
) {
    let mut seen = HashMap::new();
    for (row, unit, fact) in rows {
        match dir.resolve_seen(&mut seen, unit) {
            Ok(u) => {
                for (field, message) in (target.check)(&fact, &u.unit_type) {
                    problems.push(problem(row, &column_named(kind, &field), message));
                }
                planned.push(Planned::Fact { unit_id: u.id.clone() });
            }
            Err(m) => {
                problems.push(problem(row, &unit_column(kind), m));
                planned.push(Planned::Skip);
            }
        }
    }
}

/// The dry run: the problems the database would find, added to `parsed`. Nothing is written.
pub async fn check(store: &Store, target: Target<'_>, parsed: &mut Parsed) -> Result<()> {
    let mut tx = store.begin().await?;
    let (_, problems) = plan(&mut tx, target, parsed).await?;
    tx.rollback().await?;
    for p in problems {
        parsed.push(p);
    }
    parsed.sort_problems();
    Ok(())
}

/// Writes every record of `parsed` in one transaction, after checking them again inside it.
/// Refuses (writing nothing) when the file or the checks found any problem. `progress` is told
/// how many rows have been written so far.
pub async fn import(store: &Store, target: Target<'_>, parsed: &Parsed, progress: &mut (dyn FnMut(usize) + Send)) -> Result<Outcome> {
    if !parsed.is_clean() {
        return Ok(Outcome { imported: 0, units: 0, problems: parsed.problems.clone() });
    }
    let mut tx = store.begin().await?;
    let (planned, problems) = plan(&mut tx, target, parsed).await?;
    if !problems.is_empty() {
        tx.rollback().await?;
        return Ok(Outcome { imported: 0, units: 0, problems });
    }
    let (units, touched) = write(&mut tx, store.backend(), target, parsed, &planned, progress).await?;
    let after = serde_json::json!({ "kind": parsed.kind.code(), "rows": parsed.records.len(), "units": units, "file": target.file_name });
    let change = Change {
        user_id: target.user_id,
        action: "import",
        entity: parsed.kind.code(),
        entity_id: target.root_unit_id,
        unit_id: Some(target.root_unit_id),
        campaign_id: Some(target.campaign_id),
    };
    audit::record(&mut tx, change, None, Some(&after)).await?;
    let touched: Vec<&str> = touched.iter().map(String::as_str).collect();
    locks::touch(&mut tx, target.campaign_id, &touched).await?;
    tx.commit().await?;
    if parsed.records.len() >= BULK_ROWS {
        store.analyze_after_bulk_write().await?;
    }
    Ok(Outcome { imported: parsed.records.len(), units, problems: Vec::new() })
}

/// From how many rows an import counts as bulk, after which PostgreSQL's statistics are
/// refreshed; smaller ones are left to autovacuum.
const BULK_ROWS: usize = 1_000;

/// The columns of a fact table with the row's id, campaign and unit first.
fn fact_columns(kind: FactKind) -> Vec<&'static str> {
    ["id", "campaign_id", "unit_id"].into_iter().chain(codec::columns(kind).iter().copied()).collect()
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(Some(s.into()))
}

fn opt(s: Option<&String>) -> Value {
    Value::Text(s.cloned())
}

fn flag(b: bool) -> Value {
    Value::Int(Some(i64::from(b)))
}

async fn touch_lists(tx: &mut Tx<'_>, campaign_id: &str, units: &HashSet<&str>, list: &str) -> Result<()> {
    for unit_id in units {
        sqlx::query("INSERT INTO fact_lists (campaign_id, unit_id, list) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(campaign_id)
            .bind(*unit_id)
            .bind(list)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Writes the planned records; returns how many units they went to, and the existing units
/// whose facts (or children) changed.
async fn write(
    tx: &mut Tx<'_>,
    backend: Backend,
    target: Target<'_>,
    parsed: &Parsed,
    planned: &[Planned],
    progress: &mut (dyn FnMut(usize) + Send),
) -> Result<(usize, Vec<String>)> {
    let campaign = target.campaign_id;
    let owned = |units: &HashSet<&str>| units.iter().map(|u| (*u).to_owned()).collect::<Vec<_>>();
    let mut new_id = sequential_ids();
    let mut done = 0;
    match &parsed.records {
        Records::Units(records) => {
            let unit_type = parsed.kind.unit_type().unwrap_or_default();
            let mut units = Vec::new();
            let mut sub_units = Vec::new();
            let mut owners = HashSet::new();
            let mut parents = HashSet::new();
            for (r, p) in records.iter().zip(planned) {
                match p {
                    Planned::NewUnit { id, code, parent_id, parent_path } => {
                        parents.insert(parent_id.as_str());
                        units.push(vec![
                            text(id),
                            text(&r.name),
                            text(antt_core::text::fold(&r.name)),
                            text(unit_type),
                            text(parent_id),
                            text(crate::units::child_path(Some(parent_path), id)),
                            opt(code.as_ref()),
                        ]);
                    }
                    Planned::SubUnit { unit_id } => {
                        owners.insert(unit_id.as_str());
                        sub_units.push(vec![
                            text(new_id()),
                            text(campaign),
                            text(unit_id),
                            text(&r.name),
                            opt(r.title.as_ref().map(|t| &t.0)),
                            opt(r.title.as_ref().map(|t| &t.1)),
                        ]);
                    }
                    Planned::Fact { .. } | Planned::Skip => {}
                }
            }
            let new_units = units.len();
            let columns = ["id", "name", "name_folded", "unit_type", "parent_id", "path", "official_code"];
            insert_rows(tx, backend, "units", &columns, &mut units.into_iter(), progress, &mut done).await?;
            insert_rows(
                tx,
                backend,
                "sub_units",
                &["id", "campaign_id", "unit_id", "name", "scale", "level"],
                &mut sub_units.into_iter(),
                progress,
                &mut done,
            )
            .await?;
            touch_lists(tx, campaign, &owners, "sub_units").await?;
            let new_ids: HashSet<&str> =
                planned.iter().filter_map(|p| if let Planned::NewUnit { id, .. } = p { Some(id.as_str()) } else { None }).collect();
            let touched: HashSet<&str> = owners.iter().chain(&parents).copied().filter(|u| !new_ids.contains(u)).collect();
            Ok((new_units + owners.len(), owned(&touched)))
        }
        Records::Households(records) => {
            let mut by_unit: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
            for (r, p) in records.iter().zip(planned) {
                let Planned::Fact { unit_id } = p else { continue };
                let counts = by_unit.entry(unit_id).or_default();
                counts.0 += i64::from(r.signed);
                counts.1 += 1;
            }
            // The file is the whole list of each unit it names: the old list goes.
            for unit_id in by_unit.keys() {
                sqlx::query("DELETE FROM household_commitments WHERE campaign_id = $1 AND unit_id = $2")
                    .bind(campaign)
                    .bind(*unit_id)
                    .execute(&mut **tx)
                    .await?;
            }
            let mut rows = records.iter().zip(planned).filter_map(|(r, p)| {
                let Planned::Fact { unit_id } = p else { return None };
                Some(vec![
                    text(new_id()),
                    text(campaign),
                    text(unit_id),
                    text(&r.head),
                    opt(r.address.as_ref()),
                    flag(r.signed),
                    Value::Text(r.signed_on.map(date_text)),
                    opt(r.note.as_ref()),
                ])
            });
            let columns = ["id", "campaign_id", "unit_id", "household_head", "address", "signed", "signed_on", "note"];
            insert_rows(tx, backend, "household_commitments", &columns, &mut rows, progress, &mut done).await?;
            // The unit's commitment counts follow the list.
            for (unit_id, (signed, total)) in &by_unit {
                let updated = sqlx::query("UPDATE commitments SET signed = $1, total = $2, version = version + 1 WHERE campaign_id = $3 AND unit_id = $4 AND group_code = 'households'")
                    .bind(*signed)
                    .bind(*total)
                    .bind(campaign)
                    .bind(*unit_id)
                    .execute(&mut **tx)
                    .await?;
                if updated.rows_affected() == 0 {
                    sqlx::query("INSERT INTO commitments (id, campaign_id, unit_id, group_code, signed, total) VALUES ($1, $2, $3, 'households', $4, $5)")
                        .bind(new_id())
                        .bind(campaign)
                        .bind(*unit_id)
                        .bind(*signed)
                        .bind(*total)
                        .execute(&mut **tx)
                        .await?;
                }
            }
            let units: HashSet<&str> = by_unit.keys().copied().collect();
            touch_lists(tx, campaign, &units, "commitments").await?;
            Ok((units.len(), owned(&units)))
        }
        Records::Incidents(records) => {
            let mut units = HashSet::new();
            let mut rows = Vec::with_capacity(records.len());
            for (r, p) in records.iter().zip(planned) {
                let Planned::Fact { unit_id } = p else { continue };
                units.insert(unit_id.as_str());
                let mut row = vec![text(new_id()), text(campaign), text(unit_id)];
                row.extend(codec::encode(&Fact::Incident(r.incident.clone())));
                rows.push(row);
            }
            let columns = fact_columns(FactKind::Incidents);
            insert_rows(tx, backend, "incidents", &columns, &mut rows.into_iter(), progress, &mut done).await?;
            touch_lists(tx, campaign, &units, "incidents").await?;
            Ok((units.len(), owned(&units)))
        }
        Records::Discipline(records) => {
            let mut units = HashSet::new();
            let mut rows = Vec::with_capacity(records.len());
            for (r, p) in records.iter().zip(planned) {
                let Planned::Fact { unit_id } = p else { continue };
                units.insert(unit_id.as_str());
                let mut row = vec![text(new_id()), text(campaign), text(unit_id)];
                row.extend(codec::encode(&Fact::Discipline(r.discipline.clone())));
                rows.push(row);
            }
            let columns = fact_columns(FactKind::Discipline);
            insert_rows(tx, backend, "discipline", &columns, &mut rows.into_iter(), progress, &mut done).await?;
            touch_lists(tx, campaign, &units, "discipline").await?;
            Ok((units.len(), owned(&units)))
        }
    }
}

/// One household of a unit's list, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Household {
    pub household_head: String,
    pub address: Option<String>,
    pub signed: bool,
    pub signed_on: Option<String>,
    pub note: Option<String>,
}

/// A unit's household commitment list, in the order it was imported.
pub async fn households(store: &Store, campaign_id: &str, unit_id: &str) -> Result<Vec<Household>> {
    let rows = sqlx::query("SELECT household_head, address, signed, signed_on, note FROM household_commitments WHERE campaign_id = $1 AND unit_id = $2 ORDER BY id")
        .bind(campaign_id)
        .bind(unit_id)
        .fetch_all(store.pool())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Household {
                household_head: r.try_get("household_head")?,
                address: r.try_get("address")?,
                signed: r.try_get::<i64, _>("signed")? != 0,
                signed_on: r.try_get("signed_on")?,
                note: r.try_get("note")?,
            })
        })
        .collect()
}
