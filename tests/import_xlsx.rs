//! XLSX import: nianbao's export workbook read back into the same report JSON for every
//! example and report fixture, openpyxl edits of a number, a sum cell and the prose, a
//! LibreOffice re-save, an older build's workbook, text typed in number cells, formulas, and
//! hostile files.

mod common;

use common::{leaves, ole_with, original, zip_of};
use nianbao::import::{from_xlsx, ImportOptions, LogKind};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// What a workbook of an older build held (no metadata or prose sheets): format, agency,
/// year, publication date and every statutory cell.
fn workbook_view(v: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for k in ["format", "agency", "year", "published"] {
        out.push((k.to_string(), v.get(k).cloned().unwrap_or(Value::Null)));
    }
    for section in ["proactive", "applications", "review_litigation"] {
        leaves(&v[section], section, &mut out);
    }
    out
}

fn import_bytes(bytes: &[u8], what: &str) -> nianbao::import::Imported {
    from_xlsx(bytes, &ImportOptions::default()).unwrap_or_else(|e| panic!("{what}: {e}"))
}

fn import_file(path: &Path) -> nianbao::import::Imported {
    import_bytes(&std::fs::read(path).unwrap(), &path.display().to_string())
}

/// Every report JSON the tests bundle that exports: the examples and the report fixtures.
fn report_files() -> Vec<String> {
    let mut v = common::examples();
    for dir in ["tests/fixtures", "tests/fixtures/reports"] {
        let mut more: Vec<String> = std::fs::read_dir(common::root().join(dir))
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .map(|p| format!("{dir}/{}", p.file_name().unwrap().to_string_lossy()))
            .filter(|f| {
                let text = std::fs::read_to_string(common::root().join(f)).unwrap();
                nianbao::Report::from_json(&text).is_ok()
            })
            .collect();
        more.sort();
        v.extend(more);
    }
    v
}

fn export_report(report: &nianbao::Report) -> Vec<u8> {
    nianbao::export(
        report,
        nianbao::Target::Xlsx,
        &nianbao::ExportOptions::default(),
    )
    .unwrap()
    .bytes
}

/// Exports and imports a report: the JSON must come back as it was (level, title, headings,
/// preamble, prose, free-form tables, every statutory cell), and nothing needs a note about a
/// cell.
fn assert_round_trip(report: &nianbao::Report, what: &str) {
    let imported = import_bytes(&export_report(report), what);
    assert!(imported.complete(), "{what}: {:#?}", imported.log);
    assert_eq!(imported.report.to_json(), report.to_json(), "{what}");
    assert!(
        !imported
            .log
            .entries
            .iter()
            .any(|e| e.source.to_string().contains('!')),
        "{what}: {:#?}",
        imported.log
    );
}

#[test]
fn export_workbook_round_trip_is_the_identity_for_every_example_and_report_fixture() {
    let files = report_files();
    assert!(files.len() >= 15, "{files:?}");
    for f in &files {
        let text = std::fs::read_to_string(common::root().join(f)).unwrap();
        assert_round_trip(&nianbao::Report::from_json(&text).unwrap(), f);
    }
    // The command line's workbook too.
    for example in common::examples() {
        let imported = import_file(&common::export(&example, "xlsx", "import-xlsx-roundtrip"));
        assert_eq!(imported.report.to_json(), original(&example), "{example}");
    }
}

