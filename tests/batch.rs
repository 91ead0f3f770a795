//! Issue 14's batch acceptance: 1,000 generated reports with 10 broken ones mixed in (4 not
//! readable JSON, 4 with broken arithmetic, 2 whose PDF cannot be written because a folder sits
//! at the output path) → the 990 good ones written, the 10 reported with their reasons in the
//! closing summary and in `--report-json`, exit 3 (the worst: an output not written);
//! `--fail-fast` stops at the first; outputs byte-identical for `--jobs 1` and `--jobs 2`.

mod common;
#[path = "collect_gen.rs"]
mod gen;

use common::root;
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
    let dir = dir.join("in");
    std::fs::create_dir_all(&dir).unwrap();
    (0..N)
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
