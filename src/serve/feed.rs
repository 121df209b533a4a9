//! The change stream of `serve`: a watcher looks at the served roots every
//! [`WATCH_INTERVAL`] (taking in roots that appear, such as the log folder
//! on `C:\` once the operating system is applied), keeps the latest
//! listing, and numbers what changed since the last look; clients wait for
//! the events after the number they have (long polling), and learn that
//! they missed some (`reset`) when those are no longer kept.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::catalog::{self, Change, Limits, Listing};
use super::roots::ServedRoots;

/// How often the watcher looks at the roots.
pub const WATCH_INTERVAL: Duration = Duration::from_millis(500);
/// Events kept for clients that are behind.
pub const KEPT_EVENTS: usize = 4096;
/// The longest a client may wait for events.
pub const MAX_WAIT: Duration = Duration::from_secs(25);

/// What a client waiting on the stream gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Events {
    /// Always 1.
    pub api: u32,
    /// This run of the server (random at each start): numbers from another
    /// run cannot be continued from — list the files again.
    pub run: String,
    /// The number of the last event (ask for the ones after it next time).
    pub generation: u64,
    /// True when events after the number asked for are no longer kept:
    /// list the files again.
    pub reset: bool,
    /// The events after the number asked for, oldest first.
    pub events: Vec<Change>,
}

#[derive(Debug, Default)]
struct FeedState {
    generation: u64,
    /// Events numbered `generation - events.len() + 1 ..= generation`.
    events: VecDeque<Change>,
    listing: Arc<Listing>,
}

/// The latest listing and the numbered changes between listings.
#[derive(Debug, Default)]
pub struct ChangeFeed {
    state: Mutex<FeedState>,
    changed: Condvar,
    run: String,
}

