//! `nianbao aggregate`: three child reports summed cell by cell; the result validates and
//! exports; children of different formats or years are refused with exit code 2.

mod common;
#[path = "collect_gen.rs"]
mod gen;

use nianbao::report::Number;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

#[test]
fn aggregate_three_children() {
    let dir = common::root().join("target/test-out/aggregate_sum");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let children: Vec<nianbao::Report> = (0..3).map(|i| gen::report(1000 + i)).collect();
    let mut paths = Vec::new();
    for (i, r) in children.iter().enumerate() {
        let p = dir.join(format!("child{i}.json"));
        std::fs::write(&p, r.to_json_string()).unwrap();
        paths.push(p.display().to_string());
    }
    let out_path = dir.join("city.json");
    let mut args: Vec<&str> = vec!["aggregate"];
    args.extend(paths.iter().map(|s| s.as_str()));
    args.extend([
        "--agency",
        "测试市人民政府",
        "--year",
        "2024",
        "-o",
        out_path.to_str().unwrap(),
    ]);
    let out = common::nianbao(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let agg = nianbao::Report::from_json(&std::fs::read_to_string(&out_path).unwrap()).unwrap();
    assert_eq!(agg.agency, "测试市人民政府");
    assert_eq!(agg.year, 2024);
    assert_eq!(agg.level, Some(nianbao::report::Level::Government));

    // Cell by cell: the aggregate equals the sum of the children (exact decimals).
    let mut want: BTreeMap<(String, String, String), Decimal> = BTreeMap::new();
    for c in &children {
        for (t, r, col, v) in gen::cells(c) {
            *want.entry((t, r, col)).or_default() += v.map(Number::to_decimal).unwrap_or_default();
        }
    }
    let got: BTreeMap<(String, String, String), Decimal> = gen::cells(&agg)
        .into_iter()
        .map(|(t, r, c, v)| ((t, r, c), v.expect("no blank cells").to_decimal()))
        .collect();
    assert_eq!(got.len(), want.len());
    assert_eq!(got, want);
    // Fees stay exact decimals.
    assert!(matches!(
        agg.proactive.value("fees", "amount"),
        Some(Number::Decimal(_))
    ));

    // It validates and records its children in the preamble.
    let findings = nianbao::validate::validate(&agg, None);
    assert!(!nianbao::validate::has_errors(&findings), "{findings:?}");
    let preamble = match &agg.preamble[0] {
        nianbao::Block::Paragraph(p) => p.clone(),
        other => panic!("{other:?}"),
    };
    assert!(
        preamble.starts_with("本报告由以下3个报告汇总："),
        "{preamble}"
    );
    for c in &children {
        assert!(preamble.contains(&c.title()), "{preamble}");
    }
    // Byte-identical for identical input.
    let again = dir.join("again.json");
    let mut args2 = args.clone();
    let n = args2.len();
    args2[n - 1] = again.to_str().unwrap();
    assert!(common::nianbao(&args2).status.success());
    assert_eq!(
        std::fs::read(&again).unwrap(),
        std::fs::read(&out_path).unwrap()
    );
    // It exports like any report.
    let x = common::nianbao(&[
        "export",
        out_path.to_str().unwrap(),
        "--to",
        "xlsx",
        "--quiet",
        "--out-dir",
        dir.to_str().unwrap(),
    ]);
    assert!(x.status.success(), "{}", String::from_utf8_lossy(&x.stderr));
    assert!(dir.join("city.xlsx").exists());
}

#[test]
fn aggregate_refuses_mixed_formats_and_years() {
    let dir = common::root().join("target/test-out/aggregate_refuse");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let a = dir.join("a.json");
    std::fs::write(&a, gen::report(1).to_json_string()).unwrap();
    let mut other_year = gen::report(2);
    other_year.year = 2023;
    let b = dir.join("b.json");
    std::fs::write(&b, other_year.to_json_string()).unwrap();
    let o = dir.join("o.json");
    let run = |x: &str, y: &str| {
        common::nianbao(&[
            "aggregate",
            x,
            y,
            "--agency",
            "某市人民政府",
            "-o",
            o.to_str().unwrap(),
        ])
    };
    let out = run(a.to_str().unwrap(), b.to_str().unwrap());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("年度"));
    let out = run(a.to_str().unwrap(), "examples/demo-2019.json");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("格式"));
    assert!(
        !o.exists(),
        "nothing is written when aggregation is refused"
    );
    // Blank cells: a cell blank in one child is the sum of the others, with a warning.
    let mut blank = gen::report(3);
    blank.applications.set("granted", "research", None);
    let c = dir.join("c.json");
    std::fs::write(&c, blank.to_json_string()).unwrap();
    let out = run(a.to_str().unwrap(), c.to_str().unwrap());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("空白"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let agg = nianbao::Report::from_json(&std::fs::read_to_string(&o).unwrap()).unwrap();
    assert_eq!(
        agg.applications.value("granted", "research"),
        gen::report(1).applications.value("granted", "research")
    );
}
