//! The OPC package: `[Content_Types].xml`, `_rels/.rels`, `word/_rels/document.xml.rels`, and
//! the zip itself (deflate, every entry dated 1980-01-01 00:00 with mode 0644, parts in a fixed
//! order), so identical input gives identical bytes.

use super::xml::{Xml, XmlError};

/// Relationship id of the odd-page (default) footer, referenced from the section properties.
pub const REL_FOOTER_ODD: &str = "rIdFooter1";
/// Relationship id of the even-page footer.
pub const REL_FOOTER_EVEN: &str = "rIdFooter2";

const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const CT_WORD: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";

/// A package failure.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    /// A part could not be written.
    #[error(transparent)]
    Xml(#[from] XmlError),
    /// Writing an entry failed.
    #[error("zip: {0}")]
    Io(#[from] std::io::Error),
}

/// One part of the package: its name and bytes.
pub struct Part {
    /// Path inside the package, without a leading slash.
    pub name: &'static str,
    /// Content.
    pub bytes: Vec<u8>,
}

/// The content type of a part we ship.
fn content_type(name: &str) -> Option<String> {
    Some(match name {
        "word/document.xml" => format!("{CT_WORD}.document.main+xml"),
        "word/styles.xml" => format!("{CT_WORD}.styles+xml"),
        "word/settings.xml" => format!("{CT_WORD}.settings+xml"),
        "word/fontTable.xml" => format!("{CT_WORD}.fontTable+xml"),
        "word/footer1.xml" | "word/footer2.xml" => format!("{CT_WORD}.footer+xml"),
        "word/theme/theme1.xml" => "application/vnd.openxmlformats-officedocument.theme+xml".into(),
        "docProps/core.xml" => "application/vnd.openxmlformats-package.core-properties+xml".into(),
        "docProps/app.xml" => {
            "application/vnd.openxmlformats-officedocument.extended-properties+xml".into()
        }
        _ => return None,
    })
}

/// `[Content_Types].xml` for the given parts.
fn content_types(parts: &[Part]) -> Result<Vec<u8>, XmlError> {
    let mut x = Xml::new();
    x.start(
        "Types",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/package/2006/content-types",
        )],
    )
    .empty(
        "Default",
        &[
            ("Extension", "rels"),
            (
                "ContentType",
                "application/vnd.openxmlformats-package.relationships+xml",
            ),
        ],
    )
    .empty(
        "Default",
        &[("Extension", "xml"), ("ContentType", "application/xml")],
    );
    for p in parts {
        if let Some(ct) = content_type(p.name) {
            let name = format!("/{}", p.name);
            x.empty("Override", &[("PartName", &name), ("ContentType", &ct)]);
        }
    }
    x.end("Types");
    x.finish()
}

fn relationships(rels: &[(&str, String, &str)]) -> Result<Vec<u8>, XmlError> {
    let mut x = Xml::new();
    x.start(
        "Relationships",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/package/2006/relationships",
        )],
    );
    for (id, kind, target) in rels {
        x.empty(
            "Relationship",
            &[("Id", id), ("Type", kind), ("Target", target)],
        );
    }
    x.end("Relationships");
    x.finish()
}

/// `_rels/.rels`: the main document and the two property parts.
fn package_rels() -> Result<Vec<u8>, XmlError> {
    relationships(&[
        ("rId1", format!("{REL}/officeDocument"), "word/document.xml"),
        (
            "rId2",
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
                .into(),
            "docProps/core.xml",
        ),
        (
            "rId3",
            format!("{REL}/extended-properties"),
            "docProps/app.xml",
        ),
    ])
}

/// `word/_rels/document.xml.rels`: styles, font table, settings, theme and the two footers.
fn document_rels() -> Result<Vec<u8>, XmlError> {
    relationships(&[
        ("rId1", format!("{REL}/styles"), "styles.xml"),
        ("rId2", format!("{REL}/fontTable"), "fontTable.xml"),
        ("rId3", format!("{REL}/settings"), "settings.xml"),
        ("rId4", format!("{REL}/theme"), "theme/theme1.xml"),
        (REL_FOOTER_ODD, format!("{REL}/footer"), "footer1.xml"),
        (REL_FOOTER_EVEN, format!("{REL}/footer"), "footer2.xml"),
    ])
}

/// Zips the parts after the content types and relationships.
pub fn pack(parts: Vec<Part>) -> Result<Vec<u8>, PackageError> {
    let mut all = vec![
        Part {
            name: "[Content_Types].xml",
            bytes: content_types(&parts)?,
        },
        Part {
            name: "_rels/.rels",
            bytes: package_rels()?,
        },
        Part {
            name: "word/_rels/document.xml.rels",
            bytes: document_rels()?,
        },
    ];
    all.extend(parts);
    let total: usize = all.iter().map(|p| p.bytes.len()).sum();
    let mut w = super::zip::ZipWriter::with_capacity(total / 4 + 4096);
    for p in &all {
        w.add(p.name, &p.bytes)?;
    }
    Ok(w.finish()?)
}
