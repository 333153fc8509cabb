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

/// The place name in the date line: the unit's name without its level ("Xã Đồng Phú" → "Đồng Phú").
pub fn place_name(name: &str) -> String {
    const LEVELS: [&str; 9] = ["Thành phố ", "Thị xã ", "Thị trấn ", "Tỉnh ", "Huyện ", "Quận ", "Phường ", "Xã ", "Ấp "];
    LEVELS.iter().find_map(|l| name.strip_prefix(l)).unwrap_or(name).to_owned()
}

/// Why a unit is not recognised: the reasons of the parts it does not meet.
pub fn failing_reasons(r: &UnitReport) -> Vec<String> {
    r.criteria.iter().flat_map(|c| &c.parts).filter(|p| p.status == Status::NotMet).map(|p| format!("{}: {}", p.id, p.reason)).collect()
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
