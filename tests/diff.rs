//! `nianbao diff` (issue 13 items 2 and 3): the 平潭 series reports the known cross-year breaks
//! (validation.md E6: three X-02 现行有效 breaks; E7: 规章 对外公开总数量) and no others, named by
//! cell; an X-01 上年结转 break is named by cell; a report compared with itself is 100 % similar
//! with no changes; the repeated sentence is found, listed and marked; all four formats are
//! written and read back (pdftotext, python-docx, openpyxl with LibreOffice's recalculation
//! equal to the cached change formulas, scraper); hostile text stays text; `--pairs` pairs by
//! agency name.

mod common;

use nianbao::diff::{self, Comparison};
use nianbao::layout::{Block, Document};
use nianbao::report::Block as ReportBlock;
use nianbao::Report;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> String {
    format!("tests/fixtures/reports/{name}.json")
}

fn read(name: &str) -> Report {
    let text = std::fs::read_to_string(common::root().join(fixture(name))).unwrap();
    Report::from_json(&text).unwrap()
}

fn out_dir(tag: &str) -> PathBuf {
    let dir = common::root().join("target/test-out").join(tag);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// (rule, path, expected, actual) of every cell where a cross-year rule breaks.
fn breaks(c: &Comparison) -> Vec<(String, String, String, String)> {
    c.tables
        .iter()
        .flat_map(|t| &t.cells)
        .filter_map(|x| {
            x.broken.as_ref().map(|b| {
                (
                    b.rule.clone(),
                    x.path.clone(),
                    b.expected.clone().unwrap_or_default(),
                    b.actual.clone().unwrap_or_default(),
                )
            })
        })
        .collect()
}

/// Texts of the marked cells of the document's tables whose id starts with `prefix`.
fn marked_cells(doc: &Document, prefix: &str) -> Vec<String> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) if t.id.starts_with(prefix) => Some(t),
            _ => None,
        })
        .flat_map(|t| t.rows.iter().flat_map(|r| &r.cells))
        .filter(|c| c.marked)
        .map(|c| c.content.text().to_string())
        .collect()
}

#[test]
fn the_pingtan_series_reports_e6_and_e7_and_no_other_breaks() {
    let e6 = |rule: &str, expected: &str, actual: &str| {
        vec![(
            rule.to_string(),
            "proactive.normative_documents.in_force".to_string(),
            expected.to_string(),
            actual.to_string(),
        )]
    };
    let series = [
        (
            "pingtan_2019",
            "pingtan_2020_e1",
            vec![(
                "X-02".to_string(),
                "proactive.regulations.total_published".to_string(),
                "0".to_string(),
                "7".to_string(),
            )],
        ),
        ("pingtan_2022_e6", "pingtan_2023", e6("X-02", "643", "470")),
        ("pingtan_2023", "pingtan_2024_e6", e6("X-02", "499", "440")),
        (
            "pingtan_2024_e6",
            "pingtan_2025_e6",
            e6("X-02", "453", "546"),
        ),
    ];
    for (last, this, expected) in series {
        let c = diff::compare(&read(last), &read(this));
        assert_eq!(breaks(&c), expected, "{last} → {this}");
        // Each report's own findings are validate's.
        assert_eq!(
            c.findings.current,
            nianbao::validate::validate(&read(this), None)
        );
        assert_eq!(
            c.findings.previous,
            nianbao::validate::validate(&read(last), None)
        );
        assert_eq!(c.counts.breaks, 1);
        // No other cross-year finding: the cell breaks are all there is (no X-01, no X-03).
        let rules: Vec<&str> = c
            .findings
            .cross_year
            .iter()
            .map(|f| f.rule.as_str())
            .collect();
        assert_eq!(rules, ["X-02"], "{last} → {this}");
        // The document names the cell, marks it and says what last year implies.
        let doc = diff::layout(&c);
        let (_, path, e, a) = &expected[0];
        let x = c
            .tables
            .iter()
            .flat_map(|t| &t.cells)
            .find(|x| &x.path == path)
            .unwrap();
        let marked = marked_cells(&doc, "compare.");
        assert_eq!(
            marked,
            [a.clone(), format!("X-02 不衔接：应为 {e}，实为 {a}")],
            "{last} → {this}"
        );
        let row = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) if t.id.starts_with("compare.") => Some(t),
                _ => None,
            })
            .flat_map(|t| &t.rows)
            .find(|r| r.cells.iter().any(|c| c.marked))
            .unwrap();
        assert_eq!(row.cells[0].content.text(), x.row_label);
        assert_eq!(row.cells[1].content.text(), x.column_label);
        assert!(x.cell.starts_with("表二 "), "{}", x.cell);
    }
}

