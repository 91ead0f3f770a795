//! The Excel reader: a `.xlsx` (nianbao's own export workbook, or one a statistician laid out
//! like the official tables) to the intermediate form. The package is checked first with the
//! DOCX reader's limits ([`super::docx::package`]: zip bombs, encrypted and old binary files);
//! cells are then streamed with calamine, at most [`MAX_ROWS`] rows per sheet.
//!
//! Each sheet becomes a title (its first row, when that holds one cell) and a grid with the merged cells
//! expanded; the matcher reads the statutory cells by their labels, as for every other source.
//! What a person types is read with care:
//!
//! * a formula cell gives no value: its cached result is never taken (the cell is `null`, and
//!   logged), so a total typed over a live sum and a stale cached result cannot pass as data;
//! * text in a number cell (`12件`, `１２`, ` 12 `, `1,234`) is read as the one number it
//!   unambiguously holds and logged with the cell address; text with digits that is not one
//!   number (`12 13`, `1２件3`) refuses the import, naming the cell (`表三!D12`);
//! * nianbao's check area (rows and columns headed by a rule id such as `A-02 计算值`) and the
//!   sheets holding the long-form data and findings tables are not read.

use super::docx::package::Package;
use super::log::{ImportLog, LogEntry, LogKind};
use super::normalize::fold_width;
use super::source::{Grid, GridCell, SourceBlock, SourceDoc, SourcePos, TextBlock};
use super::{ImportError, SourceKind};
use crate::xlsx::fill_in;
use calamine::{DataRef, Reader, Xlsx};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::io::Cursor;

/// Most rows read from one sheet; an annual report's tables have about 40.
pub const MAX_ROWS: u32 = 10_000;
/// Most columns read from one sheet.
pub const MAX_COLS: u32 = 200;

/// The Excel tables nianbao's export workbook keeps its long-form data and findings in.
const SKIPPED_TABLES: &[&str] = &["report_data", "report_findings"];

/// Column letters for a 0-based column index (`0` → `A`); columns past Excel's last are named
/// as the last.
fn col_name(col: u32) -> String {
    rust_xlsxwriter::utility::column_number_to_name(col.min(16_383) as u16)
}

/// `表三!D12` for a 0-based row and column.
pub fn address(sheet: &str, row: u32, col: u32) -> String {
    format!("{sheet}!{}{}", col_name(col), row + 1)
}

fn unreadable(reason: String) -> ImportError {
    ImportError::Unreadable { reason }
}

/// Units a clerk types after a count or an amount.
const UNITS: &[&str] = &["万元", "元", "件", "个", "项", "条", "次", "人"];

/// What a text typed in a cell says as a number: `Ok(None)` when it is not number-like (a
/// label), `Ok(Some(n))` for exactly one number, `Err(())` when it holds digits but not one
/// unambiguous number.
fn number_in_text(s: &str) -> Result<Option<String>, ()> {
    let folded: String = s.chars().map(fold_width).collect();
    let t = folded.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
    if !t.chars().any(|c| c.is_ascii_digit()) {
        return Ok(None);
    }
    let mut core = t;
    for u in UNITS {
        if let Some(x) = core.strip_suffix(u) {
            core = x.trim_end();
            break;
        }
    }
    // Anything but digits, separators and spaces left: a label such as `1.规章`.
    if core
        .chars()
        .any(|c| !(c.is_ascii_digit() || matches!(c, ',' | '.' | ' ' | '-')))
    {
        let unit_digits = t.chars().all(|c| {
            c.is_ascii_digit()
                || c.is_whitespace()
                || matches!(c, ',' | '.' | '-')
                || UNITS.iter().any(|u| u.contains(c))
        });
        return if unit_digits { Err(()) } else { Ok(None) };
    }
    let no_commas = core.replace(',', "");
    let ok = !no_commas.is_empty()
        && !no_commas.contains(' ')
        && no_commas.matches('.').count() <= 1
        && !no_commas.starts_with('.')
        && !no_commas.ends_with('.')
        && !no_commas.get(1..).unwrap_or("").contains('-')
        && (!core.contains(',') || thousands_ok(core));
    if ok {
        Ok(Some(no_commas))
    } else {
        Err(())
    }
}

