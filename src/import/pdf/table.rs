//! Tables from ruling lines. The borders a table is drawn with (stroked lines, or thin filled
//! rectangles as WPS and Word draw them) are merged into segments; connected segments make a
//! table region; the distinct x of its vertical rules and y of its horizontal rules make a
//! grid of slots, and two neighbouring slots belong to one merged cell where no rule separates
//! them. A table continued on the next page is stitched below its first piece (a header row
//! repeated on the new page is dropped), and at the seam the empty label cells of the first
//! continued row join the group label above them (table 三 broken inside （四）).

use super::extract::{Glyph, PageContent, Rule};
use super::layout::{group_columns, group_rows, row_text};
use crate::import::source::{Grid, GridCell, SourcePos};
use std::collections::HashMap;

/// Rules whose fixed coordinate differs by less than this (points) are one line.
const AT_TOL: f32 = 2.0;
/// Collinear segments with a gap up to this are one rule.
const JOIN_GAP: f32 = 2.5;
/// How far a rule may fall short of the rule it meets.
const TOUCH: f32 = 2.5;
/// Most rule pairs examined on a page.
const MAX_PAIRS: usize = 4_000_000;
/// Most rows or columns of one table.
const MAX_SLOTS: usize = 200_000;

/// A ruled table region, possibly stitched from pieces on several pages. Coordinates are those
/// of its first page, extended downwards by the pieces stitched below.
#[derive(Debug, Clone)]
pub struct Region {
    /// 0-based page of the first piece.
    pub page: usize,
    /// 0-based page of the last piece.
    pub page_end: usize,
    /// Left edge.
    pub x0: f32,
    /// Top edge.
    pub y0: f32,
    /// Right edge.
    pub x1: f32,
    /// Bottom edge.
    pub y1: f32,
    h: Vec<Rule>,
    v: Vec<Rule>,
    glyphs: Vec<Placed>,
    /// Where a piece from a later page was joined: (y, page below, offset added to its y).
    seams: Vec<(f32, usize, f32)>,
}

/// A glyph inside a region, with the page it is on and the offset its y was moved by.
#[derive(Debug, Clone)]
struct Placed {
    glyph: Glyph,
    page: usize,
    dy: f32,
}

impl Region {
    /// Whether a point lies inside the region.
    pub fn contains(&self, x: f32, y: f32) -> bool {
        x >= self.x0 - 1.0 && x <= self.x1 + 1.0 && y >= self.y0 - 1.0 && y <= self.y1 + 1.0
    }

    /// Adds a glyph drawn inside the region.
    pub fn add_glyph(&mut self, glyph: Glyph, page: usize) {
        self.glyphs.push(Placed {
            glyph,
            page,
            dy: 0.0,
        });
    }

    /// Whether any glyph lies in the region (an empty ruled box is decoration).
    pub fn has_text(&self) -> bool {
        self.glyphs.iter().any(|p| !p.glyph.text.trim().is_empty())
    }

