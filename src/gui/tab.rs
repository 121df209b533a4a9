//! One open log in the window: its document, what the view shows (filter,
//! "ignore existing lines"), selection and scrolling, the find results and the
//! live-tail follower. Plain state plus the jobs that fill it; no drawing.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use crate::document::{FileChange, LogDocument, ReindexReason, Row};
use crate::filter::{self, Clause, Field, Filter, Op};
use crate::follow::{FollowEvent, Follower};
use crate::jobs::{Job, Waker};
use crate::model::{Direction, Severity};
use crate::search::{self, Matcher, Query};

/// Longest part of a record read for the list (the details pane reads it whole).
pub const ROW_READ_LIMIT: usize = 64 * 1024;

/// Selected view rows, as sorted, non-overlapping ranges (a Shift+click over
/// millions of rows stays one range).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    ranges: Vec<Range<usize>>,
}

impl Selection {
    /// Selects only `row`.
    pub fn set(&mut self, row: usize) {
        self.ranges.clear();
        self.ranges.push(row..row + 1);
    }

    /// Selects exactly `a..=b` (in either order).
    pub fn set_range(&mut self, a: usize, b: usize) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        self.ranges.clear();
        self.ranges.push(lo..hi + 1);
    }

    /// Adds or removes one row.
    pub fn toggle(&mut self, row: usize) {
        if self.contains(row) {
            let mut next = Vec::new();
            for r in self.ranges.drain(..) {
                if r.contains(&row) {
                    if r.start < row {
                        next.push(r.start..row);
                    }
                    if row + 1 < r.end {
                        next.push(row + 1..r.end);
                    }
                } else {
                    next.push(r);
                }
            }
            self.ranges = next;
        } else {
            let at = self.ranges.partition_point(|r| r.end <= row);
            self.ranges.insert(at, row..row + 1);
            self.normalise();
        }
    }

    fn normalise(&mut self) {
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(self.ranges.len());
        for r in self.ranges.drain(..) {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        self.ranges = merged;
    }

    /// True when `row` is selected.
    pub fn contains(&self, row: usize) -> bool {
        let at = self.ranges.partition_point(|r| r.end <= row);
        self.ranges.get(at).is_some_and(|r| r.contains(&row))
    }

    /// Number of selected rows.
    pub fn len(&self) -> usize {
        self.ranges.iter().map(ExactSizeIterator::len).sum()
    }

    /// True when nothing is selected.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// First and last selected row.
    pub fn bounds(&self) -> Option<(usize, usize)> {
        Some((self.ranges.first()?.start, self.ranges.last()?.end - 1))
    }

    /// Every selected row, in order.
    pub fn rows(&self) -> impl Iterator<Item = usize> + '_ {
        self.ranges.iter().flat_map(Clone::clone)
    }

    /// Drops rows at or after `len` (the view got shorter).
    pub fn clip(&mut self, len: usize) {
        self.ranges.retain(|r| r.start < len);
        if let Some(last) = self.ranges.last_mut() {
            last.end = last.end.min(len);
        }
    }

    /// Clears the selection.
    pub fn clear(&mut self) {
        self.ranges.clear();
    }
}

/// Find state of a tab.
#[derive(Default)]
pub struct FindState {
    /// The query as edited in the find bar.
    pub query: Query,
    /// The compiled query whose results are shown.
    pub matcher: Option<Matcher>,
    /// Records whose message matches, in order.
    pub hits: Vec<usize>,
    /// Records searched so far (new records are searched as they arrive).
    pub searched: usize,
    /// The running search.
    pub job: Option<Job<Vec<usize>>>,
    /// Why the query could not be used.
    pub error: Option<String>,
}

/// Filter state of a tab.
pub struct FilterState {
    /// Clauses from Tools > Filter.
    pub clauses: Vec<Clause>,
    /// The quick filter box (log text contains).
    pub quick: String,
    /// The toolbar's severity toggles (info, warnings, errors shown).
    pub severities: [bool; 3],
    /// Records that pass, when a filter is active.
    pub visible: Option<Vec<u32>>,
    /// Records evaluated so far.
    pub applied: usize,
    /// The filter being evaluated, and the range it covers.
    pub job: Option<(Job<Vec<u32>>, bool)>,
    /// Why the filter could not be used.
    pub error: Option<String>,
    /// The record to select (or the nearest shown after it) once the filter's first pass is in.
    pub reselect: Option<usize>,
}

