//! DOCX import: nianbao's own DOCX round trip, a clerk's python-docx edits, a LibreOffice
//! re-save, foreign Word files (the shared web pages converted by LibreOffice, the WPS
//! template), tracked changes, comments and a table split across pages, and hostile files.

mod common;

use common::{leaves, ole_with, original, zip_of};
use nianbao::import::{docx_doc, from_docx, from_html, ImportError, ImportOptions, LogKind};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Report JSON without what the filing copy does not print (the administrative level).
fn comparable(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("level");
    }
    v
}

fn import_file(path: &Path) -> nianbao::import::Imported {
    let bytes = std::fs::read(path).unwrap();
    from_docx(&bytes, &ImportOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn out_dir(tag: &str) -> PathBuf {
    let dir = common::root().join("target/test-out").join(tag);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn round_trip_of_every_bundled_example() {
    for example in common::examples() {
        let path = common::export(&example, "docx", "import-docx-roundtrip");
        let imported = import_file(&path);
        assert!(imported.complete(), "{example}: {:?}", imported.log);
        assert_eq!(
            comparable(imported.report.to_json()),
            comparable(original(&example)),
            "{example}"
        );
        // Nothing was noted: no tracked changes, no comments in nianbao's own file.
        assert!(
            imported.log.of_kind(LogKind::Unread).next().is_none()
                && imported.log.of_kind(LogKind::Ambiguous).next().is_none(),
            "{example}: {:?}",
            imported.log
        );
    }
}

/// A sub-heading holding 。 or ； (a sentence mark) is read back as a heading: the DOCX writer
/// styles it Heading2 and the importer takes the style's word over the punctuation.
#[test]
fn a_sub_heading_with_sentence_marks_comes_back_as_a_heading() {
    use nianbao::{export, Block, ExportOptions, Target};
    let text =
        std::fs::read_to_string(common::root().join("examples/demo-city-2024.json")).unwrap();
    let mut r = nianbao::Report::from_json(&text).unwrap();
    let headings = [
        "（一）加强组织领导。压实工作责任",
        "（二）完善制度；规范流程",
        "（三）强化监督。",
    ];
    r.overview.insert(0, Block::Heading(headings[0].into()));
    r.problems.insert(0, Block::Heading(headings[1].into()));
    r.other.push(Block::Heading(headings[2].into()));
    r.other
        .push(Block::Paragraph("无其他需要报告的事项。".into()));
    let out = export(&r, Target::Docx, &ExportOptions::default()).unwrap();
    let back = from_docx(&out.bytes, &ImportOptions::default()).unwrap();
    assert!(back.complete(), "{:?}", back.log);
    assert_eq!(back.report.overview[0], Block::Heading(headings[0].into()));
    assert_eq!(back.report.problems[0], Block::Heading(headings[1].into()));
    assert!(back
        .report
        .other
        .contains(&Block::Heading(headings[2].into())));
    assert_eq!(comparable(back.report.to_json()), comparable(r.to_json()));
}

/// Rewrites parts of a package.
fn with_parts(src: &Path, dst: &Path, f: impl Fn(&str, String) -> String) {
    common::rewrite_parts(src, dst, |name, bytes| {
        f(name, String::from_utf8(bytes).unwrap()).into_bytes()
    });
}

/// The paragraph of `xml` whose text contains `needle` (start and end byte offsets).
fn paragraph_with(xml: &str, needle: &str) -> (usize, usize) {
    let at = xml
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in the XML"));
    let start = xml[..at].rfind("<w:p>").unwrap();
    let end = at + xml[at..].find("</w:p>").unwrap() + "</w:p>".len();
    (start, end)
}

#[test]
fn tracked_changes_a_comment_and_a_table_split_across_pages_are_read_and_logged() {
    let example = "examples/demo-2019.json";
    let path = common::export(example, "docx", "import-docx-tracked");
    let edited = path.with_file_name("tracked.docx");
    with_parts(&path, &edited, |name, xml| {
        if name != "word/document.xml" {
            return xml;
        }
        let mut xml = xml;
        // A tracked insertion and a tracked deletion inside a paragraph of 一.
        let old = "推动政府信息公开工作规范有序开展。";
        let (s, e) = paragraph_with(&xml, old);
        let para = xml[s..e].replace(
            &format!("<w:t xml:space=\"preserve\">2019年，示例市认真贯彻落实新修订的《条例》，围绕市委、市政府中心工作，加强组织领导，完善工作机制，{old}</w:t></w:r>"),
            "<w:t xml:space=\"preserve\">2019年，示例市认真贯彻落实新修订的《条例》，围绕市委、市政府中心工作，</w:t></w:r>\
             <w:del w:id=\"901\" w:author=\"审核人\" w:date=\"2020-03-01T00:00:00Z\"><w:r><w:delText>切实</w:delText></w:r></w:del>\
             <w:ins w:id=\"902\" w:author=\"审核人\" w:date=\"2020-03-01T00:00:00Z\"><w:r><w:t>加强组织</w:t></w:r></w:ins>\
             <w:commentRangeStart w:id=\"0\"/><w:r><w:t>领导，完善工作</w:t></w:r><w:commentRangeEnd w:id=\"0\"/>\
             <w:r><w:commentReference w:id=\"0\"/></w:r>\
             <w:r><w:t>机制，</w:t></w:r><w:r><w:t>推动政府信息公开工作规范有序开展。</w:t></w:r>",
        );
        assert_ne!(para, xml[s..e], "the edit applies");
        xml.replace_range(s..e, &para);
        // Table 三 split in two after （二）部分公开, the header rows repeated in the second part,
        // with a page break between them.
        let t3 = xml.find("三、收到和处理政府信息公开申请情况").unwrap();
        let tbl_start = t3 + xml[t3..].find("<w:tbl>").unwrap();
        let tbl_end = tbl_start + xml[tbl_start..].find("</w:tbl>").unwrap();
        let table = &xml[tbl_start..tbl_end];
        let head_end = {
            // The first three rows are the column headers.
            let mut at = 0;
            for _ in 0..3 {
                at += table[at..].find("</w:tr>").unwrap() + "</w:tr>".len();
            }
            at
        };
        let props_end = table.find("<w:tr>").unwrap();
        let split_row = table.find("（三）不予公开").unwrap();
        let split_at = table[..split_row].rfind("<w:tr>").unwrap();
        // The split must not fall inside a vertically merged label: go back to the row that
        // starts （三）.
        let second = format!(
            "</w:tbl><w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>{}{}{}",
            &table[..props_end],
            &table[props_end..head_end],
            &table[split_at..]
        );
        let rebuilt = format!("{}{}", &table[..split_at], second);
        xml.replace_range(tbl_start..tbl_end, &rebuilt);
        xml
    });
    let imported = import_file(&edited);
    let notes: Vec<&str> = imported
        .log
        .of_kind(LogKind::Note)
        .map(|e| e.message.as_str())
        .collect();
    assert!(
        notes
            .iter()
            .any(|m| m.contains("插入 “加强组织”") && m.contains("接受修订")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|m| m.contains("删除 “切实”") && m.contains("接受修订")),
        "{notes:?}"
    );
    assert_eq!(
        notes.iter().filter(|m| m.contains("批注")).count(),
        1,
        "one comment, one entry: {notes:?}"
    );
    // The accepted text, and the numbers of the split table as in the report.
    assert!(imported.complete(), "{:?}", imported.log);
    assert_eq!(
        comparable(imported.report.to_json()),
        comparable(original(example)),
        "accepted text and the joined table give the report back"
    );
}

/// A tracked insertion or deletion of ten thousand characters is quoted in its note to sixty
/// characters and its length, not whole.
#[test]
fn a_long_tracked_change_is_quoted_short_in_its_note() {
    const N: usize = 10_000;
    let path = common::export(
        "examples/demo-2019.json",
        "docx",
        "import-docx-long-tracked",
    );
    let edited = path.with_file_name("long-tracked.docx");
    with_parts(&path, &edited, |name, xml| {
        if name != "word/document.xml" {
            return xml;
        }
        let mut xml = xml;
        let old = "推动政府信息公开工作规范有序开展。";
        let (s, e) = paragraph_with(&xml, old);
        let end = s + xml[s..e].rfind("</w:p>").unwrap();
        xml.insert_str(
            end,
            &format!(
                "<w:ins w:id=\"901\" w:author=\"审核人\"><w:r><w:t>{}</w:t></w:r></w:ins>\
                 <w:del w:id=\"902\" w:author=\"审核人\"><w:r><w:delText>{}</w:delText></w:r></w:del>",
                "甲".repeat(N),
                "乙".repeat(N)
            ),
        );
        xml
    });
    let imported = import_file(&edited);
    let notes: Vec<&str> = imported
        .log
        .of_kind(LogKind::Note)
        .map(|e| e.message.as_str())
        .collect();
    let quoted = |c: &str| format!("“{}…（共 {N} 字）”", c.repeat(60));
    for (what, c) in [("插入", "甲"), ("删除", "乙")] {
        assert!(
            notes
                .iter()
                .any(|m| m.contains(&format!("{what} {}", quoted(c)))),
            "{what}: {:?}",
            notes
                .iter()
                .map(|m| m.chars().take(100).collect::<String>())
                .collect::<Vec<_>>()
        );
    }
    for m in &notes {
        assert!(m.len() < 1_000, "a note of {} bytes", m.len());
    }
}

#[test]
fn the_wps_template_reads_its_labels_and_blank_cells() {
    let path = common::root().join("tests/fixtures/import/template_wps_2021.docx");
    let bytes = std::fs::read(&path).unwrap();
    let (json, log) = nianbao::import::to_report_json(
        &docx_doc(&bytes).unwrap().0,
        &ImportOptions {
            year: Some(2021),
            agency: Some("模板".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(json["format"], "2021", "{json:#}");
    // Every label matched: no label left over, nothing ambiguous.
    assert!(
        log.of_kind(LogKind::UnmatchedLabel).next().is_none()
            && log.of_kind(LogKind::Ambiguous).next().is_none(),
        "{log:#?}"
    );
    let mut cells = Vec::new();
    for section in ["proactive", "applications", "review_litigation"] {
        leaves(&json[section], section, &mut cells);
    }
    assert!(cells.len() > 150, "{} cells", cells.len());
    // The template has no numbers: each cell is blank (null, logged unread) or 0.
    for (path, v) in &cells {
        assert!(
            v.is_null() || v.as_f64() == Some(0.0),
            "{path} = {v} in a blank template"
        );
    }
}

fn expect_unreadable(bytes: &[u8], what: &str, words: &[&str]) {
    let err = match from_docx(bytes, &ImportOptions::default()) {
        Err(e) => e,
        Ok(_) => panic!("{what}: imported"),
    };
    assert_eq!(err.exit_code(), 2, "{what}");
    let msg = err.to_string();
    for w in words {
        assert!(msg.contains(w), "{what}: {msg}");
    }
    // The same through read_any, as every command reads its inputs.
    let any = nianbao::import::read_any(bytes, "report.docx", &ImportOptions::default())
        .err()
        .unwrap_or_else(|| panic!("{what}: read_any imported"));
    assert_eq!(any.exit_code(), 2, "{what}");
}

const CONTENT_TYPES: &[u8] = br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#;

#[test]
fn hostile_files_end_in_clear_errors() {
    expect_unreadable(
        &ole_with("EncryptedPackage"),
        "encrypted",
        &["密码", "encrypted"],
    );
    expect_unreadable(&ole_with("WordDocument"), "doc", &["旧的二进制", ".docx"]);
    // A zip bomb: 80 MB of spaces in document.xml deflate to under 100 KB.
    let mut bomb = b"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>".to_vec();
    bomb.resize(80 << 20, b' ');
    bomb.extend_from_slice(b"</w:body></w:document>");
    let bomb_zip = zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("word/document.xml", &bomb),
    ]);
    assert!(bomb_zip.len() < 1 << 20, "{}", bomb_zip.len());
    expect_unreadable(&bomb_zip, "zip bomb", &["压缩炸弹", "zip bomb"]);
    // Truncated: half of a real document.
    let real = std::fs::read(common::export(
        "examples/demo-2019.json",
        "docx",
        "import-docx-hostile",
    ))
    .unwrap();
    expect_unreadable(&real[..real.len() / 2], "truncated", &["zip", "truncated"]);
    // 100,000-deep nesting.
    let mut deep = String::from("<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>");
    deep.push_str(&"<w:sdt><w:sdtContent>".repeat(50_000));
    deep.push_str(&"</w:sdtContent></w:sdt>".repeat(50_000));
    deep.push_str("</w:body></w:document>");
    let deep_zip = zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("word/document.xml", deep.as_bytes()),
    ]);
    expect_unreadable(&deep_zip, "deep nesting", &["嵌套", "word/document.xml"]);
    // A zip that is not a Word file; an entity-expanding DTD.
    expect_unreadable(
        &zip_of(&[("a.txt", b"x")]),
        "no document part",
        &["不是 Word 文档"],
    );
    let dtd = br#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"#;
    expect_unreadable(
        &zip_of(&[
            ("[Content_Types].xml", CONTENT_TYPES),
            ("word/document.xml", dtd),
        ]),
        "DTD",
        &["word/document.xml", "XML"],
    );
    // A Word file with no statutory table is not a report.
    let prose = r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>2023年工作总结</w:t></w:r></w:p></w:body></w:document>"#;
    let err = from_docx(
        &zip_of(&[
            ("[Content_Types].xml", CONTENT_TYPES),
            ("word/document.xml", prose.as_bytes()),
        ]),
        &ImportOptions::default(),
    )
    .expect_err("not a report");
    assert!(
        matches!(
            err,
            ImportError::NotAReport { .. } | ImportError::MissingYear
        ),
        "{err}"
    );
}

fn python_edit(src: &Path, dst: &Path, script: &str) {
    common::python_c(script, &[src, dst]);
}

/// A clerk's edits in python-docx: a number in table 三, a paragraph added to 五, one deleted
/// from 一.
const CLERK: &str = r#"
import sys, copy
from docx import Document
d = Document(sys.argv[1])
# Table 三: the 本年新收 row, 自然人 column (the first number of the row).
t3 = d.tables[1]
row = next(r for r in t3.rows if r.cells[0].text.startswith('一、本年新收'))
cell = next(c for c in row.cells if c.text.strip().isdigit())
cell.paragraphs[0].runs[0].text = str(int(cell.text) + 5)
# 五: a paragraph after the heading's first paragraph.
ps = d.paragraphs
h5 = next(i for i, p in enumerate(ps) if p.text.startswith('五、'))
first = ps[h5 + 1]
new = copy.deepcopy(first._p)
first._p.addnext(new)
from docx.text.paragraph import Paragraph
np = Paragraph(new, first._parent)
for r in np.runs[1:]:
    r._r.getparent().remove(r._r)
np.runs[0].text = '新增一段：加强培训。'
# 一: delete the first body paragraph after the heading.
h1 = next(i for i, p in enumerate(ps) if p.text.startswith('一、'))
gone = ps[h1 + 1]
gone._p.getparent().remove(gone._p)
d.save(sys.argv[2])
"#;

#[test]
fn a_clerks_python_docx_edits_show_exactly_and_validation_names_the_cells() {
    let example = "examples/demo-2019.json";
    let path = common::export(example, "docx", "import-docx-clerk");
    let edited = path.with_file_name("edited.docx");
    python_edit(&path, &edited, CLERK);
    let imported = import_file(&edited);
    let got = comparable(imported.report.to_json());
    let mut want = comparable(original(example));
    // The edits, applied to the JSON by hand.
    let natural = &mut want["applications"]["new_received"]["natural_person"];
    *natural = Value::from(natural.as_i64().unwrap() + 5);
    let problems = want["problems"].as_array_mut().unwrap();
    problems.insert(1, Value::from("新增一段：加强培训。"));
    want["overview"].as_array_mut().unwrap().remove(0);
    assert_eq!(got, want);
    // Validation names the broken arithmetic cell by cell: the row total and the column sum.
    let findings = nianbao::validate::validate(&imported.report, None);
    let errors: Vec<String> = findings
        .iter()
        .filter(|f| f.severity == nianbao::template::Severity::Error)
        .map(|f| format!("{} {}", f.path, f.cell))
        .collect();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("applications.new_received.total")),
        "{errors:#?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("applications.new_received.natural_person")
                && e.contains("“自然人” 列")),
        "{errors:#?}"
    );
}