    /// The region as a grid of cells with spans expanded.
    pub fn into_grid(self) -> Grid {
        let lay = self.layout();
        let rows = lay.ys.len().saturating_sub(1);
        let cols = lay.xs.len().saturating_sub(1);
        let mut bounds: HashMap<usize, (usize, usize, usize, usize)> = HashMap::new();
        for r in 0..rows {
            for c in 0..cols {
                let id = lay.find(r * cols + c);
                let b = bounds.entry(id).or_insert((r, c, r, c));
                b.0 = b.0.min(r);
                b.1 = b.1.min(c);
                b.2 = b.2.max(r);
                b.3 = b.3.max(c);
            }
        }
        let mut grid = Vec::with_capacity(rows);
        for r in 0..rows {
            let mut row = Vec::with_capacity(cols);
            for c in 0..cols {
                let id = lay.find(r * cols + c);
                let (r0, c0, r1, c1) = bounds.get(&id).copied().unwrap_or((r, c, r, c));
                let pos = lay
                    .first_pos
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| self.pos_at(lay.xs[c0], lay.ys[r0]));
                row.push(GridCell {
                    text: lay.texts.get(&id).cloned().unwrap_or_default(),
                    origin: (r0, c0),
                    span: (r1 - r0 + 1, c1 - c0 + 1),
                    pos,
                });
            }
            grid.push(row);
        }
        Grid {
            rows: drop_covered_rows(grid),
            pos: self.pos_at(self.x0, self.y0),
        }
    }

    /// The source position of a point of the region (undoing the stitching offsets).
    fn pos_at(&self, x: f32, y: f32) -> SourcePos {
        let (page, dy) = self
            .seams
            .iter()
            .rev()
            .find(|(sy, _, _)| y >= *sy - 0.5)
            .map_or((self.page, 0.0), |(_, p, dy)| (*p, *dy));
        SourcePos::Page {
            page: page + 1,
            x,
            y: y - dy,
        }
    }

    /// Slots, merged cells and their texts.
    fn layout(&self) -> Layout {
        let mut xs = cluster(self.v.iter().map(|r| r.at).collect());
        let mut ys = cluster(self.h.iter().map(|r| r.at).collect());
        // Open tables (no outer vertical border): the horizontal rules' ends bound them.
        if xs.first().is_none_or(|&x| x > self.x0 + AT_TOL) {
            xs.insert(0, self.x0);
        }
        if xs.last().is_none_or(|&x| x < self.x1 - AT_TOL) {
            xs.push(self.x1);
        }
        if ys.first().is_none_or(|&y| y > self.y0 + AT_TOL) {
            ys.insert(0, self.y0);
        }
        if ys.last().is_none_or(|&y| y < self.y1 - AT_TOL) {
            ys.push(self.y1);
        }
        let rows = ys.len().saturating_sub(1);
        let mut cols = xs.len().saturating_sub(1);
        if rows.saturating_mul(cols) > MAX_SLOTS {
            // Hostile: read the region as one column.
            xs = vec![self.x0, self.x1];
            cols = 1;
        }
        let mut lay = Layout {
            parent: (0..rows * cols).collect(),
            xs,
            ys,
            texts: HashMap::new(),
            first_pos: HashMap::new(),
        };
        let v_at = |k: usize, y: f32, lay: &Layout| {
            let x = lay.xs[k];
            k == 0
                || k == lay.xs.len() - 1
                || self
                    .v
                    .iter()
                    .any(|r| (r.at - x).abs() <= AT_TOL && r.from - TOUCH <= y && y <= r.to + TOUCH)
        };
        let h_at = |k: usize, x: f32, lay: &Layout| {
            let y = lay.ys[k];
            k == 0
                || k == lay.ys.len() - 1
                || self
                    .h
                    .iter()
                    .any(|r| (r.at - y).abs() <= AT_TOL && r.from - TOUCH <= x && x <= r.to + TOUCH)
        };
        for r in 0..rows {
            let mid = (lay.ys[r] + lay.ys[r + 1]) / 2.0;
            for c in 0..cols.saturating_sub(1) {
                if !v_at(c + 1, mid, &lay) {
                    lay.union(r * cols + c, r * cols + c + 1);
                }
            }
        }
        for c in 0..cols {
            let mid = (lay.xs[c] + lay.xs[c + 1]) / 2.0;
            for r in 0..rows.saturating_sub(1) {
                if !h_at(r + 1, mid, &lay) {
                    lay.union(r * cols + c, (r + 1) * cols + c);
                }
            }
        }
        lay.flatten();
        self.fill_texts(&mut lay, rows, cols);
        // At each seam: a row the page break cut in two (its continuation holds no number
        // while the row above has some) is one row again; and the empty leading label cells
        // of the first continued row belong to the group labels above them.
        for &(seam, _, _) in &self.seams {
            let Some(s) = lay
                .ys
                .iter()
                .position(|&y| (y - seam).abs() <= AT_TOL + 0.5)
            else {
                continue;
            };
            if s == 0 || s >= rows {
                continue;
            }
            let text_at = |lay: &Layout, r: usize, c: usize| {
                lay.texts
                    .get(&lay.find(r * cols + c))
                    .cloned()
                    .unwrap_or_default()
            };
            let split_row = (0..cols).all(|c| !is_numeric(&text_at(&lay, s, c)))
                && (0..cols).any(|c| is_numeric(&text_at(&lay, s - 1, c)));
            let mut c = 0;
            while c < cols {
                let below = lay.find(s * cols + c);
                let above = lay.find((s - 1) * cols + c);
                let (b0, b1) = lay.col_range(below, s, cols);
                let (a0, a1) = lay.col_range(above, s - 1, cols);
                let below_text = lay.texts.get(&below).cloned().unwrap_or_default();
                let above_text = lay.texts.get(&above).cloned().unwrap_or_default();
                if below == above || (b0, b1) != (a0, a1) {
                    if split_row {
                        c = b1.max(c) + 1;
                        continue;
                    }
                    break;
                }
                let merged = if split_row {
                    match (above_text.trim().is_empty(), below_text.trim().is_empty()) {
                        (_, true) => above_text,
                        (true, false) => below_text,
                        (false, false) => format!("{above_text}\n{below_text}"),
                    }
                } else {
                    if !below_text.trim().is_empty()
                        || above_text.trim().is_empty()
                        || is_numeric(&above_text)
                    {
                        break;
                    }
                    above_text
                };
                lay.union(above, below);
                let root = lay.find(above);
                lay.texts.insert(root, merged);
                if let Some(p) = lay.first_pos.get(&above).cloned() {
                    lay.first_pos.insert(root, p);
                }
                c = b1 + 1;
            }
        }
        lay.flatten();
        lay
    }

    /// Cell texts from the glyphs of each merged cell.
    fn fill_texts(&self, lay: &mut Layout, rows: usize, cols: usize) {
        if rows == 0 || cols == 0 {
            return;
        }
        let mut by_cell: HashMap<usize, Vec<&Placed>> = HashMap::new();
        for p in &self.glyphs {
            let g = &p.glyph;
            let c = slot(&lay.xs, g.cx()).min(cols - 1);
            let r = slot(&lay.ys, g.cy()).min(rows - 1);
            by_cell.entry(lay.find(r * cols + c)).or_default().push(p);
        }
        for (id, placed) in by_cell {
            let glyphs: Vec<&Glyph> = placed.iter().map(|p| &p.glyph).collect();
            let text = cell_text(&glyphs);
            if let Some(first) = placed.iter().min_by(|a, b| {
                a.glyph
                    .y0
                    .total_cmp(&b.glyph.y0)
                    .then(a.glyph.x0.total_cmp(&b.glyph.x0))
            }) {
                lay.first_pos.insert(
                    id,
                    SourcePos::Page {
                        page: first.page + 1,
                        x: first.glyph.x0,
                        y: first.glyph.y0 - first.dy,
                    },
                );
            }
            lay.texts.insert(id, text);
        }
    }

    /// Texts of the first `n` rows of the grid (for matching repeated headers).
    fn row_texts(&self, n: usize) -> (Vec<Vec<String>>, Vec<f32>) {
        let lay = self.layout();
        let cols = lay.xs.len().saturating_sub(1);
        let rows = lay.ys.len().saturating_sub(1);
        let texts = (0..rows.min(n))
            .map(|r| {
                (0..cols)
                    .map(|c| {
                        let id = lay.find(r * cols + c);
                        lay.texts.get(&id).cloned().unwrap_or_default()
                    })
                    .collect()
            })
            .collect();
        (texts, lay.ys)
    }
}

