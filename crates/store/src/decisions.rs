//! Review and decision: a reviewer confirms the outcome the rules propose for a unit (or records
//! a different one with a note); review meetings are minuted; commendation and criticism are
//! proposed; a recognition decision lists confirmed recognised units and locks their facts for
//! the campaign in the same transaction. A correction is an explicit, audited unlock.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, Change};
use crate::locks::ensure_unlocked;
use crate::{Result, Store, StoreError, Tx, date_text, new_id, now, parse_date};

/// Outcome codes a reviewer may confirm.
pub const RECOGNISED: &str = "recognised";
pub const NOT_RECOGNISED: &str = "not_recognised";

/// Kinds of proposal.
pub const COMMENDATION: &str = "khen_thuong";
pub const CRITICISM: &str = "phe_binh";

/// The Vietnamese name of a proposal kind.
pub fn kind_name(code: &str) -> &'static str {
    match code {
        COMMENDATION => "Đề nghị khen thưởng",
        CRITICISM => "Đề nghị phê bình",
        _ => "Đề nghị",
    }
}

// --- Verdicts --------------------------------------------------------------------------------

/// A unit's verdict as a reviewer confirmed it.
#[derive(Debug, Clone, Serialize)]
pub struct VerdictRow {
    pub unit_id: String,
    pub proposed_outcome: String,
    pub confirmed_outcome: String,
    pub classification: Option<String>,
    /// The `UnitReport` as it stood when confirmed (JSON).
    pub report: String,
    pub confirmed_by: String,
    /// The confirming user's full name, when the user still exists.
    pub confirmed_by_name: Option<String>,
    pub confirmed_at: String,
    pub note: Option<String>,
    pub decision_id: Option<String>,
}

/// What a reviewer confirms for one unit.
#[derive(Debug, Clone)]
pub struct Confirmation<'a> {
    pub campaign_id: &'a str,
    pub unit_id: &'a str,
    pub proposed: &'a str,
    pub confirmed: &'a str,
    pub classification: Option<&'a str>,
    pub report: &'a serde_json::Value,
    pub note: Option<&'a str>,
    /// The revision of the unit's facts the reviewer saw (see `locks::unit_revision`).
    pub unit_revision: i64,
}

const VERDICT_COLUMNS: &str = "v.unit_id, v.proposed_outcome, v.confirmed_outcome, v.classification, v.report, v.confirmed_by, \
                               us.full_name AS confirmed_by_name, v.confirmed_at, v.note, v.decision_id";

fn verdict_from_row(r: &AnyRow) -> Result<VerdictRow> {
    Ok(VerdictRow {
        unit_id: r.try_get("unit_id")?,
        proposed_outcome: r.try_get("proposed_outcome")?,
        confirmed_outcome: r.try_get("confirmed_outcome")?,
        classification: r.try_get("classification")?,
        report: r.try_get("report")?,
        confirmed_by: r.try_get("confirmed_by")?,
        confirmed_by_name: r.try_get("confirmed_by_name")?,
        confirmed_at: r.try_get("confirmed_at")?,
        note: r.try_get("note")?,
        decision_id: r.try_get("decision_id")?,
    })
}

