//! Reading a spreadsheet file, CSV or Excel (.xlsx), row by row, with limits checked before the
//! rows are read. Nothing here knows what the columns mean.

use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx};

use crate::text::clean;

/// How large a file may be. The defaults suit the web page; the command line raises them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_bytes: usize,
    /// Data rows, the header not counted.
    pub max_rows: usize,
    pub max_columns: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_bytes: 10 * 1024 * 1024, max_rows: 200_000, max_columns: 60 }
    }
}

/// A cell's value as the file holds it; formulas are read as the value Excel last computed.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// A number shown as a date in Excel: days since 30/12/1899 (time of day in the fraction).
    DateSerial(f64),
    /// An Excel error such as `#REF!` or `#VALUE!`.
    Error(String),
}

impl Cell {
    pub fn is_blank(&self) -> bool {
        match self {
            Self::Empty => true,
            Self::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// One row as the user sees it: `number` is the row number Excel shows (1-based).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub number: u32,
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_blank)
    }
}

/// The kind of file that was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError(pub String);

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FileError {}

fn fail<T>(message: impl Into<String>) -> Result<T, FileError> {
    Err(FileError(message.into()))
}

/// The letters Excel gives column `index` (0-based): A, B, …, Z, AA, AB…
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// Decides the format from the first bytes, whatever the file name says, and refuses files
/// that are not spreadsheets with a message saying what they look like.
pub fn sniff(bytes: &[u8], file_name: &str) -> Result<Format, FileError> {
    let lower = file_name.to_lowercase();
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if bytes.is_empty() {
        return fail("Tệp rỗng: không có dữ liệu nào.");
    }
    if starts(b"PK\x03\x04") {
        return if lower.ends_with(".ods") {
            fail("Tệp OpenDocument (.ods) chưa được hỗ trợ: hãy lưu lại thành Excel (.xlsx) hoặc CSV UTF-8.")
        } else if lower.ends_with(".docx") || lower.ends_with(".pptx") {
            fail("Tệp này là văn bản Word/PowerPoint, không phải bảng tính: hãy dùng tệp mẫu Excel (.xlsx) hoặc CSV.")
        } else {
            Ok(Format::Xlsx)
        };
    }
    if starts(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return fail("Tệp Excel 97–2003 (.xls) chưa được hỗ trợ: hãy mở bằng Excel và lưu lại thành .xlsx (Excel Workbook).");
    }
    let not_spreadsheet = |what: &str| fail(format!("Tệp này là {what}, không phải bảng tính: hãy dùng tệp mẫu Excel (.xlsx) hoặc CSV."));
    if starts(b"%PDF") {
        return not_spreadsheet("tệp PDF");
    }
    if starts(&[0x89, b'P', b'N', b'G']) || starts(&[0xFF, 0xD8, 0xFF]) || starts(b"GIF8") {
        return not_spreadsheet("một ảnh");
    }
    if starts(&[0x1F, 0x8B]) || starts(b"Rar!") || starts(b"7z\xBC\xAF") {
        return not_spreadsheet("một tệp nén");
    }
    if starts(&[0xFF, 0xFE]) || starts(&[0xFE, 0xFF]) {
        return fail("Tệp văn bản mã UTF-16 (“Unicode Text”) chưa được hỗ trợ: hãy lưu lại thành “CSV UTF-8 (Comma delimited)”.");
    }
    if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
        return fail("Tệp có đuôi .xlsx nhưng nội dung không phải Excel (có thể đã hỏng hoặc bị đổi tên): hãy mở bằng Excel và lưu lại.");
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return not_spreadsheet("một tệp nhị phân");
    }
    Ok(Format::Csv)
}

/// Reads every row of the file's first sheet and gives them to `visit` in order. Limits are
/// checked before rows are read where the file says its size (CSV lines, the Excel sheet's
/// dimension), and again while reading.
pub fn read_rows(bytes: &[u8], file_name: &str, limits: &Limits, visit: &mut dyn FnMut(Row)) -> Result<SheetInfo, FileError> {
    if bytes.len() > limits.max_bytes {
        return fail(format!(
            "Tệp quá lớn: {} MB, giới hạn là {} MB. Hãy chia thành nhiều tệp nhỏ hơn.",
            antt_core::vi::decimal(bytes.len() as f64 / 1_048_576.0, 1),
            antt_core::vi::decimal(limits.max_bytes as f64 / 1_048_576.0, 1)
        ));
    }
    match sniff(bytes, file_name)? {
        Format::Csv => {
            read_csv(bytes, limits, visit)?;
            Ok(SheetInfo { format: Format::Csv, merged_across: Vec::new() })
        }
        Format::Xlsx => read_xlsx(bytes, limits, visit),
    }
}

/// What was learnt about the file besides its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetInfo {
    pub format: Format,
    /// Merged regions that span several columns: (first row as Excel numbers it, `A5:C5`).
    pub merged_across: Vec<(u32, String)>,
}

