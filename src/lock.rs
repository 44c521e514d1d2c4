//! One run at a time per output folder.
//!
//! The lock is an advisory `flock` (via `fs4`) on `OUTPUT/.zonefacts/lock`. The operating
//! system releases it when the holder exits or is killed, so a crashed run never blocks the
//! next one. While held, the file names the holder (pid, start time); a clean exit empties it.
//! A run that gets the lock and finds the file still naming someone knows that holder died
//! without cleaning up, and says so.
//!
//! The lock that decides is a second `flock`, on the state folder itself: a stray `rm` of the
//! lock file (a cleanup script, a user tidying up) would otherwise let a second run lock a
//! new file and delete the live run's staging folder. A folder full of the published run is
//! not removed by accident while a run works in it.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use fs4::FileExt;
use serde::{Deserialize, Serialize};

use crate::write::publish::STATE_DIR;

/// File name of the lock inside the state folder.
pub const LOCK_FILE: &str = "lock";

/// Who holds (or held) the lock, as written in the lock file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    /// Process id of the holder.
    pub pid: u32,
    /// When the holder started (UTC, RFC 3339).
    pub started_at: String,
    /// Program version of the holder.
    #[serde(default)]
    pub version: String,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "pid {}, started {}", self.pid, self.started_at)
    }
}

/// Why the lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another live process holds it.
    #[error("another zonefacts run is active on {} ({})", .output.display(), .holder.as_ref().map_or_else(|| "holder unknown".to_string(), |h| h.to_string()))]
    Busy {
        /// The output folder.
        output: PathBuf,
        /// The holder, when the lock file names one.
        holder: Option<Holder>,
    },
    /// The lock file could not be created or locked.
    #[error("cannot lock {}: {source}", .path.display())]
    Io {
        /// The lock file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// A held run lock; released (and the file emptied) on drop.
#[derive(Debug)]
pub struct RunLock {
    file: File,
    path: PathBuf,
    /// The state folder, opened and locked: the lock that holds whatever happens to the file.
    dir: File,
}

/// Path of the lock file of an output folder.
pub fn lock_path(output: &Path) -> PathBuf {
    output.join(STATE_DIR).join(LOCK_FILE)
}

/// Reads the holder named in an output folder's lock file, if any (without locking).
pub fn read_holder(output: &Path) -> Option<Holder> {
    let text = std::fs::read_to_string(lock_path(output)).ok()?;
    parse_holder(&text)
}

fn parse_holder(text: &str) -> Option<Holder> {
    serde_json::from_str(text.trim()).ok()
}

impl RunLock {
    /// Takes the lock of `output` (creating the folder if needed) without waiting.
    ///
    /// Returns the lock and, when the previous holder died without releasing it cleanly, that
    /// holder (the caller warns about the takeover).
    pub fn acquire(output: &Path) -> Result<(RunLock, Option<Holder>), LockError> {
        let path = lock_path(output);
        let io = |source: std::io::Error| LockError::Io {
            path: path.clone(),
            source,
        };
        let state = output.join(STATE_DIR);
        std::fs::create_dir_all(&state).map_err(io)?;
        let dir = File::open(&state).map_err(io)?;
        let busy = || LockError::Busy {
            output: output.to_path_buf(),
            holder: read_holder(output),
        };
        match FileExt::try_lock(&dir) {
            Ok(()) => {}
            Err(fs4::TryLockError::WouldBlock) => return Err(busy()),
            Err(fs4::TryLockError::Error(e)) => return Err(io(e)),
        }
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        match FileExt::try_lock(&file) {
            Ok(()) => {}
            Err(fs4::TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = file.read_to_string(&mut text);
                return Err(LockError::Busy {
                    output: output.to_path_buf(),
                    holder: parse_holder(&text),
                });
            }
            Err(fs4::TryLockError::Error(e)) => return Err(io(e)),
        }
        let mut text = String::new();
        let _ = file.read_to_string(&mut text);
        let stale = parse_holder(&text);
        let me = Holder {
            pid: std::process::id(),
            started_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            version: env!("CARGO_PKG_VERSION").to_string(),
        };
        let json = serde_json::to_string(&me).map_err(|e| io(std::io::Error::other(e)))?;
        file.set_len(0).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        file.write_all(format!("{json}\n").as_bytes()).map_err(io)?;
        file.sync_data().map_err(io)?;
        Ok((RunLock { file, path, dir }, stale))
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        // an empty file tells the next run that this one ended cleanly
        let _ = self.file.set_len(0);
        let _ = self.file.sync_data();
        let _ = FileExt::unlock(&self.file);
        let _ = FileExt::unlock(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_is_refused_and_names_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let (held, stale) = RunLock::acquire(dir.path()).unwrap();
        assert!(stale.is_none());
        match RunLock::acquire(dir.path()) {
            Err(LockError::Busy { holder, .. }) => {
                assert_eq!(holder.unwrap().pid, std::process::id());
            }
            other => panic!("expected Busy, got {other:?}"),
        }
        assert_eq!(read_holder(dir.path()).unwrap().pid, std::process::id());
        drop(held);
        assert!(
            read_holder(dir.path()).is_none(),
            "released lock is emptied"
        );
        let (_again, stale) = RunLock::acquire(dir.path()).unwrap();
        assert!(stale.is_none(), "a clean release is not stale");
    }

    #[test]
    fn deleting_the_lock_file_does_not_let_a_second_run_in() {
        let dir = tempfile::tempdir().unwrap();
        let (_held, _) = RunLock::acquire(dir.path()).unwrap();
        std::fs::remove_file(lock_path(dir.path())).unwrap();
        assert!(
            matches!(RunLock::acquire(dir.path()), Err(LockError::Busy { .. })),
            "the state folder is still locked"
        );
    }

    #[test]
    fn lock_left_by_a_dead_holder_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = lock_path(dir.path());
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            &path,
            r#"{"pid":999999,"started_at":"2024-01-01T00:00:00Z","version":"0.0.1"}"#,
        )
        .unwrap();
        let (_lock, stale) = RunLock::acquire(dir.path()).unwrap();
        assert_eq!(stale.unwrap().pid, 999_999);
        assert_eq!(read_holder(dir.path()).unwrap().pid, std::process::id());
    }
}