/// Records (or replaces) a unit's confirmed verdict. A different outcome than the proposed one
/// needs a note; a unit whose facts are locked by a decision cannot be re-confirmed. A unit
/// already listed in a decision keeps that link.
pub async fn confirm(tx: &mut Tx<'_>, user_id: &str, c: &Confirmation<'_>) -> Result<()> {
    if c.confirmed != RECOGNISED && c.confirmed != NOT_RECOGNISED {
        return Err(StoreError::Invalid(format!("kết quả `{}` không hợp lệ", c.confirmed)));
    }
    let note = c.note.map(str::trim).filter(|n| !n.is_empty());
    if c.confirmed != c.proposed && note.is_none() {
        return Err(StoreError::Invalid("kết quả khác với đề xuất cần có ghi chú lý do".into()));
    }
    ensure_unlocked(tx, c.campaign_id, c.unit_id).await?;
    let before =
        sqlx::query("SELECT proposed_outcome, confirmed_outcome, note, decision_id FROM verdicts WHERE campaign_id = $1 AND unit_id = $2")
            .bind(c.campaign_id)
            .bind(c.unit_id)
            .fetch_optional(&mut **tx)
            .await?;
    let (before_json, decision_id) = match &before {
        Some(r) => (
            Some(serde_json::json!({
                "proposed": r.try_get::<String, _>("proposed_outcome")?,
                "confirmed": r.try_get::<String, _>("confirmed_outcome")?,
                "note": r.try_get::<Option<String>, _>("note")?,
            })),
            r.try_get::<Option<String>, _>("decision_id")?,
        ),
        None => (None, None),
    };
    sqlx::query("DELETE FROM verdicts WHERE campaign_id = $1 AND unit_id = $2")
        .bind(c.campaign_id)
        .bind(c.unit_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO verdicts (campaign_id, unit_id, proposed_outcome, confirmed_outcome, classification, report, confirmed_by, confirmed_at, note, decision_id, unit_revision) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(c.campaign_id)
    .bind(c.unit_id)
    .bind(c.proposed)
    .bind(c.confirmed)
    .bind(c.classification)
    .bind(c.report.to_string())
    .bind(user_id)
    .bind(now())
    .bind(note)
    .bind(&decision_id)
    .bind(c.unit_revision)
    .execute(&mut **tx)
    .await?;
    let change = Change {
        user_id: Some(user_id),
        action: "confirm",
        entity: "verdicts",
        entity_id: c.unit_id,
        unit_id: Some(c.unit_id),
        campaign_id: Some(c.campaign_id),
    };
    let after = serde_json::json!({ "proposed": c.proposed, "confirmed": c.confirmed, "classification": c.classification, "note": note });
    audit::record(tx, change, before_json.as_ref(), Some(&after)).await
}

/// The confirmed verdicts of units under `path`, by unit id.
pub async fn verdicts_under(store: &Store, campaign_id: &str, path: &str) -> Result<HashMap<String, VerdictRow>> {
    let sql = format!(
        "SELECT {VERDICT_COLUMNS} FROM verdicts v JOIN units u ON u.id = v.unit_id LEFT JOIN users us ON us.id = v.confirmed_by \
         WHERE v.campaign_id = $1 AND u.path >= $2 AND u.path < $3"
    );
    let rows = sqlx::query(crate::trusted(&sql))
        .bind(campaign_id)
        .bind(crate::subtree(path).0)
        .bind(crate::subtree(path).1)
        .fetch_all(store.pool())
        .await?;
    rows.iter().map(|r| verdict_from_row(r).map(|v| (v.unit_id.clone(), v))).collect()
}

/// One unit's confirmed verdict.
pub async fn verdict(store: &Store, campaign_id: &str, unit_id: &str) -> Result<Option<VerdictRow>> {
    let sql = format!(
        "SELECT {VERDICT_COLUMNS} FROM verdicts v LEFT JOIN users us ON us.id = v.confirmed_by WHERE v.campaign_id = $1 AND v.unit_id = $2"
    );
    let row = sqlx::query(crate::trusted(&sql)).bind(campaign_id).bind(unit_id).fetch_optional(store.pool()).await?;
    row.as_ref().map(verdict_from_row).transpose()
}

// --- Review minutes --------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct Minutes {
    pub id: String,
    pub unit_id: String,
    pub held_on: NaiveDate,
    pub chair: String,
    /// Who kept the minutes; empty when not recorded.
    pub secretary: String,
    pub attendees: String,
    /// The members present, one a line ("Name - role"); empty when not recorded.
    pub members: String,
    pub conclusions: String,
    pub version: i64,
}

