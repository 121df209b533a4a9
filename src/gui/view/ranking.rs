//! The Diagnosis window's state for a tab ([`RankedErrors`]): its error
//! records grouped and ranked in the background, again when records arrive.
//! Never draws.

use std::sync::Arc;

use super::*;
use crate::document::LogDocument;
use crate::jobs::Job;
use crate::triage::{self, ErrorGroup};

/// A tab's errors, ranked (computed while the Diagnosis window is open).
#[derive(Default)]
pub struct RankedErrors {
    /// The last ranking computed.
    pub groups: Option<Arc<Vec<ErrorGroup>>>,
    job: Option<Job<Vec<ErrorGroup>>>,
    recompute: super::outline::Recompute,
}

impl RankedErrors {
    /// True while the ranking is being computed.
    pub fn is_running(&self) -> bool {
        self.job.is_some()
    }
}

impl LogTab {
    /// Ranks the tab's errors in the background (again when records
    /// arrive, at most every two seconds) and takes in a finished ranking.
    pub fn poll_ranking(&mut self) {
        let ranked = &mut self.ranked;
        if let Some(job) = &mut ranked.job
            && job.is_finished()
        {
            let result = job.take();
            ranked.job = None;
            match result {
                Some(Ok(groups)) => ranked.groups = Some(Arc::new(groups)),
                Some(Err(e)) => self.failure = Some(format!("Ranking the errors failed: {e}")),
                None => {}
            }
        }
        let ranked = &mut self.ranked;
        if ranked.job.is_some() || self.sources.iter().any(|s| s.doc.is_indexing()) {
            return;
        }
        let counts: Vec<usize> = self.sources.iter().map(|s| s.doc.record_count()).collect();
        if !ranked.recompute.due(counts) {
            return;
        }
        let docs: Vec<Arc<LogDocument>> = self.sources.iter().map(|s| Arc::clone(&s.doc)).collect();
        ranked.job = Some(Job::spawn(
            "logweave-ranking",
            self.waker.clone(),
            move |_| {
                let refs: Vec<&LogDocument> = docs.iter().map(AsRef::as_ref).collect();
                triage::rank_errors(&refs)
            },
        ));
    }
}
