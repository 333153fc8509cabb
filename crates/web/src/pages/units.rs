//! The unit tree within the user's scope, search without diacritics, and one unit in a
//! campaign: its facts, its verdict with every criterion and part, and its children's outcomes.
//!
//! Also the helpers the other pages about one unit in a campaign share (registration, facts,
//! scoring): the campaign-and-scope check, the header with its tabs, form fields and paging.

use std::collections::{BTreeMap, HashMap};

use antt_core::access::Action;
use antt_core::calendar::Timeliness;
use antt_core::eval::{Outcome, Status};
use antt_core::fact::FactKind;
use antt_core::ruleset::{ADMINISTRATIVE_TYPES, Ruleset};
use antt_store::campaigns::{self, CampaignRow};
use antt_store::facts::ScoreSource;
use antt_store::registrations::RegistrationRow;
use antt_store::units::{self, UnitRow};
use antt_store::{evidence, facts, registrations};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::view::{self, Frame};
use crate::{AppError, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/units", get(tree))
        .route("/units/search", get(search))
        .route("/units/{id}", get(unit_page))
        .route("/c/{cid}/units/{uid}", get(campaign_unit))
}

// ---------------------------------------------------------------------------------------------
// Shared by the pages of one unit in a campaign.

/// How many rows a page of a list shows.
pub(crate) const PER_PAGE: u32 = 50;

/// The campaign and the unit, when the user may do `action` on the unit (the one access check,
/// `App::scoped`).
pub(crate) async fn in_campaign(
    state: &AppState,
    user: &CurrentUser,
    campaign_id: &str,
    unit_id: &str,
    action: Action,
) -> Result<(CampaignRow, UnitRow), AppError> {
    let s = state.app.scoped(&user.actor, campaign_id, unit_id, action).await?;
    Ok((s.campaign, s.unit))
}

/// The unit types known to the server with their Vietnamese names, in the order of the
/// administrative levels then the campaigns' rulesets, newest campaign first (whose names win: "nhà trường" in
/// 2013, "cơ sở giáo dục" under TT 124).
#[derive(Debug, Clone, Default)]
pub(crate) struct TypeNames(Vec<(String, String)>);

impl TypeNames {
    pub async fn load(state: &AppState) -> Result<Self, AppError> {
        let mut out: Vec<(String, String)> = ADMINISTRATIVE_TYPES.iter().map(|(c, n)| ((*c).to_owned(), (*n).to_owned())).collect();
        for r in state.app.rulesets_in_use().await? {
            for t in &r.unit_types {
                if !out.iter().any(|(c, _)| *c == t.code) {
                    out.push((t.code.clone(), t.name.clone()));
                }
            }
        }
        Ok(Self(out))
    }

    pub fn name(&self, code: &str) -> String {
        self.0.iter().find(|(c, _)| c == code).map_or_else(|| code.to_owned(), |(_, n)| n.clone())
    }

    fn contains(&self, code: &str) -> bool {
        self.0.iter().any(|(c, _)| c == code)
    }

    fn position(&self, code: &str) -> usize {
        self.0.iter().position(|(c, _)| c == code).unwrap_or(usize::MAX)
    }

    /// The types as the choices of a filter.
    fn options(&self, selected: &str) -> Vec<super::facts::OptView> {
        self.0
            .iter()
            .map(|(value, label)| super::facts::OptView { selected: value == selected, value: value.clone(), label: label.clone() })
            .collect()
    }
}

/// One step of a breadcrumb; a link only where the user may go.
#[derive(Debug, Clone)]
pub(crate) struct Crumb {
    pub name: String,
    pub href: Option<String>,
}

/// The ancestors of a unit as a breadcrumb; within a campaign the links stay in it.
async fn crumbs(state: &AppState, user: &CurrentUser, unit: &UnitRow, campaign: Option<(&str, &str)>) -> Result<Vec<Crumb>, AppError> {
    let ancestors = units::ancestors(state.app.store(), unit).await?;
    Ok(ancestors
        .iter()
        .map(|a| {
            let readable = user.actor.may(Action::Read, &a.path);
            let href = match campaign {
                Some((cid, scope_path)) if readable && a.path.starts_with(scope_path) => Some(format!("/c/{cid}/units/{}", a.id)),
                Some(_) => None,
                None => readable.then(|| format!("/units/{}", a.id)),
            };
            Crumb { name: a.name.clone(), href }
        })
        .collect())
}

