//! `racerun scenarios`, `racerun show` and `racerun check`: the bundled library, a
//! scenario fully resolved, and validation alone.

use anyhow::Result;

use crate::cli::{CheckArgs, ShowArgs};
use crate::scenario::library::{BUNDLED, Source};
use crate::scenario::{Override, show};

fn overrides(set: &[String]) -> Result<Vec<Override>> {
    Ok(set
        .iter()
        .map(|s| Override::parse(s))
        .collect::<Result<Vec<_>, _>>()?)
}

/// Runs `racerun scenarios`: one line per bundled scenario, its name and question.
pub fn scenarios() -> Result<()> {
    let width = BUNDLED.iter().map(|b| b.name.len()).max().unwrap_or(0);
    println!("{:width$}  question", "name");
    println!("{:width$}  {}", "-".repeat(width), "-".repeat(8));
    for b in BUNDLED {
        println!("{:width$}  {}", b.name, b.question());
    }
    println!(
        "\nRun one by name from any directory (`racerun run race`), read it in full with \
         `racerun show NAME`,\nor copy it to edit with `racerun new mine --from NAME`."
    );
    Ok(())
}

/// Runs `racerun show`: the resolved scenario as TOML, defaults marked.
pub fn show(args: ShowArgs) -> Result<()> {
    let overrides = overrides(&args.set)?;
    let source = Source::find(&args.scenario)?;
    let scenario = source.load(&overrides)?;
    print!("{}", show::annotated(&scenario, &source.text, &overrides)?);
    Ok(())
}

/// Runs `racerun check`: validate, say so, write nothing.
pub fn check(args: CheckArgs) -> Result<()> {
    let overrides = overrides(&args.set)?;
    let source = Source::find(&args.scenario)?;
    let s = source.load(&overrides)?;
    println!(
        "ok: {}: scenario `{}`, {} lab{} ({}), {} months from {}",
        source.origin,
        s.name,
        s.labs.len(),
        if s.labs.len() == 1 { "" } else { "s" },
        s.labs
            .iter()
            .map(|l| l.id.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        s.months,
        s.start()
    );
    Ok(())
}
