//! The section assembler: from the intermediate form to report JSON. Finds the six section
//! headings (the template's wording, its variants, typos and other wordings with the right number;
//! also inside a line, where a crawler ran the report together), keeps the preamble before 一、,
//! turns the prose sections into paragraphs, （一） sub-headings and free-form tables, sends the
//! tables to the matcher, and reads title, agency, year and publication date.

use super::catalog::{catalog, SectionHeading};
use super::log::{note, ImportLog};
use super::matcher::Matcher;
use super::normalize::{collapse_ws, normalize_mapped, similarity};
use super::resolve::resolve;
use super::source::{Grid, SourceBlock, SourceDoc, SourcePos};
use super::tokens::{classify_cell, grid_tokens, is_value_text, text_tokens, TokKind};
use super::vocab::vocab;
use super::{ImportError, ImportOptions};
use crate::report::Date;
use crate::template::{SectionKind, Template};
use serde_json::{Map, Value as Json};

/// A found section heading: which section, where, how well it matched.
#[derive(Debug, Clone)]
struct HeadingHit {
    section: usize,
    block: usize,
    /// Char offsets of the heading inside the block's text.
    start: usize,
    end: usize,
    score: f32,
}

/// Ordinal + body of a heading at normalised offset `i`: the best section and the normalised
/// length matched, with a score.
fn heading_at(
    n: &[char],
    i: usize,
    whole_block: bool,
    sections: &[SectionHeading],
) -> Option<(usize, usize, f32)> {
    let mut best: Option<(usize, usize, f32)> = None;
    for s in sections {
        let ord: Vec<char> = s.ordinal.chars().collect();
        if ord.is_empty() || n.len() < i + ord.len() || n[i..i + ord.len()] != ord[..] {
            continue;
        }
        let body_start = i + ord.len();
        let rest = &n[body_start..];
        for b in &s.bodies {
            // exact prefix
            if rest.len() >= b.len() && rest[..b.len()] == b[..] {
                let cand = (s.index, body_start + b.len() - i, 1.0);
                if best.is_none_or(|x| cand.2 > x.2 || (cand.2 == x.2 && cand.1 > x.1)) {
                    best = Some(cand);
                }
                continue;
            }
            // the whole (short) block as a heading in other words
            if whole_block && i == 0 && rest.len() <= b.len() + 12 {
                let sc = similarity(rest, b);
                if sc >= 0.6 {
                    let cand = (s.index, n.len(), sc * 0.95);
                    if best.is_none_or(|x| cand.2 > x.2) {
                        best = Some(cand);
                    }
                }
            }
            // a typo'd heading followed by text: the best window of about the heading's length
            let lo = b.len().saturating_sub(2).max(2);
            let hi = (b.len() + 2).min(rest.len());
            for len in lo..=hi {
                let sc = similarity(&rest[..len], b);
                if sc >= 0.85 {
                    let cand = (s.index, body_start + len - i, sc * 0.9);
                    if best.is_none_or(|x| cand.2 > x.2) {
                        best = Some(cand);
                    }
                }
            }
        }
    }
    best
}

/// Heading candidates in one text block: at its start, and (strict) inside it.
fn heading_candidates(text: &str, block: usize) -> Vec<HeadingHit> {
    // Cheap test first: an ordinal numeral followed by its punctuation somewhere.
    let v = vocab();
    let mut prev_numeral = false;
    let mut any = false;
    for c in text.chars() {
        if prev_numeral && matches!(c, '、' | '.' | '．' | ',' | '，') {
            any = true;
            break;
        }
        prev_numeral = v.is_numeral(c) || (prev_numeral && c.is_whitespace());
    }
    if !any {
        return Vec::new();
    }
    let cat = catalog();
    let m = normalize_mapped(text);
    let n = &m.chars;
    let mut out = Vec::new();
    let nchars = text.chars().count();
    let to_src_end = |norm_end: usize| -> usize {
        if norm_end >= n.len() {
            nchars
        } else {
            m.src[norm_end]
        }
    };
    for i in 0..n.len() {
        if !v.is_numeral(n[i]) || n.get(i + 1) != Some(&'.') {
            continue;
        }
        if i > 0 && v.is_numeral(n[i - 1]) {
            continue;
        }
        let whole = i == 0;
        if let Some((section, len, score)) = heading_at(n, i, whole, &cat.sections) {
            if i > 0 && score < 0.85 {
                continue;
            }
            out.push(HeadingHit {
                section,
                block,
                start: m.src[i],
                end: to_src_end(i + len),
                score,
            });
        }
    }
    out
}

