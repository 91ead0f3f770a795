//! What kind of input a file is, from its bytes (the file name's extension only breaks ties),
//! and decoding text in the encodings Chinese sites use (UTF-8, GB18030/GBK, UTF-16 with BOM).

use super::ImportError;
use serde::Serialize;
use std::borrow::Cow;
use std::io::Cursor;

/// The kind of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// Report JSON.
    Json,
    /// A web page.
    Html,
    /// Crawler text or other plain text.
    Text,
    /// PDF.
    Pdf,
    /// Word 2007+ (`.docx`).
    Docx,
    /// Excel 2007+ (`.xlsx`).
    Xlsx,
    /// Old binary Word (`.doc`).
    Doc,
    /// Old binary Excel (`.xls`).
    Xls,
    /// Binary data of no known kind.
    Unknown,
}

impl SourceKind {
    /// The kind named on the command line (`--from html`).
    pub fn from_name(name: &str) -> Option<SourceKind> {
        Some(match name.to_ascii_lowercase().as_str() {
            "json" => SourceKind::Json,
            "html" | "htm" => SourceKind::Html,
            "text" | "txt" => SourceKind::Text,
            "pdf" => SourceKind::Pdf,
            "docx" => SourceKind::Docx,
            "xlsx" => SourceKind::Xlsx,
            "doc" => SourceKind::Doc,
            "xls" => SourceKind::Xls,
            _ => return None,
        })
    }
}

fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Detects the kind of an input from its bytes; `file_name` (may be empty or `-`) is a hint.
pub fn detect(bytes: &[u8], file_name: &str) -> SourceKind {
    sniff(bytes, file_name).0
}

/// The kind of an input and, for text kinds, the decoded text (so it is decoded once; UTF-8
/// input is borrowed, not copied).
pub(crate) fn sniff<'a>(bytes: &'a [u8], file_name: &str) -> (SourceKind, Option<Cow<'a, str>>) {
    let ext = extension(file_name);
    if bytes.starts_with(b"%PDF-")
        || (bytes.len() < 1024 && bytes.windows(5).any(|w| w == b"%PDF-"))
    {
        return (SourceKind::Pdf, None);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        if let Ok(zip) = zip::ZipArchive::new(Cursor::new(bytes)) {
            let names: Vec<String> = zip
                .file_names()
                .filter_map(Result::ok)
                .map(|n| n.into_owned())
                .collect();
            if names.iter().any(|n| n.starts_with("word/")) {
                return (SourceKind::Docx, None);
            }
            if names.iter().any(|n| n.starts_with("xl/")) {
                return (SourceKind::Xlsx, None);
            }
        }
        let kind = match ext.as_str() {
            "docx" => SourceKind::Docx,
            "xlsx" => SourceKind::Xlsx,
            _ => SourceKind::Unknown,
        };
        return (kind, None);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        // OLE2: the stream names say which program wrote it (UTF-16 names in the directory).
        let utf16 =
            |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect() };
        let has = |s: &str| {
            let pat = utf16(s);
            bytes.windows(pat.len()).any(|w| w == pat.as_slice())
        };
        let kind = if has("WordDocument") {
            SourceKind::Doc
        } else if has("Workbook") || has("Book") || ext == "xls" {
            SourceKind::Xls
        } else {
            SourceKind::Doc
        };
        return (kind, None);
    }
    let Ok(text) = decode(bytes) else {
        return (SourceKind::Unknown, None);
    };
    let kind = text_kind(&text, &ext);
    (kind, Some(text))
}

fn text_kind(text: &str, ext: &str) -> SourceKind {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('{')
        && (ext == "json" || serde_json::from_str::<serde::de::IgnoredAny>(t).is_ok())
    {
        return SourceKind::Json;
    }
    // The first 4,096 characters, ASCII lowercased.
    let end = t.char_indices().nth(4096).map_or(t.len(), |(i, _)| i);
    let head = t[..end].to_ascii_lowercase();
    let markup = [
        "<!doctype html",
        "<html",
        "<body",
        "<table",
        "<p>",
        "<p ",
        "<div",
        "<meta",
        "<!--",
        "<head",
        "<span",
        "<br",
    ];
    if t.starts_with('<') && markup.iter().any(|m| head.contains(m)) {
        return SourceKind::Html;
    }
    if matches!(ext, "html" | "htm" | "shtml" | "xhtml") && head.contains('<') {
        return SourceKind::Html;
    }
    SourceKind::Text
}

