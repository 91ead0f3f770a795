//! Every validation rule with a failing and a passing case, including the real defects of
//! the published reports (validation.md §2.2, transcribed in tests/fixtures/reports/).

mod common;

use nianbao::validate::{validate, Finding, Severity};
use nianbao::Report;
use serde_json::{json, Value};

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load(path: &str) -> Value {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The clean 2021 example: no errors, no warnings.
fn base() -> Value {
    load("examples/demo-city-2024.json")
}

fn report(v: &Value) -> Report {
    Report::from_json(&v.to_string()).unwrap_or_else(|e| panic!("fixture must load: {e}"))
}

fn check(v: &Value) -> Vec<Finding> {
    validate(&report(v), None)
}

fn check_with(v: &Value, prev: &Value) -> Vec<Finding> {
    validate(&report(v), Some(&report(prev)))
}

fn find<'a>(fs: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    fs.iter().filter(|f| f.rule == rule).collect()
}

#[track_caller]
fn has(fs: &[Finding], rule: &str, sev: Severity) -> Finding {
    match fs.iter().find(|f| f.rule == rule && f.severity == sev) {
        Some(f) => f.clone(),
        None => panic!("expected {rule} {sev:?}, got {fs:#?}"),
    }
}

#[track_caller]
fn lacks(fs: &[Finding], rule: &str) {
    let hits = find(fs, rule);
    assert!(hits.is_empty(), "unexpected {rule}: {hits:#?}");
}

fn set(v: &mut Value, path: &str, new: Value) {
    let mut node = v;
    let parts: Vec<&str> = path.split('.').collect();
    for p in &parts[..parts.len() - 1] {
        node = node
            .get_mut(*p)
            .unwrap_or_else(|| panic!("no {p} in {path}"));
    }
    node[parts[parts.len() - 1]] = new;
}

fn get(v: &Value, path: &str) -> i64 {
    let mut node = v;
    for p in path.split('.') {
        node = &node[p];
    }
    node.as_i64().unwrap()
}

fn bump(v: &mut Value, path: &str, by: i64) {
    let n = get(v, path);
    set(v, path, json!(n + by));
}

#[test]
fn the_clean_example_has_no_errors_or_warnings() {
    let fs = check(&base());
    assert!(fs.iter().all(|f| f.severity == Severity::Info), "{fs:#?}");
}

#[track_caller]
fn no_error(fs: &[Finding], rule: &str) {
    let hits: Vec<_> = find(fs, rule)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert!(hits.is_empty(), "unexpected {rule} error: {hits:#?}");
}

#[test]
fn f01_findings_follow_the_section_order() {
    // Section keys sort as overview < problems < review_litigation; the findings must come
    // in the document's order 一, 四, 五 instead.
    let mut v = base();
    v["headings"] = json!({
        "problems": "五、存在问题及改进情况",
        "overview": "一、總體情況",
        "review_litigation": "四、政府信息公开行政法复议、行政诉讼情况",
    });
    let paths: Vec<String> = find(&check(&v), "F-01")
        .into_iter()
        .map(|f| f.path.clone())
        .collect();
    assert_eq!(
        paths,
        [
            "headings.overview",
            "headings.review_litigation",
            "headings.problems"
        ]
    );
}

#[test]
fn f01_headings() {
    lacks(&check(&base()), "F-01");
    // E14: 平潭 2022 typo. Recognisably section 四, worded differently: a warning that names
    // the template's wording.
    let mut v = base();
    v["headings"] = json!({"review_litigation": "四、政府信息公开行政法复议、行政诉讼情况"});
    let fs = check(&v);
    let f = has(&fs, "F-01", Severity::Warning);
    no_error(&fs, "F-01");
    assert_eq!(f.path, "headings.review_litigation");
    assert_eq!(
        f.expected.as_deref(),
        Some("四、政府信息公开行政复议、行政诉讼情况")
    );
    assert!(
        f.message
            .contains("“四、政府信息公开行政复议、行政诉讼情况”"),
        "{f:?}"
    );
    // The notice's long wording is accepted with a warning.
    v["headings"] = json!({"problems": "五、政府信息公开工作存在的主要问题及改进情况"});
    has(&check(&v), "F-01", Severity::Warning);
    // Converter artifacts (the seed): a warning, not an error.
    v["headings"] = json!({"overview": "一、總體情況"});
    has(&check(&v), "F-01", Severity::Warning);
    no_error(&check(&v), "F-01");
    // Another section's heading in this place: a duplicated or out-of-order section.
    v["headings"] = json!({"problems": "六、其他需要报告的事项"});
    has(&check(&v), "F-01", Severity::Error);
    // The right words under another section's number: out of order.
    v["headings"] = json!({"problems": "六、存在的主要问题及改进情况"});
    has(&check(&v), "F-01", Severity::Error);
    // Nothing recognisable and no number: the section is missing.
    v["headings"] = json!({"problems": "附件"});
    has(&check(&v), "F-01", Severity::Error);
    // The real reports' own wordings only warn.
    for (file, key) in [
        ("fixture_city_2025", "headings.problems"),
        ("shuyang_fgj_2023", "headings.problems"),
    ] {
        let fs = check(&load(&format!("tests/fixtures/reports/{file}.json")));
        let f = has(&fs, "F-01", Severity::Warning);
        assert_eq!(f.path, key);
        no_error(&fs, "F-01");
    }
}

