//! Fact entry for one unit in a campaign: a list, an add form, edit and delete (with the
//! record's version) for every kind of record; "none" declared explicitly; yes/no conditions;
//! previous-year counts; and evidence files (uploaded as multipart, checked by name and content).

use std::collections::BTreeMap;

use antt_core::access::Action;
use antt_core::model::{DisciplineLevel, Severity};
use antt_core::ruleset::{Check, Ruleset, Scale};
use antt_store::campaigns::CampaignRow;
use antt_store::facts::{self, Kind, Record, Value, Writer};
use antt_store::units::UnitRow;
use antt_store::{StoreError, evidence, registrations};
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::units::{Fields, ListView, UnitHead, head, in_campaign};
use crate::auth::CurrentUser;
use crate::forms::{self, FieldErrors, SecureForm};
use crate::view::{self, Frame};
use crate::{AppError, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/c/{cid}/units/{uid}/facts/{kind}", get(list_page).post(add))
        .route("/c/{cid}/units/{uid}/facts/{kind}/complete", post(complete))
        .route("/c/{cid}/units/{uid}/facts/{kind}/{id}", get(edit_page).post(edit))
        .route("/c/{cid}/units/{uid}/facts/{kind}/{id}/delete", post(delete))
        .route("/c/{cid}/units/{uid}/flags", get(flags_page).post(save_flags))
        .route("/c/{cid}/units/{uid}/previous-year", get(previous_page).post(save_previous))
        // The upload bounds what it reads itself, to refuse a large file by name and size.
        .route("/c/{cid}/units/{uid}/evidence", get(evidence_page).post(upload).layer(DefaultBodyLimit::disable()))
        .route("/c/{cid}/units/{uid}/evidence/{id}", get(download))
}

/// Every kind of record, in the order the pages show them.
pub(crate) const KINDS: [Kind; 6] = [Kind::Document, Kind::Commitment, Kind::Incident, Kind::Discipline, Kind::Title, Kind::SubUnit];

pub(crate) fn title(kind: Kind) -> &'static str {
    match kind {
        Kind::Document => "Tài liệu, văn bản",
        Kind::Commitment => "Ký cam kết",
        Kind::Incident => "Vụ việc",
        Kind::Discipline => "Kỷ luật",
        Kind::Title => "Danh hiệu thi đua",
        Kind::SubUnit => "Đầu mối trực thuộc",
    }
}

const SEVERITIES: [Severity; 4] = [Severity::ItNghiemTrong, Severity::NghiemTrong, Severity::RatNghiemTrong, Severity::DacBietNghiemTrong];
const LEVELS: [DisciplineLevel; 6] = [
    DisciplineLevel::KhienTrach,
    DisciplineLevel::CanhCao,
    DisciplineLevel::HaBacLuong,
    DisciplineLevel::GiangChuc,
    DisciplineLevel::CachChuc,
    DisciplineLevel::BuocThoiViec,
];

/// The snake_case code of a core enum, as stored.
fn code_of<T: serde::Serialize>(t: T) -> String {
    serde_json::to_value(t).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

fn severity_name(code: &str) -> Option<&'static str> {
    SEVERITIES.into_iter().find(|s| code_of(*s) == code).map(Severity::name)
}

fn level_name(code: &str) -> Option<&'static str> {
    LEVELS.into_iter().find(|l| code_of(*l) == code).map(DisciplineLevel::name)
}

/// The vocabulary of a ruleset as it matters for one unit type: the codes its criteria name
/// come first; every code of the vocabulary is accepted.
pub(crate) struct Vocab<'a> {
    pub ruleset: &'a Ruleset,
    pub unit_type: &'a str,
}

fn sorted(mut list: Vec<(String, String)>) -> Vec<(String, String)> {
    list.sort_by_cached_key(|(_, name)| antt_core::text::sort_key(name));
    list
}

impl<'a> Vocab<'a> {
    fn checks(&self) -> impl Iterator<Item = &'a Check> + '_ {
        self.ruleset.criteria_for(self.unit_type).flat_map(|c| c.parts.iter().map(|p| &p.check))
    }

    /// The codes of `map` the unit type's criteria name (all of them when none), with names.
    fn relevant(&self, map: &BTreeMap<String, String>, named: Vec<String>) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for code in named {
            if let Some(name) = map.get(&code)
                && !out.iter().any(|(c, _)| *c == code)
            {
                out.push((code, capitalise_first(name)));
            }
        }
        if out.is_empty() { sorted(map.iter().map(|(c, n)| (c.clone(), capitalise_first(n))).collect()) } else { out }
    }

    fn groups(&self) -> Vec<(String, String)> {
        let named = self
            .checks()
            .flat_map(|c| match c {
                Check::CommitmentRatio(r) => r.groups.iter().chain(&r.not_counted).cloned().collect(),
                _ => Vec::new(),
            })
            .collect();
        self.relevant(&self.ruleset.vocabulary.groups, named)
    }

    fn forces(&self) -> Vec<(String, String)> {
        let named = self
            .checks()
            .flat_map(|c| match c {
                Check::TitleAtLeast(t) => vec![t.force.clone()],
                Check::NoDiscipline(d) => d.forces.clone(),
                _ => Vec::new(),
            })
            .collect();
        self.relevant(&self.ruleset.vocabulary.forces, named)
    }

    /// Document kinds other than the registration itself (made on its own page).
    pub fn documents(&self) -> Vec<(String, String)> {
        let named = self
            .checks()
            .filter_map(|c| match c {
                Check::Document(d) => Some(d.kind.clone()),
                _ => None,
            })
            .collect();
        self.relevant(&self.ruleset.vocabulary.documents, named).into_iter().filter(|(c, _)| c != antt_core::eval::REGISTRATION).collect()
    }

    fn incident_kinds(&self) -> Vec<(String, String)> {
        sorted(self.ruleset.vocabulary.incident_kinds.iter().map(|(c, n)| (c.clone(), capitalise_first(n))).collect())
    }

    /// Incident kinds compared with the previous year by the unit type's criteria.
    fn previous_year_kinds(&self) -> Vec<(String, String)> {
        let named = self
            .checks()
            .flat_map(|c| match c {
                Check::NotMoreThanLastYear(n) => n.kinds.clone(),
                _ => Vec::new(),
            })
            .collect();
        self.relevant(&self.ruleset.vocabulary.incident_kinds, named)
    }

    /// The scales, those the unit type's criteria name first.
    fn scales(&self) -> Vec<(&'a str, &'a Scale)> {
        let mut named: Vec<&str> = self
            .checks()
            .filter_map(|c| match c {
                Check::TitleAtLeast(t) => Some(t.scale.as_str()),
                Check::ShareOfSubUnits(s) => Some(s.scale.as_str()),
                _ => None,
            })
            .collect();
        named.dedup();
        let all = &self.ruleset.vocabulary.scales;
        let mut out: Vec<(&'a str, &'a Scale)> = Vec::new();
        for code in named.into_iter().chain(all.keys().map(String::as_str)) {
            if let Some((c, s)) = all.get_key_value(code)
                && !out.iter().any(|(o, _)| *o == c.as_str())
            {
                out.push((c.as_str(), s));
            }
        }
        out
    }

    fn scale(&self, code: &str) -> Option<&'a Scale> {
        self.ruleset.vocabulary.scales.get(code)
    }
}

