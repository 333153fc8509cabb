//! Downloads of the official documents (PDF, Word, Excel): the campaign's summary for a subtree,
//! a unit's results report and certificate, and an issued decision with its annex. Access is
//! checked through `guard` as on the pages these hang off; PDF layout runs off the async threads.

use antt_core::access::Action;
use antt_docs::{Document, Format};
use antt_store::decisions::{self, RECOGNISED};
use antt_store::units::{self, UnitRow};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::pages::dashboard::{campaign, campaign_scope, default_unit, unit_in};
use crate::{AppError, AppState, documents, guard, results};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/c/{cid}/documents/{file}", get(summary))
        .route("/c/{cid}/units/{uid}/documents/{file}", get(unit_document))
        .route("/c/{cid}/decisions/{did}/{file}", get(decision))
}

/// `name.ext` → the format, when `name` is the expected one and the document comes in it.
fn format_of(file: &str, name: &str, formats: &[Format]) -> Result<Format, AppError> {
    let (stem, ext) = file.rsplit_once('.').ok_or(AppError::NotFound)?;
    let format = Format::parse(ext).filter(|f| stem == name && formats.contains(f)).ok_or(AppError::NotFound)?;
    Ok(format)
}

const ALL: [Format; 3] = [Format::Pdf, Format::Docx, Format::Xlsx];
const TEXT: [Format; 2] = [Format::Pdf, Format::Docx];

/// `%`-encodes a UTF-8 file name for `filename*` (RFC 5987).
fn rfc5987(name: &str) -> String {
    name.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// The document as an attachment, laid out on a blocking thread.
async fn download(doc: Document, format: Format) -> Result<Response, AppError> {
    let ext = format.extension();
    let ascii = format!("{}.{ext}", antt_docs::documents::file_stem(&doc.file_title));
    let full = format!("{}.{ext}", doc.file_title);
    let bytes = tokio::task::spawn_blocking(move || antt_docs::render(&doc, format))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", rfc5987(&full));
    Ok(([(header::CONTENT_TYPE, format.content_type().to_owned()), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response())
}

#[derive(Debug, Deserialize)]
pub struct SummaryQuery {
    #[serde(default)]
    unit: Option<String>,
}

async fn summary(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((cid, file)): Path<(String, String)>,
    Query(q): Query<SummaryQuery>,
) -> Result<Response, AppError> {
    let format = format_of(&file, "summary", &ALL)?;
    let c = campaign(&state, &cid).await?;
    let scope = campaign_scope(&state, &user, &c).await?;
    let unit_id = q.unit.unwrap_or_else(|| default_unit(&user, &scope));
    let root = unit_in(&state, &user, &scope, &unit_id, Action::Read).await?;
    let computed = results::of(&state, &c.id).await?;
    let under = units::search(&state.store, &root.path, "", None, 1, u32::MAX).await?.items;
    let doc = documents::summary(&computed, state.ruleset(&c.ruleset)?, &root, &under);
    download(doc, format).await
}

async fn unit_document(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((cid, uid, file)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let c = campaign(&state, &cid).await?;
    let scope = campaign_scope(&state, &user, &c).await?;
    let unit = unit_in(&state, &user, &scope, &uid, Action::Read).await?;
    let ancestors = units::ancestors(&state.store, &unit).await?;
    let doc = if let Ok(format) = format_of(&file, "report", &TEXT) {
        let computed = results::of(&state, &c.id).await?;
        let report = computed.reports.get(&unit.id).ok_or(AppError::NotFound)?;
        (documents::unit_report(c.year, report, &unit, ancestors.last()), format)
    } else {
        let format = format_of(&file, "certificate", &TEXT)?;
        let verdict = decisions::verdict(&state.store, &c.id, &unit.id).await?;
        let decision_id = verdict.filter(|v| v.confirmed_outcome == RECOGNISED).and_then(|v| v.decision_id).ok_or(AppError::NotFound)?;
        let decision = decisions::get(&state.store, &c.id, &decision_id).await?.ok_or(AppError::NotFound)?;
        (documents::certificate(c.year, &decision, &unit, &ancestors).ok_or(AppError::NotFound)?, format)
    };
    download(doc.0, doc.1).await
}

async fn decision(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((cid, did, file)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let format = format_of(&file, "document", &ALL)?;
    let c = campaign(&state, &cid).await?;
    campaign_scope(&state, &user, &c).await?;
    let d = decisions::get(&state.store, &c.id, &did).await?.ok_or(AppError::NotFound)?;
    // The document names every unit of the annex: the user must be able to read them all.
    let mut listed: Vec<(UnitRow, Option<UnitRow>)> = Vec::new();
    for u in &d.units {
        let unit = guard::unit(&state, &user, &u.unit_id, Action::Read).await?;
        let parent = match &unit.parent_id {
            Some(p) => units::get(&state.store, p).await?,
            None => None,
        };
        listed.push((unit, parent));
    }
    // The issuing People's Committee: the nearest unit above every listed unit.
    let parent_paths: Vec<&str> = listed.iter().map(|(u, p)| p.as_ref().map_or(u.path.as_str(), |p| p.path.as_str())).collect();
    let issuing_id = common_ancestor(&parent_paths).ok_or(AppError::NotFound)?;
    let issuing = units::get(&state.store, &issuing_id).await?.ok_or(AppError::NotFound)?;
    let computed = results::of(&state, &c.id).await?;
    let doc = documents::decision(&computed, state.ruleset(&c.ruleset)?, &d, &issuing, &listed);
    download(doc, format).await
}

/// The id of the deepest unit whose materialised path starts every path ('/86/857/' …).
fn common_ancestor(paths: &[&str]) -> Option<String> {
    let split = |p: &str| p.trim_matches('/').split('/').map(str::to_owned).collect::<Vec<_>>();
    let mut common = split(paths.first()?);
    for p in &paths[1..] {
        let other = split(p);
        let same = common.iter().zip(&other).take_while(|(a, b)| a == b).count();
        common.truncate(same);
    }
    common.pop()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issuer_is_the_nearest_common_unit() {
        assert_eq!(common_ancestor(&["/86/857/29578/", "/86/857/29584/"]).as_deref(), Some("857"));
        assert_eq!(common_ancestor(&["/86/857/29578/"]).as_deref(), Some("29578"));
        assert_eq!(rfc5987("Quyết định.pdf"), "Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh.pdf");
    }
}
