//! Import: turns the reports that exist (web pages, crawler text, published PDFs, Word and
//! Excel files) into a [`Report`] plus an [`ImportLog`]. Every reader reduces its
//! source to the same intermediate form ([`source::SourceDoc`]); one matcher maps table cells
//! to template keys by their labels, and one assembler finds the sections and prose.
//!
//! ```
//! use nianbao::import::{from_text, ImportOptions};
//! let text = std::fs::read_to_string("tests/fixtures/seed_potou_2023.txt").unwrap();
//! let opts = ImportOptions { agency: Some("湛江市坡头区教育局".into()), ..Default::default() };
//! let imported = from_text(&text, &opts).unwrap();
//! assert_eq!(imported.report.year, 2023);
//! assert!(imported.complete());
//! ```
//!
//! The path of a source: reader (`html`, `textfile`, or another crate module for PDF/DOCX/XLSX)
//! → [`SourceDoc`] → `assemble` (headings, prose, metadata) with `tokens` + `matcher` (labels
//! and values) → `resolve` (formats, columns, `split` for run-together digits) → report JSON →
//! [`Report::from_json`](crate::Report::from_json), so every reader check applies.

mod assemble;
mod catalog;
pub mod clean;
mod detect;
pub mod docx;
mod html;
pub mod log;
mod matcher;
mod normalize;
pub mod pdf;
mod resolve;
pub mod source;
mod split;
mod textfile;
mod tokens;
mod vocab;
pub mod xlsx;
mod xlsx_guard;

pub use clean::clean;
pub use detect::{decode_text, detect, SourceKind};
pub use log::{ImportLog, LogEntry, LogKind};
pub use source::{Grid, GridCell, SourceBlock, SourceDoc, SourceMeta, SourcePos, TextBlock};

use crate::report::{InputError, Report};

/// What the caller knows better than the source, and whether to clean converter artifacts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportOptions {
    /// Force the report's format (`2019`, `2021`); detected from the labels when `None`.
    pub format: Option<String>,
    /// The agency's full name, filling or overriding what the source says.
    pub agency: Option<String>,
    /// The report year, filling or overriding what the source says.
    pub year: Option<i32>,
    /// Remove converter pinyin and convert traditional characters to simplified ([`clean()`]).
    pub clean: bool,
}

/// An imported report and what the import noticed.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The report (blank or unreadable statutory cells are `None`).
    pub report: Report,
    /// What could not be read, what was ambiguous, what was read with a note.
    pub log: ImportLog,
}

impl Imported {
    /// Whether every statutory cell was read (cells blank in the source count as read): the
    /// import command's exit code 0 rather than 1.
    pub fn complete(&self) -> bool {
        self.log.complete()
    }
}

