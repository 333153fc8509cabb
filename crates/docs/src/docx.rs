//! DOCX for officials to edit before signing. Times New Roman by name (what NĐ 30/2020 asks
//! for and what Word has); LibreOffice shows it with the metric-compatible Liberation Serif.

use docx_rs::{
    AlignmentType, BreakType, Docx, Header as DocxHeader, HeightRule, LineSpacing, PageMargin, PageNum, PageOrientationType,
    Paragraph as DocxParagraph, Run, RunFonts, SpecialIndentType, Table as DocxTable, TableCell, TableLayoutType, TableRow, WidthType,
};

use crate::model::{Block, Cell, Document, MOTTO, NATION, Paragraph, Signature, Table};

#[derive(Debug, thiserror::Error)]
#[error("không tạo được tệp DOCX: {0}")]
pub struct DocxError(String);

/// Sizes are in half-points, lengths in twentieths of a point (1 mm ≈ 56,7).
const BODY: usize = 28;
const HEADER: usize = 26;
const TABLE: usize = 24;
const A4: (u32, u32) = (11906, 16838);
/// The text width of a portrait A4 page with 30 mm and 15 mm side margins.
const TEXT_WIDTH: usize = 9355;

/// The document as a DOCX file.
pub fn render(doc: &Document) -> Result<Vec<u8>, DocxError> {
    let (width, height) = if doc.landscape { (A4.1, A4.0) } else { A4 };
    let margin = if doc.landscape {
        PageMargin::new().top(1134).bottom(1134).left(1417).right(1134)
    } else {
        PageMargin::new().top(1134).bottom(1134).left(1701).right(850)
    };
    let text_width = if doc.landscape { width as usize - 1417 - 1134 } else { TEXT_WIDTH };
    let mut docx = Docx::new()
        .page_size(width, height)
        .page_margin(margin)
        .default_fonts(
            RunFonts::new().ascii("Times New Roman").hi_ansi("Times New Roman").cs("Times New Roman").east_asia("Times New Roman"),
        )
        .default_size(BODY)
        .default_line_spacing(LineSpacing::new().after(120))
        // Page numbers from the second page, centred at the top (NĐ 30/2020, Phụ lục I, mục II.11).
        .first_header(DocxHeader::new())
        .header(DocxHeader::new().add_paragraph(
            DocxParagraph::new().align(AlignmentType::Center).add_page_num(PageNum::new()).line_spacing(LineSpacing::new().after(0)),
        ));
    if doc.landscape {
        docx = docx.page_orient(PageOrientationType::Landscape);
    }
    let mut w = Writer { docx, text_width };
    let copies: Vec<Option<&String>> = if doc.copies.is_empty() { vec![None] } else { doc.copies.iter().map(Some).collect() };
    for (i, copy) in copies.into_iter().enumerate() {
        if i > 0 {
            w.paragraph(DocxParagraph::new().add_run(Run::new().add_text(SECTION_MARK)));
        }
        if let Some(label) = copy {
            w.paragraph(DocxParagraph::new().align(AlignmentType::Right).add_run(Run::new().add_text(label).italic().size(TABLE)));
        }
        w.copy(doc);
    }
    let mut xml = w.docx.build();
    xml.document = copies_as_sections(&xml.document)?;
    xml.document = repeated_header_rows(&xml.document)?;
    xml.styles = vietnamese(&xml.styles)?;
    let mut out = std::io::Cursor::new(Vec::new());
    xml.pack(&mut out).map_err(|e| DocxError(e.to_string()))?;
    Ok(out.into_inner())
}

/// The text of the paragraph that ends a copy, replaced by a section break.
const SECTION_MARK: &str = "ANTT-SECTION-BREAK";

/// Each copy of a document (a registration's copy for the unit and for PV28) is a section of
/// its own, numbered from 1 like a document of its own: its first page without a number, the
/// next ones from 2 (as the PDF does). docx-rs writes one section; the paragraph between two
/// copies becomes a section break carrying the document's section properties, and every
/// section restarts its page numbers.
fn copies_as_sections(document: &[u8]) -> Result<Vec<u8>, DocxError> {
    let xml = std::str::from_utf8(document).map_err(|e| DocxError(e.to_string()))?;
    let broken = || DocxError("không tìm thấy thuộc tính trang của văn bản".into());
    let start = xml.rfind("<w:sectPr").ok_or_else(broken)?;
    let end = xml[start..].find("</w:sectPr>").map(|e| start + e + "</w:sectPr>".len()).ok_or_else(broken)?;
    // Page numbers restart at 1 in every section (`w:pgNumType` goes before `w:titlePg`, or
    // before `w:docGrid`, in the schema's order).
    let restart = r#"<w:pgNumType w:start="1" />"#;
    let section = &xml[start..end];
    let at =
        section.find("<w:titlePg").or_else(|| section.find("<w:docGrid")).or_else(|| section.find("</w:sectPr>")).ok_or_else(broken)?;
    let section = format!("{}{restart}{}", &section[..at], &section[at..]);
    let mut out = format!("{}{section}{}", &xml[..start], &xml[end..]);
    while let Some(mark) = out.find(SECTION_MARK) {
        let open = [out[..mark].rfind("<w:p "), out[..mark].rfind("<w:p>")].into_iter().flatten().max().ok_or_else(broken)?;
        let close = out[mark..].find("</w:p>").map(|c| mark + c + "</w:p>".len()).ok_or_else(broken)?;
        out.replace_range(open..close, &format!("<w:p><w:pPr>{section}</w:pPr></w:p>"));
    }
    Ok(out.into_bytes())
}