#[derive(Debug, Clone)]
pub struct NewMinutes<'a> {
    pub campaign_id: &'a str,
    pub unit_id: &'a str,
    pub held_on: NaiveDate,
    pub chair: &'a str,
    pub secretary: &'a str,
    pub attendees: &'a str,
    pub members: &'a str,
    pub conclusions: &'a str,
}

/// Records the minutes of a review meeting and returns their id.
pub async fn add_minutes(tx: &mut Tx<'_>, user_id: &str, m: &NewMinutes<'_>) -> Result<String> {
    if m.chair.trim().is_empty() || m.attendees.trim().is_empty() || m.conclusions.trim().is_empty() {
        return Err(StoreError::Invalid("biên bản cần có chủ trì, thành phần và kết luận".into()));
    }
    let id = new_id();
    sqlx::query(
        "INSERT INTO review_minutes (id, campaign_id, unit_id, held_on, chair, attendees, conclusions, secretary, members) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(m.campaign_id)
    .bind(m.unit_id)
    .bind(date_text(m.held_on))
    .bind(m.chair.trim())
    .bind(m.attendees.trim())
    .bind(m.conclusions.trim())
    .bind(m.secretary.trim())
    .bind(m.members.trim())
    .execute(&mut **tx)
    .await?;
    let change = Change {
        user_id: Some(user_id),
        action: "create",
        entity: "review_minutes",
        entity_id: &id,
        unit_id: Some(m.unit_id),
        campaign_id: Some(m.campaign_id),
    };
    let after = serde_json::json!({
        "held_on": date_text(m.held_on), "chair": m.chair.trim(), "attendees": m.attendees.trim(), "conclusions": m.conclusions.trim(),
        "secretary": m.secretary.trim(), "members": m.members.trim()
    });
    audit::record(tx, change, None, Some(&after)).await?;
    Ok(id)
}

/// The minutes of a unit's review meetings, latest first.
pub async fn minutes(store: &Store, campaign_id: &str, unit_id: &str) -> Result<Vec<Minutes>> {
    let rows = sqlx::query(
        "SELECT id, unit_id, held_on, chair, attendees, conclusions, version, secretary, members FROM review_minutes \
         WHERE campaign_id = $1 AND unit_id = $2 ORDER BY held_on DESC, id DESC",
    )
    .bind(campaign_id)
    .bind(unit_id)
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Minutes {
                id: r.try_get("id")?,
                unit_id: r.try_get("unit_id")?,
                held_on: parse_date(&r.try_get::<String, _>("held_on")?)?,
                chair: r.try_get("chair")?,
                secretary: r.try_get("secretary")?,
                attendees: r.try_get("attendees")?,
                members: r.try_get("members")?,
                conclusions: r.try_get("conclusions")?,
                version: r.try_get("version")?,
            })
        })
        .collect()
}

// --- Proposals -------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    pub id: String,
    pub unit_id: String,
    pub unit_name: String,
    pub kind: String,
    pub reason: String,
    pub proposed_by: Option<String>,
    pub proposed_at: String,
}

