//! XLSX writer: the tables for statisticians, built from the layout model only.
//!
//! Workbook shape (see docs/xlsx.md):
//! - one sheet per statutory table (`表二`, `表三`, `表四`), laid out like the official table: row 1
//!   is the title, the layout grid starts at row 2 (grid row *r*, column *c* → sheet row *r* + 2,
//!   column *c* + 1) with the same merges. Input cells hold numbers; every sum cell
//!   ([`NumberCell::sum_of`]) is a live `=SUM(…)` formula whose cached result is what the formula
//!   computes from the input cells.
//! - below the table, one check row per rule laid out along a column (e.g. `A-01`, `A-02`), and
//!   right of it one check column per rule laid out along a row (`A-03`): `TRUE`/`FALSE`
//!   formulas with red/green conditional formatting.
//! - below the checks, the block `报表填报值`: for every sum cell the value as reported, the
//!   formula result and whether they agree. The check formulas compare the *reported* totals
//!   (as validation does), so a report whose printed 总计 disagrees with its rows shows `FALSE`.
//! - `数据`: every statutory cell in long form, as an Excel Table.
//! - `校验`: the validation findings.

use crate::layout::{CellKey, Check, Content, Document, NumberCell, RowKind, Table};
use crate::options::{ExportError, ExportOptions, Output};
use crate::report::Number;
use crate::template::{Severity, ValueType};
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Color, ConditionalFormatCell, ConditionalFormatCellRule, DataValidation,
    DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime, Format,
    FormatAlign, FormatBorder, Formula, Table as XTable, TableColumn, TableStyle, Workbook,
    Worksheet, XlsxError,
};
use std::collections::{BTreeMap, HashMap};

/// Row of the sheet where the layout grid starts (row 0 holds the title).
pub const GRID_ROW: u32 = 1;

fn err(e: XlsxError) -> ExportError {
    ExportError::Writer {
        target: "xlsx",
        message: e.to_string(),
    }
}

/// Display width in spreadsheet column units: CJK and other wide characters count 2, ASCII 1.
pub fn display_width(s: &str) -> f64 {
    s.chars()
        .map(|c| if (c as u32) < 0x1100 { 1.0 } else { 2.0 })
        .sum()
}

/// Column letters for a 0-based column index (`0` → `A`).
pub fn col_name(mut col: u16) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// A1 reference for a 0-based row and column.
pub fn cell_ref(row: u32, col: u16) -> String {
    format!("{}{}", col_name(col), row + 1)
}

/// `=SUM(…)` arguments for a list of cells, merging runs of adjacent cells into ranges.
pub fn sum_args(cells: &[(u32, u16)]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < cells.len() {
        let (r0, c0) = cells[i];
        let mut j = i;
        // Vertical run.
        while j + 1 < cells.len() && cells[j + 1].1 == c0 && cells[j + 1].0 == cells[j].0 + 1 {
            j += 1;
        }
        if j == i {
            // Horizontal run.
            while j + 1 < cells.len() && cells[j + 1].0 == r0 && cells[j + 1].1 == cells[j].1 + 1 {
                j += 1;
            }
        }
        if j == i {
            parts.push(cell_ref(r0, c0));
        } else {
            parts.push(format!(
                "{}:{}",
                cell_ref(r0, c0),
                cell_ref(cells[j].0, cells[j].1)
            ));
        }
        i = j + 1;
    }
    parts.join(",")
}

/// A number as `f64` for a cell (decimals via their exact text).
pub fn number_f64(n: Number) -> f64 {
    match n {
        Number::Int(i) => i as f64,
        Number::Decimal(d) => d.to_string().parse().unwrap_or(0.0),
    }
}

/// A decimal as the text cached for a formula result.
pub fn decimal_text(d: Decimal) -> String {
    d.normalize().to_string()
}

/// The formats shared by the workbooks.
pub struct Styles {
    /// Sheet title.
    pub title: Format,
    /// Header / caption cells.
    pub header: Format,
    /// Row labels in the body.
    pub label: Format,
    /// Centred labels in the body (vertical group labels).
    pub label_center: Format,
    /// Count input cells.
    pub count: Format,
    /// Amount input cells.
    pub amount: Format,
    /// Formula cells (sums).
    pub calc: Format,
    /// Formula cells with amounts.
    pub calc_amount: Format,
    /// Check cells.
    pub check: Format,
    /// Plain text cells (data sheets).
    pub text: Format,
    /// Green fill for TRUE checks.
    pub ok: Format,
    /// Red fill for FALSE checks.
    pub bad: Format,
    /// Notes under the table.
    pub note: Format,
}