#[test]
fn a_carry_over_break_is_named_by_cell() {
    let last = read("pingtan_2023");
    let mut this = read("pingtan_2024_e6");
    let apps = this.table_mut("applications").unwrap();
    apps.set(
        "carried_over",
        "natural_person",
        Some(nianbao::report::Number::Int(2)),
    );
    let c = diff::compare(&last, &this);
    let b = breaks(&c);
    assert!(b.contains(&(
        "X-01".into(),
        "applications.carried_over.natural_person".into(),
        "0".into(),
        "2".into()
    )));
    let x = c
        .tables
        .iter()
        .flat_map(|t| &t.cells)
        .find(|x| x.path == "applications.carried_over.natural_person")
        .unwrap();
    assert_eq!(
        x.cell,
        "表三 “二、上年结转政府信息公开申请数量” 行 “自然人” 列"
    );
    let doc = diff::layout(&c);
    assert!(marked_cells(&doc, "compare.").contains(&"X-01 不衔接：应为 0，实为 2".to_string()));
}

#[test]
fn a_report_compared_with_itself_is_identical() {
    let r = read("pingtan_2023");
    let c = diff::compare(&r, &r);
    assert_eq!(c.counts.changed, 0);
    assert!(c.counts.cells > 100);
    assert!(breaks(&c).is_empty());
    assert!(c.largest.is_empty());
    for s in &c.sections {
        assert_eq!(s.similarity, 1.0, "{}", s.key);
        assert_eq!(diff::similarity_text(s.similarity), "100.0%");
        // Every paragraph sentence long enough is repeated; only sub-headings stay unmarked.
        let paragraphs = r
            .prose(&s.key)
            .unwrap()
            .iter()
            .filter(|b| matches!(b, ReportBlock::Paragraph(_)))
            .count();
        assert!(paragraphs > 0);
        for (p, block) in s.paragraphs.iter().zip(r.prose(&s.key).unwrap()) {
            if matches!(block, ReportBlock::Paragraph(_)) {
                for run in p {
                    let hanzi = run
                        .text
                        .chars()
                        .filter(|c| nianbao::text::is_han(*c))
                        .count();
                    assert!(run.repeated || hanzi < diff::MIN_SENTENCE_HANZI, "{run:?}");
                }
            } else {
                assert!(p.iter().all(|run| !run.repeated));
            }
        }
    }
    // The X-03 finding is there for both sections (the measure is the rule's).
    let x03 = c
        .findings
        .cross_year
        .iter()
        .filter(|f| f.rule == "X-03")
        .count();
    assert_eq!(x03, 2);
    let doc = diff::layout(&c);
    let text = all_text(&doc);
    assert!(text.contains("与上年报告的相似度为 100.0%"), "{text}");
    assert!(text.contains("其中 0 个有变化"));
    assert!(text.contains(diff::MEASURE));
}

