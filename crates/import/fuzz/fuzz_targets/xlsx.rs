//! Any bytes read as an .xlsx file (zip, XML, shared strings, merged cells): problems, never a
//! panic. Start the corpus from the seeds in `seeds/xlsx` (see docs/import.md).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| antt_import_fuzz::parse(antt_import::Kind::Incidents, data, "tep.xlsx"));
