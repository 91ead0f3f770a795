//! The backend-neutral document: title, headings, paragraphs and tables as grids with spans.
//! Built once from a [`Report`] and its template; the PDF, DOCX and XLSX writers read only this
//! model (never the JSON, never each other). Page geometry and line breaking belong to the
//! backends; this model says *what* is on the page, cell by cell.

use crate::equation::{BlankPolicy, Evaluator, Verdict};
use crate::finding::Finding;
use crate::lint::LintLevels;
use crate::report::{Block as ReportBlock, Date, FreeTable, Number, Report};
use crate::template::{TableDef, TableLayout, ValueType};
use std::sync::Arc;

pub use crate::equation::CellKey;

/// A whole report, ready for a writer.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The title as one string.
    pub title: String,
    /// The title broken into balanced lines (GB/T 9704: 词意完整，排列对称), at most
    /// [`TITLE_LINE_EMS`] full-width characters each.
    pub title_lines: Vec<String>,
    /// Document metadata.
    pub meta: Metadata,
    /// Content in reading order.
    pub blocks: Vec<Block>,
    /// Validation findings, for writers that list them (the XLSX `校验` sheet).
    pub findings: Vec<Finding>,
    /// The lint levels the findings were adjusted with (recorded in the XLSX `校验` sheet).
    pub lints: LintLevels,
}

/// Document metadata (PDF info/XMP, DOCX core properties, XLSX properties).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// Title.
    pub title: String,
    /// Author: the agency.
    pub author: String,
    /// The agency (same as author; named for data sheets).
    pub agency: String,
    /// Report year.
    pub year: i32,
    /// Format id (`2021`, `2019`).
    pub format: String,
    /// Format's official name, used as subject.
    pub subject: String,
    /// BCP 47 language tag: `zh-CN`.
    pub language: String,
    /// Creation date: the publication date if known.
    pub date: Option<Date>,
    /// The report's kind of agency (`None` for a comparison, or a report that does not say):
    /// carried so the XLSX export workbook can give it back on import.
    pub level: Option<crate::template::Level>,
}

/// One block of content.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading: level 1 is `一、…` (黑体), level 2 is `（一）…` (楷体).
    Heading {
        /// 1 or 2.
        level: u8,
        /// Text.
        text: String,
        /// The section key for level-1 headings (bookmarks, anchors).
        section: Option<String>,
    },
    /// A body paragraph (first line indented two characters by the writer).
    Paragraph(String),
    /// A table.
    Table(Table),
    /// A body paragraph with marked runs (a comparison's text repeated word for word from last
    /// year): PDF underlines, DOCX highlights, HTML wraps in `<mark>`.
    Marked(Vec<Span>),
}

/// A run of a [`Block::Marked`] paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Text.
    pub text: String,
    /// Marked (repeated from last year's report).
    pub marked: bool,
}

/// A table as a grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Stable id: the table key (`applications`) or `overview.table1` for free-form tables.
    pub id: String,
    /// Short name such as `表三`, for statutory tables.
    pub name: Option<String>,
    /// Title (e.g. `收到和处理政府信息公开申请情况`).
    pub title: String,
    /// Number of grid columns.
    pub columns: usize,
    /// Relative column widths (sum is arbitrary; writers scale to the type area).
    pub column_widths: Vec<f32>,
    /// Leading rows that are the table header (repeated on every page).
    pub header_rows: usize,
    /// Rows in order.
    pub rows: Vec<Row>,
    /// The table's arithmetic rules expanded to cells (for check cells in spreadsheets).
    pub checks: Vec<Check>,
}

/// What a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// Part of the repeated table header.
    Header,
    /// A caption row inside the body (table 二: `第二十条第（一）项`).
    Caption,
    /// A column-header row inside the body (table 二: `信息内容 | 本年制发件数 …`).
    SubHeader,
    /// A data row.
    Body,
}

/// A grid row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// What the row is.
    pub kind: RowKind,
    /// Cells that start in this row, by column (positions covered by a span from above are absent).
    pub cells: Vec<Cell>,
    /// A page break must not fall between this row and the next.
    pub keep_with_next: bool,
}

