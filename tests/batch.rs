//! Issue 14's batch acceptance: 1,000 generated reports with 10 broken ones mixed in (4 not
//! readable JSON, 4 with broken arithmetic, 2 whose PDF cannot be written because a folder sits
//! at the output path) → the 990 good ones written, the 10 reported with their reasons in the
//! closing summary and in `--report-json`, exit 3 (the worst: an output not written);
//! `--fail-fast` stops at the first; outputs byte-identical for `--jobs 1` and `--jobs 2`.
//! The same for `validate`, `import`, `collect` and `diff --pairs` over 100 inputs: each input's
//! outcome, the closing summary, `--report-json`, `--fail-fast`, and outputs that do not depend
//! on `--jobs`.

mod common;
#[path = "collect_gen.rs"]
mod gen;

use common::{nianbao, root};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const N: usize = 1000;
const UNREADABLE: [usize; 4] = [7, 150, 333, 901];
const INVALID: [usize; 4] = [42, 500, 620, 777];
const UNWRITABLE: [usize; 2] = [88, 999];

fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target/test-out/batch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn name(i: usize) -> String {
    format!("r{i:04}")
}

/// Writes the 1,000 inputs; returns their paths in order.
fn inputs(dir: &Path) -> Vec<String> {
    inputs_n(dir, N)
}

/// Writes the first `n` of the inputs (the same broken ones among them) into `dir/in`.
fn inputs_n(dir: &Path, n: usize) -> Vec<String> {
    let dir = dir.join("in");
    std::fs::create_dir_all(&dir).unwrap();
    (0..n)
        .map(|i| {
            let p = dir.join(format!("{}.json", name(i)));
            let text = gen::report(i as u64).to_json_string();
            let text = if UNREADABLE.contains(&i) {
                text[..text.len() / 2].to_string()
            } else if INVALID.contains(&i) {
                let mut v: Value = serde_json::from_str(&text).unwrap();
                let n = v["applications"]["total_processed"]["natural_person"]
                    .as_i64()
                    .unwrap();
                v["applications"]["total_processed"]["natural_person"] = (n + 1).into();
                v.to_string()
            } else {
                text
            };
            std::fs::write(&p, text).unwrap();
            p.to_string_lossy().into_owned()
        })
        .collect()
}

fn export(inputs: &[String], extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .arg("export")
        .args(inputs)
        .args(extra)
        .current_dir(root())
        .output()
        .unwrap()
}

fn files_with(dir: &Path, ext: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == ext))
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_thousand_reports_with_ten_broken_ones() {
    let dir = scratch("thousand");
    let inputs = inputs(&dir);
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    for i in UNWRITABLE {
        std::fs::create_dir_all(out.join(format!("{}.pdf", name(i)))).unwrap();
    }
    let records = dir.join("records.json");
    let o = export(
        &inputs,
        &[
            "--to",
            "pdf",
            "--out-dir",
            out.to_str().unwrap(),
            "--quiet",
            "--jobs",
            "2",
            "--report-json",
            records.to_str().unwrap(),
        ],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "worst outcome: unwritten\n{err}");
    let pdfs = files_with(&out, "pdf");
    assert_eq!(pdfs.len(), 990, "{err}");
    assert!(
        err.contains(
            "1000 inputs: 990 done (990 with warnings), 4 invalid, 4 unreadable, 2 unwritten, 0 internal errors, 0 not run"
        ),
        "{err}"
    );
    // Each broken input named with its reason on standard error.
    for i in UNREADABLE {
        assert!(err.contains(&format!("{}.json: ", name(i))), "{i}: {err}");
    }
    for i in INVALID {
        assert!(
            err.contains(&format!("{}.json: 校验有错误，未导出", name(i))),
            "{i}: {err}"
        );
    }
    for i in UNWRITABLE {
        assert!(
            err.contains(&format!(
                "{}.json: 无法写入 {}",
                name(i),
                out.join(format!("{}.pdf", name(i))).display()
            )),
            "{i}: {err}"
        );
    }
    // --report-json: one record per input, in input order.
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&records).unwrap()).unwrap();
    let recs = v.as_array().unwrap();
    assert_eq!(recs.len(), N);
    for (i, r) in recs.iter().enumerate() {
        assert_eq!(r["input"], inputs[i]);
        let want = if UNREADABLE.contains(&i) {
            "unreadable"
        } else if INVALID.contains(&i) {
            "invalid"
        } else if UNWRITABLE.contains(&i) {
            "unwritten"
        } else {
            // The generated reports carry a few warnings (A-05, T-05, ...).
            "warnings"
        };
        assert_eq!(r["status"], want, "{i}: {r}");
        assert!(r["time_ms"].as_f64().unwrap() > 0.0);
        if want == "warnings" {
            assert_eq!(
                r["outputs"][0],
                out.join(format!("{}.pdf", name(i)))
                    .to_string_lossy()
                    .as_ref()
            );
            assert!(r["error"].is_null());
        } else {
            assert!(r["outputs"].as_array().unwrap().is_empty(), "{r}");
        }
        if want == "invalid" {
            assert!(r["findings"]["error"].as_u64().unwrap() > 0, "{r}");
        }
        if want == "unreadable" {
            assert!(r["error"].as_str().unwrap().contains("JSON"), "{r}");
        }
    }
}

