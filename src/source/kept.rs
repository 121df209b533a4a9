//! Read snapshots that read only what is new: a file's last read snapshot
//! is kept, and the next one, once a sample shows those bytes are still the
//! file's, reads only the bytes after them (a poll of a log on a share reads
//! what was appended, not the whole log again). Never maps a file and never
//! interprets bytes.

use std::io;
use std::sync::{Arc, Mutex, PoisonError, TryLockError};

/// Bytes re-read and compared at the start of the kept bytes and at their
/// end before the kept bytes are trusted.
pub const VERIFY_BYTES: u64 = 4096;

/// The bytes of a file's last read snapshot (one copy, shared with the
/// passes that still use it).
#[derive(Default)]
pub(super) struct Kept {
    bytes: Mutex<Option<Arc<Vec<u8>>>>,
}

impl Kept {
    /// The whole file, `len` bytes long now, reading through `read` (bytes
    /// `[start, end)`, fewer when the file is shorter): only the bytes after
    /// the kept ones when the kept ones are still the file's (the first and
    /// last [`VERIFY_BYTES`] of them read again and equal), everything
    /// otherwise (the file shrank or was rewritten). A failed read keeps
    /// what was kept, for the next try.
    ///
    /// Like the document's fingerprint, the sample cannot see a rewrite that
    /// leaves both windows as they were; such a file is caught where the
    /// document compares bytes read from the file itself, and a rebuild
    /// forgets the kept bytes first ([`Kept::forget`]).
    pub(super) fn snapshot(
        &self,
        len: u64,
        read: impl Fn(u64, u64) -> io::Result<Vec<u8>>,
    ) -> io::Result<Arc<Vec<u8>>> {
        let mut slot = self.bytes.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(mut kept) = slot.take() {
            match grow(&mut kept, len, &read) {
                Ok(true) => {
                    *slot = Some(Arc::clone(&kept));
                    return Ok(kept);
                }
                // Stale: dropped before everything is read again.
                Ok(false) => {}
                Err(e) => {
                    *slot = Some(kept);
                    return Err(e);
                }
            }
        }
        let all = Arc::new(read(0, len)?);
        *slot = Some(Arc::clone(&all));
        Ok(all)
    }

    /// Bytes `[start, end)` of the kept bytes, when they hold them all.
    /// Never waits for a snapshot being read (rows are read on the UI thread).
    pub(super) fn range(&self, start: u64, end: u64) -> Option<Vec<u8>> {
        let slot = match self.bytes.try_lock() {
            Ok(slot) => slot,
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(TryLockError::WouldBlock) => return None,
        };
        let range = usize::try_from(start).ok()?..usize::try_from(end).ok()?;
        slot.as_ref()?.get(range).map(<[u8]>::to_vec)
    }

