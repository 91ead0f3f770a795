//! The statutory formats as data: each `templates/<format>.json` describes the six sections and the
//! three tables (rows, columns, merged header cells, keys, Chinese labels, arithmetic rules), the
//! words the prose rules look for and the rows they read, the level names, the default title and
//! the statistics-period sentence. This module reads, checks and indexes templates and expands
//! their rules into cell equations ([`TableDef::equations`]); it knows no label of its own.
//!
//! The bundled templates are embedded at build time. [`Template::from_json`] and [`register`] load
//! another one at run time, so a new national format needs a file and no code.

use crate::equation::{sum_definitions, CellKey, CrossYearEquation, Equation, SumDefinitions};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock, RwLock};

pub use crate::equation::Axis;
pub use crate::finding::Severity;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/templates.rs"));
}

/// A template that cannot be used: where, and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// The text is not a template (bad JSON, a missing or unknown field, a wrong type).
    #[error("模板无法读取 (template is not readable): {path}: {source}")]
    Json {
        /// JSON path of the problem inside the template.
        path: String,
        /// The parser's error.
        #[source]
        source: serde_json::Error,
    },
    /// The template reads but contradicts itself (an unknown row in a rule, a bad span, …).
    #[error("模板 {format} 有误 (template is inconsistent): {place}: {message}")]
    Invalid {
        /// The template's format id.
        format: String,
        /// Where, as a path inside the template.
        place: String,
        /// What is wrong.
        message: String,
    },
    /// A template for this format id is already loaded.
    #[error("格式 “{0}” 的模板已经存在 (a template with this format id is already loaded)")]
    Duplicate(String),
    /// The template file cannot be read.
    #[error("无法读取模板文件 {path} (cannot read the template file): {source}")]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// One national format (e.g. `2021`, 国办公开办函〔2021〕30号).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// The format's id, used as the report's `format` value.
    pub format: String,
    /// Official name of the format.
    pub name: String,
    /// 文号 of the notice that issued it.
    pub notice: String,
    /// Full title of that notice.
    pub notice_title: String,
    /// Report years the format applies to.
    pub years: YearRange,
    /// The default title, with `{agency}` and `{year}` placeholders.
    pub title_pattern: String,
    /// The names of the kinds of agency, used in messages.
    pub levels: LevelNames,
    /// The sentence that records which reports an aggregate report sums, with `{count}` and
    /// `{reports}` placeholders.
    pub aggregate_preamble: String,
    /// The six sections, in order.
    pub sections: Vec<SectionDef>,
    /// Tables 二, 三 and 四.
    pub tables: Vec<TableDef>,
    /// Rows that `nianbao new --previous` fills from last year's report.
    pub carry_over: Vec<CarryOver>,
    /// Patterns for numbers quoted in prose (rule T-01).
    pub text_checks: Vec<TextCheck>,
    /// Rows, sections, thresholds and keywords of the other rules.
    pub checks: Checks,
}

/// Report years a format applies to (inclusive).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearRange {
    /// First report year.
    pub from: i32,
    /// Last report year, if the format has been replaced.
    pub to: Option<i32>,
}

/// The kind of agency, which decides the publication deadline (rule P-01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// A department of a government at county level or above: publishes by 31 January.
    Department,
    /// A government's aggregate report: published by 31 March.
    Government,
    /// A township government: as departments, by 31 January.
    Township,
    /// A vertically managed system: its system report by 31 March.
    Vertical,
}

/// The template's names for the kinds of agency.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelNames {
    /// [`Level::Department`].
    pub department: String,
    /// [`Level::Government`].
    pub government: String,
    /// [`Level::Township`].
    pub township: String,
    /// [`Level::Vertical`].
    pub vertical: String,
}

impl LevelNames {
    /// The name of a level.
    pub fn name(&self, level: Level) -> &str {
        match level {
            Level::Department => &self.department,
            Level::Government => &self.government,
            Level::Township => &self.township,
            Level::Vertical => &self.vertical,
        }
    }
}

/// Whether a section holds prose blocks or a statutory table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// A list of paragraphs, sub-headings and free-form tables.
    Prose,
    /// One of the statutory tables (the table has the section's key).
    Table,
}

/// One of the six sections.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionDef {
    /// The report JSON key (`overview`, `proactive`, ...).
    pub key: String,
    /// The heading in the template's wording, e.g. `一、总体情况`.
    pub heading: String,
    /// Longer wordings the notice itself uses, accepted with a warning.
    pub variants: Vec<String>,
    /// Prose or table.
    pub kind: SectionKind,
    /// The template's placeholder text for prose sections.
    #[serde(default)]
    pub placeholder: Option<String>,
}

/// How a table's grid is built from its rows and columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableLayout {
    /// Table 二: stacked groups (第二十条第（X）项), each with a caption row, a header row and data rows.
    Groups,
    /// Table 三: a header block, then one grid row per leaf row, label columns from the row tree.
    Matrix,
    /// Table 四: a header block, then one grid row holding every row's cells side by side.
    RecordRow,
}

/// Kind of value a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueType {
    /// Non-negative integer (件).
    Count,
    /// Integer that may be negative (本年增/减).
    Signed,
    /// Non-negative exact decimal (万元, 元).
    Amount,
}

/// A column of a table (or of a group of table 二).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnDef {
    /// Stable key, e.g. `natural_person`.
    pub key: String,
    /// Official label, e.g. `自然人`.
    pub label: String,
    /// Value kind.
    #[serde(rename = "type")]
    pub value_type: ValueType,
    /// Unit printed in the header, if any.
    #[serde(default)]
    pub unit: Option<String>,
    /// Spanning header above this column (e.g. `法人或其他组织`).
    #[serde(default)]
    pub group: Option<String>,
}

/// A row, or a labelled group of rows.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowDef {
    /// Key segment; absent for a pure label group (`三、本年度办理结果`).
    #[serde(default)]
    pub key: Option<String>,
    /// Official label.
    pub label: String,
    /// Sub-rows.
    #[serde(default)]
    pub children: Vec<RowDef>,
}

/// A group of table 二 (one 第二十条第（X）项).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupDef {
    /// Stable id shared by all formats, e.g. `article20_1`.
    pub id: String,
    /// Caption, e.g. `第二十条第（一）项`.
    pub caption: String,
    /// Data columns.
    pub columns: Vec<ColumnDef>,
    /// Data rows.
    pub rows: Vec<RowDef>,
}

/// One header cell of a `matrix` or `record_row` table, placed on the header grid.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderCell {
    /// Text.
    pub text: String,
    /// Header row (0-based).
    pub row: usize,
    /// Grid column (0-based).
    pub col: usize,
    /// Rows spanned.
    #[serde(default = "one")]
    pub rowspan: usize,
    /// Columns spanned.
    #[serde(default = "one")]
    pub colspan: usize,
}

