//! The matcher's input: every table cell and every run of table text, in reading order, as a
//! token that is a label (with its catalogue candidates), a value, a run of digits whose cell
//! boundaries were lost, or other text. Grids give one token per merged cell (at its top-left
//! slot, row by row, as crawlers flatten tables); text whose cells run together is cut into
//! numbers and labels, the labels found by covering the text with catalogue labels.

use super::catalog::{catalog, Catalog};
use super::normalize::{collapse_ws, fold_width, normalize_mapped};
use super::source::{Grid, SourcePos};
use super::vocab::vocab;

/// Where a token sits in a grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CellAt {
    /// Grid number in the document.
    pub grid: usize,
    /// Row of the slot.
    pub row: usize,
    /// Column of the top-left slot.
    pub col: usize,
    /// Columns spanned.
    pub colspan: usize,
}

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TokKind {
    /// A catalogue label: candidate label indices and the match score (1 = exact).
    Label(Vec<usize>, f32),
    /// A number or a blank marker, as one cell.
    Value,
    /// Digits of several cells run together: the groups separated by whitespace in the source.
    Digits(Vec<String>),
    /// An empty cell.
    Empty,
    /// Text that is no label and no number.
    Other,
}

/// One token.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    /// The text as found, whitespace collapsed.
    pub text: String,
    /// What it is.
    pub kind: TokKind,
    /// Its grid slot, for grid tokens.
    pub at: Option<CellAt>,
    /// Where it is in the source.
    pub pos: SourcePos,
    /// For grid tokens: whether its grid row holds any value (a header row holds none).
    pub row_has_value: bool,
}

/// Whether a cell text is a single value: a blank marker, or a number with an optional sign,
/// thousands separators, decimals and unit.
pub(crate) fn is_value_text(t: &str) -> bool {
    // Folded to half width; most cells have nothing to fold and are not copied.
    let folded: std::borrow::Cow<'_, str> = if t.chars().any(|c| fold_width(c) != c) {
        t.chars().map(fold_width).collect::<String>().into()
    } else {
        t.into()
    };
    let t = folded.trim();
    if vocab().is_blank_marker(t) {
        return true;
    }
    starts_like_number(t) && is_number_full(t)
}

/// Splits a number's text from a trailing unit: `251000元` → (`251000`, Some(`元`)).
pub(crate) fn strip_unit(t: &str) -> (&str, Option<&'static str>) {
    for u in units_longest_first() {
        if let Some(rest) = t.strip_suffix(u.as_str()) {
            return (rest.trim_end(), Some(u.as_str()));
        }
    }
    (t, None)
}

/// The canonical digits of a number text (`1,234.50元` → `1234.50`, `－3` → `-3`), or `None`
/// when the text is not one number.
pub(crate) fn parse_number_text(t: &str) -> Option<String> {
    // A number starts with a digit, after an optional sign: most cells tested are labels,
    // ruled out here without stripping units or collecting characters. (What the unit
    // stripping leaves is a prefix of the trimmed text, so it starts the same way or is empty.)
    if !starts_like_number(t) {
        return None;
    }
    parse_number_full(t)
}

/// Whether a text starts as a number does: a digit, after an optional sign.
fn starts_like_number(t: &str) -> bool {
    let mut it = t.trim().chars().map(fold_width);
    let lead = match it.next() {
        Some('-' | '−' | '+') => it.next(),
        c => c,
    };
    lead.is_some_and(|c| c.is_ascii_digit())
}

/// [`parse_number_text`] without its first-character test.
fn parse_number_full(t: &str) -> Option<String> {
    let mut out = String::new();
    scan_number(t, Some(&mut out)).then_some(out)
}

/// Whether `t` is one number (a [`parse_number_full`] that does not build the digits), for
/// cells only classified.
fn is_number_full(t: &str) -> bool {
    scan_number(t, None)
}

