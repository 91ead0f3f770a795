//! Diff benchmark: `cargo bench --bench diff [RUNS]`.
//!
//! Two reports (tests/fixtures/reports/pingtan_2023.json → pingtan_2024_e6.json) compared and
//! written to all four formats, whole process (`nianbao diff … --to pdf,docx,xlsx,html`), median
//! of RUNS runs (default 21); target < 60 ms. Also each format alone, the in-process time of
//! compare + layout and of each writer, and the baseline (`nianbao validate` on the seed)
//! interleaved in the same run.
//!
//! Builds the release binary first (`cargo build --release --bin nianbao`).

mod common;

use common::{median, ms};
use std::time::{Duration, Instant};

fn main() {
    let runs = common::runs();
    let (root, bin, dir) = common::setup("bench-diff");
    let last = root.join("tests/fixtures/reports/pingtan_2023.json");
    let this = root.join("tests/fixtures/reports/pingtan_2024_e6.json");
    let (last_s, this_s, dir_s) = (
        last.to_str().unwrap(),
        this.to_str().unwrap(),
        dir.to_str().unwrap(),
    );
    println!(
        "{runs} runs each, whole process (spawn + read both + validate + compare + layout + write)"
    );
    for to in ["pdf,docx,xlsx,html", "pdf", "docx", "xlsx", "html"] {
        let args = ["diff", last_s, this_s, "--to", to, "--out-dir", dir_s];
        common::run(&bin, &args);
        let times: Vec<Duration> = (0..runs).map(|_| common::run(&bin, &args)).collect();
        println!(
            "diff --to {to}: median {:.1} ms (min {:.1}, max {:.1})",
            ms(median(times.clone())),
            ms(*times.iter().min().unwrap()),
            ms(*times.iter().max().unwrap()),
        );
    }
    let read = |p: &std::path::Path| {
        nianbao::Report::from_json(&std::fs::read_to_string(p).unwrap()).unwrap()
    };
    let (a, b) = (read(&last), read(&this));
    let opts = nianbao::export::ExportOptions::default();
    let mut compare = Vec::new();
    let mut writers: Vec<(nianbao::export::Target, Vec<Duration>)> = [
        nianbao::export::Target::Pdf,
        nianbao::export::Target::Docx,
        nianbao::export::Target::Xlsx,
        nianbao::export::Target::Html,
    ]
    .into_iter()
    .map(|t| (t, Vec::new()))
    .collect();
    for _ in 0..runs {
        let t0 = Instant::now();
        let c = nianbao::diff::compare(&a, &b);
        let doc = nianbao::diff::layout(&c);
        compare.push(t0.elapsed());
        for (t, v) in writers.iter_mut() {
            let t1 = Instant::now();
            let o = nianbao::export::write(&doc, *t, &opts).unwrap();
            v.push(t1.elapsed());
            assert!(!o.bytes.is_empty());
        }
    }
    println!(
        "in-process medians: compare + layout {:.2} ms; {}",
        ms(median(compare)),
        writers
            .into_iter()
            .map(|(t, v)| format!("{} {:.2} ms", t.extension(), ms(median(v))))
            .collect::<Vec<_>>()
            .join(", ")
    );
    common::compare(&bin, &root, "html", runs);
}