fn one() -> usize {
    1
}

/// An arithmetic rule (勾稽关系) between cells of one table, or across two years.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    /// Stable rule id, e.g. `A-01`.
    pub id: String,
    /// Severity of a violation.
    pub severity: Severity,
    /// Direction.
    pub axis: Axis,
    /// `true` when `left` is one cell that is by definition the sum of `right`
    /// (the XLSX shows the recomputed sum beside it).
    #[serde(default)]
    pub defines: bool,
    /// `true` for a rule between this year's and last year's report.
    #[serde(default)]
    pub cross_year: bool,
    /// Rows (axis=row) the rule applies to; empty means every row of the table.
    #[serde(default)]
    pub rows: Vec<String>,
    /// Left-hand side keys (rows for axis=column, columns for axis=row).
    pub left: Vec<String>,
    /// Right-hand side keys (this year).
    #[serde(default)]
    pub right: Vec<String>,
    /// Cross-year: keys taken from last year's report.
    #[serde(default)]
    pub previous: Vec<String>,
    /// Cross-year: this year's keys added to the previous values.
    #[serde(default)]
    pub plus: Vec<String>,
    /// Cross-year: this year's keys subtracted.
    #[serde(default)]
    pub minus: Vec<String>,
    /// The rule in words (Chinese).
    pub description: String,
}

/// One statutory table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableDef {
    /// The report JSON key (`proactive`, `applications`, `review_litigation`).
    pub key: String,
    /// Short name, e.g. `表三`.
    pub name: String,
    /// Title of the table (the section heading without its number).
    pub title: String,
    /// How the grid is built.
    pub layout: TableLayout,
    /// Groups (layout `groups`).
    #[serde(default)]
    pub groups: Vec<GroupDef>,
    /// Header text of the label column of each group (layout `groups`).
    #[serde(default)]
    pub row_header: Option<String>,
    /// Row tree (layouts `matrix` and `record_row`).
    #[serde(default)]
    pub rows: Vec<RowDef>,
    /// Columns (layouts `matrix` and `record_row`).
    #[serde(default)]
    pub columns: Vec<ColumnDef>,
    /// Label columns to the left of the data (layout `matrix`).
    #[serde(default)]
    pub label_columns: usize,
    /// Header rows above the data (layouts `matrix` and `record_row`).
    #[serde(default)]
    pub header_rows: usize,
    /// Header cells (layouts `matrix` and `record_row`).
    #[serde(default)]
    pub header: Vec<HeaderCell>,
    /// Relative grid column widths, if the default is not good enough.
    #[serde(default)]
    pub column_widths: Vec<f32>,
    /// Arithmetic rules.
    #[serde(default)]
    pub rules: Vec<RuleDef>,
    /// The flattened leaf rows, computed once.
    #[serde(skip)]
    leaves_cache: OnceLock<Vec<LeafRow>>,
    /// The same-year equations and the sums they define, computed once.
    #[serde(skip)]
    equations_cache: OnceLock<(Vec<Equation>, SumDefinitions)>,
}

/// A number quoted in prose that must equal a sum of table cells (rule T-01).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextCheck {
    /// What the number is, in Chinese.
    pub what: String,
    /// Regular expression; capture group 1 is the number.
    pub pattern: String,
    /// Table key.
    pub table: String,
    /// Row keys (group keys stand for all their leaves).
    pub rows: Vec<String>,
    /// Column keys.
    pub columns: Vec<String>,
}

/// Some rows of a table, summed in one column.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowsRef {
    /// Table key.
    pub table: String,
    /// Row keys (group keys stand for all their leaves).
    pub rows: Vec<String>,
    /// Column key.
    pub column: String,
}

/// A row that triggers a rule when its share of a total is too high (A-05).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareCheck {
    /// Table key.
    pub table: String,
    /// The rows whose share is checked.
    pub rows: Vec<String>,
    /// The rows holding the total.
    pub total_rows: Vec<String>,
    /// Column key.
    pub column: String,
    /// Share above which the rule warns (0–1).
    pub share_warning: f64,
}

/// Section 六's fee statement (T-02).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeStatement {
    /// The section that must carry it.
    pub section: String,
    /// Words that count as a fee statement.
    pub keywords: Vec<String>,
    /// Whether the format requires the statement in every report.
    pub required: bool,
    /// Rows whose applications imply that fee notices were sent (then the statement is needed).
    #[serde(default)]
    pub notice_rows: Option<RowsRef>,
}

/// A prose length limit (T-03).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LengthLimit {
    /// Section key.
    pub section: String,
    /// Maximum number of 汉字.
    pub max_hanzi: usize,
}

/// A prose minimum (T-04).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinLength {
    /// Section key.
    pub section: String,
    /// Shorter than this many characters is flagged.
    pub min_chars: usize,
}

/// What a government's report must state (T-05).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    /// The sections searched.
    pub sections: Vec<String>,
    /// Every keyword must appear.
    pub keywords: Vec<String>,
    /// The provision that requires it.
    pub basis: String,
}

/// The statistics-period sentence (T-06).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatisticsPeriod {
    /// Words that introduce the statistics period.
    pub keywords: Vec<String>,
    /// The first day, with a `{year}` placeholder.
    pub start: String,
    /// The last day.
    pub end: String,
    /// The customary sentence, with `{year}` placeholders.
    pub sentence: String,
}

/// Text repeated from last year's report (X-03).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Repetition {
    /// The sections compared.
    pub sections: Vec<String>,
    /// Similarity above which the rule warns (0–1).
    pub similarity_warning: f64,
}

/// Rows, sections, thresholds and keywords for the rules that are not table arithmetic.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checks {
    /// A-05: 其他处理 share of （七）总计.
    pub other_handling: ShareCheck,
    /// A-06: the row counted once only (a hint when it is non-zero).
    pub counted_once: RowsRef,
    /// T-02.
    pub fee_statement: FeeStatement,
    /// T-03, where the format limits the length.
    #[serde(default)]
    pub overview_length: Option<LengthLimit>,
    /// T-04.
    pub problems: MinLength,
    /// T-05.
    pub assessment: Assessment,
    /// T-06.
    pub statistics_period: StatisticsPeriod,
    /// X-03.
    pub repetition: Repetition,
}

/// A row copied from last year's report by `new --previous` (上年结转 ← 结转下年度继续办理).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CarryOver {
    /// Table key.
    pub table: String,
    /// Row key in last year's report.
    pub from: String,
    /// Row key in this year's report.
    pub to: String,
}

/// A flattened leaf row of a table: its full dotted key and labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeafRow {
    /// Dotted key, e.g. `denied.state_secret`.
    pub key: String,
    /// Label of the leaf itself.
    pub label: String,
    /// Labels of the keyed ancestors and the leaf, for naming the row in messages.
    pub full_label: String,
}

