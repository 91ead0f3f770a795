//! One layout table as an HTML table: the grid placed slot by slot (spans kept, gaps of a
//! ragged free-form table filled with empty cells, spans clipped to their row group), header
//! cells as `<th>` with a scope and an id, and every data cell's `headers` listing the labels
//! above it (its header block) and to its left (its row labels), so a screen reader (and a
//! parser) finds a cell's labels through the spans.

use super::css::Class;
use super::Writer;
use crate::layout::{Align, Cell, Content, RowKind, Table};
use crate::text::push_decimal;

/// The widest a statutory table may be set, in table-font ems: the 156 mm type area at 10.5 pt
/// (五号) is 42 ems, so a printed table never runs past the margins.
const MAX_MIN_WIDTH_EM: f32 = 42.0;
/// Minimum width per column in table-font ems (two characters and the padding), so that wide
/// tables scroll sideways on a phone instead of squeezing each column to one character.
const COLUMN_MIN_EM: f32 = 3.0;

/// A placed cell: a cell of the model, or an empty cell filling a gap.
struct Slot<'a> {
    row: usize,
    col: usize,
    rows: usize,
    cols: usize,
    cell: Option<&'a Cell>,
    /// The `id` of a header cell.
    id: Option<String>,
}

impl Slot<'_> {
    fn is_header(&self, kind: RowKind) -> bool {
        match self.cell {
            Some(c) => {
                matches!(c.content, Content::Text(_)) && (c.is_label || kind != RowKind::Body)
            }
            None => false,
        }
    }
}

/// The grid of a table after placement.
struct Grid<'a> {
    slots: Vec<Slot<'a>>,
    width: usize,
    /// Relative width of every column (the model's, merged where columns were merged).
    widths: Vec<f32>,
    /// Rows that form the `<thead>`: the leading header rows.
    head_rows: usize,
    /// For every row, the first row after its row group.
    group_end: Vec<usize>,
    /// The column groups set by the first header row (empty when it sets none).
    colgroups: Vec<(usize, usize)>,
    /// For every row, the range of `slots` that start in it.
    row_slots: Vec<std::ops::Range<usize>>,
}

fn kinds(t: &Table) -> Vec<RowKind> {
    t.rows.iter().map(|r| r.kind).collect()
}

