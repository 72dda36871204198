//! `racerun sensitivity`: Sobol indices of a measure with respect to uncertain inputs.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use racerun::experiment::limits;
use racerun::experiment::sensitivity::{Header, Outcome, Part, Sensitivity};
use racerun::experiment::shard::Shard;
use racerun::experiment::sweep::generic_path;
use racerun::output::{self, Destination, OutputKind, inputs};
use racerun::plot::{self, PlotOptions};
use racerun::scenario::params::{self, Kind};
use racerun::scenario::{Override, did_you_mean, library};

use super::console::{Progress, out};
use crate::cli::{MergeArgs, SensitivityArgs};

/// Splits `--params` entries into paths and, where given, `--set` overrides that make
/// them uniform between LOW and HIGH.
fn parse_params(given: &[String]) -> Result<(Vec<String>, Vec<Override>)> {
    let mut paths: Vec<String> = Vec::new();
    let mut overrides = Vec::new();
    for arg in given.iter().map(|a| a.trim()).filter(|a| !a.is_empty()) {
        let (path, range) = match arg.split_once('=') {
            Some((p, r)) => (p.trim(), Some(r.trim())),
            None => (arg, None),
        };
        let spec = params::find(&generic_path(path));
        let Some(spec) = spec else {
            let all: Vec<&str> = params::PARAMS.iter().map(|p| p.path).collect();
            let hint = params::path_hint(path, || {
                did_you_mean(&generic_path(path), all.iter().copied())
            });
            bail!(
                "--params {arg}: unknown parameter `{path}`{hint}; `racerun params` lists them \
                 (labs by id, e.g. labs.alpha.fleet)"
            );
        };
        if spec.kind != Kind::Real {
            bail!(
                "--params {arg}: `{path}` is not a real number (its kind: {}); only \
                 real-valued parameters can vary continuously",
                spec.kind.name()
            );
        }
        if paths.iter().any(|p| p == path) {
            bail!("--params {arg}: `{path}` is listed twice");
        }
        if let Some(range) = range {
            let bad = || {
                anyhow::anyhow!(
                    "--params {arg}: expected PATH=LOW:HIGH with numbers LOW < HIGH, e.g. \
                     world.dynamics.kappa=0:1.5"
                )
            };
            let (lo, hi) = range.split_once(':').ok_or_else(bad)?;
            let lo: f64 = lo.trim().parse().map_err(|_| bad())?;
            let hi: f64 = hi.trim().parse().map_err(|_| bad())?;
            if lo >= hi || !lo.is_finite() || !hi.is_finite() {
                return Err(bad());
            }
            if let Some(valid) = spec.range.filter(|r| lo < r.min || hi > r.max) {
                let unit = if spec.unit.is_empty() {
                    String::new()
                } else {
                    format!(" {}", spec.unit)
                };
                bail!(
                    "--params {arg}: the range {range} leaves `{path}`'s valid range {valid}{unit}"
                );
            }
            let (lo, hi) = (toml::Value::Float(lo), toml::Value::Float(hi));
            let uniform = format!("{path}={{ dist = \"uniform\", min = {lo}, max = {hi} }}");
            overrides.push(Override::parse(&uniform)?.given_as("--params", arg));
        }
        paths.push(path.to_string());
    }
    if paths.is_empty() {
        bail!("--params: name at least one parameter, e.g. world.dynamics.kappa=0:1.5");
    }
    Ok((paths, overrides))
}

