//! Line breaking: UAX #14 (unicode-linebreak) with the CJK 禁则 (kinsoku) rules on top, and a
//! greedy line filler over measured widths.
//!
//! Rules, in order of precedence:
//! * never inside a number or a Latin word (UAX #14 between two non-CJK characters);
//! * no line starts with closing punctuation `，。、；：！？）》」』”’…` (and their ASCII forms);
//! * no line ends with opening punctuation `（《「『“‘` (and ASCII `(` `[`);
//! * `——` and `……` are never split;
//! * otherwise a break is allowed next to any full-width character ([`crate::text::is_wide`]:
//!   ideographs, kana, full-width forms, CJK punctuation and the curly quotes, which UAX #14
//!   classes as ambiguous QU and would glue to their neighbours).

use crate::text::is_wide;
use std::ops::Range;
use unicode_linebreak::{linebreaks, BreakOpportunity};

/// Characters that must not start a line.
pub const NO_START: &str = "，。、；：！？）》」』”’〉】〕〗〙〛…—·・ー々〻ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ％‰℃,.;:!?)]}%";
/// Characters that must not end a line.
pub const NO_END: &str = "（《「『“‘〈【〔〖〘〚([{";

/// Whether `c` is one of `set` ([`NO_START`] or [`NO_END`]). The letters, digits and ideographs
/// that make up most of a text are in neither set and answered without searching it (a search
/// of the set's UTF-8 was a fifth of the table cells' break computation).
fn among(set: &str, c: char) -> bool {
    if c.is_ascii_alphanumeric() || ('\u{4E00}'..='\u{9FFF}').contains(&c) {
        return false;
    }
    set.contains(c)
}

/// Break opportunities of a text, indexed by char: entry `i` is about a break before char `i`
/// (`0` and `n` are the text's ends).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breaks {
    /// A line may break here.
    pub allowed: Vec<bool>,
    /// A line must break here (`\n`).
    pub forced: Vec<bool>,
    /// Last resort when an unbreakable run is wider than the line (a narrow table cell): the
    /// plain UAX #14 opportunities and the position before a pinyin annotation. Below that, a
    /// run is cut between characters.
    pub soft: Vec<bool>,
}

/// Computes the break opportunities of a text.
pub fn opportunities(text: &str) -> Breaks {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let mut allowed = vec![false; n + 1];
    let mut forced = vec![false; n + 1];
    // byte offset → char index
    let mut byte_to_char = vec![0usize; text.len() + 1];
    for (ci, (bi, _)) in text.char_indices().enumerate() {
        byte_to_char[bi] = ci;
    }
    byte_to_char[text.len()] = n;
    for (b, op) in linebreaks(text) {
        let i = byte_to_char[b];
        allowed[i] = true;
        if op == BreakOpportunity::Mandatory && i < n {
            forced[i] = true;
        }
    }
    allowed[0] = true;
    allowed[n] = true;
    let mut soft = allowed.clone();
    for i in 1..n {
        let (p, c) = (chars[i - 1], chars[i]);
        if p == '\n' {
            allowed[i] = true;
            forced[i] = true;
            continue;
        }
        if c == '(' && is_wide(p) && is_annotation(&chars[i..]) {
            // a pinyin annotation stays with its character: 區(qū)
            allowed[i] = false;
            soft[i] = true;
        } else if is_wide(p) || is_wide(c) {
            let glued = p == c && matches!(c, '—' | '…');
            allowed[i] = !(among(NO_START, c) || among(NO_END, p) || glued || c.is_whitespace());
        } else if among(NO_START, c) || among(NO_END, p) {
            allowed[i] = false;
        }
        soft[i] |= allowed[i];
    }
    Breaks {
        allowed,
        forced,
        soft,
    }
}

/// Width of the widest run that [`fill`] can only cut between characters.
/// The widths come as an iterator so that a caller can make them on the fly (a table cell's unit
/// advances times a size).
pub fn widest_unit(widths: impl IntoIterator<Item = f32>, b: &Breaks) -> f32 {
    let mut best = 0.0f32;
    let mut w = 0.0;
    for (i, cw) in widths.into_iter().enumerate() {
        if i > 0 && (b.soft[i] || b.forced[i]) {
            best = best.max(w);
            w = 0.0;
        }
        w += cw;
    }
    best.max(w)
}

