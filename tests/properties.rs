//! Property tests (issue 14 item 9): generated valid reports export to every format, and the
//! formats that have an importer read back with the same numbers; import(export(r)) = r for
//! DOCX (the whole report but the level, which the filing copy does not print) and for XLSX
//! (what the export workbook holds: format, agency, year, publication date, every statutory
//! cell).
//!
//! A valid report is generated as a sum of valid reports with random non-negative whole
//! weights (every arithmetic rule is a linear equation or inequality, so the sum keeps them),
//! with a random 收费 amount (a cell of no sum rule) and random prose: CJK and ASCII drawn from
//! the characters the examples use (so every glyph is in the bundled fonts), in random
//! paragraphs and sub-headings. The case count is kept modest so the suite stays fast; set
//! `PROPTEST_CASES` to run more.

use nianbao::import::{from_docx, from_html, from_pdf, from_xlsx, ImportOptions};
use nianbao::{export, Block, ExportOptions, Number, Report, Target};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> Report {
    let text = std::fs::read_to_string(root().join(rel)).unwrap();
    Report::from_json(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every statutory cell of a report: (table, row, column).
fn cells(r: &Report) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for t in &r.template().tables {
        let def = r.table_def(&t.key).unwrap();
        for leaf in def.leaves() {
            for c in def.columns_of(&leaf.key) {
                out.push((t.key.clone(), leaf.key.clone(), c.key.clone()));
            }
        }
    }
    out
}

/// Valid 2021-format reports with every cell given and the same cells as the first: the
/// bases of the sums.
fn bases() -> &'static [Report] {
    static B: OnceLock<Vec<Report>> = OnceLock::new();
    B.get_or_init(|| {
        let first = read("examples/demo-city-2024.json");
        let keys = cells(&first);
        let mut out = vec![first.clone()];
        for rel in [
            "tests/fixtures/reports/fixture_city_2025.json",
            "tests/fixtures/reports/pingtan_2023.json",
            "tests/fixtures/reports/shuyang_fgj_2023.json",
            "tests/fixtures/reports/hongze_2023.json",
        ] {
            let r = read(rel);
            let complete = cells(&r) == keys
                && keys
                    .iter()
                    .all(|(t, row, c)| r.cell(t, row, c).is_ok_and(|v| v.is_some()));
            if complete && !nianbao::validate::has_errors(&nianbao::validate(&r, None)) {
                out.push(r);
            }
        }
        assert!(out.len() >= 2, "at least two complete, valid bases");
        out
    })
}

/// The characters of the examples' prose: CJK, ASCII and punctuation every bundled font has.
fn alphabet() -> &'static Vec<char> {
    static A: OnceLock<Vec<char>> = OnceLock::new();
    A.get_or_init(|| {
        let mut set = BTreeSet::new();
        let r = read("examples/demo-city-2024.json");
        for b in r.overview.iter().chain(&r.problems).chain(&r.other) {
            if let Block::Paragraph(p) = b {
                set.extend(p.chars().filter(|c| !c.is_whitespace()));
            }
        }
        set.extend('a'..='z');
        set.extend('A'..='Z');
        set.into_iter().collect()
    })
}

fn prose(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(alphabet().clone()), 4..max)
        .prop_map(|v| v.into_iter().collect())
}

fn blocks() -> impl Strategy<Value = Vec<Block>> {
    prop::collection::vec(
        prop_oneof![
            4 => prose(120).prop_map(Block::Paragraph),
            // A sub-heading may hold a sentence mark: the DOCX importer takes the heading
            // style's word for it (import::assemble); HTML and PDF are compared by numbers.
            1 => (prose(16), prop::sample::select(vec!["", "。", "；"]), prose(8))
                .prop_map(|(a, mark, b)| Block::Heading(format!("（一）{a}{mark}{b}"))),
        ],
        1..5,
    )
}

/// A generated valid report: a weighted sum of the bases, a random fee and random prose.
fn report() -> impl Strategy<Value = Report> {
    let n = bases().len();
    (
        prop::collection::vec(0_i64..40, n),
        0_i64..10_000_000,
        0_u32..5,
        blocks(),
        blocks(),
        blocks(),
    )
        .prop_map(|(weights, fee, scale, overview, problems, other)| {
            let b = bases();
            let mut r = b[0].clone();
            for (t, row, c) in cells(&r) {
                let mut sum = Decimal::ZERO;
                for (w, base) in weights.iter().zip(b) {
                    if let Ok(Some(v)) = base.cell(&t, &row, &c) {
                        sum += v.to_decimal() * Decimal::from(*w);
                    }
                }
                let value = match r.cell(&t, &row, &c) {
                    Ok(Some(Number::Decimal(_))) => Number::Decimal(sum),
                    _ => Number::Int(i64::try_from(sum).unwrap_or(0)),
                };
                r.set_cell(&t, &row, &c, Some(value)).unwrap();
            }
            let fee = Number::Decimal(Decimal::new(fee, scale));
            r.set_cell("proactive", "fees", "amount", Some(fee))
                .unwrap();
            r.overview = overview;
            r.problems = problems;
            r.other = other;
            r
        })
}