#[test]
fn prose_that_looks_like_something_else_comes_back_as_written() {
    let text =
        std::fs::read_to_string(common::root().join("examples/demo-city-2024.json")).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["title"] = Value::from("示例县人民政府办公室2024年度政府信息公开工作年度报告（修订版）");
    v["level"] = Value::from("township");
    v["headings"] = serde_json::json!({"other": "六、其他需要报告的事项及说明"});
    v["preamble"] =
        serde_json::json!(["（一）看似小标题的前言段落", {"heading": "前言小标题。有句号"}]);
    v["overview"] = serde_json::json!([
        "12 13",
        "１２件",
        {"heading": "（一）主动公开"},
        "（二）看似小标题的段落",
        {"table": {"header_rows": 2, "rows": [
            ["项目", "数量", ""],
            ["", "件", "备注"],
            ["办件", "12件", " 12 "],
            ["合计", "1,234", "=SUM(B3)"]
        ]}},
        {"table": {"header_rows": 0, "rows": [["一、本年新收政府信息公开申请数量", "45"], ["行政许可", "35"]]}},
        "  前后有空格的段落  "
    ]);
    v["problems"] = serde_json::json!([]);
    v["other"] = serde_json::json!(["示例县人民政府办公室", "2025年1月20日"]);
    let report = nianbao::Report::from_json(&v.to_string()).unwrap();
    assert_round_trip(&report, "tricky prose");
}

/// Runs a Python script with openpyxl on `src`, saving to `dst`; prints what the script prints.
fn openpyxl(script: &str, src: &Path, dst: &Path, args: &[&str]) -> String {
    let mut all = vec![src.as_os_str(), dst.as_os_str()];
    all.extend(args.iter().map(std::ffi::OsStr::new));
    String::from_utf8_lossy(&common::python_c(script, &all))
        .trim()
        .to_string()
}

/// Sets `表三`'s first number in the 本年新收 row to a value given as Python source; prints the
/// cell's address.
const EDIT: &str = r#"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb['表三']
for row in ws.iter_rows():
    if any(isinstance(c.value, str) and c.value.startswith('一、本年新收') for c in row):
        cell = next(c for c in row if isinstance(c.value, (int, float)))
        cell.value = eval(sys.argv[3])
        print(cell.coordinate)
        break
wb.save(sys.argv[2])
"#;

fn edit(src: &Path, dst: &Path, value: &str) -> String {
    openpyxl(EDIT, src, dst, &[value])
}

#[test]
fn an_openpyxl_edit_reads_back_exactly() {
    let example = "examples/demo-2019.json";
    let path = common::export(example, "xlsx", "import-xlsx-openpyxl");
    let edited = path.with_file_name("edited.xlsx");
    edit(&path, &edited, "367");
    let imported = import_file(&edited);
    let mut want = original(example);
    assert_ne!(want["applications"]["new_received"]["natural_person"], 367);
    want["applications"]["new_received"]["natural_person"] = Value::from(367);
    // The edit, and only the edit: the total as published stays, and validation reports it.
    assert_eq!(imported.report.to_json(), want);
    assert!(imported.log.entries.is_empty(), "{:#?}", imported.log);
    let findings = nianbao::validate::validate(&imported.report, None);
    assert!(
        findings
            .iter()
            .any(|f| f.severity == nianbao::validate::Severity::Error
                && f.path.starts_with("applications.new_received")),
        "{findings:#?}"
    );
}

/// Overwrites the sum cell of `表三`'s 本年新收 row (the key sheet names it) with 999; prints
/// its address.
const OVERWRITE_SUM: &str = r#"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb['表三']
row = next(r[0].row for r in ws.iter_rows()
           if any(isinstance(c.value, str) and c.value.startswith('一、本年新收') for c in r))
key = wb['_nianbao']
sums = [r[2].value for r in key.iter_rows() if r[0].value == 'sum' and r[1].value == '表三']
at = next(a for a in sums if int(''.join(ch for ch in a if ch.isdigit())) == row)
ws[at].value = 999
print(at)
wb.save(sys.argv[2])
"#;

#[test]
fn a_sum_cell_typed_over_in_the_export_workbook_is_reported_not_trusted() {
    let example = "examples/demo-2019.json";
    let path = common::export(example, "xlsx", "import-xlsx-sum");
    let edited = path.with_file_name("sum.xlsx");
    let at = openpyxl(OVERWRITE_SUM, &path, &edited, &[]);
    let imported = import_file(&edited);
    // The total is computed from its addends, which give the published total back.
    assert_eq!(imported.report.to_json(), original(example));
    assert_eq!(imported.log.entries.len(), 1, "{:#?}", imported.log);
    let e = &imported.log.entries[0];
    assert_eq!(e.cell, format!("表三!{at}"));
    assert!(
        e.message.contains("999") && e.message.contains("不采信"),
        "{}",
        e.message
    );
}