/// The `charset` an HTML page declares in its first bytes (`<meta charset=gbk>`).
fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(2048)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let pos = lower.windows(8).position(|w| w == b"charset=")?;
    let rest = &head[pos + 8..];
    let rest: &[u8] = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_'))
        .unwrap_or(rest.len());
    encoding_rs::Encoding::for_label(&rest[..end])
}

/// Decodes text: a byte-order mark, else valid UTF-8, else an HTML-declared charset, else
/// GB18030 (a superset of GBK and GB2312). Binary data (NUL bytes, control characters) is an
/// error.
///
/// # Errors
/// [`ImportError`] for binary data.
pub fn decode_text(bytes: &[u8]) -> Result<String, ImportError> {
    decode(bytes).map(Cow::into_owned)
}

/// [`decode_text`], borrowing the bytes when they are UTF-8 already.
pub(crate) fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, ImportError> {
    let binary = || ImportError::Unreadable {
        reason:
            "输入是二进制数据，不是文本、网页、JSON 或已知的文档格式 (binary data of no known kind)"
                .to_string(),
    };
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (s, _, bad) = enc.decode(&bytes[bom..]);
        if bad && s.chars().filter(|c| *c == '\u{fffd}').count() > s.len() / 100 + 1 {
            return Err(binary());
        }
        return if controls_ok(&s, false) {
            Ok(s)
        } else {
            Err(binary())
        };
    }
    let decoded = match std::str::from_utf8(bytes) {
        // A NUL anywhere is binary data: looked for while the controls are counted.
        Ok(s) => {
            return if controls_ok(s, true) {
                Ok(Cow::Borrowed(s))
            } else {
                Err(binary())
            }
        }
        Err(_) => {
            if bytes.contains(&0) {
                return Err(binary());
            }
            let enc = declared_charset(bytes)
                .filter(|e| *e != encoding_rs::UTF_8)
                .unwrap_or(encoding_rs::GB18030);
            let (s, _, bad) = enc.decode(bytes);
            if bad && s.chars().filter(|c| *c == '\u{fffd}').count() > s.chars().count() / 50 + 1 {
                return Err(binary());
            }
            s.into_owned()
        }
    };
    if controls_ok(&decoded, false) {
        Ok(Cow::Owned(decoded))
    } else {
        Err(binary())
    }
}

/// `None` when more than 1 % of the first 100,000 characters are control characters (other
/// than line breaks, tabs and form feeds). Counted on the bytes: a character is a byte that does
/// not continue one; the C0 controls and DEL are single bytes, the C1 controls (U+0080 to
/// U+009F) are C2 80 to C2 9F. With `nul`, also `false` for a NUL byte anywhere in the text.
fn controls_ok(s: &str, nul: bool) -> bool {
    const LIMIT: usize = 100_000;
    const CHUNK: usize = 4096;
    let c0 = |b: u8| (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C)) || b == 0x7F;
    let c1 = |prev: u8, b: u8| prev == 0xC2 && (0x80..=0x9F).contains(&b);
    let bytes = s.as_bytes();
    let (mut total, mut controls) = (0usize, 0usize);
    let mut prev = 0u8;
    // Whole chunks while the limit is not reached, then byte by byte up to the limit.
    let mut offset = 0;
    for chunk in bytes.chunks(CHUNK) {
        // Counted in blocks of 255 bytes into byte-wide counters, which the compiler vectorises.
        let (mut chars, mut c0s, mut c2s, mut nuls) = (0usize, 0usize, 0usize, 0usize);
        for block in chunk.chunks(255) {
            let (mut ch, mut c, mut l, mut z) = (0u8, 0u8, 0u8, 0u8);
            for &b in block {
                ch = ch.wrapping_add(u8::from(b & 0xC0 != 0x80));
                c = c.wrapping_add(u8::from(c0(b)));
                l = l.wrapping_add(u8::from(b == 0xC2));
                z = z.wrapping_add(u8::from(b == 0));
            }
            chars += usize::from(ch);
            c0s += usize::from(c);
            c2s += usize::from(l);
            nuls += usize::from(z);
        }
        if nul && nuls > 0 {
            return false;
        }
        if total + chars >= LIMIT {
            if nul && bytes[offset..].contains(&0) {
                return false;
            }
            for &b in &bytes[offset..] {
                if b & 0xC0 != 0x80 {
                    if total == LIMIT {
                        break;
                    }
                    total += 1;
                    controls += usize::from(c0(b));
                } else {
                    controls += usize::from(c1(prev, b));
                }
                prev = b;
            }
            break;
        }
        total += chars;
        controls += c0s + usize::from(c1(prev, chunk[0]));
        // C1 controls (C2 80 to C2 9F) only where the chunk has a C2 byte at all.
        if c2s > 0 {
            controls += chunk.windows(2).filter(|w| c1(w[0], w[1])).count();
        }
        prev = chunk[chunk.len() - 1];
        offset += chunk.len();
    }
    controls * 100 <= total.max(1)
}