#[test]
fn the_repeated_sentence_is_listed_and_marked() {
    let c = diff::compare(&read("pingtan_2023"), &read("pingtan_2024_e6"));
    let sentence = "三是政策解读的质量有待提高，形式还要更加多样、更加“接地气”。";
    let problems = c.sections.iter().find(|s| s.key == "problems").unwrap();
    assert_eq!(problems.repeated, [sentence]);
    let marked: Vec<&str> = problems
        .paragraphs
        .iter()
        .flatten()
        .filter(|r| r.repeated)
        .map(|r| r.text.as_str())
        .collect();
    assert_eq!(marked, [sentence]);
    let overview = c.sections.iter().find(|s| s.key == "overview").unwrap();
    assert!(overview.repeated.is_empty(), "{:?}", overview.repeated);
    assert!(problems.similarity < 0.5 && problems.similarity > 0.0);
    let doc = diff::layout(&c);
    assert_eq!(marked_cells(&doc, "repeated."), [sentence]);
    let spans: Vec<&str> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Marked(s) => Some(s),
            _ => None,
        })
        .flatten()
        .filter(|s| s.marked)
        .map(|s| s.text.as_str())
        .collect();
    assert_eq!(spans, [sentence]);
}

fn all_text(doc: &Document) -> String {
    let mut s = String::new();
    for b in &doc.blocks {
        match b {
            Block::Heading { text, .. } | Block::Paragraph(text) => s.push_str(text),
            Block::Marked(spans) => spans.iter().for_each(|x| s.push_str(&x.text)),
            Block::Table(t) => t
                .rows
                .iter()
                .flat_map(|r| &r.cells)
                .for_each(|c| s.push_str(c.content.text())),
        }
        s.push('\n');
    }
    s
}

fn run_diff(args: &[&str]) -> std::process::Output {
    common::nianbao(&[&["diff"], args].concat())
}

fn python(script: &str, args: &[&Path]) -> Value {
    serde_json::from_slice(&common::python_c(script, args)).unwrap()
}

const DOCX_PY: &str = r#"
import json, sys, docx
d = docx.Document(sys.argv[1])
highlighted = [r.text for p in d.paragraphs for r in p.runs if r.font.highlight_color is not None]
cells = []
for t in d.tables:
    for row in t.rows:
        for c in row.cells:
            for p in c.paragraphs:
                for r in p.runs:
                    if r.font.highlight_color is not None:
                        cells.append(r.text)
print(json.dumps({"highlighted": highlighted, "cells": sorted(set(cells)),
                  "text": "\n".join(p.text for p in d.paragraphs)}, ensure_ascii=False))
"#;

const XLSX_PY: &str = r#"
import json, sys, openpyxl
src, recalculated = sys.argv[1], sys.argv[2]
wf = openpyxl.load_workbook(src)
wv = openpyxl.load_workbook(src, data_only=True)
wr = openpyxl.load_workbook(recalculated, data_only=True)
derived, mismatches, fills = 0, [], []
for ws in wf.worksheets:
    for row in ws.iter_rows():
        for c in row:
            f = c.value
            if isinstance(f, str) and f.startswith("=IF(COUNT("):
                derived += 1
                cached = wv[ws.title][c.coordinate].value
                again = wr[ws.title][c.coordinate].value
                same = (cached == again) if isinstance(cached, str) or isinstance(again, str) \
                    else abs(float(cached) - float(again)) < 1e-6
                if not same:
                    mismatches.append([ws.title, c.coordinate, f, cached, again])
            if c.fill is not None and c.fill.fgColor is not None and c.fill.fgColor.rgb in ("FFFFEB9C",):
                fills.append([ws.title, str(c.value)])
sheet = wf["表二对比"]
rows = {}
for r in sheet.iter_rows(min_row=1):
    label = r[0].value
    if label and r[1].value:
        rows[label + "|" + r[1].value] = [r[2].value, r[3].value, r[4].value, r[5].value,
            wv["表二对比"][r[4].coordinate].value, wv["表二对比"][r[5].coordinate].value]
print(json.dumps({"sheets": wf.sheetnames, "derived": derived, "mismatches": mismatches,
                  "fills": fills, "rows": rows}, ensure_ascii=False, default=str))
"#;

