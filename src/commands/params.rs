//! `racerun params [PREFIX]`: every scenario parameter, printed from the same catalogue
//! ([`racerun::scenario::params::PARAMS`]) that validation checks files against.

use anyhow::{Result, anyhow};

use racerun::scenario::params::{self, Kind, ParamSpec};

use super::console::out;
use crate::cli::ParamsArgs;

/// Runs `racerun params`.
pub fn run(args: ParamsArgs) -> Result<()> {
    let specs = params::under(args.prefix.as_deref().unwrap_or("")).map_err(|e| anyhow!(e))?;
    out!("{}", render(&specs))?;
    Ok(())
}

/// Two lines per parameter: path, type, unit, default and range; then its meaning.
/// `labs.*` is any lab (by id on the command line: `--set labs.openai.fleet=1e5`).
pub fn render(specs: &[&ParamSpec]) -> String {
    let mut out = String::from(
        "Scenario parameters (`labs.*` is any lab; on the command line name it by id:\n\
         --set labs.<id>.fleet=2e5). A blank default is required, derived or optional (absent\n\
         unless set), as the meaning says.\n\
         A real parameter may also be a distribution (an uncertain input, see\n\
         docs/uncertainty.md) unless marked \"no distribution\".\n",
    );
    let mut group = "";
    for s in specs {
        let g = s.path.rsplit_once('.').map_or("", |(g, _)| g);
        if g != group {
            out.push('\n');
            group = g;
        }
        let mut head = format!("{}  ({}", s.path, s.kind.name());
        if !s.unit.is_empty() {
            head.push_str(&format!(", {}", s.unit));
        }
        if s.kind == Kind::Real && !s.uncertain {
            head.push_str(", no distribution");
        }
        head.push(')');
        if !s.default.is_empty() {
            head.push_str(&format!("  default {}", s.default));
        }
        if let Some(r) = s.range {
            head.push_str(&format!("  range {r}"));
        }
        out.push_str(&format!("{head}\n    {}\n", s.doc));
    }
    out
}
