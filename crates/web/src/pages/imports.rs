//! Import of spreadsheets from a unit's page: choose what the file lists, download its template,
//! upload it; the dry run lists every problem by row, column and message, writing nothing; once
//! the file is clean and confirmed, the import runs in the background — all or nothing — and
//! its page shows the progress until it ends.

use std::collections::HashMap;
use std::sync::Mutex;

use antt_app::imports::{ImportFile, Importer};
use antt_core::access::Action;
use antt_core::vi;
use antt_import::{Kind, Limits, Problem};
use antt_store::campaigns::CampaignRow;
use antt_store::import_files;
use antt_store::import_files::Upload;
use antt_store::imports;
use antt_store::units::UnitRow;
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::units::{UnitHead, head, in_campaign};
use crate::auth::CurrentUser;
use crate::forms::{self, SecureForm};
use crate::view::{self, Frame};
use crate::{AppError, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/c/{cid}/units/{uid}/import", get(choose_page))
        // The upload bounds what it reads itself, to refuse a large file by name and size.
        .route("/c/{cid}/units/{uid}/import/{kind}", get(kind_page).post(upload).layer(DefaultBodyLimit::disable()))
        .route("/c/{cid}/units/{uid}/import/{kind}/{file}", get(template))
        .route("/c/{cid}/units/{uid}/imports/{id}", get(status_page))
        .route("/c/{cid}/units/{uid}/imports/{id}/confirm", post(confirm))
        .route("/c/{cid}/units/{uid}/imports/{id}/progress", get(progress))
}

/// Imports running on this server: rows written so far and rows in all (0 while the file is
/// read again), by upload id. Another server's import shows as running without figures.
#[derive(Debug, Default)]
pub struct Running(Mutex<HashMap<String, (usize, usize)>>);

impl Running {
    fn set(&self, id: &str, done: usize, total: usize) {
        if let Ok(mut m) = self.0.lock() {
            m.insert(id.to_owned(), (done, total));
        }
    }

    fn get(&self, id: &str) -> Option<(usize, usize)> {
        self.0.lock().ok().and_then(|m| m.get(id).copied())
    }

    fn remove(&self, id: &str) {
        if let Ok(mut m) = self.0.lock() {
            m.remove(id);
        }
    }
}

/// How many problems a page lists (the count says how many there are in all).
const SHOWN_PROBLEMS: usize = 200;
/// How many problems are kept with an import refused at confirmation.
const KEPT_PROBLEMS: usize = 50;

/// The kind of file `code` names under the campaign's ruleset.
async fn kind_of(state: &AppState, campaign: &CampaignRow, code: &str) -> Result<Kind, AppError> {
    Kind::parse(code, &*state.app.ruleset(campaign).await?).ok_or(AppError::NotFound)
}

