//! Layout: the document flowed into page frames on the GB/T 9704 grid, plus the logical
//! structure (for tagging) and the outline. Nothing here knows about PDF serialization.
//!
//! * Title, headings and paragraphs sit on the fixed 22-line grid; body and headings use a
//!   28-character pitch, justified, first line indented two characters.
//! * A heading is kept with the first line (or first unbreakable table rows) that follows it.
//! * Tables are laid out from the layout model's grid (every row and column span), in a
//!   smaller type, and paginate at row boundaries only: header rows repeat on every page,
//!   `keep_with_next` rows stay with the next row, and a row-spanning label cell cut by a page
//!   break is drawn again, with its text, on the continuation page. After a table the flow
//!   snaps back to the grid.

use super::fonts::Glyphs;
use super::frame::*;
use super::linebreak;
use super::page::*;
use super::shaping::*;
use crate::layout::{Align, Block, Cell, Content, Document, Table};
use crate::style::{self, size, Alignment, TableText};
use std::collections::BTreeSet;

/// Horizontal cell padding.
pub const PAD_X: f32 = 2.5;
/// Vertical cell padding.
pub const PAD_Y: f32 = 2.5;
/// Table rule width.
pub const RULE_W: f32 = style::TABLE_RULE_PT;
/// The tallest table header that is repeated on every page: half the type area.
pub const MAX_REPEATED_HEADER: f32 = TYPE_H / 2.0;

/// A node of the logical structure.
#[derive(Debug, Clone, PartialEq)]
pub enum StructureNode {
    /// A heading (1 = title, 2 = `一、`, 3 = `（一）`).
    Heading {
        /// Level.
        level: u16,
        /// Text-line leaves.
        leaves: Vec<usize>,
    },
    /// A paragraph.
    Paragraph(Vec<usize>),
    /// A table.
    Table(Vec<StructureRow>),
}

/// A table row in the structure.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StructureRow {
    /// Cells starting in this row.
    pub cells: Vec<StructureCell>,
}

/// A table cell in the structure.
#[derive(Debug, Clone, PartialEq)]
pub struct StructureCell {
    /// TH (label) or TD.
    pub header: bool,
    /// For TH: a column header (in the header rows) rather than a row header.
    pub column_scope: bool,
    /// Row span.
    pub row_span: usize,
    /// Column span.
    pub col_span: usize,
    /// Text-line leaves.
    pub leaves: Vec<usize>,
}

/// A bookmark.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    /// Text.
    pub title: String,
    /// Page index.
    pub page: usize,
    /// Top of the heading line.
    pub y: f32,
}

/// The laid-out document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TypesetDocument {
    /// Pages.
    pub pages: Vec<PageFrame>,
    /// Logical structure in reading order.
    pub structure: Vec<StructureNode>,
    /// Level-1 bookmarks.
    pub outline: Vec<OutlineEntry>,
    /// Number of leaves (text lines owned by the structure).
    pub leaves: usize,
    /// Layout decisions the user should know about.
    pub warnings: Vec<String>,
}

struct Flow<'a> {
    fonts: &'a Glyphs<'a>,
    pages: Vec<PageFrame>,
    /// Offset from the top of the type area on the current page.
    y: f32,
    leaves: usize,
    structure: Vec<StructureNode>,
    outline: Vec<OutlineEntry>,
    warnings: Vec<String>,
}

