//! The report's types: what a report holds, cell by cell, and the questions the rest of the
//! crate asks of it (its template, its tables as printed, its headings).

use crate::equation::CellKey;
use crate::template::{self, TableDef, Template, ValueType};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value as Json;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

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
        let bad = || {
            format!(
                "日期 “{}” 不是 YYYY-MM-DD 格式的有效日期 (expected YYYY-MM-DD)",
                crate::text::quoted(s)
            )
        };
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
            Number::Decimal(d) => super::write::decimal_json(d),
        }
    }
}

impl From<i64> for Number {
    fn from(i: i64) -> Number {
        Number::Int(i)
    }
}

impl From<Decimal> for Number {
    fn from(d: Decimal) -> Number {
        Number::Decimal(d)
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

    /// The number of cells present (blank ones included).
    pub fn cell_count(&self) -> usize {
        self.cells.values().map(BTreeMap::len).sum()
    }

    /// Sets a cell.
    pub fn set(&mut self, row: &str, column: &str, value: Cell) {
        // The row usually exists already (a row's cells are set one by one): no key copied to
        // look it up.
        let cells = match self.cells.get_mut(row) {
            Some(cells) => cells,
            None => self.cells.entry(row.to_string()).or_default(),
        };
        cells.insert(column.to_string(), value);
    }
}

/// A table of a template with parts printed in other formats' shapes swapped in (see
/// [`Report::table_def`]), made once per process for each (format, table, parts) and kept for
/// the rest of it, so that its leaves and equations are computed once too (validation and the
/// layout both read them). Formats, tables and their parts are few, so are the combinations;
/// a template's format id names it for good ([`template::register`] refuses a second one).
fn mixed_table_def(
    template: &'static Template,
    def: &'static TableDef,
    parts: &BTreeMap<String, String>,
) -> &'static TableDef {
    type Mixed = (String, String, Vec<(String, String)>, &'static TableDef);
    static MIXED: std::sync::Mutex<Vec<Mixed>> = std::sync::Mutex::new(Vec::new());
    let same = |m: &&Mixed| {
        m.0 == template.format
            && m.1 == def.key
            && m.2.len() == parts.len()
            && m.2
                .iter()
                .zip(parts)
                .all(|((p, f), (q, g))| p == q && f == g)
    };
    let mut cache = MIXED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(m) = cache.iter().find(same) {
        return m.3;
    }
    let mut out = def.clone();
    for (part, format) in parts {
        if let Some(mixed) =
            template::table_of(format, &def.key).and_then(|other| out.with_part(part, other))
        {
            out = mixed;
        }
    }
    let out: &'static TableDef = Box::leak(Box::new(out));
    cache.push((
        template.format.clone(),
        def.key.clone(),
        parts.iter().map(|(p, f)| (p.clone(), f.clone())).collect(),
        out,
    ));
    out
}

/// Why a statutory cell could not be read or set with [`Report::cell`] or [`Report::set_cell`]:
/// a misspelled table, row or column key is an error, never a silently dropped value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CellError {
    /// The report's format has no statutory table with this key.
    #[error("没有统计表 “{table}”；可用：{known} (no statutory table `{table}`)")]
    UnknownTable {
        /// The key asked for.
        table: String,
        /// The table keys of the report's format, comma-separated.
        known: String,
    },
    /// The table has no row with this key (a dotted leaf key such as `denied.state_secret`).
    #[error("{table_name}中没有行 “{row}”；可用的行：{known} (no row `{row}` in `{table}`)")]
    UnknownRow {
        /// The table key.
        table: String,
        /// The table's name as printed, e.g. `表三`.
        table_name: String,
        /// The row key asked for.
        row: String,
        /// The table's leaf row keys, comma-separated.
        known: String,
    },
    /// The row has no column with this key.
    #[error("{row_name}没有列 “{column}”；可用的列：{known} (no column `{column}` in row `{row}` of `{table}`)")]
    UnknownColumn {
        /// The table key.
        table: String,
        /// The row key.
        row: String,
        /// The row named in Chinese, e.g. `表三 “（一）予以公开” 行`.
        row_name: String,
        /// The column key asked for.
        column: String,
        /// The row's column keys, comma-separated.
        known: String,
    },
    /// The value does not fit the column: a count that is negative or not whole, a negative
    /// amount.
    #[error("{place}：{reason}")]
    BadValue {
        /// The cell named in Chinese, e.g. `表三 “（一）予以公开” 行 “自然人” 列`.
        place: String,
        /// What is wrong, in Chinese with the English gist.
        reason: String,
    },
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
impl Report {
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

