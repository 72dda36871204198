//! Each Monte Carlo run's own scenario: its draws of the uncertain inputs, written in the
//! fields they stand for.

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

use super::Uncertain;
use crate::scenario::Scenario;
use crate::scenario::decl::{Node, generic};
use crate::scenario::params;

/// The generator of run `run`'s input draws: the engine's generator for (seed, run)
/// ([`crate::engine::run_rng`]), moved 2^64 words ahead, where a run's engine never
/// reaches. Input draws therefore depend on (seed, run) only, and adding uncertainty
/// leaves the engine's own draws (release luck, delays, demand shocks) unchanged.
pub fn input_rng(seed: u64, run: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(run);
    rng.set_word_pos(1u128 << 64);
    rng
}

/// Builds the concrete scenario of a run from its drawn input values.
#[derive(Debug, Clone)]
pub struct Realizer<'a> {
    scenario: &'a Scenario,
    calendar: bool,
}

impl<'a> Realizer<'a> {
    /// Prepares `scenario` for many runs.
    pub fn new(scenario: &'a Scenario) -> Realizer<'a> {
        // A parameter the catalogue marks `calendar` is read by the precomputed calendar.
        let calendar = scenario
            .uncertain()
            .iter()
            .any(|u| params::find(&generic(u.segs())).is_none_or(|s| s.calendar));
        Realizer { scenario, calendar }
    }

    /// Whether a run's draws can change the scenario's [`crate::engine::Calendar`]; when
    /// not, every run shares the calendar computed once.
    pub fn changes_calendar(&self) -> bool {
        self.calendar
    }

    /// The uncertain inputs, in the order of the values.
    pub fn inputs(&self) -> &'a [Uncertain] {
        self.scenario.uncertain()
    }

    /// Run `run`'s values of the uncertain inputs under master seed `seed`: one uniform
    /// per input from [`input_rng`], in input order (that of [`Scenario::uncertain`]),
    /// through the input's quantile function.
    pub fn draw(&self, seed: u64, run: u64) -> Vec<f64> {
        let mut rng = input_rng(seed, run);
        self.inputs()
            .iter()
            .map(|u| u.dist.quantile(rng.random::<f64>()))
            .collect()
    }

