//! The small commands: `validate`, `schema`, `new`, `layout`, `aggregate`.

use super::args::{AggregateArgs, LayoutArgs, NewArgs, NewTarget, OutputFormat, ValidateArgs};
use super::batch::{self, Record, Status, Summary};
use super::console::{escape, Console};
use super::error::{CliError, Exit};
use super::load;
use super::read;
use nianbao::files::{self, Destination, OutputSet};
use nianbao::input::Source;
use nianbao::template::Template;
use nianbao::validate::{self, Finding, Severity};
use nianbao::{layout, Report};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// One line counting errors, warnings and infos.
pub fn summary(findings: &[Finding]) -> String {
    let n = |s| findings.iter().filter(|f| f.severity == s).count();
    let (e, w, i) = (n(Severity::Error), n(Severity::Warning), n(Severity::Info));
    format!("{e} 个错误，{w} 个警告，{i} 个提示 ({e} errors, {w} warnings, {i} infos)")
}

/// Findings on standard error, one line each.
pub fn print_findings(console: &Console, file: &str, findings: &[Finding]) {
    for f in findings {
        console.note(&format!("{file}: {f}"));
    }
}

/// `validate`: findings of each file on standard output (after the lint levels); exit 0, 1
/// (errors) or 2 (a file could not be read). With `--summary`, per agency the counts by rule
/// and severity instead of the findings.
pub fn validate(a: ValidateArgs, console: &mut Console) -> Result<Exit, CliError> {
    let sources: Vec<Source> = a.files.into_iter().map(Source::from_arg).collect();
    let paths: Vec<&Path> = sources.iter().filter_map(Source::path).collect();
    let policy = a.lints.policy(&paths)?;
    let lints = policy.describe();
    let previous = a.previous.map(Source::from_arg);
    let previous = previous.as_ref().map(load).transpose()?;
    let report_json = a.batch.report_json.clone().map(Destination::from_arg);
    if let Some(dest) = &report_json {
        files::check_distinct(&paths, &[dest])?;
    }
    let names: Vec<String> = sources.iter().map(Source::to_string).collect();
    let (format, summary_only) = (a.format, a.summary);
    let work = |i: usize| {
        let source = &sources[i];
        let file = source.to_string();
        let mut r = Record::new(file.clone());
        let l = match read::load_any(source) {
            Ok(l) => l,
            Err(e) => {
                r.fail(&e);
                if format == OutputFormat::Json && !summary_only {
                    r.detail = Some(serde_json::json!({
                        "file": file,
                        "valid": false,
                        "input_error": e.to_string(),
                        "findings": [],
                        "lints": lints,
                    }));
                }
                return r;
            }
        };
        r.count_log(&l.log);
        let mut findings = l.import_findings();
        findings.extend(validate::validate(&l.report, previous.as_ref()));
        let findings = policy.apply(findings);
        r.count(&findings);
        r.status = Status::of_findings(&findings);
        if summary_only {
            r.detail = Some(serde_json::json!({
                "agency": l.report.agency,
                "findings": findings.iter().map(|f| (f.rule.as_str(), f.severity)).collect::<Vec<_>>(),
            }));
        } else if format == OutputFormat::Json {
            r.detail = Some(serde_json::json!({
                "file": file,
                "valid": r.status != Status::Invalid,
                "input_error": null,
                "findings": findings,
                "lints": lints,
            }));
        } else {
            let mut out = String::new();
            for f in &findings {
                out.push_str(&escape(&format!("{file}: {f}")));
                out.push('\n');
            }
            out.push_str(&escape(&format!("{file}: {}", summary(&findings))));
            out.push('\n');
            r.stdout = out.into_bytes();
        }
        r
    };
    let mut done = Summary::default();
    let mut records = Vec::new();
    let mut json_out = Vec::new();
    let mut tally = Tally::default();
    let mut failed: Option<CliError> = None;
    batch::run(
        &names,
        a.batch.jobs_for(names.len()),
        a.batch.fail_fast,
        work,
        |mut r| {
            if let Some(d) = r.detail.take() {
                if summary_only {
                    tally.add_json(&d);
                } else {
                    json_out.push(d);
                }
            }
            if summary_only && matches!(r.status, Status::Unreadable | Status::InternalError) {
                tally.unreadable += 1;
            }
            let bytes = std::mem::take(&mut r.stdout);
            if failed.is_none() {
                if let Err(e) = console.data(&bytes) {
                    failed = Some(e);
                }
            }
            batch::finish(
                console,
                r,
                &mut done,
                report_json.as_ref().map(|_| &mut records),
            );
        },
    );
    if let Some(e) = failed {
        return Err(e);
    }
    if summary_only {
        tally.print(console, format, &lints)?;
    } else if format == OutputFormat::Json {
        let text =
            serde_json::to_string_pretty(&serde_json::Value::Array(json_out)).unwrap_or_default();
        console.data(text.as_bytes())?;
        console.data(b"\n")?;
    }
    // The closing count on standard error, as `export` and `import` print it for a batch.
    if names.len() > 1 {
        console.say(&done.line());
    }
    if let Some(dest) = &report_json {
        batch::write_report_json(dest, &records)?;
    }
    Ok(done.exit())
}

