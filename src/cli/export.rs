//! `export`: each input is read, validated and written on its own, in parallel (see
//! [`super::batch`]): an unreadable or invalid input, or one whose outputs cannot be written,
//! is reported with its reason and the others are written. The outputs of one input (every
//! `--to` format) are written as one set: all of them or none, and a writer failure or a full
//! disk leaves none of that input's files.

use super::args::ExportArgs;
use super::batch::{self, Record, Status, Summary};
use super::commands::summary;
use super::console::Console;
use super::error::{CliError, Exit};
use super::load;
use super::read;
use nianbao::export::{self, ExportOptions, Target};
use nianbao::files::{self, Destination, OutputSet};
use nianbao::input::Source;
use nianbao::lint::LintPolicy;
use nianbao::validate;
use nianbao::{layout, Report};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// What every input of one run shares.
struct Run<'a> {
    targets: Vec<Target>,
    output: Option<Destination>,
    out_dir: PathBuf,
    opts: ExportOptions,
    policy: LintPolicy,
    previous: Option<Report>,
    allow_invalid: bool,
    quiet: bool,
    /// Threads are to spare (fewer inputs than `--jobs`): an input's PDF is written on a thread
    /// of its own while the other formats are written on the input's thread.
    split_formats: bool,
    /// Every input file (and `--previous`), against which content-named outputs are checked.
    inputs: Vec<&'a Path>,
}

/// Runs `export`.
pub fn run(a: ExportArgs, console: &mut Console) -> Result<Exit, CliError> {
    let mut targets: Vec<Target> = Vec::new();
    for t in a.to.iter().map(|&t| Target::from(t)) {
        if !targets.contains(&t) {
            targets.push(t);
        }
    }
    let output = a.output.map(Destination::from_arg);
    if output.is_some() && (a.inputs.len() != 1 || targets.len() != 1) {
        return Err(CliError::Usage(
            "--output 只能用于一个输入、一种格式（多个时用 --out-dir）/ --output needs one input and one --to format".into(),
        ));
    }
    let opts = ExportOptions {
        date: a.date,
        fonts: a.fonts,
        pdf_standard: a.pdf_standard.into(),
        html_fragment: a.html_fragment,
        // with an input per worker the cores are busy already; only the PDF writer has threads
        // of its own, so the cores are not asked for otherwise
        single_thread: !targets.contains(&Target::Pdf) || a.inputs.len() >= a.batch.jobs(),
    };
    let sources: Vec<Source> = a.inputs.into_iter().map(Source::from_arg).collect();
    let paths: Vec<&Path> = sources.iter().filter_map(Source::path).collect();
    let policy = a.lints.policy(&paths)?;
    let previous_source = a.previous.map(Source::from_arg);
    let previous = previous_source.as_ref().map(load).transpose()?;
    let report_json = a.batch.report_json.clone().map(Destination::from_arg);

    // Outputs named from the input files: checked against each other and the inputs first.
    let mut inputs: Vec<&Path> = paths.clone();
    inputs.extend(previous_source.as_ref().and_then(Source::path));
    let mut planned: Vec<Destination> = Vec::new();
    match &output {
        Some(dest) => planned.push(dest.clone()),
        None => {
            let mut stems: Vec<(OsString, String)> = Vec::new();
            for source in &sources {
                let Some(s) = file_stem(source) else { continue };
                let file = source.to_string();
                if let Some((_, first)) = stems.iter().find(|(x, _)| *x == s) {
                    return Err(CliError::Usage(format!(
                        "{first} 与 {file} 的输出文件同名（{}.*），会互相覆盖；请分批导出到不同的 --out-dir (two inputs would write the same output file)",
                        s.to_string_lossy()
                    )));
                }
                stems.push((s.clone(), file));
                planned.extend(targets.iter().map(|&t| dest_for(&a.out_dir, &s, t)));
            }
        }
    }
    let mut dests: Vec<&Destination> = planned.iter().collect();
    dests.extend(report_json.iter());
    files::check_distinct(&inputs, &dests)?;

    let split_formats = targets.len() > 1 && sources.len() < a.batch.jobs();
    let run = Run {
        targets,
        output,
        out_dir: a.out_dir,
        opts,
        policy,
        previous,
        allow_invalid: a.allow_invalid,
        quiet: a.quiet,
        split_formats,
        inputs,
    };
    let names: Vec<String> = sources.iter().map(Source::to_string).collect();
    let mut summary = Summary::default();
    let mut records = Vec::new();
    let mut to_stdout = Vec::new();
    batch::run(
        &names,
        a.batch.jobs_for(sources.len()),
        a.batch.fail_fast,
        |i| export_one(&sources[i], &run),
        |mut r| {
            to_stdout.append(&mut r.stdout);
            batch::finish(
                console,
                r,
                &mut summary,
                report_json.as_ref().map(|_| &mut records),
            );
        },
    );
    console.data(&to_stdout)?;
    if sources.len() > 1 {
        console.say(&summary.line());
    }
    if let Some(dest) = &report_json {
        batch::write_report_json(dest, &records)?;
    }
    Ok(summary.exit())
}

/// One input: read, validate (the lint levels applied), lay out once, write every format.
fn export_one(source: &Source, run: &Run) -> Record {
    let mut r = Record::new(source.to_string());
    if let Err(e) = try_export(source, run, &mut r) {
        r.fail(&e);
    }
    r
}

