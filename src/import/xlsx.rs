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
use super::xlsx_guard::Guard;
use super::{ImportError, SourceKind};
use crate::template::{Level, SectionKind, Template};
use crate::xlsx::fill_in;
use calamine::{DataRef, Reader, Xlsx};
use rust_decimal::Decimal;
use serde_json::{Map, Value as Json};
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

/// Reads a sheet's cells. `raw` keeps text exactly as typed (prose, metadata, free-form
/// tables: no number is looked for in it) and gives a date as `YYYY-MM-DD`.
fn read_sheet(
    wb: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    raw: bool,
    log: &mut ImportLog,
) -> Result<Sheet, ImportError> {
    let calamine_err = |e: calamine::XlsxError| {
        unreadable(format!(
            "工作表 “{name}” 无法读取：{e} (the sheet cannot be read)",
            name = crate::text::quoted(name),
            e = crate::text::quoted(&e.to_string()),
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
                    DataRef::String(s) if raw => s,
                    DataRef::SharedString(s) if raw => s.to_string(),
                    DataRef::String(s) => typed_text(&s, &at, log)?,
                    DataRef::SharedString(s) => typed_text(s, &at, log)?,
                    DataRef::Bool(b) => b.to_string(),
                    DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s,
                    DataRef::DateTime(d) if raw => {
                        serial_date(d.as_f64()).unwrap_or_else(|| d.as_f64().to_string())
                    }
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
                    format!(
                        "{at} 的文字 “{}” 读作数字 {n} (text in a number cell read as {n})",
                        crate::text::quoted(s)
                    ),
                );
            }
            Ok(n)
        }
        Err(()) => Err(unreadable(format!(
            "{at} 的 “{s}” 不是一个确定的数字，请只填写数字 (the cell holds digits but not one unambiguous number)",
            s = crate::text::quoted(s)
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
                        "{at} 是公式 “={}”，不取其缓存结果，按空白处理 (a formula: its cached result is not taken; read as blank)",
                        crate::text::quoted(f)
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
    read_all(bytes).map(|(doc, log, _)| (doc, log))
}

/// [`read`], and for a workbook nianbao wrote with its key sheet ([`fill_in::MARK`]) what the
/// workbook says exactly outside the statutory tables ([`Exact`]).
pub(crate) fn read_all(bytes: &[u8]) -> Result<(SourceDoc, ImportLog, Option<Exact>), ImportError> {
    let mut pkg = Package::open(bytes, SourceKind::Xlsx)?;
    // Inflate every part once under the limits, and check what calamine would trust in it
    // (references, shared formulas, formula text), before calamine reads them.
    let mut guard = Guard::default();
    for index in 0..pkg.len() {
        let (name, part) = pkg.part_at(index)?;
        guard.check_part(&name, &part)?;
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
        let key = read_sheet(&mut wb, fill_in::KEY_SHEET, true, &mut log)?;
        match key.cells.get(&(0, 0)).map(String::as_str) {
            Some(fill_in::MARK) => return read_keyed(&mut wb, &key, meta, log, true),
            Some(fill_in::MARK_V1) => return read_keyed(&mut wb, &key, meta, log, false),
            _ => {}
        }
    }
    let mut blocks = Vec::new();
    for name in wb.sheet_names() {
        if skipped.contains(&name) {
            continue;
        }
        let sheet = read_sheet(&mut wb, &name, false, &mut log)?;
        sheet_blocks(&sheet, &mut blocks, &mut log);
    }
    Ok((SourceDoc { meta, blocks }, log, None))
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

/// A sum cell's value from its addends' values (sums of sums resolved), blank counted as 0; a
/// `trusted` sum cell (the export workbook's number, unchanged) stands as typed.
fn sum_value(
    sheet: &Sheet,
    at: (u32, u32),
    sums: &SumCells,
    trusted: &[(u32, u32)],
    depth: usize,
) -> Decimal {
    let typed = || {
        sheet
            .cells
            .get(&at)
            .and_then(|t| t.parse::<Decimal>().ok())
            .unwrap_or_default()
    };
    let Some(addends) = sums.get(&at).filter(|_| !trusted.contains(&at)) else {
        return typed();
    };
    if depth > 16 {
        return Decimal::ZERO;
    }
    addends
        .iter()
        .map(|a| sum_value(sheet, *a, sums, trusted, depth + 1))
        .sum()
}

/// A date serial of a spreadsheet (days since 1899-12-30) as `YYYY-MM-DD`.
fn serial_date(serial: f64) -> Option<String> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    // Days since 1970-01-01, then the civil date (H. Hinnant's algorithm).
    let z = serial.floor() as i64 - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// What nianbao's own workbook ([`fill_in::MARK`]) says exactly outside the statutory tables:
/// the metadata sheet's values and the prose sheet's blocks, laid over the report the
/// assembler builds from the tables ([`apply`]), so nothing depends on recognising a heading
/// or a date line in the text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Exact {
    /// 机关, as typed.
    pub agency: Option<String>,
    /// 年度.
    pub year: Option<i32>,
    level: Option<Level>,
    published: Option<String>,
    title: String,
    /// Section key → heading as written in the prose sheet, in order.
    headings: Vec<(String, String)>,
    /// Section key (`preamble` too) → blocks as report JSON.
    prose: HashMap<String, Vec<Json>>,
}

impl Exact {
    /// The options to assemble with: the workbook's agency and year where the caller gave none.
    pub(crate) fn options(&self, opts: &super::ImportOptions) -> super::ImportOptions {
        let mut o = opts.clone();
        if o.agency.is_none() {
            o.agency = self.agency.clone().filter(|a| !a.trim().is_empty());
        }
        if o.year.is_none() {
            o.year = self.year;
        }
        o
    }
}

/// Lays what the workbook says exactly over the assembled report JSON: level, publication
/// date, title, section headings, preamble and the prose sections.
pub(crate) fn apply(json: &mut Json, x: &Exact) {
    let Some(m) = json.as_object_mut() else {
        return;
    };
    let template = m
        .get("format")
        .and_then(Json::as_str)
        .and_then(Template::get)
        .unwrap_or_else(crate::template::newest);
    let set = |m: &mut Map<String, Json>, k: &str, v: Option<Json>| match v {
        Some(v) => {
            m.insert(k.to_string(), v);
        }
        None => {
            m.remove(k);
        }
    };
    set(
        m,
        "level",
        x.level.and_then(|l| serde_json::to_value(l).ok()),
    );
    set(m, "published", x.published.clone().map(Json::from));
    let agency = m
        .get("agency")
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_string();
    let year = m
        .get("year")
        .and_then(Json::as_i64)
        .and_then(|y| i32::try_from(y).ok())
        .unwrap_or_default();
    let title = x.title.trim();
    let explicit = !title.is_empty() && title != template.title(&agency, year);
    set(m, "title", explicit.then(|| Json::from(title)));
    let mut heads = Map::new();
    for (key, text) in &x.headings {
        if template.section(key).is_some_and(|d| d.heading != *text) {
            heads.insert(key.clone(), Json::from(text.clone()));
        }
    }
    set(
        m,
        "headings",
        (!heads.is_empty()).then_some(Json::Object(heads)),
    );
    let preamble = x.prose.get("preamble").cloned().unwrap_or_default();
    set(
        m,
        "preamble",
        (!preamble.is_empty()).then_some(Json::Array(preamble)),
    );
    for s in &template.sections {
        if s.kind == SectionKind::Prose {
            let blocks = x.prose.get(&s.key).cloned().unwrap_or_default();
            m.insert(s.key.clone(), Json::Array(blocks));
        }
    }
}

/// A statutory table sheet of the key: where its grid ends, its sum cells, and (export
/// workbook) the number written in each sum cell.
#[derive(Default)]
struct KeyTable {
    end: u32,
    cols: Option<u32>,
    sums: SumCells,
    published: HashMap<(u32, u32), Option<Decimal>>,
}

/// A free-form table sheet of the key: header rows and size.
struct KeyFree {
    header_rows: usize,
    rows: u32,
    cols: u32,
}

/// A section by what column A of the prose sheet says: the heading the key recorded for it,
/// the template's heading, or its ordinal (`五、…` is the fifth section).
fn section_key(text: &str, recorded: &[(String, String)], template: &Template) -> Option<String> {
    if text == fill_in::PREAMBLE {
        return Some("preamble".into());
    }
    if let Some((k, _)) = recorded.iter().find(|(_, t)| t == text) {
        return Some(k.clone());
    }
    if let Some(s) = template.sections.iter().find(|s| s.heading == text) {
        return Some(s.key.clone());
    }
    const ORDINALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    template
        .sections
        .iter()
        .zip(ORDINALS)
        .find(|(_, o)| {
            text.strip_prefix(o)
                .is_some_and(|r| r.starts_with(['、', '.', '．', ' ', '　']))
        })
        .map(|(s, _)| s.key.clone())
}

fn log_note(log: &mut ImportLog, kind: LogKind, path: &str, at: &str, message: String) {
    log.push(LogEntry {
        kind,
        path: path.to_string(),
        cell: at.to_string(),
        source: SourcePos::Cell(at.to_string()),
        message,
    });
}

/// Reads a workbook nianbao wrote (the fill-in workbook of `nianbao new --to xlsx`, or the
/// export workbook of `nianbao export --to xlsx`) by its hidden key sheet. The metadata sheet
/// gives the title, the prose sheet the sections and blocks in order, and each table sheet its
/// grid down to the last grid row the key records (the check rows under it are not read).
///
/// A sum cell is never taken from a cached formula result. In the fill-in workbook (live
/// `=SUM` formulas) it is computed from its addends' typed values; a formula replaced by a
/// number is logged and not trusted. In the export workbook (the number as published) the
/// number stands while it is the one exported; a number typed over it, or a formula, is logged
/// and not trusted: the sum is computed from its addends.
///
/// With `exact` (a workbook of [`fill_in::MARK`]) the metadata and prose are also returned as
/// they are ([`Exact`]), free-form tables included.
fn read_keyed(
    wb: &mut Xlsx<Cursor<&[u8]>>,
    key: &Sheet,
    mut meta: super::source::SourceMeta,
    mut log: ImportLog,
    exact: bool,
) -> Result<(SourceDoc, ImportLog, Option<Exact>), ImportError> {
    let cell = |s: &Sheet, r: u32, c: u32| s.cells.get(&(r, c)).cloned().unwrap_or_default();
    // Table sheets, their grid ends and sums; free-form tables; section headings.
    let mut tables: HashMap<String, KeyTable> = HashMap::new();
    let mut free: HashMap<String, KeyFree> = HashMap::new();
    let mut recorded: Vec<(String, String)> = Vec::new();
    let mut order: Vec<String> = Vec::new();
    for r in 1..key.rows {
        let name = cell(key, r, 1);
        match cell(key, r, 0).as_str() {
            "table" => {
                let t = tables.entry(name.clone()).or_default();
                t.end = cell(key, r, 2).parse().unwrap_or(MAX_ROWS);
                t.cols = cell(key, r, 3).parse().ok();
                order.push(name);
            }
            "sum" => {
                let Some(at) = parse_ref(&cell(key, r, 2)) else {
                    continue;
                };
                let addends = (3..key.cols)
                    .filter_map(|c| parse_ref(&cell(key, r, c)))
                    .collect();
                tables.entry(name).or_default().sums.insert(at, addends);
            }
            "published" => {
                let Some(at) = parse_ref(&cell(key, r, 2)) else {
                    continue;
                };
                let v = cell(key, r, 3).parse::<Decimal>().ok();
                tables.entry(name).or_default().published.insert(at, v);
            }
            "free" => {
                let n = |c| cell(key, r, c).parse().unwrap_or(0);
                free.insert(
                    name,
                    KeyFree {
                        header_rows: n(2) as usize,
                        rows: n(3),
                        cols: n(4),
                    },
                );
            }
            "section" => recorded.push((name, cell(key, r, 2))),
            _ => {}
        }
    }
    let names = wb.sheet_names();
    let mut blocks = Vec::new();
    let mut x = Exact::default();
    // Metadata: by the labels of column A, else by row.
    let mut template = crate::template::newest();
    if names.iter().any(|n| n == fill_in::META_SHEET) {
        let m = read_sheet(wb, fill_in::META_SHEET, true, &mut log)?;
        let row_of = |i: usize| -> u32 {
            (0..m.rows)
                .find(|r| cell(&m, *r, 0).trim() == fill_in::META_ROWS[i])
                .unwrap_or(i as u32)
        };
        let value = |i: usize| cell(&m, row_of(i), 1).trim().to_string();
        let at = |i: usize| address(fill_in::META_SHEET, row_of(i), 1);
        let agency = value(0);
        let year_text = value(1);
        let year: Option<i32> = year_text.parse().ok();
        if year.is_none() && !year_text.is_empty() {
            log_note(
                &mut log,
                LogKind::Note,
                "year",
                &at(1),
                format!(
                    "{} 的年度 “{year_text}” 不是四位数的年份，未采用 (the year is not a number: not taken)",
                    at(1),
                    year_text = crate::text::quoted(&year_text)
                ),
            );
        }
        let format = value(4);
        if let Some(t) = Template::get(&format).or_else(|| year.and_then(Template::for_year)) {
            template = t;
        }
        let title = if exact && m.rows > row_of(5) {
            value(5)
        } else {
            String::new()
        };
        if let Some(y) = year {
            let shown = if title.is_empty() {
                template.title(&agency, y)
            } else {
                title.clone()
            };
            meta.title = Some(shown.clone());
            blocks.push(SourceBlock::Text(TextBlock {
                text: shown,
                heading_level: Some(1),
                pos: SourcePos::Cell(address(fill_in::META_SHEET, row_of(0), 1)),
            }));
        }
        if !agency.is_empty() {
            meta.author = Some(agency.clone());
        }
        let published = value(3);
        let date = (!published.is_empty())
            .then(|| {
                published
                    .parse::<crate::report::Date>()
                    .ok()
                    .or_else(|| super::assemble::parse_date(&published))
            })
            .flatten();
        if date.is_none() && !published.is_empty() {
            log_note(
                &mut log,
                LogKind::Note,
                "published",
                &at(3),
                format!(
                    "{} 的发布日期 “{published}” 无法识别，未采用；请写成 YYYY-MM-DD (the date is not readable: not taken)",
                    at(3),
                    published = crate::text::quoted(&published)
                ),
            );
        }
        meta.published = date.map(|d| d.to_string());
        let level_text = value(2);
        let level = level_of(&level_text);
        if exact && level.is_none() && !level_text.is_empty() {
            log_note(
                &mut log,
                LogKind::Note,
                "level",
                &at(2),
                format!(
                    "{} 的层级 “{level_text}” 不是报告格式中的层级（{}），未采用 (unknown level: not taken)",
                    at(2),
                    level_names(template).join("、"),
                    level_text = crate::text::quoted(&level_text)
                ),
            );
        }
        x = Exact {
            agency: Some(agency),
            year,
            level,
            published: meta.published.clone(),
            title,
            ..Exact::default()
        };
    }
    // A table sheet's blocks, its sums computed or checked.
    let mut done: Vec<String> = Vec::new();
    let mut table_blocks = |wb: &mut Xlsx<Cursor<&[u8]>>,
                            name: &str,
                            blocks: &mut Vec<SourceBlock>,
                            log: &mut ImportLog| {
        let Some(kt) = tables.get(name) else {
            return Ok::<(), ImportError>(());
        };
        if done.iter().any(|d| d == name) || !names.iter().any(|n| n == name) {
            return Ok(());
        }
        done.push(name.to_string());
        let mut sheet = read_sheet(wb, name, false, log)?;
        let end = kt.end;
        let cols = kt.cols.unwrap_or(MAX_COLS);
        // The grid only: not the title row above it, nor the checks under or beside it.
        let grid = |r: u32, c: u32| (1..end).contains(&r) && c < cols;
        sheet.cells.retain(|(r, c), _| grid(*r, *c));
        sheet.formulas.retain(|(r, c), _| grid(*r, *c));
        sheet.merges.retain(|m| grid(m.start.0, m.start.1));
        sheet.rows = sheet.rows.min(end);
        sheet.cols = sheet.cols.min(cols);
        // Which sum cells stand as typed: in the export workbook, those still holding the
        // number exported. The others are computed from their addends.
        let mut trusted: Vec<(u32, u32)> = Vec::new();
        let mut sum_cells: Vec<&(u32, u32)> = kt.sums.keys().collect();
        sum_cells.sort();
        for at in sum_cells {
            let (r, c) = *at;
            let a = address(name, r, c);
            let formula = sheet.formulas.remove(at);
            let typed = sheet.cells.get(at).cloned();
            match kt.published.get(at) {
                Some(exported) => {
                    let now = typed.as_deref().map(|t| t.parse::<Decimal>().ok());
                    let same = formula.is_none()
                        && match (now, exported) {
                            (None, None) => true,
                            (Some(Some(n)), Some(e)) => n == *e,
                            _ => false,
                        };
                    if same {
                        trusted.push(*at);
                        continue;
                    }
                    let was = exported
                        .map(|e| e.normalize().to_string())
                        .unwrap_or_else(|| "空白".into());
                    let what = match (&formula, &typed) {
                        (Some(f), _) => format!("公式 “={}”", crate::text::quoted(f)),
                        (None, Some(t)) => format!("数字 {t}"),
                        (None, None) => "空白".to_string(),
                    };
                    note(
                        log,
                        a.clone(),
                        format!(
                            "{a} 是合计单元格，导出时为 {was}，现被改成了{what}，不采信，按各分项计算 (a sum cell changed since the export: not trusted, computed from its addends)"
                        ),
                    );
                }
                None => {
                    if formula.is_none() {
                        if let Some(typed) = &typed {
                            let v = sum_value(&sheet, *at, &kt.sums, &[], 0);
                            note(
                                log,
                                a.clone(),
                                format!(
                                    "{a} 是合计单元格，其公式被改成了数字 {typed}，不采信，按各分项计算为 {v} (a sum cell overwritten with a number: not trusted, computed from its addends)"
                                ),
                            );
                        }
                    }
                }
            }
        }
        let values: Vec<((u32, u32), Decimal)> = kt
            .sums
            .keys()
            .filter(|at| !trusted.contains(at))
            .map(|at| (*at, sum_value(&sheet, *at, &kt.sums, &trusted, 0)))
            .collect();
        for (at, v) in values {
            sheet.cells.insert(at, v.normalize().to_string());
        }
        sheet_blocks(&sheet, blocks, log);
        Ok(())
    };
    // Prose in order, tables where the prose sheet places them.
    if names.iter().any(|n| n == fill_in::PROSE_SHEET) {
        let p = read_sheet(wb, fill_in::PROSE_SHEET, true, &mut log)?;
        let mut section = String::new();
        let mut section_key = "preamble".to_string();
        for r in 1..p.rows {
            let s = cell(&p, r, 0).trim().to_string();
            if !s.is_empty() && s != section {
                section = s;
                match self::section_key(&section, &recorded, template) {
                    Some(k) => section_key = k,
                    None => {
                        let at = address(fill_in::PROSE_SHEET, r, 0);
                        log_note(
                            &mut log,
                            LogKind::Note,
                            "",
                            &at,
                            format!(
                                "{at} 的 “{section}” 不是报告的章节标题，其下各行归入上一部分；章节标题应以 一、…六、 开头 (not a section heading: its rows stay in the section above)",
                                section = crate::text::quoted(&section)
                            ),
                        );
                    }
                }
                if section_key != "preamble" && !x.headings.iter().any(|(k, _)| *k == section_key) {
                    x.headings.push((section_key.clone(), section.clone()));
                    blocks.push(SourceBlock::Text(TextBlock {
                        text: section.clone(),
                        heading_level: Some(1),
                        pos: SourcePos::Cell(address(fill_in::PROSE_SHEET, r, 0)),
                    }));
                }
            }
            let is_table_section = template
                .section(&section_key)
                .is_some_and(|d| d.kind == SectionKind::Table);
            let text = cell(&p, r, 1);
            let table = cell(&p, r, 2).trim().to_string();
            let kind = cell(&p, r, 3).trim().to_string();
            let at = address(fill_in::PROSE_SHEET, r, 1);
            if !table.is_empty() && tables.contains_key(&table) {
                table_blocks(wb, &table, &mut blocks, &mut log)?;
            }
            if exact
                && !table.is_empty()
                && (kind == fill_in::KIND_FREE || free.contains_key(&table))
            {
                match free_table(wb, &table, free.get(&table), &mut log)? {
                    Some(t) if !is_table_section => {
                        x.prose.entry(section_key.clone()).or_default().push(t);
                    }
                    Some(_) => left_out(&mut log, &address(fill_in::PROSE_SHEET, r, 2)),
                    None => {
                        let at = address(fill_in::PROSE_SHEET, r, 2);
                        log_note(
                            &mut log,
                            LogKind::Note,
                            "",
                            &at,
                            format!(
                                "{at} 指向的工作表 “{table}” 不存在，附表已略去 (the sheet named is missing: table left out)",
                                table = crate::text::quoted(&table)
                            ),
                        );
                    }
                }
            }
            if text.trim().is_empty() {
                continue;
            }
            let heading = kind == fill_in::KIND_HEADING;
            if exact && is_table_section {
                left_out(&mut log, &at);
                continue;
            }
            blocks.push(SourceBlock::Text(TextBlock {
                text: text.clone(),
                heading_level: heading.then_some(2),
                pos: SourcePos::Cell(at),
            }));
            let block = if heading {
                serde_json::json!({ "heading": text })
            } else {
                Json::from(text)
            };
            x.prose.entry(section_key.clone()).or_default().push(block);
        }
    }
    for name in order {
        table_blocks(wb, &name, &mut blocks, &mut log)?;
    }
    Ok((SourceDoc { meta, blocks }, log, exact.then_some(x)))
}

fn left_out(log: &mut ImportLog, at: &str) {
    log_note(
        log,
        LogKind::Note,
        "",
        at,
        format!("{at} 在表格章节中，报告格式中没有它的位置，已略去 (text in a table section was left out)"),
    );
}

/// Every level with its id and the names the templates give it.
fn all_levels() -> Vec<(&'static str, Vec<String>)> {
    let levels = [
        ("department", Level::Department),
        ("government", Level::Government),
        ("township", Level::Township),
        ("vertical", Level::Vertical),
    ];
    levels
        .iter()
        .map(|(id, l)| {
            let names = crate::template::all()
                .iter()
                .map(|t| t.levels.name(*l).to_string())
                .collect();
            (*id, names)
        })
        .collect()
}

/// A level by its id (`department`) or a template's name for it (`县级以上人民政府部门`).
fn level_of(text: &str) -> Option<Level> {
    let id = all_levels()
        .into_iter()
        .find(|(id, names)| *id == text || names.iter().any(|n| n == text))?
        .0;
    serde_json::from_value(Json::from(id)).ok()
}

fn level_names(t: &Template) -> Vec<String> {
    let l = &t.levels;
    [&l.department, &l.government, &l.township, &l.vertical]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

/// A free-form table sheet as a report block (`{"table": …}`), every cell's text as typed;
/// `None` when the sheet is missing.
fn free_table(
    wb: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    key: Option<&KeyFree>,
    log: &mut ImportLog,
) -> Result<Option<Json>, ImportError> {
    if !wb.sheet_names().iter().any(|n| n == name) {
        return Ok(None);
    }
    let sheet = read_sheet(wb, name, true, log)?;
    let rows = sheet.rows.max(key.map_or(0, |k| k.rows));
    let cols = sheet.cols.max(key.map_or(0, |k| k.cols));
    let grid: Vec<Vec<String>> = (0..rows)
        .map(|r| {
            (0..cols)
                .map(|c| sheet.cells.get(&(r, c)).cloned().unwrap_or_default())
                .collect()
        })
        .collect();
    let header_rows = key.map_or(0, |k| k.header_rows).min(grid.len());
    Ok(Some(
        serde_json::json!({"table": {"header_rows": header_rows, "rows": grid}}),
    ))
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
        assert_eq!(serial_date(45677.0).as_deref(), Some("2025-01-20"));
        assert_eq!(serial_date(25569.0).as_deref(), Some("1970-01-01"));
        assert_eq!(serial_date(-3.0), None);
    }
}