impl Template {
    /// The template for a format id (`"2021"`, `"2019"`, or a [`register`]ed one).
    pub fn get(format: &str) -> Option<&'static Template> {
        bundled_format(format).or_else(|| registered().iter().copied().find(|t| t.format == format))
    }

    /// Reads and checks a template from JSON text (the format of `templates/*.json`).
    ///
    /// ```
    /// let text = std::fs::read_to_string("templates/2021.json").unwrap();
    /// let t = nianbao::template::Template::from_json(&text).unwrap();
    /// assert_eq!(t.table("applications").unwrap().leaves().len(), 25);
    /// ```
    ///
    /// # Errors
    /// [`TemplateError::Json`] when the text is not a template, [`TemplateError::Invalid`] when
    /// it contradicts itself (a rule naming an unknown row, a span outside the grid, …).
    pub fn from_json(text: &str) -> Result<Template, TemplateError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let t: Template =
            serde_path_to_error::deserialize(de).map_err(|e| TemplateError::Json {
                path: e.path().to_string(),
                source: e.into_inner(),
            })?;
        t.check()?;
        Ok(t)
    }

    /// Reads and checks a template file.
    ///
    /// # Errors
    /// [`TemplateError::Io`] when the file cannot be read, else as [`Template::from_json`].
    pub fn from_file(path: &std::path::Path) -> Result<Template, TemplateError> {
        let text = std::fs::read_to_string(path).map_err(|source| TemplateError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Template::from_json(&text)
    }

    /// The table with a given key.
    pub fn table(&self, key: &str) -> Option<&TableDef> {
        self.tables.iter().find(|t| t.key == key)
    }

    /// The section with a given key.
    pub fn section(&self, key: &str) -> Option<&SectionDef> {
        self.sections.iter().find(|s| s.key == key)
    }

    /// The heading of a section in the template's wording (empty for an unknown key).
    pub fn heading(&self, key: &str) -> &str {
        self.section(key).map(|s| s.heading.as_str()).unwrap_or("")
    }

    /// The keys of the prose sections, in order.
    pub fn prose_sections(&self) -> impl Iterator<Item = &str> {
        self.sections
            .iter()
            .filter(|s| s.kind == SectionKind::Prose)
            .map(|s| s.key.as_str())
    }

    /// The default title of an agency's report for a year.
    pub fn title(&self, agency: &str, year: i32) -> String {
        self.title_pattern
            .replace("{agency}", agency)
            .replace("{year}", &year.to_string())
    }

    /// The customary statistics-period sentence for a year.
    pub fn statistics_period(&self, year: i32) -> String {
        self.checks
            .statistics_period
            .sentence
            .replace("{year}", &year.to_string())
    }

    /// The format that applies to a report year: of the templates whose years include it, the
    /// one that started last. Only that template is parsed (the bundled ones' years are read
    /// from their trees).
    pub fn for_year(year: i32) -> Option<&'static Template> {
        enum Which {
            Bundled(usize),
            Registered(&'static Template),
        }
        let applies = |y: &YearRange| year >= y.from && y.to.is_none_or(|to| year <= to);
        (0..embedded::TREES.len())
            .map(|i| (bundled_years(i), Which::Bundled(i)))
            .chain(
                registered()
                    .into_iter()
                    .map(|t| (t.years.clone(), Which::Registered(t))),
            )
            .filter(|(y, _)| applies(y))
            .max_by_key(|(y, _)| y.from)
            .map(|(_, which)| match which {
                Which::Bundled(i) => bundled_at(i),
                Which::Registered(t) => t,
            })
    }

    /// Checks that the template is consistent: every key a rule, check or carry-over names
    /// exists, spans fit the grid, sums are not defined in a circle.
    fn check(&self) -> Result<(), TemplateError> {
        let bad = |place: String, message: String| TemplateError::Invalid {
            format: self.format.clone(),
            place,
            message,
        };
        if self.format.trim().is_empty() {
            return Err(bad(
                "format".into(),
                "格式编号为空 (empty format id)".into(),
            ));
        }
        if self.sections.is_empty() {
            return Err(bad("sections".into(), "没有章节 (no sections)".into()));
        }
        let mut seen = BTreeSet::new();
        for (i, s) in self.sections.iter().enumerate() {
            if !seen.insert(s.key.as_str()) {
                return Err(bad(
                    format!("sections[{i}]"),
                    format!("章节键 “{}” 重复 (duplicate section key)", s.key),
                ));
            }
            if s.kind == SectionKind::Table && self.table(&s.key).is_none() {
                return Err(bad(
                    format!("sections[{i}]"),
                    format!("章节 “{}” 是表格，但没有这张表 (no such table)", s.key),
                ));
            }
        }
        let mut seen = BTreeSet::new();
        for (i, t) in self.tables.iter().enumerate() {
            let place = format!("tables[{i}]");
            if !seen.insert(t.key.as_str()) {
                return Err(bad(
                    place,
                    format!("表键 “{}” 重复 (duplicate table key)", t.key),
                ));
            }
            if self
                .section(&t.key)
                .is_none_or(|s| s.kind != SectionKind::Table)
            {
                return Err(bad(
                    place,
                    format!("表 “{}” 没有对应的表格章节 (no table section)", t.key),
                ));
            }
            t.check().map_err(|(p, m)| bad(format!("{place}.{p}"), m))?;
        }
        let rows_ref = |place: String, table: &str, rows: &[String], columns: &[&str]| {
            let Some(def) = self.table(table) else {
                return Err(bad(place, format!("没有表 “{table}” (no such table)")));
            };
            def.check_rows(rows, columns)
                .map_err(|m| bad(place.clone(), m))
        };
        for (i, c) in self.text_checks.iter().enumerate() {
            let place = format!("text_checks[{i}]");
            let columns: Vec<&str> = c.columns.iter().map(|s| s.as_str()).collect();
            rows_ref(place.clone(), &c.table, &c.rows, &columns)?;
            match regex_lite::Regex::new(&c.pattern) {
                Ok(re) if re.captures_len() >= 2 => {}
                Ok(_) => return Err(bad(place, "正则表达式没有捕获组 (no capture group)".into())),
                Err(e) => return Err(bad(place, format!("正则表达式无效 (bad pattern): {e}"))),
            }
        }
        let c = &self.checks;
        let o = &c.other_handling;
        rows_ref(
            "checks.other_handling".into(),
            &o.table,
            &o.rows,
            &[&o.column],
        )?;
        rows_ref(
            "checks.other_handling".into(),
            &o.table,
            &o.total_rows,
            &[&o.column],
        )?;
        let once = &c.counted_once;
        rows_ref(
            "checks.counted_once".into(),
            &once.table,
            &once.rows,
            &[&once.column],
        )?;
        if let Some(n) = &c.fee_statement.notice_rows {
            rows_ref(
                "checks.fee_statement.notice_rows".into(),
                &n.table,
                &n.rows,
                &[&n.column],
            )?;
        }
        let prose = |place: &str, key: &str| {
            if self
                .section(key)
                .is_some_and(|s| s.kind == SectionKind::Prose)
            {
                Ok(())
            } else {
                Err(bad(
                    place.into(),
                    format!("没有文字章节 “{key}” (no such prose section)"),
                ))
            }
        };
        prose("checks.fee_statement.section", &c.fee_statement.section)?;
        if let Some(l) = &c.overview_length {
            prose("checks.overview_length.section", &l.section)?;
        }
        prose("checks.problems.section", &c.problems.section)?;
        for s in &c.assessment.sections {
            prose("checks.assessment.sections", s)?;
        }
        for s in &c.repetition.sections {
            prose("checks.repetition.sections", s)?;
        }
        for (i, co) in self.carry_over.iter().enumerate() {
            rows_ref(
                format!("carry_over[{i}]"),
                &co.table,
                &[co.from.clone(), co.to.clone()],
                &[],
            )?;
        }
        Ok(())
    }
}

