//! The statutory formats as data: each `templates/<format>.json` describes the six sections and the
//! three tables (rows, columns, merged header cells, keys, Chinese labels, arithmetic rules).
//! This module only reads and indexes templates; it knows no row label of its own.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/templates.rs"));
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
    /// The six sections, in order.
    pub sections: Vec<SectionDef>,
    /// Tables 二, 三 and 四.
    pub tables: Vec<TableDef>,
    /// Patterns for numbers quoted in prose (rule T-01).
    pub text_checks: Vec<TextCheck>,
    /// Thresholds and keywords for the prose rules.
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
#[derive(Debug, Clone, Deserialize)]
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
#[derive(Debug, Clone, Deserialize)]
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
#[derive(Debug, Clone, Deserialize)]
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

/// Which way an arithmetic rule runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Axis {
    /// For every column: the sum of the `left` rows equals the sum of the `right` rows.
    Column,
    /// For every row: the sum of the `left` columns equals the sum of the `right` columns.
    Row,
}

/// Severity as written in templates and findings.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Informational hint.
    Info,
    /// Suspicious but not blocking.
    Warning,
    /// Breaks the statutory format: blocks export unless `--allow-invalid`.
    Error,
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
    /// (the XLSX writes it as a formula).
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

/// Thresholds and keywords for the prose rules.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checks {
    /// Section 六 must mention one of these (T-02).
    pub fee_statement_keywords: Vec<String>,
    /// Whether T-02 applies to this format.
    pub fee_statement_required: bool,
    /// Words that introduce the statistics period (T-06).
    pub statistics_period_keywords: Vec<String>,
    /// 条例第五十条第四项 keywords (T-05).
    pub assessment_keywords: Vec<String>,
    /// Section 一 length limit in 汉字 (T-03).
    pub overview_max_hanzi: usize,
    /// Whether T-03 applies to this format.
    pub overview_length_limit: bool,
    /// Section 五 shorter than this is flagged (T-04).
    pub problems_min_chars: usize,
    /// Share of 其他处理 in （七）总计 above which A-05 warns.
    pub other_handling_share_warning: f64,
    /// Similarity with last year's text above which X-03 warns.
    pub similarity_warning: f64,
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
    /// The template for a format id (`"2021"`, `"2019"`), if one is bundled.
    pub fn get(format: &str) -> Option<&'static Template> {
        all().iter().find(|t| t.format == format)
    }

    /// The table with a given key.
    pub fn table(&self, key: &str) -> Option<&TableDef> {
        self.tables.iter().find(|t| t.key == key)
    }

    /// The section with a given key.
    pub fn section(&self, key: &str) -> Option<&SectionDef> {
        self.sections.iter().find(|s| s.key == key)
    }

    /// The format that applies to a report year, by the templates' year ranges.
    pub fn for_year(year: i32) -> Option<&'static Template> {
        all()
            .iter()
            .find(|t| year >= t.years.from && t.years.to.is_none_or(|to| year <= to))
    }
}

/// Every bundled template, sorted by format id.
pub fn all() -> &'static [Template] {
    static ALL: OnceLock<Vec<Template>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut v: Vec<Template> = embedded::EMBEDDED
            .iter()
            .map(|(name, text)| {
                // A broken bundled template is a build defect, caught by the test suite.
                serde_json::from_str(text)
                    .unwrap_or_else(|e| panic!("bundled template {name} is invalid: {e}"))
            })
            .collect();
        v.sort_by(|a, b| a.format.cmp(&b.format));
        v
    })
}

/// The format ids of every bundled template.
pub fn format_ids() -> Vec<&'static str> {
    all().iter().map(|t| t.format.as_str()).collect()
}

impl RowDef {
    fn collect_leaves(&self, prefix: &str, labels: &str, out: &mut Vec<LeafRow>) {
        let (key, full) = match &self.key {
            Some(k) => (
                if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                },
                if labels.is_empty() {
                    self.label.clone()
                } else {
                    format!("{labels} {}", self.label)
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
}

/// Leaf rows of a row tree, in order.
pub fn leaves(rows: &[RowDef]) -> Vec<LeafRow> {
    let mut out = Vec::new();
    for r in rows {
        r.collect_leaves("", "", &mut out);
    }
    out
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
        self.leaves()
            .iter()
            .find(|l| l.key == row)
            .map(|l| l.full_label.clone())
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

    /// Names a cell in Chinese, e.g. `表三 "（七）总计" 行 "自然人" 列`.
    pub fn cell_name(&self, row: &str, column: &str) -> String {
        format!(
            "{} \u{201c}{}\u{201d} 行 \u{201c}{}\u{201d} 列",
            self.name,
            self.row_label(row),
            self.column_label(row, column)
        )
    }
}

/// All templates keyed by format, for lookups by callers that need a map.
pub fn by_format() -> BTreeMap<&'static str, &'static Template> {
    all().iter().map(|t| (t.format.as_str(), t)).collect()
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
}
