//! A comparison tab ([`CompareTab`]): two ordinary row views, pane A and pane
//! B, whose rows line up — by task-sequence step, by time since each file's
//! start, or by normalised message — with the alignment computed off the UI
//! thread by [`crate::compare`], the pane that has the keyboard, and the
//! rule that scrolling and selection follow whichever pane moved. Never
//! draws.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{AlignedRows, LogTab};
use crate::compare::{self, AlignMode, Comparison};
use crate::jobs::Job;

/// The alignment is computed again at most this often while records arrive.
const REFRESH: Duration = Duration::from_secs(3);

/// Which pane has the keyboard.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Pane {
    /// The left pane.
    #[default]
    A,
    /// The right pane.
    B,
}

impl Pane {
    /// `A (left)` or `B (right)`, for the status bar and the details pane.
    pub fn label(self) -> &'static str {
        match self {
            Pane::A => "A (left)",
            Pane::B => "B (right)",
        }
    }
}

/// Where both panes were (top row and cursor) before a frame's input, to
/// tell which one moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PanePositions {
    a: (usize, Option<usize>),
    b: (usize, Option<usize>),
}

/// Two logs side by side, their rows lined up.
pub struct CompareTab {
    /// The left pane.
    pub a: LogTab,
    /// The right pane.
    pub b: LogTab,
    /// How rows line up.
    pub mode: AlignMode,
    /// The pane that has the keyboard.
    pub focus: Pane,
    /// The last alignment computed.
    pub comparison: Option<Arc<Comparison>>,
    /// Show the per-step summary.
    pub show_summary: bool,
    /// Show Component, Date/Time and Thread in the panes (off: the log text
    /// gets the pane's whole width, where the differences are).
    pub show_columns: bool,
    /// Why the comparison could not be made.
    pub error: Option<String>,
    job: Option<Job<Result<Comparison, String>>>,
    job_mode: AlignMode,
    counts: (usize, usize),
    computed_at: Option<Instant>,
}

impl CompareTab {
    /// Pane `a` on the left, `b` on the right (their own outline panels
    /// stay off: the step summary takes their place).
    pub fn new(mut a: LogTab, mut b: LogTab) -> CompareTab {
        a.outline.wanted = false;
        b.outline.wanted = false;
        a.outline.sniff = None;
        b.outline.sniff = None;
        CompareTab {
            a,
            b,
            mode: AlignMode::Step,
            focus: Pane::A,
            comparison: None,
            show_summary: true,
            show_columns: false,
            error: None,
            job: None,
            job_mode: AlignMode::Step,
            counts: (0, 0),
            computed_at: None,
        }
    }

    /// "A | B".
    pub fn title(&self) -> String {
        format!(
            "{} | {}",
            self.a.sources[0].name(),
            self.b.sources[0].name()
        )
    }

    /// The pane that has the keyboard.
    pub fn focused(&self) -> &LogTab {
        match self.focus {
            Pane::A => &self.a,
            Pane::B => &self.b,
        }
    }

    /// [`focused`](Self::focused), mutably.
    pub fn focused_mut(&mut self) -> &mut LogTab {
        match self.focus {
            Pane::A => &mut self.a,
            Pane::B => &mut self.b,
        }
    }

    /// Asks every job of both panes and the alignment to stop (without waiting).
    pub fn cancel_work(&self) {
        self.a.cancel_work();
        self.b.cancel_work();
        if let Some(job) = &self.job {
            job.cancel();
        }
    }

    /// True while the alignment is being computed.
    pub fn is_aligning(&self) -> bool {
        self.job.is_some()
    }

    /// Progress of the alignment, when it runs.
    pub fn progress(&self) -> Option<f32> {
        self.job.as_ref().map(Job::progress)
    }

    /// Background work on either pane or the alignment, if any runs.
    pub fn busy(&self) -> Option<(&'static str, f32)> {
        self.a
            .busy()
            .or_else(|| self.b.busy())
            .or_else(|| self.progress().map(|p| ("Lining up", p)))
    }

    /// Switches the alignment mode (the rows line up again once it is computed).
    pub fn set_mode(&mut self, mode: AlignMode) {
        if mode != self.mode {
            self.mode = mode;
            self.computed_at = None;
            if let Some(job) = self.job.take() {
                job.cancel();
            }
        }
    }

