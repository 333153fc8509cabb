//! The People's Committee whose chairman recognises units, and everything a decision or a
//! certificate says about it: the issuing body in two lines, the author line, the signature,
//! the place, the police head who proposes and the office that carries the decision out.
//!
//! TT 23/2012/TT-BCA and TT 124/2021/TT-BCA give the recognition to the Chairman (Chủ tịch) of
//! the People's Committee, a decision of an individual's authority. NĐ 30/2020/NĐ-CP (Phụ lục I,
//! Phụ lục III mẫu 1.2) then prints the author as "CHỦ TỊCH ỦY BAN NHÂN DÂN …" and the chairman
//! signs as "CHỦ TỊCH", a vice-chairman as "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" — never "TM. ỦY BAN
//! NHÂN DÂN", which is the committee signing as a collective body.

use chrono::NaiveDate;

use super::Issuer;
use super::naming::{in_sentence, place_name, split_level};
use crate::model::Signature;

/// The level of an administrative unit with a People's Committee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Commune,
    District,
    Province,
}

impl Level {
    /// The level of a unit type of the tree (`commune`, `district`, `province`).
    pub fn of_type(unit_type: &str) -> Option<Self> {
        match unit_type {
            "commune" => Some(Self::Commune),
            "district" => Some(Self::District),
            "province" => Some(Self::Province),
            _ => None,
        }
    }
}

/// A People's Committee deciding through its chairman, and who signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committee {
    pub level: Level,
    /// The administrative unit's name as the tree holds it ("Xã Đồng Phú", "Thành phố Vĩnh Long").
    pub unit_name: String,
    /// A vice-chairman signs for the chairman ("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH").
    pub deputy_signs: bool,
    /// The signer's name; empty leaves it to be written by hand.
    pub signer: String,
}

impl Committee {
    /// "ỦY BAN NHÂN DÂN" over "XÃ ĐỒNG PHÚ": the issuing body in two lines (NĐ 30, Phụ lục I,
    /// mục II.2: a People's Committee has no governing body above its name).
    pub fn agency(&self) -> String {
        format!("ỦY BAN NHÂN DÂN\n{}", self.unit_name.to_uppercase())
    }

    /// "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ ĐỒNG PHÚ": the author line of the chairman's decision.
    pub fn author(&self) -> String {
        format!("CHỦ TỊCH ỦY BAN NHÂN DÂN {}", self.unit_name.to_uppercase())
    }

    /// "Chủ tịch Ủy ban nhân dân xã Đồng Phú", as a sentence names the author.
    pub fn author_name(&self) -> String {
        format!("Chủ tịch Ủy ban nhân dân {}", in_sentence(&self.unit_name))
    }

    /// The chairman's signature, or a vice-chairman's for the chairman.
    pub fn signature(&self) -> Signature {
        let (for_head, position) =
            if self.deputy_signs { (Some("KT. CHỦ TỊCH".to_owned()), "PHÓ CHỦ TỊCH") } else { (None, "CHỦ TỊCH") };
        Signature { on_behalf: None, for_head, position: position.to_owned(), note: None, name: self.signer.clone() }
    }

    /// The place in the date line: where the committee sits.
    pub fn place(&self) -> String {
        place_name(&self.unit_name)
    }

    /// The committee as the issuer of its document numbered `number` on `date`; a blank number
    /// keeps the document's symbol (`kind`: QĐ, CN — NĐ 30, Phụ lục III) for the office to number.
    pub fn issuer(&self, number: Option<String>, kind: &str, date: Option<NaiveDate>) -> Issuer {
        let number = number.map(|n| if n.trim().is_empty() { format!("      /{kind}-UBND") } else { n });
        Issuer { parent_agency: None, agency: self.agency(), number, place: self.place(), date }
    }

    /// The police of the committee's unit: "Công an xã Đồng Phú".
    pub fn police(&self) -> String {
        format!("Công an {}", in_sentence(&self.unit_name))
    }

