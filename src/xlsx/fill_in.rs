//! The fill-in workbook (`nianbao new --to xlsx`): the statutory tables laid out as in the
//! official format for a clerk or statistician to fill in with Excel or WPS 表格, and read back
//! by the XLSX importer ([`crate::import::from_xlsx`]).
//!
//! Workbook shape (built from the layout model, so every label comes from the template):
//! - [`META_SHEET`]: agency, year, level, publication date and format id, one per row (B column).
//! - [`PROSE_SHEET`]: the prose, one paragraph per row; column A names the section (its level-1
//!   heading), column B holds the paragraph, column C names the table sheet placed at that point.
//! - one sheet per statutory table (`表二`, `表三`, `表四`): the title in row 1, the layout grid
//!   from row 2 with its merges. Input cells are unlocked, filled light yellow and validated
//!   (whole numbers ≥ 0, the fee a decimal ≥ 0 in 万元); sum cells are live `=SUM(…)` formulas;
//!   labels and sums are locked (sheet protection without a password). Under the table, one
//!   check row per 勾稽 rule instance (`A-01 校验（…）`), TRUE when it holds, red when FALSE.
//! - [`KEY_SHEET`] (hidden): what the importer needs to read the workbook back: for each table
//!   sheet the last grid row, and for each sum cell the cells it adds up.

use super::{
    cell_ref, check_colours, decimal_text, input_validation, number_f64, sum_args, Styles,
};
use super::{display_width, print, print_setup, properties, GRID_ROW};
use crate::layout::{self, Block, CellKey, Check, Content, RowKind, Table};
use crate::options::ExportError;
use crate::report::{Number, Report};
use crate::template::ValueType;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Format, Formula, Workbook, Worksheet, XlsxError};
use std::collections::HashMap;

/// Name of the sheet with agency, year, level, date and format.
pub const META_SHEET: &str = "基本信息";
/// Name of the sheet with the prose sections.
pub const PROSE_SHEET: &str = "正文";
/// Name of the hidden sheet the importer reads the workbook's structure from.
pub const KEY_SHEET: &str = "_nianbao";
/// First cell of [`KEY_SHEET`]: marks a fill-in workbook.
pub const MARK: &str = "nianbao fill-in 1";

fn err(e: XlsxError) -> ExportError {
    ExportError::Writer {
        target: "xlsx",
        message: e.to_string(),
    }
}

/// Where a number cell sits on its sheet.
struct Placed {
    row: u32,
    col: u16,
    value: Option<Number>,
    value_type: ValueType,
}

