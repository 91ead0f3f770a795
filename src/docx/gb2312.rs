//! The characters outside GB2312, which the *_GB2312 faces Word and WPS use lack: the export
//! warns about them, naming them (see docs/docx.md).

use crate::layout::Document;

/// Whether a character is in GB2312, the character set of the *_GB2312 faces Word and WPS use:
/// its GBK encoding is two bytes, both in 0xA1–0xFE.
pub fn in_gb2312(c: char) -> bool {
    if c.is_ascii() {
        return true;
    }
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
    !unmappable && bytes.len() == 2 && bytes.iter().all(|b| (0xA1..=0xFE).contains(b))
}

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