/// Horizontal alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Left.
    Left,
    /// Centre.
    Center,
    /// Right.
    Right,
}

/// A grid cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// First grid column.
    pub col: usize,
    /// Rows spanned (≥ 1).
    pub row_span: usize,
    /// Columns spanned (≥ 1).
    pub col_span: usize,
    /// Alignment.
    pub align: Align,
    /// A header or label cell (typeset in the table's label style).
    pub is_label: bool,
    /// Marked for the reader (a comparison's cross-year break or repeated sentence): PDF
    /// underlines the text, DOCX highlights it, HTML wraps it in `<mark>`, XLSX fills the cell.
    pub marked: bool,
    /// Content.
    pub content: Content,
}

impl Cell {
    /// A cell of one grid slot (no span), not marked.
    pub fn single(col: usize, align: Align, is_label: bool, content: Content) -> Cell {
        Cell {
            col,
            row_span: 1,
            col_span: 1,
            align,
            is_label,
            marked: false,
            content,
        }
    }
}

/// A cell's content.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// Text (labels, free-form table cells).
    Text(String),
    /// A number of a statutory table.
    Number(NumberCell),
    /// A number computed from two cells of the same row (a comparison's change): spreadsheet
    /// writers emit a live formula with this value cached, the others print the text.
    Derived(DerivedCell),
}

impl Content {
    /// The text shown in the cell.
    pub fn text(&self) -> &str {
        match self {
            Content::Text(t) => t,
            Content::Number(n) => &n.text,
            Content::Derived(d) => &d.text,
        }
    }
}

/// How a [`DerivedCell`] is computed from two cells of its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Derivation {
    /// `to − from` (增减).
    Change,
    /// `(to − from) / from`, a ratio shown as a percentage (增减幅度); blank when `from` is 0.
    ChangeRatio,
}

/// A cell computed from two number cells of its row.
#[derive(Debug, Clone, PartialEq)]
pub struct DerivedCell {
    /// How.
    pub derivation: Derivation,
    /// Grid column of the earlier value (last year).
    pub from: usize,
    /// Grid column of the later value (this year).
    pub to: usize,
    /// The computed value; `None` when a value is blank (or, for a ratio, last year's is 0).
    pub value: Option<rust_decimal::Decimal>,
    /// The text to print.
    pub text: String,
}

/// A number cell of a statutory table.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberCell {
    /// Which cell.
    pub key: CellKey,
    /// The value as reported; `None` for a blank cell.
    pub value: Option<Number>,
    /// The text to print (empty for blank).
    pub text: String,
    /// Kind of value.
    pub value_type: ValueType,
    /// For a cell that is by definition a sum (（七）总计, 总计列): the cells it adds up. Spreadsheet
    /// writers emit a formula; the reported value stays in `value`.
    pub sum_of: Option<Arc<[CellKey]>>,
    /// Chinese row label (e.g. `（三）不予公开 1.属于国家秘密`), shared by the row's cells.
    pub row_label: Arc<str>,
    /// Chinese column label (e.g. `自然人`), shared by the column's cells.
    pub column_label: Arc<str>,
    /// Unit, if any (`万元`).
    pub unit: Option<String>,
}

/// One arithmetic rule instance: `Σ left = Σ right` (a template equation and its verdict).
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// Rule id (`A-01`).
    pub rule: String,
    /// The rule in words.
    pub description: String,
    /// Where it applies, e.g. `自然人` (a column) or `（七）总计` (a row).
    pub scope: String,
    /// `true` when `left` is one cell defined as the sum of `right` (the XLSX shows the
    /// recomputed sum beside it).
    pub defines: bool,
    /// Left side.
    pub left: Vec<CellKey>,
    /// Right side.
    pub right: Vec<CellKey>,
    /// Whether it holds for the reported values, decided as validation decides it: a blank or
    /// missing cell makes it [`Verdict::Undecidable`].
    pub verdict: Verdict,
}

/// Maximum width of a title line in full-width characters (156 mm at 22 pt ≈ 20).
pub const TITLE_LINE_EMS: f32 = 20.0;

