//! The PDF importer: any bytes import as a report or are refused; never a panic.

use nianbao::import::{from_pdf, ImportOptions};

fn run(data: &[u8]) {
    if let Ok(imported) = from_pdf(data, &ImportOptions::default()) {
        let _ = nianbao::validate(&imported.report, None);
    }
}

fn main() {
    // Before the fork server starts: every child then has the lazily built tables (templates,
    // label catalogue, vocabulary) ready, so no input's coverage depends on whether it was a
    // child's first (AFL counted those edges as unstable).
    run(include_bytes!(
        "../../tests/fixtures/import/hongze_2023.pdf"
    )); // a published PDF
    afl::fuzz!(|data: &[u8]| run(data));
}
