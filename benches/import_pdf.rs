//! PDF import benchmark (`cargo bench --bench import_pdf [RUNS]`): in-process import
//! (`nianbao::import::from_pdf`: read the PDF, rebuild or read its structure, match the cells)
//! of a 6-page nianbao PDF (demo-city-2024, read from its tag tree) and of the 5-page WPS file
//! hongze_2023.pdf (rebuilt from positions), and the reader alone (`import::pdf::read`).
//! Medians of RUNS runs after one warm-up; the target is under 30 ms.

mod common;

use nianbao::import::{from_pdf, pdf, to_report_json, ImportOptions};
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    common::ms(v[v.len() / 2])
}

fn main() {
    let runs = common::runs();
    let (root, bin, dir) = common::setup("bench-import-pdf");
    let status = std::process::Command::new(&bin)
        .args([
            "export",
            "examples/demo-city-2024.json",
            "--to",
            "pdf",
            "--quiet",
            "--out-dir",
        ])
        .arg(&dir)
        .current_dir(&root)
        .status()
        .expect("export");
    assert!(status.success());
    let files = [
        (
            "demo-city-2024 (nianbao, tagged, 6 pages)",
            dir.join("demo-city-2024.pdf"),
        ),
        (
            "hongze_2023 (WPS, untagged, 5 pages)",
            root.join("tests/fixtures/import/hongze_2023.pdf"),
        ),
    ];
    let opts = ImportOptions::default();
    println!("PDF import, median of {runs} runs (in process)");
    for (name, path) in files {
        let bytes = std::fs::read(&path).expect("pdf");
        // hongze's table 三 mix is not yet held by the report model: time up to the report JSON
        let import = |b: &[u8]| match from_pdf(b, &opts) {
            Ok(_) => {}
            Err(_) => {
                let doc = pdf::read(b).expect("reads");
                to_report_json(&doc, &opts).expect("a report");
            }
        };
        import(&bytes);
        let mut read = Vec::with_capacity(runs);
        let mut whole = Vec::with_capacity(runs);
        for _ in 0..runs {
            let t = Instant::now();
            let _ = pdf::read(&bytes).expect("reads");
            read.push(t.elapsed());
            let t = Instant::now();
            import(&bytes);
            whole.push(t.elapsed());
        }
        println!(
            "  {name}: read {:.1} ms, import {:.1} ms ({} bytes)",
            median(read),
            median(whole),
            bytes.len()
        );
    }
}
