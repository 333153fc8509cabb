//! A unit's facts in a campaign: records of six kinds (read, added, changed with their version,
//! removed), lists declared complete, yes/no conditions and previous-year counts. Every code is
//! checked against the campaign ruleset's vocabulary.

use antt_app::facts::Seen;
use antt_core::fact::{Fact, FactKind};
use antt_store::facts::{Stored, code_of};
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
        .routes(routes!(list_facts, create_fact))
        .routes(routes!(update_fact, delete_fact))
        .routes(routes!(declare_complete))
        .routes(routes!(set_flag))
        .routes(routes!(set_previous_year))
}

/// The kinds of fact records, as addresses name them: `documents`, `commitments`, `incidents`,
/// `discipline`, `titles`, `sub_units`. The schema lists the codes of `FactKind` itself.
#[derive(Debug)]
pub struct KindCode;

impl utoipa::PartialSchema for KindCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some("Loại dữ liệu của đơn vị trong đợt."))
            .enum_values(Some(FactKind::ALL.map(FactKind::code)))
            .into()
    }
}

impl ToSchema for KindCode {}

fn kind_of(s: &str) -> Result<FactKind, ApiError> {
    FactKind::parse(s).ok_or_else(|| {
        ApiError::not_found(format!(
            "Không có loại dữ liệu “{s}” (dùng documents, commitments, incidents, discipline, titles hoặc sub_units)."
        ))
    })
}

/// A document the unit has for the year (resolution, plan, rules…).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentFields {
    /// A code of `vocabulary.documents`, except `registration` (a registration is submitted,
    /// not recorded as a document).
    pub kind: String,
    pub number: Option<String>,
    pub issued_on: Option<chrono::NaiveDate>,
}

/// How many people of one group signed the commitment, out of how many.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommitmentFields {
    /// A code of `vocabulary.groups`; one figure per group.
    pub group_code: String,
    /// Other groups this one figure also counts, when they were not counted separately (e.g.
    /// staff who are also the unit's members): each then has no figure of its own.
    pub also_groups: Vec<String>,
    pub signed: u32,
    pub total: u32,
}

/// Something that happened: a crime, an accident, a security event, a social evil…
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IncidentFields {
    /// A code of `vocabulary.incident_kinds`.
    pub kind: String,
    pub occurred_on: chrono::NaiveDate,
    /// A code of `vocabulary.severities`: the competent body's classification. When null, a
    /// ruleset may derive it from the harm (`vocabulary.harm_scales`).
    pub severity: Option<String>,
    /// People who died (0 when none or not recorded).
    pub harm_deaths: u32,
    /// The body injury rate (tỷ lệ tổn thương cơ thể, 1–100 %) of each injured person.
    pub harm_injuries: Vec<u32>,
    /// Damage to property, in đồng.
    pub harm_damage_vnd: u64,
    /// For an administrative sanction, a code of `vocabulary.domains` (the field of law).
    pub domain: Option<String>,
    /// Which group of the unit's own people (a code of `vocabulary.groups`) did it.
    pub group_code: Option<String>,
    /// Inside the unit's territory or premises (default true).
    pub in_territory: bool,
    /// Committed or caused by the unit's own people (default false).
    pub by_own_people: bool,
    /// Default false.
    pub force_majeure: bool,
    /// Detected and reported at once; null when not recorded.
    pub reported_promptly: Option<bool>,
    pub note: Option<String>,
}

/// A disciplinary measure against a member of one of the unit's forces.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DisciplineFields {
    /// A code of `vocabulary.forces`.
    pub force_code: String,
    /// Other forces (codes of `vocabulary.forces`) the same person belongs to.
    pub also_forces: Vec<String>,
    /// A code of `vocabulary.discipline_levels`.
    pub level: String,
    pub decided_on: chrono::NaiveDate,
    pub person: Option<String>,
}

/// An emulation title or rating held for the year by one of the unit's forces.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TitleFields {
    /// A code of `vocabulary.forces`.
    pub force_code: String,
    /// A code of `vocabulary.scales`.
    pub scale: String,
    /// A level of that scale.
    pub level: String,
}

/// A direct sub-unit (phòng, ban, tổ, đội, khoa…) and the title it holds, if any.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubUnitFields {
    pub name: String,
    /// With `level`, or both null.
    pub scale: Option<String>,
    pub level: Option<String>,
}

/// The fields of a record, by kind.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub enum FactFields {
    Document(DocumentFields),
    Commitment(CommitmentFields),
    Incident(IncidentFields),
    Discipline(DisciplineFields),
    Title(TitleFields),
    SubUnit(SubUnitFields),
}

