//! Atomic publication: the files of one run appear together or not at all.
//!
//! Layout of an output folder:
//!
//! ```text
//! OUTPUT/articles.parquet  -> .zonefacts/current/articles.parquet   (stable symbolic links,
//! OUTPUT/_manifest.json    -> .zonefacts/current/_manifest.json      one per output file)
//! OUTPUT/current           -> .zonefacts/current                     (the whole run, resolved
//!                                                                     once to read several tables)
//! OUTPUT/.zonefacts/current -> gen-000042                            (the one switched link)
//! OUTPUT/.zonefacts/gen-000042/   tables, rejected.csv, _manifest.json, state.json
//! OUTPUT/.zonefacts/gen-000041/   the replaced run, readable for `output.keep_previous_seconds`
//! OUTPUT/.zonefacts/staging-PID/  what a run is writing
//! OUTPUT/.zonefacts/cache/        per-file extraction cache (see `state`)
//! OUTPUT/.zonefacts/lock          the run lock (see `lock`)
//! ```
//!
//! A run writes everything into its staging folder, syncs it, renames it to the next
//! generation, and then replaces the `current` link in one `rename`: readers of
//! `OUTPUT/articles.parquet` see either the whole previous run or the whole new one, whenever
//! the writer is killed. Leftovers of a killed run (staging folders, unreferenced generations)
//! are removed by [`recover`] at the start of the next run, under the run lock.
//!
//! A reader of several tables resolves `OUTPUT/current` once and reads every table from the
//! generation folder it names: a run that publishes meanwhile switches the link, not the
//! folder. The replaced generation is marked retired (a [`RETIRED`] file whose time is the
//! switch) and deleted only once it has been retired for the configured time, so the reader
//! finishes on the run it started on.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result};

/// The state folder inside the output folder.
pub const STATE_DIR: &str = ".zonefacts";
/// The link in the state folder naming the published generation.
pub const CURRENT: &str = "current";
/// The user-facing link naming the published generation as a whole.
pub const SNAPSHOT: &str = "current";
/// The file in a replaced generation whose modification time is when it was replaced.
pub const RETIRED: &str = ".retired";
const GEN_PREFIX: &str = "gen-";
const STAGING_PREFIX: &str = "staging-";
const TMP_MARK: &str = ".zftmp-";

/// The state folder of an output folder.
pub fn state_dir(output: &Path) -> PathBuf {
    output.join(STATE_DIR)
}

/// The published generation folder (through the `current` link).
pub fn current_dir(output: &Path) -> PathBuf {
    state_dir(output).join(CURRENT)
}

/// Relative target of the user-facing link `OUTPUT/name`.
fn link_target(name: &str) -> PathBuf {
    Path::new(STATE_DIR).join(CURRENT).join(name)
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path, _is_dir: bool) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(windows)]
fn symlink(target: &Path, link: &Path, is_dir: bool) -> std::io::Result<()> {
    if is_dir {
        std::os::windows::fs::symlink_dir(target, link)
    } else {
        std::os::windows::fs::symlink_file(target, link)
    }
}

/// Creates `link -> target` atomically, replacing whatever is at `link`.
fn replace_link(target: &Path, link: &Path, is_dir: bool) -> Result<()> {
    let name = link
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = link.with_file_name(format!(".{name}{TMP_MARK}{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    symlink(target, &tmp, is_dir).with_context(|| {
        format!(
            "cannot create the symbolic link {} (the output folder must be on a file system with symbolic links)",
            tmp.display()
        )
    })?;
    std::fs::rename(&tmp, link)
        .with_context(|| format!("cannot move the link {} into place", link.display()))
}

/// Flushes a folder's entries (renames, new files) to disk. Best effort: not every file
/// system can sync a folder.
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

fn gen_number(name: &str) -> Option<u64> {
    name.strip_prefix(GEN_PREFIX)?.parse().ok()
}

/// The generation folder name `current` points to, if any.
fn current_gen(output: &Path) -> Option<String> {
    let target = std::fs::read_link(current_dir(output)).ok()?;
    Some(target.file_name()?.to_string_lossy().into_owned())
}

