//! Year on year: a report compared with last year's (`nianbao diff`).
//!
//! [`compare`] puts every statutory cell of this year's report beside last year's (change and
//! change in %), runs both reports' validation and the cross-year rules (X-01 上年结转 against
//! last year's 结转下年度继续办理, X-02 the carry-over of the stock columns, X-03 repeated
//! text), measures the similarity of the prose sections the template names for X-03 with the
//! same measure ([`crate::validate::similarity`]) and finds the sentences repeated word for
//! word. [`layout()`] turns the [`Comparison`] into a [`crate::layout::Document`], so every writer
//! prints it; [`batch`] pairs two folders of reports by agency.

pub mod batch;

use crate::finding::Finding;
use crate::layout::{
    self, Align, Block, Cell, Content, Derivation, DerivedCell, Document, Metadata, NumberCell,
    Row, RowKind, Span, Table,
};
use crate::report::{Block as ReportBlock, Number, Report};
use crate::validate;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

/// Rules whose findings are breaks of a statutory cell between the two years.
const CELL_RULES: [&str; 2] = ["X-01", "X-02"];

/// How many of the largest changes the summary lists.
pub const LARGEST: usize = 10;

/// A sentence shorter than this (in Chinese characters) is not listed as repeated: set phrases
/// such as “一是” are not repetition.
pub const MIN_SENTENCE_HANZI: usize = 6;

/// The measure X-03 uses, stated in the document.
pub const MEASURE: &str = "相似度按跨年度规则 X-03 的同一计量：去除空白后，相邻两字（字符二元组）的 Dice 系数 2×共有二元组数 ÷（本年二元组数 + 上年二元组数）";

/// One report of the pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    /// Agency.
    pub agency: String,
    /// Report year.
    pub year: i32,
    /// Format id.
    pub format: String,
    /// Title.
    pub title: String,
}

impl Side {
    fn of(r: &Report) -> Side {
        Side {
            agency: r.agency.clone(),
            year: r.year,
            format: r.template().format.clone(),
            title: r.title(),
        }
    }
}

/// Validation findings of the pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Findings {
    /// Last year's report on its own.
    pub previous: Vec<Finding>,
    /// This year's report on its own.
    pub current: Vec<Finding>,
    /// The cross-year rules (X-01, X-02, X-03) of this year's report against last year's.
    pub cross_year: Vec<Finding>,
}

/// A cross-year rule broken at a cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Break {
    /// Rule id (`X-01`).
    pub rule: String,
    /// The value last year's report implies.
    pub expected: Option<String>,
    /// The value reported.
    pub actual: Option<String>,
    /// The rule's message.
    pub message: String,
}

/// One statutory cell in both years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellChange {
    /// Table key.
    pub table: String,
    /// Dotted row key.
    pub row: String,
    /// Column key.
    pub column: String,
    /// JSON path (`applications.carried_over.natural_person`).
    pub path: String,
    /// The cell in Chinese (`表三 “二、上年结转政府信息公开申请数量” 行 “自然人” 列`).
    pub cell: String,
    /// Row label.
    pub row_label: String,
    /// Column label.
    pub column_label: String,
    /// Last year's value (`null`: blank or not in last year's format).
    #[serde(serialize_with = "number_json")]
    pub previous: Option<Number>,
    /// This year's value (`null`: blank).
    #[serde(serialize_with = "number_json")]
    pub current: Option<Number>,
    /// This year − last year, when both are given.
    #[serde(serialize_with = "number_json")]
    pub change: Option<Number>,
    /// The change as a ratio of last year's value (0.25 = +25 %), when that is not 0.
    #[serde(serialize_with = "decimal_json")]
    pub change_ratio: Option<Decimal>,
    /// The cross-year rule broken here, if any.
    pub broken: Option<Break>,
}

impl CellChange {
    /// Whether the value changed (a blank that became a number counts).
    pub fn changed(&self) -> bool {
        match (self.previous, self.current) {
            (Some(a), Some(b)) => a.to_decimal() != b.to_decimal(),
            (None, None) => false,
            _ => true,
        }
    }
}

