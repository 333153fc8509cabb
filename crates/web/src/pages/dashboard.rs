//! The dashboard of a campaign for a unit in the user's scope: how many units registered (on
//! time, late), scored themselves, were inspected, and are recognised — by child unit and by
//! unit type, with charts — refreshed by htmx polling so it is current within moments of any
//! write. Also the helpers the steering pages share: campaigns in the user's scope, units inside
//! a campaign, paging.

use std::collections::{BTreeMap, HashMap};

use antt_core::access::Action;
use antt_core::eval::Outcome;
use antt_core::report::UnitReport;
use antt_core::rollup::Counts;
use antt_core::vi;
use antt_store::campaigns::CampaignRow;
use antt_store::inspection;
use antt_store::units::{self, UnitRow};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::view::Frame;
use crate::{AppError, AppState};
use antt_app::verdicts::Results;

pub fn routes() -> Router<AppState> {
    Router::new().route("/dashboard", get(latest)).route("/c/{cid}/dashboard", get(page)).route("/c/{cid}/dashboard/numbers", get(numbers))
}

// --- Shared helpers of the steering pages ----------------------------------------------------

/// The id of the unit at the end of a materialised path.
pub(crate) fn path_id(path: &str) -> &str {
    path.trim_end_matches('/').rsplit('/').next().unwrap_or_default()
}

/// The roots of the user's scope inside a campaign whose scope unit has `scope_path`: a grant
/// inside the campaign gives its own unit, a grant above it gives the campaign's scope unit.
pub(crate) fn roots_in(user: &CurrentUser, scope_path: &str) -> Vec<String> {
    let mut roots: Vec<String> = user
        .actor
        .scopes()
        .into_iter()
        .filter_map(|p| {
            if p.starts_with(scope_path) {
                Some(p.to_owned())
            } else if scope_path.starts_with(p) {
                Some(scope_path.to_owned())
            } else {
                None
            }
        })
        .collect();
    roots.dedup();
    roots
}

/// The campaign and its scope unit, when the user takes part in it (404 otherwise).
pub(crate) async fn campaign(state: &AppState, user: &CurrentUser, cid: &str) -> Result<(CampaignRow, UnitRow), AppError> {
    Ok(state.app.campaign(&user.actor, cid).await?)
}

/// A unit of the campaign the user may perform `action` on: 404 outside the user's subtree or
/// outside the campaign's scope, 403 when the role may not.
pub(crate) async fn unit_in(
    state: &AppState,
    user: &CurrentUser,
    scope: &UnitRow,
    unit_id: &str,
    action: Action,
) -> Result<UnitRow, AppError> {
    Ok(state.app.unit_of(&user.actor, scope, unit_id, action).await?)
}

/// The unit a campaign page shows when none is asked for: the user's first root in it.
pub(crate) fn default_unit(user: &CurrentUser, scope: &UnitRow) -> String {
    roots_in(user, &scope.path).first().map_or_else(|| scope.id.clone(), |p| path_id(p).to_owned())
}

/// The campaigns whose scope meets the user's, newest first, with the user's roots in each.
pub(crate) async fn campaigns_for(state: &AppState, user: &CurrentUser) -> Result<Vec<(CampaignRow, UnitRow, Vec<String>)>, AppError> {
    let taken = state.app.campaigns_for(&user.actor).await?;
    Ok(taken.into_iter().map(|(c, scope)| (c, scope.clone(), roots_in(user, &scope.path))).collect())
}

/// The ancestors of `unit` the user can read inside the campaign, for a breadcrumb.
pub(crate) async fn crumbs(state: &AppState, user: &CurrentUser, scope: &UnitRow, unit: &UnitRow) -> Result<Vec<UnitRow>, AppError> {
    let ancestors = units::ancestors(state.app.store(), unit).await?;
    Ok(ancestors.into_iter().filter(|a| a.path.starts_with(&scope.path) && user.actor.may(Action::Read, &a.path)).collect())
}

pub(crate) use crate::view::Pager;

// --- Numbers -----------------------------------------------------------------------------------

