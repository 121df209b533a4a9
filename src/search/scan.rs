//! Finds the records that match a query straight from a file's bytes,
//! without building the record index first: the command-line search, which
//! reads each file once. Chunks of the file are walked in parallel from a
//! guessed record start, record by record with the format's splitter (no
//! times or attributes are parsed), a fast byte pattern picking the few
//! records worth decoding; a sequential stitch then checks each chunk's guess
//! against where the previous chunk really ended, exactly as the index
//! builder does, so record numbers equal those of the index.

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::Matcher;
use crate::formats::{Dialect, RecordFields};
use crate::index::chunk_ranges;
use crate::model::Severity;

/// Which records a scan keeps.
#[derive(Clone, Copy, Debug)]
pub struct Selection<'a> {
    /// Records whose message matches; `None` keeps every record (of the
    /// chosen severities).
    pub matcher: Option<&'a Matcher>,
    /// Severities kept, indexed by `Severity as usize`.
    pub severities: [bool; 3],
}

impl Selection<'_> {
    fn keeps_severity(&self, severity: Severity) -> bool {
        self.severities[severity as usize]
    }

    fn all_severities(&self) -> bool {
        self.severities.iter().all(|&s| s)
    }
}

/// How a scan runs.
#[derive(Clone, Debug)]
pub struct ScanOptions {
    /// Worker threads: 0 uses rayon's pool (all cores), 1 walks the file
    /// sequentially.
    pub threads: usize,
    /// Smallest chunk walked on its own. Only tests lower it, to exercise
    /// the stitching on small inputs.
    #[doc(hidden)]
    pub min_chunk_bytes: usize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            threads: 0,
            min_chunk_bytes: 1024 * 1024,
        }
    }
}

/// A matching record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// 0-based record number in the file (as the index numbers it).
    pub record: usize,
    /// Byte offset of the record.
    pub start: usize,
    /// Byte offset just past the record.
    pub end: usize,
    /// The record's fields.
    pub fields: RecordFields,
}

/// The scan was cancelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cancelled;

/// How many record starts of a chunk are kept for stitching: a chunk whose
/// guessed start is wrong meets the real record boundaries within a record
/// or two; one that has not met them by then is walked again.
const HEADS: usize = 64;
const CANCEL_CHECK_EVERY: usize = 8192;
/// How far past its chunk a walk's byte pattern looks at first.
const WINDOW_MARGIN: usize = 64 * 1024;

/// The records of `data` (a whole file from byte 0) that `selection` keeps,
/// in file order.
pub fn scan(
    dialect: &Dialect,
    data: &[u8],
    selection: &Selection,
    options: &ScanOptions,
    cancel: &AtomicBool,
) -> Result<Vec<Found>, Cancelled> {
    let eof = dialect.content_end(data);
    let first = dialect.bom_len.min(eof);
    let threads = match options.threads {
        0 => rayon::current_num_threads(),
        n => n,
    };
    let walker = Walker {
        dialect,
        data,
        eof,
        selection,
        raw: selection
            .matcher
            .and_then(|m| m.raw_for(dialect.encoding))
            .map(|raw| (raw, &data[..eof])),
        cancel,
    };
    let ranges = chunk_ranges(first, eof, threads, options.min_chunk_bytes);
    let walk = |&(start, end, exact): &(usize, usize, bool)| {
        let from = if exact {
            start
        } else {
            dialect.sync_point(data, start, eof)
        };
        walker.walk(from, end)
    };
    let chunks: Vec<Chunk> = if threads <= 1 {
        ranges.iter().map(walk).collect()
    } else if options.threads == 0 {
        ranges.par_iter().map(walk).collect()
    } else {
        match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            Ok(pool) => pool.install(|| ranges.par_iter().map(walk).collect()),
            Err(_) => ranges.iter().map(walk).collect(),
        }
    };
    if cancel.load(Ordering::Relaxed) {
        return Err(Cancelled);
    }
    let mut found = Vec::new();
    let mut expected = first;
    let mut records = 0usize;
    for (chunk, &(_, range_end, _)) in chunks.into_iter().zip(&ranges) {
        if expected >= range_end {
            // Inside a record that began in an earlier chunk.
            continue;
        }
        let (chunk, skip) = match chunk.heads.iter().position(|&h| h == expected) {
            Some(skip) => (chunk, skip),
            None => (walker.walk(expected, range_end), 0),
        };
        found.extend(
            chunk
                .found
                .into_iter()
                .filter(|(local, _)| *local >= skip)
                .map(|(local, mut f)| {
                    f.record = records + local - skip;
                    f
                }),
        );
        records += chunk.records - skip;
        expected = chunk.end;
    }
    if cancel.load(Ordering::Relaxed) {
        return Err(Cancelled);
    }
    Ok(found)
}

