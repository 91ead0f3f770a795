//! `nianbao collect`: many reports → one workbook (and tidy CSV) for analysts.
//!
//! Inputs are files or directories (searched recursively for `*.json`, in sorted order). Every
//! readable report becomes one row of the wide sheet `汇总` (one column per statutory cell, keyed
//! by its JSON path `table.row.column`; a path that exists in several formats is one column,
//! a format-only path gets its own column, blank for reports of other formats), all of its cells
//! go to the long sheet `长表`, and its validation findings to `校验`. A file that cannot be read
//! is listed on stderr by the caller and in the sheet `未读入`, never silently dropped.

use crate::layout::{self, Content};
use crate::options::ExportError;
use crate::report::{Date, Number, Report};
use crate::template::ValueType;
use crate::validate::{self, Finding, Severity};
use crate::xlsx::{self, col_name, decimal_text, number_f64, Styles};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Formula, Workbook, XlsxError};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One statutory cell of one report.
#[derive(Debug, Clone, PartialEq)]
pub struct CellRecord {
    /// Table key (`applications`).
    pub table: String,
    /// Short table name (`表三`).
    pub table_name: String,
    /// Dotted row key.
    pub row: String,
    /// Column key.
    pub column: String,
    /// Chinese row label.
    pub row_label: String,
    /// Chinese column label.
    pub column_label: String,
    /// Unit, if any.
    pub unit: Option<String>,
    /// Kind of value.
    pub value_type: ValueType,
    /// The value as reported (`None`: blank).
    pub value: Option<Number>,
}

impl CellRecord {
    /// The JSON path `table.row.column`: the stable column key of the wide sheet.
    pub fn path(&self) -> String {
        format!("{}.{}.{}", self.table, self.row, self.column)
    }
}

/// One report read successfully.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The file it came from.
    pub file: String,
    /// The report.
    pub report: Report,
    /// Its validation findings.
    pub findings: Vec<Finding>,
    /// Its statutory cells in layout order.
    pub cells: Vec<CellRecord>,
}

/// A file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file (or path that does not exist).
    pub file: String,
    /// Why.
    pub error: String,
}

/// A column of the wide sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Stable key: the JSON path.
    pub key: String,
    /// Chinese header: `表三 （七）总计 / 自然人`.
    pub label: String,
    /// Kind of value.
    pub value_type: ValueType,
}

/// Everything collected.
#[derive(Debug, Clone, Default)]
pub struct Collection {
    /// Reports read, in input order.
    pub entries: Vec<Entry>,
    /// Files skipped.
    pub skipped: Vec<Skipped>,
    /// The wide sheet's value columns: the union of every report's cells.
    pub columns: Vec<Column>,
}

/// Expands inputs: files as given, directories recursively (`*.json`, sorted by path).
/// Paths that do not exist are returned as skipped.
pub fn expand_inputs(inputs: &[PathBuf]) -> (Vec<PathBuf>, Vec<Skipped>) {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>, skipped: &mut Vec<Skipped>) {
        let rd = match std::fs::read_dir(dir) {
            Ok(rd) => rd,
            Err(e) => {
                skipped.push(Skipped {
                    file: dir.display().to_string(),
                    error: format!("无法读取目录 (cannot read directory: {e})"),
                });
                return;
            }
        };
        let mut paths: Vec<PathBuf> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if p.is_dir() {
                walk(&p, out, skipped);
            } else if p
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("json"))
            {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for i in inputs {
        if i.is_dir() {
            walk(i, &mut out, &mut skipped);
        } else if i.exists() {
            out.push(i.clone());
        } else {
            skipped.push(Skipped {
                file: i.display().to_string(),
                error: "文件不存在 (no such file or directory)".into(),
            });
        }
    }
    (out, skipped)
}

/// The statutory cells of a report, in layout order.
pub fn cells_of(report: &Report) -> Vec<CellRecord> {
    let doc = layout::build(report);
    let mut out = Vec::new();
    for b in &doc.blocks {
        let layout::Block::Table(t) = b else { continue };
        let Some(name) = &t.name else { continue };
        for row in &t.rows {
            for c in &row.cells {
                if let Content::Number(n) = &c.content {
                    out.push(CellRecord {
                        table: n.key.table.clone(),
                        table_name: name.clone(),
                        row: n.key.row.clone(),
                        column: n.key.column.clone(),
                        row_label: n.row_label.clone(),
                        column_label: n.column_label.clone(),
                        unit: n.unit.clone(),
                        value_type: n.value_type,
                        value: n.value,
                    });
                }
            }
        }
    }
    out
}

