//! From the worlds' values to the attribution: each channel's Shapley value for each
//! measure, its share of the difference between the factual world and the world with
//! every channel off, bootstrap intervals (the same resampled runs in every world), and
//! the sentence that answers "why".

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::channels::{CHANNELS, Channel};
use super::shapley::Plan;
use super::worlds::{ATTRIBUTED, Part};
use crate::metrics::bootstrap::{Estimate, Resamples};
use crate::metrics::{Regime, Verdict};
use crate::numbers::{fixed, list};

/// Whether a channel took part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Asked for and used by the scenario: a player, switched on and off.
    Used,
    /// Asked for, but the scenario does not use it: zero, not simulated.
    Unused,
    /// Left out by `--channels`: on in every world.
    KeptOn,
}

impl Status {
    /// The name in files.
    pub fn name(self) -> &'static str {
        match self {
            Status::Used => "used",
            Status::Unused => "unused",
            Status::KeptOn => "kept_on",
        }
    }
}

/// A channel and what switching it off means.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelInfo {
    /// Name.
    pub name: String,
    /// Whether it took part.
    pub status: Status,
    /// The world with it off.
    pub off: String,
}

/// One channel's part in one measure; for a channel the scenario does not use, every
/// number is 0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Effect {
    /// Shapley value: the measure's change the channel accounts for.
    pub effect: f64,
    /// `effect / total`; absent when the total is 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// 95% bootstrap interval of the effect.
    pub ci_low: f64,
    /// Upper end.
    pub ci_high: f64,
    /// 95% bootstrap interval of the share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_ci_low: Option<f64>,
    /// Upper end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_ci_high: Option<f64>,
    /// Standard error from sampling orders of channels (more than 7 channels); absent
    /// when exact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sampling_se: Option<f64>,
}

impl Effect {
    fn zero() -> Effect {
        Effect {
            effect: 0.0,
            share: Some(0.0),
            ci_low: 0.0,
            ci_high: 0.0,
            share_ci_low: Some(0.0),
            share_ci_high: Some(0.0),
            sampling_se: None,
        }
    }
}

/// The attribution of one measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasureAttribution {
    /// Mean over runs in the factual world.
    pub factual: f64,
    /// Mean over runs with every used channel off.
    pub all_off: f64,
    /// `factual - all_off`: what the channels' effects add up to.
    pub total: f64,
    /// 95% bootstrap interval of the total (absent with one run). When it holds 0 the
    /// channels' shares of the total are not given: a share of a difference within
    /// sampling error of nothing means nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_ci_low: Option<f64>,
    /// Upper end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_ci_high: Option<f64>,
    /// Per channel asked for (by name); channels left out by `--channels` have none.
    pub channels: BTreeMap<String, Effect>,
}

impl MeasureAttribution {
    /// Whether the total's interval holds 0, so that shares of it are not given.
    pub fn total_unclear(&self) -> bool {
        holds_zero(self.total_ci_low, self.total_ci_high)
    }
}

/// Whether an interval (absent: none) holds 0.
fn holds_zero(low: Option<f64>, high: Option<f64>) -> bool {
    matches!((low, high), (Some(lo), Some(hi)) if lo <= 0.0 && hi >= 0.0)
}

/// The `attribution` section of `racerun explain`'s `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    /// How the values were computed.
    pub method: String,
    /// Worlds simulated (the factual one included).
    pub worlds: usize,
    /// Every channel, in table order, with its status.
    pub channels: Vec<ChannelInfo>,
    /// Per attributed measure (names as in `runs.csv`).
    pub measures: BTreeMap<String, MeasureAttribution>,
    /// The answer in one sentence.
    pub sentence: String,
}

/// The world every attributed channel is off in, in words: "every channel off", or with
/// `--channels`, the ones asked for ("headwind and luck off"; the others stay on).
pub fn all_off_words(channels: &[ChannelInfo]) -> String {
    if channels.iter().all(|c| c.status != Status::KeptOn) {
        return "every channel off".into();
    }
    format!("{} off", list(&asked(channels)))
}

