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

use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use racerun::experiment::partial::Partial;
use racerun::experiment::shard::Shard;
use racerun::explain::{CHANNELS, Channel};
use racerun::montecarlo::BLOCK;
use racerun::output::{self, Destination, OutputKind, RunInfo, variant_name};
use racerun::scenario::library::Source;
use racerun::scenario::{Override, Scenario, did_you_mean};

use crate::cli::Execution;
use console::out;

/// Where a simulating command writes its result of `kind` (or, for a `shard`, the
/// partial result): `--out`, else `output/NAME` (`output/NAME.shard-K-of-N`), NAME
/// being the [`result_name`] of the scenario `name` with the `--set` overrides `set` and
/// the experiment's `detail`. Checked before any work; the scenario file, if the scenario
/// came from one, is an input.
fn output_for(
    exec: &Execution,
    source: &Source,
    (scenario, set): (&Scenario, &[Override]),
    (kind, detail): (OutputKind, &[String]),
    shard: Option<Shard>,
) -> Result<Destination> {
    let name = scenario.name.as_str();
    let overrides: Vec<String> = set.iter().map(|o| o.arg.clone()).collect();
    let base = result_name(kind, name, &overrides, detail);
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
    // Runs and explanations record their scenario: their manifests hold what differs from
    // machine to machine already (wall time, threads); a sweep's or a sensitivity study's
    // is the same bytes wherever it is made, merged from shards or not.
    let records = matches!(kind, OutputKind::Run | OutputKind::Explain);
    let made_from = scenario_source(source);
    if records && exec.out.is_none() {
        let hash = output::scenario_sha256(&scenario.to_toml());
        another_scenarios(&default(), name, (&made_from, &hash))?;
    }
    let dest = destination(exec.out.as_deref(), default, kind, &inputs, exec.quiet)?;
    Ok(if records {
        dest.made_from(made_from)
    } else {
        dest
    })
}

/// What a result records it was made from: the scenario file's absolute path, or
/// `NAME (bundled)` for a bundled scenario and for a file that holds its very text (the
/// repository's `scenarios/baseline.toml` and `racerun run baseline` are one scenario).
fn scenario_source(source: &Source) -> String {
    if let Some(b) = source.bundled.or_else(|| {
        racerun::scenario::library::BUNDLED
            .iter()
            .find(|b| b.text == source.text)
    }) {
        return b.origin();
    }
    std::fs::canonicalize(&source.origin)
        .map_or_else(|_| source.origin.clone(), |p| p.display().to_string())
}

/// Refuses the default folder `path` when it holds the result of another scenario that
/// has the same `name` (a copied and edited file whose `name` was left as it was):
/// replacing it would lose that result without a word. Another file that resolves to the
/// very scenario (`hash`, as `scenario_sha256`: a moved file, a result's own
/// `scenario.toml`) is the same scenario. A folder the user names with `--out` is
/// replaced as asked.
fn another_scenarios(path: &Path, name: &str, (made_from, hash): (&str, &str)) -> Result<()> {
    match output::place::scenario_source(path) {
        Some((other, other_hash)) if other != made_from && other_hash.as_deref() != Some(hash) => {
            bail!(
                "{}: holds the result of another scenario also named \"{name}\", {other} (nothing \
             was written); give this scenario its own `name`, or --out DIR to write \
             elsewhere (--out {} replaces that result)",
                path.display(),
                path.display()
            )
        }
        _ => Ok(()),
    }
}

/// The default folder name of a result of `kind` of scenario `name`: the name, with a
/// short hash of the `overrides` when there are any ([`variant_name`]), so that a
/// modified scenario never replaces the unmodified one's result; the kind's suffix
/// (`baseline-sweep`); and what tells experiments of one kind apart, `detail` (the swept
/// parameters, [`swept`]; the channels asked for, [`asked`]), so that a sweep over `beta`
/// does not replace one over `kappa` (`baseline-sweep-kappa`).
fn result_name(kind: OutputKind, name: &str, overrides: &[String], detail: &[String]) -> String {
    let suffix = match kind {
        OutputKind::Sweep => "-sweep",
        OutputKind::Sensitivity => "-sensitivity",
        OutputKind::Explain => "-explain",
        _ => "",
    };
    let detail: String = detail.iter().map(|d| format!("-{d}")).collect();
    format!("{}{suffix}{detail}", variant_name(name, overrides))
}

/// A sweep's parameters for its folder's name: each path's last part (`kappa` for
/// `world.dynamics.kappa`), with its table where another parameter has that name too
/// (`gpus-price`, `power-price`) and a lab's id for a lab's (`alpha-min_train`).
fn swept(axes: &[racerun::experiment::sweep::Axis]) -> Vec<String> {
    axes.iter().map(|a| short_path(&a.path)).collect()
}

/// [`swept`]'s name of one parameter path.
fn short_path(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    let leaf = parts[parts.len() - 1];
    match parts.as_slice() {
        ["labs", id, ..] => format!("{id}-{leaf}"),
        [.., table, _] => {
            let ends = |p: &&racerun::scenario::params::ParamSpec| {
                p.path.starts_with("world.") && p.path.rsplit('.').next() == Some(leaf)
            };
            let shared = racerun::scenario::params::PARAMS
                .iter()
                .filter(ends)
                .count()
                > 1;
            if shared {
                format!("{table}-{leaf}")
            } else {
                leaf.to_string()
            }
        }
        _ => leaf.to_string(),
    }
}

