//! Validation: every rule a single report (plus optionally last year's) can decide, each finding
//! with a stable rule id, severity, JSON path, the cell named in Chinese, expected and actual
//! values and a Chinese message. The rules read their rows, sections, keywords and labels from
//! the report's template; the arithmetic rules are the template's equations, decided by the one
//! evaluator in [`crate::equation`] that the layout and the XLSX writer use too. This module
//! never writes output.
//!
//! Severities follow the policy in [`crate::finding`]; [`crate::lint::LintPolicy`] adjusts them.

mod arithmetic;
mod prose;
mod structure;
mod timeliness;

use crate::report::Report;
use crate::template::{TableDef, Template};
use std::borrow::Cow;

pub use crate::finding::{has_errors, rule_ids, Finding, Severity, RULES};
pub(crate) use prose::prose_text;
pub use prose::{required_literal, similarity};

/// What every rule module reads: the report, its template, its tables as it prints them, and
/// its prose normalised once.
struct Context<'a> {
    report: &'a Report,
    template: &'static Template,
    defs: Vec<Cow<'static, TableDef>>,
    prose: prose::Prose,
}

impl<'a> Context<'a> {
    fn new(report: &'a Report) -> Context<'a> {
        let template = report.template();
        Context {
            report,
            template,
            defs: template
                .tables
                .iter()
                .filter_map(|d| report.table_def(&d.key))
                .collect(),
            prose: prose::all_prose(report),
        }
    }

    /// A table as the report prints it.
    fn def(&self, key: &str) -> Option<&TableDef> {
        self.defs.iter().find(|d| d.key == key).map(|d| &**d)
    }
}

/// Validates a report, optionally against last year's report (for the carried-over cells).
/// Every finding names its rule, severity and place; see [`crate::finding::RULES`].
///
/// ```
/// let json = std::fs::read_to_string("tests/fixtures/reports/pingtan_2020_e1.json").unwrap();
/// let report = nianbao::Report::from_json(&json).unwrap();
/// let findings = nianbao::validate::validate(&report, None);
/// // （七）总计 is not the sum of its sub-rows.
/// assert!(findings.iter().any(|f| f.rule == "A-02"));
/// assert!(nianbao::validate::has_errors(&findings));
/// ```
pub fn validate(report: &Report, previous: Option<&Report>) -> Vec<Finding> {
    let cx = Context::new(report);
    let mut out = Vec::new();
    structure::headings(&cx, &mut out);
    structure::format_year(&cx, &mut out);
    for def in &cx.defs {
        structure::completeness(&cx, def, &mut out);
        arithmetic::same_year(&cx, def, &mut out);
    }
    arithmetic::other_handling_share(&cx, &mut out);
    arithmetic::counted_once(&cx, &mut out);
    if let Some(prev) = previous {
        arithmetic::cross_year(&cx, prev, &mut out);
    }
    prose::text_vs_table(&cx, &mut out);
    prose::conversion_artifacts(&cx, &mut out);
    prose::prose_rules(&cx, previous, &mut out);
    timeliness::deadline_rule(&cx, &mut out);
    out
}
