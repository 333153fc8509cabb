//! Recognition decisions: issued by the People's Committee the ruleset names for each unit type
//! (the recognising authority), listing units confirmed as meeting the standard, locking their
//! facts in the same transaction; a lock lifted for a correction, and put back, by that same
//! committee only.

use std::collections::BTreeSet;

use antt_core::access::Action;
use antt_core::calendar::Calendar;
use antt_core::input::{Lines, limits};
use antt_core::vi;
use antt_store::campaigns::CampaignRow;
use antt_store::decisions::{self, Decision, NewDecision, RECOGNISED};
use antt_store::locks;
use antt_store::units::{self, UnitRow};
use chrono::{Datelike, NaiveDate};

use crate::review::required_text;
use crate::{Actor, App, Error, FieldErrors, Result, today};

/// Who signs for the committee: its chairman, or a vice-chairman for the chairman ("KT. CHỦ
/// TỊCH / PHÓ CHỦ TỊCH").
pub const CHAIRMAN: &str = "chu_tich";
pub const VICE_CHAIRMAN: &str = "pho_chu_tich";

/// A decision as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionForm {
    /// e.g. `123/QĐ-UBND`.
    pub number: String,
    pub decided_on: NaiveDate,
    /// The signer's name.
    pub signer: String,
    /// [`CHAIRMAN`] or [`VICE_CHAIRMAN`].
    pub signer_role: String,
    pub unit_ids: Vec<String>,
    /// The number of the police's request (tờ trình) it answers, e.g. `45/TTr-CAX`; empty when
    /// not recorded (the document leaves blanks for it).
    pub request_number: String,
    /// The request's date; given with its number.
    pub request_date: Option<NaiveDate>,
}

/// The committee (a unit of the tree) that recognises `unit`: the level the ruleset names for
/// its type, found among its ancestors.
pub fn issuing_body<'a>(calendar: &Calendar, unit: &UnitRow, ancestors: &'a [UnitRow]) -> Result<&'a UnitRow> {
    let authority = calendar
        .by_type
        .get(&unit.unit_type)
        .map(|t| t.authority)
        .ok_or_else(|| Error::invalid(format!("{} không thuộc đối tượng đánh giá của đợt này.", unit.name)))?;
    let types: Vec<&str> = ancestors.iter().map(|a| a.unit_type.as_str()).collect();
    authority.committee_among(&types).map(|i| &ancestors[i]).ok_or_else(|| {
        Error::invalid(format!(
            "Việc công nhận {} thuộc thẩm quyền {}, không có cấp đó phía trên đơn vị trong hệ thống nên không ban hành quyết định ở đây được.",
            unit.name,
            authority.name()
        ))
    })
}

/// Whether the actor holds, at the committee's own unit, a role that issues decisions.
fn speaks_for(actor: &Actor, body: &UnitRow) -> bool {
    actor.grants.iter().any(|g| g.unit_id == body.id && g.role.allows(Action::IssueDecision))
}

fn not_the_authority(body: &UnitRow) -> Error {
    Error::Forbidden(format!(
        "Quyết định này thuộc thẩm quyền Chủ tịch Ủy ban nhân dân {}; tài khoản của bạn không được giao quyền ban hành, mở khóa quyết định của cấp đó.",
        crate::documents::in_sentence(&body.name)
    ))
}

