//! The limits of [`crate::limits`] and the XML character rule, checked on a report just read.

use super::model::{Block, FreeTable, Report};
use crate::input::InputError;
use crate::limits::*;

/// Checks a report just read against the limits above and the XML character rule.
///
/// # Errors
/// The first text that is too long, too many blocks or table cells, or a character XML
/// forbids, as an [`InputError`] naming its JSON path.
pub(crate) fn check_report(report: &Report) -> Result<(), InputError> {
    let mut total = Budget::default();
    text(
        &mut total,
        || "agency".into(),
        &report.agency,
        MAX_AGENCY_CHARS,
    )?;
    if let Some(t) = &report.title {
        text(&mut total, || "title".into(), t, MAX_TITLE_CHARS)?;
    }
    for (key, h) in &report.headings {
        text(
            &mut total,
            || format!("headings.{key}"),
            h,
            MAX_HEADING_CHARS,
        )?;
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
            // Paths are built only for an error.
            let path = || format!("{key}[{i}]");
            match b {
                Block::Paragraph(p) => text(&mut total, path, p, MAX_PARAGRAPH_CHARS)?,
                Block::Heading(h) => text(
                    &mut total,
                    || format!("{}.heading", path()),
                    h,
                    MAX_HEADING_CHARS,
                )?,
                Block::Table(t) => table(&mut total, &format!("{}.table", path()), t)?,
            }
        }
    }
    Ok(())
}

/// Characters counted so far against [`MAX_TEXT_CHARS`].
#[derive(Default)]
struct Budget(usize);

fn text(
    total: &mut Budget,
    path: impl Fn() -> String,
    s: &str,
    max: usize,
) -> Result<(), InputError> {
    let forbidden = if might_hold_forbidden(s) {
        s.chars().enumerate().find(|(_, c)| xml_forbidden(*c))
    } else {
        None
    };
    if let Some((i, c)) = forbidden {
        return Err(error(
            &path(),
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
    // A text of at most `max` bytes has at most `max` characters: counted whole, by std's
    // word-at-a-time count.
    let n = if s.len() <= max {
        s.chars().count()
    } else {
        s.chars().take(max + 1).count()
    };
    if n > max {
        return Err(error(
            &path(),
            format!("文字过长：超过 {max} 个字符的上限 (text longer than the limit of {max} characters)"),
        ));
    }
    total.0 += n;
    if total.0 > MAX_TEXT_CHARS {
        return Err(error(
            &path(),
            format!(
                "报告文字总量超过 {MAX_TEXT_CHARS} 个字符的上限 (the report's text exceeds {MAX_TEXT_CHARS} characters)"
            ),
        ));
    }
    Ok(())
}

/// Whether a text may hold a character [`xml_forbidden`] names, by a scan of its bytes that has
/// no early exit (so the compiler checks many bytes a step): a C0 control other than tab, line
/// feed and carriage return is one byte below 0x20; U+FFFE and U+FFFF are the only characters
/// whose UTF-8 ends `BF BE` or `BF BF` after `EF`, and are looked for as text. `false` means
/// none is there; `true` sends the text to the exact search.
fn might_hold_forbidden(s: &str) -> bool {
    let c0 = s.bytes().fold(false, |a, x| {
        a | ((x < 0x20) & (x != b'\t') & (x != b'\n') & (x != b'\r'))
    });
    c0 || s.contains('\u{FFFE}') || s.contains('\u{FFFF}')
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
                || format!("{path}.rows[{r}][{c}]"),
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
    fn the_byte_scan_finds_every_forbidden_character() {
        for u in (0..0x800u32).chain(0xF000..=0x10FFFF) {
            let Some(c) = char::from_u32(u) else { continue };
            let s = format!("公开，（{c}）a");
            assert_eq!(might_hold_forbidden(&s), xml_forbidden(c), "U+{u:04X}");
        }
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
