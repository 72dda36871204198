//! One module per subcommand; each exposes `run(args)`. [`console`] is the terminal
//! (standard output without panics, the progress bar), [`signals`] Ctrl-C.

pub mod bench;
pub mod console;
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
use racerun::output::{Destination, OutputKind};
use racerun::scenario::library::Source;

/// The file a scenario was read from, if it was a file (not a bundled name).
fn input_file(source: &Source) -> Option<PathBuf> {
    source
        .bundled
        .is_none()
        .then(|| PathBuf::from(&source.origin))
}

/// Checks where a result of `kind` goes (`--out`, else `default`) before any work, says
/// which leftovers of interrupted racerun processes it removed, and installs the Ctrl-C
/// handler that removes a result half-written.
fn destination(
    out: Option<&Path>,
    default: impl FnOnce() -> PathBuf,
    kind: OutputKind,
    inputs: &[&Path],
    quiet: bool,
) -> Result<Destination> {
    let path = out.map_or_else(default, Path::to_path_buf);
    let dest = Destination::check(&path, kind, inputs)?;
    if !quiet {
        console::cleaned(dest.cleaned());
    }
    signals::install();
    Ok(dest)
}
