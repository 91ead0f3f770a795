//! Builds the docx-rs document from the layout model: page setup, named styles, title, headings,
//! paragraphs, tables (grid with gridSpan/vMerge) and the odd/even page-number footers. What
//! docx-rs cannot express (tblHeader, firstLineChars, core properties, schema order) is left to
//! [`super::fix`], which gets the per-table facts it needs through [`Built`].

use super::geometry::*;
use super::Faces;
use crate::layout::{Align, Block, Cell, Document, Row, RowKind, Table};
use docx_rs::{
    AlignmentType, BreakType, DocGrid, DocGridType, Docx, FieldCharType, Footer, InstrPAGE,
    InstrText, LineSpacing, LineSpacingType, PageMargin, Paragraph, Run, RunFonts,
    SpecialIndentType, Style, StyleType, TableAlignmentType, TableBorder, TableBorderPosition,
    TableBorders, TableCell, TableCellMargins, TableLayoutType, TableRow, VAlignType, VMergeType,
    WidthType,
};

/// The docx-rs document plus what the post-processing pass needs to know.
pub struct Built {
    /// The document, ready for `build()`.
    pub docx: Docx,
    /// For each table in document order: how many leading rows repeat as the header.
    pub header_rows: Vec<usize>,
}

/// Style ids (and the names Word shows). Built-in names where Word has one, so Word maps them to
/// its own styles (Title, heading 1, heading 2, Body Text, footer).
pub const STYLE_TITLE: &str = "Title";
pub const STYLE_H1: &str = "Heading1";
pub const STYLE_H2: &str = "Heading2";
pub const STYLE_BODY: &str = "BodyText";
pub const STYLE_TABLE: &str = "TableText";
pub const STYLE_TABLE_LABEL: &str = "TableLabel";
pub const STYLE_FOOTER: &str = "Footer";

fn fonts(east_asia: &str, latin: &str) -> RunFonts {
    RunFonts::new()
        .ascii(latin)
        .hi_ansi(latin)
        .east_asia(east_asia)
        .cs(latin)
        .hint("eastAsia")
}

fn exact(line: i32) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(line)
        .before(0)
        .after(0)
}

fn styles(docx: Docx, table_pt: usize, faces: &Faces) -> Docx {
    let body_fonts = fonts(&faces.body, FONT_LATIN);
    // Normal: the base every other style inherits (body font, size, grid pitch, −0.25 pt spacing).
    let mut normal = Style::new("Normal", StyleType::Paragraph)
        .name("Normal")
        .fonts(body_fonts)
        .size(BODY_HALF_POINTS)
        .line_spacing(exact(LINE_PITCH))
        .q_format(true);
    normal.run_property = normal.run_property.spacing(BODY_CHAR_SPACING);
    let body = Style::new(STYLE_BODY, StyleType::Paragraph)
        .name("Body Text")
        .based_on("Normal")
        .align(AlignmentType::Both)
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(INDENT_2CH)),
            None,
            None,
        )
        .q_format(true);
    let mut title = Style::new(STYLE_TITLE, StyleType::Paragraph)
        .name("Title")
        .based_on("Normal")
        .next(STYLE_BODY)
        .fonts(fonts(&faces.title, &faces.title))
        .size(TITLE_HALF_POINTS)
        .align(AlignmentType::Center)
        .line_spacing(exact(LINE_PITCH).after(LINE_PITCH as u32))
        .q_format(true);
    // Heading levels differ only in id, name, face and outline level.
    let heading = |id: &str, name: &str, face: &str, level: usize| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next(STYLE_BODY)
            .fonts(fonts(face, face))
            .align(AlignmentType::Both)
            .indent(
                None,
                Some(SpecialIndentType::FirstLine(INDENT_2CH)),
                None,
                None,
            )
            .outline_lvl(level)
            .q_format(true)
    };
    let h1 = heading(STYLE_H1, "heading 1", &faces.heading, 0);
    let h2 = heading(STYLE_H2, "heading 2", &faces.kai, 1);
    let table_line = TABLE_LINE;
    let mut table = Style::new(STYLE_TABLE, StyleType::Paragraph)
        .name("Table Text")
        .based_on("Normal")
        .size(table_pt)
        .align(AlignmentType::Center)
        .line_spacing(exact(table_line))
        .snap_to_grid(false)
        .q_format(true);
    let label = Style::new(STYLE_TABLE_LABEL, StyleType::Paragraph)
        .name("Table Heading")
        .based_on(STYLE_TABLE)
        .fonts(fonts(&faces.heading, FONT_LATIN))
        .q_format(true);
    let mut footer = Style::new(STYLE_FOOTER, StyleType::Paragraph)
        .name("footer")
        .based_on("Normal")
        .fonts(fonts(&faces.song, &faces.song))
        .size(FOOTER_HALF_POINTS)
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Auto)
                .line(240)
                .before(0)
                .after(0),
        )
        .snap_to_grid(false);
    title.run_property = title.run_property.spacing(0);
    table.run_property = table.run_property.spacing(0);
    footer.run_property = footer.run_property.spacing(0);
    docx.add_style(normal)
        .add_style(body)
        .add_style(title)
        .add_style(h1)
        .add_style(h2)
        .add_style(table)
        .add_style(label)
        .add_style(footer)
}