/// Reads a number's text, pushing its canonical digits to `out` when given; whether the text
/// is one number.
fn scan_number(t: &str, mut out: Option<&mut String>) -> bool {
    let (num, _) = strip_unit(t.trim());
    let mut push = |c: char| {
        if let Some(o) = out.as_deref_mut() {
            o.push(c);
        }
    };
    let mut chars = num.chars().map(fold_width as fn(char) -> char);
    let mut first = true;
    let mut digits = 0;
    let mut dot = false;
    // Whether the last character pushed is the decimal point.
    let mut ends_with_dot = false;
    while let Some(c) = chars.next() {
        if std::mem::take(&mut first) && matches!(c, '-' | '−' | '+') {
            if c != '+' {
                push('-');
            }
            continue;
        }
        if c.is_ascii_digit() {
            push(c);
            digits += 1;
            ends_with_dot = false;
        } else if c == ',' {
            // thousands separator: exactly three digits follow before the next separator or end
            let run = chars.clone().take_while(|d| d.is_ascii_digit()).count();
            if dot || digits == 0 || run != 3 {
                return false;
            }
        } else if c == '.' && !dot && digits > 0 {
            dot = true;
            push('.');
            ends_with_dot = true;
        } else {
            return false;
        }
    }
    digits > 0 && !ends_with_dot
}

/// Whether a cell text is digit groups separated by whitespace (`0 0 00`).
fn digit_groups(t: &str) -> Option<Vec<String>> {
    // Most cells are labels: ruled out without copying them.
    if !t
        .chars()
        .map(fold_width)
        .all(|c| c.is_ascii_digit() || c == '.' || c.is_whitespace())
    {
        return None;
    }
    let t: String = t.chars().map(fold_width).collect();
    let groups: Vec<String> = t.split_whitespace().map(str::to_string).collect();
    if groups.len() > 1
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_digit() || c == '.'))
    {
        Some(groups)
    } else {
        None
    }
}

/// Classifies one cell's text.
pub(crate) fn classify_cell(text: &str, cat: &Catalog) -> TokKind {
    classify_collapsed(&collapse_ws(text), cat)
}

/// [`classify_cell`] of a text [`collapse_ws`] gave.
fn classify_collapsed(t: &str, cat: &Catalog) -> TokKind {
    if t.is_empty() {
        return TokKind::Empty;
    }
    if is_value_text(t) {
        return TokKind::Value;
    }
    if let Some(g) = digit_groups(t) {
        return TokKind::Digits(g);
    }
    let n = normalize_mapped(t).text();
    if n.is_empty() {
        return TokKind::Empty;
    }
    let (hits, score) = cat.lookup(&n);
    if hits.is_empty() {
        TokKind::Other
    } else {
        TokKind::Label(hits, score)
    }
}

/// The tokens of a grid: one per merged cell, at its top-left slot, row by row.
pub(crate) fn grid_tokens(grid: &Grid, grid_id: usize) -> Vec<Token> {
    let cat = catalog();
    let mut out = Vec::new();
    for (r, row) in grid.rows.iter().enumerate() {
        let start = out.len();
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_origin(r, c) {
                continue;
            }
            let text = collapse_ws(&cell.text);
            let kind = classify_collapsed(&text, cat);
            out.push(Token {
                text,
                kind,
                at: Some(CellAt {
                    grid: grid_id,
                    row: r,
                    col: c,
                    colspan: cell.span.1.max(1),
                }),
                pos: cell.pos.clone(),
                row_has_value: false,
            });
        }
        let has = out[start..]
            .iter()
            .any(|t| matches!(t.kind, TokKind::Value | TokKind::Digits(_)));
        for t in &mut out[start..] {
            t.row_has_value = has;
        }
    }
    out
}

