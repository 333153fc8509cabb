//! Registration to strive for the standard: a pledge per criterion, the date and the documents
//! of the dossier; stored with an immutable copy and a receipt number from the standing office;
//! returned for correction by the province or district; printed in two copies.

use std::collections::BTreeMap;

use antt_core::access::Action;
use antt_core::calendar::Timeliness;
use antt_store::StoreError;
use antt_store::campaigns::CampaignRow;
use antt_store::facts::{self, Kind, Value, Writer};
use antt_store::registrations::{self, Pledge, RegistrationRow, Submission};
use antt_store::units::{self, UnitRow};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::facts::{Vocab, capitalise, capitalise_first};
use super::units::{Fields, UnitHead, head, in_campaign, today};
use crate::auth::CurrentUser;
use crate::forms::{FieldErrors, SecureForm};
use crate::view::{self, Frame};
use crate::{AppError, AppState, guard, results};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/c/{cid}/units/{uid}/register", get(page).post(submit))
        .route("/c/{cid}/units/{uid}/register/return", post(return_for_correction))
        .route("/c/{cid}/units/{uid}/register/print", get(print))
}

/// The standing office that receives registrations, e.g. "PV28" (a campaign setting).
fn office(campaign: &CampaignRow) -> String {
    campaign.settings.get("standing_office").cloned().unwrap_or_else(|| "PV28".into())
}

#[derive(Debug)]
struct PledgeField {
    id: String,
    text: String,
    checked: bool,
    note: String,
}

#[derive(Debug)]
struct DocField {
    kind: String,
    name: String,
    checked: bool,
    number: String,
    date: String,
    date_error: Option<String>,
}

#[derive(Debug)]
struct RegForm {
    pledges: Vec<PledgeField>,
    pledges_error: Option<String>,
    registered_on: String,
    registered_on_error: Option<String>,
    documents: Vec<DocField>,
    version: String,
    deadline: String,
}

/// A submitted registration as it is shown and printed: what the immutable copy says, and
/// the stored row, the unit and the campaign where the copy says nothing (copies written by
/// other tools, such as the demo, may hold less).
#[derive(Debug)]
pub(crate) struct Submitted {
    pub(crate) unit_name: String,
    pub(crate) parent_name: String,
    pub(crate) campaign_title: String,
    pub(crate) plan_number: Option<String>,
    pub(crate) plan_date: Option<chrono::NaiveDate>,
    pub(crate) year: i64,
    pub(crate) place: String,
    pub(crate) office: String,
    pub(crate) registered_on: Option<chrono::NaiveDate>,
    pub(crate) deadline: Option<chrono::NaiveDate>,
    pub(crate) pledges: Vec<PledgeLine>,
    pub(crate) documents: Vec<String>,
    pub(crate) submitted_by: String,
    pub(crate) submitted_at: String,
    pub(crate) receipt: String,
}

fn text_at<'a>(v: &'a serde_json::Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |cur, key| cur.get(key))?.as_str().filter(|s| !s.is_empty())
}

fn date_at(v: &serde_json::Value, path: &[&str]) -> Option<chrono::NaiveDate> {
    text_at(v, path)?.parse().ok()
}

/// A document of the copy as one line: "Nghị quyết … số 01-NQ/CB ngày 10/05/2013".
fn document_line(d: &serde_json::Value) -> String {
    let mut s = capitalise_first(text_at(d, &["name"]).or_else(|| text_at(d, &["kind"])).unwrap_or_default());
    if let Some(n) = text_at(d, &["number"]) {
        s.push_str(&format!(" số {n}"));
    }
    if let Some(date) = date_at(d, &["date"]) {
        s.push_str(&format!(" ngày {}", antt_core::vi::date(date)));
    }
    s
}

