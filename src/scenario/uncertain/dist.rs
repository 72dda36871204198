//! The distributions an uncertain input may take, with finite support (see the module
//! docs of [`super`]).

use crate::math;
use toml::{Table, Value};

use crate::scenario::did_you_mean;

/// Probability cut from each tail of a normal or lognormal (see the module docs).
pub const TAIL: f64 = 0.001;

/// z-score of the 95th percentile of a standard normal.
const Z95: f64 = 1.644_853_626_951_472_2;

/// A distribution of one uncertain input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Dist {
    /// Lognormal with the given 5th and 95th percentiles (`0 < p5 < p95`).
    Lognormal {
        /// 5th percentile.
        p5: f64,
        /// 95th percentile.
        p95: f64,
    },
    /// Uniform on `[min, max]`.
    Uniform {
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
    /// Normal (`sd >= 0`), truncated to its 0.1%-99.9% quantiles.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
    /// Triangular on `[min, max]` with its peak at `mode`.
    Triangular {
        /// Lower bound.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Upper bound.
        max: f64,
    },
    /// Log-uniform on `[min, max]`, `0 < min < max`: every decade equally likely.
    Loguniform {
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
}

/// Names of the distributions with their parameters, as written in a file.
pub const DISTS: &[(&str, &[&str])] = &[
    ("lognormal", &["p5", "p95"]),
    ("uniform", &["min", "max"]),
    ("normal", &["mean", "sd"]),
    ("triangular", &["min", "mode", "max"]),
    ("loguniform", &["min", "max"]),
];

impl Dist {
    /// The value below which a share `u` (in [0, 1]) of draws fall: the inverse CDF.
    /// A uniform `u` gives a draw.
    pub fn quantile(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        let trunc = TAIL + (1.0 - 2.0 * TAIL) * u;
        match *self {
            Dist::Lognormal { p5, p95 } => {
                let (mu, sigma) = lognormal_params(p5, p95);
                math::exp(mu + sigma * math::normal_quantile(trunc))
            }
            Dist::Uniform { min, max } => min + (max - min) * u,
            Dist::Normal { mean, sd } => mean + sd * math::normal_quantile(trunc),
            Dist::Triangular { min, mode, max } => {
                let width = max - min;
                let left = (mode - min) / width;
                if u < left {
                    min + (u * width * (mode - min)).sqrt()
                } else {
                    max - ((1.0 - u) * width * (max - mode)).sqrt()
                }
            }
            Dist::Loguniform { min, max } => {
                math::exp(math::ln(min) + u * (math::ln(max) - math::ln(min)))
            }
        }
    }

    /// The median: the value a scenario with this input shows when not sampled.
    pub fn median(&self) -> f64 {
        match *self {
            Dist::Lognormal { p5, p95 } => (p5 * p95).sqrt(),
            Dist::Normal { mean, .. } => mean,
            _ => self.quantile(0.5),
        }
    }

    /// The smallest and largest value a draw can take.
    pub fn support(&self) -> (f64, f64) {
        (self.quantile(0.0), self.quantile(1.0))
    }

    /// The distribution's name as written in a file.
    pub fn name(&self) -> &'static str {
        match self {
            Dist::Lognormal { .. } => "lognormal",
            Dist::Uniform { .. } => "uniform",
            Dist::Normal { .. } => "normal",
            Dist::Triangular { .. } => "triangular",
            Dist::Loguniform { .. } => "loguniform",
        }
    }

    fn params(&self) -> Vec<(&'static str, f64)> {
        match *self {
            Dist::Lognormal { p5, p95 } => vec![("p5", p5), ("p95", p95)],
            Dist::Uniform { min, max } | Dist::Loguniform { min, max } => {
                vec![("min", min), ("max", max)]
            }
            Dist::Normal { mean, sd } => vec![("mean", mean), ("sd", sd)],
            Dist::Triangular { min, mode, max } => {
                vec![("min", min), ("mode", mode), ("max", max)]
            }
        }
    }

    /// The inline table as written in a file: `{ dist = "uniform", min = 0.0, max = 2.0 }`.
    pub fn to_inline(&self) -> String {
        let mut table = toml_edit::InlineTable::new();
        table.insert("dist", self.name().into());
        for (k, v) in self.params() {
            table.insert(k, v.into());
        }
        table.fmt();
        table.to_string()
    }

    /// The distribution as a TOML table.
    pub fn to_value(&self) -> Value {
        let mut t = Table::new();
        t.insert("dist".into(), Value::String(self.name().into()));
        for (k, v) in self.params() {
            t.insert(k.into(), Value::Float(v));
        }
        Value::Table(t)
    }

    /// Reads a `{ dist = ... }` table. The error is (what was expected, what was found).
    pub fn parse(table: &Table) -> Result<Dist, (String, String)> {
        let got = Value::Table(table.clone()).to_string();
        let names: Vec<&str> = DISTS.iter().map(|(n, _)| *n).collect();
        let Some(name) = table.get("dist").and_then(Value::as_str) else {
            return Err((
                format!("`dist` to be one of {}", names.join(", ")),
                got.clone(),
            ));
        };
        let Some((_, keys)) = DISTS.iter().find(|(n, _)| *n == name) else {
            let hint = did_you_mean(name, names.iter().copied());
            return Err((
                format!("a distribution named one of {}{hint}", names.join(", ")),
                format!("\"{name}\""),
            ));
        };
        let with = |what: String| (format!("{what} for a {name} distribution"), got.clone());
        for k in table.keys().filter(|k| *k != "dist") {
            if !keys.contains(&k.as_str()) {
                return Err(with(format!(
                    "only the keys dist, {} (unknown key `{k}`)",
                    keys.join(", ")
                )));
            }
        }
        let mut v = Vec::with_capacity(keys.len());
        for k in *keys {
            let x = match table.get(*k) {
                Some(Value::Float(f)) => *f,
                Some(Value::Integer(i)) => *i as f64,
                Some(_) => return Err(with(format!("`{k}` to be a number"))),
                None => return Err(with(format!("`{}` all given", keys.join("`, `")))),
            };
            if !x.is_finite() {
                return Err(with(format!("`{k}` to be a finite number")));
            }
            v.push(x);
        }
        let dist = match name {
            "lognormal" => {
                if !(v[0] > 0.0 && v[0] < v[1]) {
                    return Err(with("0 < p5 < p95".into()));
                }
                Dist::Lognormal {
                    p5: v[0],
                    p95: v[1],
                }
            }
            "uniform" => {
                if v[0] >= v[1] {
                    return Err(with("min < max".into()));
                }
                Dist::Uniform {
                    min: v[0],
                    max: v[1],
                }
            }
            "normal" => {
                if v[1] < 0.0 {
                    return Err(with("sd >= 0".into()));
                }
                Dist::Normal {
                    mean: v[0],
                    sd: v[1],
                }
            }
            "triangular" => {
                if !(v[0] < v[2] && v[0] <= v[1] && v[1] <= v[2]) {
                    return Err(with("min <= mode <= max and min < max".into()));
                }
                Dist::Triangular {
                    min: v[0],
                    mode: v[1],
                    max: v[2],
                }
            }
            _ => {
                if !(v[0] > 0.0 && v[0] < v[1]) {
                    return Err(with("0 < min < max".into()));
                }
                Dist::Loguniform {
                    min: v[0],
                    max: v[1],
                }
            }
        };
        Ok(dist)
    }
}

