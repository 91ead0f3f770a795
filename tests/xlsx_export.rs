//! The XLSX export read back by real clients: openpyxl (merges equal the layout grid, every
//! number, sums included, equals the published JSON value, every cached formula result equals
//! what the formula computes) and LibreOffice with a profile that forces recalculation on load
//! (recalculated == cached). On every example and fixture, every rule instance's check cell,
//! cached and recalculated, equals validate's verdict (blank while a cell is blank), and a
//! report with a broken 勾稽 rule shows FALSE in the matching check cell.

mod common;

use nianbao::layout::{self, Block, Content};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Grid row 0 is sheet row 2 (row 1 holds the title); documented in docs/xlsx.md.
const FIRST_GRID_ROW: usize = 2;

fn a1(row1: usize, col0: usize) -> String {
    let mut c = col0;
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    format!("{}{}", String::from_utf8(s).unwrap(), row1)
}

/// What the layout model and validation say each table sheet must hold: the published numbers
/// (sum cells included), the merges, and for every rule instance the verdict of `validate`
/// (`TRUE`, `FALSE`, or blank while a cell it reads is blank).
fn expectations(json_path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(json_path).unwrap();
    let report = nianbao::Report::from_json(&text).unwrap();
    let findings = nianbao::validate::validate(&report, None);
    let doc = layout::build(&report);
    let mut sheets = Vec::new();
    for b in &doc.blocks {
        let Block::Table(t) = b else { continue };
        let Some(name) = &t.name else { continue };
        let mut merges = Vec::new();
        let mut inputs = serde_json::Map::new();
        let mut paths = serde_json::Map::new();
        for (ri, row) in t.rows.iter().enumerate() {
            let r = FIRST_GRID_ROW + ri;
            for c in &row.cells {
                if c.row_span > 1 || c.col_span > 1 {
                    merges.push(format!(
                        "{}:{}",
                        a1(r, c.col),
                        a1(r + c.row_span - 1, c.col + c.col_span - 1)
                    ));
                }
                if let Content::Number(n) = &c.content {
                    // The JSON value itself (not the layout's copy) is what must arrive.
                    let v = report
                        .table(&n.key.table)
                        .and_then(|d| d.value(&n.key.row, &n.key.column))
                        .map(|v| serde_json::from_str::<Value>(&v.to_string()).unwrap())
                        .unwrap_or(Value::Null);
                    inputs.insert(a1(r, c.col), v);
                    paths.insert(a1(r, c.col), json!(n.key.path()));
                }
            }
        }
        // Every rule instance: the cells it reads and validate's verdict.
        let checks: Vec<Value> = t
            .checks
            .iter()
            .map(|c| {
                let mut keys: Vec<String> =
                    c.left.iter().chain(&c.right).map(|k| k.path()).collect();
                keys.sort();
                let blank = c.left.iter().chain(&c.right).any(|k| {
                    report
                        .table(&k.table)
                        .and_then(|d| d.value(&k.row, &k.column))
                        .is_none()
                });
                let anchor = c.left[0].path();
                let fails = findings
                    .iter()
                    .any(|f| f.rule == c.rule && f.path == anchor);
                assert!(
                    !(blank && fails),
                    "{anchor}: a finding on an undecidable instance"
                );
                let verdict = if blank {
                    ""
                } else if fails {
                    "FALSE"
                } else {
                    "TRUE"
                };
                json!({"rule": c.rule, "scope": c.scope, "keys": keys, "verdict": verdict})
            })
            .collect();
        sheets.push(json!({
            "name": name,
            "grid": [FIRST_GRID_ROW, FIRST_GRID_ROW + t.rows.len() - 1, t.columns],
            "merges": merges,
            "inputs": inputs,
            "paths": paths,
            "instances": checks,
        }));
    }
    sheets
}

