//! The prose: numbers quoted against the tables (T-01), the fee statement (T-02), lengths (T-03,
//! T-04), the assessment statement (T-05), the statistics period (T-06), the cited notice (T-07),
//! converter artifacts (T-08) and text repeated from last year. Sections, keywords and
//! thresholds come from the template's `checks`.

use super::Context;
use crate::equation::{BlankPolicy, CellKey, Evaluator};
use crate::finding::{Finding, Severity};
use crate::report::{Block, Level, Number, Report};
use regex_lite::Regex;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

/// Normalised prose by section key (the preamble first).
pub(super) type Prose = Vec<(&'static str, String)>;

/// The key of the opening paragraphs before 一、 (not a template section).
const PREAMBLE: &str = "preamble";

/// The prose keys of a report: the preamble, then the template's prose sections.
fn prose_keys(report: &Report) -> Vec<&'static str> {
    std::iter::once(PREAMBLE)
        .chain(report.template().prose_sections())
        .collect()
}

/// Every prose section's text, normalised (simplified characters, no pinyin annotations) so
/// that converted reports are checked like any other.
pub(super) fn all_prose(report: &Report) -> Prose {
    prose_keys(report)
        .into_iter()
        .map(|k| (k, norm_prose(report.prose(k).unwrap_or(&[]))))
        .collect()
}

/// The text of a prose section, paragraphs and headings joined (tables excluded).
pub(crate) fn prose_text(blocks: &[Block]) -> String {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) | Block::Heading(p) => Some(p.as_str()),
            Block::Table(_) => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Each line of the prose normalised ([`crate::text::normalize`]), joined by line feeds, written
/// into one string.
fn norm_prose(blocks: &[Block]) -> String {
    let text = prose_text(blocks);
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        crate::text::normalize_into(line, &mut out);
    }
    out
}

/// A text-check pattern, compiled once per process.
fn compiled(pattern: &str) -> Option<Regex> {
    static CACHE: OnceLock<Mutex<BTreeMap<String, Option<Regex>>>> = OnceLock::new();
    let mut cache = CACHE
        .get_or_init(|| Mutex::new(BTreeMap::new()))
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    cache
        .entry(pattern.to_string())
        .or_insert_with(|| Regex::new(pattern).ok())
        .clone()
}

/// A text a pattern's every match contains, if the pattern shows one: the longest run of
/// plain characters outside groups and classes and not under a quantifier, in a pattern with
/// no `|` outside groups and no flags. Prose without it cannot match, so the (slow) regex
/// engine is not run on it, nor the pattern compiled. `None` when in doubt.
pub fn required_literal(pattern: &str) -> Option<String> {
    literal_run(pattern).map(|(literal, _)| literal)
}

/// [`required_literal`] and the index (in chars of the pattern) where its run starts.
fn literal_run(pattern: &str) -> Option<(String, usize)> {
    let chars: Vec<char> = pattern.chars().collect();
    let (mut best, mut run) = (String::new(), String::new());
    // Where `run` and `best` start in the pattern.
    let (mut best_start, mut run_start) = (0usize, 0usize);
    let mut depth = 0usize;
    let mut i = 0;
    // Whether the last atom was a plain character pushed onto `run`.
    let mut pushed = false;
    let mut flush = |run: &mut String, best: &mut String, run_start: usize| {
        if run.chars().count() > best.chars().count() {
            *best = run.clone();
            best_start = run_start;
        }
        run.clear();
    };
    while i < chars.len() {
        let c = chars[i];
        let was_pushed = std::mem::replace(&mut pushed, false);
        match c {
            '\\' => {
                flush(&mut run, &mut best, run_start);
                i += 2;
                continue;
            }
            '[' => {
                flush(&mut run, &mut best, run_start);
                i += 1;
                if chars.get(i) == Some(&'^') {
                    i += 1;
                }
                if chars.get(i) == Some(&']') {
                    i += 1;
                }
                loop {
                    match chars.get(i) {
                        None | Some('[') => return None,
                        Some(']') => break,
                        Some('\\') => i += 2,
                        Some(_) => i += 1,
                    }
                }
            }
            '(' => {
                flush(&mut run, &mut best, run_start);
                if chars.get(i + 1) == Some(&'?') && chars.get(i + 2) != Some(&':') {
                    return None;
                }
                depth += 1;
            }
            ')' => {
                flush(&mut run, &mut best, run_start);
                depth = depth.checked_sub(1)?;
            }
            '|' if depth == 0 => return None,
            '?' | '*' | '+' | '{' => {
                // A quantifier: the atom before it may be absent or repeated.
                if was_pushed {
                    run.pop();
                }
                flush(&mut run, &mut best, run_start);
                if c == '{' {
                    while chars.get(i) != Some(&'}') {
                        if i >= chars.len() {
                            return None;
                        }
                        i += 1;
                    }
                }
            }
            '}' | ']' => return None,
            '.' | '^' | '$' | '|' => flush(&mut run, &mut best, run_start),
            _ if depth == 0 => {
                if run.is_empty() {
                    run_start = i;
                }
                run.push(c);
                pushed = true;
            }
            _ => {}
        }
        i += 1;
    }
    flush(&mut run, &mut best, run_start);
    (!best.is_empty()).then_some((best, best_start))
}

