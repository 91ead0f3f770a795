//! Writing: [`Report`] → JSON in the documented format, rows and columns in template order,
//! decimals with the digits they were read with.

use super::model::{Block, Number, Report, TableData};
use crate::template::{SectionKind, TableDef};
use rust_decimal::Decimal;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value as Json};
use std::borrow::Cow;

impl Report {
    /// The report as JSON in the documented format (rows and columns in template order).
    pub fn to_json(&self) -> Json {
        let mut m = Map::new();
        m.insert("format".into(), Json::from(self.format.clone()));
        m.insert("agency".into(), Json::from(self.agency.clone()));
        m.insert("year".into(), Json::from(self.year));
        if let Some(t) = &self.title {
            m.insert("title".into(), Json::from(t.clone()));
        }
        if let Some(l) = self.level {
            m.insert(
                "level".into(),
                serde_json::to_value(l).unwrap_or(Json::Null),
            );
        }
        if let Some(d) = self.published {
            m.insert("published".into(), Json::from(d.to_string()));
        }
        if !self.headings.is_empty() {
            m.insert(
                "headings".into(),
                Json::Object(
                    self.headings
                        .iter()
                        .map(|(k, v)| (k.clone(), Json::from(v.clone())))
                        .collect(),
                ),
            );
        }
        if !self.preamble.is_empty() {
            m.insert("preamble".into(), blocks_json(&self.preamble));
        }
        let template = self.template();
        for s in &template.sections {
            let v = match s.kind {
                SectionKind::Prose => blocks_json(self.prose(&s.key).unwrap_or(&[])),
                SectionKind::Table => match (self.table_def(&s.key), self.table(&s.key)) {
                    (Some(def), Some(data)) => table_json(&def, data),
                    _ => Json::Object(Map::new()),
                },
            };
            m.insert(s.key.clone(), v);
        }
        Json::Object(m)
    }

    /// The report as pretty-printed JSON text: the bytes of [`Report::to_json`] pretty-printed,
    /// written straight from the report (no [`Json`] tree of copied keys and cells).
    pub fn to_json_string(&self) -> String {
        let mut out = Vec::with_capacity(16 * 1024);
        let written = match top_level(self) {
            Some(entries) => {
                let mut ser = serde_json::Serializer::pretty(&mut out);
                Streamed(&entries).serialize(&mut ser)
            }
            // A key that would come twice (never with the bundled templates): the tree keeps
            // the first place and the last value, which the stream does not model.
            None => serde_json::to_writer_pretty(&mut out, &self.to_json()),
        };
        if written.is_err() {
            out.clear();
        }
        // serde_json writes only UTF-8 (strings are `&str`, escapes ASCII).
        let mut s = String::from_utf8(out).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// One value of the streamed JSON, as [`Report::to_json`] would hold it.
enum Out<'a> {
    /// A value that is cheap to build as a tree (scalars, prose blocks).
    Json(Json),
    /// A statutory table's cell.
    Cell(Option<Number>),
    /// An object: keys in insertion order, a repeated key replacing the value in its first place
    /// (as [`Map::insert`] does with `preserve_order`).
    Obj(Vec<(&'a str, Out<'a>)>),
}

/// A statutory table as [`table_json`] builds it, keys borrowed from the template.
fn table_out(def: &'static TableDef, data: &TableData) -> Out<'static> {
    let mut root: Vec<(&'static str, Out<'static>)> = Vec::new();
    for leaf in def.leaves() {
        let Some(cells) = data.cells.get(&leaf.key) else {
            continue;
        };
        let mut obj = Vec::new();
        for c in def.columns_of(&leaf.key) {
            if let Some(v) = cells.get(&c.key) {
                put(&mut obj, &c.key, Out::Cell(*v));
            }
        }
        let mut map = &mut root;
        let mut parts = leaf.key.split('.').peekable();
        while let Some(part) = parts.next() {
            if parts.peek().is_none() {
                put(map, part, Out::Obj(obj));
                break;
            }
            // `entry(part).or_insert_with(empty object)`, then down into it if it is one.
            let i = match map.iter().position(|(k, _)| *k == part) {
                Some(i) => i,
                None => {
                    map.push((part, Out::Obj(Vec::new())));
                    map.len() - 1
                }
            };
            match &mut map[i].1 {
                Out::Obj(inner) => map = inner,
                _ => break,
            }
        }
    }
    Out::Obj(root)
}

/// [`Map::insert`] on an [`Out::Obj`]'s entries.
fn put<'a>(map: &mut Vec<(&'a str, Out<'a>)>, key: &'a str, value: Out<'a>) {
    match map.iter_mut().find(|(k, _)| *k == key) {
        Some(e) => e.1 = value,
        None => map.push((key, value)),
    }
}

/// The top-level entries of [`Report::to_json`], or `None` when a key would come twice.
fn top_level(r: &Report) -> Option<Vec<(&'static str, Out<'static>)>> {
    let mut m: Vec<(&'static str, Out<'static>)> = Vec::with_capacity(16);
    m.push(("format", Out::Json(Json::from(r.format.clone()))));
    m.push(("agency", Out::Json(Json::from(r.agency.clone()))));
    m.push(("year", Out::Json(Json::from(r.year))));
    if let Some(t) = &r.title {
        m.push(("title", Out::Json(Json::from(t.clone()))));
    }
    if let Some(l) = r.level {
        m.push((
            "level",
            Out::Json(serde_json::to_value(l).unwrap_or(Json::Null)),
        ));
    }
    if let Some(d) = r.published {
        m.push(("published", Out::Json(Json::from(d.to_string()))));
    }
    if !r.headings.is_empty() {
        let h = r
            .headings
            .iter()
            .map(|(k, v)| (k.clone(), Json::from(v.clone())))
            .collect();
        m.push(("headings", Out::Json(Json::Object(h))));
    }
    if !r.preamble.is_empty() {
        m.push(("preamble", Out::Json(blocks_json(&r.preamble))));
    }
    let template: &'static crate::template::Template = r.template();
    for s in &template.sections {
        if m.iter().any(|(k, _)| *k == s.key) {
            return None;
        }
        let v = match s.kind {
            SectionKind::Prose => Out::Json(blocks_json(r.prose(&s.key).unwrap_or(&[]))),
            SectionKind::Table => match (r.table_def(&s.key), r.table(&s.key)) {
                (Some(Cow::Borrowed(def)), Some(data)) => table_out(def, data),
                (Some(Cow::Owned(def)), Some(data)) => Out::Json(table_json(&def, data)),
                _ => Out::Json(Json::Object(Map::new())),
            },
        };
        m.push((&s.key, v));
    }
    Some(m)
}

/// Serializes entries as a JSON object.
struct Streamed<'e, 'a>(&'e [(&'a str, Out<'a>)]);

impl Serialize for Streamed<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl Serialize for Out<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Out::Json(v) => v.serialize(s),
            Out::Cell(None) => s.serialize_unit(),
            Out::Cell(Some(Number::Int(i))) => s.serialize_i64(*i),
            Out::Cell(Some(n @ Number::Decimal(_))) => n.to_json().serialize(s),
            Out::Obj(entries) => Streamed(entries).serialize(s),
        }
    }
}

