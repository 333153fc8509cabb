//! Inspection teams of a campaign: their members (a leader, "trưởng đoàn", and members) and the
//! units assigned to them — a member of a team assigned to a unit is that unit's inspector. Also
//! the progress queries the worklist and the dashboard read: which units have self-scores and
//! reviewed scores, which registrations were returned, the units of a subtree.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use crate::audit::{self, Change};
use crate::{Result, Store, StoreError, Tx, date_text, new_id, parse_date};

/// Role code of a team leader.
pub const LEADER: &str = "truong_doan";
/// Role code of a team member.
pub const MEMBER: &str = "thanh_vien";

/// The Vietnamese name of a member role.
pub fn role_name(code: &str) -> &'static str {
    match code {
        LEADER => "Trưởng đoàn",
        _ => "Thành viên",
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Team {
    pub id: String,
    pub campaign_id: String,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub version: i64,
    /// Leader first, then by name.
    pub members: Vec<Member>,
    /// By path, so units of one commune stay together.
    pub units: Vec<Assigned>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub user_id: String,
    pub username: String,
    pub full_name: String,
    pub role: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Assigned {
    pub unit_id: String,
    pub name: String,
    pub unit_type: String,
    pub path: String,
}

/// A team to create or the new values of one.
#[derive(Debug, Clone)]
pub struct TeamInput<'a> {
    pub name: &'a str,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// Who changes a campaign's teams, and the unit the change is recorded against in the audit log
/// (the campaign's scope unit, so readers of that subtree see it).
#[derive(Debug, Clone, Copy)]
pub struct By<'a> {
    pub user_id: &'a str,
    pub campaign_id: &'a str,
    pub scope_unit_id: &'a str,
}

fn check_input(t: &TeamInput<'_>) -> Result<()> {
    if t.name.trim().is_empty() {
        return Err(StoreError::Invalid("tên đoàn kiểm tra không được để trống".into()));
    }
    if t.ends_on < t.starts_on {
        return Err(StoreError::Invalid("ngày kết thúc phải sau ngày bắt đầu".into()));
    }
    Ok(())
}

fn team_json(t: &TeamInput<'_>) -> serde_json::Value {
    serde_json::json!({ "name": t.name.trim(), "starts_on": date_text(t.starts_on), "ends_on": date_text(t.ends_on) })
}

/// Creates a team and returns its id.
pub async fn create_team(tx: &mut Tx<'_>, by: By<'_>, t: &TeamInput<'_>) -> Result<String> {
    check_input(t)?;
    let id = new_id();
    sqlx::query("INSERT INTO inspection_teams (id, campaign_id, name, starts_on, ends_on) VALUES ($1, $2, $3, $4, $5)")
        .bind(&id)
        .bind(by.campaign_id)
        .bind(t.name.trim())
        .bind(date_text(t.starts_on))
        .bind(date_text(t.ends_on))
        .execute(&mut **tx)
        .await?;
    let change = Change {
        user_id: Some(by.user_id),
        action: "create",
        entity: "inspection_teams",
        entity_id: &id,
        unit_id: Some(by.scope_unit_id),
        campaign_id: Some(by.campaign_id),
    };
    audit::record(tx, change, None, Some(&team_json(t))).await?;
    Ok(id)
}

/// Changes a team's name and dates if nobody changed them since `expected_version` was read.
pub async fn update_team(tx: &mut Tx<'_>, by: By<'_>, team_id: &str, expected_version: i64, t: &TeamInput<'_>) -> Result<()> {
    check_input(t)?;
    let before = sqlx::query("SELECT name, starts_on, ends_on, version FROM inspection_teams WHERE id = $1 AND campaign_id = $2")
        .bind(team_id)
        .bind(by.campaign_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::NotFound("đoàn kiểm tra".into()))?;
    if before.try_get::<i64, _>("version")? != expected_version {
        return Err(StoreError::Conflict);
    }
    let before_json = serde_json::json!({
        "name": before.try_get::<String, _>("name")?,
        "starts_on": before.try_get::<String, _>("starts_on")?,
        "ends_on": before.try_get::<String, _>("ends_on")?,
    });
    let done = sqlx::query(
        "UPDATE inspection_teams SET name = $1, starts_on = $2, ends_on = $3, version = version + 1 WHERE id = $4 AND version = $5",
    )
    .bind(t.name.trim())
    .bind(date_text(t.starts_on))
    .bind(date_text(t.ends_on))
    .bind(team_id)
    .bind(expected_version)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    let change = Change {
        user_id: Some(by.user_id),
        action: "update",
        entity: "inspection_teams",
        entity_id: team_id,
        unit_id: Some(by.scope_unit_id),
        campaign_id: Some(by.campaign_id),
    };
    audit::record(tx, change, Some(&before_json), Some(&team_json(t))).await
}

async fn team_exists(tx: &mut Tx<'_>, campaign_id: &str, team_id: &str) -> Result<()> {
    sqlx::query("SELECT id FROM inspection_teams WHERE id = $1 AND campaign_id = $2")
        .bind(team_id)
        .bind(campaign_id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|_| ())
        .ok_or_else(|| StoreError::NotFound("đoàn kiểm tra".into()))
}

/// Adds a user to a team with a role, or changes the role of a member. A team has one leader:
/// naming a new leader makes the previous one a member.
pub async fn add_member(tx: &mut Tx<'_>, by: By<'_>, team_id: &str, user_id: &str, role: &str) -> Result<()> {
    if role != LEADER && role != MEMBER {
        return Err(StoreError::Invalid(format!("vai trò `{role}` không hợp lệ")));
    }
    team_exists(tx, by.campaign_id, team_id).await?;
    let before = sqlx::query("SELECT role FROM inspection_team_members WHERE team_id = $1 AND user_id = $2")
        .bind(team_id)
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.try_get::<String, _>("role"))
        .transpose()?;
    if role == LEADER {
        sqlx::query("UPDATE inspection_team_members SET role = $1 WHERE team_id = $2 AND role = $3")
            .bind(MEMBER)
            .bind(team_id)
            .bind(LEADER)
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query("DELETE FROM inspection_team_members WHERE team_id = $1 AND user_id = $2")
        .bind(team_id)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO inspection_team_members (team_id, user_id, role) VALUES ($1, $2, $3)")
        .bind(team_id)
        .bind(user_id)
        .bind(role)
        .execute(&mut **tx)
        .await?;
    let change = Change {
        user_id: Some(by.user_id),
        action: "add_member",
        entity: "inspection_teams",
        entity_id: team_id,
        unit_id: Some(by.scope_unit_id),
        campaign_id: Some(by.campaign_id),
    };
    let before = before.map(|r| serde_json::json!({ "user_id": user_id, "role": r }));
    audit::record(tx, change, before.as_ref(), Some(&serde_json::json!({ "user_id": user_id, "role": role }))).await
}

/// Removes a member from a team.
pub async fn remove_member(tx: &mut Tx<'_>, by: By<'_>, team_id: &str, user_id: &str) -> Result<()> {
    team_exists(tx, by.campaign_id, team_id).await?;
    let done = sqlx::query("DELETE FROM inspection_team_members WHERE team_id = $1 AND user_id = $2")
        .bind(team_id)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound("thành viên đoàn".into()));
    }
    let change = Change {
        user_id: Some(by.user_id),
        action: "remove_member",
        entity: "inspection_teams",
        entity_id: team_id,
        unit_id: Some(by.scope_unit_id),
        campaign_id: Some(by.campaign_id),
    };
    audit::record(tx, change, Some(&serde_json::json!({ "user_id": user_id })), None).await
}

