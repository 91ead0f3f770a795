//! Text normalisation for comparing prose with the templates: web converters turn reports into
//! traditional characters and append pinyin to some of them (`區(qū)`). Validation compares the
//! normalised text so such a report is still checked; the report itself is never changed.
//!
//! It is also the one home of character classes every module shares: [`is_han`] (an ideograph,
//! for counting hanzi) and [`is_wide`] / [`display_width`] (full-width in Chinese text, for line
//! breaking, justification and column widths).

use unicode_width::UnicodeWidthChar;

/// Characters of an input's own text that a message quotes whole; a longer text is cut there.
pub(crate) const QUOTE_CHARS: usize = 60;

/// Text from the input as a message quotes it: whole up to [`QUOTE_CHARS`] characters, longer
/// text cut there and followed by `…（共 N 字）`, so that a hostile key, value or number of
/// megabytes gives a message of one line, not megabytes: `"k"` × 100 is quoted as sixty `k`
/// and `…（共 100 字）`.
pub(crate) fn quoted(s: &str) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(QUOTE_CHARS) {
        None => std::borrow::Cow::Borrowed(s),
        Some((cut, _)) => {
            let n = s.chars().count();
            std::borrow::Cow::Owned(format!("{}…（共 {n} 字）", &s[..cut]))
        }
    }
}

/// Whether a character is a CJK ideograph: the unified ideographs with every extension (A to
/// I, planes 2 and 3) and the compatibility ideographs with their supplement.
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x323AF)
}

/// Punctuation that Unicode's East Asian Width calls ambiguous and that Chinese text sets
/// full-width: quotation marks, the dash of `——`, the ellipsis of `……`, the middle dot.
const WIDE_IN_CHINESE: [char; 7] = ['“', '”', '‘', '’', '—', '…', '·'];

/// Whether a character is set full-width (one em, two columns) in Chinese text: East Asian Wide
/// and Fullwidth characters (ideographs, kana, hangul, CJK punctuation and symbols, full-width
/// forms, emoji) and the ambiguous punctuation Chinese text sets full-width. Line breaking
/// allows a break next to such a character, and justification spreads space around it.
pub fn is_wide(c: char) -> bool {
    c.width() == Some(2) || WIDE_IN_CHINESE.contains(&c)
}

/// Columns a character takes in a monospaced Chinese context: 2 if [`is_wide`], 0 for control
/// and zero-width characters (combining marks, joiners, variation selectors), 1 otherwise.
pub fn char_width(c: char) -> usize {
    if is_wide(c) {
        2
    } else {
        c.width().unwrap_or(0).min(1)
    }
}

/// Columns a text takes (the sum of [`char_width`]); half of it is the text's width in ems.
pub fn display_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

fn is_pinyin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(
            c,
            'ā' | 'á'
                | 'ǎ'
                | 'à'
                | 'ē'
                | 'é'
                | 'ě'
                | 'è'
                | 'ī'
                | 'í'
                | 'ǐ'
                | 'ì'
                | 'ō'
                | 'ó'
                | 'ǒ'
                | 'ò'
                | 'ū'
                | 'ú'
                | 'ǔ'
                | 'ù'
                | 'ǖ'
                | 'ǘ'
                | 'ǚ'
                | 'ǜ'
                | 'ü'
                | 'ń'
                | 'ň'
                | 'ǹ'
                | 'ḿ'
        )
}

/// Removes pinyin annotations that follow a Han character, e.g. `區(qū)` → `區`.
pub fn strip_pinyin(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    strip_pinyin_into(s, &mut out);
    out
}

