//! Review and decision: the units under a unit with the outcome and classification the rules
//! propose and the reasons they are not recognised; a reviewer confirms each (or records another
//! outcome with a note); minutes of review meetings; commendation and criticism proposals; and
//! recognition decisions, which lock the listed units' facts, with an audited unlock for a
//! correction.

use std::collections::{BTreeMap, HashMap};

use antt_core::access::{Action, permits};
use antt_core::eval::Outcome;
use antt_core::report::UnitReport;
use antt_core::text::fold;
use antt_core::vi;
use antt_store::campaigns::CampaignRow;
use antt_store::decisions::{self, COMMENDATION, NOT_RECOGNISED, RECOGNISED};
use antt_store::inspection;
use antt_store::units::UnitRow;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::forms::{FieldErrors, SecureForm, refusal};
use antt_app::decisions::{CHAIRMAN, DecisionForm, VICE_CHAIRMAN};
use antt_app::review::{Confirm, MinutesForm as Minutes, against_recognition};

use crate::pages::dashboard::{Pager, campaign, crumbs, default_unit, outcome_code, unit_in};
use crate::view::{self, Frame};
use crate::{AppError, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/c/{cid}/review", get(page))
        .route("/c/{cid}/review/confirm", post(confirm))
        .route("/c/{cid}/review/minutes", post(add_minutes))
        .route("/c/{cid}/review/proposals", post(propose))
        .route("/c/{cid}/decisions", post(issue))
        .route("/c/{cid}/decisions/{did}", get(decision_page))
        .route("/c/{cid}/decisions/{did}/unlock", post(unlock))
        .route("/c/{cid}/decisions/{did}/relock", post(relock))
}

const PER_PAGE: u32 = 25;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReviewQuery {
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    page: Option<u32>,
}

impl ReviewQuery {
    fn link(&self, cid: &str, unit_id: &str, anchor: &str) -> String {
        let mut pairs = vec![("unit", unit_id.to_owned())];
        for (k, v) in [("q", &self.q), ("status", &self.status)] {
            if !v.is_empty() {
                pairs.push((k, v.clone()));
            }
        }
        if let Some(p) = self.page {
            pairs.push(("page", p.to_string()));
        }
        format!("/c/{cid}/review?{}{anchor}", serde_urlencoded::to_string(&pairs).unwrap_or_default())
    }
}

/// What a refused form typed, to show it again next to its errors.
#[derive(Debug, Default)]
struct Typed {
    form: &'static str,
    unit_id: String,
    values: BTreeMap<&'static str, String>,
    selected: Option<Vec<String>>,
    errors: FieldErrors,
}

impl Typed {
    fn value(&self, form: &str, key: &str) -> Option<String> {
        (self.form == form).then(|| self.values.get(key).cloned().unwrap_or_default())
    }

    fn errors(&self, form: &str) -> FieldErrors {
        if self.form == form { self.errors.clone() } else { FieldErrors::default() }
    }
}