#[test]
fn all_four_formats_are_written_and_read_back() {
    let dir = out_dir("diff-formats");
    let out = run_diff(&[
        &fixture("pingtan_2023"),
        &fixture("pingtan_2024_e6"),
        "--to",
        "pdf,docx,xlsx,html",
        "--out-dir",
        dir.to_str().unwrap(),
    ]);
    common::assert_success(&out);
    let stem = "平潭综合实验区-2023-2024-diff";
    let file = |ext: &str| dir.join(format!("{stem}.{ext}"));
    let sentence = "三是政策解读的质量有待提高，形式还要更加多样、更加“接地气”。";
    let compact = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };

    // PDF: the text reads back (pdftotext), break and sentence included.
    let pdftotext = common::require_tool("pdftotext");
    let t = Command::new(pdftotext)
        .arg(file("pdf"))
        .arg("-")
        .output()
        .unwrap();
    let text = compact(&String::from_utf8_lossy(&t.stdout));
    for want in [
        "X-02不衔接：应为499，实为440",
        sentence,
        "与上年报告的相似度为",
        "统计表共对比200个单元格",
    ] {
        assert!(text.contains(&compact(want)), "PDF lacks {want}");
    }

    // DOCX: python-docx finds the sentence and the break highlighted.
    let d = python(DOCX_PY, &[&file("docx")]);
    assert_eq!(d["highlighted"], serde_json::json!([sentence]));
    let cells: Vec<&str> = d["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        cells.contains(&"X-02 不衔接：应为 499，实为 440"),
        "{cells:?}"
    );
    assert!(
        cells.contains(&sentence) && cells.contains(&"440"),
        "{cells:?}"
    );

    // XLSX: live change formulas; LibreOffice's recalculation equals the cached results.
    let lo = dir.join("lo");
    let profile = dir.join("lo-profile");
    common::recalc_profile(&profile);
    common::soffice_convert(&profile, "xlsx", &lo, &[file("xlsx")]);
    let x = python(XLSX_PY, &[&file("xlsx"), &lo.join(format!("{stem}.xlsx"))]);
    assert!(x["derived"].as_u64().unwrap() > 400, "{}", x["derived"]);
    assert_eq!(x["mismatches"], serde_json::json!([]));
    let sheets: Vec<&str> = x["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for s in [
        "概要",
        "校验结果",
        "变化最大",
        "表二对比",
        "表三对比",
        "表四对比",
        "重复句子",
    ] {
        assert!(sheets.contains(&s), "{sheets:?}");
    }
    let row = &x["rows"]["行政规范性文件|现行有效件数"];
    assert_eq!(row[0], 470);
    assert_eq!(row[1], 440);
    assert!(row[2].as_str().unwrap().contains("-C"), "{row}");
    assert_eq!(row[4], -30);
    assert!(
        (row[5].as_f64().unwrap() + 30.0 / 470.0).abs() < 1e-6,
        "{row}"
    );
    let fills: Vec<String> = x["fills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f[1].as_str().unwrap().to_string())
        .collect();
    assert!(fills.contains(&sentence.to_string()), "{fills:?}");
    assert!(fills.contains(&"X-02 不衔接：应为 499，实为 440".to_string()));

    // HTML: parsed, the marks hold the sentence and the break, the numbers sit in their cells.
    let html = std::fs::read_to_string(file("html")).unwrap();
    let page = scraper::Html::parse_document(&html);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let marks: Vec<String> = page
        .select(&sel("mark"))
        .map(|m| m.text().collect())
        .collect();
    assert!(marks.contains(&sentence.to_string()), "{marks:?}");
    assert!(marks.contains(&"X-02 不衔接：应为 499，实为 440".to_string()));
    let row = page
        .select(&sel("tr"))
        .find(|tr| {
            let t: String = tr.text().collect();
            tr.select(&sel("td, th")).count() == 7 && t.starts_with("行政规范性文件现行有效件数")
        })
        .expect("the broken row");
    let cells: Vec<String> = row
        .select(&sel("td, th"))
        .map(|c| c.text().collect::<String>())
        .collect();
    assert_eq!(cells[2..6], ["470", "440", "-30", "-6.4%"]);
}

