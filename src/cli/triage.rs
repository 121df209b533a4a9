//! `logweave triage [--json|--markdown] FILE|FOLDER...`: what failed and
//! why. Files are read as one chain of smsts.log copies (put in time order);
//! a folder stands for the smsts.log copies found in it. Prints the answer
//! for people, one JSON object (the keys are a contract), or Markdown for a
//! ticket.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use logweave::document::{LogDocument, OpenOptions};
use logweave::tasksequence::chain;
use logweave::triage::{self, TriageOutcome};

/// How to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Text,
    Json,
    Markdown,
}

pub fn run(inputs: &[PathBuf], style: Style, options: &OpenOptions) -> io::Result<ExitCode> {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut failed = 0;
    for input in inputs {
        if input.is_dir() {
            let found = chain::copies_in_folder(input);
            if found.is_empty() {
                super::report(input, &"no smsts.log copies in this folder");
                failed += 1;
            }
            files.extend(found);
        } else {
            files.push(input.clone());
        }
    }
    let mut docs = Vec::new();
    for path in &files {
        match LogDocument::open_blocking(path, options.clone()) {
            Ok(doc) => docs.push((path.to_string_lossy().into_owned(), doc)),
            Err(e) => {
                super::report(path, &e);
                failed += 1;
            }
        }
    }
    let refs: Vec<&LogDocument> = docs.iter().map(|(_, d)| d).collect();
    let order = chain::order_documents(&refs);
    let ordered: Vec<&LogDocument> = order.iter().map(|&i| refs[i]).collect();
    let names: Vec<String> = order.iter().map(|&i| docs[i].0.clone()).collect();
    let (outline, triage) = triage::triage_documents(&ordered, &names);
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
