//! Synthetic, internally consistent 2021-format reports for the collect/aggregate tests and the
//! XLSX benchmark (included with `#[path]`). Built from `Report::blank` plus pseudo-random
//! numbers that satisfy A-01..A-04, so every generated report validates without errors.
#![allow(dead_code)]

use nianbao::report::{Number, Report};
use nianbao::template::{Template, ValueType};
use rust_decimal::Decimal;

/// A small deterministic generator (64-bit LCG).
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Lcg {
        Lcg(seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407))
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

/// Report number `i` (agency `测试县第i局`), year 2024, 2021 format.
pub fn report(i: u64) -> Report {
    let t = Template::get("2021").expect("2021 template");
    let mut r = Report::blank(t, &format!("测试县第{i}局"), 2024);
    let mut g = Lcg::new(i + 1);
    // 表二: any non-negative numbers; fees as exact decimals with two places.
    let def = t.table("proactive").unwrap();
    for row in def.leaf_rows() {
        for c in def.columns_of(&row.key) {
            let v = match c.value_type {
                ValueType::Amount => Number::Decimal(Decimal::new(g.below(100_000) as i64, 2)),
                _ => Number::Int(g.below(200) as i64),
            };
            r.proactive.set(&row.key, &c.key, Some(v));
        }
    }
    // 表三: results per applicant column, totals derived so A-01..A-03 hold.
    let def = t.table("applications").unwrap();
    let persons: Vec<String> = def
        .columns
        .iter()
        .filter(|c| c.key != "total")
        .map(|c| c.key.clone())
        .collect();
    let fixed = [
        "new_received",
        "carried_over",
        "total_processed",
        "carried_forward",
    ];
    let results: Vec<String> = def
        .leaf_rows()
        .into_iter()
        .map(|l| l.key)
        .filter(|k| !fixed.contains(&k.as_str()))
        .collect();
    for p in &persons {
        let mut processed = 0i64;
        for row in &results {
            let v = g.below(12) as i64;
            processed += v;
            r.applications.set(row, p, Some(Number::Int(v)));
        }
        let forward = g.below(6) as i64;
        let over = g.below((processed + forward + 1) as u64) as i64;
        r.applications
            .set("total_processed", p, Some(Number::Int(processed)));
        r.applications
            .set("carried_forward", p, Some(Number::Int(forward)));
        r.applications
            .set("carried_over", p, Some(Number::Int(over)));
        r.applications.set(
            "new_received",
            p,
            Some(Number::Int(processed + forward - over)),
        );
    }
    for row in def.leaf_rows() {
        let total: i64 = persons
            .iter()
            .filter_map(|p| r.applications.value(&row.key, p))
            .map(|v| match v {
                Number::Int(i) => i,
                Number::Decimal(_) => 0,
            })
            .sum();
        r.applications
            .set(&row.key, "total", Some(Number::Int(total)));
    }
    // 表四: results per row, total = their sum.
    let def = t.table("review_litigation").unwrap();
    for row in def.leaf_rows() {
        let mut total = 0;
        for c in def.columns.iter().filter(|c| c.key != "total") {
            let v = g.below(5) as i64;
            total += v;
            r.review_litigation
                .set(&row.key, &c.key, Some(Number::Int(v)));
        }
        r.review_litigation
            .set(&row.key, "total", Some(Number::Int(total)));
    }
    r
}

/// Every (table, row, column, value) of a report.
pub fn cells(r: &Report) -> Vec<(String, String, String, Option<Number>)> {
    let mut out = Vec::new();
    for key in ["proactive", "applications", "review_litigation"] {
        if let Some(d) = r.table(key) {
            for (row, cols) in &d.cells {
                for (col, v) in cols {
                    out.push((key.to_string(), row.clone(), col.clone(), *v));
                }
            }
        }
    }
    out
}

#[test]
fn generated_reports_validate() {
    for i in 0..20 {
        let r = report(i);
        let f = nianbao::validate::validate(&r, None);
        assert!(!nianbao::validate::has_errors(&f), "report {i}: {f:?}");
    }
}