/// Whether a line is a section heading of the report (the HTML reader uses this to find where
/// the report is inside a page).
pub(crate) fn is_heading_line(text: &str) -> bool {
    text.chars().count() <= 60
        && heading_candidates(text, 0)
            .iter()
            .any(|h| h.start == 0 && h.score >= 0.7)
}

/// Whether a grid is a statutory table: at least three cells are labels of the templates.
///
/// Only an exact label scores 1, so a cell is looked up exactly first (no fuzzy search over the
/// catalogue) and classified in full only on a hit; the scan stops at the third label.
pub(crate) fn is_statutory_grid(g: &Grid) -> bool {
    let cat = catalog();
    let mut found = 0;
    for (r, row) in g.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_origin(r, c) {
                continue;
            }
            let t = collapse_ws(&cell.text);
            if t.is_empty() || !cat.exact.contains_key(&normalize_mapped(&t).text()) {
                continue;
            }
            if matches!(classify_cell(&cell.text, cat), TokKind::Label(_, s) if s >= 1.0) {
                found += 1;
                if found >= 3 {
                    return true;
                }
            }
        }
    }
    false
}

/// `key：value` pairs of a line (`发布日期：2020-01-31`, `标题: …`).
pub(crate) fn key_values(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let t = collapse_ws(text);
    if let Some(i) = t.find([':', '：']) {
        let k = t[..i].trim().to_string();
        let sep = t[i..].chars().next().map(char::len_utf8).unwrap_or(1);
        let val = t[i + sep..].trim().to_string();
        if !k.is_empty() && k.chars().count() <= 8 {
            out.push((k, val));
        }
    }
    out
}

/// Finds the section headings of the whole document: the best-scoring candidates that keep the
/// sections in order, at most one per section.
fn find_headings(doc: &SourceDoc) -> Vec<HeadingHit> {
    let mut cands: Vec<HeadingHit> = Vec::new();
    for (bi, b) in doc.blocks.iter().enumerate() {
        if let SourceBlock::Text(t) = b {
            cands.extend(heading_candidates(&t.text, bi));
        }
    }
    // Best first; on equal scores the earlier one.
    let mut order: Vec<usize> = (0..cands.len()).collect();
    order.sort_by(|a, b| {
        cands[*b]
            .score
            .partial_cmp(&cands[*a].score)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then((cands[*a].block, cands[*a].start).cmp(&(cands[*b].block, cands[*b].start)))
    });
    let mut chosen: Vec<HeadingHit> = Vec::new();
    for i in order {
        let c = &cands[i];
        if chosen.iter().any(|x| x.section == c.section) {
            continue;
        }
        let at = (c.block, c.start);
        let consistent = chosen.iter().all(|x| {
            let xa = (x.block, x.start);
            (x.section < c.section && xa < at) || (x.section > c.section && xa > at)
        });
        if consistent {
            chosen.push(c.clone());
        }
    }
    chosen.sort_by_key(|h| (h.block, h.start));
    chosen
}

/// One piece of the document after cutting text at headings.
#[derive(Debug, Clone)]
enum Piece<'a> {
    Heading(usize, String),
    Text(String, Option<u8>, SourcePos),
    Grid(usize, &'a Grid),
}