pub(crate) async fn submitted(
    state: &AppState,
    campaign: &CampaignRow,
    unit: &UnitRow,
    row: &RegistrationRow,
) -> Result<Submitted, AppError> {
    let empty = serde_json::Value::Null;
    let copy = row.submitted_copy.as_ref().unwrap_or(&empty);
    let ancestors = units::ancestors(&state.store, unit).await?;
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
        None => criteria(state, campaign, unit)?
            .into_iter()
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
        None => deadline(state, campaign, unit).await?,
    };
    Ok(Submitted {
        unit_name: text_at(copy, &["unit", "name"]).or_else(|| text_at(copy, &["unit_name"])).unwrap_or(&unit.name).to_owned(),
        parent_name: text_at(copy, &["unit", "parent_name"])
            .map(str::to_owned)
            .or_else(|| ancestors.last().map(|p| p.name.clone()))
            .unwrap_or_default(),
        campaign_title: text_at(copy, &["campaign", "title"])
            .or_else(|| text_at(copy, &["campaign"]))
            .unwrap_or(&campaign.title)
            .to_owned(),
        plan_number: text_at(copy, &["campaign", "plan_number"])
            .or_else(|| text_at(copy, &["plan_number"]))
            .map(str::to_owned)
            .or_else(|| campaign.plan_number.clone()),
        plan_date: date_at(copy, &["campaign", "plan_date"]).or(Some(campaign.plan_date)),
        year: copy.pointer("/campaign/year").and_then(serde_json::Value::as_i64).unwrap_or(i64::from(campaign.year)),
        place: text_at(copy, &["place"]).map(str::to_owned).unwrap_or_else(|| place_of(&ancestors)),
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

impl Submitted {
    pub(crate) fn timeliness(&self) -> String {
        match (self.registered_on, self.deadline) {
            (Some(d), Some(dl)) => Timeliness::of(d, dl).to_string(),
            _ => String::new(),
        }
    }

    /// What the registration answers: "Kế hoạch số 710/QĐ-UBND ngày 02/05/2013 (…)".
    pub(crate) fn basis(&self) -> String {
        match (&self.plan_number, self.plan_date) {
            (Some(n), Some(d)) => format!("Kế hoạch số {n} ngày {} ({})", antt_core::vi::date(d), self.campaign_title),
            (Some(n), None) => format!("Kế hoạch số {n} ({})", self.campaign_title),
            _ => self.campaign_title.clone(),
        }
    }
}

/// Where the registration is signed: the province's name ("Vĩnh Long").
fn place_of(ancestors: &[UnitRow]) -> String {
    ancestors.first().map(|p| p.name.trim_start_matches("Tỉnh ").trim_start_matches("Thành phố ").to_owned()).unwrap_or_default()
}

#[derive(Debug)]
struct SubmittedView {
    receipt: String,
    registered_on: String,
    timeliness: String,
    submitted_at: String,
    submitted_by: String,
    pledges: Vec<PledgeLine>,
    documents: Vec<String>,
}

#[derive(Debug)]
pub(crate) struct PledgeLine {
    pub(crate) id: String,
    pub(crate) text: String,
    pub(crate) pledged: bool,
    pub(crate) note: String,
}

fn submitted_view(s: Submitted) -> SubmittedView {
    SubmittedView {
        timeliness: s.timeliness(),
        receipt: s.receipt,
        registered_on: s.registered_on.map(antt_core::vi::date).unwrap_or_default(),
        submitted_at: view::instant(&s.submitted_at),
        submitted_by: s.submitted_by,
        pledges: s.pledges,
        documents: s.documents,
    }
}

#[derive(Template)]
#[template(path = "registration_form.html")]
struct RegistrationPage {
    frame: Frame,
    head: UnitHead,
    status: String,
    submitted: Option<SubmittedView>,
    returned_reason: Option<String>,
    form: Option<RegForm>,
    can_return: bool,
    return_version: String,
    return_reason: String,
    return_error: Option<String>,
    error: Option<String>,
}

/// What a page render starts from besides the stored registration.
#[derive(Default)]
struct Typed {
    /// The registration form as typed, with its errors.
    form: Option<(Fields, FieldErrors)>,
    /// The return form's reason as typed, with its error.
    returned: Option<(String, Option<String>)>,
    error: Option<String>,
}

fn criteria<'a>(
    state: &'a AppState,
    campaign: &CampaignRow,
    unit: &'a UnitRow,
) -> Result<Vec<&'a antt_core::ruleset::Criterion>, AppError> {
    Ok(state.ruleset(&campaign.ruleset)?.criteria_for(&unit.unit_type).collect())
}

