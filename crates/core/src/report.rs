//! Verdicts as owned, serialisable reports with their Vietnamese reasons rendered: what the CLI
//! prints, the API returns and documents are made from.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, Timeliness};
use crate::eval::{Outcome, Status, Verdict};
use crate::reason;
use crate::ruleset::Ruleset;
use crate::scoring::{self, Classification};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnitReport {
    pub id: String,
    pub name: String,
    pub unit_type: String,
    pub unit_type_name: String,
    pub outcome: Outcome,
    pub outcome_name: String,
    /// Why the unit is outside the ruleset, or what is missing to know.
    pub scope_notes: Vec<String>,
    pub registration: Option<RegistrationReport>,
    /// Who recognises units of this type under the campaign's settings.
    pub authority: Option<String>,
    pub criteria: Vec<CriterionReport>,
    pub classification: Option<Classification>,
    /// Why the unit could not be classified, when it has scores that do not fit the frame.
    pub classification_problem: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RegistrationReport {
    pub date: NaiveDate,
    pub timeliness: Timeliness,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CriterionReport {
    pub id: String,
    pub text: String,
    pub basis: String,
    pub status: Status,
    pub parts: Vec<PartReport>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PartReport {
    pub id: String,
    pub text: String,
    pub status: Status,
    pub reason: String,
}

impl UnitReport {
    /// The report without the wording its ruleset holds (each criterion's and part's text and
    /// basis), as results are stored: about half the size.
    pub fn without_ruleset_texts(&self) -> Self {
        let mut out = self.clone();
        for c in &mut out.criteria {
            c.text.clear();
            c.basis.clear();
            for p in &mut c.parts {
                p.text.clear();
            }
        }
        out
    }

    /// Puts back the wording [`Self::without_ruleset_texts`] left out, from the ruleset the
    /// report was made under.
    pub fn with_ruleset_texts(mut self, ruleset: &Ruleset) -> Self {
        for c in &mut self.criteria {
            let Some(criterion) = ruleset.criteria_for(&self.unit_type).find(|k| k.id == c.id) else { continue };
            c.text.clone_from(&criterion.text);
            c.basis.clone_from(&criterion.basis);
            for p in &mut c.parts {
                if let Some(part) = criterion.parts.iter().find(|q| q.id == p.id) {
                    p.text.clone_from(&part.text);
                }
            }
        }
        self
    }

    pub fn new(ruleset: &Ruleset, calendar: Option<&Calendar>, verdict: &Verdict<'_>) -> Self {
        let unit = verdict.unit;
        let dates = calendar.and_then(|c| c.by_type.get(&unit.unit_type));
        let registration = verdict.registration.and_then(|timeliness| {
            let date = unit.registration_date()?;
            Some(RegistrationReport { date, timeliness, text: format!("{}, {timeliness}", crate::vi::date(date)) })
        });
        let criteria = verdict
            .criteria
            .iter()
            .map(|c| CriterionReport {
                id: c.criterion.id.clone(),
                text: c.criterion.text.clone(),
                basis: c.criterion.basis.clone(),
                status: c.status,
                parts: c
                    .parts
                    .iter()
                    .map(|p| PartReport {
                        id: p.part.id.clone(),
                        text: p.part.text.clone(),
                        status: p.status,
                        reason: reason::describe(&p.finding, ruleset),
                    })
                    .collect(),
            })
            .collect();
        let (classification, classification_problem) = match (&unit.scores, ruleset.scoring.frames.get(&unit.unit_type)) {
            (Some(scores), Some(frame)) if verdict.outcome != Outcome::OutOfScope => {
                match scoring::classify(frame, &ruleset.scoring.bands, scores, verdict.outcome == Outcome::Recognised) {
                    Ok(c) => (Some(c), None),
                    Err(e) => (None, Some(e.to_string())),
                }
            }
            _ => (None, None),
        };
        Self {
            id: unit.id.0.clone(),
            name: unit.name.clone(),
            unit_type: unit.unit_type.clone(),
            unit_type_name: ruleset.unit_type_name(&unit.unit_type).to_owned(),
            outcome: verdict.outcome,
            outcome_name: verdict.outcome.name().to_owned(),
            scope_notes: verdict.scope.iter().map(|n| reason::describe_scope(n, ruleset, &unit.unit_type)).collect(),
            registration,
            authority: dates.map(|d| d.authority.name().to_owned()),
            criteria,
            classification,
            classification_problem,
        }
    }
}
