//! HTML writer: the report as a web page for the 政府信息公开专栏, built from the layout model
//! only (and [`crate::style`] for the print typography).
//!
//! One self-contained HTML5 file: `lang`, the title as `<h1>`, the sections as `<h2>`/`<h3>`,
//! paragraphs, and every table as a real table with the layout model's spans, `<th scope>`
//! and `headers` associating each data cell with its row and column labels, a `<caption>` for
//! the statutory tables, numbers right-aligned in tabular figures and blank cells left empty.
//! Styles are embedded ([`css`]): a screen style that also works on a phone (wide tables scroll
//! sideways inside a focusable, labelled wrapper) and a GB/T 9704 print style. No script, no
//! external request, identical bytes for identical input.
//!
//! With [`ExportOptions::html_fragment`] only the content is written: one
//! `<div class="nianbao-report">` whose elements carry their styles inline, for pasting into
//! a CMS (a `<style>` element is not allowed in a page's body, and many CMS editors strip it).
//! Every piece of report text goes through [`escape`]: nothing in a report can become markup.

pub mod css;
pub mod escape;
mod table;

use crate::layout::{Block, Document};
use crate::options::{ExportError, ExportOptions, Output};
use css::Class;
use escape::{id_token, Escaper};

/// Writes the document as HTML: a whole page, or with [`ExportOptions::html_fragment`] the
/// content alone.
///
/// # Errors
/// None in practice today (the page is built in memory); the signature is every writer's.
pub fn write(doc: &Document, opts: &ExportOptions) -> Result<Output, ExportError> {
    let mut w = Writer::new(opts.html_fragment);
    let content = w.report(doc);
    let bytes = if opts.html_fragment {
        content
    } else {
        w.page(doc, &content)
    };
    let mut warnings = Vec::new();
    let dropped = w.esc.dropped();
    if !dropped.is_empty() {
        let list: Vec<String> = dropped
            .iter()
            .map(|c| format!("U+{:04X}", *c as u32))
            .collect();
        warnings.push(format!(
            "HTML: 已删除 HTML 不允许的控制字符 {} (characters HTML forbids were dropped)",
            list.join(", ")
        ));
    }
    Ok(Output {
        bytes: bytes.into_bytes(),
        warnings,
    })
}

/// The markup being written: the escaper, the id registry, and whether styles go inline.
pub(crate) struct Writer {
    /// Styles inline on every element (a fragment) rather than in a stylesheet.
    inline: bool,
    /// Escapes all report text.
    pub(crate) esc: Escaper,
    /// Ids given out so far (each id once per page); only asked whether it holds one, never
    /// iterated, so its order does not matter.
    ids: rustc_hash::FxHashSet<String>,
    /// Tables written so far.
    tables: usize,
}

impl Writer {
    fn new(inline: bool) -> Writer {
        Writer {
            inline,
            esc: Escaper::default(),
            ids: rustc_hash::FxHashSet::default(),
            tables: 0,
        }
    }

    /// A unique id from `base` (made unique with a counter when taken).
    pub(crate) fn unique_id(&mut self, base: &str) -> String {
        if !self.ids.contains(base) {
            self.ids.insert(base.to_string());
            return base.to_string();
        }
        self.numbered_id(base)
    }

    /// [`Writer::unique_id`] of a base the caller has built (not copied when it is free).
    pub(crate) fn unique_id_of(&mut self, base: String) -> String {
        if !self.ids.contains(&base) {
            self.ids.insert(base.clone());
            return base;
        }
        self.numbered_id(&base)
    }