    /// Polls both panes, takes in a finished alignment and starts a new one
    /// when needed.
    pub fn poll(&mut self) {
        self.a.poll();
        self.b.poll();
        if let Some(job) = &mut self.job
            && job.is_finished()
        {
            let result = job.take();
            self.job = None;
            match result {
                Some(Ok(Ok(comparison))) if self.job_mode == self.mode => {
                    self.error = None;
                    let a_rows = AlignedRows::new(
                        comparison.rows().iter().map(|r| r.a),
                        self.a.doc().record_count(),
                    );
                    let b_rows = AlignedRows::new(
                        comparison.rows().iter().map(|r| r.b),
                        self.b.doc().record_count(),
                    );
                    self.a.set_aligned(Some(a_rows));
                    self.b.set_aligned(Some(b_rows));
                    self.comparison = Some(Arc::new(comparison));
                }
                Some(Ok(Err(e))) => self.error = Some(e),
                Some(Err(failure)) => self.error = Some(format!("Lining up failed: {failure}")),
                _ => {}
            }
        }
        if self.job.is_some() || self.a.doc().is_indexing() || self.b.doc().is_indexing() {
            return;
        }
        let counts = (self.a.doc().record_count(), self.b.doc().record_count());
        let due = match self.computed_at {
            None => true,
            Some(at) => counts != self.counts && at.elapsed() >= REFRESH,
        };
        if !due {
            return;
        }
        self.counts = counts;
        self.computed_at = Some(Instant::now());
        self.job_mode = self.mode;
        let (doc_a, doc_b, mode) = (
            Arc::clone(self.a.doc()),
            Arc::clone(self.b.doc()),
            self.mode,
        );
        self.job = Some(Job::spawn(
            "logweave-compare",
            self.a.waker.clone(),
            move |ctx| compare::compare_documents(&doc_a, &doc_b, mode, ctx),
        ));
    }

    /// Moves both panes to aligned row `row` and selects it.
    pub fn select_row(&mut self, row: usize) {
        self.a.select_row(row);
        self.b.select_row(row);
        // A few rows of context above the difference.
        self.a.view.top = row.saturating_sub(4);
        self.b.view.top = self.a.view.top;
    }

    /// The next (or previous) difference from the cursor; selects it.
    pub fn jump_to_difference(&mut self, forward: bool) -> bool {
        let Some(comparison) = &self.comparison else {
            return false;
        };
        let cursor = self.a.view.cursor;
        let found = if forward {
            comparison.next_difference(cursor.map_or(0, |c| c + 1))
        } else {
            cursor.and_then(|c| comparison.previous_difference(c))
        };
        match found {
            Some(row) => {
                self.select_row(row);
                true
            }
            None => false,
        }
    }

    /// Where both panes are now (take it before a frame's input).
    pub fn positions(&self) -> PanePositions {
        PanePositions {
            a: (self.a.view.top, self.a.view.cursor),
            b: (self.b.view.top, self.b.view.cursor),
        }
    }

    /// After a frame's input: scrolling and selection follow whichever pane
    /// moved since `before` (the focused one when neither or both did).
    pub fn sync_panes(&mut self, before: PanePositions) {
        let (a, b) = (&mut self.a, &mut self.b);
        let a_moved = (a.view.top, a.view.cursor) != before.a;
        let b_moved = (b.view.top, b.view.cursor) != before.b;
        let (from, to) = if a_moved || (!b_moved && self.focus == Pane::A) {
            (&*a, b)
        } else {
            (&*b, a)
        };
        to.view.top = from.view.top;
        to.view.selection = from.view.selection.clone();
        to.view.cursor = from.view.cursor;
        to.view.anchor = from.view.anchor;
        to.view.follow_end = from.view.follow_end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{LogDocument, OpenOptions};

    fn pane() -> LogTab {
        let sample =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("resources/samples/smsts.log");
        let doc = LogDocument::open_blocking(&sample, OpenOptions::default()).unwrap();
        LogTab::new(doc, 60_000, false, None)
    }

    #[test]
    fn the_pane_that_moved_leads_and_the_focused_one_breaks_ties() {
        let mut c = CompareTab::new(pane(), pane());
        assert_eq!(c.title(), "smsts.log | smsts.log");
        // B scrolled and selected: A follows.
        let before = c.positions();
        c.b.view.top = 40;
        c.b.select_row(44);
        c.sync_panes(before);
        assert_eq!((c.a.view.top, c.a.view.cursor), (40, Some(44)));
        assert!(c.a.view.selection.contains(44));
        // Neither moved: the focused pane leads.
        c.focus = Pane::B;
        c.a.view.top = 3;
        let before = c.positions();
        c.sync_panes(before);
        assert_eq!(c.a.view.top, 40);
        assert!(std::ptr::eq(c.focused(), &c.b));
        // A difference selects the same row in both, with context above it.
        c.select_row(100);
        assert_eq!((c.a.view.top, c.b.view.top), (96, 96));
        assert_eq!((c.a.view.cursor, c.b.view.cursor), (Some(100), Some(100)));
        c.cancel_work();
    }
}
