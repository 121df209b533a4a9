//! Files `serve` keeps open a little while for its clients, as a local
//! viewer keeps its handle: when a log is rolled over to `.lo_` or deleted,
//! a client that has not read its end yet asks for the file by its identity
//! and gets the rest of the old file, so no record is lost between two looks.
//! Bounded in number and in time; the handles share like the engine's
//! (the writer may still write, rename and delete).

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::source::LogFile;

/// One kept handle.
struct Held {
    id: String,
    identity: u64,
    file: Arc<LogFile>,
    used: Instant,
}

/// The handles kept, at most `capacity`, each let go `keep` after its last use.
pub struct HeldFiles {
    held: Vec<Held>,
    capacity: usize,
    keep: Duration,
}

impl std::fmt::Debug for HeldFiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HeldFiles")
            .field("held", &self.held.len())
            .field("capacity", &self.capacity)
            .finish()
    }
}

impl HeldFiles {
    /// No handles yet.
    pub fn new(capacity: usize, keep: Duration) -> HeldFiles {
        HeldFiles {
            held: Vec::new(),
            capacity: capacity.max(1),
            keep,
        }
    }

    /// Keeps `file`, the file object `identity` read as `id`.
    pub fn hold(&mut self, id: &str, identity: u64, file: &Arc<LogFile>, now: Instant) {
        self.expire(now);
        if let Some(held) = self
            .held
            .iter_mut()
            .find(|h| h.identity == identity && h.id == id)
        {
            held.file = Arc::clone(file);
            held.used = now;
            return;
        }
        if self.held.len() >= self.capacity
            && let Some(oldest) = (0..self.held.len()).min_by_key(|&i| self.held[i].used)
        {
            self.held.swap_remove(oldest);
        }
        self.held.push(Held {
            id: id.to_owned(),
            identity,
            file: Arc::clone(file),
            used: now,
        });
    }

    /// The file object `identity` that was read as `id`, if still kept.
    pub fn get(&mut self, id: &str, identity: u64, now: Instant) -> Option<Arc<LogFile>> {
        self.expire(now);
        let held = self
            .held
            .iter_mut()
            .find(|h| h.identity == identity && h.id == id)?;
        held.used = now;
        Some(Arc::clone(&held.file))
    }

    /// Handles kept now.
    pub fn len(&self) -> usize {
        self.held.len()
    }

    /// True when none is kept.
    pub fn is_empty(&self) -> bool {
        self.held.is_empty()
    }

    fn expire(&mut self, now: Instant) {
        let keep = self.keep;
        self.held
            .retain(|h| now.saturating_duration_since(h.used) < keep);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(dir: &std::path::Path, name: &str, text: &str) -> Arc<LogFile> {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        Arc::new(LogFile::open(&path).unwrap())
    }

    #[test]
    fn a_rolled_over_file_is_still_read_by_its_identity() {
        let dir = tempfile::tempdir().unwrap();
        let old = file(dir.path(), "smsts.log", "old records\n");
        let identity = old.identity().number();
        let now = Instant::now();
        let mut held = HeldFiles::new(4, Duration::from_secs(60));
        held.hold("0/smsts.log", identity, &old, now);
        std::fs::rename(dir.path().join("smsts.log"), dir.path().join("smsts.lo_")).unwrap();
        let _new = file(dir.path(), "smsts.log", "new\n");
        let kept = held.get("0/smsts.log", identity, now).unwrap();
        assert_eq!(kept.read_range(0, 100).unwrap(), b"old records\n");
        assert!(held.get("0/other.log", identity, now).is_none());
        assert!(held.get("0/smsts.log", identity ^ 1, now).is_none());
    }

    #[test]
    fn handles_are_bounded_in_number_and_time() {
        let dir = tempfile::tempdir().unwrap();
        let mut held = HeldFiles::new(2, Duration::from_secs(60));
        let start = Instant::now();
        for (i, name) in ["a.log", "b.log", "c.log"].iter().enumerate() {
            let f = file(dir.path(), name, "x\n");
            held.hold(
                name,
                f.identity().number(),
                &f,
                start + Duration::from_secs(i as u64),
            );
        }
        assert_eq!(held.len(), 2);
        let a = LogFile::open(&dir.path().join("a.log")).unwrap();
        assert!(held.get("a.log", a.identity().number(), start).is_none());
        held.get("c.log", 0, start + Duration::from_secs(120));
        assert!(held.is_empty());
    }
}