/// The conditions the unit type's conditional parts depend on, with their names.
pub(crate) fn conditions_for(ruleset: &Ruleset, unit_type: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for c in ruleset.criteria_for(unit_type) {
        for p in &c.parts {
            if let Some(w) = &p.when
                && !out.iter().any(|(code, _)| code == w)
            {
                out.push((w.clone(), capitalise_first(ruleset.vocabulary.conditions.get(w).unwrap_or(w))));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Showing records.

fn headers(kind: Kind) -> Vec<&'static str> {
    match kind {
        Kind::Document => vec!["Loại tài liệu", "Số, ký hiệu", "Ngày"],
        Kind::Commitment => vec!["Nhóm", "Đã ký", "Tổng số", "Tỷ lệ"],
        Kind::Incident => {
            vec!["Loại vụ việc", "Ngày", "Mức độ", "Trên địa bàn", "Do người của đơn vị", "Bất khả kháng", "Báo cáo ngay", "Ghi chú"]
        }
        Kind::Discipline => vec!["Lực lượng", "Hình thức", "Ngày quyết định", "Người bị kỷ luật"],
        Kind::Title => vec!["Lực lượng", "Thang danh hiệu", "Danh hiệu, mức"],
        Kind::SubUnit => vec!["Tên đầu mối", "Danh hiệu"],
    }
}

fn iso_to_vi(iso: Option<&str>) -> String {
    iso.map(view::date).unwrap_or_else(|| "—".into())
}

fn yes_no(v: Option<i64>) -> String {
    match v {
        Some(0) => "Không".into(),
        Some(_) => "Có".into(),
        None => "Chưa rõ".into(),
    }
}

/// A record's cells, in Vietnamese.
fn cells(ruleset: &Ruleset, kind: Kind, r: &Record) -> Vec<String> {
    let v = &ruleset.vocabulary;
    let named = |map: &BTreeMap<String, String>, col: &str| {
        let code = r.text(col).unwrap_or_default();
        map.get(code).map_or_else(|| code.to_owned(), |n| capitalise_first(n))
    };
    let text = |col: &str| r.text(col).filter(|t| !t.is_empty()).unwrap_or("—").to_owned();
    let scale_level = |scale: Option<&str>, level: Option<&str>| match (scale.and_then(|s| v.scales.get(s)), level) {
        (Some(s), Some(l)) => s.level_name(l).to_owned(),
        _ => "—".to_owned(),
    };
    match kind {
        Kind::Document => vec![named(&v.documents, "kind"), text("number"), iso_to_vi(r.text("issued_on"))],
        Kind::Commitment => {
            let (s, t) = (r.int("signed").unwrap_or(0).max(0) as u64, r.int("total").unwrap_or(0).max(0) as u64);
            vec![named(&v.groups, "group_code"), antt_core::vi::integer(s), antt_core::vi::integer(t), antt_core::vi::percent(s, t)]
        }
        Kind::Incident => vec![
            named(&v.incident_kinds, "kind"),
            iso_to_vi(r.text("occurred_on")),
            r.text("severity").and_then(severity_name).unwrap_or("—").to_owned(),
            yes_no(r.int("in_territory")),
            yes_no(r.int("by_own_people")),
            yes_no(r.int("force_majeure")),
            yes_no(r.int("reported_promptly")),
            text("note"),
        ],
        Kind::Discipline => vec![
            named(&v.forces, "force_code"),
            r.text("level").and_then(level_name).unwrap_or("—").to_owned(),
            iso_to_vi(r.text("decided_on")),
            text("person"),
        ],
        Kind::Title => vec![
            named(&v.forces, "force_code"),
            r.text("scale").and_then(|s| v.scales.get(s)).map_or_else(|| "—".to_owned(), |s| capitalise_first(&s.name)),
            scale_level(r.text("scale"), r.text("level")),
        ],
        Kind::SubUnit => vec![text("name"), scale_level(r.text("scale"), r.text("level"))],
    }
}

fn list_state(count: usize, recorded: bool) -> String {
    match (count, recorded) {
        (0, true) => "Đã xác nhận: không có".into(),
        (0, false) => "Chưa nhập".into(),
        (n, _) => format!("{n} bản ghi"),
    }
}

/// A list as the unit page shows it.
pub(crate) fn list_view(ruleset: &Ruleset, kind: Kind, records: &[Record], recorded: bool) -> ListView {
    ListView {
        segment: kind.table(),
        title: title(kind),
        state: list_state(records.len(), recorded),
        headers: headers(kind),
        rows: records.iter().map(|r| cells(ruleset, kind, r)).collect(),
    }
}

// ---------------------------------------------------------------------------------------------
// Forms.

#[derive(Debug, Clone)]
pub(crate) struct OptView {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct OptGroup {
    /// Empty: options outside any group.
    pub label: String,
    pub options: Vec<OptView>,
}

/// One field of a form with what was typed and its error.
#[derive(Debug, Clone)]
pub(crate) struct FieldView {
    pub name: String,
    pub label: String,
    /// "text", "date", "count", "select", "radio" or "textarea".
    pub input: &'static str,
    pub required: bool,
    pub value: String,
    pub error: Option<String>,
    pub groups: Vec<OptGroup>,
    /// The choice shown first in a select (e.g. "— Chọn —").
    pub placeholder: String,
}

impl FieldView {
    fn new(name: &str, label: &str, input: &'static str, required: bool, f: &Fields, e: &FieldErrors) -> Self {
        Self {
            name: name.to_owned(),
            label: label.to_owned(),
            input,
            required,
            value: f.get(name).to_owned(),
            error: e.get(name).map(str::to_owned),
            groups: Vec::new(),
            placeholder: if required { "— Chọn —".into() } else { "— Không chọn —".into() },
        }
    }

    fn options(mut self, options: &[(String, String)]) -> Self {
        let value = self.value.clone();
        let options = options.iter().map(|(v, l)| OptView { value: v.clone(), label: l.clone(), selected: *v == value }).collect();
        self.groups.push(OptGroup { label: String::new(), options });
        self
    }
}

fn yes_no_options(unknown: bool) -> Vec<(String, String)> {
    let mut o = vec![("1".to_owned(), "Có".to_owned()), ("0".to_owned(), "Không".to_owned())];
    if unknown {
        o.push((String::new(), "Chưa rõ".to_owned()));
    }
    o
}

/// The fields of a kind's form.
fn form_fields(kind: Kind, vocab: &Vocab<'_>, f: &Fields, e: &FieldErrors) -> Vec<FieldView> {
    let v = &vocab.ruleset.vocabulary;
    // Keep a current code the relevant list does not name, so editing never loses it.
    let with_current = |mut list: Vec<(String, String)>, map: &BTreeMap<String, String>, field: &str| {
        let current = f.get(field);
        if let Some(name) = map.get(current)
            && !list.iter().any(|(c, _)| c == current)
        {
            list.push((current.to_owned(), name.clone()));
        }
        list
    };
    let ordered = vocab.scales();
    let scales: Vec<(String, String)> = ordered.iter().map(|(c, s)| ((*c).to_owned(), capitalise_first(&s.name))).collect();
    let levels = |field: &FieldView, chosen_scale: &str| -> Vec<OptGroup> {
        ordered
            .iter()
            .map(|(code, s)| OptGroup {
                label: capitalise_first(&s.name),
                options: s
                    .levels
                    .iter()
                    .map(|l| OptView {
                        value: l.code.clone(),
                        label: l.name.clone(),
                        selected: *code == chosen_scale && l.code == field.value,
                    })
                    .collect(),
            })
            .collect()
    };
    let field = |name: &str, label: &str, input: &'static str, required: bool| FieldView::new(name, label, input, required, f, e);
    match kind {
        Kind::Document => vec![
            field("kind", "Loại tài liệu", "select", true).options(&with_current(vocab.documents(), &v.documents, "kind")),
            field("number", "Số, ký hiệu", "text", false),
            field("issued_on", "Ngày ban hành (dd/mm/yyyy)", "date", false),
        ],
        Kind::Commitment => vec![
            field("group_code", "Nhóm người ký cam kết", "select", true).options(&with_current(vocab.groups(), &v.groups, "group_code")),
            field("signed", "Số đã ký cam kết", "count", true),
            field("total", "Tổng số", "count", true),
        ],
        Kind::Incident => {
            let severities: Vec<(String, String)> = SEVERITIES.iter().map(|s| (code_of(*s), s.name().to_owned())).collect();
            vec![
                field("kind", "Loại vụ việc", "select", true).options(&vocab.incident_kinds()),
                field("occurred_on", "Ngày xảy ra (dd/mm/yyyy)", "date", true),
                field("severity", "Mức độ (theo Bộ luật Hình sự, nếu có)", "select", false).options(&severities),
                field("in_territory", "Xảy ra trên địa bàn, trong khuôn viên đơn vị", "radio", true).options(&yes_no_options(false)),
                field("by_own_people", "Do người của đơn vị (người dân, cán bộ, người học…) gây ra", "radio", true)
                    .options(&yes_no_options(false)),
                field("force_majeure", "Do nguyên nhân bất khả kháng", "radio", true).options(&yes_no_options(false)),
                field("reported_promptly", "Được phát hiện, báo cáo ngay", "radio", false).options(&yes_no_options(true)),
                field("note", "Ghi chú", "textarea", false),
            ]
        }
        Kind::Discipline => {
            let levels: Vec<(String, String)> = LEVELS.iter().map(|l| (code_of(*l), l.name().to_owned())).collect();
            vec![
                field("force_code", "Lực lượng", "select", true).options(&with_current(vocab.forces(), &v.forces, "force_code")),
                field("level", "Hình thức kỷ luật", "select", true).options(&levels),
                field("decided_on", "Ngày quyết định (dd/mm/yyyy)", "date", true),
                field("person", "Người bị kỷ luật", "text", false),
            ]
        }
        Kind::Title => {
            let mut level = field("level", "Danh hiệu, mức (thuộc thang đã chọn)", "select", true);
            level.groups = levels(&level, f.get("scale"));
            vec![
                field("force_code", "Lực lượng", "select", true).options(&with_current(vocab.forces(), &v.forces, "force_code")),
                field("scale", "Thang danh hiệu", "select", true).options(&scales),
                level,
            ]
        }
        Kind::SubUnit => {
            let mut level = field("level", "Danh hiệu đạt được (thuộc thang đã chọn)", "select", false);
            level.groups = levels(&level, f.get("scale"));
            vec![
                field("name", "Tên đầu mối (phòng, ban, tổ, đội, khoa…)", "text", true),
                field("scale", "Thang danh hiệu", "select", false).options(&scales),
                level,
            ]
        }
    }
}

/// The form values of a stored record.
fn record_fields(kind: Kind, r: &Record) -> Fields {
    let mut out = Vec::new();
    for column in kind.columns() {
        let value = match r.values.get(*column) {
            Some(Value::Text(Some(t))) if column.ends_with("_on") => view::date(t),
            Some(Value::Text(t)) => t.clone().unwrap_or_default(),
            Some(Value::Int(i)) => i.map(|i| i.to_string()).unwrap_or_default(),
            None => String::new(),
        };
        out.push(((*column).to_owned(), value));
    }
    Fields(out)
}

/// The values of a new record's form.
fn default_fields(kind: Kind) -> Fields {
    match kind {
        Kind::Incident => {
            Fields(vec![("in_territory".into(), "1".into()), ("by_own_people".into(), "0".into()), ("force_majeure".into(), "0".into())])
        }
        _ => Fields::default(),
    }
}

fn text(v: Option<String>) -> Value {
    Value::Text(v)
}

fn date_value(d: Option<chrono::NaiveDate>) -> Value {
    Value::Text(d.map(|d| d.format("%Y-%m-%d").to_string()))
}

/// Reads a code that must be one of `allowed`.
fn code(e: &mut FieldErrors, f: &Fields, field: &str, required: bool, allowed: impl Fn(&str) -> bool) -> Option<String> {
    let v = f.get(field).trim();
    if v.is_empty() {
        if required {
            e.add(field, "Cần chọn một mục.");
        }
        return None;
    }
    if !allowed(v) {
        e.add(field, format!("Lựa chọn “{v}” không hợp lệ."));
        return None;
    }
    Some(v.to_owned())
}

fn flag(e: &mut FieldErrors, f: &Fields, field: &str, required: bool) -> Option<i64> {
    match f.get(field) {
        "1" => Some(1),
        "0" => Some(0),
        "" if !required => None,
        "" => {
            e.add(field, "Cần chọn Có hoặc Không.");
            None
        }
        _ => {
            e.add(field, "Lựa chọn không hợp lệ.");
            None
        }
    }
}

fn optional_date(e: &mut FieldErrors, f: &Fields, field: &str) -> Option<chrono::NaiveDate> {
    if f.get(field).trim().is_empty() { None } else { e.date(field, f.get(field)) }
}

/// Checks the level belongs to the chosen scale.
fn scale_level(e: &mut FieldErrors, vocab: &Vocab<'_>, f: &Fields, required: bool) -> (Option<String>, Option<String>) {
    let scale = code(e, f, "scale", required, |c| vocab.scale(c).is_some());
    let level = f.get("level").trim().to_owned();
    match (&scale, level.is_empty()) {
        (None, true) => (None, None),
        (None, false) => {
            if e.get("scale").is_none() {
                e.add("scale", "Cần chọn thang danh hiệu cho mức đã chọn.");
            }
            (None, None)
        }
        (Some(_), true) => {
            e.add("level", "Cần chọn danh hiệu, mức.");
            (scale, None)
        }
        (Some(s), false) => match vocab.scale(s) {
            Some(sc) if sc.rank(&level).is_some() => (scale, Some(level)),
            Some(sc) => {
                e.add("level", format!("Mức này không thuộc thang “{}”.", sc.name));
                (scale, None)
            }
            None => (scale, None),
        },
    }
}

/// Validates a kind's form into the values to store.
fn parse(kind: Kind, vocab: &Vocab<'_>, f: &Fields, e: &mut FieldErrors) -> BTreeMap<String, Value> {
    let v = &vocab.ruleset.vocabulary;
    let mut out = BTreeMap::new();
    let mut put = |k: &str, val: Value| {
        out.insert(k.to_owned(), val);
    };
    match kind {
        Kind::Document => {
            let kind = code(e, f, "kind", true, |c| v.documents.contains_key(c) && c != antt_core::eval::REGISTRATION);
            put("kind", text(kind));
            put("number", text(f.optional("number")));
            put("issued_on", date_value(optional_date(e, f, "issued_on")));
        }
        Kind::Commitment => {
            put("group_code", text(code(e, f, "group_code", true, |c| v.groups.contains_key(c))));
            let signed = e.count("signed", f.get("signed"));
            let total = e.count("total", f.get("total"));
            if total == Some(0) {
                e.add("total", "Tổng số phải lớn hơn 0.");
            }
            if let (Some(s), Some(t)) = (signed, total)
                && s > t
            {
                e.add(
                    "signed",
                    format!(
                        "Số đã ký ({}) không được lớn hơn tổng số ({}).",
                        antt_core::vi::integer(s.into()),
                        antt_core::vi::integer(t.into())
                    ),
                );
            }
            put("signed", Value::Int(signed.map(i64::from)));
            put("total", Value::Int(total.map(i64::from)));
        }
        Kind::Incident => {
            put("kind", text(code(e, f, "kind", true, |c| v.incident_kinds.contains_key(c))));
            let on = e.date("occurred_on", f.get("occurred_on"));
            if let Some(d) = on
                && d > super::units::today()
            {
                e.add("occurred_on", "Ngày xảy ra không được sau ngày hôm nay.");
            }
            put("occurred_on", date_value(on));
            put("severity", text(code(e, f, "severity", false, |c| severity_name(c).is_some())));
            put("in_territory", Value::Int(flag(e, f, "in_territory", true)));
            put("by_own_people", Value::Int(flag(e, f, "by_own_people", true)));
            put("force_majeure", Value::Int(flag(e, f, "force_majeure", true)));
            put("reported_promptly", Value::Int(flag(e, f, "reported_promptly", false)));
            put("note", text(f.optional("note")));
        }
        Kind::Discipline => {
            put("force_code", text(code(e, f, "force_code", true, |c| v.forces.contains_key(c))));
            put("level", text(code(e, f, "level", true, |c| level_name(c).is_some())));
            put("decided_on", date_value(e.date("decided_on", f.get("decided_on"))));
            put("person", text(f.optional("person")));
        }
        Kind::Title => {
            put("force_code", text(code(e, f, "force_code", true, |c| v.forces.contains_key(c))));
            let (scale, level) = scale_level(e, vocab, f, true);
            put("scale", text(scale));
            put("level", text(level));
        }
        Kind::SubUnit => {
            put("name", text(e.required("name", f.get("name"))));
            let (scale, level) = scale_level(e, vocab, f, false);
            put("scale", text(scale));
            put("level", text(level));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// List, add, edit, delete.

#[derive(Debug)]
struct RowView {
    id: String,
    version: i64,
    cells: Vec<String>,
}

#[derive(Debug)]
struct KindLink {
    segment: &'static str,
    title: &'static str,
    current: bool,
}

fn kind_links(current: Option<Kind>) -> Vec<KindLink> {
    KINDS.iter().map(|k| KindLink { segment: k.table(), title: title(*k), current: Some(*k) == current }).collect()
}

#[derive(Template)]
#[template(path = "facts_list.html")]
struct ListPage {
    frame: Frame,
    head: UnitHead,
    kinds: Vec<KindLink>,
    segment: &'static str,
    title: &'static str,
    state: String,
    headers: Vec<&'static str>,
    rows: Vec<RowView>,
    can_edit: bool,
    can_declare_none: bool,
    fields: Vec<FieldView>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "facts_edit.html")]
struct EditPage {
    frame: Frame,
    head: UnitHead,
    kinds: Vec<KindLink>,
    segment: &'static str,
    title: &'static str,
    id: String,
    version: String,
    fields: Vec<FieldView>,
    error: Option<String>,
}

fn kind_of(segment: &str) -> Result<Kind, AppError> {
    Kind::parse(segment).ok_or(AppError::NotFound)
}

/// A store error shown on the form instead of an error page: conflicts and locks.
fn shown_on_form(e: StoreError) -> Result<(StatusCode, String), AppError> {
    match e {
        StoreError::Conflict => Ok((StatusCode::CONFLICT, AppError::Conflict.to_string())),
        StoreError::Locked(_) => Ok((StatusCode::CONFLICT, capitalise(&AppError::from(e).to_string()))),
        StoreError::Invalid(m) => Ok((StatusCode::UNPROCESSABLE_ENTITY, capitalise(&m))),
        other => Err(other.into()),
    }
}

pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => {
            let mut out: String = first.to_uppercase().collect();
            out.push_str(c.as_str());
            if !out.ends_with('.') {
                out.push('.');
            }
            out
        }
        None => String::new(),
    }
}

struct ListInput<'a> {
    fields: &'a Fields,
    errors: &'a FieldErrors,
    error: Option<String>,
    status: StatusCode,
}

async fn render_list(
    state: &AppState,
    user: &CurrentUser,
    campaign: &CampaignRow,
    unit: &UnitRow,
    kind: Kind,
    input: ListInput<'_>,
) -> Result<Response, AppError> {
    let ruleset = state.ruleset(&campaign.ruleset)?;
    let head = head(state, user, campaign, unit, "facts").await?;
    let records = facts::list(&state.store, &campaign.id, &unit.id, kind).await?;
    let recorded = registrations::recorded_lists(&state.store, &campaign.id, &unit.id).await?.contains(kind.list());
    let vocab = Vocab { ruleset, unit_type: &unit.unit_type };
    let page = ListPage {
        frame: Frame::new(user, format!("{} — {}", title(kind), unit.name), "units"),
        kinds: kind_links(Some(kind)),
        segment: kind.table(),
        title: title(kind),
        state: list_state(records.len(), recorded),
        headers: headers(kind),
        rows: records.iter().map(|r| RowView { id: r.id.clone(), version: r.version, cells: cells(ruleset, kind, r) }).collect(),
        // A write refused by a lock shows the form again with what was typed, so nothing is lost.
        can_edit: head.can_edit || (head.locked_by.is_some() && input.status != StatusCode::OK),
        can_declare_none: head.can_edit && records.is_empty() && !recorded,
        fields: form_fields(kind, &vocab, input.fields, input.errors),
        error: input.error,
        head,
    };
    Ok((input.status, Html(page.render()?)).into_response())
}

async fn list_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((cid, uid, kind)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let kind = kind_of(&kind)?;
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::Read).await?;
    let input = ListInput { fields: &default_fields(kind), errors: &FieldErrors::default(), error: None, status: StatusCode::OK };
    render_list(&state, &user, &campaign, &unit, kind, input).await
}

fn list_href(campaign_id: &str, unit_id: &str, kind: Kind) -> String {
    format!("/c/{campaign_id}/units/{unit_id}/facts/{}", kind.table())
}

/// Refuses a second commitment row for the same group, next to the field.
fn unique_group(
    kind: Kind,
    records: &[Record],
    values: &BTreeMap<String, Value>,
    except: Option<&str>,
    vocab: &Vocab<'_>,
    e: &mut FieldErrors,
) {
    if kind != Kind::Commitment {
        return;
    }
    let Some(group) = values.get("group_code").and_then(Value::as_text) else { return };
    if records.iter().any(|r| Some(r.id.as_str()) != except && r.text("group_code") == Some(group)) {
        let name = vocab.ruleset.vocabulary.groups.get(group).map_or(group, String::as_str);
        e.add("group_code", format!("Nhóm “{name}” đã có số liệu; hãy sửa dòng đã có."));
    }
}

async fn add(
    State(state): State<AppState>,
    Path((cid, uid, kind)): Path<(String, String, String)>,
    SecureForm(user, form): SecureForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let kind = kind_of(&kind)?;
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::EditFacts).await?;
    let ruleset = state.ruleset(&campaign.ruleset)?;
    let vocab = Vocab { ruleset, unit_type: &unit.unit_type };
    let fields = Fields(form);
    let mut errors = FieldErrors::default();
    let values = parse(kind, &vocab, &fields, &mut errors);
    let existing = facts::list(&state.store, &campaign.id, &unit.id, kind).await?;
    unique_group(kind, &existing, &values, None, &vocab, &mut errors);
    if !errors.is_empty() {
        let input = ListInput { fields: &fields, errors: &errors, error: None, status: StatusCode::UNPROCESSABLE_ENTITY };
        return render_list(&state, &user, &campaign, &unit, kind, input).await;
    }
    let w = Writer { user_id: &user.user.id, campaign_id: &campaign.id, unit_id: &unit.id };
    let mut tx = state.store.begin().await?;
    let written = facts::insert(&mut tx, w, kind, &values).await;
    match written {
        Ok(_) => super::units::commit(tx).await?,
        Err(e) => {
            let (status, message) = shown_on_form(e)?;
            let input = ListInput { fields: &fields, errors: &errors, error: Some(message), status };
            return render_list(&state, &user, &campaign, &unit, kind, input).await;
        }
    }
    Ok(Redirect::to(&list_href(&campaign.id, &unit.id, kind)).into_response())
}

async fn complete(
    State(state): State<AppState>,
    Path((cid, uid, kind)): Path<(String, String, String)>,
    SecureForm(user, _form): SecureForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let kind = kind_of(&kind)?;
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::EditFacts).await?;
    let w = Writer { user_id: &user.user.id, campaign_id: &campaign.id, unit_id: &unit.id };
    let mut tx = state.store.begin().await?;
    if let Err(e) = facts::declare_complete(&mut tx, w, kind).await {
        let (status, message) = shown_on_form(e)?;
        let input = ListInput { fields: &default_fields(kind), errors: &FieldErrors::default(), error: Some(message), status };
        return render_list(&state, &user, &campaign, &unit, kind, input).await;
    }
    super::units::commit(tx).await?;
    Ok(Redirect::to(&list_href(&campaign.id, &unit.id, kind)).into_response())
}