/// A statutory table in both years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableChange {
    /// Table key.
    pub key: String,
    /// Short name (`表三`).
    pub name: String,
    /// Title.
    pub title: String,
    /// Every cell of this year's table, in the table's order.
    pub cells: Vec<CellChange>,
}

/// Counts for the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Counts {
    /// Statutory cells compared.
    pub cells: usize,
    /// Cells whose value changed.
    pub changed: usize,
    /// Cells that grew.
    pub increased: usize,
    /// Cells that shrank.
    pub decreased: usize,
    /// Cells where a cross-year rule breaks.
    pub breaks: usize,
}

/// A prose section in both years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionChange {
    /// Section key.
    pub key: String,
    /// This year's heading.
    pub heading: String,
    /// Similarity to last year's text, 0–1 ([`crate::validate::similarity`], as X-03).
    pub similarity: f64,
    /// The similarity above which X-03 warns.
    pub threshold: f64,
    /// This year's sentences found word for word in last year's section.
    pub repeated: Vec<String>,
    /// This year's text, paragraph by paragraph, the repeated sentences marked.
    pub paragraphs: Vec<Vec<Marked>>,
}

/// A run of text, marked when repeated from last year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Marked {
    /// Text.
    pub text: String,
    /// Repeated word for word from last year's report.
    pub repeated: bool,
}

/// A report compared with last year's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Last year's report.
    pub previous: Side,
    /// This year's report.
    pub current: Side,
    /// The findings of both and of the cross-year rules.
    pub findings: Findings,
    /// Counts of changed cells and breaks.
    pub counts: Counts,
    /// The largest changes (by absolute change, at most [`LARGEST`]).
    pub largest: Vec<CellChange>,
    /// Every statutory table.
    pub tables: Vec<TableChange>,
    /// The similarity measure, in words.
    pub measure: String,
    /// The prose sections compared (X-03's).
    pub sections: Vec<SectionChange>,
}

fn number_json<S: Serializer>(n: &Option<Number>, s: S) -> Result<S::Ok, S::Error> {
    match n {
        Some(n) => n.to_json().serialize(s),
        None => s.serialize_none(),
    }
}

fn decimal_json<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => Number::Decimal(*d).to_json().serialize(s),
        None => s.serialize_none(),
    }
}

/// This year − last year, as an integer when both are.
fn difference(a: Number, b: Number) -> Number {
    match (a, b) {
        (Number::Int(x), Number::Int(y)) => match y.checked_sub(x) {
            Some(d) => Number::Int(d),
            None => Number::Decimal(Decimal::from(y) - Decimal::from(x)),
        },
        _ => Number::Decimal((b.to_decimal() - a.to_decimal()).normalize()),
    }
}

/// The ratio of a change to last year's value, to 6 decimal places.
fn ratio(a: Number, b: Number) -> Option<Decimal> {
    let a = a.to_decimal();
    if a.is_zero() {
        return None;
    }
    (b.to_decimal() - a)
        .checked_div(a)
        .map(|r| r.round_dp(6).normalize())
}

/// Compares this year's report with last year's.
///
/// ```
/// let read = |f: &str| {
///     let text = std::fs::read_to_string(f).unwrap();
///     nianbao::Report::from_json(&text).unwrap()
/// };
/// let last = read("tests/fixtures/reports/pingtan_2019.json");
/// let this = read("tests/fixtures/reports/pingtan_2020_e1.json");
/// let c = nianbao::diff::compare(&last, &this);
/// // E7: 规章 对外公开总数量 0 → 7 while 本年新公开 is 0.
/// let broken: Vec<&str> = c.tables.iter().flat_map(|t| &t.cells)
///     .filter(|x| x.broken.is_some()).map(|x| x.path.as_str()).collect();
/// assert_eq!(broken, ["proactive.regulations.total_published"]);
/// ```
pub fn compare(previous: &Report, current: &Report) -> Comparison {
    compare_on(previous, current, 1)
}

