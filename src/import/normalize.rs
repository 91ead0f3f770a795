//! Label normalisation and similarity: what lets one matcher read labels written in full or half
//! width, with either bracket or quote style, `1.`/`1、`/`1．`, spaces and line breaks inside,
//! converter pinyin and traditional characters, and small typos.
//!
//! Normalised form: pinyin annotations removed, traditional → simplified, full-width ASCII folded
//! to half width (so `（一）` is `(一)` and `：` is `:`), whitespace, zero-width characters and
//! quotes removed, the punctuation after an ordinal number (`1、`, `1．`, `一、`) written `.`,
//! trailing colons and full stops dropped, ASCII lower-cased.

use super::vocab::vocab;

/// A normalised text with, for every normalised character, the index of the source character
/// it came from (so a match found in normalised text can be cut out of the source).
#[derive(Debug, Clone, Default)]
pub(crate) struct Mapped {
    /// Normalised characters.
    pub chars: Vec<char>,
    /// For each normalised character, the index (in `chars()` of the source) it came from.
    pub src: Vec<usize>,
}

impl Mapped {
    /// The normalised text as a string.
    pub fn text(&self) -> String {
        self.chars.iter().collect()
    }
}

fn is_pinyin_letter(c: char) -> bool {
    c.is_ascii_lowercase() || "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ".contains(c)
}

/// Length in chars of a converter's pinyin annotation starting at `i` (`(qū)` after a Han
/// character), or 0.
pub(crate) fn pinyin_annotation_len(chars: &[char], i: usize) -> usize {
    let open = chars[i];
    if !(open == '(' || open == '（') || i == 0 || !crate::text::is_han(chars[i - 1]) {
        return 0;
    }
    let mut j = i + 1;
    while j < chars.len() && j - i <= 8 && is_pinyin_letter(chars[j]) {
        j += 1;
    }
    if j > i + 1 && j < chars.len() && (chars[j] == ')' || chars[j] == '）') {
        j + 1 - i
    } else {
        0
    }
}

fn is_dropped(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}'
                | '\u{200C}'
                | '\u{200D}'
                | '\u{2060}'
                | '\u{FEFF}'
                | '\u{00AD}'
                | '"'
                | '\''
                | '`'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '「'
                | '」'
                | '『'
                | '』'
        )
}

/// Folds a full-width ASCII character (and the ideographic space) to half width.
pub(crate) fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Normalises a text, keeping the source index of every output character.
pub(crate) fn normalize_mapped(s: &str) -> Mapped {
    let chars: Vec<char> = s.chars().collect();
    // Traditional → simplified as `crate::text::to_simplified` does, one character for one:
    // without a context character that is the plain per-character table; with one, fast2s's
    // result when it keeps the length, else the text as found.
    let context = chars.iter().any(|c| crate::text::T2S_CONTEXT.contains(c));
    let whole: Option<Vec<char>> = if context {
        let v: Vec<char> = crate::text::to_simplified(s).chars().collect();
        (v.len() == chars.len()).then_some(v)
    } else {
        None
    };
    let simp_at = |i: usize| -> char {
        match &whole {
            Some(v) => v[i],
            None if context => chars[i],
            None => crate::text::t2s_char(chars[i]),
        }
    };
    let v = vocab();
    let mut out = Mapped {
        chars: Vec::with_capacity(chars.len()),
        src: Vec::with_capacity(chars.len()),
    };
    let mut i = 0;
    while i < chars.len() {
        if matches!(chars[i], '(' | '（') {
            let skip = pinyin_annotation_len(&chars, i);
            if skip > 0 {
                i += skip;
                continue;
            }
        }
        let mut c = fold_width(simp_at(i));
        if is_dropped(c) {
            i += 1;
            continue;
        }
        if matches!(c, '、' | '.') {
            if let Some(&p) = out.chars.last() {
                if p.is_ascii_digit() || v.is_numeral(p) {
                    // `1、` `1．` `一、` `一.` → one ordinal form; a decimal point stays.
                    let next_digit = chars
                        .get(i + 1)
                        .map(|n| fold_width(*n).is_ascii_digit())
                        .unwrap_or(false);
                    if !next_digit {
                        c = '.';
                    }
                }
            }
        }
        out.chars.push(c.to_ascii_lowercase());
        out.src.push(i);
        i += 1;
    }
    while matches!(out.chars.last(), Some(':' | '。' | ';')) {
        out.chars.pop();
        out.src.pop();
    }
    out
}

