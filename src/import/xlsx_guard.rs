//! What a workbook must hold before calamine reads it: cell references inside Excel's grid,
//! shared-formula indexes that exist, and formula text of a report's size.
//!
//! calamine (0.38) trusts all three. A reference such as `AAAAAAAAA1` or the reversed range
//! `B1:A1` overflows its `u32` arithmetic (a panic in a build with overflow checks, a wrapped
//! number in a release build), a table whose header and totals rows do not fit its range
//! underflows, a shared formula numbered `si="4000000000"` makes it allocate a slot for every
//! number below (160 GB: the process aborts), and one long shared formula copied by reference
//! to thousands of cells is expanded into each (a 244 KB file: 1.5 GB and 15 s). [`Guard`]
//! reads each part of the package once, with the same lenient XML settings as calamine, and
//! refuses such a workbook with the part and the value named, before calamine sees it.

use super::ImportError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::HashMap;

/// Excel's last column (`XFD`), 1-based.
pub const MAX_COLUMN: u64 = 16_384;
/// Excel's last row, 1-based.
pub const MAX_ROW: u64 = 1_048_576;
/// The longest formula's XML text accepted, in bytes: Excel allows 8,192 characters, each at
/// most 4 bytes in UTF-8 or 6 escaped (`&quot;`), so no formula Excel wrote is longer.
pub const MAX_FORMULA: u64 = 64 << 10;
/// Formula text in the whole workbook, shared formulas counted once for every cell they are
/// copied to (calamine expands each): 4 MiB. nianbao's export workbook has about 20 KB.
pub const MAX_FORMULA_TOTAL: u64 = 4 << 20;

fn refuse(part: &str, what: &str, value: &[u8], why: &str) -> ImportError {
    let shown: String = String::from_utf8_lossy(value).chars().take(40).collect();
    let more = if value.len() > shown.len() { "…" } else { "" };
    ImportError::Unreadable {
        reason: format!(
            "工作簿部件 {part} 中的{what} “{shown}{more}” {why}，工作簿已损坏或不是年度报告 (a value no spreadsheet program writes: the workbook is damaged or not a report; open it in Excel or WPS and save it again)"
        ),
    }
}

const OUTSIDE: &str = "超出 Excel 的范围（最多 XFD 列、1048576 行）";

/// One cell reference as calamine scans it: letters (the column), then digits (the row), then
/// anything else, which calamine refuses by itself. `None` when a run is longer or larger than
/// Excel allows; otherwise the 1-based (row, column), 0 where a run is empty.
fn reference(r: &[u8]) -> Option<(u64, u64)> {
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = r[letters..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if letters > 3 || digits > 7 {
        return None;
    }
    let col = r[..letters].iter().fold(0u64, |acc, b| {
        acc * 26 + u64::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    let row = r[letters..letters + digits]
        .iter()
        .fold(0u64, |acc, b| acc * 10 + u64::from(b - b'0'));
    (col <= MAX_COLUMN && row <= MAX_ROW).then_some((row, col))
}

/// A range's first and last cell, each 1-based (row, column).
type Range = ((u64, u64), (u64, u64));

/// A reference or range (`A1`, `A1:C3`) as calamine reads it: `Ok` with the range's (first,
/// last) when calamine can do its arithmetic on it, `Err` with why not. A part calamine refuses
/// by itself (a missing row, a `$`) passes, as `(0, 0)`.
fn range(value: &[u8]) -> Result<Range, &'static str> {
    let mut parts = value.split(|b| *b == b':');
    let first = reference(parts.next().unwrap_or_default()).ok_or(OUTSIDE)?;
    let Some(second) = parts.next() else {
        return Ok((first, first));
    };
    let last = reference(second).ok_or(OUTSIDE)?;
    let complete = |(r, c): (u64, u64)| r > 0 && c > 0;
    if parts.next().is_none()
        && complete(first)
        && complete(last)
        && (last.0 < first.0 || last.1 < first.1)
    {
        return Err("首尾颠倒");
    }
    Ok((first, last))
}

fn attribute<'a>(e: &'a BytesStart<'_>, name: &[u8]) -> Option<std::borrow::Cow<'a, [u8]>> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| a.value)
}

fn number(value: &[u8]) -> Option<u64> {
    std::str::from_utf8(value).ok()?.trim().parse().ok()
}

/// A formula element being read: its shared index, whether it is a shared formula's anchor
/// (it has a `ref`), and its text so far in bytes.
struct Formula {
    shared: Option<u64>,
    anchor: bool,
    len: u64,
}

/// Checks the parts of one workbook; the formula text is counted across all of them.
#[derive(Default)]
pub struct Guard {
    formula_total: u64,
}

