//! The one place text reaches a DOCX part: a thin layer over quick-xml's writer. Every element,
//! attribute value and text node of every part goes through [`Xml`] (or, for the parts kept as
//! templates, through [`fill`]), which drops the characters XML 1.0 cannot carry and leaves the
//! escaping to quick-xml. Parts are written without indentation, in the order the caller emits
//! them; the caller is responsible for ECMA-376 child order (checked by the `order` tests).

use quick_xml::escape::escape;
use quick_xml::events::{BytesDecl, Event};
use quick_xml::Writer;
use std::borrow::Cow;

/// A writer failure while producing a part (writing into memory; kept as a typed error rather
/// than assumed impossible).
#[derive(Debug, thiserror::Error)]
pub enum XmlError {
    /// quick-xml reported an I/O error on the in-memory buffer.
    #[error("XML writer: {0}")]
    Io(#[from] std::io::Error),
    /// A template names a placeholder no value was given for, or is left unterminated.
    #[error("template {part}: placeholder “{name}” has no value")]
    Placeholder {
        /// The part being filled.
        part: &'static str,
        /// The placeholder.
        name: String,
    },
}

/// Whether XML 1.0 can carry a character: `#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
/// [#x10000-#x10FFFF]` (Rust strings hold no surrogates). Carriage returns are dropped too: a
/// parser turns them into line feeds, which Word does not show as breaks.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{20}'..='\u{fffd}' | '\u{10000}'..)
}

/// The text without the characters XML 1.0 forbids (C0 controls other than tab and line feed,
/// carriage return, U+FFFE and U+FFFF). Word refuses a part that contains them; nianbao removes
/// them rather than refusing the report (issue 8 item 6), in every DOCX part.
pub fn xml_safe(s: &str) -> Cow<'_, str> {
    if s.chars().all(allowed) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|&c| allowed(c)).collect())
    }
}

/// An XML part being written. Errors are kept and returned by [`Xml::finish`], so element code
/// stays a flat sequence of calls.
pub struct Xml {
    w: Writer<Vec<u8>>,
    error: Option<std::io::Error>,
}

impl Xml {
    /// A new part, starting with the standard declaration
    /// (`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`).
    pub fn new() -> Xml {
        let mut x = Xml {
            w: Writer::new(Vec::with_capacity(16 * 1024)),
            error: None,
        };
        x.event(Event::Decl(BytesDecl::new(
            "1.0",
            Some("UTF-8"),
            Some("yes"),
        )));
        x
    }

    fn event(&mut self, e: Event<'_>) {
        if self.error.is_none() {
            if let Err(err) = self.w.write_event(e) {
                self.error = Some(err);
            }
        }
    }

    /// The part's bytes, for the element and text writers below. They write what quick-xml
    /// writes for the same events (`<name k="v"…>`, `<name…/>`, `</name>`, the text), values
    /// and text escaped by quick-xml's own `escape`, without building an event and an escaped
    /// copy of every attribute first (a table's cells are ten thousand elements).
    fn out(&mut self) -> Option<&mut Vec<u8>> {
        if self.error.is_some() {
            return None;
        }
        Some(self.w.get_mut())
    }

    fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        let Some(out) = self.out() else { return };
        out.push(b'<');
        out.extend_from_slice(name.as_bytes());
        for (k, v) in attrs {
            out.push(b' ');
            out.extend_from_slice(k.as_bytes());
            out.extend_from_slice(b"=\"");
            out.extend_from_slice(escape(xml_safe(v)).as_bytes());
            out.push(b'"');
        }
    }

    /// `<name attrs…>`.
    pub fn start(&mut self, name: &str, attrs: &[(&str, &str)]) -> &mut Xml {
        self.open(name, attrs);
        if let Some(out) = self.out() {
            out.push(b'>');
        }
        self
    }

    /// `</name>`.
    pub fn end(&mut self, name: &str) -> &mut Xml {
        if let Some(out) = self.out() {
            out.extend_from_slice(b"</");
            out.extend_from_slice(name.as_bytes());
            out.push(b'>');
        }
        self
    }

    /// `<name attrs…/>`.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> &mut Xml {
        self.open(name, attrs);
        if let Some(out) = self.out() {
            out.extend_from_slice(b"/>");
        }
        self
    }

    /// Character data: forbidden characters dropped, markup escaped by quick-xml.
    pub fn text(&mut self, text: &str) -> &mut Xml {
        if let Some(out) = self.out() {
            out.extend_from_slice(escape(xml_safe(text)).as_bytes());
        }
        self
    }

    /// `<name attrs…>text</name>`.
    pub fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> &mut Xml {
        self.start(name, attrs).text(text).end(name)
    }

    /// The finished part.
    pub fn finish(self) -> Result<Vec<u8>, XmlError> {
        match self.error {
            Some(e) => Err(e.into()),
            None => Ok(self.w.into_inner()),
        }
    }
}

