//! Stage 6: write the tables, `rejected.csv` and `_manifest.json`.
//!
//! Files are written into a staging folder inside the output folder, synced, then renamed into
//! place; the manifest is written last, so a reader that sees a new manifest sees the tables it
//! describes. This is the only stage that builds DataFrames.

pub mod csv_out;
pub mod parquet_out;
pub mod tables;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use serde::Serialize;

use crate::config::Config;
use crate::lexicon::Lexicon;
use crate::model::Page;
use crate::pipeline::{FileOutcome, RunOptions, StageTimes};
use crate::schema::REJECTED_COLUMNS;

/// One input file in the manifest.
#[derive(Debug, Clone, Serialize)]
pub struct InputRecord {
    /// Path relative to the input folder.
    pub source_file: String,
    /// Bytes.
    pub size: u64,
    /// blake3 of the bytes (null when unreadable).
    pub content_hash: Option<String>,
    /// `processed` or `rejected`.
    pub status: &'static str,
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
#[derive(Debug, Clone, Serialize)]
pub struct OutputRecord {
    /// File name inside the output folder.
    pub file: String,
    /// Data rows.
    pub rows: usize,
    /// Size in bytes.
    pub bytes: u64,
}

/// Seconds spent per stage, summed over worker threads (write is wall time).
#[derive(Debug, Clone, Serialize)]
pub struct StageSeconds {
    /// Bytes → text.
    pub decode: f64,
    /// Normalization.
    pub normalize: f64,
    /// Segmentation.
    pub segment: f64,
    /// Extraction.
    pub extract: f64,
    /// Writing all outputs (wall time).
    pub write: f64,
}

/// Totals of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Counts {
    /// Input files seen.
    pub files: usize,
    /// Processed.
    pub processed: usize,
    /// Rejected.
    pub rejected: usize,
    /// Articles written.
    pub articles: usize,
    /// Figures written.
    pub measures: usize,
    /// Zones written.
    pub zones: usize,
    /// Entity rows written.
    pub entities: usize,
}

/// `_manifest.json`: everything about one run.
#[derive(Debug, Clone, Serialize)]
pub struct RunRecord {
    /// Always `zonefacts`.
    pub program: &'static str,
    /// Program version.
    pub version: &'static str,
    /// blake3 of the config file.
    pub config_hash: String,
    /// When the run started (UTC, RFC 3339).
    pub started_at: String,
    /// When the run finished (UTC, RFC 3339).
    pub finished_at: String,
    /// Wall time in seconds.
    pub seconds: f64,
    /// Worker threads used.
    pub jobs: usize,
    /// Totals.
    pub counts: Counts,
    /// Per-stage time split.
    pub stage_seconds: StageSeconds,
    /// Every input file.
    pub inputs: Vec<InputRecord>,
    /// Every output file.
    pub outputs: Vec<OutputRecord>,
}

