//! The audit log, read within the user's subtrees: filters by user, action, entity, unit and
//! dates, newest first, paged, with the values before and after shown readably.

use antt_core::access::{Action, permits};
use antt_store::audit::{self, Entry, Filter};
use antt_store::units;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::forms::FieldErrors;
use crate::pages::dashboard::{Pager, path_id};
use crate::view::{self, Frame};
use crate::{AppError, AppState};

pub fn routes() -> Router<AppState> {
    Router::new().route("/audit", get(page))
}

const PER_PAGE: u32 = 50;

/// Actions written by the application, with their Vietnamese names.
const ACTIONS: [(&str, &str); 33] = [
    ("create", "Tạo mới"),
    ("update", "Sửa"),
    ("delete", "Xóa"),
    ("declare_complete", "Xác nhận danh sách đầy đủ"),
    ("set_flag", "Đặt điều kiện"),
    ("set", "Ghi số liệu"),
    ("score", "Chấm điểm"),
    ("judge", "Đánh giá của đoàn kiểm tra"),
    ("import", "Nhập đơn vị"),
    ("rename", "Đổi tên đơn vị"),
    ("move", "Chuyển đơn vị sang xã khác"),
    ("retire", "Cho thôi đơn vị"),
    ("grant", "Cấp quyền"),
    ("submit", "Gửi"),
    ("return", "Trả lại"),
    ("receive", "Tiếp nhận"),
    ("upload", "Tải tệp lên"),
    ("confirm", "Xác nhận kết quả"),
    ("issue", "Ban hành quyết định"),
    ("lock", "Khóa dữ liệu"),
    ("unlock", "Mở khóa dữ liệu"),
    ("add_member", "Thêm thành viên đoàn"),
    ("remove_member", "Bỏ thành viên đoàn"),
    ("assign", "Phân công kiểm tra"),
    ("unassign", "Bỏ phân công kiểm tra"),
    ("disable", "Khóa tài khoản"),
    ("set_password", "Đặt mật khẩu"),
    ("revoke", "Thu hồi mã truy cập"),
    ("withdraw", "Bỏ quyền"),
    ("end_sessions", "Kết thúc phiên đăng nhập"),
    ("enable_second_factor", "Bật xác thực hai bước"),
    ("reset_second_factor", "Gỡ xác thực hai bước"),
    ("use_recovery_code", "Dùng mã khôi phục"),
];

/// Kinds of records, with their Vietnamese names.
const ENTITIES: [(&str, &str); 23] = [
    ("campaign", "Đợt phát động"),
    ("units", "Đơn vị"),
    ("user", "Người dùng"),
    ("api_token", "Mã truy cập API"),
    ("registrations", "Đăng ký"),
    ("documents", "Tài liệu"),
    ("commitments", "Cam kết"),
    ("incidents", "Vụ việc"),
    ("discipline", "Kỷ luật"),
    ("titles", "Danh hiệu"),
    ("sub_units", "Bộ phận trực thuộc"),
    ("unit_flags", "Điều kiện"),
    ("previous_year_counts", "Số liệu năm trước"),
    ("evidence_files", "Tệp minh chứng"),
    ("scores", "Điểm"),
    ("judgements", "Đánh giá của đoàn kiểm tra"),
    ("inspection_teams", "Đoàn kiểm tra"),
    ("verdicts", "Kết quả xét duyệt"),
    ("review_minutes", "Biên bản họp xét"),
    ("proposals", "Đề nghị khen thưởng, phê bình"),
    ("decisions", "Quyết định công nhận"),
    ("locks", "Khóa dữ liệu"),
    ("sessions", "Phiên đăng nhập"),
];

/// Field names in before/after values, in Vietnamese.
const FIELDS: [(&str, &str); 24] = [
    ("name", "Tên"),
    ("kind", "Loại"),
    ("number", "Số"),
    ("issued_on", "Ngày ban hành"),
    ("decided_on", "Ngày quyết định"),
    ("group_code", "Nhóm"),
    ("signed", "Đã ký cam kết"),
    ("total", "Tổng số"),
    ("occurred_on", "Ngày xảy ra"),
    ("severity", "Mức độ"),
    ("note", "Ghi chú"),
    ("level", "Mức"),
    ("reason", "Lý do"),
    ("proposed", "Đề xuất"),
    ("confirmed", "Kết quả xác nhận"),
    ("classification", "Xếp loại"),
    ("decision", "Quyết định"),
    ("signer", "Người ký"),
    ("authority", "Cấp có thẩm quyền"),
    ("units", "Đơn vị"),
    ("role", "Vai trò"),
    ("starts_on", "Từ ngày"),
    ("ends_on", "Đến ngày"),
    ("points", "Điểm"),
];