/// Fills a part kept as a template (pandoc keeps its reference.docx parts the same way): every
/// `{{name}}` is replaced by its value, with the characters XML forbids dropped and markup
/// escaped by quick-xml, so a font name such as `A&B` stays well-formed. A placeholder without
/// a value is an error, never left in the output.
pub fn fill(
    part: &'static str,
    template: &str,
    values: &[(&str, &str)],
) -> Result<Vec<u8>, XmlError> {
    let mut out = String::with_capacity(template.len() + 256);
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let close = after.find("}}").ok_or_else(|| XmlError::Placeholder {
            part,
            name: after.chars().take(20).collect(),
        })?;
        let name = &after[..close];
        let value = values
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| *v)
            .ok_or_else(|| XmlError::Placeholder {
                part,
                name: name.to_string(),
            })?;
        out.push_str(&escape(xml_safe(value)));
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    Ok(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_are_dropped_and_markup_escaped() {
        assert_eq!(xml_safe("a\u{1}b\u{b}c\u{ffff}d\u{8}\r"), "abcd");
        assert_eq!(xml_safe("中文 Text\t\n😀"), "中文 Text\t\n😀");
        let mut x = Xml::new();
        x.start("a", &[("k", "x\u{b}\"<&y")])
            .text("1 < 2 & \u{8}3")
            .end("a");
        let s = String::from_utf8(x.finish().unwrap()).unwrap();
        assert!(s.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"));
        assert!(
            s.ends_with("<a k=\"x&quot;&lt;&amp;y\">1 &lt; 2 &amp; 3</a>"),
            "{s}"
        );
    }

    #[test]
    fn elements_are_written_as_quick_xml_writes_them() {
        use quick_xml::events::{BytesEnd, BytesStart, BytesText};
        let attrs = [("w:val", "a'b\"c<d>e&f\u{1}"), ("w:x", ""), ("k", "中文")];
        let texts = ["", "plain", "1 < 2 & 'q' \"d\" > 0\u{b}", "中文\t\n"];
        let mut mine = Xml::new();
        let mut theirs = Writer::new(Vec::new());
        theirs
            .write_event(Event::Decl(BytesDecl::new(
                "1.0",
                Some("UTF-8"),
                Some("yes"),
            )))
            .unwrap();
        let tag = |name: &'static str, attrs: &[(&str, &str)]| {
            let mut t = BytesStart::new(name);
            for (k, v) in attrs {
                t.push_attribute((*k, xml_safe(v).as_ref()));
            }
            t
        };
        for (i, text) in texts.iter().enumerate() {
            let a = &attrs[..i.min(attrs.len())];
            mine.start("w:p", a).empty("w:b", a).text(text).end("w:p");
            for e in [
                Event::Start(tag("w:p", a)),
                Event::Empty(tag("w:b", a)),
                Event::Text(BytesText::new(&xml_safe(text))),
                Event::End(BytesEnd::new("w:p")),
            ] {
                theirs.write_event(e).unwrap();
            }
        }
        assert_eq!(
            String::from_utf8(mine.finish().unwrap()).unwrap(),
            String::from_utf8(theirs.into_inner()).unwrap()
        );
    }

    #[test]
    fn templates_are_filled_escaped_and_complete() {
        let t = "<f n=\"{{name}}\">{{name}}/{{size}}</f>";
        let out = fill("t", t, &[("name", "A&B\u{7}"), ("size", "32")]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<f n=\"A&amp;B\">A&amp;B/32</f>"
        );
        assert!(matches!(
            fill("t", t, &[("name", "x")]),
            Err(XmlError::Placeholder { name, .. }) if name == "size"
        ));
        assert!(fill("t", "<a>{{open</a>", &[]).is_err());
    }
}
