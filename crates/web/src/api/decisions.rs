//! Review and decision: a reviewer confirms the outcome the rules propose (or a different one
//! with a reason), commendation or criticism is proposed, and a recognition decision lists
//! confirmed recognised units and locks their facts; a correction is an audited unlock.

use antt_app::decisions::{CHAIRMAN, DecisionForm};
use antt_app::review::Confirm;
use antt_core::access::Action;
use antt_store::decisions::{self, VerdictRow};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ErrorBody};
use super::input::{ApiUser, JsonBody};
use crate::AppState;

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
    #[schema(schema_with = outcome_schema)]
    pub confirmed: String,
    /// Required when the confirmed outcome differs from the proposed one.
    pub note: Option<String>,
    /// Needed (true) to confirm `recognised` for a unit with parts the rules found not met or
    /// could not decide for missing data: the refusal (422, field `acknowledged`) lists them.
    pub acknowledged: Option<bool>,
}

/// The outcomes a review confirms, listed in the document so clients (and fuzzers) send one;
/// the field stays a string so any other value gets the Vietnamese field message.
fn outcome_schema() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(["recognised", "not_recognised"]))
        .description(Some("`recognised` or `not_recognised`."))
        .build()
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
    let s = state.app.scoped(&user.actor, &cid, &uid, Action::Read).await?;
    let v = decisions::verdict(state.app.store(), &s.campaign.id, &s.unit.id)
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
    let confirmed = body.text("confirmed");
    let note = body.optional_text("note");
    let acknowledged = body.optional_bool("acknowledged");
    body.finish()?;
    let (Some(confirmed), Some(note), Some(acknowledged)) = (confirmed, note, acknowledged) else {
        return Err(ApiError::invalid(super::error::INVALID));
    };
    let given = Confirm { outcome: &confirmed, note: note.as_deref(), acknowledged: acknowledged.unwrap_or(false) };
    state.app.confirm_verdict(&user.actor, &cid, &uid, given).await.map_err(|e| {
        let mut e = ApiError::from(e);
        if let Some(m) = e.fields.remove("outcome") {
            e.fields.insert("confirmed".into(), m);
        }
        e
    })?;
    let s = state.app.scoped(&user.actor, &cid, &uid, Action::Read).await?;
    let v = decisions::verdict(state.app.store(), &s.campaign.id, &s.unit.id)
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
    let s = state.app.scoped(&user.actor, &cid, &uid, Action::Read).await?;
    let all = decisions::proposals_under(state.app.store(), &s.campaign.id, &s.unit.path).await?;
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
    let kind = body.optional_text("kind");
    let reason = body.optional_text("reason");
    body.finish()?;
    let (Some(kind), Some(reason)) = (kind, reason) else { return Err(ApiError::invalid(super::error::INVALID)) };
    let (unit, id) = state.app.propose(&user.actor, &cid, &uid, &kind.unwrap_or_default(), &reason.unwrap_or_default()).await?;
    let p = decisions::proposals_under(state.app.store(), &cid, &unit.path)
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
    /// `chu_tich` (the chairman signs) or `pho_chu_tich` (a vice-chairman signs for the chairman).
    pub signer_role: String,
    /// The recognising authority, from the campaign's ruleset: "Chủ tịch Ủy ban nhân dân xã …".
    pub authority: String,
    /// The committee (a unit) that issued it.
    pub issuer_unit_id: Option<String>,
    pub issued_by: Option<String>,
    pub issued_at: String,
    /// The number of the police's request (tờ trình) it answers, when recorded.
    pub request_number: Option<String>,
    /// The request's date, when recorded.
    pub request_date: Option<chrono::NaiveDate>,
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
#[schema(example = json!({"number": "45/QĐ-UBND", "decided_on": "2013-11-14", "signer": "Nguyễn Văn A", "signer_role": "chu_tich", "unit_ids": ["29578-ap01"], "request_number": "12/TTr-CAX", "request_date": "2013-11-08"}))]
pub struct DecisionBody {
    /// Unique for the issuing committee in the year of `decided_on`, e.g. `45/QĐ-UBND`.
    pub number: String,
    pub decided_on: chrono::NaiveDate,
    /// The signer's name.
    pub signer: String,
    /// `chu_tich` (default) or `pho_chu_tich`.
    pub signer_role: Option<String>,
    /// Units confirmed recognised, in no other decision, all recognised by the same committee
    /// (the ruleset's recognising authority), which the user must hold a grant at.
    pub unit_ids: Vec<String>,
    /// The number of the police's request (tờ trình) the decision answers, e.g. `12/TTr-CAX`:
    /// printed as "Xét đề nghị của Trưởng Công an … tại Tờ trình số … ngày …". Optional; given
    /// with `request_date`, which is not after `decided_on`.
    pub request_number: Option<String>,
    pub request_date: Option<chrono::NaiveDate>,
}

