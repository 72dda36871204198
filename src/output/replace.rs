//! Putting a finished directory in place of an older one, whole or not at all.
//!
//! A result is built in a hidden sibling, `.NAME.tmp-PID`, then exchanged with the old
//! `NAME` in one step: on Linux `renameat2(RENAME_EXCHANGE)` swaps the two names
//! atomically, so there is no moment when `NAME` is missing or half-written; the old
//! result, now under the hidden name, is then deleted. Where the exchange is not
//! available (other systems, or a file system that does not support it), the documented
//! fallback is two renames: the old directory to `.NAME.old-PID`, the new one into
//! place; for the instant between them `NAME` does not exist, and a failure of the second
//! rename puts the old one back.
//!
//! Hidden staging directories of a process that died (killed, power lost) are found and
//! removed by the next racerun writing to the same place (see [`super::place`]); those of
//! a process interrupted by Ctrl-C are removed by its handler through
//! [`remove_staging`].

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::OutputError;

/// Staging directories in use by this process: removed by [`remove_staging`] when the
/// process is interrupted. Held while a swap is in progress, so an interruption never
/// lands between its two steps.
static STAGING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn staging() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    STAGING.lock().unwrap_or_else(|p| p.into_inner())
}

/// Removes every staging directory this process has open (for a Ctrl-C handler, just
/// before the process exits). Waits for a swap in progress to finish first.
pub fn remove_staging() {
    let mut dirs = staging();
    for dir in dirs.drain(..) {
        // Renamed first: threads still writing into it (the charts) then fail to create
        // files under the old name instead of racing the removal. The new name is one the
        // next racerun removes (`.NAME.old-PID`) if this removal does not finish.
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().replace(".tmp-", ".old-"));
        let aside = name.map(|n| dir.with_file_name(n)).filter(|a| *a != dir);
        let gone = match aside {
            Some(aside) if std::fs::rename(&dir, &aside).is_ok() => aside,
            _ => dir,
        };
        let _ = remove_marked(&gone);
    }
}

/// The hidden sibling names of `dir`: `(parent, name)`.
pub(crate) fn parent_and_name(dir: &Path) -> (PathBuf, String) {
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    (parent, name)
}

/// The staging directory of `dir` for this process.
pub(crate) fn staging_path(dir: &Path) -> PathBuf {
    let (parent, name) = parent_and_name(dir);
    parent.join(format!(".{name}.tmp-{}", std::process::id()))
}

/// A directory being built beside its final place; removed if dropped unfinished.
struct Staged {
    path: PathBuf,
}

/// The file that marks a directory racerun is building, so that a later racerun removes
/// it only if it is one (see [`super::place`]); taken out just before the swap.
pub(crate) const BUILDING: &str = ".racerun-building";

impl Staged {
    fn create(path: PathBuf) -> Result<Staged, OutputError> {
        let mut open = staging();
        // Left by an earlier process of this id: removed if it is racerun's, else kept.
        if std::fs::symlink_metadata(&path).is_ok() {
            if !super::owned::built_by_racerun(&path) {
                return Err(OutputError {
                    message: "exists, and holds what racerun did not write; racerun builds a \
                              result there, so move it elsewhere"
                        .into(),
                    path,
                });
            }
            remove_marked(&path).map_err(|e| OutputError::io(&path, e))?;
        }
        std::fs::create_dir(&path).map_err(|e| OutputError::io(&path, e))?;
        open.push(path.clone());
        let staged = Staged { path };
        let mark = staged.path.join(BUILDING);
        std::fs::write(&mark, "").map_err(|e| OutputError::io(&mark, e))?;
        Ok(staged)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        let mut open = staging();
        open.retain(|p| p != &self.path);
        let _ = remove_marked(&self.path);
    }
}

/// Removes a directory racerun built or swapped aside, keeping its marker
/// ([`BUILDING`]) to the last: a process killed halfway leaves a directory the next
/// racerun still recognises as its own.
pub(crate) fn remove_marked(dir: &Path) -> io::Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    let mark = dir.join(BUILDING);
    std::fs::write(&mark, "")?;
    for entry in std::fs::read_dir(dir)?.flatten() {
        let path = entry.path();
        if path == mark {
            continue;
        }
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(&path)?;
        } else {
            std::fs::remove_file(&path)?;
        }
    }
    std::fs::remove_file(&mark)?;
    std::fs::remove_dir(dir)
}

/// Builds a directory with `fill` in a hidden sibling, then puts it in place of `dir`
/// whole (see the module docs): an existing `dir` is replaced only once the new one is
/// complete, and a failure leaves `dir` as it was. Callers check `dir` first with
/// [`super::Destination::check`], which refuses anything racerun did not write, and
/// again with `still_replaceable` just before the swap (an error keeps `dir` as it is).
pub fn replace_dir<E>(
    dir: &Path,
    fill: impl FnOnce(&Path) -> Result<(), E>,
    still_replaceable: impl FnOnce() -> Result<(), OutputError>,
) -> Result<(), E>
where
    E: From<OutputError>,
{
    let (parent, _) = parent_and_name(dir);
    std::fs::create_dir_all(&parent).map_err(|e| OutputError::io(&parent, e))?;
    let staged = Staged::create(staging_path(dir))?;
    fill(&staged.path)?;
    let _open = staging();
    still_replaceable()?;
    // The new result keeps the old one's permissions (a `chmod 700` directory stays
    // private).
    if let Ok(old) = std::fs::symlink_metadata(dir)
        && old.is_dir()
    {
        std::fs::set_permissions(&staged.path, old.permissions())
            .map_err(|e| OutputError::io(&staged.path, e))?;
    }
    let mark = staged.path.join(BUILDING);
    std::fs::remove_file(&mark).map_err(|e| OutputError::io(&mark, e))?;
    // After the swap the staging path holds the old result (or nothing); dropping
    // `staged` deletes it.
    install(&staged.path, dir).map_err(|e| OutputError::io(dir, e))?;
    drop(_open);
    Ok(())
}