/// Cells of reports of one shape (format and mixed parts) share labels: the layout
/// is built once per shape and the values are filled in from each report.
type ShapeCache = HashMap<(String, Vec<(String, String)>), Vec<CellRecord>>;

fn cells_cached(report: &Report, cache: &mut ShapeCache) -> Vec<CellRecord> {
    let shape = (
        report.format.clone(),
        report
            .mixed_parts()
            .into_iter()
            .map(|(t, p, f)| (format!("{t}.{p}"), f.to_string()))
            .collect(),
    );
    let cells = cache
        .entry(shape)
        .or_insert_with(|| cells_of(report))
        .clone();
    cells
        .into_iter()
        .map(|mut c| {
            c.value = report
                .table(&c.table)
                .and_then(|d| d.value(&c.row, &c.column));
            c
        })
        .collect()
}

fn read_one(path: &Path, cache: &mut ShapeCache, check: bool) -> Result<Entry, Skipped> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Skipped {
        file: file.clone(),
        error: format!("无法读取文件 (cannot read: {e})"),
    })?;
    let report = Report::from_json(&text).map_err(|e| Skipped {
        file: file.clone(),
        error: e.to_string(),
    })?;
    let findings = if check {
        validate::validate(&report, None)
    } else {
        Vec::new()
    };
    let cells = cells_cached(&report, cache);
    Ok(Entry {
        file,
        report,
        findings,
        cells,
    })
}

fn threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8)
}

/// Reads and validates every input (in parallel), keeping input order.
pub fn collect(inputs: &[PathBuf]) -> Collection {
    read_all(inputs, true)
}

/// Reads every input and writes the workbook, validating the reports in worker threads while
/// the long sheet is written (the same result as [`collect`] then [`Collection::xlsx`], faster).
pub fn collect_workbook(inputs: &[PathBuf]) -> Result<(Collection, Vec<u8>), ExportError> {
    let mut c = read_all(inputs, false);
    let bytes = c.validate_and_write().map_err(|e| ExportError::Writer {
        target: "xlsx",
        message: e.to_string(),
    })?;
    Ok((c, bytes))
}

fn read_all(inputs: &[PathBuf], check: bool) -> Collection {
    let (files, mut skipped) = expand_inputs(inputs);
    let threads = threads();
    let chunk = files.len().div_ceil(threads).max(1);
    let results: Vec<Result<Entry, Skipped>> = std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    let mut cache = ShapeCache::new();
                    part.iter()
                        .map(|p| read_one(p, &mut cache, check))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join().unwrap_or_else(|_| {
                    vec![Err(Skipped {
                        file: String::new(),
                        error: "内部错误 (internal error while reading)".into(),
                    })]
                })
            })
            .collect()
    });
    let mut entries = Vec::new();
    for r in results {
        match r {
            Ok(e) => entries.push(e),
            Err(s) => skipped.push(s),
        }
    }
    Collection::from_entries(entries, skipped)
}

impl Collection {
    /// Builds the column union from entries.
    pub fn from_entries(entries: Vec<Entry>, skipped: Vec<Skipped>) -> Collection {
        let mut columns: Vec<Column> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        // Formats in id order, newest first, so the common 2021 layout leads.
        let mut formats: Vec<&str> = entries.iter().map(|e| e.report.format.as_str()).collect();
        formats.sort();
        formats.dedup();
        formats.reverse();
        for f in formats {
            for e in entries.iter().filter(|e| e.report.format == f) {
                for c in &e.cells {
                    let key = c.path();
                    if seen.contains_key(&key) {
                        continue;
                    }
                    seen.insert(key.clone(), columns.len());
                    columns.push(Column {
                        label: format!("{} {} / {}", c.table_name, c.row_label, c.column_label),
                        key,
                        value_type: c.value_type,
                    });
                }
            }
        }
        Collection {
            entries,
            skipped,
            columns,
        }
    }