#[test]
fn fail_fast_stops_at_the_first_failure() {
    let dir = scratch("fail-fast");
    let inputs = inputs(&dir);
    let out = dir.join("out");
    let records = dir.join("records.json");
    let o = export(
        &inputs[..100],
        &[
            "--to",
            "xlsx",
            "--out-dir",
            out.to_str().unwrap(),
            "--quiet",
            "--jobs",
            "1",
            "--fail-fast",
            "--report-json",
            records.to_str().unwrap(),
        ],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    // Inputs 0..6 written, input 7 (unreadable) failed, nothing after it started.
    assert_eq!(files_with(&out, "xlsx").len(), 7, "{err}");
    assert!(err.contains("92 not run"), "{err}");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&records).unwrap()).unwrap();
    assert_eq!(v[7]["status"], "unreadable");
    assert_eq!(v[8]["status"], "not_run");
    // Without --fail-fast the same inputs all run.
    let out2 = dir.join("out2");
    let o = export(
        &inputs[..100],
        &[
            "--to",
            "xlsx",
            "--out-dir",
            out2.to_str().unwrap(),
            "--quiet",
            "--jobs",
            "1",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(files_with(&out2, "xlsx").len(), 98);
}

#[test]
fn outputs_do_not_depend_on_the_number_of_jobs() {
    let dir = scratch("jobs");
    let inputs = inputs(&dir);
    let some = &inputs[..40];
    let mut stderrs = Vec::new();
    for jobs in ["1", "2"] {
        let out = dir.join(format!("out{jobs}"));
        let o = export(
            some,
            &[
                "--to",
                "pdf,docx,xlsx",
                "--out-dir",
                out.to_str().unwrap(),
                "--jobs",
                jobs,
            ],
        );
        assert_eq!(
            o.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        // The messages name the output folder; the rest must be the same.
        let text = String::from_utf8_lossy(&o.stderr).replace(out.to_str().unwrap(), "OUT");
        stderrs.push(text);
    }
    assert_eq!(
        stderrs[0], stderrs[1],
        "messages in input order whatever the jobs"
    );
    let (a, b) = (dir.join("out1"), dir.join("out2"));
    let mut names = Vec::new();
    for ext in ["pdf", "docx", "xlsx"] {
        names.extend(files_with(&a, ext));
        assert_eq!(files_with(&a, ext), files_with(&b, ext));
    }
    assert_eq!(
        names.len(),
        3 * 39,
        "the unreadable one among the first 40 is not written"
    );
    for n in &names {
        assert!(
            std::fs::read(a.join(n)).unwrap() == std::fs::read(b.join(n)).unwrap(),
            "{n} differs between --jobs 1 and --jobs 2"
        );
    }
}

#[test]
fn validate_and_import_run_as_batches_too() {
    let dir = scratch("validate");
    let inputs = inputs(&dir);
    let some = &inputs[..60];
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .args(args)
            .args(some)
            .current_dir(root())
            .output()
            .unwrap()
    };
    let a = run(&["validate", "--jobs", "1"]);
    let b = run(&["validate", "--jobs", "2"]);
    assert_eq!(a.status.code(), Some(2));
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(a.stderr, b.stderr);
    let text = String::from_utf8_lossy(&a.stdout);
    assert!(text.contains("r0042.json: 错误 error [A-02]"), "{text}");
    let out = dir.join("imported");
    let o = run(&["import", "--out-dir", out.to_str().unwrap(), "--jobs", "2"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    // Import does not validate: only the unreadable one fails.
    assert!(err.contains("60 inputs: 59 done"), "{err}");
    assert_eq!(files_with(&out, "json").len(), 59);
}

/// Runs the binary with `--jobs` `jobs` among `args` and the test hook that makes each of the
/// `jobs` workers wait at its first input until all have begun one: with `jobs` or more inputs,
/// exactly `jobs` distinct workers process them, whatever the machine's load.
fn nianbao_jobs(args: &[&str], jobs: &str) -> std::process::Output {
    assert!(args.windows(2).any(|w| w == ["--jobs", jobs]), "{args:?}");
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(args)
        .env("NIANBAO_TEST_MEET_WORKERS", jobs)
        .current_dir(root())
        .output()
        .unwrap()
}

/// A `--report-json` file without the times (which differ from run to run) and the worker
/// numbers (which depend on `--jobs`; see [`workers`]).
fn records(path: &Path) -> Vec<Value> {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let mut r = r.clone();
            assert!(r["time_ms"].as_f64().unwrap() >= 0.0, "{r}");
            assert!(r["worker"].is_u64() || r["worker"].is_null(), "{r}");
            r.as_object_mut().unwrap().remove("time_ms");
            r.as_object_mut().unwrap().remove("worker");
            r
        })
        .collect()
}

/// The distinct `worker` numbers of a `--report-json` file: `--jobs N` over N or more inputs
/// must show workers 0..N (a command that ignored `--jobs` would show one).
fn workers(path: &Path) -> Vec<u64> {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut w: Vec<u64> = v
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["worker"].as_u64())
        .collect();
    w.sort_unstable();
    w.dedup();
    w
}