/// Whether a generation that is not current may be deleted: it was never published (a
/// killed run's), or it was replaced at least `keep` ago.
fn expired(gen: &Path, keep: Duration) -> bool {
    let replaced = std::fs::metadata(gen.join(RETIRED)).and_then(|m| m.modified());
    match replaced {
        Ok(t) => SystemTime::now()
            .duration_since(t)
            .is_ok_and(|age| age >= keep),
        Err(_) => true,
    }
}

/// Removes what interrupted runs left behind: staging folders, generations no link points
/// to (but replaced ones younger than `keep`, which readers may still be reading),
/// half-made links, and the staging folders of older zonefacts versions. Must be called
/// with the run lock held. Returns the removed paths, relative to the output folder.
pub fn recover(output: &Path, keep: Duration) -> Result<Vec<String>> {
    let mut removed = Vec::new();
    let state = state_dir(output);
    let current = current_gen(output);
    if state.is_dir() {
        let entries = std::fs::read_dir(&state)
            .with_context(|| format!("cannot list {}", state.display()))?;
        for e in entries {
            let e = e.with_context(|| format!("cannot list {}", state.display()))?;
            let name = e.file_name().to_string_lossy().into_owned();
            let path = e.path();
            let stale_gen = gen_number(&name).is_some()
                && current.as_deref() != Some(&name)
                && expired(&path, keep);
            if name.starts_with(STAGING_PREFIX) || stale_gen {
                std::fs::remove_dir_all(&path)
                    .with_context(|| format!("cannot remove {}", path.display()))?;
            } else if name.contains(TMP_MARK) {
                std::fs::remove_file(&path)
                    .with_context(|| format!("cannot remove {}", path.display()))?;
            } else {
                continue;
            }
            removed.push(format!("{STATE_DIR}/{name}"));
        }
    }
    if output.is_dir() {
        let entries = std::fs::read_dir(output)
            .with_context(|| format!("cannot list {}", output.display()))?;
        for e in entries {
            let e = e.with_context(|| format!("cannot list {}", output.display()))?;
            let name = e.file_name().to_string_lossy().into_owned();
            let path = e.path();
            if name.starts_with(".staging-") && path.is_dir() {
                // the writer of zonefacts 0.1 staged here
                std::fs::remove_dir_all(&path)
                    .with_context(|| format!("cannot remove {}", path.display()))?;
            } else if name.starts_with('.') && name.contains(TMP_MARK) {
                std::fs::remove_file(&path)
                    .with_context(|| format!("cannot remove {}", path.display()))?;
            } else {
                continue;
            }
            removed.push(name);
        }
    }
    removed.sort();
    Ok(removed)
}

/// A staging folder being filled by one run.
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    /// How long the generation this one replaces stays readable.
    keep: Duration,
}

