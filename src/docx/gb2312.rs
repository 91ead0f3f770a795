//! The characters outside GB2312, which the *_GB2312 faces Word and WPS use lack: the export
//! warns about them, naming them (see docs/docx.md).

use crate::layout::Document;

/// Whether a character is in GB2312, the character set of the *_GB2312 faces Word and WPS use:
/// its GBK encoding is two bytes, both in 0xA1–0xFE.
///
/// Answered from a bitset of the Basic Multilingual Plane (GB2312 has nothing above it), made by
/// decoding every two-byte sequence of that range and kept as a table in the source (encoding
/// each character of a document instead cost ~900 instructions a character, 6 M for the seed).
/// A test checks the bitset against the encoding definition for every character.
///
/// ```
/// use nianbao::docx::in_gb2312;
/// assert!(in_gb2312('政') && in_gb2312('，') && in_gb2312('a'));
/// assert!(!in_gb2312('區') && !in_gb2312('镕'));
/// ```
pub fn in_gb2312(c: char) -> bool {
    if c.is_ascii() {
        return true;
    }
    let Ok(unit) = u16::try_from(u32::from(c)) else {
        return false;
    };
    let set = gb2312_set();
    set[usize::from(unit >> 6)] & (1u64 << (unit & 63)) != 0
}

/// One bit per BMP code point: set when [`in_gb2312`] holds for it. A table in the source
/// (`gb2312_table.rs`), made by `tests::decoded_set`, which a test compares it with; building it
/// on first use cost every DOCX export ~0.6 M instructions.
fn gb2312_set() -> &'static [u64; 1024] {
    &GB2312_SET
}

/// The bitset of [`gb2312_set`], as `tests::decoded_set` makes it.
#[rustfmt::skip]
static GB2312_SET: [u64; 1024] = include!("gb2312_table.rs");

/// The distinct characters of the document's text outside GB2312, in order of first use.
pub fn outside_gb2312(doc: &Document) -> Vec<char> {
    use crate::layout::Block;
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    let mut add = |text: &str| {
        for c in text.chars() {
            if !c.is_whitespace() && !in_gb2312(c) && seen.insert(c) {
                out.push(c);
            }
        }
    };
    add(&doc.title);
    for b in &doc.blocks {
        match b {
            Block::Heading { text, .. } | Block::Paragraph(text) => add(text),
            Block::Marked(spans) => spans.iter().for_each(|s| add(&s.text)),
            Block::Table(t) => {
                for cell in t.rows.iter().flat_map(|r| &r.cells) {
                    add(cell.content.text());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bitset decoded from every two-byte sequence of 0xA1–0xFE (what `gb2312_table.rs`
    /// holds; print it from here to remake the table after an encoding_rs change).
    pub(super) fn decoded_set() -> Box<[u64; 1024]> {
        let mut bytes = Vec::with_capacity(94 * 94 * 2);
        for lead in 0xA1..=0xFEu8 {
            for trail in 0xA1..=0xFEu8 {
                bytes.extend_from_slice(&[lead, trail]);
            }
        }
        let (text, _) = encoding_rs::GBK.decode_without_bom_handling(&bytes);
        let mut set = Box::new([0u64; 1024]);
        // Each pair decodes to one character, U+FFFD when unmapped (never set). Decoding and
        // encoding disagree on eleven: GB18030's € decodes from A2E3 but encodes as 0x80, and
        // the ten private-use code points U+E78D–U+E796 encode as A6D9–A6F3, which decode to the
        // vertical forms (U+FE10…) since GB18030-2022. A test checks the set against the encoding
        // for every character, so a change in encoding_rs shows.
        let encoded_here = text
            .chars()
            .filter(|&c| c != '\u{FFFD}' && c != '€' && !c.is_ascii())
            .chain('\u{E78D}'..='\u{E796}');
        for c in encoded_here {
            if let Ok(unit) = u16::try_from(u32::from(c)) {
                set[usize::from(unit >> 6)] |= 1u64 << (unit & 63);
            }
        }
        set
    }

    #[test]
    fn the_table_is_the_decoded_set() {
        assert!(
            GB2312_SET == *decoded_set(),
            "src/docx/gb2312_table.rs is out of date"
        );
    }

    /// The definition the bitset stands for: GBK encodes the character as two bytes in 0xA1–0xFE.
    fn by_encoding(c: char) -> bool {
        if c.is_ascii() {
            return true;
        }
        let mut buf = [0u8; 4];
        let (bytes, _, unmappable) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
        !unmappable && bytes.len() == 2 && bytes.iter().all(|b| (0xA1..=0xFE).contains(b))
    }

    #[test]
    fn bitset_agrees_with_the_encoding_for_every_character() {
        let wrong: Vec<char> = (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| in_gb2312(c) != by_encoding(c))
            .take(20)
            .collect();
        assert!(
            wrong.is_empty(),
            "bitset and GBK encoding disagree on {wrong:?}"
        );
        // Not vacuous: GB2312's 7,445 characters less the 94 ASCII ones its encoding shares.
        let count = (0x80..=0xFFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| in_gb2312(c))
            .count();
        assert!(count > 7000, "{count}");
    }

    #[test]
    fn gb2312_membership() {
        for c in "政府信息公开年度报告，。（）“”、１ūǎ".chars() {
            assert!(in_gb2312(c), "{c}");
        }
        // Traditional forms, GBK-only (镕) and non-BMP characters are not; pinyin letters are.
        for c in "區報镕\u{30EDD}😀".chars() {
            assert!(!in_gb2312(c), "{c}");
        }
    }
}
