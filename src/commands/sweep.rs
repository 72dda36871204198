//! `racerun sweep`: a grid of one or two parameters, cell by cell, interruptible and
//! resumable, optionally one shard of it.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::cli::SweepArgs;
use crate::experiment::merge;
use crate::experiment::partial::{CELLS_DIR, CellStore, Partial, PartialKind, Payload, SweepPart};
use crate::experiment::shard::Shard;
use crate::experiment::sweep::{self, Axis, Finish, Sweep};
use crate::output;
use crate::plot::{self, PlotOptions};
use crate::scenario::{Override, library};

/// Which axes `--log` applies to: each `--log` makes the `--vary` just before it
/// geometric (one given before any `--vary` applies to the first). Read from the raw
/// arguments because clap does not keep the order of different options.
pub fn log_axes(argv: &[String], axes: usize, count: u8) -> Vec<bool> {
    let mut log = vec![false; axes];
    let mut varies = 0usize;
    let mut seen = 0u8;
    for arg in argv.iter().skip(1) {
        if arg == "--" {
            break;
        }
        if arg == "--vary" || arg.starts_with("--vary=") {
            varies += 1;
        } else if arg == "--log" {
            seen += 1;
            if let Some(slot) = log.get_mut(varies.saturating_sub(1)) {
                *slot = true;
            }
        }
    }
    if seen < count && axes > 0 {
        // Not found in the arguments (called from elsewhere): the first axis.
        log[0] = true;
    }
    log
}

/// The default output directory of a sweep (or of one shard of it).
fn default_out(name: &str, shard: Option<Shard>) -> PathBuf {
    let base = format!("{name}-sweep");
    match shard {
        Some(s) => PathBuf::from("output").join(format!("{base}.shard-{}-of-{}", s.index, s.count)),
        None => PathBuf::from("output").join(base),
    }
}

/// Runs `racerun sweep`.
pub fn run(args: SweepArgs) -> Result<()> {
    let argv: Vec<String> = std::env::args().collect();
    let logs = log_axes(&argv, args.vary.len(), args.log);
    let axes = args
        .vary
        .iter()
        .zip(&logs)
        .map(|(v, log)| Axis::parse(v, *log))
        .collect::<Result<Vec<_>, _>>()?;
    let set = args
        .set
        .iter()
        .map(|s| Override::parse(s))
        .collect::<Result<Vec<_>, _>>()?;
    let shard = args.shard.as_deref().map(str::parse::<Shard>).transpose()?;
    let names = output::measure_names();
    if !names.contains(&args.measure.as_str()) {
        bail!(
            "--measure {}: unknown measure; expected one of {}",
            args.measure,
            names.join(", ")
        );
    }
    let source = library::Source::find(&args.scenario)?;
    let plan = Sweep::plan(
        &source.text,
        &source.origin,
        &set,
        axes,
        args.seed,
        args.runs,
    )?;
    let labs = plan.base.labs.len();
    if crate::measures::find(&args.measure).is_some_and(|m| !m.applies(labs, u32::MAX)) {
        bail!(
            "--measure {}: does not apply to a scenario with {labs} lab (it needs a rival)",
            args.measure
        );
    }
    let total = plan.cell_count();
    let cells = shard.map_or(0..total, |s| s.range(total, 1));
    if cells.is_empty() {
        bail!(
            "--shard {}: this shard has no cells: the grid has {total} cells, so use at most {total} shards",
            shard.map(|s| s.to_string()).unwrap_or_default()
        );
    }
    let threads = args.threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        |t| t as usize,
    );
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| default_out(&plan.base.name, shard));
    std::fs::create_dir_all(&out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    let (store, mut done) = CellStore::open(&out_dir, &plan.id(), args.resume)?;
    let resumed = done.keys().filter(|c| cells.contains(c)).count() as u64;

    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        // A second Ctrl-C while the current cell finishes quits at once.
        let _ = ctrlc::set_handler(move || {
            if stop.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
        });
    }
    let wanted = cells.end - cells.start;
    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(wanted);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {msg} [{bar:30}] {pos}/{len} cells, {per_sec}, eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.set_message(plan.base.name.clone());
        bar.set_position(resumed);
        bar
    });
    let started = Instant::now();
    let mut finished = resumed;
    let already: std::collections::BTreeSet<u64> = done.keys().copied().collect();
    let finish = plan.run_cells(
        cells.clone(),
        threads,
        &|c| already.contains(&c),
        &stop,
        &mut |cell| {
            store.save(&cell)?;
            done.insert(cell.cell, cell);
            finished += 1;
            if let Some(bar) = &bar {
                bar.set_position(finished);
            }
            Ok(())
        },
    )?;
    let wall = started.elapsed().as_secs_f64();
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    if finish == Finish::Stopped {
        eprintln!(
            "interrupted: {finished} of {wanted} cells finished and kept in {}; rerun the same command with --resume to continue",
            out_dir.join(CELLS_DIR).display()
        );
        std::process::exit(130);
    }
    let results: Vec<_> = cells.clone().filter_map(|c| done.remove(&c)).collect();
    let header = plan.header();
    match shard {
        Some(shard) => {
            let partial = Partial {
                header: merge::header(
                    PartialKind::Sweep,
                    &plan.base.name,
                    plan.id(),
                    plan.seed,
                    plan.runs,
                    total,
                    shard,
                    threads,
                    wall,
                ),
                payload: Payload::Sweep(SweepPart {
                    header,
                    cells: results,
                }),
            };
            output::replace_dir::<anyhow::Error>(&out_dir, |dir| Ok(partial.write(dir)?))
                .with_context(|| format!("writing the partial result to {}", out_dir.display()))?;
            if !args.quiet {
                println!(
                    "shard {shard}: cells {}..{} of {total} in {wall:.1} s; wrote {}/ (combine with `racerun merge`)",
                    cells.start,
                    cells.end,
                    out_dir.display()
                );
            }
        }
        None => {
            write_result(&out_dir, &header, &results, &args.measure, args.no_plots)?;
            if !args.quiet {
                print!("{}", report(&header, &results, wall, wanted - resumed));
                println!("wrote {}/", out_dir.display());
            }
        }
    }
    Ok(())
}

