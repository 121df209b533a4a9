//! Live tail: a background thread that looks at a document's file every poll
//! interval (500 ms by default, like CMTrace), and at once when the operating
//! system reports a change in the file's folder (inotify, FSEvents,
//! ReadDirectoryChangesW through `notify`, where available), and reports what
//! changed. Polling stays as the fallback for network shares and systems
//! without notifications, and catches renames and truncation as well as appends.
//! Never writes to or locks the file, and never re-indexes on its own: it
//! asks the document.
//!
//! Two ways to follow, on the same document refresh: [`Follower`] runs in the
//! background and reports events (the window), [`FileTail`] is driven by its
//! caller and hands out each record exactly once, across rollovers to
//! `.lo_`, truncation, deletion and re-creation (`logweave tail`); both wait
//! for changes with a [`Wakeup`].

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::document::{FileChange, LogDocument, OpenOptions, ReindexReason, Row};
use crate::formats::LogFormat;
use crate::jobs::Waker;
use crate::source::{FileIdentity, LogFile, OpenError};

/// Default poll interval (CMTrace's Update Interval).
pub const DEFAULT_INTERVAL_MS: u64 = 500;

/// Follows one document until dropped.
pub struct Follower {
    stop: Arc<AtomicBool>,
    paused: Arc<AtomicBool>,
    interval_ms: Arc<AtomicU64>,
    events: Receiver<FollowEvent>,
    handle: Option<JoinHandle<()>>,
}

/// Something the follower noticed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FollowEvent {
    /// The file changed.
    Changed(FileChange),
    /// Looking at the file failed.
    Problem(String),
    /// Following stopped on an internal error (a panic in the follower,
    /// caught); what was read stays.
    Stopped(String),
}

impl Follower {
    /// Starts following `doc`, polling every `interval_ms`.
    pub fn start(doc: Arc<LogDocument>, interval_ms: u64, waker: Option<Waker>) -> Follower {
        let stop = Arc::new(AtomicBool::new(false));
        let paused = Arc::new(AtomicBool::new(false));
        let interval = Arc::new(AtomicU64::new(interval_ms.max(50)));
        let (tx, events) = channel();
        let wakeup = Wakeup::watching(&[doc.path()]);
        let handle = {
            let (stop, paused, interval) = (
                Arc::clone(&stop),
                Arc::clone(&paused),
                Arc::clone(&interval),
            );
            std::thread::Builder::new()
                .name("logweave-follow".into())
                .spawn(move || {
                    let signals = Signals {
                        stop: &stop,
                        paused: &paused,
                        wakeup: &wakeup,
                        interval: &interval,
                    };
                    if let Err(failure) = crate::jobs::catch_panic(|| {
                        follow_loop(&doc, &signals, &tx, waker.as_ref())
                    }) {
                        let _ = tx.send(FollowEvent::Stopped(failure.reason));
                        if let Some(waker) = &waker {
                            waker();
                        }
                    }
                })
                .ok()
        };
        Follower {
            stop,
            paused,
            interval_ms: interval,
            events,
            handle,
        }
    }

    /// Stops or resumes looking at the file (CMTrace's Pause, Ctrl+U).
    pub fn set_paused(&self, paused: bool) {
        self.paused.store(paused, Ordering::SeqCst);
    }

    /// True while paused.
    pub fn is_paused(&self) -> bool {
        self.paused.load(Ordering::SeqCst)
    }

    /// Changes the poll interval.
    pub fn set_interval_ms(&self, ms: u64) {
        self.interval_ms.store(ms.max(50), Ordering::SeqCst);
    }

    /// Events noticed since the last call.
    pub fn drain(&self) -> Vec<FollowEvent> {
        self.events.try_iter().collect()
    }
}

impl Drop for Follower {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}

/// Wakes a follow loop when the poll interval has passed, or at once when
/// the operating system reports a change to one of the watched files.
pub struct Wakeup {
    poke: Arc<AtomicBool>,
    /// Kept alive while we wait; empty where notifications are not available.
    _watchers: Vec<notify::RecommendedWatcher>,
}

impl Wakeup {
    /// Watches the folders of `paths` (polling alone where that fails, e.g.
    /// for a folder that does not exist yet).
    pub fn watching(paths: &[&Path]) -> Wakeup {
        let poke = Arc::new(AtomicBool::new(false));
        let watchers = paths
            .iter()
            .filter_map(|path| watch_folder(path, Arc::clone(&poke)))
            .collect();
        Wakeup {
            poke,
            _watchers: watchers,
        }
    }

