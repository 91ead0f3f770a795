//! The JSON reader and validation: any bytes either read as a report that validates (with
//! findings) and lays out, or are refused with an error naming the place; never a panic.

fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(report) = nianbao::Report::from_json(text) {
        let findings = nianbao::validate(&report, None);
        let doc = nianbao::layout::build_with_findings(&report, findings);
        assert_eq!(doc.title, report.title());
        // What was read writes back to JSON that reads as the same report.
        let again = nianbao::Report::from_json(&report.to_json_string())
            .expect("a report read from JSON writes back readable JSON");
        assert_eq!(again, report);
    }
}

fn main() {
    // Before the fork server starts: every child then has the lazily built tables (templates,
    // label catalogue, vocabulary) ready, so no input's coverage depends on whether it was a
    // child's first (AFL counted those edges as unstable).
    run(include_bytes!("../../examples/demo-city-2024.json")); // the demo report
    run(include_bytes!("../../examples/demo-2019.json")); // the 2019 format
    afl::fuzz!(|data: &[u8]| run(data));
}
