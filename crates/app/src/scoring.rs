//! Movement scores: the unit's own (self-score) and the inspection team's (reviewed), item by
//! item on the frame of the unit's type, and the inspectors' judgements of the parts that need a
//! person's assessment. Reviewed scores and judgements belong to the members of a team the
//! unit is assigned to — checked inside the write, so a member taken off the team, or a unit
//! taken off the assignment, stops writing at once.

use antt_core::access::Action;
use antt_core::input::{Lines, clean, limits};
use antt_core::ruleset::Check;
use antt_core::scoring::{Frame, Points};
use antt_core::vi;
use antt_store::facts::{self, JudgementInput, ScoreSource};
use antt_store::{inspection, locks};
use chrono::NaiveDate;

use crate::facts::writer;
use crate::{Actor, App, Error, FieldErrors, Result, Scoped};

/// One item's points as typed ("7,5", "7.5" or a JSON number's text) and its note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreInput {
    pub item: String,
    pub points: String,
    pub note: Option<String>,
}

/// An inspector's judgement of one part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JudgementEntry {
    pub criterion: String,
    pub part: String,
    pub met: bool,
    pub note: Option<String>,
}

/// What an inspector records at a unit on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    pub scores: Vec<ScoreInput>,
    pub judgements: Vec<JudgementEntry>,
    /// The day of the inspection, when the inspector gives one.
    pub on: Option<NaiveDate>,
    /// The inspector confirms a day outside the campaign's inspection window.
    pub outside_window_confirmed: bool,
}

/// The field name a score's points are refused under: the item id.
pub fn points_field(item: &str) -> String {
    format!("points_{item}")
}

pub fn note_field(item: &str) -> String {
    format!("note_{item}")
}

/// The field name a judgement is refused under.
pub fn judgement_field(criterion: &str, part: &str) -> String {
    format!("judge_{criterion}_{part}")
}

pub fn judgement_note_field(criterion: &str, part: &str) -> String {
    format!("jnote_{criterion}_{part}")
}

/// Reads points with at most one decimal, written "7,5" or "7.5", not above `max`.
pub fn parse_points(value: &str, max: Points) -> Result<Points, String> {
    let v = value.trim().replace(',', ".");
    if v.is_empty() {
        return Err("Cần nhập điểm.".into());
    }
    let Ok(x) = v.parse::<f64>() else {
        return Err(format!("“{}” không phải là số điểm.", value.trim()));
    };
    let tenths = (x * 10.0).round();
    if !x.is_finite() || x < 0.0 || (x * 10.0 - tenths).abs() > 1e-6 {
        return Err("Điểm phải không âm và có tối đa một chữ số thập phân.".into());
    }
    let p = Points::from_tenths(tenths as u32);
    if p > max {
        return Err(format!("Tối đa {max} điểm."));
    }
    Ok(p)
}

fn note(errors: &mut FieldErrors, field: &str, note: Option<&String>) -> Option<String> {
    let n = note?;
    match clean(n, limits::NOTE, Lines::Many) {
        Ok(t) => Some(t).filter(|t| !t.is_empty()),
        Err(m) => {
            errors.add(field, m);
            None
        }
    }
}

/// The scores checked against the frame: every item known, points within its maximum.
fn read_scores(frame: &Frame, scores: &[ScoreInput], errors: &mut FieldErrors) -> Vec<(String, Points, Option<String>)> {
    let mut out = Vec::new();
    for s in scores {
        let field = points_field(&s.item);
        let Some(def) = frame.items.iter().find(|i| i.id == s.item) else {
            let ids: Vec<&str> = frame.items.iter().map(|i| i.id.as_str()).collect();
            errors.add(&field, format!("Không có mục “{}” trong bảng chấm điểm (các mục: {}).", s.item, ids.join(", ")));
            continue;
        };
        let note = note(errors, &note_field(&s.item), s.note.as_ref());
        match parse_points(&s.points, def.max) {
            Ok(p) => out.push((s.item.clone(), p, note)),
            Err(m) => errors.add(&field, m),
        }
    }
    out
}

