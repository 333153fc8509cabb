//! A form sent just after the session lapsed is not lost: the server keeps what was typed for a
//! short while (in memory, under a random id in a cookie of that browser), sends the browser to
//! sign in, and afterwards shows the form's values on a page with one button that sends them
//! again. CSRF still holds: a form is kept only when its token is the lapsed session's own (so
//! it was made by this site for that user), it is shown back only to that same user, and it is
//! sent again by the user's own click, with the new session's token.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use askama::Template;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;

use crate::auth::{COOKIE_NAME, CurrentUser, cookie};
use crate::forms::CSRF_FIELD;
use crate::view::Frame;
use crate::{AppError, AppState};

const RESUME_COOKIE: &str = "antt_resume";
/// How long a kept form waits for its user to sign in again.
const KEEP_FOR: Duration = Duration::from_secs(15 * 60);
/// At most this many forms are kept at once (the oldest go first).
const MAX_KEPT: usize = 1000;
/// Larger forms (none of the pages' are) are not kept.
const MAX_BYTES: usize = 256 * 1024;

/// A form kept for its user.
#[derive(Debug, Clone)]
struct Kept {
    user_id: String,
    path: String,
    fields: Vec<(String, String)>,
    at: Instant,
}

/// The forms kept on this server, by random id.
#[derive(Debug, Default)]
pub struct KeptForms(Mutex<HashMap<String, Kept>>);

impl KeptForms {
    fn put(&self, kept: Kept) -> String {
        let id = antt_store::new_id() + &antt_store::new_id();
        let mut map = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.retain(|_, k| k.at.elapsed() < KEEP_FOR);
        if map.len() >= MAX_KEPT
            && let Some(oldest) = map.iter().min_by_key(|(_, k)| k.at).map(|(id, _)| id.clone())
        {
            map.remove(&oldest);
        }
        map.insert(id.clone(), kept);
        id
    }

    /// The form kept under `id` for `user_id`, if it has not waited too long.
    fn peek(&self, id: &str, user_id: &str) -> Option<Kept> {
        let map = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.get(id).filter(|k| k.user_id == user_id && k.at.elapsed() < KEEP_FOR).cloned()
    }

    fn take(&self, id: &str, user_id: &str) -> Option<Kept> {
        let kept = self.peek(id, user_id)?;
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(id);
        Some(kept)
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/resume", get(resume_page))
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded")))
}

/// Keeps a form a browser sends with a lapsed session (see the module), and sends the browser to
/// sign in; every other request goes on as it came.
pub async fn keep_lapsed(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let candidate = request.method() == Method::POST
        && !request.headers().contains_key(AUTHORIZATION)
        && is_form(request.headers())
        && !matches!(request.uri().path(), "/login" | "/logout");
    let Some(token) = cookie(request.headers(), COOKIE_NAME).filter(|_| candidate).map(str::to_owned) else {
        return next.run(request).await;
    };
    let Ok(Some((user_id, csrf))) = antt_store::users::lapsed_session(state.app.store(), &token).await else {
        return next.run(request).await;
    };
    let path = request.uri().path().to_owned();
    // Sent again only to a path of this server.
    if path.starts_with("//") || path.contains('\\') {
        return next.run(request).await;
    }
    let Ok(body) = axum::body::to_bytes(request.into_body(), MAX_BYTES).await else {
        return Redirect::to("/login").into_response();
    };
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body).unwrap_or_default();
    if !fields.iter().any(|(k, v)| k == CSRF_FIELD && *v == csrf) {
        return Redirect::to("/login").into_response();
    }
    let fields = fields.into_iter().filter(|(k, _)| k != CSRF_FIELD).collect();
    let id = state.kept_forms.put(Kept { user_id, path, fields, at: Instant::now() });
    let secure = if state.config.secure_cookies { "; Secure" } else { "" };
    let cookie = format!("{RESUME_COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}", KEEP_FOR.as_secs());
    ([(SET_COOKIE, cookie)], Redirect::to("/login?form=kept")).into_response()
}

/// Where a browser goes after signing in: back to its kept form, if it has one for this user.
pub fn after_sign_in(state: &AppState, headers: &HeaderMap, user_id: &str) -> &'static str {
    match cookie(headers, RESUME_COOKIE) {
        Some(id) if state.kept_forms.peek(id, user_id).is_some() => "/resume",
        _ => "/",
    }
}

#[derive(Template)]
#[template(path = "resume.html")]
struct ResumePage {
    frame: Frame,
    path: String,
    fields: Vec<(String, String)>,
    /// The values typed, for the user to read before sending them again.
    shown: Vec<(String, String)>,
}

async fn resume_page(State(state): State<AppState>, user: CurrentUser, headers: HeaderMap) -> Result<Response, AppError> {
    let clear = format!("{RESUME_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    let kept = cookie(&headers, RESUME_COOKIE).and_then(|id| state.kept_forms.take(id, &user.actor.user_id));
    let Some(kept) = kept else {
        return Ok(([(SET_COOKIE, clear)], Redirect::to("/")).into_response());
    };
    let shown = kept
        .fields
        .iter()
        .filter(|(k, v)| !v.trim().is_empty() && k != "version")
        .map(|(k, v)| (k.clone(), v.chars().take(300).collect()))
        .collect();
    let page = ResumePage { frame: Frame::new(&user, "Gửi lại biểu mẫu", "home"), path: kept.path, fields: kept.fields, shown };
    Ok(([(SET_COOKIE, clear)], Html(page.render()?)).into_response())
}
