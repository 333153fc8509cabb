//! Campaigns: the list (with search), launching a campaign under a ruleset with the settings it
//! declares, and a campaign's computed deadlines by unit type.

use antt_app::campaigns::{LaunchForm, setting_field, validity};
use antt_core::access::Action;
use antt_core::calendar::{Authority, Calendar, RegistrationRule};
use antt_core::text::fold;
use antt_core::vi;
use antt_store::campaigns;
use antt_store::units::{self, UnitRow};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::forms::{FieldErrors, SecureForm, on_form};
use crate::pages::dashboard::{Pager, campaign, campaigns_for, default_unit};
use crate::view::Frame;
use crate::{AppError, AppState};

pub fn routes() -> Router<AppState> {
    Router::new().route("/campaigns", get(list)).route("/campaigns/new", get(new_form).post(create)).route("/campaigns/{cid}", get(show))
}

const PER_PAGE: u32 = 20;

// --- List ------------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<u32>,
}

#[derive(Debug, Clone)]
struct ListRow {
    id: String,
    title: String,
    year: i32,
    plan: String,
    ruleset: String,
    scope: String,
    dashboard: String,
}

#[derive(Template)]
#[template(path = "campaign_list.html")]
struct ListPage {
    frame: Frame,
    q: String,
    rows: Vec<ListRow>,
    pager: Pager,
    can_create: bool,
}

async fn list(State(state): State<AppState>, user: CurrentUser, Query(query): Query<ListQuery>) -> Result<Html<String>, AppError> {
    let needle = fold(query.q.trim());
    let mut rows = Vec::new();
    for (c, scope, roots) in campaigns_for(&state, &user).await? {
        let plan = match &c.plan_number {
            Some(n) => format!("{n}, ngày {}", vi::date(c.plan_date)),
            None => format!("ngày {}", vi::date(c.plan_date)),
        };
        if !needle.is_empty() && !fold(&format!("{} {} {} {}", c.title, plan, c.year, scope.name)).contains(&needle) {
            continue;
        }
        let root = roots.first().map(|r| crate::pages::dashboard::path_id(r)).unwrap_or_default();
        let regime = state.app.ruleset(&c).await?.regime.clone();
        rows.push(ListRow {
            dashboard: format!("/c/{}/dashboard?unit={root}", c.id),
            ruleset: regime,
            id: c.id,
            title: c.title,
            year: c.year,
            plan,
            scope: scope.name,
        });
    }
    let pager = Pager::for_query("/campaigns", &[("q", query.q.as_str())], rows.len() as u64, query.page.unwrap_or(1), PER_PAGE);
    let rows = pager.slice(&rows, PER_PAGE);
    let can_create = user.actor.grants.iter().any(|g| g.role.allows(Action::ManageCampaign));
    let frame = Frame::new(&user, "Đợt phát động", "campaigns");
    Ok(Html(ListPage { frame, q: query.q, rows, pager, can_create }.render()?))
}

// --- New campaign ----------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct SettingField {
    field: String,
    description: String,
    options: Vec<(String, String, bool)>,
}

#[derive(Debug, Clone)]
struct RulesetOption {
    id: String,
    name: String,
    validity: String,
    selected: bool,
    settings: Vec<SettingField>,
}

#[derive(Template)]
#[template(path = "campaign_new.html")]
struct NewPage {
    frame: Frame,
    plan_number: String,
    plan_date: String,
    year: String,
    title: String,
    scopes: Vec<(String, String, bool)>,
    rulesets: Vec<RulesetOption>,
    errors: FieldErrors,
    /// Why the launch was refused as a whole (when no single field is at fault).
    message: Option<String>,
}

fn value_name(value: &str) -> String {
    Authority::parse(value).map_or_else(|| value.to_owned(), |a| a.name().to_owned())
}

/// The units where the user may launch campaigns: the units of their grants that allow it.
async fn manageable(state: &AppState, user: &CurrentUser) -> Result<Vec<UnitRow>, AppError> {
    let mut out: Vec<UnitRow> = Vec::new();
    for g in user.actor.grants.iter().filter(|g| g.role.allows(Action::ManageCampaign)) {
        if out.iter().any(|u| u.id == g.unit_id) {
            continue;
        }
        if let Some(u) = units::get(state.app.store(), &g.unit_id).await? {
            out.push(u);
        }
    }
    Ok(out)
}