/// Writes the fill-in workbook of a report (a blank one from `nianbao new`, possibly with
/// 上年结转 carried over).
///
/// # Errors
/// [`ExportError::Writer`] when the workbook cannot be built.
pub fn write(report: &Report) -> Result<Vec<u8>, ExportError> {
    let doc = layout::build(report);
    let mut wb = Workbook::new();
    let s = Styles::new();
    let date = report.published.unwrap_or(crate::report::Date {
        year: report.year + 1,
        month: 1,
        day: 1,
    });
    let props =
        properties(&doc.meta.title, &doc.meta.author, &doc.meta.subject, date).map_err(err)?;
    wb.set_properties(&props);
    let input = |f: &Format| {
        f.clone()
            .set_unlocked()
            .set_background_color(Color::RGB(0xFFF2CC))
    };
    let count_in = input(&s.count);
    let amount_in = input(&s.amount);
    let text_in = s
        .text
        .clone()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);

    // Metadata.
    {
        let ws = wb.add_worksheet();
        ws.set_name(META_SHEET).map_err(err)?;
        let level = report
            .level
            .as_ref()
            .and_then(|l| serde_json::to_value(l).ok())
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let published = report.published.map(|d| d.to_string()).unwrap_or_default();
        let rows: [(&str, String); 5] = [
            ("机关 (agency)", report.agency.clone()),
            ("年度 (year)", report.year.to_string()),
            ("层级 (level)", level),
            ("发布日期 (date, YYYY-MM-DD)", published),
            ("格式 (format)", report.format.clone()),
        ];
        ws.set_column_width(0, 30).map_err(err)?;
        ws.set_column_width(1, 50).map_err(err)?;
        for (i, (k, v)) in rows.iter().enumerate() {
            let r = i as u32;
            ws.write_string_with_format(r, 0, *k, &s.header)
                .map_err(err)?;
            if i == 1 {
                ws.write_number_with_format(r, 1, report.year as f64, &text_in)
                    .map_err(err)?;
            } else {
                ws.write_string_with_format(r, 1, v, &text_in)
                    .map_err(err)?;
            }
        }
        print::print_setup_table(ws, (80.0, 100.0), 0, 1, (rows.len() as u32 - 1, 1))
            .map_err(err)?;
    }
    // Prose, with the places of the tables.
    let mut tables: Vec<&Table> = Vec::new();
    {
        let ws = wb.add_worksheet();
        ws.set_name(PROSE_SHEET).map_err(err)?;
        ws.set_column_width(0, 24).map_err(err)?;
        ws.set_column_width(1, 90).map_err(err)?;
        ws.set_column_width(2, 10).map_err(err)?;
        ws.write_string_with_format(0, 0, "部分 (section)", &s.header)
            .map_err(err)?;
        ws.write_string_with_format(0, 1, "段落 (paragraph)", &s.header)
            .map_err(err)?;
        ws.write_string_with_format(0, 2, "表格 (table)", &s.header)
            .map_err(err)?;
        ws.set_freeze_panes(1, 0).map_err(err)?;
        print_setup(ws, Some(0)).map_err(err)?;
        let mut section = String::new();
        let mut r = 1u32;
        for block in &doc.blocks {
            match block {
                Block::Heading { level: 1, text, .. } => section = text.clone(),
                Block::Heading { text, .. } | Block::Paragraph(text) => {
                    ws.write_string(r, 0, &section).map_err(err)?;
                    ws.write_string_with_format(r, 1, text, &text_in)
                        .map_err(err)?;
                    r += 1;
                }
                Block::Marked(spans) => {
                    // Only comparison documents mark text; a report's layout has none.
                    let text: String = spans.iter().map(|x| x.text.as_str()).collect();
                    ws.write_string(r, 0, &section).map_err(err)?;
                    ws.write_string_with_format(r, 1, &text, &text_in)
                        .map_err(err)?;
                    r += 1;
                }
                Block::Table(t) => {
                    let Some(name) = &t.name else { continue };
                    ws.write_string(r, 0, &section).map_err(err)?;
                    ws.write_string(r, 2, name).map_err(err)?;
                    tables.push(t);
                    r += 1;
                }
            }
        }
    }
    // Tables.
    let mut key_rows: Vec<Vec<String>> = Vec::new();
    for t in &tables {
        let name = t.name.clone().unwrap_or_default();
        let ws = wb.add_worksheet();
        ws.set_name(&name).map_err(err)?;
        let sums = table_sheet(ws, t, &s, &count_in, &amount_in).map_err(err)?;
        key_rows.push(vec![
            "table".into(),
            name.clone(),
            (GRID_ROW + t.rows.len() as u32).to_string(),
        ]);
        for (at, addends) in sums {
            let mut row = vec!["sum".to_string(), name.clone(), at];
            row.extend(addends);
            key_rows.push(row);
        }
    }
    // Structure for the importer.
    {
        let ws = wb.add_worksheet();
        ws.set_name(KEY_SHEET).map_err(err)?;
        ws.write_string(0, 0, MARK).map_err(err)?;
        for (i, row) in key_rows.iter().enumerate() {
            for (j, v) in row.iter().enumerate() {
                ws.write_string(i as u32 + 1, j as u16, v).map_err(err)?;
            }
        }
        ws.set_hidden(true);
    }
    wb.save_to_buffer().map_err(err)
}

