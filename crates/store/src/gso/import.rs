//! Both GSO lists into the unit tree, time-versioned: the tree of 04/01/2025 (province →
//! district → commune) valid until 30/06/2025, the tree from 01/07/2025 (province → commune)
//! valid from then, and successor links from each old unit to the new ones it went into.
//!
//! Ids. Old units keep their official codes as ids ('86', '857', '29578'), as before. New units'
//! codes reuse old ones (new Vĩnh Long is 86 too, new Bắc Ninh is old Bắc Giang's 24), so their
//! ids are the code after the year the tree took effect: '2025-86', '2025-29557'.
//!
//! Links. Every old commune named in the conversion list gets one link to each new commune it
//! went into, whole or in part (table `unit_successors`); an old district or province gets one to
//! each new province its communes went into (all went whole into one). An island district that
//! became a special zone links to the zone. `units.successor_id` holds the main successor: the
//! one the unit went into whole, else the one that took its whole population, else the one with
//! its place name ("Xã Ngãi Tứ" for old Xã Ngãi Tứ, split between it and Phường Cái Vồn), else
//! the one that kept its code, else the first listed.
//!
//! Matching. The conversion list names old communes by code and name; the code wins, except
//! where the name is another commune of the same district (the list copied a neighbour's code,
//! e.g. "Xã Đặng Xá, 00553" where 00553 is Xã Cổ Bi and Đặng Xá is 00556). Rows whose old unit
//! is not in the list of 04/01/2025 (wards renumbered or created in 2025) and old communes the
//! conversion list never names are reported as warnings; nothing else is guessed.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use antt_core::text::fold;
use serde::Serialize;
use sqlx::Row;

use super::reorg::{self, ReorgRow};
use super::{self as gso, CommuneRow};
use crate::audit::{self, Change};
use crate::units::{NewUnit, child_path};
use crate::{Result, Store, StoreError, Tx};

/// The last day of the old tree and the first of the new.
pub const OLD_VALID_TO: &str = "2025-06-30";
pub const NEW_VALID_FROM: &str = "2025-07-01";

/// The id of a unit of the tree from 01/07/2025 with this official code.
pub fn new_id(code: &str) -> String {
    format!("2025-{code}")
}

/// The two official lists, read.
#[derive(Debug, Clone)]
pub struct Lists {
    pub old: Vec<CommuneRow>,
    pub reorg: Vec<ReorgRow>,
}

impl Lists {
    /// The lists shipped in the binary.
    pub fn shipped() -> Result<Self> {
        Ok(Self { old: gso::parse(gso::COMMUNES_2025_01_04)?, reorg: reorg::parse(reorg::CONVERSION_2025_07)? })
    }
}

/// An old unit and one new unit it went into.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Link {
    pub unit_id: String,
    pub successor_id: String,
    pub whole: bool,
    /// The conversion list's note ("Nhập toàn bộ", "Nhập một phần diện tích"…); for districts
    /// and provinces, whether all or part of their communes went there.
    pub note: String,
}

/// What an import writes: units parents first (the new tree, then the old one, whose successor
/// ids point into it), links, and what could not be matched.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub units: Vec<NewUnit>,
    pub links: Vec<Link>,
    pub warnings: Vec<String>,
    /// The province codes asked for; empty for the whole country.
    pub provinces: Vec<String>,
}

/// How many units of each tree and level a plan holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub old_provinces: usize,
    pub old_districts: usize,
    pub old_communes: usize,
    pub new_provinces: usize,
    pub new_communes: usize,
    pub links: usize,
}

impl Plan {
    pub fn counts(&self) -> Counts {
        let mut c = Counts { links: self.links.len(), ..Counts::default() };
        for u in &self.units {
            let new = u.valid_from.is_some();
            match (new, u.unit_type.as_str()) {
                (false, "province") => c.old_provinces += 1,
                (false, "district") => c.old_districts += 1,
                (false, _) => c.old_communes += 1,
                (true, "province") => c.new_provinces += 1,
                (true, _) => c.new_communes += 1,
            }
        }
        c
    }
}

