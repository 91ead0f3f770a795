//! Tagged PDFs (nianbao's own, and any other with a usable structure tree): the tag tree says
//! what is a heading, a paragraph and a table, and tables carry their rows and cells with
//! `RowSpan`/`ColSpan`, so nothing has to be guessed from positions. Text comes from the marked
//! content each structure element points at (`/MCID`), or its `/ActualText`.
//!
//! The tree is used only when it is complete and consistent: every table rectangular once
//! spans are expanded, and its text covering nearly all the text drawn outside artifacts.
//! Otherwise the caller falls back to rebuilding the layout from positions.

use super::extract::{Glyph, PageContent};
use super::text::{decode_text_string, join_line};
use crate::import::source::{Grid, GridCell, SourceBlock, SourcePos, TextBlock};
use hayro_interpret::hayro_syntax::object::{Dict, Name, Object, ObjectIdentifier};
use hayro_interpret::hayro_syntax::Pdf;
use std::collections::{HashMap, HashSet};

/// Deepest structure tree walked (deeper trees are hostile or broken).
const MAX_DEPTH: usize = 64;
/// Most structure elements visited.
const MAX_ELEMENTS: usize = 200_000;
/// Share of the drawn (non-artifact) characters the tag tree must account for.
const MIN_COVERAGE: f64 = 0.9;
/// Largest row or column span accepted.
const MAX_SPAN: usize = 1000;

/// The text of one marked-content sequence, with where it starts.
struct Marked {
    lines: Vec<String>,
    pos: SourcePos,
}

/// Reads the document from its tag tree, or `None` when there is no usable tree.
pub fn read(pdf: &Pdf, pages: &[PageContent]) -> Option<Vec<SourceBlock>> {
    let xref = pdf.xref();
    let catalog = xref.get::<Dict<'_>>(xref.root_id())?;
    let root = catalog.get::<Dict<'_>>(b"StructTreeRoot")?;
    let page_index: HashMap<ObjectIdentifier, usize> = pdf
        .pages()
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.raw().obj_id().map(|id| (id, i)))
        .collect();
    let mut walker = Walker {
        role_map: root.get::<Dict<'_>>(b"RoleMap"),
        page_index,
        marked: marked_content(pages),
        visited: HashSet::new(),
        elements: 0,
        used_chars: 0,
        broken: false,
        blocks: Vec::new(),
    };
    walker.kids(&root, None, 0);
    if walker.broken || walker.blocks.is_empty() {
        return None;
    }
    let drawn: usize = pages
        .iter()
        .flat_map(|p| p.glyphs.iter())
        .filter(|g| !g.artifact)
        .map(|g| g.text.chars().filter(|c| !c.is_whitespace()).count())
        .sum();
    if (walker.used_chars as f64) < MIN_COVERAGE * drawn as f64 {
        return None;
    }
    Some(walker.blocks)
}

/// Groups the glyphs of every page by marked-content id, in drawing order, split into lines.
fn marked_content(pages: &[PageContent]) -> HashMap<(usize, i64), Marked> {
    let mut out: HashMap<(usize, i64), Marked> = HashMap::new();
    for (pi, page) in pages.iter().enumerate() {
        let mut last: HashMap<i64, &Glyph> = HashMap::new();
        for g in &page.glyphs {
            let Some(mcid) = g.mcid.filter(|_| !g.artifact) else {
                continue;
            };
            let m = out.entry((pi, mcid)).or_insert_with(|| Marked {
                lines: vec![String::new()],
                pos: SourcePos::Page {
                    page: pi + 1,
                    x: g.x0,
                    y: g.y0,
                },
            });
            if let Some(prev) = last.get(&mcid) {
                if new_line(prev, g) {
                    m.lines.push(String::new());
                }
            }
            if let Some(line) = m.lines.last_mut() {
                line.push_str(&g.text);
            }
            last.insert(mcid, g);
        }
    }
    out
}

/// Whether `next` starts a new line after `prev` (drawn in reading order).
fn new_line(prev: &Glyph, next: &Glyph) -> bool {
    if next.vertical {
        next.x1 < prev.x0 - 0.2 * prev.size || next.y0 < prev.y0 - 0.5 * prev.size
    } else {
        let h = (prev.y1 - prev.y0).max(1.0);
        (next.cy() - prev.cy()).abs() > 0.5 * h || next.x0 < prev.x0 - 0.5 * prev.size
    }
}