/// The header of every page about one unit in a campaign: where it is, and its tabs.
#[derive(Debug, Clone)]
pub(crate) struct UnitHead {
    pub campaign_id: String,
    pub campaign_title: String,
    pub unit_id: String,
    pub unit_name: String,
    pub unit_type_name: String,
    pub crumbs: Vec<Crumb>,
    /// The current tab: "result", "register", "facts", "self_score", "inspect", "evidence",
    /// "import".
    pub tab: &'static str,
    /// The unit type is evaluated under the campaign's ruleset.
    pub evaluated: bool,
    pub has_frame: bool,
    pub can_edit: bool,
    pub can_register: bool,
    pub can_self_score: bool,
    pub can_inspect: bool,
    /// May import spreadsheets here (units and records of its subtree).
    pub can_import: bool,
    /// A commune whose units (areas, agencies…) the user may create, change and retire.
    pub can_keep_units: bool,
    /// A unit a commune keeps, which the user may rename, move or retire.
    pub can_change_unit: bool,
    /// The number of the recognition decision that locks the unit's facts, if any.
    pub locked_by: Option<String>,
}

impl UnitHead {
    pub fn base(&self) -> String {
        format!("/c/{}/units/{}", self.campaign_id, self.unit_id)
    }
}

pub(crate) async fn head(
    state: &AppState,
    user: &CurrentUser,
    campaign: &CampaignRow,
    unit: &UnitRow,
    tab: &'static str,
) -> Result<UnitHead, AppError> {
    let ruleset = state.app.ruleset(campaign).await?;
    let ruleset = &*ruleset;
    let scope = units::get(state.app.store(), &campaign.scope_unit_id).await?.ok_or(AppError::NotFound)?;
    let evaluated = ruleset.unit_type(&unit.unit_type).is_some();
    // While a decision locks the facts, nothing offers to change them.
    let locked_by = antt_store::decisions::lock_of(state.app.store(), &campaign.id, &unit.id).await?;
    let open = evaluated && locked_by.is_none();
    Ok(UnitHead {
        campaign_id: campaign.id.clone(),
        campaign_title: campaign.title.clone(),
        unit_id: unit.id.clone(),
        unit_name: unit.name.clone(),
        unit_type_name: ruleset.unit_type_name(&unit.unit_type).to_owned(),
        crumbs: crumbs(state, user, unit, Some((&campaign.id, &scope.path))).await?,
        tab,
        evaluated,
        has_frame: ruleset.scoring.frames.contains_key(&unit.unit_type),
        can_edit: open && user.actor.may(Action::EditFacts, &unit.path),
        can_register: open && user.actor.may(Action::Register, &unit.path),
        can_self_score: open && user.actor.may(Action::SelfScore, &unit.path),
        can_inspect: open && user.actor.may(Action::Inspect, &unit.path),
        can_import: user.actor.may(Action::EditFacts, &unit.path),
        can_keep_units: unit.unit_type == "commune" && user.actor.may(Action::EditFacts, &unit.path),
        can_change_unit: !matches!(unit.unit_type.as_str(), "province" | "district" | "commune")
            && unit
                .path
                .trim_end_matches('/')
                .rsplit_once('/')
                .is_some_and(|(parent, _)| user.actor.may(Action::EditFacts, &format!("{parent}/"))),
        locked_by,
    })
}

use crate::view::Pager;

fn page_number(s: Option<&str>) -> u32 {
    s.and_then(|p| p.trim().parse().ok()).unwrap_or(1).max(1)
}

/// The CSS class of a status.
pub(crate) fn status_tone(s: Status) -> &'static str {
    match s {
        Status::Met => "ok",
        Status::NotMet => "bad",
        Status::MissingData => "warn",
        Status::NotApplicable => "muted",
    }
}

pub(crate) fn outcome_tone(o: Outcome) -> &'static str {
    match o {
        Outcome::Recognised => view::tone("recognised"),
        Outcome::NotRecognised => view::tone("not_recognised"),
        Outcome::Incomplete => view::tone("incomplete"),
        Outcome::OutOfScope => view::tone("out_of_scope"),
    }
}

// ---------------------------------------------------------------------------------------------
// The tree.

#[derive(Debug, Clone)]
struct UnitLink {
    id: String,
    name: String,
    type_name: String,
}