/// An explanation's channels for its folder's name: none when it asks for all of them.
fn asked(channels: &[racerun::explain::Channel]) -> Vec<String> {
    if channels.len() == racerun::explain::CHANNELS.len() {
        return Vec::new();
    }
    channels.iter().map(|c| c.name().to_string()).collect()
}

/// The command line as typed, each argument quoted for a POSIX shell where it needs it,
/// so that it can be pasted to make the result again.
pub(crate) fn command_line() -> String {
    std::env::args_os()
        .enumerate()
        .map(|(i, arg)| {
            // A path that is not UTF-8 is written with U+FFFD where its bytes do not decode.
            let arg = if i == 0 {
                "racerun".to_string()
            } else {
                arg.to_string_lossy().into_owned()
            };
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
    let dest = Destination::check(&path, kind, &inputs).map_err(|mut refused| {
        // The default place, not one the user typed: no `--out` in the message, and the
        // way out is one.
        if out.is_none() {
            refused.label = "";
            refused.todo = "give --out DIR to write elsewhere".into();
        }
        refused
    })?;
    if !quiet {
        console::cleaned(dest.cleaned());
    }
    signals::install();
    Ok(dest)
}

/// The runs of a Monte Carlo of `runs` runs that `shard` computes, in whole blocks of
/// [`BLOCK`] (all of them without a shard). A shard may get none when there are fewer
/// blocks than shards: it then writes an empty partial, which `merge` accepts, so that a
/// job array larger than the work still succeeds.
fn shard_runs(shard: Option<Shard>, runs: u64) -> Range<u64> {
    shard.map_or(0..runs, |shard| shard.range(runs, BLOCK))
}

/// What `shard` holds of `total` work units (`unit`: runs, cells, rows) cut on multiples
/// of `align`, for its closing line: `runs 0..256 of 1000`, or why it holds none.
fn share(shard: Shard, range: &Range<u64>, total: u64, unit: &str, align: u64) -> String {
    if !range.is_empty() {
        return format!("{unit} {}..{} of {total}", range.start, range.end);
    }
    let parts = if align > 1 {
        let blocks = total.div_ceil(align);
        format!(
            "{total} {unit} make {blocks} block{} of {align}",
            racerun::numbers::plural_s(blocks)
        )
    } else {
        format!("there are {total} {unit}")
    };
    format!(
        "no {unit} ({parts}, fewer than the {} shards: an empty share)",
        shard.count
    )
}

/// How a Monte Carlo of `runs` runs was made, for its files: the seed and the `--set`
/// overrides given, the threads used, its wall time, the command line and the scenario
/// `dest` records.
fn run_info(
    exec: &Execution,
    dest: &Destination,
    set: &[Override],
    runs: u64,
    (threads, wall): (usize, f64),
) -> RunInfo {
    RunInfo {
        seed: exec.seed,
        runs,
        threads,
        wall_time_seconds: wall,
        overrides: set.iter().map(|o| o.arg.clone()).collect(),
        command: Some(command_line()),
        scenario_source: dest.scenario_source().map(String::from),
    }
}

/// Notes, unless `quiet`, that `--samples` asks for more runs than there are, so `file`
/// holds every run (`sample_runs.csv holds`, `leapfrogs.csv decomposes`).
fn more_samples_than_runs(samples: u64, runs: u64, file: &str, quiet: bool) {
    if samples > runs && !quiet {
        let all = if runs == 1 {
            "the one run".to_string()
        } else {
            format!("all {runs} runs")
        };
        console::note(&format!(
            "--samples {samples} is more than --runs {runs}: {file} {all}"
        ));
    }
}

/// The closing lines of a command that wrote a result into `dir`: where it is, and its
/// report when one was written (it needs the charts: not with --no-plots).
fn wrote(dir: &Path, quiet: bool) -> Result<()> {
    if quiet {
        // For scripts: the folder alone (with `--set` its name carries a hash).
        out!("{}\n", dir.display())?;
        return Ok(());
    }
    out!("wrote {}/\n", dir.display())?;
    let report = dir.join(racerun::report::html::REPORT);
    if report.is_file() {
        out!("read it: {}\n", report.display())?;
    }
    Ok(())
}

/// Writes a shard's partial result into `dest` and says what it holds (`held`: `runs
/// 0..256 of 1000 in 1.2 s`), or when `quiet` only where it is.
fn publish_partial(dest: &Destination, partial: &Partial, quiet: bool, held: String) -> Result<()> {
    dest.publish::<anyhow::Error>(|dir| Ok(output::partial::write_partial(dir, partial)?))
        .with_context(|| format!("writing the partial result to {}", dest.path().display()))?;
    if quiet {
        return wrote(dest.path(), true);
    }
    out!(
        "shard {}: {held}; wrote {}/ (combine with `racerun merge`)\n",
        partial.header.shard,
        dest.path().display()
    )?;
    Ok(())
}

/// The channel `name` given to `flag`; an unknown name is refused with the nearest and
/// the channels (`expected`: `one of`, `some of`).
fn channel(flag: &str, name: &str, expected: &str) -> Result<Channel> {
    let Some(c) = Channel::parse(name) else {
        let names: Vec<&str> = CHANNELS.iter().map(|c| c.name()).collect();
        let hint = did_you_mean(name, names.iter().copied());
        bail!(
            "{flag} {name}: unknown channel{hint}; expected {expected} {}",
            names.join(", ")
        );
    };
    Ok(c)
}
