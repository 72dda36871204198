//! One module per subcommand; each exposes `run(args)`. [`console`] is the terminal
//! (standard output without panics, the progress bar), [`signals`] Ctrl-C.

pub mod bench;
pub mod console;
pub mod explain;
pub mod library;
pub mod merge;
pub mod new;
pub mod params;
pub mod plot;
pub mod report;
pub mod run;
pub mod sensitivity;
pub mod shell;
pub mod signals;
pub mod sweep;

use std::path::{Path, PathBuf};

use anyhow::Result;
use racerun::experiment::shard::Shard;
use racerun::output::{Destination, OutputKind, variant_name};
use racerun::scenario::Override;
use racerun::scenario::library::Source;

use crate::cli::Execution;

/// Where a simulating command writes its result of `kind` (or, for a `shard`, the
/// partial result): `--out`, else `output/BASE` (`output/BASE.shard-K-of-N`), BASE being
/// the scenario's `name` with `suffix` (`-sweep`), and with a short hash of the `--set`
/// overrides after the name when there are any, so that a modified scenario never
/// replaces the unmodified one's result. Checked before any work; the scenario file, if
/// the scenario came from one, is an input.
fn output_for(
    exec: &Execution,
    source: &Source,
    (name, suffix): (&str, &str),
    set: &[Override],
    kind: OutputKind,
    shard: Option<Shard>,
) -> Result<Destination> {
    let overrides: Vec<String> = set.iter().map(|o| o.arg.clone()).collect();
    let base = format!("{}{suffix}", variant_name(name, &overrides));
    let default = || {
        let name = match shard {
            Some(s) => format!("{base}.shard-{}-of-{}", s.index, s.count),
            None => base.to_string(),
        };
        PathBuf::from("output").join(name)
    };
    let kind = if shard.is_some() { kind.shard() } else { kind };
    let inputs: Vec<PathBuf> = source
        .bundled
        .is_none()
        .then(|| PathBuf::from(&source.origin))
        .into_iter()
        .collect();
    destination(exec.out.as_deref(), default, kind, &inputs, exec.quiet)
}

/// The command line as typed, each argument quoted for a POSIX shell where it needs it,
/// so that it can be pasted to make the result again.
pub(crate) fn command_line() -> String {
    std::env::args()
        .enumerate()
        .map(|(i, arg)| {
            let arg = if i == 0 { "racerun".to_string() } else { arg };
            let plain = !arg.is_empty()
                && arg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
            if plain {
                arg
            } else {
                format!("'{}'", arg.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Checks where a result of `kind` goes (`--out`, else `default`) before any work, says
/// which leftovers of interrupted racerun processes it removed, and installs the Ctrl-C
/// handler that removes a result half-written.
fn destination(
    out: Option<&Path>,
    default: impl FnOnce() -> PathBuf,
    kind: OutputKind,
    inputs: &[PathBuf],
    quiet: bool,
) -> Result<Destination> {
    let path = out.map_or_else(default, Path::to_path_buf);
    let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    let dest = Destination::check(&path, kind, &inputs)?;
    if !quiet {
        console::cleaned(dest.cleaned());
    }
    signals::install();
    Ok(dest)
}
