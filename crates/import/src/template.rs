//! Import templates: an Excel workbook (data sheet with the header and an example row, a sheet
//! of notes on each column, drop-down lists for the columns with fixed choices) and a CSV file.

use antt_core::model::{DisciplineLevel, Severity};
use antt_core::ruleset::Vocabulary;
use rust_xlsxwriter::{DataValidation, Format, FormatBorder, Formula, Workbook, XlsxError};

use crate::schema::{Kind, Values};
use crate::sheet::column_letter;

const DATA_SHEET: &str = "Dữ liệu";
const NOTES_SHEET: &str = "Hướng dẫn";
const LISTS_SHEET: &str = "Danh mục";

/// The choices a column's drop-down list offers, by Vietnamese name.
fn choices(values: Values, vocabulary: &Vocabulary) -> Vec<String> {
    let short = |name: &str| name.split(" (").next().unwrap_or(name).to_owned();
    match values {
        Values::YesNo => vec!["có".into(), "không".into()],
        Values::Severity => Severity::ALL.iter().map(|s| s.name().to_owned()).collect(),
        Values::DisciplineLevel => DisciplineLevel::ALL.iter().map(|l| l.name().to_owned()).collect(),
        Values::IncidentKind => vocabulary.incident_kinds.values().map(|n| short(n)).collect(),
        Values::Force | Values::Forces => vocabulary.forces.values().map(|n| short(n)).collect(),
        Values::Domain => vocabulary.domains.values().map(|n| short(n)).collect(),
        Values::Group => vocabulary.groups.values().map(|n| short(n)).collect(),
        Values::TitleLevel => vocabulary.scales.values().flat_map(|s| s.levels.iter().map(|l| l.name.clone())).collect(),
        Values::Text | Values::Date | Values::Number | Values::Numbers => Vec::new(),
    }
}

/// The Excel template for `kind`.
pub fn xlsx(kind: &Kind, vocabulary: &Vocabulary) -> Result<Vec<u8>, XlsxError> {
    let columns = kind.columns();
    let mut book = Workbook::new();
    let header = Format::new().set_bold().set_text_wrap().set_background_color("DDEBF7").set_border(FormatBorder::Thin);
    let required = header.clone().set_font_color("C00000");
    let text = Format::new().set_num_format("@");
    let date = Format::new().set_num_format("dd/mm/yyyy");

    let data = book.add_worksheet();
    data.set_name(DATA_SHEET)?;
    let mut list_columns = Vec::new();
    for (i, c) in columns.iter().enumerate() {
        let col = u16::try_from(i).unwrap_or(u16::MAX);
        data.set_column_width(col, (c.header.chars().count() as f64 + 4.0).max(16.0))?;
        data.write_string_with_format(0, col, c.header, if c.required { &required } else { &header })?;
        // Text columns are formatted as text so codes like 00123 keep their zeros.
        data.set_column_format(col, if c.values == Values::Date { &date } else { &text })?;
        let example = kind.example(c);
        if !example.is_empty() {
            data.write_string(1, col, &example)?;
        }
        let options = choices(c.values, vocabulary);
        // A cell naming several choices cannot be held to a drop-down of one.
        if !options.is_empty() && c.values != Values::Forces {
            list_columns.push((col, options));
        }
    }
    data.set_freeze_panes(1, 0)?;

    let notes = book.add_worksheet();
    notes.set_name(NOTES_SHEET)?;
    notes.set_column_width(0, 8)?;
    notes.set_column_width(1, 30)?;
    notes.set_column_width(2, 12)?;
    notes.set_column_width(3, 90)?;
    let wrap = Format::new().set_text_wrap();
    notes.write_string_with_format(0, 0, kind.title(), &Format::new().set_bold().set_font_size(13))?;
    notes.write_string(
        1,
        0,
        "Ghi từ dòng 3 của trang “Dữ liệu”, mỗi dòng một bản ghi. Dòng 2 là dòng ví dụ (cột “Dòng mẫu” ghi “mẫu”): được bỏ qua khi nhập, có thể để nguyên hoặc xóa. Cột đỏ là bắt buộc. Ngày ghi dạng ngày/tháng/năm (02/05/2013). \
         Tệp chỉ được nhập khi không còn lỗi nào: khi có lỗi, không dòng nào được ghi.",
    )?;
    for (i, title) in ["Cột", "Tên cột", "Bắt buộc", "Cách ghi"].iter().enumerate() {
        notes.write_string_with_format(3, u16::try_from(i).unwrap_or(0), *title, &header)?;
    }
    for (i, c) in columns.iter().enumerate() {
        let row = u32::try_from(i).unwrap_or(0) + 4;
        let options = choices(c.values, vocabulary);
        let note = if options.is_empty() || c.values == Values::YesNo {
            c.note.to_owned()
        } else {
            format!("{} Giá trị: {}.", c.note, options.join("; "))
        };
        notes.write_string(row, 0, column_letter(i))?;
        notes.write_string(row, 1, c.header)?;
        notes.write_string(row, 2, if c.required { "có" } else { "" })?;
        notes.write_string_with_format(row, 3, &note, &wrap)?;
    }

    if !list_columns.is_empty() {
        let lists = book.add_worksheet();
        lists.set_name(LISTS_SHEET)?;
        for (n, (col, options)) in list_columns.iter().enumerate() {
            let list_col = u16::try_from(n).unwrap_or(0);
            lists.write_string_with_format(0, list_col, columns[usize::from(*col)].header, &header)?;
            lists.set_column_width(list_col, 40)?;
            for (r, option) in options.iter().enumerate() {
                lists.write_string(u32::try_from(r).unwrap_or(0) + 1, list_col, option)?;
            }
        }
        let data = book.worksheet_from_name(DATA_SHEET)?;
        for (n, (col, options)) in list_columns.iter().enumerate() {
            let letter = column_letter(n);
            let range = format!("='{LISTS_SHEET}'!${letter}$2:${letter}${}", options.len() + 1);
            let validation = DataValidation::new()
                .allow_list_formula(Formula::new(range))
                .set_error_title("Giá trị không có trong danh mục")?
                .set_error_message("Hãy chọn một giá trị trong danh sách (xem trang “Hướng dẫn”).")?;
            data.add_data_validation(1, *col, 100_000, *col, &validation)?;
        }
    }
    book.save_to_buffer()
}

/// The CSV template for `kind`: UTF-8 with a byte order mark (so Excel shows Vietnamese
/// correctly), the header and the example row.
pub fn csv(kind: &Kind) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    let mut writer = csv::Writer::from_writer(&mut out);
    let columns = kind.columns();
    // Writing to memory cannot fail.
    let _ = writer.write_record(columns.iter().map(|c| c.header));
    let _ = writer.write_record(columns.iter().map(|c| kind.example(c)));
    let _ = writer.flush();
    drop(writer);
    out
}