#[test]
fn f02_format_and_year_and_mixed_parts() {
    lacks(&check(&base()), "F-02");
    // A 2019-format report for 2024: it prints as published, a warning.
    let mut v = load("examples/demo-2019.json");
    v["year"] = json!(2024);
    has(&check(&v), "F-02", Severity::Warning);
    no_error(&check(&v), "F-02");
    // Before 2019 no format applies.
    v["year"] = json!(2017);
    has(&check(&v), "F-02", Severity::Warning);
    // E10: the seed mixes 2019 columns in 第二十条第（一）项 into a 2021 report.
    let seed = check(&load("examples/potou-2023.json"));
    let f = has(&seed, "F-02", Severity::Warning);
    assert!(f.cell.contains("第二十条第（一）项"), "{f:?}");
    assert!(!nianbao::validate::has_errors(&seed), "{seed:#?}");
    // 洪泽 2023 prints table 三's （六）其他处理 as the 2019 single row.
    let hz = check(&load("tests/fixtures/reports/hongze_2023.json"));
    let f = has(&hz, "F-02", Severity::Warning);
    assert_eq!(f.path, "applications.other");
    assert!(f.cell.contains("（六）其他处理"), "{f:?}");
    assert_eq!(
        (f.expected.as_deref(), f.actual.as_deref()),
        (Some("2021"), Some("2019"))
    );
}

#[test]
fn a02_sums_a_mixed_single_other_row_and_a04_catches_published_typos() {
    let v = load("tests/fixtures/reports/hongze_2023.json");
    let fs = check(&v);
    for rule in ["A-01", "A-02", "A-03"] {
        lacks(&fs, rule);
    }
    // The published 总计 typos of table 四: 10 + 1 + 0 + 0 printed as 0, and 5 + 0 + 0 + 0 as 0.
    let a04: Vec<(&str, Option<&str>)> = find(&fs, "A-04")
        .iter()
        .map(|f| (f.path.as_str(), f.expected.as_deref()))
        .collect();
    assert_eq!(
        a04,
        [
            ("review_litigation.review.total", Some("11")),
            ("review_litigation.litigation_after_review.total", Some("5"))
        ]
    );
    // The single （六） row is one of （七）总计's addends.
    let mut v = v;
    set(&mut v, "applications.other.natural_person", json!(1));
    set(&mut v, "applications.other.total", json!(1));
    let fs = check(&v);
    let f = has(&fs, "A-02", Severity::Error);
    assert_eq!(f.path, "applications.total_processed.natural_person");
    assert_eq!(
        (f.expected.as_deref(), f.actual.as_deref()),
        (Some("22"), Some("21"))
    );
    lacks(&fs, "A-03");
}

#[test]
fn f03_missing_rows_and_cells() {
    let mut v = base();
    v["applications"]["denied"]
        .as_object_mut()
        .unwrap()
        .remove("state_secret");
    let f = has(&check(&v), "F-03", Severity::Error);
    assert_eq!(f.path, "applications.denied.state_secret");
    assert!(f.cell.contains("1.属于国家秘密"));
    let mut v = base();
    v["review_litigation"]["review"]
        .as_object_mut()
        .unwrap()
        .remove("pending");
    let f = has(&check(&v), "F-03", Severity::Error);
    assert_eq!(f.path, "review_litigation.review.pending");
    assert!(f.cell.contains("尚未审结"));
    lacks(&check(&base()), "F-03");
}

#[test]
fn f04_blank_cells() {
    lacks(&check(&base()), "F-04");
    let mut v = base();
    set(&mut v, "applications.granted.research", Value::Null);
    let f = has(&check(&v), "F-04", Severity::Warning);
    assert_eq!(f.path, "applications.granted.research");
    // E2: 上海 2019 left the 总计 column and whole columns blank.
    let fs = check(&load("tests/fixtures/reports/shanghai_2019.json"));
    assert!(find(&fs, "F-04").len() >= 10);
}

