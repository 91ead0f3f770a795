//! The fill-in workbook (`nianbao new --to xlsx`): LibreOffice opens it, openxml-audit finds
//! nothing, protection leaves exactly the input cells editable, the check cells recalculate
//! (LibreOffice) to TRUE for a blank report and FALSE where an openpyxl edit breaks a rule, and
//! numbers filled in with openpyxl import into a report that has them and validates.

mod common;

use nianbao::import::{from_xlsx, ImportOptions};
use nianbao::layout::{self, Block, CellKey, Content, Table};
use nianbao::report::Number;
use nianbao::template::Template;
use nianbao::Report;
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

const AGENCY: &str = "某某市某某区人民政府";
const YEAR: i32 = 2023;

fn dir(tag: &str) -> PathBuf {
    let d = common::root().join("target/test-out/fill-in").join(tag);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn blank() -> Report {
    Report::blank(Template::for_year(YEAR).unwrap(), AGENCY, YEAR)
}

/// `nianbao new --to xlsx` into `dir/name`.
fn new_workbook(dir: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let year = YEAR.to_string();
    let mut args = vec![
        "new",
        "--agency",
        AGENCY,
        "--year",
        &year,
        "--to",
        "xlsx",
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let run = common::nianbao(&args);
    common::assert_success(&run);
    out
}

fn python(script: &str, args: &[&str]) -> String {
    String::from_utf8(common::python_c(script, args)).unwrap()
}

fn col_name(mut col: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap()
}

/// The statutory tables of the layout, by sheet name.
fn tables(report: &Report) -> Vec<(String, Table)> {
    layout::build(report)
        .blocks
        .into_iter()
        .filter_map(|b| match b {
            Block::Table(t) => t.name.clone().map(|n| (n, t)),
            _ => None,
        })
        .collect()
}

/// Number cells of a table: key → (address, value, is a sum, its addends).
type Cells = HashMap<CellKey, (String, Option<Number>, Option<Vec<CellKey>>)>;

fn cells(t: &Table) -> Cells {
    let mut m = HashMap::new();
    for (ri, row) in t.rows.iter().enumerate() {
        for c in &row.cells {
            if let Content::Number(n) = &c.content {
                m.entry(n.key.clone()).or_insert((
                    format!("{}{}", col_name(c.col), ri + 2),
                    n.value,
                    n.sum_of.as_deref().map(<[CellKey]>::to_vec),
                ));
            }
        }
    }
    m
}

/// The sheet row (1-based) and column of the i-th check under a table.
fn check_addr(t: &Table, i: usize) -> String {
    let first = t
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .filter(|c| matches!(c.content, Content::Number(_)))
        .map(|c| c.col)
        .min()
        .unwrap_or(t.columns);
    let col = first.min(t.columns - 1).max(1);
    format!("{}{}", col_name(col), t.rows.len() + 2 + i + 1)
}

fn audit(file: &Path) -> (bool, String) {
    let tool = common::require_python().with_file_name("openxml-audit");
    common::openxml_audit(&tool, file)
}

#[test]
fn libreoffice_opens_it_and_openxml_audit_finds_nothing() {
    let d = dir("open");
    let file = new_workbook(&d, "blank.xlsx", &[]);
    let (ok, text) = audit(&file);
    assert!(ok, "openxml-audit: {text}");
    let out = d.join("lo");
    common::soffice_convert(&d.join("profile"), "xlsx", &out, &[file]).unwrap();
    let converted = out.join("blank.xlsx");
    assert!(std::fs::metadata(&converted).unwrap().len() > 0);
    // The statutory sheets, the prose and the metadata are all there after LibreOffice.
    let names = python(
        "import openpyxl,sys\nprint('\\n'.join(openpyxl.load_workbook(sys.argv[1]).sheetnames))",
        &[converted.to_str().unwrap()],
    );
    for (name, _) in tables(&blank()) {
        assert!(names.lines().any(|l| l == name), "{name} in {names}");
    }
    assert!(names.lines().any(|l| l == "正文") && names.lines().any(|l| l == "基本信息"));
}

const LOCKS: &str = r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for name in sys.argv[2:]:
    ws = wb[name]
    unlocked = [c.coordinate for row in ws.iter_rows() for c in row
                if c.protection is not None and c.protection.locked is False]
    formulas = {c.coordinate: c.value for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("=")}
    out[name] = {"protected": bool(ws.protection.sheet), "password": ws.protection.password,
                 "unlocked": sorted(unlocked), "formulas": formulas}
print(json.dumps(out))
"#;

#[test]
fn protection_leaves_exactly_the_input_cells_editable_and_sums_are_live() {
    let d = dir("locks");
    let file = new_workbook(&d, "blank.xlsx", &[]);
    let report = blank();
    let tables = tables(&report);
    let mut args = vec![file.to_str().unwrap()];
    args.extend(tables.iter().map(|(n, _)| n.as_str()));
    let v: Value = serde_json::from_str(&python(LOCKS, &args)).unwrap();
    for (name, t) in &tables {
        let s = &v[name];
        assert_eq!(s["protected"], true, "{name}");
        assert!(s["password"].is_null(), "{name}: no password");
        let cells = cells(t);
        // Every sheet cell an input covers (a merged input is unlocked across its merge).
        let mut inputs: Vec<String> = Vec::new();
        for (ri, row) in t.rows.iter().enumerate() {
            for c in &row.cells {
                if let Content::Number(n) = &c.content {
                    if n.sum_of.is_none() {
                        for r in ri..ri + c.row_span.max(1) {
                            for col in c.col..c.col + c.col_span.max(1) {
                                inputs.push(format!("{}{}", col_name(col), r + 2));
                            }
                        }
                    }
                }
            }
        }
        inputs.sort();
        inputs.dedup();
        let unlocked: Vec<String> = serde_json::from_value(s["unlocked"].clone()).unwrap();
        let mut unlocked_sorted = unlocked.clone();
        unlocked_sorted.sort();
        assert!(!inputs.is_empty());
        assert_eq!(unlocked_sorted, inputs, "{name}: unlocked cells");
        for (addr, _, sum) in cells.values() {
            if sum.is_some() {
                let f = s["formulas"][addr].as_str().unwrap_or("");
                assert!(f.starts_with("=SUM("), "{name}!{addr}: {f}");
            }
        }
    }
}

/// LibreOffice recalculates and saves; openpyxl reads the values (data_only).
fn recalculated(d: &Path, file: &Path, addrs: &BTreeMap<String, Vec<String>>) -> Value {
    let profile = d.join("lo-recalc");
    common::recalc_profile(&profile);
    let out = d.join("recalc");
    common::soffice_convert(&profile, "xlsx", &out, &[file.to_path_buf()]).unwrap();
    let converted = out.join(file.file_name().unwrap());
    let script = r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], data_only=True)
want = json.loads(sys.argv[2])
# LibreOffice saves a boolean result as 1/0 under the TRUE/FALSE number format.
b = lambda v: v if isinstance(v, bool) or v not in (0, 1) else bool(v)
print(json.dumps({s: [b(wb[s][a].value) for a in addrs] for s, addrs in want.items()}))
"#;
    let want = serde_json::to_string(addrs).unwrap();
    serde_json::from_str(&python(script, &[converted.to_str().unwrap(), &want])).unwrap()
}

