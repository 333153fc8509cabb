//! Inspection teams of a campaign: create a team with its dates (the ruleset's inspection window
//! is the hint), add members as leader or member, and assign units found by search. A member of
//! a team assigned to a unit is that unit's inspector.

use std::collections::BTreeMap;

use antt_core::access::Action;
use antt_core::calendar::Calendar;
use antt_core::vi;
use antt_store::campaigns::CampaignRow;
use antt_store::inspection::{self, By, LEADER, MEMBER, TeamInput};
use antt_store::units::{self, UnitRow};
use antt_store::{Result as StoreResult, StoreError};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::forms::{FieldErrors, SecureForm};
use crate::pages::dashboard::{Pager, campaign, campaign_scope, unit_in};
use crate::view::Frame;
use crate::{AppError, AppState, guard};

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
    let c = campaign(state, cid).await?;
    let scope = campaign_scope(state, user, &c).await?;
    guard::check(user, &scope, Action::ManageCampaign)?;
    Ok((c, scope))
}

fn window(state: &AppState, c: &CampaignRow) -> Option<(chrono::NaiveDate, chrono::NaiveDate, String)> {
    let r = state.rulesets.get(&c.ruleset)?;
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
    let ruleset = state.ruleset(&c.ruleset)?;
    let teams = inspection::teams(&state.store, &c.id).await?;
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
                &state.store,
                &scope.path,
                &query.q,
                (!query.unit_type.is_empty()).then_some(query.unit_type.as_str()),
                query.page.unwrap_or(1),
                PER_PAGE,
            )
            .await?;
            let base = format!("/c/{}/inspection", c.id);
            search.pager = Some(Pager::new(
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
    let window = window(state, &c);
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
    Redirect::to(&format!("/c/{cid}/inspection?team={tid}#team-{tid}")).into_response()
}

/// A store message as a sentence: capital first letter, final full stop.
pub(crate) fn sentence(m: &str) -> String {
    let mut chars = m.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str().trim_end_matches('.')),
        None => String::new(),
    }
}

/// Maps a store refusal to a field error, or passes other errors on.
fn store_error(errors: &mut FieldErrors, field: &str, e: StoreError) -> Result<(), AppError> {
    match e {
        StoreError::Invalid(m) => {
            errors.add(field, sentence(&m));
            Ok(())
        }
        StoreError::Conflict => {
            errors.add(field, AppError::Conflict.to_string());
            Ok(())
        }
        e => Err(e.into()),
    }
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

fn read_team(form: &TeamForm, errors: &mut FieldErrors) -> Option<(String, chrono::NaiveDate, chrono::NaiveDate)> {
    let name = errors.required("name", &form.name);
    let starts = errors.date("starts_on", &form.starts_on);
    let ends = errors.date("ends_on", &form.ends_on);
    if let (Some(s), Some(e)) = (starts, ends)
        && e < s
    {
        errors.add("ends_on", "Ngày kết thúc phải sau ngày bắt đầu.");
    }
    match (name, starts, ends) {
        (Some(n), Some(s), Some(e)) if errors.is_empty() => Some((n, s, e)),
        _ => None,
    }
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
    if let Some((name, starts_on, ends_on)) = read_team(&form, &mut errors) {
        let by = By { user_id: &user.user.id, campaign_id: &c.id, scope_unit_id: &scope.id };
        let mut tx = state.store.begin().await?;
        match inspection::create_team(&mut tx, by, &TeamInput { name: &name, starts_on, ends_on }).await {
            Ok(id) => {
                tx.commit().await.map_err(StoreError::from)?;
                return Ok(back(&c.id, &id));
            }
            Err(e) => store_error(&mut errors, "name", e)?,
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
    inspection::team(&state.store, &c.id, &tid).await?.ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::default();
    if let Some((name, starts_on, ends_on)) = read_team(&form, &mut errors) {
        let by = By { user_id: &user.user.id, campaign_id: &c.id, scope_unit_id: &scope.id };
        let mut tx = state.store.begin().await?;
        let input = TeamInput { name: &name, starts_on, ends_on };
        match inspection::update_team(&mut tx, by, &tid, form.version.unwrap_or_default(), &input).await {
            Ok(()) => {
                tx.commit().await.map_err(StoreError::from)?;
                return Ok(back(&c.id, &tid));
            }
            Err(e) => store_error(&mut errors, "name", e)?,
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
    inspection::team(&state.store, &c.id, &tid).await?.ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::default();
    let member = match errors.required("username", &form.username) {
        Some(name) => {
            let found = inspection::find_user(&state.store, &name).await?;
            if found.is_none() {
                errors.add("username", format!("Không có người dùng “{name}”."));
            }
            found
        }
        None => None,
    };
    if form.role != LEADER && form.role != MEMBER {
        errors.add("role", "Cần chọn vai trò trong đoàn.");
    }
    if let (Some(m), true) = (member, errors.is_empty()) {
        let by = By { user_id: &user.user.id, campaign_id: &c.id, scope_unit_id: &scope.id };
        let mut tx = state.store.begin().await?;
        match inspection::add_member(&mut tx, by, &tid, &m.id, &form.role).await {
            Ok(()) => {
                tx.commit().await.map_err(StoreError::from)?;
                return Ok(back(&c.id, &tid));
            }
            Err(e) => store_error(&mut errors, "username", e)?,
        }
    }
    let values = BTreeMap::from([("username", form.username.clone()), ("role", form.role.clone())]);
    refused(&state, &user, c, scope, Failed { team_id: Some(tid), form: "member", values, errors }).await
}

async fn remove_member(
    State(state): State<AppState>,
    Path((cid, tid)): Path<(String, String)>,
    SecureForm(user, form): SecureForm<MemberForm>,
) -> Result<Response, AppError> {
    let (c, scope) = managed(&state, &user, &cid).await?;
    let by = By { user_id: &user.user.id, campaign_id: &c.id, scope_unit_id: &scope.id };
    let mut tx = state.store.begin().await?;
    inspection::remove_member(&mut tx, by, &tid, &form.user_id).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(back(&c.id, &tid))
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
    let (c, scope) = managed(state, user, cid).await?;
    let unit = unit_in(state, user, &scope, &form.unit_id, Action::ManageCampaign).await?;
    let ruleset = state.ruleset(&c.ruleset)?;
    if add && ruleset.unit_type(&unit.unit_type).is_none() {
        return Err(AppError::BadRequest(format!("{} không thuộc đối tượng đánh giá của bộ tiêu chí.", unit.name)));
    }
    let by = By { user_id: &user.user.id, campaign_id: &c.id, scope_unit_id: &scope.id };
    let mut tx = state.store.begin().await?;
    let done: StoreResult<()> =
        if add { inspection::assign(&mut tx, by, tid, &unit.id).await } else { inspection::unassign(&mut tx, by, tid, &unit.id).await };
    done?;
    tx.commit().await.map_err(StoreError::from)?;
    let query =
        serde_urlencoded::to_string([("team", tid), ("q", form.q.as_str()), ("unit_type", form.unit_type.as_str())]).unwrap_or_default();
    Ok(Redirect::to(&format!("/c/{}/inspection?{query}#team-{tid}", c.id)).into_response())
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
