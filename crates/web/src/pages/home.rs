//! The home page: the signed-in user's campaigns and what they need to do.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;

use crate::auth::CurrentUser;
use crate::view::Frame;
use crate::{AppError, AppState};

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    frame: Frame,
    campaigns: Vec<antt_store::campaigns::CampaignRow>,
}

async fn home(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>, AppError> {
    let campaigns = antt_store::campaigns::list(&state.store).await?;
    let frame = Frame::new(&user, "Việc cần làm", "home");
    Ok(Html(HomePage { frame, campaigns }.render()?))
}