/// The bundled templates, each parsed on first use (a run reads one format; parsing both
/// costs about 0.4 M instructions each), in file-name order, which is format-id order because
/// each file is named after its format id (checked by `bundled_templates_pass_the_checks`).
static BUNDLED: [OnceLock<Template>; embedded::TREES.len()] =
    [const { OnceLock::new() }; embedded::TREES.len()];

/// The bundled template at index `i` of [`embedded::TREES`], deserialized once from the tree
/// build.rs wrote (no JSON parsed at run time).
fn bundled_at(i: usize) -> &'static Template {
    BUNDLED[i].get_or_init(|| {
        // A broken bundled template is a build defect, caught by the test suite
        // (`bundled_templates_pass_the_checks`), so the checks are not run at start-up.
        Template::deserialize(NodeDe(&embedded::TREES[i]))
            .unwrap_or_else(|e| panic!("bundled template {} is invalid: {e}", embedded::STEMS[i]))
    })
}

/// A field of the bundled template at index `i`, from its tree.
fn bundled_field(i: usize, name: &str) -> Option<&'static Node> {
    match &embedded::TREES[i] {
        Node::O(fields) => fields.iter().find(|(k, _)| *k == name).map(|(_, n)| n),
        _ => None,
    }
}

/// A field of the bundled template at index `i`, read from its tree alone when the template
/// is not parsed yet.
fn bundled_part<T: serde::de::DeserializeOwned>(i: usize, name: &str) -> T {
    bundled_field(i, name)
        .and_then(|n| T::deserialize(NodeDe(n)).ok())
        .unwrap_or_else(|| panic!("bundled template {} lacks {name}", embedded::STEMS[i]))
}

fn bundled_years(i: usize) -> YearRange {
    match BUNDLED[i].get() {
        Some(t) => t.years.clone(),
        None => bundled_part(i, "years"),
    }
}

/// The statutory table `key` of the bundled template at index `i`: the parsed template's when
/// it is parsed, else the table alone, deserialized once from the tree (a report that prints
/// a part in another format's shape needs that format's table, not the whole template).
fn bundled_table(i: usize, key: &str) -> Option<&'static TableDef> {
    if let Some(t) = BUNDLED[i].get() {
        return t.table(key);
    }
    type Tables = Vec<(usize, &'static TableDef)>;
    static TABLES: std::sync::Mutex<Tables> = std::sync::Mutex::new(Vec::new());
    let mut tables = TABLES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, t)) = tables.iter().find(|(j, t)| *j == i && t.key == key) {
        return Some(t);
    }
    let Some(Node::A(items)) = bundled_field(i, "tables") else {
        return None;
    };
    let node = items.iter().find(|n| match n {
        Node::O(fields) => fields
            .iter()
            .any(|(k, v)| *k == "key" && matches!(v, Node::S(s) if *s == key)),
        _ => false,
    })?;
    let t = TableDef::deserialize(NodeDe(node)).unwrap_or_else(|e| {
        panic!(
            "bundled template {} has an invalid table {key}: {e}",
            embedded::STEMS[i]
        )
    });
    let t: &'static TableDef = Box::leak(Box::new(t));
    tables.push((i, t));
    Some(t)
}

/// The statutory table `key` of the template of a format id (the same table as
/// `Template::get(format)?.table(key)`, without parsing the rest of a bundled template).
pub fn table_of(format: &str, key: &str) -> Option<&'static TableDef> {
    match embedded::STEMS.iter().position(|s| *s == format) {
        Some(i) if matches!(bundled_field(i, "format"), Some(Node::S(f)) if *f == format) => {
            bundled_table(i, key)
        }
        _ => Template::get(format)?.table(key),
    }
}

/// Every template's statutory table `key` with its format id: the bundled templates sorted by
/// format id, then the registered ones (the order of [`all`]), without parsing the rest of a
/// bundled template.
pub fn tables(key: &str) -> Vec<(&'static str, &'static TableDef)> {
    (0..embedded::TREES.len())
        .filter_map(|i| match bundled_field(i, "format") {
            Some(Node::S(format)) => bundled_table(i, key).map(|t| (*format, t)),
            _ => None,
        })
        .chain(
            registered()
                .into_iter()
                .filter_map(|t| t.table(key).map(|d| (t.format.as_str(), d))),
        )
        .collect()
}

/// The format id and notice (文号) of every template: the bundled ones sorted by format id,
/// then the registered ones (the order of [`all`]), without parsing the bundled templates.
pub fn notices() -> Vec<(&'static str, &'static str)> {
    let text = |i: usize, name: &str| match bundled_field(i, name) {
        Some(Node::S(s)) => *s,
        _ => panic!("bundled template {} lacks {name}", embedded::STEMS[i]),
    };
    (0..embedded::TREES.len())
        .map(|i| (text(i, "format"), text(i, "notice")))
        .chain(
            registered()
                .into_iter()
                .map(|t| (t.format.as_str(), t.notice.as_str())),
        )
        .collect()
}

/// A JSON value that build.rs parsed from a bundled template, as static data (a variant the
/// bundled files happen not to use, e.g. a negative number, is still allowed for new ones).
#[derive(Debug)]
#[allow(dead_code)]
enum Node {
    Null,
    Bool(bool),
    U(u64),
    I(i64),
    F(f64),
    S(&'static str),
    A(&'static [Node]),
    O(&'static [(&'static str, Node)]),
}

