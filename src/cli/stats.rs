//! `logweave stats`: one summary per file (per log of a folder or bundle).
//! Never parses records: it prints the document's summary.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use serde::Serialize;

use logweave::document::OpenOptions;
use logweave::time::format_rfc3339_ms;

/// The JSON object of `stats --json` (key names are a contract).
#[derive(Serialize)]
struct StatsLine<'a> {
    path: &'a str,
    format: &'static str,
    encoding: &'static str,
    bytes: u64,
    records: u64,
    errors: u64,
    warnings: u64,
    zone: &'static str,
    first_utc: Option<String>,
    last_utc: Option<String>,
    index_ms: u64,
}

pub fn run(files: &[PathBuf], json: bool, options: &OpenOptions) -> io::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let limits = super::bundle_limits();
    let (entries, mut failed) = super::expand_inputs(files, &limits, false);
    for entry in &entries {
        let path = &entry.path;
        let started = Instant::now();
        let doc = match super::open_entry(entry, options, &limits) {
            Ok(doc) => doc,
            Err(e) => {
                super::report(path, &e);
                failed += 1;
                continue;
            }
        };
        let index_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let s = doc.summary();
        let shown = path.to_string_lossy();
        let line = StatsLine {
            path: &shown,
            format: s.format.name(),
            encoding: s.encoding.name(),
            bytes: s.bytes,
            records: s.counts.total(),
            errors: s.counts.errors,
            warnings: s.counts.warnings,
            zone: s.zone.name(),
            first_utc: s.first_utc_ms.map(format_rfc3339_ms),
            last_utc: s.last_utc_ms.map(format_rfc3339_ms),
            index_ms,
        };
        if json {
            serde_json::to_writer(&mut out, &line)?;
            writeln!(out)?;
        } else {
            writeln!(out, "{}", line.path)?;
            writeln!(out, "  format    {} ({})", line.format, line.encoding)?;
            if doc.looks_binary() {
                writeln!(
                    out,
                    "  note      does not look like a text log (mostly binary bytes)"
                )?;
            }
            writeln!(
                out,
                "  size      {} bytes, {} records",
                line.bytes, line.records
            )?;
            writeln!(
                out,
                "  severity  {} errors, {} warnings",
                line.errors, line.warnings
            )?;
            let range = match (&line.first_utc, &line.last_utc) {
                (Some(a), Some(b)) => format!("{a} .. {b}"),
                _ => "no timestamps".into(),
            };
            writeln!(out, "  time      {range} (zone: {})", line.zone)?;
            writeln!(out, "  indexed   in {} ms", line.index_ms)?;
        }
    }
    out.flush()?;
    Ok(super::exit_code(failed))
}
