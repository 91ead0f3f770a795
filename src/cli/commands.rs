//! The small commands: `validate`, `schema`, `new`, `layout`, `aggregate`.

use super::args::{AggregateArgs, LayoutArgs, NewArgs, OutputFormat, ValidateArgs};
use super::console::Console;
use super::error::{CliError, Exit};
use super::load;
use nianbao::files::{self, Destination, OutputSet};
use nianbao::input::Source;
use nianbao::template::Template;
use nianbao::validate::{self, Finding, Severity};
use nianbao::{layout, Report};
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

/// `validate`: findings of each file on standard output; exit 0, 1 (errors) or 2 (a file
/// could not be read).
pub fn validate(a: ValidateArgs, console: &mut Console) -> Result<Exit, CliError> {
    let previous = a.previous.map(Source::from_arg);
    let previous = previous.as_ref().map(load).transpose()?;
    let mut worst = Exit::Success;
    let mut json_out = Vec::new();
    for arg in a.files {
        let source = Source::from_arg(arg);
        let file = source.to_string();
        let (findings, error) = match load(&source) {
            Ok(r) => (validate::validate(&r, previous.as_ref()), None),
            Err(e) => (Vec::new(), Some(e)),
        };
        let code = match &error {
            Some(e) => e.exit(),
            None if validate::has_errors(&findings) => Exit::Invalid,
            None => Exit::Success,
        };
        worst = worst.max(code);
        match a.format {
            OutputFormat::Text => match &error {
                Some(e) => console.say(&e.to_string()),
                None => {
                    for f in &findings {
                        console.line(&format!("{file}: {f}"))?;
                    }
                    console.line(&format!("{file}: {}", summary(&findings)))?;
                }
            },
            OutputFormat::Json => json_out.push(serde_json::json!({
                "file": file,
                "valid": code == Exit::Success,
                "input_error": error.map(|e| e.to_string()),
                "findings": findings,
            })),
        }
    }
    if a.format == OutputFormat::Json {
        let text =
            serde_json::to_string_pretty(&serde_json::Value::Array(json_out)).unwrap_or_default();
        console.data(text.as_bytes())?;
        console.data(b"\n")?;
    }
    Ok(worst)
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
    write_one(console, &dest, text.as_bytes())?;
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
        children.push((s.to_string(), load(s)?));
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
