//! Evidence files of a unit's dossier (scans of resolutions, plans, minutes, photos): stored in
//! the database with their SHA-256, of a few allowed types checked by name and by content.

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, Change};
use crate::facts::Writer;
use crate::locks::ensure_unlocked;
use crate::{Result, Store, Tx, new_id, now, sha256_hex};

/// The kinds of files accepted as evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FileType {
    Pdf,
    Jpeg,
    Png,
    Docx,
    Xlsx,
}

impl FileType {
    pub const ALL: [FileType; 5] = [Self::Pdf, Self::Jpeg, Self::Png, Self::Docx, Self::Xlsx];

    pub fn label(self) -> &'static str {
        match self {
            Self::Pdf => "PDF",
            Self::Jpeg => "JPEG",
            Self::Png => "PNG",
            Self::Docx => "DOCX",
            Self::Xlsx => "XLSX",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::Pdf => &["pdf"],
            Self::Jpeg => &["jpg", "jpeg"],
            Self::Png => &["png"],
            Self::Docx => &["docx"],
            Self::Xlsx => &["xlsx"],
        }
    }

    /// The type a file name's extension announces.
    pub fn from_name(file_name: &str) -> Option<Self> {
        let ext = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
        Self::ALL.into_iter().find(|t| t.extensions().contains(&ext.as_str()))
    }

    /// Whether the content starts the way files of this type do. DOCX and XLSX are ZIP
    /// packages told apart by their main part (`word/` or `xl/`).
    pub fn matches(self, content: &[u8]) -> bool {
        let zip = |part: &[u8]| content.starts_with(b"PK\x03\x04") && content.windows(part.len()).any(|w| w == part);
        match self {
            Self::Pdf => content.starts_with(b"%PDF-"),
            Self::Jpeg => content.starts_with(&[0xFF, 0xD8, 0xFF]),
            Self::Png => content.starts_with(b"\x89PNG\r\n\x1a\n"),
            Self::Docx => zip(b"word/"),
            Self::Xlsx => zip(b"xl/"),
        }
    }

    /// The accepted types, for messages: "PDF, JPEG, PNG, DOCX, XLSX".
    pub fn accepted() -> String {
        Self::ALL.iter().map(|t| t.label()).collect::<Vec<_>>().join(", ")
    }
}

/// Why a file was refused, in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("Tệp “{0}” không thuộc loại được phép ({1}).")]
    TypeNotAllowed(String, String),
    #[error("Nội dung tệp “{0}” không đúng định dạng {1} như phần mở rộng của tên tệp.")]
    ContentMismatch(String, &'static str),
    #[error("Tệp “{0}” rỗng.")]
    Empty(String),
}

/// The file's type when its name and its content agree on an accepted one.
pub fn check(file_name: &str, content: &[u8]) -> std::result::Result<FileType, Refusal> {
    let Some(t) = FileType::from_name(file_name) else {
        return Err(Refusal::TypeNotAllowed(file_name.to_owned(), FileType::accepted()));
    };
    if content.is_empty() {
        return Err(Refusal::Empty(file_name.to_owned()));
    }
    if !t.matches(content) {
        return Err(Refusal::ContentMismatch(file_name.to_owned(), t.label()));
    }
    Ok(t)
}

/// A stored file, without its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceFile {
    pub id: String,
    pub campaign_id: String,
    pub unit_id: String,
    pub file_name: String,
    pub content_type: String,
    pub size: u64,
    pub sha256: String,
    /// The uploader's full name (their id if the account is gone).
    pub uploaded_by: String,
    pub uploaded_at: String,
}

const COLUMNS: &str = "e.id, e.campaign_id, e.unit_id, e.file_name, e.content_type, e.size, e.sha256, \
                       COALESCE(u.full_name, e.uploaded_by) AS uploaded_by, e.uploaded_at";

fn from_row(r: &AnyRow) -> Result<EvidenceFile> {
    Ok(EvidenceFile {
        id: r.try_get("id")?,
        campaign_id: r.try_get("campaign_id")?,
        unit_id: r.try_get("unit_id")?,
        file_name: r.try_get("file_name")?,
        content_type: r.try_get("content_type")?,
        size: u64::try_from(r.try_get::<i64, _>("size")?).unwrap_or(0),
        sha256: r.try_get("sha256")?,
        uploaded_by: r.try_get("uploaded_by")?,
        uploaded_at: r.try_get("uploaded_at")?,
    })
}