impl std::fmt::Display for Dist {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let params: Vec<String> = self
            .params()
            .iter()
            .map(|(k, v)| format!("{k} = {}", crate::numbers::readable(*v)))
            .collect();
        write!(f, "{}({})", self.name(), params.join(", "))
    }
}

/// A number to six significant digits, for messages.
pub(super) fn short(v: f64) -> String {
    if v == 0.0 || !v.is_finite() || v.abs() >= 1e15 {
        return crate::numbers::readable(v);
    }
    let digits = (5 - math::log10(v.abs()).floor() as i32).clamp(0, 12) as usize;
    let text = format!("{v:.digits$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

fn lognormal_params(p5: f64, p95: f64) -> (f64, f64) {
    let (a, b) = (math::ln(p5), math::ln(p95));
    ((a + b) / 2.0, (b - a) / (2.0 * Z95))
}

#[cfg(test)]
mod tests {
    use rand::RngExt;

    use super::super::input_rng;
    use super::*;

    fn quantile_of(mut xs: Vec<f64>, p: f64) -> f64 {
        xs.sort_by(f64::total_cmp);
        xs[((xs.len() - 1) as f64 * p).round() as usize]
    }

    fn draws(d: Dist, n: u64) -> Vec<f64> {
        let mut rng = input_rng(7, 0);
        (0..n).map(|_| d.quantile(rng.random::<f64>())).collect()
    }

    #[test]
    fn sampled_quantiles_match_the_parameters() {
        let n = 100_000;
        let close = |a: f64, b: f64, rel: f64| (a - b).abs() <= rel * b.abs().max(1e-12);

        let x = draws(
            Dist::Lognormal {
                p5: 60.0,
                p95: 120.0,
            },
            n,
        );
        let (p5, p95) = (quantile_of(x.clone(), 0.05), quantile_of(x.clone(), 0.95));
        assert!(close(p5, 60.0, 0.01), "lognormal p5 {p5}");
        assert!(close(p95, 120.0, 0.01), "lognormal p95 {p95}");
        assert!(close(quantile_of(x, 0.5), 7200f64.sqrt(), 0.005));

        let x = draws(Dist::Uniform { min: 2.0, max: 5.0 }, n);
        assert!(x.iter().all(|v| (2.0..=5.0).contains(v)));
        assert!(close(quantile_of(x.clone(), 0.25), 2.75, 0.01));
        assert!(close(quantile_of(x, 0.5), 3.5, 0.01));

        let x = draws(
            Dist::Normal {
                mean: 10.0,
                sd: 2.0,
            },
            n,
        );
        let mean = x.iter().sum::<f64>() / n as f64;
        let sd = (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
        assert!(close(mean, 10.0, 0.005), "normal mean {mean}");
        // Truncation at 0.1%/99.9% narrows the sd by about 0.4%.
        assert!(close(sd, 2.0, 0.015), "normal sd {sd}");
        assert!(close(quantile_of(x, 0.95), 10.0 + 2.0 * Z95, 0.01));

        let d = Dist::Triangular {
            min: 0.0,
            mode: 0.2,
            max: 1.0,
        };
        let x = draws(d, n);
        assert!(x.iter().all(|v| (0.0..=1.0).contains(v)));
        // CDF at the mode is (mode - min) / (max - min) = 0.2.
        let below = x.iter().filter(|v| **v < 0.2).count() as f64 / n as f64;
        assert!(
            (below - 0.2).abs() < 0.005,
            "triangular mass below mode {below}"
        );
        // Density peaks at the mode: the bin around it is the fullest of ten.
        let mut bins = [0u32; 10];
        for v in &x {
            bins[((v * 10.0) as usize).min(9)] += 1;
        }
        let top = (0..10).max_by_key(|&i| bins[i]).unwrap();
        assert!(top == 1 || top == 2, "{bins:?}");

        let x = draws(
            Dist::Loguniform {
                min: 1.0,
                max: 100.0,
            },
            n,
        );
        assert!(close(quantile_of(x.clone(), 0.5), 10.0, 0.02));
        assert!(x.iter().all(|v| (1.0..=100.0).contains(v)));
    }

    #[test]
    fn huge_numbers_are_written_with_an_exponent() {
        let d = Dist::Uniform {
            min: 0.0,
            max: 1e300,
        };
        assert_eq!(d.to_string(), "uniform(min = 0, max = 1e300)");
        assert_eq!(short(1e300), "1e300");
        assert_eq!(short(1234.5678), "1234.57");
    }

    #[test]
    fn normal_quantile_is_accurate() {
        assert!(math::normal_quantile(0.5).abs() < 1e-12);
        assert!((math::normal_quantile(0.95) - Z95).abs() < 1e-8);
        assert!((math::normal_quantile(0.001) + 3.090_232_306_167_813).abs() < 1e-8);
    }

    #[test]
    fn bad_distributions_say_what_is_expected() {
        let parse = |s: &str| {
            let t: Table = toml::from_str(&format!("v = {s}")).unwrap();
            Dist::parse(t["v"].as_table().unwrap())
        };
        assert!(
            parse("{ dist = \"lognormal\", p5 = 120, p95 = 60 }")
                .unwrap_err()
                .0
                .contains("0 < p5 < p95")
        );
        assert!(
            parse("{ dist = \"normal\", mean = 1, sd = -1 }")
                .unwrap_err()
                .0
                .contains("sd >= 0")
        );
        let e = parse("{ dist = \"lognormla\", p5 = 1, p95 = 2 }").unwrap_err();
        assert!(e.0.contains("did you mean `lognormal`"), "{e:?}");
        assert!(
            parse("{ dist = \"uniform\", min = 1 }")
                .unwrap_err()
                .0
                .contains("all given")
        );
        assert!(
            parse("{ dist = \"uniform\", min = 1, max = 2, sd = 3 }")
                .unwrap_err()
                .0
                .contains("unknown key `sd`")
        );
        assert!(parse("{ dist = \"triangular\", min = 0, mode = 2, max = 1 }").is_err());
        assert!(parse("{ dist = \"loguniform\", min = 0, max = 1 }").is_err());
        assert_eq!(
            parse("{ dist = \"triangular\", min = 0, mode = 0.5, max = 1 }")
                .unwrap()
                .to_inline(),
            "{ dist = \"triangular\", min = 0.0, mode = 0.5, max = 1.0 }"
        );
    }
}
