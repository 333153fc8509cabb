//! Movement scoring: the unit's self-score on the ruleset's frame, and the inspection team's
//! reviewed score beside it with the differences marked, plus the judgements of the parts that
//! need an inspector's assessment.

use std::collections::BTreeMap;

use antt_app::scoring::{
    Inspection, JudgementEntry, ScoreInput, judgement_field, judgement_note_field, note_field, parse_points, points_field,
};
use antt_core::access::Action;
use antt_core::ruleset::{Check, Ruleset};
use antt_core::scoring::{Frame as ScoreFrame, Points};
use antt_store::campaigns::CampaignRow;
use antt_store::facts::ScoreSource;
use antt_store::registrations::{self, ScoreRow};
use antt_store::units::UnitRow;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use antt_app::today;

use super::units::{UnitHead, head, in_campaign};
use crate::auth::CurrentUser;
use crate::forms::Fields;
use crate::forms::{FieldErrors, SecureForm};
use crate::view::Frame;
use crate::{AppError, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/c/{cid}/units/{uid}/self-score", get(self_page).post(self_save))
        .route("/c/{cid}/units/{uid}/inspect", get(inspect_page).post(inspect_save))
}

fn frame_of<'a>(ruleset: &'a Ruleset, unit: &UnitRow) -> Result<&'a ScoreFrame, AppError> {
    ruleset.scoring.frames.get(&unit.unit_type).ok_or_else(|| AppError::BadRequest("Chưa có bảng chấm điểm cho loại đơn vị này.".into()))
}

/// Points as typed ("7,5" or "7.5") in tenths, if they read as points at all.
/// The points typed for an item, when they are valid points for it (as the use case reads them).
fn typed_points(value: &str, max: Points) -> Option<i64> {
    parse_points(value, max).ok().map(|p| i64::from(p.tenths()))
}

fn tenths_text(t: i64) -> String {
    antt_core::vi::decimal(t as f64 / 10.0, 1)
}

/// The sum of the points typed that are valid for their item: a value refused on the form
/// (above the maximum, not a number) is not counted.
fn typed_total(frame: &ScoreFrame, f: &Fields) -> String {
    tenths_text(frame.items.iter().filter_map(|i| typed_points(f.get(&points_field(&i.id)), i.max)).sum())
}

