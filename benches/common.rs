//! What the benchmarks share: building the release binary, timing whole processes, medians, and
//! the baseline every benchmark reports against in the same command: `nianbao validate` on the
//! seed (process start, read, validate), interleaved run by run with the export being measured,
//! so a noisy 2-core machine slows both alike and the ratio stays meaningful.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Runs from the first command-line argument (default 21); `cargo bench` passes `--bench`,
/// which is not a number and so gives the default.
pub fn runs() -> usize {
    std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(21)
        .max(1)
}

/// Builds the release binary and returns (project root, binary path, a fresh scratch dir).
pub fn setup(scratch: &str) -> (PathBuf, PathBuf, PathBuf) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--release", "--quiet", "--bin", "nianbao"])
        .current_dir(&root)
        .status()
        .expect("cargo build");
    assert!(status.success());
    let bin = root.join("target/release/nianbao");
    let dir = root.join("target").join(scratch);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    (root, bin, dir)
}

/// Milliseconds.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Times `nianbao export INPUT --to TARGET -o OUT` as whole processes: one warm-up run (page
/// cache), then `runs` timed runs.
pub fn time_export(
    bin: &Path,
    input: &Path,
    target: &str,
    out: &Path,
    runs: usize,
) -> Vec<Duration> {
    let args = [
        "export",
        input.to_str().unwrap(),
        "--to",
        target,
        "--quiet",
        "-o",
        out.to_str().unwrap(),
    ];
    run(bin, &args);
    (0..runs).map(|_| run(bin, &args)).collect()
}

/// Times one whole `nianbao` process; exit codes 0 and 1 (validation findings) both count.
pub fn run(bin: &Path, args: &[&str]) -> Duration {
    time(bin, args)
}

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

/// The median.
pub fn median(mut v: Vec<Duration>) -> Duration {
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
    let (mut e, mut v, mut f) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        f.push(floor());
        v.push(time(bin, &validate));
        e.push(time(bin, &export));
    }
    let (e, v, f) = (median(e), median(v), median(f));
    println!(
        "baseline, interleaved {runs}×: validate seed {:.1} ms, export seed → {target} {:.1} ms, ratio {:.2}× (the export's own cost ≈ {:.1} ms); host floor: /bin/true {:.2} ms",
        v.as_secs_f64() * 1000.0,
        e.as_secs_f64() * 1000.0,
        e.as_secs_f64() / v.as_secs_f64(),
        (e.as_secs_f64() - v.as_secs_f64()) * 1000.0,
        f.as_secs_f64() * 1000.0
    );
    let _ = std::fs::remove_file(out);
}

/// One run of `/bin/true`: what starting any process costs on this host (the floor under every
/// whole-process time), measured the same way as the nianbao runs.
pub fn floor() -> Duration {
    let t = Instant::now();
    let out = Command::new("/bin/true").output().expect("run /bin/true");
    let d = t.elapsed();
    assert!(out.status.success());
    d
}

/// Times `nianbao ARGS`, `nianbao validate SEED` and `/bin/true` run by run, `runs` times each,
/// after one warm-up run of ARGS: the three medians, in that order.
#[allow(dead_code)] // not every benchmark uses it
pub fn interleaved(
    bin: &Path,
    args: &[&str],
    seed: &str,
    runs: usize,
) -> (Duration, Duration, Duration) {
    run(bin, args);
    let (mut t, mut v, mut fl) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        fl.push(floor());
        v.push(run(bin, &["validate", seed]));
        t.push(run(bin, args));
    }
    (median(t), median(v), median(fl))
}
