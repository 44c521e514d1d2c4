//! `zonefacts run`: the nightly job.

use std::path::PathBuf;

use anyhow::Result;
use serde_json::Value;

use super::UsageError;
use crate::cli::{exit, RunArgs};
use crate::config::Config;
use crate::lock::{LockError, RunLock};
use crate::log::{self, Level};
use crate::pipeline::{self, RunOptions};

/// Loads the config, applies flag overrides, checks the input folder, takes the output
/// folder's lock, runs, and reports one summary line.
pub fn execute(config: &Option<PathBuf>, args: &RunArgs) -> Result<i32> {
    let cfg = Config::locate(config.as_deref())?;
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
            cfg.source
        ))
        .into());
    }
    let jobs = match args.jobs {
        Some(0) => std::thread::available_parallelism().map_or(1, |n| n.get()),
        Some(n) => n,
        None => cfg.jobs(),
    };
    let max_file_size = args
        .max_file_size
        .unwrap_or(*cfg.input.max_file_size.get_ref());

    if let Some(shard) = args.shard {
        // shards share the dataset folder and write disjoint part files: no run lock
        let sum = crate::shard::run_shard(
            &cfg,
            &input,
            &output,
            shard,
            args.run_id.as_deref(),
            jobs,
            max_file_size,
        )?;
        log::emit(
            Level::Info,
            &format!(
                "done: shard {shard}: {} files ({} rejected), {} articles, {} figures -> {} ({} part files)",
                sum.files,
                sum.rejected,
                sum.articles,
                sum.measures,
                output.display(),
                sum.parts.len()
            ),
            &[
                ("event", Value::from("summary")),
                ("shard", Value::from(shard.to_string())),
                ("files", Value::from(sum.files)),
                ("rejected", Value::from(sum.rejected)),
                ("articles", Value::from(sum.articles)),
                ("figures", Value::from(sum.measures)),
            ],
        );
        return Ok(if args.strict && sum.rejected > 0 {
            exit::REJECTED_STRICT
        } else {
            exit::OK
        });
    }

    let _lock = match RunLock::acquire(&output) {
        Ok((lock, stale)) => {
            if let Some(h) = stale {
                log::emit(
                    Level::Warn,
                    &format!(
                        "taking over the lock of {} left by a run that is gone ({h})",
                        output.display()
                    ),
                    &[
                        ("event", Value::from("lock_taken_over")),
                        ("pid", Value::from(h.pid)),
                        ("started_at", Value::from(h.started_at.as_str())),
                    ],
                );
            }
            lock
        }
        Err(e @ LockError::Busy { .. }) => {
            let (pid, since, age) = match &e {
                LockError::Busy {
                    holder: Some(h), ..
                } => (
                    Value::from(h.pid),
                    Value::from(h.started_at.as_str()),
                    chrono::DateTime::parse_from_rfc3339(&h.started_at)
                        .ok()
                        .map(|t| chrono::Utc::now().signed_duration_since(t)),
                ),
                _ => (Value::Null, Value::Null, None),
            };
            // a holder running far longer than any run should is likely stuck (a hung
            // mount, a stopped process): every later night would be skipped, so say so loudly
            let limit = cfg.max_lock_age();
            let stuck = age.and_then(|a| a.to_std().ok()).filter(|a| *a > limit);
            let (level, message) = match stuck {
                Some(a) => (
                    Level::Error,
                    format!(
                        "{e}; it has held the lock for {:.1} hours, longer than \
                         run.max_lock_age_hours ({:.1}): it may be stuck, check that process; \
                         nothing done (exit code {})",
                        a.as_secs_f64() / 3600.0,
                        limit.as_secs_f64() / 3600.0,
                        exit::LOCKED
                    ),
                ),
                None => (
                    Level::Warn,
                    format!("{e}; nothing done (exit code {})", exit::LOCKED),
                ),
            };
            log::emit(
                level,
                &message,
                &[
                    ("event", Value::from("locked")),
                    ("stuck", Value::from(stuck.is_some())),
                    ("pid", pid),
                    ("started_at", since),
                    ("exit_code", Value::from(exit::LOCKED)),
                ],
            );
            return Ok(exit::LOCKED);
        }
        Err(e) => return Err(e.into()),
    };

    let rec = pipeline::run(
        &cfg,
        &RunOptions {
            input,
            output: output.clone(),
            jobs,
            max_file_size,
            full: args.full,
            max_removed_share: if args.allow_shrink {
                None
            } else {
                cfg.max_removed_share()
            },
        },
    )?;
    let c = &rec.counts;
    log::emit(
        Level::Info,
        &format!(
            "done: {} files ({} new, {} changed, {} reused, {} rebuilt, {} rejected; {} removed), {} articles, {} figures, {} zones in {:.2}s -> {}",
            c.files,
            c.new,
            c.changed,
            c.reused,
            c.rebuilt,
            c.rejected,
            c.removed,
            c.articles,
            c.measures,
            c.zones,
            rec.seconds,
            output.display()
        ),
        &[
            ("event", Value::from("summary")),
            ("files", Value::from(c.files)),
            ("new", Value::from(c.new)),
            ("changed", Value::from(c.changed)),
            ("reused", Value::from(c.reused)),
            ("rebuilt", Value::from(c.rebuilt)),
            ("rejected", Value::from(c.rejected)),
            ("removed", Value::from(c.removed)),
            ("articles", Value::from(c.articles)),
            ("figures", Value::from(c.measures)),
            ("zones", Value::from(c.zones)),
            ("seconds", Value::from(rec.seconds)),
            ("output", Value::from(output.display().to_string())),
        ],
    );
    if args.strict && c.rejected > 0 {
        log::warn(&format!(
            "{} files were rejected and --strict was given (exit code {})",
            c.rejected,
            exit::REJECTED_STRICT
        ));
        return Ok(exit::REJECTED_STRICT);
    }
    Ok(exit::OK)
}
