//! DOCX writer: the editable Word copy. [`build`] turns the layout model into a docx-rs document
//! (GB/T 9704 page, named styles, tables as grids with gridSpan/vMerge, odd/even "— N —"
//! footers); [`fix`] post-processes the rendered XML parts (schema child order, core
//! properties, firstLineChars, tblHeader, one Normal style, font table, theme) and packs them
//! with deflate and fixed timestamps, so identical input gives identical bytes.
//! It reads only the layout model and [`ExportOptions`]; it never touches the file system.

mod build;
mod fix;

use crate::export::{ExportError, ExportOptions, Output};
use crate::layout::Document;

pub use build::{bookmark_name, column_twips};

/// Page and type-area geometry (twips unless noted), per GB/T 9704-2012.
pub mod geometry {
    /// A4 width (210 mm).
    pub const PAGE_WIDTH: i32 = 11906;
    /// A4 height (297 mm).
    pub const PAGE_HEIGHT: i32 = 16838;
    /// 天头 37 mm.
    pub const MARGIN_TOP: i32 = 2098;
    /// Bottom 35 mm.
    pub const MARGIN_BOTTOM: i32 = 1984;
    /// 订口 28 mm.
    pub const MARGIN_LEFT: i32 = 1587;
    /// Right 26 mm.
    pub const MARGIN_RIGHT: i32 = 1474;
    /// Type-area width: 156 mm.
    pub const TYPE_WIDTH: i32 = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
    /// Header distance (no header content; 15 mm).
    pub const HEADER_DISTANCE: i32 = 851;
    /// Footer distance from the page edge: the 14 pt page-number line sits with its top 7 mm
    /// below the type area (35 mm − 7 mm − ≈5 mm line ≈ 23 mm).
    pub const FOOTER_DISTANCE: i32 = 1304;
    /// Line pitch: 225 mm / 22 lines = 28.95 pt = 579 twips.
    pub const LINE_PITCH: i32 = 579;
    /// Body 三号 16 pt (half-points).
    pub const BODY_HALF_POINTS: usize = 32;
    /// Title 二号 22 pt (half-points).
    pub const TITLE_HALF_POINTS: usize = 44;
    /// Page number 四号 14 pt (half-points).
    pub const FOOTER_HALF_POINTS: usize = 28;
    /// Body character spacing −0.25 pt (twentieths): 28 × 15.75 pt = 441 pt ≤ 442.2 pt.
    pub const BODY_CHAR_SPACING: i32 = -5;
    /// Two-character first-line indent at 16 pt.
    pub const INDENT_2CH: i32 = 640;
    /// One 14 pt character: the page number's distance from the type-area edge.
    pub const FOOTER_INDENT: i32 = 280;
    /// Table text 五号 10.5 pt (half-points).
    pub const TABLE_HALF_POINTS: usize = 21;
    /// Table text in tables wider than [`WIDE_TABLE_COLUMNS`]: 小五 9 pt.
    pub const SMALL_TABLE_HALF_POINTS: usize = 18;
    /// Tables with more columns than this use the small size.
    pub const WIDE_TABLE_COLUMNS: usize = 10;
    /// Table line height: exactly 14 pt (fits 10.5 pt and 9 pt text).
    pub const TABLE_LINE: i32 = 280;
    /// Table cell left/right margin (1 mm).
    pub const CELL_MARGIN: usize = 57;
    /// Table rule width in eighths of a point (0.5 pt).
    pub const BORDER_EIGHTHS: usize = 4;
    /// East-Asian font names as Word and WPS know them (see docs/docx.md for the choice).
    pub const FONT_FANG: &str = "仿宋_GB2312";
    /// Title font.
    pub const FONT_TITLE: &str = "方正小标宋简体";
    /// Level-1 headings.
    pub const FONT_HEI: &str = "黑体";
    /// Level-2 headings.
    pub const FONT_KAI: &str = "楷体_GB2312";
    /// Page numbers.
    pub const FONT_SONG: &str = "宋体";
    /// Latin and digits in body text.
    pub const FONT_LATIN: &str = "Times New Roman";
}

/// Writes the document as DOCX.
pub fn write(doc: &Document, opts: &ExportOptions) -> Result<Output, ExportError> {
    let built = build::build(doc);
    let xml = built.docx.build();
    let date = opts.effective_date(doc);
    let bytes =
        fix::finish(xml, doc, date, &built.header_rows).map_err(|message| ExportError::Writer {
            target: "docx",
            message,
        })?;
    Ok(Output {
        bytes,
        warnings: Vec::new(),
    })
}
