//! One swept parameter, `--vary PATH=START:END:STEPS`: its values, linear or geometric,
//! checked against the parameter catalogue before anything runs.

use crate::math;
use serde::{Deserialize, Serialize};

use super::ExperimentError;
use super::limits::MAX_CELLS;
use crate::scenario::{Override, params};

/// One swept parameter: `--vary PATH=START:END:STEPS`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Axis {
    /// The argument as given, for messages.
    pub arg: String,
    /// The path as given (labs by id), e.g. `world.gpus.supply`.
    pub path: String,
    /// The catalogue path (`labs.*...`), for the unit and range.
    pub generic: String,
    /// Unit from the parameter catalogue, `""` when dimensionless.
    pub unit: String,
    /// Geometric (`--log`) rather than linear spacing.
    pub log: bool,
    /// The values, in order.
    pub values: Vec<f64>,
}

impl Axis {
    /// Parses `PATH=START:END:STEPS`, linear or (with `log`) geometric. `STEPS` counts
    /// the values including both ends. Whole-number parameters need whole values.
    pub fn parse(arg: &str, log: bool) -> Result<Axis, ExperimentError> {
        let fail = |message: String| ExperimentError::Vary {
            arg: arg.to_string(),
            message,
        };
        let (path, range) = arg.split_once('=').ok_or_else(|| {
            fail("expected PATH=START:END:STEPS, e.g. world.dynamics.kappa=0:2:11".into())
        })?;
        let path = path.trim().to_string();
        let parts: Vec<&str> = range.split(':').map(str::trim).collect();
        let [start, end, steps] = parts[..] else {
            return Err(fail(format!(
                "expected START:END:STEPS after `=`, got `{range}`"
            )));
        };
        let number = |what: &str, text: &str| {
            text.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| fail(format!("{what}: expected a number, got `{text}`")))
        };
        let (start, end) = (number("START", start)?, number("END", end)?);
        let steps: u64 = steps.parse().ok().filter(|s| *s >= 2).ok_or_else(|| {
            fail(format!(
                "STEPS: expected a whole number >= 2, got `{steps}`"
            ))
        })?;
        if steps > MAX_CELLS {
            return Err(fail(format!("STEPS: at most {MAX_CELLS}, got {steps}")));
        }
        if log && (start <= 0.0 || end <= 0.0) {
            return Err(fail(format!(
                "--log needs START and END above 0, got {start} and {end}"
            )));
        }
        let generic = generic_path(&path);
        let spec = params::find(&generic).ok_or_else(|| {
            let hint = params::path_hint(&path, || {
                crate::scenario::did_you_mean(&generic, params::PARAMS.iter().map(|p| p.path))
            });
            fail(format!(
                "unknown parameter `{path}`{hint}; see `racerun params`"
            ))
        })?;
        let int = match spec.kind {
            params::Kind::Real => false,
            params::Kind::Int => true,
            other => {
                return Err(fail(format!(
                    "`{path}` is not a number (it takes {}); only numeric parameters can be swept",
                    other.name()
                )));
            }
        };
        let last = (steps - 1) as f64;
        let values: Vec<f64> = (0..steps)
            .map(|i| {
                let t = i as f64 / last;
                if i == 0 {
                    start
                } else if i + 1 == steps {
                    end
                } else if log {
                    math::exp(math::ln(start) + t * (math::ln(end) - math::ln(start)))
                } else {
                    start + t * (end - start)
                }
            })
            .collect();
        if let Some(w) = values.windows(2).find(|w| w[0] == w[1]) {
            return Err(fail(format!(
                "the values repeat ({} appears twice); give a START and END that differ, and \
                 at most as many STEPS as there are distinct values between them",
                w[0]
            )));
        }
        if let Some(v) = values.iter().find(|v| int && v.fract() != 0.0) {
            return Err(fail(format!(
                "`{path}` takes whole numbers, but the grid has {v}; choose START, END and STEPS so every step is whole"
            )));
        }
        Ok(Axis {
            arg: arg.to_string(),
            path,
            generic,
            unit: spec.unit.to_string(),
            log,
            values,
        })
    }

    /// Whether the parameter is a whole number (its override is written as an integer).
    pub(crate) fn is_int(&self) -> bool {
        params::find(&self.generic).is_some_and(|s| s.kind == params::Kind::Int)
    }

    /// The override that sets this axis to `value`.
    pub(crate) fn override_for(&self, value: f64) -> Override {
        let (value, text) = if self.is_int() {
            (
                toml::Value::Integer(value as i64),
                (value as i64).to_string(),
            )
        } else if value.abs() >= 1e15 {
            // TOML writes a float in every digit: 308 of them for 5e307.
            (toml::Value::Float(value), crate::numbers::readable(value))
        } else {
            (
                toml::Value::Float(value),
                toml::Value::Float(value).to_string(),
            )
        };
        Override {
            flag: "--vary value",
            arg: format!("{}={text}", self.path),
            path: self.path.split('.').map(|s| s.trim().to_string()).collect(),
            value,
        }
    }
}

/// The catalogue path of a command-line path: a lab id becomes `*`, as do numeric
/// segments (schedule points).
pub fn generic_path(path: &str) -> String {
    let mut parts: Vec<String> = path.split('.').map(|s| s.trim().to_string()).collect();
    if parts.len() >= 2 && parts[0] == "labs" {
        parts[1] = "*".into();
    }
    for p in parts.iter_mut().skip(2) {
        if p.parse::<u64>().is_ok() {
            *p = "*".into();
        }
    }
    parts.join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_parse_linear_log_and_refuse_nonsense() {
        let a = Axis::parse("world.dynamics.kappa=0:2:5", false).unwrap();
        assert_eq!(a.values, vec![0.0, 0.5, 1.0, 1.5, 2.0]);
        let g = Axis::parse("world.gpus.supply=1000:100000:3", true).unwrap();
        assert_eq!(g.values[0], 1000.0);
        assert!((g.values[1] - 10_000.0).abs() < 1e-6);
        assert_eq!(g.values[2], 100_000.0);
        assert_eq!(g.unit, "H100e per month");
        let l = Axis::parse("labs.alpha.policy.min_train=0.1:0.3:3", false).unwrap();
        assert_eq!(l.generic, "labs.*.policy.min_train");
        for (bad, needle) in [
            ("world.dynamics.kappa", "expected PATH=START:END:STEPS"),
            ("world.dynamics.kappa=0:2", "expected START:END:STEPS"),
            ("world.dynamics.kappa=0:x:3", "END: expected a number"),
            (
                "world.dynamics.kappa=0:2:1",
                "STEPS: expected a whole number >= 2",
            ),
            (
                "world.dynamics.kapa=0:2:3",
                "did you mean `world.dynamics.kappa`",
            ),
            ("world.gpus.rationing=0:1:2", "not a number"),
        ] {
            let e = Axis::parse(bad, false).unwrap_err().to_string();
            assert!(e.starts_with(&format!("--vary {bad}: ")), "{e}");
            assert!(e.contains(needle), "{e}");
        }
        for repeated in [
            "world.dynamics.kappa=1:1:3",
            "world.dynamics.kappa=1:1.0000000000000002:3",
        ] {
            let e = Axis::parse(repeated, false).unwrap_err().to_string();
            assert!(e.contains("the values repeat"), "{e}");
        }
        let e = Axis::parse("world.dynamics.kappa=0:2:3", true)
            .unwrap_err()
            .to_string();
        assert!(e.contains("--log needs START and END above 0"), "{e}");
    }
}