#[derive(Debug, Clone)]
struct ReviewRow {
    id: String,
    name: String,
    type_name: String,
    parent: Option<String>,
    href: String,
    proposed: String,
    proposed_tone: &'static str,
    proposed_code: &'static str,
    classification: String,
    reasons: Vec<String>,
    missing: Vec<String>,
    confirmed: Option<(String, &'static str, String)>,
    note: Option<String>,
    decision: Option<(String, String)>,
    locked: Option<String>,
    may_confirm: bool,
    form_outcome: String,
    form_note: String,
    form_acknowledged: bool,
    errors: FieldErrors,
}

#[derive(Debug, Clone)]
struct MinutesView {
    id: String,
    held_on: String,
    chair: String,
    secretary: String,
    attendees: String,
    /// The members present, one a line, joined for the page.
    members: String,
    conclusions: String,
}

#[derive(Debug, Clone)]
struct ProposalView {
    unit_name: String,
    reason: String,
    by: String,
    at: String,
}

#[derive(Template)]
#[template(path = "review_page.html")]
struct ReviewPage {
    frame: Frame,
    campaign: CampaignRow,
    unit: UnitRow,
    crumbs: Vec<UnitRow>,
    q: String,
    status: String,
    rows: Vec<ReviewRow>,
    pager: Pager,
    may_review: bool,
    may_issue: bool,
    minutes: Vec<MinutesView>,
    minutes_held_on: String,
    minutes_chair: String,
    minutes_secretary: String,
    minutes_attendees: String,
    minutes_members: String,
    minutes_conclusions: String,
    minutes_errors: FieldErrors,
    commendations: Vec<ProposalView>,
    criticisms: Vec<ProposalView>,
    proposal_units: Vec<(String, String, bool)>,
    proposal_kind: String,
    proposal_reason: String,
    proposal_errors: FieldErrors,
    candidates: Vec<(String, String, String, bool)>,
    decision_number: String,
    decision_date: String,
    decision_signer: String,
    decision_request_number: String,
    decision_request_date: String,
    /// A vice-chairman signs for the chairman.
    decision_vice: bool,
    decision_errors: FieldErrors,
    decisions: Vec<(String, String, String, String)>,
}

/// Why a unit is not recognised, and what is missing to know: one line per part.
fn outcome_name(code: &str) -> &'static str {
    match code {
        RECOGNISED => Outcome::Recognised.name(),
        NOT_RECOGNISED => Outcome::NotRecognised.name(),
        "incomplete" => Outcome::Incomplete.name(),
        _ => Outcome::OutOfScope.name(),
    }
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    c: CampaignRow,
    scope: &UnitRow,
    unit: UnitRow,
    query: &ReviewQuery,
    typed: Typed,
) -> Result<ReviewPage, AppError> {
    let computed = state.app.results(&c.id).await?;
    let grants = &user.actor.grants;
    let all = inspection::units_under(state.app.store(), &unit.path).await?;
    let names: HashMap<&str, &str> = all.iter().map(|u| (u.id.as_str(), u.name.as_str())).collect();
    let verdicts = decisions::verdicts_under(state.app.store(), &c.id, &unit.path).await?;
    let locks = decisions::locks_under(state.app.store(), &c.id, &unit.path).await?;
    let decided = decisions::list_under(state.app.store(), &c.id, &unit.path).await?;
    let numbers: HashMap<&str, &str> = decided.iter().map(|d| (d.id.as_str(), d.number.as_str())).collect();
    let leaf = all.len() == 1;
    let needle = fold(query.q.trim());
    let mut evaluated: Vec<(&inspection::UnitBrief, &UnitReport)> = all
        .iter()
        .filter(|u| leaf || u.id != unit.id)
        .filter_map(|u| computed.report(&u.id).filter(|r| r.outcome != Outcome::OutOfScope).map(|r| (u, r)))
        .collect();
    // Units of one parent together, by name.
    evaluated.sort_by_cached_key(|(u, _)| {
        let parent = u.path.trim_end_matches('/').rsplit_once('/').map_or("", |(p, _)| p).to_owned();
        (parent, antt_core::text::sort_key(&u.name))
    });
    let listed: Vec<&(&inspection::UnitBrief, &UnitReport)> = evaluated
        .iter()
        .filter(|(u, r)| {
            let v = verdicts.get(&u.id);
            (needle.is_empty() || fold(&u.name).contains(&needle))
                && match query.status.as_str() {
                    "unconfirmed" => v.is_none(),
                    "confirmed" => v.is_some(),
                    "recognised" => r.outcome == Outcome::Recognised,
                    "not_recognised" => r.outcome == Outcome::NotRecognised,
                    "incomplete" => r.outcome == Outcome::Incomplete,
                    _ => true,
                }
        })
        .collect();
    let base = format!("/c/{}/review", c.id);
    let pager = Pager::for_query(
        &base,
        &[("unit", unit.id.as_str()), ("q", query.q.as_str()), ("status", query.status.as_str())],
        listed.len() as u64,
        query.page.unwrap_or(1),
        PER_PAGE,
    );
    let rows: Vec<ReviewRow> = pager
        .slice(&listed, PER_PAGE)
        .into_iter()
        .map(|(u, r)| {
            let (failed, missing) = against_recognition(r);
            let v = verdicts.get(&u.id);
            let mine = typed.form == "confirm" && typed.unit_id == u.id;
            let code = outcome_code(r.outcome);
            ReviewRow {
                id: u.id.clone(),
                name: u.name.clone(),
                type_name: r.unit_type_name.to_string(),
                parent: u.parent_id.as_deref().filter(|p| *p != unit.id).and_then(|p| names.get(p)).map(|n| (*n).to_owned()),
                href: format!("/c/{}/units/{}", c.id, u.id),
                proposed: r.outcome_name.to_string(),
                proposed_tone: view::tone(code),
                proposed_code: code,
                classification: r
                    .classification
                    .as_ref()
                    .map(|cl| format!("{} ({}/{} điểm)", cl.band_name, cl.total, cl.max))
                    .or_else(|| r.classification_problem.clone())
                    .unwrap_or_else(|| "Chưa chấm điểm".into()),
                reasons: failed,
                missing,
                confirmed: v.map(|v| {
                    let by = v.confirmed_by_name.clone().unwrap_or_default();
                    (
                        outcome_name(&v.confirmed_outcome).to_owned(),
                        view::tone(&v.confirmed_outcome),
                        format!("{by}, {}", view::instant(&v.confirmed_at)),
                    )
                }),
                note: v.and_then(|v| v.note.clone()),
                decision: v.and_then(|v| v.decision_id.as_ref()).map(|d| {
                    (format!("/c/{}/decisions/{d}", c.id), numbers.get(d.as_str()).map_or_else(|| d.clone(), |n| (*n).to_owned()))
                }),
                locked: locks.get(&u.id).cloned(),
                may_confirm: permits(grants, Action::Review, &u.path),
                form_outcome: if mine {
                    typed.values.get("outcome").cloned().unwrap_or_default()
                } else {
                    // The rules' proposal is preselected; an undecided unit preselects nothing, so
                    // the reviewer chooses deliberately.
                    v.map_or_else(
                        || match r.outcome {
                            Outcome::Recognised => RECOGNISED.to_owned(),
                            Outcome::NotRecognised => NOT_RECOGNISED.to_owned(),
                            Outcome::Incomplete | Outcome::OutOfScope => String::new(),
                        },
                        |v| v.confirmed_outcome.clone(),
                    )
                },
                form_note: if mine { typed.values.get("note").cloned().unwrap_or_default() } else { String::new() },
                form_acknowledged: mine && typed.values.contains_key("acknowledged"),
                errors: if mine { typed.errors.clone() } else { FieldErrors::default() },
            }
        })
        .collect();

    let minutes = decisions::minutes(state.app.store(), &c.id, &unit.id)
        .await?
        .into_iter()
        .map(|m| MinutesView {
            id: m.id,
            held_on: vi::date(m.held_on),
            chair: m.chair,
            secretary: m.secretary,
            attendees: m.attendees,
            members: m.members.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("; "),
            conclusions: m.conclusions,
        })
        .collect();
    let mut commendations = Vec::new();
    let mut criticisms = Vec::new();
    for p in decisions::proposals_under(state.app.store(), &c.id, &unit.path).await? {
        let view = ProposalView {
            unit_name: p.unit_name,
            reason: p.reason,
            by: p.proposed_by.unwrap_or_default(),
            at: view::instant(&p.proposed_at),
        };
        if p.kind == COMMENDATION { commendations.push(view) } else { criticisms.push(view) }
    }
    let proposal_unit = typed.value("proposal", "unit_id").unwrap_or_default();
    let mut proposal_units = vec![(unit.id.clone(), unit.name.clone(), proposal_unit == unit.id)];
    for r in &rows {
        proposal_units.push((r.id.clone(), r.name.clone(), proposal_unit == r.id));
    }
    if !proposal_unit.is_empty()
        && !proposal_units.iter().any(|(id, _, _)| *id == proposal_unit)
        && let Some(n) = names.get(proposal_unit.as_str())
    {
        proposal_units.push((proposal_unit.clone(), (*n).to_owned(), true));
    }

    let mut candidates: Vec<(String, String, String, bool)> = Vec::new();
    for u in state.app.decision_candidates(&user.actor, &c, &unit).await? {
        let type_name = computed.report(&u.id).map(|r| r.unit_type_name.to_string()).unwrap_or_default();
        let checked = typed.selected.as_ref().is_none_or(|s| s.contains(&u.id));
        candidates.push((u.id, u.name, type_name, checked));
    }
    let may_review = user.actor.may(Action::Review, &unit.path);
    let may_issue = user.actor.may(Action::IssueDecision, &unit.path);
    let page = ReviewPage {
        frame: Frame::new(user, format!("Xét duyệt — {}", unit.name), "dashboard"),
        crumbs: crumbs(state, user, scope, &unit).await?,
        q: query.q.clone(),
        status: query.status.clone(),
        rows,
        pager,
        may_review,
        may_issue,
        minutes,
        minutes_held_on: typed.value("minutes", "held_on").unwrap_or_default(),
        minutes_chair: typed.value("minutes", "chair").unwrap_or_default(),
        minutes_secretary: typed.value("minutes", "secretary").unwrap_or_default(),
        minutes_attendees: typed.value("minutes", "attendees").unwrap_or_default(),
        minutes_members: typed.value("minutes", "members").unwrap_or_default(),
        minutes_conclusions: typed.value("minutes", "conclusions").unwrap_or_default(),
        minutes_errors: typed.errors("minutes"),
        commendations,
        criticisms,
        proposal_units,
        proposal_kind: typed.value("proposal", "kind").unwrap_or_else(|| COMMENDATION.to_owned()),
        proposal_reason: typed.value("proposal", "reason").unwrap_or_default(),
        proposal_errors: typed.errors("proposal"),
        candidates,
        decision_number: typed.value("decision", "number").unwrap_or_default(),
        decision_date: typed.value("decision", "decided_on").unwrap_or_else(|| vi::date(antt_app::today())),
        decision_signer: typed.value("decision", "signer").unwrap_or_default(),
        decision_request_number: typed.value("decision", "request_number").unwrap_or_default(),
        decision_request_date: typed.value("decision", "request_date").unwrap_or_default(),
        decision_vice: typed.value("decision", "signer_role").is_some_and(|r| r == VICE_CHAIRMAN),
        decision_errors: typed.errors("decision"),
        decisions: decided
            .iter()
            .map(|d| (format!("/c/{}/decisions/{}", c.id, d.id), d.number.clone(), vi::date(d.decided_on), d.authority.clone()))
            .collect(),
        campaign: c,
        unit,
    };
    Ok(page)
}

