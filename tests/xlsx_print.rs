//! XLSX sheets print legibly on A4 (issue 12 item 8): the page setup of every sheet, read back
//! with openpyxl, and the LibreOffice PDF of each workbook: pages per sheet (the page header
//! names the sheet), no page without content, and the print size of the table sheets and 汇总.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const SETUP: &str = r#"
import sys, openpyxl
for path in sys.argv[1:]:
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        ps, m, pr = ws.page_setup, ws.page_margins, ws.sheet_properties.pageSetUpPr
        print(path.rsplit("/", 1)[-1], ws.title, ps.paperSize, ps.orientation, ps.fitToWidth,
              ps.fitToHeight, ps.scale, pr.fitToPage if pr else None,
              ws.print_title_rows, ws.print_title_cols, ws.print_area or None,
              ws.oddHeader.left.text, ws.oddFooter.center.text.replace(" ", "_"),
              m.left, m.right, m.top, m.bottom, ws.print_options.horizontalCentered, ps.pageOrder)
"#;

fn run(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(require_tool(tool))
        .args(args)
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "{tool} {}", pdf.display());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A page of the PDF: the sheet it prints (the page header's first line), whether it holds
/// anything besides the header and footer, the median height (pt) of its words, and its words.
struct Page {
    sheet: String,
    content: bool,
    word_height: f64,
    words: Vec<String>,
}

fn pages(pdf: &Path) -> Vec<Page> {
    let info = Command::new(require_tool("pdfinfo"))
        .arg(pdf)
        .output()
        .unwrap();
    let n: usize = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|v| v.trim().parse().unwrap()))
        .unwrap();
    (1..=n)
        .map(|i| {
            let p = i.to_string();
            let text = run("pdftotext", &["-f", &p, "-l", &p], pdf);
            let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
            let sheet = lines.next().unwrap_or_default().to_string();
            let footer = format!("第 {i} 页，共 {n} 页");
            let words = text.split_whitespace().map(str::to_string).collect();
            let content = lines.any(|l| l != footer);
            let bbox = run("pdftotext", &["-bbox", "-f", &p, "-l", &p], pdf);
            let attr = |l: &str, k: &str| -> f64 {
                let at = l.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
                l[at..].split('"').next().unwrap().parse().unwrap()
            };
            let mut h: Vec<f64> = bbox
                .lines()
                .filter(|l| l.trim_start().starts_with("<word"))
                .map(|l| attr(l, "yMax") - attr(l, "yMin"))
                .collect();
            h.sort_by(f64::total_cmp);
            let word_height = h.get(h.len() / 2).copied().unwrap_or(0.0);
            Page {
                sheet,
                content,
                word_height,
                words,
            }
        })
        .collect()
}

