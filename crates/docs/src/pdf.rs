//! PDF through Typst: the document becomes Typst markup in which every piece of text is a
//! string literal (so nothing a user typed can act as markup), compiled in a small world that
//! knows only the embedded Liberation Serif fonts.

use std::fmt::Write as _;
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::model::{BarChart, Block, Cell, Document, MOTTO, NATION, Signature, Table};

/// Liberation Serif 2.x: metric-compatible with Times New Roman, which NĐ 30/2020 asks for.
static FONT_FILES: [&[u8]; 4] = [
    include_bytes!("../fonts/LiberationSerif-Regular.ttf"),
    include_bytes!("../fonts/LiberationSerif-Bold.ttf"),
    include_bytes!("../fonts/LiberationSerif-Italic.ttf"),
    include_bytes!("../fonts/LiberationSerif-BoldItalic.ttf"),
];

static FONTS: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONT_FILES.iter().flat_map(|data| Font::iter(Bytes::new(*data))).collect();
    let mut book = FontBook::new();
    for f in &fonts {
        book.push(f.info().clone());
    }
    (LazyHash::new(book), fonts)
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::builder().build()));

#[derive(Debug, thiserror::Error)]
#[error("không tạo được tệp PDF: {0}")]
pub struct PdfError(String);

/// The document as a PDF with its fonts embedded.
pub fn render(doc: &Document) -> Result<Vec<u8>, PdfError> {
    let world = OneFile { source: Source::detached(markup(doc)) };
    let compiled = typst::compile::<PagedDocument>(&world).output.map_err(|errors| PdfError(diagnostics(&errors)))?;
    typst_pdf::pdf(&compiled, &typst_pdf::PdfOptions::default()).map_err(|errors| PdfError(diagnostics(&errors)))
}

fn diagnostics(errors: &[typst::diag::SourceDiagnostic]) -> String {
    errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; ")
}

/// A world of one source file and the embedded fonts.
struct OneFile {
    source: Source,
}

impl World for OneFile {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }

    fn main(&self) -> FileId {
        self.source.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.source.id() { Ok(self.source.clone()) } else { Err(FileError::AccessDenied) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.source.id() { Ok(Bytes::from_string(self.source.clone())) } else { Err(FileError::AccessDenied) }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.1.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

/// Helpers the generated markup calls. Sizes and margins per NĐ 30/2020: A4, top and bottom
/// 20 mm, left 30 mm, right 15 mm; body text 14 pt, header 12–13 pt; page numbers from the
/// second page, centred in the top margin (Phụ lục I, mục II.11); a signature block never
/// stretches its lines.
const PRELUDE: &str = r#"
#set page(header: context { let n = counter(page).get().first(); if n > 1 { align(center, text(size: 13pt, str(n))) } })
#set text(font: "Liberation Serif", size: 14pt, lang: "vi", hyphenate: false)
#set par(justify: true, leading: 0.5em, spacing: 0.8em, first-line-indent: (amount: 1cm, all: true))
#show regex("[0-9]+/[\\p{L}0-9.-]*[\\p{L}0-9]"): box
#let present(xs) = xs.filter(x => x != none)
#let header(parent, agency, number, nation, motto, place-date) = {
  set par(justify: false, first-line-indent: 0pt)
  // A rule under a line of text sits below its descenders, never on them.
  set text(bottom-edge: "descender")
  grid(
  columns: (9fr, 16fr), column-gutter: 5mm,
  align(center, stack(spacing: 5pt, ..present((
    if parent != none { text(size: 13pt, parent) },
    ..agency.map(a => text(size: 13pt, weight: "bold", a)),
    line(length: 30%, stroke: 0.5pt),
    if number != none { text(size: 13pt, number) },
  )))),
  align(center, stack(spacing: 5pt,
    text(size: 13pt, weight: "bold", nation),
    text(size: 14pt, weight: "bold", motto),
    line(length: 55%, stroke: 0.5pt),
    v(4pt),
    text(size: 14pt, style: "italic", place-date),
  )),
)}
#let title(t, subject) = {
  set par(justify: false, first-line-indent: 0pt)
  set text(bottom-edge: "descender")
  v(8mm)
  align(center, stack(spacing: 5pt, ..present((
    text(weight: "bold", t),
    if subject != none { text(weight: "bold", subject) },
    if subject != none { v(3pt) },
    if subject != none { line(length: 25%, stroke: 0.5pt) },
  ))))
  v(3mm)
}
#let heading-line(t) = block(above: 1em, below: 0.6em, text(weight: "bold", t))
#let cells(columns, numeric, headers, rows, total) = {
  set par(justify: false, first-line-indent: 0pt)
  set text(size: 12pt)
  table(
    columns: columns,
    stroke: 0.5pt,
    inset: (x: 4pt, y: 4pt),
    align: (x, y) => if y > 0 and numeric.at(x) { right + horizon } else if y == 0 { center + horizon } else { left + horizon },
    table.header(..headers.map(h => text(weight: "bold", h))),
    ..rows.flatten(),
    ..if total != none { total.map(c => text(weight: "bold", c)) } else { () },
  )
}
#let chart(title, bars) = block(breakable: false, above: 1em, below: 1em, {
  set par(justify: false, first-line-indent: 0pt)
  set text(size: 12pt)
  align(center, text(weight: "bold", title))
  let top = calc.max(..bars.map(b => b.at(1)), 1)
  grid(columns: (35%, 1fr, 16%), row-gutter: 5pt, column-gutter: 6pt, align: (right + horizon, left + horizon, left + horizon),
    ..bars.map(((label, value, shown)) => (label, rect(width: 100% * (value / top), height: 10pt, fill: luma(110), stroke: none), shown)).flatten())
})
#let signature(lines, note, name) = align(center, { set par(justify: false, first-line-indent: 0pt); stack(spacing: 5pt, ..present((
  ..lines.map(l => text(weight: "bold", l)),
  if note != none { text(style: "italic", size: 13pt, note) },
  v(22mm),
  if name != none { text(weight: "bold", name) },
))) })
#let recipients(items) = align(left, { set par(justify: false, first-line-indent: 0pt); stack(spacing: 4pt,
  text(size: 12pt, weight: "bold", style: "italic", "Nơi nhận:"),
  ..items.map(i => text(size: 11pt, "- " + i)),
) })
"#;

