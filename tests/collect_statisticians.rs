//! `nianbao collect` as statisticians use it (issue 12 items 9–13, issue 15 item 3): the CSV
//! bytes, duplicates and conflicts, tidy columns, the roster of who is missing, the 考核 sheet.
//! Each test reads the real files back (the CSV bytes, openpyxl).

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fresh(tag: &str) -> PathBuf {
    let dir = common::root().join("target/test-out").join(tag);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(args: &[&str]) -> Output {
    common::nianbao(args)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs a Python snippet with the test venv (argv[1..] = `args`), returning its JSON output.
fn py(dir: &Path, name: &str, code: &str, args: &[&Path]) -> Value {
    let python = common::require_python();
    let script = dir.join(name);
    std::fs::write(&script, code).unwrap();
    let run = Command::new(python)
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

/// Item 9: the CSVs are UTF-8 with BOM by default (Excel on Chinese Windows reads them as
/// UTF-8), and `--csv-encoding utf-8|gb18030` gives the other two encodings.
#[test]
fn csv_encodings() {
    let dir = fresh("collect_csv_encoding");
    let agency = "示例县人民政府办公室";
    let csv = |enc: Option<&str>| -> (Vec<u8>, Vec<u8>) {
        let tag = enc.unwrap_or("default");
        let wide = dir.join(format!("wide-{tag}.csv"));
        let long = dir.join(format!("long-{tag}.csv"));
        let xlsx = dir.join(format!("c-{tag}.xlsx"));
        let mut args = vec![
            "collect",
            "examples/demo-city-2024.json",
            "-o",
            xlsx.to_str().unwrap(),
            "--csv-wide",
            wide.to_str().unwrap(),
            "--csv-long",
            long.to_str().unwrap(),
        ];
        if let Some(e) = enc {
            args.extend(["--csv-encoding", e]);
        }
        let out = run(&args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        (std::fs::read(wide).unwrap(), std::fs::read(long).unwrap())
    };
    let report = nianbao::Report::from_json(
        &std::fs::read_to_string(common::root().join("examples/demo-city-2024.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(report.agency, agency);
    let (wide, long) = csv(None);
    for bytes in [&wide, &long] {
        assert_eq!(bytes[..3], [0xEF, 0xBB, 0xBF], "no UTF-8 BOM");
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        assert!(text.starts_with("file,"), "{}", &text[..20]);
        assert!(text.contains(agency));
    }
    let (wide8, _) = csv(Some("utf-8"));
    assert_eq!(wide8, wide[3..]);
    let (wide_gb, long_gb) = csv(Some("gb18030"));
    for (gb, utf) in [(&wide_gb, &wide), (&long_gb, &long)] {
        let (text, _, bad) = encoding_rs::GB18030.decode(gb);
        assert!(!bad);
        assert_eq!(text.as_bytes(), &utf[3..]);
        assert!(
            gb.windows(4).any(|w| w == [0xCA, 0xBE, 0xC0, 0xFD]),
            "示例 not in GB 18030"
        );
    }
    let out = run(&[
        "collect",
        "examples/demo-city-2024.json",
        "-o",
        dir.join("x.xlsx").to_str().unwrap(),
        "--csv-encoding",
        "latin1",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("gb18030"), "{}", stderr(&out));
}
