//! `logweave rows`: the records of one file (or one log of a bundle:
//! `bundle.zip/SMSTSLog/smsts.log`), for people or as JSON Lines.
//! Never parses records: it prints what the document reads.

use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use logweave::document::{OpenOptions, Row};
pub use logweave::export::RowLine;

/// Records are read this many at a time.
const BATCH: usize = 4096;

pub fn run(
    path: &Path,
    from: usize,
    count: Option<usize>,
    json: bool,
    options: &OpenOptions,
) -> io::Result<ExitCode> {
    let limits = super::bundle_limits();
    let Some(entry) = super::expand_one(path, &limits) else {
        return Ok(super::exit_code(1));
    };
    let doc = match super::open_entry(&entry, options, &limits) {
        Ok(doc) => doc,
        Err(e) => {
            super::report(&entry.path, &e);
            return Ok(super::exit_code(1));
        }
    };
    let total = doc.record_count();
    let end = count.map_or(total, |c| from.saturating_add(c).min(total));
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut at = from.min(end);
    while at < end {
        let batch_end = (at + BATCH).min(end);
        for row in doc.rows(at..batch_end, None) {
            if json {
                serde_json::to_writer(&mut out, &RowLine::of(&row))?;
                writeln!(out)?;
            } else {
                write_text(&mut out, &row)?;
            }
        }
        at = batch_end;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn write_text(out: &mut impl Write, row: &Row) -> io::Result<()> {
    write_text_row(out, &format!("{:>7}", row.record), row)
}

/// One record for people: `lead` (its number, or its file in a merge), then
/// severity, time as written, component and the message, its further lines
/// indented under the first.
pub(super) fn write_text_row(out: &mut impl Write, lead: &str, row: &Row) -> io::Result<()> {
    let f = &row.fields;
    let mut lines = f.message.lines();
    writeln!(
        out,
        "{lead} {:<7} {:<30} {:<20} {}",
        row.severity().name(),
        f.time_text.as_deref().unwrap_or("-"),
        f.component,
        lines.next().unwrap_or("")
    )?;
    let indent = lead.chars().count() + 61;
    for line in lines {
        writeln!(out, "{:>indent$}{line}", "")?;
    }
    Ok(())
}
