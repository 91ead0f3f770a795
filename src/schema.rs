//! The JSON Schema of the report format, generated from the templates (so a new format file
//! extends the schema without code). Printed by `nianbao schema`.

use crate::template::{self, ColumnDef, RowDef, TableDef, TableLayout, ValueType};
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

/// Schema of one statutory table in every format (table 二 groups accept any format's columns,
/// which is how mixed reports are written).
fn table_schema(key: &str) -> Value {
    let mut variants = Vec::new();
    let mut group_rows: Map<String, Value> = Map::new();
    for t in template::all() {
        let Some(def): Option<&TableDef> = t.table(key) else {
            continue;
        };
        match def.layout {
            TableLayout::Groups => {
                for g in &def.groups {
                    for r in &g.rows {
                        let Some(k) = &r.key else { continue };
                        let cols: Vec<&ColumnDef> = g.columns.iter().collect();
                        let entry = group_rows.entry(k.clone()).or_insert_with(|| json!({"description": format!("{} {}", g.caption, r.label), "anyOf": []}));
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
        return json!({"description": "表二 主动公开政府信息情况", "type": "object", "additionalProperties": false, "properties": group_rows});
    }
    json!({"anyOf": variants})
}

/// The JSON Schema (draft 2020-12) of a report.
pub fn report_schema() -> Value {
    let formats: Vec<&str> = template::format_ids();
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
    let section_keys: Vec<String> = template::all()
        .first()
        .map(|t| t.sections.iter().map(|s| s.key.clone()).collect())
        .unwrap_or_default();
    let mut headings = Map::new();
    for k in &section_keys {
        headings.insert(k.clone(), json!({"type": "string"}));
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://nianbao.invalid/report.schema.json",
        "title": "政府信息公开工作年度报告 (nianbao report JSON)",
        "type": "object",
        "additionalProperties": false,
        "required": ["format", "agency", "year", "overview", "proactive", "applications", "review_litigation", "problems", "other"],
        "properties": {
            "format": {"enum": formats, "description": "统一格式：2021（国办公开办函〔2021〕30号）或 2019（〔2019〕60号 试行）"},
            "agency": {"type": "string", "minLength": 1, "description": "机关全称"},
            "year": {"type": "integer", "description": "报告年度"},
            "title": {"type": "string", "description": "标题，默认 <机关><年度>年政府信息公开工作年度报告"},
            "level": {"enum": ["department", "government", "township", "vertical"], "description": "机关类别（决定发布时限）"},
            "published": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": "发布日期 YYYY-MM-DD"},
            "headings": {"type": "object", "additionalProperties": false, "properties": headings, "description": "实际发布的章节标题（与模板不同时）"},
            "preamble": prose.clone(),
            "overview": prose.clone(),
            "proactive": table_schema("proactive"),
            "applications": table_schema("applications"),
            "review_litigation": table_schema("review_litigation"),
            "problems": prose.clone(),
            "other": prose,
        },
        "$defs": {"block": block}
    })
}
