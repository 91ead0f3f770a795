//! The library surface: one call exports a report, cells are read and set by checked keys,
//! report reading names every mistake in typed words (not serde's English), and the modules of
//! src/ form no import cycle.

use nianbao::{export, CellError, ExportOptions, Number, Report, Target};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn example(name: &str) -> Report {
    let text = std::fs::read_to_string(root().join("examples").join(name)).unwrap();
    Report::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn export_is_layout_then_writer() {
    let r = example("demo-2019.json");
    let opts = ExportOptions::default();
    let doc = nianbao::layout::build(&r);
    for target in [Target::Docx, Target::Xlsx, Target::Html] {
        let one = export(&r, target, &opts).unwrap();
        let two = nianbao::export::write(&doc, target, &opts).unwrap();
        assert!(
            one.bytes == two.bytes,
            "{target:?}: export() differs from layout + write"
        );
        assert!(!one.bytes.is_empty());
    }
}

#[test]
fn cells_are_read_by_checked_keys() {
    let r = example("demo-city-2024.json");
    assert_eq!(
        r.cell("applications", "new_received", "natural_person"),
        Ok(Some(Number::Int(45)))
    );
    // A dotted leaf key.
    let leaf = r
        .table_def("applications")
        .unwrap()
        .leaves()
        .iter()
        .find(|l| l.key.contains('.'))
        .unwrap()
        .key
        .clone();
    assert!(r.cell("applications", &leaf, "total").unwrap().is_some());
    // An amount keeps its digits.
    assert_eq!(
        r.cell("proactive", "fees", "amount"),
        Ok(Some(Number::Decimal(Decimal::new(12345678, 4))))
    );
    match r.cell("aplications", "new_received", "total") {
        Err(CellError::UnknownTable { table, known }) => {
            assert_eq!(table, "aplications");
            assert!(known.contains("applications"), "{known}");
        }
        other => panic!("{other:?}"),
    }
    match r.cell("applications", "new_recieved", "total") {
        Err(e @ CellError::UnknownRow { .. }) => {
            let m = e.to_string();
            assert!(m.contains("new_recieved") && m.contains("表三"), "{m}");
        }
        other => panic!("{other:?}"),
    }
    // A group key is not a cell's row: its leaves are.
    let group = leaf.split('.').next().unwrap();
    assert!(matches!(
        r.cell("applications", group, "total"),
        Err(CellError::UnknownRow { .. })
    ));
    match r.cell("applications", "new_received", "natural_persons") {
        Err(e @ CellError::UnknownColumn { .. }) => {
            let m = e.to_string();
            assert!(
                m.contains("natural_persons") && m.contains("natural_person,"),
                "{m}"
            );
        }
        other => panic!("{other:?}"),
    }
    // Table 二's rows have their own group's columns.
    assert!(matches!(
        r.cell("proactive", "licensing", "issued"),
        Err(CellError::UnknownColumn { .. })
    ));
}

#[test]
fn cells_are_set_by_checked_keys_and_values() {
    let mut r = example("demo-city-2024.json");
    let before = r.clone();
    assert!(matches!(
        r.set_cell(
            "applications",
            "new_received",
            "natural_persons",
            Some(Number::Int(1))
        ),
        Err(CellError::UnknownColumn { .. })
    ));
    match r.set_cell(
        "applications",
        "new_received",
        "natural_person",
        Some(Number::Int(-1)),
    ) {
        Err(CellError::BadValue { place, reason }) => {
            assert!(place.contains("表三"), "{place}");
            assert!(reason.contains("-1"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    let half = Number::Decimal(Decimal::new(5, 1));
    assert!(matches!(
        r.set_cell("applications", "new_received", "natural_person", Some(half)),
        Err(CellError::BadValue { .. })
    ));
    assert!(matches!(
        r.set_cell("proactive", "fees", "amount", Some(Number::Int(-3))),
        Err(CellError::BadValue { .. })
    ));
    assert_eq!(r, before, "a refused value leaves the report unchanged");

    r.set_cell(
        "applications",
        "new_received",
        "natural_person",
        Some(Number::Int(46)),
    )
    .unwrap();
    assert_eq!(
        r.cell("applications", "new_received", "natural_person"),
        Ok(Some(Number::Int(46)))
    );
    r.set_cell("proactive", "fees", "amount", Some(Number::Int(7)))
        .unwrap();
    assert_eq!(
        r.cell("proactive", "fees", "amount"),
        Ok(Some(Number::Decimal(Decimal::from(7))))
    );
    r.set_cell("applications", "new_received", "commercial", None)
        .unwrap();
    assert_eq!(
        r.cell("applications", "new_received", "commercial"),
        Ok(None)
    );
    // What was set is what is written and read back.
    let back = Report::from_json(&r.to_json_string()).unwrap();
    assert_eq!(back, r);
}

/// Reading names each mistake with its path, in Chinese first, without classifying serde's
/// English messages.
#[test]
fn report_fields_are_checked_in_words() {
    let base: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/demo-city-2024.json")).unwrap(),
    )
    .unwrap();
    let case = |edit: &dyn Fn(&mut serde_json::Map<String, serde_json::Value>)| {
        let mut v = base.clone();
        edit(v.as_object_mut().unwrap());
        Report::from_json(&v.to_string()).unwrap_err()
    };
    let e = case(&|m| {
        m.insert("agnecy".into(), "x".into());
    });
    assert_eq!(e.path, "agnecy");
    assert!(e.message.starts_with("未知的字段 “agnecy”"), "{e}");
    let e = case(&|m| {
        m.remove("problems");
    });
    assert_eq!(e.path, "");
    assert!(e.message.contains("缺少必需的字段 `problems`"), "{e}");
    let e = case(&|m| {
        m.insert("year".into(), "2024".into());
    });
    assert_eq!(e.path, "year");
    assert!(
        e.message.starts_with("类型错误：应为整数，实际是字符串"),
        "{e}"
    );
    let e = case(&|m| {
        m.insert("year".into(), serde_json::json!(2024.5));
    });
    assert_eq!(e.path, "year");
    assert!(e.message.contains("数字"), "{e}");
    let e = case(&|m| {
        m.insert("year".into(), serde_json::json!(1_u64 << 40));
    });
    assert!(e.message.contains("year out of range"), "{e}");
    let e = case(&|m| {
        m.insert("level".into(), "city".into());
    });
    assert_eq!(e.path, "level");
    assert!(
        e.message.contains("“city”") && e.message.contains("department"),
        "{e}"
    );
    let e = case(&|m| {
        m.insert("headings".into(), serde_json::json!({ "overview": 1 }));
    });
    assert_eq!(e.path, "headings.overview");
    let e = case(&|m| {
        m.insert("overview".into(), serde_json::json!({}));
    });
    assert_eq!(e.path, "overview");
    assert!(e.message.contains("数组"), "{e}");
    let e = case(&|m| {
        m.insert("proactive".into(), serde_json::json!([]));
    });
    assert_eq!(e.path, "proactive");
    assert!(e.message.contains("对象"), "{e}");
    // null is "not given" for the optional fields only.
    let mut v = base.clone();
    v["title"] = serde_json::Value::Null;
    v["level"] = serde_json::Value::Null;
    assert!(Report::from_json(&v.to_string()).is_ok());
    let e = case(&|m| {
        m.insert("preamble".into(), serde_json::Value::Null);
    });
    assert_eq!(e.path, "preamble");
}

/// The top-level module of a source file: `src/pdf/page.rs` → `pdf`.
fn module_of(rel: &Path) -> String {
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The modules a file's code (comments and `#[cfg(test)]` parts left out) refers to as
/// `crate::X` or `crate::{X, …}`.
fn uses(src: &str) -> BTreeSet<String> {
    let code = src.split("#[cfg(test)]").next().unwrap_or_default();
    let mut out = BTreeSet::new();
    let word = regex::Regex::new(r"[a-z_][a-z0-9_]*").unwrap();
    let path = regex::Regex::new(r"crate::([a-z_][a-z0-9_]*)").unwrap();
    let group = regex::Regex::new(r"crate::\{([^}]*)").unwrap();
    for line in code.lines() {
        let line = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        out.extend(path.captures_iter(line).map(|c| c[1].to_string()));
        for g in group.captures_iter(line) {
            // The first word of each item of a `crate::{a::B, c}` group.
            for item in g[1].split(',') {
                if let Some(w) = word.find(item.trim()) {
                    if w.start() == 0 {
                        out.insert(w.as_str().to_string());
                    }
                }
            }
        }
    }
    out
}

/// The module graph of the library (the command line in src/cli and src/main.rs uses the
/// library from outside and is left out).
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in files {
        let rel = f.strip_prefix(&src).unwrap().to_path_buf();
        let m = module_of(&rel);
        if ["lib", "main", "cli"].contains(&m.as_str()) {
            continue;
        }
        let deps = uses(&std::fs::read_to_string(&f).unwrap());
        let entry = graph.entry(m.clone()).or_default();
        entry.extend(deps.into_iter().filter(|d| *d != m));
    }
    graph
}

/// A cycle through the graph, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        g: &BTreeMap<String, BTreeSet<String>>,
        n: &str,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for d in g.get(n).into_iter().flatten() {
            if !g.contains_key(d) {
                continue;
            }
            match state.get(d) {
                Some(1) => {
                    let at = stack.iter().position(|s| s == d).unwrap_or(0);
                    let mut c = stack[at..].to_vec();
                    c.push(d.clone());
                    return Some(c);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(g, d, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in graph.keys() {
        if !state.contains_key(n) {
            if let Some(c) = visit(graph, n, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

/// No import cycle among the top-level modules of src/ (docs/CONTRIBUTING.md's rule). There
/// are no allowed exceptions today; one would be listed here with its reason.
#[test]
fn no_import_cycle_among_modules() {
    let graph = module_graph();
    // The scan sees what it looks for.
    assert!(graph["layout"].contains("report"), "{graph:?}");
    assert!(graph["export"].contains("pdf"), "{graph:?}");
    assert!(
        uses("use crate::{report::Report, template};\n// crate::pdf\n")
            .into_iter()
            .eq(["report".to_string(), "template".to_string()])
    );
    if let Some(c) = find_cycle(&graph) {
        panic!("import cycle: {}", c.join(" → "));
    }
    // The layering the docs describe: writers never import each other, the dispatcher, the
    // readers or validation (they may use the report's value types, such as dates and numbers).
    for writer in ["pdf", "docx", "xlsx", "html"] {
        for other in [
            "pdf", "docx", "xlsx", "html", "export", "validate", "import",
        ] {
            if other != writer {
                assert!(
                    !graph[writer].contains(other),
                    "{writer} imports {other}: writers read the layout model and the options"
                );
            }
        }
    }
    for m in ["validate", "layout"] {
        let other = if m == "validate" {
            "layout"
        } else {
            "validate"
        };
        assert!(!graph[m].contains(other), "{m} imports {other}");
    }
    // A cycle is found when there is one.
    let mut g = graph.clone();
    g.get_mut("template").unwrap().insert("layout".into());
    assert!(find_cycle(&g).is_some());
}