impl Guard {
    /// Checks one part of the package (its name for messages, its bytes). A part that is not
    /// XML, or stops being well-formed, is checked up to where calamine would stop reading it.
    pub fn check_part(&mut self, part: &str, bytes: &[u8]) -> Result<(), ImportError> {
        let start = bytes
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(bytes.len());
        let body = &bytes[start..];
        if !(body.starts_with(b"<") || body.starts_with("\u{feff}".as_bytes())) {
            return Ok(());
        }
        let mut reader = Reader::from_reader(bytes);
        let config = reader.config_mut();
        config.check_end_names = false;
        config.check_comments = false;
        config.trim_text(false);
        let mut buf = Vec::new();
        let mut formulas = 0u64;
        let mut largest_index: Option<(u64, Vec<u8>)> = None;
        // The text length of each shared formula's anchor, by index: a cell that refers to one
        // gets its text.
        let mut anchors: HashMap<u64, u64> = HashMap::new();
        let mut open: Option<Formula> = None;
        loop {
            buf.clear();
            let (e, empty) = match reader.read_event_into(&mut buf) {
                Ok(Event::Start(e)) => (e, false),
                Ok(Event::Empty(e)) => (e, true),
                Ok(Event::Text(t)) => {
                    if let Some(f) = open.as_mut() {
                        f.len += t.len() as u64;
                    }
                    continue;
                }
                Ok(Event::CData(t)) => {
                    if let Some(f) = open.as_mut() {
                        f.len += t.len() as u64;
                    }
                    continue;
                }
                Ok(Event::End(e)) => {
                    if e.local_name().as_ref() == b"f" {
                        if let Some(f) = open.take() {
                            self.formula_done(part, f, &mut anchors)?;
                        }
                    }
                    continue;
                }
                Ok(Event::Eof) | Err(_) => break,
                Ok(_) => continue,
            };
            match e.local_name().as_ref() {
                b"c" | b"row" => {
                    if let Some(r) = attribute(&e, b"r") {
                        range(&r).map_err(|why| refuse(part, "单元格引用", &r, why))?;
                    }
                }
                b"dimension" | b"mergeCell" | b"hyperlink" => {
                    if let Some(r) = attribute(&e, b"ref") {
                        range(&r).map_err(|why| refuse(part, "区域引用", &r, why))?;
                    }
                }
                b"f" => {
                    formulas += 1;
                    let anchor = match attribute(&e, b"ref") {
                        Some(r) => {
                            range(&r).map_err(|why| refuse(part, "共享公式的区域", &r, why))?;
                            true
                        }
                        None => false,
                    };
                    let shared = attribute(&e, b"t").is_some_and(|t| t.as_ref() == b"shared");
                    let mut index = None;
                    if let Some(si) = attribute(&e, b"si") {
                        let n = number(&si)
                            .ok_or_else(|| refuse(part, "共享公式编号", &si, "不是数字"))?;
                        if largest_index.as_ref().is_none_or(|(m, _)| n > *m) {
                            largest_index = Some((n, si.to_vec()));
                        }
                        index = shared.then_some(n);
                    }
                    let f = Formula {
                        shared: index,
                        anchor,
                        len: 0,
                    };
                    if empty {
                        self.formula_done(part, f, &mut anchors)?;
                    } else {
                        open = Some(f);
                    }
                }
                b"table" => {
                    let Some(r) = attribute(&e, b"ref") else {
                        continue;
                    };
                    let (first, last) =
                        range(&r).map_err(|why| refuse(part, "表格区域", &r, why))?;
                    let count = |name: &[u8], default: u64| {
                        attribute(&e, name).map_or(Some(default), |v| number(&v))
                    };
                    let rows = (last.0 + 1).saturating_sub(first.0);
                    if let (Some(h), Some(t)) =
                        (count(b"headerRowCount", 1), count(b"totalsRowCount", 0))
                    {
                        if h.saturating_add(t) > rows {
                            return Err(refuse(part, "表格区域", &r, "容不下其标题行和汇总行"));
                        }
                    }
                }
                _ => {}
            }
        }
        // A shared formula's index names one of the formulas of the sheet: it cannot exceed
        // their number (calamine keeps a slot for every index up to the largest).
        if let Some((n, si)) = largest_index {
            if n >= formulas {
                return Err(refuse(part, "共享公式编号", &si, "大于该工作表的公式个数"));
            }
        }
        Ok(())
    }

