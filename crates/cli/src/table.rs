//! Plain-text tables aligned by character count (Vietnamese text is NFC, one char per letter).

/// Renders rows under a header, each column padded to its widest cell; the last column is not
/// padded so long reasons wrap naturally in a terminal.
pub fn render(header: &[&str], rows: &[Vec<String>], indent: usize) -> String {
    let columns = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(columns) {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |cells: Vec<&str>, out: &mut String| {
        out.push_str(&" ".repeat(indent));
        for (i, cell) in cells.iter().enumerate() {
            out.push_str(cell);
            if i + 1 < cells.len() {
                out.push_str(&" ".repeat(widths[i] - cell.chars().count() + 2));
            }
        }
        out.push('\n');
    };
    line(header.to_vec(), &mut out);
    for row in rows {
        line(row.iter().map(String::as_str).collect(), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_by_characters_not_bytes() {
        let text = render(&["Mã", "Kết quả", "Lý do"], &[vec!["1.1".into(), "Đạt".into(), "x".into()]], 0);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "Mã   Kết quả  Lý do");
        assert_eq!(lines[1], "1.1  Đạt      x");
    }
}
