//! The `racerun` binary: parse the command line, run the command, map the result to an
//! exit code. The command line is the binary's own: the library never sees it.

mod app;
mod cli;
mod commands;

use std::process::ExitCode;

fn main() -> ExitCode {
    let result = app::run(cli::parse());
    commands::signals::wait_if_quitting();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => app::report_error(&e),
    }
}
