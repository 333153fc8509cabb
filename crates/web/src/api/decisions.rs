//! Review and decision: a reviewer confirms the outcome the rules propose (or a different one
//! with a reason), commendation or criticism is proposed, and a recognition decision lists
//! confirmed recognised units and locks their facts; a correction is an audited unlock.

use antt_core::access::Action;
use antt_core::eval::Outcome;
use antt_store::decisions::{self, Confirmation, NewDecision, VerdictRow};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::campaigns::{code_of, unit_in, visible};
use super::error::{ApiError, ErrorBody};
use super::input::{ApiUser, JsonBody, commit};
use crate::{AppState, guard, results};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_review, confirm))
        .routes(routes!(list_proposals, propose))
        .routes(routes!(list_decisions, issue))
        .routes(routes!(get_decision))
        .routes(routes!(unlock))
        .routes(routes!(relock))
}

/// A unit's verdict as a reviewer confirmed it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Review {
    /// What the rules proposed: `recognised`, `not_recognised` or `incomplete`.
    pub proposed_outcome: String,
    /// What the reviewer confirmed: `recognised` or `not_recognised`.
    pub confirmed_outcome: String,
    /// The classification band when confirmed, e.g. `kha`.
    pub classification: Option<String>,
    pub confirmed_by: Option<String>,
    pub confirmed_at: String,
    pub note: Option<String>,
    /// The decision that lists the unit, once issued.
    pub decision_id: Option<String>,
}

fn review_of(v: VerdictRow) -> Review {
    Review {
        proposed_outcome: v.proposed_outcome,
        confirmed_outcome: v.confirmed_outcome,
        classification: v.classification,
        confirmed_by: v.confirmed_by_name,
        confirmed_at: v.confirmed_at,
        note: v.note,
        decision_id: v.decision_id,
    }
}

/// Body of PUT …/review.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"confirmed": "recognised"}))]
pub struct ReviewBody {
    /// `recognised` or `not_recognised`.
    pub confirmed: String,
    /// Required when the confirmed outcome differs from the proposed one.
    pub note: Option<String>,
}

/// The unit's confirmed verdict.
#[utoipa::path(
    get,
    path = "/campaigns/{cid}/units/{uid}/review",
    tag = "review",
    security(("bearer" = [])),
    params(("cid" = String, Path, description = "Mã đợt phát động"), ("uid" = String, Path, description = "Mã đơn vị")),
    responses(
        (status = 200, description = "Kết quả đã xác nhận", body = Review),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 404, description = "Chưa xét duyệt, không có, hoặc ngoài phạm vi", body = ErrorBody),
    )
)]
pub async fn get_review(
    State(state): State<AppState>,
    user: ApiUser,
    Path((cid, uid)): Path<(String, String)>,
) -> Result<Json<Review>, ApiError> {
    let s = unit_in(&state, &user, &cid, &uid, Action::Read).await?;
    let v = decisions::verdict(&state.store, &s.campaign.id, &s.unit.id)
        .await?
        .ok_or_else(|| ApiError::not_found("Kết quả của đơn vị chưa được xét duyệt."))?;
    Ok(Json(review_of(v)))
}

