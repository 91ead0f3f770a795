//! `import`: published reports (web pages, crawler text, PDFs, and report JSON to clean or
//! re-date) into report JSON. Each input succeeds or fails on its own; the import log goes to
//! standard error (text, or one JSON array with `--log-format json`). Exit 0 when every
//! statutory cell of every input was read, 1 when some were not (the JSON is still written, with
//! those cells `null`), 2 when an input is not a report or cannot be read, 3 when an output
//! cannot be written: the worst of the inputs.

use super::args::{ImportArgs, LogFormat};
use super::batch::{self, Record, Status, Summary};
use super::console::Console;
use super::error::{CliError, Exit};
use super::read::{load_with, Loaded};
use nianbao::files::{self, Destination, OutputSet};
use nianbao::import::{ImportLog, ImportOptions, LogKind, SourceKind};
use nianbao::input::Source;
use serde::Serialize;
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The outcome of one input, as printed with `--log-format json`.
#[derive(Serialize)]
pub struct ImportRecord {
    /// The input as named (`-` for standard input).
    pub input: String,
    /// Where the report JSON went (`<stdout>` for standard output), if it was written.
    pub output: Option<String>,
    /// The kind the input was read as (`html`, `text`, `pdf`, `json`, …).
    pub kind: Option<SourceKind>,
    /// The report's format id, once read.
    pub format: Option<String>,
    /// `complete` (every statutory cell read), `incomplete` (some `null`), `unreadable` (not a
    /// report or cannot be read), `unwritten` (the output could not be written).
    pub status: &'static str,
    /// Why the input failed, if it did.
    pub error: Option<String>,
    /// Log entries by kind (`unread`, `ambiguous`, `unmatched_label`, `note`).
    pub counts: BTreeMap<LogKind, usize>,
    /// The import log.
    pub log: ImportLog,
}

/// Log entries counted by kind.
pub fn log_counts(log: &ImportLog) -> BTreeMap<LogKind, usize> {
    let mut counts = BTreeMap::new();
    for e in &log.entries {
        *counts.entry(e.kind).or_insert(0) += 1;
    }
    counts
}

/// Where the imported JSON of an input goes.
enum Target {
    /// `-o FILE|-`, or standard output by default for one input.
    Given(Destination),
    /// `--out-dir DIR`: `<stem>.json`, or for standard input `<agency>-<year>.json`.
    Dir(PathBuf),
}

/// Runs `import`.
pub fn run(a: ImportArgs, console: &mut Console) -> Result<Exit, CliError> {
    if a.output.is_some() && a.inputs.len() != 1 {
        return Err(CliError::Usage(
            "-o/--output 只能用于一个输入（多个时用 --out-dir）/ --output needs exactly one input; use --out-dir".into(),
        ));
    }
    if a.output.is_none() && a.out_dir.is_none() && a.inputs.len() > 1 {
        return Err(CliError::Usage(
            "多个输入需要 --out-dir 指定输出目录 / several inputs need --out-dir".into(),
        ));
    }
    let opts = ImportOptions {
        format: a.format,
        agency: a.agency,
        year: a.year,
        clean: a.clean,
    };
    let target = match (&a.out_dir, a.output) {
        (Some(dir), _) => Target::Dir(dir.clone()),
        (None, Some(o)) => Target::Given(Destination::from_arg(o)),
        (None, None) => Target::Given(Destination::Stdout),
    };
    let sources: Vec<Source> = a.inputs.into_iter().map(Source::from_arg).collect();
    if let Target::Dir(_) = &target {
        check_stems(&sources)?;
    }
    let report_json = a.batch.report_json.clone().map(Destination::from_arg);
    if let Some(dest) = &report_json {
        let inputs: Vec<&Path> = sources.iter().filter_map(Source::path).collect();
        files::check_distinct(&inputs, &[dest])?;
    }
    let names: Vec<String> = sources.iter().map(Source::to_string).collect();
    let from = a.from.kind();
    let log_format = a.log_format;
    let mut summary = Summary::default();
    let mut records = Vec::new();
    let mut details = Vec::new();
    let mut to_stdout = Vec::new();
    batch::run(
        &names,
        a.batch.jobs_for(sources.len()),
        a.batch.fail_fast,
        |i| {
            let (status, record, stdout) = import_one(&sources[i], &target, from, &opts);
            let mut r = Record::new(record.input.clone());
            r.status = status;
            r.error = record.error.clone();
            r.count_log(&record.log);
            r.outputs
                .extend(record.output.clone().filter(|o| o != "<stdout>"));
            r.stdout = stdout;
            if log_format == LogFormat::Text {
                r.messages = text_lines(&record);
            }
            r.detail = serde_json::to_value(&record).ok();
            r
        },
        |mut r| {
            to_stdout.append(&mut r.stdout);
            details.extend(r.detail.take());
            batch::finish(
                console,
                r,
                &mut summary,
                report_json.as_ref().map(|_| &mut records),
            );
        },
    );
    console.data(&to_stdout)?;
    if log_format == LogFormat::Json {
        let text = serde_json::to_string_pretty(&details).unwrap_or_default();
        console.note_json(&text);
    } else if sources.len() > 1 {
        console.say(&summary.line());
    }
    if let Some(dest) = &report_json {
        batch::write_report_json(dest, &records)?;
    }
    Ok(summary.exit())
}

