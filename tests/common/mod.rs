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
