//! Server-rendered pages, one module per part of the workflow.

use axum::Router;

use crate::AppState;

pub mod account;
pub mod audit;
pub mod campaigns;
pub mod dashboard;
pub mod documents;
pub mod facts;
pub mod home;
pub mod imports;
pub mod inspection;
pub mod registration;
pub mod review;
pub mod scoring;
pub mod unit_changes;
pub mod units;
pub mod users;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(account::routes())
        .merge(home::routes())
        .merge(dashboard::routes())
        .merge(units::routes())
        .merge(unit_changes::routes())
        .merge(campaigns::routes())
        .merge(registration::routes())
        .merge(facts::routes())
        .merge(scoring::routes())
        .merge(inspection::routes())
        .merge(review::routes())
        .merge(documents::routes())
        .merge(imports::routes())
        .merge(audit::routes())
        .merge(users::routes())
}
