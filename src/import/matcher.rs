//! The matcher: reads the statutory tables out of a token stream by their labels. It walks
//! the tokens of every table-like block in reading order, keeping track of which table, table-二
//! group and header it is in; a row label opens a row and the values after it are that row's
//! cells. Which format each part follows, which column each value belongs to and how run-together
//! digits split are decided afterwards, from all that was read (see `resolve`).

use super::catalog::{catalog, Role};
use super::log::{LogEntry, LogKind};
use super::source::SourcePos;
use super::tokens::{CellAt, TokKind, Token};
use crate::template::TableLayout;
use std::collections::BTreeMap;

/// A value token of a row.
#[derive(Debug, Clone)]
pub(crate) struct ValTok {
    /// Text as found.
    pub text: String,
    /// Value, empty, digits or other text.
    pub kind: TokKind,
    /// Grid slot.
    pub at: Option<CellAt>,
    /// Source position.
    pub pos: SourcePos,
}

/// A labelled row as read.
#[derive(Debug, Clone)]
pub(crate) struct RowRead {
    /// Table key.
    pub table: String,
    /// Table-二 group the row was read under (from the caption), if any.
    pub group: Option<String>,
    /// Candidate leaf labels (catalogue indices).
    pub hits: Vec<usize>,
    /// Match score of the label (1 = exact).
    pub score: f32,
    /// The label as found.
    pub label: String,
    /// Its values.
    pub values: Vec<ValTok>,
    /// Where the label is.
    pub pos: SourcePos,
}

/// The value row of a record-row table (表四), as read.
#[derive(Debug, Clone)]
pub(crate) struct RecordRead {
    /// Table key.
    pub table: String,
    /// Its values.
    pub values: Vec<ValTok>,
    /// Where the first value is.
    pub pos: SourcePos,
}

/// A header label seen in a grid: which slots it covers.
#[derive(Debug, Clone)]
pub(crate) struct HeaderAt {
    /// Catalogue label.
    pub label: usize,
    /// First column covered.
    pub col: usize,
    /// Columns covered.
    pub colspan: usize,
}

/// Everything the matcher read.
#[derive(Debug, Default)]
pub(crate) struct Reading {
    /// Labelled rows, in reading order.
    pub rows: Vec<RowRead>,
    /// Record rows, in reading order.
    pub records: Vec<RecordRead>,
    /// Table-二 column labels seen under each group: group id → catalogue indices.
    pub group_headers: BTreeMap<String, Vec<usize>>,
    /// Header labels of each grid, per (grid, table, group): for mapping values to columns.
    pub grid_headers: BTreeMap<(usize, String, Option<String>), Vec<HeaderAt>>,
    /// Log entries (labels that matched nothing, stray values).
    pub log: Vec<LogEntry>,
    /// Number of tokens that matched a statutory label.
    pub labels_matched: usize,
}

struct Pending {
    row: RowRead,
    all_hits: Vec<usize>,
    /// The label's grid slot.
    label_at: Option<CellAt>,
    /// The most cells any of its leaf readings has.
    expected: usize,
}

/// The cells of a record-row table's one data row, in any format.
fn record_cells(table: &str) -> usize {
    crate::template::all()
        .iter()
        .filter_map(|t| t.table(table))
        .map(|d| d.leaves().len() * d.columns.len())
        .max()
        .unwrap_or(0)
}

/// The most cells a row label's leaf readings have, in any format.
fn expected_cells(hits: &[usize]) -> usize {
    let cat = catalog();
    hits.iter()
        .filter_map(|i| {
            let l = &cat.labels[*i];
            match &l.role {
                Role::Row {
                    key: Some(k),
                    leaf: true,
                    ..
                } => l
                    .formats()
                    .filter_map(crate::template::Template::get)
                    .filter_map(|t| t.table(&l.table))
                    .map(|d| d.columns_of(k).len())
                    .max(),
                _ => None,
            }
        })
        .max()
        .unwrap_or(0)
}

/// The matcher's state while walking tokens.
pub(crate) struct Matcher {
    reading: Reading,
    table: Option<String>,
    group: Option<String>,
    hint: Option<String>,
    pending: Option<Pending>,
    record: Option<RecordRead>,
    /// An unmatched label swallows the values after it (they belong to a row we cannot name).
    swallowing: bool,
}

impl Matcher {
    /// A matcher with nothing read.
    pub fn new() -> Self {
        Matcher {
            reading: Reading::default(),
            table: None,
            group: None,
            hint: None,
            pending: None,
            record: None,
            swallowing: false,
        }
    }

