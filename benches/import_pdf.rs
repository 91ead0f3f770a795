//! PDF import benchmark (`cargo bench --bench import_pdf [RUNS]`): in-process import
//! (`nianbao::import::from_pdf`: read the PDF, rebuild or read its structure, match the cells)
//! of a 6-page nianbao PDF (demo-city-2024, read from its tag tree) and of the 5-page WPS file
//! hongze_2023.pdf (rebuilt from positions), and the reader alone (`import::pdf::read`).
//! Medians of RUNS runs after one warm-up. Then the whole process (`nianbao import FILE.pdf -o
//! FILE.json`, the measure; target under 30 ms), interleaved run by run with `nianbao
//! validate` on the seed and `/bin/true` (the host's floor).

mod common;

use nianbao::import::{from_pdf, pdf, ImportOptions};
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
    for (name, path) in &files {
        let bytes = std::fs::read(path).expect("pdf");
        let import = |b: &[u8]| {
            std::hint::black_box(from_pdf(b, &opts).expect("imports"));
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
    let seed = root.join("examples/potou-2023.json");
    let seed = seed.to_str().expect("UTF-8 path");
    println!(
        "PDF import, whole process, median of {runs} interleaved runs (target < 30 ms; baselines: validate seed, /bin/true)"
    );
    for (name, path) in files {
        let out = dir.join("import.json");
        let args = [
            "import",
            path.to_str().expect("UTF-8 path"),
            "-o",
            out.to_str().expect("UTF-8 path"),
        ];
        let (t, v, fl) = common::interleaved(&bin, &args, seed, runs);
        println!(
            "  {name}: {:.2} ms (validate seed {:.2} ms, /bin/true {:.2} ms)",
            common::ms(t),
            common::ms(v),
            common::ms(fl)
        );
    }
}