/// Stores a file already checked with [`check`] and returns its id.
pub async fn insert(tx: &mut Tx<'_>, w: Writer<'_>, file_name: &str, file_type: FileType, content: &[u8]) -> Result<String> {
    ensure_unlocked(tx, w.campaign_id, w.unit_id).await?;
    let id = new_id();
    let digest = sha256_hex(content);
    let size = i64::try_from(content.len()).unwrap_or(i64::MAX);
    sqlx::query(
        "INSERT INTO evidence_files (id, campaign_id, unit_id, file_name, content_type, size, sha256, content, uploaded_by, uploaded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(w.campaign_id)
    .bind(w.unit_id)
    .bind(file_name)
    .bind(file_type.content_type())
    .bind(size)
    .bind(&digest)
    .bind(content.to_vec())
    .bind(w.user_id)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    let change = Change {
        user_id: Some(w.user_id),
        action: "upload",
        entity: "evidence_files",
        entity_id: &id,
        unit_id: Some(w.unit_id),
        campaign_id: Some(w.campaign_id),
    };
    let after = serde_json::json!({ "file_name": file_name, "content_type": file_type.content_type(), "size": size, "sha256": digest });
    audit::record(tx, change, None, Some(&after)).await?;
    Ok(id)
}

/// The unit's files, oldest first.
pub async fn list(store: &Store, campaign_id: &str, unit_id: &str) -> Result<Vec<EvidenceFile>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM evidence_files e LEFT JOIN users u ON u.id = e.uploaded_by \
         WHERE e.campaign_id = $1 AND e.unit_id = $2 ORDER BY e.id"
    );
    let rows = sqlx::query(crate::trusted(&sql)).bind(campaign_id).bind(unit_id).fetch_all(store.pool()).await?;
    rows.iter().map(from_row).collect()
}

/// One of the unit's files with its content.
pub async fn get(store: &Store, campaign_id: &str, unit_id: &str, id: &str) -> Result<Option<(EvidenceFile, Vec<u8>)>> {
    let sql = format!(
        "SELECT {COLUMNS}, e.content FROM evidence_files e LEFT JOIN users u ON u.id = e.uploaded_by \
         WHERE e.id = $1 AND e.campaign_id = $2 AND e.unit_id = $3"
    );
    let row = sqlx::query(crate::trusted(&sql)).bind(id).bind(campaign_id).bind(unit_id).fetch_optional(store.pool()).await?;
    match row {
        None => Ok(None),
        Some(r) => Ok(Some((from_row(&r)?, r.try_get::<Vec<u8>, _>("content")?))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_contents_must_agree() {
        assert_eq!(check("bien-ban.pdf", b"%PDF-1.7\n..."), Ok(FileType::Pdf));
        assert_eq!(check("anh.JPG", &[0xFF, 0xD8, 0xFF, 0xE0, 0]), Ok(FileType::Jpeg));
        assert_eq!(check("so-do.png", b"\x89PNG\r\n\x1a\nrest"), Ok(FileType::Png));
        assert_eq!(check("ke-hoach.docx", b"PK\x03\x04....[Content_Types].xml....word/document.xml"), Ok(FileType::Docx));
        assert_eq!(check("bang.xlsx", b"PK\x03\x04....xl/workbook.xml"), Ok(FileType::Xlsx));
        assert!(matches!(check("ke-hoach.docx", b"PK\x03\x04....xl/workbook.xml"), Err(Refusal::ContentMismatch(_, "DOCX"))));
        assert!(matches!(check("virus.exe", b"MZ"), Err(Refusal::TypeNotAllowed(..))));
        assert!(matches!(check("khong-duoi", b"%PDF-"), Err(Refusal::TypeNotAllowed(..))));
        assert_eq!(
            check("gia.pdf", b"<html>").map_err(|e| e.to_string()),
            Err("Nội dung tệp “gia.pdf” không đúng định dạng PDF như phần mở rộng của tên tệp.".to_owned())
        );
        assert!(matches!(check("rong.pdf", b""), Err(Refusal::Empty(_))));
    }
}