/// Lays the document out.
pub(crate) fn typeset(doc: &Document, fonts: &Glyphs) -> TypesetDocument {
    let mut f = Flow {
        fonts,
        pages: vec![PageFrame::default()],
        y: 0.0,
        leaves: 0,
        structure: Vec::new(),
        outline: Vec::new(),
        warnings: Vec::new(),
    };
    f.title(&doc.title_lines);
    // every table measured (and its cells set) once
    let geoms: Vec<Option<TableGeom>> = doc
        .blocks
        .iter()
        .map(|b| match b {
            Block::Table(t) => Some(TableGeom::new(fonts, t)),
            _ => None,
        })
        .collect();
    for (i, b) in doc.blocks.iter().enumerate() {
        match b {
            Block::Heading {
                level,
                text,
                section,
            } => {
                let st = style::heading(*level);
                let lines = f.set_body(st, text);
                let next = doc.blocks.get(i + 1).map(|b| (b, geoms.get(i + 1)));
                let need = lines.len() + f.min_lines_after(next);
                if f.line_index() + need > LINES && f.line_index() > 0 {
                    f.new_page();
                }
                if *level <= 1 && section.is_some() {
                    f.outline.push(OutlineEntry {
                        title: text.clone(),
                        page: f.pages.len() - 1,
                        y: TOP + f.line_index() as f32 * LINE_PITCH,
                    });
                }
                let leaves = f.place_grid_lines(lines, st.size);
                f.structure.push(StructureNode::Heading {
                    level: (*level as u16).clamp(1, 5) + 1,
                    leaves,
                });
            }
            Block::Paragraph(p) => {
                let lines = f.set_body(style::BODY, p);
                let leaves = f.place_grid_lines(lines, style::BODY.size);
                f.structure.push(StructureNode::Paragraph(leaves));
            }
            Block::Marked(spans) => {
                let text: String = spans.iter().map(|s| s.text.as_str()).collect();
                // one flag per glyph set: the characters shaping keeps, line breaks excepted
                let marks: Vec<bool> = spans
                    .iter()
                    .flat_map(|s| {
                        s.text
                            .chars()
                            .filter(|&c| shaped_char(c) && c != '\n')
                            .map(move |_| s.marked)
                    })
                    .collect();
                let lines = f.set_body(style::BODY, &text);
                let mut offset = 0;
                let mut underlines = Vec::new();
                for line in &lines {
                    let n = line.len();
                    let line_marks = marks.get(offset..offset + n).unwrap_or(&[]);
                    underlines.push(marked_runs(line, line_marks));
                    offset += n;
                }
                let leaves = f.place_grid_lines(lines, style::BODY.size);
                f.underline_leaves(&leaves, &underlines);
                f.structure.push(StructureNode::Paragraph(leaves));
            }
            Block::Table(t) => {
                let Some(Some(g)) = geoms.get(i) else {
                    continue;
                };
                let rows = f.table(t, g);
                f.structure.push(StructureNode::Table(rows));
            }
        }
    }
    // folios: "— N —", 14 pt Song, 7 mm below the type area, odd right / even left, one
    // character in
    let n = f.pages.len();
    for (i, page) in f.pages.iter_mut().enumerate() {
        let text = format!("— {} —", i + 1);
        let folio = style::FOLIO;
        let shaped = shape(fonts, folio.role, &text, folio.size, None);
        let w: f32 = shaped.iter().map(|s| s.width).sum();
        let indent = style::page::FOLIO_INDENT_CHARS * folio.size;
        let x = if (i + 1) % 2 == 1 {
            LEFT + TYPE_W - indent - w
        } else {
            LEFT + indent
        };
        let glyphs = set_text(&shaped, f32::MAX / 4.0, 0.0, folio.alignment)
            .into_iter()
            .flatten()
            .collect();
        page.lines.push(TextLine {
            baseline: folio_baseline(folio.size),
            size: folio.size,
            glyphs: shift(glyphs, x),
            owner: Owner::Pagination,
        });
    }
    debug_assert_eq!(n, f.pages.len());
    TypesetDocument {
        pages: f.pages,
        structure: f.structure,
        outline: f.outline,
        leaves: f.leaves,
        warnings: f.warnings,
    }
}

