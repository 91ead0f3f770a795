//! The command line as typed values: clap parses every option into the type the commands use
//! (`--to` into targets, `--date` into a [`Date`], `--font` into a role and a path), so that
//! `--help` lists the choices and a bad value is a usage error (exit 2) before anything runs.
//! Paths are `OsString`/`PathBuf`: non-UTF-8 file names work everywhere.

use super::batch::BatchArgs;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use nianbao::export::{PdfStandard, Target};
use nianbao::import::SourceKind;
use nianbao::lint::{LintError, LintFlags, LintPolicy};
use nianbao::report::{Date, Level};
use nianbao::style::FontRole;
use nianbao::validate;
use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

/// 年报 nianbao: 政府信息公开工作年度报告的校验与排版（PDF / DOCX / XLSX）。
///
/// Validate and typeset the annual report on government information disclosure.
#[derive(Parser)]
#[command(name = "nianbao", version, about, long_about = None, after_help = EXIT_CODES)]
pub struct Cli {
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The exit codes, for `--help`.
const EXIT_CODES: &str = "退出码 Exit codes: 0 成功 success · 1 校验有错误 validation errors · 2 输入无法读取或用法错误 unreadable input or bad usage · 3 无法写出 output failed · 4 内部错误 internal error";

/// The subcommands.
#[derive(Subcommand)]
pub enum Command {
    /// 校验报告（退出码：0 无错误，1 有错误，2 无法读取）/ Validate reports (exit 0 ok, 1 errors, 2 unreadable)
    #[command(after_long_help = rules_help())]
    Validate(Lazy<ValidateArgs>),
    /// 打印报告 JSON 的 JSON Schema / Print the JSON Schema of the report format
    Schema,
    /// 生成空白报告（所有单元格为 0）/ Create a blank report with every cell 0
    New(Lazy<NewArgs>),
    /// 校验后导出 PDF、DOCX、XLSX / Validate, then export to PDF, DOCX and XLSX
    Export(Lazy<ExportArgs>),
    /// 打印版面模型（调试用）/ Print the layout model (for debugging writers)
    Layout(Lazy<LayoutArgs>),
    /// 汇集多份报告为一个工作簿（退出码取最坏：0 全部读入且无校验错误，1 有报告校验有错误，2 有文件无法读取或无可用报告）/ Collect many reports into one workbook (exit the worst: 0 all read and valid, 1 some invalid, 2 some unreadable or none)
    Collect(Lazy<CollectArgs>),
    /// 导入网页、爬虫文本、PDF 等已发布的报告为报告 JSON（退出码：0 全部读出，1 有单元格未读出，2 不是报告或无法读取）/ Import published reports (web pages, crawler text, PDFs) into report JSON (exit 0 every cell read, 1 some not, 2 not a report)
    Import(Lazy<ImportArgs>),
    /// 逐项汇总下级报告为本级政府报告（退出码：0 通过校验，1 有校验错误，2 无法汇总）/ Sum child reports into the 本级政府 report
    Aggregate(Lazy<AggregateArgs>),
    /// 与上年报告对比：逐格变化、跨年度衔接、文字相似度（--pairs 按机关配对两个目录）/ Compare a report with last year's
    Diff(Lazy<super::diff::DiffArgs>),
}

/// A subcommand's arguments, added to its [`clap::Command`] only when the command line names
/// that subcommand (or its help is printed): building every subcommand's options on each run
/// took more instructions than reading the seed report. The subcommand's `about` and
/// `long_about` (set by the variant's doc comment) are kept over those the arguments' own doc
/// comments would set.
pub struct Lazy<T>(pub T);

impl<T: Args> Lazy<T> {
    fn augment(cmd: clap::Command) -> clap::Command {
        Self::keeping_about(cmd, T::augment_args)
    }

    fn augment_for_update(cmd: clap::Command) -> clap::Command {
        Self::keeping_about(cmd, T::augment_args_for_update)
    }

