//! XLSX writer: the tables for statisticians, built from the layout model only.
//!
//! Workbook shape (see docs/xlsx.md):
//! - one sheet per statutory table (`表二`, `表三`, `表四`), laid out like the official table: row 1
//!   is the title, the layout grid starts at row 2 (grid row *r*, column *c* → sheet row *r* + 2,
//!   column *c* + 1) with the same merges. Every cell holds the number as published, sum cells
//!   ([`NumberCell::sum_of`]) included, so the sheet reads like the PDF and the DOCX.
//! - below the table, per rule laid out along a column (e.g. `A-01`, `A-02`), and right of it
//!   per rule laid out along a row (`A-03`): for a rule that defines a sum, a `计算值` row (or
//!   column) with the live `=SUM(…)` of the published addends; then a `校验` row (or column)
//!   of check formulas with red/green conditional formatting. A check shows `TRUE`/`FALSE`
//!   for the published values and `—` while a cell it reads is blank, exactly as
//!   validation decides the rule instance ([`crate::equation`]: one evaluator, one blank
//!   policy); its cached result is the layout's verdict.
//! - `数据`: every statutory cell in long form, as an Excel Table.
//! - `校验`: the validation findings and the lint levels in force.
//! - for a report (not a comparison): `基本信息`, `正文`, a sheet per free-form table (`附表1`, …)
//!   and the hidden `_nianbao`, as in the fill-in workbook ([`fill_in`]): what the importer
//!   needs to give the whole report back, and to notice a sum cell typed over.

use crate::equation::{BlankPolicy, Evaluator, Verdict};
use crate::layout::{
    CellKey, Check, Content, Derivation, DerivedCell, Document, NumberCell, RowKind, Table,
};
use crate::options::{ExportError, ExportOptions, Output};
use crate::report::Number;
use crate::template::ValueType;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Color, ConditionalFormatCell, ConditionalFormatCellRule, DataValidation,
    DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime, Format,
    FormatAlign, FormatBorder, Formula, Table as XTable, TableColumn, TableStyle, Workbook,
    Worksheet, XlsxError,
};
use std::borrow::Cow;
use std::collections::BTreeMap;

pub mod fill_in;
pub mod print;

pub use print::{print_setup, print_setup_table, print_setup_wide, WIDE_PRINT_SCALE};

/// What a check cell shows while a cell it reads is blank: the rule cannot be decided.
pub const UNDECIDED: &str = "—";

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
    /// A comparison's change (增减): signed whole numbers or decimals.
    pub change: Format,
    /// A comparison's change ratio (增减幅度), as a percentage.
    pub ratio: Format,
    /// The fill of a marked cell (a cross-year break, a sentence repeated from last year).
    pub marked: Format,
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
                .set_num_format(amount_num_format(0)),
            calc: boxed()
                .set_align(FormatAlign::Center)
                .set_num_format("0")
                .set_background_color(Color::RGB(0xE2EFDA)),
            calc_amount: boxed()
                .set_align(FormatAlign::Center)
                .set_num_format(amount_num_format(0))
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
            change: boxed()
                .set_align(FormatAlign::Center)
                .set_num_format("+0.####;-0.####;0")
                .set_background_color(Color::RGB(0xE2EFDA)),
            ratio: boxed()
                .set_align(FormatAlign::Center)
                .set_num_format("+0.0%;-0.0%;0.0%")
                .set_background_color(Color::RGB(0xE2EFDA)),
            marked: boxed()
                .set_align(FormatAlign::Left)
                .set_background_color(Color::RGB(0xFFEB9C)),
        }
    }
}

impl Default for Styles {
    fn default() -> Self {
        Styles::new()
    }
}

/// The number format for an amount published with `scale` decimals: at least two decimals
/// shown, and every published decimal (`0.00##` up to four, `0.00####` for 24252.311082), so
/// the sheet displays what the report printed. The value itself is stored exactly as read.
pub fn amount_num_format(scale: u32) -> String {
    format!("0.00{}", "#".repeat(scale.max(4) as usize - 2))
}

