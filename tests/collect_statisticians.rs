//! `nianbao collect` as statisticians use it (issue 12 items 9–13, issue 15 item 3): the CSV
//! bytes, duplicates and conflicts, tidy columns, the roster of who is missing, the 考核 sheet.
//! Each test reads the real files back (the CSV bytes, openpyxl).

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

fn fresh(tag: &str) -> PathBuf {
    let dir = common::root().join("target/test-out").join(tag);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(args: &[&str]) -> Output {
    common::nianbao(args)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs a Python snippet with the test venv (argv[1..] = `args`), returning its JSON output.
fn py(dir: &Path, name: &str, code: &str, args: &[&Path]) -> Value {
    common::python_json(dir, name, code, args)
}

/// Item 9: the CSVs are UTF-8 with BOM by default (Excel on Chinese Windows reads them as
/// UTF-8), and `--csv-encoding utf-8|gb18030` gives the other two encodings.
#[test]
fn csv_encodings() {
    let dir = fresh("collect_csv_encoding");
    let agency = "示例县人民政府办公室";
    let csv = |enc: Option<&str>| -> (Vec<u8>, Vec<u8>) {
        let tag = enc.unwrap_or("default");
        let wide = dir.join(format!("wide-{tag}.csv"));
        let long = dir.join(format!("long-{tag}.csv"));
        let xlsx = dir.join(format!("c-{tag}.xlsx"));
        let mut args = vec![
            "collect",
            "examples/demo-city-2024.json",
            "-o",
            xlsx.to_str().unwrap(),
            "--csv-wide",
            wide.to_str().unwrap(),
            "--csv-long",
            long.to_str().unwrap(),
        ];
        if let Some(e) = enc {
            args.extend(["--csv-encoding", e]);
        }
        let out = run(&args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        (std::fs::read(wide).unwrap(), std::fs::read(long).unwrap())
    };
    let report = nianbao::Report::from_json(
        &std::fs::read_to_string(common::root().join("examples/demo-city-2024.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(report.agency, agency);
    let (wide, long) = csv(None);
    for bytes in [&wide, &long] {
        assert_eq!(bytes[..3], [0xEF, 0xBB, 0xBF], "no UTF-8 BOM");
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        assert!(text.starts_with("file,"), "{}", &text[..20]);
        assert!(text.contains(agency));
    }
    let (wide8, _) = csv(Some("utf-8"));
    assert_eq!(wide8, wide[3..]);
    let (wide_gb, long_gb) = csv(Some("gb18030"));
    for (gb, utf) in [(&wide_gb, &wide), (&long_gb, &long)] {
        let (text, _, bad) = encoding_rs::GB18030.decode(gb);
        assert!(!bad);
        assert_eq!(text.as_bytes(), &utf[3..]);
        assert!(
            gb.windows(4).any(|w| w == [0xCA, 0xBE, 0xC0, 0xFD]),
            "示例 not in GB 18030"
        );
    }
    let out = run(&[
        "collect",
        "examples/demo-city-2024.json",
        "-o",
        dir.join("x.xlsx").to_str().unwrap(),
        "--csv-encoding",
        "latin1",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("gb18030"), "{}", stderr(&out));
}

const READ_PY: &str = r#"
import json, sys, openpyxl
path = sys.argv[1]
wf = openpyxl.load_workbook(path)
wv = openpyxl.load_workbook(path, data_only=True)
def table(name):
    ws = wv[name]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    head = rows[0]
    out = []
    for r in rows[1:]:
        if all(v is None for v in r):
            break
        out.append(dict(zip(head, r)))
    return out
ws, vs = wf["汇总"], wv["汇总"]
keys = [c.value for c in ws[2]]
data, totals, note = [], [], None
for r in range(3, ws.max_row + 1):
    a = ws.cell(r, 1).value
    if isinstance(a, str) and a.startswith("合计"):
        totals.append({"label": a, "year": vs.cell(r, 3).value, "format": vs.cell(r, 4).value,
                       "values": {k: vs.cell(r, i + 1).value for i, k in enumerate(keys) if i >= 8},
                       "formula": ws.cell(r, 9).value})
    elif isinstance(a, str) and a.startswith("说明"):
        note = a
    elif a is not None:
        data.append({k: vs.cell(r, i + 1).value for i, k in enumerate(keys)})
out = {"sheets": wf.sheetnames, "data": data, "totals": totals, "note": note,
       "long": len(table("长表")), "findings": table("校验"), "review": table("考核"),
       "duplicates": table("重复")}
if "缺报名单" in wf.sheetnames:
    out["roster"] = table("缺报名单")
print(json.dumps(out, ensure_ascii=False, default=str))
"#;

/// Items 10 and 13, issue 15 item 3: the same report in two folders is counted once; a report of
/// the same agency (written with other spaces and brackets) and year with other numbers is a
/// conflict, kept and reported; totals are summed only within one year and format; the roster
/// lists who has not reported and who is not on it; the 考核 sheet counts each report's
/// findings by severity and rule, as the 校验 sheet lists them.
#[test]
fn duplicates_conflicts_roster_and_review() {
    let dir = fresh("collect_duplicates");
    let city =
        std::fs::read_to_string(common::root().join("examples/demo-city-2024.json")).unwrap();
    for sub in ["a", "b", "c"] {
        std::fs::create_dir_all(dir.join("in").join(sub)).unwrap();
    }
    std::fs::write(dir.join("in/a/city.json"), &city).unwrap();
    std::fs::write(dir.join("in/b/city-copy.json"), &city).unwrap();
    // The same agency, spaced and bracketed otherwise, with one number changed: a conflict.
    let mut v: Value = serde_json::from_str(&city).unwrap();
    v["agency"] = Value::from(" 示例县人民政府办公室 ");
    let cell = &mut v["applications"]["new_received"]["natural_person"];
    let natural = cell.as_i64().unwrap();
    *cell = Value::from(natural + 5);
    std::fs::write(
        dir.join("in/c/city-other.json"),
        serde_json::to_string(&v).unwrap(),
    )
    .unwrap();
    std::fs::copy(
        common::root().join("examples/demo-2019.json"),
        dir.join("in/c/y2019.json"),
    )
    .unwrap();
    let roster = dir.join("roster.txt");
    std::fs::write(
        &roster,
        "# 应报机关\n示例县人民政府办公室\n\n示例县（测试）局\n示例县 财政局\n",
    )
    .unwrap();
    let xlsx = dir.join("c.xlsx");
    let out = run(&[
        "collect",
        dir.join("in").to_str().unwrap(),
        "-o",
        xlsx.to_str().unwrap(),
        "--roster",
        roster.to_str().unwrap(),
    ]);
    let err = stderr(&out);
    // One report has validation errors: exit 1, the worst outcome of the batch.
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("1 invalid"), "{err}");
    assert!(
        err.contains("city-copy.json: 重复报告") && err.contains("city-other.json: 冲突"),
        "{err}"
    );
    assert!(
        err.contains("重复 1 份") && err.contains("冲突 1 份") && err.contains("分 2 组"),
        "{err}"
    );
    assert!(
        err.contains("2024 年未报送 2 个机关") && err.contains("示例县（测试）局、示例县 财政局"),
        "{err}"
    );
    assert!(err.contains("2019 年未报送 3 个机关"), "{err}");
    assert!(
        err.contains("y2019.json: 示例市人民政府（2019 年）不在名单中"),
        "{err}"
    );
    let got = py(&dir, "read.py", READ_PY, &[&xlsx]);
    // Counted once: three rows (city, the conflicting copy, 2019), 3 reports' cells in 长表.
    let data = got["data"].as_array().unwrap();
    assert_eq!(data.len(), 3, "rows on 汇总");
    let key = "applications.new_received.natural_person";
    let totals = got["totals"].as_array().unwrap();
    assert_eq!(totals.len(), 2, "{totals:?}");
    let by_year = |y: i64| {
        totals
            .iter()
            .find(|t| t["year"].as_i64() == Some(y))
            .unwrap_or_else(|| panic!("no 合计 row for {y}: {totals:?}"))
    };
    let t2024 = by_year(2024);
    assert_eq!(t2024["format"], "2021");
    assert_eq!(
        t2024["values"][key].as_f64(),
        Some((2 * natural + 5) as f64)
    );
    assert!(
        t2024["formula"].as_str().unwrap().starts_with("=SUMIFS("),
        "{t2024}"
    );
    let t2019 = by_year(2019);
    let y2019: Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("examples/demo-2019.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        t2019["values"][key].as_f64(),
        y2019["applications"]["new_received"]["natural_person"].as_f64()
    );
    assert!(
        got["note"]
            .as_str()
            .unwrap()
            .contains("合计仅在同一年度、同一格式"),
        "{}",
        got["note"]
    );
    // 重复.
    let dups = got["duplicates"].as_array().unwrap();
    assert_eq!(dups.len(), 2, "{dups:?}");
    assert_eq!(dups[0]["kind"], "duplicate");
    assert!(dups[0]["file"]
        .as_str()
        .unwrap()
        .ends_with("city-copy.json"));
    assert!(dups[0]["first_file"]
        .as_str()
        .unwrap()
        .ends_with("a/city.json"));
    assert_eq!(dups[1]["kind"], "conflict");
    assert!(dups[1]["differing"].as_str().unwrap().contains(key));
    // 缺报名单.
    let roster: Vec<(i64, String, String)> = got["roster"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["year"].as_i64().unwrap(),
                r["status"].as_str().unwrap().to_string(),
                r["agency"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = |y: i64, s: &str, a: &str| (y, s.to_string(), a.to_string());
    assert_eq!(
        roster,
        [
            want(2019, "missing", "示例县人民政府办公室"),
            want(2019, "missing", "示例县（测试）局"),
            want(2019, "missing", "示例县 财政局"),
            want(2024, "missing", "示例县（测试）局"),
            want(2024, "missing", "示例县 财政局"),
            want(2019, "not_on_roster", "示例市人民政府"),
        ]
    );
    // 考核: one row per report kept; counts equal the 校验 sheet's findings of that file.
    let review = got["review"].as_array().unwrap();
    assert_eq!(review.len(), 3);
    let findings = got["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for row in review {
        let file = row["file"].as_str().unwrap();
        let mine: Vec<&Value> = findings.iter().filter(|f| f["file"] == file).collect();
        for sev in ["error", "warning", "info"] {
            let n = mine.iter().filter(|f| f["severity"] == sev).count();
            assert_eq!(row[sev].as_f64(), Some(n as f64), "{file} {sev}");
        }
        for f in &mine {
            let rule = f["rule"].as_str().unwrap();
            let n = mine.iter().filter(|g| g["rule"] == rule).count();
            assert_eq!(row[rule].as_f64(), Some(n as f64), "{file} {rule}");
        }
    }
    // An unreadable roster: exit 2 naming it, nothing written.
    let missing = dir.join("no-roster.txt");
    let out2 = dir.join("c2.xlsx");
    let out = run(&[
        "collect",
        dir.join("in").to_str().unwrap(),
        "-o",
        out2.to_str().unwrap(),
        "--roster",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("no-roster.txt"), "{}", stderr(&out));
    assert!(!out2.exists());
}

const TIDY_PY: &str = r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
def rows(name):
    ws = wb[name]
    it = ws.iter_rows(values_only=True)
    head = next(it)
    return head, [dict(zip(head, r)) for r in it if any(v is not None for v in r)]
lh, long = rows("长表")
ch, checks = rows("校验")
ws = wb["汇总"]
keys = [c.value for c in ws[2]]
wide = [{k: ws.cell(r, i + 1).value for i, k in enumerate(keys)} for r in (3, 4)]
print(json.dumps({"long_head": lh, "long": long, "checks": checks, "wide": wide}, ensure_ascii=False, default=str))
"#;

/// Item 11: the long sheet and CSV carry level, table_name, row_order and column_order (sorting
/// by row_order gives 表二, 表三, 表四 as printed); the 校验 sheet holds expected/actual as numbers;
/// the wide sheet and CSV show `—` for a cell that does not exist in a report's format and
/// leave a blank cell empty.
#[test]
fn tidy_columns_for_pivots() {
    let dir = fresh("collect_tidy");
    // A blank cell of its own format: the 2019 report leaves one cell out.
    let mut v: Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("examples/demo-2019.json")).unwrap(),
    )
    .unwrap();
    v["applications"]["granted"]["research"] = Value::Null;
    let y2019 = dir.join("y2019.json");
    std::fs::write(&y2019, serde_json::to_string(&v).unwrap()).unwrap();
    let xlsx = dir.join("t.xlsx");
    let long = dir.join("long.csv");
    let wide = dir.join("wide.csv");
    let out = run(&[
        "collect",
        "examples/demo-city-2024.json",
        y2019.to_str().unwrap(),
        "-o",
        xlsx.to_str().unwrap(),
        "--csv-long",
        long.to_str().unwrap(),
        "--csv-wide",
        wide.to_str().unwrap(),
        "--csv-encoding",
        "utf-8",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got = py(&dir, "tidy.py", TIDY_PY, &[&xlsx]);
    let head: Vec<&str> = got["long_head"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap())
        .collect();
    for k in ["level", "table_name", "row_order", "column_order"] {
        assert!(head.contains(&k), "{k} not in {head:?}");
    }
    let csv = std::fs::read_to_string(&long).unwrap();
    assert_eq!(
        csv.lines().next().unwrap().split(',').collect::<Vec<_>>(),
        head
    );
    // Sorting one report's cells by (row_order, column_order) gives the tables as printed.
    let mut city: Vec<&Value> = got["long"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["year"] == 2024)
        .collect();
    assert!(city
        .iter()
        .all(|r| r["row_order"].is_number() && r["level"] == "department"));
    city.sort_by_key(|r| {
        (
            r["row_order"].as_i64().unwrap(),
            r["column_order"].as_i64().unwrap(),
        )
    });
    let mut tables: Vec<&str> = city
        .iter()
        .map(|r| r["table_name"].as_str().unwrap())
        .collect();
    tables.dedup();
    assert_eq!(tables, ["表二", "表三", "表四"]);
    // 校验: expected/actual are numbers where the finding compares numbers.
    let checks = got["checks"].as_array().unwrap();
    let numeric = checks
        .iter()
        .filter(|f| !f["expected"].is_null())
        .collect::<Vec<_>>();
    assert!(!numeric.is_empty(), "no finding with an expected value");
    for f in checks {
        for k in ["expected", "actual"] {
            let text_number = f[k].as_str().is_some_and(|t| t.parse::<f64>().is_ok());
            assert!(!text_number, "{k} stored as text: {f}");
        }
    }
    assert!(numeric.iter().any(|f| f["expected"].is_number()));
    // Wide: `—` where the format has no such cell, empty where the report left it blank.
    let w = got["wide"].as_array().unwrap();
    let (city_row, old_row) = if w[0]["year"] == 2024 {
        (&w[0], &w[1])
    } else {
        (&w[1], &w[0])
    };
    assert_eq!(old_row["proactive.regulations.issued"], "—");
    assert_eq!(city_row["proactive.regulations.produced"], "—");
    assert!(old_row["applications.granted.research"].is_null());
    assert!(city_row["proactive.regulations.issued"].is_number());
    let wide = std::fs::read_to_string(&wide).unwrap();
    let mut lines = wide.lines();
    let keys: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = |k: &str| keys.iter().position(|x| *x == k).unwrap();
    let line2019 = lines.find(|l| l.contains(",2019,")).unwrap();
    let f: Vec<&str> = line2019.split(',').collect();
    assert_eq!(f[at("proactive.regulations.issued")], "—");
    assert_eq!(f[at("applications.granted.research")], "");
}
