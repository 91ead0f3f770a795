//! "Impossible to crash": systematic mutations of a valid report (every cell and every key
//! replaced by hostile values, every key removed) either load, validate and lay out, or are
//! refused with the RIGHT input error: one line, naming the mutated JSON path (or its parent
//! for a missing key), and, where the value decides it, saying why (a quoted number, a negative
//! count, a control character). A panic anywhere fails the test.

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

/// Load → validate → layout; the input error when the report is refused.
fn pipeline(v: &Value) -> Result<layout::Document, nianbao::InputError> {
    let r = Report::from_json(&v.to_string())?;
    let findings = validate::validate(&r, Some(&r));
    Ok(layout::build_with_findings(&r, findings))
}

/// A mutation's path as input errors write it: `a.b[0].c`.
fn render(base: &Value, path: &[String]) -> String {
    let mut s = String::new();
    let mut node = base;
    for p in path {
        match node {
            Value::Array(a) => {
                let i: usize = p.parse().unwrap();
                s.push_str(&format!("[{i}]"));
                node = &a[i];
            }
            _ => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(p);
                node = &node[p.as_str()];
            }
        }
    }
    s
}

/// Whether an error path names the mutated place: the place itself, a part of it (an unknown
/// key inside a replaced object), or its parent (a removed key, a wrong container).
fn names_the_place(error: &str, mutated: &str) -> bool {
    let within = |outer: &str, inner: &str| {
        inner == outer || (inner.starts_with(outer) && inner[outer.len()..].starts_with(['.', '[']))
    };
    if error.is_empty() {
        // The whole document: only for a top-level key.
        return !mutated.contains(['.', '[']);
    }
    within(error, mutated) || within(mutated, error)
}

