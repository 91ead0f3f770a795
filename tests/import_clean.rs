//! `--clean` on the seed: no `(pinyin)` annotation left, simplified characters throughout the
//! prose, headings and free table, every number unchanged; headings that become the template's
//! wording are no longer recorded as published. Cleaning works on any report, JSON input too.

use nianbao::import::{clean, from_text, read_any, ImportOptions};
use nianbao::report::Block;
use nianbao::Report;
use std::path::PathBuf;

fn read(rel: &str) -> String {
    std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

/// Every text of a report's prose, headings, title and agency.
fn texts(r: &Report) -> Vec<String> {
    let mut out = vec![r.agency.clone()];
    out.extend(r.title.clone());
    out.extend(r.headings.values().cloned());
    for b in r
        .preamble
        .iter()
        .chain(&r.overview)
        .chain(&r.problems)
        .chain(&r.other)
    {
        match b {
            Block::Paragraph(p) | Block::Heading(p) => out.push(p.clone()),
            Block::Table(t) => out.extend(t.rows.iter().flatten().cloned()),
        }
    }
    out
}

/// A converter's annotation: a parenthesised run of letters with a tone mark.
fn has_pinyin(s: &str) -> bool {
    let tones = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ";
    let chars: Vec<char> = s.chars().collect();
    chars.iter().enumerate().any(|(i, c)| {
        *c == '(' && {
            let inner: String = chars[i + 1..].iter().take_while(|c| **c != ')').collect();
            !inner.is_empty()
                && inner
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || tones.contains(c))
                && inner.chars().any(|c| tones.contains(c))
        }
    })
}

fn seed() -> Report {
    let opts = ImportOptions {
        agency: Some("湛江市坡頭區(qū)教育局".into()),
        ..Default::default()
    };
    from_text(&read("tests/fixtures/seed_potou_2023.txt"), &opts)
        .unwrap()
        .report
}

#[test]
fn cleaning_the_seed_removes_pinyin_and_traditional_characters_and_keeps_the_numbers() {
    let raw = seed();
    assert!(
        texts(&raw).iter().any(|t| has_pinyin(t)),
        "the seed has pinyin to remove"
    );
    let cleaned = clean(&raw);
    for t in texts(&cleaned) {
        assert!(!has_pinyin(&t), "pinyin left in {t}");
        // simplified: converting again changes nothing
        assert_eq!(fast2s::convert(&t), t, "traditional characters left in {t}");
    }
    // the words the agency wrote, in simplified characters
    assert_eq!(cleaned.agency, "湛江市坡头区教育局");
    assert!(cleaned.overview.iter().any(|b| matches!(b, Block::Paragraph(p) if p.starts_with("2023年,坡头区教育局在坡头区委、区政府的领导下"))));
    assert!(cleaned.overview.iter().any(
        |b| matches!(b, Block::Table(t) if t.rows[0][0] == "公开信息" && t.rows[1][1] == "37")
    ));
    assert_eq!(cleaned.other, vec![Block::Paragraph("无".into())]);
    // headings now read as the template: no longer recorded as published
    assert!(cleaned.headings.is_empty(), "{:?}", cleaned.headings);
    // numbers unchanged
    assert_eq!(cleaned.proactive, raw.proactive);
    assert_eq!(cleaned.applications, raw.applications);
    assert_eq!(cleaned.review_litigation, raw.review_litigation);
    // validation no longer sees converter artifacts
    let f = nianbao::validate::validate(&cleaned, None);
    assert!(!f.iter().any(|x| x.rule == "T-08"), "{f:?}");
    // through the options, and on a JSON input
    let via_opts = from_text(
        &read("tests/fixtures/seed_potou_2023.txt"),
        &ImportOptions {
            agency: Some("湛江市坡頭區(qū)教育局".into()),
            clean: true,
            ..Default::default()
        },
    )
    .unwrap()
    .report;
    assert_eq!(via_opts, cleaned);
    let json = read("examples/potou-2023.json");
    let from_json = read_any(
        json.as_bytes(),
        "potou-2023.json",
        &ImportOptions {
            clean: true,
            ..Default::default()
        },
    )
    .unwrap()
    .report;
    assert!(texts(&from_json)
        .iter()
        .all(|t| !has_pinyin(t) && fast2s::convert(t) == *t));
}

#[test]
fn cleaning_leaves_clean_text_and_ordinary_brackets_alone() {
    let r = Report::from_json(&read("tests/fixtures/reports/pingtan_2023.json")).unwrap();
    assert_eq!(clean(&r), r);
    assert_eq!(
        nianbao::import::clean::clean_text("《办法(试行)》第(一)项、平台(app)"),
        "《办法(试行)》第(一)项、平台(app)"
    );
}

/// The second bundled example is the seed cleaned (`nianbao import examples/potou-2023.json
/// --clean`): it stays exactly that, numbers and all.
#[test]
fn the_bundled_clean_example_is_the_seed_cleaned() {
    let seed = Report::from_json(&read("examples/potou-2023.json")).unwrap();
    let bundled = read("examples/potou-2023-clean.json");
    assert_eq!(clean(&seed).to_json_string(), bundled);
    let bundled = Report::from_json(&bundled).unwrap();
    assert_eq!(bundled.agency, "湛江市坡头区教育局");
    assert!(texts(&bundled).iter().all(|t| !has_pinyin(t)));
}

/// `text::to_simplified` reads build.rs's copy of fast2s's table and sends text with a
/// context-dependent character to fast2s: the result must be fast2s's, character by character
/// and for the context rules (`乾隆` kept, `計畫` → 计划).
#[test]
fn to_simplified_is_fast2s() {
    use nianbao::text::to_simplified;
    for u in 0..=0x10FFFFu32 {
        let Some(c) = char::from_u32(u) else { continue };
        let s = format!("a{c}b");
        assert_eq!(to_simplified(&s), fast2s::convert(&s), "U+{u:04X}");
    }
    for s in [
        "乾隆年間",
        "乾燥",
        "答覆",
        "反覆",
        "看著",
        "著作",
        "計畫",
        "畫家",
        "憑藉",
        "藉口",
        "兒寬",
        "兒童",
        "幺麽",
        "於是",
        "樊於期",
        "瞭望",
        "瞭解",
        "鍾書",
        "鍾錶",
        "闔家",
        "讎定",
        "苧麻",
        "甚夥",
        "夥伴",
        "坡頭區(qū)教育局認(rèn)真貫徹",
        "",
        "a",
        "區",
    ] {
        assert_eq!(to_simplified(s), fast2s::convert(s), "{s}");
    }
}