/// Every cell of `back` equals the same cell of `r` (numerically: `12.50` is `12.5`).
fn same_numbers(r: &Report, back: &Report, what: &str) -> Result<(), TestCaseError> {
    for (t, row, c) in cells(r) {
        let want = r.cell(&t, &row, &c).unwrap().map(Number::to_decimal);
        let got = back
            .cell(&t, &row, &c)
            .map_err(|e| TestCaseError::fail(format!("{what}: {e}")))?
            .map(Number::to_decimal);
        prop_assert_eq!(
            want.map(|d| d.normalize()),
            got.map(|d| d.normalize()),
            "{}: {}.{}.{}",
            what,
            t,
            row,
            c
        );
    }
    Ok(())
}

/// Report JSON without what the filing copy does not print (the administrative level): the
/// normalisation of the DOCX round-trip tests (tests/import_docx.rs).
fn comparable(r: &Report) -> Value {
    let mut v = r.to_json();
    if let Some(o) = v.as_object_mut() {
        o.remove("level");
    }
    v
}

/// The leaves of a JSON tree by path; numbers normalised (`147349.0` is `147349`: a workbook
/// cell holds a number, not the way it was written).
fn leaves(v: &Value, path: &str, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                leaves(x, &format!("{path}.{k}"), out);
            }
        }
        Value::Number(n) => {
            let d: Decimal = n.to_string().parse().expect("a JSON number is a decimal");
            out.push((path.to_string(), Value::String(d.normalize().to_string())));
        }
        _ => out.push((path.to_string(), v.clone())),
    }
}

/// What the export workbook holds: format, agency, year, publication date and every statutory
/// cell, as JSON path and value (the view of tests/import_xlsx.rs).
fn workbook_view(r: &Report) -> Vec<(String, Value)> {
    let v = r.to_json();
    let mut out = Vec::new();
    for k in ["format", "agency", "year", "published"] {
        out.push((k.to_string(), v.get(k).cloned().unwrap_or(Value::Null)));
    }
    for section in ["proactive", "applications", "review_litigation"] {
        leaves(&v[section], section, &mut out);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(24),
        ..ProptestConfig::default()
    })]

    /// A generated report validates, exports to all four formats, and the PDF and the HTML
    /// read back with the same numbers, agency and year.
    #[test]
    fn valid_reports_export_and_read_back(r in report()) {
        let findings = nianbao::validate(&r, None);
        prop_assert!(!nianbao::validate::has_errors(&findings), "{:?}", findings);
        let opts = ExportOptions::default();
        let mut outputs = Vec::new();
        for target in Target::ALL {
            let out = export(&r, target, &opts).map_err(|e| TestCaseError::fail(format!("{target:?}: {e}")))?;
            prop_assert!(!out.bytes.is_empty());
            outputs.push((target, out.bytes));
        }
        let import = ImportOptions::default();
        for (target, bytes) in outputs {
            let back = match target {
                Target::Pdf => from_pdf(&bytes, &import),
                Target::Html => from_html(&String::from_utf8(bytes).unwrap(), &import),
                // DOCX and XLSX: the round-trip properties below check them in full.
                Target::Docx | Target::Xlsx => continue,
            };
            let back = back.map_err(|e| TestCaseError::fail(format!("{target:?} import: {e}")))?;
            prop_assert_eq!(&back.report.agency, &r.agency);
            prop_assert_eq!(back.report.year, r.year);
            same_numbers(&r, &back.report, &format!("{target:?}"))?;
        }
    }

    /// What a generated report writes as JSON reads back as the same report.
    #[test]
    fn json_round_trips(r in report()) {
        let back = Report::from_json(&r.to_json_string()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back, r);
    }

    /// import(export(r)) = r for DOCX: the whole report (title, agency, year, date, preamble,
    /// every cell, every heading and paragraph) but the level; every cell read.
    #[test]
    fn docx_import_of_the_export_is_the_report(r in report()) {
        let out = export(&r, Target::Docx, &ExportOptions::default())
            .map_err(|e| TestCaseError::fail(format!("DOCX export: {e}")))?;
        let back = from_docx(&out.bytes, &ImportOptions::default())
            .map_err(|e| TestCaseError::fail(format!("DOCX import: {e}")))?;
        prop_assert!(back.complete(), "{:?}", back.log);
        let (got, want) = (comparable(&back.report), comparable(&r));
        for (k, v) in want.as_object().unwrap() {
            prop_assert_eq!(got.get(k), Some(v), "DOCX round trip: {}", k);
        }
        prop_assert_eq!(got, want);
    }

    /// import(export(r)) = r for XLSX: the whole report, prose, level and metadata included
    /// (numbers compared as decimals, so 1.50 and 1.5 are one value).
    #[test]
    fn xlsx_import_of_the_export_is_the_report(r in report()) {
        let out = export(&r, Target::Xlsx, &ExportOptions::default())
            .map_err(|e| TestCaseError::fail(format!("XLSX export: {e}")))?;
        let back = from_xlsx(&out.bytes, &ImportOptions::default())
            .map_err(|e| TestCaseError::fail(format!("XLSX import: {e}")))?;
        prop_assert!(back.complete(), "{:?}", back.log);
        prop_assert_eq!(workbook_view(&back.report), workbook_view(&r));
        same_numbers(&r, &back.report, "XLSX")?;
        let (mut got, mut want) = (Vec::new(), Vec::new());
        leaves(&back.report.to_json(), "", &mut got);
        leaves(&r.to_json(), "", &mut want);
        prop_assert_eq!(got, want);
    }
}
