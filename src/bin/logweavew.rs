//! `logweavew.exe`: the same program as `logweave`, linked on Windows as a
//! GUI program so that Explorer (file associations, "Open with", the Start
//! menu, double-clicking it) starts the window with no console window, as
//! `pythonw.exe` does for `python.exe`. `logweave.exe` stays the console
//! program that cmd and PowerShell wait for. Elsewhere the two are the same.
//! Never adds behaviour of its own: it runs the shared command line.
#![cfg_attr(windows, windows_subsystem = "windows")]

#[path = "../cli/mod.rs"]
mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    // Background jobs report their own panics (one line naming the file).
    logweave::jobs::report_job_panics_once();
    cli::run()
}