/// How many rows the file has, counted cheaply, for progress bars; `None` when unknown.
pub fn estimate_rows(bytes: &[u8]) -> Option<usize> {
    match sniff(bytes, "") {
        Ok(Format::Csv) => Some(bytes.iter().filter(|b| **b == b'\n').count() + usize::from(!bytes.ends_with(b"\n"))),
        Ok(Format::Xlsx) => std::panic::catch_unwind(|| {
            let mut book = Xlsx::new(Cursor::new(bytes)).ok()?;
            let name = book.sheet_names().first()?.clone();
            let reader = book.worksheet_cells_reader(&name).ok()?;
            Some(reader.dimensions().end.0 as usize + 1)
        })
        .ok()
        .flatten(),
        Err(_) => None,
    }
}

fn too_many_rows(limits: &Limits) -> FileError {
    FileError(format!(
        "Bảng tính có quá nhiều dòng: giới hạn là {} dòng dữ liệu mỗi tệp. Hãy chia thành nhiều tệp nhỏ hơn.",
        antt_core::vi::integer(limits.max_rows as u64)
    ))
}

fn too_many_columns(limits: &Limits) -> FileError {
    FileError(format!("Bảng tính có quá nhiều cột: giới hạn là {} cột. Hãy dùng đúng các cột của tệp mẫu.", limits.max_columns))
}

fn read_csv(bytes: &[u8], limits: &Limits, visit: &mut dyn FnMut(Row)) -> Result<(), FileError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        let line = bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() + 1;
        return fail(format!(
            "Tệp CSV không phải mã UTF-8 (lỗi ở dòng {line}): có thể tệp được lưu bằng mã Windows-1258 hoặc TCVN3. \
             Trong Excel hãy chọn “Lưu thành” → “CSV UTF-8 (Comma delimited)”."
        ));
    }
    // A cheap count first, so a file far too long is refused before anything is parsed.
    let lines = bytes.iter().filter(|b| **b == b'\n').count();
    if lines > limits.max_rows.saturating_add(1) {
        // Blank lines are not rows; count them properly only when the quick count is over.
        let non_blank =
            bytes.split(|b| *b == b'\n').filter(|l| l.iter().any(|b| !b.is_ascii_whitespace() && *b != b',' && *b != b';')).count();
        if non_blank > limits.max_rows.saturating_add(1) {
            return Err(too_many_rows(limits));
        }
    }
    let delimiter = detect_delimiter(bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut rows = 0usize;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                return fail(format!("Tệp CSV bị lỗi định dạng ở dòng {line} (thường do dấu ngoặc kép không đóng)."));
            }
        }
        if record.len() > limits.max_columns {
            return Err(too_many_columns(limits));
        }
        let number = u32::try_from(record.position().map_or(0, csv::Position::line)).unwrap_or(u32::MAX);
        let cells: Vec<Cell> = record
            .iter()
            .map(|field| {
                // The whole file was checked to be UTF-8 and fields split on ASCII bytes.
                let text = String::from_utf8_lossy(field);
                if text.trim().is_empty() { Cell::Empty } else { Cell::Text(clean(&text)) }
            })
            .collect();
        let row = Row { number, cells };
        if row.is_blank() {
            continue;
        }
        rows += 1;
        if rows > limits.max_rows.saturating_add(1) {
            return Err(too_many_rows(limits));
        }
        visit(row);
    }
    Ok(())
}

/// `;` when the first line has more semicolons than commas (Excel's CSV in locales where the
/// comma is the decimal separator, as in Vietnamese), a tab likewise, else `,`.
fn detect_delimiter(bytes: &[u8]) -> u8 {
    let first_line = bytes.split(|b| *b == b'\n').find(|l| l.iter().any(|b| !b.is_ascii_whitespace())).unwrap_or(&[]);
    let count = |d: u8| {
        let mut quoted = false;
        first_line
            .iter()
            .filter(|b| {
                if **b == b'"' {
                    quoted = !quoted;
                }
                !quoted && **b == d
            })
            .count()
    };
    let (commas, semicolons, tabs) = (count(b','), count(b';'), count(b'\t'));
    if semicolons > commas && semicolons >= tabs {
        b';'
    } else if tabs > commas {
        b'\t'
    } else {
        b','
    }
}

fn broken(e: impl std::fmt::Display) -> FileError {
    FileError(format!(
        "Không đọc được tệp Excel ({e}). Tệp có thể đã hỏng hoặc không phải .xlsx: hãy mở bằng Excel và lưu lại thành “Excel Workbook (.xlsx)”."
    ))
}

/// calamine panics on some malformed workbooks (a reversed range such as `C4:C2` overflows a
/// subtraction when overflow checks are on, as in debug builds; found by fuzzing): such a file is
/// broken, not a reason to crash. The rows already given to `visit` are dropped by the caller.
fn read_xlsx(bytes: &[u8], limits: &Limits, visit: &mut dyn FnMut(Row)) -> Result<SheetInfo, FileError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_workbook(bytes, limits, visit)))
        .unwrap_or_else(|_| Err(broken("nội dung không hợp lệ")))
}

