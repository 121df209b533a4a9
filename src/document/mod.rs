//! [`LogDocument`]: one open log file and its record index, indexed in the
//! background. This is the only API the GUI and the CLI read logs through:
//! record counts, rows in a range, severity navigation, progress,
//! cancellation and following a file that grows, shrinks or is replaced.
//! Never writes to, locks or blocks the file (the writer must still roll it
//! over), and never draws.

use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock, RwLockReadGuard};
use std::thread::JoinHandle;

mod fingerprint;
mod refresh;

use fingerprint::Fingerprint;

use crate::encoding::TextEncoding;
use crate::formats::{DETECT_SAMPLE_BYTES, Dialect, LogFormat, RecordFields, SeverityKeywords};
use crate::index::{BuildOptions, IndexProgress, RecordIndex, index_range};
use crate::jobs;
use crate::model::{Direction, Severity, SeverityCounts, ZoneKind};
use crate::source::{FileIdentity, LogFile, MapPolicy, OpenError, Placement, Snapshot};

/// How to open and index a document.
#[derive(Clone, Debug, Default)]
pub struct OpenOptions {
    /// Threads and batch sizes of the index build.
    pub build: BuildOptions,
    /// Whether indexing passes may memory-map the file.
    pub map: MapPolicy,
    /// Keywords for records without a severity field.
    pub keywords: SeverityKeywords,
    /// Where the file is taken to live (detected; tests force a network one).
    pub placement: Placement,
}

/// One record decoded for display.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// 0-based record number in its file.
    pub record: usize,
    /// Byte offset of the record in the file.
    pub offset: u64,
    /// The record's fields.
    pub fields: RecordFields,
    /// True when the record was longer than the requested limit and its
    /// middle was left out.
    pub shortened: bool,
}

impl Row {
    /// Severity of the record.
    pub fn severity(&self) -> Severity {
        self.fields.meta.severity
    }

    /// UTC milliseconds since 1970, if the record has a time.
    pub fn utc_ms(&self) -> Option<i64> {
        self.fields.meta.utc_ms()
    }
}

/// What [`LogDocument::refresh`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileChange {
    /// Nothing new.
    Unchanged,
    /// Bytes were appended; records from `first_new` on are being (re)indexed.
    Appended {
        /// First record that may be new or changed.
        first_new: usize,
    },
    /// The file was truncated, rewritten or replaced; it is re-indexed from scratch.
    Reindexed(ReindexReason),
    /// The path no longer names a file (rolled over or deleted); what was read stays.
    Removed,
    /// An indexing pass is still running; try again later.
    Busy,
}

/// Why a document is re-indexed from scratch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReindexReason {
    /// The file is shorter than what was indexed.
    Truncated,
    /// Bytes already indexed changed under the same name: the file was
    /// rewritten in place, or truncated and written again past its old
    /// length before it was looked at (its start, or the bytes before the
    /// old end of the index, differ).
    Rewritten,
    /// The path now names a different file (the old one was renamed to `.lo_`
    /// or deleted, and a new one created).
    Replaced,
}

/// What went wrong with a document's last indexing pass (the index keeps
/// the records it had).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DocumentProblem {
    /// The file could not be read (the operating system's reason).
    #[error("{0}")]
    Unreadable(String),
    /// The pass stopped on an internal error (a bug: a panic in the
    /// indexer, caught and reported here instead of leaving the document
    /// "indexing" forever).
    #[error("indexing failed: {0}")]
    IndexingFailed(String),
    /// Reading a file on a network file system failed (the operating
    /// system's reason); what was read stays, and the next refresh retries.
    #[error("connection lost: {0} — retrying")]
    ConnectionLost(String),
}