impl Styles {
    /// The standard style set (宋体, charset GB2312).
    pub fn new() -> Styles {
        let base = || {
            Format::new()
                .set_font_name("宋体")
                .set_font_charset(134)
                .set_font_size(10.5)
        };
        let boxed = || {
            base()
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap()
        };
        Styles {
            title: base()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            header: boxed()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0xE7E6E6)),
            label: boxed().set_align(FormatAlign::Left),
            label_center: boxed().set_align(FormatAlign::Center),
            count: boxed().set_align(FormatAlign::Center).set_num_format("0"),
            amount: boxed()
                .set_align(FormatAlign::Center)
                .set_num_format("0.00##"),
            calc: boxed()
                .set_align(FormatAlign::Center)
                .set_num_format("0")
                .set_background_color(Color::RGB(0xE2EFDA)),
            calc_amount: boxed()
                .set_align(FormatAlign::Center)
                .set_num_format("0.00##")
                .set_background_color(Color::RGB(0xE2EFDA)),
            // An explicit boolean number format: LibreOffice shows a boolean formula result
            // whose format it has not inferred as 1/0; with this format it reads TRUE/FALSE
            // everywhere (Excel shows booleans as TRUE/FALSE regardless).
            check: boxed()
                .set_align(FormatAlign::Center)
                .set_bold()
                .set_num_format("\"TRUE\";\"TRUE\";\"FALSE\""),
            text: base(),
            ok: Format::new()
                .set_background_color(Color::RGB(0xC6EFCE))
                .set_font_color(Color::RGB(0x006100)),
            bad: Format::new()
                .set_background_color(Color::RGB(0xFFC7CE))
                .set_font_color(Color::RGB(0x9C0006)),
            note: base().set_font_color(Color::RGB(0x595959)),
        }
    }
}

impl Default for Styles {
    fn default() -> Self {
        Styles::new()
    }
}

/// Red/green conditional formats on a check cell.
pub fn check_colours(ws: &mut Worksheet, row: u32, col: u16, s: &Styles) -> Result<(), XlsxError> {
    let t = ConditionalFormatCell::new()
        .set_rule(ConditionalFormatCellRule::EqualTo(true))
        .set_format(&s.ok);
    let f = ConditionalFormatCell::new()
        .set_rule(ConditionalFormatCellRule::EqualTo(false))
        .set_format(&s.bad);
    ws.add_conditional_format(row, col, row, col, &t)?;
    ws.add_conditional_format(row, col, row, col, &f)?;
    Ok(())
}

/// Sets A4 landscape, one page wide, repeated rows `0..=repeat_to`, and the page footer.
pub fn print_setup(ws: &mut Worksheet, repeat_to: Option<u32>) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_footer("&C第 &P 页，共 &N 页");
    if let Some(r) = repeat_to {
        ws.set_repeat_rows(0, r)?;
    }
    Ok(())
}

/// Document properties with a fixed creation date.
pub fn properties(
    title: &str,
    author: &str,
    subject: &str,
    date: crate::report::Date,
) -> Result<DocProperties, XlsxError> {
    let dt = ExcelDateTime::from_ymd(
        date.year.clamp(1900, 9999) as u16,
        date.month as u8,
        date.day as u8,
    )?
    .and_hms(0, 0, 0)?;
    Ok(DocProperties::new()
        .set_title(title)
        .set_author(author)
        .set_company(author)
        .set_subject(subject)
        .set_keywords("政府信息公开工作年度报告")
        .set_creation_datetime(&dt))
}