struct EditInput<'a> {
    id: &'a str,
    version: String,
    fields: &'a Fields,
    errors: &'a FieldErrors,
    error: Option<String>,
    status: StatusCode,
}

async fn render_edit(
    state: &AppState,
    user: &CurrentUser,
    campaign: &CampaignRow,
    unit: &UnitRow,
    kind: Kind,
    input: EditInput<'_>,
) -> Result<Response, AppError> {
    let ruleset = state.ruleset(&campaign.ruleset)?;
    let vocab = Vocab { ruleset, unit_type: &unit.unit_type };
    let page = EditPage {
        frame: Frame::new(user, format!("Sửa: {} — {}", title(kind), unit.name), "units"),
        head: head(state, user, campaign, unit, "facts").await?,
        kinds: kind_links(Some(kind)),
        segment: kind.table(),
        title: title(kind),
        id: input.id.to_owned(),
        version: input.version,
        fields: form_fields(kind, &vocab, input.fields, input.errors),
        error: input.error,
    };
    Ok((input.status, Html(page.render()?)).into_response())
}

async fn edit_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((cid, uid, kind, id)): Path<(String, String, String, String)>,
) -> Result<Response, AppError> {
    let kind = kind_of(&kind)?;
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::EditFacts).await?;
    let records = facts::list(&state.store, &campaign.id, &unit.id, kind).await?;
    let record = records.iter().find(|r| r.id == id).ok_or(AppError::NotFound)?;
    let fields = record_fields(kind, record);
    let input = EditInput {
        id: &id,
        version: record.version.to_string(),
        fields: &fields,
        errors: &FieldErrors::default(),
        error: None,
        status: StatusCode::OK,
    };
    render_edit(&state, &user, &campaign, &unit, kind, input).await
}