/// Runs `racerun sensitivity`.
pub fn run(args: SensitivityArgs) -> Result<()> {
    let exec = &args.exec;
    let (paths, ranges) = parse_params(&args.params)?;
    let Some(measure_fn) = inputs::headline(&args.measure) else {
        let names = inputs::headline_names();
        let hint = did_you_mean(&args.measure, names.iter().copied());
        bail!(
            "--measure {}: unknown measure{hint}; valid measures: {}",
            args.measure,
            names.join(", ")
        );
    };
    let shard = exec.shard.unwrap_or(Shard::WHOLE);
    // A range given here replaces a `--set` of the same parameter: refuse the pair rather
    // than drop the `--set` without a word.
    for range in &ranges {
        if let Some(o) = args.input.set.iter().find(|o| {
            o.path.len() >= range.path.len() && o.path.iter().zip(&range.path).all(|(a, b)| a == b)
        }) {
            bail!(
                "--params {}: `{}` is also set by {} {}, which this range would replace; drop \
                 one of the two (or give the distribution with --set and name the parameter \
                 alone in --params)",
                range.arg,
                range.display_path(),
                o.flag,
                o.arg
            );
        }
    }
    let mut overrides = args.input.set.clone();
    overrides.extend(ranges);
    let source = library::Source::find(&args.input.scenario)?;
    let scenario = source.load(&overrides)?;
    super::console::idle_settings(&scenario, exec.quiet);
    if !measure_fn.applies(scenario.labs.len(), scenario.months) {
        bail!(
            "--measure {}: does not apply to {}",
            args.measure,
            measure_fn.lacking(&scenario.name, scenario.labs.len(), scenario.months)
        );
    }
    let uncertain = scenario.uncertain();
    let mut studied = Vec::with_capacity(paths.len());
    for path in &paths {
        let Some(i) = uncertain.iter().position(|u| &u.path == path) else {
            bail!(
                "--params {path}: no range to vary: give one as {path}=LOW:HIGH, or write it \
                 as a distribution in the scenario, e.g. {{ dist = \"uniform\", min = 0, max = 1 }}"
            );
        };
        studied.push(i);
    }
    limits::scenario(scenario.months, scenario.labs.len())?;
    limits::sensitivity(args.samples, studied.len(), args.runs)?;
    let experiment = Sensitivity {
        scenario: &scenario,
        params: studied,
        measure: (args.measure.clone(), measure_fn),
        samples: args.samples,
        runs: args.runs,
        seed: exec.seed,
    };
    let rows = shard.range(args.samples, 1);
    let sharded = (!shard.is_whole()).then_some(shard);
    let named = (&scenario, args.input.set.as_slice());
    let dest = super::output_for(
        exec,
        &source,
        named,
        (OutputKind::Sensitivity, &[]),
        sharded,
    )?;

    let points = (rows.end - rows.start) * (experiment.k() as u64 + 2);
    let bar = Progress::new(
        points,
        "points",
        format!("{} sensitivity", scenario.name),
        exec.quiet,
    );
    let done = AtomicU64::new(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(exec.threads())
        .build()
        .context("starting worker threads")?;
    let started = Instant::now();
    let values = pool.install(|| {
        experiment.evaluate(rows.clone(), &|| {
            bar.set(done.fetch_add(1, Ordering::Relaxed) + 1);
        })
    })?;
    bar.finish();
    let wall = started.elapsed().as_secs_f64();
    let header = Header::of(&experiment);

    if !shard.is_whole() {
        let part = Part {
            header,
            shard,
            first: rows.start,
            values,
        };
        dest.publish::<anyhow::Error>(|dir| {
            Ok(output::partial::write_sensitivity_part(dir, &part)?)
        })
        .with_context(|| format!("writing the partial result to {}", dest.path().display()))?;
        if exec.quiet {
            return super::wrote(dest.path(), true);
        }
        out!(
            "shard {shard}: {} ({points} points) in {wall:.1} s; wrote {}/{}\n\
             combine the shards with: racerun merge DIR... --out DIR\n",
            super::share(shard, &rows, args.samples, "rows", 1),
            dest.path().display(),
            output::partial::PARTIAL_FILE
        )?;
        return Ok(());
    }
    let outcome = Outcome { header, values };
    write(&outcome, &dest, exec.no_plots)?;
    if !exec.quiet {
        out!("{}", outcome.table())?;
        out!("{points} points x {} runs in {wall:.1} s\n", args.runs)?;
    }
    super::wrote(dest.path(), exec.quiet)?;
    Ok(())
}

/// Writes a whole sensitivity result (also used by `racerun merge`), once its indices
/// are known to be defined.
pub fn write(outcome: &Outcome, dest: &Destination, no_plots: bool) -> Result<()> {
    outcome.check().map_err(anyhow::Error::msg)?;
    dest.publish::<anyhow::Error>(|dir| {
        output::sensitivity::write(outcome, dir)?;
        if !no_plots {
            plot::draw_tornado(dir, &PlotOptions::default())?;
            racerun::report::html::write_showing(dir, dest.path(), plot::SWEEP_MEASURE)?;
        }
        Ok(())
    })
    .with_context(|| format!("writing results to {}", dest.path().display()))
}

/// `racerun merge` on the partials of `sensitivity --shard K/N`.
pub fn merge(args: &MergeArgs, parts: Vec<(String, Part)>) -> Result<()> {
    let outcome = racerun::experiment::sensitivity::merge(parts)
        .map_err(|e| anyhow::anyhow!("cannot merge: {e}"))?;
    outcome.check().map_err(anyhow::Error::msg)?;
    let dest = super::destination(
        args.out.as_deref(),
        || {
            let name =
                super::result_name(OutputKind::Sensitivity, &outcome.header.scenario, &[], &[]);
            PathBuf::from("output").join(name)
        },
        OutputKind::Sensitivity,
        &args.dirs,
        args.quiet,
    )?;
    write(&outcome, &dest, args.no_plots)?;
    if !args.quiet {
        out!("{}", outcome.table())?;
    }
    super::wrote(dest.path(), args.quiet)?;
    Ok(())
}
