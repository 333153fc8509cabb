//! A unit's facts in a campaign: records of six kinds (read, added, changed with their version,
//! removed), lists declared complete, yes/no conditions and previous-year counts. Every code is
//! checked against the campaign ruleset's vocabulary.

use std::collections::BTreeMap;

use antt_core::Ruleset;
use antt_core::access::Action;
use antt_store::facts::{self, Kind, Record, Value, Writer};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::campaigns::{DISCIPLINE_LEVELS, SEVERITIES, Scoped, code_of, unit_in};
use super::error::{ApiError, ErrorBody};
use super::input::{ApiUser, Body, JsonBody, commit};
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_facts, create_fact))
        .routes(routes!(update_fact, delete_fact))
        .routes(routes!(declare_complete))
        .routes(routes!(set_flag))
        .routes(routes!(set_previous_year))
}

/// The kinds of fact records.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    Documents,
    Commitments,
    Incidents,
    Discipline,
    Titles,
    SubUnits,
}

fn kind_of(s: &str) -> Result<Kind, ApiError> {
    Kind::parse(s).ok_or_else(|| {
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
    /// A code of `vocabulary.groups`; one record per group.
    pub group_code: String,
    pub signed: u32,
    pub total: u32,
}

/// Something that happened: a crime, an accident, a security event, a social evil…
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IncidentFields {
    /// A code of `vocabulary.incident_kinds`.
    pub kind: String,
    pub occurred_on: chrono::NaiveDate,
    /// A code of `vocabulary.severities`.
    pub severity: Option<String>,
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
    pub kind: FactKind,
    pub items: Vec<FactRecord>,
}

fn fact_kind(kind: Kind) -> FactKind {
    match kind {
        Kind::Document => FactKind::Documents,
        Kind::Commitment => FactKind::Commitments,
        Kind::Incident => FactKind::Incidents,
        Kind::Discipline => FactKind::Discipline,
        Kind::Title => FactKind::Titles,
        Kind::SubUnit => FactKind::SubUnits,
    }
}

/// A required code that must be one of `known`, named `what` in messages.
fn code<'a>(body: &mut Body, field: &str, mut known: impl Iterator<Item = &'a String>, what: &str) -> Option<String> {
    let value = body.text(field)?;
    if known.any(|k| *k == value) {
        Some(value)
    } else {
        body.errors.add(field, format!("Mã “{value}” không có trong danh mục {what} của bộ tiêu chí."));
        None
    }
}

fn optional_code(body: &mut Body, field: &str, known: &[String], what: &str) -> Option<Option<String>> {
    let value = body.optional_text(field)?;
    match value {
        Some(v) if !known.contains(&v) => {
            body.errors.add(field, format!("Mã “{v}” không có trong danh mục {what}."));
            None
        }
        other => Some(other),
    }
}

/// A scale and a level of it, both required.
fn scale_level(body: &mut Body, r: &Ruleset) -> (Option<String>, Option<String>) {
    let scale = code(body, "scale", r.vocabulary.scales.keys(), "thang danh hiệu");
    let level = body.text("level");
    match (scale, level) {
        (Some(s), Some(l)) => match r.vocabulary.scales.get(&s) {
            Some(sc) if sc.rank(&l).is_some() => (Some(s), Some(l)),
            Some(sc) => {
                let levels: Vec<&str> = sc.levels.iter().map(|x| x.code.as_str()).collect();
                body.errors.add("level", format!("Mức “{l}” không có trong thang “{}” (các mức: {}).", sc.name, levels.join(", ")));
                (Some(s), None)
            }
            None => (Some(s), None),
        },
        other => other,
    }
}

/// Reads the fields of a record of `kind`, each checked; `None` when any was refused (the
/// messages are in `body.errors`).
fn read_fields(kind: Kind, body: &mut Body, r: &Ruleset) -> Option<FactFields> {
    let v = &r.vocabulary;
    match kind {
        Kind::Document => {
            let kind = match code(body, "kind", v.documents.keys(), "loại văn bản") {
                Some(k) if k == antt_core::eval::REGISTRATION => {
                    body.errors.add("kind", "Bản đăng ký phấn đấu được nộp theo quy trình đăng ký, không nhập như một văn bản.");
                    None
                }
                other => other,
            };
            let number = body.optional_text("number");
            let issued_on = body.optional_date("issued_on");
            Some(FactFields::Document(DocumentFields { kind: kind?, number: number?, issued_on: issued_on? }))
        }
        Kind::Commitment => {
            let group_code = code(body, "group_code", v.groups.keys(), "nhóm người cam kết");
            let signed = body.count("signed");
            let total = body.count("total");
            if let (Some(s), Some(t)) = (signed, total)
                && s > t
            {
                body.errors.add("signed", format!("Số người đã ký cam kết ({s}) không được lớn hơn tổng số ({t})."));
                return None;
            }
            Some(FactFields::Commitment(CommitmentFields { group_code: group_code?, signed: signed?, total: total? }))
        }
        Kind::Incident => {
            let severities: Vec<String> = SEVERITIES.iter().map(code_of).collect();
            let kind = code(body, "kind", v.incident_kinds.keys(), "loại vụ việc");
            let occurred_on = body.date("occurred_on");
            let severity = optional_code(body, "severity", &severities, "mức độ nghiêm trọng (ít nghiêm trọng … đặc biệt nghiêm trọng)");
            let in_territory = body.optional_bool("in_territory");
            let by_own_people = body.optional_bool("by_own_people");
            let force_majeure = body.optional_bool("force_majeure");
            let reported_promptly = body.optional_bool("reported_promptly");
            let note = body.optional_text("note");
            Some(FactFields::Incident(IncidentFields {
                kind: kind?,
                occurred_on: occurred_on?,
                severity: severity?,
                in_territory: in_territory?.unwrap_or(true),
                by_own_people: by_own_people?.unwrap_or(false),
                force_majeure: force_majeure?.unwrap_or(false),
                reported_promptly: reported_promptly?,
                note: note?,
            }))
        }
        Kind::Discipline => {
            let levels: Vec<String> = DISCIPLINE_LEVELS.iter().map(code_of).collect();
            let force_code = code(body, "force_code", v.forces.keys(), "lực lượng");
            let level = code(body, "level", levels.iter(), "hình thức kỷ luật");
            let decided_on = body.date("decided_on");
            let person = body.optional_text("person");
            Some(FactFields::Discipline(DisciplineFields {
                force_code: force_code?,
                level: level?,
                decided_on: decided_on?,
                person: person?,
            }))
        }
        Kind::Title => {
            let force_code = code(body, "force_code", v.forces.keys(), "lực lượng");
            let (scale, level) = scale_level(body, r);
            Some(FactFields::Title(TitleFields { force_code: force_code?, scale: scale?, level: level? }))
        }
        Kind::SubUnit => {
            let name = body.text("name");
            let given = body.optional_text("scale").flatten().is_some() || body.optional_text("level").flatten().is_some();
            let (scale, level) = if given {
                let (s, l) = scale_level(body, r);
                (s.map(Some), l.map(Some))
            } else {
                (Some(None), Some(None))
            };
            Some(FactFields::SubUnit(SubUnitFields { name: name?, scale: scale?, level: level? }))
        }
    }
}

fn text(s: &Option<String>) -> Value {
    Value::Text(s.clone())
}

fn flag(b: bool) -> Value {
    Value::Int(Some(i64::from(b)))
}

/// The columns to store.
fn values(fields: &FactFields) -> BTreeMap<String, Value> {
    let date = |d: &Option<chrono::NaiveDate>| Value::Text(d.map(|d| d.format("%Y-%m-%d").to_string()));
    let pairs: Vec<(&str, Value)> = match fields {
        FactFields::Document(d) => vec![("kind", Value::text(&d.kind)), ("number", text(&d.number)), ("issued_on", date(&d.issued_on))],
        FactFields::Commitment(c) => vec![
            ("group_code", Value::text(&c.group_code)),
            ("signed", Value::Int(Some(i64::from(c.signed)))),
            ("total", Value::Int(Some(i64::from(c.total)))),
        ],
        FactFields::Incident(i) => vec![
            ("kind", Value::text(&i.kind)),
            ("occurred_on", date(&Some(i.occurred_on))),
            ("severity", text(&i.severity)),
            ("in_territory", flag(i.in_territory)),
            ("by_own_people", flag(i.by_own_people)),
            ("force_majeure", flag(i.force_majeure)),
            ("reported_promptly", Value::Int(i.reported_promptly.map(i64::from))),
            ("note", text(&i.note)),
        ],
        FactFields::Discipline(d) => vec![
            ("force_code", Value::text(&d.force_code)),
            ("level", Value::text(&d.level)),
            ("decided_on", date(&Some(d.decided_on))),
            ("person", text(&d.person)),
        ],
        FactFields::Title(t) => {
            vec![("force_code", Value::text(&t.force_code)), ("scale", Value::text(&t.scale)), ("level", Value::text(&t.level))]
        }
        FactFields::SubUnit(s) => vec![("name", Value::text(&s.name)), ("scale", text(&s.scale)), ("level", text(&s.level))],
    };
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// A stored record as the API shows it.
fn record(kind: Kind, r: &Record) -> FactRecord {
    let t = |c: &str| r.text(c).map(str::to_owned);
    let s = |c: &str| t(c).unwrap_or_default();
    let date = |c: &str| r.text(c).and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let n = |c: &str| r.int(c).and_then(|i| u32::try_from(i).ok()).unwrap_or(0);
    let b = |c: &str| r.int(c).map(|i| i != 0);
    let fields = match kind {
        Kind::Document => FactFields::Document(DocumentFields { kind: s("kind"), number: t("number"), issued_on: date("issued_on") }),
        Kind::Commitment => {
            FactFields::Commitment(CommitmentFields { group_code: s("group_code"), signed: n("signed"), total: n("total") })
        }
        Kind::Incident => FactFields::Incident(IncidentFields {
            kind: s("kind"),
            occurred_on: date("occurred_on").unwrap_or_default(),
            severity: t("severity"),
            in_territory: b("in_territory").unwrap_or(true),
            by_own_people: b("by_own_people").unwrap_or(false),
            force_majeure: b("force_majeure").unwrap_or(false),
            reported_promptly: b("reported_promptly"),
            note: t("note"),
        }),
        Kind::Discipline => FactFields::Discipline(DisciplineFields {
            force_code: s("force_code"),
            level: s("level"),
            decided_on: date("decided_on").unwrap_or_default(),
            person: t("person"),
        }),
        Kind::Title => FactFields::Title(TitleFields { force_code: s("force_code"), scale: s("scale"), level: s("level") }),
        Kind::SubUnit => FactFields::SubUnit(SubUnitFields { name: s("name"), scale: t("scale"), level: t("level") }),
    };
    FactRecord { id: r.id.clone(), version: r.version, fields }
}

async fn stored(state: &AppState, s: &Scoped, kind: Kind, id: &str) -> Result<FactRecord, ApiError> {
    facts::list(&state.store, &s.campaign.id, &s.unit.id, kind)
        .await?
        .iter()
        .find(|r| r.id == id)
        .map(|r| record(kind, r))
        .ok_or_else(|| ApiError::not_found("Không tìm thấy bản ghi."))
}

/// One commitment record per group: a second one is a conflict with the stored one.
async fn ensure_one_per_group(state: &AppState, s: &Scoped, fields: &FactFields, except: Option<&str>) -> Result<(), ApiError> {
    let FactFields::Commitment(c) = fields else { return Ok(()) };
    let existing = facts::list(&state.store, &s.campaign.id, &s.unit.id, Kind::Commitment).await?;
    match existing.iter().find(|r| r.text("group_code") == Some(c.group_code.as_str()) && Some(r.id.as_str()) != except) {
        Some(r) => {
            let mut e = ApiError::field(
                "group_code",
                format!("Đã có bản ghi cam kết của nhóm này (mã {}); hãy sửa bản ghi đó thay vì thêm mới.", r.id),
            );
            e.status = StatusCode::CONFLICT;
            Err(e)
        }
        None => Ok(()),
    }
}

fn writer<'a>(user: &'a ApiUser, s: &'a Scoped) -> Writer<'a> {
    Writer { user_id: &user.user.id, campaign_id: &s.campaign.id, unit_id: &s.unit.id }
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
        ("kind" = FactKind, Path, description = "Loại dữ liệu"),
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
    let s = unit_in(&state, &user, &cid, &uid, Action::Read).await?;
    let items = facts::list(&state.store, &s.campaign.id, &s.unit.id, kind).await?.iter().map(|r| record(kind, r)).collect();
    Ok(Json(FactList { kind: fact_kind(kind), items }))
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
        ("kind" = FactKind, Path, description = "Loại dữ liệu"),
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
    let s = unit_in(&state, &user, &cid, &uid, Action::EditFacts).await?;
    let fields = read_fields(kind, &mut body, state.ruleset(&s.campaign.ruleset)?);
    body.finish()?;
    let fields = fields.ok_or_else(|| ApiError::invalid(super::error::INVALID))?;
    ensure_one_per_group(&state, &s, &fields, None).await?;
    let mut tx = state.store.begin().await?;
    let id = facts::insert(&mut tx, writer(&user, &s), kind, &values(&fields)).await?;
    commit(tx).await?;
    Ok((StatusCode::CREATED, Json(stored(&state, &s, kind, &id).await?)))
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
        ("kind" = FactKind, Path, description = "Loại dữ liệu"),
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
    let s = unit_in(&state, &user, &cid, &uid, Action::EditFacts).await?;
    let version = body.integer("version");
    body.ignore("id");
    let fields = read_fields(kind, &mut body, state.ruleset(&s.campaign.ruleset)?);
    body.finish()?;
    let (Some(version), Some(fields)) = (version, fields) else { return Err(ApiError::invalid(super::error::INVALID)) };
    ensure_one_per_group(&state, &s, &fields, Some(&id)).await?;
    let mut tx = state.store.begin().await?;
    facts::update(&mut tx, writer(&user, &s), kind, &id, version, &values(&fields)).await?;
    commit(tx).await?;
    Ok(Json(stored(&state, &s, kind, &id).await?))
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
        ("kind" = FactKind, Path, description = "Loại dữ liệu"),
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
    let s = unit_in(&state, &user, &cid, &uid, Action::EditFacts).await?;
    let version = query
        .ok()
        .and_then(|Query(q)| q.version)
        .ok_or_else(|| ApiError::field("version", "Cần gửi kèm số phiên bản của bản ghi (?version=…)."))?;
    let mut tx = state.store.begin().await?;
    facts::delete(&mut tx, writer(&user, &s), kind, &id, version).await?;
    commit(tx).await?;
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
        ("kind" = FactKind, Path, description = "Loại dữ liệu"),
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
    let s = unit_in(&state, &user, &cid, &uid, Action::EditFacts).await?;
    let mut tx = state.store.begin().await?;
    facts::declare_complete(&mut tx, writer(&user, &s), kind).await?;
    commit(tx).await?;
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
    let s = unit_in(&state, &user, &cid, &uid, Action::EditFacts).await?;
    if !state.ruleset(&s.campaign.ruleset)?.vocabulary.conditions.contains_key(&flag) {
        return Err(ApiError::not_found(format!("Không có điều kiện “{flag}” trong bộ tiêu chí của đợt.")));
    }
    let value = body.bool("value");
    body.finish()?;
    let value = value.ok_or_else(|| ApiError::invalid(super::error::INVALID))?;
    let mut tx = state.store.begin().await?;
    facts::set_flag(&mut tx, writer(&user, &s), &flag, value).await?;
    commit(tx).await?;
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
    let s = unit_in(&state, &user, &cid, &uid, Action::EditFacts).await?;
    if !state.ruleset(&s.campaign.ruleset)?.vocabulary.incident_kinds.contains_key(&kind) {
        return Err(ApiError::not_found(format!("Không có loại vụ việc “{kind}” trong bộ tiêu chí của đợt.")));
    }
    let count = body.count("count");
    body.finish()?;
    let count = count.ok_or_else(|| ApiError::invalid(super::error::INVALID))?;
    let mut tx = state.store.begin().await?;
    facts::set_previous_year(&mut tx, writer(&user, &s), &kind, count).await?;
    commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
}
