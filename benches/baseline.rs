//! The baseline every benchmark reports against, measured in the same command: `nianbao
//! validate` on the seed (process start, read, validate), interleaved run by run with the
//! export being measured, so a noisy 2-core machine slows both alike and the ratio stays
//! meaningful.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn time(bin: &Path, args: &[&str]) -> Duration {
    let t = Instant::now();
    let out = Command::new(bin).args(args).output().expect("run nianbao");
    let d = t.elapsed();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "nianbao {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    d
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Times `validate SEED` and `export SEED --to TARGET` alternately, `runs` times each, and prints
/// both medians and their ratio.
pub fn compare(bin: &Path, root: &Path, target: &str, runs: usize) {
    let seed = root.join("examples/potou-2023.json");
    let seed = seed.to_str().unwrap();
    let out = root.join(format!("target/bench-baseline.{target}"));
    let export = [
        "export",
        seed,
        "--to",
        target,
        "--quiet",
        "-o",
        out.to_str().unwrap(),
    ];
    let validate = ["validate", seed];
    time(bin, &export);
    time(bin, &validate);
    let (mut e, mut v) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        v.push(time(bin, &validate));
        e.push(time(bin, &export));
    }
    let (e, v) = (median(e), median(v));
    println!(
        "baseline, interleaved {runs}×: validate seed {:.1} ms, export seed → {target} {:.1} ms, ratio {:.2}× (the export's own cost ≈ {:.1} ms)",
        v.as_secs_f64() * 1000.0,
        e.as_secs_f64() * 1000.0,
        e.as_secs_f64() / v.as_secs_f64(),
        (e.as_secs_f64() - v.as_secs_f64()) * 1000.0
    );
    let _ = std::fs::remove_file(out);
}