/// `base` (an amount format) widened to show `scale` decimals; `base` itself up to four.
pub fn amount_with_decimals(base: &Format, scale: u32) -> Cow<'_, Format> {
    if scale <= 4 {
        Cow::Borrowed(base)
    } else {
        Cow::Owned(base.clone().set_num_format(amount_num_format(scale)))
    }
}

/// Decimals of a published number (0 for counts).
pub fn decimals(n: Number) -> u32 {
    match n {
        Number::Int(_) => 0,
        Number::Decimal(d) => d.scale(),
    }
}

/// Writes a finding's expected or actual value: a number as a number (so it sums and filters
/// as one), anything else as text, nothing for `None`.
pub fn write_value(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<&str>,
) -> Result<(), XlsxError> {
    let Some(v) = value.filter(|v| !v.is_empty()) else {
        return Ok(());
    };
    match v.parse::<Decimal>() {
        Ok(d) => ws.write_number(row, col, number_f64(Number::Decimal(d)))?,
        Err(_) => ws.write_string(row, col, v)?,
    };
    Ok(())
}

/// [`write_value`] in `format`.
pub fn write_value_with_format(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<&str>,
    format: &Format,
) -> Result<(), XlsxError> {
    let Some(v) = value.filter(|v| !v.is_empty()) else {
        return Ok(());
    };
    match v.parse::<Decimal>() {
        Ok(d) => ws.write_number_with_format(row, col, number_f64(Number::Decimal(d)), format)?,
        Err(_) => ws.write_string_with_format(row, col, v, format)?,
    };
    Ok(())
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

/// Writes the document as XLSX. A report's layout also gets the sheets that carry the rest of
/// the report (metadata, prose, free-form tables and the hidden key, shared with the fill-in
/// workbook: [`fill_in`]), so the workbook imports back into the same report.
pub fn write(doc: &Document, opts: &ExportOptions) -> Result<Output, ExportError> {
    let mut wb = Workbook::new();
    // Level 1 halves the writing time (7.8 → 4.0 ms for the seed) for ~25% larger files.
    wb.set_zip_compression_level(1);
    let s = Styles::new();
    let date = opts.effective_date(doc);
    let props =
        properties(&doc.meta.title, &doc.meta.author, &doc.meta.subject, date).map_err(err)?;
    wb.set_properties(&props);
    let warnings = Vec::new();
    let mut used_names: Vec<String> = Vec::new();
    let tables = fill_in::statutory_tables(doc);
    let mut names = Vec::new();
    for t in &tables {
        let name = sheet_name(t, &mut used_names);
        let ws = wb.add_worksheet();
        ws.set_name(&name).map_err(err)?;
        table_sheet(ws, t, &s).map_err(err)?;
        names.push(name);
    }
    data_sheet(wb.add_worksheet(), doc).map_err(err)?;
    findings_sheet(wb.add_worksheet(), doc, &s).map_err(err)?;
    if fill_in::is_report_layout(doc) {
        fill_in::meta_sheet(&mut wb, doc, &s).map_err(err)?;
        let free = fill_in::prose_sheet(&mut wb, doc, &names, &s).map_err(err)?;
        let mut key = fill_in::KeyRows::new(doc);
        for (t, name) in tables.iter().zip(&names) {
            key.table(name, t, true);
        }
        for (name, t) in &free {
            fill_in::free_sheet(&mut wb, name, t, &s).map_err(err)?;
            key.free(name, t);
        }
        fill_in::key_sheet(&mut wb, &key).map_err(err)?;
    }
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
    while used.contains(&name)
        || [
            "数据",
            "校验",
            fill_in::META_SHEET,
            fill_in::PROSE_SHEET,
            fill_in::KEY_SHEET,
        ]
        .contains(&name.as_str())
        || name.starts_with(fill_in::FREE_PREFIX)
    {
        name = format!("{base}{n}");
        n += 1;
    }
    used.push(name.clone());
    name
}

/// A placed number cell.
pub(crate) struct Placed<'a> {
    pub(crate) row: u32,
    pub(crate) col: u16,
    pub(crate) cell: &'a NumberCell,
}

/// A statutory table's number cells on its sheet: each key at its first cell, the keys in
/// grid order, and the first grid column holding a number (the column count when none does).
/// The report view and the fill-in form place their grids alike.
pub(crate) type PlacedCells<'a> = rustc_hash::FxHashMap<&'a CellKey, Placed<'a>>; // looked up only, never iterated