impl Default for FilterState {
    fn default() -> Self {
        FilterState {
            clauses: Vec::new(),
            quick: String::new(),
            severities: [true; 3],
            visible: None,
            applied: 0,
            job: None,
            error: None,
            reselect: None,
        }
    }
}

impl FilterState {
    /// The filter the clauses, the severity toggles and the quick box describe together.
    pub fn combined(&self) -> Filter {
        let mut clauses = self.clauses.clone();
        if self.severities != [true; 3] {
            let names = ["info", "warning", "error"];
            let shown: Vec<&str> = names
                .iter()
                .zip(self.severities)
                .filter(|(_, on)| *on)
                .map(|(n, _)| *n)
                .collect();
            // Nothing ticked is an empty set: no record passes.
            clauses.push(Clause {
                field: Field::Severity,
                op: Op::Equals,
                value: shown.join(","),
            });
        }
        if !self.quick.trim().is_empty() {
            clauses.push(Clause {
                field: Field::Text,
                op: Op::Contains,
                value: self.quick.trim().to_owned(),
            });
        }
        Filter { clauses }
    }

    /// True when some filter is in force.
    pub fn is_active(&self) -> bool {
        !self.combined().is_empty()
    }
}

/// Scrolling and selection of the list.
#[derive(Clone, Debug, Default)]
pub struct ViewState {
    /// First view row shown.
    pub top: usize,
    /// Fractional wheel scrolling not yet applied.
    pub scroll_remainder: f32,
    /// Selected view rows.
    pub selection: Selection,
    /// Where Shift+click and Shift+arrows extend from.
    pub anchor: Option<usize>,
    /// The focused row (arrow keys move it).
    pub cursor: Option<usize>,
    /// Keep the end in view as records arrive.
    pub follow_end: bool,
    /// Scroll so the cursor is visible on the next frame.
    pub reveal_cursor: bool,
}

/// One open log.
pub struct LogTab {
    /// The document.
    pub doc: Arc<LogDocument>,
    /// Where it was opened from.
    pub path: PathBuf,
    /// Records before this one are hidden (File > Open, ignore existing lines).
    pub start_record: usize,
    ignore_existing_pending: bool,
    /// Scrolling and selection.
    pub view: ViewState,
    /// Find.
    pub find: FindState,
    /// Filter.
    pub filter: FilterState,
    /// Live tail.
    pub follower: Option<Follower>,
    /// A message about the file (rolled over, truncated, cannot be read).
    pub notice: Option<String>,
    generation: u64,
    waker: Option<Waker>,
    /// Rows decoded for the last frame, to avoid re-reading them every frame.
    row_cache: Option<(u64, usize, Range<usize>, Vec<Row>)>,
}

impl LogTab {
    /// A tab over an opened document.
    pub fn new(
        doc: LogDocument,
        poll_ms: u64,
        ignore_existing: bool,
        waker: Option<Waker>,
    ) -> LogTab {
        let path = doc.path().to_owned();
        let doc = Arc::new(doc);
        let follower = Follower::start(Arc::clone(&doc), poll_ms, waker.clone());
        LogTab {
            doc,
            path,
            start_record: 0,
            ignore_existing_pending: ignore_existing,
            view: ViewState {
                follow_end: ignore_existing,
                ..ViewState::default()
            },
            find: FindState::default(),
            filter: FilterState::default(),
            follower: Some(follower),
            notice: None,
            generation: 0,
            waker,
            row_cache: None,
        }
    }

