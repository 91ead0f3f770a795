//! The HTML export read back with a real HTML parser (Python's html.parser, through
//! tests/py/html_read.py): every statutory number in the cell its row and column labels name
//! (found through the spans), the grid equal to the layout model span for span, `headers`
//! naming exactly those labels, headings in order, captions, the page's head; hostile text
//! staying text; the fragment holding the same content with inline styles; identical bytes
//! for identical input; `nianbao export --to html` through the CLI.

mod common;
mod html_support;

use html_support::{document, hostile_report, hostile_strings, read_back, visible, Grid};
use nianbao::layout::{Block, Content, Document, RowKind};
use serde_json::Value;

/// The three examples and fixtures with blank cells and both formats.
const REPORTS: [&str; 5] = [
    "examples/potou-2023.json",
    "examples/demo-city-2024.json",
    "examples/demo-2019.json",
    "tests/fixtures/reports/shanghai_2019.json",
    "tests/fixtures/reports/shuyang_fgj_2023.json",
];

fn load(path: &str) -> (nianbao::Report, Document) {
    let text = std::fs::read_to_string(common::root().join(path)).unwrap();
    let report = nianbao::Report::from_json(&text).unwrap();
    let doc = nianbao::layout::build(&report);
    (report, doc)
}

/// The tables of a layout document in order.
fn layout_tables(doc: &Document) -> Vec<&nianbao::layout::Table> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect()
}

/// The statutory tables of a document in order, with their read-back tables.
fn statutory<'a>(
    doc: &'a Document,
    page: &'a Value,
) -> Vec<(&'a nianbao::layout::Table, &'a Value)> {
    let tables = layout_tables(doc);
    let read = page["tables"].as_array().unwrap();
    assert_eq!(read.len(), tables.len(), "one HTML table per layout table");
    tables
        .into_iter()
        .zip(read)
        .filter(|(t, _)| t.name.is_some())
        .collect()
}

/// Every statutory number of the report (the JSON value, not the layout's copy) is in the cell
/// whose labels, found through the spans, are its row and column labels; blank cells are
/// empty, not 0.
fn check_numbers(report: &nianbao::Report, doc: &Document, page: &Value, what: &str) -> usize {
    let mut checked = 0;
    for (t, read) in statutory(doc, page) {
        let grid = Grid::new(read);
        for row in &t.rows {
            for c in &row.cells {
                let Content::Number(nc) = &c.content else {
                    continue;
                };
                let want = report
                    .table(&nc.key.table)
                    .and_then(|d| d.value(&nc.key.row, &nc.key.column))
                    .map(|v| v.to_string())
                    .unwrap_or_default();
                // The cell whose innermost column label is the column's, and whose other
                // labels (outer column labels, row labels) make up its row label: the row label
                // with those removed leaves only spaces and brackets (表四's
                // "行政诉讼（未经复议直接起诉）" is the labels 行政诉讼 over 未经复议直接起诉).
                let found: Vec<&Value> = grid
                    .cells
                    .iter()
                    .filter(|cell| cell["tag"] == "td")
                    .filter(|cell| {
                        let (column, row) = grid.labels(cell);
                        let Some((&inner, outer)) = column.split_last() else {
                            return false;
                        };
                        if grid.text(inner) != &*nc.column_label {
                            return false;
                        }
                        let mut context: Vec<&str> =
                            outer.iter().chain(&row).map(|&i| grid.text(i)).collect();
                        context.sort_by_key(|t| std::cmp::Reverse(t.chars().count()));
                        let mut rest = nc.row_label.to_string();
                        for t in &context {
                            rest = rest.replacen(t, "", 1);
                        }
                        let innermost_row_ok = row
                            .last()
                            .is_none_or(|&i| nc.row_label.ends_with(grid.text(i)));
                        innermost_row_ok
                            && rest
                                .chars()
                                .all(|c| c.is_whitespace() || "（）()".contains(c))
                    })
                    .copied()
                    .collect();
                assert_eq!(
                    found.len(),
                    1,
                    "{what}: {} ({} / {}): expected one cell with these labels, found {found:?}",
                    nc.key.path(),
                    nc.row_label,
                    nc.column_label
                );
                assert_eq!(
                    found[0]["text"].as_str(),
                    Some(want.as_str()),
                    "{what}: {} ({} / {})",
                    nc.key.path(),
                    nc.row_label,
                    nc.column_label
                );
                assert!(
                    found[0]["class"]
                        .as_array()
                        .unwrap()
                        .contains(&Value::from("nb-num")),
                    "{what}: {} is not styled as a number",
                    nc.key.path()
                );
                checked += 1;
            }
        }
    }
    checked
}