/// Cuts text whose table cells run together (`规章000规范性文件898989…`) into tokens: runs of
/// digits (a digit right before `.`/`、` and a non-digit is the next label's ordinal) and text
/// covered by catalogue labels.
pub(crate) fn text_tokens(text: &str, pos: &SourcePos) -> Vec<Token> {
    // Scan width-folded characters; cut the text as found (folding is one char for one).
    let orig: Vec<char> = text.chars().collect();
    let chars: Vec<char> = orig.iter().map(|c| fold_width(*c)).collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut text_start = 0;
    let is_digit = |c: char| c.is_ascii_digit();
    while i < chars.len() {
        if !is_digit(chars[i]) {
            i += 1;
            continue;
        }
        // A number run: digits, decimal points between digits, whitespace between digit groups.
        let start = i;
        let mut j = i;
        let mut groups: Vec<String> = vec![String::new()];
        loop {
            if j < chars.len() && is_digit(chars[j]) {
                if let Some(g) = groups.last_mut() {
                    g.push(chars[j]);
                }
                j += 1;
            } else if j + 1 < chars.len() && chars[j] == '.' && is_digit(chars[j + 1]) {
                if let Some(g) = groups.last_mut() {
                    g.push('.');
                }
                j += 1;
            } else if j < chars.len() && chars[j].is_whitespace() {
                let mut k = j;
                while k < chars.len() && chars[k].is_whitespace() {
                    k += 1;
                }
                if k < chars.len() && is_digit(chars[k]) && !is_ordinal_at(&chars, k) {
                    groups.push(String::new());
                    j = k;
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        // The ordinal of the next label: the last digit, when `.`/`、` and a non-digit follow.
        let mut end = j;
        if is_ordinal_at(&chars, j.saturating_sub(1)) && j > start {
            end = j - 1;
            if let Some(g) = groups.last_mut() {
                g.pop();
                if g.is_empty() {
                    groups.pop();
                }
            }
        }
        if groups.is_empty() || end == start {
            i = j.max(i + 1);
            continue;
        }
        // A unit right after the number belongs to it.
        let mut k = end;
        let rest: String = chars[end..chars.len().min(end + 4)].iter().collect();
        let (_, unit) = strip_unit_prefix(&rest);
        if let Some(u) = unit {
            k += u.chars().count();
        }
        push_text(&mut out, &orig[text_start..start], pos);
        let token_text: String = orig[start..k].iter().collect();
        // Even one group may hold several cells; the resolver decides by the column count.
        let kind = TokKind::Digits(groups);
        out.push(Token {
            text: collapse_ws(&token_text),
            kind,
            at: None,
            pos: pos.clone(),
            row_has_value: true,
        });
        i = k;
        text_start = k;
    }
    push_text(&mut out, &orig[text_start..], pos);
    out
}

/// Whether `chars[k]` is a one-digit ordinal: a digit followed by `.`/`、` and a non-digit, not
/// preceded by another digit of the same number... (the caller decides about runs).
fn is_ordinal_at(chars: &[char], k: usize) -> bool {
    chars.get(k).is_some_and(|c| c.is_ascii_digit())
        && matches!(chars.get(k + 1), Some('.' | '、'))
        && chars.get(k + 2).is_some_and(|c| !c.is_ascii_digit())
}

/// The vocabulary's units, longest first (so `万元` is tried before `元`).
fn units_longest_first() -> &'static [&'static String] {
    static U: std::sync::OnceLock<Vec<&'static String>> = std::sync::OnceLock::new();
    U.get_or_init(|| {
        let mut units: Vec<&'static String> = vocab().units.iter().collect();
        units.sort_by_key(|u| std::cmp::Reverse(u.len()));
        units
    })
}

fn strip_unit_prefix(s: &str) -> (&str, Option<&'static str>) {
    for u in units_longest_first() {
        if let Some(rest) = s.strip_prefix(u.as_str()) {
            return (rest, Some(u.as_str()));
        }
    }
    (s, None)
}

/// Covers a run of text with catalogue labels (fewest uncovered characters, then fewest
/// labels) and pushes the labels and the uncovered pieces as tokens.
fn push_text(out: &mut Vec<Token>, chars: &[char], pos: &SourcePos) {
    let original: String = chars.iter().collect();
    if original.trim().is_empty() {
        return;
    }
    let cat = catalog();
    let m = normalize_mapped(&original);
    let n = m.chars.len();
    if n == 0 {
        return;
    }
    // A whole run that is one label (exactly or nearly) is that label.
    let whole = m.text();
    let (hits, score) = cat.lookup(&whole);
    if !hits.is_empty() && n <= 80 {
        out.push(Token {
            text: collapse_ws(&original),
            kind: TokKind::Label(hits, score),
            at: None,
            pos: pos.clone(),
            row_has_value: false,
        });
        return;
    }
    // best[i] = (uncovered, labels, back pointer, label index) for the prefix of length i.
    const INF: (usize, usize) = (usize::MAX, usize::MAX);
    let mut best: Vec<((usize, usize), usize, Option<usize>)> = vec![(INF, 0, None); n + 1];
    best[0] = ((0, 0), 0, None);
    for i in 0..n {
        let (cost, _, _) = best[i];
        if cost == INF {
            continue;
        }
        let skip = (cost.0 + 1, cost.1);
        if skip < best[i + 1].0 {
            best[i + 1] = (skip, i, None);
        }
        if let Some(cands) = cat.by_first.get(&m.chars[i]) {
            for &li in cands {
                let l: Vec<char> = cat.labels[li].norm.chars().collect();
                let end = i + l.len();
                if end <= n && m.chars[i..end] == l[..] {
                    let c = (cost.0, cost.1 + 1);
                    if c < best[end].0 {
                        best[end] = (c, i, Some(li));
                    }
                }
            }
        }
    }
    // Walk back.
    let mut pieces: Vec<(usize, usize, Option<usize>)> = Vec::new();
    let mut i = n;
    while i > 0 {
        let (_, from, label) = best[i];
        pieces.push((from, i, label));
        i = from;
    }
    pieces.reverse();
    // Merge uncovered characters into runs.
    let mut merged: Vec<(usize, usize, Option<usize>)> = Vec::new();
    for p in pieces {
        match (merged.last_mut(), p.2) {
            (Some(last), None) if last.2.is_none() && last.1 == p.0 => last.1 = p.1,
            _ => merged.push(p),
        }
    }
    let src_text = |a: usize, b: usize| -> String {
        let lo = m.src[a];
        let hi = if b < n { m.src[b] } else { chars.len() };
        chars[lo..hi.max(lo)].iter().collect()
    };
    for (a, b, label) in merged {
        let text = collapse_ws(&src_text(a, b));
        match label {
            Some(li) => {
                let norm = &cat.labels[li].norm;
                let hits = cat.exact.get(norm).cloned().unwrap_or_else(|| vec![li]);
                out.push(Token {
                    text,
                    kind: TokKind::Label(hits, 1.0),
                    at: None,
                    pos: pos.clone(),
                    row_has_value: false,
                });
            }
            None => {
                // Punctuation and stray marks between labels are no text worth a token.
                if m.chars[a..b].iter().all(|c| !c.is_alphanumeric()) {
                    continue;
                }
                out.push(Token {
                    text,
                    kind: TokKind::Other,
                    at: None,
                    pos: pos.clone(),
                    row_has_value: false,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(t: &str) -> Vec<String> {
        text_tokens(t, &SourcePos::Unknown)
            .into_iter()
            .map(|t| match t.kind {
                TokKind::Label(..) => format!("L:{}", t.text),
                TokKind::Digits(g) => format!("D:{}", g.join("_")),
                TokKind::Other => format!("O:{}", t.text),
                k => format!("{k:?}"),
            })
            .collect()
    }

    #[test]
    fn run_together_cells_are_cut_into_labels_and_digit_runs() {
        assert_eq!(
            kinds("规章000规范性文件898989第二十条第（五）项"),
            [
                "L:规章",
                "D:000",
                "L:规范性文件",
                "D:898989",
                "L:第二十条第（五）项"
            ]
        );
        assert_eq!(
            kinds("1.属于国家秘密00000002.其他法律行政法规禁止公开"),
            [
                "L:1.属于国家秘密",
                "D:0000000",
                "L:2.其他法律行政法规禁止公开"
            ]
        );
        assert_eq!(
            kinds("一、本年新收政府信息公开申请数量230 000023二、上年结转政府信息公开申请数量"),
            [
                "L:一、本年新收政府信息公开申请数量",
                "D:230_000023",
                "L:二、上年结转政府信息公开申请数量"
            ]
        );
        assert_eq!(
            kinds("政府集中采购13575394432.52元三、"),
            ["L:政府集中采购", "D:13575394432.52", "O:三、"]
        );
    }

    #[test]
    fn numbers_parse_with_units_separators_and_width() {
        assert_eq!(parse_number_text("251000元").as_deref(), Some("251000"));
        assert_eq!(parse_number_text("１２").as_deref(), Some("12"));
        assert_eq!(parse_number_text("1,234.50").as_deref(), Some("1234.50"));
        assert_eq!(parse_number_text("－3").as_deref(), Some("-3"));
        assert_eq!(parse_number_text("12,34"), None);
        assert_eq!(parse_number_text("见附件"), None);
        // The first-character test changes no answer.
        let texts = "| |-|－|+|−|－3|＋3|−3|+3|- 3|-3元|元|3元| 12 元 |.5|+.5|,123|1,234|１２|一|（一）|0|00|1.|1.5.|见附件|3 4|\u{3000}７|a1|1a";
        for t in texts.split('|') {
            assert_eq!(parse_number_text(t), parse_number_full(t), "{t:?}");
        }
        assert!(is_value_text("\u{a0}"));
        assert!(is_value_text("—"));
        assert!(is_value_text("无"));
    }

    /// The number reader as first written: width folded into a `Vec<char>`, read by index.
    fn number_by_index(t: &str) -> Option<String> {
        let (num, _) = strip_unit(t.trim());
        let mut out = String::new();
        let chars: Vec<char> = num.chars().map(fold_width).collect();
        let mut i = 0;
        if let Some(&c) = chars.first() {
            if matches!(c, '-' | '−' | '+') {
                if c != '+' {
                    out.push('-');
                }
                i = 1;
            }
        }
        let (mut digits, mut dot) = (0, false);
        while i < chars.len() {
            let c = chars[i];
            if c.is_ascii_digit() {
                out.push(c);
                digits += 1;
            } else if c == ',' {
                let run = chars[i + 1..]
                    .iter()
                    .take_while(|d| d.is_ascii_digit())
                    .count();
                if dot || digits == 0 || run != 3 {
                    return None;
                }
            } else if c == '.' && !dot && digits > 0 {
                dot = true;
                out.push('.');
            } else {
                return None;
            }
            i += 1;
        }
        if digits == 0 || out.ends_with('.') {
            return None;
        }
        Some(out)
    }

    #[test]
    fn the_number_scan_reads_as_the_index_loop_did() {
        // Every text of up to four characters from these pieces (signs, digits of both widths,
        // separators, points, units, spaces), plus longer cases.
        let pieces = [
            "1", "０", "-", "－", "+", "−", ",", "，", ".", "．", "元", "万元", " ", "\u{3000}",
            "a", "123",
        ];
        let mut texts: Vec<String> = vec![String::new()];
        for _ in 0..4 {
            let mut next = Vec::new();
            for t in &texts {
                for p in pieces {
                    next.push(format!("{t}{p}"));
                }
            }
            texts.extend(next);
            texts.sort();
            texts.dedup();
        }
        texts.extend(
            [
                "1,234,567.89元",
                "12,345,67",
                "-1,000",
                "1,000.",
                "1,000.5,000",
                "+.5",
                "0.0",
            ]
            .map(String::from),
        );
        for t in &texts {
            let want = number_by_index(t);
            assert_eq!(parse_number_full(t), want, "{t:?}");
            assert_eq!(is_number_full(t), want.is_some(), "{t:?}");
            let groups = {
                let f: String = t.chars().map(fold_width).collect();
                let g: Vec<String> = f.split_whitespace().map(str::to_string).collect();
                (g.len() > 1
                    && g.iter()
                        .all(|g| g.chars().all(|c| c.is_ascii_digit() || c == '.')))
                .then_some(g)
            };
            assert_eq!(digit_groups(t), groups, "{t:?}");
        }
        assert!(texts.len() > 10_000, "{}", texts.len());
    }
}
