//! `collect`: many reports into one workbook (and CSVs), written together as one output set.

use super::args::CollectArgs;
use super::console::Console;
use super::error::{CliError, Exit};
use nianbao::files::{self, Destination, OutputSet};
use nianbao::{collect, csv};
use std::path::Path;

/// Runs `collect`: exit 0 when every file was read, 1 when some were skipped (listed on
/// standard error and in the sheet `未读入`), 2 when none could be read.
pub fn run(a: CollectArgs, console: &mut Console) -> Result<Exit, CliError> {
    let output = Destination::from_arg(a.output);
    let csv_long = a.csv_long.map(Destination::from_arg);
    let csv_wide = a.csv_wide.map(Destination::from_arg);
    let found = collect::expand_inputs(&a.inputs);
    let inputs: Vec<&Path> = found.files.iter().map(|p| p.as_path()).collect();
    let mut dests = vec![&output];
    dests.extend(csv_long.iter());
    dests.extend(csv_wide.iter());
    files::check_distinct(&inputs, &dests)?;

    let (c, bytes) = collect::collect_workbook_from(found).map_err(|error| CliError::Export {
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
    console.say(&format!(
        "汇集 {} 份报告，跳过 {} 个文件 → {} (collected {}, skipped {})",
        c.entries.len(),
        c.skipped.len(),
        output,
        c.entries.len(),
        c.skipped.len()
    ));
    Ok(if c.skipped.is_empty() {
        Exit::Success
    } else {
        Exit::Invalid
    })
}
