//! The official documents of antt-docs built from what the application holds: the cached
//! results of a campaign, the units, the stored registrations, scores, review minutes and
//! verdicts, and the issued decisions. Number, date and signer come from an issued decision;
//! other documents leave them blank for the office to fill in.
//!
//! Each document is loaded from the store by one function here, shared by the web downloads
//! (which check access first) and `antt export --database`.

use std::collections::{HashMap, HashSet};

use antt_core::eval::Outcome;
use antt_core::report::UnitReport;
use antt_core::text::sort_key;
use antt_docs::Document;
use antt_docs::documents::{
    self, AreaCounts, Attendees, Committee, Honour, Issuer, Level, ListedUnit, Person, Plan, ProvincialInput, Reviewed, ReviewedUnit,
    ScoreLine, UnitLine,
};
use antt_docs::model::Signature;
use antt_store::campaigns::CampaignRow;
use antt_store::decisions::{self, Decision, Proposal, RECOGNISED, VerdictRow};
use antt_store::facts::ScoreSource;
use antt_store::inspection::{self, UnitBrief};
use antt_store::registrations;
use antt_store::units::{self, UnitRow};

pub use antt_docs::documents::in_sentence;

use crate::verdicts::Computed;
use crate::{App, Error, Result};

fn missing() -> Error {
    Error::not_found("văn bản này")
}

/// A signature for the office to complete.
fn blank_signature(position: &str) -> Signature {
    Signature { position: position.to_owned(), ..Signature::default() }
}

fn recipients(first: &str) -> Vec<String> {
    vec![first.to_owned(), "Lưu: VT.".into()]
}

/// The issuer line of a unit's own document: its parent above it, number and date blank.
fn issuer(unit: &UnitRow, parent: Option<&UnitRow>) -> Issuer {
    Issuer::unit(&unit.name, &unit.unit_type, parent.map(|p| (p.name.as_str(), p.unit_type.as_str())))
}

async fn parent_of(app: &App, unit: &UnitRow) -> Result<Option<UnitRow>> {
    Ok(match &unit.parent_id {
        Some(p) => units::get(app.store(), p).await?,
        None => None,
    })
}

/// The summary of the subtree of `root` (a unit of the campaign's scope).
pub async fn summary(app: &App, c: &CampaignRow, root: &UnitRow) -> Result<Document> {
    let computed = app.results(&c.id).await?;
    let under = units::search(app.store(), &root.path, "", None, 1, u32::MAX).await?.items;
    let decided = app.recognised_by_decision(&c.id, &root.path).await?;
    let recorded = decisions::proposals_under(app.store(), &c.id, &root.path).await?;
    Ok(summary_of(&computed, &*app.ruleset(c).await?, root, &under, &decided, &recorded))
}