fn blocks_json(blocks: &[Block]) -> Json {
    Json::Array(
        blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(p) => Json::from(p.clone()),
                Block::Heading(h) => serde_json::json!({ "heading": h }),
                Block::Table(t) => serde_json::json!({ "table": t }),
            })
            .collect(),
    )
}

fn table_json(def: &TableDef, data: &TableData) -> Json {
    let mut root = Map::new();
    let rows: Vec<(String, Vec<String>)> = def
        .leaves()
        .iter()
        .map(|l| {
            let columns = def.columns_of(&l.key).iter().map(|c| c.key.clone());
            (l.key.clone(), columns.collect())
        })
        .collect();
    for (row, cols) in rows {
        let Some(cells) = data.cells.get(&row) else {
            continue;
        };
        let mut obj = Map::new();
        for c in cols {
            if let Some(v) = cells.get(&c) {
                obj.insert(c, v.map(Number::to_json).unwrap_or(Json::Null));
            }
        }
        // Nest dotted keys (the row keys of a table are a tree).
        let parts: Vec<&str> = row.split('.').collect();
        insert_nested(&mut root, &parts, Json::Object(obj));
    }
    Json::Object(root)
}

/// Inserts a value at a dotted path of nested objects.
fn insert_nested(map: &mut Map<String, Json>, path: &[&str], value: Json) {
    match path {
        [] => {}
        [last] => {
            map.insert(last.to_string(), value);
        }
        [first, rest @ ..] => {
            let entry = map
                .entry(first.to_string())
                .or_insert_with(|| Json::Object(Map::new()));
            if let Json::Object(o) = entry {
                insert_nested(o, rest, value);
            }
        }
    }
}

pub(super) fn decimal_json(d: Decimal) -> Json {
    // With serde_json's arbitrary_precision, a number parsed from text keeps that text.
    serde_json::from_str(&d.to_string()).unwrap_or(Json::Null)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    /// The text as first written: the [`Json`] tree, pretty-printed.
    fn through_tree(r: &Report) -> String {
        let mut s = serde_json::to_string_pretty(&r.to_json()).unwrap();
        s.push('\n');
        s
    }

    fn reports() -> Vec<(String, Report)> {
        let mut out = Vec::new();
        for dir in ["examples", "tests/fixtures", "tests/fixtures/reports"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            for e in std::fs::read_dir(&dir).unwrap() {
                let p = e.unwrap().path();
                if p.extension().is_some_and(|x| x == "json") {
                    if let Ok(r) = Report::from_json(&std::fs::read_to_string(&p).unwrap()) {
                        out.push((p.display().to_string(), r));
                    }
                }
            }
        }
        assert!(out.len() >= 10, "{}", out.len());
        out
    }

    #[test]
    fn streamed_json_is_the_trees_text() {
        for (name, r) in reports() {
            assert_eq!(r.to_json_string(), through_tree(&r), "{name}");
            // Cells of every kind: nulls, decimals with their digits, negative counts, and rows
            // of the data not in the template (dropped by both).
            let mut r = r;
            for (i, (row, cells)) in r.applications.cells.iter_mut().enumerate() {
                for (j, cell) in cells.values_mut().enumerate() {
                    *cell = match (i + j) % 4 {
                        0 => None,
                        1 => Some(Number::Decimal(Decimal::from_str("12.50").unwrap())),
                        2 => Some(Number::Int(-7)),
                        _ => *cell,
                    };
                }
                assert!(!row.is_empty());
            }
            r.applications
                .cells
                .insert("no_such_row".into(), Default::default());
            r.title = Some("标题 \"引号\"\n".into());
            assert_eq!(r.to_json_string(), through_tree(&r), "{name} changed");
        }
    }
}