/// A short summary of a document (what `logweave stats` prints).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// Record syntax.
    pub format: LogFormat,
    /// Text encoding.
    pub encoding: TextEncoding,
    /// Bytes indexed.
    pub bytes: u64,
    /// Records per severity.
    pub counts: SeverityCounts,
    /// How times were read (most timed records).
    pub zone: ZoneKind,
    /// UTC ms of the first timestamped record in file order.
    pub first_utc_ms: Option<i64>,
    /// UTC ms of the last timestamped record in file order.
    pub last_utc_ms: Option<i64>,
}

struct State {
    file: Arc<LogFile>,
    dialect: Arc<Dialect>,
    /// Bytes covered by the last complete pass.
    indexed_len: u64,
    /// What the index was built over, to tell appends from rewrites.
    fingerprint: Arc<Fingerprint>,
}

struct Shared {
    state: RwLock<State>,
    index: RwLock<RecordIndex>,
    progress: IndexProgress,
    cancel: AtomicBool,
    running: AtomicBool,
    /// Bumped whenever the index is rebuilt from scratch.
    generation: AtomicU64,
    problem: Mutex<Option<DocumentProblem>>,
    /// The file's length when a pass last failed on an internal error
    /// ([`NOT_FAILED`] otherwise): the same bytes are not indexed again (the
    /// same bug would strike again, every poll) until the file changes.
    failed_at_len: AtomicU64,
}

/// [`Shared::failed_at_len`] when the last pass did not fail.
const NOT_FAILED: u64 = u64::MAX;

/// An open log with its index.
pub struct LogDocument {
    path: PathBuf,
    options: OpenOptions,
    shared: Arc<Shared>,
    worker: Mutex<Option<JoinHandle<()>>>,
}

fn read_lock<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Job {
    /// Index from the provisional tail to the end.
    Extend,
    /// Re-detect the dialect and index everything.
    Rebuild,
}

impl LogDocument {
    /// Opens `path` and starts indexing it in the background.
    pub fn open(path: &Path, options: OpenOptions) -> Result<LogDocument, OpenError> {
        LogDocument::with_file(path, LogFile::open_with(path, options.placement)?, options)
    }

    /// A log held in memory (text pasted from the clipboard, say), shown
    /// under `name`: the same document as a file's, read from `bytes`
    /// (detected as any file is: CCM, CMTrace's copied rows, plain lines).
    /// It never changes, so it is never refreshed or followed.
    pub fn from_bytes(name: &str, bytes: Vec<u8>, options: OpenOptions) -> LogDocument {
        let path = Path::new(name);
        LogDocument::with_file(path, LogFile::from_bytes(path, bytes), options)
            .expect("reading bytes in memory cannot fail")
    }

    /// A log copied into an anonymous temporary `file` (an archive entry
    /// too big for memory), shown under `name`: mapped like a file, but
    /// fixed like a log held in memory (never refreshed or followed). The
    /// file is deleted when the document closes.
    pub fn from_temporary_file(
        name: &Path,
        file: std::fs::File,
        options: OpenOptions,
    ) -> Result<LogDocument, OpenError> {
        LogDocument::with_file(name, LogFile::from_temporary(name, file), options)
    }

    fn with_file(
        path: &Path,
        file: LogFile,
        options: OpenOptions,
    ) -> Result<LogDocument, OpenError> {
        let file = Arc::new(file);
        let sample = file.read_range(0, DETECT_SAMPLE_BYTES as u64)?;
        let dialect = Arc::new(Dialect::detect(&sample, &options.keywords));
        let index = RecordIndex::new(dialect.bom_len as u64);
        let shared = Arc::new(Shared {
            state: RwLock::new(State {
                file,
                dialect,
                indexed_len: 0,
                fingerprint: Arc::default(),
            }),
            index: RwLock::new(index),
            progress: IndexProgress::default(),
            cancel: AtomicBool::new(false),
            running: AtomicBool::new(false),
            generation: AtomicU64::new(0),
            problem: Mutex::new(None),
            failed_at_len: AtomicU64::new(NOT_FAILED),
        });
        let doc = LogDocument {
            path: path.to_owned(),
            options,
            shared,
            worker: Mutex::new(None),
        };
        doc.start(Job::Extend);
        Ok(doc)
    }

