//! Campaigns a user takes part in, with the codes their ruleset accepts; and the check that a
//! unit of a campaign-scoped path lies in the campaign's scope.

use std::collections::BTreeMap;

use antt_core::Ruleset;
use antt_core::model::{DisciplineLevel, Severity};
use antt_store::campaigns::CampaignRow;
use antt_store::facts::code_of;
use antt_store::units::UnitRow;
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ErrorBody};
use super::input::ApiUser;
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_campaigns)).routes(routes!(get_campaign)).routes(routes!(list_rulesets))
}

/// A campaign as listed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Campaign {
    pub id: String,
    pub title: String,
    pub year: i32,
    /// Number and symbol of the plan, e.g. `710/QĐ-UBND`.
    pub plan_number: Option<String>,
    pub plan_date: chrono::NaiveDate,
    /// The ruleset's id, e.g. `vinh-long-2013`.
    pub ruleset: String,
    pub ruleset_name: String,
    /// The version of the ruleset's text the campaign started with and keeps, whatever is added
    /// later (`GET /rulesets` lists the rulesets a new campaign may start with).
    pub ruleset_version: i64,
    /// Hex SHA-256 of that text.
    pub ruleset_hash: String,
    /// The unit (usually a province) whose subtree the campaign covers.
    pub scope_unit_id: String,
    pub scope_unit_name: String,
    /// Changes with every write to the campaign's facts.
    pub revision: i64,
}

/// A campaign with everything a client needs to write facts: the codes of its ruleset.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CampaignDetail {
    #[serde(flatten)]
    pub campaign: Campaign,
    /// Settings the province chose (e.g. who recognises communes).
    pub settings: BTreeMap<String, String>,
    pub unit_types: Vec<Code>,
    pub vocabulary: Vocabulary,
    /// Scoring items of each unit type's frame, with their maximum points.
    pub scoring_frames: BTreeMap<String, Vec<ScoringItem>>,
}

/// A code and its Vietnamese name.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Code {
    pub code: String,
    pub name: String,
}

/// The codes facts may use under the campaign's ruleset, each with its Vietnamese name.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Vocabulary {
    /// Kinds of documents (`kind` of a document record).
    pub documents: Vec<Code>,
    /// Groups of people (`group_code` and `also_groups` of a commitment, `group_code` of an
    /// incident).
    pub groups: Vec<Code>,
    /// Kinds of incidents (`kind` of an incident, and of previous-year counts).
    pub incident_kinds: Vec<Code>,
    /// Forces (`force_code` and `also_forces` of discipline, `force_code` of titles).
    pub forces: Vec<Code>,
    /// Yes/no conditions (flags) that decide whether a conditional part applies.
    pub conditions: Vec<Code>,
    /// Fields of law (`domain` of an incident that is an administrative sanction).
    pub domains: Vec<Code>,
    /// Title scales and their levels, lowest first (`scale` and `level` of titles and sub-units).
    pub scales: Vec<ScaleCodes>,
    /// Penal Code severities (`severity` of an incident), lightest first.
    pub severities: Vec<Code>,
    /// Disciplinary measures (`level` of discipline), lightest first.
    pub discipline_levels: Vec<Code>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScaleCodes {
    pub code: String,
    pub name: String,
    pub levels: Vec<Code>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScoringItem {
    pub id: String,
    pub text: String,
    pub max: f64,
}

fn codes(map: &BTreeMap<String, String>) -> Vec<Code> {
    map.iter().map(|(code, name)| Code { code: code.clone(), name: name.clone() }).collect()
}

fn vocabulary(r: &Ruleset) -> Vocabulary {
    let v = &r.vocabulary;
    Vocabulary {
        documents: codes(&v.documents),
        groups: codes(&v.groups),
        incident_kinds: codes(&v.incident_kinds),
        forces: codes(&v.forces),
        conditions: codes(&v.conditions),
        domains: codes(&v.domains),
        scales: v
            .scales
            .iter()
            .map(|(code, s)| ScaleCodes {
                code: code.clone(),
                name: s.name.clone(),
                levels: s.levels.iter().map(|l| Code { code: l.code.clone(), name: l.name.clone() }).collect(),
            })
            .collect(),
        severities: Severity::ALL.iter().map(|s| Code { code: code_of(s), name: s.name().to_owned() }).collect(),
        discipline_levels: DisciplineLevel::ALL.iter().map(|l| Code { code: code_of(l), name: l.name().to_owned() }).collect(),
    }
}

async fn summary(state: &AppState, c: &CampaignRow, scope: &UnitRow) -> Result<Campaign, ApiError> {
    let ruleset = state.app.ruleset(c).await?;
    Ok(Campaign {
        id: c.id.clone(),
        title: c.title.clone(),
        year: c.year,
        plan_number: c.plan_number.clone(),
        plan_date: c.plan_date,
        ruleset: c.ruleset.clone(),
        ruleset_name: ruleset.name.clone(),
        ruleset_version: c.ruleset_version,
        ruleset_hash: c.ruleset_hash.clone(),
        scope_unit_id: scope.id.clone(),
        scope_unit_name: scope.name.clone(),
        revision: c.revision,
    })
}

/// Campaigns the user takes part in, newest year first.
#[utoipa::path(
    get,
    path = "/campaigns",
    tag = "campaigns",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Các đợt phát động mà người dùng tham gia", body = [Campaign]),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
    )
)]
pub async fn list_campaigns(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<Campaign>>, ApiError> {
    let taken = state.app.campaigns_for(&user.actor).await?;
    let mut out = Vec::with_capacity(taken.len());
    for (c, scope) in &taken {
        out.push(summary(&state, c, scope).await?);
    }
    Ok(Json(out))
}

/// One campaign, with the codes its ruleset accepts and its scoring frames.
#[utoipa::path(
    get,
    path = "/campaigns/{cid}",
    tag = "campaigns",
    security(("bearer" = [])),
    params(("cid" = String, Path, description = "Mã đợt phát động")),
    responses(
        (status = 200, description = "Đợt phát động", body = CampaignDetail),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 404, description = "Không có, hoặc người dùng không tham gia", body = ErrorBody),
    )
)]
pub async fn get_campaign(State(state): State<AppState>, user: ApiUser, Path(cid): Path<String>) -> Result<Json<CampaignDetail>, ApiError> {
    let (c, scope) = state.app.campaign(&user.actor, &cid).await?;
    let ruleset = state.app.ruleset(&c).await?;
    let ruleset = &*ruleset;
    let scoring_frames = ruleset
        .scoring
        .frames
        .iter()
        .map(|(t, f)| {
            let items = f.items.iter().map(|i| ScoringItem { id: i.id.clone(), text: i.text.clone(), max: points(i.max) }).collect();
            (t.clone(), items)
        })
        .collect();
    Ok(Json(CampaignDetail {
        campaign: summary(&state, &c, &scope).await?,
        settings: c.settings.clone(),
        unit_types: ruleset.unit_types.iter().map(|t| Code { code: t.code.clone(), name: t.name.clone() }).collect(),
        vocabulary: vocabulary(ruleset),
        scoring_frames,
    }))
}