async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(cid): Path<String>,
    Query(query): Query<ReviewQuery>,
) -> Result<Html<String>, AppError> {
    let (c, scope) = campaign(&state, &user, &cid).await?;
    let unit_id = query.unit.clone().filter(|u| !u.is_empty()).unwrap_or_else(|| default_unit(&user, &scope));
    let unit = unit_in(&state, &user, &scope, &unit_id, Action::Review).await?;
    Ok(Html(render(&state, &user, c, &scope, unit, &query, Typed::default()).await?.render()?))
}

/// Shows the review page again with a refused form's input and errors (HTTP 422).
async fn refused(
    state: &AppState,
    user: &CurrentUser,
    c: CampaignRow,
    scope: &UnitRow,
    back: UnitRow,
    query: &ReviewQuery,
    typed: Typed,
) -> Result<Response, AppError> {
    let page = render(state, user, c, scope, back, query, typed).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}

/// The unit whose review page a form came from (read access suffices to show it again).
async fn back_unit(state: &AppState, user: &CurrentUser, scope: &UnitRow, back: &str, fallback: &UnitRow) -> Result<UnitRow, AppError> {
    if back.is_empty() || back == fallback.id {
        return Ok(fallback.clone());
    }
    unit_in(state, user, scope, back, Action::Read).await
}

