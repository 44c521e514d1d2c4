//! `zonefacts status`: the last run of an output folder, read from its manifest.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::UsageError;
use crate::cli::{exit, StatusArgs};
use crate::config::Config;
use crate::lock::{read_holder, Holder};
use crate::write::{RunRecord, MANIFEST};

/// How many rejected files and warnings are listed before "… and N more".
const LIST_LIMIT: usize = 20;

/// Prints the manifest of the output folder (exit 0), or says there is none (exit 2).
pub fn execute(config: &Option<PathBuf>, args: &StatusArgs) -> Result<i32> {
    let output = match &args.output {
        Some(o) => o.clone(),
        None => {
            let cfg = Config::locate(config.as_deref())?;
            cfg.resolve(&cfg.output.dir)
        }
    };
    let path = output.join(MANIFEST);
    if !path.exists() {
        return Err(UsageError(format!(
            "no {MANIFEST} in {}: no run has finished there yet",
            output.display()
        ))
        .into());
    }
    // a damaged manifest is an error (exit 1), never passed on as if it were one
    let rec = RunRecord::load(&path)?;
    if args.json {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        super::emit(&text)?;
        return Ok(exit::OK);
    }
    let lock = read_holder(&output).map(|h| {
        let alive = pid_alive(h.pid);
        (h, alive)
    });
    super::emit(&render(&output, &rec, lock.as_ref()))?;
    Ok(exit::OK)
}

/// Whether a process exists (Linux: `/proc/PID`); `None` where that cannot be told.
fn pid_alive(pid: u32) -> Option<bool> {
    if cfg!(target_os = "linux") {
        Some(Path::new("/proc").join(pid.to_string()).exists())
    } else {
        None
    }
}

fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// The readable report of a manifest (and of the lock file, when it names a holder).
pub fn render(output: &Path, rec: &RunRecord, lock: Option<&(Holder, Option<bool>)>) -> String {
    let mut s = String::new();
    let c = &rec.counts;
    let _ = writeln!(s, "output     {}", output.display());
    let _ = writeln!(
        s,
        "last run   {} -> {} ({:.2} s, {} {}, {} jobs)",
        rec.started_at, rec.finished_at, rec.seconds, rec.program, rec.version, rec.jobs
    );
    if !rec.input_dir.is_empty() {
        let _ = writeln!(s, "input      {}", rec.input_dir);
    }
    let _ = writeln!(
        s,
        "config     blake3 {}",
        rec.config_hash.get(..16).unwrap_or(&rec.config_hash)
    );
    let _ = writeln!(
        s,
        "mode       {}",
        match &rec.rebuild_reason {
            Some(r) => format!("full rebuild ({r})"),
            None => "incremental".to_string(),
        }
    );
    let _ = writeln!(
        s,
        "files      {}: {} new, {} changed, {} reused, {} rebuilt, {} rejected; {} removed; {} extracted",
        c.files, c.new, c.changed, c.reused, c.rebuilt, c.rejected, c.removed, c.extracted
    );
    let _ = writeln!(
        s,
        "rows       {} articles, {} figures, {} zones, {} entities",
        c.articles, c.measures, c.zones, c.entities
    );
    let _ = writeln!(
        s,
        "stories    {} articles linked into {} stories ({} reprints)",
        c.articles, c.stories, c.reprints
    );
    let _ = writeln!(s, "outputs");
    let width = rec.outputs.iter().map(|o| o.file.len()).max().unwrap_or(0);
    for o in &rec.outputs {
        let _ = writeln!(
            s,
            "  {:<width$}  {:>9} rows  {:>10}",
            o.file,
            o.rows,
            human_bytes(o.bytes)
        );
    }
    let rejected: Vec<_> = rec
        .inputs
        .iter()
        .filter(|i| i.status == "rejected")
        .collect();
    if !rejected.is_empty() {
        let _ = writeln!(s, "rejected ({})", rejected.len());
        for i in rejected.iter().take(LIST_LIMIT) {
            let _ = writeln!(
                s,
                "  {}  [{}]  {}",
                i.source_file,
                i.kind.as_deref().unwrap_or("-"),
                i.reason.as_deref().unwrap_or("")
            );
        }
        if rejected.len() > LIST_LIMIT {
            let _ = writeln!(
                s,
                "  … and {} more (see rejected.csv)",
                rejected.len() - LIST_LIMIT
            );
        }
    }
    let warned: Vec<_> = rec
        .inputs
        .iter()
        .flat_map(|i| i.warnings.iter().map(move |w| (&i.source_file, w)))
        .collect();
    if !warned.is_empty() {
        let _ = writeln!(s, "warnings ({})", warned.len());
        for (f, w) in warned.iter().take(LIST_LIMIT) {
            let _ = writeln!(s, "  {f}  {w}");
        }
        if warned.len() > LIST_LIMIT {
            let _ = writeln!(
                s,
                "  … and {} more (see {MANIFEST})",
                warned.len() - LIST_LIMIT
            );
        }
    }
    if !rec.removed.is_empty() {
        let _ = writeln!(
            s,
            "removed    {} files left the input folder",
            rec.removed.len()
        );
    }
    let _ = writeln!(
        s,
        "lock       {}",
        match lock {
            None => "free".to_string(),
            Some((h, Some(true))) => format!("held by {h}: a run is in progress"),
            Some((h, Some(false))) => {
                format!("left by {h}, which is gone; the next run takes it over")
            }
            Some((h, None)) => format!("names {h}"),
        }
    );
    s
}
