//! `zonefacts merge`: shards' part files in, the four tables out.

use std::path::PathBuf;

use anyhow::Result;

use super::UsageError;
use crate::cli::{exit, MergeArgs};
use crate::config::Config;
use crate::lock::RunLock;

/// Merges the dataset into the output folder (under the output folder's run lock).
pub fn execute(config: &Option<PathBuf>, args: &MergeArgs) -> Result<i32> {
    let cfg = Config::locate(config.as_deref())?;
    if !args.input.is_dir() {
        return Err(UsageError(format!(
            "dataset folder {} does not exist",
            args.input.display()
        ))
        .into());
    }
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| cfg.resolve(&cfg.output.dir));
    let _lock = match RunLock::acquire(&output) {
        Ok((lock, _)) => lock,
        Err(e @ crate::lock::LockError::Busy { .. }) => {
            eprintln!("zonefacts: {e}; nothing done (exit code {})", exit::LOCKED);
            return Ok(exit::LOCKED);
        }
        Err(e) => return Err(e.into()),
    };
    let w = crate::shard::merge(&cfg, &args.input, &output, args.run_id.as_deref())?;
    eprintln!(
        "zonefacts: merged {} into {}: {} files ({} rejected), {} articles, {} figures, {} zones",
        args.input.display(),
        output.display(),
        w.processed + w.rejected,
        w.rejected,
        w.articles,
        w.measures,
        w.zones
    );
    Ok(exit::OK)
}
