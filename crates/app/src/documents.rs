//! The official documents of antt-docs built from what the application holds: the cached
//! results of a campaign, the units, the stored registrations, scores, review minutes and
//! verdicts, and the issued decisions. Number, date and signer come from an issued decision;
//! other documents leave them blank for the office to fill in.
//!
//! Each document is loaded from the store by one function here, shared by the web downloads
//! (which check access first) and `antt export --database`.

use std::collections::HashMap;

use antt_core::eval::Outcome;
use antt_core::report::UnitReport;
use antt_core::text::sort_key;
use antt_docs::Document;
use antt_docs::documents::{
    self, AreaCounts, Attendees, Issuer, ListedUnit, Person, ProvincialInput, Reviewed, ReviewedUnit, ScoreLine, UnitLine, place_name,
};
use antt_docs::model::Signature;
use antt_store::campaigns::CampaignRow;
use antt_store::decisions::{self, Decision, RECOGNISED, VerdictRow};
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
    Issuer::unit(&unit.name, parent.map(|p| p.name.as_str()))
}

/// The campaign's plan as the grounds of a request or a decision.
fn plan_basis(c: &CampaignRow) -> String {
    let plan = c.plan_number.as_deref().map_or_else(String::new, |n| format!(" số {n}"));
    format!("Căn cứ Kế hoạch{plan} về thực hiện phong trào năm {};", c.year)
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
    Ok(summary_of(&computed, app.ruleset(&c.ruleset)?, root, &under))
}

