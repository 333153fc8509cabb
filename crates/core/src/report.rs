//! Verdicts as owned, serialisable reports with their Vietnamese reasons rendered: what the CLI
//! prints, the API returns and documents are made from.
//!
//! A campaign holds a report for each of its units, up to 160.000 of them, and almost all of
//! their words repeat: the ruleset's criteria, the names of types and outcomes, the same reason
//! for the same finding. So the texts are shared ([`Text`]), each held once by an [`Interner`]
//! for all the reports made with it.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, Timeliness};
use crate::eval::{Outcome, Status, Verdict};
use crate::reason;
use crate::ruleset::Ruleset;
use crate::scoring::{self, Classification};

/// A text that many reports share.
pub type Text = Arc<str>;

/// Hands out one shared [`Text`] for each distinct string it is given.
#[derive(Debug, Default)]
pub struct Interner {
    texts: HashSet<Text, foldhash::fast::RandomState>,
    /// The ruleset's wording by where it lies, so that a criterion's paragraph is not hashed
    /// again for every unit: a profile of the national cold load put a sixth of the server's
    /// time in hashing and comparing texts.
    by_address: HashMap<(usize, usize), Text, foldhash::fast::RandomState>,
}

impl Interner {
    pub fn text(&mut self, s: &str) -> Text {
        if let Some(t) = self.texts.get(s) {
            return t.clone();
        }
        let t = Text::from(s);
        self.texts.insert(t.clone());
        t
    }

    /// [`Self::text`] for a string that stays where it is while texts are shared, as a
    /// ruleset's wording does: found by its address, its content checked (an address can be
    /// reused for another string).
    fn ruleset_text(&mut self, s: &str) -> Text {
        let address = (s.as_ptr() as usize, s.len());
        if let Some(t) = self.by_address.get(&address).filter(|t| ***t == *s) {
            return t.clone();
        }
        let t = self.text(s);
        self.by_address.insert(address, t.clone());
        t
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnitReport {
    pub id: String,
    pub name: String,
    pub unit_type: Text,
    pub unit_type_name: Text,
    pub outcome: Outcome,
    pub outcome_name: Text,
    /// Why the unit is outside the ruleset, or what is missing to know.
    pub scope_notes: Vec<Text>,
    pub registration: Option<RegistrationReport>,
    /// Who recognises units of this type under the campaign's settings.
    pub authority: Option<Text>,
    pub criteria: Vec<CriterionReport>,
    pub classification: Option<Classification>,
    /// Why the unit could not be classified, when it has scores that do not fit the frame.
    pub classification_problem: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RegistrationReport {
    pub date: NaiveDate,
    pub timeliness: Timeliness,
    pub text: Text,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CriterionReport {
    pub id: Text,
    pub text: Text,
    pub basis: Text,
    pub status: Status,
    pub parts: Vec<PartReport>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PartReport {
    pub id: Text,
    pub text: Text,
    pub status: Status,
    pub reason: Text,
}

impl UnitReport {
    /// The report without the wording its ruleset holds (each criterion's and part's text and
    /// basis), as results are stored: about half the size.
    pub fn without_ruleset_texts(&self) -> Self {
        let mut out = self.clone();
        let empty = Text::from("");
        for c in &mut out.criteria {
            c.text = empty.clone();
            c.basis = empty.clone();
            for p in &mut c.parts {
                p.text = empty.clone();
            }
        }
        out
    }

    /// Puts back the wording [`Self::without_ruleset_texts`] left out, from the ruleset the
    /// report was made under, and shares every text through `texts`: the ruleset's own by
    /// address, so that its paragraphs are not hashed again for every report read back.
    pub fn with_ruleset_texts(mut self, ruleset: &Ruleset, texts: &mut Interner) -> Self {
        let unit_type = self.unit_type.clone();
        let Self { unit_type: type_code, unit_type_name, outcome_name, scope_notes, registration, authority, criteria, .. } = &mut self;
        // The texts that are not the ruleset's, shared by content below.
        let mut rest: Vec<&mut Text> = vec![type_code, unit_type_name, outcome_name];
        rest.extend(scope_notes.iter_mut().chain(authority).chain(registration.as_mut().map(|r| &mut r.text)));
        for c in criteria {
            let criterion = ruleset.criteria_for(&unit_type).find(|k| *k.id == *c.id);
            match criterion {
                Some(k) => {
                    c.id = texts.ruleset_text(&k.id);
                    c.text = texts.ruleset_text(&k.text);
                    c.basis = texts.ruleset_text(&k.basis);
                }
                None => rest.extend([&mut c.id, &mut c.text, &mut c.basis]),
            }
            for p in &mut c.parts {
                match criterion.and_then(|k| k.parts.iter().find(|q| *q.id == *p.id)) {
                    Some(part) => {
                        p.id = texts.ruleset_text(&part.id);
                        p.text = texts.ruleset_text(&part.text);
                    }
                    None => rest.extend([&mut p.id, &mut p.text]),
                }
                rest.push(&mut p.reason);
            }
        }
        for t in rest {
            *t = texts.text(t);
        }
        self
    }

    /// The report of one verdict; [`Self::new_in`] shares the texts of many.
    pub fn new(ruleset: &Ruleset, calendar: Option<&Calendar>, verdict: &Verdict<'_>) -> Self {
        Self::new_in(ruleset, calendar, verdict, &mut Interner::default())
    }

    pub fn new_in(ruleset: &Ruleset, calendar: Option<&Calendar>, verdict: &Verdict<'_>, texts: &mut Interner) -> Self {
        let unit = verdict.unit;
        let dates = calendar.and_then(|c| c.by_type.get(&unit.unit_type));
        let registration = verdict.registration.and_then(|timeliness| {
            let date = unit.registration_date()?;
            Some(RegistrationReport { date, timeliness, text: texts.text(&format!("{}, {timeliness}", crate::vi::date(date))) })
        });
        let criteria = verdict
            .by_criterion()
            .map(|(c, parts)| CriterionReport {
                id: texts.ruleset_text(&c.criterion.id),
                text: texts.ruleset_text(&c.criterion.text),
                basis: texts.ruleset_text(&c.criterion.basis),
                status: c.status,
                parts: parts
                    .iter()
                    .map(|p| PartReport {
                        id: texts.ruleset_text(&p.part.id),
                        text: texts.ruleset_text(&p.part.text),
                        status: p.status,
                        reason: texts.text(&reason::describe(&p.finding, ruleset)),
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
            unit_type: texts.text(&unit.unit_type),
            unit_type_name: texts.text(ruleset.unit_type_name(&unit.unit_type)),
            outcome: verdict.outcome,
            outcome_name: texts.text(verdict.outcome.name()),
            scope_notes: verdict.scope.iter().map(|n| texts.text(&reason::describe_scope(n, ruleset, &unit.unit_type))).collect(),
            registration,
            authority: dates.map(|d| texts.text(d.authority.name())),
            criteria,
            classification,
            classification_problem,
        }
    }
}
