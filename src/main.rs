//! The `nianbao` command line: reads reports, validates, exports. All file writes go through
//! a temporary file and a rename, so a failed run never leaves half a file behind.

use clap::{Args, Parser, Subcommand, ValueEnum};
use nianbao::export::{self, ExportOptions, PdfStandard, Target};
use nianbao::report::Date;
use nianbao::template::Template;
use nianbao::validate::{self, Finding, Severity};
use nianbao::{layout, InputError, Report};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// 年报 nianbao: 政府信息公开工作年度报告的校验与排版（PDF / DOCX / XLSX）。
///
/// Validate and typeset the annual report on government information disclosure.
#[derive(Parser)]
#[command(name = "nianbao", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 校验报告（退出码：0 无错误，1 有错误，2 无法读取）/ Validate reports (exit 0 ok, 1 errors, 2 unreadable)
    #[command(after_long_help = rules_help())]
    Validate(ValidateArgs),
    /// 打印报告 JSON 的 JSON Schema / Print the JSON Schema of the report format
    Schema,
    /// 生成空白报告（所有单元格为 0）/ Create a blank report with every cell 0
    New(NewArgs),
    /// 校验后导出 PDF、DOCX、XLSX / Validate, then export to PDF, DOCX and XLSX
    Export(ExportArgs),
    /// 打印版面模型（调试用）/ Print the layout model (for debugging writers)
    Layout(LayoutArgs),
    /// 汇集多份报告为一个工作簿（退出码：0 全部读入，1 有文件跳过，2 无可用报告）/ Collect many reports into one workbook (exit 0 all read, 1 some skipped, 2 none)
    Collect(CollectArgs),
    /// 逐项汇总下级报告为本级政府报告（退出码：0 通过校验，1 有校验错误，2 无法汇总）/ Sum child reports into the 本级政府 report
    Aggregate(AggregateArgs),
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Text,
    Json,
}

#[derive(Args)]
struct ValidateArgs {
    /// 报告 JSON 文件；- 表示标准输入 / Report JSON files; - reads stdin
    #[arg(required = true)]
    files: Vec<String>,
    /// 上一年度的报告（跨年度核对 X-01..X-03）/ Last year's report, for the cross-year rules
    #[arg(long)]
    previous: Option<String>,
    /// 输出格式 / Output format
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
}

#[derive(Args)]
struct NewArgs {
    /// 机关全称 / Agency name
    #[arg(long)]
    agency: String,
    /// 报告年度 / Report year
    #[arg(long)]
    year: i32,
    /// 格式（默认按年度选择）/ Format id (default: the one for the year)
    #[arg(long)]
    format: Option<String>,
    /// 上一年度报告：上年结转取自其结转下年度 / Last year's report: 上年结转 is filled from its 结转下年度
    #[arg(long)]
    previous: Option<String>,
    /// 输出文件（默认标准输出）/ Output file (default stdout)
    #[arg(short, long)]
    output: Option<PathBuf>,
}

#[derive(Args)]
struct ExportArgs {
    /// 报告 JSON 文件；- 表示标准输入 / Report JSON files; - reads stdin
    #[arg(required = true)]
    inputs: Vec<String>,
    /// 输出目录 / Output directory
    #[arg(long, default_value = ".")]
    out_dir: PathBuf,
    /// 输出格式，逗号分隔 / Formats, comma-separated
    #[arg(long, default_value = "pdf,docx,xlsx")]
    to: String,
    /// 单一输入单一格式时的输出文件；- 表示标准输出 / Output file for one input and one format; - for stdout
    #[arg(short, long)]
    output: Option<String>,
    /// 有校验错误仍导出 / Export even when validation finds errors
    #[arg(long)]
    allow_invalid: bool,
    /// 上一年度报告（跨年度核对）/ Last year's report (cross-year rules)
    #[arg(long)]
    previous: Option<String>,
    /// 写入文件的日期 YYYY-MM-DD（默认 published）/ Date stamped into the files (default: published)
    #[arg(long)]
    date: Option<String>,
    /// 字体 ROLE=PATH（title, body, heading, kai, song）/ Font override ROLE=PATH
    #[arg(long = "font")]
    fonts: Vec<String>,
    /// PDF 标准：none, a-2b, a-2u, ua-1 / PDF standard
    #[arg(long, default_value = "a-2b")]
    pdf_standard: String,
    /// 不打印警告 / Do not print warnings
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Args)]
struct LayoutArgs {
    /// 报告 JSON 文件 / Report JSON file
    file: String,
}

