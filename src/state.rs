//! Incremental runs: what the last published run read, and a cache of per-file results.
//!
//! Every published generation carries `state.json`: each input file's content hash and
//! whether it was processed, plus the [`ExtractionKey`] it was extracted under. Per-file
//! results live in `OUTPUT/.zonefacts/cache/KEY/` as one *pack*: every entry a run produced or
//! reused (a zstd-compressed MessagePack record behind its blake3 checksum, keyed by path and
//! content hash), appended in file order to `N.pack`, with `N.idx` (entry, offset, length)
//! written once the pack is complete. A run reads the newest complete pack and writes the
//! next; once it is complete the older packs are deleted, so the cache holds exactly the
//! entries of the current input. One file per run instead of one per input file: creating
//! 8 533 small files cost a 212 MB run 2–3 s, most of it in the kernel (PERFORMANCE.md).
//! A cache entry is only ever read under the key that wrote it: a new program build, a changed
//! `pipeline.toml` or gazetteer gives a new key, hence an empty cache and a full rebuild.
//! Every file is read and hashed on every run; the hash, never size or mtime, decides reuse.
//! A damaged, cut-off or missing pack or index is a miss, never a wrong row.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufWriter, Write as _};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::disk::WriteBehind;
use crate::model::Page;

/// File name of the run state inside a generation folder.
pub const STATE_FILE: &str = "state.json";
/// Folder of the extraction cache inside the state folder.
pub const CACHE_DIR: &str = "cache";
/// Version of the state and cache formats; bumping it invalidates old caches.
pub const STATE_FORMAT: u32 = 1;
const PACK_EXT: &str = "pack";
const INDEX_EXT: &str = "idx";
/// First line of a pack index.
const INDEX_HEADER: &str = "zonefacts-pack 1";

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
    /// blake3 of the gazetteer and place list the config points to.
    pub gazetteer_hash: String,
}

impl ExtractionKey {
    /// The key of this program with this config.
    pub fn current(cfg: &Config) -> ExtractionKey {
        let gazetteer_hash = cfg
            .gazetteer_bytes()
            .and_then(|mut b| {
                b.extend_from_slice(cfg.places_text()?.as_bytes());
                Ok(b)
            })
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
    /// Where the file's rows are in the run's `articles.csv`, `measures.csv` and
    /// `entities.csv`, as `[offset, length]` in bytes: the next run copies these bytes for an
    /// unchanged file instead of formatting its rows again. Missing for rejected files, runs
    /// that wrote no CSV, and states written before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csv: Option<CsvRanges>,
    /// Digest of the file's articles' stories ([`crate::stories::links_digest`]): its
    /// articles and measures rows are copied only while it is unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stories: Option<String>,
}

/// An input file's rows in the three row tables' CSV files (articles, measures, entities, in
/// that order), each as `[offset, length]` in bytes.
pub type CsvRanges = [[u64; 2]; 3];

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

/// Largest decompressed cache entry read back: far above any page of a file under the
/// largest `input.max_file_size` worth caching, and a bound on what a damaged length field
/// could make a reader allocate.
const MAX_ENTRY_BYTES: usize = 1 << 30;

thread_local! {
    /// One zstd context per worker thread: creating one per entry cost as much as a fifth
    /// of compressing the entry.
    static ENTRY_COMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Compressor<'static>>> =
        const { std::cell::RefCell::new(None) };
}

/// zstd-compresses a cache entry with this thread's context.
fn compress_entry(packed: &[u8]) -> io::Result<Vec<u8>> {
    ENTRY_COMPRESSOR.with(|cell| {
        let mut slot = cell.borrow_mut();
        let compressor = match slot.as_mut() {
            Some(c) => c,
            None => slot.insert(zstd::bulk::Compressor::new(ENTRY_ZSTD_LEVEL)?),
        };
        compressor.compress(packed)
    })
}

thread_local! {
    /// One zstd decompression context per thread: creating one per entry cost about as much
    /// as decompressing a page's entry (a second pass or an incremental run reads thousands).
    static ENTRY_DECOMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Decompressor<'static>>> =
        const { std::cell::RefCell::new(None) };
}

/// zstd-decompresses a cache entry of `size` bytes with this thread's context.
fn decompress_entry(payload: &[u8], size: usize) -> io::Result<Vec<u8>> {
    ENTRY_DECOMPRESSOR.with(|cell| {
        let mut slot = cell.borrow_mut();
        let decompressor = match slot.as_mut() {
            Some(d) => d,
            None => slot.insert(zstd::bulk::Decompressor::new()?),
        };
        decompressor.decompress(payload, size)
    })
}

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

/// A result to store, borrowed: encodes exactly like [`Cached`], without copying the page.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename = "Cached")]
pub enum CachedRef<'a> {
    /// The file was processed into this page.
    Page(&'a Page),
    /// The file was rejected.
    Rejected {
        /// Rejection code.
        kind: &'a str,
        /// The sentence for people.
        reason: &'a str,
    },
}

#[derive(Deserialize)]
struct Entry {
    source_file: String,
    content_hash: String,
    result: Cached,
}

#[derive(Serialize)]
struct EntryRef<'a> {
    source_file: &'a str,
    content_hash: &'a str,
    result: CachedRef<'a>,
}

