//! antt web application: Vietnamese pages rendered on the server (askama + htmx) and a JSON
//! API — adapters over `antt-app`: each handler parses its request, calls one use case (which
//! checks access, validates, locks, audits) and renders the answer.

use std::sync::Arc;

use antt_app::App;
use axum::Router;
use axum::extract::DefaultBodyLimit;

pub mod api;
pub mod auth;
pub mod error;
pub mod forms;
pub mod pages;
pub mod resume;
pub mod security;
pub mod static_files;
pub mod view;

pub use error::AppError;

/// Settings of one server.
#[derive(Debug, Clone)]
pub struct Config {
    /// Mark cookies `Secure` (when served over HTTPS, or behind a TLS proxy).
    pub secure_cookies: bool,
    /// Largest evidence file accepted, in bytes.
    pub max_upload_bytes: usize,
    /// Behind a reverse proxy: the header in which it puts the client's address (the last
    /// address of the header counts), for the sign-in throttle. Without it, the connection's peer.
    pub client_address_header: Option<axum::http::HeaderName>,
    /// Admins must have a second factor: one without is sent to enrol before anything else,
    /// and their API tokens get 403 until then.
    pub require_second_factor_for_admin: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            max_upload_bytes: 10 * 1024 * 1024,
            client_address_header: None,
            require_second_factor_for_admin: false,
        }
    }
}

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState(Arc<Inner>);

#[derive(Debug)]
pub struct Inner {
    pub app: App,
    /// Imports running on this server, for their progress.
    pub imports: pages::imports::Running,
    /// Forms sent with a lapsed session, waiting for their user to sign in again.
    pub kept_forms: resume::KeptForms,
    pub config: Config,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(app: App, config: Config) -> Self {
        Self(Arc::new(Inner { app, imports: Default::default(), kept_forms: Default::default(), config }))
    }
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    let upload_limit = state.config.max_upload_bytes + 64 * 1024;
    Router::new()
        .merge(pages::routes())
        .merge(auth::routes())
        .merge(resume::routes())
        .nest("/api/v1", api::routes())
        .merge(static_files::routes())
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), resume::keep_lapsed))
        .layer(axum::middleware::from_fn(forms::clear_flash))
        .layer(axum::middleware::from_fn(security::headers))
        .layer(axum::middleware::from_fn(security::reject_cross_site))
        .layer(axum::middleware::from_fn(security::refuse_nul))
        .layer(DefaultBodyLimit::max(upload_limit))
        .with_state(state)
}

/// How the server treats connections (docs/operations.md, "Connections").
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A connection must send a complete request head within this time, whether it just opened
    /// or sits idle between requests (keep-alive); otherwise it is closed.
    pub header_timeout: std::time::Duration,
    /// Connections served at once; beyond, a new connection gets `503` with `Retry-After` and
    /// is closed. Each takes a file descriptor.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self { header_timeout: std::time::Duration::from_secs(15), max_connections: 4096 }
    }
}

/// Connections beyond [`Limits::max_connections`] answered at once; more are closed unanswered.
pub const BUSY_ANSWERS: usize = 64;

/// What a connection beyond [`Limits::max_connections`] reads before it is closed.
const BUSY: &str = "Máy chủ đang phục vụ quá nhiều kết nối; hãy thử lại sau ít giây.";

fn busy_response() -> String {
    format!(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 5\r\nConnection: close\r\n\
         Content-Length: {}\r\n\r\n{BUSY}",
        BUSY.len()
    )
}

/// Serves the application on a bound listener until the process is stopped: HTTP/1.1 with the
/// header and idle timeout and the cap on connections of `limits`; each request carries its
/// peer's address (`ConnectInfo`) for the sign-in throttle.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState, limits: Limits) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tokio::io::AsyncWriteExt;
    use tower::ServiceExt;

    let router = app(state);
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let busy = Arc::new(tokio::sync::Semaphore::new(BUSY_ANSWERS));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout).keep_alive(true);
    let stop = shutdown();
    tokio::pin!(stop);
    loop {
        let (mut stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before it was accepted:
                    // wait a little rather than spin.
                    tracing::warn!("không nhận được kết nối: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            // Answered by at most BUSY_ANSWERS tasks at a time, each for at most 2 s: beyond
            // that a connection is simply closed, so refusing costs a bounded number of files.
            if let Ok(answering) = busy.clone().try_acquire_owned() {
                tokio::spawn(async move {
                    let second = std::time::Duration::from_secs(1);
                    let _ = tokio::time::timeout(second, stream.write_all(busy_response().as_bytes())).await;
                    let _ = stream.shutdown().await;
                    // Read what the client sent, so closing does not reset the connection
                    // before it has read the answer.
                    let mut sink = [0u8; 4096];
                    let _ = tokio::time::timeout(second, tokio::io::AsyncReadExt::read(&mut stream, &mut sink)).await;
                    drop(answering);
                });
            }
            continue;
        };
        let service = router.clone().map_request(move |mut request: axum::extract::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
            request
        });
        let connection = http.serve_connection(TokioIo::new(stream), hyper_util::service::TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!("kết nối với {peer} kết thúc: {e}");
            }
            drop(slot);
        });
    }
    // Requests under way finish; idle connections close.
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), graceful.shutdown()).await;
    Ok(())
}

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
}