/// What a reader needs before citing the table: that the world with the channels off
/// has no leader when its persistence is 1 (a convention, not a measurement), and that
/// the intervals leave out the error of the means the headwind and money worlds impose.
pub fn reading_notes(a: &Attribution) -> Vec<String> {
    let mut notes = Vec::new();
    let off = all_off_words(&a.channels);
    if a.measures
        .get("persistence_norm_quality")
        .is_some_and(|m| m.all_off == 1.0)
    {
        notes.push(format!(
            "with {off} no lab pulls ahead by the lead margin, and persistence counts a run \
             with no leader as 1 (nothing changes hands): a reference, not a measurement."
        ));
    }
    let imposing: Vec<&str> = a
        .channels
        .iter()
        .filter(|c| {
            c.status == Status::Used
                && [Channel::Headwind, Channel::Money]
                    .iter()
                    .any(|imposes| imposes.name() == c.name)
        })
        .map(|c| c.name.as_str())
        .collect();
    if !imposing.is_empty() {
        notes.push(format!(
            "the 95% intervals cover the runs' sampling, not the error of the means over runs \
             that the {} world{} impose{}: run again with --profile-runs 2000 or more to see how \
             far the values move (a few points of share in the bundled scenarios).",
            list(&imposing),
            crate::numbers::plural_s(imposing.len()),
            if imposing.len() == 1 { "s" } else { "" },
        ));
    }
    let used = a
        .channels
        .iter()
        .filter(|c| c.status == Status::Used)
        .count();
    if used > 1 && imposing.contains(&Channel::Headwind.name()) {
        notes.push(
            "a Shapley share averages a channel's effect over every combination of the others; \
             the headwind's effect with every other channel on (does the headwind matter in this \
             world as it is?) is what --channels headwind measures."
                .to_string(),
        );
    }
    let unclear: Vec<&str> = a
        .measures
        .iter()
        .filter(|(_, m)| m.total_unclear())
        .map(|(name, _)| name.as_str())
        .collect();
    if used > 1 && !unclear.is_empty() {
        notes.push(format!(
            "attribution.csv gives no shares for {}: the difference from the world with {off} \
             is within sampling error of nothing (its 95% interval holds 0), and a share of it \
             would mean nothing; the effects stand.",
            list(&unclear)
        ));
    }
    notes
}

/// The names of the channels asked for (with `--channels`, or all), in table order.
pub fn asked(channels: &[ChannelInfo]) -> Vec<&str> {
    channels
        .iter()
        .filter(|c| c.status != Status::KeptOn)
        .map(|c| c.name.as_str())
        .collect()
}

/// The status of every channel given those asked for and those used.
pub fn statuses(asked: &[Channel], used: &[Channel]) -> Vec<ChannelInfo> {
    CHANNELS
        .iter()
        .map(|c| ChannelInfo {
            name: c.name().to_string(),
            status: if used.contains(c) {
                Status::Used
            } else if asked.contains(c) {
                Status::Unused
            } else {
                Status::KeptOn
            },
            off: c.off_meaning().to_string(),
        })
        .collect()
}

/// Each world's mean of each attributed measure, `[world][measure]` (NaN where none
/// applies).
pub fn world_means(part: &Part, worlds: usize) -> Vec<Vec<f64>> {
    let j = ATTRIBUTED.len();
    (0..worlds)
        .map(|w| {
            (0..j)
                .map(|m| {
                    let n = part.world_counts[w * j + m];
                    if n == 0 {
                        f64::NAN
                    } else {
                        part.world_sums[w * j + m].value() / n as f64
                    }
                })
                .collect()
        })
        .collect()
}

