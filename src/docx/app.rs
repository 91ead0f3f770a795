//! `docProps/app.xml`: the application (nianbao) and the company (the agency).

use super::xml::{Xml, XmlError};
use crate::layout::Document;

/// `docProps/app.xml`.
pub fn app(doc: &Document) -> Result<Vec<u8>, XmlError> {
    let mut x = Xml::new();
    x.start(
        "Properties",
        &[
            (
                "xmlns",
                "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
            ),
            (
                "xmlns:vt",
                "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
            ),
        ],
    )
    .leaf("Template", &[], "Normal.dotm")
    .leaf("Application", &[], "nianbao")
    .leaf("DocSecurity", &[], "0")
    .leaf("Company", &[], &doc.meta.agency)
    .end("Properties");
    x.finish()
}
