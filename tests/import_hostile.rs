//! Hostile and broken inputs end with a clear error or a partial import, never a panic or a
//! hang: 100,000-deep nesting, a 50 MB page, a 1 MB attribute, binary garbage, truncated pages,
//! endless digit runs. Each case runs on its own thread with a time limit (generous: this
//! machine is shared), so a hang fails the test instead of stalling the suite. Also: input kind
//! detection from the bytes.

use nianbao::import::{
    detect, from_html, from_text, read_any, read_as, ImportError, ImportOptions, Imported,
    SourceKind,
};
use std::io::Write;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn read(rel: &str) -> String {
    std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

/// Runs `f` on a thread; fails if it panics or takes longer than `limit`.
fn bounded<T: Send + 'static>(
    what: &str,
    limit: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = mpsc::channel();
    let start = Instant::now();
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
            let _ = tx.send(r);
        })
        .unwrap();
    match rx.recv_timeout(limit) {
        Ok(Ok(v)) => {
            eprintln!("{what}: {:?}", start.elapsed());
            v
        }
        Ok(Err(_)) => panic!("{what}: panicked"),
        Err(_) => panic!("{what}: no result within {limit:?} (a hang)"),
    }
}

const LIMIT: Duration = Duration::from_secs(120);

fn fixture() -> String {
    read("tests/fixtures/import/fixture_city_2025.html")
}

fn clean_import() -> Imported {
    from_html(&fixture(), &ImportOptions::default()).unwrap()
}

