//! The merged order of a tab with several sources ([`MergeView`]) and how its
//! Date/Time column shows times. State only: the merge itself is the core's
//! `merge` module, run by the tab's jobs; never draws.

use crate::jobs::Job;
use crate::merge::{MergePlan, Merged};

/// How the Date/Time column of a merged view shows times.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimeDisplay {
    /// As each file wrote it.
    #[default]
    AsWritten,
    /// All in UTC.
    Utc,
    /// All in one zone, minutes east of UTC.
    Zone(i32),
}

/// The merged order of a tab with several sources.
pub struct MergeView {
    /// The time rule of each file.
    pub plan: Option<MergePlan>,
    pub(super) merged: Merged,
    /// The rows shown before filtering: files switched on, duplicates hidden.
    pub(super) rows: Vec<u64>,
    /// For each file, record → index in `rows` (`u32::MAX` when not shown).
    pub(super) positions: Vec<Vec<u32>>,
    /// Hide records identical in time, thread, component and message across files.
    pub hide_duplicates: bool,
    pub(super) hidden: Option<Vec<bool>>,
    /// How to show times.
    pub time_display: TimeDisplay,
    pub(super) job: Option<Job<Option<(MergePlan, Merged)>>>,
    pub(super) duplicates_job: Option<Job<Vec<bool>>>,
    /// The merge must be done again (a file changed from scratch, a zone was set).
    pub(super) stale: bool,
}

impl MergeView {
    pub(super) fn new() -> MergeView {
        MergeView {
            plan: None,
            merged: Merged::default(),
            rows: Vec::new(),
            positions: Vec::new(),
            hide_duplicates: false,
            hidden: None,
            time_display: TimeDisplay::AsWritten,
            job: None,
            duplicates_job: None,
            stale: true,
        }
    }

    /// True while merging.
    pub fn is_merging(&self) -> bool {
        self.job.is_some() || self.duplicates_job.is_some()
    }
}