/// [`strip_pinyin`], appended to `out`: the text between annotations is copied in runs, with
/// no character list built (the brackets are ASCII, so an annotation's ends are byte offsets).
fn strip_pinyin_into(s: &str, out: &mut String) {
    // `s[copied..]` is not appended yet; the next bracket is looked for from `from`. The
    // character before a bracket is the text's own even after an annotation was dropped: the
    // dropped one ends with `)`, which is not Han, as the kept text would have it.
    let (mut copied, mut from) = (0, 0);
    while let Some(off) = s[from..].find('(') {
        let pos = from + off;
        from = pos + 1;
        if !s[..pos].chars().next_back().is_some_and(is_han) {
            continue;
        }
        let rest = &s[pos + 1..];
        let letters: usize = rest
            .chars()
            .take_while(|c| is_pinyin_letter(*c))
            .map(char::len_utf8)
            .sum();
        if letters > 0 && rest[letters..].starts_with(')') {
            out.push_str(&s[copied..pos]);
            copied = pos + 1 + letters + 1;
            from = copied;
        }
    }
    out.push_str(&s[copied..]);
}

/// Whether [`strip_pinyin`] would remove anything, without building its result.
pub(crate) fn has_pinyin(s: &str) -> bool {
    let mut from = 0;
    while let Some(off) = s[from..].find('(') {
        let pos = from + off;
        from = pos + 1;
        if s[..pos].chars().next_back().is_some_and(is_han) {
            let rest = &s[pos + 1..];
            let n = rest.chars().take_while(|c| is_pinyin_letter(*c)).count();
            if n > 0 && rest.chars().nth(n) == Some(')') {
                return true;
            }
        }
    }
    false
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
pub fn xml_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().all(is_xml_char) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.chars().filter(|&c| is_xml_char(c)).collect())
    }
}

mod t2s {
    include!(concat!(env!("OUT_DIR"), "/t2s.rs"));
}

/// The characters whose conversion fast2s decides by their neighbours (`乾隆`, `答覆`, `計畫`):
/// the keys of its context tables. Text holding one goes through fast2s itself.
pub(crate) const T2S_CONTEXT: [char; 15] = [
    '兒', '覆', '夥', '藉', '瞭', '麽', '幺', '於', '乾', '著', '苧', '闔', '鍾', '讎', '畫',
];

/// The characters of the BMP that conversion may change: the keys of the plain table and
/// [`T2S_CONTEXT`], one bit each, so that the plain characters (nearly all of a simplified
/// text) are passed over with one load instead of a search of the table.
static T2S_CARE: [u64; 1024] = {
    let mut bits = [0u64; 1024];
    let mut i = 0;
    while i < t2s::T2S.len() {
        let u = t2s::T2S[i].0 as usize;
        bits[u >> 6] |= 1 << (u & 63);
        i += 1;
    }
    let mut i = 0;
    while i < T2S_CONTEXT.len() {
        let u = T2S_CONTEXT[i] as usize;
        bits[u >> 6] |= 1 << (u & 63);
        i += 1;
    }
    bits
};

/// Whether conversion may change a character (see `T2S_CARE`; both tables hold only
/// characters of three UTF-8 bytes).
fn t2s_care(c: char) -> bool {
    let u = c as usize;
    u < 0x10000 && T2S_CARE[u >> 6] & (1 << (u & 63)) != 0
}

/// Whether a character is one of [`T2S_CONTEXT`].
fn t2s_context(c: char) -> bool {
    t2s_care(c) && T2S_CONTEXT.contains(&c)
}

/// A character through fast2s's plain table (the build script's copy of it).
pub(crate) fn t2s_char(c: char) -> char {
    if !t2s_care(c) {
        return c;
    }
    match t2s::T2S.binary_search_by_key(&c, |&(t, _)| t) {
        Ok(i) => t2s::T2S[i].1,
        Err(_) => c,
    }
}

/// Converts traditional characters to simplified ones: the same result as `fast2s::convert`,
/// without building fast2s's hash map at start-up unless the text needs its context rules.
pub fn to_simplified(s: &str) -> String {
    if s.chars().any(t2s_context) {
        return fast2s::convert(s);
    }
    s.chars().map(t2s_char).collect()
}

/// Whether [`to_simplified`] would change the text, without building its result.
pub(crate) fn has_traditional(s: &str) -> bool {
    if s.chars().any(t2s_context) {
        return fast2s::convert(s) != s;
    }
    s.chars().any(|c| t2s_char(c) != c)
}