    /// Opens `path` and waits until it is indexed.
    pub fn open_blocking(path: &Path, options: OpenOptions) -> Result<LogDocument, OpenError> {
        let doc = LogDocument::open(path, options)?;
        doc.wait();
        match doc.problem() {
            Some(problem) => Err(OpenError::Io(io::Error::other(problem.to_string()))),
            None => Ok(doc),
        }
    }

    /// The path the document was opened with (for text held in memory,
    /// the name it is shown under).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True for a log held in memory (pasted text): no file behind it.
    pub fn is_in_memory(&self) -> bool {
        read_lock(&self.shared.state).file.is_in_memory()
    }

    fn start(&self, job: Job) {
        let mut worker = self.worker.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(handle) = worker.take() {
            let _ = handle.join();
        }
        self.shared.cancel.store(false, Ordering::SeqCst);
        self.shared.running.store(true, Ordering::SeqCst);
        self.shared
            .failed_at_len
            .store(NOT_FAILED, Ordering::SeqCst);
        let shared = Arc::clone(&self.shared);
        let options = self.options.clone();
        let path = self.path.clone();
        let spawned = std::thread::Builder::new()
            .name("logweave-index".into())
            .spawn(move || {
                // A panic in the pass (or on a rayon worker it waits for) is
                // a problem like any other: reported, never a pass that
                // seems to run forever.
                let problem = match jobs::catch_panic(|| {
                    jobs::fault_point("index", &path.to_string_lossy());
                    run_job(&shared, &options, job)
                }) {
                    Ok(Ok(())) => None,
                    Ok(Err(e)) => Some(refresh::read_problem(&shared, &e)),
                    Err(failure) => {
                        let len = read_lock(&shared.state).file.len().unwrap_or(NOT_FAILED);
                        shared.failed_at_len.store(len, Ordering::SeqCst);
                        Some(DocumentProblem::IndexingFailed(failure.reason))
                    }
                };
                *shared
                    .problem
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = problem;
                shared.running.store(false, Ordering::SeqCst);
            });
        match spawned {
            Ok(handle) => *worker = Some(handle),
            Err(e) => {
                *self
                    .shared
                    .problem
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = Some(DocumentProblem::Unreadable(
                    format!("could not start indexing: {e}"),
                ));
                self.shared.running.store(false, Ordering::SeqCst);
            }
        }
    }

    /// Blocks until the current indexing pass has finished.
    pub fn wait(&self) {
        let handle = self
            .worker
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(handle) = handle {
            let _ = handle.join();
        }
    }

    /// Asks the current indexing pass to stop, without waiting for it.
    pub fn request_cancel(&self) {
        self.shared.cancel.store(true, Ordering::SeqCst);
    }

    /// Stops the current indexing pass and waits for it; the records indexed so far stay.
    pub fn cancel(&self) {
        self.shared.cancel.store(true, Ordering::SeqCst);
        self.wait();
    }

    /// True while an indexing pass runs.
    pub fn is_indexing(&self) -> bool {
        self.shared.running.load(Ordering::SeqCst)
    }

    /// Bytes indexed and bytes to index in the current pass.
    pub fn progress(&self) -> (u64, u64) {
        self.shared.progress.get()
    }

    /// Fraction of the current pass done (1.0 when idle).
    pub fn progress_fraction(&self) -> f32 {
        if self.is_indexing() {
            self.shared.progress.fraction()
        } else {
            1.0
        }
    }

    /// Changes every time the index is rebuilt from scratch (views reset then).
    pub fn generation(&self) -> u64 {
        self.shared.generation.load(Ordering::SeqCst)
    }

