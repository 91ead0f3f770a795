//! DOCX writer: the editable Word copy. The parts of the package are written directly as
//! WordprocessingML with quick-xml, one module per part, every element in ECMA-376 schema
//! order: [`document`] (title, headings, paragraphs, [`table`]s, section properties),
//! [`styles`], [`settings`] and [`theme`] (templates with the faces substituted), [`fonts`]
//! (the font table), [`footer`] (odd/even `— N —`), [`core`] and [`app`] (document
//! properties), and [`package`] (content types, relationships, the deterministic zip). All text
//! passes through [`xml`], which drops the characters XML 1.0 forbids. The writer reads only the
//! layout model and [`ExportOptions`]; it never touches the file system.

mod app;
mod core;
mod document;
mod fonts;
mod footer;
mod gb2312;
mod keep;
mod package;
mod settings;
mod styles;
mod table;
mod theme;
mod xml;

#[cfg(test)]
mod order;

use crate::layout::Document;
use crate::options::{ExportError, ExportOptions, Output};
use package::Part;

pub use document::bookmark_name;
pub use fonts::{family_name, names, Faces};
pub use gb2312::in_gb2312;
pub use table::column_twips;
pub use xml::xml_safe;

/// The WordprocessingML namespace.
const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
/// The relationships namespace (`r:id`).
const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

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
}

/// Every part of the package, in the order they are zipped (after the content types and
/// relationships).
fn parts(doc: &Document, opts: &ExportOptions, faces: &Faces) -> Result<Vec<Part>, xml::XmlError> {
    let date = opts.effective_date(doc);
    Ok(vec![
        Part {
            name: "docProps/app.xml",
            bytes: app::app(doc)?,
        },
        Part {
            name: "docProps/core.xml",
            bytes: core::core(doc, date)?,
        },
        Part {
            name: "word/document.xml",
            bytes: document::document(doc)?,
        },
        Part {
            name: "word/styles.xml",
            bytes: styles::styles(faces)?,
        },
        Part {
            name: "word/settings.xml",
            bytes: settings::settings()?,
        },
        Part {
            name: "word/fontTable.xml",
            bytes: fonts::font_table(faces)?,
        },
        Part {
            name: "word/theme/theme1.xml",
            bytes: theme::theme(faces)?,
        },
        Part {
            name: "word/footer1.xml",
            bytes: footer::footer(true)?,
        },
        Part {
            name: "word/footer2.xml",
            bytes: footer::footer(false)?,
        },
    ])
}

/// Writes the document as DOCX.
///
/// # Errors
/// [`ExportError::Font`] when a `--font` file cannot be read or is not a font;
/// [`ExportError::Writer`] if a part cannot be written or packed.
pub fn write(doc: &Document, opts: &ExportOptions) -> Result<Output, ExportError> {
    let faces = Faces::from_options(opts)?;
    let writer = |message: String| ExportError::Writer {
        target: "docx",
        message,
    };
    let parts = parts(doc, opts, &faces).map_err(|e| writer(e.to_string()))?;
    let bytes = package::pack(parts).map_err(|e| writer(e.to_string()))?;
    let mut warnings = Vec::new();
    let outside = gb2312::outside_gb2312(doc);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::FontRole;
    use std::path::PathBuf;

    fn font(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("fonts")
            .join(name)
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
        assert_eq!(f.body, names::FANG);
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
