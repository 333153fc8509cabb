//! XLSX: every table of a document on a worksheet of its own, under a header block naming the
//! agency, the document and its date, with the column headers frozen and filterable. Numbers and
//! dates stay numbers and dates; the formats below are stored as Excel's locale-neutral codes
//! (`#,##0` is shown `1.234` by a spreadsheet set to Vietnamese). A total row adds its column
//! with a formula; every sheet prints one page wide.

use rust_xlsxwriter::{Chart, ChartType, Format, FormatAlign, FormatBorder, Formula, Workbook, XlsxError};

use crate::model::{Block, Cell, Document, Table};

/// The rows above the column headers: agency, title, table, date, and a blank line.
const HEADER_ROWS: u32 = 5;

/// Every table and chart of the document as a workbook.
pub fn render(doc: &Document) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let formats = Formats::new();
    let mut names: Vec<String> = Vec::new();
    for block in doc.body.iter().chain(&doc.annex) {
        let (table, chart) = match block {
            Block::Table(t) => (t.clone(), false),
            Block::Chart(c) => (c.as_table(), true),
            _ => continue,
        };
        let name = sheet_name(&table.title, &names);
        names.push(name.clone());
        let sheet = book.add_worksheet();
        sheet.set_name(&name)?;
        sheet.set_paper_size(9); // A4
        sheet.set_print_fit_to_pages(1, 0);
        if table.columns.len() > 6 {
            sheet.set_landscape();
        }
        write_table(sheet, doc, &table, &formats)?;
        if chart && !table.rows.is_empty() {
            let last = HEADER_ROWS + table.rows.len() as u32;
            let mut c = Chart::new(ChartType::Bar);
            c.add_series()
                .set_categories((name.as_str(), HEADER_ROWS + 1, 0, last, 0))
                .set_values((name.as_str(), HEADER_ROWS + 1, 1, last, 1))
                .set_name(table.title.as_str());
            c.title().set_name(table.title.as_str());
            c.legend().set_hidden();
            sheet.insert_chart(HEADER_ROWS, 3, &c)?;
        }
    }
    if names.is_empty() {
        // A document without tables (a certificate) gives its text, one line a row.
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name(&doc.title, &[]))?;
        sheet.set_paper_size(9);
        sheet.set_print_fit_to_pages(1, 0);
        sheet.set_column_width(0, 100)?;
        write_block_header(sheet, doc, &doc.title, 1, &formats)?;
        for (r, line) in doc.text_lines().iter().enumerate() {
            sheet.write_string_with_format(HEADER_ROWS + r as u32, 0, antt_core::text::nfc(line), &formats.body.text)?;
        }
    }
    book.save_to_buffer()
}

struct Formats {
    bold: Format,
    title: Format,
    italic: Format,
    header: Format,
    body: CellFormats,
    total: CellFormats,
}

/// How each kind of cell is shown: Vietnamese-style numbers and dd/mm/yyyy dates.
struct CellFormats {
    text: Format,
    integer: Format,
    decimal: Format,
    percent: Format,
    date: Format,
}

impl CellFormats {
    fn new(bold: bool) -> Self {
        let cell = || {
            let f = Format::new().set_font_name("Times New Roman").set_font_size(12).set_border(FormatBorder::Thin);
            if bold { f.set_bold() } else { f }
        };
        Self {
            text: cell().set_text_wrap(),
            integer: cell().set_num_format("#,##0"),
            decimal: cell().set_num_format("#,##0.0"),
            percent: cell().set_num_format("0.0%"),
            date: cell().set_num_format("dd/mm/yyyy").set_align(FormatAlign::Center),
        }
    }
}

impl Formats {
    fn new() -> Self {
        Self {
            bold: Format::new().set_font_name("Times New Roman").set_font_size(12).set_bold(),
            title: Format::new().set_font_name("Times New Roman").set_font_size(14).set_bold().set_align(FormatAlign::Center),
            italic: Format::new().set_font_name("Times New Roman").set_font_size(12).set_italic().set_align(FormatAlign::Center),
            header: CellFormats::new(true).text.set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter),
            body: CellFormats::new(false),
            total: CellFormats::new(true),
        }
    }
}

/// Agency, document title, table title and date over `columns` columns.
fn write_block_header(
    sheet: &mut rust_xlsxwriter::Worksheet,
    doc: &Document,
    table_title: &str,
    columns: u16,
    f: &Formats,
) -> Result<(), XlsxError> {
    let last = columns.saturating_sub(1);
    sheet.write_string_with_format(0, 0, doc.header.agency.replace('\n', " "), &f.bold)?;
    let title = match &doc.subject {
        Some(s) => format!("{} {}", doc.title, s),
        None => doc.title.clone(),
    };
    let rows = [(1, title, &f.title), (2, table_title.to_owned(), &f.title), (3, doc.header.place_date(), &f.italic)];
    for (row, text, format) in rows {
        if last > 0 {
            sheet.merge_range(row, 0, row, last, &text, format)?;
        } else {
            sheet.write_string_with_format(row, 0, &text, format)?;
        }
    }
    Ok(())
}