/// Splits text at `\n` into runs separated by line breaks.
fn text_runs(mut p: Paragraph, text: &str, size: Option<usize>) -> Paragraph {
    let mut run = Run::new();
    if let Some(size) = size {
        run = run.size(size);
    }
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                run = run.add_tab();
            }
            run = run.add_text(xml_safe(piece));
        }
    }
    p = p.add_run(run);
    p
}

/// Drops characters XML 1.0 cannot carry (C0 controls other than tab and newline, U+FFFE,
/// U+FFFF); Word refuses a part that contains them.
pub fn xml_safe(s: &str) -> String {
    s.chars()
        .filter(|&c| !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{d}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'))
        .collect()
}

fn footer(odd: bool) -> Footer {
    let p = Paragraph::new().style(STYLE_FOOTER);
    let p = if odd {
        p.align(AlignmentType::Right)
            .indent(None, None, Some(FOOTER_INDENT), None)
    } else {
        p.align(AlignmentType::Left)
            .indent(Some(FOOTER_INDENT), None, None, None)
    };
    let p = p
        .add_run(Run::new().add_text("— "))
        .add_run(Run::new().add_field_char(FieldCharType::Begin, false))
        .add_run(Run::new().add_instr_text(InstrText::PAGE(InstrPAGE::new())))
        .add_run(Run::new().add_field_char(FieldCharType::Separate, false))
        .add_run(Run::new().add_text("1"))
        .add_run(Run::new().add_field_char(FieldCharType::End, false))
        .add_run(Run::new().add_text(" —"));
    Footer::new().add_paragraph(p)
}

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

/// Column widths in twips, scaled to the type area, summing exactly to [`TYPE_WIDTH`].
pub fn column_twips(widths: &[f32], columns: usize) -> Vec<usize> {
    if columns == 0 {
        return Vec::new();
    }
    let w: Vec<f64> = (0..columns)
        .map(|i| {
            let v = widths.get(i).copied().unwrap_or(1.0) as f64;
            if v.is_finite() && v > 0.0 {
                v
            } else {
                1.0
            }
        })
        .collect();
    let sum: f64 = w.iter().sum();
    let mut out: Vec<usize> = w
        .iter()
        .map(|v| (v / sum * TYPE_WIDTH as f64).floor() as usize)
        .collect();
    // Hand the rounding remainder to the widest columns, one twip each, left to right.
    let mut rest = TYPE_WIDTH as usize - out.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..columns).collect();
    order.sort_by(|&a, &b| w[b].total_cmp(&w[a]).then(a.cmp(&b)));
    let mut k = 0;
    while rest > 0 {
        out[order[k % columns]] += 1;
        rest -= 1;
        k += 1;
    }
    out
}

/// One position of the docx row: a cell that starts here, or the continuation of a vertical
/// merge from above.
enum Slot<'a> {
    Start(&'a Cell),
    Continue { span: usize },
    Empty,
}