/// Whether `s` starts with a parenthesised pinyin annotation such as `(qū)`.
fn is_annotation(s: &[char]) -> bool {
    let Some(close) = s.iter().take(9).position(|&c| c == ')') else {
        return false;
    };
    close > 1
        && s[1..close]
            .iter()
            .all(|c| c.is_alphabetic() && !is_wide(*c))
}

/// Breaks `widths` (one per char) into lines: the first `first_width` wide, the others `width`.
/// Greedy; when a single unbreakable run is wider than a line, it breaks at the last soft
/// opportunity, else it is cut where it overflows. Trailing spaces are excluded from a line's
/// range.
pub fn fill(
    chars: &[char],
    widths: &[f32],
    b: &Breaks,
    first_width: f32,
    width: f32,
) -> Vec<Range<usize>> {
    let (allowed, forced, soft) = (&b.allowed, &b.forced, &b.soft);
    let n = chars.len();
    let mut lines = Vec::new();
    let mut start = 0;
    while start < n {
        let avail = if lines.is_empty() { first_width } else { width };
        let mut w = 0.0;
        let mut last_ok: Option<usize> = None;
        let mut last_soft: Option<usize> = None;
        let mut end = n;
        let mut i = start;
        while i < n {
            if i > start && forced[i] {
                end = i;
                break;
            }
            if i > start && allowed[i] {
                last_ok = Some(i);
            }
            if i > start && soft[i] {
                last_soft = Some(i);
            }
            let cw = if chars[i] == '\n' { 0.0 } else { widths[i] };
            // spaces may hang over the edge
            if w + cw > avail + 0.01 && i > start && !chars[i].is_whitespace() {
                end = match (last_ok, last_soft) {
                    (Some(b), _) if b > start => b,
                    (_, Some(b)) if b > start => b,
                    _ => i,
                };
                break;
            }
            w += cw;
            i += 1;
        }
        let mut e = end;
        while e > start && (chars[e - 1].is_whitespace()) {
            e -= 1;
        }
        lines.push(start..e);
        start = end;
        while start < n && chars[start] == '\n' {
            start += 1;
        }
        // leading spaces of a continuation line are dropped
        while start < n && chars[start] == ' ' {
            start += 1;
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Breaks `text` with every character `em` wide
    /// (CJK) or half as wide (others).
    fn break_simple(text: &str, first: f32, width: f32) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let widths: Vec<f32> = chars
            .iter()
            .map(|&c| if is_wide(c) { 1.0 } else { 0.5 })
            .collect();
        fill(&chars, &widths, &opportunities(text), first, width)
            .into_iter()
            .map(|r| chars[r].iter().collect())
            .collect()
    }

    fn check_kinsoku(lines: &[String]) {
        for (i, l) in lines.iter().enumerate() {
            let first = l.chars().next().unwrap();
            let last = l.chars().last().unwrap();
            if i > 0 {
                assert!(
                    !NO_START.contains(first),
                    "line {i} starts with {first}: {lines:?}"
                );
            }
            if i + 1 < lines.len() {
                assert!(
                    !NO_END.contains(last),
                    "line {i} ends with {last}: {lines:?}"
                );
            }
        }
    }

    #[test]
    fn among_answers_as_the_sets_do() {
        // every character of the sets, and the ranges `among` answers without searching
        for c in NO_START.chars().chain(NO_END.chars()) {
            assert!(among(NO_START, c) || among(NO_END, c), "{c} not found");
        }
        let plain = ('0'..='9').chain('a'..='z').chain('A'..='Z');
        for c in plain.chain('\u{4E00}'..='\u{9FFF}') {
            assert!(
                !NO_START.contains(c) && !NO_END.contains(c),
                "{c} is in a set"
            );
            assert!(!among(NO_START, c) && !among(NO_END, c));
        }
    }

    #[test]
    fn breaks_between_ideographs() {
        let l = break_simple("一二三四五六七八九十", 4.0, 4.0);
        assert_eq!(l, vec!["一二三四", "五六七八", "九十"]);
    }

    #[test]
    fn never_starts_a_line_with_closing_punctuation() {
        // "。" would start line 2: the break moves one character earlier.
        let l = break_simple("一二三四。五六", 4.0, 4.0);
        assert_eq!(l, vec!["一二三", "四。五六"]);
        for p in "，。、；：！？）》」』”’".chars() {
            let text = format!("一二三四{p}五六七八九十");
            let l = break_simple(&text, 4.0, 4.0);
            check_kinsoku(&l);
            assert_eq!(l.concat(), text);
        }
    }

    #[test]
    fn never_ends_a_line_with_opening_punctuation() {
        let l = break_simple("一二三（四五六", 4.0, 4.0);
        assert_eq!(l, vec!["一二三", "（四五六"]);
        for p in "（《「『“‘".chars() {
            let text = format!("一二三{p}四五六七八九十");
            let l = break_simple(&text, 4.0, 4.0);
            check_kinsoku(&l);
        }
    }

    #[test]
    fn never_breaks_inside_numbers_or_latin_words() {
        // 12345678 is 4 ems wide: it moves whole to the next line
        let l = break_simple("一二12345678三四", 4.0, 4.0);
        assert_eq!(l, vec!["一二", "12345678", "三四"]);
        let l = break_simple("公开GovernmentInfo信息", 8.0, 8.0);
        assert!(l.iter().any(|s| s.contains("GovernmentInfo")), "{l:?}");
        // 100% stays together and % never starts a line
        let l = break_simple("办结率达100%。", 4.0, 4.0);
        check_kinsoku(&l);
        assert!(l.iter().any(|s| s.contains("100%")), "{l:?}");
    }

    #[test]
    fn quotes_and_pinyin_annotations() {
        let text = "按照“公开是常态，不公开是例外”的要求做到“应公开、尽公开”。";
        for w in 3..12 {
            let l = break_simple(text, w as f32, w as f32);
            check_kinsoku(&l);
            assert_eq!(l.concat(), text);
        }
        // a pinyin annotation is a Latin word: not split, "(" not left at a line end
        let text = "主動(dòng)公開(kāi)政府信息";
        for w in 4..9 {
            let l = break_simple(text, w as f32, w as f32);
            check_kinsoku(&l);
            assert!(
                !l.iter().any(|s| s.ends_with("(d") || s.starts_with("òng")),
                "{l:?}"
            );
            assert_eq!(l.concat(), text);
            assert!(!l.iter().any(|s| s.starts_with('(')), "{l:?}");
        }
    }

    #[test]
    fn narrow_cells_cut_before_an_annotation_not_inside_it() {
        // "開(kāi)" is 3.5 ems and cannot break; in 3 ems it breaks before "(" rather than
        // inside the pinyin
        let l = break_simple("公開(kāi)信息", 3.0, 3.0);
        assert!(l.contains(&"(kāi)".to_string()), "{l:?}");
        let b = opportunities("開(kāi)");
        assert_eq!(widest_unit([1.0, 0.5, 0.5, 0.5, 0.5, 0.5], &b), 2.5);
    }

    #[test]
    fn dashes_and_ellipses_stay_whole() {
        let text = "一二三——四五六……七八";
        for w in 3..8 {
            let l = break_simple(text, w as f32, w as f32);
            assert!(
                !l.iter().any(|s| s.ends_with('—') && !s.ends_with("——")),
                "{l:?}"
            );
            assert!(
                !l.iter().any(|s| s.starts_with('—') || s.starts_with('…')),
                "{l:?}"
            );
        }
    }

    #[test]
    fn first_line_width_and_forced_breaks() {
        let l = break_simple("一二三四五六七八", 2.0, 4.0);
        assert_eq!(l, vec!["一二", "三四五六", "七八"]);
        let l = break_simple("一二\n三四", 4.0, 4.0);
        assert_eq!(l, vec!["一二", "三四"]);
        // an over-long unbreakable run is cut rather than overflowing forever
        let l = break_simple("1234567890123456", 2.0, 2.0);
        assert!(l.len() >= 4);
        assert_eq!(l.concat(), "1234567890123456");
    }
}
