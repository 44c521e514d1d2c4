//! `zonefacts init [DIR]`: the built-in defaults as files to edit. The binary runs without
//! them (it carries the same config and gazetteer); writing them out is how a user changes a
//! word list, the taxonomy or the gazetteer.

use std::path::Path;

use anyhow::{Context, Result};

use super::UsageError;
use crate::cli::{exit, InitArgs};
use crate::config::{DEFAULT_CONFIG, DEFAULT_GAZETTEER, DEFAULT_PLACES};

/// Writes `DIR/pipeline.toml`, `DIR/data/zones.csv` and `DIR/data/places.txt`; refuses to
/// overwrite any of them.
pub fn execute(args: &InitArgs) -> Result<i32> {
    let files = [
        (args.dir.join("pipeline.toml"), DEFAULT_CONFIG),
        (args.dir.join("data").join("zones.csv"), DEFAULT_GAZETTEER),
        (args.dir.join("data").join("places.txt"), DEFAULT_PLACES),
    ];
    if let Some((p, _)) = files.iter().find(|(p, _)| p.exists()) {
        return Err(UsageError(format!(
            "{} exists already; nothing written (move it away to get the defaults)",
            p.display()
        ))
        .into());
    }
    for (path, text) in &files {
        write_new(path, text)?;
    }
    super::emit(&format!(
        "wrote {}, {} and {}; run from {} (or pass --config {})\n",
        files[0].0.display(),
        files[1].0.display(),
        files[2].0.display(),
        args.dir.display(),
        files[0].0.display()
    ))?;
    Ok(exit::OK)
}

fn write_new(path: &Path, text: &str) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}
