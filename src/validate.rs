//! Validation: every rule a single report (plus optionally last year's) can decide, each finding
//! with a stable rule id, severity, JSON path, the cell named in Chinese, expected and actual
//! values and a Chinese message. Arithmetic rules come from the templates, so validation and the
//! spreadsheet formulas share one source. This module never writes output.

use crate::layout::{expand_rules, sum_definitions, CellKey, SumDefinitions};
use crate::report::{Block, Level, Number, Report, TableData};
use crate::template::{Axis, SectionKind, TableDef, Template};
use regex_lite::Regex;
use rust_decimal::Decimal;
use serde::Serialize;

pub use crate::template::Severity;

/// One broken (or noteworthy) rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable rule id, e.g. `A-02`.
    pub rule: String,
    /// Severity.
    pub severity: Severity,
    /// JSON path of the place, e.g. `applications.total_processed.natural_person`.
    pub path: String,
    /// The place in Chinese, e.g. `表三 “（七）总计” 行 “自然人” 列`.
    pub cell: String,
    /// Expected value, where the rule computes one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// Actual value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    /// Message in Chinese.
    pub message: String,
}

impl Finding {
    fn new(
        rule: &str,
        severity: Severity,
        path: impl Into<String>,
        cell: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            rule: rule.into(),
            severity,
            path: path.into(),
            cell: cell.into(),
            expected: None,
            actual: None,
            message: message.into(),
        }
    }

    fn values(mut self, expected: impl ToString, actual: impl ToString) -> Self {
        self.expected = Some(expected.to_string());
        self.actual = Some(actual.to_string());
        self
    }
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sev = match self.severity {
            Severity::Error => "错误 error",
            Severity::Warning => "警告 warning",
            Severity::Info => "提示 info",
        };
        write!(f, "{sev} [{}] {}", self.rule, self.message)?;
        if !self.cell.is_empty() {
            write!(f, "（{}）", self.cell)?;
        }
        if let (Some(e), Some(a)) = (&self.expected, &self.actual) {
            write!(f, " 应为 {e}，实为 {a}")?;
        }
        if !self.path.is_empty() {
            write!(f, " @ {}", self.path)?;
        }
        Ok(())
    }
}

/// Whether any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// The rule catalogue: id, default severity, what it checks (for `--help`, README and docs).
pub const RULES: &[(&str, &str, &str)] = &[
    (
        "F-01",
        "error/warning",
        "章节标题与模板一致（通知中的长标题为警告，其他不同为错误）",
    ),
    (
        "F-02",
        "error/warning",
        "格式与报告年度相符；表二各项不得混用两种格式的列（混用为警告）",
    ),
    ("F-03", "error", "三张表的行、列齐全"),
    ("F-04", "warning", "空白单元格（应填 0）"),
    (
        "F-05",
        "warning",
        "件数为非负整数、金额为非负小数（读入时检查）；金额超过 4 位小数",
    ),
    (
        "A-01",
        "error",
        "表三每列：第一项加第二项之和，等于第三项加第四项之和",
    ),
    (
        "A-02",
        "error",
        "表三每列：（七）总计 = （一）至（六）各项之和",
    ),
    (
        "A-03",
        "error",
        "表三每行：总计 = 自然人 + 五类法人或其他组织",
    ),
    (
        "A-04",
        "error",
        "表四：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
    ),
    ("A-05", "warning", "（六）其他处理占（七）总计的比例偏高"),
    ("A-06", "info", "部分公开（区分处理的）只计这一情形"),
    (
        "X-01",
        "error",
        "本年上年结转 = 上年报告结转下年度继续办理（需 --previous）",
    ),
    (
        "X-02",
        "warning",
        "表二现行有效件数/对外公开总数量/项目数量与上年衔接（需 --previous）",
    ),
    (
        "X-03",
        "warning",
        "总体情况、存在问题与上年报告雷同（需 --previous）",
    ),
    ("T-01", "warning", "正文中引用的数字与表格一致"),
    (
        "T-02",
        "warning",
        "第六部分报告信息处理费收取情况（2021 格式）",
    ),
    ("T-03", "warning", "总体情况篇幅不超过一千字（2021 格式）"),
    ("T-04", "warning", "存在的主要问题及改进情况不得为空或过短"),
    (
        "T-05",
        "warning",
        "人民政府报告说明工作考核、社会评议和责任追究结果",
    ),
    ("T-06", "warning", "统计期限为报告年度 1月1日至12月31日"),
    ("T-07", "warning", "引用的格式文号与所用格式一致"),
    ("T-08", "warning", "正文含繁体字或拼音注音（网页转换痕迹）"),
    (
        "P-01",
        "error",
        "发布时间：部门、乡镇 1月31日前；本级政府、垂直系统 3月31日前",
    ),
];