impl UnitLink {
    fn new(names: &TypeNames, u: &UnitRow) -> Self {
        Self { id: u.id.clone(), name: u.name.clone(), type_name: names.name(&u.unit_type) }
    }
}

#[derive(Debug)]
struct RootView {
    unit: UnitLink,
    validity: Option<String>,
    children: Vec<UnitLink>,
    more: usize,
}

/// When a unit of the official trees was valid: "Hiệu lực đến 30/06/2025", "Hiệu lực từ 01/07/2025".
fn validity(u: &UnitRow) -> Option<String> {
    let day =
        |d: &Option<String>| d.as_deref().and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).map(antt_core::vi::date);
    match (day(&u.valid_from), day(&u.valid_to)) {
        (Some(from), Some(to)) => Some(format!("Hiệu lực từ {from} đến {to}")),
        (Some(from), None) => Some(format!("Hiệu lực từ {from}")),
        (None, Some(to)) => Some(format!("Hiệu lực đến {to}")),
        (None, None) => None,
    }
}

/// A unit across the 2025 reorganisation: a link when the user may read it.
#[derive(Debug)]
struct LinkedView {
    name: String,
    href: Option<String>,
    /// "(2025)", "(một phần)"…: what tells it apart.
    note: String,
}

impl LinkedView {
    fn new(user: &CurrentUser, l: &units::Linked) -> Self {
        let year = l.unit.valid_from.as_deref().and_then(|d| d.get(..4)).map(str::to_owned);
        let note = [year, (!l.whole).then(|| "một phần".to_owned())].into_iter().flatten().collect::<Vec<_>>().join(", ");
        Self {
            name: l.unit.name.clone(),
            href: user.actor.may(Action::Read, &l.unit.path).then(|| format!("/units/{}", l.unit.id)),
            note: if note.is_empty() { note } else { format!("({note})") },
        }
    }
}

#[derive(Template)]
#[template(path = "unit_tree.html")]
struct TreePage {
    frame: Frame,
    roots: Vec<RootView>,
    q: String,
    types: Vec<super::facts::OptView>,
}

