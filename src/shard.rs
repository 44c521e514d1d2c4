//! Scale-out: `run --shard K/N` and `merge`.
//!
//! A shard processes exactly the input files whose stable path hash falls in shard K of N and
//! writes part files into a dataset folder, Hive-style, so an existing scheduler (a Kubernetes
//! Indexed Job, a Slurm array, an Airflow task map) can run the shards as independent
//! processes with no coordination, and DuckDB or Spark can read the parts as one dataset:
//!
//! ```text
//! DATASET/parquet/articles/part-K-of-N.parquet   (DATASET/csv/articles/part-K-of-N.csv)
//! DATASET/parquet/measures/part-K-of-N.parquet
//! DATASET/parquet/zones/part-K-of-N.parquet      (zones seen by that shard)
//! DATASET/parquet/entities/part-K-of-N.parquet
//! DATASET/csv/rejected/part-K-of-N.csv
//! DATASET/_pages/part-K-of-N.msgpack     (the shard's pages, for merge)
//! DATASET/_pages/part-K-of-N.stamp.json  (what made them: version, config, run id, checksum)
//! ```
//!
//! `merge` refuses (exit 1, naming the part) a part without a stamp, made by another program
//! version, config or data files, of another shard count or run id, or whose pages no longer
//! match their checksum: a leftover of last night or a damaged file would otherwise give wrong
//! tables with exit 0.
//!
//! `merge` reads every shard's pages and writes the same four tables, byte for byte, that a
//! single run over the whole input writes: the tables are built by the same code from the same
//! pages in the same (source-file) order.

use std::fmt;
use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::discover::{discover, FileFilter};
use crate::lexicon::Lexicon;
use crate::model::Page;
use crate::pipeline::{self, Change, FileOutcome, FileResult, Rejection, StageTimes};
use crate::stories::{Linker, StoryRules};
use crate::write;

/// The most shards a dataset may be cut into: `merge` keeps one page per shard in memory.
pub const MAX_SHARDS: u32 = 4096;

/// Shard K of N (0 ≤ K < N).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This shard's index, like `JOB_COMPLETION_INDEX` or `SLURM_ARRAY_TASK_ID`.
    pub k: u32,
    /// Number of shards.
    pub n: u32,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| format!("expected K/N (e.g. 0/4), got {s:?}"))?;
        let k: u32 = k
            .trim()
            .parse()
            .map_err(|_| format!("bad shard index {k:?}"))?;
        let n: u32 = n
            .trim()
            .parse()
            .map_err(|_| format!("bad shard count {n:?}"))?;
        if n == 0 || n > MAX_SHARDS {
            return Err(format!("shard count must be 1 to {MAX_SHARDS}, got {n}"));
        }
        if k >= n {
            return Err(format!("shard index must be 0..{n}, got {k}"));
        }
        Ok(Shard { k, n })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

impl Shard {
    /// True when the file with this relative path belongs to this shard. The hash depends on
    /// the path only, so every shard process agrees without talking to the others.
    pub fn owns(&self, rel_path: &str) -> bool {
        let h = blake3::hash(rel_path.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&h.as_bytes()[..8]);
        u64::from_le_bytes(first) % u64::from(self.n) == u64::from(self.k)
    }

    /// `part-K-of-N.EXT`.
    pub fn part_name(&self, ext: &str) -> String {
        format!("part-{}-of-{}.{ext}", self.k, self.n)
    }
}

/// One record of a shard's pages file: a stream of MessagePack values, one per input file in
/// source-file order, closed by an `End` that counts them (so a cut-off file is detected,
/// not read as a shorter shard). `merge` reads the shards' streams side by side, one entry
/// at a time, so it needs memory for one page per shard, not for the corpus.
#[derive(Debug, Clone, Serialize, Deserialize)]
enum PartEntry {
    Page(Box<Page>),
    Rejected {
        rel_path: String,
        size: u64,
        content_hash: Option<String>,
        kind: String,
        reason: String,
    },
    End {
        entries: u64,
    },
}

