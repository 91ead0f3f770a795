//! `nianbao import` on the command line: exit codes (0 every statutory cell read, 1 some not,
//! 2 not a report), standard input, `-o` and `--out-dir` (names from content made safe),
//! `--clean` on a JSON input, and the shape of `--log-format json`.

mod common;

use common::{nianbao, root};
use serde_json::Value;
use std::path::PathBuf;

fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target/test-out/cli_import").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn err(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn fixture(name: &str) -> String {
    format!("tests/fixtures/import/{name}")
}

fn read_json(p: &std::path::Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

#[test]
fn a_complete_page_imports_with_exit_zero_and_the_cells_of_the_transcription() {
    let dir = scratch("complete");
    let out = dir.join("city.json");
    let o = nianbao(&[
        "import",
        &fixture("fixture_city_2025.html"),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let got = read_json(&out);
    let want = read_json(&root().join("tests/fixtures/reports/fixture_city_2025.json"));
    for t in ["proactive", "applications", "review_litigation"] {
        assert_eq!(got[t], want[t], "table {t}");
    }
    assert!(err(&o).contains("every statutory cell read"), "{}", err(&o));
}

#[test]
fn run_together_digits_not_split_are_null_and_exit_one() {
    let dir = scratch("incomplete");
    let out = dir.join("p.json");
    let o = nianbao(&[
        "import",
        &fixture("pingtan_2019.txt"),
        "--year",
        "2019",
        "-o",
        out.to_str().unwrap(),
    ]);
    let e = err(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("[I-01]"), "{e}");
    assert!(
        e.contains("statutory cells not read, written as null"),
        "{e}"
    );
    // Written all the same, with the unread cells null.
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("null"), "{text}");
    let o = nianbao(&["validate", out.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("[F-04]"));
}

#[test]
fn standard_input_is_read_with_a_dash_and_written_to_standard_output() {
    let page = std::fs::read(root().join(fixture("shuyang_fgj_2023.html"))).unwrap();
    let o = common::nianbao_stdin(&["import", "-"], &page);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let v: Value = serde_json::from_slice(&o.stdout).expect("report JSON on stdout");
    assert_eq!(v["year"], 2023);
    assert_eq!(v["agency"], "沭阳县发展和改革局");
}

#[test]
fn out_dir_names_outputs_by_stem_and_standard_input_by_agency_and_year() {
    let dir = scratch("outdir");
    let o = nianbao(&[
        "import",
        &fixture("fixture_city_2025.html"),
        &fixture("pingtan_2023.html"),
        "--out-dir",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(dir.join("fixture_city_2025.json").is_file());
    assert!(dir.join("pingtan_2023.json").is_file());
    // From standard input the name comes from the content, made safe: a hostile agency
    // cannot leave the folder.
    let page = std::fs::read(root().join(fixture("fixture_city_2025.html"))).unwrap();
    let o = common::nianbao_stdin(
        &[
            "import",
            "-",
            "--agency",
            "../../逃逸/机关",
            "--out-dir",
            dir.to_str().unwrap(),
        ],
        &page,
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    let made = names
        .iter()
        .find(|n| n.contains("机关"))
        .unwrap_or_else(|| panic!("{names:?}"));
    assert!(
        made.ends_with("-2025.json") && !made.contains('/'),
        "{made}"
    );
    assert!(!root().join("target/test-out/逃逸").exists());
}

#[test]
fn clean_works_on_a_json_input() {
    let dir = scratch("clean");
    let out = dir.join("clean.json");
    let o = nianbao(&[
        "import",
        "examples/potou-2023.json",
        "--clean",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let before = read_json(&root().join("examples/potou-2023.json"));
    let after = read_json(&out);
    let text = after.to_string();
    assert!(!text.contains("(kāi)") && !text.contains('區'), "{text}");
    assert!(before.to_string().contains("(kāi)"));
    for t in ["proactive", "applications", "review_litigation"] {
        assert_eq!(before[t], after[t], "numbers unchanged in {t}");
    }
    // Without --clean the JSON passes through as read.
    let o = nianbao(&["import", "examples/potou-2023.json"]);
    assert_eq!(o.status.code(), Some(0));
    let same: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(same, before);
}

#[test]
fn not_a_report_or_binary_exits_two_naming_the_file_and_the_rest_are_written() {
    let dir = scratch("bad");
    let prose = dir.join("notes.txt");
    std::fs::write(&prose, "今天天气很好。\n没有任何表格。\n").unwrap();
    let junk = dir.join("junk.bin");
    std::fs::write(&junk, [0u8, 159, 146, 150, 0, 1, 2, 3, 255, 0].repeat(50)).unwrap();
    let out = dir.join("out");
    let o = nianbao(&[
        "import",
        prose.to_str().unwrap(),
        junk.to_str().unwrap(),
        &fixture("fixture_city_2025.html"),
        "--out-dir",
        out.to_str().unwrap(),
    ]);
    let e = err(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(e.contains("notes.txt: 不是政府信息公开工作年度报告"), "{e}");
    assert!(e.contains("junk.bin: 无法读取"), "{e}");
    assert!(out.join("fixture_city_2025.json").is_file());
    assert!(!out.join("notes.json").exists() && !out.join("junk.json").exists());
}

#[test]
fn the_log_as_json_has_one_record_per_input() {
    let dir = scratch("logjson");
    let o = nianbao(&[
        "import",
        &fixture("pingtan_2019.txt"),
        &fixture("fixture_city_2025.html"),
        "--year",
        "2019",
        "--out-dir",
        dir.to_str().unwrap(),
        "--log-format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let v: Value = serde_json::from_slice(&o.stderr).expect("stderr is one JSON document");
    let records = v.as_array().unwrap();
    assert_eq!(records.len(), 2);
    let p = &records[0];
    assert_eq!(p["input"], fixture("pingtan_2019.txt"));
    assert_eq!(p["status"], "incomplete");
    assert_eq!(p["kind"], "text");
    assert_eq!(p["format"], "2019");
    assert!(p["output"].as_str().unwrap().ends_with("pingtan_2019.json"));
    assert!(p["counts"]["unread"].as_u64().unwrap() > 0, "{p}");
    let entry = &p["log"]["entries"][0];
    for key in ["kind", "path", "cell", "source", "message"] {
        assert!(entry.get(key).is_some(), "{key} in {entry}");
    }
    assert_eq!(records[1]["status"], "complete");
    assert_eq!(records[1]["kind"], "html");
    assert!(records[1]["error"].is_null());
}

#[test]
fn output_options_that_do_not_fit_are_usage_errors() {
    let o = nianbao(&[
        "import",
        &fixture("fixture_city_2025.html"),
        &fixture("pingtan_2023.html"),
        "-o",
        "x.json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("--output"), "{}", err(&o));
    let o = nianbao(&[
        "import",
        &fixture("fixture_city_2025.html"),
        &fixture("pingtan_2023.html"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("--out-dir"), "{}", err(&o));
    let o = nianbao(&["import", "examples/potou-2023.json", "--from", "odt"]);
    assert_eq!(o.status.code(), Some(2));
    // An output that names the input is refused and the input left alone.
    let dir = scratch("self");
    let f = dir.join("r.json");
    std::fs::copy(root().join("examples/potou-2023.json"), &f).unwrap();
    let before = std::fs::read(&f).unwrap();
    let o = nianbao(&[
        "import",
        f.to_str().unwrap(),
        "--clean",
        "-o",
        f.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert_eq!(std::fs::read(&f).unwrap(), before);
}
