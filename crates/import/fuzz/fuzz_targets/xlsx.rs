//! Any bytes read as an .xlsx file (zip, XML, shared strings, merged cells): problems, never a
//! panic. Start the corpus from the templates (see docs/import.md).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let vocabulary = antt_core::ruleset::built_in_named("vinh-long-2013").ok().flatten().map(|r| r.vocabulary).unwrap_or_default();
    let limits = antt_import::Limits { max_rows: 10_000, ..antt_import::Limits::default() };
    let _ = antt_import::parse(antt_import::Kind::Incidents, data, "tep.xlsx", &vocabulary, &limits, &mut |_| {});
});
