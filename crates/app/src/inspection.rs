//! Inspection teams of a campaign (formed by whoever manages the campaign): their name and
//! dates, their members (a leader and members) and the units assigned to them.

use antt_core::access::Action;
use antt_core::input::{Lines, clean, limits};
use antt_store::campaigns::CampaignRow;
use antt_store::inspection::{self, By, LEADER, MEMBER, Team, TeamInput};
use antt_store::units::UnitRow;
use chrono::NaiveDate;

use crate::{Actor, App, Error, FieldErrors, Result};

/// A team's name and dates as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamForm {
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

fn check_team(t: &TeamForm) -> Result<String> {
    let mut errors = FieldErrors::default();
    let name = clean(&t.name, limits::NAME, Lines::One).unwrap_or_else(|m| {
        errors.add("name", m);
        String::new()
    });
    if name.is_empty() && errors.get("name").is_none() {
        errors.add("name", "Không được để trống.");
    }
    if t.ends_on < t.starts_on {
        errors.add("ends_on", "Ngày kết thúc phải sau ngày bắt đầu.");
    }
    errors.into_result()?;
    Ok(name)
}

impl App {
    /// The campaign and its scope, when the actor may manage it.
    pub async fn managed_campaign(&self, actor: &Actor, campaign_id: &str) -> Result<(CampaignRow, UnitRow)> {
        let (campaign, scope) = self.campaign(actor, campaign_id).await?;
        crate::access::check(actor, &scope, Action::ManageCampaign)?;
        Ok((campaign, scope))
    }

    async fn team_of(&self, campaign: &CampaignRow, team_id: &str) -> Result<Team> {
        inspection::team(self.store(), &campaign.id, team_id).await?.ok_or_else(|| Error::not_found("đoàn kiểm tra này"))
    }

    /// Forms a team; returns its id.
    pub async fn create_team(&self, actor: &Actor, campaign_id: &str, form: &TeamForm) -> Result<String> {
        let (c, scope) = self.managed_campaign(actor, campaign_id).await?;
        let name = check_team(form)?;
        let by = By { user_id: &actor.user_id, campaign_id: &c.id, scope_unit_id: &scope.id };
        let mut tx = self.store().begin().await?;
        let id = inspection::create_team(&mut tx, by, &TeamInput { name: &name, starts_on: form.starts_on, ends_on: form.ends_on }).await?;
        antt_store::commit(tx).await?;
        Ok(id)
    }

    /// Renames or re-dates a team, if nobody changed it since `version` was read.
    pub async fn update_team(&self, actor: &Actor, campaign_id: &str, team_id: &str, version: i64, form: &TeamForm) -> Result<()> {
        let (c, scope) = self.managed_campaign(actor, campaign_id).await?;
        self.team_of(&c, team_id).await?;
        let name = check_team(form)?;
        let by = By { user_id: &actor.user_id, campaign_id: &c.id, scope_unit_id: &scope.id };
        let mut tx = self.store().begin().await?;
        let input = TeamInput { name: &name, starts_on: form.starts_on, ends_on: form.ends_on };
        inspection::update_team(&mut tx, by, team_id, version, &input).await?;
        Ok(antt_store::commit(tx).await?)
    }

    /// Adds a user (by user name) to a team as its leader or a member.
    pub async fn add_team_member(&self, actor: &Actor, campaign_id: &str, team_id: &str, username: &str, role: &str) -> Result<()> {
        let (c, scope) = self.managed_campaign(actor, campaign_id).await?;
        self.team_of(&c, team_id).await?;
        let mut errors = FieldErrors::default();
        let username = username.trim();
        let member = if username.is_empty() {
            errors.add("username", "Không được để trống.");
            None
        } else {
            let found = inspection::find_user(self.store(), username).await?;
            if found.is_none() {
                errors.add("username", format!("Không có người dùng “{username}”."));
            }
            found
        };
        if role != LEADER && role != MEMBER {
            errors.add("role", "Cần chọn vai trò trong đoàn.");
        }
        errors.into_result()?;
        let Some(member) = member else { return Err(Error::field("username", "Không có người dùng này.")) };
        let by = By { user_id: &actor.user_id, campaign_id: &c.id, scope_unit_id: &scope.id };
        let mut tx = self.store().begin().await?;
        inspection::add_member(&mut tx, by, team_id, &member.id, role).await?;
        Ok(antt_store::commit(tx).await?)
    }

    pub async fn remove_team_member(&self, actor: &Actor, campaign_id: &str, team_id: &str, user_id: &str) -> Result<()> {
        let (c, scope) = self.managed_campaign(actor, campaign_id).await?;
        let by = By { user_id: &actor.user_id, campaign_id: &c.id, scope_unit_id: &scope.id };
        let mut tx = self.store().begin().await?;
        inspection::remove_member(&mut tx, by, team_id, user_id).await?;
        Ok(antt_store::commit(tx).await?)
    }

    /// Assigns a unit the campaign evaluates to a team (`add`), or takes it off.
    pub async fn assign_unit(&self, actor: &Actor, campaign_id: &str, team_id: &str, unit_id: &str, add: bool) -> Result<UnitRow> {
        let (c, scope) = self.managed_campaign(actor, campaign_id).await?;
        let unit = self.unit_of(actor, &scope, unit_id, Action::ManageCampaign).await?;
        if add && self.ruleset(&c).await?.unit_type(&unit.unit_type).is_none() {
            return Err(Error::invalid(format!("{} không thuộc đối tượng đánh giá của bộ tiêu chí.", unit.name)));
        }
        let by = By { user_id: &actor.user_id, campaign_id: &c.id, scope_unit_id: &scope.id };
        let mut tx = self.store().begin().await?;
        if add {
            inspection::assign(&mut tx, by, team_id, &unit.id).await?;
        } else {
            inspection::unassign(&mut tx, by, team_id, &unit.id).await?;
        }
        antt_store::commit(tx).await?;
        Ok(unit)
    }
}