    /// Each entry's values aligned to [`Collection::columns`].
    pub fn rows(&self) -> Vec<Vec<Option<Number>>> {
        let index: HashMap<&str, usize> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| (c.key.as_str(), i))
            .collect();
        self.entries
            .iter()
            .map(|e| {
                let mut row = vec![None; self.columns.len()];
                for c in &e.cells {
                    if let Some(&i) = index.get(c.path().as_str()) {
                        row[i] = c.value;
                    }
                }
                row
            })
            .collect()
    }

    /// Column totals (exact; blank cells skipped), aligned to [`Collection::columns`].
    pub fn totals(&self) -> Vec<Decimal> {
        let mut t = vec![Decimal::ZERO; self.columns.len()];
        for row in self.rows() {
            for (i, v) in row.iter().enumerate() {
                if let Some(v) = v {
                    t[i] += v.to_decimal();
                }
            }
        }
        t
    }

    /// The creation date stamped into the workbook: 1 January after the latest report year.
    pub fn date(&self) -> Date {
        Date {
            year: self
                .entries
                .iter()
                .map(|e| e.report.year + 1)
                .max()
                .unwrap_or(2000),
            month: 1,
            day: 1,
        }
    }

    /// The leading (non-value) columns of the wide sheet: key, Chinese label.
    pub const LEAD: [(&'static str, &'static str); 8] = [
        ("file", "文件"),
        ("agency", "机关"),
        ("year", "年度"),
        ("format", "格式"),
        ("level", "机关类型"),
        ("published", "发布日期"),
        ("errors", "错误数"),
        ("warnings", "警告数"),
    ];

    fn lead_values(e: &Entry) -> [String; 8] {
        let n = |s| e.findings.iter().filter(|f| f.severity == s).count();
        [
            e.file.clone(),
            e.report.agency.clone(),
            e.report.year.to_string(),
            e.report.format.clone(),
            e.report
                .level
                .and_then(|l| serde_json::to_value(l).ok())
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            e.report
                .published
                .map(|d| d.to_string())
                .unwrap_or_default(),
            n(Severity::Error).to_string(),
            n(Severity::Warning).to_string(),
        ]
    }

    /// The wide table as CSV: one header line of stable keys, one line per report.
    pub fn wide_csv(&self) -> String {
        let mut out = String::new();
        let header: Vec<String> = Self::LEAD
            .iter()
            .map(|(k, _)| k.to_string())
            .chain(self.columns.iter().map(|c| c.key.clone()))
            .collect();
        csv_line(&mut out, &header);
        for (e, row) in self.entries.iter().zip(self.rows()) {
            let mut fields: Vec<String> = Self::lead_values(e).to_vec();
            fields.extend(
                row.iter()
                    .map(|v| v.map(|n| n.to_string()).unwrap_or_default()),
            );
            csv_line(&mut out, &fields);
        }
        out
    }

    /// The long table as CSV: one line per report cell.
    pub fn long_csv(&self) -> String {
        let mut out = String::new();
        csv_line(
            &mut out,
            &LONG
                .iter()
                .map(|(k, _, _)| k.to_string())
                .collect::<Vec<_>>(),
        );
        for e in &self.entries {
            for c in &e.cells {
                csv_line(&mut out, &long_fields(e, c));
            }
        }
        out
    }

    /// The workbook: `汇总` (wide, with a live totals row), `长表`, `校验`, `未读入`.
    pub fn xlsx(&self) -> Result<Vec<u8>, ExportError> {
        self.write_xlsx().map_err(|e| ExportError::Writer {
            target: "xlsx",
            message: e.to_string(),
        })
    }

    fn workbook(&self) -> Result<Workbook, XlsxError> {
        let mut wb = Workbook::new();
        wb.set_zip_compression_level(1);
        let title = format!("政府信息公开工作年度报告汇总（{} 份）", self.entries.len());
        wb.set_properties(&xlsx::properties(
            &title,
            "nianbao",
            "报表汇总",
            self.date(),
        )?);
        for name in ["汇总", "长表", "校验", "未读入"] {
            wb.add_worksheet().set_name(name)?;
        }
        Ok(wb)
    }

    fn write_xlsx(&self) -> Result<Vec<u8>, XlsxError> {
        let s = Styles::new();
        let mut wb = self.workbook()?;
        write_long(&self.entries, wb.worksheet_from_index(1)?)?;
        self.write_rest(&mut wb, &s)?;
        wb.save_to_buffer()
    }

    fn validate_and_write(&mut self) -> Result<Vec<u8>, XlsxError> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::OnceLock;
        let s = Styles::new();
        let mut wb = self.workbook()?;
        let n = self.entries.len();
        let found: Vec<OnceLock<Vec<Finding>>> = (0..n).map(|_| OnceLock::new()).collect();
        let next = AtomicUsize::new(0);
        let entries = &self.entries;
        let work = || loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= n {
                break;
            }
            let _ = found[i].set(validate::validate(&entries[i].report, None));
        };
        std::thread::scope(|sc| -> Result<(), XlsxError> {
            for _ in 1..threads() {
                sc.spawn(work);
            }
            write_long(entries, wb.worksheet_from_index(1)?)?;
            work();
            Ok(())
        })?;
        for (e, f) in self.entries.iter_mut().zip(found) {
            e.findings = f.into_inner().unwrap_or_default();
        }
        self.write_rest(&mut wb, &s)?;
        wb.save_to_buffer()
    }

    fn write_rest(&self, wb: &mut Workbook, s: &Styles) -> Result<(), XlsxError> {
        // 汇总: row 0 Chinese labels, row 1 stable keys, data from row 2, totals after.
        let ws = wb.worksheet_from_index(0)?;
        let lead = Self::LEAD.len() as u16;
        for (i, (k, zh)) in Self::LEAD.iter().enumerate() {
            ws.write_string_with_format(0, i as u16, *zh, &s.header)?;
            ws.write_string_with_format(1, i as u16, *k, &s.note)?;
        }
        for (i, c) in self.columns.iter().enumerate() {
            let col = lead + i as u16;
            ws.write_string_with_format(0, col, &c.label, &s.header)?;
            ws.write_string_with_format(1, col, &c.key, &s.note)?;
            ws.set_column_width(col, 14)?;
        }
        ws.set_row_height(0, 80)?;
        ws.set_column_width(0, 28)?;
        ws.set_column_width(1, 28)?;
        let rows = self.rows();
        let first = 2u32;
        for (ri, (e, row)) in self.entries.iter().zip(&rows).enumerate() {
            let r = first + ri as u32;
            for (i, v) in Self::lead_values(e).iter().enumerate() {
                match i {
                    2 | 6 | 7 => ws.write_number(r, i as u16, v.parse::<f64>().unwrap_or(0.0))?,
                    _ => ws.write_string(r, i as u16, v)?,
                };
            }
            for (i, v) in row.iter().enumerate() {
                if let Some(v) = v {
                    ws.write_number(r, lead + i as u16, number_f64(*v))?;
                }
            }
        }
        let total_row = first + self.entries.len() as u32;
        ws.write_string_with_format(total_row, 0, "合计", &s.header)?;
        if !self.entries.is_empty() {
            for (i, t) in self.totals().iter().enumerate() {
                let col = lead + i as u16;
                let c = col_name(col);
                let f = Formula::new(format!("=SUM({c}{}:{c}{})", first + 1, total_row))
                    .set_result(decimal_text(*t));
                let fmt = if self.columns[i].value_type == ValueType::Amount {
                    &s.calc_amount
                } else {
                    &s.calc
                };
                ws.write_formula_with_format(total_row, col, f, fmt)?;
            }
        }
        ws.set_freeze_panes(first, 2)?;
        if !self.columns.is_empty() {
            ws.autofilter(
                1,
                0,
                total_row.max(2) - 1,
                lead + self.columns.len() as u16 - 1,
            )?;
        }
        xlsx::print_setup(ws, Some(1))?;
        // 校验.
        let ws = wb.worksheet_from_index(2)?;
        let mut r = 1u32;
        for e in &self.entries {
            for f in &e.findings {
                let vals = [
                    e.file.as_str(),
                    e.report.agency.as_str(),
                    "",
                    f.rule.as_str(),
                    match f.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                        Severity::Info => "info",
                    },
                    f.path.as_str(),
                    f.cell.as_str(),
                    f.expected.as_deref().unwrap_or(""),
                    f.actual.as_deref().unwrap_or(""),
                    f.message.as_str(),
                ];
                for (i, v) in vals.iter().enumerate() {
                    if i == 2 {
                        ws.write_number(r, 2, e.report.year as f64)?;
                    } else {
                        ws.write_string(r, i as u16, *v)?;
                    }
                }
                r += 1;
            }
        }
        let headers = [
            ("file", "文件", 28.0),
            ("agency", "机关", 28.0),
            ("year", "年度", 8.0),
            ("rule", "规则", 8.0),
            ("severity", "级别", 9.0),
            ("path", "路径", 36.0),
            ("cell", "单元格", 36.0),
            ("expected", "应为", 10.0),
            ("actual", "实为", 10.0),
            ("message", "说明", 70.0),
        ];
        xlsx::finish_table(
            ws,
            &headers.map(|(k, _, w)| (k, w)),
            r,
            "collected_findings",
        )?;
        // 未读入.
        let ws = wb.worksheet_from_index(3)?;
        for (i, sk) in self.skipped.iter().enumerate() {
            ws.write_string(1 + i as u32, 0, &sk.file)?;
            ws.write_string(1 + i as u32, 1, &sk.error)?;
        }
        let headers = [("file", "文件", 40.0), ("error", "错误", 100.0)];
        xlsx::finish_table(
            ws,
            &headers.map(|(k, _, w)| (k, w)),
            1 + self.skipped.len() as u32,
            "skipped_files",
        )?;
        Ok(())
    }
}