/// Confirms the outcome the rules propose for the unit, or records a different one with a
/// note. The verdict as it stands is kept with the confirmation.
#[utoipa::path(
    put,
    path = "/campaigns/{cid}/units/{uid}/review",
    tag = "review",
    security(("bearer" = [])),
    params(("cid" = String, Path, description = "Mã đợt phát động"), ("uid" = String, Path, description = "Mã đơn vị")),
    request_body = ReviewBody,
    responses(
        (status = 200, description = "Đã xác nhận", body = Review),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Vai trò không được xét duyệt", body = ErrorBody),
        (status = 404, description = "Không có, ngoài phạm vi, hoặc không được đánh giá", body = ErrorBody),
        (status = 409, description = "Dữ liệu đã bị khóa bởi quyết định", body = ErrorBody),
        (status = 422, description = "Dữ liệu không hợp lệ (lỗi theo từng trường)", body = ErrorBody),
    )
)]
pub async fn confirm(
    State(state): State<AppState>,
    user: ApiUser,
    Path((cid, uid)): Path<(String, String)>,
    JsonBody(mut body): JsonBody,
) -> Result<Json<Review>, ApiError> {
    let s = unit_in(&state, &user, &cid, &uid, Action::Review).await?;
    let computed = results::of(&state, &s.campaign.id).await?;
    let report =
        computed.reports.get(&s.unit.id).ok_or_else(|| ApiError::not_found("Đơn vị này không được đánh giá theo bộ tiêu chí của đợt."))?;
    if report.outcome == Outcome::OutOfScope {
        return Err(ApiError::invalid("Đơn vị nằm ngoài phạm vi của bộ tiêu chí; không xét duyệt."));
    }
    let proposed = code_of(report.outcome);
    let confirmed = body.text("confirmed");
    let note = body.optional_text("note");
    if let Some(c) = &confirmed
        && c != decisions::RECOGNISED
        && c != decisions::NOT_RECOGNISED
    {
        body.errors.add("confirmed", "Chọn “recognised” (đạt chuẩn) hoặc “not_recognised” (chưa đạt chuẩn).");
    }
    if let (Some(c), Some(None)) = (&confirmed, &note)
        && *c != proposed
    {
        body.errors.add("note", format!("Kết quả khác với đề xuất ({}) cần có ghi chú lý do.", report.outcome_name));
    }
    body.finish()?;
    let (Some(confirmed), Some(note)) = (confirmed, note) else { return Err(ApiError::invalid(super::error::INVALID)) };
    let snapshot = serde_json::to_value(report).unwrap_or(Value::Null);
    let c = Confirmation {
        campaign_id: &s.campaign.id,
        unit_id: &s.unit.id,
        proposed: &proposed,
        confirmed: &confirmed,
        classification: report.classification.as_ref().map(|c| c.band.as_str()),
        report: &snapshot,
        note: note.as_deref(),
    };
    let mut tx = state.store.begin().await?;
    decisions::confirm(&mut tx, &user.user.id, &c).await?;
    commit(tx).await?;
    let v = decisions::verdict(&state.store, &s.campaign.id, &s.unit.id)
        .await?
        .ok_or_else(|| ApiError::not_found("Không tìm thấy kết quả."))?;
    Ok(Json(review_of(v)))
}

/// A proposal of commendation or criticism.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Proposal {
    pub id: String,
    /// `khen_thuong` (commendation) or `phe_binh` (criticism).
    pub kind: String,
    pub kind_name: String,
    pub reason: String,
    pub proposed_by: Option<String>,
    pub proposed_at: String,
}

/// Body of POST …/proposals.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"kind": "khen_thuong", "reason": "Ba năm liền đạt chuẩn"}))]
pub struct ProposalBody {
    /// `khen_thuong` or `phe_binh`.
    pub kind: String,
    pub reason: String,
}

/// The proposals about the unit, newest first.
#[utoipa::path(
    get,
    path = "/campaigns/{cid}/units/{uid}/proposals",
    tag = "review",
    security(("bearer" = [])),
    params(("cid" = String, Path, description = "Mã đợt phát động"), ("uid" = String, Path, description = "Mã đơn vị")),
    responses(
        (status = 200, description = "Các đề nghị", body = [Proposal]),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 404, description = "Không có, hoặc ngoài phạm vi", body = ErrorBody),
    )
)]
pub async fn list_proposals(
    State(state): State<AppState>,
    user: ApiUser,
    Path((cid, uid)): Path<(String, String)>,
) -> Result<Json<Vec<Proposal>>, ApiError> {
    let s = unit_in(&state, &user, &cid, &uid, Action::Read).await?;
    let all = decisions::proposals_under(&state.store, &s.campaign.id, &s.unit.path).await?;
    Ok(Json(
        all.into_iter()
            .filter(|p| p.unit_id == s.unit.id)
            .map(|p| Proposal {
                kind_name: decisions::kind_name(&p.kind).to_owned(),
                id: p.id,
                kind: p.kind,
                reason: p.reason,
                proposed_by: p.proposed_by,
                proposed_at: p.proposed_at,
            })
            .collect(),
    ))
}

