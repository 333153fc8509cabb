//! The national database for measurements (`antt demo --scale national`): the 2025 tree of the
//! shipped GSO lists (34 provinces, 3.321 communes) with the synthetic areas, establishments and
//! incidents of [`antt_core::synthetic`], seeded so that every build is the same, written in
//! batches. Either one campaign over the whole country, under a root unit of type `country`, or
//! one campaign per province (the 34 provincial campaigns of a national deployment). Its units
//! below the communes are marked as demo data; it is for measuring, never for production.

use std::collections::HashMap;

use antt_core::synthetic::{self, Shape, YEAR};
use antt_store::campaigns::{self, NewCampaign};
use antt_store::gso::import::{self as unit_import, Lists};
use antt_store::units::{self, NewUnit};
use antt_store::{Result, Store, StoreError, bulk};
use chrono::NaiveDate;

/// The ruleset the generator's facts are made for.
const RULESET: &str = "vinh-long-2013";
/// The id of the root unit above the provinces in a national campaign.
pub const COUNTRY: &str = "VN";
/// Who the bulk write is recorded as.
const WRITER: &str = "antt demo --scale national";

/// How the campaigns cover the country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Campaigns {
    /// One campaign over the whole country.
    National,
    /// One campaign per province.
    Provinces,
}

/// What a build wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Built {
    pub units: usize,
    pub rows: usize,
    pub campaigns: Vec<String>,
}

/// The shape of the country from the shipped lists: their 2025 provinces and communes, and
/// `numbers`' counts of areas, establishments and incidents. `communes` keeps only the first so
/// many communes of each province, for smaller databases of the same shape.
pub fn shape(numbers: &Shape, communes: Option<usize>) -> Result<(Shape, Vec<NewUnit>)> {
    let plan = unit_import::plan(&Lists::shipped()?, &[])?;
    let mut tree: Vec<NewUnit> = plan.units.into_iter().filter(|u| u.id.starts_with(&unit_import::new_id(""))).collect();
    let mut kept: HashMap<String, usize> = HashMap::new();
    tree.retain(|u| {
        let Some(province) = u.parent_id.as_ref().filter(|_| u.unit_type == "commune") else { return true };
        let n = kept.entry(province.clone()).or_default();
        *n += 1;
        communes.is_none_or(|most| *n <= most)
    });
    let provinces: Vec<&NewUnit> =
        tree.iter().filter(|u| u.unit_type == "province" && tree.iter().any(|c| c.parent_id.as_ref() == Some(&u.id))).collect();
    let shape = Shape {
        provinces: provinces.iter().map(|p| (p.id.clone(), p.name.clone())).collect(),
        communes: tree
            .iter()
            .filter(|u| u.unit_type == "commune")
            .map(|c| {
                let province = provinces.iter().position(|p| c.parent_id.as_ref() == Some(&p.id)).unwrap_or_default();
                (c.id.clone(), c.name.clone(), province)
            })
            .collect(),
        ..numbers.clone()
    };
    let ids: Vec<String> = shape.provinces.iter().map(|p| p.0.clone()).collect();
    tree.retain(|u| u.unit_type == "commune" || ids.contains(&u.id));
    Ok((shape, tree))
}

/// Builds the database: the tree, the campaigns and their facts, each campaign in one
/// transaction. Refuses a database that already has units.
pub async fn build(store: &Store, numbers: &Shape, communes: Option<usize>, campaigns: Campaigns) -> Result<Built> {
    if !units::roots(store).await?.is_empty() {
        return Err(StoreError::Invalid("cơ sở dữ liệu đã có đơn vị; hãy dùng một cơ sở dữ liệu trống".into()));
    }
    let ruleset = antt_core::ruleset::built_in_named(RULESET)
        .map_err(|e| StoreError::Invalid(e.to_string()))?
        .ok_or_else(|| StoreError::NotFound(format!("bộ tiêu chí {RULESET}")))?;
    let (shape, mut tree) = shape(numbers, communes)?;
    let generated = synthetic::country(&ruleset, &shape);
    let first_below = shape.provinces.len() + shape.communes.len();
    // The real provinces and communes come from the lists; the rest from the generator.
    tree.extend(generated[first_below..].iter().map(|u| NewUnit {
        id: u.id.0.clone(),
        name: u.name.clone(),
        unit_type: u.unit_type.clone(),
        parent_id: u.parent.as_ref().map(|p| p.0.clone()),
        attributes: u.attributes.clone(),
        is_demo: true,
        ..NewUnit::default()
    }));
    if campaigns == Campaigns::National {
        for u in tree.iter_mut().filter(|u| u.parent_id.is_none()) {
            u.parent_id = Some(COUNTRY.into());
        }
        tree.insert(0, NewUnit { id: COUNTRY.into(), name: "Việt Nam".into(), unit_type: "country".into(), ..NewUnit::default() });
    }
    let mut tx = store.begin().await?;
    units::insert_many(&mut tx, None, &tree).await?;
    tx.commit().await?;

    let plan_date = NaiveDate::from_ymd_opt(YEAR, 5, 2).unwrap_or_default();
    let scopes: Vec<(String, String)> = match campaigns {
        Campaigns::National => vec![(COUNTRY.to_owned(), "toàn quốc".to_owned())],
        Campaigns::Provinces => shape.provinces.clone(),
    };
    let province_of = provinces_of(&generated);
    let mut built = Built { units: tree.len(), rows: 0, campaigns: Vec::new() };
    for (scope, name) in scopes {
        let facts: Vec<_> =
            generated.iter().filter(|u| scope == COUNTRY || province_of.get(u.id.0.as_str()) == Some(&scope.as_str())).cloned().collect();
        let mut tx = store.begin().await?;
        let campaign = campaigns::create(
            &mut tx,
            None,
            &NewCampaign {
                scope_unit_id: scope,
                year: YEAR,
                plan_number: Some("710/QĐ-UBND".into()),
                plan_date,
                ruleset: RULESET.into(),
                ruleset_version: None,
                settings: Default::default(),
                title: format!("Phong trào ANTT năm {YEAR} – {name} (dữ liệu đo hiệu năng)"),
            },
        )
        .await?;
        built.rows += bulk::write_facts(&mut tx, store.backend(), WRITER, &campaign.id, &facts).await?;
        tx.commit().await?;
        built.campaigns.push(campaign.id);
    }
    store.analyze_after_bulk_write().await?;
    Ok(built)
}

/// The province of every generated unit, by id (units come parents first).
fn provinces_of(units: &[antt_core::model::Unit]) -> HashMap<&str, &str> {
    let mut out: HashMap<&str, &str> = HashMap::with_capacity(units.len());
    for u in units {
        let province = match &u.parent {
            None => u.id.0.as_str(),
            Some(p) => out.get(p.0.as_str()).copied().unwrap_or_default(),
        };
        out.insert(&u.id.0, province);
    }
    out
}
