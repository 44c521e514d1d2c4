//! Command-line interface definitions (clap). Kept apart from the commands themselves so the
//! help text, the README and the exit codes are in one place.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::log::LogFormat;

/// Exit codes, for schedulers (cron, systemd, Airflow) that branch on them.
pub mod exit {
    /// The run finished; rejected input files are listed in rejected.csv, not failures.
    pub const OK: i32 = 0;
    /// The run failed (an output could not be written, an internal error). The previous
    /// tables are left as they were.
    pub const FAILED: i32 = 1;
    /// Bad usage or configuration: unknown flag, broken config, missing input folder
    /// (`status`: no manifest in the output folder). Nothing is written.
    pub const USAGE: i32 = 2;
    /// The run finished and published its tables, but files were rejected and `--strict` was
    /// given.
    pub const REJECTED_STRICT: i32 = 3;
    /// The run would have dropped more of the previous run's input files than
    /// `run.max_removed_share` allows (an unmounted share, an include that matches nothing):
    /// nothing was published, the previous tables stay. `--allow-shrink` overrides.
    pub const SHRINK_REFUSED: i32 = 4;
    /// Another run holds the output folder's lock; this one did nothing (EX_TEMPFAIL).
    pub const LOCKED: i32 = 75;
}

const AFTER_HELP: &str = "\
Exit codes:
  0   success (files that could not be processed are listed in rejected.csv)
  1   the run failed (e.g. the output folder could not be written); the previous tables stay
  2   bad usage or configuration (unknown flag, broken pipeline.toml, missing input folder);
      for `status`: no manifest in the output folder
  3   success, but files were rejected and --strict was given
  4   refused: the input lost more of last run's files than run.max_removed_share allows
      (nothing published, the previous tables stay; --allow-shrink overrides)
  75  another run holds the output folder's lock: nothing was done, try again later";

/// Extracts zones, figures and named entities from raw Chinese news pages about high-tech
/// development zones (高新区) into Parquet and CSV tables.
#[derive(Debug, Parser)]
#[command(name = "zonefacts", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    /// Pipeline configuration file [default: $ZONEFACTS_CONFIG, else ./pipeline.toml when
    /// it exists, else the defaults built into zonefacts].
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Log format on stderr: text (a progress bar on a terminal) or json (one object per
    /// line, for log shippers).
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Process the input folder and write the tables (the nightly job).
    ///
    /// Incremental: files whose content is unchanged since the last run reuse their cached
    /// results; the tables always describe the whole current input folder. The new tables
    /// replace the old ones all at once; one run at a time per output folder.
    #[command(after_help = AFTER_HELP)]
    Run(RunArgs),
    /// Combine the part files of `run --shard K/N` processes into the tables a single run
    /// writes (byte for byte).
    #[command(after_help = AFTER_HELP)]
    Merge(MergeArgs),
    /// Print the last run's manifest of an output folder in a readable form.
    #[command(after_help = AFTER_HELP)]
    Status(StatusArgs),
    /// Show one file's articles, zones and figures on the terminal, to check extraction by eye.
    Inspect(InspectArgs),
    /// Print the output tables' columns and meanings (the data dictionary).
    Schema(SchemaArgs),
    /// Write the default pipeline.toml and data/zones.csv into DIR, to edit.
    Init(InitArgs),
}

/// `zonefacts init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to write pipeline.toml and data/zones.csv into (created if missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

/// `zonefacts run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Input folder (overrides input.dir).
    #[arg(long, value_name = "DIR")]
    pub input: Option<PathBuf>,
    /// Output folder (overrides output.dir).
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Worker threads; 0 = one per core (overrides run.jobs). `--threads` is the same
    /// option, under the name other tools give it.
    #[arg(long, visible_alias = "threads", value_name = "N", value_parser = parse_jobs)]
    pub jobs: Option<usize>,
    /// Files larger than this are rejected unread: bytes, or with a K, M or G suffix
    /// (powers of 1024) (overrides input.max_file_size).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_file_size: Option<u64>,
    /// Extract every file again, ignoring cached results.
    #[arg(long)]
    pub full: bool,
    /// Publish even when the input lost more of the previous run's files than
    /// run.max_removed_share allows (a deliberate clean-up of the input folder).
    #[arg(long)]
    pub allow_shrink: bool,
    /// Exit with code 3 when any file was rejected (the tables are still published).
    #[arg(long)]
    pub strict: bool,
    /// Process only shard K of N (files whose stable path hash falls in it) and write part
    /// files into --output (DATASET/articles/part-K-of-N.parquet …); `zonefacts merge` combines
    /// them. K is 0..N-1, like JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<crate::shard::Shard>,
    /// With --shard: an id shared by the shards of one night (a date, a scheduler's run id),
    /// stamped on the part files; `merge` refuses parts of different runs.
    #[arg(long, value_name = "ID", requires = "shard")]
    pub run_id: Option<String>,
}

/// `zonefacts merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The dataset folder the shards wrote into.
    #[arg(long, value_name = "DATASET")]
    pub input: PathBuf,
    /// Output folder for the merged tables (overrides output.dir).
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Merge only if every part was made by the shards of this run (`run --run-id`).
    #[arg(long, value_name = "ID")]
    pub run_id: Option<String>,
}

/// `zonefacts status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Output folder (overrides output.dir).
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Print the manifest as JSON instead.
    #[arg(long)]
    pub json: bool,
}

/// `zonefacts inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The raw page to inspect.
    pub file: PathBuf,
}

/// Output formats of `zonefacts schema`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchemaFormat {
    /// Aligned text for a terminal.
    Text,
    /// A Markdown data dictionary (docs/SCHEMA.md).
    Markdown,
    /// Machine-readable JSON.
    Json,
}

/// `zonefacts schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = SchemaFormat::Text)]
    pub format: SchemaFormat,
}

/// The most worker threads a run may ask for, on the command line as in `run.jobs`.
pub const MAX_JOBS: usize = 1024;

/// Parses `--jobs`: 0 (one per core) to [`MAX_JOBS`]; more would start thousands of threads.
pub fn parse_jobs(s: &str) -> Result<usize, String> {
    let n: usize = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number of threads"))?;
    if n > MAX_JOBS {
        return Err(format!(
            "must be between 0 (one per core) and {MAX_JOBS}, got {n}"
        ));
    }
    Ok(n)
}

/// Parses a positive size: `1048576`, `512K`, `64M`, `1G` (powers of 1024).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (digits, mult) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let m: u64 = match c.to_ascii_uppercase() {
                'K' => 1 << 10,
                'M' => 1 << 20,
                'G' => 1 << 30,
                _ => return Err(format!("unknown size suffix {c:?}; use K, M or G")),
            };
            (&t[..i], m)
        }
        _ => (t, 1),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("{s:?} is not a size (e.g. 1048576, 512K, 64M, 1G)"))?;
    match n.checked_mul(mult) {
        Some(0) => Err("must be a positive number of bytes".into()),
        Some(v) => Ok(v),
        None => Err(format!("{s:?} is too large")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_binary_suffixes() {
        assert_eq!(parse_size("1048576"), Ok(1_048_576));
        assert_eq!(parse_size("512K"), Ok(512 * 1024));
        assert_eq!(parse_size("64m"), Ok(64 << 20));
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        assert!(parse_size("0").is_err());
        assert!(parse_size("12T").is_err());
        assert!(parse_size("lots").is_err());
    }
}