/// Validates a report, optionally against last year's report.
pub fn validate(report: &Report, previous: Option<&Report>) -> Vec<Finding> {
    let t = report.template();
    let mut out = Vec::new();
    headings(report, t, &mut out);
    format_year(report, t, &mut out);
    for def in &t.tables {
        let data = report.table_or_empty(&def.key);
        completeness(report, def, data, &mut out);
        arithmetic(report, def, data, &mut out);
    }
    other_handling_share(report, t, &mut out);
    if let Some(prev) = previous {
        cross_year(report, prev, &mut out);
    }
    // Normalise the prose once; every text rule reads it.
    let prose = all_prose(report);
    text_vs_table(report, t, &prose, &mut out);
    conversion_artifacts(report, &mut out);
    prose_rules(report, t, &prose, previous, &mut out);
    timeliness(report, &mut out);
    out
}

fn headings(report: &Report, t: &Template, out: &mut Vec<Finding>) {
    use crate::text::normalize;
    for (key, h) in &report.headings {
        let Some(s) = t.section(key) else { continue };
        let plain = |x: &str| x.split_whitespace().collect::<String>();
        if plain(h) == plain(&s.heading) {
            continue;
        }
        let path = format!("headings.{key}");
        let (sev, message) = if normalize(h) == normalize(&s.heading) {
            (
                Severity::Warning,
                format!(
                    "章节标题含繁体字或拼音注音等网页转换痕迹，规范写法为 “{}”",
                    s.heading
                ),
            )
        } else if s.variants.iter().any(|v| normalize(v) == normalize(h)) {
            (
                Severity::Warning,
                format!(
                    "章节标题用了格式通知正文中的长标题，模板用语为 “{}”",
                    s.heading
                ),
            )
        } else {
            (
                Severity::Error,
                format!("章节标题与模板不一致，应为 “{}”", s.heading),
            )
        };
        out.push(Finding::new("F-01", sev, path, "章节标题", message).values(&s.heading, h));
    }
}

fn format_year(report: &Report, t: &Template, out: &mut Vec<Finding>) {
    match Template::for_year(report.year) {
        None => out.push(Finding::new(
            "F-02",
            Severity::Error,
            "year",
            "报告年度",
            format!(
                "{}年的报告不适用任何统一格式（统一格式自2019年度起施行）",
                report.year
            ),
        )),
        Some(expected) if expected.format != t.format => {
            // An older format for a newer year is an error; a newer format for an older year
            // (2021 tables for a 2020 report) is only unusual.
            let sev = if t.years.to.is_some_and(|to| report.year > to) {
                Severity::Error
            } else {
                Severity::Warning
            };
            out.push(
                Finding::new(
                    "F-02",
                    sev,
                    "format",
                    "报告格式",
                    format!(
                        "{}年度报告应使用{}（{}），而不是{}",
                        report.year, expected.name, expected.notice, t.name
                    ),
                )
                .values(&expected.format, &t.format),
            );
        }
        _ => {}
    }
    if let Some(def) = t.table("proactive") {
        for (group, fmt) in &report.proactive.group_formats {
            let caption = def
                .groups
                .iter()
                .find(|g| &g.id == group)
                .map(|g| g.caption.clone())
                .unwrap_or_else(|| group.clone());
            out.push(
                Finding::new(
                    "F-02",
                    Severity::Warning,
                    "proactive",
                    format!("表二 {caption}"),
                    format!(
                        "表二 {caption} 使用了 {fmt} 格式的列，其余按 {} 格式：两种格式混用，应统一为 {} 格式",
                        t.format, t.format
                    ),
                )
                .values(&t.format, fmt),
            );
        }
    }
}

