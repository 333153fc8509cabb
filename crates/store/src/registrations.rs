//! Registrations to strive for the standard ("đăng ký phấn đấu"): a pledge per criterion, the
//! date, an immutable copy as submitted and a receipt number from the standing office, written
//! in one transaction. A submitted registration is never overwritten; it can only be returned
//! for correction and then submitted again.
//!
//! Also the readers of the rest of one unit's dossier that the pages show: yes/no conditions,
//! previous-year counts, lists declared complete, scores with their notes and judgements.

use std::collections::{BTreeMap, BTreeSet};

use antt_core::scoring::Points;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, Change};
use crate::facts::{ScoreSource, Writer};
use crate::locks::{ensure_unlocked, touch};
use crate::{Result, Store, StoreError, Tx, date_text, new_id, now, parse_date};

/// The registration has been sent and counts as the unit's registration.
pub const SUBMITTED: &str = "submitted";
/// Sent back for correction; the unit may register again.
pub const RETURNED: &str = "returned";

/// The Vietnamese name of a registration status.
pub fn status_name(status: &str) -> &'static str {
    match status {
        SUBMITTED => "Đã gửi đăng ký",
        RETURNED => "Bị trả lại để bổ sung, sửa chữa",
        _ => "Chưa đăng ký",
    }
}

/// The unit's pledge on one criterion.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pledge {
    pub pledged: bool,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegistrationRow {
    pub id: String,
    pub campaign_id: String,
    pub unit_id: String,
    /// By criterion id.
    pub pledges: BTreeMap<String, Pledge>,
    pub status: String,
    pub registered_on: Option<NaiveDate>,
    pub submitted_at: Option<String>,
    pub on_time: Option<bool>,
    /// The registration as submitted (JSON), never changed afterwards.
    pub submitted_copy: Option<serde_json::Value>,
    pub receipt_number: Option<String>,
    pub returned_reason: Option<String>,
    pub version: i64,
}

impl RegistrationRow {
    pub fn is_submitted(&self) -> bool {
        self.status == SUBMITTED
    }
}

const COLUMNS: &str = "id, campaign_id, unit_id, pledges, status, registered_on, submitted_at, on_time, submitted_copy, receipt_number, \
                       returned_reason, version";

fn from_row(r: &AnyRow) -> Result<RegistrationRow> {
    let pledges: String = r.try_get("pledges")?;
    let copy: Option<String> = r.try_get("submitted_copy")?;
    Ok(RegistrationRow {
        id: r.try_get("id")?,
        campaign_id: r.try_get("campaign_id")?,
        unit_id: r.try_get("unit_id")?,
        pledges: serde_json::from_str(&pledges).unwrap_or_default(),
        status: r.try_get("status")?,
        registered_on: r.try_get::<Option<String>, _>("registered_on")?.map(|d| parse_date(&d)).transpose()?,
        submitted_at: r.try_get("submitted_at")?,
        on_time: r.try_get::<Option<i64>, _>("on_time")?.map(|v| v != 0),
        submitted_copy: copy.and_then(|c| serde_json::from_str(&c).ok()),
        receipt_number: r.try_get("receipt_number")?,
        returned_reason: r.try_get("returned_reason")?,
        version: r.try_get("version")?,
    })
}

/// The unit's registration in a campaign, if it has one.
pub async fn get(store: &Store, campaign_id: &str, unit_id: &str) -> Result<Option<RegistrationRow>> {
    let sql = format!("SELECT {COLUMNS} FROM registrations WHERE campaign_id = $1 AND unit_id = $2");
    let row = sqlx::query(crate::trusted(&sql)).bind(campaign_id).bind(unit_id).fetch_optional(store.pool()).await?;
    row.as_ref().map(from_row).transpose()
}

async fn get_in(tx: &mut Tx<'_>, campaign_id: &str, unit_id: &str) -> Result<Option<RegistrationRow>> {
    let sql = format!("SELECT {COLUMNS} FROM registrations WHERE campaign_id = $1 AND unit_id = $2");
    let row = sqlx::query(crate::trusted(&sql)).bind(campaign_id).bind(unit_id).fetch_optional(&mut **tx).await?;
    row.as_ref().map(from_row).transpose()
}

/// A registration to submit.
#[derive(Debug, Clone)]
pub struct Submission<'a> {
    pub pledges: &'a BTreeMap<String, Pledge>,
    pub registered_on: NaiveDate,
    /// Registered by the unit type's deadline.
    pub on_time: bool,
    /// What the unit submitted, as it will be printed; the receipt number and the time of
    /// submission are added to it.
    pub copy: serde_json::Value,
    /// The receipt number's prefix, e.g. `PV28-2013`: numbers run `PV28-2013-000001`, …
    pub receipt_prefix: &'a str,
    /// The version of the returned registration this one replaces, as the form read it.
    pub replaces_version: Option<i64>,
}

