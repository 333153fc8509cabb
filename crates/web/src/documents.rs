//! The official documents of antt-docs built from what the web application holds: the cached
//! results of a campaign, the units, and the issued decisions. Number, date and signer come
//! from an issued decision; other documents leave them blank for the office to fill in.

use antt_core::report::UnitReport;
use antt_core::text::sort_key;
use antt_docs::Document;
use antt_docs::documents::{self, AreaCounts, Issuer, ListedUnit, ProvincialInput, UnitLine, in_sentence, place_name};
use antt_docs::model::Signature;
use antt_store::decisions::Decision;
use antt_store::units::UnitRow;

use crate::results::Computed;

/// A signature for the office to complete.
fn blank_signature(position: &str) -> Signature {
    Signature { position: position.to_owned(), ..Signature::default() }
}

fn recipients(first: &str) -> Vec<String> {
    vec![first.to_owned(), "Lưu: VT.".into()]
}

/// The issuer line of a unit's own document: its parent above it, number and date blank.
fn issuer(unit: &UnitRow, parent: Option<&UnitRow>) -> Issuer {
    Issuer {
        parent_agency: parent.map(|p| p.name.to_uppercase()),
        agency: unit.name.to_uppercase(),
        number: Some(String::new()),
        place: place_name(&unit.name),
        date: None,
    }
}

/// The summary of the subtree of `root`; `units` are the units under it (itself included).
pub fn summary(computed: &Computed, ruleset: &antt_core::Ruleset, root: &UnitRow, units: &[UnitRow]) -> Document {
    let by_id: std::collections::HashMap<&str, &UnitRow> = units.iter().map(|u| (u.id.as_str(), u)).collect();
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
        issuer: Issuer {
            parent_agency: Some(format!("UBND {}", root.name.to_uppercase())),
            agency: "BAN CHỈ ĐẠO PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC".into(),
            number: Some(String::new()),
            place: place_name(&root.name),
            date: None,
        },
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

/// The unit's results report to the People's Committee above it.
pub fn unit_report(year: i32, report: &UnitReport, unit: &UnitRow, parent: Option<&UnitRow>) -> Document {
    documents::unit_report(&documents::UnitReportInput {
        issuer: issuer(unit, parent),
        year,
        addressee: format!("Ủy ban nhân dân {}", in_sentence(&parent.map(|p| p.name.clone()).unwrap_or_default())),
        report: report.clone(),
        signer: blank_signature("THỦ TRƯỞNG ĐƠN VỊ"),
        recipients: recipients("Như trên;"),
    })
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

/// An issued decision with its annex; `listed` pairs each annex unit with its parent.
pub fn decision(
    computed: &Computed,
    ruleset: &antt_core::Ruleset,
    d: &Decision,
    issuing: &UnitRow,
    listed: &[(UnitRow, Option<UnitRow>)],
) -> Document {
    let units = listed
        .iter()
        .map(|(u, parent)| ListedUnit {
            name: u.name.clone(),
            unit_type_name: ruleset.unit_type_name(&u.unit_type).to_owned(),
            parent_name: parent.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
            band_name: computed.reports.get(&u.id).and_then(|r| r.classification.as_ref()).map(|c| c.band_name.clone()),
        })
        .collect();
    let plan = computed.campaign.plan_number.as_deref().map_or_else(String::new, |n| format!(" số {n}"));
    let year = computed.campaign.year;
    documents::decision(&documents::DecisionInput {
        issuer: decision_issuer(d, issuing),
        year,
        authority: d.authority.to_uppercase(),
        authority_name: d.authority.clone(),
        bases: vec![format!("Căn cứ Kế hoạch{plan} về thực hiện phong trào năm {year};")],
        proposal: "Xét đề nghị của Trưởng Công an,".into(),
        units,
        executors: "Chánh Văn phòng, Trưởng Công an và thủ trưởng các đơn vị có tên tại Điều 1".into(),
        signer: decision_signature(d),
        recipients: recipients("Như Điều 3;"),
    })
}

/// The certificate of a unit recognised by `d`; `ancestors` run from the root down.
pub fn certificate(year: i32, d: &Decision, unit: &UnitRow, ancestors: &[UnitRow]) -> Option<Document> {
    let parent = ancestors.last()?;
    let within: Vec<String> = ancestors.iter().rev().map(|a| a.name.clone()).collect();
    Some(documents::certificate(&documents::CertificateInput {
        issuer: decision_issuer(d, parent),
        year,
        authority: d.authority.to_uppercase(),
        unit_name: unit.name.to_uppercase(),
        unit_place: within.join(", "),
        decision: Some(format!("Quyết định số {} ngày {}", d.number, antt_core::vi::date(d.decided_on))),
        signer: decision_signature(d),
    }))
}
