//! The unit tree as far as the user may see it: one unit, its children, and search.

use std::collections::BTreeMap;

use antt_app::units::UnitChange;
use antt_core::access::Action;
use antt_store::units::{self, UnitRow};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ErrorBody};
use super::input::{ApiUser, JsonBody};
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search_units))
        .routes(routes!(get_unit))
        .routes(routes!(unit_children))
        .routes(routes!(create_unit))
        .routes(routes!(change_unit))
        .routes(routes!(retire_unit))
}

/// A unit of the tree.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Unit {
    pub id: String,
    pub name: String,
    /// `province`, `district`, or a unit type of the ruleset (`commune`, `residential_area`…).
    pub unit_type: String,
    pub parent_id: Option<String>,
    /// Ids from the root, `/86/857/29578/`: a subtree is every path with this prefix.
    pub path: String,
    /// The GSO code, for provinces, districts and communes.
    pub official_code: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    /// The unit it became part of (2025 merges).
    pub successor_id: Option<String>,
    pub attributes: BTreeMap<String, String>,
    pub version: i64,
}

impl From<UnitRow> for Unit {
    fn from(u: UnitRow) -> Self {
        Self {
            id: u.id,
            name: u.name,
            unit_type: u.unit_type,
            parent_id: u.parent_id,
            path: u.path,
            official_code: u.official_code,
            valid_from: u.valid_from,
            valid_to: u.valid_to,
            successor_id: u.successor_id,
            attributes: u.attributes,
            version: u.version,
        }
    }
}

/// One page of units.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitPage {
    pub items: Vec<Unit>,
    /// How many units match in all.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub pages: u32,
}

/// The query of GET /units.
#[derive(Debug, Clone, Deserialize)]
pub struct SearchParams {
    pub q: Option<String>,
    #[serde(rename = "type")]
    pub unit_type: Option<String>,
    pub within: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

pub const DEFAULT_PER_PAGE: u32 = 50;
pub const MAX_PER_PAGE: u32 = 200;

/// Units the user may see whose name contains `q` (ignoring diacritics and case), sorted by
/// name, a page at a time.
#[utoipa::path(
    get,
    path = "/units",
    tag = "units",
    security(("bearer" = [])),
    params(
        ("q" = Option<String>, Query, description = "Một phần của tên, có hoặc không dấu (`vinh long` tìm được “Vĩnh Long”)"),
        ("type" = Option<String>, Query, description = "Chỉ các đơn vị thuộc loại này, ví dụ `residential_area`"),
        ("within" = Option<String>, Query, description = "Chỉ trong cây của đơn vị này (mặc định: toàn bộ phạm vi của người dùng)"),
        ("page" = Option<u32>, Query, description = "Trang, từ 1"),
        ("per_page" = Option<u32>, Query, description = "Số đơn vị mỗi trang (1–200, mặc định 50)"),
    ),
    responses(
        (status = 200, description = "Một trang kết quả", body = UnitPage),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 404, description = "Đơn vị `within` không có hoặc ngoài phạm vi", body = ErrorBody),
        (status = 422, description = "Tham số không hợp lệ", body = ErrorBody),
    )
)]
pub async fn search_units(
    State(state): State<AppState>,
    user: ApiUser,
    query: Result<Query<SearchParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<UnitPage>, ApiError> {
    let Query(p) = query.map_err(|_| ApiError::invalid("Tham số tìm kiếm không hợp lệ (page và per_page là số nguyên dương)."))?;
    let per_page = p.per_page.unwrap_or(DEFAULT_PER_PAGE);
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(ApiError::field("per_page", format!("Phải từ 1 đến {MAX_PER_PAGE}.")));
    }
    let page = p.page.unwrap_or(1).max(1);
    let scopes: Vec<String> = match p.within.as_deref().filter(|w| !w.is_empty()) {
        Some(id) => vec![state.app.unit(&user.actor, id, Action::Read).await?.path],
        None => user.actor.scopes().into_iter().map(str::to_owned).collect(),
    };
    let q = p.q.unwrap_or_default();
    let unit_type = p.unit_type.as_deref().filter(|t| !t.is_empty());
    // The scopes one after another: find where the requested window falls in each.
    let start = u64::from(page - 1) * u64::from(per_page);
    let end = start + u64::from(per_page);
    let mut items = Vec::new();
    let mut offset = 0u64;
    for scope in &scopes {
        let first = units::search(state.app.store(), scope, &q, unit_type, 1, per_page).await?;
        let (from, to) = (start.max(offset), end.min(offset + first.total));
        if from < to {
            let (local_from, local_to) = (from - offset, to - offset);
            let first_page = u32::try_from(local_from / u64::from(per_page)).unwrap_or(u32::MAX) + 1;
            let mut rows = Vec::new();
            let mut n = first_page;
            while u64::from(n - 1) * u64::from(per_page) < local_to {
                let chunk = if n == 1 {
                    first.items.clone()
                } else {
                    units::search(state.app.store(), scope, &q, unit_type, n, per_page).await?.items
                };
                let base = u64::from(n - 1) * u64::from(per_page);
                for (i, u) in chunk.into_iter().enumerate() {
                    let at = base + i as u64;
                    if at >= local_from && at < local_to {
                        rows.push(u);
                    }
                }
                n += 1;
            }
            for u in rows {
                antt_app::access::check(&user.actor, &u, Action::Read)?;
                items.push(Unit::from(u));
            }
        }
        offset += first.total;
    }
    let total = offset;
    let pages = u32::try_from(total.div_ceil(u64::from(per_page))).unwrap_or(u32::MAX).max(1);
    Ok(Json(UnitPage { items, total, page, per_page, pages }))
}

