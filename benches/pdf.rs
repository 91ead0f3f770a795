//! PDF benchmark: `cargo bench --bench pdf [RUNS]`.
//!
//! Whole processes, median of RUNS runs (default 21), each beside a baseline measured in the
//! same run: `nianbao validate` on the seed (process start, read, validate), interleaved run by
//! run with the exports, so a loaded 2-core machine slows both alike and the ratio stays
//! meaningful. Measured: the seed (examples/potou-2023.json) to PDF, and to all three formats
//! in one process (issue 14 item 5: ≤ 35 ms); every example's PDF size (target for the seed
//! ≤ 260 KB, 266,240 B) and the bytes of each embedded font program; in process, the PDF
//! writer's first call (fonts loaded and checked) and later calls (fonts shared).
//!
//! Builds the release binary first (`cargo build --release --bin nianbao`).

mod common;

use common::{median, ms};
use regex::bytes::Regex;
use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant};

/// The seed's size target: 260 KB.
const SIZE_TARGET: u64 = 260 * 1024;
/// The whole-process target for the seed to PDF, DOCX and XLSX.
const ALL_FORMATS_TARGET_MS: f64 = 35.0;

/// (font name, embedded font-program bytes) for every font descriptor in a PDF. Descriptors
/// sit in compressed object streams, so those are inflated first; the font programs are
/// top-level streams whose /Length is plain text.
fn font_bytes(pdf: &[u8]) -> Vec<(String, usize)> {
    let top = Regex::new(r"(?s)(\d+) 0 obj\n<<(.*?)>>\nstream\n").expect("regex");
    let len = Regex::new(r"/Length (\d+)").expect("regex");
    let mut lengths = std::collections::HashMap::new();
    let mut text = Vec::new();
    for c in top.captures_iter(pdf) {
        let id: usize = String::from_utf8_lossy(&c[1]).parse().unwrap_or(0);
        let dict = &c[2];
        let Some(l) = len.captures(dict) else {
            continue;
        };
        let l: usize = String::from_utf8_lossy(&l[1]).parse().unwrap_or(0);
        lengths.insert(id, l);
        let objstm = b"/Type/ObjStm";
        if dict.windows(objstm.len()).any(|w| w == objstm) {
            let start = c.get(0).map_or(0, |m| m.end());
            let mut inflated = Vec::new();
            let data = pdf.get(start..start + l).unwrap_or_default();
            if flate2::read::ZlibDecoder::new(data)
                .read_to_end(&mut inflated)
                .is_ok()
            {
                text.extend_from_slice(&inflated);
            }
        }
    }
    let desc = Regex::new(r"(?s)<<[^<>]*?/FontDescriptor.*?>>").expect("regex");
    let name = Regex::new(r"/FontName\s*/([^\s/<>\[\]]+)").expect("regex");
    let file = Regex::new(r"/FontFile[23]?\s*(\d+) 0 R").expect("regex");
    let mut out = Vec::new();
    for d in desc.find_iter(&text) {
        let d = d.as_bytes();
        let (Some(n), Some(f)) = (name.captures(d), file.captures(d)) else {
            continue;
        };
        let fid: usize = String::from_utf8_lossy(&f[1]).parse().unwrap_or(0);
        let bytes = lengths.get(&fid).copied().unwrap_or(0);
        out.push((String::from_utf8_lossy(&n[1]).into_owned(), bytes));
    }
    out.sort();
    out
}

/// Times `validate SEED` and each command alternately, `runs` times; medians in order.
/// The arguments as `&str`.
fn args(c: &[String]) -> Vec<&str> {
    c.iter().map(String::as_str).collect()
}

fn interleaved(bin: &Path, commands: &[Vec<String>], runs: usize) -> Vec<Duration> {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/potou-2023.json");
    let validate = ["validate".to_string(), seed.display().to_string()];
    let mut all: Vec<Vec<&[String]>> = vec![vec![&validate[..]]];
    all.extend(commands.iter().map(|c| vec![&c[..]]));
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); all.len()];
    for c in &all {
        common::run(bin, &args(c[0]));
    }
    for _ in 0..runs {
        for (k, c) in all.iter().enumerate() {
            times[k].push(common::run(bin, &args(c[0])));
        }
    }
    times.into_iter().map(median).collect()
}