/// The old unit a conversion row names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Old<'a> {
    Commune(&'a str),
    /// A whole district (the island districts that became special zones).
    District(&'a str),
}

/// One resolved row: an old unit into a new commune.
#[derive(Debug, Clone)]
struct Flow<'a> {
    old: Old<'a>,
    row: &'a ReorgRow,
}

/// A link before it is chosen or written: the key that picks the main successor sorts first.
#[derive(Debug, Clone)]
struct Candidate {
    link: Link,
    /// Lower is more the main successor: whole, took the whole population, same place name,
    /// same code, most communes (for districts and provinces), listed first.
    rank: (bool, bool, bool, bool, std::cmp::Reverse<usize>, usize),
}

/// A unit's name without its level, folded: "Thị trấn Trà Ôn" and "Xã Trà Ôn" are one place.
fn place(name: &str) -> String {
    let name = ["Thị trấn ", "Phường ", "Xã ", "Đặc khu "].into_iter().find_map(|p| name.strip_prefix(p)).unwrap_or(name);
    fold(name)
}

/// What `plan` needs from the old list.
struct OldIndex<'a> {
    communes: HashMap<&'a str, &'a CommuneRow>,
    /// District code → province code.
    districts: HashMap<&'a str, &'a str>,
    /// (district code, folded name) → commune codes.
    by_name: HashMap<(&'a str, String), Vec<&'a str>>,
}

impl<'a> OldIndex<'a> {
    fn new(rows: &'a [CommuneRow]) -> Self {
        let mut index = Self { communes: HashMap::new(), districts: HashMap::new(), by_name: HashMap::new() };
        for r in rows {
            index.districts.insert(&r.district_code, &r.province_code);
            if !r.code.is_empty() {
                index.communes.insert(&r.code, r);
                index.by_name.entry((&r.district_code, fold(&r.name))).or_default().push(&r.code);
            }
        }
        index
    }

    /// The old unit a row names (with a warning when its code was corrected), or why none can
    /// be linked.
    fn resolve(&self, row: &'a ReorgRow) -> std::result::Result<(Old<'a>, Option<String>), String> {
        let Some(code) = row.old_code.as_deref() else {
            if row.old_name.is_empty() && self.districts.contains_key(row.old_district_code.as_str()) {
                return Ok((Old::District(&row.old_district_code), None));
            }
            return Err(format!("dòng {}: `{}` không có mã nên không liên kết với {}", row.line, row.old_name, row.new_name));
        };
        let name = fold(&row.old_name);
        let listed = self.communes.get(code);
        if listed.is_some_and(|c| fold(&c.name) == name) {
            return Ok((Old::Commune(code), None));
        }
        if let Some([other]) = self.by_name.get(&(row.old_district_code.as_str(), name)).map(Vec::as_slice) {
            let was = listed.map_or_else(|| "không có trong danh mục ngày 04/01/2025".to_owned(), |c| format!("là mã của {}", c.name));
            let why = format!(
                "dòng {}: mã {code} của `{}` {was}; dùng mã {other} theo tên trong {}",
                row.line, row.old_name, row.old_district_name
            );
            return Ok((Old::Commune(other), Some(why)));
        }
        match listed {
            // Spelt or renamed otherwise ("Xã EaBia" and "Xã Ea Bia"): the code decides.
            Some(_) => Ok((Old::Commune(code), None)),
            None => Err(format!(
                "dòng {}: xã cũ `{}` mã {code} không có trong danh mục ngày 04/01/2025 nên không liên kết với {}",
                row.line, row.old_name, row.new_name
            )),
        }
    }
}