pub(crate) fn place_numbers(t: &Table) -> (PlacedCells<'_>, Vec<&CellKey>, u16) {
    let mut placed = PlacedCells::default();
    let mut order = Vec::new();
    let mut first_data_col = t.columns.max(1) as u16;
    for (ri, row) in t.rows.iter().enumerate() {
        for c in &row.cells {
            if let Content::Number(n) = &c.content {
                first_data_col = first_data_col.min(c.col as u16);
                if let std::collections::hash_map::Entry::Vacant(e) = placed.entry(&n.key) {
                    e.insert(Placed {
                        row: GRID_ROW + ri as u32,
                        col: c.col as u16,
                        cell: n,
                    });
                    order.push(&n.key);
                }
            }
        }
    }
    (placed, order, first_data_col)
}

/// The `SUM` arguments of the placed cells among `keys` (`0` when none is placed).
pub(crate) fn sum_refs(placed: &PlacedCells, keys: &[CellKey]) -> String {
    let r: Vec<(u32, u16)> = keys
        .iter()
        .filter_map(|k| placed.get(k).map(|p| (p.row, p.col)))
        .collect();
    if r.is_empty() {
        "0".into()
    } else {
        sum_args(&r)
    }
}

/// The table's title (`表三　…`) across the sheet's first row.
pub(crate) fn table_title(ws: &mut Worksheet, t: &Table, s: &Styles) -> Result<(), XlsxError> {
    let columns = t.columns.max(1);
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
    Ok(())
}

fn is_amount(c: &NumberCell) -> bool {
    c.value_type == ValueType::Amount
}

/// Whether a defining check's sum cell holds an amount.
fn placed_is_amount(c: &Check, placed: &PlacedCells) -> bool {
    c.left
        .first()
        .and_then(|k| placed.get(k))
        .is_some_and(|p| is_amount(p.cell))
}