/// Normalises a text for matching labels.
pub(crate) fn norm(s: &str) -> String {
    normalize_mapped(s).text()
}

/// Splits a normalised label into its leading ordinal (`1.`, `一.`, `(一)`, `(1)`) and the rest.
pub(crate) fn split_ordinal(n: &str) -> (Option<&str>, &str) {
    let v = vocab();
    let mut it = n.char_indices();
    match it.next() {
        Some((_, '(')) => {
            let mut end = None;
            let mut count = 0;
            for (i, c) in it {
                if c == ')' {
                    end = Some(i);
                    break;
                }
                if !(c.is_ascii_digit() || v.is_numeral(c)) {
                    return (None, n);
                }
                count += 1;
            }
            match end {
                Some(e) if count > 0 => (Some(&n[..=e]), &n[e + 1..]),
                _ => (None, n),
            }
        }
        Some((_, c)) if c.is_ascii_digit() || v.is_numeral(c) => {
            for (i, c) in n.char_indices() {
                if c == '.' {
                    if i == 0 {
                        return (None, n);
                    }
                    return (Some(&n[..=i]), &n[i + 1..]);
                }
                if !(c.is_ascii_digit() || v.is_numeral(c)) {
                    return (None, n);
                }
            }
            (None, n)
        }
        _ => (None, n),
    }
}

/// Length of the longest common subsequence of two character slices.
pub(crate) fn lcs(a: &[char], b: &[char]) -> usize {
    if a.is_empty() || b.is_empty() {
        return 0;
    }
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for &ca in a {
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = if ca == cb {
                prev[j] + 1
            } else {
                cur[j].max(prev[j + 1])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Similarity of two texts in 0..=1: twice their longest common subsequence over their total
/// length (Dice on subsequences). `规范性文件` vs `行政规范性文件` is 0.83.
pub(crate) fn similarity(a: &[char], b: &[char]) -> f32 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    2.0 * lcs(a, b) as f32 / (a.len() + b.len()) as f32
}

/// Collapses runs of whitespace into one space and trims (cell and label display text).
pub(crate) fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}') {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_normalise_across_widths_brackets_quotes_and_ordinals() {
        assert_eq!(norm("1、属于国家秘密"), norm("1.属于国家秘密"));
        assert_eq!(norm("1．属于国家秘密"), norm("1. 属于 国家秘密"));
        assert_eq!(norm("（一）予以公开"), "(一)予以公开");
        assert_eq!(norm("(一)予以公开"), "(一)予以公开");
        assert_eq!(norm("3.危及“三安全一稳定”"), norm("3.危及\"三安全一稳定\""));
        assert_eq!(norm("商业\n      企业"), "商业企业");
        assert_eq!(norm("一、總體情況"), "一.总体情况");
        assert_eq!(norm("公開(kāi)"), "公开");
        assert_eq!(norm("第二十条第(一)項(xiàng)"), "第二十条第(一)项");
        assert_eq!(norm("5949.088667"), "5949.088667");
        assert_eq!(norm("信息内容："), "信息内容");
    }

    #[test]
    fn ordinals_split_off() {
        assert_eq!(
            split_ordinal("1.属于国家秘密"),
            (Some("1."), "属于国家秘密")
        );
        assert_eq!(split_ordinal("(七)总计"), (Some("(七)"), "总计"));
        assert_eq!(split_ordinal("一.总体情况"), (Some("一."), "总体情况"));
        assert_eq!(split_ordinal("总计"), (None, "总计"));
        assert_eq!(split_ordinal("(本列数据)"), (None, "(本列数据)"));
    }

    #[test]
    fn similarity_tolerates_small_typos_only() {
        let s = |a: &str, b: &str| {
            similarity(
                &a.chars().collect::<Vec<_>>(),
                &b.chars().collect::<Vec<_>>(),
            )
        };
        assert!(s("规范性文件", "行政规范性文件") > 0.8);
        assert!(s("其他法律行政止公开", "其他法律行政法规禁止公开") > 0.8);
        assert!(s("结果纠正", "结果维持") < 0.7);
    }
}