fn thousands_ok(s: &str) -> bool {
    let int = s.split('.').next().unwrap_or("");
    let groups: Vec<&str> = int.split(',').collect();
    groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3)
}

fn number_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

struct Sheet {
    name: String,
    /// (row, col) → text (empty for a formula).
    cells: HashMap<(u32, u32), String>,
    /// (row, col) → formula, for the cells holding one.
    formulas: HashMap<(u32, u32), String>,
    merges: Vec<calamine::Dimensions>,
    rows: u32,
    cols: u32,
}

fn note(log: &mut ImportLog, cell: String, message: String) {
    log.push(LogEntry {
        kind: LogKind::Note,
        path: String::new(),
        cell: cell.clone(),
        source: SourcePos::Cell(cell),
        message,
    });
}

fn read_sheet(
    wb: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    log: &mut ImportLog,
) -> Result<Sheet, ImportError> {
    let calamine_err = |e: calamine::XlsxError| {
        unreadable(format!(
            "工作表 “{name}” 无法读取：{e} (the sheet cannot be read)"
        ))
    };
    let mut cells = HashMap::new();
    let mut formulas = HashMap::new();
    let (mut rows, mut cols) = (0u32, 0u32);
    {
        let mut reader = wb.worksheet_cells_reader(name).map_err(calamine_err)?;
        while let Some(c) = reader.next_cell_with_formula().map_err(calamine_err)? {
            let (r, col) = c.pos;
            if r >= MAX_ROWS {
                return Err(unreadable(format!(
                    "工作表 “{name}” 超过 {MAX_ROWS} 行（{}），不是年度报告的表格 (the sheet has more than {MAX_ROWS} rows)",
                    address(name, r, col)
                )));
            }
            if col >= MAX_COLS {
                continue;
            }
            let at = address(name, r, col);
            let text = if let Some(f) = c.formula.filter(|f| !f.trim().is_empty()) {
                rows = rows.max(r + 1);
                cols = cols.max(col + 1);
                formulas.insert((r, col), f);
                String::new()
            } else {
                match c.value {
                    DataRef::Int(i) => i.to_string(),
                    DataRef::Float(f) => number_text(f),
                    DataRef::String(s) => typed_text(&s, &at, log)?,
                    DataRef::SharedString(s) => typed_text(s, &at, log)?,
                    DataRef::Bool(b) => b.to_string(),
                    DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s,
                    DataRef::DateTime(d) => d.as_f64().to_string(),
                    DataRef::Error(e) => {
                        note(
                            log,
                            at.clone(),
                            format!(
                                "{at} 是错误值 {e:?}，按空白处理 (an error value: read as blank)"
                            ),
                        );
                        String::new()
                    }
                    DataRef::Empty => String::new(),
                }
            };
            if !text.is_empty() {
                rows = rows.max(r + 1);
                cols = cols.max(col + 1);
                cells.insert((r, col), text);
            }
        }
    }
    let merges = wb.merge_cells_by_sheet_name(name).unwrap_or_default();
    Ok(Sheet {
        name: name.to_string(),
        cells,
        formulas,
        merges,
        rows,
        cols,
    })
}

/// A string typed in a cell: a number in it read (and logged), a label kept, an ambiguous
/// number refused.
fn typed_text(s: &str, at: &str, log: &mut ImportLog) -> Result<String, ImportError> {
    match number_in_text(s) {
        Ok(None) => Ok(s.to_string()),
        Ok(Some(n)) => {
            if n != s {
                note(
                    log,
                    at.to_string(),
                    format!("{at} 的文字 “{s}” 读作数字 {n} (text in a number cell read as {n})"),
                );
            }
            Ok(n)
        }
        Err(()) => Err(unreadable(format!(
            "{at} 的 “{s}” 不是一个确定的数字，请只填写数字 (the cell holds digits but not one unambiguous number)"
        ))),
    }
}

/// Whether a cell starts with a rule id (`A-02 计算值`): nianbao's check area.
fn is_rule_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 4
        && b[0].is_ascii_uppercase()
        && b[1] == b'-'
        && b[2].is_ascii_digit()
        && b[3].is_ascii_digit()
}