/// What the dashboard counts for a set of units.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    units: u32,
    registered: u32,
    on_time: u32,
    late: u32,
    self_assessed: u32,
    inspected: u32,
    recognised: u32,
    not_recognised: u32,
    incomplete: u32,
}

impl Tally {
    fn add_counts(&mut self, c: &Counts) {
        self.units += c.total - c.out_of_scope;
        self.registered += c.registered;
        self.on_time += c.registered_on_time;
        self.late += c.registered.saturating_sub(c.registered_on_time);
        self.recognised += c.recognised;
        self.not_recognised += c.not_recognised;
        self.incomplete += c.incomplete;
    }

    fn add_report(&mut self, r: &UnitReport) {
        if r.outcome == Outcome::OutOfScope {
            return;
        }
        self.units += 1;
        if let Some(reg) = &r.registration {
            self.registered += 1;
            if reg.timeliness.is_on_time() {
                self.on_time += 1;
            } else {
                self.late += 1;
            }
        }
        match r.outcome {
            Outcome::Recognised => self.recognised += 1,
            Outcome::NotRecognised => self.not_recognised += 1,
            Outcome::Incomplete => self.incomplete += 1,
            Outcome::OutOfScope => {}
        }
    }

    fn add_scores(&mut self, s: &inspection::Scored) {
        self.self_assessed += u32::from(s.self_assessed);
        self.inspected += u32::from(s.reviewed);
    }

    fn add(&mut self, o: &Tally) {
        self.units += o.units;
        self.registered += o.registered;
        self.on_time += o.on_time;
        self.late += o.late;
        self.self_assessed += o.self_assessed;
        self.inspected += o.inspected;
        self.recognised += o.recognised;
        self.not_recognised += o.not_recognised;
        self.incomplete += o.incomplete;
    }
}

/// A row of a table, formatted.
#[derive(Debug, Clone)]
struct Row {
    name: String,
    href: Option<String>,
    units: String,
    registered: String,
    on_time: String,
    late: String,
    self_assessed: String,
    inspected: String,
    recognised: String,
    not_recognised: String,
    incomplete: String,
    share: String,
}

impl Row {
    fn new(name: String, href: Option<String>, t: &Tally) -> Self {
        let n = |x: u32| vi::integer(u64::from(x));
        Self {
            name,
            href,
            units: n(t.units),
            registered: n(t.registered),
            on_time: n(t.on_time),
            late: n(t.late),
            self_assessed: n(t.self_assessed),
            inspected: n(t.inspected),
            recognised: n(t.recognised),
            not_recognised: n(t.not_recognised),
            incomplete: n(t.incomplete),
            share: vi::percent(u64::from(t.recognised), u64::from(t.units)),
        }
    }
}

/// The part of the dashboard that polling refreshes.
#[derive(Debug, Clone)]
struct Numbers {
    poll_url: String,
    total: Row,
    /// Units an issued decision recognises, apart from those the rules find meeting the standard.
    decided: String,
    registered_share: String,
    children: Vec<Row>,
    types: Vec<Row>,
    /// The unit itself when it is evaluated (a leaf, or a commune with its own criteria).
    own: Option<(String, String, String)>,
    bar_chart: Option<String>,
    doughnut_chart: Option<String>,
    updated: String,
    /// The numbers are those of the last complete computation while a newer one runs.
    updating: bool,
}

