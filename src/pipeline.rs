//! The per-file function and the run that maps it over the input folder.
//!
//! [`process_bytes`] is a pure function of a file's bytes and the compiled config: decode →
//! normalize → segment → extract. [`run`] does the I/O at the edges: discover, read (with a
//! size limit) and hash every file, reuse the cached result of unchanged files or extract them
//! in parallel with rayon, then write all tables into a staging folder and publish them at once.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

use crate::config::Config;
use crate::decode::{decode, DecodeError};
use crate::discover::{discover, FileFilter, InputFile};
use crate::extract::{dates, extract_article};
use crate::lexicon::Lexicon;
use crate::log::{self, Level, Progress};
use crate::model::Page;
use crate::normalize::{normalize, SourceText};
use crate::segment::segment;
use crate::state::{
    Cache, Cached, CachedRef, EntryAt, ExtractionKey, FileState, PackReader, RunState, STATE_FILE,
};
use crate::stories::{self, ArticlePrint, Linker, OutOfStep, StoryBook, StoryLink, StoryRules};
use crate::write::publish::{self, Staging};
use crate::write::{self, Counts, RunRecord, StageSeconds, MANIFEST};

/// A page whose articles hold fewer Chinese characters than this is not a news page.
pub const MIN_ARTICLE_HAN_CHARS: usize = 10;

/// Why a file was not processed. Listed in `rejected.csv`; never stops the run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    /// Short code: empty, binary, undecodable, not_chinese, html, no_article, too_large,
    /// unreadable.
    pub kind: &'static str,
    /// A sentence for people.
    pub reason: String,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.reason)
    }
}

impl From<DecodeError> for Rejection {
    fn from(e: DecodeError) -> Self {
        Rejection {
            kind: e.code(),
            reason: e.to_string(),
        }
    }
}

/// Time spent per stage for one file (summed over files into the manifest).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct StageTimes {
    /// Bytes → text.
    pub decode: Duration,
    /// Text → normalized blocks.
    pub normalize: Duration,
    /// Blocks → article drafts.
    pub segment: Duration,
    /// Drafts → articles with zones, figures, entities.
    pub extract: Duration,
}

impl std::ops::AddAssign for StageTimes {
    fn add_assign(&mut self, o: Self) {
        self.decode += o.decode;
        self.normalize += o.normalize;
        self.segment += o.segment;
        self.extract += o.extract;
    }
}

/// Processes one file's bytes. Pure: the same bytes and lexicon give the same page.
pub fn process_bytes(rel_path: &str, bytes: &[u8], lex: &Lexicon) -> Result<Page, Rejection> {
    process_timed(rel_path, bytes, lex).map(|(p, _)| p)
}

/// [`process_bytes`] with per-stage timings.
pub fn process_timed(
    rel_path: &str,
    bytes: &[u8],
    lex: &Lexicon,
) -> Result<(Page, StageTimes), Rejection> {
    process_hashed(rel_path, bytes, None, lex)
}

/// [`process_timed`] for a caller that has hashed the bytes already (`content_hash`, the
/// blake3 hex of `bytes`): a run hashes each file once, to look it up in the cache.
fn process_hashed(
    rel_path: &str,
    bytes: &[u8],
    content_hash: Option<&str>,
    lex: &Lexicon,
) -> Result<(Page, StageTimes), Rejection> {
    let mut t = StageTimes::default();
    let clock = Instant::now();
    let decoded = decode(bytes)?;
    t.decode = clock.elapsed();

    let clock = Instant::now();
    let norm = normalize(&decoded.text, lex);
    t.normalize = clock.elapsed();

    let clock = Instant::now();
    let drafts = segment(&norm, lex);
    t.segment = clock.elapsed();

    let clock = Instant::now();
    let src = SourceText::new(&decoded.text);
    // the metadata line's date; else the dateline's month and day in the year the page
    // states; else what the page's own dates imply, to the month at least
    // (the page's own dates are only scanned when no metadata line dates it)
    let page_published = drafts.iter().find_map(|d| d.published).or_else(|| {
        // the articles' own text: not the dates of other stories listed around them
        // (相关新闻: 2020年12月31日兰州高新区举行…)
        let article_text = drafts
            .iter()
            .flat_map(|d| &d.segments)
            .map(|s| norm.block_text(s.block))
            .collect::<Vec<_>>()
            .join("\n");
        let dateline = drafts.iter().find_map(|d| d.dateline);
        dates::infer_published_at(&article_text, lex, dateline)
            // a bare year in the text (2021年,高新区…) is the time the news covers, not the
            // day it was published: a date inferred from the text needs at least its month
            .filter(|p| p.precision != crate::model::DatePrecision::Year)
            // else an official document's own number gives the year it was issued
            .or_else(|| dates::document_year(&norm.text))
    });
    // a page of several stories that names one zone (a zone's digest of briefs): a story that
    // names none but says 高新区 bare is about that zone
    // (read only when a story asks for it: most name their zone, and the scan is not free)
    let sole_zone = std::cell::OnceCell::new();
    let page_zone = || {
        sole_zone
            .get_or_init(|| {
                (drafts.len() >= 2)
                    .then(|| crate::extract::sole_zone_named(&norm, &drafts, lex))
                    .flatten()
            })
            .clone()
    };
    let articles: Vec<_> = drafts
        .iter()
        .enumerate()
        .map(|(i, d)| extract_article(&norm, &src, d, i + 1, page_published, &page_zone, lex))
        .filter(|a| !a.paragraphs.is_empty() || a.title.is_some())
        .collect();
    t.extract = clock.elapsed();
    let han_chars = |a: &crate::model::Article| {
        a.paragraphs
            .iter()
            .chain(a.title.iter())
            .flat_map(|p| p.chars())
            .filter(|&c| crate::lexicon::is_han(c))
            .count()
    };
    if !articles
        .iter()
        .any(|a| han_chars(a) >= MIN_ARTICLE_HAN_CHARS)
    {
        return Err(Rejection {
            kind: "no_article",
            reason: format!(
                "no article found: no headline or paragraph with at least {MIN_ARTICLE_HAN_CHARS} Chinese characters"
            ),
        });
    }
    let articles = articles
        .into_iter()
        .enumerate()
        .map(|(i, mut a)| {
            a.seq = i + 1;
            a
        })
        .collect();
    Ok((
        Page {
            source_file: rel_path.to_string(),
            content_hash: content_hash
                .map_or_else(|| blake3::hash(bytes).to_hex().to_string(), str::to_string),
            size: bytes.len() as u64,
            encoding: decoded.encoding.to_string(),
            warnings: decoded.warnings,
            published: page_published,
            articles,
        },
        t,
    ))
}

/// What happened to one input file.
#[derive(Debug, Clone)]
pub enum FileOutcome {
    /// Processed into a page.
    Processed(Box<Page>),
    /// Not processed, with the reason.
    Rejected {
        /// Relative path.
        rel_path: String,
        /// Size in bytes, when known.
        size: u64,
        /// blake3 of the bytes, when they could be read.
        content_hash: Option<String>,
        /// Why.
        rejection: Rejection,
    },
}

impl FileOutcome {
    /// The file's path relative to the input folder.
    pub fn rel_path(&self) -> &str {
        match self {
            FileOutcome::Processed(p) => &p.source_file,
            FileOutcome::Rejected { rel_path, .. } => rel_path,
        }
    }