/// A stored record: its id and version with its fields. To change it, send it back to PUT
/// with the fields changed and the same `version`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FactRecord {
    pub id: String,
    /// Goes up with every change; a PUT or DELETE must name the version it read.
    pub version: i64,
    #[serde(flatten)]
    pub fields: FactFields,
}

/// The records of one kind.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FactList {
    #[schema(value_type = KindCode)]
    pub kind: FactKind,
    pub items: Vec<FactRecord>,
}

/// A stored record as the API shows it.
fn record(r: &Stored) -> FactRecord {
    let fields = match &r.fact {
        Fact::Document(d) => FactFields::Document(DocumentFields { kind: d.kind.clone(), number: d.number.clone(), issued_on: d.date }),
        Fact::Commitment(c) => FactFields::Commitment(CommitmentFields {
            group_code: c.group.clone(),
            also_groups: c.also_groups.clone(),
            signed: c.signed,
            total: c.total,
        }),
        Fact::Incident(i) => FactFields::Incident(IncidentFields {
            kind: i.kind.clone(),
            occurred_on: i.date,
            severity: i.severity.as_ref().map(code_of),
            harm_deaths: i.harm.as_ref().map_or(0, |h| h.deaths),
            harm_injuries: i.harm.as_ref().map(|h| h.injuries.clone()).unwrap_or_default(),
            harm_damage_vnd: i.harm.as_ref().map_or(0, |h| h.damage_vnd),
            domain: i.domain.clone(),
            group_code: i.group.clone(),
            in_territory: i.in_territory,
            by_own_people: i.by_own_people,
            force_majeure: i.force_majeure,
            reported_promptly: i.reported_promptly,
            note: i.note.clone(),
        }),
        Fact::Discipline(d) => FactFields::Discipline(DisciplineFields {
            force_code: d.force.clone(),
            also_forces: d.also_forces.clone(),
            level: code_of(&d.level),
            decided_on: d.date,
            person: d.person.clone(),
        }),
        Fact::Title(t) => FactFields::Title(TitleFields { force_code: t.force.clone(), scale: t.scale.clone(), level: t.level.clone() }),
        Fact::SubUnit(s) => {
            let title = s.titles.first();
            FactFields::SubUnit(SubUnitFields {
                name: s.name.clone(),
                scale: title.map(|t| t.scale.clone()),
                level: title.map(|t| t.level.clone()),
            })
        }
    };
    FactRecord { id: r.id.clone(), version: r.version, fields }
}

/// The records of one kind of a unit in a campaign, oldest first.
#[utoipa::path(
    get,
    path = "/campaigns/{cid}/units/{uid}/facts/{kind}",
    tag = "facts",
    security(("bearer" = [])),
    params(
        ("cid" = String, Path, description = "Mã đợt phát động"),
        ("uid" = String, Path, description = "Mã đơn vị"),
        ("kind" = KindCode, Path, description = "Loại dữ liệu"),
    ),
    responses(
        (status = 200, description = "Các bản ghi", body = FactList),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 404, description = "Không có, hoặc ngoài phạm vi", body = ErrorBody),
    )
)]
pub async fn list_facts(
    State(state): State<AppState>,
    user: ApiUser,
    Path((cid, uid, kind)): Path<(String, String, String)>,
) -> Result<Json<FactList>, ApiError> {
    let kind = kind_of(&kind)?;
    let (_, list) = state.app.facts(&user.actor, &cid, &uid, kind).await?;
    Ok(Json(FactList { kind, items: list.iter().map(record).collect() }))
}

/// Adds a record. Codes must be in the campaign ruleset's vocabulary (see GET /campaigns/{cid}).
#[utoipa::path(
    post,
    path = "/campaigns/{cid}/units/{uid}/facts/{kind}",
    tag = "facts",
    security(("bearer" = [])),
    params(
        ("cid" = String, Path, description = "Mã đợt phát động"),
        ("uid" = String, Path, description = "Mã đơn vị"),
        ("kind" = KindCode, Path, description = "Loại dữ liệu"),
    ),
    request_body(content = FactFields, description = "Các trường của bản ghi, theo loại", example = json!({"group_code": "households", "signed": 118, "total": 120})),
    responses(
        (status = 201, description = "Đã thêm", body = FactRecord),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Vai trò không được nhập dữ liệu", body = ErrorBody),
        (status = 404, description = "Không có, hoặc ngoài phạm vi", body = ErrorBody),
        (status = 409, description = "Dữ liệu đã bị khóa bởi quyết định công nhận, hoặc đã có bản ghi cam kết của nhóm này", body = ErrorBody),
        (status = 422, description = "Dữ liệu không hợp lệ (lỗi theo từng trường)", body = ErrorBody),
    )
)]
pub async fn create_fact(
    State(state): State<AppState>,
    user: ApiUser,
    Path((cid, uid, kind)): Path<(String, String, String)>,
    JsonBody(mut body): JsonBody,
) -> Result<(StatusCode, Json<FactRecord>), ApiError> {
    let kind = kind_of(&kind)?;
    let stored = state.app.record_fact(&user.actor, &cid, &uid, kind, &mut body).await?;
    Ok((StatusCode::CREATED, Json(record(&stored))))
}

