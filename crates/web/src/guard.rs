//! The one place that decides whether a user may act on a unit: a grant covers its unit's
//! subtree. A unit the user may not even read answers 404, so ids outside one's scope reveal
//! nothing.

use antt_core::access::{Action, permits};
use antt_store::units::{self, UnitRow};

use crate::auth::CurrentUser;
use crate::{AppError, AppState};

/// The unit, if the user may perform `action` on it.
pub async fn unit(state: &AppState, user: &CurrentUser, unit_id: &str, action: Action) -> Result<UnitRow, AppError> {
    let unit = units::get(&state.store, unit_id).await?.ok_or(AppError::NotFound)?;
    check(user, &unit, action)?;
    Ok(unit)
}

/// Checks an action on a unit already loaded.
pub fn check(user: &CurrentUser, unit: &UnitRow, action: Action) -> Result<(), AppError> {
    if !permits(&user.user.grants, Action::Read, &unit.path) {
        return Err(AppError::NotFound);
    }
    if !permits(&user.user.grants, action, &unit.path) {
        return Err(AppError::Forbidden(action.name()));
    }
    Ok(())
}

/// Whether the user may perform `action` on the unit (for showing or hiding buttons).
pub fn may(user: &CurrentUser, unit: &UnitRow, action: Action) -> bool {
    permits(&user.user.grants, action, &unit.path)
}

/// The paths of the subtrees the user can read: the roots of their scope.
pub fn scopes(user: &CurrentUser) -> Vec<&str> {
    let mut paths: Vec<&str> = user.user.grants.iter().map(|g| g.unit_path.as_str()).collect();
    paths.sort_unstable();
    paths.dedup();
    // A grant inside another grant's subtree adds nothing.
    let all = paths.clone();
    paths.retain(|p| !all.iter().any(|q| q != p && p.starts_with(q)));
    paths
}