/// Lays the layout rows onto the full grid: every row gets a slot for every grid column.
fn slots(t: &Table) -> Vec<Vec<Slot<'_>>> {
    let cols = t.columns;
    // covered[c] = (rows left, span) of a vertical span running through column c.
    let mut covered: Vec<Option<(usize, usize)>> = vec![None; cols];
    let mut out = Vec::with_capacity(t.rows.len());
    for row in &t.rows {
        let mut line = Vec::new();
        let mut c = 0;
        while c < cols {
            if let Some(cell) = row.cells.iter().find(|x| x.col == c) {
                let span = cell.col_span.clamp(1, cols - c);
                if cell.row_span > 1 {
                    covered[c] = Some((cell.row_span - 1, span));
                }
                line.push(Slot::Start(cell));
                c += span;
            } else if let Some((left, span)) = covered[c] {
                covered[c] = if left > 1 {
                    Some((left - 1, span))
                } else {
                    None
                };
                let span = span.clamp(1, cols - c);
                line.push(Slot::Continue { span });
                c += span;
            } else {
                line.push(Slot::Empty);
                c += 1;
            }
        }
        out.push(line);
    }
    out
}

fn borders() -> TableBorders {
    let b = |p| TableBorder::new(p).size(BORDER_EIGHTHS).color("000000");
    TableBorders::new()
        .set(b(TableBorderPosition::Top))
        .set(b(TableBorderPosition::Left))
        .set(b(TableBorderPosition::Bottom))
        .set(b(TableBorderPosition::Right))
        .set(b(TableBorderPosition::InsideH))
        .set(b(TableBorderPosition::InsideV))
}

fn cell_paragraph(cell: Option<&Cell>, row: &Row, size: Option<usize>) -> Paragraph {
    let keep = row.keep_with_next;
    let Some(cell) = cell else {
        return Paragraph::new().style(STYLE_TABLE).keep_next(keep);
    };
    // Header, caption and column-header rows in 黑体; row labels and numbers in 仿宋.
    let style = if cell.is_label && row.kind != RowKind::Body {
        STYLE_TABLE_LABEL
    } else {
        STYLE_TABLE
    };
    let mut p = Paragraph::new().style(style).keep_next(keep);
    p = match cell.align {
        Align::Left => p.align(AlignmentType::Left),
        Align::Right => p.align(AlignmentType::Right),
        Align::Center => p, // the style centres
    };
    text_runs(p, cell.content.text(), size)
}

fn table(t: &Table) -> docx_rs::Table {
    let grid = column_twips(&t.column_widths, t.columns);
    let slots = slots(t);
    // 五号 (10.5 pt, the style's size) up to ten columns, 小五 (9 pt) beyond.
    let size = (t.columns > WIDE_TABLE_COLUMNS).then_some(SMALL_TABLE_HALF_POINTS);
    let mut rows = Vec::with_capacity(t.rows.len());
    for (row, line) in t.rows.iter().zip(slots.iter()) {
        rows.push(table_row(row, line, &grid, size));
    }
    docx_rs::Table::new(rows)
        .set_grid(grid)
        .layout(TableLayoutType::Fixed)
        .width(TYPE_WIDTH as usize, WidthType::Dxa)
        .align(TableAlignmentType::Center)
        .margins(TableCellMargins::new().margin(0, CELL_MARGIN, 0, CELL_MARGIN))
        .set_borders(borders())
}

fn table_row(row: &Row, line: &[Slot], grid: &[usize], size: Option<usize>) -> TableRow {
    let mut cells = Vec::with_capacity(line.len());
    let mut c = 0;
    for slot in line {
        let (span, tc) = match slot {
            Slot::Start(cell) => {
                let span = cell.col_span.clamp(1, grid.len().saturating_sub(c).max(1));
                let mut tc = TableCell::new()
                    .add_paragraph(cell_paragraph(Some(cell), row, size))
                    .vertical_align(VAlignType::Center);
                if cell.row_span > 1 {
                    tc = tc.vertical_merge(VMergeType::Restart);
                }
                (span, tc)
            }
            Slot::Continue { span } => (
                *span,
                TableCell::new()
                    .add_paragraph(cell_paragraph(None, row, size))
                    .vertical_merge(VMergeType::Continue)
                    .vertical_align(VAlignType::Center),
            ),
            Slot::Empty => (
                1,
                TableCell::new()
                    .add_paragraph(cell_paragraph(None, row, size))
                    .vertical_align(VAlignType::Center),
            ),
        };
        let width: usize = grid.iter().skip(c).take(span).sum();
        let mut tc = tc.width(width, WidthType::Dxa);
        if span > 1 {
            tc = tc.grid_span(span);
        }
        cells.push(tc);
        c += span;
    }
    TableRow::new(cells).cant_split()
}

