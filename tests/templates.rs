//! The statutory words live in templates/. A third, invented template (tests/fixtures/
//! template_invented.json: a renamed row key and label, an extra applicant column, its own title
//! pattern) is loaded at run time, and a report in it validates, lays out and exports to PDF,
//! DOCX and XLSX without code changes. And no statutory label or template key is written in the
//! code outside the places listed here.

mod common;

use nianbao::layout::{self, Block, Content};
use nianbao::options::{ExportOptions, Target};
use nianbao::template::{self, RowDef, Template};
use nianbao::validate::{has_errors, validate, Severity};
use nianbao::Report;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The invented template, registered once for this test process.
fn invented() -> &'static Template {
    static T: OnceLock<&'static Template> = OnceLock::new();
    T.get_or_init(|| {
        let t = Template::from_file(&root().join("tests/fixtures/template_invented.json"))
            .unwrap_or_else(|e| panic!("{e}"));
        template::register(t).unwrap_or_else(|e| panic!("{e}"))
    })
}

fn add_column(v: &mut Value) {
    if let Some(o) = v.as_object_mut() {
        if o.contains_key("natural_person") {
            o.insert("foreign".into(), json!(0));
        } else {
            for (_, c) in o.iter_mut() {
                add_column(c);
            }
        }
    }
}

/// The clean 2021 example rewritten in the invented format, with 2 applications from the new
/// column, consistently carried through every rule.
fn report_json() -> Value {
    let text = std::fs::read_to_string(root().join("examples/demo-city-2024.json")).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["format"] = json!("2090");
    v["year"] = json!(2090);
    v["published"] = json!("2091-01-20");
    v["preamble"] = json!(["本报告统计期限自2090年1月1日起至2090年12月31日止。"]);
    let apps = &mut v["applications"];
    let pg = apps
        .as_object_mut()
        .unwrap()
        .remove("partially_granted")
        .unwrap();
    apps["partly_granted"] = pg;
    add_column(apps);
    for row in ["carried_over", "granted"] {
        apps[row]["foreign"] = json!(2);
        let t = apps[row]["total"].as_i64().unwrap();
        apps[row]["total"] = json!(t + 2);
    }
    let t = apps["total_processed"]["total"].as_i64().unwrap();
    apps["total_processed"]["foreign"] = json!(2);
    apps["total_processed"]["total"] = json!(t + 2);
    v
}

fn zip_text(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn a_third_template_validates_lays_out_and_exports_without_code_changes() {
    let t = invented();
    assert_eq!(
        Template::get("2090").map(|x| x.format.as_str()),
        Some("2090")
    );
    assert!(matches!(
        template::register(
            Template::from_file(&root().join("tests/fixtures/template_invented.json")).unwrap()
        ),
        Err(template::TemplateError::Duplicate(_))
    ));
    let v = report_json();
    let report = Report::from_json(&v.to_string()).unwrap_or_else(|e| panic!("{e}"));
    assert!(std::ptr::eq(report.template(), t));
    assert_eq!(
        report.title(),
        format!("{}2090年度政务公开报告", report.agency)
    );
    assert_eq!(report.to_json(), v);
    let findings = validate(&report, None);
    assert!(!has_errors(&findings), "{findings:#?}");
    assert!(!findings.iter().any(|f| f.rule == "F-02"), "{findings:#?}");
    // A-06 reads the renamed row, A-03 sums the extra column.
    assert!(findings
        .iter()
        .any(|f| f.rule == "A-06" && f.path == "applications.partly_granted"));
    let mut broken = v.clone();
    broken["applications"]["granted"]["foreign"] = json!(3);
    let fs = validate(&Report::from_json(&broken.to_string()).unwrap(), None);
    let a03 = fs
        .iter()
        .find(|f| f.rule == "A-03" && f.severity == Severity::Error)
        .unwrap_or_else(|| panic!("{fs:#?}"));
    assert_eq!(a03.path, "applications.granted.total");
    // The layout has the extra column and the renamed row.
    let doc = layout::build_with_findings(&report, findings);
    let apps = doc
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Table(t) if t.id == "applications" => Some(t),
            _ => None,
        })
        .unwrap();
    assert_eq!(apps.columns, 11);
    let texts: Vec<&str> = apps
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .map(|c| c.content.text())
        .collect();
    assert!(texts.contains(&"境外组织"));
    assert!(texts.contains(&"（二）部分予以公开（区分处理的，只计此项）"));
    let foreign = apps
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .filter(|c| matches!(&c.content, Content::Number(n) if &*n.key.column == "foreign"))
        .count();
    assert_eq!(foreign, 25);
    assert!(apps
        .checks
        .iter()
        .all(|c| c.verdict == nianbao::equation::Verdict::Holds));
    // Every writer.
    let opts = ExportOptions::default();
    let pdf = nianbao::export::write(&doc, Target::Pdf, &opts).unwrap();
    assert!(pdf.bytes.starts_with(b"%PDF"));
    let docx = nianbao::export::write(&doc, Target::Docx, &opts).unwrap();
    let body = zip_text(&docx.bytes, "word/document.xml");
    assert!(body.contains("境外组织") && body.contains("部分予以公开"));
    let xlsx = nianbao::export::write(&doc, Target::Xlsx, &opts).unwrap();
    let strings = zip_text(&xlsx.bytes, "xl/sharedStrings.xml");
    assert!(strings.contains("境外组织") && strings.contains("部分予以公开"));
    // The schema knows the new column.
    let schema = nianbao::schema::report_schema().to_string();
    assert!(schema.contains("\"foreign\""));
}

