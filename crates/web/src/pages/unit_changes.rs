//! A commune's own units in the browser: the tab "Đơn vị trực thuộc" of a commune lists its
//! residential areas, agencies, schools and places of worship and adds one; the tab "Sửa đơn
//! vị" of such a unit renames it, moves it to another commune, or records that it no longer
//! exists. Each form calls `App::change_unit`, whose checks are the import's.

use antt_app::units::{UnitChange, keepable_types};
use antt_core::access::Action;
use antt_store::campaigns::CampaignRow;
use antt_store::units::{self, UnitRow};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};

use super::facts::OptView;
use super::units::{UnitHead, head, in_campaign};
use crate::auth::CurrentUser;
use crate::forms::{FieldErrors, Fields, SecureForm, on_form, saved};
use crate::view::Frame;
use crate::{AppError, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/c/{cid}/units/{uid}/children", get(children_page).post(create))
        .route("/c/{cid}/units/{uid}/edit", get(edit_page).post(change))
        .route("/c/{cid}/units/{uid}/retire", post(retire))
}

#[derive(Debug)]
struct KeptView {
    id: String,
    name: String,
    type_name: String,
    code: String,
    /// "Thôi từ 03/12/2026" for a unit that no longer exists.
    ended: Option<String>,
}

#[derive(Template)]
#[template(path = "unit_children.html")]
struct ChildrenPage {
    frame: Frame,
    head: UnitHead,
    kept: Vec<KeptView>,
    types: Vec<OptView>,
    name: String,
    code: String,
    errors: FieldErrors,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "unit_edit.html")]
struct EditPage {
    frame: Frame,
    head: UnitHead,
    /// The commune the unit belongs to.
    commune: UnitRow,
    ended: Option<String>,
    version: i64,
    name: String,
    parent: String,
    errors: FieldErrors,
    error: Option<String>,
    retire_error: Option<String>,
}

fn day(d: &str) -> String {
    chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_or_else(|_| d.to_owned(), antt_core::vi::date)
}

