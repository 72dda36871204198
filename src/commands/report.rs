//! `racerun report`: rebuild `report.html` of a finished result; `racerun compare`: put
//! finished runs side by side.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use racerun::numbers;
use racerun::output::compare::{Comparison, MAX_COMPARED, write_comparison};
use racerun::output::place::{Detected, detect};
use racerun::output::{self, OutputKind};
use racerun::plot::{self, PlotOptions};
use racerun::report::html;

use super::console::{self, out};
use crate::cli::{CompareArgs, ReportArgs};

/// Runs `racerun report`.
pub fn run(args: ReportArgs) -> Result<()> {
    let measure = match &args.measure {
        Some(m) => {
            // An effect's name (`effect.headwind.changes_per_year_quality`) names a measure
            // of a sweep run with --effect; the chart refuses it if the sweep has none.
            if !m.starts_with("effect.") {
                super::sweep::check_measure(m)?;
            }
            m.clone()
        }
        None => plot::shown_measure(&args.dir),
    };
    // The same checks as `plot`: a racerun result, whose charts/ holds only charts.
    // Held until the charts (or report) are written: no other racerun writes there meanwhile.
    let checked = output::check_charts(&args.dir)?;
    console::cleaned(checked.cleaned());
    let path = html::write_showing(&args.dir, &args.dir, &measure)?;
    out!("{}\n", path.display())?;
    Ok(())
}

/// Runs `racerun compare`.
pub fn compare(args: CompareArgs) -> Result<()> {
    if args.dirs.len() > MAX_COMPARED {
        bail!(
            "{} directories given; compare takes at most {MAX_COMPARED}, so that each gets a \
             colour and a line style of its own",
            args.dirs.len()
        );
    }
    for (i, dir) in args.dirs.iter().enumerate() {
        let same = |other: &PathBuf| match (dir.canonicalize(), other.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => dir == other,
        };
        if args.dirs[..i].iter().any(same) {
            bail!("{}: given twice; compare each result once", dir.display());
        }
        match detect(dir) {
            Some(Detected::Kind(OutputKind::Run)) => {}
            Some(found) => bail!(
                "{}: holds {}; compare takes the results of `racerun run`",
                dir.display(),
                found.describe()
            ),
            None if !dir.is_dir() => bail!(
                "{}: no such directory; give the directories `racerun run` wrote, e.g. \
                 output/baseline",
                dir.display()
            ),
            None => bail!(
                "{}: not the result of `racerun run` (no racerun manifest.json); run the \
                 scenario first, e.g. `racerun run baseline`",
                dir.display()
            ),
        }
    }
    let comparison = Comparison::from_dirs(&args.dirs)?;
    let default = PathBuf::from("output").join(comparison.default_name());
    let dest = super::destination(
        args.out.as_deref(),
        || default,
        OutputKind::Compare,
        &args.dirs,
        args.quiet,
    )?;
    dest.publish::<anyhow::Error>(|dir| {
        write_comparison(dir, &comparison)?;
        if !args.no_plots {
            plot::draw_compare(dir, &PlotOptions::default())?;
            html::write_showing(dir, dest.path(), plot::SWEEP_MEASURE)?;
        }
        Ok(())
    })
    .with_context(|| format!("writing the comparison to {}", dest.path().display()))?;
    if !args.quiet {
        out!("{}", table(&comparison))?;
    }
    super::wrote(dest.path(), args.quiet)?;
    Ok(())
}

/// The comparison on the terminal: one line per run, with its simulations and seed, and
/// a note when those differ (results of different precision, or other random numbers).
fn table(c: &Comparison) -> String {
    let mut rows = vec![vec![
        "scenario".to_string(),
        "verdict".to_string(),
        "persistence vs chance (mean)".to_string(),
        "changes/year (median)".to_string(),
        "still leads after 24 months".to_string(),
        "simulations".to_string(),
        "seed".to_string(),
    ]];
    for r in &c.runs {
        let survival = r.survival.as_ref().and_then(|s| {
            let k = s.quality.h.iter().position(|&h| h == 24)?;
            Some(format!(
                "{:.0}% (chance {:.0}%)",
                s.quality.mean[k] * 100.0,
                s.chance_quality * 100.0
            ))
        });
        let [persistence, changes] = r.shown("-");
        rows.push(vec![
            r.label.clone(),
            r.regime.replace('_', " ").to_uppercase(),
            persistence,
            changes,
            survival.unwrap_or_else(|| "-".into()),
            numbers::thousands(r.runs as i64),
            r.seed.to_string(),
        ]);
    }
    let mut text = numbers::columns(&rows, numbers::Align::Left, 0);
    for note in c.notes() {
        text.push_str(&format!("note: {note}\n"));
    }
    text
}
