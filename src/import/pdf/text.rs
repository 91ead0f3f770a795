//! Small text helpers of the PDF reader: PDF text strings, joining the lines of a paragraph,
//! page-number folios.

/// Decodes a PDF text string (Info entries, `/ActualText`, `/T`): UTF-16BE or UTF-8 with a
/// byte-order mark, else PDFDocEncoding (read as Latin-1, which it equals for the printable
/// range).
pub fn decode_text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        // Not allowed by the standard, but WPS writes its Info strings so.
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes.iter().map(|&b| b as char).collect()
}

/// Whether a character is an ASCII letter or digit (a space between two of them is a word
/// space; between CJK characters a gap is only spacing).
pub fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Appends a line of a paragraph to the text before it: CJK lines join directly; a space goes
/// between two Latin words or numbers that a line break separated.
pub fn join_line(into: &mut String, line: &str) {
    let line = line.trim_end();
    if into.is_empty() {
        into.push_str(line);
        return;
    }
    let last = into.chars().next_back();
    let first = line.chars().next();
    if let (Some(a), Some(b)) = (last, first) {
        if is_word_char(a) && is_word_char(b) {
            into.push(' ');
        }
    }
    into.push_str(line);
}

/// Whether a line is a page-number folio: `— 2 —`, `- 2 -`, `-2-`, `第 2 页`, `2 / 5`, or a bare
/// number (the caller decides by position whether a bare number is a folio).
pub fn folio_number(line: &str) -> Option<(u32, bool)> {
    let dashes = |c: char| matches!(c, '-' | '—' | '–' | '－' | '−' | '―' | '‒');
    let t = line.trim();
    let core = t.trim_matches(|c: char| dashes(c) || c.is_whitespace());
    let dashed = t.starts_with(dashes) || t.ends_with(dashes);
    if let Some(n) = core
        .strip_prefix('第')
        .and_then(|r| r.strip_suffix('页'))
        .and_then(|n| n.trim().parse().ok())
    {
        return Some((n, true));
    }
    if let Some((a, b)) = core.split_once('/') {
        if let (Ok(n), Ok(_)) = (a.trim().parse::<u32>(), b.trim().parse::<u32>()) {
            return Some((n, true));
        }
    }
    if !core.is_empty() && core.len() <= 4 && core.chars().all(|c| c.is_ascii_digit()) {
        return core.parse().ok().map(|n| (n, dashed));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_strings() {
        assert_eq!(decode_text_string(&[0xFE, 0xFF, 0x4E, 0x00]), "一");
        assert_eq!(decode_text_string(&[0xFF, 0xFE, 0x00, 0x4E]), "一");
        assert_eq!(decode_text_string(b"abc"), "abc");
    }

    #[test]
    fn lines_join() {
        let mut s = String::new();
        join_line(&mut s, "全年主动公开");
        join_line(&mut s, "信息 1136 条，email");
        join_line(&mut s, "hz@126.com");
        assert_eq!(s, "全年主动公开信息 1136 条，email hz@126.com");
    }

    #[test]
    fn folios() {
        assert_eq!(folio_number("— 2 —"), Some((2, true)));
        assert_eq!(folio_number("-1-"), Some((1, true)));
        assert_eq!(folio_number("- 3 -"), Some((3, true)));
        assert_eq!(folio_number("12"), Some((12, false)));
        assert_eq!(folio_number("第 4 页"), Some((4, true)));
        assert_eq!(folio_number("2023"), Some((2023, false)));
        assert_eq!(folio_number("一、总体情况"), None);
        assert_eq!(folio_number("10 1 0"), None);
    }
}
