//! The background work of a tab (`impl LogTab`): merge, duplicates, outline,
//! find and filter jobs, started here and taken in by `poll`. Never draws.

use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use super::*;
use crate::document::LogDocument;
use crate::filter::{self};
use crate::jobs::Job;
use crate::merge::{self};
use crate::model::Direction;
use crate::search::{self};
use crate::tasksequence::{self};
use crate::triage;

impl LogTab {
    pub(super) fn invalidate_merge(&mut self) {
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

    pub(super) fn start_merge(&mut self) {
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

    pub(super) fn start_duplicates(&mut self) {
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

    /// Computes the task-sequence outline of the tab's logs in the background
    /// (again when records arrive, at most every two seconds), and
    /// takes in a finished one.
    pub fn poll_outline(&mut self) {
        if let Some(job) = &mut self.outline.job
            && job.is_finished()
        {
            let outline = job.take();
            self.outline.job = None;
            match outline {
                Some(Ok((outline, triage, next_log_paths))) => {
                    self.outline.outline = Some(Arc::new(outline));
                    self.outline.triage = Some(Arc::new(triage));
                    self.outline.next_log_paths = next_log_paths;
                }
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
        if !self.outline.recompute.due(counts) {
            return;
        }
        let docs: Vec<Arc<LogDocument>> = self.sources.iter().map(|s| Arc::clone(&s.doc)).collect();
        self.outline.job = Some(Job::spawn(
            "logweave-outline",
            self.waker.clone(),
            move |_| {
                let refs: Vec<&LogDocument> = docs.iter().map(AsRef::as_ref).collect();
                // Copies of one smsts.log are read in the order they were written.
                let order = tasksequence::chain::order_documents(&refs);
                let ordered: Vec<&LogDocument> = order.iter().map(|&i| refs[i]).collect();
                let names: Vec<String> = ordered
                    .iter()
                    .map(|d| d.path().display().to_string())
                    .collect();
                let (mut outline, mut triage) = triage::triage_documents(&ordered, &names);
                let source = |file: usize| order.get(file).copied().unwrap_or(file);
                for step in &mut outline.steps {
                    step.file = source(step.file);
                    step.last_file = source(step.last_file);
                }
                for phase in &mut outline.phases {
                    phase.file = source(phase.file);
                }
                for record in triage.evidence.iter_mut().chain(&mut triage.harmless) {
                    record.file_index = source(record.file_index);
                }
                let folders: Vec<std::path::PathBuf> = ordered
                    .iter()
                    .filter_map(|d| d.path().parent().map(std::path::Path::to_path_buf))
                    .collect();
                let found = triage::locate_next_logs(&triage.next_logs, &folders);
                (outline, triage, found)
            },
        ));
    }

    /// Starts searching for the find bar's query (from scratch).
    pub fn start_find(&mut self) {
        self.find.pending_jump = None;
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

    pub(super) fn continue_find(&mut self) {
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
                self.view.reveal_with_context = true;
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
    pub(super) fn reselect_after_filter(&mut self) {
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

    pub(super) fn continue_filter(&mut self) {
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
}