async fn edit(
    State(state): State<AppState>,
    Path((cid, uid, kind, id)): Path<(String, String, String, String)>,
    SecureForm(user, form): SecureForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let kind = kind_of(&kind)?;
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::EditFacts).await?;
    let ruleset = state.ruleset(&campaign.ruleset)?;
    let vocab = Vocab { ruleset, unit_type: &unit.unit_type };
    let fields = Fields(form);
    let version_text = fields.get("version").to_owned();
    let version: i64 =
        version_text.trim().parse().map_err(|_| AppError::BadRequest("Thiếu phiên bản của bản ghi; hãy tải lại trang.".into()))?;
    let mut errors = FieldErrors::default();
    let values = parse(kind, &vocab, &fields, &mut errors);
    let existing = facts::list(&state.store, &campaign.id, &unit.id, kind).await?;
    if !existing.iter().any(|r| r.id == id) {
        return Err(AppError::NotFound);
    }
    unique_group(kind, &existing, &values, Some(&id), &vocab, &mut errors);
    if !errors.is_empty() {
        let input = EditInput {
            id: &id,
            version: version_text,
            fields: &fields,
            errors: &errors,
            error: None,
            status: StatusCode::UNPROCESSABLE_ENTITY,
        };
        return render_edit(&state, &user, &campaign, &unit, kind, input).await;
    }
    let w = Writer { user_id: &user.user.id, campaign_id: &campaign.id, unit_id: &unit.id };
    let mut tx = state.store.begin().await?;
    match facts::update(&mut tx, w, kind, &id, version, &values).await {
        Ok(()) => super::units::commit(tx).await?,
        Err(e) => {
            drop(tx);
            let (status, message) = shown_on_form(e)?;
            let input = EditInput { id: &id, version: version_text, fields: &fields, errors: &errors, error: Some(message), status };
            return render_edit(&state, &user, &campaign, &unit, kind, input).await;
        }
    }
    Ok(Redirect::to(&list_href(&campaign.id, &unit.id, kind)).into_response())
}

