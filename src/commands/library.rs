//! `racerun scenarios`, `racerun show` and `racerun check`: the bundled library, a
//! scenario fully resolved, and validation alone.

use anyhow::Result;
use racerun::scenario::library::{BUNDLED, Source};
use racerun::scenario::show;

use super::console::out;
use crate::cli::ScenarioArgs;

/// Runs `racerun scenarios`: one line per bundled scenario, its name and question.
pub fn scenarios() -> Result<()> {
    let width = BUNDLED.iter().map(|b| b.name.len()).max().unwrap_or(0);
    let mut text = format!("{:width$}  question\n", "name");
    text.push_str(&format!(
        "{:width$}  {}\n",
        "-".repeat(width),
        "-".repeat(8)
    ));
    for b in BUNDLED {
        text.push_str(&format!("{:width$}  {}\n", b.name, b.question()));
    }
    text.push_str(
        "\nRun one by name from any directory (`racerun run race`), read it in full with \
         `racerun show NAME`,\nor copy it to edit with `racerun new mine --from NAME`. A \
         name says what world a scenario sets up,\nnot the verdict it gets (`race` is judged \
         by the same rule as every other): run it to see,\nor read the README's table of \
         the library, which gives each verdict and its causes.\n",
    );
    out!("{text}")?;
    Ok(())
}

/// Runs `racerun show`: the resolved scenario as TOML, defaults marked.
pub fn show(args: ScenarioArgs) -> Result<()> {
    let source = Source::find(&args.scenario)?;
    let scenario = source.load(&args.set)?;
    out!("{}", show::annotated(&scenario, &source.text, &args.set)?)?;
    Ok(())
}

/// Runs `racerun check`: validate, say so, write nothing.
pub fn check(args: ScenarioArgs) -> Result<()> {
    let source = Source::find(&args.scenario)?;
    let s = source.load(&args.set)?;
    super::console::idle_settings(&s, false);
    out!(
        "ok: {}: scenario `{}`, {} lab{} ({}), {} month{} from {}\n",
        source.origin,
        s.name,
        s.labs.len(),
        racerun::numbers::plural_s(s.labs.len()),
        s.labs
            .iter()
            .map(|l| l.id.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        s.months,
        racerun::numbers::plural_s(s.months as usize),
        s.start()
    )?;
    Ok(())
}
