//! The JSON Schema of the report format, generated from the templates (so a new format file
//! extends the schema without code). Printed by `nianbao schema`.

use crate::template::{
    self, ColumnDef, Level, RowDef, SectionKind, TableDef, TableLayout, ValueType,
};
use serde_json::{json, Map, Value};

fn cell(c: &ColumnDef) -> Value {
    let desc = match &c.unit {
        Some(u) => format!("{}（{u}）", c.label),
        None => c.label.clone(),
    };
    match c.value_type {
        ValueType::Count => json!({"description": desc, "type": ["integer", "null"], "minimum": 0}),
        ValueType::Signed => json!({"description": desc, "type": ["integer", "null"]}),
        ValueType::Amount => json!({"description": desc, "type": ["number", "null"], "minimum": 0}),
    }
}

fn row_object(label: &str, columns: &[&ColumnDef]) -> Value {
    let mut props = Map::new();
    for c in columns {
        props.insert(c.key.clone(), cell(c));
    }
    json!({"description": label, "type": "object", "additionalProperties": false, "properties": props})
}

fn tree(rows: &[RowDef], columns: &[&ColumnDef], props: &mut Map<String, Value>) {
    for r in rows {
        match &r.key {
            None => tree(&r.children, columns, props),
            Some(k) if r.children.is_empty() => {
                props.insert(k.clone(), row_object(&r.label, columns));
            }
            Some(k) => {
                let mut inner = Map::new();
                tree(&r.children, columns, &mut inner);
                props.insert(
                    k.clone(),
                    json!({"description": r.label, "type": "object", "additionalProperties": false, "properties": inner}),
                );
            }
        }
    }
}

/// Schema of one statutory table in every format. Table 二's rows accept any format's columns
/// (a group's columns decide its format); tables 三 and 四 are one variant per format, so a
/// report whose table 三 prints one part in the other format's shape (洪泽 2023's single
/// （六）其他处理 row) matches that format's variant.
fn table_schema(key: &str) -> Value {
    let mut variants = Vec::new();
    let mut group_rows: Map<String, Value> = Map::new();
    let mut description = String::new();
    for t in template::all() {
        let Some(def): Option<&TableDef> = t.table(key) else {
            continue;
        };
        if description.is_empty() {
            description = format!("{} {}", def.name, def.title);
        }
        match def.layout {
            TableLayout::Groups => {
                for g in &def.groups {
                    for r in &g.rows {
                        let Some(k) = &r.key else { continue };
                        let cols: Vec<&ColumnDef> = g.columns.iter().collect();
                        let entry = group_rows.entry(k.clone()).or_insert_with(|| {
                            json!({"description": format!("{} {}", g.caption, r.label), "anyOf": []})
                        });
                        let v = row_object(&format!("{} 格式", t.format), &cols);
                        if let Some(a) = entry.get_mut("anyOf").and_then(|a| a.as_array_mut()) {
                            if !a.contains(&v) {
                                a.push(v);
                            }
                        }
                    }
                }
            }
            _ => {
                let mut props = Map::new();
                let cols: Vec<&ColumnDef> = def.columns.iter().collect();
                tree(&def.rows, &cols, &mut props);
                variants.push(json!({"title": format!("{} 格式{}", t.format, def.name), "type": "object", "additionalProperties": false, "properties": props}));
            }
        }
    }
    if !group_rows.is_empty() {
        return json!({"description": description, "type": "object", "additionalProperties": false, "properties": group_rows});
    }
    json!({"anyOf": variants})
}

/// The JSON Schema (draft 2020-12) of a report.
pub fn report_schema() -> Value {
    let all = template::all();
    let formats: Vec<&str> = all.iter().map(|t| t.format.as_str()).collect();
    let newest = template::newest();
    let block = json!({
        "anyOf": [
            {"type": "string", "description": "段落"},
            {"type": "object", "additionalProperties": false, "required": ["heading"],
             "properties": {"heading": {"type": "string", "description": "小标题，如（一）主动公开"}}},
            {"type": "object", "additionalProperties": false, "required": ["table"],
             "properties": {"table": {"type": "object", "additionalProperties": false, "required": ["rows"],
                "properties": {"header_rows": {"type": "integer", "minimum": 0},
                               "rows": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}}}}}}
        ]
    });
    let prose = json!({"type": "array", "items": {"$ref": "#/$defs/block"}});
    let mut headings = Map::new();
    for s in &newest.sections {
        headings.insert(s.key.clone(), json!({"type": "string"}));
    }
    let levels = [
        Level::Department,
        Level::Government,
        Level::Township,
        Level::Vertical,
    ];
    let level_names: Vec<String> = levels
        .iter()
        .map(|l| {
            let key = serde_json::to_value(l).ok();
            format!(
                "{} {}",
                key.as_ref().and_then(|k| k.as_str()).unwrap_or_default(),
                newest.levels.name(*l)
            )
        })
        .collect();
    let mut required = vec!["format".to_string(), "agency".into(), "year".into()];
    let mut properties = Map::new();
    properties.insert(
        "format".into(),
        json!({"enum": formats, "description": format!("统一格式：{}", all.iter().map(|t| format!("{}（{}）", t.format, t.notice)).collect::<Vec<_>>().join("；"))}),
    );
    properties.insert(
        "agency".into(),
        json!({"type": "string", "minLength": 1, "description": "机关全称"}),
    );
    properties.insert(
        "year".into(),
        json!({"type": "integer", "description": "报告年度"}),
    );
    properties.insert(
        "title".into(),
        json!({"type": "string", "description": format!("标题，默认 {}", newest.title_pattern)}),
    );
    properties.insert("level".into(), json!({"enum": levels, "description": format!("机关类别（决定发布时限）：{}", level_names.join("；"))}));
    properties.insert("published".into(), json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": "发布日期 YYYY-MM-DD"}));
    properties.insert("headings".into(), json!({"type": "object", "additionalProperties": false, "properties": headings, "description": "实际发布的章节标题（与模板不同时）"}));
    properties.insert("preamble".into(), prose.clone());
    for s in &newest.sections {
        required.push(s.key.clone());
        let v = match s.kind {
            SectionKind::Prose => prose.clone(),
            SectionKind::Table => table_schema(&s.key),
        };
        properties.insert(s.key.clone(), v);
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://nianbao.invalid/report.schema.json",
        "title": "政府信息公开工作年度报告 (nianbao report JSON)",
        "type": "object",
        "additionalProperties": false,
        "required": required,
        "properties": properties,
        "$defs": {"block": block}
    })
}