/// Builds the docx-rs document.
pub fn build(doc: &Document, faces: &Faces) -> Built {
    let margin = PageMargin {
        top: MARGIN_TOP,
        left: MARGIN_LEFT,
        bottom: MARGIN_BOTTOM,
        right: MARGIN_RIGHT,
        header: HEADER_DISTANCE,
        footer: FOOTER_DISTANCE,
        gutter: 0,
    };
    let mut docx = Docx::new()
        .page_size(PAGE_WIDTH as u32, PAGE_HEIGHT as u32)
        .page_margin(margin)
        .footer(footer(true))
        .even_footer(footer(false));
    docx.document = docx.document.doc_grid(
        DocGrid::new()
            .grid_type(DocGridType::Lines)
            .line_pitch(LINE_PITCH as usize),
    );
    docx = styles(docx, TABLE_HALF_POINTS, faces);

    // Title: one paragraph, lines separated by line breaks (balanced by the layout model).
    let lines: Vec<&str> = if doc.title_lines.is_empty() {
        vec![doc.title.as_str()]
    } else {
        doc.title_lines.iter().map(String::as_str).collect()
    };
    let mut run = Run::new();
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(xml_safe(l));
    }
    docx = docx.add_paragraph(Paragraph::new().style(STYLE_TITLE).add_run(run));

    let mut header_rows = Vec::new();
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
                let mut p = Paragraph::new().style(style).keep_next(true);
                // Level-1 headings carry a bookmark named after the section key, for
                // cross-references and links into the document.
                let mark = section.as_deref().map(bookmark_name);
                if let Some(name) = &mark {
                    p = p.add_bookmark_start(bookmarks, name.as_str());
                }
                p = text_runs(p, text, None);
                if mark.is_some() {
                    p = p.add_bookmark_end(bookmarks);
                    bookmarks += 1;
                }
                docx = docx.add_paragraph(p);
            }
            Block::Paragraph(text) => {
                docx =
                    docx.add_paragraph(text_runs(Paragraph::new().style(STYLE_BODY), text, None));
            }
            Block::Table(t) => {
                if t.columns == 0 || t.rows.is_empty() {
                    continue;
                }
                if after_table {
                    // Word merges adjacent tables; keep them apart with an empty line.
                    docx = docx.add_paragraph(Paragraph::new().style(STYLE_TABLE));
                }
                header_rows.push(t.header_rows.min(t.rows.len()));
                docx = docx.add_table(table(t));
                after_table = true;
                continue;
            }
        }
        after_table = false;
    }
    Built { docx, header_rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_widths_fill_the_type_area_exactly() {
        for (w, n) in [
            (vec![1.0, 1.2, 4.6, 1.0, 1.0, 1.0, 1.1, 1.1, 1.0, 1.0], 10),
            (vec![1.0; 15], 15),
            (vec![], 3),
            (vec![f32::NAN, -1.0, 0.0, 2.0], 4),
            (vec![1.0; 7], 7),
        ] {
            let t = column_twips(&w, n);
            assert_eq!(t.len(), n);
            assert_eq!(t.iter().sum::<usize>(), TYPE_WIDTH as usize);
        }
        assert!(column_twips(&[1.0], 0).is_empty());
    }

    #[test]
    fn bookmark_names_are_word_safe() {
        assert_eq!(bookmark_name("applications"), "applications");
        assert_eq!(bookmark_name("1x.y"), "s_1x_y");
        assert_eq!(bookmark_name(&"a".repeat(50)).len(), 40);
        assert_eq!(bookmark_name("问题"), "s___");
    }

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(xml_safe("a\u{1}b\u{b}c\u{ffff}d"), "abcd");
        assert_eq!(xml_safe("中文 Text"), "中文 Text");
    }
}