/// Places every cell on the grid. The model guarantees no overlaps; if a cell's slot is taken
/// anyway, it moves right to the next free slot (as an HTML table would), and its spans are
/// clipped to free slots inside its row group, so the markup always is a valid table.
fn place(t: &Table) -> Grid<'_> {
    let n = t.rows.len();
    let kinds = kinds(t);
    let head_rows = kinds.iter().take_while(|k| **k == RowKind::Header).count();
    // Row groups: the head, then a new body group at every caption row (table 二's items).
    let mut group_end = vec![n; n];
    let mut starts: Vec<usize> = vec![0];
    if head_rows > 0 && head_rows < n {
        starts.push(head_rows);
    }
    for (r, k) in kinds.iter().enumerate().skip(head_rows) {
        if *k == RowKind::Caption && r > head_rows {
            starts.push(r);
        }
    }
    starts.push(n);
    starts.dedup();
    for w in starts.windows(2) {
        for end in group_end.iter_mut().take(w[1]).skip(w[0]) {
            *end = w[1];
        }
    }
    let mut taken: Vec<Vec<bool>> = vec![Vec::new(); n];
    let is_taken = |taken: &Vec<Vec<bool>>, r: usize, c: usize| {
        taken
            .get(r)
            .and_then(|row| row.get(c))
            .copied()
            .unwrap_or(false)
    };
    let mut slots = Vec::new();
    for (r, row) in t.rows.iter().enumerate() {
        let mut cells: Vec<&Cell> = row.cells.iter().collect();
        cells.sort_by_key(|c| c.col);
        for cell in cells {
            let mut col = cell.col;
            while is_taken(&taken, r, col) {
                col += 1;
            }
            let mut cols = 1;
            while cols < cell.col_span.max(1) && !is_taken(&taken, r, col + cols) {
                cols += 1;
            }
            let mut rows = 1;
            while rows < cell.row_span.max(1)
                && r + rows < group_end[r]
                && (col..col + cols).all(|c| !is_taken(&taken, r + rows, c))
            {
                rows += 1;
            }
            for line in taken.iter_mut().skip(r).take(rows) {
                if line.len() < col + cols {
                    line.resize(col + cols, false);
                }
                for s in line.iter_mut().skip(col).take(cols) {
                    *s = true;
                }
            }
            slots.push(Slot {
                row: r,
                col,
                rows,
                cols,
                cell: Some(cell),
                id: None,
            });
        }
    }
    let width = taken
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .max(if slots.is_empty() { 0 } else { t.columns });
    // Fill the gaps (ragged rows, columns no cell starts in) with empty cells.
    for (r, line) in taken.iter().enumerate() {
        for c in 0..width {
            if !line.get(c).copied().unwrap_or(false) {
                slots.push(Slot {
                    row: r,
                    col: c,
                    rows: 1,
                    cols: 1,
                    cell: None,
                    id: None,
                });
            }
        }
    }
    // A column in which no cell begins is an HTML table-model error (table 二 of the 2019
    // format sets items of 3 and of 2 columns on a grid of 6): merge it into the column before
    // it, spans and widths included.
    let given = &t.column_widths;
    let usable = given.len() >= width && given.iter().all(|w| w.is_finite() && *w > 0.0);
    let mut anchored = vec![false; width];
    for s in &slots {
        if let Some(a) = anchored.get_mut(s.col) {
            *a = true;
        }
    }
    // prefix[c]: anchored columns before c, i.e. the merged index of column c when it is kept
    let mut prefix = Vec::with_capacity(width + 1);
    prefix.push(0);
    for a in &anchored {
        prefix.push(prefix[prefix.len() - 1] + usize::from(*a));
    }
    let merged_width = prefix[width];
    let mut widths = vec![0.0f32; merged_width];
    for c in 0..width {
        let into = if anchored[c] {
            prefix[c]
        } else {
            prefix[c].saturating_sub(1)
        };
        if let Some(w) = widths.get_mut(into) {
            *w += if usable { given[c] } else { 1.0 };
        }
    }
    for s in slots.iter_mut() {
        let end = (s.col + s.cols).min(width);
        let col = prefix[s.col.min(width)];
        s.cols = (prefix[end] - col).max(1);
        s.col = col;
    }
    let width = merged_width;
    slots.sort_by_key(|s| (s.row, s.col));
    let mut row_slots = Vec::with_capacity(n);
    let mut i = 0;
    for r in 0..n {
        let from = i;
        while i < slots.len() && slots[i].row == r {
            i += 1;
        }
        row_slots.push(from..i);
    }
    let mut grid = Grid {
        slots,
        width,
        widths,
        head_rows,
        group_end,
        colgroups: Vec::new(),
        row_slots,
    };
    grid.colgroups = column_groups(&grid);
    grid
}

/// Column widths as percentages.
fn percentages(grid: &Grid) -> Vec<f32> {
    let total: f32 = grid.widths.iter().sum();
    if total > 0.0 {
        grid.widths.iter().map(|w| 100.0 * w / total).collect()
    } else {
        vec![100.0 / grid.width.max(1) as f32; grid.width]
    }
}

/// The table's minimum width in table-font ems: wide enough that its narrowest column (by the
/// model's relative widths) holds [`COLUMN_MIN_EM`], at most the printed type area.
fn min_width_em(grid: &Grid) -> f32 {
    percentages(grid)
        .iter()
        .filter(|p| **p > 0.0)
        .map(|p| COLUMN_MIN_EM * 100.0 / p)
        .fold(0.0f32, f32::max)
        .min(MAX_MIN_WIDTH_EM)
}