/// Proposes commendation (`khen_thuong`) or criticism (`phe_binh`) of the unit.
#[utoipa::path(
    post,
    path = "/campaigns/{cid}/units/{uid}/proposals",
    tag = "review",
    security(("bearer" = [])),
    params(("cid" = String, Path, description = "Mã đợt phát động"), ("uid" = String, Path, description = "Mã đơn vị")),
    request_body = ProposalBody,
    responses(
        (status = 201, description = "Đã ghi đề nghị", body = Proposal),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Vai trò không được xét duyệt", body = ErrorBody),
        (status = 404, description = "Không có, hoặc ngoài phạm vi", body = ErrorBody),
        (status = 422, description = "Dữ liệu không hợp lệ (lỗi theo từng trường)", body = ErrorBody),
    )
)]
pub async fn propose(
    State(state): State<AppState>,
    user: ApiUser,
    Path((cid, uid)): Path<(String, String)>,
    JsonBody(mut body): JsonBody,
) -> Result<(StatusCode, Json<Proposal>), ApiError> {
    let s = unit_in(&state, &user, &cid, &uid, Action::Review).await?;
    let kind = body.text("kind");
    if let Some(k) = &kind
        && k != decisions::COMMENDATION
        && k != decisions::CRITICISM
    {
        body.errors.add("kind", "Chọn “khen_thuong” (đề nghị khen thưởng) hoặc “phe_binh” (đề nghị phê bình).");
    }
    let reason = body.text("reason");
    body.finish()?;
    let (Some(kind), Some(reason)) = (kind, reason) else { return Err(ApiError::invalid(super::error::INVALID)) };
    let mut tx = state.store.begin().await?;
    let id = decisions::propose(&mut tx, &user.user.id, &s.campaign.id, &s.unit.id, &kind, &reason).await?;
    commit(tx).await?;
    let p = decisions::proposals_under(&state.store, &s.campaign.id, &s.unit.path)
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or_else(|| ApiError::not_found("Không tìm thấy đề nghị."))?;
    Ok((
        StatusCode::CREATED,
        Json(Proposal {
            kind_name: decisions::kind_name(&p.kind).to_owned(),
            id: p.id,
            kind: p.kind,
            reason: p.reason,
            proposed_by: p.proposed_by,
            proposed_at: p.proposed_at,
        }),
    ))
}

/// A recognition decision with its annex (the units the user may see).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Decision {
    pub id: String,
    /// e.g. `45/QĐ-UBND`.
    pub number: String,
    pub decided_on: chrono::NaiveDate,
    pub signer: String,
    pub authority: String,
    pub issued_by: Option<String>,
    pub issued_at: String,
    pub units: Vec<DecisionUnit>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionUnit {
    pub unit_id: String,
    pub name: String,
    pub unit_type: String,
    /// Whether the decision still locks the unit's facts (false after an unlock).
    pub locked: bool,
}

/// Body of POST /campaigns/{cid}/decisions.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"number": "45/QĐ-UBND", "decided_on": "2013-11-14", "signer": "Chủ tịch UBND xã", "authority": "UBND xã Phước Hậu", "unit_ids": ["29578-ap01"]}))]
pub struct DecisionBody {
    pub number: String,
    pub decided_on: chrono::NaiveDate,
    pub signer: String,
    pub authority: String,
    /// Units confirmed recognised and in no other decision.
    pub unit_ids: Vec<String>,
}

/// Body of POST …/unlock and …/relock.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LockBody {
    pub unit_id: String,
    /// Why the facts must be corrected (unlock only).
    pub reason: Option<String>,
}

async fn decision_view(state: &AppState, user: &ApiUser, d: decisions::Decision) -> Result<Option<Decision>, ApiError> {
    let mut shown = Vec::new();
    for u in d.units {
        if let Some(row) = antt_store::units::get(&state.store, &u.unit_id).await?
            && guard::check(user, &row, Action::Read).is_ok()
        {
            shown.push(DecisionUnit { unit_id: u.unit_id, name: u.name, unit_type: u.unit_type, locked: u.locked });
        }
    }
    if shown.is_empty() {
        return Ok(None);
    }
    Ok(Some(Decision {
        id: d.id,
        number: d.number,
        decided_on: d.decided_on,
        signer: d.signer,
        authority: d.authority,
        issued_by: d.issued_by,
        issued_at: d.issued_at,
        units: shown,
    }))
}

