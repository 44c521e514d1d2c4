//! `zonefacts run`: the nightly job.

use std::path::Path;

use anyhow::Result;

use super::UsageError;
use crate::cli::{exit, RunArgs};
use crate::config::Config;
use crate::pipeline::{self, RunOptions};

/// Loads the config, applies flag overrides, checks the input folder, runs, reports.
pub fn execute(config: &Path, args: &RunArgs) -> Result<i32> {
    let cfg = Config::load(config)?;
    let input = args
        .input
        .clone()
        .unwrap_or_else(|| cfg.resolve(&cfg.input.dir));
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| cfg.resolve(&cfg.output.dir));
    if !input.is_dir() {
        return Err(UsageError(format!(
            "input folder {} does not exist or is not a folder (set input.dir in {} or pass --input)",
            input.display(),
            config.display()
        ))
        .into());
    }
    let jobs = match args.jobs {
        Some(0) | None if args.jobs.is_some() => {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        }
        Some(n) => n,
        None => cfg.jobs(),
    };
    let rec = pipeline::run(
        &cfg,
        &RunOptions {
            input,
            output: output.clone(),
            jobs,
        },
    )?;
    let c = &rec.counts;
    eprintln!(
        "zonefacts: {} files ({} processed, {} rejected), {} articles, {} figures, {} zones in {:.2}s -> {}",
        c.files,
        c.processed,
        c.rejected,
        c.articles,
        c.measures,
        c.zones,
        rec.seconds,
        output.display()
    );
    Ok(exit::OK)
}
