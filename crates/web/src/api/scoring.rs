//! Movement scores (the unit's own and the inspection team's) and inspectors' judgements.

use std::collections::BTreeMap;

use antt_core::access::Action;
use antt_core::ruleset::Check;
use antt_store::facts::{self, JudgementInput, ScoreSource, Writer};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::campaigns::unit_in;
use super::error::{ApiError, ErrorBody};
use super::input::{ApiUser, JsonBody, commit, today};
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(self_scores)).routes(routes!(reviewed_scores)).routes(routes!(judgement))
}

/// Points by scoring item, e.g. `{"1.1": 18, "1.2": 17.5}`: at most one decimal, not above the
/// item's maximum in the frame of the unit's type. Items not sent keep their score.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"1.1": 18, "1.2": 17.5}))]
pub struct ScoreSheet(pub BTreeMap<String, f64>);

async fn put_scores(
    state: &AppState,
    user: &ApiUser,
    cid: &str,
    uid: &str,
    source: ScoreSource,
    mut body: super::input::Body,
) -> Result<StatusCode, ApiError> {
    let action = match source {
        ScoreSource::SelfAssessed => Action::SelfScore,
        ScoreSource::Reviewed => Action::Inspect,
    };
    let s = unit_in(state, user, cid, uid, action).await?;
    let ruleset = state.ruleset(&s.campaign.ruleset)?;
    let frame = ruleset.scoring.frames.get(&s.unit.unit_type).ok_or_else(|| {
        ApiError::invalid(format!("Loại đơn vị “{}” không có bảng chấm điểm.", ruleset.unit_type_name(&s.unit.unit_type)))
    })?;
    let entries = body.entries();
    if entries.is_empty() {
        return Err(ApiError::invalid("Cần ít nhất một mục điểm, ví dụ {\"1.1\": 18}."));
    }
    let mut scores = Vec::new();
    for (item, value) in entries {
        let Some(def) = frame.items.iter().find(|i| i.id == item) else {
            let ids: Vec<&str> = frame.items.iter().map(|i| i.id.as_str()).collect();
            body.errors.add(&item, format!("Không có mục “{item}” trong bảng chấm điểm (các mục: {}).", ids.join(", ")));
            continue;
        };
        let typed = match &value {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.clone(),
            _ => {
                body.errors.add(&item, "Phải là số điểm.");
                continue;
            }
        };
        if let Some(p) = body.errors.points(&item, &typed, def.max) {
            scores.push((item, p));
        }
    }
    body.finish()?;
    let mut tx = state.store.begin().await?;
    let w = Writer { user_id: &user.user.id, campaign_id: &s.campaign.id, unit_id: &s.unit.id };
    for (item, p) in &scores {
        facts::set_score(&mut tx, w, source, item, *p, None).await?;
    }
    commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
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
    JsonBody(body): JsonBody,
) -> Result<StatusCode, ApiError> {
    put_scores(&state, &user, &cid, &uid, ScoreSource::SelfAssessed, body).await
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
    JsonBody(body): JsonBody,
) -> Result<StatusCode, ApiError> {
    put_scores(&state, &user, &cid, &uid, ScoreSource::Reviewed, body).await
}

/// Body of PUT …/judgements/{criterion}/{part}.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JudgementBody {
    /// Whether the part is met.
    pub met: bool,
    pub note: Option<String>,
    /// The day of the judgement (default: today).
    pub on: Option<chrono::NaiveDate>,
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
    let s = unit_in(&state, &user, &cid, &uid, Action::Inspect).await?;
    let ruleset = state.ruleset(&s.campaign.ruleset)?;
    let c = ruleset
        .criteria_for(&s.unit.unit_type)
        .find(|c| c.id == criterion)
        .ok_or_else(|| ApiError::not_found(format!("Không có tiêu chí “{criterion}” cho loại đơn vị này.")))?;
    let p = c
        .parts
        .iter()
        .find(|p| p.id == part)
        .ok_or_else(|| ApiError::not_found(format!("Tiêu chí {criterion} không có phần “{part}”.")))?;
    if !matches!(p.check, Check::Judgement) {
        return Err(ApiError::invalid(format!(
            "Phần {criterion}/{part} được xét từ dữ liệu đã nhập, không cần đánh giá của đoàn kiểm tra."
        )));
    }
    let met = body.bool("met");
    let note = body.optional_text("note");
    let on = body.optional_date("on");
    body.finish()?;
    let (Some(met), Some(note), Some(on)) = (met, note, on) else { return Err(ApiError::invalid(super::error::INVALID)) };
    let on = on.unwrap_or_else(today);
    let mut tx = state.store.begin().await?;
    let w = Writer { user_id: &user.user.id, campaign_id: &s.campaign.id, unit_id: &s.unit.id };
    let j = JudgementInput { criterion: &criterion, part: &part, met, note: note.as_deref(), inspector: &user.user.full_name, on };
    facts::set_judgement(&mut tx, w, &j).await?;
    commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
}
