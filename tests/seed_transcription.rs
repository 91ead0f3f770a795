//! The seed report (tests/fixtures/seed_potou_2023.txt, a byte-identical copy of the text the project started from)
//! must be transcribed completely and faithfully in examples/potou-2023.json.
//!
//! The seed is parsed on its own terms, independently of the JSON:
//! * six section headings: lines starting with 一、 … 六、 that are not table cells;
//! * table cells: lines ending in "|" (normally " |"; an empty cell is a bare "|");
//! * a cell may span two lines ("商業(yè)\n企業(yè) |"): a line without "|" that follows a cell line and is followed
//!   by a cell line is the first half of a cell;
//! * every other line is a prose paragraph.
//!
//! Then: the prose paragraphs and the free-form table of sections 一/五/六 must equal the JSON blocks exactly and in
//! order; every number in tables 二/三/四 must equal the JSON cell in template order (the row labels of the seed are
//! checked against the template's ordinal prefixes so a shifted row cannot pass).

mod common;

use serde_json::Value;
use std::path::PathBuf;

fn path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(path(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

#[derive(Debug, Clone, PartialEq)]
enum Item {
    Prose(String),
    Cell(String),
}

#[derive(Debug)]
struct Section {
    heading: String,
    items: Vec<Item>,
}

const SECTION_ORDINALS: [&str; 6] = ["一、", "二、", "三、", "四、", "五、", "六、"];

fn is_cell_line(line: &str) -> bool {
    line.ends_with('|')
}

fn cell_text(line: &str) -> &str {
    let s = line.strip_suffix('|').expect("cell line");
    s.strip_suffix(' ').unwrap_or(s)
}

/// Splits the seed into its six sections, each a sequence of prose paragraphs and table cells.
fn parse_seed(text: &str) -> Vec<Section> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut sections: Vec<Section> = Vec::new();
    let mut pending_half: Option<String> = None;
    for (i, &line) in lines.iter().enumerate() {
        assert!(!line.contains('\r'), "seed line {} has a CR", i + 1);
        if let Some(first) = pending_half.take() {
            assert!(
                is_cell_line(line),
                "line {}: a split cell must end on the next line",
                i + 1
            );
            let sec = sections.last_mut().expect("cell before first heading");
            sec.items
                .push(Item::Cell(format!("{first}\n{}", cell_text(line))));
            continue;
        }
        if line.is_empty() {
            // the file ends without a newline, so the only empty line would be a real blank line
            panic!("seed line {} is unexpectedly blank", i + 1);
        }
        if is_cell_line(line) {
            let sec = sections.last_mut().expect("cell before first heading");
            sec.items.push(Item::Cell(cell_text(line).to_string()));
            continue;
        }
        let next_ord = SECTION_ORDINALS.get(sections.len());
        if let Some(ord) = next_ord {
            if line.starts_with(ord) {
                sections.push(Section {
                    heading: line.to_string(),
                    items: Vec::new(),
                });
                continue;
            }
        }
        let prev_is_cell = i > 0 && is_cell_line(lines[i - 1]);
        let next_is_cell = lines.get(i + 1).is_some_and(|l| is_cell_line(l));
        if prev_is_cell && next_is_cell {
            pending_half = Some(line.to_string());
            continue;
        }
        let sec = sections.last_mut().expect("prose before first heading");
        sec.items.push(Item::Prose(line.to_string()));
    }
    assert!(pending_half.is_none(), "seed ends inside a split cell");
    assert_eq!(sections.len(), 6, "the seed has six sections");
    sections
}

fn load() -> (Vec<Section>, Value) {
    let seed = read("tests/fixtures/seed_potou_2023.txt");
    let json: Value = serde_json::from_str(&read("examples/potou-2023.json"))
        .expect("examples/potou-2023.json parses");
    (parse_seed(&seed), json)
}

fn is_number(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_digit() || c == '.')
        && s.chars().next().unwrap().is_ascii_digit()
}