/// Writes one table sheet; returns each sum cell's address and its addends' addresses.
fn table_sheet(
    ws: &mut Worksheet,
    t: &Table,
    s: &Styles,
    count_in: &Format,
    amount_in: &Format,
) -> Result<Vec<(String, Vec<String>)>, XlsxError> {
    let columns = t.columns.max(1);
    let mut placed: HashMap<CellKey, Placed> = HashMap::new();
    let mut first_data_col = columns as u16;
    for (ri, row) in t.rows.iter().enumerate() {
        for c in &row.cells {
            if let Content::Number(n) = &c.content {
                first_data_col = first_data_col.min(c.col as u16);
                placed.entry(n.key.clone()).or_insert(Placed {
                    row: GRID_ROW + ri as u32,
                    col: c.col as u16,
                    value: n.value,
                    value_type: n.value_type,
                });
            }
        }
    }
    let pos = |k: &CellKey| placed.get(k).map(|p| (p.row, p.col));
    let refs = |keys: &[CellKey]| -> String {
        let r: Vec<(u32, u16)> = keys.iter().filter_map(pos).collect();
        if r.is_empty() {
            "0".into()
        } else {
            sum_args(&r)
        }
    };
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
    // Column widths from single-span cells.
    let mut widths = vec![6.0f64; columns];
    for row in &t.rows {
        for c in row
            .cells
            .iter()
            .filter(|c| c.col_span == 1 && c.col < columns)
        {
            let w = match (&c.content, row.kind) {
                (Content::Number(_) | Content::Derived(_), _) => 10.0,
                (Content::Text(x), RowKind::Body) => (display_width(x) + 2.0).min(30.0),
                (Content::Text(x), _) => print::header_width(display_width(x)).max(8.0),
            };
            widths[c.col] = widths[c.col].max(w);
        }
    }
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width(i as u16, *w)?;
    }
    let mut sums: Vec<(String, Vec<String>)> = Vec::new();
    let mut inputs: Vec<(ValueType, (u32, u16))> = Vec::new();
    for (ri, row) in t.rows.iter().enumerate() {
        let r = GRID_ROW + ri as u32;
        for c in &row.cells {
            if c.col >= columns {
                continue;
            }
            let col = c.col as u16;
            let last_col = (c.col + c.col_span.max(1) - 1).min(columns - 1) as u16;
            let last_row = r + c.row_span.max(1) as u32 - 1;
            let amount =
                matches!(&c.content, Content::Number(n) if n.value_type == ValueType::Amount);
            let sum = matches!(&c.content, Content::Number(n) if n.sum_of.is_some());
            let fmt = match (&c.content, row.kind) {
                (Content::Text(_), RowKind::Body) if c.align == layout::Align::Left => &s.label,
                (Content::Text(_), RowKind::Body) => &s.label_center,
                (Content::Text(_), _) => &s.header,
                (Content::Number(_), _) if sum && amount => &s.calc_amount,
                (Content::Number(_), _) if sum => &s.calc,
                (Content::Number(_), _) if amount => amount_in,
                (Content::Number(_), _) => count_in,
                // Comparison documents only: never in a report's layout.
                (Content::Derived(_), _) => &s.calc,
            };
            if last_col > col || last_row > r {
                ws.merge_range(r, col, last_row, last_col, "", fmt)?;
            }
            match &c.content {
                Content::Text(text) => {
                    ws.write_string_with_format(r, col, text, fmt)?;
                }
                Content::Number(n) => match &n.sum_of {
                    Some(addends) => {
                        let total: Decimal = addends
                            .iter()
                            .filter_map(|k| placed.get(k).and_then(|p| p.value))
                            .map(Number::to_decimal)
                            .sum();
                        let f = Formula::new(format!("=SUM({})", refs(addends)))
                            .set_result(decimal_text(total));
                        ws.write_formula_with_format(r, col, f, fmt)?;
                        let cells: Vec<String> = addends
                            .iter()
                            .filter_map(pos)
                            .map(|(r, c)| cell_ref(r, c))
                            .collect();
                        sums.push((cell_ref(r, col), cells));
                    }
                    None => {
                        match n.value {
                            Some(v) => ws.write_number_with_format(r, col, number_f64(v), fmt)?,
                            None => ws.write_blank(r, col, fmt)?,
                        };
                        inputs.push((n.value_type, (r, col)));
                    }
                },
                Content::Derived(_) => {
                    ws.write_blank(r, col, fmt)?;
                }
            }
        }
    }
    // Check rows under the table, one per rule instance; the label over the columns left of
    // the check cell, as many lines high as it needs.
    let mut r = GRID_ROW + t.rows.len() as u32 + 1;
    let col = first_data_col.min(columns as u16 - 1).max(1);
    let label_width: f64 = widths[..col as usize].iter().sum();
    let mut height = 24.0 + 20.0 * t.rows.len() as f64 + 15.0;
    for c in &t.checks {
        let text = format!("{} 校验（{}）：{}", c.rule, c.scope, c.description);
        if col > 1 {
            ws.merge_range(r, 0, r, col - 1, &text, &s.header)?;
        } else {
            ws.write_string_with_format(r, 0, &text, &s.header)?;
        }
        ws.write_formula_with_format(r, col, check_formula(c, &placed, &refs), &s.check)?;
        check_colours(ws, r, col, s)?;
        let lines = (display_width(&text) / (label_width - 1.0).max(1.0)).ceil();
        let h = (14.0 * lines + 4.0).max(30.0);
        ws.set_row_height(r, h)?;
        height += h;
        r += 1;
    }
    let mut last_row = r.saturating_sub(1);
    if !t.checks.is_empty() {
        // The note wraps across the table's width, inside the print area.
        let note = "说明：黄色单元格填写数字；绿色单元格为合计，自动计算；“校验”为 TRUE 表示勾稽关系成立，FALSE（红色）表示不成立。";
        let width: f64 = widths.iter().sum();
        let lines = (display_width(note) / (width - 1.0).max(1.0))
            .ceil()
            .max(1.0);
        let fmt = s
            .note
            .clone()
            .set_text_wrap()
            .set_align(rust_xlsxwriter::FormatAlign::Top);
        if columns > 1 {
            ws.merge_range(r + 1, 0, r + 1, columns as u16 - 1, note, &fmt)?;
        } else {
            ws.write_string_with_format(r + 1, 0, note, &fmt)?;
        }
        ws.set_row_height(r + 1, 14.0 * lines + 4.0)?;
        height += 15.0 + 14.0 * lines + 4.0;
        last_row = r + 1;
    }
    // Data validation per value type.
    for ty in [ValueType::Count, ValueType::Signed, ValueType::Amount] {
        let mut cells: Vec<(u32, u16)> = inputs
            .iter()
            .filter(|(t, _)| *t == ty)
            .map(|(_, p)| *p)
            .collect();
        if cells.is_empty() {
            continue;
        }
        cells.sort();
        let ranges = sum_args(&cells).replace(',', " ");
        let dv = input_validation(ty, &ranges)?;
        ws.add_data_validation(cells[0].0, cells[0].1, cells[0].0, cells[0].1, &dv)?;
    }
    let freeze_col = if first_data_col as usize >= columns {
        0
    } else {
        first_data_col
    };
    ws.set_freeze_panes(GRID_ROW + t.header_rows as u32, freeze_col)?;
    print::print_setup_table(
        ws,
        (widths.iter().sum(), height),
        GRID_ROW + t.header_rows as u32 - 1,
        freeze_col,
        (last_row, columns as u16 - 1),
    )?;
    ws.protect();
    Ok(sums)
}

/// `=SUM(left)=SUM(right)` (amounts compared after rounding), cached as the report's verdict.
fn check_formula(
    c: &Check,
    placed: &HashMap<CellKey, Placed>,
    refs: &dyn Fn(&[CellKey]) -> String,
) -> Formula {
    let amounts = c.left.iter().chain(&c.right).any(|k| {
        placed
            .get(k)
            .is_some_and(|p| p.value_type == ValueType::Amount)
    });
    let left = format!("SUM({})", refs(&c.left));
    let right = format!("SUM({})", refs(&c.right));
    let text = if amounts {
        format!("=ROUND({left}-{right},6)=0")
    } else {
        format!("={left}={right}")
    };
    let value = |keys: &[CellKey]| -> Decimal {
        keys.iter()
            .filter_map(|k| placed.get(k).and_then(|p| p.value))
            .map(Number::to_decimal)
            .sum()
    };
    let holds = value(&c.left) == value(&c.right);
    Formula::new(text).set_result(if holds { "TRUE" } else { "FALSE" })
}