/// The Typst source of a document.
pub fn markup(doc: &Document) -> String {
    let mut out = String::with_capacity(4096);
    let margin = if doc.landscape {
        "(top: 20mm, bottom: 20mm, left: 25mm, right: 20mm)"
    } else {
        "(top: 20mm, bottom: 20mm, left: 30mm, right: 15mm)"
    };
    let _ = writeln!(out, "#set document(title: {})", lit(&doc.file_title));
    let _ = writeln!(out, "#set page(paper: \"a4\", flipped: {}, margin: {margin})", doc.landscape);
    out.push_str(PRELUDE);
    let copies: Vec<Option<&String>> = if doc.copies.is_empty() { vec![None] } else { doc.copies.iter().map(Some).collect() };
    for (i, copy) in copies.into_iter().enumerate() {
        if i > 0 {
            out.push_str("#pagebreak()\n#counter(page).update(1)\n");
        }
        if let Some(label) = copy {
            let _ = writeln!(out, "#align(right, text(size: 12pt, style: \"italic\", {}))", lit(label));
        }
        one_copy(doc, &mut out);
    }
    out
}

fn one_copy(doc: &Document, out: &mut String) {
    let h = &doc.header;
    let _ = writeln!(
        out,
        "#header({}, {}, {}, {}, {}, {})",
        opt(h.parent_agency.as_deref()),
        list(h.agency.lines()),
        opt(h.number_line().as_deref()),
        lit(NATION),
        lit(MOTTO),
        lit(&h.place_date())
    );
    let _ = writeln!(out, "#title({}, {})", lit(&doc.title), opt(doc.subject.as_deref()));
    if let Some(a) = &doc.addressee {
        let _ = writeln!(out, "#align(center, {})", lit(&format!("Kính gửi: {a}")));
    }
    // The last paragraph goes with the signatures: a signature never stands alone on a page.
    let kept = match doc.body.last() {
        Some(Block::Paragraph(_) | Block::Heading(_)) if !doc.signatures.is_empty() => 1,
        _ => 0,
    };
    let (flowing, last) = doc.body.split_at(doc.body.len() - kept);
    blocks(flowing, out);
    out.push_str("#block(breakable: false, width: 100%)[\n");
    blocks(last, out);
    closing(&doc.signatures, &doc.recipients, out);
    out.push_str("]\n");
    if !doc.annex.is_empty() {
        out.push_str("#pagebreak()\n");
        blocks(&doc.annex, out);
    }
}

