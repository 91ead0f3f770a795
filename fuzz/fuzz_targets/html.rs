//! The HTML importer: any page imports as a report or is refused; never a panic.

use nianbao::import::{from_html, ImportOptions};

fn run(data: &[u8]) {
    let html = String::from_utf8_lossy(data);
    let opts = ImportOptions {
        clean: data.first().is_some_and(|b| b & 1 == 1),
        ..ImportOptions::default()
    };
    if let Ok(imported) = from_html(&html, &opts) {
        let _ = nianbao::validate(&imported.report, None);
    }
}

fn main() {
    // Before the fork server starts: every child then has the lazily built tables (templates,
    // label catalogue, vocabulary) ready, so no input's coverage depends on whether it was a
    // child's first (AFL counted those edges as unstable).
    let page: &[u8] = include_bytes!("../../tests/fixtures/import/fixture_city_2025.html");
    run(page); // a saved web page
    run(&[b"\x01", page].concat()); // the same with --clean (its conversion tables)
                                    // A 2019-format page (that format's tables) and an element name html5ever does not know
                                    // (its set of names made at run time).
    run(include_bytes!(
        "../../tests/fixtures/import/shanghai_gov_office_2019.html"
    ));
    run(b"<o:p>x</o:p>");
    afl::fuzz!(|data: &[u8]| run(data));
}