impl Flow<'_> {
    fn page(&mut self) -> &mut PageFrame {
        self.pages.last_mut().expect("at least one page")
    }

    /// Puts laid-out lines and table rules (in hundredths of a point) on the current page.
    fn place(&mut self, lines: Vec<TextLine>, rules: BTreeSet<(i64, i64, i64, i64)>) {
        let page = self.page();
        page.lines.extend(lines);
        for (x1, y1, x2, y2) in rules {
            page.rules.push(Rule {
                x1: x1 as f32 / 100.0,
                y1: y1 as f32 / 100.0,
                x2: x2 as f32 / 100.0,
                y2: y2 as f32 / 100.0,
                width: RULE_W,
            });
        }
    }

    fn new_page(&mut self) {
        self.pages.push(PageFrame::default());
        self.y = 0.0;
    }

    fn leaf(&mut self) -> usize {
        self.leaves += 1;
        self.leaves - 1
    }

    /// The grid line the next grid content goes on.
    fn line_index(&self) -> usize {
        ((self.y / LINE_PITCH) - 0.01).ceil().max(0.0) as usize
    }

    /// Sets a grid block (heading or paragraph): full-width glyphs on the character pitch.
    fn set_body(&self, st: style::TextStyle, text: &str) -> Vec<Vec<PlacedGlyph>> {
        let shaped = shape(self.fonts, st.role, text, st.size, Some(CHAR_PITCH));
        set_text(&shaped, TYPE_W, st.indent_chars * CHAR_PITCH, st.alignment)
    }

    /// Grid lines the block after a heading needs on the heading's page (a table: its header
    /// and first unbreakable rows).
    fn min_lines_after(&self, next: Option<(&Block, Option<&Option<TableGeom>>)>) -> usize {
        match next {
            Some((Block::Table(t), Some(Some(g)))) => {
                let first = g.first_unbreakable(t);
                ((g.header_h + first) / LINE_PITCH).ceil() as usize
            }
            Some(_) => 1,
            None => 0,
        }
    }

    /// Underlines, on whatever page each leaf landed, the x ranges given per leaf (relative to
    /// the left edge of the type area).
    fn underline_leaves(&mut self, leaves: &[usize], ranges: &[Vec<(f32, f32)>]) {
        for page in &mut self.pages {
            let mut extra = Vec::new();
            for line in &page.lines {
                let Owner::Leaf(leaf) = line.owner else {
                    continue;
                };
                let Some(i) = leaves.iter().position(|&l| l == leaf) else {
                    continue;
                };
                for &(x1, x2) in ranges.get(i).map(Vec::as_slice).unwrap_or(&[]) {
                    extra.push(underline(line.baseline, line.size, LEFT + x1, LEFT + x2));
                }
            }
            page.rules.extend(extra);
        }
    }

    fn place_grid_lines(&mut self, lines: Vec<Vec<PlacedGlyph>>, size: f32) -> Vec<usize> {
        let mut leaves = Vec::new();
        for glyphs in lines {
            let mut li = self.line_index();
            if li >= LINES {
                self.new_page();
                li = 0;
            }
            let leaf = self.leaf();
            leaves.push(leaf);
            self.page().lines.push(TextLine {
                baseline: grid_baseline(li, size),
                size,
                glyphs: shift(glyphs, LEFT),
                owner: Owner::Leaf(leaf),
            });
            self.y = (li + 1) as f32 * LINE_PITCH;
        }
        leaves
    }

    fn title(&mut self, lines: &[String]) {
        let mut leaves = Vec::new();
        for l in lines {
            let st = style::TITLE;
            let shaped = shape(self.fonts, st.role, l, st.size, None);
            for glyphs in set_text(&shaped, TYPE_W, st.indent_chars * st.size, st.alignment) {
                leaves.extend(self.place_grid_lines(vec![glyphs], st.size));
            }
        }
        if !leaves.is_empty() {
            self.structure
                .push(StructureNode::Heading { level: 1, leaves });
            // empty lines between title and text
            self.y += style::page::LINES_AFTER_TITLE as f32 * LINE_PITCH;
        }
    }

    fn table(&mut self, t: &Table, g: &TableGeom) -> Vec<StructureRow> {
        let n = t.rows.len();
        let hdr = t.header_rows.min(n);
        let mut srows: Vec<StructureRow> = t
            .rows
            .iter()
            .enumerate()
            .map(|(ri, r)| StructureRow {
                cells: r
                    .cells
                    .iter()
                    .map(|c| StructureCell {
                        header: c.is_label,
                        column_scope: ri < hdr,
                        row_span: c.row_span.max(1),
                        col_span: c.col_span.max(1),
                        leaves: Vec::new(),
                    })
                    .collect(),
            })
            .collect();
        if n == 0 {
            return srows;
        }
        if g.repeat < hdr {
            let name = t.name.as_deref().unwrap_or(&t.title);
            self.warnings.push(format!(
                "PDF: 表格“{name}”的表头高于半页，只排一次，续页不重复 (the table's header rows take more than half a page: set once, not repeated on continuation pages)"
            ));
        }
        // tables start on a grid line
        self.y = self.line_index() as f32 * LINE_PITCH;
        if self.line_index() >= LINES {
            self.new_page();
        }
        let mut i = g.repeat;
        let mut first = true;
        loop {
            let avail = TYPE_H - self.y;
            let mut best = None;
            let mut h = g.header_h;
            for j in i + 1..=n {
                h += g.heights[j - 1];
                if h > avail + 0.01 {
                    break;
                }
                if g.can_break(t, i, j) {
                    best = Some(j);
                }
            }
            if n == g.repeat {
                best = Some(n);
            }
            // a small row group (e.g. （六）其他处理, 3 rows) moves whole to the next page rather
            // than being cut; a large one (三、本年度办理结果, 22 rows) is cut and its label repeated
            if let Some(j) = best {
                let inner = g
                    .spans
                    .iter()
                    .filter(|&&(s, e, _)| s > i && s < j && j < e)
                    .max_by_key(|&&(s, _, _)| s);
                if let Some(&(s, e, _)) = inner {
                    let group: f32 = g.heights[s..e].iter().sum();
                    if group <= TYPE_H / 3.0 && g.can_break(t, i, s) {
                        best = Some(s);
                    }
                }
            }
            let j = match best {
                Some(j) => j,
                None if self.y > 0.01 => {
                    self.new_page();
                    continue;
                }
                None => {
                    // a single row taller than a page: its lines continue on the next pages
                    let spanned = g.spans.iter().any(|&(s, e, _)| s <= i && i < e);
                    if i < n && !spanned && g.header_h + g.heights[i] > avail + 0.01 {
                        self.split_row(t, g, i, first, &mut srows);
                        first = false;
                        i += 1;
                        if i >= n {
                            break;
                        }
                        self.new_page();
                        continue;
                    }
                    (i + 1..=n).find(|&j| g.can_break(t, i, j)).unwrap_or(i + 1)
                }
            };
            self.draw_chunk(t, g, i, j, first, &mut srows);
            first = false;
            i = j;
            if i >= n {
                break;
            }
            self.new_page();
        }
        // back on the grid
        self.y = (self.line_index() as f32) * LINE_PITCH;
        srows
    }

    /// Draws row `r` (no row spans) across as many pages as its tallest cell needs, the header
    /// rows repeated on each page; ends with the flow below the row's last part.
    fn split_row(
        &mut self,
        t: &Table,
        g: &TableGeom,
        r: usize,
        first: bool,
        srows: &mut [StructureRow],
    ) {
        let cells: Vec<(f32, f32, Vec<Vec<PlacedGlyph>>)> = t.rows[r]
            .cells
            .iter()
            .enumerate()
            .map(|(ci, c)| {
                let (x, w) = g.cell_x(c.col, c.col_span);
                (x, w, g.cells[r][ci].clone())
            })
            .collect();
        let total = cells.iter().map(|c| c.2.len()).max().unwrap_or(0);
        let mut from = 0;
        let mut part = 0;
        loop {
            // header rows only (rows r..r are empty)
            self.draw_chunk(t, g, r, r, first && part == 0, srows);
            let top = TOP + self.y - 2.0;
            let avail = TOP + TYPE_H - top;
            let cap = (((avail - 2.0 * PAD_Y) / g.leading).floor() as usize).max(1);
            let take = cap.min(total.saturating_sub(from)).max(1);
            let h = take as f32 * g.leading + 2.0 * PAD_Y;
            let mut rules = BTreeSet::new();
            let mut lines = Vec::new();
            for (ci, (x, w, set)) in cells.iter().enumerate() {
                add_rect(&mut rules, (*x, top, *w, h));
                let part_lines: Vec<Vec<PlacedGlyph>> =
                    set.iter().skip(from).take(take).cloned().collect();
                let mut leaves = Vec::new();
                if part_lines.is_empty() && part == 0 {
                    let leaf = self.leaf();
                    leaves.push(leaf);
                    lines.push(TextLine {
                        baseline: top + h / 2.0,
                        size: g.size,
                        glyphs: Vec::new(),
                        owner: Owner::Leaf(leaf),
                    });
                }
                for (k, glyphs) in part_lines.into_iter().enumerate() {
                    let leaf = self.leaf();
                    leaves.push(leaf);
                    lines.push(TextLine {
                        baseline: top
                            + PAD_Y
                            + k as f32 * g.leading
                            + (g.leading - g.size) / 2.0
                            + ASCENT * g.size,
                        size: g.size,
                        glyphs: shift(glyphs, x + PAD_X),
                        owner: Owner::Leaf(leaf),
                    });
                }
                srows[r].cells[ci].leaves.extend(leaves);
            }
            self.place(lines, rules);
            from += take;
            part += 1;
            if from >= total {
                self.y = top + h - TOP + 2.0;
                break;
            }
            self.new_page();
        }
    }

    fn draw_chunk(
        &mut self,
        t: &Table,
        g: &TableGeom,
        from: usize,
        to: usize,
        first: bool,
        srows: &mut [StructureRow],
    ) {
        // the header rows drawn on every page (none when they are too tall to repeat)
        let hdr = g.repeat;
        let top = TOP + self.y;
        // row tops for header rows and rows from..to
        let mut row_top = vec![f32::NAN; t.rows.len() + 1];
        let mut y = top;
        let visible: Vec<usize> = (0..hdr).chain(from..to).collect();
        for &r in &visible {
            row_top[r] = y;
            y += g.heights[r];
        }
        let bottom = y;
        let mut rules: BTreeSet<(i64, i64, i64, i64)> = BTreeSet::new();
        let mut lines: Vec<TextLine> = Vec::new();
        // which block a row belongs to (header or chunk) decides the clipping of spans
        for &r in &visible {
            let block_end = if r < hdr { hdr } else { to };
            for (ci, cell) in t.rows[r].cells.iter().enumerate() {
                let span_end = (r + cell.row_span.max(1)).min(block_end);
                let h: f32 = (r..span_end).map(|k| g.heights[k]).sum();
                let owner_leaf = r >= hdr || first;
                let (x, w) = g.cell_x(cell.col, cell.col_span);
                let rect = (x, row_top[r], w, h);
                add_rect(&mut rules, rect);
                let mut leaves = Vec::new();
                for mut l in g.cell_lines(r, ci, rect) {
                    if cell.marked {
                        let all = vec![true; l.glyphs.len()];
                        for (x1, x2) in marked_runs(&l.glyphs, &all) {
                            let u = underline(l.baseline, l.size, x1, x2);
                            add_line(&mut rules, (u.x1, u.y1, u.x2, u.y2));
                        }
                    }
                    if owner_leaf {
                        let leaf = self.leaf();
                        leaves.push(leaf);
                        l.owner = Owner::Leaf(leaf);
                    }
                    lines.push(l);
                }
                if owner_leaf {
                    srows[r].cells[ci].leaves = leaves;
                }
            }
        }
        // continuation of row-spanning cells started on an earlier page: drawn again with
        // their text (a pagination artifact)
        for s in hdr..from {
            for (ci, cell) in t.rows[s].cells.iter().enumerate() {
                let end = s + cell.row_span.max(1);
                if end > from {
                    let span_end = end.min(to);
                    let h: f32 = (from..span_end).map(|k| g.heights[k]).sum();
                    let (x, w) = g.cell_x(cell.col, cell.col_span);
                    let rect = (x, row_top[from], w, h);
                    add_rect(&mut rules, rect);
                    lines.extend(g.cell_lines(s, ci, rect));
                }
            }
        }
        // reading order: by row top, then x (cells were pushed in row order already, the
        // continuation cells belong first on their rows)
        self.place(lines, rules);
        self.y = bottom - TOP + 2.0;
    }
}

