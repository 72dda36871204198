//! Why a world is a race or a run: counterfactual attribution with common random numbers
//! (`racerun explain`).
//!
//! - [`channels`]: the forces that can be switched off, one function each.
//! - [`shapley`]: which worlds to simulate and how their values combine into Shapley
//!   values (exact for up to 7 channels, sampled orders beyond).
//! - [`worlds`]: simulating the factual world and the counterfactual ones, run by run
//!   with the same seeds, into a [`Part`] (a shard's share, or the whole).
//! - [`attribution`]: Shapley values, shares, bootstrap intervals and the sentence.
//! - [`leapfrog`]: each lead change of a sample run, its margin split into what made
//!   the two models.
//!
//! [`finish`] turns the whole [`Part`] (one, or the shards' merged by [`merge`]) into an
//! [`Explanation`]: the factual world's summary (exactly that of `racerun run` with the
//! same seed and runs, its verdict sentence followed by the cause), the attribution, every
//! world's means and the leapfrogs. Computing always goes through [`Part`], so a merge of
//! shards gives the same bytes as one process.

pub mod attribution;
pub mod channels;
pub mod leapfrog;
pub mod shapley;
pub mod table;
pub mod worlds;

use serde::{Deserialize, Serialize};

pub use attribution::{Attribution, Status, reading_notes};
pub use channels::{CHANNELS, Channel};
pub use leapfrog::Leapfrog;
pub use worlds::{ATTRIBUTED, PROFILE_RUNS, Part, Setup, explain};

use crate::metrics::{Pooled, Verdict};
use crate::output::Summary;
use crate::scenario::Scenario;

/// One world's channels and means, as `worlds.csv` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorldRow {
    /// Index in the plan.
    pub world: usize,
    /// Per channel in [`CHANNELS`] order: `Some(true)` on, `Some(false)` off, `None` not
    /// a player (unused, or kept on).
    pub on: Vec<Option<bool>>,
    /// Runs.
    pub runs: u64,
    /// Per attributed measure, the mean over runs (NaN where none applies).
    pub means: Vec<f64>,
}

/// The `summary.json` of `racerun explain`: the factual world's summary, and the
/// attribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExplainSummary {
    /// The factual world, as `racerun run` summarises it (the sentence says why).
    #[serde(flatten)]
    pub summary: Summary,
    /// Why.
    pub attribution: Attribution,
}

/// Everything `racerun explain` writes.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// `summary.json`.
    pub summary: ExplainSummary,
    /// `worlds.csv`.
    pub worlds: Vec<WorldRow>,
    /// `leapfrogs.csv`.
    pub leapfrogs: Vec<Leapfrog>,
}

/// The parts of consecutive shares of the runs, in run order, as one part.
pub fn merge(parts: Vec<Part>) -> Option<Part> {
    let mut parts = parts.into_iter();
    let mut whole = parts.next()?;
    for p in parts {
        whole.tally.merge(&p.tally);
        whole.factual.extend(p.factual);
        whole.spells.add(&p.spells);
        whole.rows.extend(p.rows);
        for (a, b) in whole.world_sums.iter_mut().zip(&p.world_sums) {
            a.merge(b);
        }
        for (a, b) in whole.world_counts.iter_mut().zip(&p.world_counts) {
            *a += b;
        }
        whole.leapfrogs.extend(p.leapfrogs);
    }
    Some(whole)
}

/// The explanation of `scenario` from the part of every run, with channels `asked`.
pub fn finish(scenario: &Scenario, asked: &[Channel], seed: u64, part: &Part) -> Explanation {
    let used: Vec<Channel> = part.used.iter().filter_map(|n| Channel::parse(n)).collect();
    let tally = &part.tally;
    let verdict = Verdict::judge(
        tally,
        Pooled {
            spells: &part.spells,
            seed,
        },
    );
    let plan = worlds::players(&used, seed);
    let attribution = attribution::attribute(part, asked, &used, &plan, seed, &verdict);
    let mut summary = Summary::of_tally(scenario, seed, tally, &verdict, true);
    if let Some((_, why)) = attribution.sentence.split_once(": ") {
        summary.verdict.sentence.push_str(&format!(" Why: {why}"));
    }
    let means = attribution::world_means(part, plan.worlds().len());
    let worlds = plan
        .worlds()
        .iter()
        .enumerate()
        .map(|(w, &mask)| WorldRow {
            world: w,
            on: CHANNELS
                .iter()
                .map(|c| {
                    used.iter()
                        .position(|u| u == c)
                        .map(|p| mask & (1 << p) != 0)
                })
                .collect(),
            runs: part.tally.runs(),
            means: means[w].clone(),
        })
        .collect();
    Explanation {
        summary: ExplainSummary {
            summary,
            attribution,
        },
        worlds,
        leapfrogs: part.leapfrogs.clone(),
    }
}
