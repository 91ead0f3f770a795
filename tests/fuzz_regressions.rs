//! Inputs the fuzzers (fuzz/, issue 14 item 8) found to crash or hang, kept as regression tests.
//! Each input is in tests/fixtures/fuzz/; each test states the one outcome expected of it.
//!
//! The instrumented fuzz build runs with overflow checks and debug assertions, so some of these
//! were panics there and silent wrong results in a release build: the tests check the result,
//! which fails in both builds before the fix.

use nianbao::import::{docx_doc, SourceBlock};
use std::path::PathBuf;

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn texts(doc: &nianbao::import::SourceDoc) -> Vec<String> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            SourceBlock::Text(t) => Some(t.text.clone()),
            _ => None,
        })
        .collect()
}

/// A Word list that starts at 4294967295 (`<w:start w:val="4294967295"/>`, the largest
/// counter) and numbers two paragraphs: the counter overflowed (a panic in the fuzz build, the
/// label `0、` in a release build). It now stays at the largest value.
#[test]
fn docx_numbering_counter_at_its_maximum_stays_there() {
    let (doc, _notes) = docx_doc(&fixture("docx-numbering-overflow.docx")).unwrap();
    let texts = texts(&doc);
    let numbered: Vec<&String> = texts
        .iter()
        .filter(|t| t.starts_with("4294967295、"))
        .collect();
    assert_eq!(
        numbered,
        ["4294967295、总体情况", "4294967295、第二项"],
        "{texts:?}"
    );
}
