//! The intermediate form every importer reduces its source to: a flat sequence of text blocks
//! and tables, each with its position in the source. Tables are grids of cells with the spans
//! expanded (a cell spanning 3 columns occupies 3 slots, each naming the span's origin), so one
//! matcher can read the statutory tables from any source by their row and column labels.
//! Readers (HTML, text, PDF, DOCX, XLSX) produce this; the matcher and the section assembler
//! consume it. This module holds data only.

use std::fmt;

/// Where something was found in the source, for the import log.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum SourcePos {
    /// A line of a text file (1-based).
    Line(usize),
    /// An element of an HTML or XML document, as a path such as `body/div[2]/table[1]/tr[4]/td[3]`.
    Element(String),
    /// A point on a PDF page (1-based page; PDF user-space coordinates of the text's origin).
    Page {
        /// Page number, 1-based.
        page: usize,
        /// x in points from the left edge.
        x: f32,
        /// y in points from the top edge.
        y: f32,
    },
    /// A paragraph of a word-processing document (1-based, in body order).
    Paragraph(usize),
    /// A spreadsheet cell such as `表三!D12`.
    Cell(String),
    /// Nowhere in particular (metadata given on the command line, say).
    #[default]
    Unknown,
}

impl fmt::Display for SourcePos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourcePos::Line(n) => write!(f, "第{n}行 (line {n})"),
            SourcePos::Element(p) => write!(f, "{p}"),
            SourcePos::Page { page, x, y } => write!(f, "第{page}页 ({x:.0}, {y:.0})"),
            SourcePos::Paragraph(n) => write!(f, "第{n}段 (paragraph {n})"),
            SourcePos::Cell(c) => write!(f, "{c}"),
            SourcePos::Unknown => Ok(()),
        }
    }
}

/// A whole source reduced to blocks in reading order, plus what the source says about itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceDoc {
    /// Metadata found outside the body (HTML `<title>`/`<meta>`, PDF info, DOCX core properties).
    pub meta: SourceMeta,
    /// Blocks in reading order.
    pub blocks: Vec<SourceBlock>,
}

/// Metadata a source carries about itself. Every field is raw text as found; interpretation
/// (dates, agency names) is the assembler's job.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceMeta {
    /// Document title (HTML `<title>`, PDF /Title, DOCX dc:title).
    pub title: Option<String>,
    /// Publication date text (`<meta name="PubDate">`, `发布日期：2024-01-17`, ...).
    pub published: Option<String>,
    /// Author or publishing agency, where the source names one.
    pub author: Option<String>,
}

/// One block of the source.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceBlock {
    /// A line or paragraph of text.
    Text(TextBlock),
    /// A table.
    Table(Grid),
}

/// A paragraph or heading of the source.
#[derive(Debug, Clone, PartialEq)]
pub struct TextBlock {
    /// The text, with inner line breaks and runs of spaces as found (the assembler normalises).
    pub text: String,
    /// A hint from the source's markup: `Some(1)` for a top-level heading style (Word
    /// `Heading 1`, `<h2>`), `Some(2)` for a sub-heading; `None` when the source does not say.
    /// The assembler decides from the text itself (一、 （一）) in any case.
    pub heading_level: Option<u8>,
    /// Where it starts.
    pub pos: SourcePos,
}

/// A table as a grid. `rows[r][c]` is the slot at row r, column c; spans are expanded, so every
/// slot covered by a merged cell holds a copy of that cell with `origin` pointing at the
/// merged cell's top-left slot. Rows may be ragged when the source is (crawler text).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grid {
    /// Slots by row.
    pub rows: Vec<Vec<GridCell>>,
    /// Where the table starts.
    pub pos: SourcePos,
}

/// One slot of a [`Grid`].
#[derive(Debug, Clone, PartialEq)]
pub struct GridCell {
    /// The cell's text as found (line breaks inside a cell kept as `\n`).
    pub text: String,
    /// Top-left slot `(row, column)` of the merged cell this slot belongs to; equal to the
    /// slot's own position for an unmerged cell.
    pub origin: (usize, usize),
    /// Rows and columns the merged cell spans (1, 1 for an unmerged cell).
    pub span: (usize, usize),
    /// Where the cell is in the source.
    pub pos: SourcePos,
}

impl GridCell {
    /// Whether this slot is the top-left slot of its (possibly merged) cell.
    pub fn is_origin(&self, row: usize, col: usize) -> bool {
        self.origin == (row, col)
    }
}
