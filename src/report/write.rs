//! Writing: [`Report`] → JSON in the documented format, rows and columns in template order,
//! decimals with the digits they were read with.

use super::model::{Block, Number, Report, TableData};
use crate::template::{SectionKind, TableDef};
use rust_decimal::Decimal;
use serde_json::{Map, Value as Json};

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

    /// The report as pretty-printed JSON text.
    pub fn to_json_string(&self) -> String {
        let mut s = serde_json::to_string_pretty(&self.to_json()).unwrap_or_default();
        s.push('\n');
        s
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
