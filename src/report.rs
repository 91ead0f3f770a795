//! The typed report: read from JSON, checked against its format's template cell by cell, and
//! written back to JSON exactly (decimals keep their digits). Structural problems that make a
//! report unreadable (wrong type, unknown key, negative count, missing section) are
//! [`InputError`]s; everything a valid-looking report can still get wrong is left to `validate`.

use crate::equation::CellKey;
use crate::template::{self, SectionKind, TableDef, TableLayout, Template, ValueType};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{Map, Value as Json};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// A report that could not be read: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.one_line())]
pub struct InputError {
    /// JSON path, e.g. `applications.denied.state_secret.natural_person` (empty for the whole document).
    pub path: String,
    /// The place named in Chinese, e.g. `表三 “（七）总计” 行 “自然人” 列`.
    pub place: Option<String>,
    /// What is wrong and what to do, in Chinese with the English gist.
    pub message: String,
}

impl InputError {
    fn new(path: impl Into<String>, place: Option<String>, message: impl Into<String>) -> Self {
        InputError {
            path: path.into(),
            place,
            message: message.into(),
        }
    }

    fn one_line(&self) -> String {
        let mut s = String::new();
        if !self.path.is_empty() {
            s.push_str(&self.path);
            s.push_str(": ");
        }
        s.push_str(&self.message);
        if let Some(p) = &self.place {
            s.push_str(&format!("（{p}）"));
        }
        s
    }
}

pub use crate::template::Level;

/// A calendar date (YYYY-MM-DD).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
    /// Day 1–31.
    pub day: u32,
}

impl FromStr for Date {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("日期 “{s}” 不是 YYYY-MM-DD 格式的有效日期 (expected YYYY-MM-DD)");
        let parts: Vec<&str> = s.split('-').collect();
        if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
            return Err(bad());
        }
        let year: i32 = parts[0].parse().map_err(|_| bad())?;
        let month: u32 = parts[1].parse().map_err(|_| bad())?;
        let day: u32 = parts[2].parse().map_err(|_| bad())?;
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return Err(bad()),
        };
        if day == 0 || day > days {
            return Err(bad());
        }
        Ok(Date { year, month, day })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Date {
    /// Written the Chinese way, months and days without padding: `2024年1月20日`.
    pub fn chinese(&self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }
}

/// A number in a statutory table cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Number {
    /// A count (件) or signed change.
    Int(i64),
    /// An exact decimal amount (万元, 元), kept with the digits it was written with.
    Decimal(Decimal),
}

impl Number {
    /// The value as an exact decimal.
    pub fn to_decimal(self) -> Decimal {
        match self {
            Number::Int(i) => Decimal::from(i),
            Number::Decimal(d) => d,
        }
    }

    /// The value as JSON.
    pub fn to_json(self) -> Json {
        match self {
            Number::Int(i) => Json::from(i),
            Number::Decimal(d) => decimal_json(d),
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Decimal(d) => write!(f, "{d}"),
        }
    }
}

fn decimal_json(d: Decimal) -> Json {
    // With serde_json's arbitrary_precision, a number parsed from text keeps that text.
    serde_json::from_str(&d.to_string()).unwrap_or(Json::Null)
}

/// A cell: `None` is a cell left blank in the published report (distinct from 0).
pub type Cell = Option<Number>;

/// The cells of one statutory table, keyed by dotted row key, then column key.
/// Rows and columns absent from the JSON are absent here (rule F-03 reports them).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableData {
    /// row key → column key → cell.
    pub cells: BTreeMap<String, BTreeMap<String, Cell>>,
    /// The parts of the table printed in another format's shape, with that format: a table-二
    /// group id (`article20_1` → `2019` in the seed, whose 第二十条第（一）项 has the 2019
    /// columns) or a table-三 row key (`other` → `2019` when a 2021 report prints （六）其他处理
    /// as the 2019 single row). See [`Report::table_def`].
    pub part_formats: BTreeMap<String, String>,
}

impl TableData {
    /// A cell, if present: `Some(None)` is a blank cell, `None` an absent one.
    pub fn get(&self, row: &str, column: &str) -> Option<Cell> {
        self.cells.get(row).and_then(|r| r.get(column)).copied()
    }

    /// A cell's value, with blank and absent cells as `None`.
    pub fn value(&self, row: &str, column: &str) -> Option<Number> {
        self.get(row, column).flatten()
    }

    /// Sets a cell.
    pub fn set(&mut self, row: &str, column: &str, value: Cell) {
        self.cells
            .entry(row.to_string())
            .or_default()
            .insert(column.to_string(), value);
    }
}