/// The most bytes a match of `pattern` can have before its [`required_literal`]: the pattern
/// before the literal's run, when its length is bounded (alternatives, classes, escapes and
/// `?`/`{m,n}` quantifiers; `*`, `+`, `{m,}`, flags and anything not understood give `None`),
/// at 4 bytes a character.
pub(crate) fn literal_reach(pattern: &str) -> Option<(String, usize)> {
    let (literal, start) = literal_run(pattern)?;
    let before: Vec<char> = pattern.chars().take(start).collect();
    let mut i = 0;
    let chars = max_chars(&before, &mut i)?;
    // the whole prefix was read (no stray `)`)
    (i == before.len()).then_some((literal, chars.checked_mul(4)?))
}

/// The most chars a sequence of alternatives starting at `*i` can match, up to a `)` (left
/// unread) or the end.
fn max_chars(p: &[char], i: &mut usize) -> Option<usize> {
    let (mut best, mut seq) = (0usize, 0usize);
    while let Some(&c) = p.get(*i) {
        let atom = match c {
            ')' => break,
            '|' => {
                best = best.max(seq);
                seq = 0;
                *i += 1;
                continue;
            }
            '\\' => {
                let e = *p.get(*i + 1)?;
                *i += 2;
                match e {
                    'b' | 'B' | 'A' | 'z' => 0,
                    'd' | 'D' | 's' | 'S' | 'w' | 'W' => 1,
                    _ if e.is_ascii_alphanumeric() => return None,
                    _ => 1,
                }
            }
            '[' => {
                *i += 1;
                if p.get(*i) == Some(&'^') {
                    *i += 1;
                }
                if p.get(*i) == Some(&']') {
                    *i += 1;
                }
                loop {
                    match p.get(*i) {
                        None | Some('[') => return None,
                        Some(']') => break,
                        Some('\\') => *i += 2,
                        Some(_) => *i += 1,
                    }
                }
                *i += 1;
                1
            }
            '(' => {
                *i += 1;
                if p.get(*i) == Some(&'?') {
                    if p.get(*i + 1) != Some(&':') {
                        return None;
                    }
                    *i += 2;
                }
                let inner = max_chars(p, i)?;
                if p.get(*i) != Some(&')') {
                    return None;
                }
                *i += 1;
                inner
            }
            '^' | '$' => {
                *i += 1;
                0
            }
            '*' | '+' | '?' | '{' | '}' | ']' => return None,
            _ => {
                *i += 1;
                1
            }
        };
        let times = match p.get(*i) {
            Some('?') => {
                *i += 1;
                Some(1)
            }
            Some('*' | '+') => return None,
            Some('{') => {
                let close = *i + p[*i..].iter().position(|&c| c == '}')?;
                let inside: String = p[*i + 1..close].iter().collect();
                *i = close + 1;
                let max = match inside.split_once(',') {
                    None => inside.as_str(),
                    Some((_, max)) => max,
                };
                Some(max.trim().parse::<usize>().ok()?)
            }
            _ => None,
        };
        // a quantifier made lazy by a `?`
        if times.is_some() && p.get(*i) == Some(&'?') {
            *i += 1;
        }
        let times = times.unwrap_or(1);
        seq = seq.checked_add(atom.checked_mul(times)?)?;
    }
    Some(best.max(seq))
}

