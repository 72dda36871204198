//! `racerun sweep`: a grid of one or two parameters, cell by cell, interruptible and
//! resumable, optionally one shard of it.

use std::time::Instant;

use anyhow::{Context, Result, bail};
use racerun::experiment::merge;
use racerun::experiment::partial::{Partial, PartialKind, Payload, SweepPart};
use racerun::experiment::sweep::{self, Finish, Sweep};
use racerun::explain::{ATTRIBUTED, Channel};
use racerun::output::partial::{CELLS_DIR, CellStore};
use racerun::output::{self, Destination, OutputKind};
use racerun::plot::{self, PlotOptions};
use racerun::scenario::library;

use super::console::{Interrupted, Progress, out};
use super::signals::{self, SoftStop};
use crate::cli::SweepArgs;

/// Refuses a measure the summary does not have.
pub fn check_measure(measure: &str) -> Result<()> {
    let names = output::measure_names();
    if !names.contains(&measure) {
        let hint = racerun::scenario::did_you_mean(measure, names.iter().copied());
        bail!(
            "--measure {measure}: unknown measure{hint}; expected one of {}",
            names.join(", ")
        );
    }
    Ok(())
}

/// The channel of `--effect`, and the measure the chart then shows: its total effect on
/// `measure`, which must be one of the attributed measures.
fn effect_of(effect: Option<&str>, measure: &str) -> Result<(Option<Channel>, String)> {
    let Some(name) = effect else {
        return Ok((None, measure.to_string()));
    };
    let channel = super::channel("--effect", name, "one of")?;
    if !ATTRIBUTED.contains(&measure) {
        bail!(
            "--measure {measure}: with --effect, expected one of the attributed measures: {}",
            ATTRIBUTED.join(", ")
        );
    }
    Ok((Some(channel), sweep::effect_name(channel, measure)))
}

/// The measure a sweep's chart shows: `measure`, or with an effect, its effect on it.
pub fn chart_measure(header: &sweep::SweepHeader, measure: &str) -> String {
    match header.effect.as_deref().and_then(Channel::parse) {
        Some(c) if ATTRIBUTED.contains(&measure) => sweep::effect_name(c, measure),
        _ => measure.to_string(),
    }
}