    /// Sleeps until `interval` has passed, a watched file changed, or `stop`
    /// is set.
    pub fn wait(&self, interval: Duration, stop: &AtomicBool) {
        let due = Instant::now() + interval;
        while Instant::now() < due
            && !stop.load(Ordering::SeqCst)
            && !self.poke.swap(false, Ordering::SeqCst)
        {
            std::thread::sleep(Duration::from_millis(10).min(interval));
        }
    }
}

/// Asks the OS to report changes in the folder of `path` (renames and
/// re-creations are folder events); `None` where that is not available.
fn watch_folder(
    path: &std::path::Path,
    poke: Arc<AtomicBool>,
) -> Option<notify::RecommendedWatcher> {
    use notify::Watcher;
    if crate::remote::is_remote(&path.to_string_lossy()) {
        return None;
    }
    let name = path.file_name()?.to_owned();
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => std::path::PathBuf::from("."),
    };
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Reading the file is an event too (open, close without writing):
        // left out, or each look would call for the next one at once.
        if let Ok(event) = event
            && !matches!(event.kind, notify::EventKind::Access(_))
            && event
                .paths
                .iter()
                .any(|p| p.file_name() == Some(name.as_os_str()))
        {
            poke.store(true, Ordering::SeqCst);
        }
    })
    .ok()?;
    watcher
        .watch(&folder, notify::RecursiveMode::NonRecursive)
        .ok()?;
    Some(watcher)
}

/// What the follow loop listens to.
struct Signals<'a> {
    stop: &'a AtomicBool,
    paused: &'a AtomicBool,
    wakeup: &'a Wakeup,
    interval: &'a AtomicU64,
}

fn follow_loop(
    doc: &LogDocument,
    signals: &Signals<'_>,
    tx: &Sender<FollowEvent>,
    waker: Option<&Waker>,
) {
    let Signals {
        stop,
        paused,
        wakeup,
        interval,
    } = *signals;
    crate::jobs::fault_point("follow", &doc.path().to_string_lossy());
    let mut last_problem = None;
    while !stop.load(Ordering::SeqCst) {
        wakeup.wait(Duration::from_millis(interval.load(Ordering::SeqCst)), stop);
        if stop.load(Ordering::SeqCst) || paused.load(Ordering::SeqCst) {
            continue;
        }
        let event = match doc.refresh() {
            Ok(FileChange::Unchanged | FileChange::Busy) => None,
            Ok(change) => Some(FollowEvent::Changed(change)),
            Err(e) => Some(FollowEvent::Problem(e.to_string())),
        };
        // Report a lasting condition (removed file, an error) once, not every poll.
        let repeated = event.is_some()
            && event == last_problem
            && !matches!(
                event,
                Some(FollowEvent::Changed(FileChange::Appended { .. }))
            );
        if let Some(event) = event.clone().filter(|_| !repeated) {
            if tx.send(event).is_err() {
                return;
            }
            if let Some(waker) = waker {
                waker();
            }
        }
        last_problem = event;
    }
}

/// A last record without a line break is shown once the file has been quiet
/// this long (a writer that does not end its last line).
const RELEASE_UNFINISHED_AFTER: Duration = Duration::from_secs(2);

/// What happened to a followed file, worth a one-line notice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TailNotice {
    /// A file that was waited for exists now.
    Appeared,
    /// The file was renamed to `to` (a `.lo_` rollover); `new_file` tells
    /// whether a new file of the old name is followed already.
    RolledOver {
        /// Where the old file went.
        to: PathBuf,
        /// A new file took the name and is read from its start.
        new_file: bool,
    },
    /// The file was deleted (or moved away); waiting for a new one.
    Deleted,
    /// A new file took the name (after a deletion, or one we could not trace).
    Replaced,
    /// The file was truncated; it is read again from its start.
    Truncated,
    /// The start of the file changed in place; it is read again from its start.
    Rewritten,
    /// Reading the file failed (reported once until it works again).
    Problem(String),
}

/// What one [`FileTail::poll`] found: notices first, then the new records in
/// file order (records after a notice that restarts the file are the new
/// file's).
#[derive(Clone, Debug, Default)]
pub struct TailUpdate {
    /// What happened to the file.
    pub notices: Vec<TailNotice>,
    /// Records not handed out before.
    pub rows: Vec<Row>,
}

/// Follows one file on the caller's thread and hands out each record once:
/// records the writer finished (a last record still being written waits),
/// the rest of a file rolled over to `.lo_` or deleted before the file that
/// replaces it, and a truncated or rewritten file from its start.
pub struct FileTail {
    path: PathBuf,
    options: OpenOptions,
    /// `None` while waiting for the file to exist.
    doc: Option<LogDocument>,
    generation: u64,
    /// Records `0..taken` of the current generation were handed out.
    taken: usize,
    /// The last record handed out, to tell a re-index of the same bytes from new content.
    last_taken: Option<Row>,
    /// The path named no file at the last look.
    removed: bool,
    last_problem: Option<String>,
    last_change: Instant,
}

