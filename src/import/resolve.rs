//! From what the matcher read to the statutory tables as report JSON: decides the format of the
//! report, of each table-二 group and the shape of each table-三 row group from the labels read
//! (2019, 2021, or a mix), gives every value its column (by the grid's header labels, else in
//! order), splits run-together digits by the arithmetic, and logs every cell it could not read.

use super::catalog::{catalog, Role};
use super::log::{note, LogEntry, LogKind};
use super::matcher::{HeaderAt, Reading, RowRead, ValTok};
use super::source::SourcePos;
use super::split::{self, CellKey, Outcome, Rule, TableRules, Unit};
use super::tokens::{parse_number_text, strip_unit, TokKind};
use crate::report::Number;
use crate::template::{self, ColumnDef, TableDef, TableLayout, Template, ValueType};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use serde_json::{Map, Value as Json};
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

/// The statutory tables as resolved.
pub(crate) struct Resolved {
    /// The report's format.
    pub format: &'static Template,
    /// `proactive`, `applications`, `review_litigation` as report JSON objects.
    pub tables: Vec<(String, Json)>,
    /// What was noticed.
    pub log: Vec<LogEntry>,
}

/// A row as it will be written.
#[derive(Debug, Clone)]
struct URow {
    key: String,
    /// The template's columns (borrowed: templates live as long as the program).
    columns: &'static [ColumnDef],
    /// The table definition the row's labels and columns come from (another format's for a mix).
    def: &'static TableDef,
    /// Table-二 group id.
    group: Option<String>,
    /// The format the row's columns follow.
    def_format: &'static str,
}

#[derive(Debug, Clone)]
struct UTable {
    key: String,
    layout: TableLayout,
    rows: Vec<URow>,
}

#[derive(Debug, Clone)]
enum CellVal {
    Blank,
    Num(Number),
}

struct State {
    /// Cells read, by [`cell_key`].
    cells: FxHashMap<String, (CellVal, SourcePos)>,
    /// Cells read twice with different values, by [`cell_key`].
    conflicts: BTreeSet<String>,
    log: Vec<LogEntry>,
}

fn templates() -> Vec<&'static Template> {
    template::all()
}

fn table_of(t: &'static Template, key: &str) -> Option<&'static TableDef> {
    t.table(key)
}

fn row_key(li: usize) -> Option<&'static str> {
    match &catalog().labels[li].role {
        Role::Row { key: Some(k), .. } => Some(k.as_str()),
        _ => None,
    }
}

fn row_group(r: &RowRead) -> Option<String> {
    r.hits
        .iter()
        .find_map(|i| match &catalog().labels[*i].role {
            Role::Row { group: Some(g), .. } => Some(g.clone()),
            _ => None,
        })
        .or_else(|| r.group.clone())
}

fn formats_of_hits(r: &RowRead) -> BTreeSet<&'static str> {
    r.hits
        .iter()
        .flat_map(|i| catalog().labels[*i].formats())
        .collect()
}

