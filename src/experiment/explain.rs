//! `racerun explain` as an experiment: the partial result of a shard (a share of the
//! runs, every world), its fingerprint, and the merge of the shards' parts into the part
//! of every run, from which [`crate::explain::finish`] computes exactly what one process
//! computes.

use std::path::PathBuf;

use sha2::{Digest, Sha256};

use super::ExperimentError;
use super::merge::{
    Merged, check_runs, merged_info, partial_scenario, runs_header, show, wrong_content,
};
use super::partial::{ExplainPart, Partial, PartialKind, Payload};
use super::shard::Shard;
use crate::explain::{Channel, Part};
use crate::output::RunInfo;
use crate::scenario::Scenario;

/// What identifies an explanation across shards: the resolved scenario, the channels
/// asked for, the sample runs and the runs the imposed profile is taken from (so that a
/// shard made when the profile was the mean of the runs asked for does not merge with
/// one made since).
pub fn fingerprint(
    scenario_toml: &str,
    channels: &[Channel],
    samples: u64,
    profile_runs: u64,
) -> String {
    let mut h = Sha256::new();
    h.update(scenario_toml.as_bytes());
    for c in channels {
        h.update(b"\0channel\0");
        h.update(c.name().as_bytes());
    }
    h.update(samples.to_le_bytes());
    h.update(b"\0profile runs\0");
    h.update(profile_runs.to_le_bytes());
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
        header: runs_header(
            PartialKind::Explain,
            scenario,
            fingerprint(&toml, channels, samples, part.profile_runs),
            info,
            shard,
        ),
        payload: Payload::Explain(ExplainPart {
            scenario_toml: toml,
            overrides: info.overrides.clone(),
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
    let mut overrides = Vec::new();
    for (dir, p) in parts {
        let Payload::Explain(e) = &p.payload else {
            return Err(wrong_content(dir, p));
        };
        if first.is_none() {
            let s = partial_scenario(dir, p, &e.scenario_toml, e.samples)?;
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
            overrides = e.overrides.clone();
        }
        check_runs(dir, p, e.part.tally.runs() as usize)?;
        let want = e.part.tally.runs() as usize * e.part.row_len();
        if e.part.rows.len() != want {
            return Err(ExperimentError::Partial {
                path: dir.to_path_buf(),
                message: format!(
                    "holds {} values, its {} runs want {want}",
                    e.part.rows.len(),
                    e.part.tally.runs() as usize
                ),
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
    }
    let (Some((scenario, channels, samples)), Some(part)) = (first, crate::explain::merge(whole))
    else {
        return Err(ExperimentError::Merge("no runs in the partials".into()));
    };
    Ok(Merged::Explain {
        scenario,
        channels,
        samples,
        part,
        info: merged_info(parts, overrides),
    })
}