    /// The last problem reading or indexing the file, if any (the index
    /// keeps what it had).
    pub fn problem(&self) -> Option<DocumentProblem> {
        self.shared
            .problem
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Number of records indexed so far.
    pub fn record_count(&self) -> usize {
        read_lock(&self.shared.index).len()
    }

    /// Records per severity, indexed so far.
    pub fn counts(&self) -> SeverityCounts {
        read_lock(&self.shared.index).counts()
    }

    /// True when the file's first bytes are mostly not text: it is shown
    /// line by line, but it is not a log.
    pub fn looks_binary(&self) -> bool {
        read_lock(&self.shared.state).dialect.binary
    }

    /// Record syntax of the file.
    pub fn format(&self) -> LogFormat {
        read_lock(&self.shared.state).dialect.format
    }

    /// Text encoding of the file.
    pub fn encoding(&self) -> TextEncoding {
        read_lock(&self.shared.state).dialect.encoding
    }

    /// Read access to the index (keep it short: the indexer waits for it).
    pub fn with_index<T>(&self, f: impl FnOnce(&RecordIndex) -> T) -> T {
        f(&read_lock(&self.shared.index))
    }

    /// The nearest record of `severity` after (or before) `from`.
    pub fn next_of_severity(
        &self,
        from: Option<usize>,
        severity: Severity,
        direction: Direction,
    ) -> Option<usize> {
        self.with_index(|index| index.next_of_severity(from, severity, direction))
    }

    /// What `logweave stats` reports.
    pub fn summary(&self) -> Summary {
        let state = read_lock(&self.shared.state);
        let index = read_lock(&self.shared.index);
        let (first_utc_ms, last_utc_ms) = match index.first_and_last_timed() {
            Some((first, last)) => (index.utc_ms(first), index.utc_ms(last)),
            None => (None, None),
        };
        Summary {
            format: state.dialect.format,
            encoding: state.dialect.encoding,
            bytes: state.indexed_len,
            counts: index.counts(),
            zone: index.dominant_zone(),
            first_utc_ms,
            last_utc_ms,
        }
    }

    /// Rows `range` (clipped to the records indexed). Records longer than
    /// `max_bytes` are shortened in the middle (their start and end are kept,
    /// so the CCM attributes at the end still parse); `None` reads them whole.
    pub fn rows(&self, range: Range<usize>, max_bytes: Option<usize>) -> Vec<Row> {
        let (file, dialect, spans) = {
            let state = read_lock(&self.shared.state);
            let index = read_lock(&self.shared.index);
            let range = range.start.min(index.len())..range.end.min(index.len());
            let spans: Vec<(usize, u64, u64)> = range
                .map(|i| {
                    let (s, e) = index.byte_range(i);
                    (i, s, e)
                })
                .collect();
            (Arc::clone(&state.file), Arc::clone(&state.dialect), spans)
        };
        let Some(&(_, first_start, _)) = spans.first() else {
            return Vec::new();
        };
        let last_end = spans.last().map_or(first_start, |s| s.2);
        let limit = max_bytes.unwrap_or(usize::MAX);
        let any_long = spans.iter().any(|&(_, s, e)| e - s > limit as u64);
        // Read the whole range at once when it is small and nothing needs shortening.
        let bulk = (!any_long && last_end - first_start <= 8 * 1024 * 1024)
            .then(|| file.read_shown(first_start, last_end).ok())
            .flatten();
        spans
            .into_iter()
            .map(|(record, start, end)| {
                let (raw, shortened) = match &bulk {
                    Some(bytes) => {
                        let from = usize::try_from(start - first_start)
                            .unwrap_or(usize::MAX)
                            .min(bytes.len());
                        let to = usize::try_from(end - first_start)
                            .unwrap_or(usize::MAX)
                            .min(bytes.len());
                        (bytes[from..to].to_vec(), false)
                    }
                    None => read_record(&file, &dialect, start, end, limit),
                };
                Row {
                    record,
                    offset: start,
                    fields: dialect.fields(&raw),
                    shortened,
                }
            })
            .collect()
    }

    /// One row, read whole (the details pane).
    pub fn row(&self, record: usize) -> Option<Row> {
        self.rows(record..record + 1, None).pop()
    }

    /// Byte ranges of records `range` (clipped to the records indexed).
    pub fn spans(&self, range: Range<usize>) -> Vec<(u64, u64)> {
        self.with_index(|index| {
            let range = range.start.min(index.len())..range.end.min(index.len());
            range.map(|i| index.byte_range(i)).collect()
        })
    }

    /// Starts a whole-file pass (search, filter, export): the records
    /// indexed now and the bytes of the file as they are now.
    pub fn pass(&self) -> io::Result<Pass> {
        let records = self.record_count();
        let (file, dialect) = {
            let state = read_lock(&self.shared.state);
            (Arc::clone(&state.file), Arc::clone(&state.dialect))
        };
        let snapshot = file.snapshot(self.options.map)?;
        Ok(Pass {
            snapshot,
            dialect,
            records,
        })
    }

    /// The identity of the file the document reads now (to tell where it went
    /// when the path names another file or none).
    pub fn file_identity(&self) -> FileIdentity {
        read_lock(&self.shared.state).file.identity()
    }

    /// True when record `record` ends with a line break (a record a writer
    /// has finished); false for a record still being written, or none.
    pub fn record_ends_with_line_break(&self, record: usize) -> bool {
        let Some(&(start, end)) = self.spans(record..record + 1).first() else {
            return false;
        };
        let (file, encoding) = {
            let state = read_lock(&self.shared.state);
            (Arc::clone(&state.file), state.dialect.encoding)
        };
        let line_break = encoding.encode_ascii("\n");
        let from = end.saturating_sub(line_break.len() as u64).max(start);
        file.read_range(from, end)
            .is_ok_and(|bytes| bytes == line_break)
    }
}

impl Drop for LogDocument {
    fn drop(&mut self) {
        self.cancel();
    }
}

/// The bytes of a file at the start of a whole-file pass.
pub struct Pass {
    snapshot: Snapshot,
    dialect: Arc<Dialect>,
    /// Records indexed when the pass started; the pass covers `0..records`.
    pub records: usize,
}

impl Pass {
    /// The file's dialect.
    pub fn dialect(&self) -> &Dialect {
        &self.dialect
    }