async fn compute(state: &AppState, computed: &Results, unit: &UnitRow) -> Result<Numbers, AppError> {
    let cid = &computed.campaign.id;
    let ruleset = state.app.ruleset(&computed.campaign).await?;
    let ruleset = &*ruleset;
    let scored = computed.scored_under(&unit.path);
    let children = units::children(state.app.store(), &unit.id).await?;
    let mut child_tally: HashMap<&str, Tally> = HashMap::new();
    for c in &children {
        let mut t = Tally::default();
        if let Some(s) = computed.summary(&c.id) {
            s.values().for_each(|counts| t.add_counts(counts));
        }
        if let Some(r) = computed.report(&c.id) {
            t.add_report(r);
        }
        child_tally.insert(c.id.as_str(), t);
    }
    let mut by_type: BTreeMap<String, Tally> = BTreeMap::new();
    if let Some(s) = computed.summary(&unit.id) {
        for (ty, counts) in s {
            by_type.entry(ty.clone()).or_default().add_counts(counts);
        }
    }
    let own_report = computed.report(&unit.id).filter(|r| r.outcome != Outcome::OutOfScope);
    if let Some(r) = own_report {
        by_type.entry(r.unit_type.to_string()).or_default().add_report(r);
    }
    for s in scored {
        if let Some(t) = by_type.get_mut(&s.unit_type) {
            t.add_scores(s);
        }
        let rest = s.path.strip_prefix(unit.path.as_str()).unwrap_or_default();
        if let Some(child) = rest.split('/').next().filter(|c| !c.is_empty())
            && let Some(t) = child_tally.get_mut(child)
        {
            t.add_scores(s);
        }
    }
    let mut total = Tally::default();
    by_type.values().for_each(|t| total.add(t));

    let child_rows: Vec<(&UnitRow, Tally)> =
        children.iter().filter_map(|c| child_tally.get(c.id.as_str()).filter(|t| t.units > 0).map(|t| (c, *t))).collect();
    let rows = child_rows
        .iter()
        .map(|(c, t)| {
            let href = if computed.summary(&c.id).is_some() {
                format!("/c/{cid}/dashboard?unit={}", c.id)
            } else {
                format!("/c/{cid}/units/{}", c.id)
            };
            Row::new(c.name.clone(), Some(href), t)
        })
        .collect();
    // In the ruleset's order of unit types.
    let mut typed: Vec<(&String, &Tally)> = by_type.iter().collect();
    typed.sort_by_key(|(ty, _)| ruleset.unit_types.iter().position(|t| &t.code == *ty).unwrap_or(usize::MAX));
    let types = typed.into_iter().map(|(ty, t)| Row::new(ruleset.unit_type_name(ty).to_owned(), None, t)).collect();

    let colours = ["#1b7f3b", "#b3261e", "#9a6700"];
    let bar_chart = (!child_rows.is_empty()).then(|| {
        let labels: Vec<&str> = child_rows.iter().map(|(c, _)| c.name.as_str()).collect();
        let series = |f: fn(&Tally) -> u32| child_rows.iter().map(|(_, t)| f(t)).collect::<Vec<_>>();
        serde_json::json!({
            "type": "bar",
            "data": {
                "labels": labels,
                "datasets": [
                    { "label": Outcome::Recognised.name(), "data": series(|t| t.recognised), "backgroundColor": colours[0] },
                    { "label": Outcome::NotRecognised.name(), "data": series(|t| t.not_recognised), "backgroundColor": colours[1] },
                    { "label": Outcome::Incomplete.name(), "data": series(|t| t.incomplete), "backgroundColor": colours[2] },
                ]
            },
            "options": { "scales": { "x": { "stacked": true }, "y": { "stacked": true, "beginAtZero": true, "ticks": { "precision": 0 } } } }
        })
        .to_string()
    });
    let doughnut_chart = (total.units > 0).then(|| {
        serde_json::json!({
            "type": "doughnut",
            "data": {
                "labels": [Outcome::Recognised.name(), Outcome::NotRecognised.name(), Outcome::Incomplete.name()],
                "datasets": [{ "data": [total.recognised, total.not_recognised, total.incomplete], "backgroundColor": colours }]
            }
        })
        .to_string()
    });
    let own = own_report.map(|r| {
        (r.outcome_name.to_string(), crate::view::tone(outcome_code(r.outcome)).to_owned(), format!("/c/{cid}/units/{}", unit.id))
    });
    let now = chrono::Utc::now() + chrono::Duration::hours(7);
    let decided = state.app.recognised_by_decision(cid, &unit.path).await?.len();
    Ok(Numbers {
        poll_url: format!("/c/{cid}/dashboard/numbers?unit={}", unit.id),
        decided: vi::integer(decided as u64),
        registered_share: vi::percent(u64::from(total.registered), u64::from(total.units)),
        total: Row::new("Tổng cộng".into(), None, &total),
        children: rows,
        types,
        own,
        bar_chart,
        doughnut_chart,
        updated: now.format("%H:%M:%S %d/%m/%Y").to_string(),
        updating: computed.updating,
    })
}

