//! P-01: the publication deadline of 条例第四十九条 (the regulation's own dates, the only
//! statutory facts kept in code).

use super::Context;
use crate::finding::{Finding, Severity};
use crate::report::{Date, Level};

/// The last day (month, day) of the year after the report year by which a level publishes.
fn deadline(level: Level) -> (u32, u32) {
    match level {
        Level::Department | Level::Township => (1, 31),
        Level::Government | Level::Vertical => (3, 31),
    }
}

/// P-01: published by the deadline of its level, and not before the year ended. A warning:
/// a late report still prints as published.
pub(super) fn deadline_rule(cx: &Context, out: &mut Vec<Finding>) {
    let report = cx.report;
    let (Some(level), Some(date)) = (report.level, report.published) else {
        if report.published.is_some() || report.level.is_some() {
            out.push(Finding::new(
                "P-01",
                Severity::Info,
                if report.level.is_none() {
                    "level"
                } else {
                    "published"
                },
                "发布时间",
                "需要同时给出 level 和 published 才能检查发布时限",
            ));
        }
        return;
    };
    let (month, day) = deadline(level);
    let last = Date {
        year: report.year + 1,
        month,
        day,
    };
    if date > last {
        out.push(
            Finding::new(
                "P-01",
                Severity::Warning,
                "published",
                "发布时间",
                format!(
                    "{}的年度报告应在{}前公布，实际{}公布",
                    cx.template.levels.name(level),
                    last.chinese(),
                    date.chinese()
                ),
            )
            .values(format!("≤ {last}"), date),
        );
    } else if date.year <= report.year {
        out.push(
            Finding::new(
                "P-01",
                Severity::Warning,
                "published",
                "发布时间",
                format!("{}年度报告不能在{}年结束前发布", report.year, report.year),
            )
            .values(format!("> {}-12-31", report.year), date),
        );
    }
}
