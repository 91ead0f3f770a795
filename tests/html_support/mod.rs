//! What the HTML tests share: the hostile report, writing pages and fragments, reading a page
//! back with Python's HTML parser (tests/py/html_read.py), and finding a cell's labels through
//! the spans of a read-back grid.
#![allow(dead_code)]

use crate::common;
use nianbao::export::{ExportOptions, Output};
use nianbao::layout::{self, Document};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A 10,000-character word: it must wrap, not widen the page.
pub fn long_word() -> String {
    "W".repeat(10_000)
}

/// Hostile strings: markup, references, quotes, control characters (which HTML forbids and the
/// writer drops) and very long words.
pub fn hostile_strings() -> Vec<String> {
    vec![
        "<script>alert(\"x\")</script>脚本".to_string(),
        "</table></div><p>逃逸</p>".to_string(),
        "A & B &amp; &lt;b&gt; &#60;i&#62; &unknown;".to_string(),
        "\"双引号\" 'single' `back` = onload=alert(1)".to_string(),
        "控制\u{0}字符\u{7}\u{b}\u{c}\u{1b}\u{7f}\u{85}\u{fffe}保留\t制表".to_string(),
        format!("长词{}结束", long_word()),
        format!("数字{}", "1234567890".repeat(1_000)),
        "<!-- 注释 --> ]]> </style> <br> <img src=x onerror=alert(1)>".to_string(),
    ]
}

/// What a hostile string must read back as: the text without the forbidden characters.
pub fn visible(s: &str) -> String {
    s.chars()
        .filter(|&c| !nianbao::html::escape::is_forbidden(c))
        .collect()
}

/// The demo city report with hostile text in every text field: agency (hence the title),
/// every heading, the preamble, level-2 headings, paragraphs, and a free-form table.
pub fn hostile_report() -> Value {
    let path = common::root().join("examples/demo-city-2024.json");
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let h = hostile_strings();
    v["agency"] = json!(format!("{}<b>机关</b>&\"\u{7}", &h[0]));
    let mut headings = serde_json::Map::new();
    for (i, key) in common::SECTION_KEYS.iter().enumerate() {
        headings.insert(
            key.to_string(),
            // Headings are capped at 300 characters on reading (src/limits.rs).
            json!(format!(
                "{}、{}",
                i + 1,
                h[i % h.len()].chars().take(250).collect::<String>()
            )),
        );
    }
    v["headings"] = Value::Object(headings);
    v["preamble"] = json!([h[1].clone(), {"heading": h[3].clone()}]);
    let mut overview: Vec<Value> = h.iter().map(|s| json!(s)).collect();
    overview.insert(2, json!({"heading": h[2].clone()}));
    // Free-table cells are capped at 1,000 characters on reading (src/limits.rs).
    let c = |i: usize| h[i].chars().take(900).collect::<String>();
    overview.push(json!({"table": {"header_rows": 1, "rows": [
        [c(0), c(1), c(7)],
        [c(2), c(3), String::new()],
        [c(4), c(5), c(6)],
    ]}}));
    v["overview"] = Value::Array(overview);
    v["problems"] = json!([h[5].clone(), h[4].clone()]);
    v["other"] = json!([h[6].clone()]);
    v
}

/// Stand-ins for the characters the report reader refuses (issue 8 item 6: control characters
/// are refused on input), so that a hostile report still loads and the writer's own defence is
/// tested: each forbidden character travels as a private-use character and is put back into
/// every string of the layout model.
const STAND_IN: u32 = 0xF_0000;

fn hide(c: char) -> char {
    if nianbao::html::escape::is_forbidden(c) {
        char::from_u32(STAND_IN + c as u32).unwrap_or(c)
    } else {
        c
    }
}

fn unhide(s: &mut String) {
    *s = s
        .chars()
        .map(|c| match (c as u32).checked_sub(STAND_IN) {
            Some(n) if n <= 0xFFFF => char::from_u32(n).unwrap_or(c),
            _ => c,
        })
        .collect();
}

