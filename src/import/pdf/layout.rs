//! Rebuilding the document from positions, for PDFs without a usable tag tree (WPS, Word,
//! LibreOffice): text lines from glyph boxes, paragraphs from indents and line ends, tables
//! from their ruling lines ([`super::table`]), page-number folios dropped, and table pieces on
//! consecutive pages joined into one table.

use super::extract::{Glyph, PageContent};
use super::table::{self, Region};
use super::text::{folio_number, is_word_char, join_line};
use crate::import::source::{SourceBlock, SourcePos, TextBlock};

/// A text line outside tables.
#[derive(Debug, Clone)]
pub struct Line {
    /// 0-based page.
    pub page: usize,
    /// The text, glyphs in reading order.
    pub text: String,
    /// Box, points from the top-left corner.
    pub x0: f32,
    /// Top.
    pub y0: f32,
    /// Right.
    pub x1: f32,
    /// Bottom.
    pub y1: f32,
    /// Font size (points), the largest in the line.
    pub size: f32,
}

/// Something on a page, in reading order.
#[derive(Debug)]
enum Item {
    Line(Line),
    Table(Region),
}

impl Item {
    fn top(&self) -> f32 {
        match self {
            Item::Line(l) => l.y0,
            Item::Table(r) => r.y0,
        }
    }
}

/// Reads the pages into blocks.
pub fn read(pages: &[PageContent]) -> Vec<SourceBlock> {
    let mut items: Vec<Item> = Vec::new();
    for (pi, page) in pages.iter().enumerate() {
        let mut page_items = page_items(pi, page);
        drop_folios(&mut page_items, page.height);
        // A table continued from the previous page: the pieces become one table.
        let continued = match (items.last(), page_items.first()) {
            (Some(Item::Table(prev)), Some(Item::Table(next))) => {
                prev.page_end + 1 == pi && table::continues(prev, next)
            }
            _ => false,
        };
        if continued {
            if let (Some(Item::Table(prev)), Item::Table(next)) =
                (items.last_mut(), page_items.remove(0))
            {
                table::stitch(prev, next);
            }
        }
        items.extend(page_items);
    }
    blocks(items, pages)
}

/// Lines and table regions of one page, top to bottom.
fn page_items(pi: usize, page: &PageContent) -> Vec<Item> {
    let regions = table::regions(pi, page);
    let mut free: Vec<&Glyph> = Vec::new();
    let mut regions = regions;
    for g in page.glyphs.iter().filter(|g| !g.artifact) {
        match regions.iter_mut().find(|r| r.contains(g.cx(), g.cy())) {
            Some(r) => r.add_glyph(g.clone(), pi),
            None => free.push(g),
        }
    }
    let mut items: Vec<Item> = lines(pi, &free).into_iter().map(Item::Line).collect();
    items.extend(
        regions
            .into_iter()
            .filter(|r| r.has_text())
            .map(Item::Table),
    );
    items.sort_by(|a, b| a.top().total_cmp(&b.top()));
    items
}

/// Groups glyphs into lines: horizontal glyphs by their vertical centre, vertical glyphs
/// (Identity-V) by their horizontal centre.
pub fn lines(page: usize, glyphs: &[&Glyph]) -> Vec<Line> {
    let (vertical, horizontal): (Vec<&Glyph>, Vec<&Glyph>) =
        glyphs.iter().copied().partition(|g| g.vertical);
    let mut out: Vec<Line> = group_rows(&horizontal)
        .into_iter()
        .map(|row| make_line(page, &row, false))
        .collect();
    out.extend(
        group_columns(&vertical)
            .into_iter()
            .map(|col| make_line(page, &col, true)),
    );
    out.retain(|l| !l.text.trim().is_empty());
    out
}

/// Horizontal glyphs grouped into rows (each sorted left to right), top to bottom.
pub fn group_rows<'a>(glyphs: &[&'a Glyph]) -> Vec<Vec<&'a Glyph>> {
    let mut sorted: Vec<&Glyph> = glyphs.to_vec();
    sorted.sort_by(|a, b| a.cy().total_cmp(&b.cy()).then(a.x0.total_cmp(&b.x0)));
    let mut rows: Vec<(f32, f32, Vec<&Glyph>)> = Vec::new(); // (centre, height, glyphs)
    for g in sorted {
        let h = (g.y1 - g.y0).max(0.5);
        match rows.last_mut() {
            Some((cy, rh, row)) if (g.cy() - *cy).abs() < 0.4 * rh.max(h) => {
                let n = row.len() as f32;
                *cy = (*cy * n + g.cy()) / (n + 1.0);
                *rh = rh.max(h);
                row.push(g);
            }
            _ => rows.push((g.cy(), h, vec![g])),
        }
    }
    rows.into_iter()
        .map(|(_, _, mut row)| {
            row.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            dedupe(row, false)
        })
        .collect()
}

