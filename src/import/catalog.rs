//! The label catalogue: every label the statutory tables and section headings print, read from
//! the bundled templates and normalised once. The matcher looks labels up here; a new template
//! file adds its labels without any code.

use super::normalize::{norm, similarity, split_ordinal};
use crate::template::{self, RowDef, SectionKind, TableLayout, Template};
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// What a label is, in its table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Role {
    /// A table-二 group caption (第二十条第（一）项).
    Caption {
        /// Group id (`article20_1`).
        group: String,
    },
    /// The label column's header of table 二 (信息内容).
    RowHeader,
    /// A column label of a table-二 group.
    GroupColumn {
        /// Column key.
        column: String,
    },
    /// A header cell of a matrix or record-row table.
    Header {
        /// The data column the cell names, when it covers exactly one (`自然人`).
        column: Option<String>,
        /// The template row the cell names, for record-row tables (`行政复议` → `review`).
        row: Option<String>,
    },
    /// A row label.
    Row {
        /// Dotted key (`denied.state_secret`); `None` for a pure label group (三、本年度办理结果).
        key: Option<String>,
        /// Whether the row holds cells (no children).
        leaf: bool,
        /// The table-二 group the row belongs to.
        group: Option<String>,
    },
}

/// One label of the catalogue.
#[derive(Debug, Clone)]
pub(crate) struct LabelDef {
    /// Normalised text.
    pub norm: String,
    /// Normalised ordinal (`1.`, `(一)`), if the label has one.
    pub ordinal: Option<String>,
    /// Normalised text after the ordinal.
    pub body: Vec<char>,
    /// Table key.
    pub table: String,
    /// What the label is.
    pub role: Role,
    /// For table-二 columns: `(format, group id)` pairs the label is a column of; for other
    /// roles the formats the label occurs in, with an empty group id.
    pub places: Vec<(&'static str, String)>,
}

impl LabelDef {
    /// Formats the label occurs in.
    pub fn formats(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.places.iter().map(|(f, _)| *f)
    }
}

/// A section heading of the templates, with its variants.
#[derive(Debug, Clone)]
pub(crate) struct SectionHeading {
    /// Position 0..6.
    pub index: usize,
    /// Section key.
    pub key: String,
    /// Prose or table.
    pub kind: SectionKind,
    /// Normalised ordinal (`一.`).
    pub ordinal: String,
    /// Normalised bodies of the heading and its variants, in every format.
    pub bodies: Vec<Vec<char>>,
}

/// The catalogue.
#[derive(Debug)]
pub(crate) struct Catalog {
    /// Every label.
    pub labels: Vec<LabelDef>,
    /// Normalised text → label indices (looked up only, never iterated).
    pub exact: FxHashMap<String, Vec<usize>>,
    /// First normalised character → label indices, longest label first (for segmentation;
    /// looked up only).
    pub by_first: FxHashMap<char, Vec<usize>>,
    /// Section headings by position.
    pub sections: Vec<SectionHeading>,
    /// Table keys with their layout.
    pub tables: Vec<(String, TableLayout)>,
}

/// The catalogue built from the bundled templates, once.
pub(crate) fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| Catalog::build(template::all()))
}