/// Writes table number `n`, labelled (when it has no caption) by the element `label_id`.
pub(super) fn write(w: &mut Writer, out: &mut String, t: &Table, n: usize, label_id: &str) {
    let mut grid = place(t);
    if grid.width == 0 || t.rows.is_empty() {
        return;
    }
    let kinds = kinds(t);
    let base = format!("nb-t{n}");
    let table_id = w.unique_id(&base);
    for s in grid.slots.iter_mut() {
        if s.is_header(kinds[s.row]) {
            // `{table_id}-r{row}c{col}`, without the formatter.
            let mut id = String::with_capacity(table_id.len() + 10);
            id.push_str(&table_id);
            id.push_str("-r");
            push_decimal(&mut id, s.row);
            id.push('c');
            push_decimal(&mut id, s.col);
            s.id = Some(w.unique_id_of(id));
        }
    }
    let caption = match &t.name {
        Some(name) if !t.title.trim().is_empty() => Some(format!("{name}\u{3000}{}", t.title)),
        Some(name) => Some(name.clone()),
        None if !t.title.trim().is_empty() => Some(t.title.clone()),
        None => None,
    };
    let caption_id = caption
        .as_ref()
        .map(|_| w.unique_id(&format!("{table_id}-caption")));
    let labelled_by = caption_id.clone().unwrap_or_else(|| label_id.to_string());
    w.open(
        out,
        "div",
        &[Class::Scroll],
        &[
            ("role", "region"),
            ("tabindex", "0"),
            ("aria-labelledby", &labelled_by),
        ],
    );
    out.push('\n');
    let min_width = format!("min-width: {:.1}em", min_width_em(&grid));
    w.open(
        out,
        "table",
        &[Class::Table],
        &[("id", &table_id), ("style", &min_width)],
    );
    out.push('\n');
    if let (Some(text), Some(id)) = (&caption, &caption_id) {
        w.open(out, "caption", &[Class::Caption], &[("id", id)]);
        w.esc.push(out, text);
        out.push_str("</caption>\n");
    }
    write_columns(out, &grid);
    let headers = Headers::new(&grid, kinds);
    for r in 0..t.rows.len() {
        if r == 0 && grid.head_rows > 0 {
            out.push_str("<thead>\n");
        } else if r == grid.head_rows || (r > grid.head_rows && grid.group_end[r - 1] == r) {
            out.push_str("<tbody>\n");
        }
        let keep = t.rows[r].keep_with_next;
        w.open(out, "tr", if keep { &[Class::Keep] } else { &[] }, &[]);
        for s in &grid.slots[grid.row_slots[r].clone()] {
            write_cell(w, out, &grid, &headers, s);
        }
        out.push_str("</tr>\n");
        if r + 1 == grid.head_rows {
            out.push_str("</thead>\n");
        } else if r >= grid.head_rows && grid.group_end[r] == r + 1 {
            out.push_str("</tbody>\n");
        }
    }
    out.push_str("</table>\n</div>\n");
}

/// `<colgroup>`s and `<col>` widths. When the first header row groups columns (a label over
/// several columns, e.g. 申请人情况 or 行政复议), each of its cells gets its own column group,
/// so that its `scope="colgroup"` names exactly the columns it spans.
fn write_columns(out: &mut String, grid: &Grid) {
    let pct = percentages(grid);
    let col = |out: &mut String, c: usize| {
        use std::fmt::Write as _;
        let _ = write!(
            out,
            "<col style=\"width: {:.2}%\">",
            pct.get(c).copied().unwrap_or(0.0)
        );
    };
    if grid.colgroups.is_empty() {
        out.push_str("<colgroup>");
        for c in 0..grid.width {
            col(out, c);
        }
        out.push_str("</colgroup>\n");
    } else {
        for &(start, span) in &grid.colgroups {
            out.push_str("<colgroup>");
            for c in start..start + span {
                col(out, c);
            }
            out.push_str("</colgroup>\n");
        }
    }
}

/// The column groups set by the first header row, when one of its cells spans columns.
fn column_groups(grid: &Grid) -> Vec<(usize, usize)> {
    if grid.head_rows == 0 {
        return Vec::new();
    }
    let Some(range) = grid.row_slots.first() else {
        return Vec::new();
    };
    let first = &grid.slots[range.clone()];
    if !first.iter().any(|s| s.cols > 1) {
        return Vec::new();
    }
    first.iter().map(|s| (s.col, s.cols)).collect()
}

fn scope(grid: &Grid, kind: RowKind, s: &Slot) -> &'static str {
    match kind {
        RowKind::Header if s.row == 0 && s.cols > 1 && !grid.colgroups.is_empty() => "colgroup",
        RowKind::Header | RowKind::SubHeader => "col",
        RowKind::Caption => "rowgroup",
        RowKind::Body => "row",
    }
}

/// Where a data cell finds its headers: for every row, the header block above it (the nearest
/// run of non-body rows) and the row labels that cover it (label cells of body rows, spans
/// included), as indices into the grid's slots.
struct Headers {
    kinds: Vec<RowKind>,
    /// For every row, the rows of its header block.
    block: Vec<std::ops::Range<usize>>,
    /// For every row, the body-row label cells covering it, left to right.
    row_labels: Vec<Vec<usize>>,
}

impl Headers {
    fn new(grid: &Grid, kinds: Vec<RowKind>) -> Headers {
        let n = kinds.len();
        let mut block = Vec::with_capacity(n);
        let (mut run_start, mut last) = (0, 0..0);
        for r in 0..n {
            let after_header = r > 0 && kinds[r - 1] != RowKind::Body;
            block.push(if after_header {
                run_start..r
            } else {
                last.clone()
            });
            if kinds[r] != RowKind::Body {
                if !after_header {
                    run_start = r;
                }
                last = run_start..r + 1;
            }
        }
        let mut row_labels = vec![Vec::new(); n];
        for (i, h) in grid.slots.iter().enumerate() {
            if h.id.is_some() && kinds[h.row] == RowKind::Body {
                for labels in row_labels.iter_mut().skip(h.row).take(h.rows) {
                    labels.push(i);
                }
            }
        }
        for labels in &mut row_labels {
            labels.sort_by_key(|&i| grid.slots[i].col);
        }
        Headers {
            kinds,
            block,
            row_labels,
        }
    }