async fn tree(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>, AppError> {
    let names = TypeNames::load(&state).await?;
    let mut roots = Vec::new();
    for path in user.actor.scopes() {
        let Some(id) = path.trim_matches('/').rsplit('/').next() else { continue };
        let Some(root) = units::get(state.app.store(), id).await? else { continue };
        let children = units::children(state.app.store(), &root.id).await?;
        let shown = children.len().min(PER_PAGE as usize);
        roots.push(RootView {
            unit: UnitLink::new(&names, &root),
            validity: validity(&root),
            children: children[..shown].iter().map(|c| UnitLink::new(&names, c)).collect(),
            more: children.len() - shown,
        });
    }
    let frame = Frame::new(&user, "Đơn vị", "units");
    Ok(Html(TreePage { frame, roots, q: String::new(), types: names.options("") }.render()?))
}

#[derive(Debug)]
struct CampaignLink {
    id: String,
    title: String,
    year: i32,
}

#[derive(Template)]
#[template(path = "unit_page.html")]
struct UnitPage {
    frame: Frame,
    unit: UnitLink,
    validity: Option<String>,
    /// The units it went into in 2025, main one first.
    successors: Vec<LinkedView>,
    /// The units that went into it.
    predecessors: Vec<LinkedView>,
    crumbs: Vec<Crumb>,
    children: Vec<UnitLink>,
    child_count: usize,
    pager: Pager,
    counts: Vec<(String, String)>,
    campaigns: Vec<CampaignLink>,
}

#[derive(Debug, Deserialize)]
struct PageQuery {
    page: Option<String>,
}

async fn unit_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Html<String>, AppError> {
    let unit = state.app.unit(&user.actor, &id, Action::Read).await?;
    let names = TypeNames::load(&state).await?;
    let children = units::children(state.app.store(), &unit.id).await?;
    let pager = Pager::new(page_number(q.page.as_deref()), children.len() as u64, PER_PAGE, |p| format!("/units/{}?page={p}", unit.id));
    let start = ((pager.page - 1) * PER_PAGE) as usize;
    let shown: Vec<UnitLink> = children.iter().skip(start).take(PER_PAGE as usize).map(|c| UnitLink::new(&names, c)).collect();
    let mut counts: Vec<(String, u64)> = units::count_by_type(state.app.store(), &unit.path)
        .await?
        .into_iter()
        .map(|(t, n)| {
            let n = if t == unit.unit_type { n.saturating_sub(1) } else { n };
            (t, n)
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    counts.sort_by_key(|(t, _)| names.position(t));
    let counts = counts.into_iter().map(|(t, n)| (names.name(&t), antt_core::vi::integer(n))).collect();
    let mut links = Vec::new();
    for c in campaigns::list(state.app.store()).await? {
        if let Some(scope) = units::get(state.app.store(), &c.scope_unit_id).await?
            && unit.path.starts_with(&scope.path)
        {
            links.push(CampaignLink { id: c.id, title: c.title, year: c.year });
        }
    }
    let successors = units::links(state.app.store(), &unit.id, false).await?.iter().map(|l| LinkedView::new(&user, l)).collect();
    let predecessors = units::links(state.app.store(), &unit.id, true).await?.iter().map(|l| LinkedView::new(&user, l)).collect();
    let frame = Frame::new(&user, unit.name.clone(), "units");
    let page = UnitPage {
        frame,
        unit: UnitLink::new(&names, &unit),
        validity: validity(&unit),
        successors,
        predecessors,
        crumbs: crumbs(&state, &user, &unit, None).await?,
        children: shown,
        child_count: children.len(),
        pager,
        counts,
        campaigns: links,
    };
    Ok(Html(page.render()?))
}

// ---------------------------------------------------------------------------------------------
// Search.

#[derive(Debug, Deserialize)]
struct SearchQuery {
    q: Option<String>,
    #[serde(rename = "type")]
    unit_type: Option<String>,
    page: Option<String>,
}

#[derive(Debug)]
struct Hit {
    id: String,
    name: String,
    type_name: String,
    /// The parent's name, to tell apart units of the same name.
    place: String,
}

#[derive(Debug, Default)]
struct SearchResults {
    searched: bool,
    hits: Vec<Hit>,
    total: String,
    pager: Pager,
}

#[derive(Template)]
#[template(path = "unit_search.html")]
struct SearchPage {
    frame: Frame,
    q: String,
    types: Vec<super::facts::OptView>,
    results: SearchResults,
}

#[derive(Template)]
#[template(path = "unit_search_results.html")]
struct SearchFragment {
    results: SearchResults,
}

const SEARCH_PER_PAGE: u32 = 20;

async fn search(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Query(q): Query<SearchQuery>,
) -> Result<Response, AppError> {
    let text = antt_core::text::nfc(q.q.as_deref().unwrap_or("").trim()).into_owned();
    let names = TypeNames::load(&state).await?;
    let unit_type = q.unit_type.filter(|t| names.contains(t));
    let page = page_number(q.page.as_deref());
    let scopes = user.actor.scopes();
    // Scopes are disjoint subtrees: search each and merge in the order the store sorts by.
    let (items, total) = if let [only] = scopes.as_slice() {
        let found = units::search(state.app.store(), only, &text, unit_type.as_deref(), page, SEARCH_PER_PAGE).await?;
        (found.items, found.total)
    } else {
        let mut all = Vec::new();
        let mut total = 0;
        for scope in &scopes {
            let found = units::search(state.app.store(), scope, &text, unit_type.as_deref(), 1, page * SEARCH_PER_PAGE).await?;
            total += found.total;
            all.extend(found.items);
        }
        all.sort_by_cached_key(|u| units::search_rank(&text, u));
        let items = all.into_iter().skip(((page - 1) * SEARCH_PER_PAGE) as usize).take(SEARCH_PER_PAGE as usize).collect();
        (items, total)
    };
    let mut parents: HashMap<String, String> = HashMap::new();
    let mut hits = Vec::with_capacity(items.len());
    for u in &items {
        let mut place = String::new();
        if let Some(p) = &u.parent_id {
            if !parents.contains_key(p) {
                let name = units::get(state.app.store(), p).await?.map(|x| x.name).unwrap_or_default();
                parents.insert(p.clone(), name);
            }
            place = parents.get(p).cloned().unwrap_or_default();
        }
        hits.push(Hit { id: u.id.clone(), name: u.name.clone(), type_name: names.name(&u.unit_type), place });
    }
    let href = |p: u32| {
        let query =
            serde_urlencoded::to_string([("q", text.as_str()), ("type", unit_type.as_deref().unwrap_or("")), ("page", &p.to_string())])
                .unwrap_or_default();
        format!("/units/search?{query}")
    };
    let results =
        SearchResults { searched: true, hits, total: antt_core::vi::integer(total), pager: Pager::new(page, total, SEARCH_PER_PAGE, href) };
    if headers.contains_key("hx-request") {
        return Ok(Html(SearchFragment { results }.render()?).into_response());
    }
    let frame = Frame::new(&user, "Tìm đơn vị", "units");
    let page = SearchPage { frame, q: text, types: names.options(unit_type.as_deref().unwrap_or("")), results };
    Ok(Html(page.render()?).into_response())
}

// ---------------------------------------------------------------------------------------------
// One unit in a campaign.

#[derive(Debug)]
struct PartView {
    id: String,
    text: String,
    status: &'static str,
    tone: &'static str,
    reason: String,
}

#[derive(Debug)]
struct CriterionView {
    id: String,
    text: String,
    basis: String,
    status: &'static str,
    tone: &'static str,
    parts: Vec<PartView>,
}

#[derive(Debug)]
struct ClassificationView {
    band_name: String,
    source: &'static str,
    total: String,
    max: String,
    self_total: String,
    reasons: Vec<String>,
}

#[derive(Debug)]
struct VerdictView {
    outcome: String,
    tone: &'static str,
    authority: Option<String>,
    scope_notes: Vec<String>,
    registration: Option<String>,
    criteria: Vec<CriterionView>,
    classification: Option<ClassificationView>,
    classification_problem: Option<String>,
}

#[derive(Debug, Default)]
struct RegistrationView {
    status: String,
    registered_on: Option<String>,
    timeliness: Option<String>,
    on_time: Option<bool>,
    receipt: Option<String>,
    returned_reason: Option<String>,
}

/// One fact list as the unit page shows it.
#[derive(Debug)]
pub(crate) struct ListView {
    pub segment: &'static str,
    pub title: &'static str,
    pub state: String,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug)]
struct ScoreLine {
    id: String,
    text: String,
    max: String,
    self_points: String,
    reviewed: String,
    diff: bool,
}

#[derive(Debug)]
struct EvidenceLine {
    id: String,
    file_name: String,
    size: String,
    uploaded: String,
}

#[derive(Debug)]
struct ChildView {
    id: String,
    name: String,
    type_name: String,
    outcome: String,
    tone: &'static str,
    registration: String,
}

#[derive(Debug)]
struct SummaryRow {
    type_name: String,
    total: String,
    recognised: String,
    not_recognised: String,
    incomplete: String,
    registered: String,
    on_time: String,
}

#[derive(Template)]
#[template(path = "unit_campaign.html")]
struct CampaignUnitPage {
    frame: Frame,
    head: UnitHead,
    verdict: Option<VerdictView>,
    /// The verdict is that of the last complete computation while a newer one runs.
    updating: bool,
    /// Recognised by an issued decision: the certificate can be downloaded.
    certified: bool,
    registration: RegistrationView,
    can_print: bool,
    /// The unit has sent its registration: the main button shows it rather than offering to register.
    registered: bool,
    flags: Vec<(String, String)>,
    lists: Vec<ListView>,
    previous_year: Vec<(String, String)>,
    previous_recorded: bool,
    evidence: Vec<EvidenceLine>,
    scores: Vec<ScoreLine>,
    self_total: String,
    reviewed_total: String,
    has_reviewed: bool,
    judgements: Vec<(String, String, &'static str, String)>,
    summary: Vec<SummaryRow>,
    children: Vec<ChildView>,
    child_count: usize,
    pager: Pager,
}

impl CampaignUnitPage {
    /// The page with its result, the rest (registration, facts, scores, children) to be filled.
    fn new(frame: Frame, head: UnitHead, verdict: Option<VerdictView>, updating: bool, certified: bool) -> Self {
        Self {
            frame,
            head,
            verdict,
            updating,
            certified,
            registration: RegistrationView::default(),
            can_print: false,
            registered: false,
            flags: Vec::new(),
            lists: Vec::new(),
            previous_year: Vec::new(),
            previous_recorded: false,
            evidence: Vec::new(),
            scores: Vec::new(),
            self_total: String::new(),
            reviewed_total: String::new(),
            has_reviewed: false,
            judgements: Vec::new(),
            summary: Vec::new(),
            children: Vec::new(),
            child_count: 0,
            pager: Pager::default(),
        }
    }
}

fn verdict_view(report: &antt_core::report::UnitReport) -> VerdictView {
    VerdictView {
        outcome: report.outcome_name.to_string(),
        tone: outcome_tone(report.outcome),
        authority: report.authority.as_deref().map(str::to_owned),
        scope_notes: report.scope_notes.iter().map(|t| t.to_string()).collect(),
        registration: report.registration.as_ref().map(|r| r.text.to_string()),
        criteria: report
            .criteria
            .iter()
            .map(|c| CriterionView {
                id: c.id.to_string(),
                text: c.text.to_string(),
                basis: c.basis.to_string(),
                status: c.status.name(),
                tone: status_tone(c.status),
                parts: c
                    .parts
                    .iter()
                    .map(|p| PartView {
                        id: p.id.to_string(),
                        text: p.text.to_string(),
                        status: p.status.name(),
                        tone: status_tone(p.status),
                        reason: p.reason.to_string(),
                    })
                    .collect(),
            })
            .collect(),
        classification: report.classification.as_ref().map(|c| ClassificationView {
            band_name: c.band_name.clone(),
            source: match c.source {
                antt_core::scoring::ScoreSource::Reviewed => "theo điểm đoàn kiểm tra chấm",
                antt_core::scoring::ScoreSource::SelfAssessed => "tạm tính theo điểm tự chấm",
            },
            total: c.total.to_string(),
            max: c.max.to_string(),
            self_total: c.self_total.to_string(),
            reasons: c.reasons.clone(),
        }),
        classification_problem: report.classification_problem.clone(),
    }
}

/// The unit's registration as the pages show it, with its timeliness against the deadline.
pub(crate) fn registration_view_parts(
    row: Option<&RegistrationRow>,
    deadline: Option<chrono::NaiveDate>,
) -> (String, Option<String>, Option<String>) {
    let status = registrations::status_name(row.map_or("", |r| r.status.as_str())).to_owned();
    let date = row.and_then(|r| r.registered_on);
    let timeliness = date.zip(deadline).map(|(d, dl)| Timeliness::of(d, dl).to_string());
    (status, date.map(antt_core::vi::date), timeliness)
}

async fn campaign_unit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((cid, uid)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> Result<Html<String>, AppError> {
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::Read).await?;
    let ruleset = state.app.ruleset(&campaign).await?;
    let ruleset = &*ruleset;
    let head = head(&state, &user, &campaign, &unit, "result").await?;
    let computed = state.app.results(&campaign.id).await?;
    let verdict = computed.report(&unit.id).map(verdict_view);
    let deadline = computed.calendar.by_type.get(&unit.unit_type).map(|t| t.registration_deadline);
    let certified = antt_store::decisions::verdict(state.app.store(), &campaign.id, &unit.id)
        .await?
        .is_some_and(|v| v.confirmed_outcome == antt_store::decisions::RECOGNISED && v.decision_id.is_some());

    let frame = Frame::new(&user, unit.name.clone(), "units");
    let mut page = CampaignUnitPage::new(frame, head, verdict, computed.updating, certified);

    if page.head.evaluated {
        let reg = registrations::get(state.app.store(), &campaign.id, &unit.id).await?;
        let (status, registered_on, timeliness) = registration_view_parts(reg.as_ref(), deadline);
        page.can_print = reg.as_ref().is_some_and(|r| r.submitted_copy.is_some());
        page.registered = reg.as_ref().is_some_and(RegistrationRow::is_submitted);
        page.registration = RegistrationView {
            status,
            registered_on,
            timeliness,
            on_time: reg.as_ref().and_then(|r| r.on_time),
            receipt: reg.as_ref().and_then(|r| r.receipt_number.clone()),
            returned_reason: reg.as_ref().filter(|r| !r.is_submitted()).and_then(|r| r.returned_reason.clone()),
        };
        let flags = registrations::flags(state.app.store(), &campaign.id, &unit.id).await?;
        page.flags = super::facts::conditions_for(ruleset, &unit.unit_type)
            .into_iter()
            .map(|(code, name)| {
                let value = match flags.get(&code) {
                    Some(true) => "Có",
                    Some(false) => "Không",
                    None => "Chưa xác định",
                };
                (name, value.to_owned())
            })
            .collect();
        let recorded = registrations::recorded_lists(state.app.store(), &campaign.id, &unit.id).await?;
        for kind in FactKind::ALL {
            let records = facts::list(state.app.store(), &campaign.id, &unit.id, kind).await?;
            page.lists.push(super::facts::list_view(ruleset, kind, &records, recorded.contains(kind.code())));
        }
        let previous = registrations::previous_year(state.app.store(), &campaign.id, &unit.id).await?;
        page.previous_recorded = recorded.contains("previous_year");
        page.previous_year = previous
            .iter()
            .map(|(k, n)| {
                (ruleset.vocabulary.incident_kinds.get(k).cloned().unwrap_or_else(|| k.clone()), antt_core::vi::integer(u64::from(*n)))
            })
            .collect();
        page.evidence = evidence::list(state.app.store(), &campaign.id, &unit.id)
            .await?
            .into_iter()
            .map(|e| EvidenceLine {
                id: e.id,
                file_name: e.file_name,
                size: view::file_size(e.size),
                uploaded: format!("{}, {}", e.uploaded_by, view::instant(&e.uploaded_at)),
            })
            .collect();
        fill_scores(&state, ruleset, &campaign, &unit, &mut page).await?;
    }

    if let Some(summary) = computed.summary(&unit.id) {
        let int = |n: u32| antt_core::vi::integer(u64::from(n));
        let mut rows: Vec<_> = summary.iter().collect();
        rows.sort_by_key(|(t, _)| ruleset.unit_types.iter().position(|u| &u.code == *t).unwrap_or(usize::MAX));
        page.summary = rows
            .into_iter()
            .map(|(t, c)| SummaryRow {
                type_name: super::facts::capitalise_first(ruleset.unit_type_name(t)),
                total: int(c.total),
                recognised: int(c.recognised),
                not_recognised: int(c.not_recognised),
                incomplete: int(c.incomplete),
                registered: int(c.registered),
                on_time: int(c.registered_on_time),
            })
            .collect();
    }
    let children = units::children(state.app.store(), &unit.id).await?;
    page.child_count = children.len();
    page.pager = Pager::new(page_number(q.page.as_deref()), children.len() as u64, PER_PAGE, |p| {
        format!("/c/{}/units/{}?page={p}#children", campaign.id, unit.id)
    });
    let start = ((page.pager.page - 1) * PER_PAGE) as usize;
    for c in children.iter().skip(start).take(PER_PAGE as usize) {
        let report = computed.report(&c.id);
        let registration = match report.and_then(|r| r.registration.as_ref()) {
            Some(r) => r.text.to_string(),
            None if report.is_some() => "Chưa đăng ký".to_owned(),
            None => String::new(),
        };
        page.children.push(ChildView {
            id: c.id.clone(),
            name: c.name.clone(),
            type_name: ruleset.unit_type_name(&c.unit_type).to_owned(),
            outcome: report.map(|r| r.outcome_name.to_string()).unwrap_or_default(),
            tone: report.map_or("muted", |r| outcome_tone(r.outcome)),
            registration,
        });
    }
    Ok(Html(page.render()?))
}

async fn fill_scores(
    state: &AppState,
    ruleset: &Ruleset,
    campaign: &CampaignRow,
    unit: &UnitRow,
    page: &mut CampaignUnitPage,
) -> Result<(), AppError> {
    page.judgements = registrations::judgements(state.app.store(), &campaign.id, &unit.id)
        .await?
        .into_iter()
        .map(|j| {
            let who = format!("{}, {}", j.inspector, antt_core::vi::date(j.judged_on));
            let verdict = if j.met { "Đạt" } else { "Không đạt" };
            (format!("{}{}", j.criterion, j.part), who, verdict, j.note.unwrap_or_default())
        })
        .collect();
    let Some(frame) = ruleset.scoring.frames.get(&unit.unit_type) else { return Ok(()) };
    let own = registrations::scores(state.app.store(), &campaign.id, &unit.id, ScoreSource::SelfAssessed).await?;
    let reviewed = registrations::scores(state.app.store(), &campaign.id, &unit.id, ScoreSource::Reviewed).await?;
    if own.is_empty() && reviewed.is_empty() {
        return Ok(());
    }
    let points = |m: &BTreeMap<String, registrations::ScoreRow>, id: &str| m.get(id).map(|s| s.points);
    let text = |p: Option<antt_core::scoring::Points>| p.map(|p| p.to_string()).unwrap_or_else(|| "—".into());
    for item in &frame.items {
        let (s, r) = (points(&own, &item.id), points(&reviewed, &item.id));
        page.scores.push(ScoreLine {
            id: item.id.clone(),
            text: item.text.clone(),
            max: item.max.to_string(),
            self_points: text(s),
            reviewed: text(r),
            diff: r.is_some() && s != r,
        });
    }
    let total = |m: &BTreeMap<String, registrations::ScoreRow>| {
        frame.items.iter().filter_map(|i| points(m, &i.id)).sum::<antt_core::scoring::Points>().to_string()
    };
    page.self_total = total(&own);
    page.reviewed_total = total(&reviewed);
    page.has_reviewed = !reviewed.is_empty();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_vietnamese() {
        assert_eq!(view::file_size(13_002_342), "12,4 MB");
        assert_eq!(view::file_size(10 * 1024 * 1024), "10 MB");
        assert_eq!(view::file_size(2048), "2 KB");
        assert_eq!(view::file_size(20), "20 byte");
    }

    /// The result section of a unit page while newer results are computed, and once they are.
    fn unit_page(verdict: Option<VerdictView>, updating: bool) -> String {
        let frame = Frame {
            user_name: "Cán bộ xã".into(),
            csrf: String::new(),
            title: "Ấp Một".into(),
            section: "units",
            can_audit: false,
            can_manage: false,
            can_manage_users: false,
            flash: None,
        };
        let head = UnitHead {
            campaign_id: "c1".into(),
            campaign_title: "Phong trào 2026".into(),
            unit_id: "29578-ap01".into(),
            unit_name: "Ấp Một".into(),
            unit_type_name: "Khu dân cư".into(),
            crumbs: Vec::new(),
            tab: "result",
            evaluated: true,
            has_frame: false,
            can_edit: false,
            can_register: false,
            can_self_score: false,
            can_inspect: false,
            can_import: false,
            can_keep_units: false,
            can_change_unit: false,
            locked_by: None,
        };
        CampaignUnitPage::new(frame, head, verdict, updating, false).render().expect("the unit page renders")
    }

    fn verdict(outcome: &str) -> VerdictView {
        VerdictView {
            outcome: outcome.into(),
            tone: "ok",
            authority: None,
            scope_notes: Vec::new(),
            registration: None,
            criteria: Vec::new(),
            classification: None,
            classification_problem: None,
        }
    }

    #[test]
    fn a_unit_page_shown_while_results_update_refreshes_its_result_until_current() {
        let polling = r##"<div id="result" hx-get="/c/c1/units/29578-ap01" hx-trigger="every 2s" hx-select="#result""##;
        // The last results, marked, and asked for again.
        let stale = unit_page(Some(verdict("Đạt chuẩn")), true);
        assert!(stale.contains(polling), "{stale}");
        assert!(stale.contains(r#"id="verdict" data-updating"#));
        assert!(stale.contains("kết quả dưới đây là của lần tính trước và sẽ tự làm mới"));
        // A unit the last results do not hold yet (just created): said, not left blank.
        let pending = unit_page(None, true);
        assert!(pending.contains(polling));
        assert!(!pending.contains(r#"id="verdict""#));
        assert!(pending.contains("Đang tính kết quả đánh giá theo dữ liệu mới nhập"));
        // Current: the reply that replaces the section stops the polling.
        let current = unit_page(Some(verdict("Đạt chuẩn")), false);
        assert!(current.contains(r#"<div id="result">"#));
        assert!(!current.contains("hx-trigger=\"every 2s\""));
        assert!(!current.contains("data-updating") && !current.contains("Đang cập nhật") && !current.contains("Đang tính"));
        assert!(current.contains("Kết quả đánh giá:"));
    }

    #[test]
    fn pages_link_both_ways() {
        let p = Pager::new(2, 120, 50, |n| format!("?page={n}"));
        assert_eq!((p.page, p.pages), (2, 3));
        assert_eq!(p.prev.as_deref(), Some("?page=1"));
        assert_eq!(p.next.as_deref(), Some("?page=3"));
        let p = Pager::new(9, 0, 50, |n| format!("?page={n}"));
        assert_eq!((p.page, p.pages, p.prev, p.next), (1, 1, None, None));
    }
}