/// The x ranges of the marked runs of a line of glyphs (one flag per glyph).
fn marked_runs(glyphs: &[PlacedGlyph], marks: &[bool]) -> Vec<(f32, f32)> {
    let mut out: Vec<(f32, f32)> = Vec::new();
    let mut open = false;
    for (g, &m) in glyphs.iter().zip(marks) {
        if !m {
            open = false;
            continue;
        }
        let end = g.x + g.advance;
        match out.last_mut() {
            Some(last) if open => last.1 = end,
            _ => out.push((g.x, end)),
        }
        open = true;
    }
    out
}

/// An underline below a line of text set at `size` on `baseline`, from `x1` to `x2`.
fn underline(baseline: f32, size: f32, x1: f32, x2: f32) -> Rule {
    let y = baseline + size * 0.15;
    Rule {
        x1,
        y1: y,
        x2,
        y2: y,
        width: (size * 0.06).max(RULE_W),
    }
}

/// A straight line into a table's set of rules (hundredths of a point).
fn add_line(rules: &mut BTreeSet<(i64, i64, i64, i64)>, (x1, y1, x2, y2): (f32, f32, f32, f32)) {
    let q = |v: f32| (v * 100.0).round() as i64;
    rules.insert((q(x1), q(y1), q(x2), q(y2)));
}