    /// The bytes `[start, end)` (clipped to the snapshot).
    pub fn bytes(&self, start: u64, end: u64) -> &[u8] {
        let len = self.snapshot.len();
        let start = usize::try_from(start).unwrap_or(len).min(len);
        let end = usize::try_from(end).unwrap_or(len).clamp(start, len);
        &self.snapshot[start..end]
    }

    /// All bytes of the snapshot.
    pub fn all_bytes(&self) -> &[u8] {
        &self.snapshot
    }

    /// The fields of the record at `[start, end)`.
    pub fn fields(&self, start: u64, end: u64) -> RecordFields {
        self.dialect.fields(self.bytes(start, end))
    }
}

/// Reads one record, shortening it to about `limit` bytes: its head and its
/// last 4 KiB, with a note in between.
fn read_record(
    file: &LogFile,
    dialect: &Dialect,
    start: u64,
    end: u64,
    limit: usize,
) -> (Vec<u8>, bool) {
    if end - start <= limit as u64 {
        return (file.read_shown(start, end).unwrap_or_default(), false);
    }
    let unit = dialect.encoding.unit() as u64;
    let head_len = (limit as u64 / unit) * unit;
    let tail_len = (4096 / unit * unit).min(end - start - head_len);
    let mut head = file.read_shown(start, start + head_len).unwrap_or_default();
    let mut tail = file.read_shown(end - tail_len, end).unwrap_or_default();
    if unit == 1 {
        if let Err(e) = std::str::from_utf8(&head)
            && e.error_len().is_none()
        {
            head.truncate(e.valid_up_to());
        }
        let skip = tail
            .iter()
            .take(3)
            .take_while(|&&b| b & 0xC0 == 0x80)
            .count();
        tail.drain(..skip);
    }
    let hidden = end - start - head.len() as u64 - tail.len() as u64;
    let note = dialect
        .encoding
        .encode_ascii(&format!(" ... [{hidden} bytes not shown] ... "));
    head.extend_from_slice(&note);
    head.extend_from_slice(&tail);
    (head, true)
}

fn run_job(shared: &Shared, options: &OpenOptions, job: Job) -> io::Result<()> {
    let mut job = job;
    for _attempt in 0..3 {
        let file = Arc::clone(&read_lock(&shared.state).file);
        if job == Job::Rebuild {
            // Trusts nothing read before: the whole file is read again.
            file.forget_kept();
        }
        let faults_before = crate::source::absorbed_faults();
        let mut snapshot = file.snapshot(options.map)?;
        // Appending to the index is only right while the bytes it was built
        // over are still there: the file may have been truncated and
        // written past its old length after `refresh` looked at it.
        let indexed = Arc::clone(&read_lock(&shared.state).fingerprint);
        if job == Job::Extend && !indexed.matches(&snapshot) {
            job = Job::Rebuild;
            file.forget_kept();
            snapshot = file.snapshot(options.map)?;
        }
        if job == Job::Rebuild {
            let sample = &snapshot[..snapshot.len().min(DETECT_SAMPLE_BYTES)];
            let dialect = Arc::new(Dialect::detect(sample, &options.keywords));
            let mut state = shared.state.write().unwrap_or_else(PoisonError::into_inner);
            let mut index = shared.index.write().unwrap_or_else(PoisonError::into_inner);
            *index = RecordIndex::new(dialect.bom_len as u64);
            state.dialect = dialect;
            state.indexed_len = 0;
            state.fingerprint = Arc::default();
            shared.generation.fetch_add(1, Ordering::SeqCst);
        } else {
            let mut index = shared.index.write().unwrap_or_else(PoisonError::into_inner);
            if let Some(from) = index.provisional_from() {
                index.truncate(from);
            }
        }
        let dialect = Arc::clone(&read_lock(&shared.state).dialect);
        // The bytes this pass starts from, to notice them changing under it
        // (a map shows what the file holds at each moment).
        let start = Fingerprint::of(&snapshot, dialect.content_end(&snapshot) as u64);
        let started_empty = read_lock(&shared.index).is_empty();
        let outcome = index_range(
            &dialect,
            &snapshot,
            &shared.index,
            &options.build,
            &shared.progress,
            &shared.cancel,
        );
        // Taken before the checks below: a change after them is seen by the
        // next look, one before them by the checks.
        let covered = Fingerprint::of(&snapshot, read_lock(&shared.index).end());
        let changed =
            !start.matches(&snapshot) || (job == Job::Extend && !indexed.matches(&snapshot));
        if snapshot.damaged_since(faults_before) || changed {
            // The file was truncated or rewritten while we read it: start
            // over on what is there now.
            job = Job::Rebuild;
            continue;
        }
        let mut state = shared.state.write().unwrap_or_else(PoisonError::into_inner);
        // Also after a cancelled pass: it describes the records indexed.
        state.fingerprint = Arc::new(covered);
        if outcome.is_ok() {
            state.indexed_len = snapshot.len() as u64;
            drop(state);
            if started_empty {
                shared
                    .index
                    .write()
                    .unwrap_or_else(PoisonError::into_inner)
                    .shrink_to_fit();
            }
        }
        return Ok(());
    }
    Err(io::Error::other(
        "the file kept changing while it was being read",
    ))
}

#[cfg(test)]
mod tests;
