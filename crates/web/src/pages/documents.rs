//! Downloads of the official documents (PDF, Word, Excel): the campaign's summary for a subtree;
//! a unit's registration, self-scoring table, results report and certificate; the minutes of a
//! review meeting and the request for recognition of the units reviewed; and an issued decision
//! with its annex. Access is checked through `antt_app` as on the pages these hang off; PDF layout
//! runs off the async threads.

use antt_core::access::Action;
use antt_docs::{Document, Format};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use antt_app::documents;

use crate::auth::CurrentUser;
use crate::pages::dashboard::{campaign, default_unit, unit_in};
use crate::pages::units::in_campaign;
use crate::{AppError, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/c/{cid}/documents/{file}", get(summary))
        .route("/c/{cid}/units/{uid}/documents/{file}", get(unit_document))
        .route("/c/{cid}/review/documents/{file}", get(review_document))
        .route("/c/{cid}/decisions/{did}/{file}", get(decision))
}

/// `name.ext` → the document's name and format, when `offered` has that name in that format.
fn format_of<'a>(file: &str, offered: &[(&'a str, &[Format])]) -> Result<(&'a str, Format), AppError> {
    let (stem, ext) = file.rsplit_once('.').ok_or(AppError::NotFound)?;
    let format = Format::parse(ext).ok_or(AppError::NotFound)?;
    offered
        .iter()
        .find(|(name, formats)| *name == stem && formats.contains(&format))
        .map(|(name, _)| (*name, format))
        .ok_or(AppError::NotFound)
}

const ALL: &[Format] = &[Format::Pdf, Format::Docx, Format::Xlsx];
const TEXT: &[Format] = &[Format::Pdf, Format::Docx];

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
pub struct UnitQuery {
    #[serde(default)]
    unit: Option<String>,
    /// The review minutes to download (the latest when absent).
    #[serde(default)]
    minutes: Option<String>,
}

async fn summary(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((cid, file)): Path<(String, String)>,
    Query(q): Query<UnitQuery>,
) -> Result<Response, AppError> {
    let (_, format) = format_of(&file, &[("summary", ALL)])?;
    let (c, scope) = campaign(&state, &user, &cid).await?;
    let unit_id = q.unit.unwrap_or_else(|| default_unit(&user, &scope));
    let root = unit_in(&state, &user, &scope, &unit_id, Action::Read).await?;
    download(documents::summary(&state.app, &c, &root).await?, format).await
}

/// A unit's own documents, readable by whoever may read the unit's campaign page.
async fn unit_document(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((cid, uid, file)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let (name, format) = format_of(&file, &[("registration", TEXT), ("self-scoring", ALL), ("report", TEXT), ("certificate", TEXT)])?;
    let (c, unit) = in_campaign(&state, &user, &cid, &uid, Action::Read).await?;
    let doc = match name {
        "registration" => documents::registration(&state.app, &c, &unit).await?,
        "self-scoring" => documents::self_scoring(&state.app, &c, &unit).await?,
        "report" => documents::unit_report(&state.app, &c, &unit).await?,
        _ => documents::certificate(&state.app, &c, &unit).await?,
    };
    download(doc, format).await
}

/// The review's documents, for whoever may review at the unit (as its review page).
async fn review_document(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((cid, file)): Path<(String, String)>,
    Query(q): Query<UnitQuery>,
) -> Result<Response, AppError> {
    let (name, format) = format_of(&file, &[("minutes", TEXT), ("request", TEXT)])?;
    let (c, scope) = campaign(&state, &user, &cid).await?;
    let unit_id = q.unit.filter(|u| !u.is_empty()).unwrap_or_else(|| default_unit(&user, &scope));
    let unit = unit_in(&state, &user, &scope, &unit_id, Action::Review).await?;
    let doc = match name {
        "minutes" => documents::review_minutes(&state.app, &c, &unit, q.minutes.as_deref()).await?,
        _ => documents::request(&state.app, &c, &unit).await?,
    };
    download(doc, format).await
}

async fn decision(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((cid, did, file)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let (_, format) = format_of(&file, &[("document", ALL)])?;
    let (c, d) = state.app.decision(&user.actor, &cid, &did).await?;
    // The document names every unit of the annex: the user must be able to read them all.
    if !d.units.iter().all(|u| user.actor.may(Action::Read, &u.path)) {
        return Err(AppError::NotFound);
    }
    download(documents::decision(&state.app, &c, &d).await?, format).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_pick_a_document_in_a_format_it_comes_in() {
        assert_eq!(rfc5987("Quyết định.pdf"), "Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh.pdf");
        let offered: &[(&str, &[Format])] = &[("report", TEXT), ("self-scoring", ALL)];
        assert_eq!(format_of("self-scoring.xlsx", offered).ok(), Some(("self-scoring", Format::Xlsx)));
        assert_eq!(format_of("report.docx", offered).ok(), Some(("report", Format::Docx)));
        assert!(format_of("report.xlsx", offered).is_err());
        assert!(format_of("other.pdf", offered).is_err());
        assert!(format_of("report", offered).is_err());
    }
}