/// Where a rule's check cells go: under the table when each instance's left cell has a column
/// of its own, right of it when each has a row of its own, else one row per instance.
fn placement(checks: &[&Check], pos: &dyn Fn(&CellKey) -> Option<(u32, u16)>) -> Placement {
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

fn table_sheet(ws: &mut Worksheet, t: &Table, s: &Styles) -> Result<(), XlsxError> {
    let columns = t.columns.max(1);
    let (placed, order, first_data_col) = place_numbers(t);
    table_title(ws, t, s)?;
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
                // Long header phrases wrap onto 2 lines; a short one (e.g. 本年新制作数量)
                // stays whole so no word breaks in the middle.
                w = print::header_width(display_width(c.content.text()));
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
    // Grid; the row heights (points) are kept for the page setup.
    let mut row_heights: Vec<f64> = Vec::with_capacity(t.rows.len());
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
            let fmt: Cow<Format> = match (&c.content, row.kind) {
                (Content::Text(_), RowKind::Body) if c.marked => Cow::Borrowed(&s.marked),
                (Content::Text(_), RowKind::Body) if c.align == crate::layout::Align::Left => {
                    Cow::Borrowed(&s.label)
                }
                (Content::Text(_), RowKind::Body) => Cow::Borrowed(&s.label_center),
                (Content::Text(_), _) => Cow::Borrowed(&s.header),
                // Every number as published, sums included (their recomputed value stands in
                // the check area), with every published decimal shown.
                (Content::Number(n), _) if is_amount(n) => {
                    amount_with_decimals(&s.amount, n.value.map_or(0, decimals))
                }
                (Content::Number(_), _) => Cow::Borrowed(&s.count),
                (Content::Derived(d), _) if d.derivation == Derivation::ChangeRatio => {
                    Cow::Borrowed(&s.ratio)
                }
                (Content::Derived(_), _) => Cow::Borrowed(&s.change),
            };
            let fmt = if c.marked && !matches!(c.content, Content::Text(_)) {
                Cow::Owned(fmt.into_owned().set_background_color(Color::RGB(0xFFEB9C)))
            } else {
                fmt
            };
            let fmt = fmt.as_ref();
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
                Content::Number(n) => match n.value {
                    Some(v) => {
                        ws.write_number_with_format(r, col, number_f64(v), fmt)?;
                    }
                    None => {
                        ws.write_blank(r, col, fmt)?;
                    }
                },
                Content::Derived(d) => {
                    ws.write_formula_with_format(r, col, derived_formula(r, d), fmt)?;
                }
            }
        }
        if row
            .cells
            .iter()
            .any(|c| matches!(c.content, Content::Text(_)))
        {
            ws.set_row_height(r, 14.0 * lines + 4.0)?;
            row_heights.push(14.0 * lines + 4.0);
        } else {
            row_heights.push(15.0);
        }
    }
    let header_height: f64 = row_heights.iter().take(t.header_rows).sum();
    let grid_end = GRID_ROW + t.rows.len() as u32; // first row after the grid
    let header_rows = t.header_rows as u32;
    // The recomputed sums: blank cells count as 0, as the spreadsheet's SUM counts them.
    let lookup = |k: &CellKey| placed.get(k).map(|p| p.cell.value.map(Number::to_decimal));
    let zero = Evaluator::new(&lookup, BlankPolicy::Zero);
    // Group checks by rule id in order of appearance.
    let mut rules: Vec<(String, Vec<&Check>)> = Vec::new();
    for c in &t.checks {
        match rules.iter_mut().find(|(id, _)| *id == c.rule) {
            Some((_, v)) => v.push(c),
            None => rules.push((c.rule.clone(), vec![c])),
        }
    }
    let pos = |k: &CellKey| placed.get(k).map(|p| (p.row, p.col));
    let placements: Vec<Placement> = rules.iter().map(|(_, cs)| placement(cs, &pos)).collect();
    let defines = |cs: &[&Check]| cs.iter().any(|c| c.defines);
    let check_start = grid_end + 1;
    let refs = |keys: &[CellKey]| sum_refs(&placed, keys);
    // A recomputed sum: the live formula over the published addends.
    let computed_formula = |c: &Check| -> Formula {
        let v = zero.sum(&c.right).unwrap_or_default();
        Formula::new(format!("=SUM({})", refs(&c.right))).set_result(decimal_text(v))
    };
    // A recomputed sum's format: amounts show every decimal of the sum.
    let calc_format = |c: &Check| -> Cow<Format> {
        if placed_is_amount(c, &placed) {
            let v = zero.sum(&c.right).unwrap_or_default();
            amount_with_decimals(&s.calc_amount, v.scale())
        } else {
            Cow::Borrowed(&s.calc)
        }
    };
    // A check cell: `—` while a cell it reads is blank or missing (the rule cannot be decided,
    // as in validation), else whether the published values satisfy the rule. Its cached result
    // is the layout's verdict, which is validation's.
    let check_formula = |c: &Check, computed: Option<(u32, u16)>| -> Formula {
        let amounts = c
            .left
            .iter()
            .chain(&c.right)
            .any(|k| placed.get(k).is_some_and(|p| is_amount(p.cell)));
        let left = format!("SUM({})", refs(&c.left));
        let right = match computed {
            Some((r, col)) if c.defines => cell_ref(r, col),
            _ => format!("SUM({})", refs(&c.right)),
        };
        let equal = if amounts {
            format!("ROUND({left}-{right},6)=0")
        } else {
            format!("{left}={right}")
        };
        let all: Vec<CellKey> = c.left.iter().chain(&c.right).cloned().collect();
        let text = format!(
            "=IF(COUNT({})<{},\"{UNDECIDED}\",{equal})",
            refs(&all),
            all.len()
        );
        let result = match c.verdict {
            Verdict::Holds => "TRUE",
            Verdict::Fails => "FALSE",
            Verdict::Undecidable => UNDECIDED,
        };
        Formula::new(text).set_result(result)
    };
    let label_span_end = first_data_col.saturating_sub(1);
    let mut check_widths: Vec<f64> = Vec::new();
    // The height the check columns' labels need in the header rows.
    let mut header_need = 0.0f64;
    let mut next_row = check_start;
    let mut next_col = columns as u16;
    for ((id, checks), placement) in rules.iter().zip(&placements) {
        let desc = &checks[0].description;
        let with_sums = defines(checks);
        match placement {
            Placement::RowBelow => {
                // The label stands in the check row itself, so the importer skips the row by
                // its rule id: over the label columns, or (表四, which has none) over the
                // table's columns left of the first check cell, inside the table's width.
                let first_check_col = checks
                    .iter()
                    .filter_map(|c| c.left.first().and_then(pos))
                    .map(|(_, col)| col)
                    .min()
                    .unwrap_or(0);
                let span_end = if first_data_col == 0 {
                    first_check_col.checked_sub(1)
                } else {
                    Some(label_span_end)
                };
                let mut row_label = |r: u32, text: &str| -> Result<(), XlsxError> {
                    let avail = match span_end {
                        Some(e) if e > 0 => {
                            ws.merge_range(r, 0, r, e, text, &s.header)?;
                            widths[..=e as usize].iter().sum::<f64>()
                        }
                        Some(_) => {
                            ws.write_string_with_format(r, 0, text, &s.header)?;
                            widths[0]
                        }
                        // No room left of the check cells: right of the table.
                        None => {
                            ws.write_string_with_format(r, columns as u16, text, &s.note)?;
                            f64::MAX
                        }
                    };
                    let lines = (display_width(text) / (avail - 1.0).max(1.0)).ceil();
                    ws.set_row_height(r, (14.0 * lines + 4.0).max(30.0))?;
                    Ok(())
                };
                let sums_row = with_sums.then(|| {
                    next_row += 1;
                    next_row - 1
                });
                let r = next_row;
                next_row += 1;
                if let Some(sr) = sums_row {
                    row_label(sr, &format!("{id} 计算值：{desc}"))?;
                }
                row_label(r, &format!("{id} 校验：{desc}"))?;
                for c in checks {
                    let Some((_, col)) = c.left.first().and_then(pos) else {
                        continue;
                    };
                    let computed = match sums_row {
                        Some(sr) if c.defines => {
                            let fmt = &*calc_format(c);
                            ws.write_formula_with_format(sr, col, computed_formula(c), fmt)?;
                            Some((sr, col))
                        }
                        _ => None,
                    };
                    ws.write_formula_with_format(r, col, check_formula(c, computed), &s.check)?;
                    check_colours(ws, r, col, s)?;
                }
            }
            Placement::ColumnRight => {
                let top = GRID_ROW;
                let bottom = (GRID_ROW + header_rows).max(GRID_ROW + 1) - 1;
                // Wide enough that the label fits the header rows' height (no clipping).
                let mut column_label = |col: u16, text: &str| -> Result<(), XlsxError> {
                    if bottom > top {
                        ws.merge_range(top, col, bottom, col, text, &s.header)?;
                    } else {
                        ws.write_string_with_format(top, col, text, &s.header)?;
                    }
                    // Narrow (at most 16 units, so the table keeps a legible print scale);
                    // the header rows grow to hold the label's lines (see below).
                    let lines = ((header_height - 4.0) / 14.0).floor().max(1.0);
                    let w = ((display_width(text) / lines).ceil() + 3.0).clamp(12.0, 16.0);
                    ws.set_column_width(col, w)?;
                    check_widths.push(w);
                    let need = (display_width(text) / (w - 3.0)).ceil();
                    header_need = header_need.max(14.0 * need + 4.0);
                    Ok(())
                };
                let sums_col = with_sums.then(|| {
                    next_col += 1;
                    next_col - 1
                });
                let col = next_col;
                next_col += 1;
                if let Some(sc) = sums_col {
                    column_label(sc, &format!("{id} 计算值：{desc}"))?;
                }
                column_label(col, &format!("{id} 校验：{desc}"))?;
                for c in checks {
                    let Some((row, _)) = c.left.first().and_then(pos) else {
                        continue;
                    };
                    let computed = match sums_col {
                        Some(sc) if c.defines => {
                            let fmt = &*calc_format(c);
                            ws.write_formula_with_format(row, sc, computed_formula(c), fmt)?;
                            Some((row, sc))
                        }
                        _ => None,
                    };
                    ws.write_formula_with_format(row, col, check_formula(c, computed), &s.check)?;
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
                    let computed = if c.defines {
                        let fmt = &*calc_format(c);
                        ws.write_formula_with_format(r, col, computed_formula(c), fmt)?;
                        Some((r, col))
                    } else {
                        None
                    };
                    let check_col = col + computed.is_some() as u16;
                    ws.write_formula_with_format(
                        r,
                        check_col,
                        check_formula(c, computed),
                        &s.check,
                    )?;
                    check_colours(ws, r, check_col, s)?;
                }
            }
        }
    }
    // The printed width (column units) and height (points) of table and check area.
    let width: f64 = widths.iter().sum::<f64>() + check_widths.iter().sum::<f64>();
    let last_col = (next_col.max(columns as u16)).saturating_sub(1);
    let mut height = 24.0 + row_heights.iter().sum::<f64>() + 15.0;
    // The last header row grows until the check columns' labels fit (no clipping).
    if header_need > header_height && t.header_rows > 0 {
        let last = t.header_rows - 1;
        ws.set_row_height(
            GRID_ROW + last as u32,
            row_heights[last] + header_need - header_height,
        )?;
        height += header_need - header_height;
    }
    height += (next_row - check_start) as f64 * 30.0;
    let mut last_row = next_row.saturating_sub(1).max(grid_end - 1);
    if !t.checks.is_empty() {
        // The note wraps across the printed width, inside the print area.
        let note = "说明：表中数字为报表填报值（合计单元格亦按填报值显示）；“计算值”按各分项实时计算（空白按 0 计），“校验”按填报值核对勾稽关系（与 nianbao validate 一致）：TRUE 成立，FALSE 不成立，“—”表示有空白单元格、无法判断。";
        let r = next_row + 1;
        let lines = (display_width(note) / (width - 1.0).max(1.0))
            .ceil()
            .max(1.0);
        let fmt = s.note.clone().set_text_wrap().set_align(FormatAlign::Top);
        if last_col > 0 {
            ws.merge_range(r, 0, r, last_col, note, &fmt)?;
        } else {
            ws.write_string_with_format(r, 0, note, &fmt)?;
        }
        ws.set_row_height(r, 14.0 * lines + 4.0)?;
        height += 15.0 + 14.0 * lines + 4.0;
        last_row = r;
    }
    // Data validation on the grid's input cells, per value type.
    let mut by_type: BTreeMap<u8, (ValueType, Vec<(u32, u16)>)> = BTreeMap::new();
    for k in &order {
        let Some(p) = placed.get(k) else { continue };
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
    print_setup_table(
        ws,
        (width, height),
        GRID_ROW + header_rows - 1,
        freeze_col,
        (last_row, last_col),
    )?;
    Ok(())
}

