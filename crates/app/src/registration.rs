//! Registration to strive for the standard: a pledge per criterion, the date and the documents
//! of the dossier, stored with an immutable copy as submitted and a receipt number from the
//! standing office; returned for correction by whoever manages the campaign. The copy is made
//! and read back here, once, for the pages, the API and the documents.

use std::collections::BTreeMap;

use antt_core::access::Action;
use antt_core::calendar::Timeliness;
use antt_core::fact::{Fact, FactKind};
use antt_core::input::{Lines, limits};
use antt_core::model::Document;
use antt_core::vi;
use antt_store::campaigns::CampaignRow;
use antt_store::facts;
use antt_store::registrations::{self, Pledge, RegistrationRow, Submission};
use antt_store::units::{self, UnitRow};
use chrono::NaiveDate;

use crate::facts::{check, writer};
use crate::review::{optional_text, required_text};
use crate::{Actor, App, Error, FieldErrors, Result, Scoped, today};

/// What a unit registers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationForm {
    /// By criterion id; a criterion of the unit's type left out is pledged.
    pub pledges: BTreeMap<String, Pledge>,
    pub registered_on: NaiveDate,
    /// The documents of the dossier (resolution, plan…) ticked, with their number and date.
    pub documents: Vec<Document>,
    /// The version of the returned registration this one replaces, as the form read it.
    pub replaces_version: Option<i64>,
}

/// The field a pledge's note is refused under.
pub fn pledge_field(criterion: &str) -> String {
    format!("pledges.{criterion}")
}

/// The field a document's number or date is refused under.
pub fn document_field(kind: &str, field: &str) -> String {
    format!("documents.{kind}.{field}")
}

/// The standing office that receives registrations, e.g. "PV28" (a campaign setting).
pub fn office(campaign: &CampaignRow) -> String {
    campaign.settings.get("standing_office").cloned().unwrap_or_else(|| "PV28".into())
}

/// Where a unit's documents are signed: its seat, the nearest administrative unit at or above
/// it ("Đồng Phú" for an area of Xã Đồng Phú), as NĐ 30 writes the place.
fn place_of(unit: &UnitRow, ancestors: &[UnitRow]) -> String {
    let seat = std::iter::once(unit).chain(ancestors.iter().rev()).find(|u| antt_docs::documents::Level::of_type(&u.unit_type).is_some());
    antt_docs::documents::place_name(&seat.unwrap_or(unit).name)
}

/// A pledge as the copy keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PledgeLine {
    pub id: String,
    pub text: String,
    pub pledged: bool,
    pub note: String,
}

/// A submitted registration as it is shown and printed: what the immutable copy says, and the
/// stored row, the unit and the campaign where the copy says nothing (copies written by other
/// tools, such as the demo, may hold less).
#[derive(Debug, Clone)]
pub struct Submitted {
    pub unit_name: String,
    pub parent_name: String,
    pub plan_number: Option<String>,
    pub plan_date: Option<NaiveDate>,
    pub year: i64,
    pub office: String,
    pub registered_on: Option<NaiveDate>,
    pub deadline: Option<NaiveDate>,
    pub pledges: Vec<PledgeLine>,
    pub documents: Vec<String>,
    pub submitted_by: String,
    pub submitted_at: String,
    pub receipt: String,
}

impl Submitted {
    /// "đúng hạn" or "trễ N ngày", when both dates are known.
    pub fn timeliness(&self) -> String {
        match (self.registered_on, self.deadline) {
            (Some(d), Some(dl)) => Timeliness::of(d, dl).to_string(),
            _ => String::new(),
        }
    }
}

fn text_at<'a>(v: &'a serde_json::Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |cur, key| cur.get(key))?.as_str().filter(|s| !s.is_empty())
}

fn date_at(v: &serde_json::Value, path: &[&str]) -> Option<NaiveDate> {
    text_at(v, path)?.parse().ok()
}

fn capitalise_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// A document of the copy as one line: "Nghị quyết … số 01-NQ/CB ngày 10/05/2013".
fn document_line(d: &serde_json::Value) -> String {
    let mut s = capitalise_first(text_at(d, &["name"]).or_else(|| text_at(d, &["kind"])).unwrap_or_default());
    if let Some(n) = text_at(d, &["number"]) {
        s.push_str(&format!(" số {n}"));
    }
    if let Some(date) = date_at(d, &["date"]) {
        s.push_str(&format!(" ngày {}", vi::date(date)));
    }
    s
}

impl App {
    /// The unit type's registration deadline in the campaign.
    pub async fn registration_deadline(&self, campaign: &CampaignRow, unit_type: &str) -> Result<Option<NaiveDate>> {
        Ok(self.calendar(campaign).await?.by_type.get(unit_type).map(|t| t.registration_deadline))
    }

