//! Typography decided once: the GB/T 9704-2012 page (paper, margins, type area, line grid) and
//! the text style of every kind of block (font role, size), read by every writer (PDF, DOCX,
//! HTML). Values are in points or millimetres; each backend converts them to its own unit
//! (PDF points, DOCX twips and half-points, CSS). This module knows no writer.

/// Millimetres to points.
pub const MM: f32 = 72.0 / 25.4;

/// A typographic role: which family a piece of text is set in. `--font ROLE=PATH` overrides the
/// face of a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FontRole {
    /// 小标宋: the title.
    Title,
    /// 仿宋: body text.
    Body,
    /// 黑体: level-1 headings.
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
}
