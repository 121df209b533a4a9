//! Builds a [`RecordIndex`] in parallel: the bytes are cut into batches
//! (small first, so the first screenful is ready at once), each batch into
//! chunks that rayon parses independently from a guessed record start; a
//! sequential stitch then checks every chunk against where the previous chunk
//! really ended and re-parses from there when the guess was wrong. The result
//! is therefore identical to a single sequential pass, whatever the chunking.
//! A stitched batch is appended to the index while the next batch is parsed.
//! Never reads a file: it is given a snapshot of bytes.

use std::sync::RwLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rayon::prelude::*;

use super::{Pending, RecordIndex};
use crate::formats::{Dialect, MetaCache};

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

struct Chunk {
    /// Records parsed; the first may not be a real record start.
    found: Vec<Pending>,
    /// Where the last record of `found` ends.
    found_end: usize,
    /// The chunk's nominal end: records starting at or after it belong to the next chunk.
    range_end: usize,
    /// Set by the stitch: records re-parsed sequentially before `found[keep..]`
    /// (where the chunk's guessed start was wrong), and where the last ends.
    fixed: Vec<Pending>,
    fixed_end: usize,
    /// Set by the stitch: the first record of `found` that a sequential pass
    /// also finds; from there on the chunk agrees with it.
    keep: usize,
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
    let mut publisher = Publisher {
        index,
        progress,
        eof,
        first_pos,
        reserved: false,
    };
    // A parsed and stitched batch, published while the next one is parsed.
    let mut ready: Option<(Vec<Chunk>, usize)> = None;
    while pos < eof {
        if cancel.load(Ordering::Relaxed) {
            publisher.publish(ready.take());
            return Err(Cancelled);
        }
        let batch_end = pos.saturating_add(batch).min(eof);
        let chunks = chunk_ranges(pos, batch_end, threads, options.min_chunk_bytes);
        let parse = |&(start, end, exact): &(usize, usize, bool)| {
            parse_chunk(dialect, data, start, end, eof, exact, cancel)
        };
        let parse_all = || -> Vec<Chunk> {
            if threads == 1 {
                chunks.iter().map(parse).collect()
            } else {
                chunks.par_iter().map(parse).collect()
            }
        };
        let previous = ready.take();
        let publish_previous = || publisher.publish(previous);
        let (mut parsed, ()) = match (&pool, threads) {
            (_, 1) => {
                publish_previous();
                (parse_all(), ())
            }
            (Some(pool), _) => pool.join(parse_all, publish_previous),
            (None, _) => rayon::join(parse_all, publish_previous),
        };
        if cancel.load(Ordering::Relaxed) {
            return Err(Cancelled);
        }
        let next = stitch(dialect, data, eof, pos, &mut parsed);
        ready = Some((parsed, next));
        pos = next;
        batch = (batch * 4).min(options.max_batch_bytes.max(4096));
    }
    publisher.publish(ready);
    progress.set(eof as u64, eof as u64);
    Ok(())
}

/// Appends stitched batches to the index.
struct Publisher<'a> {
    index: &'a RwLock<RecordIndex>,
    progress: &'a IndexProgress,
    eof: usize,
    first_pos: usize,
    reserved: bool,
}

impl Publisher<'_> {
    /// Appends the records a sequential pass finds in `chunks` (see [`stitch`]),
    /// which end at `next`.
    fn publish(&mut self, batch: Option<(Vec<Chunk>, usize)>) {
        let Some((chunks, next)) = batch else {
            return;
        };
        let records: usize = chunks
            .iter()
            .map(|c| c.fixed.len() + c.found.len() - c.keep)
            .sum();
        let mut index = self
            .index
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !self.reserved && next > self.first_pos {
            // Estimate the remaining records from the density seen so far.
            let per_byte = records as f64 / (next - self.first_pos) as f64;
            index.reserve(((self.eof - next) as f64 * per_byte * 1.02) as usize + records);
            self.reserved = true;
        }
        for chunk in &chunks {
            index.extend(&chunk.fixed, chunk.fixed_end as u64);
            index.extend(&chunk.found[chunk.keep..], chunk.found_end as u64);
        }
        drop(index);
        self.progress.set(next as u64, self.eof as u64);
    }
}

fn read(index: &RwLock<RecordIndex>) -> std::sync::RwLockReadGuard<'_, RecordIndex> {
    index
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Cuts `[from, to)` into chunks for `threads` workers; only the first starts
/// at a known record start. (The search scan cuts files the same way.)
pub(crate) fn chunk_ranges(
    from: usize,
    to: usize,
    threads: usize,
    min_chunk: usize,
) -> Vec<(usize, usize, bool)> {
    if threads <= 1 {
        return vec![(from, to, true)];
    }
    let len = to - from;
    let count = (len / min_chunk.max(1)).clamp(1, threads * 8);
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
    let mut cache = MetaCache::default();
    let mut found = Vec::with_capacity((range_end - start) / 128);
    while pos < range_end && pos < eof {
        let (step, meta) = dialect.next_with_meta(&mut splitter, &mut cache, data, pos, eof);
        found.push(Pending::new(pos as u64, meta, step.eof_dependent));
        pos = step.end;
        if found.len() % CANCEL_CHECK_EVERY == 0 && cancel.load(Ordering::Relaxed) {
            break;
        }
    }
    Chunk {
        found,
        found_end: pos,
        range_end,
        fixed: Vec::new(),
        fixed_end: 0,
        keep: 0,
    }
}

/// Decides which records of each chunk a sequential pass from `from` finds
/// (setting `keep`, and `fixed` where a chunk's guessed start was wrong);
/// returns where the last of them ends.
fn stitch(dialect: &Dialect, data: &[u8], eof: usize, from: usize, chunks: &mut [Chunk]) -> usize {
    let mut expected = from;
    let mut splitter = dialect.splitter();
    let mut cache = MetaCache::default();
    for chunk in chunks {
        chunk.keep = chunk.found.len();
        if expected >= chunk.range_end {
            continue;
        }
        let found = &chunk.found;
        let mut i = found.partition_point(|r| (r.start as usize) < expected);
        loop {
            if found.get(i).is_some_and(|r| r.start as usize == expected) {
                chunk.keep = i;
                expected = chunk.found_end;
                break;
            }
            if expected >= chunk.range_end || expected >= eof {
                break;
            }
            // The guess was wrong here: parse sequentially until we meet it.
            let (step, meta) =
                dialect.next_with_meta(&mut splitter, &mut cache, data, expected, eof);
            chunk
                .fixed
                .push(Pending::new(expected as u64, meta, step.eof_dependent));
            expected = step.end;
            chunk.fixed_end = expected;
            while found.get(i).is_some_and(|r| (r.start as usize) < expected) {
                i += 1;
            }
        }
    }
    expected
}