    /// blake3 of the file's bytes, when they could be read.
    pub fn content_hash(&self) -> Option<&str> {
        match self {
            FileOutcome::Processed(p) => Some(&p.content_hash),
            FileOutcome::Rejected { content_hash, .. } => content_hash.as_deref(),
        }
    }
}

/// How a file stands against the previous published run of the same output folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Not in the previous run.
    New,
    /// In the previous run with other content.
    Changed,
    /// Unchanged; the cached result was used.
    Reused,
    /// Unchanged, but extracted again (`--full`, new program or config, cache entry missing).
    Rebuilt,
}

impl Change {
    /// The manifest's string for this change.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Changed => "changed",
            Change::Reused => "reused",
            Change::Rebuilt => "rebuilt",
        }
    }
}

/// One input file's result in a run.
#[derive(Debug, Clone)]
pub struct FileResult {
    /// The page or the rejection.
    pub outcome: FileOutcome,
    /// How the file stands against the previous run.
    pub change: Change,
    /// True when this run extracted the file (false: cached result, or rejected unread).
    pub extracted: bool,
    /// Time per extraction stage (zero for cached results).
    pub times: StageTimes,
    /// Time spent reading and hashing the file and loading its cached result.
    pub read: Duration,
    /// The file's cache entry (encoded by the worker, or the reused one), which the writer
    /// appends to this run's pack; `None` for results that are not cached.
    pub cache_entry: Option<Vec<u8>>,
    /// Per article of a processed page: its story print, made by the worker
    /// ([`FileResult::add_prints`]); `None` for a body too short to link. Empty until made.
    pub prints: Vec<Option<ArticlePrint>>,
    /// Per article of a processed page: its story, set by [`link_file`] in source-file
    /// order. Empty until linked (the writer then gives every article its own story).
    pub links: Vec<StoryLink>,
}

impl FileResult {
    /// A file rejected before its bytes could be read (too large, unreadable, vanished).
    pub fn unread(
        rel_path: &str,
        size: u64,
        rejection: Rejection,
        change: Change,
        read: Duration,
    ) -> FileResult {
        FileResult {
            outcome: FileOutcome::Rejected {
                rel_path: rel_path.to_string(),
                size,
                content_hash: None,
                rejection,
            },
            change,
            extracted: false,
            times: StageTimes::default(),
            read,
            cache_entry: None,
            prints: Vec::new(),
            links: Vec::new(),
        }
    }

    /// Makes the story print of every article of a processed page (on the worker threads:
    /// it reads every body once).
    pub fn add_prints(&mut self, rules: &StoryRules) {
        if let FileOutcome::Processed(page) = &self.outcome {
            self.prints = stories::print_page(page, rules);
        }
    }

    /// A file the walk saw but could not list: rejected as unreadable.
    pub fn unlisted(u: crate::discover::UnlistedFile, change: Change) -> FileResult {
        let rejection = Rejection {
            kind: "unreadable",
            reason: u.reason,
        };
        FileResult::unread(&u.rel_path, 0, rejection, change, Duration::ZERO)
    }
}

/// Options of one run, after command-line overrides.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Input folder.
    pub input: PathBuf,
    /// Output folder.
    pub output: PathBuf,
    /// Worker threads.
    pub jobs: usize,
    /// Files larger than this many bytes are rejected unread (`input.max_file_size`,
    /// `--max-file-size`).
    pub max_file_size: u64,
    /// Ignore cached results and extract every file again (`--full`).
    pub full: bool,
    /// Refuse to publish when more than this share of the previous run's input files is gone
    /// (`run.max_removed_share`); `None` never refuses (`--allow-shrink`).
    pub max_removed_share: Option<f64>,
}

/// A run refused because the input lost too many of the previous run's files: an input share
/// that is not mounted, or an include that matches nothing, must not wipe last night's tables.
#[derive(Debug, thiserror::Error)]
#[error("refusing to publish: {removed} of the previous run's {previous} input files are gone ({share:.0}% > run.max_removed_share {limit:.0}%); the previous tables stay. Check the input folder, or pass --allow-shrink if the files were removed on purpose")]
pub struct ShrinkRefused {
    /// Files of the previous run not found now.
    pub removed: usize,
    /// Files of the previous run.
    pub previous: usize,
    /// `removed / previous`, in percent.
    pub share: f64,
    /// The limit, in percent.
    pub limit: f64,
}

/// Every rejection kind (`rejected.csv`'s `kind`). The first [`CACHEABLE_KINDS`] depend only
/// on a file's bytes and the config; `too_large` and `unreadable` depend on the moment, and
/// `internal_error` is retried.
const REJECTION_KINDS: &[&str] = &[
    "empty",
    "binary",
    "undecodable",
    "not_chinese",
    "html",
    "no_article",
    "too_large",
    "unreadable",
    "internal_error",
];
/// How many of [`REJECTION_KINDS`] are cached like pages.
const CACHEABLE_KINDS: usize = 6;
/// Rejection kinds that depend only on a file's bytes and the config, so they are cached like
/// pages.
const CACHEABLE_REJECTIONS: &[&str] = REJECTION_KINDS.split_at(CACHEABLE_KINDS).0;

/// Reads a file, refusing to hold more than `max` bytes of it.
///
/// A file that vanished since discovery, or cannot be opened or read, is `unreadable`; a file
/// over the limit (checked before reading, and again while reading, since it may grow) is
/// `too_large`. Either way the size known so far comes with the rejection.
pub fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, (u64, Rejection)> {
    let unreadable = |size: u64, e: std::io::Error| {
        let reason = if e.kind() == std::io::ErrorKind::NotFound {
            "vanished after the input folder was listed".to_string()
        } else {
            format!("cannot be read: {e}")
        };
        (
            size,
            Rejection {
                kind: "unreadable",
                reason,
            },
        )
    };
    let too_large = |size: u64| {
        (
            size,
            Rejection {
                kind: "too_large",
                reason: format!(
                    "file is {size} bytes, over the limit of {max} bytes (input.max_file_size, --max-file-size)"
                ),
            },
        )
    };
    // Opened without blocking: a file swapped for a FIFO after listing would otherwise wait
    // for a writer forever, holding the lock for every later night. The type is then checked
    // on the open handle, so it cannot change between the check and the read.
    let file = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
            .open(path)
            .map_err(|e| unreadable(0, e))?
    };
    let meta = file.metadata().map_err(|e| unreadable(0, e))?;
    if !meta.is_file() {
        return Err((
            0,
            Rejection {
                kind: "unreadable",
                reason: "is no longer a regular file (replaced after the input folder was listed)"
                    .into(),
            },
        ));
    }
    let size = meta.len();
    if size > max {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(size, e))?;
    if bytes.len() as u64 > max {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// What every worker shares during a run.
struct Ctx<'a> {
    lex: &'a Lexicon,
    opts: &'a RunOptions,
    cache: &'a Cache,
    prev: Option<&'a RunState>,
    cache_warned: AtomicBool,
}