#[test]
fn f05_fee_precision() {
    lacks(&check(&base()), "F-05");
    // E13: 平潭 2023 fee with 6 decimals.
    let fs = check(&load("tests/fixtures/reports/pingtan_2023.json"));
    let f = has(&fs, "F-05", Severity::Warning);
    assert_eq!(f.path, "proactive.fees.amount");
}

#[test]
fn a01_balance_per_column() {
    lacks(&check(&base()), "A-01");
    let mut v = base();
    bump(&mut v, "applications.carried_forward.natural_person", 1);
    bump(&mut v, "applications.carried_forward.total", 1);
    let fs = check(&v);
    let f = has(&fs, "A-01", Severity::Error);
    assert!(f.cell.contains("自然人"), "{f:?}");
    lacks(&fs, "A-02");
    lacks(&fs, "A-03");
}

#[test]
fn a02_total_equals_its_sub_rows_even_when_a01_balances() {
    // E1: 平潭 2020, the sub-rows sum to 26/27 but （七）总计 says 20/21 and 一+二=三+四 still holds.
    let fs = check(&load("tests/fixtures/reports/pingtan_2020_e1.json"));
    lacks(&fs, "A-01");
    let hits = find(&fs, "A-02");
    assert!(hits
        .iter()
        .any(|f| f.path == "applications.total_processed.natural_person"
            && f.expected.as_deref() == Some("26")
            && f.actual.as_deref() == Some("20")));
    assert!(hits
        .iter()
        .any(|f| f.path == "applications.total_processed.total"
            && f.expected.as_deref() == Some("27")));
    lacks(&check(&base()), "A-02");
}

#[test]
fn a03_total_column() {
    let mut v = base();
    bump(&mut v, "applications.granted.total", 1);
    let f = has(&check(&v), "A-03", Severity::Error);
    assert_eq!(f.path, "applications.granted.total");
    assert_eq!(f.cell, "表三 “（一）予以公开” 行 “总计” 列");
    lacks(&check(&base()), "A-03");
}

#[test]
fn a04_table_four_totals() {
    let mut v = base();
    bump(&mut v, "review_litigation.litigation_after_review.total", 2);
    let f = has(&check(&v), "A-04", Severity::Error);
    assert_eq!(f.path, "review_litigation.litigation_after_review.total");
    lacks(&check(&base()), "A-04");
}

#[test]
fn a05_high_other_handling_share_and_a06_hint() {
    lacks(&check(&base()), "A-05");
    let fs = check(&load("tests/fixtures/reports/fixture_city_2025.json"));
    has(&fs, "A-05", Severity::Warning);
    has(&check(&base()), "A-06", Severity::Info);
    let mut v = base();
    for c in common::APPLICANT_COLUMNS {
        let n = get(&v, &format!("applications.partially_granted.{c}"));
        bump(&mut v, &format!("applications.granted.{c}"), n);
        set(
            &mut v,
            &format!("applications.partially_granted.{c}"),
            json!(0),
        );
    }
    lacks(&check(&v), "A-06");
    lacks(&check(&v), "A-03");
}

/// Last year's report for the clean example, consistent with it.
fn previous_of(v: &Value) -> Value {
    let mut p = v.clone();
    p["year"] = json!(2023);
    p["published"] = json!("2024-01-20");
    p["applications"]["carried_forward"] = v["applications"]["carried_over"].clone();
    // Keep table 三 consistent: move the difference into new_received.
    for c in common::APPLICANT_COLUMNS {
        let diff = get(&p, &format!("applications.carried_forward.{c}"))
            - get(v, &format!("applications.carried_forward.{c}"));
        bump(&mut p, &format!("applications.new_received.{c}"), diff);
    }
    let nd = &v["proactive"]["normative_documents"];
    let in_force = nd["in_force"].as_i64().unwrap() - nd["issued"].as_i64().unwrap()
        + nd["repealed"].as_i64().unwrap();
    p["proactive"]["normative_documents"]["in_force"] = json!(in_force);
    p["overview"] = json!(["上年度的总体情况完全是另外一段文字，讲述平台建设、信息管理和监督保障等方面的不同做法，与今年的内容没有重复。"]);
    p["problems"] = json!([
        "上年度存在的问题是网站栏目设置不够合理，解读材料形式单一，已经在本年度逐项整改完毕。"
    ]);
    p
}