/// The workers `--jobs` asks for: 0..jobs.
fn expected_workers(jobs: &str) -> Vec<u64> {
    (0..jobs.parse::<u64>().unwrap()).collect()
}

/// What each of the first 100 generated inputs is expected to be for a command that validates.
fn validated_status(i: usize) -> &'static str {
    if UNREADABLE.contains(&i) {
        "unreadable"
    } else if INVALID.contains(&i) {
        "invalid"
    } else {
        "warnings"
    }
}

const SOME: usize = 100;

#[test]
fn validate_a_hundred_reports_records_each_and_does_not_depend_on_jobs() {
    let dir = scratch("validate-100");
    let inputs = inputs_n(&dir, SOME);
    let mut outs = Vec::new();
    for jobs in ["1", "2"] {
        let rec = dir.join(format!("records{jobs}.json"));
        let mut args = vec![
            "validate",
            "--jobs",
            jobs,
            "--report-json",
            rec.to_str().unwrap(),
        ];
        args.extend(inputs.iter().map(String::as_str));
        let o = nianbao_jobs(&args, jobs);
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(o.status.code(), Some(2), "worst: unreadable\n{err}");
        // The closing count, worded as export's, import's and collect's.
        assert!(
            err.ends_with("nianbao: 共 100 个输入：完成 98（其中有警告 98），校验有错误 1，无法读取 1，无法写出 0，内部错误 0，未处理 0 (100 inputs: 98 done (98 with warnings), 1 invalid, 1 unreadable, 0 unwritten, 0 internal errors, 0 not run)\n"),
            "{err}"
        );
        assert_eq!(workers(&rec), expected_workers(jobs), "--jobs {jobs}");
        let recs = records(&rec);
        assert_eq!(recs.len(), SOME);
        for (i, r) in recs.iter().enumerate() {
            assert_eq!(r["input"], inputs[i], "input order");
            assert_eq!(r["status"], validated_status(i), "{i}: {r}");
        }
        assert!(recs[42]["findings"]["error"].as_u64().unwrap() > 0);
        assert!(recs[7]["error"].as_str().unwrap().contains("r0007.json"));
        assert!(err.contains("r0007.json"), "{err}");
        outs.push((o.stdout, err, recs));
    }
    assert_eq!(
        outs[0], outs[1],
        "stdout, stderr and records the same for --jobs 1 and 2"
    );
    let text = String::from_utf8_lossy(&outs[0].0);
    assert!(text.contains("r0042.json: 错误 error [A-02]"), "{text}");
    // One input: no closing count (as export and import), in each output format.
    for format in ["text", "json"] {
        let o = nianbao(&["validate", "--format", format, &inputs[42]]);
        assert_eq!(o.status.code(), Some(1));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!err.contains("inputs:"), "{err}");
    }
    let o = nianbao(&["validate", "--summary", &inputs[0], &inputs[1]]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("(2 inputs: 2 done (2 with warnings)"), "{err}");
}

