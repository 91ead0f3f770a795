//! Typography decided once: the GB/T 9704-2012 page (paper, margins, type area, line grid) and
//! the text style of every kind of block (font role, size, indent, alignment), read by every
//! writer (PDF, DOCX, HTML). Values are in points or millimetres; each backend converts them to
//! its own unit (PDF points, DOCX twips and half-points, CSS). This module knows no writer.
//!
//! Why these choices: docs/typography.md.

use crate::layout::RowKind;

/// Millimetres to points.
pub const MM: f32 = 72.0 / 25.4;

/// A typographic role: which family a piece of text is set in. `--font ROLE=PATH` overrides the
/// face of a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FontRole {
    /// 小标宋: the title.
    Title,
    /// 仿宋: body text, table text and row labels.
    Body,
    /// 黑体: level-1 headings and table column headers.
    Heading,
    /// 楷体: level-2 headings.
    Kai,
    /// 宋体: page numbers and fallback.
    Song,
}

impl FontRole {
    /// All roles, in `--font` documentation order.
    pub const ALL: [FontRole; 5] = [
        FontRole::Title,
        FontRole::Body,
        FontRole::Heading,
        FontRole::Kai,
        FontRole::Song,
    ];

    /// The role's `--font` name.
    ///
    /// ```
    /// use nianbao::style::FontRole;
    /// assert_eq!(FontRole::Body.name(), "body");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            FontRole::Title => "title",
            FontRole::Body => "body",
            FontRole::Heading => "heading",
            FontRole::Kai => "kai",
            FontRole::Song => "song",
        }
    }

    /// Parses a `--font` role name (case-insensitive).
    ///
    /// ```
    /// use nianbao::style::FontRole;
    /// assert_eq!(FontRole::parse("Kai"), Some(FontRole::Kai));
    /// assert_eq!(FontRole::parse("serif"), None);
    /// ```
    pub fn parse(s: &str) -> Option<FontRole> {
        let s = s.trim().to_ascii_lowercase();
        FontRole::ALL.into_iter().find(|r| r.name() == s)
    }
}

impl std::fmt::Display for FontRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for FontRole {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        FontRole::parse(s).ok_or_else(|| {
            format!(
                "未知的字体角色 “{s}”；可用 {} (unknown font role)",
                FontRole::ALL.map(FontRole::name).join(", ")
            )
        })
    }
}

/// The GB/T 9704-2012 page: A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm, 22 lines of 28
/// characters.
pub mod page {
    /// A4 width in mm.
    pub const WIDTH_MM: f32 = 210.0;
    /// A4 height in mm.
    pub const HEIGHT_MM: f32 = 297.0;
    /// 天头 (top margin) in mm.
    pub const TOP_MM: f32 = 37.0;
    /// Bottom margin in mm (297 − 37 − 225).
    pub const BOTTOM_MM: f32 = 35.0;
    /// 订口 (left margin) in mm.
    pub const LEFT_MM: f32 = 28.0;
    /// Right margin in mm (210 − 28 − 156).
    pub const RIGHT_MM: f32 = 26.0;
    /// 版心 width in mm.
    pub const TYPE_WIDTH_MM: f32 = 156.0;
    /// 版心 height in mm.
    pub const TYPE_HEIGHT_MM: f32 = 225.0;
    /// Lines per page.
    pub const LINES: usize = 22;
    /// Characters per line.
    pub const CHARS: usize = 28;
    /// The page number's rule line sits this far below the type area (7.5: 一字线上距版心下边缘 7 mm).
    pub const FOLIO_GAP_MM: f32 = 7.0;
    /// The page number stands one character (of its own size) in from the type area's edge:
    /// the right edge on odd pages, the left edge on even pages (7.5: 单页码居右空一字，双页码居左空一字).
    pub const FOLIO_INDENT_CHARS: f32 = 1.0;
    /// Empty grid lines between the title and the text.
    pub const LINES_AFTER_TITLE: usize = 1;
}

/// Type sizes in points (Chinese 号 sizes).
pub mod size {
    /// 二号: the title.
    pub const TITLE: f32 = 22.0;
    /// 三号: body text and both heading levels.
    pub const BODY: f32 = 16.0;
    /// 四号: page numbers.
    pub const FOLIO: f32 = 14.0;
    /// 五号: table text.
    pub const TABLE: f32 = 10.5;
    /// 小五: text of wide tables.
    pub const TABLE_SMALL: f32 = 9.0;
    /// 六号: the last resort for very wide tables.
    pub const TABLE_TINY: f32 = 7.5;
    /// Table type sizes from the preferred down: a writer takes the largest at which the
    /// table's columns and words fit.
    pub const TABLE_STEPS: [f32; 3] = [TABLE, TABLE_SMALL, TABLE_TINY];
}