/// The campaign's decisions that list a unit the user may see, newest first (annexes
/// included).
#[utoipa::path(
    get,
    path = "/campaigns/{cid}/decisions",
    tag = "decisions",
    security(("bearer" = [])),
    params(("cid" = String, Path, description = "Mã đợt phát động")),
    responses(
        (status = 200, description = "Các quyết định", body = [Decision]),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 404, description = "Không có đợt phát động, hoặc người dùng không tham gia", body = ErrorBody),
    )
)]
pub async fn list_decisions(
    State(state): State<AppState>,
    user: ApiUser,
    Path(cid): Path<String>,
) -> Result<Json<Vec<Decision>>, ApiError> {
    let (campaign, _) = visible(&state, &user, &cid).await?;
    let mut ids: Vec<String> = Vec::new();
    for scope in guard::scopes(&user) {
        for d in decisions::list_under(&state.store, &campaign.id, scope).await? {
            if !ids.contains(&d.id) {
                ids.push(d.id);
            }
        }
    }
    let mut out = Vec::new();
    for id in ids {
        if let Some(d) = decisions::get(&state.store, &campaign.id, &id).await?
            && let Some(v) = decision_view(&state, &user, d).await?
        {
            out.push(v);
        }
    }
    out.sort_by(|a, b| (b.decided_on, &b.id).cmp(&(a.decided_on, &a.id)));
    Ok(Json(out))
}

/// Issues a recognition decision: lists the units (each confirmed recognised) and locks their
/// facts for the campaign.
#[utoipa::path(
    post,
    path = "/campaigns/{cid}/decisions",
    tag = "decisions",
    security(("bearer" = [])),
    params(("cid" = String, Path, description = "Mã đợt phát động")),
    request_body = DecisionBody,
    responses(
        (status = 201, description = "Đã ban hành", body = Decision),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Vai trò không được ban hành quyết định cho một đơn vị", body = ErrorBody),
        (status = 404, description = "Một đơn vị không có hoặc ngoài phạm vi", body = ErrorBody),
        (status = 409, description = "Số quyết định đã dùng trong đợt", body = ErrorBody),
        (status = 422, description = "Dữ liệu không hợp lệ, hoặc một đơn vị chưa được xác nhận đạt chuẩn", body = ErrorBody),
    )
)]
pub async fn issue(
    State(state): State<AppState>,
    user: ApiUser,
    Path(cid): Path<String>,
    JsonBody(mut body): JsonBody,
) -> Result<(StatusCode, Json<Decision>), ApiError> {
    let number = body.text("number");
    let decided_on = body.date("decided_on");
    let signer = body.text("signer");
    let authority = body.text("authority");
    let unit_ids: Vec<String> = match body.value("unit_ids") {
        Some(Value::Array(items)) if !items.is_empty() && items.iter().all(Value::is_string) => {
            items.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()
        }
        Some(Value::Array(items)) if items.is_empty() => {
            body.errors.add("unit_ids", "Quyết định cần có ít nhất một đơn vị.");
            Vec::new()
        }
        None => {
            body.errors.add("unit_ids", "Không được để trống.");
            Vec::new()
        }
        Some(_) => {
            body.errors.add("unit_ids", "Phải là danh sách mã đơn vị.");
            Vec::new()
        }
    };
    // Every listed unit must be one the user may issue decisions for, before the input is
    // judged.
    let (campaign, _) = visible(&state, &user, &cid).await?;
    for id in &unit_ids {
        unit_in(&state, &user, &cid, id, Action::IssueDecision).await?;
    }
    body.finish()?;
    let (Some(number), Some(decided_on), Some(signer), Some(authority)) = (number, decided_on, signer, authority) else {
        return Err(ApiError::invalid(super::error::INVALID));
    };
    if decisions::number_taken(&state.store, &campaign.id, &number).await? {
        let mut e = ApiError::field("number", format!("Số quyết định {number} đã được dùng trong đợt này."));
        e.status = StatusCode::CONFLICT;
        return Err(e);
    }
    let d =
        NewDecision { campaign_id: &campaign.id, number: &number, decided_on, signer: &signer, authority: &authority, unit_ids: &unit_ids };
    let mut tx = state.store.begin().await?;
    let id = decisions::issue(&mut tx, &user.user.id, &d).await?;
    commit(tx).await?;
    let stored = decisions::get(&state.store, &campaign.id, &id).await?.ok_or_else(|| ApiError::not_found("Không tìm thấy quyết định."))?;
    let view = decision_view(&state, &user, stored).await?.ok_or_else(|| ApiError::not_found("Không tìm thấy quyết định."))?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// One decision, if it lists a unit the user may see.
#[utoipa::path(
    get,
    path = "/campaigns/{cid}/decisions/{id}",
    tag = "decisions",
    security(("bearer" = [])),
    params(("cid" = String, Path, description = "Mã đợt phát động"), ("id" = String, Path, description = "Mã quyết định")),
    responses(
        (status = 200, description = "Quyết định", body = Decision),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 404, description = "Không có, hoặc không liệt kê đơn vị nào trong phạm vi", body = ErrorBody),
    )
)]
pub async fn get_decision(
    State(state): State<AppState>,
    user: ApiUser,
    Path((cid, id)): Path<(String, String)>,
) -> Result<Json<Decision>, ApiError> {
    let missing = || ApiError::not_found("Không tìm thấy quyết định.");
    let (campaign, _) = visible(&state, &user, &cid).await?;
    let d = decisions::get(&state.store, &campaign.id, &id).await?.ok_or_else(missing)?;
    Ok(Json(decision_view(&state, &user, d).await?.ok_or_else(missing)?))
}

