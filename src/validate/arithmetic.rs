//! The tables' arithmetic: the template's same-year equations, the cross-year
//! ones, and the share and counted-once hints.

use super::Context;
use crate::equation::{Axis, BlankPolicy, CellKey, Equation, Evaluator, Verdict};
use crate::finding::{Finding, Severity};
use crate::report::{Number, Report};
use crate::template::{RowsRef, TableDef};
use rust_decimal::Decimal;

/// every equation of a table, blank cells undecidable (F-04 reports them) and
/// missing cells too (F-03).
pub(super) fn same_year(cx: &Context, def: &TableDef, out: &mut Vec<Finding>) {
    let lookup = cx.report.table_lookup(&def.key);
    let eval = Evaluator::new(&lookup, BlankPolicy::Undecidable);
    for eq in def.equation_list() {
        let outcome = eval.check(eq);
        let (Verdict::Fails, Some(l), Some(r), Some(anchor)) =
            (outcome.verdict, outcome.left, outcome.right, eq.anchor())
        else {
            continue;
        };
        out.push(
            Finding::new(
                &eq.rule,
                eq.severity,
                anchor.path(),
                place(def, eq, anchor),
                message(def, eq, l, r),
            )
            .values(r, l),
        );
    }
}

/// The cell (or column, or row) a broken equation is reported at.
fn place(def: &TableDef, eq: &Equation, anchor: &CellKey) -> String {
    if eq.defines || eq.left.len() == 1 {
        def.cell_name(&anchor.row, &anchor.column)
    } else {
        match eq.axis {
            Axis::Column => format!("{} “{}” 列", def.name, eq.scope),
            Axis::Row => format!("{} “{}” 行", def.name, eq.scope),
        }
    }
}

fn message(def: &TableDef, eq: &Equation, l: Decimal, r: Decimal) -> String {
    let names = |ks: &[CellKey]| -> String {
        ks.iter()
            .map(|k| match eq.axis {
                Axis::Column => def.row_label(&k.row),
                Axis::Row => def.column_label(&k.row, &k.column),
            })
            .collect::<Vec<_>>()
            .join(" + ")
    };
    if eq.defines {
        format!(
            "{}：{} 应等于 {} 之和 {}，实为 {}",
            eq.description,
            names(&eq.left),
            if eq.right.len() > 6 {
                "各分项".to_string()
            } else {
                names(&eq.right)
            },
            r,
            l
        )
    } else {
        format!(
            "{}：{} = {}，而 {} = {}",
            eq.description,
            names(&eq.left),
            l,
            names(&eq.right),
            r
        )
    }
}

/// The sum of some rows in one column, blank cells left out.
fn rows_total(cx: &Context, def: &TableDef, rows: &[String], column: &str) -> Decimal {
    let data = cx.report.table_or_empty(&def.key);
    def.expand_rows(rows)
        .iter()
        .filter_map(|r| data.value(r, column))
        .map(Number::to_decimal)
        .sum()
}

/// the share of 其他处理 in （七）总计 (the template names the rows).
pub(super) fn other_handling_share(cx: &Context, out: &mut Vec<Finding>) {
    let c = &cx.template.checks.other_handling;
    let Some(def) = cx.def(&c.table) else { return };
    let (Some(row), Some(total_row)) = (c.rows.first(), c.total_rows.first()) else {
        return;
    };
    let total = rows_total(cx, def, &c.total_rows, &c.column);
    let part = rows_total(cx, def, &c.rows, &c.column);
    if total <= Decimal::ZERO {
        return;
    }
    let share = part / total;
    let limit = Decimal::try_from(c.share_warning).unwrap_or(Decimal::ONE);
    if share > limit {
        out.push(
            Finding::new(
                "A-05",
                Severity::Warning,
                format!("{}.{row}", c.table),
                def.cell_name(row, &c.column),
                format!(
                    "{} {part} 件，占{} {total} 件的 {}%，比例偏高；请核实是否应归入其他情形",
                    def.row_label(row),
                    def.row_label(total_row),
                    (share * Decimal::from(100)).round_dp(1)
                ),
            )
            .values(format!("≤ {}%", limit * Decimal::from(100)), part),
        );
    }
}

/// a hint wherever the row counted once only (部分公开) is non-zero.
pub(super) fn counted_once(cx: &Context, out: &mut Vec<Finding>) {
    let RowsRef {
        table,
        rows,
        column,
        ..
    } = &cx.template.checks.counted_once;
    let Some(def) = cx.def(table) else { return };
    let Some(row) = rows.first() else { return };
    if rows_total(cx, def, rows, column) > Decimal::ZERO {
        out.push(Finding::new(
            "A-06",
            Severity::Info,
            format!("{table}.{row}"),
            def.row_name(row),
            "区分处理的申请只计入此行，不再计入其他情形；请确认没有重复统计",
        ));
    }
}

/// this year's report against last year's.
pub(super) fn cross_year(cx: &Context, prev: &Report, out: &mut Vec<Finding>) {
    let report = cx.report;
    if prev.year + 1 != report.year {
        out.push(
            Finding::new(
                "X-01",
                Severity::Warning,
                "year",
                "上年报告",
                format!(
                    "--previous 给出的是 {} 年度报告，不是上一年度（{}）的",
                    prev.year,
                    report.year - 1
                ),
            )
            .values(report.year - 1, prev.year),
        );
        return;
    }
    if prev.agency != report.agency {
        out.push(
            Finding::new(
                "X-01",
                Severity::Info,
                "agency",
                "上年报告",
                "上年报告的机关名称不同；若机构调整，结转数可能不衔接",
            )
            .values(&report.agency, &prev.agency),
        );
    }
    let (this_lookup, last_lookup) = (report.lookup(), prev.lookup());
    let this = Evaluator::new(&this_lookup, BlankPolicy::Undecidable);
    let last = Evaluator::new(&last_lookup, BlankPolicy::Undecidable);
    for def in &cx.defs {
        for eq in def.cross_year_equations() {
            let outcome = this.check_cross_year(&eq, &last);
            // Cells of another format, or blank: nothing to compare.
            let (Verdict::Fails, Some(l), Some(expected), Some(anchor)) = (
                outcome.verdict,
                outcome.left,
                outcome.right,
                eq.left.first(),
            ) else {
                continue;
            };
            out.push(
                Finding::new(
                    &eq.rule,
                    eq.severity,
                    anchor.path(),
                    def.cell_name(&anchor.row, &anchor.column),
                    format!(
                        "{}（{}）：上年数据推算应为 {expected}，实为 {l}",
                        eq.description, eq.scope
                    ),
                )
                .values(expected, l),
            );
        }
    }
}