fn write_long(entries: &[Entry], ws: &mut rust_xlsxwriter::Worksheet) -> Result<(), XlsxError> {
    // 长表.
    let mut r = 1u32;
    for e in entries {
        for c in &e.cells {
            let f = long_fields(e, c);
            for (i, v) in f.iter().enumerate() {
                match i {
                    2 => {
                        ws.write_number(r, i as u16, e.report.year as f64)?;
                    }
                    10 => {
                        if let Some(v) = c.value {
                            ws.write_number(r, i as u16, number_f64(v))?;
                        }
                    }
                    _ => {
                        ws.write_string(r, i as u16, v)?;
                    }
                }
            }
            r += 1;
        }
    }
    xlsx::finish_table(ws, &LONG.map(|(k, _, w)| (k, w)), r, "collected_data")?;
    Ok(())
}

/// Columns of the long table: key, Chinese, width.
pub const LONG: [(&str, &str, f64); 11] = [
    ("file", "文件", 28.0),
    ("agency", "机关", 28.0),
    ("year", "年度", 8.0),
    ("format", "格式", 8.0),
    ("table", "表", 18.0),
    ("row_key", "行键", 30.0),
    ("column_key", "列键", 16.0),
    ("row_label", "行名称", 40.0),
    ("column_label", "列名称", 18.0),
    ("unit", "单位", 8.0),
    ("value", "值", 10.0),
];

