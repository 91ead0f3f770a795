//! The DOCX importer: any bytes import as a report or are refused; never a panic, never a hang.

use nianbao::import::{from_docx, ImportOptions};

fn run(data: &[u8]) {
    if let Ok(imported) = from_docx(data, &ImportOptions::default()) {
        let _ = nianbao::validate(&imported.report, None);
    }
}

fn main() {
    // Before the fork server starts: every child then has the lazily built tables (templates,
    // label catalogue, vocabulary) ready, so no input's coverage depends on whether it was a
    // child's first (AFL counted those edges as unstable).
    run(include_bytes!(
        "../../tests/fixtures/import/template_wps_2021.docx"
    )); // a WPS template
    afl::fuzz!(|data: &[u8]| run(data));
}