/// Normalises text for comparison: pinyin annotations removed, traditional → simplified,
/// half-width brackets and colons → full-width, whitespace removed.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(s, &mut out);
    out
}

/// [`normalize`], appended to `out` (a text normalised line by line needs no string per line).
pub(crate) fn normalize_into(s: &str, out: &mut String) {
    // Most text has nothing to strip or convert: then both steps would give it back unchanged.
    let pinyin = has_pinyin(s);
    if !pinyin && !s.chars().any(t2s_care) {
        return finish_normalized(s.chars(), out);
    }
    let stripped;
    let s = if pinyin {
        let mut t = String::with_capacity(s.len());
        strip_pinyin_into(s, &mut t);
        stripped = t;
        stripped.as_str()
    } else {
        s
    };
    if s.chars().any(t2s_context) {
        return finish_normalized(fast2s::convert(s).chars(), out);
    }
    // `to_simplified` and the finish in one pass.
    finish_normalized(s.chars().map(t2s_char), out)
}

/// The last step of [`normalize`]: whitespace removed, half-width brackets made full-width.
fn finish_normalized(chars: impl Iterator<Item = char>, out: &mut String) {
    out.extend(chars.filter(|c| !c.is_whitespace()).map(|c| match c {
        '(' => '（',
        ')' => '）',
        _ => c,
    }));
}

