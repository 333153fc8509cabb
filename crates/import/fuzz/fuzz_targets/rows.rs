//! Each kind's row mapping: the first byte picks the kind, the rest is a CSV whose header is
//! the kind's own (so the fuzzer reaches the cell readers: dates, yes/no, labels, sub-units).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else { return };
    let kinds = antt_import_fuzz::kinds();
    let Some(kind) = kinds.get(usize::from(*first) % kinds.len().max(1)).cloned() else { return };
    let header: Vec<&str> = kind.columns().iter().map(|c| c.header).collect();
    let mut file = header.join(",").into_bytes();
    file.push(b'\n');
    file.extend_from_slice(rest);
    antt_import_fuzz::parse(kind, &file, "tep.csv");
});