/// Deserializes a [`Node`] tree as serde_json would its JSON text.
#[derive(Clone, Copy)]
struct NodeDe(&'static Node);

impl<'de> serde::de::IntoDeserializer<'de, serde::de::value::Error> for NodeDe {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> serde::Deserializer<'de> for NodeDe {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        use serde::de::value::{MapDeserializer, SeqDeserializer};
        match self.0 {
            Node::Null => v.visit_unit(),
            Node::Bool(b) => v.visit_bool(*b),
            Node::U(n) => v.visit_u64(*n),
            Node::I(n) => v.visit_i64(*n),
            Node::F(f) => v.visit_f64(*f),
            Node::S(s) => v.visit_borrowed_str(s),
            Node::A(items) => {
                let mut seq = SeqDeserializer::new(items.iter().map(NodeDe));
                let out = v.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(out)
            }
            Node::O(fields) => {
                let mut map = MapDeserializer::new(fields.iter().map(|(k, n)| (*k, NodeDe(n))));
                let out = v.visit_map(&mut map)?;
                map.end()?;
                Ok(out)
            }
        }
    }

    fn deserialize_option<V: serde::de::Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Node::Null => v.visit_none(),
            _ => v.visit_some(self),
        }
    }

    fn deserialize_enum<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            Node::S(s) => v.visit_enum(serde::de::value::BorrowedStrDeserializer::new(s)),
            _ => self.deserialize_any(v),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

/// The bundled template of a format id, parsing only that one.
fn bundled_format(format: &str) -> Option<&'static Template> {
    embedded::STEMS
        .iter()
        .position(|s| *s == format)
        .map(bundled_at)
        .filter(|t| t.format == format)
        .or_else(|| bundled().find(|t| t.format == format))
}

/// Every bundled template, sorted by format id.
fn bundled() -> impl Iterator<Item = &'static Template> {
    (0..embedded::TREES.len()).map(bundled_at)
}

static REGISTERED: RwLock<Vec<&'static Template>> = RwLock::new(Vec::new());

fn registered() -> Vec<&'static Template> {
    REGISTERED
        .read()
        .map(|v| v.clone())
        .unwrap_or_else(|poisoned| poisoned.into_inner().clone())
}

/// Makes a template available to every reader and writer for the rest of the process: reports
/// whose `format` is its id read, validate and export like any other. Templates live as long as
/// the process (they are few and small).
///
/// # Errors
/// [`TemplateError::Duplicate`] when a template with the same format id is already loaded.
pub fn register(template: Template) -> Result<&'static Template, TemplateError> {
    let mut list = REGISTERED
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if bundled().any(|t| t.format == template.format)
        || list.iter().any(|t| t.format == template.format)
    {
        return Err(TemplateError::Duplicate(template.format));
    }
    let t: &'static Template = Box::leak(Box::new(template));
    list.push(t);
    Ok(t)
}

/// The newest bundled template: the fallback for a hand-built report of an unknown format.
pub fn newest() -> &'static Template {
    bundled()
        .max_by_key(|t| t.years.from)
        .expect("build.rs embeds at least one template from templates/")
}

/// Every template: the bundled ones sorted by format id, then the registered ones.
pub fn all() -> Vec<&'static Template> {
    bundled().chain(registered()).collect()
}

/// The format ids of every template (the bundled ones without parsing them: their file
/// names).
pub fn format_ids() -> Vec<&'static str> {
    embedded::STEMS
        .iter()
        .copied()
        .chain(registered().into_iter().map(|t| t.format.as_str()))
        .collect()
}

/// `a`, `sep` and `b` as one string, allocated once at its length: the `format!("{a}.{b}")` of
/// row paths and joined labels, without the formatter (called for every row of every table).
pub(crate) fn joined(a: &str, sep: &str, b: &str) -> String {
    let mut s = String::with_capacity(a.len() + sep.len() + b.len());
    s.push_str(a);
    s.push_str(sep);
    s.push_str(b);
    s
}

impl RowDef {
    fn collect_leaves(&self, prefix: &str, labels: &str, out: &mut Vec<LeafRow>) {
        let (key, full) = match &self.key {
            Some(k) => (
                if prefix.is_empty() {
                    k.clone()
                } else {
                    joined(prefix, ".", k)
                },
                if labels.is_empty() {
                    self.label.clone()
                } else {
                    joined(labels, " ", &self.label)
                },
            ),
            None => (prefix.to_string(), labels.to_string()),
        };
        if self.children.is_empty() {
            out.push(LeafRow {
                key,
                label: self.label.clone(),
                full_label: full,
            });
        } else {
            for c in &self.children {
                c.collect_leaves(&key, &full, out);
            }
        }
    }

    /// Number of leaf rows under this row (1 for a leaf).
    pub fn leaf_count(&self) -> usize {
        if self.children.is_empty() {
            1
        } else {
            self.children.iter().map(|c| c.leaf_count()).sum()
        }
    }

    /// Depth of the tree below this row (0 for a leaf).
    pub fn depth(&self) -> usize {
        self.children
            .iter()
            .map(|c| c.depth() + 1)
            .max()
            .unwrap_or(0)
    }

    /// The keyed children, looking through unkeyed label groups.
    pub fn keyed_children(&self) -> Vec<&RowDef> {
        keyed(&self.children)
    }
}

/// The keyed rows of a row list, looking through unkeyed label groups (`三、本年度办理结果`).
pub fn keyed(rows: &[RowDef]) -> Vec<&RowDef> {
    let mut out = Vec::new();
    for r in rows {
        if r.key.is_some() {
            out.push(r);
        } else {
            out.extend(keyed(&r.children));
        }
    }
    out
}

/// Leaf rows of a row tree, in order.
pub fn leaves(rows: &[RowDef]) -> Vec<LeafRow> {
    let mut out = Vec::new();
    for r in rows {
        r.collect_leaves("", "", &mut out);
    }
    out
}

/// The keyed row at a dotted path, looking through unkeyed label groups.
fn find_node<'a>(rows: &'a [RowDef], path: &[&str]) -> Option<&'a RowDef> {
    let (first, rest) = path.split_first()?;
    for r in keyed(rows) {
        if r.key.as_deref() == Some(*first) {
            return if rest.is_empty() {
                Some(r)
            } else {
                find_node(&r.children, rest)
            };
        }
    }
    None
}

/// Replaces the keyed row at a dotted path; `false` when there is none.
fn replace_node(rows: &mut [RowDef], path: &[&str], new: &RowDef) -> bool {
    let Some((first, rest)) = path.split_first() else {
        return false;
    };
    for r in rows.iter_mut() {
        match &r.key {
            None => {
                if replace_node(&mut r.children, path, new) {
                    return true;
                }
            }
            Some(k) if k == first => {
                if rest.is_empty() {
                    *r = new.clone();
                    return true;
                }
                return replace_node(&mut r.children, rest, new);
            }
            Some(_) => {}
        }
    }
    false
}

impl TableDef {
    /// Every leaf row of the table, in order (for `groups`, the rows of every group).
    pub fn leaf_rows(&self) -> Vec<LeafRow> {
        self.leaves().to_vec()
    }

