//! Export of fuzzed valid reports: the fuzzer's bytes become the prose (agency, title, a
//! heading, paragraphs, a free-table cell) and the numbers of a valid report; whatever the
//! reader accepts must export without an error. The first byte picks the format (its low two
//! bits: PDF, DOCX, XLSX, HTML), so that one run writes one format: four times the runs a
//! second of exporting to all four each time, and every format still fuzzed.

use nianbao::{export, ExportOptions, Report, Target};
use serde_json::{json, Value};

const BASE: &str = include_str!("../../examples/demo-city-2024.json");

fn main() {
    // Before the fork server starts: every child then has the fonts, templates and other lazily
    // built tables ready, so no input's coverage depends on whether it was a child's first (AFL
    // counted those edges as unstable). One run per format, with a little of every field.
    for selector in 0..4u8 {
        run(&[
            &[selector][..],
            "机关\u{1}标题\u{1}小标题\u{1}正文\u{1}a\u{1}1".as_bytes(),
        ]
        .concat());
    }
    afl::fuzz!(|data: &[u8]| run(data));
}

fn run(data: &[u8]) {
    let Some((&selector, data)) = data.split_first() else {
        return;
    };
    let target = Target::ALL[usize::from(selector & 3)];
    let text = String::from_utf8_lossy(data);
    // Fields are separated by U+0001 (which the reader refuses inside text anyway).
    let mut parts = text.split('\u{1}');
    let mut next = || parts.next().unwrap_or("").to_string();
    let Ok(mut v) = serde_json::from_str::<Value>(BASE) else {
        return;
    };
    let agency = next();
    if !agency.trim().is_empty() {
        v["agency"] = json!(agency);
    }
    let title = next();
    if !title.is_empty() {
        v["title"] = json!(title);
    }
    v["overview"] = json!([{ "heading": next() }, next(), { "table": { "rows": [["项目", next()], ["数量", next()]], "header_rows": 1 } }]);
    v["problems"] = json!([next()]);
    v["other"] = json!([next(), next()]);
    // Numbers: the next field's bytes set cells of table 二 (free of sum rules).
    let digits = next();
    let mut bytes = digits.bytes();
    for row in ["licensing", "penalty", "enforcement"] {
        if let Some(b) = bytes.next() {
            v["proactive"][row]["decisions"] = json!(u64::from(b) * 1_000_003);
        }
    }
    if let Some(b) = bytes.next() {
        v["proactive"]["fees"]["amount"] = json!(f64::from(b) / 7.0);
    }
    let Ok(report) = Report::from_json(&v.to_string()) else {
        return;
    };
    // On the calling thread only: the PDF writer's own threads would share AFL's coverage map
    // unsynchronised and make the runs' coverage depend on scheduling (the bytes are the same
    // either way; the library's tests take both paths).
    let opts = ExportOptions {
        single_thread: true,
        ..ExportOptions::default()
    };
    if let Err(e) = export(&report, target, &opts) {
        panic!("{target:?}: {e}");
    }
}
