//! XLSX import: nianbao's export workbook read back for every example, an openpyxl edit, a
//! LibreOffice re-save, text typed in number cells, formulas, and hostile files.

mod common;

use nianbao::import::{from_xlsx, ImportOptions, LogKind};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

fn original(example: &str) -> Value {
    let text = std::fs::read_to_string(common::root().join(example)).unwrap();
    nianbao::Report::from_json(&text).unwrap().to_json()
}

fn leaves(v: &Value, path: &str, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                leaves(x, &format!("{path}.{k}"), out);
            }
        }
        _ => out.push((path.to_string(), v.clone())),
    }
}

/// What the export workbook holds: format, agency, year, publication date and every statutory
/// cell (the prose is not in it).
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

fn import_file(path: &Path) -> nianbao::import::Imported {
    let bytes = std::fs::read(path).unwrap();
    from_xlsx(&bytes, &ImportOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn export_workbook_round_trip_of_every_bundled_example() {
    for example in common::examples() {
        let path = common::export(&example, "xlsx", "import-xlsx-roundtrip");
        let imported = import_file(&path);
        assert!(imported.complete(), "{example}: {:#?}", imported.log);
        assert_eq!(
            workbook_view(&imported.report.to_json()),
            workbook_view(&original(&example)),
            "{example}"
        );
        // Nothing in nianbao's own workbook needs a note about typed text or formulas.
        assert!(
            !imported
                .log
                .entries
                .iter()
                .any(|e| e.source.to_string().contains('!')),
            "{example}: {:#?}",
            imported.log
        );
    }
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
    let py = common::require_python();
    let out = Command::new(py)
        .arg("-c")
        .arg(EDIT)
        .arg(src)
        .arg(dst)
        .arg(value)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn an_openpyxl_edit_reads_back_exactly() {
    let example = "examples/demo-2019.json";
    let path = common::export(example, "xlsx", "import-xlsx-openpyxl");
    let edited = path.with_file_name("edited.xlsx");
    edit(&path, &edited, "367");
    let got = workbook_view(&import_file(&edited).report.to_json());
    let mut want_json = original(example);
    want_json["applications"]["new_received"]["natural_person"] = Value::from(367);
    assert_eq!(got, workbook_view(&want_json));
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
        assert_eq!(
            workbook_view(&imported.report.to_json()),
            workbook_view(&want_json),
            "{typed}"
        );
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
    for example in common::examples() {
        let p = common::export(&example, "xlsx", "import-xlsx-lo-src");
        let copy = dir.join(p.file_name().unwrap());
        std::fs::copy(&p, &copy).unwrap();
        files.push((example, copy));
    }
    let out = dir.join("out");
    let list: Vec<PathBuf> = files.iter().map(|(_, p)| p.clone()).collect();
    common::soffice_convert(&dir.join("profile"), "xlsx", &out, &list);
    for (example, p) in &files {
        let imported = import_file(&out.join(p.file_name().unwrap()));
        let mut got = workbook_view(&imported.report.to_json());
        let mut want = workbook_view(&original(example));
        // LibreOffice stamps its own creation date.
        for v in [&mut got, &mut want] {
            v.retain(|(k, _)| k != "published");
        }
        assert_eq!(got, want, "{example}");
    }
}

fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in parts {
            z.start_file(*name, opts).unwrap();
            z.write_all(data).unwrap();
        }
        z.finish().unwrap();
    }
    out.into_inner()
}

/// A minimal workbook with one sheet of the given XML rows.
fn workbook(rows: &str) -> Vec<u8> {
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
    );
    zip_of(&[
        ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#),
        ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ("xl/workbook.xml", br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Big" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ("xl/_rels/workbook.xml.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ])
}

fn ole_with(stream: &str) -> Vec<u8> {
    let mut v = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    v.resize(512, 0);
    v.extend(stream.encode_utf16().flat_map(|u| u.to_le_bytes()));
    v.resize(2048, 0);
    v
}

#[test]
fn hostile_workbooks_end_in_clear_errors() {
    let check = |bytes: &[u8], what: &str, words: &[&str]| {
        let err = from_xlsx(bytes, &ImportOptions::default())
            .err()
            .unwrap_or_else(|| panic!("{what}: imported"));
        assert_eq!(err.exit_code(), 2, "{what}");
        let msg = err.to_string();
        for w in words {
            assert!(msg.contains(w), "{what}: {msg}");
        }
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
