//! The shape of the report: section headings (F-01), the format and its mixes (F-02), missing
//! and blank cells and odd decimals (F-03, F-04, F-05).

use super::Context;
use crate::finding::{Finding, Severity};
use crate::report::Number;
use crate::template::{TableDef, Template};
use crate::text::normalize;

/// Similarity (0–1) above which a heading's wording reads as a section's heading.
const RECOGNISED: f64 = 0.5;

/// F-01: each published heading against its section's template wording.
pub(super) fn headings(cx: &Context, out: &mut Vec<Finding>) {
    let t = cx.template;
    // In the template's section order (the map's key order would put 五 before 一).
    for (pos, s) in t.sections.iter().enumerate() {
        let Some(h) = cx.report.headings.get(&s.key) else {
            continue;
        };
        let key = &s.key;
        let plain = |x: &str| x.split_whitespace().collect::<String>();
        if plain(h) == plain(&s.heading) {
            continue;
        }
        let path = format!("headings.{key}");
        let finding = |sev, message: String| {
            Finding::new("F-01", sev, &path, "章节标题", message).values(&s.heading, h)
        };
        if normalize(h) == normalize(&s.heading) {
            out.push(finding(
                Severity::Warning,
                format!(
                    "章节标题含繁体字或拼音注音等网页转换痕迹，模板用语为 “{}”",
                    s.heading
                ),
            ));
            continue;
        }
        if s.variants.iter().any(|v| normalize(v) == normalize(h)) {
            out.push(finding(
                Severity::Warning,
                format!(
                    "章节标题用了格式通知正文中的长标题，模板用语为 “{}”",
                    s.heading
                ),
            ));
            continue;
        }
        let normalized = normalize(h);
        let (number, body) = split_number(&normalized);
        let numbered = number.and_then(|n| {
            t.sections
                .iter()
                .position(|x| split_number(&normalize(&x.heading)).0 == Some(n))
        });
        let (best, score) = closest_section(t, body);
        let message = match (numbered, best) {
            (Some(n), _) if n != pos => Some(format!(
                "章节标题的编号是第{}部分（“{}”）的，而此处是 “{}”：章节重复或顺序错误",
                n + 1,
                t.sections[n].heading,
                s.heading
            )),
            (_, Some(b)) if b != pos && score >= RECOGNISED => Some(format!(
                "章节标题读作 “{}”，而此处是 “{}”：章节重复或顺序错误",
                t.sections[b].heading, s.heading
            )),
            (None, _) if score < RECOGNISED => Some(format!(
                "认不出章节标题是哪一部分：缺少 “{}” 部分",
                s.heading
            )),
            _ => None,
        };
        out.push(match message {
            Some(m) => finding(Severity::Error, m),
            None => finding(
                Severity::Warning,
                format!("章节标题的措辞与模板不同，模板用语为 “{}”", s.heading),
            ),
        });
    }
}

/// Splits a heading's leading number (`五、`) from its words.
fn split_number(h: &str) -> (Option<&str>, &str) {
    const NUMERALS: &str = "一二三四五六七八九十";
    match h.split_once('、') {
        Some((n, rest))
            if !n.is_empty()
                && n.chars().count() <= 3
                && n.chars().all(|c| NUMERALS.contains(c)) =>
        {
            (Some(n), rest)
        }
        _ => (None, h),
    }
}

/// The section whose heading (or a long variant) the words resemble most, and how much.
fn closest_section(t: &Template, body: &str) -> (Option<usize>, f64) {
    let mut best = (None, 0.0);
    for (i, s) in t.sections.iter().enumerate() {
        for wording in std::iter::once(&s.heading).chain(&s.variants) {
            let n = normalize(wording);
            let score = super::similarity(body, split_number(&n).1);
            if score > best.1 {
                best = (Some(i), score);
            }
        }
    }
    best
}

