//! Dispatch: writes a report or a laid-out document in one of the output formats. The options,
//! results and errors every writer shares live in [`crate::options`], so that the writers
//! depend on them and not on this module (no import cycle).

use crate::layout::{self, Document};
pub use crate::options::{ExportError, ExportOptions, FontRole, Output, PdfStandard, Target};
use crate::report::Report;

/// Exports a report in one format: lays it out ([`layout::build`]) and writes it. It does not
/// validate: call [`crate::validate()`] first and decide what to do with the findings (or lay
/// out with [`layout::build_with_findings`] and call [`write()`] to carry them into the
/// document). The bytes are returned, never written to disk, so a failed export leaves no
/// half-written file; identical input and options give identical bytes.
///
/// ```
/// use nianbao::{export, ExportOptions, Report, Target};
/// let json = std::fs::read_to_string("examples/demo-city-2024.json").unwrap();
/// let report = Report::from_json(&json).unwrap();
/// let xlsx = export(&report, Target::Xlsx, &ExportOptions::default()).unwrap();
/// assert!(xlsx.bytes.starts_with(b"PK"));
/// let html = export(&report, Target::Html, &ExportOptions::default()).unwrap();
/// assert!(String::from_utf8(html.bytes).unwrap().contains(&report.agency));
/// ```
///
/// # Errors
/// [`ExportError::Font`] when a font (bundled, found or given in [`ExportOptions::fonts`])
/// cannot be read or lacks what is needed; [`ExportError::Writer`] when the writer cannot
/// produce a file (a PDF that would break the chosen standard, a workbook beyond a limit of
/// the format).
pub fn export(
    report: &Report,
    target: Target,
    opts: &ExportOptions,
) -> Result<Output, ExportError> {
    write(&layout::build(report), target, opts)
}

/// Writes a laid-out document in one format.
///
/// ```
/// use nianbao::{export::write, ExportOptions, Report, Target};
/// let json = std::fs::read_to_string("examples/demo-2019.json").unwrap();
/// let report = Report::from_json(&json).unwrap();
/// let findings = nianbao::validate(&report, None);
/// let doc = nianbao::layout::build_with_findings(&report, findings);
/// let docx = write(&doc, Target::Docx, &ExportOptions::default()).unwrap();
/// assert!(docx.bytes.starts_with(b"PK"));
/// ```
///
/// # Errors
/// As [`export()`].
pub fn write(doc: &Document, target: Target, opts: &ExportOptions) -> Result<Output, ExportError> {
    match target {
        Target::Pdf => crate::pdf::write(doc, opts),
        Target::Docx => crate::docx::write(doc, opts),
        Target::Xlsx => crate::xlsx::write(doc, opts),
        Target::Html => crate::html::write(doc, opts),
    }
}