/// Every check's expected value after setting `edit` (key → value) on the blank report, with
/// the sums recomputed as the live formulas do.
fn expected(t: &Table, edits: &[(&CellKey, i64)]) -> Vec<bool> {
    let cells = cells(t);
    let mut v: HashMap<CellKey, Decimal> = cells
        .iter()
        .map(|(k, (_, n, _))| (k.clone(), n.map(Number::to_decimal).unwrap_or_default()))
        .collect();
    for (k, x) in edits {
        v.insert((*k).clone(), Decimal::from(*x));
    }
    for _ in 0..8 {
        for (k, (_, _, sum)) in &cells {
            if let Some(addends) = sum {
                let s = addends.iter().filter_map(|a| v.get(a)).copied().sum();
                v.insert(k.clone(), s);
            }
        }
    }
    let side =
        |keys: &[CellKey]| -> Decimal { keys.iter().filter_map(|k| v.get(k)).copied().sum() };
    t.checks
        .iter()
        .map(|c| side(&c.left) == side(&c.right))
        .collect()
}

#[test]
fn checks_recalculate_true_for_a_blank_report_and_false_where_an_edit_breaks_a_rule() {
    let d = dir("checks");
    let file = new_workbook(&d, "blank.xlsx", &[]);
    let report = blank();
    let tables = tables(&report);
    let addrs: BTreeMap<String, Vec<String>> = tables
        .iter()
        .map(|(n, t)| {
            (
                n.clone(),
                (0..t.checks.len()).map(|i| check_addr(t, i)).collect(),
            )
        })
        .collect();
    let v = recalculated(&d, &file, &addrs);
    assert!(tables.iter().any(|(_, t)| !t.checks.is_empty()));
    for (name, t) in &tables {
        let got: Vec<Value> = serde_json::from_value(v[name].clone()).unwrap();
        assert_eq!(got, vec![Value::Bool(true); t.checks.len()], "{name}");
    }
    // Break a rule: an input cell on the left of a rule that is not a sum's definition.
    let (name, t) = tables
        .iter()
        .find(|(_, t)| t.checks.iter().any(|c| !c.defines))
        .unwrap();
    let cells = cells(t);
    let check = t.checks.iter().find(|c| !c.defines).unwrap();
    let key = check
        .left
        .iter()
        .chain(&check.right)
        .find(|k| cells.get(*k).is_some_and(|c| c.2.is_none()))
        .or_else(|| {
            // The sum's addends: some input that feeds it.
            check.left.iter().chain(&check.right).find_map(|k| {
                cells.get(k).and_then(|c| c.2.as_ref()).and_then(|a| {
                    a.iter()
                        .find(|x| cells.get(*x).is_some_and(|c| c.2.is_none()))
                })
            })
        })
        .unwrap();
    let want = expected(t, &[(key, 5)]);
    assert!(want.iter().any(|x| !x), "the edit breaks a rule");
    let edited = d.join("edited.xlsx");
    python(
        "import openpyxl,sys\nwb=openpyxl.load_workbook(sys.argv[1])\nwb[sys.argv[2]][sys.argv[3]].value=5\nwb.save(sys.argv[4])",
        &[
            file.to_str().unwrap(),
            name,
            &cells[key].0,
            edited.to_str().unwrap(),
        ],
    );
    let one: BTreeMap<String, Vec<String>> =
        [(name.clone(), addrs[name].clone())].into_iter().collect();
    let v = recalculated(&d, &edited, &one);
    let got: Vec<Value> = serde_json::from_value(v[name].clone()).unwrap();
    let want: Vec<Value> = want.into_iter().map(Value::Bool).collect();
    assert_eq!(got, want, "{name} after {} = 5", cells[key].0);
}