    /// Every leaf row of the table, borrowed from a cache.
    pub fn leaves(&self) -> &[LeafRow] {
        self.leaves_cache.get_or_init(|| self.compute_leaves())
    }

    fn compute_leaves(&self) -> Vec<LeafRow> {
        match self.layout {
            TableLayout::Groups => {
                let mut out = Vec::new();
                for g in &self.groups {
                    out.extend(leaves(&g.rows));
                }
                out
            }
            _ => leaves(&self.rows),
        }
    }

    /// The group that holds a row key (layout `groups`).
    pub fn group_of(&self, row: &str) -> Option<&GroupDef> {
        self.groups
            .iter()
            .find(|g| g.rows.iter().any(|r| r.key.as_deref() == Some(row)))
    }

    /// The columns that a row has.
    pub fn columns_of(&self, row: &str) -> &[ColumnDef] {
        match self.layout {
            TableLayout::Groups => self.group_of(row).map(|g| &g.columns[..]).unwrap_or(&[]),
            _ => &self.columns,
        }
    }

    /// Expands row keys to leaf keys: a group key (e.g. `denied`) stands for all its leaves.
    pub fn expand_rows(&self, keys: &[String]) -> Vec<String> {
        let leaves = self.leaves();
        let mut out = Vec::new();
        for k in keys {
            for l in leaves {
                if l.key == *k
                    || (l.key.len() > k.len()
                        && l.key.starts_with(k.as_str())
                        && l.key.as_bytes()[k.len()] == b'.')
                {
                    out.push(l.key.clone());
                }
            }
        }
        out
    }

    /// The label used to name a row in messages.
    pub fn row_label(&self, row: &str) -> String {
        if let Some(l) = self.leaves().iter().find(|l| l.key == row) {
            return l.full_label.clone();
        }
        // A row group (`other`): its own label.
        let path: Vec<&str> = row.split('.').collect();
        find_node(&self.rows, &path)
            .map(|n| n.label.clone())
            .unwrap_or_else(|| row.to_string())
    }

    /// The label used to name a column in messages.
    pub fn column_label(&self, row: &str, column: &str) -> String {
        self.columns_of(row)
            .iter()
            .chain(self.columns.iter())
            .find(|c| c.key == column)
            .map(|c| c.label.clone())
            .unwrap_or_else(|| column.to_string())
    }

    /// Names a cell in Chinese, e.g. `表三 “（七）总计” 行 “自然人” 列`.
    pub fn cell_name(&self, row: &str, column: &str) -> String {
        format!(
            "{} \u{201c}{}\u{201d} 行 \u{201c}{}\u{201d} 列",
            self.name,
            self.row_label(row),
            self.column_label(row, column)
        )
    }

    /// Names a row in Chinese, e.g. `表三 “（一）予以公开” 行`.
    pub fn row_name(&self, row: &str) -> String {
        format!("{} \u{201c}{}\u{201d} 行", self.name, self.row_label(row))
    }

    /// The keyed row at a dotted path (`denied`, `other`, `denied.state_secret`), looking
    /// through unkeyed label groups.
    pub fn row_node(&self, path: &str) -> Option<&RowDef> {
        let segments: Vec<&str> = path.split('.').collect();
        find_node(&self.rows, &segments)
    }

    /// A copy of this table with one *part* printed in another format's shape, taken from
    /// `other` (the same table in another format): a table-二 group by id, or a row node by
    /// dotted key (table 三's `other`, which 2019 prints as one row and 2021 as three). `None`
    /// when either table lacks the part, or when a row part's columns differ.
    pub fn with_part(&self, part: &str, other: &TableDef) -> Option<TableDef> {
        let mut out = self.clone();
        out.leaves_cache = OnceLock::new();
        out.equations_cache = OnceLock::new();
        match self.layout {
            TableLayout::Groups => {
                let new = other.groups.iter().find(|g| g.id == part)?;
                let slot = out.groups.iter_mut().find(|g| g.id == part)?;
                *slot = new.clone();
            }
            _ => {
                let keys = |cs: &[ColumnDef]| cs.iter().map(|c| c.key.clone()).collect::<Vec<_>>();
                if keys(&self.columns) != keys(&other.columns) {
                    return None;
                }
                let new = other.row_node(part)?;
                let segments: Vec<&str> = part.split('.').collect();
                if !replace_node(&mut out.rows, &segments, new) {
                    return None;
                }
            }
        }
        Some(out)
    }

    /// The label of a part: a group's caption or a row node's label.
    pub fn part_label(&self, part: &str) -> String {
        match self.layout {
            TableLayout::Groups => self
                .groups
                .iter()
                .find(|g| g.id == part)
                .map(|g| g.caption.clone()),
            _ => self.row_node(part).map(|n| n.label.clone()),
        }
        .unwrap_or_else(|| part.to_string())
    }

    /// The table's same-year rules as cell equations, one per column (axis `column`) or row
    /// (axis `row`) they apply to. Instances naming a cell the table lacks are left out (a
    /// mixed table-二 group has other columns), so every key of every equation is a cell of
    /// this table.
    pub fn equations(&self) -> Vec<Equation> {
        self.equation_list().to_vec()
    }

    /// [`TableDef::equations`], borrowed from a cache (validation and layout read them for
    /// every report).
    pub fn equation_list(&self) -> &[Equation] {
        &self.equations_and_sums().0
    }

    /// The cells the same-year equations define as sums ([`sum_definitions`] of
    /// [`TableDef::equations`]), borrowed from a cache.
    pub fn sums(&self) -> &SumDefinitions {
        &self.equations_and_sums().1
    }

    fn equations_and_sums(&self) -> &(Vec<Equation>, SumDefinitions) {
        self.equations_cache.get_or_init(|| {
            let eqs = self.compute_equations();
            let sums = sum_definitions(&eqs);
            (eqs, sums)
        })
    }

    fn compute_equations(&self) -> Vec<Equation> {
        let mut out = Vec::new();
        for rule in self.rules.iter().filter(|r| !r.cross_year) {
            for (scope, sides) in self.instances(rule, &[&rule.left, &rule.right]) {
                let mut sides = sides.into_iter();
                let (Some(left), Some(right)) = (sides.next(), sides.next()) else {
                    continue;
                };
                out.push(Equation {
                    rule: rule.id.clone(),
                    severity: rule.severity,
                    description: rule.description.clone(),
                    axis: rule.axis,
                    defines: rule.defines,
                    scope,
                    left,
                    right,
                });
            }
        }
        out
    }

