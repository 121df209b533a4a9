//! The `logweave` executable: the command-line interface over the core
//! library (`stats`, `rows`, ...). Never parses logs itself.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    // Background jobs report their own panics (one line naming the file).
    logweave::jobs::report_job_panics_once();
    cli::run()
}