/// Proposes commendation (`khen_thuong`) or criticism (`phe_binh`) of a unit.
pub async fn propose(tx: &mut Tx<'_>, user_id: &str, campaign_id: &str, unit_id: &str, kind: &str, reason: &str) -> Result<String> {
    if kind != COMMENDATION && kind != CRITICISM {
        return Err(StoreError::Invalid(format!("loại đề nghị `{kind}` không hợp lệ")));
    }
    if reason.trim().is_empty() {
        return Err(StoreError::Invalid("đề nghị cần có lý do".into()));
    }
    let id = new_id();
    sqlx::query(
        "INSERT INTO proposals (id, campaign_id, unit_id, kind, reason, proposed_by, proposed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(campaign_id)
    .bind(unit_id)
    .bind(kind)
    .bind(reason.trim())
    .bind(user_id)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    let change = Change {
        user_id: Some(user_id),
        action: "create",
        entity: "proposals",
        entity_id: &id,
        unit_id: Some(unit_id),
        campaign_id: Some(campaign_id),
    };
    audit::record(tx, change, None, Some(&serde_json::json!({ "kind": kind, "reason": reason.trim() }))).await?;
    Ok(id)
}

/// The proposals about units under `path`, newest first.
pub async fn proposals_under(store: &Store, campaign_id: &str, path: &str) -> Result<Vec<Proposal>> {
    let rows = sqlx::query(
        "SELECT p.id, p.unit_id, u.name AS unit_name, p.kind, p.reason, us.full_name AS proposed_by, p.proposed_at FROM proposals p \
         JOIN units u ON u.id = p.unit_id LEFT JOIN users us ON us.id = p.proposed_by \
         WHERE p.campaign_id = $1 AND u.path >= $2 AND u.path < $3 ORDER BY p.id DESC",
    )
    .bind(campaign_id)
    .bind(crate::subtree(path).0)
    .bind(crate::subtree(path).1)
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Proposal {
                id: r.try_get("id")?,
                unit_id: r.try_get("unit_id")?,
                unit_name: r.try_get("unit_name")?,
                kind: r.try_get("kind")?,
                reason: r.try_get("reason")?,
                proposed_by: r.try_get("proposed_by")?,
                proposed_at: r.try_get("proposed_at")?,
            })
        })
        .collect()
}

// --- Decisions and locks ---------------------------------------------------------------------

/// A recognition decision to issue.
#[derive(Debug, Clone)]
pub struct NewDecision<'a> {
    pub campaign_id: &'a str,
    /// e.g. `123/QĐ-UBND`.
    pub number: &'a str,
    pub decided_on: NaiveDate,
    pub signer: &'a str,
    /// `chu_tich` or `pho_chu_tich`.
    pub signer_role: &'a str,
    pub authority: &'a str,
    /// The committee (a unit) that issues it.
    pub issuer_unit_id: &'a str,
    /// The confirmed recognised units it lists (its annex).
    pub unit_ids: &'a [&'a str],
    /// The police's request (tờ trình) it answers: its number ("45/TTr-CAX") and date, when
    /// recorded.
    pub request: Option<(&'a str, NaiveDate)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    pub id: String,
    pub campaign_id: String,
    pub number: String,
    pub decided_on: NaiveDate,
    pub signer: String,
    pub signer_role: String,
    pub authority: String,
    /// The committee (a unit) that issued it; unknown for decisions issued before it was kept.
    pub issuer_unit_id: Option<String>,
    pub issued_by: Option<String>,
    pub issued_at: String,
    /// The police's request (tờ trình) it answers, when recorded: number and date.
    pub request: Option<(String, NaiveDate)>,
    /// The annex, by path.
    pub units: Vec<DecisionUnit>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DecisionUnit {
    pub unit_id: String,
    pub name: String,
    pub unit_type: String,
    pub path: String,
    /// Whether the decision still locks the unit's facts (false after an unlock).
    pub locked: bool,
}

/// Whether the committee already issued a decision with this number in the year: each issuing
/// body numbers its own documents, year by year.
pub async fn number_taken(tx: &mut Tx<'_>, issuer_unit_id: &str, number: &str, year: i32) -> Result<bool> {
    let row = sqlx::query("SELECT id FROM decisions WHERE issuer_unit_id = $1 AND number = $2 AND substr(decided_on, 1, 4) = $3")
        .bind(issuer_unit_id)
        .bind(number.trim())
        .bind(format!("{year:04}"))
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.is_some())
}

