//! Incremental runs: what the last published run read, and a cache of per-file results.
//!
//! Every published generation carries `state.json`: each input file's content hash and
//! whether it was processed, plus the [`ExtractionKey`] it was extracted under. Per-file
//! results live in `OUTPUT/.zonefacts/cache/KEY/`, one zstd-compressed MessagePack file per (path, content
//! hash), written as soon as a file is extracted, so even a killed run leaves reusable work.
//! A cache entry is only ever read under the key that wrote it: a new program build, a changed
//! `pipeline.toml` or gazetteer gives a new key, hence an empty cache and a full rebuild.
//! Every file is read and hashed on every run; the hash, never size or mtime, decides reuse.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::model::Page;

/// File name of the run state inside a generation folder.
pub const STATE_FILE: &str = "state.json";
/// Folder of the extraction cache inside the state folder.
pub const CACHE_DIR: &str = "cache";
/// Version of the state and cache formats; bumping it invalidates old caches.
pub const STATE_FORMAT: u32 = 1;
const ENTRY_EXT: &str = "mpk";

/// Everything a per-file extraction result depends on besides the file's bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtractionKey {
    /// State and cache format version.
    pub format: u32,
    /// Program version (`CARGO_PKG_VERSION`).
    pub version: String,
    /// Identity of the executable (size and modification time), so a rebuilt binary with
    /// changed extraction code does not reuse results of the old one.
    pub build: String,
    /// blake3 of `pipeline.toml` ([`Config::hash`]).
    pub config_hash: String,
    /// blake3 of the gazetteer file the config points to.
    pub gazetteer_hash: String,
}

impl ExtractionKey {
    /// The key of this program with this config.
    pub fn current(cfg: &Config) -> ExtractionKey {
        let gazetteer_hash = std::fs::read(cfg.resolve(&cfg.zones.gazetteer))
            .map(|b| blake3::hash(&b).to_hex().to_string())
            .unwrap_or_default();
        ExtractionKey {
            format: STATE_FORMAT,
            version: env!("CARGO_PKG_VERSION").to_string(),
            build: build_id(),
            config_hash: cfg.hash.clone(),
            gazetteer_hash,
        }
    }

    /// Short stable id of the key (names the cache folder).
    pub fn id(&self) -> String {
        let text = format!(
            "{}\n{}\n{}\n{}\n{}",
            self.format, self.version, self.build, self.config_hash, self.gazetteer_hash
        );
        blake3::hash(text.as_bytes()).to_hex()[..16].to_string()
    }

    /// Why results extracted under `previous` cannot be reused under `self`, if they cannot.
    pub fn rebuild_reason(&self, previous: &ExtractionKey) -> Option<String> {
        if self.format != previous.format {
            Some("the state format changed".into())
        } else if self.version != previous.version {
            Some(format!(
                "the program version changed ({} -> {})",
                previous.version, self.version
            ))
        } else if self.config_hash != previous.config_hash {
            Some("the configuration changed".into())
        } else if self.gazetteer_hash != previous.gazetteer_hash {
            Some("the gazetteer changed".into())
        } else if self.build != previous.build {
            Some("the program was rebuilt".into())
        } else {
            None
        }
    }
}

/// Size and modification time of the running executable, or empty when unknown.
fn build_id() -> String {
    let meta = std::env::current_exe().and_then(std::fs::metadata);
    match meta {
        Ok(m) => {
            let mtime = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}-{mtime}", m.len())
        }
        Err(_) => String::new(),
    }
}

/// One input file as a run saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileState {
    /// blake3 of the bytes, when they could be read.
    pub content_hash: Option<String>,
    /// Size in bytes.
    pub size: u64,
    /// Whether the file made it into the tables.
    pub processed: bool,
}

/// `state.json`: what one published run read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunState {
    /// The key the run extracted under.
    pub key: ExtractionKey,
    /// Every input file, by relative path.
    pub files: BTreeMap<String, FileState>,
}

