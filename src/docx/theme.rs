//! `word/theme/theme1.xml`, kept as a template (`parts/theme1.xml`): a minimal, schema-complete
//! DrawingML theme (Word requires the relationship), whose fonts repeat the heading and body
//! faces.

use super::fonts::{names, Faces};
use super::xml::{fill, XmlError};

/// `word/theme/theme1.xml`.
pub fn theme(faces: &Faces) -> Result<Vec<u8>, XmlError> {
    fill(
        "word/theme/theme1.xml",
        include_str!("parts/theme1.xml"),
        &[
            ("latin", names::LATIN),
            ("heading", &faces.heading),
            ("body", &faces.body),
        ],
    )
}