fn read_workbook(bytes: &[u8], limits: &Limits, visit: &mut dyn FnMut(Row)) -> Result<SheetInfo, FileError> {
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(broken)?;
    let Some(sheet) = book.sheet_names().first().cloned() else {
        return fail("Tệp Excel không có trang tính nào.");
    };
    let merged = book.merge_cells_by_sheet_name(&sheet).map_err(broken)?;
    let mut cells = book.worksheet_cells_reader(&sheet).map_err(broken)?;
    let dimensions = cells.dimensions();
    if dimensions.end.1 as usize >= limits.max_columns.saturating_add(20) {
        return Err(too_many_columns(limits));
    }
    // The dimension may count formatted but empty rows, so it is a hint with room to spare:
    // the exact count is enforced while reading.
    if dimensions.end.0 as usize > limits.max_rows.saturating_mul(2).saturating_add(1000) {
        return Err(too_many_rows(limits));
    }
    let mut merges = Merges::new(merged);
    let mut current: Option<Row> = None;
    let mut rows = 0usize;
    let mut emit = |row: Row, merges: &mut Merges| -> Result<(), FileError> {
        let row = merges.fill(row);
        if row.is_blank() {
            return Ok(());
        }
        rows += 1;
        if rows > limits.max_rows.saturating_add(1) {
            return Err(too_many_rows(limits));
        }
        visit(row);
        Ok(())
    };
    while let Some(cell) = cells.next_cell().map_err(broken)? {
        let (r, c) = cell.get_position();
        let value = cell_value(cell.get_value());
        if c as usize >= limits.max_columns {
            if value.is_blank() {
                continue;
            }
            return Err(too_many_columns(limits));
        }
        let number = r.saturating_add(1);
        if current.as_ref().is_some_and(|row| row.number != number)
            && let Some(row) = current.take()
        {
            emit(row, &mut merges)?;
        }
        let row = current.get_or_insert_with(|| Row { number, cells: Vec::new() });
        let c = c as usize;
        if row.cells.len() <= c {
            row.cells.resize(c + 1, Cell::Empty);
        }
        row.cells[c] = value;
    }
    if let Some(row) = current.take() {
        emit(row, &mut merges)?;
    }
    Ok(SheetInfo { format: Format::Xlsx, merged_across: merges.across_columns })
}

fn cell_value(value: &DataRef<'_>) -> Cell {
    match value {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => text_cell(s),
        DataRef::SharedString(s) => text_cell(s),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(d) if d.is_datetime() => Cell::DateSerial(d.as_f64()),
        DataRef::DateTime(d) => Cell::Number(d.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => text_cell(s),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    }
}

fn text_cell(s: &str) -> Cell {
    if s.trim().is_empty() { Cell::Empty } else { Cell::Text(clean(s)) }
}

/// Merged cells: Excel keeps the value in the top-left cell only. A region within one column
/// (the same unit written once for several households) gives its value to every row it covers;
/// a region across several columns is reported (the caller refuses those below the header, since
/// which column the value belongs to would be a guess; a title above the header is fine).
struct Merges {
    vertical: Vec<(calamine::Dimensions, Option<Cell>)>,
    across_columns: Vec<(u32, String)>,
}

impl Merges {
    fn new(regions: Vec<calamine::Dimensions>) -> Self {
        let mut vertical = Vec::new();
        let mut across_columns = Vec::new();
        for d in regions {
            if d.start.1 == d.end.1 {
                if d.start.0 != d.end.0 {
                    vertical.push((d, None));
                }
            } else {
                let range =
                    format!("{}{}:{}{}", column_letter(d.start.1 as usize), d.start.0 + 1, column_letter(d.end.1 as usize), d.end.0 + 1);
                across_columns.push((d.start.0 + 1, range));
            }
        }
        across_columns.sort();
        Self { vertical, across_columns }
    }

    fn fill(&mut self, mut row: Row) -> Row {
        let r = row.number - 1;
        for (d, value) in &mut self.vertical {
            if r < d.start.0 || r > d.end.0 {
                continue;
            }
            let c = d.start.1 as usize;
            if r == d.start.0 {
                *value = row.cells.get(c).cloned();
            } else if let Some(v) = value.clone() {
                if row.cells.len() <= c {
                    row.cells.resize(c + 1, Cell::Empty);
                }
                if row.cells[c].is_blank() {
                    row.cells[c] = v;
                }
            }
        }
        row
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_as_excel_shows_them() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn delimiter_follows_the_header_line() {
        assert_eq!(detect_delimiter(b"a,b,c\n1,2,3"), b',');
        assert_eq!(detect_delimiter(b"\"T\xC3\xAAn, h\xE1\xBB\x8D\";Ng\xC3\xA0y;Ghi ch\xC3\xBA\n"), b';');
        assert_eq!(detect_delimiter(b"a\tb\tc\n"), b'\t');
    }
}