/// A data validation for input cells of a value type over space-separated ranges.
pub fn input_validation(ty: ValueType, ranges: &str) -> Result<DataValidation, XlsxError> {
    let dv = DataValidation::new();
    let dv = match ty {
        ValueType::Count => dv
            .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
            .set_error_title("件数无效")?
            .set_error_message("件数应为不小于 0 的整数 (counts are whole numbers ≥ 0)")?,
        ValueType::Signed => dv
            .allow_whole_number(DataValidationRule::Between(-2_000_000_000, 2_000_000_000))
            .set_error_title("数量无效")?
            .set_error_message("应为整数 (whole number)")?,
        ValueType::Amount => dv
            .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
            .set_error_title("金额无效")?
            .set_error_message("金额应为不小于 0 的数 (amounts are ≥ 0)")?,
    };
    Ok(dv
        .set_error_style(DataValidationErrorStyle::Stop)
        .set_multi_range(ranges))
}

/// Writes the document as XLSX.
pub fn write(doc: &Document, opts: &ExportOptions) -> Result<Output, ExportError> {
    let mut wb = Workbook::new();
    // Level 1 halves the writing time (7.8 → 4.0 ms for the seed) for ~25% larger files.
    wb.set_zip_compression_level(1);
    let s = Styles::new();
    let date = opts.effective_date(doc);
    let props =
        properties(&doc.meta.title, &doc.meta.author, &doc.meta.subject, date).map_err(err)?;
    wb.set_properties(&props);
    let mut warnings = Vec::new();
    let mut used_names: Vec<String> = Vec::new();
    for block in &doc.blocks {
        if let crate::layout::Block::Table(t) = block {
            if t.name.is_none() {
                continue;
            }
            let name = sheet_name(t, &mut used_names);
            let ws = wb.add_worksheet();
            ws.set_name(&name).map_err(err)?;
            table_sheet(ws, t, &s, &mut warnings).map_err(err)?;
        }
    }
    data_sheet(wb.add_worksheet(), doc, &s).map_err(err)?;
    findings_sheet(wb.add_worksheet(), doc, &s).map_err(err)?;
    let bytes = wb.save_to_buffer().map_err(err)?;
    Ok(Output { bytes, warnings })
}

fn sheet_name(t: &Table, used: &mut Vec<String>) -> String {
    let base: String = t
        .name
        .clone()
        .unwrap_or_else(|| t.id.clone())
        .chars()
        .filter(|c| !"[]:*?/\\'".contains(*c))
        .take(28)
        .collect();
    let base = if base.is_empty() {
        "表".to_string()
    } else {
        base
    };
    let mut name = base.clone();
    let mut n = 2;
    while used.contains(&name) || name == "数据" || name == "校验" {
        name = format!("{base}{n}");
        n += 1;
    }
    used.push(name.clone());
    name
}

/// A placed number cell.
struct Placed<'a> {
    row: u32,
    col: u16,
    cell: &'a NumberCell,
}

/// Sum of reported-or-computed values: sum cells evaluate their formula recursively.
fn computed(
    key: &CellKey,
    cells: &HashMap<&CellKey, Placed>,
    memo: &mut HashMap<CellKey, Decimal>,
    depth: usize,
) -> Decimal {
    if let Some(v) = memo.get(key) {
        return *v;
    }
    let Some(p) = cells.get(key) else {
        return Decimal::ZERO;
    };
    let v = match &p.cell.sum_of {
        Some(addends) if depth < 64 => addends
            .iter()
            .map(|k| computed(k, cells, memo, depth + 1))
            .sum(),
        _ => p
            .cell
            .value
            .map(Number::to_decimal)
            .unwrap_or(Decimal::ZERO),
    };
    memo.insert(key.clone(), v);
    v
}

fn is_amount(c: &NumberCell) -> bool {
    c.value_type == ValueType::Amount
}

/// Where a rule's check cells go.
enum Placement {
    /// One row below the table; each instance under the column of its left cell.
    RowBelow,
    /// One column right of the table; each instance beside the row of its left cell.
    ColumnRight,
    /// One row per instance below the table.
    List,
}

