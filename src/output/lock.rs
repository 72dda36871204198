//! One racerun at a time per result: a lock taken before any work by every command that
//! writes a result or changes one in place (`plot`, `report`), and held until it is done.
//!
//! The lock is an advisory lock (`flock` on Unix, `LockFileEx` on Windows) on a hidden
//! file beside the result, `.NAME.lock`, which the holder removes when it finishes (on
//! Unix; elsewhere it stays, since a removed file's lock would lock nothing). The
//! system releases it when its holder dies, however it dies, so a killed racerun never
//! leaves a result locked; while it is held, nothing beside the result is being written by
//! another racerun, and what is found there (`.NAME.tmp-PID`, `.NAME.old-PID`) is a
//! leftover. Where the file system has no locks, racerun goes on without one and tells a
//! running racerun by its process instead (see [`super::place`]).

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::replace::parent_and_name;

/// A held lock on the result at one path; released, and its file removed, when dropped.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    file: File,
}

/// Why the lock could not be taken.
#[derive(Debug)]
pub enum Busy {
    /// Another racerun holds it.
    Held,
    /// The lock file could not be made or opened (message).
    Unusable(String),
}

/// The lock files this process holds: removed by [`remove_locks`] when it is interrupted
/// (an exit that skips the locks' destructors).
static HELD: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn held() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    HELD.lock().unwrap_or_else(|p| p.into_inner())
}

/// Removes the files of every lock this process holds (for a Ctrl-C handler, just
/// before the process exits; the system releases the locks themselves).
pub fn remove_locks() {
    // Off Unix lock files stay (see `Drop`).
    if cfg!(unix) {
        for path in held().drain(..) {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The lock file of the result at `dir`: beside the directory it names, links and `.`
/// resolved, so that every path to one result finds one lock.
fn lock_path(dir: &Path) -> PathBuf {
    let (parent, name) = parent_and_name(&super::place::resolved(dir));
    parent.join(format!(".{name}.lock"))
}

/// Whether an error of taking a lock means the file system has none to take: not
/// supported, or (NFS without its lock daemon) none available.
fn no_locks(e: &std::io::Error) -> bool {
    const ENOLCK: i32 = 37;
    e.kind() == std::io::ErrorKind::Unsupported || e.raw_os_error() == Some(ENOLCK)
}

impl Lock {
    /// Takes the lock of the result at `dir` without waiting: `Ok(None)` where the file
    /// system has no locks, [`Busy::Held`] while another racerun holds it.
    pub fn take(dir: &Path) -> Result<Option<Lock>, Busy> {
        let path = lock_path(dir);
        // Beside a result yet to be made, in a folder that may be too (`output/`).
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Busy::Unusable(format!("{}: {e}", parent.display())))?;
        }
        // A folder this user cannot write beside (a result in someone else's directory,
        // redrawn by `plot`): no lock file can be made there, so go on without one.
        let read_only = |e: &std::io::Error| {
            matches!(
                e.kind(),
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
            )
        };
        // The file may be removed by the holder between our opening and locking it; a lock
        // on a file no longer at `path` locks nothing, so open again (a few times: each
        // retry needs another racerun to finish in between).
        for _ in 0..8 {
            let file = match OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
            {
                Ok(file) => file,
                Err(e) if read_only(&e) => return Ok(None),
                Err(e) => return Err(Busy::Unusable(format!("{}: {e}", path.display()))),
            };
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => return Err(Busy::Held),
                Err(TryLockError::Error(e)) if no_locks(&e) => {
                    let _ = std::fs::remove_file(&path);
                    return Ok(None);
                }
                Err(TryLockError::Error(e)) => {
                    return Err(Busy::Unusable(format!("{}: {e}", path.display())));
                }
            }
            if same_file(&file, &path) {
                held().push(path.clone());
                return Ok(Some(Lock { path, file }));
            }
        }
        Err(Busy::Held)
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held: a racerun that opens the path from now on makes a new
        // file, and locks it only once this one has finished writing.
        held().retain(|p| p != &self.path);
        // Elsewhere a file's name may outlive it or vanish while open, and a lock on a
        // removed file would lock nothing: the file stays.
        #[cfg(unix)]
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// Whether `file` is the file at `path` now.
#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Whether `file` is the file at `path` now: off Unix lock files are never removed.
#[cfg(not(unix))]
fn same_file(_file: &File, _path: &Path) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_taker_is_refused_until_the_first_is_done() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("result");
        let first = Lock::take(&dir)
            .unwrap()
            .expect("this file system has locks");
        assert!(tmp.path().join(".result.lock").is_file());
        assert!(matches!(Lock::take(&dir), Err(Busy::Held)));
        // Another result beside it is not locked.
        let other = Lock::take(&tmp.path().join("other")).unwrap();
        assert!(other.is_some());
        drop(other);
        drop(first);
        assert!(
            !tmp.path().join(".result.lock").exists(),
            "the lock file goes with the lock"
        );
        let again = Lock::take(&dir).unwrap();
        assert!(again.is_some());
    }
}