fn long_fields(e: &Entry, c: &CellRecord) -> [String; 11] {
    [
        e.file.clone(),
        e.report.agency.clone(),
        e.report.year.to_string(),
        e.report.format.clone(),
        c.table.clone(),
        c.row.clone(),
        c.column.clone(),
        c.row_label.clone(),
        c.column_label.clone(),
        c.unit.clone().unwrap_or_default(),
        c.value.map(|v| v.to_string()).unwrap_or_default(),
    ]
}

fn csv_line(out: &mut String, fields: &[String]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if f.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_union_columns() {
        let mut s = String::new();
        csv_line(&mut s, &["a,b".into(), "c\"d".into(), "e".into()]);
        assert_eq!(s, "\"a,b\",\"c\"\"d\",e\n");
        let c = collect(&[
            PathBuf::from("examples/demo-city-2024.json"),
            PathBuf::from("examples/demo-2019.json"),
            PathBuf::from("examples/does-not-exist.json"),
        ]);
        assert_eq!(c.entries.len(), 2);
        assert_eq!(c.skipped.len(), 1);
        assert!(c
            .columns
            .iter()
            .any(|k| k.key == "proactive.regulations.issued"));
        assert!(c
            .columns
            .iter()
            .any(|k| k.key == "proactive.regulations.produced"));
        let n = c
            .columns
            .iter()
            .filter(|k| k.key == "applications.total_processed.natural_person")
            .count();
        assert_eq!(n, 1);
        assert!(!c.xlsx().unwrap().is_empty());
        assert_eq!(c.xlsx().unwrap(), c.xlsx().unwrap());
        // The pipelined path gives the same bytes and findings.
        let (c2, bytes) = collect_workbook(&[
            PathBuf::from("examples/demo-city-2024.json"),
            PathBuf::from("examples/demo-2019.json"),
            PathBuf::from("examples/does-not-exist.json"),
        ])
        .unwrap();
        assert_eq!(bytes, c.xlsx().unwrap());
        assert_eq!(c2.entries[1].findings, c.entries[1].findings);
        assert!(!c.entries[1].findings.is_empty());
    }
}
