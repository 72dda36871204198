//! Where a result may go: every command that writes checks its `--out` here first,
//! before any work, so racerun never replaces what it did not write.
//!
//! [`Destination::check`] refuses an `--out` that is
//!
//! - a file (or anything but a directory), or a symbolic link;
//! - the current directory or one of its ancestors;
//! - inside a racerun output (whose next run would replace it whole, and which would hold
//!   what its run did not write until then);
//! - a directory that holds one of the command's inputs (the scenario file, the partials
//!   being merged);
//! - a non-empty directory that is not a racerun output of the same kind, recognised by
//!   its `manifest.json` (`"kind"`: `run`, `sweep`, `sensitivity`, or a shard of one),
//!   or by the files of racerun versions that wrote no kind; or such an output holding
//!   files its manifest does not list (notes a user added);
//! - a write-protected directory (racerun would replace it and then fail to delete it),
//!   or one whose parent racerun cannot create a directory in (a read-only or special
//!   file system, a directory of another user's).
//!
//! Each refusal names the path, says why and what to do, and changes nothing on disk. An
//! accepted destination is also cleared of what a killed racerun left beside it (hidden
//! `.NAME.tmp-PID` and `.NAME.old-PID` directories of processes that no longer run, when
//! they are recognisably racerun's);
//! [`Destination::cleaned`] lists them so the command can say so.

use std::path::{Component, Path, PathBuf};

use super::OutputError;
use super::lock::{Busy, Lock};
pub use super::manifest::{
    Detected, MANIFEST, OutputKind, SCENARIO_SOURCE, detect, manifest_kind, scenario_source,
    write_manifest,
};
use super::owned::{built_by_racerun, strangers};
use super::replace::{parent_and_name, replace_dir};

/// A checked place to write one kind of result, locked against another racerun writing
/// there until it is dropped ([`super::lock`]).
#[derive(Debug)]
pub struct Destination {
    path: PathBuf,
    kind: OutputKind,
    cleaned: Vec<PathBuf>,
    /// The scenario the result is made from, recorded in its manifest
    /// ([`SCENARIO_SOURCE`]).
    scenario_source: Option<String>,
    _lock: Option<Lock>,
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

/// What to do instead of most refused places.
const NEW_DIR: &str = "give a new directory, e.g. --out output/mine";

fn refuse(out: &Path, why: impl Into<String>, todo: impl Into<String>) -> Refused {
    Refused {
        label: "--out ",
        path: out.to_path_buf(),
        why: why.into(),
        todo: todo.into(),
    }
}

/// Refuses `..` where it would be read against a directory racerun is about to make:
/// `new/../thesis` names `thesis` only once `new` exists, and would get past every check
/// as a directory that does not exist.
fn going_up(out: &Path) -> Result<(), Refused> {
    let mut so_far = PathBuf::new();
    for c in out.components() {
        if c == Component::ParentDir && !so_far.as_os_str().is_empty() && !so_far.is_dir() {
            let why = if std::fs::symlink_metadata(&so_far).is_ok() {
                "which is not a directory"
            } else {
                "which does not exist: racerun would make it and write elsewhere than the \
                 path says"
            };
            return Err(refuse(
                out,
                format!("goes up (..) out of {}, {why}", so_far.display()),
                "write the path without ..",
            ));
        }
        so_far.push(c);
    }
    Ok(())
}

/// Refuses a path ending in `..` (after the checks that say more of what it names: the
/// current directory, an input).
fn ends_going_up(out: &Path) -> Result<(), Refused> {
    if out.components().next_back() == Some(Component::ParentDir) {
        return Err(refuse(
            out,
            format!(
                "ends in .., which names {} without saying so",
                resolved(out).display()
            ),
            "name the directory itself",
        ));
    }
    Ok(())
}

/// `path` made absolute with symbolic links resolved as far as it exists.
pub(super) fn resolved(path: &Path) -> PathBuf {
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
        if out.as_os_str().is_empty() {
            return Err(refuse(out, "empty", NEW_DIR));
        }
        // Without trailing separators and `.`: `link/` would follow the link and look
        // like its directory, which racerun could not replace; `result/.` could not be
        // renamed. The checks and the writing use this path.
        let bare: PathBuf = out.components().collect();
        let out = bare.as_path();
        going_up(out)?;
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
        if let Some(blocker) = out
            .ancestors()
            .skip(1)
            .filter(|a| !a.as_os_str().is_empty())
            .find(|a| std::fs::symlink_metadata(a).is_ok())
            .filter(|a| !a.is_dir())
        {
            let what = if std::fs::metadata(blocker).is_err() {
                "a symbolic link that leads to no directory"
            } else {
                "a file"
            };
            return Err(refuse(
                out,
                format!("would go inside {}, which is {what}", blocker.display()),
                NEW_DIR,
            ));
        }
        let real = resolved(out);
        if let Some((result, found)) = real
            .ancestors()
            .skip(1)
            .filter(|a| a.is_dir())
            .find_map(|a| manifest_kind(a).map(|found| (a, found)))
        {
            return Err(refuse(
                out,
                format!(
                    "would go inside {}, which holds {}: its next run replaces it whole, and \
                     until then it would hold what its run did not write",
                    result.display(),
                    found.describe()
                ),
                "choose an --out outside it, e.g. --out output/mine",
            ));
        }
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
        ends_going_up(out)?;
        if meta.is_ok() {
            foreign(out, kind)?;
            write_protected(out).map_err(|why| refuse(out, why, WRITABLE))?;
            mount_point(out).map_err(|why| refuse(out, why, NEW_INSIDE))?;
        }
        cannot_build_beside(out).map_err(|(why, todo)| refuse(out, why, todo))?;
        let lock =
            lock(out, ", or choose another --out").map_err(|(why, todo)| refuse(out, why, todo))?;
        let cleaned =
            remove_leftovers(out, lock.is_some()).map_err(|(why, todo)| refuse(out, why, todo))?;
        Ok(Destination {
            path: out.to_path_buf(),
            kind,
            cleaned,
            scenario_source: None,
            _lock: lock,
        })
    }

