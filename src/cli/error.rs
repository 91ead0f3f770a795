//! Exit codes, one per class of outcome, and the errors that end a run, each mapped to its code.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success (also: the reader of our output went away, e.g. `| head`) |
//! | 1 | validation errors: export blocked, or written with `--allow-invalid`; `collect` skipped some files; `import` left statutory cells unread |
//! | 2 | input unreadable or bad usage: malformed JSON, not a report, a bad option, an unknown rule id, a missing file, a bad `--font` file |
//! | 3 | an output could not be written: I/O error, disk full, a writer failure |
//! | 4 | internal error (a bug: a caught panic) |
//!
//! A batch (many inputs) exits with the worst code of its inputs.
//!
//! Ctrl-C, SIGTERM and SIGHUP end the run with 128 + the signal's number once no output set is
//! half-written (no temporary file is left).

use nianbao::export::ExportError;
use nianbao::files::{ClashError, Destination, WriteError};
use nianbao::input::ReadError;
use nianbao::InputError;
use std::process::ExitCode;

/// The documented exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// 0: success.
    Success = 0,
    /// 1: validation errors (or, for `collect`, some files skipped).
    Invalid = 1,
    /// 2: input unreadable or bad usage.
    Input = 2,
    /// 3: output could not be written.
    Output = 3,
    /// 4: internal error.
    Internal = 4,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

/// What ends a run early.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A usage error found after parsing (options that do not fit together).
    #[error("{0}")]
    Usage(String),
    /// An input file could not be read as text.
    #[error("{file}: {error}")]
    Read {
        /// The input as named.
        file: String,
        /// Why.
        #[source]
        error: ReadError,
    },
    /// An input is not a readable report.
    #[error("{file}: {error}")]
    Input {
        /// The input as named.
        file: String,
        /// Where and why.
        #[source]
        error: InputError,
    },
    /// An input could not be imported (not a report, unreadable, an unsupported kind).
    #[error("{file}: {error}")]
    Import {
        /// The input as named.
        file: String,
        /// Why.
        #[source]
        error: nianbao::import::ImportError,
    },
    /// The lint levels cannot be built (an unknown rule id, a bad configuration file).
    #[error(transparent)]
    Lint(#[from] nianbao::lint::LintError),
    /// Child reports that cannot be summed.
    #[error("{0}")]
    Aggregate(String),
    /// `collect` found no readable report.
    #[error("没有可读入的报告 (no readable reports)")]
    NothingCollected,
    /// Outputs that would overwrite an input or each other.
    #[error(transparent)]
    Clash(#[from] ClashError),
    /// A writer failed (a bad `--font` file is an input error, any other failure an output one).
    #[error("{file}: {error}")]
    Export {
        /// The input being exported.
        file: String,
        /// Why.
        #[source]
        error: ExportError,
    },
    /// An output could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// An output folder could not be created.
    #[error("无法创建输出目录 {dir} (cannot create the output folder: {error})")]
    OutDir {
        /// The folder.
        dir: String,
        /// Why.
        #[source]
        error: std::io::Error,
    },
}

impl CliError {
    /// The exit code of this error.
    pub fn exit(&self) -> Exit {
        match self {
            CliError::Usage(_)
            | CliError::Read { .. }
            | CliError::Input { .. }
            | CliError::Import { .. }
            | CliError::Lint(_)
            | CliError::Aggregate(_)
            | CliError::NothingCollected
            | CliError::Clash(_) => Exit::Input,
            CliError::Export {
                error: ExportError::Font { .. },
                ..
            } => Exit::Input,
            CliError::Export { .. } | CliError::OutDir { .. } => Exit::Output,
            CliError::Write(_) if self.is_closed_pipe() => Exit::Success,
            CliError::Write(_) => Exit::Output,
        }
    }

    /// Standard output was closed by its reader (`| head`): the run ends quietly.
    pub fn is_closed_pipe(&self) -> bool {
        matches!(self, CliError::Write(WriteError { dest: Destination::Stdout, source })
            if source.kind() == std::io::ErrorKind::BrokenPipe)
    }
}