// --- Confirmation --------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    unit_id: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    note: String,
    /// Ticked: the reviewer saw what stands against recognising the unit.
    #[serde(default)]
    acknowledged: Option<String>,
    #[serde(default)]
    back: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    page: Option<u32>,
}

async fn confirm(
    State(state): State<AppState>,
    Path(cid): Path<String>,
    SecureForm(user, form): SecureForm<ConfirmForm>,
) -> Result<Response, AppError> {
    let (c, scope) = campaign(&state, &user, &cid).await?;
    let unit = unit_in(&state, &user, &scope, &form.unit_id, Action::Review).await?;
    let back = back_unit(&state, &user, &scope, &form.back, &unit).await?;
    let query = ReviewQuery { unit: Some(back.id.clone()), q: form.q.clone(), status: form.status.clone(), page: form.page };
    let mut errors = FieldErrors::default();
    let given = Confirm { outcome: &form.outcome, note: Some(form.note.as_str()), acknowledged: form.acknowledged.is_some() };
    match state.app.confirm_verdict(&user.actor, &c.id, &unit.id, given).await {
        Ok(()) => return Ok(crate::forms::saved(&query.link(&c.id, &back.id, &format!("#u-{}", unit.id)), "Đã lưu kết quả xét duyệt.")),
        Err(e) => refusal(&mut errors, "outcome", e)?,
    }
    let typed = Typed {
        form: "confirm",
        unit_id: unit.id.clone(),
        values: [("outcome", Some(form.outcome.clone())), ("note", Some(form.note.clone())), ("acknowledged", form.acknowledged.clone())]
            .into_iter()
            .filter_map(|(k, v)| Some((k, v?)))
            .collect(),
        selected: None,
        errors,
    };
    refused(&state, &user, c, &scope, back, &query, typed).await
}