/// Codes stored as values, in Vietnamese.
const VALUES: [(&str, &str); 9] = [
    ("recognised", "Đạt chuẩn"),
    ("not_recognised", "Chưa đạt chuẩn"),
    ("incomplete", "Chưa đủ dữ liệu"),
    ("khen_thuong", "Khen thưởng"),
    ("phe_binh", "Phê bình"),
    ("truong_doan", "Trưởng đoàn"),
    ("thanh_vien", "Thành viên"),
    ("self", "Tự chấm"),
    ("reviewed", "Đoàn kiểm tra chấm"),
];

fn name_of<'a>(table: &'a [(&'a str, &'a str)], code: &'a str) -> &'a str {
    table.iter().find(|(c, _)| *c == code).map_or(code, |(_, n)| n)
}

#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    user: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    entity: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    page: Option<u32>,
}

#[derive(Debug, Clone)]
struct Field {
    name: String,
    value: String,
    changed: bool,
}

#[derive(Debug, Clone)]
struct Row {
    at: String,
    user: String,
    action: String,
    action_code: String,
    entity: String,
    entity_id: String,
    unit: Option<(String, String)>,
    before: Vec<Field>,
    after: Vec<Field>,
}

#[derive(Template)]
#[template(path = "audit_log.html")]
struct AuditPage {
    frame: Frame,
    q: AuditQuery,
    scopes: Vec<(String, String, bool)>,
    actions: Vec<(String, String, bool)>,
    entities: Vec<(String, String, bool)>,
    unit_name: Option<String>,
    rows: Vec<Row>,
    pager: Pager,
    errors: FieldErrors,
}

/// Names of the codes the rulesets define (documents, groups, incident kinds, forces, conditions,
/// title levels), so the log shows "nghị quyết của cấp ủy Đảng…" rather than `party_resolution`.
type Names = std::collections::HashMap<String, String>;

async fn vocabulary_names(state: &AppState) -> Result<Names, AppError> {
    let mut names = Names::new();
    for rs in state.app.rulesets_in_use().await? {
        let v = &rs.vocabulary;
        for map in [&v.documents, &v.groups, &v.incident_kinds, &v.forces, &v.conditions] {
            for (code, name) in map {
                names.entry(code.clone()).or_insert_with(|| name.clone());
            }
        }
        for scale in v.scales.values() {
            for level in &scale.levels {
                names.entry(level.code.clone()).or_insert_with(|| level.name.clone());
            }
        }
    }
    Ok(names)
}

/// Technical fields that mean nothing to a reader of the log.
const HIDDEN: [&str; 5] = ["id", "campaign_id", "unit_id", "submitted_copy", "version"];

/// A JSON value as a reader would write it.
fn readable(v: &serde_json::Value, names: &Names) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "—".into(),
        Value::Bool(true) => "có".into(),
        Value::Bool(false) => "không".into(),
        Value::Number(n) => match (n.as_u64(), n.as_f64()) {
            (Some(u), _) => antt_core::vi::integer(u),
            (None, Some(f)) => antt_core::vi::decimal(f, 2),
            _ => n.to_string(),
        },
        Value::String(s) => {
            if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                antt_core::vi::date(d)
            } else if chrono::DateTime::parse_from_rfc3339(s).is_ok() {
                view::instant(s)
            } else if let Some(name) = names.get(s) {
                name.clone()
            } else {
                name_of(&VALUES, s).to_owned()
            }
        }
        Value::Array(items) => items.iter().map(|i| readable(i, names)).collect::<Vec<_>>().join(", "),
        Value::Object(map) => map
            .iter()
            .filter(|(k, _)| !HIDDEN.contains(&k.as_str()))
            .map(|(k, v)| format!("{}: {}", names.get(k).map_or_else(|| name_of(&FIELDS, k), String::as_str), readable(v, names)))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// The fields of a before or after value, marking those that differ from the other side.
fn fields(this: Option<&str>, other: Option<&str>, names: &Names) -> Vec<Field> {
    let parse = |s: Option<&str>| s.and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok());
    let (this, other) = (parse(this), parse(other));
    match this {
        None => Vec::new(),
        Some(serde_json::Value::Object(map)) => map
            .iter()
            .filter(|(k, _)| !HIDDEN.contains(&k.as_str()))
            .map(|(k, v)| {
                let changed = match &other {
                    Some(serde_json::Value::Object(o)) => o.get(k) != Some(v),
                    _ => false,
                };
                // A key may itself be a code, e.g. previous-year counts keyed by incident kind.
                let name = names.get(k).map_or_else(|| name_of(&FIELDS, k).to_owned(), Clone::clone);
                Field { name, value: readable(v, names), changed }
            })
            .collect(),
        Some(v) => vec![Field { name: String::new(), value: readable(&v, names), changed: false }],
    }
}

