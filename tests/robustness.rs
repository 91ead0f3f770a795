//! "Impossible to crash": systematic mutations of a valid report (every cell and every key
//! replaced by hostile values, every key removed) either load, validate, lay out and export, or
//! are refused with an input error naming a place. A panic anywhere fails the test.

use nianbao::export::{write, ExportOptions, Target};
use nianbao::{layout, validate, Report};
use serde_json::{json, Value};

fn demo(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Every path to a leaf or object in the JSON.
fn paths(v: &Value, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let mut p = prefix.clone();
                p.push(k.clone());
                out.push(p.clone());
                paths(x, p, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let mut p = prefix.clone();
                p.push(i.to_string());
                out.push(p.clone());
                paths(x, p, out);
            }
        }
        _ => {}
    }
}

fn slot<'a>(v: &'a mut Value, path: &[String]) -> &'a mut Value {
    let mut node = v;
    for p in path {
        node = match node {
            Value::Array(a) => &mut a[p.parse::<usize>().unwrap()],
            other => &mut other[p.as_str()],
        };
    }
    node
}

fn remove(v: &mut Value, path: &[String]) {
    let (last, parent) = path.split_last().unwrap();
    match slot(v, parent) {
        Value::Object(m) => {
            m.remove(last);
        }
        Value::Array(a) => {
            a.remove(last.parse::<usize>().unwrap());
        }
        _ => {}
    }
}

fn hostile() -> Vec<Value> {
    vec![
        json!(null),
        json!(-1),
        json!(0),
        json!(1.5),
        json!("12"),
        json!(""),
        json!(true),
        json!([]),
        json!({}),
        json!(i64::MAX),
        json!(u64::MAX),
        serde_json::from_str("1e400").unwrap(),
        serde_json::from_str("0.0000000000000000000000000000001").unwrap(),
        json!("（七）总计\u{0}\u{1F600}\u{30EDD}"),
        json!({"heading": "（一）"}),
        json!({"table": {"rows": [["a"]]}}),
    ]
}

/// Load → validate → layout; returns whether the report loaded.
fn pipeline(v: &Value) -> Option<layout::Document> {
    match Report::from_json(&v.to_string()) {
        Ok(r) => {
            let findings = validate::validate(&r, Some(&r));
            Some(layout::build_with_findings(&r, findings))
        }
        Err(e) => {
            assert!(!e.to_string().is_empty());
            assert!(!e.to_string().contains('\n'), "one line: {e}");
            None
        }
    }
}

#[test]
fn hostile_values_and_missing_keys_never_panic() {
    for example in [
        "examples/demo-city-2024.json",
        "examples/demo-2019.json",
        "examples/potou-2023.json",
    ] {
        let base = demo(example);
        let mut all = Vec::new();
        paths(&base, Vec::new(), &mut all);
        let (mut loaded, mut refused) = (0, 0);
        for p in &all {
            for h in hostile() {
                let mut v = base.clone();
                *slot(&mut v, p) = h;
                match pipeline(&v) {
                    Some(_) => loaded += 1,
                    None => refused += 1,
                }
            }
            let mut v = base.clone();
            remove(&mut v, p);
            match pipeline(&v) {
                Some(_) => loaded += 1,
                None => refused += 1,
            }
        }
        assert!(
            loaded > 100 && refused > 100,
            "{example}: {loaded} loaded, {refused} refused"
        );
    }
}

/// Reports that load but are odd (blank cells everywhere, huge numbers, empty sections, odd
/// characters) export to every format without a panic.
#[test]
fn odd_but_readable_reports_export_everywhere() {
    let base = demo("examples/demo-city-2024.json");
    let mut variants = Vec::new();
    // Every cell blank.
    let mut v = base.clone();
    let mut all = Vec::new();
    paths(&base, Vec::new(), &mut all);
    for p in &all {
        let statutory = ["applications", "review_litigation", "proactive"].contains(&p[0].as_str());
        if statutory && slot(&mut v.clone(), p).is_number() {
            *slot(&mut v, p) = Value::Null;
        }
    }
    variants.push(v);
    // Huge numbers.
    let mut v = base.clone();
    v["applications"]["new_received"]["natural_person"] = json!(i64::MAX);
    v["proactive"]["fees"]["amount"] =
        serde_json::from_str("79228162514264337593543950335").unwrap();
    variants.push(v);
    // Empty sections and odd text.
    let mut v = base.clone();
    v["overview"] = json!([]);
    v["problems"] = json!([""]);
    v["other"] =
        json!(["\u{1F600}\t\u{0}\u{FEFF}<&>\"'", {"heading": ""}, {"table": {"rows": [[""]]}}]);
    v["agency"] = json!("某".repeat(300));
    variants.push(v);
    // A huge paragraph without break opportunities.
    let mut v = base.clone();
    v["overview"] = json!(["1".repeat(5000), "a".repeat(3000)]);
    variants.push(v);
    for (i, v) in variants.iter().enumerate() {
        let doc = pipeline(v).unwrap_or_else(|| panic!("variant {i} should load"));
        for t in Target::ALL {
            // An error is acceptable (e.g. a font that cannot draw something); a panic is not.
            if let Err(e) = write(&doc, t, &ExportOptions::default()) {
                assert!(!e.to_string().is_empty(), "variant {i} {t:?}");
            }
        }
    }
}
