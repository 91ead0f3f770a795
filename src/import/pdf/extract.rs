//! What a page draws, as the importer needs it: each glyph with its Unicode text and its box in
//! page space (points, origin at the top-left corner, y down), the ruling lines of table
//! borders, and the marked-content identifiers (MCIDs) that tie glyphs to the tag tree.
//! The PDF itself is interpreted by hayro (fonts, ToUnicode and predefined CMaps, Identity-H
//! and Identity-V, form XObjects); this module only records.

use hayro_interpret::font::GlyphRun;
use hayro_interpret::hayro_cmap::{BfString, WritingMode};
use hayro_interpret::hayro_syntax::object::Dict;
use hayro_interpret::kurbo::{Affine, BezPath, PathEl, Point, Rect};
use hayro_interpret::{
    BlendMode, ClipPath, Device, DrawMode, DrawProps, Image, ImageDrawProps, SoftMask,
};

/// Glyphs a page may hold before the rest of it is ignored (a guard against hostile files).
pub const MAX_GLYPHS_PER_PAGE: usize = 200_000;
/// Ruling segments a page may hold before the rest are ignored.
pub const MAX_RULES_PER_PAGE: usize = 20_000;

/// Ascent and descent of a glyph box in glyph units (1000 per em), for fonts that do not
/// say: the usual CJK design box.
const ASCENT: f64 = 880.0;
const DESCENT: f64 = -120.0;
/// A filled rectangle thinner than this (points) is a rule, not a shaded area.
const RULE_MAX_THICKNESS: f64 = 3.0;

/// One drawn glyph.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Unicode text (usually one character; a ligature or an ActualText span may be more).
    pub text: String,
    /// Left edge, points.
    pub x0: f32,
    /// Top edge, points from the top of the page.
    pub y0: f32,
    /// Right edge.
    pub x1: f32,
    /// Bottom edge.
    pub y1: f32,
    /// Font size in points (the length of the em vector on the page).
    pub size: f32,
    /// Drawn with a vertical (Identity-V) font.
    pub vertical: bool,
    /// The marked-content identifier of the innermost enclosing `/MCID` sequence.
    pub mcid: Option<i64>,
    /// Inside an `/Artifact` sequence (page numbers, repeated headers of tagged PDFs).
    pub artifact: bool,
}

impl Glyph {
    /// Horizontal centre.
    pub fn cx(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }
    /// Vertical centre.
    pub fn cy(&self) -> f32 {
        (self.y0 + self.y1) / 2.0
    }
}

/// An axis-parallel line segment drawn on the page (a table border).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    /// Horizontal (runs along x) or vertical.
    pub horizontal: bool,
    /// The fixed coordinate: y for a horizontal rule, x for a vertical one.
    pub at: f32,
    /// Start along the running axis (smaller).
    pub from: f32,
    /// End along the running axis (larger).
    pub to: f32,
}

/// Everything recorded on one page.
#[derive(Debug, Clone, Default)]
pub struct PageContent {
    /// Page width in points.
    pub width: f32,
    /// Page height in points.
    pub height: f32,
    /// Glyphs in drawing order.
    pub glyphs: Vec<Glyph>,
    /// Ruling segments.
    pub rules: Vec<Rule>,
    /// Images drawn (a page with images and no glyphs is a scan).
    pub images: usize,
    /// Glyphs or rules were dropped because the page exceeded the limits.
    pub truncated: bool,
}

/// One open marked-content sequence.
struct Marked {
    mcid: Option<i64>,
    artifact: bool,
    actual_text: Option<String>,
    first_glyph: usize,
}

/// The hayro device that records a page.
pub struct Recorder {
    page: PageContent,
    marked: Vec<Marked>,
}

impl Recorder {
    /// A recorder for a page of the given size.
    pub fn new(width: f32, height: f32) -> Self {
        Recorder {
            page: PageContent {
                width,
                height,
                ..PageContent::default()
            },
            marked: Vec::new(),
        }
    }

    /// The recorded page; open marked-content sequences are closed.
    pub fn finish(mut self) -> PageContent {
        while !self.marked.is_empty() {
            self.end_marked_content();
        }
        self.page
    }

    fn current_mcid(&self) -> Option<i64> {
        self.marked.iter().rev().find_map(|m| m.mcid)
    }