/// Findings of one agency's reports counted by rule and severity (`validate --summary`).
#[derive(Default, Serialize)]
struct AgencyCounts {
    agency: String,
    reports: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    /// Rule id → severity → count.
    rules: BTreeMap<String, BTreeMap<Severity, usize>>,
}

/// The 考核 summary: agencies in order of first appearance.
#[derive(Default)]
struct Tally {
    agencies: Vec<AgencyCounts>,
    unreadable: usize,
}

impl Tally {
    /// Adds one report from its worker's record: `{"agency", "findings": [[rule, severity]]}`.
    fn add_json(&mut self, d: &serde_json::Value) {
        let agency = d["agency"].as_str().unwrap_or_default().to_string();
        let findings: Vec<(String, Severity)> =
            serde_json::from_value(d["findings"].clone()).unwrap_or_default();
        self.add(agency, &findings);
    }

    fn add(&mut self, agency: String, findings: &[(String, Severity)]) {
        let i = match self.agencies.iter().position(|c| c.agency == agency) {
            Some(i) => i,
            None => {
                self.agencies.push(AgencyCounts {
                    agency,
                    ..Default::default()
                });
                self.agencies.len() - 1
            }
        };
        let c = &mut self.agencies[i];
        c.reports += 1;
        for (rule, severity) in findings {
            match severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
            }
            *c.rules
                .entry(rule.clone())
                .or_default()
                .entry(*severity)
                .or_insert(0) += 1;
        }
    }

    fn print(
        &self,
        console: &mut Console,
        format: OutputFormat,
        lints: &nianbao::lint::LintLevels,
    ) -> Result<(), CliError> {
        if format == OutputFormat::Json {
            let v = serde_json::json!({
                "agencies": self.agencies,
                "unreadable": self.unreadable,
                "lints": lints,
            });
            let text = serde_json::to_string_pretty(&v).unwrap_or_default();
            console.data(text.as_bytes())?;
            return console.data(b"\n");
        }
        for c in &self.agencies {
            let rules: Vec<String> = c
                .rules
                .iter()
                .flat_map(|(rule, by)| {
                    by.iter()
                        .rev()
                        .map(move |(sev, n)| format!("{rule} {} {n}", sev.as_str()))
                })
                .collect();
            console.line(&format!(
                "{}: {} 份报告，{} 个错误，{} 个警告，{} 个提示 ({} reports, {} errors, {} warnings, {} infos){}{}",
                c.agency,
                c.reports,
                c.errors,
                c.warnings,
                c.infos,
                c.reports,
                c.errors,
                c.warnings,
                c.infos,
                if rules.is_empty() { "" } else { "：" },
                rules.join("，")
            ))?;
        }
        if self.unreadable > 0 {
            console.line(&format!(
                "无法读取 {} 个文件 ({} files unreadable)",
                self.unreadable, self.unreadable
            ))?;
        }
        Ok(())
    }
}

/// `schema`: the JSON Schema on standard output.
pub fn schema(console: &mut Console) -> Result<Exit, CliError> {
    let text = serde_json::to_string_pretty(&nianbao::schema::report_schema()).unwrap_or_default();
    console.data(text.as_bytes())?;
    console.data(b"\n")?;
    Ok(Exit::Success)
}

