//! XLSX sheets print legibly on A4 (issue 12 item 8): the page setup of every printed sheet,
//! read back with openpyxl, and the LibreOffice PDF of each workbook (page count, no blank page).

mod common;

use common::*;
use std::path::PathBuf;
use std::process::Command;

const SETUP: &str = r#"
import sys, openpyxl
for path in sys.argv[1:]:
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if ws.title not in ("表二", "表三", "表四", "汇总"):
            continue
        ps = ws.page_setup
        print(path.rsplit("/", 1)[-1], ws.title, ps.paperSize, ps.orientation, ps.fitToWidth,
              ps.fitToHeight, ps.scale, ws.sheet_properties.pageSetUpPr.fitToPage
              if ws.sheet_properties.pageSetUpPr else None,
              ws.print_title_rows, ws.print_title_cols, ws.print_area)
"#;

fn pages(pdf: &PathBuf) -> (usize, usize) {
    let info = Command::new(require_tool("pdfinfo"))
        .arg(pdf)
        .output()
        .unwrap();
    let n: usize = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|v| v.trim().parse().unwrap()))
        .unwrap();
    let blank = (1..=n)
        .filter(|i| {
            let p = i.to_string();
            let out = Command::new(require_tool("pdftotext"))
                .args(["-f", &p, "-l", &p])
                .arg(pdf)
                .arg("-")
                .output()
                .unwrap();
            String::from_utf8_lossy(&out.stdout).trim().is_empty()
        })
        .count();
    (n, blank)
}

#[test]
fn sheets_print_on_a4_with_titles_and_no_blank_pages() {
    let a = export("examples/demo-city-2024.json", "xlsx", "print-2024");
    let b = export("examples/demo-2019.json", "xlsx", "print-2019");
    let dir = root().join("target/test-out/print-collect");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let c = dir.join("c.xlsx");
    let out = nianbao(&["collect", "examples", "-o", c.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let setup = Command::new(require_python())
        .arg("-c")
        .arg(SETUP)
        .args([&a, &b, &c])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&setup.stdout).into_owned();
    assert!(
        setup.status.success(),
        "{}",
        String::from_utf8_lossy(&setup.stderr)
    );
    // fitToPage with fitToWidth/fitToHeight absent (= 1): each table and its check area on one page.
    let expect = [
        "demo-city-2024.xlsx 表二 9 landscape None None None True $1:$1 $A:$A '表二'!$A$1:$D$16",
        "demo-city-2024.xlsx 表三 9 landscape None None None True $1:$4 $A:$C '表三'!$A$1:$L$35",
        "demo-city-2024.xlsx 表四 9 landscape None None None True $1:$4 None '表四'!$A$1:$O$12",
        "demo-2019.xlsx 表二 9 landscape None None None True $1:$1 $A:$A '表二'!$A$1:$G$20",
        "demo-2019.xlsx 表三 9 landscape None None None True $1:$4 $A:$C '表三'!$A$1:$L$33",
        // 汇总: a readable 70 % scale (not fit to one page wide), header rows and agency column repeated.
        "c.xlsx 汇总 9 landscape None None 70 None $1:$2 $B:$B '汇总'!$A$1:$HZ$10",
    ];
    for e in expect {
        assert!(
            text.lines().any(|l| l == e),
            "no page setup `{e}` in:\n{text}"
        );
    }

    let pdf_dir = dir.join("pdf");
    soffice_convert(
        &std::env::temp_dir().join(format!("lo-print-{}", std::process::id())),
        "pdf",
        &pdf_dir,
        &[a, b, c],
    )
    .expect("LibreOffice");
    for (stem, want) in [("demo-city-2024", 7), ("demo-2019", 7), ("c", 41)] {
        let (n, blank) = pages(&pdf_dir.join(format!("{stem}.pdf")));
        assert_eq!((n, blank), (want, 0), "{stem}.pdf: pages and blank pages");
    }
}