/// Builds the document without findings: the title balanced into lines, the headings, the
/// prose blocks and the statutory tables as grids with spans, every number cell knowing its
/// key and labels.
///
/// ```
/// let json = std::fs::read_to_string("examples/demo-2019.json").unwrap();
/// let report = nianbao::Report::from_json(&json).unwrap();
/// let doc = nianbao::layout::build(&report);
/// assert_eq!(doc.title, report.title());
/// let tables = doc.blocks.iter().filter(|b| matches!(b, nianbao::layout::Block::Table(_))).count();
/// assert_eq!(tables, 3);
/// ```
pub fn build(report: &Report) -> Document {
    build_with_findings(report, Vec::new())
}

/// Builds the document and attaches validation findings.
pub fn build_with_findings(report: &Report, findings: Vec<Finding>) -> Document {
    let template = report.template();
    let title = report.title();
    let mut blocks = Vec::new();
    push_prose(&mut blocks, "preamble", &report.preamble);
    for s in &template.sections {
        blocks.push(Block::Heading {
            level: 1,
            text: report.heading(&s.key),
            section: Some(s.key.clone()),
        });
        match report.prose(&s.key) {
            Some(prose) => push_prose(&mut blocks, &s.key, prose),
            None => {
                if let Some(def) = report.table_def(&s.key) {
                    blocks.push(Block::Table(statutory_table(report, &def)));
                }
            }
        }
    }
    Document {
        title_lines: balance_title(&title, &report.agency),
        meta: Metadata {
            title: title.clone(),
            author: report.agency.clone(),
            agency: report.agency.clone(),
            year: report.year,
            format: template.format.clone(),
            subject: template.name.clone(),
            language: "zh-CN".into(),
            date: report.published,
            level: report.level,
        },
        title,
        blocks,
        findings,
        lints: LintLevels::default(),
    }
}

fn push_prose(out: &mut Vec<Block>, section: &str, blocks: &[ReportBlock]) {
    let mut n = 0;
    for b in blocks {
        match b {
            ReportBlock::Paragraph(p) => out.push(Block::Paragraph(p.clone())),
            ReportBlock::Heading(h) => out.push(Block::Heading {
                level: 2,
                text: h.clone(),
                section: None,
            }),
            ReportBlock::Table(t) => {
                n += 1;
                out.push(Block::Table(free_table(&format!("{section}.table{n}"), t)));
            }
        }
    }
}

fn free_table(id: &str, t: &FreeTable) -> Table {
    let columns = t.rows.first().map(|r| r.len()).unwrap_or(0);
    let widths: Vec<f32> = (0..columns)
        .map(|c| {
            let w = t
                .rows
                .iter()
                .map(|r| r.get(c).map(|s| text_ems(s)).unwrap_or(0.0))
                .fold(0.0f32, f32::max);
            w.clamp(2.0, 8.0)
        })
        .collect();
    Table {
        id: id.to_string(),
        name: None,
        title: String::new(),
        columns,
        column_widths: widths,
        header_rows: t.header_rows,
        rows: t
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| Row {
                kind: if i < t.header_rows {
                    RowKind::Header
                } else {
                    RowKind::Body
                },
                cells: r
                    .iter()
                    .enumerate()
                    .map(|(c, s)| {
                        let label = i < t.header_rows || c == 0;
                        Cell::single(c, Align::Center, label, Content::Text(s.clone()))
                    })
                    .collect(),
                keep_with_next: false,
            })
            .collect(),
        checks: Vec::new(),
    }
}