    /// A submitted registration as shown and printed.
    pub async fn submitted(&self, campaign: &CampaignRow, unit: &UnitRow, row: &RegistrationRow) -> Result<Submitted> {
        let empty = serde_json::Value::Null;
        let copy = row.submitted_copy.as_ref().unwrap_or(&empty);
        let ancestors = units::ancestors(self.store(), unit).await?;
        let pledges = match copy.get("pledges").and_then(|p| p.as_array()) {
            Some(lines) => lines
                .iter()
                .map(|p| PledgeLine {
                    id: text_at(p, &["criterion"]).unwrap_or_default().to_owned(),
                    text: text_at(p, &["text"]).unwrap_or_default().to_owned(),
                    pledged: p.get("pledged").and_then(serde_json::Value::as_bool).unwrap_or(false),
                    note: text_at(p, &["note"]).unwrap_or_default().to_owned(),
                })
                .collect(),
            None => self
                .ruleset(campaign)
                .await?
                .criteria_for(&unit.unit_type)
                .map(|c| {
                    let pledge = row.pledges.get(&c.id);
                    PledgeLine {
                        id: c.id.clone(),
                        text: c.text.clone(),
                        pledged: pledge.is_some_and(|p| p.pledged),
                        note: pledge.and_then(|p| p.note.clone()).unwrap_or_default(),
                    }
                })
                .collect(),
        };
        let documents =
            copy.get("documents").and_then(|d| d.as_array()).map(|list| list.iter().map(document_line).collect()).unwrap_or_default();
        let deadline = match date_at(copy, &["deadline"]) {
            Some(d) => Some(d),
            None => self.registration_deadline(campaign, &unit.unit_type).await?,
        };
        Ok(Submitted {
            unit_name: text_at(copy, &["unit", "name"]).or_else(|| text_at(copy, &["unit_name"])).unwrap_or(&unit.name).to_owned(),
            parent_name: text_at(copy, &["unit", "parent_name"])
                .map(str::to_owned)
                .or_else(|| ancestors.last().map(|p| p.name.clone()))
                .unwrap_or_default(),
            plan_number: text_at(copy, &["campaign", "plan_number"])
                .or_else(|| text_at(copy, &["plan_number"]))
                .map(str::to_owned)
                .or_else(|| campaign.plan_number.clone()),
            plan_date: date_at(copy, &["campaign", "plan_date"]).or(Some(campaign.plan_date)),
            year: copy.pointer("/campaign/year").and_then(serde_json::Value::as_i64).unwrap_or(i64::from(campaign.year)),
            office: text_at(copy, &["office"]).map(str::to_owned).unwrap_or_else(|| office(campaign)),
            registered_on: row.registered_on.or_else(|| date_at(copy, &["registered_on"])),
            deadline,
            pledges,
            documents,
            submitted_by: text_at(copy, &["submitted_by"]).unwrap_or_default().to_owned(),
            submitted_at: row.submitted_at.clone().or_else(|| text_at(copy, &["submitted_at"]).map(str::to_owned)).unwrap_or_default(),
            receipt: row.receipt_number.clone().or_else(|| text_at(copy, &["receipt_number"]).map(str::to_owned)).unwrap_or_default(),
        })
    }

