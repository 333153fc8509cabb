//! Import of spreadsheets (CSV or Excel .xlsx): units with their sub-units, household
//! commitment lists, incidents and discipline records. A file is read into typed records and a
//! list of problems, each with the row as Excel numbers it, the column (letter and header) and a
//! Vietnamese message. Nothing here touches a database: the store writes the records, all or
//! nothing, only when the list of problems is empty.

use std::collections::HashMap;

use antt_core::model::{Discipline, DisciplineLevel, Harm, Incident, Severity};
use antt_core::ruleset::Vocabulary;
use chrono::NaiveDate;
use serde::Serialize;

pub mod schema;
pub mod sheet;
pub mod template;
pub mod text;
pub mod values;

pub use schema::{Column, Kind, UnitList, Values};
pub use sheet::{Cell, FileError, Limits, Row};

use sheet::column_letter;

/// Something wrong in the file. `row` is the row number Excel shows (0 for the file as a
/// whole); `column` is the letter and header, e.g. `C (Ngày ký)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub row: u32,
    pub column: Option<String>,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.row, &self.column) {
            (0, None) => write!(f, "{}", self.message),
            (0, Some(c)) => write!(f, "Cột {c}: {}", self.message),
            (r, None) => write!(f, "Dòng {r}: {}", self.message),
            (r, Some(c)) => write!(f, "Dòng {r}, cột {c}: {}", self.message),
        }
    }
}

/// A unit, or a sub-unit of one (when `parent` is given), from a list of units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitRecord {
    pub row: u32,
    pub name: String,
    pub code: Option<String>,
    /// Name or code of the commune, as written.
    pub commune: Option<String>,
    /// Name or code of the unit this row is a sub-unit of, as written.
    pub parent: Option<String>,
    /// The sub-unit's title: (scale code, level code).
    pub title: Option<(String, String)>,
}