/// Decides formats, assigns values and builds the tables.
pub(crate) fn resolve(reading: &Reading, forced: Option<&str>, year: Option<i32>) -> Resolved {
    let all = templates();
    let mut log: Vec<LogEntry> = Vec::new();

    // A. The format of each table-二 group, from its column labels, its rows and its cell count.
    let mut group_choice: BTreeMap<String, &'static str> = BTreeMap::new();
    let mut group_ids: Vec<(String, String)> = Vec::new(); // (table, group)
    for &t in &all {
        for d in t.tables.iter().filter(|d| d.layout == TableLayout::Groups) {
            for g in &d.groups {
                if !group_ids.iter().any(|(a, b)| *a == d.key && *b == g.id) {
                    group_ids.push((d.key.clone(), g.id.clone()));
                }
            }
        }
    }
    for (tkey, gid) in &group_ids {
        let mut score: BTreeMap<&'static str, f32> = BTreeMap::new();
        if let Some(hs) = reading.group_headers.get(gid) {
            for &li in hs {
                for (f, g) in &catalog().labels[li].places {
                    if g == gid {
                        *score.entry(f).or_default() += 1.0;
                    }
                }
            }
        }
        let having_group: Vec<&'static str> = all
            .iter()
            .filter(|t| table_of(t, tkey).is_some_and(|d| d.groups.iter().any(|g| g.id == *gid)))
            .map(|t| t.format.as_str())
            .collect();
        let reads: Vec<&RowRead> = reading
            .rows
            .iter()
            .filter(|r| r.table == *tkey && row_group(r).as_deref() == Some(gid.as_str()))
            .collect();
        for r in &reads {
            let Some(k) = r.hits.iter().find_map(|i| row_key(*i)) else {
                continue;
            };
            let with_key: Vec<&'static str> = all
                .iter()
                .filter(|t| {
                    table_of(t, tkey).is_some_and(|d| {
                        d.groups.iter().any(|g| {
                            g.id == *gid && g.rows.iter().any(|x| x.key.as_deref() == Some(k))
                        })
                    })
                })
                .map(|t| t.format.as_str())
                .collect();
            if with_key.len() < having_group.len() {
                for f in with_key {
                    *score.entry(f).or_default() += 1.0;
                }
            }
        }
        if score.is_empty() {
            for r in &reads {
                let n = r.values.len();
                if r.values
                    .iter()
                    .any(|v| matches!(v.kind, TokKind::Digits(_)))
                {
                    continue;
                }
                for &t in &all {
                    if let Some(g) =
                        table_of(t, tkey).and_then(|d| d.groups.iter().find(|g| g.id == *gid))
                    {
                        if g.columns.len() == n {
                            *score.entry(t.format.as_str()).or_default() += 0.5;
                        }
                    }
                }
            }
        }
        let best = score.values().cloned().fold(0.0f32, f32::max);
        let winners: Vec<&'static str> = score
            .iter()
            .filter(|(_, s)| **s == best && best > 0.0)
            .map(|(f, _)| *f)
            .collect();
        if winners.len() == 1 {
            group_choice.insert(gid.clone(), winners[0]);
        }
    }

    // B. Matrix rows whose labels exist in only some formats (（六）其他处理 as one row or three).
    let mut votes: BTreeMap<&'static str, f32> = BTreeMap::new();
    for f in group_choice.values() {
        *votes.entry(f).or_default() += 1.0;
    }
    for r in &reading.rows {
        if catalog().layout(&r.table) != Some(TableLayout::Matrix) {
            continue;
        }
        let fs = formats_of_hits(r);
        if fs.len() < all.len() {
            for f in fs {
                *votes.entry(f).or_default() += 1.0;
            }
        }
    }

    // C. The report's format.
    let by_year = year.and_then(Template::for_year);
    let format: &'static Template = match forced.and_then(Template::get) {
        Some(t) => t,
        None => {
            let best = votes.values().cloned().fold(0.0f32, f32::max);
            let winners: Vec<&'static str> = votes
                .iter()
                .filter(|(_, s)| **s == best && best > 0.0)
                .map(|(f, _)| *f)
                .collect();
            match winners.as_slice() {
                [one] => Template::get(one),
                _ => None,
            }
            .or_else(|| {
                by_year.filter(|t| winners.is_empty() || winners.contains(&t.format.as_str()))
            })
            .or(by_year)
            .or_else(|| all.last().copied())
            .unwrap_or(all[0])
        }
    };

    // D. The rows that will be written.
    let read_keys: BTreeMap<String, BTreeSet<String>> = {
        let mut m: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for r in &reading.rows {
            for i in &r.hits {
                if let Some(k) = row_key(*i) {
                    m.entry(r.table.clone()).or_default().insert(k.to_string());
                }
            }
        }
        m
    };
    let mut utables: Vec<UTable> = Vec::new();
    for def in &format.tables {
        let mut rows: Vec<URow> = Vec::new();
        match def.layout {
            TableLayout::Groups => {
                for g in &def.groups {
                    let gf = group_choice
                        .get(&g.id)
                        .and_then(|f| Template::get(f))
                        .unwrap_or(format);
                    let gdef_table = table_of(gf, &def.key).unwrap_or(def);
                    let gdef = gdef_table.groups.iter().find(|x| x.id == g.id).unwrap_or(g);
                    if gf.format != format.format {
                        log.push(note(
                            SourcePos::Unknown,
                            &format!("{}.{}", def.key, g.id),
                            format!(
                                "{} {} 按 {} 格式的列填写（混合格式，按原样导入） (group uses the {} format's columns)",
                                def.name, g.caption, gf.format, gf.format
                            ),
                        ));
                    }
                    for r in gdef.rows.iter().filter_map(|r| r.key.as_ref()) {
                        if def.group_of(r).is_none() {
                            continue; // not representable in this format; logged below if read
                        }
                        rows.push(URow {
                            key: r.clone(),
                            columns: &gdef.columns,
                            def: gdef_table,
                            group: Some(g.id.clone()),
                            def_format: gf.format.as_str(),
                        });
                    }
                }
            }
            TableLayout::Matrix | TableLayout::RecordRow => {
                let mut leaves: Vec<(String, &'static TableDef, &'static str)> = def
                    .leaves()
                    .iter()
                    .map(|l| (l.key.clone(), def, format.format.as_str()))
                    .collect();
                if def.layout == TableLayout::Matrix {
                    let read = read_keys.get(&def.key).cloned().unwrap_or_default();
                    for other in all.iter().filter(|t| t.format != format.format) {
                        let Some(odef) = table_of(other, &def.key) else {
                            continue;
                        };
                        let o_leaves: Vec<String> =
                            odef.leaves().iter().map(|l| l.key.clone()).collect();
                        let under =
                            |k: &str, x: &str| x.starts_with(k) && x[k.len()..].starts_with('.');
                        // keys that are a leaf in one format and a group in the other
                        let mut swaps: Vec<(String, bool)> = Vec::new(); // (key, this format has the leaf)
                        for (k, _, _) in &leaves {
                            if !o_leaves.contains(k) && o_leaves.iter().any(|x| under(k, x)) {
                                swaps.push((k.clone(), true));
                            }
                        }
                        for k in &o_leaves {
                            if !leaves.iter().any(|(x, _, _)| x == k)
                                && leaves.iter().any(|(x, _, _)| under(k, x))
                            {
                                swaps.push((k.clone(), false));
                            }
                        }
                        for (k, mine_is_leaf) in swaps {
                            let leaf_reads = usize::from(read.contains(&k));
                            let group_reads = read.iter().filter(|x| under(&k, x)).count();
                            let (mine, theirs) = if mine_is_leaf {
                                (leaf_reads, group_reads)
                            } else {
                                (group_reads, leaf_reads)
                            };
                            if theirs > mine {
                                let pos = leaves
                                    .iter()
                                    .position(|(x, _, _)| *x == k || under(&k, x))
                                    .unwrap_or(leaves.len());
                                leaves.retain(|(x, _, _)| !(*x == k || under(&k, x)));
                                let replacement: Vec<(String, &'static TableDef, &'static str)> =
                                    o_leaves
                                        .iter()
                                        .filter(|x| **x == k || under(&k, x))
                                        .map(|x| (x.clone(), odef, other.format.as_str()))
                                        .collect();
                                let label = odef.row_label(&k);
                                for (i, r) in replacement.into_iter().enumerate() {
                                    leaves.insert(pos + i, r);
                                }
                                log.push(note(
                                    SourcePos::Unknown,
                                    &format!("{}.{k}", def.key),
                                    format!(
                                        "{} “{}” 按 {} 格式的行填写（混合格式，按原样导入） (rows follow the {} format)",
                                        def.name,
                                        label.split(' ').next().unwrap_or(&label),
                                        other.format,
                                        other.format
                                    ),
                                ));
                            }
                        }
                    }
                }
                for (k, d, f) in leaves {
                    rows.push(URow {
                        key: k,
                        columns: &d.columns,
                        def: d,
                        group: None,
                        def_format: f,
                    });
                }
            }
        }
        utables.push(UTable {
            key: def.key.clone(),
            layout: def.layout,
            rows,
        });
    }

    // E. Values to cells.
    let mut st = State {
        cells: FxHashMap::default(),
        conflicts: BTreeSet::new(),
        log: Vec::new(),
    };
    let mut units: BTreeMap<String, Vec<(Unit, SourcePos, String)>> = BTreeMap::new();
    for r in &reading.rows {
        let Some(ut) = utables.iter().find(|t| t.key == r.table) else {
            continue;
        };
        let keys: Vec<&str> = r.hits.iter().filter_map(|i| row_key(*i)).collect();
        let Some(urow) = ut.rows.iter().find(|u| keys.contains(&u.key.as_str())) else {
            log.push(note(
                r.pos.clone(),
                &format!("{}.{}", r.table, keys.first().copied().unwrap_or("")),
                format!(
                    "“{}” 这一行不属于 {} 格式的表格，无法写入报告，已略去 (the row does not exist in the report's format and was left out)",
                    crate::text::quoted(&r.label),
                    format.format
                ),
            ));
            continue;
        };
        let label_formats = formats_of_hits(r);
        let group_format = urow.def_format;
        if r.score >= 1.0 && !label_formats.contains(group_format) {
            let def_label = urow.def.row_label(&urow.key);
            log.push(note(
                r.pos.clone(),
                &format!("{}.{}", r.table, urow.key),
                format!(
                    "行标签 “{}” 是 {} 格式的写法，按 {} 格式的 “{}” 读取 (label in another format's wording)",
                    crate::text::quoted(&r.label),
                    label_formats.iter().copied().collect::<Vec<_>>().join("/"),
                    group_format,
                    def_label.rsplit(' ').next().unwrap_or(&def_label)
                ),
            ));
        }
        if r.score < 1.0 {
            let def_label = urow.def.row_label(&urow.key);
            log.push(note(
                r.pos.clone(),
                &format!("{}.{}", r.table, urow.key),
                format!(
                    "行标签 “{}” 按 “{}” 读取 (label read as the template's)",
                    crate::text::quoted(&r.label),
                    def_label.rsplit(' ').next().unwrap_or(&def_label)
                ),
            ));
        }
        let cells: Vec<(String, String, ValueType)> = urow
            .columns
            .iter()
            .map(|c| (urow.key.clone(), c.key.clone(), c.value_type))
            .collect();
        let hdr_key = (r.table.clone(), urow.group.clone());
        assign(
            &mut st, &mut units, ut, &cells, &r.values, reading, &hdr_key, &r.pos, &r.label,
        );
    }
    for rec in &reading.records {
        let Some(ut) = utables.iter().find(|t| t.key == rec.table) else {
            continue;
        };
        let cells: Vec<(String, String, ValueType)> = ut
            .rows
            .iter()
            .flat_map(|u| {
                u.columns
                    .iter()
                    .map(|c| (u.key.clone(), c.key.clone(), c.value_type))
                    .collect::<Vec<_>>()
            })
            .collect();
        let hdr_key = (rec.table.clone(), None);
        assign(
            &mut st,
            &mut units,
            ut,
            &cells,
            &rec.values,
            reading,
            &hdr_key,
            &rec.pos,
            "",
        );
    }

    // F. Run-together digits, table by table, against that table's arithmetic.
    for (tkey, list) in &units {
        let Some(ut) = utables.iter().find(|t| t.key == *tkey) else {
            continue;
        };
        let Some(def) = format.table(tkey) else {
            continue;
        };
        let rules = TableRules {
            rows: ut.rows.iter().map(|r| r.key.clone()).collect(),
            columns: def.columns.iter().map(|c| c.key.clone()).collect(),
            rules: def
                .rules
                .iter()
                .filter(|r| !r.cross_year)
                .map(|r| Rule {
                    axis: r.axis,
                    left: r.left.clone(),
                    right: r.right.clone(),
                    rows: r.rows.clone(),
                })
                .collect(),
        };
        let known: FxHashMap<CellKey, Decimal> = st
            .cells
            .iter()
            .filter_map(|(k, (v, _))| {
                let mut parts = k.split('\0');
                let (t, r, c) = (parts.next()?, parts.next()?, parts.next()?);
                match v {
                    CellVal::Num(n) if t == tkey => {
                        Some(((r.to_string(), c.to_string()), n.to_decimal()))
                    }
                    _ => None,
                }
            })
            .collect();
        let just_units: Vec<Unit> = list.iter().map(|(u, _, _)| u.clone()).collect();
        let outcomes = split::solve(&just_units, &known, &rules);
        for ((unit, pos, label), out) in list.iter().zip(outcomes) {
            let first = &unit.cells[0].0;
            let path = format!("{tkey}.{}", first.0);
            let cell = ut
                .rows
                .iter()
                .find(|u| u.key == first.0)
                .map(|u| u.def.cell_name(&first.0, &first.1))
                .unwrap_or_default();
            match out {
                Outcome::Split(values, by_rules) => {
                    for (((row, col), ty), v) in unit.cells.iter().zip(&values) {
                        if let Some(n) = number(v, *ty) {
                            put(&mut st, tkey, row, col, CellVal::Num(n), pos);
                        }
                    }
                    if !by_rules {
                        continue; // one digit per cell: nothing to choose
                    }
                    st.log.push(LogEntry {
                        kind: LogKind::Note,
                        path: path.clone(),
                        cell: cell.clone(),
                        source: pos.clone(),
                        message: format!(
                            "{}连在一起的数字 “{}” 按表格的勾稽关系唯一拆分为 {} (run-together digits split the only way the arithmetic allows)",
                            if label.is_empty() { String::new() } else { format!("“{}” 行", crate::text::quoted(label)) },
                            crate::text::quoted(&unit.groups.join(" ")),
                            values.join(" / ")
                        ),
                    });
                }
                Outcome::Ambiguous(cands) => {
                    let shown: Vec<&String> = cands.iter().take(40).collect();
                    let message = if cands.is_empty() {
                        format!(
                            "{}连在一起的数字 “{}” 没有任何拆分方式符合表格的勾稽关系，这些单元格留空 (no split of the run-together digits fits the arithmetic; cells left blank)",
                            if label.is_empty() { String::new() } else { format!("“{}” 行", crate::text::quoted(label)) },
                            crate::text::quoted(&unit.groups.join(" "))
                        )
                    } else {
                        format!(
                            "{}连在一起的数字 “{}” 有 {} 种拆分方式都可能：{}{}；无法确定，这些单元格留空 (several splits are possible; cells left blank)",
                            if label.is_empty() { String::new() } else { format!("“{}” 行", crate::text::quoted(label)) },
                            crate::text::quoted(&unit.groups.join(" ")),
                            cands.len(),
                            shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("；"),
                            if cands.len() > shown.len() { "……" } else { "" }
                        )
                    };
                    st.log.push(LogEntry {
                        kind: LogKind::Ambiguous,
                        path,
                        cell,
                        source: pos.clone(),
                        message,
                    });
                }
                Outcome::Unreadable(why) => {
                    st.log.push(LogEntry {
                        kind: LogKind::Ambiguous,
                        path,
                        cell,
                        source: pos.clone(),
                        message: why,
                    });
                }
            }
        }
    }

    // G. Cells read twice with different values are ambiguous.
    for k in &st.conflicts {
        st.cells.remove(k);
    }

    // H. The JSON, and every cell not read.
    let mut tables: Vec<(String, Json)> = Vec::new();
    let mut k = String::new();
    for ut in &utables {
        let mut root = Map::new();
        for u in &ut.rows {
            let mut obj = Map::new();
            for c in u.columns {
                cell_key(&mut k, &ut.key, &u.key, &c.key);
                let v = match st.cells.get(&k) {
                    Some((CellVal::Num(n), _)) => n.to_json(),
                    Some((CellVal::Blank, _)) => Json::Null,
                    None => {
                        let conflict = st.conflicts.contains(&k);
                        st.log.push(LogEntry {
                            kind: if conflict {
                                LogKind::Ambiguous
                            } else {
                                LogKind::Unread
                            },
                            path: format!("{}.{}.{}", ut.key, u.key, c.key),
                            cell: u.def.cell_name(&u.key, &c.key),
                            source: SourcePos::Unknown,
                            message: if conflict {
                                "这个单元格读到了两个不同的值，留空 (two different values were found for this cell; left blank)".to_string()
                            } else {
                                "未能读取这个单元格，留空 (null) (cell not read; left null)".to_string()
                            },
                        });
                        if conflict {
                            st.log.push(LogEntry {
                                kind: LogKind::Unread,
                                path: format!("{}.{}.{}", ut.key, u.key, c.key),
                                cell: u.def.cell_name(&u.key, &c.key),
                                source: SourcePos::Unknown,
                                message: "未能确定这个单元格，留空 (null) (cell not determined; left null)".to_string(),
                            });
                        }
                        Json::Null
                    }
                };
                obj.insert(c.key.clone(), v);
            }
            insert_dotted(&mut root, &u.key, Json::Object(obj));
        }
        tables.push((ut.key.clone(), Json::Object(root)));
    }
    log.extend(st.log);
    Resolved {
        format,
        tables,
        log,
    }
}