fn value<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v.as_str())
}

async fn render_new(state: &AppState, user: &CurrentUser, pairs: &[(String, String)], errors: FieldErrors) -> Result<NewPage, AppError> {
    let scopes = manageable(state, user).await?;
    if scopes.is_empty() {
        return Err(antt_app::access::forbidden(Action::ManageCampaign).into());
    }
    let chosen_scope = value(pairs, "scope_unit");
    let offered = state.app.offered_rulesets().await?;
    let chosen_ruleset = match value(pairs, "ruleset") {
        "" => state.app.rulesets().values().max_by_key(|r| r.valid_from).map(|r| r.id.clone()).unwrap_or_default(),
        r => r.to_owned(),
    };
    let rulesets = offered
        .iter()
        .map(|o| (o, o.ruleset.as_ref()))
        .map(|(o, r)| RulesetOption {
            id: r.id.clone(),
            name: match &o.stored {
                Some(s) => format!("{} (bổ sung, phiên bản {})", r.name, s.version),
                None => r.name.clone(),
            },
            validity: validity(r),
            selected: r.id == chosen_ruleset,
            settings: r
                .settings
                .iter()
                .map(|(name, s)| {
                    let field = setting_field(&r.id, name);
                    let typed = match value(pairs, &field) {
                        "" => s.default.as_str(),
                        v => v,
                    };
                    SettingField {
                        description: s.description.clone(),
                        options: s.allowed.iter().map(|v| (v.clone(), value_name(v), v == typed)).collect(),
                        field,
                    }
                })
                .collect(),
        })
        .collect();
    let year = match value(pairs, "year") {
        "" if pairs.is_empty() => antt_app::today().format("%Y").to_string(),
        y => y.to_owned(),
    };
    Ok(NewPage {
        frame: Frame::new(user, "Tạo đợt phát động", "campaigns"),
        plan_number: value(pairs, "plan_number").to_owned(),
        plan_date: value(pairs, "plan_date").to_owned(),
        year,
        title: value(pairs, "title").to_owned(),
        scopes: scopes.into_iter().map(|u| (u.id.clone(), u.name, u.id == chosen_scope)).collect(),
        rulesets,
        errors,
        message: None,
    })
}

async fn new_form(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>, AppError> {
    Ok(Html(render_new(&state, &user, &[], FieldErrors::default()).await?.render()?))
}

async fn create(State(state): State<AppState>, SecureForm(user, pairs): SecureForm<Vec<(String, String)>>) -> Result<Response, AppError> {
    let ruleset = value(&pairs, "ruleset");
    let prefix = setting_field(ruleset, "");
    let form = LaunchForm {
        scope_unit: value(&pairs, "scope_unit").to_owned(),
        title: value(&pairs, "title").to_owned(),
        plan_number: value(&pairs, "plan_number").to_owned(),
        plan_date: value(&pairs, "plan_date").to_owned(),
        year: value(&pairs, "year").to_owned(),
        ruleset: ruleset.to_owned(),
        settings: pairs.iter().filter_map(|(k, v)| Some((k.strip_prefix(&prefix)?.to_owned(), v.clone()))).collect(),
    };
    match state.app.launch_campaign(&user.actor, &form).await {
        Ok(row) => Ok(crate::forms::saved(&format!("/campaigns/{}", row.id), "Đã lưu đợt phát động mới.")),
        Err(e) => {
            let (status, errors, message) = on_form(e)?;
            let mut page = render_new(&state, &user, &pairs, errors).await?;
            page.message = message;
            Ok((status, Html(page.render()?)).into_response())
        }
    }
}

// --- One campaign ----------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct TypeRow {
    name: String,
    registration: String,
    registration_rule: String,
    period: String,
    period_text: String,
    decision: String,
    classification: String,
    authority: String,
}

#[derive(Template)]
#[template(path = "campaign_show.html")]
struct ShowPage {
    frame: Frame,
    campaign: campaigns::CampaignRow,
    scope: UnitRow,
    plan_date: String,
    ruleset_name: String,
    /// Which text of the ruleset the campaign keeps: its version and the start of its hash.
    ruleset_text: String,
    legal_basis: Vec<String>,
    settings: Vec<(String, String)>,
    inspection: Option<String>,
    rows: Vec<TypeRow>,
    calendar_error: Option<String>,
    dashboard: String,
    review: String,
    may_manage: bool,
    may_review: bool,
}