fn sheet_blocks(sheet: &Sheet, out: &mut Vec<SourceBlock>, log: &mut ImportLog) {
    let text = |r: u32, c: u32| sheet.cells.get(&(r, c)).map(String::as_str).unwrap_or("");
    // Check rows and columns.
    let skip_row: Vec<bool> = (0..sheet.rows)
        .map(|r| {
            (0..sheet.cols)
                .map(|c| text(r, c))
                .find(|t| !t.is_empty())
                .is_some_and(is_rule_id)
        })
        .collect();
    // A check column is headed by a rule id; a check row's own label (表四's stands inside
    // the table's columns) marks only its row, unless its column holds nothing else.
    let skip_col: Vec<bool> = (0..sheet.cols)
        .map(|c| {
            let ids = |check: bool| {
                (0..sheet.rows).any(|r| skip_row[r as usize] == check && is_rule_id(text(r, c)))
            };
            let only_checks = (0..sheet.rows).all(|r| {
                skip_row[r as usize]
                    || (text(r, c).is_empty() && !sheet.formulas.contains_key(&(r, c)))
            });
            ids(false) || (only_checks && ids(true))
        })
        .collect();
    // The first row, when it holds one cell only: the sheet's title.
    let mut r0 = 0;
    while r0 < sheet.rows {
        let blank = (0..sheet.cols).all(|c| text(r0, c).is_empty());
        if !blank {
            break;
        }
        r0 += 1;
    }
    if r0 < sheet.rows {
        let filled: Vec<&str> = (0..sheet.cols)
            .filter(|c| !skip_col[*c as usize])
            .map(|c| text(r0, c))
            .filter(|t| !t.is_empty())
            .collect();
        let mut distinct = filled.clone();
        distinct.dedup();
        match distinct[..] {
            [t] if number_in_text(t) == Ok(None) => {
                out.push(SourceBlock::Text(TextBlock {
                    text: t.to_string(),
                    heading_level: None,
                    pos: SourcePos::Cell(address(&sheet.name, r0, 0)),
                }));
                r0 += 1;
            }
            _ => {}
        }
    }
    let keep_cols: Vec<u32> = (0..sheet.cols).filter(|c| !skip_col[*c as usize]).collect();
    let distinct = |r: u32| -> usize {
        let mut v: Vec<&str> = keep_cols
            .iter()
            .map(|c| text(r, *c))
            .filter(|t| !t.is_empty())
            .collect();
        v.sort_unstable();
        v.dedup();
        v.len()
    };
    let has_formula = |r: u32| {
        keep_cols
            .iter()
            .any(|c| sheet.formulas.contains_key(&(r, *c)))
    };
    let mut keep_rows: Vec<u32> = (r0..sheet.rows)
        .filter(|r| !skip_row[*r as usize] && (distinct(*r) > 0 || has_formula(*r)))
        .collect();
    // One-cell rows after the table: notes under it.
    let mut notes = Vec::new();
    let is_note = |r: u32| {
        distinct(r) == 1
            && !has_formula(r)
            && keep_cols
                .iter()
                .map(|c| text(r, *c))
                .find(|t| !t.is_empty())
                .is_some_and(|t| number_in_text(t) == Ok(None))
    };
    while keep_rows.len() > 1 && is_note(keep_rows[keep_rows.len() - 1]) {
        let r = keep_rows.pop().unwrap_or_default();
        if let Some(c) = keep_cols.iter().find(|c| !text(r, **c).is_empty()) {
            notes.push(SourceBlock::Text(TextBlock {
                text: text(r, *c).to_string(),
                heading_level: None,
                pos: SourcePos::Cell(address(&sheet.name, r, *c)),
            }));
        }
    }
    notes.reverse();
    if keep_rows.is_empty() || keep_cols.is_empty() {
        out.append(&mut notes);
        return;
    }
    for &r in &keep_rows {
        for &c in &keep_cols {
            if let Some(f) = sheet.formulas.get(&(r, c)) {
                let at = address(&sheet.name, r, c);
                note(
                    log,
                    at.clone(),
                    format!(
                        "{at} 是公式 “={f}”，不取其缓存结果，按空白处理 (a formula: its cached result is not taken; read as blank)"
                    ),
                );
            }
        }
    }
    // The merged region holding each cell.
    let mut region: HashMap<(u32, u32), calamine::Dimensions> = HashMap::new();
    for m in &sheet.merges {
        let cells = (m.end.0.saturating_sub(m.start.0) as u64 + 1)
            * (m.end.1.saturating_sub(m.start.1) as u64 + 1);
        if cells > 100_000 {
            continue;
        }
        for r in m.start.0..=m.end.0.min(sheet.rows) {
            for c in m.start.1..=m.end.1.min(sheet.cols) {
                region.insert((r, c), *m);
            }
        }
    }
    let row_ix: HashMap<u32, usize> = keep_rows.iter().enumerate().map(|(i, r)| (*r, i)).collect();
    let col_ix: HashMap<u32, usize> = keep_cols.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    let mut rows = Vec::with_capacity(keep_rows.len());
    for (ri, &r) in keep_rows.iter().enumerate() {
        let mut slots = Vec::with_capacity(keep_cols.len());
        for (ci, &c) in keep_cols.iter().enumerate() {
            let (origin, span, src) = match region.get(&(r, c)) {
                Some(m) => {
                    // The region's first kept row and column.
                    let or = (m.start.0..=m.end.0)
                        .find_map(|x| row_ix.get(&x).copied())
                        .unwrap_or(ri);
                    let oc = (m.start.1..=m.end.1)
                        .find_map(|x| col_ix.get(&x).copied())
                        .unwrap_or(ci);
                    let nr = (m.start.0..=m.end.0)
                        .filter(|x| row_ix.contains_key(x))
                        .count();
                    let nc = (m.start.1..=m.end.1)
                        .filter(|x| col_ix.contains_key(x))
                        .count();
                    ((or, oc), (nr.max(1), nc.max(1)), m.start)
                }
                None => ((ri, ci), (1, 1), (r, c)),
            };
            slots.push(GridCell {
                text: text(src.0, src.1).to_string(),
                origin,
                span,
                pos: SourcePos::Cell(address(&sheet.name, r, c)),
            });
        }
        rows.push(slots);
    }
    out.push(SourceBlock::Table(Grid {
        rows,
        pos: SourcePos::Cell(address(&sheet.name, keep_rows[0], keep_cols[0])),
    }));
    out.append(&mut notes);
}