fn table_def_for<'a>(report: &'a Report, def: &'a TableDef, row: &str) -> &'a TableDef {
    // Table 二 groups may come from another format's template.
    if let Some(g) = def.group_of(row) {
        if let Some(t) = report.group_template(&g.id).table(&def.key) {
            return t;
        }
    }
    def
}

fn completeness(report: &Report, def: &TableDef, data: &TableData, out: &mut Vec<Finding>) {
    let rows: Vec<(String, &TableDef)> = match def.layout {
        crate::template::TableLayout::Groups => def
            .groups
            .iter()
            .flat_map(|g| {
                let d = report.group_template(&g.id).table(&def.key).unwrap_or(def);
                let gd = d.groups.iter().find(|x| x.id == g.id).unwrap_or(g);
                gd.rows
                    .iter()
                    .filter_map(|r| r.key.clone())
                    .map(move |k| (k, d))
                    .collect::<Vec<_>>()
            })
            .collect(),
        _ => def.leaf_rows().into_iter().map(|l| (l.key, def)).collect(),
    };
    for (row, d) in rows {
        let path = format!("{}.{}", def.key, row);
        match data.cells.get(&row) {
            None => out.push(Finding::new(
                "F-03",
                Severity::Error,
                path,
                format!("{} “{}” 行", d.name, d.row_label(&row)),
                "缺少此行；统一格式要求每一行都填报（没有发生的填 0）",
            )),
            Some(cells) => {
                let mut blank = Vec::new();
                for c in d.columns_of(&row) {
                    let p = format!("{path}.{}", c.key);
                    match cells.get(&c.key) {
                        None => out.push(Finding::new(
                            "F-03",
                            Severity::Error,
                            p,
                            d.cell_name(&row, &c.key),
                            "缺少此单元格；没有发生的填 0",
                        )),
                        Some(None) => blank.push(c),
                        Some(Some(Number::Decimal(x))) if x.scale() > 4 => out.push(
                            Finding::new(
                                "F-05",
                                Severity::Warning,
                                p,
                                d.cell_name(&row, &c.key),
                                format!(
                                    "金额有 {} 位小数，精度超出常规（万元一般保留 2–4 位）",
                                    x.scale()
                                ),
                            )
                            .values("≤ 4 位小数", x),
                        ),
                        _ => {}
                    }
                }
                // One finding per row, naming every blank column.
                if let Some(first) = blank.first() {
                    let labels: Vec<&str> = blank.iter().map(|c| c.label.as_str()).collect();
                    let (p, cell) = if blank.len() == 1 {
                        (
                            format!("{path}.{}", first.key),
                            d.cell_name(&row, &first.key),
                        )
                    } else {
                        (
                            path.clone(),
                            format!(
                                "{} “{}” 行 “{}” 列",
                                d.name,
                                d.row_label(&row),
                                labels.join("”“")
                            ),
                        )
                    };
                    out.push(
                        Finding::new(
                            "F-04",
                            Severity::Warning,
                            p,
                            cell,
                            format!(
                                "{} 个单元格空白；统一格式不允许空白，没有发生的应填 0",
                                blank.len()
                            ),
                        )
                        .values("0", "空白"),
                    );
                }
            }
        }
    }
}

fn sum(data: &TableData, keys: &[CellKey]) -> Decimal {
    keys.iter()
        .filter_map(|k| data.value(&k.row, &k.column))
        .map(Number::to_decimal)
        .sum()
}

