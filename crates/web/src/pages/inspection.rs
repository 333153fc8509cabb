//! Inspection teams of a campaign: create a team with its dates (the ruleset's inspection window
//! is the hint), add members as leader or member, and assign units found by search. A member of
//! a team assigned to a unit is that unit's inspector.

use std::collections::BTreeMap;

use antt_core::calendar::Calendar;
use antt_core::vi;
use antt_store::campaigns::CampaignRow;
use antt_store::inspection::{self, MEMBER};
use antt_store::units::{self, UnitRow};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::forms::{FieldErrors, SecureForm, refusal};
use crate::pages::dashboard::Pager;
use crate::view::Frame;
use crate::{AppError, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/c/{cid}/inspection", get(page))
        .route("/c/{cid}/inspection/teams", post(create_team))
        .route("/c/{cid}/inspection/teams/{tid}", post(update_team))
        .route("/c/{cid}/inspection/teams/{tid}/members", post(add_member))
        .route("/c/{cid}/inspection/teams/{tid}/members/remove", post(remove_member))
        .route("/c/{cid}/inspection/teams/{tid}/units", post(assign))
        .route("/c/{cid}/inspection/teams/{tid}/units/remove", post(unassign))
}

const PER_PAGE: u32 = 20;

#[derive(Debug, Clone, Default)]
struct SearchView {
    q: String,
    unit_type: String,
    results: Vec<(String, String, String, bool)>,
    pager: Option<Pager>,
}

#[derive(Debug, Clone)]
struct TeamView {
    id: String,
    name: String,
    dates: String,
    members: Vec<(String, String, String, String)>,
    units: Vec<(String, String, String, String)>,
    edit_name: String,
    edit_starts: String,
    edit_ends: String,
    edit_version: i64,
    edit_errors: FieldErrors,
    member_username: String,
    member_role: String,
    member_errors: FieldErrors,
    search: SearchView,
}

#[derive(Template)]
#[template(path = "inspection_teams.html")]
struct TeamsPage {
    frame: Frame,
    campaign: CampaignRow,
    scope: UnitRow,
    window: Option<String>,
    teams: Vec<TeamView>,
    new_name: String,
    new_starts: String,
    new_ends: String,
    new_errors: FieldErrors,
    unit_types: Vec<(String, String)>,
}

/// What a failed form typed, to show it again.
#[derive(Debug, Default)]
struct Failed {
    team_id: Option<String>,
    form: &'static str,
    values: BTreeMap<&'static str, String>,
    errors: FieldErrors,
}

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    team: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    unit_type: String,
    #[serde(default)]
    page: Option<u32>,
}

/// The campaign and its scope unit, if the user may manage the campaign.
async fn managed(state: &AppState, user: &CurrentUser, cid: &str) -> Result<(CampaignRow, UnitRow), AppError> {
    Ok(state.app.managed_campaign(&user.actor, cid).await?)
}