/// The matches of `re` in `text`, as `captures_iter` gives them. With `reach` (the pattern's
/// required literal and the most bytes a match has before it, from [`literal_reach`]) every
/// search starts at most that far before the next occurrence of the literal, since every match
/// contains it: the same leftmost matches, without running the regex over the text between.
fn captures<'h>(
    re: &Regex,
    text: &'h str,
    reach: Option<&(String, usize)>,
) -> Vec<regex_lite::Captures<'h>> {
    let Some((literal, before)) = reach.filter(|(l, _)| !l.is_empty()) else {
        return re.captures_iter(text).collect();
    };
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(k) = text.get(at..).and_then(|rest| rest.find(literal.as_str())) {
        let mut from = (at + k).saturating_sub(*before).max(at);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let Some(cap) = re.captures_at(text, from) else {
            break;
        };
        // A match holds the literal, so it is never empty and the next search starts at its end.
        let Some(end) = cap.get(0).map(|m| m.end()).filter(|&e| e > at) else {
            break;
        };
        at = end;
        out.push(cap);
    }
    out
}

/// The texts one of which every match of `pattern` begins with: its leading plain characters
/// (less the last when a quantifier follows it), or the plain alternatives of a leading
/// `(?:a|b|c)` that no quantifier follows. Only for patterns [`literal_run`] reads (no `|`
/// outside groups, no flags, no named groups). `None` when in doubt.
fn leading_literals(pattern: &str) -> Option<Vec<String>> {
    literal_run(pattern)?;
    let plain = |c: char| {
        !matches!(
            c,
            '\\' | '.' | '[' | ']' | '(' | ')' | '|' | '?' | '*' | '+' | '{' | '}' | '^' | '$'
        )
    };
    let quantified = |next: Option<char>| matches!(next, Some('?' | '*' | '+' | '{'));
    if let Some(rest) = pattern.strip_prefix("(?:") {
        let close = rest.find(')')?;
        if quantified(rest[close + 1..].chars().next()) {
            return None;
        }
        let alternatives: Vec<String> = rest[..close].split('|').map(String::from).collect();
        alternatives
            .iter()
            .all(|a| !a.is_empty() && a.chars().all(plain))
            .then_some(alternatives)
    } else {
        let run: Vec<char> = pattern.chars().take_while(|&c| plain(c)).collect();
        let mut n = run.len();
        if quantified(pattern.chars().nth(n)) {
            n = n.saturating_sub(1);
        }
        (n > 0).then(|| vec![run[..n].iter().collect()])
    }
}

/// Every group's span (absolute) of one match.
type Spans = Vec<Option<(usize, usize)>>;

/// The matches of a pattern whose every match begins with one of `starts`
/// ([`leading_literals`]), as `captures_iter` finds them: `anchored` is the pattern as
/// `\A(?:pattern)`, tried only where one of `starts` occurs, on the text from there (what
/// precedes a match's first character cannot matter, as it is a plain one). The leftmost match
/// is the one at the first such place where the pattern matches; a miss ends where the
/// pattern fails, not at the end of the text.
fn captures_from_starts(anchored: &Regex, text: &str, starts: &[String]) -> Vec<Spans> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(s) = starts
        .iter()
        .filter_map(|l| text.get(at..).and_then(|rest| rest.find(l.as_str())))
        .min()
        .map(|k| at + k)
    {
        let Some(cap) = anchored.captures(&text[s..]) else {
            // the next place starts after this character
            at = s + text[s..].chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let spans: Spans = cap
            .iter()
            .map(|m| m.map(|m| (s + m.start(), s + m.end())))
            .collect();
        // A match holds a start text, so it is never empty.
        at = spans
            .first()
            .copied()
            .flatten()
            .map_or(s + 1, |(_, e)| e.max(s + 1));
        out.push(spans);
    }
    out
}