/// One household of a commitment list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HouseholdRecord {
    pub row: u32,
    /// Name or code of the unit, as written; `None` for the unit the import is made from.
    pub unit: Option<String>,
    pub head: String,
    pub address: Option<String>,
    pub signed: bool,
    pub signed_on: Option<NaiveDate>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncidentRecord {
    pub row: u32,
    pub unit: Option<String>,
    pub incident: Incident,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisciplineRecord {
    pub row: u32,
    pub unit: Option<String>,
    pub discipline: Discipline,
}

/// The records of a file, by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "records", rename_all = "snake_case")]
pub enum Records {
    Units(Vec<UnitRecord>),
    Households(Vec<HouseholdRecord>),
    Incidents(Vec<IncidentRecord>),
    Discipline(Vec<DisciplineRecord>),
}

impl Records {
    pub fn len(&self) -> usize {
        match self {
            Self::Units(r) => r.len(),
            Self::Households(r) => r.len(),
            Self::Incidents(r) => r.len(),
            Self::Discipline(r) => r.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// At most this many problems are kept; `Parsed::problem_count` counts them all.
pub const MAX_PROBLEMS: usize = 1000;

/// A file read: its records and its problems. Import only when `problems` is empty.
#[derive(Debug, Clone, Serialize)]
pub struct Parsed {
    pub kind: Kind,
    pub records: Records,
    pub problems: Vec<Problem>,
    pub problem_count: usize,
    /// The row of column headers (0 when none was found).
    pub header_row: u32,
    /// The template's example rows (“mẫu” in the column “Dòng mẫu”), skipped.
    pub sample_rows: Vec<u32>,
}

impl Parsed {
    pub fn is_clean(&self) -> bool {
        self.problem_count == 0
    }

    /// Adds a problem found later (e.g. by checks against the database).
    pub fn push(&mut self, problem: Problem) {
        self.problem_count += 1;
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(problem);
        }
    }

    /// Problems in the order of the file: by row, then column.
    pub fn sort_problems(&mut self) {
        self.problems.sort_by(|a, b| (a.row, &a.column).cmp(&(b.row, &b.column)));
    }
}

/// Reads `bytes` (a CSV or .xlsx file called `file_name`) as a file of `kind`. `vocabulary` is
/// the campaign's ruleset's, for incident kinds, forces and titles. `progress` is told how many
/// rows have been read, every thousand rows and at the end. A file that cannot be read at all
/// gives one problem on row 0.
pub fn parse(
    kind: Kind,
    bytes: &[u8],
    file_name: &str,
    vocabulary: &Vocabulary,
    limits: &Limits,
    progress: &mut dyn FnMut(usize),
) -> Parsed {
    let mut mapper = Mapper::new(kind, vocabulary);
    let mut rows = 0usize;
    let read = sheet::read_rows(bytes, file_name, limits, &mut |row| {
        mapper.feed(row);
        rows += 1;
        if rows.is_multiple_of(1000) {
            progress(rows);
        }
    });
    progress(rows);
    let mut parsed = mapper.finish();
    match read {
        Err(e) => {
            parsed.records = empty_records(&parsed.kind);
            parsed.problems.clear();
            parsed.problem_count = 0;
            parsed.push(Problem { row: 0, column: None, message: e.0 });
        }
        Ok(info) => {
            let header_row = parsed.header_row;
            for (row, range) in info.merged_across.into_iter().filter(|(row, _)| *row > header_row) {
                parsed.push(Problem {
                    row,
                    column: None,
                    message: format!(
                        "ô gộp {range} trải trên nhiều cột: hãy bỏ gộp ô (Merge & Center → Unmerge Cells) và ghi giá trị vào đúng cột"
                    ),
                });
            }
            parsed.sort_problems();
        }
    }
    parsed
}

fn empty_records(kind: &Kind) -> Records {
    match kind {
        Kind::Units(_) => Records::Units(Vec::new()),
        Kind::Households => Records::Households(Vec::new()),
        Kind::Incidents => Records::Incidents(Vec::new()),
        Kind::Discipline => Records::Discipline(Vec::new()),
    }
}

/// The header: where each of the kind's columns is in the sheet.
#[derive(Debug)]
struct Header {
    row: u32,
    /// For each of the kind's columns, its index in the sheet.
    positions: Vec<Option<usize>>,
}

/// How many rows above the header may hold titles ("DANH SÁCH HỘ GIA ĐÌNH…").
const TITLE_ROWS: usize = 10;

struct Mapper<'a> {
    kind: Kind,
    vocabulary: &'a Vocabulary,
    header: Option<Header>,
    rows_before_header: usize,
    records: Records,
    problems: Vec<Problem>,
    problem_count: usize,
    /// Header keys of the kind: folded header or alias → column index in `kind.columns()`.
    names: HashMap<String, usize>,
    sample_rows: Vec<u32>,
}

impl<'a> Mapper<'a> {
    fn new(kind: Kind, vocabulary: &'a Vocabulary) -> Self {
        let mut names = HashMap::new();
        for (i, c) in kind.columns().iter().enumerate() {
            names.insert(text::key(c.header), i);
            for a in c.aliases {
                names.entry(text::key(a)).or_insert(i);
            }
        }
        Self {
            vocabulary,
            header: None,
            rows_before_header: 0,
            records: empty_records(&kind),
            problems: Vec::new(),
            problem_count: 0,
            names,
            kind,
            sample_rows: Vec::new(),
        }
    }

    fn push(&mut self, row: u32, column: Option<String>, message: String) {
        self.problem_count += 1;
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(Problem { row, column, message });
        }
    }

    fn feed(&mut self, row: Row) {
        if self.header.is_none() {
            self.find_header(row);
            return;
        }
        self.map_row(&row);
    }

    /// Takes `row` as the header when it names at least one of the kind's columns; rows above
    /// it are titles. Reports missing, unknown and repeated columns.
    fn find_header(&mut self, row: Row) {
        let found: Vec<Option<usize>> =
            row.cells.iter().map(|c| values::text(c).and_then(|t| self.names.get(&text::key(&t)).copied())).collect();
        if found.iter().all(Option::is_none) {
            self.rows_before_header += 1;
            if self.rows_before_header == TITLE_ROWS {
                let expected: Vec<&str> = self.kind.columns().iter().map(|c| c.header).collect();
                self.push(
                    0,
                    None,
                    format!("Không tìm thấy dòng tiêu đề cột: dòng tiêu đề phải có tên các cột như tệp mẫu ({}).", expected.join(", ")),
                );
            }
            return;
        }
        let columns = self.kind.columns();
        let mut positions: Vec<Option<usize>> = vec![None; columns.len()];
        for (i, cell) in row.cells.iter().enumerate() {
            let Some(written) = values::text(cell) else { continue };
            let place = Some(format!("{} ({written})", column_letter(i)));
            match found[i] {
                Some(k) if positions[k].is_some() => {
                    let first = positions[k].map(column_letter).unwrap_or_default();
                    self.push(
                        row.number,
                        place,
                        format!("cột “{}” bị lặp lại (đã có ở cột {first}); hãy xóa một trong hai cột", columns[k].header),
                    );
                }
                Some(k) => positions[k] = Some(i),
                None => {
                    let expected: Vec<&str> = columns.iter().map(|c| c.header).collect();
                    self.push(
                        row.number,
                        place,
                        format!(
                            "cột “{written}” không có trong mẫu; hãy xóa cột này hoặc đặt lại tên cho đúng mẫu ({})",
                            expected.join(", ")
                        ),
                    );
                }
            }
        }
        for (c, _) in columns.iter().zip(&positions).filter(|(c, p)| c.required && p.is_none()) {
            self.push(row.number, None, format!("thiếu cột bắt buộc “{}”", c.header));
        }
        self.header = Some(Header { row: row.number, positions });
    }

    /// Whether the row is a template's example row ("mẫu" in its column), to be skipped whole;
    /// anything else in that column is a problem of the row.
    fn is_sample(&mut self, row: &Row) -> bool {
        let Some(header) = &self.header else { return false };
        let sample = self.kind.column_of_field(schema::SAMPLE.key).and_then(|(i, column)| {
            let p = header.positions[i]?;
            let marker = row.cells.get(p).and_then(values::text)?;
            Some((text::key(&marker).split(' ').next() == Some("mau"), format!("{} ({})", column_letter(p), column.header)))
        });
        match sample {
            None => false,
            Some((true, _)) => {
                self.sample_rows.push(row.number);
                true
            }
            Some((false, place)) => {
                self.push(row.number, Some(place), "chỉ ghi “mẫu” ở dòng ví dụ (dòng được bỏ qua); để trống ở các dòng dữ liệu".to_owned());
                true
            }
        }
    }

    fn map_row(&mut self, row: &Row) {
        if self.is_sample(row) {
            return;
        }
        let Some(header) = &self.header else { return };
        let columns = self.kind.columns();
        let mut cells: Vec<Option<&Cell>> =
            header.positions.iter().map(|p| p.and_then(|i| row.cells.get(i)).filter(|c| !c.is_blank())).collect();
        // A formula error anywhere in the row is reported once per cell, whatever the column.
        let mut problems: Vec<(Option<String>, String)> = Vec::new();
        for (i, c) in columns.iter().enumerate() {
            let place = || header.positions[i].map(|p| format!("{} ({})", column_letter(p), c.header));
            if let Some(Cell::Error(e)) = cells[i] {
                problems.push((place(), format!("ô có lỗi công thức {e}; hãy sửa công thức hoặc ghi giá trị")));
                cells[i] = None;
            } else if c.required && cells[i].is_none() && header.positions[i].is_some() {
                problems.push((place(), format!("thiếu “{}”", c.header)));
            }
        }
        let mut fields = Fields { columns, positions: &header.positions, cells, problems, vocabulary: self.vocabulary };
        let number = row.number;
        match &mut self.records {
            Records::Units(list) => {
                let record = UnitRecord {
                    row: number,
                    name: fields.text("name").unwrap_or_default(),
                    code: fields.code("code"),
                    commune: fields.text("commune"),
                    parent: fields.text("parent"),
                    title: fields.title("title"),
                };
                if record.title.is_some() && record.parent.is_none() {
                    let place = fields.place("title");
                    fields.problems.push((place, "chỉ ghi danh hiệu ở dòng bộ phận (có cột “Thuộc đơn vị”)".to_owned()));
                }
                list.push(record);
            }
            Records::Households(list) => {
                let signed = fields.yes_no("signed");
                let signed_on = fields.date("signed_on");
                if signed_on.is_some() && signed == Some(false) {
                    let place = fields.place("signed_on");
                    fields.problems.push((place, "có ngày ký nhưng cột “Đã ký cam kết” ghi “không”".to_owned()));
                }
                list.push(HouseholdRecord {
                    row: number,
                    unit: fields.text("unit"),
                    head: fields.text("head").unwrap_or_default(),
                    address: fields.text("address"),
                    signed: signed.unwrap_or(false),
                    signed_on,
                    note: fields.text("note"),
                });
            }
            Records::Incidents(list) => {
                let date = fields.date("occurred_on");
                let kind = fields.choice("kind");
                let harm = Harm {
                    deaths: fields.count("deaths").unwrap_or(0),
                    injuries: fields.numbers("injuries"),
                    damage_vnd: fields.number("damage").unwrap_or(0),
                };
                let incident = Incident {
                    kind: kind.unwrap_or_default(),
                    date: date.unwrap_or_default(),
                    severity: fields.severity("severity"),
                    harm: harm.recorded(),
                    domain: fields.choice("domain"),
                    group: fields.choice("group"),
                    in_territory: fields.yes_no("in_territory").unwrap_or(true),
                    by_own_people: fields.yes_no("by_own_people").unwrap_or(false),
                    force_majeure: fields.yes_no("force_majeure").unwrap_or(false),
                    reported_promptly: fields.yes_no("reported_promptly"),
                    note: fields.text("note"),
                };
                list.push(IncidentRecord { row: number, unit: fields.text("unit"), incident });
            }
            Records::Discipline(list) => {
                let discipline = Discipline {
                    force: fields.choice("force").unwrap_or_default(),
                    also_forces: fields.forces("also_forces"),
                    level: fields.discipline_level("level").unwrap_or(DisciplineLevel::KhienTrach),
                    date: fields.date("decided_on").unwrap_or_default(),
                    person: fields.text("person"),
                };
                list.push(DisciplineRecord { row: number, unit: fields.text("unit"), discipline });
            }
        }
        let problems = std::mem::take(&mut fields.problems);
        for (column, message) in problems {
            self.push(number, column, message);
        }
    }

    fn finish(mut self) -> Parsed {
        if self.header.is_none() && self.problem_count == 0 {
            let expected: Vec<&str> = self.kind.columns().iter().map(|c| c.header).collect();
            let message = if self.rows_before_header == 0 {
                "Tệp không có dữ liệu nào.".to_owned()
            } else {
                format!("Không tìm thấy dòng tiêu đề cột: dòng tiêu đề phải có tên các cột như tệp mẫu ({}).", expected.join(", "))
            };
            self.push(0, None, message);
        } else if self.header.is_some() && self.records.is_empty() && self.problem_count == 0 {
            let message = if self.sample_rows.is_empty() {
                "Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.".to_owned()
            } else {
                "Tệp chỉ có dòng mẫu (cột “Dòng mẫu” ghi “mẫu”), không có dòng dữ liệu nào: hãy ghi dữ liệu vào các dòng sau dòng mẫu."
                    .to_owned()
            };
            self.push(0, None, message);
        }
        let header_row = self.header.as_ref().map_or(0, |h| h.row);
        Parsed {
            kind: self.kind,
            records: self.records,
            problems: self.problems,
            problem_count: self.problem_count,
            header_row,
            sample_rows: self.sample_rows,
        }
    }
}

/// The cells of one row by column key, with the problems found while reading them.
struct Fields<'r> {
    columns: &'static [Column],
    positions: &'r [Option<usize>],
    cells: Vec<Option<&'r Cell>>,
    problems: Vec<(Option<String>, String)>,
    vocabulary: &'r Vocabulary,
}