async fn delete(
    State(state): State<AppState>,
    Path((cid, uid, kind, id)): Path<(String, String, String, String)>,
    SecureForm(user, form): SecureForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let kind = kind_of(&kind)?;
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::EditFacts).await?;
    let fields = Fields(form);
    let version: i64 =
        fields.get("version").trim().parse().map_err(|_| AppError::BadRequest("Thiếu phiên bản của bản ghi; hãy tải lại trang.".into()))?;
    let w = Writer { user_id: &user.user.id, campaign_id: &campaign.id, unit_id: &unit.id };
    let mut tx = state.store.begin().await?;
    if let Err(e) = facts::delete(&mut tx, w, kind, &id, version).await {
        drop(tx);
        if matches!(e, StoreError::NotFound(_)) {
            return Err(AppError::NotFound);
        }
        let (status, message) = shown_on_form(e)?;
        let input = ListInput { fields: &default_fields(kind), errors: &FieldErrors::default(), error: Some(message), status };
        return render_list(&state, &user, &campaign, &unit, kind, input).await;
    }
    super::units::commit(tx).await?;
    Ok(Redirect::to(&list_href(&campaign.id, &unit.id, kind)).into_response())
}

// ---------------------------------------------------------------------------------------------
// Conditions and previous-year counts.