fn arithmetic(report: &Report, def: &TableDef, data: &TableData, out: &mut Vec<Finding>) {
    for (rule, scope, left, right) in expand_rules(def, report) {
        // Rules only run where the cells exist (missing cells are F-03's business).
        // Blank cells are unknown values (F-04 reports them): the rule cannot be decided.
        let present = |ks: &[CellKey]| ks.iter().all(|k| data.value(&k.row, &k.column).is_some());
        if !present(&left) || !present(&right) {
            continue;
        }
        let (l, r) = (sum(data, &left), sum(data, &right));
        if l == r {
            continue;
        }
        let anchor = &left[0];
        let cell = if rule.defines || left.len() == 1 {
            def.cell_name(&anchor.row, &anchor.column)
        } else {
            match rule.axis {
                Axis::Column => format!("{} “{}” 列", def.name, scope),
                Axis::Row => format!("{} “{}” 行", def.name, scope),
            }
        };
        let names = |ks: &[CellKey]| -> String {
            ks.iter()
                .map(|k| match rule.axis {
                    Axis::Column => def.row_label(&k.row),
                    Axis::Row => def.column_label(&k.row, &k.column),
                })
                .collect::<Vec<_>>()
                .join(" + ")
        };
        let message = if rule.defines {
            format!(
                "{}：{} 应等于 {} 之和 {}，实为 {}",
                rule.description,
                names(&left),
                if right.len() > 6 {
                    "各分项".to_string()
                } else {
                    names(&right)
                },
                r,
                l
            )
        } else {
            format!(
                "{}：{} = {}，而 {} = {}",
                rule.description,
                names(&left),
                l,
                names(&right),
                r
            )
        };
        out.push(Finding::new(&rule.id, rule.severity, anchor.path(), cell, message).values(r, l));
    }
}

fn other_handling_share(report: &Report, t: &Template, out: &mut Vec<Finding>) {
    let Some(def) = t.table("applications") else {
        return;
    };
    let total = report
        .applications
        .value("total_processed", "total")
        .map(Number::to_decimal)
        .unwrap_or_default();
    let other_rows = def.expand_rows(&["other".to_string()]);
    let other: Decimal = other_rows
        .iter()
        .filter_map(|r| report.applications.value(r, "total"))
        .map(Number::to_decimal)
        .sum();
    if total > Decimal::ZERO {
        let share = other / total;
        let limit =
            Decimal::try_from(t.checks.other_handling_share_warning).unwrap_or(Decimal::ONE);
        if share > limit {
            out.push(
                Finding::new(
                    "A-05",
                    Severity::Warning,
                    "applications.other",
                    format!("{} “（六）其他处理” 行 “总计” 列", def.name),
                    format!(
                        "其他处理 {other} 件，占（七）总计 {total} 件的 {}%，比例偏高；请核实是否应归入其他情形",
                        (share * Decimal::from(100)).round_dp(1)
                    ),
                )
                .values(format!("≤ {}%", limit * Decimal::from(100)), other),
            );
        }
    }
    if report
        .applications
        .value("partially_granted", "total")
        .is_some_and(|v| v.to_decimal() > Decimal::ZERO)
    {
        out.push(Finding::new(
            "A-06",
            Severity::Info,
            "applications.partially_granted",
            format!("{} “（二）部分公开” 行", def.name),
            "区分处理的申请只计入“部分公开”，不再计入其他情形；请确认没有重复统计",
        ));
    }
}

/// (row, column) pairs.
type Cells = Vec<(String, String)>;
/// One cross-year equation: scope label, this year's cells, last year's, added, subtracted.
type CrossYearInstance = (String, Cells, Cells, Cells, Cells);