/// Runs `racerun sweep`.
pub fn run(args: SweepArgs) -> Result<()> {
    let exec = &args.exec;
    let shard = exec.shard;
    check_measure(&args.measure)?;
    let (effect, chart) = effect_of(args.effect.as_deref(), &args.measure)?;
    let source = library::Source::find(&args.input.scenario)?;
    let plan = Sweep::plan(
        &source.text,
        &source.origin,
        &args.input.set,
        args.vary.clone(),
        exec.seed,
        args.runs,
    )?
    .with_effect(effect);
    super::console::idle_settings(&plan.base, exec.quiet);
    let total = plan.cell_count();
    // Cells the measure does not apply to get an empty row; a measure that applies to none
    // is refused before any work.
    if let Some(m) = racerun::measures::find(&args.measure) {
        let applies = |c: u64| {
            let s = plan.cell_scenario(c);
            m.applies(s.labs.len(), s.months)
        };
        if !(0..total).any(applies) {
            let s = &plan.base;
            bail!(
                "--measure {}: applies to none of the cells; before --vary, {}",
                args.measure,
                m.lacking(&s.name, s.labs.len(), s.months)
            );
        }
    }
    let cells = shard.map_or(0..total, |s| s.range(total, 1));
    let named = (&plan.base, args.input.set.as_slice());
    let detail = super::swept(&plan.axes);
    let dest = super::output_for(exec, &source, named, (OutputKind::Sweep, &detail), shard)?;
    let out_dir = dest.path();
    let threads = exec.threads();
    let (store, mut done) = CellStore::open(out_dir, &plan.id(), args.resume)?;
    let resumed = done.keys().filter(|c| cells.contains(c)).count() as u64;

    let wanted = cells.end - cells.start;
    let bar = Progress::new(wanted, "cells", plan.base.name.clone(), exec.quiet);
    bar.set(resumed);
    let started = Instant::now();
    let mut finished = resumed;
    let already: std::collections::BTreeSet<u64> = done.keys().copied().collect();
    let finish = {
        // The first Ctrl-C stops after the cell in progress; a second quits at once.
        let _soft = SoftStop::begin();
        plan.run_cells(
            cells.clone(),
            threads,
            &|c| already.contains(&c),
            &signals::STOP,
            &mut |cell| {
                store.save(&cell)?;
                done.insert(cell.cell, cell);
                finished += 1;
                bar.set(finished);
                Ok(())
            },
        )?
    };
    let wall = started.elapsed().as_secs_f64();
    bar.finish();
    if finish == Finish::Stopped {
        return Err(Interrupted(format!(
            "interrupted: {finished} of {wanted} cells finished and kept in {}; rerun the same command with --resume to continue",
            out_dir.join(CELLS_DIR).display()
        ))
        .into());
    }
    let results: Vec<_> = cells.clone().filter_map(|c| done.remove(&c)).collect();
    // The measure the chart shows, recorded for `plot`, `report` and a merge of shards.
    let header = sweep::SweepHeader {
        measure: Some(chart.clone()),
        ..plan.header()
    };
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
            let held = format!(
                "{} in {wall:.1} s",
                super::share(shard, &cells, total, "cells", 1)
            );
            super::publish_partial(&dest, &partial, exec.quiet, held)?;
        }
        None => {
            write_result(&dest, &header, &results, &chart, exec.no_plots)?;
            if !exec.quiet {
                let speed = Speed {
                    wall,
                    simulated: wanted - resumed,
                    labs: plan.base.labs.len(),
                };
                out!("{}", report(&header, &results, Some(speed)))?;
            }
            super::wrote(out_dir, exec.quiet)?;
        }
    }
    Ok(())
}

/// Writes a whole sweep's files (and chart) into `dest`, replacing it.
pub fn write_result(
    dest: &Destination,
    header: &sweep::SweepHeader,
    cells: &[sweep::CellResult],
    measure: &str,
    no_plots: bool,
) -> Result<()> {
    // The summary records the measure the chart shows (`merge --measure` may change it).
    let header = &sweep::SweepHeader {
        measure: Some(measure.to_string()),
        ..header.clone()
    };
    dest.publish::<anyhow::Error>(|dir| {
        output::sweep::write_sweep(dir, header, cells)?;
        if !no_plots {
            plot::draw_sweep(dir, measure, &PlotOptions::default())?;
            racerun::report::html::write_showing(dir, dest.path(), measure)?;
        }
        Ok(())
    })
    .with_context(|| format!("writing results to {}", dest.path().display()))
}

/// How fast a sweep went: its wall time, the cells it simulated (not resumed) and the
/// labs of its scenario.
pub struct Speed {
    pub wall: f64,
    pub simulated: u64,
    pub labs: usize,
}

/// Most cells of a one-parameter sweep listed one by one in the terminal.
const LISTED_CELLS: usize = 41;