impl PartEntry {
    fn from_outcome(o: &FileOutcome) -> PartEntry {
        match o {
            FileOutcome::Processed(p) => PartEntry::Page(p.clone()),
            FileOutcome::Rejected {
                rel_path,
                size,
                content_hash,
                rejection,
            } => PartEntry::Rejected {
                rel_path: rel_path.clone(),
                size: *size,
                content_hash: content_hash.clone(),
                kind: rejection.kind.to_string(),
                reason: rejection.reason.clone(),
            },
        }
    }

    /// The file result, or `None` for the end marker.
    fn into_result(self) -> Option<FileResult> {
        let outcome = match self {
            PartEntry::Page(page) => FileOutcome::Processed(page),
            PartEntry::Rejected {
                rel_path,
                size,
                content_hash,
                kind,
                reason,
            } => FileOutcome::Rejected {
                rel_path,
                size,
                content_hash,
                rejection: Rejection {
                    kind: pipeline::rejection_kind(&kind),
                    reason,
                },
            },
            PartEntry::End { .. } => return None,
        };
        Some(FileResult {
            outcome,
            change: Change::New,
            extracted: false,
            times: StageTimes::default(),
            read: std::time::Duration::ZERO,
            cache_entry: None,
            prints: Vec::new(),
            links: Vec::new(),
        })
    }
}

/// Writes a shard's pages file entry by entry.
struct PagesWriter {
    out: BufWriter<File>,
    entries: u64,
}

impl PagesWriter {
    fn add(&mut self, o: &FileOutcome) -> Result<()> {
        rmp_serde::encode::write_named(&mut self.out, &PartEntry::from_outcome(o))
            .context("cannot encode the shard's pages")?;
        self.entries += 1;
        Ok(())
    }

    /// Writes the end marker and syncs the file (still under its temporary name `tmp`).
    fn finish(mut self, tmp: &Path) -> Result<()> {
        let end = PartEntry::End {
            entries: self.entries,
        };
        rmp_serde::encode::write_named(&mut self.out, &end)
            .context("cannot encode the shard's pages")?;
        let f = self
            .out
            .into_inner()
            .map_err(|e| anyhow::anyhow!("cannot write {}: {}", tmp.display(), e.error()))?;
        f.sync_all()
            .with_context(|| format!("cannot sync {}", tmp.display()))
    }
}

/// Reads a shard's pages file one entry at a time.
struct PagesReader {
    path: PathBuf,
    de: rmp_serde::Deserializer<rmp_serde::decode::ReadReader<BufReader<File>>>,
    read: u64,
    done: bool,
}

impl PagesReader {
    fn open(path: &Path) -> Result<PagesReader> {
        let f = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        Ok(PagesReader {
            path: path.to_path_buf(),
            de: rmp_serde::Deserializer::new(BufReader::new(f)),
            read: 0,
            done: false,
        })
    }

    /// The next file result; `None` after the end marker.
    fn next_result(&mut self) -> Result<Option<FileResult>> {
        if self.done {
            return Ok(None);
        }
        let entry = PartEntry::deserialize(&mut self.de).with_context(|| {
            format!(
                "{} is not a complete zonefacts shard file (cut off, or from another version); run that shard again",
                self.path.display()
            )
        })?;
        match entry {
            PartEntry::End { entries } => {
                if entries != self.read {
                    bail!(
                        "{} holds {} entries but says {entries}; run that shard again",
                        self.path.display(),
                        self.read
                    );
                }
                self.done = true;
                Ok(None)
            }
            e => {
                self.read += 1;
                Ok(e.into_result())
            }
        }
    }
}

const PAGES_DIR: &str = "_pages";
const TABLE_EXTS: &[&str] = &["parquet", "csv"];

/// What a shard wrote.
#[derive(Debug, Clone)]
pub struct ShardSummary {
    /// Files of this shard.
    pub files: usize,
    /// Of which rejected.
    pub rejected: usize,
    /// Articles written.
    pub articles: usize,
    /// Figures written.
    pub measures: usize,
    /// Part files written (relative to the dataset folder).
    pub parts: Vec<PathBuf>,
}

