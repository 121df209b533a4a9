//! Lining up two logs for a side-by-side comparison (two copies of smsts.log
//! from two runs or two machines): by task-sequence step, by time since each
//! file's start, or by normalised message (times, GUIDs, numbers and paths
//! masked). The result is one list of rows, each holding a record of A, of
//! B, or of both, with a mark saying how they differ, maps from each side's
//! records to rows, the rows where differences start, and a per-step summary.
//!
//! How the message diff scales (1M+ records a side): equal heads and tails
//! are matched first; a gap small enough (at most [`EXACT_CELLS`] cells) gets
//! an exact longest common subsequence; a larger gap is cut at the keys
//! unique on both sides that keep their order (patience anchors) and each
//! piece is diffed again; a large gap without anchors gets Myers' O(ND) diff
//! up to [`MAX_EDITS`] edits. All exact work shares one budget
//! ([`WORK_BUDGET`]); past it, or past the edit cap, a gap is paired by
//! position (records with equal keys at the same offset match).
//!
//! This file owns the public surface: the modes, marks and rows, [`Comparison`],
//! the diff's limits and [`compare_documents`]; it never lines records up
//! itself. One job a file below it: `digest.rs` reads a document's records
//! and reduces them to [`RecordDigest`]s, `control.rs`
//! holds the cancel flag, progress and work budget of one alignment,
//! `message.rs`, `time.rs` and `step.rs` are the three modes, `summary.rs`
//! matches two runs' steps and says how they differ, `words.rs` finds the
//! words that differ in a changed pair, and `tests.rs` holds the unit tests.

use std::fmt;

use crate::document::LogDocument;
use crate::jobs::JobContext;
use crate::tasksequence;

mod control;
mod digest;
mod message;
mod step;
mod summary;
#[cfg(test)]
mod tests;
mod time;
mod words;

pub use digest::{RecordDigest, digest_document, normalise};
pub use message::{align_by_message, matching_pairs};
pub use step::align_by_step;
pub use summary::{
    Difference, StepPair, StepSide, large_duration_difference, step_differences, summarise_steps,
};
pub use time::align_by_time;
pub use words::{Piece, word_diff};

/// Gaps of at most this many cells (records of A × records of B) get an
/// exact longest common subsequence table.
pub const EXACT_CELLS: usize = 1 << 22;

/// Most edits Myers' diff looks for in a large gap without anchors.
pub const MAX_EDITS: usize = 1024;

/// Table cells and diagonal steps one alignment may spend on exact diffs
/// (about a second); what is left after that is paired by position.
pub const WORK_BUDGET: u64 = 400_000_000;

/// How rows line up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum AlignMode {
    /// The same task-sequence step side by side, its records diffed by message.
    #[default]
    Step,
    /// Records at the same time since each file's first timed record.
    Time,
    /// A diff of the records' normalised messages.
    Message,
}

impl AlignMode {
    /// `step`, `time` or `message`.
    pub fn name(self) -> &'static str {
        match self {
            AlignMode::Step => "step",
            AlignMode::Time => "time",
            AlignMode::Message => "message",
        }
    }

    /// The mode named `step`, `time` or `message`.
    pub fn from_name(name: &str) -> Option<AlignMode> {
        [AlignMode::Step, AlignMode::Time, AlignMode::Message]
            .into_iter()
            .find(|m| m.name().eq_ignore_ascii_case(name))
    }
}

/// How the two sides of a row differ. In step mode the first row of a step
/// pair carries the step's mark; [`Comparison::step_for_row`] gives the
/// step's [`Difference`]s (exit code, duration …) in detail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mark {
    /// The same (normalised) record on both sides, or nothing to say.
    Same,
    /// Both sides have a record and they differ (a changed message; the first
    /// row of a step whose exit code or duration differs).
    Changed,
    /// The first row of a step that failed on one side only; in time mode, an
    /// error on one side.
    Failed,
    /// Only A has a record here (a step only A ran, a message only A wrote).
    OnlyA,
    /// Only B has a record here.
    OnlyB,
}

impl Mark {
    /// `same`, `changed`, `failed`, `only-a` or `only-b`.
    pub fn name(self) -> &'static str {
        match self {
            Mark::Same => "same",
            Mark::Changed => "changed",
            Mark::Failed => "failed",
            Mark::OnlyA => "only-a",
            Mark::OnlyB => "only-b",
        }
    }
}

/// One row of the comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AlignedRow {
    /// Record of A shown in this row.
    pub a: Option<usize>,
    /// Record of B shown in this row.
    pub b: Option<usize>,
    /// How they differ.
    pub mark: Mark,
}

/// The alignment was cancelled through its [`JobContext`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cancelled;

impl fmt::Display for Cancelled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cancelled")
    }
}

impl std::error::Error for Cancelled {}

