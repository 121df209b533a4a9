//! Live tail: a background thread that looks at a document's file every poll
//! interval (500 ms by default, like CMTrace) and reports what changed.
//! Polling is portable and catches renames and truncation as well as appends.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::document::{FileChange, LogDocument};
use crate::jobs::Waker;

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
}

impl Follower {
    /// Starts following `doc`, polling every `interval_ms`.
    pub fn start(doc: Arc<LogDocument>, interval_ms: u64, waker: Option<Waker>) -> Follower {
        let stop = Arc::new(AtomicBool::new(false));
        let paused = Arc::new(AtomicBool::new(false));
        let interval = Arc::new(AtomicU64::new(interval_ms.max(50)));
        let (tx, events) = channel();
        let handle = {
            let (stop, paused, interval) = (
                Arc::clone(&stop),
                Arc::clone(&paused),
                Arc::clone(&interval),
            );
            std::thread::Builder::new()
                .name("logweave-follow".into())
                .spawn(move || follow_loop(&doc, &stop, &paused, &interval, &tx, waker.as_ref()))
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

fn follow_loop(
    doc: &LogDocument,
    stop: &AtomicBool,
    paused: &AtomicBool,
    interval: &AtomicU64,
    tx: &Sender<FollowEvent>,
    waker: Option<&Waker>,
) {
    let mut last_problem = None;
    while !stop.load(Ordering::SeqCst) {
        let due = Instant::now() + Duration::from_millis(interval.load(Ordering::SeqCst));
        while Instant::now() < due && !stop.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(20));
        }
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