/// Assigns a unit to a team (nothing changes when it already is).
pub async fn assign(tx: &mut Tx<'_>, by: By<'_>, team_id: &str, unit_id: &str) -> Result<()> {
    team_exists(tx, by.campaign_id, team_id).await?;
    let done = sqlx::query("INSERT INTO inspection_assignments (team_id, unit_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(team_id)
        .bind(unit_id)
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 0 {
        return Ok(());
    }
    let change = Change {
        user_id: Some(by.user_id),
        action: "assign",
        entity: "inspection_teams",
        entity_id: team_id,
        unit_id: Some(unit_id),
        campaign_id: Some(by.campaign_id),
    };
    audit::record(tx, change, None, Some(&serde_json::json!({ "unit_id": unit_id }))).await
}

/// Takes a unit off a team's list.
pub async fn unassign(tx: &mut Tx<'_>, by: By<'_>, team_id: &str, unit_id: &str) -> Result<()> {
    team_exists(tx, by.campaign_id, team_id).await?;
    let done = sqlx::query("DELETE FROM inspection_assignments WHERE team_id = $1 AND unit_id = $2")
        .bind(team_id)
        .bind(unit_id)
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound("đơn vị được phân công".into()));
    }
    let change = Change {
        user_id: Some(by.user_id),
        action: "unassign",
        entity: "inspection_teams",
        entity_id: team_id,
        unit_id: Some(unit_id),
        campaign_id: Some(by.campaign_id),
    };
    audit::record(tx, change, Some(&serde_json::json!({ "unit_id": unit_id })), None).await
}

