//! Stage 1: find the input files.
//!
//! Walks the input folder recursively and keeps the files that match the config's include
//! globs and none of its exclude globs, in a stable order (sorted by relative path with `/`
//! separators), so two runs over the same folder see the same files in the same order.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use globset::{Glob, GlobSet, GlobSetBuilder};

/// One input file found by the walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// Path relative to the input folder, `/`-separated: the file's identity in every table.
    pub rel_path: String,
    /// Path to open.
    pub path: PathBuf,
    /// Size in bytes as listed by the walk (the file may change before it is read).
    pub size: u64,
}

/// A file the walk saw but could not list (permission denied on a folder, a broken link).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnlistedFile {
    /// Relative path, as far as it is known.
    pub rel_path: String,
    /// Why it could not be listed.
    pub reason: String,
}

/// Compiled include/exclude patterns.
#[derive(Debug, Clone)]
pub struct FileFilter {
    include: GlobSet,
    exclude: GlobSet,
    /// Folders never walked into, whatever the globs: the run's own output folder.
    skip_dirs: Vec<std::path::PathBuf>,
}

impl FileFilter {
    /// Compiles the patterns; fails on a bad glob.
    pub fn new(include: &[String], exclude: &[String]) -> Result<FileFilter> {
        Ok(FileFilter {
            include: build_set(include)?,
            exclude: build_set(exclude)?,
            skip_dirs: Vec::new(),
        })
    }

    /// Never reads below `dir` (the output folder inside the input folder would otherwise feed
    /// the run its own tables back, night after night). A folder that does not exist yet has
    /// nothing to read.
    pub fn skip_dir(mut self, dir: &Path) -> FileFilter {
        if let Ok(c) = dir.canonicalize() {
            self.skip_dirs.push(c);
        }
        self
    }

    fn skips(&self, dir: &Path) -> bool {
        !self.skip_dirs.is_empty()
            && dir
                .canonicalize()
                .is_ok_and(|c| self.skip_dirs.contains(&c))
    }

    /// The `[input]` include and exclude globs of a config.
    pub fn from_config(cfg: &crate::config::Config) -> Result<FileFilter> {
        let globs =
            |v: &[toml::Spanned<String>]| v.iter().map(|s| s.get_ref().clone()).collect::<Vec<_>>();
        FileFilter::new(&globs(&cfg.input.include), &globs(&cfg.input.exclude))
    }

    /// True when a relative path is to be read.
    pub fn accepts(&self, rel_path: &str) -> bool {
        self.include.is_match(rel_path) && !self.exclude.is_match(rel_path)
    }
}

fn build_set(patterns: &[String]) -> Result<GlobSet> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        b.add(Glob::new(p).with_context(|| format!("bad glob {p:?}"))?);
    }
    Ok(b.build()?)
}

