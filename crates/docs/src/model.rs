//! One model for every official document: what it says, not how it looks. The three renderers
//! (DOCX, PDF, XLSX) lay it out per Nghị định 30/2020/NĐ-CP.

use chrono::NaiveDate;

/// The first line of the national header.
pub const NATION: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
/// The motto under it.
pub const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";

/// An official document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Used for file names and the PDF's metadata.
    pub file_title: String,
    pub header: Header,
    /// The kind of document in capitals ("QUYẾT ĐỊNH", "BÁO CÁO"…).
    pub title: String,
    /// The summary line under the title ("trích yếu"), e.g. "Về việc công nhận …".
    pub subject: Option<String>,
    /// "Kính gửi: …" for documents addressed to someone.
    pub addressee: Option<String>,
    pub body: Vec<Block>,
    /// Signatures left to right; the last sits on the right. Empty for none.
    pub signatures: Vec<Signature>,
    /// The "Nơi nhận:" list, at the bottom left.
    pub recipients: Vec<String>,
    /// Blocks after the signature, on a new page: the annex list of a decision, for one.
    pub annex: Vec<Block>,
    /// Each label makes one full copy, marked with it at the top ("Bản lưu tại đơn vị"…).
    /// Empty means a single, unmarked copy.
    pub copies: Vec<String>,
    pub landscape: bool,
}

/// The header: the issuing agency on the left, the national header on the right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The agency above the issuing one ("UBND HUYỆN LONG HỒ"), when there is one.
    pub parent_agency: Option<String>,
    /// The issuing agency ("ỦY BAN NHÂN DÂN\nXÃ ĐỒNG PHÚ"); a line break sets where a long name
    /// breaks, never inside a place's name.
    pub agency: String,
    /// Number and symbol without "Số: " ("12/QĐ-UBND"); `None` leaves no number line.
    pub number: Option<String>,
    pub place: String,
    /// `None` prints the date with blanks to be filled in by hand.
    pub date: Option<NaiveDate>,
}

impl Header {
    /// "Số: 12/QĐ-UBND", with dots to fill in when the number is blank.
    pub fn number_line(&self) -> Option<String> {
        self.number.as_ref().map(|n| if n.trim().is_empty() { "Số:      /".to_owned() } else { format!("Số: {n}") })
    }

    /// "Vĩnh Long, ngày 15 tháng 10 năm 2013".
    pub fn place_date(&self) -> String {
        match self.date {
            Some(d) => format!("{}, {}", self.place, long_date(d)),
            None => format!("{}, ngày    tháng    năm", self.place),
        }
    }
}

/// "ngày 15 tháng 10 năm 2013". NĐ 30 writes days below 10 and months below 3 with a leading zero.
pub fn long_date(d: NaiveDate) -> String {
    use chrono::Datelike;
    let month = if d.month() < 3 { format!("{:02}", d.month()) } else { d.month().to_string() };
    format!("ngày {:02} tháng {month} năm {}", d.day(), d.year())
}

/// A block of the body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A bold heading at the left ("I. KẾT QUẢ", "Điều 1.").
    Heading(String),
    Paragraph(Paragraph),
    Table(Table),
    Chart(BarChart),
    /// Room that grows to fill what the page leaves (a one-page certificate spread over its
    /// page); an empty line where pages do not stretch.
    Gap,
}

/// A paragraph of running text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Bold words the paragraph opens with ("Điều 1."), when any.
    pub lead: Option<String>,
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    pub centered: bool,
    /// Larger type, for the unit's name on a certificate.
    pub large: bool,
}

impl Paragraph {
    pub fn new(text: impl Into<String>) -> Self {
        Self { lead: None, text: text.into(), bold: false, italic: false, centered: false, large: false }
    }
    /// A paragraph opening with bold words ("Điều 1.") followed by `text`.
    pub fn led(lead: impl Into<String>, text: impl Into<String>) -> Self {
        Self { lead: Some(lead.into()), ..Self::new(text) }
    }
    /// The paragraph's words as read: the lead, then the text.
    pub fn full_text(&self) -> String {
        match &self.lead {
            Some(l) => format!("{l} {}", self.text),
            None => self.text.clone(),
        }
    }
    pub fn bold(mut self) -> Self {
        self.bold = true;
        self
    }
    pub fn italic(mut self) -> Self {
        self.italic = true;
        self
    }
    pub fn centered(mut self) -> Self {
        self.centered = true;
        self
    }
    pub fn large(mut self) -> Self {
        self.large = true;
        self
    }
}

impl From<Paragraph> for Block {
    fn from(p: Paragraph) -> Self {
        Block::Paragraph(p)
    }
}

/// A table with a header row; each table is also a worksheet in the XLSX export.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The worksheet's name and the caption above the table in the XLSX header block.
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    /// A bold last row ("Tổng cộng").
    pub total: Option<Vec<Cell>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub header: String,
    /// Relative width.
    pub width: u16,
}

impl Column {
    pub fn new(header: impl Into<String>, width: u16) -> Self {
        Self { header: header.into(), width }
    }
}