fn broken_city(dir: &Path) -> PathBuf {
    let text =
        std::fs::read_to_string(common::root().join("examples/demo-city-2024.json")).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    let cell = &mut v["applications"]["total_processed"]["natural_person"];
    *cell = json!(cell.as_i64().unwrap() + 1);
    let p = dir.join("broken-city.json");
    std::fs::write(&p, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    p
}

/// Converts every sheet of every workbook to CSV with LibreOffice, recalculating on load.
fn libreoffice_csv(dir: &Path, files: &[PathBuf]) -> Option<PathBuf> {
    let profile = dir.join("lo-recalc");
    common::recalc_profile(&profile);
    let out = dir.join("csv");
    common::soffice_convert(
        &profile,
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
        &out,
        files,
    )?;
    Some(out)
}

#[test]
fn workbooks_match_the_layout_and_recalculate_in_libreoffice() {
    let dir = common::root().join("target/test-out/xlsx_export");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut inputs: Vec<PathBuf> = common::examples()
        .iter()
        .map(|e| common::root().join(e))
        .collect();
    let mut fixtures: Vec<PathBuf> =
        std::fs::read_dir(common::root().join("tests/fixtures/reports"))
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
    fixtures.sort();
    inputs.extend(fixtures);
    inputs.push(broken_city(&dir));
    let out_dir = dir.join("xlsx");
    let mut args: Vec<String> = vec!["export".into()];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    args.extend(["--to", "xlsx", "--allow-invalid", "--quiet", "--out-dir"].map(String::from));
    args.push(out_dir.display().to_string());
    let argv: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    let out = common::nianbao(&argv);
    // Exit 1: some inputs have validation errors, written because of --allow-invalid.
    assert_eq!(
        out.status.code(),
        Some(1),
        "export failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files: Vec<PathBuf> = inputs
        .iter()
        .map(|p| out_dir.join(format!("{}.xlsx", p.file_stem().unwrap().to_string_lossy())))
        .collect();
    // Identical input, identical bytes.
    let again = common::nianbao(&[
        "export",
        "examples/potou-2023.json",
        "--to",
        "xlsx",
        "--quiet",
        "-o",
        dir.join("again.xlsx").to_str().unwrap(),
    ]);
    assert!(again.status.success());
    assert_eq!(
        std::fs::read(dir.join("again.xlsx")).unwrap(),
        std::fs::read(out_dir.join("potou-2023.xlsx")).unwrap(),
        "XLSX output is not byte-identical"
    );
    let Some(py) = common::python() else { return };
    let csv_dir = libreoffice_csv(&dir, &files);
    let spec = json!({
        "workbooks": inputs.iter().zip(&files).map(|(src, f)| json!({
            "path": f,
            "csv_dir": csv_dir,
            "sheets": expectations(src),
        })).collect::<Vec<_>>()
    });
    let spec_path = dir.join("spec.json");
    std::fs::write(&spec_path, spec.to_string()).unwrap();
    let script = dir.join("xlsx_check.py");
    std::fs::write(&script, CHECK_PY).unwrap();
    let run = Command::new(py)
        .arg(&script)
        .arg(&spec_path)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "xlsx_check.py failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    let failures = report["failures"].as_array().unwrap();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures
            .iter()
            .take(40)
            .map(|f| f.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        report["checked"].as_u64().unwrap() > 2000,
        "too few checks: {}",
        report["checked"]
    );
    // The check cells agree with validate on every fixture, blank cells included: 上海 2019
    // left its 总计 column blank and validate finds no arithmetic error, so no check is FALSE.
    let instances = report["instances"].as_u64().unwrap();
    let expected: usize = spec["workbooks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|w| w["sheets"].as_array().unwrap())
        .map(|s| s["instances"].as_array().unwrap().len())
        .sum();
    assert_eq!(instances as usize, expected, "rule instances compared");
    assert!(expected > 400, "{expected}");
    let shanghai = &report["verdicts"]["shanghai_2019"];
    assert_eq!(shanghai["FALSE"], 0, "{shanghai}");
    assert!(shanghai[""].as_u64().unwrap() > 20, "{shanghai}");
    // The broken report: A-01 (and A-02) FALSE for 自然人 (first data column D), TRUE elsewhere;
    // the consistent example: every check TRUE.
    // Document properties: title, author = agency, the fixed creation date.
    let potou = nianbao::Report::from_json(
        &std::fs::read_to_string(common::root().join("examples/potou-2023.json")).unwrap(),
    )
    .unwrap();
    let props = &report["props"]["potou-2023"];
    assert_eq!(props["title"], potou.title().as_str());
    assert_eq!(props["creator"], potou.agency.as_str());
    let date = potou
        .published
        .map(|d| d.to_string())
        .unwrap_or_else(|| format!("{}-01-01", potou.year + 1));
    assert!(
        props["created"].as_str().unwrap().starts_with(&date),
        "{props}"
    );
    let rows = &report["check_rows"]["broken-city"];
    for rule in ["A-01", "A-02"] {
        let row = rows[format!("表三!{rule}")]
            .as_array()
            .unwrap_or_else(|| panic!("no {rule} row"));
        let vals: Vec<&str> = row.iter().map(|v| v.as_str().unwrap()).collect();
        assert_eq!(vals[3], "FALSE", "{rule} cached {vals:?}");
        assert!(
            vals[4..10].iter().all(|v| *v == "TRUE"),
            "{rule} cached {vals:?}"
        );
    }
    let ok_rows = report["check_rows"]["demo-city-2024"].as_object().unwrap();
    assert!(ok_rows.len() >= 2);
    for (k, row) in ok_rows {
        let vals: Vec<&str> = row
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert!(
            vals.iter().filter(|v| **v == "FALSE").count() == 0,
            "{k}: {vals:?}"
        );
    }
    if let Some(csv_dir) = csv_dir {
        let csv = std::fs::read_to_string(csv_dir.join("broken-city-表三.csv")).unwrap();
        let line = csv
            .lines()
            .find(|l| l.starts_with("A-01"))
            .expect("A-01 row in LibreOffice CSV");
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(
            cells[3], "FALSE",
            "LibreOffice recalculated A-01 row: {line}"
        );
        assert!(cells[4..10].iter().all(|v| *v == "TRUE"), "{line}");
    }
}

const CHECK_PY: &str = r####""""Checks nianbao's XLSX exports with openpyxl (and LibreOffice's recalculated CSV).

Usage: python xlsx_check.py EXPECT.json
EXPECT.json: {"workbooks": [{"path": ..., "csv_dir": ... or null, "sheets": [{"name", "merges",
"inputs": {addr: number|null}, "paths": {addr: json path}, "instances": [{"rule", "scope",
"keys": [json path...], "verdict": "TRUE"|"FALSE"|""}]}]}]}
Prints a JSON report {"checked": N, "failures": [...]}.
"""
import csv
import json
import os
import re
import sys
from decimal import Decimal

import openpyxl
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries

REF = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]+)")
RANGE = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]+):\$?([A-Z]{1,3})\$?([0-9]+)")


def num(v):
    if v is None:
        return Decimal(0)
    if isinstance(v, bool):
        raise ValueError("boolean in arithmetic")
    return Decimal(str(v))


def evaluate(formula, cached):
    """Evaluates the formula subset nianbao writes: SUM, ROUND, refs, ranges, + - and =."""
    body = formula[1:] if formula.startswith("=") else formula

    def cell(col, row):
        return cached.get((int(row), column_index_from_string(col)))

    def value(v):
        if v is None or isinstance(v, (bool, str)):
            return v
        return Decimal(str(v))

    def rng(m):
        c1, r1, c2, r2 = m.groups()
        vals = []
        for r in range(int(r1), int(r2) + 1):
            for c in range(column_index_from_string(c1), column_index_from_string(c2) + 1):
                vals.append(cached.get((r, c)))
        return "_L(%r)" % (vals,)

    expr = RANGE.sub(lambda m: rng(m), body)
    expr = REF.sub(lambda m: "_V(%r)" % (cell(m.group(1), m.group(2)),), expr)
    expr = re.sub(r"(?<![<>=!])=(?!=)", "==", expr)

    def SUM(*args):
        total = Decimal(0)
        for a in args:
            if isinstance(a, list):
                for x in a:
                    if x is not None and not isinstance(x, (bool, str)):
                        total += num(x)
            else:
                total += num(a)
        return total

    def ROUND(x, n):
        return round(num(x), int(n))

    def COUNT(*args):
        n = 0
        for a in args:
            for x in (a if isinstance(a, list) else [a]):
                if x is not None and not isinstance(x, (bool, str)):
                    n += 1
        return n

    def IF(cond, yes, no):  # noqa: N802
        return yes if cond else no

    env = {"SUM": SUM, "ROUND": ROUND, "COUNT": COUNT, "IF": IF, "_L": lambda v: v, "_V": value}
    expr = re.sub(r"(?<![\w.])(\d+(?:\.\d+)?)(?![\w.])", r"Decimal('\1')", expr)
    env["Decimal"] = Decimal
    return eval(expr, env)  # noqa: S307 (trusted: formulas we wrote)


def same(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if a is None or b is None or a == "" or b == "":
        return (a in (None, "", 0)) and (b in (None, "", 0))
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return abs(num(a) - num(b)) <= Decimal("0.000001")


def main():
    spec = json.load(open(sys.argv[1], encoding="utf-8"))
    failures = []
    checked = 0
    instances = 0
    verdicts = {}
    check_rows = {}
    props = {}
    for wbspec in spec["workbooks"]:
        path = wbspec["path"]
        wf = openpyxl.load_workbook(path)
        wv = openpyxl.load_workbook(path, data_only=True)
        stem = os.path.splitext(os.path.basename(path))[0]
        for name in wf.sheetnames:
            sf, sv = wf[name], wv[name]
            cached = {}
            for row in sv.iter_rows():
                for c in row:
                    if c.value is not None:
                        cached[(c.row, c.column)] = c.value
            # Every formula's cached value equals what it computes from the cached cells.
            formulas = {}
            for row in sf.iter_rows():
                for c in row:
                    if isinstance(c.value, str) and c.value.startswith("="):
                        formulas[(c.row, c.column)] = c.value
            for (r, col), f in formulas.items():
                checked += 1
                try:
                    got = evaluate(f, cached)
                except Exception as e:  # noqa: BLE001
                    failures.append("%s!%s: cannot evaluate %s (%s)" % (name, (r, col), f, e))
                    continue
                if not same(got, cached.get((r, col))):
                    failures.append("%s %s!R%dC%d %s: cached %r, computes %r" % (stem, name, r, col, f, cached.get((r, col)), got))
            # LibreOffice's recalculated values equal the cached ones.
            if wbspec.get("csv_dir"):
                cpath = os.path.join(wbspec["csv_dir"], "%s-%s.csv" % (stem, name))
                if not os.path.exists(cpath):
                    failures.append("missing LibreOffice CSV %s" % cpath)
                else:
                    rows = list(csv.reader(open(cpath, encoding="utf-8")))
                    for (r, col), v in cached.items():
                        if isinstance(v, str):
                            continue
                        checked += 1
                        lo = rows[r - 1][col - 1] if r - 1 < len(rows) and col - 1 < len(rows[r - 1]) else ""
                        if isinstance(v, bool):
                            ok = lo.upper() == ("TRUE" if v else "FALSE")
                        else:
                            try:
                                ok = abs(Decimal(lo) - num(v)) <= Decimal("0.000001")
                            except Exception:  # noqa: BLE001
                                ok = False
                        if not ok:
                            failures.append("%s %s!R%dC%d: cached %r, LibreOffice %r" % (stem, name, r, col, v, lo))
        for sh in wbspec.get("sheets", []):
            name = sh["name"]
            if name not in wf.sheetnames:
                failures.append("%s: no sheet %s" % (stem, name))
                continue
            sf, sv = wf[name], wv[name]
            top, bottom, ncols = sh["grid"]
            got = set()
            for m in sf.merged_cells.ranges:
                c1, r1, c2, r2 = range_boundaries(str(m))
                if r1 >= top and r2 <= bottom and c2 <= ncols:
                    got.add(str(m))
            want = set(sh["merges"])
            checked += 1
            if got != want:
                failures.append("%s %s merges differ: missing %s, extra %s" % (stem, name, sorted(want - got), sorted(got - want)))
            for addr, v in sh["inputs"].items():
                checked += 1
                cv = sf[addr].value
                if isinstance(cv, str) and cv.startswith("="):
                    failures.append("%s %s!%s: a formula where the published value belongs: %r" % (stem, name, addr, cv))
                    continue
                if v is None:
                    if cv not in (None, ""):
                        failures.append("%s %s!%s: expected blank, got %r" % (stem, name, addr, cv))
                elif isinstance(cv, str) or cv is None or Decimal(str(cv)) != Decimal(str(v)):
                    failures.append("%s %s!%s: expected %s, got %r" % (stem, name, addr, v, cv))
            # Input cells carry data validation (whole numbers / decimals); print and view setup.
            dvs = list(sf.data_validations.dataValidation)
            for addr, v in sh["inputs"].items():
                checked += 1
                if not any(addr in dv.sqref and dv.type in ("whole", "decimal") for dv in dvs):
                    failures.append("%s %s!%s: no data validation" % (stem, name, addr))
            checked += 1
            ps = sf.page_setup
            if not (ps.orientation == "landscape" and str(ps.paperSize) == "9" and ps.fitToWidth in (1, "1", None)
                    and sf.sheet_properties.pageSetUpPr.fitToPage and sf.print_title_rows and sf.freeze_panes):
                failures.append("%s %s: print/view setup %r %r %r %r %r" % (stem, name, ps.orientation, ps.paperSize, ps.fitToWidth, sf.print_title_rows, sf.freeze_panes))
            if sh["instances"] and len(sf.conditional_formatting) == 0:
                failures.append("%s %s: no conditional formatting on checks" % (stem, name))
            # Every rule instance has one check cell, found by the cells its COUNT(...) reads;
            # its cached value and LibreOffice's recalculated value are validate's verdict.
            by_keys = {tuple(i["keys"]): i for i in sh["instances"]}
            seen = set()
            lo_rows = None
            if wbspec.get("csv_dir"):
                cpath = os.path.join(wbspec["csv_dir"], "%s-%s.csv" % (stem, name))
                if os.path.exists(cpath):
                    lo_rows = list(csv.reader(open(cpath, encoding="utf-8")))
            for row in sf.iter_rows():
                for c in row:
                    f = c.value
                    if not (isinstance(f, str) and f.startswith("=IF(COUNT(")):
                        continue
                    args = f[len("=IF(COUNT("):f.index(")<")]
                    addrs = []
                    for part in args.split(","):
                        if ":" in part:
                            c1, r1, c2, r2 = range_boundaries(part)
                            for rr in range(r1, r2 + 1):
                                for cc in range(c1, c2 + 1):
                                    addrs.append("%s%d" % (get_column_letter(cc), rr))
                        else:
                            addrs.append(part)
                    keys = tuple(sorted(sh["paths"].get(a, "?" + a) for a in addrs))
                    inst = by_keys.get(keys)
                    if inst is None:
                        failures.append("%s %s!%s: check cell over %s matches no rule instance" % (stem, name, c.coordinate, keys))
                        continue
                    seen.add(keys)
                    instances += 1
                    want = inst["verdict"]
                    verdicts.setdefault(stem, {"TRUE": 0, "FALSE": 0, "": 0})[want] += 1
                    got = sv[c.coordinate].value
                    got = "" if got == "\u2014" else ("TRUE" if got is True else "FALSE" if got is False else repr(got))
                    if got != want:
                        failures.append("%s %s!%s %s (%s): cached %r, validate %r" % (stem, name, c.coordinate, inst["rule"], inst["scope"], got, want))
                    if lo_rows is not None:
                        lo = lo_rows[c.row - 1][c.column - 1] if c.row - 1 < len(lo_rows) and c.column - 1 < len(lo_rows[c.row - 1]) else ""
                        if (lo.upper() if lo != "\u2014" else "") != want:
                            failures.append("%s %s!%s %s (%s): LibreOffice %r, validate %r" % (stem, name, c.coordinate, inst["rule"], inst["scope"], lo, want))
            for keys, inst in by_keys.items():
                if keys not in seen:
                    failures.append("%s %s: no check cell for %s (%s)" % (stem, name, inst["rule"], inst["scope"]))
            for addr, want_b in sh.get("checks", {}).items():
                checked += 1
                if sv[addr].value is not want_b:
                    failures.append("%s %s!%s: check cached %r, expected %r" % (stem, name, addr, sv[addr].value, want_b))
        props[stem] = {"title": wf.properties.title, "creator": wf.properties.creator,
                       "created": wf.properties.created.isoformat() if wf.properties.created else None}
        # Check rows (first cell "A-01 校验：…") as TRUE/FALSE text, cached values.
        rows_out = {}
        for name in wv.sheetnames:
            for row in wv[name].iter_rows():
                first = row[0].value
                if isinstance(first, str) and " 校验" in first:
                    key = "%s!%s" % (name, first.split(" ")[0])
                    rows_out[key] = ["" if c.value is None else ("TRUE" if c.value is True else "FALSE" if c.value is False else str(c.value)) for c in row]
        check_rows[stem] = rows_out
    print(json.dumps({"checked": checked, "failures": failures, "check_rows": check_rows, "props": props,
                      "instances": instances, "verdicts": verdicts}, ensure_ascii=False))


main()
"####;

/// The lint levels the findings were adjusted with are recorded in the `校验` sheet.
#[test]
fn lint_levels_are_recorded_in_the_findings_sheet() {
    use nianbao::lint::{LintFlags, LintPolicy};
    use std::io::Read;
    let text = std::fs::read_to_string(common::root().join("examples/potou-2023.json")).unwrap();
    let report = nianbao::Report::from_json(&text).unwrap();
    let strings = |policy: &LintPolicy| -> String {
        let findings = policy.apply(nianbao::validate::validate(&report, None));
        let mut doc = layout::build_with_findings(&report, findings);
        doc.lints = policy.describe();
        let out = nianbao::xlsx::write(&doc, &Default::default()).unwrap();
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(out.bytes)).unwrap();
        let mut s = String::new();
        z.by_name("xl/sharedStrings.xml")
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    let default = strings(&LintPolicy::new());
    assert!(default.contains("规则级别 (lint levels)") && default.contains("默认 (default)"));
    let strict = LintPolicy::from_flags(
        &LintFlags {
            allow: vec!["T-08".into()],
            strict: true,
            ..Default::default()
        },
        None,
    )
    .unwrap();
    let s = strings(&strict);
    assert!(!s.contains("默认 (default)"));
    for word in ["all-warnings", "deny", "T-08", "allow"] {
        assert!(s.contains(&format!(">{word}<")), "{word} not recorded");
    }
}