#[test]
fn x01_carried_over_equals_last_years_carried_forward() {
    let v = base();
    let prev = previous_of(&v);
    assert!(
        !nianbao::validate::has_errors(&check(&prev)),
        "{:#?}",
        check(&prev)
    );
    let fs = check_with(&v, &prev);
    lacks(&fs, "X-01");
    let mut prev2 = prev.clone();
    bump(&mut prev2, "applications.carried_forward.commercial", 1);
    let f = has(&check_with(&v, &prev2), "X-01", Severity::Error);
    assert_eq!(f.path, "applications.carried_over.commercial");
    // A report that is not last year's is flagged, not compared.
    let mut old = prev.clone();
    old["year"] = json!(2021);
    has(&check_with(&v, &old), "X-01", Severity::Warning);
}

#[test]
fn x02_documents_in_force_carry_over() {
    let v = base();
    let prev = previous_of(&v);
    lacks(&check_with(&v, &prev), "X-02");
    // E6: 698 + 77 − 132 = 643 ≠ 470 (平潭 2022 → 2023).
    let mut this = v.clone();
    this["proactive"]["normative_documents"] =
        json!({"issued": 77, "repealed": 132, "in_force": 470});
    let mut last = prev.clone();
    last["proactive"]["normative_documents"]["in_force"] = json!(698);
    let f = has(&check_with(&this, &last), "X-02", Severity::Warning);
    assert_eq!(f.expected.as_deref(), Some("643"));
    assert_eq!(f.actual.as_deref(), Some("470"));
    // E7 (2019 format): 规章 对外公开总数量 0 → 7 while 本年新公开 0.
    let mut a = load("examples/demo-2019.json");
    let mut b = a.clone();
    b["year"] = json!(2018 + 1);
    a["year"] = json!(2020);
    a["published"] = json!("2021-03-20");
    b["proactive"]["regulations"]["total_published"] = json!(0);
    a["proactive"]["regulations"] = json!({"produced": 0, "published": 0, "total_published": 7});
    let fs = check_with(&a, &b);
    assert!(
        find(&fs, "X-02")
            .iter()
            .any(|f| f.path == "proactive.regulations.total_published"),
        "{fs:#?}"
    );
}

#[test]
fn x03_text_copied_from_last_year() {
    let v = base();
    let mut prev = previous_of(&v);
    lacks(&check_with(&v, &prev), "X-03");
    prev["problems"] = v["problems"].clone();
    let f = has(&check_with(&v, &prev), "X-03", Severity::Warning);
    assert_eq!(f.path, "problems");
}

#[test]
fn t01_numbers_in_prose_equal_the_tables() {
    lacks(&check(&base()), "T-01");
    // E3: 上海 2019.
    let fs = check(&load("tests/fixtures/reports/shanghai_2019.json"));
    let t01 = find(&fs, "T-01");
    assert!(
        t01.iter()
            .any(|f| f.actual.as_deref() == Some("258") && f.expected.as_deref() == Some("275")),
        "{t01:#?}"
    );
    assert!(
        t01.iter()
            .any(|f| f.actual.as_deref() == Some("265") && f.expected.as_deref() == Some("337")),
        "{t01:#?}"
    );
    // E4: 宿迁 2024.
    let fs = check(&load("tests/fixtures/reports/suqian_2024_e4.json"));
    let t01 = find(&fs, "T-01");
    assert!(t01
        .iter()
        .any(|f| f.actual.as_deref() == Some("134") && f.expected.as_deref() == Some("170")));
    assert!(t01
        .iter()
        .any(|f| f.actual.as_deref() == Some("57") && f.expected.as_deref() == Some("77")));
    // E5: 平潭 2023.
    let fs = check(&load("tests/fixtures/reports/pingtan_2023.json"));
    let f = has(&fs, "T-01", Severity::Warning);
    assert_eq!(
        (f.expected.as_deref(), f.actual.as_deref()),
        (Some("470"), Some("393"))
    );
    // E8: 平潭 2022 mixes 新收 and 结转 ("收到申请75件" = 74 + 1).
    let mut v = base();
    let n = get(&v, "applications.new_received.total") + get(&v, "applications.carried_over.total");
    v["overview"] = json!([format!("本年度共收到政府信息公开申请{n}件。")]);
    let f = has(&check(&v), "T-01", Severity::Warning);
    assert_eq!(f.actual, Some(n.to_string()));
}

#[test]
fn t02_fee_statement_in_section_six() {
    lacks(&check(&base()), "T-02");
    // E16: "无其他需要报告的事项" under the 2021 format.
    let mut v = base();
    v["other"] = json!(["无其他需要报告的事项。"]);
    has(&check(&v), "T-02", Severity::Warning);
    // Not required by the 2019 format.
    let mut v19 = load("examples/demo-2019.json");
    v19["other"] = json!(["无其他需要报告的事项。"]);
    lacks(&check(&v19), "T-02");
}