// --- Minutes and proposals -----------------------------------------------------------------

#[derive(Debug, Deserialize)]
pub struct MinutesForm {
    unit_id: String,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    chair: String,
    #[serde(default)]
    secretary: String,
    #[serde(default)]
    attendees: String,
    #[serde(default)]
    members: String,
    #[serde(default)]
    conclusions: String,
}

async fn add_minutes(
    State(state): State<AppState>,
    Path(cid): Path<String>,
    SecureForm(user, form): SecureForm<MinutesForm>,
) -> Result<Response, AppError> {
    let (c, scope) = campaign(&state, &user, &cid).await?;
    let unit = unit_in(&state, &user, &scope, &form.unit_id, Action::Review).await?;
    let mut errors = FieldErrors::default();
    if let Some(held_on) = errors.date("held_on", &form.held_on) {
        let m = Minutes {
            held_on,
            chair: form.chair.clone(),
            secretary: form.secretary.clone(),
            attendees: form.attendees.clone(),
            members: form.members.clone(),
            conclusions: form.conclusions.clone(),
        };
        match state.app.add_minutes(&user.actor, &c.id, &unit.id, &m).await {
            Ok(_) => return Ok(crate::forms::saved(&format!("/c/{}/review?unit={}#minutes", c.id, unit.id), "Đã lưu biên bản.")),
            Err(e) => refusal(&mut errors, "conclusions", e)?,
        }
    }
    let typed = Typed {
        form: "minutes",
        unit_id: unit.id.clone(),
        values: BTreeMap::from([
            ("held_on", form.held_on.clone()),
            ("chair", form.chair.clone()),
            ("secretary", form.secretary.clone()),
            ("attendees", form.attendees.clone()),
            ("members", form.members.clone()),
            ("conclusions", form.conclusions.clone()),
        ]),
        selected: None,
        errors,
    };
    let query = ReviewQuery { unit: Some(unit.id.clone()), ..ReviewQuery::default() };
    refused(&state, &user, c, &scope, unit, &query, typed).await
}

