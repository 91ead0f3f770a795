//! Shared helpers for integration tests: locating external checkers (poppler, qpdf, LibreOffice,
//! the Python readers) and running the nianbao binary. A missing tool FAILS the test that needs
//! it, with how to install it (`./.ci/test.sh`): a check that cannot run never passes.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// How to get every tool the tests use.
const INSTALL: &str =
    "run ./.ci/test.sh to install the test tools (poppler, qpdf, LibreOffice, the Python venv)";

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Always true: a missing tool fails the test (kept for callers that assert on it).
pub fn tools_required() -> bool {
    true
}

/// Finds an executable on PATH; a missing one fails the test.
pub fn require_tool(name: &str) -> PathBuf {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    });
    found.unwrap_or_else(|| panic!("{name} is not installed; {INSTALL}"))
}

/// [`require_tool`] for callers written as `let Some(x) = tool(..) else { return }`: always
/// `Some`; a missing tool fails the test.
pub fn tool(name: &str) -> Option<PathBuf> {
    Some(require_tool(name))
}

/// The Python with python-docx/openpyxl: NIANBAO_PYTHON, else target/test-venv. Missing: the
/// test fails.
pub fn require_python() -> PathBuf {
    let p = std::env::var_os("NIANBAO_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/test-venv/bin/python"));
    assert!(
        p.is_file(),
        "no Python with the test readers at {} (set NIANBAO_PYTHON); {INSTALL}",
        p.display()
    );
    p
}

/// [`require_python`] for callers written with `let Some(..) = python() else { return }`:
/// always `Some`.
pub fn python() -> Option<PathBuf> {
    Some(require_python())
}

/// Runs the nianbao binary built for this test run.
pub fn nianbao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run nianbao")
}