/// The extraction cache of one [`ExtractionKey`]: the newest complete pack, open for reading.
#[derive(Debug)]
pub struct Cache {
    root: PathBuf,
    dir: PathBuf,
    pack: Option<File>,
    /// Entry name → (offset, length) in `pack`.
    index: HashMap<String, (u64, u64)>,
}

impl Cache {
    /// Opens (creating) the cache folder of `key` under the state folder `state_dir`, and
    /// reads the index of its newest complete pack.
    pub fn open(state_dir: &Path, key: &ExtractionKey) -> Result<Cache, StateError> {
        let root = state_dir.join(CACHE_DIR);
        let dir = root.join(key.id());
        std::fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        let mut cache = Cache {
            root,
            dir,
            pack: None,
            index: HashMap::new(),
        };
        let numbers = cache.pack_numbers()?;
        // the newest pack whose index is whole; a run killed while writing its pack left one
        // without an index, and the pack before it is still good
        for n in numbers.into_iter().rev() {
            let (Some(index), Ok(pack)) = (
                read_index(&cache.path(n, INDEX_EXT)),
                File::open(cache.path(n, PACK_EXT)),
            ) else {
                continue;
            };
            cache.index = index;
            cache.pack = Some(pack);
            break;
        }
        Ok(cache)
    }