fn window(r: &antt_core::Ruleset, c: &CampaignRow) -> Option<(chrono::NaiveDate, chrono::NaiveDate, String)> {
    let cal = Calendar::new(&r.timeline, r.unit_types.iter().map(|t| &t.code), &c.to_core(), &r.settings).ok()?;
    let (from, to) = cal.inspection?;
    Some((from, to, r.timeline.inspection.as_ref().map(|w| w.text.clone()).unwrap_or_default()))
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    c: CampaignRow,
    scope: UnitRow,
    query: &PageQuery,
    failed: Failed,
) -> Result<TeamsPage, AppError> {
    let ruleset = state.app.ruleset(&c).await?;
    let ruleset = &*ruleset;
    let teams = inspection::teams(state.app.store(), &c.id).await?;
    let mut views = Vec::with_capacity(teams.len());
    for t in teams {
        let mine = failed.team_id.as_deref() == Some(t.id.as_str());
        let typed = |form: &str, key: &str, default: String| {
            if mine && failed.form == form { failed.values.get(key).cloned().unwrap_or_default() } else { default }
        };
        let errors = |form: &str| if mine && failed.form == form { failed.errors.clone() } else { FieldErrors::default() };
        let mut search = SearchView::default();
        if query.team == t.id {
            search.q = query.q.clone();
            search.unit_type = query.unit_type.clone();
            let found = units::search(
                state.app.store(),
                &scope.path,
                &query.q,
                (!query.unit_type.is_empty()).then_some(query.unit_type.as_str()),
                query.page.unwrap_or(1),
                PER_PAGE,
            )
            .await?;
            let base = format!("/c/{}/inspection", c.id);
            search.pager = Some(Pager::for_query(
                &base,
                &[("team", t.id.as_str()), ("q", query.q.as_str()), ("unit_type", query.unit_type.as_str())],
                found.total,
                found.page,
                PER_PAGE,
            ));
            search.results = found
                .items
                .into_iter()
                .map(|u| {
                    let assigned = t.units.iter().any(|a| a.unit_id == u.id);
                    (u.id, u.name, ruleset.unit_type_name(&u.unit_type).to_owned(), assigned)
                })
                .collect();
        }
        views.push(TeamView {
            dates: format!("{} – {}", vi::date(t.starts_on), vi::date(t.ends_on)),
            members: t
                .members
                .iter()
                .map(|m| (m.user_id.clone(), m.full_name.clone(), m.username.clone(), inspection::role_name(&m.role).to_owned()))
                .collect(),
            units: t
                .units
                .iter()
                .map(|u| {
                    (
                        u.unit_id.clone(),
                        u.name.clone(),
                        ruleset.unit_type_name(&u.unit_type).to_owned(),
                        format!("/c/{}/units/{}", c.id, u.unit_id),
                    )
                })
                .collect(),
            edit_name: typed("edit", "name", t.name.clone()),
            edit_starts: typed("edit", "starts_on", vi::date(t.starts_on)),
            edit_ends: typed("edit", "ends_on", vi::date(t.ends_on)),
            edit_version: t.version,
            edit_errors: errors("edit"),
            member_username: typed("member", "username", String::new()),
            member_role: typed("member", "role", MEMBER.to_owned()),
            member_errors: errors("member"),
            search,
            id: t.id,
            name: t.name,
        });
    }
    let window = window(ruleset, &c);
    let new = failed.team_id.is_none() && failed.form == "new";
    let new_value = |k: &str, default: String| if new { failed.values.get(k).cloned().unwrap_or_default() } else { default };
    let page = TeamsPage {
        frame: Frame::new(user, format!("Đoàn kiểm tra — {}", c.title), "campaigns"),
        new_name: new_value("name", String::new()),
        new_starts: new_value("starts_on", window.as_ref().map(|w| vi::date(w.0)).unwrap_or_default()),
        new_ends: new_value("ends_on", window.as_ref().map(|w| vi::date(w.1)).unwrap_or_default()),
        new_errors: if new { failed.errors } else { FieldErrors::default() },
        window: window.map(|(from, to, text)| format!("Theo bộ tiêu chí, kiểm tra {text}: từ {} đến {}.", vi::date(from), vi::date(to))),
        unit_types: ruleset.unit_types.iter().map(|t| (t.code.clone(), t.name.clone())).collect(),
        teams: views,
        campaign: c,
        scope,
    };
    Ok(page)
}

async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(cid): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Html<String>, AppError> {
    let (c, scope) = managed(&state, &user, &cid).await?;
    Ok(Html(render(&state, &user, c, scope, &query, Failed::default()).await?.render()?))
}

async fn refused(state: &AppState, user: &CurrentUser, c: CampaignRow, scope: UnitRow, failed: Failed) -> Result<Response, AppError> {
    let query = PageQuery { team: failed.team_id.clone().unwrap_or_default(), ..PageQuery::default() };
    let page = render(state, user, c, scope, &query, failed).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}

fn back(cid: &str, tid: &str) -> Response {
    crate::forms::saved(&format!("/c/{cid}/inspection?team={tid}#team-{tid}"), "Đã lưu đoàn kiểm tra.")
}

#[derive(Debug, Deserialize)]
pub struct TeamForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    version: Option<i64>,
}

/// The team's name and dates, when the dates read as dates.
fn read_team(form: &TeamForm, errors: &mut FieldErrors) -> Option<antt_app::inspection::TeamForm> {
    let starts = errors.date("starts_on", &form.starts_on);
    let ends = errors.date("ends_on", &form.ends_on);
    Some(antt_app::inspection::TeamForm { name: form.name.clone(), starts_on: starts?, ends_on: ends? })
}

