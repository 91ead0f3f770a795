//! The crawler-text importer: any text imports as a report or is refused; never a panic.

use nianbao::import::{from_text, ImportOptions};

fn run(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(imported) = from_text(&text, &ImportOptions::default()) {
        let _ = nianbao::validate(&imported.report, None);
    }
}

fn main() {
    // Before the fork server starts: every child then has the lazily built tables (templates,
    // label catalogue, vocabulary) ready, so no input's coverage depends on whether it was a
    // child's first (AFL counted those edges as unstable).
    run(include_bytes!(
        "../../tests/fixtures/import/pingtan_2019.txt"
    )); // the 2019 format
    run(include_bytes!(
        "../../tests/fixtures/import/pingtan_2023.txt"
    )); // crawler text
    afl::fuzz!(|data: &[u8]| run(data));
}
