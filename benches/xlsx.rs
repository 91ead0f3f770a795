//! XLSX benchmarks: `cargo bench --bench xlsx [RUNS]`.
//!
//! 1. The seed report (examples/potou-2023.json) to XLSX, whole process (`nianbao export … --to
//!    xlsx`), median of RUNS runs (default 21); target < 20 ms. Also the in-process time of
//!    read + validate + layout + write.
//! 2. `nianbao collect` over 1,000 generated reports (whole process, median of 3); target < 5 s.
//!
//! Builds the release binary first (`cargo build --release --bin nianbao`).

#[path = "../tests/collect_gen.rs"]
mod gen;

mod common;

use common::{median, ms, run};
use std::time::{Duration, Instant};

fn main() {
    let runs = common::runs();
    let (root, bin, dir) = common::setup("bench-xlsx");

    // 1. Seed → XLSX.
    let seed = root.join("examples/potou-2023.json");
    let out = dir.join("seed.xlsx");
    let times = common::time_export(&bin, &seed, "xlsx", &out, runs);
    let whole = median(times.clone());
    let text = std::fs::read_to_string(&seed).unwrap();
    let inproc: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            let r = nianbao::Report::from_json(&text).unwrap();
            let f = nianbao::validate::validate(&r, None);
            let doc = nianbao::layout::build_with_findings(&r, f);
            let o = nianbao::xlsx::write(&doc, &Default::default()).unwrap();
            assert!(!o.bytes.is_empty());
            t.elapsed()
        })
        .collect();
    let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    println!(
        "seed → xlsx, whole process: median {:.1} ms over {runs} runs (min {:.1}, max {:.1}); in-process median {:.2} ms; {size} bytes",
        ms(whole),
        ms(*times.iter().min().unwrap()),
        ms(*times.iter().max().unwrap()),
        ms(median(inproc)),
    );

    // 2. collect over 1,000 generated reports.
    let input = dir.join("reports");
    for i in 0..1000u64 {
        let sub = input.join(format!("county{:02}", i % 20));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(
            sub.join(format!("r{i:04}.json")),
            gen::report(i).to_json_string(),
        )
        .unwrap();
    }
    let summary = dir.join("summary.xlsx");
    let long = dir.join("long.csv");
    let wide = dir.join("wide.csv");
    let cargs = [
        "collect",
        input.to_str().unwrap(),
        "-o",
        summary.to_str().unwrap(),
        "--csv-long",
        long.to_str().unwrap(),
        "--csv-wide",
        wide.to_str().unwrap(),
    ];
    let ctimes: Vec<Duration> = (0..3).map(|_| run(&bin, &cargs)).collect();
    let size = std::fs::metadata(&summary).map(|m| m.len()).unwrap_or(0);
    println!(
        "collect 1000 reports (xlsx + 2 CSV), whole process: median {:.2} s of 3 (min {:.2}, max {:.2}); workbook {size} bytes",
        median(ctimes.clone()).as_secs_f64(),
        ctimes.iter().min().unwrap().as_secs_f64(),
        ctimes.iter().max().unwrap().as_secs_f64(),
    );
    let xargs = [
        "collect",
        input.to_str().unwrap(),
        "-o",
        summary.to_str().unwrap(),
    ];
    let xtimes: Vec<Duration> = (0..3).map(|_| run(&bin, &xargs)).collect();
    println!(
        "collect 1000 reports (xlsx only), whole process: median {:.2} s of 3",
        median(xtimes).as_secs_f64()
    );
    println!(
        "cores: {}",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    common::compare(&bin, &root, "xlsx", runs);
}