#[derive(Debug, Deserialize)]
pub struct ProposalForm {
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    reason: String,
    back: String,
}

async fn propose(
    State(state): State<AppState>,
    Path(cid): Path<String>,
    SecureForm(user, form): SecureForm<ProposalForm>,
) -> Result<Response, AppError> {
    let (c, scope) = campaign(&state, &user, &cid).await?;
    let back = unit_in(&state, &user, &scope, &form.back, Action::Review).await?;
    let mut errors = FieldErrors::default();
    if form.unit_id.is_empty() {
        errors.add("unit_id", "Cần chọn đơn vị.");
    } else {
        let u = unit_in(&state, &user, &scope, &form.unit_id, Action::Review).await?;
        if !u.path.starts_with(&back.path) {
            return Err(AppError::NotFound);
        }
        match state.app.propose(&user.actor, &c.id, &u.id, &form.kind, &form.reason).await {
            Ok(_) => return Ok(crate::forms::saved(&format!("/c/{}/review?unit={}#proposals", c.id, back.id), "Đã lưu đề nghị.")),
            Err(e) => refusal(&mut errors, "reason", e)?,
        }
    }
    let typed = Typed {
        form: "proposal",
        unit_id: form.unit_id.clone(),
        values: BTreeMap::from([("unit_id", form.unit_id.clone()), ("kind", form.kind.clone()), ("reason", form.reason.clone())]),
        selected: None,
        errors,
    };
    let query = ReviewQuery { unit: Some(back.id.clone()), ..ReviewQuery::default() };
    refused(&state, &user, c, &scope, back, &query, typed).await
}

// --- Decisions ------------------------------------------------------------------------------

fn field<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v.as_str())
}

async fn issue(
    State(state): State<AppState>,
    Path(cid): Path<String>,
    SecureForm(user, pairs): SecureForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (c, scope) = campaign(&state, &user, &cid).await?;
    let back = unit_in(&state, &user, &scope, field(&pairs, "unit"), Action::Read).await?;
    let selected: Vec<String> = pairs.iter().filter(|(k, v)| k == "units" && !v.is_empty()).map(|(_, v)| v.clone()).collect();
    let mut errors = FieldErrors::default();
    let typed_request_date = field(&pairs, "request_date").trim();
    let request_date = if typed_request_date.is_empty() { None } else { errors.date("request_date", typed_request_date) };
    let request_readable = typed_request_date.is_empty() || request_date.is_some();
    if let Some(decided_on) = errors.date("decided_on", field(&pairs, "decided_on")).filter(|_| request_readable) {
        let form = DecisionForm {
            number: field(&pairs, "number").to_owned(),
            decided_on,
            signer: field(&pairs, "signer").to_owned(),
            signer_role: if field(&pairs, "signer_role") == VICE_CHAIRMAN { VICE_CHAIRMAN } else { CHAIRMAN }.to_owned(),
            unit_ids: selected.clone(),
            request_number: field(&pairs, "request_number").to_owned(),
            request_date,
        };
        match state.app.issue_decision(&user.actor, &c.id, &form).await {
            Ok(id) => return Ok(crate::forms::saved(&format!("/c/{}/decisions/{id}", c.id), "Đã lưu và ban hành quyết định.")),
            Err(e) => refusal(&mut errors, "units", e)?,
        }
    }
    if let Some(m) = errors.0.remove("unit_ids") {
        errors.add("units", m);
    }
    let typed = Typed {
        form: "decision",
        unit_id: back.id.clone(),
        values: ["number", "decided_on", "signer", "signer_role", "request_number", "request_date"]
            .into_iter()
            .map(|k| (k, field(&pairs, k).to_owned()))
            .collect(),
        selected: Some(selected),
        errors,
    };
    let query = ReviewQuery { unit: Some(back.id.clone()), ..ReviewQuery::default() };
    refused(&state, &user, c, &scope, back, &query, typed).await
}