/// Runs the extractor on one file's bytes (`content_hash`: their blake3 hex, when the caller
/// has it); a panic becomes an `internal_error` rejection.
fn extract_file(
    rel_path: &str,
    bytes: &[u8],
    content_hash: Option<&str>,
    lex: &Lexicon,
) -> Result<(Page, StageTimes), Rejection> {
    // a bug in an extractor must not take the whole night's run down with it
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        process_hashed(rel_path, bytes, content_hash, lex)
    }));
    match result {
        Ok(r) => r,
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(Rejection {
                kind: "internal_error",
                reason: format!("internal error while processing (please report): {msg}"),
            })
        }
    }
}

/// Reads, hashes and extracts one file, with no cache and no previous run (shards use this).
/// Never fails: every problem becomes a rejection.
pub fn extract_path(f: &InputFile, max_file_size: u64, lex: &Lexicon) -> FileResult {
    let clock = Instant::now();
    let bytes = match read_bounded(&f.path, max_file_size) {
        Ok(b) => b,
        Err((size, rejection)) => {
            return FileResult::unread(&f.rel_path, size, rejection, Change::New, clock.elapsed())
        }
    };
    let read = clock.elapsed();
    let (outcome, times) = match extract_file(&f.rel_path, &bytes, None, lex) {
        Ok((page, t)) => (FileOutcome::Processed(Box::new(page)), t),
        Err(rejection) => (
            FileOutcome::Rejected {
                rel_path: f.rel_path.clone(),
                size: bytes.len() as u64,
                content_hash: Some(blake3::hash(&bytes).to_hex().to_string()),
                rejection,
            },
            StageTimes::default(),
        ),
    };
    FileResult {
        outcome,
        change: Change::New,
        extracted: true,
        times,
        read,
        cache_entry: None,
        prints: Vec::new(),
        links: Vec::new(),
    }
}

/// Links the articles of a file into the stories of the files before it (files must come in
/// source-file order), making their prints first when the worker did not. When the first
/// copy represents its story the links are final at once and set here; otherwise they are
/// final only after the last file, and [`assign_links`] hands them out in a second pass.
pub fn link_file(linker: &mut Linker, r: &mut FileResult) {
    let FileResult {
        outcome: FileOutcome::Processed(page),
        prints,
        links,
        ..
    } = r
    else {
        return;
    };
    if prints.len() != page.articles.len() {
        *prints = stories::print_page(page, linker.rules());
    }
    let prefix = crate::write::tables::article_id_prefix(page);
    let now = !linker.rules().needs_second_pass();
    for (a, print) in page.articles.iter().zip(std::mem::take(prints)) {
        let id = crate::write::tables::article_id(&prefix, a.seq);
        let story = linker.link(&id, a.published, print);
        if now {
            links.push(linker.current(story, &id));
        }
    }
}

/// Sets the final story links of a file's articles from `book`, the linking pass's result
/// (files must come in the order they were linked).
pub fn assign_links(book: &mut StoryBook, r: &mut FileResult) -> Result<(), OutOfStep> {
    let FileOutcome::Processed(page) = &r.outcome else {
        return Ok(());
    };
    let prefix = crate::write::tables::article_id_prefix(page);
    let ids: Vec<String> = page
        .articles
        .iter()
        .map(|a| crate::write::tables::article_id(&prefix, a.seq))
        .collect();
    r.links = book.next_links(&page.source_file, ids.iter().map(String::as_str))?;
    Ok(())
}

/// A result of a run's first pass (extract and link), kept for its second (write): where
/// its page is in this run's cache pack, or the result itself. Only pages are read back:
/// rejections are small and stay in memory, as do pages the pack could not take.
enum Spooled {
    Packed {
        /// Index of the input file in the run's list.
        file: usize,
        rel_path: String,
        content_hash: String,
        size: u64,
        change: Change,
        at: EntryAt,
    },
    Held {
        outcome: FileOutcome,
        change: Change,
    },
}

impl Spooled {
    fn of(r: &FileResult, file: usize, at: Option<EntryAt>) -> Spooled {
        match (&r.outcome, at) {
            (FileOutcome::Processed(p), Some(at)) => Spooled::Packed {
                file,
                rel_path: p.source_file.clone(),
                content_hash: p.content_hash.clone(),
                size: p.size,
                change: r.change,
                at,
            },
            _ => Spooled::Held {
                outcome: r.outcome.clone(),
                change: r.change,
            },
        }
    }

    /// The input bytes behind it, to batch the second pass like the first.
    fn size(&self) -> u64 {
        match self {
            Spooled::Packed { size, .. } => *size,
            Spooled::Held { .. } => 1 << 10,
        }
    }

    /// The result again: read back from the pack, else extracted again from the file (which
    /// must still have the content the first pass read).
    fn load(&self, pack: Option<&PackReader>, files: &[InputFile], ctx: &Ctx<'_>) -> FileResult {
        let (outcome, change) = match self {
            Spooled::Held { outcome, change } => (outcome.clone(), *change),
            Spooled::Packed {
                file,
                rel_path,
                content_hash,
                change,
                at,
                ..
            } => {
                let page = pack.and_then(|p| match p.read(*at, rel_path, content_hash) {
                    Some(Cached::Page(page)) => Some(page),
                    _ => None,
                });
                match page {
                    Some(page) => (FileOutcome::Processed(page), *change),
                    None => {
                        let mut again = match files.get(*file) {
                            Some(f) => process_file(f, ctx),
                            None => {
                                return FileResult::unread(
                                    rel_path,
                                    0,
                                    Rejection {
                                        kind: "internal_error",
                                        reason: "the run lost track of this file".into(),
                                    },
                                    *change,
                                    Duration::ZERO,
                                )
                            }
                        };
                        if again.outcome.content_hash() != Some(content_hash.as_str()) {
                            // its articles were linked as they were: the links would not fit
                            again.outcome = FileOutcome::Rejected {
                                rel_path: rel_path.clone(),
                                size: 0,
                                content_hash: None,
                                rejection: Rejection {
                                    kind: "internal_error",
                                    reason: "the file changed while the run read it".into(),
                                },
                            };
                        }
                        (again.outcome, *change)
                    }
                }
            }
        };
        FileResult {
            outcome,
            change,
            extracted: false,
            times: StageTimes::default(),
            read: Duration::ZERO,
            cache_entry: None,
            prints: Vec::new(),
            links: Vec::new(),
        }
    }
}

/// The static code of a rejection kind read back from a file (unknown kinds become
/// `internal_error`, never a panic).
pub fn rejection_kind(kind: &str) -> &'static str {
    REJECTION_KINDS
        .iter()
        .find(|k| **k == kind)
        .copied()
        .unwrap_or("internal_error")
}