/// Appends `n` in decimal, as `Display` writes it, without the formatting machinery (ids and
/// paths built for every table cell).
pub(crate) fn push_decimal(out: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_text_is_whole_to_sixty_characters_then_cut_with_its_length() {
        let sixty = "键".repeat(QUOTE_CHARS);
        assert!(matches!(quoted(&sixty), std::borrow::Cow::Borrowed(_)));
        assert_eq!(quoted(""), "");
        let long = format!("{sixty}甲乙");
        assert_eq!(quoted(&long), format!("{sixty}…（共 62 字）"));
        // Cut on a character, whatever its width in bytes.
        let mixed = "a😀".repeat(40);
        assert_eq!(quoted(&mixed), format!("{}…（共 80 字）", "a😀".repeat(30)));
    }

    #[test]
    fn the_quick_tests_agree_with_the_conversions() {
        for s in [
            "",
            "区(qū)",
            "區(qū)",
            "(qu)区",
            "区()",
            "区(qū",
            "区 (qu)",
            "甲(qū)乙(yǐ)",
            "abc(def)",
            "區域",
            "发",
            "頭髮",
            "乾淨",
            "繁體字",
            "正常的简体文本。",
        ] {
            assert_eq!(has_pinyin(s), strip_pinyin(s) != s, "{s}");
            assert_eq!(has_traditional(s), to_simplified(s) != s, "{s}");
        }
    }

    /// `strip_pinyin` as it was first written, over a character list: the reference the
    /// run-copying version must agree with.
    fn strip_pinyin_by_chars(s: &str) -> String {
        let chars: Vec<char> = s.chars().collect();
        let mut out = String::new();
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

    #[test]
    fn stripping_pinyin_agrees_with_the_character_list_version_on_every_substring() {
        for s in [
            "坡頭區(qū)教育局(jú)",
            "甲(a)(b)乙(yǐ)(",
            "甲(ā)乙)(ǘ)區(ḿ)x(y)",
            "(qu)区() 区 (qu) 區(qū",
            "第(一)项 (ABC) 2023(年)",
            "區(qū)(x",
        ] {
            let bounds: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
            for &a in &bounds {
                for &b in bounds.iter().filter(|&&b| b >= a) {
                    let t = &s[a..b];
                    assert_eq!(strip_pinyin(t), strip_pinyin_by_chars(t), "{t}");
                    assert_eq!(has_pinyin(t), strip_pinyin_by_chars(t) != t, "{t}");
                    let mut into = String::from("前");
                    normalize_into(t, &mut into);
                    assert_eq!(into, format!("前{}", normalize(t)), "{t}");
                }
            }
        }
    }

    #[test]
    fn pinyin_letters_are_ascii_letters_and_the_toned_vowels() {
        let toned = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ";
        for u in 0..0x3000u32 {
            let Some(c) = char::from_u32(u) else { continue };
            assert_eq!(
                is_pinyin_letter(c),
                c.is_ascii_alphabetic() || toned.contains(c),
                "{c:?}"
            );
        }
    }

    #[test]
    fn the_care_bits_are_the_table_keys_and_the_context_characters() {
        for u in 0..=0x10FFFFu32 {
            let Some(c) = char::from_u32(u) else { continue };
            let key = t2s::T2S.binary_search_by_key(&c, |&(t, _)| t).is_ok();
            assert_eq!(t2s_care(c), key || T2S_CONTEXT.contains(&c), "{c:?}");
            assert_eq!(t2s_context(c), T2S_CONTEXT.contains(&c), "{c:?}");
        }
        // The fast path of `normalize` gives what the two steps give.
        for s in [
            "区(qū)域 a b",
            "(一)公开",
            "正常的简体文本。",
            "區域",
            "乾淨 (x)",
            "乾隆 區(qū)域 (x)",
            "公開(kāi) 申請(qǐng)",
        ] {
            let slow: String = to_simplified(&strip_pinyin(s))
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| match c {
                    '(' => '（',
                    ')' => '）',
                    _ => c,
                })
                .collect();
            assert_eq!(normalize(s), slow, "{s}");
        }
    }

    #[test]
    fn widths_follow_east_asian_width_with_chinese_punctuation_wide() {
        for c in [
            '国',
            '\u{3000}',
            'Ａ',
            '，',
            '“',
            '—',
            '…',
            '·',
            '\u{20000}',
            '\u{323AF}',
        ] {
            assert_eq!(char_width(c), 2, "{c:?}");
        }
        for c in ['a', '1', 'ｱ', 'ā', '%', '-'] {
            assert_eq!(char_width(c), 1, "{c:?}");
        }
        for c in ['\u{301}', '\u{200B}', '\u{FE0F}', '\n', '\u{7}'] {
            assert_eq!(char_width(c), 0, "{c:?}");
        }
        assert!(is_han('\u{323AF}') && is_han('\u{2EBF0}') && !is_han('\u{323B0}'));
    }

    #[test]
    fn seed_artifacts_normalise_to_the_template_wording() {
        assert_eq!(normalize("一、總體情況"), "一、总体情况");
        assert_eq!(
            normalize("三、收到和處理政府信息公開(kāi)申請(qǐng)情況"),
            "三、收到和处理政府信息公开申请情况"
        );
        assert_eq!(strip_pinyin("坡頭區(qū)教育局"), "坡頭區教育局");
        assert_eq!(normalize("第二十条第(一)项"), "第二十条第（一）项");
        assert_eq!(normalize("一、总体情况"), "一、总体情况");
        assert_ne!(normalize("無(wú)"), "無(wú)");
        // Brackets that are not annotations stay.
        assert_eq!(
            strip_pinyin("第(一)项 (ABC) 2023(年)"),
            "第(一)项 (ABC) 2023(年)"
        );
        assert_eq!(strip_pinyin("區(qū)(x"), "區(x");
    }

    /// The documented behaviour, by example.
    #[test]
    fn examples() {
        assert!(is_han('国') && is_han('\u{30EDD}') && is_han('\u{3400}'));
        assert!(!is_han('，') && !is_han('a') && !is_han('ア'));
        assert!(is_wide('国') && is_wide('，') && is_wide('“') && is_wide('Ａ') && is_wide('😀'));
        assert!(!is_wide('a') && !is_wide('1') && !is_wide('ā') && !is_wide(','));
        assert_eq!(display_width("2023年“公开”"), 4 + 2 * 5);
        assert_eq!(xml_text("年度\u{b}报告\u{8}"), "年度报告");
        assert_eq!(xml_text("a\tb"), "a\tb");
    }
}
