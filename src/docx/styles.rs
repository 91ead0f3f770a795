//! `word/styles.xml`, kept as a template (`parts/styles.xml`) in which the faces and the page
//! measures are substituted, as pandoc does with the parts of its reference.docx. The style ids are Word's built-in names where
//! Word has one (Title, heading 1, heading 2, Body Text, footer), so Word maps them to its own.

use super::fonts::{names, Faces};
use super::units::*;
use super::xml::{fill, XmlError};

/// The title.
pub const STYLE_TITLE: &str = "Title";
/// Level-1 headings (一、).
pub const STYLE_H1: &str = "Heading1";
/// Level-2 headings (（一）).
pub const STYLE_H2: &str = "Heading2";
/// Body paragraphs.
pub const STYLE_BODY: &str = "BodyText";
/// Table cells (仿宋).
pub const STYLE_TABLE: &str = "TableText";
/// Header, caption and column-header cells (黑体).
pub const STYLE_TABLE_LABEL: &str = "TableLabel";
/// Page numbers.
pub const STYLE_FOOTER: &str = "Footer";

const STYLES: &str = include_str!("parts/styles.xml");

/// `word/styles.xml`.
pub fn styles(faces: &Faces) -> Result<Vec<u8>, XmlError> {
    let n = |v: i64| v.to_string();
    let (line, spacing, indent) = (
        n(LINE_PITCH.into()),
        n(BODY_CHAR_SPACING.into()),
        n(INDENT_2CH.into()),
    );
    let (body, title, footer) = (
        n(BODY_HALF_POINTS as i64),
        n(TITLE_HALF_POINTS as i64),
        n(FOOTER_HALF_POINTS as i64),
    );
    let (table, table_line) = (n(TABLE_HALF_POINTS as i64), n(TABLE_LINE.into()));
    fill(
        "word/styles.xml",
        STYLES,
        &[
            ("latin", names::LATIN),
            ("body", &faces.body),
            ("title", &faces.title),
            ("heading", &faces.heading),
            ("kai", &faces.kai),
            ("song", &faces.song),
            ("line", &line),
            ("char_spacing", &spacing),
            ("indent", &indent),
            ("body_size", &body),
            ("title_size", &title),
            ("footer_size", &footer),
            ("table_size", &table),
            ("table_line", &table_line),
        ],
    )
}
