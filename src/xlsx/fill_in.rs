//! The fill-in workbook (`nianbao new --to xlsx`): the statutory tables laid out as in the
//! official format for a clerk or statistician to fill in with Excel or WPS 表格, and read back
//! by the XLSX importer ([`crate::import::from_xlsx`]). The sheets that carry the rest of the
//! report (metadata, prose, free-form tables, the key) are written here for both workbooks:
//! the export workbook ([`super::write`]) adds them after its own sheets, so that JSON → XLSX →
//! JSON gives the report back.
//!
//! Workbook shape (built from the layout model, so every label comes from the template):
//! - [`META_SHEET`]: agency, year, level, publication date, format id and title, one per row
//!   (B column; [`META_ROWS`]).
//! - [`PROSE_SHEET`]: the prose, one block per row; column A names the section (its level-1
//!   heading as published, [`PREAMBLE`] before 一、), column B holds the text, column C names the
//!   sheet of a table placed at that point, column D the kind ([`KIND_PARAGRAPH`],
//!   [`KIND_HEADING`], [`KIND_FREE`], [`KIND_TABLE`]).
//! - one sheet per statutory table (`表二`, `表三`, `表四`): the title in row 1, the layout grid
//!   from row 2 with its merges. Input cells are unlocked, filled light yellow and validated
//!   (whole numbers ≥ 0, the fee a decimal ≥ 0 in 万元); sum cells are live `=SUM(…)` formulas;
//!   labels and sums are locked (sheet protection without a password). Under the table, one
//!   check row per 勾稽 rule instance (`A-01 校验（…）`), TRUE when it holds, red when FALSE.
//! - one sheet per free-form table of the prose (`附表1`, …), every cell as text.
//! - [`KEY_SHEET`] (hidden, [`MARK`] in A1): what the importer needs to read the workbook
//!   back: the sections' headings, for each table sheet the grid's end, for each sum cell the
//!   cells it adds up (and in the export workbook the number written there), for each
//!   free-form table its header rows and size.

use super::{
    cell_ref, check_colours, decimal_text, input_validation, number_f64, place_numbers, sum_args,
    sum_refs, table_title, PlacedCells, Styles,
};
use super::{display_width, print, print_setup, properties, GRID_ROW};
use crate::layout::{self, Block, CellKey, Check, Content, Document, RowKind, Table};
use crate::options::ExportError;
use crate::report::{Number, Report};
use crate::template::ValueType;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Format, Formula, Workbook, Worksheet, XlsxError};

/// Name of the sheet with agency, year, level, date and format.
pub const META_SHEET: &str = "基本信息";
/// Name of the sheet with the prose sections.
pub const PROSE_SHEET: &str = "正文";
/// Name of the hidden sheet the importer reads the workbook's structure from.
pub const KEY_SHEET: &str = "_nianbao";
/// First cell of [`KEY_SHEET`] in the workbooks this build writes (the fill-in workbook and
/// the export workbook): the workbook carries everything of its report, the prose sheet has
/// a kind column and free-form tables have sheets of their own.
pub const MARK: &str = "nianbao workbook 2";
/// First cell of [`KEY_SHEET`] in fill-in workbooks written before [`MARK`]: prose without
/// kinds, no free-form tables, no title or level rows. Still read.
pub const MARK_V1: &str = "nianbao fill-in 1";
/// Sheet name prefix of a free-form table of the prose (`附表1`, `附表2`, …).
pub const FREE_PREFIX: &str = "附表";
/// Column A of the prose sheet for the text before 一、.
pub const PREAMBLE: &str = "前言 (preamble)";
/// Column D of the prose sheet: a paragraph.
pub const KIND_PARAGRAPH: &str = "段落";
/// Column D of the prose sheet: a sub-heading such as `（一）主动公开`.
pub const KIND_HEADING: &str = "小标题";
/// Column D of the prose sheet: a free-form table, on the sheet named in column C.
pub const KIND_FREE: &str = "附表";
/// Column D of the prose sheet: a statutory table, on the sheet named in column C.
pub const KIND_TABLE: &str = "统计表";
/// Rows of [`META_SHEET`] (label in column A, value in column B), in order.
pub const META_ROWS: [&str; 6] = [
    "机关 (agency)",
    "年度 (year)",
    "层级 (level)",
    "发布日期 (date, YYYY-MM-DD)",
    "格式 (format)",
    "标题 (title)",
];

