//! Builds a [`RecordIndex`] in parallel: the bytes are cut into batches
//! (small first, so the first screenful is ready at once), each batch into
//! chunks that rayon parses independently from a guessed record start; a
//! sequential stitch then checks every chunk against where the previous chunk
//! really ended and re-parses from there when the guess was wrong. The result
//! is therefore identical to a single sequential pass, whatever the chunking.

use std::sync::RwLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rayon::prelude::*;

use super::RecordIndex;
use crate::formats::{Dialect, RecordMeta};

/// How to build an index.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    /// Worker threads; 0 uses rayon's global pool (all cores), 1 parses
    /// sequentially without chunking.
    pub threads: usize,
    /// Size of the first batch, published before anything else is parsed.
    pub first_batch_bytes: usize,
    /// Upper bound for later batches (they grow fourfold from the first).
    pub max_batch_bytes: usize,
    /// Smallest chunk a batch is cut into for parallel parsing. Only tests
    /// lower it, to exercise chunk stitching on small inputs.
    #[doc(hidden)]
    pub min_chunk_bytes: usize,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            threads: 0,
            first_batch_bytes: 256 * 1024,
            max_batch_bytes: 64 * 1024 * 1024,
            min_chunk_bytes: MIN_CHUNK_BYTES,
        }
    }
}

/// Progress of a build, in bytes; readable from any thread.
#[derive(Debug, Default)]
pub struct IndexProgress {
    done: AtomicU64,
    total: AtomicU64,
}

impl IndexProgress {
    /// Bytes indexed so far and bytes to index in all.
    pub fn get(&self) -> (u64, u64) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }

    /// Fraction done, 0.0 to 1.0.
    pub fn fraction(&self) -> f32 {
        let (done, total) = self.get();
        if total == 0 {
            1.0
        } else {
            (done as f64 / total as f64).min(1.0) as f32
        }
    }

    pub(crate) fn set(&self, done: u64, total: u64) {
        self.total.store(total, Ordering::Relaxed);
        self.done.store(done, Ordering::Relaxed);
    }
}

/// The build was cancelled; the index holds what was published before.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cancelled;

#[derive(Clone, Copy)]
struct Found {
    start: u64,
    end: u64,
    meta: RecordMeta,
    eof_dependent: bool,
}

struct Chunk {
    /// Records parsed; the first may not be a real record start.
    found: Vec<Found>,
    /// The chunk's nominal end: records starting at or after it belong to the next chunk.
    range_end: usize,
}

const CANCEL_CHECK_EVERY: usize = 8192;
const MIN_CHUNK_BYTES: usize = 256 * 1024;

/// Indexes `data` from the end of `index` to the end of the data, appending
/// records to `index` batch by batch (readers see them as they arrive).
/// `data` must hold the whole file from byte 0.
pub fn index_range(
    dialect: &Dialect,
    data: &[u8],
    index: &RwLock<RecordIndex>,
    options: &BuildOptions,
    progress: &IndexProgress,
    cancel: &AtomicBool,
) -> Result<(), Cancelled> {
    let eof = dialect.content_end(data);
    let mut pos = usize::try_from(read(index).end())
        .unwrap_or(usize::MAX)
        .max(dialect.bom_len);
    let first_pos = pos;
    progress.set(pos as u64, eof as u64);
    let mut batch = options.first_batch_bytes.max(4096);
    let pool = match options.threads {
        0 | 1 => None,
        n => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .thread_name(|i| format!("logweave-index-{i}"))
            .build()
            .ok(),
    };
    let threads = match options.threads {
        0 => rayon::current_num_threads(),
        n => n,
    };
    let mut reserved = false;
    while pos < eof {
        if cancel.load(Ordering::Relaxed) {
            return Err(Cancelled);
        }
        let batch_end = pos.saturating_add(batch).min(eof);
        let chunks = chunk_ranges(pos, batch_end, threads, options.min_chunk_bytes);
        let parse = |&(start, end, exact): &(usize, usize, bool)| {
            parse_chunk(dialect, data, start, end, eof, exact, cancel)
        };
        let parsed: Vec<Chunk> = match (&pool, threads) {
            (_, 1) => chunks.iter().map(parse).collect(),
            (Some(pool), _) => pool.install(|| chunks.par_iter().map(parse).collect()),
            (None, _) => chunks.par_iter().map(parse).collect(),
        };
        if cancel.load(Ordering::Relaxed) {
            return Err(Cancelled);
        }
        let (records, next) = stitch(dialect, data, eof, pos, parsed);
        {
            let mut index = index
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if !reserved && next > first_pos {
                // Estimate the remaining records from the density seen so far.
                let per_byte = records.len() as f64 / (next - first_pos) as f64;
                index.reserve(((eof - next) as f64 * per_byte * 1.02) as usize + records.len());
                reserved = true;
            }
            for r in &records {
                index.push(r.start, r.end, r.meta, r.eof_dependent);
            }
        }
        pos = next;
        progress.set(pos as u64, eof as u64);
        batch = (batch * 4).min(options.max_batch_bytes.max(4096));
    }
    progress.set(eof as u64, eof as u64);
    Ok(())
}