async fn render_children(
    state: &AppState,
    user: &CurrentUser,
    campaign: &CampaignRow,
    commune: &UnitRow,
    typed: &Fields,
    refused: Option<(StatusCode, FieldErrors, Option<String>)>,
) -> Result<Response, AppError> {
    let ruleset = state.app.ruleset(campaign).await?;
    let kept = units::children(state.app.store(), &commune.id)
        .await?
        .into_iter()
        .filter(|u| u.unit_type != "commune")
        .map(|u| KeptView {
            type_name: ruleset.unit_type_name(&u.unit_type).to_owned(),
            code: u.official_code.clone().unwrap_or_default(),
            ended: u.valid_to.as_deref().map(|d| format!("Thôi từ {}", day(d))),
            id: u.id,
            name: u.name,
        })
        .collect();
    let chosen = typed.get("unit_type");
    let types = keepable_types(&ruleset)
        .into_iter()
        .map(|(value, label)| OptView { selected: value == chosen, label: super::facts::capitalise_first(&label), value })
        .collect();
    let (status, errors, error) = refused.unwrap_or((StatusCode::OK, FieldErrors::default(), None));
    let page = ChildrenPage {
        frame: Frame::new(user, format!("Đơn vị trực thuộc — {}", commune.name), "units"),
        head: head(state, user, campaign, commune, "children").await?,
        kept,
        types,
        name: typed.get("name").to_owned(),
        code: typed.get("code").to_owned(),
        errors,
        error,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn children_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((cid, uid)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (campaign, commune) = in_campaign(&state, &user, &cid, &uid, Action::EditFacts).await?;
    render_children(&state, &user, &campaign, &commune, &Fields::default(), None).await
}

async fn create(
    State(state): State<AppState>,
    Path((cid, uid)): Path<(String, String)>,
    SecureForm(user, form): SecureForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = Fields(form);
    let change = UnitChange::Create {
        parent_id: uid.clone(),
        unit_type: form.get("unit_type").to_owned(),
        name: form.get("name").to_owned(),
        code: form.get("code").to_owned(),
    };
    match state.app.change_unit(&user.actor, &cid, &change).await {
        Ok(unit) => Ok(saved(&format!("/c/{cid}/units/{uid}/children"), &format!("Đã lưu: đã thêm “{}”.", unit.name))),
        Err(e) => {
            let refused = on_form(e)?;
            let (campaign, commune) = in_campaign(&state, &user, &cid, &uid, Action::EditFacts).await?;
            render_children(&state, &user, &campaign, &commune, &form, Some(refused)).await
        }
    }
}

/// What the edit page shows besides the stored unit: the forms as typed, with their refusal.
#[derive(Default)]
struct Typed {
    change: Option<(Fields, FieldErrors, Option<String>)>,
    retire: Option<String>,
    status: Option<StatusCode>,
}

async fn render_edit(state: &AppState, user: &CurrentUser, cid: &str, uid: &str, typed: Typed) -> Result<Response, AppError> {
    let (campaign, unit) = in_campaign(state, user, cid, uid, Action::Read).await?;
    let head = head(state, user, &campaign, &unit, "edit").await?;
    if !head.can_change_unit {
        return Err(antt_app::access::forbidden(Action::EditFacts).into());
    }
    let commune = units::get(state.app.store(), unit.parent_id.as_deref().unwrap_or_default()).await?.ok_or(AppError::NotFound)?;
    let (name, parent, errors, error) = match typed.change {
        Some((f, errors, error)) => (f.get("name").to_owned(), f.get("parent").to_owned(), errors, error),
        None => (unit.name.clone(), String::new(), FieldErrors::default(), None),
    };
    let page = EditPage {
        frame: Frame::new(user, format!("Sửa đơn vị — {}", unit.name), "units"),
        head,
        commune,
        ended: unit.valid_to.as_deref().map(|d| format!("Đơn vị đã thôi tồn tại từ {}.", day(d))),
        version: unit.version,
        name,
        parent,
        errors,
        error,
        retire_error: typed.retire,
    };
    Ok((typed.status.unwrap_or(StatusCode::OK), Html(page.render()?)).into_response())
}

async fn edit_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((cid, uid)): Path<(String, String)>,
) -> Result<Response, AppError> {
    render_edit(&state, &user, &cid, &uid, Typed::default()).await
}

fn version(form: &Fields) -> i64 {
    form.get("version").trim().parse().unwrap_or(-1)
}

async fn change(
    State(state): State<AppState>,
    Path((cid, uid)): Path<(String, String)>,
    SecureForm(user, form): SecureForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = Fields(form);
    let change = UnitChange::Change {
        unit_id: uid.clone(),
        version: version(&form),
        name: form.get("name").to_owned(),
        parent: form.get("parent").to_owned(),
    };
    match state.app.change_unit(&user.actor, &cid, &change).await {
        Ok(unit) => Ok(saved(&format!("/c/{cid}/units/{uid}/edit"), &format!("Đã lưu “{}”.", unit.name))),
        Err(e) => {
            let (status, errors, error) = on_form(e)?;
            render_edit(&state, &user, &cid, &uid, Typed { change: Some((form, errors, error)), retire: None, status: Some(status) }).await
        }
    }
}

async fn retire(
    State(state): State<AppState>,
    Path((cid, uid)): Path<(String, String)>,
    SecureForm(user, form): SecureForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = Fields(form);
    let refused = if form.has("confirm") {
        match state.app.change_unit(&user.actor, &cid, &UnitChange::Retire { unit_id: uid.clone(), version: version(&form) }).await {
            Ok(unit) => {
                let to =
                    unit.parent_id.as_deref().map_or_else(|| format!("/c/{cid}/units/{uid}"), |p| format!("/c/{cid}/units/{p}/children"));
                return Ok(saved(&to, &format!("Đã lưu: “{}” thôi tồn tại từ hôm nay.", unit.name)));
            }
            Err(e) => {
                let (status, errors, error) = on_form(e)?;
                (status, error.or_else(|| errors.0.into_values().next()))
            }
        }
    } else {
        (StatusCode::UNPROCESSABLE_ENTITY, Some("Cần đánh dấu ô xác nhận đơn vị không còn tồn tại.".to_owned()))
    };
    render_edit(&state, &user, &cid, &uid, Typed { change: None, retire: refused.1, status: Some(refused.0) }).await
}
