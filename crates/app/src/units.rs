//! The units a commune keeps itself — residential areas, agencies, schools, places of worship —
//! created, renamed, moved to another commune or retired, one at a time, from the commune's page
//! or the API. The same checks as a row of an imported list of units: the name and code read by
//! `antt_core::input`, the name unique among the commune's units of its type and the code among
//! all units (`antt_store::units::placement_problems`). Whoever may edit the facts of a commune
//! (its steering committee, the district's, the province's standing office) may change the units
//! under it; a unit's head may not change their own unit.

use antt_core::UnitId;
use antt_core::access::Action;
use antt_core::input::{Lines, clean, limits};
use antt_store::units::{self, Edit, NewUnit, Parent, UnitRow};

use crate::{Actor, App, Error, FieldErrors, Result};

/// What is done to a unit.
#[derive(Debug, Clone)]
pub enum UnitChange {
    /// A new unit under the commune `parent_id`: `code` may be left blank (a code is given).
    Create { parent_id: String, unit_type: String, name: String, code: String },
    /// A new name, and the commune it belongs to, by name or code as typed (blank: the same).
    Change { unit_id: String, version: i64, name: String, parent: String },
    /// The unit no longer exists from today (dissolved, merged): it stays in past campaigns.
    Retire { unit_id: String, version: i64 },
}

/// The unit types that may be kept under a commune: the campaign's ruleset's, but for the
/// administrative ones.
pub fn keepable_types(ruleset: &antt_core::Ruleset) -> Vec<(String, String)> {
    ruleset.unit_types.iter().filter(|t| t.code != "commune").map(|t| (t.code.clone(), t.name.clone())).collect()
}

fn administrative(unit_type: &str) -> bool {
    matches!(unit_type, "province" | "district" | "commune")
}

impl App {
    /// Creates, changes or retires one unit of a commune, in the campaign (whose ruleset names
    /// the unit types), audited; the checks run inside the write's transaction, the parents'
    /// rows held; the campaign's revision moves, so its results follow.
    pub async fn change_unit(&self, actor: &Actor, campaign_id: &str, change: &UnitChange) -> Result<UnitRow> {
        let (campaign, scope) = self.campaign(actor, campaign_id).await?;
        let ruleset = self.ruleset(&campaign).await?;
        let ruleset = &*ruleset;
        let mut errors = FieldErrors::default();
        // Who may do it is read first; the rows are then held and read again in the write.
        let done = match change {
            UnitChange::Create { parent_id, unit_type, name, code } => {
                let parent = self.unit_of(actor, &scope, parent_id, Action::EditFacts).await?;
                if parent.unit_type != "commune" {
                    return Err(Error::invalid(format!(
                        "{} không phải xã, phường, thị trấn: chỉ xã mới có đơn vị trực thuộc.",
                        parent.name
                    )));
                }
                if !keepable_types(ruleset).iter().any(|(c, _)| c == unit_type) {
                    errors.add("unit_type", "Cần chọn loại đơn vị.");
                }
                let name = read_name(&mut errors, name);
                let code = match code.trim() {
                    "" => None,
                    c => UnitId::parse(c).map_err(|m| errors.add("code", m)).ok().map(|id| id.0),
                };
                let mut tx = self.store().begin().await?;
                let parent = units::get_held(&mut tx, &parent.id).await?.ok_or_else(|| Error::not_found("đơn vị này"))?;
                if let Some(name) = &name {
                    let placed = Parent { id: &parent.id, name: &parent.name };
                    for (field, message) in units::placement_problems(&mut tx, placed, unit_type, name, code.as_deref(), None).await? {
                        errors.add(field, capitalised(&message));
                    }
                }
                let (Some(name), true) = (name, errors.is_empty()) else { return Err(Error::fields(errors)) };
                let new = NewUnit {
                    id: code.clone().unwrap_or_else(antt_store::new_id),
                    name,
                    unit_type: unit_type.clone(),
                    parent_id: Some(parent.id.clone()),
                    official_code: code,
                    ..NewUnit::default()
                };
                let created = units::create(&mut tx, Some(&actor.user_id), &new, &parent).await?;
                // Every campaign holding it takes it in, like a unit an import creates.
                antt_store::locks::touch_units(&mut tx, &[&created.path], &[&created.id]).await?;
                (tx, created)
            }
            UnitChange::Change { unit_id, version, name, parent } => {
                let (unit, current) = self.kept_unit(actor, &scope, unit_id).await?;
                let new_parent = match parent.trim() {
                    "" => Some(current),
                    written => self.commune_named(actor, &scope, &current, written).await.map_err(|m| errors.add("parent", m)).ok(),
                };
                let name = read_name(&mut errors, name);
                let mut tx = self.store().begin().await?;
                let held = match &new_parent {
                    Some(p) => Some(units::get_held(&mut tx, &p.id).await?.ok_or_else(|| Error::not_found("đơn vị cấp trên"))?),
                    None => None,
                };
                let unit = units::get_held(&mut tx, &unit.id).await?.ok_or_else(|| Error::not_found("đơn vị này"))?;
                if let (Some(name), Some(p)) = (&name, &held) {
                    let placed = Parent { id: &p.id, name: &p.name };
                    let problems = units::placement_problems(&mut tx, placed, &unit.unit_type, name, None, Some(&unit.id)).await?;
                    for (field, message) in problems {
                        errors.add(field, capitalised(&message));
                    }
                }
                let (Some(name), Some(parent), true) = (name, held, errors.is_empty()) else { return Err(Error::fields(errors)) };
                let changed =
                    units::edit(&mut tx, Some(&actor.user_id), &unit, *version, Edit::Change { name: &name, parent: &parent }).await?;
                // Every campaign holding it, where it was or where it went, recomputes its tree.
                antt_store::locks::touch_tree(&mut tx, &[&unit.path, &changed.path]).await?;
                (tx, changed)
            }
            UnitChange::Retire { unit_id, version } => {
                let (unit, _) = self.kept_unit(actor, &scope, unit_id).await?;
                let mut tx = self.store().begin().await?;
                let unit = units::get_held(&mut tx, &unit.id).await?.ok_or_else(|| Error::not_found("đơn vị này"))?;
                if unit.valid_to.is_some() {
                    return Err(Error::invalid(format!("{} đã thôi tồn tại từ trước.", unit.name)));
                }
                if units::current_children(&mut tx, &unit.id).await? > 0 {
                    return Err(Error::invalid(format!(
                        "{} còn đơn vị trực thuộc: hãy chuyển hoặc cho thôi các đơn vị đó trước.",
                        unit.name
                    )));
                }
                let on = crate::today().format("%Y-%m-%d").to_string();
                let retired = units::edit(&mut tx, Some(&actor.user_id), &unit, *version, Edit::Retire { on: &on }).await?;
                // Every campaign holding it recomputes its tree.
                antt_store::locks::touch_tree(&mut tx, &[&retired.path]).await?;
                (tx, retired)
            }
        };
        let (tx, unit) = done;
        antt_store::commit(tx).await?;
        Ok(unit)
    }