    fn keeping_about(
        cmd: clap::Command,
        augment: fn(clap::Command) -> clap::Command,
    ) -> clap::Command {
        use clap::builder::Resettable;
        let kept = |s: Option<&clap::builder::StyledStr>| {
            s.cloned().map_or(Resettable::Reset, Resettable::Value)
        };
        let (about, long_about) = (kept(cmd.get_about()), kept(cmd.get_long_about()));
        augment(cmd).about(about).long_about(long_about)
    }
}

impl<T: clap::FromArgMatches> clap::FromArgMatches for Lazy<T> {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Lazy)
    }

    fn from_arg_matches_mut(matches: &mut clap::ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches_mut(matches).map(Lazy)
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }

    fn update_from_arg_matches_mut(
        &mut self,
        matches: &mut clap::ArgMatches,
    ) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches_mut(matches)
    }
}

impl<T: Args> Args for Lazy<T> {
    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }

    fn augment_args(cmd: clap::Command) -> clap::Command {
        cmd.defer(Self::augment)
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        cmd.defer(Self::augment_for_update)
    }
}

/// `--from` of `import`: the kind of the inputs.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FromArg {
    /// Detected from the bytes (the extension breaks ties).
    Auto,
    /// Report JSON.
    Json,
    /// A web page.
    #[value(alias = "htm")]
    Html,
    /// Crawler text.
    #[value(alias = "txt")]
    Text,
    /// A published PDF.
    Pdf,
    /// A Word 2007+ document.
    Docx,
    /// An Excel 2007+ workbook (nianbao's export or fill-in workbook).
    Xlsx,
}

impl FromArg {
    /// The kind to read the input as; `None` to detect it.
    pub fn kind(self) -> Option<SourceKind> {
        match self {
            FromArg::Auto => None,
            FromArg::Json => Some(SourceKind::Json),
            FromArg::Html => Some(SourceKind::Html),
            FromArg::Text => Some(SourceKind::Text),
            FromArg::Pdf => Some(SourceKind::Pdf),
            FromArg::Docx => Some(SourceKind::Docx),
            FromArg::Xlsx => Some(SourceKind::Xlsx),
        }
    }
}

/// `--log-format` of `import`: how the import log is printed on standard error.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One line per entry.
    Text,
    /// One JSON array, one record per input.
    Json,
}

/// `--format` of `validate`: how findings are printed.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// One line per finding.
    Text,
    /// A JSON array, one entry per file.
    Json,
}

/// `--to`: an output format.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TargetArg {
    /// The filing copy.
    Pdf,
    /// The editable copy.
    Docx,
    /// The tables.
    Xlsx,
    /// The web page.
    Html,
}

impl From<TargetArg> for Target {
    fn from(t: TargetArg) -> Target {
        match t {
            TargetArg::Pdf => Target::Pdf,
            TargetArg::Docx => Target::Docx,
            TargetArg::Xlsx => Target::Xlsx,
            TargetArg::Html => Target::Html,
        }
    }
}

/// `--pdf-standard`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PdfStandardArg {
    /// Plain PDF 1.7.
    None,
    /// PDF/A-2b (default).
    #[value(name = "a-2b", alias = "a2b", alias = "pdfa-2b")]
    A2b,
    /// PDF/A-2u.
    #[value(name = "a-2u", alias = "a2u", alias = "pdfa-2u")]
    A2u,
    /// PDF/UA-1.
    #[value(name = "ua-1", alias = "ua1", alias = "pdfua-1")]
    Ua1,
}

impl From<PdfStandardArg> for PdfStandard {
    fn from(s: PdfStandardArg) -> PdfStandard {
        match s {
            PdfStandardArg::None => PdfStandard::None,
            PdfStandardArg::A2b => PdfStandard::A2b,
            PdfStandardArg::A2u => PdfStandard::A2u,
            PdfStandardArg::Ua1 => PdfStandard::Ua1,
        }
    }
}

/// `--level` of `aggregate`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LevelArg {
    /// 县级以上人民政府部门.
    Department,
    /// 本级人民政府.
    Government,
    /// 乡镇人民政府.
    Township,
    /// 实行垂直领导的系统.
    Vertical,
}

impl From<LevelArg> for Level {
    fn from(l: LevelArg) -> Level {
        match l {
            LevelArg::Department => Level::Department,
            LevelArg::Government => Level::Government,
            LevelArg::Township => Level::Township,
            LevelArg::Vertical => Level::Vertical,
        }
    }
}