/// Issues a decision: stores it with its annex, links the units' verdicts to it and locks their
/// facts, with an audit record for the decision and one per locked unit. Every unit must have a
/// confirmed "recognised" verdict not yet in a decision.
pub async fn issue(tx: &mut Tx<'_>, user_id: &str, d: &NewDecision<'_>) -> Result<String> {
    let number = d.number.trim();
    if number.is_empty() || d.signer.trim().is_empty() || d.authority.trim().is_empty() {
        return Err(StoreError::Invalid("quyết định cần có số, người ký và cấp có thẩm quyền".into()));
    }
    if d.unit_ids.is_empty() {
        return Err(StoreError::Invalid("quyết định cần có ít nhất một đơn vị".into()));
    }
    for unit_id in d.unit_ids.iter().copied() {
        let row = sqlx::query("SELECT confirmed_outcome, decision_id, unit_revision FROM verdicts WHERE campaign_id = $1 AND unit_id = $2")
            .bind(d.campaign_id)
            .bind(unit_id)
            .fetch_optional(&mut **tx)
            .await?;
        let Some(row) = row else {
            return Err(StoreError::Invalid(format!("đơn vị `{unit_id}` chưa được xét duyệt")));
        };
        if row.try_get::<String, _>("confirmed_outcome")? != RECOGNISED {
            return Err(StoreError::Invalid(format!("đơn vị `{unit_id}` không được xác nhận đạt chuẩn")));
        }
        if row.try_get::<Option<String>, _>("decision_id")?.is_some() {
            return Err(StoreError::Invalid(format!("đơn vị `{unit_id}` đã có trong một quyết định khác")));
        }
        // The facts must still be those the reviewer confirmed: a write that committed after
        // the confirmation (an import that ran meanwhile) asks for a new review.
        if crate::locks::unit_revision(tx, d.campaign_id, unit_id).await? != row.try_get::<i64, _>("unit_revision")? {
            return Err(StoreError::Invalid(format!(
                "dữ liệu của đơn vị `{unit_id}` đã thay đổi sau khi được xét duyệt; hãy xét duyệt lại trước khi ban hành quyết định"
            )));
        }
    }
    let id = new_id();
    sqlx::query(
        "INSERT INTO decisions (id, campaign_id, number, decided_on, signer, signer_role, authority, issuer_unit_id, issued_by, issued_at, \
         request_number, request_date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&id)
    .bind(d.campaign_id)
    .bind(number)
    .bind(date_text(d.decided_on))
    .bind(d.signer.trim())
    .bind(d.signer_role)
    .bind(d.authority.trim())
    .bind(d.issuer_unit_id)
    .bind(user_id)
    .bind(now())
    .bind(d.request.map_or("", |(n, _)| n.trim()))
    .bind(d.request.map(|(_, day)| date_text(day)).unwrap_or_default())
    .execute(&mut **tx)
    .await?;
    for unit_id in d.unit_ids.iter().copied() {
        sqlx::query("INSERT INTO decision_units (decision_id, unit_id) VALUES ($1, $2)").bind(&id).bind(unit_id).execute(&mut **tx).await?;
        sqlx::query("UPDATE verdicts SET decision_id = $1 WHERE campaign_id = $2 AND unit_id = $3")
            .bind(&id)
            .bind(d.campaign_id)
            .bind(unit_id)
            .execute(&mut **tx)
            .await?;
        sqlx::query("DELETE FROM locks WHERE campaign_id = $1 AND unit_id = $2")
            .bind(d.campaign_id)
            .bind(unit_id)
            .execute(&mut **tx)
            .await?;
        sqlx::query("INSERT INTO locks (campaign_id, unit_id, decision_id) VALUES ($1, $2, $3)")
            .bind(d.campaign_id)
            .bind(unit_id)
            .bind(&id)
            .execute(&mut **tx)
            .await?;
        let change = Change {
            user_id: Some(user_id),
            action: "lock",
            entity: "locks",
            entity_id: &id,
            unit_id: Some(unit_id),
            campaign_id: Some(d.campaign_id),
        };
        audit::record(tx, change, None, Some(&serde_json::json!({ "decision": number }))).await?;
    }
    let change = Change {
        user_id: Some(user_id),
        action: "issue",
        entity: "decisions",
        entity_id: &id,
        unit_id: Some(d.unit_ids[0]),
        campaign_id: Some(d.campaign_id),
    };
    let after = serde_json::json!({
        "number": number,
        "decided_on": date_text(d.decided_on),
        "signer": d.signer.trim(),
        "signer_role": d.signer_role,
        "authority": d.authority.trim(),
        "issuer": d.issuer_unit_id,
        "units": d.unit_ids,
        "request": d.request.map(|(n, day)| serde_json::json!({ "number": n.trim(), "date": date_text(day) })),
    });
    audit::record(tx, change, None, Some(&after)).await?;
    Ok(id)
}

async fn decision_number(tx: &mut Tx<'_>, campaign_id: &str, decision_id: &str) -> Result<String> {
    sqlx::query("SELECT number FROM decisions WHERE id = $1 AND campaign_id = $2")
        .bind(decision_id)
        .bind(campaign_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::NotFound("quyết định".into()))?
        .try_get("number")
        .map_err(Into::into)
}

/// Lifts a decision's lock on a unit's facts so a correction can be made. The reason is
/// mandatory and goes to the audit log.
pub async fn unlock(tx: &mut Tx<'_>, user_id: &str, campaign_id: &str, decision_id: &str, unit_id: &str, reason: &str) -> Result<()> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(StoreError::Invalid("mở khóa cần có lý do".into()));
    }
    let number = decision_number(tx, campaign_id, decision_id).await?;
    let done = sqlx::query("DELETE FROM locks WHERE campaign_id = $1 AND unit_id = $2 AND decision_id = $3")
        .bind(campaign_id)
        .bind(unit_id)
        .bind(decision_id)
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound("khóa dữ liệu của đơn vị".into()));
    }
    let change = Change {
        user_id: Some(user_id),
        action: "unlock",
        entity: "locks",
        entity_id: decision_id,
        unit_id: Some(unit_id),
        campaign_id: Some(campaign_id),
    };
    audit::record(tx, change, Some(&serde_json::json!({ "decision": number })), Some(&serde_json::json!({ "reason": reason }))).await
}

