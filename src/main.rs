//! The `zonefacts` binary: parses the command line and hands over to the library.

use clap::Parser;

fn main() {
    let cli = zonefacts::cli::Cli::parse();
    std::process::exit(zonefacts::cmd::dispatch(cli));
}
