//! Looking at a document's file again ([`LogDocument::refresh`]): appends,
//! truncation, rewrites, rollovers and replacement, and a network file
//! system's connection lost and found again. Reads only small windows of the
//! file itself: the indexing pass it starts reads the rest.

use std::io;
use std::sync::Arc;
use std::sync::PoisonError;
use std::sync::atomic::Ordering;

use super::{DocumentProblem, FileChange, Job, LogDocument, ReindexReason, Shared, read_lock};
use crate::formats::{DETECT_SAMPLE_BYTES, Dialect};
use crate::source::{LogFile, OpenError, network};

impl LogDocument {
    /// Looks at the file again: new bytes are indexed in the background,
    /// truncation or replacement re-indexes from scratch. A file that was
    /// rolled over or deleted is first read to its end through the handle
    /// still open (reported as `Appended`), then the new one is taken.
    ///
    /// On a network file system, a look or a pass that cannot read the file
    /// makes the document's problem [`DocumentProblem::ConnectionLost`]; the
    /// records indexed stay. The next look that reads the file again runs
    /// the pass again (reported as `Appended`), which clears the problem.
    pub fn refresh(&self) -> io::Result<FileChange> {
        let change = self.look();
        match &change {
            Err(e) => {
                let problem = read_problem(&self.shared, e);
                if matches!(problem, DocumentProblem::ConnectionLost(_)) {
                    self.set_problem(Some(problem));
                }
            }
            Ok(FileChange::Unchanged)
                if matches!(self.problem(), Some(DocumentProblem::ConnectionLost(_))) =>
            {
                let first_new =
                    self.with_index(|index| index.provisional_from().unwrap_or(index.len()));
                self.start(Job::Extend);
                return Ok(FileChange::Appended { first_new });
            }
            Ok(_) => {}
        }
        change
    }

    /// True when the file is on a network file system: read, never mapped,
    /// and a failed read is a lost connection, retried.
    pub fn is_network(&self) -> bool {
        read_lock(&self.shared.state).file.is_network()
    }

    /// Bytes read from the file system for this document so far (indexing
    /// passes, looks and rows; memory maps not counted): what following a
    /// log on a share costs.
    pub fn bytes_read(&self) -> u64 {
        read_lock(&self.shared.state).file.bytes_read()
    }

    fn set_problem(&self, problem: Option<DocumentProblem>) {
        *self
            .shared
            .problem
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = problem;
    }

    /// When the path no longer names the file we hold open (rolled over to
    /// `.lo_`, or deleted), the writer may have added records to it after
    /// our last look: starts indexing them from the still-open handle and
    /// returns true, so no record is lost before the new file is taken.
    fn take_rest_of_old_file(&self, old: &LogFile, indexed_len: u64) -> io::Result<bool> {
        if old.len()? <= indexed_len {
            return Ok(false);
        }
        self.start(Job::Extend);
        Ok(true)
    }

