//! `diff`: a report against last year's (`nianbao diff PREVIOUS CURRENT`), or two folders of
//! reports paired by agency (`nianbao diff --pairs LAST_DIR THIS_DIR -o comparison.xlsx`).
//! Inputs are anything the importer reads; outputs are written as one set.
//!
//! Exit codes: 0 written (or printed); 2 an input unreadable (`--pairs`: the worst outcome of
//! a batch, a file skipped, or none readable) or bad usage; 3 an output could not be written.

use super::args::TargetArg;
use super::batch::{self as runs, BatchArgs, Record, Status, Summary};
use super::console::Console;
use super::error::{CliError, Exit};
use clap::{Args, ValueEnum};
use nianbao::diff::{self, batch};
use nianbao::export::{self, ExportOptions, Target};
use nianbao::files::{self, Destination, OutputSet};
use nianbao::import::{read_any, ImportOptions, Imported};
use nianbao::input::{self, Source};
use nianbao::Report;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// `--format` of `diff`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// A short summary.
    Text,
    /// The comparison as JSON, for scripts.
    Json,
}

/// `diff`.
#[derive(Args)]
pub struct DiffArgs {
    /// 上年报告与本年报告（JSON、HTML、文本、PDF、DOCX、XLSX）/ Last year's and this year's report (any readable input)
    #[arg(num_args = 2, value_names = ["PREVIOUS", "CURRENT"], required_unless_present = "pairs", conflicts_with = "pairs")]
    pub reports: Vec<OsString>,
    /// 按机关名称配对两个目录中的报告 / Pair the reports of two folders by agency name
    #[arg(long, num_args = 2, value_names = ["LAST_DIR", "THIS_DIR"])]
    pub pairs: Option<Vec<PathBuf>>,
    /// 输出格式，逗号分隔 / Formats of the comparison document, comma-separated
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        ignore_case = true,
        conflicts_with = "pairs"
    )]
    pub to: Vec<TargetArg>,
    /// 输出目录 / Output directory
    #[arg(long, default_value = ".", conflicts_with = "pairs")]
    pub out_dir: PathBuf,
    /// 打印格式（不写文件时）/ What is printed on standard output
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// 配对结果工作簿（--pairs）；- 表示标准输出 / The workbook of --pairs; - for stdout
    #[arg(short, long, requires = "pairs")]
    pub output: Option<OsString>,
    /// Batch options: `--jobs` also sets the threads of one comparison (reading, validating and
    /// writing the formats side by side; the output is the same whatever the number);
    /// `--fail-fast` and `--report-json` need `--pairs`.
    #[command(flatten)]
    pub batch: BatchArgs,
}

/// Reads one report of any kind the importer knows.
fn read(source: &Source) -> Result<Report, CliError> {
    read_logged(source).map(|i| i.report)
}

/// [`read`], with the import log.
fn read_logged(source: &Source) -> Result<Imported, CliError> {
    let file = source.to_string();
    let bytes = match source {
        Source::File(p) => input::read_file(p),
        Source::Stdin => input::read_text(source).map(String::into_bytes),
    }
    .map_err(|error| CliError::Read {
        file: file.clone(),
        error,
    })?;
    read_any(&bytes, &file, &ImportOptions::default())
        .map_err(|e| CliError::Usage(format!("{file}: {e}")))
}