fn table_sheet(
    ws: &mut Worksheet,
    t: &Table,
    s: &Styles,
    warnings: &mut Vec<String>,
) -> Result<(), XlsxError> {
    let columns = t.columns.max(1);
    // Place every number cell.
    let mut placed: HashMap<&CellKey, Placed> = HashMap::new();
    let mut order: Vec<&CellKey> = Vec::new();
    let mut first_data_col = columns as u16;
    for (ri, row) in t.rows.iter().enumerate() {
        for c in &row.cells {
            if let Content::Number(n) = &c.content {
                let p = Placed {
                    row: GRID_ROW + ri as u32,
                    col: c.col as u16,
                    cell: n,
                };
                first_data_col = first_data_col.min(c.col as u16);
                if placed.insert(&n.key, p).is_none() {
                    order.push(&n.key);
                }
            }
        }
    }
    let mut memo = HashMap::new();
    // Title.
    let title = match &t.name {
        Some(n) => format!("{n}　{}", t.title),
        None => t.title.clone(),
    };
    if columns > 1 {
        ws.merge_range(0, 0, 0, columns as u16 - 1, &title, &s.title)?;
    } else {
        ws.write_string_with_format(0, 0, &title, &s.title)?;
    }
    ws.set_row_height(0, 24)?;
    // Column widths (CJK-aware) from single-span cells first, then widen for multi-span cells.
    let mut widths = vec![4.0f64; columns];
    let need = |c: &crate::layout::Cell| -> f64 {
        let w = display_width(c.content.text()) + 2.0;
        if c.row_span > 1 {
            w.min(12.0)
        } else {
            w.min(30.0)
        }
    };
    for row in &t.rows {
        for c in row
            .cells
            .iter()
            .filter(|c| c.col_span == 1 && c.col < columns)
        {
            let mut w = need(c);
            if matches!(c.content, Content::Number(_)) {
                w = w.max(9.0);
            } else if row.kind != RowKind::Body {
                // Header words wrap; keep them from dictating width beyond 2 lines.
                w = (w / 2.0).max(8.0);
            }
            widths[c.col] = widths[c.col].max(w);
        }
    }
    for row in &t.rows {
        for c in row
            .cells
            .iter()
            .filter(|c| c.col_span > 1 && c.col < columns)
        {
            let end = (c.col + c.col_span).min(columns);
            let have: f64 = widths[c.col..end].iter().sum();
            let w = if row.kind == RowKind::Body {
                need(c)
            } else {
                0.0
            };
            if w > have {
                widths[end - 1] += w - have;
            }
        }
    }
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width(i as u16, *w)?;
    }
    // Grid.
    for (ri, row) in t.rows.iter().enumerate() {
        let r = GRID_ROW + ri as u32;
        let mut lines = 1.0f64;
        for c in &row.cells {
            if c.col >= columns {
                continue;
            }
            let col = c.col as u16;
            let last_col = (c.col + c.col_span.max(1) - 1).min(columns - 1) as u16;
            let last_row = r + c.row_span.max(1) as u32 - 1;
            let fmt = match (&c.content, row.kind) {
                (Content::Text(_), RowKind::Body) if c.align == crate::layout::Align::Left => {
                    &s.label
                }
                (Content::Text(_), RowKind::Body) => &s.label_center,
                (Content::Text(_), _) => &s.header,
                (Content::Number(n), _) => match (&n.sum_of, is_amount(n)) {
                    (Some(_), false) => &s.calc,
                    (Some(_), true) => &s.calc_amount,
                    (None, false) => &s.count,
                    (None, true) => &s.amount,
                },
            };
            if last_col > col || last_row > r {
                ws.merge_range(r, col, last_row, last_col, "", fmt)?;
            }
            match &c.content {
                Content::Text(text) => {
                    ws.write_string_with_format(r, col, text, fmt)?;
                    if c.row_span == 1 {
                        let avail: f64 = widths[c.col..=last_col as usize].iter().sum();
                        lines = lines.max((display_width(text) / (avail - 1.0).max(1.0)).ceil());
                    }
                }
                Content::Number(n) => match &n.sum_of {
                    Some(addends) => {
                        let refs: Vec<(u32, u16)> = addends
                            .iter()
                            .filter_map(|k| placed.get(k).map(|p| (p.row, p.col)))
                            .collect();
                        if refs.len() != addends.len() {
                            warnings.push(format!(
                                "{}: 合计单元格 {} 的部分加数不在表中 (some addends are not in the table)",
                                t.id,
                                n.key.path()
                            ));
                        }
                        let v = computed(&n.key, &placed, &mut memo, 0);
                        let args = if refs.is_empty() {
                            "0".to_string()
                        } else {
                            sum_args(&refs)
                        };
                        let f = Formula::new(format!("=SUM({args})")).set_result(decimal_text(v));
                        ws.write_formula_with_format(r, col, f, fmt)?;
                    }
                    None => match n.value {
                        Some(v) => {
                            ws.write_number_with_format(r, col, number_f64(v), fmt)?;
                        }
                        None => {
                            ws.write_blank(r, col, fmt)?;
                        }
                    },
                },
            }
        }
        if row
            .cells
            .iter()
            .any(|c| matches!(c.content, Content::Text(_)))
        {
            ws.set_row_height(r, 14.0 * lines + 4.0)?;
        }
    }
    let grid_end = GRID_ROW + t.rows.len() as u32; // first row after the grid
    let header_rows = t.header_rows as u32;
    // Reported-value block positions are needed by the check formulas: lay out checks first
    // (their rows are known), then the block.
    let sums: Vec<&CellKey> = order
        .iter()
        .copied()
        .filter(|k| placed.get(k).is_some_and(|p| p.cell.sum_of.is_some()))
        .collect();
    // Group checks by rule id in order of appearance.
    let mut rules: Vec<(String, Vec<&Check>)> = Vec::new();
    for c in &t.checks {
        match rules.iter_mut().find(|(id, _)| *id == c.rule) {
            Some((_, v)) => v.push(c),
            None => rules.push((c.rule.clone(), vec![c])),
        }
    }
    let pos = |k: &CellKey| placed.get(k).map(|p| (p.row, p.col));
    let placements: Vec<Placement> = rules
        .iter()
        .map(|(_, checks)| {
            let lefts: Vec<Option<(u32, u16)>> = checks
                .iter()
                .map(|c| c.left.first().and_then(pos))
                .collect();
            if lefts.iter().any(|p| p.is_none()) {
                return Placement::List;
            }
            let lefts: Vec<(u32, u16)> = lefts.into_iter().flatten().collect();
            let distinct = |v: Vec<u32>| {
                let mut w = v.clone();
                w.sort();
                w.dedup();
                w.len() == v.len()
            };
            let same_col = checks.iter().all(|c| {
                let col = c.left.first().and_then(pos).map(|p| p.1);
                c.left
                    .iter()
                    .chain(&c.right)
                    .all(|k| pos(k).map(|p| p.1) == col)
            });
            let same_row = checks.iter().all(|c| {
                let row = c.left.first().and_then(pos).map(|p| p.0);
                c.left
                    .iter()
                    .chain(&c.right)
                    .all(|k| pos(k).map(|p| p.0) == row)
            });
            let cols_distinct = distinct(lefts.iter().map(|p| p.1 as u32).collect());
            let rows_distinct = distinct(lefts.iter().map(|p| p.0).collect());
            if cols_distinct && (same_col || !(same_row && rows_distinct)) {
                Placement::RowBelow
            } else if rows_distinct {
                Placement::ColumnRight
            } else {
                Placement::List
            }
        })
        .collect();
    let rows_below: u32 = rules
        .iter()
        .zip(&placements)
        .map(|((_, cs), p)| match p {
            Placement::RowBelow => 1,
            Placement::List => cs.len() as u32,
            Placement::ColumnRight => 0,
        })
        .sum();
    let check_start = grid_end + 1;
    let block_title_row = check_start + rows_below + 1;
    let block_first = block_title_row + 1;
    let reported: HashMap<&CellKey, (u32, u16)> = sums
        .iter()
        .enumerate()
        .map(|(i, k)| {
            (
                *k,
                (
                    block_first + i as u32,
                    columns.saturating_sub(3).max(1) as u16,
                ),
            )
        })
        .collect();
    // A side of a check: reported values (input cells, and the reported value of sum cells).
    let side = |keys: &[CellKey]| -> (String, Decimal) {
        let refs: Vec<(u32, u16)> = keys
            .iter()
            .filter_map(|k| reported.get(k).copied().or_else(|| pos(k)))
            .collect();
        let v: Decimal = keys
            .iter()
            .filter_map(|k| placed.get(k))
            .filter_map(|p| p.cell.value)
            .map(Number::to_decimal)
            .sum();
        (
            format!(
                "SUM({})",
                if refs.is_empty() {
                    "0".into()
                } else {
                    sum_args(&refs)
                }
            ),
            v,
        )
    };
    let check_formula = |c: &Check| -> (Formula, bool) {
        let (l, lv) = side(&c.left);
        let (r, rv) = side(&c.right);
        let amounts = c
            .left
            .iter()
            .chain(&c.right)
            .any(|k| placed.get(k).is_some_and(|p| is_amount(p.cell)));
        let holds = lv == rv;
        let text = if amounts {
            format!("=ROUND({l}-{r},6)=0")
        } else {
            format!("={l}={r}")
        };
        (
            Formula::new(text).set_result(if holds { "TRUE" } else { "FALSE" }),
            holds,
        )
    };
    let label_span_end = first_data_col.saturating_sub(1);
    let mut next_row = check_start;
    let mut next_col = columns as u16;
    for ((id, checks), placement) in rules.iter().zip(&placements) {
        let desc = &checks[0].description;
        match placement {
            Placement::RowBelow => {
                let r = next_row;
                next_row += 1;
                let text = format!("{id} 校验：{desc}");
                if first_data_col == 0 {
                    ws.write_string_with_format(r, columns as u16, &text, &s.note)?;
                } else if label_span_end > 0 {
                    ws.merge_range(r, 0, r, label_span_end, &text, &s.header)?;
                } else {
                    ws.write_string_with_format(r, 0, &text, &s.header)?;
                }
                ws.set_row_height(r, 30)?;
                for c in checks {
                    let Some((_, col)) = c.left.first().and_then(pos) else {
                        continue;
                    };
                    let (f, _) = check_formula(c);
                    ws.write_formula_with_format(r, col, f, &s.check)?;
                    check_colours(ws, r, col, s)?;
                }
            }
            Placement::ColumnRight => {
                let col = next_col;
                next_col += 1;
                let text = format!("{id} 校验：{desc}");
                let top = GRID_ROW;
                let bottom = (GRID_ROW + header_rows).max(GRID_ROW + 1) - 1;
                if bottom > top {
                    ws.merge_range(top, col, bottom, col, &text, &s.header)?;
                } else {
                    ws.write_string_with_format(top, col, &text, &s.header)?;
                }
                ws.set_column_width(col, 12)?;
                for c in checks {
                    let Some((row, _)) = c.left.first().and_then(pos) else {
                        continue;
                    };
                    let (f, _) = check_formula(c);
                    ws.write_formula_with_format(row, col, f, &s.check)?;
                    check_colours(ws, row, col, s)?;
                }
            }
            Placement::List => {
                for c in checks {
                    let r = next_row;
                    next_row += 1;
                    let text = format!("{id} 校验（{}）：{desc}", c.scope);
                    let col = first_data_col.min(columns as u16 - 1).max(1);
                    if col > 1 {
                        ws.merge_range(r, 0, r, col - 1, &text, &s.header)?;
                    } else {
                        ws.write_string_with_format(r, 0, &text, &s.header)?;
                    }
                    let (f, _) = check_formula(c);
                    ws.write_formula_with_format(r, col, f, &s.check)?;
                    check_colours(ws, r, col, s)?;
                }
            }
        }
    }
    // The reported values of the sum cells.
    if !sums.is_empty() {
        let vcol = columns.saturating_sub(3).max(1) as u16;
        let headers = ["报表填报值", "公式计算值", "一致"];
        if vcol > 1 {
            ws.merge_range(
                block_title_row,
                0,
                block_title_row,
                vcol - 1,
                "合计单元格：报表填报值与公式计算值",
                &s.header,
            )?;
        } else {
            ws.write_string_with_format(block_title_row, 0, "合计单元格", &s.header)?;
        }
        for (i, h) in headers.iter().enumerate() {
            ws.write_string_with_format(block_title_row, vcol + i as u16, *h, &s.header)?;
        }
        let mut by_type: BTreeMap<u8, (ValueType, Vec<String>)> = BTreeMap::new();
        for (i, k) in sums.iter().enumerate() {
            let r = block_first + i as u32;
            let Some(p) = placed.get(k) else { continue };
            let n = p.cell;
            let name = format!("{} / {}", n.row_label, n.column_label);
            if vcol > 1 {
                ws.merge_range(r, 0, r, vcol - 1, &name, &s.label)?;
            } else {
                ws.write_string_with_format(r, 0, &name, &s.label)?;
            }
            let (infmt, calcfmt) = if is_amount(n) {
                (&s.amount, &s.calc_amount)
            } else {
                (&s.count, &s.calc)
            };
            match n.value {
                Some(v) => ws.write_number_with_format(r, vcol, number_f64(v), infmt)?,
                None => ws.write_blank(r, vcol, infmt)?,
            };
            let cv = computed(k, &placed, &mut memo, 0);
            ws.write_formula_with_format(
                r,
                vcol + 1,
                Formula::new(format!("={}", cell_ref(p.row, p.col))).set_result(decimal_text(cv)),
                calcfmt,
            )?;
            let rv = n.value.map(Number::to_decimal).unwrap_or(Decimal::ZERO);
            let same = rv == cv;
            let text = if is_amount(n) {
                format!(
                    "=ROUND(SUM({})-SUM({}),6)=0",
                    cell_ref(r, vcol),
                    cell_ref(r, vcol + 1)
                )
            } else {
                format!("=SUM({})=SUM({})", cell_ref(r, vcol), cell_ref(r, vcol + 1))
            };
            ws.write_formula_with_format(
                r,
                vcol + 2,
                Formula::new(text).set_result(if same { "TRUE" } else { "FALSE" }),
                &s.check,
            )?;
            check_colours(ws, r, vcol + 2, s)?;
            let code = match n.value_type {
                ValueType::Count => 0,
                ValueType::Signed => 1,
                ValueType::Amount => 2,
            };
            by_type
                .entry(code)
                .or_insert((n.value_type, Vec::new()))
                .1
                .push(cell_ref(r, vcol));
        }
        let note_row = block_first + sums.len() as u32 + 1;
        ws.write_string_with_format(
            note_row,
            0,
            "说明：表中绿色底纹的合计单元格为公式，按各分项实时计算；校验行/列按报表填报值核对勾稽关系（与 nianbao validate 一致），FALSE 表示不成立。",
            &s.note,
        )?;
        for (_, (ty, refs)) in by_type {
            let dv = input_validation(ty, &refs.join(" "))?;
            let (r0, c0) = (block_first, vcol);
            ws.add_data_validation(r0, c0, r0, c0, &dv)?;
        }
    }
    // Data validation on the grid's input cells, per value type.
    let mut by_type: BTreeMap<u8, (ValueType, Vec<(u32, u16)>)> = BTreeMap::new();
    for k in &order {
        let Some(p) = placed.get(k) else { continue };
        if p.cell.sum_of.is_some() {
            continue;
        }
        let code = match p.cell.value_type {
            ValueType::Count => 0,
            ValueType::Signed => 1,
            ValueType::Amount => 2,
        };
        by_type
            .entry(code)
            .or_insert((p.cell.value_type, Vec::new()))
            .1
            .push((p.row, p.col));
    }
    for (_, (ty, mut cells)) in by_type {
        cells.sort();
        let ranges = sum_args(&cells).replace(',', " ");
        let dv = input_validation(ty, &ranges)?;
        ws.add_data_validation(cells[0].0, cells[0].1, cells[0].0, cells[0].1, &dv)?;
    }
    // Freeze the title and header rows and the label columns; print setup.
    let freeze_col = if first_data_col as usize >= columns {
        0
    } else {
        first_data_col
    };
    ws.set_freeze_panes(GRID_ROW + header_rows, freeze_col)?;
    print_setup(ws, Some(GRID_ROW + header_rows - 1))?;
    Ok(())
}