/// The attribution of a whole part (every run), judged `verdict`.
pub fn attribute(
    part: &Part,
    asked: &[Channel],
    used: &[Channel],
    plan: &Plan,
    seed: u64,
    verdict: &Verdict,
) -> Attribution {
    let k = used.len();
    let j = ATTRIBUTED.len();
    let means = world_means(part, plan.worlds().len());
    let width = part.row_len();
    let runs = part.rows.len() / width.max(1);
    let resamples = Resamples::new(seed, runs);
    // NaN where a measure does not apply: missing, as the pool counts it.
    let pooled = resamples.pool(width, part.rows.chunks(width.max(1)));
    // Per measure: the effects, then the shares, of every used channel; then the totals.
    let intervals = resamples.statistic(&pooled, &|m| {
        let mut out = Vec::with_capacity(2 * j * k + j);
        let mut totals = Vec::with_capacity(j);
        for q in 0..j {
            let at = q * (k + 2);
            let total = m[at] - m[at + 1];
            for c in 0..k {
                out.push(m[at + 2 + c]);
            }
            for c in 0..k {
                out.push(share(m[at + 2 + c], total));
            }
            totals.push(total);
        }
        // Then every measure's total.
        out.extend(totals);
        out
    });
    let mut measures = BTreeMap::new();
    for (q, name) in ATTRIBUTED.iter().enumerate() {
        let column: Vec<f64> = means.iter().map(|w| w[q]).collect();
        let factual = column[plan.all()];
        let all_off = column[plan.none()];
        let total = factual - all_off;
        let values = plan.values(&column);
        let errors = plan.standard_errors(&column);
        let total_ci = intervals[2 * j * k + q];
        let (total_ci_low, total_ci_high) = match runs {
            0 | 1 => (None, None),
            _ => (Some(total_ci.ci_low), Some(total_ci.ci_high)),
        };
        let unclear = holds_zero(total_ci_low, total_ci_high);
        let mut channels = BTreeMap::new();
        for c in CHANNELS {
            let effect = match used.iter().position(|u| *u == c) {
                Some(p) => {
                    let at = q * 2 * k;
                    let (e, s): (Estimate, Estimate) = (intervals[at + p], intervals[at + k + p]);
                    let finite = |v: f64| (v.is_finite() && !unclear).then_some(v);
                    Effect {
                        effect: values[p],
                        share: finite(share(values[p], total)),
                        ci_low: e.ci_low,
                        ci_high: e.ci_high,
                        share_ci_low: finite(s.ci_low),
                        share_ci_high: finite(s.ci_high),
                        sampling_se: errors.as_ref().map(|e| e[p]),
                    }
                }
                None if asked.contains(&c) => Effect::zero(),
                None => continue,
            };
            channels.insert(c.name().to_string(), effect);
        }
        measures.insert(
            name.to_string(),
            MeasureAttribution {
                factual,
                all_off,
                total,
                total_ci_low,
                total_ci_high,
                channels,
            },
        );
    }
    let channels = if k == 1 { "channel" } else { "channels" };
    let intervals_said = if runs < 2 {
        "no intervals (one run)"
    } else {
        "95% bootstrap intervals over runs"
    };
    let imposed = if part.profile_runs > 0
        && used
            .iter()
            .any(|c| matches!(c, Channel::Headwind | Channel::Money))
    {
        format!(
            "; the worlds with the headwind or money off impose the factual world's means over \
             runs 0-{}",
            part.profile_runs - 1
        )
    } else {
        String::new()
    };
    let method = if k == 0 {
        "no channel is used, so nothing is attributed: the factual world alone".to_string()
    } else if plan.is_exact() {
        format!(
            "exact Shapley values over the 2^{k} = {} worlds of the {k} {channels} used, common \
             random numbers (the same seed and runs in every world), {intervals_said}{imposed}",
            plan.worlds().len()
        )
    } else {
        format!(
            "Shapley values sampled over {} random orders of the {k} {channels} used ({} worlds), \
             common random numbers, {intervals_said}; sampling_se is each value's standard error \
             from the orders{imposed}",
            super::shapley::PERMUTATIONS,
            plan.worlds().len()
        )
    };
    let mut attribution = Attribution {
        method,
        worlds: plan.worlds().len(),
        channels: statuses(asked, used),
        measures,
        sentence: String::new(),
    };
    attribution.sentence = sentence(verdict.regime, &attribution, used, runs);
    attribution
}

/// `effect / total`, NaN when the total is 0 or not finite.
fn share(effect: f64, total: f64) -> f64 {
    if total != 0.0 && total.is_finite() {
        effect / total
    } else {
        f64::NAN
    }
}

/// A percentage for a sentence, never "-0%".
fn pct(v: f64) -> String {
    let t = format!("{:.0}", v * 100.0);
    if t == "-0" { "0".into() } else { t }
}