/// Every team of a campaign with its members and units, by start date then name.
pub async fn teams(store: &Store, campaign_id: &str) -> Result<Vec<Team>> {
    let rows = sqlx::query("SELECT id, campaign_id, name, starts_on, ends_on, version FROM inspection_teams WHERE campaign_id = $1")
        .bind(campaign_id)
        .fetch_all(store.pool())
        .await?;
    let mut teams = Vec::with_capacity(rows.len());
    let mut index = HashMap::new();
    for r in &rows {
        let id: String = r.try_get("id")?;
        index.insert(id.clone(), teams.len());
        teams.push(Team {
            id,
            campaign_id: r.try_get("campaign_id")?,
            name: r.try_get("name")?,
            starts_on: parse_date(&r.try_get::<String, _>("starts_on")?)?,
            ends_on: parse_date(&r.try_get::<String, _>("ends_on")?)?,
            version: r.try_get("version")?,
            members: Vec::new(),
            units: Vec::new(),
        });
    }
    let members = sqlx::query(
        "SELECT m.team_id, m.user_id, m.role, u.username, u.full_name FROM inspection_team_members m \
         JOIN inspection_teams t ON t.id = m.team_id JOIN users u ON u.id = m.user_id WHERE t.campaign_id = $1",
    )
    .bind(campaign_id)
    .fetch_all(store.pool())
    .await?;
    for r in &members {
        if let Some(&i) = index.get(&r.try_get::<String, _>("team_id")?) {
            teams[i].members.push(Member {
                user_id: r.try_get("user_id")?,
                username: r.try_get("username")?,
                full_name: r.try_get("full_name")?,
                role: r.try_get("role")?,
            });
        }
    }
    let units = sqlx::query(
        "SELECT a.team_id, a.unit_id, u.name, u.unit_type, u.path FROM inspection_assignments a \
         JOIN inspection_teams t ON t.id = a.team_id JOIN units u ON u.id = a.unit_id WHERE t.campaign_id = $1 ORDER BY u.path",
    )
    .bind(campaign_id)
    .fetch_all(store.pool())
    .await?;
    for r in &units {
        if let Some(&i) = index.get(&r.try_get::<String, _>("team_id")?) {
            teams[i].units.push(Assigned {
                unit_id: r.try_get("unit_id")?,
                name: r.try_get("name")?,
                unit_type: r.try_get("unit_type")?,
                path: r.try_get("path")?,
            });
        }
    }
    for t in &mut teams {
        t.members.sort_by_cached_key(|m| (m.role != LEADER, antt_core::text::sort_key(&m.full_name)));
    }
    teams.sort_by_cached_key(|t| (t.starts_on, antt_core::text::sort_key(&t.name)));
    Ok(teams)
}

/// One team of a campaign.
pub async fn team(store: &Store, campaign_id: &str, team_id: &str) -> Result<Option<Team>> {
    Ok(teams(store, campaign_id).await?.into_iter().find(|t| t.id == team_id))
}

/// Whether the user is, at this moment of the transaction, a member of a team of the campaign
/// that is assigned to the unit. On PostgreSQL the membership and assignment rows read are held
/// until the transaction ends, so taking the member off or the unit off the team waits for it.
pub async fn is_inspector_in(tx: &mut Tx<'_>, campaign_id: &str, unit_id: &str, user_id: &str) -> Result<bool> {
    let hold = if crate::locks::is_postgres(tx) { " FOR SHARE OF m, a" } else { "" };
    let sql = format!(
        "SELECT m.team_id FROM inspection_team_members m JOIN inspection_assignments a ON a.team_id = m.team_id \
         JOIN inspection_teams t ON t.id = m.team_id WHERE t.campaign_id = $1 AND a.unit_id = $2 AND m.user_id = $3{hold}"
    );
    let row = sqlx::query(crate::trusted(&sql)).bind(campaign_id).bind(unit_id).bind(user_id).fetch_optional(&mut **tx).await?;
    Ok(row.is_some())
}

/// The units the user inspects in a campaign (through any of their teams).
pub async fn assigned_to(store: &Store, campaign_id: &str, user_id: &str) -> Result<HashSet<String>> {
    let rows = sqlx::query(
        "SELECT DISTINCT a.unit_id FROM inspection_team_members m JOIN inspection_assignments a ON a.team_id = m.team_id \
         JOIN inspection_teams t ON t.id = m.team_id WHERE t.campaign_id = $1 AND m.user_id = $2",
    )
    .bind(campaign_id)
    .bind(user_id)
    .fetch_all(store.pool())
    .await?;
    rows.iter().map(|r| Ok(r.try_get("unit_id")?)).collect()
}

/// A user as team forms show them.
#[derive(Debug, Clone, Serialize)]
pub struct UserBrief {
    pub id: String,
    pub username: String,
    pub full_name: String,
}