fn cross_year(report: &Report, prev: &Report, out: &mut Vec<Finding>) {
    if prev.year + 1 != report.year {
        out.push(
            Finding::new(
                "X-01",
                Severity::Warning,
                "year",
                "上年报告",
                format!(
                    "--previous 给出的是 {} 年度报告，不是上一年度（{}）的",
                    prev.year,
                    report.year - 1
                ),
            )
            .values(report.year - 1, prev.year),
        );
        return;
    }
    if prev.agency != report.agency {
        out.push(
            Finding::new(
                "X-01",
                Severity::Info,
                "agency",
                "上年报告",
                "上年报告的机关名称不同；若机构调整，结转数可能不衔接",
            )
            .values(&report.agency, &prev.agency),
        );
    }
    let t = report.template();
    for def in &t.tables {
        for rule in def.rules.iter().filter(|r| r.cross_year) {
            let this = report.table_or_empty(&def.key);
            let last = prev.table_or_empty(&def.key);
            let instances: Vec<CrossYearInstance> = match rule.axis {
                Axis::Column => def
                    .columns
                    .iter()
                    .map(|c| {
                        let k = |rows: &[String]| -> Vec<(String, String)> {
                            def.expand_rows(rows)
                                .into_iter()
                                .map(|r| (r, c.key.clone()))
                                .collect()
                        };
                        (
                            c.label.clone(),
                            k(&rule.left),
                            k(&rule.previous),
                            k(&rule.plus),
                            k(&rule.minus),
                        )
                    })
                    .collect(),
                Axis::Row => def
                    .expand_rows(&rule.rows)
                    .into_iter()
                    .map(|r| {
                        let k = |cols: &[String]| -> Vec<(String, String)> {
                            cols.iter().map(|c| (r.clone(), c.clone())).collect()
                        };
                        (
                            def.row_label(&r),
                            k(&rule.left),
                            k(&rule.previous),
                            k(&rule.plus),
                            k(&rule.minus),
                        )
                    })
                    .collect(),
            };
            for (scope, left, previous, plus, minus) in instances {
                let get = |d: &TableData, ks: &[(String, String)]| -> Option<Decimal> {
                    ks.iter()
                        .map(|(r, c)| d.value(r, c).map(Number::to_decimal))
                        .sum::<Option<Decimal>>()
                };
                let (Some(l), Some(p), Some(a), Some(m)) = (
                    get(this, &left),
                    get(last, &previous),
                    get(this, &plus),
                    get(this, &minus),
                ) else {
                    continue; // columns of another format, or blank: nothing to compare
                };
                let expected = p + a - m;
                if l != expected {
                    let (r, c) = &left[0];
                    let d = table_def_for(report, def, r);
                    out.push(
                        Finding::new(
                            &rule.id,
                            rule.severity,
                            format!("{}.{r}.{c}", def.key),
                            d.cell_name(r, c),
                            format!(
                                "{}（{}）：上年数据推算应为 {expected}，实为 {l}",
                                rule.description, scope
                            ),
                        )
                        .values(expected, l),
                    );
                }
            }
        }
    }
}

/// The text of a prose section, paragraphs and headings joined (tables excluded).
fn prose_text(blocks: &[Block]) -> String {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) | Block::Heading(p) => Some(p.as_str()),
            Block::Table(_) => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every prose section's text, normalised (simplified characters, no pinyin annotations) so
/// that converted reports are checked like any other.
/// Normalised prose by section key.
type Prose = Vec<(&'static str, String)>;

fn all_prose(report: &Report) -> Prose {
    ["preamble", "overview", "problems", "other"]
        .into_iter()
        .map(|k| (k, norm_prose(report.prose(k).unwrap_or(&[]))))
        .collect()
}

fn norm_prose(blocks: &[Block]) -> String {
    prose_text(blocks)
        .lines()
        .map(crate::text::normalize)
        .collect::<Vec<_>>()
        .join("\n")
}

fn conversion_artifacts(report: &Report, out: &mut Vec<Finding>) {
    for key in ["preamble", "overview", "problems", "other"] {
        let text = prose_text(report.prose(key).unwrap_or(&[]));
        let pinyin = crate::text::strip_pinyin(&text) != text;
        let traditional = crate::text::to_simplified(&text) != text;
        if pinyin || traditional {
            let what = match (traditional, pinyin) {
                (true, true) => "繁体字和拼音注音",
                (true, false) => "繁体字",
                _ => "拼音注音",
            };
            out.push(Finding::new(
                "T-08",
                Severity::Warning,
                key,
                report
                    .template()
                    .section(key)
                    .map(|s| s.heading.clone())
                    .unwrap_or_else(|| "开头".into()),
                format!("正文含{what}（网页简繁转换的痕迹，如“區(qū)”）；发布前应改回规范简体字"),
            ));
        }
    }
}

/// The text-check patterns of every bundled template, compiled once.
fn compiled(pattern: &str) -> Option<&'static Regex> {
    use std::collections::BTreeMap;
    use std::sync::OnceLock;
    static CACHE: OnceLock<BTreeMap<String, Regex>> = OnceLock::new();
    CACHE
        .get_or_init(|| {
            crate::template::all()
                .iter()
                .flat_map(|t| &t.text_checks)
                .filter_map(|c| Regex::new(&c.pattern).ok().map(|r| (c.pattern.clone(), r)))
                .collect()
        })
        .get(pattern)
}

