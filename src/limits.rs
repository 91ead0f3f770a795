//! What a report may contain: documented limits on size and on characters, enforced when a
//! report is read ([`crate::Report::from_json`] checks them) with an error naming the
//! JSON path. Real reports stay far below every limit (a whole report is rarely 30,000
//! characters); the limits exist so that a hostile or broken input is refused quickly with a
//! clear message instead of taking minutes and gigabytes to export.
//!
//! Characters XML 1.0 forbids (C0 controls other than tab, line feed and carriage return, and
//! U+FFFE, U+FFFF) are **refused**, not removed: the report is never changed behind the user's
//! back, and every writer (DOCX and XLSX XML, the PDF's XMP metadata) could otherwise produce a
//! malformed file.

/// Largest input file read, in bytes (64 MiB). Reading stops at this size, so `/dev/zero` or a
/// runaway pipe is refused without growing memory.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Deepest nesting of JSON arrays and objects (a report needs 6).
pub const MAX_NESTING_DEPTH: usize = 16;

/// Longest agency name (`agency`), in characters.
pub const MAX_AGENCY_CHARS: usize = 300;

/// Longest explicit title (`title`), in characters.
pub const MAX_TITLE_CHARS: usize = 400;

/// Longest heading (a section heading in `headings` or a `{"heading": …}` block), in characters.
pub const MAX_HEADING_CHARS: usize = 300;

/// Longest paragraph, in characters (about 30 printed pages).
pub const MAX_PARAGRAPH_CHARS: usize = 20_000;

/// Most blocks (paragraphs, headings, tables) in one prose section.
pub const MAX_BLOCKS_PER_SECTION: usize = 2_000;

/// Most characters of text in the whole report (all prose, headings and free-table cells).
pub const MAX_TEXT_CHARS: usize = 1_000_000;

/// Most rows of one free-form table.
pub const MAX_TABLE_ROWS: usize = 500;

/// Most columns of one free-form table.
pub const MAX_TABLE_COLUMNS: usize = 30;

/// Most cells of one free-form table.
pub const MAX_TABLE_CELLS: usize = 5_000;

/// Longest free-form table cell, in characters.
pub const MAX_CELL_CHARS: usize = 1_000;

/// Whether XML 1.0 forbids a character (`Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] |
/// [#xE000-#xFFFD] | [#x10000-#x10FFFF]`; surrogates cannot occur in a Rust string).
///
/// ```
/// assert!(nianbao::limits::xml_forbidden('\u{0B}'));
/// assert!(!nianbao::limits::xml_forbidden('\t'));
/// assert!(!nianbao::limits::xml_forbidden('年'));
/// ```
pub fn xml_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}