#[test]
fn t03_overview_length() {
    lacks(&check(&base()), "T-03");
    let mut v = base();
    v["overview"] = json!(["政务公开工作".repeat(200)]);
    let f = has(&check(&v), "T-03", Severity::Warning);
    assert_eq!(f.actual.as_deref(), Some("1200"));
}

#[test]
fn t04_empty_problems_section() {
    lacks(&check(&base()), "T-04");
    let mut v = base();
    v["problems"] = json!(["无。"]);
    has(&check(&v), "T-04", Severity::Warning);
    v["problems"] = json!([]);
    has(&check(&v), "T-04", Severity::Warning);
}

#[test]
fn t05_government_reports_state_assessment_results() {
    let mut v = base();
    v["level"] = json!("government");
    v["published"] = json!("2025-03-20");
    has(&check(&v), "T-05", Severity::Warning);
    v["problems"] = json!(["本年度开展政务公开工作考核，社会评议结果良好，未发生责任追究情况。今后将进一步加强培训，完善制度。"]);
    lacks(&check(&v), "T-05");
}

#[test]
fn t06_statistics_period() {
    lacks(&check(&base()), "T-06");
    // E11: 海南 2022 "2022年11日至1231日".
    let mut v = base();
    v["preamble"] = json!(["本报告中所列数据的统计期限自2024年11日至1231日止。"]);
    has(&check(&v), "T-06", Severity::Warning);
    v["preamble"] = json!([]);
    has(&check(&v), "T-06", Severity::Info);
}

#[test]
fn t07_cited_notice_matches_the_format() {
    lacks(&check(&base()), "T-07");
    let mut v = base();
    v["preamble"] = json!([
        "本报告依据国办公开办函〔2019〕60号编制。统计期限自2024年1月1日起至2024年12月31日止。"
    ]);
    let f = has(&check(&v), "T-07", Severity::Warning);
    assert_eq!(f.actual.as_deref(), Some("国办公开办函〔2019〕60号"));
}

#[test]
fn t08_converter_artifacts_in_prose() {
    lacks(&check(&base()), "T-08");
    let fs = check(&load("examples/potou-2023.json"));
    has(&fs, "T-08", Severity::Warning);
}

#[test]
fn p01_publication_deadline_by_level() {
    lacks(&check(&base()), "P-01");
    let mut v = base();
    v["published"] = json!("2025-02-15");
    let f = has(&check(&v), "P-01", Severity::Warning);
    no_error(&check(&v), "P-01");
    assert!(f.message.contains("2025年1月31日"), "{f:?}");
    // E17: 平潭 2020 published 2021-03-05: fine for a 本级政府 report, late for a department.
    v["level"] = json!("government");
    v["published"] = json!("2025-03-05");
    lacks(&check(&v), "P-01");
    v["published"] = json!("2025-04-01");
    has(&check(&v), "P-01", Severity::Warning);
    // Published before the year ended.
    v["published"] = json!("2024-12-30");
    has(&check(&v), "P-01", Severity::Warning);
}

/// A report and, for the cross-year rules, last year's.
type Case = (Value, Option<Value>);

fn with(mut v: Value, f: impl FnOnce(&mut Value)) -> Value {
    f(&mut v);
    v
}

fn fixture(name: &str) -> Value {
    load(&format!("tests/fixtures/reports/{name}.json"))
}

