//! The provincial summary of a synthetic 10,000-unit province (8 districts, 4 unit types, a
//! few years of history), built into the document model once, then rendered.
//!
//! Run with `cargo bench -p antt-docs --bench summary`. Goals: XLSX under 2 s, PDF under 5 s.
#![allow(clippy::unwrap_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::LazyLock;

use antt_docs::{Document, Format, documents, render};

static SUMMARY: LazyLock<Document> = LazyLock::new(|| documents::provincial_summary(&common::province(10_000, true)));

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 5)]
fn build_model() -> Document {
    documents::provincial_summary(&common::province(10_000, true))
}

#[divan::bench(sample_count = 5)]
fn xlsx() -> usize {
    render(&SUMMARY, Format::Xlsx).unwrap().len()
}

#[divan::bench(sample_count = 3)]
fn pdf() -> usize {
    render(&SUMMARY, Format::Pdf).unwrap().len()
}

#[divan::bench(sample_count = 3)]
fn docx() -> usize {
    render(&SUMMARY, Format::Docx).unwrap().len()
}
