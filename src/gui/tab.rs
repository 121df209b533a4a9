//! One tab of the window: one log, or several logs merged into one timeline
//! (the sources), what the view shows (merged order, files switched off,
//! duplicates hidden, filter, "ignore existing lines"), selection and
//! scrolling, find results and the live tail of every source. Plain state
//! plus the jobs that fill it; no drawing.

use std::collections::HashSet;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use crate::document::{DocumentProblem, FileChange, LogDocument, ReindexReason, Row};
use crate::filter::{self, Clause, Field, Filter, Op};
use crate::follow::{FollowEvent, Follower};
use crate::jobs::{Job, Waker};
use crate::merge::{self, MergePlan, Merged};
use crate::model::{Direction, Severity};
use crate::search::{self, Matcher, Query};
use crate::tasksequence::{self, Outline};
use crate::time;

/// The outline is computed again at most this often while records arrive.
const OUTLINE_REFRESH: Duration = Duration::from_secs(2);

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

/// A set of record numbers of one file (one bit per record).
#[derive(Clone, Debug, Default)]
pub struct RecordSet {
    bits: Vec<u64>,
}

impl RecordSet {
    /// Adds a record.
    pub fn insert(&mut self, record: usize) {
        let word = record / 64;
        if self.bits.len() <= word {
            self.bits.resize(word + 1, 0);
        }
        self.bits[word] |= 1 << (record % 64);
    }

    /// True when the record is in the set.
    pub fn contains(&self, record: usize) -> bool {
        self.bits
            .get(record / 64)
            .is_some_and(|w| w & (1 << (record % 64)) != 0)
    }
}

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
    generation: u64,
}

impl Source {
    fn new(doc: Arc<LogDocument>, poll_ms: u64, waker: Option<Waker>) -> Source {
        let follower = Follower::start(Arc::clone(&doc), poll_ms, waker);
        Source {
            path: doc.path().to_owned(),
            doc,
            enabled: true,
            zone_override: None,
            follower: Some(follower),
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
    }
}

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
    merged: Merged,
    /// The rows shown before filtering: files switched on, duplicates hidden.
    rows: Vec<u64>,
    /// For each file, record → index in `rows` (`u32::MAX` when not shown).
    positions: Vec<Vec<u32>>,
    /// Hide records identical in time, thread, component and message across files.
    pub hide_duplicates: bool,
    hidden: Option<Vec<bool>>,
    /// How to show times.
    pub time_display: TimeDisplay,
    job: Option<Job<Option<(MergePlan, Merged)>>>,
    duplicates_job: Option<Job<Vec<bool>>>,
    /// The merge must be done again (a file changed from scratch, a zone was set).
    stale: bool,
}