#[test]
fn a_template_that_contradicts_itself_is_refused_with_its_place() {
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/template_invented.json")).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["checks"]["counted_once"]["rows"] = json!(["partially_granted"]);
    let e = Template::from_json(&v.to_string()).unwrap_err().to_string();
    assert!(
        e.contains("checks.counted_once") && e.contains("partially_granted"),
        "{e}"
    );
}

/// Every label (headings, names, row and column labels, header texts, captions, notices, level
/// names, placeholders) and every key (sections, tables, groups, row segments, columns) of every
/// template.
fn words() -> (BTreeSet<String>, BTreeSet<String>) {
    invented();
    let mut labels = BTreeSet::new();
    let mut keys = BTreeSet::new();
    fn rows(rs: &[RowDef], labels: &mut BTreeSet<String>, keys: &mut BTreeSet<String>) {
        for r in rs {
            labels.insert(r.label.clone());
            if let Some(k) = &r.key {
                keys.insert(k.clone());
            }
            rows(&r.children, labels, keys);
        }
    }
    for t in template::all() {
        labels.extend([t.name.clone(), t.notice.clone(), t.notice_title.clone()]);
        for l in [
            nianbao::template::Level::Department,
            nianbao::template::Level::Government,
            nianbao::template::Level::Township,
            nianbao::template::Level::Vertical,
        ] {
            labels.insert(t.levels.name(l).to_string());
        }
        for s in &t.sections {
            keys.insert(s.key.clone());
            labels.insert(s.heading.clone());
            labels.extend(s.variants.iter().cloned());
            labels.extend(s.placeholder.iter().cloned());
        }
        for d in &t.tables {
            keys.insert(d.key.clone());
            labels.extend([d.name.clone(), d.title.clone()]);
            labels.extend(d.row_header.iter().cloned());
            labels.extend(d.header.iter().map(|h| h.text.clone()));
            rows(&d.rows, &mut labels, &mut keys);
            let columns = d
                .columns
                .iter()
                .chain(d.groups.iter().flat_map(|g| &g.columns));
            for c in columns {
                keys.insert(c.key.clone());
                labels.insert(c.label.clone());
                labels.extend(c.group.iter().cloned());
            }
            for g in &d.groups {
                keys.insert(g.id.clone());
                labels.insert(g.caption.clone());
                rows(&g.rows, &mut labels, &mut keys);
            }
        }
    }
    (labels, keys)
}

/// String literals of a Rust source, before its `#[cfg(test)]` module.
fn literals(src: &str) -> Vec<String> {
    let code = src.split("#[cfg(test)]").next().unwrap_or_default();
    let mut out = Vec::new();
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '\'' if chars.get(i + 2) == Some(&'\'') || chars.get(i + 1) == Some(&'\\') => {
                // A char literal: skip it ('"' included).
                i += 1;
                while i < chars.len() && chars[i] != '\'' {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
            }
            '"' => {
                let mut s = String::new();
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    if let Some(c) = chars.get(i) {
                        s.push(*c);
                    }
                    i += 1;
                }
                out.push(s);
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().filter_map(|e| e.ok()) {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Statutory labels and template keys appear in no code file, except:
/// - the report's own JSON field names (`format`, `published`, …; the 2019 column key
///   `published` is also one);
/// - `src/report/` names the statutory sections, which are the report JSON's fields;
/// - `src/schema.rs` writes JSON Schema's own keyword `items` (also a 2019 column key).
#[test]
fn no_statutory_label_or_template_key_in_code() {
    let (labels, keys) = words();
    let report_fields = common::REPORT_FIELDS;
    let sections: Vec<String> = template::newest()
        .sections
        .iter()
        .map(|s| s.key.clone())
        .collect();
    let allowed = |file: &str, literal: &str| -> bool {
        report_fields.contains(&literal)
            || (file.starts_with("src/report/") && sections.iter().any(|s| s == literal))
            || (file == "src/schema.rs" && literal == "items")
            // collect's status word for a report met twice, not table 三's 重复申请 key.
            || (file == "src/collect.rs" && literal == "duplicate")
    };
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    files.sort();
    let mut bad = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(root()).unwrap().display().to_string();
        let src = std::fs::read_to_string(f).unwrap();
        for lit in literals(&src) {
            if allowed(&rel, &lit) {
                continue;
            }
            if keys.contains(&lit) {
                bad.push(format!("{rel}: key {lit:?}"));
            }
            for l in &labels {
                if lit == *l || (l.chars().count() >= 3 && lit.contains(l.as_str())) {
                    bad.push(format!("{rel}: label {l:?} in {lit:?}"));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // The scan itself finds what it looks for.
    assert!(literals("let x = \"（七）总计\"; // \"y\"\n").contains(&"（七）总计".to_string()));
    assert!(labels.contains("（七）总计") && keys.contains("carried_forward"));
}

/// Each bundled template file is named after its format id: `format_ids` lists the file names
/// without parsing any template, and `Template::get` parses only the file of that name.
#[test]
fn bundled_template_files_are_named_after_their_format() {
    let dir = root().join("templates");
    let mut stems: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".json").map(str::to_string))
        .collect();
    stems.sort();
    assert!(!stems.is_empty());
    for s in &stems {
        let t = Template::from_file(&dir.join(format!("{s}.json"))).unwrap();
        assert_eq!(t.format, *s, "templates/{s}.json");
        assert_eq!(
            Template::get(s).map(|t| t.format.as_str()),
            Some(s.as_str())
        );
    }
    let ids = template::format_ids();
    assert_eq!(
        ids[..stems.len()],
        stems.iter().map(String::as_str).collect::<Vec<_>>()
    );
    let all: Vec<&str> = template::all().iter().map(|t| t.format.as_str()).collect();
    assert_eq!(ids[..stems.len()], all[..stems.len()]);
}
