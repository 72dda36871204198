//! What a racerun output directory is: its `manifest.json` names its [`OutputKind`], and
//! [`detect`] recognises racerun's own directories (also those of earlier versions,
//! whose manifests named no kind).

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::OutputError;

/// File name of the manifest every racerun output directory carries.
pub const MANIFEST: &str = "manifest.json";

/// What a racerun output directory holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OutputKind {
    /// The files of `racerun run` (or `merge` of run shards).
    Run,
    /// The files of `racerun sweep`.
    Sweep,
    /// The files of `racerun sensitivity`.
    Sensitivity,
    /// The files of `racerun compare`.
    Compare,
    /// The files of `racerun explain` (or `merge` of its shards).
    Explain,
    /// A partial result of `run --shard K/N`.
    RunShard,
    /// A partial result of `sweep --shard K/N`.
    SweepShard,
    /// A partial result of `sensitivity --shard K/N`.
    SensitivityShard,
    /// A partial result of `explain --shard K/N`.
    ExplainShard,
}

impl OutputKind {
    /// The name written in `manifest.json`.
    pub fn name(self) -> &'static str {
        match self {
            OutputKind::Run => "run",
            OutputKind::Sweep => "sweep",
            OutputKind::Sensitivity => "sensitivity",
            OutputKind::Compare => "compare",
            OutputKind::RunShard => "run-shard",
            OutputKind::SweepShard => "sweep-shard",
            OutputKind::SensitivityShard => "sensitivity-shard",
            OutputKind::Explain => "explain",
            OutputKind::ExplainShard => "explain-shard",
        }
    }

    /// The partial result of a shard of this kind of result.
    pub fn shard(self) -> OutputKind {
        match self {
            OutputKind::Run | OutputKind::RunShard => OutputKind::RunShard,
            OutputKind::Sweep | OutputKind::SweepShard => OutputKind::SweepShard,
            OutputKind::Sensitivity | OutputKind::SensitivityShard => OutputKind::SensitivityShard,
            OutputKind::Compare => OutputKind::Compare,
            OutputKind::Explain | OutputKind::ExplainShard => OutputKind::ExplainShard,
        }
    }

    /// In words, for messages.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            OutputKind::Run => "the result of `racerun run`",
            OutputKind::Sweep => "the result of `racerun sweep`",
            OutputKind::Sensitivity => "the result of `racerun sensitivity`",
            OutputKind::Compare => "the result of `racerun compare`",
            OutputKind::RunShard => "a partial result of `racerun run --shard`",
            OutputKind::SweepShard => "a partial result of `racerun sweep --shard`",
            OutputKind::SensitivityShard => "a partial result of `racerun sensitivity --shard`",
            OutputKind::Explain => "the result of `racerun explain`",
            OutputKind::ExplainShard => "a partial result of `racerun explain --shard`",
        }
    }
}

/// The manifest's `kind`, the one field every racerun output shares.
#[derive(Deserialize)]
struct KindOnly {
    kind: Option<OutputKind>,
}

/// The kind a racerun `manifest.json` in `dir` names, if there is one: the surest sign
/// that `dir` is a racerun output, without the guesses [`detect`] makes for older ones.
pub fn manifest_kind(dir: &Path) -> Option<OutputKind> {
    let text = std::fs::read_to_string(dir.join(MANIFEST)).ok()?;
    match serde_json::from_str(&text) {
        Ok(KindOnly { kind }) => kind,
        Err(_) => None,
    }
}

/// The key of `manifest.json` naming the scenario a result was made from: the scenario
/// file's absolute path, or `NAME (bundled)`. Results of two files that share a `name`
/// would go to one default folder; this tells them apart. Recorded by `run` and
/// `explain` (not their shards or `merge`); absent from results written before.
pub const SCENARIO_SOURCE: &str = "scenario_source";

/// The scenario source recorded in `dir`'s manifest ([`SCENARIO_SOURCE`]), if any, with
/// the resolved scenario's hash (`scenario_sha256`) when there is one.
pub fn scenario_source(dir: &Path) -> Option<(String, Option<String>)> {
    let text = std::fs::read_to_string(dir.join(MANIFEST)).ok()?;
    let manifest: serde_json::Value = serde_json::from_str(&text).ok()?;
    let hash = manifest["scenario_sha256"].as_str().map(String::from);
    Some((manifest.get(SCENARIO_SOURCE)?.as_str()?.to_string(), hash))
}