/// Width of a string in ems: full-width characters 1, others 0.5 (`text::display_width`
/// halved, the crate's one width measure).
pub fn text_ems(s: &str) -> f32 {
    crate::text::display_width(s) as f32 / 2.0
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

fn label_cell(col: usize, row_span: usize, col_span: usize, text: &str, align: Align) -> Cell {
    Cell {
        col,
        row_span,
        col_span,
        align,
        is_label: true,
        marked: false,
        content: Content::Text(text.to_string()),
    }
}

/// A statutory table from the report's definition of it ([`Report::table_def`]: the template's,
/// with any part printed in another format's shape swapped in).
fn statutory_table(report: &Report, def: &TableDef) -> Table {
    let data = report.table_or_empty(&def.key);
    let sums = def.sums();
    let lookup = report.table_lookup(&def.key);
    let eval = Evaluator::new(&lookup, BlankPolicy::Undecidable);
    let checks = def
        .equation_list()
        .iter()
        .map(|eq| Check {
            verdict: eval.check(eq).verdict,
            rule: eq.rule.clone(),
            description: eq.description.clone(),
            scope: eq.scope.clone(),
            defines: eq.defines,
            left: eq.left.clone(),
            right: eq.right.clone(),
        })
        .collect();
    let table: Arc<str> = def.key.as_str().into();
    // The table's cells and sums by (row, column), hashed once: every cell looks up both.
    // Both sized up front (collected from filtered or nested iterators, they would grow and
    // rehash on the way).
    let mut values: rustc_hash::FxHashMap<(&str, &str), Option<Number>> =
        rustc_hash::FxHashMap::with_capacity_and_hasher(data.cell_count(), Default::default());
    values.extend(data.cells.iter().flat_map(|(row, cells)| {
        cells
            .iter()
            .map(move |(column, c)| ((row.as_str(), column.as_str()), *c))
    }));
    let mut sum_of: rustc_hash::FxHashMap<(&str, &str), &Arc<[CellKey]>> =
        rustc_hash::FxHashMap::with_capacity_and_hasher(sums.len(), Default::default());
    sum_of.extend(
        sums.iter()
            .filter(|(k, _)| *k.table == def.key)
            .map(|(k, addends)| ((&*k.row, &*k.column), addends)),
    );
    let number = |row: &Arc<str>, col: &ColumnKey, row_label: &Arc<str>| -> Cell {
        let (column, label, col) = (&col.0, &col.1, col.2);
        let key = CellKey::shared(&table, row, column);
        let value = values.get(&(&**row, col.key.as_str())).copied().flatten();
        let content = Content::Number(NumberCell {
            sum_of: sum_of.get(&(&**row, &**column)).map(|a| Arc::clone(a)),
            key,
            text: value.map(number_text).unwrap_or_default(),
            value,
            value_type: col.value_type,
            row_label: Arc::clone(row_label),
            column_label: Arc::clone(label),
            unit: col.unit.clone(),
        });
        Cell::single(0, Align::Center, false, content)
    };
    match def.layout {
        TableLayout::Groups => groups_table(def, checks, &number),
        TableLayout::Matrix => matrix_table(def, checks, &number),
        TableLayout::RecordRow => record_row_table(def, checks, &number),
    }
}

/// The text of a number as printed (its `Display`; an integer without the formatter).
fn number_text(n: Number) -> String {
    match n {
        Number::Int(i) => i.to_string(),
        Number::Decimal(_) => n.to_string(),
    }
}

/// A column with its key and label, shared by the keys and labels of its cells.
type ColumnKey<'a> = (Arc<str>, Arc<str>, &'a crate::template::ColumnDef);

/// The columns of a table (or of a group of table 二) with their keys and labels.
fn column_keys(columns: &[crate::template::ColumnDef]) -> Vec<ColumnKey<'_>> {
    columns
        .iter()
        .map(|c| (c.key.as_str().into(), c.label.as_str().into(), c))
        .collect()
}

type NumberFn<'a> = dyn Fn(&Arc<str>, &ColumnKey, &Arc<str>) -> Cell + 'a;

