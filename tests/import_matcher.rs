//! The matcher on inputs built in the test from the clean fixture page (fixture_city_2025.html,
//! whose every cell is known from its transcription): the label variants real reports print,
//! typos, blank markers and units, reordered columns, tables split in two, duplicate and unknown
//! rows, the table-三 format mix, crawler pipe rows, and what is not a report.

use nianbao::import::{
    from_html, from_text, html_doc, to_report_json, ImportError, ImportOptions, LogKind,
};
use nianbao::Report;
use serde_json::Value;
use std::path::PathBuf;

fn read(rel: &str) -> String {
    std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

fn page() -> String {
    read("tests/fixtures/import/fixture_city_2025.html")
}

fn want() -> Report {
    Report::from_json(&read("tests/fixtures/reports/fixture_city_2025.json")).unwrap()
}

/// Replaces exactly one occurrence (so a changed fixture fails loudly instead of silently
/// testing nothing).
fn replace_once(s: &str, from: &str, to: &str) -> String {
    assert_eq!(s.matches(from).count(), 1, "{from:?} must occur once");
    s.replacen(from, to, 1)
}

fn value(r: &Report, table: &str, row: &str, col: &str) -> Option<String> {
    r.table(table)
        .and_then(|t| t.get(row, col))
        .map(|c| c.map(|n| n.to_string()).unwrap_or_else(|| "null".into()))
}

#[test]
fn label_variants_of_real_reports_match_the_template_rows() {
    let mut p = page();
    for (from, to) in [
        // 1、 for 1., half-width brackets, straight quotes, spaces and line breaks inside labels
        ("<td>1.属于国家秘密</td>", "<td>1、属于国家秘密</td>"),
        ("（一）予以公开", "(一) 予以公开"),
        ("3.危及“三安全一稳定”", "3．危及\"三安全一稳定\""),
        ("<td>商业企业</td>", "<td>商业<br>企业</td>"),
        (
            "<td>社会公益组织</td>",
            "<td><span>社会公</span><span><font>益组织</font></span></td>",
        ),
        ("第二十条第（一）项", "第二十条 第(一)项"),
        // a printed typo (hongze 2023) and the 2019 wording of a 2021 label
        ("2.其他法律行政法规禁止公开", "2.其他法律行政止公开"),
        ("<td>行政规范性文件</td>", "<td>规范性文件</td>"),
        // a heading typo (平潭 2022)
        (
            "<p>四、政府信息公开行政复议、行政诉讼情况</p>",
            "<p>四、政府信息公开行政法复议、行政诉讼情况</p>",
        ),
    ] {
        p = replace_once(&p, from, to);
    }
    let imp = from_html(&p, &ImportOptions::default()).unwrap();
    let mut got = imp.report.clone();
    let want = want();
    got.level = want.level;
    // every cell as in the clean page
    assert_eq!(got.applications, want.applications);
    assert_eq!(got.proactive, want.proactive);
    assert_eq!(got.review_litigation, want.review_litigation);
    assert_eq!(got.format, "2021");
    // the typo'd heading is recognised and recorded as published
    assert_eq!(
        got.headings.get("review_litigation").map(String::as_str),
        Some("四、政府信息公开行政法复议、行政诉讼情况")
    );
    // the typo'd label is read, and the log says so (with its place in the page)
    let e = imp
        .log
        .entries
        .iter()
        .find(|e| e.path == "applications.denied.prohibited_by_law")
        .expect("a note for the typo'd label");
    assert_eq!(e.kind, LogKind::Note);
    assert!(e.message.contains("2.其他法律行政止公开"));
    assert!(e.source.to_string().contains("/tr["), "{}", e.source);
    assert!(imp.complete());
}

#[test]
fn columns_are_found_by_their_header_labels_not_their_position() {
    // Swap the 商业企业 and 科研机构 columns in the header and in every row of table 三.
    let p = page();
    let start = p.find("<p>三、").unwrap();
    let end = p.find("<p>四、").unwrap();
    let mut t3 = p[start..end].to_string();
    t3 = replace_once(
        &t3,
        "<td>商业企业</td><td>科研机构</td>",
        "<td>科研机构</td><td>商业企业</td>",
    );
    // data rows: natural person, commercial, research, … → swap the 2nd and 3rd numbers
    let mut out = String::new();
    for line in t3.split_inclusive('\n') {
        if line.starts_with("<tr><td") && line.matches("<td>").count() >= 7 {
            let cells: Vec<&str> = line.split("</td>").collect();
            let n = cells.len();
            // the seven numbers are the last seven cells before "</tr>"
            let mut v: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
            let first_num = n - 1 - 7;
            v.swap(first_num + 1, first_num + 2);
            out.push_str(&v.join("</td>"));
        } else {
            out.push_str(line);
        }
    }
    let p = format!("{}{}{}", &p[..start], out, &p[end..]);
    let got = from_html(&p, &ImportOptions::default()).unwrap().report;
    assert_eq!(got.applications, want().applications);
    // the swap did change the page
    assert_ne!(p, page());
}

#[test]
fn blank_markers_are_null_never_zero_and_numbers_keep_their_value() {
    let mut p = page();
    for (from, to) in [
        (
            "<td>13612</td><td>252</td><td>0</td><td>45</td>",
            "<td>１３６１２</td><td>252件</td><td>-</td><td>45</td>",
        ),
        (
            "<td>535</td><td>6</td><td>0</td><td>1</td><td>18</td><td>0</td>",
            "<td>535</td><td>6</td><td>/</td><td>—</td><td>18</td><td>无</td>",
        ),
        (
            "<td>5345</td><td>129</td><td>0</td>",
            "<td>5,345</td><td>129</td><td>&nbsp;</td>",
        ),
        (
            "<td>2120</td><td>39</td><td>0</td>",
            "<td>2120</td><td>39</td><td></td>",
        ),
    ] {
        p = replace_once(&p, from, to);
    }
    let imp = from_html(&p, &ImportOptions::default()).unwrap();
    let r = &imp.report;
    assert_eq!(
        value(r, "applications", "new_received", "natural_person").as_deref(),
        Some("13612")
    );
    assert_eq!(
        value(r, "applications", "new_received", "commercial").as_deref(),
        Some("252")
    );
    for (row, col) in [
        ("new_received", "research"),
        ("carried_over", "research"),
        ("carried_over", "social_welfare"),
        ("carried_over", "other_org"),
        ("granted", "research"),
        ("partially_granted", "research"),
    ] {
        assert_eq!(
            value(r, "applications", row, col).as_deref(),
            Some("null"),
            "{row}.{col}"
        );
    }
    assert_eq!(
        value(r, "applications", "granted", "natural_person").as_deref(),
        Some("5345")
    );
    // blanks are read (as blanks): the import is complete, validation warns F-04 per row
    assert!(imp.complete(), "{:?}", imp.log);
    let f = nianbao::validate::validate(r, None);
    assert_eq!(f.iter().filter(|x| x.rule == "F-04").count(), 4);
    // the unit was noted
    assert!(imp
        .log
        .entries
        .iter()
        .any(|e| e.path == "applications.new_received.commercial" && e.message.contains("252件")));
}

#[test]
fn unreadable_cells_are_null_and_logged_as_not_read() {
    let p = replace_once(&page(), "<td>13612</td>", "<td>见附件</td>");
    let imp = from_html(&p, &ImportOptions::default()).unwrap();
    assert_eq!(
        value(
            &imp.report,
            "applications",
            "new_received",
            "natural_person"
        )
        .as_deref(),
        Some("null")
    );
    assert!(!imp.complete());
    let e = imp
        .log
        .of_kind(LogKind::Unread)
        .find(|e| e.path == "applications.new_received.natural_person")
        .expect("logged");
    assert!(e.message.contains("见附件"));
    assert!(e.cell.contains("自然人"), "{}", e.cell);
}

#[test]
fn a_table_split_into_two_tables_reads_as_one() {
    // Cut table 三 after （四）无法提供's first row; the second table has no header.
    let cut = "<tr><td>2.没有现成信息需要另行制作</td>";
    let p = replace_once(&page(), cut, &format!("</table>\n<p></p>\n<table>{cut}"));
    let imp = from_html(&p, &ImportOptions::default()).unwrap();
    assert_eq!(imp.report.applications, want().applications);
    assert!(imp.complete(), "{:?}", imp.log);
}

#[test]
fn two_different_values_for_one_row_are_ambiguous_and_left_blank() {
    let dup = "<tr><td colspan=\"2\">（一）予以公开</td><td>1</td><td>129</td><td>0</td><td>41</td><td>19</td><td>14</td><td>5548</td></tr>\n";
    let p = replace_once(
        &page(),
        "<tr><td colspan=\"2\">（二）部分公开",
        &format!("{dup}<tr><td colspan=\"2\">（二）部分公开"),
    );
    let imp = from_html(&p, &ImportOptions::default()).unwrap();
    // natural_person differs (5345 vs 1): blank and ambiguous; the columns that agree are kept
    assert_eq!(
        value(&imp.report, "applications", "granted", "natural_person").as_deref(),
        Some("null")
    );
    assert_eq!(
        value(&imp.report, "applications", "granted", "commercial").as_deref(),
        Some("129")
    );
    assert!(imp
        .log
        .of_kind(LogKind::Ambiguous)
        .any(|e| e.path == "applications.granted.natural_person"));
    assert!(!imp.complete());
}

#[test]
fn a_label_that_matches_no_row_is_logged_with_its_place() {
    let extra = "<tr><td colspan=\"2\">（八）合计不详</td><td>9</td><td>9</td><td>9</td><td>9</td><td>9</td><td>9</td><td>9</td></tr>\n";
    let p = replace_once(
        &page(),
        "<tr><td colspan=\"3\">四、结转下年度继续办理",
        &format!("{extra}<tr><td colspan=\"3\">四、结转下年度继续办理"),
    );
    let imp = from_html(&p, &ImportOptions::default()).unwrap();
    let e = imp
        .log
        .of_kind(LogKind::UnmatchedLabel)
        .find(|e| e.message.contains("（八）合计不详"))
        .expect("unmatched label logged");
    assert!(
        e.source.to_string().contains("table[2]/tr["),
        "{}",
        e.source
    );
    // its values went nowhere: the table is as before
    assert_eq!(imp.report.applications, want().applications);
}

/// The hongze 2023 mix: a 2021 report whose table 三 prints （六）其他处理 as the 2019 single
/// row. Until the report model holds it, checked in the JSON the matcher produces.
#[test]
fn table_three_in_2021_with_the_2019_other_row_is_a_mix() {
    let p = page();
    let start = p.find("<tr><td rowspan=\"3\">（六）其他处理</td>").unwrap();
    let end = p.find("<tr><td colspan=\"2\">（七）总计</td>").unwrap();
    let one_row = "<tr><td colspan=\"2\">（六）其他处理</td><td>1458</td><td>20</td><td>0</td><td>2</td><td>3</td><td>3</td><td>1486</td></tr>\n";
    let p = format!("{}{}{}", &p[..start], one_row, &p[end..]);
    let p = replace_once(&p, "rowspan=\"22\"", "rowspan=\"20\"");
    let (json, log) = to_report_json(&html_doc(&p), &ImportOptions::default()).unwrap();
    assert_eq!(json["format"], "2021");
    let other = &json["applications"]["other"];
    assert_eq!(other["natural_person"], Value::from(1458));
    assert_eq!(other["total"], Value::from(1486));
    assert!(other.get("overdue_correction").is_none(), "{other}");
    // everything else is 2021 and read
    assert_eq!(
        json["proactive"]["normative_documents"]["in_force"],
        Value::from(4185)
    );
    assert_eq!(
        json["applications"]["total_processed"]["total"],
        Value::from(13810)
    );
    assert!(log.complete(), "{log:?}");
    assert!(log.entries.iter().any(|e| e.kind == LogKind::Note
        && e.path == "applications.other"
        && e.message.contains("2019")));
}

#[test]
fn the_2019_format_is_told_from_the_labels_and_can_be_forced() {
    let imp = from_html(
        &read("tests/fixtures/import/shanghai_gov_office_2019.html"),
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(imp.report.format, "2019");
    // forcing 2021 on it: table-二 groups keep the columns they were printed with (a mix), and
    // the 2019-only rows that a 2021 report cannot hold are left out with a note
    let opts = ImportOptions {
        format: Some("2021".into()),
        ..Default::default()
    };
    let (json, log) = to_report_json(
        &html_doc(&read("tests/fixtures/import/shanghai_gov_office_2019.html")),
        &opts,
    )
    .unwrap();
    assert_eq!(json["format"], "2021");
    assert_eq!(
        json["proactive"]["regulations"]["produced"],
        Value::from(13)
    );
    assert!(json["proactive"].get("procurement").is_none());
    assert!(log
        .entries
        .iter()
        .any(|e| e.message.contains("政府集中采购")));
    let bad = ImportOptions {
        format: Some("2030".into()),
        ..Default::default()
    };
    assert!(matches!(
        from_html(&page(), &bad),
        Err(ImportError::BadOption(_))
    ));
}

#[test]
fn crawler_pipe_rows_are_read_by_their_labels() {
    let w = want();
    let mut text = String::from("测试市2025年政府信息公开工作年度报告\n一、总体情况\n2025年，全市推进政务公开。\n三、收到和处理政府信息公开申请情况\n");
    text.push_str("| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况 | | | | | | |\n");
    text.push_str("|---|---|---|---|---|---|---|---|\n");
    let t3 = nianbao::template::Template::get("2021")
        .unwrap()
        .table("applications")
        .unwrap();
    for leaf in t3.leaf_rows() {
        let cells: Vec<String> = t3
            .columns
            .iter()
            .map(|c| {
                w.applications
                    .value(&leaf.key, &c.key)
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            })
            .collect();
        text.push_str(&format!("| {} | {} |\n", leaf.label, cells.join(" | ")));
    }
    let imp = from_text(&text, &ImportOptions::default()).unwrap();
    assert_eq!(imp.report.applications, w.applications);
    assert_eq!(imp.report.year, 2025);
    assert_eq!(imp.report.agency, "测试市");
}

#[test]
fn what_is_not_a_report_is_refused_with_exit_code_2() {
    let e = from_html(
        "<html><body><p>一、总体情况</p><p>今年无事。</p></body></html>",
        &ImportOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(e, ImportError::NotAReport { .. }), "{e}");
    assert_eq!(e.exit_code(), 2);
    assert!(e.to_string().contains("没有找到法定表格"), "{e}");
    // tables but no year anywhere: say so; --year fills it
    let text = "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 |\n1 |\n0 |\n0 |\n0 |\n0 |\n0 |\n1 |\n";
    let e = from_text(text, &ImportOptions::default()).unwrap_err();
    assert!(matches!(e, ImportError::MissingYear), "{e}");
    let opts = ImportOptions {
        year: Some(2024),
        agency: Some("某局".into()),
        ..Default::default()
    };
    let imp = from_text(text, &opts).unwrap();
    assert_eq!(imp.report.year, 2024);
    assert_eq!(
        value(&imp.report, "applications", "new_received", "total").as_deref(),
        Some("1")
    );
    assert!(!imp.complete());
}
