//! Launching a campaign: a committee's yearly plan under one ruleset, for the units of its
//! subtree.

use std::collections::BTreeMap;

use antt_core::access::Action;
use antt_core::calendar::Calendar;
use antt_core::input::{Lines, clean, limits};
use antt_core::{Ruleset, vi};
use antt_store::campaigns::{self, CampaignRow, NewCampaign};

use crate::{Actor, App, Error, FieldErrors, Result};

/// A campaign as typed on the form: dates and the year as written, the ruleset's settings by
/// name (a setting left out takes the ruleset's default).
#[derive(Debug, Clone, Default)]
pub struct LaunchForm {
    pub scope_unit: String,
    pub title: String,
    pub plan_number: String,
    pub plan_date: String,
    pub year: String,
    pub ruleset: String,
    pub settings: BTreeMap<String, String>,
}

/// The years a campaign may be for.
const YEARS: std::ops::RangeInclusive<u32> = 2000..=2100;

impl App {
    /// Launches a campaign at a unit where the actor may manage campaigns. Every field is
    /// checked before anything is written: the plan is dated in the campaign's year or the
    /// year before, within the ruleset's validity, and the ruleset's calendar must work out.
    pub async fn launch_campaign(&self, actor: &Actor, form: &LaunchForm) -> Result<CampaignRow> {
        let mut errors = FieldErrors::default();
        // The scope unit decides whether the actor may do this at all.
        let scope_id = form.scope_unit.trim();
        let scope = if scope_id.is_empty() {
            errors.add("scope_unit", "Cần chọn đơn vị phát động.");
            None
        } else {
            Some(self.unit(actor, scope_id, Action::ManageCampaign).await?)
        };
        let title = match clean(&form.title, limits::TITLE, Lines::One) {
            Ok(t) => errors.required("title", &t),
            Err(m) => {
                errors.add("title", m);
                None
            }
        };
        let plan_number = clean(&form.plan_number, limits::NUMBER, Lines::One).unwrap_or_else(|m| {
            errors.add("plan_number", m);
            String::new()
        });
        let plan_date = errors.date("plan_date", &form.plan_date);
        let year = match errors.count("year", &form.year) {
            Some(y) if YEARS.contains(&y) => i32::try_from(y).ok(),
            Some(_) => {
                errors.add("year", format!("Năm phải trong khoảng {}–{}.", YEARS.start(), YEARS.end()));
                None
            }
            None => None,
        };
        if let (Some(d), Some(y)) = (plan_date, year) {
            let plan_year = chrono::Datelike::year(&d);
            if plan_year != y && plan_year != y - 1 {
                errors.add("plan_date", format!("Ngày ban hành kế hoạch phải thuộc năm {y} hoặc năm {}.", y - 1));
            }
        }
        // A ruleset added at run time starts the campaign at its newest version, kept from now on.
        let offered = self.offered_ruleset(&form.ruleset).await?;
        let ruleset = offered.as_ref().map(|o| o.ruleset.as_ref());
        let mut settings = BTreeMap::new();
        match ruleset {
            None => errors.add("ruleset", "Cần chọn bộ tiêu chí."),
            Some(r) => {
                if let Some(d) = plan_date
                    && (d < r.valid_from || r.valid_to.is_some_and(|to| d > to))
                {
                    errors.add(
                        "plan_date",
                        format!("Bộ tiêu chí “{}” {}; ngày {} nằm ngoài thời gian này.", r.regime, validity(r), vi::date(d)),
                    );
                }
                for (name, s) in &r.settings {
                    let chosen = match form.settings.get(name).map(|v| v.trim()) {
                        None | Some("") => s.default.clone(),
                        Some(v) => v.to_owned(),
                    };
                    if s.allowed.contains(&chosen) {
                        settings.insert(name.clone(), chosen);
                    } else {
                        errors.add(&setting_field(&r.id, name), format!("Giá trị “{chosen}” không được bộ tiêu chí cho phép."));
                    }
                }
            }
        }
        if errors.is_empty()
            && let (Some(r), Some(d), Some(y)) = (ruleset, plan_date, year)
        {
            let core = antt_core::model::Campaign { year: y, plan_number: None, plan_date: d, settings: settings.clone() };
            if let Err(e) = Calendar::new(&r.timeline, r.unit_types.iter().map(|t| &t.code), &core, &r.settings) {
                errors.add("ruleset", format!("Không tính được thời hạn: {e}."));
            }
        }
        let (Some(scope), Some(title), Some(plan_date), Some(year), Some(ruleset), true) =
            (scope, title, plan_date, year, ruleset, errors.is_empty())
        else {
            return Err(Error::fields(errors));
        };
        let new = NewCampaign {
            scope_unit_id: scope.id,
            year,
            plan_number: (!plan_number.is_empty()).then_some(plan_number),
            plan_date,
            ruleset: ruleset.id.clone(),
            ruleset_version: offered.as_ref().and_then(|o| o.stored.as_ref()).map(|s| s.version),
            settings,
            title,
        };
        let mut tx = self.store().begin().await?;
        let row = campaigns::create(&mut tx, Some(&actor.user_id), &new).await?;
        antt_store::commit(tx).await?;
        Ok(row)
    }
}

/// The form field of a ruleset's setting, where its refusal is shown.
pub fn setting_field(ruleset: &str, name: &str) -> String {
    format!("setting.{ruleset}.{name}")
}

/// When a ruleset applies, in words.
pub fn validity(r: &Ruleset) -> String {
    match r.valid_to {
        Some(to) => format!("áp dụng từ {} đến {}", vi::date(r.valid_from), vi::date(to)),
        None => format!("áp dụng từ {}", vi::date(r.valid_from)),
    }
}
