//! `collect`: many reports into one workbook (and CSVs), written together as one output set.

use super::args::CollectArgs;
use super::console::Console;
use super::error::{CliError, Exit};
use nianbao::files::{self, Destination, OutputSet};
use nianbao::{collect, csv, input};
use std::path::Path;

/// Runs `collect`: exit 0 when every file was read, 1 when some were skipped (listed on
/// standard error and in the sheet `未读入`), 2 when none could be read.
pub fn run(a: CollectArgs, console: &mut Console) -> Result<Exit, CliError> {
    let output = Destination::from_arg(a.output);
    let csv_long = a.csv_long.map(Destination::from_arg);
    let csv_wide = a.csv_wide.map(Destination::from_arg);
    let found = collect::expand_inputs(&a.inputs);
    let mut inputs: Vec<&Path> = found.files.iter().map(|p| p.as_path()).collect();
    inputs.extend(a.roster.as_deref());
    let mut dests = vec![&output];
    dests.extend(csv_long.iter());
    dests.extend(csv_wide.iter());
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
    let opts = collect::CollectOptions {
        roster,
        lints: policy,
    };
    let (c, bytes) =
        collect::collect_workbook_with(found, opts).map_err(|error| CliError::Export {
            file: output.to_string(),
            error,
        })?;
    for s in &c.ignored {
        console.say(&format!("{}: 已忽略 ignored: {}", s.file, s.error));
    }
    for s in &c.skipped {
        console.say(&format!("{}: 已跳过 skipped: {}", s.file, s.error));
    }
    if c.entries.is_empty() {
        return Err(CliError::NothingCollected);
    }
    // Files as one set; what goes to standard output goes through the console after them.
    let mut set = OutputSet::new();
    let mut to_stdout: Vec<u8> = Vec::new();
    let outputs = [
        (Some(&output), bytes),
        (
            csv_long.as_ref(),
            csv_long
                .as_ref()
                .map(|_| csv::encode(&c.long_csv(), a.csv_encoding.into()))
                .unwrap_or_default(),
        ),
        (
            csv_wide.as_ref(),
            csv_wide
                .as_ref()
                .map(|_| csv::encode(&c.wide_csv(), a.csv_encoding.into()))
                .unwrap_or_default(),
        ),
    ];
    for (dest, data) in outputs {
        match dest {
            Some(Destination::Stdout) => to_stdout = data,
            Some(d) => set.stage(d, &data)?,
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
    Ok(if c.skipped.is_empty() {
        Exit::Success
    } else {
        Exit::Invalid
    })
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