fn insert_dotted(root: &mut Map<String, Json>, key: &str, v: Json) {
    let parts: Vec<&str> = key.split('.').collect();
    let mut node = root;
    for p in &parts[..parts.len() - 1] {
        let entry = node
            .entry(p.to_string())
            .or_insert_with(|| Json::Object(Map::new()));
        if !entry.is_object() {
            *entry = Json::Object(Map::new());
        }
        match entry {
            Json::Object(o) => node = o,
            _ => return,
        }
    }
    node.insert(parts[parts.len() - 1].to_string(), v);
}

/// The key of a cell in [`State`]: table, row and column keys joined by NULs (which no key
/// holds), written into `k` (a buffer reused from cell to cell).
fn cell_key(k: &mut String, table: &str, row: &str, col: &str) {
    debug_assert!(![table, row, col].iter().any(|x| x.contains('\0')));
    k.clear();
    k.push_str(table);
    k.push('\0');
    k.push_str(row);
    k.push('\0');
    k.push_str(col);
}

fn put(st: &mut State, table: &str, row: &str, col: &str, v: CellVal, pos: &SourcePos) {
    let mut k = String::with_capacity(table.len() + row.len() + col.len() + 2);
    cell_key(&mut k, table, row, col);
    match st.cells.entry(k) {
        Entry::Vacant(e) => {
            e.insert((v, pos.clone()));
        }
        Entry::Occupied(e) => {
            let same = match (&e.get().0, &v) {
                (CellVal::Blank, CellVal::Blank) => true,
                (CellVal::Num(a), CellVal::Num(b)) => a.to_decimal() == b.to_decimal(),
                _ => false,
            };
            if !same {
                st.conflicts.insert(e.key().clone());
            }
        }
    }
}

