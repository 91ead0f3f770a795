//! Reading a report from any input the importer knows: report JSON (read exactly as before, with
//! the same messages), web pages, crawler text, PDFs, and whatever else [`import::read_any`]
//! reads. A `.json` file, or an input whose bytes are a JSON object, takes the JSON path; every
//! other input is imported, and its import log travels with the report so that commands list
//! its findings (`I-01` … `I-04`) among the validation findings.

use super::error::CliError;
use nianbao::finding::Finding;
use nianbao::import::{self, ImportLog, ImportOptions, SourceKind};
use nianbao::input::{self, Source};
use nianbao::limits::MAX_INPUT_BYTES;
use nianbao::Report;
use std::io::Read;

/// A report read from an input, with what its import noticed.
pub struct Loaded {
    /// The report.
    pub report: Report,
    /// The import log (empty for report JSON).
    pub log: ImportLog,
    /// The kind of input it was read as.
    pub kind: SourceKind,
}

impl Loaded {
    /// The import log as findings (rules `I-01` … `I-04`).
    pub fn import_findings(&self) -> Vec<Finding> {
        self.log.findings()
    }
}

/// Extensions of inputs that are never report JSON, whatever their bytes.
const IMPORTED: [&str; 10] = [
    "html", "htm", "shtml", "xhtml", "txt", "pdf", "docx", "xlsx", "doc", "xls",
];

/// The extension of a source's file name, lower case (empty for standard input).
fn extension(source: &Source) -> String {
    source
        .path()
        .and_then(|p| p.extension())
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Reads a source's bytes, at most [`MAX_INPUT_BYTES`].
pub fn read_bytes(source: &Source) -> Result<Vec<u8>, CliError> {
    let file = source.to_string();
    let read_error = |error| CliError::Read {
        file: file.clone(),
        error,
    };
    match source {
        Source::File(p) => input::read_file(p).map_err(read_error),
        Source::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin()
                .lock()
                .take(MAX_INPUT_BYTES + 1)
                .read_to_end(&mut buf)
                .map_err(|e| read_error(input::ReadError::Io(e)))?;
            if buf.len() as u64 > MAX_INPUT_BYTES {
                return Err(read_error(input::ReadError::TooLarge));
            }
            Ok(buf)
        }
    }
}

/// Whether an input is read as report JSON: a `.json` file, or (without an extension the
/// importer claims) bytes that are a JSON object.
fn is_json(source: &Source, bytes: &[u8]) -> bool {
    let ext = extension(source);
    if ext == "json" {
        return true;
    }
    if IMPORTED.contains(&ext.as_str()) {
        return false;
    }
    import::detect(bytes, &source.to_string()) == SourceKind::Json
}

/// Reads a report from any input: `from` forces the kind (`--from`), else it is detected.
/// Report JSON gets the options applied as the importer does (`--agency`, `--year`, `--clean`).
pub fn load_with(
    source: &Source,
    from: Option<SourceKind>,
    opts: &ImportOptions,
) -> Result<Loaded, CliError> {
    let bytes = read_bytes(source)?;
    let file = source.to_string();
    let json = match from {
        Some(kind) => kind == SourceKind::Json,
        None => is_json(source, &bytes),
    };
    if json {
        let text = input::decode(bytes).map_err(|error| CliError::Read {
            file: file.clone(),
            error,
        })?;
        let mut report =
            Report::from_json(&text).map_err(|error| CliError::Input { file, error })?;
        if let Some(a) = &opts.agency {
            report.agency = a.clone();
        }
        if let Some(y) = opts.year {
            report.year = y;
        }
        if opts.clean {
            report = import::clean(&report);
        }
        return Ok(Loaded {
            report,
            log: ImportLog::default(),
            kind: SourceKind::Json,
        });
    }
    let (kind, imported) = match from {
        Some(k) => (k, import::read_as(k, &bytes, opts)),
        None => import::read_detected(&bytes, &file, opts),
    };
    let imported = imported.map_err(|error| CliError::Import { file, error })?;
    Ok(Loaded {
        report: imported.report,
        log: imported.log,
        kind,
    })
}

/// Reads a report from any input with the kind detected and no import options.
pub fn load_any(source: &Source) -> Result<Loaded, CliError> {
    load_with(source, None, &ImportOptions::default())
}
