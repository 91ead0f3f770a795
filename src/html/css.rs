//! The page's styles, decided once: one declaration list per element class (the screen style
//! that also works on a phone), written either as the embedded stylesheet of a whole page (with
//! the GB/T 9704 print style, `@page` and page numbers) or inline on every element of a CMS
//! fragment. Sizes for print come from [`crate::style`]; font stacks name the common Windows,
//! macOS and Linux faces of each role, since a web page embeds no fonts.

use crate::style::{page, size, MM};
use std::fmt::Write;

/// 仿宋 (body text): the Windows `_GB2312` faces first, then Windows 10+, macOS (Office), TeX
/// Live and Linux faces.
pub const FANG_STACK: &str = "'仿宋_GB2312', 'FangSong_GB2312', '仿宋', FangSong, STFangsong, '华文仿宋', '方正仿宋_GBK', FandolFang, 'Noto Serif CJK SC', 'Source Han Serif SC', 'Songti SC', serif";
/// 黑体 (level-1 headings).
pub const HEI_STACK: &str = "'黑体', SimHei, 'Heiti SC', STHeiti, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', sans-serif";
/// 楷体 (level-2 headings).
pub const KAI_STACK: &str = "'楷体_GB2312', 'KaiTi_GB2312', '楷体', KaiTi, STKaiti, '华文楷体', 'Kaiti SC', 'GovDoc Kai', 'LXGW WenKai', 'AR PL UKai CN', serif";
/// 小标宋 (the title), falling back to a bold 宋体.
pub const TITLE_STACK: &str = "'方正小标宋简体', '方正小标宋_GBK', FZXiaoBiaoSong-B05S, '华文中宋', STZhongsong, 'Noto Serif CJK SC', 'Source Han Serif SC', 'Songti SC', '宋体', SimSun, serif";
/// 宋体 (tables and page numbers).
pub const SONG_STACK: &str = "'宋体', SimSun, 'Songti SC', STSong, 'Noto Serif CJK SC', 'Source Han Serif SC', 'AR PL UMing CN', serif";

/// Width below which the phone style applies.
pub const PHONE_MAX_EM: f32 = 30.0;

/// What an element is, for styling: each has a class name and a screen declaration list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// The wrapper of the whole report (`nianbao-report`).
    Report,
    /// The title (`<h1>`).
    Title,
    /// A level-1 heading `一、…` (黑体).
    Heading1,
    /// A level-2 heading `（一）…` (楷体).
    Heading2,
    /// A body paragraph.
    Paragraph,
    /// The focusable wrapper that lets a wide table scroll sideways.
    Scroll,
    /// A table.
    Table,
    /// A table's caption.
    Caption,
    /// A header or label cell.
    Header,
    /// A data cell.
    Cell,
    /// A number cell (right-aligned, tabular figures).
    Number,
    /// Left-aligned text.
    Left,
    /// Right-aligned text.
    Right,
    /// A row that a printed page must not end after.
    Keep,
}

impl Class {
    /// Every class, in stylesheet order (later classes win over earlier ones on one element).
    pub const ALL: [Class; 14] = [
        Class::Report,
        Class::Title,
        Class::Heading1,
        Class::Heading2,
        Class::Paragraph,
        Class::Scroll,
        Class::Table,
        Class::Caption,
        Class::Header,
        Class::Cell,
        Class::Number,
        Class::Left,
        Class::Right,
        Class::Keep,
    ];

    /// The class name.
    pub fn name(self) -> &'static str {
        match self {
            Class::Report => "nianbao-report",
            Class::Title => "nb-title",
            Class::Heading1 => "nb-heading-1",
            Class::Heading2 => "nb-heading-2",
            Class::Paragraph => "nb-p",
            Class::Scroll => "nb-scroll",
            Class::Table => "nb-table",
            Class::Caption => "nb-caption",
            Class::Header => "nb-th",
            Class::Cell => "nb-td",
            Class::Number => "nb-num",
            Class::Left => "nb-left",
            Class::Right => "nb-right",
            Class::Keep => "nb-keep",
        }
    }

    /// The screen declarations (also the inline style of a fragment's elements).
    pub fn declarations(self) -> String {
        const RULE: &str = "1px solid #000";
        match self {
            Class::Report => format!(
                "font-family: {FANG_STACK}; font-size: 1.125rem; line-height: 1.8; color: #000; background: #fff; overflow-wrap: anywhere; max-width: 50em; margin: 0 auto; padding: 1.5em 1em"
            ),
            Class::Title => format!(
                "font-family: {TITLE_STACK}; font-size: {:.3}em; font-weight: bold; font-synthesis: none; line-height: 1.5; text-align: center; margin: 0 0 1em",
                size::TITLE / size::BODY
            ),
            Class::Heading1 => format!(
                "font-family: {HEI_STACK}; font-size: 1em; font-weight: normal; line-height: inherit; margin: 0"
            ),
            Class::Heading2 => format!(
                "font-family: {KAI_STACK}; font-size: 1em; font-weight: normal; line-height: inherit; margin: 0"
            ),
            Class::Paragraph => "margin: 0; text-indent: 2em; text-align: justify".into(),
            Class::Scroll => "overflow-x: auto; max-width: 100%; margin: 0.6em 0 1em".into(),
            Class::Table => format!(
                "border-collapse: collapse; width: 100%; font-family: {SONG_STACK}; font-size: 0.875em; line-height: 1.5; text-indent: 0"
            ),
            Class::Caption => "font-weight: bold; text-align: center; padding: 0 0 0.3em".into(),
            Class::Header => format!(
                "border: {RULE}; padding: 0.3em 0.4em; font-weight: normal; text-align: center; vertical-align: middle"
            ),
            Class::Cell => format!(
                "border: {RULE}; padding: 0.3em 0.4em; text-align: center; vertical-align: middle"
            ),
            Class::Number => "text-align: right; font-variant-numeric: tabular-nums".into(),
            Class::Left => "text-align: left".into(),
            Class::Right => "text-align: right".into(),
            Class::Keep => String::new(),
        }
    }

    fn selector(self) -> String {
        match self {
            Class::Report => format!(".{}", self.name()),
            c => format!(".{} .{}", Class::Report.name(), c.name()),
        }
    }
}