fn main() {
    let runs = common::runs();
    let (root, bin, dir) = common::setup("bench-pdf");
    let seed = root.join("examples/potou-2023.json");
    let seed_s = seed.display().to_string();

    // whole processes, interleaved with the baseline
    let pdf_out = dir.join("seed.pdf").display().to_string();
    let all_dir = dir.join("all").display().to_string();
    let to_pdf: Vec<String> = ["export", &seed_s, "--to", "pdf", "--quiet", "-o", &pdf_out]
        .map(String::from)
        .to_vec();
    let to_all: Vec<String> = [
        "export",
        &seed_s,
        "--to",
        "pdf,docx,xlsx",
        "--quiet",
        "--out-dir",
        &all_dir,
    ]
    .map(String::from)
    .to_vec();
    let m = interleaved(&bin, &[to_pdf, to_all], runs);
    let (base, pdf, all) = (ms(m[0]), ms(m[1]), ms(m[2]));
    println!("{runs} runs each, whole process, interleaved with the baseline");
    println!("  baseline: validate seed            {base:6.1} ms");
    println!(
        "  seed → PDF                          {pdf:6.1} ms  ({:.2}× baseline; the PDF's own cost ≈ {:.1} ms)",
        pdf / base,
        pdf - base
    );
    println!(
        "  seed → PDF + DOCX + XLSX            {all:6.1} ms  ({:.2}× baseline; target ≤ {ALL_FORMATS_TARGET_MS} ms: {})",
        all / base,
        if all <= ALL_FORMATS_TARGET_MS { "met" } else { "NOT met" }
    );

    // sizes
    for ex in ["potou-2023", "demo-city-2024", "demo-2019"] {
        let input = root.join(format!("examples/{ex}.json"));
        let out = dir.join(format!("{ex}.pdf"));
        common::run(
            &bin,
            &[
                "export",
                input.to_str().unwrap_or_default(),
                "--to",
                "pdf",
                "--quiet",
                "-o",
                out.to_str().unwrap_or_default(),
            ],
        );
        let bytes = std::fs::read(&out).unwrap_or_default();
        let target = if ex == "potou-2023" {
            format!(
                "; target ≤ 260 KB: {}",
                if bytes.len() as u64 <= SIZE_TARGET {
                    "met"
                } else {
                    "NOT met"
                }
            )
        } else {
            String::new()
        };
        println!(
            "{ex}: {} bytes ({:.1} KB){target}",
            bytes.len(),
            bytes.len() as f64 / 1024.0
        );
        let fonts = font_bytes(&bytes);
        let total: usize = fonts.iter().map(|(_, b)| b).sum();
        for (n, b) in &fonts {
            println!("    {b:>8} B  {n}");
        }
        println!(
            "    {total:>8} B  all font programs ({:.0}% of the file)",
            100.0 * total as f64 / bytes.len().max(1) as f64
        );
    }

    // in process: the model (read + validate + layout), the writer's first call (fonts loaded
    // and checked) and the later calls (fonts shared)
    let text = std::fs::read_to_string(&seed).unwrap_or_default();
    let opts = nianbao::export::ExportOptions::default();
    let (mut model, mut later) = (vec![], vec![]);
    let mut first = None;
    for _ in 0..runs {
        let t0 = Instant::now();
        let r = nianbao::Report::from_json(&text).expect("seed reads");
        let f = nianbao::validate::validate(&r, None);
        let doc = nianbao::layout::build_with_findings(&r, f);
        let t1 = Instant::now();
        let out = nianbao::pdf::write(&doc, &opts).expect("seed exports");
        let t2 = Instant::now();
        assert!(!out.bytes.is_empty());
        model.push(t1 - t0);
        if first.is_none() {
            first = Some(t2 - t1);
        } else {
            later.push(t2 - t1);
        }
    }
    println!(
        "seed in process: model (read + validate + layout) {:.1} ms; PDF writer first call {:.1} ms (fonts loaded and checked), later calls {:.1} ms (median, fonts shared)",
        ms(median(model)),
        ms(first.unwrap_or_default()),
        ms(if later.is_empty() {
            Duration::ZERO
        } else {
            median(later)
        })
    );
}