/// Puts directory `new` in place of `target` (which may not exist); afterwards `new`
/// holds the old `target`, if there was one, or does not exist.
/// A `target` that exists but is not a directory (or is a link) is refused.
pub fn install(new: &Path, target: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(target) {
        Err(_) => return rename_noreplace(new, target),
        Ok(m) if !m.is_dir() => {
            return Err(io::Error::other(
                "exists and is not a directory; racerun will not replace it",
            ));
        }
        Ok(_) => {}
    }
    match exchange(new, target) {
        Ok(()) => Ok(()),
        Err(e) if exchange_unsupported(&e) => swap_by_renames(new, target),
        Err(e) => Err(e),
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(target_os = "linux")]
fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Err(e) if exchange_unsupported(&io::Error::from(e)) => std::fs::rename(from, to),
        r => r.map_err(io::Error::from),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

#[cfg(not(target_os = "linux"))]
fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    std::fs::rename(from, to)
}

/// Whether an exchange failed because the system or file system cannot do it (rather
/// than for a reason a plain rename would also hit).
fn exchange_unsupported(e: &io::Error) -> bool {
    const EINVAL: i32 = 22;
    const ENOSYS: i32 = 38;
    const EOPNOTSUPP: i32 = 95;
    e.kind() == io::ErrorKind::Unsupported
        || matches!(e.raw_os_error(), Some(EINVAL | ENOSYS | EOPNOTSUPP))
}

/// The fallback: two renames, the old directory aside, then the new one in; on failure
/// of the second the old one is put back. Afterwards `new` holds the old directory.
fn swap_by_renames(new: &Path, target: &Path) -> io::Result<()> {
    let (parent, name) = parent_and_name(target);
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    std::fs::rename(target, &old)?;
    if let Err(e) = std::fs::rename(new, target) {
        std::fs::rename(&old, target)?;
        return Err(e);
    }
    std::fs::rename(&old, new)
}

/// Writes `bytes` to `path` through a temporary file and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(|e| OutputError::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        OutputError::io(path, e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_fill_leaves_the_old_directory() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("a.txt"), "old").unwrap();
        let r: Result<(), OutputError> = replace_dir(
            &dir,
            |tmp| {
                std::fs::write(tmp.join("a.txt"), "new").unwrap();
                Err(OutputError::io(tmp, "boom"))
            },
            || Ok(()),
        );
        assert!(r.is_err());
        // Nor does a check just before the swap that fails.
        let r: Result<(), OutputError> = replace_dir(
            &dir,
            |tmp| std::fs::write(tmp.join("a.txt"), "new").map_err(|e| OutputError::io(tmp, e)),
            || Err(OutputError::io(&dir, "changed")),
        );
        assert!(r.is_err());
        assert_eq!(std::fs::read_to_string(dir.join("a.txt")).unwrap(), "old");
        assert_eq!(
            std::fs::read_dir(root.path()).unwrap().count(),
            1,
            "no temporary left behind"
        );
        replace_dir::<OutputError>(
            &dir,
            |tmp| std::fs::write(tmp.join("b.txt"), "new").map_err(|e| OutputError::io(tmp, e)),
            || Ok(()),
        )
        .unwrap();
        assert!(!dir.join("a.txt").exists());
        assert_eq!(std::fs::read_to_string(dir.join("b.txt")).unwrap(), "new");
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1);
        assert!(staging().is_empty());
    }

    #[test]
    fn a_marked_removal_takes_everything_and_its_marker_last() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join(".out.tmp-1");
        std::fs::create_dir_all(dir.join("charts")).unwrap();
        std::fs::write(dir.join("charts/a.png"), "png").unwrap();
        std::fs::write(dir.join("runs.csv"), "run").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.path(), dir.join("link")).unwrap();
        remove_marked(&dir).unwrap();
        assert!(!dir.exists());
        assert!(
            root.path().is_dir(),
            "a link inside is removed, not followed"
        );
        remove_marked(&dir).unwrap();
    }

    #[test]
    fn install_swaps_both_ways_and_the_fallback_matches() {
        let root = tempfile::tempdir().unwrap();
        let (a, b) = (root.path().join("a"), root.path().join("b"));
        std::fs::create_dir(&a).unwrap();
        std::fs::write(a.join("f"), "new").unwrap();
        install(&a, &b).unwrap();
        assert!(!a.exists());
        assert_eq!(std::fs::read_to_string(b.join("f")).unwrap(), "new");
        std::fs::create_dir(&a).unwrap();
        std::fs::write(a.join("f"), "newer").unwrap();
        install(&a, &b).unwrap();
        assert_eq!(std::fs::read_to_string(b.join("f")).unwrap(), "newer");
        assert_eq!(std::fs::read_to_string(a.join("f")).unwrap(), "new");
        swap_by_renames(&a, &b).unwrap();
        assert_eq!(std::fs::read_to_string(b.join("f")).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(a.join("f")).unwrap(), "newer");
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 2);
    }
}