fn err(e: XlsxError) -> ExportError {
    ExportError::Writer {
        target: "xlsx",
        message: e.to_string(),
    }
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
    let tables: Vec<&Table> = statutory_tables(&doc);
    let names: Vec<String> = tables
        .iter()
        .map(|t| t.name.clone().unwrap_or_default())
        .collect();
    meta_sheet(&mut wb, &doc, &s).map_err(err)?;
    let free = prose_sheet(&mut wb, &doc, &names, &s).map_err(err)?;
    let mut key = KeyRows::new(&doc);
    for (t, name) in tables.iter().zip(&names) {
        let ws = wb.add_worksheet();
        ws.set_name(name).map_err(err)?;
        table_sheet(ws, t, &s, &count_in, &amount_in).map_err(err)?;
        key.table(name, t, false);
    }
    for (name, t) in &free {
        free_sheet(&mut wb, name, t, &s).map_err(err)?;
        key.free(name, t);
    }
    key_sheet(&mut wb, &key).map_err(err)?;
    wb.save_to_buffer().map_err(err)
}

/// The statutory tables of a laid-out report, in order.
pub(crate) fn statutory_tables(doc: &Document) -> Vec<&Table> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) if t.name.is_some() => Some(t),
            _ => None,
        })
        .collect()
}

/// Whether a document is a report's layout (not a comparison of two years): only then does a
/// workbook carry the prose, metadata and key sheets that give the report back on import.
pub(crate) fn is_report_layout(doc: &Document) -> bool {
    let derived = doc.blocks.iter().any(|b| match b {
        Block::Marked(_) => true,
        Block::Table(t) => t
            .rows
            .iter()
            .flat_map(|r| &r.cells)
            .any(|c| matches!(c.content, Content::Derived(_))),
        _ => false,
    });
    !derived
        && crate::template::Template::get(&doc.meta.format)
            .is_some_and(|t| t.name == doc.meta.subject)
}

/// Text typed into the metadata and prose sheets: wrapped, top-aligned, unlocked.
fn text_format(s: &Styles) -> Format {
    s.text
        .clone()
        .set_unlocked()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top)
}

/// Writes [`META_SHEET`]: agency, year, level (the template's name for it), publication date,
/// format id and title, one per row ([`META_ROWS`]).
pub(crate) fn meta_sheet(wb: &mut Workbook, doc: &Document, s: &Styles) -> Result<(), XlsxError> {
    let text_in = text_format(s);
    let ws = wb.add_worksheet();
    ws.set_name(META_SHEET)?;
    let template = crate::template::Template::get(&doc.meta.format);
    let level = match (doc.meta.level, template) {
        (Some(l), Some(t)) => t.levels.name(l).to_string(),
        (Some(l), None) => serde_json::to_value(l)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        _ => String::new(),
    };
    let published = doc.meta.date.map(|d| d.to_string()).unwrap_or_default();
    let values: [String; 6] = [
        doc.meta.agency.clone(),
        doc.meta.year.to_string(),
        level,
        published,
        doc.meta.format.clone(),
        doc.title.clone(),
    ];
    ws.set_column_width(0, 30)?;
    ws.set_column_width(1, 50)?;
    for (i, (k, v)) in META_ROWS.iter().zip(&values).enumerate() {
        let r = i as u32;
        ws.write_string_with_format(r, 0, *k, &s.header)?;
        if i == 1 {
            ws.write_number_with_format(r, 1, doc.meta.year as f64, &text_in)?;
        } else {
            ws.write_string_with_format(r, 1, v, &text_in)?;
        }
    }
    if let Some(t) = template {
        let l = &t.levels;
        let names = [&l.department, &l.government, &l.township, &l.vertical];
        let dv = rust_xlsxwriter::DataValidation::new()
            .allow_list_strings(&names)?
            .ignore_blank(true);
        ws.add_data_validation(2, 1, 2, 1, &dv)?;
    }
    print::print_setup_table(ws, (80.0, 100.0), 0, 1, (values.len() as u32 - 1, 1))?;
    Ok(())
}