struct Walker<'a> {
    role_map: Option<Dict<'a>>,
    page_index: HashMap<ObjectIdentifier, usize>,
    marked: HashMap<(usize, i64), Marked>,
    visited: HashSet<ObjectIdentifier>,
    elements: usize,
    used_chars: usize,
    broken: bool,
    blocks: Vec<SourceBlock>,
}

/// A piece of content inside a structure element.
enum Piece {
    Text(Vec<String>, SourcePos),
}

impl<'a> Walker<'a> {
    /// The standard structure type of an element, following the role map.
    fn role(&self, elem: &Dict<'a>) -> String {
        let mut name = elem
            .get::<Name<'_>>(b"S")
            .map(|n| n.as_str().to_string())
            .unwrap_or_default();
        for _ in 0..8 {
            if is_standard(&name) {
                break;
            }
            match self
                .role_map
                .as_ref()
                .and_then(|m| m.get::<Name<'_>>(name.as_bytes()))
            {
                Some(n) => name = n.as_str().to_string(),
                None => break,
            }
        }
        name
    }

    fn page_of(&self, elem: &Dict<'a>, inherited: Option<usize>) -> Option<usize> {
        elem.get_ref(b"Pg")
            .and_then(|r| self.page_index.get(&ObjectIdentifier::from(r)).copied())
            .or(inherited)
    }

    /// Guards against cycles and hostile sizes; false when the element must be skipped.
    fn enter(&mut self, elem: &Dict<'a>, depth: usize) -> bool {
        self.elements += 1;
        if depth > MAX_DEPTH || self.elements > MAX_ELEMENTS {
            self.broken = true;
            return false;
        }
        if let Some(id) = elem.obj_id() {
            if !self.visited.insert(id) {
                return false;
            }
        }
        true
    }

    /// Walks the kids of a grouping element, emitting blocks.
    fn kids(&mut self, elem: &Dict<'a>, page: Option<usize>, depth: usize) {
        let page = self.page_of(elem, page);
        for kid in kids_of(elem) {
            match kid {
                Object::Dict(d) if is_struct_elem(&d) => self.element(&d, page, depth + 1),
                other => {
                    // Content directly in a grouping element: a paragraph of its own.
                    let mut pieces = Vec::new();
                    self.content(&other, page, &mut pieces);
                    for Piece::Text(lines, pos) in pieces {
                        self.push_text(lines, None, pos);
                    }
                }
            }
        }
    }

    fn element(&mut self, elem: &Dict<'a>, page: Option<usize>, depth: usize) {
        if !self.enter(elem, depth) {
            return;
        }
        let role = self.role(elem);
        match role.as_str() {
            "Table" => {
                let page = self.page_of(elem, page);
                if let Some(grid) = self.table(elem, page, depth) {
                    self.blocks.push(SourceBlock::Table(grid));
                }
            }
            "Artifact" => {}
            r if is_text_role(r) => {
                let page = self.page_of(elem, page);
                let (lines, pos) = self.text_of(elem, page, depth);
                self.push_text(lines, heading_level(r), pos);
            }
            _ => self.kids(elem, page, depth),
        }
    }

    fn push_text(&mut self, lines: Vec<String>, level: Option<u8>, pos: SourcePos) {
        let mut text = String::new();
        for l in &lines {
            join_line(&mut text, l);
        }
        let text = text.trim().to_string();
        if text.is_empty() {
            return;
        }
        self.blocks.push(SourceBlock::Text(TextBlock {
            text,
            heading_level: level,
            pos,
        }));
    }

    /// All the text lines under an element (its `/ActualText` when it has one).
    fn text_of(
        &mut self,
        elem: &Dict<'a>,
        page: Option<usize>,
        depth: usize,
    ) -> (Vec<String>, SourcePos) {
        let mut pieces = Vec::new();
        self.collect(elem, page, depth, &mut pieces);
        let mut lines = Vec::new();
        let mut pos = None;
        for Piece::Text(l, p) in pieces {
            pos.get_or_insert(p);
            lines.extend(l);
        }
        if let Some(actual) =
            elem.get::<hayro_interpret::hayro_syntax::object::String<'_>>(b"ActualText")
        {
            let t = decode_text_string(actual.as_bytes());
            lines = vec![t];
        }
        (lines, pos.unwrap_or_default())
    }

    fn collect(
        &mut self,
        elem: &Dict<'a>,
        page: Option<usize>,
        depth: usize,
        out: &mut Vec<Piece>,
    ) {
        let page = self.page_of(elem, page);
        for kid in kids_of(elem) {
            match kid {
                Object::Dict(d) if is_struct_elem(&d) => {
                    if !self.enter(&d, depth + 1) {
                        continue;
                    }
                    if let Some(actual) =
                        d.get::<hayro_interpret::hayro_syntax::object::String<'_>>(b"ActualText")
                    {
                        let mut skipped = Vec::new();
                        self.collect(&d, page, depth + 1, &mut skipped);
                        let pos = skipped
                            .into_iter()
                            .map(|Piece::Text(_, p)| p)
                            .next()
                            .unwrap_or_default();
                        let t = decode_text_string(actual.as_bytes());
                        self.used_chars += t.chars().filter(|c| !c.is_whitespace()).count();
                        out.push(Piece::Text(vec![t], pos));
                    } else {
                        self.collect(&d, page, depth + 1, out);
                    }
                }
                other => self.content(&other, page, out),
            }
        }
    }

    /// Marked content referenced by an MCID integer or an MCR dictionary.
    fn content(&mut self, obj: &Object<'a>, page: Option<usize>, out: &mut Vec<Piece>) {
        let (page, mcid) = match obj {
            Object::Number(n) => (page, n.as_i64()),
            Object::Dict(d)
                if d.get::<Name<'_>>(b"Type")
                    .is_some_and(|t| t.as_str() == "MCR") =>
            {
                let Some(mcid) = d.get::<i64>(b"MCID") else {
                    return;
                };
                (self.page_of(d, page), mcid)
            }
            _ => return,
        };
        let Some(page) = page else {
            return;
        };
        if let Some(m) = self.marked.remove(&(page, mcid)) {
            self.used_chars += m
                .lines
                .iter()
                .flat_map(|l| l.chars())
                .filter(|c| !c.is_whitespace())
                .count();
            out.push(Piece::Text(m.lines, m.pos));
        }
    }

    /// A `Table` element as a grid, or `None` (and the tree marked broken) when its rows do
    /// not make a rectangle.
    fn table(&mut self, elem: &Dict<'a>, page: Option<usize>, depth: usize) -> Option<Grid> {
        let mut rows: Vec<(Dict<'a>, Option<usize>)> = Vec::new();
        self.rows(elem, page, depth, &mut rows);
        // occupancy[r][c] = Some(cell) once placed
        let mut grid: Vec<Vec<Option<GridCell>>> = Vec::new();
        let mut pos = None;
        for (r, (tr, tr_page)) in rows.iter().enumerate() {
            if grid.len() <= r {
                grid.push(Vec::new());
            }
            let mut c = 0;
            for kid in kids_of(tr) {
                let Object::Dict(cell) = kid else { continue };
                if !is_struct_elem(&cell) || !self.enter(&cell, depth + 3) {
                    continue;
                }
                let role = self.role(&cell);
                if role != "TD" && role != "TH" {
                    continue;
                }
                let (rs, cs) = spans(&cell);
                let cell_page = self.page_of(&cell, *tr_page);
                let (lines, cpos) = self.text_of(&cell, cell_page, depth + 3);
                pos.get_or_insert(cpos.clone());
                while grid[r].get(c).is_some_and(|s| s.is_some()) {
                    c += 1;
                }
                // The lines of a cell are one text wrapped to the cell's width.
                let mut text = String::new();
                for l in &lines {
                    join_line(&mut text, l.trim());
                }
                for dr in 0..rs {
                    while grid.len() <= r + dr {
                        grid.push(Vec::new());
                    }
                    for dc in 0..cs {
                        let row = &mut grid[r + dr];
                        if row.len() <= c + dc {
                            row.resize(c + dc + 1, None);
                        }
                        if row[c + dc].is_some() {
                            self.broken = true;
                            return None;
                        }
                        row[c + dc] = Some(GridCell {
                            text: text.clone(),
                            origin: (r, c),
                            span: (rs, cs),
                            pos: cpos.clone(),
                        });
                    }
                }
                c += cs;
            }
        }
        let width = grid.iter().map(Vec::len).max().unwrap_or(0);
        let mut out = Vec::with_capacity(grid.len());
        for row in grid {
            if row.len() != width || row.iter().any(Option::is_none) {
                self.broken = true;
                return None;
            }
            out.push(row.into_iter().flatten().collect());
        }
        if out.is_empty() {
            return None;
        }
        Some(Grid {
            rows: out,
            pos: pos.unwrap_or_default(),
        })
    }

    /// The `TR` elements of a table, through `THead`/`TBody`/`TFoot`.
    fn rows(
        &mut self,
        elem: &Dict<'a>,
        page: Option<usize>,
        depth: usize,
        out: &mut Vec<(Dict<'a>, Option<usize>)>,
    ) {
        let page = self.page_of(elem, page);
        for kid in kids_of(elem) {
            let Object::Dict(d) = kid else { continue };
            if !is_struct_elem(&d) || !self.enter(&d, depth + 1) {
                continue;
            }
            match self.role(&d).as_str() {
                "TR" => {
                    let p = self.page_of(&d, page);
                    out.push((d, p));
                }
                "THead" | "TBody" | "TFoot" => self.rows(&d, page, depth + 1, out),
                _ => {}
            }
        }
    }
}

/// The kids of a structure element (or of the tree root) as objects: a single kid or an array.
fn kids_of<'a>(elem: &Dict<'a>) -> Vec<Object<'a>> {
    match elem.get::<Object<'a>>(b"K") {
        Some(Object::Array(a)) => a.iter::<Object<'a>>().collect(),
        Some(other) => vec![other],
        None => Vec::new(),
    }
}