/// The spans of every match of `pattern` in `text`, as `captures_iter` finds them, by the
/// cheapest search the pattern allows.
/// `re` is the pattern as the plan searches it (anchored for [`Plan::Starts`]).
fn match_spans(re: &Regex, text: &str, plan: &Plan) -> Vec<Spans> {
    let spans = |c: regex_lite::Captures| -> Spans {
        c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect()
    };
    match plan {
        Plan::Starts(starts) => captures_from_starts(re, text, starts),
        Plan::Reach(reach) => captures(re, text, Some(reach))
            .into_iter()
            .map(spans)
            .collect(),
        Plan::Whole => re.captures_iter(text).map(spans).collect(),
    }
}

/// `\A(?:pattern)`: the pattern matched only where the search starts.
fn anchored(pattern: &str) -> String {
    let mut s = String::with_capacity(pattern.len() + 6);
    s.push_str("\\A(?:");
    s.push_str(pattern);
    s.push(')');
    s
}

/// How a T-01 pattern is searched for.
enum Plan {
    /// Anchored, where one of these texts occurs ([`captures_from_starts`]).
    Starts(Vec<String>),
    /// From just before each occurrence of the required literal ([`captures`]).
    Reach((String, usize)),
    /// The whole text.
    Whole,
}

/// T-01: numbers quoted in the prose against the table cells they name.
pub(super) fn text_vs_table(cx: &Context, out: &mut Vec<Finding>) {
    let report = cx.report;
    let lookup = report.lookup();
    for check in &cx.template.text_checks {
        // Only the sections holding the pattern's literal can match.
        let reach = literal_reach(&check.pattern);
        let literal = match &reach {
            Some((l, _)) => Some(l.clone()),
            None => required_literal(&check.pattern),
        };
        let sections: Vec<&(&str, String)> = cx
            .prose
            .iter()
            .filter(|(_, text)| literal.as_deref().is_none_or(|l| text.contains(l)))
            .collect();
        if sections.is_empty() {
            continue;
        }
        let plan = match (leading_literals(&check.pattern), reach) {
            (Some(starts), _) => Plan::Starts(starts),
            (None, Some(reach)) if !reach.0.is_empty() => Plan::Reach(reach),
            _ => Plan::Whole,
        };
        // The pattern as the plan searches it, compiled once per process.
        let re = match &plan {
            Plan::Starts(_) => compiled(&anchored(&check.pattern)),
            _ => compiled(&check.pattern),
        };
        let Some(re) = re else {
            continue;
        };
        let Some(def) = cx.def(&check.table) else {
            continue;
        };
        let sums = def.sums();
        let data = report.table_or_empty(&check.table);
        let cells: Vec<CellKey> = def
            .expand_rows(&check.rows)
            .iter()
            .flat_map(|r| {
                check
                    .columns
                    .iter()
                    .map(move |c| CellKey::new(&def.key, r, c))
            })
            .collect();
        // Skip when the table lacks these cells (another format's columns). A blank sum cell
        // (e.g. 总计 left empty, as 上海 2019 did) counts as the sum of its addends.
        if cells.is_empty() || cells.iter().any(|k| data.get(&k.row, &k.column).is_none()) {
            continue;
        }
        let eval = Evaluator::new(&lookup, BlankPolicy::SumOfAddends).with_sums(sums);
        let table_value = eval.sum(&cells).unwrap_or_default();
        for (section, text) in sections {
            for spans in match_spans(&re, text, &plan) {
                let group = |i: usize| spans.get(i).copied().flatten().map(|(a, b)| &text[a..b]);
                let Some(m) = group(1) else { continue };
                let Ok(n) = m.parse::<Decimal>() else {
                    continue;
                };
                if n == table_value {
                    continue;
                }
                let quote = group(0).unwrap_or_default();
                let place = match cells.as_slice() {
                    [k] => def.cell_name(&k.row, &k.column),
                    _ => format!("{} {}", def.name, check.what),
                };
                out.push(
                    Finding::new(
                        "T-01",
                        Severity::Warning,
                        *section,
                        place,
                        format!(
                            "正文 “{quote}” 与表格不一致：{}在表中为 {table_value}",
                            check.what
                        ),
                    )
                    .values(table_value, n),
                );
            }
        }
    }
}

