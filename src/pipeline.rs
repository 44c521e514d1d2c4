//! The per-file function and the run that maps it over the input folder.
//!
//! [`process_bytes`] is a pure function of a file's bytes and the compiled config: decode →
//! normalize → segment → extract. [`run`] does the I/O at the edges: discover, read (with a
//! size limit), process in parallel with rayon, then hand the pages to the writer.

use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::decode::{decode, DecodeError};
use crate::discover::{discover, FileFilter, InputFile};
use crate::extract::{dates, extract_article};
use crate::lexicon::Lexicon;
use crate::model::Page;
use crate::normalize::{normalize, SourceText};
use crate::segment::segment;
use crate::write::{write_outputs, RunRecord};

/// A page whose articles hold fewer Chinese characters than this is not a news page.
pub const MIN_ARTICLE_HAN_CHARS: usize = 10;

/// Why a file was not processed. Listed in `rejected.csv`; never stops the run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    /// Short code: empty, binary, undecodable, no_article, too_large, unreadable.
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
    let page_published = drafts
        .iter()
        .find_map(|d| d.published)
        .or_else(|| dates::infer_published(&norm.text, lex));
    let articles: Vec<_> = drafts
        .iter()
        .enumerate()
        .map(|(i, d)| extract_article(&norm, &src, d, i + 1, page_published, lex))
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
            content_hash: blake3::hash(bytes).to_hex().to_string(),
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

/// Options of one run, after command-line overrides.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Input folder.
    pub input: PathBuf,
    /// Output folder.
    pub output: PathBuf,
    /// Worker threads.
    pub jobs: usize,
}

/// Reads and processes one file, turning every failure into a rejection.
fn process_file(f: &InputFile, cfg: &Config, lex: &Lexicon) -> (FileOutcome, StageTimes) {
    let reject = |size: u64, hash: Option<String>, kind: &'static str, reason: String| {
        (
            FileOutcome::Rejected {
                rel_path: f.rel_path.clone(),
                size,
                content_hash: hash,
                rejection: Rejection { kind, reason },
            },
            StageTimes::default(),
        )
    };
    let max = *cfg.input.max_file_size.get_ref();
    let size = std::fs::metadata(&f.path)
        .map(|m| m.len())
        .unwrap_or(f.size);
    if size > max {
        return reject(
            size,
            None,
            "too_large",
            format!("file is {size} bytes, over the limit of {max} bytes (input.max_file_size)"),
        );
    }
    let bytes = match std::fs::read(&f.path) {
        Ok(b) => b,
        Err(e) => return reject(size, None, "unreadable", format!("cannot be read: {e}")),
    };
    // a bug in an extractor must not take the whole night's run down with it
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        process_timed(&f.rel_path, &bytes, lex)
    }));
    let result = match result {
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
    };
    match result {
        Ok((page, t)) => (FileOutcome::Processed(Box::new(page)), t),
        Err(r) => reject(
            bytes.len() as u64,
            Some(blake3::hash(&bytes).to_hex().to_string()),
            r.kind,
            r.reason,
        ),
    }
}

/// Runs the whole job: discover, process in parallel, write. Returns the run record.
pub fn run(cfg: &Config, opts: &RunOptions) -> Result<RunRecord> {
    let started = chrono::Utc::now();
    let clock = Instant::now();
    let lex = Lexicon::from_config(cfg)?;
    let filter = FileFilter::new(
        &cfg.input
            .include
            .iter()
            .map(|s| s.get_ref().clone())
            .collect::<Vec<_>>(),
        &cfg.input
            .exclude
            .iter()
            .map(|s| s.get_ref().clone())
            .collect::<Vec<_>>(),
    )?;
    let (files, unlisted) = discover(&opts.input, &filter)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.max(1))
        .build()
        .context("cannot start the worker threads")?;
    let results: Vec<(FileOutcome, StageTimes)> = pool.install(|| {
        files
            .par_iter()
            .map(|f| process_file(f, cfg, &lex))
            .collect()
    });
    let mut times = StageTimes::default();
    let mut outcomes = Vec::with_capacity(results.len() + unlisted.len());
    for (o, t) in results {
        times += t;
        outcomes.push(o);
    }
    for u in unlisted {
        outcomes.push(FileOutcome::Rejected {
            rel_path: u.rel_path,
            size: 0,
            content_hash: None,
            rejection: Rejection {
                kind: "unreadable",
                reason: u.reason,
            },
        });
    }
    let process_secs = clock.elapsed().as_secs_f64();
    write_outputs(cfg, opts, &lex, outcomes, times, started, process_secs)
}
