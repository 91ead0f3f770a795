//! Import benchmark: `cargo bench --bench import [RUNS]`.
//!
//! In-process import (`nianbao::import::read_any`: detection, decoding, reading, matching,
//! assembling, `Report::from_json`) of each shared HTML report and crawler text, median of RUNS
//! runs (default 21) after one warm-up; target under 5 ms for an HTML page. The phases of the
//! largest page (parse + walk, match + assemble) are timed too. Interleaved with the same
//! baseline the other benchmarks use (validate on the seed, in process), so a noisy shared
//! machine shows in both. Then the whole process (`nianbao import PAGE -o FILE`, the issue's
//! measure) for each HTML page, interleaved run by run with `nianbao validate` on the seed and
//! `/bin/true` (the host's floor).

mod common;

use nianbao::import::{html_doc, read_any, to_report_json, ImportOptions};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn runs() -> usize {
    std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(21)
        .max(1)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let n = runs();
    let seed_json = std::fs::read_to_string(root.join("examples/potou-2023.json")).expect("seed");
    let seed = nianbao::Report::from_json(&seed_json).expect("seed report");
    let files = [
        "tests/fixtures/import/fixture_city_2025.html",
        "tests/fixtures/import/shanghai_gov_office_2019.html",
        "tests/fixtures/import/shuyang_fgj_2023.html",
        "tests/fixtures/import/pingtan_2023.html",
        "tests/fixtures/import/pingtan_2023.txt",
        "tests/fixtures/import/pingtan_2019.txt",
        "tests/fixtures/seed_potou_2023.txt",
    ];
    let opts = ImportOptions {
        agency: Some("（基准）".into()),
        ..Default::default()
    };
    println!("import, in process, median of {n} runs (baseline: validate on the seed, in process)");
    println!(
        "{:<52} {:>10} {:>10} {:>12}",
        "file", "bytes", "median", "baseline"
    );
    for f in files {
        let bytes = std::fs::read(root.join(f)).expect("fixture");
        let name = f.rsplit('/').next().unwrap_or(f);
        let _ = read_any(&bytes, name, &opts).expect("warm-up import");
        let mut t = Vec::with_capacity(n);
        let mut b = Vec::with_capacity(n);
        for _ in 0..n {
            let s = Instant::now();
            let imp = read_any(&bytes, name, &opts).expect("import");
            t.push(s.elapsed());
            std::hint::black_box(imp);
            let s = Instant::now();
            std::hint::black_box(nianbao::validate::validate(&seed, None));
            b.push(s.elapsed());
        }
        println!(
            "{:<52} {:>10} {:>8.2} ms {:>9.2} ms",
            f,
            bytes.len(),
            ms(median(t)),
            ms(median(b))
        );
    }
    // Phases of the largest page.
    let page = std::fs::read_to_string(root.join("tests/fixtures/import/pingtan_2023.html"))
        .expect("page");
    let (mut parse, mut rest) = (Vec::new(), Vec::new());
    for _ in 0..n {
        let s = Instant::now();
        let doc = html_doc(&page);
        parse.push(s.elapsed());
        let s = Instant::now();
        let out = to_report_json(&doc, &opts).expect("json");
        rest.push(s.elapsed());
        std::hint::black_box(out);
    }
    println!(
        "pingtan_2023.html phases: parse + walk {:.2} ms, match + assemble {:.2} ms",
        ms(median(parse)),
        ms(median(rest))
    );

    // Whole process, interleaved with the baselines.
    let (_, bin, dir) = common::setup("bench-import");
    let seed_path = root.join("examples/potou-2023.json");
    let seed_path = seed_path.to_str().expect("UTF-8 path");
    println!(
        "import, whole process, median of {n} interleaved runs (target < 5 ms for an HTML page)"
    );
    println!(
        "{:<52} {:>10} {:>14} {:>12}",
        "file", "median", "validate seed", "/bin/true"
    );
    for f in files.iter().filter(|f| f.ends_with(".html")) {
        let input = root.join(f);
        let out = dir.join("out.json");
        let args = [
            "import",
            input.to_str().expect("UTF-8 path"),
            "-o",
            out.to_str().expect("UTF-8 path"),
        ];
        let (t, v, fl) = common::interleaved(&bin, &args, seed_path, n);
        println!(
            "{:<52} {:>7.2} ms {:>11.2} ms {:>9.2} ms",
            f,
            ms(t),
            ms(v),
            ms(fl)
        );
    }
}