/// What a hostile value must do at a place.
#[derive(Debug, PartialEq)]
enum Expect {
    Load,
    Refuse(&'static str),
    /// Either; only the error's shape is checked.
    Either,
}

fn expectation(base: &Value, path: &[String], hostile: usize) -> Expect {
    let top = path[0].as_str();
    let leaf = path.last().unwrap().as_str();
    let original = path.iter().try_fold(base, |n, p| match n {
        Value::Array(a) => a.get(p.parse::<usize>().ok()?),
        _ => n.get(p.as_str()),
    });
    let statutory = ["proactive", "applications", "review_litigation"].contains(&top);
    let cell = statutory && original.is_some_and(|v| v.is_number() || v.is_null());
    let prose = ["preamble", "overview", "problems", "other"].contains(&top)
        || top == "title"
        || top == "headings";
    let text = prose && original.is_some_and(Value::is_string);
    if cell {
        let amount = leaf == "amount";
        let signed = leaf == "change";
        return match hostile {
            0 | 2 => Expect::Load,
            1 if signed => Expect::Load,
            1 => Expect::Refuse("负数"),
            3 if amount => Expect::Load,
            3 => Expect::Refuse("不是整数"),
            4 | 5 | 13 => Expect::Refuse("字符串"),
            6 => Expect::Refuse("布尔"),
            7 => Expect::Refuse("数组"),
            8 | 14 | 15 => Expect::Refuse("对象"),
            9 => Expect::Load,
            _ => Expect::Either,
        };
    }
    if text {
        return match hostile {
            4 | 5 => Expect::Load,
            13 => Expect::Refuse("U+0000"),
            _ => Expect::Either,
        };
    }
    if top == "agency" && hostile == 13 {
        return Expect::Refuse("U+0000");
    }
    Expect::Either
}

#[test]
fn hostile_values_get_the_right_error() {
    for example in [
        "examples/demo-city-2024.json",
        "examples/demo-2019.json",
        "examples/potou-2023.json",
    ] {
        let base = demo(example);
        let mut all = Vec::new();
        paths(&base, Vec::new(), &mut all);
        let (mut loaded, mut refused) = (0, 0);
        let mut check = |v: &Value, p: &[String], expect: Expect, what: &str| {
            let place = render(&base, p);
            match (pipeline(v), expect) {
                (Ok(_), Expect::Refuse(why)) => {
                    panic!("{example}: {place} = {what} loaded; expected “{why}”")
                }
                (Ok(_), _) => loaded += 1,
                (Err(e), Expect::Load) => panic!("{example}: {place} = {what} refused: {e}"),
                (Err(e), expect) => {
                    refused += 1;
                    let line = e.to_string();
                    assert!(!line.contains('\n'), "one line: {line}");
                    assert!(
                        names_the_place(&e.path, &place),
                        "{example}: {place} = {what}: the error names {:?}: {line}",
                        e.path
                    );
                    assert!(
                        e.message.chars().count() > 10,
                        "{example}: {place}: no explanation: {line}"
                    );
                    if let Expect::Refuse(why) = expect {
                        assert!(
                            line.contains(why),
                            "{example}: {place} = {what}: expected “{why}” in: {line}"
                        );
                    }
                }
            }
        };
        for p in &all {
            for (i, h) in hostile().into_iter().enumerate() {
                let mut v = base.clone();
                *slot(&mut v, p) = h.clone();
                check(&v, p, expectation(&base, p, i), &h.to_string());
            }
            let mut v = base.clone();
            remove(&mut v, p);
            check(&v, p, Expect::Either, "(removed)");
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
        json!(["\u{1F600}\t\u{85}\u{FEFF}<&>\"'\n", {"heading": ""}, {"table": {"rows": [[""]]}}]);
    v["agency"] = json!("某".repeat(300));
    variants.push(v);
    // A huge paragraph without break opportunities.
    let mut v = base.clone();
    v["overview"] = json!(["1".repeat(5000), "a".repeat(3000)]);
    variants.push(v);
    for (i, v) in variants.iter().enumerate() {
        let doc = pipeline(v).unwrap_or_else(|e| panic!("variant {i} should load: {e}"));
        for t in Target::ALL {
            if let Err(e) = write(&doc, t, &ExportOptions::default()) {
                panic!("variant {i} {t:?}: {e}");
            }
        }
    }
}

/// Text of megabytes where the input has its own words (a key, a value, a number) gives an
/// error of one short line: the text is quoted to 60 characters and its length given, so a
/// hostile report cannot turn one message into megabytes on a terminal or in a JSON log.
#[test]
fn hostile_text_of_megabytes_is_quoted_in_one_short_line() {
    const N: usize = 1_000_000;
    let long = "键".repeat(N);
    let digits = "3".repeat(N);
    let base = demo("examples/demo-city-2024.json");
    let with = |edit: &dyn Fn(&mut Value)| {
        let mut v = base.clone();
        edit(&mut v);
        v.to_string()
    };
    let number_at = |path: &[&str], number: &str| {
        let text = with(&|v| {
            let mut node = &mut *v;
            for p in path {
                node = &mut node[*p];
            }
            *node = json!("@@NUMBER@@");
        });
        text.replacen("\"@@NUMBER@@\"", number, 1)
    };
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "top-level key",
            with(&|v| v[long.as_str()] = json!(1)),
            "未知的字段",
        ),
        (
            "row key",
            with(&|v| v["proactive"][long.as_str()] = json!({})),
            "没有行",
        ),
        (
            "column key",
            with(&|v| v["applications"]["new_received"][long.as_str()] = json!(1)),
            "未知的列",
        ),
        (
            "section key",
            with(&|v| v["headings"] = json!({ long.as_str(): "一、" })),
            "未知的章节键",
        ),
        (
            "block key",
            with(&|v| v["other"] = json!([{ "heading": "一", long.as_str(): 1 }])),
            "块中未知的键",
        ),
        (
            "free-table key",
            with(&|v| v["other"] = json!([{ "table": { "rows": [["a"]], long.as_str(): 1 } }])),
            "自由表格中未知的键",
        ),
        (
            "format",
            with(&|v| v["format"] = json!(long)),
            "未知的报告格式",
        ),
        (
            "level",
            with(&|v| v["level"] = json!(long)),
            "取值不在允许范围内",
        ),
        (
            "date",
            with(&|v| v["published"] = json!(long)),
            "不是 YYYY-MM-DD",
        ),
        (
            "duplicate key",
            format!("{{\"{long}\": 1, \"{long}\": 1, {}", &with(&|_| ())[1..]),
            "出现了两次",
        ),
        (
            "count",
            number_at(&["applications", "new_received", "natural_person"], &digits),
            "不是整数",
        ),
        (
            "negative amount",
            number_at(&["proactive", "fees", "amount"], &format!("-{digits}")),
            "金额",
        ),
    ];
    for (what, text, why) in cases {
        assert!(text.len() > N, "{what}: the input holds the long text");
        let e = Report::from_json(&text).expect_err(what);
        let line = e.to_string();
        assert!(
            line.contains(why),
            "{what}: expected “{why}” in {:.300}",
            line
        );
        assert!(
            line.len() < 1_000,
            "{what}: a message of {} bytes: {:.300}…",
            line.len(),
            line
        );
        assert!(
            line.contains(&format!(
                "…（共 {} 字）",
                N + usize::from(what == "negative amount")
            )),
            "{what}: the length of the quoted text is given: {line}"
        );
    }
}