fn is_struct_elem(d: &Dict<'_>) -> bool {
    d.contains_key(b"S")
}

/// `RowSpan` and `ColSpan` from the element's attribute objects (a dictionary or an array of
/// them, possibly with revision numbers).
fn spans(cell: &Dict<'_>) -> (usize, usize) {
    let mut rs = 1;
    let mut cs = 1;
    let mut read = |d: &Dict<'_>| {
        if let Some(v) = d.get::<i64>(b"RowSpan") {
            rs = v.clamp(1, MAX_SPAN as i64) as usize;
        }
        if let Some(v) = d.get::<i64>(b"ColSpan") {
            cs = v.clamp(1, MAX_SPAN as i64) as usize;
        }
    };
    match cell.get::<Object<'_>>(b"A") {
        Some(Object::Dict(d)) => read(&d),
        Some(Object::Array(a)) => {
            for o in a.iter::<Object<'_>>() {
                if let Object::Dict(d) = o {
                    read(&d);
                }
            }
        }
        _ => {}
    }
    (rs, cs)
}

fn is_standard(name: &str) -> bool {
    matches!(
        name,
        "Document"
            | "Part"
            | "Art"
            | "Sect"
            | "Div"
            | "BlockQuote"
            | "Caption"
            | "TOC"
            | "TOCI"
            | "Index"
            | "NonStruct"
            | "Private"
            | "P"
            | "H"
            | "H1"
            | "H2"
            | "H3"
            | "H4"
            | "H5"
            | "H6"
            | "L"
            | "LI"
            | "Lbl"
            | "LBody"
            | "Table"
            | "TR"
            | "TH"
            | "TD"
            | "THead"
            | "TBody"
            | "TFoot"
            | "Span"
            | "Quote"
            | "Note"
            | "Reference"
            | "BibEntry"
            | "Code"
            | "Link"
            | "Annot"
            | "Ruby"
            | "Warichu"
            | "Figure"
            | "Formula"
            | "Form"
            | "Artifact"
            | "Title"
    )
}

/// Elements whose whole content is one block of text.
fn is_text_role(role: &str) -> bool {
    matches!(
        role,
        "P" | "H" | "H1" | "H2" | "H3" | "H4" | "H5" | "H6" | "Caption" | "LI" | "Title" | "TOCI"
    )
}

/// The heading hint of a text element: the title and `一、` headings (H1, H2 in nianbao's
/// PDFs) are level 1, `（一）` headings (H3) and below level 2.
fn heading_level(role: &str) -> Option<u8> {
    match role {
        "H1" | "H2" | "Title" => Some(1),
        "H" | "H3" | "H4" | "H5" | "H6" => Some(2),
        _ => None,
    }
}