/// What one walk over a chunk found.
struct Chunk {
    /// Where its first records start (at most [`HEADS`]).
    heads: Vec<usize>,
    /// Records walked.
    records: usize,
    /// Where the walk stopped: the start of the first record at or past the
    /// end of the chunk.
    end: usize,
    /// Kept records, with their number within the walk.
    found: Vec<(usize, Found)>,
}

struct Walker<'a> {
    dialect: &'a Dialect,
    data: &'a [u8],
    eof: usize,
    selection: &'a Selection<'a>,
    /// The byte pattern and the bytes it runs over (`data[..eof]`).
    raw: Option<(&'a regex::bytes::Regex, &'a [u8])>,
    cancel: &'a AtomicBool,
}

impl Walker<'_> {
    /// Walks the records that start in `[from, to)`.
    fn walk(&self, from: usize, to: usize) -> Chunk {
        let mut splitter = self.dialect.splitter();
        let mut heads = Vec::with_capacity(HEADS);
        let mut found = Vec::new();
        let mut records = 0usize;
        let mut pos = from;
        // The byte pattern runs over `data[..window]`: a little past the
        // chunk (never to the end of the file for each chunk), grown to
        // cover a record that reaches beyond it. A match that matters lies
        // inside its record, so it is inside the window.
        let mut window = self.eof.min(to.saturating_add(WINDOW_MARGIN));
        // The next match at or after `pos` in the window, when known.
        let mut next_match: Option<usize> = None;
        // True when the window holds no match at or after `pos`.
        let mut exhausted = false;
        while pos < to && pos < self.eof {
            let step = splitter.next(self.data, pos, self.eof);
            if heads.len() < HEADS {
                heads.push(pos);
            }
            let candidate = match self.raw {
                None => true,
                Some((raw, haystack)) => {
                    if step.end > window {
                        window = self.eof.min(step.end.saturating_add(WINDOW_MARGIN));
                        next_match = None;
                        exhausted = false;
                    }
                    if !exhausted && next_match.is_none_or(|m| m < pos) {
                        next_match = raw.find_at(&haystack[..window], pos).map(|m| m.start());
                        exhausted = next_match.is_none();
                    }
                    next_match.is_some_and(|m| m < step.end)
                }
            };
            if candidate && let Some(fields) = self.keep(pos, &step) {
                found.push((
                    records,
                    Found {
                        record: records,
                        start: pos,
                        end: step.end,
                        fields,
                    },
                ));
            }
            records += 1;
            pos = step.end;
            if records.is_multiple_of(CANCEL_CHECK_EVERY) && self.cancel.load(Ordering::Relaxed) {
                break;
            }
        }
        Chunk {
            heads,
            records,
            end: pos,
            found,
        }
    }

    /// The fields of the record at `start` when the selection keeps it.
    fn keep(&self, start: usize, step: &crate::formats::Step) -> Option<RecordFields> {
        let selection = self.selection;
        if !selection.all_severities()
            && !selection.keeps_severity(self.dialect.meta(self.data, start, step).severity)
        {
            return None;
        }
        let fields = self.dialect.fields(&self.data[start..step.end]);
        let matches = selection
            .matcher
            .is_none_or(|m| m.is_match(&fields.message));
        matches.then_some(fields)
    }
}

#[cfg(test)]
mod tests;