fn cut<'a>(doc: &'a SourceDoc, headings: &[HeadingHit]) -> Vec<Piece<'a>> {
    let mut out = Vec::new();
    let mut grid_id = 0;
    for (bi, b) in doc.blocks.iter().enumerate() {
        match b {
            SourceBlock::Table(g) => {
                out.push(Piece::Grid(grid_id, g));
                grid_id += 1;
            }
            SourceBlock::Text(t) => {
                let chars: Vec<char> = t.text.chars().collect();
                let mut at = 0;
                for h in headings.iter().filter(|h| h.block == bi) {
                    let before: String = chars[at..h.start].iter().collect();
                    if !before.trim().is_empty() {
                        out.push(Piece::Text(before, t.heading_level, t.pos.clone()));
                    }
                    let head: String = chars[h.start..h.end].iter().collect();
                    out.push(Piece::Heading(h.section, head));
                    at = h.end;
                }
                let rest: String = chars[at..].iter().collect();
                if !rest.trim().is_empty() {
                    out.push(Piece::Text(rest, t.heading_level, t.pos.clone()));
                }
            }
        }
    }
    out
}

fn trim_text(s: &str) -> String {
    s.trim_matches(|c: char| c.is_whitespace() || matches!(c, '\u{200b}' | '\u{feff}'))
        .to_string()
}

/// A prose line as a block: a `（一）…` line without a sentence inside is a sub-heading. A
/// word-processing paragraph (`pos` a [`SourcePos::Paragraph`]) whose heading style or outline
/// level makes it a sub-heading (`level` 2) is one whatever punctuation it holds: the style is
/// the author's word (nianbao's DOCX writer and Word/WPS templates set it). HTML, text and PDF
/// lines are judged by their text alone.
fn prose_block(text: &str, level: Option<u8>, pos: &SourcePos) -> Json {
    let t = trim_text(text);
    let v = vocab();
    let chars: Vec<char> = t.chars().collect();
    let numbered = matches!(chars.first(), Some('（' | '('))
        && chars
            .iter()
            .skip(1)
            .take_while(|c| v.is_numeral(**c))
            .count()
            > 0
        && {
            let k = 1 + chars
                .iter()
                .skip(1)
                .take_while(|c| v.is_numeral(**c))
                .count();
            matches!(chars.get(k), Some('）' | ')'))
        };
    let sentence_inside = chars
        .iter()
        .take(chars.len().saturating_sub(1))
        .any(|c| matches!(c, '。' | '；' | '！' | '？' | ';'));
    let short = chars.len() <= 40;
    let styled = level == Some(2) && matches!(pos, SourcePos::Paragraph(_));
    if short && (styled || ((numbered || level == Some(2)) && !sentence_inside)) {
        serde_json::json!({ "heading": t })
    } else {
        Json::from(t)
    }
}

/// A free-form grid as a table block. A crawler's one-cell-per-line run (one row) is folded
/// into rows when it is a header row followed by rows of a label and numbers.
fn free_table(g: &Grid) -> Option<Json> {
    let mut rows: Vec<Vec<String>> = g
        .rows
        .iter()
        .enumerate()
        .map(|(r, row)| {
            row.iter()
                .enumerate()
                .map(|(c, cell)| {
                    if cell.is_origin(r, c) {
                        collapse_ws(&cell.text)
                    } else {
                        String::new()
                    }
                })
                .collect()
        })
        .collect();
    rows.retain(|r| !r.is_empty());
    if rows.is_empty() {
        return None;
    }
    if rows.len() == 1 {
        let cells = &rows[0];
        if let Some(k) = cells.iter().position(|c| is_value_text(c) && !c.is_empty()) {
            let w = k.saturating_sub(1);
            if w >= 1
                && k >= 2
                && cells.len().is_multiple_of(w)
                && cells.len() / w >= 2
                && cells
                    .chunks(w)
                    .skip(1)
                    .all(|r| !is_value_text(&r[0]) && r[1..].iter().all(|c| is_value_text(c)))
            {
                rows = cells.chunks(w).map(|c| c.to_vec()).collect();
            }
        }
    }
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    for r in &mut rows {
        r.resize(width, String::new());
    }
    let header_rows =
        usize::from(rows.len() > 1 && rows[0].iter().all(|c| c.is_empty() || !is_value_text(c)));
    Some(serde_json::json!({"table": {"header_rows": header_rows, "rows": rows}}))
}