/// The units and links to import for some provinces (codes of either tree; empty: the whole
/// country). An old province brings its tree and every new unit its units went into; a new
/// province brings its tree and every old unit that went into it, with their districts and
/// provinces; every old unit brought comes with all its successors, so its links are complete
/// whatever was asked. A code of both trees (86) brings both.
pub fn plan(lists: &Lists, provinces: &[String]) -> Result<Plan> {
    let index = OldIndex::new(&lists.old);
    let mut warnings: Vec<(Option<&str>, String)> = Vec::new();
    let mut flows: Vec<Flow<'_>> = Vec::new();
    for row in &lists.reorg {
        match index.resolve(row) {
            Ok((old, corrected)) => {
                flows.push(Flow { old, row });
                warnings.extend(corrected.map(|why| (Some(row.new_code.as_str()), why)));
            }
            Err(why) => warnings.push((Some(&row.new_code), why)),
        }
    }

    // The new tree, in the list's order.
    let mut new_provinces: Vec<(&str, &str)> = Vec::new();
    let mut new_communes: BTreeMap<&str, &ReorgRow> = BTreeMap::new();
    let mut new_order: Vec<&str> = Vec::new();
    for r in &lists.reorg {
        if !new_provinces.iter().any(|(c, _)| *c == r.new_province_code) {
            new_provinces.push((&r.new_province_code, &r.new_province_name));
        }
        if new_communes.insert(&r.new_code, r).is_none() {
            new_order.push(&r.new_code);
        }
    }
    let new_province_of = |commune: &str| new_communes.get(commune).map(|r| r.new_province_code.as_str()).unwrap_or_default();

    // Every link, by old id.
    let zones: BTreeSet<&str> = flows.iter().filter_map(|f| if let Old::District(d) = f.old { Some(d) } else { None }).collect();
    let mut candidates: BTreeMap<String, Vec<Candidate>> = BTreeMap::new();
    let mut into_provinces: BTreeMap<String, BTreeMap<&str, usize>> = BTreeMap::new();
    for (order, f) in flows.iter().enumerate() {
        let (old_id, district, province) = match f.old {
            Old::Commune(c) => {
                let r = index.communes.get(c).copied().ok_or_else(|| StoreError::NotFound(format!("xã mã {c}")))?;
                (c, Some(r.district_code.as_str()), r.province_code.as_str())
            }
            Old::District(d) => (d, None, index.districts.get(d).copied().unwrap_or_default()),
        };
        let whole = f.row.whole();
        let old_name = match f.old {
            Old::Commune(c) => index.communes.get(c).map_or("", |r| r.name.as_str()),
            Old::District(_) => "",
        };
        let rank = (
            !whole,
            !fold(&f.row.note).contains("toan bo dan so"),
            place(old_name) != place(&f.row.new_name),
            f.row.new_code != old_id,
            std::cmp::Reverse(0),
            order,
        );
        let link = Link { unit_id: old_id.to_owned(), successor_id: new_id(&f.row.new_code), whole, note: f.row.note.clone() };
        let list = candidates.entry(old_id.to_owned()).or_default();
        if !list.iter().any(|c| c.link.successor_id == link.successor_id) {
            list.push(Candidate { link, rank });
        }
        let new_province = new_province_of(&f.row.new_code);
        // An island district that became a zone links to the zone, not to a province as well.
        let district = district.filter(|d| !zones.contains(d));
        for container in district.into_iter().chain([province]) {
            *into_provinces.entry(container.to_owned()).or_default().entry(new_province).or_default() += 1;
        }
    }
    for (old_id, targets) in &into_provinces {
        let whole = targets.len() == 1;
        for (order, (province, n)) in targets.iter().enumerate() {
            let note = if whole { "Toàn bộ địa bàn" } else { "Một phần địa bàn" };
            let link = Link { unit_id: old_id.clone(), successor_id: new_id(province), whole, note: note.into() };
            candidates
                .entry(old_id.clone())
                .or_default()
                .push(Candidate { link, rank: (!whole, true, true, true, std::cmp::Reverse(*n), order) });
        }
    }
    for list in candidates.values_mut() {
        list.sort_by_key(|c| c.rank);
    }

    // What was asked for.
    let old_provinces: BTreeSet<&str> = lists.old.iter().map(|r| r.province_code.as_str()).collect();
    let all = provinces.is_empty();
    let mut old_wanted: BTreeSet<&str> = BTreeSet::new();
    let mut new_wanted: BTreeSet<&str> = BTreeSet::new();
    for code in provinces {
        let (is_old, is_new) = (old_provinces.contains(code.as_str()), new_provinces.iter().any(|(c, _)| c == code));
        if !is_old && !is_new {
            return Err(StoreError::NotFound(format!("tỉnh mã {code} trong danh mục trước hay từ 01/7/2025")));
        }
        if is_old {
            old_wanted.insert(code);
        }
        if is_new {
            new_wanted.insert(code);
        }
    }
    // Old units by id (communes, and districts taken whole into a zone) and new communes.
    let mut old_ids: BTreeSet<&str> = BTreeSet::new();
    let mut new_ids: BTreeSet<&str> = BTreeSet::new();
    for r in &lists.old {
        if all || old_wanted.contains(r.province_code.as_str()) {
            old_ids.insert(if r.code.is_empty() { &r.district_code } else { &r.code });
        }
    }
    for (code, r) in &new_communes {
        if all || new_wanted.contains(r.new_province_code.as_str()) {
            new_ids.insert(code);
        }
    }
    for f in &flows {
        if new_ids.contains(f.row.new_code.as_str()) {
            old_ids.insert(match f.old {
                Old::Commune(c) | Old::District(c) => c,
            });
        }
    }
    for f in &flows {
        if old_ids.contains(match f.old {
            Old::Commune(c) | Old::District(c) => c,
        }) {
            new_ids.insert(&f.row.new_code);
        }
    }

    // The old tree, with its successors.
    let old_rows: Vec<CommuneRow> = lists
        .old
        .iter()
        .filter(|r| old_ids.contains(if r.code.is_empty() { r.district_code.as_str() } else { r.code.as_str() }))
        .cloned()
        .collect();
    let mut old_units = gso::units_of(&old_rows);
    let mut links = Vec::new();
    for u in &mut old_units {
        u.valid_to = Some(OLD_VALID_TO.into());
        match candidates.get(&u.id) {
            Some(list) => {
                u.successor_id = list.first().map(|c| c.link.successor_id.clone());
                links.extend(list.iter().map(|c| c.link.clone()));
            }
            None if u.unit_type == "commune" => warnings
                .push((None, format!("{} (mã {}) không có trong bảng chuyển đổi: hết hiệu lực mà không có đơn vị kế tiếp", u.name, u.id))),
            None => {}
        }
    }

    // The new tree: the communes wanted, their provinces and the provinces old units went into.
    let successors: BTreeSet<&str> = links.iter().map(|l| l.successor_id.as_str()).collect();
    let source = |cap: &str| BTreeMap::from([("nguon".to_owned(), reorg::SOURCE_2025_07.to_owned()), ("cap".to_owned(), cap.to_owned())]);
    let level = |name: &str| {
        ["Thành phố", "Tỉnh", "Phường", "Xã", "Đặc khu"].into_iter().find(|p| name.starts_with(p)).unwrap_or_default().to_owned()
    };
    let mut units: Vec<NewUnit> = Vec::with_capacity(old_units.len() + new_ids.len() + 64);
    for (code, name) in &new_provinces {
        if new_ids.iter().any(|c| new_province_of(c) == *code) || successors.contains(new_id(code).as_str()) {
            units.push(NewUnit {
                id: new_id(code),
                name: (*name).to_owned(),
                unit_type: "province".into(),
                valid_from: Some(NEW_VALID_FROM.into()),
                official_code: Some((*code).to_owned()),
                attributes: source(&level(name)),
                ..NewUnit::default()
            });
        }
    }
    for code in new_order.iter().filter(|c| new_ids.contains(*c)) {
        let Some(r) = new_communes.get(code) else { continue };
        units.push(NewUnit {
            id: new_id(code),
            name: r.new_name.clone(),
            unit_type: "commune".into(),
            parent_id: Some(new_id(&r.new_province_code)),
            valid_from: Some(NEW_VALID_FROM.into()),
            official_code: Some((*code).to_owned()),
            attributes: source(&level(&r.new_name)),
            ..NewUnit::default()
        });
    }
    units.extend(old_units);
    let warnings = warnings.into_iter().filter(|(new, _)| new.is_none_or(|c| new_ids.contains(c))).map(|(_, w)| w).collect::<Vec<_>>();
    Ok(Plan { units, links, warnings, provinces: provinces.to_vec() })
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Outcome {
    pub counts: Counts,
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Links added or changed.
    pub links_written: usize,
    pub warnings: Vec<String>,
}

/// How many rows one INSERT carries: 11 values each, well under SQLite's 32,766 parameters.
const BATCH: usize = 500;

/// The columns an import owns; the rest (flags, is_demo) stay as they are.
const OWNED: [&str; 11] = [
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
];

/// A unit row as the import writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Written {
    values: [Option<String>; 11],
}