    /// The section the following tokens are in (its key), a hint for ambiguous labels.
    pub fn section(&mut self, key: Option<&str>) {
        self.hint = key.map(str::to_string);
    }

    /// Ends a block (a grid or a text run): a row's values do not continue into the next block.
    pub fn end_block(&mut self) {
        self.flush();
        self.swallowing = false;
    }

    /// Feeds one token.
    pub fn feed(&mut self, tok: Token) {
        match tok.kind.clone() {
            TokKind::Label(hits, score) => self.label(tok, hits, score),
            TokKind::Value | TokKind::Digits(_) => self.value(tok),
            TokKind::Empty => self.empty(tok),
            TokKind::Other => self.other(tok),
        }
    }

    /// Finishes and returns what was read.
    pub fn finish(mut self) -> Reading {
        self.flush();
        self.close_record();
        self.reading
    }

    fn current_layout(&self) -> Option<TableLayout> {
        self.table.as_deref().and_then(|t| catalog().layout(t))
    }

    fn label(&mut self, tok: Token, hits: Vec<usize>, score: f32) {
        let cat = catalog();
        // Prefer the labels of the current table, then of the section's table.
        let pick = |t: Option<&String>| -> Vec<usize> {
            match t {
                Some(t) => hits
                    .iter()
                    .copied()
                    .filter(|i| cat.labels[*i].table == *t)
                    .collect(),
                None => Vec::new(),
            }
        };
        let mut chosen = pick(self.table.as_ref());
        if chosen.is_empty() {
            chosen = pick(self.hint.as_ref());
        }
        if chosen.is_empty() {
            chosen = hits.clone();
        }
        // Within a table, a row reading wins over a header reading of the same text.
        let rows: Vec<usize> = chosen
            .iter()
            .copied()
            .filter(|i| matches!(cat.labels[*i].role, Role::Row { .. }))
            .collect();
        let tables: Vec<&str> = {
            let mut t: Vec<&str> = chosen
                .iter()
                .map(|i| cat.labels[*i].table.as_str())
                .collect();
            t.dedup();
            t
        };
        self.flush();
        self.swallowing = false;
        self.reading.labels_matched += 1;
        let table = tables.first().map(|t| t.to_string());
        if tables.len() == 1 && self.table.as_deref() != tables.first().copied() {
            self.close_record();
            self.table = table.clone();
            self.group = None;
        }
        if !rows.is_empty() {
            let first = &cat.labels[rows[0]];
            if let Role::Row { group: Some(g), .. } = &first.role {
                // A table-二 row names its group (several groups share no row label).
                if rows.iter().all(
                    |i| matches!(&cat.labels[*i].role, Role::Row { group: Some(x), .. } if x == g),
                ) && self.group.as_deref() != Some(g)
                {
                    self.group = Some(g.clone());
                }
            }
            self.pending = Some(Pending {
                row: RowRead {
                    table: first.table.clone(),
                    group: self.group.clone(),
                    hits: Vec::new(),
                    score,
                    label: tok.text.clone(),
                    values: Vec::new(),
                    pos: tok.pos.clone(),
                },
                expected: expected_cells(&rows),
                all_hits: rows,
                label_at: tok.at,
            });
            return;
        }
        for &i in &chosen {
            let l = &cat.labels[i];
            match &l.role {
                Role::Caption { group } => {
                    self.close_record();
                    self.table = Some(l.table.clone());
                    self.group = Some(group.clone());
                    return;
                }
                Role::RowHeader => return,
                Role::GroupColumn { .. } => {
                    if let Some(g) = &self.group {
                        self.reading
                            .group_headers
                            .entry(g.clone())
                            .or_default()
                            .push(i);
                    }
                    if let Some(at) = tok.at {
                        self.reading
                            .grid_headers
                            .entry((at.grid, l.table.clone(), self.group.clone()))
                            .or_default()
                            .push(HeaderAt {
                                label: i,
                                col: at.col,
                                colspan: at.colspan,
                            });
                    }
                }
                Role::Header { .. } => {
                    if let Some(at) = tok.at {
                        self.reading
                            .grid_headers
                            .entry((at.grid, l.table.clone(), None))
                            .or_default()
                            .push(HeaderAt {
                                label: i,
                                col: at.col,
                                colspan: at.colspan,
                            });
                    }
                }
                Role::Row { .. } => {}
            }
        }
    }