fn text_vs_table(report: &Report, t: &Template, prose: &Prose, out: &mut Vec<Finding>) {
    // Each table's sum cells, computed once for all the checks.
    let sums: std::collections::BTreeMap<&str, SumDefinitions> = t
        .tables
        .iter()
        .map(|d| (d.key.as_str(), sum_definitions(&expand_rules(d, report))))
        .collect();
    for check in &t.text_checks {
        let Some(re) = compiled(&check.pattern) else {
            continue;
        };
        let Some(def) = t.table(&check.table) else {
            continue;
        };
        let data = report.table_or_empty(&check.table);
        let Some(sums) = sums.get(check.table.as_str()) else {
            continue;
        };
        let rows = def.expand_rows(&check.rows);
        let mut cells = Vec::new();
        for r in &rows {
            for c in &check.columns {
                cells.push((r.clone(), c.clone()));
            }
        }
        // Skip when the table lacks these cells (another format's columns). A blank sum cell
        // (e.g. 总计 left empty, as 上海 2019 did) counts as the sum of its addends.
        if cells.iter().any(|(r, c)| data.get(r, c).is_none()) {
            continue;
        }
        let table_value: Decimal = cells
            .iter()
            .map(|(r, c)| {
                let key = CellKey {
                    table: def.key.clone(),
                    row: r.clone(),
                    column: c.clone(),
                };
                effective_value(data, sums, &key)
            })
            .sum();
        for (section, text) in prose {
            for cap in re.captures_iter(text) {
                let Some(m) = cap.get(1) else { continue };
                let Ok(n) = m.as_str().parse::<Decimal>() else {
                    continue;
                };
                if n != table_value {
                    let quote = cap.get(0).map(|x| x.as_str()).unwrap_or_default();
                    let (r, c) = &cells[0];
                    let place = if cells.len() == 1 {
                        def.cell_name(r, c)
                    } else {
                        format!("{} {}", def.name, check.what)
                    };
                    out.push(
                        Finding::new(
                            "T-01",
                            Severity::Warning,
                            *section,
                            place,
                            format!(
                                "正文 “{quote}” 与表格不一致：{}在表中为 {table_value}",
                                check.what
                            ),
                        )
                        .values(table_value, n),
                    );
                }
            }
        }
    }
}

/// A cell's value for comparisons with prose: the reported number, or for a blank cell that a
/// template rule defines as a sum, the sum of its addends; otherwise 0.
fn effective_value(data: &TableData, sums: &SumDefinitions, key: &CellKey) -> Decimal {
    if let Some(v) = data.value(&key.row, &key.column) {
        return v.to_decimal();
    }
    match sums.get(key) {
        Some(addends) => addends.iter().map(|k| effective_value(data, sums, k)).sum(),
        None => Decimal::ZERO,
    }
}

fn hanzi_count(s: &str) -> usize {
    s.chars()
        .filter(|c| matches!(*c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2FFFF))
        .count()
}

/// Character-bigram similarity (Dice coefficient) of two texts, 0–1.
pub fn similarity(a: &str, b: &str) -> f64 {
    use std::collections::BTreeMap;
    let grams = |s: &str| -> BTreeMap<(char, char), usize> {
        let cs: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
        let mut m = BTreeMap::new();
        for w in cs.windows(2) {
            *m.entry((w[0], w[1])).or_insert(0) += 1;
        }
        m
    };
    let (ga, gb) = (grams(a), grams(b));
    let (na, nb): (usize, usize) = (ga.values().sum(), gb.values().sum());
    if na + nb == 0 {
        return 0.0;
    }
    let common: usize = ga
        .iter()
        .map(|(k, v)| (*v).min(*gb.get(k).unwrap_or(&0)))
        .sum();
    2.0 * common as f64 / (na + nb) as f64
}