/// `validate`.
#[derive(Args)]
pub struct ValidateArgs {
    /// 报告（JSON，或 import 能读的网页、文本、PDF 等）；- 表示标准输入 / Reports (JSON, or whatever import reads); - reads stdin
    #[arg(required = true)]
    pub files: Vec<OsString>,
    /// 上一年度的报告（跨年度核对 X-01..X-03）/ Last year's report, for the cross-year rules
    #[arg(long)]
    pub previous: Option<OsString>,
    /// 输出格式 / Output format
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// 按机关汇总各规则、各级别的发现数（考核用）/ Print, per agency, the counts by rule and severity (for reviewers)
    #[arg(long)]
    pub summary: bool,
    /// Lint levels.
    #[command(flatten)]
    pub lints: LintArgs,
    /// Batch options.
    #[command(flatten)]
    pub batch: BatchArgs,
}

/// The lint levels of `validate`, `export` and `collect` (clippy's vocabulary; see
/// [`nianbao::lint`]).
#[derive(Args, Clone, Default)]
pub struct LintArgs {
    /// 将规则（或 all-warnings）的发现设为错误 / Make a rule's findings (or all warnings) errors
    #[arg(long, value_name = "RULE")]
    pub deny: Vec<String>,
    /// 将规则的发现设为警告 / Make a rule's findings warnings
    #[arg(long, value_name = "RULE")]
    pub warn: Vec<String>,
    /// 不报告规则（或 all-warnings）的发现 / Drop a rule's findings (or all warnings)
    #[arg(long, value_name = "RULE")]
    pub allow: Vec<String>,
    /// 所有警告视为错误（考核用），即 --deny all-warnings / Every warning is an error (for reviewers)
    #[arg(long)]
    pub strict: bool,
    /// 规则级别配置文件（默认：输入旁的 nianbao.toml）/ Lint configuration file (default: nianbao.toml beside the inputs)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

impl LintArgs {
    /// The policy in force: `--config` (else a `nianbao.toml` beside the first input that has
    /// one), then the flags.
    pub fn policy(&self, inputs: &[&std::path::Path]) -> Result<LintPolicy, LintError> {
        let config = self
            .config
            .clone()
            .or_else(|| LintPolicy::config_beside(inputs));
        let flags = LintFlags {
            deny: self.deny.clone(),
            warn: self.warn.clone(),
            allow: self.allow.clone(),
            strict: self.strict,
        };
        LintPolicy::from_flags(&flags, config.as_deref())
    }
}

/// `new`.
#[derive(Args)]
pub struct NewArgs {
    /// 机关全称 / Agency name
    #[arg(long)]
    pub agency: String,
    /// 报告年度 / Report year
    #[arg(long)]
    pub year: i32,
    /// 格式（默认按年度选择）/ Format id (default: the one for the year)
    #[arg(long, value_parser = PossibleValuesParser::new(nianbao::template::format_ids()))]
    pub format: Option<String>,
    /// 上一年度报告：上年结转取自其结转下年度 / Last year's report: 上年结转 is filled from its 结转下年度
    #[arg(long)]
    pub previous: Option<OsString>,
    /// 输出文件（默认标准输出；- 表示标准输出）/ Output file (default and - : stdout)
    #[arg(short, long)]
    pub output: Option<OsString>,
    /// 输出形式：json 报告，docx 按报送版式排好的空白报告（供在 Word 中填写），xlsx 填报工作簿 / What to write: report JSON, a blank DOCX in the filing layout, or a fill-in workbook
    #[arg(long, value_enum, ignore_case = true, default_value_t = NewTarget::Json)]
    pub to: NewTarget,
}

/// `--to` of `new`: the form of the blank report.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NewTarget {
    /// Report JSON.
    Json,
    /// A Word document in the filing layout (placeholder prose, all-zero tables).
    Docx,
    /// A fill-in workbook: input cells unlocked, live sums, check cells, a prose and a metadata sheet.
    Xlsx,
}