/// [`compare`] with up to `threads` threads: with two or more, the two reports are validated
/// side by side. The comparison is the same whatever the number.
pub fn compare_on(previous: &Report, current: &Report, threads: usize) -> Comparison {
    // The rules other than X-* do not read last year's report: one validation gives both.
    let validate_current = || validate::validate(current, Some(previous));
    let (current_findings, previous_findings) = if threads >= 2 {
        std::thread::scope(|scope| {
            let last = scope.spawn(|| validate::validate(previous, None));
            let this = validate_current();
            let last = last
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (this, last)
        })
    } else {
        (validate_current(), validate::validate(previous, None))
    };
    let (cross_year, alone): (Vec<Finding>, Vec<Finding>) = current_findings
        .into_iter()
        .partition(|f| f.rule.starts_with("X-"));
    let findings = Findings {
        previous: previous_findings,
        current: alone,
        cross_year,
    };
    let mut tables = Vec::new();
    for d in &current.template().tables {
        let Some(def) = current.table_def(&d.key) else {
            continue;
        };
        let this = current.table_or_empty(&def.key);
        let last = previous.table(&def.key);
        let mut cells = Vec::new();
        for leaf in def.leaves() {
            for col in def.columns_of(&leaf.key) {
                let path = format!("{}.{}.{}", def.key, leaf.key, col.key);
                let (a, b) = (
                    last.and_then(|t| t.value(&leaf.key, &col.key)),
                    this.value(&leaf.key, &col.key),
                );
                let broken = findings
                    .cross_year
                    .iter()
                    .find(|f| f.path == path && CELL_RULES.contains(&f.rule.as_str()))
                    .map(|f| Break {
                        rule: f.rule.clone(),
                        expected: f.expected.clone(),
                        actual: f.actual.clone(),
                        message: f.message.clone(),
                    });
                let (change, change_ratio) = match (a, b) {
                    (Some(a), Some(b)) => (Some(difference(a, b)), ratio(a, b)),
                    _ => (None, None),
                };
                cells.push(CellChange {
                    table: def.key.clone(),
                    row: leaf.key.clone(),
                    column: col.key.clone(),
                    cell: def.cell_name(&leaf.key, &col.key),
                    row_label: leaf.full_label.clone(),
                    column_label: col.label.clone(),
                    path,
                    previous: a,
                    current: b,
                    change,
                    change_ratio,
                    broken,
                });
            }
        }
        tables.push(TableChange {
            key: def.key.clone(),
            name: def.name.clone(),
            title: def.title.clone(),
            cells,
        });
    }
    let all = || tables.iter().flat_map(|t| &t.cells);
    let sign = |c: &CellChange| c.change.map(|d| d.to_decimal().cmp(&Decimal::ZERO));
    let counts = Counts {
        cells: all().count(),
        changed: all().filter(|c| c.changed()).count(),
        increased: all()
            .filter(|c| sign(c) == Some(std::cmp::Ordering::Greater))
            .count(),
        decreased: all()
            .filter(|c| sign(c) == Some(std::cmp::Ordering::Less))
            .count(),
        breaks: all().filter(|c| c.broken.is_some()).count(),
    };
    let mut largest: Vec<&CellChange> = all()
        .filter(|c| c.change.is_some_and(|d| !d.to_decimal().is_zero()))
        .collect();
    // Stable: equal changes stay in table order.
    largest.sort_by_key(|c| std::cmp::Reverse(c.change.map(|d| d.to_decimal().abs())));
    let largest = largest.into_iter().take(LARGEST).cloned().collect();
    let repetition = &current.template().checks.repetition;
    let sections = repetition
        .sections
        .iter()
        .map(|key| section(previous, current, key, repetition.similarity_warning))
        .collect();
    Comparison {
        previous: Side::of(previous),
        current: Side::of(current),
        findings,
        counts,
        largest,
        tables,
        measure: MEASURE.to_string(),
        sections,
    }
}