fn try_export(source: &Source, run: &Run, r: &mut Record) -> Result<(), CliError> {
    let file = source.to_string();
    let l = read::load_any(source)?;
    r.count_log(&l.log);
    let report = l.report;
    let mut findings = l.log.findings();
    findings.extend(validate::validate(&report, run.previous.as_ref()));
    let findings = run.policy.apply(findings);
    r.count(&findings);
    r.status = Status::of_findings(&findings);
    if !run.quiet {
        r.messages
            .extend(findings.iter().map(|f| format!("{file}: {f}")));
    }
    if validate::has_errors(&findings) {
        r.messages
            .push(format!("nianbao: {file}: {}", summary(&findings)));
        if !run.allow_invalid {
            r.messages.push(format!(
                "nianbao: {file}: 校验有错误，未导出；修正后重试，或用 --allow-invalid 强制导出 (validation errors block the export; fix them or pass --allow-invalid)"
            ));
            return Ok(());
        }
    }

    let plan: Vec<(Target, Destination)> = match &run.output {
        Some(dest) => vec![(run.targets[0], dest.clone())],
        None => {
            let s = stem(source, &report);
            run.targets
                .iter()
                .map(|&t| (t, dest_for(&run.out_dir, &s, t)))
                .collect()
        }
    };
    if source.path().is_none() {
        // Named from the content: checked here, once the content is known.
        let dests: Vec<&Destination> = plan.iter().map(|(_, d)| d).collect();
        files::check_distinct(&run.inputs, &dests)?;
    }
    if run.output.is_none() {
        // Made when the first input is written: a run with nothing to write leaves no folder.
        std::fs::create_dir_all(&run.out_dir).map_err(|error| CliError::OutDir {
            dir: run.out_dir.display().to_string(),
            error,
        })?;
    }
    let mut doc = layout::build_with_findings(&report, findings);
    doc.lints = run.policy.describe();
    let last = run.inputs.len() == 1;
    discard(report, last);
    let mut files_out = Vec::new();
    let mut warnings = Vec::new();
    for ((_, dest), out) in plan.iter().zip(write_formats(&doc, &plan, run)) {
        let out = out.map_err(|error| CliError::Export {
            file: file.clone(),
            error,
        })?;
        warnings.extend(out.warnings);
        match dest {
            Destination::Stdout => r.stdout = out.bytes,
            Destination::Path(_) => files_out.push((dest, out.bytes)),
        }
    }
    {
        let mut set = OutputSet::new();
        for (dest, bytes) in &files_out {
            set.stage(dest, bytes)?;
        }
        set.commit()?;
    }
    discard(doc, last);
    discard(files_out, last);
    if !run.quiet {
        r.messages.extend(
            warnings
                .iter()
                .map(|w| format!("{file}: 警告 warning: {w}")),
        );
    }
    for (_, dest) in &plan {
        if let Destination::Path(p) = dest {
            r.outputs.push(p.display().to_string());
            if !run.quiet {
                r.messages.push(format!("{file}: → {}", p.display()));
            }
        }
    }
    Ok(())
}

/// Frees a value, unless it belongs to the process's only input: the process then ends soon
/// after, and the system takes its memory back at once, so walking the document's tens of
/// thousands of small allocations to free each one (~0.5 M instructions for the seed) is
/// skipped.
fn discard<T>(value: T, only_input: bool) {
    if only_input {
        std::mem::forget(value);
    } else {
        drop(value);
    }
}

/// Every planned format of one document, in plan order. With threads to spare, the PDF (the
/// slowest writer by far) runs on a scoped thread beside the others; the bytes are the same
/// either way.
fn write_formats(
    doc: &layout::Document,
    plan: &[(Target, Destination)],
    run: &Run,
) -> Vec<Result<export::Output, export::ExportError>> {
    let write = |t: Target| export::write(doc, t, &run.opts);
    let pdf = plan.iter().position(|(t, _)| *t == Target::Pdf);
    match pdf {
        Some(heavy) if run.split_formats && plan.len() > 1 => std::thread::scope(|scope| {
            let handle = scope.spawn(|| write(Target::Pdf));
            let mut outs: Vec<Option<_>> = plan
                .iter()
                .enumerate()
                .map(|(i, (t, _))| (i != heavy).then(|| write(*t)))
                .collect();
            let pdf = handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            outs[heavy] = Some(pdf);
            outs.into_iter().flatten().collect()
        }),
        _ => plan.iter().map(|(t, _)| write(*t)).collect(),
    }
}

fn dest_for(dir: &Path, stem: &OsString, t: Target) -> Destination {
    let mut name = stem.clone();
    name.push(".");
    name.push(t.extension());
    Destination::Path(dir.join(name))
}

/// The input file's stem, if the input is a file with a usable one.
fn file_stem(source: &Source) -> Option<OsString> {
    source
        .path()
        .and_then(Path::file_stem)
        .filter(|s| *s != "." && *s != "..")
        .map(|s| s.to_os_string())
}

/// The output file name without extension: the input's file stem, or for standard input the
/// report's `<agency>-<year>` made into one safe path component.
fn stem(source: &Source, report: &Report) -> OsString {
    file_stem(source).unwrap_or_else(|| {
        files::safe_file_name(&format!("{}-{}", report.agency, report.year)).into()
    })
}