/// Config for part files: only the table formats (no workbook or report per shard).
fn part_config(cfg: &Config) -> Config {
    let mut c = cfg.clone();
    c.output
        .formats
        .get_mut()
        .retain(|f| TABLE_EXTS.contains(&f.as_str()));
    if c.output.formats.get_ref().is_empty() {
        c.output.formats.get_mut().push("parquet".into());
    }
    c
}

/// Runs shard K of N over `input`, writing part files into `dataset`.
pub fn run_shard(
    cfg: &Config,
    input: &Path,
    dataset: &Path,
    shard: Shard,
    run_id: Option<&str>,
    jobs: usize,
    max_file_size: u64,
) -> Result<ShardSummary> {
    let lex = Lexicon::from_config(cfg)?;
    let filter = FileFilter::from_config(cfg)?.skip_dir(dataset);
    let (files, unlisted) = discover(input, &filter)?;
    let mine: Vec<_> = files
        .into_iter()
        .filter(|f| shard.owns(&f.rel_path))
        .collect();
    let mut unlisted: std::collections::VecDeque<FileResult> = unlisted
        .into_iter()
        .filter(|u| shard.owns(&u.rel_path))
        .map(|u| FileResult::unlisted(u, Change::New))
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .thread_name(|i| format!("zf-worker-{i}"))
        .build()
        .context("cannot start the worker threads")?;

    std::fs::create_dir_all(dataset)
        .with_context(|| format!("cannot create {}", dataset.display()))?;
    let tmp = dataset.join(format!(".tmp-{}", shard.part_name("d")));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).ok();
    }
    std::fs::create_dir_all(&tmp)?;
    let pages_tmp = tmp.join(shard.part_name("msgpack"));
    let mut pages = PagesWriter {
        out: BufWriter::new(
            File::create(&pages_tmp)
                .with_context(|| format!("cannot create {}", pages_tmp.display()))?,
        ),
        entries: 0,
    };
    let story_rules = StoryRules::from_section(&cfg.stories);
    let mut linker = Linker::new(story_rules.clone());
    let mut files_seen = 0;
    // pass 1: extract and link; the pages file is the spool pass 2 writes the tables from,
    // once every story's representative is known (files the walk could not list join the
    // sorted stream where their path belongs)
    let mut take = |r: &FileResult, pages: &mut PagesWriter| -> Result<()> {
        pages.add(&r.outcome)?;
        files_seen += 1;
        Ok(())
    };
    pipeline::stream_in_order(
        &mine,
        &pool,
        jobs,
        |f| {
            let mut r = pipeline::extract_path(f, max_file_size, &lex);
            r.add_prints(&story_rules);
            r
        },
        // a shard's parts link the stories of its own files; `merge` links them all
        &mut |r: &mut FileResult| {
            pipeline::link_file(&mut linker, r);
            Ok(())
        },
        &mut |r: &FileResult| {
            while unlisted
                .front()
                .is_some_and(|u| u.outcome.rel_path() < r.outcome.rel_path())
            {
                if let Some(u) = unlisted.pop_front() {
                    take(&u, &mut pages)?;
                }
            }
            take(r, &mut pages)
        },
        None,
    )?;
    for u in unlisted.drain(..) {
        take(&u, &mut pages)?;
    }
    pages.finish(&pages_tmp)?;
    // pass 2: the tables
    let mut book = linker.finish();
    let part_cfg = part_config(cfg);
    let mut sink = write::Sink::create(&part_cfg, &tmp, write::sink::Part::All, jobs > 1)?;
    let mut spool = PagesReader::open(&pages_tmp)?;
    while let Some(mut r) = spool.next_result()? {
        pipeline::assign_links(&mut book, &mut r)?;
        sink.push(&r.outcome, r.change, &r.links)?;
    }
    book.finish()?;
    let written = sink.finish(files_seen)?;
    let mut parts = Vec::new();
    for o in &written.outputs {
        let (stem, ext) = o
            .file
            .rsplit_once('.')
            .ok_or_else(|| anyhow::anyhow!("unexpected output {}", o.file))?;
        // one tree per format, so that Spark, DuckDB, polars and pyarrow read a table's folder
        // as one dataset: DATASET/parquet/measures/…, DATASET/csv/measures/…
        let dir = dataset.join(ext).join(stem);
        std::fs::create_dir_all(&dir)?;
        let to = dir.join(shard.part_name(ext));
        std::fs::rename(tmp.join(&o.file), &to)
            .with_context(|| format!("cannot move {} into place", to.display()))?;
        parts.push(to.strip_prefix(dataset).unwrap_or(&to).to_path_buf());
    }
    let pages_dir = dataset.join(PAGES_DIR);
    std::fs::create_dir_all(&pages_dir)?;
    let pages_path = pages_dir.join(shard.part_name("msgpack"));
    let stamp = PartStamp::new(
        cfg,
        shard,
        run_id,
        file_blake3(&pages_tmp)?,
        files_seen as u64,
    );
    // the stamp goes last: a part whose stamp is there is complete
    let stamp_file = stamp_path(&pages_path);
    let _ = std::fs::remove_file(&stamp_file);
    std::fs::rename(&pages_tmp, &pages_path)
        .with_context(|| format!("cannot move {} into place", pages_path.display()))?;
    let stamp_tmp = tmp.join("stamp.json");
    std::fs::write(&stamp_tmp, serde_json::to_string_pretty(&stamp)? + "\n")
        .with_context(|| format!("cannot write {}", stamp_tmp.display()))?;
    std::fs::rename(&stamp_tmp, &stamp_file)
        .with_context(|| format!("cannot move {} into place", stamp_file.display()))?;
    parts.push(PathBuf::from(PAGES_DIR).join(shard.part_name("msgpack")));
    parts.push(PathBuf::from(PAGES_DIR).join(shard.part_name("stamp.json")));
    std::fs::remove_dir_all(&tmp).ok();
    Ok(ShardSummary {
        files: files_seen,
        rejected: written.rejected,
        articles: written.articles,
        measures: written.measures,
        parts,
    })
}