/// Where the rows of a kind of file go, for the page that offers it.
fn purpose(kind: &Kind) -> String {
    match kind {
        Kind::Units(u) if u.territorial => format!("Thêm các {} (thôn, ấp, tổ dân phố…) của xã.", u.name),
        Kind::Units(u) => format!("Thêm {} và các bộ phận (phòng, ban, tổ, khoa…) của từng nơi.", u.name),
        Kind::Households => "Danh sách hộ gia đình ký cam kết của từng khu dân cư; thay danh sách đã có của khu dân cư đó.".into(),
        Kind::Incidents => "Vụ việc về an ninh, trật tự xảy ra trong năm ở từng đơn vị.".into(),
        Kind::Discipline => "Cán bộ, đảng viên, học sinh… bị xử lý kỷ luật trong năm ở từng đơn vị.".into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Choosing what to import.

struct KindLink {
    code: String,
    title: String,
    purpose: String,
}

struct UploadLine {
    id: String,
    file_name: String,
    kind: String,
    uploaded_at: String,
    status: &'static str,
    tone: &'static str,
}

fn status_label(upload: &Upload) -> (&'static str, &'static str) {
    match upload.status.as_str() {
        "checked" => ("Đã kiểm tra, chờ xác nhận", "warn"),
        "importing" => ("Đang nhập", "warn"),
        "imported" => ("Đã nhập", "ok"),
        _ => ("Không nhập được", "bad"),
    }
}

#[derive(Template)]
#[template(path = "import_choose.html")]
struct ChoosePage {
    frame: Frame,
    head: UnitHead,
    kinds: Vec<KindLink>,
    recent: Vec<UploadLine>,
}

async fn choose_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((cid, uid)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::EditFacts).await?;
    let ruleset = state.app.ruleset(&campaign).await?;
    let ruleset = &*ruleset;
    let recent = import_files::recent(state.app.store(), &campaign.id, &unit.id, 20)
        .await?
        .into_iter()
        .map(|u| {
            let (status, tone) = status_label(&u);
            UploadLine {
                kind: Kind::parse(&u.kind, ruleset).map_or_else(|| u.kind.clone(), |k| k.title()),
                uploaded_at: view::instant(&u.uploaded_at),
                status,
                tone,
                id: u.id,
                file_name: u.file_name,
            }
        })
        .collect();
    let page = ChoosePage {
        frame: Frame::new(&user, format!("Nhập từ tệp — {}", unit.name), "units"),
        head: head(&state, &user, &campaign, &unit, "import").await?,
        kinds: Kind::for_ruleset(ruleset)
            .iter()
            .map(|k| KindLink { code: k.code().to_owned(), title: k.title(), purpose: purpose(k) })
            .collect(),
        recent,
    };
    Ok(Html(page.render()?).into_response())
}

// ---------------------------------------------------------------------------------------------
// One kind: its columns, templates and the upload with its dry run.

struct ColumnView {
    header: &'static str,
    required: bool,
    example: String,
    note: &'static str,
}

struct ProblemLine {
    row: String,
    column: String,
    message: String,
}

impl From<&Problem> for ProblemLine {
    fn from(p: &Problem) -> Self {
        Self {
            row: if p.row == 0 { "—".into() } else { vi::integer(u64::from(p.row)) },
            column: p.column.clone().unwrap_or_else(|| "—".into()),
            message: p.message.clone(),
        }
    }
}

/// What the dry run found.
struct Checked {
    file_name: String,
    problems: Vec<ProblemLine>,
    problem_count: String,
    /// How many problems are not listed.
    more: Option<String>,
    /// The upload waiting for confirmation, and its rows, when the file is clean.
    ready: Option<(String, String)>,
    /// The template's example rows, skipped: "2", "2, 3".
    samples: Option<String>,
}

#[derive(Template)]
#[template(path = "import_kind.html")]
struct KindPage {
    frame: Frame,
    head: UnitHead,
    kind: String,
    title: String,
    purpose: String,
    columns: Vec<ColumnView>,
    limit: String,
    max_bytes: usize,
    max_rows: String,
    error: Option<String>,
    checked: Option<Checked>,
}

async fn render_kind(
    state: &AppState,
    user: &CurrentUser,
    campaign: &CampaignRow,
    unit: &UnitRow,
    kind: Kind,
    error: Option<String>,
    checked: Option<Checked>,
) -> Result<Response, AppError> {
    let status = if error.is_some() || checked.as_ref().is_some_and(|c| c.ready.is_none()) {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let limits = Limits::default();
    let page = KindPage {
        frame: Frame::new(user, format!("{} — {}", kind.title(), unit.name), "units"),
        head: head(state, user, campaign, unit, "import").await?,
        kind: kind.code().to_owned(),
        title: kind.title(),
        purpose: purpose(&kind),
        columns: kind
            .columns()
            .iter()
            .map(|c| ColumnView { header: c.header, required: c.required, example: kind.example(c), note: c.note })
            .collect(),
        limit: view::file_size(limits.max_bytes as u64),
        max_bytes: limits.max_bytes,
        max_rows: vi::integer(limits.max_rows as u64),
        error,
        checked,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn kind_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((cid, uid, kind)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::EditFacts).await?;
    let kind = kind_of(&state, &campaign, &kind).await?;
    render_kind(&state, &user, &campaign, &unit, kind, None, None).await
}

/// The template of a kind: `template.xlsx` (with drop-down lists from the campaign's ruleset)
/// or `template.csv`.
async fn template(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((cid, uid, kind, file)): Path<(String, String, String, String)>,
) -> Result<Response, AppError> {
    let (campaign, _) = in_campaign(&state, &user, &cid, &uid, Action::Read).await?;
    let kind = kind_of(&state, &campaign, &kind).await?;
    let (bytes, ext, content_type) = match file.as_str() {
        "template.xlsx" => {
            let vocabulary = &state.app.ruleset(&campaign).await?.vocabulary;
            let bytes = antt_import::template::xlsx(&kind, vocabulary).map_err(|e| AppError::Internal(e.to_string()))?;
            (bytes, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        }
        "template.csv" => (antt_import::template::csv(&kind), "csv", "text/csv; charset=utf-8"),
        _ => return Err(AppError::NotFound),
    };
    let disposition = format!("attachment; filename=\"{}.{ext}\"", kind.template_name());
    Ok(([(header::CONTENT_TYPE, content_type.to_owned()), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response())
}

/// Receives a file and makes its dry run: the file's own problems and the database's. A clean
/// file is kept for its confirmation; nothing is written to the campaign's data.
async fn upload(
    State(state): State<AppState>,
    Path((cid, uid, kind)): Path<(String, String, String)>,
    user: CurrentUser,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::EditFacts).await?;
    let kind = kind_of(&state, &campaign, &kind).await?;
    let (file_name, content) = match forms::one_file(&user, &headers, multipart, Limits::default().max_bytes).await? {
        Ok(file) => file,
        Err(message) => return render_kind(&state, &user, &campaign, &unit, kind, Some(message), None).await,
    };
    let file = ImportFile { kind: kind.clone(), file_name: file_name.clone(), content, limits: Limits::default() };
    let parsed = state.app.check_import(Importer::User(&user.actor), &cid, Some(&uid), &file, |_| {}).await?;
    let content = file.content;
    let ready = if parsed.is_clean() {
        let id = import_files::save(state.app.store(), &campaign.id, &unit.id, &kind, &file_name, &content, &user.actor.user_id).await?;
        Some((id, vi::integer(parsed.records.len() as u64)))
    } else {
        None
    };
    let more = parsed.problem_count.saturating_sub(SHOWN_PROBLEMS.min(parsed.problems.len()));
    let checked = Checked {
        file_name,
        problems: parsed.problems.iter().take(SHOWN_PROBLEMS).map(ProblemLine::from).collect(),
        problem_count: vi::integer(parsed.problem_count as u64),
        more: (more > 0).then(|| vi::integer(more as u64)),
        ready,
        samples: (!parsed.sample_rows.is_empty())
            .then(|| parsed.sample_rows.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")),
    };
    render_kind(&state, &user, &campaign, &unit, kind, None, Some(checked)).await
}

// ---------------------------------------------------------------------------------------------
// Confirmation, the import itself, and its progress.

/// The page of an upload.
fn page_of(upload: &Upload) -> String {
    format!("/c/{}/units/{}/imports/{}", upload.campaign_id, upload.unit_id, upload.id)
}

/// The upload found, when it belongs to this unit in this campaign.
fn ours(found: Option<Upload>, campaign: &CampaignRow, unit: &UnitRow) -> Result<Upload, AppError> {
    found.filter(|u| u.campaign_id == campaign.id && u.unit_id == unit.id).ok_or(AppError::NotFound)
}

async fn confirm(
    State(state): State<AppState>,
    Path((cid, uid, id)): Path<(String, String, String)>,
    SecureForm(user, _form): SecureForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::EditFacts).await?;
    let upload = ours(import_files::get(state.app.store(), &id).await?, &campaign, &unit)?;
    let kind = kind_of(&state, &campaign, &upload.kind).await?;
    let page = page_of(&upload);
    // Whoever confirms first starts the import; a second confirmation just shows it.
    if import_files::claim(state.app.store(), &upload.id).await? {
        state.imports.set(&upload.id, 0, 0);
        tokio::spawn(run(state.clone(), upload, kind, user.actor.user_id.clone()));
    }
    Ok(Redirect::to(&page).into_response())
}

/// Imports a confirmed upload and records how it ended.
async fn run(state: AppState, upload: Upload, kind: Kind, user_id: String) {
    let id = upload.id.clone();
    let ended = import_upload(&state, upload, kind, &user_id).await;
    let (status, rows, message) = match ended {
        Ok(outcome) if outcome.problems.is_empty() => ("imported", i64::try_from(outcome.imported).ok(), None),
        Ok(outcome) => {
            let mut lines: Vec<String> = outcome.problems.iter().take(KEPT_PROBLEMS).map(ToString::to_string).collect();
            if outcome.problems.len() > KEPT_PROBLEMS {
                lines.push(format!("… và {} lỗi khác.", vi::integer((outcome.problems.len() - KEPT_PROBLEMS) as u64)));
            }
            let message = format!("Dữ liệu đã thay đổi từ lúc kiểm tra tệp; không ghi dòng nào:\n{}", lines.join("\n"));
            ("failed", None, Some(message))
        }
        Err(e) => ("failed", None, Some(format!("Không ghi dòng nào. {e}"))),
    };
    if let Err(e) = import_files::finish(state.app.store(), &id, status, rows, message.as_deref()).await {
        tracing::error!(upload = %id, error = %e, "could not record how an import ended");
    }
    state.imports.remove(&id);
}

async fn import_upload(state: &AppState, upload: Upload, kind: Kind, user_id: &str) -> Result<imports::Outcome, AppError> {
    // The user who confirmed, as they are now: their grants are checked again.
    let user = antt_store::users::active(state.app.store(), user_id).await?.ok_or(AppError::Unauthenticated)?;
    let actor = antt_app::Actor::from_user(&user);
    let file = ImportFile { kind, file_name: upload.file_name.clone(), content: upload.content, limits: Limits::default() };
    let (running, id) = (state.clone(), upload.id.clone());
    let importer = Importer::User(&actor);
    Ok(state
        .app
        .import(importer, &upload.campaign_id, Some(&upload.unit_id), &file, |_| {}, &mut |done, total| {
            running.imports.set(&id, done, total)
        })
        .await?)
}

/// Where an import stands, as its page and its progress fragment show it.
struct Standing {
    poll: Option<String>,
    done: usize,
    total: usize,
    text: String,
    tone: &'static str,
    message: Option<String>,
    hint: Option<&'static str>,
}

/// Said of an import this server is not running: another server runs it, or one stopped in the
/// middle (its transaction then wrote nothing).
const UNTRACKED: &str = "Tiến độ chỉ theo dõi được trên máy chủ đang nhập tệp này. Nếu sau vài phút vẫn chưa xong, có thể máy chủ đã dừng giữa chừng: khi đó chưa dòng nào được ghi, hãy tải tệp lên lại.";

fn standing(state: &AppState, upload: &Upload) -> Standing {
    let (label, tone) = status_label(upload);
    let mut s = Standing { poll: None, done: 0, total: 0, text: label.to_owned(), tone, message: upload.message.clone(), hint: None };
    match upload.status.as_str() {
        "importing" => {
            s.poll = Some(format!("{}/progress", page_of(upload)));
            match state.imports.get(&upload.id) {
                Some((_, 0)) => s.text = "Đang đọc lại tệp…".into(),
                Some((done, total)) => {
                    (s.done, s.total) = (done, total);
                    s.text = format!("Đã ghi {} / {} dòng…", vi::integer(done as u64), vi::integer(total as u64));
                }
                None => {
                    s.text = "Đang nhập…".into();
                    s.hint = Some(UNTRACKED);
                }
            }
        }
        "imported" => {
            let rows = upload.imported_rows.and_then(|n| u64::try_from(n).ok()).unwrap_or(0);
            s.text = format!("Đã nhập {} dòng.", vi::integer(rows));
        }
        _ => {}
    }
    s
}

#[derive(Template)]
#[template(path = "import_status.html")]
struct StatusPage {
    frame: Frame,
    head: UnitHead,
    title: String,
    file_name: String,
    uploaded_at: String,
    base: String,
    waiting: bool,
    s: Standing,
}

#[derive(Template)]
#[template(path = "import_progress.html")]
struct ProgressFragment {
    s: Standing,
}

/// The upload (without its content) with the campaign and unit, when it belongs to that unit
/// and the user may read it.
async fn readable(
    state: &AppState,
    user: &CurrentUser,
    cid: &str,
    uid: &str,
    id: &str,
) -> Result<(CampaignRow, UnitRow, Upload), AppError> {
    let (campaign, unit) = in_campaign(state, user, cid, uid, Action::Read).await?;
    let upload = ours(import_files::find(state.app.store(), id).await?, &campaign, &unit)?;
    Ok((campaign, unit, upload))
}

async fn status_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((cid, uid, id)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let (campaign, unit, upload) = readable(&state, &user, &cid, &uid, &id).await?;
    let kind = kind_of(&state, &campaign, &upload.kind).await?;
    let page = StatusPage {
        frame: Frame::new(&user, format!("{} — {}", kind.title(), unit.name), "units"),
        head: head(&state, &user, &campaign, &unit, "import").await?,
        title: kind.title(),
        uploaded_at: view::instant(&upload.uploaded_at),
        waiting: upload.status == "checked",
        s: standing(&state, &upload),
        base: page_of(&upload),
        file_name: upload.file_name,
    };
    Ok(Html(page.render()?).into_response())
}

async fn progress(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((cid, uid, id)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let (_, _, upload) = readable(&state, &user, &cid, &uid, &id).await?;
    Ok(Html(ProgressFragment { s: standing(&state, &upload) }.render()?).into_response())
}