    /// The folder holding this key's packs.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, n: u64, ext: &str) -> PathBuf {
        self.dir.join(format!("{n:012}.{ext}"))
    }

    /// Numbers of the packs and indexes in the folder, ascending, each once.
    fn pack_numbers(&self) -> Result<Vec<u64>, StateError> {
        let mut numbers = Vec::new();
        for e in std::fs::read_dir(&self.dir).map_err(io_err(&self.dir))? {
            numbers.extend(pack_number(&e.map_err(io_err(&self.dir))?.file_name()));
        }
        numbers.sort_unstable();
        numbers.dedup();
        Ok(numbers)
    }

    fn entry_name(rel_path: &str, content_hash: &str) -> String {
        let h = blake3::hash(format!("{rel_path}\0{content_hash}").as_bytes());
        h.to_hex()[..32].to_string()
    }

    /// The cached result for a file's path and content, if there is a sound one, with the
    /// entry's bytes (to carry into the next pack).
    ///
    /// An entry that is truncated, corrupt or for another file is treated as missing.
    pub fn get(&self, rel_path: &str, content_hash: &str) -> Option<(Cached, Vec<u8>)> {
        let &(offset, len) = self.index.get(&Self::entry_name(rel_path, content_hash))?;
        let mut bytes = vec![0; usize::try_from(len).ok()?];
        read_exact_at(self.pack.as_ref()?, &mut bytes, offset).ok()?;
        let result = Self::decode(&bytes, rel_path, content_hash)?;
        Some((result, bytes))
    }

    fn decode(bytes: &[u8], rel_path: &str, content_hash: &str) -> Option<Cached> {
        if bytes.len() < 32 {
            return None;
        }
        let (sum, payload) = bytes.split_at(32);
        if blake3::hash(payload).as_bytes() != sum {
            return None;
        }
        // one call into a buffer of the frame's recorded size: the streaming decoder took
        // 1.6 times as long on the 8 448 entries of a 1 % run (PERFORMANCE.md)
        let size = zstd::zstd_safe::get_frame_content_size(payload).ok()??;
        let size = usize::try_from(size)
            .ok()
            .filter(|&n| n <= MAX_ENTRY_BYTES)?;
        let packed = decompress_entry(payload, size).ok()?;
        let entry: Entry = rmp_serde::from_slice(&packed).ok()?;
        (entry.source_file == rel_path && entry.content_hash == content_hash)
            .then_some(entry.result)
    }

    /// Encodes a file's result as a cache entry (no I/O: workers call it, the writer stores
    /// the bytes with [`PackWriter::append`]).
    pub fn encode(
        rel_path: &str,
        content_hash: &str,
        result: CachedRef<'_>,
    ) -> Result<Vec<u8>, StateError> {
        let entry = EntryRef {
            source_file: rel_path,
            content_hash,
            result,
        };
        let packed = rmp_serde::to_vec(&entry).map_err(|e| StateError::Encode {
            what: "a cache entry",
            message: e.to_string(),
        })?;
        let payload = compress_entry(&packed).map_err(|e| StateError::Encode {
            what: "a cache entry",
            message: e.to_string(),
        })?;
        let mut bytes = Vec::with_capacity(payload.len() + 32);
        bytes.extend_from_slice(blake3::hash(&payload).as_bytes());
        bytes.extend_from_slice(&payload);
        Ok(bytes)
    }

    /// Opens pack number `n` (finished by [`PackWriter::finish`]) for reading.
    pub fn open_pack(&self, n: u64) -> Result<PackReader, StateError> {
        let path = self.path(n, PACK_EXT);
        let pack = File::open(&path).map_err(io_err(&path))?;
        Ok(PackReader { pack })
    }

    /// Starts the next pack, after every pack in the folder.
    pub fn writer(&self) -> Result<PackWriter, StateError> {
        let n = self.pack_numbers()?.last().map_or(1, |n| n + 1);
        let path = self.path(n, PACK_EXT);
        let file = File::create(&path).map_err(io_err(&path))?;
        Ok(PackWriter {
            number: n,
            pack: BufWriter::with_capacity(1 << 20, WriteBehind::new(file)),
            index: self.path(n, INDEX_EXT),
            path,
            offset: 0,
            entries: Vec::new(),
            finished: false,
        })
    }

    /// Deletes every pack but number `keep` and the folders of every other key. Returns how
    /// many files and folders were removed.
    pub fn retain_only(&self, keep: u64) -> Result<usize, StateError> {
        let mut removed = 0;
        for e in std::fs::read_dir(&self.dir).map_err(io_err(&self.dir))? {
            let e = e.map_err(io_err(&self.dir))?;
            if pack_number(&e.file_name()) != Some(keep) {
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

/// The pack a run is writing: entries appended in file order, the index written by
/// [`Self::finish`].
#[derive(Debug)]
pub struct PackWriter {
    number: u64,
    pack: BufWriter<WriteBehind>,
    path: PathBuf,
    index: PathBuf,
    offset: u64,
    entries: Vec<(String, u64, u64)>,
    /// Set by [`Self::finish`]; a pack dropped unfinished (a failed write, a failed run) is
    /// deleted, not left behind for every failed try.
    finished: bool,
}

impl Drop for PackWriter {
    fn drop(&mut self) {
        if !self.finished {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

impl PackWriter {
    /// Appends the entry of a file's path and content (bytes from [`Cache::encode`] or
    /// [`Cache::get`]).
    /// Returns where the entry is in the pack, for [`PackReader::read`] once the pack is
    /// finished.
    pub fn append(
        &mut self,
        rel_path: &str,
        content_hash: &str,
        bytes: &[u8],
    ) -> Result<EntryAt, StateError> {
        self.pack.write_all(bytes).map_err(io_err(&self.path))?;
        let len = bytes.len() as u64;
        self.entries
            .push((Cache::entry_name(rel_path, content_hash), self.offset, len));
        let at = EntryAt {
            offset: self.offset,
            len,
        };
        self.offset += len;
        Ok(at)
    }

    /// Flushes the pack and writes its index (to a temporary name, renamed): from then on the
    /// pack is complete and the next run reads it. Returns its number.
    pub fn finish(mut self) -> Result<u64, StateError> {
        self.pack.flush().map_err(io_err(&self.path))?;
        let mut text = format!("{INDEX_HEADER} {}\n", self.entries.len());
        for (name, offset, len) in &self.entries {
            let _ = writeln!(text, "{name} {offset} {len}");
        }
        let tmp = self.index.with_extension("idx.tmp");
        std::fs::write(&tmp, text).map_err(io_err(&tmp))?;
        std::fs::rename(&tmp, &self.index).map_err(io_err(&self.index))?;
        self.finished = true;
        Ok(self.number)
    }
}

/// Where an entry is in a pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryAt {
    /// Its first byte.
    pub offset: u64,
    /// Its length in bytes.
    pub len: u64,
}

/// A finished pack opened for reading its entries where [`PackWriter::append`] put them: a
/// run reads its own pack back to write its tables once every story is linked.
#[derive(Debug)]
pub struct PackReader {
    pack: File,
}

impl PackReader {
    /// The result stored at `at` for this path and content; `None` when the bytes there are
    /// not a sound entry of that file.
    pub fn read(&self, at: EntryAt, rel_path: &str, content_hash: &str) -> Option<Cached> {
        let mut bytes = vec![0; usize::try_from(at.len).ok()?];
        read_exact_at(&self.pack, &mut bytes, at.offset).ok()?;
        Cache::decode(&bytes, rel_path, content_hash)
    }
}

/// The number of a pack, index or unfinished index file (`000000000007.pack` → 7).
fn pack_number(file_name: &std::ffi::OsStr) -> Option<u64> {
    let name = file_name.to_str()?;
    name.split_once('.')?.0.parse().ok()
}

/// A pack index, when it is whole (its header's count matches its lines).
fn read_index(path: &Path) -> Option<HashMap<String, (u64, u64)>> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut lines = text.lines();
    let count: usize = lines
        .next()?
        .strip_prefix(INDEX_HEADER)?
        .trim()
        .parse()
        .ok()?;
    let mut index = HashMap::with_capacity(count);
    for line in lines {
        let mut parts = line.split(' ');
        let (name, offset, len) = (parts.next()?, parts.next()?, parts.next()?);
        index.insert(name.to_string(), (offset.parse().ok()?, len.parse().ok()?));
    }
    (index.len() == count).then_some(index)
}

/// Reads exactly `buf.len()` bytes at `offset` without moving a file position (threads and
/// sinks share one open file).
#[cfg(unix)]
pub(crate) fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

/// Reads exactly `buf.len()` bytes at `offset` without moving a file position (threads and
/// sinks share one open file).
#[cfg(windows)]
pub(crate) fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
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
    fn a_finished_pack_gives_each_entry_back_where_it_was_appended() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), &key()).unwrap();
        let p = page();
        let mut w = cache.writer().unwrap();
        let mut at = Vec::new();
        for (path, hash) in [("a.txt", "h1"), ("b.txt", "h2")] {
            let bytes = Cache::encode(path, hash, CachedRef::Page(&p)).unwrap();
            at.push(w.append(path, hash, &bytes).unwrap());
        }
        let reader = cache.open_pack(w.finish().unwrap()).unwrap();
        assert_eq!(
            reader.read(at[1], "b.txt", "h2"),
            Some(Cached::Page(Box::new(p.clone())))
        );
        assert!(reader.read(at[0], "a.txt", "h1").is_some());
        // another file's entry, or another content, is no answer
        assert_eq!(reader.read(at[0], "b.txt", "h2"), None);
        assert_eq!(reader.read(at[1], "b.txt", "h1"), None);
    }

    #[test]
    fn a_pack_dropped_unfinished_is_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), &key()).unwrap();
        let p = page();
        let mut w = cache.writer().unwrap();
        let bytes = Cache::encode("a.txt", "h1", CachedRef::Page(&p)).unwrap();
        w.append("a.txt", "h1", &bytes).unwrap();
        drop(w);
        let left: Vec<_> = std::fs::read_dir(cache.dir()).unwrap().collect();
        assert!(left.is_empty(), "{left:?}");
    }

    fn store(cache: &Cache, entries: &[(&str, &str, CachedRef<'_>)]) -> u64 {
        let mut w = cache.writer().unwrap();
        for (path, hash, result) in entries {
            let bytes = Cache::encode(path, hash, *result).unwrap();
            w.append(path, hash, &bytes).unwrap();
        }
        w.finish().unwrap()
    }

    #[test]
    fn a_page_round_trips_exactly_through_a_pack() {
        let dir = tempfile::tempdir().unwrap();
        let p = page();
        assert!(p.articles.iter().any(|a| !a.figures.is_empty()));
        let hash = p.content_hash.clone();
        let n = store(
            &Cache::open(dir.path(), &key()).unwrap(),
            &[("a/b.txt", &hash, CachedRef::Page(&p))],
        );
        assert_eq!(n, 1);
        let cache = Cache::open(dir.path(), &key()).unwrap();
        match cache.get("a/b.txt", &hash) {
            Some((Cached::Page(back), bytes)) => {
                assert_eq!(*back, p);
                // the borrowed form encodes exactly like the owned one
                let owned = Cached::Page(Box::new(p.clone()));
                let again = rmp_serde::to_vec(&owned).unwrap();
                let borrowed = rmp_serde::to_vec(&CachedRef::Page(&p)).unwrap();
                assert_eq!(again, borrowed);
                assert_eq!(
                    bytes,
                    Cache::encode("a/b.txt", &hash, CachedRef::Page(&p)).unwrap()
                );
            }
            other => panic!("expected the page back, got {other:?}"),
        }
        assert!(cache.get("a/c.txt", &hash).is_none(), "other path");
        assert!(cache.get("a/b.txt", "00").is_none(), "other content");
    }

    #[test]
    fn damaged_or_unfinished_packs_are_misses_and_old_packs_are_collected() {
        let dir = tempfile::tempdir().unwrap();
        let rej = CachedRef::Rejected {
            kind: "empty",
            reason: "empty file",
        };
        let owned = Cached::Rejected {
            kind: "empty".into(),
            reason: "empty file".into(),
        };
        let cache = Cache::open(dir.path(), &key()).unwrap();
        let first = store(&cache, &[("x.txt", "h1", rej), ("y.txt", "h2", rej)]);

        // a damaged byte in x.txt's entry: its checksum fails, y.txt is still found
        let pack = cache.dir().join(format!("{first:012}.pack"));
        let mut bytes = std::fs::read(&pack).unwrap();
        bytes[40] ^= 0xff;
        std::fs::write(&pack, &bytes).unwrap();
        let cache = Cache::open(dir.path(), &key()).unwrap();
        assert!(
            cache.get("x.txt", "h1").is_none(),
            "checksum catches damage"
        );
        assert_eq!(
            cache.get("y.txt", "h2").map(|(c, _)| c),
            Some(owned.clone())
        );

        // a run killed before its index was written: the pack before it is read
        let mut w = cache.writer().unwrap();
        w.append("z.txt", "h3", &Cache::encode("z.txt", "h3", rej).unwrap())
            .unwrap();
        // (killed: no drop runs, the unfinished pack stays)
        std::mem::forget(w);
        let cache = Cache::open(dir.path(), &key()).unwrap();
        assert!(cache.get("y.txt", "h2").is_some());
        assert!(cache.get("z.txt", "h3").is_none());

        // a cut-off index is no index
        let second = store(&cache, &[("y.txt", "h2", rej)]);
        assert_eq!(second, first + 2, "numbers never go back");
        let index = cache.dir().join(format!("{second:012}.idx"));
        let text = std::fs::read_to_string(&index).unwrap();
        std::fs::write(&index, &text[..text.len() - 10]).unwrap();
        let cache = Cache::open(dir.path(), &key()).unwrap();
        assert!(
            cache.get("y.txt", "h2").is_some(),
            "read from the first pack"
        );
        std::fs::write(&index, &text).unwrap();

        // another key's cache and the older packs go; the kept pack still reads
        let mut other = key();
        other.config_hash = "d".into();
        let stale = Cache::open(dir.path(), &other).unwrap();
        store(&stale, &[("y.txt", "h2", rej)]);
        let removed = cache.retain_only(second).unwrap();
        assert_eq!(
            removed, 4,
            "first pack and index, the killed run's pack, the other key"
        );
        assert!(!stale.dir().exists());
        let cache = Cache::open(dir.path(), &key()).unwrap();
        assert_eq!(cache.get("y.txt", "h2").map(|(c, _)| c), Some(owned));
        assert!(cache.get("x.txt", "h1").is_none());
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
