//! Reading: JSON text → [`Report`]. The text is checked for syntax, duplicate keys and nesting
//! first ([`crate::input::check_json`]), then every field, block and cell against the report's
//! template; each mistake is an [`InputError`] naming its JSON path and, for a cell, its place in
//! Chinese.

use super::model::{Block, Date, FreeTable, Level, Number, Report, TableData};
use crate::input::InputError;

use crate::template::{self, TableDef, TableLayout, Template, ValueType};
use crate::text::quoted;
use rust_decimal::Decimal;
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;

/// A block as written in the JSON, checked by `convert_block`.
struct RawBlock(Json);

/// The top-level fields of a report, each checked for its JSON type; the statutory tables and
/// blocks are checked further by `from_raw`.
struct RawReport {
    format: String,
    agency: String,
    year: i32,
    title: Option<String>,
    level: Option<Level>,
    published: Option<String>,
    headings: BTreeMap<String, String>,
    preamble: Vec<RawBlock>,
    overview: Vec<RawBlock>,
    proactive: Map<String, Json>,
    applications: Map<String, Json>,
    review_litigation: Map<String, Json>,
    problems: Vec<RawBlock>,
    other: Vec<RawBlock>,
}

/// The report's top-level fields, in the documented order, and whether each is required.
const FIELDS: [(&str, bool); 14] = [
    ("format", true),
    ("agency", true),
    ("year", true),
    ("title", false),
    ("level", false),
    ("published", false),
    ("headings", false),
    ("preamble", false),
    ("overview", true),
    ("proactive", true),
    ("applications", true),
    ("review_litigation", true),
    ("problems", true),
    ("other", true),
];

/// The kinds of agency as the JSON spells them.
const LEVELS: [(&str, Level); 4] = [
    ("department", Level::Department),
    ("government", Level::Government),
    ("township", Level::Township),
    ("vertical", Level::Vertical),
];

/// A field of the wrong JSON type: what was expected, in Chinese and English, and what was found.
fn wrong_type(key: &str, zh: &str, en: &str, found: &Json) -> InputError {
    InputError::new(
        key,
        None,
        format!(
            "类型错误：应为{zh}，实际是{} (invalid type: expected {en})",
            json_kind(found)
        ),
    )
}

fn string_field(key: &str, v: Json) -> Result<String, InputError> {
    match v {
        Json::String(s) => Ok(s),
        other => Err(wrong_type(key, "字符串", "a string", &other)),
    }
}

fn optional_string(key: &str, v: Json) -> Result<Option<String>, InputError> {
    match v {
        Json::Null => Ok(None),
        other => string_field(key, other).map(Some),
    }
}

fn object_field(key: &str, v: Json) -> Result<Map<String, Json>, InputError> {
    match v {
        Json::Object(o) => Ok(o),
        other => Err(wrong_type(key, "对象 {…}", "an object", &other)),
    }
}

fn blocks_field(key: &str, v: Json) -> Result<Vec<RawBlock>, InputError> {
    match v {
        Json::Array(a) => Ok(a.into_iter().map(RawBlock).collect()),
        other => Err(wrong_type(
            key,
            "块的数组 […]",
            "an array of blocks",
            &other,
        )),
    }
}

