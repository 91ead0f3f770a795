//! Text into markup: every character of a report reaches the page as text, never as markup.
//! Escapes `&`, `<`, `>` and `"` (so the same routine serves text and double-quoted attribute
//! values), drops the characters HTML and XML forbid (controls other than tab and line feed,
//! noncharacters) and records which it dropped, and turns line breaks into `<br>`.

use std::collections::BTreeSet;

/// Whether HTML (or XML, for XHTML-minded consumers) forbids `c` in a document: C0 controls other
/// than tab, line feed and carriage return (form feed too, which XML forbids), DEL, the C1
/// controls and the noncharacters.
///
/// ```
/// use nianbao::html::escape::is_forbidden;
/// assert!(is_forbidden('\u{0}') && is_forbidden('\u{c}') && is_forbidden('\u{85}'));
/// assert!(is_forbidden('\u{fffe}') && is_forbidden('\u{fdd0}'));
/// assert!(!is_forbidden('\t') && !is_forbidden('\n') && !is_forbidden('表'));
/// ```
pub fn is_forbidden(c: char) -> bool {
    let u = c as u32;
    (u < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
        || (0x7F..=0x9F).contains(&u)
        || (0xFDD0..=0xFDEF).contains(&u)
        || (u & 0xFFFE) == 0xFFFE
}

/// The bytes that may start a character needing care (see `Escaper::push_with`), as a table:
/// one load per byte of text.
static CARE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = b < 0x20
            || matches!(
                b as u8,
                b'&' | b'<' | b'>' | b'"' | 0x7F | 0xC2 | 0xEF | 0xF0..=0xF4
            );
        b += 1;
    }
    t
};

/// Escapes text for the page, recording the forbidden characters it drops.
#[derive(Debug, Default)]
pub struct Escaper {
    dropped: BTreeSet<char>,
}

impl Escaper {
    /// Appends `s` escaped, as text or as the content of a double-quoted attribute value. Line
    /// breaks become spaces (an attribute or a title has no line breaks).
    pub fn push(&mut self, out: &mut String, s: &str) {
        self.push_with(out, s, " ");
    }

    /// Appends `s` escaped, with each line break (`\n`, `\r\n`, `\r`) as `<br>`: a paragraph
    /// or a cell keeps the lines its author gave it, as the PDF and DOCX writers do.
    pub fn push_lines(&mut self, out: &mut String, s: &str) {
        self.push_with(out, s, "<br>");
    }

    fn push_with(&mut self, out: &mut String, s: &str, line_break: &str) {
        // Runs of plain text are copied whole. Only bytes that may start a character needing
        // care stop the scan: ASCII markup and controls, and the lead bytes of the C1 controls
        // (0xC2), of U+FDD0..U+FFFF (0xEF) and of the supplementary noncharacters (0xF0..0xF4).
        let bytes = s.as_bytes();
        let (mut run, mut i) = (0, 0);
        while i < bytes.len() {
            if !CARE[bytes[i] as usize] {
                i += 1;
                continue;
            }
            // `i` is at a character boundary: ASCII or a lead byte.
            let Some(c) = s[i..].chars().next() else {
                break;
            };
            let len = c.len_utf8();
            let replacement = match c {
                '&' => Some("&amp;"),
                '<' => Some("&lt;"),
                '>' => Some("&gt;"),
                '"' => Some("&quot;"),
                '\r' | '\n' => Some(line_break),
                c if is_forbidden(c) => {
                    self.dropped.insert(c);
                    Some("")
                }
                _ => None,
            };
            if let Some(r) = replacement {
                out.push_str(&s[run..i]);
                out.push_str(r);
                run = i + len;
                // "\r\n" is one line break
                if c == '\r' && bytes.get(i + 1) == Some(&b'\n') {
                    run += 1;
                    i += 1;
                }
            }
            i += len;
        }
        out.push_str(&s[run..]);
    }

    /// The forbidden characters dropped so far, in code point order.
    pub fn dropped(&self) -> &BTreeSet<char> {
        &self.dropped
    }
}

/// An `id` token made from a key: ASCII letters, digits, `-` and `_` kept, anything else
/// (dots, spaces, CJK) as `-`, so the result is a valid, whitespace-free id for any key.
///
/// ```
/// assert_eq!(nianbao::html::escape::id_token("overview.table1"), "overview-table1");
/// assert_eq!(nianbao::html::escape::id_token("a b\"<"), "a-b--");
/// ```
pub fn id_token(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esc(s: &str) -> (String, Vec<char>) {
        let mut e = Escaper::default();
        let mut out = String::new();
        e.push_lines(&mut out, s);
        (out, e.dropped().iter().copied().collect())
    }

    #[test]
    fn markup_characters_become_references() {
        let (out, dropped) = esc("<script>alert('x')</script> & </table> \"q\"");
        assert_eq!(
            out,
            "&lt;script&gt;alert('x')&lt;/script&gt; &amp; &lt;/table&gt; &quot;q&quot;"
        );
        assert!(dropped.is_empty());
        // an existing reference is text too: it must not be unescaped by the reader
        assert_eq!(esc("&amp;").0, "&amp;amp;");
    }

    #[test]
    fn forbidden_characters_are_dropped_and_recorded() {
        let (out, dropped) = esc("a\u{0}b\u{7}c\u{b}\u{c}d\u{7f}\u{9f}e\u{fdd0}\u{1fffe}f\tg");
        assert_eq!(out, "abcdef\tg");
        assert_eq!(
            dropped,
            vec![
                '\u{0}',
                '\u{7}',
                '\u{b}',
                '\u{c}',
                '\u{7f}',
                '\u{9f}',
                '\u{fdd0}',
                '\u{1fffe}'
            ]
        );
    }

    #[test]
    fn line_breaks_become_br_in_text_and_spaces_in_attributes() {
        assert_eq!(esc("一\r\n二\r三\n四").0, "一<br>二<br>三<br>四");
        let mut e = Escaper::default();
        let mut out = String::new();
        e.push(&mut out, "一\r\n二");
        assert_eq!(out, "一 二");
    }
}