/// T-08: traditional characters or pinyin left by a web converter.
pub(super) fn conversion_artifacts(cx: &Context, out: &mut Vec<Finding>) {
    let report = cx.report;
    for key in prose_keys(report) {
        let text = prose_text(report.prose(key).unwrap_or(&[]));
        let pinyin = crate::text::has_pinyin(&text);
        let traditional = crate::text::has_traditional(&text);
        if !(pinyin || traditional) {
            continue;
        }
        let what = match (traditional, pinyin) {
            (true, true) => "繁体字和拼音注音",
            (true, false) => "繁体字",
            _ => "拼音注音",
        };
        let place = cx
            .template
            .section(key)
            .map(|s| s.heading.clone())
            .unwrap_or_else(|| "开头".into());
        out.push(Finding::new(
            "T-08",
            Severity::Warning,
            key,
            place,
            format!("正文含{what}（网页简繁转换的痕迹，如“區(qū)”）；发布前应改回规范简体字"),
        ));
    }
}

fn hanzi_count(s: &str) -> usize {
    s.chars().filter(|c| crate::text::is_han(*c)).count()
}

/// Character-bigram similarity (Dice coefficient) of two texts, 0–1.
pub fn similarity(a: &str, b: &str) -> f64 {
    let grams = |s: &str| -> BTreeMap<(char, char), usize> {
        let cs: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
        let mut m = BTreeMap::new();
        for w in cs.windows(2) {
            *m.entry((w[0], w[1])).or_insert(0) += 1;
        }
        m
    };
    let (ga, gb) = (grams(a), grams(b));
    let (na, nb): (usize, usize) = (ga.values().sum(), gb.values().sum());
    if na + nb == 0 {
        return 0.0;
    }
    let common: usize = ga
        .iter()
        .map(|(k, v)| (*v).min(*gb.get(k).unwrap_or(&0)))
        .sum();
    2.0 * common as f64 / (na + nb) as f64
}

