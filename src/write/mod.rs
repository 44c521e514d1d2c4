//! Stage 6: write the tables, `rejected.csv` and `_manifest.json`.
//!
//! Everything is written into a staging folder handed in by the caller, streaming, by the
//! [`Sink`]; [`publish`] then switches the whole set into place at once. The manifest is
//! written last. This is the only stage that builds DataFrames.

pub mod csv_out;
pub mod csv_reuse;
pub mod late_head;
pub mod parquet_out;
pub mod publish;
pub mod report;
pub mod sink;
pub mod tables;
pub mod xlsx;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::pipeline::{FileOutcome, FileResult};
pub use sink::Sink;

/// File name of the manifest.
pub const MANIFEST: &str = "_manifest.json";
/// File name of the list of rejected files.
pub const REJECTED: &str = "rejected.csv";
/// The Excel workbook (format `xlsx`).
pub const WORKBOOK: &str = "zonefacts.xlsx";
/// The run report (format `report`).
pub const REPORT: &str = "report.html";

/// One input file in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputRecord {
    /// Path relative to the input folder.
    pub source_file: String,
    /// Bytes.
    pub size: u64,
    /// blake3 of the bytes (null when unreadable).
    pub content_hash: Option<String>,
    /// `processed` or `rejected`.
    pub status: String,
    /// What this run did with the file: `new`, `changed` (both extracted, unless a killed run
    /// had already cached them), `reused` (unchanged, cached result used), `rebuilt`
    /// (unchanged, extracted again: `--full`, or a new program or config) or `rejected`.
    #[serde(default)]
    pub outcome: String,
    /// Rejection code (see `rejected.csv`), for rejected files.
    #[serde(default)]
    pub kind: Option<String>,
    /// Encoding it was decoded from.
    pub encoding: Option<String>,
    /// Articles found.
    pub articles: usize,
    /// Figures found.
    pub measures: usize,
    /// Entities found.
    pub entities: usize,
    /// Non-fatal problems.
    pub warnings: Vec<String>,
    /// Why it was rejected.
    pub reason: Option<String>,
}

/// One output file in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutputRecord {
    /// File name inside the output folder.
    pub file: String,
    /// Data rows.
    pub rows: usize,
    /// Size in bytes.
    pub bytes: u64,
    /// blake3 of the file's bytes: a quiet night republishes the file, and an incremental
    /// run copies CSV rows from it, only while it still has these bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blake3: Option<String>,
}

/// blake3 of a file, read in large blocks (memory-mapped files would let a concurrent
/// writer change the bytes under the hash).
pub fn file_checksum(path: &Path) -> std::io::Result<String> {
    let mut h = blake3::Hasher::new();
    h.update_reader(std::fs::File::open(path)?)?;
    Ok(h.finalize().to_hex().to_string())
}

impl OutputRecord {
    /// Whether the file at `path` still has the size and the bytes this record gives (never
    /// for a record without a checksum, written before checksums existed).
    pub fn matches(&self, path: &Path) -> bool {
        let Some(want) = self.blake3.as_deref() else {
            return false;
        };
        std::fs::metadata(path).is_ok_and(|m| m.len() == self.bytes)
            && file_checksum(path).is_ok_and(|h| h == want)
    }
}

/// Seconds spent per stage, summed over the threads that did it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StageSeconds {
    /// Reading and hashing input files, and loading cached results.
    #[serde(default)]
    pub read: f64,
    /// Bytes → text.
    pub decode: f64,
    /// Normalization.
    pub normalize: f64,
    /// Segmentation.
    pub segment: f64,
    /// Extraction.
    pub extract: f64,
    /// Writing all outputs (summed over the writer threads; writing overlaps extraction).
    pub write: f64,
    /// Linking reprints into stories (on a thread of its own; it overlaps extraction and
    /// writing). The story prints are made by the workers, after extraction.
    #[serde(default)]
    pub link: f64,
}