/// For a sweep over one parameter of at most [`LISTED_CELLS`] values, a line per value:
/// the verdict (`?` when uncertain), its numbers as `racerun run` shows them
/// ([`racerun::report::EVIDENCE`]: a race needs all three of persistence, the month-12
/// leader and a growing gap) and the sweep's `--measure`, so that a student sees at once
/// where and why the verdict turns. Empty otherwise.
fn one_axis_table(header: &sweep::SweepHeader, cells: &[sweep::CellResult]) -> String {
    let [axis] = header.axes.as_slice() else {
        return String::new();
    };
    if cells.len() > LISTED_CELLS {
        return String::new();
    }
    let number = |v: f64| {
        if !v.is_finite() {
            "n/a".to_string()
        } else if v.abs() >= 1e4 {
            racerun::numbers::compact(v)
        } else {
            racerun::numbers::trimmed(v, 4)
        }
    };
    // A measure the table shows already is not repeated.
    let shown = [
        "persistence_norm_quality",
        "changes_per_year_quality",
        "early_keeps_quality",
        "gap_growth",
        "headwind",
    ];
    let measure = header.measure.as_deref().filter(|m| !shown.contains(m));
    let mut head = vec![super::short_path(&axis.path), "verdict".to_string()];
    head.extend(
        racerun::report::EVIDENCE
            .iter()
            .map(|(_, short, ..)| short.to_string()),
    );
    head.extend(measure.map(|m| format!("{m} (mean)")));
    let mut rows = vec![head];
    for c in cells {
        let unsure = if c.uncertain.is_some() { "?" } else { "" };
        let mut row = vec![
            number(c.values[0]),
            format!("{}{unsure}", c.regime.replace('_', " ").to_uppercase()),
        ];
        row.extend(
            racerun::report::EVIDENCE
                .iter()
                .map(|&(_, _, key, written)| {
                    racerun::report::evidence_cell(&c.evidence, key, written)
                }),
        );
        row.extend(measure.map(|m| number(c.measures.get(m).map_or(f64::NAN, |s| s.mean))));
        rows.push(row);
    }
    let table = racerun::numbers::columns(&rows, racerun::numbers::Align::Left, 1);
    let mut out = String::from("\n");
    for line in table.lines() {
        out.push_str(&format!("  {line}\n"));
    }
    if cells.iter().any(|c| c.uncertain.is_some()) {
        out.push_str("  ?: uncertain, an interval of the evidence reaches another verdict\n");
    }
    out.push('\n');
    out
}

/// The terminal summary of a finished sweep, with its speed when it simulated cells.
pub fn report(
    header: &sweep::SweepHeader,
    cells: &[sweep::CellResult],
    speed: Option<Speed>,
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
    let mut out = format!(
        "sweep of {} over {}: {} cell{} x {} run{}, seed {}\n  race {}, run {}, mixed {}\n",
        header.scenario,
        axes.join(" x "),
        cells.len(),
        racerun::numbers::plural_s(cells.len()),
        header.runs,
        racerun::numbers::plural_s(header.runs),
        header.seed,
        count("race"),
        count("run"),
        count("mixed"),
    );
    let unsure = |r: &str| {
        cells
            .iter()
            .filter(|c| c.regime == r && c.uncertain.is_some())
            .count()
    };
    if cells.iter().any(|c| c.uncertain.is_some()) {
        out.push_str(&format!(
            "  of which uncertain (an interval of the evidence reaches another verdict): race \
             {}, run {}, mixed {}\n",
            unsure("race"),
            unsure("run"),
            unsure("mixed"),
        ));
    }
    out.push_str(&one_axis_table(header, cells));
    if let Some(clear) = header
        .measure
        .as_deref()
        .and_then(|m| sweep::EffectClear::of(cells, m))
    {
        out.push_str(&format!("  {}: {}\n", clear.effect, clear.sentence()));
    }
    if count("too_short") > 0 {
        out.push_str(&format!(
            "  too short to judge {} (the verdict needs more months)\n",
            count("too_short")
        ));
    }
    if let Some(Speed {
        wall,
        simulated,
        labs,
    }) = speed.filter(|s| s.simulated > 0 && s.wall > 0.0)
    {
        // A `months` axis gives each cell its own horizon: their mean over the cells.
        let months = match header.axes.iter().position(|a| a.path == "months") {
            Some(k) if !cells.is_empty() => {
                cells.iter().map(|c| c.values[k]).sum::<f64>() / cells.len() as f64
            }
            _ => f64::from(header.months),
        };
        let lab_months = simulated as f64 * header.runs as f64 * months * labs as f64;
        out.push_str(&format!(
            "  {simulated} cells simulated in {wall:.1} s: {:.1} cells/s, {} lab-months/s\n",
            simulated as f64 / wall,
            racerun::numbers::compact(lab_months / wall)
        ));
    }
    out
}