/// For every rule: a report on which it must fire and one on which it must not.
fn rule_cases() -> Vec<(&'static str, Case, Case)> {
    let b = base();
    let prev = previous_of(&b);
    let none = |v: Value| (v, None);
    vec![
        (
            "F-01",
            none(with(b.clone(), |v| {
                v["headings"] = json!({"problems": "附件"})
            })),
            none(b.clone()),
        ),
        (
            "F-02",
            none(with(load("examples/demo-2019.json"), |v| {
                v["year"] = json!(2024)
            })),
            none(load("examples/demo-2019.json")),
        ),
        (
            "F-03",
            none(with(b.clone(), |v| {
                v["applications"]["denied"]
                    .as_object_mut()
                    .unwrap()
                    .remove("state_secret");
            })),
            none(b.clone()),
        ),
        (
            "F-04",
            none(with(b.clone(), |v| {
                set(v, "applications.granted.research", Value::Null)
            })),
            none(b.clone()),
        ),
        (
            "F-05",
            none(with(b.clone(), |v| {
                v["proactive"]["fees"]["amount"] = serde_json::from_str("12.345678").unwrap()
            })),
            none(b.clone()),
        ),
        (
            "A-01",
            none(with(b.clone(), |v| {
                bump(v, "applications.carried_forward.natural_person", 1);
                bump(v, "applications.carried_forward.total", 1);
            })),
            none(b.clone()),
        ),
        ("A-02", none(fixture("pingtan_2020_e1")), none(b.clone())),
        (
            "A-03",
            none(with(b.clone(), |v| {
                bump(v, "applications.granted.total", 1)
            })),
            none(b.clone()),
        ),
        (
            "A-04",
            none(with(b.clone(), |v| {
                bump(v, "review_litigation.review.total", 1)
            })),
            none(b.clone()),
        ),
        ("A-05", none(fixture("fixture_city_2025")), none(b.clone())),
        (
            "A-06",
            none(b.clone()),
            none(with(b.clone(), |v| {
                for c in ["natural_person", "commercial", "research", "social_welfare"] {
                    let n = get(v, &format!("applications.partially_granted.{c}"));
                    bump(v, &format!("applications.granted.{c}"), n);
                    set(v, &format!("applications.partially_granted.{c}"), json!(0));
                }
                for c in ["legal_service", "other_org", "total"] {
                    let n = get(v, &format!("applications.partially_granted.{c}"));
                    bump(v, &format!("applications.granted.{c}"), n);
                    set(v, &format!("applications.partially_granted.{c}"), json!(0));
                }
            })),
        ),
        (
            "X-01",
            (
                b.clone(),
                Some(with(prev.clone(), |p| {
                    bump(p, "applications.carried_forward.commercial", 1)
                })),
            ),
            (b.clone(), Some(prev.clone())),
        ),
        (
            "X-02",
            (
                b.clone(),
                Some(with(prev.clone(), |p| {
                    bump(p, "proactive.normative_documents.in_force", 3)
                })),
            ),
            (b.clone(), Some(prev.clone())),
        ),
        (
            "X-03",
            (
                b.clone(),
                Some(with(prev.clone(), |p| {
                    p["problems"] = b["problems"].clone()
                })),
            ),
            (b.clone(), Some(prev.clone())),
        ),
        ("T-01", none(fixture("pingtan_2023")), none(b.clone())),
        (
            "T-02",
            none(with(b.clone(), |v| {
                v["other"] = json!(["无其他需要报告的事项。"])
            })),
            none(b.clone()),
        ),
        (
            "T-03",
            none(with(b.clone(), |v| {
                v["overview"] = json!(["政务公开工作".repeat(200)])
            })),
            none(b.clone()),
        ),
        (
            "T-04",
            none(with(b.clone(), |v| v["problems"] = json!(["无。"]))),
            none(b.clone()),
        ),
        (
            "T-05",
            none(with(b.clone(), |v| {
                v["level"] = json!("government");
                v["published"] = json!("2025-03-20");
            })),
            none(b.clone()),
        ),
        (
            "T-06",
            none(with(b.clone(), |v| {
                v["preamble"] = json!(["本报告中所列数据的统计期限自2024年11日至1231日止。"])
            })),
            none(b.clone()),
        ),
        (
            "T-07",
            none(with(b.clone(), |v| {
                v["preamble"] = json!(["本报告依据国办公开办函〔2019〕60号编制。统计期限自2024年1月1日起至2024年12月31日止。"])
            })),
            none(b.clone()),
        ),
        (
            "T-08",
            none(load("examples/potou-2023.json")),
            none(b.clone()),
        ),
        (
            "P-01",
            none(with(b.clone(), |v| v["published"] = json!("2025-02-15"))),
            none(b.clone()),
        ),
    ]
}

fn run(case: &Case) -> Vec<Finding> {
    match &case.1 {
        Some(prev) => check_with(&case.0, prev),
        None => check(&case.0),
    }
}

/// Runs every rule of the catalogue: it fires on its failing case, with a severity its
/// catalogue entry lists, and stays silent on its passing case. Break a rule (say, make A-02
/// compare nothing) and this fails.
#[test]
fn every_catalogued_rule_fires_on_its_failing_case_only() {
    let cases = rule_cases();
    let ids: Vec<&str> = cases.iter().map(|(id, _, _)| *id).collect();
    let catalogue: Vec<&str> = nianbao::validate::rule_ids().collect();
    assert_eq!(ids, catalogue, "one case per catalogued rule, in order");
    for (id, failing, passing) in &cases {
        let fs = run(failing);
        let hits = find(&fs, id);
        assert!(!hits.is_empty(), "{id} does not fire on its failing case");
        let listed = nianbao::validate::RULES
            .iter()
            .find(|(r, _, _)| r == id)
            .map(|(_, sev, _)| *sev)
            .unwrap();
        for f in hits {
            let name = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            };
            assert!(
                listed.split('/').any(|s| s == name),
                "{id} fired as {name}, catalogue says {listed}"
            );
        }
        lacks(&run(passing), id);
    }
}

