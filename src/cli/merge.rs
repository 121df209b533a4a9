//! `logweave merge`: the records of several files in one timeline.
//! Never orders records itself: it prints what `merge` computes.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use serde::Serialize;

use logweave::document::{LogDocument, OpenOptions};
use logweave::merge::{self, MAX_FILES};

use super::rows::RowLine;

/// The JSON object of `merge --json` and `tail --json`: the keys of
/// `rows --json` plus `source`, the path as given.
#[derive(Serialize)]
pub(super) struct MergedLine<'a> {
    #[serde(flatten)]
    pub(super) row: RowLine<'a>,
    pub(super) source: &'a str,
}

pub fn run(files: &[PathBuf], json: bool, options: &OpenOptions) -> io::Result<ExitCode> {
    let limits = super::bundle_limits();
    let (entries, mut failed) = super::expand_inputs(files, &limits, false);
    if entries.len() > MAX_FILES {
        let _ = writeln!(
            io::stderr(),
            "logweave: at most {MAX_FILES} files can be merged"
        );
        return Ok(ExitCode::from(2));
    }
    let mut docs = Vec::new();
    let mut names = Vec::new();
    for entry in &entries {
        match super::open_entry(entry, options, &limits) {
            Ok(doc) => {
                names.push(entry.path.to_string_lossy().into_owned());
                docs.push(doc);
            }
            Err(e) => {
                super::report(&entry.path, &e);
                failed += 1;
            }
        }
    }
    let refs: Vec<&LogDocument> = docs.iter().collect();
    let plan = merge::plan(&refs, &vec![None; refs.len()]);
    if !json {
        let mut err = io::stderr();
        for (name, file) in names.iter().zip(&plan.files) {
            let _ = writeln!(err, "{name}: {}", file.describe());
        }
    }
    let Some(merged) = merge::merge(&refs, &plan, &AtomicBool::new(false)) else {
        return Ok(ExitCode::FAILURE);
    };
    let width = names
        .iter()
        .map(|n| short(n).len())
        .max()
        .unwrap_or(0)
        .min(24);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    // Read rows in runs of one file, so each read covers many records.
    let mut i = 0;
    while i < merged.order.len() {
        let (file, first) = merge::unpack(merged.order[i]);
        let mut j = i + 1;
        while j < merged.order.len()
            && j - i < 4096
            && merge::unpack(merged.order[j]) == (file, first + (j - i))
        {
            j += 1;
        }
        for row in docs[file].rows(first..first + (j - i), None) {
            if json {
                serde_json::to_writer(
                    &mut out,
                    &MergedLine {
                        row: RowLine::of(&row),
                        source: &names[file],
                    },
                )?;
                writeln!(out)?;
            } else {
                let lead = format!("{:<width$}", short(&names[file]));
                super::rows::write_text_row(&mut out, &lead, &row)?;
            }
        }
        i = j;
    }
    out.flush()?;
    Ok(super::exit_code(failed))
}

/// The file name of a path as given (the source tag of a line).
pub(super) fn short(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}
