//! Cancel flag, progress reporting and the shared work budget of one
//! alignment ([`Control`]). Never decides what matches what and never reads
//! documents: the aligners ask it whether to go on and how much exact work
//! they may still spend.

use super::{Cancelled, WORK_BUDGET};
use crate::jobs::JobContext;

/// Progress is reported in steps of this many records.
pub(super) const PROGRESS_STEP: u64 = 1 << 16;

/// Cancel flag, progress and the shared work budget of one alignment.
pub(super) struct Control<'a> {
    job: Option<&'a JobContext>,
    pub(super) budget: u64,
    unreported: u64,
}

impl<'a> Control<'a> {
    pub(super) fn new(job: Option<&'a JobContext>) -> Control<'a> {
        Control {
            job,
            budget: WORK_BUDGET,
            unreported: 0,
        }
    }

    pub(super) fn check(&self) -> Result<(), Cancelled> {
        match self.job {
            Some(job) if job.cancelled() => Err(Cancelled),
            _ => Ok(()),
        }
    }

    /// `records` more records (of A or B) have their place.
    pub(super) fn advance(&mut self, records: usize) {
        self.unreported += records as u64;
        if self.unreported >= PROGRESS_STEP {
            self.flush();
        }
    }

    pub(super) fn flush(&mut self) {
        if let Some(job) = self.job
            && self.unreported > 0
        {
            job.advance(self.unreported);
        }
        self.unreported = 0;
    }

    /// Takes `work` from the budget; false (and nothing taken) when it
    /// does not have that much left.
    pub(super) fn spend(&mut self, work: u64) -> bool {
        if work > self.budget {
            return false;
        }
        self.budget -= work;
        true
    }
}