    /// A unit a commune keeps (not an administrative one) and its commune, whose facts the
    /// actor may edit.
    async fn kept_unit(&self, actor: &Actor, scope: &UnitRow, unit_id: &str) -> Result<(UnitRow, UnitRow)> {
        let unit = self.unit_of(actor, scope, unit_id, Action::Read).await?;
        if administrative(&unit.unit_type) {
            return Err(Error::invalid(format!(
                "{} là đơn vị hành chính theo danh mục của Tổng cục Thống kê: không đổi ở đây.",
                unit.name
            )));
        }
        let parent_id = unit.parent_id.clone().ok_or_else(|| Error::not_found("đơn vị cấp trên"))?;
        let parent = self.unit_of(actor, scope, &parent_id, Action::EditFacts).await?;
        Ok((unit, parent))
    }

    /// The commune named as a unit's new commune — by code anywhere in the campaign's scope, by
    /// name among the communes of the current one's district — whose facts the actor may edit.
    async fn commune_named(&self, actor: &Actor, scope: &UnitRow, current: &UnitRow, written: &str) -> Result<UnitRow, String> {
        let store = self.store();
        let by_id = units::get(store, written).await.map_err(|e| e.to_string())?;
        let missing = || format!("Không có xã, phường, thị trấn “{written}” trong phạm vi của đợt phát động.");
        let found = match by_id.filter(|u| u.unit_type == "commune" && u.path.starts_with(&scope.path)) {
            Some(u) => u,
            None => {
                let wanted = antt_import::text::key(written);
                let district = current
                    .parent_id
                    .as_deref()
                    .and_then(|_| current.path.trim_end_matches('/').rsplit_once('/'))
                    .map(|(p, _)| format!("{p}/"));
                let within = district.unwrap_or_else(|| scope.path.clone());
                let page = units::search(store, &within, written, Some("commune"), 1, 20).await.map_err(|e| e.to_string())?;
                let mut same: Vec<UnitRow> = page.items.into_iter().filter(|u| antt_import::text::key(&u.name) == wanted).collect();
                match same.len() {
                    1 => same.remove(0),
                    0 => return Err(missing()),
                    n => return Err(format!("Có {n} xã, phường, thị trấn tên “{written}”: hãy ghi mã thay cho tên.")),
                }
            }
        };
        // A commune the actor may not even read is not named back.
        if !actor.may(Action::Read, &found.path) {
            return Err(missing());
        }
        if !actor.may(Action::EditFacts, &found.path) {
            return Err(format!("Bạn không có quyền nhập dữ liệu của {}, nên không chuyển đơn vị sang đó được.", found.name));
        }
        Ok(found)
    }
}

/// A unit's name as kept, or its refusal on the field `name`.
fn read_name(errors: &mut FieldErrors, name: &str) -> Option<String> {
    match clean(name, limits::NAME, Lines::One) {
        Ok(n) if n.is_empty() => {
            errors.add("name", "Cần ghi tên đơn vị.");
            None
        }
        Ok(n) => Some(n),
        Err(m) => {
            errors.add("name", m);
            None
        }
    }
}

/// A message of the import's (lower case, a row's problem) as a field's sentence.
fn capitalised(message: &str) -> String {
    let mut chars = message.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}
