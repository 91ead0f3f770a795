//! Every command reads what `import` reads (issue 10 item 9), lint levels on the command line
//! (issue 15 items 2 and 3 and its acceptance), and `new --to docx` (issue 11 item 5).

mod common;

use common::{nianbao, root};
use serde_json::Value;
use std::io::Read;
use std::path::{Path, PathBuf};

fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target/test-out/cli_lints").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn out(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn report(name: &str) -> String {
    format!("tests/fixtures/reports/{name}.json")
}

/// A zip member as text.
fn member(zip: &Path, name: &str) -> String {
    let f = std::fs::File::open(zip).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// `validate --format json` of one file: its findings as (rule, severity).
fn rules(args: &[&str]) -> (Vec<(String, String)>, Value) {
    let mut all = vec!["validate", "--format", "json"];
    all.extend_from_slice(args);
    let o = nianbao(&all);
    let v: Value = serde_json::from_str(&out(&o)).unwrap_or_else(|e| panic!("{e}: {}", err(&o)));
    let f = v[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (f, v[0]["lints"].clone())
}

/// 平潭 2019's report re-dated as a 2020 report published late (P-01), with nothing else wrong
/// in its numbers.
fn late_pingtan_2020(dir: &Path) -> PathBuf {
    let mut v: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join(report("pingtan_2019"))).unwrap(),
    )
    .unwrap();
    v["year"] = 2020.into();
    v["level"] = "department".into();
    v["published"] = "2021-04-15".into();
    let p = dir.join("pingtan_2020_late.json");
    std::fs::write(&p, v.to_string()).unwrap();
    p
}