/// A report whose prose carries markup, an ampersand, control characters (set past the
/// reader, which refuses them) and a 10,000-character word.
fn hostile() -> Report {
    let mut r = read("pingtan_2023");
    let word = "字".repeat(10_000);
    r.overview = vec![
        ReportBlock::Paragraph("<script>alert(1)</script>公开工作&amp;持续推进。".into()),
        ReportBlock::Paragraph(format!(
            "</table><mark>标记</mark>平台建设\u{7}不断完善{word}。"
        )),
    ];
    r.agency = "平潭<b>综合</b>实验区&".into();
    r
}

#[test]
fn hostile_text_stays_text_in_the_diff_and_the_html() {
    let r = hostile();
    let c = diff::compare(&r, &r);
    let overview = c.sections.iter().find(|s| s.key == "overview").unwrap();
    // The diff keeps the text as it is, markup and all.
    assert_eq!(
        overview.repeated[0],
        "<script>alert(1)</script>公开工作&amp;持续推进。"
    );
    assert!(overview.repeated[1].starts_with("</table><mark>标记</mark>平台建设\u{7}不断完善字"));
    assert_eq!(overview.repeated[1].chars().count(), 10_000 + 33);
    let doc = diff::layout(&c);
    let out = nianbao::html::write(&doc, &Default::default()).unwrap();
    let html = String::from_utf8(out.bytes).unwrap();
    assert!(!html.contains("<script") && !html.contains("<b>"));
    assert!(!html.contains('\u{7}'));
    let page = scraper::Html::parse_document(&html);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    assert_eq!(page.select(&sel("script, b")).count(), 0);
    // Marks are only the writer's own: none nested, each holding text only.
    for m in page.select(&sel("mark")) {
        assert_eq!(m.children().filter(|n| n.value().is_element()).count(), 0);
    }
    let marks: Vec<String> = page
        .select(&sel("mark"))
        .map(|m| m.text().collect())
        .collect();
    assert!(marks.contains(&"<script>alert(1)</script>公开工作&amp;持续推进。".to_string()));
    assert!(marks.iter().any(
        |m| m.starts_with("</table><mark>标记</mark>平台建设不断完善字")
            && m.chars().count() == 10_000 + 32
    ));
    // Every table is still a whole table: the text did not close one.
    let tables = doc
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::Table(_)))
        .count();
    assert_eq!(page.select(&sel("table")).count(), tables);
    // JSON for scripts keeps the text too.
    let json = serde_json::to_string(&c).unwrap();
    let back: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(back["current"]["agency"], "平潭<b>综合</b>实验区&");
}