fn row(e: Entry, names: &Names) -> Row {
    Row {
        at: view::instant(&e.at),
        user: e.user.clone().unwrap_or_else(|| "hệ thống".into()),
        action: name_of(&ACTIONS, &e.action).to_owned(),
        entity: name_of(&ENTITIES, &e.entity).to_owned(),
        before: fields(e.before.as_deref(), e.after.as_deref(), names),
        after: fields(e.after.as_deref(), e.before.as_deref(), names),
        unit: e.unit_id.map(|id| (id.clone(), e.unit_name.unwrap_or(id))),
        action_code: e.action,
        entity_id: e.entity_id,
    }
}

fn options(table: &[(&str, &str)], chosen: &str) -> Vec<(String, String, bool)> {
    let mut out: Vec<(String, String, bool)> = table.iter().map(|(c, n)| ((*c).to_owned(), (*n).to_owned(), *c == chosen)).collect();
    if !chosen.is_empty() && !table.iter().any(|(c, _)| *c == chosen) {
        out.push((chosen.to_owned(), chosen.to_owned(), true));
    }
    out
}

async fn page(State(state): State<AppState>, user: CurrentUser, Query(q): Query<AuditQuery>) -> Result<Response, AppError> {
    // The subtrees whose log the user may read.
    let mut scopes = Vec::new();
    for path in user.actor.scopes() {
        if permits(&user.actor.grants, Action::ViewAudit, path)
            && let Some(u) = units::get(state.app.store(), path_id(path)).await?
        {
            scopes.push(u);
        }
    }
    let Some(first) = scopes.first() else {
        return Err(antt_app::access::forbidden(Action::ViewAudit).into());
    };
    let scope = scopes.iter().find(|u| u.id == q.scope).unwrap_or(first).clone();
    antt_app::access::check(&user.actor, &scope, Action::ViewAudit)?;

    let mut errors = FieldErrors::default();
    let from = (!q.from.trim().is_empty()).then(|| errors.date("from", &q.from)).flatten();
    let to = (!q.to.trim().is_empty()).then(|| errors.date("to", &q.to)).flatten();
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        errors.add("to", "Ngày kết thúc phải sau ngày bắt đầu.");
    }
    let mut unit_name = None;
    let unit = q.unit.trim();
    if !unit.is_empty() {
        match units::get(state.app.store(), unit).await? {
            Some(u) if u.path.starts_with(&scope.path) && user.actor.may(Action::Read, &u.path) => unit_name = Some(u.name),
            _ => errors.add("unit", format!("Không có đơn vị mã “{unit}” trong phạm vi bạn được xem.")),
        }
    }
    let clean = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    let filter = Filter {
        scope_path: Some(scope.path.clone()),
        user: clean(&q.user).map(|u| u.to_lowercase()),
        action: clean(&q.action),
        entity: clean(&q.entity),
        unit_id: clean(unit),
        from: from.map(|d| d.format("%Y-%m-%d").to_string()),
        to: to.map(|d| d.format("%Y-%m-%d").to_string()),
    };
    let (rows, total) = if errors.is_empty() {
        let (entries, total) = audit::list(state.app.store(), &filter, q.page.unwrap_or(1).max(1), PER_PAGE).await?;
        let names = vocabulary_names(&state).await?;
        (entries.into_iter().map(|e| row(e, &names)).collect(), total)
    } else {
        (Vec::new(), 0)
    };
    let pager = Pager::for_query(
        "/audit",
        &[
            ("scope", q.scope.as_str()),
            ("user", q.user.as_str()),
            ("action", q.action.as_str()),
            ("entity", q.entity.as_str()),
            ("unit", q.unit.as_str()),
            ("from", q.from.as_str()),
            ("to", q.to.as_str()),
        ],
        total,
        q.page.unwrap_or(1),
        PER_PAGE,
    );
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = AuditPage {
        frame: Frame::new(&user, "Nhật ký thay đổi", "audit"),
        scopes: scopes.iter().map(|u| (u.id.clone(), u.name.clone(), u.id == scope.id)).collect(),
        actions: options(&ACTIONS, q.action.trim()),
        entities: options(&ENTITIES, q.entity.trim()),
        unit_name,
        rows,
        pager,
        errors,
        q,
    };
    Ok((status, Html(page.render()?)).into_response())
}