#[test]
fn deep_nesting_is_not_a_hang() {
    for (name, open, close) in [
        ("div", "<div>", "</div>"),
        ("span", "<span>", "</span>"),
        ("table", "<table><tr><td>", "</td></tr></table>"),
        ("p+ul", "<ul><li><p>", "</p></li></ul>"),
    ] {
        let page = format!(
            "<html><body>{}x{}</body></html>",
            open.repeat(100_000),
            close.repeat(100_000)
        );
        let r = bounded(&format!("100,000 × {name}"), LIMIT, move || {
            from_html(&page, &ImportOptions::default()).map(|_| ())
        });
        assert!(
            matches!(r, Err(ImportError::NotAReport { .. })),
            "{name}: {r:?}"
        );
    }
    // The report first, then the deep nest: the report still imports.
    let page = fixture().replace(
        "</body>",
        &format!(
            "{}x{}</body>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        ),
    );
    let imp = bounded("report + deep nest", LIMIT, move || {
        from_html(&page, &ImportOptions::default()).unwrap()
    });
    assert_eq!(imp.report.applications, clean_import().report.applications);
}

#[test]
fn a_50_mb_page_imports_the_report_inside() {
    let page = fixture();
    let nav = "<div class=\"nav\"><a href=\"/x\">首页</a><span>导航 栏目 政务公开</span></div>\n";
    let n = 50 * 1024 * 1024 / nav.len();
    let at = page.find("<div id=\"zoom\"").unwrap();
    let big = format!("{}{}{}", &page[..at], nav.repeat(n), &page[at..]);
    assert!(big.len() > 50 * 1024 * 1024);
    let imp = bounded("50 MB page", Duration::from_secs(300), move || {
        from_html(&big, &ImportOptions::default()).unwrap()
    });
    let want = clean_import().report;
    assert_eq!(imp.report.applications, want.applications);
    assert_eq!(imp.report.overview, want.overview);
}

#[test]
fn a_1_mb_attribute_and_a_1_mb_cell_do_no_harm() {
    let page = fixture()
        .replacen(
            "<td>13612</td>",
            &format!("<td title=\"{}\">13612</td>", "x".repeat(1 << 20)),
            1,
        )
        .replacen(
            "<p>六、其他需要报告的事项</p>",
            &format!(
                "<p data-x=\"{}\">六、其他需要报告的事项</p>",
                "\u{3000}".repeat(1 << 19)
            ),
            1,
        );
    let imp = bounded("1 MB attribute", LIMIT, move || {
        from_html(&page, &ImportOptions::default()).unwrap()
    });
    assert_eq!(imp.report, clean_import().report);
    // A cell holding a megabyte of digits is not split (too long to try) and is logged.
    let page = fixture().replacen(
        "<td>13612</td>",
        &format!("<td>{}</td>", "1 ".repeat(1 << 19)),
        1,
    );
    let imp = bounded("1 MB cell", LIMIT, move || {
        from_html(&page, &ImportOptions::default()).unwrap()
    });
    assert_eq!(
        imp.report
            .applications
            .get("new_received", "natural_person"),
        Some(None)
    );
    assert!(!imp.complete());
}

/// Deterministic pseudo-random bytes.
fn garbage(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

#[test]
fn binary_garbage_is_a_clear_error() {
    for seed in 1..6u64 {
        let bytes = garbage(200_000, seed);
        assert_eq!(detect(&bytes, "x.bin"), SourceKind::Unknown);
        let b = bytes.clone();
        let r = bounded("garbage", LIMIT, move || {
            read_any(&b, "x.html", &ImportOptions::default()).map(|_| ())
        });
        let e = r.unwrap_err();
        assert!(matches!(e, ImportError::Unreadable { .. }), "{e}");
        assert!(e.to_string().contains("二进制"), "{e}");
        // forced as HTML or text: decoding refuses it, never a panic
        for kind in [SourceKind::Html, SourceKind::Text, SourceKind::Json] {
            let b = bytes.clone();
            let r = bounded("garbage forced", LIMIT, move || {
                read_as(kind, &b, &ImportOptions::default()).map(|_| ())
            });
            assert!(r.is_err());
        }
    }
    // Garbage that happens to decode (GB18030 takes almost anything): no table, so not a report.
    let text: String = garbage(100_000, 9)
        .iter()
        .map(|b| char::from(b'a' + b % 26))
        .collect();
    let r = bounded("letters", LIMIT, move || {
        from_text(&text, &ImportOptions::default()).map(|_| ())
    });
    assert!(matches!(r, Err(ImportError::NotAReport { .. })), "{r:?}");
}

#[test]
fn truncated_pages_import_what_is_there() {
    let page = fixture();
    for cut in [
        page.find("<tr><td rowspan=\"3\">（四）无法提供").unwrap(),
        page.find("<p>四、").unwrap() + 3,
        page.len() / 3,
    ] {
        let part = page[..cut].to_string();
        let r = bounded("truncated", LIMIT, move || {
            from_html(&part, &ImportOptions::default())
        });
        match r {
            Ok(imp) => {
                // what was read is right; the rest is null and logged
                assert!(!imp.complete());
                let want = clean_import().report;
                for (row, cols) in &imp.report.applications.cells {
                    for (col, v) in cols {
                        if v.is_some() {
                            assert_eq!(
                                *v,
                                want.applications.get(row, col).flatten(),
                                "{row}.{col}"
                            );
                        }
                    }
                }
            }
            Err(e) => assert!(matches!(e, ImportError::NotAReport { .. }), "{e}"),
        }
    }
}

#[test]
fn endless_digit_runs_are_not_split() {
    let text = format!(
        "某局2024年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量{}二、上年结转政府信息公开申请数量0000000\n",
        "1".repeat(200_000)
    );
    let imp = bounded("digits", LIMIT, move || {
        from_text(&text, &ImportOptions::default()).unwrap()
    });
    assert_eq!(
        imp.report.applications.get("new_received", "total"),
        Some(None)
    );
    assert_eq!(
        imp.report
            .applications
            .get("carried_over", "total")
            .flatten()
            .map(|n| n.to_string()),
        Some("0".into())
    );
}

#[test]
fn kinds_are_detected_from_the_bytes() {
    assert_eq!(detect(b"%PDF-1.7\n...", "a.txt"), SourceKind::Pdf);
    assert_eq!(detect(b"{\"format\": \"2021\"}", "-"), SourceKind::Json);
    assert_eq!(
        detect(
            read("tests/fixtures/import/shanghai_gov_office_2019.html").as_bytes(),
            "x"
        ),
        SourceKind::Html
    );
    assert_eq!(
        detect(
            read("tests/fixtures/import/pingtan_2019.txt").as_bytes(),
            "x.html"
        ),
        SourceKind::Text
    );
    assert_eq!(
        detect(read("tests/fixtures/seed_potou_2023.txt").as_bytes(), ""),
        SourceKind::Text
    );
    // a GBK page
    let (gbk, _, _) = encoding_rs::GBK
        .encode("<html><head><meta charset=\"gbk\"></head><body><p>一、总体情况</p></body></html>");
    assert_eq!(detect(&gbk, "p.htm"), SourceKind::Html);
    assert!(nianbao::import::decode_text(&gbk)
        .unwrap()
        .contains("总体情况"));
    // zip packages by their parts
    let zip = |part: &str| -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        w.start_file(part, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(b"<x/>").unwrap();
        w.finish().unwrap().into_inner()
    };
    assert_eq!(detect(&zip("word/document.xml"), "a.bin"), SourceKind::Docx);
    assert_eq!(detect(&zip("xl/workbook.xml"), "a.bin"), SourceKind::Xlsx);
    // old binary Office files are named, with what to do
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend("WordDocument".encode_utf16().flat_map(|u| u.to_le_bytes()));
    assert_eq!(detect(&ole, "a"), SourceKind::Doc);
    let e = read_any(&ole, "a.doc", &ImportOptions::default()).unwrap_err();
    assert!(e.to_string().contains(".docx"), "{e}");
    // JSON goes through the report reader
    let json = read("examples/potou-2023.json");
    let imp = read_any(json.as_bytes(), "r.json", &ImportOptions::default()).unwrap();
    assert!(imp.log.entries.is_empty());
    assert_eq!(imp.report.agency, "湛江市坡头区教育局");
}

/// Text with more than 1 % control characters among its first 100,000 characters is binary
/// (counted on the bytes since the check became a byte loop: C0 controls and DEL, and the C1
/// controls U+0080 to U+009F, which UTF-8 writes as C2 80 to C2 9F).
#[test]
fn control_characters_are_counted_per_character_in_the_first_100000() {
    use nianbao::import::decode_text;
    let text = |body: &str, n: usize, ctl: &str, m: usize| -> Vec<u8> {
        format!("{}{}", body.repeat(n), ctl.repeat(m)).into_bytes()
    };
    // 2 in 100 (each 中 one character, not three bytes): refused; 1 in 100: kept.
    assert!(decode_text(&text("中", 98, "\u{1}", 2)).is_err());
    assert!(decode_text(&text("中", 99, "\u{1}", 1)).is_ok());
    assert!(decode_text(&text("中", 98, "\u{7f}", 2)).is_err());
    assert!(decode_text(&text("中", 98, "\u{85}", 2)).is_err());
    assert!(decode_text(&text("中", 98, "\u{9f}", 2)).is_err());
    // Line breaks, tabs and form feeds are text; U+00A0 (C2 A0) is no control.
    assert!(decode_text(&text("中", 10, "\n\r\t\u{c}", 50)).is_ok());
    assert!(decode_text(&text("中", 10, "\u{a0}\u{a0}", 50)).is_ok());
    // Only the first 100,000 characters count.
    assert!(decode_text(&text("中", 100_000, "\u{1}", 5_000)).is_ok());
    assert!(decode_text(&text("中", 98_000, "\u{1}", 5_000)).is_err());
}

/// A cell or a row label of a megabyte is quoted in the import log to 60 characters with its
/// length, so one hostile cell cannot turn the log, the terminal or `--report-json` into
/// megabytes: a label, a cell of text, a cell of digit groups, and a run of digits.
#[test]
fn a_megabyte_of_text_in_a_cell_is_quoted_short_in_the_log() {
    const N: usize = 1 << 20;
    let label = "一、本年新收政府信息公开申请数量";
    let pages = [
        (
            "label",
            fixture().replacen(label, &format!("{label}{}", "甲".repeat(N)), 1),
            N + label.chars().count(),
        ),
        (
            "text cell",
            fixture().replacen("<td>13612</td>", &format!("<td>{}</td>", "约".repeat(N)), 1),
            N,
        ),
        (
            "digit groups",
            fixture().replacen(
                "<td>13612</td>",
                &format!("<td>{}</td>", "1 2 ".repeat(N / 4)),
                1,
            ),
            N - 1,
        ),
    ];
    for (what, page, chars) in pages {
        let imp = bounded(what, LIMIT, move || {
            from_html(&page, &ImportOptions::default()).unwrap()
        });
        let quoted = format!("…（共 {chars} 字）");
        assert!(
            imp.log.entries.iter().any(|e| e.message.contains(&quoted)),
            "{what}: no entry quotes the text with its length {quoted}: {:?}",
            imp.log
                .entries
                .iter()
                .map(|e| e.message.chars().take(100).collect::<String>())
                .collect::<Vec<_>>()
        );
        for e in &imp.log.entries {
            assert!(
                e.message.len() < 1_000,
                "{what}: a log message of {} bytes",
                e.message.len()
            );
        }
    }
    // Run-together digits in plain text, too long to split: the run is quoted short.
    let text = format!(
        "某局2024年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量{}\n",
        "1".repeat(200_000)
    );
    let imp = bounded("digits", LIMIT, move || {
        from_text(&text, &ImportOptions::default()).unwrap()
    });
    assert!(imp
        .log
        .entries
        .iter()
        .any(|e| e.message.contains("…（共 200000 字）")));
    assert!(imp.log.entries.iter().all(|e| e.message.len() < 1_000));
    // Prose in a table section, which the report has no place for: its note quotes it short,
    // white space made one space.
    let text = format!(
        "某局2024年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n说明：{}\n一、本年新收政府信息公开申请数量 5\n",
        "甲 \t 乙".repeat(N / 2)
    );
    let imp = bounded("table-section prose", LIMIT, move || {
        from_text(&text, &ImportOptions::default()).unwrap()
    });
    let quoted = format!("说明：{}…（共 {} 字）", "甲 乙".repeat(19), 3 + 3 * N / 2);
    assert!(
        imp.log.entries.iter().any(|e| e.message.contains(&quoted)),
        "no entry quotes the prose as {quoted}: {:?}",
        imp.log
            .entries
            .iter()
            .map(|e| e.message.chars().take(100).collect::<String>())
            .collect::<Vec<_>>()
    );
    assert!(imp.log.entries.iter().all(|e| e.message.len() < 1_000));
}