/// Reads a `.xlsx` into the intermediate form, with log entries for what was read with a note
/// (text in number cells, formulas not taken).
pub(crate) fn read(bytes: &[u8]) -> Result<(SourceDoc, ImportLog), ImportError> {
    let mut pkg = Package::open(bytes, SourceKind::Xlsx)?;
    // Inflate every part once under the limits before calamine reads them.
    for name in pkg.names() {
        pkg.part(&name)?;
    }
    let mut nianbao = false;
    let mut wb: Xlsx<Cursor<&[u8]>> = Xlsx::new(Cursor::new(bytes)).map_err(|e| {
        unreadable(format!(
            "这不是可读的 Excel 工作簿：{e} (not a readable .xlsx workbook)"
        ))
    })?;
    let mut skipped: Vec<String> = Vec::new();
    if wb.load_tables().is_ok() {
        for sheet in wb.sheet_names() {
            let tables = wb.table_names_in_sheet(&sheet);
            if tables.iter().any(|t| SKIPPED_TABLES.contains(&t.as_str())) {
                nianbao = true;
                skipped.push(sheet.clone());
            }
        }
    }
    let mut pkg = Package::open(bytes, SourceKind::Xlsx)?;
    let meta = super::docx::core_meta(&mut pkg, nianbao)?;
    let mut log = ImportLog::default();
    if wb.sheet_names().iter().any(|n| n == fill_in::KEY_SHEET) {
        let key = read_sheet(&mut wb, fill_in::KEY_SHEET, &mut log)?;
        if key.cells.get(&(0, 0)).map(String::as_str) == Some(fill_in::MARK) {
            return read_fill_in(&mut wb, &key, meta, log);
        }
    }
    let mut blocks = Vec::new();
    for name in wb.sheet_names() {
        if skipped.contains(&name) {
            continue;
        }
        let sheet = read_sheet(&mut wb, &name, &mut log)?;
        sheet_blocks(&sheet, &mut blocks, &mut log);
    }
    Ok((SourceDoc { meta, blocks }, log))
}