/// `2024年1月17日`, `2024-01-17`, `2024/1/17 15:34` → a date.
pub(crate) fn parse_date(s: &str) -> Option<Date> {
    let v = vocab();
    let chars: Vec<char> = s.chars().map(super::normalize::fold_width).collect();
    let mut nums: Vec<u32> = Vec::new();
    let mut i = 0;
    while i < chars.len() && nums.len() < 3 {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            let sep_ok = match nums.len() {
                0 => text.len() == 4,
                _ => text.len() <= 2,
            };
            if !sep_ok {
                nums.clear();
                continue;
            }
            nums.push(text.parse().ok()?);
            // a separator must follow the year and the month
            if nums.len() < 3 {
                let sep: String = chars.get(i).map(|c| c.to_string()).unwrap_or_default();
                let ok = matches!(sep.as_str(), "-" | "/" | ".")
                    || v.date_marks.iter().take(2).any(|m| *m == sep);
                if !ok {
                    nums.clear();
                    continue;
                }
                i += 1;
            }
        } else {
            if !nums.is_empty() {
                nums.clear();
            }
            i += 1;
        }
    }
    if nums.len() != 3 {
        return None;
    }
    format!("{:04}-{:02}-{:02}", nums[0], nums[1], nums[2])
        .parse()
        .ok()
}

/// Whether a whole line is a date (a closing date line).
fn is_date_line(s: &str) -> bool {
    let t = trim_text(s);
    t.chars().count() <= 20 && parse_date(&t).is_some() && {
        let v = vocab();
        t.chars().all(|c| {
            c.is_ascii_digit()
                || matches!(c, '-' | '/' | '.' | ' ')
                || v.date_marks.iter().any(|m| m.contains(c))
                || super::normalize::fold_width(c).is_ascii_digit()
        })
    }
}

/// The first four-digit year followed by a year mark (`2023年`) in a text.
fn year_in(s: &str) -> Option<i32> {
    let v = vocab();
    let chars: Vec<char> = s.chars().collect();
    for i in 0..chars.len() {
        if i + 4 < chars.len()
            && chars[i..i + 4].iter().all(|c| c.is_ascii_digit())
            && (i == 0 || !chars[i - 1].is_ascii_digit())
        {
            let after: String = chars[i + 4..].iter().take(2).collect();
            if v.year_suffixes
                .iter()
                .any(|y| after.starts_with(y.as_str()))
            {
                let y: String = chars[i..i + 4].iter().collect();
                if let Ok(y) = y.parse::<i32>() {
                    if (1990..=2999).contains(&y) {
                        return Some(y);
                    }
                }
            }
        }
    }
    None
}

/// A line that is a report title: short, with a year, ending in the title word.
fn is_title_line(s: &str) -> bool {
    let t = trim_text(s);
    let v = vocab();
    t.chars().count() <= 60 && t.ends_with(v.title_end.as_str()) && year_in(&t).is_some()
}

/// A page title without the site's suffix (`…年度报告-沭阳县发改局` → `…年度报告`).
fn clean_title(s: &str) -> String {
    let t = collapse_ws(s);
    let v = vocab();
    match t.rfind(v.title_end.as_str()) {
        Some(i) => t[..i + v.title_end.len()].to_string(),
        None => t,
    }
}

