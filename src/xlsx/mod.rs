//! XLSX writer (in progress).

use crate::export::{ExportError, ExportOptions, Output};
use crate::layout::Document;

/// Writes the document as XLSX.
pub fn write(_doc: &Document, _opts: &ExportOptions) -> Result<Output, ExportError> {
    Err(ExportError::Writer {
        target: "xlsx",
        message: "not implemented yet".into(),
    })
}
