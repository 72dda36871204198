//! Lead survival in `summary.json`: `survival` (S(h), the probability that the lab
//! leading at month m still leads at m + h, averaged over m and runs, with its bootstrap
//! 95% interval and the chance level 1/n) and `spell_survival` (Kaplan-Meier survival of
//! lead spells). Both are optional: summaries written before lead survival existed lack
//! them, and the charts that need them say so.

use std::path::Path;

use serde::{Deserialize, Deserializer, Serialize};

use super::{MAX_MONTHS, ReadError};

/// Lead survival of one kind of leader across runs: `mean[k]` at horizon `h[k]` months,
/// with its bootstrap 95% interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurvivalCurve {
    /// Months ahead, increasing from 1 to the horizon.
    pub h: Vec<u32>,
    /// `S(h)`, mean over runs; `null` (NaN) where no month has a leader h months on.
    #[serde(deserialize_with = "nan_for_nulls")]
    pub mean: Vec<f64>,
    /// Lower end of the 95% interval.
    #[serde(deserialize_with = "nan_for_nulls")]
    pub ci_low: Vec<f64>,
    /// Upper end of the 95% interval.
    #[serde(deserialize_with = "nan_for_nulls")]
    pub ci_high: Vec<f64>,
}

/// `summary.json`'s `survival`: lead survival of both leaders, with the chance level to
/// read it against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Survival {
    /// Longest h, months.
    pub horizon: u32,
    /// `1/n`: the survival of a leader drawn at random each month among `n` labs.
    pub chance_quality: f64,
    /// The same for the market leader.
    pub chance_market: f64,
    /// The quality leader.
    pub quality: SurvivalCurve,
    /// The market leader.
    pub market: SurvivalCurve,
}

/// Kaplan-Meier survival of lead spells of one kind of leader.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpellCurve {
    /// Spell lengths in months, increasing from 1 to the longest seen (empty when no lab
    /// ever led).
    pub months: Vec<u32>,
    /// Probability that a spell lasts more than that many months.
    #[serde(deserialize_with = "nan_for_nulls")]
    pub survival: Vec<f64>,
    /// The median spell: the first length at which survival is at most 1/2; `None` when
    /// more than half of the spells outlast what the runs show.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub median: Option<u32>,
}

/// `summary.json`'s `spell_survival`: the spells of both leaders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpellSurvival {
    /// The quality leader's spells.
    pub quality: SpellCurve,
    /// The market leader's spells.
    pub market: SpellCurve,
}

fn nan_for_nulls<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
    let values = Vec::<Option<f64>>::deserialize(d)?;
    Ok(values.into_iter().map(|v| v.unwrap_or(f64::NAN)).collect())
}

/// One threshold of the verdict as `verdict.threshold_sensitivity` lists it (the rest of
/// each entry, how the verdict moves with it, is not needed here).
#[derive(Deserialize)]
struct Threshold {
    threshold: String,
    value: f64,
}

#[derive(Deserialize, Default)]
struct VerdictThresholds {
    #[serde(default)]
    threshold_sensitivity: Vec<Threshold>,
}

#[derive(Deserialize)]
struct Parts {
    #[serde(default)]
    survival: Option<Survival>,
    #[serde(default)]
    spell_survival: Option<SpellSurvival>,
    #[serde(default)]
    verdict: Option<VerdictThresholds>,
}

/// What a summary says about how long leads last: lead survival, spell survival, and the
/// verdict's thresholds by name (`run_persistence`, `run_spell_months`, ...), each empty
/// in summaries written before they existed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Durability {
    /// `survival`.
    pub survival: Option<Survival>,
    /// `spell_survival`.
    pub spell_survival: Option<SpellSurvival>,
    /// The verdict's thresholds, by name.
    pub thresholds: std::collections::BTreeMap<String, f64>,
}

/// Reads the [`Durability`] parts of a run's `summary.json`, checked: horizons
/// increasing from 1 up to [`MAX_MONTHS`], equal lengths, probabilities within 0-1 (or
/// missing), chance levels in (0, 1].
pub fn durability(path: &Path) -> Result<Durability, ReadError> {
    let parts: Parts = super::read_json(path, "a run summary")?;
    check(&parts, path)?;
    let thresholds = parts
        .verdict
        .unwrap_or_default()
        .threshold_sensitivity
        .into_iter()
        .filter(|t| t.value.is_finite())
        .map(|t| (t.threshold, t.value))
        .collect();
    Ok(Durability {
        survival: parts.survival,
        spell_survival: parts.spell_survival,
        thresholds,
    })
}

