//! Text normalisation for comparing prose with the templates: web converters turn reports into
//! traditional characters and append pinyin to some of them (`區(qū)`). Validation compares the
//! normalised text so such a report is still checked; the report itself is never changed.

/// Whether a character is a CJK ideograph (the unified blocks, extensions and compatibility
/// ideographs).
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

fn is_pinyin_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ".contains(c)
}

/// Removes pinyin annotations that follow a Han character, e.g. `區(qū)` → `區`.
pub fn strip_pinyin(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '(' && i > 0 && is_han(chars[i - 1]) {
            let mut j = i + 1;
            while j < chars.len() && is_pinyin_letter(chars[j]) {
                j += 1;
            }
            if j > i + 1 && j < chars.len() && chars[j] == ')' {
                i = j + 1;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Whether XML 1.0 allows a character in text (its `Char` production): tab, line feed,
/// carriage return, and everything from U+0020 up except U+FFFE and U+FFFF (surrogates cannot
/// occur in a Rust string).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// The text without the characters XML 1.0 forbids (C0 controls other than tab, line feed and
/// carriage return; U+FFFE; U+FFFF), for metadata that ends up in XML (the PDF's XMP, DOCX
/// core properties). Borrowed when nothing had to be removed.
///
/// ```
/// assert_eq!(nianbao::text::xml_text("年度\u{b}报告\u{8}"), "年度报告");
/// assert_eq!(nianbao::text::xml_text("a\tb"), "a\tb");
/// ```
pub fn xml_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().all(is_xml_char) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.chars().filter(|&c| is_xml_char(c)).collect())
    }
}

/// Converts traditional characters to simplified ones.
pub fn to_simplified(s: &str) -> String {
    fast2s::convert(s)
}

/// Whether a text carries converter artifacts (traditional characters or pinyin annotations).
pub fn has_conversion_artifacts(s: &str) -> bool {
    normalize(s) != s
}

/// Normalises text for comparison: pinyin annotations removed, traditional → simplified,
/// half-width brackets and colons → full-width, whitespace removed.
pub fn normalize(s: &str) -> String {
    to_simplified(&strip_pinyin(s))
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_artifacts_normalise_to_the_template_wording() {
        assert_eq!(normalize("一、總體情況"), "一、总体情况");
        assert_eq!(
            normalize("三、收到和處理政府信息公開(kāi)申請(qǐng)情況"),
            "三、收到和处理政府信息公开申请情况"
        );
        assert_eq!(strip_pinyin("坡頭區(qū)教育局"), "坡頭區教育局");
        assert_eq!(normalize("第二十条第(一)项"), "第二十条第（一）项");
        assert!(!has_conversion_artifacts("一、总体情况"));
        assert!(has_conversion_artifacts("無(wú)"));
        // Brackets that are not annotations stay.
        assert_eq!(
            strip_pinyin("第(一)项 (ABC) 2023(年)"),
            "第(一)项 (ABC) 2023(年)"
        );
        assert_eq!(strip_pinyin("區(qū)(x"), "區(x");
    }
}