/// The live formula of a derived cell on sheet row `r`, its value cached ([`UNDECIDED`] while
/// a value is blank or, for a ratio, last year's is 0).
fn derived_formula(r: u32, d: &DerivedCell) -> Formula {
    let (from, to) = (cell_ref(r, d.from as u16), cell_ref(r, d.to as u16));
    let none = format!("\"{UNDECIDED}\"");
    let text = match d.derivation {
        Derivation::Change => format!("=IF(COUNT({from},{to})<2,{none},{to}-{from})"),
        Derivation::ChangeRatio => {
            format!("=IF(COUNT({from},{to})<2,{none},IF({from}=0,{none},({to}-{from})/{from}))")
        }
    };
    let result = d
        .value
        .map(decimal_text)
        .unwrap_or_else(|| UNDECIDED.to_string());
    Formula::new(text).set_result(result)
}

fn data_sheet(ws: &mut Worksheet, doc: &Document) -> Result<(), XlsxError> {
    ws.set_name("数据")?;
    let columns = [
        ("agency", 30.0),
        ("year", 8.0),
        ("format", 8.0),
        ("table", 18.0),
        ("table_name", 8.0),
        ("row_key", 30.0),
        ("column_key", 16.0),
        ("row_label", 44.0),
        ("column_label", 20.0),
        ("unit", 8.0),
        ("value", 10.0),
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
                ws.write_string(r, 3, &*n.key.table)?;
                ws.write_string(r, 4, t.name.as_deref().unwrap_or(""))?;
                ws.write_string(r, 5, &*n.key.row)?;
                ws.write_string(r, 6, &*n.key.column)?;
                ws.write_string(r, 7, &*n.row_label)?;
                ws.write_string(r, 8, &*n.column_label)?;
                ws.write_string(r, 9, n.unit.as_deref().unwrap_or(""))?;
                if let Some(v) = n.value {
                    ws.write_number(r, 10, number_f64(v))?;
                }
                r += 1;
            }
        }
    }
    finish_table(ws, &columns, r, "report_data")
}