    /// Records `source` (a scenario file's absolute path, or `NAME (bundled)`) as what
    /// the result published here is made from ([`Destination::scenario_source`]).
    pub fn made_from(mut self, source: String) -> Destination {
        self.scenario_source = Some(source);
        self
    }

    /// What the result is made from, for its manifest ([`SCENARIO_SOURCE`]), if recorded.
    pub fn scenario_source(&self) -> Option<&str> {
        self.scenario_source.as_deref()
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
        let path = &self.path;
        // Checked again just before the swap: what was added to `path` while the result
        // was being built (notes in an earlier result) is not deleted with it.
        let still_replaceable = || match std::fs::symlink_metadata(path) {
            Ok(m) if m.is_dir() => foreign(path, kind).map_err(|r| OutputError {
                path: path.clone(),
                message: format!(
                    "changed while racerun was writing: it {}; the new result was discarded \
                     and the directory left as it is ({})",
                    r.why, r.todo
                ),
            }),
            _ => Ok(()),
        };
        replace_dir(
            path,
            |dir| {
                fill(dir)?;
                if !dir.join(MANIFEST).exists() {
                    write_manifest(dir, kind, &[])?;
                }
                Ok(())
            },
            still_replaceable,
        )
    }
}

/// Takes the lock of the result at `out` (none where the file system has no locks);
/// (why, what to do) while another racerun holds it, `instead` being what else to do than
/// wait (choose another `--out`), or when the lock cannot be taken.
pub(super) fn lock(out: &Path, instead: &str) -> Result<Option<Lock>, (String, String)> {
    Lock::take(out).map_err(|busy| match busy {
        Busy::Held => (
            "another racerun is writing it now".to_string(),
            format!("wait for it to finish{instead}"),
        ),
        Busy::Unusable(e) => (
            format!("cannot be locked against another racerun writing it ({e})"),
            "check the permissions of the directory that holds it".to_string(),
        ),
    })
}

/// What to do instead of a mount point.
const NEW_INSIDE: &str = "give a new directory inside it, e.g. --out MOUNT/results";

/// Refuses a directory another file system is mounted on: racerun puts a result in place
/// by renaming, which a mount point refuses (only after all the work).
fn mount_point(dir: &Path) -> Result<(), String> {
    if is_mount_root(dir) {
        return Err(
            "is a mount point (a file system is mounted there), and racerun puts a \
             result in place by renaming, which a mount point does not allow"
                .into(),
        );
    }
    Ok(())
}

/// Whether `dir` is the root of a mount: as Linux's `statx` says (bind mounts of the same
/// file system too), else by a device number other than its parent's.
fn is_mount_root(dir: &Path) -> bool {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{AtFlags, CWD, StatxAttributes, StatxFlags, statx};
        let flags = AtFlags::NO_AUTOMOUNT | AtFlags::SYMLINK_NOFOLLOW;
        if let Ok(r) = statx(CWD, dir, flags, StatxFlags::empty())
            && r.stx_attributes_mask.contains(StatxAttributes::MOUNT_ROOT)
        {
            return r.stx_attributes.contains(StatxAttributes::MOUNT_ROOT);
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let (parent, _) = parent_and_name(dir);
        if let (Ok(d), Ok(p)) = (std::fs::metadata(dir), std::fs::metadata(&parent)) {
            return d.dev() != p.dev();
        }
    }
    let _ = dir;
    false
}