/// The JSON number as written (exact with serde_json's arbitrary_precision, and for integers anyway).
fn num_text(v: &Value, what: &str) -> String {
    match v {
        Value::Number(n) => n.to_string(),
        other => panic!("{what}: expected a number, found {other}"),
    }
}

fn get<'a>(v: &'a Value, dotted: &str) -> &'a Value {
    dotted.split('.').fold(v, |acc, k| {
        acc.get(k).unwrap_or_else(|| panic!("JSON lacks {dotted}"))
    })
}

/// Prose sections: paragraphs in order, with runs of cells turned into the free-form table of the JSON.
fn expected_blocks(sec: &Section) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cells: Vec<String> = Vec::new();
    let flush = |cells: &mut Vec<String>, out: &mut Vec<Value>| {
        if cells.is_empty() {
            return;
        }
        // The seed flattens a two-row table: the label row, then the row that starts with 數(shù)量.
        let split = cells
            .iter()
            .position(|c| c.starts_with("數"))
            .expect("free-form table has a 數量 row");
        let (head, body) = cells.split_at(split);
        assert_eq!(
            head.len(),
            body.len(),
            "both free-form table rows have the same number of cells"
        );
        assert!(
            body[1..].iter().all(|c| is_number(c)),
            "the 數量 row holds numbers: {body:?}"
        );
        out.push(serde_json::json!({"table": {"header_rows": 1, "rows": [head, body]}}));
        cells.clear();
    };
    for item in &sec.items {
        match item {
            Item::Prose(p) => {
                flush(&mut cells, &mut out);
                out.push(Value::String(p.clone()));
            }
            Item::Cell(c) => cells.push(c.clone()),
        }
    }
    flush(&mut cells, &mut out);
    out
}

#[test]
fn fixture_is_the_seed() {
    let seed = std::fs::read(path("tests/fixtures/seed_potou_2023.txt")).unwrap();
    assert_eq!(
        seed.len(),
        7904,
        "seed fixture must stay byte-identical to the original"
    );
    assert!(
        seed.ends_with("無(wú)".as_bytes()),
        "seed ends with 無(wú) and no newline"
    );
}

#[test]
fn metadata() {
    let (_, json) = load();
    assert_eq!(json["format"], "2021");
    assert_eq!(json["agency"], "湛江市坡头区教育局");
    assert_eq!(json["year"], 2023);
    assert_eq!(json["level"], "department");
}

/// The seed's six headings are the template headings (一、总体情况 …) in the web converter's traditional script
/// with pinyin. They are kept as published in `headings` (validation normalises them and warns, F-01).
#[test]
fn headings() {
    let (sections, json) = load();
    let seed_headings = [
        "一、總體情況",
        "二、主動(dòng)公開(kāi)政府信息情況",
        "三、收到和處理政府信息公開(kāi)申請(qǐng)情況",
        "四、政府信息公開(kāi)行政復(fù)議、行政訴訟情況",
        "五、存在的主要問(wèn)題及改進(jìn)情況",
        "六、其他需要報(bào)告的事項(xiàng)",
    ];
    for ((sec, h), key) in sections.iter().zip(seed_headings).zip(common::SECTION_KEYS) {
        assert_eq!(sec.heading, h);
        assert_eq!(json["headings"][key], h, "headings.{key} as published");
    }
}

#[test]
fn prose_sections_are_complete_and_in_order() {
    let (sections, json) = load();
    for (idx, key) in [(0usize, "overview"), (4, "problems"), (5, "other")] {
        let expected = expected_blocks(&sections[idx]);
        let actual = json[key]
            .as_array()
            .unwrap_or_else(|| panic!("{key} is an array"));
        assert_eq!(actual.len(), expected.len(), "{key}: number of blocks");
        for (i, (a, e)) in actual.iter().zip(&expected).enumerate() {
            assert_eq!(a, e, "{key}[{i}] differs from the seed");
        }
    }
    // Spot checks that the parse itself is what we think it is.
    let overview = json["overview"].as_array().unwrap();
    let rows = overview[2]["table"]["rows"].as_array().unwrap();
    assert_eq!(rows[0].as_array().unwrap().len(), 13);
    assert_eq!(rows[1].as_array().unwrap().len(), 13);
    assert_eq!(json["other"], serde_json::json!(["無(wú)"]));
    assert!(
        sections[1..4]
            .iter()
            .all(|s| s.items.iter().all(|i| matches!(i, Item::Cell(_)))),
        "sections 二/三/四 hold only table cells"
    );
}