/// Reads, hashes and (unless a sound cached result exists) extracts one file. Never fails:
/// every problem becomes a rejection.
fn process_file(f: &InputFile, ctx: &Ctx<'_>) -> FileResult {
    let clock = Instant::now();
    let prev = ctx.prev.and_then(|s| s.files.get(&f.rel_path));
    let bytes = match read_bounded(&f.path, ctx.opts.max_file_size) {
        Ok(b) => b,
        Err((size, rejection)) => {
            let change = if prev.is_some() {
                Change::Changed
            } else {
                Change::New
            };
            return FileResult::unread(&f.rel_path, size, rejection, change, clock.elapsed());
        }
    };
    let hash = blake3::hash(&bytes).to_hex().to_string();
    let size = bytes.len() as u64;
    let change = match prev {
        None => Change::New,
        Some(p) if p.content_hash.as_deref() == Some(hash.as_str()) => Change::Reused,
        Some(_) => Change::Changed,
    };
    let rejected = |rejection: Rejection| FileOutcome::Rejected {
        rel_path: f.rel_path.clone(),
        size,
        content_hash: Some(hash.clone()),
        rejection,
    };
    if !ctx.opts.full {
        let hit = ctx
            .cache
            .get(&f.rel_path, &hash)
            .and_then(|(cached, entry)| {
                let outcome = match cached {
                    Cached::Page(p) => FileOutcome::Processed(p),
                    Cached::Rejected { kind, reason } => {
                        let kind = CACHEABLE_REJECTIONS.iter().find(|k| **k == kind)?;
                        rejected(Rejection { kind, reason })
                    }
                };
                Some((outcome, entry))
            });
        if let Some((outcome, entry)) = hit {
            return FileResult {
                outcome,
                change,
                extracted: false,
                times: StageTimes::default(),
                read: clock.elapsed(),
                cache_entry: Some(entry),
                prints: Vec::new(),
                links: Vec::new(),
            };
        }
    }
    let read = clock.elapsed();
    let (outcome, times) = match extract_file(&f.rel_path, &bytes, Some(&hash), ctx.lex) {
        Ok((page, t)) => (FileOutcome::Processed(Box::new(page)), t),
        Err(r) => (rejected(r), StageTimes::default()),
    };
    let cached = match &outcome {
        FileOutcome::Processed(p) => Some(CachedRef::Page(p)),
        FileOutcome::Rejected { rejection, .. } => CACHEABLE_REJECTIONS
            .contains(&rejection.kind)
            .then_some(CachedRef::Rejected {
                kind: rejection.kind,
                reason: &rejection.reason,
            }),
    };
    let cache_entry = cached.and_then(|c| match Cache::encode(&f.rel_path, &hash, c) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            warn_cache_once(ctx, &e);
            None
        }
    });
    FileResult {
        outcome,
        change: if change == Change::Reused {
            Change::Rebuilt
        } else {
            change
        },
        extracted: true,
        times,
        read,
        cache_entry,
        prints: Vec::new(),
        links: Vec::new(),
    }
}

/// Warns once per run that the cache cannot be written (the run goes on without it).
fn warn_cache_once(ctx: &Ctx<'_>, e: &dyn std::fmt::Display) {
    if !ctx.cache_warned.swap(true, Ordering::Relaxed) {
        log::warn(&format!(
            "cannot write the extraction cache ({e}); the next run will extract these files again"
        ));
    }
}

/// Logs a rejected file, or a processed file's warnings.
fn log_problem(r: &FileResult) {
    match &r.outcome {
        FileOutcome::Rejected {
            rel_path,
            rejection,
            ..
        } => log::emit(
            Level::Warn,
            &format!(
                "rejected {rel_path} ({}): {}",
                rejection.kind, rejection.reason
            ),
            &[
                ("event", Value::from("rejected")),
                ("file", Value::from(rel_path.as_str())),
                ("kind", Value::from(rejection.kind)),
                ("reason", Value::from(rejection.reason.as_str())),
            ],
        ),
        FileOutcome::Processed(p) => {
            for w in &p.warnings {
                log::emit(
                    Level::Warn,
                    &format!("{}: {w}", p.source_file),
                    &[
                        ("event", Value::from("file_warning")),
                        ("file", Value::from(p.source_file.as_str())),
                        ("warning", Value::from(w.as_str())),
                    ],
                );
            }
        }
    }
}

/// Publishes the previous run's tables again when every input file is exactly as it was:
/// files are hashed (in parallel), nothing is extracted or rebuilt. `None` when anything
/// differs or the previous generation is incomplete: the caller then runs normally.
fn publish_unchanged(
    opts: &RunOptions,
    keep_previous: Duration,
    prev_state: &RunState,
    files: &[InputFile],
    pool: &rayon::ThreadPool,
    started: chrono::DateTime<chrono::Utc>,
    clock: Instant,
) -> Result<Option<RunRecord>> {
    if files.len() != prev_state.files.len() {
        return Ok(None);
    }
    let hash_clock = Instant::now();
    let all_same = pool.install(|| {
        files.par_iter().all(|f| {
            let Some(want) = prev_state
                .files
                .get(&f.rel_path)
                .and_then(|p| p.content_hash.as_deref())
            else {
                return false;
            };
            read_bounded(&f.path, opts.max_file_size)
                .is_ok_and(|b| blake3::hash(&b).to_hex().as_str() == want)
        })
    });
    if !all_same {
        return Ok(None);
    }
    let hashing = hash_clock.elapsed().as_secs_f64();
    let current = publish::current_dir(&opts.output);
    let Ok(mut record) = RunRecord::load(&current.join(MANIFEST)) else {
        return Ok(None);
    };
    let link_clock = Instant::now();
    let staging = Staging::begin(&opts.output, keep_previous)?;
    if reuse_published(&opts.output, staging.dir()).is_none()
        || prev_state.write(&staging.dir().join(STATE_FILE)).is_err()
    {
        let _ = std::fs::remove_dir_all(staging.dir());
        return Ok(None);
    }
    record.started_at = started.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    record.jobs = opts.jobs;
    record.input_dir = opts.input.display().to_string();
    record.rebuild_reason = None;
    let c = &mut record.counts;
    (
        c.new,
        c.changed,
        c.reused,
        c.rebuilt,
        c.removed,
        c.extracted,
    ) = (0, 0, c.processed, 0, 0, 0);
    for i in &mut record.inputs {
        if i.status == "processed" {
            i.outcome = Change::Reused.as_str().into();
        }
    }
    record.removed.clear();
    record.stage_seconds = write::StageSeconds {
        read: hashing,
        decode: 0.0,
        normalize: 0.0,
        segment: 0.0,
        extract: 0.0,
        write: link_clock.elapsed().as_secs_f64(),
        link: 0.0,
    };
    record.finished_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    record.seconds = clock.elapsed().as_secs_f64();
    write::write_manifest(staging.dir(), &record)?;
    let mut names: Vec<String> = record.outputs.iter().map(|o| o.file.clone()).collect();
    names.push(MANIFEST.to_string());
    staging
        .commit(&names)
        .context("cannot publish the tables")?;
    Ok(Some(record))
}

/// Links the published generation's outputs into `staging` when they are all there; `None`
/// (rebuild instead) on any problem.
fn reuse_published(output: &Path, staging: &Path) -> Option<write::Written> {
    let current = publish::current_dir(output);
    let prev = RunRecord::load(&current.join(write::MANIFEST)).ok()?;
    // a table damaged or edited by hand since its run is not published again: the night
    // rebuilds (the manifest's checksum, not size or time, decides)
    if let Some(o) = prev
        .outputs
        .iter()
        .find(|o| !o.matches(&current.join(&o.file)))
    {
        log::warn(&format!(
            "{} no longer has the bytes its run wrote (edited or damaged): rebuilding the tables",
            o.file
        ));
        return None;
    }
    for o in &prev.outputs {
        let from = current.join(&o.file);
        let to = staging.join(&o.file);
        if std::fs::hard_link(&from, &to).is_err() {
            std::fs::copy(&from, &to).ok()?;
        }
    }
    Some(prev.written())
}

