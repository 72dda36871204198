//! Wires the command line to the library and the file system. Everything that prints,
//! reads the environment or touches files lives in `app` and `commands`; the library
//! core (scenario, engine, montecarlo, metrics) does none of it.

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::commands;

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run(args) => commands::run::run(args),
        Command::Plot(args) => commands::plot::run(args),
        Command::Bench(args) => commands::bench::run(args),
        Command::Scenarios => commands::library::scenarios(),
        Command::Show(args) => commands::library::show(args),
        Command::Params(args) => commands::params::run(args),
        Command::Check(args) => commands::library::check(args),
        Command::New(args) => commands::new::run(args),
        Command::Sweep(args) => commands::sweep::run(args),
        Command::Merge(args) => commands::merge::run(args),
        Command::Sensitivity(args) => commands::sensitivity::run(args),
        Command::Completions(args) => commands::shell::completions(args),
        Command::Man(args) => commands::shell::man(args),
    }
}
