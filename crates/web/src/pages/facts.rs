//! Fact entry for one unit in a campaign: a list, an add form, edit and delete (with the
//! record's version) for every kind of record; "none" declared explicitly; yes/no conditions;
//! previous-year counts; and evidence files (uploaded as multipart, checked by name and content).

use std::collections::BTreeMap;

use antt_app::facts::FieldSource;
use antt_app::facts::Seen;
use antt_core::access::Action;
use antt_core::fact::{Fact, FactKind};
use antt_core::model::{DisciplineLevel, Severity};
use antt_core::ruleset::{Check, Ruleset, Scale};
use antt_store::campaigns::CampaignRow;
use antt_store::facts::{Stored, code_of};
use antt_store::units::UnitRow;
use antt_store::{evidence, registrations};
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};

use super::units::{ListView, UnitHead, head, in_campaign};
use crate::auth::CurrentUser;
use crate::forms::{self, FieldErrors, Fields, SecureForm};
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

fn headers(kind: FactKind) -> Vec<&'static str> {
    match kind {
        FactKind::Documents => vec!["Loại tài liệu", "Số, ký hiệu", "Ngày"],
        FactKind::Commitments => vec!["Nhóm", "Đã ký", "Tổng số", "Tỷ lệ"],
        FactKind::Incidents => {
            vec![
                "Loại vụ việc",
                "Ngày",
                "Mức độ",
                "Hậu quả",
                "Trên địa bàn",
                "Do người của đơn vị",
                "Bất khả kháng",
                "Báo cáo ngay",
                "Ghi chú",
            ]
        }
        FactKind::Discipline => vec!["Lực lượng", "Hình thức", "Ngày quyết định", "Người bị kỷ luật"],
        FactKind::Titles => vec!["Lực lượng", "Thang danh hiệu", "Danh hiệu, mức"],
        FactKind::SubUnits => vec!["Tên đầu mối", "Danh hiệu"],
    }
}

fn date_vi(d: Option<chrono::NaiveDate>) -> String {
    d.map(antt_core::vi::date).unwrap_or_else(|| "—".into())
}

fn yes_no(v: Option<bool>) -> String {
    match v {
        Some(false) => "Không".into(),
        Some(true) => "Có".into(),
        None => "Chưa rõ".into(),
    }
}

/// A record's cells, in Vietnamese.
fn cells(ruleset: &Ruleset, fact: &Fact) -> Vec<String> {
    let v = &ruleset.vocabulary;
    let named = |map: &BTreeMap<String, String>, code: &str| map.get(code).map_or_else(|| code.to_owned(), |n| capitalise_first(n));
    let text = |t: &Option<String>| t.as_deref().filter(|t| !t.is_empty()).unwrap_or("—").to_owned();
    let scale_level = |scale: &str, level: &str| v.scales.get(scale).map_or_else(|| "—".to_owned(), |s| s.level_name(level).to_owned());
    match fact {
        Fact::Document(d) => vec![named(&v.documents, &d.kind), text(&d.number), date_vi(d.date)],
        Fact::Commitment(c) => {
            let (s, t) = (u64::from(c.signed), u64::from(c.total));
            vec![
                with_also(named(&v.groups, &c.group), &c.also_groups, "tính chung cả", |g| named(&v.groups, g)),
                antt_core::vi::integer(s),
                antt_core::vi::integer(t),
                antt_core::vi::percent(s, t),
            ]
        }
        Fact::Incident(i) => vec![
            match &i.domain {
                Some(d) => {
                    format!("{} (lĩnh vực {})", named(&v.incident_kinds, &i.kind), v.domains.get(d).map_or(d.as_str(), String::as_str))
                }
                None => named(&v.incident_kinds, &i.kind),
            },
            date_vi(Some(i.date)),
            i.severity.map_or("—", |s| s.name()).to_owned(),
            i.harm.as_ref().map_or_else(|| "—".to_owned(), harm_text),
            yes_no(Some(i.in_territory)),
            match (&i.group, i.by_own_people) {
                (Some(g), true) => format!("Có ({})", v.groups.get(g).map_or(g.as_str(), String::as_str)),
                _ => yes_no(Some(i.by_own_people)),
            },
            yes_no(Some(i.force_majeure)),
            yes_no(i.reported_promptly),
            text(&i.note),
        ],
        Fact::Discipline(d) => vec![
            with_also(named(&v.forces, &d.force), &d.also_forces, "đồng thời là", |f| named(&v.forces, f)),
            d.level.name().to_owned(),
            date_vi(Some(d.date)),
            text(&d.person),
        ],
        Fact::Title(t) => vec![
            named(&v.forces, &t.force),
            v.scales.get(&t.scale).map_or_else(|| "—".to_owned(), |s| capitalise_first(&s.name)),
            scale_level(&t.scale, &t.level),
        ],
        Fact::SubUnit(s) => {
            vec![s.name.clone(), s.titles.first().map_or_else(|| "—".to_owned(), |t| scale_level(&t.scale, &t.level))]
        }
    }
}

