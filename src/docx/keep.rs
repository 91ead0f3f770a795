//! Where a page may break inside a table. The PDF paginates tables itself (src/pdf/paginate.rs);
//! Word and LibreOffice paginate the DOCX, and the only way to give them the same rules is to
//! mark rows that must stay on the page with the next row (`keepNext` on every paragraph of the
//! row; every row also has `cantSplit`). The rules (issue 12 item 2):
//!
//! * the model's `keep_with_next` rows (header, caption and column-header rows) stay with the
//!   next row;
//! * a table starts on a page only with its header rows and at least [`MIN_START_ROWS`] body
//!   rows;
//! * a table-二 group (a caption row and the rows up to the next caption) moves whole;
//! * rows under one merged label (a cell spanning rows) move whole when they take at most a
//!   third of the type area, as in the PDF; a longer block may break inside, but never right
//!   after its first row nor right before its last, and both parts keep the rows the label's
//!   text needs (or half the block).

use super::units::{CELL_MARGIN, TABLE_LINE};
use crate::layout::{text_ems, RowKind, Table};

/// Body rows a table brings onto the page where it starts (with its header rows).
pub const MIN_START_ROWS: usize = 3;

/// The type-area height in twips: the grid lines of a page.
const TYPE_HEIGHT: usize = crate::style::page::LINES * super::units::LINE_PITCH as usize;

/// Lines a text needs in a cell of `width` twips at `half_points`.
fn lines(text: &str, width: usize, half_points: usize) -> usize {
    let room = width.saturating_sub(2 * CELL_MARGIN).max(1) as f32;
    let em = half_points as f32 * 10.0; // twips per em
    text.split('\n')
        .map(|l| ((text_ems(l) * em) / room).ceil().max(1.0) as usize)
        .sum()
}

