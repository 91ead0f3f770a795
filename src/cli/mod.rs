//! The `nianbao` command line: parse (clap, typed values), run one command, map the outcome to a
//! documented exit code ([`error::Exit`]). Nothing here panics on bad input; a panic from a bug
//! is caught and reported as an internal error (exit 4) in one line.

mod args;
mod batch;
mod collect;
mod commands;
mod console;
mod diff;
mod error;
mod export;
mod import;
mod read;

use args::{Cli, Command, Lazy};
use clap::Parser;
use console::Console;
use error::{CliError, Exit};
use nianbao::input::Source;
use nianbao::Report;
use std::ffi::OsString;
use std::process::ExitCode;
use std::sync::Mutex;

/// The message of the last panic, printed only if the panic reaches [`main`] (a panic that the
/// library catches and turns into an error stays silent).
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Runs the command line and returns the process's exit code.
pub fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(info.to_string());
        }
    }));
    // The signal handlers are installed only once something is about to be written.
    nianbao::files::before_first_write(clean_up_on_signals);
    if std::env::var_os("NIANBAO_FSYNC").is_some_and(|v| !v.is_empty() && v != "0") {
        nianbao::files::set_durable(true);
    }
    guarded(|| run(std::env::args_os().collect()))
}

/// Ctrl-C, SIGTERM and SIGHUP end the run with 128 + the signal's number, as a shell reports it,
/// once no output set is half-written (see [`nianbao::files::end_on_signals_between_writes`]):
/// every output is whole or absent, and no temporary file is left. Installed just before the
/// process's first temporary file is created ([`nianbao::files::before_first_write`]); before
/// that, a signal ends the process as usual.
fn clean_up_on_signals() {
    // Without the handlers a signal still ends the run, only without waiting for a set being
    // written; the temporaries then left are named `.nianbao-*`.
    let _ = nianbao::files::end_on_signals_between_writes();
}

/// Runs `f`; a panic becomes exit 4 with the panic's message on one line.
fn guarded(f: impl FnOnce() -> Exit + std::panic::UnwindSafe) -> ExitCode {
    match std::panic::catch_unwind(f) {
        Ok(code) => code.into(),
        Err(_) => {
            let message = LAST_PANIC
                .lock()
                .ok()
                .and_then(|mut m| m.take())
                .unwrap_or_else(|| "panic".into());
            Console::new().say(&format!(
                "内部错误，请报告此问题 (internal error, please report it): {message}"
            ));
            Exit::Internal.into()
        }
    }
}

/// Parses the arguments and runs the command.
fn run(args: Vec<OsString>) -> Exit {
    let mut console = Console::new();
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return usage(&mut console, &e),
    };
    let result = match cli.command {
        Command::Validate(Lazy(a)) => commands::validate(a, &mut console),
        Command::Schema => commands::schema(&mut console),
        Command::New(Lazy(a)) => commands::new(a, &mut console),
        Command::Export(Lazy(a)) => export::run(a, &mut console),
        Command::Layout(Lazy(a)) => commands::layout(a, &mut console),
        Command::Collect(Lazy(a)) => collect::run(a, &mut console),
        Command::Aggregate(Lazy(a)) => commands::aggregate(a, &mut console),
        Command::Import(Lazy(a)) => import::run(a, &mut console),
        Command::Diff(Lazy(a)) => diff::run(a, &mut console),
    };
    let result = result.and_then(|code| console.flush().map(|()| code));
    match result {
        Ok(code) => code,
        Err(e) if e.is_closed_pipe() => Exit::Success,
        Err(e) => {
            console.say(&e.to_string());
            e.exit()
        }
    }
}

/// Help and version go to standard output (exit 0); a usage error to standard error (exit 2).
/// Both escaped: clap echoes the values it was given.
fn usage(console: &mut Console, e: &clap::Error) -> Exit {
    let text = e.render().to_string();
    if e.exit_code() == 0 {
        let printed = text
            .lines()
            .try_for_each(|l| console.line(l))
            .and_then(|()| console.flush());
        return match printed {
            Err(e) if !e.is_closed_pipe() => e.exit(),
            _ => Exit::Success,
        };
    }
    for l in text.trim_end().lines() {
        console.note(l);
    }
    Exit::Input
}

/// Reads a report from a file or standard input: report JSON, or anything `import` reads (the
/// import log is dropped; commands that list findings use [`read::load_any`]).
fn load(source: &Source) -> Result<Report, CliError> {
    read::load_any(source).map(|l| l.report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_an_internal_error() {
        let code = guarded(|| panic!("boom"));
        assert_eq!(code, Exit::Internal.into());
        assert_eq!(guarded(|| Exit::Invalid), Exit::Invalid.into());
    }
}