/// Writes a plan in the caller's transaction: units inserted or brought up to date (names,
/// parents, validity, successors; attributes merged, the import's keys winning), links added,
/// and one audit record summarising it all. Running it again changes nothing.
pub async fn write(tx: &mut Tx<'_>, user_id: Option<&str>, plan: &Plan) -> Result<Outcome> {
    let mut outcome = Outcome { counts: plan.counts(), warnings: plan.warnings.clone(), ..Outcome::default() };
    let existing = existing_units(tx, plan).await?;
    let mut paths: HashMap<&str, String> = HashMap::with_capacity(plan.units.len());
    let mut rows: Vec<Written> = Vec::new();
    for u in &plan.units {
        let parent_path = match u.parent_id.as_deref() {
            None => None,
            Some(p) => {
                Some(paths.get(p).cloned().ok_or_else(|| StoreError::Invalid(format!("đơn vị cấp trên `{p}` của `{}` chưa có", u.id)))?)
            }
        };
        let path = child_path(parent_path.as_deref(), &u.id);
        paths.insert(&u.id, path.clone());
        let name = antt_core::text::nfc(&u.name).into_owned();
        let before = existing.get(&u.id);
        let mut attributes = before.map(|b| b.1.clone()).unwrap_or_default();
        attributes.extend(u.attributes.iter().map(|(k, v)| (k.clone(), v.clone())));
        let row = Written {
            values: [
                Some(u.id.clone()),
                Some(name.clone()),
                Some(fold(&name)),
                Some(u.unit_type.clone()),
                u.parent_id.clone(),
                Some(path),
                u.valid_from.clone(),
                u.valid_to.clone(),
                u.successor_id.clone(),
                u.official_code.clone(),
                Some(serde_json::to_string(&attributes).unwrap_or_else(|_| "{}".into())),
            ],
        };
        match before {
            Some((was, _)) if *was == row => outcome.unchanged += 1,
            Some(_) => {
                outcome.updated += 1;
                rows.push(row);
            }
            None => {
                outcome.inserted += 1;
                rows.push(row);
            }
        }
    }
    for chunk in rows.chunks(BATCH) {
        upsert_units(tx, chunk).await?;
    }

    let known = existing_links(tx, plan).await?;
    let changed: Vec<&Link> = plan.links.iter().filter(|l| !known.contains(*l)).collect();
    outcome.links_written = changed.len();
    for chunk in changed.chunks(BATCH) {
        upsert_links(tx, chunk).await?;
    }

    let summary = serde_json::json!({
        "nguon": [gso::SOURCE_2025_01_04, reorg::SOURCE_2025_07],
        "tinh": plan.provinces,
        "so_don_vi": outcome.counts,
        "them_moi": outcome.inserted,
        "cap_nhat": outcome.updated,
        "giu_nguyen": outcome.unchanged,
        "lien_ket_ghi": outcome.links_written,
        "canh_bao": outcome.warnings.len(),
    });
    let unit_id = match plan.provinces.as_slice() {
        [code] => [code.clone(), new_id(code)].into_iter().find(|id| paths.contains_key(id.as_str())),
        _ => None,
    };
    let change = Change { user_id, action: "import", entity: "units", entity_id: "gso", unit_id: unit_id.as_deref(), campaign_id: None };
    audit::record(tx, change, None, Some(&summary)).await?;
    Ok(outcome)
}

