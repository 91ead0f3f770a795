//! What a rule found: [`Finding`] and its [`Severity`]. Plain data, shared by validation (which
//! makes findings), the lint levels (which adjust them), the layout model (which carries them to
//! the writers) and the CLI (which prints them). This module depends on no other module.
//!
//! ## Severity policy
//!
//! - An **error** means the document is wrong or cannot be typeset faithfully: broken arithmetic,
//!   missing or extra cells, a section missing, duplicated or out of order, a table in no known
//!   shape, unreadable values. Errors block `export` unless `--allow-invalid` is given.
//! - A **warning** means the report deviates from the notices or from practice but can be
//!   typeset as published: heading wording, deadlines, text vs table, fee statement, blank
//!   cells, a format mix, repetition.
//! - **Info** is a hint that no machine can decide.
//!
//! Lint levels ([`crate::lint`]) let an office or a reviewer move a rule between these levels.

use serde::{Deserialize, Serialize};

/// How serious a finding is (see the module's severity policy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// A hint that no machine can decide.
    Info,
    /// A deviation from the notices or from practice; the report can be typeset as published.
    Warning,
    /// The document is wrong or cannot be typeset faithfully: blocks export unless
    /// `--allow-invalid`.
    Error,
}

impl Severity {
    /// The English name used in JSON and spreadsheets: `error`, `warning`, `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

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
    /// A finding without expected and actual values.
    pub fn new(
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

    /// Adds the expected and the actual value.
    pub fn values(mut self, expected: impl ToString, actual: impl ToString) -> Self {
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

/// The rule catalogue: id, default severity, what it checks (for `--help`, the README and the
/// lint levels). The severities follow the policy above: errors for a document
/// that is wrong or cannot be typeset faithfully, warnings for deviations from the notices or
/// from practice, info for hints.
pub const RULES: &[(&str, &str, &str)] = &[
    (
        "F-01",
        "error/warning",
        "章节标题：缺少、重复或顺序错误为错误；认得出是本部分而措辞与模板不同（含通知中的长标题、网页转换痕迹）为警告",
    ),
    (
        "F-02",
        "warning",
        "格式与报告年度相符；表格的一部分按另一种格式填报（两种格式混用）",
    ),
    ("F-03", "error", "三张统计表的行、列齐全"),
    ("F-04", "warning", "空白单元格（统一格式不留空白，应填 0）"),
    (
        "F-05",
        "warning",
        "件数为非负整数、金额为非负小数（读入时检查，不符为输入错误）；金额超过 4 位小数为警告",
    ),
    ("A-01", "error", "表三每列：一 + 二 = 三（办理结果总计）+ 四"),
    ("A-02", "error", "表三每列：办理结果总计 = 各分项之和"),
    ("A-03", "error", "表三每行：总计列 = 各类申请人之和"),
    ("A-04", "error", "表四：复议、诉讼各自的总计 = 各种结果之和"),
    ("A-05", "warning", "表三其他处理占办理结果总计的比例偏高"),
    ("A-06", "info", "部分公开（区分处理的）只计这一情形（提示，无法机器核对）"),
    (
        "X-01",
        "error",
        "本年上年结转 = 上年报告的结转下年度（需 --previous）；给出的不是上一年度报告为警告",
    ),
    (
        "X-02",
        "warning",
        "表二现行有效、对外公开总数和项目数与上年衔接（需 --previous）",
    ),
    (
        "X-03",
        "warning",
        "总体情况、存在问题与上年报告雷同（需 --previous）",
    ),
    ("T-01", "warning", "正文中引用的数字与表格一致"),
    ("T-02", "warning", "第六部分报告信息处理费收取情况（2021 格式）"),
    ("T-03", "warning", "总体情况篇幅不超过一千字（2021 格式）"),
    ("T-04", "warning", "存在的主要问题及改进情况不得为空或过短"),
    ("T-05", "warning", "人民政府报告说明工作考核、社会评议和责任追究结果"),
    (
        "T-06",
        "warning/info",
        "统计期限为报告年度 1月1日至12月31日（未说明统计期限为提示）",
    ),
    ("T-07", "warning", "引用的格式文号与所用格式一致"),
    ("T-08", "warning", "正文含繁体字或拼音注音（网页转换痕迹）"),
    (
        "P-01",
        "warning",
        "发布时间：部门、乡镇 1月31日前；本级政府、垂直系统 3月31日前（条例第四十九条）",
    ),
];

/// The ids of every rule in the catalogue.
pub fn rule_ids() -> impl Iterator<Item = &'static str> {
    RULES.iter().map(|(id, _, _)| *id)
}

/// The import log's findings: what a reader of web pages, crawler text, PDFs and Office files
/// could not read exactly (`crate::import::LogKind`). They are not validation rules (a report
/// JSON never has them) but have ids and levels like them, so `--allow I-04` drops the notes.
pub const IMPORT_RULES: &[(&str, &str, &str)] = &[
    ("I-01", "warning", "读入：单元格无法读取，已留空（null）"),
    (
        "I-02",
        "warning",
        "读入：单元格有多种读法（如相邻数字粘连），已留空并列出候选",
    ),
    (
        "I-03",
        "warning",
        "读入：表头或行标签与模板的任何标签都不匹配",
    ),
    (
        "I-04",
        "info",
        "读入说明：修订、批注、改写为数字的合计、文字形式的数字等",
    ),
];

/// The ids of every rule that findings can carry: the catalogue, then the import rules.
///
/// ```
/// let ids: Vec<&str> = nianbao::finding::all_rule_ids().collect();
/// assert!(ids.contains(&"A-01") && ids.contains(&"I-03"));
/// ```
pub fn all_rule_ids() -> impl Iterator<Item = &'static str> {
    rule_ids().chain(IMPORT_RULES.iter().map(|(id, _, _)| *id))
}