fn read(index: &RwLock<RecordIndex>) -> std::sync::RwLockReadGuard<'_, RecordIndex> {
    index
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Cuts `[from, to)` into chunks for `threads` workers; only the first starts
/// at a known record start.
fn chunk_ranges(
    from: usize,
    to: usize,
    threads: usize,
    min_chunk: usize,
) -> Vec<(usize, usize, bool)> {
    if threads <= 1 {
        return vec![(from, to, true)];
    }
    let len = to - from;
    let count = (len / min_chunk.max(1)).clamp(1, threads * 4);
    let size = len.div_ceil(count);
    (0..count)
        .map(|i| {
            let start = from + i * size;
            (start, (start + size).min(to), i == 0)
        })
        .filter(|&(start, end, _)| start < end)
        .collect()
}

fn parse_chunk(
    dialect: &Dialect,
    data: &[u8],
    start: usize,
    range_end: usize,
    eof: usize,
    exact: bool,
    cancel: &AtomicBool,
) -> Chunk {
    let mut pos = if exact {
        start
    } else {
        dialect.sync_point(data, start, eof)
    };
    let mut splitter = dialect.splitter();
    let mut found = Vec::with_capacity((range_end - start) / 128);
    while pos < range_end && pos < eof {
        let step = splitter.next(data, pos, eof);
        let meta = dialect.meta(data, pos, &step);
        found.push(Found {
            start: pos as u64,
            end: step.end as u64,
            meta,
            eof_dependent: step.eof_dependent,
        });
        pos = step.end;
        if found.len() % CANCEL_CHECK_EVERY == 0 && cancel.load(Ordering::Relaxed) {
            break;
        }
    }
    Chunk { found, range_end }
}

/// Joins chunk results into the records a sequential pass from `from` finds.
fn stitch(
    dialect: &Dialect,
    data: &[u8],
    eof: usize,
    from: usize,
    chunks: Vec<Chunk>,
) -> (Vec<Found>, usize) {
    let mut records: Vec<Found> = Vec::with_capacity(chunks.iter().map(|c| c.found.len()).sum());
    let mut expected = from;
    let mut splitter = dialect.splitter();
    for chunk in chunks {
        if expected >= chunk.range_end {
            continue;
        }
        let found = &chunk.found;
        let mut i = found.partition_point(|r| (r.start as usize) < expected);
        loop {
            if found.get(i).is_some_and(|r| r.start as usize == expected) {
                records.extend_from_slice(&found[i..]);
                expected = found.last().map_or(expected, |r| r.end as usize);
                break;
            }
            if expected >= chunk.range_end || expected >= eof {
                break;
            }
            // The guess was wrong here: parse sequentially until we meet it.
            let step = splitter.next(data, expected, eof);
            let meta = dialect.meta(data, expected, &step);
            records.push(Found {
                start: expected as u64,
                end: step.end as u64,
                meta,
                eof_dependent: step.eof_dependent,
            });
            expected = step.end;
            while found.get(i).is_some_and(|r| (r.start as usize) < expected) {
                i += 1;
            }
        }
    }
    (records, expected)
}