/// The summary of the subtree of `root`; `units` are the units under it (itself included),
/// `decided` those an issued decision recognises, `recorded` the proposals of commendation and
/// criticism recorded for them, listed before the ones the results suggest.
fn summary_of(
    computed: &Computed,
    ruleset: &antt_core::Ruleset,
    root: &UnitRow,
    units: &[UnitRow],
    decided: &HashSet<String>,
    recorded: &[Proposal],
) -> Document {
    let by_id: HashMap<&str, &UnitRow> = units.iter().map(|u| (u.id.as_str(), u)).collect();
    let ancestor_of_type = |u: &UnitRow, unit_type: &str| -> String {
        let mut at = Some(u);
        while let Some(a) = at {
            if a.unit_type == unit_type {
                return a.name.clone();
            }
            at = a.parent_id.as_deref().and_then(|p| by_id.get(p).copied());
        }
        String::new()
    };
    let area = |u: &UnitRow, within: String| AreaCounts {
        name: u.name.clone(),
        within,
        counts: computed.summary(&u.id).map(documents::all_types).unwrap_or_default(),
    };
    let mut sorted: Vec<&UnitRow> = units.iter().collect();
    sorted.sort_by_cached_key(|u| sort_key(&u.name));
    let districts = sorted.iter().filter(|u| u.unit_type == "district").map(|u| area(u, String::new())).collect();
    let communes = sorted.iter().filter(|u| u.unit_type == "commune").map(|u| area(u, ancestor_of_type(u, "district"))).collect();
    let unit_types = computed
        .summary(&root.id)
        .into_iter()
        .flatten()
        .filter(|(t, _)| ruleset.unit_type(t).is_some())
        .map(|(t, c)| AreaCounts { name: ruleset.unit_type_name(t).to_owned(), within: String::new(), counts: *c })
        .collect();
    let lines: Vec<UnitLine> = sorted
        .iter()
        .filter_map(|u| {
            let r = computed.report(&u.id)?;
            Some(UnitLine {
                name: r.name.clone(),
                unit_type_name: r.unit_type_name.to_string(),
                commune: ancestor_of_type(u, "commune"),
                district: ancestor_of_type(u, "district"),
                outcome: r.outcome,
                decided: decided.contains(&u.id),
                registered: r.registration.is_some(),
                band: r.classification.as_ref().map(|c| c.band_name.clone()),
                reasons: documents::failing_reasons(r),
            })
        })
        .collect();
    let bands: Vec<String> = ruleset.scoring.bands.iter().map(|b| b.name.clone()).collect();
    let (suggested_commended, suggested_criticised) = documents::honours(&lines, &bands);
    let recorded_of = |kind: &str| -> Vec<Honour> {
        recorded
            .iter()
            .filter(|p| p.kind == kind)
            .filter_map(|p| {
                let u = by_id.get(p.unit_id.as_str())?;
                let place = format!("{}, {}", ancestor_of_type(u, "commune"), ancestor_of_type(u, "district"));
                Some(Honour { name: p.unit_name.clone(), place, reason: p.reason.clone() })
            })
            .collect()
    };
    let merged = |mut list: Vec<Honour>, suggested: Vec<Honour>| {
        let more: Vec<Honour> = suggested.into_iter().filter(|s| !list.iter().any(|h| h.name == s.name && h.place == s.place)).collect();
        list.extend(more);
        list
    };
    let commended = merged(recorded_of(decisions::COMMENDATION), suggested_commended);
    let criticised = merged(recorded_of(decisions::CRITICISM), suggested_criticised);
    documents::provincial_summary(&ProvincialInput {
        issuer: Issuer::steering_committee(&root.name),
        year: computed.campaign.year,
        addressee: format!("Chủ tịch Ủy ban nhân dân {}", in_sentence(&root.name)),
        province: in_sentence(&root.name),
        districts,
        communes,
        unit_types,
        bands,
        units: lines,
        earlier: Vec::new(),
        commended,
        criticised,
        signer: Signature { for_head: Some("KT. TRƯỞNG BAN".into()), ..blank_signature("PHÓ TRƯỞNG BAN THƯỜNG TRỰC") },
        recipients: recipients("Như trên;"),
    })
}

/// The unit's results report to the People's Committee above it; 404 for a unit the
/// campaign does not evaluate.
pub async fn unit_report(app: &App, c: &CampaignRow, unit: &UnitRow) -> Result<Document> {
    let computed = app.results(&c.id).await?;
    let report: &UnitReport = computed.report(&unit.id).ok_or_else(missing)?;
    let parent = parent_of(app, unit).await?;
    Ok(documents::unit_report(&documents::UnitReportInput {
        issuer: issuer(unit, parent.as_ref()),
        year: c.year,
        addressee: format!("Ủy ban nhân dân {}", in_sentence(&parent.map(|p| p.name).unwrap_or_default())),
        report: report.clone(),
        signer: blank_signature("THỦ TRƯỞNG ĐƠN VỊ"),
        recipients: recipients("Như trên;"),
    }))
}

/// The unit's submitted registration as printed, in two copies; 404 while it has none (never
/// registered, or returned for correction).
pub async fn registration(app: &App, c: &CampaignRow, unit: &UnitRow) -> Result<Document> {
    let reg = registrations::get(app.store(), &c.id, &unit.id)
        .await?
        .filter(|r| r.is_submitted() && r.submitted_copy.is_some())
        .ok_or_else(missing)?;
    let s = app.submitted(c, unit, &reg).await?;
    let timeliness = s.timeliness();
    let receipt = match (s.receipt.is_empty(), timeliness.is_empty()) {
        (true, _) => None,
        (false, true) => Some(s.receipt.clone()),
        (false, false) => Some(format!("{}, đăng ký {timeliness}", s.receipt)),
    };
    // The names the copy kept; the place is the seat's, the plan cited as a ground cites it.
    let parent = parent_of(app, unit).await?;
    let parent_type = parent.as_ref().map_or("", |p| p.unit_type.as_str());
    let parent_name = Some(s.parent_name.as_str()).filter(|p| !p.is_empty()).map(|p| (p, parent_type));
    let mut plan = plan(app, c, &*app.ruleset(c).await?).await?;
    plan.number.clone_from(&s.plan_number);
    plan.date = s.plan_date.unwrap_or(c.plan_date);
    Ok(documents::registration(&documents::RegistrationInput {
        issuer: Issuer { number: None, date: s.registered_on, ..Issuer::unit(&s.unit_name, &unit.unit_type, parent_name) },
        unit_name: s.unit_name.clone(),
        year: i32::try_from(s.year).unwrap_or(c.year),
        basis: plan.citation(),
        pledges: s
            .pledges
            .iter()
            .filter(|p| p.pledged)
            .map(|p| documents::Pledge { id: p.id.clone(), text: p.text.clone(), note: p.note.clone() })
            .collect(),
        documents: s.documents.clone(),
        receipt,
        office: s.office.clone(),
    }))
}