impl FileTail {
    /// Opens `path` and indexes it. With `wait`, a file that does not exist
    /// yet is not an error: it is taken when it appears.
    pub fn open(path: &Path, options: OpenOptions, wait: bool) -> Result<FileTail, OpenError> {
        let doc = match LogDocument::open(path, options.clone()) {
            Ok(doc) => {
                doc.wait();
                Some(doc)
            }
            Err(OpenError::Io(e)) if wait && e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        Ok(FileTail {
            path: path.to_owned(),
            options,
            generation: doc.as_ref().map_or(0, LogDocument::generation),
            doc,
            taken: 0,
            last_taken: None,
            removed: false,
            last_problem: None,
            last_change: Instant::now(),
        })
    }

    /// The path followed.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The document, once the file exists.
    pub fn document(&self) -> Option<&LogDocument> {
        self.doc.as_ref()
    }

    /// Records `0..n` that may be handed out now: every record indexed, except
    /// a trailing one still being written (no line break yet, or a CCM record
    /// whose closing tag has not arrived), unless the file has been quiet for
    /// a while.
    pub fn ready_count(&self) -> usize {
        let Some(doc) = &self.doc else { return 0 };
        let count = doc.record_count();
        if count <= self.taken || self.last_change.elapsed() >= RELEASE_UNFINISHED_AFTER {
            return count;
        }
        let mut ready = count;
        if doc.format() == LogFormat::Ccm {
            let provisional = doc
                .with_index(|index| index.provisional_from())
                .unwrap_or(count)
                .max(self.taken);
            if let Some(open) = doc
                .rows(provisional..count, Some(64 * 1024))
                .iter()
                .find(|row| unfinished_ccm(row))
            {
                ready = open.record;
            }
        }
        if ready == count && !doc.record_ends_with_line_break(count - 1) {
            ready = count - 1;
        }
        ready
    }

    /// Marks records `0..record` as handed out (after showing the last lines
    /// of what was there at the start).
    pub fn skip_to(&mut self, record: usize) {
        self.taken = record;
        self.last_taken = record
            .checked_sub(1)
            .and_then(|r| self.doc.as_ref().and_then(|doc| doc.row(r)));
    }

    /// Looks at the file once (refresh, wait for the index) and returns what
    /// happened and the records that are new since the last call.
    pub fn poll(&mut self) -> TailUpdate {
        let mut update = TailUpdate::default();
        match &self.doc {
            None => self.open_appeared(&mut update),
            Some(_) => self.refresh(&mut update),
        }
        let ready = self.ready_count();
        if let Some(doc) = &self.doc
            && ready > self.taken
        {
            update.rows = doc.rows(self.taken..ready, None);
            self.taken = ready;
            self.last_taken = update.rows.last().cloned().or(self.last_taken.take());
        }
        update
    }

    fn open_appeared(&mut self, update: &mut TailUpdate) {
        match LogDocument::open(&self.path, self.options.clone()) {
            Ok(doc) => {
                doc.wait();
                self.generation = doc.generation();
                self.doc = Some(doc);
                self.restart();
                update.notices.push(TailNotice::Appeared);
            }
            Err(OpenError::Io(e)) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => self.problem(update, e.to_string()),
        }
    }

    fn refresh(&mut self, update: &mut TailUpdate) {
        let Some(doc) = &self.doc else { return };
        let identity_before = doc.file_identity();
        let change = doc.refresh();
        doc.wait();
        let generation = doc.generation();
        let regenerated = generation != self.generation;
        self.generation = generation;
        let change = match change {
            Ok(change) => {
                self.last_problem = None;
                change
            }
            Err(e) => {
                self.problem(update, e.to_string());
                return;
            }
        };
        if !matches!(change, FileChange::Unchanged | FileChange::Busy) {
            self.last_change = Instant::now();
        }
        let rolled_to = rolled_over_to(&self.path, identity_before);
        let notice = match change {
            FileChange::Removed if !self.removed => {
                self.removed = true;
                Some(match rolled_to {
                    Some(to) => TailNotice::RolledOver {
                        to,
                        new_file: false,
                    },
                    None => TailNotice::Deleted,
                })
            }
            FileChange::Reindexed(ReindexReason::Replaced) => {
                let was_removed = std::mem::take(&mut self.removed);
                self.restart();
                Some(match rolled_to.filter(|_| !was_removed) {
                    Some(to) => TailNotice::RolledOver { to, new_file: true },
                    None => TailNotice::Replaced,
                })
            }
            FileChange::Reindexed(ReindexReason::Truncated) => {
                self.restart();
                Some(TailNotice::Truncated)
            }
            _ if regenerated && !self.same_records_as_before() => {
                // Rewritten in place, or truncated while it was being read.
                self.restart();
                Some(TailNotice::Rewritten)
            }
            _ => None,
        };
        update.notices.extend(notice);
    }

    /// True when the last record handed out is still there, unchanged, at
    /// the same place (the index was rebuilt over the same bytes).
    fn same_records_as_before(&self) -> bool {
        match (&self.doc, &self.last_taken) {
            (_, None) => self.taken == 0,
            (Some(doc), Some(last)) => doc.row(last.record).as_ref() == Some(last),
            (None, Some(_)) => false,
        }
    }

    fn restart(&mut self) {
        self.taken = 0;
        self.last_taken = None;
        self.last_change = Instant::now();
    }

    fn problem(&mut self, update: &mut TailUpdate, problem: String) {
        if self.last_problem.as_ref() != Some(&problem) {
            update.notices.push(TailNotice::Problem(problem.clone()));
            self.last_problem = Some(problem);
        }
    }
}

/// A CCM record whose closing tag has not been written yet, read as a plain line.
fn unfinished_ccm(row: &Row) -> bool {
    row.fields.time_text.is_none() && row.fields.message.starts_with("<![LOG[")
}

/// The `.lo_` file of `path`, when it is the file we were reading.
fn rolled_over_to(path: &Path, identity: FileIdentity) -> Option<PathBuf> {
    let to = rollover_path(path)?;
    let file = LogFile::open(&to).ok()?;
    (file.identity() == identity).then_some(to)
}

/// Where ConfigMgr rolls `NAME.log` over to: `NAME.lo_`.
pub fn rollover_path(path: &Path) -> Option<PathBuf> {
    let extension = path.extension()?.to_str()?;
    let mut rolled: String = extension
        .chars()
        .take(extension.len().saturating_sub(1))
        .collect();
    rolled.push('_');
    Some(path.with_extension(rolled))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::OpenOptions;
    use std::io::Write;

    fn wait_for(doc: &LogDocument, records: usize) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if doc.record_count() == records && !doc.is_indexing() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }

