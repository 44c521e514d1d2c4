//! One module per subcommand (xsv style); [`dispatch`] maps errors to exit codes.

pub mod init;
pub mod inspect;
pub mod merge;
pub mod run;
pub mod schema;
pub mod status;

use crate::cli::{exit, Cli, Command};
use crate::config::ConfigError;
use crate::log;

/// Errors a command reports as bad usage (exit 2) rather than a failed run.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Writes a command's report to stdout. A closed pipe (`zonefacts inspect F | head`) is the
/// reader's choice, not an error.
pub fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// Runs a parsed command line and returns the process exit code.
pub fn dispatch(cli: Cli) -> i32 {
    log::init(cli.log_format);
    // a bug must end in "the run failed" (exit 1), not in an abort code a scheduler does not
    // know; the lock and the previous tables are safe either way
    let result = std::panic::catch_unwind(|| match &cli.command {
        Command::Run(args) => run::execute(&cli.config, args),
        Command::Merge(args) => merge::execute(&cli.config, args),
        Command::Status(args) => status::execute(&cli.config, args),
        Command::Inspect(args) => inspect::execute(&cli.config, args),
        Command::Schema(args) => schema::execute(&cli.config, args),
        Command::Init(args) => init::execute(args),
    });
    let Ok(result) = result else {
        log::error("internal error (please report); published tables are always complete");
        return exit::FAILED;
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            log::error(&format!("{e:#}"));
            if e.downcast_ref::<crate::pipeline::ShrinkRefused>().is_some() {
                return exit::SHRINK_REFUSED;
            }
            if e.downcast_ref::<ConfigError>().is_some() || e.downcast_ref::<UsageError>().is_some()
            {
                exit::USAGE
            } else {
                exit::FAILED
            }
        }
    }
}
