//! `nianbao collect` over 200 generated reports (plus one broken file): the wide sheet has one
//! row per report and its live totals equal the sums computed here, independently, from the
//! generated reports; the broken file is reported and listed, and the exit code is 1.

mod common;
#[path = "collect_gen.rs"]
mod gen;

use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::str::FromStr;

const N: u64 = 200;

const READ_PY: &str = r#"
import json, sys, openpyxl
path = sys.argv[1]
wf = openpyxl.load_workbook(path)
wv = openpyxl.load_workbook(path, data_only=True)
ws, vs = wf["汇总"], wv["汇总"]
keys = [c.value for c in ws[2]]
rows = 0
total_row = None
for r in range(3, ws.max_row + 1):
    if ws.cell(r, 1).value == "合计":
        total_row = r
        break
    rows += 1
totals, formulas = {}, {}
for i, k in enumerate(keys):
    if total_row and i >= 8:
        totals[k] = None if vs.cell(total_row, i + 1).value is None else str(vs.cell(total_row, i + 1).value)
        formulas[k] = ws.cell(total_row, i + 1).value
skipped = [[c.value for c in row] for row in wf["未读入"].iter_rows(min_row=2)]
print(json.dumps({"keys": keys, "rows": rows, "total_row": total_row, "totals": totals,
                  "formulas": formulas, "skipped": skipped, "sheets": wf.sheetnames}, ensure_ascii=False))
"#;

fn expected_totals(reports: &[nianbao::Report]) -> BTreeMap<String, Decimal> {
    let mut t = BTreeMap::new();
    for r in reports {
        for (table, row, col, v) in gen::cells(r) {
            let e = t
                .entry(format!("{table}.{row}.{col}"))
                .or_insert(Decimal::ZERO);
            if let Some(v) = v {
                *e += v.to_decimal();
            }
        }
    }
    t
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s)
        .or_else(|_| Decimal::from_scientific(s))
        .unwrap_or_else(|_| panic!("not a number: {s}"))
}

#[test]
fn collect_200_reports() {
    let dir = common::root().join("target/test-out/collect_many");
    let _ = std::fs::remove_dir_all(&dir);
    let input = dir.join("in");
    let mut reports = Vec::new();
    for i in 0..N {
        let r = gen::report(i);
        let sub = input.join(format!("county{}", i % 3));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join(format!("r{i:03}.json")), r.to_json_string()).unwrap();
        reports.push(r);
    }
    std::fs::write(input.join("bad.json"), "{\"format\": \"2021\", ").unwrap();
    std::fs::write(input.join("notes.txt"), "not a report").unwrap();
    let xlsx = dir.join("summary.xlsx");
    let wide = dir.join("wide.csv");
    let long = dir.join("long.csv");
    let out = common::nianbao(&[
        "collect",
        input.to_str().unwrap(),
        "-o",
        xlsx.to_str().unwrap(),
        "--csv-wide",
        wide.to_str().unwrap(),
        "--csv-long",
        long.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "one file unreadable → exit 2 (the worst outcome of a batch): {stderr}"
    );
    assert!(
        stderr.contains("bad.json"),
        "skipped file not reported: {stderr}"
    );
    let expected = expected_totals(&reports);

    // The wide CSV: 200 rows, column sums equal the independent totals.
    let text = std::fs::read_to_string(&wide).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), N as usize);
    for (key, want) in &expected {
        let i = header
            .iter()
            .position(|h| h == key)
            .unwrap_or_else(|| panic!("no column {key}"));
        let got: Decimal = rows
            .iter()
            .filter(|r| !r[i].is_empty())
            .map(|r| dec(r[i]))
            .sum();
        assert_eq!(got, *want, "CSV column {key}");
    }
    let long_lines = std::fs::read_to_string(&long).unwrap().lines().count();
    let cells: usize = reports.iter().map(|r| gen::cells(r).len()).sum();
    assert_eq!(long_lines, cells + 1);

    // The workbook, read by openpyxl.
    let Some(py) = common::python() else { return };
    let run = Command::new(py)
        .arg("-c")
        .arg(READ_PY)
        .arg(&xlsx)
        .output()
        .unwrap();
    common::assert_success(&run);
    let v: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(v["rows"], N, "wide sheet rows");
    assert_eq!(
        v["sheets"],
        serde_json::json!(["汇总", "长表", "校验", "考核", "重复", "未读入"])
    );
    let total_row = v["total_row"].as_u64().unwrap();
    assert_eq!(total_row, N + 3);
    for (key, want) in &expected {
        let got = v["totals"][key]
            .as_str()
            .unwrap_or_else(|| panic!("no total for {key}"));
        assert_eq!(dec(got), *want, "cached total {key}");
        let f = v["formulas"][key].as_str().unwrap();
        assert!(
            f.starts_with("=SUM(")
                && f.ends_with(&format!("3:{}{})", &f[5..f.find('3').unwrap()], N + 2)),
            "{key}: {f}"
        );
    }
    // The folder walk reads crawler text too: notes.txt is read, found not to be a report and
    // listed with the broken JSON.
    let skipped = v["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 2);
    assert!(skipped[0][0].as_str().unwrap().ends_with("bad.json"));
    assert!(skipped[1][0].as_str().unwrap().ends_with("notes.txt"));
    assert!(skipped[1][1]
        .as_str()
        .unwrap()
        .contains("不是政府信息公开工作年度报告"));

    // LibreOffice, recalculating on load, gets the same totals.
    if let Some(csv) = libreoffice_summary(&dir, &xlsx) {
        let text = std::fs::read_to_string(csv).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let keys: Vec<&str> = lines[1].split(',').collect();
        let totals: Vec<&str> = lines
            .iter()
            .find(|l| l.starts_with("合计"))
            .expect("totals row")
            .split(',')
            .collect();
        for (key, want) in &expected {
            let i = keys.iter().position(|k| k == key).unwrap();
            assert_eq!(dec(totals[i]), *want, "LibreOffice total {key}");
        }
    }
}