impl Staging {
    /// Creates an empty staging folder `OUTPUT/.zonefacts/staging-PID`. The generation it
    /// replaces when committed stays readable for `keep`.
    pub fn begin(output: &Path, keep: Duration) -> Result<Staging> {
        let dir = state_dir(output).join(format!("{STAGING_PREFIX}{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)
                .with_context(|| format!("cannot clear {}", dir.display()))?;
        }
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create staging folder {}", dir.display()))?;
        Ok(Staging {
            output: output.to_path_buf(),
            dir,
            keep,
        })
    }

    /// The folder to write into.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Publishes the staged files: sync, rename to the next generation, switch `current`,
    /// then make sure `OUTPUT/NAME` links to `current/NAME` for each of `names` and that no
    /// link is left for outputs this run did not write. Returns the generation folder.
    pub fn commit(self, names: &[String]) -> Result<PathBuf> {
        for name in names {
            let p = self.dir.join(name);
            let f = std::fs::File::open(&p)
                .with_context(|| format!("staged file {} is missing", p.display()))?;
            f.sync_all()
                .with_context(|| format!("cannot sync {}", p.display()))?;
        }
        sync_dir(&self.dir);

        let state = state_dir(&self.output);
        let next = std::fs::read_dir(&state)
            .with_context(|| format!("cannot list {}", state.display()))?
            .filter_map(|e| e.ok())
            .filter_map(|e| gen_number(&e.file_name().to_string_lossy()))
            .chain(current_gen(&self.output).as_deref().and_then(gen_number))
            .max()
            .map_or(1, |n| n + 1);
        let gen_name = format!("{GEN_PREFIX}{next:06}");
        let gen = state.join(&gen_name);
        std::fs::rename(&self.dir, &gen)
            .with_context(|| format!("cannot move the staging folder to {}", gen.display()))?;
        sync_dir(&state);

        // A user-facing link that does not exist yet is created before the switch: it dangles
        // (reads as absent) until `current` points to a generation that holds its file.
        for name in names {
            let link = self.output.join(name);
            if std::fs::symlink_metadata(&link).is_err() {
                replace_link(&link_target(name), &link, false)?;
            }
        }
        sync_dir(&self.output);

        // The switch: one rename of a link.
        let previous = current_gen(&self.output);
        replace_link(Path::new(&gen_name), &current_dir(&self.output), true)?;
        sync_dir(&state);

        // Plain files from an older layout (or foreign links) become links now; links to
        // outputs this run did not write (a format was switched off) go.
        for name in names {
            let link = self.output.join(name);
            let ours = std::fs::read_link(&link).is_ok_and(|t| t == link_target(name));
            if !ours {
                replace_link(&link_target(name), &link, false)?;
            }
        }
        let entries = std::fs::read_dir(&self.output)
            .with_context(|| format!("cannot list {}", self.output.display()))?;
        for e in entries.filter_map(|e| e.ok()) {
            let name = e.file_name().to_string_lossy().into_owned();
            let ours = std::fs::read_link(e.path()).is_ok_and(|t| t == link_target(&name));
            if ours && !names.contains(&name) {
                std::fs::remove_file(e.path())
                    .with_context(|| format!("cannot remove {}", e.path().display()))?;
            }
        }
        sync_dir(&self.output);

        // the one link to the whole run, made once
        let snapshot = self.output.join(SNAPSHOT);
        let snapshot_target = Path::new(STATE_DIR).join(CURRENT);
        if std::fs::read_link(&snapshot).ok().as_deref() != Some(snapshot_target.as_path()) {
            if std::fs::symlink_metadata(&snapshot).is_ok_and(|m| !m.file_type().is_symlink()) {
                anyhow::bail!(
                    "{} is in the way of the link to the published run; move it away",
                    snapshot.display()
                );
            }
            replace_link(&snapshot_target, &snapshot, true)?;
        }

        // the replaced generation is retired now; it and older ones go once retired long
        // enough (best effort: what is left is removed by a later run)
        if let Some(prev) = previous.filter(|p| *p != gen_name) {
            let old = state.join(prev);
            if old.is_dir() {
                let _ = std::fs::write(old.join(RETIRED), b"");
            }
        }
        if let Ok(entries) = std::fs::read_dir(&state) {
            for e in entries.filter_map(|e| e.ok()) {
                let name = e.file_name().to_string_lossy().into_owned();
                let retired = e.path().join(RETIRED).is_file();
                if gen_number(&name).is_some()
                    && name != gen_name
                    && retired
                    && expired(&e.path(), self.keep)
                {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        Ok(gen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn stage(output: &Path, files: &[(&str, &str)]) -> Staging {
        let s = Staging::begin(output, Duration::ZERO).unwrap();
        for (n, body) in files {
            std::fs::write(s.dir().join(n), body).unwrap();
        }
        s
    }

    #[test]
    fn generations_switch_and_links_stay() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let all = names(&["a.csv", "b.csv", "_manifest.json"]);
        let s = stage(
            out,
            &[("a.csv", "1"), ("b.csv", "1"), ("_manifest.json", "m1")],
        );
        let g1 = s.commit(&all).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a.csv")).unwrap(), "1");
        assert!(std::fs::symlink_metadata(out.join("a.csv"))
            .unwrap()
            .file_type()
            .is_symlink());

        let s = stage(out, &[("a.csv", "2"), ("_manifest.json", "m2")]);
        let g2 = s.commit(&names(&["a.csv", "_manifest.json"])).unwrap();
        assert_ne!(g1, g2);
        assert!(!g1.exists(), "the previous generation is removed");
        assert_eq!(std::fs::read_to_string(out.join("a.csv")).unwrap(), "2");
        assert_eq!(
            std::fs::read_to_string(out.join("_manifest.json")).unwrap(),
            "m2"
        );
        assert!(
            std::fs::symlink_metadata(out.join("b.csv")).is_err(),
            "an output no longer written loses its link"
        );
    }

    #[test]
    fn a_replaced_generation_stays_readable_for_the_keep_time_then_goes() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let all = names(&["a.csv", "b.csv"]);
        let hour = Duration::from_secs(3600);
        let publish = |body: &str| {
            let s = Staging::begin(out, hour).unwrap();
            std::fs::write(s.dir().join("a.csv"), body).unwrap();
            std::fs::write(s.dir().join("b.csv"), body).unwrap();
            s.commit(&all).unwrap()
        };
        let g1 = publish("1");
        // a reader resolves the run once
        let resolved = std::fs::canonicalize(out.join(SNAPSHOT)).unwrap();
        assert_eq!(resolved, std::fs::canonicalize(&g1).unwrap());
        let g2 = publish("2");
        assert_eq!(std::fs::read_to_string(out.join("a.csv")).unwrap(), "2");
        // …and goes on reading the run it started on
        assert_eq!(
            std::fs::read_to_string(resolved.join("b.csv")).unwrap(),
            "1"
        );
        assert!(g1.join(RETIRED).is_file());
        assert!(
            recover(out, hour).unwrap().is_empty(),
            "kept within the hour"
        );
        // once retired longer than the keep time, the next publication removes it
        let long_ago = SystemTime::now() - Duration::from_secs(7200);
        std::fs::File::options()
            .write(true)
            .open(g1.join(RETIRED))
            .unwrap()
            .set_modified(long_ago)
            .unwrap();
        let g3 = publish("3");
        assert!(!g1.exists(), "retired two hours ago");
        assert!(g2.exists(), "just replaced");
        assert_eq!(
            std::fs::read_to_string(out.join(SNAPSHOT).join("a.csv")).unwrap(),
            "3"
        );
        assert!(g3.exists());
    }

    #[test]
    fn plain_files_of_the_old_layout_become_links() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        std::fs::write(out.join("a.csv"), "old").unwrap();
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        let all = names(&["a.csv"]);
        stage(out, &[("a.csv", "new")]).commit(&all).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a.csv")).unwrap(), "new");
        assert_eq!(
            std::fs::read_to_string(out.join("notes.txt")).unwrap(),
            "mine",
            "files zonefacts does not write are left alone"
        );
    }

    #[test]
    fn recover_removes_leftovers_of_a_killed_run_only() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let all = names(&["a.csv"]);
        stage(out, &[("a.csv", "1")]).commit(&all).unwrap();
        // a run killed after staging, and one killed after its rename to a generation
        std::fs::create_dir_all(state_dir(out).join("staging-4242")).unwrap();
        std::fs::create_dir_all(state_dir(out).join("gen-000099")).unwrap();
        std::fs::create_dir_all(out.join(".staging-77")).unwrap();
        std::fs::write(out.join(".a.csv.zftmp-5"), "").unwrap();
        std::fs::create_dir_all(state_dir(out).join("cache")).unwrap();
        let removed = recover(out, Duration::from_secs(3600)).unwrap();
        assert_eq!(
            removed,
            [
                ".a.csv.zftmp-5",
                ".staging-77",
                ".zonefacts/gen-000099",
                ".zonefacts/staging-4242"
            ]
        );
        assert_eq!(std::fs::read_to_string(out.join("a.csv")).unwrap(), "1");
        assert!(state_dir(out).join("cache").is_dir());
        assert!(recover(out, Duration::from_secs(3600)).unwrap().is_empty());
    }
}