/// The read-back grid equals the layout model cell for cell (position, spans, text, th for
/// labels), and each data cell's `headers` names exactly its labels.
fn check_grid(doc: &Document, page: &Value, what: &str) {
    let tables = layout_tables(doc);
    for (t, read) in tables.iter().zip(page["tables"].as_array().unwrap()) {
        let grid = Grid::new(read);
        let (map, width) = html_support::column_map(t);
        assert_eq!(
            read["rows"].as_u64(),
            Some(t.rows.len() as u64),
            "{what} {}",
            t.id
        );
        assert_eq!(
            read["width"].as_u64(),
            Some(width as u64),
            "{what} {}",
            t.id
        );
        for (r, row) in t.rows.iter().enumerate() {
            for c in &row.cells {
                let (col, span) = map(c.col, c.col_span);
                let cell = grid
                    .at(r, col)
                    .unwrap_or_else(|| panic!("{what} {}: no cell at r{r} c{col}", t.id));
                assert_eq!(
                    (cell["rowspan"].as_u64(), cell["colspan"].as_u64()),
                    (Some(c.row_span as u64), Some(span as u64)),
                    "{what} {} r{r} c{}",
                    t.id,
                    c.col
                );
                assert_eq!(
                    cell["text"].as_str(),
                    Some(visible(c.content.text()).as_str()),
                    "{what} {} r{r} c{}",
                    t.id,
                    c.col
                );
                let label = matches!(c.content, Content::Text(_))
                    && (c.is_label || row.kind != RowKind::Body);
                assert_eq!(
                    cell["tag"],
                    if label { "th" } else { "td" },
                    "{what} {} r{r} c{}",
                    t.id,
                    c.col
                );
                if label {
                    let scope = cell["scope"].as_str().unwrap_or("");
                    let expected: &[&str] = match row.kind {
                        RowKind::Header => &["col", "colgroup"],
                        RowKind::SubHeader => &["col"],
                        RowKind::Caption => &["rowgroup"],
                        RowKind::Body => &["row"],
                    };
                    assert!(
                        expected.contains(&scope),
                        "{what} {} r{r} c{}: scope {scope}",
                        t.id,
                        c.col
                    );
                } else {
                    let (column, rows) = grid.labels(cell);
                    let mut want: Vec<&str> = column
                        .iter()
                        .chain(&rows)
                        .map(|&i| grid.cells[i]["id"].as_str().unwrap())
                        .collect();
                    let mut got: Vec<&str> = cell["headers"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|h| h.as_str().unwrap())
                        .collect();
                    want.sort();
                    got.sort();
                    assert_eq!(got, want, "{what} {} r{r} c{}: headers", t.id, c.col);
                }
            }
        }
    }
}

fn export_cli(example: &str, tag: &str) -> std::path::PathBuf {
    let path = common::export(example, "html", tag);
    assert!(path.is_file(), "{path:?}");
    path
}

#[test]
fn statutory_numbers_read_back_in_their_labelled_cells() {
    let mut total = 0;
    for (i, r) in REPORTS.iter().enumerate() {
        let (report, doc) = load(r);
        // the examples through the CLI; the fixtures (some with validation errors, which
        // block a CLI export) through the library
        let path = if r.starts_with("examples/") {
            export_cli(r, &format!("html-read-{i}"))
        } else {
            let dir = html_support::out_dir(&format!("html-read-{i}"));
            let path = dir.join("report.html");
            std::fs::write(&path, html_support::html(&doc, false).bytes).unwrap();
            path
        };
        let Some(page) = read_back(&path) else { return };
        total += check_numbers(&report, &doc, &page, r);
        check_grid(&doc, &page, r);
    }
    // 表二 (8 + 3 or 13) + 表三 (26 or 24 rows × 7) + 表四 (15) per report
    assert!(total > 5 * 190, "only {total} numbers checked");
}