/// A table cell: numbers and dates stay typed so the XLSX export can sum and filter them.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Integer(i64),
    /// A number shown with one decimal (points).
    Decimal(f64),
    /// A share between 0 and 1, shown as a percentage with one decimal; `None` when the
    /// whole is zero.
    Percent(Option<f64>),
    Date(NaiveDate),
    Empty,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Self {
        Cell::Text(s.into())
    }

    /// `part` of `whole` as a share.
    pub fn share(part: u32, whole: u32) -> Self {
        Cell::Percent((whole > 0).then(|| f64::from(part) / f64::from(whole)))
    }

    /// The cell as printed in DOCX and PDF, in Vietnamese notation.
    pub fn display(&self) -> String {
        use antt_core::vi;
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Integer(n) if *n < 0 => format!("-{}", vi::integer(n.unsigned_abs())),
            Cell::Integer(n) => vi::integer(n.unsigned_abs()),
            Cell::Decimal(x) => vi::decimal(*x, 1),
            Cell::Percent(Some(x)) => format!("{}%", vi::decimal(x * 100.0, 1)),
            Cell::Percent(None) => "—".to_owned(),
            Cell::Date(d) => vi::date(*d),
            Cell::Empty => String::new(),
        }
    }

    /// Numbers are right-aligned in every renderer.
    pub fn is_numeric(&self) -> bool {
        matches!(self, Cell::Integer(_) | Cell::Decimal(_) | Cell::Percent(_))
    }
}

/// A horizontal bar chart: drawn natively in the PDF, as a table of its figures in the DOCX and
/// as a chart next to its figures in the XLSX.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    pub title: String,
    /// The bars' labels and values; percentages when `percent` is set (0–100).
    pub bars: Vec<(String, f64)>,
    pub percent: bool,
}

impl BarChart {
    /// The chart's figures as a table, for renderers that do not draw it.
    pub fn as_table(&self) -> Table {
        let value = |v: f64| match counted(v) {
            _ if self.percent => Cell::Percent(Some(v / 100.0)),
            Some(n) => Cell::Integer(n),
            None => Cell::Decimal(v),
        };
        Table {
            title: self.title.clone(),
            columns: vec![Column::new("Nội dung", 5), Column::new(if self.percent { "Tỷ lệ" } else { "Số lượng" }, 2)],
            rows: self.bars.iter().map(|(label, v)| vec![Cell::text(label), value(*v)]).collect(),
            total: None,
        }
    }

    /// A bar's value as printed: a count without decimals ("244", never "244,0").
    pub fn label(&self, v: f64) -> String {
        match counted(v) {
            _ if self.percent => format!("{}%", antt_core::vi::decimal(v, 1)),
            Some(n) => Cell::Integer(n).display(),
            None => antt_core::vi::decimal(v, 1),
        }
    }
}

/// A whole number held as a float (a count), as an integer.
fn counted(v: f64) -> Option<i64> {
    (v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15).then_some(v as i64)
}

/// A signature block: "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", room to sign,
/// then the name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Signature {
    /// "TM. ỦY BAN NHÂN DÂN", when signing for a collective body.
    pub on_behalf: Option<String>,
    /// "KT. CHỦ TỊCH", when a deputy signs for the head.
    pub for_head: Option<String>,
    /// "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "TRƯỞNG ẤP"…
    pub position: String,
    /// An instruction under the position, e.g. "(Ký, ghi rõ họ tên)".
    pub note: Option<String>,
    /// Empty leaves the name to be written by hand.
    pub name: String,
}

impl Document {
    /// The document's text, in reading order, one line per element: what the snapshot tests
    /// hold and what a PDF's extracted text must contain.
    pub fn text_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let copies: Vec<Option<&String>> = if self.copies.is_empty() { vec![None] } else { self.copies.iter().map(Some).collect() };
        for copy in copies {
            lines.extend(copy.cloned());
            self.copy_lines(&mut lines);
        }
        lines
    }

    fn copy_lines(&self, lines: &mut Vec<String>) {
        let h = &self.header;
        lines.extend(h.parent_agency.clone());
        lines.extend(h.agency.lines().map(str::to_owned));
        lines.extend(h.number_line());
        lines.extend([NATION.to_owned(), MOTTO.to_owned(), h.place_date(), self.title.clone()]);
        lines.extend(self.subject.clone());
        lines.extend(self.addressee.as_ref().map(|a| format!("Kính gửi: {a}")));
        blocks_lines(&self.body, lines);
        if !self.recipients.is_empty() {
            lines.push("Nơi nhận:".to_owned());
            lines.extend(self.recipients.iter().map(|r| format!("- {r}")));
        }
        for s in &self.signatures {
            lines.extend(s.lines());
        }
        blocks_lines(&self.annex, lines);
    }
}

impl Signature {
    /// The lines of the block above the room to sign, then the name.
    pub fn lines(&self) -> Vec<String> {
        let mut out: Vec<String> = self.on_behalf.iter().chain(&self.for_head).cloned().collect();
        out.push(self.position.clone());
        out.extend(self.note.clone());
        if !self.name.is_empty() {
            out.push(self.name.clone());
        }
        out
    }
}

fn blocks_lines(blocks: &[Block], lines: &mut Vec<String>) {
    for b in blocks {
        match b {
            Block::Heading(t) => lines.push(t.clone()),
            Block::Paragraph(p) => lines.push(p.full_text()),
            Block::Table(t) => table_lines(t, lines),
            Block::Chart(c) => {
                lines.push(c.title.clone());
                lines.extend(c.bars.iter().map(|(l, v)| format!("{l} | {}", c.label(*v))));
            }
            Block::Gap => {}
        }
    }
}

fn table_lines(t: &Table, lines: &mut Vec<String>) {
    lines.push(t.columns.iter().map(|c| c.header.as_str()).collect::<Vec<_>>().join(" | "));
    for row in t.rows.iter().chain(&t.total) {
        lines.push(row.iter().map(Cell::display).collect::<Vec<_>>().join(" | "));
    }
}

/// Every table of a document, in order, charts included as their figures: what the XLSX
/// export writes, one worksheet each.
pub fn tables(doc: &Document) -> Vec<Table> {
    doc.body
        .iter()
        .chain(&doc.annex)
        .filter_map(|b| match b {
            Block::Table(t) => Some(t.clone()),
            Block::Chart(c) => Some(c.as_table()),
            _ => None,
        })
        .collect()
}
