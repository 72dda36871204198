//! Why a challenger overtook: each lead change of a sample run, its margin over the
//! incumbent split into what made the two models.
//!
//! A model's quality is `Q(E) + luck` with `Q(E) = q0 + elo_per_decade * log10(E / e0)`,
//! and its run's effective compute is a sum over the months it trained,
//! `E = sum_u e_u`, `e_u = f_u * fleet_u * flop * research_efficiency * A_u * R_u * S_u`
//! (training share, fleet, algorithms, self-improvement, spillover; the run in progress
//! at month 0 trained its months before month 0 at month 0's share and fleet). With the
//! weights `w_u = e_u / E`, exactly,
//!
//! `log10 E = sum_u w_u log10 e_u + H`, `H = -sum_u w_u log10 w_u`,
//!
//! so `log10 E` is the compute-weighted mean log of each factor plus `H`, the log of the
//! run's effective number of months (its length). Multiplied by `elo_per_decade`, each
//! factor's term is Elo, and the challenger's margin over the incumbent is the sum of the
//! differences of the terms, plus the difference of their luck (`candidate - Q(E)`),
//! plus, for a lab still serving its month-0 model, that model's quality over the
//! reference (`initial`). A run starts with `carry_over` of the compute behind the model
//! the lab deployed when it began: one more term of the sum, whose whole log is its own
//! factor (`carried`, what the lab's earlier models contribute). The split is exact
//! because quality is log-linear in effective compute. Compute that a delayed release's
//! slipped months train for the next run is counted in that run's luck: delays are
//! release luck.

use crate::math;
use serde::{Deserialize, Serialize};

use crate::engine::{Calendar, State};
use crate::metrics::leaders;
use crate::model::per_year;
use crate::model::release::{compute_of, first_run};
use crate::model::training::{research_multiplier, spillover};
use crate::scenario::Scenario;

/// One lead change, its margin split (all in Elo).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Leapfrog {
    /// Run index.
    pub run: u64,
    /// Month of the change, 0-based.
    pub month: u32,
    /// The new quality leader (lab id).
    pub challenger: String,
    /// The leader it overtook.
    pub incumbent: String,
    /// The challenger's quality minus the incumbent's.
    pub margin: f64,
    /// From fleets: the compute-weighted log of the GPUs online.
    pub fleet: f64,
    /// From training shares.
    pub training_share: f64,
    /// From research efficiency.
    pub research_efficiency: f64,
    /// From algorithmic progress: when the run trained (release timing).
    pub vintage: f64,
    /// From the run's effective length.
    pub run_length: f64,
    /// From self-improvement.
    pub self_improvement: f64,
    /// From compute carried over from the lab's earlier models.
    #[serde(default)]
    pub carried: f64,
    /// From spillover.
    pub spillover: f64,
    /// From research luck.
    pub luck: f64,
    /// From a month-0 model still deployed (its quality over the reference).
    pub initial: f64,
}

/// The parts of a leapfrog, in column order.
pub const PARTS: [&str; 10] = [
    "fleet",
    "training_share",
    "research_efficiency",
    "vintage",
    "run_length",
    "self_improvement",
    "spillover",
    "carried",
    "luck",
    "initial",
];

/// How readers name each part of the margin, in [`PARTS`] order: (its label on charts
/// and in tables, the words a chart title gives it as a cause, what it is).
#[rustfmt::skip]
const WORDS: [(&str, &str, &str); 10] = [
    ("fleet", "more GPUs in the run", "the GPUs each lab's run trained on (fleets grow, so a later run has more)"),
    ("training share", "a larger training share", "the share of its fleet each lab trained with"),
    ("research efficiency", "better research", "each lab's research efficiency"),
    ("vintage", "a later vintage", "when each run trained: later runs use better algorithms"),
    ("run length", "a longer run", "how many months each run effectively lasted"),
    ("self-improvement", "self-improvement", "research sped up by the lab's own models and its lead"),
    ("spillover", "spillover", "what the trailing lab learnt from the leader"),
    ("carried over", "compute carried over", "compute carried over from each lab's earlier models"),
    ("luck", "luck", "research luck and release delays"),
    ("starting model", "the starting model", "a model deployed at the start, still serving"),
];

/// The words for `part` (a name in [`PARTS`]): its label, the words a title gives it as
/// a cause, and what it is.
pub fn words(part: &str) -> (&'static str, &'static str, &'static str) {
    PARTS
        .iter()
        .position(|p| *p == part)
        .map_or(("other", "other parts", ""), |k| WORDS[k])
}

impl Leapfrog {
    /// The parts, in [`PARTS`] order.
    pub fn parts(&self) -> [f64; 10] {
        [
            self.fleet,
            self.training_share,
            self.research_efficiency,
            self.vintage,
            self.run_length,
            self.self_improvement,
            self.spillover,
            self.carried,
            self.luck,
            self.initial,
        ]
    }

