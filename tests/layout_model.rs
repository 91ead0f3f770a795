//! The layout model of the statutory tables against the facts of format.md (written out here by
//! hand, independently of the templates): every merge, every header, every sum cell.

use nianbao::layout::{build, Block, Content, Table};
use nianbao::Report;

fn doc(path: &str) -> nianbao::layout::Document {
    let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap();
    build(&Report::from_json(&text).unwrap())
}

fn table<'a>(d: &'a nianbao::layout::Document, id: &str) -> &'a Table {
    d.blocks
        .iter()
        .find_map(|b| match b {
            Block::Table(t) if t.id == id => Some(t),
            _ => None,
        })
        .unwrap()
}

/// (row, col, rowspan, colspan, text) of every text cell.
fn labels(t: &Table) -> Vec<(usize, usize, usize, usize, String)> {
    let mut v = Vec::new();
    for (r, row) in t.rows.iter().enumerate() {
        for c in &row.cells {
            if let Content::Text(s) = &c.content {
                v.push((r, c.col, c.row_span, c.col_span, s.clone()));
            }
        }
    }
    v
}

fn has(t: &Table, r: usize, c: usize, rs: usize, cs: usize, text: &str) {
    assert!(
        labels(t).contains(&(r, c, rs, cs, text.to_string())),
        "missing ({r},{c},{rs}x{cs}) {text}"
    );
}

