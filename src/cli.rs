//! Command-line interface definitions (clap). Kept apart from the commands themselves so the
//! help text, the README and the exit codes are in one place.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Exit codes, for schedulers (cron, systemd, Airflow) that branch on them.
pub mod exit {
    /// The run finished; rejected input files are listed in rejected.csv, not failures.
    pub const OK: i32 = 0;
    /// The run failed (an output could not be written, an internal error).
    pub const FAILED: i32 = 1;
    /// Bad usage or configuration: unknown flag, broken config, missing input folder.
    pub const USAGE: i32 = 2;
}

const AFTER_HELP: &str = "\
Exit codes:
  0  success (files that could not be processed are listed in rejected.csv)
  1  the run failed (e.g. the output folder could not be written)
  2  bad usage or configuration (unknown flag, broken pipeline.toml, missing input folder)";

/// Extracts zones, figures and named entities from raw Chinese news pages about high-tech
/// development zones (高新区) into Parquet and CSV tables.
#[derive(Debug, Parser)]
#[command(name = "zonefacts", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    /// Pipeline configuration file.
    #[arg(
        long,
        global = true,
        default_value = "pipeline.toml",
        value_name = "FILE"
    )]
    pub config: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Process the input folder and write the tables (the nightly job).
    #[command(after_help = AFTER_HELP)]
    Run(RunArgs),
    /// Show one file's articles, zones and figures on the terminal, to check extraction by eye.
    Inspect(InspectArgs),
    /// Print the output tables' columns and meanings (the data dictionary).
    Schema(SchemaArgs),
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
    /// Worker threads; 0 = one per core (overrides run.jobs).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
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
