//! Tables of `word/document.xml`. The layout model's rows list only the cells that start in
//! them; [`slots`] lays them onto the full grid, so that a cell becomes a `w:tc` with `gridSpan`
//! (+ `vMerge="restart"` when it spans rows) and a position covered from above becomes a
//! `vMerge` continuation. Columns are scaled to exactly the type-area width, the layout is fixed,
//! every row has `cantSplit`, the header rows repeat (`tblHeader`), and the rows [`keep`] marks
//! stay on the page with the next row (`keepNext` on all their paragraphs).

use super::document::{marked_run, paragraph_properties};
use super::keep;
use super::styles::{STYLE_TABLE, STYLE_TABLE_LABEL};
use super::units::*;
use super::xml::Xml;
use crate::layout::{Align, Cell, Row, RowKind, Table};

/// Column widths in twips, scaled to the type area, summing exactly to its width (8845).
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
    let mut rest = (TYPE_WIDTH as usize).saturating_sub(out.iter().sum::<usize>());
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

fn table_properties(x: &mut Xml) {
    let border = BORDER_EIGHTHS.to_string();
    let margin = CELL_MARGIN.to_string();
    let width = TYPE_WIDTH.to_string();
    x.start("w:tblPr", &[])
        .empty("w:tblW", &[("w:w", &width), ("w:type", "dxa")])
        .empty("w:jc", &[("w:val", "center")])
        .start("w:tblBorders", &[]);
    for side in [
        "w:top",
        "w:left",
        "w:bottom",
        "w:right",
        "w:insideH",
        "w:insideV",
    ] {
        x.empty(
            side,
            &[
                ("w:val", "single"),
                ("w:sz", &border),
                ("w:space", "0"),
                ("w:color", "000000"),
            ],
        );
    }
    x.end("w:tblBorders")
        .empty("w:tblLayout", &[("w:type", "fixed")])
        .start("w:tblCellMar", &[]);
    for (side, w) in [
        ("w:top", "0"),
        ("w:left", margin.as_str()),
        ("w:bottom", "0"),
        ("w:right", margin.as_str()),
    ] {
        x.empty(side, &[("w:w", w), ("w:type", "dxa")]);
    }
    x.end("w:tblCellMar").end("w:tblPr");
}

/// Writes one table.
pub fn table(x: &mut Xml, t: &Table) {
    let grid = column_twips(&t.column_widths, t.columns);
    let slots = slots(t);
    // 五号 (10.5 pt, the style's size) up to ten columns, 小五 (9 pt) beyond.
    let half_points = if t.columns > WIDE_TABLE_COLUMNS {
        SMALL_TABLE_HALF_POINTS
    } else {
        TABLE_HALF_POINTS
    };
    let size = (t.columns > WIDE_TABLE_COLUMNS).then(|| half_points.to_string());
    let keep = keep::keep_with_next(t, &grid, half_points);
    let header_rows = t.header_rows.min(t.rows.len());
    x.start("w:tbl", &[]);
    table_properties(x);
    x.start("w:tblGrid", &[]);
    for w in &grid {
        x.empty("w:gridCol", &[("w:w", &w.to_string())]);
    }
    x.end("w:tblGrid");
    for (r, (row, line)) in t.rows.iter().zip(slots.iter()).enumerate() {
        table_row(
            x,
            row,
            line,
            &grid,
            size.as_deref(),
            r < header_rows,
            keep[r],
        );
    }
    x.end("w:tbl");
}

fn table_row(
    x: &mut Xml,
    row: &Row,
    line: &[Slot],
    grid: &[usize],
    size: Option<&str>,
    header: bool,
    keep: bool,
) {
    x.start("w:tr", &[])
        .start("w:trPr", &[])
        .empty("w:cantSplit", &[]);
    if header {
        x.empty("w:tblHeader", &[]);
    }
    x.end("w:trPr");
    let mut c = 0;
    for slot in line {
        let (span, merge, cell) = match slot {
            Slot::Start(cell) => (
                cell.col_span.clamp(1, grid.len().saturating_sub(c).max(1)),
                (cell.row_span > 1).then_some("restart"),
                Some(*cell),
            ),
            Slot::Continue { span } => (*span, Some("continue"), None),
            Slot::Empty => (1, None, None),
        };
        let width: usize = grid.iter().skip(c).take(span).sum();
        x.start("w:tc", &[])
            .start("w:tcPr", &[])
            .empty("w:tcW", &[("w:w", &width.to_string()), ("w:type", "dxa")]);
        if span > 1 {
            x.empty("w:gridSpan", &[("w:val", &span.to_string())]);
        }
        if let Some(m) = merge {
            x.empty("w:vMerge", &[("w:val", m)]);
        }
        x.empty("w:vAlign", &[("w:val", "center")]).end("w:tcPr");
        cell_paragraph(x, cell, row, size, keep);
        x.end("w:tc");
        c += span;
    }
    x.end("w:tr");
}

fn cell_paragraph(x: &mut Xml, cell: Option<&Cell>, row: &Row, size: Option<&str>, keep: bool) {
    x.start("w:p", &[]);
    let Some(cell) = cell else {
        paragraph_properties(x, STYLE_TABLE, keep, None);
        x.end("w:p");
        return;
    };
    // Header, caption and column-header rows in 黑体; row labels and numbers in 仿宋.
    let style = if cell.is_label && row.kind != RowKind::Body {
        STYLE_TABLE_LABEL
    } else {
        STYLE_TABLE
    };
    let jc = match cell.align {
        Align::Left => Some("left"),
        Align::Right => Some("right"),
        Align::Center => None, // the style centres
    };
    paragraph_properties(x, style, keep, jc);
    marked_run(x, cell.content.text(), size, cell.marked);
    x.end("w:p");
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
}