/// Why a state or cache operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// Reading or writing a file failed.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// A value could not be encoded.
    #[error("cannot encode {what}: {message}")]
    Encode {
        /// What was being encoded.
        what: &'static str,
        /// The encoder's message.
        message: String,
    },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> StateError + '_ {
    move |source| StateError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl RunState {
    /// Reads a state file; `None` when it is missing or unreadable (then nothing is reused).
    pub fn load(path: &Path) -> Option<RunState> {
        let bytes = std::fs::read(path).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Writes the state file (pretty JSON, keys in path order).
    pub fn write(&self, path: &Path) -> Result<(), StateError> {
        use std::io::Write as _;
        let f = std::fs::File::create(path).map_err(io_err(path))?;
        let mut w = std::io::BufWriter::new(f);
        serde_json::to_writer_pretty(&mut w, self).map_err(|e| StateError::Encode {
            what: "state.json",
            message: e.to_string(),
        })?;
        w.write_all(b"\n")
            .and_then(|()| w.flush())
            .map_err(io_err(path))
    }
}

/// zstd level of cache entries. A page's MessagePack is 2.6 times the size of its source
/// file (every figure carries its sentence); compressed at level 1 it is a fraction of it,
/// which matters because a full run writes an entry for every file.
const ENTRY_ZSTD_LEVEL: i32 = 1;

/// A cached per-file result: a page, or a rejection that depends only on the bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cached {
    /// The file was processed into this page.
    Page(Box<Page>),
    /// The file was rejected.
    Rejected {
        /// Rejection code (see [`crate::pipeline::Rejection`]).
        kind: String,
        /// The sentence for people.
        reason: String,
    },
}

#[derive(Serialize, Deserialize)]
struct Entry {
    source_file: String,
    content_hash: String,
    result: Cached,
}

/// The extraction cache of one [`ExtractionKey`].
#[derive(Debug, Clone)]
pub struct Cache {
    root: PathBuf,
    dir: PathBuf,
}

impl Cache {
    /// Opens (creating) the cache folder of `key` under the state folder `state_dir`.
    pub fn open(state_dir: &Path, key: &ExtractionKey) -> Result<Cache, StateError> {
        let root = state_dir.join(CACHE_DIR);
        let dir = root.join(key.id());
        std::fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        Ok(Cache { root, dir })
    }