/// The summary of the subtree of `root`; `units` are the units under it (itself included).
fn summary_of(computed: &Computed, ruleset: &antt_core::Ruleset, root: &UnitRow, units: &[UnitRow]) -> Document {
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
        counts: computed.summaries.get(&u.id).map(documents::all_types).unwrap_or_default(),
    };
    let mut sorted: Vec<&UnitRow> = units.iter().collect();
    sorted.sort_by_cached_key(|u| sort_key(&u.name));
    let districts = sorted.iter().filter(|u| u.unit_type == "district").map(|u| area(u, String::new())).collect();
    let communes = sorted.iter().filter(|u| u.unit_type == "commune").map(|u| area(u, ancestor_of_type(u, "district"))).collect();
    let unit_types = computed
        .summaries
        .get(&root.id)
        .into_iter()
        .flatten()
        .filter(|(t, _)| ruleset.unit_type(t).is_some())
        .map(|(t, c)| AreaCounts { name: ruleset.unit_type_name(t).to_owned(), within: String::new(), counts: *c })
        .collect();
    let lines: Vec<UnitLine> = sorted
        .iter()
        .filter_map(|u| {
            let r = computed.reports.get(&u.id)?;
            Some(UnitLine {
                name: r.name.clone(),
                unit_type_name: r.unit_type_name.clone(),
                commune: ancestor_of_type(u, "commune"),
                district: ancestor_of_type(u, "district"),
                outcome: r.outcome,
                registered: r.registration.is_some(),
                band: r.classification.as_ref().map(|c| c.band_name.clone()),
                reasons: documents::failing_reasons(r),
            })
        })
        .collect();
    let bands: Vec<String> = ruleset.scoring.bands.iter().map(|b| b.name.clone()).collect();
    let (commended, criticised) = documents::honours(&lines, &bands);
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
    let report: &UnitReport = computed.reports.get(&unit.id).ok_or_else(missing)?;
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
    Ok(documents::registration(&documents::RegistrationInput {
        issuer: Issuer {
            parent_agency: Some(s.parent_name.to_uppercase()).filter(|p| !p.is_empty()),
            agency: s.unit_name.to_uppercase(),
            number: None,
            place: s.place.clone(),
            date: s.registered_on,
        },
        unit_name: s.unit_name.clone(),
        year: i32::try_from(s.year).unwrap_or(c.year),
        basis: s.basis(),
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
    let ruleset = app.ruleset(&c.ruleset)?;
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
        classification: computed.reports.get(&unit.id).and_then(|r| r.classification.clone()),
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
    let ruleset = app.ruleset(&c.ruleset)?;
    let (all, confirmed) = confirmed_under(app, c, unit).await?;
    let units = confirmed
        .iter()
        .map(|(i, v)| ReviewedUnit {
            name: all[*i].name.clone(),
            unit_type_name: ruleset.unit_type_name(&all[*i].unit_type).to_owned(),
            outcome: if v.confirmed_outcome == RECOGNISED { Outcome::Recognised } else { Outcome::NotRecognised },
            band_name: v.classification.clone(),
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
        secretary: None,
        attendees: Attendees::Described(m.attendees),
        reviewed: Reviewed::Units { within: in_sentence(&unit.name), units },
        votes: None,
        conclusion: m.conclusions,
    }))
}

/// The request for recognition ("tờ trình") of the units under `unit` confirmed as meeting the
/// standard, from its police to the chair of its People's Committee.
pub async fn request(app: &App, c: &CampaignRow, unit: &UnitRow) -> Result<Document> {
    let ruleset = app.ruleset(&c.ruleset)?;
    let (all, confirmed) = confirmed_under(app, c, unit).await?;
    let names: HashMap<&str, &str> = all.iter().map(|u| (u.id.as_str(), u.name.as_str())).collect();
    let units: Vec<ListedUnit> = confirmed
        .iter()
        .filter(|(_, v)| v.confirmed_outcome == RECOGNISED)
        .map(|(i, v)| {
            let u = &all[*i];
            ListedUnit {
                name: u.name.clone(),
                unit_type_name: ruleset.unit_type_name(&u.unit_type).to_owned(),
                parent_name: u.parent_id.as_deref().and_then(|p| names.get(p)).map(|n| (*n).to_owned()).unwrap_or_default(),
                band_name: v.classification.clone(),
            }
        })
        .collect();
    if units.is_empty() {
        return Err(Error::invalid(format!(
            "Chưa có đơn vị nào thuộc {} được xác nhận đạt chuẩn nên chưa lập được tờ trình đề nghị công nhận.",
            unit.name
        )));
    }
    let mut enclosed = vec!["Báo cáo kết quả của các đơn vị đề nghị công nhận".to_owned()];
    if let Some(m) = decisions::minutes(app.store(), &c.id, &unit.id).await?.first() {
        enclosed.push(format!("Biên bản họp xét ngày {}", antt_core::vi::date(m.held_on)));
    }
    let upper = unit.name.to_uppercase();
    Ok(documents::request(&documents::RequestInput {
        issuer: Issuer {
            parent_agency: Some(format!("UBND {upper}")),
            agency: format!("CÔNG AN {upper}"),
            number: Some(String::new()),
            place: place_name(&unit.name),
            date: None,
        },
        requester: format!("Công an {}", in_sentence(&unit.name)),
        year: c.year,
        addressee: format!("Chủ tịch Ủy ban nhân dân {}", in_sentence(&unit.name)),
        bases: vec![plan_basis(c)],
        units,
        enclosed,
        signer: blank_signature("TRƯỞNG CÔNG AN"),
        recipients: recipients("Như trên;"),
    }))
}

fn decision_signature(d: &Decision) -> Signature {
    Signature { on_behalf: Some("TM. ỦY BAN NHÂN DÂN".into()), name: d.signer.clone(), ..blank_signature("CHỦ TỊCH") }
}

fn decision_issuer(d: &Decision, issuing: &UnitRow) -> Issuer {
    Issuer {
        parent_agency: None,
        agency: format!("ỦY BAN NHÂN DÂN {}", issuing.name.to_uppercase()),
        number: Some(d.number.clone()),
        place: place_name(&issuing.name),
        date: Some(d.decided_on),
    }
}

/// An issued decision with its annex, issued by the committee recorded with it (for decisions
/// issued before that was kept: the nearest People's Committee above every listed unit).
pub async fn decision(app: &App, c: &CampaignRow, d: &Decision) -> Result<Document> {
    let ruleset = app.ruleset(&c.ruleset)?;
    let computed = app.results(&c.id).await?;
    let mut listed: Vec<(UnitRow, Option<UnitRow>)> = Vec::new();
    for u in &d.units {
        let unit = units::get(app.store(), &u.unit_id).await?.ok_or_else(missing)?;
        let parent = parent_of(app, &unit).await?;
        listed.push((unit, parent));
    }
    let parent_paths: Vec<&str> = listed.iter().map(|(u, p)| p.as_ref().map_or(u.path.as_str(), |p| p.path.as_str())).collect();
    let issuing_id = match &d.issuer_unit_id {
        Some(id) => id.clone(),
        None => common_ancestor(&parent_paths).ok_or_else(missing)?,
    };
    let issuing = units::get(app.store(), &issuing_id).await?.ok_or_else(missing)?;
    let units = listed
        .iter()
        .map(|(u, parent)| ListedUnit {
            name: u.name.clone(),
            unit_type_name: ruleset.unit_type_name(&u.unit_type).to_owned(),
            parent_name: parent.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
            band_name: computed.reports.get(&u.id).and_then(|r| r.classification.as_ref()).map(|c| c.band_name.clone()),
        })
        .collect();
    Ok(documents::decision(&documents::DecisionInput {
        issuer: decision_issuer(d, &issuing),
        year: c.year,
        authority: d.authority.to_uppercase(),
        authority_name: d.authority.clone(),
        bases: vec![plan_basis(c)],
        proposal: "Xét đề nghị của Trưởng Công an,".into(),
        units,
        executors: "Chánh Văn phòng, Trưởng Công an và thủ trưởng các đơn vị có tên tại Điều 1".into(),
        signer: decision_signature(d),
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

/// The certificate of a unit recognised by an issued decision; 404 otherwise.
pub async fn certificate(app: &App, c: &CampaignRow, unit: &UnitRow) -> Result<Document> {
    let verdict = decisions::verdict(app.store(), &c.id, &unit.id).await?;
    let decision_id = verdict.filter(|v| v.confirmed_outcome == RECOGNISED).and_then(|v| v.decision_id).ok_or_else(missing)?;
    let d = decisions::get(app.store(), &c.id, &decision_id).await?.ok_or_else(missing)?;
    let ancestors = units::ancestors(app.store(), unit).await?;
    let parent = ancestors.last().ok_or_else(missing)?;
    let within: Vec<String> = ancestors.iter().rev().map(|a| a.name.clone()).collect();
    Ok(documents::certificate(&documents::CertificateInput {
        issuer: decision_issuer(&d, parent),
        year: c.year,
        authority: d.authority.to_uppercase(),
        unit_name: unit.name.to_uppercase(),
        unit_place: within.join(", "),
        decision: Some(format!("Quyết định số {} ngày {}", d.number, antt_core::vi::date(d.decided_on))),
        signer: decision_signature(&d),
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