/// Submits a registration: a first one, or a new one after the previous was returned for
/// correction. A registration already submitted is never overwritten.
pub async fn submit(tx: &mut Tx<'_>, w: Writer<'_>, s: &Submission<'_>) -> Result<RegistrationRow> {
    ensure_unlocked(tx, w.campaign_id, w.unit_id).await?;
    // Taking the campaign's row first serialises concurrent submissions, so receipt numbers
    // are allocated one after another on both backends.
    touch(tx, w.campaign_id, &[w.unit_id]).await?;
    let existing = get_in(tx, w.campaign_id, w.unit_id).await?;
    if let Some(r) = &existing {
        if r.is_submitted() {
            return Err(StoreError::Invalid(format!(
                "đơn vị đã gửi bản đăng ký{}; chỉ đăng ký lại được khi bản đăng ký được trả lại để bổ sung, sửa chữa",
                r.receipt_number.as_deref().map(|n| format!(" (số tiếp nhận {n})")).unwrap_or_default()
            )));
        }
        if s.replaces_version != Some(r.version) {
            return Err(StoreError::Conflict);
        }
    }
    let prefix = format!("{}-", s.receipt_prefix);
    let last: Option<String> = sqlx::query(
        "SELECT receipt_number FROM registrations WHERE campaign_id = $1 AND receipt_number LIKE $2 ORDER BY receipt_number DESC LIMIT 1",
    )
    .bind(w.campaign_id)
    .bind(format!("{prefix}%"))
    .fetch_optional(&mut **tx)
    .await?
    .map(|r| r.try_get("receipt_number"))
    .transpose()?;
    let next = last.and_then(|n| n.strip_prefix(&prefix).and_then(|d| d.parse::<u64>().ok())).unwrap_or(0) + 1;
    let receipt = format!("{prefix}{next:06}");
    let submitted_at = now();
    let mut copy = s.copy.clone();
    if let Some(map) = copy.as_object_mut() {
        map.insert("receipt_number".into(), receipt.clone().into());
        map.insert("submitted_at".into(), submitted_at.clone().into());
    }
    let pledges = serde_json::to_string(s.pledges).unwrap_or_else(|_| "{}".into());
    let copy_text = copy.to_string();
    let id = match &existing {
        None => {
            let id = new_id();
            sqlx::query(
                "INSERT INTO registrations (id, campaign_id, unit_id, pledges, status, registered_on, submitted_at, on_time, submitted_copy, receipt_number) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(&id)
            .bind(w.campaign_id)
            .bind(w.unit_id)
            .bind(&pledges)
            .bind(SUBMITTED)
            .bind(date_text(s.registered_on))
            .bind(&submitted_at)
            .bind(i64::from(s.on_time))
            .bind(&copy_text)
            .bind(&receipt)
            .execute(&mut **tx)
            .await
            .map_err(|e| match &e {
                // Someone registered the unit in the meantime.
                sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict,
                _ => StoreError::Database(e),
            })?;
            id
        }
        Some(r) => {
            let done = sqlx::query(
                "UPDATE registrations SET pledges = $1, status = $2, registered_on = $3, submitted_at = $4, on_time = $5, \
                 submitted_copy = $6, receipt_number = $7, returned_reason = NULL, version = version + 1 WHERE id = $8 AND version = $9",
            )
            .bind(&pledges)
            .bind(SUBMITTED)
            .bind(date_text(s.registered_on))
            .bind(&submitted_at)
            .bind(i64::from(s.on_time))
            .bind(&copy_text)
            .bind(&receipt)
            .bind(&r.id)
            .bind(r.version)
            .execute(&mut **tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict);
            }
            r.id.clone()
        }
    };
    let row = get_in(tx, w.campaign_id, w.unit_id).await?.ok_or_else(|| StoreError::NotFound("bản đăng ký".into()))?;
    let change = Change {
        user_id: Some(w.user_id),
        action: "submit",
        entity: "registrations",
        entity_id: &id,
        unit_id: Some(w.unit_id),
        campaign_id: Some(w.campaign_id),
    };
    let before = existing.as_ref().and_then(|r| serde_json::to_value(r).ok());
    audit::record(tx, change, before.as_ref(), serde_json::to_value(&row).ok().as_ref()).await?;
    Ok(row)
}