/// One unit.
#[utoipa::path(
    get,
    path = "/units/{id}",
    tag = "units",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã đơn vị")),
    responses(
        (status = 200, description = "Đơn vị", body = Unit),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 404, description = "Không có, hoặc ngoài phạm vi của người dùng", body = ErrorBody),
    )
)]
pub async fn get_unit(State(state): State<AppState>, user: ApiUser, Path(id): Path<String>) -> Result<Json<Unit>, ApiError> {
    Ok(Json(state.app.unit(&user.actor, &id, Action::Read).await?.into()))
}

/// The unit's direct children, sorted by Vietnamese name.
#[utoipa::path(
    get,
    path = "/units/{id}/children",
    tag = "units",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã đơn vị")),
    responses(
        (status = 200, description = "Các đơn vị trực thuộc", body = [Unit]),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 404, description = "Không có, hoặc ngoài phạm vi của người dùng", body = ErrorBody),
    )
)]
pub async fn unit_children(State(state): State<AppState>, user: ApiUser, Path(id): Path<String>) -> Result<Json<Vec<Unit>>, ApiError> {
    let unit = state.app.unit(&user.actor, &id, Action::Read).await?;
    let mut out = Vec::new();
    for child in units::children(state.app.store(), &unit.id).await? {
        antt_app::access::check(&user.actor, &child, Action::Read)?;
        out.push(child.into());
    }
    Ok(Json(out))
}

/// Body of POST …/children: a new unit of a commune.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"unit_type": "residential_area", "name": "Ấp Phú Thạnh"}))]
pub struct NewUnitBody {
    /// `residential_area`, `agency`, `school`, `worship_site`… (the ruleset's unit types).
    pub unit_type: String,
    pub name: String,
    /// Its own code (letters without diacritics, digits, `-`, `.`); blank: one is given.
    pub code: Option<String>,
}

/// A unit's new name and, to move it, its new commune (by id, code or name).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitChangeBody {
    pub name: String,
    /// The commune it moves to; absent or blank: it stays.
    pub parent: Option<String>,
    /// The `version` read with the unit.
    pub version: i64,
}

/// The `version` read with the unit being retired.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RetireBody {
    pub version: i64,
}