/// The severity policy, rule by rule (README: errors for a document that is wrong or cannot be
/// typeset faithfully, warnings for deviations, info for hints).
#[test]
fn every_rule_has_its_default_level() {
    let levels: Vec<(&str, &str)> = nianbao::validate::RULES
        .iter()
        .map(|(id, sev, _)| (*id, *sev))
        .collect();
    assert_eq!(
        levels,
        [
            ("F-01", "error/warning"),
            ("F-02", "warning"),
            ("F-03", "error"),
            ("F-04", "warning"),
            ("F-05", "warning"),
            ("A-01", "error"),
            ("A-02", "error"),
            ("A-03", "error"),
            ("A-04", "error"),
            ("A-05", "warning"),
            ("A-06", "info"),
            ("X-01", "error"),
            ("X-02", "warning"),
            ("X-03", "warning"),
            ("T-01", "warning"),
            ("T-02", "warning"),
            ("T-03", "warning"),
            ("T-04", "warning"),
            ("T-05", "warning"),
            ("T-06", "warning/info"),
            ("T-07", "warning"),
            ("T-08", "warning"),
            ("P-01", "warning"),
        ]
    );
}

/// 平潭 2020 with consistent tables, published 2021-03-05 as a department: late (P-01).
fn late_pingtan_2020() -> Value {
    with(fixture("pingtan_2020_e1"), |v| {
        v["level"] = json!("department");
        for (row, n, t) in [
            ("applications.not_processed.duplicate", 0, 0),
            ("applications.unable.no_such_info", 7, 7),
        ] {
            set(v, &format!("{row}.natural_person"), json!(n));
            set(v, &format!("{row}.total"), json!(t));
        }
    })
}

#[test]
fn lint_levels_decide_what_blocks_the_filing_copy() {
    use nianbao::lint::{LintFlags, LintPolicy};
    use nianbao::validate::has_errors;
    let wording_or_timing = [
        ("fixture_city_2025", fixture("fixture_city_2025")),
        ("shuyang_fgj_2023", fixture("shuyang_fgj_2023")),
        ("late pingtan 2020", late_pingtan_2020()),
    ];
    let broken = fixture("pingtan_2020_e1");
    let default = LintPolicy::new();
    for (name, v) in &wording_or_timing {
        let fs = default.apply(check(v));
        assert!(!has_errors(&fs), "{name}: {fs:#?}");
        assert!(fs.iter().any(|f| f.severity == Severity::Warning), "{name}");
    }
    has(&check(&wording_or_timing[2].1), "P-01", Severity::Warning);
    assert!(has_errors(&default.apply(check(&broken))));
    // --strict blocks them all.
    let strict = LintPolicy::from_flags(
        &LintFlags {
            strict: true,
            ..Default::default()
        },
        None,
    )
    .unwrap();
    for (name, v) in wording_or_timing
        .iter()
        .chain([("e1", broken.clone())].iter())
    {
        assert!(has_errors(&strict.apply(check(v))), "{name}");
    }
    // --allow F-01 silences exactly F-01.
    let allow = LintPolicy::from_flags(
        &LintFlags {
            allow: vec!["F-01".into()],
            ..Default::default()
        },
        None,
    )
    .unwrap();
    for (name, v) in &wording_or_timing {
        let all = check(v);
        assert!(all.iter().any(|f| f.rule == "F-01") || *name == "late pingtan 2020");
        let expected: Vec<Finding> = all.iter().filter(|f| f.rule != "F-01").cloned().collect();
        assert_eq!(allow.apply(all), expected, "{name}");
    }
    // A configuration file gives the same result as the flags, and is found beside the input.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("nianbao.toml");
    std::fs::write(
        &config,
        "[lints]\n\"F-01\" = \"allow\"\nall-warnings = \"deny\"\n",
    )
    .unwrap();
    let from_file = LintPolicy::from_flags(&LintFlags::default(), Some(&config)).unwrap();
    let from_flags = LintPolicy::from_flags(
        &LintFlags {
            allow: vec!["F-01".into()],
            strict: true,
            ..Default::default()
        },
        None,
    )
    .unwrap();
    for (name, v) in &wording_or_timing {
        assert_eq!(
            from_file.apply(check(v)),
            from_flags.apply(check(v)),
            "{name}"
        );
    }
    assert_eq!(from_file.describe().levels, from_flags.describe().levels);
    let input = dir.path().join("r.json");
    assert_eq!(LintPolicy::config_beside(&[&input]), Some(config.clone()));
    // Unknown rule ids name the valid ones, from a flag or from the file.
    let e = LintPolicy::from_flags(
        &LintFlags {
            deny: vec!["F-99".into()],
            ..Default::default()
        },
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("F-99") && e.contains("P-01") && e.contains("all-warnings"),
        "{e}"
    );
    std::fs::write(&config, "[lints]\n\"Q-1\" = \"deny\"\n").unwrap();
    let e = LintPolicy::from_flags(&LintFlags::default(), Some(&config))
        .unwrap_err()
        .to_string();
    assert!(e.contains("Q-1") && e.contains("A-01"), "{e}");
    std::fs::write(&config, "[lints]\n\"F-01\" = \"forbid\"\n").unwrap();
    assert!(LintPolicy::from_flags(&LintFlags::default(), Some(&config)).is_err());
}