/// Writes [`PROSE_SHEET`]: one row per paragraph, sub-heading or table, column A the section
/// heading as published ([`PREAMBLE`] before 一、), B the text, C the sheet of a table, D the
/// kind. A section without blocks still gets a row, so its heading comes back. Returns the
/// free-form tables with the sheet names given to them (`附表1`, …), to be written after.
pub(crate) fn prose_sheet<'a>(
    wb: &mut Workbook,
    doc: &'a Document,
    statutory_names: &[String],
    s: &Styles,
) -> Result<Vec<(String, &'a Table)>, XlsxError> {
    let text_in = text_format(s);
    let ws = wb.add_worksheet();
    ws.set_name(PROSE_SHEET)?;
    ws.set_column_width(0, 24)?;
    ws.set_column_width(1, 90)?;
    ws.set_column_width(2, 10)?;
    ws.set_column_width(3, 8)?;
    for (c, h) in [
        "部分 (section)",
        "段落 (paragraph)",
        "表格 (table)",
        "类型 (kind)",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(0, c as u16, *h, &s.header)?;
    }
    ws.set_freeze_panes(1, 0)?;
    print_setup(ws, Some(0))?;
    let mut section = PREAMBLE.to_string();
    let mut pending_heading = false;
    let mut r = 1u32;
    let mut statutory = statutory_names.iter();
    let mut free: Vec<(String, &Table)> = Vec::new();
    let top = Format::new().set_align(rust_xlsxwriter::FormatAlign::Top);
    let mut row = |ws: &mut Worksheet,
                   section: &str,
                   text: &str,
                   table: &str,
                   kind: &str|
     -> Result<(), XlsxError> {
        ws.write_string_with_format(r, 0, section, &top)?;
        if !text.is_empty() {
            ws.write_string_with_format(r, 1, text, &text_in)?;
            // Rows as tall as the wrapped paragraph (column B is 90 units; CJK counts 2), so
            // it prints whole: spreadsheet programs do not grow a row written with a height.
            let lines = (display_width(text) / 88.0).ceil().max(1.0);
            if lines > 1.0 {
                ws.set_row_height(r, (lines * 15.0).min(409.0))?;
            }
        }
        if !table.is_empty() {
            ws.write_string_with_format(r, 2, table, &top)?;
        }
        if !kind.is_empty() {
            ws.write_string_with_format(r, 3, kind, &top)?;
        }
        r += 1;
        Ok(())
    };
    for block in &doc.blocks {
        match block {
            Block::Heading { level: 1, text, .. } => {
                if pending_heading {
                    row(ws, &section, "", "", "")?;
                }
                section = text.clone();
                pending_heading = true;
                continue;
            }
            Block::Heading { text, .. } => row(ws, &section, text, "", KIND_HEADING)?,
            Block::Paragraph(text) => row(ws, &section, text, "", KIND_PARAGRAPH)?,
            Block::Marked(spans) => {
                // Only comparison documents mark text; a report's layout has none.
                let text: String = spans.iter().map(|x| x.text.as_str()).collect();
                row(ws, &section, &text, "", KIND_PARAGRAPH)?;
            }
            Block::Table(t) if t.name.is_some() => {
                let name = statutory.next().cloned().unwrap_or_default();
                row(ws, &section, "", &name, KIND_TABLE)?;
            }
            Block::Table(t) => {
                let name = format!("{FREE_PREFIX}{}", free.len() + 1);
                row(ws, &section, "", &name, KIND_FREE)?;
                free.push((name, t));
            }
        }
        pending_heading = false;
    }
    if pending_heading {
        row(ws, &section, "", "", "")?;
    }
    Ok(free)
}

/// The text of a free-form table's cells, row by row (every row as wide as the table).
pub(crate) fn free_rows(t: &Table) -> Vec<Vec<String>> {
    t.rows
        .iter()
        .map(|row| {
            let mut cells = vec![String::new(); t.columns];
            for c in &row.cells {
                if let Some(slot) = cells.get_mut(c.col) {
                    *slot = c.content.text().to_string();
                }
            }
            cells
        })
        .collect()
}

/// Writes a free-form table of the prose on a sheet of its own: every cell as text, exactly
/// as in the report, the header rows styled as headers.
pub(crate) fn free_sheet(
    wb: &mut Workbook,
    name: &str,
    t: &Table,
    s: &Styles,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    let body = s.label.clone().set_unlocked();
    let mut widths = vec![6.0f64; t.columns];
    for (ri, row) in free_rows(t).iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            let fmt = if ri < t.header_rows { &s.header } else { &body };
            ws.write_string_with_format(ri as u32, c as u16, text, fmt)?;
            widths[c] = widths[c].max((display_width(text) + 2.0).min(40.0));
        }
    }
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width(i as u16, *w)?;
    }
    print_setup(ws, t.header_rows.checked_sub(1).map(|r| r as u32))?;
    Ok(())
}

/// The rows of [`KEY_SHEET`]: what the importer needs to read a workbook back.
#[derive(Default)]
pub(crate) struct KeyRows {
    rows: Vec<Vec<String>>,
}

impl KeyRows {
    /// The key rows of a document, starting with its sections' headings.
    pub(crate) fn new(doc: &Document) -> KeyRows {
        let mut k = KeyRows::default();
        k.sections(doc);
        k
    }

