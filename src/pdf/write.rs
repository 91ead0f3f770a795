//! Serialization of laid-out pages with krilla: glyph runs, rules, the tag tree, the outline,
//! metadata and the PDF/A or PDF/UA configuration. No layout decisions are made here.

use super::fonts::FontSet;
use super::frame::{Owner, PlacedGlyph};
use super::page::{PAGE_H, PAGE_W};
use super::paginate::{StructureNode, TypesetDocument};
use super::{messages, pack};
use crate::layout::Document;
use crate::options::{ExportError, ExportOptions, PdfStandard};
use crate::text::xml_text;
use krilla::configure::{Accessibility, Archival, ConfigurationBuilder, PdfVersion};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::Stroke;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, Node, SpanTag, TableHeaderScope, Tag, TagGroup,
    TagTree,
};
use krilla::text::{GlyphId, KrillaGlyph};
use krilla::{Document as KDocument, SerializeSettings};
use std::num::{NonZeroU16, NonZeroU32};

fn err(message: String) -> ExportError {
    ExportError::Writer {
        target: "pdf",
        message,
    }
}

/// Writes the laid-out document.
pub fn serialize(
    doc: &Document,
    laid: &TypesetDocument,
    fonts: &FontSet,
    opts: &ExportOptions,
) -> Result<Vec<u8>, ExportError> {
    let mut config = ConfigurationBuilder::new().with_version(PdfVersion::Pdf17);
    config = match opts.pdf_standard {
        PdfStandard::None => config,
        PdfStandard::A2b => config.with_archival_validator(Archival::A2_B),
        PdfStandard::A2u => config.with_archival_validator(Archival::A2_U),
        PdfStandard::Ua1 => config.with_accessibility_validator(Accessibility::UA1),
    };
    let configuration = config.finish().map_err(|_| {
        err("内部错误：PDF 版本与所选标准不兼容 (internal error: the PDF version does not suit the standard)".into())
    })?;
    let settings = SerializeSettings {
        configuration,
        enable_tagging: true,
        // page contents and CMaps are deflated by `pack`, with one compressor for all
        compress_content_streams: false,
        ..SerializeSettings::default()
    };
    let mut document = KDocument::new_with(settings);

    let kfonts: Vec<krilla::text::Font> = fonts.faces().iter().map(|f| f.krilla.clone()).collect();

    let mut ids: Vec<Option<Identifier>> = vec![None; laid.leaves];
    let stroke = Stroke {
        width: super::paginate::RULE_W,
        ..Stroke::default()
    };
    for frame in &laid.pages {
        let settings =
            PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| err("page size".into()))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        if !frame.rules.is_empty() {
            let mut pb = PathBuilder::new();
            for r in &frame.rules {
                pb.move_to(r.x1, r.y1);
                pb.line_to(r.x2, r.y2);
            }
            if let Some(path) = pb.finish() {
                surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
                    ArtifactType::Layout,
                )));
                surface.set_fill(None);
                surface.set_stroke(Some(stroke.clone()));
                surface.draw_path(&path);
                surface.set_stroke(None);
                surface.end_tagged();
            }
        }
        for line in &frame.lines {
            let id = match line.owner {
                Owner::Leaf(_) => surface.start_tagged(ContentTag::Span(SpanTag::empty())),
                Owner::Pagination => surface.start_tagged(ContentTag::Artifact(
                    Artifact::with_kind(ArtifactType::PaginationOther),
                )),
            };
            draw_line(
                &mut surface,
                &kfonts,
                &line.glyphs,
                line.baseline,
                line.size,
            );
            surface.end_tagged();
            if let Owner::Leaf(l) = line.owner {
                if let Some(slot) = ids.get_mut(l) {
                    *slot = Some(id);
                }
            }
        }
        surface.finish();
        page.finish();
    }

    // tag tree
    let mut tree = TagTree::new().with_lang(Some(doc.meta.language.clone()));
    let take = |ids: &mut Vec<Option<Identifier>>, leaves: &[usize]| -> Vec<Node> {
        leaves
            .iter()
            .filter_map(|&l| ids.get_mut(l).and_then(Option::take))
            .map(Node::from)
            .collect()
    };
    for node in &laid.structure {
        match node {
            StructureNode::Heading { level, leaves } => {
                let level = NonZeroU16::new(*level).unwrap_or(NonZeroU16::MIN);
                let title = Some(nav_title(&leaves_text(laid, leaves)));
                let kids = take(&mut ids, leaves);
                if !kids.is_empty() {
                    tree.push(TagGroup::with_children(Tag::Hn(level, title), kids));
                }
            }
            StructureNode::Paragraph(leaves) => {
                let kids = take(&mut ids, leaves);
                if !kids.is_empty() {
                    tree.push(TagGroup::with_children(Tag::P, kids));
                }
            }
            StructureNode::Table(rows) => {
                let mut table = TagGroup::new(Tag::Table);
                for row in rows {
                    let mut tr = TagGroup::new(Tag::TR);
                    for c in &row.cells {
                        let kids = take(&mut ids, &c.leaves);
                        if kids.is_empty() {
                            continue;
                        }
                        let rs = NonZeroU32::new(c.row_span as u32).filter(|n| n.get() > 1);
                        let cs = NonZeroU32::new(c.col_span as u32).filter(|n| n.get() > 1);
                        let cell: TagGroup = if c.header {
                            let scope = if c.column_scope {
                                TableHeaderScope::Column
                            } else {
                                TableHeaderScope::Row
                            };
                            TagGroup::with_children(
                                Tag::TH(scope).with_row_span(rs).with_col_span(cs),
                                kids,
                            )
                        } else {
                            TagGroup::with_children(
                                Tag::TD.with_row_span(rs).with_col_span(cs),
                                kids,
                            )
                        };
                        tr.push(cell);
                    }
                    if !tr.children.is_empty() {
                        table.push(tr);
                    }
                }
                if !table.children.is_empty() {
                    tree.push(table);
                }
            }
        }
    }
    // leaves not placed in the structure (should not happen) still need a parent
    let rest: Vec<Node> = ids
        .iter_mut()
        .filter_map(Option::take)
        .map(Node::from)
        .collect();
    if !rest.is_empty() {
        tree.push(TagGroup::with_children(Tag::P, rest));
    }
    document.set_tag_tree(tree);

    let mut outline = Outline::new();
    for e in &laid.outline {
        outline.push_child(OutlineNode::new(
            nav_title(&e.title),
            XyzDestination::new(e.page, Point::from_xy(0.0, e.y)),
        ));
    }
    document.set_outline(outline);

    let d = opts.effective_date(doc);
    let date = DateTime::new(d.year.clamp(0, 9999) as u16)
        .month(d.month.clamp(1, 12) as u8)
        .day(d.day.clamp(1, 31) as u8);
    // Info and XMP: XMP is XML, so characters XML 1.0 forbids (a vertical tab in the title, a
    // backspace in the agency) are removed; krilla escapes the rest
    let metadata = Metadata::new()
        .title(xml_text(&doc.meta.title).into_owned())
        .authors(vec![xml_text(&doc.meta.author).into_owned()])
        .description(xml_text(&doc.meta.subject).into_owned())
        .language(xml_text(&doc.meta.language).into_owned())
        .creator(format!("nianbao {}", env!("CARGO_PKG_VERSION")))
        .creation_date(date);
    document.set_metadata(metadata);
    let raw = document
        .finish()
        .map_err(|e| messages::krilla_error(&e, fonts, opts.pdf_standard))?;
    // object streams and a cross-reference stream; should krilla's output ever not be shaped
    // as `pack` expects, the unpacked file is still a valid PDF (the tests require packing)
    Ok(pack::pack(&raw, !opts.single_thread).unwrap_or(raw))
}

