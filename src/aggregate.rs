//! `nianbao aggregate`: the 本级政府 report as the cell-by-cell sum of its children's reports
//! (逐级汇总: county → city → province).
//!
//! Rules:
//! - every child must have the same format and year (and `--year`, if given); table 二 groups
//!   and rows printed in another format's shape must be the same in every child (same
//!   [`TableData::part_formats`]); otherwise the aggregation is refused with a message naming the
//!   odd child.
//! - each cell is the exact sum of the children's numbers (counts with overflow checks, amounts
//!   with `rust_decimal`, never floats).
//! - blank (`null`) or absent cells: a cell blank in every child stays blank; otherwise the sum
//!   counts the numbers only, and a warning names the children whose cell was blank.
//! - prose sections get the template's placeholders; the preamble records which reports were
//!   summed and the statistics period, in the template's words (`aggregate_preamble`). No keys
//!   are added to the JSON format.

use crate::report::{Block, Level, Number, Report, TableData};
use crate::template::Template;
use std::collections::{BTreeMap, BTreeSet};

/// What the aggregate report is.
#[derive(Debug, Clone)]
pub struct Options {
    /// The agency of the aggregate report (e.g. `某某市人民政府`).
    pub agency: String,
    /// Its level (default: 本级政府).
    pub level: Level,
    /// The year, if it must be checked against the children.
    pub year: Option<i32>,
}

/// The aggregate report and what the user should know.
#[derive(Debug, Clone)]
pub struct Aggregated {
    /// The summed report.
    pub report: Report,
    /// Notes such as blank cells in some children.
    pub warnings: Vec<String>,
}

/// Sums children into one report. `children` are (name shown in messages, report).
///
/// ```
/// use nianbao::{aggregate::{aggregate, Options}, Level, Number, Report};
/// let json = std::fs::read_to_string("examples/demo-city-2024.json").unwrap();
/// let a = Report::from_json(&json).unwrap();
/// let children = vec![("甲局".to_string(), a.clone()), ("乙局".to_string(), a)];
/// let opts = Options { agency: "某某市人民政府".into(), level: Level::Government, year: Some(2024) };
/// let sum = aggregate(&children, &opts).unwrap();
/// assert_eq!(sum.report.cell("review_litigation", "review", "total").unwrap(), Some(Number::Int(8)));
/// ```
///
/// # Errors
/// A message naming the child when there is nothing to sum, the agency is empty, or the
/// children differ in format or year.
pub fn aggregate(children: &[(String, Report)], opts: &Options) -> Result<Aggregated, String> {
    let Some((first_name, first)) = children.first() else {
        return Err("没有可汇总的报告 (no child reports given)".into());
    };
    if opts.agency.trim().is_empty() {
        return Err("--agency 不能为空 (agency must not be empty)".into());
    }
    for (name, r) in children {
        if r.format != first.format {
            return Err(format!(
                "{name} 的格式为 {}，而 {first_name} 为 {}；不同格式的报告不能逐项汇总 (children must share one format)",
                r.format, first.format
            ));
        }
        if r.year != first.year {
            return Err(format!(
                "{name} 的年度为 {}，而 {first_name} 为 {}；只能汇总同一年度的报告 (children must share one year)",
                r.year, first.year
            ));
        }
        if r.mixed_parts() != first.mixed_parts() {
            let show = |r: &Report| {
                let parts = r.mixed_parts();
                if parts.is_empty() {
                    format!("全部按 {} 格式", r.format)
                } else {
                    parts
                        .iter()
                        .map(|(t, p, f)| format!("{t}.{p} 按 {f} 格式"))
                        .collect::<Vec<_>>()
                        .join("、")
                }
            };
            return Err(format!(
                "{name} 的表格（{}）与 {first_name}（{}）的行列不同，无法逐项相加；请先统一格式 (parts of the tables use different formats)",
                show(r),
                show(first)
            ));
        }
    }
    if let Some(y) = opts.year {
        if y != first.year {
            return Err(format!(
                "--year {y} 与被汇总报告的年度 {} 不符 (children are for another year)",
                first.year
            ));
        }
    }
    let template: &Template = first.template();
    let mut report = Report::blank(template, &opts.agency, first.year);
    report.level = Some(opts.level);
    let mut warnings = Vec::new();
    for def in &template.tables {
        let key = def.key.as_str();
        let datas: Vec<(&String, &TableData)> = children
            .iter()
            .filter_map(|(n, r)| r.table(key).map(|d| (n, d)))
            .collect();
        let mut cells: BTreeSet<(String, String)> = BTreeSet::new();
        for (_, d) in &datas {
            for (row, cols) in &d.cells {
                for col in cols.keys() {
                    cells.insert((row.clone(), col.clone()));
                }
            }
        }
        let mut out = TableData {
            cells: BTreeMap::new(),
            part_formats: first
                .table(key)
                .map(|d| d.part_formats.clone())
                .unwrap_or_default(),
        };
        let mut blank_in: BTreeMap<&String, usize> = BTreeMap::new();
        for (row, col) in &cells {
            let mut sum: Option<Number> = None;
            let mut blanks = Vec::new();
            for (name, d) in &datas {
                match d.value(row, col) {
                    Some(v) => sum = Some(add(sum, v, &def.cell_name(row, col))?),
                    None => blanks.push(*name),
                }
            }
            if sum.is_some() {
                for b in blanks {
                    *blank_in.entry(b).or_default() += 1;
                }
            }
            out.set(row, col, sum);
        }
        for (name, n) in blank_in {
            warnings.push(format!(
                "{name}: {}有 {n} 个单元格空白（或缺少），汇总时只加其他报告的数字 ({n} blank cells in {} counted as nothing)",
                def.name, def.key
            ));
        }
        if let Some(t) = report.table_mut(key) {
            *t = out;
        }
    }
    let names: Vec<String> = children
        .iter()
        .map(|(_, r)| format!("《{}》", r.title()))
        .collect();
    report.preamble = vec![Block::Paragraph(format!(
        "{}{}。",
        template
            .aggregate_preamble
            .replace("{count}", &children.len().to_string())
            .replace("{reports}", &names.join("、")),
        template.statistics_period(first.year)
    ))];
    Ok(Aggregated { report, warnings })
}

fn add(acc: Option<Number>, v: Number, cell: &str) -> Result<Number, String> {
    let overflow = || format!("{cell}：汇总结果溢出 (sum overflows)");
    Ok(match (acc, v) {
        (None, v) => v,
        (Some(Number::Int(a)), Number::Int(b)) => {
            Number::Int(a.checked_add(b).ok_or_else(overflow)?)
        }
        (Some(a), b) => Number::Decimal(
            a.to_decimal()
                .checked_add(b.to_decimal())
                .ok_or_else(overflow)?,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(p: &str) -> Report {
        Report::from_json(&std::fs::read_to_string(p).unwrap()).unwrap()
    }

    #[test]
    fn sums_and_refuses_mixed_formats() {
        let a = load("examples/demo-city-2024.json");
        let opts = Options {
            agency: "某市人民政府".into(),
            level: Level::Government,
            year: None,
        };
        let agg = aggregate(&[("a".into(), a.clone()), ("b".into(), a.clone())], &opts).unwrap();
        let v = |r: &Report| r.applications.value("total_processed", "total").unwrap();
        assert_eq!(
            v(&agg.report).to_decimal(),
            v(&a).to_decimal() * rust_decimal::Decimal::from(2)
        );
        let b = load("examples/demo-2019.json");
        assert!(aggregate(&[("a".into(), a), ("b".into(), b)], &opts).is_err());
    }
}
