//! One verdict for one input, whichever way it comes in: the same records, good and bad, sent
//! through the page's form, the JSON API and the spreadsheet import (for the kinds a file can
//! hold) are accepted or refused alike, and a refusal names the same field (the import: its
//! column).

// A test stops at the first surprise, with the value that caused it.
#![allow(clippy::unwrap_used)]

mod common;

use antt_core::fact::FactKind;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{World, world};
use serde_json::{Map, Value, json};

/// A field's value in its kind, written by each adapter in its own way.
#[derive(Debug, Clone)]
enum Val {
    Text(String),
    /// ISO `YYYY-MM-DD`.
    Date(&'static str),
    Count(u32),
    Flag(bool),
    /// A sum in đồng.
    Amount(u64),
    /// Several codes: ticked boxes on the page, an array in the API, "a; b" in a file.
    Codes(Vec<&'static str>),
    /// Several numbers: "31; 12" on the page and in a file, an array in the API.
    Counts(Vec<u32>),
}

impl Val {
    /// As a form or a spreadsheet cell writes it (`yes`/`no` are the words for a flag).
    fn written(&self, yes: &str, no: &str) -> Vec<String> {
        let day_month_year = |iso: &str| chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").unwrap().format("%d/%m/%Y").to_string();
        match self {
            Val::Text(t) => vec![t.clone()],
            Val::Date(iso) => vec![day_month_year(iso)],
            Val::Count(n) => vec![n.to_string()],
            Val::Flag(b) => vec![if *b { yes } else { no }.to_owned()],
            Val::Amount(n) => vec![antt_core::vi::integer(*n)],
            Val::Codes(codes) => codes.iter().map(|c| (*c).to_owned()).collect(),
            Val::Counts(numbers) => vec![numbers.iter().map(u32::to_string).collect::<Vec<_>>().join("; ")],
        }
    }
}

fn text(s: &str) -> Val {
    Val::Text(s.to_owned())
}

#[derive(Debug)]
struct Case {
    label: &'static str,
    kind: FactKind,
    fields: Vec<(&'static str, Val)>,
    /// `None`: accepted; `Some(field)`: refused, with a message for that field.
    refused: Option<&'static str>,
}

impl Case {
    fn page(&self) -> Vec<(&'static str, String)> {
        self.fields.iter().flat_map(|(k, v)| v.written("1", "0").into_iter().map(move |s| (*k, s))).collect()
    }

    fn api(&self) -> Value {
        let map: Map<String, Value> = self
            .fields
            .iter()
            .map(|(k, v)| {
                let j = match v {
                    Val::Text(t) => json!(t),
                    Val::Date(iso) => json!(iso),
                    Val::Count(n) => json!(n),
                    Val::Flag(b) => json!(b),
                    Val::Amount(n) => json!(n),
                    Val::Codes(codes) => json!(codes),
                    Val::Counts(numbers) => json!(numbers),
                };
                ((*k).to_owned(), j)
            })
            .collect();
        Value::Object(map)
    }

    /// The record as a CSV file of the import, for the kinds a file can hold: the template's
    /// headers, dates day/month/year, yes/no as "có"/"không".
    fn csv(&self) -> Option<(&'static str, String)> {
        let (code, kind) = match self.kind {
            FactKind::Incidents => ("incidents", antt_import::Kind::Incidents),
            FactKind::Discipline => ("discipline", antt_import::Kind::Discipline),
            _ => return None,
        };
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        let mut headers = Vec::new();
        let mut cells = Vec::new();
        for (k, v) in &self.fields {
            let (_, column) = kind.column_of_field(k).unwrap_or_else(|| panic!("no column for {k}"));
            headers.push(quote(column.header));
            cells.push(quote(&v.written("có", "không").join("; ")));
        }
        Some((code, format!("{}\n{}\n", headers.join(","), cells.join(","))))
    }
}

fn incident(label: &'static str, change: (&'static str, Val), refused: Option<&'static str>) -> Case {
    let mut fields = vec![
        ("kind", text("crime")),
        ("occurred_on", Val::Date("2013-07-01")),
        ("severity", text("it_nghiem_trong")),
        ("in_territory", Val::Flag(true)),
        ("by_own_people", Val::Flag(false)),
        ("force_majeure", Val::Flag(false)),
        ("note", text("Trộm cắp tài sản")),
    ];
    set(&mut fields, change);
    Case { label, kind: FactKind::Incidents, fields, refused }
}

fn discipline(label: &'static str, change: (&'static str, Val), refused: Option<&'static str>) -> Case {
    let mut fields = vec![
        ("force_code", text("grassroots_security")),
        ("level", text("khien_trach")),
        ("decided_on", Val::Date("2013-09-10")),
        ("person", text("Công an viên Lê Văn Năm")),
    ];
    set(&mut fields, change);
    Case { label, kind: FactKind::Discipline, fields, refused }
}

impl Case {
    /// The case with one more field set.
    fn and(mut self, change: (&'static str, Val)) -> Self {
        set(&mut self.fields, change);
        self
    }
}

fn set(fields: &mut Vec<(&'static str, Val)>, (key, value): (&'static str, Val)) {
    match fields.iter_mut().find(|(k, _)| *k == key) {
        Some(slot) => slot.1 = value,
        None => fields.push((key, value)),
    }
}

fn cases() -> Vec<Case> {
    let long_note = "đ".repeat(2001);
    vec![
        incident("a valid incident", ("note", text("Trộm cắp xe máy")), None),
        incident("an incident in the future", ("occurred_on", Val::Date("2099-01-01")), Some("occurred_on")),
        incident("an incident after the evaluation period", ("occurred_on", Val::Date("2014-03-15")), Some("occurred_on")),
        incident("an unknown kind of incident", ("kind", text("ufo")), Some("kind")),
        // A NUL can be in no field: the page and the API refuse the whole request before reading
        // it (see below), the import the cell.
        incident("a NUL byte in a note", ("note", text("Trộm\0cắp")), Some("note")),
        incident("a bidirectional override in a note", ("note", text("abc\u{202E}fed")), Some("note")),
        incident("a note longer than 2.000 characters", ("note", Val::Text(long_note)), Some("note")),
        discipline("a valid discipline", ("level", text("canh_cao")), None),
        discipline("discipline decided in the future", ("decided_on", Val::Date("2099-01-01")), Some("decided_on")),
        discipline("discipline of an unknown force", ("force_code", text("army")), Some("force_code")),
        discipline("a control character in a name", ("person", text("Lê\u{7}Năm")), Some("person")),
        // A name broken over two lines becomes one line, as a spreadsheet cell's does.
        discipline("a name on two lines", ("person", text("Lê\nNăm")), None),
        incident("an accident with its harm", ("harm_injuries", Val::Counts(vec![31, 12])), None)
            .and(("kind", text("traffic_accident")))
            .and(("harm_deaths", Val::Count(1)))
            .and(("harm_damage_vnd", Val::Amount(120_000_000))),
        incident("an injury rate over 100 %", ("harm_injuries", Val::Counts(vec![31, 130])), Some("harm_injuries")),
        incident("an incident caused by a group of the unit", ("group_code", text("households")), None)
            .and(("by_own_people", Val::Flag(true))),
        incident("an incident caused by an unknown group", ("group_code", text("aliens")), Some("group_code")),
        // Vĩnh Long's 2013 plan does not tell fields of law apart.
        incident("a field of law the ruleset does not know", ("domain", text("security_order")), Some("domain")),
        discipline("a person of two forces", ("also_forces", Val::Codes(vec!["protection_force"])), None),
        discipline("a second force that is the first", ("also_forces", Val::Codes(vec!["grassroots_security"])), Some("also_forces")),
        discipline("an unknown second force", ("also_forces", Val::Codes(vec!["protection_force", "army"])), Some("also_forces")),
        Case {
            label: "a commitment counting two groups",
            kind: FactKind::Commitments,
            fields: vec![
                ("group_code", text("staff")),
                ("signed", Val::Count(30)),
                ("total", Val::Count(30)),
                ("also_groups", Val::Codes(vec!["teachers"])),
            ],
            refused: None,
        },
        Case {
            label: "a commitment also counting a group already counted",
            kind: FactKind::Commitments,
            fields: vec![
                ("group_code", text("followers")),
                ("signed", Val::Count(30)),
                ("total", Val::Count(30)),
                ("also_groups", Val::Codes(vec!["teachers"])),
            ],
            refused: Some("also_groups"),
        },
        Case {
            label: "a valid commitment",
            kind: FactKind::Commitments,
            fields: vec![("group_code", text("households")), ("signed", Val::Count(118)), ("total", Val::Count(120))],
            refused: None,
        },
        Case {
            label: "a group the unit does not have (0/0) is recorded as none",
            kind: FactKind::Commitments,
            fields: vec![("group_code", text("learners_lower_secondary")), ("signed", Val::Count(0)), ("total", Val::Count(0))],
            refused: None,
        },
        Case {
            label: "more signed than there are",
            kind: FactKind::Commitments,
            fields: vec![("group_code", text("households")), ("signed", Val::Count(121)), ("total", Val::Count(120))],
            refused: Some("signed"),
        },
        Case {
            label: "a valid document",
            kind: FactKind::Documents,
            fields: vec![("kind", text("party_resolution")), ("number", text("01-NQ/CB")), ("issued_on", Val::Date("2013-05-10"))],
            refused: None,
        },
        Case {
            label: "a document issued in the future",
            kind: FactKind::Documents,
            fields: vec![("kind", text("party_resolution")), ("issued_on", Val::Date("2099-05-10"))],
            refused: Some("issued_on"),
        },
        Case {
            label: "a registration recorded as a document",
            kind: FactKind::Documents,
            fields: vec![("kind", text("registration"))],
            refused: Some("kind"),
        },
        Case {
            label: "a document number longer than 50 characters",
            kind: FactKind::Documents,
            fields: vec![("kind", text("party_resolution")), ("number", Val::Text("1".repeat(51)))],
            refused: Some("number"),
        },
        Case {
            label: "a title off its scale",
            kind: FactKind::Titles,
            fields: vec![("force_code", text("grassroots_security")), ("scale", text("task_rating")), ("level", text("xuat_sac_lam"))],
            refused: Some("level"),
        },
        Case {
            label: "a sub-unit with a 32.700-character name",
            kind: FactKind::SubUnits,
            fields: vec![("name", Val::Text("T".repeat(32_700)))],
            refused: Some("name"),
        },
    ]
}

/// An API token of the commune's account.
async fn token(w: &World) -> String {
    let request = Request::post("/api/v1/tokens")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({"username": "xa", "password": common::PASSWORD, "name": "thử"}).to_string()))
        .unwrap();
    let page = common::run(&w.app, request).await;
    assert_eq!(page.status, StatusCode::CREATED, "{}", page.text);
    serde_json::from_str::<Value>(&page.text).unwrap()["token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_page_the_api_and_the_import_give_the_same_verdict() {
    let w = world().await;
    let xa = w.sign_in("xa").await;
    let token = token(&w).await;
    let mut checked = 0;
    for case in cases() {
        let segment = case.kind.code();
        let has_nul = case.fields.iter().any(|(_, v)| matches!(v, Val::Text(t) if t.contains('\0')));
        // The page's form.
        let pairs = case.page();
        let form: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let page = xa.post(&w.unit("ap-hoa", &format!("/facts/{segment}")), &form).await;
        // The API, on the other area of the commune (so a record the page added does not make
        // the API's a second one of its kind).
        let uri = format!("/api/v1/campaigns/{}/units/ap-long/facts/{segment}", w.campaign);
        let request = Request::post(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(case.api().to_string()))
            .unwrap();
        let api = common::run(&w.app, request).await;
        let api_json: Value = serde_json::from_str(&api.text).unwrap_or(Value::Null);
        match case.refused {
            None => {
                assert_eq!(page.status, StatusCode::SEE_OTHER, "page, {}: {}", case.label, page.text);
                assert_eq!(api.status, StatusCode::CREATED, "API, {}: {}", case.label, api.text);
            }
            Some(_) if has_nul => {
                assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "page, {}", case.label);
                page.has("Dữ liệu gửi lên có ký tự NUL (mã 0), không được chấp nhận.");
                assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "API, {}: {}", case.label, api.text);
                assert_eq!(api_json["error"], "Dữ liệu gửi lên có ký tự NUL (mã 0), không được chấp nhận.");
            }
            Some(field) => {
                assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "page, {}", case.label);
                // A field the form does not show has its message above the form.
                if !page.text.contains(&format!("name=\"{field}\"")) {
                    page.has("class=\"error\" role=\"alert\"");
                } else {
                    page.has(&format!("id=\"err-{field}\""));
                }
                assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "API, {}: {}", case.label, api.text);
                let message =
                    api_json["fields"][field].as_str().unwrap_or_else(|| panic!("API, {}: no `{field}` in {}", case.label, api.text));
                // The page shows the very message the API gives.
                page.has(&askama_escaped(message));
            }
        }
        // The import's dry run, for the kinds a file holds.
        if let Some((kind, csv)) = case.csv() {
            let dry = xa.upload(&w.unit("ap-hoa", &format!("/import/{kind}")), "tep.csv", "text/csv", csv.as_bytes(), true).await;
            match case.refused {
                None => {
                    assert_eq!(dry.status, StatusCode::OK, "import, {}: {}", case.label, dry.text);
                    dry.has("/confirm\"").lacks("id=\"problems\"");
                }
                // A NUL byte makes the whole file read as binary, not a spreadsheet.
                Some(_) if has_nul => {
                    assert_eq!(dry.status, StatusCode::UNPROCESSABLE_ENTITY, "import, {}: {}", case.label, dry.text);
                    dry.has("Tệp này là một tệp nhị phân").lacks("/confirm\"");
                }
                Some(field) => {
                    assert_eq!(dry.status, StatusCode::UNPROCESSABLE_ENTITY, "import, {}: {}", case.label, dry.text);
                    let import_kind =
                        antt_import::Kind::parse(kind, &antt_core::ruleset::built_in_named("vinh-long-2013").unwrap().unwrap()).unwrap();
                    let header = import_kind.column_of_field(field).unwrap().1.header;
                    dry.has("id=\"problems\"").has(&format!("({header})")).lacks("/confirm\"");
                }
            }
        }
        checked += 1;
    }
    assert_eq!(checked, cases().len());
}

/// Text as the templates escape it.
fn askama_escaped(s: &str) -> String {
    s.replace('&', "&#38;").replace('<', "&#60;").replace('>', "&#62;").replace('"', "&#34;").replace('\'', "&#39;")
}