/// Longest text kept in a bookmark or a heading's `/T` title: these are navigation aids (the
/// full text is on the page), and PDF strings are limited to 32,767 bytes.
pub(crate) const NAV_TITLE_CHARS: usize = 500;

/// A heading's text for the outline and the tag tree: control characters removed, cut to
/// [`NAV_TITLE_CHARS`] with an ellipsis.
fn nav_title(text: &str) -> String {
    let clean: String = text.chars().filter(|c| !c.is_control()).collect();
    if clean.chars().count() <= NAV_TITLE_CHARS {
        return clean;
    }
    let mut cut: String = clean.chars().take(NAV_TITLE_CHARS - 1).collect();
    cut.push('…');
    cut
}

fn leaves_text(laid: &TypesetDocument, leaves: &[usize]) -> String {
    let mut out = String::new();
    for p in &laid.pages {
        for l in &p.lines {
            if let Owner::Leaf(i) = l.owner {
                if leaves.contains(&i) {
                    out.push_str(&l.text());
                }
            }
        }
    }
    out
}

/// Glyph positions are written in thousandths of an em (the PDF's text space unit for fonts).
const EM_UNITS: f32 = 1000.0;

/// Draws one line: consecutive glyphs of the same face form one `draw_glyphs` call; advances
/// are the distances between the placed glyphs, so positions are exact.
fn draw_line(
    surface: &mut krilla::surface::Surface,
    fonts: &[krilla::text::Font],
    glyphs: &[PlacedGlyph],
    baseline: f32,
    size: f32,
) {
    let mut i = 0;
    while i < glyphs.len() {
        let face = glyphs[i].face;
        let mut j = i + 1;
        while j < glyphs.len() && glyphs[j].face == face {
            j += 1;
        }
        let run = &glyphs[i..j];
        let mut text = String::new();
        let mut kg = Vec::with_capacity(run.len());
        // positions in thousandths of an em from the run's start, rounded: the advances become
        // whole font units, so the TJ adjustments are short integers that compress well (and
        // no glyph moves by more than half a unit, 0.008 pt at 16 pt)
        let x0 = run[0].x;
        let units = |x: f32| ((x - x0) * EM_UNITS / size).round();
        for (k, g) in run.iter().enumerate() {
            let start = text.len();
            text.push(g.text);
            let end = match run.get(k + 1) {
                Some(next) => next.x,
                None => g.x + g.advance,
            };
            kg.push(KrillaGlyph::new(
                GlyphId::new(u32::from(g.gid)),
                (units(end) - units(g.x)) / EM_UNITS,
                0.0,
                0.0,
                0.0,
                start..text.len(),
                None,
            ));
        }
        if let Some(font) = fonts.get(face) {
            surface.draw_glyphs(
                Point::from_xy(run[0].x, baseline),
                &kg,
                font.clone(),
                &text,
                size,
                false,
            );
        }
        i = j;
    }
}