/// T-02 to T-07 and X-03.
pub(super) fn prose_rules(cx: &Context, previous: Option<&Report>, out: &mut Vec<Finding>) {
    let (report, t) = (cx.report, cx.template);
    let section = |k: &str| -> String {
        cx.prose
            .iter()
            .find(|(s, _)| *s == k)
            .map(|(_, t)| t.clone())
            .unwrap_or_default()
    };
    let c = &t.checks;
    let fee = &c.fee_statement;
    let fee_text = section(&fee.section);
    let states_fees = fee.keywords.iter().any(|k| fee_text.contains(k.as_str()));
    let subject = fee.keywords.first().map(String::as_str).unwrap_or_default();
    if fee.required && !states_fees {
        out.push(Finding::new(
            "T-02",
            Severity::Warning,
            &fee.section,
            t.heading(&fee.section),
            format!(
                "{}要求在 “{}” 部分报告收取{subject}的情况（未收取的写明“未收取{subject}”）",
                t.notice,
                t.heading(&fee.section)
            ),
        ));
    }
    if let Some(rows) = &fee.notice_rows {
        let notices = cx
            .def(&rows.table)
            .map(|def| {
                let data = report.table_or_empty(&rows.table);
                def.expand_rows(&rows.rows)
                    .iter()
                    .filter_map(|r| data.value(r, &rows.column))
                    .map(Number::to_decimal)
                    .sum::<Decimal>()
            })
            .unwrap_or_default();
        if notices > Decimal::ZERO && !states_fees {
            let label = cx
                .def(&rows.table)
                .map(|d| {
                    let row = rows.rows.first().map(String::as_str).unwrap_or_default();
                    d.row_name(row)
                })
                .unwrap_or_default();
            out.push(
                Finding::new(
                    "T-02",
                    Severity::Warning,
                    &fee.section,
                    t.heading(&fee.section),
                    format!(
                        "{label}有申请，说明发出过收费通知，“{}” 部分应报告{subject}情况",
                        t.heading(&fee.section)
                    ),
                )
                .values(format!("{subject}说明"), "无"),
            );
        }
    }
    if let Some(limit) = &c.overview_length {
        let text = section(&limit.section);
        if hanzi_count(&text) > limit.max_hanzi {
            out.push(
                Finding::new(
                    "T-03",
                    Severity::Warning,
                    &limit.section,
                    t.heading(&limit.section),
                    format!("篇幅原则上不超过{}字", limit.max_hanzi),
                )
                .values(format!("≤ {}", limit.max_hanzi), hanzi_count(&text)),
            );
        }
    }
    let p = &c.problems;
    let problems = section(&p.section);
    let trimmed: String = problems
        .chars()
        .filter(|c| !c.is_whitespace() && !"。.，,".contains(*c))
        .collect();
    let placeholder = t
        .section(&p.section)
        .and_then(|s| s.placeholder.clone())
        .unwrap_or_default();
    if trimmed.is_empty()
        || trimmed == "无"
        || problems.trim() == placeholder
        || trimmed.chars().count() < p.min_chars
    {
        out.push(
            Finding::new(
                "T-04",
                Severity::Warning,
                &p.section,
                t.heading(&p.section),
                "此部分为空或过于简略；应实事求是、明确具体",
            )
            .values(format!("≥ {} 字", p.min_chars), trimmed.chars().count()),
        );
    }
    let a = &c.assessment;
    if report.level == Some(Level::Government) {
        let text: String = a
            .sections
            .iter()
            .map(|s| section(s))
            .collect::<Vec<_>>()
            .join("\n");
        let missing: Vec<&str> = a
            .keywords
            .iter()
            .map(|k| k.as_str())
            .filter(|k| !text.contains(k))
            .collect();
        if !missing.is_empty() {
            let first = a.sections.first().map(String::as_str).unwrap_or_default();
            out.push(
                Finding::new(
                    "T-05",
                    Severity::Warning,
                    first,
                    t.heading(first),
                    format!(
                        "{}的年度报告应说明{}结果情况（{}），未见：{}",
                        t.levels.name(Level::Government),
                        a.keywords.join("、"),
                        a.basis,
                        missing.join("、")
                    ),
                )
                .values(a.keywords.join("、"), missing.join("、")),
            );
        }
    }
    statistics_period(cx, out);
    citation(cx, out);
    if let Some(prev) = previous {
        let r = &c.repetition;
        for key in &r.sections {
            let (a, b) = (
                prose_text(report.prose(key).unwrap_or(&[])),
                prose_text(prev.prose(key).unwrap_or(&[])),
            );
            if hanzi_count(&a) < 20 {
                continue;
            }
            let s = similarity(&a, &b);
            if s > r.similarity_warning {
                out.push(
                    Finding::new(
                        "X-03",
                        Severity::Warning,
                        key,
                        t.heading(key),
                        format!("与上年报告的相似度为 {:.0}%，不得年年雷同", s * 100.0),
                    )
                    .values(
                        format!("≤ {:.0}%", r.similarity_warning * 100.0),
                        format!("{:.0}%", s * 100.0),
                    ),
                );
            }
        }
    }
}