    /// A statutory table sheet: `table, sheet, first row after the grid, grid columns`; one
    /// `sum, sheet, cell, addends…` row per sum cell; with `published` (the export workbook,
    /// whose sum cells hold the published number, not a formula) also `published, sheet,
    /// cell, value` with the number written there (empty for a blank), so a number the user
    /// typed over it is noticed.
    pub(crate) fn table(&mut self, name: &str, t: &Table, published: bool) {
        self.rows.push(vec![
            "table".into(),
            name.to_string(),
            (GRID_ROW + t.rows.len() as u32).to_string(),
            t.columns.to_string(),
        ]);
        let (placed, _, _) = place_numbers(t);
        for (ri, row) in t.rows.iter().enumerate() {
            for c in &row.cells {
                let Content::Number(n) = &c.content else {
                    continue;
                };
                let Some(addends) = &n.sum_of else { continue };
                let at = (GRID_ROW + ri as u32, c.col as u16);
                if placed.get(&n.key).map(|p| (p.row, p.col)) != Some(at) {
                    continue;
                }
                let mut row = vec!["sum".to_string(), name.to_string(), cell_ref(at.0, at.1)];
                row.extend(
                    addends
                        .iter()
                        .filter_map(|k| placed.get(k))
                        .map(|p| cell_ref(p.row, p.col)),
                );
                self.rows.push(row);
                if published {
                    self.rows.push(vec![
                        "published".into(),
                        name.to_string(),
                        cell_ref(at.0, at.1),
                        n.value
                            .map(|v| decimal_text(v.to_decimal()))
                            .unwrap_or_default(),
                    ]);
                }
            }
        }
    }

    /// A free-form table sheet: `free, sheet, header rows, rows, columns`.
    pub(crate) fn free(&mut self, name: &str, t: &Table) {
        self.rows.push(vec![
            "free".into(),
            name.to_string(),
            t.header_rows.to_string(),
            t.rows.len().to_string(),
            t.columns.to_string(),
        ]);
    }

    /// A section's heading as written in column A of the prose sheet: `section, key, text`.
    fn sections(&mut self, doc: &Document) {
        for b in &doc.blocks {
            if let Block::Heading {
                level: 1,
                text,
                section: Some(key),
            } = b
            {
                self.rows
                    .push(vec!["section".into(), key.clone(), text.clone()]);
            }
        }
    }
}

/// Writes the hidden [`KEY_SHEET`]: [`MARK`] in A1, then the rows.
pub(crate) fn key_sheet(wb: &mut Workbook, key: &KeyRows) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(KEY_SHEET)?;
    ws.write_string(0, 0, MARK)?;
    for (i, row) in key.rows.iter().enumerate() {
        for (j, v) in row.iter().enumerate() {
            ws.write_string(i as u32 + 1, j as u16, v)?;
        }
    }
    ws.set_hidden(true);
    Ok(())
}

/// Writes one table sheet.
fn table_sheet(
    ws: &mut Worksheet,
    t: &Table,
    s: &Styles,
    count_in: &Format,
    amount_in: &Format,
) -> Result<(), XlsxError> {
    let columns = t.columns.max(1);
    let (placed, _, first_data_col) = place_numbers(t);
    table_title(ws, t, s)?;
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
                            .filter_map(|k| placed.get(k).and_then(|p| p.cell.value))
                            .map(Number::to_decimal)
                            .sum();
                        let f = Formula::new(format!("=SUM({})", sum_refs(&placed, addends)))
                            .set_result(decimal_text(total));
                        ws.write_formula_with_format(r, col, f, fmt)?;
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
        ws.write_formula_with_format(r, col, check_formula(c, &placed), &s.check)?;
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
    Ok(())
}

/// `=SUM(left)=SUM(right)` (amounts compared after rounding), cached as the report's verdict.
fn check_formula(c: &Check, placed: &PlacedCells) -> Formula {
    let amounts = c.left.iter().chain(&c.right).any(|k| {
        placed
            .get(k)
            .is_some_and(|p| p.cell.value_type == ValueType::Amount)
    });
    let left = format!("SUM({})", sum_refs(placed, &c.left));
    let right = format!("SUM({})", sum_refs(placed, &c.right));
    let text = if amounts {
        format!("=ROUND({left}-{right},6)=0")
    } else {
        format!("={left}={right}")
    };
    let value = |keys: &[CellKey]| -> Decimal {
        keys.iter()
            .filter_map(|k| placed.get(k).and_then(|p| p.cell.value))
            .map(Number::to_decimal)
            .sum()
    };
    let holds = value(&c.left) == value(&c.right);
    Formula::new(text).set_result(if holds { "TRUE" } else { "FALSE" })
}