    /// `base-2`, `base-3`, …: the first that is free.
    fn numbered_id(&mut self, base: &str) -> String {
        let mut id = String::new();
        let mut n = 1;
        while id.is_empty() || self.ids.contains(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        self.ids.insert(id.clone());
        id
    }

    /// `<tag class="…" style="…" attrs…>`; attribute values are escaped. The classes' styles
    /// are inline only in a fragment; a `style` among `attrs` (an element's own style, such as a
    /// table's minimum width) is joined to them in one attribute.
    pub(crate) fn open(
        &mut self,
        out: &mut String,
        tag: &str,
        classes: &[Class],
        attrs: &[(&str, &str)],
    ) {
        self.open_unclosed(out, tag, classes, attrs);
        out.push('>');
    }

    /// [`Writer::open`] without the closing `>`, for a caller that writes more attributes.
    pub(crate) fn open_unclosed(
        &mut self,
        out: &mut String,
        tag: &str,
        classes: &[Class],
        attrs: &[(&str, &str)],
    ) {
        out.push('<');
        out.push_str(tag);
        for (i, c) in classes.iter().enumerate() {
            out.push_str(if i == 0 { " class=\"" } else { " " });
            out.push_str(c.name());
        }
        if !classes.is_empty() {
            out.push('"');
        }
        let inline = if self.inline {
            css::inline(classes)
        } else {
            String::new()
        };
        let own = attrs.iter().filter(|(name, _)| *name == "style");
        let mut first = true;
        for style in std::iter::once(inline.as_str()).chain(own.map(|(_, v)| *v)) {
            if style.is_empty() {
                continue;
            }
            out.push_str(if first { " style=\"" } else { "; " });
            first = false;
            self.esc.push(out, style);
        }
        if !first {
            out.push('"');
        }
        for (name, value) in attrs.iter().filter(|(name, _)| *name != "style") {
            out.push(' ');
            out.push_str(name);
            out.push_str("=\"");
            self.esc.push(out, value);
            out.push('"');
        }
    }

    /// The report's content in its wrapper (`<main>` in a page, `<div>` in a fragment).
    fn report(&mut self, doc: &Document) -> String {
        let mut out = String::with_capacity(64 * 1024);
        let tag = if self.inline { "div" } else { "main" };
        let lang = language(doc);
        if self.inline {
            self.open(&mut out, tag, &[Class::Report], &[("lang", lang)]);
        } else {
            self.open(&mut out, tag, &[Class::Report], &[]);
        }
        out.push('\n');
        let title_id = self.unique_id("nb-title");
        self.open(&mut out, "h1", &[Class::Title], &[("id", &title_id)]);
        let lines: Vec<&String> = doc
            .title_lines
            .iter()
            .filter(|l| !l.trim().is_empty())
            .collect();
        if lines.is_empty() {
            self.esc.push(&mut out, &page_title(doc));
        } else {
            for (i, l) in lines.iter().enumerate() {
                if i > 0 {
                    out.push_str("<br>");
                }
                self.esc.push(&mut out, l);
            }
        }
        out.push_str("</h1>\n");
        // The nearest heading labels a table that has no caption of its own.
        let mut label = title_id;
        let mut seen_level_1 = false;
        for block in &doc.blocks {
            match block {
                Block::Heading {
                    level,
                    text,
                    section,
                } => {
                    if text.trim().is_empty() {
                        continue;
                    }
                    let base = match section {
                        Some(key) => format!("nb-{}", id_token(key)),
                        None => "nb-heading".to_string(),
                    };
                    let id = self.unique_id(&base);
                    // Levels stay in order: a level-2 heading before any level-1 one is an h2.
                    let (tag, class) = if *level <= 1 {
                        seen_level_1 = true;
                        ("h2", Class::Heading1)
                    } else if seen_level_1 {
                        ("h3", Class::Heading2)
                    } else {
                        ("h2", Class::Heading2)
                    };
                    self.open(&mut out, tag, &[class], &[("id", &id)]);
                    self.esc.push_lines(&mut out, text);
                    out.push_str("</");
                    out.push_str(tag);
                    out.push_str(">\n");
                    label = id;
                }
                Block::Paragraph(text) => {
                    if text.trim().is_empty() {
                        continue;
                    }
                    self.open(&mut out, "p", &[Class::Paragraph], &[]);
                    self.esc.push_lines(&mut out, text);
                    out.push_str("</p>\n");
                }
                Block::Marked(spans) => {
                    if spans.iter().all(|s| s.text.trim().is_empty()) {
                        continue;
                    }
                    self.open(&mut out, "p", &[Class::Paragraph], &[]);
                    for s in spans {
                        if s.marked {
                            out.push_str("<mark>");
                        }
                        self.esc.push_lines(&mut out, &s.text);
                        if s.marked {
                            out.push_str("</mark>");
                        }
                    }
                    out.push_str("</p>\n");
                }
                Block::Table(t) => {
                    self.tables += 1;
                    let n = self.tables;
                    table::write(self, &mut out, t, n, &label);
                }
            }
        }
        out.push_str("</");
        out.push_str(tag);
        out.push_str(">\n");
        out
    }

    /// The whole page around the content: doctype, `lang`, charset, viewport, title, metadata
    /// and the stylesheet.
    fn page(&mut self, doc: &Document, content: &str) -> String {
        let mut out = String::with_capacity(content.len() + 8 * 1024);
        out.push_str("<!DOCTYPE html>\n<html lang=\"");
        out.push_str(language(doc));
        out.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n");
        out.push_str(
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
        );
        let title = page_title(doc);
        self.esc.push(&mut out, &title);
        out.push_str("</title>\n");
        if !doc.meta.author.trim().is_empty() {
            out.push_str("<meta name=\"author\" content=\"");
            self.esc.push(&mut out, &doc.meta.author);
            out.push_str("\">\n");
        }
        out.push_str("<meta name=\"generator\" content=\"nianbao\">\n<style>\n");
        out.push_str(&css::stylesheet());
        out.push_str("</style>\n</head>\n<body>\n");
        out.push_str(content);
        out.push_str("</body>\n</html>\n");
        out
    }
}

/// The document's language tag when it is a plausible BCP 47 tag, else `zh-CN`.
fn language(doc: &Document) -> &str {
    let l = doc.meta.language.as_str();
    let plausible = !l.is_empty()
        && l.len() <= 35
        && l.starts_with(|c: char| c.is_ascii_alphabetic())
        && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if plausible {
        l
    } else {
        "zh-CN"
    }
}

/// A title that is never empty once forbidden characters are dropped (HTML requires a
/// non-empty `<title>`): the report's title, else the format's name, else the year.
fn page_title(doc: &Document) -> String {
    let visible = |s: &str| {
        s.chars()
            .any(|c| !c.is_whitespace() && !escape::is_forbidden(c))
    };
    if visible(&doc.title) {
        doc.title.clone()
    } else if visible(&doc.meta.subject) {
        doc.meta.subject.clone()
    } else {
        doc.meta.year.to_string()
    }
}
