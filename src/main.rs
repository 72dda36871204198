//! The `racerun` binary: parse, run, map the result to an exit code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = racerun::cli::Cli::parse();
    match racerun::app::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}