fn prose_rules(
    report: &Report,
    t: &Template,
    prose: &Prose,
    previous: Option<&Report>,
    out: &mut Vec<Finding>,
) {
    let section = |k: &str| -> String {
        prose
            .iter()
            .find(|(s, _)| *s == k)
            .map(|(_, t)| t.clone())
            .unwrap_or_default()
    };
    let c = &t.checks;
    let other = section("other");
    if c.fee_statement_required
        && !c
            .fee_statement_keywords
            .iter()
            .any(|k| other.contains(k.as_str()))
    {
        out.push(Finding::new(
            "T-02",
            Severity::Warning,
            "other",
            "六、其他需要报告的事项",
            format!(
                "{}要求在第六部分报告收取信息处理费的情况（未收取的写明“未收取信息处理费”）",
                t.notice
            ),
        ));
    }
    if let Some(fee_row) = t
        .table("applications")
        .map(|d| d.expand_rows(&["other.overdue_fee".to_string()]))
        .filter(|r| !r.is_empty())
    {
        let overdue: Decimal = fee_row
            .iter()
            .filter_map(|r| report.applications.value(r, "total"))
            .map(Number::to_decimal)
            .sum();
        if overdue > Decimal::ZERO
            && !c
                .fee_statement_keywords
                .iter()
                .any(|k| other.contains(k.as_str()))
        {
            out.push(
                Finding::new(
                    "T-02",
                    Severity::Warning,
                    "other",
                    "六、其他需要报告的事项",
                    "表三有“逾期未按收费通知要求缴纳费用”的申请，说明发出过收费通知，第六部分应报告信息处理费情况",
                )
                .values("信息处理费说明", "无"),
            );
        }
    }
    let overview = section("overview");
    if c.overview_length_limit && hanzi_count(&overview) > c.overview_max_hanzi {
        out.push(
            Finding::new(
                "T-03",
                Severity::Warning,
                "overview",
                "一、总体情况",
                format!("总体情况篇幅原则上不超过{}字", c.overview_max_hanzi),
            )
            .values(
                format!("≤ {}", c.overview_max_hanzi),
                hanzi_count(&overview),
            ),
        );
    }
    let problems = section("problems");
    let trimmed: String = problems
        .chars()
        .filter(|c| !c.is_whitespace() && !"。.，,".contains(*c))
        .collect();
    let placeholder = t
        .section("problems")
        .and_then(|s| s.placeholder.clone())
        .unwrap_or_default();
    if trimmed.is_empty()
        || trimmed == "无"
        || problems.trim() == placeholder
        || trimmed.chars().count() < c.problems_min_chars
    {
        out.push(
            Finding::new(
                "T-04",
                Severity::Warning,
                "problems",
                "五、存在的主要问题及改进情况",
                "存在的主要问题及改进情况为空或过于简略；应实事求是、明确具体",
            )
            .values(
                format!("≥ {} 字", c.problems_min_chars),
                trimmed.chars().count(),
            ),
        );
    }
    if report.level == Some(Level::Government) {
        let text = format!("{overview}\n{problems}");
        let missing: Vec<&str> = c
            .assessment_keywords
            .iter()
            .map(|k| k.as_str())
            .filter(|k| !text.contains(k))
            .collect();
        if !missing.is_empty() {
            out.push(
                Finding::new(
                    "T-05",
                    Severity::Warning,
                    "overview",
                    "一、总体情况",
                    format!(
                        "人民政府的年度报告应说明工作考核、社会评议和责任追究结果情况（条例第五十条第四项），未见：{}",
                        missing.join("、")
                    ),
                )
                .values(c.assessment_keywords.join("、"), missing.join("、")),
            );
        }
    }
    statistics_period(report, t, prose, out);
    citation(t, prose, out);
    if let Some(prev) = previous {
        for key in ["overview", "problems"] {
            let (a, b) = (
                prose_text(report.prose(key).unwrap_or(&[])),
                prose_text(prev.prose(key).unwrap_or(&[])),
            );
            if hanzi_count(&a) < 20 {
                continue;
            }
            let s = similarity(&a, &b);
            if s > c.similarity_warning {
                out.push(
                    Finding::new(
                        "X-03",
                        Severity::Warning,
                        key,
                        t.section(key)
                            .map(|s| s.heading.clone())
                            .unwrap_or_default(),
                        format!("与上年报告的相似度为 {:.0}%，不得年年雷同", s * 100.0),
                    )
                    .values(
                        format!("≤ {:.0}%", c.similarity_warning * 100.0),
                        format!("{:.0}%", s * 100.0),
                    ),
                );
            }
        }
    }
}