/// Adds a unit under a commune, with the same checks as a row of an imported list of units.
#[utoipa::path(
    post,
    path = "/campaigns/{cid}/units/{uid}/children",
    tag = "units",
    security(("bearer" = [])),
    params(("cid" = String, Path, description = "Mã đợt phát động (bộ tiêu chí cho biết các loại đơn vị)"), ("uid" = String, Path, description = "Mã của xã")),
    request_body = NewUnitBody,
    responses(
        (status = 201, description = "Đã thêm", body = Unit),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Không có quyền nhập dữ liệu của xã", body = ErrorBody),
        (status = 404, description = "Không có, hoặc ngoài phạm vi", body = ErrorBody),
        (status = 422, description = "Dữ liệu không hợp lệ (lỗi theo từng trường), hoặc đơn vị không phải xã", body = ErrorBody),
    )
)]
pub async fn create_unit(
    State(state): State<AppState>,
    user: ApiUser,
    Path((cid, uid)): Path<(String, String)>,
    JsonBody(mut body): JsonBody,
) -> Result<(StatusCode, Json<Unit>), ApiError> {
    let unit_type = body.text("unit_type");
    let name = body.text("name");
    let code = body.optional_text("code");
    body.finish()?;
    let (Some(unit_type), Some(name), Some(code)) = (unit_type, name, code) else { return Err(ApiError::invalid(super::error::INVALID)) };
    let change = UnitChange::Create { parent_id: uid, unit_type, name, code: code.unwrap_or_default() };
    let unit = state.app.change_unit(&user.actor, &cid, &change).await?;
    Ok((StatusCode::CREATED, Json(unit.into())))
}

/// Renames a unit of a commune and, with `parent`, moves it to another commune.
#[utoipa::path(
    put,
    path = "/campaigns/{cid}/units/{uid}",
    tag = "units",
    security(("bearer" = [])),
    params(("cid" = String, Path, description = "Mã đợt phát động"), ("uid" = String, Path, description = "Mã đơn vị")),
    request_body = UnitChangeBody,
    responses(
        (status = 200, description = "Đã lưu", body = Unit),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Không có quyền nhập dữ liệu của xã", body = ErrorBody),
        (status = 404, description = "Không có, hoặc ngoài phạm vi", body = ErrorBody),
        (status = 409, description = "Phiên bản đã cũ", body = ErrorBody),
        (status = 422, description = "Dữ liệu không hợp lệ (lỗi theo từng trường)", body = ErrorBody),
    )
)]
pub async fn change_unit(
    State(state): State<AppState>,
    user: ApiUser,
    Path((cid, uid)): Path<(String, String)>,
    JsonBody(mut body): JsonBody,
) -> Result<Json<Unit>, ApiError> {
    let name = body.text("name");
    let parent = body.optional_text("parent");
    let version = body.integer("version");
    body.finish()?;
    let (Some(name), Some(parent), Some(version)) = (name, parent, version) else { return Err(ApiError::invalid(super::error::INVALID)) };
    let change = UnitChange::Change { unit_id: uid, version, name, parent: parent.unwrap_or_default() };
    Ok(Json(state.app.change_unit(&user.actor, &cid, &change).await?.into()))
}

/// Records that a unit of a commune no longer exists, from today (it stays in past campaigns).
#[utoipa::path(
    post,
    path = "/campaigns/{cid}/units/{uid}/retire",
    tag = "units",
    security(("bearer" = [])),
    params(("cid" = String, Path, description = "Mã đợt phát động"), ("uid" = String, Path, description = "Mã đơn vị")),
    request_body = RetireBody,
    responses(
        (status = 200, description = "Đã lưu; `valid_to` là hôm nay", body = Unit),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Không có quyền nhập dữ liệu của xã", body = ErrorBody),
        (status = 404, description = "Không có, hoặc ngoài phạm vi", body = ErrorBody),
        (status = 409, description = "Phiên bản đã cũ", body = ErrorBody),
        (status = 422, description = "Đã thôi từ trước, còn đơn vị trực thuộc, hoặc là đơn vị hành chính", body = ErrorBody),
    )
)]
pub async fn retire_unit(
    State(state): State<AppState>,
    user: ApiUser,
    Path((cid, uid)): Path<(String, String)>,
    JsonBody(mut body): JsonBody,
) -> Result<Json<Unit>, ApiError> {
    let version = body.integer("version");
    body.finish()?;
    let version = version.ok_or_else(|| ApiError::invalid(super::error::INVALID))?;
    Ok(Json(state.app.change_unit(&user.actor, &cid, &UnitChange::Retire { unit_id: uid, version }).await?.into()))
}