    /// The parts, in [`PARTS`] order, to fill in (as a reader of `leapfrogs.csv` does).
    pub fn parts_mut(&mut self) -> [&mut f64; 10] {
        [
            &mut self.fleet,
            &mut self.training_share,
            &mut self.research_efficiency,
            &mut self.vintage,
            &mut self.run_length,
            &mut self.self_improvement,
            &mut self.spillover,
            &mut self.carried,
            &mut self.luck,
            &mut self.initial,
        ]
    }
}

/// What made a model, in log10 units of compute (the first eight: the factors, then the
/// length term `H`) and Elo (the last two); see the module docs.
#[derive(Debug, Clone, Copy, Default)]
struct Model {
    logs: [f64; 8],
    luck: f64,
    initial: f64,
}

/// One month of training, or the compute carried into a run: `e` and the log10 of its
/// factors per FLOP (fleet, share, research efficiency, algorithms, self-improvement,
/// spillover, carried).
struct Term {
    e: f64,
    logs: [f64; 7],
}

impl Term {
    /// The compute a run starts with: `carry_over` of what gives `quality` on the curve,
    /// all of it the `carried` factor.
    fn carried(carry_over: f64, quality: f64, a: &crate::scenario::file::Algorithms) -> Term {
        let e = carry_over * compute_of(quality, a);
        let mut logs = [0.0; 7];
        logs[6] = math::log10(e / a.flop_per_h100e_month);
        Term { e, logs }
    }
}

/// The decomposed lead changes of one run of `scenario` (the run's own, uncertain inputs
/// drawn), from its states month by month.
pub fn decompose(
    scenario: &Scenario,
    calendar: &Calendar,
    run: u64,
    states: &[State],
) -> Vec<Leapfrog> {
    let n = scenario.labs.len();
    let months = states.len();
    if n < 2 || months == 0 {
        return Vec::new();
    }
    let a = &scenario.world.algorithms;
    let d = &scenario.world.dynamics;
    let epd = a.elo_per_decade;
    let base = a.q0 + epd * (math::log10(a.flop_per_h100e_month) - math::log10(a.e0));
    let initial_q: Vec<f64> = scenario
        .labs
        .iter()
        .map(|l| l.quality.unwrap_or(a.q0))
        .collect();
    // deployed[m * n + i]: what made lab i's model deployed at the end of month m.
    let mut deployed = vec![Model::default(); months * n];
    for (i, lab) in scenario.labs.iter().enumerate() {
        let mut current = Model {
            initial: initial_q[i] - base,
            ..Model::default()
        };
        let (age, _) = first_run(lab.run_months, lab.first_release);
        let f0 = states[0].labs[i].train_fraction;
        // The GPUs with power at month 0, which trained the run in progress.
        let g0 = if f0 > 0.0 {
            states[0].labs[i].training_gpus / f0
        } else {
            lab.fleet
        };
        let re = lab.research_efficiency;
        let carry = d.carry_over;
        let mut terms: Vec<Term> = std::iter::once(Term::carried(carry, initial_q[i], a))
            .chain((1..=age).map(|k| {
                let algo = per_year(a.algo_progress, -f64::from(k));
                Term {
                    e: f0 * g0 * a.flop_per_h100e_month * re * algo,
                    logs: [
                        math::log10(g0),
                        math::log10(f0),
                        math::log10(re),
                        math::log10(algo),
                        0.0,
                        0.0,
                        0.0,
                    ],
                }
            }))
            .filter(|t| t.e > 0.0)
            .collect();
        for m in 0..months {
            let start: Vec<f64> = if m == 0 {
                initial_q.clone()
            } else {
                states[m - 1].labs.iter().map(|l| l.quality).collect()
            };
            let lab_state = &states[m].labs[i];
            let t = lab_state.training_gpus;
            if t > 0.0 {
                let q = start[i];
                let mean = start.iter().sum::<f64>() / n as f64;
                let best = start.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let r = research_multiplier(q, mean, d, a);
                let s = if d.phi == 0.0 || q >= best {
                    1.0
                } else {
                    spillover(q, best, d.phi, epd)
                };
                let algo = calendar.month(m).algo;
                let f = lab_state.train_fraction;
                terms.push(Term {
                    e: t * a.flop_per_h100e_month * re * algo * r * s,
                    logs: [
                        math::log10(t / f),
                        math::log10(f),
                        math::log10(re),
                        math::log10(algo),
                        math::log10(r),
                        math::log10(s),
                        0.0,
                    ],
                });
            }
            if lab_state.run_elapsed == 0 {
                if lab_state.released {
                    current = model_of(
                        &terms,
                        lab_state.candidate,
                        base,
                        epd,
                        a.flop_per_h100e_month,
                    );
                }
                terms.clear();
                let next = Term::carried(carry, lab_state.quality, a);
                if next.e > 0.0 {
                    terms.push(next);
                }
            }
            deployed[m * n + i] = current;
        }
    }
    let quality: Vec<f64> = states
        .iter()
        .flat_map(|s| s.labs.iter().map(|l| l.quality))
        .collect();
    let lead = leaders(&quality, n, scenario.world.leadership.lead_margin);
    let mut out = Vec::new();
    for m in 1..months {
        // The first lab to lead after a tie takes the lead from nobody: not a lead change.
        let (Some(c), Some(inc)) = (lead[m], lead[m - 1]) else {
            continue;
        };
        if c == inc {
            continue;
        }
        let (mc, mi) = (&deployed[m * n + c], &deployed[m * n + inc]);
        let part = |k: usize| epd * (mc.logs[k] - mi.logs[k]);
        out.push(Leapfrog {
            run,
            month: m as u32,
            challenger: scenario.labs[c].id.clone(),
            incumbent: scenario.labs[inc].id.clone(),
            margin: quality[m * n + c] - quality[m * n + inc],
            fleet: part(0),
            training_share: part(1),
            research_efficiency: part(2),
            vintage: part(3),
            self_improvement: part(4),
            spillover: part(5),
            carried: part(6),
            run_length: part(7),
            luck: mc.luck - mi.luck,
            initial: mc.initial - mi.initial,
        });
    }
    out
}