/// What racerun output, if any, `dir` holds: by its manifest's `kind`; for directories
/// written before manifests named their kind, by their files; a directory holding only
/// the finished cells of an interrupted sweep is a sweep (or a shard of one).
pub fn detect(dir: &Path) -> Option<Detected> {
    let read_json = |name: &str| -> Option<serde_json::Value> {
        let text = std::fs::read_to_string(dir.join(name)).ok()?;
        serde_json::from_str(&text).ok()
    };
    if let Ok(text) = std::fs::read_to_string(dir.join(MANIFEST)) {
        if let Ok(KindOnly { kind: Some(kind) }) = serde_json::from_str(&text) {
            return Some(Detected::Kind(kind));
        }
        // Older runs: a manifest with the scenario's hash and no kind.
        if read_json(MANIFEST).is_some_and(|m| m.get("scenario_sha256").is_some()) {
            return Some(Detected::Kind(OutputKind::Run));
        }
    }
    if let Some(summary) = read_json("summary.json") {
        if summary.get("kind").and_then(|k| k.as_str()) == Some("sweep") {
            return Some(Detected::Kind(OutputKind::Sweep));
        }
        if summary.get("method").is_some() && summary.get("points").is_some() {
            return Some(Detected::Kind(OutputKind::Sensitivity));
        }
    }
    let names: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    match names.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [".cells"] => Some(Detected::SweepInProgress),
        ["partial.bin"] => {
            let head = std::fs::read(dir.join("partial.bin")).ok()?;
            if head.starts_with(b"racerun-sensitivity-partial v1\n") {
                Some(Detected::Kind(OutputKind::SensitivityShard))
            } else if head.starts_with(b"racerun-partial v1\n") {
                Some(Detected::OldShard)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// What [`detect`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    /// An output of this kind.
    Kind(OutputKind),
    /// Only the finished cells of an interrupted sweep (or shard of one).
    SweepInProgress,
    /// A run or sweep shard written before manifests named their kind.
    OldShard,
}

impl Detected {
    pub(crate) fn matches(self, kind: OutputKind) -> bool {
        match self {
            Detected::Kind(k) => k == kind,
            Detected::SweepInProgress => {
                matches!(kind, OutputKind::Sweep | OutputKind::SweepShard)
            }
            Detected::OldShard => matches!(kind, OutputKind::RunShard | OutputKind::SweepShard),
        }
    }

    /// What was found, in words for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Detected::Kind(k) => k.describe(),
            Detected::SweepInProgress => "the finished cells of an interrupted `racerun sweep`",
            Detected::OldShard => "a partial result of `racerun run --shard` or `sweep --shard`",
        }
    }
}

/// The manifest of an output that carries its kind, the build that wrote it and the
/// files it holds.
#[derive(Serialize)]
struct Manifest {
    #[serde(flatten)]
    build: super::provenance::Build,
    kind: OutputKind,
    files: Vec<String>,
}

/// Writes a `manifest.json` naming the kind and, if `files` is empty, every file in `dir`.
pub fn write_manifest(dir: &Path, kind: OutputKind, files: &[&str]) -> Result<(), OutputError> {
    let mut names: Vec<String> = files.iter().map(|f| f.to_string()).collect();
    if names.is_empty() {
        names = std::fs::read_dir(dir)
            .map_err(|e| OutputError::io(dir, e))?
            .flatten()
            .filter(|e| e.path().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n != super::replace::BUILDING)
            .collect();
        names.sort();
    }
    let manifest = Manifest {
        build: super::provenance::Build::current(),
        kind,
        files: names,
    };
    let mut json = serde_json::to_vec_pretty(&manifest).map_err(|e| OutputError::io(dir, e))?;
    json.push(b'\n');
    let path = dir.join(MANIFEST);
    std::fs::write(&path, json).map_err(|e| OutputError::io(&path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_kinds_old_and_new() {
        let root = tempfile::tempdir().unwrap();
        let d = root.path();
        assert_eq!(detect(d), None);
        write_manifest(d, OutputKind::SweepShard, &["partial.bin"]).unwrap();
        assert_eq!(detect(d), Some(Detected::Kind(OutputKind::SweepShard)));
        std::fs::write(d.join(MANIFEST), r#"{"scenario_sha256": "ab"}"#).unwrap();
        assert_eq!(detect(d), Some(Detected::Kind(OutputKind::Run)));
        std::fs::write(d.join(MANIFEST), r#"{"kind": "nonsense"}"#).unwrap();
        assert_eq!(detect(d), None);
    }

    #[test]
    fn the_scenario_source_is_read_with_the_scenarios_hash() {
        let root = tempfile::tempdir().unwrap();
        let d = root.path();
        assert_eq!(scenario_source(d), None);
        write_manifest(d, OutputKind::Run, &["summary.json"]).unwrap();
        assert_eq!(scenario_source(d), None);
        let manifest =
            r#"{"kind": "run", "scenario_sha256": "ab", "scenario_source": "/a/m.toml"}"#;
        std::fs::write(d.join(MANIFEST), manifest).unwrap();
        let found = Some(("/a/m.toml".to_string(), Some("ab".to_string())));
        assert_eq!(scenario_source(d), found);
    }
}