/// Runs `diff`.
pub fn run(a: DiffArgs, console: &mut Console) -> Result<Exit, CliError> {
    if let Some(dirs) = &a.pairs {
        return pairs(&dirs[0], &dirs[1], a.output, a.format, &a.batch, console);
    }
    if a.batch.fail_fast || a.batch.report_json.is_some() {
        return Err(CliError::Usage(
            "--fail-fast、--report-json 只用于 --pairs (these batch options need --pairs)".into(),
        ));
    }
    let [prev, cur] = [&a.reports[0], &a.reports[1]].map(|s| Source::from_arg(s.clone()));
    if prev == Source::Stdin && cur == Source::Stdin {
        return Err(CliError::Usage(
            "两个输入不能都是标准输入 (only one input can be standard input)".into(),
        ));
    }
    let jobs = a.batch.jobs();
    let (previous, current) = if jobs >= 2 {
        let (p, c) = std::thread::scope(|scope| {
            let last = scope.spawn(|| read(&prev));
            let this = read(&cur);
            let last = last
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (last, this)
        });
        (p?, c?)
    } else {
        (read(&prev)?, read(&cur)?)
    };
    let comparison = diff::compare_on(&previous, &current, jobs);
    let mut targets: Vec<Target> = Vec::new();
    for t in a.to.iter().map(|&t| Target::from(t)) {
        if !targets.contains(&t) {
            targets.push(t);
        }
    }
    if targets.is_empty() {
        print(&comparison, a.format, console)?;
        return Ok(Exit::Success);
    }
    let stem = format!(
        "{}-{}-{}-diff",
        safe(&current.agency),
        previous.year,
        current.year
    );
    let dests: Vec<(Target, Destination)> = targets
        .iter()
        .map(|&t| {
            let name = format!("{stem}.{}", t.extension());
            (t, Destination::Path(a.out_dir.join(name)))
        })
        .collect();
    let inputs: Vec<&Path> = [prev.path(), cur.path()].into_iter().flatten().collect();
    let outs: Vec<&Destination> = dests.iter().map(|(_, d)| d).collect();
    files::check_distinct(&inputs, &outs)?;
    std::fs::create_dir_all(&a.out_dir).map_err(|error| CliError::OutDir {
        dir: a.out_dir.display().to_string(),
        error,
    })?;
    let doc = diff::layout(&comparison);
    let opts = ExportOptions::default();
    let mut set = OutputSet::new();
    let file = cur.to_string();
    for ((_, dest), out) in dests.iter().zip(write_all(&doc, &targets, &opts, jobs)) {
        let out = out.map_err(|error| CliError::Export {
            file: file.clone(),
            error,
        })?;
        for w in &out.warnings {
            console.note(&format!("{file}: 警告 warning: {w}"));
        }
        set.stage(dest, &out.bytes)?;
    }
    set.commit()?;
    if a.format == DiffFormat::Json {
        print(&comparison, a.format, console)?;
    }
    for (_, dest) in &dests {
        if let Destination::Path(p) = dest {
            console.note(&format!("{file}: → {}", p.display()));
        }
    }
    Ok(Exit::Success)
}