/// What made a shard's pages file, written beside it (`part-K-of-N.stamp.json`) once the
/// pages are complete. `merge` checks every part's stamp before reading any page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartStamp {
    /// `zonefacts`.
    pub program: String,
    /// Program version that wrote the part.
    pub version: String,
    /// blake3 of the config file it ran with.
    pub config_hash: String,
    /// blake3 of the gazetteer and place list it ran with.
    pub data_hash: String,
    /// `K/N`.
    pub shard: String,
    /// The run id given to `run --shard … --run-id`, shared by the shards of one night.
    pub run_id: Option<String>,
    /// blake3 of the pages file.
    pub pages_blake3: String,
    /// Input files in the pages file.
    pub entries: u64,
}

impl PartStamp {
    fn new(cfg: &Config, shard: Shard, run_id: Option<&str>, hash: String, entries: u64) -> Self {
        let key = crate::state::ExtractionKey::current(cfg);
        PartStamp {
            program: "zonefacts".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            config_hash: cfg.hash.clone(),
            data_hash: key.gazetteer_hash,
            shard: shard.to_string(),
            run_id: run_id.map(str::to_string),
            pages_blake3: hash,
            entries,
        }
    }
}

/// blake3 of a file's bytes.
fn file_blake3(path: &Path) -> Result<String> {
    let mut h = blake3::Hasher::new();
    h.update_reader(File::open(path).with_context(|| format!("cannot read {}", path.display()))?)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(h.finalize().to_hex().to_string())
}

/// The stamp file of a pages file.
fn stamp_path(pages: &Path) -> PathBuf {
    pages.with_extension("stamp.json")
}

