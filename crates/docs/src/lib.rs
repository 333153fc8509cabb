//! antt-docs: the movement's official documents laid out per Nghị định 30/2020/NĐ-CP, as DOCX
//! (for officials to edit) and PDF (fonts embedded), and their tables as XLSX.
//!
//! One model ([`model::Document`]) holds what a document says; [`documents`] builds each kind of
//! document from plain inputs; [`docx`], [`pdf`] and [`xlsx`] lay it out. No database access:
//! callers gather the inputs.

pub mod documents;
pub mod docx;
pub mod model;
pub mod pdf;
pub mod xlsx;

pub use model::Document;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Docx,
    Pdf,
    Xlsx,
}

impl Format {
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "docx" => Some(Self::Docx),
            "pdf" => Some(Self::Pdf),
            "xlsx" => Some(Self::Xlsx),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Docx => "docx",
            Self::Pdf => "pdf",
            Self::Xlsx => "xlsx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Pdf => "application/pdf",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Docx(#[from] docx::DocxError),
    #[error(transparent)]
    Pdf(#[from] pdf::PdfError),
    #[error("không tạo được tệp XLSX: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

/// The document in `format`.
pub fn render(doc: &Document, format: Format) -> Result<Vec<u8>, RenderError> {
    Ok(match format {
        Format::Docx => docx::render(doc)?,
        Format::Pdf => pdf::render(doc)?,
        Format::Xlsx => xlsx::render(doc)?,
    })
}