/// Runs the whole job: discover, reuse or extract every file in parallel, write the tables
/// into a staging folder and publish them at once. Returns the run record (the manifest).
///
/// The caller holds the output folder's run lock ([`crate::lock::RunLock`]).
pub fn run(cfg: &Config, opts: &RunOptions) -> Result<RunRecord> {
    let started = chrono::Utc::now();
    let clock = Instant::now();
    let lex = Lexicon::from_config(cfg)?;
    let filter = FileFilter::from_config(cfg)?.skip_dir(&opts.output);
    let (files, unlisted) = discover(&opts.input, &filter)?;

    for leftover in publish::recover(&opts.output, cfg.keep_previous())? {
        log::warn(&format!(
            "removed {leftover} from the output folder, left by an interrupted run"
        ));
    }
    let key = ExtractionKey::current(cfg);
    let prev = RunState::load(&publish::current_dir(&opts.output).join(STATE_FILE));
    if let (Some(limit), Some(p)) = (opts.max_removed_share, &prev) {
        let now: std::collections::HashSet<&str> = files
            .iter()
            .map(|f| f.rel_path.as_str())
            .chain(unlisted.iter().map(|u| u.rel_path.as_str()))
            .collect();
        let removed = p.files.keys().filter(|k| !now.contains(k.as_str())).count();
        let previous = p.files.len();
        if previous > 0 && removed as f64 > limit * previous as f64 {
            return Err(ShrinkRefused {
                removed,
                previous,
                share: 100.0 * removed as f64 / previous as f64,
                limit: 100.0 * limit,
            }
            .into());
        }
    }
    let rebuild_reason = if opts.full {
        Some("--full was given".to_string())
    } else {
        match &prev {
            None => Some("no previous run in this output folder".to_string()),
            Some(p) => key.rebuild_reason(&p.key),
        }
    };
    let cache = Cache::open(&publish::state_dir(&opts.output), &key)
        .context("cannot open the extraction cache")?;
    log::emit(
        Level::Info,
        &format!(
            "{} files in {}; {}",
            files.len() + unlisted.len(),
            opts.input.display(),
            match &rebuild_reason {
                Some(r) => format!("extracting every file ({r})"),
                None => "extracting new and changed files".to_string(),
            }
        ),
        &[
            ("event", Value::from("start")),
            ("files", Value::from(files.len() + unlisted.len())),
            ("rebuild_reason", Value::from(rebuild_reason.clone())),
        ],
    );

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.max(1))
        .thread_name(|i| format!("zf-worker-{i}"))
        .build()
        .context("cannot start the worker threads")?;
    // a quiet night: nothing changed since the published run (same program, config and file
    // contents), so its tables are already the right bytes — link them, skip extraction
    if rebuild_reason.is_none() && unlisted.is_empty() {
        if let Some(p) = prev.as_ref() {
            if let Some(record) =
                publish_unchanged(opts, cfg.keep_previous(), p, &files, &pool, started, clock)?
            {
                return Ok(record);
            }
        }
    }
    let story_rules = StoryRules::from_section(&cfg.stories);
    let ctx = Ctx {
        lex: &lex,
        opts,
        cache: &cache,
        prev: prev.as_ref(),
        cache_warned: AtomicBool::new(false),
    };
    let mut link_seconds = Duration::ZERO;
    let n_files = files.len() + unlisted.len();
    let progress = Progress::start(files.len());
    let mut tally = Tally::default();
    // this run's cache pack, written by the main writer in file order
    let mut pack = match cache.writer() {
        Ok(w) => Some(w),
        Err(e) => {
            warn_cache_once(&ctx, &e);
            None
        }
    };
    let mut pack_number = None;
    // unchanged files' CSV rows are copied from the published run, which the same program
    // and config wrote (otherwise every file is extracted and formatted again)
    let mut csv_reuse = match (&rebuild_reason, &prev) {
        (None, Some(p)) => {
            let current = publish::current_dir(&opts.output);
            RunRecord::load(&current.join(MANIFEST))
                .ok()
                .and_then(|m| write::csv_reuse::CsvReuse::open(&current, p, &m.outputs))
        }
        _ => None,
    };
    let record = write::publish_run(
        &opts.output,
        cfg.keep_previous(),
        |staging: &Path| -> Result<RunRecord> {
            // with more than one job the workbook, the costliest output, gets a writer of its own
            let split = opts.jobs > 1 && cfg.writes("xlsx");
            let (main_part, side_part) = if split {
                (write::sink::Part::Tables, Some(write::sink::Part::Workbook))
            } else {
                (write::sink::Part::All, None)
            };
            // One pass: Parquet row groups are encoded on the writer's thread. The workers and
            // the workbook writer already keep every core busy, and more threads only added
            // contention (polars' own encoding threads, 212 MB --jobs 2: 10.1-11.5 s with them,
            // 9.6-10.0 s without; a thread per table, 200 MB: 17.7-18.0 s without, 18.0-18.8 s
            // with). The second pass of story linking has the cores to spare (its workers only
            // read the cache back), and its writer is its critical path: there each table's
            // row groups are encoded on a thread of their own (200 MB: 20.7-20.9 s -> 19.9-20.1 s)
            let two_pass = story_rules.needs_second_pass();
            let lanes = two_pass && opts.jobs > 1;
            let mut sink = write::Sink::create(cfg, staging, main_part, lanes)?
                .with_csv_reuse(csv_reuse.take());
            let mut side = match side_part {
                Some(part) => Some(write::Sink::create(cfg, staging, part, lanes)?),
                None => None,
            };
            // the workbook's writer, fed from the stream's own thread
            fn side_consumer<'s, 'c>(
                side: &'s mut Option<write::Sink<'c>>,
            ) -> Option<impl FnMut(&FileResult) -> Result<()> + Send + use<'s, 'c>> {
                side.as_mut()
                    .map(|side| move |r: &FileResult| side.push(&r.outcome, r.change, &r.links))
            }
            // One pass extracts, links and writes each file in turn: a story's first copy
            // represents it, so links are final as soon as they are made. When the earliest-
            // published copy represents its story, a run makes two passes: pass 1 extracts and
            // links every file, the pages going to this run's cache pack, and pass 2 reads them
            // back to write the tables once every story's representative is known.
            let linking = story_rules.enabled;
            let mut spool: Vec<Spooled> = Vec::new();
            let mut linker = Linker::new(story_rules.clone());
            stream_in_order(
                &files,
                &pool,
                opts.jobs,
                |f| {
                    let mut r = process_file(f, &ctx);
                    if linking {
                        r.add_prints(&story_rules);
                    }
                    progress.inc();
                    r
                },
                &mut |r: &mut FileResult| {
                    if linking {
                        let clock = Instant::now();
                        link_file(&mut linker, r);
                        link_seconds += clock.elapsed();
                    }
                    Ok(())
                },
                &mut |r: &FileResult| {
                    log_problem(r);
                    let mut at = None;
                    if let (Some(entry), Some(hash), Some(w)) =
                        (&r.cache_entry, r.outcome.content_hash(), pack.as_mut())
                    {
                        match w.append(r.outcome.rel_path(), hash, entry) {
                            Ok(a) => at = Some(a),
                            Err(e) => {
                                warn_cache_once(&ctx, &e);
                                pack = None;
                            }
                        }
                    }
                    tally.add(r);
                    if two_pass {
                        spool.push(Spooled::of(r, spool.len(), at));
                    } else {
                        sink.push(&r.outcome, r.change, &r.links)?;
                        tally.linked(r);
                    }
                    Ok(())
                },
                side_consumer(&mut side)
                    .filter(|_| !two_pass)
                    .as_mut()
                    .map(|c| c as &mut SideConsumer<'_>),
            )?;
            progress.finish();
            let mut book = linker.finish();
            if linking {
                let lc = book.counts();
                log::emit(
                    Level::Info,
                    &format!(
                    "linked {} articles into {} stories ({} reprints; {} candidate pairs verified)",
                    lc.articles, lc.stories, lc.copies, lc.verified
                ),
                    &[
                        ("event", Value::from("stories")),
                        ("articles", Value::from(lc.articles)),
                        ("stories", Value::from(lc.stories)),
                        ("reprints", Value::from(lc.copies)),
                        ("verified", Value::from(lc.verified)),
                    ],
                );
            }
            pack_number = pack.take().and_then(|w| match w.finish() {
                Ok(n) => Some(n),
                Err(e) => {
                    warn_cache_once(&ctx, &e);
                    None
                }
            });
            if two_pass {
                // pass 2: write, with every article's final story (a page the pack cannot give
                // back is extracted again from its file)
                let reader = pack_number.and_then(|n| cache.open_pack(n).ok());
                // (a file that changes between the passes is rejected in pass 2 and writes
                // fewer rows than counted: at worst a table just under the limit is left out)
                let rows = tally.row_counts();
                sink.expect_rows(rows);
                if let Some(side) = side.as_mut() {
                    side.expect_rows(rows);
                }
                stream_in_order(
                    &spool,
                    &pool,
                    opts.jobs,
                    |s: &Spooled| s.load(reader.as_ref(), &files, &ctx),
                    &mut |r: &mut FileResult| Ok(assign_links(&mut book, r)?),
                    &mut |r: &FileResult| {
                        sink.push(&r.outcome, r.change, &r.links)?;
                        tally.linked(r);
                        Ok(())
                    },
                    side_consumer(&mut side)
                        .as_mut()
                        .map(|c| c as &mut SideConsumer<'_>),
                )?;
                book.finish()?;
                drop(spool);
            }
            for u in unlisted {
                let in_prev = prev
                    .as_ref()
                    .is_some_and(|p| p.files.contains_key(&u.rel_path));
                let change = if in_prev {
                    Change::Changed
                } else {
                    Change::New
                };
                let r = FileResult::unlisted(u, change);
                log_problem(&r);
                if let FileOutcome::Rejected {
                    rel_path,
                    size,
                    rejection,
                    ..
                } = &r.outcome
                {
                    sink.push_rejected(rel_path, *size, rejection.kind, &rejection.reason);
                }
                tally.add(&r);
            }
            let written = match side {
                Some(side) => {
                    let (tables, workbook) =
                        rayon::join(|| sink.finish(n_files), || side.finish(n_files));
                    tables?.with_workbook(workbook?)
                }
                None => sink.finish(n_files)?,
            };

            let removed: Vec<String> = prev
                .as_ref()
                .map(|p| {
                    p.files
                        .keys()
                        .filter(|k| !tally.state.contains_key(k.as_str()))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            for (path, ranges) in &written.csv_ranges {
                if let Some(f) = tally.state.get_mut(path) {
                    f.csv = Some(*ranges);
                }
            }
            let state = RunState {
                key,
                files: std::mem::take(&mut tally.state),
            };
            state.write(&staging.join(STATE_FILE))?;
            let mut inputs = std::mem::take(&mut tally.inputs);
            inputs.sort_by(|a, b| a.source_file.cmp(&b.source_file));
            let c = tally.changes;
            Ok(RunRecord {
                program: "zonefacts".into(),
                version: env!("CARGO_PKG_VERSION").into(),
                config_hash: cfg.hash.clone(),
                config: cfg.source.clone(),
                started_at: started.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                finished_at: chrono::Utc::now()
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                seconds: clock.elapsed().as_secs_f64(),
                jobs: opts.jobs,
                input_dir: opts.input.display().to_string(),
                rebuild_reason: rebuild_reason.clone(),
                counts: Counts {
                    files: n_files,
                    processed: written.processed,
                    rejected: written.rejected,
                    new: c.new,
                    changed: c.changed,
                    reused: c.reused,
                    rebuilt: c.rebuilt,
                    removed: removed.len(),
                    extracted: tally.extracted,
                    articles: written.articles,
                    measures: written.measures,
                    zones: written.zones,
                    entities: written.entities,
                    stories: written.stories,
                    reprints: written.articles - written.stories,
                },
                stage_seconds: StageSeconds {
                    read: tally.read.as_secs_f64(),
                    decode: tally.times.decode.as_secs_f64(),
                    normalize: tally.times.normalize.as_secs_f64(),
                    segment: tally.times.segment.as_secs_f64(),
                    extract: tally.times.extract.as_secs_f64(),
                    write: written.seconds,
                    link: link_seconds.as_secs_f64(),
                },
                inputs,
                removed,
                outputs: written.outputs,
            })
        },
    )?;

    // the pack just written holds every entry worth keeping (processed files, and rejections
    // that depend only on the bytes): the older packs and other keys' caches can go
    if let Some(n) = pack_number {
        if let Err(e) = cache.retain_only(n) {
            log::warn(&format!("cannot clean the extraction cache: {e}"));
        }
    }
    Ok(record)
}

/// Files handed to the workers at a time: enough to keep every worker busy, few enough that
/// the pages in flight stay small. A batch ends at this many files or bytes.
const BATCH_FILES: usize = 128;
const BATCH_BYTES: u64 = 4 << 20;
/// Finished batches that may wait for each writer. Every waiting batch holds its pages in
/// memory (several times the size of their files), so this bounds the memory of a run
/// together with the batch size.
const WAITING_BATCHES: usize = 1;

/// Splits `files` (in order) into consecutive batches of at most [`BATCH_FILES`] files and
/// about [`BATCH_BYTES`] bytes.
fn batches<T>(files: &[T], size: impl Fn(&T) -> u64) -> Vec<&[T]> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0u64);
    for (i, f) in files.iter().enumerate() {
        bytes += size(f);
        if i + 1 - start >= BATCH_FILES || bytes >= BATCH_BYTES {
            out.push(&files[start..=i]);
            start = i + 1;
            bytes = 0;
        }
    }
    if start < files.len() {
        out.push(&files[start..]);
    }
    out
}

/// A writer of results, called once per file in file order.
pub(crate) type Consumer<'a> = dyn FnMut(&FileResult) -> Result<()> + 'a;
/// A writer of results that runs on a thread of its own.
pub(crate) type SideConsumer<'a> = dyn FnMut(&FileResult) -> Result<()> + Send + 'a;
/// What sees every result, in file order, before the writers do: the story linker (first
/// pass) or what hands out its links (second pass). An error stops the stream.
pub(crate) type Annotator<'a> = dyn FnMut(&mut FileResult) -> Result<()> + Send + 'a;

/// What [`stream_in_order`] streams: input files (first pass) or spooled results (second).
pub(crate) trait Streamed: Sync {
    /// Input bytes behind the item, to size batches.
    fn bytes(&self) -> u64;
    /// Asks the kernel for the item's bytes ahead of the workers (input files only).
    fn read_ahead(&self) {}
}

impl Streamed for InputFile {
    fn bytes(&self) -> u64 {
        self.size
    }

    fn read_ahead(&self) {
        crate::disk::read_ahead(&self.path);
    }
}

impl Streamed for Spooled {
    fn bytes(&self) -> u64 {
        self.size()
    }
}

/// Maps `work` over `items` on the worker pool, batch by batch, and hands each result to
/// `main` — and to `side`, when given — in order. With more than one job the next
/// batches are worked on while the writers take in the previous one, `side` on a thread of
/// its own; at most [`WAITING_BATCHES`] finished batches wait per writer, so memory stays
/// bounded. With one
/// job everything runs on one thread, one batch after the other. Stops at the first error
/// of either writer. `annotate` sees each result first, in order, on a thread of its
/// own between the workers and the writers (the story linker: its work overlaps theirs).
pub(crate) fn stream_in_order<T, W>(
    items: &[T],
    pool: &rayon::ThreadPool,
    jobs: usize,
    work: W,
    annotate: &mut Annotator<'_>,
    main: &mut Consumer<'_>,
    side: Option<&mut SideConsumer<'_>>,
) -> Result<()>
where
    T: Streamed,
    W: Fn(&T) -> FileResult + Sync,
{
    let batches = batches(items, T::bytes);
    // While the workers are on batch k, the kernel reads batch k + 1 from disk: on a machine
    // whose page cache does not keep the input (or a first read), the workers would otherwise
    // wait for every file in turn, behind the outputs' write-back.
    let (ahead_tx, ahead_rx) = std::sync::mpsc::sync_channel::<usize>(2);
    let run_batch = |k: usize, batch: &[T]| -> Vec<FileResult> {
        let _ = ahead_tx.try_send(k + 1); // skipped when the read-ahead is behind anyway
        pool.install(|| batch.par_iter().map(&work).collect())
    };
    std::thread::scope(|scope| {
        let ahead = &batches;
        let reader = std::thread::Builder::new().name("zf-read-ahead".into());
        // without its own thread the read-ahead is skipped: it only saves waiting
        let _ = reader.spawn_scoped(scope, move || {
            // ends at the batch past the last one (sent below if not before)
            for k in ahead_rx.iter() {
                let Some(batch) = ahead.get(k) else { break };
                batch.iter().for_each(T::read_ahead);
            }
        });
        let outcome = stream_batches(scope, &batches, jobs, &run_batch, annotate, main, side);
        let _ = ahead_tx.send(usize::MAX);
        outcome
    })
}

/// The body of [`stream_in_order`]: batches through `run_batch`, results to the writers.
fn stream_batches<'scope, 'env, T, R>(
    scope: &'scope std::thread::Scope<'scope, 'env>,
    batches: &'env [&'env [T]],
    jobs: usize,
    run_batch: &'env R,
    annotate: &'env mut Annotator<'_>,
    main: &mut Consumer<'_>,
    side: Option<&'env mut SideConsumer<'_>>,
) -> Result<()>
where
    T: Sync,
    R: Fn(usize, &[T]) -> Vec<FileResult> + Sync,
{
    if jobs <= 1 {
        let mut side = side;
        for (k, batch) in batches.iter().enumerate() {
            for mut r in run_batch(k, batch) {
                annotate(&mut r)?;
                main(&r)?;
                if let Some(side) = side.as_mut() {
                    side(&r)?;
                }
            }
        }
        return Ok(());
    }
    type Batch = std::sync::Arc<Vec<FileResult>>;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(WAITING_BATCHES);
    // the annotator (the story linker) has a thread of its own, so that the workers go on
    // with the next batch while it takes in this one
    let (raw_tx, raw_rx) = std::sync::mpsc::sync_channel::<Vec<FileResult>>(WAITING_BATCHES);
    let producer = std::thread::Builder::new()
        .name("zf-batches".into())
        .spawn_scoped(scope, move || {
            for (k, batch) in batches.iter().enumerate() {
                if raw_tx.send(run_batch(k, batch)).is_err() {
                    break; // the writer stopped: no point working on
                }
            }
        })
        .context("cannot start the batch thread")?;
    let annotator = std::thread::Builder::new()
        .name("zf-link".into())
        .spawn_scoped(scope, move || -> Result<()> {
            for mut results in raw_rx.iter() {
                for r in &mut results {
                    annotate(r)?;
                }
                if tx.send(std::sync::Arc::new(results)).is_err() {
                    break;
                }
            }
            Ok(())
        })
        .context("cannot start the story linker thread")?;
    // Written batches are freed on a thread of their own: a batch's pages were built on the
    // workers, and freeing them on a writer's thread (the critical path once extraction is
    // done, as in the second pass of story linking) cost it a tenth of its time (1 GB: 3.3 of
    // 24 s in glibc's free). Both writers hand their share of a batch over, so whichever
    // finishes with it last, the freeing happens there. (A send that fails because the thread
    // could not start drops the batch where it is.)
    let (drop_tx, drop_rx) = std::sync::mpsc::sync_channel::<Batch>(WAITING_BATCHES);
    let dropper = std::thread::Builder::new()
        .name("zf-free".into())
        .spawn_scoped(scope, move || drop_rx.iter().for_each(drop));
    let (side_tx, side_thread) = match side {
        Some(side) => {
            let (stx, srx) = std::sync::mpsc::sync_channel::<Batch>(WAITING_BATCHES);
            let side_drop = drop_tx.clone();
            let handle = std::thread::Builder::new()
                .name("zf-workbook".into())
                .spawn_scoped(scope, move || -> Result<()> {
                    for results in srx.iter() {
                        for r in results.iter() {
                            side(r)?;
                        }
                        let _ = side_drop.send(results);
                    }
                    Ok(())
                })
                .context("cannot start the workbook writer thread")?;
            (Some(stx), Some(handle))
        }
        None => (None, None),
    };
    let mut outcome = Ok(());
    'batches: for results in rx.iter() {
        if let Some(stx) = &side_tx {
            if stx.send(results.clone()).is_err() {
                break 'batches; // the side writer failed: its error is reported below
            }
        }
        for r in results.iter() {
            if let Err(e) = main(r) {
                outcome = Err(e);
                break 'batches;
            }
        }
        let _ = drop_tx.send(results);
    }
    drop(rx);
    drop(side_tx);
    drop(drop_tx);
    if let Some(handle) = side_thread {
        let side_outcome = handle
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the workbook writer thread failed")));
        outcome = outcome.and(side_outcome);
    }
    // after the workbook writer, whose copy of the sender keeps the dropper going
    if let Ok(handle) = dropper {
        let _ = handle.join();
    }
    let annotated = annotator
        .join()
        .unwrap_or_else(|_| Err(anyhow::anyhow!("the story linker thread failed")));
    outcome = outcome.and(annotated);
    if producer.join().is_err() {
        outcome = outcome.and(Err(anyhow::anyhow!("a worker thread failed")));
    }
    outcome
}