/// Checks every part's stamp against this program, `cfg`, the other parts and `run_id`
/// (when given), and every pages file against its checksum. The error names the part.
fn check_parts(parts: &[PathBuf], cfg: &Config, run_id: Option<&str>) -> Result<()> {
    let expected = PartStamp::new(cfg, Shard { k: 0, n: 1 }, None, String::new(), 0);
    let mut first_run_id: Option<(Option<String>, String)> = None;
    for pages in parts {
        let name = pages
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stamp_file = stamp_path(pages);
        let text = std::fs::read_to_string(&stamp_file).with_context(|| {
            format!(
                "part {name} has no stamp ({} is missing: cut off, or written by an older \
                 zonefacts); run that shard again",
                stamp_file.display()
            )
        })?;
        let stamp: PartStamp = serde_json::from_str(&text).with_context(|| {
            format!("part {name}: its stamp is not readable; run that shard again")
        })?;
        let refuse = |what: &str| -> Result<()> {
            bail!(
                "part {name} was {what}; run that shard again (or remove the dataset's old parts)"
            )
        };
        let (k, n) = name
            .strip_prefix("part-")
            .and_then(|r| r.strip_suffix(".msgpack"))
            .and_then(|r| r.split_once("-of-"))
            .unwrap_or_default();
        if stamp.shard != format!("{k}/{n}") {
            refuse(&format!("stamped as shard {}", stamp.shard))?;
        }
        if stamp.program != expected.program || stamp.version != expected.version {
            refuse(&format!(
                "written by {} {}, not this zonefacts {}",
                stamp.program, stamp.version, expected.version
            ))?;
        }
        if stamp.config_hash != expected.config_hash {
            refuse("made with another config file than this merge's")?;
        }
        if stamp.data_hash != expected.data_hash {
            refuse("made with another gazetteer or place list than this merge's")?;
        }
        if let Some(want) = run_id {
            if stamp.run_id.as_deref() != Some(want) {
                refuse(&format!(
                    "made by run {:?}, not {want:?}",
                    stamp.run_id.as_deref().unwrap_or("(none)")
                ))?;
            }
        }
        match &first_run_id {
            None => first_run_id = Some((stamp.run_id.clone(), name.clone())),
            Some((id, other)) if *id != stamp.run_id => refuse(&format!(
                "made by run {:?} but {other} by run {:?}",
                stamp.run_id.as_deref().unwrap_or("(none)"),
                id.as_deref().unwrap_or("(none)")
            ))?,
            Some(_) => {}
        }
        if file_blake3(pages)? != stamp.pages_blake3 {
            bail!("part {name} is damaged: its pages no longer match their checksum; run that shard again");
        }
    }
    Ok(())
}

/// The shards' page files in `dataset`: all of one N, every K present.
fn part_files(dataset: &Path) -> Result<Vec<PathBuf>> {
    let dir = dataset.join(PAGES_DIR);
    let mut found: Vec<(u32, u32, PathBuf)> = Vec::new();
    for e in std::fs::read_dir(&dir).with_context(|| {
        format!(
            "{} holds no shard output ({} missing)",
            dataset.display(),
            dir.display()
        )
    })? {
        let p = e?.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let Some(rest) = name
            .strip_prefix("part-")
            .and_then(|r| r.strip_suffix(".msgpack"))
        else {
            continue;
        };
        let Some((k, n)) = rest.split_once("-of-") else {
            continue;
        };
        if let (Ok(k), Ok(n)) = (k.parse(), n.parse()) {
            found.push((n, k, p));
        }
    }
    found.sort();
    let Some(&(n, _, _)) = found.first() else {
        bail!("no shard output in {}", dir.display());
    };
    if found.iter().any(|(m, _, _)| *m != n) {
        bail!(
            "{} mixes shard counts; rerun the shards into an empty folder",
            dir.display()
        );
    }
    let missing: Vec<String> = (0..n)
        .filter(|k| !found.iter().any(|(_, fk, _)| fk == k))
        .map(|k| format!("{k}/{n}"))
        .collect();
    if !missing.is_empty() {
        bail!(
            "shards {} have not written their output yet",
            missing.join(", ")
        );
    }
    Ok(found.into_iter().map(|(_, _, p)| p).collect())
}

/// Hands every file result of the shards' pages files `parts` to `take`, in source-file
/// order. The files are each in that order, so they are merged like sorted runs: one entry
/// per shard in memory, the smallest path next. A path in two shards (shards run over
/// different inputs) stops the merge.
fn merged(parts: &[PathBuf], mut take: impl FnMut(FileResult) -> Result<()>) -> Result<()> {
    let mut readers = parts
        .iter()
        .map(|p| PagesReader::open(p))
        .collect::<Result<Vec<_>>>()?;
    let mut heads = readers
        .iter_mut()
        .map(PagesReader::next_result)
        .collect::<Result<Vec<_>>>()?;
    let mut last: Option<String> = None;
    loop {
        let next = heads
            .iter()
            .enumerate()
            .filter_map(|(i, h)| h.as_ref().map(|r| (r.outcome.rel_path(), i)))
            .min()
            .map(|(_, i)| i);
        let Some(i) = next else { break };
        let Some(r) = heads[i].take() else { break };
        let path = r.outcome.rel_path().to_string();
        if last.as_deref() == Some(path.as_str()) {
            bail!("{path} appears in two shards: the shards did not run over the same input");
        }
        take(r)?;
        last = Some(path);
        heads[i] = readers[i].next_result()?;
    }
    Ok(())
}

