//! The one check of who may act where: a grant covers its unit's subtree. A unit or campaign
//! the actor may not even read answers "not found", so ids outside one's scope reveal nothing;
//! one they may read but not act on answers "forbidden". Every page, API route and command goes
//! through here, in the same order.

use antt_core::access::Action;
use antt_store::campaigns::{self, CampaignRow};
use antt_store::units::{self, UnitRow};

use crate::{Actor, App, Error, Result};

/// A campaign and one unit within its scope that the actor may act on.
#[derive(Debug, Clone)]
pub struct Scoped {
    pub campaign: CampaignRow,
    /// The campaign's scope unit (the province, or whatever launched it).
    pub scope: UnitRow,
    pub unit: UnitRow,
    /// The text of the ruleset the campaign started with.
    pub ruleset: std::sync::Arc<antt_core::Ruleset>,
}

fn unit_not_found() -> Error {
    Error::not_found("đơn vị này")
}

fn campaign_not_found() -> Error {
    Error::not_found("đợt phát động này")
}

/// The refusal of an action the actor's roles do not allow on the unit.
pub fn forbidden(action: Action) -> Error {
    Error::Forbidden(format!("Bạn không có quyền {} đối với đơn vị này.", action.name()))
}

/// Checks an action on a unit already loaded: not found when the actor cannot read it,
/// forbidden when no grant allows the action.
pub fn check(actor: &Actor, unit: &UnitRow, action: Action) -> Result<()> {
    if !actor.may(Action::Read, &unit.path) {
        return Err(unit_not_found());
    }
    if !actor.may(action, &unit.path) {
        return Err(forbidden(action));
    }
    Ok(())
}

/// Whether the actor takes part in a campaign of this scope: the scope is in the actor's subtree,
/// or one of the actor's units is in the scope.
fn takes_part(actor: &Actor, scope: &UnitRow) -> bool {
    actor.may(Action::Read, &scope.path) || actor.scopes().iter().any(|p| p.starts_with(&scope.path))
}

impl App {
    /// The unit, if the actor may perform `action` on it.
    pub async fn unit(&self, actor: &Actor, unit_id: &str, action: Action) -> Result<UnitRow> {
        let unit = units::get(self.store(), unit_id).await?.ok_or_else(unit_not_found)?;
        check(actor, &unit, action)?;
        Ok(unit)
    }

    /// The campaign and its scope unit, if the actor takes part in it: its scope is in the
    /// actor's subtree, or one of the actor's units is in its scope.
    pub async fn campaign(&self, actor: &Actor, campaign_id: &str) -> Result<(CampaignRow, UnitRow)> {
        let campaign = campaigns::get(self.store(), campaign_id).await?.ok_or_else(campaign_not_found)?;
        let scope = units::get(self.store(), &campaign.scope_unit_id).await?.ok_or_else(campaign_not_found)?;
        if takes_part(actor, &scope) { Ok((campaign, scope)) } else { Err(campaign_not_found()) }
    }

    /// The campaigns the actor takes part in, newest year first, each with its scope unit.
    pub async fn campaigns_for(&self, actor: &Actor) -> Result<Vec<(CampaignRow, UnitRow)>> {
        let list = campaigns::list(self.store()).await?;
        let mut ids: Vec<&str> = list.iter().map(|c| c.scope_unit_id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        // Two queries whatever the number of campaigns: a national database has dozens.
        let scopes: std::collections::HashMap<String, UnitRow> =
            units::get_many(self.store(), &ids).await?.into_iter().map(|u| (u.id.clone(), u)).collect();
        Ok(list
            .into_iter()
            .filter_map(|c| {
                let scope = scopes.get(&c.scope_unit_id).filter(|s| takes_part(actor, s))?.clone();
                Some((c, scope))
            })
            .collect())
    }

    /// A unit of a campaign already checked: readable and inside the scope (not found
    /// otherwise), then allowed `action` (forbidden otherwise).
    pub async fn unit_of(&self, actor: &Actor, scope: &UnitRow, unit_id: &str, action: Action) -> Result<UnitRow> {
        let unit = self.unit(actor, unit_id, Action::Read).await?;
        if !unit.path.starts_with(&scope.path) {
            return Err(Error::NotFound("Đơn vị này không thuộc phạm vi của đợt phát động.".into()));
        }
        check(actor, &unit, action)?;
        Ok(unit)
    }

    /// A campaign and a unit of it the actor may perform `action` on.
    pub async fn scoped(&self, actor: &Actor, campaign_id: &str, unit_id: &str, action: Action) -> Result<Scoped> {
        // The unit first, so an id outside the actor's scope is "not found" whatever the campaign.
        self.unit(actor, unit_id, Action::Read).await?;
        let (campaign, scope) = self.campaign(actor, campaign_id).await?;
        let unit = self.unit_of(actor, &scope, unit_id, action).await?;
        let ruleset = self.ruleset(&campaign).await?;
        Ok(Scoped { campaign, scope, unit, ruleset })
    }
}