/// A free-form table inside a prose section (the seed's section 一 has one).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct FreeTable {
    /// Rows of cells; every row has the same number of cells.
    pub rows: Vec<Vec<String>>,
    /// How many leading rows are header rows.
    #[serde(default)]
    pub header_rows: usize,
}

/// One block of a prose section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A paragraph.
    Paragraph(String),
    /// A sub-heading such as `（一）主动公开`.
    Heading(String),
    /// A free-form table.
    Table(FreeTable),
}

/// A block as written in the JSON, checked by `convert_block`.
#[derive(Deserialize)]
#[serde(transparent)]
struct RawBlock(Json);

/// The whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Format id (`2021` or `2019`).
    pub format: String,
    /// 机关全称.
    pub agency: String,
    /// The year reported on.
    pub year: i32,
    /// Explicit title, if not the default.
    pub title: Option<String>,
    /// Kind of agency.
    pub level: Option<Level>,
    /// Publication date.
    pub published: Option<Date>,
    /// Section headings as published, where they differ from the template (section key → heading).
    pub headings: BTreeMap<String, String>,
    /// Opening paragraphs before 一、.
    pub preamble: Vec<Block>,
    /// 一、总体情况.
    pub overview: Vec<Block>,
    /// 表二 主动公开政府信息情况.
    pub proactive: TableData,
    /// 表三 收到和处理政府信息公开申请情况.
    pub applications: TableData,
    /// 表四 政府信息公开行政复议、行政诉讼情况.
    pub review_litigation: TableData,
    /// 五、存在的主要问题及改进情况.
    pub problems: Vec<Block>,
    /// 六、其他需要报告的事项.
    pub other: Vec<Block>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReport {
    format: String,
    agency: String,
    year: i32,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    level: Option<Level>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    headings: BTreeMap<String, String>,
    #[serde(default)]
    preamble: Vec<RawBlock>,
    overview: Vec<RawBlock>,
    proactive: Map<String, Json>,
    applications: Map<String, Json>,
    review_litigation: Map<String, Json>,
    problems: Vec<RawBlock>,
    other: Vec<RawBlock>,
}