/// Table rules (borders) in points.
pub const TABLE_RULE_PT: f32 = 0.5;

/// How the lines of a block are aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alignment {
    /// Justified to the full measure, except the last line of the block.
    Justify,
    /// Centred.
    Center,
    /// Flush left.
    Left,
    /// Flush right.
    Right,
}

/// The style of a kind of text block.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    /// The font role.
    pub role: FontRole,
    /// Size in points.
    pub size: f32,
    /// First-line indent in characters of the block's own size.
    pub indent_chars: f32,
    /// Alignment.
    pub alignment: Alignment,
}

/// The title (标题): 二号小标宋, centred, one grid line per title line.
pub const TITLE: TextStyle = TextStyle {
    role: FontRole::Title,
    size: size::TITLE,
    indent_chars: 0.0,
    alignment: Alignment::Center,
};

/// Level-1 headings (`一、`): 三号黑体, indented two characters, on the grid.
pub const HEADING_1: TextStyle = TextStyle {
    role: FontRole::Heading,
    size: size::BODY,
    indent_chars: 2.0,
    alignment: Alignment::Justify,
};

/// Level-2 headings (`（一）`): 三号楷体, indented two characters, on the grid.
pub const HEADING_2: TextStyle = TextStyle {
    role: FontRole::Kai,
    size: size::BODY,
    indent_chars: 2.0,
    alignment: Alignment::Justify,
};

/// Body paragraphs (正文): 三号仿宋, first line indented two characters, justified.
pub const BODY: TextStyle = TextStyle {
    role: FontRole::Body,
    size: size::BODY,
    indent_chars: 2.0,
    alignment: Alignment::Justify,
};

/// Page numbers (页码): 四号宋体, `— N —`.
pub const FOLIO: TextStyle = TextStyle {
    role: FontRole::Song,
    size: size::FOLIO,
    indent_chars: 0.0,
    alignment: Alignment::Left,
};

/// The style of a heading of a level (1 = `一、`, 2 and deeper = `（一）`).
pub fn heading(level: u8) -> TextStyle {
    if level <= 1 {
        HEADING_1
    } else {
        HEADING_2
    }
}

/// What a table cell is, for its typography.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableText {
    /// A column header: a cell of a header, caption or sub-header row (表头).
    ColumnHeader,
    /// A row label: a label cell in a body row (`（一）予以公开`).
    RowLabel,
    /// A number or free text in a body row.
    Data,
}

impl TableText {
    /// The kind of a cell in a row of the layout model.
    pub fn of(row: RowKind, is_label: bool) -> TableText {
        match row {
            RowKind::Header | RowKind::Caption | RowKind::SubHeader => TableText::ColumnHeader,
            RowKind::Body if is_label => TableText::RowLabel,
            RowKind::Body => TableText::Data,
        }
    }

    /// The font role: column headers in 黑体, row labels and data in 仿宋 (表内仿宋，表头黑体;
    /// see docs/typography.md). The size is the table's ([`size::TABLE_STEPS`]).
    pub fn role(self) -> FontRole {
        match self {
            TableText::ColumnHeader => FontRole::Heading,
            TableText::RowLabel | TableText::Data => FontRole::Body,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_adds_up() {
        assert_eq!(
            page::LEFT_MM + page::TYPE_WIDTH_MM + page::RIGHT_MM,
            page::WIDTH_MM
        );
        assert_eq!(
            page::TOP_MM + page::TYPE_HEIGHT_MM + page::BOTTOM_MM,
            page::HEIGHT_MM
        );
        // 28 characters of 三号 fill the measure with a little negative tracking (−0.21 pt)
        let pitch = page::TYPE_WIDTH_MM * MM / page::CHARS as f32;
        assert!(pitch < size::BODY && pitch > 0.98 * size::BODY, "{pitch}");
        assert!(page::LINES as f32 * size::BODY * 1.5 <= page::TYPE_HEIGHT_MM * MM);
    }

    #[test]
    fn tables_set_headers_in_hei_and_everything_else_in_fangsong() {
        use RowKind::*;
        for kind in [Header, Caption, SubHeader] {
            assert_eq!(TableText::of(kind, true).role(), FontRole::Heading);
            assert_eq!(TableText::of(kind, false).role(), FontRole::Heading);
        }
        assert_eq!(TableText::of(Body, true), TableText::RowLabel);
        assert_eq!(TableText::of(Body, true).role(), FontRole::Body);
        assert_eq!(TableText::of(Body, false).role(), FontRole::Body);
        assert_eq!(heading(1).role, FontRole::Heading);
        assert_eq!(heading(2).role, FontRole::Kai);
        assert_eq!(size::TABLE_STEPS[0], size::TABLE);
    }
}