/// Lifts the decision's lock on a unit's facts so a correction can be made; the reason goes to
/// the audit log.
#[utoipa::path(
    post,
    path = "/campaigns/{cid}/decisions/{id}/unlock",
    tag = "decisions",
    security(("bearer" = [])),
    params(("cid" = String, Path, description = "Mã đợt phát động"), ("id" = String, Path, description = "Mã quyết định")),
    request_body(content = LockBody, example = json!({"unit_id": "29578-ap01", "reason": "Sửa số hộ ký cam kết"})),
    responses(
        (status = 204, description = "Đã mở khóa"),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Vai trò không được ban hành quyết định", body = ErrorBody),
        (status = 404, description = "Không có quyết định, đơn vị, hoặc khóa", body = ErrorBody),
        (status = 422, description = "Thiếu lý do", body = ErrorBody),
    )
)]
pub async fn unlock(
    State(state): State<AppState>,
    user: ApiUser,
    Path((cid, id)): Path<(String, String)>,
    JsonBody(mut body): JsonBody,
) -> Result<StatusCode, ApiError> {
    let unit_id = body.text("unit_id");
    let reason = body.text("reason");
    let s = match &unit_id {
        Some(u) => Some(unit_in(&state, &user, &cid, u, Action::IssueDecision).await?),
        None => None,
    };
    body.finish()?;
    let (Some(s), Some(reason)) = (s, reason) else { return Err(ApiError::invalid(super::error::INVALID)) };
    let mut tx = state.store.begin().await?;
    decisions::unlock(&mut tx, &user.user.id, &s.campaign.id, &id, &s.unit.id, &reason).await?;
    commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Locks a unit's facts again under the decision that lists it, once the correction is done.
#[utoipa::path(
    post,
    path = "/campaigns/{cid}/decisions/{id}/relock",
    tag = "decisions",
    security(("bearer" = [])),
    params(("cid" = String, Path, description = "Mã đợt phát động"), ("id" = String, Path, description = "Mã quyết định")),
    request_body(content = LockBody, example = json!({"unit_id": "29578-ap01"})),
    responses(
        (status = 204, description = "Đã khóa lại"),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Vai trò không được ban hành quyết định", body = ErrorBody),
        (status = 404, description = "Không có quyết định, hoặc đơn vị không có trong quyết định", body = ErrorBody),
    )
)]
pub async fn relock(
    State(state): State<AppState>,
    user: ApiUser,
    Path((cid, id)): Path<(String, String)>,
    JsonBody(mut body): JsonBody,
) -> Result<StatusCode, ApiError> {
    let unit_id = body.text("unit_id");
    body.ignore("reason");
    let s = match &unit_id {
        Some(u) => Some(unit_in(&state, &user, &cid, u, Action::IssueDecision).await?),
        None => None,
    };
    body.finish()?;
    let s = s.ok_or_else(|| ApiError::invalid(super::error::INVALID))?;
    let mut tx = state.store.begin().await?;
    decisions::relock(&mut tx, &user.user.id, &s.campaign.id, &id, &s.unit.id).await?;
    commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
}