#[test]
fn a_libreoffice_resave_imports_with_the_same_cells_and_prose() {
    let dir = out_dir("import-docx-lo-resave");
    let mut files = Vec::new();
    for example in common::examples() {
        let p = common::export(&example, "docx", "import-docx-lo-src");
        let copy = dir.join(p.file_name().unwrap());
        std::fs::copy(&p, &copy).unwrap();
        files.push((example, copy));
    }
    let out = dir.join("out");
    let list: Vec<PathBuf> = files.iter().map(|(_, p)| p.clone()).collect();
    common::soffice_convert(&dir.join("profile"), "docx", &out, &list);
    for (example, p) in &files {
        let resaved = out.join(p.file_name().unwrap());
        let imported = import_file(&resaved);
        let mut got = comparable(imported.report.to_json());
        let mut want = comparable(original(example));
        // LibreOffice rewrites the document properties (the creation date, the application):
        // the publication date is nianbao's only in its own files.
        for v in [&mut got, &mut want] {
            v.as_object_mut().unwrap().remove("published");
        }
        assert_eq!(got, want, "{example}");
    }
}

#[test]
fn web_pages_converted_to_docx_by_libreoffice_import_with_the_html_cells() {
    let dir = out_dir("import-docx-lo-html");
    let (names, html) = common::web_page_fixtures();
    common::soffice_convert(&dir.join("profile"), "docx:MS Word 2007 XML", &dir, &html);
    for (name, h) in names.iter().zip(&html) {
        let docx = std::fs::read(dir.join(format!("{name}.docx"))).expect("converted");
        let (doc, _) = docx_doc(&docx).unwrap_or_else(|e| panic!("{name}: {e}"));
        let (from_docx, _) = nianbao::import::to_report_json(&doc, &ImportOptions::default())
            .unwrap_or_else(|e| panic!("{name} (docx): {e}"));
        let page = std::fs::read_to_string(h).unwrap();
        let (from_page, _) = nianbao::import::to_report_json(
            &nianbao::import::html_doc(&page),
            &ImportOptions::default(),
        )
        .unwrap();
        let mut got = Vec::new();
        let mut want = Vec::new();
        for section in ["proactive", "applications", "review_litigation"] {
            leaves(&from_docx[section], section, &mut got);
            leaves(&from_page[section], section, &mut want);
        }
        assert_eq!(got, want, "{name}");
        assert_eq!(from_docx["format"], from_page["format"], "{name}");
        // Sanity: the page itself imports.
        assert!(from_html(&page, &ImportOptions::default()).is_ok());
    }
}