/// A number text as a cell of a value kind, or `None` when it cannot be one.
fn number(t: &str, ty: ValueType) -> Option<Number> {
    match ty {
        ValueType::Count | ValueType::Signed => {
            let (int, frac) = match t.split_once('.') {
                Some((i, f)) => (i, f),
                None => (t, ""),
            };
            if !frac.chars().all(|c| c == '0') {
                return None;
            }
            let i: i64 = int.parse().ok()?;
            if ty == ValueType::Count && i < 0 {
                return None;
            }
            Some(Number::Int(i))
        }
        ValueType::Amount => {
            let d = Decimal::from_str_exact(t).ok()?;
            if d.is_sign_negative() && !d.is_zero() {
                return None;
            }
            Some(Number::Decimal(d))
        }
    }
}

/// The column (and, for a record row, the row) each value's grid slot falls under, by the
/// header labels of its grid; `None` when the headers do not say for every value.
fn map_by_headers(
    values: &[ValTok],
    headers: &[HeaderAt],
    cells: &[(String, String, ValueType)],
    record: bool,
) -> Option<Vec<Option<usize>>> {
    let cat = catalog();
    let mut out = Vec::with_capacity(values.len());
    let mut used = BTreeSet::new();
    for v in values {
        let at = v.at?;
        let covering = |col: usize| -> Vec<&HeaderAt> {
            headers
                .iter()
                .filter(|h| h.col <= col && col < h.col + h.colspan)
                .collect()
        };
        let mut hs = covering(at.col);
        if hs.is_empty() {
            hs = (at.col..at.col + at.colspan).flat_map(covering).collect();
        }
        let mut cols: BTreeSet<&str> = BTreeSet::new();
        let mut rows: BTreeSet<&str> = BTreeSet::new();
        for h in hs {
            match &cat.labels[h.label].role {
                Role::GroupColumn { column } => {
                    cols.insert(column);
                }
                Role::Header { column, row } => {
                    if let Some(c) = column {
                        cols.insert(c);
                    }
                    if let Some(r) = row {
                        rows.insert(r);
                    }
                }
                _ => {}
            }
        }
        let found = match (cols.len(), record, rows.len()) {
            (1, false, _) => {
                let c = cols.iter().next().copied().unwrap_or_default();
                cells.iter().position(|(_, k, _)| k == c)
            }
            (1, true, 1) => {
                let c = cols.iter().next().copied().unwrap_or_default();
                let r = rows.iter().next().copied().unwrap_or_default();
                cells.iter().position(|(rk, k, _)| k == c && rk == r)
            }
            _ => None,
        };
        match found {
            Some(i) => {
                if !used.insert(i) {
                    return None;
                }
                out.push(Some(i));
            }
            None if v.kind == TokKind::Empty => out.push(None),
            None => return None,
        }
    }
    Some(out)
}