#[test]
fn table_three_2021_merges() {
    let d = doc("examples/demo-city-2024.json");
    let t = table(&d, "applications");
    assert_eq!((t.columns, t.header_rows, t.rows.len()), (10, 3, 28));
    has(
        t,
        0,
        0,
        3,
        3,
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    );
    has(t, 0, 3, 1, 7, "申请人情况");
    has(t, 1, 3, 2, 1, "自然人");
    has(t, 1, 4, 1, 5, "法人或其他组织");
    has(t, 1, 9, 2, 1, "总计");
    for (i, h) in [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    .iter()
    .enumerate()
    {
        has(t, 2, 4 + i, 1, 1, h);
    }
    has(t, 3, 0, 1, 3, "一、本年新收政府信息公开申请数量");
    has(t, 4, 0, 1, 3, "二、上年结转政府信息公开申请数量");
    has(t, 5, 0, 22, 1, "三、本年度办理结果");
    has(t, 5, 1, 1, 2, "（一）予以公开");
    has(
        t,
        6,
        1,
        1,
        2,
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    );
    has(t, 7, 1, 8, 1, "（三）不予公开");
    has(t, 9, 2, 1, 1, "3.危及“三安全一稳定”");
    has(t, 15, 1, 3, 1, "（四）无法提供");
    has(t, 18, 1, 5, 1, "（五）不予处理");
    has(t, 23, 1, 3, 1, "（六）其他处理");
    has(
        t,
        24,
        2,
        1,
        1,
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    );
    has(t, 26, 1, 1, 2, "（七）总计");
    has(t, 27, 0, 1, 3, "四、结转下年度继续办理");
    // 25 data rows × 7 numbers.
    let numbers = t
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .filter(|c| matches!(c.content, Content::Number(_)))
        .count();
    assert_eq!(numbers, 175);
    // （七）总计 and the 总计 column are sums; their intersection is the row sum of （七）.
    let sum_cells: Vec<_> = t
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .filter_map(|c| match &c.content {
            Content::Number(n) if n.sum_of.is_some() => Some(n),
            _ => None,
        })
        .collect();
    assert_eq!(sum_cells.len(), 7 + 24);
    let grand = sum_cells
        .iter()
        .find(|n| &*n.key.row == "total_processed" && &*n.key.column == "total")
        .unwrap();
    assert_eq!(grand.sum_of.as_ref().unwrap().len(), 21);
    // Checks: A-02 ×7, A-03 ×25, A-01 ×7.
    assert_eq!(t.checks.len(), 39);
}

#[test]
fn table_three_2019_has_one_other_row() {
    let d = doc("examples/demo-2019.json");
    let t = table(&d, "applications");
    assert_eq!(t.rows.len(), 3 + 23);
    has(t, 5, 0, 20, 1, "三、本年度办理结果");
    has(t, 23, 1, 1, 2, "（六）其他处理");
    has(t, 24, 1, 1, 2, "（七）总计");
}

#[test]
fn table_four_merges() {
    let d = doc("examples/demo-city-2024.json");
    let t = table(&d, "review_litigation");
    assert_eq!((t.columns, t.header_rows, t.rows.len()), (15, 3, 4));
    has(t, 0, 0, 1, 5, "行政复议");
    has(t, 0, 5, 1, 10, "行政诉讼");
    for (i, h) in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
        .iter()
        .enumerate()
    {
        has(t, 1, i, 2, 1, h);
        has(t, 2, 5 + i, 1, 1, h);
        has(t, 2, 10 + i, 1, 1, h);
    }
    has(t, 1, 5, 1, 5, "未经复议直接起诉");
    has(t, 1, 10, 1, 5, "复议后起诉");
    assert_eq!(t.rows[3].cells.len(), 15);
}

#[test]
fn table_two_2021_groups_and_the_seeds_mixed_group() {
    let d = doc("examples/demo-city-2024.json");
    let t = table(&d, "proactive");
    assert_eq!(t.columns, 4);
    has(t, 0, 0, 1, 4, "第二十条第（一）项");
    has(t, 1, 1, 1, 1, "本年制发件数");
    has(t, 3, 0, 1, 1, "行政规范性文件");
    has(t, 5, 1, 1, 3, "本年处理决定数量");
    has(t, 12, 1, 1, 3, "本年收费金额（单位：万元）");
    has(t, 13, 0, 1, 1, "行政事业性收费");
    // The fee prints as written.
    assert!(t.rows[13]
        .cells
        .iter()
        .any(|c| c.content.text() == "1234.5678"));

    let seed = doc("examples/potou-2023.json");
    let t = table(&seed, "proactive");
    has(t, 1, 1, 1, 1, "本年新制作数量");
    has(t, 1, 3, 1, 1, "对外公开总数量");
    has(t, 3, 0, 1, 1, "规范性文件");
    has(t, 5, 1, 1, 3, "本年处理决定数量");
    // Headings print as published.
    assert!(seed
        .blocks
        .iter()
        .any(|b| matches!(b, Block::Heading { level: 1, text, .. } if text == "一、總體情況")));
}

#[test]
fn table_two_2019_uses_a_grid_every_group_divides() {
    let d = doc("examples/demo-2019.json");
    let t = table(&d, "proactive");
    assert_eq!(t.columns, 7, "label + lcm(3, 2) data columns");
    has(t, 0, 0, 1, 7, "第二十条第（一）项");
    has(t, 1, 1, 1, 2, "本年新制作数量");
    has(t, 1, 5, 1, 2, "对外公开总数量");
    let last = t.rows.len() - 1;
    has(t, last - 1, 1, 1, 3, "采购项目数量");
    has(t, last - 1, 4, 1, 3, "采购总金额");
}

#[test]
fn document_order_and_title() {
    let d = doc("examples/potou-2023.json");
    assert_eq!(d.title, "湛江市坡头区教育局2023年政府信息公开工作年度报告");
    assert_eq!(
        d.title_lines,
        vec!["湛江市坡头区教育局", "2023年政府信息公开工作年度报告"]
    );
    let sections: Vec<&str> = d
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading {
                level: 1,
                section: Some(s),
                ..
            } => Some(s.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        sections,
        [
            "overview",
            "proactive",
            "applications",
            "review_litigation",
            "problems",
            "other"
        ]
    );
    assert_eq!(d.meta.language, "zh-CN");
    assert_eq!(d.meta.author, "湛江市坡头区教育局");
    let free = table(&d, "overview.table1");
    assert_eq!(
        (free.columns, free.rows.len(), free.header_rows),
        (13, 2, 1)
    );
}

/// 洪泽 2023: a 2021 report whose table 三 prints （六）其他处理 as the 2019 single row. It is laid
/// out as published (one row spanning both label columns; 三、本年度办理结果 spanning 20 rows),
/// its checks sum the single row, and its JSON round-trips exactly.
#[test]
fn table_three_with_the_2019_other_row_in_a_2021_report() {
    let path = "tests/fixtures/reports/hongze_2023.json";
    let d = doc(path);
    let t = table(&d, "applications");
    assert_eq!((t.columns, t.header_rows, t.rows.len()), (10, 3, 26));
    has(t, 5, 0, 20, 1, "三、本年度办理结果");
    has(t, 23, 1, 1, 2, "（六）其他处理");
    has(t, 24, 1, 1, 2, "（七）总计");
    assert!(!labels(t)
        .iter()
        .any(|l| l.4.starts_with("1.申请人无正当理由逾期不补正")));
    let a02 = t
        .checks
        .iter()
        .find(|c| c.rule == "A-02" && c.scope == "自然人")
        .unwrap();
    assert_eq!(a02.right.len(), 19);
    assert!(a02.right.iter().any(|k| &*k.row == "other"));
    assert_eq!(a02.verdict, nianbao::equation::Verdict::Holds);
    // Round trip: the JSON written back is the JSON read, the flat row included.
    let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap();
    let report = Report::from_json(&text).unwrap();
    assert_eq!(
        report
            .applications
            .part_formats
            .get("other")
            .map(String::as_str),
        Some("2019")
    );
    let original: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report.to_json(), original);
    assert_eq!(Report::from_json(&report.to_json_string()).unwrap(), report);
    // Every writer takes it.
    let options = nianbao::options::ExportOptions::default();
    for target in [
        nianbao::options::Target::Pdf,
        nianbao::options::Target::Docx,
        nianbao::options::Target::Xlsx,
    ] {
        let out = nianbao::export::write(&d, target, &options).unwrap();
        assert!(out.bytes.len() > 1000, "{target:?}");
    }
}

/// The mix the other way round: a 2019 report printing （六）其他处理 as the three 2021 sub-rows.
#[test]
fn table_three_with_the_2021_other_rows_in_a_2019_report() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo-2019.json"),
    )
    .unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let row = v["applications"]["other"].clone();
    let zero = serde_json::json!({"natural_person": 0, "commercial": 0, "research": 0,
        "social_welfare": 0, "legal_service": 0, "other_org": 0, "total": 0});
    v["applications"]["other"] = serde_json::json!({
        "overdue_correction": row, "overdue_fee": zero.clone(), "other": zero
    });
    let report = Report::from_json(&v.to_string()).unwrap();
    assert_eq!(
        report
            .applications
            .part_formats
            .get("other")
            .map(String::as_str),
        Some("2021")
    );
    assert_eq!(report.to_json(), v);
    let d = build(&report);
    let t = table(&d, "applications");
    has(t, 5, 0, 22, 1, "三、本年度办理结果");
    has(t, 23, 1, 3, 1, "（六）其他处理");
    let findings = nianbao::validate::validate(&report, None);
    assert!(!nianbao::validate::has_errors(&findings), "{findings:#?}");
    assert!(findings
        .iter()
        .any(|f| f.rule == "F-02" && f.path == "applications.other"));
}