async fn deadline(state: &AppState, campaign: &CampaignRow, unit: &UnitRow) -> Result<Option<chrono::NaiveDate>, AppError> {
    Ok(results::of(state, &campaign.id).await?.calendar.by_type.get(&unit.unit_type).map(|t| t.registration_deadline))
}

/// The form's values before anything is typed: every criterion pledged (or as last
/// registered), today's date, and the documents already recorded.
async fn initial_fields(
    state: &AppState,
    campaign: &CampaignRow,
    unit: &UnitRow,
    reg: Option<&RegistrationRow>,
) -> Result<Fields, AppError> {
    let mut f = Vec::new();
    for c in criteria(state, campaign, unit)? {
        let pledge = reg.and_then(|r| r.pledges.get(&c.id));
        if pledge.is_none_or(|p| p.pledged) {
            f.push((format!("pledge_{}", c.id), "1".to_owned()));
        }
        if let Some(note) = pledge.and_then(|p| p.note.clone()) {
            f.push((format!("note_{}", c.id), note));
        }
    }
    let date = reg.and_then(|r| r.registered_on).unwrap_or_else(today);
    f.push(("registered_on".into(), antt_core::vi::date(date)));
    for d in facts::list(&state.store, &campaign.id, &unit.id, Kind::Document).await? {
        let Some(kind) = d.text("kind") else { continue };
        f.push((format!("doc_{kind}"), "1".into()));
        if let Some(n) = d.text("number") {
            f.push((format!("docnum_{kind}"), n.to_owned()));
        }
        if let Some(date) = d.text("issued_on") {
            f.push((format!("docdate_{kind}"), view::date(date)));
        }
    }
    if let Some(r) = reg {
        f.push(("version".into(), r.version.to_string()));
    }
    Ok(Fields(f))
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    campaign: &CampaignRow,
    unit: &UnitRow,
    typed: Typed,
    status: StatusCode,
) -> Result<Response, AppError> {
    let ruleset = state.ruleset(&campaign.ruleset)?;
    let head = head(state, user, campaign, unit, "register").await?;
    let reg = registrations::get(&state.store, &campaign.id, &unit.id).await?;
    let submitted = reg.as_ref().filter(|r| r.is_submitted());
    let form = if submitted.is_none() && head.can_register {
        let (fields, errors) = match typed.form {
            Some(t) => t,
            None => (initial_fields(state, campaign, unit, reg.as_ref()).await?, FieldErrors::default()),
        };
        let vocab = Vocab { ruleset, unit_type: &unit.unit_type };
        Some(RegForm {
            pledges: criteria(state, campaign, unit)?
                .into_iter()
                .map(|c| PledgeField {
                    id: c.id.clone(),
                    text: c.text.clone(),
                    checked: fields.has(&format!("pledge_{}", c.id)),
                    note: fields.get(&format!("note_{}", c.id)).to_owned(),
                })
                .collect(),
            pledges_error: errors.get("pledges").map(str::to_owned),
            registered_on: fields.get("registered_on").to_owned(),
            registered_on_error: errors.get("registered_on").map(str::to_owned),
            documents: vocab
                .documents()
                .into_iter()
                .map(|(kind, name)| DocField {
                    checked: fields.has(&format!("doc_{kind}")),
                    number: fields.get(&format!("docnum_{kind}")).to_owned(),
                    date: fields.get(&format!("docdate_{kind}")).to_owned(),
                    date_error: errors.get(&format!("docdate_{kind}")).map(str::to_owned),
                    name: capitalise_first(&name),
                    kind,
                })
                .collect(),
            version: fields.get("version").to_owned(),
            deadline: deadline(state, campaign, unit).await?.map(antt_core::vi::date).unwrap_or_default(),
        })
    } else {
        None
    };
    let (return_reason, return_error) = typed.returned.unwrap_or_default();
    let page = RegistrationPage {
        frame: Frame::new(user, format!("Đăng ký — {}", unit.name), "units"),
        status: registrations::status_name(reg.as_ref().map_or("", |r| r.status.as_str())).to_owned(),
        submitted: match submitted {
            Some(r) => Some(submitted_view(self::submitted(state, campaign, unit, r).await?)),
            None => None,
        },
        returned_reason: reg.as_ref().filter(|r| !r.is_submitted()).and_then(|r| r.returned_reason.clone()),
        form,
        can_return: submitted.is_some() && guard::may(user, unit, Action::ManageCampaign),
        return_version: reg.as_ref().map(|r| r.version.to_string()).unwrap_or_default(),
        return_reason,
        return_error,
        error: typed.error,
        head,
    };
    Ok((status, Html(page.render()?)).into_response())
}