/// The unit's self-scoring table on its ruleset's frame, with the inspection team's score
/// beside it once scored; 404 for a unit type without a frame.
pub async fn self_scoring(app: &App, c: &CampaignRow, unit: &UnitRow) -> Result<Document> {
    let ruleset = app.ruleset(c).await?;
    let frame = ruleset.scoring.frames.get(&unit.unit_type).ok_or_else(missing)?;
    let own = registrations::scores(app.store(), &c.id, &unit.id, ScoreSource::SelfAssessed).await?;
    let reviewed = registrations::scores(app.store(), &c.id, &unit.id, ScoreSource::Reviewed).await?;
    let computed = app.results(&c.id).await?;
    let parent = parent_of(app, unit).await?;
    Ok(documents::self_scoring(&documents::ScoringInput {
        issuer: issuer(unit, parent.as_ref()),
        unit_name: unit.name.clone(),
        unit_type_name: ruleset.unit_type_name(&unit.unit_type).to_owned(),
        year: c.year,
        items: frame
            .items
            .iter()
            .map(|i| ScoreLine {
                id: i.id.clone(),
                text: i.text.clone(),
                max: i.max,
                self_score: own.get(&i.id).map(|s| s.points),
                reviewed: reviewed.get(&i.id).map(|s| s.points),
            })
            .collect(),
        classification: computed.report(&unit.id).and_then(|r| r.classification.clone()),
        signer: blank_signature("THỦ TRƯỞNG ĐƠN VỊ"),
    }))
}

/// The units a review at `unit` covers (those under it, or itself when it has none) with a
/// confirmed verdict, as the review page orders them: units of one parent together, by name.
async fn confirmed_under(app: &App, c: &CampaignRow, unit: &UnitRow) -> Result<(Vec<UnitBrief>, Vec<(usize, VerdictRow)>)> {
    let all = inspection::units_under(app.store(), &unit.path).await?;
    let mut verdicts = decisions::verdicts_under(app.store(), &c.id, &unit.path).await?;
    let leaf = all.len() == 1;
    let mut confirmed: Vec<(usize, VerdictRow)> = all
        .iter()
        .enumerate()
        .filter(|(_, u)| leaf || u.id != unit.id)
        .filter_map(|(i, u)| verdicts.remove(&u.id).map(|v| (i, v)))
        .collect();
    confirmed.sort_by_cached_key(|(i, _)| {
        let u = &all[*i];
        (u.path.trim_end_matches('/').rsplit_once('/').map_or("", |(p, _)| p).to_owned(), sort_key(&u.name))
    });
    Ok((all, confirmed))
}

/// The minutes of a review meeting held at `unit` (`minutes_id`, or the latest), with the
/// results confirmed for the units it reviews; 404 when none are recorded.
pub async fn review_minutes(app: &App, c: &CampaignRow, unit: &UnitRow, minutes_id: Option<&str>) -> Result<Document> {
    let m = decisions::minutes(app.store(), &c.id, &unit.id)
        .await?
        .into_iter()
        .find(|m| minutes_id.is_none_or(|id| m.id == id))
        .ok_or_else(missing)?;
    let ruleset = app.ruleset(c).await?;
    let (all, confirmed) = confirmed_under(app, c, unit).await?;
    let units = confirmed
        .iter()
        .map(|(i, v)| ReviewedUnit {
            name: all[*i].name.clone(),
            unit_type_name: ruleset.unit_type_name(&all[*i].unit_type).to_owned(),
            outcome: if v.confirmed_outcome == RECOGNISED { Outcome::Recognised } else { Outcome::NotRecognised },
            band_name: v.classification.as_deref().map(|b| ruleset.band_name(b).to_owned()),
            note: v.note.clone().unwrap_or_default(),
        })
        .collect();
    let parent = parent_of(app, unit).await?;
    Ok(documents::minutes(&documents::MinutesInput {
        issuer: Issuer { number: None, date: Some(m.held_on), ..issuer(unit, parent.as_ref()) },
        year: c.year,
        time: None,
        location: None,
        chair: Person { name: m.chair, role: String::new() },
        secretary: (!m.secretary.is_empty()).then(|| Person { name: m.secretary.clone(), role: String::new() }),
        attendees: attendance(&m.attendees, &m.members),
        reviewed: Reviewed::Units { within: in_sentence(&unit.name), units },
        votes: None,
        conclusion: m.conclusions,
    }))
}