/// `layout`: the layout model, for debugging writers.
pub fn layout(a: LayoutArgs, console: &mut Console) -> Result<Exit, CliError> {
    let r = load(&Source::from_arg(a.file))?;
    console.data(format!("{:#?}\n", layout::build(&r)).as_bytes())?;
    Ok(Exit::Success)
}

/// `new`: a blank report, refused (exit 2) if nianbao's own reader would refuse it.
pub fn new(a: NewArgs, console: &mut Console) -> Result<Exit, CliError> {
    let template = match &a.format {
        Some(f) => Template::get(f).ok_or_else(|| {
            CliError::Usage(format!(
                "未知的格式 “{f}”；可用：{}",
                nianbao::template::format_ids().join(", ")
            ))
        })?,
        None => Template::for_year(a.year).ok_or_else(|| {
            CliError::Usage(format!(
                "{} 年没有适用的统一格式；请用 --format 指定",
                a.year
            ))
        })?,
    };
    let mut report = Report::blank(template, &a.agency, a.year);
    let previous = a.previous.map(Source::from_arg);
    if let Some(p) = &previous {
        report.carry_over(&load(p)?);
    }
    let text = report.to_json_string();
    if let Err(e) = Report::from_json(&text) {
        return Err(CliError::Usage(format!(
            "无法生成报告：{e}；请检查 --agency 和 --year (the new report would not be readable)"
        )));
    }
    let dest = a.output.map_or(Destination::Stdout, Destination::from_arg);
    let inputs: Vec<&Path> = previous.iter().filter_map(Source::path).collect();
    files::check_distinct(&inputs, &[&dest])?;
    let bytes = match a.to {
        NewTarget::Json => text.into_bytes(),
        NewTarget::Docx => {
            let doc = layout::build(&report);
            let opts = nianbao::export::ExportOptions::default();
            nianbao::export::write(&doc, nianbao::export::Target::Docx, &opts)
                .map_err(|error| CliError::Export {
                    file: dest.to_string(),
                    error,
                })?
                .bytes
        }
        NewTarget::Xlsx => {
            nianbao::xlsx::fill_in::write(&report).map_err(|error| CliError::Export {
                file: dest.to_string(),
                error,
            })?
        }
    };
    write_one(console, &dest, &bytes)?;
    Ok(Exit::Success)
}

/// Writes one output: standard output through the console, a file atomically.
fn write_one(console: &mut Console, dest: &Destination, bytes: &[u8]) -> Result<(), CliError> {
    match dest {
        Destination::Stdout => console.data(bytes),
        Destination::Path(_) => {
            let mut set = OutputSet::new();
            set.stage(dest, bytes)?;
            Ok(set.commit()?)
        }
    }
}

/// `aggregate`: children summed cell by cell; exit 1 if the sum fails validation.
pub fn aggregate(a: AggregateArgs, console: &mut Console) -> Result<Exit, CliError> {
    let sources: Vec<Source> = a.children.into_iter().map(Source::from_arg).collect();
    let dest = Destination::from_arg(a.output);
    let inputs: Vec<&Path> = sources.iter().filter_map(Source::path).collect();
    files::check_distinct(&inputs, &[&dest])?;
    let mut children = Vec::new();
    for s in &sources {
        let l = read::load_any(s)?;
        print_findings(console, &s.to_string(), &l.import_findings());
        children.push((s.to_string(), l.report));
    }
    let opts = nianbao::aggregate::Options {
        agency: a.agency,
        level: a.level.into(),
        year: a.year,
    };
    let agg = nianbao::aggregate::aggregate(&children, &opts).map_err(CliError::Aggregate)?;
    for w in &agg.warnings {
        console.say(&format!("警告 warning: {w}"));
    }
    let findings = validate::validate(&agg.report, None);
    let text = agg.report.to_json_string();
    if let Err(e) = Report::from_json(&text) {
        return Err(CliError::Usage(format!(
            "无法生成汇总报告：{e}；请检查 --agency (the aggregate would not be readable)"
        )));
    }
    write_one(console, &dest, text.as_bytes())?;
    let name = dest.to_string();
    print_findings(console, &name, &findings);
    console.say(&format!("{name}: {}", summary(&findings)));
    Ok(if validate::has_errors(&findings) {
        Exit::Invalid
    } else {
        Exit::Success
    })
}