impl RawReport {
    /// Checks the top-level fields of a report object: no unknown field, every required one
    /// present, each of its JSON type. Fields are checked in the order written, so the first
    /// mistake in the file is the one named.
    fn from_object(map: Map<String, Json>) -> Result<RawReport, InputError> {
        let mut raw = RawReport {
            format: String::new(),
            agency: String::new(),
            year: 0,
            title: None,
            level: None,
            published: None,
            headings: BTreeMap::new(),
            preamble: Vec::new(),
            overview: Vec::new(),
            proactive: Map::new(),
            applications: Map::new(),
            review_litigation: Map::new(),
            problems: Vec::new(),
            other: Vec::new(),
        };
        let mut seen = [false; FIELDS.len()];
        for (key, v) in map {
            let Some(i) = FIELDS.iter().position(|(f, _)| *f == key) else {
                let known: Vec<&str> = FIELDS.iter().map(|(f, _)| *f).collect();
                let key = quoted(&key);
                return Err(InputError::new(
                    key.as_ref(),
                    None,
                    format!(
                        "未知的字段 “{key}”；请检查拼写（键名见 nianbao schema） (unknown field `{key}`, expected one of {})",
                        known.join(", ")
                    ),
                ));
            };
            seen[i] = true;
            let k = key.as_str();
            match k {
                "format" => raw.format = string_field(k, v)?,
                "agency" => raw.agency = string_field(k, v)?,
                "year" => {
                    raw.year = match &v {
                        Json::Number(n) => match n.as_i64() {
                            Some(y) => i32::try_from(y).map_err(|_| {
                                InputError::new(
                                    k,
                                    None,
                                    format!("报告年度 {y} 不合理 (year out of range)"),
                                )
                            })?,
                            None => return Err(wrong_type(k, "整数", "a whole number", &v)),
                        },
                        other => return Err(wrong_type(k, "整数", "a whole number", other)),
                    }
                }
                "title" => raw.title = optional_string(k, v)?,
                "level" => {
                    raw.level = match v {
                        Json::Null => None,
                        Json::String(s) => match LEVELS.iter().find(|(name, _)| *name == s) {
                            Some((_, level)) => Some(*level),
                            None => {
                                let names: Vec<&str> = LEVELS.iter().map(|(n, _)| *n).collect();
                                let s = quoted(&s);
                                return Err(InputError::new(
                                    k,
                                    None,
                                    format!(
                                        "取值不在允许范围内：“{s}”；可用：{} (unknown variant)",
                                        names.join(", ")
                                    ),
                                ));
                            }
                        },
                        other => return Err(wrong_type(k, "字符串", "a string", &other)),
                    }
                }
                "published" => raw.published = optional_string(k, v)?,
                "headings" => {
                    for (h, text) in object_field(k, v)? {
                        let path = format!("headings.{h}");
                        let text = string_field(&path, text)?;
                        raw.headings.insert(h, text);
                    }
                }
                "preamble" => raw.preamble = blocks_field(k, v)?,
                "overview" => raw.overview = blocks_field(k, v)?,
                "proactive" => raw.proactive = object_field(k, v)?,
                "applications" => raw.applications = object_field(k, v)?,
                "review_litigation" => raw.review_litigation = object_field(k, v)?,
                "problems" => raw.problems = blocks_field(k, v)?,
                _ => raw.other = blocks_field(k, v)?,
            }
        }
        if let Some(((missing, _), _)) = FIELDS
            .iter()
            .zip(seen)
            .find(|((_, required), seen)| *required && !seen)
        {
            return Err(InputError::new(
                "",
                None,
                format!(
                    "缺少必需的字段 `{missing}`；六个章节和 format、agency、year 都必须有 (missing field `{missing}`)"
                ),
            ));
        }
        Ok(raw)
    }
}

impl Report {
    /// Reads a report from JSON text (a leading byte-order mark is ignored). The text must be
    /// exactly one JSON object with no key twice in any object; sizes and characters are
    /// checked against [`crate::limits`].
    ///
    /// # Errors
    /// An [`InputError`] naming the JSON path (and, for a cell, its place in Chinese) of the
    /// first mistake: bad syntax, a key twice, an unknown or missing field, a wrong type, an
    /// unknown format, row or column, a negative or fractional count, a text over a limit.
    ///
    /// ```
    /// let json = std::fs::read_to_string("examples/demo-city-2024.json").unwrap();
    /// let report = nianbao::Report::from_json(&json).unwrap();
    /// assert_eq!(report.template().format, "2021");
    /// ```
    pub fn from_json(text: &str) -> Result<Report, InputError> {
        let text = crate::input::strip_bom(text);
        let first = text.trim_start().chars().next();
        if first.is_some() && first != Some('{') {
            return Err(InputError::new(
                "",
                None,
                "报告必须是一个 JSON 对象 {…} (a report is a JSON object)",
            ));
        }
        // Syntax, trailing data, duplicate keys at any depth, nesting depth; and the tree, in
        // the same pass.
        let map = match crate::input::parse_json(text)? {
            Some(Json::Object(map)) => map,
            // The check has accepted the syntax, so only a non-object (or what serde_json's
            // `Value` refuses) can get here.
            _ => {
                return Err(InputError::new(
                    "",
                    None,
                    "报告必须是一个 JSON 对象 {…} (a report is a JSON object)",
                ))
            }
        };
        let raw = RawReport::from_object(map)?;
        let report = Report::from_raw(raw)?;
        super::limits::check_report(&report)?;
        Ok(report)
    }