/// Union-find over the slots of a region, with the merged cells' texts.
struct Layout {
    parent: Vec<usize>,
    xs: Vec<f32>,
    ys: Vec<f32>,
    texts: HashMap<usize, String>,
    first_pos: HashMap<usize, SourcePos>,
}

impl Layout {
    fn find(&self, mut i: usize) -> usize {
        while self.parent[i] != i {
            i = self.parent[i];
        }
        i
    }

    /// Points every slot at its root, so later look-ups are direct.
    fn flatten(&mut self) {
        for i in 0..self.parent.len() {
            let root = self.find(i);
            self.parent[i] = root;
        }
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = (ra.min(rb), ra.max(rb));
            self.parent[hi] = lo;
            // keep texts on the new root
            if let Some(t) = self.texts.remove(&hi) {
                self.texts.entry(lo).or_insert(t);
            }
            if let Some(p) = self.first_pos.remove(&hi) {
                self.first_pos.entry(lo).or_insert(p);
            }
        }
    }

    /// Columns the cell `id` spans in row `r`.
    fn col_range(&self, id: usize, r: usize, cols: usize) -> (usize, usize) {
        let cs: Vec<usize> = (0..cols)
            .filter(|&c| self.find(r * cols + c) == id)
            .collect();
        (
            cs.first().copied().unwrap_or(0),
            cs.last().copied().unwrap_or(0),
        )
    }
}