    /// The table's cross-year rules as cell equations (this year's cells and last year's, which
    /// share the keys).
    pub fn cross_year_equations(&self) -> Vec<CrossYearEquation> {
        let mut out = Vec::new();
        for rule in self.rules.iter().filter(|r| r.cross_year) {
            let lists = [&rule.left, &rule.previous, &rule.plus, &rule.minus];
            for (scope, sides) in self.instances(rule, &lists) {
                let mut s = sides.into_iter();
                let (Some(left), Some(previous), Some(plus), Some(minus)) =
                    (s.next(), s.next(), s.next(), s.next())
                else {
                    continue;
                };
                out.push(CrossYearEquation {
                    rule: rule.id.clone(),
                    severity: rule.severity,
                    description: rule.description.clone(),
                    scope,
                    left,
                    previous,
                    plus,
                    minus,
                });
            }
        }
        out
    }

    /// Expands a rule's key lists into (scope, one cell list per key list) per instance.
    fn instances(
        &self,
        rule: &RuleDef,
        lists: &[&Vec<String>],
    ) -> Vec<(String, Vec<Vec<CellKey>>)> {
        // Each part of a key is made once and shared by every key that names it.
        let table: Arc<str> = self.key.as_str().into();
        let shared = |k: &str| -> Arc<str> { k.into() };
        let mut out = Vec::new();
        match rule.axis {
            Axis::Column => {
                let rows: Vec<Vec<Arc<str>>> = lists
                    .iter()
                    .map(|l| self.expand_rows(l).iter().map(|r| shared(r)).collect())
                    .collect();
                if rows.first().is_none_or(|l| l.is_empty()) {
                    return out;
                }
                for c in &self.columns {
                    let column = shared(&c.key);
                    let sides = rows
                        .iter()
                        .map(|rs| {
                            rs.iter()
                                .map(|r| CellKey::shared(&table, r, &column))
                                .collect()
                        })
                        .collect();
                    out.push((c.label.clone(), sides));
                }
            }
            Axis::Row => {
                let rows: Vec<String> = if rule.rows.is_empty() {
                    self.leaves().iter().map(|l| l.key.clone()).collect()
                } else {
                    self.expand_rows(&rule.rows)
                };
                let columns: Vec<Vec<Arc<str>>> = lists
                    .iter()
                    .map(|l| l.iter().map(|c| shared(c)).collect())
                    .collect();
                for r in rows {
                    let cols = self.columns_of(&r);
                    let has = |c: &String| cols.iter().any(|x| &x.key == c);
                    if rule.left.is_empty() || !lists.iter().all(|l| l.iter().all(has)) {
                        continue;
                    }
                    let row = shared(&r);
                    let sides = columns
                        .iter()
                        .map(|l| l.iter().map(|c| CellKey::shared(&table, &row, c)).collect())
                        .collect();
                    out.push((self.row_label(&r), sides));
                }
            }
        }
        out
    }

