//! `collect`: many reports into one workbook (and CSVs), written together as one output set.

use super::args::{CollectArgs, CsvEncodingArg};
use super::batch::{self, Record, Status, Summary};
use super::console::Console;
use super::error::{CliError, Exit};
use nianbao::files::{self, Destination, OutputSet};
use nianbao::{collect, csv, input};
use std::path::Path;
use std::sync::OnceLock;

/// Runs `collect`: every input read in `--jobs` threads, each on its own (one record per input
/// for `--report-json`, in input order); the exit code is the worst outcome: 0 every file read
/// and valid, 1 some report with validation errors, 2 some file not readable (listed on
/// standard error and in the sheet `未读入`) or none readable, 3 an output not written. With
/// `--fail-fast` nothing is read after the first failure and no workbook is written.
pub fn run(a: CollectArgs, console: &mut Console) -> Result<Exit, CliError> {
    let output = Destination::from_arg(a.output);
    let csv_long = a.csv_long.map(Destination::from_arg);
    let csv_wide = a.csv_wide.map(Destination::from_arg);
    let report_json = a.batch.report_json.clone().map(Destination::from_arg);
    let found = collect::expand_inputs(&a.inputs);
    let mut inputs: Vec<&Path> = found.files.iter().map(|p| p.as_path()).collect();
    inputs.extend(a.roster.as_deref());
    let mut dests = vec![&output];
    dests.extend(csv_long.iter());
    dests.extend(csv_wide.iter());
    dests.extend(report_json.iter());
    files::check_distinct(&inputs, &dests)?;
    let given: Vec<&Path> = a.inputs.iter().map(|p| p.as_path()).collect();
    let places = config_places(&given);
    let places: Vec<&Path> = places.iter().map(|p| p.as_path()).collect();
    let policy = a.lints.policy(&places)?;

    let roster = match &a.roster {
        Some(p) => Some(collect::Roster::parse(
            &input::read_file(p)
                .and_then(input::decode)
                .map_err(|error| CliError::Read {
                    file: p.display().to_string(),
                    error,
                })?,
        )),
        None => None,
    };
    let collect::Inputs {
        files: paths,
        skipped: mut unread,
        ignored,
    } = found;
    let mut summary = Summary::default();
    let mut records = Vec::new();
    let mut keep = |console: &Console, r: Record, summary: &mut Summary| {
        batch::finish(
            console,
            r,
            summary,
            report_json.as_ref().map(|_| &mut records),
        )
    };
    // Paths that do not exist and folders that cannot be read come first, as on `未读入`.
    for s in &unread {
        let mut r = Record::outside(s.file.clone());
        r.status = Status::Unreadable;
        skip_message(&mut r, &s.error);
        keep(console, r, &mut summary);
    }
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let read: Vec<OnceLock<Result<collect::Entry, collect::Skipped>>> =
        paths.iter().map(|_| OnceLock::new()).collect();
    // Inputs whose processing panicked (a bug): listed on `未读入` like an unreadable file.
    let mut internal: Vec<(String, String)> = Vec::new();
    if a.batch.fail_fast && summary.exit() != Exit::Success {
        for name in &names {
            let mut r = Record::outside(name.clone());
            r.status = Status::NotRun;
            keep(console, r, &mut summary);
        }
    } else {
        batch::run(
            &names,
            a.batch.jobs_for(names.len()),
            a.batch.fail_fast,
            |i| {
                let mut r = Record::new(names[i].clone());
                batch::test_panic(&paths[i]);
                let result = collect::read_input(&paths[i], &policy);
                match &result {
                    Ok((e, log)) => {
                        r.count(&e.findings);
                        r.count_log(log);
                        r.status = Status::of_findings(&e.findings);
                    }
                    Err(s) => {
                        r.status = Status::Unreadable;
                        skip_message(&mut r, &s.error);
                    }
                }
                let _ = read[i].set(result.map(|(e, _)| e));
                r
            },
            |r| {
                if r.status == Status::InternalError {
                    internal.push((r.input.clone(), r.error.clone().unwrap_or_default()));
                }
                keep(console, r, &mut summary)
            },
        );
    }
    let written = if a.batch.fail_fast && summary.exit() != Exit::Success {
        console.say(
            "--fail-fast：遇到失败已停止，未写出工作簿 (stopped at the first failure; no workbook written)",
        );
        Ok(())
    } else {
        let mut entries = Vec::new();
        let mut internal = internal.into_iter().peekable();
        for (r, name) in read.into_iter().map(OnceLock::into_inner).zip(&names) {
            match r {
                Some(Ok(e)) => entries.push(e),
                Some(Err(s)) => unread.push(s),
                // Not read: its processing panicked (records come in input order).
                None => {
                    if let Some((_, error)) = internal.next_if(|(n, _)| n == name) {
                        let error = error
                            .strip_prefix(&format!("{name}: "))
                            .unwrap_or(&error)
                            .to_string();
                        unread.push(collect::Skipped {
                            file: name.clone(),
                            error,
                        });
                    }
                }
            }
        }
        let opts = collect::CollectOptions {
            roster,
            lints: policy,
        };
        write(
            entries,
            unread,
            ignored,
            opts,
            &Outputs {
                output: &output,
                csv_long: csv_long.as_ref(),
                csv_wide: csv_wide.as_ref(),
                csv_encoding: a.csv_encoding,
            },
            console,
        )
    };
    console.say(&summary.line());
    if let Some(dest) = &report_json {
        batch::write_report_json(dest, &records)?;
    }
    written?;
    Ok(summary.exit())
}