/// The layout model of a report given as JSON, control characters included.
pub fn document(v: &Value) -> Document {
    fn hide_all(v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String(s.chars().map(hide).collect()),
            Value::Array(a) => Value::Array(a.iter().map(hide_all).collect()),
            Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, v)| (k.chars().map(hide).collect(), hide_all(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    let report = nianbao::Report::from_json(&hide_all(v).to_string()).expect("report loads");
    let mut doc = layout::build(&report);
    unhide(&mut doc.title);
    doc.title_lines.iter_mut().for_each(unhide);
    for s in [
        &mut doc.meta.title,
        &mut doc.meta.author,
        &mut doc.meta.agency,
    ] {
        unhide(s);
    }
    for b in &mut doc.blocks {
        match b {
            layout::Block::Heading { text, .. } | layout::Block::Paragraph(text) => unhide(text),
            layout::Block::Marked(spans) => spans.iter_mut().for_each(|s| unhide(&mut s.text)),
            layout::Block::Table(t) => {
                unhide(&mut t.title);
                for row in &mut t.rows {
                    for cell in &mut row.cells {
                        if let layout::Content::Text(s) = &mut cell.content {
                            unhide(s);
                        }
                    }
                }
            }
        }
    }
    doc
}

/// Writes the document as a page or as a fragment.
pub fn html(doc: &Document, fragment: bool) -> Output {
    let opts = ExportOptions {
        html_fragment: fragment,
        ..Default::default()
    };
    nianbao::html::write(doc, &opts).expect("html export")
}

/// A fragment inside the smallest valid page that is ready for phones (a viewport): what a
/// CMS does with it.
pub fn wrap_fragment(fragment: &[u8], title: &str) -> Vec<u8> {
    let mut page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n</head>\n<body>\n"
    )
    .into_bytes();
    page.extend_from_slice(fragment);
    page.extend_from_slice(b"</body>\n</html>\n");
    page
}

/// A fresh directory under target/test-out.
pub fn out_dir(tag: &str) -> PathBuf {
    let dir = common::root().join("target/test-out").join(tag);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Reads a page back with Python's html.parser; `None` when Python is unavailable and not
/// required.
pub fn read_back(path: &Path) -> Option<Value> {
    let python = common::python()?;
    let out = Command::new(python)
        .arg(common::root().join("tests/py/html_read.py"))
        .arg(path)
        .output()
        .expect("run html_read.py");
    assert!(
        out.status.success(),
        "html_read.py {path:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).expect("html_read.py prints JSON"))
}

/// A read-back table: cells with grid positions.
pub struct Grid<'a> {
    /// The cells.
    pub cells: Vec<&'a Value>,
    /// For every slot (row, col), the index of the cell covering it.
    pub cover: std::collections::HashMap<(usize, usize), usize>,
}

fn n(v: &Value, k: &str) -> usize {
    v[k].as_u64().unwrap_or_else(|| panic!("{k} in {v}")) as usize
}

impl<'a> Grid<'a> {
    /// Builds the slot map of a read-back table.
    pub fn new(table: &'a Value) -> Grid<'a> {
        let cells: Vec<&Value> = table["cells"].as_array().unwrap().iter().collect();
        let mut cover = std::collections::HashMap::new();
        for (i, c) in cells.iter().enumerate() {
            for r in n(c, "row")..n(c, "row") + n(c, "rowspan") {
                for k in n(c, "col")..n(c, "col") + n(c, "colspan") {
                    cover.insert((r, k), i);
                }
            }
        }
        Grid { cells, cover }
    }

    /// The cell starting at (row, col).
    pub fn at(&self, row: usize, col: usize) -> Option<&'a Value> {
        self.cells
            .iter()
            .find(|c| n(c, "row") == row && n(c, "col") == col)
            .copied()
    }

    /// The labels of a data cell, through the spans: going up each of its columns, past data
    /// cells, the run of header cells directly above it (outermost first); going left in each
    /// of its rows, the header cells before it (leftmost first). Indices into `cells`.
    pub fn labels(&self, cell: &Value) -> (Vec<usize>, Vec<usize>) {
        let (r0, c0) = (n(cell, "row"), n(cell, "col"));
        let mut column = Vec::new();
        for c in c0..c0 + n(cell, "colspan") {
            let mut r = r0;
            let mut in_headers = false;
            while r > 0 {
                r -= 1;
                let Some(&i) = self.cover.get(&(r, c)) else {
                    continue;
                };
                if self.cells[i]["tag"] == "th" {
                    in_headers = true;
                    if !column.contains(&i) {
                        column.push(i);
                    }
                } else if in_headers {
                    break;
                }
            }
        }
        column.sort_by_key(|&i| (n(self.cells[i], "row"), n(self.cells[i], "col")));
        let mut row = Vec::new();
        for r in r0..r0 + n(cell, "rowspan") {
            for c in 0..c0 {
                if let Some(&i) = self.cover.get(&(r, c)) {
                    if self.cells[i]["tag"] == "th" && !row.contains(&i) {
                        row.push(i);
                    }
                }
            }
        }
        row.sort_by_key(|&i| n(self.cells[i], "col"));
        (column, row)
    }

    /// A cell's text.
    pub fn text(&self, i: usize) -> &'a str {
        self.cells[i]["text"].as_str().unwrap_or("")
    }
}

/// Where the model's columns land in the HTML: a column in which no cell begins (2019 表二
/// sets items of 3 and 2 columns on a grid of 6) is merged into the column before it, since
/// HTML forbids such a column. Returns `f` with `f(col, span) = (html col, html span)` and
/// the HTML table's width.
pub fn column_map(t: &nianbao::layout::Table) -> (impl Fn(usize, usize) -> (usize, usize), usize) {
    let mut anchored = vec![false; t.columns];
    for row in &t.rows {
        for c in &row.cells {
            anchored[c.col] = true;
        }
    }
    let mut prefix = vec![0];
    for a in &anchored {
        prefix.push(prefix[prefix.len() - 1] + usize::from(*a));
    }
    let width = prefix[t.columns];
    (
        move |col: usize, span: usize| (prefix[col], prefix[col + span] - prefix[col]),
        width,
    )
}
