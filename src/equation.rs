//! The arithmetic rules (勾稽关系) as cell equations, and the one evaluator that decides them.
//!
//! A template rule expands ([`crate::template::TableDef::equations`]) into one [`Equation`] per
//! column or row it applies to: `Σ left = Σ right` over named cells. Validation (rules A-01 to
//! and T-01's table values), the layout's check instances and the XLSX cached
//! formula results all evaluate equations here, with an explicit [`BlankPolicy`]: the same rule
//! instance gets the same answer everywhere.
//!
//! This module knows nothing of reports or templates: values come in through a lookup function.

use crate::finding::Severity;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Identifies a statutory cell: table key, dotted row key, column key.
///
/// The parts are shared strings: the equations, the sums they define and the layout's cells
/// name the same few hundred cells many times, and a copy of a key only counts references.
/// Keys compare, order and hash as their text does.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellKey {
    /// Table key (`applications`).
    pub table: Arc<str>,
    /// Dotted row key (`denied.state_secret`).
    pub row: Arc<str>,
    /// Column key (`natural_person`).
    pub column: Arc<str>,
}

impl CellKey {
    /// A key from its three parts.
    pub fn new(table: &str, row: &str, column: &str) -> CellKey {
        CellKey {
            table: table.into(),
            row: row.into(),
            column: column.into(),
        }
    }

    /// A key from shared parts (no text copied).
    pub fn shared(table: &Arc<str>, row: &Arc<str>, column: &Arc<str>) -> CellKey {
        CellKey {
            table: Arc::clone(table),
            row: Arc::clone(row),
            column: Arc::clone(column),
        }
    }

    /// The JSON path of the cell, e.g. `applications.denied.state_secret.natural_person`.
    pub fn path(&self) -> String {
        format!("{}.{}.{}", self.table, self.row, self.column)
    }
}

/// Which way an arithmetic rule runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Axis {
    /// For every column: the sum of the `left` rows equals the sum of the `right` rows.
    Column,
    /// For every row: the sum of the `left` columns equals the sum of the `right` columns.
    Row,
}

/// One same-year rule instance: `Σ left = Σ right`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Equation {
    /// Rule id (`A-01`).
    pub rule: String,
    /// Severity of a violation (from the template).
    pub severity: Severity,
    /// The rule in words (from the template).
    pub description: String,
    /// Which way the rule runs: along a column (the cells are rows) or along a row.
    pub axis: Axis,
    /// `true` when `left` is one cell that is by definition the sum of `right`.
    pub defines: bool,
    /// Where this instance applies: the column label (axis column) or the row label (axis row).
    pub scope: String,
    /// Left side.
    pub left: Vec<CellKey>,
    /// Right side.
    pub right: Vec<CellKey>,
}

impl Equation {
    /// The cell a finding about this instance is anchored to: the first cell of the left side.
    pub fn anchor(&self) -> Option<&CellKey> {
        self.left.first()
    }

    /// Every cell the instance reads, left side first.
    pub fn cells(&self) -> impl Iterator<Item = &CellKey> {
        self.left.iter().chain(&self.right)
    }
}

/// One cross-year rule instance: `Σ left = Σ previous (last year) + Σ plus − Σ minus`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrossYearEquation {
    /// Rule id (`X-01`).
    pub rule: String,
    /// Severity of a violation (from the template).
    pub severity: Severity,
    /// The rule in words (from the template).
    pub description: String,
    /// Where this instance applies (column or row label).
    pub scope: String,
    /// This year's cells.
    pub left: Vec<CellKey>,
    /// Last year's cells.
    pub previous: Vec<CellKey>,
    /// This year's cells added to last year's.
    pub plus: Vec<CellKey>,
    /// This year's cells subtracted.
    pub minus: Vec<CellKey>,
}

/// What a blank (or absent) cell means to the evaluator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlankPolicy {
    /// A blank cell is an unknown value: an equation reading one cannot be decided. Validation
    /// and the XLSX check cells use this (F-04 and F-03 report the blanks themselves).
    Undecidable,
    /// A blank cell counts as 0, as a spreadsheet's `SUM` does (the XLSX cached sums).
    Zero,
    /// A blank cell that a rule defines as a sum is the sum of its addends; any other blank
    /// counts as 0 (T-01: 上海 2019 left its 总计 column blank, and its prose is compared with the
    /// sums the table implies).
    SumOfAddends,
}

/// Whether an equation holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// Both sides are known and equal.
    Holds,
    /// Both sides are known and differ.
    Fails,
    /// A cell is blank or absent under [`BlankPolicy::Undecidable`].
    Undecidable,
}

/// An evaluated equation: both sides (when known) and the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Σ left (for a cross-year equation: this year's value).
    pub left: Option<Decimal>,
    /// Σ right (for a cross-year equation: the value last year's report implies).
    pub right: Option<Decimal>,
    /// The verdict.
    pub verdict: Verdict,
}

/// The cells the template's rules define as sums, with their addends (`（七）总计` → its
/// sub-rows, `总计` → the applicant columns). Where two rules define the same cell, the first
/// wins. The addends are shared (every layout of a report's table hands them to its sum cells).
pub type SumDefinitions = BTreeMap<CellKey, Arc<[CellKey]>>;

/// Collects the [`SumDefinitions`] of a list of equations.
pub fn sum_definitions(equations: &[Equation]) -> SumDefinitions {
    let mut defined = SumDefinitions::new();
    for eq in equations {
        if let ([cell], true) = (eq.left.as_slice(), eq.defines) {
            defined
                .entry(cell.clone())
                .or_insert_with(|| eq.right.as_slice().into());
        }
    }
    defined
}

