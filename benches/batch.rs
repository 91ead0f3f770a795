//! Batch benchmark: `cargo bench --bench batch [RUNS]` (default 3 runs).
//!
//! 1,000 generated reports (tests/collect_gen.rs: different numbers and agencies) exported to
//! PDF, DOCX and XLSX by one `nianbao export` process, with `--jobs 1` (the baseline: one core,
//! as before parallel batches) and `--jobs 2`, run by run interleaved; then 100 reports with
//! `--jobs 2`, to show that peak memory does not grow with the batch. Reports the median wall
//! time and the peak resident set (GNU time's maximum RSS of the child, `getrusage` of
//! children). Target (issue 14): ≤ 15 s wall on 2 cores, peak RSS under 100 MB whatever the
//! batch size. Then `collect` of the first 100, 500 and all 1,000 into one workbook and both
//! CSVs (wall, peak RSS).
//!
//! Builds the release binary first (`cargo build --release --bin nianbao`).

#[path = "../tests/collect_gen.rs"]
mod gen;

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Writes `n` generated reports into `dir`; returns their paths.
fn generate(dir: &Path, n: usize) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    (0..n)
        .map(|i| {
            let p = dir.join(format!("r{i:04}.json"));
            std::fs::write(&p, gen::report(i as u64).to_json_string()).unwrap();
            p
        })
        .collect()
}

/// One whole-process batch export under GNU time: (wall, CPU user + system, peak RSS in KiB).
fn batch(
    bin: &Path,
    inputs: &[PathBuf],
    out: &Path,
    jobs: usize,
    scratch: &Path,
) -> (Duration, Duration, u64) {
    let _ = std::fs::remove_dir_all(out);
    let stats = scratch.join("time.txt");
    let status = Command::new("/usr/bin/time")
        .arg("-o")
        .arg(&stats)
        .args(["-f", "%e %U %S %M"])
        .arg(bin)
        .arg("export")
        .args(inputs)
        .args([
            "--to",
            "pdf,docx,xlsx",
            "--quiet",
            "--jobs",
            &jobs.to_string(),
            "--out-dir",
        ])
        .arg(out)
        .status()
        .expect("run /usr/bin/time (GNU time)");
    assert!(status.success(), "export failed");
    let text = std::fs::read_to_string(&stats).unwrap();
    let last = text.lines().last().unwrap_or_default();
    let mut parts = last.split_whitespace();
    let mut secs = || -> f64 { parts.next().and_then(|s| s.parse().ok()).unwrap_or(0.0) };
    let (wall, user, sys) = (secs(), secs(), secs());
    let rss = secs() as u64;
    (
        Duration::from_secs_f64(wall),
        Duration::from_secs_f64(user + sys),
        rss,
    )
}

/// One whole-process `collect` of `inputs` into a workbook and both CSVs under GNU time:
/// (wall, peak RSS in KiB).
fn collect(bin: &Path, inputs: &[PathBuf], jobs: usize, scratch: &Path) -> (Duration, u64) {
    let stats = scratch.join("time-collect.txt");
    let status = Command::new("/usr/bin/time")
        .arg("-o")
        .arg(&stats)
        .args(["-f", "%e %M"])
        .arg(bin)
        .arg("collect")
        .args(inputs)
        .args(["--jobs", &jobs.to_string(), "-o"])
        .arg(scratch.join("collected.xlsx"))
        .arg("--csv-long")
        .arg(scratch.join("collected-long.csv"))
        .arg("--csv-wide")
        .arg(scratch.join("collected-wide.csv"))
        .stderr(std::process::Stdio::null())
        .status()
        .expect("run /usr/bin/time (GNU time)");
    assert!(status.success(), "collect failed");
    let text = std::fs::read_to_string(&stats).unwrap();
    let mut parts = text.lines().last().unwrap_or_default().split_whitespace();
    let wall: f64 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0.0);
    let rss: u64 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    (Duration::from_secs_f64(wall), rss)
}

fn main() {
    let runs = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(3usize)
        .max(1);
    let (_root, bin, dir) = common::setup("bench-batch");
    let thousand = generate(&dir.join("in"), 1000);
    let out = dir.join("out");
    let mut times: [Vec<Duration>; 2] = [Vec::new(), Vec::new()];
    let mut cpus: [Vec<Duration>; 2] = [Vec::new(), Vec::new()];
    let mut peaks = [0u64; 2];
    for _ in 0..runs {
        for (k, jobs) in [1usize, 2].into_iter().enumerate() {
            let (t, cpu, rss) = batch(&bin, &thousand, &out, jobs, &dir);
            times[k].push(t);
            cpus[k].push(cpu);
            peaks[k] = peaks[k].max(rss);
        }
    }
    let (_, _, small_peak) = batch(&bin, &thousand[..100], &out, 2, &dir);
    let [one, two] = times.map(common::median);
    let [cpu_one, cpu_two] = cpus.map(common::median);
    println!("batch: 1,000 generated reports → pdf,docx,xlsx, whole process, median of {runs}");
    println!(
        "  --jobs 1 (baseline): {:.2} s wall, {:.2} s CPU, peak RSS {:.1} MB",
        one.as_secs_f64(),
        cpu_one.as_secs_f64(),
        peaks[0] as f64 / 1024.0
    );
    println!(
        "  --jobs 2:            {:.2} s wall, {:.2} s CPU, peak RSS {:.1} MB  ({:.2}× the baseline's speed; target ≤ 15 s: {})",
        two.as_secs_f64(),
        cpu_two.as_secs_f64(),
        peaks[1] as f64 / 1024.0,
        one.as_secs_f64() / two.as_secs_f64().max(1e-9),
        if two.as_secs_f64() <= 15.0 { "met" } else { "not met" }
    );
    println!(
        "  100 reports, --jobs 2: peak RSS {:.1} MB (flat as the batch grows: {}; target < 100 MB: {})",
        small_peak as f64 / 1024.0,
        if peaks[1] <= small_peak + small_peak / 5 { "yes" } else { "no" },
        if peaks[1] < 100 * 1024 { "met" } else { "not met" }
    );
    // collect keeps one label table per report shape and each report's values (not its cell
    // records) until the workbook is written, and sets the long table's range after saving
    // (rust_xlsxwriter keeps an entry per cell of a table's range); its sheets are written row
    // by row to temporary files and the CSVs stream to theirs: peak RSS at 100, 500 and 1,000
    // reports (workbook, --csv-long and --csv-wide) and its growth per report.
    let runs: Vec<(usize, Duration, u64)> = [100, 500, 1000]
        .iter()
        .map(|&n| {
            let (t, rss) = collect(&bin, &thousand[..n], 2, &dir);
            (n, t, rss)
        })
        .collect();
    for (n, t, rss) in &runs {
        println!(
            "collect --jobs 2 (workbook and both CSVs): {n} reports {:.2} s, peak RSS {:.1} MB",
            t.as_secs_f64(),
            *rss as f64 / 1024.0
        );
    }
    let slope = (runs[2].2 as f64 - runs[0].2 as f64) / (runs[2].0 - runs[0].0) as f64;
    println!(
        "  collect grows {slope:.1} KB a report (100 → 1,000; target: 1,000 reports well under 100 MB: {})",
        if runs[2].2 < 100 * 1024 { "met" } else { "not met" }
    );
}