/// Two file inputs with the same stem would write the same `<stem>.json`: refused before
/// anything is read.
fn check_stems(sources: &[Source]) -> Result<(), CliError> {
    let mut seen: Vec<(OsString, String)> = Vec::new();
    for s in sources {
        let Some(stem) = stem_of(s) else { continue };
        if let Some((_, first)) = seen.iter().find(|(x, _)| *x == stem) {
            return Err(CliError::Usage(format!(
                "{first} 与 {s} 的输出文件同名（{}.json），会互相覆盖；请分批导入到不同的 --out-dir (two inputs would write the same output file)",
                stem.to_string_lossy()
            )));
        }
        seen.push((stem, s.to_string()));
    }
    Ok(())
}

fn stem_of(source: &Source) -> Option<OsString> {
    source
        .path()
        .and_then(Path::file_stem)
        .filter(|s| *s != "." && *s != "..")
        .map(|s| s.to_os_string())
}

/// Imports one input and writes its JSON; never fails the run, only this input.
fn import_one(
    source: &Source,
    target: &Target,
    from: Option<SourceKind>,
    opts: &ImportOptions,
) -> (Status, ImportRecord, Vec<u8>) {
    let mut record = ImportRecord {
        input: source.to_string(),
        output: None,
        kind: None,
        format: None,
        status: "unreadable",
        error: None,
        counts: BTreeMap::new(),
        log: ImportLog::default(),
    };
    let loaded = match load_with(source, from, opts) {
        Ok(l) => l,
        Err(e) => {
            record.error = Some(e.to_string());
            return (Status::of_error(&e), record, Vec::new());
        }
    };
    let Loaded { report, log, kind } = loaded;
    record.kind = Some(kind);
    record.format = Some(report.format.clone());
    record.counts = log_counts(&log);
    let complete = log.complete();
    record.log = log;
    let dest = match target {
        Target::Given(d) => d.clone(),
        Target::Dir(dir) => {
            // Made when the first input is written: a run with nothing to write leaves no folder.
            if let Err(error) = std::fs::create_dir_all(dir) {
                let e = CliError::OutDir {
                    dir: dir.display().to_string(),
                    error,
                };
                record.status = "unwritten";
                record.error = Some(e.to_string());
                return (Status::of_error(&e), record, Vec::new());
            }
            let mut name = stem_of(source).unwrap_or_else(|| {
                files::safe_file_name(&format!("{}-{}", report.agency, report.year)).into()
            });
            name.push(".json");
            Destination::Path(dir.join(name))
        }
    };
    let text = report.to_json_string();
    let mut stdout = Vec::new();
    let written = files::check_distinct(&source.path().into_iter().collect::<Vec<_>>(), &[&dest])
        .map_err(CliError::from)
        .and_then(|()| match &dest {
            Destination::Stdout => {
                stdout = text.into_bytes();
                Ok(())
            }
            Destination::Path(_) => {
                let mut set = OutputSet::new();
                set.stage(&dest, text.as_bytes())?;
                Ok(set.commit()?)
            }
        });
    if let Err(e) = written {
        record.status = "unwritten";
        record.error = Some(e.to_string());
        return (Status::of_error(&e), record, Vec::new());
    }
    record.output = Some(dest.to_string());
    if complete {
        record.status = "complete";
        (Status::Ok, record, stdout)
    } else {
        record.status = "incomplete";
        (Status::Invalid, record, stdout)
    }
}

/// The import log of one input as lines for standard error.
fn text_lines(r: &ImportRecord) -> Vec<String> {
    if let Some(e) = &r.error {
        if e.starts_with(&format!("{}: ", r.input)) {
            return vec![format!("nianbao: {e}")];
        }
        return vec![format!("nianbao: {}: {e}", r.input)];
    }
    let mut lines: Vec<String> = r
        .log
        .findings()
        .iter()
        .map(|f| format!("{}: {f}", r.input))
        .collect();
    let unread = r.counts.get(&LogKind::Unread).copied().unwrap_or(0);
    let output = r.output.as_deref().unwrap_or("");
    lines.push(if unread == 0 {
        format!(
            "{}: → {output}（统计表单元格全部读出 every statutory cell read）",
            r.input
        )
    } else {
        format!(
            "{}: → {output}（{unread} 个统计表单元格未读出，已写为 null；{unread} statutory cells not read, written as null）",
            r.input
        )
    });
    lines
}