/// The snake_case code of an outcome, as stored and as CSS tones know it.
pub(crate) fn outcome_code(o: Outcome) -> &'static str {
    match o {
        Outcome::Recognised => "recognised",
        Outcome::NotRecognised => "not_recognised",
        Outcome::Incomplete => "incomplete",
        Outcome::OutOfScope => "out_of_scope",
    }
}

// --- Handlers --------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
pub struct UnitQuery {
    #[serde(default)]
    unit: Option<String>,
}

#[derive(Template)]
#[template(path = "dashboard_empty.html")]
struct EmptyPage {
    frame: Frame,
}

/// The latest campaign's dashboard for the user's first scope.
async fn latest(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let found = campaigns_for(&state, &user).await?;
    match found.first() {
        Some((c, _, roots)) => {
            let unit = roots.first().map(|p| path_id(p)).unwrap_or(&c.scope_unit_id);
            Ok(Redirect::to(&format!("/c/{}/dashboard?unit={unit}", c.id)).into_response())
        }
        None => Ok(Html(EmptyPage { frame: Frame::new(&user, "Tổng quan", "dashboard") }.render()?).into_response()),
    }
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    frame: Frame,
    campaign: CampaignRow,
    unit: UnitRow,
    unit_type_name: String,
    crumbs: Vec<UnitRow>,
    others: Vec<(String, String)>,
    may_review: bool,
    may_manage: bool,
    n: Numbers,
}

#[derive(Template)]
#[template(path = "dashboard_numbers.html")]
struct NumbersFragment {
    n: Numbers,
}

async fn load(state: &AppState, user: &CurrentUser, cid: &str, q: &UnitQuery) -> Result<(CampaignRow, UnitRow, UnitRow), AppError> {
    let (c, scope) = campaign(state, user, cid).await?;
    let unit_id = q.unit.clone().filter(|u| !u.is_empty()).unwrap_or_else(|| default_unit(user, &scope));
    let unit = unit_in(state, user, &scope, &unit_id, Action::Read).await?;
    Ok((c, scope, unit))
}

async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(cid): Path<String>,
    Query(q): Query<UnitQuery>,
) -> Result<Html<String>, AppError> {
    let (c, scope, unit) = load(&state, &user, &cid, &q).await?;
    let computed = state.app.results(&c.id).await?;
    let n = compute(&state, &computed, &unit).await?;
    let crumbs = crumbs(&state, &user, &scope, &unit).await?;
    let others = campaigns_for(&state, &user)
        .await?
        .into_iter()
        .filter(|(o, _, _)| o.id != c.id)
        .map(|(o, _, _)| (format!("/c/{}/dashboard", o.id), format!("{} ({})", o.title, o.year)))
        .collect();
    let ruleset = state.app.ruleset(&c).await?;
    let ruleset = &*ruleset;
    let frame = Frame::new(&user, format!("Tổng quan — {}", unit.name), "dashboard");
    let page = DashboardPage {
        frame,
        unit_type_name: ruleset.unit_type_name(&unit.unit_type).to_owned(),
        may_review: user.actor.may(Action::Review, &unit.path),
        may_manage: user.actor.may(Action::ManageCampaign, &scope.path),
        campaign: c,
        unit,
        crumbs,
        others,
        n,
    };
    Ok(Html(page.render()?))
}

/// The numbers alone, for htmx polling.
async fn numbers(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(cid): Path<String>,
    Query(q): Query<UnitQuery>,
) -> Result<Html<String>, AppError> {
    let (c, _, unit) = load(&state, &user, &cid, &q).await?;
    let computed = state.app.results(&c.id).await?;
    let n = compute(&state, &computed, &unit).await?;
    Ok(Html(NumbersFragment { n }.render()?))
}
