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
pub mod run;
pub mod sensitivity;
pub mod shell;
pub mod signals;
pub mod sweep;

use std::path::{Path, PathBuf};

use anyhow::Result;
use racerun::experiment::shard::Shard;
use racerun::output::{Destination, OutputKind};
use racerun::scenario::library::Source;

use crate::cli::Execution;

/// Where a simulating command writes its result of `kind` (or, for a `shard`, the
/// partial result): `--out`, else `output/BASE` (`output/BASE.shard-K-of-N`). Checked
/// before any work; the scenario file, if the scenario came from one, is an input.
fn output_for(
    exec: &Execution,
    source: &Source,
    base: &str,
    kind: OutputKind,
    shard: Option<Shard>,
) -> Result<Destination> {
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