/// `export`.
#[derive(Args)]
pub struct ExportArgs {
    /// 报告（JSON，或 import 能读的网页、文本、PDF 等）；- 表示标准输入 / Reports (JSON, or whatever import reads); - reads stdin
    #[arg(required = true)]
    pub inputs: Vec<OsString>,
    /// 输出目录 / Output directory
    #[arg(long, default_value = ".")]
    pub out_dir: PathBuf,
    /// 输出格式，逗号分隔 / Formats, comma-separated
    #[arg(long, value_enum, value_delimiter = ',', ignore_case = true,
          default_values_t = [TargetArg::Pdf, TargetArg::Docx, TargetArg::Xlsx])]
    pub to: Vec<TargetArg>,
    /// 单一输入单一格式时的输出文件；- 表示标准输出 / Output file for one input and one format; - for stdout
    #[arg(short, long)]
    pub output: Option<OsString>,
    /// 有校验错误仍导出（退出码 1）/ Export even when validation finds errors (exit 1)
    #[arg(long)]
    pub allow_invalid: bool,
    /// 上一年度报告（跨年度核对）/ Last year's report (cross-year rules)
    #[arg(long)]
    pub previous: Option<OsString>,
    /// 写入文件的日期 YYYY-MM-DD（默认 published）/ Date stamped into the files (default: published)
    #[arg(long, value_parser = parse_date)]
    pub date: Option<Date>,
    /// 字体 ROLE=PATH，ROLE 为 title, body, heading, kai, song / Font override ROLE=PATH
    #[arg(long = "font", value_name = "ROLE=PATH", value_parser = FontParser)]
    pub fonts: Vec<(FontRole, PathBuf)>,
    /// PDF 标准 / PDF standard
    #[arg(long, value_enum, ignore_case = true, default_value_t = PdfStandardArg::A2b)]
    pub pdf_standard: PdfStandardArg,
    /// HTML 只输出正文片段（供粘贴到网站内容管理系统）/ HTML: write only the body fragment, for pasting into a CMS
    #[arg(long)]
    pub html_fragment: bool,
    /// 不打印警告 / Do not print warnings
    #[arg(short, long)]
    pub quiet: bool,
    /// Lint levels.
    #[command(flatten)]
    pub lints: LintArgs,
    /// Batch options.
    #[command(flatten)]
    pub batch: BatchArgs,
}

/// `layout`.
#[derive(Args)]
pub struct LayoutArgs {
    /// 报告（JSON，或 import 能读的网页、文本、PDF 等）；- 表示标准输入 / Report (JSON, or whatever import reads); - reads stdin
    pub file: OsString,
}

/// `collect`.
#[derive(Args)]
pub struct CollectArgs {
    /// 报告文件或目录（递归查找 *.json、*.html、*.htm、*.txt、*.pdf、*.docx）/ Report files or folders (searched for *.json, *.html, *.htm, *.txt, *.pdf, *.docx)
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// 输出工作簿；- 表示标准输出 / Output workbook; - for stdout
    #[arg(short, long)]
    pub output: OsString,
    /// 另存长表 CSV / Also write the long table as CSV
    #[arg(long)]
    pub csv_long: Option<OsString>,
    /// 另存宽表 CSV / Also write the wide table as CSV
    #[arg(long)]
    pub csv_wide: Option<OsString>,
    /// Lint levels.
    #[command(flatten)]
    pub lints: LintArgs,
    /// CSV 编码（默认带 BOM 的 UTF-8，中文 Windows 上的 Excel 可直接打开）/ CSV encoding (default UTF-8 with BOM, read correctly by Excel on Chinese Windows)
    #[arg(long, value_enum, default_value_t = CsvEncodingArg::Utf8Bom)]
    pub csv_encoding: CsvEncodingArg,
    /// 应报机关名单（每行一个机关）：按年度列出未报送的机关和名单外的报告 / Roster of agencies expected to report (one per line): lists, per year, who has not reported and reports from agencies not on it
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,
    /// Batch options.
    #[command(flatten)]
    pub batch: BatchArgs,
}

