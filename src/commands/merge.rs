//! `racerun merge`: combine the partial results of every shard into the files an
//! unsharded `run`, `sweep` or `sensitivity` writes.

use std::path::PathBuf;

use anyhow::{Result, bail};
use racerun::experiment::merge::{Merged, merge};
use racerun::output::partial::{AnyPartial, read_partial};
use racerun::output::{OutputKind, variant_name};

use super::console::out;
use crate::cli::MergeArgs;

/// Runs `racerun merge`.
pub fn run(args: MergeArgs) -> Result<()> {
    let mut shards = Vec::new();
    let mut sensitivity = Vec::new();
    for dir in &args.dirs {
        match read_partial(dir)? {
            AnyPartial::Shard(p) => shards.push((dir.clone(), p)),
            AnyPartial::Sensitivity(p) => sensitivity.push((dir.display().to_string(), p)),
        }
    }
    match (shards.first(), sensitivity.first()) {
        (None, Some(_)) => return super::sensitivity::merge(&args, sensitivity),
        (Some((a, _)), Some((b, _))) => bail!(
            "cannot merge: {} and {b} are shards of different experiments: a run or sweep and a \
             sensitivity study",
            a.display()
        ),
        _ => {}
    }
    super::sweep::check_measure(&args.measure)?;
    let merged = merge(shards)?;
    // As the unsharded command names it: with a hash of the --set overrides, if any.
    let (default_name, kind) = match &merged {
        Merged::Run { scenario, info, .. } => (
            variant_name(&scenario.name, &info.overrides),
            OutputKind::Run,
        ),
        Merged::Sweep { header, .. } => (
            format!(
                "{}-sweep",
                variant_name(&header.scenario, &header.overrides)
            ),
            OutputKind::Sweep,
        ),
        Merged::Explain { scenario, .. } => {
            (format!("{}-explain", scenario.name), OutputKind::Explain)
        }
    };
    if let Merged::Run { outcome, .. } = &merged
        && outcome.samples.is_empty()
        && !args.no_plots
    {
        bail!(
            "the shards kept no sample runs (--samples 0), which the leapfrog and allocation \
             charts draw; add --no-plots, or rerun the shards with --samples 1 or more"
        );
    }
    let dest = super::destination(
        args.out.as_deref(),
        || PathBuf::from("output").join(default_name),
        kind,
        &args.dirs,
        args.quiet,
    )?;
    match merged {
        Merged::Run {
            scenario,
            outcome,
            info,
        } => {
            let summary = super::run::publish(&dest, &scenario, &info, &outcome, args.no_plots)?;
            if !args.quiet {
                super::run::print_report(&summary, info.wall_time_seconds)?;
                out!(
                    "merged {} shards; wrote {}/\n",
                    args.dirs.len(),
                    dest.path().display()
                )?;
            }
        }
        Merged::Explain {
            scenario,
            channels,
            samples,
            part,
            info,
        } => {
            let explanation = racerun::explain::finish(&scenario, &channels, info.seed, &part);
            let no_plots = args.no_plots;
            super::explain::publish(&dest, &scenario, &info, samples, &explanation, no_plots)?;
            if !args.quiet {
                out!("{}", racerun::explain::table::terminal(&explanation, &info))?;
                out!(
                    "merged {} shards; wrote {}/\n",
                    args.dirs.len(),
                    dest.path().display()
                )?;
            }
        }
        Merged::Sweep { header, cells } => {
            let measure = super::sweep::chart_measure(&header, &args.measure);
            super::sweep::write_result(&dest, &header, &cells, &measure, args.no_plots)?;
            if !args.quiet {
                out!("{}", super::sweep::report(&header, &cells, 0.0, 0))?;
                out!(
                    "merged {} shards; wrote {}/\n",
                    args.dirs.len(),
                    dest.path().display()
                )?;
            }
        }
    }
    Ok(())
}
