//! PDF benchmark: `cargo bench --bench pdf [RUNS]`.
//!
//! The seed report (examples/potou-2023.json) to PDF, whole process (`nianbao export … --to
//! pdf`), median of RUNS runs (default 21); targets < 40 ms and < 250 KB. Also prints the
//! in-process phases (font resolution, layout, krilla serialization) and the bytes of every
//! embedded font program, read back from the file (krilla writes no object streams, so the
//! font descriptors and their /Length are plain text in the file).
//!
//! Builds the release binary first (`cargo build --release --bin nianbao`).

mod common;

use common::{median, ms};
use regex::bytes::Regex;
use std::time::Instant;

/// (font name, embedded font-program bytes) for every font descriptor in a PDF.
fn font_bytes(pdf: &[u8]) -> Vec<(String, usize)> {
    let obj = Regex::new(r"(?s)(\d+) 0 obj\s*<<(.*?)>>\s*(stream|endobj)").expect("regex");
    let mut dicts = std::collections::HashMap::new();
    for c in obj.captures_iter(pdf) {
        let id: usize = String::from_utf8_lossy(&c[1]).parse().unwrap_or(0);
        dicts.insert(id, String::from_utf8_lossy(&c[2]).into_owned());
    }
    let name = Regex::new(r"/FontName\s*/([^\s/<>\[\]]+)").expect("regex");
    let file = Regex::new(r"/FontFile[23]?\s+(\d+) 0 R").expect("regex");
    let len = Regex::new(r"/Length\s+(\d+)").expect("regex");
    let mut out = Vec::new();
    for d in dicts.values() {
        if !d.contains("/FontDescriptor") {
            continue;
        }
        let (Some(n), Some(f)) = (name.captures(d.as_bytes()), file.captures(d.as_bytes())) else {
            continue;
        };
        let fid: usize = String::from_utf8_lossy(&f[1]).parse().unwrap_or(0);
        let bytes = dicts
            .get(&fid)
            .and_then(|s| len.captures(s.as_bytes()))
            .and_then(|c| String::from_utf8_lossy(&c[1]).parse().ok())
            .unwrap_or(0);
        out.push((String::from_utf8_lossy(&n[1]).into_owned(), bytes));
    }
    out.sort();
    out
}

fn main() {
    let runs = common::runs();
    let (root, bin, dir) = common::setup("bench-pdf");

    println!("{runs} runs each, whole process (spawn + read + validate + layout + PDF)");
    for ex in ["potou-2023", "demo-city-2024", "demo-2019"] {
        let input = root.join(format!("examples/{ex}.json"));
        let out = dir.join(format!("{ex}.pdf"));
        let times = common::time_export(&bin, &input, "pdf", &out, runs);
        let whole = median(times);
        let bytes = std::fs::read(&out).unwrap();
        println!(
            "{ex}: median {:.1} ms, {} bytes ({:.1} KB)",
            ms(whole),
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
            100.0 * total as f64 / bytes.len() as f64
        );
    }

    // in-process for the seed: the model (read + validate + layout) and the PDF writer
    let text = std::fs::read_to_string(root.join("examples/potou-2023.json")).unwrap();
    let opts = nianbao::export::ExportOptions::default();
    let (mut model, mut pdf) = (vec![], vec![]);
    for _ in 0..runs {
        let t0 = Instant::now();
        let r = nianbao::Report::from_json(&text).unwrap();
        let f = nianbao::validate::validate(&r, None);
        let doc = nianbao::layout::build_with_findings(&r, f);
        let t1 = Instant::now();
        let out = nianbao::pdf::write(&doc, &opts).unwrap();
        let t2 = Instant::now();
        assert!(!out.bytes.is_empty());
        model.push(t1 - t0);
        pdf.push(t2 - t1);
    }
    println!(
        "seed in-process medians: read+validate+layout model {:.1} ms, PDF writer (fonts, layout, subsetting, deflate, writing) {:.1} ms",
        ms(median(model)),
        ms(median(pdf))
    );
    common::compare(&bin, &root, "pdf", runs);
}
