//! `logweave triage [--json|--markdown] FILE|FOLDER...`: what failed and
//! why. Files are read as one chain of smsts.log copies (put in time order);
//! a folder, or a zip or cab bundle, stands for the smsts.log copies found
//! in it. Prints the answer for people, one JSON object (the keys are a
//! contract), or Markdown for a ticket.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use logweave::document::OpenOptions;
use logweave::triage::{self, TriageOutcome};

/// How to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Text,
    Json,
    Markdown,
}

pub fn run(inputs: &[PathBuf], style: Style, options: &OpenOptions) -> io::Result<ExitCode> {
    let limits = super::bundle_limits();
    let (files, mut failed) = super::expand_inputs(inputs, &limits, true);
    let chain = super::Chain::open(&files, options, &limits);
    failed += chain.failed;
    let (outline, triage) = triage::triage_documents(&chain.refs(), &chain.names);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match style {
        Style::Json => {
            serde_json::to_writer(&mut out, &triage)?;
            writeln!(out)?;
        }
        Style::Markdown => write!(out, "{}", triage::markdown(&triage, &outline))?,
        Style::Text => write!(out, "{}", triage::plain_text(&triage, &outline))?,
    }
    out.flush()?;
    if failed > 0 {
        return Ok(super::exit_code(failed));
    }
    // Scripts can test the outcome: 0 succeeded or running, 3 failed, 4 unknown.
    Ok(match triage.outcome {
        TriageOutcome::Failed => ExitCode::from(3),
        TriageOutcome::Unknown => ExitCode::from(4),
        TriageOutcome::Succeeded | TriageOutcome::Running => ExitCode::SUCCESS,
    })
}