#[derive(Template)]
#[template(path = "facts_flags.html")]
struct FlagsPage {
    frame: Frame,
    head: UnitHead,
    kinds: Vec<KindLink>,
    fields: Vec<FieldView>,
    error: Option<String>,
}

async fn render_flags(
    state: &AppState,
    user: &CurrentUser,
    campaign: &CampaignRow,
    unit: &UnitRow,
    fields: &Fields,
    errors: &FieldErrors,
    error: Option<(StatusCode, String)>,
) -> Result<Response, AppError> {
    let ruleset = state.ruleset(&campaign.ruleset)?;
    let options = vec![("1".to_owned(), "Có".to_owned()), ("0".to_owned(), "Không".to_owned())];
    let fields = conditions_for(ruleset, &unit.unit_type)
        .into_iter()
        .map(|(code, name)| FieldView::new(&code, &capitalise_first(&name), "radio", false, fields, errors).options(&options))
        .collect();
    let (status, error) = match error {
        Some((s, m)) => (s, Some(m)),
        None if !errors.is_empty() => (StatusCode::UNPROCESSABLE_ENTITY, None),
        None => (StatusCode::OK, None),
    };
    let page = FlagsPage {
        frame: Frame::new(user, format!("Điều kiện — {}", unit.name), "units"),
        head: head(state, user, campaign, unit, "facts").await?,
        kinds: kind_links(None),
        fields,
        error,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub(crate) fn capitalise_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

async fn flags_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((cid, uid)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::EditFacts).await?;
    let stored = registrations::flags(&state.store, &campaign.id, &unit.id).await?;
    let fields = Fields(stored.into_iter().map(|(k, v)| (k, if v { "1".into() } else { "0".into() })).collect());
    render_flags(&state, &user, &campaign, &unit, &fields, &FieldErrors::default(), None).await
}

async fn save_flags(
    State(state): State<AppState>,
    Path((cid, uid)): Path<(String, String)>,
    SecureForm(user, form): SecureForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::EditFacts).await?;
    let ruleset = state.ruleset(&campaign.ruleset)?;
    let fields = Fields(form);
    let mut errors = FieldErrors::default();
    let mut chosen = Vec::new();
    for (code, _) in conditions_for(ruleset, &unit.unit_type) {
        if let Some(v) = flag(&mut errors, &fields, &code, false) {
            chosen.push((code, v == 1));
        }
    }
    if !errors.is_empty() {
        return render_flags(&state, &user, &campaign, &unit, &fields, &errors, None).await;
    }
    let w = Writer { user_id: &user.user.id, campaign_id: &campaign.id, unit_id: &unit.id };
    let mut tx = state.store.begin().await?;
    for (code, value) in &chosen {
        if let Err(e) = facts::set_flag(&mut tx, w, code, *value).await {
            drop(tx);
            let shown = shown_on_form(e)?;
            return render_flags(&state, &user, &campaign, &unit, &fields, &errors, Some(shown)).await;
        }
    }
    super::units::commit(tx).await?;
    Ok(Redirect::to(&format!("/c/{}/units/{}", campaign.id, unit.id)).into_response())
}