/// Locks a unit's facts again under the decision that lists it, once a correction is done.
pub async fn relock(tx: &mut Tx<'_>, user_id: &str, campaign_id: &str, decision_id: &str, unit_id: &str) -> Result<()> {
    let number = decision_number(tx, campaign_id, decision_id).await?;
    let listed = sqlx::query("SELECT unit_id FROM decision_units WHERE decision_id = $1 AND unit_id = $2")
        .bind(decision_id)
        .bind(unit_id)
        .fetch_optional(&mut **tx)
        .await?;
    if listed.is_none() {
        return Err(StoreError::NotFound("đơn vị trong quyết định".into()));
    }
    let done = sqlx::query("INSERT INTO locks (campaign_id, unit_id, decision_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(campaign_id)
        .bind(unit_id)
        .bind(decision_id)
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 0 {
        return Ok(());
    }
    let change = Change {
        user_id: Some(user_id),
        action: "lock",
        entity: "locks",
        entity_id: decision_id,
        unit_id: Some(unit_id),
        campaign_id: Some(campaign_id),
    };
    audit::record(tx, change, None, Some(&serde_json::json!({ "decision": number }))).await
}

fn decision_from_row(r: &AnyRow) -> Result<Decision> {
    Ok(Decision {
        id: r.try_get("id")?,
        campaign_id: r.try_get("campaign_id")?,
        number: r.try_get("number")?,
        decided_on: parse_date(&r.try_get::<String, _>("decided_on")?)?,
        signer: r.try_get("signer")?,
        signer_role: r.try_get("signer_role")?,
        authority: r.try_get("authority")?,
        issuer_unit_id: r.try_get("issuer_unit_id")?,
        issued_by: r.try_get("issued_by_name")?,
        issued_at: r.try_get("issued_at")?,
        request: match (r.try_get::<String, _>("request_number")?, r.try_get::<String, _>("request_date")?) {
            (n, day) if !n.is_empty() && !day.is_empty() => Some((n, parse_date(&day)?)),
            _ => None,
        },
        units: Vec::new(),
    })
}

const DECISION_COLUMNS: &str = "d.id, d.campaign_id, d.number, d.decided_on, d.signer, d.signer_role, d.authority, d.issuer_unit_id, us.full_name AS issued_by_name, d.issued_at, d.request_number, d.request_date";

/// A decision of the campaign with its annex.
pub async fn get(store: &Store, campaign_id: &str, id: &str) -> Result<Option<Decision>> {
    let sql = format!(
        "SELECT {DECISION_COLUMNS} FROM decisions d LEFT JOIN users us ON us.id = d.issued_by WHERE d.id = $1 AND d.campaign_id = $2"
    );
    let Some(row) = sqlx::query(crate::trusted(&sql)).bind(id).bind(campaign_id).fetch_optional(store.pool()).await? else {
        return Ok(None);
    };
    let mut decision = decision_from_row(&row)?;
    let units = sqlx::query(
        "SELECT du.unit_id, u.name, u.unit_type, u.path, l.decision_id AS lock FROM decision_units du JOIN units u ON u.id = du.unit_id \
         LEFT JOIN locks l ON l.unit_id = du.unit_id AND l.campaign_id = $2 AND l.decision_id = du.decision_id \
         WHERE du.decision_id = $1 ORDER BY u.path",
    )
    .bind(id)
    .bind(campaign_id)
    .fetch_all(store.pool())
    .await?;
    decision.units = units
        .iter()
        .map(|r| {
            Ok(DecisionUnit {
                unit_id: r.try_get("unit_id")?,
                name: r.try_get("name")?,
                unit_type: r.try_get("unit_type")?,
                path: r.try_get("path")?,
                locked: r.try_get::<Option<String>, _>("lock")?.is_some(),
            })
        })
        .collect::<Result<_>>()?;
    Ok(Some(decision))
}

/// The campaign's decisions listing any unit under `path`, newest first (without annexes).
pub async fn list_under(store: &Store, campaign_id: &str, path: &str) -> Result<Vec<Decision>> {
    let sql = format!(
        "SELECT {DECISION_COLUMNS} FROM decisions d LEFT JOIN users us ON us.id = d.issued_by WHERE d.campaign_id = $1 AND d.id IN \
         (SELECT du.decision_id FROM decision_units du JOIN units u ON u.id = du.unit_id WHERE u.path >= $2 AND u.path < $3) \
         ORDER BY d.decided_on DESC, d.id DESC"
    );
    let rows = sqlx::query(crate::trusted(&sql))
        .bind(campaign_id)
        .bind(crate::subtree(path).0)
        .bind(crate::subtree(path).1)
        .fetch_all(store.pool())
        .await?;
    rows.iter().map(decision_from_row).collect()
}

/// The number of the decision locking a unit's facts, if any.
pub async fn lock_of(store: &Store, campaign_id: &str, unit_id: &str) -> Result<Option<String>> {
    let row =
        sqlx::query("SELECT d.number FROM locks l JOIN decisions d ON d.id = l.decision_id WHERE l.campaign_id = $1 AND l.unit_id = $2")
            .bind(campaign_id)
            .bind(unit_id)
            .fetch_optional(store.pool())
            .await?;
    row.map(|r| r.try_get("number")).transpose().map_err(Into::into)
}

/// The locks on units under `path`: unit id → decision number.
pub async fn locks_under(store: &Store, campaign_id: &str, path: &str) -> Result<HashMap<String, String>> {
    let rows = sqlx::query(
        "SELECT l.unit_id, d.number FROM locks l JOIN decisions d ON d.id = l.decision_id JOIN units u ON u.id = l.unit_id \
         WHERE l.campaign_id = $1 AND u.path >= $2 AND u.path < $3",
    )
    .bind(campaign_id)
    .bind(crate::subtree(path).0)
    .bind(crate::subtree(path).1)
    .fetch_all(store.pool())
    .await?;
    rows.iter().map(|r| Ok((r.try_get("unit_id")?, r.try_get("number")?))).collect()
}
