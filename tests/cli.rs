//! The command line: exit codes, error messages that name the place, JSON output, `new`,
//! `schema`, stdin, and exports blocked by validation errors.

mod common;

use common::{nianbao, root};
use serde_json::{json, Value};
use std::io::Write;
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
        &["overview[0].table.rows[1]"],
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
    let mut child = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["validate", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
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