#[test]
fn collect_reads_a_folder_of_saved_web_pages() {
    let dir = scratch("pages");
    let pages = dir.join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    for f in [
        "fixture_city_2025.html",
        "pingtan_2023.html",
        "shuyang_fgj_2023.html",
    ] {
        std::fs::copy(root().join("tests/fixtures/import").join(f), pages.join(f)).unwrap();
    }
    let xlsx = dir.join("summary.xlsx");
    let wide = dir.join("wide.csv");
    let o = nianbao(&[
        "collect",
        pages.to_str().unwrap(),
        "-o",
        xlsx.to_str().unwrap(),
        "--csv-wide",
        wide.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(err(&o).contains("collected 3, skipped 0"), "{}", err(&o));
    let csv = std::fs::read_to_string(&wide).unwrap();
    assert!(csv.contains("沭阳县发展和改革局"), "{csv}");
    assert_eq!(csv.lines().count(), 4, "{csv}");
}

#[test]
fn validate_of_a_web_page_prints_its_import_findings_and_its_validation_findings() {
    let o = nianbao(&[
        "validate",
        "tests/fixtures/import/shanghai_gov_office_2019.html",
    ]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(0), "{text}{}", err(&o));
    assert!(text.contains("[I-0"), "import findings: {text}");
    assert!(text.contains("[F-04]"), "validation findings: {text}");
    // The same report as JSON has the validation findings and no import findings.
    let o = nianbao(&["validate", &report("shanghai_2019")]);
    assert!(out(&o).contains("[F-04]") && !out(&o).contains("[I-0"));
}

#[test]
fn export_layout_and_previous_read_web_pages() {
    let dir = scratch("export-html");
    let o = nianbao(&[
        "export",
        "tests/fixtures/import/fixture_city_2025.html",
        "--to",
        "xlsx",
        "--out-dir",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(dir.join("fixture_city_2025.xlsx").is_file());
    let o = nianbao(&["layout", "tests/fixtures/import/pingtan_2023.html"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("Document"));
    // --previous as a crawler text file: the cross-year rules run.
    let o = nianbao(&[
        "validate",
        &report("pingtan_2020_e1"),
        "--previous",
        "tests/fixtures/import/pingtan_2023.html",
    ]);
    assert!(out(&o).contains("[X-0"), "{}{}", out(&o), err(&o));
}

#[test]
fn wording_and_timing_deviations_export_with_warnings_and_broken_arithmetic_is_blocked() {
    let dir = scratch("issue15");
    let late = late_pingtan_2020(&dir);
    let cases = [
        (report("fixture_city_2025"), "[F-01]"),
        (report("shuyang_fgj_2023"), "[F-01]"),
        (late.to_string_lossy().into_owned(), "[P-01]"),
    ];
    for (f, warning) in &cases {
        let o = nianbao(&[
            "export",
            f,
            "--to",
            "xlsx",
            "--out-dir",
            dir.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{f}: {}", err(&o));
        assert!(
            err(&o).contains(&format!("警告 warning {warning}")),
            "{f}: {}",
            err(&o)
        );
        let stem = Path::new(f)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(dir.join(format!("{stem}.xlsx")).is_file(), "{f}");
    }
    let strict = scratch("issue15-strict");
    for (f, _) in &cases {
        let o = nianbao(&[
            "export",
            f,
            "--strict",
            "--to",
            "xlsx",
            "--out-dir",
            strict.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(1), "--strict blocks {f}: {}", err(&o));
        assert!(err(&o).contains("--allow-invalid"), "{}", err(&o));
    }
    assert_eq!(std::fs::read_dir(&strict).unwrap().count(), 0);
    let o = nianbao(&[
        "export",
        &report("pingtan_2020_e1"),
        "--to",
        "xlsx",
        "--out-dir",
        strict.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(err(&o).contains("[A-02]"), "{}", err(&o));
    assert_eq!(std::fs::read_dir(&strict).unwrap().count(), 0);
}

#[test]
fn allow_silences_exactly_that_rule_and_the_levels_are_printed() {
    let f = report("fixture_city_2025");
    let (all, lints) = rules(&[&f]);
    assert_eq!(lints["levels"], serde_json::json!({}));
    assert!(all.iter().any(|(r, _)| r == "F-01"), "{all:?}");
    let (allowed, lints) = rules(&[&f, "--allow", "F-01"]);
    let rest: Vec<_> = all.iter().filter(|(r, _)| r != "F-01").cloned().collect();
    assert_eq!(allowed, rest);
    assert_eq!(lints["levels"], serde_json::json!({"F-01": "allow"}));
    // --deny makes a warning an error, exit 1; --strict likewise for every warning.
    let o = nianbao(&["validate", &f, "--deny", "A-05"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("错误 error [A-05]"), "{}", out(&o));
    let (strict, _) = rules(&[&f, "--strict"]);
    assert!(strict.iter().all(|(_, s)| s != "warning"), "{strict:?}");
    assert!(strict.iter().any(|(r, s)| r == "F-01" && s == "error"));
}

/// The importer's findings take levels like the rules: `--allow I-04` drops exactly the notes of
/// a web page's import, `--deny I-04` makes them errors (exit 1).
#[test]
fn import_findings_take_levels_like_the_rules() {
    let page = "tests/fixtures/import/shanghai_gov_office_2019.html";
    let (all, _) = rules(&[page]);
    assert!(
        all.iter().any(|(r, s)| r == "I-04" && s == "info"),
        "{all:?}"
    );
    let (allowed, lints) = rules(&[page, "--allow", "I-04"]);
    let rest: Vec<_> = all.iter().filter(|(r, _)| r != "I-04").cloned().collect();
    assert_eq!(allowed, rest);
    assert_eq!(lints["levels"], serde_json::json!({"I-04": "allow"}));
    let o = nianbao(&["validate", page, "--deny", "I-04"]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("错误 error [I-04]"), "{}", out(&o));
}

#[test]
fn a_configuration_file_gives_the_same_result_as_the_flags() {
    let dir = scratch("config");
    let f = dir.join("city.json");
    std::fs::copy(root().join(report("fixture_city_2025")), &f).unwrap();
    let flags = rules(&[f.to_str().unwrap(), "--allow", "F-01", "--deny", "A-05"]);
    let toml = "[lints]\n\"F-01\" = \"allow\"\n\"A-05\" = \"deny\"\n";
    let elsewhere = dir.join("policy.toml");
    std::fs::write(&elsewhere, toml).unwrap();
    let given = rules(&[f.to_str().unwrap(), "--config", elsewhere.to_str().unwrap()]);
    assert_eq!(given.0, flags.0);
    assert_eq!(given.1["levels"], flags.1["levels"]);
    assert!(given.1["config"].as_str().unwrap().ends_with("policy.toml"));
    // A nianbao.toml beside the input is found without --config.
    std::fs::write(dir.join("nianbao.toml"), toml).unwrap();
    let beside = rules(&[f.to_str().unwrap()]);
    assert_eq!(beside.0, flags.0);
    // export with the file: blocked by the denied A-05, as with --deny A-05.
    let o = nianbao(&[
        "export",
        f.to_str().unwrap(),
        "--to",
        "xlsx",
        "--out-dir",
        dir.join("o").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    // ...and the XLSX 校验 sheet records the levels (written with --allow-invalid).
    let o = nianbao(&[
        "export",
        f.to_str().unwrap(),
        "--allow-invalid",
        "--to",
        "xlsx",
        "--out-dir",
        dir.join("o").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let strings = member(&dir.join("o/city.xlsx"), "xl/sharedStrings.xml");
    assert!(
        strings.contains("<t>allow</t>") && strings.contains("<t>deny</t>"),
        "{strings}"
    );
    assert!(strings.contains("nianbao.toml"), "{strings}");
}

#[test]
fn unknown_rule_ids_are_errors_naming_the_valid_ones() {
    for args in [
        &["validate", "examples/potou-2023.json", "--deny", "Z-99"][..],
        &["export", "examples/potou-2023.json", "--allow", "F-1"],
        &[
            "collect",
            "examples",
            "-o",
            "target/test-out/cli_lints-x.xlsx",
            "--warn",
            "nope",
        ],
    ] {
        let o = nianbao(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let e = err(&o);
        assert!(
            e.contains("未知的规则") && e.contains("F-01") && e.contains("all-warnings"),
            "{e}"
        );
    }
    let dir = scratch("bad-config");
    let f = dir.join("bad.toml");
    std::fs::write(&f, "[lints]\n\"Q-01\" = \"deny\"\n").unwrap();
    let o = nianbao(&[
        "validate",
        "examples/potou-2023.json",
        "--config",
        f.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("Q-01") && err(&o).contains("bad.toml"),
        "{}",
        err(&o)
    );
}

#[test]
fn collect_applies_the_levels_to_its_findings() {
    let dir = scratch("collect-levels");
    let wide = |args: &[&str]| {
        let csv = dir.join("w.csv");
        let mut all = vec![
            "collect",
            "tests/fixtures/reports/fixture_city_2025.json",
            "-o",
        ];
        let x = dir.join("x.xlsx");
        all.push(x.to_str().unwrap());
        all.push("--csv-wide");
        all.push(csv.to_str().unwrap());
        all.extend_from_slice(args);
        let o = nianbao(&all);
        // --strict makes the warnings errors: the report is invalid, exit 1 (collected still).
        let code = if args.contains(&"--strict") { 1 } else { 0 };
        assert_eq!(o.status.code(), Some(code), "{}", err(&o));
        let text = std::fs::read_to_string(&csv).unwrap();
        let row: Vec<String> = text
            .lines()
            .nth(1)
            .unwrap()
            .split(',')
            .map(str::to_string)
            .collect();
        (row[6].clone(), row[7].clone())
    };
    let (e0, w0) = wide(&[]);
    assert_eq!(e0, "0");
    let (e1, w1) = wide(&["--strict"]);
    assert_eq!(e1, w0, "every warning became an error");
    assert_eq!(w1, "0");
}

#[test]
fn validate_summary_counts_by_agency_rule_and_severity() {
    let o = nianbao(&[
        "validate",
        "--summary",
        &report("fixture_city_2025"),
        &report("shuyang_fgj_2023"),
        &report("pingtan_2020_e1"),
        "tests/fixtures/import/fixture_city_2025.html",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let text = out(&o);
    let city = text
        .lines()
        .find(|l| l.starts_with("测试市"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(city.contains("2 份报告"), "{city}");
    assert!(city.contains("F-01 warning 2"), "{city}");
    assert!(text.lines().any(|l| l.contains("A-02 error")), "{text}");
    assert!(
        !text.contains("@ applications"),
        "no per-finding lines: {text}"
    );
    let o = nianbao(&[
        "validate",
        "--summary",
        "--format",
        "json",
        &report("fixture_city_2025"),
        "--allow",
        "F-01",
    ]);
    let v: Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(v["agencies"][0]["reports"], 1);
    assert!(v["agencies"][0]["rules"].get("F-01").is_none());
    assert!(
        v["agencies"][0]["rules"]["A-05"]["warning"].as_u64() == Some(1),
        "{v}"
    );
    assert_eq!(v["lints"]["levels"]["F-01"], "allow");
}

#[test]
fn new_writes_a_blank_docx_in_the_filing_layout() {
    let dir = scratch("new-docx");
    let f = dir.join("blank.docx");
    let o = nianbao(&[
        "new",
        "--agency",
        "某县某局",
        "--year",
        "2025",
        "--to",
        "docx",
        "-o",
        f.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let xml = member(&f, "word/document.xml");
    assert!(xml.contains("某县某局"), "agency in the title");
    assert!(xml.contains("<w:tbl>"), "the statutory tables");
    assert!(xml.contains(">0<"), "all-zero cells");
    // The placeholder prose of the template, as in the JSON `new` writes.
    let o = nianbao(&["new", "--agency", "某县某局", "--year", "2025"]);
    let v: Value = serde_json::from_str(&out(&o)).unwrap();
    let first = v["overview"][0].as_str().unwrap();
    let probe: String = first.chars().take(8).collect();
    assert!(xml.contains(&probe), "{probe}");
    // --to json is the default and a bad value is a usage error.
    let o = nianbao(&["new", "--agency", "x", "--year", "2025", "--to", "odt"]);
    assert_eq!(o.status.code(), Some(2));
}