/// The agency named in a title: before the year (`平潭综合实验区2023年度…`), or after it and
/// before the report words (`2019年上海市人民政府办公厅政府信息公开…`).
fn agency_from_title(title: &str) -> Option<String> {
    let v = vocab();
    let chars: Vec<char> = title.chars().collect();
    let i = (0..chars.len().saturating_sub(4)).find(|&i| {
        chars[i..i + 4].iter().all(|c| c.is_ascii_digit())
            && (i == 0 || !chars[i - 1].is_ascii_digit())
    })?;
    let after: String = chars[i + 4..].iter().collect();
    let suffix_len = v
        .year_suffixes
        .iter()
        .find(|y| after.starts_with(y.as_str()))
        .map(|y| y.chars().count())?;
    let before: String = chars[..i].iter().collect();
    let before = before.trim().to_string();
    if !before.is_empty() {
        return Some(before);
    }
    let rest: String = chars[i + 4 + suffix_len..].iter().collect();
    let mut suffixes: Vec<&String> = v.title_suffixes.iter().collect();
    suffixes.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for s in suffixes {
        if let Some(a) = rest.strip_suffix(s.as_str()) {
            let a = a.trim().to_string();
            if !a.is_empty() {
                return Some(a);
            }
        }
    }
    None
}

/// Builds the report JSON (before [`crate::Report::from_json`]) and the log.
pub(crate) fn assemble(
    doc: &SourceDoc,
    opts: &ImportOptions,
) -> Result<(Json, ImportLog), ImportError> {
    let cat = catalog();
    let mut log = ImportLog::default();
    let headings = find_headings(doc);
    let pieces = cut(doc, &headings);

    // Walk the pieces: prose to sections, tables to the matcher.
    let mut matcher = Matcher::new();
    let mut section: Option<usize> = None;
    let mut published_heading: Vec<(usize, String)> = Vec::new();
    let mut prose: Vec<Vec<(Json, SourcePos, bool)>> = vec![Vec::new(); cat.sections.len()];
    let mut preamble: Vec<(String, Option<u8>, SourcePos)> = Vec::new();
    let mut preamble_grids: Vec<Json> = Vec::new();
    for p in &pieces {
        match p {
            Piece::Heading(s, text) => {
                section = Some(*s);
                published_heading.push((*s, trim_text(text)));
                matcher.section(cat.sections.get(*s).map(|x| x.key.as_str()));
            }
            Piece::Grid(id, g) => {
                let kind = section.and_then(|s| cat.sections.get(s)).map(|s| s.kind);
                let statutory = kind == Some(SectionKind::Table) || is_statutory_grid(g);
                if statutory {
                    for t in grid_tokens(g, *id) {
                        matcher.feed(t);
                    }
                    matcher.end_block();
                } else if let Some(t) = free_table(g) {
                    match section {
                        Some(s) => prose[s].push((t, g.pos.clone(), true)),
                        None => preamble_grids.push(t),
                    }
                }
            }
            Piece::Text(text, level, pos) => {
                let kind = section.and_then(|s| cat.sections.get(s)).map(|s| s.kind);
                match (section, kind) {
                    (None, _) => preamble.push((text.clone(), *level, pos.clone())),
                    (Some(_), Some(SectionKind::Table)) => {
                        let toks = text_tokens(text, pos);
                        let labels = toks
                            .iter()
                            .filter(|t| matches!(t.kind, TokKind::Label(..)))
                            .count();
                        if labels == 0 {
                            log.push(note(
                                pos.clone(),
                                "",
                                format!(
                                    "表格章节中的文字 “{}” 不属于表格，报告格式中没有它的位置，已略去 (text in a table section was left out)",
                                    shorten(text)
                                ),
                            ));
                        }
                        for t in toks {
                            matcher.feed(t);
                        }
                        matcher.end_block();
                    }
                    (Some(s), _) => {
                        prose[s].push((prose_block(text, *level, pos), pos.clone(), false))
                    }
                }
            }
        }
    }
    let reading = matcher.finish();
    if reading.rows.is_empty() && reading.records.is_empty() {
        return Err(ImportError::NotAReport {
            reason: "没有找到法定表格（表二、表三、表四的行标签）(no statutory table found)"
                .to_string(),
        });
    }

    // Metadata: title, dates, agency, year.
    let mut title: Option<String> = doc.meta.title.as_deref().map(clean_title);
    let mut published = doc.meta.published.as_deref().and_then(parse_date);
    let mut preamble_out: Vec<Json> = Vec::new();
    let mut body_started = false;
    for (text, level, pos) in &preamble {
        let t = trim_text(text);
        if !body_started {
            if is_title_line(&t) {
                if title.is_none() {
                    title = Some(t.clone());
                }
                continue;
            }
            // `title<space>text` run together by a crawler
            if let Some((head, rest)) = t.split_once(char::is_whitespace) {
                if is_title_line(head) {
                    if title.is_none() {
                        title = Some(head.to_string());
                    }
                    body_started = true;
                    preamble_out.push(prose_block(rest, *level, pos));
                    continue;
                }
            }
            let kv = key_values(&t);
            if let Some((k, val)) = kv.first() {
                if vocab().date_keys.iter().any(|d| d == k) {
                    if published.is_none() {
                        published = parse_date(val);
                    }
                    continue;
                }
            }
        }
        body_started = true;
        preamble_out.push(prose_block(&t, *level, pos));
    }
    preamble_out.extend(preamble_grids);

    // Closing lines of the last section: `<agency>` / `<date>`.
    let mut closing_agency: Option<String> = None;
    if let Some(last) = prose.iter_mut().rev().find(|p| !p.is_empty()) {
        if let Some((Json::String(d), _, false)) = last.last() {
            if is_date_line(d) {
                let date = parse_date(d);
                last.pop();
                if published.is_none() {
                    published = date;
                }
                if let Some((Json::String(a), _, false)) = last.last() {
                    if a.chars().count() <= 30 && !a.contains(['。', '，', '；', ',']) {
                        closing_agency = Some(a.clone());
                        last.pop();
                    }
                }
            }
        }
    }

    let title_agency = title.as_deref().and_then(agency_from_title);
    let year_found = title
        .as_deref()
        .and_then(year_in)
        .or_else(|| {
            preamble_out
                .iter()
                .filter_map(Json::as_str)
                .find_map(year_in)
        })
        .or_else(|| {
            cat.sections
                .iter()
                .position(|s| s.kind == SectionKind::Prose)
                .and_then(|i| {
                    prose[i]
                        .iter()
                        .filter_map(|(b, _, _)| b.as_str())
                        .find_map(year_in)
                })
        })
        .or_else(|| published.map(|d| d.year - 1));
    let Some(year) = opts.year.or(year_found) else {
        return Err(ImportError::MissingYear);
    };
    let agency = opts
        .agency
        .clone()
        .or(title_agency)
        .or_else(|| doc.meta.author.clone())
        .or(closing_agency);
    let agency = match agency {
        Some(a) if !a.trim().is_empty() => a.trim().to_string(),
        _ => {
            log.push(note(
                SourcePos::Unknown,
                "agency",
                "来源中没有机关名称，请用 --agency 指定 (no agency name found; give --agency)"
                    .to_string(),
            ));
            vocab().unknown_agency.clone()
        }
    };

    let mut resolved = resolve(&reading, opts.format.as_deref(), Some(year));
    let format: &'static Template = resolved.format;
    log.entries.extend(reading.log);
    log.entries.extend(resolved.log);

    // Sections not found.
    for s in &cat.sections {
        if !published_heading.iter().any(|(i, _)| *i == s.index) {
            log.push(note(
                SourcePos::Unknown,
                &s.key,
                format!(
                    "没有找到第{}部分的标题 “{}” (section heading not found)",
                    s.index + 1,
                    format
                        .section(&s.key)
                        .map(|d| d.heading.as_str())
                        .unwrap_or("")
                ),
            ));
        }
    }

    let mut m = Map::new();
    m.insert("format".into(), Json::from(format.format.clone()));
    m.insert("agency".into(), Json::from(agency.clone()));
    m.insert("year".into(), Json::from(year));
    if let Some(t) = title {
        let default = format!("{agency}{year}年政府信息公开工作年度报告");
        if t != default && !t.is_empty() {
            m.insert("title".into(), Json::from(t));
        }
    }
    if let Some(d) = published {
        m.insert("published".into(), Json::from(d.to_string()));
    }
    let mut heads = Map::new();
    for (i, text) in &published_heading {
        if let Some(s) = cat.sections.get(*i) {
            let template_heading = format.section(&s.key).map(|d| d.heading.as_str());
            if template_heading != Some(text.as_str()) {
                heads.insert(s.key.clone(), Json::from(text.clone()));
            }
        }
    }
    if !heads.is_empty() {
        m.insert("headings".into(), Json::Object(heads));
    }
    if !preamble_out.is_empty() {
        m.insert("preamble".into(), Json::Array(preamble_out));
    }
    for s in &format.sections {
        let idx = cat.sections.iter().position(|c| c.key == s.key);
        match s.kind {
            SectionKind::Prose => {
                let blocks: Vec<Json> = idx
                    .map(|i| prose[i].iter().map(|(b, _, _)| b.clone()).collect())
                    .unwrap_or_default();
                m.insert(s.key.clone(), Json::Array(blocks));
            }
            SectionKind::Table => {
                // Moved, not copied: a template names each section once.
                let t = resolved
                    .tables
                    .iter_mut()
                    .find(|(k, _)| *k == s.key)
                    .map(|(_, v)| std::mem::take(v))
                    .unwrap_or_else(|| Json::Object(Map::new()));
                m.insert(s.key.clone(), t);
            }
        }
    }
    Ok((Json::Object(m), log))
}