/// T-06: the statistics period is the report year.
fn statistics_period(cx: &Context, out: &mut Vec<Finding>) {
    let y = cx.report.year;
    let period = &cx.template.checks.statistics_period;
    let start = period.start.replace("{year}", &y.to_string());
    let end = period.end.replace("{year}", &y.to_string());
    let mut found = false;
    for (section, text) in &cx.prose {
        for sentence in text.split(['。', '\n', '；']) {
            if !period
                .keywords
                .iter()
                .any(|k| sentence.contains(k.as_str()))
            {
                continue;
            }
            found = true;
            let compact: String = sentence.chars().filter(|c| !c.is_whitespace()).collect();
            if !(compact.contains(&start) && compact.contains(&end)) {
                out.push(
                    Finding::new(
                        "T-06",
                        Severity::Warning,
                        *section,
                        "统计期限",
                        format!("统计期限应为{start}至{end}"),
                    )
                    .values(format!("{start}至{end}"), sentence.trim()),
                );
            }
        }
    }
    if !found {
        out.push(Finding::new(
            "T-06",
            Severity::Info,
            PREAMBLE,
            "统计期限",
            format!(
                "正文未说明统计期限；惯例是在开头写明“{}”",
                cx.template.statistics_period(y)
            ),
        ));
    }
}

