//! One tab of the window ([`LogTab`]): one log, or several logs merged into
//! one timeline (the sources), composed of the view's plain states —
//! rows and selection ([`ViewState`]), find, filter, merge, outline, step
//! scope — plus polling what the background jobs and tails report. The
//! row mapping lives in `rows.rs` and the jobs in `jobs.rs` (more `impl
//! LogTab` blocks). No drawing.

use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::document::{FileChange, LogDocument, ReindexReason, Row};
use crate::follow::{FollowEvent, Follower};
use crate::jobs::Waker;
use crate::merge::{self};
use crate::settings::DateTimeFormat;
use crate::tasksequence::{self};
use crate::time;

/// The outline is computed again at most this often while records arrive.
pub(super) const OUTLINE_REFRESH: Duration = Duration::from_secs(2);

/// Longest part of a record read for the list (the details pane reads it whole).
pub const ROW_READ_LIMIT: usize = 64 * 1024;

/// Rows decoded for a frame: (epoch, view rows, rows with their source).
pub(super) type RowCache = (u64, Range<usize>, Vec<(usize, Row)>);

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
    /// With [`reveal_cursor`](Self::reveal_cursor): a jump (next error,
    /// find hit, a step, a lookup hit), so the cursor goes to the upper third
    /// with the records after it on screen, unless it is there already.
    pub reveal_with_context: bool,
    /// A word for the status bar about the last move ("No more errors
    /// below"); cleared by the next move.
    pub note: Option<String>,
    /// Whole rows the list had room for in the last frame.
    pub shown_rows: usize,
}

/// A row of the view: which source, and the record.
pub type Entry = (usize, usize);

/// One tab.
pub struct LogTab {
    /// The logs shown (one, or several merged).
    pub sources: Vec<Source>,
    /// The merged order, for a merged view.
    pub merge: Option<MergeView>,
    /// Records before this one are hidden (single log; File > Open, ignore existing lines).
    pub start_record: usize,
    pub(super) ignore_existing_pending: bool,
    /// Scrolling and selection.
    pub view: ViewState,
    /// Find.
    pub find: FindState,
    /// Filter.
    pub filter: FilterState,
    /// The task-sequence outline.
    pub outline: OutlineState,
    /// The Diagnosis window's ranking of this tab's errors.
    pub ranked: RankedErrors,
    /// Show only the records of one task-sequence step.
    pub scope: Option<StepScope>,
    /// Set on a pane of a comparison: the rows line up with the other pane's.
    pub aligned: Option<AlignedRows>,
    /// A background step of this tab (find, filter, merge, outline) that
    /// failed, and why; shown above the rows until the next run of it.
    pub failure: Option<String>,
    pub(super) poll_ms: u64,
    pub(super) waker: Option<Waker>,
    /// Rows decoded for the last frame, to avoid re-reading them every frame.
    pub(super) row_cache: Option<RowCache>,
    /// Changes whenever what the rows mean changes.
    pub(super) epoch: u64,
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

    /// A tab over a document another tab shows too (a comparison of two
    /// open logs).
    pub fn shared(doc: Arc<LogDocument>, poll_ms: u64, waker: Option<Waker>) -> LogTab {
        let mut tab = LogTab::merged(vec![doc], poll_ms, waker);
        tab.merge = None;
        tab
    }

