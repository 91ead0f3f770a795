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

/// A workbook (nianbao's export workbook, mutated by the `xlsx` fuzzer, 3 December 2026) whose
/// zip two versions of the `zip` crate read differently: nianbao's package reader (zip 8) found
/// its parts sound, calamine (zip 9) read a sheet with a reversed merged range from it and
/// panicked on `u32` overflow in the fuzz build. Both now read the package with one `zip`, every
/// entry is inflated and checked before calamine starts, and this one's first entry is damaged.
#[test]
fn xlsx_whose_zip_reads_two_ways_is_refused_as_damaged() {
    let err = nianbao::import::from_xlsx(
        &fixture("xlsx-zip-read-two-ways.xlsx"),
        &nianbao::import::ImportOptions::default(),
    )
    .expect_err("a damaged package");
    assert_eq!(err.exit_code(), 2);
    let msg = err.to_string();
    assert!(msg.contains("第 1 个条目无法打开"), "{msg}");
}

/// The `[patch.crates-io]` lines of a Cargo.toml: `(crate, path)` pairs, in order.
fn patches(manifest: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line == "[patch.crates-io]";
            continue;
        }
        if !inside || line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, rest) = line.split_once('=').expect("a `name = { path = … }` line");
        let path = rest
            .split('"')
            .nth(1)
            .unwrap_or_else(|| panic!("no path in {line:?}"));
        out.push((name.trim().to_string(), path.to_string()));
    }
    out
}

/// The fuzz crate is a workspace of its own, so the main crate's `[patch.crates-io]` (the vendored,
/// patched crates: krilla, rust_xlsxwriter, subsetter, zlib-rs) does not reach it: without the same list in
/// fuzz/Cargo.toml, `cargo afl build` fetched the published crates and failed to compile (the
/// main crate calls functions only the patched krilla has). Each vendored crate must be patched in
/// both, with the fuzz crate's path one level up.
#[test]
fn the_fuzz_crate_patches_the_same_vendored_crates() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap();
    let main = patches(&read("Cargo.toml"));
    let fuzz = patches(&read("fuzz/Cargo.toml"));
    assert!(!main.is_empty(), "the main Cargo.toml patches no crate");
    let expected: Vec<(String, String)> = main
        .iter()
        .map(|(name, path)| (name.clone(), format!("../{path}")))
        .collect();
    assert_eq!(fuzz, expected, "fuzz/Cargo.toml's [patch.crates-io]");
}