fn team_values(form: &TeamForm) -> BTreeMap<&'static str, String> {
    BTreeMap::from([("name", form.name.clone()), ("starts_on", form.starts_on.clone()), ("ends_on", form.ends_on.clone())])
}

async fn create_team(
    State(state): State<AppState>,
    Path(cid): Path<String>,
    SecureForm(user, form): SecureForm<TeamForm>,
) -> Result<Response, AppError> {
    let (c, scope) = managed(&state, &user, &cid).await?;
    let mut errors = FieldErrors::default();
    if let Some(team) = read_team(&form, &mut errors) {
        match state.app.create_team(&user.actor, &cid, &team).await {
            Ok(id) => return Ok(back(&c.id, &id)),
            Err(e) => refusal(&mut errors, "name", e)?,
        }
    }
    refused(&state, &user, c, scope, Failed { team_id: None, form: "new", values: team_values(&form), errors }).await
}

async fn update_team(
    State(state): State<AppState>,
    Path((cid, tid)): Path<(String, String)>,
    SecureForm(user, form): SecureForm<TeamForm>,
) -> Result<Response, AppError> {
    let (c, scope) = managed(&state, &user, &cid).await?;
    inspection::team(state.app.store(), &c.id, &tid).await?.ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::default();
    if let Some(team) = read_team(&form, &mut errors) {
        match state.app.update_team(&user.actor, &cid, &tid, form.version.unwrap_or_default(), &team).await {
            Ok(()) => return Ok(back(&c.id, &tid)),
            Err(e) => refusal(&mut errors, "name", e)?,
        }
    }
    refused(&state, &user, c, scope, Failed { team_id: Some(tid), form: "edit", values: team_values(&form), errors }).await
}

#[derive(Debug, Deserialize)]
pub struct MemberForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    user_id: String,
}

async fn add_member(
    State(state): State<AppState>,
    Path((cid, tid)): Path<(String, String)>,
    SecureForm(user, form): SecureForm<MemberForm>,
) -> Result<Response, AppError> {
    let (c, scope) = managed(&state, &user, &cid).await?;
    inspection::team(state.app.store(), &c.id, &tid).await?.ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::default();
    match state.app.add_team_member(&user.actor, &cid, &tid, &form.username, &form.role).await {
        Ok(()) => return Ok(back(&c.id, &tid)),
        Err(e) => refusal(&mut errors, "username", e)?,
    }
    let values = BTreeMap::from([("username", form.username.clone()), ("role", form.role.clone())]);
    refused(&state, &user, c, scope, Failed { team_id: Some(tid), form: "member", values, errors }).await
}

async fn remove_member(
    State(state): State<AppState>,
    Path((cid, tid)): Path<(String, String)>,
    SecureForm(user, form): SecureForm<MemberForm>,
) -> Result<Response, AppError> {
    state.app.remove_team_member(&user.actor, &cid, &tid, &form.user_id).await?;
    Ok(back(&cid, &tid))
}

#[derive(Debug, Deserialize)]
pub struct UnitForm {
    unit_id: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    unit_type: String,
}

async fn change_assignment(
    state: &AppState,
    user: &CurrentUser,
    cid: &str,
    tid: &str,
    form: &UnitForm,
    add: bool,
) -> Result<Response, AppError> {
    state.app.assign_unit(&user.actor, cid, tid, &form.unit_id, add).await?;
    let query =
        serde_urlencoded::to_string([("team", tid), ("q", form.q.as_str()), ("unit_type", form.unit_type.as_str())]).unwrap_or_default();
    Ok(crate::forms::saved(&format!("/c/{cid}/inspection?{query}#team-{tid}"), "Đã lưu phân công."))
}

async fn assign(
    State(state): State<AppState>,
    Path((cid, tid)): Path<(String, String)>,
    SecureForm(user, form): SecureForm<UnitForm>,
) -> Result<Response, AppError> {
    change_assignment(&state, &user, &cid, &tid, &form, true).await
}

async fn unassign(
    State(state): State<AppState>,
    Path((cid, tid)): Path<(String, String)>,
    SecureForm(user, form): SecureForm<UnitForm>,
) -> Result<Response, AppError> {
    change_assignment(&state, &user, &cid, &tid, &form, false).await
}