    /// A merged view over several documents (they may be shared with other tabs).
    pub fn merged(docs: Vec<Arc<LogDocument>>, poll_ms: u64, waker: Option<Waker>) -> LogTab {
        let sources: Vec<Source> = docs
            .into_iter()
            .take(merge::MAX_FILES)
            .map(|d| Source::new(d, poll_ms, waker.clone()))
            .collect();
        let wanted = sources.iter().any(|s| {
            s.path
                .file_name()
                .is_some_and(|n| tasksequence::chain::is_smsts_name(&n.to_string_lossy()))
        });
        // Any other log: its first records decide (in the background).
        let sniff = (!wanted).then(|| {
            super::outline::sniff_task_sequence(
                sources.iter().map(|s| Arc::clone(&s.doc)).collect(),
                waker.clone(),
            )
        });
        let outline = OutlineState {
            wanted,
            sniff,
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
            ranked: RankedErrors::default(),
            scope: None,
            aligned: None,
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

    /// The tab title: the file name, or "N logs merged".
    pub fn title(&self) -> String {
        match &self.merge {
            None => self.sources[0].name(),
            Some(_) => format!("{} logs merged", self.sources.len()),
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

    /// Progress of background work on this tab (indexing, merging, find, filter), if any runs.
    pub fn busy(&self) -> Option<(&'static str, f32)> {
        if let Some(s) = self.sources.iter().find(|s| s.doc.is_indexing()) {
            return Some(("Indexing", s.doc.progress_fraction()));
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

    /// The UTC time of a row of a merged view, or `None` when it cannot be
    /// told: no time, or a WinPE record (WinPE writes its own default bias,
    /// not the machine's) of a machine whose zone no file shows — never a
    /// UTC made up from WinPE's bias.
    pub fn utc_ms(&self, source: usize, row: &Row) -> Option<i64> {
        let wall = row.fields.meta.wall_ms?;
        let plan = self.merge.as_ref()?.plan.as_ref()?;
        let file = plan.files.get(source)?;
        let bias = row.fields.meta.utc_adjust_minutes;
        let minutes = match &file.rule {
            merge::TimeRule::Fixed { adjust, .. } => *adjust,
            _ if file.winpe && merge::WINPE_BIASES.contains(&bias) => {
                file.real_adjust.or(plan.machine_adjust)?
            }
            _ => bias,
        };
        Some(wall + i64::from(minutes) * time::MS_PER_MINUTE)
    }

    /// The Date/Time text of a row: the merged view's UTC or zone choice
    /// when it made one, else `format` (dates in `style`, the computer's
    /// short date). A time whose zone cannot be told is shown as written,
    /// saying so.
    pub fn time_text(
        &self,
        source: usize,
        row: &Row,
        format: DateTimeFormat,
        style: time::DateStyle,
    ) -> String {
        let written = row.fields.time_text.clone().unwrap_or_default();
        let wall = row.fields.meta.wall_ms;
        let unknown = || {
            if wall.is_some() {
                format!("{written} (zone unknown)")
            } else {
                written.clone()
            }
        };
        let display = self
            .merge
            .as_ref()
            .map_or(TimeDisplay::AsWritten, |m| m.time_display);
        match display {
            TimeDisplay::Utc => {
                return self
                    .utc_ms(source, row)
                    .map_or_else(unknown, |ms| time::format_rfc3339_ms(ms).replace('T', " "));
            }
            TimeDisplay::Zone(east) => {
                return self.utc_ms(source, row).map_or_else(unknown, |ms| {
                    let local = time::format_rfc3339_ms(ms + i64::from(east) * time::MS_PER_MINUTE);
                    format!(
                        "{} {:+03}:{:02}",
                        local.trim_end_matches('Z').replace('T', " "),
                        east / 60,
                        east.abs() % 60
                    )
                });
            }
            TimeDisplay::AsWritten => {}
        }
        let Some(wall) = wall else {
            return written;
        };
        match format {
            DateTimeFormat::AsWritten => written,
            DateTimeFormat::Locale => style.format(wall),
            DateTimeFormat::Iso8601 => time::DateStyle::ISO.format(wall).replacen(' ', "T", 1),
            DateTimeFormat::Utc => {
                let utc = if self.is_merged() {
                    self.utc_ms(source, row)
                } else if row.fields.meta.zone == crate::model::ZoneKind::Local {
                    None
                } else {
                    row.utc_ms()
                };
                utc.map_or_else(unknown, |ms| time::format_rfc3339_ms(ms).replace('T', " "))
            }
        }
    }

    /// Collects finished jobs and file changes; call once per frame.
    pub fn poll(&mut self) {
        if let Some(job) = &mut self.outline.sniff
            && let Some(found) = job.take()
        {
            self.outline.sniff = None;
            self.outline.wanted |= found.unwrap_or(false);
        }
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
                    FollowEvent::Stopped(reason) => Some(format!(
                        "Following stopped: {reason}; the records read so far stay."
                    )),
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
            if let Some(direction) = self.find.pending_jump.take() {
                self.jump_to_hit(direction);
            }
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
