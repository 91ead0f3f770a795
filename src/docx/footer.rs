//! `word/footer1.xml` (odd pages) and `word/footer2.xml` (even pages): the GB/T 9704 page
//! number `— N —` from a `PAGE` field, odd pages right-aligned and even pages left-aligned, one
//! character in from the edge of the type area.

use super::styles::STYLE_FOOTER;
use super::units::FOOTER_INDENT;
use super::xml::{Xml, XmlError};

/// One footer part.
pub fn footer(odd: bool) -> Result<Vec<u8>, XmlError> {
    let indent = FOOTER_INDENT.to_string();
    let mut x = Xml::new();
    x.start(
        "w:ftr",
        &[("xmlns:w", super::NS_W), ("xmlns:r", super::NS_R)],
    )
    .start("w:p", &[])
    .start("w:pPr", &[])
    .empty("w:pStyle", &[("w:val", STYLE_FOOTER)]);
    if odd {
        x.empty("w:ind", &[("w:left", "0"), ("w:right", &indent)])
            .empty("w:jc", &[("w:val", "right")]);
    } else {
        x.empty("w:ind", &[("w:left", &indent), ("w:right", "0")])
            .empty("w:jc", &[("w:val", "left")]);
    }
    x.end("w:pPr");
    let text = |x: &mut Xml, t: &str| {
        x.start("w:r", &[])
            .leaf("w:t", &[("xml:space", "preserve")], t)
            .end("w:r");
    };
    let field = |x: &mut Xml, kind: &str| {
        x.start("w:r", &[])
            .empty("w:fldChar", &[("w:fldCharType", kind)])
            .end("w:r");
    };
    text(&mut x, "— ");
    field(&mut x, "begin");
    x.start("w:r", &[])
        .leaf("w:instrText", &[("xml:space", "preserve")], "PAGE")
        .end("w:r");
    field(&mut x, "separate");
    text(&mut x, "1");
    field(&mut x, "end");
    text(&mut x, " —");
    x.end("w:p").end("w:ftr");
    x.finish()
}