/// Reads the shipped lists and imports some provinces (empty: the whole country) in one
/// transaction: all of it or nothing.
pub async fn import(store: &Store, user_id: Option<&str>, provinces: &[String]) -> Result<Outcome> {
    let plan = plan(&Lists::shipped()?, provinces)?;
    let mut tx = store.begin().await?;
    let outcome = write(&mut tx, user_id, &plan).await?;
    tx.commit().await?;
    store.analyze_after_bulk_write().await?;
    Ok(outcome)
}

fn placeholders(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", (1..=columns).map(|c| format!("${}", r * columns + c)).collect::<Vec<_>>().join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The plan's units already in the database, as the import would write them, with their
/// attributes.
async fn existing_units(tx: &mut Tx<'_>, plan: &Plan) -> Result<HashMap<String, (Written, BTreeMap<String, String>)>> {
    let mut out = HashMap::new();
    for chunk in plan.units.chunks(BATCH) {
        let sql = format!("SELECT {} FROM units WHERE id IN ({})", OWNED.join(", "), placeholders(1, chunk.len()).trim_matches(['(', ')']));
        let mut q = sqlx::query(crate::trusted(&sql));
        for u in chunk {
            q = q.bind(&u.id);
        }
        for r in q.fetch_all(&mut **tx).await? {
            let mut values: [Option<String>; 11] = Default::default();
            for (value, column) in values.iter_mut().zip(OWNED) {
                *value = r.try_get(column)?;
            }
            let attributes: BTreeMap<String, String> = values[10].as_deref().and_then(|a| serde_json::from_str(a).ok()).unwrap_or_default();
            // Written the way `write` writes it, so an untouched unit compares equal.
            values[10] = Some(serde_json::to_string(&attributes).unwrap_or_else(|_| "{}".into()));
            if let Some(id) = values[0].clone() {
                out.insert(id, (Written { values }, attributes));
            }
        }
    }
    Ok(out)
}

async fn upsert_units(tx: &mut Tx<'_>, rows: &[Written]) -> Result<()> {
    let updates: Vec<String> = OWNED.iter().skip(1).map(|c| format!("{c} = excluded.{c}")).collect();
    let sql = format!(
        "INSERT INTO units ({}) VALUES {} ON CONFLICT (id) DO UPDATE SET {}, version = units.version + 1",
        OWNED.join(", "),
        placeholders(rows.len(), OWNED.len()),
        updates.join(", ")
    );
    let mut q = sqlx::query(crate::trusted(&sql));
    for row in rows {
        for v in &row.values {
            q = q.bind(v.clone());
        }
    }
    q.execute(&mut **tx).await?;
    Ok(())
}

async fn existing_links(tx: &mut Tx<'_>, plan: &Plan) -> Result<BTreeSet<Link>> {
    let ids: Vec<&str> = plan.links.iter().map(|l| l.unit_id.as_str()).collect::<BTreeSet<_>>().into_iter().collect();
    let mut out = BTreeSet::new();
    for chunk in ids.chunks(BATCH) {
        let sql = format!(
            "SELECT unit_id, successor_id, whole, note FROM unit_successors WHERE unit_id IN ({})",
            placeholders(1, chunk.len()).trim_matches(['(', ')'])
        );
        let mut q = sqlx::query(crate::trusted(&sql));
        for id in chunk {
            q = q.bind(*id);
        }
        for r in q.fetch_all(&mut **tx).await? {
            out.insert(Link {
                unit_id: r.try_get("unit_id")?,
                successor_id: r.try_get("successor_id")?,
                whole: r.try_get::<i64, _>("whole")? != 0,
                note: r.try_get("note")?,
            });
        }
    }
    Ok(out)
}

async fn upsert_links(tx: &mut Tx<'_>, links: &[&Link]) -> Result<()> {
    let sql = format!(
        "INSERT INTO unit_successors (unit_id, successor_id, whole, note) VALUES {} \
         ON CONFLICT (unit_id, successor_id) DO UPDATE SET whole = excluded.whole, note = excluded.note",
        placeholders(links.len(), 4)
    );
    let mut q = sqlx::query(crate::trusted(&sql));
    for l in links {
        q = q.bind(&l.unit_id).bind(&l.successor_id).bind(i64::from(l.whole)).bind(&l.note);
    }
    q.execute(&mut **tx).await?;
    Ok(())
}