    /// Counts a formula read whole: its own text, or for a cell that refers to a shared formula,
    /// the anchor's text calamine will copy into it.
    fn formula_done(
        &mut self,
        part: &str,
        f: Formula,
        anchors: &mut HashMap<u64, u64>,
    ) -> Result<(), ImportError> {
        if f.len > MAX_FORMULA {
            return Err(refuse(
                part,
                "公式",
                format!("{} 字节", f.len).as_bytes(),
                "长于 Excel 允许的 8192 个字符（64 KiB）",
            ));
        }
        let len = match f.shared {
            Some(i) if f.anchor => {
                anchors.insert(i, f.len);
                f.len
            }
            Some(i) if f.len == 0 => anchors.get(&i).copied().unwrap_or(0),
            _ => f.len,
        };
        self.formula_total += len;
        if self.formula_total > MAX_FORMULA_TOTAL {
            return Err(refuse(
                part,
                "公式",
                format!("共 {} 字节", self.formula_total).as_bytes(),
                "合计超过 4 MiB（共享公式按引用它的单元格个数计）",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(cells: &str) -> Vec<u8> {
        format!(
            r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{cells}</sheetData></worksheet>"#
        )
        .into_bytes()
    }

    fn refused(bytes: &[u8]) -> String {
        match Guard::default().check_part("xl/worksheets/sheet1.xml", bytes) {
            Err(ImportError::Unreadable { reason }) => reason,
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn references_inside_excels_grid_pass() {
        let ok = sheet(
            r#"<row r="1048576"><c r="XFD1048576"><v>1</v></c><c r="a1"/><c><f t="shared" si="0" ref="A1:XFD1048576">1</f></c></row><mergeCell ref="B2:B2"/><dimension ref="A1"/>"#,
        );
        Guard::default()
            .check_part("xl/worksheets/sheet1.xml", &ok)
            .unwrap();
        // References calamine refuses by itself are left to it.
        Guard::default()
            .check_part("p", &sheet(r#"<c r="$A$1"/><c r="A"/><c r="1:3"/>"#))
            .unwrap();
        // Not XML at all: nothing to check.
        Guard::default()
            .check_part("xl/media/image1.png", b"\x89PNG\r\n\x1a\n")
            .unwrap();
    }

    #[test]
    fn references_past_excels_grid_are_refused_with_the_part_and_value() {
        let why = refused(&sheet(r#"<row r="1"><c r="AAAAAAAAA1"/></row>"#));
        assert!(why.contains("xl/worksheets/sheet1.xml"), "{why}");
        assert!(why.contains("单元格引用 “AAAAAAAAA1”"), "{why}");
        refused(&sheet(r#"<c r="XFE1"/>"#));
        refused(&sheet(r#"<c r="A1048577"/>"#));
        refused(&sheet(r#"<row r="99999999999"/>"#));
        refused(&sheet(r#"<mergeCell ref="A1:ZZZZZZ9"/>"#));
    }

    #[test]
    fn reversed_ranges_are_refused() {
        let why = refused(&sheet(r#"<mergeCell ref="B1:A1"/>"#));
        assert!(why.contains("区域引用 “B1:A1”"), "{why}");
        refused(&sheet(r#"<dimension ref="A9:A1"/>"#));
        refused(&sheet(
            r#"<c r="A1"><f t="shared" si="0" ref="C3:B4">1</f></c>"#,
        ));
    }

    #[test]
    fn shared_formula_indexes_past_the_formulas_of_the_part_are_refused() {
        let cells = |si: &str| {
            sheet(&format!(
                r#"<c r="A1"><f t="shared" si="{si}" ref="A1:A2">B1</f></c><c r="A2"><f t="shared" si="{si}"/></c>"#
            ))
        };
        Guard::default().check_part("p", &cells("1")).unwrap();
        let why = refused(&cells("4000000000"));
        assert!(why.contains("共享公式编号 “4000000000”"), "{why}");
        refused(&cells("2"));
        refused(&cells("x"));
    }

    #[test]
    fn tables_whose_header_and_totals_do_not_fit_are_refused() {
        let table = |attrs: &str| {
            format!(r#"<?xml version="1.0"?><table xmlns="x" id="1" name="T" {attrs}><autoFilter ref="A1:B3"/></table>"#)
                .into_bytes()
        };
        Guard::default()
            .check_part(
                "xl/tables/table1.xml",
                &table(r#"ref="A1:B3" totalsRowCount="1""#),
            )
            .unwrap();
        Guard::default()
            .check_part(
                "t",
                &table(r#"ref="A5:B5" headerRowCount="0" totalsRowCount="1""#),
            )
            .unwrap();
        refused(&table(r#"ref="A1:B3" headerRowCount="4000000000""#));
        refused(&table(r#"ref="A1:B1" totalsRowCount="1""#));
        refused(&table(r#"ref="B2:A1""#));
    }
}