    /// Checks row keys (each must name at least one leaf) and, for every leaf, column keys.
    fn check_rows(&self, rows: &[String], columns: &[&str]) -> Result<(), String> {
        for r in rows {
            let leaves = self.expand_rows(std::slice::from_ref(r));
            if leaves.is_empty() {
                return Err(format!("{} 没有行 “{r}” (no such row)", self.name));
            }
            for l in &leaves {
                for c in columns {
                    if !self.columns_of(l).iter().any(|x| x.key == *c) {
                        return Err(format!(
                            "{} 的行 “{l}” 没有列 “{c}” (no such column)",
                            self.name
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// Checks the table's own consistency; the error is (place inside the table, message).
    fn check(&self) -> Result<(), (String, String)> {
        let bad = |p: &str, m: String| Err((p.to_string(), m));
        let unique = |keys: Vec<&str>, what: &str, place: &str| -> Result<(), (String, String)> {
            let mut seen = BTreeSet::new();
            for k in keys {
                if k.is_empty() || !seen.insert(k) {
                    return Err((
                        place.into(),
                        format!("{what} “{k}” 为空或重复 (empty or duplicate key)"),
                    ));
                }
            }
            Ok(())
        };
        let grid_columns = match self.layout {
            TableLayout::Groups => {
                if self.groups.is_empty() {
                    return bad("groups", "没有分组 (no groups)".into());
                }
                unique(
                    self.groups.iter().map(|g| g.id.as_str()).collect(),
                    "分组",
                    "groups",
                )?;
                for (i, g) in self.groups.iter().enumerate() {
                    let place = format!("groups[{i}]");
                    if g.columns.is_empty() || g.rows.is_empty() {
                        return bad(
                            &place,
                            "分组没有列或没有行 (a group needs columns and rows)".into(),
                        );
                    }
                    unique(
                        g.columns.iter().map(|c| c.key.as_str()).collect(),
                        "列键",
                        &place,
                    )?;
                    if g.rows
                        .iter()
                        .any(|r| r.key.is_none() || !r.children.is_empty())
                    {
                        return bad(
                            &place,
                            "分组的行必须是有键的单行 (group rows are keyed leaves)".into(),
                        );
                    }
                }
                0
            }
            TableLayout::Matrix | TableLayout::RecordRow => {
                if self.columns.is_empty() || self.rows.is_empty() {
                    return bad("rows", "没有行或没有列 (no rows or no columns)".into());
                }
                unique(
                    self.columns.iter().map(|c| c.key.as_str()).collect(),
                    "列键",
                    "columns",
                )?;
                if self.layout == TableLayout::Matrix {
                    let depth = self.rows.iter().map(|r| r.depth()).max().unwrap_or(0);
                    if self.label_columns <= depth {
                        return bad(
                            "label_columns",
                            format!(
                                "行树有 {} 层，标签列只有 {} 列 (too few label columns)",
                                depth + 1,
                                self.label_columns
                            ),
                        );
                    }
                    self.label_columns + self.columns.len()
                } else {
                    if self
                        .rows
                        .iter()
                        .any(|r| r.key.is_none() || !r.children.is_empty())
                    {
                        return bad(
                            "rows",
                            "此布局的行必须是有键的单行 (rows are keyed leaves)".into(),
                        );
                    }
                    self.rows.len() * self.columns.len()
                }
            }
        };
        let leaves = self.leaves();
        unique(
            leaves.iter().map(|l| l.key.as_str()).collect(),
            "行键",
            "rows",
        )?;
        for (i, h) in self.header.iter().enumerate() {
            if h.rowspan == 0
                || h.colspan == 0
                || h.row + h.rowspan > self.header_rows
                || h.col + h.colspan > grid_columns
            {
                return bad(
                    &format!("header[{i}]"),
                    format!(
                        "表头单元格 “{}” 超出表头网格 (header cell outside the grid)",
                        h.text
                    ),
                );
            }
        }
        if self
            .column_widths
            .iter()
            .any(|w| !w.is_finite() || *w <= 0.0)
        {
            return bad(
                "column_widths",
                "列宽必须为正数 (widths must be positive)".into(),
            );
        }
        for (i, rule) in self.rules.iter().enumerate() {
            let place = format!("rules[{i}]");
            if rule.id.trim().is_empty() || rule.left.is_empty() {
                return bad(
                    &place,
                    "规则缺少编号或左边 (a rule needs an id and a left side)".into(),
                );
            }
            if rule.defines && (rule.left.len() != 1 || rule.cross_year) {
                return bad(
                    &place,
                    "defines 规则的左边必须是一个单元格 (defines needs one left cell)".into(),
                );
            }
            let lists: Vec<&Vec<String>> = if rule.cross_year {
                if rule.previous.is_empty() {
                    return bad(
                        &place,
                        "跨年度规则缺少 previous (cross-year rule without previous)".into(),
                    );
                }
                vec![&rule.left, &rule.previous, &rule.plus, &rule.minus]
            } else {
                if rule.right.is_empty() {
                    return bad(&place, "规则缺少右边 (a rule needs a right side)".into());
                }
                vec![&rule.left, &rule.right]
            };
            match rule.axis {
                Axis::Column => {
                    for l in &lists {
                        self.check_rows(l, &[]).map_err(|m| (place.clone(), m))?;
                    }
                }
                Axis::Row => {
                    self.check_rows(&rule.rows, &[])
                        .map_err(|m| (place.clone(), m))?;
                    let known: BTreeSet<&str> = self
                        .columns
                        .iter()
                        .chain(self.groups.iter().flat_map(|g| &g.columns))
                        .map(|c| c.key.as_str())
                        .collect();
                    if let Some(c) = lists
                        .iter()
                        .flat_map(|l| l.iter())
                        .find(|c| !known.contains(c.as_str()))
                    {
                        return bad(&place, format!("没有列 “{c}” (no such column)"));
                    }
                }
            }
        }
        // A sum must not be defined by itself, directly or through other sums.
        let sums = sum_definitions(&self.compute_equations());
        for start in sums.keys() {
            let mut stack: Vec<(&CellKey, usize)> = vec![(start, 0)];
            while let Some((k, depth)) = stack.pop() {
                if depth > sums.len() {
                    return bad(
                        "rules",
                        format!("合计单元格 {} 的定义循环 (circular sum)", start.path()),
                    );
                }
                for a in sums.get(k).into_iter().flat_map(|a| a.iter()) {
                    if a == start {
                        return bad(
                            "rules",
                            format!("合计单元格 {} 的定义循环 (circular sum)", start.path()),
                        );
                    }
                    stack.push((a, depth + 1));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_templates_parse_and_have_the_statutory_shape() {
        let t21 = Template::get("2021").unwrap();
        let t19 = Template::get("2019").unwrap();
        assert_eq!(t21.sections.len(), 6);
        assert_eq!(t21.table("applications").unwrap().leaf_rows().len(), 25);
        assert_eq!(t19.table("applications").unwrap().leaf_rows().len(), 23);
        assert_eq!(t21.table("review_litigation").unwrap().leaf_rows().len(), 3);
        assert_eq!(t21.table("proactive").unwrap().leaf_rows().len(), 6);
        assert_eq!(t19.table("proactive").unwrap().leaf_rows().len(), 8);
        let apps = t21.table("applications").unwrap();
        assert_eq!(apps.expand_rows(&["denied".into()]).len(), 8);
        assert_eq!(
            apps.cell_name("total_processed", "natural_person"),
            "表三 “（七）总计” 行 “自然人” 列"
        );
        assert_eq!(
            apps.row_label("denied.state_secret"),
            "（三）不予公开 1.属于国家秘密"
        );
        assert_eq!(Template::for_year(2023).unwrap().format, "2021");
        assert_eq!(Template::for_year(2020).unwrap().format, "2019");
        assert!(Template::for_year(2018).is_none());
    }

    #[test]
    fn bundled_templates_pass_the_checks() {
        assert_eq!(embedded::EMBEDDED.len(), embedded::TREES.len());
        for ((name, text), tree) in embedded::EMBEDDED.iter().zip(embedded::TREES) {
            if let Err(e) = Template::from_json(text) {
                panic!("{name}: {e}");
            }
            // The tree build.rs wrote, which the binary reads instead of the JSON text, must
            // give the same template (both unchecked: the checks fill the caches).
            let parsed: Template = serde_json::from_str(text).unwrap();
            let built = Template::deserialize(NodeDe(tree)).unwrap();
            assert_eq!(format!("{built:?}"), format!("{parsed:?}"), "{name}");
        }
    }

    #[test]
    fn equations_expand_every_instance() {
        let apps = Template::get("2021")
            .unwrap()
            .table("applications")
            .unwrap();
        let eqs = apps.equations();
        let count = |id: &str| eqs.iter().filter(|e| e.rule == id).count();
        assert_eq!((count("A-01"), count("A-02"), count("A-03")), (7, 7, 25));
        let a02 = eqs.iter().find(|e| e.rule == "A-02").unwrap();
        assert_eq!(a02.right.len(), 21);
        assert_eq!(apps.cross_year_equations().len(), 7);
    }

    #[test]
    fn a_part_swaps_in_the_other_formats_rows() {
        let t21 = Template::get("2021")
            .unwrap()
            .table("applications")
            .unwrap();
        let t19 = Template::get("2019")
            .unwrap()
            .table("applications")
            .unwrap();
        let mixed = t21.with_part("other", t19).unwrap();
        assert_eq!(mixed.leaves().len(), 23);
        assert_eq!(
            mixed.expand_rows(&["other".into()]),
            vec!["other".to_string()]
        );
        let a02 = mixed
            .equations()
            .into_iter()
            .find(|e| e.rule == "A-02")
            .unwrap();
        assert_eq!(a02.right.len(), 19);
        assert!(t21.with_part("no_such_row", t19).is_none());
    }

    #[test]
    fn inconsistent_templates_are_refused_not_panicked_on() {
        let text = std::fs::read_to_string("templates/2021.json").unwrap();
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v["tables"][1]["rules"][0]["right"][0] = "no_such_row".into();
        let e = Template::from_json(&v.to_string()).unwrap_err();
        assert!(e.to_string().contains("no_such_row"), "{e}");
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v["tables"][1]["label_columns"] = 1.into();
        assert!(Template::from_json(&v.to_string()).is_err());
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v["tables"][1]["header"][0]["colspan"] = 40.into();
        assert!(Template::from_json(&v.to_string()).is_err());
        // A sum defined by itself.
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v["tables"][1]["rules"][0]["right"] = serde_json::json!(["total_processed"]);
        let e = Template::from_json(&v.to_string()).unwrap_err();
        assert!(e.to_string().contains("circular"), "{e}");
        assert!(matches!(
            Template::from_json("{\"format\": 1}"),
            Err(TemplateError::Json { .. })
        ));
        assert!(matches!(
            register(Template::from_json(&text).unwrap()),
            Err(TemplateError::Duplicate(_))
        ));
    }
}