    #[test]
    fn a_panic_in_the_follower_is_reported_not_silent() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("follower-panics.log");
        std::fs::write(&path, "one\r\n").unwrap();
        crate::jobs::arm_fault("follow", "follower-panics.log");
        let doc = Arc::new(LogDocument::open(&path, OpenOptions::default()).unwrap());
        doc.wait();
        let follower = Follower::start(Arc::clone(&doc), 50, None);
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut events = Vec::new();
        while events.is_empty() && Instant::now() < deadline {
            events = follower.drain();
            std::thread::sleep(Duration::from_millis(10));
        }
        match events.as_slice() {
            [FollowEvent::Stopped(reason)] => {
                assert!(
                    reason.starts_with("internal error (injected fault at follow"),
                    "{reason}"
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(doc.record_count(), 1, "what was read stays");
    }

    #[test]
    fn follows_appends_and_reports_a_rollover() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ccmsetup.log");
        std::fs::write(&path, "one\r\ntwo\r\n").unwrap();
        let doc = Arc::new(LogDocument::open(&path, OpenOptions::default()).unwrap());
        doc.wait();
        // A long poll interval: only the file-system notification can be this quick
        // where notifications exist; elsewhere the test still passes by polling.
        let follower = Follower::start(Arc::clone(&doc), 200, None);
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"three\r\n")
            .unwrap();
        assert!(wait_for(&doc, 3), "the appended line arrives");
        std::fs::rename(&path, dir.path().join("ccmsetup.lo_")).unwrap();
        std::fs::write(&path, "fresh\r\n").unwrap();
        assert!(wait_for(&doc, 1), "the new file replaces the old one");
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut events = Vec::new();
        while Instant::now() < deadline
            && !events
                .iter()
                .any(|e| matches!(e, FollowEvent::Changed(FileChange::Reindexed(_))))
        {
            events.extend(follower.drain());
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(
            events.contains(&FollowEvent::Changed(FileChange::Reindexed(
                crate::document::ReindexReason::Replaced
            ))),
            "{events:?}"
        );
        assert_eq!(doc.row(0).unwrap().fields.message, "fresh");
    }
}
