//! What a report may contain: documented limits on size and on characters, enforced when a
//! report is read ([`crate::Report::from_json`] calls [`check_report`]) with an error naming the
//! JSON path. Real reports stay far below every limit (a whole report is rarely 30,000
//! characters); the limits exist so that a hostile or broken input is refused quickly with a
//! clear message instead of taking minutes and gigabytes to export.
//!
//! Characters XML 1.0 forbids (C0 controls other than tab, line feed and carriage return, and
//! U+FFFE, U+FFFF) are **refused**, not removed: the report is never changed behind the user's
//! back, and every writer (DOCX and XLSX XML, the PDF's XMP metadata) could otherwise produce a
//! malformed file.

use crate::report::{Block, FreeTable, InputError, Report};

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

/// Checks a report just read against the limits above and the XML character rule.
///
/// # Errors
/// The first text that is too long, too many blocks or table cells, or a character XML
/// forbids, as an [`InputError`] naming its JSON path.
pub fn check_report(report: &Report) -> Result<(), InputError> {
    let mut total = Budget::default();
    text(&mut total, "agency", &report.agency, MAX_AGENCY_CHARS)?;
    if let Some(t) = &report.title {
        text(&mut total, "title", t, MAX_TITLE_CHARS)?;
    }
    for (key, h) in &report.headings {
        text(&mut total, &format!("headings.{key}"), h, MAX_HEADING_CHARS)?;
    }
    let prose = report
        .template()
        .sections
        .iter()
        .filter(|s| s.kind == crate::template::SectionKind::Prose)
        .map(|s| s.key.as_str());
    for key in std::iter::once("preamble").chain(prose) {
        let blocks = report.prose(key).unwrap_or(&[]);
        if blocks.len() > MAX_BLOCKS_PER_SECTION {
            return Err(too_many(
                key,
                blocks.len(),
                MAX_BLOCKS_PER_SECTION,
                "块 (blocks)",
            ));
        }
        for (i, b) in blocks.iter().enumerate() {
            let path = format!("{key}[{i}]");
            match b {
                Block::Paragraph(p) => text(&mut total, &path, p, MAX_PARAGRAPH_CHARS)?,
                Block::Heading(h) => {
                    text(&mut total, &format!("{path}.heading"), h, MAX_HEADING_CHARS)?
                }
                Block::Table(t) => table(&mut total, &format!("{path}.table"), t)?,
            }
        }
    }
    Ok(())
}

/// Characters counted so far against [`MAX_TEXT_CHARS`].
#[derive(Default)]
struct Budget(usize);

fn text(total: &mut Budget, path: &str, s: &str, max: usize) -> Result<(), InputError> {
    if let Some((i, c)) = s.chars().enumerate().find(|(_, c)| xml_forbidden(*c)) {
        return Err(error(
            path,
            format!(
                "第 {} 个字符是控制字符 U+{:04X}，文档格式（XML）不允许；请删除它 (control character U+{:04X} at character {} is not allowed in documents; remove it)",
                i + 1,
                c as u32,
                c as u32,
                i + 1
            ),
        ));
    }
    // Counting stops just past the limit: a 200 MB paragraph is refused without a full count.
    let n = s.chars().take(max + 1).count();
    if n > max {
        return Err(error(
            path,
            format!("文字过长：超过 {max} 个字符的上限 (text longer than the limit of {max} characters)"),
        ));
    }
    total.0 += n;
    if total.0 > MAX_TEXT_CHARS {
        return Err(error(
            path,
            format!(
                "报告文字总量超过 {MAX_TEXT_CHARS} 个字符的上限 (the report's text exceeds {MAX_TEXT_CHARS} characters)"
            ),
        ));
    }
    Ok(())
}

fn table(total: &mut Budget, path: &str, t: &FreeTable) -> Result<(), InputError> {
    let rows = t.rows.len();
    let cols = t.rows.first().map_or(0, Vec::len);
    if rows > MAX_TABLE_ROWS {
        return Err(too_many(
            &format!("{path}.rows"),
            rows,
            MAX_TABLE_ROWS,
            "行 (rows)",
        ));
    }
    if cols > MAX_TABLE_COLUMNS {
        return Err(too_many(
            &format!("{path}.rows[0]"),
            cols,
            MAX_TABLE_COLUMNS,
            "列 (columns)",
        ));
    }
    if rows * cols > MAX_TABLE_CELLS {
        return Err(too_many(
            &format!("{path}.rows"),
            rows * cols,
            MAX_TABLE_CELLS,
            "单元格 (cells)",
        ));
    }
    for (r, row) in t.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            text(
                total,
                &format!("{path}.rows[{r}][{c}]"),
                cell,
                MAX_CELL_CHARS,
            )?;
        }
    }
    Ok(())
}

fn too_many(path: &str, n: usize, max: usize, what: &str) -> InputError {
    error(
        path,
        format!("共 {n} 个{what}，超过 {max} 个的上限 ({n} exceeds the limit of {max})"),
    )
}

fn error(path: &str, message: String) -> InputError {
    InputError {
        path: path.to_string(),
        place: None,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Template;

    fn blank() -> Report {
        Report::blank(Template::get("2021").unwrap(), "测试局", 2024)
    }

    #[test]
    fn control_characters_are_refused_with_the_path() {
        let mut r = blank();
        r.other = vec![Block::Paragraph("甲\u{0B}乙".into())];
        let e = check_report(&r).unwrap_err();
        assert_eq!(e.path, "other[0]");
        assert!(e.message.contains("U+000B"), "{e}");
        let mut r = blank();
        r.agency = "某\u{08}局".into();
        assert_eq!(check_report(&r).unwrap_err().path, "agency");
        // Tab, newline, C1 controls and noncharacters other than U+FFFE/U+FFFF are XML-legal.
        let mut r = blank();
        r.other = vec![Block::Paragraph("a\tb\nc\r\u{85}\u{FDD0}".into())];
        assert!(check_report(&r).is_ok());
    }

    #[test]
    fn sizes_are_capped_at_exactly_the_limit() {
        let mut r = blank();
        r.overview = vec![Block::Paragraph("字".repeat(MAX_PARAGRAPH_CHARS))];
        assert!(check_report(&r).is_ok());
        r.overview = vec![Block::Paragraph("字".repeat(MAX_PARAGRAPH_CHARS + 1))];
        assert_eq!(check_report(&r).unwrap_err().path, "overview[0]");
        r.overview = vec![Block::Paragraph("x".into()); MAX_BLOCKS_PER_SECTION + 1];
        assert_eq!(check_report(&r).unwrap_err().path, "overview");
        r.overview = vec![Block::Paragraph("字".repeat(MAX_PARAGRAPH_CHARS)); 60];
        assert!(check_report(&r).unwrap_err().message.contains("总量"));
        r.overview = vec![Block::Table(FreeTable {
            rows: vec![vec!["a".into(); MAX_TABLE_COLUMNS + 1]],
            header_rows: 0,
        })];
        assert_eq!(
            check_report(&r).unwrap_err().path,
            "overview[0].table.rows[0]"
        );
        r.overview = vec![Block::Table(FreeTable {
            rows: vec![vec!["a".into(); 20]; 300],
            header_rows: 0,
        })];
        assert!(check_report(&r).unwrap_err().message.contains("单元格"));
        r.title = Some("题".repeat(MAX_TITLE_CHARS + 1));
        r.overview.clear();
        assert_eq!(check_report(&r).unwrap_err().path, "title");
    }
}