fn import(path: &Path) -> nianbao::import::Imported {
    from_xlsx(&std::fs::read(path).unwrap(), &ImportOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The report as JSON (the workbook carries everything, the level included).
fn json(r: &Report) -> Value {
    r.to_json()
}

#[test]
fn a_blank_workbook_imports_as_the_same_report() {
    let d = dir("blank-import");
    let file = new_workbook(&d, "blank.xlsx", &[]);
    let imported = import(&file);
    assert!(imported.complete(), "{:#?}", imported.log);
    assert_eq!(json(&imported.report), json(&blank()));
    assert!(imported.log.entries.is_empty(), "{:#?}", imported.log);
}

#[test]
fn previous_fills_the_carry_over_and_reads_back() {
    let d = dir("previous");
    // A report whose 结转下年度继续办理 is not all zero (potou-2023's is: the blank report's zeros
    // would pass for a carry-over).
    let last = common::root().join("examples/demo-city-2024.json");
    let prev = Report::from_json(&std::fs::read_to_string(&last).unwrap()).unwrap();
    let file = new_workbook(&d, "next.xlsx", &["--previous", last.to_str().unwrap()]);
    let mut want = Report::blank(Template::for_year(YEAR).unwrap(), AGENCY, YEAR);
    assert!(want.carry_over(&prev) > 0);
    assert_ne!(
        json(&want),
        json(&blank()),
        "the carry-over changes the blank report"
    );
    let imported = import(&file);
    assert_eq!(json(&imported.report), json(&want));
}

#[test]
fn numbers_filled_with_openpyxl_import_and_validate_and_an_overwritten_sum_is_reported() {
    let d = dir("filled");
    let file = new_workbook(&d, "blank.xlsx", &[]);
    let report = blank();
    let tables = tables(&report);
    let (name, t) = tables.iter().find(|(n, _)| n == "表三").unwrap();
    let cells = cells(t);
    let mut inputs: Vec<&CellKey> = cells.keys().filter(|k| cells[*k].2.is_none()).collect();
    inputs.sort_by_key(|k| (cells[*k].0.len(), cells[*k].0.clone()));
    // Two inputs that, both 3, keep every rule (a case received and its outcome).
    let (a, b) = inputs
        .iter()
        .flat_map(|a| inputs.iter().map(move |b| (*a, *b)))
        .find(|(a, b)| a != b && expected(t, &[(a, 3), (b, 3)]).iter().all(|x| *x))
        .unwrap();
    // A sum fed by `a`.
    let (sum_key, sum_addr) = cells
        .iter()
        .find(|(_, c)| c.2.as_ref().is_some_and(|x| x.contains(a)))
        .map(|(k, c)| (k, c.0.clone()))
        .unwrap();
    let script = r#"
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb[sys.argv[2]]
ws[sys.argv[3]].value = 3
ws[sys.argv[4]].value = 3
if len(sys.argv) > 6:
    ws[sys.argv[6]].value = 99
wb.save(sys.argv[5])
"#;
    let filled = d.join("filled.xlsx");
    python(
        script,
        &[
            file.to_str().unwrap(),
            name,
            &cells[a].0,
            &cells[b].0,
            filled.to_str().unwrap(),
        ],
    );
    let imported = import(&filled);
    assert!(imported.complete(), "{:#?}", imported.log);
    assert!(imported.log.entries.is_empty(), "{:#?}", imported.log);
    let get = |r: &Report, k: &CellKey| {
        r.table(&k.table)
            .and_then(|t| t.get(&k.row, &k.column))
            .flatten()
            .map(Number::to_decimal)
    };
    let three = Some(Decimal::from(3));
    assert_eq!(get(&imported.report, a), three, "{}", cells[a].0);
    assert_eq!(get(&imported.report, b), three, "{}", cells[b].0);
    assert!(get(&imported.report, sum_key) >= three);
    let errors: Vec<_> = nianbao::validate::validate(&imported.report, None)
        .into_iter()
        .filter(|f| f.severity == nianbao::validate::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // A sum overwritten with a number: logged with its cell, and computed, not trusted.
    let overwritten = d.join("overwritten.xlsx");
    python(
        script,
        &[
            file.to_str().unwrap(),
            name,
            &cells[a].0,
            &cells[b].0,
            overwritten.to_str().unwrap(),
            &sum_addr,
        ],
    );
    let again = import(&overwritten);
    assert_eq!(json(&again.report), json(&imported.report));
    assert_eq!(again.log.entries.len(), 1, "{:#?}", again.log);
    assert_eq!(again.log.entries[0].cell, format!("{name}!{sum_addr}"));
    assert!(again.log.entries[0].message.contains("99"));
}