impl MergeView {
    fn new() -> MergeView {
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
    searched: Vec<usize>,
    /// The running search: per source, the records it found.
    pub job: Option<Job<Vec<Vec<usize>>>>,
    /// Why the query could not be used.
    pub error: Option<String>,
}

impl FindState {
    /// Number of matching records in all sources.
    pub fn hit_count(&self) -> usize {
        self.hits.iter().map(Vec::len).sum()
    }
}

/// Filter state of a tab.
pub struct FilterState {
    /// Clauses from Tools > Filter.
    pub clauses: Vec<Clause>,
    /// The quick filter box (log text contains).
    pub quick: String,
    /// The toolbar's severity toggles (info, warnings, errors shown).
    pub severities: [bool; 3],
    /// Per source, the records that pass (when a filter is active).
    kept: Option<Vec<RecordSet>>,
    /// View rows (indices into the unfiltered rows) that pass.
    visible: Option<Vec<u32>>,
    /// Per source: records evaluated so far.
    applied: Vec<usize>,
    /// The running evaluation: per source, (first record evaluated, records kept).
    job: Option<Job<FilterPass>>,
    /// Why the filter could not be used.
    pub error: Option<String>,
    /// The record to select (or the nearest shown after it) once the filter's first pass is in.
    pub reselect: Option<(usize, usize)>,
}

/// One filter evaluation's result: per source, (first record evaluated, records kept).
type FilterPass = Vec<(usize, Vec<u32>)>;

/// Rows decoded for a frame: (epoch, view rows, rows with their source).
type RowCache = (u64, Range<usize>, Vec<(usize, Row)>);

impl Default for FilterState {
    fn default() -> Self {
        FilterState {
            clauses: Vec::new(),
            quick: String::new(),
            severities: [true; 3],
            kept: None,
            visible: None,
            applied: Vec::new(),
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

    /// True while the filter is being evaluated.
    pub fn is_running(&self) -> bool {
        self.job.is_some()
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
    /// Whole rows the list had room for in the last frame.
    pub shown_rows: usize,
}

/// A row of the view: which source, and the record.
pub type Entry = (usize, usize);

/// The task-sequence outline of a tab's logs (computed while the panel is shown).
#[derive(Default)]
pub struct OutlineState {
    /// The last outline computed.
    pub outline: Option<Arc<Outline>>,
    job: Option<Job<Outline>>,
    /// Record counts of the sources the outline was computed from.
    counts: Vec<usize>,
    computed_at: Option<Instant>,
    /// Groups folded in the panel (indices into the outline's steps).
    pub folded: HashSet<usize>,
    /// The step last clicked in the panel.
    pub selected: Option<usize>,
    /// The panel is wanted for this tab: one of its logs is an smsts.log, or
    /// the user asked for it (Ctrl+T).
    pub wanted: bool,
}

impl OutlineState {
    /// True while the outline is being computed.
    pub fn is_running(&self) -> bool {
        self.job.is_some()
    }
}

/// Rows of a pane of a comparison: the other pane's records line up with
/// these, and where the other side has a record this one lacks, the row is a
/// gap.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AlignedRows {
    /// View row → record of this pane, or [`GAP`].
    pub records: Vec<u32>,
    /// Record → view row ([`GAP`] when not shown).
    pub rows_of_records: Vec<u32>,
}

/// A row with no record on this side.
pub const GAP: u32 = u32::MAX;

impl AlignedRows {
    /// Rows from the records of one side of an alignment (`None` = gap).
    pub fn new(side: impl IntoIterator<Item = Option<usize>>, record_count: usize) -> AlignedRows {
        let records: Vec<u32> = side
            .into_iter()
            .map(|r| r.and_then(|r| u32::try_from(r).ok()).unwrap_or(GAP))
            .collect();
        let mut rows_of_records = vec![GAP; record_count];
        for (row, &record) in records.iter().enumerate() {
            if let Some(slot) = rows_of_records.get_mut(record as usize) {
                *slot = u32::try_from(row).unwrap_or(GAP);
            }
        }
        AlignedRows {
            records,
            rows_of_records,
        }
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

/// One tab.
pub struct LogTab {
    /// The logs shown (one, or several merged).
    pub sources: Vec<Source>,
    /// The merged order, for a merged view.
    pub merge: Option<MergeView>,
    /// Records before this one are hidden (single log; File > Open, ignore existing lines).
    pub start_record: usize,
    ignore_existing_pending: bool,
    /// Scrolling and selection.
    pub view: ViewState,
    /// Find.
    pub find: FindState,
    /// Filter.
    pub filter: FilterState,
    /// The task-sequence outline.
    pub outline: OutlineState,
    /// Show only the records of one task-sequence step.
    pub scope: Option<StepScope>,
    /// Set on a pane of a comparison: the rows line up with the other pane's.
    pub aligned: Option<AlignedRows>,
    /// A side-by-side comparison: this tab is pane A, the view holds pane B.
    pub compare: Option<Box<super::compare_view::CompareView>>,
    /// A background step of this tab (find, filter, merge, outline) that
    /// failed, and why; shown above the rows until the next run of it.
    pub failure: Option<String>,
    poll_ms: u64,
    waker: Option<Waker>,
    /// Rows decoded for the last frame, to avoid re-reading them every frame.
    row_cache: Option<RowCache>,
    /// Changes whenever what the rows mean changes.
    epoch: u64,
}

impl LogTab {
    /// A tab over one opened document.
    pub fn new(
        doc: LogDocument,
        poll_ms: u64,
        ignore_existing: bool,
        waker: Option<Waker>,
    ) -> LogTab {
        let mut tab = LogTab::merged(vec![Arc::new(doc)], poll_ms, waker);
        tab.merge = None;
        tab.ignore_existing_pending = ignore_existing;
        tab.view.follow_end = ignore_existing;
        tab
    }

    /// A merged view over several documents (they may be shared with other tabs).
    pub fn merged(docs: Vec<Arc<LogDocument>>, poll_ms: u64, waker: Option<Waker>) -> LogTab {
        let sources: Vec<Source> = docs
            .into_iter()
            .take(merge::MAX_FILES)
            .map(|d| Source::new(d, poll_ms, waker.clone()))
            .collect();
        let outline = OutlineState {
            wanted: sources.iter().any(|s| {
                s.path
                    .file_name()
                    .is_some_and(|n| tasksequence::chain::is_smsts_name(&n.to_string_lossy()))
            }),
            ..OutlineState::default()
        };
        LogTab {
            sources,
            merge: Some(MergeView::new()),
            start_record: 0,
            ignore_existing_pending: false,
            view: ViewState {
                follow_end: false,
                ..ViewState::default()
            },
            find: FindState::default(),
            filter: FilterState::default(),
            outline,
            scope: None,
            aligned: None,
            compare: None,
            failure: None,
            poll_ms,
            waker,
            row_cache: None,
            epoch: 0,
        }
    }

    /// The first source's document (the only one of a single-log tab).
    pub fn doc(&self) -> &Arc<LogDocument> {
        &self.sources[0].doc
    }

    /// The first source's path.
    pub fn path(&self) -> &std::path::Path {
        &self.sources[0].path
    }

    /// True for a merged view.
    pub fn is_merged(&self) -> bool {
        self.merge.is_some()
    }

    /// The tab title: the file name, "N logs merged", or "A | B" for a comparison.
    pub fn title(&self) -> String {
        if let Some(c) = &self.compare {
            return format!("{} | {}", self.sources[0].name(), c.b.sources[0].name());
        }
        match &self.merge {
            None => self.sources[0].name(),
            Some(_) => format!("{} logs merged", self.sources.len()),
        }
    }

    /// Pane B of a comparison.
    pub fn pane_b(&self) -> Option<&LogTab> {
        self.compare.as_ref().map(|c| &c.b)
    }

    /// The pane that has the keyboard: this tab, or pane B of a comparison.
    pub fn focused(&self) -> &LogTab {
        match &self.compare {
            Some(c) if c.focus == super::compare_view::Pane::B => &c.b,
            _ => self,
        }
    }

    /// [`focused`](Self::focused), mutably.
    pub fn focused_mut(&mut self) -> &mut LogTab {
        let on_b = self
            .compare
            .as_ref()
            .is_some_and(|c| c.focus == super::compare_view::Pane::B);
        if !on_b {
            return self;
        }
        match self.compare.as_deref_mut() {
            Some(c) => &mut c.b,
            // `on_b` holds only with a comparison.
            None => unreachable!("pane B without a comparison"),
        }
    }

    /// Adds a log to a merged view.
    pub fn add_source(&mut self, doc: Arc<LogDocument>) {
        if self.sources.len() < merge::MAX_FILES
            && !self.sources.iter().any(|s| Arc::ptr_eq(&s.doc, &doc))
        {
            self.sources
                .push(Source::new(doc, self.poll_ms, self.waker.clone()));
            self.invalidate_merge();
        }
    }

    /// Removes a log from a merged view (the last one stays).
    pub fn remove_source(&mut self, i: usize) {
        if self.sources.len() > 1 && i < self.sources.len() {
            self.sources.remove(i);
            self.invalidate_merge();
        }
    }

    /// Switches a file of a merged view on or off (no new merge).
    pub fn set_enabled(&mut self, i: usize, enabled: bool) {
        if let Some(source) = self.sources.get_mut(i) {
            source.enabled = enabled;
            self.rebuild_rows();
        }
    }

    /// Sets or clears a file's zone (minutes to add for UTC); the view re-orders.
    pub fn set_zone_override(&mut self, i: usize, minutes: Option<i32>) {
        if let Some(source) = self.sources.get_mut(i)
            && source.zone_override != minutes
        {
            source.zone_override = minutes;
            self.invalidate_merge();
        }
    }

    /// Hides or shows records duplicated across files.
    pub fn set_hide_duplicates(&mut self, hide: bool) {
        if let Some(m) = &mut self.merge {
            m.hide_duplicates = hide;
            if hide && m.hidden.is_none() {
                self.start_duplicates();
            }
            self.rebuild_rows();
        }
    }

    fn invalidate_merge(&mut self) {
        if let Some(m) = &mut self.merge {
            m.stale = true;
            m.job = None;
            m.hidden = None;
            m.duplicates_job = None;
        }
        self.find.hits = vec![Vec::new(); self.sources.len()];
        self.find.searched = vec![0; self.sources.len()];
        self.find.job = None;
        self.filter.kept = None;
        self.filter.applied = vec![0; self.sources.len()];
        self.filter.job = None;
    }

    fn start_merge(&mut self) {
        let Some(m) = &mut self.merge else { return };
        if m.job.is_some() || self.sources.iter().any(|s| s.doc.is_indexing()) {
            return;
        }
        m.stale = false;
        let docs: Vec<Arc<LogDocument>> = self.sources.iter().map(|s| Arc::clone(&s.doc)).collect();
        let overrides: Vec<Option<i32>> = self.sources.iter().map(|s| s.zone_override).collect();
        m.job = Some(Job::spawn(
            "logweave-merge",
            self.waker.clone(),
            move |_| {
                let refs: Vec<&LogDocument> = docs.iter().map(AsRef::as_ref).collect();
                let plan = merge::plan(&refs, &overrides);
                merge::merge(&refs, &plan, &AtomicBool::new(false)).map(|merged| (plan, merged))
            },
        ));
    }

    fn start_duplicates(&mut self) {
        let Some(m) = &mut self.merge else { return };
        let Some(plan) = m.plan.clone() else { return };
        let docs: Vec<Arc<LogDocument>> = self.sources.iter().map(|s| Arc::clone(&s.doc)).collect();
        let order = m.merged.order.clone();
        m.duplicates_job = Some(Job::spawn(
            "logweave-duplicates",
            self.waker.clone(),
            move |_| {
                let key = |row: u64| {
                    let (f, r) = merge::unpack(row);
                    merge::key_at(&docs[f], &plan.files[f].rule, r)
                };
                let fields = |row: u64| {
                    let (f, r) = merge::unpack(row);
                    docs[f]
                        .rows(r..r + 1, Some(ROW_READ_LIMIT))
                        .pop()
                        .map_or_else(Default::default, |row| {
                            (row.fields.thread, row.fields.component, row.fields.message)
                        })
                };
                merge::duplicates(&order, key, fields)
            },
        ));
    }

    /// Recomputes the rows shown before filtering (after a merge, a toggle,
    /// duplicates) and everything derived from them.
    fn rebuild_rows(&mut self) {
        if let Some(m) = &mut self.merge {
            let enabled: Vec<bool> = self.sources.iter().map(|s| s.enabled).collect();
            let hidden = m.hide_duplicates.then_some(m.hidden.as_ref()).flatten();
            m.rows = match hidden {
                Some(hidden) => m
                    .merged
                    .order
                    .iter()
                    .zip(hidden)
                    .filter(|&(&row, &h)| {
                        !h && enabled.get(merge::unpack(row).0).copied().unwrap_or(false)
                    })
                    .map(|(&row, _)| row)
                    .collect(),
                None => m.merged.visible(&enabled),
            };
            m.positions = m.merged.counts.iter().map(|&n| vec![u32::MAX; n]).collect();
            for (i, &row) in m.rows.iter().enumerate() {
                let (f, r) = merge::unpack(row);
                if let Some(p) = m.positions.get_mut(f).and_then(|p| p.get_mut(r)) {
                    *p = u32::try_from(i).unwrap_or(u32::MAX);
                }
            }
        }
        self.rebuild_visible();
        self.epoch += 1;
        self.row_cache = None;
    }

    /// Number of rows before filtering.
    fn base_len(&self) -> usize {
        match &self.merge {
            Some(m) => m.rows.len(),
            None => self.doc().record_count().saturating_sub(self.start_record),
        }
    }

    /// The source and record of an unfiltered row.
    fn base_entry(&self, b: usize) -> Option<Entry> {
        match &self.merge {
            Some(m) => m.rows.get(b).map(|&row| merge::unpack(row)),
            None => {
                let record = self.start_record + b;
                (record < self.doc().record_count()).then_some((0, record))
            }
        }
    }

    /// The unfiltered row of a record, if shown.
    fn base_index(&self, (source, record): Entry) -> Option<usize> {
        match &self.merge {
            Some(m) => m
                .positions
                .get(source)?
                .get(record)
                .filter(|&&p| p != u32::MAX)
                .map(|&p| p as usize),
            None => {
                (source == 0 && record >= self.start_record && record < self.doc().record_count())
                    .then(|| record - self.start_record)
            }
        }
    }

    fn rebuild_visible(&mut self) {
        let scope = self.scope_rows();
        if self.filter.kept.is_none() && scope.is_none() {
            self.filter.visible = None;
            return;
        }
        let kept = self.filter.kept.as_ref();
        let rows = scope.unwrap_or(0..self.base_len());
        self.filter.visible = Some(
            rows.filter(|&b| {
                kept.is_none_or(|kept| {
                    self.base_entry(b)
                        .is_some_and(|(s, r)| kept.get(s).is_some_and(|k| k.contains(r)))
                })
            })
            .map(|b| u32::try_from(b).unwrap_or(u32::MAX))
            .collect(),
        );
    }

    /// The unfiltered rows of the step scope (empty when none of its records is shown).
    fn scope_rows(&self) -> Option<Range<usize>> {
        let scope = self.scope.as_ref()?;
        // The nearest shown record inward from each end (files switched off, duplicates hidden).
        const LOOK: usize = 100_000;
        let first = (0..LOOK).find_map(|i| {
            let (s, r) = scope.first;
            self.base_index((s, r + i))
        });
        let last = (0..LOOK).find_map(|i| {
            let (s, r) = scope.last;
            r.checked_sub(i).and_then(|r| self.base_index((s, r)))
        });
        Some(match (first, last) {
            (Some(a), Some(b)) if a <= b => a..b + 1,
            _ => 0..0,
        })
    }

    /// Shows only the records of step `step` of the outline (`None`: all records).
    pub fn set_scope(&mut self, step: Option<usize>) {
        let scope = step.and_then(|i| {
            let outline = self.outline.outline.as_ref()?;
            let s = outline.steps.get(i)?;
            Some(StepScope {
                name: s.name.clone(),
                step: i,
                first: (s.file, s.first_record),
                last: (s.last_file, s.last_record),
            })
        });
        if scope == self.scope {
            return;
        }
        let selected = self.cursor_entry();
        self.scope = scope;
        self.rebuild_visible();
        self.epoch += 1;
        self.row_cache = None;
        self.view.selection.clear();
        self.view.cursor = None;
        self.view.top = 0;
        self.view.follow_end = false;
        self.filter.reselect = selected;
        self.reselect_after_filter();
    }

    /// Computes the task-sequence outline of the tab's logs in the background
    /// (again when records arrive, at most every [`OUTLINE_REFRESH`]), and
    /// takes in a finished one.
    pub fn poll_outline(&mut self) {
        if let Some(job) = &mut self.outline.job
            && job.is_finished()
        {
            let outline = job.take();
            self.outline.job = None;
            match outline {
                Some(Ok(outline)) => self.outline.outline = Some(Arc::new(outline)),
                Some(Err(e)) => {
                    self.failure = Some(format!("The task sequence outline failed: {e}"))
                }
                None => {}
            }
        }
        if self.outline.job.is_some() || self.sources.iter().any(|s| s.doc.is_indexing()) {
            return;
        }
        let counts: Vec<usize> = self.sources.iter().map(|s| s.doc.record_count()).collect();
        let due = match self.outline.computed_at {
            None => true,
            Some(at) => counts != self.outline.counts && at.elapsed() >= OUTLINE_REFRESH,
        };
        if !due {
            return;
        }
        let docs: Vec<Arc<LogDocument>> = self.sources.iter().map(|s| Arc::clone(&s.doc)).collect();
        self.outline.counts = counts;
        self.outline.computed_at = Some(Instant::now());
        self.outline.job = Some(Job::spawn(
            "logweave-outline",
            self.waker.clone(),
            move |_| {
                let refs: Vec<&LogDocument> = docs.iter().map(AsRef::as_ref).collect();
                // Copies of one smsts.log are read in the order they were written.
                let order = tasksequence::chain::order_documents(&refs);
                let ordered: Vec<&LogDocument> = order.iter().map(|&i| refs[i]).collect();
                let mut outline = tasksequence::outline_documents(&ordered);
                let source = |file: usize| order.get(file).copied().unwrap_or(file);
                for step in &mut outline.steps {
                    step.file = source(step.file);
                    step.last_file = source(step.last_file);
                }
                for phase in &mut outline.phases {
                    phase.file = source(phase.file);
                }
                outline
            },
        ));
    }

    /// Lines the rows up with another pane's (a comparison), or not (`None`).
    pub fn set_aligned(&mut self, aligned: Option<AlignedRows>) {
        let selected = self.cursor_entry();
        self.aligned = aligned;
        self.epoch += 1;
        self.row_cache = None;
        let len = self.view_len();
        self.view.selection.clip(len);
        self.view.cursor = None;
        if let Some(entry) = selected {
            self.select_entry(entry);
        }
        self.view.top = self.view.top.min(len.saturating_sub(1));
    }

    /// Number of rows the list shows.
    pub fn view_len(&self) -> usize {
        if let Some(aligned) = &self.aligned {
            return aligned.records.len();
        }
        match &self.filter.visible {
            Some(visible) => visible.len(),
            None if self.filter.kept.is_some() => 0,
            None => self.base_len(),
        }
    }

    /// The source and record shown in view row `row`.
    pub fn entry_at(&self, row: usize) -> Option<Entry> {
        if let Some(aligned) = &self.aligned {
            let record = *aligned.records.get(row)?;
            return (record != GAP && (record as usize) < self.doc().record_count())
                .then_some((0, record as usize));
        }
        match &self.filter.visible {
            Some(visible) => self.base_entry(*visible.get(row)? as usize),
            None => self.base_entry(row),
        }
    }

    /// The view row showing a record, if it is shown.
    pub fn row_of(&self, entry: Entry) -> Option<usize> {
        if let Some(aligned) = &self.aligned {
            let row = *aligned
                .rows_of_records
                .get(entry.1)
                .filter(|_| entry.0 == 0)?;
            return (row != GAP).then_some(row as usize);
        }
        let b = self.base_index(entry)?;
        match &self.filter.visible {
            Some(visible) => visible.binary_search(&u32::try_from(b).ok()?).ok(),
            None => Some(b),
        }
    }

    /// The first view row at or after (or at or before) unfiltered row `b`.
    fn row_near_base(&self, b: usize, direction: Direction) -> Option<usize> {
        let len = self.view_len();
        match &self.filter.visible {
            Some(visible) => {
                let target = u32::try_from(b).unwrap_or(u32::MAX);
                let at = visible.partition_point(|&v| v < target);
                match direction {
                    Direction::Forward => (at < visible.len()).then_some(at),
                    Direction::Backward if visible.get(at) == Some(&target) => Some(at),
                    Direction::Backward => at.checked_sub(1),
                }
            }
            None => match direction {
                Direction::Forward => (b < len).then_some(b),
                Direction::Backward => (len > 0).then(|| b.min(len - 1)),
            },
        }
    }

    /// Rows `range` of the view with their source, decoded (cached while nothing changes).
    pub fn rows(&mut self, range: Range<usize>) -> Vec<(usize, Row)> {
        let stamp = self.stamp();
        if let Some((s, r, rows)) = &self.row_cache
            && *s == stamp
            && *r == range
        {
            return rows.clone();
        }
        let entries: Vec<Entry> = range.clone().filter_map(|row| self.entry_at(row)).collect();
        let mut out = Vec::with_capacity(entries.len());
        // Read runs of consecutive records of one source together.
        let mut i = 0;
        while i < entries.len() {
            let (source, first) = entries[i];
            let mut j = i + 1;
            while j < entries.len() && entries[j] == (source, first + (j - i)) {
                j += 1;
            }
            let doc = &self.sources[source].doc;
            out.extend(
                doc.rows(first..first + (j - i), Some(ROW_READ_LIMIT))
                    .into_iter()
                    .map(|r| (source, r)),
            );
            i = j;
        }
        self.row_cache = Some((stamp, range, out.clone()));
        out
    }

    /// A number that changes whenever rows may read differently.
    fn stamp(&self) -> u64 {
        let mut stamp = self.epoch.wrapping_mul(1_000_003);
        for s in &self.sources {
            stamp = stamp
                .wrapping_mul(31)
                .wrapping_add(s.doc.generation())
                .wrapping_mul(31)
                .wrapping_add(s.doc.record_count() as u64);
        }
        stamp
    }

    /// The focused record.
    pub fn cursor_entry(&self) -> Option<Entry> {
        self.view.cursor.and_then(|row| self.entry_at(row))
    }

    /// The focused record of a single-log tab (or of the first source).
    pub fn cursor_record(&self) -> Option<usize> {
        self.cursor_entry().map(|(_, r)| r)
    }

    /// Selects one view row and scrolls to it.
    pub fn select_row(&mut self, row: usize) {
        self.view.selection.set(row);
        self.view.anchor = Some(row);
        self.view.cursor = Some(row);
        self.view.reveal_cursor = true;
        self.view.follow_end = false;
    }

    /// Selects a record if it is shown (returns false when it is filtered out or switched off).
    pub fn select_entry(&mut self, entry: Entry) -> bool {
        match self.row_of(entry) {
            Some(row) => {
                self.select_row(row);
                true
            }
            None => false,
        }
    }

    /// Selects a record of the first source.
    pub fn select_record(&mut self, record: usize) -> bool {
        self.select_entry((0, record))
    }

    /// The index of the source showing `doc`.
    pub fn source_of(&self, doc: &Arc<LogDocument>) -> Option<usize> {
        self.sources.iter().position(|s| Arc::ptr_eq(&s.doc, doc))
    }

    /// Moves to the next or previous row of `severity` that the view shows.
    pub fn jump_to_severity(&mut self, severity: Severity, direction: Direction) -> bool {
        if self.merge.is_none() {
            let doc = Arc::clone(self.doc());
            let mut from = self.cursor_record().or(match direction {
                Direction::Forward => self.start_record.checked_sub(1),
                Direction::Backward => Some(doc.record_count()),
            });
            loop {
                let Some(record) = doc.next_of_severity(from, severity, direction) else {
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
        // Merged: walk the view rows, reading severities a batch at a time.
        let len = self.view_len();
        let rows: Box<dyn Iterator<Item = usize>> = match (direction, self.view.cursor) {
            (Direction::Forward, Some(c)) => Box::new(c + 1..len),
            (Direction::Forward, None) => Box::new(0..len),
            (Direction::Backward, Some(c)) => Box::new((0..c).rev()),
            (Direction::Backward, None) => Box::new((0..len).rev()),
        };
        let found = rows.into_iter().find(|&row| {
            self.entry_at(row).is_some_and(|(s, r)| {
                self.sources[s]
                    .doc
                    .with_index(|i| r < i.len() && i.severity(r) == severity)
            })
        });
        match found {
            Some(row) => {
                self.select_row(row);
                true
            }
            None => false,
        }
    }

    /// Starts searching for the find bar's query (from scratch).
    pub fn start_find(&mut self) {
        self.find.hits = vec![Vec::new(); self.sources.len()];
        self.find.searched = vec![0; self.sources.len()];
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
        if self.find.job.is_some() {
            return;
        }
        self.find.searched.resize(self.sources.len(), 0);
        self.find.hits.resize(self.sources.len(), Vec::new());
        let work: Vec<(Arc<LogDocument>, Range<usize>)> = self
            .sources
            .iter()
            .zip(&self.find.searched)
            .map(|(s, &done)| (Arc::clone(&s.doc), done..s.doc.record_count()))
            .collect();
        if work.iter().all(|(_, r)| r.is_empty()) {
            return;
        }
        for (done, (_, range)) in self.find.searched.iter_mut().zip(&work) {
            *done = range.end;
        }
        self.find.job = Some(Job::spawn(
            "logweave-find",
            self.waker.clone(),
            move |ctx| {
                work.iter()
                    .map(|(doc, range)| search::search(doc, &matcher, range.clone(), ctx))
                    .collect()
            },
        ));
    }

    /// Selects the next (or previous) find hit after the cursor; true if one was found.
    pub fn jump_to_hit(&mut self, direction: Direction) -> bool {
        let mut rows: Vec<usize> = self
            .find
            .hits
            .iter()
            .enumerate()
            .flat_map(|(s, hits)| hits.iter().map(move |&r| (s, r)))
            .filter_map(|e| self.row_of(e))
            .collect();
        rows.sort_unstable();
        let target = match (direction, self.view.cursor) {
            (Direction::Forward, Some(c)) => rows
                .iter()
                .copied()
                .find(|&r| r > c)
                .or(rows.first().copied()),
            (Direction::Forward, None) => rows.first().copied(),
            (Direction::Backward, Some(c)) => rows
                .iter()
                .rev()
                .copied()
                .find(|&r| r < c)
                .or(rows.last().copied()),
            (Direction::Backward, None) => rows.last().copied(),
        };
        match target {
            Some(row) => {
                self.select_row(row);
                true
            }
            None => false,
        }
    }

    /// Re-evaluates the filter from scratch (or clears it).
    pub fn apply_filter(&mut self) {
        let selected = self.cursor_entry();
        self.filter.job = None;
        self.filter.applied = vec![0; self.sources.len()];
        self.row_cache = None;
        let combined = self.filter.combined();
        if combined.is_empty() {
            self.filter.kept = None;
            self.filter.error = None;
        } else {
            match combined.compile() {
                Ok(_) => {
                    self.filter.error = None;
                    self.filter.kept = Some(vec![RecordSet::default(); self.sources.len()]);
                    self.continue_filter();
                }
                Err(e) => {
                    self.filter.error = Some(e);
                    self.filter.kept = None;
                }
            }
        }
        self.rebuild_visible();
        self.epoch += 1;
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
        let Some(entry) = self.filter.reselect.take() else {
            return;
        };
        let base = self.base_index(entry);
        let row = self.row_of(entry).or_else(|| {
            let b = base?;
            self.row_near_base(b, Direction::Forward)
                .or_else(|| self.row_near_base(b, Direction::Backward))
        });
        if let Some(row) = row {
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
        if self.filter.kept.is_none() || self.filter.job.is_some() {
            return;
        }
        let Ok(compiled) = self.filter.combined().compile() else {
            return;
        };
        self.filter.applied.resize(self.sources.len(), 0);
        let start = if self.merge.is_none() {
            self.start_record
        } else {
            0
        };
        let work: Vec<(Arc<LogDocument>, Range<usize>)> = self
            .sources
            .iter()
            .zip(&self.filter.applied)
            .map(|(s, &done)| (Arc::clone(&s.doc), done.max(start)..s.doc.record_count()))
            .collect();
        if work.iter().all(|(_, r)| r.is_empty()) {
            return;
        }
        for (done, (_, range)) in self.filter.applied.iter_mut().zip(&work) {
            *done = range.end;
        }
        let compiled = Arc::new(compiled);
        self.filter.job = Some(Job::spawn(
            "logweave-filter",
            self.waker.clone(),
            move |ctx| {
                work.iter()
                    .map(|(doc, range)| {
                        (
                            range.start,
                            filter::apply(doc, &compiled, range.clone(), ctx),
                        )
                    })
                    .collect()
            },
        ));
    }

    /// Progress of background work on this tab (indexing, merging, find, filter), if any runs.
    pub fn busy(&self) -> Option<(&'static str, f32)> {
        if let Some(s) = self.sources.iter().find(|s| s.doc.is_indexing()) {
            return Some(("Indexing", s.doc.progress_fraction()));
        }
        if let Some(c) = &self.compare {
            if let Some(busy) = c.b.busy() {
                return Some(busy);
            }
            if let Some(p) = c.progress() {
                return Some(("Lining up", p));
            }
        }
        if self
            .merge
            .as_ref()
            .is_some_and(|m| m.is_merging() || m.stale)
        {
            return Some(("Merging", 0.5));
        }
        if let Some(job) = &self.filter.job {
            return Some(("Filtering", job.progress()));
        }
        self.find
            .job
            .as_ref()
            .map(|job| ("Searching", job.progress()))
    }

    /// The sort key of a record in a merged view (its time on the common line),
    /// or its wall-clock time in a single-log tab.
    pub fn time_key(&self, (source, record): Entry) -> Option<i64> {
        let doc = &self.sources.get(source)?.doc;
        match self.merge.as_ref().and_then(|m| m.plan.as_ref()) {
            Some(plan) => {
                doc.with_index(|i| merge::key_of(&plan.files[source].rule, &i.meta(record)))
            }
            None => {
                doc.with_index(|i| (record < i.len()).then(|| i.meta(record).wall_ms).flatten())
            }
        }
    }

    /// The Date/Time text of a row under the merged view's display choice.
    pub fn time_text(&self, source: usize, row: &Row) -> String {
        let written = row.fields.time_text.clone().unwrap_or_default();
        let Some(m) = &self.merge else { return written };
        let utc = || -> Option<i64> {
            let wall = row.fields.meta.wall_ms?;
            let plan = m.plan.as_ref()?;
            let file = plan.files.get(source)?;
            let minutes = match &file.rule {
                merge::TimeRule::Fixed { adjust, .. } => *adjust,
                _ if merge::WINPE_BIASES.contains(&row.fields.meta.utc_adjust_minutes)
                    && file.winpe =>
                {
                    file.real_adjust
                        .unwrap_or(row.fields.meta.utc_adjust_minutes)
                }
                _ => row.fields.meta.utc_adjust_minutes,
            };
            Some(wall + i64::from(minutes) * time::MS_PER_MINUTE)
        };
        match m.time_display {
            TimeDisplay::AsWritten => written,
            TimeDisplay::Utc => {
                utc().map_or(written, |ms| time::format_rfc3339_ms(ms).replace('T', " "))
            }
            TimeDisplay::Zone(east) => utc().map_or(written, |ms| {
                let local = time::format_rfc3339_ms(ms + i64::from(east) * time::MS_PER_MINUTE);
                format!(
                    "{} {:+03}:{:02}",
                    local.trim_end_matches('Z').replace('T', " "),
                    east / 60,
                    east.abs() % 60
                )
            }),
        }
    }

    /// Collects finished jobs and file changes; call once per frame.
    pub fn poll(&mut self) {
        let mut rebuild = false;
        for i in 0..self.sources.len() {
            let generation = self.sources[i].doc.generation();
            if generation != self.sources[i].generation {
                // Re-indexed from scratch: earlier positions mean nothing now.
                self.sources[i].generation = generation;
                if self.merge.is_none() {
                    self.start_record = 0;
                }
                self.view.selection.clear();
                self.view.cursor = None;
                self.view.top = 0;
                self.view.follow_end = true;
                self.invalidate_merge();
                if self.find.matcher.is_some() {
                    self.start_find();
                }
                if self.filter.is_active() {
                    self.apply_filter();
                }
            }
            let events = self.sources[i]
                .follower
                .as_ref()
                .map(Follower::drain)
                .unwrap_or_default();
            for event in events {
                let notice = match event {
                    FollowEvent::Changed(FileChange::Appended { .. }) => {
                        rebuild = true;
                        self.sources[i].notice.take()
                    }
                    FollowEvent::Changed(FileChange::Reindexed(ReindexReason::Replaced)) => {
                        Some("The log was rolled over or replaced by a new file; showing the new file.".into())
                    }
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
                    FollowEvent::Changed(_) => self.sources[i].notice.take(),
                    FollowEvent::Problem(p) => Some(format!("Cannot read the file: {p}")),
                };
                self.sources[i].notice = notice;
            }
            if let Some(problem) = self.sources[i].doc.problem() {
                self.sources[i].notice = Some(problem_text(&problem, &self.sources[i].path));
            }
        }
        if self.ignore_existing_pending && !self.doc().is_indexing() {
            self.ignore_existing_pending = false;
            self.start_record = self.doc().record_count();
            self.view.follow_end = true;
            rebuild = true;
        }
        // The merged order: first merge, or take in appended records.
        if let Some(m) = &mut self.merge
            && let Some(job) = &mut m.job
            && job.is_finished()
        {
            let result = match job.take() {
                Some(Ok(result)) => result,
                Some(Err(e)) => {
                    self.failure = Some(format!("Merging failed: {e}"));
                    None
                }
                None => None,
            };
            m.job = None;
            if let Some((plan, merged)) = result {
                m.plan = Some(plan);
                m.merged = merged;
                m.hidden = None;
                rebuild = true;
                if m.hide_duplicates {
                    self.start_duplicates();
                }
            }
        }
        if let Some(m) = &mut self.merge {
            if let Some(job) = &mut m.duplicates_job
                && let Some(hidden) = job.take()
            {
                m.duplicates_job = None;
                match hidden {
                    Ok(hidden) => m.hidden = Some(hidden),
                    Err(e) => {
                        self.failure = Some(format!("Finding duplicates failed: {e}"));
                    }
                }
                rebuild = true;
            }
            let counts: Vec<usize> = self.sources.iter().map(|s| s.doc.record_count()).collect();
            let grown = m.merged.counts.len() == counts.len()
                && m.merged.counts.iter().zip(&counts).any(|(a, b)| b > a);
            if grown
                && m.job.is_none()
                && !m.stale
                && !self.sources.iter().any(|s| s.doc.is_indexing())
                && let Some(plan) = &m.plan
            {
                let docs: Vec<&LogDocument> = self.sources.iter().map(|s| s.doc.as_ref()).collect();
                m.merged.extend(&docs, plan);
                m.hidden = None;
                if m.hide_duplicates {
                    self.start_duplicates();
                }
                rebuild = true;
            }
        }
        if self.merge.as_ref().is_some_and(|m| m.stale) {
            self.start_merge();
        }
        if let Some(job) = &mut self.find.job
            && let Some(found) = job.take()
        {
            let found = found.unwrap_or_else(|e| {
                self.failure = Some(format!("Find failed: {e}"));
                Vec::new()
            });
            self.find
                .hits
                .resize(found.len().max(self.find.hits.len()), Vec::new());
            for (hits, mut more) in self.find.hits.iter_mut().zip(found) {
                hits.append(&mut more);
            }
            self.find.job = None;
        }
        if let Some(job) = &mut self.filter.job
            && let Some(found) = job.take()
        {
            let found = found.unwrap_or_else(|e| {
                self.failure = Some(format!("Filtering failed: {e}"));
                Vec::new()
            });
            self.filter.job = None;
            if let Some(kept) = &mut self.filter.kept {
                kept.resize(found.len().max(kept.len()), RecordSet::default());
                for (set, (_, records)) in kept.iter_mut().zip(found) {
                    for r in records {
                        set.insert(r as usize);
                    }
                }
            }
            rebuild = true;
            self.filter.reselect = self.filter.reselect.or(None);
        }
        if rebuild {
            self.rebuild_rows();
            if self.filter.job.is_none() {
                self.reselect_after_filter();
            }
        }
        // New records: search and filter them too.
        self.continue_find();
        self.continue_filter();
        if let Some(mut compare) = self.compare.take() {
            let waker = self.waker.clone();
            compare.poll(self, waker);
            self.compare = Some(compare);
        }
        let len = self.view_len();
        self.view.selection.clip(len);
        if self.view.cursor.is_some_and(|c| c >= len) {
            self.view.cursor = len.checked_sub(1);
        }
    }

    /// Asks every background job of this tab to stop (without waiting).
    pub fn cancel_work(&self) {
        for s in &self.sources {
            s.doc.request_cancel();
        }
        if let Some(c) = &self.compare {
            c.b.cancel_work();
            c.cancel();
        }
        if let Some(job) = &self.find.job {
            job.cancel();
        }
        if let Some(job) = &self.filter.job {
            job.cancel();
        }
    }

    /// Pauses or resumes the live tail.
    pub fn set_paused(&mut self, paused: bool) {
        for s in &self.sources {
            if let Some(f) = &s.follower {
                f.set_paused(paused);
            }
        }
    }

    /// True while the live tail is paused.
    pub fn is_paused(&self) -> bool {
        self.sources
            .iter()
            .any(|s| s.follower.as_ref().is_some_and(Follower::is_paused))
    }

    /// Records per severity in the shown sources.
    pub fn counts(&self) -> crate::model::SeverityCounts {
        let mut total = crate::model::SeverityCounts::default();
        for s in self.sources.iter().filter(|s| s.enabled) {
            let c = s.doc.counts();
            total.info += c.info;
            total.warnings += c.warnings;
            total.errors += c.errors;
        }
        total
    }

    /// Records in the shown sources (before filtering).
    pub fn record_total(&self) -> usize {
        match &self.merge {
            Some(_) => self.base_len(),
            None => self.doc().record_count(),
        }
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