fn write_table(sheet: &mut rust_xlsxwriter::Worksheet, doc: &Document, t: &Table, f: &Formats) -> Result<(), XlsxError> {
    let columns = t.columns.len() as u16;
    write_block_header(sheet, doc, &t.title, columns, f)?;
    let head = HEADER_ROWS;
    for (i, c) in t.columns.iter().enumerate() {
        let col = i as u16;
        sheet.write_string_with_format(head, col, &c.header, &f.header)?;
        sheet.set_column_width(col, f64::from(c.width.clamp(1, 12)) * 6.0)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        write_row(sheet, head + 1 + r as u32, row, &f.body)?;
    }
    let last_data = head + t.rows.len() as u32;
    if let Some(total) = &t.total {
        write_row(sheet, last_data + 1, total, &f.total)?;
        if !t.rows.is_empty() {
            write_sums(sheet, head + 1, last_data, total, &f.total)?;
        }
    }
    sheet.set_freeze_panes(head + 1, 0)?;
    if columns > 0 {
        sheet.autofilter(head, 0, last_data.max(head), columns - 1)?;
    }
    sheet.set_repeat_rows(head, head)?;
    Ok(())
}

fn write_row(sheet: &mut rust_xlsxwriter::Worksheet, row: u32, cells: &[Cell], f: &CellFormats) -> Result<(), XlsxError> {
    for (i, cell) in cells.iter().enumerate() {
        let col = i as u16;
        match cell {
            Cell::Text(s) => sheet.write_string_with_format(row, col, antt_core::text::nfc(s), &f.text)?,
            Cell::Integer(n) => sheet.write_number_with_format(row, col, *n as f64, &f.integer)?,
            Cell::Decimal(x) => sheet.write_number_with_format(row, col, *x, &f.decimal)?,
            Cell::Percent(Some(x)) => sheet.write_number_with_format(row, col, *x, &f.percent)?,
            Cell::Percent(None) => sheet.write_string_with_format(row, col, "—", &f.text)?,
            Cell::Date(d) => sheet.write_datetime_with_format(row, col, *d, &f.date)?,
            Cell::Empty => sheet.write_blank(row, col, &f.text)?,
        };
    }
    Ok(())
}

/// The total row's counts and points as sums of the rows above (`first`..=`last`), holding the
/// document's figure as the formula's cached value. Shares are not sums and stay values.
fn write_sums(sheet: &mut rust_xlsxwriter::Worksheet, first: u32, last: u32, total: &[Cell], f: &CellFormats) -> Result<(), XlsxError> {
    for (i, cell) in total.iter().enumerate() {
        let (value, format) = match cell {
            Cell::Integer(n) => (n.to_string(), &f.integer),
            Cell::Decimal(x) => (x.to_string(), &f.decimal),
            _ => continue,
        };
        let col = i as u16;
        let range = format!("{}:{}", cell_ref(first, col), cell_ref(last, col));
        sheet.write_formula_with_format(last + 1, col, Formula::new(format!("=SUM({range})")).set_result(value), format)?;
    }
    Ok(())
}

/// "C7" for row 6, column 2 (both from 0).
fn cell_ref(row: u32, col: u16) -> String {
    let mut letters = String::new();
    let mut n = u32::from(col) + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.insert(0, char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

/// A worksheet name Excel accepts: at most 31 characters, none of `[]:*?/\\`, unique. A longer
/// title is shortened with the abbreviations Vietnamese offices use, then at a word.
fn sheet_name(title: &str, taken: &[String]) -> String {
    const MAX: usize = 31;
    const SHORT: [(&str, &str); 8] = [
        ("cấp huyện", "huyện"),
        ("được công nhận", "công nhận"),
        ("Danh sách", "DS"),
        ("đơn vị", "ĐV"),
        ("Đơn vị", "ĐV"),
        ("Kết quả", "KQ"),
        ("tiêu chuẩn", "TC"),
        ("đạt chuẩn", "ĐC"),
    ];
    let clean: String = title.chars().map(|c| if "[]:*?/\\'".contains(c) { ' ' } else { c }).collect();
    let mut base = clean.split_whitespace().collect::<Vec<_>>().join(" ");
    for (long, short) in SHORT {
        if base.chars().count() <= MAX {
            break;
        }
        base = base.replace(long, short);
    }
    let cut = |s: &str, max: usize| -> String {
        if s.chars().count() <= max {
            return s.to_owned();
        }
        let mut out = String::new();
        for w in s.split(' ') {
            let next = if out.is_empty() { w.to_owned() } else { format!("{out} {w}") };
            if next.chars().count() > max {
                break;
            }
            out = next;
        }
        if out.is_empty() { s.chars().take(max).collect() } else { out }
    };
    let base = if base.is_empty() { "Bảng".to_owned() } else { base };
    let mut name = cut(&base, MAX);
    let mut n = 2;
    while taken.iter().any(|t| t.to_lowercase() == name.to_lowercase()) {
        let suffix = format!(" ({n})");
        name = format!("{}{suffix}", cut(&base, MAX - suffix.chars().count()));
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_fit_and_are_abbreviated_not_cut() {
        assert_eq!(sheet_name("Danh sách đơn vị được công nhận", &[]), "Danh sách đơn vị được công nhận");
        let long = sheet_name("Tỷ lệ đạt chuẩn theo đơn vị cấp huyện", &[]);
        assert_eq!(long, "Tỷ lệ đạt chuẩn theo ĐV huyện");
        assert!(long.chars().count() <= 31);
        let twice = sheet_name("Kết quả theo xã", &["Kết quả theo xã".to_owned()]);
        assert_eq!(twice, "Kết quả theo xã (2)");
        assert_eq!(cell_ref(6, 2), "C7");
        assert_eq!(cell_ref(0, 27), "AB1");
    }
}