/// `new --previous`: the template's carry-over rows, so X-01 holds for the new report.
#[test]
fn carry_over_fills_carried_over_from_last_years_carried_forward() {
    let mut last_json = base();
    bump(
        &mut last_json,
        "applications.carried_forward.natural_person",
        3,
    );
    let last = report(&last_json);
    let mut new = Report::blank(last.template(), &last.agency, last.year + 1);
    assert_eq!(new.carry_over(&last), 7);
    for c in common::APPLICANT_COLUMNS {
        assert_eq!(
            new.applications.get("carried_over", c),
            last.applications.get("carried_forward", c),
            "{c}"
        );
    }
    lacks(&validate(&new, Some(&last)), "X-01");
    let blank = Report::blank(last.template(), &last.agency, last.year + 1);
    has(&validate(&blank, Some(&last)), "X-01", Severity::Error);
}

/// T-01 runs a pattern only on prose holding its required literal (the regex engine is the
/// slowest part of validation). The literal must be in every match: checked on the prose of
/// every example and fixture report, for every pattern of every template; and the analysis
/// gives up (`None`) where a pattern has no such literal.
#[test]
fn t01_required_literal_is_in_every_match() {
    use nianbao::validate::required_literal;
    assert_eq!(required_literal("ab?c").as_deref(), Some("a"));
    assert_eq!(
        required_literal("x[^，。]{0,4}?申请\\d+件").as_deref(),
        Some("申请")
    );
    assert_eq!(required_literal("上年(?:度)?结转").as_deref(), Some("上年"));
    assert_eq!(
        required_literal("(?:^|[^及和])部分公开").as_deref(),
        Some("部分公开")
    );
    assert_eq!(required_literal("\\\\a*b").as_deref(), Some("b"));
    for none in [
        "a|b",
        "(?i)abc",
        "(?x)a b",
        "[[:alpha:]]x",
        "(\\d+)",
        "a{2",
        "a*",
    ] {
        assert_eq!(required_literal(none), None, "{none}");
    }
    let mut texts = Vec::new();
    for dir in ["examples", "tests/fixtures/reports"] {
        for e in std::fs::read_dir(root().join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_none_or(|x| x != "json") {
                continue;
            }
            let Ok(r) = Report::from_json(&std::fs::read_to_string(&p).unwrap()) else {
                continue;
            };
            for blocks in [&r.preamble, &r.overview, &r.problems, &r.other] {
                let text: Vec<String> = blocks
                    .iter()
                    .filter_map(|b| match b {
                        nianbao::report::Block::Paragraph(p)
                        | nianbao::report::Block::Heading(p) => Some(nianbao::text::normalize(p)),
                        _ => None,
                    })
                    .collect();
                texts.push(text.join("\n"));
            }
        }
    }
    let mut matches = 0;
    for t in nianbao::template::all() {
        for check in &t.text_checks {
            let literal = required_literal(&check.pattern)
                .unwrap_or_else(|| panic!("{}: no literal", check.pattern));
            let re = regex_lite::Regex::new(&check.pattern).unwrap();
            for text in &texts {
                for m in re.find_iter(text) {
                    matches += 1;
                    assert!(
                        m.as_str().contains(&literal),
                        "{} in {:?}",
                        check.pattern,
                        m
                    );
                }
            }
        }
    }
    assert!(
        matches > 20,
        "only {matches} matches: the check saw too little prose"
    );
}