impl<'r> Fields<'r> {
    fn index(&self, key: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.key == key)
    }

    fn place(&self, key: &str) -> Option<String> {
        let i = self.index(key)?;
        self.positions[i].map(|p| format!("{} ({})", column_letter(p), self.columns[i].header))
    }

    fn cell(&self, key: &str) -> Option<&'r Cell> {
        self.index(key).and_then(|i| self.cells[i])
    }

    /// Reads a cell with `read`, recording its problem.
    fn read<T>(&mut self, key: &str, read: impl FnOnce(&Cell, &Vocabulary) -> Result<T, String>) -> Option<T> {
        let cell = self.cell(key)?;
        match read(cell, self.vocabulary) {
            Ok(v) => Some(v),
            Err(message) => {
                let place = self.place(key);
                self.problems.push((place, message));
                None
            }
        }
    }

    /// A text cell, held to the limits of what a page accepts in the same field (names on one
    /// line, notes on several), NFC and trimmed.
    fn text(&mut self, key: &str) -> Option<String> {
        use antt_core::input::{Lines, clean, limits};
        let (max, lines) = match key {
            "note" => (limits::NOTE, Lines::Many),
            "address" => (limits::TITLE, Lines::One),
            _ => (limits::NAME, Lines::One),
        };
        self.read(key, |c, _| clean(&values::text(c).unwrap_or_default(), max, lines).map_err(|m| lower_first(&m)))
            .filter(|t| !t.is_empty())
    }

    /// A unit's own code: letters, digits, `-` and `.` only (see `UnitId::parse`).
    fn code(&mut self, key: &str) -> Option<String> {
        self.read(key, |c, _| antt_core::UnitId::parse(&values::text(c).unwrap_or_default()).map(|id| id.0).map_err(|m| lower_first(&m)))
    }

    fn date(&mut self, key: &str) -> Option<NaiveDate> {
        self.read(key, |c, _| values::date(c))
    }

    fn yes_no(&mut self, key: &str) -> Option<bool> {
        self.read(key, |c, _| values::yes_no(c))
    }

    fn choice(&mut self, key: &str) -> Option<String> {
        let values = self.index(key).map(|i| self.columns[i].values);
        self.read(key, |c, vocabulary| {
            let written = values::text(c).unwrap_or_default();
            match values {
                Some(Values::IncidentKind) => {
                    values::choice(&written, vocabulary.incident_kinds.iter().map(|(k, v)| (k.as_str(), v.as_str())), "loại vụ việc")
                }
                Some(Values::Force) => values::choice(&written, pairs(&vocabulary.forces), "lực lượng"),
                Some(Values::Domain) => values::choice(&written, pairs(&vocabulary.domains), "lĩnh vực"),
                Some(Values::Group) => values::choice(&written, pairs(&vocabulary.groups), "nhóm người"),
                _ => Ok(written),
            }
        })
    }

    /// Forces separated by ";", each by code or name.
    fn forces(&mut self, key: &str) -> Vec<String> {
        self.read(key, |c, vocabulary| {
            let written = values::text(c).unwrap_or_default();
            values::list(&written).map(|f| values::choice(f, pairs(&vocabulary.forces), "lực lượng")).collect()
        })
        .unwrap_or_default()
    }

    /// A whole number, "1.500.000" allowed.
    fn number(&mut self, key: &str) -> Option<u64> {
        self.read(key, |c, _| values::whole(c))
    }

    /// A whole number that fits a count.
    fn count(&mut self, key: &str) -> Option<u32> {
        self.read(key, |c, _| values::whole(c).and_then(small))
    }

    /// Whole numbers separated by ";".
    fn numbers(&mut self, key: &str) -> Vec<u32> {
        self.read(key, |c, _| match c {
            Cell::Text(t) => values::list(t).map(|n| values::whole(&Cell::Text(n.to_owned())).and_then(small)).collect(),
            other => values::whole(other).and_then(small).map(|n| vec![n]),
        })
        .unwrap_or_default()
    }

    fn severity(&mut self, key: &str) -> Option<Severity> {
        self.read(key, |c, _| named(c, &Severity::ALL, Severity::name, "mức độ"))
    }

    fn discipline_level(&mut self, key: &str) -> Option<DisciplineLevel> {
        self.read(key, |c, _| named(c, &DisciplineLevel::ALL, DisciplineLevel::name, "hình thức kỷ luật"))
    }

    fn title(&mut self, key: &str) -> Option<(String, String)> {
        self.read(key, |c, vocabulary| {
            let written = values::text(c).unwrap_or_default();
            let wanted = text::key(&written);
            for (scale_code, scale) in &vocabulary.scales {
                if let Some(level) = scale.levels.iter().find(|l| text::key(&l.name) == wanted || text::key(&l.code) == wanted) {
                    return Ok((scale_code.clone(), level.code.clone()));
                }
            }
            let names: Vec<&str> = vocabulary.scales.values().flat_map(|s| s.levels.iter().map(|l| l.name.as_str())).collect();
            Err(format!("“{written}” không phải danh hiệu hay mức xếp loại hợp lệ; các giá trị được nhận: {}", names.join("; ")))
        })
    }
}

/// A vocabulary list as (code, name) pairs.
fn pairs(map: &std::collections::BTreeMap<String, String>) -> impl Iterator<Item = (&str, &str)> {
    map.iter().map(|(k, v)| (k.as_str(), v.as_str()))
}

fn small(n: u64) -> Result<u32, String> {
    u32::try_from(n).map_err(|_| format!("số {n} quá lớn"))
}

/// A message as the rest of the file's problems read: in lower case after the place.
fn lower_first(message: &str) -> String {
    let mut chars = message.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect::<String>()).unwrap_or_default().trim_end_matches('.').to_owned()
}

/// One of a fixed set of values, by its Vietnamese name.
fn named<T: Copy>(cell: &Cell, all: &[T], name: fn(T) -> &'static str, what: &str) -> Result<T, String> {
    let written = values::text(cell).unwrap_or_default();
    let code = values::choice(&written, all.iter().map(|v| (name(*v), name(*v))), what)?;
    all.iter().copied().find(|v| name(*v) == code).ok_or_else(|| format!("“{written}” không phải {what} hợp lệ"))
}