fn registration_rule_text(rule: Option<&RegistrationRule>) -> String {
    match rule {
        Some(RegistrationRule::DaysAfterPlan(n)) => format!("trong {n} ngày kể từ ngày ban hành kế hoạch"),
        Some(RegistrationRule::DaysAfterPeriodStart(n)) => format!("trong {n} ngày kể từ đầu kỳ đánh giá"),
        Some(RegistrationRule::By(a)) => format!("chậm nhất ngày {:02}/{:02}", a.day, a.month),
        None => String::new(),
    }
}

async fn show(State(state): State<AppState>, user: CurrentUser, Path(cid): Path<String>) -> Result<Html<String>, AppError> {
    let (c, scope) = campaign(&state, &user, &cid).await?;
    let ruleset = state.app.ruleset(&c).await?;
    let ruleset = &*ruleset;
    let calendar = Calendar::new(&ruleset.timeline, ruleset.unit_types.iter().map(|t| &t.code), &c.to_core(), &ruleset.settings);
    let text_for = |rules: &[antt_core::calendar::ForTypes<antt_core::calendar::Deadline>], t: &str| {
        rules.iter().find(|r| r.unit_types.iter().any(|x| x == t)).map(|r| r.rule.text.clone()).unwrap_or_default()
    };
    let (rows, inspection, calendar_error) = match &calendar {
        Ok(cal) => {
            let rows = ruleset
                .unit_types
                .iter()
                .filter_map(|t| {
                    let d = cal.by_type.get(&t.code)?;
                    let with_text = |date: Option<chrono::NaiveDate>, text: String| match date {
                        Some(x) if text.is_empty() => vi::date(x),
                        Some(x) => format!("{} ({text})", vi::date(x)),
                        None => "—".to_owned(),
                    };
                    Some(TypeRow {
                        name: t.name.clone(),
                        registration: vi::date(d.registration_deadline),
                        registration_rule: registration_rule_text(ruleset.timeline.registration_rule(&t.code)),
                        period: format!("{} – {}", vi::date(d.period_from), vi::date(d.period_to)),
                        period_text: ruleset
                            .timeline
                            .evaluation_period
                            .iter()
                            .find(|r| r.unit_types.contains(&t.code))
                            .and_then(|r| r.rule.text.clone())
                            .unwrap_or_default(),
                        decision: with_text(d.decision_deadline, text_for(&ruleset.timeline.decision_deadline, &t.code)),
                        classification: with_text(d.classification_deadline, text_for(&ruleset.timeline.classification_deadline, &t.code)),
                        authority: d.authority.name().to_owned(),
                    })
                })
                .collect();
            let inspection = cal.inspection.map(|(from, to)| {
                let text = ruleset.timeline.inspection.as_ref().map(|w| format!(" ({})", w.text)).unwrap_or_default();
                format!("từ {} đến {}{text}", vi::date(from), vi::date(to))
            });
            (rows, inspection, None)
        }
        Err(e) => (Vec::new(), None, Some(e.to_string())),
    };
    let settings = ruleset
        .settings
        .iter()
        .map(|(name, s)| (s.description.clone(), value_name(ruleset.setting(name, &c.settings).unwrap_or(&s.default))))
        .collect();
    let root = default_unit(&user, &scope);
    let frame = Frame::new(&user, c.title.clone(), "campaigns");
    let page = ShowPage {
        frame,
        plan_date: vi::date(c.plan_date),
        ruleset_name: ruleset.name.clone(),
        ruleset_text: format!(
            "{} phiên bản {}, mã băm SHA-256 {}",
            c.ruleset,
            c.ruleset_version,
            c.ruleset_hash.get(..16).unwrap_or_default()
        ),
        legal_basis: ruleset.legal_basis.clone(),
        settings,
        inspection,
        rows,
        calendar_error,
        dashboard: format!("/c/{}/dashboard?unit={root}", c.id),
        review: format!("/c/{}/review?unit={root}", c.id),
        may_manage: user.actor.may(Action::ManageCampaign, &scope.path),
        may_review: crate::pages::dashboard::roots_in(&user, &scope.path)
            .first()
            .is_some_and(|p| antt_core::access::permits(&user.actor.grants, Action::Review, p)),
        campaign: c,
        scope,
    };
    Ok(Html(page.render()?))
}
