//! Spreadsheet imports (CSV or .xlsx) into a campaign, from a unit's page or the command line:
//! the file read into typed rows (`antt-import`), every record held to the same checks as a
//! record typed on a page ([`crate::facts::check`]), the database's checks (units named,
//! decisions locking them), then — only when nothing at all was found — everything written in
//! one transaction, the checks run again inside it.

use antt_core::access::Action;
use antt_core::fact::Fact;
use antt_import::{Kind, Limits, Parsed};
use antt_store::imports::{self, Outcome, Target};

use crate::facts::{Context, check};
use crate::{Actor, App, Error, Result};

/// A file to import.
#[derive(Debug, Clone)]
pub struct ImportFile {
    /// What it lists, under the campaign's ruleset ([`App::import_kind`]).
    pub kind: Kind,
    pub file_name: String,
    pub content: Vec<u8>,
    pub limits: Limits,
}

/// Who imports: a signed-in user acting on a unit they may edit, or the operator at the
/// command line (who holds the database itself).
#[derive(Debug, Clone, Copy)]
pub enum Importer<'a> {
    User(&'a Actor),
    CommandLine,
}

/// Where the file goes, once checked.
struct Place {
    campaign_id: String,
    ruleset: std::sync::Arc<antt_core::Ruleset>,
    /// The ruleset's unit types that are part of a commune's territory.
    territorial: Vec<String>,
    calendar: antt_core::calendar::Calendar,
    root_unit_id: String,
    user_id: Option<String>,
}

impl App {
    /// The kind of file `code` names under the campaign's ruleset: a unit type of the ruleset
    /// (a list of those units), `households`, `incidents` or `discipline`.
    pub async fn import_kind(&self, campaign: &antt_store::campaigns::CampaignRow, code: &str) -> Result<Kind> {
        let ruleset = self.ruleset(campaign).await?;
        Kind::parse(code, &ruleset).ok_or_else(|| {
            let known: Vec<String> = Kind::for_ruleset(&ruleset).iter().map(|k| k.code().to_owned()).collect();
            Error::invalid(format!("Không có loại dữ liệu “{code}” trong bộ tiêu chí của đợt phát động (có: {}).", known.join(", ")))
        })
    }

    async fn place(&self, by: Importer<'_>, campaign_id: &str, unit_id: Option<&str>) -> Result<Place> {
        let (campaign, root_unit_id, user_id) = match by {
            Importer::User(actor) => {
                let unit_id = unit_id.ok_or_else(|| Error::invalid("Cần chọn đơn vị nhập dữ liệu."))?;
                let s = self.scoped(actor, campaign_id, unit_id, Action::EditFacts).await?;
                (s.campaign, s.unit.id, Some(actor.user_id.clone()))
            }
            Importer::CommandLine => {
                let campaign = antt_store::campaigns::get(self.store(), campaign_id)
                    .await?
                    .ok_or_else(|| Error::NotFound(format!("Không có đợt phát động mã “{campaign_id}”.")))?;
                let root = unit_id.map_or_else(|| campaign.scope_unit_id.clone(), str::to_owned);
                (campaign, root, None)
            }
        };
        let calendar = self.calendar(&campaign).await?;
        let ruleset = self.ruleset(&campaign).await?;
        let territorial = ruleset.unit_types.iter().filter(|t| t.territorial).map(|t| t.code.clone()).collect();
        Ok(Place { campaign_id: campaign.id, ruleset, territorial, calendar, root_unit_id, user_id })
    }

    /// Reads a file off the async threads.
    async fn parse(&self, ruleset: &antt_core::Ruleset, file: &ImportFile, progress: impl FnMut(usize) + Send + 'static) -> Result<Parsed> {
        let vocabulary = ruleset.vocabulary.clone();
        let file = file.clone();
        let mut progress = progress;
        tokio::task::spawn_blocking(move || {
            antt_import::parse(file.kind.clone(), &file.content, &file.file_name, &vocabulary, &file.limits, &mut progress)
        })
        .await
        .map_err(|e| Error::invalid(format!("Không đọc được tệp: {e}")))
    }

    /// The dry run: the file's problems, its records' and the database's, by row and column;
    /// nothing is written. `progress` hears how many rows were read.
    pub async fn check_import(
        &self,
        by: Importer<'_>,
        campaign_id: &str,
        unit_id: Option<&str>,
        file: &ImportFile,
        progress: impl FnMut(usize) + Send + 'static,
    ) -> Result<Parsed> {
        let place = self.place(by, campaign_id, unit_id).await?;
        let mut parsed = self.parse(&place.ruleset, file, progress).await?;
        // The database's checks too, so one dry run lists every problem (unless the file could
        // not be read at all).
        if parsed.header_row > 0 {
            let check = record_check(&place.ruleset, &place.calendar);
            imports::check(self.store(), target(&place, &file.file_name, &check), &mut parsed).await?;
        }
        Ok(parsed)
    }

    /// Imports a file all or nothing, checking everything again inside the write. `reading`
    /// hears the rows read, `writing` the rows written.
    pub async fn import(
        &self,
        by: Importer<'_>,
        campaign_id: &str,
        unit_id: Option<&str>,
        file: &ImportFile,
        reading: impl FnMut(usize) + Send + 'static,
        writing: &mut (dyn FnMut(usize, usize) + Send),
    ) -> Result<Outcome> {
        let place = self.place(by, campaign_id, unit_id).await?;
        let parsed = self.parse(&place.ruleset, file, reading).await?;
        let total = parsed.records.len();
        writing(0, total);
        let check = record_check(&place.ruleset, &place.calendar);
        Ok(imports::import(self.store(), target(&place, &file.file_name, &check), &parsed, &mut |done| writing(done, total)).await?)
    }
}

type Check<'a> = Box<dyn Fn(&Fact, &str) -> Vec<(String, String)> + Send + Sync + 'a>;

/// The page's checks of a record, for a unit of the given type.
fn record_check<'a>(ruleset: &'a antt_core::Ruleset, calendar: &'a antt_core::calendar::Calendar) -> Check<'a> {
    Box::new(move |fact: &Fact, unit_type: &str| match check(fact.clone(), &Context::new(ruleset, calendar, unit_type)) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.0.into_iter().collect(),
    })
}

fn target<'a>(place: &'a Place, file_name: &'a str, check: &'a Check<'_>) -> Target<'a> {
    Target {
        campaign_id: &place.campaign_id,
        root_unit_id: &place.root_unit_id,
        user_id: place.user_id.as_deref(),
        file_name,
        check: check.as_ref(),
        territorial_types: &place.territorial,
    }
}