/// A table's data rows: (label, numbers) where label is the last non-number cell before a run of numbers.
fn data_rows(sec: &Section) -> Vec<(String, Vec<String>)> {
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    let mut label = String::new();
    let mut in_numbers = false;
    for item in &sec.items {
        let Item::Cell(c) = item else {
            panic!("prose inside a table section: {item:?}")
        };
        if is_number(c) {
            if !in_numbers {
                rows.push((label.clone(), Vec::new()));
                in_numbers = true;
            }
            rows.last_mut().unwrap().1.push(c.clone());
        } else {
            label = c.clone();
            in_numbers = false;
        }
    }
    rows
}

#[test]
fn table_2_proactive() {
    let (sections, json) = load();
    let rows = data_rows(&sections[1]);
    let p = &json["proactive"];
    // The seed's 第二十条第（一）项 uses the 2019 columns (本年新制作數量/本年新公開數量/對外公開總數).
    let cells = |sec: &Section| -> Vec<String> {
        sec.items
            .iter()
            .map(|i| match i {
                Item::Cell(c) | Item::Prose(c) => c.clone(),
            })
            .collect()
    };
    let all = cells(&sections[1]);
    assert!(
        all.iter().any(|c| c.starts_with("本年新制作")),
        "seed (一) has 2019 columns"
    );
    let expected: Vec<(&str, Vec<&str>)> = vec![
        (
            "規",
            vec![
                "regulations.produced",
                "regulations.published",
                "regulations.total_published",
            ],
        ),
        (
            "規",
            vec![
                "normative_documents.produced",
                "normative_documents.published",
                "normative_documents.total_published",
            ],
        ),
        ("行政許可", vec!["licensing.decisions"]),
        ("行政處罰", vec!["penalty.decisions"]),
        ("行政強", vec!["enforcement.decisions"]),
        ("行政事業", vec!["fees.amount"]),
    ];
    assert_eq!(rows.len(), expected.len(), "table 二 data rows: {rows:?}");
    for ((label, nums), (prefix, keys)) in rows.iter().zip(&expected) {
        assert!(
            label.starts_with(prefix),
            "row label {label} should start with {prefix}"
        );
        assert_eq!(nums.len(), keys.len(), "row {label}");
        for (n, k) in nums.iter().zip(keys) {
            assert_eq!(&num_text(get(p, k), k), n, "proactive.{k}");
        }
    }
    // No 2021 column keys in the 2019-column group, and no extra keys anywhere.
    for k in ["regulations", "normative_documents"] {
        assert_eq!(
            p[k].as_object().unwrap().len(),
            3,
            "proactive.{k} has exactly produced/published/total_published"
        );
    }
    for k in ["licensing", "penalty", "enforcement", "fees"] {
        assert_eq!(
            p[k].as_object().unwrap().len(),
            1,
            "proactive.{k} has one column"
        );
    }
    assert_eq!(p.as_object().unwrap().len(), 6);
}

