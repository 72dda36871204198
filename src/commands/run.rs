//! `racerun run`: simulate, write the results, draw the charts, print the summary.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use racerun::experiment::{limits, merge};
use racerun::montecarlo::{self, MonteCarlo, Outcome};
use racerun::output::{self, Destination, OutputKind, RunInfo, Summary};
use racerun::plot::{self, PlotOptions};
use racerun::scenario::Scenario;
use racerun::scenario::library::Source;

use super::console::{Progress, out};
use crate::cli::RunArgs;

/// Runs `racerun run`.
pub fn run(args: RunArgs) -> Result<()> {
    let exec = &args.exec;
    let source = Source::find(&args.input.scenario)?;
    let scenario = source.load(&args.input.set)?;
    super::console::idle_settings(&scenario, exec.quiet);
    let shard = exec.shard;
    limits::monte_carlo(
        args.runs,
        args.samples,
        scenario.months,
        scenario.labs.len(),
    )?;
    let runs = super::shard_runs(shard, args.runs);
    super::more_samples_than_runs(args.samples, args.runs, "sample_runs.csv holds", exec.quiet);
    if shard.is_none() && args.samples == 0 && !exec.no_plots {
        bail!(
            "--samples 0: the leapfrog and allocation charts draw the first sample run, so \
             keep --samples 1 or more, or add --no-plots"
        );
    }
    let named = (&scenario, args.input.set.as_slice());
    let dest = super::output_for(exec, &source, named, (OutputKind::Run, &[]), shard)?;
    let threads = exec.threads();
    let mc = MonteCarlo {
        seed: exec.seed,
        runs: runs.clone(),
        total: args.runs,
        threads,
        samples: args.samples,
    };

    let bar = Progress::new(
        runs.end - runs.start,
        "runs",
        scenario.name.clone(),
        exec.quiet,
    );
    // The runs' rows go to `runs.csv` in the result's hidden directory as they finish,
    // so the Monte Carlo runs inside the publication: results appear whole or not at all.
    let mut done = None;
    dest.publish::<anyhow::Error>(|dir| {
        let started = Instant::now();
        let mut rows = output::RunsFile::create(dir, &scenario, shard.is_some())?;
        let outcome = montecarlo::run_into(&scenario, &mc, &|n| bar.set(n), &mut |r| {
            // Named as the user will find it, not by the hidden directory it is built in.
            rows.add(r).map_err(|e| {
                let shown = dest.path().join("runs.csv");
                format!("writing {}: {}", shown.display(), e.message)
            })
        })?;
        let runs_sha256 = rows.finish()?;
        let wall = started.elapsed().as_secs_f64();
        bar.finish();
        let info = super::run_info(exec, &dest, &args.input.set, args.runs, (threads, wall));
        done = Some(match shard {
            Some(shard) => {
                let runs_sha256 =
                    runs_sha256.context("a shard's runs.csv was written without its SHA-256")?;
                let partial =
                    merge::run_partial(&scenario, outcome, &info, args.samples, shard, runs_sha256);
                output::partial::write_partial(dir, &partial)?;
                (None, wall)
            }
            None => {
                let summary =
                    write_results(dir, dest.path(), &scenario, &info, &outcome, exec.no_plots)?;
                (Some(summary), wall)
            }
        });
        Ok(())
    })
    .map_err(|e| {
        // A run that cannot go on says why on its own; writing failures name the result.
        if e.downcast_ref::<montecarlo::MonteCarloError>().is_some() {
            e
        } else {
            e.context(format!("writing results to {}", dest.path().display()))
        }
    })?;
    let Some((summary, wall)) = done else {
        bail!("the results were published without their summary");
    };
    if exec.quiet {
        return super::wrote(dest.path(), true);
    }
    if let Some(shard) = shard {
        out!(
            "shard {shard}: {} in {wall:.1} s; wrote {}/ (combine with `racerun merge`)\n",
            super::share(shard, &runs, args.runs, "runs", montecarlo::BLOCK),
            dest.path().display()
        )?;
        return Ok(());
    }
    let Some(summary) = summary else {
        bail!("the results were published without their summary");
    };
    print_report(&summary, wall)?;
    if !args.input.set.is_empty() {
        against_base(&args.input.scenario, &source, &scenario.name, &summary)?;
    }
    super::wrote(dest.path(), false)
}

/// Writes a merged Monte Carlo's files into `dest`, replacing it whole: `runs.csv` from
/// the shards' (`rows`, see [`output::concat_runs`]), the rest from the outcome, and
/// unless `no_plots` the charts; returns the summary.
pub(crate) fn publish_merged(
    dest: &Destination,
    scenario: &Scenario,
    info: &RunInfo,
    outcome: &Outcome,
    rows: &[(std::path::PathBuf, String)],
    no_plots: bool,
) -> Result<Summary> {
    let mut summary = None;
    dest.publish::<anyhow::Error>(|dir| {
        output::concat_runs(dir, rows)?;
        summary = Some(write_results(
            dir,
            dest.path(),
            scenario,
            info,
            outcome,
            no_plots,
        )?);
        Ok(())
    })
    .with_context(|| format!("writing results to {}", dest.path().display()))?;
    summary.context("the results were published without their summary")
}

/// Writes a finished Monte Carlo's files but `runs.csv` and, unless `no_plots`, its
/// charts and report into `dir`, the hidden directory of the result that will be
/// `shown`; returns the summary. Charts are drawn from the files just written, so results
/// and charts appear together or not at all.
fn write_results(
    dir: &std::path::Path,
    shown: &std::path::Path,
    scenario: &Scenario,
    info: &RunInfo,
    outcome: &Outcome,
    no_plots: bool,
) -> Result<Summary> {
    let summary = output::write_outcome(dir, scenario, info, outcome)?;
    if !no_plots {
        plot::draw_all(dir, &PlotOptions::default())?;
        racerun::report::html::write_showing(dir, shown, plot::SWEEP_MEASURE)?;
    }
    Ok(summary)
}

/// With `--set`: what it changed, against the scenario's own result in `output/NAME/` when
/// that holds the scenario without `--set` at the same seed and runs; otherwise the
/// command that makes one. Reads only; a result it cannot read is no result.
fn against_base(typed: &str, source: &Source, name: &str, summary: &Summary) -> Result<()> {
    let dir = PathBuf::from("output").join(super::result_name(OutputKind::Run, name, &[], &[]));
    let base = source.load(&[])?;
    let read = |file: &str| std::fs::read(dir.join(file)).ok();
    let found = read("summary.json")
        .and_then(|bytes| serde_json::from_slice::<Summary>(&bytes).ok())
        .filter(|b| b.overrides.is_empty() && b.seed == summary.seed && b.runs == summary.runs)
        // The same scenario, resolved as this racerun resolves it.
        .filter(|_| read("scenario.toml").is_some_and(|t| t == base.to_toml().into_bytes()));
    match found {
        Some(b) => out!(
            "{}",
            racerun::report::changes(&b, &format!("{}/", dir.display()), summary)
        )?,
        None => out!(
            "\nto see what --set changed: `racerun run {} --runs {} --seed {}`, then this \
             command again\n",
            typed,
            summary.runs,
            summary.seed
        )?,
    }
    Ok(())
}

/// The terminal summary: per-lab table, verdict, and uncertain inputs if any.
pub(crate) fn print_report(summary: &Summary, wall_seconds: f64) -> Result<()> {
    out!("{}", racerun::report::terminal(summary, wall_seconds))?;
    out!("{}", output::inputs::terminal(&summary.inputs))?;
    Ok(())
}