/// Edits the prose sheet as a clerk would: changes the first paragraph of 五, deletes the first
/// paragraph of 一, adds a paragraph at the end of 六.
const PROSE_EDIT: &str = r#"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb['正文']
rows = list(ws.iter_rows(min_row=2))
def first(section_prefix):
    return next(r for r in rows if str(r[0].value or '').startswith(section_prefix) and r[3].value == '段落')
first('五、')[1].value = '改过的段落。'
last_other = [r for r in rows if str(r[0].value or '').startswith('六、')][-1]
heading = last_other[0].value
n = ws.max_row + 1
ws.cell(row=n, column=1, value=heading)
ws.cell(row=n, column=2, value='新增的段落。')
ws.cell(row=n, column=4, value='段落')
ws.delete_rows(first('一、')[0].row)
wb.save(sys.argv[2])
"#;

#[test]
fn an_openpyxl_prose_edit_reads_back_exactly() {
    let example = "examples/demo-city-2024.json";
    let path = common::export(example, "xlsx", "import-xlsx-prose");
    let edited = path.with_file_name("prose.xlsx");
    openpyxl(PROSE_EDIT, &path, &edited, &[]);
    let imported = import_file(&edited);
    let mut want = original(example);
    let first_para = |v: &Value| {
        v.as_array()
            .unwrap()
            .iter()
            .position(Value::is_string)
            .unwrap()
    };
    let i = first_para(&want["problems"]);
    want["problems"][i] = Value::from("改过的段落。");
    let i = first_para(&want["overview"]);
    want["overview"].as_array_mut().unwrap().remove(i);
    want["other"]
        .as_array_mut()
        .unwrap()
        .push(Value::from("新增的段落。"));
    assert_eq!(imported.report.to_json(), want);
}

#[test]
fn text_typed_in_number_cells_is_read_and_logged_or_refused_with_the_address() {
    let example = "examples/demo-2019.json";
    let path = common::export(example, "xlsx", "import-xlsx-typed");
    let mut want_json = original(example);
    want_json["applications"]["new_received"]["natural_person"] = Value::from(12);
    for typed in ["'12件'", "'１２'", "' 12 '"] {
        let edited = path.with_file_name("typed.xlsx");
        let at = edit(&path, &edited, typed);
        let imported = import_file(&edited);
        assert_eq!(imported.report.to_json(), want_json, "{typed}");
        let address = format!("表三!{at}");
        assert!(
            imported.log.entries.iter().any(|e| e.kind == LogKind::Note
                && e.source.to_string() == address
                && e.message.contains("读作数字 12")),
            "{typed}: {:#?}",
            imported.log
        );
    }
    for typed in ["'12 13'", "'1２件3'"] {
        let edited = path.with_file_name("ambiguous.xlsx");
        let at = edit(&path, &edited, typed);
        let err = from_xlsx(&std::fs::read(&edited).unwrap(), &ImportOptions::default())
            .err()
            .unwrap_or_else(|| panic!("{typed} imported"));
        assert_eq!(err.exit_code(), 2);
        assert!(
            err.to_string().contains(&format!("表三!{at}")),
            "{typed}: {err}"
        );
    }
    // A formula typed in an input cell: its cached result is not taken.
    let edited = path.with_file_name("formula.xlsx");
    let at = edit(&path, &edited, "'=360+2'");
    let imported = import_file(&edited);
    let json = imported.report.to_json();
    assert!(
        json["applications"]["new_received"]["natural_person"].is_null(),
        "{}",
        json["applications"]["new_received"]
    );
    assert!(
        imported
            .log
            .entries
            .iter()
            .any(|e| e.source.to_string() == format!("表三!{at}") && e.message.contains("公式")),
        "{:#?}",
        imported.log
    );
}

