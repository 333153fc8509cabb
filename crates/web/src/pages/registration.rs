//! Registration to strive for the standard: a pledge per criterion, the date and the documents
//! of the dossier; stored with an immutable copy and a receipt number from the standing office;
//! returned for correction by the province or district; printed in two copies.

use std::collections::BTreeMap;

use antt_app::registration::{PledgeLine, RegistrationForm, Submitted};
use antt_core::access::Action;
use antt_core::fact::{Fact, FactKind};
use antt_core::model::Document;
use antt_store::campaigns::CampaignRow;
use antt_store::facts;
use antt_store::registrations::{self, Pledge, RegistrationRow};
use antt_store::units::UnitRow;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};

use super::facts::{Vocab, capitalise_first};
use antt_app::today;

use super::units::{UnitHead, head, in_campaign};
use crate::auth::CurrentUser;
use crate::forms::Fields;
use crate::forms::{FieldErrors, SecureForm};
use crate::view::{self, Frame};
use crate::{AppError, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/c/{cid}/units/{uid}/register", get(page).post(submit))
        .route("/c/{cid}/units/{uid}/register/return", post(return_for_correction))
        .route("/c/{cid}/units/{uid}/register/print", get(print))
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

fn criteria<'a>(ruleset: &'a antt_core::Ruleset, unit: &'a UnitRow) -> Vec<&'a antt_core::ruleset::Criterion> {
    ruleset.criteria_for(&unit.unit_type).collect()
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
    let ruleset = state.app.ruleset(campaign).await?;
    for c in criteria(&ruleset, unit) {
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
    for d in facts::list(state.app.store(), &campaign.id, &unit.id, FactKind::Documents).await? {
        let Fact::Document(d) = d.fact else { continue };
        f.push((format!("doc_{}", d.kind), "1".into()));
        if let Some(n) = d.number {
            f.push((format!("docnum_{}", d.kind), n));
        }
        if let Some(date) = d.date {
            f.push((format!("docdate_{}", d.kind), antt_core::vi::date(date)));
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
    let ruleset = state.app.ruleset(campaign).await?;
    let ruleset = &*ruleset;
    let head = head(state, user, campaign, unit, "register").await?;
    let reg = registrations::get(state.app.store(), &campaign.id, &unit.id).await?;
    let submitted = reg.as_ref().filter(|r| r.is_submitted());
    let form = if submitted.is_none() && head.can_register {
        let (fields, errors) = match typed.form {
            Some(t) => t,
            None => (initial_fields(state, campaign, unit, reg.as_ref()).await?, FieldErrors::default()),
        };
        let vocab = Vocab { ruleset, unit_type: &unit.unit_type };
        Some(RegForm {
            pledges: criteria(ruleset, unit)
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
            deadline: state.app.registration_deadline(campaign, &unit.unit_type).await?.map(antt_core::vi::date).unwrap_or_default(),
        })
    } else {
        None
    };
    let (return_reason, return_error) = typed.returned.unwrap_or_default();
    let page = RegistrationPage {
        frame: Frame::new(user, format!("Đăng ký — {}", unit.name), "units"),
        status: registrations::status_name(reg.as_ref().map_or("", |r| r.status.as_str())).to_owned(),
        submitted: match submitted {
            Some(r) => Some(submitted_view(state.app.submitted(campaign, unit, r).await?)),
            None => None,
        },
        returned_reason: reg.as_ref().filter(|r| !r.is_submitted()).and_then(|r| r.returned_reason.clone()),
        form,
        can_return: submitted.is_some() && user.actor.may(Action::ManageCampaign, &unit.path),
        return_version: reg.as_ref().map(|r| r.version.to_string()).unwrap_or_default(),
        return_reason,
        return_error,
        error: typed.error,
        head,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn evaluated(state: &AppState, campaign: &CampaignRow, unit: &UnitRow) -> Result<(), AppError> {
    if state.app.ruleset(campaign).await?.unit_type(&unit.unit_type).is_none() {
        return Err(AppError::BadRequest("Loại đơn vị này không đăng ký theo bộ tiêu chí của đợt phát động.".into()));
    }
    Ok(())
}

async fn page(State(state): State<AppState>, user: CurrentUser, Path((cid, uid)): Path<(String, String)>) -> Result<Response, AppError> {
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::Read).await?;
    evaluated(&state, &campaign, &unit).await?;
    render(&state, &user, &campaign, &unit, Typed::default(), StatusCode::OK).await
}

/// The registration's fields as the form names them: a pledge's note `note_<criterion>`, a
/// document's number and date `docnum_<kind>` and `docdate_<kind>`.
fn form_field(field: &str) -> String {
    if let Some(id) = field.strip_prefix("pledges.") {
        return format!("note_{id}");
    }
    if let Some((kind, f)) = field.strip_prefix("documents.").and_then(|rest| rest.rsplit_once('.')) {
        return match f {
            "number" => format!("docnum_{kind}"),
            _ => format!("docdate_{kind}"),
        };
    }
    field.to_owned()
}

async fn submit(
    State(state): State<AppState>,
    Path((cid, uid)): Path<(String, String)>,
    SecureForm(user, form): SecureForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::Register).await?;
    evaluated(&state, &campaign, &unit).await?;
    let ruleset = state.app.ruleset(&campaign).await?;
    let ruleset = &*ruleset;
    let fields = Fields(form);
    let mut errors = FieldErrors::default();
    // Every criterion the form shows: a box left unticked is not pledged.
    let pledges: BTreeMap<String, Pledge> = criteria(ruleset, &unit)
        .into_iter()
        .map(|c| {
            (c.id.clone(), Pledge { pledged: fields.has(&format!("pledge_{}", c.id)), note: fields.optional(&format!("note_{}", c.id)) })
        })
        .collect();
    let registered_on = errors.date("registered_on", fields.get("registered_on"));
    let vocab = Vocab { ruleset, unit_type: &unit.unit_type };
    let mut documents = Vec::new();
    for (kind, _) in vocab.documents() {
        if !fields.has(&format!("doc_{kind}")) {
            continue;
        }
        let date_field = format!("docdate_{kind}");
        let date = if fields.get(&date_field).trim().is_empty() { None } else { errors.date(&date_field, fields.get(&date_field)) };
        documents.push(Document { number: fields.optional(&format!("docnum_{kind}")), kind, date });
    }
    let replaces_version = match fields.get("version").trim() {
        "" => None,
        v => Some(v.parse::<i64>().map_err(|_| AppError::BadRequest("Phiên bản của bản đăng ký không hợp lệ; hãy tải lại trang.".into()))?),
    };
    let refused = match registered_on.filter(|_| errors.is_empty()) {
        None => Err(antt_app::Error::fields(errors)),
        Some(registered_on) => {
            let form = RegistrationForm { pledges, registered_on, documents, replaces_version };
            state.app.register(&user.actor, &cid, &uid, &form).await.map(|_| ())
        }
    };
    match refused {
        Ok(()) => Ok(crate::forms::saved(&format!("/c/{}/units/{}/register", campaign.id, unit.id), "Đã lưu và gửi bản đăng ký.")),
        Err(e) => {
            let (status, fields_errors, message) = crate::forms::on_form(e)?;
            let mut errors = FieldErrors::default();
            for (f, m) in fields_errors.0 {
                errors.add(&form_field(&f), m);
            }
            // A refusal of the registration as a whole (already submitted, returned meanwhile)
            // is a conflict with what is stored.
            let status = if message.is_some() { StatusCode::CONFLICT } else { status };
            let typed = Typed { form: Some((fields, errors)), error: message, ..Typed::default() };
            render(&state, &user, &campaign, &unit, typed, status).await
        }
    }
}

async fn return_for_correction(
    State(state): State<AppState>,
    Path((cid, uid)): Path<(String, String)>,
    SecureForm(user, form): SecureForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::ManageCampaign).await?;
    let fields = Fields(form);
    let Ok(version) = fields.get("version").trim().parse::<i64>() else {
        let typed = Typed {
            returned: Some((fields.get("reason").to_owned(), Some("Thiếu phiên bản của bản đăng ký; hãy tải lại trang.".into()))),
            ..Typed::default()
        };
        return render(&state, &user, &campaign, &unit, typed, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    match state.app.return_registration(&user.actor, &cid, &uid, version, fields.get("reason")).await {
        Ok(_) => {
            Ok(crate::forms::saved(&format!("/c/{}/units/{}/register", campaign.id, unit.id), "Đã lưu: đã trả lại bản đăng ký để sửa."))
        }
        Err(antt_app::Error::NotFound(_)) => Err(AppError::NotFound),
        Err(e) => {
            let (status, errors, message) = crate::forms::on_form(e)?;
            let status = if message.is_some() { StatusCode::CONFLICT } else { status };
            let typed = Typed {
                returned: Some((fields.get("reason").to_owned(), errors.get("reason").map(str::to_owned))),
                error: message,
                ..Typed::default()
            };
            render(&state, &user, &campaign, &unit, typed, status).await
        }
    }
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
    let reg = registrations::get(state.app.store(), &campaign.id, &unit.id).await?.ok_or(AppError::NotFound)?;
    if reg.submitted_copy.is_none() {
        return Err(AppError::NotFound);
    }
    let s = state.app.submitted(&campaign, &unit, &reg).await?;
    let year = s.year;
    // The header, place, date and opening sentence are the printed document's own.
    let doc = antt_app::documents::registration(&state.app, &campaign, &unit).await?;
    let place_date = if s.registered_on.is_some() { doc.header.place_date() } else { String::new() };
    let intro = match doc.body.first() {
        Some(antt_docs::model::Block::Paragraph(p)) => p.full_text(),
        _ => String::new(),
    };
    let page = PrintPage {
        frame: Frame::new(&user, format!("In bản đăng ký — {}", unit.name), "units"),
        back: format!("/c/{}/units/{}/register", campaign.id, unit.id),
        copies: vec!["Bản lưu tại đơn vị".to_owned(), format!("Bản gửi Thường trực Ban Chỉ đạo (Phòng {} - Công an tỉnh)", s.office)],
        returned: !reg.is_submitted(),
        parent_upper: doc.header.parent_agency.clone().unwrap_or_default(),
        unit_upper: doc.header.agency.replace('\n', " "),
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