impl ChangeFeed {
    /// A feed whose first listing is `listing` (no events yet).
    pub fn new(listing: Listing) -> ChangeFeed {
        ChangeFeed {
            state: Mutex::new(FeedState {
                listing: Arc::new(listing),
                ..FeedState::default()
            }),
            changed: Condvar::new(),
            run: run_id(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FeedState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The latest listing.
    pub fn listing(&self) -> Arc<Listing> {
        Arc::clone(&self.lock().listing)
    }

    /// Takes `listing` as the latest, numbering its changes; wakes waiting
    /// clients when there are some. Returns how many there were.
    pub fn update(&self, listing: Listing) -> usize {
        let mut state = self.lock();
        let changes = catalog::changes(&state.listing.entries, &listing.entries);
        let count = changes.len();
        state.listing = Arc::new(listing);
        for change in changes {
            state.generation += 1;
            state.events.push_back(change);
            if state.events.len() > KEPT_EVENTS {
                state.events.pop_front();
            }
        }
        drop(state);
        if count > 0 {
            self.changed.notify_all();
        }
        count
    }

    /// The events after `since` (`None`: none, just the number now),
    /// waiting up to `wait` (at most [`MAX_WAIT`]) for one to come.
    pub fn since(&self, since: Option<u64>, wait: Duration) -> Events {
        let deadline = Instant::now() + wait.min(MAX_WAIT);
        let mut state = self.lock();
        let Some(since) = since else {
            return Events {
                api: 1,
                run: self.run.clone(),
                generation: state.generation,
                reset: false,
                events: Vec::new(),
            };
        };
        while since == state.generation {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            state = self
                .changed
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        let oldest_kept = state.generation - state.events.len() as u64;
        // A number from before a restart of the server, or older than what
        // is kept, cannot be continued from.
        let reset = since > state.generation || since < oldest_kept;
        let events = if reset {
            Vec::new()
        } else {
            let skip = (since - oldest_kept) as usize;
            state.events.iter().skip(skip).cloned().collect()
        };
        Events {
            api: 1,
            run: self.run.clone(),
            generation: state.generation,
            reset,
            events,
        }
    }
}

/// 16 random hex digits naming this run of the server.
fn run_id() -> String {
    let mut bytes = [0u8; 8];
    // Without randomness the time still tells runs apart.
    if getrandom::fill(&mut bytes).is_err() {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        bytes = (now.as_nanos() as u64).to_le_bytes();
    }
    format!("{:016x}", u64::from_le_bytes(bytes))
}

/// The background look at the roots; stops when dropped.
#[derive(Debug)]
pub struct Watcher {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl Watcher {
    /// Looks at `roots` every `interval`, updating `feed`.
    pub fn start(
        roots: Arc<RwLock<ServedRoots>>,
        limits: Limits,
        feed: Arc<ChangeFeed>,
        interval: Duration,
    ) -> std::io::Result<Watcher> {
        let stop = Arc::new(AtomicBool::new(false));
        let handle = {
            let stop = Arc::clone(&stop);
            std::thread::Builder::new()
                .name("serve-watch".to_owned())
                .spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        let listing = {
                            let mut roots = roots.write().unwrap_or_else(PoisonError::into_inner);
                            roots.refresh();
                            catalog::scan(&roots, limits)
                        };
                        feed.update(listing);
                        let until = Instant::now() + interval;
                        while !stop.load(Ordering::Relaxed) && Instant::now() < until {
                            std::thread::sleep(interval.min(Duration::from_millis(100)));
                        }
                    }
                })?
        };
        Ok(Watcher {
            stop,
            handle: Some(handle),
        })
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::catalog::Entry;

    fn listing(sizes: &[(&str, u64)]) -> Listing {
        Listing {
            entries: sizes
                .iter()
                .map(|(id, size)| Entry {
                    id: (*id).to_owned(),
                    path: std::path::PathBuf::from(id),
                    size: *size,
                    modified_ms: None,
                    identity: 1,
                })
                .collect(),
            truncated: false,
        }
    }

    #[test]
    fn clients_get_the_events_after_their_number() {
        let feed = ChangeFeed::new(listing(&[("0/a.log", 10)]));
        let start = feed.since(None, Duration::ZERO);
        assert_eq!((start.generation, start.events.len()), (0, 0));
        assert_eq!(feed.update(listing(&[("0/a.log", 20), ("0/b.log", 1)])), 2);
        let got = feed.since(Some(0), Duration::ZERO);
        assert_eq!(got.generation, 2);
        assert!(!got.reset);
        assert_eq!(
            got.events,
            vec![
                Change::Appended {
                    id: "0/a.log".into(),
                    from: 10,
                    to: 20
                },
                Change::New {
                    id: "0/b.log".into(),
                    size: 1
                }
            ]
        );
        assert_eq!(feed.since(Some(1), Duration::ZERO).events.len(), 1);
        assert!(feed.since(Some(2), Duration::ZERO).events.is_empty());
        assert!(feed.since(Some(99), Duration::ZERO).reset);
        assert_eq!(
            serde_json::to_value(&got.events[0]).unwrap(),
            serde_json::json!({"kind": "appended", "id": "0/a.log", "from": 10, "to": 20})
        );
    }

    #[test]
    fn a_waiting_client_wakes_when_something_changes() {
        let feed = Arc::new(ChangeFeed::new(listing(&[("0/a.log", 10)])));
        let waiter = {
            let feed = Arc::clone(&feed);
            std::thread::spawn(move || feed.since(Some(0), Duration::from_secs(20)))
        };
        std::thread::sleep(Duration::from_millis(50));
        let asked = Instant::now();
        feed.update(listing(&[("0/a.log", 11)]));
        let got = waiter.join().unwrap();
        assert_eq!(got.events.len(), 1);
        assert!(asked.elapsed() < Duration::from_secs(5));
        let empty = feed.since(Some(1), Duration::from_millis(30));
        assert!(empty.events.is_empty() && !empty.reset);
    }

    #[test]
    fn a_client_too_far_behind_is_told_to_list_again() {
        let feed = ChangeFeed::new(listing(&[]));
        for size in 1..=(KEPT_EVENTS as u64 + 10) {
            feed.update(listing(&[("0/a.log", size)]));
        }
        assert!(feed.since(Some(1), Duration::ZERO).reset);
        let recent = feed.since(Some(KEPT_EVENTS as u64), Duration::ZERO);
        assert!(!recent.reset);
        assert_eq!(recent.events.len(), 10);
    }
}