/// The model a run of `terms` made, released as `candidate`: the compute-weighted mean
/// log of each factor, the run's length term `H`, and luck `candidate - Q(E)`.
fn model_of(terms: &[Term], candidate: f64, base: f64, epd: f64, flop: f64) -> Model {
    let e: f64 = terms.iter().map(|t| t.e).sum();
    let mut logs = [0.0; 8];
    for t in terms {
        let w = t.e / e;
        for (l, x) in logs.iter_mut().zip(t.logs) {
            *l += w * x;
        }
        logs[7] -= w * math::log10(w);
    }
    // Q(E) through the same terms: base + epd * (log10 E - log10 flop), flop being in
    // every e_u; luck is what the candidate adds to it.
    let q = base + epd * (math::log10(e) - math::log10(flop));
    Model {
        logs,
        luck: candidate - q,
        initial: 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;

    fn states(scenario: &Scenario, seed: u64, run: u64) -> Vec<State> {
        let mut out = Vec::new();
        Engine::new(scenario, seed, run)
            .run(&mut |s: &State| out.push(s.clone()))
            .unwrap();
        out
    }

    const WORLD: &str = "name = \"t\"\nmonths = 60\n[world.dynamics]\nkappa = 0.8\nphi = 0.3\n\
        [world.market]\nbeta = 4.0\nswitching = 0.8\n[world.gpus]\nsupply = 8000.0\n\
        [[labs]]\nid = \"a\"\nfirst_release = 2\nresearch_efficiency = 1.2\npolicy = { kind = \"serve_first\", min_train = 0.2, max_train = 0.9 }\n\
        [[labs]]\nid = \"b\"\nrun_months = 5\nfleet = 80000.0\npolicy = { kind = \"fixed\", train = 0.6 }\n\
        [[labs]]\nid = \"c\"\nfirst_release = 4\nquality = 1300.0\npolicy = { kind = \"gap_response\" }\n";

    #[test]
    fn the_parts_add_up_to_the_margin() {
        let s = Scenario::load(WORLD, "t", &[]).unwrap();
        let cal = Calendar::new(&s);
        let mut seen = 0;
        for run in 0..8 {
            for l in decompose(&s, &cal, run, &states(&s, 3, run)) {
                let sum: f64 = l.parts().iter().sum();
                assert!((sum - l.margin).abs() < 1e-6, "{l:?}");
                assert!(l.margin >= 10.0, "the default lead margin: {l:?}");
                seen += 1;
            }
        }
        assert!(seen > 5, "{seen} lead changes");
    }

    #[test]
    fn without_research_luck_nothing_is_left_for_luck() {
        // release_sigma 0: luck must come out 0, which checks that the effective compute
        // rebuilt here (self-improvement and spillover included) is the engine's.
        let s = Scenario::load(
            &WORLD.replace(
                "[world.dynamics]",
                "[world.algorithms]\nrelease_sigma = 0.0\n[world.dynamics]",
            ),
            "t",
            &[],
        )
        .unwrap();
        let cal = Calendar::new(&s);
        let mut seen = 0;
        for run in 0..4 {
            for l in decompose(&s, &cal, run, &states(&s, 9, run)) {
                assert!(l.luck.abs() < 1e-6, "{l:?}");
                seen += 1;
            }
        }
        assert!(seen > 0);
    }
}