/// Body of POST …/unlock and …/relock.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LockBody {
    pub unit_id: String,
    /// Why the facts must be corrected (unlock only).
    pub reason: Option<String>,
}

/// The decision with the annexed units the user may see; `None` when they may see none.
fn decision_view(user: &ApiUser, d: decisions::Decision) -> Option<Decision> {
    let shown: Vec<DecisionUnit> = d
        .units
        .into_iter()
        .filter(|u| user.actor.may(Action::Read, &u.path))
        .map(|u| DecisionUnit { unit_id: u.unit_id, name: u.name, unit_type: u.unit_type, locked: u.locked })
        .collect();
    (!shown.is_empty()).then_some(Decision {
        id: d.id,
        number: d.number,
        decided_on: d.decided_on,
        signer: d.signer,
        signer_role: d.signer_role,
        authority: d.authority,
        issuer_unit_id: d.issuer_unit_id,
        issued_by: d.issued_by,
        issued_at: d.issued_at,
        request_number: d.request.as_ref().map(|(n, _)| n.clone()),
        request_date: d.request.map(|(_, day)| day),
        units: shown,
    })
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
    let (campaign, _) = state.app.campaign(&user.actor, &cid).await?;
    let mut ids: Vec<String> = Vec::new();
    for scope in user.actor.scopes() {
        for d in decisions::list_under(state.app.store(), &campaign.id, scope).await? {
            if !ids.contains(&d.id) {
                ids.push(d.id);
            }
        }
    }
    let mut out = Vec::new();
    for id in ids {
        if let Some(d) = decisions::get(state.app.store(), &campaign.id, &id).await?
            && let Some(v) = decision_view(&user, d)
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
        (status = 403, description = "Người dùng không giữ quyền tại cấp có thẩm quyền công nhận các đơn vị (theo bộ tiêu chí)", body = ErrorBody),
        (status = 404, description = "Một đơn vị không có hoặc ngoài phạm vi", body = ErrorBody),
        (status = 422, description = "Dữ liệu không hợp lệ, số đã dùng trong năm của cấp ban hành, đơn vị ghi hai lần, thuộc thẩm quyền khác nhau, chưa được xác nhận đạt chuẩn, hoặc dữ liệu đã đổi sau khi xét duyệt", body = ErrorBody),
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
    let signer_role = body.optional_text("signer_role");
    let request_number = body.optional_text("request_number");
    let request_date = body.optional_date("request_date");
    let unit_ids: Vec<String> = match body.value("unit_ids") {
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
            items.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()
        }
        None => Vec::new(),
        Some(_) => {
            body.errors.add("unit_ids", "Phải là danh sách mã đơn vị.");
            Vec::new()
        }
    };
    body.finish()?;
    let (Some(number), Some(decided_on), Some(signer), Some(signer_role), Some(request_number), Some(request_date)) =
        (number, decided_on, signer, signer_role, request_number, request_date)
    else {
        return Err(ApiError::invalid(super::error::INVALID));
    };
    let form = DecisionForm {
        number,
        decided_on,
        signer,
        signer_role: signer_role.unwrap_or_else(|| CHAIRMAN.to_owned()),
        unit_ids,
        request_number: request_number.unwrap_or_default(),
        request_date,
    };
    let id = state.app.issue_decision(&user.actor, &cid, &form).await?;
    let (_, d) = state.app.decision(&user.actor, &cid, &id).await?;
    let view = decision_view(&user, d).ok_or_else(|| ApiError::not_found("Không tìm thấy quyết định."))?;
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
    let (_, d) = state.app.decision(&user.actor, &cid, &id).await?;
    Ok(Json(decision_view(&user, d).ok_or_else(|| ApiError::not_found("Không tìm thấy quyết định."))?))
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
        (status = 403, description = "Người dùng không giữ quyền tại cấp đã ban hành quyết định", body = ErrorBody),
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
    body.finish()?;
    let (Some(unit_id), Some(reason)) = (unit_id, reason) else { return Err(ApiError::invalid(super::error::INVALID)) };
    state.app.unlock(&user.actor, &cid, &id, &unit_id, &reason).await?;
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
        (status = 403, description = "Người dùng không giữ quyền tại cấp đã ban hành quyết định", body = ErrorBody),
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
    body.finish()?;
    let unit_id = unit_id.ok_or_else(|| ApiError::invalid(super::error::INVALID))?;
    state.app.relock(&user.actor, &cid, &id, &unit_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
