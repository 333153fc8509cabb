//! Movement scores (the unit's own and the inspection team's) and inspectors' judgements.

use std::collections::BTreeMap;

use antt_app::scoring::{Inspection, JudgementEntry, ScoreInput};
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
    OpenApiRouter::new().routes(routes!(self_scores)).routes(routes!(reviewed_scores)).routes(routes!(judgement))
}

/// Points by scoring item, e.g. `{"1.1": 18, "1.2": 17.5}`: at most one decimal, not above the
/// item's maximum in the frame of the unit's type. Items not sent keep their score.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"1.1": 18, "1.2": 17.5}))]
pub struct ScoreSheet(pub BTreeMap<String, f64>);

/// The points of a score sheet as typed: numbers and strings alike are read by the use case.
fn score_inputs(body: &mut super::input::Body) -> Vec<ScoreInput> {
    body.entries()
        .into_iter()
        .map(|(item, value)| {
            let points = match &value {
                Value::Number(n) => n.to_string(),
                Value::String(s) => s.clone(),
                // Refused by the use case as "not points".
                other => other.to_string(),
            };
            ScoreInput { item, points, note: None }
        })
        .collect()
}

/// The unit's own scores (tự chấm điểm).
#[utoipa::path(
    put,
    path = "/campaigns/{cid}/units/{uid}/scores/self",
    tag = "scoring",
    security(("bearer" = [])),
    params(("cid" = String, Path, description = "Mã đợt phát động"), ("uid" = String, Path, description = "Mã đơn vị")),
    request_body = ScoreSheet,
    responses(
        (status = 204, description = "Đã ghi"),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Vai trò không được tự chấm điểm", body = ErrorBody),
        (status = 404, description = "Không có, hoặc ngoài phạm vi", body = ErrorBody),
        (status = 409, description = "Dữ liệu đã bị khóa", body = ErrorBody),
        (status = 422, description = "Điểm không hợp lệ (lỗi theo từng mục)", body = ErrorBody),
    )
)]
pub async fn self_scores(
    State(state): State<AppState>,
    user: ApiUser,
    Path((cid, uid)): Path<(String, String)>,
    JsonBody(mut body): JsonBody,
) -> Result<StatusCode, ApiError> {
    let scores = score_inputs(&mut body);
    body.finish()?;
    state.app.self_score(&user.actor, &cid, &uid, &scores).await.map_err(scores_refused)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Score fields are named `points_<item>` by the use case; the API names them by the item.
fn scores_refused(e: antt_app::Error) -> ApiError {
    let mut e = ApiError::from(e);
    e.fields =
        std::mem::take(&mut e.fields).into_iter().map(|(k, v)| (k.strip_prefix("points_").map_or(k.clone(), str::to_owned), v)).collect();
    e
}

/// The inspection team's scores (điểm thẩm định).
#[utoipa::path(
    put,
    path = "/campaigns/{cid}/units/{uid}/scores/reviewed",
    tag = "scoring",
    security(("bearer" = [])),
    params(("cid" = String, Path, description = "Mã đợt phát động"), ("uid" = String, Path, description = "Mã đơn vị")),
    request_body = ScoreSheet,
    responses(
        (status = 204, description = "Đã ghi"),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Vai trò không được chấm điểm kiểm tra", body = ErrorBody),
        (status = 404, description = "Không có, hoặc ngoài phạm vi", body = ErrorBody),
        (status = 409, description = "Dữ liệu đã bị khóa", body = ErrorBody),
        (status = 422, description = "Điểm không hợp lệ (lỗi theo từng mục)", body = ErrorBody),
    )
)]
pub async fn reviewed_scores(
    State(state): State<AppState>,
    user: ApiUser,
    Path((cid, uid)): Path<(String, String)>,
    JsonBody(mut body): JsonBody,
) -> Result<StatusCode, ApiError> {
    let scores = score_inputs(&mut body);
    body.finish()?;
    let inspection = Inspection { scores, judgements: Vec::new(), on: None, outside_window_confirmed: false };
    state.app.inspect(&user.actor, &cid, &uid, &inspection).await.map_err(scores_refused)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Body of PUT …/judgements/{criterion}/{part}.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JudgementBody {
    /// Whether the part is met.
    pub met: bool,
    pub note: Option<String>,
    /// The day of the judgement (default: today).
    pub on: Option<chrono::NaiveDate>,
    /// Confirms a day outside the campaign's inspection window (refused otherwise).
    pub confirm_outside_window: Option<bool>,
}

/// An inspector's judgement of a part that needs a person's assessment, replacing an earlier
/// one.
#[utoipa::path(
    put,
    path = "/campaigns/{cid}/units/{uid}/judgements/{criterion}/{part}",
    tag = "scoring",
    security(("bearer" = [])),
    params(
        ("cid" = String, Path, description = "Mã đợt phát động"),
        ("uid" = String, Path, description = "Mã đơn vị"),
        ("criterion" = String, Path, description = "Mã tiêu chí, ví dụ 1.2"),
        ("part" = String, Path, description = "Mã phần của tiêu chí"),
    ),
    request_body = JudgementBody,
    responses(
        (status = 204, description = "Đã ghi"),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Vai trò không được chấm điểm kiểm tra", body = ErrorBody),
        (status = 404, description = "Không có, ngoài phạm vi, hoặc không có tiêu chí/phần này", body = ErrorBody),
        (status = 409, description = "Dữ liệu đã bị khóa", body = ErrorBody),
        (status = 422, description = "Dữ liệu không hợp lệ, hoặc phần này không cần đánh giá của đoàn kiểm tra", body = ErrorBody),
    )
)]
pub async fn judgement(
    State(state): State<AppState>,
    user: ApiUser,
    Path((cid, uid, criterion, part)): Path<(String, String, String, String)>,
    JsonBody(mut body): JsonBody,
) -> Result<StatusCode, ApiError> {
    let met = body.bool("met");
    let note = body.optional_text("note");
    let on = body.optional_date("on");
    let confirmed = body.optional_bool("confirm_outside_window");
    body.finish()?;
    let (Some(met), Some(note), Some(on), Some(confirmed)) = (met, note, on, confirmed) else {
        return Err(ApiError::invalid(super::error::INVALID));
    };
    let inspection = Inspection {
        scores: Vec::new(),
        judgements: vec![JudgementEntry { criterion, part, met, note }],
        on,
        outside_window_confirmed: confirmed.unwrap_or(false),
    };
    state.app.inspect(&user.actor, &cid, &uid, &inspection).await.map_err(judgement_refused)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The judgement's fields keep the API's names: a part that needs no judgement is refused as
/// a whole, the day as `on`.
fn judgement_refused(e: antt_app::Error) -> ApiError {
    let mut e = ApiError::from(e);
    if let Some(m) = e.fields.iter().find(|(k, _)| k.starts_with("judge_")).map(|(_, m)| m.clone()) {
        return ApiError::invalid(m);
    }
    if let Some(m) = e.fields.remove("inspected_on") {
        e.fields.insert("on".into(), m);
    }
    e
}