    /// The ids of a data cell's headers, each passed to `add` in order: the header cells of its
    /// header block that cover its columns (top to bottom), then the row labels to its left.
    fn each(&self, grid: &Grid, s: &Slot, mut add: impl FnMut(&str)) {
        let overlaps = |a: usize, n: usize, b: usize, m: usize| a < b + m && b < a + n;
        for r in self.block[s.row].clone() {
            for h in &grid.slots[grid.row_slots[r].clone()] {
                if let Some(id) = &h.id {
                    if overlaps(h.col, h.cols, s.col, s.cols) {
                        add(id);
                    }
                }
            }
        }
        for &i in &self.row_labels[s.row] {
            let h = &grid.slots[i];
            if let Some(id) = &h.id {
                if h.col + h.cols <= s.col {
                    add(id);
                }
            }
        }
    }
}

fn write_cell(w: &mut Writer, out: &mut String, grid: &Grid, headers: &Headers, s: &Slot) {
    let kind = headers.kinds[s.row];
    // Spans are written only when above 1 (most cells): no number formatted for the others.
    let rowspan = if s.rows > 1 {
        s.rows.to_string()
    } else {
        String::new()
    };
    let colspan = if s.cols > 1 {
        s.cols.to_string()
    } else {
        String::new()
    };
    let mut attrs: Vec<(&str, &str)> = Vec::with_capacity(5);
    if s.rows > 1 {
        attrs.push(("rowspan", &rowspan));
    }
    if s.cols > 1 {
        attrs.push(("colspan", &colspan));
    }
    let align = |c: &Cell| match c.align {
        Align::Left => Some(Class::Left),
        Align::Center => None,
        Align::Right => Some(Class::Right),
    };
    match (s.cell, &s.id) {
        (Some(cell), Some(id)) => {
            attrs.insert(0, ("id", id));
            let scope = scope(grid, kind, s);
            attrs.push(("scope", scope));
            let classes = [Some(Class::Header), align(cell)];
            let classes = present(&classes);
            w.open(out, "th", &classes, &attrs);
            cell_text(w, out, cell);
            out.push_str("</th>");
        }
        (Some(cell), None) => {
            let classes = match &cell.content {
                Content::Number(_) | Content::Derived(_) => {
                    [Some(Class::Cell), Some(Class::Number)]
                }
                Content::Text(_) => [Some(Class::Cell), align(cell)],
            };
            let classes = present(&classes);
            w.open_unclosed(out, "td", &classes, &attrs);
            // `headers="…"`, the ids space-separated, when the cell has any (written in place,
            // escaped as every attribute value is).
            let mut first = true;
            headers.each(grid, s, |id| {
                out.push_str(if first { " headers=\"" } else { " " });
                first = false;
                w.esc.push(out, id);
            });
            if !first {
                out.push('"');
            }
            out.push('>');
            cell_text(w, out, cell);
            out.push_str("</td>");
        }
        (None, _) => {
            w.open(out, "td", &[Class::Cell], &attrs);
            out.push_str("</td>");
        }
    }
}

/// The classes that are present, in order, without allocating: `(buffer, count)` as a slice.
struct Present {
    buf: [Class; 2],
    len: usize,
}

impl std::ops::Deref for Present {
    type Target = [Class];
    fn deref(&self) -> &[Class] {
        &self.buf[..self.len]
    }
}

fn present(classes: &[Option<Class>; 2]) -> Present {
    let mut out = Present {
        buf: [Class::Cell; 2],
        len: 0,
    };
    for c in classes.iter().flatten() {
        out.buf[out.len] = *c;
        out.len += 1;
    }
    out
}