/// Reads `survival` and `spell_survival` from a run's `summary.json`, each `None` when
/// the file has none, checked as [`durability`] says.
pub fn read(path: &Path) -> Result<(Option<Survival>, Option<SpellSurvival>), ReadError> {
    let parts: Parts = super::read_json(path, "a run summary")?;
    check(&parts, path)?;
    Ok((parts.survival, parts.spell_survival))
}

fn check(parts: &Parts, path: &Path) -> Result<(), ReadError> {
    if let Some(s) = &parts.survival {
        let invalid = |m: String| Err(ReadError::invalid(path, format!("`survival`: {m}")));
        for (name, chance) in [
            ("chance_quality", s.chance_quality),
            ("chance_market", s.chance_market),
        ] {
            if !(chance > 0.0 && chance <= 1.0) {
                return invalid(format!(
                    "`{name}`: expected a probability above 0, got {chance}"
                ));
            }
        }
        for (name, c) in [("quality", &s.quality), ("market", &s.market)] {
            check_curve(
                &c.h,
                &[&c.mean, &c.ci_low, &c.ci_high],
                path,
                &format!("survival.{name}"),
            )?;
        }
    }
    if let Some(s) = &parts.spell_survival {
        for (name, c) in [("quality", &s.quality), ("market", &s.market)] {
            // No spell to follow where no lab ever led (labs tied throughout).
            if c.months.is_empty() && c.survival.is_empty() {
                continue;
            }
            check_curve(
                &c.months,
                &[&c.survival],
                path,
                &format!("spell_survival.{name}"),
            )?;
        }
    }
    Ok(())
}

fn check_curve(x: &[u32], ys: &[&Vec<f64>], path: &Path, at: &str) -> Result<(), ReadError> {
    let invalid = |m: String| Err(ReadError::invalid(path, format!("`{at}`: {m}")));
    if x.is_empty() {
        return invalid("expected at least one horizon, got none".into());
    }
    if x[0] == 0 || x.windows(2).any(|w| w[1] <= w[0]) || x[x.len() - 1] > MAX_MONTHS {
        return invalid(format!(
            "expected months increasing from 1 up to {MAX_MONTHS}, got {}..{}",
            x[0],
            x[x.len() - 1]
        ));
    }
    for y in ys {
        if y.len() != x.len() {
            return invalid(format!(
                "expected {} values, one per horizon, got {}",
                x.len(),
                y.len()
            ));
        }
        if let Some(v) = y.iter().find(|v| !v.is_nan() && !(0.0..=1.0).contains(*v)) {
            return invalid(format!("expected probabilities within 0-1, got {v}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.json");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    const CURVE: &str = r#"{"h": [1, 2, 3], "mean": [0.9, 0.8, null], "ci_low": [0.85, 0.7, null], "ci_high": [0.95, 0.9, null]}"#;

    #[test]
    fn reads_curves_with_missing_values_and_refuses_bad_ones() {
        let good = format!(
            r#"{{"survival": {{"horizon": 3, "chance_quality": 0.5, "chance_market": 0.5, "quality": {CURVE}, "market": {CURVE}}}}}"#
        );
        let (_d, path) = write(&good);
        let (s, spells) = read(&path).unwrap();
        assert!(durability(&path).unwrap().thresholds.is_empty());
        let s = s.unwrap();
        assert!(spells.is_none());
        assert_eq!(s.quality.h, vec![1, 2, 3]);
        assert!(s.quality.mean[2].is_nan());
        let (_d, path) = write("{}");
        assert_eq!(read(&path).unwrap().0, None);
        let (_d, path) = write(
            r#"{"verdict": {"regime": "run", "threshold_sensitivity": [
                {"threshold": "run_spell_months", "value": 12.0, "lower": 6.0}]}}"#,
        );
        assert_eq!(
            durability(&path).unwrap().thresholds["run_spell_months"],
            12.0
        );
        let bad = good.replace("0.8, null", "1.8, null");
        let (_d, path) = write(&bad);
        let e = read(&path).unwrap_err().to_string();
        assert!(
            e.contains("`survival.quality`: expected probabilities within 0-1, got 1.8"),
            "{e}"
        );
        let bad = good.replace("[1, 2, 3]", "[1, 3, 2]");
        let (_d, path) = write(&bad);
        assert!(read(&path).unwrap_err().to_string().contains("increasing"));
    }
}
