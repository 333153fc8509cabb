//! Results as the rules engine reports them (from `App::results`, never recomputed here): a
//! unit's verdict with every criterion, part and reason, and the counts under an inner unit.

use antt_app::verdicts::Results;
use antt_core::access::Action;
use antt_core::calendar::Timeliness;
use antt_core::eval::{Outcome as CoreOutcome, Status as CoreStatus};
use antt_core::report::UnitReport;
use antt_core::scoring::{Classification as CoreClassification, ScoreSource};
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::campaigns::points;
use super::error::{ApiError, ErrorBody};
use super::input::ApiUser;
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(verdict)).routes(routes!(summary))
}

/// The overall result of a unit.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Recognised,
    NotRecognised,
    Incomplete,
    OutOfScope,
}

/// The state of a criterion or a part.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    NotMet,
    NotApplicable,
    MissingData,
}

impl From<CoreOutcome> for Outcome {
    fn from(o: CoreOutcome) -> Self {
        match o {
            CoreOutcome::Recognised => Self::Recognised,
            CoreOutcome::NotRecognised => Self::NotRecognised,
            CoreOutcome::Incomplete => Self::Incomplete,
            CoreOutcome::OutOfScope => Self::OutOfScope,
        }
    }
}

impl From<CoreStatus> for Status {
    fn from(s: CoreStatus) -> Self {
        match s {
            CoreStatus::Met => Self::Met,
            CoreStatus::NotMet => Self::NotMet,
            CoreStatus::NotApplicable => Self::NotApplicable,
            CoreStatus::MissingData => Self::MissingData,
        }
    }
}

/// A unit's verdict: every criterion and part with its Vietnamese reason.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Verdict {
    pub campaign_id: String,
    /// The campaign revision the verdict was computed at.
    pub revision: i64,
    /// Newer facts of the campaign are being evaluated: this is the verdict of the last complete
    /// computation; ask again in a moment for the current one.
    pub updating: bool,
    pub unit_id: String,
    pub name: String,
    pub unit_type: String,
    pub unit_type_name: String,
    pub outcome: Outcome,
    /// `Đạt chuẩn`, `Chưa đạt chuẩn`, `Chưa đủ dữ liệu`, `Ngoài phạm vi`.
    pub outcome_name: String,
    /// Why the unit is outside the ruleset, or what is missing to know.
    pub scope_notes: Vec<String>,
    pub registration: Option<Registration>,
    /// Who recognises units of this type.
    pub authority: Option<String>,
    pub criteria: Vec<Criterion>,
    pub classification: Option<Classification>,
    /// Why the unit could not be classified.
    pub classification_problem: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Registration {
    pub date: chrono::NaiveDate,
    pub deadline: chrono::NaiveDate,
    pub on_time: bool,
    pub days_late: u32,
    /// E.g. `20/05/2013, đúng hạn (hạn 22/05/2013)`.
    pub text: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Criterion {
    /// E.g. `1.1`.
    pub id: String,
    pub text: String,
    /// The legal basis.
    pub basis: String,
    pub status: Status,
    pub status_name: String,
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Part {
    pub id: String,
    pub text: String,
    pub status: Status,
    pub status_name: String,
    /// Why, in Vietnamese, naming the facts it rests on.
    pub reason: String,
}

/// The movement classification (Xuất sắc / Khá / Trung bình / Kém).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Classification {
    pub band: String,
    pub band_name: String,
    /// `reviewed` (the inspection team's score) or `self_assessed` (provisional).
    pub source: String,
    pub total: f64,
    pub max: f64,
    pub self_total: f64,
    /// Items whose reviewed score differs from the self-score.
    pub differences: Vec<Difference>,
    /// Why each higher band was not reached.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Difference {
    pub item: String,
    pub self_assessed: f64,
    pub reviewed: f64,
}

fn classification(c: &CoreClassification) -> Classification {
    Classification {
        band: c.band.clone(),
        band_name: c.band_name.clone(),
        source: match c.source {
            ScoreSource::Reviewed => "reviewed",
            ScoreSource::SelfAssessed => "self_assessed",
        }
        .into(),
        total: points(c.total),
        max: points(c.max),
        self_total: points(c.self_total),
        differences: c
            .differences
            .iter()
            .map(|(item, s, r)| Difference { item: item.clone(), self_assessed: points(*s), reviewed: points(*r) })
            .collect(),
        reasons: c.reasons.clone(),
    }
}

fn verdict_of(campaign_id: &str, results: &Results, r: &UnitReport) -> Verdict {
    Verdict {
        campaign_id: campaign_id.to_owned(),
        revision: results.revision,
        updating: results.updating,
        unit_id: r.id.clone(),
        name: r.name.clone(),
        unit_type: r.unit_type.to_string(),
        unit_type_name: r.unit_type_name.to_string(),
        outcome: r.outcome.into(),
        outcome_name: r.outcome_name.to_string(),
        scope_notes: r.scope_notes.iter().map(|t| t.to_string()).collect(),
        registration: r.registration.as_ref().map(|reg| {
            let (deadline, days_late) = match reg.timeliness {
                Timeliness::OnTime { deadline } => (deadline, 0),
                Timeliness::Late { deadline, days_late } => (deadline, days_late),
            };
            Registration { date: reg.date, deadline, on_time: days_late == 0, days_late, text: reg.text.to_string() }
        }),
        authority: r.authority.as_deref().map(str::to_owned),
        criteria: r
            .criteria
            .iter()
            .map(|c| Criterion {
                id: c.id.to_string(),
                text: c.text.to_string(),
                basis: c.basis.to_string(),
                status: c.status.into(),
                status_name: c.status.name().to_owned(),
                parts: c
                    .parts
                    .iter()
                    .map(|p| Part {
                        id: p.id.to_string(),
                        text: p.text.to_string(),
                        status: p.status.into(),
                        status_name: p.status.name().to_owned(),
                        reason: p.reason.to_string(),
                    })
                    .collect(),
            })
            .collect(),
        classification: r.classification.as_ref().map(classification),
        classification_problem: r.classification_problem.clone(),
    }
}

/// A unit's verdict in a campaign, with every criterion, part and reason.
#[utoipa::path(
    get,
    path = "/campaigns/{cid}/units/{uid}/verdict",
    tag = "results",
    security(("bearer" = [])),
    params(("cid" = String, Path, description = "Mã đợt phát động"), ("uid" = String, Path, description = "Mã đơn vị")),
    responses(
        (status = 200, description = "Kết quả đánh giá", body = Verdict),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 404, description = "Không có, ngoài phạm vi, hoặc đơn vị hành chính không được đánh giá", body = ErrorBody),
    )
)]
pub async fn verdict(
    State(state): State<AppState>,
    user: ApiUser,
    Path((cid, uid)): Path<(String, String)>,
) -> Result<Json<Verdict>, ApiError> {
    let s = state.app.scoped(&user.actor, &cid, &uid, Action::Read).await?;
    let computed = state.app.results(&s.campaign.id).await?;
    let report = computed
        .report(&s.unit.id)
        .ok_or_else(|| ApiError::not_found("Đơn vị này không được đánh giá theo bộ tiêu chí của đợt (cấp hành chính); xem /summary."))?;
    Ok(Json(verdict_of(&s.campaign.id, &computed, report)))
}