/// A prose section compared: X-03's similarity and the repeated sentences.
fn section(previous: &Report, current: &Report, key: &str, threshold: f64) -> SectionChange {
    let this_blocks = current.prose(key).unwrap_or(&[]);
    let last_blocks = previous.prose(key).unwrap_or(&[]);
    let (a, b) = (
        validate::prose_text(this_blocks),
        validate::prose_text(last_blocks),
    );
    let similarity = validate::similarity(&a, &b);
    let last_compact: String = b.chars().filter(|c| !c.is_whitespace()).collect();
    let mut repeated: Vec<String> = Vec::new();
    let mut paragraphs = Vec::new();
    for block in this_blocks {
        // Sub-headings (（一）主动公开方面) are the format's own words: shown, never marked.
        let (text, heading) = match block {
            ReportBlock::Paragraph(p) => (p, false),
            ReportBlock::Heading(p) => (p, true),
            ReportBlock::Table(_) => continue,
        };
        let mut runs: Vec<Marked> = Vec::new();
        for s in sentences(text) {
            let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            let hanzi = compact.chars().filter(|c| crate::text::is_han(*c)).count();
            let is_repeated =
                !heading && hanzi >= MIN_SENTENCE_HANZI && last_compact.contains(&compact);
            if is_repeated && !repeated.contains(&compact) {
                repeated.push(compact);
            }
            match runs.last_mut() {
                Some(r) if r.repeated == is_repeated => r.text.push_str(s),
                _ => runs.push(Marked {
                    text: s.to_string(),
                    repeated: is_repeated,
                }),
            }
        }
        paragraphs.push(runs);
    }
    SectionChange {
        key: key.to_string(),
        heading: current.heading(key),
        similarity,
        threshold,
        repeated,
        paragraphs,
    }
}

/// Splits text into sentences, each keeping its closing punctuation (。！？；, `!`, `?` or a
/// line break; not the ASCII `;`, which `&amp;` contains); concatenated they give back the
/// text.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, '。' | '！' | '？' | '；' | '\n' | '!' | '?') {
            let end = i + c.len_utf8();
            out.push(&text[start..end]);
            start = end;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// A signed change as printed: `+3`, `-2`, `0`.