fn add_rect(rules: &mut BTreeSet<(i64, i64, i64, i64)>, (x, y, w, h): (f32, f32, f32, f32)) {
    let q = |v: f32| (v * 100.0).round() as i64;
    let (l, t, r, b) = (q(x), q(y), q(x + w), q(y + h));
    rules.insert((l, t, r, t));
    rules.insert((l, b, r, b));
    rules.insert((l, t, l, b));
    rules.insert((r, t, r, b));
}

/// Column positions, type size and row heights of one table.
pub struct TableGeom {
    /// Type size.
    pub size: f32,
    /// Line height.
    pub leading: f32,
    /// Left x of each column (and the right edge at the end).
    pub col_x: Vec<f32>,
    /// Row heights.
    pub heights: Vec<f32>,
    /// Height of the header rows.
    pub header_h: f32,
    /// How many header rows are repeated on every page: all of them, or none when they take
    /// more than half the type area (they are then laid out once, like body rows, and may
    /// break across pages).
    pub repeat: usize,
    /// (start row, end row, needed height) of every row-spanning cell.
    pub spans: Vec<(usize, usize, f32)>,
    /// Every cell's text set into lines (by row, then cell), relative to the cell's text origin.
    cells: Vec<Vec<Vec<Vec<PlacedGlyph>>>>,
}

/// A table cell's text shaped at size 1 (widths are unit advances) with its break
/// opportunities; `None` for a cell with no text.
struct Measured {
    unit: Vec<Shaped>,
    breaks: linebreak::Breaks,
}

impl Measured {
    fn of(
        fonts: &Glyphs,
        role: crate::style::FontRole,
        c: &crate::layout::Cell,
    ) -> Option<Measured> {
        let text = c.content.text().trim();
        if text.is_empty() {
            return None;
        }
        let unit = shape(fonts, role, text, 1.0, None);
        let chars: String = unit.iter().map(|s| s.ch).collect();
        let breaks = linebreak::opportunities(&chars);
        Some(Measured { unit, breaks })
    }
}

impl TableGeom {
    /// Measures a table.
    pub fn new(fonts: &Glyphs, t: &Table) -> TableGeom {
        let cols = t.columns.max(1);
        let base: Vec<f32> = if t.column_widths.len() == cols
            && t.column_widths.iter().all(|w| w.is_finite() && *w > 0.0)
        {
            t.column_widths.clone()
        } else {
            vec![1.0; cols]
        };
        // the largest size (五号, 小五, 六号) at which every column holds two characters and no
        // unbreakable word (a number, a pinyin annotation) has to be cut inside its cell
        let sizes = size::TABLE_STEPS;
        // Every cell is shaped once, at size 1, with its break opportunities: its width at a
        // size is each unit advance times the size, the product `shape` itself computes, so
        // trying three sizes (and setting the cells at the chosen one) shapes nothing again.
        let measured: Vec<Vec<Option<Measured>>> = t
            .rows
            .iter()
            .map(|row| {
                row.cells
                    .iter()
                    .map(|c| Measured::of(fonts, TableText::of(row.kind, c.is_label).role(), c))
                    .collect()
            })
            .collect();
        let mut chosen = None;
        for (k, &size) in sizes.iter().enumerate() {
            let col_x = column_positions(&base, size);
            let fits_two = cols as f32 * (2.0 * size + 2.0 * PAD_X) <= TYPE_W;
            let cells = t
                .rows
                .iter()
                .zip(&measured)
                .flat_map(|(r, m)| r.cells.iter().zip(m));
            let fits_words = cells.into_iter().all(|(c, m)| {
                let Some(m) = m else {
                    return true;
                };
                let last = col_x.len() - 1;
                let a = c.col.min(last);
                let b = (c.col + c.col_span.max(1)).min(last);
                let w = col_x[b] - col_x[a] - 2.0 * PAD_X;
                let widths = m.unit.iter().map(|s| s.width * size);
                linebreak::widest_unit(widths, &m.breaks) <= w + 0.01
            });
            if (fits_two && fits_words) || k + 1 == sizes.len() {
                chosen = Some((size, col_x));
                break;
            }
        }
        let (size, col_x) =
            chosen.unwrap_or_else(|| (size::TABLE, column_positions(&base, size::TABLE)));
        let leading = (size * 1.3).round_to(0.01);
        let min_h = leading + 2.0 * PAD_Y;
        let mut g = TableGeom {
            size,
            leading,
            col_x,
            heights: vec![min_h; t.rows.len()],
            header_h: 0.0,
            repeat: 0,
            spans: Vec::new(),
            cells: Vec::new(),
        };
        g.cells = t
            .rows
            .iter()
            .enumerate()
            .map(|(r, row)| {
                (0..row.cells.len())
                    .map(|ci| g.set_cell(t, r, ci, measured[r][ci].as_ref()))
                    .collect()
            })
            .collect();
        let mut spanning = Vec::new();
        for (r, row) in t.rows.iter().enumerate() {
            for (ci, c) in row.cells.iter().enumerate() {
                let n = g.cells[r][ci].len().max(1);
                let need = n as f32 * leading + 2.0 * PAD_Y;
                let span = c.row_span.max(1).min(t.rows.len() - r);
                if span == 1 {
                    g.heights[r] = g.heights[r].max(need);
                } else {
                    spanning.push((r, r + span, need));
                }
            }
        }
        for &(s, e, need) in &spanning {
            let have: f32 = g.heights[s..e].iter().sum();
            if have < need {
                g.heights[e - 1] += need - have;
            }
        }
        g.spans = spanning;
        let header_rows = t.header_rows.min(t.rows.len());
        let header_h: f32 = g.heights[..header_rows].iter().sum();
        if header_h <= MAX_REPEATED_HEADER {
            g.repeat = header_rows;
            g.header_h = header_h;
        }
        g
    }

