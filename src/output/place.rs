//! Where a result may go: every command that writes checks its `--out` here first,
//! before any work, so racerun never replaces what it did not write.
//!
//! [`Destination::check`] refuses an `--out` that is
//!
//! - a file (or anything but a directory), or a symbolic link;
//! - the current directory or one of its ancestors;
//! - a directory that holds one of the command's inputs (the scenario file, the partials
//!   being merged);
//! - a non-empty directory that is not a racerun output of the same kind, recognised by
//!   its `manifest.json` (`"kind"`: `run`, `sweep`, `sensitivity`, or a shard of one),
//!   or by the files of racerun versions that wrote no kind;
//! - a write-protected directory (racerun would replace it and then fail to delete it).
//!
//! Each refusal names the path, says why and what to do, and changes nothing on disk. An
//! accepted destination is also cleared of what a killed racerun left beside it (hidden
//! `.NAME.tmp-PID` and `.NAME.old-PID` directories of processes that no longer run);
//! [`Destination::cleaned`] lists them so the command can say so.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::OutputError;
use super::replace::{parent_and_name, replace_dir};

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
    /// A partial result of `run --shard K/N`.
    RunShard,
    /// A partial result of `sweep --shard K/N`.
    SweepShard,
    /// A partial result of `sensitivity --shard K/N`.
    SensitivityShard,
}

impl OutputKind {
    /// The name written in `manifest.json`.
    pub fn name(self) -> &'static str {
        match self {
            OutputKind::Run => "run",
            OutputKind::Sweep => "sweep",
            OutputKind::Sensitivity => "sensitivity",
            OutputKind::RunShard => "run-shard",
            OutputKind::SweepShard => "sweep-shard",
            OutputKind::SensitivityShard => "sensitivity-shard",
        }
    }

    /// In words, for messages.
    fn describe(self) -> &'static str {
        match self {
            OutputKind::Run => "the result of `racerun run`",
            OutputKind::Sweep => "the result of `racerun sweep`",
            OutputKind::Sensitivity => "the result of `racerun sensitivity`",
            OutputKind::RunShard => "a partial result of `racerun run --shard`",
            OutputKind::SweepShard => "a partial result of `racerun sweep --shard`",
            OutputKind::SensitivityShard => "a partial result of `racerun sensitivity --shard`",
        }
    }
}

/// The manifest's `kind`, the one field every racerun output shares.
#[derive(Deserialize)]
struct KindOnly {
    kind: Option<OutputKind>,
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
    fn matches(self, kind: OutputKind) -> bool {
        match self {
            Detected::Kind(k) => k == kind,
            Detected::SweepInProgress => {
                matches!(kind, OutputKind::Sweep | OutputKind::SweepShard)
            }
            Detected::OldShard => matches!(kind, OutputKind::RunShard | OutputKind::SweepShard),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Detected::Kind(k) => k.describe(),
            Detected::SweepInProgress => "the finished cells of an interrupted `racerun sweep`",
            Detected::OldShard => "a partial result of `racerun run --shard` or `sweep --shard`",
        }
    }
}

/// A checked place to write one kind of result.
#[derive(Debug, Clone)]
pub struct Destination {
    path: PathBuf,
    kind: OutputKind,
    cleaned: Vec<PathBuf>,
}

/// Why a place to write was refused: what is wrong and what to do. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{label}{}: {why} (nothing was written); {todo}", path.display())]
pub struct Refused {
    /// `--out ` when the path came from `--out`, else empty.
    pub label: &'static str,
    /// The path refused.
    pub path: PathBuf,
    /// What is wrong with it.
    pub why: String,
    /// What to do instead.
    pub todo: String,
}

fn refuse(out: &Path, why: impl Into<String>, todo: impl Into<String>) -> Refused {
    Refused {
        label: "--out ",
        path: out.to_path_buf(),
        why: why.into(),
        todo: todo.into(),
    }
}

/// `path` made absolute with symbolic links resolved as far as it exists.
fn resolved(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return rest.iter().rev().fold(real, |p, r| p.join(r));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return abs,
        }
    }
}