/// Totals of a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    /// Input files seen.
    pub files: usize,
    /// Processed.
    pub processed: usize,
    /// Rejected.
    pub rejected: usize,
    /// Processed files not in the previous run.
    #[serde(default)]
    pub new: usize,
    /// Processed files whose content changed since the previous run.
    #[serde(default)]
    pub changed: usize,
    /// Unchanged processed files whose cached result was used.
    #[serde(default)]
    pub reused: usize,
    /// Unchanged processed files extracted again (full rebuild).
    #[serde(default)]
    pub rebuilt: usize,
    /// Files of the previous run that are gone from the input folder.
    #[serde(default)]
    pub removed: usize,
    /// Files actually extracted by this run (not taken from the cache).
    #[serde(default)]
    pub extracted: usize,
    /// Articles written.
    pub articles: usize,
    /// Figures written.
    pub measures: usize,
    /// Zones written.
    pub zones: usize,
    /// Entity rows written.
    pub entities: usize,
    /// Distinct stories among the articles (reprints linked, [`crate::stories`]).
    #[serde(default)]
    pub stories: usize,
    /// Articles that are copies of another article's story (`duplicate_of` set).
    #[serde(default)]
    pub reprints: usize,
}

/// `_manifest.json`: everything about one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// Always `zonefacts`.
    pub program: String,
    /// Program version.
    pub version: String,
    /// blake3 of the config file.
    pub config_hash: String,
    /// Which config the run used: its file, or the defaults built into the binary.
    #[serde(default)]
    pub config: String,
    /// When the run started (UTC, RFC 3339).
    pub started_at: String,
    /// When the run finished (UTC, RFC 3339).
    pub finished_at: String,
    /// Wall time in seconds.
    pub seconds: f64,
    /// Worker threads used.
    pub jobs: usize,
    /// The input folder.
    #[serde(default)]
    pub input_dir: String,
    /// Why every file was extracted again (`--full`, a new program or config, no previous
    /// run); null for an incremental run.
    #[serde(default)]
    pub rebuild_reason: Option<String>,
    /// Totals.
    pub counts: Counts,
    /// Per-stage time split.
    pub stage_seconds: StageSeconds,
    /// Every input file.
    pub inputs: Vec<InputRecord>,
    /// Files of the previous run that are gone from the input folder (their rows left the
    /// tables).
    #[serde(default)]
    pub removed: Vec<String>,
    /// Every output file.
    pub outputs: Vec<OutputRecord>,
}

impl RunRecord {
    /// What the run wrote: its outputs and row totals.
    pub fn written(&self) -> Written {
        let c = &self.counts;
        Written {
            outputs: self.outputs.clone(),
            processed: c.processed,
            rejected: c.rejected,
            articles: c.articles,
            measures: c.measures,
            zones: c.zones,
            entities: c.entities,
            stories: c.stories,
            seconds: self.stage_seconds.write,
            csv_ranges: Vec::new(),
        }
    }

    /// Reads a manifest.
    pub fn load(path: &Path) -> Result<RunRecord> {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        serde_json::from_slice(&bytes)
            .with_context(|| format!("{} is not a zonefacts manifest", path.display()))
    }
}

/// What the tables came to: the output files written and the row totals.
#[derive(Debug, Clone, Default)]
pub struct Written {
    /// Every file written, in writing order (without the manifest).
    pub outputs: Vec<OutputRecord>,
    /// Processed files.
    pub processed: usize,
    /// Rejected files.
    pub rejected: usize,
    /// Article rows.
    pub articles: usize,
    /// Figure rows.
    pub measures: usize,
    /// Zone rows.
    pub zones: usize,
    /// Entity rows.
    pub entities: usize,
    /// Stories among the articles (representative articles).
    pub stories: usize,
    /// Seconds the sinks spent writing (summed over sinks that ran side by side).
    pub seconds: f64,
    /// Where each processed input file's rows are in the row tables' CSV files (for the run
    /// state); empty when no CSV was written.
    pub csv_ranges: Vec<(String, crate::state::CsvRanges)>,
}