    /// x and width of a cell.
    pub fn cell_x(&self, col: usize, span: usize) -> (f32, f32) {
        let last = self.col_x.len() - 1;
        let a = col.min(last);
        let b = (col + span.max(1)).min(last);
        (self.col_x[a], self.col_x[b] - self.col_x[a])
    }

    /// Sets a cell's text into lines of its column width (glyphs relative to the cell's text
    /// origin).
    fn set_cell(
        &self,
        t: &Table,
        r: usize,
        ci: usize,
        measured: Option<&Measured>,
    ) -> Vec<Vec<PlacedGlyph>> {
        let cell = &t.rows[r].cells[ci];
        let (_, w) = self.cell_x(cell.col, cell.col_span);
        let Some(m) = measured else {
            return Vec::new();
        };
        let justify = cell_alignment(cell);
        let shaped: Vec<Shaped> = m
            .unit
            .iter()
            .map(|s| Shaped {
                width: s.width * self.size,
                ..*s
            })
            .collect();
        set_text(&shaped, (w - 2.0 * PAD_X).max(self.size), 0.0, justify)
    }

    /// The text lines of a cell drawn in `rect` (x, y, w, h), vertically centred; an empty
    /// cell gives one empty line (so that its TD has content to point to).
    fn cell_lines(&self, r: usize, ci: usize, (x, y, _, h): (f32, f32, f32, f32)) -> Vec<TextLine> {
        let set = self.cells[r][ci].clone();
        let content_h = set.len() as f32 * self.leading;
        let top = y + (h - content_h) / 2.0;
        if set.is_empty() {
            return vec![TextLine {
                baseline: y + h / 2.0,
                size: self.size,
                glyphs: Vec::new(),
                owner: Owner::Pagination,
            }];
        }
        set.into_iter()
            .enumerate()
            .map(|(k, glyphs)| TextLine {
                baseline: top
                    + k as f32 * self.leading
                    + (self.leading - self.size) / 2.0
                    + ASCENT * self.size,
                size: self.size,
                glyphs: shift(glyphs, x + PAD_X),
                owner: Owner::Pagination,
            })
            .collect()
    }

    /// Whether a page may end before row `j` when the page started at body row `from`.
    pub fn can_break(&self, t: &Table, from: usize, j: usize) -> bool {
        if j >= t.rows.len() {
            return true;
        }
        if j == 0 || t.rows[j - 1].keep_with_next || j <= self.repeat {
            return false;
        }
        // a row-spanning cell cut here must keep room for its label on both sides
        self.spans.iter().all(|&(s, e, need)| {
            if s < j && j < e {
                let above: f32 = self.heights[s.max(from)..j].iter().sum();
                let below: f32 = self.heights[j..e].iter().sum();
                above + 0.01 >= need.min(self.heights[s..e].iter().sum::<f32>() / 2.0)
                    && below + 0.01 >= need.min(self.heights[s..e].iter().sum::<f32>() / 2.0)
            } else {
                true
            }
        })
    }

    /// Height of the body rows up to the first place a page may break.
    pub fn first_unbreakable(&self, t: &Table) -> f32 {
        let from = self.repeat;
        let j = (from + 1..=t.rows.len())
            .find(|&j| self.can_break(t, from, j))
            .unwrap_or(t.rows.len());
        self.heights[from..j].iter().sum()
    }
}

/// How a table cell's lines are set: numbers centred (the filing copy's tables centre every
/// figure), text as the layout aligns it.
fn cell_alignment(cell: &Cell) -> Alignment {
    match (&cell.content, cell.align) {
        (Content::Number(_), _) => Alignment::Center,
        (_, Align::Left) => Alignment::Left,
        (_, Align::Center) => Alignment::Center,
        (_, Align::Right) => Alignment::Right,
    }
}

/// Column edges for relative widths at a type size: scaled to the type area, and every column
/// raised to two characters (taking the width from the wider ones).
fn column_positions(base: &[f32], size: f32) -> Vec<f32> {
    let cols = base.len().max(1);
    let total: f32 = base.iter().sum::<f32>().max(f32::MIN_POSITIVE);
    let mut weights: Vec<f32> = base.iter().map(|w| w / total * TYPE_W).collect();
    let min_w = (2.0 * size + 2.0 * PAD_X).min(TYPE_W / cols as f32);
    for _ in 0..cols {
        let short: f32 = weights
            .iter()
            .filter(|w| **w < min_w)
            .map(|w| min_w - w)
            .sum();
        if short <= 0.01 {
            break;
        }
        let spare: f32 = weights
            .iter()
            .filter(|w| **w > min_w)
            .map(|w| w - min_w)
            .sum();
        let k = if spare > 0.0 {
            (short / spare).min(1.0)
        } else {
            0.0
        };
        for w in &mut weights {
            if *w < min_w {
                *w = min_w;
            } else {
                *w -= (*w - min_w) * k;
            }
        }
    }
    let mut col_x = vec![LEFT];
    for w in &weights {
        let last = *col_x.last().unwrap_or(&LEFT);
        col_x.push(last + w);
    }
    col_x
}