/// A cell's text, escaped; a marked cell's inside `<mark>`.
fn cell_text(w: &mut Writer, out: &mut String, cell: &Cell) {
    if cell.marked {
        out.push_str("<mark>");
    }
    w.esc.push_lines(out, cell.content.text());
    if cell.marked {
        out.push_str("</mark>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Row;

    fn cell(col: usize, row_span: usize, col_span: usize, text: &str, is_label: bool) -> Cell {
        Cell {
            col,
            row_span,
            col_span,
            align: Align::Center,
            is_label,
            marked: false,
            content: Content::Text(text.into()),
        }
    }

    fn table(columns: usize, rows: Vec<(RowKind, Vec<Cell>)>) -> Table {
        Table {
            id: "t".into(),
            name: None,
            title: String::new(),
            columns,
            column_widths: vec![1.0; columns],
            header_rows: rows.iter().filter(|r| r.0 == RowKind::Header).count(),
            rows: rows
                .into_iter()
                .map(|(kind, cells)| Row {
                    kind,
                    cells,
                    keep_with_next: false,
                })
                .collect(),
            checks: Vec::new(),
        }
    }

    fn spans(g: &Grid) -> Vec<(usize, usize, usize, usize, bool)> {
        g.slots
            .iter()
            .map(|s| (s.row, s.col, s.rows, s.cols, s.cell.is_some()))
            .collect()
    }

    #[test]
    fn ragged_rows_are_filled_with_empty_cells() {
        let t = table(
            2,
            vec![
                (
                    RowKind::Body,
                    vec![cell(0, 1, 1, "a", true), cell(1, 1, 1, "b", false)],
                ),
                (
                    RowKind::Body,
                    vec![
                        cell(0, 1, 1, "c", true),
                        cell(1, 1, 1, "d", false),
                        cell(2, 1, 1, "e", false),
                    ],
                ),
            ],
        );
        let g = place(&t);
        assert_eq!(g.width, 3);
        assert!(spans(&g).contains(&(0, 2, 1, 1, false)), "{:?}", spans(&g));
    }

    #[test]
    fn overlapping_cells_move_right_and_spans_stop_at_taken_slots_and_groups() {
        let t = table(
            3,
            vec![
                (RowKind::Caption, vec![cell(0, 5, 3, "caption", true)]),
                (
                    RowKind::Body,
                    vec![cell(0, 1, 1, "x", true), cell(0, 1, 2, "y", false)],
                ),
                (RowKind::Caption, vec![cell(0, 1, 3, "next", true)]),
            ],
        );
        let g = place(&t);
        let s = spans(&g);
        // The caption's rowspan of 5 stops at the end of its row group (rows 0..2); row 1 is
        // covered by it, so its cells move right (x to column 3, y to 4..6); the columns 1
        // and 2, where no cell begins any more, merge into column 0; empty cells fill the gaps.
        assert_eq!(
            s,
            vec![
                (0, 0, 2, 1, true),
                (0, 1, 1, 1, false),
                (0, 2, 1, 1, false),
                (0, 3, 1, 1, false),
                (1, 1, 1, 1, true),
                (1, 2, 1, 2, true),
                (2, 0, 1, 1, true),
                (2, 1, 1, 1, false),
                (2, 2, 1, 1, false),
                (2, 3, 1, 1, false),
            ]
        );
        assert_eq!(g.group_end, vec![2, 2, 3]);
    }

    #[test]
    fn columns_where_no_cell_begins_are_merged() {
        // items of 3 and 2 columns on a grid of 1 + 6, as 2019 表二
        let three: Vec<Cell> = (0..3).map(|i| cell(1 + 2 * i, 1, 2, "n", false)).collect();
        let two: Vec<Cell> = (0..2).map(|i| cell(1 + 3 * i, 1, 3, "n", false)).collect();
        let mut a = vec![cell(0, 1, 1, "a", true)];
        a.extend(three);
        let mut b = vec![cell(0, 1, 1, "b", true)];
        b.extend(two);
        let t = table(7, vec![(RowKind::Body, a), (RowKind::Body, b)]);
        let g = place(&t);
        assert_eq!(g.width, 5);
        let s = spans(&g);
        assert_eq!(
            s,
            vec![
                (0, 0, 1, 1, true),
                (0, 1, 1, 1, true),
                (0, 2, 1, 2, true),
                (0, 4, 1, 1, true),
                (1, 0, 1, 1, true),
                (1, 1, 1, 2, true),
                (1, 3, 1, 2, true),
            ]
        );
        // widths merge: the three items stay equal, and so do the two
        assert_eq!(g.widths, vec![1.0, 2.0, 1.0, 1.0, 2.0]);
    }

    #[test]
    fn numbers_are_pushed_as_display_writes_them() {
        for n in [0, 1, 9, 10, 42, 99, 100, 12345, usize::MAX] {
            let mut s = String::from("x");
            push_decimal(&mut s, n);
            assert_eq!(s, format!("x{n}"));
        }
    }

    #[test]
    fn an_empty_table_writes_nothing() {
        let mut w = Writer::new(false);
        let mut out = String::new();
        write(&mut w, &mut out, &table(0, Vec::new()), 1, "nb-title");
        assert!(out.is_empty());
    }
}