impl Catalog {
    fn build(templates: Vec<&'static Template>) -> Catalog {
        let mut labels: Vec<LabelDef> = Vec::new();
        // The formats repeat most labels: each text is normalised once.
        let mut normed: FxHashMap<&'static str, String> = FxHashMap::default();
        let mut add =
            |text: &'static str, table: &str, role: Role, place: (&'static str, String)| {
                let n = normed.entry(text).or_insert_with(|| norm(text)).clone();
                if n.is_empty() {
                    return;
                }
                if let Some(l) = labels
                    .iter_mut()
                    .find(|l| l.norm == n && l.table == table && l.role == role)
                {
                    if !l.places.contains(&place) {
                        l.places.push(place);
                    }
                    return;
                }
                let (ord, body) = split_ordinal(&n);
                labels.push(LabelDef {
                    ordinal: ord.map(str::to_string),
                    body: body.chars().collect(),
                    norm: n.clone(),
                    table: table.to_string(),
                    role,
                    places: vec![place],
                });
            };
        let mut tables: Vec<(String, TableLayout)> = Vec::new();
        for &t in &templates {
            let f = t.format.as_str();
            for def in &t.tables {
                if !tables.iter().any(|(k, _)| *k == def.key) {
                    tables.push((def.key.clone(), def.layout));
                }
                match def.layout {
                    TableLayout::Groups => {
                        if let Some(h) = &def.row_header {
                            add(h, &def.key, Role::RowHeader, (f, String::new()));
                        }
                        for g in &def.groups {
                            add(
                                &g.caption,
                                &def.key,
                                Role::Caption {
                                    group: g.id.clone(),
                                },
                                (f, String::new()),
                            );
                            for c in &g.columns {
                                add(
                                    &c.label,
                                    &def.key,
                                    Role::GroupColumn {
                                        column: c.key.clone(),
                                    },
                                    (f, g.id.clone()),
                                );
                            }
                            for r in &g.rows {
                                if let Some(k) = &r.key {
                                    add(
                                        &r.label,
                                        &def.key,
                                        Role::Row {
                                            key: Some(k.clone()),
                                            leaf: true,
                                            group: Some(g.id.clone()),
                                        },
                                        (f, String::new()),
                                    );
                                }
                            }
                        }
                    }
                    TableLayout::Matrix | TableLayout::RecordRow => {
                        let ncols = def.columns.len().max(1);
                        let first = if def.layout == TableLayout::Matrix {
                            def.label_columns
                        } else {
                            0
                        };
                        let leaves = template::leaves(&def.rows);
                        let width = if def.layout == TableLayout::Matrix {
                            ncols
                        } else {
                            ncols * leaves.len()
                        };
                        for h in &def.header {
                            let lo = h.col.max(first);
                            let hi = (h.col + h.colspan).min(first + width);
                            let covered: Vec<usize> = (lo..hi).map(|c| c - first).collect();
                            let column = match covered.as_slice() {
                                [one] => def.columns.get(one % ncols).map(|c| c.key.clone()),
                                _ => None,
                            };
                            let row = if def.layout == TableLayout::RecordRow {
                                let rows: Vec<usize> = covered.iter().map(|c| c / ncols).collect();
                                match rows.first() {
                                    Some(r) if rows.iter().all(|x| x == r) => {
                                        leaves.get(*r).map(|l| l.key.clone())
                                    }
                                    _ => None,
                                }
                            } else {
                                None
                            };
                            add(
                                &h.text,
                                &def.key,
                                Role::Header { column, row },
                                (f, String::new()),
                            );
                        }
                        if def.layout == TableLayout::Matrix {
                            let mut stack: Vec<(&RowDef, String)> =
                                def.rows.iter().rev().map(|r| (r, String::new())).collect();
                            while let Some((r, prefix)) = stack.pop() {
                                let key = r.key.as_ref().map(|k| {
                                    if prefix.is_empty() {
                                        k.clone()
                                    } else {
                                        format!("{prefix}.{k}")
                                    }
                                });
                                add(
                                    &r.label,
                                    &def.key,
                                    Role::Row {
                                        key: key.clone(),
                                        leaf: r.children.is_empty(),
                                        group: None,
                                    },
                                    (f, String::new()),
                                );
                                let child_prefix = key.unwrap_or(prefix);
                                for c in r.children.iter().rev() {
                                    stack.push((c, child_prefix.clone()));
                                }
                            }
                        }
                    }
                }
            }
        }
        // Header cells that repeat a column's label with different meanings (record rows) merge
        // above only when identical; merge the rest now: a text naming different columns or rows
        // names none.
        let mut merged: Vec<LabelDef> = Vec::new();
        for l in labels {
            if let Role::Header { column, row } = &l.role {
                if let Some(m) = merged.iter_mut().find(|m| {
                    m.norm == l.norm && m.table == l.table && matches!(m.role, Role::Header { .. })
                }) {
                    if let Role::Header {
                        column: mc,
                        row: mr,
                    } = &mut m.role
                    {
                        if mc != column {
                            *mc = None;
                        }
                        if mr != row {
                            *mr = None;
                        }
                    }
                    for p in l.places {
                        if !m.places.contains(&p) {
                            m.places.push(p);
                        }
                    }
                    continue;
                }
            }
            merged.push(l);
        }
        let labels = merged;
        let mut exact: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        let mut by_first: FxHashMap<char, Vec<usize>> = FxHashMap::default();
        for (i, l) in labels.iter().enumerate() {
            exact.entry(l.norm.clone()).or_default().push(i);
            if let Some(c) = l.norm.chars().next() {
                by_first.entry(c).or_default().push(i);
            }
        }
        for v in by_first.values_mut() {
            v.sort_by_key(|i| std::cmp::Reverse(labels[*i].norm.chars().count()));
        }
        let mut sections: Vec<SectionHeading> = Vec::new();
        for t in templates {
            for (index, s) in t.sections.iter().enumerate() {
                let entry = match sections.iter_mut().find(|x| x.key == s.key) {
                    Some(e) => e,
                    None => {
                        let n = normed
                            .entry(s.heading.as_str())
                            .or_insert_with(|| norm(&s.heading));
                        let (ord, _) = split_ordinal(n);
                        sections.push(SectionHeading {
                            index,
                            key: s.key.clone(),
                            kind: s.kind,
                            ordinal: ord.unwrap_or_default().to_string(),
                            bodies: Vec::new(),
                        });
                        let last = sections.len() - 1;
                        &mut sections[last]
                    }
                };
                for h in std::iter::once(&s.heading).chain(s.variants.iter()) {
                    let n = normed.entry(h.as_str()).or_insert_with(|| norm(h));
                    let (_, body) = split_ordinal(n);
                    let b: Vec<char> = body.chars().collect();
                    if !entry.bodies.contains(&b) {
                        entry.bodies.push(b);
                    }
                }
            }
        }
        sections.sort_by_key(|s| s.index);
        Catalog {
            labels,
            exact,
            by_first,
            sections,
            tables,
        }
    }

    /// The layout of a table key.
    pub fn layout(&self, table: &str) -> Option<TableLayout> {
        self.tables
            .iter()
            .find(|(k, _)| k == table)
            .map(|(_, l)| *l)
    }

    /// Labels a normalised cell text may be, best first: exact matches score 1; a label whose
    /// ordinal the source left out 0.95; a label within a small edit of the text scores below
    /// 0.9 (never for labels of fewer than four characters). Only the best-scoring labels are
    /// returned.
    pub fn lookup(&self, n: &str) -> (Vec<usize>, f32) {
        if let Some(v) = self.exact.get(n) {
            return (v.clone(), 1.0);
        }
        let (ord, body) = split_ordinal(n);
        let body: Vec<char> = body.chars().collect();
        if body.is_empty() || body.len() > 80 {
            return (Vec::new(), 0.0);
        }
        let mut best: Vec<usize> = Vec::new();
        let mut best_score = 0.0f32;
        for (i, l) in self.labels.iter().enumerate() {
            let score = match (ord, l.ordinal.as_deref()) {
                (Some(a), Some(b)) if a != b => continue,
                (Some(_), None) => continue,
                (None, Some(_)) if l.body == body => 0.95,
                _ => {
                    if l.body.len() < 4 || body.len() < 3 {
                        continue;
                    }
                    let (a, b) = (l.body.len() as f32, body.len() as f32);
                    if a.min(b) / a.max(b) < 0.6 {
                        continue;
                    }
                    let s = similarity(&l.body, &body);
                    if s < 0.75 {
                        continue;
                    }
                    s * 0.9
                }
            };
            if score > best_score + 1e-6 {
                best_score = score;
                best.clear();
                best.push(i);
            } else if (score - best_score).abs() <= 1e-6 {
                best.push(i);
            }
        }
        (best, best_score)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_knows_the_template_labels_and_their_roles() {
        let c = catalog();
        let (hits, score) = c.lookup(&norm("（六）其他处理"));
        assert_eq!(score, 1.0);
        // A parent in 2021, a leaf in 2019.
        let leafs: Vec<bool> = hits
            .iter()
            .map(|i| matches!(c.labels[*i].role, Role::Row { leaf, .. } if leaf))
            .collect();
        assert!(leafs.contains(&true) && leafs.contains(&false), "{leafs:?}");
        let (hits, _) = c.lookup(&norm("未经复议直接起诉"));
        assert!(hits.iter().any(|i| matches!(&c.labels[*i].role,
            Role::Header { row: Some(r), .. } if r == "litigation_direct")));
        let (hits, _) = c.lookup(&norm("结果维持"));
        assert!(hits.iter().any(|i| matches!(&c.labels[*i].role,
            Role::Header { column: Some(k), row: None } if k == "upheld")));
        let (hits, score) = c.lookup(&norm("2.其他法律行政止公开"));
        assert!(score > 0.7 && score < 1.0);
        assert!(hits.iter().any(|i| matches!(&c.labels[*i].role,
            Role::Row { key: Some(k), .. } if k == "denied.prohibited_by_law")));
        assert_eq!(c.sections.len(), 6);
    }
}
