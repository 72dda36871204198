//! `racerun plot`: redraw the charts of an output directory from its files.

use anyhow::Result;
use racerun::output;
use racerun::plot::{self, Format, PlotOptions};

use super::console::{self, out};
use crate::cli::PlotArgs;

/// Runs `racerun plot`.
pub fn run(args: PlotArgs) -> Result<()> {
    let formats = args
        .format
        .iter()
        .map(|f| f.parse::<Format>())
        .collect::<Result<Vec<_>, _>>()?;
    let only = (!args.only.is_empty()).then(|| args.only.clone());
    let opts = PlotOptions {
        formats,
        width: args.width,
        height: args.height,
        only,
    };
    // Before anything is read or drawn: the directory is racerun's, and its charts/ (if
    // any) holds nothing but charts.
    // Held until the charts (or report) are written: no other racerun writes there meanwhile.
    let checked = output::check_charts(&args.dir)?;
    console::cleaned(checked.cleaned());
    super::signals::install();
    // A run's chart set, a sweep's phase diagram (or line chart), or a sensitivity
    // run's tornado, whichever the directory holds.
    for path in plot::draw_dir(&args.dir, &opts)? {
        out!(
            "{}
",
            path.display()
        )?;
    }
    // Charts left out because the files lack their data say so (asked for by name, they
    // are refused instead).
    if opts.only.is_none() {
        for (name, why) in plot::missing_charts(&args.dir)? {
            console::note(&format!("{name} not drawn: {why}"));
        }
    }
    Ok(())
}