#[test]
fn import_a_hundred_reports_byte_identical_whatever_the_jobs() {
    let dir = scratch("import-100");
    let inputs = inputs_n(&dir, SOME);
    let mut recs = Vec::new();
    for jobs in ["1", "2"] {
        let out = dir.join(format!("out{jobs}"));
        let rec = dir.join(format!("records{jobs}.json"));
        let mut args = vec![
            "import",
            "--out-dir",
            out.to_str().unwrap(),
            "--jobs",
            jobs,
            "--report-json",
            rec.to_str().unwrap(),
        ];
        args.extend(inputs.iter().map(String::as_str));
        let o = nianbao_jobs(&args, jobs);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert_eq!(workers(&rec), expected_workers(jobs), "--jobs {jobs}");
        // Import does not validate: the broken arithmetic is imported as it is.
        assert!(
            err.contains("100 inputs: 99 done (0 with warnings), 0 invalid, 1 unreadable, 0 unwritten, 0 internal errors, 0 not run"),
            "{err}"
        );
        assert_eq!(files_with(&out, "json").len(), SOME - 1);
        let r = records(&rec);
        assert_eq!(r.len(), SOME);
        for (i, r) in r.iter().enumerate() {
            assert_eq!(r["input"], inputs[i]);
            let want = if UNREADABLE.contains(&i) {
                "unreadable"
            } else {
                "ok"
            };
            assert_eq!(r["status"], want, "{i}: {r}");
            if want == "ok" {
                let written = out.join(format!("{}.json", name(i)));
                assert_eq!(r["outputs"][0], written.to_string_lossy().as_ref());
            }
        }
        recs.push(
            r.into_iter()
                .map(|mut r| {
                    r["outputs"] = Value::Null;
                    r
                })
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(recs[0], recs[1]);
    let (a, b) = (dir.join("out1"), dir.join("out2"));
    let names = files_with(&a, "json");
    assert_eq!(names, files_with(&b, "json"));
    for n in &names {
        assert!(
            std::fs::read(a.join(n)).unwrap() == std::fs::read(b.join(n)).unwrap(),
            "{n} differs between --jobs 1 and --jobs 2"
        );
    }
    // The imported report is the report read.
    let first = std::fs::read_to_string(a.join("r0000.json")).unwrap();
    assert_eq!(first, gen::report(0).to_json_string());
}

#[test]
fn collect_a_hundred_reports_as_a_batch() {
    let dir = scratch("collect-100");
    let inputs = inputs_n(&dir, SOME);
    let folder = dir.join("in");
    let missing = dir.join("missing.json");
    let mut runs = Vec::new();
    for jobs in ["1", "2"] {
        let book = dir.join(format!("book{jobs}.xlsx"));
        let wide = dir.join(format!("wide{jobs}.csv"));
        let rec = dir.join(format!("records{jobs}.json"));
        let o = nianbao_jobs(
            &[
                "collect",
                missing.to_str().unwrap(),
                folder.to_str().unwrap(),
                "-o",
                book.to_str().unwrap(),
                "--csv-wide",
                wide.to_str().unwrap(),
                "--jobs",
                jobs,
                "--report-json",
                rec.to_str().unwrap(),
            ],
            jobs,
        );
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(o.status.code(), Some(2), "worst: unreadable\n{err}");
        // `--jobs` obeyed: the files read by `jobs` workers; the path not found by none.
        assert_eq!(workers(&rec), expected_workers(jobs), "--jobs {jobs}");
        let raw: Value = serde_json::from_str(&std::fs::read_to_string(&rec).unwrap()).unwrap();
        assert!(raw[0]["worker"].is_null(), "{}", raw[0]);
        assert!(
            err.contains("101 inputs: 98 done (98 with warnings), 1 invalid, 2 unreadable, 0 unwritten, 0 internal errors, 0 not run"),
            "{err}"
        );
        assert!(err.contains("r0007.json: 已跳过 skipped: "), "{err}");
        assert!(
            err.contains("missing.json: 已跳过 skipped: 文件不存在"),
            "{err}"
        );
        // One record per input: the path not found first (as on the sheet 未读入), then the
        // folder's files in order.
        let recs = records(&rec);
        assert_eq!(recs.len(), SOME + 1);
        assert_eq!(recs[0]["input"], missing.to_str().unwrap());
        assert_eq!(recs[0]["status"], "unreadable");
        for (i, r) in recs[1..].iter().enumerate() {
            assert_eq!(r["input"], inputs[i], "input order");
            assert_eq!(r["status"], validated_status(i), "{i}: {r}");
            assert_eq!(
                r["import_log"],
                serde_json::json!({}),
                "report JSON: no import log"
            );
        }
        assert!(recs[1 + 42]["findings"]["error"].as_u64().unwrap() > 0);
        assert!(recs[1 + 7]["error"]
            .as_str()
            .unwrap()
            .contains("r0007.json"));
        // The invalid report is collected (its errors counted on 考核), the unreadable one not.
        let csv = std::fs::read_to_string(&wide).unwrap();
        assert_eq!(csv.lines().count(), 1 + SOME - 1);
        let err = err
            .replace(dir.to_str().unwrap(), "DIR")
            .replace(&format!("book{jobs}"), "book");
        runs.push((
            std::fs::read(&book).unwrap(),
            std::fs::read(&wide).unwrap(),
            recs,
            err,
        ));
    }
    assert!(
        runs[0].0 == runs[1].0,
        "workbook differs between --jobs 1 and 2"
    );
    assert!(runs[0].1 == runs[1].1, "CSV differs between --jobs 1 and 2");
    assert_eq!(
        runs[0].2, runs[1].2,
        "records differ between --jobs 1 and 2"
    );
    assert_eq!(
        runs[0].3, runs[1].3,
        "messages differ between --jobs 1 and 2"
    );
    // The same workbook as the library's collection (which validates while writing).
    let (c, bytes) =
        nianbao::collect::collect_workbook(&[missing.clone(), folder.clone()]).unwrap();
    assert_eq!(c.entries.len(), SOME - 1);
    assert!(
        bytes == runs[0].0,
        "the batch's workbook is not the library's"
    );
}

#[test]
fn collect_fail_fast_writes_nothing() {
    let dir = scratch("collect-fail-fast");
    let inputs = inputs_n(&dir, 60);
    for (range, code, failed, status) in [(0..60, 2, 7, "unreadable"), (8..60, 1, 42, "invalid")] {
        let book = dir.join("book.xlsx");
        let rec = dir.join("records.json");
        let mut args = vec![
            "collect",
            "-o",
            book.to_str().unwrap(),
            "--jobs",
            "1",
            "--fail-fast",
            "--report-json",
            rec.to_str().unwrap(),
        ];
        args.extend(inputs[range.clone()].iter().map(String::as_str));
        let o = nianbao(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(code), "{err}");
        assert!(
            !book.exists(),
            "no workbook after a failure with --fail-fast"
        );
        assert!(err.contains("no workbook written"), "{err}");
        let recs = records(&rec);
        assert_eq!(recs.len(), range.len());
        let at = failed - range.start;
        assert_eq!(recs[at]["status"], status);
        assert!(recs[..at].iter().all(|r| r["status"] == "warnings"));
        assert!(recs[at + 1..].iter().all(|r| r["status"] == "not_run"));
        assert!(
            err.contains(&format!("{} not run", range.len() - at - 1)),
            "{err}"
        );
    }
}

/// Two folders for `diff --pairs`: last year's and this year's reports of the same 50
/// generated agencies, this year's input 7 unreadable.
fn pair_folders(dir: &Path) -> (PathBuf, PathBuf) {
    let (last, this) = (dir.join("2023"), dir.join("2024"));
    std::fs::create_dir_all(&last).unwrap();
    std::fs::create_dir_all(&this).unwrap();
    for i in 0..50 {
        let text = gen::report(i as u64).to_json_string();
        let mut v: Value = serde_json::from_str(&text).unwrap();
        v["year"] = 2023.into();
        std::fs::write(last.join(format!("{}.json", name(i))), v.to_string()).unwrap();
        let text = if UNREADABLE.contains(&i) {
            text[..text.len() / 2].to_string()
        } else {
            text
        };
        std::fs::write(this.join(format!("{}.json", name(i))), text).unwrap();
    }
    (last, this)
}

#[test]
fn diff_pairs_reads_both_folders_as_a_batch() {
    let dir = scratch("pairs");
    let (last, this) = pair_folders(&dir);
    let mut runs = Vec::new();
    for jobs in ["1", "2"] {
        let book = dir.join(format!("pairs{jobs}.xlsx"));
        let rec = dir.join(format!("records{jobs}.json"));
        let o = nianbao_jobs(
            &[
                "diff",
                "--pairs",
                last.to_str().unwrap(),
                this.to_str().unwrap(),
                "-o",
                book.to_str().unwrap(),
                "--jobs",
                jobs,
                "--report-json",
                rec.to_str().unwrap(),
            ],
            jobs,
        );
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(o.status.code(), Some(2), "worst: unreadable\n{err}");
        assert_eq!(workers(&rec), expected_workers(jobs), "--jobs {jobs}");
        assert!(
            err.contains("100 inputs: 99 done (0 with warnings), 0 invalid, 1 unreadable, 0 unwritten, 0 internal errors, 0 not run"),
            "{err}"
        );
        assert!(err.contains("已跳过 skipped: "), "{err}");
        assert!(err.contains("未配对 unpaired: 上年 r0007.json"), "{err}");
        let recs = records(&rec);
        assert_eq!(recs.len(), 100);
        for (k, r) in recs.iter().enumerate() {
            let (folder, i) = if k < 50 { (&last, k) } else { (&this, k - 50) };
            let want = folder.join(format!("{}.json", name(i)));
            assert_eq!(
                r["input"],
                want.to_str().unwrap(),
                "last folder first, files in order"
            );
            let status = if k >= 50 && UNREADABLE.contains(&i) {
                "unreadable"
            } else {
                "ok"
            };
            assert_eq!(r["status"], status, "{k}: {r}");
        }
        runs.push((
            std::fs::read(&book).unwrap(),
            recs,
            err.replace(&format!("pairs{jobs}"), "pairs"),
        ));
    }
    // Byte for byte, docProps/core.xml included (its creation date is fixed, not the time).
    assert!(
        runs[0].0 == runs[1].0,
        "workbook differs between --jobs 1 and 2"
    );
    assert_eq!(runs[0].1, runs[1].1);
    assert_eq!(
        runs[0].2, runs[1].2,
        "messages differ between --jobs 1 and 2"
    );

    // --fail-fast: nothing written, the files after the unreadable one not read.
    let book = dir.join("fail-fast.xlsx");
    let rec = dir.join("fail-fast.json");
    let o = nianbao(&[
        "diff",
        "--pairs",
        last.to_str().unwrap(),
        this.to_str().unwrap(),
        "-o",
        book.to_str().unwrap(),
        "--jobs",
        "1",
        "--fail-fast",
        "--report-json",
        rec.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(!book.exists());
    assert!(err.contains("42 not run"), "{err}");
    let recs = records(&rec);
    assert_eq!(recs[57]["status"], "unreadable");
    assert_eq!(recs[58]["status"], "not_run");

    // --fail-fast and --report-json belong to --pairs (--jobs also sets one diff's threads).
    let o = nianbao(&["diff", "a.json", "b.json", "--report-json", "r.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--pairs"));
}

/// `collect` with a bug while processing one input (provoked by the hidden test hook
/// `NIANBAO_TEST_PANIC_ON`): that input fails alone (`internal_error`, exit 4, the worst), is
/// listed on the sheet `未读入` with its reason like an unreadable file and counted in the
/// closing lines; the others are collected.
#[test]
fn collect_lists_an_input_that_panicked_on_unread() {
    let dir = scratch("collect-panic");
    inputs_n(&dir, 10);
    let book = dir.join("book.xlsx");
    let wide = dir.join("wide.csv");
    let rec = dir.join("records.json");
    let o = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["collect", dir.join("in").to_str().unwrap(), "-o"])
        .arg(&book)
        .arg("--csv-wide")
        .arg(&wide)
        .args(["--jobs", "2", "--report-json"])
        .arg(&rec)
        .env("NIANBAO_TEST_PANIC_ON", "r0003.json")
        .current_dir(root())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(4), "worst: internal error\n{err}");
    assert!(
        err.contains("10 inputs: 8 done (8 with warnings), 0 invalid, 1 unreadable, 0 unwritten, 1 internal errors, 0 not run"),
        "{err}"
    );
    assert!(
        err.contains("r0003.json: 内部错误，请报告此问题 (internal error, please report it): NIANBAO_TEST_PANIC_ON"),
        "{err}"
    );
    // The workbook's closing line counts it among the files skipped.
    assert!(err.contains("(collected 8, skipped 2,"), "{err}");
    let recs = records(&rec);
    assert_eq!(recs[3]["status"], "internal_error", "{}", recs[3]);
    assert!(recs[3]["error"]
        .as_str()
        .unwrap()
        .contains("internal error"));
    // The others collected: 10 less the unreadable r0007 and r0003.
    let csv = std::fs::read_to_string(&wide).unwrap();
    assert_eq!(csv.lines().count(), 1 + 8, "{csv}");
    assert!(!csv.contains("r0003.json"), "{csv}");
    // 未读入 lists it, with its reason, in input order.
    let py = r#"
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["未读入"]
print(json.dumps([[c.value for c in row] for row in ws.iter_rows(min_row=2)], ensure_ascii=False))
"#;
    let out = common::python_c(py, &[&book]);
    let rows: Vec<(String, String)> = serde_json::from_slice(&out).unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[0].0.ends_with("r0003.json"), "{rows:?}");
    assert!(
        rows[0].1.starts_with(
            "内部错误，请报告此问题 (internal error, please report it): NIANBAO_TEST_PANIC_ON"
        ),
        "{rows:?}"
    );
    assert!(rows[1].0.ends_with("r0007.json"), "{rows:?}");
}