/// A record's main code named, then the others it also names ("Hộ gia đình; tính chung cả: …").
fn with_also(main: String, others: &[String], joined_by: &str, name: impl Fn(&str) -> String) -> String {
    if others.is_empty() {
        return main;
    }
    let others: Vec<String> = others.iter().map(|o| name(o)).collect();
    format!("{main}; {joined_by}: {}", others.join(", "))
}

/// Harm in words: "1 người chết; 2 người bị thương (tổng tỷ lệ tổn thương 45%); 12.000.000 đồng".
fn harm_text(h: &antt_core::model::Harm) -> String {
    let mut parts = Vec::new();
    if h.deaths > 0 {
        parts.push(format!("{} người chết", antt_core::vi::integer(u64::from(h.deaths))));
    }
    if !h.injuries.is_empty() {
        parts.push(format!(
            "{} người bị thương (tổng tỷ lệ tổn thương {}%)",
            antt_core::vi::integer(h.injuries.len() as u64),
            antt_core::vi::integer(h.injury_percent())
        ));
    }
    if h.damage_vnd > 0 {
        parts.push(format!("thiệt hại tài sản {} đồng", antt_core::vi::integer(h.damage_vnd)));
    }
    if parts.is_empty() { "—".to_owned() } else { parts.join("; ") }
}

fn list_state(count: usize, recorded: bool) -> String {
    match (count, recorded) {
        (0, true) => "Đã xác nhận: không có".into(),
        (0, false) => "Chưa nhập".into(),
        (n, _) => format!("{n} bản ghi"),
    }
}

