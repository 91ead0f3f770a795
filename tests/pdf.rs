//! The PDF filing copy, checked with real PDF clients: poppler (pdfinfo, pdffonts, pdftotext),
//! qpdf, and the independent PDF/A validator `page` (PyPI page-validation) plus a fontTools
//! cross-check of its one known false positive. Each example is exported once per test binary.

mod common;

use common::{examples, python, root, tool};
use nianbao::layout::{Block, Content, Document};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Every example exported once: example path → PDF path.
fn exported() -> &'static BTreeMap<String, PathBuf> {
    static E: OnceLock<BTreeMap<String, PathBuf>> = OnceLock::new();
    E.get_or_init(|| {
        examples()
            .into_iter()
            .map(|e| {
                let stem = Path::new(&e)
                    .file_stem()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let pdf = common::export(&e, "pdf", &format!("pdf-{stem}"));
                (e, pdf)
            })
            .collect()
    })
}

fn run(tool: &Path, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().expect("run tool");
    assert!(
        out.status.success(),
        "{} {args:?} failed: {}",
        tool.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn doc_of(example: &str) -> Document {
    let json = std::fs::read_to_string(root().join(example)).unwrap();
    let report = nianbao::Report::from_json(&json).unwrap();
    nianbao::layout::build(&report)
}

fn squeeze(t: &str) -> String {
    t.chars().filter(|c| !c.is_whitespace()).collect()
}

fn pages(pdfinfo: &Path, pdf: &Path) -> usize {
    run(pdfinfo, &[s(pdf)])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("page count")
}

#[test]
fn every_example_is_a4_tagged_with_every_font_embedded_and_subset() {
    let (Some(pdfinfo), Some(pdffonts), Some(qpdf)) =
        (tool("pdfinfo"), tool("pdffonts"), tool("qpdf"))
    else {
        return;
    };
    assert!(exported().len() >= 3);
    for (ex, pdf) in exported() {
        let n = pages(&pdfinfo, pdf);
        assert!(n >= 2, "{ex}: {n} pages");
        let info = run(&pdfinfo, &["-f", "1", "-l", &n.to_string(), s(pdf)]);
        let sizes: Vec<&str> = info
            .lines()
            .filter(|l| l.starts_with("Page ") && l.contains(" size:"))
            .collect();
        assert_eq!(sizes.len(), n, "{ex}: {info}");
        for l in sizes {
            assert!(l.contains("595.276 x 841.89 pts (A4)"), "{ex}: {l}");
        }
        assert!(info.contains("Tagged:          yes"), "{ex}: {info}");
        let fonts = run(&pdffonts, &[s(pdf)]);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(rows.len() >= 3, "{ex}: {fonts}");
        for r in &rows {
            let cols: Vec<&str> = r.split_whitespace().collect();
            // name type... encoding emb sub uni object ID
            let k = cols.len();
            assert_eq!(&cols[k - 5..k - 2], &["yes", "yes", "yes"], "{ex}: {r}");
            assert!(r.contains('+'), "{ex}: subset tag missing: {r}");
        }
        let check = run(&qpdf, &["--check", s(pdf)]);
        assert!(
            check.contains("No syntax or stream encoding errors"),
            "{ex}: {check}"
        );
    }
}

#[test]
fn text_comes_out_in_reading_order() {
    let Some(pdftotext) = tool("pdftotext") else {
        return;
    };
    for (ex, pdf) in exported() {
        let doc = doc_of(ex);
        // pages are separated by form feeds; each page's last line is its folio "— N —"
        let raw = run(&pdftotext, &["-raw", s(pdf), "-"]);
        let mut text = String::new();
        for (i, page) in raw.split('\u{c}').enumerate() {
            let mut lines: Vec<&str> = page.lines().filter(|l| !l.trim().is_empty()).collect();
            if let Some(last) = lines.last() {
                assert_eq!(
                    squeeze(last),
                    format!("—{}—", i + 1),
                    "{ex}: folio of page {}",
                    i + 1
                );
                lines.pop();
            }
            text.push_str(&squeeze(&lines.concat()));
        }
        let mut expected: Vec<(String, &str)> = vec![(doc.title_lines.concat(), "title")];
        let mut numbers = 0;
        for b in &doc.blocks {
            match b {
                Block::Heading { text, .. } => expected.push((text.clone(), "heading")),
                Block::Paragraph(p) => expected.push((p.clone(), "paragraph")),
                Block::Marked(spans) => {
                    expected.push((spans.iter().map(|s| s.text.as_str()).collect(), "paragraph"))
                }
                Block::Table(t) => {
                    for r in &t.rows {
                        for c in &r.cells {
                            if let Content::Number(n) = &c.content {
                                if !n.text.is_empty() {
                                    numbers += 1;
                                    expected.push((n.text.clone(), "number"));
                                }
                            } else if !c.content.text().trim().is_empty() {
                                expected.push((c.content.text().to_string(), "label"));
                            }
                        }
                    }
                }
            }
        }
        assert!(numbers > 30, "{ex}: only {numbers} numbers");
        let mut at = 0;
        for (want, what) in &expected {
            let w = squeeze(want);
            match text[at..].find(&w) {
                Some(i) => at += i + w.len(),
                None => panic!(
                    "{ex}: {what} “{want}” not found after position {at}; text there: {}",
                    text[at..].chars().take(80).collect::<String>()
                ),
            }
        }
    }
}

#[test]
fn page_numbers_alternate_sides_below_the_type_area() {
    let Some(pdftotext) = tool("pdftotext") else {
        return;
    };
    for (ex, pdf) in exported() {
        let html = run(&pdftotext, &["-bbox", s(pdf), "-"]);
        let mut page = 0;
        let mut seen = 0;
        for line in html.lines() {
            let line = line.trim();
            if line.starts_with("<page ") {
                page += 1;
                continue;
            }
            let Some(rest) = line.strip_prefix("<word ") else {
                continue;
            };
            let attr = |name: &str| -> f32 {
                let k = format!("{name}=\"");
                let i = rest.find(&k).unwrap() + k.len();
                rest[i..].split('"').next().unwrap().parse().unwrap()
            };
            let word = rest.split('>').nth(1).unwrap().split('<').next().unwrap();
            if attr("yMin") > 760.0 && word.chars().all(|c| c.is_ascii_digit()) {
                assert_eq!(word, page.to_string(), "{ex}: folio on page {page}");
                let (x0, x1) = (attr("xMin"), attr("xMax"));
                if page % 2 == 1 {
                    assert!(
                        x0 > 595.0 / 2.0 + 100.0,
                        "{ex}: odd page {page} folio at {x0}"
                    );
                } else {
                    assert!(
                        x1 < 595.0 / 2.0 - 100.0,
                        "{ex}: even page {page} folio at {x1}"
                    );
                }
                seen += 1;
            }
        }
        assert!(
            page >= 2 && seen == page,
            "{ex}: {seen} folios on {page} pages"
        );
    }
}

#[test]
fn metadata_bookmarks_and_tag_structure() {
    let (Some(pdfinfo), Some(qpdf)) = (tool("pdfinfo"), tool("qpdf")) else {
        return;
    };
    let ex = "examples/demo-city-2024.json";
    let pdf = &exported()[ex];
    let doc = doc_of(ex);
    let info = run(&pdfinfo, &[s(pdf)]);
    assert!(
        info.contains(&format!("Title:           {}", doc.meta.title)),
        "{info}"
    );
    assert!(
        info.contains(&format!("Author:          {}", doc.meta.author)),
        "{info}"
    );
    let d = nianbao::export::ExportOptions::default().effective_date(&doc);
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let date = format!("{} {:2}", months[d.month as usize - 1], d.day);
    let created = info
        .lines()
        .find(|l| l.starts_with("CreationDate:"))
        .unwrap();
    assert!(
        created.contains(&date) && created.contains(&d.year.to_string()),
        "{created} vs {d:?}"
    );
    // six level-1 bookmarks, in order, each pointing at its heading's page
    let json = run(&qpdf, &["--json", "--json-key=outlines", s(pdf)]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let titles: Vec<&str> = v["outlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["title"].as_str().unwrap())
        .collect();
    let headings: Vec<&str> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level: 1, text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(titles, headings);
    assert_eq!(titles.len(), 6);
    if let Some(pdftotext) = tool("pdftotext") {
        for o in v["outlines"].as_array().unwrap() {
            let page = o["destpageposfrom1"].as_u64().unwrap().to_string();
            let t = run(&pdftotext, &["-f", &page, "-l", &page, s(pdf), "-"]);
            let title = o["title"].as_str().unwrap();
            assert!(
                squeeze(&t).contains(&squeeze(title)),
                "{title} not on page {page}"
            );
        }
    }
    // tag tree: headings, paragraphs, tables with spans, artifacts, language
    let qdf = root().join("target/test-out/pdf-demo-city-2024/qdf.pdf");
    run(
        &qpdf,
        &["--qdf", "--object-streams=disable", s(pdf), s(&qdf)],
    );
    let raw = String::from_utf8_lossy(&std::fs::read(&qdf).unwrap()).into_owned();
    let count = |k: &str| raw.matches(k).count();
    let paragraphs = doc
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::Paragraph(_)))
        .count();
    assert_eq!(count("/S /H1\n"), 1, "title");
    assert_eq!(count("/S /H2\n"), 6, "level-1 headings");
    assert_eq!(count("/S /P\n"), paragraphs);
    assert_eq!(count("/S /Table\n"), 3);
    for k in [
        "/S /TR",
        "/S /TH",
        "/S /TD",
        "/RowSpan",
        "/ColSpan",
        "/Lang (zh-CN)",
    ] {
        assert!(count(k) > 0, "{k} missing from the structure tree");
    }
    assert!(
        count("/Artifact") >= 2 * 6,
        "rules and folios are artifacts"
    );
}

#[test]
fn long_tables_split_at_rows_and_repeat_header_and_spanning_label() {
    let (Some(pdftotext), Some(pdfinfo)) = (tool("pdftotext"), tool("pdfinfo")) else {
        return;
    };
    let pdf = &exported()["examples/demo-city-2024.json"];
    let n = pages(&pdfinfo, pdf);
    // the page where table 三 continues: it starts with the repeated header
    let mut found = false;
    for p in 2..=n {
        let t = squeeze(&run(
            &pdftotext,
            &[
                "-raw",
                "-f",
                &p.to_string(),
                "-l",
                &p.to_string(),
                s(pdf),
                "-",
            ],
        ));
        let prev = squeeze(&run(
            &pdftotext,
            &[
                "-raw",
                "-f",
                &(p - 1).to_string(),
                "-l",
                &(p - 1).to_string(),
                s(pdf),
                "-",
            ],
        ));
        if prev.contains("一、本年新收政府信息公开申请数量")
            && !prev.contains("四、结转下年度继续办理")
        {
            assert!(
                t.starts_with("（本列数据的勾稽关系为"),
                "header repeated: {t}"
            );
            assert!(t.contains("申请人情况"));
            assert!(t.contains("三、本年度办理结果"), "spanning label repeated");
            assert!(t.contains("四、结转下年度继续办理"));
            found = true;
        }
    }
    assert!(
        found,
        "table 三 of demo-city-2024 is expected to cross a page"
    );
}

#[test]
fn identical_input_gives_identical_bytes() {
    let dir = root().join("target/test-out/pdf-determinism");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut outs = Vec::new();
    for i in 0..2 {
        let p = dir.join(format!("{i}.pdf"));
        let o = common::nianbao(&[
            "export",
            "examples/potou-2023.json",
            "--to",
            "pdf",
            "--output",
            s(&p),
            "--quiet",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        outs.push(std::fs::read(&p).unwrap());
    }
    assert!(outs[0].len() > 10_000);
    assert!(outs[0] == outs[1], "two exports differ");
}

#[test]
fn characters_no_font_has_are_reported_not_dropped() {
    let dir = root().join("target/test-out/pdf-missing");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let pdf = dir.join("missing.pdf");
    let o = common::nianbao(&[
        "export",
        "tests/fixtures/pdf-missing-glyph.json",
        "--to",
        "pdf",
        "--output",
        s(&pdf),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    // exported under PDF/A-2b, whose validator (in krilla) rejects any .notdef glyph
    assert!(o.status.success(), "{err}");
    assert!(err.contains("U+1F600") && err.contains("U+30EDD"), "{err}");
    assert!(!err.contains("U+4E00"), "{err}");
    if let Some(pdftotext) = tool("pdftotext") {
        let t = run(&pdftotext, &[s(&pdf), "-"]);
        assert!(
            t.contains('\u{1F600}') && t.contains('\u{30EDD}'),
            "original text kept"
        );
    }
    // a clean report gives no font warning
    let o = common::nianbao(&[
        "export",
        "examples/demo-city-2024.json",
        "--to",
        "pdf",
        "--output",
        s(&dir.join("clean.pdf")),
    ]);
    assert!(!String::from_utf8_lossy(&o.stderr).contains("U+"));
}

#[test]
fn font_overrides_are_used_and_bad_ones_fail_cleanly() {
    let dir = root().join("target/test-out/pdf-fonts");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let pdf = dir.join("kai.pdf");
    let o = common::nianbao(&[
        "export",
        "examples/demo-2019.json",
        "--to",
        "pdf",
        "--output",
        s(&pdf),
        "--quiet",
        "--font",
        "body=fonts/GovDocKai-Regular.ttf",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    if let Some(pdffonts) = tool("pdffonts") {
        let f = run(&pdffonts, &[s(&pdf)]);
        assert!(f.contains("GovDocKai-Regular"), "{f}");
        assert!(!f.contains("FandolFang"), "{f}");
    }
    for bad in [
        "body=/nonexistent/font.otf",
        "serif=fonts/GovDocKai-Regular.ttf",
    ] {
        let p = dir.join("bad.pdf");
        let o = common::nianbao(&[
            "export",
            "examples/demo-2019.json",
            "--to",
            "pdf",
            "--output",
            s(&p),
            "--font",
            bad,
        ]);
        assert!(!o.status.success(), "{bad} accepted");
        assert!(String::from_utf8_lossy(&o.stderr).contains("字体"), "{bad}");
        assert!(!p.exists(), "no half-written file");
    }
}

/// `page`'s verdict on a file for a profile (`2b`, `2u`, `ua1`): a first line `compliant` or
/// `not-compliant` with the rule counts, then one `FAIL rule message` line per failure.
fn page_validate(py: &Path, pdf: &Path, profile: &str) -> String {
    let script = r#"
import sys, page
r = page.validate_pdf(sys.argv[1], profile=sys.argv[2])
print("compliant" if r.is_compliant else "not-compliant", r.rules.total, r.rules.failed)
for f in r.failures:
    print("FAIL", f.rule_id, f.message)
"#;
    let o = Command::new(py)
        .args(["-c", script, s(pdf), profile])
        .output()
        .expect("python");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// PDF/A-2b by `page`, allowing only its known false positive on CID-keyed CFF fonts, which
/// fontTools must then refute: every charstring width equals the width /W declares.
fn assert_pdfa_2b(py: &Path, pdf: &Path, what: &str) {
    let out = page_validate(py, pdf, "2b");
    assert!(out.lines().count() >= 1, "{what}: {out}");
    for l in out.lines().filter(|l| l.starts_with("FAIL")) {
        assert!(
            l.contains("GLYPH-WIDTH-001") && l.contains("CIDFontType0C"),
            "{what}: {l}"
        );
    }
    let o = Command::new(py)
        .args([s(&root().join("tests/pdf_cff_widths.py")), s(pdf)])
        .output()
        .expect("python");
    let report = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{what}: fontTools found width mismatches:\n{report}"
    );
    assert!(report.contains("mismatches=0"), "{what}: {report}");
}

/// PDF/A-2b checked by `page` (an independent validator). Its only finding on our files is
/// `PDFA2B-TRUETYPE-GLYPH-WIDTH-001` on CID-keyed CFF fonts with several Private DICTs (Noto
/// CJK): it reads the width of CID 1 with the wrong FD's defaultWidthX. We do not simply
/// ignore it: fontTools recomputes every charstring width with the right FD and must agree
/// with /W for every CID, and a file whose only font is TrueType must pass with no failure.
#[test]
fn pdfa_2b_passes_an_independent_validator() {
    let Some(py) = python() else {
        return;
    };
    let validate = |pdf: &Path| page_validate(&py, pdf, "2b");
    for (ex, pdf) in exported() {
        assert_pdfa_2b(&py, pdf, ex);
    }
    // TrueType only: nothing left for the false positive to hit, so it must be clean
    let dir = root().join("target/test-out/pdf-pdfa");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let pdf = dir.join("truetype.pdf");
    let mut args = vec![
        "export".to_string(),
        "examples/demo-city-2024.json".into(),
        "--to".into(),
        "pdf".into(),
        "--output".into(),
        s(&pdf).into(),
        "--quiet".into(),
    ];
    for role in ["title", "body", "heading", "kai", "song"] {
        args.push("--font".into());
        args.push(format!("{role}=fonts/GovDocKai-Regular.ttf"));
    }
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = common::nianbao(&a);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = validate(&pdf);
    assert!(out.starts_with("compliant"), "{out}");
    // the other standards the CLI offers, same TrueType-only set
    for (standard, profile) in [("a-2u", "2u"), ("ua-1", "ua1")] {
        let pdf = dir.join(format!("{standard}.pdf"));
        let mut b = a.clone();
        b[5] = s(&pdf);
        b.extend(["--pdf-standard", standard]);
        let o = common::nianbao(&b);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let out = page_validate(&py, &pdf, profile);
        assert!(out.starts_with("compliant"), "{standard}: {out}");
    }
}

// ---------------------------------------------------------------------------------------------
// Attacks (issue 8): damaged fonts, tall table headers, control characters in metadata, limits.
// Hostile inputs are built here from the bundled files; nothing large is committed.

/// Offset and length of every table of a font file, by tag.
fn font_tables(data: &[u8]) -> BTreeMap<String, (usize, usize)> {
    let be32 = |at: usize| u32::from_be_bytes(data[at..at + 4].try_into().unwrap()) as usize;
    let n = u16::from_be_bytes([data[4], data[5]]) as usize;
    (0..n)
        .map(|i| {
            let rec = 12 + 16 * i;
            let tag = String::from_utf8_lossy(&data[rec..rec + 4]).into_owned();
            (tag, (be32(rec + 8), be32(rec + 12)))
        })
        .collect()
}

/// A fresh scratch directory under target/test-out.
fn scratch(tag: &str) -> PathBuf {
    let dir = root().join("target/test-out").join(tag);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Exports demo-2019 with `--font ROLE=font`, returning (exit status, stderr, output written).
fn export_with_font(
    dir: &Path,
    role: &str,
    font: &Path,
) -> (std::process::ExitStatus, String, bool) {
    let pdf = dir.join("out.pdf");
    let _ = std::fs::remove_file(&pdf);
    let o = common::nianbao(&[
        "export",
        "examples/demo-2019.json",
        "--to",
        "pdf",
        "--output",
        s(&pdf),
        "--quiet",
        "--font",
        &format!("{role}={}", s(font)),
    ]);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    (o.status, err, pdf.exists())
}

#[test]
fn damaged_fonts_are_errors_naming_the_file_never_blank_text_or_a_panic() {
    let dir = scratch("pdf-bad-fonts");
    let kai = std::fs::read(root().join("fonts/GovDocKai-Regular.ttf")).unwrap();
    // a CFF font: the bundled 黑体
    let fang = std::fs::read(root().join("fonts/NotoSansCJKsc-Regular.subset.otf")).unwrap();
    let kai_tables = font_tables(&kai);
    let patched = |data: &[u8], tag: &str, at: usize, bytes: &[u8]| {
        let mut d = data.to_vec();
        let (off, _) = font_tables(data)[tag];
        d[off + at..off + at + bytes.len()].copy_from_slice(bytes);
        d
    };
    let zeroed = |data: &[u8], tag: &str| {
        let mut d = data.to_vec();
        let (off, len) = font_tables(data)[tag];
        d[off..off + len].fill(0);
        d
    };
    // the control: an intact copy of the same file is accepted, so the failures below are
    // about the damage
    let intact = dir.join("intact.ttf");
    std::fs::write(&intact, &kai).unwrap();
    let (status, err, written) = export_with_font(&dir, "body", &intact);
    assert!(status.success() && written, "intact copy refused: {err}");

    let cases: Vec<(&str, &str, Vec<u8>, &str)> = vec![
        // item 3: a truncated file (TrueType and CFF), a zeroed outline table, a zeroed loca
        (
            "truncated.ttf",
            "body",
            kai[..kai.len() / 2].to_vec(),
            "glyf",
        ),
        (
            "truncated.otf",
            "body",
            fang[..fang.len() / 2].to_vec(),
            // the tables past the cut are named as missing or damaged
            "表缺失或损坏",
        ),
        ("zero-glyf.ttf", "body", zeroed(&kai, "glyf"), "空白"),
        ("zero-loca.ttf", "heading", zeroed(&kai, "loca"), "空白"),
        // item 4: the fields the libraries panicked on
        (
            "upem0.ttf",
            "body",
            patched(&kai, "head", 18, &[0, 0]),
            "unitsPerEm",
        ),
        (
            "post2.ttf",
            "kai",
            patched(&kai, "post", 0, &[0, 2, 0, 0]),
            "post",
        ),
    ];
    assert!(
        kai_tables.contains_key("post") && kai_tables["post"].1 == 32,
        "post v3"
    );
    for (name, role, bytes, why) in cases {
        let font = dir.join(name);
        std::fs::write(&font, bytes).unwrap();
        let (status, err, written) = export_with_font(&dir, role, &font);
        assert!(!status.success(), "{name} accepted: {err}");
        assert_ne!(status.code(), Some(101), "{name}: panic exit: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert!(
            err.contains(s(&font)),
            "{name}: the file is not named: {err}"
        );
        assert!(err.contains("字体") && err.contains(why), "{name}: {err}");
        assert!(!written, "{name}: a file was written");
        let _ = std::fs::remove_file(&font);
    }
}

#[test]
fn font_files_are_read_only_when_regular_and_at_most_64_mib() {
    let dir = scratch("pdf-font-cap");
    // a sparse file just over the cap: refused from its size, before any byte is read
    let big = dir.join("big.ttf");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(64 * 1024 * 1024 + 1).unwrap();
    drop(f);
    let (status, err, written) = export_with_font(&dir, "body", &big);
    assert!(!status.success() && !written, "{err}");
    assert!(err.contains("64 MiB") && err.contains(s(&big)), "{err}");
    // a device that never ends
    let (status, err, written) = export_with_font(&dir, "body", Path::new("/dev/zero"));
    assert!(!status.success() && !written, "{err}");
    assert!(
        err.contains("/dev/zero") && err.contains("not a regular file"),
        "{err}"
    );
}

/// demo-2019 with a free table appended to section 一: `header_rows` of `rows` (3 columns),
/// each cell's text unique (`表头7列2`, `数据3列1`).
fn report_with_free_table(rows: usize, header_rows: usize) -> (nianbao::Report, Vec<String>) {
    let json = std::fs::read_to_string(root().join("examples/demo-2019.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut cells = Vec::new();
    let table: Vec<Vec<String>> = (0..rows)
        .map(|r| {
            (0..3)
                .map(|c| {
                    let kind = if r < header_rows { "表头" } else { "数据" };
                    let t = format!("{kind}{r}列{c}");
                    cells.push(t.clone());
                    t
                })
                .collect()
        })
        .collect();
    v["overview"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "table": { "rows": table, "header_rows": header_rows }
        }));
    let report = nianbao::Report::from_json(&v.to_string()).unwrap();
    (report, cells)
}

#[test]
fn free_table_headers_taller_than_a_page_lose_no_row() {
    let Some(pdftotext) = tool("pdftotext") else {
        return;
    };
    let dir = scratch("pdf-tall-header");
    for (rows, header_rows) in [(60, 60), (50, 45)] {
        let (report, cells) = report_with_free_table(rows, header_rows);
        let doc = nianbao::layout::build(&report);
        let out = nianbao::pdf::write(&doc, &Default::default()).unwrap();
        let pdf = dir.join(format!("{header_rows}.pdf"));
        std::fs::write(&pdf, &out.bytes).unwrap();
        let text = squeeze(&run(&pdftotext, &["-raw", s(&pdf), "-"]));
        let lost: Vec<&String> = cells
            .iter()
            .filter(|c| !text.contains(c.as_str()))
            .collect();
        assert!(
            lost.is_empty(),
            "{header_rows} header rows of {rows}: {} cells lost, e.g. {:?}",
            lost.len(),
            &lost[..lost.len().min(5)]
        );
        // every cell once: the header is not repeated on the continuation pages
        for c in &cells {
            assert_eq!(text.matches(c.as_str()).count(), 1, "{c}");
        }
        assert!(
            out.warnings.iter().any(|w| w.contains("表头")),
            "{header_rows} header rows: {:?}",
            out.warnings
        );
    }
    // a short header still repeats on every page
    let (report, cells) = report_with_free_table(80, 2);
    let doc = nianbao::layout::build(&report);
    let out = nianbao::pdf::write(&doc, &Default::default()).unwrap();
    assert!(!out.warnings.iter().any(|w| w.contains("表头")));
    let pdf = dir.join("short-header.pdf");
    std::fs::write(&pdf, &out.bytes).unwrap();
    let text = squeeze(&run(&pdftotext, &["-raw", s(&pdf), "-"]));
    assert!(
        text.matches(cells[0].as_str()).count() >= 2,
        "header repeated"
    );
    assert!(cells.iter().all(|c| text.contains(c.as_str())));
}

#[test]
fn control_characters_never_reach_the_xmp_which_stays_pdfa() {
    let Some(py) = python() else {
        return;
    };
    let dir = scratch("pdf-xmp-controls");
    let mut doc = doc_of("examples/demo-2019.json");
    doc.meta.title = format!("示例\u{b}市{}", doc.meta.title);
    doc.title_lines[0] = format!("示例\u{b}市{}", doc.title_lines[0]);
    doc.meta.author = "示例市\u{8}人民政府\u{1}".into();
    let out = nianbao::pdf::write(&doc, &Default::default()).unwrap();
    let pdf = dir.join("controls.pdf");
    std::fs::write(&pdf, &out.bytes).unwrap();
    // expat rejects any character XML 1.0 forbids: parsing is the well-formedness check
    let script = r#"
import sys, xml.dom.minidom
from pypdf import PdfReader
r = PdfReader(sys.argv[1])
xmp = r.trailer["/Root"]["/Metadata"].get_object().get_data()
dom = xml.dom.minidom.parseString(xmp)
def text(tag):
    return "".join(n.data for e in dom.getElementsByTagName(tag) for n in e.getElementsByTagName("rdf:li")[0].childNodes) if tag.startswith("dc:") else "".join(n.data for e in dom.getElementsByTagName(tag) for n in e.childNodes)
info = r.metadata
print("part", text("pdfaid:part"))
print("conformance", text("pdfaid:conformance"))
print("title", text("dc:title"))
print("creator", text("dc:creator"))
print("info-title", info.title)
print("info-author", info.author)
"#;
    let o = Command::new(&py)
        .args(["-c", script, s(&pdf)])
        .output()
        .expect("python");
    let got = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "XMP not well-formed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        got.contains("part 2\n") && got.contains("conformance B\n"),
        "{got}"
    );
    assert!(got.contains("title 示例市"), "{got}");
    assert!(got.contains("creator 示例市人民政府\n"), "{got}");
    assert!(got.contains("info-author 示例市人民政府\n"), "{got}");
    assert!(!got.contains(['\u{b}', '\u{8}', '\u{1}']), "{got:?}");
    assert_pdfa_2b(&py, &pdf, "controls.pdf");
}

#[test]
fn pdfa_refusals_are_words_and_long_headings_still_export() {
    // an 11,000-character heading (33,000 bytes): the bookmark and the tag title are navigation aids and are
    // shortened; the heading itself is printed whole
    let mut doc = doc_of("examples/demo-2019.json");
    let long = "长".repeat(11_000);
    let i = doc
        .blocks
        .iter()
        .position(|b| matches!(b, Block::Heading { level: 1, .. }))
        .unwrap();
    if let Block::Heading { text, .. } = &mut doc.blocks[i] {
        *text = format!("一、{long}");
    }
    let out = nianbao::pdf::write(&doc, &Default::default());
    assert!(
        out.is_ok(),
        "{}",
        out.err().map(|e| e.to_string()).unwrap_or_default()
    );
    // a title longer than PDF/A's 32,767-byte string limit is refused in words
    let mut doc = doc_of("examples/demo-2019.json");
    doc.meta.title = "题".repeat(11_000);
    let err = nianbao::pdf::write(&doc, &Default::default())
        .expect_err("a 33,000-byte title breaks PDF/A")
        .to_string();
    assert!(err.contains("32,767") && err.contains("PDF/A-2b"), "{err}");
    for debug in ["TooLongString", "Validation(", "Validators", "{", "Some("] {
        assert!(!err.contains(debug), "debug text {debug:?} in {err}");
    }
}

#[test]
fn exports_on_several_threads_share_the_fonts_and_match_byte_for_byte() {
    let doc = doc_of("examples/demo-2019.json");
    let opts = nianbao::export::ExportOptions::default();
    let alone = nianbao::pdf::write(&doc, &opts).unwrap().bytes;
    let parallel: Vec<Vec<u8>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..3)
            .map(|_| s.spawn(|| nianbao::pdf::write(&doc, &opts).unwrap().bytes))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for p in parallel {
        assert!(p == alone, "a PDF written on another thread differs");
    }
}

#[test]
fn the_file_is_packed_with_object_streams_and_a_cross_reference_stream() {
    let Some(qpdf) = tool("qpdf") else {
        return;
    };
    for (ex, pdf) in exported() {
        let bytes = std::fs::read(pdf).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("/Type/ObjStm"), "{ex}: no object stream");
        assert!(
            text.contains("/Type/XRef"),
            "{ex}: no cross-reference stream"
        );
        assert!(!text.contains("\nxref\n"), "{ex}: a classic table is left");
        let check = run(&qpdf, &["--check", s(pdf)]);
        assert!(
            check.contains("No syntax or stream encoding errors"),
            "{ex}: {check}"
        );
        // page contents were deflated by the packer; the XMP stays readable
        assert!(
            text.contains("<x:xmpmeta") || text.contains("<?xpacket"),
            "{ex}: XMP filtered"
        );
    }
    // the seed is well under the size it had with a classic table (304,499 B before packing)
    let seed = std::fs::metadata(&exported()["examples/potou-2023.json"])
        .unwrap()
        .len();
    assert!(seed < 275_000, "seed PDF is {seed} B");
}