fn data_sheet(ws: &mut Worksheet, doc: &Document, s: &Styles) -> Result<(), XlsxError> {
    ws.set_name("数据")?;
    let headers = [
        ("agency", "机关", 30.0),
        ("year", "年度", 8.0),
        ("format", "格式", 8.0),
        ("table", "表", 18.0),
        ("table_name", "表名", 8.0),
        ("row_key", "行键", 30.0),
        ("column_key", "列键", 16.0),
        ("row_label", "行名称", 44.0),
        ("column_label", "列名称", 20.0),
        ("unit", "单位", 8.0),
        ("value", "值", 10.0),
    ];
    let mut r = 1u32;
    let m = &doc.meta;
    for block in &doc.blocks {
        let crate::layout::Block::Table(t) = block else {
            continue;
        };
        if t.name.is_none() {
            continue;
        }
        for row in &t.rows {
            for c in &row.cells {
                let Content::Number(n) = &c.content else {
                    continue;
                };
                ws.write_string(r, 0, &m.agency)?;
                ws.write_number(r, 1, m.year as f64)?;
                ws.write_string(r, 2, &m.format)?;
                ws.write_string(r, 3, &n.key.table)?;
                ws.write_string(r, 4, t.name.as_deref().unwrap_or(""))?;
                ws.write_string(r, 5, &n.key.row)?;
                ws.write_string(r, 6, &n.key.column)?;
                ws.write_string(r, 7, &n.row_label)?;
                ws.write_string(r, 8, &n.column_label)?;
                ws.write_string(r, 9, n.unit.as_deref().unwrap_or(""))?;
                if let Some(v) = n.value {
                    ws.write_number(r, 10, number_f64(v))?;
                }
                r += 1;
            }
        }
    }
    finish_table(ws, &headers, r, "report_data", s)
}