#[test]
fn pairs_by_agency_name_in_one_workbook() {
    let dir = out_dir("diff-pairs");
    let (last, this) = (dir.join("2023"), dir.join("2024"));
    std::fs::create_dir_all(&last).unwrap();
    std::fs::create_dir_all(&this).unwrap();
    let copy = |name: &str, to: &Path, agency: Option<&str>| {
        let mut v: Value = serde_json::from_str(
            &std::fs::read_to_string(common::root().join(fixture(name))).unwrap(),
        )
        .unwrap();
        if let Some(a) = agency {
            v["agency"] = a.into();
        }
        std::fs::write(to, serde_json::to_string(&v).unwrap()).unwrap();
    };
    copy(
        "pingtan_2023",
        &last.join("a.json"),
        Some("平潭综合实验区（管委会）"),
    );
    copy(
        "pingtan_2024_e6",
        &this.join("b.json"),
        Some("平潭综合实验区 (管委会)"),
    );
    copy("shanghai_2019", &last.join("sh.json"), None);
    copy("hongze_2023", &this.join("hz.json"), None);
    let book = dir.join("comparison.xlsx");
    let out = run_diff(&[
        "--pairs",
        last.to_str().unwrap(),
        this.to_str().unwrap(),
        "-o",
        book.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("未配对 unpaired: 上年 sh.json"), "{stderr}");
    assert!(stderr.contains("未配对 unpaired: 本年 hz.json"), "{stderr}");
    let x = python(
        r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
rows = lambda ws: [[c.value for c in r] for r in ws.iter_rows()]
print(json.dumps({n: rows(wb[n]) for n in wb.sheetnames}, ensure_ascii=False, default=str))
"#,
        &[&book],
    );
    let pairs = x["对比"].as_array().unwrap();
    assert_eq!(pairs.len(), 2, "{pairs:?}");
    let header: Vec<&str> = pairs[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let row = pairs[1].as_array().unwrap();
    let col = |name: &str| header.iter().position(|h| h.contains(name)).unwrap();
    assert_eq!(row[0], "平潭综合实验区 (管委会)");
    assert_eq!(row[1], "a.json");
    assert_eq!(row[2], "b.json");
    assert_eq!(row[col("跨年度不衔接")], 1);
    assert_eq!(row[col("逐字重复的句子")], 1);
    assert!(row[col("不衔接的单元格")]
        .as_str()
        .unwrap()
        .contains("X-02 表二 “行政规范性文件” 行 “现行有效件数” 列：应为 499，实为 440"));
    let similarity = row[col("五、")].as_f64().unwrap();
    let expected = diff::compare(&read("pingtan_2023"), &read("pingtan_2024_e6"))
        .sections
        .iter()
        .find(|s| s.key == "problems")
        .unwrap()
        .similarity;
    assert!((similarity - expected).abs() < 1e-12);
    let unpaired = x["未配对"].as_array().unwrap();
    assert_eq!(unpaired.len(), 3);
    let files: Vec<&str> = unpaired[1..]
        .iter()
        .map(|r| r[1].as_str().unwrap())
        .collect();
    assert_eq!(files, ["hz.json", "sh.json"]);
}

#[test]
fn bad_inputs_are_named_with_their_exit_codes() {
    let out = run_diff(&[&fixture("pingtan_2023"), "tests/fixtures/reports/none.json"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("none.json") && stderr.contains("文件不存在"),
        "{stderr}"
    );
    let out = run_diff(&[&fixture("pingtan_2023")]);
    assert_eq!(out.status.code(), Some(2));
    let dir = out_dir("diff-bad");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\"format\": \"2021\", \"year\": \"x\"}").unwrap();
    let out = run_diff(&[&fixture("pingtan_2023"), bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.json"));
    // Nothing is written when an input cannot be read.
    let out = run_diff(&[
        &fixture("pingtan_2023"),
        bad.to_str().unwrap(),
        "--to",
        "pdf",
        "--out-dir",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    // --format json prints the comparison.
    let out = run_diff(&[
        &fixture("pingtan_2019"),
        &fixture("pingtan_2020_e1"),
        "--format",
        "json",
    ]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["counts"]["breaks"], 1);
    assert_eq!(v["previous"]["year"], 2019);
}

/// `--jobs 2` reads, validates and writes on two threads (the PDF beside the other formats):
/// every file is byte for byte the one `--jobs 1` writes, and so is the JSON comparison.
#[test]
fn the_output_is_the_same_whatever_the_number_of_threads() {
    let mut files: Vec<Vec<(String, Vec<u8>)>> = Vec::new();
    let mut printed = Vec::new();
    for jobs in ["1", "2"] {
        let dir = out_dir(&format!("diff-jobs-{jobs}"));
        let out = run_diff(&[
            &fixture("pingtan_2023"),
            &fixture("pingtan_2024_e6"),
            "--to",
            "pdf,docx,xlsx,html",
            "--jobs",
            jobs,
            "--format",
            "json",
            "--out-dir",
            dir.to_str().unwrap(),
        ]);
        common::assert_success(&out);
        printed.push(out.stdout);
        let mut set: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| {
                let p = e.unwrap().path();
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read(&p).unwrap())
            })
            .collect();
        set.sort();
        files.push(set);
    }
    let names = |s: &[(String, Vec<u8>)]| s.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&files[0]).len(), 4, "{:?}", names(&files[0]));
    assert_eq!(names(&files[0]), names(&files[1]));
    for ((name, one), (_, two)) in files[0].iter().zip(&files[1]) {
        assert!(one == two, "{name} differs between --jobs 1 and --jobs 2");
    }
    assert!(!printed[0].is_empty());
    assert_eq!(printed[0], printed[1]);
}