#[derive(Template)]
#[template(path = "facts_previous_year.html")]
struct PreviousPage {
    frame: Frame,
    head: UnitHead,
    kinds: Vec<KindLink>,
    fields: Vec<FieldView>,
    error: Option<String>,
}

async fn render_previous(
    state: &AppState,
    user: &CurrentUser,
    campaign: &CampaignRow,
    unit: &UnitRow,
    fields: &Fields,
    errors: &FieldErrors,
    error: Option<(StatusCode, String)>,
) -> Result<Response, AppError> {
    let ruleset = state.ruleset(&campaign.ruleset)?;
    let vocab = Vocab { ruleset, unit_type: &unit.unit_type };
    let views = vocab
        .previous_year_kinds()
        .into_iter()
        .map(|(code, name)| FieldView::new(&code, &capitalise_first(&name), "count", true, fields, errors))
        .collect();
    let (status, error) = match error {
        Some((s, m)) => (s, Some(m)),
        None if !errors.is_empty() => (StatusCode::UNPROCESSABLE_ENTITY, None),
        None => (StatusCode::OK, None),
    };
    let page = PreviousPage {
        frame: Frame::new(user, format!("Số liệu năm trước — {}", unit.name), "units"),
        head: head(state, user, campaign, unit, "facts").await?,
        kinds: kind_links(None),
        fields: views,
        error,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn previous_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((cid, uid)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::EditFacts).await?;
    let stored = registrations::previous_year(&state.store, &campaign.id, &unit.id).await?;
    let fields = Fields(stored.into_iter().map(|(k, n)| (k, n.to_string())).collect());
    render_previous(&state, &user, &campaign, &unit, &fields, &FieldErrors::default(), None).await
}

async fn save_previous(
    State(state): State<AppState>,
    Path((cid, uid)): Path<(String, String)>,
    SecureForm(user, form): SecureForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::EditFacts).await?;
    let ruleset = state.ruleset(&campaign.ruleset)?;
    let vocab = Vocab { ruleset, unit_type: &unit.unit_type };
    let fields = Fields(form);
    let mut errors = FieldErrors::default();
    let counts: Vec<(String, Option<u32>)> =
        vocab.previous_year_kinds().into_iter().map(|(code, _)| (code.clone(), errors.count(&code, fields.get(&code)))).collect();
    if !errors.is_empty() {
        return render_previous(&state, &user, &campaign, &unit, &fields, &errors, None).await;
    }
    let w = Writer { user_id: &user.user.id, campaign_id: &campaign.id, unit_id: &unit.id };
    let mut tx = state.store.begin().await?;
    for (code, count) in &counts {
        if let Some(n) = count
            && let Err(e) = facts::set_previous_year(&mut tx, w, code, *n).await
        {
            drop(tx);
            let shown = shown_on_form(e)?;
            return render_previous(&state, &user, &campaign, &unit, &fields, &errors, Some(shown)).await;
        }
    }
    super::units::commit(tx).await?;
    Ok(Redirect::to(&format!("/c/{}/units/{}", campaign.id, unit.id)).into_response())
}