    /// Drops the kept bytes: the next snapshot reads the whole file.
    pub(super) fn forget(&self) {
        *self.bytes.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

/// Appends bytes `[kept.len(), len)` to `kept` when its first and last
/// [`VERIFY_BYTES`] are still the file's; false when they are not (or the
/// file is shorter now, or nothing was kept).
fn grow(
    kept: &mut Arc<Vec<u8>>,
    len: u64,
    read: &impl Fn(u64, u64) -> io::Result<Vec<u8>>,
) -> io::Result<bool> {
    let old = kept.len() as u64;
    if old == 0 || old > len {
        return Ok(false);
    }
    let head_len = old.min(VERIFY_BYTES);
    if read(0, head_len)? != kept[..head_len as usize] {
        return Ok(false);
    }
    // The last bytes kept and the new ones in one read (one round trip on
    // a share); bytes already compared at the start are not read again.
    let from = old.saturating_sub(VERIFY_BYTES).max(head_len);
    let rest = read(from, len)?;
    let sample = (old - from) as usize;
    if rest.len() < sample || rest[..sample] != kept[from as usize..] {
        return Ok(false);
    }
    if rest.len() > sample {
        // Copies only while a pass still holds the previous snapshot.
        Arc::make_mut(kept).extend_from_slice(&rest[sample..]);
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::{Cell, RefCell};

    /// A "file" in memory that counts the bytes read from it.
    struct Fake {
        bytes: RefCell<Vec<u8>>,
        read: Cell<u64>,
        fail: Cell<bool>,
    }

    impl Fake {
        fn new(bytes: Vec<u8>) -> Fake {
            Fake {
                bytes: RefCell::new(bytes),
                read: Cell::new(0),
                fail: Cell::new(false),
            }
        }

        fn read(&self, start: u64, end: u64) -> io::Result<Vec<u8>> {
            if self.fail.get() {
                return Err(io::Error::other("disconnected"));
            }
            let bytes = self.bytes.borrow();
            let end = (end as usize).min(bytes.len());
            let start = (start as usize).min(end);
            self.read.set(self.read.get() + (end - start) as u64);
            Ok(bytes[start..end].to_vec())
        }

        fn snapshot(&self, kept: &Kept) -> io::Result<Arc<Vec<u8>>> {
            let len = self.bytes.borrow().len() as u64;
            kept.snapshot(len, |s, e| self.read(s, e))
        }

        fn read_since(&self, before: &mut u64) -> u64 {
            let now = self.read.get();
            std::mem::replace(before, now).abs_diff(now)
        }
    }

    #[test]
    fn appends_are_read_alone_after_a_sample_of_the_kept_bytes() {
        let file = Fake::new((0..100_000u32).map(|i| (i % 251) as u8).collect());
        let kept = Kept::default();
        let mut before = 0;
        let first = file.snapshot(&kept).unwrap();
        assert_eq!(*first, *file.bytes.borrow());
        assert_eq!(file.read_since(&mut before), 100_000);
        drop(first);

        file.bytes.borrow_mut().extend_from_slice(&[7; 100]);
        let second = file.snapshot(&kept).unwrap();
        assert_eq!(*second, *file.bytes.borrow());
        assert_eq!(file.read_since(&mut before), 100 + 2 * VERIFY_BYTES);

        // Nothing new: only the sample is read, and the same bytes come back.
        let third = file.snapshot(&kept).unwrap();
        assert!(Arc::ptr_eq(&second, &third));
        assert_eq!(file.read_since(&mut before), 2 * VERIFY_BYTES);
    }

    #[test]
    fn a_shrunk_or_rewritten_file_is_read_again_whole() {
        let file = Fake::new(vec![b'a'; 50_000]);
        let kept = Kept::default();
        let mut before = 0;
        file.snapshot(&kept).unwrap();
        file.read_since(&mut before);
        // Truncated and written again, longer, with the same start: the
        // bytes before the old end differ.
        let mut rewritten = vec![b'a'; 20_000];
        rewritten.extend_from_slice(&[b'b'; 40_000]);
        *file.bytes.borrow_mut() = rewritten.clone();
        assert_eq!(*file.snapshot(&kept).unwrap(), rewritten);
        assert!(file.read_since(&mut before) >= 60_000);
        // Truncated: shorter than what was kept.
        file.bytes.borrow_mut().truncate(10);
        assert_eq!(*file.snapshot(&kept).unwrap(), vec![b'a'; 10]);
        // A different start, same length.
        *file.bytes.borrow_mut() = b"0123456789".to_vec();
        assert_eq!(*file.snapshot(&kept).unwrap(), b"0123456789");
        assert_eq!(kept.range(2, 5).unwrap(), b"234");
        assert_eq!(kept.range(8, 11), None);
        // Forgotten: everything is read again.
        file.read_since(&mut before);
        kept.forget();
        file.snapshot(&kept).unwrap();
        assert_eq!(file.read_since(&mut before), 10);
    }

    #[test]
    fn a_failed_read_keeps_the_kept_bytes_for_the_next_try() {
        let file = Fake::new(vec![b'x'; 30_000]);
        let kept = Kept::default();
        let mut before = 0;
        file.snapshot(&kept).unwrap();
        file.bytes.borrow_mut().extend_from_slice(b"appended");
        file.fail.set(true);
        assert!(file.snapshot(&kept).is_err());
        file.fail.set(false);
        file.read_since(&mut before);
        let again = file.snapshot(&kept).unwrap();
        assert_eq!(*again, *file.bytes.borrow());
        assert_eq!(file.read_since(&mut before), 8 + 2 * VERIFY_BYTES);
    }

    #[test]
    fn a_snapshot_still_in_use_is_not_changed_by_the_next() {
        let file = Fake::new(b"first\n".to_vec());
        let kept = Kept::default();
        let held = file.snapshot(&kept).unwrap();
        file.bytes.borrow_mut().extend_from_slice(b"second\n");
        let next = file.snapshot(&kept).unwrap();
        assert_eq!(&held[..], b"first\n");
        assert_eq!(&next[..], b"first\nsecond\n");
    }
}