fn evaluated(state: &AppState, campaign: &CampaignRow, unit: &UnitRow) -> Result<(), AppError> {
    if state.ruleset(&campaign.ruleset)?.unit_type(&unit.unit_type).is_none() {
        return Err(AppError::BadRequest("Loại đơn vị này không đăng ký theo bộ tiêu chí của đợt phát động.".into()));
    }
    Ok(())
}

async fn page(State(state): State<AppState>, user: CurrentUser, Path((cid, uid)): Path<(String, String)>) -> Result<Response, AppError> {
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::Read).await?;
    evaluated(&state, &campaign, &unit)?;
    render(&state, &user, &campaign, &unit, Typed::default(), StatusCode::OK).await
}

/// A document ticked on the form.
struct TickedDocument {
    kind: String,
    name: String,
    number: Option<String>,
    date: Option<chrono::NaiveDate>,
}

async fn submit(
    State(state): State<AppState>,
    Path((cid, uid)): Path<(String, String)>,
    SecureForm(user, form): SecureForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::Register).await?;
    evaluated(&state, &campaign, &unit)?;
    let ruleset = state.ruleset(&campaign.ruleset)?;
    let fields = Fields(form);
    let mut errors = FieldErrors::default();

    let mut pledges = BTreeMap::new();
    let mut pledged_lines = Vec::new();
    for c in criteria(&state, &campaign, &unit)? {
        let pledged = fields.has(&format!("pledge_{}", c.id));
        let note = fields.optional(&format!("note_{}", c.id));
        pledged_lines.push(serde_json::json!({ "criterion": c.id, "text": c.text, "pledged": pledged, "note": note }));
        pledges.insert(c.id.clone(), Pledge { pledged, note });
    }
    if !pledges.values().any(|p| p.pledged) {
        errors.add("pledges", "Cần đăng ký phấn đấu ít nhất một tiêu chí.");
    }
    let registered_on = errors.date("registered_on", fields.get("registered_on"));
    if let Some(d) = registered_on {
        if d > today() {
            errors.add("registered_on", "Ngày đăng ký không được sau ngày hôm nay.");
        } else if d < campaign.plan_date {
            errors.add(
                "registered_on",
                format!("Ngày đăng ký không được trước ngày ban hành kế hoạch ({}).", antt_core::vi::date(campaign.plan_date)),
            );
        }
    }
    let vocab = Vocab { ruleset, unit_type: &unit.unit_type };
    let mut ticked = Vec::new();
    for (kind, name) in vocab.documents() {
        if !fields.has(&format!("doc_{kind}")) {
            continue;
        }
        let date_field = format!("docdate_{kind}");
        let date = if fields.get(&date_field).trim().is_empty() { None } else { errors.date(&date_field, fields.get(&date_field)) };
        ticked.push(TickedDocument { number: fields.optional(&format!("docnum_{kind}")), kind, name, date });
    }
    let replaces_version = match fields.get("version").trim() {
        "" => None,
        v => Some(v.parse::<i64>().map_err(|_| AppError::BadRequest("Phiên bản của bản đăng ký không hợp lệ; hãy tải lại trang.".into()))?),
    };
    let Some(registered_on) = registered_on.filter(|_| errors.is_empty()) else {
        let typed = Typed { form: Some((fields, errors)), ..Typed::default() };
        return render(&state, &user, &campaign, &unit, typed, StatusCode::UNPROCESSABLE_ENTITY).await;
    };

    let deadline = deadline(&state, &campaign, &unit).await?;
    let on_time = deadline.is_none_or(|d| registered_on <= d);
    let ancestors = units::ancestors(&state.store, &unit).await?;
    let place =
        ancestors.first().map(|p| p.name.trim_start_matches("Tỉnh ").trim_start_matches("Thành phố ").to_owned()).unwrap_or_default();
    let copy = serde_json::json!({
        "unit": {
            "id": unit.id,
            "name": unit.name,
            "type_name": ruleset.unit_type_name(&unit.unit_type),
            "parent_name": ancestors.last().map(|p| p.name.clone()),
        },
        "campaign": {
            "title": campaign.title,
            "year": campaign.year,
            "plan_number": campaign.plan_number,
            "plan_date": campaign.plan_date,
        },
        "place": place,
        "office": office(&campaign),
        "registered_on": registered_on,
        "deadline": deadline,
        "on_time": on_time,
        "pledges": pledged_lines,
        "documents": ticked.iter().map(|d| serde_json::json!({ "kind": d.kind, "name": d.name, "number": d.number, "date": d.date })).collect::<Vec<_>>(),
        "submitted_by": user.user.full_name,
    });
    let prefix = format!("{}-{}", office(&campaign), campaign.year);
    let submission = Submission { pledges: &pledges, registered_on, on_time, copy, receipt_prefix: &prefix, replaces_version };
    let existing_docs = facts::list(&state.store, &campaign.id, &unit.id, Kind::Document).await?;
    let w = Writer { user_id: &user.user.id, campaign_id: &campaign.id, unit_id: &unit.id };
    let mut tx = state.store.begin().await?;
    let written: Result<(), StoreError> = async {
        registrations::submit(&mut tx, w, &submission).await?;
        for d in &ticked {
            let values: BTreeMap<String, Value> = [
                ("kind".to_owned(), Value::text(d.kind.clone())),
                ("number".to_owned(), Value::Text(d.number.clone())),
                ("issued_on".to_owned(), Value::Text(d.date.map(|d| d.format("%Y-%m-%d").to_string()))),
            ]
            .into();
            match existing_docs.iter().find(|r| r.text("kind") == Some(d.kind.as_str())) {
                Some(r) => facts::update(&mut tx, w, Kind::Document, &r.id, r.version, &values).await?,
                None => {
                    facts::insert(&mut tx, w, Kind::Document, &values).await?;
                }
            }
        }
        if ticked.is_empty() {
            facts::declare_complete(&mut tx, w, Kind::Document).await?;
        }
        Ok(())
    }
    .await;
    match written {
        Ok(()) => super::units::commit(tx).await?,
        Err(e) => {
            drop(tx);
            let (status, message) = match e {
                StoreError::Conflict => (StatusCode::CONFLICT, AppError::Conflict.to_string()),
                StoreError::Locked(_) => (StatusCode::CONFLICT, capitalise(&AppError::from(e).to_string())),
                StoreError::Invalid(m) => (StatusCode::CONFLICT, capitalise(&m)),
                other => return Err(other.into()),
            };
            let typed = Typed { form: Some((fields, FieldErrors::default())), error: Some(message), ..Typed::default() };
            return render(&state, &user, &campaign, &unit, typed, status).await;
        }
    }
    Ok(Redirect::to(&format!("/c/{}/units/{}/register", campaign.id, unit.id)).into_response())
}