/// Every format of the comparison document, in order. With two or more threads the PDF (the
/// slowest writer by far) is written on its own thread beside the others; the bytes are the
/// same either way.
fn write_all(
    doc: &nianbao::layout::Document,
    targets: &[Target],
    opts: &ExportOptions,
    jobs: usize,
) -> Vec<Result<export::Output, export::ExportError>> {
    let write = |t: Target| export::write(doc, t, opts);
    match targets.iter().position(|t| *t == Target::Pdf) {
        Some(heavy) if jobs >= 2 && targets.len() > 1 => std::thread::scope(|scope| {
            let pdf = scope.spawn(|| write(Target::Pdf));
            let mut outs: Vec<Option<_>> = targets
                .iter()
                .enumerate()
                .map(|(i, t)| (i != heavy).then(|| write(*t)))
                .collect();
            outs[heavy] = Some(
                pdf.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
            outs.into_iter().flatten().collect()
        }),
        _ => targets.iter().map(|t| write(*t)).collect(),
    }
}

/// A file-name stem from an agency name: no path separators or control characters.
fn safe(agency: &str) -> String {
    let s: String = agency
        .chars()
        .filter(|c| !c.is_control() && !"/\\:*?\"<>|".contains(*c))
        .take(60)
        .collect();
    let s = s.trim().trim_start_matches('.').to_string();
    if s.is_empty() {
        "report".into()
    } else {
        s
    }
}

/// Prints the comparison: JSON, or a few summary lines.
fn print(c: &diff::Comparison, format: DiffFormat, console: &mut Console) -> Result<(), CliError> {
    match format {
        DiffFormat::Json => {
            let text = serde_json::to_string_pretty(c).unwrap_or_default() + "\n";
            console.data(text.as_bytes())
        }
        DiffFormat::Text => {
            console.line(&format!(
                "{} → {}：{} 个单元格，{} 个有变化，跨年度不衔接 {} 处 ({} cells, {} changed, {} cross-year breaks)",
                c.previous.year,
                c.current.year,
                c.counts.cells,
                c.counts.changed,
                c.counts.breaks,
                c.counts.cells,
                c.counts.changed,
                c.counts.breaks
            ))?;
            for x in c.tables.iter().flat_map(|t| &t.cells) {
                if let Some(b) = &x.broken {
                    console.line(&format!(
                        "  {} {}：应为 {}，实为 {} @ {}",
                        b.rule,
                        x.cell,
                        b.expected.as_deref().unwrap_or("—"),
                        b.actual.as_deref().unwrap_or("—"),
                        x.path
                    ))?;
                }
            }
            for s in &c.sections {
                console.line(&format!(
                    "  {}：相似度 {}，逐字重复 {} 句 (similarity, sentences repeated)",
                    s.heading,
                    diff::similarity_text(s.similarity),
                    s.repeated.len()
                ))?;
            }
            Ok(())
        }
    }
}

/// The files of a folder (searched recursively, hidden ones left out), sorted.
fn listing(dir: &Path) -> Result<Vec<PathBuf>, CliError> {
    let mut files = Vec::new();
    walk(dir, &mut files).map_err(|error| CliError::Read {
        file: dir.display().to_string(),
        error: if error.kind() == std::io::ErrorKind::NotFound {
            input::ReadError::NotFound(error)
        } else {
            input::ReadError::Io(error)
        },
    })?;
    files.sort();
    Ok(files)
}

/// The files of both folders read as one batch (`--jobs` threads, one record per file in
/// order: the last year's folder, then this year's); the readable reports of each folder, in
/// file order, each named by its path inside its folder. A file that cannot be read is
/// skipped with its reason; the import log (unread, ambiguous cells) makes its status
/// `warnings`, as `diff` does not validate.
fn folders(
    dirs: [&Path; 2],
    lists: &[Vec<PathBuf>; 2],
    b: &BatchArgs,
    console: &Console,
    summary: &mut Summary,
    mut records: Option<&mut Vec<Record>>,
) -> [Vec<batch::Entry>; 2] {
    let files: Vec<(usize, &PathBuf)> = lists
        .iter()
        .enumerate()
        .flat_map(|(k, l)| l.iter().map(move |f| (k, f)))
        .collect();
    let names: Vec<String> = files.iter().map(|(_, f)| f.display().to_string()).collect();
    let read: Vec<OnceLock<Report>> = files.iter().map(|_| OnceLock::new()).collect();
    runs::run(
        &names,
        b.jobs_for(names.len()),
        b.fail_fast,
        |i| {
            let mut r = Record::new(names[i].clone());
            match read_logged(&Source::File(files[i].1.clone())) {
                Ok(imported) => {
                    let findings = imported.log.findings();
                    r.count(&findings);
                    r.count_log(&imported.log);
                    r.status = Status::of_findings(&findings);
                    let _ = read[i].set(imported.report);
                }
                Err(e) => {
                    r.status = Status::of_error(&e);
                    r.error = Some(e.to_string());
                    r.messages.push(format!("已跳过 skipped: {e}"));
                }
            }
            r
        },
        |r| runs::finish(console, r, summary, records.as_deref_mut()),
    );
    let mut out = [Vec::new(), Vec::new()];
    for ((k, f), report) in files.iter().zip(read) {
        if let Some(report) = report.into_inner() {
            out[*k].push(batch::Entry {
                file: f
                    .strip_prefix(dirs[*k])
                    .unwrap_or(f)
                    .to_string_lossy()
                    .into_owned(),
                report,
            });
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            walk(&p, out)?;
        } else if p
            .file_name()
            .is_some_and(|n| !n.to_string_lossy().starts_with('.'))
        {
            out.push(p);
        }
    }
    Ok(())
}

/// `diff --pairs`: exit the worst outcome of any file (0 all read, 2 some unreadable), 2 when
/// a folder has no readable report, 3 the workbook not written. With `--fail-fast` nothing is
/// read after the first unreadable file and nothing is written.
fn pairs(
    last: &Path,
    this: &Path,
    output: Option<OsString>,
    format: DiffFormat,
    b: &BatchArgs,
    console: &mut Console,
) -> Result<Exit, CliError> {
    let report_json = b.report_json.clone().map(Destination::from_arg);
    let dest = output.map(Destination::from_arg);
    let lists = [listing(last)?, listing(this)?];
    let outs: Vec<&Destination> = dest.iter().chain(report_json.iter()).collect();
    let ins: Vec<&Path> = lists.iter().flatten().map(PathBuf::as_path).collect();
    files::check_distinct(&ins, &outs)?;
    let mut summary = Summary::default();
    let mut records = Vec::new();
    let [previous, current] = folders(
        [last, this],
        &lists,
        b,
        console,
        &mut summary,
        report_json.as_ref().map(|_| &mut records),
    );
    let written = if b.fail_fast && summary.exit() != Exit::Success {
        console.say(
            "--fail-fast：遇到失败已停止，未写出结果 (stopped at the first failure; nothing written)",
        );
        Ok(())
    } else {
        write_pairs(&previous, &current, this, dest, format, console)
    };
    console.say(&summary.line());
    if let Some(dest) = &report_json {
        runs::write_report_json(dest, &records)?;
    }
    written?;
    Ok(summary.exit())
}

/// Pairs the reports read and writes (or prints) the comparison.
fn write_pairs(
    previous: &[batch::Entry],
    current: &[batch::Entry],
    this: &Path,
    dest: Option<Destination>,
    format: DiffFormat,
    console: &mut Console,
) -> Result<(), CliError> {
    if previous.is_empty() || current.is_empty() {
        return Err(CliError::NothingCollected);
    }
    let b = batch::pair(previous, current);
    for u in &b.unpaired {
        console.note(&format!(
            "未配对 unpaired: {} {}（{}）：{}",
            u.folder.chinese(),
            u.file,
            u.agency,
            u.reason
        ));
    }
    match dest {
        Some(dest) => {
            let bytes = batch::workbook(&b).map_err(|error| CliError::Export {
                file: this.display().to_string(),
                error,
            })?;
            match &dest {
                Destination::Stdout => console.data(&bytes)?,
                Destination::Path(_) => {
                    let mut set = OutputSet::new();
                    set.stage(&dest, &bytes)?;
                    set.commit()?;
                }
            }
        }
        None if format == DiffFormat::Json => {
            let text = serde_json::to_string_pretty(&b).unwrap_or_default() + "\n";
            console.data(text.as_bytes())?;
        }
        None => {
            for p in &b.pairs {
                let c = &p.comparison;
                let sims: Vec<String> = c
                    .sections
                    .iter()
                    .map(|s| format!("{} {}", s.heading, diff::similarity_text(s.similarity)))
                    .collect();
                console.line(&format!(
                    "{}：{} ↔ {}；{}；跨年度不衔接 {} 处",
                    c.current.agency,
                    p.previous_file,
                    p.current_file,
                    sims.join("，"),
                    c.counts.breaks
                ))?;
            }
        }
    }
    Ok(())
}