#[cfg(test)]
mod tests {
    use super::{controls_ok, decode_text};

    /// The count as first written: byte by byte over the first 100,000 characters.
    fn reference(s: &str) -> bool {
        let (mut total, mut controls) = (0usize, 0usize);
        let mut prev = 0u8;
        for &b in s.as_bytes() {
            if b & 0xC0 != 0x80 {
                if total == 100_000 {
                    break;
                }
                total += 1;
                controls += usize::from(
                    (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C)) || b == 0x7F,
                );
            } else {
                controls += usize::from(prev == 0xC2 && b <= 0x9F);
            }
            prev = b;
        }
        controls * 100 <= total.max(1)
    }

    #[test]
    fn control_counts_agree_with_the_byte_loop() {
        // Texts around the 1 % line, long and short, with controls before and after the
        // 100,000th character and C1 controls split across the 4,096-byte chunks.
        let pieces = ["中", "a", "\u{1}", "\u{85}", "\n", "é"];
        for (i, fill) in ["a", "中", "中a"].iter().enumerate() {
            for len in [
                10usize, 4095, 4096, 50_000, 99_999, 100_000, 100_001, 140_000,
            ] {
                for (j, p) in pieces.iter().enumerate() {
                    for every in [50usize, 99, 100, 101, 150] {
                        let mut s = String::new();
                        let mut n = 0;
                        while s.len() < len {
                            if (n + i + j) % every == 0 {
                                s.push_str(p);
                            } else {
                                s.push_str(fill);
                            }
                            n += 1;
                        }
                        assert_eq!(
                            controls_ok(&s, false),
                            reference(&s),
                            "fill {fill:?} len {len} piece {p:?} every {every}"
                        );
                    }
                }
            }
        }
        // Controls only beyond the first 100,000 characters do not count.
        let mut s = "a".repeat(100_000);
        s.push_str(&"\u{1}".repeat(5_000));
        assert!(controls_ok(&s, false));
        let mut s = "a".repeat(98_000);
        s.push_str(&"\u{1}".repeat(5_000));
        assert!(!controls_ok(&s, false));
    }

    #[test]
    fn a_nul_anywhere_in_utf8_text_is_binary() {
        // One NUL is far below 1 % of controls, yet binary: in the first chunk, in a later one,
        // beyond the 100,000 characters counted, in the last byte; in UTF-8 and in GB18030.
        // "中a" is four bytes and two characters: 240,000 bytes are 120,000 characters, the
        // NUL replacing an `a` (byte 3 of 4) keeps the text UTF-8.
        for at in [3usize, 5_003, 99_999, 199_999, 200_003, 239_999] {
            let mut b = "中a".repeat(60_000).into_bytes();
            b[at] = 0;
            let text = std::str::from_utf8(&b).expect("still UTF-8");
            assert!(!controls_ok(text, true), "NUL at {at}");
            assert!(controls_ok(text, false), "NUL at {at} is one control");
            assert!(decode_text(&b).is_err(), "NUL at {at}");
        }
        let mut gbk = vec![0xD6, 0xD0, 0xCE, 0xC4];
        gbk.push(0);
        assert!(decode_text(&gbk).is_err());
        assert_eq!(decode_text("中a\n".as_bytes()).unwrap(), "中a\n");
        assert!(controls_ok(&"中a".repeat(60_000), true));
    }
}
