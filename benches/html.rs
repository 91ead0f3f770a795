//! HTML benchmark: `cargo bench --bench html [RUNS]`.
//!
//! The seed report (examples/potou-2023.json) to HTML, whole process (`nianbao export … --to
//! html`), median of RUNS runs (default 21); target < 3 ms. Also the other examples, the
//! in-process time of the HTML writer alone and of read + validate + layout + write, and the
//! baseline (`nianbao validate` on the seed) interleaved with the export in the same run.
//!
//! Builds the release binary first (`cargo build --release --bin nianbao`).

mod common;

use common::{median, ms};
use std::time::{Duration, Instant};

fn main() {
    let runs = common::runs();
    let (root, bin, dir) = common::setup("bench-html");

    println!("{runs} runs each, whole process (spawn + read + validate + layout + HTML)");
    for ex in ["potou-2023", "demo-city-2024", "demo-2019"] {
        let input = root.join(format!("examples/{ex}.json"));
        let out = dir.join(format!("{ex}.html"));
        let times = common::time_export(&bin, &input, "html", &out, runs);
        let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
        println!(
            "{ex}: median {:.2} ms (min {:.2}, max {:.2}), {size} bytes",
            ms(median(times.clone())),
            ms(*times.iter().min().unwrap()),
            ms(*times.iter().max().unwrap()),
        );
    }

    let text = std::fs::read_to_string(root.join("examples/potou-2023.json")).unwrap();
    let opts = nianbao::export::ExportOptions::default();
    let (mut writer, mut all): (Vec<Duration>, Vec<Duration>) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let t0 = Instant::now();
        let r = nianbao::Report::from_json(&text).unwrap();
        let f = nianbao::validate::validate(&r, None);
        let doc = nianbao::layout::build_with_findings(&r, f);
        let t1 = Instant::now();
        let o = nianbao::html::write(&doc, &opts).unwrap();
        let t2 = Instant::now();
        assert!(!o.bytes.is_empty());
        writer.push(t2 - t1);
        all.push(t2 - t0);
    }
    println!(
        "seed in-process medians: HTML writer {:.3} ms, read+validate+layout+HTML {:.3} ms",
        ms(median(writer)),
        ms(median(all))
    );
    common::compare(&bin, &root, "html", runs);
}