/// Changes a record: send every field and the `version` you read (409 when it moved on).
#[utoipa::path(
    put,
    path = "/campaigns/{cid}/units/{uid}/facts/{kind}/{id}",
    tag = "facts",
    security(("bearer" = [])),
    params(
        ("cid" = String, Path, description = "Mã đợt phát động"),
        ("uid" = String, Path, description = "Mã đơn vị"),
        ("kind" = KindCode, Path, description = "Loại dữ liệu"),
        ("id" = String, Path, description = "Mã bản ghi"),
    ),
    request_body(content = FactRecord, description = "Bản ghi như khi đọc, với các trường đã sửa; `id` có thể bỏ, `version` bắt buộc", example = json!({"version": 1, "group_code": "households", "signed": 120, "total": 120})),
    responses(
        (status = 200, description = "Đã sửa; phiên bản mới", body = FactRecord),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Vai trò không được nhập dữ liệu", body = ErrorBody),
        (status = 404, description = "Không có, hoặc ngoài phạm vi", body = ErrorBody),
        (status = 409, description = "Phiên bản đã cũ, hoặc dữ liệu đã bị khóa", body = ErrorBody),
        (status = 422, description = "Dữ liệu không hợp lệ (lỗi theo từng trường)", body = ErrorBody),
    )
)]
pub async fn update_fact(
    State(state): State<AppState>,
    user: ApiUser,
    Path((cid, uid, kind, id)): Path<(String, String, String, String)>,
    JsonBody(mut body): JsonBody,
) -> Result<Json<FactRecord>, ApiError> {
    let kind = kind_of(&kind)?;
    let version = body.integer("version");
    body.ignore("id");
    let Some(version) = version else { return Err(ApiError::fields(body.errors)) };
    let stored = state.app.change_fact(&user.actor, &cid, &uid, kind, Seen { id: &id, version }, &mut body).await?;
    Ok(Json(record(&stored)))
}

#[derive(Debug, Clone, Deserialize)]
pub struct VersionParam {
    /// The version of the record as read.
    pub version: Option<i64>,
}