/// Drops glyphs drawn twice at nearly the same place (WPS and Word fake bold by drawing a
/// run again shifted by a fraction of a point).
fn dedupe(glyphs: Vec<&Glyph>, vertical: bool) -> Vec<&Glyph> {
    let mut out: Vec<&Glyph> = Vec::with_capacity(glyphs.len());
    for g in glyphs {
        let twice = out.iter().rev().take(3).any(|p| {
            p.text == g.text
                && if vertical {
                    (p.y0 - g.y0).abs() < 0.25 * (g.y1 - g.y0)
                        && (p.cx() - g.cx()).abs() < 0.3 * g.size
                } else {
                    (p.x0 - g.x0).abs() < 0.25 * (g.x1 - g.x0)
                        && (p.cy() - g.cy()).abs() < 0.3 * g.size
                }
        });
        if !twice {
            out.push(g);
        }
    }
    out
}

/// Vertical glyphs grouped into columns (each sorted top to bottom), right to left.
pub fn group_columns<'a>(glyphs: &[&'a Glyph]) -> Vec<Vec<&'a Glyph>> {
    let mut sorted: Vec<&Glyph> = glyphs.to_vec();
    sorted.sort_by(|a, b| b.cx().total_cmp(&a.cx()).then(a.y0.total_cmp(&b.y0)));
    let mut cols: Vec<(f32, f32, Vec<&Glyph>)> = Vec::new();
    for g in sorted {
        let w = (g.x1 - g.x0).max(0.5);
        match cols.last_mut() {
            Some((cx, cw, col)) if (g.cx() - *cx).abs() < 0.4 * cw.max(w) => {
                let n = col.len() as f32;
                *cx = (*cx * n + g.cx()) / (n + 1.0);
                *cw = cw.max(w);
                col.push(g);
            }
            _ => cols.push((g.cx(), w, vec![g])),
        }
    }
    cols.into_iter()
        .map(|(_, _, mut col)| {
            col.sort_by(|a, b| a.y0.total_cmp(&b.y0));
            dedupe(col, true)
        })
        .collect()
}

/// The text of a row (or column) of glyphs: glyph texts in order; a space only where the file
/// draws one, or between two Latin words or numbers set apart by a visible gap.
pub fn row_text(glyphs: &[&Glyph], vertical: bool) -> String {
    let mut s = String::new();
    let mut prev: Option<&Glyph> = None;
    for g in glyphs {
        if let Some(p) = prev {
            let gap = if vertical { g.y0 - p.y1 } else { g.x0 - p.x1 };
            let a = p.text.chars().next_back();
            let b = g.text.chars().next();
            if gap > 0.2 * p.size.max(g.size)
                && a.is_some_and(is_word_char)
                && b.is_some_and(is_word_char)
            {
                s.push(' ');
            }
        }
        s.push_str(&g.text);
        prev = Some(g);
    }
    s
}

fn make_line(page: usize, glyphs: &[&Glyph], vertical: bool) -> Line {
    let mut l = Line {
        page,
        text: row_text(glyphs, vertical),
        x0: f32::MAX,
        y0: f32::MAX,
        x1: f32::MIN,
        y1: f32::MIN,
        size: 0.0,
    };
    for g in glyphs {
        l.x0 = l.x0.min(g.x0);
        l.y0 = l.y0.min(g.y0);
        l.x1 = l.x1.max(g.x1);
        l.y1 = l.y1.max(g.y1);
        if !g.text.trim().is_empty() {
            l.size = l.size.max(g.size);
        }
    }
    l
}

/// Drops the page-number folio: a first or last line of the page that is only a number,
/// set between dashes or in the top or bottom margin.
fn drop_folios(items: &mut Vec<Item>, height: f32) {
    let is_folio = |item: &Item| match item {
        Item::Line(l) => folio_number(&l.text)
            .is_some_and(|(_, dashed)| dashed || l.y0 > 0.85 * height || l.y1 < 0.1 * height),
        Item::Table(_) => false,
    };
    if items.last().is_some_and(is_folio) {
        items.pop();
    }
    if items.first().is_some_and(is_folio) {
        items.remove(0);
    }
}