    /// The scoped unit, when the campaign's ruleset evaluates its type (only those register).
    fn registering<'a>(&self, s: &'a Scoped) -> Result<&'a antt_core::Ruleset> {
        let ruleset = &*s.ruleset;
        if ruleset.unit_type(&s.unit.unit_type).is_none() {
            return Err(Error::invalid("Loại đơn vị này không đăng ký theo bộ tiêu chí của đợt phát động."));
        }
        Ok(ruleset)
    }

    /// Submits a unit's registration, with its documents recorded as facts in the same
    /// transaction.
    pub async fn register(&self, actor: &Actor, campaign_id: &str, unit_id: &str, form: &RegistrationForm) -> Result<RegistrationRow> {
        let s = self.scoped(actor, campaign_id, unit_id, Action::Register).await?;
        let ruleset = self.registering(&s)?;
        let (campaign, unit) = (&s.campaign, &s.unit);
        let mut errors = FieldErrors::default();
        let criteria: Vec<_> = ruleset.criteria_for(&unit.unit_type).collect();
        let mut pledges = BTreeMap::new();
        for (id, p) in &form.pledges {
            if !criteria.iter().any(|c| &c.id == id) {
                let ids: Vec<&str> = criteria.iter().map(|c| c.id.as_str()).collect();
                errors.add(&pledge_field(id), format!("Không có tiêu chí “{id}” cho loại đơn vị này (các tiêu chí: {}).", ids.join(", ")));
                continue;
            }
            let note = optional_text(&mut errors, &pledge_field(id), p.note.as_deref(), limits::NOTE, Lines::Many);
            pledges.insert(id.clone(), Pledge { pledged: p.pledged, note });
        }
        for c in &criteria {
            pledges.entry(c.id.clone()).or_insert(Pledge { pledged: true, note: None });
        }
        if !pledges.values().any(|p| p.pledged) {
            errors.add("pledges", "Cần đăng ký phấn đấu ít nhất một tiêu chí.");
        }
        if form.registered_on > today() {
            errors.add("registered_on", "Ngày đăng ký không được sau ngày hôm nay.");
        } else if form.registered_on < campaign.plan_date {
            errors
                .add("registered_on", format!("Ngày đăng ký không được trước ngày ban hành kế hoạch ({}).", vi::date(campaign.plan_date)));
        }
        let ctx = self.fact_context(&s)?;
        let mut documents = Vec::new();
        for d in &form.documents {
            match check(Fact::Document(d.clone()), &ctx) {
                Ok(Fact::Document(d)) => documents.push(d),
                Ok(_) => {}
                Err(e) => {
                    for (field, message) in e.0 {
                        errors.add(&document_field(&d.kind, &field), message);
                    }
                }
            }
        }
        errors.into_result()?;

        let deadline = self.registration_deadline(campaign, &unit.unit_type).await?;
        let on_time = deadline.is_none_or(|d| form.registered_on <= d);
        let ancestors = units::ancestors(self.store(), unit).await?;
        let lines: Vec<serde_json::Value> = criteria
            .iter()
            .map(|c| {
                let p = pledges.get(&c.id);
                serde_json::json!({ "criterion": c.id, "text": c.text, "pledged": p.is_some_and(|p| p.pledged), "note": p.and_then(|p| p.note.clone()) })
            })
            .collect();
        let document_lines: Vec<serde_json::Value> = documents
            .iter()
            .map(|d| {
                let name = ruleset.vocabulary.documents.get(&d.kind).cloned().unwrap_or_else(|| d.kind.clone());
                serde_json::json!({ "kind": d.kind, "name": name, "number": d.number, "date": d.date })
            })
            .collect();
        let copy = serde_json::json!({
            "unit": {
                "id": unit.id,
                "name": unit.name,
                "type_name": ruleset.unit_type_name(&unit.unit_type),
                "parent_name": ancestors.last().map(|p| p.name.clone()),
            },
            "campaign": { "title": campaign.title, "year": campaign.year, "plan_number": campaign.plan_number, "plan_date": campaign.plan_date },
            "place": place_of(unit, &ancestors),
            "office": office(campaign),
            "registered_on": form.registered_on,
            "deadline": deadline,
            "on_time": on_time,
            "pledges": lines,
            "documents": document_lines,
            "submitted_by": actor.full_name,
        });
        let prefix = format!("{}-{}", office(campaign), campaign.year);
        let submission = Submission {
            pledges: &pledges,
            registered_on: form.registered_on,
            on_time,
            copy,
            receipt_prefix: &prefix,
            replaces_version: form.replaces_version,
        };
        let w = writer(actor, &s);
        let mut tx = self.store().begin().await?;
        let row = registrations::submit(&mut tx, w, &submission).await?;
        let existing = facts::list_in(&mut tx, &campaign.id, &unit.id, FactKind::Documents).await?;
        for d in &documents {
            let fact = Fact::Document(d.clone());
            match existing.iter().find(|r| matches!(&r.fact, Fact::Document(o) if o.kind == d.kind)) {
                Some(r) => facts::update(&mut tx, w, &r.id, r.version, &fact).await?,
                None => {
                    facts::insert(&mut tx, w, &fact).await?;
                }
            }
        }
        if documents.is_empty() {
            facts::declare_complete(&mut tx, w, FactKind::Documents).await?;
        }
        antt_store::commit(tx).await?;
        Ok(row)
    }

    /// Sends a submitted registration back to the unit for correction, with the reason.
    pub async fn return_registration(
        &self,
        actor: &Actor,
        campaign_id: &str,
        unit_id: &str,
        version: i64,
        reason: &str,
    ) -> Result<RegistrationRow> {
        let s = self.scoped(actor, campaign_id, unit_id, Action::ManageCampaign).await?;
        let mut errors = FieldErrors::default();
        let reason = required_text(&mut errors, "reason", reason, limits::NOTE, Lines::Many);
        errors.into_result()?;
        let mut tx = self.store().begin().await?;
        registrations::return_for_correction(&mut tx, writer(actor, &s), version, &reason.unwrap_or_default()).await?;
        antt_store::commit(tx).await?;
        registrations::get(self.store(), &s.campaign.id, &s.unit.id).await?.ok_or_else(|| Error::not_found("bản đăng ký"))
    }
}
