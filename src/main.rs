//! The `nianbao` command line (see the `cli` module): reads reports, validates, exports. Exit
//! codes: 0 success, 1 validation errors, 2 unreadable input or bad usage, 3 output failed,
//! 4 internal error.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
