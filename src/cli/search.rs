//! `logweave search`: the records that match a text, a pattern or an error
//! code in files, folders and bundles — the command-line face of the
//! window's find across open logs. Each file is scanned once without
//! building its index ([`logweave::search::scan`]).

use std::ffi::OsString;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use clap::Args;

use logweave::document::{OpenOptions, Row};
use logweave::errors::Tables;
use logweave::search::scan::{self, ScanOptions, Selection};
use logweave::search::{Matcher, Query};

use super::merge::MergedLine;
use super::rows::{RowLine, write_text_row};

/// The arguments of `logweave search`.
#[derive(Args, Debug)]
pub struct SearchArgs {
    /// Print JSON Lines: the keys of `rows --json` plus `source`.
    #[arg(long)]
    json: bool,
    /// PATTERN is a regular expression (Rust regex syntax).
    #[arg(long)]
    regex: bool,
    /// Match upper and lower case exactly.
    #[arg(long)]
    case: bool,
    /// Only error records (with --warnings: errors and warnings).
    #[arg(long)]
    errors: bool,
    /// Only warning records (with --errors: errors and warnings).
    #[arg(long)]
    warnings: bool,
    /// Find an error code in every way logs write it (0x80070005,
    /// 80070005, -2147024891, 2147942405); then every argument is a path.
    #[arg(long, value_name = "CODE", allow_hyphen_values = true)]
    code: Option<String>,
    /// PATTERN then PATH... (files, folders searched for logs, zip/cab
    /// bundles, entries such as bundle.zip/SMSTSLog/smsts.log). With
    /// --code, only paths. An empty PATTERN matches every record.
    #[arg(required = true, value_name = "PATTERN PATH")]
    args: Vec<OsString>,
}

/// Exit code when the search ran but matched nothing (as grep's 1 would
/// clash with "a file could not be read").
const NOTHING_FOUND: u8 = 3;

pub fn run(args: &SearchArgs, options: &OpenOptions) -> io::Result<ExitCode> {
    let (matcher, paths) = match matcher_and_paths(args) {
        Ok(found) => found,
        Err(message) => {
            let _ = writeln!(io::stderr(), "logweave search: {message}");
            return Ok(ExitCode::from(2));
        }
    };
    let severities = match (args.errors, args.warnings) {
        (false, false) => [true; 3],
        (errors, warnings) => [false, warnings, errors],
    };
    let selection = Selection {
        matcher: matcher.as_ref(),
        severities,
    };
    let scan_options = ScanOptions {
        threads: options.build.threads,
        ..ScanOptions::default()
    };
    let limits = super::bundle_limits();
    let (entries, mut failed) = super::expand_inputs(&paths, &limits, false);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut matched = 0usize;
    let never = AtomicBool::new(false);
    for entry in &entries {
        let doc = match logweave::bundle::open(entry, options.clone(), &limits) {
            Ok(doc) => doc,
            Err(problem) => {
                super::report(&problem.path, &problem.message);
                failed += 1;
                continue;
            }
        };
        // The scan reads the bytes itself: the record index the document
        // starts building is not needed.
        doc.cancel();
        let pass = match doc.pass() {
            Ok(pass) => pass,
            Err(e) => {
                super::report(&entry.path, &e);
                failed += 1;
                continue;
            }
        };
        let Ok(found) = scan::scan(
            pass.dialect(),
            pass.all_bytes(),
            &selection,
            &scan_options,
            &never,
        ) else {
            continue;
        };
        let source = entry.path.to_string_lossy();
        for hit in found {
            let row = Row {
                record: hit.record,
                offset: hit.start as u64,
                fields: hit.fields,
                shortened: false,
            };
            if args.json {
                let line = MergedLine {
                    row: RowLine::of(&row),
                    source: &source,
                };
                serde_json::to_writer(&mut out, &line)?;
                writeln!(out)?;
            } else {
                write_text_row(&mut out, &format!("{source}:{}", row.record), &row)?;
            }
            matched += 1;
        }
    }
    out.flush()?;
    Ok(if failed > 0 {
        super::exit_code(failed)
    } else if matched == 0 {
        ExitCode::from(NOTHING_FOUND)
    } else {
        ExitCode::SUCCESS
    })
}

/// The matcher (none for an empty pattern) and the paths.
fn matcher_and_paths(args: &SearchArgs) -> Result<(Option<Matcher>, Vec<PathBuf>), String> {
    let mut rest = args.args.iter();
    let matcher = match &args.code {
        Some(code) => {
            // A number in any written form, or a symbolic name.
            let values: Vec<u32> = match logweave::errors::parse(code) {
                Ok(values) => values.into_iter().map(|(v, _)| v).collect(),
                Err(e) => match Tables::builtin().value_of(code.trim()) {
                    Some(value) => vec![value],
                    None => return Err(e.to_string()),
                },
            };
            Some(Matcher::codes(&values))
        }
        None => {
            let pattern = rest.next().map(|p| p.to_string_lossy()).unwrap_or_default();
            if pattern.is_empty() {
                None
            } else {
                let query = Query {
                    text: pattern.into_owned(),
                    match_case: args.case,
                    whole_word: false,
                    regex: args.regex,
                };
                Some(query.compile()?)
            }
        }
    };
    let paths: Vec<PathBuf> = rest.map(PathBuf::from).collect();
    if paths.is_empty() {
        return Err("give at least one file, folder or bundle to search".into());
    }
    Ok((matcher, paths))
}
