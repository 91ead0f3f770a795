//! `word/settings.xml`, kept as a template (`parts/settings.xml`): odd/even footers
//! (`evenAndOddHeaders`), Word 2013+ compatibility mode and East-Asian layout options.

use super::xml::{fill, XmlError};

/// `word/settings.xml`.
pub fn settings() -> Result<Vec<u8>, XmlError> {
    fill("word/settings.xml", include_str!("parts/settings.xml"), &[])
}