/// Two logs lined up: the rows, each side's records mapped to rows, where
/// runs of differences start, and (step mode) the steps side by side.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Comparison {
    rows: Vec<AlignedRow>,
    steps: Vec<StepPair>,
    /// Rows where a run of differing rows starts.
    differences: Vec<usize>,
    /// Row of each record of A (`u32::MAX`: not shown).
    a_rows: Vec<u32>,
    /// Row of each record of B.
    b_rows: Vec<u32>,
    /// (first row, index in `steps`) of the steps with rows, by row.
    step_rows: Vec<(usize, usize)>,
    /// Rows from here on (records after the last step) belong to no step.
    steps_end_row: usize,
}

/// Row of each record of one side, from the rows' records of that side.
fn reverse_map(records: impl Iterator<Item = Option<usize>>) -> Vec<u32> {
    let mut map = Vec::new();
    for (row, record) in records.enumerate() {
        let Some(record) = record else { continue };
        if record >= map.len() {
            map.resize(record + 1, u32::MAX);
        }
        map[record] = u32::try_from(row).unwrap_or(u32::MAX);
    }
    map
}

impl Comparison {
    /// A comparison of `rows` with the step summary `steps`.
    pub fn new(rows: Vec<AlignedRow>, steps: Vec<StepPair>) -> Comparison {
        let differences = rows
            .iter()
            .enumerate()
            .filter(|&(i, r)| r.mark != Mark::Same && (i == 0 || rows[i - 1].mark != r.mark))
            .map(|(i, _)| i)
            .collect();
        let a_rows = reverse_map(rows.iter().map(|r| r.a));
        let b_rows = reverse_map(rows.iter().map(|r| r.b));
        let mut step_rows: Vec<(usize, usize)> = steps
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.row.map(|r| (r, i)))
            .collect();
        step_rows.sort_unstable();
        let steps_end_row = rows.len();
        Comparison {
            steps_end_row,
            rows,
            steps,
            differences,
            a_rows,
            b_rows,
            step_rows,
        }
    }

    /// The rows, in order.
    pub fn rows(&self) -> &[AlignedRow] {
        &self.rows
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True without rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Row `row`.
    pub fn get(&self, row: usize) -> Option<AlignedRow> {
        self.rows.get(row).copied()
    }

    /// The row showing record `record` of A.
    pub fn row_of_a(&self, record: usize) -> Option<usize> {
        self.a_rows
            .get(record)
            .filter(|&&r| r != u32::MAX)
            .map(|&r| r as usize)
    }

    /// The row showing record `record` of B.
    pub fn row_of_b(&self, record: usize) -> Option<usize> {
        self.b_rows
            .get(record)
            .filter(|&&r| r != u32::MAX)
            .map(|&r| r as usize)
    }

    /// Per step, A and B (step mode; empty without task-sequence steps and in
    /// the other modes: see [`summarise_steps`]).
    pub fn steps(&self) -> &[StepPair] {
        &self.steps
    }

    /// The step whose rows hold row `row` (step mode): the last step pair
    /// starting at or before it; none before the first step and after the last.
    pub fn step_for_row(&self, row: usize) -> Option<&StepPair> {
        if row >= self.steps_end_row {
            return None;
        }
        let i = self.step_rows.partition_point(|&(r, _)| r <= row);
        let (_, step) = *self.step_rows.get(i.checked_sub(1)?)?;
        self.steps.get(step)
    }

    /// Rows where a run of differing rows starts, in order (for marks in a
    /// scroll bar and for next/previous difference).
    pub fn difference_rows(&self) -> &[usize] {
        &self.differences
    }

    /// Number of runs of differing rows.
    pub fn difference_count(&self) -> usize {
        self.differences.len()
    }

    /// The first difference at or after row `from`.
    pub fn next_difference(&self, from: usize) -> Option<usize> {
        let i = self.differences.partition_point(|&d| d < from);
        self.differences.get(i).copied()
    }

    /// The last difference before row `before`.
    pub fn previous_difference(&self, before: usize) -> Option<usize> {
        let i = self.differences.partition_point(|&d| d < before);
        i.checked_sub(1).map(|i| self.differences[i])
    }
}

/// Lines up two indexed documents: reads their digests (and outlines in step
/// mode) and aligns them, reporting progress to `job` and stopping when it
/// is cancelled (`Err("cancelled")`).
pub fn compare_documents(
    a: &LogDocument,
    b: &LogDocument,
    mode: AlignMode,
    job: &JobContext,
) -> Result<Comparison, String> {
    let records = (a.record_count() + b.record_count()) as u64;
    let passes = if mode == AlignMode::Step { 3 } else { 2 };
    job.set_total(records * passes);
    let run = || -> Result<Comparison, Cancelled> {
        let da = digest_document(a, Some(job))?;
        let db = digest_document(b, Some(job))?;
        match mode {
            AlignMode::Message => align_by_message(&da, &db, Some(job)),
            AlignMode::Time => align_by_time(&da, &db, Some(job)),
            AlignMode::Step => {
                let oa = tasksequence::outline_document(a);
                job.advance(da.len() as u64);
                if job.cancelled() {
                    return Err(Cancelled);
                }
                let ob = tasksequence::outline_document(b);
                job.advance(db.len() as u64);
                align_by_step(&oa, &ob, &da, &db, Some(job))
            }
        }
    };
    run().map_err(|e| e.to_string())
}