/// Merges the shards of `dataset` into the tables of `output` (published like a run's),
/// reading the shards' pages files twice: once to link the stories, once to write.
pub fn merge(
    cfg: &Config,
    dataset: &Path,
    output: &Path,
    run_id: Option<&str>,
) -> Result<write::Written> {
    let clock = Instant::now();
    let parts = part_files(dataset)?;
    check_parts(&parts, cfg, run_id)?;
    // pass 1 links every story across the shards; pass 2 writes with the final links
    let mut linker = Linker::new(StoryRules::from_section(&cfg.stories));
    merged(&parts, |mut r| {
        pipeline::link_file(&mut linker, &mut r);
        Ok(())
    })?;
    let mut book = linker.finish();
    std::fs::create_dir_all(output)?;
    let record = write::publish_run(
        output,
        cfg.keep_previous(),
        |staging: &Path| -> Result<write::RunRecord> {
            let mut sink = write::Sink::create(cfg, staging, write::sink::Part::All, true)?;
            let mut inputs = Vec::new();
            merged(&parts, |mut r| {
                pipeline::assign_links(&mut book, &mut r)?;
                sink.push(&r.outcome, r.change, &r.links)?;
                inputs.push(write::input_record(&r));
                Ok(())
            })?;
            book.finish()?;
            let written = sink.finish(inputs.len())?;
            let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            Ok(write::RunRecord {
                program: "zonefacts".into(),
                version: env!("CARGO_PKG_VERSION").into(),
                config_hash: cfg.hash.clone(),
                config: cfg.source.clone(),
                started_at: now.clone(),
                finished_at: now,
                seconds: clock.elapsed().as_secs_f64(),
                jobs: 1,
                input_dir: format!("merge of {}", dataset.display()),
                rebuild_reason: Some("merged from shard output".into()),
                counts: write::Counts {
                    files: inputs.len(),
                    processed: written.processed,
                    rejected: written.rejected,
                    new: written.processed,
                    changed: 0,
                    reused: 0,
                    rebuilt: 0,
                    removed: 0,
                    extracted: 0,
                    articles: written.articles,
                    measures: written.measures,
                    zones: written.zones,
                    entities: written.entities,
                    stories: written.stories,
                    reprints: written.articles - written.stories,
                },
                stage_seconds: write::StageSeconds {
                    read: 0.0,
                    decode: 0.0,
                    normalize: 0.0,
                    segment: 0.0,
                    extract: 0.0,
                    write: clock.elapsed().as_secs_f64(),
                    link: 0.0,
                },
                inputs,
                removed: Vec::new(),
                outputs: written.outputs,
            })
        },
    )
    .context("cannot merge the shards")?;
    Ok(record.written())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_paths() {
        let paths: Vec<String> = (0..1000)
            .map(|i| format!("{:04}/{i:06}.txt", i / 100))
            .collect();
        let n = 4;
        let mut counts = vec![0; n as usize];
        for p in &paths {
            let owners: Vec<u32> = (0..n).filter(|&k| Shard { k, n }.owns(p)).collect();
            assert_eq!(owners.len(), 1, "{p} belongs to exactly one shard");
            counts[owners[0] as usize] += 1;
        }
        assert!(counts.iter().all(|&c| c > 200), "balanced: {counts:?}");
    }

    #[test]
    fn shard_syntax() {
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard { k: 2, n: 4 }));
        assert!("4/4".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
        assert_eq!(
            Shard { k: 0, n: 3 }.part_name("parquet"),
            "part-0-of-3.parquet"
        );
    }
}
