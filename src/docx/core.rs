//! `docProps/core.xml`: title, subject, creator (the agency), keywords, language and the
//! creation date (`ExportOptions::effective_date`, so identical input gives identical bytes).

use super::xml::{Xml, XmlError};
use crate::layout::Document;
use crate::report::Date;

/// `docProps/core.xml`.
pub fn core(doc: &Document, date: Date) -> Result<Vec<u8>, XmlError> {
    let m = &doc.meta;
    let created = format!(
        "{:04}-{:02}-{:02}T00:00:00Z",
        date.year, date.month, date.day
    );
    let keywords = format!("政府信息公开工作年度报告 {}", m.year);
    let w3cdtf = [("xsi:type", "dcterms:W3CDTF")];
    let mut x = Xml::new();
    x.start(
        "cp:coreProperties",
        &[
            (
                "xmlns:cp",
                "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
            ),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            ("xmlns:dcterms", "http://purl.org/dc/terms/"),
            ("xmlns:dcmitype", "http://purl.org/dc/dcmitype/"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        ],
    )
    .leaf("dc:title", &[], &m.title)
    .leaf("dc:subject", &[], &m.subject)
    .leaf("dc:creator", &[], &m.author)
    .leaf("cp:keywords", &[], &keywords)
    .leaf("dc:language", &[], &m.language)
    .leaf("cp:lastModifiedBy", &[], &m.author)
    .leaf("cp:revision", &[], "1")
    .leaf("dcterms:created", &w3cdtf, &created)
    .leaf("dcterms:modified", &w3cdtf, &created)
    .end("cp:coreProperties");
    x.finish()
}