fn blocks(blocks: &[Block], out: &mut String) {
    for b in blocks {
        match b {
            Block::Heading(t) => {
                let _ = writeln!(out, "#heading-line({})", lit(t));
            }
            Block::Paragraph(p) => {
                let mut args = Vec::new();
                if p.bold {
                    args.push("weight: \"bold\"");
                }
                if p.italic {
                    args.push("style: \"italic\"");
                }
                if p.large {
                    args.push("size: 20pt");
                }
                args.push("");
                let mut text = format!("text({}{})", args.join(", "), lit(&p.text));
                if let Some(lead) = &p.lead {
                    text = format!("{{ text(weight: \"bold\", {}); text({}{}) }}", lit(&format!("{lead} ")), args.join(", "), lit(&p.text));
                }
                if p.centered {
                    let _ = writeln!(
                        out,
                        "#block(width: 100%, above: 0.8em, below: 0.8em, align(center, {{ set par(justify: false, first-line-indent: 0pt); {text} }}))"
                    );
                } else {
                    let _ = writeln!(out, "#par({text})");
                }
            }
            Block::Table(t) => table(t, out),
            Block::Chart(c) => chart(c, out),
            Block::Gap => out.push_str("#v(1fr)\n"),
        }
    }
}

fn table(t: &Table, out: &mut String) {
    let columns: Vec<String> = t.columns.iter().map(|c| format!("{}fr", c.width.max(1))).collect();
    let numeric: Vec<&str> = (0..t.columns.len())
        .map(|i| if t.rows.iter().any(|r| r.get(i).is_some_and(Cell::is_numeric)) { "true" } else { "false" })
        .collect();
    let headers: Vec<String> = t.columns.iter().map(|c| lit(&c.header)).collect();
    let _ = write!(out, "#cells(({},), ({},), ({},), (", columns.join(", "), numeric.join(", "), headers.join(", "));
    for row in &t.rows {
        out.push('(');
        for c in row {
            out.push_str(&lit(&c.display()));
            out.push_str(", ");
        }
        out.push_str("), ");
    }
    out.push_str("), ");
    match &t.total {
        Some(total) => {
            let cells: Vec<String> = total.iter().map(|c| lit(&c.display())).collect();
            let _ = writeln!(out, "({},))", cells.join(", "));
        }
        None => out.push_str("none)\n"),
    }
}

fn chart(c: &BarChart, out: &mut String) {
    let bars: Vec<String> = c.bars.iter().map(|(label, v)| format!("({}, {}, {})", lit(label), number(*v), lit(&c.label(*v)))).collect();
    // `(,)` is not a Typst array: an area with no districts has a chart without bars.
    let bars = if bars.is_empty() { "()".to_owned() } else { format!("({},)", bars.join(", ")) };
    let _ = writeln!(out, "#chart({}, {bars})", lit(&c.title));
}

/// A finite, non-negative number as a Typst float literal.
fn number(v: f64) -> String {
    if v.is_finite() && v > 0.0 { format!("{v:.4}") } else { "0.0".to_owned() }
}

fn closing(signatures: &[Signature], recipients: &[String], out: &mut String) {
    let mut cells = Vec::new();
    if !recipients.is_empty() {
        cells.push(format!("recipients({})", list(recipients.iter().map(String::as_str))));
    } else if signatures.len() == 1 {
        cells.push("[]".to_owned());
    }
    for s in signatures {
        let lines = list(s.on_behalf.iter().chain(&s.for_head).chain(std::iter::once(&s.position)).map(String::as_str));
        let name = if s.name.is_empty() { None } else { Some(s.name.as_str()) };
        cells.push(format!("signature({lines}, {}, {})", opt(s.note.as_deref()), opt(name)));
    }
    if cells.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "#v(6mm)\n#block(breakable: false, grid(columns: ({}), column-gutter: 4mm, {}))",
        vec!["1fr"; cells.len()].join(", "),
        cells.join(", ")
    );
}

/// A Typst string literal holding `s` (in NFC): text never becomes markup.
fn lit(s: &str) -> String {
    let s = antt_core::text::nfc(s);
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A Typst array of string literals.
fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.map(lit).collect();
    format!("({},)", items.join(", "))
}

fn opt(s: Option<&str>) -> String {
    s.map_or_else(|| "none".to_owned(), lit)
}

#[cfg(test)]
mod tests {
    use super::lit;

    #[test]
    fn text_is_a_string_literal_whatever_it_holds() {
        assert_eq!(lit(r#"a "b" \ #c $d$ *e*"#), r#""a \"b\" \\ #c $d$ *e*""#);
        assert_eq!(lit("x\ny\u{7}"), r#""x\ny\u{7}""#);
    }
}