/// Removes rows every slot of which belongs to a cell starting higher up (a row the page
/// break made, or a sliver between two rules): the grid then has the rows the table has.
fn drop_covered_rows(grid: Vec<Vec<GridCell>>) -> Vec<Vec<GridCell>> {
    let covered: Vec<bool> = grid
        .iter()
        .enumerate()
        .map(|(r, row)| !row.is_empty() && row.iter().all(|c| c.origin.0 < r))
        .collect();
    if !covered.contains(&true) {
        return grid;
    }
    // new index of each old row (a dropped row maps to the row above it)
    let mut new_index = Vec::with_capacity(grid.len());
    let mut n = 0usize;
    for &cov in &covered {
        if cov {
            new_index.push(n.saturating_sub(1));
        } else {
            new_index.push(n);
            n += 1;
        }
    }
    grid.into_iter()
        .zip(covered.iter())
        .filter(|(_, cov)| !**cov)
        .map(|(row, _)| {
            row.into_iter()
                .map(|mut cell| {
                    let (r0, c0) = cell.origin;
                    let last = r0 + cell.span.0 - 1;
                    let kept = (r0..=last).filter(|&r| !covered[r]).count().max(1);
                    cell.origin = (new_index[r0], c0);
                    cell.span.0 = kept;
                    cell
                })
                .collect()
        })
        .collect()
}

/// Index of the slot containing `v` between sorted boundaries.
fn slot(bounds: &[f32], v: f32) -> usize {
    bounds
        .iter()
        .take_while(|&&b| b < v)
        .count()
        .saturating_sub(1)
}

/// Sorted distinct values, those closer than [`AT_TOL`] merged (their mean).
fn cluster(mut vals: Vec<f32>) -> Vec<f32> {
    vals.retain(|v| v.is_finite());
    vals.sort_by(f32::total_cmp);
    let mut out: Vec<(f32, usize)> = Vec::new();
    for v in vals {
        match out.last_mut() {
            Some((mean, n)) if v - *mean <= AT_TOL => {
                *mean = (*mean * *n as f32 + v) / (*n as f32 + 1.0);
                *n += 1;
            }
            _ => out.push((v, 1)),
        }
    }
    out.into_iter().map(|(m, _)| m).collect()
}

/// A cell's text: horizontal lines top to bottom, or vertical columns right to left, joined
/// with line breaks.
fn cell_text(glyphs: &[&Glyph]) -> String {
    let vertical = glyphs.iter().filter(|g| g.vertical).count() * 2 > glyphs.len();
    let groups = if vertical {
        group_columns(glyphs)
    } else {
        group_rows(glyphs)
    };
    let mut out = String::new();
    for line in groups.iter().map(|g| row_text(g, vertical)) {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        // A number wrapped in a narrow column ("2" / "6") is one number.
        let digits = out.ends_with(|c: char| c.is_ascii_digit())
            && line.starts_with(|c: char| c.is_ascii_digit());
        if !out.is_empty() && !digits {
            out.push('\n');
        }
        out.push_str(line);
    }
    out
}

/// Whether a cell holds a number (not a label).
fn is_numeric(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '%' | ' '))
}

/// Merges collinear overlapping segments of one orientation.
fn merge(rules: &[Rule], horizontal: bool) -> Vec<Rule> {
    let mut rs: Vec<Rule> = rules
        .iter()
        .filter(|r| r.horizontal == horizontal)
        .copied()
        .collect();
    rs.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.from.total_cmp(&b.from)));
    // group by `at`
    let mut groups: Vec<Vec<Rule>> = Vec::new();
    for r in rs {
        match groups.last_mut() {
            Some(g) if r.at - g[0].at <= AT_TOL / 2.0 => g.push(r),
            _ => groups.push(vec![r]),
        }
    }
    let mut out = Vec::new();
    for mut g in groups {
        let at = g.iter().map(|r| r.at).sum::<f32>() / g.len() as f32;
        g.sort_by(|a, b| a.from.total_cmp(&b.from));
        let mut cur: Option<Rule> = None;
        for r in g {
            match &mut cur {
                Some(c) if r.from <= c.to + JOIN_GAP => c.to = c.to.max(r.to),
                _ => {
                    if let Some(c) = cur.take() {
                        out.push(c);
                    }
                    cur = Some(Rule { at, ..r });
                }
            }
        }
        if let Some(c) = cur {
            out.push(c);
        }
    }
    out
}