fn groups_table(def: &TableDef, checks: Vec<Check>, number: &NumberFn) -> Table {
    // Each group has the columns of the format its data is in (the report's definition of the
    // table already has them: mixed reports print as published).
    let groups: Vec<&crate::template::GroupDef> = def.groups.iter().collect();
    let data_cols = groups
        .iter()
        .map(|g| g.columns.len().max(1))
        .fold(1, |a, b| a / gcd(a, b) * b);
    let columns = 1 + data_cols;
    let mut rows = Vec::new();
    for g in &groups {
        rows.push(Row {
            kind: RowKind::Caption,
            cells: vec![label_cell(0, 1, columns, &g.caption, Align::Center)],
            keep_with_next: true,
        });
        let span = data_cols / g.columns.len().max(1);
        let mut header = vec![label_cell(
            0,
            1,
            1,
            def.row_header.as_deref().unwrap_or(""),
            Align::Center,
        )];
        for (i, c) in g.columns.iter().enumerate() {
            header.push(label_cell(1 + i * span, 1, span, &c.label, Align::Center));
        }
        rows.push(Row {
            kind: RowKind::SubHeader,
            cells: header,
            keep_with_next: true,
        });
        let column_keys = column_keys(&g.columns);
        for r in g.rows.iter() {
            let key: Arc<str> = r.key.as_deref().unwrap_or_default().into();
            let row_label: Arc<str> = r.label.as_str().into();
            let mut cells = vec![label_cell(0, 1, 1, &r.label, Align::Center)];
            for (i, c) in column_keys.iter().enumerate() {
                let mut cell = number(&key, c, &row_label);
                cell.col = 1 + i * span;
                cell.col_span = span;
                cells.push(cell);
            }
            rows.push(Row {
                kind: RowKind::Body,
                cells,
                keep_with_next: false,
            });
        }
    }
    let mut widths = vec![data_cols as f32 * 0.75];
    widths.extend(std::iter::repeat_n(1.0, data_cols));
    // Table 二 has no repeated header: each group carries its own caption and column headers.
    statutory(def, columns, widths, rows, checks)
}

/// A statutory table of the layout model, named after its template definition.
fn statutory(
    def: &TableDef,
    columns: usize,
    widths: Vec<f32>,
    rows: Vec<Row>,
    checks: Vec<Check>,
) -> Table {
    Table {
        id: def.key.clone(),
        name: Some(def.name.clone()),
        title: def.title.clone(),
        columns,
        column_widths: widths,
        header_rows: def.header_rows,
        rows,
        checks,
    }
}

/// The template's column widths, or equal widths when it gives none for this grid.
fn template_widths(def: &TableDef, columns: usize) -> Vec<f32> {
    if def.column_widths.len() == columns {
        def.column_widths.clone()
    } else {
        vec![1.0; columns]
    }
}

fn header_block(def: &TableDef, offset: usize) -> Vec<Row> {
    (0..def.header_rows)
        .map(|r| Row {
            kind: RowKind::Header,
            cells: def
                .header
                .iter()
                .filter(|h| h.row == r)
                .map(|h| label_cell(h.col + offset, h.rowspan, h.colspan, &h.text, Align::Center))
                .collect(),
            keep_with_next: true,
        })
        .collect()
}

fn matrix_table(def: &TableDef, checks: Vec<Check>, number: &NumberFn) -> Table {
    let columns = def.label_columns + def.columns.len();
    let rows = header_block(def, 0);
    // Walk the row tree; a node at depth d occupies label column d, spanning its leaves;
    // a leaf's label spans the remaining label columns.
    struct Walk<'a, 'b> {
        def: &'a TableDef,
        columns: Vec<ColumnKey<'a>>,
        number: &'a NumberFn<'b>,
        pending: Vec<Cell>,
        rows: Vec<Row>,
    }
    impl Walk<'_, '_> {
        fn nodes(
            &mut self,
            nodes: &[crate::template::RowDef],
            depth: usize,
            prefix: &str,
            full_label: &str,
        ) {
            let def = self.def;
            for n in nodes {
                let key = match &n.key {
                    Some(k) if prefix.is_empty() => k.clone(),
                    Some(k) => crate::template::joined(prefix, ".", k),
                    None => prefix.to_string(),
                };
                let label = match &n.key {
                    Some(_) if !full_label.is_empty() => {
                        crate::template::joined(full_label, " ", &n.label)
                    }
                    Some(_) => n.label.clone(),
                    None => full_label.to_string(),
                };
                if n.children.is_empty() {
                    let mut cells = std::mem::take(&mut self.pending);
                    cells.push(label_cell(
                        depth,
                        1,
                        def.label_columns - depth,
                        &n.label,
                        Align::Left,
                    ));
                    let row: Arc<str> = key.as_str().into();
                    let row_label: Arc<str> = label.as_str().into();
                    for (i, c) in self.columns.iter().enumerate() {
                        let mut cell = (self.number)(&row, c, &row_label);
                        cell.col = def.label_columns + i;
                        cells.push(cell);
                    }
                    self.rows.push(Row {
                        kind: RowKind::Body,
                        cells,
                        keep_with_next: false,
                    });
                } else {
                    self.pending.push(label_cell(
                        depth,
                        n.leaf_count(),
                        1,
                        &n.label,
                        Align::Center,
                    ));
                    self.nodes(&n.children, depth + 1, &key, &label);
                }
            }
        }
    }
    let mut walk = Walk {
        def,
        columns: column_keys(&def.columns),
        number,
        pending: Vec::new(),
        rows,
    };
    walk.nodes(&def.rows, 0, "", "");
    statutory(
        def,
        columns,
        template_widths(def, columns),
        walk.rows,
        checks,
    )
}