// ---------------------------------------------------------------------------------------------
// Evidence files.

#[derive(Debug)]
struct FileLine {
    id: String,
    file_name: String,
    kind: String,
    size: String,
    sha256: String,
    uploaded_by: String,
    uploaded_at: String,
}

#[derive(Template)]
#[template(path = "facts_evidence.html")]
struct EvidencePage {
    frame: Frame,
    head: UnitHead,
    files: Vec<FileLine>,
    accepted: String,
    accept: String,
    limit: String,
    max_bytes: usize,
    error: Option<String>,
}

async fn render_evidence(
    state: &AppState,
    user: &CurrentUser,
    campaign: &CampaignRow,
    unit: &UnitRow,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let files = evidence::list(&state.store, &campaign.id, &unit.id)
        .await?
        .into_iter()
        .map(|e| FileLine {
            kind: evidence::FileType::ALL
                .iter()
                .find(|t| t.content_type() == e.content_type)
                .map_or(e.content_type.clone(), |t| t.label().to_owned()),
            size: view::file_size(e.size),
            sha256: e.sha256.chars().take(12).collect(),
            uploaded_at: view::instant(&e.uploaded_at),
            id: e.id,
            file_name: e.file_name,
            uploaded_by: e.uploaded_by,
        })
        .collect();
    let page = EvidencePage {
        frame: Frame::new(user, format!("Tệp minh chứng — {}", unit.name), "units"),
        head: head(state, user, campaign, unit, "evidence").await?,
        files,
        accepted: evidence::FileType::accepted(),
        accept: ".pdf,.jpg,.jpeg,.png,.docx,.xlsx".into(),
        limit: view::file_size(state.config.max_upload_bytes as u64),
        max_bytes: state.config.max_upload_bytes,
        error,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn evidence_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((cid, uid)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::Read).await?;
    render_evidence(&state, &user, &campaign, &unit, None, StatusCode::OK).await
}

/// Receives one evidence file (see [`forms::one_file`] for how it is read).
async fn upload(
    State(state): State<AppState>,
    Path((cid, uid)): Path<(String, String)>,
    user: CurrentUser,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::EditFacts).await?;
    let checked = forms::one_file(&user, &headers, multipart, state.config.max_upload_bytes)
        .await?
        .and_then(|(name, content)| evidence::check(&name, &content).map(|t| (name, t, content)).map_err(|e| e.to_string()));
    let (name, file_type, content) = match checked {
        Ok(c) => c,
        Err(message) => return render_evidence(&state, &user, &campaign, &unit, Some(message), StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let w = Writer { user_id: &user.user.id, campaign_id: &campaign.id, unit_id: &unit.id };
    let mut tx = state.store.begin().await?;
    if let Err(e) = evidence::insert(&mut tx, w, &name, file_type, &content).await {
        drop(tx);
        let (status, message) = shown_on_form(e)?;
        return render_evidence(&state, &user, &campaign, &unit, Some(message), status).await;
    }
    super::units::commit(tx).await?;
    Ok(Redirect::to(&format!("/c/{}/units/{}/evidence", campaign.id, unit.id)).into_response())
}

/// `attachment` with the file name for every browser: an ASCII fallback and the UTF-8 name.
fn disposition(name: &str) -> String {
    let ascii: String = antt_core::text::fold(name)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') { c } else { '_' })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((cid, uid, id)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::Read).await?;
    let (file, content) = evidence::get(&state.store, &campaign.id, &unit.id, &id).await?.ok_or(AppError::NotFound)?;
    let mut response = content.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&file.content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition(&file.file_name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downloads_name_the_file_in_both_forms() {
        assert_eq!(
            disposition("Biên bản họp.pdf"),
            "attachment; filename=\"bien ban hop.pdf\"; filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n%20h%E1%BB%8Dp.pdf"
        );
    }

    #[test]
    fn store_messages_read_as_sentences() {
        assert_eq!(capitalise("bản ghi này đã có"), "Bản ghi này đã có.");
    }
}
