//! The grounds ("căn cứ") of a recognition decision, in the order NĐ 30/2020/NĐ-CP lists them
//! (Phụ lục I, mục II.7): the law that gives the authority, then the texts that set the
//! standard, then the province's plan — each with its type, number, date and issuer.

use chrono::NaiveDate;

use super::MOVEMENT;
use super::naming::in_sentence;
use crate::model::long_date;

/// The law on the organisation of local government in force on `on`, as a ground cites it.
pub fn local_government_laws(on: NaiveDate) -> Vec<&'static str> {
    let from = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN);
    if on >= from(2025, 7, 1) {
        vec!["Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025"]
    } else if on >= from(2025, 3, 1) {
        vec!["Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025"]
    } else if on >= from(2020, 7, 1) {
        vec![
            "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
            "Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019",
        ]
    } else if on >= from(2016, 1, 1) {
        vec!["Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015"]
    } else {
        vec!["Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân ngày 26 tháng 11 năm 2003"]
    }
}

/// The province's plan that launched the campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Number and symbol ("710/QĐ-UBND"), when known.
    pub number: Option<String>,
    pub date: NaiveDate,
    /// The province as the tree names it ("Tỉnh Vĩnh Long").
    pub province: String,
    /// The campaign's year.
    pub year: i32,
    /// The texts the ruleset cites in full; the one carrying the plan's number is quoted as it is.
    pub quoted: Vec<String>,
}

impl Plan {
    /// "Quyết định số 710/QĐ-UBND ngày 02/5/2013 của Chủ tịch UBND tỉnh Vĩnh Long ban hành Kế
    /// hoạch …" as the ruleset quotes it; otherwise the type read from the symbol (QĐ, KH, CT,
    /// HD — NĐ 30, Phụ lục III), the number, the date and the province's committee.
    pub fn citation(&self) -> String {
        if let Some(n) = &self.number
            && let Some(q) = self.quoted.iter().find(|q| q.contains(&format!("số {n} ")))
        {
            return q.trim_end_matches(['.', ';']).to_owned();
        }
        let symbol = self.number.as_deref().and_then(|n| n.split_once('/')).map_or("", |(_, s)| s);
        let kind = match symbol.split(['-', '/']).next().unwrap_or_default() {
            "QĐ" => "Quyết định",
            "CT" => "Chỉ thị",
            "HD" => "Hướng dẫn",
            _ => "Kế hoạch",
        };
        // A decision or a directive of a People's Committee is its chairman's; a plan is the
        // committee's.
        let author =
            if matches!(kind, "Quyết định" | "Chỉ thị") { "Chủ tịch Ủy ban nhân dân" } else { "Ủy ban nhân dân" };
        let number = self.number.as_deref().map_or_else(String::new, |n| format!(" số {n}"));
        let about = if kind == "Quyết định" { "ban hành Kế hoạch" } else { "về" };
        format!(
            "{kind}{number} {} của {author} {} {about} xây dựng phong trào đạt tiêu chuẩn {MOVEMENT} năm {}",
            long_date(self.date),
            in_sentence(&self.province),
            self.year
        )
    }
}

/// The grounds of a decision made on `on`, one sentence each: the law on local government,
/// the texts the ruleset names (`circulars`), then the plan.
pub fn decision_grounds(on: NaiveDate, circulars: &[String], plan: &Plan) -> Vec<String> {
    let mut texts: Vec<String> = local_government_laws(on).into_iter().map(str::to_owned).collect();
    texts.extend(circulars.iter().map(|c| c.trim_end_matches(['.', ';']).to_owned()));
    texts.push(plan.citation());
    texts.into_iter().map(|t| format!("Căn cứ {t};")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn the_law_is_the_one_in_force_on_the_day() {
        assert!(local_government_laws(date(2013, 11, 14))[0].contains("Hội đồng nhân dân và Ủy ban nhân dân ngày 26 tháng 11 năm 2003"));
        assert_eq!(local_government_laws(date(2022, 11, 15)).len(), 2);
        assert!(local_government_laws(date(2025, 11, 15))[0].ends_with("ngày 16 tháng 6 năm 2025"));
    }

    #[test]
    fn the_plan_is_quoted_from_the_ruleset_or_read_from_its_symbol() {
        let quoted = "Quyết định số 710/QĐ-UBND ngày 02/5/2013 của Chủ tịch UBND tỉnh Vĩnh Long ban hành Kế hoạch phát động";
        let plan = Plan {
            number: Some("710/QĐ-UBND".into()),
            date: date(2013, 5, 2),
            province: "Tỉnh Vĩnh Long".into(),
            year: 2013,
            quoted: vec!["Thông tư số 23/2012/TT-BCA".into(), quoted.into()],
        };
        assert_eq!(plan.citation(), quoted);
        let other = Plan { number: Some("45/KH-UBND".into()), quoted: Vec::new(), ..plan.clone() };
        assert_eq!(
            other.citation(),
            "Kế hoạch số 45/KH-UBND ngày 02 tháng 5 năm 2013 của Ủy ban nhân dân tỉnh Vĩnh Long về xây dựng phong trào đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm 2013"
        );
        let decided = Plan { number: Some("9/QĐ-UBND".into()), quoted: Vec::new(), ..plan };
        assert!(decided.citation().starts_with("Quyết định số 9/QĐ-UBND ngày 02 tháng 5 năm 2013 của Chủ tịch Ủy ban nhân dân tỉnh"));
    }
}
