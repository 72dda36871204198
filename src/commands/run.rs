//! `racerun run`: simulate, write the results, draw the charts, print the summary.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};

use crate::cli::RunArgs;
use crate::experiment::merge;
use crate::experiment::shard::Shard;
use crate::montecarlo::{self, MonteCarlo, Outcome};
use crate::output::{self, RunInfo, Summary};
use crate::plot::{self, PlotOptions};
use crate::scenario::{Override, Scenario, library};

/// Runs `racerun run`.
pub fn run(args: RunArgs) -> Result<()> {
    let overrides = args
        .set
        .iter()
        .map(|s| Override::parse(s))
        .collect::<Result<Vec<_>, _>>()?;
    let scenario = library::load(&args.scenario.to_string_lossy(), &overrides)?;
    let threads = args.threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        |t| t as usize,
    );
    let shard = args.shard.as_deref().map(str::parse::<Shard>).transpose()?;
    let out_dir = args.out.clone().unwrap_or_else(|| match shard {
        Some(s) => PathBuf::from("output").join(format!(
            "{}.shard-{}-of-{}",
            scenario.name, s.index, s.count
        )),
        None => PathBuf::from("output").join(&scenario.name),
    });
    let runs = match shard {
        Some(s) => s.range(args.runs, montecarlo::BLOCK),
        None => 0..args.runs,
    };
    if runs.is_empty() {
        anyhow::bail!(
            "--shard {}: this shard has no runs: shards hold whole blocks of {} runs and --runs {} makes {} blocks; use at most that many shards",
            shard.map(|s| s.to_string()).unwrap_or_default(),
            montecarlo::BLOCK,
            args.runs,
            args.runs.div_ceil(montecarlo::BLOCK)
        );
    }
    let mc = MonteCarlo {
        seed: args.seed,
        runs: runs.clone(),
        threads,
        samples: args.samples,
    };

    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(runs.end - runs.start);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {msg} [{bar:30}] {pos}/{len} runs, {per_sec}, eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.set_message(scenario.name.clone());
        bar
    });
    let started = Instant::now();
    let outcome = montecarlo::run(&scenario, &mc, &|done| {
        if let Some(bar) = &bar {
            bar.set_position(done);
        }
    })?;
    let wall = started.elapsed().as_secs_f64();
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let info = RunInfo {
        seed: args.seed,
        runs: args.runs,
        threads,
        wall_time_seconds: wall,
    };
    if let Some(shard) = shard {
        let partial = merge::run_partial(&scenario, outcome, &info, args.samples, shard);
        output::replace_dir::<anyhow::Error>(&out_dir, |dir| Ok(partial.write(dir)?))
            .with_context(|| format!("writing the partial result to {}", out_dir.display()))?;
        if !args.quiet {
            println!(
                "shard {shard}: runs {}..{} of {} in {wall:.1} s; wrote {}/ (combine with `racerun merge`)",
                runs.start,
                runs.end,
                args.runs,
                out_dir.display()
            );
        }
        return Ok(());
    }
    let summary = publish(&out_dir, &scenario, &info, &outcome, args.no_plots)?;
    if !args.quiet {
        print_report(&summary, wall);
        println!("wrote {}/", out_dir.display());
    }
    Ok(())
}

/// Writes a finished Monte Carlo's files and, unless `no_plots`, its charts into `out_dir`,
/// replacing it whole; returns the summary. Shared by `run` and `merge`.
pub(crate) fn publish(
    out_dir: &std::path::Path,
    scenario: &Scenario,
    info: &RunInfo,
    outcome: &Outcome,
    no_plots: bool,
) -> Result<Summary> {
    // Charts are drawn from the files just written, inside the temporary directory, so
    // results and charts appear together or not at all.
    output::replace_dir::<anyhow::Error>(out_dir, |dir| {
        output::write_outcome(dir, scenario, info, outcome)?;
        if !no_plots {
            plot::draw_all(dir, &PlotOptions::default())?;
        }
        Ok(())
    })
    .with_context(|| format!("writing results to {}", out_dir.display()))?;
    Ok(Summary::new(scenario, info.seed, outcome))
}

/// The terminal summary: per-lab table, verdict, and uncertain inputs if any.
pub(crate) fn print_report(summary: &Summary, wall_seconds: f64) {
    print!("{}", crate::report::terminal(summary, wall_seconds));
    print!("{}", output::inputs::terminal(&summary.inputs));
}
