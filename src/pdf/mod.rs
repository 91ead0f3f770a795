//! PDF writer: the official filing copy (GB/T 9704-2012 page and type, CJK fonts embedded as
//! subsets, tagged, PDF/A-2b by default, bookmarks for the six sections, byte-identical output
//! for identical input).
//!
//! Pipeline: [`fonts`] resolves a face per role and checks coverage → [`paginate`] lays the
//! [`Document`] out into positioned frames ([`geometry`]) using [`linebreak`] → [`write`]
//! serializes the frames with krilla.

pub mod fonts;
pub mod geometry;
pub mod linebreak;
pub mod paginate;
pub mod write;

use crate::layout::Document;
use crate::options::{ExportError, ExportOptions, Output};

/// Writes the document as PDF.
pub fn write(doc: &Document, opts: &ExportOptions) -> Result<Output, ExportError> {
    let set = fonts::FontSet::load(opts, &paginate::roles_used(doc))?;
    set.prime(&paginate::document_chars(doc));
    let laid = paginate::layout(doc, &set);
    let mut warnings = Vec::new();
    let missing = set.missing();
    if !missing.is_empty() {
        let list: Vec<String> = missing
            .iter()
            .map(|c| format!("“{c}” (U+{:04X})", *c as u32))
            .collect();
        warnings.push(format!(
            "PDF: 没有任何字体含有这些字符，已以 □ 代替显示（文本中仍保留原字符）: {} (no font has these characters; drawn as □ with the original text kept)",
            list.join(", ")
        ));
    }
    let bytes = write::serialize(doc, &laid, &set, opts)?;
    Ok(Output { bytes, warnings })
}