#[derive(Debug, Clone)]
struct AnnexRow {
    index: usize,
    id: String,
    name: String,
    type_name: String,
    href: String,
    locked: bool,
    may_unlock: bool,
    reason: String,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "review_decision.html")]
struct DecisionPage {
    frame: Frame,
    campaign: CampaignRow,
    decision: decisions::Decision,
    decided_on: String,
    /// The police's request it answers: number and date, when recorded.
    request: Option<(String, String)>,
    issued: String,
    rows: Vec<AnnexRow>,
}

async fn render_decision(
    state: &AppState,
    user: &CurrentUser,
    cid: &str,
    did: &str,
    failed: Option<(String, String, FieldErrors)>,
) -> Result<DecisionPage, AppError> {
    let (c, decision) = state.app.decision(&user.actor, cid, did).await?;
    let ruleset = state.app.ruleset(&c).await?;
    let ruleset = &*ruleset;
    let grants = &user.actor.grants;
    // Only the committee that issued the decision lifts or puts back its locks.
    let may_unlock = decision
        .issuer_unit_id
        .as_ref()
        .is_some_and(|body| grants.iter().any(|g| g.unit_id == *body && g.role.allows(Action::IssueDecision)));
    let rows: Vec<AnnexRow> = decision
        .units
        .iter()
        .filter(|u| permits(grants, Action::Read, &u.path))
        .enumerate()
        .map(|(i, u)| {
            let mine = failed.as_ref().filter(|(id, _, _)| *id == u.unit_id);
            AnnexRow {
                index: i + 1,
                id: u.unit_id.clone(),
                name: u.name.clone(),
                type_name: ruleset.unit_type_name(&u.unit_type).to_owned(),
                href: format!("/c/{}/units/{}", c.id, u.unit_id),
                locked: u.locked,
                may_unlock,
                reason: mine.map(|(_, r, _)| r.clone()).unwrap_or_default(),
                errors: mine.map(|(_, _, e)| e.clone()).unwrap_or_default(),
            }
        })
        .collect();
    if rows.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(DecisionPage {
        frame: Frame::new(user, format!("Quyết định số {}", decision.number), "dashboard"),
        decided_on: vi::date(decision.decided_on),
        request: decision.request.as_ref().map(|(n, d)| (n.clone(), vi::date(*d))),
        issued: format!("{}, {}", decision.issued_by.clone().unwrap_or_default(), view::instant(&decision.issued_at)),
        rows,
        decision,
        campaign: c,
    })
}

async fn decision_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((cid, did)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    Ok(Html(render_decision(&state, &user, &cid, &did, None).await?.render()?))
}

#[derive(Debug, Deserialize)]
pub struct LockForm {
    unit_id: String,
    #[serde(default)]
    reason: String,
}

async fn unlock(
    State(state): State<AppState>,
    Path((cid, did)): Path<(String, String)>,
    SecureForm(user, form): SecureForm<LockForm>,
) -> Result<Response, AppError> {
    let mut errors = FieldErrors::default();
    match state.app.unlock(&user.actor, &cid, &did, &form.unit_id, &form.reason).await {
        Ok(()) => return Ok(crate::forms::saved(&format!("/c/{cid}/decisions/{did}#u-{}", form.unit_id), "Đã lưu: đã mở khóa dữ liệu.")),
        Err(e) => refusal(&mut errors, "reason", e)?,
    }
    let page = render_decision(&state, &user, &cid, &did, Some((form.unit_id, form.reason, errors))).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}

async fn relock(
    State(state): State<AppState>,
    Path((cid, did)): Path<(String, String)>,
    SecureForm(user, form): SecureForm<LockForm>,
) -> Result<Response, AppError> {
    state.app.relock(&user.actor, &cid, &did, &form.unit_id).await?;
    Ok(crate::forms::saved(&format!("/c/{cid}/decisions/{did}#u-{}", form.unit_id), "Đã lưu: đã khóa lại dữ liệu."))
}
