//! The rows a tab shows (`impl LogTab`): from the sources, the merged order,
//! files switched off, duplicates hidden, the filter and the step scope to
//! view rows and back; decoded rows for a frame; selection and cursor
//! moves. Never draws and never starts a job.

use std::ops::Range;
use std::sync::Arc;

use super::*;
use crate::document::{LogDocument, Row};
use crate::merge::{self};
use crate::model::{Direction, Severity};

impl LogTab {
    /// Recomputes the rows shown before filtering (after a merge, a toggle,
    /// duplicates) and everything derived from them.
    pub(super) fn rebuild_rows(&mut self) {
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
    pub(super) fn base_len(&self) -> usize {
        match &self.merge {
            Some(m) => m.rows.len(),
            None => self.doc().record_count().saturating_sub(self.start_record),
        }
    }

    /// The source and record of an unfiltered row.
    pub(super) fn base_entry(&self, b: usize) -> Option<Entry> {
        match &self.merge {
            Some(m) => m.rows.get(b).map(|&row| merge::unpack(row)),
            None => {
                let record = self.start_record + b;
                (record < self.doc().record_count()).then_some((0, record))
            }
        }
    }

    /// The unfiltered row of a record, if shown.
    pub(super) fn base_index(&self, (source, record): Entry) -> Option<usize> {
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

    pub(super) fn rebuild_visible(&mut self) {
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
    pub(super) fn scope_rows(&self) -> Option<Range<usize>> {
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
    pub(super) fn row_near_base(&self, b: usize, direction: Direction) -> Option<usize> {
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
    pub(super) fn stamp(&self) -> u64 {
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
        self.view.note = None;
        self.view.selection.set(row);
        self.view.anchor = Some(row);
        self.view.cursor = Some(row);
        self.view.reveal_cursor = true;
        self.view.follow_end = false;
    }

    /// Selects a record if it is shown (returns false when it is filtered
    /// out or switched off), scrolled into view with what follows it: the
    /// target of a jump.
    pub fn select_entry(&mut self, entry: Entry) -> bool {
        match self.row_of(entry) {
            Some(row) => {
                self.select_row(row);
                self.view.reveal_with_context = true;
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
                self.view.reveal_with_context = true;
                true
            }
            None => false,
        }
    }
}

/// The selected rows of a tab as tab-separated lines in column order.
pub fn copy_text(tab: &mut LogTab) -> String {
    let rows: Vec<usize> = tab.view.selection.rows().take(200_000).collect();
    let mut out = String::new();
    let mut i = 0;
    while i < rows.len() {
        let mut j = i + 1;
        while j < rows.len() && rows[j] == rows[j - 1] + 1 && j - i < 4096 {
            j += 1;
        }
        for (_, row) in tab.rows(rows[i]..rows[j - 1] + 1) {
            out.push_str(&crate::export::tsv_line(&row));
            out.push('\n');
        }
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::document::{LogDocument, OpenOptions};
    use crate::gui::view::LogTab;

    #[test]
    fn rows_and_records_map_both_ways_under_ignore_existing_and_selection() {
        let sample =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("resources/samples/smsts.log");
        let doc = LogDocument::open_blocking(&sample, OpenOptions::default()).unwrap();
        let mut tab = LogTab::new(doc, 60_000, false, None);
        assert_eq!(tab.view_len(), 205);
        assert_eq!(tab.entry_at(10), Some((0, 10)));
        assert_eq!(tab.row_of((0, 10)), Some(10));
        assert_eq!(tab.row_of((1, 10)), None, "no second source");
        // "Ignore existing lines": the view starts later, rows shift.
        tab.start_record = 200;
        tab.rebuild_rows();
        assert_eq!(tab.view_len(), 5);
        assert_eq!(tab.entry_at(0), Some((0, 200)));
        assert_eq!(tab.row_of((0, 199)), None);
        assert!(tab.select_record(203));
        assert_eq!((tab.view.cursor, tab.cursor_record()), (Some(3), Some(203)));
        let rows = tab.rows(0..5);
        assert_eq!(rows.len(), 5);
        assert_eq!(rows[3].1.record, 203);
        tab.cancel_work();
    }
}