#[allow(clippy::too_many_arguments)]
fn assign(
    st: &mut State,
    units: &mut BTreeMap<String, Vec<(Unit, SourcePos, String)>>,
    ut: &UTable,
    cells: &[(String, String, ValueType)],
    values: &[ValTok],
    reading: &Reading,
    hdr_key: &(String, Option<String>),
    pos: &SourcePos,
    label: &str,
) {
    let record = ut.layout == TableLayout::RecordRow;
    // By the grid's header labels.
    let by_header = values.first().and_then(|v| v.at).and_then(|at| {
        let hs = reading
            .grid_headers
            .get(&(at.grid, hdr_key.0.clone(), hdr_key.1.clone()))?;
        map_by_headers(values, hs, cells, record)
    });
    let mapping: Option<Vec<Option<usize>>> = match by_header {
        Some(m) => Some(m),
        None => {
            // In order; empty cells beyond the columns are the source's padding.
            let mut vals = values.len();
            while vals > cells.len() && values[vals - 1].kind == TokKind::Empty {
                vals -= 1;
            }
            if vals == cells.len()
                && !values
                    .iter()
                    .any(|v| matches!(v.kind, TokKind::Digits(ref g) if g.len() > 1))
            {
                Some((0..vals).map(Some).collect())
            } else {
                None
            }
        }
    };
    if let Some(m) = mapping {
        for (v, slot) in values.iter().zip(m) {
            let Some(i) = slot else { continue };
            let (row, col, ty) = &cells[i];
            // The cell's name and path are only needed for a log entry.
            let name = || {
                ut.rows
                    .iter()
                    .find(|u| u.key == *row)
                    .map(|u| u.def.cell_name(row, col))
                    .unwrap_or_default()
            };
            let path = || format!("{}.{row}.{col}", ut.key);
            match read_value(v, *ty) {
                Ok((cv, unit_note)) => {
                    if let Some(u) = unit_note {
                        st.log.push(LogEntry {
                            kind: LogKind::Note,
                            path: path(),
                            cell: name(),
                            source: v.pos.clone(),
                            message: u,
                        });
                    }
                    put(st, &ut.key, row, col, cv, &v.pos);
                }
                Err(why) => st.log.push(LogEntry {
                    kind: LogKind::Unread,
                    path: path(),
                    cell: name(),
                    source: v.pos.clone(),
                    message: why,
                }),
            }
        }
        return;
    }
    // Fewer values than cells, all digits: a run-together unit for the splitter.
    let mut groups: Vec<String> = Vec::new();
    let mut splittable = values.len() < cells.len() && !values.is_empty();
    for v in values {
        match &v.kind {
            TokKind::Digits(g) => groups.extend(g.iter().map(|x| strip_unit(x).0.to_string())),
            TokKind::Value => match parse_number_text(&v.text) {
                Some(n) if !n.starts_with('-') => groups.push(n),
                _ => splittable = false,
            },
            _ => splittable = false,
        }
    }
    if values.iter().any(|v| matches!(v.kind, TokKind::Digits(_))) && values.len() <= cells.len() {
        splittable = !groups.is_empty();
    }
    let first = cells.first();
    let path = first
        .map(|(r, _, _)| format!("{}.{r}", ut.key))
        .unwrap_or_else(|| ut.key.clone());
    if splittable {
        units.entry(ut.key.clone()).or_default().push((
            Unit {
                cells: cells
                    .iter()
                    .map(|(r, c, t)| ((r.clone(), c.clone()), *t))
                    .collect(),
                groups,
            },
            values
                .first()
                .map(|v| v.pos.clone())
                .unwrap_or_else(|| pos.clone()),
            label.to_string(),
        ));
        return;
    }
    if values.is_empty() {
        return; // every cell is logged as not read
    }
    st.log.push(LogEntry {
        kind: LogKind::Ambiguous,
        path,
        cell: String::new(),
        source: pos.clone(),
        message: format!(
            "{}读到 {} 个值（{}），而这一行有 {} 个单元格，无法对应；留空 (the number of values does not match the columns; left blank)",
            if label.is_empty() { String::new() } else { format!("“{}” 行", crate::text::quoted(label)) },
            values.len(),
            values
                .iter()
                .map(|v| if v.text.is_empty() { "空".to_string() } else { v.text.clone() })
                .collect::<Vec<_>>()
                .join(" | "),
            cells.len()
        ),
    });
}