    fn value(&mut self, tok: Token) {
        let v = ValTok {
            text: tok.text.clone(),
            kind: tok.kind.clone(),
            at: tok.at,
            pos: tok.pos.clone(),
        };
        if let Some(p) = &mut self.pending {
            p.row.values.push(v);
            return;
        }
        if self.swallowing {
            return;
        }
        if self.current_layout() == Some(TableLayout::RecordRow) {
            let table = self.table.clone().unwrap_or_default();
            self.record
                .get_or_insert_with(|| RecordRead {
                    table,
                    values: Vec::new(),
                    pos: tok.pos.clone(),
                })
                .values
                .push(v);
            return;
        }
        if self.table.is_some() {
            self.reading.log.push(LogEntry {
                kind: LogKind::Note,
                path: String::new(),
                cell: String::new(),
                source: tok.pos,
                message: format!(
                    "数值 “{}” 前没有可识别的行标签，已忽略 (a value with no row label before it was ignored)",
                    crate::text::quoted(&tok.text)
                ),
            });
        }
    }

    fn empty(&mut self, tok: Token) {
        if let Some(p) = &mut self.pending {
            p.row.values.push(ValTok {
                text: String::new(),
                kind: TokKind::Empty,
                at: tok.at,
                pos: tok.pos,
            });
            return;
        }
        if self.swallowing || self.current_layout() != Some(TableLayout::RecordRow) {
            return;
        }
        // In a record row an empty cell is a blank value once the data row has begun: in a
        // grid, when its row holds values; in a stream, after the first value.
        let data_row = match tok.at {
            Some(_) => tok.row_has_value,
            None => self.record.is_some(),
        };
        if data_row {
            let table = self.table.clone().unwrap_or_default();
            self.record
                .get_or_insert_with(|| RecordRead {
                    table,
                    values: Vec::new(),
                    pos: tok.pos.clone(),
                })
                .values
                .push(ValTok {
                    text: String::new(),
                    kind: TokKind::Empty,
                    at: tok.at,
                    pos: tok.pos,
                });
        }
    }

    fn other(&mut self, tok: Token) {
        // Unreadable text where a row still expects values is an unreadable cell: in a grid, on
        // the label's own grid row; in a stream, while the row has room.
        if let Some(p) = &mut self.pending {
            let same_row = match (tok.at, p.label_at) {
                (Some(a), Some(l)) => a.grid == l.grid && a.row == l.row,
                (Some(_), None) | (None, Some(_)) => false,
                (None, None) => true,
            };
            if same_row && p.row.values.len() < p.expected {
                p.row.values.push(ValTok {
                    text: tok.text.clone(),
                    kind: TokKind::Other,
                    at: tok.at,
                    pos: tok.pos.clone(),
                });
                return;
            }
        }
        self.flush();
        if let Some(rec) = &mut self.record {
            let data_row = tok.at.is_none_or(|_| tok.row_has_value);
            if data_row && rec.values.len() < record_cells(&rec.table) {
                rec.values.push(ValTok {
                    text: tok.text.clone(),
                    kind: TokKind::Other,
                    at: tok.at,
                    pos: tok.pos.clone(),
                });
                return;
            }
        }
        if self.table.is_some() {
            self.reading.log.push(LogEntry {
                kind: LogKind::UnmatchedLabel,
                path: String::new(),
                cell: String::new(),
                source: tok.pos,
                message: format!(
                    "“{}” 不是模板中的任何行或列标签，其后的数值未读取 (label matched no row or column; the values after it were not read)",
                    crate::text::quoted(&tok.text)
                ),
            });
            self.swallowing = true;
        }
    }

    fn close_record(&mut self) {
        if let Some(r) = self.record.take() {
            if !r.values.is_empty() {
                self.reading.records.push(r);
            }
        }
    }

    fn flush(&mut self) {
        let Some(p) = self.pending.take() else {
            return;
        };
        let cat = catalog();
        let leafs: Vec<usize> = p
            .all_hits
            .iter()
            .copied()
            .filter(|i| matches!(cat.labels[*i].role, Role::Row { leaf: true, .. }))
            .collect();
        let has_parent = p.all_hits.len() > leafs.len();
        let any_value = !p.row.values.is_empty();
        if !any_value && has_parent {
            return; // a group label (（三）不予公开): its children follow
        }
        if leafs.is_empty() {
            if p.row.values.iter().any(|v| v.kind != TokKind::Empty) {
                self.reading.log.push(LogEntry {
                    kind: LogKind::Note,
                    path: String::new(),
                    cell: String::new(),
                    source: p.row.pos.clone(),
                    message: format!(
                        "“{}” 是分组标签，格式中没有它的合计行；其后的数值已忽略 (a group label has no row of its own; its values were ignored)",
                        crate::text::quoted(&p.row.label)
                    ),
                });
            }
            return;
        }
        let mut row = p.row;
        row.hits = leafs;
        self.reading.rows.push(row);
    }
}