/// T-07: a notice of another format cited.
fn citation(cx: &Context, out: &mut Vec<Finding>) {
    let t = cx.template;
    let others: Vec<&str> = crate::template::notices()
        .into_iter()
        .filter(|(format, _)| *format != t.format)
        .map(|(_, notice)| notice)
        .collect();
    for (section, text) in &cx.prose {
        for notice in &others {
            if text.contains(notice) {
                out.push(
                    Finding::new(
                        "T-07",
                        Severity::Warning,
                        *section,
                        "引用的格式文号",
                        format!(
                            "正文引用了 {}，但报告使用的是 {}（{}）",
                            notice, t.name, t.notice
                        ),
                    )
                    .values(&t.notice, notice),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_reach_bounds_the_text_before_the_literal() {
        let r = |p: &str| literal_reach(p);
        assert_eq!(
            r("(?:新收|收到|受理)[^，。；,;：:]{0,16}?申请[^，。；,;0-9]{0,6}?(\\d+)\\s*(?:件|宗|个)"),
            Some(("申请".to_string(), (2 + 16) * 4))
        );
        assert_eq!(
            r("上年(?:度)?结转[^0-9]{0,12}?(\\d+)\\s*件"),
            Some(("上年".into(), 0))
        );
        assert_eq!(r("(?:^|[^及和、])部分公开"), Some(("部分公开".into(), 4)));
        assert_eq!(r("a\\b(?:xy|z{2,3})?\\.bcd"), Some(("bcd".into(), 5 * 4)));
        assert_eq!(r("a{3}bc"), Some(("bc".into(), 3 * 4)));
        for unbounded in [
            "x+申请",
            "x*申请",
            "x{2,}申请",
            "(?i)x申请",
            "\\p{Han}申请",
            "(?P<n>x)申请",
        ] {
            assert_eq!(r(unbounded), None, "{unbounded}");
        }
    }

    /// Every template's T-01 pattern finds the same matches, with the same groups, whether the
    /// search skips to the literal or runs over the whole text: on every string of every
    /// fixture report and example joined into one text, and on texts made to put matches near
    /// the ends, next to each other and across lines.
    #[test]
    fn skipping_to_the_literal_finds_what_the_whole_search_finds() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = Vec::new();
        for dir in ["tests/fixtures/reports", "examples"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "json") {
                    let v: serde_json::Value =
                        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                    let mut strings = Vec::new();
                    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
                        match v {
                            serde_json::Value::String(s) => out.push(s.clone()),
                            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
                            serde_json::Value::Object(o) => o.values().for_each(|x| walk(x, out)),
                            _ => {}
                        }
                    }
                    walk(&v, &mut strings);
                    texts.push(strings.join("\n"));
                }
            }
        }
        texts.push("收到申请12件，新收\n申请3件受理申请 4 件。部分公开5件及部分公开6件".into());
        texts.push("申请1件申请2件申请\n3件，予以公开7件".into());
        // the longest prefixes the patterns allow before their literal
        texts.push(
            "本年度新收到公民法人或其他组织提交的申请12件，上年度结转政府信息公开申请3件".into(),
        );
        texts.push("全年收到各类政府信息公开申请共计12件；其中部分公开3件".into());
        let (mut checked, mut anchored_checked) = (0, 0);
        for t in crate::template::all() {
            for check in &t.text_checks {
                let re = Regex::new(&check.pattern).unwrap();
                let reach = literal_reach(&check.pattern);
                for text in &texts {
                    let spans =
                        |caps: Vec<regex_lite::Captures>| -> Vec<Vec<Option<(usize, usize)>>> {
                            caps.iter()
                                .map(|c| {
                                    c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect()
                                })
                                .collect()
                        };
                    let fast = spans(captures(&re, text, reach.as_ref()));
                    let whole = spans(re.captures_iter(text).collect());
                    assert_eq!(fast, whole, "{}", check.pattern);
                    checked += whole.len();
                    if let Some(starts) = leading_literals(&check.pattern) {
                        let a = Regex::new(&anchored(&check.pattern)).unwrap();
                        let from_starts = captures_from_starts(&a, text, &starts);
                        assert_eq!(from_starts, whole, "{}", check.pattern);
                        anchored_checked += whole.len();
                    }
                }
            }
        }
        assert!(checked > 50, "only {checked} matches compared");
        assert!(
            anchored_checked > 40,
            "only {anchored_checked} anchored matches"
        );
    }

    #[test]
    fn leading_literals_are_what_every_match_begins_with() {
        let l = |p: &str| leading_literals(p);
        let v = |a: &[&str]| Some(a.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            l("(?:新收|收到|受理)[^，]{0,16}?申请(\\d+)"),
            v(&["新收", "收到", "受理"])
        );
        assert_eq!(l("上年(?:度)?结转(\\d+)件"), v(&["上年"]));
        assert_eq!(l("结转(?:至)?下"), v(&["结转"]));
        assert_eq!(l("abc?d"), v(&["ab"]));
        assert_eq!(l("ab{2}c"), v(&["a"]));
        for none in [
            "(?:^|[^及和、])部分公开",
            "(?:ab|c)?d",
            "(?:ab|c)*d",
            "(?:a|)b",
            "(?:a|(?:b))c",
            "a?b",
            "\\d件",
            "[ab]c",
            ".a",
            "^ab",
            "ab|cd",
            "(?i)ab",
            "(?P<n>a)b",
            "(?:a|b)c|d",
        ] {
            assert_eq!(l(none), None, "{none}");
        }
    }

    /// Searching from the start texts finds exactly what the whole search finds, on patterns
    /// whose matches overlap, nest, repeat their start text or end at the end of the text.
    #[test]
    fn searching_from_the_start_texts_finds_what_the_whole_search_finds() {
        let texts = [
            "",
            "ab",
            "abc",
            "aab",
            "aaab abab abbb a",
            "收到收到申请1件受理申请22件，受理\n申请 3 件收到",
            "xabcabcab\nabc1abc22ab333",
            "受理受理申请4件申请5件",
            "ééabé ab1 abab12",
        ];
        let patterns = [
            "ab",
            "a(?:b|bc)",
            "(?:ab|a)b*c",
            "(?:ab|abc)(\\d*)2",
            "ab?c?(\\d+)?",
            "(?:收到|受理)[^，。]{0,6}?申请\\s*(\\d+)\\s*件",
            "(?:受理|收到)(?:申请)?\\s*(\\d*)件",
            "ab\\b",
            "ab$",
            "a[^b]*b",
        ];
        let mut compared = 0;
        for p in patterns {
            let Some(starts) = leading_literals(p) else {
                panic!("{p}: no start texts")
            };
            let whole_re = Regex::new(p).unwrap();
            let a = Regex::new(&anchored(p)).unwrap();
            for t in texts {
                let whole: Vec<Spans> = whole_re
                    .captures_iter(t)
                    .map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect())
                    .collect();
                assert_eq!(captures_from_starts(&a, t, &starts), whole, "{p} on {t:?}");
                compared += whole.len();
            }
        }
        assert!(compared > 40, "only {compared} matches compared");
    }

    #[test]
    fn similarity_is_a_dice_coefficient() {
        assert!((similarity("政务公开工作", "政务公开工作") - 1.0).abs() < 1e-9);
        assert_eq!(similarity("甲乙丙", "丁戊己"), 0.0);
    }
}
