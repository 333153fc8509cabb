//! A whole tree's facts written at once for one campaign, in the tables `facts::load` reads them
//! back from: for building large databases (the national measurements) in minutes rather than
//! the hours that record-by-record writes with an audit entry each would take. One audit entry
//! covers the whole write, and kept results of the campaign are recomputed in full.

use antt_core::eval::REGISTRATION;
use antt_core::fact::{Fact, FactKind};
use antt_core::model::Unit;

use crate::audit::{self, Change};
use crate::batch::{insert_rows, sequential_ids};
use crate::facts::{Value, columns, encode, table};
use crate::{Backend, Result, StoreError, Tx, date_text, locks, now, registrations};

fn text(s: &str) -> Value {
    Value::Text(Some(s.to_owned()))
}

fn int(n: impl Into<i64>) -> Value {
    Value::Int(Some(n.into()))
}

/// Writes every fact of `units` (already in the unit tree) for the campaign: declared lists,
/// flags, registrations, records of each kind, last year's counts, judgements and scores.
/// `user_id` is recorded as the scorer and in the audit entry. Returns how many rows it wrote.
pub async fn write_facts(tx: &mut Tx<'_>, backend: Backend, user_id: &str, campaign_id: &str, units: &[Unit]) -> Result<usize> {
    let mut done = 0;
    let mut quiet = |_: usize| {};
    let mut next_id = sequential_ids();
    let key = |u: &Unit| [text(campaign_id), text(&u.id.0)];

    let mut lists = Vec::new();
    for u in units {
        let declared = [
            (FactKind::Documents.code(), u.documents.is_some()),
            (FactKind::Commitments.code(), u.commitments.is_some()),
            (FactKind::Incidents.code(), u.incidents.is_some()),
            (FactKind::Discipline.code(), u.discipline.is_some()),
            (FactKind::Titles.code(), u.titles.is_some()),
            (FactKind::SubUnits.code(), u.sub_units.is_some()),
            ("previous_year", u.previous_year.is_some()),
        ];
        lists.extend(declared.into_iter().filter(|(_, on)| *on).map(|(list, _)| [key(u).as_slice(), &[text(list)]].concat()));
    }
    insert_rows(tx, backend, "fact_lists", &["campaign_id", "unit_id", "list"], &mut lists.into_iter(), &mut quiet, &mut done).await?;

    let mut flags = units.iter().flat_map(|u| u.flags.iter().map(move |(flag, on)| [key(u).as_slice(), &[text(flag), int(*on)]].concat()));
    insert_rows(tx, backend, "unit_flags", &["campaign_id", "unit_id", "flag", "value"], &mut flags, &mut quiet, &mut done).await?;

    // A registration is a row of its own, submitted on its date, as the registration form leaves it.
    let mut registered = Vec::new();
    for u in units {
        for d in u.documents.iter().flatten().filter(|d| d.kind == REGISTRATION) {
            if registered.last().is_some_and(|r: &Vec<Value>| r[2] == text(&u.id.0)) {
                return Err(StoreError::Invalid(format!("đơn vị `{}` có hơn một bản đăng ký", u.id.0)));
            }
            let on = d.date.map(date_text);
            registered.push(vec![
                text(&next_id()),
                text(campaign_id),
                text(&u.id.0),
                text(registrations::SUBMITTED),
                Value::Text(on.clone()),
                Value::Text(on.map(|d| format!("{d}T00:00:00Z"))),
            ]);
        }
    }
    let columns_of_registration = ["id", "campaign_id", "unit_id", "status", "registered_on", "submitted_at"];
    insert_rows(tx, backend, "registrations", &columns_of_registration, &mut registered.into_iter(), &mut quiet, &mut done).await?;

    for kind in FactKind::ALL {
        let records = units.iter().flat_map(|u| records_of(u, kind).into_iter().map(move |fact| (u, fact)));
        let mut rows = records.map(|(u, fact)| [&[text(&next_id())], key(u).as_slice(), &encode(&fact)].concat());
        let all: Vec<&str> = ["id", "campaign_id", "unit_id"].into_iter().chain(columns(kind).iter().copied()).collect();
        insert_rows(tx, backend, table(kind), &all, &mut rows, &mut quiet, &mut done).await?;
    }

    let mut counts = units
        .iter()
        .flat_map(|u| u.previous_year.iter().flatten().map(move |(kind, n)| [key(u).as_slice(), &[text(kind), int(*n)]].concat()));
    insert_rows(tx, backend, "previous_year_counts", &["campaign_id", "unit_id", "kind", "count"], &mut counts, &mut quiet, &mut done)
        .await?;

    let mut judgements = Vec::new();
    for u in units {
        for j in &u.judgements {
            let on =
                j.date.ok_or_else(|| StoreError::Invalid(format!("đánh giá {}.{} của `{}` thiếu ngày", j.criterion, j.part, u.id.0)))?;
            judgements.push(
                [
                    &[text(&next_id())],
                    key(u).as_slice(),
                    &[
                        text(&j.criterion),
                        text(&j.part),
                        int(j.met),
                        Value::Text(j.note.clone()),
                        text(j.inspector.as_deref().unwrap_or_default()),
                        text(&date_text(on)),
                    ],
                ]
                .concat(),
            );
        }
    }
    let columns_of_judgement = ["id", "campaign_id", "unit_id", "criterion", "part", "met", "note", "inspector", "judged_on"];
    insert_rows(tx, backend, "judgements", &columns_of_judgement, &mut judgements.into_iter(), &mut quiet, &mut done).await?;

    let at = now();
    let mut scores = units.iter().flat_map(|u| {
        let scores = u.scores.iter();
        let own = scores.clone().flat_map(|s| s.self_assessed.iter().map(|(item, p)| ("self", item, *p)));
        let reviewed = scores.flat_map(|s| s.reviewed.iter().flatten().map(|(item, p)| ("reviewed", item, *p)));
        let at = &at;
        own.chain(reviewed).map(move |(source, item, points)| {
            [key(u).as_slice(), &[text(source), text(item), int(points.tenths()), text(user_id), text(at)]].concat()
        })
    });
    let columns_of_score = ["campaign_id", "unit_id", "source", "item", "points", "scored_by", "scored_at"];
    insert_rows(tx, backend, "scores", &columns_of_score, &mut scores, &mut quiet, &mut done).await?;

    let after = serde_json::json!({ "units": units.len(), "rows": done });
    let change = Change {
        user_id: Some(user_id),
        action: "import",
        entity: "facts",
        entity_id: campaign_id,
        unit_id: None,
        campaign_id: Some(campaign_id),
    };
    audit::record(tx, change, None, Some(&after)).await?;
    locks::touch_whole(tx, campaign_id).await?;
    Ok(done)
}

/// A unit's records of one kind, registrations left out (they have their own table).
fn records_of(u: &Unit, kind: FactKind) -> Vec<Fact> {
    match kind {
        FactKind::Documents => u.documents.iter().flatten().filter(|d| d.kind != REGISTRATION).cloned().map(Fact::Document).collect(),
        FactKind::Commitments => u.commitments.iter().flatten().cloned().map(Fact::Commitment).collect(),
        FactKind::Incidents => u.incidents.iter().flatten().cloned().map(Fact::Incident).collect(),
        FactKind::Discipline => u.discipline.iter().flatten().cloned().map(Fact::Discipline).collect(),
        FactKind::Titles => u.titles.iter().flatten().cloned().map(Fact::Title).collect(),
        FactKind::SubUnits => u.sub_units.iter().flatten().cloned().map(Fact::SubUnit).collect(),
    }
}
