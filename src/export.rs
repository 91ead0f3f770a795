//! Dispatch: writes a laid-out document in one of the output formats. The options, results
//! and errors every writer shares live in [`crate::options`].

use crate::layout::Document;
pub use crate::options::{ExportError, ExportOptions, FontRole, Output, PdfStandard, Target};

/// Writes a document in one format.
pub fn write(doc: &Document, target: Target, opts: &ExportOptions) -> Result<Output, ExportError> {
    match target {
        Target::Pdf => crate::pdf::write(doc, opts),
        Target::Docx => crate::docx::write(doc, opts),
        Target::Xlsx => crate::xlsx::write(doc, opts),
        Target::Html => crate::html::write(doc, opts),
    }
}