#[derive(Args)]
struct CollectArgs {
    /// 报告 JSON 文件或目录（递归查找 *.json）/ Report files or directories (searched for *.json)
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// 输出工作簿 / Output workbook
    #[arg(short, long)]
    output: PathBuf,
    /// 另存长表 CSV / Also write the long table as CSV
    #[arg(long)]
    csv_long: Option<PathBuf>,
    /// 另存宽表 CSV / Also write the wide table as CSV
    #[arg(long)]
    csv_wide: Option<PathBuf>,
}

#[derive(Args)]
struct AggregateArgs {
    /// 下级报告 JSON 文件 / Child report files
    #[arg(required = true)]
    children: Vec<String>,
    /// 汇总报告的机关名称 / Agency of the aggregate report
    #[arg(long)]
    agency: String,
    /// 机关类型（默认 government）/ Level (default government)
    #[arg(long, default_value = "government")]
    level: String,
    /// 报告年度（须与下级报告一致）/ Year (must match the children)
    #[arg(long)]
    year: Option<i32>,
    /// 输出 JSON 文件；- 表示标准输出 / Output JSON; - for stdout
    #[arg(short, long)]
    output: String,
}

/// The rule catalogue for `validate --help`.
fn rules_help() -> String {
    let mut s = String::from("规则 Rules:\n");
    for (id, severity, what) in validate::RULES {
        s.push_str(&format!("  {id}  {severity:<13} {what}\n"));
    }
    s
}

/// A failure that ends the run with a message and an exit code.
struct Fail {
    code: u8,
    message: String,
}

