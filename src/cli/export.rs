//! `export`: read and validate every input, then write all outputs as one set: nothing is
//! written unless every input could be read and (without `--allow-invalid`) validates, and a
//! writer failure or a full disk leaves none of the run's files.

use super::args::ExportArgs;
use super::commands::{print_findings, summary};
use super::console::Console;
use super::error::{CliError, Exit};
use super::load;
use nianbao::export::{self, ExportOptions, Target};
use nianbao::files::{self, Destination, OutputSet};
use nianbao::input::Source;
use nianbao::validate::{self, Finding};
use nianbao::{layout, Report};
use std::ffi::OsString;
use std::path::Path;

struct Loaded {
    source: Source,
    report: Report,
    findings: Vec<Finding>,
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
    };
    let previous_source = a.previous.map(Source::from_arg);
    let previous = previous_source.as_ref().map(load).transpose()?;

    // Read and validate everything first: nothing is written if any input is unreadable.
    let mut loaded = Vec::new();
    let mut invalid = false;
    for arg in a.inputs {
        let source = Source::from_arg(arg);
        let report = load(&source)?;
        let findings = validate::validate(&report, previous.as_ref());
        let file = source.to_string();
        if !a.quiet {
            print_findings(console, &file, &findings);
        }
        if validate::has_errors(&findings) {
            invalid = true;
            console.say(&format!("{file}: {}", summary(&findings)));
            if !a.allow_invalid {
                console.say(&format!(
                    "{file}: 校验有错误，未导出；修正后重试，或用 --allow-invalid 强制导出 (validation errors block the export; fix them or pass --allow-invalid)"
                ));
            }
        }
        loaded.push(Loaded {
            source,
            report,
            findings,
        });
    }
    if invalid && !a.allow_invalid {
        return Ok(Exit::Invalid);
    }

    // Where each output goes.
    let mut plan: Vec<(usize, Target, Destination)> = Vec::new();
    match &output {
        Some(dest) => plan.push((0, targets[0], dest.clone())),
        None => {
            let mut stems: Vec<(OsString, String)> = Vec::new();
            for (i, l) in loaded.iter().enumerate() {
                let s = stem(&l.source, &l.report);
                let file = l.source.to_string();
                if let Some((_, first)) = stems.iter().find(|(x, _)| *x == s) {
                    return Err(CliError::Usage(format!(
                        "{first} 与 {file} 的输出文件同名（{}.*），会互相覆盖；请分批导出到不同的 --out-dir (two inputs would write the same output file)",
                        s.to_string_lossy()
                    )));
                }
                stems.push((s.clone(), file));
                for &t in &targets {
                    let mut name = s.clone();
                    name.push(".");
                    name.push(t.extension());
                    plan.push((i, t, Destination::Path(a.out_dir.join(name))));
                }
            }
        }
    }
    let mut inputs: Vec<&Path> = loaded.iter().filter_map(|l| l.source.path()).collect();
    inputs.extend(previous_source.as_ref().and_then(Source::path));
    let dests: Vec<&Destination> = plan.iter().map(|(_, _, d)| d).collect();
    files::check_distinct(&inputs, &dests)?;

    if output.is_none() {
        std::fs::create_dir_all(&a.out_dir).map_err(|error| CliError::OutDir {
            dir: a.out_dir.display().to_string(),
            error,
        })?;
    }
    let mut set = OutputSet::new();
    let mut to_stdout: Option<Vec<u8>> = None;
    let mut docs: Vec<Option<layout::Document>> = loaded.iter().map(|_| None).collect();
    for (i, t, dest) in &plan {
        let l = &mut loaded[*i];
        let doc = docs[*i].get_or_insert_with(|| {
            layout::build_with_findings(&l.report, std::mem::take(&mut l.findings))
        });
        let file = l.source.to_string();
        let out = export::write(doc, *t, &opts).map_err(|error| CliError::Export {
            file: file.clone(),
            error,
        })?;
        if !a.quiet {
            for w in &out.warnings {
                console.note(&format!("{file}: 警告 warning: {w}"));
            }
        }
        match dest {
            Destination::Stdout => to_stdout = Some(out.bytes),
            Destination::Path(_) => set.stage(dest, &out.bytes)?,
        }
    }
    set.commit()?;
    if let Some(bytes) = to_stdout {
        console.data(&bytes)?;
    }
    if !a.quiet {
        for (i, _, dest) in &plan {
            if let Destination::Path(p) = dest {
                console.note(&format!("{}: → {}", loaded[*i].source, p.display()));
            }
        }
    }
    Ok(if invalid {
        Exit::Invalid
    } else {
        Exit::Success
    })
}

/// The output file name without extension: the input's file stem, or for standard input the
/// report's `<agency>-<year>` made into one safe path component.
fn stem(source: &Source, report: &Report) -> OsString {
    match source.path().and_then(Path::file_stem) {
        Some(s) if s != "." && s != ".." => s.to_os_string(),
        _ => files::safe_file_name(&format!("{}-{}", report.agency, report.year)).into(),
    }
}