/// Marks a record as a file skipped, with the message `collect` has always printed.
fn skip_message(r: &mut Record, error: &str) {
    r.error = Some(format!("{}: {error}", r.input));
    r.messages
        .push(format!("nianbao: {}: 已跳过 skipped: {error}", r.input));
}

/// Writes one of the collection's CSVs.
type WriteCsv =
    fn(&collect::Collection, &mut dyn std::io::Write, csv::Encoding) -> std::io::Result<()>;

/// Where the collection goes.
struct Outputs<'a> {
    output: &'a Destination,
    csv_long: Option<&'a Destination>,
    csv_wide: Option<&'a Destination>,
    csv_encoding: CsvEncodingArg,
}

/// Writes the workbook (and CSVs) of the entries read, then the closing lines.
fn write(
    entries: Vec<collect::Entry>,
    unread: Vec<collect::Skipped>,
    ignored: Vec<collect::Skipped>,
    opts: collect::CollectOptions,
    o: &Outputs,
    console: &mut Console,
) -> Result<(), CliError> {
    let c = collect::collection_of(entries, unread, ignored, opts);
    for s in &c.ignored {
        console.say(&format!("{}: 已忽略 ignored: {}", s.file, s.error));
    }
    if c.entries.is_empty() {
        return Err(CliError::NothingCollected);
    }
    let (output, csv_long, csv_wide) = (o.output, o.csv_long, o.csv_wide);
    let encoding = o.csv_encoding.into();
    // Files as one set; what goes to standard output goes through the console after them.
    // The workbook and the CSVs are written straight to their temporary files (the CSVs line
    // by line), never held whole in memory.
    let mut set = OutputSet::new();
    let mut to_stdout: Vec<u8> = Vec::new();
    let mut failed = None;
    let mut xlsx = |f: &mut dyn nianbao::files::Staging| {
        c.write_xlsx_to(f).map_err(|error| {
            let e = std::io::Error::other(error.to_string());
            failed = Some(error);
            e
        })
    };
    let staged = match output {
        Destination::Stdout => {
            let mut buf = std::io::Cursor::new(Vec::new());
            let r = xlsx(&mut buf);
            to_stdout = buf.into_inner();
            r.map_err(|source| nianbao::files::WriteError {
                dest: Destination::Stdout,
                source,
            })
        }
        d => set.stage_seekable(d, xlsx),
    };
    if let Some(error) = failed {
        return Err(CliError::Export {
            file: output.to_string(),
            error,
        });
    }
    staged?;
    let csvs: [(Option<&Destination>, WriteCsv); 2] = [
        (csv_long, |c, w, e| c.write_long_csv(w, e)),
        (csv_wide, |c, w, e| c.write_wide_csv(w, e)),
    ];
    for (dest, write) in csvs {
        match dest {
            Some(Destination::Stdout) => {
                to_stdout.clear();
                write(&c, &mut to_stdout, encoding).map_err(|source| {
                    nianbao::files::WriteError {
                        dest: Destination::Stdout,
                        source,
                    }
                })?;
            }
            Some(d) => set.stage_with(d, |w| write(&c, w, encoding))?,
            None => {}
        }
    }
    set.commit()?;
    console.data(&to_stdout)?;
    for d in &c.duplicates {
        let line = match d.kind {
            collect::DuplicateKind::Duplicate => format!(
                "{}: 重复报告，与 {} 相同，只计一次 (duplicate of {}, counted once)",
                d.file, d.first, d.first
            ),
            collect::DuplicateKind::Conflict => format!(
                "{}: 冲突：{} {} 年已有报告 {}，数字不同（{} 处），两份均已计入 (conflict with {}: {} cells differ; both kept)",
                d.file,
                d.agency,
                d.year,
                d.first,
                d.differing.len(),
                d.first,
                d.differing.len()
            ),
        };
        console.say(&line);
    }
    if let Some(r) = &c.roster {
        for (year, names) in &r.missing {
            if !names.is_empty() {
                console.say(&format!(
                    "{year} 年未报送 {} 个机关 (missing {}): {}",
                    names.len(),
                    names.len(),
                    names.join("、")
                ));
            }
        }
        for (year, agency, file) in &r.unknown {
            console.say(&format!(
                "{file}: {agency}（{year} 年）不在名单中 (not on the roster)"
            ));
        }
    }
    let groups = c.groups().len();
    let duplicates = c
        .duplicates
        .iter()
        .filter(|d| d.kind == collect::DuplicateKind::Duplicate)
        .count();
    let conflicts = c.duplicates.len() - duplicates;
    console.say(&format!(
        "汇集 {} 份报告，跳过 {} 个文件，重复 {} 份（只计一次），冲突 {} 份；合计按年度和格式分 {} 组 → {} (collected {}, skipped {}, duplicates {}, conflicts {}; totals within one year and format: {} groups)",
        c.entries.len(),
        c.skipped.len(),
        duplicates,
        conflicts,
        groups,
        output,
        c.entries.len(),
        c.skipped.len(),
        duplicates,
        conflicts,
        groups
    ));
    if let Some(r) = &c.roster {
        console.say(&format!(
            "名单核对：未报送 {} 个，名单外报告 {} 份 (roster: {} missing, {} not on the roster)",
            r.missing_count(),
            r.unknown.len(),
            r.missing_count(),
            r.unknown.len()
        ));
    }
    Ok(())
}

/// Where a `nianbao.toml` is looked for: inside each folder given, beside each file given.
fn config_places(given: &[&Path]) -> Vec<std::path::PathBuf> {
    given
        .iter()
        .map(|p| {
            if p.is_dir() {
                p.join("x")
            } else {
                p.to_path_buf()
            }
        })
        .collect()
}