fn record_row_table(def: &TableDef, checks: Vec<Check>, number: &NumberFn) -> Table {
    let columns = def.rows.len() * def.columns.len();
    let mut rows = header_block(def, 0);
    let mut cells = Vec::new();
    let column_keys = column_keys(&def.columns);
    for (ri, r) in crate::template::leaves(&def.rows).iter().enumerate() {
        let row: Arc<str> = r.key.as_str().into();
        let row_label: Arc<str> = r.full_label.as_str().into();
        for (ci, c) in column_keys.iter().enumerate() {
            let mut cell = number(&row, c, &row_label);
            cell.col = ri * def.columns.len() + ci;
            cells.push(cell);
        }
    }
    rows.push(Row {
        kind: RowKind::Body,
        cells,
        keep_with_next: false,
    });
    statutory(def, columns, template_widths(def, columns), rows, checks)
}

/// Breaks a title into balanced lines of at most [`TITLE_LINE_EMS`]: after the agency name when
/// both parts fit (词意完整), otherwise into equal parts; never splitting a number and never
/// leaving `报告` alone on the last line.
pub fn balance_title(title: &str, agency: &str) -> Vec<String> {
    let total = text_ems(title);
    if total <= TITLE_LINE_EMS {
        return vec![title.to_string()];
    }
    if let Some(rest) = title.strip_prefix(agency) {
        if !agency.is_empty()
            && text_ems(agency) <= TITLE_LINE_EMS
            && text_ems(rest) <= TITLE_LINE_EMS
            && text_ems(rest) >= 4.0
        {
            return vec![agency.to_string(), rest.to_string()];
        }
    }
    let chars: Vec<char> = title.chars().collect();
    let lines = (total / TITLE_LINE_EMS).ceil().max(2.0) as usize;
    let target = total / lines as f32;
    let mut out = Vec::new();
    let mut start = 0;
    for _ in 0..lines - 1 {
        let mut w = 0.0;
        let mut best = None;
        for i in start..chars.len() {
            w += text_ems(&chars[i].to_string());
            let can_break = i + 1 < chars.len()
                && !(chars[i].is_ascii_alphanumeric() && chars[i + 1].is_ascii_alphanumeric())
                && chars.len() - (i + 1) > 2;
            if can_break && w <= TITLE_LINE_EMS {
                let d = (w - target).abs();
                if best.is_none_or(|(_, bd)| d < bd) {
                    best = Some((i + 1, d));
                }
            }
            if w > TITLE_LINE_EMS {
                break;
            }
        }
        let Some((end, _)) = best else { break };
        out.push(chars[start..end].iter().collect());
        start = end;
    }
    out.push(chars[start..].iter().collect());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_break_after_the_agency_and_never_orphan_baogao() {
        assert_eq!(
            balance_title(
                "湛江市坡头区教育局2023年政府信息公开工作年度报告",
                "湛江市坡头区教育局"
            ),
            vec!["湛江市坡头区教育局", "2023年政府信息公开工作年度报告"]
        );
        let long = "某某省某某市某某县某某镇人民政府办公室综合科2023年政府信息公开工作年度报告";
        let lines = balance_title(long, "x");
        assert!(lines.len() >= 2);
        assert!(lines.iter().all(|l| text_ems(l) <= TITLE_LINE_EMS));
        assert!(lines.last().unwrap().chars().count() > 2);
        assert_eq!(lines.concat(), long);
        assert_eq!(balance_title("短标题", "短"), vec!["短标题"]);
    }
}
