//! `racerun completions` and `racerun man`: shell completions and manual pages,
//! generated from the clap definitions so they always match the commands.

use anyhow::{Result, bail};

use super::console::print;
use crate::cli::{CompletionsArgs, ManArgs};

/// Runs `racerun completions SHELL`: the completion script on standard output.
pub fn completions(args: CompletionsArgs) -> Result<()> {
    let mut cmd = crate::cli::command();
    // Generated into memory first: the generator panics when its writer fails.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "racerun", &mut script);
    print(&String::from_utf8_lossy(&script))?;
    Ok(())
}

/// Runs `racerun man [COMMAND]`: a manual page in roff on standard output
/// (`racerun man > racerun.1`; `racerun man run > racerun-run.1`).
pub fn man(args: ManArgs) -> Result<()> {
    let cmd = crate::cli::command();
    let page = match &args.command {
        None => cmd,
        Some(name) => {
            let names: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
            let Some(sub) = cmd.find_subcommand(name) else {
                let hint = racerun::scenario::did_you_mean(name, names.iter().copied());
                bail!("no command `{name}`{hint}; commands: {}", names.join(", "));
            };
            let full = format!("racerun-{}", sub.get_name());
            sub.clone()
                .display_name(full.clone())
                .bin_name(full.replace("-", " "))
        }
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page).render(&mut roff)?;
    print(&String::from_utf8_lossy(&roff))?;
    Ok(())
}
