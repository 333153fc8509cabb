//! One record a unit keeps for a campaign, as a typed value: what a page, the API and a
//! spreadsheet import all produce once their input is checked, what the store writes and reads
//! back, and what evaluation takes (through [`crate::model::Unit`]).

use serde::{Deserialize, Serialize};

use crate::model::{Commitment, Discipline, Document, Incident, SubUnit, Title};

/// The kinds of records, each a list of a unit in a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    Documents,
    Commitments,
    Incidents,
    Discipline,
    Titles,
    SubUnits,
}

impl FactKind {
    /// Every kind, in the order pages show them.
    pub const ALL: [Self; 6] = [Self::Documents, Self::Commitments, Self::Incidents, Self::Discipline, Self::Titles, Self::SubUnits];

    /// The code used in addresses, the API and the database (`documents`, `sub_units`…).
    pub fn code(self) -> &'static str {
        match self {
            Self::Documents => "documents",
            Self::Commitments => "commitments",
            Self::Incidents => "incidents",
            Self::Discipline => "discipline",
            Self::Titles => "titles",
            Self::SubUnits => "sub_units",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The Vietnamese name of the list.
    pub fn name(self) -> &'static str {
        match self {
            Self::Documents => "Tài liệu, văn bản",
            Self::Commitments => "Ký cam kết",
            Self::Incidents => "Vụ việc",
            Self::Discipline => "Kỷ luật",
            Self::Titles => "Danh hiệu thi đua",
            Self::SubUnits => "Đầu mối trực thuộc",
        }
    }
}

/// One record of any kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fact {
    Document(Document),
    Commitment(Commitment),
    Incident(Incident),
    Discipline(Discipline),
    Title(Title),
    /// A sub-unit holds at most one title in a campaign.
    SubUnit(SubUnit),
}

impl Fact {
    pub fn kind(&self) -> FactKind {
        match self {
            Self::Document(_) => FactKind::Documents,
            Self::Commitment(_) => FactKind::Commitments,
            Self::Incident(_) => FactKind::Incidents,
            Self::Discipline(_) => FactKind::Discipline,
            Self::Title(_) => FactKind::Titles,
            Self::SubUnit(_) => FactKind::SubUnits,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_back_from_their_codes() {
        for k in FactKind::ALL {
            assert_eq!(FactKind::parse(k.code()), Some(k));
        }
        assert_eq!(FactKind::parse("households"), None);
    }
}
