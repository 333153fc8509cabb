//! Registration to strive for the standard: read it, submit it (a pledge per criterion and the
//! date, kept as an immutable copy with a receipt number), and return it for correction.

use std::collections::BTreeMap;

use antt_app::registration::RegistrationForm;
use antt_core::access::Action;
use antt_store::registrations::{self, Pledge, RegistrationRow};
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
    OpenApiRouter::new().routes(routes!(get_registration, submit_registration)).routes(routes!(return_registration))
}

/// A unit's registration in a campaign.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Registration {
    /// `submitted` or `returned` (sent back for correction).
    pub status: String,
    pub status_name: String,
    pub registered_on: Option<chrono::NaiveDate>,
    /// Registered by the unit type's deadline.
    pub on_time: Option<bool>,
    /// The standing office's receipt number, e.g. `PV28-2013-000001`.
    pub receipt_number: Option<String>,
    pub submitted_at: Option<String>,
    /// By criterion id.
    pub pledges: BTreeMap<String, PledgeBody>,
    pub returned_reason: Option<String>,
    /// Send it back when registering again after a return, or when returning it.
    pub version: i64,
}

/// The pledge on one criterion.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PledgeBody {
    pub pledged: bool,
    pub note: Option<String>,
}

/// Body of POST …/registration.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"registered_on": "2013-05-20", "pledges": {"1.1": {"pledged": true}, "1.2": {"pledged": true, "note": "Xây dựng mô hình tự quản"}}}))]
pub struct RegistrationBody {
    /// The date on the registration (not before the plan, not after today).
    pub registered_on: chrono::NaiveDate,
    /// By criterion id of the unit's type; criteria left out are pledged. At least one must be.
    pub pledges: Option<BTreeMap<String, PledgeBody>>,
    /// The `version` of the returned registration this one replaces.
    pub version: Option<i64>,
}

/// Body of POST …/registration/return.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReturnBody {
    pub reason: String,
    pub version: i64,
}

fn view(r: &RegistrationRow) -> Registration {
    Registration {
        status: r.status.clone(),
        status_name: registrations::status_name(&r.status).to_owned(),
        registered_on: r.registered_on,
        on_time: r.on_time,
        receipt_number: r.receipt_number.clone(),
        submitted_at: r.submitted_at.clone(),
        pledges: r.pledges.iter().map(|(k, p)| (k.clone(), PledgeBody { pledged: p.pledged, note: p.note.clone() })).collect(),
        returned_reason: r.returned_reason.clone(),
        version: r.version,
    }
}

/// The unit's registration.
#[utoipa::path(
    get,
    path = "/campaigns/{cid}/units/{uid}/registration",
    tag = "registration",
    security(("bearer" = [])),
    params(("cid" = String, Path, description = "Mã đợt phát động"), ("uid" = String, Path, description = "Mã đơn vị")),
    responses(
        (status = 200, description = "Bản đăng ký", body = Registration),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 404, description = "Chưa đăng ký, không có, hoặc ngoài phạm vi", body = ErrorBody),
    )
)]
pub async fn get_registration(
    State(state): State<AppState>,
    user: ApiUser,
    Path((cid, uid)): Path<(String, String)>,
) -> Result<Json<Registration>, ApiError> {
    let s = state.app.scoped(&user.actor, &cid, &uid, Action::Read).await?;
    let reg = registrations::get(state.app.store(), &s.campaign.id, &s.unit.id)
        .await?
        .ok_or_else(|| ApiError::not_found("Đơn vị chưa đăng ký phấn đấu trong đợt này."))?;
    Ok(Json(view(&reg)))
}