    /// What [`LogDocument::refresh`] finds, before a lost connection is
    /// looked after.
    fn look(&self) -> io::Result<FileChange> {
        if self.is_indexing() {
            return Ok(FileChange::Busy);
        }
        let (file, indexed_len, fingerprint, dialect) = {
            let state = read_lock(&self.shared.state);
            (
                Arc::clone(&state.file),
                state.indexed_len,
                Arc::clone(&state.fingerprint),
                Arc::clone(&state.dialect),
            )
        };
        if !file.is_regular() {
            return Ok(FileChange::Unchanged);
        }
        // Whatever the path names now, opened once: its identity and its
        // bytes are then those of the same file (a rollover between looking
        // at the path and opening it must not pass the new file for the old).
        let now_at_path = match file.reopen() {
            Ok(f) => Some(f),
            // A share that cannot be reached has not lost the file.
            Err(OpenError::Io(e)) if file.is_network() && lost_connection(&file, &e) => {
                return Err(e);
            }
            // (On Windows a deleted file still held open by its writer
            // cannot be opened or looked at, and is gone all the same.)
            Err(OpenError::Io(e))
                if e.kind() == io::ErrorKind::NotFound || file.identity_at_path().is_none() =>
            {
                None
            }
            Err(OpenError::Io(e)) => return Err(e),
            Err(OpenError::Directory | OpenError::NotAFile(_)) => None,
        };
        let replaced = now_at_path
            .as_ref()
            .is_none_or(|now| now.identity() != file.identity());
        if replaced && self.take_rest_of_old_file(&file, indexed_len)? {
            let first_new =
                self.with_index(|index| index.provisional_from().unwrap_or(index.len()));
            return Ok(FileChange::Appended { first_new });
        }
        let Some(now_at_path) = now_at_path else {
            return Ok(FileChange::Removed);
        };
        // The size first: a file cut below what was indexed is `Truncated`
        // even if it grew again before the comparison below.
        let len = now_at_path.len()?;
        // After an internal error, the same file at the same length would
        // only fail again: wait until it changes.
        if !replaced && self.shared.failed_at_len.load(Ordering::SeqCst) == len {
            return Ok(FileChange::Unchanged);
        }
        // Grown or not, the bytes indexed must still be there: a file
        // truncated and written past its old length between two looks is
        // longer, and starts like before, but differs before the old end.
        // (Should it change after this look, the indexing pass notices.)
        let rewritten = !replaced && !fingerprint.matches_file(&now_at_path)?;
        let reason = if replaced {
            Some(ReindexReason::Replaced)
        } else if len < indexed_len {
            Some(ReindexReason::Truncated)
        } else if rewritten {
            Some(ReindexReason::Rewritten)
        } else {
            None
        };
        if let Some(reason) = reason {
            let mut state = self
                .shared
                .state
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            state.file = Arc::new(now_at_path);
            drop(state);
            self.start(Job::Rebuild);
            return Ok(FileChange::Reindexed(reason));
        }
        if len == indexed_len {
            // NUL padding after the last record (space reserved before the
            // data was flushed) may have been filled in place: same size.
            let end = self.with_index(|index| index.end()).min(len);
            let unit = dialect.encoding.unit() as u64;
            let stop = end + ((len - end) / unit * unit).min(4096);
            let filled = end < stop && now_at_path.read_range(end, stop)?.iter().any(|&b| b != 0);
            if !filled {
                return Ok(FileChange::Unchanged);
            }
        }
        // A file that was tiny (or empty) when first seen may only now show its format.
        if indexed_len < DETECT_SAMPLE_BYTES as u64 {
            let sample = file.read_range(0, DETECT_SAMPLE_BYTES as u64)?;
            let fresh = Dialect::detect(&sample, &self.options.keywords);
            if (fresh.format, fresh.encoding, fresh.bias, fresh.dates)
                != (
                    dialect.format,
                    dialect.encoding,
                    dialect.bias,
                    dialect.dates,
                )
            {
                self.start(Job::Rebuild);
                return Ok(FileChange::Reindexed(ReindexReason::Rewritten));
            }
        }
        let first_new = self.with_index(|index| index.provisional_from().unwrap_or(index.len()));
        self.start(Job::Extend);
        Ok(FileChange::Appended { first_new })
    }
}

/// The problem a read that failed with `error` leaves: on a network file
/// system an error of the operating system is a lost connection (retried at
/// the next look); anything else makes the file unreadable.
pub(super) fn read_problem(shared: &Shared, error: &io::Error) -> DocumentProblem {
    let file = Arc::clone(&read_lock(&shared.state).file);
    let lost = if file.is_remote() {
        crate::remote::is_connection_error(error)
    } else {
        file.is_network() && error.raw_os_error().is_some()
    };
    if lost {
        DocumentProblem::ConnectionLost(error.to_string())
    } else {
        DocumentProblem::Unreadable(error.to_string())
    }
}

/// True when `error` reading `file` means its connection was lost (a share
/// or a server that cannot be reached), not that the file is gone.
fn lost_connection(file: &LogFile, error: &io::Error) -> bool {
    if file.is_remote() {
        crate::remote::is_connection_error(error)
    } else {
        network::is_connection_error(error)
    }
}
