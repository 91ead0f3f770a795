//! The XLSX importer: any bytes import as a report or are refused; never a panic, never a hang.

use nianbao::import::{from_xlsx, ImportOptions};

fn run(data: &[u8]) {
    if let Ok(imported) = from_xlsx(data, &ImportOptions::default()) {
        let _ = nianbao::validate(&imported.report, None);
    }
}

fn main() {
    // Before the fork server starts: every child then has the lazily built tables (templates,
    // label catalogue, vocabulary) ready, so no input's coverage depends on whether it was a
    // child's first (AFL counted those edges as unstable). The workbooks are the demo
    // reports', one per format.
    for json in [
        include_str!("../../examples/demo-city-2024.json"),
        include_str!("../../examples/demo-2019.json"),
    ] {
        let report = nianbao::Report::from_json(json).expect("the demo report reads");
        let book = nianbao::export(&report, nianbao::Target::Xlsx, &Default::default())
            .expect("the demo report exports to XLSX");
        run(&book.bytes);
    }
    afl::fuzz!(|data: &[u8]| run(data));
}