/// Adds the header, column widths and an Excel Table over rows `1..end`.
pub fn finish_table(
    ws: &mut Worksheet,
    headers: &[(&str, &str, f64)],
    end: u32,
    name: &str,
    s: &Styles,
) -> Result<(), XlsxError> {
    let cols: Vec<TableColumn> = headers
        .iter()
        .map(|(k, _, _)| TableColumn::new().set_header(*k))
        .collect();
    for (i, (_, zh, w)) in headers.iter().enumerate() {
        ws.set_column_width(i as u16, *w)?;
        let _ = zh;
    }
    let last = end.max(2) - 1;
    let table = XTable::new()
        .set_name(name)
        .set_style(TableStyle::Medium2)
        .set_columns(&cols);
    ws.add_table(0, 0, last, headers.len() as u16 - 1, &table)?;
    ws.set_freeze_panes(1, 0)?;
    print_setup(ws, Some(0))?;
    let _ = s;
    Ok(())
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

fn findings_sheet(ws: &mut Worksheet, doc: &Document, s: &Styles) -> Result<(), XlsxError> {
    ws.set_name("校验")?;
    let headers = [
        ("rule", "规则", 8.0),
        ("severity", "级别", 9.0),
        ("path", "路径", 40.0),
        ("cell", "单元格", 40.0),
        ("expected", "应为", 10.0),
        ("actual", "实为", 10.0),
        ("message", "说明", 80.0),
    ];
    let mut r = 1u32;
    for f in &doc.findings {
        ws.write_string(r, 0, &f.rule)?;
        ws.write_string(r, 1, severity(f.severity))?;
        ws.write_string(r, 2, &f.path)?;
        ws.write_string(r, 3, &f.cell)?;
        ws.write_string(r, 4, f.expected.as_deref().unwrap_or(""))?;
        ws.write_string(r, 5, f.actual.as_deref().unwrap_or(""))?;
        ws.write_string(r, 6, &f.message)?;
        r += 1;
    }
    finish_table(ws, &headers, r, "report_findings", s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_and_ranges() {
        assert_eq!(col_name(0), "A");
        assert_eq!(col_name(25), "Z");
        assert_eq!(col_name(26), "AA");
        assert_eq!(col_name(27), "AB");
        assert_eq!(col_name(701), "ZZ");
        assert_eq!(col_name(702), "AAA");
        assert_eq!(sum_args(&[(4, 3), (5, 3), (6, 3), (9, 3)]), "D5:D7,D10");
        assert_eq!(sum_args(&[(4, 3), (4, 4), (4, 5)]), "D5:F5");
        assert_eq!(display_width("法律服务机构"), 12.0);
        assert_eq!(display_width("ab"), 2.0);
    }

    #[test]
    fn writes_every_example_deterministically() {
        for f in [
            "examples/demo-city-2024.json",
            "examples/demo-2019.json",
            "examples/potou-2023.json",
        ] {
            let text = std::fs::read_to_string(f).unwrap();
            let r = crate::Report::from_json(&text).unwrap();
            let doc = crate::layout::build_with_findings(&r, crate::validate::validate(&r, None));
            let a = write(&doc, &ExportOptions::default()).unwrap();
            let b = write(&doc, &ExportOptions::default()).unwrap();
            assert!(a.bytes.len() > 1000);
            assert_eq!(a.bytes, b.bytes, "{f}");
        }
    }
}