/// Exports an example (path relative to the root) to `target` ("pdf", "docx", "xlsx") in a
/// fresh directory under target/test-out/<tag>, returning the file's path.
pub fn export(example: &str, target: &str, tag: &str) -> PathBuf {
    let dir = root().join("target/test-out").join(tag);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let out = nianbao(&[
        "export",
        example,
        "--to",
        target,
        "--out-dir",
        dir.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(
        out.status.success(),
        "export {example} to {target} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stem = Path::new(example).file_stem().unwrap().to_string_lossy();
    dir.join(format!("{stem}.{target}"))
}

/// The bundled examples.
pub fn examples() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| format!("examples/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    v.sort();
    v
}

/// Converts files with LibreOffice (`soffice --headless --convert-to TARGET`) using a private
/// profile, into `out`. LibreOffice occasionally exits without writing anything (for example
/// while another instance starts up); inputs with no output file (matched by file stem) are
/// converted again, up to three times, and a final miss fails with LibreOffice's log.
/// Always `Some`; a missing soffice fails the test.
pub fn soffice_convert(profile: &Path, target: &str, out: &Path, files: &[PathBuf]) -> Option<()> {
    let soffice = tool("soffice")?;
    std::fs::create_dir_all(out).unwrap();
    let converted = |f: &PathBuf| {
        let stem = f.file_stem().unwrap().to_string_lossy().into_owned();
        std::fs::read_dir(out)
            .unwrap()
            .filter_map(|e| e.ok())
            .any(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name == stem
                    || name.starts_with(&format!("{stem}."))
                    || name.starts_with(&format!("{stem}-"))
            })
    };
    let mut log = String::new();
    for _attempt in 0..3 {
        let missing: Vec<&PathBuf> = files.iter().filter(|f| !converted(f)).collect();
        if missing.is_empty() {
            return Some(());
        }
        let run = Command::new(&soffice)
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .args(["--headless", "--convert-to", target, "--outdir"])
            .arg(out)
            .args(missing)
            .output()
            .expect("run soffice");
        log.push_str(&String::from_utf8_lossy(&run.stdout));
        log.push_str(&String::from_utf8_lossy(&run.stderr));
    }
    let missing: Vec<&PathBuf> = files.iter().filter(|f| !converted(f)).collect();
    assert!(
        missing.is_empty(),
        "LibreOffice converted nothing for {missing:?}:\n{log}"
    );
    Some(())
}

/// Runs the nianbao binary with `input` on standard input (stdout and stderr captured).
pub fn nianbao_stdin(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run nianbao");
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// Fails with the command's stderr unless it succeeded.
pub fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `python -c script args…` with the test Python; fails with its stderr unless it
/// succeeded; returns its stdout.
pub fn python_c<S: AsRef<std::ffi::OsStr>>(script: &str, args: &[S]) -> Vec<u8> {
    let out = Command::new(require_python())
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Writes `code` to `dir/name`, runs it with the test Python on `args` and reads its stdout as
/// JSON; fails with its stderr unless it succeeded.
pub fn python_json(dir: &Path, name: &str, code: &str, args: &[&Path]) -> serde_json::Value {
    let script = dir.join(name);
    std::fs::write(&script, code).unwrap();
    let run = Command::new(require_python())
        .arg(&script)
        .args(args)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{name} failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&run.stdout).unwrap()
}

/// Runs openxml-audit (`tool`) on an Office file: whether it found no error, and its output.
pub fn openxml_audit(tool: &Path, file: &Path) -> (bool, String) {
    let out = Command::new(tool)
        .args(["-m", "0"])
        .arg(file)
        .output()
        .expect("run openxml-audit");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success() && text.contains("Errors: 0"), text)
}

/// A LibreOffice profile setting that recalculates OOXML formulas on load.
pub const RECALC_PROFILE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#;

/// Makes `profile` a LibreOffice profile that recalculates on load ([`RECALC_PROFILE`]).
pub fn recalc_profile(profile: &Path) {
    std::fs::create_dir_all(profile.join("user")).unwrap();
    std::fs::write(
        profile.join("user/registrymodifications.xcu"),
        RECALC_PROFILE,
    )
    .unwrap();
}

// ---------------------------------------------------------------------------------------------
// Report JSON.

/// The report fields besides the sections, in the order the JSON writes them.
pub const REPORT_FIELDS: [&str; 8] = [
    "format",
    "agency",
    "year",
    "title",
    "level",
    "published",
    "headings",
    "preamble",
];

/// The six sections' keys, in report order.
pub const SECTION_KEYS: [&str; 6] = [
    "overview",
    "proactive",
    "applications",
    "review_litigation",
    "problems",
    "other",
];

/// Table 三's applicant columns, in order.
pub const APPLICANT_COLUMNS: [&str; 7] = [
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
    "total",
];

/// An example's report JSON as nianbao writes it back (path relative to the root).
pub fn original(example: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(root().join(example)).unwrap();
    nianbao::Report::from_json(&text).unwrap().to_json()
}

/// The leaves of a JSON value under `path`: dotted path and value, objects in key order.
pub fn leaves(v: &serde_json::Value, path: &str, out: &mut Vec<(String, serde_json::Value)>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                leaves(x, &format!("{path}.{k}"), out);
            }
        }
        _ => out.push((path.to_string(), v.clone())),
    }
}

// ---------------------------------------------------------------------------------------------
// Packages.

/// A zip package of the given parts (deflated).
pub fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in parts {
            z.start_file(*name, opts).unwrap();
            z.write_all(data).unwrap();
        }
        z.finish().unwrap();
    }
    out.into_inner()
}

/// An OLE2 compound file header followed by a directory entry name.
pub fn ole_with(stream: &str) -> Vec<u8> {
    let mut v = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    v.resize(512, 0);
    v.extend(stream.encode_utf16().flat_map(|u| u.to_le_bytes()));
    v.resize(2048, 0);
    v
}

/// Copies a package from `src` to `dst`, each part's bytes passed through `f(name, bytes)`.
pub fn rewrite_parts(src: &Path, dst: &Path, f: impl Fn(&str, Vec<u8>) -> Vec<u8>) {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut zout = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    for i in 0..zin.len() {
        let mut e = zin.by_index(i).unwrap();
        let mut s = Vec::new();
        e.read_to_end(&mut s).unwrap();
        let entry = e.name().unwrap().into_owned();
        zout.start_file(entry.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        zout.write_all(&f(&entry, s)).unwrap();
    }
    zout.finish().unwrap();
}

/// The shared web pages (tests/fixtures/import/*.html) by name, and their paths.
pub fn web_page_fixtures() -> ([&'static str; 4], Vec<PathBuf>) {
    let names = [
        "fixture_city_2025",
        "pingtan_2023",
        "shanghai_gov_office_2019",
        "shuyang_fgj_2023",
    ];
    let html = names
        .iter()
        .map(|n| root().join(format!("tests/fixtures/import/{n}.html")))
        .collect();
    (names, html)
}