    /// A statutory cell's value, checked against the report's format: `Ok(None)` is a cell left
    /// blank or not given, `Ok(Some(n))` a number. Row keys are the dotted leaf keys of the JSON
    /// (`denied.state_secret`), column keys those of the row (`natural_person`).
    ///
    /// ```
    /// use nianbao::{Number, Report};
    /// let json = std::fs::read_to_string("examples/demo-city-2024.json").unwrap();
    /// let report = Report::from_json(&json).unwrap();
    /// let n = report.cell("applications", "new_received", "natural_person").unwrap();
    /// assert_eq!(n, Some(Number::Int(45)));
    /// // A misspelled column is an error naming the place, not a silent `None`.
    /// let e = report.cell("applications", "new_received", "natural_persons").unwrap_err();
    /// assert!(e.to_string().contains("natural_persons"));
    /// ```
    ///
    /// # Errors
    /// [`CellError::UnknownTable`], [`CellError::UnknownRow`] or [`CellError::UnknownColumn`]
    /// when a key names nothing in the table as the report prints it ([`Report::table_def`]).
    pub fn cell(&self, table: &str, row: &str, column: &str) -> Result<Cell, CellError> {
        self.check_cell(table, row, column)?;
        Ok(self.table(table).and_then(|t| t.value(row, column)))
    }

    /// Sets a statutory cell (`None` leaves it blank), checked as [`Report::cell`] checks its
    /// keys, and the value against the column: counts are whole and not negative, 本年增/减
    /// is whole, amounts are not negative (a whole number given for an amount is stored as a
    /// decimal).
    ///
    /// ```
    /// use nianbao::{Number, Report};
    /// let json = std::fs::read_to_string("examples/demo-city-2024.json").unwrap();
    /// let mut report = Report::from_json(&json).unwrap();
    /// report.set_cell("applications", "new_received", "natural_person", Some(Number::Int(46))).unwrap();
    /// assert_eq!(report.cell("applications", "new_received", "natural_person").unwrap(), Some(Number::Int(46)));
    /// // The totals no longer add up: validation says where.
    /// let findings = nianbao::validate(&report, None);
    /// assert!(nianbao::validate::has_errors(&findings));
    /// assert!(report.set_cell("applications", "new_received", "natural_person", Some(Number::Int(-1))).is_err());
    /// ```
    ///
    /// # Errors
    /// As [`Report::cell`] for the keys; [`CellError::BadValue`] when the value does not fit the
    /// column. The report is unchanged on error.
    pub fn set_cell(
        &mut self,
        table: &str,
        row: &str,
        column: &str,
        value: Cell,
    ) -> Result<(), CellError> {
        let ty = self.check_cell(table, row, column)?;
        let value = match value {
            None => None,
            Some(n) => Some(fit_value(n, ty).map_err(|reason| {
                let place = self
                    .table_def(table)
                    .map(|d| d.cell_name(row, column))
                    .unwrap_or_default();
                CellError::BadValue { place, reason }
            })?),
        };
        if let Some(data) = self.table_mut(table) {
            data.set(row, column, value);
        }
        Ok(())
    }