/// The ruled table regions of a page.
pub fn regions(page_index: usize, page: &PageContent) -> Vec<Region> {
    let h = merge(&page.rules, true);
    let v = merge(&page.rules, false);
    if h.len() < 2 || v.len() < 2 || h.len().saturating_mul(v.len()) > MAX_PAIRS {
        return Vec::new();
    }
    let n = h.len() + v.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for (i, hr) in h.iter().enumerate() {
        for (j, vr) in v.iter().enumerate() {
            let meets = vr.at >= hr.from - TOUCH
                && vr.at <= hr.to + TOUCH
                && hr.at >= vr.from - TOUCH
                && hr.at <= vr.to + TOUCH;
            if meets {
                let (a, b) = (find(&mut parent, i), find(&mut parent, h.len() + j));
                if a != b {
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
    }
    let mut comps: HashMap<usize, (Vec<Rule>, Vec<Rule>)> = HashMap::new();
    for (i, r) in h.iter().enumerate() {
        let root = find(&mut parent, i);
        comps.entry(root).or_default().0.push(*r);
    }
    for (j, r) in v.iter().enumerate() {
        let root = find(&mut parent, h.len() + j);
        comps.entry(root).or_default().1.push(*r);
    }
    let mut out: Vec<Region> = comps
        .into_values()
        .filter(|(hs, vs)| cluster(hs.iter().map(|r| r.at).collect()).len() >= 2 && !vs.is_empty())
        .filter(|(hs, vs)| {
            // a box of rules with at least two cells, or a grid
            cluster(vs.iter().map(|r| r.at).collect()).len() >= 2
                && (hs.len() + vs.len() > 4 || hs.len() >= 2)
        })
        .map(|(hs, vs)| {
            let x0 = hs
                .iter()
                .map(|r| r.from)
                .chain(vs.iter().map(|r| r.at))
                .fold(f32::MAX, f32::min);
            let x1 = hs
                .iter()
                .map(|r| r.to)
                .chain(vs.iter().map(|r| r.at))
                .fold(f32::MIN, f32::max);
            let y0 = vs
                .iter()
                .map(|r| r.from)
                .chain(hs.iter().map(|r| r.at))
                .fold(f32::MAX, f32::min);
            let y1 = vs
                .iter()
                .map(|r| r.to)
                .chain(hs.iter().map(|r| r.at))
                .fold(f32::MIN, f32::max);
            Region {
                page: page_index,
                page_end: page_index,
                x0,
                y0,
                x1,
                y1,
                h: hs,
                v: vs,
                glyphs: Vec::new(),
                seams: Vec::new(),
            }
        })
        .filter(|r| r.x1 - r.x0 > 10.0 && r.y1 - r.y0 > 5.0)
        .collect();
    out.sort_by(|a, b| a.y0.total_cmp(&b.y0).then(a.x0.total_cmp(&b.x0)));
    out
}

/// Whether `next` (first on its page) continues `prev` (last on the page before): the same
/// left and right edges.
pub fn continues(prev: &Region, next: &Region) -> bool {
    (prev.x0 - next.x0).abs() <= 3.0 && (prev.x1 - next.x1).abs() <= 3.0
}

/// Joins `next` below `prev`, dropping header rows that `next` repeats.
pub fn stitch(prev: &mut Region, next: Region) {
    // Header rows repeated at the top of the continued piece.
    let (next_rows, next_ys) = next.row_texts(8);
    let (prev_rows, _) = prev.row_texts(next_rows.len());
    let repeated = next_rows
        .iter()
        .zip(prev_rows.iter())
        .take_while(|(a, b)| a == b && a.iter().any(|t| !t.is_empty()))
        .count();
    let cut = if repeated > 0 && repeated < next_rows.len() {
        next_ys.get(repeated).copied().unwrap_or(next.y0)
    } else {
        next.y0
    };
    let dy = prev.y1 - cut;
    let seam = prev.y1;
    for r in next.h {
        if r.at >= cut - AT_TOL {
            prev.h.push(Rule { at: r.at + dy, ..r });
        }
    }
    for r in next.v {
        if r.to > cut + AT_TOL {
            prev.v.push(Rule {
                from: r.from.max(cut) + dy,
                to: r.to + dy,
                ..r
            });
        }
    }
    for mut p in next.glyphs {
        if p.glyph.cy() < cut {
            continue;
        }
        p.glyph.y0 += dy;
        p.glyph.y1 += dy;
        p.dy += dy;
        prev.glyphs.push(p);
    }
    prev.seams.push((seam, next.page, dy));
    prev.y1 = next.y1 + dy;
    prev.page_end = next.page_end;
}
