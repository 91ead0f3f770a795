//! The positioned frames that layout produces and the writer draws: text lines made of placed
//! glyphs, and rules. Coordinates are PDF points with the origin at the top-left of the page
//! and y growing downwards (krilla's convention; the page itself is in [`super::page`]).

use super::fonts::FaceId;

/// Who a text line belongs to in the logical structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    /// A leaf of the structure tree (index into the leaves).
    Leaf(usize),
    /// Pagination artifact (page number, repeated table header or label).
    Pagination,
}

/// A glyph at its position.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PlacedGlyph {
    /// Face.
    pub face: FaceId,
    /// Glyph id.
    pub gid: u16,
    /// Left edge (absolute x).
    pub x: f32,
    /// Advance as drawn.
    pub advance: f32,
    /// The character(s) it stands for.
    pub text: char,
}

/// A line of text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TextLine {
    /// Baseline y.
    pub baseline: f32,
    /// Font size.
    pub size: f32,
    /// Glyphs left to right (may be empty: an empty table cell).
    pub glyphs: Vec<PlacedGlyph>,
    /// Structure owner.
    pub owner: Owner,
}

impl TextLine {
    /// The text of the line.
    pub(crate) fn text(&self) -> String {
        self.glyphs.iter().map(|g| g.text).collect()
    }
}

/// A straight rule (table lines).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rule {
    /// Start x.
    pub x1: f32,
    /// Start y.
    pub y1: f32,
    /// End x.
    pub x2: f32,
    /// End y.
    pub y2: f32,
    /// Line width.
    pub width: f32,
}

/// One laid-out page.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct PageFrame {
    /// Text lines in reading order.
    pub lines: Vec<TextLine>,
    /// Rules.
    pub rules: Vec<Rule>,
}
