//! Any bytes read as a CSV household list: a result or problems, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| antt_import_fuzz::parse(antt_import::Kind::Households, data, "tep.csv"));
