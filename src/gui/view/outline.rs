//! The task-sequence outline of a tab ([`OutlineState`]) and the step scope
//! ("records of this step only", [`StepScope`]). Never draws.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use super::*;
use crate::jobs::Job;
use crate::tasksequence::Outline;
use crate::triage::Triage;

/// When a tab's background summary (outline, ranking) is due again: first
/// at once, then when the sources' record counts changed and
/// [`OUTLINE_REFRESH`](super::tab::OUTLINE_REFRESH) has passed.
#[derive(Default)]
pub(super) struct Recompute {
    counts: Vec<usize>,
    at: Option<Instant>,
}

impl Recompute {
    /// True (and noted as started now) when a new computation is due for
    /// sources with `counts` records.
    pub(super) fn due(&mut self, counts: Vec<usize>) -> bool {
        let due = match self.at {
            None => true,
            Some(at) => counts != self.counts && at.elapsed() >= super::tab::OUTLINE_REFRESH,
        };
        if due {
            self.counts = counts;
            self.at = Some(Instant::now());
        }
        due
    }
}

/// What the outline job computes: the outline, the triage, and where the
/// triage's suggested logs are on disk.
pub(super) type OutlineResult = (Outline, Triage, Vec<Option<PathBuf>>);

/// The task-sequence outline of a tab's logs (computed while the panel or
/// the diagnosis strip is shown).
#[derive(Default)]
pub struct OutlineState {
    /// The last outline computed.
    pub outline: Option<Arc<Outline>>,
    /// What failed and why, computed with the outline.
    pub triage: Option<Arc<Triage>>,
    /// Where the triage's suggested logs are on disk (beside the logs read),
    /// one entry per suggestion.
    pub next_log_paths: Vec<Option<PathBuf>>,
    /// The diagnosis strip shows its evidence.
    pub evidence_shown: bool,
    pub(super) job: Option<Job<OutlineResult>>,
    /// Looking at the first records for task-sequence engine lines, so the
    /// panel comes for any log that has them, whatever its name.
    pub(super) sniff: Option<Job<bool>>,
    pub(super) recompute: Recompute,
    /// Groups folded in the panel (indices into the outline's steps).
    pub folded: HashSet<usize>,
    /// The step last clicked in the panel.
    pub selected: Option<usize>,
    /// The panel is wanted for this tab: one of its logs is an smsts.log, or
    /// the user asked for it (Ctrl+T).
    pub wanted: bool,
}

impl OutlineState {
    /// True while the first records are being looked at for engine lines.
    pub fn sniffing(&self) -> bool {
        self.sniff.is_some()
    }

    /// True while the outline is being computed.
    pub fn is_running(&self) -> bool {
        self.job.is_some()
    }
}

/// "Records of this step only": the view shows the rows from the step's first
/// record to its last (in a merged view, with the other files' rows between).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepScope {
    /// The step's name, for the view's banner.
    pub name: String,
    /// Its index in the outline.
    pub step: usize,
    /// Its first record.
    pub first: Entry,
    /// Its last record.
    pub last: Entry,
}

/// Records read to tell a task-sequence log by its lines.
const SNIFF_RECORDS: usize = 2000;

/// A job that says whether the first records of `docs` hold task-sequence
/// engine lines (TSManager, "Start executing an instruction", `_SMSTS…`).
pub(super) fn sniff_task_sequence(
    docs: Vec<Arc<crate::document::LogDocument>>,
    waker: Option<crate::jobs::Waker>,
) -> Job<bool> {
    Job::spawn("logweave-sniff-outline", waker, move |ctx| {
        docs.iter().any(|doc| {
            // The first records are published early; wait for the pass
            // (it is off the UI thread) so a short log is read whole.
            while doc.is_indexing() && doc.record_count() < SNIFF_RECORDS && !ctx.cancelled() {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            let text: String = doc
                .rows(0..SNIFF_RECORDS, Some(4096))
                .iter()
                .map(|r| format!("{} {}\n", r.fields.component, r.fields.message))
                .collect();
            crate::tasksequence::vocab::looks_like_task_sequence(&text)
        })
    })
}