#[test]
fn headings_captions_and_head_read_back() {
    for (i, r) in REPORTS.iter().enumerate().take(3) {
        let path = export_cli(r, &format!("html-head-{i}"));
        let Some(page) = read_back(&path) else { return };
        let (_, doc) = load(r);
        assert_eq!(page["lang"], "zh-CN");
        assert_eq!(page["title"].as_str(), Some(doc.title.as_str()));
        assert_eq!(page["meta"]["charset"], "utf-8");
        assert_eq!(
            page["meta"]["viewport"],
            "width=device-width, initial-scale=1"
        );
        assert_eq!(
            page["meta"]["author"].as_str(),
            Some(doc.meta.author.as_str())
        );
        assert_eq!(page["scripts"], 0);
        assert_eq!(page["styles"], 1);
        assert!(page["event_attributes"].as_array().unwrap().is_empty());
        assert!(
            page["urls"].as_array().unwrap().is_empty(),
            "{}",
            page["urls"]
        );
        let headings = page["headings"].as_array().unwrap();
        assert_eq!(headings[0]["tag"], "h1");
        assert_eq!(
            headings[0]["text"].as_str(),
            Some(doc.title_lines.join("\n").as_str())
        );
        let want: Vec<(String, String)> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { level, text, .. } => Some((
                    if *level == 1 { "h2" } else { "h3" }.to_string(),
                    text.clone(),
                )),
                _ => None,
            })
            .collect();
        let got: Vec<(String, String)> = headings[1..]
            .iter()
            .map(|h| {
                (
                    h["tag"].as_str().unwrap().to_string(),
                    h["text"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(got, want, "{r}");
        let paragraphs: Vec<&str> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(p.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            page["paragraphs"].as_array().unwrap().len(),
            paragraphs.len()
        );
        for (got, want) in page["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .zip(&paragraphs)
        {
            assert_eq!(got.as_str(), Some(*want));
        }
        for (t, read) in statutory(&doc, &page) {
            let caption = format!("{}\u{3000}{}", t.name.as_deref().unwrap(), t.title);
            assert_eq!(read["caption"].as_str(), Some(caption.as_str()));
            // 表三 and 表四 group their columns as their first header row does.
            if t.header_rows > 0 {
                assert_eq!(read["colgroups"], 2, "{r} {}", t.id);
            }
            assert_eq!(
                read["cols"].as_u64(),
                Some(html_support::column_map(t).1 as u64)
            );
        }
        let ids = page["ids"].as_array().unwrap();
        let unique: std::collections::BTreeSet<&str> =
            ids.iter().filter_map(|i| i.as_str()).collect();
        assert_eq!(unique.len(), ids.len(), "duplicate ids in {r}");
    }
}

#[test]
fn hostile_text_stays_text() {
    let v = hostile_report();
    let doc = document(&v);
    let dir = html_support::out_dir("html-hostile");
    for fragment in [false, true] {
        let out = html_support::html(&doc, fragment);
        assert!(
            out.warnings
                .iter()
                .any(|w| w.contains("U+0007") && w.contains("U+FFFE")),
            "{:?}",
            out.warnings
        );
        let text = String::from_utf8(out.bytes.clone()).unwrap();
        assert!(!text.contains("<script"), "a script element got through");
        assert!(!text.contains("<img"), "an img element got through");
        assert!(!text.contains('\u{7}') && !text.contains('\u{0}') && !text.contains('\u{85}'));
        let path = dir.join(if fragment {
            "fragment.html"
        } else {
            "page.html"
        });
        std::fs::write(
            &path,
            if fragment {
                html_support::wrap_fragment(&out.bytes, "t")
            } else {
                out.bytes.clone()
            },
        )
        .unwrap();
        let Some(page) = read_back(&path) else { return };
        assert_eq!(page["scripts"], 0);
        assert!(page["event_attributes"].as_array().unwrap().is_empty());
        assert!(page["urls"].as_array().unwrap().is_empty());
        let allowed = [
            "html", "head", "meta", "title", "style", "body", "main", "div", "h1", "h2", "h3", "p",
            "br", "table", "caption", "colgroup", "col", "thead", "tbody", "tr", "th", "td",
        ];
        for e in page["elements"].as_array().unwrap() {
            assert!(
                allowed.contains(&e.as_str().unwrap()),
                "element {e} in the output"
            );
        }
        // every paragraph and heading of the model reads back as its visible text
        let paragraphs: Vec<String> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(visible(p)),
                _ => None,
            })
            .collect();
        let got: Vec<String> = page["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_string())
            .collect();
        assert_eq!(got, paragraphs);
        let headings: Vec<String> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { text, .. } => Some(visible(text)),
                _ => None,
            })
            .collect();
        let got: Vec<String> = page["headings"].as_array().unwrap()[1..]
            .iter()
            .map(|h| h["text"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(got, headings);
        assert_eq!(
            page["headings"][0]["text"].as_str(),
            Some(visible(&doc.title_lines.join("\n")).as_str())
        );
        if !fragment {
            assert_eq!(page["title"].as_str(), Some(visible(&doc.title).as_str()));
        }
        for s in hostile_strings() {
            assert!(
                got.contains(&visible(&s).to_string())
                    || paragraphs.contains(&visible(&s))
                    || page["tables"][0]["cells"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|c| c["text"].as_str() == Some(visible(&s).as_str())),
                "{:.80} did not read back as text",
                s
            );
        }
        check_grid(&doc, &page, "hostile");
        let free = &page["tables"][0];
        assert_eq!(free["width"], 3);
        assert_eq!(free["cols"], 3);
    }
}

#[test]
fn the_fragment_is_the_content_with_inline_styles() {
    let (_, doc) = load("examples/demo-city-2024.json");
    let page = html_support::html(&doc, false);
    let fragment = html_support::html(&doc, true);
    let f = String::from_utf8(fragment.bytes.clone()).unwrap();
    assert!(
        f.starts_with("<div class=\"nianbao-report\" style=\""),
        "{:.200}",
        f
    );
    assert!(f.trim_end().ends_with("</div>"));
    for absent in [
        "<!DOCTYPE",
        "<html",
        "<head",
        "<body",
        "<style",
        "<main",
        "@page",
    ] {
        assert!(!f.contains(absent), "{absent} in the fragment");
    }
    assert!(
        f.contains("lang=\"zh-CN\""),
        "the fragment keeps its language"
    );
    // styles inline: the wrapper's fonts, cell rules, tabular figures
    assert!(f.contains("font-family: '仿宋_GB2312'"));
    assert!(f.contains("font-variant-numeric: tabular-nums"));
    assert!(f.contains("overflow-x: auto"));
    // the same text as the page's <main>
    let p = String::from_utf8(page.bytes).unwrap();
    let strip = |s: &str| -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for ch in s.chars() {
            match ch {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out
    };
    let main = &p[p.find("<main").unwrap()..p.find("</main>").unwrap()];
    assert_eq!(
        strip(main).trim(),
        strip(&f).trim_end().trim_end_matches("</div>").trim()
    );
    let dir = html_support::out_dir("html-fragment");
    let path = dir.join("wrapped.html");
    std::fs::write(&path, html_support::wrap_fragment(&fragment.bytes, "t")).unwrap();
    let Some(read) = read_back(&path) else { return };
    assert_eq!(read["styles"], 0, "a fragment has no style element");
    let report = nianbao::Report::from_json(
        &std::fs::read_to_string(common::root().join("examples/demo-city-2024.json")).unwrap(),
    )
    .unwrap();
    assert!(check_numbers(&report, &doc, &read, "fragment") > 190);
}

#[test]
fn identical_input_gives_identical_bytes() {
    for r in REPORTS {
        let (_, doc) = load(r);
        for fragment in [false, true] {
            let a = html_support::html(&doc, fragment).bytes;
            let b = html_support::html(&load(r).1, fragment).bytes;
            assert!(a == b, "{r}: two exports differ");
        }
    }
    // and through the CLI
    let a = std::fs::read(export_cli("examples/potou-2023.json", "html-det-a")).unwrap();
    let b = std::fs::read(export_cli("examples/potou-2023.json", "html-det-b")).unwrap();
    assert!(a == b);
}

#[test]
fn a_page_has_the_print_style_and_no_external_resources() {
    let (_, doc) = load("examples/potou-2023.json");
    let page = String::from_utf8(html_support::html(&doc, false).bytes).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    let style = &page[page.find("<style>").unwrap()..page.find("</style>").unwrap()];
    for needed in [
        "@page { size: A4; margin: 37mm 26mm 35mm 28mm }",
        "font-size: 16.00pt",
        "font-size: 22.00pt",
        "text-indent: 2em",
        "counter(page)",
        "overflow-x: auto",
        "overflow-wrap: anywhere",
        "@media (max-width: 30em)",
        "@media print",
    ] {
        assert!(
            style.contains(needed),
            "{needed} missing from the stylesheet"
        );
    }
    for stack in [
        nianbao::html::css::FANG_STACK,
        nianbao::html::css::HEI_STACK,
        nianbao::html::css::KAI_STACK,
    ] {
        assert!(style.contains(stack));
    }
    for face in [
        "仿宋_GB2312",
        "FangSong",
        "STFangsong",
        "Noto Serif CJK SC",
        "SimHei",
        "Heiti SC",
        "Noto Sans CJK SC",
        "楷体_GB2312",
        "KaiTi",
        "STKaiti",
    ] {
        assert!(style.contains(face), "{face} missing from the font stacks");
    }
    for banned in [
        "url(",
        "@import",
        "@font-face",
        "<link",
        "<script",
        "javascript:",
    ] {
        assert!(!page.contains(banned), "{banned} in the page");
    }
}