/// The form values of stored scores.
fn score_fields(scores: &BTreeMap<String, ScoreRow>) -> Vec<(String, String)> {
    scores
        .values()
        .flat_map(|s| {
            let mut v = vec![(points_field(&s.item), s.points.to_string())];
            if let Some(n) = &s.note {
                v.push((note_field(&s.item), n.clone()));
            }
            v
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Self-score.

#[derive(Debug)]
struct ScoreField {
    id: String,
    text: String,
    max: String,
    name: String,
    value: String,
    error: Option<String>,
    note_name: String,
    note: String,
}

#[derive(Template)]
#[template(path = "scoring_self.html")]
struct SelfScorePage {
    frame: Frame,
    head: UnitHead,
    rows: Vec<ScoreField>,
    total: String,
    max_total: String,
    can_edit: bool,
    scored: Option<String>,
    error: Option<String>,
}

async fn render_self(
    state: &AppState,
    user: &CurrentUser,
    campaign: &CampaignRow,
    unit: &UnitRow,
    typed: Option<(Fields, FieldErrors)>,
    error: Option<(StatusCode, String)>,
) -> Result<Response, AppError> {
    let ruleset = state.app.ruleset(campaign).await?;
    let ruleset = &*ruleset;
    let frame = frame_of(ruleset, unit)?;
    let stored = registrations::scores(state.app.store(), &campaign.id, &unit.id, ScoreSource::SelfAssessed).await?;
    let scored = stored
        .values()
        .max_by(|a, b| a.scored_at.cmp(&b.scored_at))
        .map(|s| format!("Chấm lần cuối: {}, {}", s.scored_by, crate::view::instant(&s.scored_at)));
    let (fields, errors) = typed.unwrap_or_else(|| (Fields(score_fields(&stored)), FieldErrors::default()));
    let rows = frame
        .items
        .iter()
        .map(|i| ScoreField {
            id: i.id.clone(),
            text: i.text.clone(),
            max: i.max.to_string(),
            name: points_field(&i.id),
            value: fields.get(&points_field(&i.id)).to_owned(),
            error: errors.get(&points_field(&i.id)).map(str::to_owned),
            note_name: note_field(&i.id),
            note: fields.get(&note_field(&i.id)).to_owned(),
        })
        .collect();
    let (status, error) = match error {
        Some((s, m)) => (s, Some(m)),
        None if !errors.is_empty() => (StatusCode::UNPROCESSABLE_ENTITY, None),
        None => (StatusCode::OK, None),
    };
    let head = head(state, user, campaign, unit, "self_score").await?;
    let page = SelfScorePage {
        frame: Frame::new(user, format!("Tự chấm điểm — {}", unit.name), "units"),
        rows,
        total: typed_total(frame, &fields),
        max_total: frame.max_total().to_string(),
        can_edit: head.can_self_score,
        scored,
        error,
        head,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn self_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((cid, uid)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::Read).await?;
    render_self(&state, &user, &campaign, &unit, None, None).await
}

/// Every item of the frame as typed, with its note.
fn score_inputs(frame: &ScoreFrame, f: &Fields) -> Vec<ScoreInput> {
    frame
        .items
        .iter()
        .map(|i| ScoreInput { item: i.id.clone(), points: f.get(&points_field(&i.id)).to_owned(), note: f.optional(&note_field(&i.id)) })
        .collect()
}

/// How a refused save is shown: the items' messages next to them, anything about the whole
/// form above it.
fn refused(e: antt_app::Error) -> Result<(FieldErrors, Option<(StatusCode, String)>), AppError> {
    let (status, errors, message) = crate::forms::on_form(e)?;
    Ok((errors, message.map(|m| (status, m))))
}

async fn self_save(
    State(state): State<AppState>,
    Path((cid, uid)): Path<(String, String)>,
    SecureForm(user, form): SecureForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::SelfScore).await?;
    let ruleset = state.app.ruleset(&campaign).await?;
    let ruleset = &*ruleset;
    let frame = frame_of(ruleset, &unit)?;
    let fields = Fields(form);
    if let Err(e) = state.app.self_score(&user.actor, &cid, &uid, &score_inputs(frame, &fields)).await {
        let (errors, shown) = refused(e)?;
        return render_self(&state, &user, &campaign, &unit, Some((fields, errors)), shown).await;
    }
    Ok(crate::forms::saved(&format!("/c/{}/units/{}#scores", campaign.id, unit.id), "Đã lưu điểm tự chấm."))
}

// ---------------------------------------------------------------------------------------------
// Inspection.

#[derive(Debug)]
struct InspectRow {
    id: String,
    text: String,
    max: String,
    self_points: String,
    self_note: String,
    name: String,
    value: String,
    error: Option<String>,
    note_name: String,
    note: String,
    /// Reviewed minus self-assessed, when they differ: "-2,5", "+1".
    diff: Option<String>,
}

#[derive(Debug)]
struct JudgeField {
    label: String,
    text: String,
    name: String,
    value: String,
    error: Option<String>,
    note_name: String,
    note: String,
}

#[derive(Template)]
#[template(path = "scoring_inspect.html")]
struct InspectPage {
    frame: Frame,
    head: UnitHead,
    rows: Vec<InspectRow>,
    judgements: Vec<JudgeField>,
    inspected_on: String,
    inspected_on_error: Option<String>,
    /// The campaign's inspection window, "dd/mm/yyyy – dd/mm/yyyy".
    window: Option<String>,
    confirm_outside_window: bool,
    self_total: String,
    reviewed_total: String,
    max_total: String,
    differences: usize,
    error: Option<String>,
}

/// The parts of the unit type's criteria that an inspector judges.
fn judged_parts<'a>(ruleset: &'a Ruleset, unit_type: &'a str) -> Vec<(&'a str, &'a str, &'a str)> {
    ruleset
        .criteria_for(unit_type)
        .flat_map(|c| {
            c.parts.iter().filter(|p| matches!(p.check, Check::Judgement)).map(move |p| (c.id.as_str(), p.id.as_str(), p.text.as_str()))
        })
        .collect()
}

async fn render_inspect(
    state: &AppState,
    user: &CurrentUser,
    campaign: &CampaignRow,
    unit: &UnitRow,
    typed: Option<(Fields, FieldErrors)>,
    error: Option<(StatusCode, String)>,
) -> Result<Response, AppError> {
    let ruleset = state.app.ruleset(campaign).await?;
    let ruleset = &*ruleset;
    let frame = frame_of(ruleset, unit)?;
    let own = registrations::scores(state.app.store(), &campaign.id, &unit.id, ScoreSource::SelfAssessed).await?;
    let (fields, errors) = match typed {
        Some(t) => t,
        None => {
            let reviewed = registrations::scores(state.app.store(), &campaign.id, &unit.id, ScoreSource::Reviewed).await?;
            let judgements = registrations::judgements(state.app.store(), &campaign.id, &unit.id).await?;
            let mut f = score_fields(&reviewed);
            let last = judgements.iter().map(|j| j.judged_on).max().unwrap_or_else(today);
            f.push(("inspected_on".into(), antt_core::vi::date(last)));
            for j in judgements {
                f.push((judgement_field(&j.criterion, &j.part), if j.met { "met".into() } else { "not_met".into() }));
                if let Some(n) = j.note {
                    f.push((judgement_note_field(&j.criterion, &j.part), n));
                }
            }
            (Fields(f), FieldErrors::default())
        }
    };
    let mut differences = 0;
    let rows = frame
        .items
        .iter()
        .map(|i| {
            let name = points_field(&i.id);
            let value = fields.get(&name).to_owned();
            let own_points = own.get(&i.id).map(|s| i64::from(s.points.tenths()));
            let diff = match (own_points, typed_points(&value, i.max)) {
                (Some(s), Some(r)) if s != r => {
                    differences += 1;
                    Some(format!("{}{}", if r > s { "+" } else { "-" }, tenths_text((r - s).abs())))
                }
                _ => None,
            };
            InspectRow {
                id: i.id.clone(),
                text: i.text.clone(),
                max: i.max.to_string(),
                self_points: own_points.map_or_else(|| "Chưa tự chấm".to_owned(), tenths_text),
                self_note: own.get(&i.id).and_then(|s| s.note.clone()).unwrap_or_default(),
                error: errors.get(&name).map(str::to_owned),
                note_name: note_field(&i.id),
                note: fields.get(&note_field(&i.id)).to_owned(),
                name,
                value,
                diff,
            }
        })
        .collect();
    let judgements = judged_parts(ruleset, &unit.unit_type)
        .into_iter()
        .map(|(c, p, text)| {
            let name = judgement_field(c, p);
            JudgeField {
                label: format!("{c}{p}"),
                text: text.to_owned(),
                value: fields.get(&name).to_owned(),
                error: errors.get(&name).map(str::to_owned),
                note_name: judgement_note_field(c, p),
                note: fields.get(&judgement_note_field(c, p)).to_owned(),
                name,
            }
        })
        .collect();
    let (status, error) = match error {
        Some((s, m)) => (s, Some(m)),
        None if !errors.is_empty() => (StatusCode::UNPROCESSABLE_ENTITY, None),
        None => (StatusCode::OK, None),
    };
    let self_total = own.values().map(|s| s.points).sum::<Points>().to_string();
    let page = InspectPage {
        frame: Frame::new(user, format!("Chấm điểm kiểm tra — {}", unit.name), "units"),
        head: head(state, user, campaign, unit, "inspect").await?,
        rows,
        judgements,
        inspected_on: fields.get("inspected_on").to_owned(),
        inspected_on_error: errors.get("inspected_on").map(str::to_owned),
        window: state
            .app
            .calendar(campaign)
            .await?
            .inspection
            .map(|(from, to)| format!("{} – {}", antt_core::vi::date(from), antt_core::vi::date(to))),
        confirm_outside_window: fields.has("confirm_outside_window"),
        self_total,
        reviewed_total: typed_total(frame, &fields),
        max_total: frame.max_total().to_string(),
        differences,
        error,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn inspect_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((cid, uid)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::Inspect).await?;
    render_inspect(&state, &user, &campaign, &unit, None, None).await
}

async fn inspect_save(
    State(state): State<AppState>,
    Path((cid, uid)): Path<(String, String)>,
    SecureForm(user, form): SecureForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::Inspect).await?;
    let ruleset = state.app.ruleset(&campaign).await?;
    let ruleset = &*ruleset;
    let frame = frame_of(ruleset, &unit)?;
    let fields = Fields(form);
    let mut errors = FieldErrors::default();
    let on = errors.date("inspected_on", fields.get("inspected_on"));
    let mut judgements = Vec::new();
    for (c, p, _) in judged_parts(ruleset, &unit.unit_type) {
        let met = match fields.get(&judgement_field(c, p)) {
            "" => continue,
            "met" => true,
            "not_met" => false,
            _ => {
                errors.add(&judgement_field(c, p), "Lựa chọn không hợp lệ.");
                continue;
            }
        };
        judgements.push(JudgementEntry {
            criterion: c.to_owned(),
            part: p.to_owned(),
            met,
            note: fields.optional(&judgement_note_field(c, p)),
        });
    }
    let Some(on) = on.filter(|_| errors.is_empty()) else {
        return render_inspect(&state, &user, &campaign, &unit, Some((fields, errors)), None).await;
    };
    let inspection = Inspection {
        scores: score_inputs(frame, &fields),
        judgements,
        on: Some(on),
        outside_window_confirmed: fields.has("confirm_outside_window"),
    };
    if let Err(e) = state.app.inspect(&user.actor, &cid, &uid, &inspection).await {
        let (errors, shown) = refused(e)?;
        return render_inspect(&state, &user, &campaign, &unit, Some((fields, errors)), shown).await;
    }
    Ok(crate::forms::saved(&format!("/c/{}/units/{}/inspect", campaign.id, unit.id), "Đã lưu điểm kiểm tra."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_points_count_only_when_valid_for_their_item() {
        let max = Points::from_tenths(200);
        assert_eq!(typed_points("7,5", max), Some(75));
        assert_eq!(typed_points(" 20 ", max), Some(200));
        // Refused on the form, so not in the total: above the maximum, negative, more than one
        // decimal, not a number.
        assert_eq!(typed_points("32,3", max), None);
        assert_eq!(typed_points("-1", max), None);
        assert_eq!(typed_points("7,25", max), None);
        assert_eq!(typed_points("mười", max), None);
        assert_eq!(tenths_text(25), "2,5");
    }
}