/// Who attended a meeting: the members one by one when recorded ("Name - role" a line), the
/// description otherwise.
fn attendance(described: &str, members: &str) -> Attendees {
    let people: Vec<Person> = members
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once(" - ") {
            Some((name, role)) => Person { name: name.trim().to_owned(), role: role.trim().to_owned() },
            None => Person { name: l.to_owned(), role: String::new() },
        })
        .collect();
    if people.is_empty() { Attendees::Described(described.to_owned()) } else { Attendees::Listed(people) }
}

/// The request for recognition ("tờ trình") from the police of `unit` (a commune, a district
/// or a province) to the chairman of its People's Committee: the units under it confirmed as
/// meeting the standard that this committee recognises and no decision recognises yet.
pub async fn request(app: &App, c: &CampaignRow, unit: &UnitRow) -> Result<Document> {
    let ruleset = app.ruleset(c).await?;
    let calendar = app.calendar(c).await?;
    let level = Level::of_type(&unit.unit_type).ok_or_else(|| {
        Error::invalid(format!("{} không phải cấp có Ủy ban nhân dân nên không lập tờ trình đề nghị công nhận được.", unit.name))
    })?;
    let committee = Committee { level, unit_name: unit.name.clone(), deputy_signs: false, signer: String::new() };
    let (all, confirmed) = confirmed_under(app, c, unit).await?;
    let names: HashMap<&str, &str> = all.iter().map(|u| (u.id.as_str(), u.name.as_str())).collect();
    let mut units = Vec::new();
    for (i, v) in confirmed.iter().filter(|(_, v)| v.confirmed_outcome == RECOGNISED && v.decision_id.is_none()) {
        let u = &all[*i];
        let row = units::get(app.store(), &u.id).await?.ok_or_else(missing)?;
        let ancestors = units::ancestors(app.store(), &row).await?;
        if crate::decisions::issuing_body(&calendar, &row, &ancestors).map_or(true, |body| body.id != unit.id) {
            continue;
        }
        units.push(ListedUnit {
            name: u.name.clone(),
            unit_type_name: ruleset.unit_type_name(&u.unit_type).to_owned(),
            parent_name: u.parent_id.as_deref().and_then(|p| names.get(p)).map(|n| (*n).to_owned()).unwrap_or_default(),
            band_name: v.classification.as_deref().map(|b| ruleset.band_name(b).to_owned()),
        });
    }
    if units.is_empty() {
        return Err(Error::invalid(format!(
            "Chưa có đơn vị nào do {} công nhận được xác nhận đạt chuẩn mà chưa có quyết định công nhận, nên chưa lập được tờ trình.",
            committee.author_name()
        )));
    }
    let mut enclosed = vec!["Báo cáo kết quả của các đơn vị đề nghị công nhận".to_owned()];
    if let Some(m) = decisions::minutes(app.store(), &c.id, &unit.id).await?.first() {
        enclosed.push(format!("Biên bản họp xét ngày {}", antt_core::vi::date(m.held_on)));
    }
    let above = parent_of(app, unit).await?.filter(|p| Level::of_type(&p.unit_type).is_some());
    Ok(documents::request(&documents::RequestInput {
        issuer: committee.police_issuer(above.as_ref().map(|p| p.name.as_str())),
        requester: committee.police(),
        year: c.year,
        addressee: committee.author_name(),
        bases: vec![format!("Căn cứ {};", plan(app, c, &ruleset).await?.citation())],
        units,
        enclosed,
        signer: committee.police_signature(),
        recipients: recipients("Như trên;"),
    }))
}

/// The committee that issued `d`: the unit recorded with it, its level from the unit's type,
/// its chairman or a vice-chairman for him signing.
fn committee_of(d: &Decision, issuing: &UnitRow) -> Result<Committee> {
    let level = Level::of_type(&issuing.unit_type).ok_or_else(|| {
        Error::invalid(format!("{} không phải cấp có Ủy ban nhân dân nên không ban hành quyết định công nhận được.", issuing.name))
    })?;
    Ok(Committee {
        level,
        unit_name: issuing.name.clone(),
        deputy_signs: d.signer_role == crate::decisions::VICE_CHAIRMAN,
        signer: d.signer.clone(),
    })
}