impl Destination {
    /// Checks `out` as the place for a result of `kind`, before any work. `inputs` are
    /// the files and directories the command reads (see the module docs for what is
    /// refused). On success, also removes the hidden leftovers of killed racerun
    /// processes beside `out`.
    pub fn check(out: &Path, kind: OutputKind, inputs: &[&Path]) -> Result<Destination, Refused> {
        const NEW_DIR: &str = "give a new directory, e.g. --out output/mine";
        if out.as_os_str().is_empty() {
            return Err(refuse(out, "empty", NEW_DIR));
        }
        let meta = std::fs::symlink_metadata(out);
        if let Ok(m) = &meta {
            if m.file_type().is_symlink() {
                return Err(refuse(
                    out,
                    "is a symbolic link, and racerun replaces its --out whole",
                    "give the directory it points to, or a new one",
                ));
            }
            if !m.is_dir() {
                return Err(refuse(
                    out,
                    "is a file, not a directory; racerun writes a directory of results and \
                     will not replace a file",
                    NEW_DIR,
                ));
            }
        }
        let real = resolved(out);
        if let Ok(cwd) = std::env::current_dir().map(|c| resolved(&c))
            && cwd.starts_with(&real)
        {
            let what = if cwd == real {
                "is the current directory"
            } else {
                "holds the current directory"
            };
            return Err(refuse(
                out,
                format!("{what}, and racerun replaces its --out whole"),
                NEW_DIR,
            ));
        }
        for input in inputs {
            if resolved(input).starts_with(&real) {
                return Err(refuse(
                    out,
                    format!(
                        "holds the input {}, which replacing it would delete",
                        input.display()
                    ),
                    "choose an --out outside it",
                ));
            }
        }
        if meta.is_ok() {
            let empty = std::fs::read_dir(out)
                .map_err(|e| refuse(out, format!("cannot be read ({e})"), NEW_DIR))?
                .next()
                .is_none();
            if !empty {
                match detect(out) {
                    Some(found) if found.matches(kind) => {}
                    Some(found) => {
                        return Err(refuse(
                            out,
                            format!("holds {}, not {}", found.describe(), kind.describe()),
                            "choose another --out, or delete it first if it is no longer needed",
                        ));
                    }
                    None => {
                        return Err(refuse(
                            out,
                            format!(
                                "is a directory racerun did not write (it has no racerun \
                                 {MANIFEST}), and racerun replaces its --out whole"
                            ),
                            NEW_DIR,
                        ));
                    }
                }
            }
            write_protected(out).map_err(|why| refuse(out, why, WRITABLE))?;
        }
        let cleaned = remove_leftovers(out).map_err(|(why, todo)| refuse(out, why, todo))?;
        Ok(Destination {
            path: out.to_path_buf(),
            kind,
            cleaned,
        })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The kind of result it will hold.
    pub fn kind(&self) -> OutputKind {
        self.kind
    }

    /// Leftovers of killed racerun processes removed beside it.
    pub fn cleaned(&self) -> &[PathBuf] {
        &self.cleaned
    }

    /// Builds the result with `fill` in a hidden sibling and puts it in place whole (see
    /// [`super::replace_dir`]); `fill` writes the files, this adds the manifest if `fill`
    /// wrote none.
    pub fn publish<E>(&self, fill: impl FnOnce(&Path) -> Result<(), E>) -> Result<(), E>
    where
        E: From<OutputError>,
    {
        let kind = self.kind;
        replace_dir(&self.path, |dir| {
            fill(dir)?;
            if !dir.join(MANIFEST).exists() {
                write_manifest(dir, kind, &[])?;
            }
            Ok(())
        })
    }
}

/// Checks `dir` before `racerun plot` redraws its charts into `dir/charts/`: `dir` must
/// be a racerun result (of `run`, `sweep` or `sensitivity`), and `charts`, if it exists,
/// a directory of charts (PNG and SVG files only) that is not write-protected. Removes
/// the hidden leftovers of a killed `plot` beside `charts`; returns them.
pub fn check_charts(dir: &Path) -> Result<Vec<PathBuf>, Refused> {
    let fail = |path: &Path, why: String, todo: &str| Refused {
        label: "",
        path: path.to_path_buf(),
        why,
        todo: todo.into(),
    };
    const EXPECTED: &str = "give a directory written by `racerun run`, `sweep` or `sensitivity`";
    if !dir.is_dir() {
        return Err(fail(dir, "not a directory".into(), EXPECTED));
    }
    match detect(dir) {
        Some(Detected::Kind(OutputKind::Run | OutputKind::Sweep | OutputKind::Sensitivity)) => {}
        Some(found) => {
            return Err(fail(
                dir,
                format!("holds {}, which has no charts", found.describe()),
                "merge the shards first with `racerun merge`",
            ));
        }
        None => {
            return Err(fail(
                dir,
                format!("not a racerun result (it has no racerun {MANIFEST})"),
                EXPECTED,
            ));
        }
    }
    let charts = dir.join("charts");
    const MOVE: &str = "move it elsewhere first: `racerun plot` replaces charts/ whole";
    if let Ok(m) = std::fs::symlink_metadata(&charts) {
        if !m.is_dir() {
            return Err(fail(&charts, "is not a directory of charts".into(), MOVE));
        }
        let strangers: Vec<String> = std::fs::read_dir(&charts)
            .map_err(|e| fail(&charts, format!("cannot be read ({e})"), MOVE))?
            .flatten()
            .filter(|e| {
                let p = e.path();
                let chart = p.extension().is_some_and(|x| x == "png" || x == "svg");
                !(chart && std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_file()))
            })
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        if !strangers.is_empty() {
            return Err(fail(
                &charts,
                format!(
                    "holds files racerun did not draw ({})",
                    strangers.join(", ")
                ),
                "move them elsewhere first: `racerun plot` replaces charts/ whole",
            ));
        }
        write_protected(&charts).map_err(|why| fail(&charts, why, WRITABLE))?;
    }
    remove_leftovers(&charts).map_err(|(why, todo)| fail(&charts, why, &todo))
}

