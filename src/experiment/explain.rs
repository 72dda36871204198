//! `racerun explain` as an experiment: the partial result of a shard (a share of the
//! runs, every world), its fingerprint, and the merge of the shards' parts into the part
//! of every run, from which [`crate::explain::finish`] computes exactly what one process
//! computes.

use std::path::PathBuf;

use sha2::{Digest, Sha256};

use super::merge::{Merged, header, show};
use super::partial::{ExplainPart, Partial, PartialKind, Payload};
use super::shard::Shard;
use super::{ExperimentError, limits};
use crate::explain::{Channel, Part};
use crate::output::RunInfo;
use crate::scenario::Scenario;

/// What identifies an explanation across shards: the resolved scenario, the channels
/// asked for and the sample runs.
pub fn fingerprint(scenario_toml: &str, channels: &[Channel], samples: u64) -> String {
    let mut h = Sha256::new();
    h.update(scenario_toml.as_bytes());
    for c in channels {
        h.update(b"\0channel\0");
        h.update(c.name().as_bytes());
    }
    h.update(samples.to_le_bytes());
    format!("{:x}", h.finalize())
}

/// The partial result of shard `shard` of an explanation of `info.runs` runs.
pub fn partial(
    scenario: &Scenario,
    channels: &[Channel],
    samples: u64,
    part: Part,
    info: &RunInfo,
    shard: Shard,
) -> Partial {
    let toml = scenario.to_toml();
    Partial {
        header: header(
            PartialKind::Explain,
            &scenario.name,
            fingerprint(&toml, channels, samples),
            info.seed,
            info.runs,
            info.runs,
            shard,
            info.threads,
            info.wall_time_seconds,
        ),
        payload: Payload::Explain(ExplainPart {
            scenario_toml: toml,
            channels: channels.iter().map(|c| c.name().to_string()).collect(),
            samples,
            part,
        }),
    }
}

/// Merges the parts of every shard, checked and in shard order (see
/// [`super::merge::merge`], which checks the set first).
pub(super) fn merge_explain(parts: &[(&PathBuf, &Partial)]) -> Result<Merged, ExperimentError> {
    let mut whole = Vec::with_capacity(parts.len());
    let mut first: Option<(Scenario, Vec<Channel>, u64)> = None;
    let (mut threads, mut wall) = (0usize, 0.0f64);
    for (dir, p) in parts {
        let Payload::Explain(e) = &p.payload else {
            return Err(ExperimentError::Partial {
                path: dir.to_path_buf(),
                message: "header says explain but the content is another experiment".into(),
            });
        };
        if first.is_none() {
            let origin = format!("{} (scenario of the partial)", show(dir));
            let s = Scenario::load(&e.scenario_toml, &origin, &[])?;
            limits::monte_carlo(p.header.runs, e.samples, s.months, s.labs.len())?;
            let channels = e
                .channels
                .iter()
                .map(|n| {
                    Channel::parse(n).ok_or_else(|| ExperimentError::Partial {
                        path: dir.to_path_buf(),
                        message: format!("unknown channel `{n}`"),
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            first = Some((s, channels, e.samples));
        }
        let runs = e.part.runs.len() as u64;
        let expected = p.header.end - p.header.first;
        if runs != expected || e.part.rows.len() as u64 != runs * e.part.row_len() as u64 {
            return Err(ExperimentError::Partial {
                path: dir.to_path_buf(),
                message: format!("holds {runs} runs, its header says {expected}"),
            });
        }
        if whole.first().is_some_and(|w: &Part| {
            w.used != e.part.used || w.world_sums.len() != e.part.world_sums.len()
        }) {
            return Err(ExperimentError::Merge(format!(
                "{} found other channels in use than the first shard; rerun the shards with the same racerun",
                show(dir)
            )));
        }
        whole.push(e.part.clone());
        threads = threads.max(p.header.threads);
        wall += p.header.wall_time_seconds;
    }
    let (Some((scenario, channels, samples)), Some(part)) = (first, crate::explain::merge(whole))
    else {
        return Err(ExperimentError::Merge("no runs in the partials".into()));
    };
    let h = &parts[0].1.header;
    Ok(Merged::Explain {
        scenario,
        channels,
        samples,
        part,
        info: RunInfo {
            seed: h.seed,
            runs: h.runs,
            threads,
            wall_time_seconds: wall,
            // The partial's scenario already has any overrides applied.
            overrides: Vec::new(),
            command: None,
        },
    })
}