/// Removes a record, naming the `version` you read (409 when it moved on).
#[utoipa::path(
    delete,
    path = "/campaigns/{cid}/units/{uid}/facts/{kind}/{id}",
    tag = "facts",
    security(("bearer" = [])),
    params(
        ("cid" = String, Path, description = "Mã đợt phát động"),
        ("uid" = String, Path, description = "Mã đơn vị"),
        ("kind" = KindCode, Path, description = "Loại dữ liệu"),
        ("id" = String, Path, description = "Mã bản ghi"),
        ("version" = i64, Query, description = "Phiên bản của bản ghi khi đọc"),
    ),
    responses(
        (status = 204, description = "Đã xóa"),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Vai trò không được nhập dữ liệu", body = ErrorBody),
        (status = 404, description = "Không có, hoặc ngoài phạm vi", body = ErrorBody),
        (status = 409, description = "Phiên bản đã cũ, hoặc dữ liệu đã bị khóa", body = ErrorBody),
        (status = 422, description = "Thiếu `version`", body = ErrorBody),
    )
)]
pub async fn delete_fact(
    State(state): State<AppState>,
    user: ApiUser,
    Path((cid, uid, kind, id)): Path<(String, String, String, String)>,
    query: Result<Query<VersionParam>, axum::extract::rejection::QueryRejection>,
) -> Result<StatusCode, ApiError> {
    let kind = kind_of(&kind)?;
    let version = query
        .ok()
        .and_then(|Query(q)| q.version)
        .ok_or_else(|| ApiError::field("version", "Cần gửi kèm số phiên bản của bản ghi (?version=…)."))?;
    state.app.delete_fact(&user.actor, &cid, &uid, kind, Seen { id: &id, version }).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Declares a list complete although it has no records (“không có vụ việc nào”), so the
/// checks that need it stop reporting missing data.
#[utoipa::path(
    post,
    path = "/campaigns/{cid}/units/{uid}/declare-complete/{kind}",
    tag = "facts",
    security(("bearer" = [])),
    params(
        ("cid" = String, Path, description = "Mã đợt phát động"),
        ("uid" = String, Path, description = "Mã đơn vị"),
        ("kind" = KindCode, Path, description = "Loại dữ liệu"),
    ),
    responses(
        (status = 204, description = "Đã ghi nhận danh sách đầy đủ"),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Vai trò không được nhập dữ liệu", body = ErrorBody),
        (status = 404, description = "Không có, hoặc ngoài phạm vi", body = ErrorBody),
        (status = 409, description = "Dữ liệu đã bị khóa", body = ErrorBody),
    )
)]
pub async fn declare_complete(
    State(state): State<AppState>,
    user: ApiUser,
    Path((cid, uid, kind)): Path<(String, String, String)>,
) -> Result<StatusCode, ApiError> {
    let kind = kind_of(&kind)?;
    state.app.declare_complete(&user.actor, &cid, &uid, kind).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Body of PUT …/flags/{flag}.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FlagValue {
    pub value: bool,
}

/// Sets a yes/no condition (a code of `vocabulary.conditions`, e.g. `party_organisation`).
#[utoipa::path(
    put,
    path = "/campaigns/{cid}/units/{uid}/flags/{flag}",
    tag = "facts",
    security(("bearer" = [])),
    params(
        ("cid" = String, Path, description = "Mã đợt phát động"),
        ("uid" = String, Path, description = "Mã đơn vị"),
        ("flag" = String, Path, description = "Mã điều kiện trong vocabulary.conditions"),
    ),
    request_body = FlagValue,
    responses(
        (status = 204, description = "Đã ghi"),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Vai trò không được nhập dữ liệu", body = ErrorBody),
        (status = 404, description = "Không có, ngoài phạm vi, hoặc không có điều kiện này", body = ErrorBody),
        (status = 409, description = "Dữ liệu đã bị khóa", body = ErrorBody),
        (status = 422, description = "Dữ liệu không hợp lệ", body = ErrorBody),
    )
)]
pub async fn set_flag(
    State(state): State<AppState>,
    user: ApiUser,
    Path((cid, uid, flag)): Path<(String, String, String)>,
    JsonBody(mut body): JsonBody,
) -> Result<StatusCode, ApiError> {
    let value = body.bool("value");
    body.finish()?;
    let value = value.ok_or_else(|| ApiError::invalid(super::error::INVALID))?;
    state.app.set_conditions(&user.actor, &cid, &uid, &[(flag, value)]).await.map_err(unknown_code_is_not_found)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Body of PUT …/previous-year/{kind}.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CountValue {
    pub count: u32,
}

/// Sets how many incidents of a kind (a code of `vocabulary.incident_kinds`) the unit had the
/// previous year.
#[utoipa::path(
    put,
    path = "/campaigns/{cid}/units/{uid}/previous-year/{kind}",
    tag = "facts",
    security(("bearer" = [])),
    params(
        ("cid" = String, Path, description = "Mã đợt phát động"),
        ("uid" = String, Path, description = "Mã đơn vị"),
        ("kind" = String, Path, description = "Mã loại vụ việc trong vocabulary.incident_kinds"),
    ),
    request_body = CountValue,
    responses(
        (status = 204, description = "Đã ghi"),
        (status = 401, description = "Thiếu hoặc sai mã truy cập", body = ErrorBody),
        (status = 403, description = "Vai trò không được nhập dữ liệu", body = ErrorBody),
        (status = 404, description = "Không có, ngoài phạm vi, hoặc không có loại vụ việc này", body = ErrorBody),
        (status = 409, description = "Dữ liệu đã bị khóa", body = ErrorBody),
        (status = 422, description = "Dữ liệu không hợp lệ", body = ErrorBody),
    )
)]
pub async fn set_previous_year(
    State(state): State<AppState>,
    user: ApiUser,
    Path((cid, uid, kind)): Path<(String, String, String)>,
    JsonBody(mut body): JsonBody,
) -> Result<StatusCode, ApiError> {
    let count = body.count("count");
    body.finish()?;
    let count = count.ok_or_else(|| ApiError::invalid(super::error::INVALID))?;
    state.app.set_previous_year(&user.actor, &cid, &uid, &[(kind, count)]).await.map_err(unknown_code_is_not_found)?;
    Ok(StatusCode::NO_CONTENT)
}

/// A code named in the path that the ruleset does not know is a resource that is not there.
fn unknown_code_is_not_found(e: antt_app::Error) -> ApiError {
    match e {
        antt_app::Error::Invalid { fields, .. } if !fields.is_empty() => {
            ApiError::not_found(fields.0.into_values().next().unwrap_or_default())
        }
        e => e.into(),
    }
}