/// F-02: the format against the year, and every part printed in another format's shape.
pub(super) fn format_year(cx: &Context, out: &mut Vec<Finding>) {
    let (report, t) = (cx.report, cx.template);
    match Template::for_year(report.year) {
        None => out.push(Finding::new(
            "F-02",
            Severity::Warning,
            "year",
            "报告年度",
            format!(
                "{}年的报告不适用任何统一格式（最早的统一格式自{}年度起施行）",
                report.year,
                crate::template::all()
                    .iter()
                    .map(|t| t.years.from)
                    .min()
                    .unwrap_or_default()
            ),
        )),
        Some(expected) if expected.format != t.format => {
            out.push(
                Finding::new(
                    "F-02",
                    Severity::Warning,
                    "format",
                    "报告格式",
                    format!(
                        "{}年度报告应使用{}（{}），而不是{}",
                        report.year, expected.name, expected.notice, t.name
                    ),
                )
                .values(&expected.format, &t.format),
            );
        }
        _ => {}
    }
    for (table, part, format) in report.mixed_parts() {
        let Some(def) = cx.def(table) else { continue };
        let place = format!("{} {}", def.name, def.part_label(part));
        let path = match def.layout {
            crate::template::TableLayout::Groups => table.to_string(),
            _ => format!("{table}.{part}"),
        };
        out.push(
            Finding::new(
                "F-02",
                Severity::Warning,
                path,
                &place,
                format!(
                    "{place} 按 {format} 格式填报，其余按 {} 格式：两种格式混用，应统一为 {} 格式",
                    t.format, t.format
                ),
            )
            .values(&t.format, format),
        );
    }
}

/// F-03, F-04, F-05: every row and cell of a table present, blank cells, amounts with many
/// decimals.
pub(super) fn completeness(cx: &Context, def: &TableDef, out: &mut Vec<Finding>) {
    let data = cx.report.table_or_empty(&def.key);
    for leaf in def.leaves() {
        let row = &leaf.key;
        // Built only for a finding: most rows have none.
        let path = || format!("{}.{}", def.key, row);
        let Some(cells) = data.cells.get(row) else {
            out.push(Finding::new(
                "F-03",
                Severity::Error,
                path(),
                def.row_name(row),
                "缺少此行；统一格式要求每一行都填报（没有发生的填 0）",
            ));
            continue;
        };
        let mut blank = Vec::new();
        for c in def.columns_of(row) {
            // Built only for a finding: most cells have none.
            let p = || format!("{}.{}", path(), c.key);
            match cells.get(&c.key) {
                None => out.push(Finding::new(
                    "F-03",
                    Severity::Error,
                    p(),
                    def.cell_name(row, &c.key),
                    "缺少此单元格；没有发生的填 0",
                )),
                Some(None) => blank.push(c),
                Some(Some(Number::Decimal(x))) if x.scale() > 4 => out.push(
                    Finding::new(
                        "F-05",
                        Severity::Warning,
                        p(),
                        def.cell_name(row, &c.key),
                        format!(
                            "金额有 {} 位小数，精度超出常规（万元一般保留 2–4 位）",
                            x.scale()
                        ),
                    )
                    .values("≤ 4 位小数", x),
                ),
                _ => {}
            }
        }
        // One finding per row, naming every blank column.
        let Some(first) = blank.first() else { continue };
        let (p, cell) = if blank.len() == 1 {
            (
                format!("{}.{}", path(), first.key),
                def.cell_name(row, &first.key),
            )
        } else {
            let labels: Vec<&str> = blank.iter().map(|c| c.label.as_str()).collect();
            (
                path(),
                format!("{} “{}” 列", def.row_name(row), labels.join("”“")),
            )
        };
        out.push(
            Finding::new(
                "F-04",
                Severity::Warning,
                p,
                cell,
                format!(
                    "{} 个单元格空白；统一格式不允许空白，没有发生的应填 0",
                    blank.len()
                ),
            )
            .values("0", "空白"),
        );
    }
}