/// Submits the unit's registration, or a new one after it was returned for correction. A
/// submitted registration is never overwritten.
#[utoipa::path(
    post,
    path = "/campaigns/{cid}/units/{uid}/registration",
    tag = "registration",
    security(("bearer" = [])),
    params(("cid" = String, Path, description = "Mã đợt phát động"), ("uid" = String, Path, description = "Mã đơn vị")),
    request_body = RegistrationBody,
    responses(
        (status = 201, description = "Đã gửi; có số tiếp nhận", body = Registration),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Vai trò không được đăng ký", body = ErrorBody),
        (status = 404, description = "Không có, hoặc ngoài phạm vi", body = ErrorBody),
        (status = 409, description = "Đã gửi đăng ký, phiên bản đã cũ, hoặc dữ liệu đã bị khóa", body = ErrorBody),
        (status = 422, description = "Dữ liệu không hợp lệ (lỗi theo từng trường)", body = ErrorBody),
    )
)]
pub async fn submit_registration(
    State(state): State<AppState>,
    user: ApiUser,
    Path((cid, uid)): Path<(String, String)>,
    JsonBody(mut body): JsonBody,
) -> Result<(StatusCode, Json<Registration>), ApiError> {
    let registered_on = body.date("registered_on");
    let replaces_version = match body.value("version") {
        None => None,
        Some(_) => body.integer("version"),
    };
    let sent = match body.value("pledges") {
        None | Some(Value::Null) => BTreeMap::new(),
        Some(Value::Object(map)) => map.into_iter().collect(),
        Some(_) => {
            body.errors.add("pledges", "Phải là một đối tượng {mã tiêu chí: {\"pledged\": true}}.");
            BTreeMap::new()
        }
    };
    let mut pledges = BTreeMap::new();
    for (id, value) in &sent {
        match value.get("pledged").and_then(Value::as_bool) {
            Some(pledged) => {
                let note = value.get("note").and_then(Value::as_str).map(str::to_owned);
                pledges.insert(id.clone(), Pledge { pledged, note });
            }
            None => body.errors.add(&format!("pledges.{id}"), "Cần trường “pledged”: true hoặc false."),
        }
    }
    body.finish()?;
    let registered_on = registered_on.ok_or_else(|| ApiError::invalid(super::error::INVALID))?;
    let form = RegistrationForm { pledges, registered_on, documents: Vec::new(), replaces_version };
    let row = state.app.register(&user.actor, &cid, &uid, &form).await.map_err(conflict_if_invalid)?;
    Ok((StatusCode::CREATED, Json(view(&row))))
}

/// A refusal of the registration's state (already submitted, not submitted) is a conflict
/// with what is stored, not a problem of the input (which is refused field by field).
fn conflict_if_invalid(e: antt_app::Error) -> ApiError {
    let mut e = ApiError::from(e);
    if e.status == StatusCode::UNPROCESSABLE_ENTITY && e.fields.is_empty() {
        e.status = StatusCode::CONFLICT;
    }
    e
}

/// Returns a submitted registration to the unit for correction, with the reason.
#[utoipa::path(
    post,
    path = "/campaigns/{cid}/units/{uid}/registration/return",
    tag = "registration",
    security(("bearer" = [])),
    params(("cid" = String, Path, description = "Mã đợt phát động"), ("uid" = String, Path, description = "Mã đơn vị")),
    request_body = ReturnBody,
    responses(
        (status = 200, description = "Đã trả lại", body = Registration),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Vai trò không được quản lý đợt phát động", body = ErrorBody),
        (status = 404, description = "Chưa đăng ký, không có, hoặc ngoài phạm vi", body = ErrorBody),
        (status = 409, description = "Chưa gửi hoặc đã trả lại, phiên bản đã cũ, hoặc dữ liệu đã bị khóa", body = ErrorBody),
        (status = 422, description = "Thiếu lý do hoặc phiên bản", body = ErrorBody),
    )
)]
pub async fn return_registration(
    State(state): State<AppState>,
    user: ApiUser,
    Path((cid, uid)): Path<(String, String)>,
    JsonBody(mut body): JsonBody,
) -> Result<Json<Registration>, ApiError> {
    let reason = body.text("reason");
    let version = body.integer("version");
    body.finish()?;
    let (Some(reason), Some(version)) = (reason, version) else { return Err(ApiError::invalid(super::error::INVALID)) };
    let reg = state.app.return_registration(&user.actor, &cid, &uid, version, &reason).await.map_err(conflict_if_invalid)?;
    Ok(Json(view(&reg)))
}