    /// The scenario with input `k` set to `values[k]`, no longer uncertain. Values come
    /// from the inputs' supports, which validation checked, so the result is valid; and
    /// validation checked that every input has a field to write (every real parameter
    /// does, by its declaration).
    pub fn scenario(&self, values: &[f64]) -> Scenario {
        let mut file = self.scenario.file().clone();
        for (u, v) in self.inputs().iter().zip(values) {
            if let Some(slot) = file.real_at(u.segs()) {
                *slot = *v;
            }
        }
        Scenario {
            file,
            start: self.scenario.start(),
            uncertain: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use toml::Value;

    use super::*;
    use crate::engine::Calendar;
    use crate::scenario::Override;
    use crate::scenario::params::{Kind, PARAMS};

    /// A uniform distribution inside `spec`'s range, as written in a file.
    fn inside(spec: &crate::scenario::params::ParamSpec) -> String {
        let range = spec.range.unwrap();
        let lo = range.min;
        let hi = match range.max - lo {
            w if w <= 1e6 => range.max,
            _ if lo > 0.0 => lo * 10.0,
            _ => lo + 1e6,
        };
        let (lo, hi) = (lo + (hi - lo) * 0.25, lo + (hi - lo) * 0.5);
        format!("{{ dist = \"uniform\", min = {lo:?}, max = {hi:?} }}")
    }

    #[test]
    fn every_uncertain_parameter_is_written_in_its_field() {
        // One lab of each policy kind, and every real parameter that may be uncertain given
        // as a distribution: each draw lands in its own field.
        let specs: Vec<_> = PARAMS.iter().filter(|s| s.uncertain).collect();
        let point = specs.iter().find(|s| s.path.contains("points.*")).unwrap();
        // A supply wave needs its start month for its multiplier to be given.
        let mut text = String::from("name = \"t\"\n[world.gpus]\nwave_from = \"2025-01\"\n");
        for kind in crate::policy::PolicySpec::KINDS {
            text.push_str(&format!(
                "[[labs]]\nid = \"{kind}\"\ncustomers = 0.1\nfunding_pinned = true\npolicy = {{ kind = \"{kind}\""
            ));
            if *kind == "schedule" {
                text.push_str(&format!(
                    ", points = [{{ from = \"2024-01\", train = {} }}]",
                    inside(point)
                ));
            }
            text.push_str(" }\n");
        }
        let plain = Scenario::load(&text, "t.toml", &[]).unwrap();
        let mut sets = Vec::new();
        for spec in &specs {
            let Some(rest) = spec.path.strip_prefix("labs.*.") else {
                sets.push(format!("{}={}", spec.path, inside(spec)));
                continue;
            };
            for lab in &plain.labs {
                let owns = match rest.strip_prefix("policy.") {
                    None => true,
                    Some(key) => Value::try_from(&lab.policy).unwrap().get(key).is_some(),
                };
                if owns {
                    sets.push(format!("labs.{}.{rest}={}", lab.id, inside(spec)));
                }
            }
        }
        // `min_train <= max_train` in every draw.
        for a in sets.iter_mut().filter(|a| a.contains(".max_train=")) {
            let (path, _) = a.split_once('=').unwrap();
            *a = format!("{path}={{ dist = \"uniform\", min = 0.6, max = 0.9 }}");
        }
        // Shares must sum to at most 1 in every draw: one uncertain share, kept small.
        sets.retain(|a| !a.contains(".customers="));
        sets.push("labs.fixed.customers={ dist = \"uniform\", min = 0.05, max = 0.15 }".into());
        let overrides: Vec<Override> = sets.iter().map(|a| Override::parse(a).unwrap()).collect();
        let s = Scenario::load(&text, "t.toml", &overrides).unwrap();
        assert_eq!(s.uncertain().len(), sets.len() + 1);
        let r = Realizer::new(&s);
        let values: Vec<f64> = (0..s.uncertain().len())
            .map(|k| 1e-3 * (k + 1) as f64)
            .collect();
        let drawn = Value::try_from(r.scenario(&values).file()).unwrap();
        for (u, v) in s.uncertain().iter().zip(&values) {
            let mut at = &drawn;
            for seg in u.segs() {
                at = match seg {
                    crate::scenario::decl::Seg::Key(k) => &at[k.as_str()],
                    crate::scenario::decl::Seg::Index(i) => &at[*i],
                };
            }
            assert_eq!(at.as_float(), Some(*v), "{}", u.path);
        }
        // Every declared uncertain parameter was among them.
        for spec in specs {
            assert!(
                s.uncertain().iter().any(|u| generic(u.segs()) == spec.path),
                "{}",
                spec.path
            );
        }
    }

    #[test]
    fn only_calendar_params_change_the_calendar() {
        // Every optional calendar input given, so that what it reads is checked too.
        let text = "name = \"t\"\n[world.demand]\ngrowth_long = 1.3\n[world.market]\n\
                    infer_reference_growth = 80.0\n[[labs]]\nid = \"a\"\n[[labs]]\nid = \"b\"\n";
        let base = Calendar::new(&Scenario::load(text, "t.toml", &[]).unwrap());
        let mut checked = 0;
        for spec in PARAMS.iter() {
            if spec.kind != Kind::Real || spec.path.starts_with("labs.*.policy") || spec.calendar {
                continue;
            }
            let Some(range) = spec.range else { continue };
            let value = if range.max.is_finite() && range.max < 1e6 {
                (range.min.max(-1e6) + range.max) / 2.0
            } else {
                range.min.max(0.0) + 1.0
            };
            let value = if range.contains(value) {
                value
            } else {
                range.max
            };
            let path = spec.path.replace("labs.*", "labs.a");
            let o = Override::parse(&format!("{path}={}", Value::Float(value))).unwrap();
            let Ok(s) = Scenario::load(text, "t.toml", &[o]) else {
                continue;
            };
            assert_eq!(Calendar::new(&s), base, "{path} changes the calendar");
            checked += 1;
        }
        assert!(checked > 20, "{checked}");
    }
}