/// What a run gathers about its files while they stream past the writer: manifest entries,
/// the state to keep, timings.
#[derive(Default)]
struct Tally {
    inputs: Vec<write::InputRecord>,
    state: std::collections::BTreeMap<String, FileState>,
    changes: write::sink::ChangeCounts,
    extracted: usize,
    times: StageTimes,
    read: Duration,
}

impl Tally {
    /// Rows of the row tables (articles, measures, entities) of the files added so far, from
    /// their manifest entries: what pass 1 tells pass 2's workbook.
    fn row_counts(&self) -> [usize; 3] {
        self.inputs.iter().fold([0; 3], |[a, m, e], i| {
            [a + i.articles, m + i.measures, e + i.entities]
        })
    }

    fn add(&mut self, r: &FileResult) {
        self.times += r.times;
        self.read += r.read;
        self.extracted += usize::from(r.extracted);
        let (size, processed) = match &r.outcome {
            FileOutcome::Processed(p) => (p.size, true),
            FileOutcome::Rejected { size, .. } => (*size, false),
        };
        if processed {
            self.changes.add(r.change);
        }
        let path = r.outcome.rel_path().to_string();
        let hash = r.outcome.content_hash().map(str::to_string);
        self.inputs.push(write::input_record(r));
        self.state.insert(
            path,
            FileState {
                content_hash: hash,
                size,
                processed,
                csv: None,
                // set by the second pass, once the links are final
                stories: None,
            },
        );
    }

