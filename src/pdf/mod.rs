//! PDF writer (in progress).

use crate::export::{ExportError, ExportOptions, Output};
use crate::layout::Document;

/// Writes the document as PDF.
pub fn write(_doc: &Document, _opts: &ExportOptions) -> Result<Output, ExportError> {
    Err(ExportError::Writer {
        target: "pdf",
        message: "not implemented yet".into(),
    })
}
