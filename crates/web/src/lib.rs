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
}

impl Default for Config {
    fn default() -> Self {
        Self { secure_cookies: false, max_upload_bytes: 10 * 1024 * 1024 }
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
        Self(Arc::new(Inner { app, imports: Default::default(), config }))
    }
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    let upload_limit = state.config.max_upload_bytes + 64 * 1024;
    Router::new()
        .merge(pages::routes())
        .merge(auth::routes())
        .nest("/api/v1", api::routes())
        .merge(static_files::routes())
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn(security::headers))
        .layer(axum::middleware::from_fn(security::reject_cross_site))
        .layer(axum::middleware::from_fn(security::refuse_nul))
        .layer(DefaultBodyLimit::max(upload_limit))
        .with_state(state)
}

/// Serves the application on a bound listener until the process is stopped.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(listener, app(state)).with_graceful_shutdown(shutdown()).await
}

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
}
