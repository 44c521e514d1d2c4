//! One module per subcommand (xsv style); [`dispatch`] maps errors to exit codes.

pub mod inspect;
pub mod run;
pub mod schema;

use crate::cli::{exit, Cli, Command};
use crate::config::ConfigError;

/// Errors a command reports as bad usage (exit 2) rather than a failed run.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Runs a parsed command line and returns the process exit code.
pub fn dispatch(cli: Cli) -> i32 {
    let result = match &cli.command {
        Command::Run(args) => run::execute(&cli.config, args),
        Command::Inspect(args) => inspect::execute(&cli.config, args),
        Command::Schema(args) => schema::execute(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("zonefacts: error: {e:#}");
            if e.downcast_ref::<ConfigError>().is_some() || e.downcast_ref::<UsageError>().is_some()
            {
                exit::USAGE
            } else {
                exit::FAILED
            }
        }
    }
}
