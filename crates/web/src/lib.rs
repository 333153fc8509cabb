//! antt web application: Vietnamese pages rendered on the server (askama + htmx) and a JSON
//! API, over the store. Every read and write asks `guard` whether the user may act on the
//! unit's subtree.

use std::collections::BTreeMap;
use std::sync::Arc;

use antt_core::Ruleset;
use antt_store::Store;
use axum::Router;
use axum::extract::DefaultBodyLimit;

pub mod api;
pub mod auth;
pub mod demo;
pub mod documents;
pub mod error;
pub mod forms;
pub mod guard;
pub mod pages;
pub mod results;
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
    pub store: Store,
    pub rulesets: BTreeMap<String, Ruleset>,
    pub results: results::Cache,
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
    pub fn new(store: Store, rulesets: Vec<Ruleset>, config: Config) -> Self {
        let rulesets = rulesets.into_iter().map(|r| (r.id.clone(), r)).collect();
        Self(Arc::new(Inner { store, rulesets, results: results::Cache::default(), imports: Default::default(), config }))
    }

    pub fn ruleset(&self, id: &str) -> Result<&Ruleset, AppError> {
        self.rulesets.get(id).ok_or_else(|| AppError::Internal(format!("không có bộ tiêu chí {id}")))
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