    fn in_artifact(&self) -> bool {
        self.marked.iter().any(|m| m.artifact)
    }

    fn push_rule(&mut self, rule: Rule) {
        if self.page.rules.len() >= MAX_RULES_PER_PAGE {
            self.page.truncated = true;
            return;
        }
        self.page.rules.push(rule);
    }

    /// Records the axis-parallel segments of a stroked path.
    fn stroked(&mut self, path: &BezPath) {
        let mut start = Point::ZERO;
        let mut last = Point::ZERO;
        for el in path.elements() {
            match *el {
                PathEl::MoveTo(p) => {
                    start = p;
                    last = p;
                }
                PathEl::LineTo(p) => {
                    self.segment(last, p);
                    last = p;
                }
                PathEl::ClosePath => {
                    self.segment(last, start);
                    last = start;
                }
                PathEl::QuadTo(_, p) | PathEl::CurveTo(_, _, p) => last = p,
            }
        }
    }

    fn segment(&mut self, a: Point, b: Point) {
        let (dx, dy) = ((b.x - a.x).abs(), (b.y - a.y).abs());
        if !(a.x.is_finite() && a.y.is_finite() && b.x.is_finite() && b.y.is_finite()) {
            return;
        }
        if dy < 0.5 && dx >= 1.0 {
            self.push_rule(Rule {
                horizontal: true,
                at: ((a.y + b.y) / 2.0) as f32,
                from: a.x.min(b.x) as f32,
                to: a.x.max(b.x) as f32,
            });
        } else if dx < 0.5 && dy >= 1.0 {
            self.push_rule(Rule {
                horizontal: false,
                at: ((a.x + b.x) / 2.0) as f32,
                from: a.y.min(b.y) as f32,
                to: a.y.max(b.y) as f32,
            });
        }
    }

    /// Records a filled path: each closed subpath whose box is a thin rectangle is a rule.
    fn filled(&mut self, path: &BezPath) {
        let mut sub = BezPath::new();
        let flush = |sub: &mut BezPath, this: &mut Self| {
            if sub.elements().len() >= 3 && is_rectangle(sub) {
                let b = sub.control_box();
                this.thin_box(b);
            }
            sub.truncate(0);
        };
        for el in path.elements() {
            if matches!(el, PathEl::MoveTo(_)) {
                flush(&mut sub, self);
            }
            sub.push(*el);
        }
        flush(&mut sub, self);
    }

    fn thin_box(&mut self, b: Rect) {
        let (w, h) = (b.width(), b.height());
        if !(w.is_finite() && h.is_finite()) {
            return;
        }
        if h <= RULE_MAX_THICKNESS && w > h && w >= 1.0 {
            self.push_rule(Rule {
                horizontal: true,
                at: ((b.y0 + b.y1) / 2.0) as f32,
                from: b.x0 as f32,
                to: b.x1 as f32,
            });
        } else if w <= RULE_MAX_THICKNESS && h > w && h >= 1.0 {
            self.push_rule(Rule {
                horizontal: false,
                at: ((b.x0 + b.x1) / 2.0) as f32,
                from: b.y0 as f32,
                to: b.y1 as f32,
            });
        }
    }
}

/// Whether a subpath is made of axis-parallel straight lines only (a rectangle as `re` or as
/// four `l`s draws it).
fn is_rectangle(sub: &BezPath) -> bool {
    let mut last = None;
    for el in sub.elements() {
        match *el {
            PathEl::MoveTo(p) => last = Some(p),
            PathEl::LineTo(p) => {
                if let Some(q) = last {
                    if (p.x - q.x).abs() > 0.5 && (p.y - q.y).abs() > 0.5 {
                        return false;
                    }
                }
                last = Some(p);
            }
            PathEl::ClosePath => {}
            PathEl::QuadTo(..) | PathEl::CurveTo(..) => return false,
        }
    }
    true
}

fn bf_text(s: BfString) -> String {
    match s {
        BfString::Char(c) => c.to_string(),
        BfString::String(s) => s,
    }
}