/// A0-style address (`C5`) to a 0-based row and column.
fn parse_ref(a: &str) -> Option<(u32, u32)> {
    let letters: String = a.chars().take_while(|c| c.is_ascii_uppercase()).collect();
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let row: u32 = a[letters.len()..].parse().ok()?;
    let col = letters
        .bytes()
        .fold(0u32, |acc, b| acc * 26 + u32::from(b - b'A' + 1));
    Some((row.checked_sub(1)?, col - 1))
}

/// A sheet's sum cells (row, column) and the cells each adds up.
type SumCells = HashMap<(u32, u32), Vec<(u32, u32)>>;

/// A sum cell's value from its addends' typed values (sums of sums resolved), blank counted as 0.
fn sum_value(sheet: &Sheet, at: (u32, u32), sums: &SumCells, depth: usize) -> Decimal {
    let Some(addends) = sums.get(&at) else {
        return sheet
            .cells
            .get(&at)
            .and_then(|t| t.parse::<Decimal>().ok())
            .unwrap_or_default();
    };
    if depth > 16 {
        return Decimal::ZERO;
    }
    addends
        .iter()
        .map(|a| sum_value(sheet, *a, sums, depth + 1))
        .sum()
}

/// Reads nianbao's fill-in workbook (`nianbao new --to xlsx`): the metadata sheet gives the
/// title, the prose sheet the sections and paragraphs in order, and each table sheet its grid
/// down to the last grid row the hidden key sheet records (the check rows under it are not
/// read). A sum cell is computed from its addends' typed values, never from a cached result;
/// a sum cell whose formula was replaced by a number is logged and not trusted.
fn read_fill_in(
    wb: &mut Xlsx<Cursor<&[u8]>>,
    key: &Sheet,
    mut meta: super::source::SourceMeta,
    mut log: ImportLog,
) -> Result<(SourceDoc, ImportLog), ImportError> {
    let cell = |s: &Sheet, r: u32, c: u32| s.cells.get(&(r, c)).cloned().unwrap_or_default();
    // Table sheets, their grid ends and sums.
    let mut grid_end: HashMap<String, u32> = HashMap::new();
    let mut sums: HashMap<String, SumCells> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for r in 1..key.rows {
        let name = cell(key, r, 1);
        match cell(key, r, 0).as_str() {
            "table" => {
                let end = cell(key, r, 2).parse().unwrap_or(MAX_ROWS);
                grid_end.insert(name.clone(), end);
                order.push(name);
            }
            "sum" => {
                let Some(at) = parse_ref(&cell(key, r, 2)) else {
                    continue;
                };
                let addends = (3..key.cols)
                    .filter_map(|c| parse_ref(&cell(key, r, c)))
                    .collect();
                sums.entry(name).or_default().insert(at, addends);
            }
            _ => {}
        }
    }
    let names = wb.sheet_names();
    let mut blocks = Vec::new();
    // Metadata: the title from the format's template, agency and year as typed.
    if names.iter().any(|n| n == fill_in::META_SHEET) {
        let m = read_sheet(wb, fill_in::META_SHEET, &mut log)?;
        let agency = cell(&m, 0, 1).trim().to_string();
        let year: Option<i32> = cell(&m, 1, 1).trim().parse().ok();
        let published = cell(&m, 3, 1).trim().to_string();
        let format = cell(&m, 4, 1).trim().to_string();
        let template = crate::template::Template::get(&format)
            .or_else(|| year.and_then(crate::template::Template::for_year));
        if let (Some(t), Some(y)) = (template, year) {
            let title = t.title(&agency, y);
            meta.title = Some(title.clone());
            blocks.push(SourceBlock::Text(TextBlock {
                text: title,
                heading_level: Some(1),
                pos: SourcePos::Cell(address(fill_in::META_SHEET, 0, 1)),
            }));
        }
        if !agency.is_empty() {
            meta.author = Some(agency);
        }
        meta.published = (!published.is_empty()).then_some(published);
    }
    // A table sheet's blocks, its sums computed.
    let mut done: Vec<String> = Vec::new();
    let mut table_blocks = |wb: &mut Xlsx<Cursor<&[u8]>>,
                            name: &str,
                            blocks: &mut Vec<SourceBlock>,
                            log: &mut ImportLog| {
        if done.iter().any(|d| d == name) || !grid_end.contains_key(name) {
            return Ok::<(), ImportError>(());
        }
        done.push(name.to_string());
        let mut sheet = read_sheet(wb, name, log)?;
        let end = grid_end.get(name).copied().unwrap_or(MAX_ROWS);
        // The grid only: not the title row above it, nor the checks under it.
        let grid = |r: u32| (1..end).contains(&r);
        sheet.cells.retain(|(r, _), _| grid(*r));
        sheet.formulas.retain(|(r, _), _| grid(*r));
        sheet.merges.retain(|m| grid(m.start.0));
        sheet.rows = sheet.rows.min(end);
        let empty = HashMap::new();
        let sheet_sums = sums.get(name).unwrap_or(&empty);
        let mut values = Vec::new();
        for at in sheet_sums.keys() {
            let (r, c) = *at;
            let a = address(name, r, c);
            if sheet.formulas.remove(at).is_none() {
                if let Some(typed) = sheet.cells.get(at) {
                    let v = sum_value(&sheet, *at, sheet_sums, 0);
                    note(
                            log,
                            a.clone(),
                            format!(
                                "{a} 是合计单元格，其公式被改成了数字 {typed}，不采信，按各分项计算为 {v} (a sum cell overwritten with a number: not trusted, computed from its addends)"
                            ),
                        );
                }
            }
            values.push((*at, sum_value(&sheet, *at, sheet_sums, 0)));
        }
        for (at, v) in values {
            sheet.cells.insert(at, v.normalize().to_string());
        }
        sheet_blocks(&sheet, blocks, log);
        Ok(())
    };
    // Prose in order, tables where the prose sheet places them.
    if names.iter().any(|n| n == fill_in::PROSE_SHEET) {
        let p = read_sheet(wb, fill_in::PROSE_SHEET, &mut log)?;
        let mut section = String::new();
        for r in 1..p.rows {
            let s = cell(&p, r, 0).trim().to_string();
            if !s.is_empty() && s != section {
                section = s;
                blocks.push(SourceBlock::Text(TextBlock {
                    text: section.clone(),
                    heading_level: Some(1),
                    pos: SourcePos::Cell(address(fill_in::PROSE_SHEET, r, 0)),
                }));
            }
            let text = cell(&p, r, 1);
            if !text.trim().is_empty() {
                blocks.push(SourceBlock::Text(TextBlock {
                    text,
                    heading_level: None,
                    pos: SourcePos::Cell(address(fill_in::PROSE_SHEET, r, 1)),
                }));
            }
            let table = cell(&p, r, 2);
            if !table.trim().is_empty() {
                table_blocks(wb, table.trim(), &mut blocks, &mut log)?;
            }
        }
    }
    for name in order {
        table_blocks(wb, &name, &mut blocks, &mut log)?;
    }
    Ok((SourceDoc { meta, blocks }, log))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_numbers() {
        assert_eq!(number_in_text("12件"), Ok(Some("12".into())));
        assert_eq!(number_in_text("１２"), Ok(Some("12".into())));
        assert_eq!(number_in_text(" 12 "), Ok(Some("12".into())));
        assert_eq!(number_in_text("1,234"), Ok(Some("1234".into())));
        assert_eq!(number_in_text("0.35万元"), Ok(Some("0.35".into())));
        assert_eq!(number_in_text("12 13"), Err(()));
        assert_eq!(number_in_text("1２件3"), Err(()));
        assert_eq!(number_in_text("12,34"), Err(()));
        assert_eq!(number_in_text("1.规章"), Ok(None));
        assert_eq!(number_in_text("规章"), Ok(None));
        assert_eq!(number_in_text("A-02 计算值"), Ok(None));
        assert_eq!(address("表三", 11, 3), "表三!D12");
        assert_eq!(parse_ref("D12"), Some((11, 3)));
        assert_eq!(parse_ref("AA1"), Some((0, 26)));
        assert_eq!(parse_ref("12"), None);
    }
}