/// Refuses a non-empty `out` that is not an earlier result of `kind` racerun wrote, or
/// one holding what racerun did not write there.
fn foreign(out: &Path, kind: OutputKind) -> Result<(), Refused> {
    let empty = std::fs::read_dir(out)
        .map_err(|e| refuse(out, format!("cannot be read ({e})"), NEW_DIR))?
        .next()
        .is_none();
    if empty {
        return Ok(());
    }
    match detect(out) {
        Some(found) if found.matches(kind) => {
            let extra = strangers(out, found);
            if extra.is_empty() {
                return Ok(());
            }
            Err(refuse(
                out,
                format!(
                    "is an earlier racerun result, but also holds what racerun did not write \
                     there ({}), which replacing it would delete",
                    extra.join(", ")
                ),
                "move those elsewhere first, or choose another --out",
            ))
        }
        Some(found) => Err(refuse(
            out,
            format!("holds {}, not {}", found.describe(), kind.describe()),
            "choose another --out, or delete it first if it is no longer needed",
        )),
        None => Err(refuse(
            out,
            format!(
                "is a directory racerun did not write (it has no racerun {MANIFEST}), and \
                 racerun replaces its --out whole"
            ),
            NEW_DIR,
        )),
    }
}

pub(super) const WRITABLE: &str = "make it writable (chmod -R u+w) or choose another --out";

/// Refuses a write-protected directory (or one with a write-protected subdirectory):
/// racerun could put the new result in place but not delete the old one.
pub(super) fn write_protected(dir: &Path) -> Result<(), String> {
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

/// Refuses an `--out` beside which the hidden directory the result is built in cannot be
/// made: its parent (or, when that does not exist yet, the nearest existing ancestor)
/// not writable by this user, on a read-only mount, or in a file system such as `/proc`.
/// Permission bits do not tell (root ignores them; a read-only mount keeps them), so
/// this makes a directory there and removes it at once. Without it, the commands that
/// compute before they write (`explain`, `sensitivity`) failed only after all the work.
fn cannot_build_beside(out: &Path) -> Result<(), (String, String)> {
    let (parent, name) = parent_and_name(out);
    let Some(base) = parent
        .ancestors()
        .map(|a| {
            if a.as_os_str().is_empty() {
                Path::new(".")
            } else {
                a
            }
        })
        .find(|a| a.is_dir())
    else {
        return Ok(());
    };
    // A name no leftover has: a racerun holding the lock must not take it for one.
    let probe = base.join(format!(".{name}.probe-{}", std::process::id()));
    match std::fs::create_dir(&probe) {
        Ok(()) => {
            let _ = std::fs::remove_dir(&probe);
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => {
            const NAME_TOO_LONG: i32 = 36;
            let why = format!(
                "cannot be created: racerun cannot make a directory in {} ({e})",
                base.display()
            );
            let todo = match (e.kind(), e.raw_os_error()) {
                (_, Some(NAME_TOO_LONG)) => "give a shorter name".to_string(),
                (
                    std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem,
                    _,
                ) => format!(
                    "choose an --out in a directory you can write to, or make {} writable",
                    base.display()
                ),
                _ => "choose an --out in a directory you can write to".to_string(),
            };
            Err((why, todo))
        }
    }
}

/// Whether process `pid` may be a racerun writing, for file systems without locks: a
/// running process of this program's name. Where that cannot be told (no `/proc`), any
/// process with that id counts.
fn racerun_running(pid: u32) -> bool {
    let proc = Path::new("/proc");
    let comm = |p: &Path| std::fs::read_to_string(p.join("comm")).ok();
    match comm(&proc.join("self")) {
        Some(own) => comm(&proc.join(pid.to_string())).is_some_and(|c| c == own),
        None => true,
    }
}

/// Removes `.NAME.tmp-PID` and `.NAME.old-PID` beside `out` left by racerun processes
/// that no longer write there, when they are racerun's ([`built_by_racerun`]). With the
/// lock of `out` held (`locked`), no other racerun is writing there; without (a file
/// system without locks), refuses (why, what to do) while the process that made one runs.
pub(super) fn remove_leftovers(out: &Path, locked: bool) -> Result<Vec<PathBuf>, (String, String)> {
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
        if !is_dir || pid == std::process::id() || !built_by_racerun(&path) {
            continue;
        }
        if !locked && racerun_running(pid) {
            return Err((
                format!(
                    "another racerun (process {pid}) is writing it now ({} exists)",
                    path.display()
                ),
                "wait for it to finish, or choose another --out".into(),
            ));
        }
        // Removed meanwhile by the racerun that made it: gone all the same.
        super::replace::remove_marked(&path)
            .or_else(|e| match e.kind() {
                std::io::ErrorKind::NotFound => Ok(()),
                _ => Err(e),
            })
            .map_err(|e| {
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
pub(super) fn leftover_pid(file: &str, name: &str) -> Option<u32> {
    let rest = file.strip_prefix('.')?.strip_prefix(name)?;
    let pid = rest
        .strip_prefix(".tmp-")
        .or_else(|| rest.strip_prefix(".old-"))?;
    pid.parse().ok()
}

mod charts;
pub use charts::{InPlace, check_charts};

#[cfg(test)]
mod tests;