/// One value token as a cell of a kind: blank, a number (with a note when a unit was dropped),
/// or why it cannot be read.
fn read_value(v: &ValTok, ty: ValueType) -> Result<(CellVal, Option<String>), String> {
    let text = match &v.kind {
        TokKind::Empty => return Ok((CellVal::Blank, None)),
        TokKind::Digits(g) if g.len() == 1 => g[0].clone(),
        _ => v.text.clone(),
    };
    let folded: String = text
        .chars()
        .map(super::normalize::fold_width)
        .collect::<String>()
        .trim()
        .to_string();
    if super::vocab::vocab().is_blank_marker(&folded) {
        return Ok((CellVal::Blank, None));
    }
    let text = crate::text::quoted(&text);
    let Some(n) = parse_number_text(&folded) else {
        return Err(format!(
            "单元格内容 “{text}” 不是数字，留空 (null) (not a number; left null)"
        ));
    };
    let (_, unit) = strip_unit(&folded);
    let Some(num) = number(&n, ty) else {
        return Err(match ty {
            ValueType::Count => format!(
                "单元格内容 “{text}” 不是非负整数，留空 (null) (not a non-negative whole number; left null)"
            ),
            ValueType::Signed => {
                format!("单元格内容 “{text}” 不是整数，留空 (null) (not a whole number; left null)")
            }
            ValueType::Amount => format!(
                "单元格内容 “{text}” 不是非负金额，留空 (null) (not a non-negative amount; left null)"
            ),
        });
    };
    let mut note =
        unit.map(|u| format!("单元格 “{text}” 去掉单位 “{u}” 后读作 {n} (unit dropped)"));
    if note.is_none()
        && n != folded
        && !Decimal::from_str(&folded).is_ok_and(|d| d.to_string() == n)
    {
        note = Some(format!("单元格 “{text}” 读作 {n} (read as {n})"));
    }
    Ok((CellVal::Num(num), note))
}