/// Why an input could not be imported. Every variant is the command line's exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The input was read but holds no statutory table.
    #[error("不是政府信息公开工作年度报告：{reason}")]
    NotAReport {
        /// What was missing.
        reason: String,
    },
    /// The input cannot be read at all (binary data, a broken file).
    #[error("无法读取：{reason}")]
    Unreadable {
        /// Why.
        reason: String,
    },
    /// The input is of a kind this build reads elsewhere or not at all (PDF, Word, Excel).
    #[error("{reason}")]
    Unsupported {
        /// The kind detected.
        kind: SourceKind,
        /// What to do.
        reason: String,
    },
    /// Neither the source nor the options say which year the report is on.
    #[error("来源中没有找到报告年度，请用 --year 指定 (no report year found; give --year)")]
    MissingYear,
    /// An option is invalid (an unknown `--format`).
    #[error("{0}")]
    BadOption(String),
    /// The report read (or the JSON given) is not a valid report.
    #[error("{0}")]
    Report(#[from] InputError),
    /// A PDF that cannot be read (encrypted, damaged, a scan without text, ...).
    #[error("{0}")]
    Pdf(#[from] pdf::PdfError),
}

impl ImportError {
    /// The command line's exit code for this error (2: not a report or unreadable).
    pub fn exit_code(&self) -> i32 {
        2
    }
}

fn check_options(opts: &ImportOptions) -> Result<(), ImportError> {
    if let Some(f) = &opts.format {
        if crate::template::Template::get(f).is_none() {
            return Err(ImportError::BadOption(format!(
                "未知的报告格式 “{f}”；可用：{} (unknown --format)",
                crate::template::format_ids().join(", ")
            )));
        }
    }
    if let Some(y) = opts.year {
        if !(1900..=2999).contains(&y) {
            return Err(ImportError::BadOption(format!(
                "报告年度 {y} 不合理 (year out of range)"
            )));
        }
    }
    Ok(())
}

/// The report JSON an intermediate form gives (before it is read as a [`Report`]), and the log.
/// Lets a caller see exactly what the matcher produced, e.g. a format mix the report model
/// does not hold yet.
///
/// # Errors
/// [`ImportError`] for unusable options or a source in which no report is recognised.
pub fn to_report_json(
    doc: &SourceDoc,
    opts: &ImportOptions,
) -> Result<(serde_json::Value, ImportLog), ImportError> {
    check_options(opts)?;
    assemble::assemble(doc, opts)
}

/// Imports an intermediate form: the entry point of every reader (HTML, text, PDF, DOCX, XLSX).
///
/// # Errors
/// As [`to_report_json`], and [`ImportError::Report`] when the assembled report does not read.
pub fn from_source_doc(doc: &SourceDoc, opts: &ImportOptions) -> Result<Imported, ImportError> {
    let (json, log) = to_report_json(doc, opts)?;
    from_report_json(json, log, opts)
}

/// The report of an assembled report JSON (cleaned when the options say so).
fn from_report_json(
    json: serde_json::Value,
    log: ImportLog,
    opts: &ImportOptions,
) -> Result<Imported, ImportError> {
    let report = match json {
        serde_json::Value::Object(map) => Report::from_json_object(map)?,
        other => {
            let text = serde_json::to_string(&other).map_err(|e| ImportError::Unreadable {
                reason: e.to_string(),
            })?;
            Report::from_json(&text)?
        }
    };
    let report = if opts.clean { clean(&report) } else { report };
    Ok(Imported { report, log })
}

/// Imports a web page (a whole page or a fragment).
///
/// ```
/// use nianbao::import::{from_html, ImportOptions};
/// let html = std::fs::read_to_string("tests/fixtures/import/fixture_city_2025.html").unwrap();
/// let imported = from_html(&html, &ImportOptions::default()).unwrap();
/// assert_eq!(imported.report.year, 2025);
/// ```
///
/// # Errors
/// [`ImportError`] when the page is not recognisably an annual report or the options are
/// unusable (every variant is the command line's exit code 2).
pub fn from_html(html: &str, opts: &ImportOptions) -> Result<Imported, ImportError> {
    from_source_doc(&html_doc(html), opts)
}

/// Imports crawler text.
///
/// ```
/// use nianbao::import::{from_text, ImportOptions};
/// let text = std::fs::read_to_string("tests/fixtures/import/pingtan_2023.txt").unwrap();
/// let imported = from_text(&text, &ImportOptions::default()).unwrap();
/// assert_eq!(imported.report.year, 2023);
/// // What could not be read is in the log, each entry with its place in the source.
/// let _unread = imported.log.entries.len();
/// ```
///
/// # Errors
/// As [`from_html`].
pub fn from_text(text: &str, opts: &ImportOptions) -> Result<Imported, ImportError> {
    from_source_doc(&text_doc(text), opts)
}

/// The intermediate form of a web page (for inspecting what the HTML reader saw).
pub fn html_doc(html: &str) -> SourceDoc {
    html::read(html)
}

/// Imports a PDF (published WPS/Word/LibreOffice PDFs, and nianbao's own, read from their
/// tag tree).
///
/// ```
/// use nianbao::import::{from_pdf, ImportOptions};
/// let pdf = std::fs::read("tests/fixtures/import/hongze_2023.pdf").unwrap();
/// let imported = from_pdf(&pdf, &ImportOptions::default()).unwrap();
/// assert_eq!(imported.report.year, 2023);
/// ```
///
/// # Errors
/// As [`from_html`], and [`ImportError::Pdf`] for a damaged or encrypted PDF.
pub fn from_pdf(bytes: &[u8], opts: &ImportOptions) -> Result<Imported, ImportError> {
    from_source_doc(&pdf_doc(bytes)?, opts)
}

/// The intermediate form of a PDF (for inspecting what the PDF reader saw).
///
/// # Errors
/// [`ImportError::Pdf`] as [`pdf::read`].
pub fn pdf_doc(bytes: &[u8]) -> Result<SourceDoc, ImportError> {
    Ok(pdf::read(bytes)?)
}

/// Imports a Word document (`.docx` from Word, WPS, LibreOffice or nianbao): what the reader
/// noted (tracked changes taken as accepted, comments left out) comes first in the log.
pub fn from_docx(bytes: &[u8], opts: &ImportOptions) -> Result<Imported, ImportError> {
    check_options(opts)?;
    let (doc, notes) = docx_doc(bytes)?;
    let mut imported = from_source_doc(&doc, opts)?;
    let mut entries = notes.entries;
    entries.append(&mut imported.log.entries);
    imported.log.entries = entries;
    Ok(imported)
}

/// The intermediate form of a Word document and the reader's notes (for inspecting what the
/// DOCX reader saw).
pub fn docx_doc(bytes: &[u8]) -> Result<(SourceDoc, ImportLog), ImportError> {
    docx::read(bytes)
}

/// Imports an Excel workbook (nianbao's export or fill-in workbook, or tables laid out like the
/// official ones): what the reader noted (text read as numbers, formulas not taken) comes
/// first in the log. A workbook nianbao wrote gives its metadata and prose exactly as its
/// sheets hold them.
pub fn from_xlsx(bytes: &[u8], opts: &ImportOptions) -> Result<Imported, ImportError> {
    check_options(opts)?;
    let (doc, notes, exact) = xlsx::read_all(bytes)?;
    let mut imported = match &exact {
        None => from_source_doc(&doc, opts)?,
        Some(x) => {
            let opts = x.options(opts);
            let (mut json, log) = to_report_json(&doc, &opts)?;
            xlsx::apply(&mut json, x);
            from_report_json(json, log, &opts)?
        }
    };
    let mut entries = notes.entries;
    entries.append(&mut imported.log.entries);
    imported.log.entries = entries;
    Ok(imported)
}

/// The intermediate form of an Excel workbook and the reader's notes.
pub fn xlsx_doc(bytes: &[u8]) -> Result<(SourceDoc, ImportLog), ImportError> {
    xlsx::read(bytes)
}

/// The intermediate form of crawler text.
pub fn text_doc(text: &str) -> SourceDoc {
    textfile::read(text)
}

/// Reads any input the importer knows, by its kind (detected from the bytes; `name`'s
/// extension only breaks ties). JSON goes through [`Report::from_json`] with an empty log (and
/// is cleaned or given another agency or year when the options say so).
///
/// ```
/// use nianbao::import::{read_any, ImportOptions};
/// let opts = ImportOptions { clean: true, ..ImportOptions::default() };
/// for name in ["examples/potou-2023.json", "tests/fixtures/import/pingtan_2023.html"] {
///     let bytes = std::fs::read(name).unwrap();
///     let imported = read_any(&bytes, name, &opts).unwrap();
///     assert!(!imported.report.agency.is_empty());
/// }
/// ```
///
/// # Errors
/// [`ImportError`]: an unknown or unsupported kind of input, text that is not a report, a
/// report JSON with a mistake ([`ImportError::Report`] naming its place).
pub fn read_any(bytes: &[u8], name: &str, opts: &ImportOptions) -> Result<Imported, ImportError> {
    read_detected(bytes, name, opts).1
}

/// [`read_any`], also giving the kind detected (the input is sniffed and decoded once).
pub fn read_detected(
    bytes: &[u8],
    name: &str,
    opts: &ImportOptions,
) -> (SourceKind, Result<Imported, ImportError>) {
    match detect::sniff(bytes, name) {
        (kind, Some(text)) => (kind, read_text_as(kind, &text, opts)),
        (kind, None) => (kind, read_as(kind, bytes, opts)),
    }
}

fn read_text_as(
    kind: SourceKind,
    text: &str,
    opts: &ImportOptions,
) -> Result<Imported, ImportError> {
    check_options(opts)?;
    match kind {
        SourceKind::Json => read_json(text, opts),
        SourceKind::Html => from_html(text, opts),
        _ => from_text(text, opts),
    }
}

fn read_json(text: &str, opts: &ImportOptions) -> Result<Imported, ImportError> {
    let mut report = Report::from_json(text.trim_start_matches('\u{feff}'))?;
    if let Some(a) = &opts.agency {
        report.agency = a.clone();
    }
    if let Some(y) = opts.year {
        report.year = y;
    }
    if opts.clean {
        report = clean(&report);
    }
    Ok(Imported {
        report,
        log: ImportLog::default(),
    })
}

/// Reads an input as a given kind (`--from`).
pub fn read_as(
    kind: SourceKind,
    bytes: &[u8],
    opts: &ImportOptions,
) -> Result<Imported, ImportError> {
    check_options(opts)?;
    match kind {
        SourceKind::Json => read_json(&detect::decode(bytes)?, opts),
        SourceKind::Html => from_html(&detect::decode(bytes)?, opts),
        SourceKind::Text => from_text(&detect::decode(bytes)?, opts),
        SourceKind::Pdf => from_pdf(bytes, opts),
        SourceKind::Docx => from_docx(bytes, opts),
        SourceKind::Doc | SourceKind::Xls if docx::package::is_encrypted_ooxml(bytes) => {
            Err(docx::package::encrypted_error(kind))
        }
        SourceKind::Xlsx => from_xlsx(bytes, opts),
        SourceKind::Doc | SourceKind::Xls => Err(ImportError::Unsupported {
            kind,
            reason: format!(
                "这是旧的二进制 {} 文件，无法读取；请用 Word/WPS/Excel 另存为 .{}x 后再导入 (old binary format: save it as .{}x first)",
                if kind == SourceKind::Doc { "Word (.doc)" } else { "Excel (.xls)" },
                if kind == SourceKind::Doc { "doc" } else { "xls" },
                if kind == SourceKind::Doc { "doc" } else { "xls" },
            ),
        }),
        SourceKind::Unknown => Err(ImportError::Unreadable {
            reason: "输入是二进制数据，不是文本、网页、JSON 或已知的文档格式 (binary data of no known kind)".to_string(),
        }),
    }
}