#[test]
fn a_libreoffice_resave_imports_identically() {
    let dir = common::root().join("target/test-out/import-xlsx-lo");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    let mut sources = common::examples();
    // A title, changed headings, a level and a date of their own.
    sources.push("tests/fixtures/reports/shanghai_2019.json".into());
    for example in sources {
        let text = std::fs::read_to_string(common::root().join(&example)).unwrap();
        let report = nianbao::Report::from_json(&text).unwrap();
        let stem = Path::new(&example)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let copy = dir.join(format!("{stem}.xlsx"));
        std::fs::write(&copy, export_report(&report)).unwrap();
        files.push((example, copy));
    }
    let out = dir.join("out");
    let list: Vec<PathBuf> = files.iter().map(|(_, p)| p.clone()).collect();
    common::soffice_convert(&dir.join("profile"), "xlsx", &out, &list);
    for (example, p) in &files {
        let imported = import_file(&out.join(p.file_name().unwrap()));
        assert!(imported.complete(), "{example}: {:#?}", imported.log);
        assert_eq!(imported.report.to_json(), original(example), "{example}");
    }
}

/// Removes the sheets an older build did not write (metadata, prose, free-form tables, key).
const OLD_WORKBOOK: &str = r#"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for name in list(wb.sheetnames):
    if name in ('基本信息', '正文', '_nianbao') or name.startswith('附表'):
        del wb[name]
wb.save(sys.argv[2])
"#;

#[test]
fn an_export_workbook_of_an_older_build_still_imports_its_tables() {
    for example in common::examples() {
        let path = common::export(&example, "xlsx", "import-xlsx-old");
        let old = path.with_file_name("old.xlsx");
        openpyxl(OLD_WORKBOOK, &path, &old, &[]);
        let imported = import_file(&old);
        assert!(imported.complete(), "{example}: {:#?}", imported.log);
        assert_eq!(
            workbook_view(&imported.report.to_json()),
            workbook_view(&original(&example)),
            "{example}"
        );
    }
}

/// A minimal workbook with one sheet of the given XML rows.
fn workbook(rows: &str) -> Vec<u8> {
    workbook_with(rows, "", &[])
}

/// [`workbook`] with XML after the sheet's rows (`<mergeCells>`) and more parts.
fn workbook_with(rows: &str, after: &str, more: &[(&str, &[u8])]) -> Vec<u8> {
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData>{after}</worksheet>"#
    );
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#),
        ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ("xl/workbook.xml", br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Big" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ("xl/_rels/workbook.xml.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ];
    parts.extend_from_slice(more);
    zip_of(&parts)
}

/// Asserts that `from_xlsx` refuses `bytes` as unreadable (exit code 2) with each of `words`
/// in its message.
fn refused_with(bytes: &[u8], what: &str, words: &[&str]) {
    let err = from_xlsx(bytes, &ImportOptions::default())
        .err()
        .unwrap_or_else(|| panic!("{what}: imported"));
    assert_eq!(err.exit_code(), 2, "{what}");
    let msg = err.to_string();
    for w in words {
        assert!(msg.contains(w), "{what}: {msg}");
    }
}

