//! The phase diagram's title: where each verdict is found, by value on each axis, and
//! what the colour shows when it is not the verdict's own measure.

use super::sweep::{SweepInput, linear, short_name, tick_label};
use crate::experiment::sweep::Axis;

/// What the colour shows, when it is not the verdict's own measure (`--measure`, or an
/// effect with `--effect`): its range and where it is highest (lowest, or furthest from
/// zero when it takes both signs), `colour: total effect of headwind on quality-lead
/// changes per year from -0.33 to -0.03, lowest at GPU supply 1k and κ 2`. An effect's
/// extreme is sought among the cells whose 95% interval excludes zero (`unclear` marks
/// the others), and when there is none the clause says so.
pub(super) fn colour_clause(
    input: &SweepInput,
    means: &[f64],
    unclear: &[bool],
    ny: usize,
) -> Option<String> {
    if input.measure == super::SWEEP_MEASURE {
        return None;
    }
    let (label, unit, _) = input.measure_meta();
    let finite = means
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, v)| v.is_finite());
    let (lo, hi) = finite
        .clone()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (_, v)| {
            (a.min(v), b.max(v))
        });
    let far = finite
        .filter(|(k, _)| !unclear[*k])
        .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()));
    let axes = input.axes();
    let at = |axis: &Axis, k: usize| {
        format!(
            "{} {}",
            super::story::mid_sentence(&short_name(axis)),
            crate::numbers::compact(axis.values[k])
        )
    };
    let extreme = if lo >= 0.0 {
        "highest"
    } else if hi <= 0.0 {
        "lowest"
    } else {
        "furthest from zero"
    };
    // Two decimals for small numbers (an effect of -0.215 reads -0.22), compact beyond.
    let f = |v: f64| {
        crate::numbers::minus(if v.abs() < 10.0 {
            crate::numbers::trimmed(v, 2)
        } else {
            crate::numbers::compact(v)
        })
    };
    let unit = if unit.is_empty() || unit.len() > 12 {
        String::new()
    } else {
        format!(" {unit}")
    };
    let range = format!(
        "colour: {} from {} to {}{unit}",
        super::story::mid_sentence(&label.replace(" on: ", " on ")),
        f(lo),
        f(hi)
    );
    if lo > hi {
        return None;
    }
    let Some((far, _)) = far else {
        return Some(format!(
            "{range}; in no cell is it clear of zero (95% intervals)"
        ));
    };
    let (i, j) = (far / ny, far % ny);
    Some(format!(
        "{range}, {extreme} at {} and {}",
        at(&axes[0], i),
        at(&axes[1], j)
    ))
}

/// Where RACE is found, as a necessary condition on each axis: the range of the swept
/// values its cells span, where that range stops short of the grid's; or that there is no
/// RACE at all, and where RUN is then. Told by value, not by position, so an axis swept
/// from a high START to a low END (`--vary PATH=2:0:20`) reads the same.
pub(super) fn title(axes: &[Axis], regimes: &std::collections::BTreeMap<u64, &str>) -> String {
    let total = regimes.len();
    for name in ["race", "run"] {
        let cells: Vec<u64> = regimes
            .iter()
            .filter(|(_, r)| **r == name)
            .map(|(c, _)| *c)
            .collect();
        if cells.is_empty() {
            continue;
        }
        let ny = axes[1].values.len() as u64;
        let mut conditions = Vec::new();
        // The cells of the rectangle the conditions bound: the region may fill only part
        // of it (a staircase boundary), which the title then says.
        let mut bounded = 1;
        for (k, axis) in axes.iter().enumerate() {
            let index = |c: u64| (if k == 0 { c / ny } else { c % ny }) as usize;
            let lo = cells.iter().map(|&c| index(c)).min().unwrap_or(0);
            let hi = cells.iter().map(|&c| index(c)).max().unwrap_or(0);
            bounded *= hi - lo + 1;
            let what = super::story::mid_sentence(&short_name(axis));
            let unit = crate::scenario::params::describe(&axis.path)
                .map(|(_, u)| u)
                .filter(|u| !u.is_empty())
                .map(|u| format!(" {u}"))
                .unwrap_or_default();
            let value = |v: f64| format!("{}{unit}", tick_label(&linear(0.0, 1.0), v));
            let min_max = |values: &[f64]| {
                values
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                        (a.min(v), b.max(v))
                    })
            };
            let (low, high) = min_max(&axis.values[lo..=hi]);
            let (grid_low, grid_high) = min_max(&axis.values);
            match (low > grid_low, high < grid_high) {
                (true, true) => {
                    conditions.push(format!("{what} between {} and {}", value(low), value(high)))
                }
                (true, false) => conditions.push(format!("{what} ≥ {}", value(low))),
                (false, true) => conditions.push(format!("{what} ≤ {}", value(high))),
                (false, false) => {}
            }
        }
        let share = if cells.len() < bounded && !conditions.is_empty() {
            format!("{} of those {bounded} cells, of {total}", cells.len())
        } else {
            format!("{} of {total} cells", cells.len())
        };
        let upper = name.to_uppercase();
        return match (name, conditions.is_empty()) {
            (_, true) => format!("{upper} across the whole grid ({share})"),
            ("race", false) => format!("RACE only where {} ({share})", conditions.join(" and ")),
            _ => format!(
                "No RACE on this grid; RUN only where {} ({share})",
                conditions.join(" and ")
            ),
        };
    }
    "Neither RACE nor RUN anywhere on this grid".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn axis(path: &str, values: &[f64]) -> Axis {
        Axis {
            arg: String::new(),
            path: path.into(),
            generic: path.into(),
            unit: String::new(),
            log: false,
            values: values.to_vec(),
        }
    }

    /// A 3 x 2 grid (x changes slowest) with RACE only in the cells of the highest kappa.
    fn race_at_high_kappa(kappa: &[f64]) -> String {
        let axes = [
            axis("world.dynamics.kappa", kappa),
            axis("world.market.beta", &[1.0, 2.0]),
        ];
        let high = kappa
            .iter()
            .position(|&k| k == 2.0)
            .expect("kappa 2 is swept") as u64;
        let regimes = (0..6u64)
            .map(|c| (c, if c / 2 == high { "race" } else { "mixed" }))
            .collect();
        title(&axes, &regimes)
    }

    #[test]
    fn the_title_reads_the_same_whichever_way_an_axis_is_swept() {
        let rising = race_at_high_kappa(&[0.0, 1.0, 2.0]);
        assert!(
            rising.starts_with("RACE only where ") && rising.contains("≥ 2"),
            "{rising}"
        );
        // Swept from 2 down to 0 (--vary world.dynamics.kappa=2:0:3): still kappa >= 2.
        assert_eq!(race_at_high_kappa(&[2.0, 1.0, 0.0]), rising);
        assert!(rising.ends_with("(2 of 6 cells)"), "{rising}");
    }

    /// A staircase: RACE at kappa 2 for beta 1, at kappa 1 and 2 for beta 2. The
    /// conditions bound 4 cells; the title says the region fills 3 of them.
    #[test]
    fn a_region_that_fills_part_of_its_bounds_says_so() {
        let axes = [
            axis("world.dynamics.kappa", &[0.0, 1.0, 2.0]),
            axis("world.market.beta", &[1.0, 2.0]),
        ];
        let race = [3, 4, 5];
        let regimes = (0..6u64)
            .map(|c| (c, if race.contains(&c) { "race" } else { "mixed" }))
            .collect();
        let t = title(&axes, &regimes);
        assert!(
            t.contains("≥ 1") && t.ends_with("(3 of those 4 cells, of 6)"),
            "{t}"
        );
    }
}