/// `import`.
#[derive(Args)]
pub struct ImportArgs {
    /// 网页（.html）、爬虫文本（.txt）、PDF、报告 JSON；- 表示标准输入 / Inputs: web pages, crawler text, PDFs, report JSON; - reads stdin
    #[arg(required = true)]
    pub inputs: Vec<OsString>,
    /// 输出 JSON 文件（单一输入；- 表示标准输出；单一输入时默认标准输出）/ Output JSON for one input (- or default: stdout)
    #[arg(short, long, conflicts_with = "out_dir")]
    pub output: Option<OsString>,
    /// 输出目录：每个输入写为 <文件名>.json（标准输入按 <机关>-<年度>.json）/ Output folder: <stem>.json per input
    #[arg(long)]
    pub out_dir: Option<PathBuf>,
    /// 输入类型（默认按内容识别）/ Kind of input (default: detected from the bytes)
    #[arg(long, value_enum, ignore_case = true, default_value_t = FromArg::Auto)]
    pub from: FromArg,
    /// 去掉网页转换加入的拼音、繁体转简体（也适用于 JSON 输入）/ Remove converter pinyin and convert traditional characters (JSON inputs too)
    #[arg(long)]
    pub clean: bool,
    /// 报告格式（默认按表格标签识别）/ Format id (default: detected from the labels)
    #[arg(long, value_parser = PossibleValuesParser::new(nianbao::template::format_ids()))]
    pub format: Option<String>,
    /// 机关全称（补充或替换来源中的）/ Agency name, filling or overriding the source's
    #[arg(long)]
    pub agency: Option<String>,
    /// 报告年度（补充或替换来源中的）/ Report year, filling or overriding the source's
    #[arg(long)]
    pub year: Option<i32>,
    /// 导入日志格式（写到标准错误）/ Format of the import log on standard error
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// Batch options.
    #[command(flatten)]
    pub batch: BatchArgs,
}

/// `--csv-encoding`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CsvEncodingArg {
    /// UTF-8 without BOM.
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// UTF-8 with BOM (default).
    #[value(name = "utf-8-bom", alias = "utf8-bom")]
    Utf8Bom,
    /// GB 18030.
    #[value(name = "gb18030")]
    Gb18030,
}

impl From<CsvEncodingArg> for nianbao::csv::Encoding {
    fn from(e: CsvEncodingArg) -> Self {
        match e {
            CsvEncodingArg::Utf8 => Self::Utf8,
            CsvEncodingArg::Utf8Bom => Self::Utf8Bom,
            CsvEncodingArg::Gb18030 => Self::Gb18030,
        }
    }
}

/// `aggregate`.
#[derive(Args)]
pub struct AggregateArgs {
    /// 下级报告（JSON，或 import 能读的文件）/ Child reports (JSON, or whatever import reads)
    #[arg(required = true)]
    pub children: Vec<OsString>,
    /// 汇总报告的机关名称 / Agency of the aggregate report
    #[arg(long)]
    pub agency: String,
    /// 机关类型 / Level
    #[arg(long, value_enum, default_value_t = LevelArg::Government)]
    pub level: LevelArg,
    /// 报告年度（须与下级报告一致）/ Year (must match the children)
    #[arg(long)]
    pub year: Option<i32>,
    /// 输出 JSON 文件；- 表示标准输出 / Output JSON; - for stdout
    #[arg(short, long)]
    pub output: OsString,
}

/// The rule catalogue for `validate --help`.
fn rules_help() -> String {
    // `"  {id}  {severity:<13} {what}\n"` per rule, without the formatter (this runs on every
    // command line).
    let mut s = String::with_capacity(8192);
    s.push_str("规则 Rules:\n");
    for (id, severity, what) in validate::RULES.iter().chain(nianbao::finding::IMPORT_RULES) {
        s.push_str("  ");
        s.push_str(id);
        s.push_str("  ");
        s.push_str(severity);
        for _ in severity.chars().count()..13 {
            s.push(' ');
        }
        s.push(' ');
        s.push_str(what);
        s.push('\n');
    }
    s
}

fn parse_date(s: &str) -> Result<Date, String> {
    s.parse()
}

/// Parses `--font ROLE=PATH`; the path may be any bytes.
#[derive(Clone)]
struct FontParser;