impl App {
    /// Issues a decision recognising the listed units; returns its id.
    pub async fn issue_decision(&self, actor: &Actor, campaign_id: &str, form: &DecisionForm) -> Result<String> {
        let (campaign, scope) = self.campaign(actor, campaign_id).await?;
        let mut errors = FieldErrors::default();
        let number = required_text(&mut errors, "number", &form.number, limits::NUMBER, Lines::One);
        if number.as_deref().is_some_and(|n| !n.contains('/')) {
            errors.add("number", "Số quyết định cần có dạng số/ký hiệu, ví dụ 123/QĐ-UBND.");
        }
        let signer = required_text(&mut errors, "signer", &form.signer, limits::NAME, Lines::One);
        if form.signer_role != CHAIRMAN && form.signer_role != VICE_CHAIRMAN {
            errors.add("signer_role", "Cần chọn người ký: Chủ tịch, hoặc Phó Chủ tịch ký thay.");
        }
        if form.decided_on > today() {
            errors.add("decided_on", format!("Ngày quyết định ({}) không được sau hôm nay.", vi::date(form.decided_on)));
        }
        let request_number = antt_core::text::nfc(form.request_number.trim()).into_owned();
        if request_number.chars().count() > limits::NUMBER {
            errors.add("request_number", format!("Tối đa {} ký tự.", limits::NUMBER));
        } else if !request_number.is_empty() && !request_number.contains('/') {
            errors.add("request_number", "Số tờ trình cần có dạng số/ký hiệu, ví dụ 45/TTr-CAX.");
        }
        match (request_number.is_empty(), form.request_date) {
            (false, None) => errors.add("request_date", "Cần ngày của tờ trình."),
            (true, Some(_)) => errors.add("request_number", "Cần số của tờ trình (hoặc bỏ trống cả ngày)."),
            (false, Some(day)) if day > form.decided_on => errors.add(
                "request_date",
                format!("Tờ trình ngày {} không thể sau ngày quyết định ({}).", vi::date(day), vi::date(form.decided_on)),
            ),
            _ => {}
        }
        let mut seen = BTreeSet::new();
        for id in &form.unit_ids {
            if !seen.insert(id.as_str()) {
                errors.add("unit_ids", format!("Đơn vị mã “{id}” được ghi hai lần; mỗi đơn vị chỉ ghi một lần."));
            }
        }
        if form.unit_ids.is_empty() {
            errors.add("unit_ids", "Cần chọn ít nhất một đơn vị đã được xác nhận đạt chuẩn.");
        }
        // Every listed unit must be one the actor may see in the campaign, before the input is
        // judged; then one committee must recognise them all, and the actor must speak for it.
        let calendar = self.calendar(&campaign).await?;
        let mut listed = Vec::new();
        for id in &seen {
            let unit = self.unit_of(actor, &scope, id, Action::Read).await?;
            let ancestors = units::ancestors(self.store(), &unit).await?;
            let body = issuing_body(&calendar, &unit, &ancestors)?.clone();
            listed.push((unit, body));
        }
        let body = match listed.first() {
            Some((_, body)) => body.clone(),
            None => return Err(Error::fields(errors)),
        };
        if let Some((u, other)) = listed.iter().find(|(_, b)| b.id != body.id) {
            errors.add(
                "unit_ids",
                format!(
                    "{} do Ủy ban nhân dân {} công nhận, còn {} do Ủy ban nhân dân {}: mỗi quyết định là của một cấp.",
                    listed[0].0.name,
                    crate::documents::in_sentence(&body.name),
                    u.name,
                    crate::documents::in_sentence(&other.name)
                ),
            );
        }
        if !speaks_for(actor, &body) {
            return Err(not_the_authority(&body));
        }
        errors.into_result()?;
        let number = number.unwrap_or_default();
        let signer = signer.unwrap_or_default();
        let unit_ids: Vec<&str> = listed.iter().map(|(u, _)| u.id.as_str()).collect();
        let mut tx = self.store().begin().await?;
        locks::hold_exclusive(&mut tx, &unit_ids).await?;
        if decisions::number_taken(&mut tx, &body.id, &number, form.decided_on.year()).await? {
            return Err(Error::field(
                "number",
                format!(
                    "Số quyết định {number} đã được Ủy ban nhân dân {} dùng trong năm {}.",
                    crate::documents::in_sentence(&body.name),
                    form.decided_on.year()
                ),
            ));
        }
        let authority = format!("Chủ tịch Ủy ban nhân dân {}", crate::documents::in_sentence(&body.name));
        let d = NewDecision {
            campaign_id: &campaign.id,
            number: &number,
            decided_on: form.decided_on,
            signer: &signer,
            signer_role: &form.signer_role,
            authority: &authority,
            issuer_unit_id: &body.id,
            unit_ids: &unit_ids,
            request: form.request_date.filter(|_| !request_number.is_empty()).map(|day| (request_number.as_str(), day)),
        };
        let id = decisions::issue(&mut tx, &actor.user_id, &d).await?;
        antt_store::commit(tx).await?;
        Ok(id)
    }

    /// A decision of the campaign, when the actor may see a unit it lists.
    pub async fn decision(&self, actor: &Actor, campaign_id: &str, decision_id: &str) -> Result<(CampaignRow, Decision)> {
        let (campaign, _) = self.campaign(actor, campaign_id).await?;
        let d = decisions::get(self.store(), &campaign.id, decision_id).await?.ok_or_else(|| Error::not_found("quyết định này"))?;
        if !d.units.iter().any(|u| actor.may(Action::Read, &u.path)) {
            return Err(Error::not_found("quyết định này"));
        }
        Ok((campaign, d))
    }

