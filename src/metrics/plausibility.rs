//! Plausibility: the largest values the median run reaches, against documented physical
//! and financial bounds. Each check's bound sits in its row of the table below, with its
//! reason (and at more length in docs/model.md, "Plausibility").

use serde::{Deserialize, Serialize};

use crate::engine::Calendar;
use crate::montecarlo::{Bands, LabSeries, WorldSeries};
use crate::scenario::Scenario;

/// One check: the largest value the median run reached and its bound.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    /// Short name.
    pub name: String,
    /// What is measured.
    pub description: String,
    /// Unit of `largest` and `bound`.
    pub unit: String,
    /// The bound.
    pub bound: f64,
    /// The largest value of the median run (across runs, month by month; the largest
    /// month, and lab for a per-lab check).
    pub largest: f64,
    /// The month it was reached, `YYYY-MM`.
    pub date: String,
    /// The lab that reached it, for a per-lab check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lab: Option<String>,
    /// Whether `largest` is within `bound`.
    pub within: bool,
}

/// A value in a check's `unit`, as a reader writes it: `143M H100e`, `22.6 GW`,
/// `$279B a year`, `0.17% of world output`.
pub fn shown(unit: &str, value: f64) -> String {
    use crate::numbers::compact;
    match unit {
        "share of world output" => format!("{:.2}% of world output", value * 100.0),
        "USD per year" => format!("${} a year", compact(value)),
        unit => format!("{} {unit}", compact(value)),
    }
}

/// The plausibility section of `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plausibility {
    /// Whether every check is within its bound.
    pub within: bool,
    /// The checks.
    pub checks: Vec<Check>,
}

/// What a check reads: a per-lab series, a world series, their scale to the check's unit,
/// and whether it is divided by world output.
enum Source {
    Lab(LabSeries),
    World(WorldSeries),
}

struct Spec {
    name: &'static str,
    description: &'static str,
    unit: &'static str,
    /// The bound, in `unit`; why, in a comment on the row.
    bound: f64,
    source: Source,
    /// Multiplies the band's value into the unit (before any share of world output).
    scale: f64,
    /// Whether the value is a share of the month's world output (USD a year).
    of_gdp: bool,
}

const SPECS: [Spec; 7] = [
    Spec {
        name: "fleet_per_lab",
        description: "GPUs online at one lab",
        unit: "H100e",
        // AI 2027's forecast puts the world's AI compute near 100M H100e at end-2027; three
        // times that in one lab is beyond any published projection.
        bound: 3e8,
        source: Source::Lab(LabSeries::Fleet),
        scale: 1.0,
        of_gdp: false,
    },
    Spec {
        name: "power_per_lab",
        description: "data-centre power online at one lab",
        unit: "GW",
        // Epoch AI finds training sites of a few GW feasible by 2030; fifty is ten such
        // sites, the whole US data-centre fleet of 2024 twice over.
        bound: 50.0,
        source: Source::Lab(LabSeries::PowerMw),
        scale: 1e-3,
        of_gdp: false,
    },
    Spec {
        name: "power_total",
        description: "data-centre power online at all labs",
        unit: "GW",
        // World data centres drew about 47 GW on average in 2024 (IEA); three times that for
        // the frontier labs alone is the outer edge of projections for the 2030s.
        bound: 150.0,
        source: Source::World(WorldSeries::PowerMw),
        scale: 1e-3,
        of_gdp: false,
    },
    Spec {
        name: "revenue_per_lab",
        description: "one lab's revenue, annualised",
        unit: "USD per year",
        // About 2% of world output, the size of the largest companies' revenue today ten
        // times over.
        bound: 2e12,
        source: Source::Lab(LabSeries::Revenue),
        scale: 12.0,
        of_gdp: false,
    },
    Spec {
        name: "funding_per_lab",
        description: "one lab's outside funding, annualised, against world output",
        unit: "share of world output",
        // 0.5% of world output, about $550B in 2025, more than the largest firms' whole AI
        // capital spending that year.
        bound: 0.005,
        source: Source::Lab(LabSeries::Funding),
        scale: 12.0,
        of_gdp: true,
    },
    Spec {
        name: "cash_per_lab",
        description: "one lab's cash against world output",
        unit: "share of world output",
        // 0.5% of world output, about $550B in 2025: beyond the largest cash holdings any
        // company has reported (Berkshire Hathaway about $325B at end-2024, Apple about
        // $285B of cash and securities in 2017), about 0.3% of world output.
        bound: 0.005,
        source: Source::Lab(LabSeries::Cash),
        scale: 1.0,
        of_gdp: true,
    },
    Spec {
        name: "investment_total",
        description: "all labs' spending on GPUs and data centres (world AI investment), annualised, against world output",
        unit: "share of world output",
        // 2% of world output, five times 2025's world AI investment (about $400B, 0.4%):
        // the scale of the largest investment booms (railways, telecoms) relative to output.
        bound: 0.02,
        source: Source::World(WorldSeries::Investment),
        scale: 12.0,
        of_gdp: true,
    },
];

impl Plausibility {
    /// The checks of a Monte Carlo's bands: for each, the largest median over months (and
    /// labs) against its bound. World output is the scenario's
    /// (`world.investors.gdp` growing by `gdp_growth`).
    pub fn of(scenario: &Scenario, bands: &Bands) -> Plausibility {
        let calendar = Calendar::new(scenario);
        let checks: Vec<Check> = SPECS
            .iter()
            .map(|spec| {
                let value = |median: f64, m: usize| {
                    let v = median * spec.scale;
                    if spec.of_gdp { v / calendar.gdp(m) } else { v }
                };
                let mut best = (f64::NEG_INFINITY, 0, None);
                for m in 0..bands.months {
                    match spec.source {
                        Source::Lab(series) => {
                            for i in 0..bands.labs {
                                let v = value(bands.lab(series, m, i).quantile(0.5), m);
                                if v > best.0 {
                                    best = (v, m, Some(i));
                                }
                            }
                        }
                        Source::World(series) => {
                            let v = value(bands.world(series, m).quantile(0.5), m);
                            if v > best.0 {
                                best = (v, m, None);
                            }
                        }
                    }
                }
                let (largest, month, lab) = best;
                let largest = if largest.is_finite() { largest } else { 0.0 };
                Check {
                    name: spec.name.to_string(),
                    description: spec.description.to_string(),
                    unit: spec.unit.to_string(),
                    bound: spec.bound,
                    largest,
                    date: scenario.date(month).to_string(),
                    lab: lab.map(|i| scenario.labs[i].id.clone()),
                    within: largest <= spec.bound,
                }
            })
            .collect();
        Plausibility {
            within: checks.iter().all(|c| c.within),
            checks,
        }
    }

    /// The checks the median run fails.
    pub fn outside(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| !c.within)
    }
}