const T3_ROWS: [(&str, &str); 25] = [
    ("一、", "new_received"),
    ("二、", "carried_over"),
    ("(一)", "granted"),
    ("(二)", "partially_granted"),
    ("1.", "denied.state_secret"),
    ("2.", "denied.prohibited_by_law"),
    ("3.", "denied.three_safeties_one_stability"),
    ("4.", "denied.third_party_rights"),
    ("5.", "denied.internal_affairs"),
    ("6.", "denied.process_info"),
    ("7.", "denied.enforcement_case"),
    ("8.", "denied.admin_query"),
    ("1.", "unable.no_such_info"),
    ("2.", "unable.needs_creation"),
    ("3.", "unable.unclear_after_correction"),
    ("1.", "not_processed.complaint"),
    ("2.", "not_processed.duplicate"),
    ("3.", "not_processed.publication"),
    ("4.", "not_processed.excessive"),
    ("5.", "not_processed.reconfirm"),
    ("1.", "other.overdue_correction"),
    ("2.", "other.overdue_fee"),
    ("3.", "other.other"),
    ("(七)", "total_processed"),
    ("四、", "carried_forward"),
];

const T3_COLS: [&str; 7] = common::APPLICANT_COLUMNS;

#[test]
fn table_3_applications() {
    let (sections, json) = load();
    let sec = &sections[2];
    // Header: 11 cells, two of them split over two lines, one empty.
    let header: Vec<&str> = sec
        .items
        .iter()
        .map(|i| match i {
            Item::Cell(c) => c.as_str(),
            Item::Prose(p) => p.as_str(),
        })
        .take_while(|c| !c.starts_with("一、"))
        .collect();
    assert_eq!(header.len(), 11, "table 三 header cells: {header:?}");
    assert!(
        header
            .iter()
            .any(|c| c.starts_with("商業") && c.contains('\n')),
        "商業\\n企業 is one cell"
    );
    assert!(
        header
            .iter()
            .any(|c| c.starts_with("科研") && c.contains('\n')),
        "科研\\n機構 is one cell"
    );
    assert_eq!(header[10], "", "the empty header cell");

    // 25 rows carry numbers: 一、二、四、 and the 22 rows under 三、本年度辦理結果 (which has no numbers of its own;
    // nor have the group labels (三)不予公開 (四)無法提供 (五)不予處理 (六)其他處理).
    let rows = data_rows(sec);
    assert_eq!(rows.len(), T3_ROWS.len(), "table 三 data rows");
    let apps = &json["applications"];
    let mut count = 0;
    for ((label, nums), (prefix, key)) in rows.iter().zip(T3_ROWS.iter()) {
        assert!(
            label.starts_with(prefix),
            "row label {label:?} should start with {prefix:?} ({key})"
        );
        assert_eq!(nums.len(), 7, "row {label} has 7 numbers");
        let row = get(apps, key);
        assert_eq!(row.as_object().unwrap().len(), 7, "{key} has 7 columns");
        for (n, c) in nums.iter().zip(T3_COLS) {
            assert_eq!(
                &num_text(&row[c], &format!("{key}.{c}")),
                n,
                "applications.{key}.{c}"
            );
            count += 1;
        }
    }
    assert_eq!(count, 25 * 7);
}

#[test]
fn table_4_review_litigation() {
    let (sections, json) = load();
    let rows = data_rows(&sections[3]);
    assert_eq!(rows.len(), 1, "table 四 has one data row");
    let nums = &rows[0].1;
    assert_eq!(nums.len(), 15);
    let rl = &json["review_litigation"];
    let mut i = 0;
    for g in ["review", "litigation_direct", "litigation_after_review"] {
        assert_eq!(rl[g].as_object().unwrap().len(), 5);
        for c in ["upheld", "corrected", "other", "pending", "total"] {
            assert_eq!(
                num_text(&rl[g][c], &format!("{g}.{c}")),
                nums[i],
                "review_litigation.{g}.{c}"
            );
            i += 1;
        }
    }
}

#[test]
fn no_unexpected_top_level_keys() {
    let (_, json) = load();
    let allowed: Vec<&str> = common::REPORT_FIELDS
        .iter()
        .chain(&common::SECTION_KEYS)
        .copied()
        .collect();
    for k in json.as_object().unwrap().keys() {
        assert!(allowed.contains(&k.as_str()), "unknown top-level key {k}");
    }
}