    /// The decision and the unit it lists, when the actor speaks for the committee that issued it.
    async fn decision_unit(
        &self,
        actor: &Actor,
        campaign_id: &str,
        decision_id: &str,
        unit_id: &str,
    ) -> Result<(CampaignRow, Decision, UnitRow)> {
        let (campaign, scope) = self.campaign(actor, campaign_id).await?;
        let unit = self.unit_of(actor, &scope, unit_id, Action::Read).await?;
        let (campaign, d) = self.decision(actor, &campaign.id, decision_id).await?;
        if !d.units.iter().any(|u| u.unit_id == unit.id) {
            return Err(Error::not_found("đơn vị này trong quyết định"));
        }
        let body = match &d.issuer_unit_id {
            Some(id) => units::get(self.store(), id).await?.ok_or_else(|| Error::not_found("cấp ban hành quyết định"))?,
            // Decisions issued before the issuer was recorded belong to the campaign's scope.
            None => scope,
        };
        if !speaks_for(actor, &body) {
            return Err(not_the_authority(&body));
        }
        Ok((campaign, d, unit))
    }

    /// Lifts the decision's lock on a unit's facts for a correction; the reason goes to the
    /// audit log.
    pub async fn unlock(&self, actor: &Actor, campaign_id: &str, decision_id: &str, unit_id: &str, reason: &str) -> Result<()> {
        let (campaign, d, unit) = self.decision_unit(actor, campaign_id, decision_id, unit_id).await?;
        let mut errors = FieldErrors::default();
        let reason = required_text(&mut errors, "reason", reason, limits::NOTE, Lines::Many);
        if reason.is_none() && errors.get("reason") == Some("Không được để trống.") {
            errors = FieldErrors::default();
            errors.add("reason", "Cần ghi lý do mở khóa (việc mở khóa được ghi vào nhật ký).");
        }
        errors.into_result()?;
        let mut tx = self.store().begin().await?;
        locks::hold_exclusive(&mut tx, &[&unit.id]).await?;
        decisions::unlock(&mut tx, &actor.user_id, &campaign.id, &d.id, &unit.id, &reason.unwrap_or_default()).await.map_err(
            |e| match e {
                antt_store::StoreError::NotFound(_) => {
                    Error::field("reason", "Dữ liệu của đơn vị này hiện không bị khóa bởi quyết định này.")
                }
                e => e.into(),
            },
        )?;
        Ok(antt_store::commit(tx).await?)
    }

    /// Locks a unit's facts again under the decision that lists it, once the correction is done.
    pub async fn relock(&self, actor: &Actor, campaign_id: &str, decision_id: &str, unit_id: &str) -> Result<()> {
        let (campaign, d, unit) = self.decision_unit(actor, campaign_id, decision_id, unit_id).await?;
        let mut tx = self.store().begin().await?;
        locks::hold_exclusive(&mut tx, &[&unit.id]).await?;
        decisions::relock(&mut tx, &actor.user_id, &campaign.id, &d.id, &unit.id).await?;
        Ok(antt_store::commit(tx).await?)
    }

    /// The units under `path` an issued decision recognises: what an authority decided, kept
    /// apart from what the rules found (the dashboard and the summaries show both).
    pub async fn recognised_by_decision(&self, campaign_id: &str, path: &str) -> Result<std::collections::HashSet<String>> {
        Ok(decisions::verdicts_under(self.store(), campaign_id, path)
            .await?
            .into_values()
            .filter(|v| v.confirmed_outcome == RECOGNISED && v.decision_id.is_some())
            .map(|v| v.unit_id)
            .collect())
    }

    /// The units under `root` a decision could list now: confirmed as meeting the standard, in
    /// no decision yet, recognised by a committee the actor speaks for.
    pub async fn decision_candidates(&self, actor: &Actor, campaign: &CampaignRow, root: &UnitRow) -> Result<Vec<UnitRow>> {
        let calendar = self.calendar(campaign).await?;
        let verdicts = decisions::verdicts_under(self.store(), &campaign.id, &root.path).await?;
        let mut out = Vec::new();
        for v in verdicts.values().filter(|v| v.confirmed_outcome == RECOGNISED && v.decision_id.is_none()) {
            let Some(unit) = units::get(self.store(), &v.unit_id).await? else { continue };
            let ancestors = units::ancestors(self.store(), &unit).await?;
            if issuing_body(&calendar, &unit, &ancestors).is_ok_and(|b| speaks_for(actor, b)) {
                out.push(unit);
            }
        }
        out.sort_by_cached_key(|u| antt_core::text::sort_key(&u.name));
        Ok(out)
    }
}

/// The signer's line for a stored role code.
pub fn signer_role_name(code: &str) -> &'static str {
    match code {
        VICE_CHAIRMAN => "Phó Chủ tịch (ký thay Chủ tịch)",
        _ => "Chủ tịch",
    }
}