/// What the channels say about one measure, as a clause: "of the difference, release
/// luck accounts for 70%, staggered cadences 25% and the headwind 5% (95% CI 2-8%)". A
/// bootstrap of one run has no spread: it says so rather than give a zero-width interval.
fn reasons(m: &MeasureAttribution, used: &[Channel], runs: usize) -> String {
    if !m.total.is_finite() || m.total == 0.0 {
        return "the channels make no difference to it".into();
    }
    // One channel: its share is 100% by construction; its effect and that effect's
    // interval are what there is to say.
    if let [only] = used {
        let e = m.channels[only.name()];
        let ci = if runs < 2 {
            " (one run, so no interval)".to_string()
        } else {
            let d = |v: f64| crate::numbers::signed(v, 2);
            format!(" (95% CI {} to {})", d(e.ci_low), d(e.ci_high))
        };
        let effect = crate::numbers::signed(e.effect, 2);
        return format!("{} moves it by {effect}{ci}", only.phrase());
    }
    if let (true, Some(lo), Some(hi)) = (m.total_unclear(), m.total_ci_low, m.total_ci_high) {
        // Significant digits: the differences this is for are small.
        let d = |v: f64| crate::numbers::minus(crate::numbers::compact(v));
        return format!(
            "the difference, {} (95% CI {} to {}), is within sampling error of nothing, so it \
             is not shared among the channels",
            d(m.total),
            d(lo),
            d(hi)
        );
    }
    let mut ranked: Vec<(Channel, Effect)> = used
        .iter()
        .map(|c| (*c, m.channels[c.name()]))
        .filter(|(_, e)| e.share.is_some())
        .collect();
    ranked.sort_by(|a, b| {
        let s = |e: &Effect| e.share.unwrap_or(0.0).abs();
        s(&b.1).total_cmp(&s(&a.1))
    });
    let mut named: Vec<String> = Vec::new();
    for (i, (c, e)) in ranked.iter().enumerate() {
        let headwind = *c == Channel::Headwind;
        let share = e.share.unwrap_or(0.0);
        if !headwind && (i >= 3 || (i > 0 && share.abs() < 0.05)) {
            continue;
        }
        let (share, ci) = match (e.share_ci_low, e.share_ci_high) {
            (Some(_), Some(_)) if runs < 2 && i == 0 => {
                (pct(share), " (one run, so no interval)".into())
            }
            (Some(lo), Some(hi)) if runs >= 2 && (i == 0 || headwind) => {
                let [share, lo, hi] = crate::numbers::percent_with_interval(share, lo, hi);
                (share, format!(" (95% CI {lo} to {hi}%)"))
            }
            _ => (pct(share), String::new()),
        };
        named.push(if named.is_empty() {
            format!("{} accounts for {share}%{ci}", c.phrase())
        } else {
            format!("{} {share}%{ci}", c.phrase())
        });
    }
    if named.is_empty() {
        return "no channel has a defined share".into();
    }
    let named: Vec<&str> = named.iter().map(String::as_str).collect();
    format!("of the difference, {}", list(&named))
}

/// The answer in one sentence: the measure that decides the regime first (lead changes
/// for a run, persistence for a race), with the channels that account for its
/// difference from the world with every channel off, over `runs` runs.
pub fn sentence(regime: Regime, a: &Attribution, used: &[Channel], runs: usize) -> String {
    let changes = &a.measures["changes_per_year_quality"];
    let persistence = &a.measures["persistence_norm_quality"];
    if used.is_empty() {
        return format!(
            "{}: the scenario uses none of the channels asked for, so nothing is attributed.",
            regime.label()
        );
    }
    let about_changes = format!(
        "the quality lead changes {} times a year on average ({} with {}): {}",
        fixed(changes.factual, 1),
        fixed(changes.all_off, 1),
        all_off_words(&a.channels),
        reasons(changes, used, runs)
    );
    let about_persistence = if persistence.factual.is_finite() {
        format!(
            "persistence against chance is {} ({} with {}): {}",
            fixed(persistence.factual, 2),
            fixed(persistence.all_off, 2),
            all_off_words(&a.channels),
            reasons(persistence, used, runs)
        )
    } else {
        "persistence against chance does not apply (one lab)".into()
    };
    let (first, second) = if regime == Regime::Race {
        (about_persistence, about_changes)
    } else {
        (about_changes, about_persistence)
    };
    format!("{}: {first}; {second}.", regime.label())
}
