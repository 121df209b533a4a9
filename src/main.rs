//! The `logweave` executable: the command-line interface over the core
//! library (`stats`, `rows`, ...). Never parses logs itself.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