impl<'a> Device<'a> for Recorder {
    fn draw_path(&mut self, path: &BezPath, props: DrawProps<'a>, draw_mode: &DrawMode) {
        let path = props.transform * path.clone();
        match draw_mode {
            DrawMode::Stroke(_) => self.stroked(&path),
            DrawMode::Fill(_) => self.filled(&path),
            DrawMode::FillAndStroke(..) => {
                self.stroked(&path);
            }
            DrawMode::Invisible => {}
        }
    }

    fn draw_rect(&mut self, rect: &Rect, props: DrawProps<'a>, draw_mode: &DrawMode) {
        use hayro_interpret::kurbo::Shape;
        self.draw_path(&rect.to_path(0.1), props, draw_mode);
    }

    fn push_clip_path(&mut self, _: &ClipPath) {}

    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}

    fn draw_glyph_run(&mut self, run: &GlyphRun<'_, 'a>, props: DrawProps<'a>, _: &DrawMode) {
        let vertical = run.writing_mode() == WritingMode::Vertical;
        let mcid = self.current_mcid();
        let artifact = self.in_artifact();
        for glyph in run.glyphs() {
            if self.page.glyphs.len() >= MAX_GLYPHS_PER_PAGE {
                self.page.truncated = true;
                return;
            }
            let text = glyph
                .as_unicode()
                .map(bf_text)
                .unwrap_or_else(|| '\u{FFFD}'.to_string());
            let advance = match &**glyph {
                hayro_interpret::font::Glyph::Outline(o) => o.advance_width(),
                hayro_interpret::font::Glyph::Type3(t) => t.advance_width(),
            }
            .filter(|a| a.is_finite() && *a > 0.0)
            .unwrap_or(1000.0) as f64;
            let t: Affine = props.transform * glyph.transform();
            let corners = [
                t * Point::new(0.0, DESCENT),
                t * Point::new(advance, DESCENT),
                t * Point::new(0.0, ASCENT),
                t * Point::new(advance, ASCENT),
            ];
            let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
            for c in corners {
                x0 = x0.min(c.x);
                y0 = y0.min(c.y);
                x1 = x1.max(c.x);
                y1 = y1.max(c.y);
            }
            let em = (t * Point::new(0.0, 1000.0)) - (t * Point::ZERO);
            let size = em.hypot();
            if !(x0.is_finite()
                && y0.is_finite()
                && x1.is_finite()
                && y1.is_finite()
                && size.is_finite())
            {
                continue;
            }
            self.page.glyphs.push(Glyph {
                text,
                x0: x0 as f32,
                y0: y0 as f32,
                x1: x1 as f32,
                y1: y1 as f32,
                size: size as f32,
                vertical,
                mcid,
                artifact,
            });
        }
    }

    fn draw_image(&mut self, _: Image<'a, '_>, _: ImageDrawProps<'a>) {
        self.page.images += 1;
    }

    fn pop_clip(&mut self) {}

    fn pop_transparency_group(&mut self) {}

    fn begin_marked_content(&mut self, tag: &[u8], properties: Option<&Dict<'_>>) {
        let mcid = properties.and_then(|p| p.get::<i64>(b"MCID"));
        let actual_text = properties
            .and_then(|p| p.get::<hayro_interpret::hayro_syntax::object::String<'_>>(b"ActualText"))
            .map(|s| super::text::decode_text_string(s.as_bytes()));
        self.marked.push(Marked {
            mcid,
            artifact: tag == b"Artifact",
            actual_text,
            first_glyph: self.page.glyphs.len(),
        });
    }

    fn end_marked_content(&mut self) {
        let Some(m) = self.marked.pop() else {
            return;
        };
        // An /ActualText replaces what the glyphs of the sequence say (a □ drawn for a
        // character no font had, a decomposed ligature).
        if let Some(actual) = m.actual_text {
            let first = m.first_glyph.min(self.page.glyphs.len());
            let replaced: Vec<Glyph> = self.page.glyphs.drain(first..).collect();
            if let Some(head) = replaced.first() {
                let mut g = head.clone();
                for r in &replaced[1..] {
                    g.x0 = g.x0.min(r.x0);
                    g.y0 = g.y0.min(r.y0);
                    g.x1 = g.x1.max(r.x1);
                    g.y1 = g.y1.max(r.y1);
                }
                g.text = actual;
                self.page.glyphs.push(g);
            }
        }
    }
}