/// Writes a whole sweep's files (and chart) into `out_dir`, replacing it.
pub fn write_result(
    out_dir: &Path,
    header: &sweep::SweepHeader,
    cells: &[sweep::CellResult],
    measure: &str,
    no_plots: bool,
) -> Result<()> {
    output::replace_dir::<anyhow::Error>(out_dir, |dir| {
        sweep::write_sweep(dir, header, cells)?;
        if !no_plots {
            plot::draw_sweep(dir, measure, &PlotOptions::default())?;
        }
        Ok(())
    })
    .with_context(|| format!("writing results to {}", out_dir.display()))
}

/// The terminal summary of a finished sweep.
pub fn report(
    header: &sweep::SweepHeader,
    cells: &[sweep::CellResult],
    wall: f64,
    simulated: u64,
) -> String {
    let count = |r: &str| cells.iter().filter(|c| c.regime == r).count();
    let axes: Vec<String> = header
        .axes
        .iter()
        .map(|a| {
            format!(
                "{} ({} values{})",
                a.path,
                a.values.len(),
                if a.log { ", log" } else { "" }
            )
        })
        .collect();
    let run_months = simulated as f64 * header.runs as f64 * f64::from(header.months);
    let mut out = format!(
        "sweep of {} over {}: {} cells x {} runs, seed {}\n  race {}, run {}, mixed {}\n",
        header.scenario,
        axes.join(" x "),
        cells.len(),
        header.runs,
        header.seed,
        count("race"),
        count("run"),
        count("mixed"),
    );
    if count("too_short") > 0 {
        out.push_str(&format!(
            "  too short to judge {} (the verdict needs more months)\n",
            count("too_short")
        ));
    }
    if simulated > 0 && wall > 0.0 {
        out.push_str(&format!(
            "  {simulated} cells simulated in {wall:.1} s: {:.1} cells/s, {} run-months/s\n",
            simulated as f64 / wall,
            crate::numbers::compact(run_months / wall)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_follows_its_vary() {
        let argv: Vec<String> = "racerun sweep x --vary a=1:2:3 --log --vary=b=0:1:2"
            .split(' ')
            .map(String::from)
            .collect();
        assert_eq!(log_axes(&argv, 2, 1), vec![true, false]);
        let argv: Vec<String> = "racerun sweep x --vary a=0:2:3 --vary b=1:9:2 --log"
            .split(' ')
            .map(String::from)
            .collect();
        assert_eq!(log_axes(&argv, 2, 1), vec![false, true]);
        assert_eq!(log_axes(&[], 2, 1), vec![true, false]);
        assert_eq!(log_axes(&argv, 2, 0), vec![false, true]);
    }
}
