//! Find state of a tab ([`FindState`]): the query, its compiled matcher and
//! the hits per source. Never draws; the search runs in the tab's jobs.

use crate::jobs::Job;
use crate::search::{Matcher, Query};

/// Find state of a tab.
#[derive(Default)]
pub struct FindState {
    /// The query as edited in the find bar.
    pub query: Query,
    /// The compiled query whose results are shown.
    pub matcher: Option<Matcher>,
    /// Per source: records whose message matches, in order.
    pub hits: Vec<Vec<usize>>,
    /// Per source: records searched so far (new records are searched as they arrive).
    pub(super) searched: Vec<usize>,
    /// The running search: per source, the records it found.
    pub job: Option<Job<Vec<Vec<usize>>>>,
    /// Why the query could not be used.
    pub error: Option<String>,
    /// Enter or F3 pressed before the search had found anything: jump to the
    /// first hit in this direction as soon as it is found.
    pub pending_jump: Option<crate::model::Direction>,
}

impl FindState {
    /// Number of matching records in all sources.
    pub fn hit_count(&self) -> usize {
        self.hits.iter().map(Vec::len).sum()
    }
}