    /// The folder holding this key's entries.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn entry_name(rel_path: &str, content_hash: &str) -> String {
        let h = blake3::hash(format!("{rel_path}\0{content_hash}").as_bytes());
        format!("{}.{ENTRY_EXT}", &h.to_hex()[..32])
    }

    /// The cached result for a file's path and content, if there is a sound one.
    ///
    /// An entry that is truncated, corrupt or for another file is treated as missing.
    pub fn get(&self, rel_path: &str, content_hash: &str) -> Option<Cached> {
        let bytes = std::fs::read(self.dir.join(Self::entry_name(rel_path, content_hash))).ok()?;
        if bytes.len() < 32 {
            return None;
        }
        let (sum, payload) = bytes.split_at(32);
        if blake3::hash(payload).as_bytes() != sum {
            return None;
        }
        let packed = zstd::stream::decode_all(payload).ok()?;
        let entry: Entry = rmp_serde::from_slice(&packed).ok()?;
        (entry.source_file == rel_path && entry.content_hash == content_hash)
            .then_some(entry.result)
    }

    /// Stores a file's result.
    pub fn put(
        &self,
        rel_path: &str,
        content_hash: &str,
        result: &Cached,
    ) -> Result<(), StateError> {
        let entry = EntryRef {
            source_file: rel_path,
            content_hash,
            result,
        };
        let packed = rmp_serde::to_vec(&entry).map_err(|e| StateError::Encode {
            what: "a cache entry",
            message: e.to_string(),
        })?;
        let payload =
            zstd::bulk::compress(&packed, ENTRY_ZSTD_LEVEL).map_err(|e| StateError::Encode {
                what: "a cache entry",
                message: e.to_string(),
            })?;
        let mut bytes = Vec::with_capacity(payload.len() + 32);
        bytes.extend_from_slice(blake3::hash(&payload).as_bytes());
        bytes.extend_from_slice(&payload);
        // written in place, not to a temporary name and renamed: an entry cut short by a
        // killed run fails its checksum and is simply missing, and creating one file instead
        // of two per extracted file halves the inode churn that showed in the profile
        let path = self.dir.join(Self::entry_name(rel_path, content_hash));
        std::fs::write(&path, &bytes).map_err(io_err(&path))
    }

    /// Deletes every entry not named in `keep` (path, content hash) and the folders of every
    /// other key. Returns how many entries and folders were removed.
    pub fn retain<'a>(
        &self,
        keep: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<usize, StateError> {
        let keep: BTreeSet<String> = keep
            .into_iter()
            .map(|(p, h)| Self::entry_name(p, h))
            .collect();
        let mut removed = 0;
        for e in std::fs::read_dir(&self.dir).map_err(io_err(&self.dir))? {
            let e = e.map_err(io_err(&self.dir))?;
            let name = e.file_name().to_string_lossy().into_owned();
            if !keep.contains(&name) {
                let p = e.path();
                std::fs::remove_file(&p).map_err(io_err(&p))?;
                removed += 1;
            }
        }
        for e in std::fs::read_dir(&self.root).map_err(io_err(&self.root))? {
            let e = e.map_err(io_err(&self.root))?;
            let p = e.path();
            if p != self.dir {
                let r = if p.is_dir() {
                    std::fs::remove_dir_all(&p)
                } else {
                    std::fs::remove_file(&p)
                };
                r.map_err(io_err(&p))?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

#[derive(Serialize)]
struct EntryRef<'a> {
    source_file: &'a str,
    content_hash: &'a str,
    result: &'a Cached,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> ExtractionKey {
        ExtractionKey {
            format: STATE_FORMAT,
            version: "1.0.0".into(),
            build: "b".into(),
            config_hash: "c".into(),
            gazetteer_hash: "g".into(),
        }
    }

    fn page() -> Page {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/input/000_8497b564e903e125.txt"
        ))
        .unwrap();
        let cfg = Config::load(Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/pipeline.toml"
        )))
        .unwrap();
        let lex = crate::lexicon::Lexicon::from_config(&cfg).unwrap();
        crate::pipeline::process_bytes("a/b.txt", text.as_bytes(), &lex).unwrap()
    }

    #[test]
    fn a_page_round_trips_exactly_through_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), &key()).unwrap();
        let p = page();
        assert!(p.articles.iter().any(|a| !a.figures.is_empty()));
        cache
            .put(
                "a/b.txt",
                &p.content_hash,
                &Cached::Page(Box::new(p.clone())),
            )
            .unwrap();
        match cache.get("a/b.txt", &p.content_hash) {
            Some(Cached::Page(back)) => assert_eq!(*back, p),
            other => panic!("expected the page back, got {other:?}"),
        }
        assert!(
            cache.get("a/c.txt", &p.content_hash).is_none(),
            "other path"
        );
        assert!(cache.get("a/b.txt", "00").is_none(), "other content");
    }

    #[test]
    fn corrupt_entries_are_misses_and_retain_collects_garbage() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), &key()).unwrap();
        let rej = Cached::Rejected {
            kind: "empty".into(),
            reason: "empty file".into(),
        };
        cache.put("x.txt", "h1", &rej).unwrap();
        cache.put("y.txt", "h2", &rej).unwrap();
        let path = cache.dir().join(Cache::entry_name("x.txt", "h1"));
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        std::fs::write(&path, &bytes).unwrap();
        assert!(
            cache.get("x.txt", "h1").is_none(),
            "checksum catches damage"
        );
        assert_eq!(cache.get("y.txt", "h2"), Some(rej));

        let mut other = key();
        other.config_hash = "d".into();
        let stale = Cache::open(dir.path(), &other).unwrap();
        stale
            .put(
                "y.txt",
                "h2",
                &Cached::Rejected {
                    kind: "binary".into(),
                    reason: "b".into(),
                },
            )
            .unwrap();
        assert!(cache.get("y.txt", "h2").is_some());
        let removed = cache.retain([("y.txt", "h2")]).unwrap();
        assert_eq!(removed, 2, "x.txt's entry and the other key's folder");
        assert!(!stale.dir().exists());
        assert!(cache.get("y.txt", "h2").is_some());
    }

    #[test]
    fn key_changes_name_their_reason() {
        let a = key();
        assert_eq!(a.rebuild_reason(&a), None);
        let mut b = a.clone();
        b.version = "0.9.0".into();
        assert!(a.rebuild_reason(&b).unwrap().contains("version"));
        let mut c = a.clone();
        c.config_hash = "x".into();
        assert!(a.rebuild_reason(&c).unwrap().contains("configuration"));
        assert_ne!(a.id(), c.id());
    }
}