    /// [`Report::from_json`] for a JSON object already in memory (the importer's assembled
    /// report): the same checks on the fields, without writing the text and parsing it again (a
    /// map cannot hold a key twice, and its depth is the assembler's).
    pub(crate) fn from_json_object(map: Map<String, Json>) -> Result<Report, InputError> {
        let raw = RawReport::from_object(map)?;
        let report = Report::from_raw(raw)?;
        super::limits::check_report(&report)?;
        Ok(report)
    }

    fn from_raw(raw: RawReport) -> Result<Report, InputError> {
        let Some(template) = Template::get(&raw.format) else {
            return Err(InputError::new(
                "format",
                None,
                format!(
                    "未知的报告格式 “{}”；可用的格式：{} (unknown format)",
                    quoted(&raw.format),
                    template::format_ids().join(", ")
                ),
            ));
        };
        if raw.agency.trim().is_empty() {
            return Err(InputError::new(
                "agency",
                None,
                "机关名称不能为空 (agency must not be empty)",
            ));
        }
        if !(1900..=2999).contains(&raw.year) {
            return Err(InputError::new(
                "year",
                None,
                format!("报告年度 {} 不合理 (year out of range)", raw.year),
            ));
        }
        let published = match raw.published {
            Some(s) => Some(
                s.parse::<Date>()
                    .map_err(|m| InputError::new("published", None, m))?,
            ),
            None => None,
        };
        for key in raw.headings.keys() {
            if template.section(key).is_none() {
                let key = quoted(key);
                return Err(InputError::new(
                    format!("headings.{key}"),
                    None,
                    format!(
                        "未知的章节键 “{key}”；可用：{} (unknown section key)",
                        template
                            .sections
                            .iter()
                            .map(|s| s.key.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
        let blocks = |name: &str, v: Vec<RawBlock>| -> Result<Vec<Block>, InputError> {
            v.into_iter()
                .enumerate()
                .map(|(i, b)| convert_block(&format!("{name}[{i}]"), b))
                .collect()
        };
        let table = |key: &str, map: Map<String, Json>| -> Result<TableData, InputError> {
            let def = template.table(key).ok_or_else(|| {
                InputError::new(key, None, "模板缺少此表 (template lacks this table)")
            })?;
            read_table(template, def, map)
        };
        Ok(Report {
            format: raw.format.clone(),
            agency: raw.agency,
            year: raw.year,
            title: raw.title,
            level: raw.level,
            published,
            headings: raw.headings,
            preamble: blocks("preamble", raw.preamble)?,
            overview: blocks("overview", raw.overview)?,
            proactive: table("proactive", raw.proactive)?,
            applications: table("applications", raw.applications)?,
            review_litigation: table("review_litigation", raw.review_litigation)?,
            problems: blocks("problems", raw.problems)?,
            other: blocks("other", raw.other)?,
        })
    }
}

/// A prose block: a string (paragraph), `{"heading": "…"}` or `{"table": {"rows": [[…]],
/// "header_rows": N}}`; each mistake is named with its rule and JSON path.
fn convert_block(path: &str, b: RawBlock) -> Result<Block, InputError> {
    const WHAT: &str = "块必须是字符串（段落）、{\"heading\": …} 或 {\"table\": …} 之一 (a block is a string, a heading or a table)";
    let obj = match b.0 {
        Json::String(p) => return Ok(Block::Paragraph(p)),
        Json::Object(o) => o,
        other => {
            return Err(InputError::new(
                path,
                None,
                format!("{WHAT}；实际是{}", json_kind(&other)),
            ))
        }
    };
    if let Some(k) = obj.keys().find(|k| *k != "heading" && *k != "table") {
        let k = quoted(k);
        return Err(InputError::new(
            format!("{path}.{k}"),
            None,
            format!("块中未知的键 “{k}”；只能是 heading 或 table (unknown key in a block)"),
        ));
    }
    match (obj.get("heading"), obj.get("table")) {
        (Some(Json::String(h)), None) => Ok(Block::Heading(h.clone())),
        (Some(h), None) => Err(InputError::new(
            format!("{path}.heading"),
            None,
            format!(
                "小标题应为字符串，实际是{} (a heading is a string)",
                json_kind(h)
            ),
        )),
        (None, Some(t)) => Ok(Block::Table(convert_table(&format!("{path}.table"), t)?)),
        (Some(_), Some(_)) => Err(InputError::new(
            path,
            None,
            "一个块不能同时有 heading 和 table；请拆成两个块 (a block has either a heading or a table)",
        )),
        (None, None) => Err(InputError::new(path, None, WHAT)),
    }
}

/// A free-form table: `rows` (equal-length rows of strings, at least one) and an optional
/// `header_rows` (a whole number from 0 to the number of rows).
fn convert_table(path: &str, t: &Json) -> Result<FreeTable, InputError> {
    let Json::Object(t) = t else {
        return Err(InputError::new(
            path,
            None,
            format!(
                "自由表格应为对象 {{\"rows\": [[…]], \"header_rows\": N}}，实际是{} (a table is an object)",
                json_kind(t)
            ),
        ));
    };
    if let Some(k) = t.keys().find(|k| *k != "rows" && *k != "header_rows") {
        let k = quoted(k);
        return Err(InputError::new(
            format!("{path}.{k}"),
            None,
            format!(
                "自由表格中未知的键 “{k}”；只能是 rows 和 header_rows (unknown key in a table)"
            ),
        ));
    }
    let rows_path = format!("{path}.rows");
    let rows = match t.get("rows") {
        Some(Json::Array(rows)) => rows,
        Some(other) => {
            return Err(InputError::new(
                rows_path,
                None,
                format!(
                    "rows 应为行的数组 [[…], …]，实际是{} (rows is an array of rows)",
                    json_kind(other)
                ),
            ))
        }
        None => {
            return Err(InputError::new(
                path,
                None,
                "自由表格缺少 rows (a table needs rows)",
            ))
        }
    };
    if rows.is_empty() {
        return Err(InputError::new(
            rows_path,
            None,
            "自由表格没有行 (free-form table has no rows)",
        ));
    }
    let mut out: Vec<Vec<String>> = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let Json::Array(cells) = row else {
            return Err(InputError::new(
                format!("{rows_path}[{i}]"),
                None,
                format!(
                    "每一行应为单元格的数组 […]，实际是{} (a row is an array of cells)",
                    json_kind(row)
                ),
            ));
        };
        let mut texts = Vec::with_capacity(cells.len());
        for (j, c) in cells.iter().enumerate() {
            match c {
                Json::String(s) => texts.push(s.clone()),
                other => {
                    return Err(InputError::new(
                        format!("{rows_path}[{i}][{j}]"),
                        None,
                        format!(
                            "自由表格的单元格应为字符串，实际是{}；数字也请加引号，如 \"37\" (a cell is text: quote numbers)",
                            json_kind(other)
                        ),
                    ))
                }
            }
        }
        out.push(texts);
    }
    // The odd row out is the one whose length differs from most rows' (not merely from the
    // first row's, which may itself be the odd one).
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for r in &out {
        *counts.entry(r.len()).or_default() += 1;
    }
    let most = counts.values().copied().max().unwrap_or(0);
    let width = out
        .iter()
        .map(Vec::len)
        .find(|w| counts.get(w) == Some(&most))
        .unwrap_or(0);
    if let Some((i, r)) = out.iter().enumerate().find(|(_, r)| r.len() != width) {
        if counts.values().filter(|&&c| c == most).count() > 1 {
            // No majority: the rows disagree, none is the odd one.
            return Err(InputError::new(
                rows_path,
                None,
                format!(
                    "自由表格每行的单元格数必须相同：第1行 {width} 个，第{}行 {} 个 (rows must have equal length)",
                    i + 1,
                    r.len()
                ),
            ));
        }
        return Err(InputError::new(
            format!("{rows_path}[{i}]"),
            None,
            format!(
                "自由表格每行的单元格数必须相同：多数行 {width} 个，本行 {} 个 (rows must have equal length)",
                r.len()
            ),
        ));
    }
    let header_rows = match t.get("header_rows") {
        None => 0,
        Some(Json::Number(n)) => match n.as_u64() {
            Some(h) => usize::try_from(h).unwrap_or(usize::MAX),
            None => {
                return Err(InputError::new(
                    format!("{path}.header_rows"),
                    None,
                    format!(
                        "表头行数 {n} 无效：应为 0 到行数之间的整数 (header_rows is a whole number from 0 to the number of rows)"
                    ),
                ))
            }
        },
        Some(other) => {
            return Err(InputError::new(
                format!("{path}.header_rows"),
                None,
                format!(
                    "表头行数应为整数，实际是{} (header_rows is a whole number)",
                    json_kind(other)
                ),
            ))
        }
    };
    if header_rows > out.len() {
        return Err(InputError::new(
            format!("{path}.header_rows"),
            None,
            format!(
                "表头行数 {header_rows} 多于表格行数 {} (header_rows exceeds rows)",
                out.len()
            ),
        ));
    }
    Ok(FreeTable {
        rows: out,
        header_rows,
    })
}

fn read_table(
    template: &Template,
    def: &TableDef,
    map: Map<String, Json>,
) -> Result<TableData, InputError> {
    let mut data = TableData::default();
    match def.layout {
        TableLayout::Groups => read_groups(template, def, &map, &mut data)?,
        _ => {
            read_tree(template, def, &def.rows, &def.key, "", &map, &mut data)?;
        }
    }
    Ok(data)
}

/// Table 二: each group's rows must use one format's columns; the columns decide which.
fn read_groups(
    template: &Template,
    def: &TableDef,
    map: &Map<String, Json>,
    data: &mut TableData,
) -> Result<(), InputError> {
    // Which row keys exist in any format, and in which group.
    for key in map.keys() {
        if def.group_of(key).is_none() {
            let known: Vec<String> = def.leaf_rows().into_iter().map(|l| l.key).collect();
            let elsewhere = template::tables(&def.key)
                .into_iter()
                .filter(|(format, _)| *format != template.format)
                .any(|(_, d)| d.group_of(key).is_some());
            let hint = if elsewhere {
                format!(
                    "此行只属于其他格式，{} 格式的表二没有这一行",
                    template.format
                )
            } else {
                format!("可用的行：{}", known.join(", "))
            };
            let key = quoted(key);
            return Err(InputError::new(
                format!("{}.{key}", def.key),
                None,
                format!("{}中没有行 “{key}”；{hint} (unknown row)", def.name),
            ));
        }
    }
    for group in &def.groups {
        // Gather the column keys used by this group's rows.
        let mut used: Vec<&str> = Vec::new();
        for r in group.rows.iter().filter_map(|r| r.key.as_deref()) {
            if let Some(Json::Object(o)) = map.get(r) {
                used.extend(o.keys().map(|k| k.as_str()));
            }
        }
        let fits =
            |g: &template::GroupDef| used.iter().all(|k| g.columns.iter().any(|c| c.key == *k));
        let (fmt, gdef) = if fits(group) {
            (template.format.clone(), group)
        } else {
            let alt = template::tables(&def.key)
                .into_iter()
                .find_map(|(format, d)| {
                    d.groups
                        .iter()
                        .find(|g| g.id == group.id)
                        .filter(|g| fits(g))
                        .map(|g| (format.to_string(), g))
                });
            match alt {
                Some(a) => a,
                None => {
                    // Report a column that no format's group has (the stray key), else the
                    // first one this format's group lacks.
                    let anywhere: Vec<&str> = template::tables(&def.key)
                        .into_iter()
                        .flat_map(|(_, d)| d.groups.iter().filter(|g| g.id == group.id))
                        .flat_map(|g| g.columns.iter().map(|c| c.key.as_str()))
                        .collect();
                    let find = |bad: &dyn Fn(&str) -> bool| {
                        group
                            .rows
                            .iter()
                            .filter_map(|r| r.key.as_deref())
                            .find_map(|r| match map.get(r) {
                                Some(Json::Object(o)) => {
                                    o.keys().find(|k| bad(k)).map(|k| (r, k.clone()))
                                }
                                _ => None,
                            })
                    };
                    let (row, col) = find(&|k| !anywhere.contains(&k))
                        .or_else(|| find(&|k| !group.columns.iter().any(|c| c.key == k)))
                        .unwrap_or(("", String::new()));
                    let col = quoted(&col);
                    return Err(InputError::new(
                        format!("{}.{row}.{col}", def.key),
                        Some(format!("{} {}", def.name, group.caption)),
                        format!(
                            "未知的列 “{col}”；{} 格式的列：{} (unknown column; a group must use one format's columns throughout)",
                            template.format,
                            group.columns.iter().map(|c| c.key.as_str()).collect::<Vec<_>>().join(", ")
                        ),
                    ));
                }
            }
        };
        if fmt != template.format {
            data.part_formats.insert(group.id.clone(), fmt);
        }
        for r in gdef.rows.iter().filter_map(|r| r.key.as_deref()) {
            if let Some(v) = map.get(r) {
                let path = format!("{}.{r}", def.key);
                let obj = v.as_object().ok_or_else(|| {
                    InputError::new(
                        &path,
                        Some(format!("{} “{}” 行", def.name, def.row_label(r))),
                        format!("应为对象，实际是{} (expected an object)", json_kind(v)),
                    )
                })?;
                read_cells(def, r, &gdef.columns, &path, obj, data)?;
            }
        }
    }
    Ok(())
}

/// Tables 三 and 四: the row tree. The keys of each row object decide its shape, as the columns
/// do for table 二: a row printed in another format's shape (a 2021 report whose （六）其他处理 is
/// the 2019 single row) is read with that format's row and recorded in
/// [`TableData::part_formats`].
fn read_tree(
    template: &Template,
    def: &TableDef,
    rows: &[template::RowDef],
    path: &str,
    prefix: &str,
    map: &Map<String, Json>,
    data: &mut TableData,
) -> Result<(), InputError> {
    let here = template::keyed(rows);
    for k in map.keys() {
        if !here.iter().any(|r| r.key.as_deref() == Some(k)) {
            let k = quoted(k);
            return Err(InputError::new(
                format!("{path}.{k}"),
                Some(def.name.clone()),
                format!(
                    "未知的行 “{k}”；此处可用：{} (unknown row)",
                    here.iter()
                        .filter_map(|r| r.key.as_deref())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    for r in here {
        let k = r.key.as_deref().unwrap_or_default();
        let Some(v) = map.get(k) else { continue };
        let full = if prefix.is_empty() {
            k.to_string()
        } else {
            template::joined(prefix, ".", k)
        };
        let p = template::joined(path, ".", k);
        let obj = v.as_object().ok_or_else(|| {
            InputError::new(
                &p,
                Some(format!("{} “{}” 行", def.name, def.row_label(&full))),
                format!("应为对象，实际是{} (expected an object)", json_kind(v)),
            )
        })?;
        let (d, node) = if fits(def, r, obj) {
            (def, r)
        } else {
            match other_shape(template, def, &full, obj) {
                Some((format, d, node)) => {
                    data.part_formats.insert(full.clone(), format);
                    (d, node)
                }
                // Read as the report's own format, which names the unknown key.
                None => (def, r),
            }
        };
        if node.children.is_empty() {
            read_cells(d, &full, &d.columns, &p, obj, data)?;
        } else {
            read_tree(template, d, &node.children, &p, &full, obj, data)?;
        }
    }
    Ok(())
}

/// Whether a row object's keys fit a row: column keys for a leaf, sub-row keys for a group.
fn fits(def: &TableDef, node: &template::RowDef, obj: &Map<String, Json>) -> bool {
    if node.children.is_empty() {
        obj.keys().all(|k| def.columns.iter().any(|c| c.key == *k))
    } else {
        let kids = node.keyed_children();
        obj.keys()
            .all(|k| kids.iter().any(|c| c.key.as_deref() == Some(k.as_str())))
    }
}

/// Another format's row at the same place whose shape fits the row object (same columns).
fn other_shape(
    template: &Template,
    def: &TableDef,
    row: &str,
    obj: &Map<String, Json>,
) -> Option<(String, &'static TableDef, &'static template::RowDef)> {
    fn keys(d: &TableDef) -> Vec<&str> {
        d.columns.iter().map(|c| c.key.as_str()).collect()
    }
    template::tables(&def.key)
        .into_iter()
        .filter(|(format, _)| *format != template.format)
        .find_map(|(format, d)| {
            let node = d.row_node(row)?;
            (keys(d) == keys(def) && fits(d, node, obj)).then(|| (format.to_string(), d, node))
        })
}

fn read_cells(
    def: &TableDef,
    row: &str,
    columns: &[template::ColumnDef],
    path: &str,
    obj: &Map<String, Json>,
    data: &mut TableData,
) -> Result<(), InputError> {
    for (k, v) in obj {
        let Some(col) = columns.iter().find(|c| c.key == *k) else {
            let k = quoted(k);
            return Err(InputError::new(
                format!("{path}.{k}"),
                Some(format!("{} “{}” 行", def.name, def.row_label(row))),
                format!(
                    "未知的列 “{k}”；可用的列：{} (unknown column)",
                    columns
                        .iter()
                        .map(|c| c.key.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        };
        let place = || {
            Some(format!(
                "{} “{}” 行 “{}” 列",
                def.name,
                def.row_label(row),
                col.label
            ))
        };
        // Built only for an error: most cells have none.
        let p = || format!("{path}.{k}");
        let cell = match v {
            Json::Null => None,
            Json::Number(n) => Some(
                parse_number(n, col.value_type).map_err(|m| InputError::new(p(), place(), m))?,
            ),
            other => {
                return Err(InputError::new(
                    p(),
                    place(),
                    format!(
                        "应为数字或 null，实际是{} (expected a number or null){}",
                        json_kind(other),
                        if other.is_string() {
                            "；数字不要加引号"
                        } else {
                            ""
                        }
                    ),
                ))
            }
        };
        data.set(row, k, cell);
    }
    Ok(())
}

fn parse_number(n: &serde_json::Number, ty: ValueType) -> Result<Number, String> {
    match ty {
        ValueType::Count | ValueType::Signed => {
            let Some(i) = n.as_i64() else {
                return Err(format!(
                    "{} 不是整数；件数必须是整数 (F-05: counts are whole numbers)",
                    quoted(&n.to_string())
                ));
            };
            if ty == ValueType::Count && i < 0 {
                return Err(format!(
                    "{i} 是负数；件数不能为负 (F-05: counts are non-negative)"
                ));
            }
            Ok(Number::Int(i))
        }
        ValueType::Amount => {
            let text = n.to_string();
            let d = Decimal::from_str_exact(&text)
                .or_else(|_| Decimal::from_scientific(&text))
                .map_err(|_| {
                    format!(
                        "{} 不是有效的金额 (F-05: not a decimal amount)",
                        quoted(&text)
                    )
                })?;
            if d.is_sign_negative() && !d.is_zero() {
                return Err(format!(
                    "{} 是负数；金额不能为负 (F-05: amounts are non-negative)",
                    quoted(&text)
                ));
            }
            Ok(Number::Decimal(d))
        }
    }
}

fn json_kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "布尔值 (boolean)",
        Json::Number(_) => "数字 (number)",
        Json::String(_) => "字符串 (string)",
        Json::Array(_) => "数组 (array)",
        Json::Object(_) => "对象 (object)",
    }
}