/// The inline `style` value for an element of the given classes (a fragment's elements).
pub fn inline(classes: &[Class]) -> String {
    classes
        .iter()
        .map(|c| c.declarations())
        .filter(|d| !d.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Points with two decimals.
fn pt(v: f32) -> String {
    format!("{v:.2}pt")
}

/// The embedded stylesheet of a whole page: the screen rules of every class, the phone
/// adjustments, and the GB/T 9704 print style (A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm,
/// 22 lines of 16 pt 仿宋, 22 pt title, 10.5 pt tables, page numbers `— N —` in 14 pt 宋体 7 mm
/// below the type area, odd pages right and even pages left, one character in). Every
/// selector is scoped to `.nianbao-report`, except `@page` and the page's own margin.
pub fn stylesheet() -> String {
    let r = Class::Report.selector();
    let mut css = String::new();
    css.push_str("body { margin: 0; background: #fff }\n");
    for c in Class::ALL {
        let d = c.declarations();
        if !d.is_empty() {
            let _ = writeln!(css, "{} {{ {d} }}", c.selector());
        }
    }
    // Keyboard users see where they are when a table wrapper has the focus.
    let _ = writeln!(
        css,
        "{} :focus-visible {{ outline: 2px solid #000; outline-offset: 2px }}",
        r
    );
    // On a phone a wide table scrolls: its caption starts at the left, where it can be read.
    let _ = writeln!(
        css,
        "@media (max-width: {PHONE_MAX_EM}em) {{ {r} {{ font-size: 1.0625rem; padding: 1em 0.75em }} {} {{ text-align: left }} }}",
        Class::Caption.selector()
    );
    let line = page::TYPE_HEIGHT_MM * MM / page::LINES as f32;
    let folio = format!(
        "content: '— ' counter(page) ' —'; font-family: {SONG_STACK}; font-size: {}; vertical-align: top; padding-top: {}mm",
        pt(size::FOLIO),
        page::FOLIO_GAP_MM
    );
    let _ = writeln!(
        css,
        "@page {{ size: A4; margin: {}mm {}mm {}mm {}mm }}",
        page::TOP_MM,
        page::RIGHT_MM,
        page::BOTTOM_MM,
        page::LEFT_MM
    );
    let _ = writeln!(
        css,
        "@page :right {{ @bottom-right {{ {folio}; text-align: right; padding-right: {} }} }}",
        pt(size::FOLIO)
    );
    let _ = writeln!(
        css,
        "@page :left {{ @bottom-left {{ {folio}; text-align: left; padding-left: {} }} }}",
        pt(size::FOLIO)
    );
    let t = Class::Title.selector();
    let table = Class::Table.selector();
    let _ = writeln!(
        css,
        "@media print {{\n  {r} {{ font-size: {}; line-height: {}; max-width: none; margin: 0; padding: 0 }}\n  {t} {{ font-size: {}; line-height: 1.4; margin: 0 0 {} }}\n  {table} {{ font-size: {}; line-height: 1.3 }}\n  {} {{ overflow: visible; margin: {} 0 }}\n  {r} tr {{ break-inside: avoid }}\n  {} {{ break-after: avoid }}\n  {r} h2, {r} h3 {{ break-after: avoid }}\n}}",
        pt(size::BODY),
        pt(line),
        pt(size::TITLE),
        pt(line),
        pt(size::TABLE),
        Class::Scroll.selector(),
        pt(line / 2.0),
        Class::Keep.selector(),
    );
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_scoped_to_the_report() {
        let css = stylesheet();
        for line in css.lines() {
            let l = line.trim_start();
            if l.starts_with('.') {
                assert!(l.starts_with(".nianbao-report"), "{line}");
            }
        }
        assert!(css.contains("@page { size: A4; margin: 37mm 26mm 35mm 28mm }"));
        assert!(css.contains("font-variant-numeric: tabular-nums"));
        assert!(css.contains("overflow-wrap: anywhere"));
        assert!(css.contains("font-size: 16.00pt") && css.contains("font-size: 22.00pt"));
    }

    #[test]
    fn inline_styles_join_classes_in_order() {
        let s = inline(&[Class::Cell, Class::Number]);
        let center = s.find("text-align: center").unwrap_or(usize::MAX);
        let right = s.find("text-align: right").unwrap_or(0);
        assert!(center < right, "the number's alignment must come last: {s}");
    }
}