async fn return_for_correction(
    State(state): State<AppState>,
    Path((cid, uid)): Path<(String, String)>,
    SecureForm(user, form): SecureForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::ManageCampaign).await?;
    let fields = Fields(form);
    let mut errors = FieldErrors::default();
    let reason = errors.required("reason", fields.get("reason"));
    let version: Option<i64> = fields.get("version").trim().parse().ok();
    let (Some(reason), Some(version)) = (reason, version) else {
        let error = errors.get("reason").map(str::to_owned).or_else(|| Some("Thiếu phiên bản của bản đăng ký; hãy tải lại trang.".into()));
        let typed = Typed { returned: Some((fields.get("reason").to_owned(), error)), ..Typed::default() };
        return render(&state, &user, &campaign, &unit, typed, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let w = Writer { user_id: &user.user.id, campaign_id: &campaign.id, unit_id: &unit.id };
    let mut tx = state.store.begin().await?;
    if let Err(e) = registrations::return_for_correction(&mut tx, w, version, &reason).await {
        drop(tx);
        let (status, message) = match e {
            StoreError::Conflict => (StatusCode::CONFLICT, AppError::Conflict.to_string()),
            StoreError::Locked(_) => (StatusCode::CONFLICT, capitalise(&AppError::from(e).to_string())),
            StoreError::Invalid(m) => (StatusCode::CONFLICT, capitalise(&m)),
            StoreError::NotFound(_) => return Err(AppError::NotFound),
            other => return Err(other.into()),
        };
        let typed = Typed { returned: Some((reason, None)), error: Some(message), ..Typed::default() };
        return render(&state, &user, &campaign, &unit, typed, status).await;
    }
    super::units::commit(tx).await?;
    Ok(Redirect::to(&format!("/c/{}/units/{}/register", campaign.id, unit.id)).into_response())
}

#[derive(Template)]
#[template(path = "registration_print.html")]
struct PrintPage {
    frame: Frame,
    back: String,
    copies: Vec<String>,
    returned: bool,
    parent_upper: String,
    unit_upper: String,
    place_date: String,
    title: String,
    intro: String,
    pledges: Vec<(String, String, String)>,
    documents: Vec<String>,
    receipt: String,
    timeliness: String,
}

async fn print(State(state): State<AppState>, user: CurrentUser, Path((cid, uid)): Path<(String, String)>) -> Result<Response, AppError> {
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::Read).await?;
    let reg = registrations::get(&state.store, &campaign.id, &unit.id).await?.ok_or(AppError::NotFound)?;
    if reg.submitted_copy.is_none() {
        return Err(AppError::NotFound);
    }
    let s = submitted(&state, &campaign, &unit, &reg).await?;
    let year = s.year;
    let place_date = match s.registered_on {
        Some(d) => format!("{}, ngày {} tháng {} năm {}", s.place, d.format("%d"), d.format("%m"), d.format("%Y")),
        None => String::new(),
    };
    let intro = format!(
        "Thực hiện {}, {} đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm {year} với các tiêu chí sau:",
        s.basis(),
        s.unit_name
    );
    let page = PrintPage {
        frame: Frame::new(&user, format!("In bản đăng ký — {}", unit.name), "units"),
        back: format!("/c/{}/units/{}/register", campaign.id, unit.id),
        copies: vec!["Bản lưu tại đơn vị".to_owned(), format!("Bản gửi Thường trực Ban Chỉ đạo (Phòng {} - Công an tỉnh)", s.office)],
        returned: !reg.is_submitted(),
        parent_upper: s.parent_name.to_uppercase(),
        unit_upper: s.unit_name.to_uppercase(),
        place_date,
        title: format!("BẢN ĐĂNG KÝ PHẤN ĐẤU ĐẠT TIÊU CHUẨN “AN TOÀN VỀ AN NINH, TRẬT TỰ” NĂM {year}"),
        intro,
        timeliness: s.timeliness(),
        pledges: s.pledges.into_iter().filter(|p| p.pledged).map(|p| (p.id, p.text, p.note)).collect(),
        documents: s.documents,
        receipt: s.receipt,
    };
    Ok(Html(page.render()?).into_response())
}
