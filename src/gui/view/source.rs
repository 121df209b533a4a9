//! One log of a tab ([`Source`]): its document, live tail and the notice
//! about it (rolled over, truncated, unreadable, indexing failed). Never draws.

use std::path::PathBuf;
use std::sync::Arc;

use crate::document::{DocumentProblem, LogDocument};
use crate::follow::Follower;
use crate::jobs::Waker;

/// One log of a tab.
pub struct Source {
    /// The document.
    pub doc: Arc<LogDocument>,
    /// Where it was opened from.
    pub path: PathBuf,
    /// Shown (merged views can switch files off).
    pub enabled: bool,
    /// A zone set by the user: minutes to add to the wall clock for UTC.
    pub zone_override: Option<i32>,
    /// Live tail.
    pub follower: Option<Follower>,
    /// A message about the file (rolled over, truncated, cannot be read).
    pub notice: Option<String>,
    pub(super) generation: u64,
}

impl Source {
    pub(super) fn new(doc: Arc<LogDocument>, poll_ms: u64, waker: Option<Waker>) -> Source {
        // Text held in memory never changes: nothing to follow.
        let follower =
            (!doc.is_in_memory()).then(|| Follower::start(Arc::clone(&doc), poll_ms, waker));
        Source {
            path: doc.path().to_owned(),
            doc,
            enabled: true,
            zone_override: None,
            follower,
            notice: None,
            generation: 0,
        }
    }

    /// The file name.
    pub fn name(&self) -> String {
        self.path.file_name().map_or_else(
            || self.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }
}

/// What the tab says of a document's problem, naming the file.
pub fn problem_text(problem: &DocumentProblem, path: &std::path::Path) -> String {
    match problem {
        DocumentProblem::Unreadable(reason) => format!("Cannot read {}: {reason}", path.display()),
        DocumentProblem::IndexingFailed(reason) => {
            format!("Indexing failed: {reason} ({})", path.display())
        }
        DocumentProblem::ConnectionLost(reason) => format!(
            "Connection to {} lost: {reason}; retrying. The records read so far stay.",
            path.display()
        ),
    }
}