    /// Who heads that police and proposes the recognition: a commune's or a district's police
    /// has a Trưởng Công an, a province's a Giám đốc.
    pub fn police_head(&self) -> String {
        let title = if self.level == Level::Province { "Giám đốc" } else { "Trưởng" };
        format!("{title} {}", self.police())
    }

    /// The committee's police as the issuer of a request, under the police of the level above
    /// ("CÔNG AN HUYỆN LONG HỒ" over "CÔNG AN XÃ ĐỒNG PHÚ"; a province's police is under the
    /// Ministry); number and date left blank to be filled in.
    pub fn police_issuer(&self, above: Option<&str>) -> Issuer {
        let parent_agency = match self.level {
            Level::Province => Some("BỘ CÔNG AN".to_owned()),
            _ => above.map(|a| format!("CÔNG AN {}", a.to_uppercase())),
        };
        Issuer { parent_agency, agency: self.police().to_uppercase(), number: Some(String::new()), place: self.place(), date: None }
    }

    /// The police head's signature, the name left to be written by hand.
    pub fn police_signature(&self) -> Signature {
        let position = if self.level == Level::Province { "GIÁM ĐỐC" } else { "TRƯỞNG CÔNG AN" };
        Signature { position: position.to_owned(), ..Signature::default() }
    }

    /// Who keeps the committee's office: a commune has a civil servant for office and
    /// statistics, not a "Chánh Văn phòng"; a district or a province has a Chánh Văn phòng.
    pub fn office_head(&self) -> String {
        match (self.level, split_level(&self.unit_name).0) {
            (Level::Commune, _) => "Công chức Văn phòng - Thống kê".to_owned(),
            (_, "") => "Chánh Văn phòng Ủy ban nhân dân".to_owned(),
            (_, level) => format!("Chánh Văn phòng Ủy ban nhân dân {}", level.to_lowercase()),
        }
    }

    /// Those who carry out a decision recognising units (its last article).
    pub fn executors(&self) -> String {
        format!("{}, {} và người đứng đầu các đơn vị có tên tại Điều 1", self.office_head(), self.police_head())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn committee(level: Level, name: &str, deputy: bool) -> Committee {
        Committee { level, unit_name: name.into(), deputy_signs: deputy, signer: String::new() }
    }

    #[test]
    fn the_chairman_decides_and_signs_without_tm() {
        let c = committee(Level::Commune, "Xã Đồng Phú", false);
        assert_eq!(c.agency(), "ỦY BAN NHÂN DÂN\nXÃ ĐỒNG PHÚ");
        assert_eq!(c.author(), "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ ĐỒNG PHÚ");
        assert_eq!(c.signature().lines(), ["CHỦ TỊCH"]);
        let deputy = committee(Level::District, "Huyện Long Hồ", true);
        assert_eq!(deputy.signature().lines(), ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]);
    }

    #[test]
    fn police_and_office_follow_the_level() {
        let commune = committee(Level::Commune, "Xã Đồng Phú", false);
        assert_eq!(commune.police_head(), "Trưởng Công an xã Đồng Phú");
        assert!(!commune.executors().contains("Chánh Văn phòng"), "{}", commune.executors());
        let city = committee(Level::District, "Thành phố Vĩnh Long", false);
        assert_eq!(city.office_head(), "Chánh Văn phòng Ủy ban nhân dân thành phố");
        assert_eq!(city.police_head(), "Trưởng Công an thành phố Vĩnh Long");
        assert_eq!(city.place(), "Vĩnh Long");
        let province = committee(Level::Province, "Tỉnh Vĩnh Long", false);
        assert_eq!(province.police_head(), "Giám đốc Công an tỉnh Vĩnh Long");
        assert_eq!(province.office_head(), "Chánh Văn phòng Ủy ban nhân dân tỉnh");
        assert_eq!(committee(Level::Commune, "Phường 7", false).place(), "Phường 7");
    }
}