/// What calamine would trust and must not (src/import/xlsx_guard.rs): each refused before
/// calamine reads the workbook, naming the part and the value. Without the guard the first two
/// panic in calamine (a debug build: `u32` overflow), the third aborts the process (a 160 GB
/// allocation), the fourth takes 15 s and 1.5 GB.
#[test]
fn values_calamine_cannot_read_safely_are_refused_before_it_reads_them() {
    let sheet = "xl/worksheets/sheet1.xml";
    refused_with(
        &workbook(r#"<row r="1"><c r="AAAAAAAAA1"><v>1</v></c></row>"#),
        "a column past XFD",
        &[sheet, "单元格引用 “AAAAAAAAA1”", "超出 Excel 的范围"],
    );
    refused_with(
        &workbook_with(
            r#"<row r="1"><c r="A1"><v>1</v></c></row>"#,
            r#"<mergeCells count="1"><mergeCell ref="B1:A1"/></mergeCells>"#,
            &[],
        ),
        "a reversed merge",
        &[sheet, "区域引用 “B1:A1”", "首尾颠倒"],
    );
    refused_with(
        &workbook(
            r#"<row r="1"><c r="A1"><f t="shared" si="4000000000" ref="A1:A2">B1</f><v>1</v></c></row>"#,
        ),
        "a shared formula index of 4 billion",
        &[sheet, "共享公式编号 “4000000000”"],
    );
    let long = vec!["B1"; 2_700].join("+");
    let mut rows =
        format!(r#"<row r="1"><c r="A1"><f t="shared" si="0" ref="A1:A600">{long}</f></c></row>"#);
    for r in 2..=600 {
        rows.push_str(&format!(
            r#"<row r="{r}"><c r="A{r}"><f t="shared" si="0"/></c></row>"#
        ));
    }
    refused_with(
        &workbook(&rows),
        "an 8 KB shared formula copied to 600 cells",
        &[sheet, "合计超过 4 MiB"],
    );
    refused_with(
        &workbook(&format!(
            r#"<row r="1"><c r="A1"><f>{}</f></c></row>"#,
            "1+".repeat(33_000) + "1"
        )),
        "a formula longer than Excel allows",
        &[sheet, "8192"],
    );
    let table = br#"<?xml version="1.0"?><table xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" id="1" name="T" displayName="T" ref="A1:B2" headerRowCount="4000000000"><tableColumns count="2"><tableColumn id="1" name="a"/><tableColumn id="2" name="b"/></tableColumns></table>"#;
    refused_with(
        &workbook_with(
            r#"<row r="1"><c r="A1"><v>1</v></c></row>"#,
            "",
            &[("xl/tables/table1.xml", table)],
        ),
        "a table with 4 billion header rows",
        &["xl/tables/table1.xml", "表格区域 “A1:B2”"],
    );
    // References inside Excel's grid, at its last cell, pass the guard (and fail later only
    // because a one-number sheet is not a report).
    let edge = workbook(r#"<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#);
    let msg = from_xlsx(&edge, &ImportOptions::default())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(!msg.contains("工作簿部件"), "{msg}");
}

#[test]
fn hostile_workbooks_end_in_clear_errors() {
    let check = |bytes: &[u8], what: &str, words: &[&str]| {
        refused_with(bytes, what, words);
        let any = nianbao::import::read_any(bytes, "data.xlsx", &ImportOptions::default())
            .err()
            .unwrap_or_else(|| panic!("{what}: read_any imported"));
        assert_eq!(any.exit_code(), 2, "{what}");
    };
    check(
        &ole_with("EncryptedPackage"),
        "encrypted",
        &["密码", "encrypted"],
    );
    // An old .xls: read_any names it from its Workbook stream.
    let xls = ole_with("Workbook");
    let err = nianbao::import::read_any(&xls, "data.xls", &ImportOptions::default())
        .expect_err("xls refused");
    assert!(
        err.to_string().contains("Excel (.xls)") && err.to_string().contains(".xlsx"),
        "{err}"
    );
    check(&xls, "xls via from_xlsx", &["旧的二进制", ".xlsx"]);
    // A million rows: refused at the row limit, quickly, naming the sheet and cell.
    let mut rows = String::with_capacity(50 << 20);
    for r in 1..=1_000_000u32 {
        rows.push_str(&format!("<row r=\"{r}\"><c r=\"A{r}\"><v>1</v></c></row>"));
    }
    let big = workbook(&rows);
    let started = std::time::Instant::now();
    check(&big, "a million rows", &["Big!A10001", "10000"]);
    // A ceiling against reading the million rows through calamine, not a benchmark (the tests
    // run in a release build; every part is scanned once by src/import/xlsx_guard.rs first,
    // 0.45 s for this 50 MB sheet).
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    // Truncated.
    let real = std::fs::read(common::export(
        "examples/demo-2019.json",
        "xlsx",
        "import-xlsx-hostile",
    ))
    .unwrap();
    check(&real[..real.len() / 2], "truncated", &["zip"]);
}
