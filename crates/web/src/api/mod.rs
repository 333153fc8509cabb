//! The JSON API under /api/v1: the same workflow as the pages, for other programs. Clients
//! authenticate with a bearer token (POST /api/v1/tokens); every unit goes through
//! `antt_app` (access, validation, locks, audit) for the action the route performs; errors are JSON with Vietnamese messages.
//! The OpenAPI document is served at /api/v1/openapi.json and Swagger UI at /api/v1/docs/.

use std::sync::Arc;

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use utoipa::openapi::OpenApi as Document;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

pub mod account;
pub mod campaigns;
pub mod decisions;
pub mod error;
pub mod facts;
pub mod input;
mod links;
pub mod registrations;
pub mod scoring;
pub mod tokens;
pub mod units;
pub mod users;
pub mod verdicts;

/// Where the API is mounted.
pub const BASE: &str = "/api/v1";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "antt API",
        description = "API JSON của antt: phong trào “An toàn về an ninh, trật tự”. Lấy mã truy cập tại POST /tokens rồi gửi \
                       `Authorization: Bearer <mã>` với mọi yêu cầu khác. Lỗi trả về dạng `{\"error\": \"…\", \"fields\": {…}}` \
                       bằng tiếng Việt.",
        license(name = "MIT OR Apache-2.0")
    ),
    servers((url = "/api/v1", description = "Máy chủ này")),
    modifiers(&BearerAuth),
    tags(
        (name = "tokens", description = "Mã truy cập và mật khẩu của tài khoản"),
        (name = "users", description = "Tài khoản trong phạm vi quản lý: tạo, khóa, cấp lại mật khẩu, cấp và bỏ quyền, phiên đăng nhập"),
        (name = "campaigns", description = "Đợt phát động và danh mục mã của bộ tiêu chí"),
        (name = "units", description = "Cây đơn vị trong phạm vi của người dùng"),
        (name = "results", description = "Kết quả đánh giá và số liệu tổng hợp"),
        (name = "facts", description = "Dữ liệu của đơn vị trong đợt"),
        (name = "scoring", description = "Chấm điểm và đánh giá của đoàn kiểm tra"),
        (name = "registration", description = "Đăng ký phấn đấu"),
        (name = "review", description = "Xét duyệt kết quả, đề nghị khen thưởng hoặc phê bình"),
        (name = "decisions", description = "Quyết định công nhận; khóa và mở khóa dữ liệu"),
    )
)]
struct ApiDoc;

/// Declares the bearer token scheme the operations name.
#[derive(Debug)]
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut Document) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some("Mã lấy tại POST /api/v1/tokens, gửi trong tiêu đề `Authorization: Bearer <mã>`."))
            .build();
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(tokens::routes())
        .merge(account::routes())
        .merge(users::routes())
        .merge(campaigns::routes())
        .merge(units::routes())
        .merge(verdicts::routes())
        .merge(facts::routes())
        .merge(scoring::routes())
        .merge(registrations::routes())
        .merge(decisions::routes())
}

/// The OpenAPI document of the API.
pub fn openapi() -> Document {
    split().1
}

/// The routes and their OpenAPI document, with the links between operations.
fn split() -> (Router<AppState>, Document) {
    let (routes, mut document) = router().split_for_parts();
    links::add(&mut document);
    (routes, document)
}

/// The API's routes, relative to /api/v1.
pub fn routes() -> Router<AppState> {
    let (routes, document) = split();
    let json: Arc<str> = document.to_pretty_json().unwrap_or_default().into();
    routes
        .route(
            "/openapi.json",
            get(move || {
                let json = json.clone();
                async move { ([(header::CONTENT_TYPE, "application/json")], json.to_string()) }
            }),
        )
        .route("/docs", get(docs_redirect))
        .route("/docs/", get(docs_index))
        .route("/docs/{*file}", get(docs_asset))
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
}

/// The content security policy of the Swagger UI pages only. Swagger UI 5 loads its scripts
/// from files (no inline script) but sets inline styles, which the application's policy
/// forbids; everything else stays as strict as elsewhere.
pub const DOCS_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
                            connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

async fn docs_redirect() -> Redirect {
    Redirect::permanent(&format!("{BASE}/docs/"))
}

async fn docs_index() -> Response {
    docs_file("")
}

async fn docs_asset(Path(file): Path<String>) -> Response {
    docs_file(&file)
}

/// Serves a file of the vendored Swagger UI, set to read this server's document.
fn docs_file(file: &str) -> Response {
    let config = utoipa_swagger_ui::Config::new([format!("{BASE}/openapi.json")])
        .validator_url("none")
        .persist_authorization(false)
        .try_it_out_enabled(true);
    match utoipa_swagger_ui::serve(file, Arc::new(config)) {
        Ok(Some(f)) => {
            let mut response = (StatusCode::OK, f.bytes.into_owned()).into_response();
            let h = response.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&f.content_type) {
                h.insert(header::CONTENT_TYPE, v);
            }
            if f.gzpipped {
                h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            }
            h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(DOCS_CSP));
            response
        }
        Ok(None) => error::ApiError::not_found("Không có tệp này trong giao diện tài liệu API.").into_response(),
        Err(e) => error::ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("Lỗi hệ thống: {e}")).into_response(),
    }
}