fn statistics_period(report: &Report, t: &Template, prose: &Prose, out: &mut Vec<Finding>) {
    let y = report.year;
    let texts = prose;
    let mut found = false;
    for (section, text) in texts {
        for sentence in text.split(['。', '\n', '；']) {
            if !t
                .checks
                .statistics_period_keywords
                .iter()
                .any(|k| sentence.contains(k.as_str()))
            {
                continue;
            }
            found = true;
            let compact: String = sentence.chars().filter(|c| !c.is_whitespace()).collect();
            let start_ok = compact.contains(&format!("{y}年1月1日"));
            let end_ok = compact.contains("12月31日");
            if !(start_ok && end_ok) {
                out.push(
                    Finding::new(
                        "T-06",
                        Severity::Warning,
                        *section,
                        "统计期限",
                        format!("统计期限应为{y}年1月1日至12月31日"),
                    )
                    .values(format!("{y}年1月1日至12月31日"), sentence.trim()),
                );
            }
        }
    }
    if !found {
        out.push(Finding::new(
            "T-06",
            Severity::Info,
            "preamble",
            "统计期限",
            format!(
                "正文未说明统计期限；惯例是在开头写明“统计期限自{y}年1月1日起至{y}年12月31日止”"
            ),
        ));
    }
}

fn citation(t: &Template, prose: &Prose, out: &mut Vec<Finding>) {
    for (section, text) in prose {
        for other in crate::template::all()
            .iter()
            .filter(|o| o.format != t.format)
        {
            if text.contains(other.notice.as_str()) {
                out.push(
                    Finding::new(
                        "T-07",
                        Severity::Warning,
                        *section,
                        "引用的格式文号",
                        format!(
                            "正文引用了 {}，但报告使用的是 {}（{}）",
                            other.notice, t.name, t.notice
                        ),
                    )
                    .values(&t.notice, &other.notice),
                );
            }
        }
    }
}

fn timeliness(report: &Report, out: &mut Vec<Finding>) {
    let (Some(level), Some(date)) = (report.level, report.published) else {
        if report.published.is_some() || report.level.is_some() {
            out.push(Finding::new(
                "P-01",
                Severity::Info,
                if report.level.is_none() {
                    "level"
                } else {
                    "published"
                },
                "发布时间",
                "需要同时给出 level 和 published 才能检查发布时限",
            ));
        }
        return;
    };
    let (month, day) = match level {
        Level::Department | Level::Township => (1, 31),
        Level::Government | Level::Vertical => (3, 31),
    };
    let deadline = crate::report::Date {
        year: report.year + 1,
        month,
        day,
    };
    if date > deadline {
        out.push(
            Finding::new(
                "P-01",
                Severity::Error,
                "published",
                "发布时间",
                format!(
                    "{}的年度报告应在{}前公布，实际{}公布",
                    level.label(),
                    deadline.chinese(),
                    date.chinese()
                ),
            )
            .values(format!("≤ {deadline}"), date),
        );
    } else if date.year <= report.year {
        out.push(
            Finding::new(
                "P-01",
                Severity::Error,
                "published",
                "发布时间",
                format!("{}年度报告不能在{}年结束前发布", report.year, report.year),
            )
            .values(format!("> {}-12-31", report.year), date),
        );
    }
}

/// Sections of a template in order with their kinds (for writers and the schema).
pub fn sections(t: &Template) -> Vec<(&str, SectionKind)> {
    t.sections
        .iter()
        .map(|s| (s.key.as_str(), s.kind))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_pattern_compiles_and_captures_a_number() {
        for t in crate::template::all() {
            for c in &t.text_checks {
                let re = compiled(&c.pattern)
                    .unwrap_or_else(|| panic!("{} {}: bad pattern", t.format, c.what));
                assert!(re.captures_len() >= 2, "{}: no capture group", c.what);
            }
        }
    }

    #[test]
    fn similarity_is_a_dice_coefficient() {
        assert!((similarity("政务公开工作", "政务公开工作") - 1.0).abs() < 1e-9);
        assert_eq!(similarity("甲乙丙", "丁戊己"), 0.0);
    }
}
