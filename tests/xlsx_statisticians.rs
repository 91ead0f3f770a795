//! What statisticians see when they open the XLSX (issue 12): each test reads the real file back
//! (openpyxl, LibreOffice's render as shown or as PDF) and fails on the output before the fix.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};

fn fresh(tag: &str) -> PathBuf {
    let dir = common::root().join("target/test-out").join(tag);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs a Python snippet with the test venv (argv[1..] = `args`), returning its JSON output.
fn py(dir: &Path, name: &str, code: &str, args: &[&Path]) -> Value {
    common::python_json(dir, name, code, args)
}

/// Every sheet of `files` as CSV, each cell as LibreOffice shows it (its number format applied).
fn libreoffice_as_shown(dir: &Path, files: &[PathBuf]) -> PathBuf {
    let out = dir.join("shown");
    common::soffice_convert(
        &dir.join("lo-profile"),
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
        &out,
        files,
    );
    out
}

const FEE_PY: &str = r#"
import json, sys, openpyxl
out = {}
for path in sys.argv[1:]:
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, float) and abs(c.value - 5949.088667) < 1e-9:
                    out.setdefault(path, []).append([ws.title, c.coordinate, c.number_format])
print(json.dumps(out, ensure_ascii=False))
"#;

/// Item 7: 平潭 2023 published its fee as 5949.088667 (6 decimals): the table sheet, the
/// collected 汇总 and 长表 show all six, as LibreOffice renders them.
#[test]
fn fees_show_every_published_decimal() {
    let dir = fresh("xlsx_fees");
    let fixture = common::root().join("tests/fixtures/reports/pingtan_2023.json");
    let export = dir.join("pingtan_2023.xlsx");
    let out = common::nianbao(&[
        "export",
        fixture.to_str().unwrap(),
        "--to",
        "xlsx",
        "--allow-invalid",
        "--quiet",
        "-o",
        export.to_str().unwrap(),
    ]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let collected = dir.join("collected.xlsx");
    let out = common::nianbao(&[
        "collect",
        fixture.to_str().unwrap(),
        "-o",
        collected.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found = py(&dir, "fees.py", FEE_PY, &[&export, &collected]);
    let sheets: Vec<&str> = found
        .as_object()
        .unwrap()
        .values()
        .flat_map(|v| v.as_array().unwrap())
        .map(|c| c[0].as_str().unwrap())
        .collect();
    for want in ["表二", "汇总", "长表"] {
        assert!(sheets.contains(&want), "no fee cell on {want}: {found}");
    }
    let shown = libreoffice_as_shown(&dir, &[export, collected]);
    for csv in [
        "pingtan_2023-表二.csv",
        "collected-汇总.csv",
        "collected-长表.csv",
    ] {
        let text =
            std::fs::read_to_string(shown.join(csv)).unwrap_or_else(|e| panic!("{csv}: {e}"));
        assert!(
            text.contains("5949.088667"),
            "{csv} does not show 5949.088667 (as LibreOffice displays it)"
        );
    }
}
