//! What an index was built over ([`Fingerprint`]): copies of the bytes at
//! the start of the file and just before the end of the index, to tell an
//! append from a rewrite. Never reads more than two small windows of a file.

use std::io;

use crate::source::LogFile;

/// Copies of the bytes an index was built over at two places: the start of
/// the file and the last bytes before the end of the last record indexed.
/// While both are still there, unchanged, bytes after the end were only
/// appended; otherwise the file was rewritten, or truncated and written again
/// (perhaps past its old length before we looked), and its index is stale.
///
/// Records of a log look much alike at their start (CCM records all begin
/// `<![LOG[`, a service writes the same banner whenever it starts), so the
/// start alone does not tell a rewritten file from a grown one: the bytes
/// just before the old end are the ones an append never touches and a
/// rewrite almost never reproduces. Comparing two windows of at most
/// [`FINGERPRINT_BYTES`] keeps a look cheap on logs of any size.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Fingerprint {
    /// Bytes `0..head.len()`.
    pub(super) head: Vec<u8>,
    /// Where `tail` starts.
    pub(super) tail_start: u64,
    /// Bytes `tail_start..tail_start + tail.len()`, ending where the index ends.
    pub(super) tail: Vec<u8>,
}

/// Bytes compared at the start of the file and before the end of the index.
pub(super) const FINGERPRINT_BYTES: usize = 4096;

impl Fingerprint {
    /// The fingerprint of `bytes` (a whole file from byte 0) for an index
    /// that ends at `end` (clipped to `bytes`).
    pub(super) fn of(bytes: &[u8], end: u64) -> Fingerprint {
        let end = usize::try_from(end).unwrap_or(usize::MAX).min(bytes.len());
        let head = bytes[..end.min(FINGERPRINT_BYTES)].to_vec();
        let tail_start = end.saturating_sub(FINGERPRINT_BYTES).max(head.len());
        Fingerprint {
            head,
            tail_start: tail_start as u64,
            tail: bytes[tail_start..end].to_vec(),
        }
    }

    /// Where the bytes compared end.
    pub(super) fn end(&self) -> u64 {
        self.tail_start + self.tail.len() as u64
    }

    /// True when `bytes` (a whole file from byte 0, e.g. a snapshot) holds
    /// the same bytes at both places. Reads nothing past `bytes`.
    pub(super) fn matches(&self, bytes: &[u8]) -> bool {
        let Ok(end) = usize::try_from(self.end()) else {
            return false;
        };
        let tail_start = end - self.tail.len();
        end <= bytes.len()
            && bytes[..self.head.len()] == self.head[..]
            && bytes[tail_start..end] == self.tail[..]
    }

    /// True when `file` holds the same bytes at both places now.
    pub(super) fn matches_file(&self, file: &LogFile) -> io::Result<bool> {
        Ok(file.read_range(0, self.head.len() as u64)? == self.head
            && file.read_range(self.tail_start, self.end())? == self.tail)
    }
}