fn signed(n: Number) -> String {
    let d = n.to_decimal();
    if d > Decimal::ZERO {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

/// A ratio as a percentage with one decimal: `+12.5%`.
fn percent(r: Decimal) -> String {
    let p = (r * Decimal::ONE_HUNDRED).round_dp(1);
    if p > Decimal::ZERO {
        format!("+{p:.1}%")
    } else {
        format!("{p:.1}%")
    }
}

/// A similarity as a percentage.
pub fn similarity_text(s: f64) -> String {
    format!("{:.1}%", s * 100.0)
}

/// A severity in Chinese.
fn severity_name(s: crate::finding::Severity) -> &'static str {
    match s {
        crate::finding::Severity::Error => "错误",
        crate::finding::Severity::Warning => "警告",
        crate::finding::Severity::Info => "提示",
    }
}

fn text_cell(col: usize, text: &str, label: bool, align: Align) -> Cell {
    Cell::single(col, align, label, Content::Text(text.to_string()))
}

fn header_row(labels: &[&str]) -> Row {
    Row {
        kind: RowKind::Header,
        cells: labels
            .iter()
            .enumerate()
            .map(|(i, l)| text_cell(i, l, true, Align::Center))
            .collect(),
        keep_with_next: true,
    }
}

fn body_row(cells: Vec<Cell>) -> Row {
    Row {
        kind: RowKind::Body,
        cells,
        keep_with_next: false,
    }
}

const CENTER: Align = Align::Center;
const LEFT: Align = Align::Left;

/// A row standing in for an empty list: text cells, the first a label.
fn placeholder_row<const N: usize>(texts: [&str; N], aligns: [Align; N]) -> Row {
    body_row(
        texts
            .iter()
            .zip(aligns)
            .enumerate()
            .map(|(i, (t, a))| text_cell(i, t, i == 0, a))
            .collect(),
    )
}

fn table(id: &str, name: &str, title: &str, widths: Vec<f32>, rows: Vec<Row>) -> Table {
    Table {
        id: id.to_string(),
        name: Some(name.to_string()),
        title: title.to_string(),
        columns: widths.len(),
        column_widths: widths,
        header_rows: 1,
        rows,
        checks: Vec::new(),
    }
}

/// A number cell of one year: last year's carry the year in their table key
/// (`applications@2022`), so that the two years' cells stay distinct.
fn number_cell(col: usize, c: &CellChange, value: Option<Number>, year: Option<i32>) -> Cell {
    let table = match year {
        Some(y) => format!("{}@{y}", c.table),
        None => c.table.clone(),
    };
    let content = Content::Number(NumberCell {
        key: layout::CellKey::new(&table, &c.row, &c.column),
        value,
        text: value.map(|v| v.to_string()).unwrap_or_default(),
        value_type: match value {
            Some(Number::Decimal(_)) => crate::template::ValueType::Amount,
            _ => crate::template::ValueType::Signed,
        },
        sum_of: None,
        row_label: c.row_label.as_str().into(),
        column_label: c.column_label.as_str().into(),
        unit: None,
    });
    Cell::single(col, Align::Center, false, content)
}

fn derived_cell(col: usize, derivation: Derivation, from: usize, c: &CellChange) -> Cell {
    let (value, text) = match derivation {
        Derivation::Change => (
            c.change.map(Number::to_decimal),
            c.change.map(signed).unwrap_or_else(|| "—".into()),
        ),
        Derivation::ChangeRatio => (
            c.change_ratio,
            c.change_ratio.map(percent).unwrap_or_else(|| "—".into()),
        ),
    };
    let content = Content::Derived(DerivedCell {
        derivation,
        from,
        to: from + 1,
        value,
        text,
    });
    Cell::single(col, Align::Center, false, content)
}

/// The comparison as a document every writer prints: the summary (counts, findings of both
/// reports and of the cross-year rules, the largest changes), every statutory cell side by
/// side with the breaks marked, then the prose sections with their similarity and the
/// repeated sentences marked and listed.
pub fn layout(c: &Comparison) -> Document {
    let (py, cy) = (c.previous.year, c.current.year);
    let title = format!("{}（与{py}年度对比）", c.current.title);
    let mut blocks = Vec::new();
    let heading = |level: u8, text: &str, section: Option<&str>| Block::Heading {
        level,
        text: text.to_string(),
        section: section.map(str::to_string),
    };
    // 一、summary
    blocks.push(heading(1, "一、概要", Some("summary")));
    blocks.push(Block::Paragraph(format!(
        "本文件将《{}》与上一年度的《{}》逐项对比。",
        c.current.title, c.previous.title
    )));
    let sims: Vec<String> = c
        .sections
        .iter()
        .map(|s| format!("“{}”{}", s.heading, similarity_text(s.similarity)))
        .collect();
    blocks.push(Block::Paragraph(format!(
        "统计表共对比 {} 个单元格，其中 {} 个有变化（增加 {} 个，减少 {} 个）；跨年度衔接不一致 {} 处。与上年文字的相似度：{}。",
        c.counts.cells,
        c.counts.changed,
        c.counts.increased,
        c.counts.decreased,
        c.counts.breaks,
        if sims.is_empty() { "—".to_string() } else { sims.join("，") }
    )));
    let counts = [
        ("对比的单元格", c.counts.cells.to_string()),
        ("有变化的单元格", c.counts.changed.to_string()),
        ("增加", c.counts.increased.to_string()),
        ("减少", c.counts.decreased.to_string()),
        ("跨年度衔接不一致", c.counts.breaks.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .chain(c.sections.iter().flat_map(|s| {
        [
            (
                format!("{} 与上年相似度", s.heading),
                similarity_text(s.similarity),
            ),
            (
                format!("{} 逐字重复的句子", s.heading),
                s.repeated.len().to_string(),
            ),
        ]
    }));
    let mut rows = vec![header_row(&["项目", "数值"])];
    for (k, v) in counts {
        rows.push(body_row(vec![
            text_cell(0, &k, true, Align::Left),
            text_cell(1, &v, false, Align::Center),
        ]));
    }
    blocks.push(Block::Table(table(
        "summary.counts",
        "概要",
        "对比概要",
        vec![4.0, 1.5],
        rows,
    )));
    // findings
    let mut rows = vec![header_row(&["报告", "规则", "级别", "位置", "说明"])];
    let groups = [
        (format!("{py}年度"), &c.findings.previous),
        (format!("{cy}年度"), &c.findings.current),
        ("跨年度".to_string(), &c.findings.cross_year),
    ];
    for (who, list) in groups {
        for f in list.iter() {
            let mut row = vec![
                text_cell(0, &who, true, Align::Center),
                text_cell(1, &f.rule, false, Align::Center),
                text_cell(2, severity_name(f.severity), false, Align::Center),
                text_cell(3, &f.cell, false, Align::Left),
                text_cell(4, &f.message, false, Align::Left),
            ];
            if f.rule.starts_with("X-") {
                row.iter_mut().skip(1).for_each(|cell| cell.marked = true);
            }
            rows.push(body_row(row));
        }
    }
    if rows.len() == 1 {
        rows.push(placeholder_row(
            ["—", "—", "—", "—", "两份报告均未发现问题"],
            [CENTER, CENTER, CENTER, LEFT, LEFT],
        ));
    }
    blocks.push(Block::Table(table(
        "summary.findings",
        "校验结果",
        "两份报告的校验结果与跨年度核对",
        vec![1.4, 0.9, 0.9, 3.5, 5.0],
        rows,
    )));
    // largest changes
    let year_headers = [format!("{py}年度"), format!("{cy}年度")];
    let mut rows = vec![header_row(&[
        "单元格",
        &year_headers[0],
        &year_headers[1],
        "增减",
        "增减幅度",
    ])];
    for x in &c.largest {
        rows.push(body_row(vec![
            text_cell(0, &x.cell, true, Align::Left),
            number_cell(1, x, x.previous, Some(py)),
            number_cell(2, x, x.current, None),
            derived_cell(3, Derivation::Change, 1, x),
            derived_cell(4, Derivation::ChangeRatio, 1, x),
        ]));
    }
    if c.largest.is_empty() {
        rows.push(placeholder_row(
            ["没有变化的单元格", "", "", "", ""],
            [LEFT, CENTER, CENTER, CENTER, CENTER],
        ));
    }
    blocks.push(Block::Table(table(
        "summary.largest",
        "变化最大",
        "变化最大的单元格",
        vec![5.0, 1.2, 1.2, 1.0, 1.2],
        rows,
    )));
    // 二、every statutory cell
    blocks.push(heading(1, "二、统计表逐项对比", Some("tables")));
    for t in &c.tables {
        blocks.push(heading(2, &format!("{}　{}", t.name, t.title), None));
        let mut rows = vec![header_row(&[
            "行",
            "列",
            &year_headers[0],
            &year_headers[1],
            "增减",
            "增减幅度",
            "跨年度核对",
        ])];
        for x in &t.cells {
            let mut this = number_cell(3, x, x.current, None);
            let check = match &x.broken {
                Some(b) => {
                    this.marked = true;
                    let mut cell = text_cell(
                        6,
                        &format!(
                            "{} 不衔接：应为 {}，实为 {}",
                            b.rule,
                            b.expected.as_deref().unwrap_or("—"),
                            b.actual.as_deref().unwrap_or("—")
                        ),
                        false,
                        Align::Left,
                    );
                    cell.marked = true;
                    cell
                }
                None => text_cell(6, "", false, Align::Left),
            };
            rows.push(body_row(vec![
                text_cell(0, &x.row_label, true, Align::Left),
                text_cell(1, &x.column_label, true, Align::Center),
                number_cell(2, x, x.previous, Some(py)),
                this,
                derived_cell(4, Derivation::Change, 2, x),
                derived_cell(5, Derivation::ChangeRatio, 2, x),
                check,
            ]));
        }
        blocks.push(Block::Table(table(
            &format!("compare.{}", t.key),
            &format!("{}对比", t.name),
            &t.title,
            vec![4.5, 1.6, 1.1, 1.1, 1.0, 1.2, 2.6],
            rows,
        )));
    }
    // 三、the prose
    blocks.push(heading(1, "三、文字对比", Some("prose")));
    blocks.push(Block::Paragraph(format!(
        "{}；超过 {:.0}% 即提示“年年雷同”（X-03）。下文为本年度报告的原文，与上年报告逐字相同的句子以标记显示，并列于其后。",
        c.measure,
        c.sections.first().map(|s| s.threshold * 100.0).unwrap_or(50.0)
    )));
    for s in &c.sections {
        blocks.push(heading(2, &s.heading, None));
        blocks.push(Block::Paragraph(format!(
            "与上年报告的相似度为 {}；逐字重复的句子 {} 句。",
            similarity_text(s.similarity),
            s.repeated.len()
        )));
        for p in &s.paragraphs {
            blocks.push(Block::Marked(
                p.iter()
                    .map(|m| Span {
                        text: m.text.clone(),
                        marked: m.repeated,
                    })
                    .collect(),
            ));
        }
        let mut rows = vec![header_row(&["序号", "与上年逐字相同的句子"])];
        for (i, r) in s.repeated.iter().enumerate() {
            let mut cell = text_cell(1, r, false, Align::Left);
            cell.marked = true;
            rows.push(body_row(vec![
                text_cell(0, &(i + 1).to_string(), true, Align::Center),
                cell,
            ]));
        }
        if s.repeated.is_empty() {
            rows.push(body_row(vec![
                text_cell(0, "—", true, Align::Center),
                text_cell(1, "没有与上年逐字相同的句子", false, Align::Left),
            ]));
        }
        blocks.push(Block::Table(table(
            &format!("repeated.{}", s.key),
            "重复句子",
            &format!("{} 与上年逐字相同的句子", s.heading),
            vec![1.0, 9.0],
            rows,
        )));
    }
    let mut findings = c.findings.cross_year.clone();
    findings.extend(c.findings.current.iter().cloned());
    Document {
        title_lines: layout::balance_title(&title, &c.current.agency),
        meta: Metadata {
            title: title.clone(),
            author: c.current.agency.clone(),
            agency: c.current.agency.clone(),
            year: cy,
            format: c.current.format.clone(),
            subject: "年度报告对比 (year-on-year comparison)".into(),
            language: "zh-CN".into(),
            date: None,
            level: None,
        },
        title,
        blocks,
        findings,
        lints: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_give_back_the_text() {
        let t = "一是甲；二是乙。&amp;丙\n丁";
        assert_eq!(sentences(t), ["一是甲；", "二是乙。", "&amp;丙\n", "丁"]);
        assert_eq!(sentences(t).concat(), t);
        assert!(sentences("").is_empty());
    }

    #[test]
    fn changes_are_exact() {
        assert_eq!(
            difference(Number::Int(470), Number::Int(440)),
            Number::Int(-30)
        );
        let d = |s: &str| Number::Decimal(s.parse().unwrap());
        assert_eq!(difference(d("1.5"), d("2.25")), d("0.75"));
        assert_eq!(ratio(Number::Int(0), Number::Int(3)), None);
        assert_eq!(
            ratio(Number::Int(4), Number::Int(5)),
            Some("0.25".parse().unwrap())
        );
        assert_eq!(percent("0.25".parse().unwrap()), "+25.0%");
        assert_eq!(percent("-0.063830".parse().unwrap()), "-6.4%");
        assert_eq!(signed(Number::Int(3)), "+3");
        assert_eq!(signed(Number::Int(-3)), "-3");
    }
}