/// The province's plan that launched the campaign, quoted from the ruleset when it cites it.
async fn plan(app: &App, c: &CampaignRow, ruleset: &antt_core::Ruleset) -> Result<Plan> {
    let scope = units::get(app.store(), &c.scope_unit_id).await?.ok_or_else(missing)?;
    let mut line = units::ancestors(app.store(), &scope).await?;
    line.push(scope);
    let province = line.iter().find(|u| u.unit_type == "province").or(line.last()).map(|u| u.name.clone()).unwrap_or_default();
    Ok(Plan { number: c.plan_number.clone(), date: c.plan_date, province, year: c.year, quoted: ruleset.legal_basis.clone() })
}

/// The committee recorded with the decision (for decisions issued before that was kept: the
/// nearest unit above every listed unit).
async fn issuing_unit(app: &App, d: &Decision) -> Result<UnitRow> {
    let issuing_id = match &d.issuer_unit_id {
        Some(id) => id.clone(),
        None => {
            let parent_paths: Vec<&str> =
                d.units.iter().map(|u| u.path.trim_end_matches('/').rsplit_once('/').map_or(u.path.as_str(), |(p, _)| p)).collect();
            common_ancestor(&parent_paths).ok_or_else(missing)?
        }
    };
    units::get(app.store(), &issuing_id).await?.ok_or_else(missing)
}

/// An issued decision with its annex: the Chairman's decision (NĐ 30, Phụ lục III, mẫu 1.2),
/// with the grounds of the decision's date, the campaign's ruleset and plan.
pub async fn decision(app: &App, c: &CampaignRow, d: &Decision) -> Result<Document> {
    let ruleset = app.ruleset(c).await?;
    let computed = app.results(&c.id).await?;
    let issuing = issuing_unit(app, d).await?;
    let committee = committee_of(d, &issuing)?;
    let mut units = Vec::new();
    for u in &d.units {
        let unit = units::get(app.store(), &u.unit_id).await?.ok_or_else(missing)?;
        let parent = parent_of(app, &unit).await?;
        units.push(ListedUnit {
            name: unit.name.clone(),
            unit_type_name: ruleset.unit_type_name(&unit.unit_type).to_owned(),
            parent_name: parent.map(|p| p.name).unwrap_or_default(),
            band_name: computed.report(&unit.id).and_then(|r| r.classification.as_ref()).map(|c| c.band_name.clone()),
        });
    }
    Ok(documents::decision(&documents::DecisionInput {
        committee,
        number: Some(d.number.clone()),
        date: Some(d.decided_on),
        year: c.year,
        grounds: documents::decision_grounds(d.decided_on, &ruleset.decision_grounds, &plan(app, c, &ruleset).await?),
        request: d.request.clone(),
        units,
        recipients: recipients("Như Điều 3;"),
    }))
}

/// The id of the deepest unit whose materialised path starts every path ('/86/857/' …).
fn common_ancestor(paths: &[&str]) -> Option<String> {
    let split = |p: &str| p.trim_matches('/').split('/').map(str::to_owned).collect::<Vec<_>>();
    let mut common = split(paths.first()?);
    for p in &paths[1..] {
        let other = split(p);
        let same = common.iter().zip(&other).take_while(|(a, b)| a == b).count();
        common.truncate(same);
    }
    common.pop()
}

/// The certificate of a unit recognised by an issued decision, issued by the committee of that
/// decision; its own number is left to the office's register; 404 for a unit not recognised.
pub async fn certificate(app: &App, c: &CampaignRow, unit: &UnitRow) -> Result<Document> {
    let verdict = decisions::verdict(app.store(), &c.id, &unit.id).await?;
    let decision_id = verdict.filter(|v| v.confirmed_outcome == RECOGNISED).and_then(|v| v.decision_id).ok_or_else(missing)?;
    let d = decisions::get(app.store(), &c.id, &decision_id).await?.ok_or_else(missing)?;
    let issuing = issuing_unit(app, &d).await?;
    let ancestors = units::ancestors(app.store(), unit).await?;
    let within = ancestors.iter().rev().filter(|a| Level::of_type(&a.unit_type).is_some()).map(|a| a.name.clone()).collect();
    Ok(documents::certificate(&documents::CertificateInput {
        committee: committee_of(&d, &issuing)?,
        number: Some(String::new()),
        year: c.year,
        unit_name: unit.name.clone(),
        within,
        decision: Some((d.number.clone(), d.decided_on)),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issuer_is_the_nearest_common_unit() {
        assert_eq!(common_ancestor(&["/86/857/29578/", "/86/857/29584/"]).as_deref(), Some("857"));
        assert_eq!(common_ancestor(&["/86/857/29578/"]).as_deref(), Some("29578"));
    }
}