/// The height docx-rs writes for a data table's header row, which becomes the mark of a header
/// row repeated on every page (`w:tblHeader`, which docx-rs cannot write).
const HEADER_ROW_MARK: &str = r#"<w:trHeight w:val="1" w:hRule="atLeast" />"#;

fn repeated_header_rows(document: &[u8]) -> Result<Vec<u8>, DocxError> {
    let xml = std::str::from_utf8(document).map_err(|e| DocxError(e.to_string()))?;
    Ok(xml.replace(HEADER_ROW_MARK, "<w:tblHeader />").into_bytes())
}

/// Every run in Vietnamese (`w:lang`), for spelling and hyphenation, set in the default run
/// properties, which docx-rs cannot write.
fn vietnamese(styles: &[u8]) -> Result<Vec<u8>, DocxError> {
    let xml = std::str::from_utf8(styles).map_err(|e| DocxError(e.to_string()))?;
    let end = "</w:rPr></w:rPrDefault>";
    if !xml.contains(end) {
        return Err(DocxError("không tìm thấy định dạng mặc định của văn bản".into()));
    }
    Ok(xml.replacen(end, &format!(r#"<w:lang w:val="vi-VN" w:eastAsia="vi-VN" />{end}"#), 1).into_bytes())
}

struct Writer {
    docx: Docx,
    text_width: usize,
}

fn run(text: &str) -> Run {
    Run::new().add_text(antt_core::text::nfc(text))
}

fn centered(r: Run) -> DocxParagraph {
    DocxParagraph::new().align(AlignmentType::Center).add_run(r).line_spacing(LineSpacing::new().after(0))
}

impl Writer {
    fn paragraph(&mut self, p: DocxParagraph) {
        self.docx = std::mem::take(&mut self.docx).add_paragraph(p);
    }

    fn table(&mut self, t: DocxTable) {
        self.docx = std::mem::take(&mut self.docx).add_table(t);
    }

    /// The last paragraph written stays on the page of what follows it: the body's last lines
    /// go with the signatures.
    fn keep_last_with_next(&mut self) {
        if let Some(docx_rs::DocumentChild::Paragraph(p)) = self.docx.document.children.last_mut() {
            **p = std::mem::take(&mut **p).keep_next(true);
        }
    }

    fn page_break(&mut self) {
        self.paragraph(DocxParagraph::new().add_run(Run::new().add_break(BreakType::Page)));
    }

    fn copy(&mut self, doc: &Document) {
        self.header(doc);
        self.paragraph(DocxParagraph::new());
        self.paragraph(centered(run(&doc.title).bold()));
        if let Some(s) = &doc.subject {
            self.paragraph(centered(run(s).bold()));
        }
        self.paragraph(DocxParagraph::new());
        if let Some(a) = &doc.addressee {
            self.paragraph(DocxParagraph::new().align(AlignmentType::Center).add_run(run(&format!("Kính gửi: {a}"))));
        }
        self.blocks(&doc.body);
        if !doc.signatures.is_empty() {
            self.keep_last_with_next();
        }
        self.closing(&doc.signatures, &doc.recipients);
        if !doc.annex.is_empty() {
            self.page_break();
            self.blocks(&doc.annex);
        }
    }

    /// Agency at the left, national header at the right, in a table without borders.
    fn header(&mut self, doc: &Document) {
        let h = &doc.header;
        let left_width = self.text_width * 9 / 25;
        let right_width = self.text_width - left_width;
        let mut left = TableCell::new().width(left_width, WidthType::Dxa);
        if let Some(p) = &h.parent_agency {
            left = left.add_paragraph(centered(run(p).size(HEADER)));
        }
        for line in h.agency.lines() {
            left = left.add_paragraph(centered(run(line).bold().size(HEADER)));
        }
        if let Some(n) = h.number_line() {
            left = left.add_paragraph(centered(run("")));
            left = left.add_paragraph(centered(run(&n).size(HEADER)));
        }
        let right = TableCell::new()
            .width(right_width, WidthType::Dxa)
            .add_paragraph(centered(run(NATION).bold().size(HEADER)))
            .add_paragraph(centered(run(MOTTO).bold().underline("single")))
            .add_paragraph(centered(run("")))
            .add_paragraph(centered(run(&h.place_date()).italic()));
        self.table(
            DocxTable::without_borders(vec![TableRow::new(vec![left, right])])
                .set_grid(vec![left_width, right_width])
                .width(self.text_width, WidthType::Dxa)
                .layout(TableLayoutType::Fixed),
        );
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for b in blocks {
            match b {
                Block::Heading(t) => self.paragraph(DocxParagraph::new().add_run(run(t).bold()).keep_next(true)),
                Block::Paragraph(p) => self.paragraph(paragraph(p)),
                Block::Table(t) => self.data_table(t),
                Block::Gap => self.paragraph(DocxParagraph::new()),
                Block::Chart(c) => {
                    self.paragraph(DocxParagraph::new().align(AlignmentType::Center).add_run(run(&c.title).bold()).keep_next(true));
                    self.data_table(&c.as_table());
                }
            }
        }
    }

    fn data_table(&mut self, t: &Table) {
        let total_width: usize = t.columns.iter().map(|c| usize::from(c.width.max(1))).sum();
        let widths: Vec<usize> = t.columns.iter().map(|c| self.text_width * usize::from(c.width.max(1)) / total_width.max(1)).collect();
        let numeric: Vec<bool> = (0..t.columns.len()).map(|i| t.rows.iter().any(|r| r.get(i).is_some_and(Cell::is_numeric))).collect();
        let cell = |i: usize, text: &str, bold: bool, header: bool| {
            let align = if header {
                AlignmentType::Center
            } else if numeric.get(i).copied().unwrap_or(false) {
                AlignmentType::Right
            } else {
                AlignmentType::Left
            };
            let r = if bold { run(text).bold() } else { run(text) }.size(TABLE);
            TableCell::new()
                .width(widths.get(i).copied().unwrap_or(0), WidthType::Dxa)
                .add_paragraph(DocxParagraph::new().align(align).add_run(r).line_spacing(LineSpacing::new().after(0)))
        };
        let head = TableRow::new(t.columns.iter().enumerate().map(|(i, c)| cell(i, &c.header, true, true)).collect())
            .row_height(1.0)
            .height_rule(HeightRule::AtLeast);
        let mut rows = vec![head];
        for row in &t.rows {
            rows.push(TableRow::new(row.iter().enumerate().map(|(i, c)| cell(i, &c.display(), false, false)).collect()));
        }
        if let Some(total) = &t.total {
            rows.push(TableRow::new(total.iter().enumerate().map(|(i, c)| cell(i, &c.display(), true, false)).collect()));
        }
        self.table(DocxTable::new(rows).set_grid(widths).width(self.text_width, WidthType::Dxa).layout(TableLayoutType::Fixed));
        self.paragraph(DocxParagraph::new());
    }

    /// "Nơi nhận:" at the bottom left and the signatures at the right, side by side.
    fn closing(&mut self, signatures: &[Signature], recipients: &[String]) {
        let mut cells = Vec::new();
        if !recipients.is_empty() {
            let mut c = TableCell::new().add_paragraph(
                DocxParagraph::new().add_run(run("Nơi nhận:").bold().italic().size(TABLE)).line_spacing(LineSpacing::new().after(0)),
            );
            for r in recipients {
                c = c
                    .add_paragraph(DocxParagraph::new().add_run(run(&format!("- {r}")).size(22)).line_spacing(LineSpacing::new().after(0)));
            }
            cells.push(c);
        } else if signatures.len() == 1 {
            cells.push(TableCell::new().add_paragraph(DocxParagraph::new()));
        }
        for s in signatures {
            let mut c = TableCell::new();
            for l in s.on_behalf.iter().chain(&s.for_head).chain(std::iter::once(&s.position)) {
                c = c.add_paragraph(centered(run(l).bold()));
            }
            if let Some(n) = &s.note {
                c = c.add_paragraph(centered(run(n).italic().size(HEADER)));
            }
            for _ in 0..4 {
                c = c.add_paragraph(centered(run("")));
            }
            if !s.name.is_empty() {
                c = c.add_paragraph(centered(run(&s.name).bold()));
            }
            cells.push(c);
        }
        if cells.is_empty() {
            return;
        }
        let width = self.text_width / cells.len();
        let cells: Vec<TableCell> = cells.into_iter().map(|c| c.width(width, WidthType::Dxa)).collect();
        let grid = vec![width; cells.len()];
        self.paragraph(DocxParagraph::new().keep_next(true));
        self.table(
            DocxTable::without_borders(vec![TableRow::new(cells).cant_split()])
                .set_grid(grid)
                .width(self.text_width, WidthType::Dxa)
                .layout(TableLayoutType::Fixed),
        );
    }
}

fn paragraph(p: &Paragraph) -> DocxParagraph {
    let mut out = DocxParagraph::new();
    if let Some(lead) = &p.lead {
        out = out.add_run(run(&format!("{lead} ")).bold());
    }
    let mut r = run(&p.text);
    if p.bold {
        r = r.bold();
    }
    if p.italic {
        r = r.italic();
    }
    if p.large {
        r = r.size(40);
    }
    let out = out.add_run(r);
    if p.centered {
        out.align(AlignmentType::Center)
    } else {
        out.align(AlignmentType::Both).indent(None, Some(SpecialIndentType::FirstLine(567)), None, None)
    }
}