/// Sends a submitted registration back to the unit for correction, with the reason.
pub async fn return_for_correction(tx: &mut Tx<'_>, w: Writer<'_>, expected_version: i64, reason: &str) -> Result<()> {
    ensure_unlocked(tx, w.campaign_id, w.unit_id).await?;
    let before = get_in(tx, w.campaign_id, w.unit_id).await?.ok_or_else(|| StoreError::NotFound("bản đăng ký".into()))?;
    if !before.is_submitted() {
        return Err(StoreError::Invalid("bản đăng ký chưa được gửi hoặc đã được trả lại".into()));
    }
    if before.version != expected_version {
        return Err(StoreError::Conflict);
    }
    let done =
        sqlx::query("UPDATE registrations SET status = $1, returned_reason = $2, version = version + 1 WHERE id = $3 AND version = $4")
            .bind(RETURNED)
            .bind(reason)
            .bind(&before.id)
            .bind(expected_version)
            .execute(&mut **tx)
            .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    let change = Change {
        user_id: Some(w.user_id),
        action: "return",
        entity: "registrations",
        entity_id: &before.id,
        unit_id: Some(w.unit_id),
        campaign_id: Some(w.campaign_id),
    };
    let after = serde_json::json!({ "status": RETURNED, "returned_reason": reason });
    audit::record(tx, change, serde_json::to_value(&before).ok().as_ref(), Some(&after)).await?;
    touch(tx, w.campaign_id, &[w.unit_id]).await
}

// ---------------------------------------------------------------------------------------------
// The rest of one unit's dossier, as the pages show it.

/// The unit's yes/no conditions.
pub async fn flags(store: &Store, campaign_id: &str, unit_id: &str) -> Result<BTreeMap<String, bool>> {
    let rows = sqlx::query("SELECT flag, value FROM unit_flags WHERE campaign_id = $1 AND unit_id = $2")
        .bind(campaign_id)
        .bind(unit_id)
        .fetch_all(store.pool())
        .await?;
    rows.iter().map(|r| Ok((r.try_get("flag")?, r.try_get::<i64, _>("value")? != 0))).collect()
}

/// The unit's previous-year counts by incident kind.
pub async fn previous_year(store: &Store, campaign_id: &str, unit_id: &str) -> Result<BTreeMap<String, u32>> {
    let rows = sqlx::query("SELECT kind, count FROM previous_year_counts WHERE campaign_id = $1 AND unit_id = $2")
        .bind(campaign_id)
        .bind(unit_id)
        .fetch_all(store.pool())
        .await?;
    rows.iter().map(|r| Ok((r.try_get("kind")?, u32::try_from(r.try_get::<i64, _>("count")?).unwrap_or(0)))).collect()
}

/// The fact lists of the unit that are recorded (even if empty), e.g. `incidents`.
pub async fn recorded_lists(store: &Store, campaign_id: &str, unit_id: &str) -> Result<BTreeSet<String>> {
    let rows = sqlx::query("SELECT list FROM fact_lists WHERE campaign_id = $1 AND unit_id = $2")
        .bind(campaign_id)
        .bind(unit_id)
        .fetch_all(store.pool())
        .await?;
    rows.iter().map(|r| Ok(r.try_get("list")?)).collect()
}

/// One item's score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoreRow {
    pub item: String,
    pub points: Points,
    pub note: Option<String>,
    pub scored_by: String,
    pub scored_at: String,
}

/// The unit's scores from one source, by item.
pub async fn scores(store: &Store, campaign_id: &str, unit_id: &str, source: ScoreSource) -> Result<BTreeMap<String, ScoreRow>> {
    let code = match source {
        ScoreSource::SelfAssessed => "self",
        ScoreSource::Reviewed => "reviewed",
    };
    let rows = sqlx::query(
        "SELECT s.item, s.points, s.note, COALESCE(u.full_name, s.scored_by) AS scored_by, s.scored_at \
         FROM scores s LEFT JOIN users u ON u.id = s.scored_by WHERE s.campaign_id = $1 AND s.unit_id = $2 AND s.source = $3",
    )
    .bind(campaign_id)
    .bind(unit_id)
    .bind(code)
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let item: String = r.try_get("item")?;
            let row = ScoreRow {
                item: item.clone(),
                points: Points::from_tenths(u32::try_from(r.try_get::<i64, _>("points")?).unwrap_or(0)),
                note: r.try_get("note")?,
                scored_by: r.try_get("scored_by")?,
                scored_at: r.try_get("scored_at")?,
            };
            Ok((item, row))
        })
        .collect()
}

/// An inspector's recorded judgement of a part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JudgementRow {
    pub criterion: String,
    pub part: String,
    pub met: bool,
    pub note: Option<String>,
    pub inspector: String,
    pub judged_on: NaiveDate,
}

/// The unit's judgements.
pub async fn judgements(store: &Store, campaign_id: &str, unit_id: &str) -> Result<Vec<JudgementRow>> {
    let rows = sqlx::query(
        "SELECT criterion, part, met, note, inspector, judged_on FROM judgements WHERE campaign_id = $1 AND unit_id = $2 ORDER BY criterion, part",
    )
    .bind(campaign_id)
    .bind(unit_id)
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(JudgementRow {
                criterion: r.try_get("criterion")?,
                part: r.try_get("part")?,
                met: r.try_get::<i64, _>("met")? != 0,
                note: r.try_get("note")?,
                inspector: r.try_get("inspector")?,
                judged_on: parse_date(&r.try_get::<String, _>("judged_on")?)?,
            })
        })
        .collect()
}
