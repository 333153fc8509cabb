//! Review: a reviewer confirms the outcome the rules propose for a unit (or records another with
//! a note), minutes the review meeting, and proposes commendation or criticism.

use antt_core::access::Action;
use antt_core::eval::{Outcome, Status};
use antt_core::input::{Lines, clean, limits};
use antt_core::report::UnitReport;
use antt_core::vi;
use antt_store::decisions::{self, COMMENDATION, CRITICISM, Confirmation, NOT_RECOGNISED, NewMinutes, RECOGNISED};
use antt_store::locks;
use antt_store::units::UnitRow;
use chrono::NaiveDate;

use crate::{Actor, App, Error, FieldErrors, Result, today};

/// The code of an outcome as stored and sent: `recognised`, `not_recognised`, `incomplete`,
/// `out_of_scope`.
pub fn outcome_code(o: Outcome) -> &'static str {
    match o {
        Outcome::Recognised => RECOGNISED,
        Outcome::NotRecognised => NOT_RECOGNISED,
        Outcome::Incomplete => "incomplete",
        Outcome::OutOfScope => "out_of_scope",
    }
}

/// A required text, cleaned; the refusal goes to `field`.
pub(crate) fn required_text(errors: &mut FieldErrors, field: &str, value: &str, max: usize, lines: Lines) -> Option<String> {
    match clean(value, max, lines) {
        Ok(t) if t.is_empty() => {
            errors.add(field, "Không được để trống.");
            None
        }
        Ok(t) => Some(t),
        Err(m) => {
            errors.add(field, m);
            None
        }
    }
}

/// An optional text, cleaned; blank is `None`.
pub(crate) fn optional_text(errors: &mut FieldErrors, field: &str, value: Option<&str>, max: usize, lines: Lines) -> Option<String> {
    match clean(value?, max, lines) {
        Ok(t) => Some(t).filter(|t| !t.is_empty()),
        Err(m) => {
            errors.add(field, m);
            None
        }
    }
}

/// The minutes of a review meeting as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinutesForm {
    pub held_on: NaiveDate,
    pub chair: String,
    /// Who kept the minutes; may be left empty (the document leaves the name to be written).
    pub secretary: String,
    pub attendees: String,
    /// The members present, one a line ("Name - role"); may be left empty.
    pub members: String,
    pub conclusions: String,
}

/// What stands against recognising a unit: the parts the rules found not met, and those they
/// could not decide for missing data, each as "1.2 — part: reason".
pub fn against_recognition(report: &UnitReport) -> (Vec<String>, Vec<String>) {
    let mut failed = Vec::new();
    let mut missing = Vec::new();
    for c in &report.criteria {
        for p in &c.parts {
            let line = format!("{} — {}: {}", c.id, p.text, p.reason);
            match p.status {
                Status::NotMet => failed.push(line),
                Status::MissingData => missing.push(line),
                Status::Met | Status::NotApplicable => {}
            }
        }
    }
    (failed, missing)
}

/// A confirmation as the reviewer gave it.
#[derive(Debug, Clone, Copy)]
pub struct Confirm<'a> {
    /// `recognised` or `not_recognised`.
    pub outcome: &'a str,
    pub note: Option<&'a str>,
    /// The reviewer ticked that they saw what stands against recognising the unit.
    pub acknowledged: bool,
}