/// Counts of outcomes for one unit type under a unit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TypeCounts {
    pub unit_type: String,
    pub unit_type_name: String,
    pub total: u32,
    /// Meeting the standard by the rules (not yet a recognition: see `recognised_by_decision`).
    pub recognised: u32,
    pub not_recognised: u32,
    pub incomplete: u32,
    pub out_of_scope: u32,
    pub registered: u32,
    pub registered_on_time: u32,
}

/// The counts under an inner unit, by unit type.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Summary {
    pub campaign_id: String,
    pub revision: i64,
    pub unit_id: String,
    pub name: String,
    pub by_type: Vec<TypeCounts>,
    /// Units under it that an issued decision recognises: what an authority decided, apart
    /// from what the rules find (`recognised` of each type).
    pub recognised_by_decision: u32,
}

/// Counts by unit type for an inner unit (a province, district or commune) in a campaign.
#[utoipa::path(
    get,
    path = "/campaigns/{cid}/units/{uid}/summary",
    tag = "results",
    security(("bearer" = [])),
    params(("cid" = String, Path, description = "Mã đợt phát động"), ("uid" = String, Path, description = "Mã đơn vị")),
    responses(
        (status = 200, description = "Số lượng theo loại đơn vị", body = Summary),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 404, description = "Không có, ngoài phạm vi, hoặc đơn vị không có đơn vị trực thuộc", body = ErrorBody),
    )
)]
pub async fn summary(
    State(state): State<AppState>,
    user: ApiUser,
    Path((cid, uid)): Path<(String, String)>,
) -> Result<Json<Summary>, ApiError> {
    let s = state.app.scoped(&user.actor, &cid, &uid, Action::Read).await?;
    let computed = state.app.results(&s.campaign.id).await?;
    let ruleset = state.app.ruleset(&s.campaign).await?;
    let ruleset = &*ruleset;
    let counts = computed.summary(&s.unit.id).ok_or_else(|| ApiError::not_found("Đơn vị này không có đơn vị trực thuộc."))?;
    let by_type = counts
        .iter()
        .map(|(t, c)| TypeCounts {
            unit_type: t.clone(),
            unit_type_name: ruleset.unit_type_name(t).to_owned(),
            total: c.total,
            recognised: c.recognised,
            not_recognised: c.not_recognised,
            incomplete: c.incomplete,
            out_of_scope: c.out_of_scope,
            registered: c.registered,
            registered_on_time: c.registered_on_time,
        })
        .collect();
    Ok(Json(Summary {
        campaign_id: s.campaign.id.clone(),
        revision: computed.revision,
        unit_id: s.unit.id.clone(),
        name: s.unit.name.clone(),
        by_type,
        recognised_by_decision: u32::try_from(state.app.recognised_by_decision(&s.campaign.id, &s.unit.path).await?.len())
            .unwrap_or(u32::MAX),
    }))
}