    /// The file name for the tab title.
    pub fn title(&self) -> String {
        self.path.file_name().map_or_else(
            || self.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }

    /// Number of rows the list shows.
    pub fn view_len(&self) -> usize {
        match &self.filter.visible {
            Some(visible) => visible.len(),
            None => self.doc.record_count().saturating_sub(self.start_record),
        }
    }

    /// The record shown in view row `row`.
    pub fn record_at(&self, row: usize) -> Option<usize> {
        match &self.filter.visible {
            Some(visible) => visible.get(row).map(|&r| r as usize),
            None => {
                let record = self.start_record + row;
                (record < self.doc.record_count()).then_some(record)
            }
        }
    }

    /// The view row showing `record`, if it is shown.
    pub fn row_of(&self, record: usize) -> Option<usize> {
        match &self.filter.visible {
            Some(visible) => {
                let target = u32::try_from(record).ok()?;
                visible.binary_search(&target).ok()
            }
            None => (record >= self.start_record && record < self.doc.record_count())
                .then(|| record - self.start_record),
        }
    }

    /// The first view row at or after (`Forward`) or at or before
    /// (`Backward`) the record `record`.
    fn row_near(&self, record: usize, direction: Direction) -> Option<usize> {
        match &self.filter.visible {
            Some(visible) => {
                let target = u32::try_from(record).unwrap_or(u32::MAX);
                let at = visible.partition_point(|&r| r < target);
                match direction {
                    Direction::Forward => (at < visible.len()).then_some(at),
                    Direction::Backward => {
                        if visible.get(at) == Some(&target) {
                            Some(at)
                        } else {
                            at.checked_sub(1)
                        }
                    }
                }
            }
            None => {
                let len = self.view_len();
                let row = record.checked_sub(self.start_record);
                match direction {
                    Direction::Forward => Some(row.unwrap_or(0)).filter(|&r| r < len),
                    Direction::Backward => row
                        .map(|r| r.min(len.saturating_sub(1)))
                        .filter(|_| len > 0),
                }
            }
        }
    }

    /// Rows `range` of the view, decoded (cached while nothing changes).
    pub fn rows(&mut self, range: Range<usize>) -> Vec<Row> {
        let generation = self.doc.generation();
        let count = self.doc.record_count();
        if let Some((g, c, r, rows)) = &self.row_cache
            && *g == generation
            && *c == count
            && *r == range
            && self.filter.job.is_none()
        {
            return rows.clone();
        }
        let rows: Vec<Row> = match &self.filter.visible {
            None => {
                let first = self.start_record + range.start;
                self.doc
                    .rows(first..self.start_record + range.end, Some(ROW_READ_LIMIT))
            }
            Some(visible) => {
                let records: Vec<usize> = range
                    .clone()
                    .filter_map(|row| visible.get(row).map(|&r| r as usize))
                    .collect();
                // Read contiguous runs together.
                let mut out = Vec::with_capacity(records.len());
                let mut i = 0;
                while i < records.len() {
                    let mut j = i + 1;
                    while j < records.len() && records[j] == records[j - 1] + 1 {
                        j += 1;
                    }
                    out.extend(
                        self.doc
                            .rows(records[i]..records[j - 1] + 1, Some(ROW_READ_LIMIT)),
                    );
                    i = j;
                }
                out
            }
        };
        self.row_cache = Some((generation, count, range, rows.clone()));
        rows
    }

    /// The focused record.
    pub fn cursor_record(&self) -> Option<usize> {
        self.view.cursor.and_then(|row| self.record_at(row))
    }

    /// Selects one view row and scrolls to it.
    pub fn select_row(&mut self, row: usize) {
        self.view.selection.set(row);
        self.view.anchor = Some(row);
        self.view.cursor = Some(row);
        self.view.reveal_cursor = true;
        self.view.follow_end = false;
    }

    /// Selects the record if it is shown (returns false when it is filtered out).
    pub fn select_record(&mut self, record: usize) -> bool {
        match self.row_of(record) {
            Some(row) => {
                self.select_row(row);
                true
            }
            None => false,
        }
    }

    /// Moves to the next or previous record of `severity` that the view shows.
    pub fn jump_to_severity(&mut self, severity: Severity, direction: Direction) -> bool {
        let mut from = self.cursor_record().or(match direction {
            Direction::Forward => None,
            Direction::Backward => Some(self.doc.record_count()),
        });
        if from.is_none() && self.start_record > 0 {
            from = Some(self.start_record - 1);
        }
        loop {
            let Some(record) = self.doc.next_of_severity(from, severity, direction) else {
                return false;
            };
            if record < self.start_record {
                return false;
            }
            if self.select_record(record) {
                return true;
            }
            from = Some(record);
        }
    }

    /// Starts searching for the find bar's query (from scratch).
    pub fn start_find(&mut self) {
        self.find.hits.clear();
        self.find.searched = 0;
        self.find.job = None;
        match self.find.query.compile() {
            Ok(matcher) => {
                self.find.error = None;
                self.find.matcher = Some(matcher);
                self.continue_find();
            }
            Err(e) => {
                self.find.matcher = None;
                self.find.error = (!self.find.query.text.is_empty()).then_some(e);
            }
        }
    }

    fn continue_find(&mut self) {
        let Some(matcher) = self.find.matcher.clone() else {
            return;
        };
        let count = self.doc.record_count();
        if self.find.job.is_some() || self.find.searched >= count {
            return;
        }
        let doc = Arc::clone(&self.doc);
        let range = self.find.searched..count;
        self.find.searched = count;
        self.find.job = Some(Job::spawn(
            "logweave-find",
            self.waker.clone(),
            move |ctx| search::search(&doc, &matcher, range, ctx),
        ));
    }

    /// Selects the next (or previous) find hit after the cursor; true if one was found.
    pub fn jump_to_hit(&mut self, direction: Direction) -> bool {
        let cursor = self.cursor_record();
        let hits = &self.find.hits;
        let candidates: Box<dyn Iterator<Item = usize>> = match (direction, cursor) {
            (Direction::Forward, Some(c)) => Box::new(
                hits[hits.partition_point(|&h| h <= c)..]
                    .iter()
                    .copied()
                    .chain(hits.iter().copied()),
            ),
            (Direction::Forward, None) => Box::new(hits.iter().copied()),
            (Direction::Backward, Some(c)) => Box::new(
                hits[..hits.partition_point(|&h| h < c)]
                    .iter()
                    .rev()
                    .copied()
                    .chain(hits.iter().rev().copied()),
            ),
            (Direction::Backward, None) => Box::new(hits.iter().rev().copied()),
        };
        let found = candidates
            .take(hits.len())
            .find(|&h| self.row_of(h).is_some());
        match found {
            Some(record) => self.select_record(record),
            None => false,
        }
    }

    /// Re-evaluates the filter from scratch (or clears it).
    pub fn apply_filter(&mut self) {
        let selected = self.cursor_record();
        self.filter.job = None;
        self.filter.applied = 0;
        self.row_cache = None;
        let combined = self.filter.combined();
        if combined.is_empty() {
            self.filter.visible = None;
            self.filter.error = None;
        } else {
            match combined.compile() {
                Ok(_) => {
                    self.filter.error = None;
                    self.filter.visible = Some(Vec::new());
                    self.continue_filter();
                }
                Err(e) => {
                    self.filter.error = Some(e);
                    self.filter.visible = None;
                }
            }
        }
        self.view.selection.clear();
        self.view.top = 0;
        self.view.cursor = None;
        self.filter.reselect = selected;
        if self.filter.job.is_none() {
            self.reselect_after_filter();
        }
    }

    /// Selects the remembered record, or the nearest shown row after it.
    fn reselect_after_filter(&mut self) {
        if let Some(record) = self.filter.reselect.take()
            && let Some(row) = self
                .row_near(record, Direction::Forward)
                .or_else(|| self.row_near(record, Direction::Backward))
        {
            self.select_row(row);
        }
    }

    /// Clears every filter clause, the severity toggles and the quick filter.
    pub fn clear_filter(&mut self) {
        self.filter.clauses.clear();
        self.filter.quick.clear();
        self.filter.severities = [true; 3];
        self.apply_filter();
    }

    fn continue_filter(&mut self) {
        if self.filter.visible.is_none() || self.filter.job.is_some() {
            return;
        }
        let count = self.doc.record_count();
        let from = self.filter.applied.max(self.start_record);
        if from >= count {
            return;
        }
        let Ok(compiled) = self.filter.combined().compile() else {
            return;
        };
        let doc = Arc::clone(&self.doc);
        self.filter.applied = count;
        let first_pass = from == self.start_record;
        self.filter.job = Some((
            Job::spawn("logweave-filter", self.waker.clone(), move |ctx| {
                filter::apply(&doc, &compiled, from..count, ctx)
            }),
            first_pass,
        ));
    }

    /// Progress of background work on this tab (indexing, find, filter), if any runs.
    pub fn busy(&self) -> Option<(&'static str, f32)> {
        if self.doc.is_indexing() {
            return Some(("Indexing", self.doc.progress_fraction()));
        }
        if let Some((job, _)) = &self.filter.job {
            return Some(("Filtering", job.progress()));
        }
        self.find
            .job
            .as_ref()
            .map(|job| ("Searching", job.progress()))
    }

    /// Collects finished jobs and file changes; call once per frame.
    pub fn poll(&mut self) {
        if self.doc.generation() != self.generation {
            // Re-indexed from scratch: earlier positions mean nothing now.
            self.generation = self.doc.generation();
            self.start_record = 0;
            self.view.selection.clear();
            self.view.cursor = None;
            self.view.top = 0;
            self.view.follow_end = true;
            self.row_cache = None;
            if self.find.matcher.is_some() {
                self.start_find();
            }
            if self.filter.visible.is_some() {
                self.apply_filter();
            }
        }
        if self.ignore_existing_pending && !self.doc.is_indexing() {
            self.ignore_existing_pending = false;
            self.start_record = self.doc.record_count();
            self.view.follow_end = true;
        }
        if let Some(follower) = &self.follower {
            for event in follower.drain() {
                self.notice = match event {
                    FollowEvent::Changed(FileChange::Appended { .. }) => self.notice.take(),
                    FollowEvent::Changed(FileChange::Reindexed(ReindexReason::Replaced)) => Some(
                        "The log was rolled over or replaced by a new file; showing the new file.".into(),
                    ),
                    FollowEvent::Changed(FileChange::Reindexed(ReindexReason::Truncated)) => {
                        Some("The log was truncated; it was read again from the start.".into())
                    }
                    FollowEvent::Changed(FileChange::Reindexed(ReindexReason::Rewritten)) => {
                        Some("The log was rewritten; it was read again from the start.".into())
                    }
                    FollowEvent::Changed(FileChange::Removed) => Some(
                        "The file was renamed or deleted (rolled over to .lo_?); showing what was read. Waiting for it to reappear."
                            .into(),
                    ),
                    FollowEvent::Changed(_) => self.notice.take(),
                    FollowEvent::Problem(p) => Some(format!("Cannot read the file: {p}")),
                };
            }
        }
        if let Some(problem) = self.doc.problem() {
            self.notice = Some(format!("Cannot read {}: {problem}", self.path.display()));
        }
        if let Some(job) = &mut self.find.job
            && let Some(mut hits) = job.take()
        {
            self.find.hits.append(&mut hits);
            self.find.job = None;
        }
        if let Some((job, _)) = &mut self.filter.job
            && let Some(mut kept) = job.take()
        {
            if let Some(visible) = &mut self.filter.visible {
                visible.append(&mut kept);
            }
            self.filter.job = None;
            self.row_cache = None;
            self.reselect_after_filter();
        }
        // New records: search and filter them too.
        self.continue_find();
        self.continue_filter();
        let len = self.view_len();
        self.view.selection.clip(len);
        if self.view.cursor.is_some_and(|c| c >= len) {
            self.view.cursor = len.checked_sub(1);
        }
    }

    /// Asks every background job of this tab to stop (without waiting).
    pub fn cancel_work(&self) {
        self.doc.request_cancel();
        if let Some(job) = &self.find.job {
            job.cancel();
        }
        if let Some((job, _)) = &self.filter.job {
            job.cancel();
        }
    }

    /// Pauses or resumes the live tail.
    pub fn set_paused(&mut self, paused: bool) {
        if let Some(f) = &self.follower {
            f.set_paused(paused);
        }
    }

    /// True while the live tail is paused.
    pub fn is_paused(&self) -> bool {
        self.follower.as_ref().is_some_and(Follower::is_paused)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_ranges() {
        let mut s = Selection::default();
        s.set_range(10, 2);
        assert_eq!(s.len(), 9);
        s.toggle(5);
        assert!(!s.contains(5));
        assert_eq!(s.len(), 8);
        s.toggle(5);
        assert_eq!(s.len(), 9);
        s.toggle(20);
        assert_eq!(s.bounds(), Some((2, 20)));
        s.clip(8);
        assert_eq!(s.rows().collect::<Vec<_>>(), vec![2, 3, 4, 5, 6, 7]);
        s.set_range(0, 5_000_000);
        assert_eq!(s.len(), 5_000_001);
    }
}