/// Text of the source as a note quotes it: runs of white space made one space, then
/// [`crate::text::quoted`].
fn shorten(s: &str) -> String {
    crate::text::quoted(&collapse_ws(s)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_found_with_variants_typos_and_inside_lines() {
        assert!(is_heading_line("一、总体情况"));
        assert!(is_heading_line("五、存在的主要问题及整改措施"));
        assert!(is_heading_line("四、政府信息公开行政法复议、行政诉讼情况"));
        assert!(is_heading_line("一、總體情況"));
        assert!(!is_heading_line("一、本年新收政府信息公开申请数量"));
        let h = heading_candidates("……止。一、总体情况2019年，在省政府", 0);
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].section, 0);
        let text: Vec<char> = "……止。一、总体情况2019年，在省政府".chars().collect();
        let cut: String = text[h[0].start..h[0].end].iter().collect();
        assert_eq!(cut, "一、总体情况");
    }

    #[test]
    fn dates_titles_and_agencies() {
        assert_eq!(
            parse_date("2024年1月17日").unwrap().to_string(),
            "2024-01-17"
        );
        assert_eq!(
            parse_date("2024-03-08 15:34").unwrap().to_string(),
            "2024-03-08"
        );
        assert_eq!(
            parse_date("发布日期：2020-01-31").unwrap().to_string(),
            "2020-01-31"
        );
        assert!(parse_date("2024年13月1日").is_none());
        assert_eq!(
            agency_from_title("平潭综合实验区2023年度政府信息公开工作年度报告").as_deref(),
            Some("平潭综合实验区")
        );
        assert_eq!(
            agency_from_title("2019年上海市人民政府办公厅政府信息公开工作年度报告").as_deref(),
            Some("上海市人民政府办公厅")
        );
        assert_eq!(
            clean_title("沭阳县发展和改革局2023年政府信息公开年度报告-沭阳县发改局"),
            "沭阳县发展和改革局2023年政府信息公开年度报告"
        );
        assert!(is_date_line("2024年1月17日"));
        assert!(!is_date_line("2024年1月17日，我局召开会议"));
    }
}