    /// Records the final links of a processed file (the second pass).
    fn linked(&mut self, r: &FileResult) {
        if let FileOutcome::Processed(p) = &r.outcome {
            if let Some(f) = self.state.get_mut(&p.source_file) {
                f.stories = Some(stories::links_digest(&r.links));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dates_of_other_stories_listed_around_an_article_do_not_date_it() {
        let lex = Lexicon::for_tests();
        let page = "兰州白银高新区综合排名进位\n\n\
            近日,科技部火炬中心公布了国家高新区评价结果,兰州高新区排名上升5位。\n\n\
            相关新闻\n\n\
            - 2020年12月31日兰州高新区举行迎新年企业家畅谈会\n\
            - 2020年12月14日兰州高新区今年新增高新技术企业80户\n";
        let p = process_bytes("a.txt", page.as_bytes(), &lex).unwrap();
        assert_eq!(p.published, None, "the page gives no year of its own");
        // its own text does
        let page = page.replace("近日,", "2021年1月8日,");
        let p = process_bytes("a.txt", page.as_bytes(), &lex).unwrap();
        let d = p.published.unwrap();
        assert_eq!((d.year, d.month, d.day), (2021, 1, 8));
    }

    #[test]
    fn a_site_s_type_size_button_under_the_metadata_line_is_no_text() {
        // a portal's story: its reporters, its date and source, then the button that sets the
        // type size (小字号) on a line of its own
        let lex = Lexicon::for_tests();
        let page = "示例高新区上半年营收增长12%\n\n李明、王芳\n            2025年08月12日09:30 | 来源:示例日报\n小字号\n\n            8月11日,记者从示例高新区获悉,上半年园区实现营业收入520亿元,同比增长12%。\n";
        let p = process_bytes("a.txt", page.as_bytes(), &lex).unwrap();
        assert_eq!(p.articles.len(), 1);
        let text = p.articles[0].text();
        assert!(!text.contains("字号"), "{text}");
        assert!(text.starts_with("8月11日"), "{text}");
        // a sentence that says 中字号 is prose, not the button
        assert!(!crate::lines::is_chrome(
            "一批国字头、中字号大型国企平台落户园区。",
            &lex
        ));
        for button in ["小字号", "大字号", "中字号", "【小字号】"] {
            assert!(crate::lines::is_chrome(button, &lex), "{button}");
        }
    }

    #[test]
    fn a_month_and_day_on_a_line_of_their_own_date_the_story_below() {
        // the day has no year: the page's text gives it, and the line is no article
        let lex = Lexicon::for_tests();
        let page = "3月3日\n示例高新区表彰优秀企业\n\n\
            会上,示例高新区对2024年度作出突出贡献的企业进行表彰。2025年,园区将着力提升科技创新能力。";
        let p = process_bytes("a.txt", page.as_bytes(), &lex).unwrap();
        assert_eq!(p.articles.len(), 1);
        let d = p.published.unwrap();
        assert_eq!((d.year, d.month, d.day), (2025, 3, 3));
        assert_eq!(d.precision, crate::model::DatePrecision::Day);
    }

    #[test]
    fn a_zone_named_once_after_a_semicolon_in_the_lead_is_read() {
        // NFKC folds ; to one byte: the lead sentence's start was cut inside the next
        // character, and the page was rejected as an internal error
        let lex = Lexicon::for_tests();
        for page in [
            "今年全区签约项目12个;苏州高新区新开工项目8个。",
            "今年全区签约项目12个;苏州高新区新开工项目8个。",
        ] {
            let p = process_bytes("a.txt", page.as_bytes(), &lex).unwrap();
            assert_eq!(p.articles.len(), 1);
            assert_eq!(p.articles[0].zones[0].name, "苏州高新区");
        }
    }

    #[test]
    fn a_bare_year_in_the_text_is_the_time_covered_not_the_day_published() {
        let lex = Lexicon::for_tests();
        let page = "第A04版:\n\n示例高新区:立足新起点\n\n本报讯 2021年,示例高新区实际利用省外资金47.24亿元。";
        let p = process_bytes("a.txt", page.as_bytes(), &lex).unwrap();
        assert_eq!(p.published, None);
        // a dateline gives it the month and day
        let page = page.replace("本报讯 ", "本报讯 3月5日,");
        let p = process_bytes("a.txt", page.as_bytes(), &lex).unwrap();
        assert!(p.published.is_some());
    }

    #[test]
    fn a_fifo_swapped_in_after_listing_is_rejected_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("page.txt");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(read_bounded(&fifo, 1 << 20).map(|b| b.len()));
        });
        let read = rx
            .recv_timeout(Duration::from_secs(10))
            .expect("reading a FIFO blocked");
        let (_, rejection) = read.expect_err("a FIFO is no page");
        assert_eq!(rejection.kind, "unreadable");
        assert!(rejection.reason.contains("no longer a regular file"));
    }

    #[test]
    fn a_vanished_file_is_unreadable_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        let (size, r) = read_bounded(&dir.path().join("gone.txt"), 100).unwrap_err();
        assert_eq!((size, r.kind), (0, "unreadable"));
        assert!(r.reason.contains("vanished"), "{}", r.reason);
        let (_, r) = read_bounded(dir.path(), 100).unwrap_err();
        assert_eq!(r.kind, "unreadable", "a folder where a file was");
    }

    #[test]
    fn the_size_limit_is_checked_without_reading_past_it() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.txt");
        std::fs::write(&p, vec![b'x'; 1000]).unwrap();
        let (size, r) = read_bounded(&p, 999).unwrap_err();
        assert_eq!((size, r.kind), (1000, "too_large"));
        assert_eq!(read_bounded(&p, 1000).unwrap().len(), 1000);
    }
}
