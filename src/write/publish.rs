//! Atomic publication: the files of one run appear together or not at all.
//!
//! Layout of an output folder:
//!
//! ```text
//! OUTPUT/articles.parquet  -> .zonefacts/current/articles.parquet   (stable symbolic links,
//! OUTPUT/_manifest.json    -> .zonefacts/current/_manifest.json      one per output file)
//! OUTPUT/.zonefacts/current -> gen-000042                            (the one switched link)
//! OUTPUT/.zonefacts/gen-000042/   tables, rejected.csv, _manifest.json, state.json
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

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The state folder inside the output folder.
pub const STATE_DIR: &str = ".zonefacts";
/// The link in the state folder naming the published generation.
pub const CURRENT: &str = "current";
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

/// Removes what interrupted runs left behind: staging folders, generations no link points
/// to, half-made links, and the staging folders of older zonefacts versions. Must be called
/// with the run lock held. Returns the removed paths, relative to the output folder.
pub fn recover(output: &Path) -> Result<Vec<String>> {
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
            let stale_gen = gen_number(&name).is_some() && current.as_deref() != Some(&name);
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
}

impl Staging {
    /// Creates an empty staging folder `OUTPUT/.zonefacts/staging-PID`.
    pub fn begin(output: &Path) -> Result<Staging> {
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

        if let Some(prev) = previous.filter(|p| *p != gen_name) {
            let old = state.join(prev);
            if old.is_dir() {
                // best effort: a leftover is removed by the next run's `recover`
                let _ = std::fs::remove_dir_all(&old);
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
        let s = Staging::begin(output).unwrap();
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
        let removed = recover(out).unwrap();
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
        assert!(recover(out).unwrap().is_empty());
    }
}