    /// Checks a cell's keys against the table as the report prints it; returns the column's
    /// value type.
    fn check_cell(&self, table: &str, row: &str, column: &str) -> Result<ValueType, CellError> {
        let (Some(def), Some(_)) = (self.table_def(table), self.table(table)) else {
            let known: Vec<&str> = self
                .template()
                .tables
                .iter()
                .map(|t| t.key.as_str())
                .collect();
            return Err(CellError::UnknownTable {
                table: table.to_string(),
                known: known.join(", "),
            });
        };
        if !def.leaves().iter().any(|l| l.key == row) {
            let known: Vec<&str> = def.leaves().iter().map(|l| l.key.as_str()).collect();
            return Err(CellError::UnknownRow {
                table: table.to_string(),
                table_name: def.name.clone(),
                row: row.to_string(),
                known: known.join(", "),
            });
        }
        let columns = def.columns_of(row);
        match columns.iter().find(|c| c.key == column) {
            Some(c) => Ok(c.value_type),
            None => Err(CellError::UnknownColumn {
                table: table.to_string(),
                row: row.to_string(),
                row_name: def.row_name(row),
                column: column.to_string(),
                known: columns
                    .iter()
                    .map(|c| c.key.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
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

    /// [`Report::lookup`] for evaluating many equations of one table: that table's cells are
    /// indexed once by (row, column) in a hash map, so that each look-up is one hash probe
    /// instead of two searches of ordered maps; a key of another table is looked up as
    /// [`Report::lookup`] does. The same answers for every key.
    pub fn table_lookup<'a>(
        &'a self,
        table: &'a str,
    ) -> impl Fn(&CellKey) -> Option<Option<Decimal>> + 'a {
        // Sized for every cell up front: collected from nested iterators, the map would grow
        // (and rehash) about eight times on the way.
        let data = self.table(table);
        let mut index: rustc_hash::FxHashMap<(&str, &str), Option<Decimal>> =
            rustc_hash::FxHashMap::with_capacity_and_hasher(
                data.map_or(0, TableData::cell_count),
                Default::default(),
            );
        index.extend(
            data.into_iter()
                .flat_map(|d| &d.cells)
                .flat_map(|(row, cells)| {
                    cells.iter().map(move |(column, c)| {
                        ((row.as_str(), column.as_str()), c.map(Number::to_decimal))
                    })
                }),
        );
        let all = self.lookup();
        move |k| {
            if &*k.table == table {
                index.get(&(&*k.row, &*k.column)).copied()
            } else {
                all(k)
            }
        }
    }

    /// The definition of one of the report's statutory tables *as the report prints it*: the
    /// template's, with every part the report prints in another format's shape swapped in
    /// ([`TableData::part_formats`]). Equations, completeness, the layout and the JSON all derive
    /// from it. Borrowed from the template when the report mixes nothing; a mixed table is
    /// built once per process for each combination of parts and formats (`mixed_table_def`).
    pub fn table_def(&self, key: &str) -> Option<Cow<'static, TableDef>> {
        let template = self.template();
        let def = template.table(key)?;
        let parts = &self.table(key)?.part_formats;
        if parts.is_empty() {
            return Some(Cow::Borrowed(def));
        }
        Some(Cow::Borrowed(mixed_table_def(template, def, parts)))
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
}

/// A value made to fit a column's type, or why it cannot.
fn fit_value(n: Number, ty: ValueType) -> Result<Number, String> {
    match (ty, n) {
        (ValueType::Count, Number::Int(i)) if i < 0 => Err(format!(
            "{i} 是负数；件数不能为负 (F-05: counts are non-negative)"
        )),
        (ValueType::Count | ValueType::Signed, Number::Int(i)) => Ok(Number::Int(i)),
        (ValueType::Count | ValueType::Signed, Number::Decimal(d)) => Err(format!(
            "{d} 不是整数；件数必须是整数 (F-05: counts are whole numbers)"
        )),
        (ValueType::Amount, n) => {
            let d = n.to_decimal();
            if d.is_sign_negative() && !d.is_zero() {
                Err(format!(
                    "{d} 是负数；金额不能为负 (F-05: amounts are non-negative)"
                ))
            } else {
                Ok(Number::Decimal(d))
            }
        }
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
    fn a_table_lookup_answers_as_the_lookup_does() {
        let mut checked = 0;
        for f in [
            "examples/potou-2023.json",
            "tests/fixtures/reports/shanghai_2019.json",
        ] {
            let report = Report::from_json(&std::fs::read_to_string(f).unwrap()).unwrap();
            let all = report.lookup();
            let template = report.template();
            for def in &template.tables {
                let fast = report.table_lookup(&def.key);
                for other in &template.tables {
                    for leaf in other.leaves() {
                        for c in other.columns_of(&leaf.key).iter().chain(&def.columns) {
                            let k = CellKey::new(&other.key, &leaf.key, &c.key);
                            assert_eq!(fast(&k), all(&k), "{f} {k:?}");
                            checked += usize::from(all(&k).is_some());
                        }
                    }
                }
                let absent = CellKey::new(&def.key, "no_such_row", "total");
                assert_eq!(fast(&absent), None);
            }
        }
        assert!(checked > 500, "{checked}");
    }
}