impl Report {
    /// Reads a report from JSON text (a leading byte-order mark is ignored). The text must be
    /// exactly one JSON object with no key twice in any object; sizes and characters are
    /// checked against [`crate::limits`].
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
        // Syntax, trailing data, duplicate keys at any depth, nesting depth.
        crate::input::check_json(text)?;
        let de = &mut serde_json::Deserializer::from_str(text);
        let raw: RawReport = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let path = if path == "." || path == "?" {
                String::new()
            } else {
                path
            };
            InputError::new(path, None, explain_serde(&e.inner().to_string()))
        })?;
        let report = Report::from_raw(raw)?;
        crate::limits::check_report(&report)?;
        Ok(report)
    }

    fn from_raw(raw: RawReport) -> Result<Report, InputError> {
        let Some(template) = Template::get(&raw.format) else {
            return Err(InputError::new(
                "format",
                None,
                format!(
                    "未知的报告格式 “{}”；可用的格式：{} (unknown format)",
                    raw.format,
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

    /// The template of the report's format.
    pub fn template(&self) -> &'static Template {
        // `from_json` only accepts known formats; a hand-built report with another format falls
        // back to the newest bundled template rather than panicking.
        Template::get(&self.format).unwrap_or_else(template::newest)
    }

    /// The title: explicit, or the template's default (`<agency><year>年…年度报告`).
    pub fn title(&self) -> String {
        self.title
            .clone()
            .unwrap_or_else(|| self.template().title(&self.agency, self.year))
    }

    /// A statutory table's data by key.
    pub fn table(&self, key: &str) -> Option<&TableData> {
        match key {
            "proactive" => Some(&self.proactive),
            "applications" => Some(&self.applications),
            "review_litigation" => Some(&self.review_litigation),
            _ => None,
        }
    }

    /// A statutory table's data by key; an empty table for a key that names none.
    pub fn table_or_empty(&self, key: &str) -> &TableData {
        static EMPTY: TableData = TableData {
            cells: BTreeMap::new(),
            part_formats: BTreeMap::new(),
        };
        self.table(key).unwrap_or(&EMPTY)
    }

    /// A statutory table's data by key, mutably.
    pub fn table_mut(&mut self, key: &str) -> Option<&mut TableData> {
        match key {
            "proactive" => Some(&mut self.proactive),
            "applications" => Some(&mut self.applications),
            "review_litigation" => Some(&mut self.review_litigation),
            _ => None,
        }
    }

    /// A prose section's blocks by key.
    pub fn prose(&self, key: &str) -> Option<&[Block]> {
        match key {
            "preamble" => Some(&self.preamble),
            "overview" => Some(&self.overview),
            "problems" => Some(&self.problems),
            "other" => Some(&self.other),
            _ => None,
        }
    }

    /// The heading of a section as it will be printed: the published wording if given, else the template's.
    pub fn heading(&self, key: &str) -> String {
        self.headings
            .get(key)
            .cloned()
            .or_else(|| self.template().section(key).map(|s| s.heading.clone()))
            .unwrap_or_default()
    }

    /// The report's statutory cells as the equation evaluator reads them: `None` for a cell
    /// the report lacks, `Some(None)` for a blank one.
    pub fn lookup(&self) -> impl Fn(&CellKey) -> Option<Option<Decimal>> + '_ {
        move |k| {
            self.table(&k.table)
                .and_then(|d| d.get(&k.row, &k.column))
                .map(|c| c.map(Number::to_decimal))
        }
    }

    /// The definition of one of the report's statutory tables *as the report prints it*: the
    /// template's, with every part the report prints in another format's shape swapped in
    /// ([`TableData::part_formats`]). Equations, completeness, the layout and the JSON all derive
    /// from it. Borrowed from the template when the report mixes nothing.
    pub fn table_def(&self, key: &str) -> Option<Cow<'static, TableDef>> {
        let def = self.template().table(key)?;
        let parts = &self.table(key)?.part_formats;
        if parts.is_empty() {
            return Some(Cow::Borrowed(def));
        }
        let mut out = def.clone();
        for (part, format) in parts {
            if let Some(mixed) = Template::get(format)
                .and_then(|t| t.table(key))
                .and_then(|other| out.with_part(part, other))
            {
                out = mixed;
            }
        }
        Some(Cow::Owned(out))
    }

    /// Every part printed in another format's shape: (table key, part, format), in template order.
    pub fn mixed_parts(&self) -> Vec<(&str, &str, &str)> {
        self.template()
            .tables
            .iter()
            .filter_map(|d| self.table(&d.key).map(|t| (d.key.as_str(), t)))
            .flat_map(|(k, t)| {
                t.part_formats
                    .iter()
                    .map(move |(p, f)| (k, p.as_str(), f.as_str()))
            })
            .collect()
    }

    /// Fills the rows the template carries over from last year's report (上年结转 ← last year's
    /// 结转下年度继续办理), cell by cell, as `nianbao new --previous` does. Cells last year's
    /// report lacks are left as they are. Returns the number of cells set.
    pub fn carry_over(&mut self, previous: &Report) -> usize {
        let mut n = 0;
        for co in &self.template().carry_over {
            let Some(def) = self.table_def(&co.table) else {
                continue;
            };
            let columns: Vec<String> = def
                .columns_of(&co.to)
                .iter()
                .map(|c| c.key.clone())
                .collect();
            let Some(last) = previous.table(&co.table) else {
                continue;
            };
            let cells: Vec<(String, Cell)> = columns
                .into_iter()
                .filter_map(|c| last.get(&co.from, &c).map(|v| (c, v)))
                .collect();
            if let Some(data) = self.table_mut(&co.table) {
                for (c, v) in cells {
                    data.set(&co.to, &c, v);
                    n += 1;
                }
            }
        }
        n
    }

    /// A blank report in a format: every cell 0, prose sections with the template's placeholders.
    pub fn blank(template: &Template, agency: &str, year: i32) -> Report {
        let mut tables: BTreeMap<String, TableData> = BTreeMap::new();
        for t in &template.tables {
            let mut data = TableData::default();
            for row in t.leaf_rows() {
                for c in t.columns_of(&row.key) {
                    let zero = match c.value_type {
                        ValueType::Amount => Number::Decimal(Decimal::ZERO),
                        _ => Number::Int(0),
                    };
                    data.set(&row.key, &c.key, Some(zero));
                }
            }
            tables.insert(t.key.clone(), data);
        }
        let placeholder = |key: &str| -> Vec<Block> {
            template
                .section(key)
                .and_then(|s| s.placeholder.clone())
                .map(|p| vec![Block::Paragraph(p)])
                .unwrap_or_default()
        };
        Report {
            format: template.format.clone(),
            agency: agency.to_string(),
            year,
            title: None,
            level: None,
            published: None,
            headings: BTreeMap::new(),
            preamble: Vec::new(),
            overview: placeholder("overview"),
            proactive: tables.remove("proactive").unwrap_or_default(),
            applications: tables.remove("applications").unwrap_or_default(),
            review_litigation: tables.remove("review_litigation").unwrap_or_default(),
            problems: placeholder("problems"),
            other: placeholder("other"),
        }
    }

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
            let elsewhere = template::all()
                .into_iter()
                .filter(|t| t.format != template.format)
                .any(|t| t.table(&def.key).is_some_and(|d| d.group_of(key).is_some()));
            let hint = if elsewhere {
                format!(
                    "此行只属于其他格式，{} 格式的表二没有这一行",
                    template.format
                )
            } else {
                format!("可用的行：{}", known.join(", "))
            };
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
            let alt = template::all().into_iter().find_map(|t| {
                t.table(&def.key)
                    .and_then(|d| d.groups.iter().find(|g| g.id == group.id))
                    .filter(|g| fits(g))
                    .map(|g| (t.format.clone(), g))
            });
            match alt {
                Some(a) => a,
                None => {
                    // Report a column that no format's group has (the stray key), else the
                    // first one this format's group lacks.
                    let anywhere: Vec<&str> = template::all()
                        .iter()
                        .filter_map(|t| t.table(&def.key))
                        .flat_map(|d| d.groups.iter().filter(|g| g.id == group.id))
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
            format!("{prefix}.{k}")
        };
        let p = format!("{path}.{k}");
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
    template::all()
        .into_iter()
        .filter(|t| t.format != template.format)
        .find_map(|t| {
            let d = t.table(&def.key)?;
            let node = d.row_node(row)?;
            (keys(d) == keys(def) && fits(d, node, obj)).then(|| (t.format.clone(), d, node))
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
        let p = format!("{path}.{k}");
        let cell = match v {
            Json::Null => None,
            Json::Number(n) => {
                Some(parse_number(n, col.value_type).map_err(|m| InputError::new(&p, place(), m))?)
            }
            other => {
                return Err(InputError::new(
                    &p,
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
    let text = n.to_string();
    match ty {
        ValueType::Count | ValueType::Signed => {
            let Some(i) = n.as_i64() else {
                return Err(format!(
                    "{text} 不是整数；件数必须是整数 (F-05: counts are whole numbers)"
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
            let d = Decimal::from_str_exact(&text)
                .or_else(|_| Decimal::from_scientific(&text))
                .map_err(|_| format!("{text} 不是有效的金额 (F-05: not a decimal amount)"))?;
            if d.is_sign_negative() && !d.is_zero() {
                return Err(format!(
                    "{text} 是负数；金额不能为负 (F-05: amounts are non-negative)"
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

/// Turns serde's message into a Chinese-first one with the English kept.
fn explain_serde(msg: &str) -> String {
    // Strip serde_json's " at line L column C" suffix: the path says where.
    let (core, pos) = match msg.rfind(" at line ") {
        Some(i) => (&msg[..i], Some(&msg[i + 1..])),
        None => (msg, None),
    };
    let zh = if let Some(f) = core.strip_prefix("missing field ") {
        format!("缺少必需的字段 {f}；六个章节和 format、agency、year 都必须有")
    } else if core.starts_with("unknown field ") {
        "未知的字段；请检查拼写（键名见 nianbao schema）".to_string()
    } else if core.starts_with("invalid type") {
        "类型错误".to_string()
    } else if core.starts_with("unknown variant") {
        "取值不在允许范围内".to_string()
    } else if core.contains("EOF")
        || core.starts_with("expected")
        || core.starts_with("trailing")
        || core.starts_with("key must")
    {
        "JSON 语法错误".to_string()
    } else if core.starts_with("data did not match any variant") {
        return "块必须是字符串（段落）、{\"heading\": …} 或 {\"table\": …} 之一 (a block is a string, a heading or a table)".to_string();
    } else {
        "无法读取".to_string()
    };
    match pos {
        Some(p) => format!("{zh} ({core}, {p})"),
        None => format!("{zh} ({core})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked() {
        assert!("2024-02-29".parse::<Date>().is_ok());
        assert!("2023-02-29".parse::<Date>().is_err());
        assert!("2023-13-01".parse::<Date>().is_err());
        assert!("2023-1-01".parse::<Date>().is_err());
        assert_eq!(
            "2024-01-05".parse::<Date>().unwrap().chinese(),
            "2024年1月5日"
        );
    }

    #[test]
    fn blank_report_round_trips() {
        let t = Template::get("2021").unwrap();
        let r = Report::blank(t, "测试局", 2024);
        let back = Report::from_json(&r.to_json_string()).unwrap();
        assert_eq!(r, back);
        assert_eq!(back.applications.cells.len(), 25);
    }
}