impl App {
    fn frame<'a>(&self, s: &'a Scoped) -> Result<&'a Frame> {
        let ruleset = &*s.ruleset;
        ruleset
            .scoring
            .frames
            .get(&s.unit.unit_type)
            .ok_or_else(|| Error::invalid(format!("Loại đơn vị “{}” không có bảng chấm điểm.", ruleset.unit_type_name(&s.unit.unit_type))))
    }

    /// The unit's own scores (tự chấm điểm); items not given keep their score.
    pub async fn self_score(&self, actor: &Actor, campaign_id: &str, unit_id: &str, scores: &[ScoreInput]) -> Result<()> {
        let s = self.scoped(actor, campaign_id, unit_id, Action::SelfScore).await?;
        let mut errors = FieldErrors::default();
        if scores.is_empty() {
            errors.add("scores", "Cần ít nhất một mục điểm.");
        }
        let read = read_scores(self.frame(&s)?, scores, &mut errors);
        errors.into_result()?;
        let mut tx = self.store().begin().await?;
        locks::ensure_unlocked(&mut tx, &s.campaign.id, &s.unit.id).await?;
        for (item, points, note) in &read {
            facts::set_score(&mut tx, writer(actor, &s), ScoreSource::SelfAssessed, item, *points, note.as_deref()).await?;
        }
        Ok(antt_store::commit(tx).await?)
    }

    /// The inspection team's scores (điểm thẩm định) and judgements at a unit.
    pub async fn inspect(&self, actor: &Actor, campaign_id: &str, unit_id: &str, input: &Inspection) -> Result<()> {
        let s = self.scoped(actor, campaign_id, unit_id, Action::Inspect).await?;
        let ruleset = &*s.ruleset;
        let mut errors = FieldErrors::default();
        if input.scores.is_empty() && input.judgements.is_empty() {
            errors.add("scores", "Cần ít nhất một mục điểm hoặc một đánh giá.");
        }
        let read = if input.scores.is_empty() { Vec::new() } else { read_scores(self.frame(&s)?, &input.scores, &mut errors) };
        let mut judged = Vec::new();
        for j in &input.judgements {
            let field = judgement_field(&j.criterion, &j.part);
            let part =
                ruleset.criteria_for(&s.unit.unit_type).find(|c| c.id == j.criterion).and_then(|c| c.parts.iter().find(|p| p.id == j.part));
            match part {
                None => {
                    return Err(Error::NotFound(format!("Không có phần “{}” của tiêu chí “{}” cho loại đơn vị này.", j.part, j.criterion)));
                }
                Some(p) if !matches!(p.check, Check::Judgement) => errors.add(
                    &field,
                    format!("Phần {}/{} được xét từ dữ liệu đã nhập, không cần đánh giá của đoàn kiểm tra.", j.criterion, j.part),
                ),
                Some(_) => judged.push((j, note(&mut errors, &judgement_note_field(&j.criterion, &j.part), j.note.as_ref()))),
            }
        }
        let today = crate::today();
        let on = input.on.unwrap_or(today);
        if on > today {
            errors.add("inspected_on", format!("Ngày kiểm tra ({}) không được sau ngày hôm nay.", vi::date(on)));
        } else if let (Some(given), Some((from, to))) = (input.on, self.calendar(&s.campaign).await?.inspection)
            && !(from <= given && given <= to)
            && !input.outside_window_confirmed
        {
            errors.add(
                "inspected_on",
                format!(
                    "Ngày kiểm tra {} nằm ngoài thời gian kiểm tra của đợt ({} – {}). Nếu đúng là ngày đó, hãy đánh dấu xác nhận rồi lưu lại.",
                    vi::date(given),
                    vi::date(from),
                    vi::date(to)
                ),
            );
        }
        errors.into_result()?;
        let mut tx = self.store().begin().await?;
        locks::ensure_unlocked(&mut tx, &s.campaign.id, &s.unit.id).await?;
        if !inspection::is_inspector_in(&mut tx, &s.campaign.id, &s.unit.id, &actor.user_id).await? {
            return Err(Error::Forbidden(format!(
                "Bạn không thuộc đoàn kiểm tra nào được phân công kiểm tra {} trong đợt này, nên không chấm điểm, đánh giá được.",
                s.unit.name
            )));
        }
        let w = writer(actor, &s);
        for (item, points, note) in &read {
            facts::set_score(&mut tx, w, ScoreSource::Reviewed, item, *points, note.as_deref()).await?;
        }
        for (j, note) in &judged {
            let j = JudgementInput {
                criterion: &j.criterion,
                part: &j.part,
                met: j.met,
                note: note.as_deref(),
                inspector: &actor.full_name,
                on,
            };
            facts::set_judgement(&mut tx, w, &j).await?;
        }
        Ok(antt_store::commit(tx).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_read_with_a_decimal_comma_within_the_maximum() {
        let max = Points::from_tenths(200);
        assert_eq!(parse_points("7,5", max).map(|p| p.tenths()), Ok(75));
        assert_eq!(parse_points(" 20 ", max).map(|p| p.tenths()), Ok(200));
        assert_eq!(parse_points("25", max), Err("Tối đa 20 điểm.".into()));
        assert_eq!(parse_points("-1", max), Err("Điểm phải không âm và có tối đa một chữ số thập phân.".into()));
        assert_eq!(parse_points("7,25", max), Err("Điểm phải không âm và có tối đa một chữ số thập phân.".into()));
        assert_eq!(parse_points("mười", max), Err("“mười” không phải là số điểm.".into()));
        assert_eq!(parse_points("", max), Err("Cần nhập điểm.".into()));
    }
}