/// For every row of `t`: whether it must stay on the page with the next row. `grid` is the
/// column widths in twips, `half_points` the table's text size.
pub fn keep_with_next(t: &Table, grid: &[usize], half_points: usize) -> Vec<bool> {
    let n = t.rows.len();
    let mut keep: Vec<bool> = t.rows.iter().map(|r| r.keep_with_next).collect();
    if n == 0 {
        return keep;
    }
    let width =
        |col: usize, span: usize| -> usize { grid.iter().skip(col).take(span.max(1)).sum() };
    // Estimated height of each row in table lines (exactly TABLE_LINE twips each), from the
    // cells that start in it and span one row.
    let mut height = vec![1usize; n];
    let mut blocks = Vec::new();
    for (r, row) in t.rows.iter().enumerate() {
        for c in &row.cells {
            let need = lines(c.content.text(), width(c.col, c.col_span), half_points);
            let span = c.row_span.max(1).min(n - r);
            if span == 1 {
                height[r] = height[r].max(need);
            } else {
                blocks.push((r, r + span, need));
            }
        }
    }
    // The table starts with its header and the first body rows.
    let first = t.header_rows.min(n);
    for k in keep
        .iter_mut()
        .take((first + MIN_START_ROWS - 1).min(n))
        .skip(first)
    {
        *k = true;
    }
    // Table-二 groups: a caption row and the rows up to the next caption move together.
    let captions: Vec<usize> = (0..n)
        .filter(|&r| t.rows[r].kind == RowKind::Caption)
        .collect();
    for (i, &s) in captions.iter().enumerate() {
        let e = captions.get(i + 1).copied().unwrap_or(n);
        for k in &mut keep[s..e - 1] {
            *k = true;
        }
    }
    // Rows under a merged label.
    let third = TYPE_HEIGHT / 3 / TABLE_LINE as usize;
    for &(s, e, need) in &blocks {
        let total: usize = height[s..e].iter().sum();
        if total <= third {
            for k in &mut keep[s..e - 1] {
                *k = true;
            }
            continue;
        }
        let want = need.min(total / 2).max(1);
        // rows from the top (and from the bottom) until the label's lines fit, at least two
        let mut top = 0;
        let mut acc = 0;
        while s + top < e && (acc < want || top < 2) {
            acc += height[s + top];
            top += 1;
        }
        for k in &mut keep[s..s + top - 1] {
            *k = true;
        }
        let mut bottom = 0;
        let mut acc = 0;
        while bottom < e - s && (acc < want || bottom < 2) {
            acc += height[e - 1 - bottom];
            bottom += 1;
        }
        for k in &mut keep[e - bottom..e - 1] {
            *k = true;
        }
    }
    keep[n - 1] = false;
    keep
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{Align, Block, Cell, Content, Row};

    fn table(example: &str, id: &str) -> Table {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let json = std::fs::read_to_string(root.join("examples").join(example)).unwrap();
        let doc = crate::layout::build(&crate::Report::from_json(&json).unwrap());
        doc.blocks
            .into_iter()
            .find_map(|b| match b {
                Block::Table(t) if t.id == id => Some(t),
                _ => None,
            })
            .unwrap()
    }

    fn keeps(t: &Table) -> Vec<bool> {
        let grid = super::super::column_twips(&t.column_widths, t.columns);
        keep_with_next(t, &grid, 21)
    }

    #[test]
    fn table_two_groups_move_whole_with_their_caption() {
        let t = table("demo-2019.json", "proactive");
        let keep = keeps(&t);
        for (r, row) in t.rows.iter().enumerate() {
            let last_of_group = t
                .rows
                .get(r + 1)
                .is_none_or(|next| next.kind == RowKind::Caption);
            assert_eq!(keep[r], !last_of_group, "row {r} ({:?})", row.kind);
        }
    }

    #[test]
    fn table_three_starts_with_body_rows_and_keeps_label_blocks() {
        let t = table("demo-2019.json", "applications");
        let keep = keeps(&t);
        let h = t.header_rows;
        assert!(keep[..h + MIN_START_ROWS - 1].iter().all(|&k| k));
        // every block under a merged label: never split after its first row nor before its
        // last; small blocks (（四）, 3 rows) whole
        for (r, row) in t.rows.iter().enumerate() {
            for c in row.cells.iter().filter(|c| c.row_span > 1 && r >= h) {
                let e = r + c.row_span;
                assert!(keep[r], "{} split from its first row", c.content.text());
                assert!(
                    keep[e - 2],
                    "{} split before its last row",
                    c.content.text()
                );
                if c.row_span <= 5 {
                    assert!(keep[r..e - 1].iter().all(|&k| k), "{}", c.content.text());
                }
            }
        }
        // the 22-row block 三、本年度办理结果 may break somewhere
        assert!(keep.iter().any(|&k| !k));
        assert!(!keep[t.rows.len() - 1]);
    }

    #[test]
    fn a_block_longer_than_a_page_still_has_break_points() {
        let row = |label: bool| Row {
            kind: RowKind::Body,
            cells: vec![Cell {
                col: 1,
                row_span: 1,
                col_span: 1,
                align: Align::Center,
                is_label: false,
                marked: false,
                content: Content::Text(if label { "x".into() } else { "1".into() }),
            }],
            keep_with_next: false,
        };
        let mut rows: Vec<Row> = (0..60).map(|_| row(false)).collect();
        rows[0].cells.insert(
            0,
            Cell {
                col: 0,
                row_span: 60,
                col_span: 1,
                align: Align::Center,
                is_label: true,
                marked: false,
                content: Content::Text("标签".into()),
            },
        );
        let t = Table {
            id: "t".into(),
            name: None,
            title: String::new(),
            columns: 2,
            column_widths: vec![1.0, 1.0],
            header_rows: 0,
            rows,
            checks: Vec::new(),
        };
        let keep = keeps(&t);
        assert!(keep[0] && keep[58]);
        assert!(keep.iter().filter(|&&k| !k).count() > 50);
    }
}