fn libreoffice_summary(dir: &Path, xlsx: &Path) -> Option<std::path::PathBuf> {
    let profile = dir.join("lo-recalc");
    common::recalc_profile(&profile);
    let out = dir.join("csv");
    common::soffice_convert(
        &profile,
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,1",
        &out,
        &[xlsx.to_path_buf()],
    )?;
    let stem = xlsx.file_stem().unwrap().to_string_lossy().to_string();
    // Sheet number 1 exports to <stem>.csv (or <stem>-汇总.csv, depending on the version).
    [format!("{stem}.csv"), format!("{stem}-汇总.csv")]
        .iter()
        .map(|n| out.join(n))
        .find(|p| p.exists())
        .or_else(|| panic!("LibreOffice wrote no CSV in {}", out.display()))
}

/// What a batch collection keeps per report until the workbook is written stays small (issue
/// 14: peak memory flat as the batch grows): the cell labels are one table per shape, shared,
/// and each report holds only its values (250 of them, a few KB), where it used to hold ~250
/// owned records of eight strings each (~60 KB).
#[test]
fn each_report_keeps_its_values_and_shares_the_labels() {
    let dir = common::root().join("target/test-out/collect_many_memory");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let lints = nianbao::lint::LintPolicy::new();
    let entries: Vec<nianbao::collect::Entry> = (0..20u64)
        .map(|i| {
            let p = dir.join(format!("r{i:02}.json"));
            std::fs::write(&p, gen::report(i).to_json_string()).unwrap();
            nianbao::collect::read_input(&p, &lints).unwrap().0
        })
        .collect();
    let first = &entries[0].cells;
    assert!(first.len() >= 200, "{} cells", first.len());
    for e in &entries {
        // One label table for every report of the shape (all generated reports share it).
        assert!(e.cells.same_labels(first), "{}: labels copied", e.file);
        let own = e.cells.own_heap_bytes();
        let per_cell = std::mem::size_of::<Option<nianbao::Number>>();
        assert!(
            own <= e.cells.len() * per_cell && own <= 8 * 1024,
            "{}: {own} bytes of values for {} cells",
            e.file,
            e.cells.len()
        );
        // The prose and table data are dropped: the report kept is its metadata.
        assert!(e.report.overview.is_empty() && e.report.applications.cells.is_empty());
    }
    // Each report's values are its own.
    assert_ne!(entries[0].cells.values(), entries[1].cells.values());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Peak resident set (KiB) of one `nianbao collect` of `n` generated reports into a workbook
/// and both CSVs, one job, under GNU time.
fn collect_peak_rss(dir: &Path, n: u64) -> u64 {
    let input = dir.join(format!("in{n}"));
    std::fs::create_dir_all(&input).unwrap();
    for i in 0..n {
        let p = input.join(format!("r{i:04}.json"));
        std::fs::write(p, gen::report(i).to_json_string()).unwrap();
    }
    let out = dir.join(format!("out{n}"));
    std::fs::create_dir_all(&out).unwrap();
    let stats = out.join("time.txt");
    let status = std::process::Command::new(common::require_tool("time"))
        .arg("-o")
        .arg(&stats)
        .args(["-f", "%M"])
        .arg(env!("CARGO_BIN_EXE_nianbao"))
        .args(["collect", "--jobs", "1", "-o"])
        .arg(out.join("x.xlsx"))
        .arg("--csv-long")
        .arg(out.join("l.csv"))
        .arg("--csv-wide")
        .arg(out.join("w.csv"))
        .arg(&input)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("run GNU time");
    assert!(status.success(), "collect of {n} reports failed");
    let text = std::fs::read_to_string(&stats).unwrap();
    text.lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or_else(|| panic!("no peak RSS in {text:?}"))
}

/// Issue 14: `collect`'s memory stays flat as the batch grows, CSVs included. The CSVs stream
/// line by line and the workbook's sheets row by row to temporary files, and the workbook is
/// saved straight to its file, so the peak grows by each report's values and shared strings
/// only (measured 10.9 KiB a report; 27.7 with the workbook built in memory, 52.4 with the
/// long CSV held as text, about 120 with both CSVs and the workbook held at once as before).
/// Bound: 25 KiB a report between 20 and 300 reports.
#[test]
fn collect_peak_memory_grows_little_with_the_batch() {
    let dir = common::root().join("target/test-out/collect_memory");
    let _ = std::fs::remove_dir_all(&dir);
    let small = collect_peak_rss(&dir, 20);
    let large = collect_peak_rss(&dir, 300);
    let per_report = large.saturating_sub(small) as f64 / 280.0;
    println!("collect peak RSS: 20 reports {small} KiB, 300 reports {large} KiB: {per_report:.1} KiB a report");
    assert!(
        per_report <= 25.0,
        "peak RSS {small} KiB for 20 reports, {large} KiB for 300: {per_report:.1} KiB more a report (bound 25)"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