/// Lists the input files under `root` that pass `filter`, sorted by relative path.
///
/// A missing or unreadable root is an error (the run must stop before writing anything);
/// entries that cannot be listed below it are returned separately so they can be rejected.
pub fn discover(root: &Path, filter: &FileFilter) -> Result<(Vec<InputFile>, Vec<UnlistedFile>)> {
    if !root.exists() {
        bail!("input folder {} does not exist", root.display());
    }
    if !root.is_dir() {
        bail!("input path {} is not a folder", root.display());
    }
    std::fs::read_dir(root)
        .with_context(|| format!("cannot read input folder {}", root.display()))?;
    let mut files = Vec::new();
    let mut unlisted = Vec::new();
    let walk = walkdir::WalkDir::new(root)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| !(e.file_type().is_dir() && filter.skips(e.path())));
    for entry in walk {
        match entry {
            Ok(e) => {
                if e.file_type().is_dir() {
                    continue;
                }
                let rel = rel_string(root, e.path());
                if !filter.accepts(&rel) {
                    continue;
                }
                if !e.file_type().is_file() {
                    // a FIFO, socket or device: never opened (a FIFO would block the run)
                    unlisted.push(UnlistedFile {
                        rel_path: rel,
                        reason: "is not a regular file (a FIFO, socket or device): not read".into(),
                    });
                    continue;
                }
                let meta = e.metadata().ok();
                let size = meta.as_ref().map_or(0, |m| m.len());
                let identity = meta.map(|m| {
                    use std::os::unix::fs::MetadataExt;
                    (m.dev(), m.ino())
                });
                files.push((
                    identity,
                    InputFile {
                        rel_path: rel,
                        path: e.path().to_path_buf(),
                        size,
                    },
                ));
            }
            Err(err) => {
                let rel = err
                    .path()
                    .map(|p| rel_string(root, p))
                    .unwrap_or_else(|| "?".to_string());
                // a folder that cannot be listed (permissions, a path over PATH_MAX) may hide
                // files the globs want: it is listed whatever its name, so that no file
                // vanishes unreported; a file that does not match the globs is left out
                let unmatched_file = err
                    .path()
                    .is_some_and(|p| p.is_file() && !filter.accepts(&rel));
                if !unmatched_file {
                    unlisted.push(UnlistedFile {
                        rel_path: rel,
                        reason: format!("cannot be listed: {err}"),
                    });
                }
            }
        }
    }
    files.sort_by(|a, b| a.1.rel_path.cmp(&b.1.rel_path));
    // a name that is literally what another's escaped bytes read as (`a\xFF.txt`): one key,
    // one file; the later is listed as rejected
    let mut keyed: Vec<(Option<(u64, u64)>, InputFile)> = Vec::with_capacity(files.len());
    for (identity, f) in files {
        if keyed
            .last()
            .is_some_and(|(_, last)| last.rel_path == f.rel_path)
        {
            unlisted.push(UnlistedFile {
                reason: "its name reads the same as another file's once bytes that are not \
                         UTF-8 are written as \\xHH: not read"
                    .into(),
                rel_path: f.rel_path,
            });
            continue;
        }
        keyed.push((identity, f));
    }
    let files = keyed;
    // a file reached twice (through a link to a folder already walked) is read once, under
    // its first path; the other paths are listed as rejected, saying which path was read
    let mut first_path: std::collections::HashMap<(u64, u64), String> =
        std::collections::HashMap::new();
    let files: Vec<InputFile> = files
        .into_iter()
        .filter_map(|(identity, f)| {
            let Some(id) = identity else { return Some(f) };
            match first_path.get(&id) {
                Some(first) => {
                    unlisted.push(UnlistedFile {
                        reason: format!(
                            "the same file as {first} (reached through a link): read once"
                        ),
                        rel_path: f.rel_path,
                    });
                    None
                }
                None => {
                    first_path.insert(id, f.rel_path.clone());
                    Some(f)
                }
            }
        })
        .collect();
    unlisted.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    Ok((files, unlisted))
}

/// A path relative to the input folder, `/`-separated. Bytes of a name that are not UTF-8
/// are written `\xHH`, so two names that differ only in such bytes stay two keys (lossy
/// decoding made both `a\u{FFFD}.txt`, and every run stopped on the duplicate).
fn rel_string(root: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    rel.components()
        .map(|c| escape_name(c.as_os_str()))
        .collect::<Vec<_>>()
        .join("/")
}

/// A file name as text: its UTF-8 as it is, any other byte as `\xHH`.
fn escape_name(name: &std::ffi::OsStr) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::new();
    for chunk in name.as_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_recursively_sorted_and_filtered() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("b/0001")).unwrap();
        std::fs::create_dir_all(d.join("a")).unwrap();
        for p in [
            "b/0001/2.txt",
            "a/1.txt",
            "b/0001/1.txt",
            "_faults.csv",
            ".hidden.txt",
            "x.md",
        ] {
            std::fs::write(d.join(p), "x").unwrap();
        }
        let f = FileFilter::new(&["**/*.txt".into()], &["**/.*".into(), "**/_*".into()]).unwrap();
        let (files, unlisted) = discover(d, &f).unwrap();
        let names: Vec<_> = files.iter().map(|f| f.rel_path.as_str()).collect();
        assert_eq!(names, ["a/1.txt", "b/0001/1.txt", "b/0001/2.txt"]);
        assert!(unlisted.is_empty());
    }

    #[test]
    fn missing_root_is_an_error() {
        let f = FileFilter::new(&["**/*".into()], &[]).unwrap();
        let e = discover(Path::new("/nonexistent/zonefacts-input"), &f).unwrap_err();
        assert!(e.to_string().contains("does not exist"));
    }

    #[test]
    fn the_output_folder_inside_the_input_is_never_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "x").unwrap();
        std::fs::create_dir_all(dir.path().join("out/.zonefacts")).unwrap();
        std::fs::write(dir.path().join("out/articles.csv"), "x").unwrap();
        std::fs::write(dir.path().join("out/.zonefacts/b.txt"), "x").unwrap();
        let all = FileFilter::new(&["**/*".into()], &[]).unwrap();
        let (files, _) = discover(dir.path(), &all).unwrap();
        assert_eq!(files.len(), 3);
        let filter = all.skip_dir(&dir.path().join("out"));
        let (files, _) = discover(dir.path(), &filter).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.rel_path.as_str()).collect();
        assert_eq!(names, ["a.txt"]);
    }
}
