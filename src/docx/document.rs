//! `word/document.xml`: the title (its balanced lines joined by line breaks), headings with
//! bookmarks, body paragraphs, tables ([`super::table`]) and the section properties (A4, the
//! GB/T 9704 margins, the line grid, the odd/even footers). Elements are written in ECMA-376
//! schema order.

use super::package::{REL_FOOTER_EVEN, REL_FOOTER_ODD};
use super::styles::{STYLE_BODY, STYLE_H1, STYLE_H2, STYLE_TABLE, STYLE_TITLE};
use super::table;
use super::units::*;
use super::xml::{Xml, XmlError};
use crate::layout::{Block, Document};

/// A Word bookmark name for a section key: ASCII letters, digits and `_`, starting with a
/// letter, at most 40 characters.
pub fn bookmark_name(key: &str) -> String {
    let mut n: String = key
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if !n.starts_with(|c: char| c.is_ascii_alphabetic()) {
        n.insert_str(0, "s_");
    }
    n.truncate(40);
    n
}

/// Paragraph properties, in schema order: style, keepNext, justification.
pub(crate) fn paragraph_properties(x: &mut Xml, style: &str, keep_next: bool, jc: Option<&str>) {
    x.start("w:pPr", &[]).empty("w:pStyle", &[("w:val", style)]);
    if keep_next {
        x.empty("w:keepNext", &[]);
    }
    if let Some(jc) = jc {
        x.empty("w:jc", &[("w:val", jc)]);
    }
    x.end("w:pPr");
}

/// One run holding `text`: `\n` becomes a line break and `\t` a tab; `half_points` sets the
/// size (tables wider than ten columns).
pub(crate) fn run(x: &mut Xml, text: &str, half_points: Option<&str>) {
    marked_run(x, text, half_points, false);
}

/// [`run`], highlighted in yellow when `marked` (text a comparison marks).
pub(crate) fn marked_run(x: &mut Xml, text: &str, half_points: Option<&str>, marked: bool) {
    x.start("w:r", &[]);
    if half_points.is_some() || marked {
        x.start("w:rPr", &[]);
        if let Some(sz) = half_points {
            x.empty("w:sz", &[("w:val", sz)])
                .empty("w:szCs", &[("w:val", sz)]);
        }
        if marked {
            x.empty("w:highlight", &[("w:val", "yellow")]);
        }
        x.end("w:rPr");
    }
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            x.empty("w:br", &[("w:type", "textWrapping")]);
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                x.empty("w:tab", &[]);
            }
            if !piece.is_empty() {
                x.leaf("w:t", &[("xml:space", "preserve")], piece);
            }
        }
    }
    x.end("w:r");
}

fn section_properties(x: &mut Xml) {
    let n = |v: i32| v.to_string();
    x.start("w:sectPr", &[])
        .empty(
            "w:footerReference",
            &[("w:type", "default"), ("r:id", REL_FOOTER_ODD)],
        )
        .empty(
            "w:footerReference",
            &[("w:type", "even"), ("r:id", REL_FOOTER_EVEN)],
        )
        .empty(
            "w:pgSz",
            &[("w:w", &n(PAGE_WIDTH)), ("w:h", &n(PAGE_HEIGHT))],
        )
        .empty(
            "w:pgMar",
            &[
                ("w:top", &n(MARGIN_TOP)),
                ("w:right", &n(MARGIN_RIGHT)),
                ("w:bottom", &n(MARGIN_BOTTOM)),
                ("w:left", &n(MARGIN_LEFT)),
                ("w:header", &n(HEADER_DISTANCE)),
                ("w:footer", &n(FOOTER_DISTANCE)),
                ("w:gutter", "0"),
            ],
        )
        .empty("w:cols", &[("w:space", "425"), ("w:num", "1")])
        .empty(
            "w:docGrid",
            &[("w:type", "lines"), ("w:linePitch", &n(LINE_PITCH))],
        )
        .end("w:sectPr");
}

/// `word/document.xml`.
pub fn document(doc: &Document) -> Result<Vec<u8>, XmlError> {
    let mut x = Xml::new();
    x.start(
        "w:document",
        &[("xmlns:w", super::NS_W), ("xmlns:r", super::NS_R)],
    )
    .start("w:body", &[]);

    // Title: one paragraph, lines separated by line breaks (balanced by the layout model).
    let title = if doc.title_lines.is_empty() {
        doc.title.clone()
    } else {
        doc.title_lines.join("\n")
    };
    x.start("w:p", &[]);
    paragraph_properties(&mut x, STYLE_TITLE, false, None);
    run(&mut x, &title, None);
    x.end("w:p");

    let mut after_table = false;
    let mut bookmarks = 0usize;
    for block in &doc.blocks {
        match block {
            Block::Heading {
                level,
                text,
                section,
            } => {
                let style = if *level <= 1 { STYLE_H1 } else { STYLE_H2 };
                // keepNext comes from the heading styles, so a heading a clerk adds keeps with
                // its text too.
                x.start("w:p", &[]);
                paragraph_properties(&mut x, style, false, None);
                // Level-1 headings carry a bookmark named after the section key, for
                // cross-references and links into the document.
                let mark = section.as_deref().map(bookmark_name);
                let id = bookmarks.to_string();
                if let Some(name) = &mark {
                    x.empty("w:bookmarkStart", &[("w:id", &id), ("w:name", name)]);
                }
                run(&mut x, text, None);
                if mark.is_some() {
                    x.empty("w:bookmarkEnd", &[("w:id", &id)]);
                    bookmarks += 1;
                }
                x.end("w:p");
            }
            Block::Paragraph(text) => {
                x.start("w:p", &[]);
                paragraph_properties(&mut x, STYLE_BODY, false, None);
                run(&mut x, text, None);
                x.end("w:p");
            }
            Block::Marked(spans) => {
                x.start("w:p", &[]);
                paragraph_properties(&mut x, STYLE_BODY, false, None);
                for s in spans {
                    marked_run(&mut x, &s.text, None, s.marked);
                }
                x.end("w:p");
            }
            Block::Table(t) => {
                if t.columns == 0 || t.rows.is_empty() {
                    continue;
                }
                if after_table {
                    // Word merges adjacent tables; keep them apart with an empty line.
                    x.start("w:p", &[]);
                    paragraph_properties(&mut x, STYLE_TABLE, false, None);
                    x.end("w:p");
                }
                table::table(&mut x, t);
                after_table = true;
                continue;
            }
        }
        after_table = false;
    }
    section_properties(&mut x);
    x.end("w:body").end("w:document");
    x.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bookmark_names_are_word_safe() {
        assert_eq!(bookmark_name("applications"), "applications");
        assert_eq!(bookmark_name("1x.y"), "s_1x_y");
        assert_eq!(bookmark_name(&"a".repeat(50)).len(), 40);
        assert_eq!(bookmark_name("问题"), "s___");
    }
}