/// The manifest of an output that carries nothing but its kind and the files it holds.
#[derive(Serialize)]
struct Manifest<'a> {
    racerun_version: &'a str,
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
            .collect();
        names.sort();
    }
    let manifest = Manifest {
        racerun_version: env!("CARGO_PKG_VERSION"),
        kind,
        files: names,
    };
    let mut json = serde_json::to_vec_pretty(&manifest).map_err(|e| OutputError::io(dir, e))?;
    json.push(b'\n');
    let path = dir.join(MANIFEST);
    std::fs::write(&path, json).map_err(|e| OutputError::io(&path, e))
}

const WRITABLE: &str = "make it writable (chmod -R u+w) or choose another --out";

/// Refuses a write-protected directory (or one with a write-protected subdirectory):
/// racerun could put the new result in place but not delete the old one.
fn write_protected(dir: &Path) -> Result<(), String> {
    let subdirs = std::fs::read_dir(dir)
        .map(|r| {
            r.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_else(|_| Vec::new());
    for d in std::iter::once(dir.to_path_buf()).chain(subdirs) {
        if std::fs::metadata(&d).is_ok_and(|m| m.permissions().readonly()) {
            return Err(format!(
                "{} is write-protected, so racerun will not replace it",
                d.display()
            ));
        }
    }
    Ok(())
}

/// Whether process `pid` is a running racerun. Where that cannot be told (no `/proc`),
/// any process with that id counts as running.
fn racerun_running(pid: u32) -> bool {
    let proc = Path::new("/proc");
    if !proc.is_dir() {
        return true;
    }
    std::fs::read_to_string(proc.join(pid.to_string()).join("comm"))
        .is_ok_and(|comm| comm.trim() == "racerun" || pid == std::process::id())
}

/// Removes `.NAME.tmp-PID` and `.NAME.old-PID` beside `out` left by racerun processes
/// that no longer run; refuses (why, what to do) while one that does is writing there.
fn remove_leftovers(out: &Path) -> Result<Vec<PathBuf>, (String, String)> {
    let (parent, name) = parent_and_name(out);
    let Ok(entries) = std::fs::read_dir(&parent) else {
        return Ok(Vec::new());
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = leftover_pid(&file, &name) else {
            continue;
        };
        let path = entry.path();
        let is_dir = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if !is_dir || pid == std::process::id() {
            continue;
        }
        if racerun_running(pid) {
            return Err((
                format!(
                    "another racerun (process {pid}) is writing it now ({} exists)",
                    path.display()
                ),
                "wait for it to finish, or choose another --out".into(),
            ));
        }
        std::fs::remove_dir_all(&path).map_err(|e| {
            (
                format!(
                    "{} was left by an interrupted racerun and cannot be removed ({e})",
                    path.display()
                ),
                "remove it by hand".into(),
            )
        })?;
        removed.push(path);
    }
    removed.sort();
    Ok(removed)
}

/// The process id in a leftover's name `.NAME.tmp-PID` or `.NAME.old-PID`.
fn leftover_pid(file: &str, name: &str) -> Option<u32> {
    let rest = file.strip_prefix('.')?.strip_prefix(name)?;
    let pid = rest
        .strip_prefix(".tmp-")
        .or_else(|| rest.strip_prefix(".old-"))?;
    pid.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftover_names() {
        assert_eq!(leftover_pid(".out.tmp-123", "out"), Some(123));
        assert_eq!(leftover_pid(".out.old-9", "out"), Some(9));
        assert_eq!(leftover_pid(".out.tmp-x", "out"), None);
        assert_eq!(leftover_pid(".outer.tmp-1", "out"), None);
        assert_eq!(leftover_pid("out.tmp-1", "out"), None);
    }

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
}