/// A ruleset a new campaign may start with.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RulesetOffer {
    /// The ruleset's id, e.g. `tt124-2025`: `ruleset` of a campaign that starts with it.
    pub id: String,
    pub name: String,
    pub regime: String,
    pub valid_from: chrono::NaiveDate,
    pub valid_to: Option<chrono::NaiveDate>,
    pub unit_types: Vec<Code>,
    /// Compiled into antt (`true`), or added to the database at run time.
    pub built_in: bool,
    /// The newest stored version, for a ruleset added at run time (a built-in text gets its
    /// version when a campaign first starts with it).
    pub version: Option<i64>,
    /// Hex SHA-256 of the text a campaign would start with.
    pub hash: String,
    /// Who added it and when, for a ruleset added at run time.
    pub added_by: Option<String>,
    pub added_at: Option<String>,
}

/// The rulesets a new campaign may start with: those compiled into antt and the newest version
/// of each one added at run time (`antt rulesets add`).
#[utoipa::path(
    get,
    path = "/rulesets",
    tag = "campaigns",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Các bộ tiêu chí dùng được cho đợt phát động mới", body = [RulesetOffer]),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
    )
)]
pub async fn list_rulesets(State(state): State<AppState>, _user: ApiUser) -> Result<Json<Vec<RulesetOffer>>, ApiError> {
    let offered = state.app.offered_rulesets().await?;
    Ok(Json(
        offered
            .into_iter()
            .map(|o| {
                let r = &o.ruleset;
                RulesetOffer {
                    id: r.id.clone(),
                    name: r.name.clone(),
                    regime: r.regime.clone(),
                    valid_from: r.valid_from,
                    valid_to: r.valid_to,
                    unit_types: r.unit_types.iter().map(|t| Code { code: t.code.clone(), name: t.name.clone() }).collect(),
                    built_in: o.stored.is_none(),
                    version: o.stored.as_ref().map(|s| s.version),
                    hash: o.hash.clone(),
                    added_by: o.stored.as_ref().map(|s| s.added_by.clone()),
                    added_at: o.stored.map(|s| s.added_at),
                }
            })
            .collect(),
    ))
}

/// Points as a JSON number (tenths are exact in decimal).
pub fn points(p: antt_core::scoring::Points) -> f64 {
    f64::from(p.tenths()) / 10.0
}