impl App {
    /// Confirms the outcome of a unit (`recognised` or `not_recognised`); one other than the
    /// rules propose needs a note, and recognising a unit with parts not met or undecided for
    /// missing data needs the reviewer's acknowledgement of them, listed in the refusal. The
    /// verdict is refused when the unit's facts changed after the results it was read from, so
    /// what is confirmed is what the reviewer saw.
    pub async fn confirm_verdict(&self, actor: &Actor, campaign_id: &str, unit_id: &str, given: Confirm<'_>) -> Result<()> {
        let Confirm { outcome, note, acknowledged } = given;
        let s = self.scoped(actor, campaign_id, unit_id, Action::Review).await?;
        let computed = self.results(&s.campaign.id).await?;
        let report = computed
            .report(&s.unit.id)
            .filter(|r| r.outcome != Outcome::OutOfScope)
            .ok_or_else(|| Error::invalid(format!("{} không thuộc đối tượng đánh giá của đợt này.", s.unit.name)))?;
        let proposed = outcome_code(report.outcome);
        let mut errors = FieldErrors::default();
        let note = optional_text(&mut errors, "note", note, limits::NOTE, Lines::Many);
        if outcome != RECOGNISED && outcome != NOT_RECOGNISED {
            errors.add("outcome", "Cần chọn kết quả xác nhận.");
        } else if outcome != proposed && note.is_none() && errors.get("note").is_none() {
            errors.add("note", format!("Kết quả khác với đề xuất theo tiêu chí ({}): cần ghi rõ lý do.", report.outcome_name));
        }
        if outcome == RECOGNISED && !acknowledged {
            let (failed, missing) = against_recognition(report);
            if !failed.is_empty() || !missing.is_empty() {
                let mut listed = Vec::new();
                if !failed.is_empty() {
                    listed.push(format!("{} mục chưa đạt ({})", failed.len(), failed.join("; ")));
                }
                if !missing.is_empty() {
                    listed.push(format!("{} mục thiếu dữ liệu ({})", missing.len(), missing.join("; ")));
                }
                errors.add(
                    "acknowledged",
                    format!("Đơn vị còn {}. Muốn xác nhận “Đạt chuẩn” cần đánh dấu đã xem các mục này.", listed.join(" và ")),
                );
            }
        }
        errors.into_result()?;
        let report_json = serde_json::to_value(report).map_err(|e| Error::invalid(e.to_string()))?;
        let classification = report.classification.as_ref().map(|c| c.band_name.clone());
        let mut tx = self.store().begin().await?;
        locks::hold(&mut tx, &[&s.unit.id]).await?;
        let unit_revision = locks::unit_revision(&mut tx, &s.campaign.id, &s.unit.id).await?;
        if unit_revision > computed.revision {
            return Err(Error::Conflict);
        }
        let confirmation = Confirmation {
            campaign_id: &s.campaign.id,
            unit_id: &s.unit.id,
            proposed,
            confirmed: outcome,
            classification: classification.as_deref(),
            report: &report_json,
            note: note.as_deref(),
            unit_revision,
        };
        decisions::confirm(&mut tx, &actor.user_id, &confirmation).await?;
        Ok(antt_store::commit(tx).await?)
    }

    /// Records the minutes of a review meeting held at a unit; returns their id.
    pub async fn add_minutes(&self, actor: &Actor, campaign_id: &str, unit_id: &str, m: &MinutesForm) -> Result<String> {
        let s = self.scoped(actor, campaign_id, unit_id, Action::Review).await?;
        let mut errors = FieldErrors::default();
        let chair = required_text(&mut errors, "chair", &m.chair, limits::NAME, Lines::One);
        let secretary = optional_text(&mut errors, "secretary", Some(&m.secretary), limits::NAME, Lines::One).unwrap_or_default();
        let attendees = required_text(&mut errors, "attendees", &m.attendees, limits::NOTE, Lines::Many);
        let members = optional_text(&mut errors, "members", Some(&m.members), limits::NOTE, Lines::Many).unwrap_or_default();
        let conclusions = required_text(&mut errors, "conclusions", &m.conclusions, limits::NOTE, Lines::Many);
        if m.held_on > today() {
            errors.add("held_on", format!("Ngày họp ({}) không được sau hôm nay.", vi::date(m.held_on)));
        }
        errors.into_result()?;
        let (Some(chair), Some(attendees), Some(conclusions)) = (chair, attendees, conclusions) else {
            return Err(Error::invalid(crate::error::INVALID));
        };
        let new = NewMinutes {
            campaign_id: &s.campaign.id,
            unit_id: &s.unit.id,
            held_on: m.held_on,
            chair: &chair,
            secretary: &secretary,
            attendees: &attendees,
            members: &members,
            conclusions: &conclusions,
        };
        let mut tx = self.store().begin().await?;
        let id = decisions::add_minutes(&mut tx, &actor.user_id, &new).await?;
        antt_store::commit(tx).await?;
        Ok(id)
    }

    /// Proposes commendation (`khen_thuong`) or criticism (`phe_binh`) of a unit; returns the
    /// unit and the proposal's id.
    pub async fn propose(&self, actor: &Actor, campaign_id: &str, unit_id: &str, kind: &str, reason: &str) -> Result<(UnitRow, String)> {
        let s = self.scoped(actor, campaign_id, unit_id, Action::Review).await?;
        let mut errors = FieldErrors::default();
        if kind != COMMENDATION && kind != CRITICISM {
            errors.add("kind", "Cần chọn khen thưởng hoặc phê bình.");
        }
        let reason = required_text(&mut errors, "reason", reason, limits::NOTE, Lines::Many);
        errors.into_result()?;
        let reason = reason.unwrap_or_default();
        let mut tx = self.store().begin().await?;
        let id = decisions::propose(&mut tx, &actor.user_id, &s.campaign.id, &s.unit.id, kind, &reason).await?;
        antt_store::commit(tx).await?;
        Ok((s.unit, id))
    }
}