/// Adds the header (the stable column keys), column widths and an Excel Table over rows
/// `1..end`.
pub fn finish_table(
    ws: &mut Worksheet,
    columns: &[(&str, f64)],
    end: u32,
    name: &str,
) -> Result<(), XlsxError> {
    let cols: Vec<TableColumn> = columns
        .iter()
        .map(|(k, _)| TableColumn::new().set_header(*k))
        .collect();
    for (i, (_, w)) in columns.iter().enumerate() {
        ws.set_column_width(i as u16, *w)?;
    }
    let last = end.max(2) - 1;
    let table = XTable::new()
        .set_name(name)
        .set_style(TableStyle::Medium2)
        .set_columns(&cols);
    ws.add_table(0, 0, last, columns.len() as u16 - 1, &table)?;
    ws.set_freeze_panes(1, 0)?;
    print_setup(ws, Some(0))?;
    Ok(())
}

fn findings_sheet(ws: &mut Worksheet, doc: &Document, s: &Styles) -> Result<(), XlsxError> {
    ws.set_name("校验")?;
    // Narrow enough (123 units) to print one page wide at the list scale (80 %), in
    // LibreOffice too (its column unit prints wider than Excel's): the path, cell, value and
    // message text wraps within its column, each row as tall as its longest.
    let columns = [
        ("rule", 7.0),
        ("severity", 8.0),
        ("path", 22.0),
        ("cell", 26.0),
        ("expected", 10.0),
        ("actual", 10.0),
        ("message", 40.0),
    ];
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let mut r = 1u32;
    for f in &doc.findings {
        let texts = [
            (2, f.path.as_str()),
            (3, f.cell.as_str()),
            (4, f.expected.as_deref().unwrap_or("")),
            (5, f.actual.as_deref().unwrap_or("")),
            (6, f.message.as_str()),
        ];
        ws.write_string_with_format(r, 0, &f.rule, &wrap)?;
        ws.write_string_with_format(r, 1, f.severity.as_str(), &wrap)?;
        let mut lines = 1.0f64;
        for (col, text) in texts {
            let width = columns[col as usize].1;
            lines = lines.max((display_width(text) / (width - 1.0)).ceil());
            if col == 4 || col == 5 {
                write_value_with_format(ws, r, col, Some(text), &wrap)?;
            } else {
                ws.write_string_with_format(r, col, text, &wrap)?;
            }
        }
        if lines > 1.0 {
            ws.set_row_height(r, 15.0 * lines + 3.0)?;
        }
        r += 1;
    }
    finish_table(ws, &columns, r, "report_findings")?;
    // Landscape at the list scale over as many pages down as it takes (fit to one page wide,
    // long messages overflowing the last column printed it at about 6 pt).
    print::print_setup_list(ws)?;
    // The lint levels the findings were adjusted with, below the table.
    let mut row = r.max(2) + 1;
    ws.write_string_with_format(row, 0, "规则级别 (lint levels)", &s.note)?;
    row += 1;
    if doc.lints.levels.is_empty() {
        ws.write_string_with_format(row, 0, "默认 (default)", &s.note)?;
        row += 1;
    }
    for (id, level) in &doc.lints.levels {
        ws.write_string_with_format(row, 0, id, &s.note)?;
        ws.write_string_with_format(row, 1, level.as_str(), &s.note)?;
        row += 1;
    }
    if let Some(config) = &doc.lints.config {
        ws.write_string_with_format(row, 0, "config", &s.note)?;
        ws.write_string_with_format(row, 1, config, &s.note)?;
    }
    Ok(())
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