trait RoundTo {
    fn round_to(self, step: f32) -> f32;
}

impl RoundTo for f32 {
    fn round_to(self, step: f32) -> f32 {
        (self / step).round() * step
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::ExportOptions;
    use crate::pdf::fonts::FontSet;

    fn laid(example: &str) -> (Document, TypesetDocument) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(example);
        let report = crate::Report::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
        let doc = crate::layout::build(&report);
        let set = FontSet::load(&ExportOptions::default()).unwrap();
        let fonts = Glyphs::new(&set);
        let l = typeset(&doc, &fonts);
        (doc, l)
    }

    /// The cells are set from unit advances scaled to the chosen size; that must be exactly
    /// what shaping the cell's text at that size gives (the same products, so the same lines).
    #[test]
    fn table_cells_are_set_as_if_shaped_at_their_size() {
        let set = FontSet::load(&ExportOptions::default()).unwrap();
        let fonts = Glyphs::new(&set);
        let mut cells = 0;
        for ex in ["examples/potou-2023.json", "examples/demo-2019.json"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(ex);
            let report = crate::Report::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
            let doc = crate::layout::build(&report);
            for t in doc.blocks.iter().filter_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            }) {
                let g = TableGeom::new(&fonts, t);
                for (r, row) in t.rows.iter().enumerate() {
                    for (ci, cell) in row.cells.iter().enumerate() {
                        let text = cell.content.text().trim();
                        if text.is_empty() {
                            continue;
                        }
                        let role = TableText::of(row.kind, cell.is_label).role();
                        let shaped = shape(&fonts, role, text, g.size, None);
                        let (_, w) = g.cell_x(cell.col, cell.col_span);
                        let justify = cell_alignment(cell);
                        let want = set_text(&shaped, (w - 2.0 * PAD_X).max(g.size), 0.0, justify);
                        assert_eq!(g.cells[r][ci], want, "{ex}: {text}");
                        cells += 1;
                    }
                }
            }
        }
        assert!(cells > 300, "{cells}");
    }

    #[test]
    fn everything_stays_in_the_type_area_and_body_text_on_the_grid() {
        for ex in [
            "examples/potou-2023.json",
            "examples/demo-city-2024.json",
            "examples/demo-2019.json",
        ] {
            let (_, l) = laid(ex);
            assert!(l.pages.len() >= 3, "{ex}");
            for (p, page) in l.pages.iter().enumerate() {
                let mut grid_lines = 0;
                for line in &page.lines {
                    for g in &line.glyphs {
                        assert!(g.x >= LEFT - 0.01, "{ex} p{p}: {}", line.text());
                        assert!(
                            g.x + g.advance <= LEFT + TYPE_W + 0.5,
                            "{ex} p{p}: {} overruns",
                            line.text()
                        );
                    }
                    if line.owner == Owner::Pagination && line.size == size::FOLIO {
                        assert!(line.baseline > TOP + TYPE_H);
                        continue;
                    }
                    assert!(line.baseline <= TOP + TYPE_H, "{ex} p{p}: {}", line.text());
                    if line.size == size::BODY {
                        let k = (line.baseline - grid_baseline(0, size::BODY)) / LINE_PITCH;
                        assert!((k - k.round()).abs() < 0.01, "{ex} p{p}: off grid");
                        grid_lines += 1;
                    }
                }
                assert!(grid_lines <= LINES, "{ex} p{p}: {grid_lines} lines");
                for r in &page.rules {
                    assert!(
                        r.y1.max(r.y2) <= TOP + TYPE_H + 0.5,
                        "{ex} p{p}: rule {r:?}"
                    );
                    assert!(
                        r.x1.max(r.x2) <= LEFT + TYPE_W + 0.5,
                        "{ex} p{p}: rule {r:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn paragraphs_fill_28_characters_and_are_justified() {
        let (doc, l) = laid("examples/demo-city-2024.json");
        let mut full = 0;
        for node in &l.structure {
            let StructureNode::Paragraph(leaves) = node else {
                continue;
            };
            let lines: Vec<&TextLine> = l
                .pages
                .iter()
                .flat_map(|p| &p.lines)
                .filter(|t| matches!(t.owner, Owner::Leaf(i) if leaves.contains(&i)))
                .collect();
            for (i, t) in lines.iter().enumerate() {
                let first = t.glyphs.first().unwrap();
                let indent = if i == 0 { 2.0 * CHAR_PITCH } else { 0.0 };
                assert!((first.x - LEFT - indent).abs() < 0.01, "{}", t.text());
                if i + 1 < lines.len() {
                    let last = t.glyphs.last().unwrap();
                    assert!(
                        (last.x + last.advance - LEFT - TYPE_W).abs() < 0.05,
                        "not justified: {}",
                        t.text()
                    );
                    if t.text().chars().all(crate::text::is_wide) {
                        // 28 a line (26 after the indent); 禁则 may push one or two back
                        let max = if i == 0 { 26 } else { 28 };
                        let n = t.text().chars().count();
                        assert!(n <= max && n + 2 >= max, "{n}: {}", t.text());
                        full += usize::from(n == max);
                    }
                }
            }
        }
        assert!(full > 0, "some all-CJK full lines in {}", doc.title);
    }

    #[test]
    fn a_row_taller_than_a_page_continues_on_the_next_pages() {
        use crate::layout::{Cell, Row, RowKind};
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo-2019.json");
        let report = crate::Report::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut doc = crate::layout::build(&report);
        let cell = |col: usize, text: String| Cell {
            col,
            row_span: 1,
            col_span: 1,
            align: Align::Left,
            is_label: false,
            marked: false,
            content: Content::Text(text),
        };
        let row = |kind, cells| Row {
            kind,
            cells,
            keep_with_next: false,
        };
        doc.blocks.push(Block::Table(Table {
            id: "other.table1".into(),
            name: None,
            title: String::new(),
            columns: 2,
            column_widths: vec![1.0, 3.0],
            header_rows: 1,
            rows: vec![
                row(
                    RowKind::Header,
                    vec![cell(0, "项目".into()), cell(1, "说明".into())],
                ),
                row(
                    RowKind::Body,
                    vec![cell(0, "全文".into()), cell(1, "长".repeat(4000))],
                ),
                row(
                    RowKind::Body,
                    vec![cell(0, "末行".into()), cell(1, "完".into())],
                ),
            ],
            checks: Vec::new(),
        }));
        let set = FontSet::load(&ExportOptions::default()).unwrap();
        let fonts = Glyphs::new(&set);
        let l = typeset(&doc, &fonts);
        let mut chars = 0;
        let mut pages_with_header = 0;
        for page in &l.pages {
            for line in &page.lines {
                if line.size != size::FOLIO {
                    assert!(line.baseline <= TOP + TYPE_H, "{}", line.text());
                }
                chars += line.text().matches('长').count();
                pages_with_header += usize::from(line.text() == "说明");
            }
            for r in &page.rules {
                assert!(r.y1.max(r.y2) <= TOP + TYPE_H + 0.5);
            }
        }
        assert_eq!(chars, 4000, "no text lost");
        assert!(pages_with_header >= 3, "header repeated on every part");
        let StructureNode::Table(rows) = l.structure.last().unwrap() else {
            panic!("table last")
        };
        assert!(rows[1].cells[1].leaves.len() > 60);
        assert!(l
            .pages
            .iter()
            .any(|p| p.lines.iter().any(|t| t.text() == "末行")));
    }

    #[test]
    fn tables_set_column_headers_in_hei_and_labels_and_numbers_in_fangsong() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo-city-2024.json");
        let report = crate::Report::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
        let doc = crate::layout::build(&report);
        let set = FontSet::load(&ExportOptions::default()).unwrap();
        let fonts = Glyphs::new(&set);
        let l = typeset(&doc, &fonts);
        let lines: std::collections::HashMap<usize, &TextLine> = l
            .pages
            .iter()
            .flat_map(|p| &p.lines)
            .filter_map(|t| match t.owner {
                Owner::Leaf(i) => Some((i, t)),
                Owner::Pagination => None,
            })
            .collect();
        let hei = set.primary(crate::style::FontRole::Heading);
        let fang = set.primary(crate::style::FontRole::Body);
        let (mut headers, mut others) = (0, 0);
        let model = doc.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        });
        let laid = l.structure.iter().filter_map(|n| match n {
            StructureNode::Table(rows) => Some(rows),
            _ => None,
        });
        for (t, rows) in model.zip(laid) {
            for (row, srow) in t.rows.iter().zip(rows) {
                let header = row.kind != crate::layout::RowKind::Body;
                let want = if header { hei } else { fang };
                for c in &srow.cells {
                    for g in c.leaves.iter().flat_map(|i| &lines[i].glyphs) {
                        // FandolFang lacks a few symbols, which come from the fallback chain
                        if crate::text::is_han(g.text) || g.text.is_ascii_digit() {
                            assert_eq!(g.face, want, "{} in a {:?} row", g.text, row.kind);
                            *(if header { &mut headers } else { &mut others }) += 1;
                        }
                    }
                }
            }
        }
        assert!(headers > 50 && others > 200, "{headers} {others}");
    }

    #[test]
    fn every_leaf_has_exactly_one_place_in_the_structure() {
        let (doc, l) = laid("examples/demo-city-2024.json");
        let mut seen = vec![0; l.leaves];
        let mut count = |v: &[usize]| v.iter().for_each(|&i| seen[i] += 1);
        for n in &l.structure {
            match n {
                StructureNode::Heading { leaves, .. } | StructureNode::Paragraph(leaves) => {
                    count(leaves)
                }
                StructureNode::Table(rows) => rows
                    .iter()
                    .flat_map(|r| &r.cells)
                    .for_each(|c| count(&c.leaves)),
            }
        }
        assert!(seen.iter().all(|&n| n == 1), "{seen:?}");
        let tables = doc
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::Table(_)))
            .count();
        let snodes = l
            .structure
            .iter()
            .filter(|n| matches!(n, StructureNode::Table(_)))
            .count();
        assert_eq!(tables, snodes);
        assert_eq!(l.outline.len(), 6);
    }
}