/// Writes a run's files into a new staging folder of `output` with `stage`, then the
/// manifest `stage` returns, and publishes the files the manifest lists together with it, at
/// once. When `stage` (or anything after it) fails, the staging folder is removed and the
/// published tables stay as they were. The generation it replaces stays readable for
/// `keep_previous`.
pub fn publish_run(
    output: &Path,
    keep_previous: std::time::Duration,
    stage: impl FnOnce(&Path) -> Result<RunRecord>,
) -> Result<RunRecord> {
    let staging = publish::Staging::begin(output, keep_previous)?;
    let staged = stage(staging.dir()).and_then(|record| {
        write_manifest(staging.dir(), &record)?;
        Ok(record)
    });
    let record = match staged {
        Ok(r) => r,
        Err(e) => {
            let _ = std::fs::remove_dir_all(staging.dir());
            return Err(e);
        }
    };
    let mut names: Vec<String> = record.outputs.iter().map(|o| o.file.clone()).collect();
    names.push(MANIFEST.to_string());
    staging
        .commit(&names)
        .context("cannot publish the new tables")?;
    Ok(record)
}

/// Writes `_manifest.json` into `dir` and syncs it.
pub fn write_manifest(dir: &Path, record: &RunRecord) -> Result<()> {
    // streamed to the file: with tens of thousands of inputs the text would be tens of MB
    let path = dir.join(MANIFEST);
    let write = || -> std::io::Result<()> {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&path)?);
        serde_json::to_writer_pretty(&mut w, record)?;
        w.write_all(b"\n")?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()
    };
    write().with_context(|| format!("cannot write {}", path.display()))
}

/// The manifest entries of every input file, in source-file order.
pub fn input_records(results: &[FileResult]) -> Vec<InputRecord> {
    let mut v: Vec<InputRecord> = results.iter().map(input_record).collect();
    v.sort_by(|a, b| a.source_file.cmp(&b.source_file));
    v
}

/// The manifest entry of one input file.
pub fn input_record(r: &FileResult) -> InputRecord {
    match &r.outcome {
        FileOutcome::Processed(p) => InputRecord {
            source_file: p.source_file.clone(),
            size: p.size,
            content_hash: Some(p.content_hash.clone()),
            status: "processed".into(),
            outcome: r.change.as_str().into(),
            kind: None,
            encoding: Some(p.encoding.clone()),
            articles: p.articles.len(),
            measures: p.articles.iter().map(|a| a.figures.len()).sum(),
            entities: p.articles.iter().map(|a| a.entities.len()).sum(),
            warnings: p.warnings.clone(),
            reason: None,
        },
        FileOutcome::Rejected {
            rel_path,
            size,
            content_hash,
            rejection,
        } => InputRecord {
            source_file: rel_path.clone(),
            size: *size,
            content_hash: content_hash.clone(),
            status: "rejected".into(),
            outcome: "rejected".into(),
            kind: Some(rejection.kind.to_string()),
            encoding: None,
            articles: 0,
            measures: 0,
            entities: 0,
            warnings: Vec::new(),
            reason: Some(rejection.reason.clone()),
        },
    }
}

/// Output file names a run with `cfg` writes (for tests and docs).
pub fn output_files(cfg: &Config) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for t in crate::schema::TABLES {
        for fmt in ["parquet", "csv"] {
            if cfg.writes(fmt) {
                v.push(PathBuf::from(format!("{}.{fmt}", t.name)));
            }
        }
    }
    v.push(REJECTED.into());
    if cfg.writes("xlsx") {
        v.push(WORKBOOK.into());
    }
    if cfg.writes("report") {
        v.push(REPORT.into());
    }
    v.push(MANIFEST.into());
    v
}