fn workbooks(dir: &Path) -> Vec<PathBuf> {
    let a = export("examples/demo-city-2024.json", "xlsx", "print-2024");
    let b = export("examples/demo-2019.json", "xlsx", "print-2019");
    let c = dir.join("c.xlsx");
    let out = nianbao(&["collect", "examples", "-o", c.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let f = dir.join("fill.xlsx");
    let out = nianbao(&[
        "new",
        "--agency",
        "示例县人民政府",
        "--year",
        "2024",
        "--to",
        "xlsx",
        "-o",
        f.to_str().unwrap(),
    ]);
    common::assert_success(&out);
    vec![a, b, c, f]
}

#[test]
fn sheets_print_legibly_on_a4_with_titles_and_no_blank_pages() {
    let dir = root().join("target/test-out/print-collect");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let files = workbooks(&dir);

    // The LibreOffice PDF: pages per sheet, each with content, table sheets and 汇总 legible.
    let pdf_dir = dir.join("pdf");
    soffice_convert(
        &std::env::temp_dir().join(format!("lo-print-{}", std::process::id())),
        "pdf",
        &pdf_dir,
        &files,
    )
    .expect("LibreOffice");
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for f in &files {
        let stem = f.file_stem().unwrap().to_string_lossy().into_owned();
        for (i, p) in pages(&pdf_dir.join(format!("{stem}.pdf")))
            .iter()
            .enumerate()
        {
            assert!(p.content, "{stem}.pdf page {}: blank ({})", i + 1, p.sheet);
            *counts.entry(format!("{stem} {}", p.sheet)).or_default() += 1;
            // Words at least 8 pt tall (11 pt text at 100 % measures 13.6): about 60 % scale.
            if p.sheet.starts_with('表') || p.sheet == "汇总" {
                assert!(
                    p.word_height >= 8.0,
                    "{stem}.pdf page {} ({}): words {:.1} pt tall, too small to read",
                    i + 1,
                    p.sheet,
                    p.word_height
                );
            }
            // collect's long lists: text of at least 8 pt (measured 8 × 13.6 / 11 = 9.9 pt
            // tall; fit to one page wide they printed at about 6 pt), and on every page, the
            // second across included, the header row and the file and agency columns.
            if stem == "c" && (p.sheet == "长表" || p.sheet == "校验") {
                assert!(
                    p.word_height >= 9.9,
                    "{stem}.pdf page {} ({}): words {:.1} pt tall, text under 8 pt",
                    i + 1,
                    p.sheet,
                    p.word_height
                );
                for w in ["file", "agency"] {
                    assert!(
                        p.words.iter().any(|x| x == w),
                        "{stem}.pdf page {} ({}): no `{w}` column",
                        i + 1,
                        p.sheet
                    );
                }
            }
            // The export workbooks' 校验: text of at least 8 pt (fit to one page wide, its long
            // messages overflowing the last column, it printed at about 6 pt), every message
            // whole (wrapped within its column, not cut at the page edge).
            if stem != "c" && p.sheet == "校验" {
                assert!(
                    p.word_height >= 9.9,
                    "{stem}.pdf page {} (校验): words {:.1} pt tall, text under 8 pt",
                    i + 1,
                    p.word_height
                );
                let text: String = p.words.concat();
                assert!(
                    text.contains("区分处理的申请只计入此行，不再计入其他情形；请确认没有重复统计"),
                    "{stem}.pdf page {} (校验): a message not whole: {text}",
                    i + 1
                );
            }
            // 汇总: the 文件 column (and the 合计 labels in it) and 机关 on every page.
            if stem == "c" && p.sheet == "汇总" {
                for w in ["file", "agency", "合计（2024"] {
                    assert!(
                        p.words.iter().any(|x| x.starts_with(w)),
                        "{stem}.pdf page {} (汇总): no `{w}` in {:?}",
                        i + 1,
                        p.words
                    );
                }
            }
        }
    }
    let got = |k: &str| counts.get(k).copied().unwrap_or(0);
    for stem in ["demo-city-2024", "demo-2019"] {
        for sheet in ["表二", "表三", "表四"] {
            assert_eq!(
                got(&format!("{stem} {sheet}")),
                1,
                "{stem} {sheet}: {counts:?}"
            );
        }
    }
    for sheet in ["基本信息", "表二", "表四"] {
        assert_eq!(got(&format!("fill {sheet}")), 1, "fill {sheet}: {counts:?}");
    }
    // The export 校验 (a handful of findings): one page.
    for stem in ["demo-city-2024", "demo-2019"] {
        assert_eq!(got(&format!("{stem} 校验")), 1, "{stem} 校验: {counts:?}");
    }
    // The fill-in 表三 lists one check row per rule instance below the table.
    assert!((1..=3).contains(&got("fill 表三")), "fill 表三: {counts:?}");
    // 汇总 of 3 reports × 234 columns: one row of pages across, about 6 columns a page beside
    // the repeated file and agency columns.
    let summary = got("c 汇总");
    assert!((30..=45).contains(&summary), "c 汇总: {counts:?}");
    // 长表 (3 × 234 rows) over three pages across (each with the file and agency columns,
    // checked above) and 15 down; 校验 likewise.
    let long = got("c 长表");
    assert!(
        (30..=60).contains(&long) && long % 3 == 0,
        "c 长表: {counts:?}"
    );

    // Page setup, read back with openpyxl.
    let setup = Command::new(require_python())
        .arg("-c")
        .arg(SETUP)
        .args(&files)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&setup.stdout).into_owned();
    common::assert_success(&setup);
    // Every visible sheet: A4, the sheet name in the header, page N of M in the footer,
    // 0.5"/0.6" margins, centred across the page.
    let mut sheets = 0;
    for l in text.lines() {
        sheets += 1;
        let f: Vec<&str> = l.split(' ').collect();
        assert_eq!(f[2], "9", "not A4: {l}");
        assert_eq!(
            &f[11..18],
            [
                "&A",
                "第_&P_页，共_&N_页",
                "0.5",
                "0.5",
                "0.6",
                "0.6",
                "True"
            ],
            "header, footer, margins, centring: {l}"
        );
        // collect's long lists: landscape at 80 %, over then down, the header row and the
        // file and agency columns on every page.
        let long_list = f[0] == "c.xlsx" && ["校验", "长表"].contains(&f[1]);
        if long_list {
            assert_eq!(
                &f[3..10],
                ["landscape", "None", "None", "80", "None", "$1:$1", "$A:$B"],
                "long list sheet: {l}"
            );
            assert_eq!(f[18], "overThenDown", "{l}");
        } else {
            assert_eq!(f[18], "None", "{l}");
        }
        // The export workbook's 校验 (its columns fit one page at 80 %, text wrapped):
        // landscape at 80 %, not fit to width, the header row on every page.
        let export_findings = f[0] != "c.xlsx" && f[1] == "校验";
        if export_findings {
            assert_eq!(
                &f[3..11],
                [
                    "landscape",
                    "None",
                    "None",
                    "80",
                    "None",
                    "$1:$1",
                    "None",
                    "None"
                ],
                "export 校验: {l}"
            );
        }
        // Other list sheets: landscape, one page wide, the header row on every page.
        if ["数据", "校验", "长表", "考核", "重复", "未读入", "正文"].contains(&f[1])
            && !long_list
            && !export_findings
        {
            assert_eq!(
                &f[3..10],
                ["landscape", "None", "0", "None", "True", "$1:$1", "None"],
                "list sheet: {l}"
            );
        }
    }
    assert_eq!(sheets, 25, "visible sheets:\n{text}");
    // Table sheets: the whole print area (table, check cells, note) on one page (fitToPage,
    // fitToWidth/-Height absent = 1) or one page wide (fitToHeight 0), title and header rows and
    // label columns repeated; 汇总 at 70 % (not fit to width), header rows, 文件 (合计) and 机关
    // repeated.
    let expect = [
        "demo-city-2024.xlsx 表二 9 landscape None None None True $1:$1 $A:$A '表二'!$A$1:$D$16",
        "demo-city-2024.xlsx 表三 9 landscape None 0 None True $1:$4 $A:$C '表三'!$A$1:$L$35",
        "demo-city-2024.xlsx 表四 9 landscape None None None True $1:$4 None '表四'!$A$1:$O$10",
        "demo-2019.xlsx 表二 9 landscape None None None True $1:$1 $A:$A '表二'!$A$1:$G$20",
        "demo-2019.xlsx 表三 9 landscape None None None True $1:$4 $A:$C '表三'!$A$1:$L$33",
        "demo-2019.xlsx 表四 9 landscape None None None True $1:$4 None '表四'!$A$1:$O$10",
        "c.xlsx 汇总 9 landscape None None 70 None $1:$2 $A:$B '汇总'!$A$1:$HZ$10",
        "fill.xlsx 基本信息 9 landscape None None None True $1:$1 $A:$A '基本信息'!$A$1:$B$6",
        "demo-city-2024.xlsx 基本信息 9 landscape None None None True $1:$1 $A:$A '基本信息'!$A$1:$B$6",
        "fill.xlsx 表三 9 landscape None 0 None True $1:$4 $A:$C '表三'!$A$1:$J$71",
        "fill.xlsx 表四 9 landscape None None None True $1:$4 None '表四'!$A$1:$O$11",
    ];
    for e in expect {
        assert!(
            text.lines().any(|l| l.starts_with(&format!("{e} "))),
            "no page setup `{e}` in:\n{text}"
        );
    }
}

/// The 正文 sheet prints each paragraph whole: a row holding a paragraph longer than one line
/// of column B is written as tall as its wrapped lines (spreadsheet programs keep a written
/// height and would clip the rest), and its cells are top-aligned.
#[test]
fn prose_rows_are_as_tall_as_their_paragraphs() {
    let report = nianbao::Report::from_json(
        &std::fs::read_to_string(root().join("examples/potou-2023-clean.json")).unwrap(),
    )
    .unwrap();
    let out = nianbao::export(
        &report,
        nianbao::Target::Xlsx,
        &nianbao::ExportOptions::default(),
    )
    .unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(out.bytes)).unwrap();
    let read = |z: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>, name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut z.by_name(name).unwrap(), &mut s).unwrap();
        s
    };
    // Sheets are numbered in workbook order.
    let book = read(&mut z, "xl/workbook.xml");
    let index = book
        .split("<sheet ")
        .skip(1)
        .position(|s| s.contains("name=\"正文\""))
        .expect("a 正文 sheet")
        + 1;
    let sheet = read(&mut z, &format!("xl/worksheets/sheet{index}.xml"));
    // Row 2 holds section 一's first paragraph (about 180 CJK characters: 4 or more lines).
    let row2 = sheet
        .split("<row ")
        .find(|r| r.starts_with("r=\"2\""))
        .expect("row 2");
    let height: f64 = row2
        .split("ht=\"")
        .nth(1)
        .and_then(|h| h.split('"').next())
        .and_then(|h| h.parse().ok())
        .unwrap_or_else(|| panic!("row 2 has no height: {row2}"));
    assert!(height >= 45.0, "row 2 is {height} pt: {row2}");
    assert!(row2.contains("customHeight=\"1\""), "{row2}");
}