impl Fail {
    fn input(source: &str, e: impl std::fmt::Display) -> Fail {
        Fail {
            code: 2,
            message: format!("{source}: {e}"),
        }
    }
    fn usage(message: impl Into<String>) -> Fail {
        Fail {
            code: 2,
            message: message.into(),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate(a) => cmd_validate(a),
        Command::Schema => {
            println!(
                "{}",
                serde_json::to_string_pretty(&nianbao::schema::report_schema()).unwrap_or_default()
            );
            Ok(0)
        }
        Command::New(a) => cmd_new(a),
        Command::Export(a) => cmd_export(a),
        Command::Layout(a) => cmd_layout(a),
        Command::Collect(a) => cmd_collect(a),
        Command::Aggregate(a) => cmd_aggregate(a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            eprintln!("nianbao: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

fn read_source(source: &str) -> Result<String, Fail> {
    if source == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Fail::input("<stdin>", format!("无法读取标准输入 ({e})")))?;
        Ok(s)
    } else {
        std::fs::read_to_string(source).map_err(|e| {
            Fail::input(
                source,
                format!("无法读取文件 (cannot read: {e})；请检查路径"),
            )
        })
    }
}

fn load(source: &str) -> Result<Report, Fail> {
    let text = read_source(source)?;
    Report::from_json(&text).map_err(|e: InputError| Fail::input(source, e))
}

fn print_findings(source: &str, findings: &[Finding]) {
    for f in findings {
        eprintln!("{source}: {f}");
    }
}

fn summary(findings: &[Finding]) -> String {
    let n = |s| findings.iter().filter(|f| f.severity == s).count();
    format!(
        "{} 个错误，{} 个警告，{} 个提示 ({} errors, {} warnings, {} infos)",
        n(Severity::Error),
        n(Severity::Warning),
        n(Severity::Info),
        n(Severity::Error),
        n(Severity::Warning),
        n(Severity::Info)
    )
}

fn cmd_validate(a: ValidateArgs) -> Result<u8, Fail> {
    let previous = a.previous.as_deref().map(load).transpose()?;
    let mut worst = 0u8;
    let mut json_out = Vec::new();
    for file in &a.files {
        let (findings, error) = match load(file) {
            Ok(r) => (validate::validate(&r, previous.as_ref()), None),
            Err(f) => (Vec::new(), Some(f.message)),
        };
        let code = if error.is_some() {
            2
        } else if validate::has_errors(&findings) {
            1
        } else {
            0
        };
        worst = worst.max(code);
        match a.format {
            OutputFormat::Text => {
                if let Some(e) = &error {
                    eprintln!("nianbao: {e}");
                } else {
                    for f in &findings {
                        println!("{file}: {f}");
                    }
                    println!("{file}: {}", summary(&findings));
                }
            }
            OutputFormat::Json => json_out.push(serde_json::json!({
                "file": file,
                "valid": code == 0,
                "input_error": error,
                "findings": findings,
            })),
        }
    }
    if let OutputFormat::Json = a.format {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::Value::Array(json_out)).unwrap_or_default()
        );
    }
    Ok(worst)
}

fn cmd_new(a: NewArgs) -> Result<u8, Fail> {
    let template = match &a.format {
        Some(f) => Template::get(f).ok_or_else(|| {
            Fail::usage(format!(
                "未知的格式 “{f}”；可用：{}",
                nianbao::template::format_ids().join(", ")
            ))
        })?,
        None => Template::for_year(a.year).ok_or_else(|| {
            Fail::usage(format!(
                "{} 年没有适用的统一格式；请用 --format 指定",
                a.year
            ))
        })?,
    };
    let mut report = Report::blank(template, &a.agency, a.year);
    if let Some(p) = &a.previous {
        let prev = load(p)?;
        let carried = prev.applications.cells.get("carried_forward").cloned();
        if let Some(cells) = carried {
            for (col, v) in cells {
                report.applications.set("carried_over", &col, v);
            }
        }
    }
    let text = report.to_json_string();
    match &a.output {
        Some(path) => write_atomic(path, text.as_bytes())?,
        None => print!("{text}"),
    }
    Ok(0)
}

fn cmd_layout(a: LayoutArgs) -> Result<u8, Fail> {
    let r = load(&a.file)?;
    println!("{:#?}", layout::build(&r));
    Ok(0)
}

fn parse_targets(s: &str) -> Result<Vec<Target>, Fail> {
    let mut out = Vec::new();
    for part in s.split(',').filter(|p| !p.trim().is_empty()) {
        let t = Target::parse(part).ok_or_else(|| {
            Fail::usage(format!(
                "未知的输出格式 “{part}”；可用 pdf, docx, xlsx (unknown --to)"
            ))
        })?;
        if !out.contains(&t) {
            out.push(t);
        }
    }
    if out.is_empty() {
        return Err(Fail::usage("--to 至少给出一种格式：pdf, docx, xlsx"));
    }
    Ok(out)
}

fn export_options(a: &ExportArgs) -> Result<ExportOptions, Fail> {
    let date = a
        .date
        .as_deref()
        .map(|d| {
            d.parse::<Date>()
                .map_err(|m| Fail::usage(format!("--date: {m}")))
        })
        .transpose()?;
    let mut fonts = Vec::new();
    for f in &a.fonts {
        let (role, path) = f.split_once('=').ok_or_else(|| {
            Fail::usage(format!(
                "--font 应为 ROLE=PATH，例如 body=/path/FangSong.ttf（收到 “{f}”）"
            ))
        })?;
        let role: nianbao::style::FontRole = role.parse().map_err(Fail::usage)?;
        fonts.push((role, PathBuf::from(path)));
    }
    let pdf_standard = PdfStandard::parse(&a.pdf_standard).ok_or_else(|| {
        Fail::usage(format!(
            "未知的 --pdf-standard “{}”；可用 none, a-2b, a-2u, ua-1",
            a.pdf_standard
        ))
    })?;
    Ok(ExportOptions {
        date,
        fonts,
        pdf_standard,
        ..Default::default()
    })
}

fn stem(source: &str, report: &Report) -> String {
    if source == "-" {
        return format!("{}-{}", report.agency, report.year);
    }
    Path::new(source)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into())
}

