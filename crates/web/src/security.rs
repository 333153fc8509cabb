//! Security middleware: response headers, and refusal of cross-site writes.

use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The content security policy: only this server's scripts and styles, no inline script, no
/// framing by other sites.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                       connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

pub async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    // A route that needs its own policy (the API's Swagger UI) sets it; every other response gets this one.
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    }
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Refuses a state-changing request that a browser marks as coming from another site, or whose
/// Origin is not this server. Clients that are not browsers send neither header.
pub async fn reject_cross_site(request: Request, next: Next) -> Response {
    let unsafe_method = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && is_cross_site(&request) {
        return (StatusCode::FORBIDDEN, "Yêu cầu từ trang web khác bị từ chối.").into_response();
    }
    next.run(request).await
}

fn is_cross_site(request: &Request) -> bool {
    let h = request.headers();
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    match (h.get(header::ORIGIN).and_then(|v| v.to_str().ok()), h.get(header::HOST).and_then(|v| v.to_str().ok())) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => origin.split_once("://").map(|(_, rest)| rest) != Some(host),
        _ => false,
    }
}

/// What a request carrying a NUL character is told: no field of antt can hold one, and the
/// databases refuse it (PostgreSQL with an error that would otherwise be a 500).
pub const NUL_REFUSED: &str = "Dữ liệu gửi lên có ký tự NUL (mã 0), không được chấp nhận.";

/// Refuses an address whose path or query carries an encoded NUL (`%00`).
pub async fn refuse_nul(request: Request, next: Next) -> Response {
    let uri = request.uri();
    let encoded_nul = |s: &str| s.as_bytes().windows(3).any(|w| w[0] == b'%' && w[1] == b'0' && w[2] == b'0');
    if encoded_nul(uri.path()) || uri.query().is_some_and(encoded_nul) {
        return (StatusCode::BAD_REQUEST, NUL_REFUSED).into_response();
    }
    next.run(request).await
}