/// A cell as the evaluator sees it: `None` when the table has no such cell, `Some(None)` for a
/// blank cell, `Some(Some(v))` for a value.
pub type Lookup<'a> = dyn Fn(&CellKey) -> Option<Option<Decimal>> + 'a;

/// Nesting limit for [`BlankPolicy::SumOfAddends`] (a sum of sums); deeper definitions count as 0.
const MAX_SUM_DEPTH: usize = 16;

/// The one evaluator of equations.
pub struct Evaluator<'a> {
    lookup: &'a Lookup<'a>,
    policy: BlankPolicy,
    sums: Option<&'a SumDefinitions>,
}

impl<'a> Evaluator<'a> {
    /// An evaluator over a cell lookup with a blank policy.
    pub fn new(lookup: &'a Lookup<'a>, policy: BlankPolicy) -> Evaluator<'a> {
        Evaluator {
            lookup,
            policy,
            sums: None,
        }
    }

    /// The sum definitions [`BlankPolicy::SumOfAddends`] resolves blank sum cells with.
    pub fn with_sums(mut self, sums: &'a SumDefinitions) -> Evaluator<'a> {
        self.sums = Some(sums);
        self
    }

    /// A cell's value under the policy; `None` when it is unknown (policy `Undecidable`).
    pub fn value(&self, key: &CellKey) -> Option<Decimal> {
        self.value_at(key, 0)
    }

    fn value_at(&self, key: &CellKey, depth: usize) -> Option<Decimal> {
        match ((self.lookup)(key), self.policy) {
            (Some(Some(v)), _) => Some(v),
            (_, BlankPolicy::Undecidable) => None,
            (_, BlankPolicy::Zero) => Some(Decimal::ZERO),
            (_, BlankPolicy::SumOfAddends) => {
                match self.sums.and_then(|s| s.get(key)) {
                    Some(addends) if depth < MAX_SUM_DEPTH => {
                        // Each addend is known under this policy.
                        Some(
                            addends
                                .iter()
                                .filter_map(|k| self.value_at(k, depth + 1))
                                .sum(),
                        )
                    }
                    _ => Some(Decimal::ZERO),
                }
            }
        }
    }

    /// The sum of cells; `None` when one is unknown.
    pub fn sum(&self, keys: &[CellKey]) -> Option<Decimal> {
        keys.iter().map(|k| self.value(k)).sum()
    }

    /// Evaluates a same-year equation.
    pub fn check(&self, eq: &Equation) -> Outcome {
        outcome(self.sum(&eq.left), self.sum(&eq.right))
    }

    /// Evaluates a cross-year equation; `self` reads this year's report, `previous` last year's.
    pub fn check_cross_year(&self, eq: &CrossYearEquation, previous: &Evaluator) -> Outcome {
        let implied = match (
            previous.sum(&eq.previous),
            self.sum(&eq.plus),
            self.sum(&eq.minus),
        ) {
            (Some(p), Some(a), Some(m)) => Some(p + a - m),
            _ => None,
        };
        outcome(self.sum(&eq.left), implied)
    }
}

fn outcome(left: Option<Decimal>, right: Option<Decimal>) -> Outcome {
    let verdict = match (left, right) {
        (Some(l), Some(r)) if l == r => Verdict::Holds,
        (Some(_), Some(_)) => Verdict::Fails,
        _ => Verdict::Undecidable,
    };
    Outcome {
        left,
        right,
        verdict,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(r: &str) -> CellKey {
        CellKey::new("t", r, "c")
    }

    #[test]
    fn the_three_blank_policies() {
        let lookup = |k: &CellKey| -> Option<Option<Decimal>> {
            match &*k.row {
                "a" => Some(Some(Decimal::from(2))),
                "b" => Some(None),
                "s" => Some(None),
                _ => None,
            }
        };
        let eq = Equation {
            rule: "R".into(),
            severity: Severity::Error,
            description: String::new(),
            axis: Axis::Column,
            defines: true,
            scope: String::new(),
            left: vec![key("s")],
            right: vec![key("a"), key("b")],
        };
        let sums = sum_definitions(std::slice::from_ref(&eq));
        let undecidable = Evaluator::new(&lookup, BlankPolicy::Undecidable);
        assert_eq!(undecidable.check(&eq).verdict, Verdict::Undecidable);
        let zero = Evaluator::new(&lookup, BlankPolicy::Zero);
        assert_eq!(zero.check(&eq).verdict, Verdict::Fails);
        assert_eq!(zero.sum(&eq.right), Some(Decimal::from(2)));
        let addends = Evaluator::new(&lookup, BlankPolicy::SumOfAddends).with_sums(&sums);
        assert_eq!(addends.value(&key("s")), Some(Decimal::from(2)));
        assert_eq!(addends.check(&eq).verdict, Verdict::Holds);
        // An absent cell is unknown too.
        assert_eq!(undecidable.value(&key("x")), None);
    }

    #[test]
    fn a_cyclic_definition_does_not_recurse_forever() {
        let lookup = |_: &CellKey| -> Option<Option<Decimal>> { Some(None) };
        let mut sums = SumDefinitions::new();
        sums.insert(key("a"), vec![key("b")].into());
        sums.insert(key("b"), vec![key("a")].into());
        let e = Evaluator::new(&lookup, BlankPolicy::SumOfAddends).with_sums(&sums);
        assert_eq!(e.value(&key("a")), Some(Decimal::ZERO));
    }
}