impl TypedValueParser for FontParser {
    type Value = (FontRole, PathBuf);

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<Self::Value, clap::Error> {
        let fail = |message: String| {
            clap::Error::raw(clap::error::ErrorKind::ValueValidation, message + "\n").with_cmd(cmd)
        };
        let Some((role, path)) = split_once_eq(value) else {
            return Err(fail(format!(
                "--font 应为 ROLE=PATH，例如 body=/path/FangSong.ttf（收到 “{}”）(expected ROLE=PATH)",
                value.to_string_lossy()
            )));
        };
        let role: FontRole = role.parse().map_err(fail)?;
        if path.is_empty() {
            return Err(fail(format!(
                "--font {role}= 缺少字体文件路径 (missing path)"
            )));
        }
        Ok((role, PathBuf::from(path)))
    }
}

/// Splits `ROLE=PATH` at the first `=`: the role as text, the path as it was given.
fn split_once_eq(value: &OsStr) -> Option<(&str, &OsStr)> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = value.as_bytes();
        let i = bytes.iter().position(|&b| b == b'=')?;
        let role = std::str::from_utf8(&bytes[..i]).ok()?;
        Some((role, OsStr::from_bytes(&bytes[i + 1..])))
    }
    #[cfg(not(unix))]
    {
        let (role, path) = value.to_str()?.split_once('=')?;
        Some((role, OsStr::new(path)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    /// The subcommands' options are added only when they run ([`Lazy`]); their help still
    /// shows the variant's description (not the options struct's doc comment), the options and,
    /// for `validate`, the rules.
    #[test]
    fn deferred_subcommands_keep_their_description_and_options() {
        use clap::CommandFactory;
        let help = |args: &[&str]| match Cli::try_parse_from(args) {
            Err(e) if e.exit_code() == 0 => e.render().to_string(),
            _ => panic!("{args:?} printed no help"),
        };
        let validate = help(&["nianbao", "validate", "--help"]);
        assert!(validate.starts_with("校验报告（退出码"), "{validate}");
        assert!(validate.contains("--previous") && validate.contains("规则 Rules:\n  "));
        let export = help(&["nianbao", "export", "-h"]);
        assert!(export.starts_with("校验后导出"), "{export}");
        assert!(export.contains("--html-fragment"));
        assert!(!export.contains("`export`"));
        // Building the command does not add any subcommand's options.
        let cmd = Cli::command();
        for sub in cmd.get_subcommands() {
            assert_eq!(sub.get_arguments().count(), 0, "{}", sub.get_name());
        }
    }

    #[test]
    fn options_parse_into_typed_values() {
        let cli = Cli::try_parse_from([
            "nianbao",
            "export",
            "r.json",
            "--to",
            "PDF,xlsx",
            "--date",
            "2025-01-20",
            "--font",
            "body=/f/a=b.otf",
            "--pdf-standard",
            "ua-1",
        ])
        .unwrap();
        let Command::Export(Lazy(a)) = cli.command else {
            panic!("export")
        };
        assert!(a.to == [TargetArg::Pdf, TargetArg::Xlsx]);
        assert_eq!(a.date, Some("2025-01-20".parse().unwrap()));
        assert_eq!(a.fonts, [(FontRole::Body, PathBuf::from("/f/a=b.otf"))]);
        assert!(a.pdf_standard == PdfStandardArg::Ua1);
        for bad in [
            &["export", "r.json", "--to", "odt"][..],
            &["export", "r.json", "--date", "2025-13-01"],
            &["export", "r.json", "--font", "serif=/x.otf"],
            &["export", "r.json", "--font", "body"],
            &["export", "r.json", "--pdf-standard", "a-3"],
            &[
                "aggregate",
                "a.json",
                "--agency",
                "x",
                "--level",
                "city",
                "-o",
                "-",
            ],
            &["new", "--agency", "x", "--year", "2024", "--format", "2030"],
        ] {
            let args = std::iter::once("nianbao").chain(bad.iter().copied());
            let e = Cli::try_parse_from(args)
                .err()
                .unwrap_or_else(|| panic!("{bad:?}"));
            assert_eq!(e.exit_code(), 2, "{bad:?}");
        }
    }
}