/// Turns the item sequence into blocks: lines into paragraphs, regions into grids.
fn blocks(items: Vec<Item>, pages: &[PageContent]) -> Vec<SourceBlock> {
    let metrics = Metrics::of(&items, pages);
    let mut out: Vec<SourceBlock> = Vec::new();
    let mut para: Option<(String, SourcePos, Line)> = None;
    let flush = |para: &mut Option<(String, SourcePos, Line)>, out: &mut Vec<SourceBlock>| {
        if let Some((text, pos, _)) = para.take() {
            let text = text.trim().to_string();
            if !text.is_empty() {
                out.push(SourceBlock::Text(TextBlock {
                    text,
                    heading_level: None,
                    pos,
                }));
            }
        }
    };
    for item in items {
        match item {
            Item::Table(region) => {
                flush(&mut para, &mut out);
                out.push(SourceBlock::Table(region.into_grid()));
            }
            Item::Line(line) => {
                let continues = para
                    .as_ref()
                    .is_some_and(|(_, _, prev)| metrics.continues(prev, &line));
                if !continues {
                    flush(&mut para, &mut out);
                }
                match &mut para {
                    Some((text, _, prev)) => {
                        join_line(text, &line.text);
                        *prev = line;
                    }
                    None => {
                        let pos = SourcePos::Page {
                            page: line.page + 1,
                            x: line.x0,
                            y: line.y0,
                        };
                        let mut text = String::new();
                        join_line(&mut text, &line.text);
                        para = Some((text, pos, line));
                    }
                }
            }
        }
    }
    flush(&mut para, &mut out);
    out
}

/// The body's measure: where full lines start and end.
struct Metrics {
    left: f32,
    right: f32,
    /// The usual distance from one line's top to the next line's top, when lines have one.
    pitch: Option<f32>,
}

impl Metrics {
    fn of(items: &[Item], pages: &[PageContent]) -> Metrics {
        let mut lefts: Vec<f32> = Vec::new();
        let mut rights: Vec<f32> = Vec::new();
        for item in items {
            if let Item::Line(l) = item {
                lefts.push(l.x0);
                rights.push(l.x1);
            }
        }
        let width = pages.first().map_or(595.0, |p| p.width);
        if lefts.is_empty() {
            return Metrics {
                left: 0.0,
                right: width,
                pitch: None,
            };
        }
        lefts.sort_by(f32::total_cmp);
        rights.sort_by(f32::total_cmp);
        // The left edge most lines share (the 20th percentile is above indented starts), the
        // right edge most full lines reach.
        let left = lefts[lefts.len() / 5];
        let right = rights[rights.len() * 4 / 5];
        let mut pitches: Vec<f32> = Vec::new();
        let mut prev: Option<&Line> = None;
        for item in items {
            match item {
                Item::Line(l) => {
                    if let Some(p) = prev {
                        let d = l.y0 - p.y0;
                        if p.page == l.page
                            && (p.size - l.size).abs() < 0.5
                            && d > 0.8 * l.size
                            && d < 4.0 * l.size
                        {
                            pitches.push(d);
                        }
                    }
                    prev = Some(l);
                }
                Item::Table(_) => prev = None,
            }
        }
        pitches.sort_by(f32::total_cmp);
        let pitch = pitches.get(pitches.len() / 2).copied();
        Metrics { left, right, pitch }
    }

    /// Whether `line` continues the paragraph whose last line is `prev`.
    fn continues(&self, prev: &Line, line: &Line) -> bool {
        let size = prev.size.max(line.size).max(1.0);
        if (prev.size - line.size).abs() > 0.15 * size {
            return false;
        }
        let centred = |l: &Line| {
            l.x0 > self.left + 1.5 * l.size
                && l.x1 < self.right - 1.5 * l.size
                && ((l.x0 - self.left) - (self.right - l.x1)).abs() < 2.0 * l.size
        };
        if centred(prev) && centred(line) && line.page == prev.page {
            // A title set on two centred lines.
            return line.y0 - prev.y1 < 1.2 * size;
        }
        if line.x0 > self.left + 0.9 * size {
            return false; // an indented first line
        }
        if prev.x1 < self.right - 1.5 * size {
            return false; // the previous line ended short
        }
        if line.page == prev.page {
            let limit = self.pitch.map_or(2.5 * size, |p| 1.35 * p);
            if line.y0 - prev.y0 > limit {
                return false;
            }
        }
        true
    }
}
