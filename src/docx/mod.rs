//! DOCX writer: the editable Word copy. [`build`] turns the layout model into a docx-rs document
//! (GB/T 9704 page, named styles, tables as grids with gridSpan/vMerge, odd/even "— N —"
//! footers); [`fix`] post-processes the rendered XML parts (schema child order, core
//! properties, firstLineChars, tblHeader, one Normal style, font table, theme) and packs them
//! with deflate and fixed timestamps, so identical input gives identical bytes.
//! It reads only the layout model and [`ExportOptions`]; it never touches the file system.

mod build;
mod fix;

use crate::layout::Document;
use crate::options::{ExportError, ExportOptions, FontRole, Output};

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

/// The font family names the document uses, one per role. By default the faces GB/T 9704
/// documents use (see docs/docx.md); a `--font ROLE=PATH` override names the family of that
/// file instead, so the DOCX asks for the same face the PDF embeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Faces {
    /// 小标宋 title.
    pub title: String,
    /// 仿宋 body and table text.
    pub body: String,
    /// 黑体 level-1 headings and table headers.
    pub heading: String,
    /// 楷体 level-2 headings.
    pub kai: String,
    /// 宋体 page numbers.
    pub song: String,
}

impl Default for Faces {
    fn default() -> Faces {
        use geometry::*;
        Faces {
            title: FONT_TITLE.into(),
            body: FONT_FANG.into(),
            heading: FONT_HEI.into(),
            kai: FONT_KAI.into(),
            song: FONT_SONG.into(),
        }
    }
}

impl Faces {
    /// The defaults with the `--font` overrides applied.
    pub fn from_options(opts: &ExportOptions) -> Result<Faces, ExportError> {
        let mut f = Faces::default();
        for (role, path) in &opts.fonts {
            let slot = match role {
                FontRole::Title => &mut f.title,
                FontRole::Body => &mut f.body,
                FontRole::Heading => &mut f.heading,
                FontRole::Kai => &mut f.kai,
                FontRole::Song => &mut f.song,
            };
            *slot = family_name(path)
                .map_err(|e| ExportError::Font(format!("--font {role}={}: {e}", path.display())))?;
        }
        Ok(f)
    }
}

/// The family name of a font file: the Chinese name if the file has one (what Word and WPS
/// show on a Chinese system), else the English one, else the first.
pub fn family_name(path: &std::path::Path) -> Result<String, String> {
    use skrifa::raw::FileRef;
    use skrifa::{string::StringId, MetadataProvider};
    let data = std::fs::read(path).map_err(|e| format!("无法读取 (cannot read): {e}"))?;
    let font = match FileRef::new(&data).map_err(|e| format!("不是字体文件 (not a font): {e}"))?
    {
        FileRef::Font(f) => f,
        FileRef::Collection(c) => c
            .get(0)
            .map_err(|e| format!("字体集合 (collection): {e}"))?,
    };
    let mut names: Vec<(String, String)> = Vec::new();
    // The legacy family (name ID 1) is what Word on Windows selects fonts by.
    for id in [StringId::FAMILY_NAME, StringId::TYPOGRAPHIC_FAMILY_NAME] {
        names.extend(font.localized_strings(id).map(|s| {
            (
                s.language().unwrap_or("").to_ascii_lowercase(),
                s.to_string().trim().to_string(),
            )
        }));
        names.retain(|(_, n)| !n.is_empty());
        if !names.is_empty() {
            break;
        }
    }
    let pick = |prefix: &str| names.iter().find(|(l, _)| l.starts_with(prefix));
    pick("zh")
        .or_else(|| pick("en"))
        .or(names.first())
        .map(|(_, n)| n.clone())
        .ok_or_else(|| "字体没有族名 (no family name)".to_string())
}

/// Writes the document as DOCX.
pub fn write(doc: &Document, opts: &ExportOptions) -> Result<Output, ExportError> {
    let faces = Faces::from_options(opts)?;
    let built = build::build(doc, &faces);
    let xml = built.docx.build();
    let date = opts.effective_date(doc);
    let bytes = fix::finish(xml, &faces, doc, date, &built.header_rows).map_err(|message| {
        ExportError::Writer {
            target: "docx",
            message,
        }
    })?;
    let mut warnings = Vec::new();
    let outside = outside_gb2312(doc);
    if faces.body.ends_with("_GB2312") && !outside.is_empty() {
        const SHOWN: usize = 40;
        let list: String = outside.iter().take(SHOWN).collect();
        let more = if outside.len() > SHOWN {
            format!(" 等 {} 个", outside.len())
        } else {
            String::new()
        };
        warnings.push(format!(
            "DOCX: 这些字符不在 GB2312 字符集内，{} 没有它们，Word/WPS 会用其他字体显示: {list}{more} (characters outside GB2312; the 仿宋_GB2312 face lacks them)",
            faces.body
        ));
    }
    Ok(Output { bytes, warnings })
}

/// Whether a character is in GB2312, the character set of the *_GB2312 faces Word and WPS use:
/// its GBK encoding is two bytes, both in 0xA1–0xFE.
pub fn in_gb2312(c: char) -> bool {
    if c.is_ascii() {
        return true;
    }
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
    !unmappable && bytes.len() == 2 && bytes.iter().all(|b| (0xA1..=0xFE).contains(b))
}

/// The distinct characters of the document's text outside GB2312, in order of first use.
fn outside_gb2312(doc: &Document) -> Vec<char> {
    use crate::layout::Block;
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    let mut add = |text: &str| {
        for c in text.chars() {
            if !c.is_whitespace() && !in_gb2312(c) && seen.insert(c) {
                out.push(c);
            }
        }
    };
    add(&doc.title);
    for b in &doc.blocks {
        match b {
            Block::Heading { text, .. } | Block::Paragraph(text) => add(text),
            Block::Table(t) => {
                for cell in t.rows.iter().flat_map(|r| &r.cells) {
                    add(cell.content.text());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn font(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("fonts")
            .join(name)
    }

    #[test]
    fn gb2312_membership() {
        for c in "政府信息公开年度报告，。（）“”、１ūǎ".chars() {
            assert!(in_gb2312(c), "{c}");
        }
        // Traditional forms, GBK-only (镕) and non-BMP characters are not; pinyin letters are.
        for c in "區報镕\u{30EDD}😀".chars() {
            assert!(!in_gb2312(c), "{c}");
        }
    }

    #[test]
    fn font_overrides_name_the_family_of_the_file() {
        assert_eq!(
            family_name(&font("GovDocKai-Regular.ttf")).unwrap(),
            "公文楷体"
        );
        assert_eq!(
            family_name(&font("FandolFang-Regular.otf")).unwrap(),
            "FandolFang R"
        );
        let opts = ExportOptions {
            fonts: vec![(FontRole::Kai, font("GovDocKai-Regular.ttf"))],
            ..Default::default()
        };
        let f = Faces::from_options(&opts).unwrap();
        assert_eq!(f.kai, "公文楷体");
        assert_eq!(f.body, geometry::FONT_FANG);
        let bad = |role: &str, path: PathBuf| ExportOptions {
            fonts: vec![(FontRole::parse(role).unwrap(), path)],
            ..Default::default()
        };
        assert!(matches!(
            Faces::from_options(&bad("kai", font("no-such-file.ttf"))),
            Err(ExportError::Font(_))
        ));
        assert!(matches!(
            Faces::from_options(&bad("kai", font("README-Fandol.txt"))),
            Err(ExportError::Font(_))
        ));
        assert!(FontRole::parse("bold").is_none());
    }
}
