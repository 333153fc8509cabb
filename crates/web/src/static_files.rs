//! Static assets compiled into the binary: vendored htmx and Chart.js, the stylesheet, the
//! page script and the icon. No CDN, no build step.

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;

const FAVICON: &[u8] = include_bytes!("../static/favicon.svg");

const FILES: [(&str, &str, &[u8]); 5] = [
    ("htmx.min.js", "text/javascript", include_bytes!("../static/vendor/htmx-2.0.8.min.js")),
    ("chart.umd.min.js", "text/javascript", include_bytes!("../static/vendor/chart-4.5.1.umd.min.js")),
    ("app.css", "text/css", include_bytes!("../static/app.css")),
    ("app.js", "text/javascript", include_bytes!("../static/app.js")),
    ("favicon.svg", "image/svg+xml", FAVICON),
];

pub fn routes() -> Router<AppState> {
    // Browsers ask for /favicon.ico whatever the page links; the same icon answers.
    Router::new().route("/static/{file}", get(serve)).route("/favicon.ico", get(|| serve(Path("favicon.svg".to_owned()))))
}

async fn serve(Path(file): Path<String>) -> Response {
    match FILES.iter().find(|(name, _, _)| *name == file) {
        Some((_, mime, bytes)) => {
            ([(header::CONTENT_TYPE, *mime), (header::CACHE_CONTROL, "public, max-age=3600")], *bytes).into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
