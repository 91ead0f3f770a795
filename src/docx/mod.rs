//! DOCX writer: the editable Word copy. The parts of the package are written directly as
//! WordprocessingML with quick-xml, one module per part, every element in ECMA-376 schema
//! order: `document` (title, headings, paragraphs, `table`s, section properties),
//! `styles`, `settings` and `theme` (templates with the faces substituted), `fonts`
//! (the font table), `footer` (odd/even `— N —`), `core` and `app` (document
//! properties), and `package` (content types, relationships, the deterministic zip). All text
//! passes through `xml`, which drops the characters XML 1.0 forbids. The writer reads only the
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
mod units;
mod xml;
mod zip;

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
            family_name(&font("FandolFang-Regular.ttf")).unwrap(),
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