/// The active user with this user name (case-insensitive).
pub async fn find_user(store: &Store, username: &str) -> Result<Option<UserBrief>> {
    let row = sqlx::query("SELECT id, username, full_name FROM users WHERE username = $1 AND disabled = 0")
        .bind(username.trim().to_lowercase())
        .fetch_optional(store.pool())
        .await?;
    row.map(|r| Ok(UserBrief { id: r.try_get("id")?, username: r.try_get("username")?, full_name: r.try_get("full_name")? })).transpose()
}

// --- Progress --------------------------------------------------------------------------------

/// A unit as lists of a subtree need it.
#[derive(Debug, Clone, Serialize)]
pub struct UnitBrief {
    pub id: String,
    pub name: String,
    pub unit_type: String,
    pub parent_id: Option<String>,
    pub path: String,
}

/// Every unit under `path` (included), by path.
pub async fn units_under(store: &Store, path: &str) -> Result<Vec<UnitBrief>> {
    let (from, to) = crate::subtree(path);
    let rows = sqlx::query("SELECT id, name, unit_type, parent_id, path FROM units WHERE path >= $1 AND path < $2 ORDER BY path")
        .bind(from)
        .bind(to)
        .fetch_all(store.pool())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(UnitBrief {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                unit_type: r.try_get("unit_type")?,
                parent_id: r.try_get("parent_id")?,
                path: r.try_get("path")?,
            })
        })
        .collect()
}

/// Which scores a unit has in a campaign.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Scored {
    pub unit_id: String,
    pub path: String,
    pub unit_type: String,
    /// The unit scored itself.
    pub self_assessed: bool,
    /// The inspection team scored it.
    pub reviewed: bool,
}

/// The units under `path` with any self-score or reviewed score in the campaign, by path.
pub async fn scored(store: &Store, campaign_id: &str, path: &str) -> Result<Vec<Scored>> {
    let (from, to) = crate::subtree(path);
    let sql = "SELECT DISTINCT s.unit_id, s.source, u.path, u.unit_type FROM scores s JOIN units u ON u.id = s.unit_id \
               WHERE s.campaign_id = $1 AND u.path >= $2 AND u.path < $3";
    let rows = sqlx::query(sql).bind(campaign_id).bind(from).bind(to).fetch_all(store.pool()).await?;
    scored_from(&rows)
}

/// Which of these units have scores in the campaign, by path.
pub async fn scored_among(store: &Store, campaign_id: &str, unit_ids: &[&str]) -> Result<Vec<Scored>> {
    let sql = format!(
        "SELECT DISTINCT s.unit_id, s.source, u.path, u.unit_type FROM scores s JOIN units u ON u.id = s.unit_id \
         WHERE s.campaign_id = $1 AND s.unit_id IN ({})",
        crate::locks::json_ids_in(store, 2)
    );
    let rows = sqlx::query(crate::trusted(&sql)).bind(campaign_id).bind(crate::locks::ids_json(unit_ids)).fetch_all(store.pool()).await?;
    scored_from(&rows)
}

fn scored_from(rows: &[sqlx::any::AnyRow]) -> Result<Vec<Scored>> {
    let mut by_unit: HashMap<String, Scored> = HashMap::new();
    for r in rows {
        let unit_id: String = r.try_get("unit_id")?;
        let (path, unit_type): (String, String) = (r.try_get("path")?, r.try_get("unit_type")?);
        let entry =
            by_unit.entry(unit_id.clone()).or_insert_with(|| Scored { unit_id, path, unit_type, self_assessed: false, reviewed: false });
        if r.try_get::<String, _>("source")? == "reviewed" {
            entry.reviewed = true;
        } else {
            entry.self_assessed = true;
        }
    }
    let mut out: Vec<Scored> = by_unit.into_values().collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// A registration's state as the worklist needs it.
#[derive(Debug, Clone, Serialize)]
pub struct RegistrationState {
    pub unit_id: String,
    pub status: String,
    pub submitted: bool,
    pub returned_reason: Option<String>,
}

/// The registrations of units under `path` in the campaign, by unit id.
pub async fn registrations_under(store: &Store, campaign_id: &str, path: &str) -> Result<HashMap<String, RegistrationState>> {
    let rows = sqlx::query(
        "SELECT r.unit_id, r.status, r.submitted_at, r.returned_reason FROM registrations r JOIN units u ON u.id = r.unit_id \
         WHERE r.campaign_id = $1 AND u.path >= $2 AND u.path < $3",
    )
    .bind(campaign_id)
    .bind(crate::subtree(path).0)
    .bind(crate::subtree(path).1)
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let unit_id: String = r.try_get("unit_id")?;
            let state = RegistrationState {
                unit_id: unit_id.clone(),
                status: r.try_get("status")?,
                submitted: r.try_get::<Option<String>, _>("submitted_at")?.is_some(),
                returned_reason: r.try_get("returned_reason")?,
            };
            Ok((unit_id, state))
        })
        .collect()
}
