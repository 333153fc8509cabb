//! One builder per document. Each takes a plain input (filled by the web application or the CLI
//! from the store and the core's reports) and returns the document model.

mod certificate;
mod committee;
mod decision;
mod grounds;
mod minutes;
mod naming;
mod provincial;
mod registration;
mod request;
mod scoring;
mod unit_report;

pub use certificate::{CertificateInput, certificate};
pub use committee::{Committee, Level};
pub use decision::{DecisionInput, decision};
pub use grounds::{Plan, decision_grounds};
pub use minutes::{Attendees, MinutesInput, Person, Reviewed, ReviewedUnit, minutes};
pub use naming::{all_types, failing_reasons, in_sentence, place_name};
pub use provincial::{AreaCounts, Honour, ProvincialInput, UnitLine, YearCounts, honours, provincial_summary};
pub use registration::{Pledge, RegistrationInput, registration};
pub use request::{RequestInput, request};
pub use scoring::{ScoreLine, ScoringInput, self_scoring};
pub use unit_report::{UnitReportInput, criteria_table, unit_report};

use chrono::NaiveDate;

use crate::model::Header;

/// Who issues a document, where and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issuer {
    /// The agency above the issuing one, as printed ("UBND HUYỆN LONG HỒ").
    pub parent_agency: Option<String>,
    /// The issuing agency, as printed ("ỦY BAN NHÂN DÂN XÃ ĐỒNG PHÚ").
    pub agency: String,
    /// Number and symbol ("12/QĐ-UBND"); `Some("")` leaves the number blank to be filled in.
    pub number: Option<String>,
    pub place: String,
    pub date: Option<NaiveDate>,
}

impl Issuer {
    /// A unit issuing its own document, number and date left blank to be filled in. A commune,
    /// a district or a province issues as its People's Committee, in two lines; any other unit
    /// under its parent, a People's Committee named "UBND …" ("UBND XÃ ĐỒNG PHÚ" over "ẤP TÂN
    /// THỚI"). The place is the seat's: the unit's own name when it is administrative, else its
    /// parent's (NĐ 30, Phụ lục I, mục II.4).
    pub fn unit(name: &str, unit_type: &str, parent: Option<(&str, &str)>) -> Self {
        let administrative = |t: &str| Level::of_type(t).is_some();
        let (parent_agency, agency, seat) = if administrative(unit_type) {
            (None, format!("ỦY BAN NHÂN DÂN\n{}", name.to_uppercase()), name)
        } else {
            match parent {
                Some((p, t)) if administrative(t) => (Some(format!("UBND {}", p.to_uppercase())), name.to_uppercase(), p),
                Some((p, _)) => (Some(p.to_uppercase()), name.to_uppercase(), p),
                None => (None, name.to_uppercase(), name),
            }
        };
        Self { parent_agency, agency, number: Some(String::new()), place: place_name(seat), date: None }
    }

    /// The steering committee of the movement in an area ("Tỉnh Vĩnh Long"), under its People's
    /// Committee, for its summary report; number and date left blank to be filled in.
    pub fn steering_committee(area_name: &str) -> Self {
        Self {
            parent_agency: Some(format!("UBND {}", area_name.to_uppercase())),
            agency: "BAN CHỈ ĐẠO PHONG TRÀO TOÀN DÂN\nBẢO VỆ AN NINH TỔ QUỐC".into(),
            number: Some(String::new()),
            place: place_name(area_name),
            date: None,
        }
    }

    fn header(&self) -> Header {
        Header {
            parent_agency: self.parent_agency.clone(),
            agency: self.agency.clone(),
            number: self.number.clone(),
            place: self.place.clone(),
            date: self.date,
        }
    }
}

/// The movement's name as documents quote it.
pub const MOVEMENT: &str = "“An toàn về an ninh, trật tự”";

/// The document's file name without extension: ASCII, words joined by hyphens.
pub fn file_stem(title: &str) -> String {
    let folded = antt_core::text::fold(title);
    let words: Vec<&str> = folded.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    words.join("-")
}

/// A unit in a list: proposed in a request, recognised in a decision's annex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedUnit {
    pub name: String,
    pub unit_type_name: String,
    /// Where it belongs ("xã Đồng Phú, huyện Long Hồ").
    pub parent_name: String,
    /// Its movement classification ("Xuất sắc"), when scored.
    pub band_name: Option<String>,
}

/// The units as a numbered table.
fn units_table(title: &str, units: &[ListedUnit]) -> crate::model::Table {
    use crate::model::{Cell, Column};
    crate::model::Table {
        title: title.to_owned(),
        columns: vec![
            Column::new("STT", 2),
            Column::new("Tên đơn vị", 5),
            Column::new("Loại đơn vị", 3),
            Column::new("Thuộc", 4),
            Column::new("Xếp loại", 2),
        ],
        rows: units
            .iter()
            .enumerate()
            .map(|(n, u)| {
                vec![
                    Cell::Integer(n as i64 + 1),
                    Cell::text(&u.name),
                    Cell::text(&u.unit_type_name),
                    Cell::text(&u.parent_name),
                    Cell::text(u.band_name.clone().unwrap_or_default()),
                ]
            })
            .collect(),
        total: None,
    }
}