/// Writes all outputs for a finished processing pass and returns the run record.
pub fn write_outputs(
    cfg: &Config,
    opts: &RunOptions,
    _lex: &Lexicon,
    mut outcomes: Vec<FileOutcome>,
    times: StageTimes,
    started: chrono::DateTime<chrono::Utc>,
    process_secs: f64,
) -> Result<RunRecord> {
    let clock = Instant::now();
    outcomes.sort_by(|a, b| rel(a).cmp(rel(b)));
    let pages: Vec<&Page> = outcomes
        .iter()
        .filter_map(|o| match o {
            FileOutcome::Processed(p) => Some(p.as_ref()),
            FileOutcome::Rejected { .. } => None,
        })
        .collect();
    let tables = tables::build(&pages);

    std::fs::create_dir_all(&opts.output)
        .with_context(|| format!("cannot create output folder {}", opts.output.display()))?;
    let staging = opts.output.join(format!(".staging-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).ok();
    }
    std::fs::create_dir_all(&staging)
        .with_context(|| format!("cannot create staging folder {}", staging.display()))?;

    let mut written: Vec<(String, usize)> = Vec::new();
    for t in tables.all() {
        if cfg.writes("parquet") {
            let name = format!("{}.parquet", t.def.name);
            parquet_out::write_table(t, &staging.join(&name))?;
            written.push((name, t.rows()));
        }
        if cfg.writes("csv") {
            let name = format!("{}.csv", t.def.name);
            csv_out::write_table(t, &staging.join(&name), &cfg.csv)?;
            written.push((name, t.rows()));
        }
    }
    let rejected_rows: Vec<Vec<String>> = outcomes
        .iter()
        .filter_map(|o| match o {
            FileOutcome::Rejected {
                rel_path,
                size,
                rejection,
                ..
            } => Some(vec![
                rel_path.clone(),
                rejection.reason.clone(),
                rejection.kind.to_string(),
                size.to_string(),
            ]),
            FileOutcome::Processed(_) => None,
        })
        .collect();
    csv_out::write_rows(
        REJECTED_COLUMNS,
        &rejected_rows,
        &staging.join("rejected.csv"),
        &cfg.csv,
    )?;
    written.push(("rejected.csv".into(), rejected_rows.len()));

    let mut outputs = Vec::new();
    for (name, rows) in &written {
        let from = staging.join(name);
        let to = opts.output.join(name);
        let bytes = std::fs::metadata(&from).map(|m| m.len()).unwrap_or(0);
        std::fs::rename(&from, &to)
            .with_context(|| format!("cannot move {} into place", to.display()))?;
        outputs.push(OutputRecord {
            file: name.clone(),
            rows: *rows,
            bytes,
        });
    }
    sync_dir(&opts.output);

    let inputs: Vec<InputRecord> = outcomes.iter().map(input_record).collect();
    let counts = Counts {
        files: outcomes.len(),
        processed: pages.len(),
        rejected: rejected_rows.len(),
        articles: tables.articles.rows(),
        measures: tables.measures.rows(),
        zones: tables.zones.rows(),
        entities: tables.entities.rows(),
    };
    let write_secs = clock.elapsed().as_secs_f64();
    let finished = chrono::Utc::now();
    let record = RunRecord {
        program: "zonefacts",
        version: env!("CARGO_PKG_VERSION"),
        config_hash: cfg.hash.clone(),
        started_at: started.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        finished_at: finished.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        seconds: process_secs + write_secs,
        jobs: opts.jobs,
        counts,
        stage_seconds: StageSeconds {
            decode: times.decode.as_secs_f64(),
            normalize: times.normalize.as_secs_f64(),
            segment: times.segment.as_secs_f64(),
            extract: times.extract.as_secs_f64(),
            write: write_secs,
        },
        inputs,
        outputs,
    };
    let manifest = staging.join("_manifest.json");
    let json = serde_json::to_string_pretty(&record)?;
    std::fs::write(&manifest, json + "\n")
        .with_context(|| format!("cannot write {}", manifest.display()))?;
    if let Ok(f) = std::fs::File::open(&manifest) {
        f.sync_all().ok();
    }
    std::fs::rename(&manifest, opts.output.join("_manifest.json"))
        .context("cannot move _manifest.json into place")?;
    std::fs::remove_dir_all(&staging).ok();
    sync_dir(&opts.output);
    Ok(record)
}

fn rel(o: &FileOutcome) -> &str {
    match o {
        FileOutcome::Processed(p) => &p.source_file,
        FileOutcome::Rejected { rel_path, .. } => rel_path,
    }
}

fn input_record(o: &FileOutcome) -> InputRecord {
    match o {
        FileOutcome::Processed(p) => InputRecord {
            source_file: p.source_file.clone(),
            size: p.size,
            content_hash: Some(p.content_hash.clone()),
            status: "processed",
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
            status: "rejected",
            encoding: None,
            articles: 0,
            measures: 0,
            entities: 0,
            warnings: Vec::new(),
            reason: Some(rejection.reason.clone()),
        },
    }
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        d.sync_all().ok();
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
    v.push("rejected.csv".into());
    v.push("_manifest.json".into());
    v
}
