//! What every writer shares: the output targets, the options a user can set, the font roles,
//! and the result (bytes plus warnings) and error types. Writers return bytes; only the caller
//! touches the file system, so a failed export never leaves a half-written file. This module
//! depends on no writer: `export` dispatches to the writers, and the writers depend on this.

use crate::layout::Document;
use crate::report::Date;
pub use crate::style::FontRole;
use std::path::PathBuf;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// The filing copy (GB/T 9704).
    Pdf,
    /// The editable Word copy.
    Docx,
    /// The tables for statisticians.
    Xlsx,
    /// The web page for the 政府信息公开专栏 (one self-contained HTML5 file).
    Html,
}

impl Target {
    /// File extension.
    pub fn extension(self) -> &'static str {
        match self {
            Target::Pdf => "pdf",
            Target::Docx => "docx",
            Target::Xlsx => "xlsx",
            Target::Html => "html",
        }
    }

    /// Parses `pdf`, `docx`, `xlsx` or `html` (also `htm`).
    pub fn parse(s: &str) -> Option<Target> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pdf" => Some(Target::Pdf),
            "docx" => Some(Target::Docx),
            "xlsx" => Some(Target::Xlsx),
            "html" | "htm" => Some(Target::Html),
            _ => None,
        }
    }

    /// All targets.
    pub const ALL: [Target; 4] = [Target::Pdf, Target::Docx, Target::Xlsx, Target::Html];
}

/// PDF conformance level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PdfStandard {
    /// Plain PDF 1.7.
    None,
    /// PDF/A-2b (default).
    #[default]
    A2b,
    /// PDF/A-2u.
    A2u,
    /// PDF/UA-1.
    Ua1,
}

impl PdfStandard {
    /// Parses `none`, `a-2b`, `a-2u`, `ua-1`.
    pub fn parse(s: &str) -> Option<PdfStandard> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" => Some(PdfStandard::None),
            "a-2b" | "pdfa-2b" | "a2b" => Some(PdfStandard::A2b),
            "a-2u" | "pdfa-2u" | "a2u" => Some(PdfStandard::A2u),
            "ua-1" | "pdfua-1" | "ua1" => Some(PdfStandard::Ua1),
            _ => None,
        }
    }
}

/// Options shared by the writers.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Creation date written into the file (defaults to the report's publication date, then to a
    /// fixed date, so identical input gives identical bytes).
    pub date: Option<Date>,
    /// `--font ROLE=PATH` overrides.
    pub fonts: Vec<(FontRole, PathBuf)>,
    /// PDF conformance.
    pub pdf_standard: PdfStandard,
    /// HTML: write only the report's content (one `<div class="nianbao-report">` with its styles
    /// inline) for pasting into a CMS, instead of a whole page (`--html-fragment`).
    pub html_fragment: bool,
    /// Write on the calling thread only. Otherwise the PDF writer subsets and compresses its
    /// fonts and streams on a few scoped threads of its own (the bytes are the same either
    /// way); a caller that already keeps every core busy, such as a batch with an input per
    /// core, gains nothing from them.
    pub single_thread: bool,
}

impl ExportOptions {
    /// The date to stamp into the file: `--date`, else the document's publication date, else
    /// 1 January of the year after the report year (deterministic).
    pub fn effective_date(&self, doc: &Document) -> Date {
        self.date.or(doc.meta.date).unwrap_or(Date {
            year: doc.meta.year + 1,
            month: 1,
            day: 1,
        })
    }
}

/// A written file.
#[derive(Debug, Clone, Default)]
pub struct Output {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Things the user should know (e.g. characters no font has).
    pub warnings: Vec<String>,
}

/// A writer failure.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A font could not be loaded or lacks what is needed.
    #[error("字体错误 (font): {0}")]
    Font(String),
    /// The writer failed.
    #[error("{target} 输出失败 ({target} writer failed): {message}")]
    Writer {
        /// Target extension.
        target: &'static str,
        /// What went wrong.
        message: String,
    },
}