fn cmd_export(a: ExportArgs) -> Result<u8, Fail> {
    let targets = parse_targets(&a.to)?;
    let opts = export_options(&a)?;
    if a.output.is_some() && (a.inputs.len() != 1 || targets.len() != 1) {
        return Err(Fail::usage(
            "--output 只能用于一个输入、一种格式（多个时用 --out-dir）/ --output needs one input and one --to format",
        ));
    }
    let previous = a.previous.as_deref().map(load).transpose()?;
    // Read and validate everything first: nothing is written if any input is unreadable.
    let mut loaded = Vec::new();
    for input in &a.inputs {
        let report = load(input)?;
        let findings = validate::validate(&report, previous.as_ref());
        if !a.quiet {
            print_findings(input, &findings);
        }
        if validate::has_errors(&findings) && !a.allow_invalid {
            eprintln!("nianbao: {input}: {}", summary(&findings));
            eprintln!(
                "nianbao: {input}: 校验有错误，未导出；修正后重试，或用 --allow-invalid 强制导出 (validation errors block the export; fix them or pass --allow-invalid)"
            );
            return Ok(1);
        }
        loaded.push((input.clone(), report, findings));
    }
    // Two inputs with the same file name would overwrite each other in --out-dir.
    let mut seen: std::collections::BTreeMap<String, &str> = std::collections::BTreeMap::new();
    for (input, report, _) in &loaded {
        if let Some(first) = seen.insert(stem(input, report), input) {
            return Err(Fail::usage(format!(
                "{first} 与 {input} 的输出文件同名（{}.*），会互相覆盖；请分批导出到不同的 --out-dir (two inputs would write the same output file)",
                stem(input, report)
            )));
        }
    }
    if a.output.is_none() {
        std::fs::create_dir_all(&a.out_dir)
            .map_err(|e| Fail::usage(format!("无法创建输出目录 {} ({e})", a.out_dir.display())))?;
    }
    for (input, report, findings) in loaded {
        let doc = layout::build_with_findings(&report, findings);
        for &t in &targets {
            let out = export::write(&doc, t, &opts).map_err(|e| Fail {
                code: 1,
                message: format!("{input}: {e}"),
            })?;
            if !a.quiet {
                for w in &out.warnings {
                    eprintln!("{input}: 警告 warning: {w}");
                }
            }
            match a.output.as_deref() {
                Some("-") => {
                    let mut so = std::io::stdout().lock();
                    so.write_all(&out.bytes)
                        .and_then(|_| so.flush())
                        .map_err(|e| Fail::usage(format!("无法写标准输出 ({e})")))?;
                }
                Some(path) => write_atomic(Path::new(path), &out.bytes)?,
                None => {
                    let path =
                        a.out_dir
                            .join(format!("{}.{}", stem(&input, &report), t.extension()));
                    write_atomic(&path, &out.bytes)?;
                    if !a.quiet {
                        eprintln!("{input}: → {}", path.display());
                    }
                }
            }
        }
    }
    Ok(0)
}

/// Writes via a temporary file in the same directory and a rename.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Fail> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let fail = |e: std::io::Error| Fail {
        code: 1,
        message: format!("无法写入 {} ({e})", path.display()),
    };
    std::fs::write(&tmp, bytes).map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}

fn cmd_collect(a: CollectArgs) -> Result<u8, Fail> {
    let (c, bytes) = nianbao::collect::collect_workbook(&a.inputs).map_err(|e| Fail {
        code: 2,
        message: e.to_string(),
    })?;
    for s in &c.skipped {
        eprintln!("nianbao: {}: 已跳过 skipped: {}", s.file, s.error);
    }
    if c.entries.is_empty() {
        return Err(Fail::usage("没有可读入的报告 (no readable reports)"));
    }
    write_atomic(&a.output, &bytes)?;
    if let Some(p) = &a.csv_long {
        write_atomic(p, c.long_csv().as_bytes())?;
    }
    if let Some(p) = &a.csv_wide {
        write_atomic(p, c.wide_csv().as_bytes())?;
    }
    eprintln!(
        "nianbao: 汇集 {} 份报告，跳过 {} 个文件 → {} (collected {}, skipped {})",
        c.entries.len(),
        c.skipped.len(),
        a.output.display(),
        c.entries.len(),
        c.skipped.len()
    );
    Ok(if c.skipped.is_empty() { 0 } else { 1 })
}

fn cmd_aggregate(a: AggregateArgs) -> Result<u8, Fail> {
    let level: nianbao::report::Level =
        serde_json::from_value(serde_json::Value::from(a.level.trim().to_ascii_lowercase()))
            .map_err(|_| {
                Fail::usage(format!(
                    "未知的 --level “{}”；可用 department, government, township, vertical",
                    a.level
                ))
            })?;
    let mut children = Vec::new();
    for c in &a.children {
        children.push((c.clone(), load(c)?));
    }
    let opts = nianbao::aggregate::Options {
        agency: a.agency.clone(),
        level,
        year: a.year,
    };
    let agg = nianbao::aggregate::aggregate(&children, &opts).map_err(Fail::usage)?;
    for w in &agg.warnings {
        eprintln!("nianbao: 警告 warning: {w}");
    }
    let findings = validate::validate(&agg.report, None);
    let text = agg.report.to_json_string();
    if a.output == "-" {
        print!("{text}");
    } else {
        write_atomic(Path::new(&a.output), text.as_bytes())?;
    }
    print_findings(&a.output, &findings);
    eprintln!("nianbao: {}: {}", a.output, summary(&findings));
    Ok(if validate::has_errors(&findings) {
        1
    } else {
        0
    })
}
