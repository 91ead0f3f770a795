//! DOCX benchmark: `cargo bench --bench docx [RUNS]`.
//!
//! The seed report (examples/potou-2023.json) to DOCX, whole process (`nianbao export … --to
//! docx`), median of RUNS runs (default 21); target < 20 ms. Also prints the file size, the
//! in-process time of read + validate + layout + write, and of the DOCX writer alone (the
//! WordprocessingML parts written with quick-xml, then deflated).
//!
//! Builds the release binary first (`cargo build --release --bin nianbao`).

mod common;

use common::{median, ms};
use std::time::Instant;

fn main() {
    let runs = common::runs();
    let (root, bin, dir) = common::setup("bench-docx");

    let seed = root.join("examples/potou-2023.json");
    let out = dir.join("seed.docx");
    let times = common::time_export(&bin, &seed, "docx", &out, runs);
    let whole = median(times.clone());
    let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);

    let text = std::fs::read_to_string(&seed).unwrap();
    let opts = nianbao::export::ExportOptions::default();
    let mut inproc = Vec::with_capacity(runs);
    let mut writer = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let r = nianbao::Report::from_json(&text).unwrap();
        let f = nianbao::validate::validate(&r, None);
        let doc = nianbao::layout::build_with_findings(&r, f);
        let w = Instant::now();
        let o = nianbao::docx::write(&doc, &opts).unwrap();
        writer.push(w.elapsed());
        inproc.push(t.elapsed());
        assert!(!o.bytes.is_empty());
    }
    let min = times.iter().min().copied().unwrap_or_default();
    let max = times.iter().max().copied().unwrap_or_default();
    println!("seed → DOCX, whole process (nianbao export --to docx), {runs} runs:");
    println!(
        "  median {:.1} ms (min {:.1}, max {:.1}); target < 20 ms: {}",
        ms(whole),
        ms(min),
        ms(max),
        if ms(whole) < 20.0 { "met" } else { "NOT met" }
    );
    println!(
        "  in process: read + validate + layout + write {:.2} ms, DOCX writer alone {:.2} ms (medians)",
        ms(median(inproc)),
        ms(median(writer))
    );
    println!("  file size: {size} bytes (limit 40 KB = 40960)");
    common::compare(&bin, &root, "docx", runs);
}