/// A list as the unit page shows it.
pub(crate) fn list_view(ruleset: &Ruleset, kind: FactKind, records: &[Stored], recorded: bool) -> ListView {
    ListView {
        segment: kind.code(),
        title: kind.name(),
        state: list_state(records.len(), recorded),
        headers: headers(kind),
        rows: records.iter().map(|r| cells(ruleset, &r.fact)).collect(),
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
    /// "text", "date", "count", "select", "radio", "checks" (several boxes) or "textarea".
    pub input: &'static str,
    pub required: bool,
    pub value: String,
    /// Every value sent under the name (the ticked boxes of a "checks" field).
    values: Vec<String>,
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
            values: f.all(name).into_iter().map(str::to_owned).collect(),
            error: e.get(name).map(str::to_owned),
            groups: Vec::new(),
            placeholder: if required { "— Chọn —".into() } else { "— Không chọn —".into() },
        }
    }

    fn options(mut self, options: &[(String, String)]) -> Self {
        let options =
            options.iter().map(|(v, l)| OptView { value: v.clone(), label: l.clone(), selected: self.values.contains(v) }).collect();
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
fn form_fields(kind: FactKind, vocab: &Vocab<'_>, f: &Fields, e: &FieldErrors) -> Vec<FieldView> {
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
        FactKind::Documents => vec![
            field("kind", "Loại tài liệu", "select", true).options(&with_current(vocab.documents(), &v.documents, "kind")),
            field("number", "Số, ký hiệu", "text", false),
            field("issued_on", "Ngày ban hành (dd/mm/yyyy)", "date", false),
        ],
        FactKind::Commitments => vec![
            field("group_code", "Nhóm người ký cam kết", "select", true).options(&with_current(vocab.groups(), &v.groups, "group_code")),
            field("signed", "Số đã ký cam kết", "count", true),
            field("total", "Tổng số", "count", true),
            field("also_groups", "Số liệu này tính chung cả các nhóm (khi các nhóm này không thống kê riêng)", "checks", false)
                .options(&vocab.groups()),
        ],
        FactKind::Incidents => {
            let severities: Vec<(String, String)> = Severity::ALL.iter().map(|s| (code_of(s), s.name().to_owned())).collect();
            let mut fields = vec![
                field("kind", "Loại vụ việc", "select", true).options(&vocab.incident_kinds()),
                field("occurred_on", "Ngày xảy ra (dd/mm/yyyy)", "date", true),
                field("severity", "Mức độ (theo Bộ luật Hình sự hoặc kết luận của cơ quan có thẩm quyền, nếu có)", "select", false)
                    .options(&severities),
                field("harm_deaths", "Số người chết", "count", false),
                field("harm_injuries", "Tỷ lệ tổn thương cơ thể của từng người bị thương (%, cách nhau bằng dấu ;)", "text", false),
                field("harm_damage_vnd", "Thiệt hại về tài sản (đồng)", "count", false),
                field("in_territory", "Xảy ra trên địa bàn, trong khuôn viên đơn vị", "radio", true).options(&yes_no_options(false)),
                field("by_own_people", "Do người của đơn vị (người dân, cán bộ, người học…) gây ra", "radio", true)
                    .options(&yes_no_options(false)),
                field("force_majeure", "Do nguyên nhân bất khả kháng", "radio", true).options(&yes_no_options(false)),
                field("group_code", "Nhóm người của đơn vị gây ra (nếu do người của đơn vị)", "select", false).options(&with_current(
                    vocab.groups(),
                    &v.groups,
                    "group_code",
                )),
                field("reported_promptly", "Được phát hiện, báo cáo ngay", "radio", false).options(&yes_no_options(true)),
                field("note", "Ghi chú", "textarea", false),
            ];
            // Only a ruleset that tells fields of law apart asks for one.
            if !v.domains.is_empty() {
                let domains = sorted(v.domains.iter().map(|(c, n)| (c.clone(), capitalise_first(n))).collect());
                fields.insert(3, field("domain", "Lĩnh vực (đối với xử phạt vi phạm hành chính)", "select", false).options(&domains));
            }
            fields
        }
        FactKind::Discipline => {
            let levels: Vec<(String, String)> = DisciplineLevel::ALL.iter().map(|l| (code_of(l), l.name().to_owned())).collect();
            vec![
                field("force_code", "Lực lượng", "select", true).options(&with_current(vocab.forces(), &v.forces, "force_code")),
                field("level", "Hình thức kỷ luật", "select", true).options(&levels),
                field("decided_on", "Ngày quyết định (dd/mm/yyyy)", "date", true),
                field("person", "Người bị kỷ luật", "text", false),
                field("also_forces", "Người này đồng thời thuộc các lực lượng", "checks", false).options(&vocab.forces()),
            ]
        }
        FactKind::Titles => {
            let mut level = field("level", "Danh hiệu, mức (thuộc thang đã chọn)", "select", true);
            level.groups = levels(&level, f.get("scale"));
            vec![
                field("force_code", "Lực lượng", "select", true).options(&with_current(vocab.forces(), &v.forces, "force_code")),
                field("scale", "Thang danh hiệu", "select", true).options(&scales),
                level,
            ]
        }
        FactKind::SubUnits => {
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

/// The messages of fields the form does not show (sent by hand, or one this ruleset does not
/// ask for), above the form so none is lost.
fn unshown(kind: FactKind, vocab: &Vocab<'_>, errors: &FieldErrors) -> Option<String> {
    let shown = form_fields(kind, vocab, &Fields::default(), &FieldErrors::default());
    let lost: Vec<&str> = errors.0.iter().filter(|(f, _)| !shown.iter().any(|s| s.name == **f)).map(|(_, m)| m.as_str()).collect();
    (!lost.is_empty()).then(|| lost.join(" "))
}

/// The form values of a stored record.
fn record_fields(fact: &Fact) -> Fields {
    let opt = |t: &Option<String>| t.clone().unwrap_or_default();
    let date = |d: Option<chrono::NaiveDate>| d.map(antt_core::vi::date).unwrap_or_default();
    let flag = |b: bool| if b { "1".to_owned() } else { "0".to_owned() };
    let pairs: Vec<(&str, String)> = match fact {
        Fact::Document(d) => vec![("kind", d.kind.clone()), ("number", opt(&d.number)), ("issued_on", date(d.date))],
        Fact::Commitment(c) => {
            let mut pairs = vec![("group_code", c.group.clone()), ("signed", c.signed.to_string()), ("total", c.total.to_string())];
            pairs.extend(c.also_groups.iter().map(|g| ("also_groups", g.clone())));
            pairs
        }
        Fact::Incident(i) => vec![
            ("kind", i.kind.clone()),
            ("occurred_on", date(Some(i.date))),
            ("severity", i.severity.as_ref().map(code_of).unwrap_or_default()),
            ("harm_deaths", i.harm.as_ref().filter(|h| h.deaths > 0).map(|h| h.deaths.to_string()).unwrap_or_default()),
            (
                "harm_injuries",
                i.harm.as_ref().map(|h| h.injuries.iter().map(u32::to_string).collect::<Vec<_>>().join("; ")).unwrap_or_default(),
            ),
            (
                "harm_damage_vnd",
                i.harm.as_ref().filter(|h| h.damage_vnd > 0).map(|h| antt_core::vi::integer(h.damage_vnd)).unwrap_or_default(),
            ),
            ("domain", opt(&i.domain)),
            ("group_code", opt(&i.group)),
            ("in_territory", flag(i.in_territory)),
            ("by_own_people", flag(i.by_own_people)),
            ("force_majeure", flag(i.force_majeure)),
            ("reported_promptly", i.reported_promptly.map(flag).unwrap_or_default()),
            ("note", opt(&i.note)),
        ],
        Fact::Discipline(d) => vec![
            ("force_code", d.force.clone()),
            ("level", code_of(&d.level)),
            ("decided_on", date(Some(d.date))),
            ("person", opt(&d.person)),
        ]
        .into_iter()
        .chain(d.also_forces.iter().map(|f| ("also_forces", f.clone())))
        .collect(),
        Fact::Title(t) => vec![("force_code", t.force.clone()), ("scale", t.scale.clone()), ("level", t.level.clone())],
        Fact::SubUnit(s) => {
            let title = s.titles.first();
            vec![
                ("name", s.name.clone()),
                ("scale", title.map(|t| t.scale.clone()).unwrap_or_default()),
                ("level", title.map(|t| t.level.clone()).unwrap_or_default()),
            ]
        }
    };
    Fields(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

/// The values of a new record's form.
fn default_fields(kind: FactKind) -> Fields {
    match kind {
        FactKind::Incidents => {
            Fields(vec![("in_territory".into(), "1".into()), ("by_own_people".into(), "0".into()), ("force_majeure".into(), "0".into())])
        }
        _ => Fields::default(),
    }
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

fn kind_links(current: Option<FactKind>) -> Vec<KindLink> {
    FactKind::ALL.iter().map(|k| KindLink { segment: k.code(), title: k.name(), current: Some(*k) == current }).collect()
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

fn kind_of(segment: &str) -> Result<FactKind, AppError> {
    FactKind::parse(segment).ok_or(AppError::NotFound)
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
    kind: FactKind,
    input: ListInput<'_>,
) -> Result<Response, AppError> {
    let ruleset = state.app.ruleset(campaign).await?;
    let ruleset = &*ruleset;
    let head = head(state, user, campaign, unit, "facts").await?;
    let records = antt_store::facts::list(state.app.store(), &campaign.id, &unit.id, kind).await?;
    let recorded = registrations::recorded_lists(state.app.store(), &campaign.id, &unit.id).await?.contains(kind.code());
    let vocab = Vocab { ruleset, unit_type: &unit.unit_type };
    let page = ListPage {
        frame: Frame::new(user, format!("{} — {}", kind.name(), unit.name), "units"),
        kinds: kind_links(Some(kind)),
        segment: kind.code(),
        title: kind.name(),
        state: list_state(records.len(), recorded),
        headers: headers(kind),
        rows: records.iter().map(|r| RowView { id: r.id.clone(), version: r.version, cells: cells(ruleset, &r.fact) }).collect(),
        // A write refused by a lock shows the form again with what was typed, so nothing is lost.
        can_edit: head.can_edit || (head.locked_by.is_some() && input.status != StatusCode::OK),
        can_declare_none: head.can_edit && records.is_empty() && !recorded,
        fields: form_fields(kind, &vocab, input.fields, input.errors),
        error: input.error.or_else(|| unshown(kind, &vocab, input.errors)),
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

fn list_href(campaign_id: &str, unit_id: &str, kind: FactKind) -> String {
    format!("/c/{campaign_id}/units/{unit_id}/facts/{}", kind.code())
}

async fn add(
    State(state): State<AppState>,
    Path((cid, uid, kind)): Path<(String, String, String)>,
    SecureForm(user, form): SecureForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let kind = kind_of(&kind)?;
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::EditFacts).await?;
    let mut fields = Fields(form);
    match state.app.record_fact(&user.actor, &cid, &uid, kind, &mut fields).await {
        Ok(_) => Ok(forms::saved(&list_href(&campaign.id, &unit.id, kind), "Đã lưu: đã thêm vào danh sách.")),
        Err(e) => {
            let (status, errors, error) = forms::on_form(e)?;
            let input = ListInput { fields: &fields, errors: &errors, error, status };
            render_list(&state, &user, &campaign, &unit, kind, input).await
        }
    }
}

async fn complete(
    State(state): State<AppState>,
    Path((cid, uid, kind)): Path<(String, String, String)>,
    SecureForm(user, _form): SecureForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let kind = kind_of(&kind)?;
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::EditFacts).await?;
    if let Err(e) = state.app.declare_complete(&user.actor, &cid, &uid, kind).await {
        let (status, errors, error) = forms::on_form(e)?;
        let input = ListInput { fields: &default_fields(kind), errors: &errors, error, status };
        return render_list(&state, &user, &campaign, &unit, kind, input).await;
    }
    Ok(forms::saved(&list_href(&campaign.id, &unit.id, kind), "Đã lưu: danh sách đã được ghi là đủ."))
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
    kind: FactKind,
    input: EditInput<'_>,
) -> Result<Response, AppError> {
    let ruleset = state.app.ruleset(campaign).await?;
    let ruleset = &*ruleset;
    let vocab = Vocab { ruleset, unit_type: &unit.unit_type };
    let page = EditPage {
        frame: Frame::new(user, format!("Sửa: {} — {}", kind.name(), unit.name), "units"),
        head: head(state, user, campaign, unit, "facts").await?,
        kinds: kind_links(Some(kind)),
        segment: kind.code(),
        title: kind.name(),
        id: input.id.to_owned(),
        version: input.version,
        fields: form_fields(kind, &vocab, input.fields, input.errors),
        error: input.error.or_else(|| unshown(kind, &vocab, input.errors)),
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
    let records = antt_store::facts::list(state.app.store(), &campaign.id, &unit.id, kind).await?;
    let record = records.iter().find(|r| r.id == id).ok_or(AppError::NotFound)?;
    let fields = record_fields(&record.fact);
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

/// The version a form was read at, from its hidden field.
fn version_of(fields: &Fields) -> Result<i64, AppError> {
    fields.get("version").trim().parse().map_err(|_| AppError::BadRequest("Thiếu phiên bản của bản ghi; hãy tải lại trang.".into()))
}

async fn edit(
    State(state): State<AppState>,
    Path((cid, uid, kind, id)): Path<(String, String, String, String)>,
    SecureForm(user, form): SecureForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let kind = kind_of(&kind)?;
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::EditFacts).await?;
    let mut fields = Fields(form);
    let version = version_of(&fields)?;
    match state.app.change_fact(&user.actor, &cid, &uid, kind, Seen { id: &id, version }, &mut fields).await {
        Ok(_) => Ok(forms::saved(&list_href(&campaign.id, &unit.id, kind), "Đã lưu thay đổi.")),
        Err(antt_app::Error::NotFound(_)) => Err(AppError::NotFound),
        Err(e) => {
            let (status, errors, error) = forms::on_form(e)?;
            let input = EditInput { id: &id, version: version.to_string(), fields: &fields, errors: &errors, error, status };
            render_edit(&state, &user, &campaign, &unit, kind, input).await
        }
    }
}

async fn delete(
    State(state): State<AppState>,
    Path((cid, uid, kind, id)): Path<(String, String, String, String)>,
    SecureForm(user, form): SecureForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let kind = kind_of(&kind)?;
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::EditFacts).await?;
    let version = version_of(&Fields(form))?;
    match state.app.delete_fact(&user.actor, &cid, &uid, kind, Seen { id: &id, version }).await {
        Ok(()) => Ok(forms::saved(&list_href(&campaign.id, &unit.id, kind), "Đã lưu: đã xóa dòng.")),
        Err(antt_app::Error::NotFound(_)) => Err(AppError::NotFound),
        Err(e) => {
            let (status, errors, error) = forms::on_form(e)?;
            let input = ListInput { fields: &default_fields(kind), errors: &errors, error, status };
            render_list(&state, &user, &campaign, &unit, kind, input).await
        }
    }
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
    let ruleset = state.app.ruleset(campaign).await?;
    let ruleset = &*ruleset;
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
    let stored = registrations::flags(state.app.store(), &campaign.id, &unit.id).await?;
    let fields = Fields(stored.into_iter().map(|(k, v)| (k, if v { "1".into() } else { "0".into() })).collect());
    render_flags(&state, &user, &campaign, &unit, &fields, &FieldErrors::default(), None).await
}

async fn save_flags(
    State(state): State<AppState>,
    Path((cid, uid)): Path<(String, String)>,
    SecureForm(user, form): SecureForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::EditFacts).await?;
    let ruleset = state.app.ruleset(&campaign).await?;
    let ruleset = &*ruleset;
    let mut fields = Fields(form);
    let mut errors = FieldErrors::default();
    let mut chosen = Vec::new();
    for (code, _) in conditions_for(ruleset, &unit.unit_type) {
        match fields.yes_no(&code) {
            Ok(Some(v)) => chosen.push((code, v)),
            Ok(None) => {}
            Err(m) => errors.add(&code, m),
        }
    }
    let saved = match errors.into_result() {
        Ok(()) => state.app.set_conditions(&user.actor, &cid, &uid, &chosen).await,
        Err(e) => Err(e),
    };
    if let Err(e) = saved {
        let (status, errors, error) = forms::on_form(e)?;
        return render_flags(&state, &user, &campaign, &unit, &fields, &errors, error.map(|m| (status, m))).await;
    }
    Ok(forms::saved(&format!("/c/{}/units/{}", campaign.id, unit.id), "Đã lưu các điều kiện của đơn vị."))
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
    let ruleset = state.app.ruleset(campaign).await?;
    let ruleset = &*ruleset;
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
    let stored = registrations::previous_year(state.app.store(), &campaign.id, &unit.id).await?;
    let fields = Fields(stored.into_iter().map(|(k, n)| (k, n.to_string())).collect());
    render_previous(&state, &user, &campaign, &unit, &fields, &FieldErrors::default(), None).await
}

async fn save_previous(
    State(state): State<AppState>,
    Path((cid, uid)): Path<(String, String)>,
    SecureForm(user, form): SecureForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (campaign, unit) = in_campaign(&state, &user, &cid, &uid, Action::EditFacts).await?;
    let ruleset = state.app.ruleset(&campaign).await?;
    let ruleset = &*ruleset;
    let vocab = Vocab { ruleset, unit_type: &unit.unit_type };
    let fields = Fields(form);
    let mut errors = FieldErrors::default();
    let counts: Vec<(String, u32)> =
        vocab.previous_year_kinds().into_iter().filter_map(|(code, _)| errors.count(&code, fields.get(&code)).map(|n| (code, n))).collect();
    let saved = match errors.into_result() {
        Ok(()) => state.app.set_previous_year(&user.actor, &cid, &uid, &counts).await,
        Err(e) => Err(e),
    };
    if let Err(e) = saved {
        let (status, errors, error) = forms::on_form(e)?;
        return render_previous(&state, &user, &campaign, &unit, &fields, &errors, error.map(|m| (status, m))).await;
    }
    Ok(forms::saved(&format!("/c/{}/units/{}", campaign.id, unit.id), "Đã lưu số vụ việc năm trước."))
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
    let files = evidence::list(state.app.store(), &campaign.id, &unit.id)
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
    let (name, content) = match forms::one_file(&user, &headers, multipart, state.config.max_upload_bytes).await? {
        Ok(file) => file,
        Err(message) => return render_evidence(&state, &user, &campaign, &unit, Some(message), StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    if let Err(e) = state.app.attach_evidence(&user.actor, &cid, &uid, &name, &content).await {
        let (status, errors, error) = forms::on_form(e)?;
        let message = error.or_else(|| errors.0.into_values().next());
        return render_evidence(&state, &user, &campaign, &unit, message, status).await;
    }
    Ok(forms::saved(&format!("/c/{}/units/{}/evidence", campaign.id, unit.id), "Đã lưu tệp minh chứng."))
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
    let (file, content) = evidence::get(state.app.store(), &campaign.id, &unit.id, &id).await?.ok_or(AppError::NotFound)?;
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
}
