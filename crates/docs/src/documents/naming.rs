//! Mappings from the core's reports to document wording, shared by every caller (the CLI's
//! export and the web application's downloads).

use antt_core::eval::Status;
use antt_core::report::UnitReport;
use antt_core::rollup::{Counts, Summary};

/// "Tỉnh Vĩnh Long" → "tỉnh Vĩnh Long": the level word is lower-case inside a sentence.
pub fn in_sentence(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

/// The first letter upper-case, as a sentence starts with it.
pub(crate) fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

const LEVELS: [&str; 10] = ["Thành phố ", "Thị xã ", "Thị trấn ", "Đặc khu ", "Tỉnh ", "Huyện ", "Quận ", "Phường ", "Xã ", "Ấp "];

/// The unit's name split into its level word and the rest ("Thành phố Vĩnh Long" → "Thành
/// phố", "Vĩnh Long"); no level word for a name without one.
pub(crate) fn split_level(name: &str) -> (&str, &str) {
    LEVELS.iter().find_map(|l| name.strip_prefix(l).map(|rest| (l.trim_end(), rest))).unwrap_or(("", name))
}

/// The place name in the date line (NĐ 30/2020, Phụ lục I, mục II.4): the administrative
/// unit's name without its level ("Xã Đồng Phú" → "Đồng Phú"), but whole when the name is a
/// number ("Phường 7").
pub fn place_name(name: &str) -> String {
    let (level, rest) = split_level(name);
    if rest.starts_with(|c: char| c.is_ascii_digit()) { format!("{level} {rest}").trim().to_owned() } else { rest.to_owned() }
}

/// Why a unit is not recognised: the reasons of the parts it does not meet.
/// Each names its criterion and part ("Tiêu chí 2.3.b: …").
pub fn failing_reasons(r: &UnitReport) -> Vec<String> {
    r.criteria
        .iter()
        .flat_map(|c| c.parts.iter().map(move |p| (c, p)))
        .filter(|(_, p)| p.status == Status::NotMet)
        .map(|(c, p)| {
            let part = if p.id.starts_with(&format!("{}.", c.id)) { p.id.to_string() } else { format!("{}.{}", c.id, p.id) };
            format!("Tiêu chí {part}: {}", p.reason)
        })
        .collect()
}

/// Every unit type's counts of an area added together.
pub fn all_types(summary: &Summary) -> Counts {
    let mut into = Counts::default();
    for c in summary.values() {
        into.total += c.total;
        into.recognised += c.recognised;
        into.not_recognised += c.not_recognised;
        into.incomplete += c.incomplete;
        into.out_of_scope += c.out_of_scope;
        into.registered += c.registered;
        into.registered_on_time += c.registered_on_time;
    }
    into
}
