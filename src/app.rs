//! Wires the command line to the library and the file system. Everything that prints,
//! reads the environment or touches files lives in `app` and `commands`; the library
//! core (scenario, engine, montecarlo, metrics) does none of it.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::commands::{self, console};

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run(args) => commands::run::run(args),
        Command::Plot(args) => commands::plot::run(args),
        Command::Report(args) => commands::report::run(args),
        Command::Compare(args) => commands::report::compare(args),
        Command::Bench(args) => commands::bench::run(args),
        Command::Scenarios => commands::library::scenarios(),
        Command::Show(args) => commands::library::show(args),
        Command::Params(args) => commands::params::run(args),
        Command::Measures(args) => commands::params::measures(args),
        Command::Check(args) => commands::library::check(args),
        Command::New(args) => commands::new::run(args),
        Command::Sweep(args) => commands::sweep::run(args),
        Command::Merge(args) => commands::merge::run(args),
        Command::Sensitivity(args) => commands::sensitivity::run(args),
        Command::Explain(args) => commands::explain::run(args),
        Command::Completions(args) => commands::shell::completions(args),
        Command::Man(args) => commands::shell::man(args),
    }
}

/// Reports a failed command on standard error and gives its exit code: 130 for an
/// interrupted sweep (its message says how to resume), 141 without a message when
/// standard output was closed by the reader (as `racerun params | head` does), 2
/// otherwise. Never panics, even when standard error itself cannot be written.
pub fn report_error(e: &anyhow::Error) -> ExitCode {
    let mut stderr = std::io::stderr().lock();
    if let Some(stop) = e.downcast_ref::<console::Interrupted>() {
        let _ = writeln!(stderr, "{stop}");
        return ExitCode::from(130);
    }
    if e.downcast_ref::<console::StdoutError>()
        .is_some_and(console::StdoutError::is_closed)
    {
        return ExitCode::from(141);
    }
    let _ = writeln!(stderr, "error: {e:#}");
    ExitCode::from(2)
}
