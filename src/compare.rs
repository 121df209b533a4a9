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

use std::collections::HashMap;
use std::fmt;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Range;

use rayon::prelude::*;

use crate::document::{LogDocument, Row};
use crate::jobs::JobContext;
use crate::model::Severity;
use crate::tasksequence::{self, Outline, Step, StepKind, StepResult};

/// Records are read this many at a time.
const BATCH: usize = 4096;

/// Bytes of a record read for its normalised first line.
const READ_LIMIT: usize = 4096;

/// Gaps of at most this many cells (records of A × records of B) get an
/// exact longest common subsequence table.
pub const EXACT_CELLS: usize = 1 << 22;

/// Most edits Myers' diff looks for in a large gap without anchors.
pub const MAX_EDITS: usize = 1024;

/// Table cells and diagonal steps one alignment may spend on exact diffs
/// (about a second); what is left after that is paired by position.
pub const WORK_BUDGET: u64 = 400_000_000;

/// How often a large gap is cut at unique anchors, recursively.
const MAX_ANCHOR_DEPTH: u32 = 8;

/// Progress is reported in steps of this many records.
const PROGRESS_STEP: u64 = 1 << 16;

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

/// One side of a step in the summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepSide {
    /// How it ended.
    pub result: StepResult,
    /// Its exit code.
    pub exit_code: Option<u32>,
    /// Its duration without reboots.
    pub duration_ms: Option<i64>,
    /// Its first record.
    pub first_record: usize,
}

impl StepSide {
    fn of(step: &Step) -> StepSide {
        StepSide {
            result: step.result,
            exit_code: step.exit_code,
            duration_ms: step.duration_ms,
            first_record: step.first_record,
        }
    }
}

/// A way two runs of a step differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Difference {
    /// Only A ran (or logged) the step.
    OnlyInA,
    /// Only B ran the step.
    OnlyInB,
    /// It failed on one side and not on the other.
    FailedInOne,
    /// Different exit codes.
    ExitCode,
    /// A large difference in duration (see [`large_duration_difference`]).
    Duration,
}

impl Difference {
    /// `only-in-a`, `only-in-b`, `failed-in-one`, `exit-code` or `duration`.
    pub fn name(self) -> &'static str {
        match self {
            Difference::OnlyInA => "only-in-a",
            Difference::OnlyInB => "only-in-b",
            Difference::FailedInOne => "failed-in-one",
            Difference::ExitCode => "exit-code",
            Difference::Duration => "duration",
        }
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Difference::OnlyInA => "only in A",
            Difference::OnlyInB => "only in B",
            Difference::FailedInOne => "failed in one",
            Difference::ExitCode => "exit code",
            Difference::Duration => "duration",
        }
    }
}

/// A step of the summary: the same step in A and in B (or in one of them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepPair {
    /// Name.
    pub name: String,
    /// Nesting depth.
    pub depth: usize,
    /// Group or step.
    pub kind: StepKind,
    /// In A.
    pub a: Option<StepSide>,
    /// In B.
    pub b: Option<StepSide>,
    /// The comparison row of its first record (step mode; `None` in a summary
    /// made without a comparison, or when the step has no records of its own).
    pub row: Option<usize>,
    /// How the two runs differ.
    pub differences: Vec<Difference>,
}

impl StepPair {
    fn new(a: Option<&Step>, b: Option<&Step>, row: Option<usize>) -> Option<StepPair> {
        let any = a.or(b)?;
        let (side_a, side_b) = (a.map(StepSide::of), b.map(StepSide::of));
        let differences = step_differences(side_a.as_ref(), side_b.as_ref());
        Some(StepPair {
            name: any.name.clone(),
            depth: any.depth,
            kind: any.kind,
            a: side_a,
            b: side_b,
            row,
            differences,
        })
    }

    /// The differences for people, comma-separated.
    pub fn differences_text(&self) -> String {
        self.differences
            .iter()
            .map(|d| d.label())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// True when the step failed in one run only.
    pub fn failed_in_one(&self) -> bool {
        self.differences.contains(&Difference::FailedInOne)
    }

    /// The mark of the step's first row: failed in one, changed (exit code,
    /// duration), only in A or B, or the same.
    pub fn mark(&self) -> Mark {
        if self.differences.contains(&Difference::OnlyInA) {
            Mark::OnlyA
        } else if self.differences.contains(&Difference::OnlyInB) {
            Mark::OnlyB
        } else if self.failed_in_one() {
            Mark::Failed
        } else if self.differences.is_empty() {
            Mark::Same
        } else {
            Mark::Changed
        }
    }
}

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

/// A record reduced to what the comparison needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordDigest {
    /// Hash of the component and the normalised first line of the message.
    pub key: u64,
    /// Wall clock as written, ms since 1970.
    pub wall_ms: Option<i64>,
    /// Severity.
    pub severity: Severity,
}

impl RecordDigest {
    /// The digest of a record with these fields.
    pub fn new(
        component: &str,
        message: &str,
        wall_ms: Option<i64>,
        severity: Severity,
    ) -> RecordDigest {
        let mut h = DefaultHasher::new();
        component.hash(&mut h);
        normalise(message).hash(&mut h);
        RecordDigest {
            key: h.finish(),
            wall_ms,
            severity,
        }
    }

    /// The digest of a row.
    pub fn of_row(row: &Row) -> RecordDigest {
        RecordDigest::new(
            &row.fields.component,
            &row.fields.message,
            row.fields.meta.wall_ms,
            row.severity(),
        )
    }
}

/// True when a masked run may start at `i`: not inside a word.
fn word_start(bytes: &[u8], i: usize) -> bool {
    i == 0 || !bytes[i - 1].is_ascii_alphanumeric()
}

/// A message with what differs between runs masked: its first line only,
/// with paths (`C:\…`, `X:\…`, `\\server\…`, up to a space, quote, bracket,
/// comma or semicolon) as `<path>`, and numbers — decimal, `0x` hex, hex
/// runs with a digit, GUIDs, so times, dates, pointers, sizes, thread ids
/// and codes — as `#`. Words that happen to be hex letters (`Deadline`) stay.
pub fn normalise(message: &str) -> String {
    let line = message.split(['\r', '\n']).next().unwrap_or("");
    let bytes = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let drive = b.is_ascii_alphabetic()
            && bytes.get(i + 1) == Some(&b':')
            && bytes.get(i + 2) == Some(&b'\\')
            && word_start(bytes, i);
        let unc = b == b'\\' && bytes.get(i + 1) == Some(&b'\\');
        if drive || unc {
            while i < bytes.len()
                && !matches!(bytes[i], b' ' | b'"' | b'\'' | b')' | b']' | b',' | b';')
            {
                i += 1;
            }
            out.push_str("<path>");
            continue;
        }
        if b == b'0' && matches!(bytes.get(i + 1), Some(b'x' | b'X')) && word_start(bytes, i) {
            i += 2;
            while i < bytes.len() && bytes[i].is_ascii_hexdigit() {
                i += 1;
            }
            out.push('#');
            continue;
        }
        if b.is_ascii_hexdigit() {
            // A run of hex digits and inner dashes with at least one decimal
            // digit: numbers, GUIDs, hex codes without `0x`.
            let start = i;
            let mut j = i;
            let mut digits = 0;
            while j < bytes.len()
                && (bytes[j].is_ascii_hexdigit() || (j > start && bytes[j] == b'-'))
            {
                digits += usize::from(bytes[j].is_ascii_digit());
                j += 1;
            }
            let starts_word = start == 0 || !bytes[start - 1].is_ascii_alphabetic();
            let ends_word = j >= bytes.len() || !bytes[j].is_ascii_alphabetic();
            if digits > 0 && starts_word && ends_word {
                out.push('#');
            } else {
                // Hex letters and dashes only: ASCII, so `j` is a char boundary.
                out.push_str(&line[start..j]);
            }
            i = j;
            continue;
        }
        let c = line[i..].chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// Digests of every record of `doc` (read in parallel batches), in order.
/// Stops at a batch that came back short (the file shrank meanwhile).
pub fn digest_document(
    doc: &LogDocument,
    job: Option<&JobContext>,
) -> Result<Vec<RecordDigest>, Cancelled> {
    let total = doc.record_count();
    let batches: Vec<Option<Vec<RecordDigest>>> = (0..total.div_ceil(BATCH))
        .into_par_iter()
        .map(|n| {
            if job.is_some_and(JobContext::cancelled) {
                return None;
            }
            let range = n * BATCH..((n + 1) * BATCH).min(total);
            let wanted = range.len();
            let out: Vec<RecordDigest> = doc
                .rows(range, Some(READ_LIMIT))
                .iter()
                .map(RecordDigest::of_row)
                .collect();
            if let Some(job) = job {
                job.advance(wanted as u64);
            }
            Some(out)
        })
        .collect();
    let mut out = Vec::with_capacity(total);
    for batch in batches {
        let batch = batch.ok_or(Cancelled)?;
        let short = batch.len() < BATCH;
        out.extend(batch);
        if short {
            break;
        }
    }
    Ok(out)
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

/// Cancel flag, progress and the shared work budget of one alignment.
struct Control<'a> {
    job: Option<&'a JobContext>,
    budget: u64,
    unreported: u64,
}

impl<'a> Control<'a> {
    fn new(job: Option<&'a JobContext>) -> Control<'a> {
        Control {
            job,
            budget: WORK_BUDGET,
            unreported: 0,
        }
    }

    fn check(&self) -> Result<(), Cancelled> {
        match self.job {
            Some(job) if job.cancelled() => Err(Cancelled),
            _ => Ok(()),
        }
    }

    /// `records` more records (of A or B) have their place.
    fn advance(&mut self, records: usize) {
        self.unreported += records as u64;
        if self.unreported >= PROGRESS_STEP {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if let Some(job) = self.job
            && self.unreported > 0
        {
            job.advance(self.unreported);
        }
        self.unreported = 0;
    }

    /// Takes `work` from the budget; false (and nothing taken) when it
    /// does not have that much left.
    fn spend(&mut self, work: u64) -> bool {
        if work > self.budget {
            return false;
        }
        self.budget -= work;
        true
    }
}

/// A diff of two digest sequences by key (see the module documentation for
/// how it scales). A pair with equal keys and different severities is
/// changed: the same words with another outcome.
pub fn align_by_message(
    a: &[RecordDigest],
    b: &[RecordDigest],
    job: Option<&JobContext>,
) -> Result<Comparison, Cancelled> {
    let mut control = Control::new(job);
    let rows = align_messages(a, b, 0, 0, &mut control)?;
    control.flush();
    Ok(Comparison::new(rows, Vec::new()))
}

/// Rows of a diff of `a` and `b`, whose first records are `a0` and `b0`.
fn align_messages(
    a: &[RecordDigest],
    b: &[RecordDigest],
    a0: usize,
    b0: usize,
    control: &mut Control,
) -> Result<Vec<AlignedRow>, Cancelled> {
    let ka: Vec<u64> = a.iter().map(|d| d.key).collect();
    let kb: Vec<u64> = b.iter().map(|d| d.key).collect();
    let mut pairs = Vec::new();
    match_range(&ka, &kb, 0, 0, &mut pairs, 0, control)?;
    let mut rows = rows_from_pairs(&pairs, ka.len(), kb.len(), a0, b0);
    for row in &mut rows {
        if let (Mark::Same, Some(i), Some(j)) = (row.mark, row.a, row.b)
            && a[i - a0].severity != b[j - b0].severity
        {
            row.mark = Mark::Changed;
        }
    }
    Ok(rows)
}

/// Rows from matched index pairs (increasing on both sides): between two
/// matches, the unmatched records of A and B side by side as changed rows,
/// the rest on their own. `a0`/`b0` are added to the record numbers.
fn rows_from_pairs(
    pairs: &[(usize, usize)],
    len_a: usize,
    len_b: usize,
    a0: usize,
    b0: usize,
) -> Vec<AlignedRow> {
    let mut rows = Vec::with_capacity(len_a.max(len_b));
    let (mut i, mut j) = (0, 0);
    let ends = pairs.iter().copied().chain([(len_a, len_b)]);
    for (pi, pj) in ends {
        let (gap_a, gap_b) = (pi.saturating_sub(i), pj.saturating_sub(j));
        for k in 0..gap_a.max(gap_b) {
            let a = (k < gap_a).then(|| a0 + i + k);
            let b = (k < gap_b).then(|| b0 + j + k);
            let mark = match (a, b) {
                (Some(_), Some(_)) => Mark::Changed,
                (Some(_), None) => Mark::OnlyA,
                _ => Mark::OnlyB,
            };
            rows.push(AlignedRow { a, b, mark });
        }
        if pi < len_a && pj < len_b {
            rows.push(AlignedRow {
                a: Some(a0 + pi),
                b: Some(b0 + pj),
                mark: Mark::Same,
            });
        }
        (i, j) = (pi + 1, pj + 1);
    }
    rows
}

/// Index pairs of a longest-common-subsequence-like matching of `a` and `b`
/// (exact while the gaps are small; see the module documentation).
pub fn matching_pairs(a: &[u64], b: &[u64]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut control = Control::new(None);
    // Without a job nothing can cancel.
    let _ = match_range(a, b, 0, 0, &mut out, 0, &mut control);
    out
}

/// Appends to `out` the matched pairs of `a` and `b` (offset by `a0`/`b0`),
/// in increasing order.
fn match_range(
    a: &[u64],
    b: &[u64],
    a0: usize,
    b0: usize,
    out: &mut Vec<(usize, usize)>,
    depth: u32,
    control: &mut Control,
) -> Result<(), Cancelled> {
    control.check()?;
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    out.extend((0..prefix).map(|k| (a0 + k, b0 + k)));
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let (a0, b0) = (a0 + prefix, b0 + prefix);
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    control.advance(2 * (prefix + suffix));
    let cells = ma.len().saturating_mul(mb.len());
    if ma.is_empty() || mb.is_empty() {
        control.advance(ma.len() + mb.len());
    } else if cells <= EXACT_CELLS && control.spend(cells as u64) {
        lcs(ma, mb, a0, b0, out, control)?;
        control.advance(ma.len() + mb.len());
    } else {
        let anchors = if depth < MAX_ANCHOR_DEPTH {
            unique_anchors(ma, mb)
        } else {
            Vec::new()
        };
        if !anchors.is_empty() {
            let (mut i, mut j) = (0, 0);
            for (ai, bj) in anchors {
                match_range(
                    &ma[i..ai],
                    &mb[j..bj],
                    a0 + i,
                    b0 + j,
                    out,
                    depth + 1,
                    control,
                )?;
                out.push((a0 + ai, b0 + bj));
                control.advance(2);
                (i, j) = (ai + 1, bj + 1);
            }
            match_range(&ma[i..], &mb[j..], a0 + i, b0 + j, out, depth + 1, control)?;
        } else {
            match myers(ma, mb, control)? {
                Some(pairs) => out.extend(pairs.into_iter().map(|(i, j)| (a0 + i, b0 + j))),
                None => out.extend(
                    ma.iter()
                        .zip(mb)
                        .enumerate()
                        .filter(|(_, (x, y))| x == y)
                        .map(|(k, _)| (a0 + k, b0 + k)),
                ),
            }
            control.advance(ma.len() + mb.len());
        }
    }
    let (sa, sb) = (a0 + ma.len(), b0 + mb.len());
    out.extend((0..suffix).map(|k| (sa + k, sb + k)));
    Ok(())
}

/// Keys that occur once in `a` and once in `b`, as index pairs forming the
/// longest chain increasing on both sides (patience anchors).
fn unique_anchors(a: &[u64], b: &[u64]) -> Vec<(usize, usize)> {
    // Per key: count in A, count in B, index in A, index in B.
    let mut counts: HashMap<u64, (u32, u32, usize, usize)> = HashMap::with_capacity(a.len());
    for (i, &k) in a.iter().enumerate() {
        let e = counts.entry(k).or_insert((0, 0, i, 0));
        e.0 = e.0.saturating_add(1);
    }
    for (j, &k) in b.iter().enumerate() {
        if let Some(e) = counts.get_mut(&k) {
            e.1 = e.1.saturating_add(1);
            e.3 = j;
        }
    }
    let mut candidates: Vec<(usize, usize)> = counts
        .values()
        .filter(|e| e.0 == 1 && e.1 == 1)
        .map(|e| (e.2, e.3))
        .collect();
    candidates.sort_unstable();
    // Longest increasing subsequence of the B indexes (patience sorting).
    let mut tails: Vec<usize> = Vec::new();
    let mut previous = vec![usize::MAX; candidates.len()];
    for (n, &(_, j)) in candidates.iter().enumerate() {
        let at = tails.partition_point(|&t| candidates[t].1 < j);
        if at > 0 {
            previous[n] = tails[at - 1];
        }
        if at == tails.len() {
            tails.push(n);
        } else {
            tails[at] = n;
        }
    }
    let mut chain = Vec::with_capacity(tails.len());
    let mut n = tails.last().copied().unwrap_or(usize::MAX);
    while n != usize::MAX {
        chain.push(candidates[n]);
        n = previous[n];
    }
    chain.reverse();
    chain
}

/// Exact longest common subsequence of two short sequences (a table of
/// `a.len() × b.len()` cells).
fn lcs(
    a: &[u64],
    b: &[u64],
    a0: usize,
    b0: usize,
    out: &mut Vec<(usize, usize)>,
    control: &Control,
) -> Result<(), Cancelled> {
    let (n, m) = (a.len(), b.len());
    let width = m + 1;
    let mut table = vec![0u32; (n + 1) * width];
    for i in (0..n).rev() {
        if i % 256 == 0 {
            control.check()?;
        }
        for j in (0..m).rev() {
            table[i * width + j] = if a[i] == b[j] {
                table[(i + 1) * width + j + 1] + 1
            } else {
                table[(i + 1) * width + j].max(table[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            out.push((a0 + i, b0 + j));
            i += 1;
            j += 1;
        } else if table[(i + 1) * width + j] >= table[i * width + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    Ok(())
}

/// Myers' O(ND) diff: the pairs of a longest common subsequence, or `None`
/// when more than [`MAX_EDITS`] edits are needed or the work budget runs out.
/// Keeps the furthest-reaching x of every diagonal of every round (at most
/// `MAX_EDITS²` numbers) to walk the path back.
fn myers(
    a: &[u64],
    b: &[u64],
    control: &mut Control,
) -> Result<Option<Vec<(usize, usize)>>, Cancelled> {
    let (n, m) = (a.len() as i64, b.len() as i64);
    let limit = MAX_EDITS.min(a.len() + b.len()) as i64;
    let offset = limit + 1;
    let mut v = vec![0i64; 2 * limit as usize + 3];
    // Round d's furthest x for diagonals -d..=d, at index k + d.
    let mut trace: Vec<Vec<i64>> = Vec::new();
    let at = |k: i64| (offset + k) as usize;
    for d in 0..=limit {
        if d % 32 == 0 {
            control.check()?;
        }
        let mut work = 0u64;
        let mut reached = false;
        for k in (-d..=d).step_by(2) {
            let mut x = if k == -d || (k != d && v[at(k - 1)] < v[at(k + 1)]) {
                v[at(k + 1)]
            } else {
                v[at(k - 1)] + 1
            };
            let mut y = x - k;
            let from = x;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            work += 1 + (x - from) as u64;
            v[at(k)] = x;
            if x >= n && y >= m {
                reached = true;
                break;
            }
        }
        trace.push(v[at(-d)..=at(d)].to_vec());
        if !control.spend(work) {
            return Ok(None);
        }
        if reached {
            return Ok(Some(myers_path(a, b, &trace)));
        }
    }
    Ok(None)
}

/// Walks Myers' rounds back from the end: the matched pairs, in order.
fn myers_path(a: &[u64], b: &[u64], trace: &[Vec<i64>]) -> Vec<(usize, usize)> {
    let (mut x, mut y) = (a.len() as i64, b.len() as i64);
    let mut pairs = Vec::new();
    for d in (1..trace.len() as i64).rev() {
        let previous = &trace[d as usize - 1];
        let get = |k: i64| previous[(k + d - 1) as usize];
        let k = x - y;
        let down = k == -d || (k != d && get(k - 1) < get(k + 1));
        let previous_k = if down { k + 1 } else { k - 1 };
        let previous_x = get(previous_k);
        let previous_y = previous_x - previous_k;
        // The snake starts after the one edit of this round.
        let (start_x, start_y) = if down {
            (previous_x, previous_y + 1)
        } else {
            (previous_x + 1, previous_y)
        };
        while x > start_x && y > start_y {
            x -= 1;
            y -= 1;
            pairs.push((x as usize, y as usize));
        }
        (x, y) = (previous_x, previous_y);
    }
    while x > 0 && y > 0 {
        x -= 1;
        y -= 1;
        pairs.push((x as usize, y as usize));
    }
    pairs.reverse();
    pairs
}

/// Elapsed time since the first timed record, for each record; a record
/// without a time (or with a time before its predecessor's) takes its
/// predecessor's, so it stays right after it.
fn elapsed(d: &[RecordDigest]) -> Vec<i64> {
    let start = d.iter().find_map(|x| x.wall_ms).unwrap_or(0);
    let mut last = 0;
    d.iter()
        .map(|x| {
            if let Some(w) = x.wall_ms {
                last = w.saturating_sub(start).max(last);
            }
            last
        })
        .collect()
}

/// Records at the same time since each file's start (wall clock as
/// written, minus the file's first timed record) side by side: a merge by
/// elapsed time, A first on ties; a record pairs with the other side's next
/// record when they read the same and are within a second of each other.
/// A record on its own is marked only when it is an error ([`Mark::Failed`]):
/// two runs rarely log at the same instant, so being alone is no difference.
pub fn align_by_time(
    a: &[RecordDigest],
    b: &[RecordDigest],
    job: Option<&JobContext>,
) -> Result<Comparison, Cancelled> {
    const TOGETHER_MS: i64 = 1000;
    let mut control = Control::new(job);
    let (ea, eb) = (elapsed(a), elapsed(b));
    let mut rows = Vec::with_capacity(a.len().max(b.len()));
    let alone = |d: &RecordDigest| {
        if d.severity == Severity::Error {
            Mark::Failed
        } else {
            Mark::Same
        }
    };
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if rows.len() % (PROGRESS_STEP as usize) == 0 {
            control.check()?;
        }
        if i < a.len()
            && j < b.len()
            && a[i].key == b[j].key
            && (ea[i] - eb[j]).abs() <= TOGETHER_MS
        {
            let mark = if a[i].severity == b[j].severity {
                Mark::Same
            } else {
                Mark::Changed
            };
            rows.push(AlignedRow {
                a: Some(i),
                b: Some(j),
                mark,
            });
            (i, j) = (i + 1, j + 1);
            control.advance(2);
        } else if j >= b.len() || (i < a.len() && ea[i] <= eb[j]) {
            rows.push(AlignedRow {
                a: Some(i),
                b: None,
                mark: alone(&a[i]),
            });
            i += 1;
            control.advance(1);
        } else {
            rows.push(AlignedRow {
                a: None,
                b: Some(j),
                mark: alone(&b[j]),
            });
            j += 1;
            control.advance(1);
        }
    }
    control.flush();
    Ok(Comparison::new(rows, Vec::new()))
}

/// True for the two failed results.
fn is_failure(r: StepResult) -> bool {
    matches!(r, StepResult::Failed | StepResult::FailedContinued)
}

/// The duration rule: a difference is large when both runs took more than
/// 10 s and one took more than twice the other, or when they are more than
/// 5 minutes apart whatever their length.
pub fn large_duration_difference(a_ms: i64, b_ms: i64) -> bool {
    let (short, long) = (a_ms.min(b_ms), a_ms.max(b_ms));
    (short > 10_000 && long > short.saturating_mul(2)) || long.saturating_sub(short) > 5 * 60_000
}

/// How two runs of a step differ: only in one run; failed in one run only
/// (failed or failed-continued against anything else); both exit codes known
/// and different; a large duration difference ([`large_duration_difference`]).
pub fn step_differences(a: Option<&StepSide>, b: Option<&StepSide>) -> Vec<Difference> {
    let (a, b) = match (a, b) {
        (Some(a), Some(b)) => (a, b),
        (Some(_), None) => return vec![Difference::OnlyInA],
        (None, Some(_)) => return vec![Difference::OnlyInB],
        (None, None) => return Vec::new(),
    };
    let mut out = Vec::new();
    if is_failure(a.result) != is_failure(b.result) {
        out.push(Difference::FailedInOne);
    }
    if let (Some(x), Some(y)) = (a.exit_code, b.exit_code)
        && x != y
    {
        out.push(Difference::ExitCode);
    }
    if let (Some(x), Some(y)) = (a.duration_ms, b.duration_ms)
        && large_duration_difference(x, y)
    {
        out.push(Difference::Duration);
    }
    out
}

/// The steps of the first file of an outline whose first record is below
/// `total`, ordered by first record (outline order on ties).
fn steps_by_record(o: &Outline, total: usize) -> Vec<&Step> {
    let mut steps: Vec<&Step> = o
        .steps
        .iter()
        .filter(|s| s.file == 0 && s.first_record < total)
        .collect();
    steps.sort_by_key(|s| s.first_record);
    steps
}

/// What identifies a step across two runs: name, kind and depth.
fn step_identity(s: &Step) -> u64 {
    let mut h = DefaultHasher::new();
    (&s.name, s.kind, s.depth).hash(&mut h);
    h.finish()
}

/// Matches two runs' steps: a longest common subsequence of their
/// identities (name, kind, depth), among equally long ones the one where
/// most matched steps also share their instruction pointer. Robust to a
/// step only one run has (inserted, skipped, retried).
fn match_steps(a: &[&Step], b: &[&Step]) -> Vec<(usize, usize)> {
    let ka: Vec<u64> = a.iter().map(|s| step_identity(s)).collect();
    let kb: Vec<u64> = b.iter().map(|s| step_identity(s)).collect();
    let (n, m) = (a.len(), b.len());
    if n.saturating_mul(m) > EXACT_CELLS {
        return matching_pairs(&ka, &kb);
    }
    // A match is worth more than all pointer bonuses together.
    let weight = (n + m + 1) as u64;
    let gain = |i: usize, j: usize| {
        weight + u64::from(a[i].pointer.is_some() && a[i].pointer == b[j].pointer)
    };
    let width = m + 1;
    let mut table = vec![0u64; (n + 1) * width];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let skip = table[(i + 1) * width + j].max(table[i * width + j + 1]);
            table[i * width + j] = if ka[i] == kb[j] {
                skip.max(gain(i, j) + table[(i + 1) * width + j + 1])
            } else {
                skip
            };
        }
    }
    let mut pairs = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        let here = table[i * width + j];
        if ka[i] == kb[j] && here == gain(i, j) + table[(i + 1) * width + j + 1] {
            pairs.push((i, j));
            (i, j) = (i + 1, j + 1);
        } else if table[(i + 1) * width + j] == here {
            i += 1;
        } else {
            j += 1;
        }
    }
    pairs
}

/// The steps of two outlines side by side, matched as in step mode, without
/// rows (for the summary in the time and message modes, or without documents).
pub fn summarise_steps(a: &Outline, b: &Outline) -> Vec<StepPair> {
    let (sa, sb) = (
        steps_by_record(a, usize::MAX),
        steps_by_record(b, usize::MAX),
    );
    let mut out = Vec::with_capacity(sa.len().max(sb.len()));
    walk_pairs(&match_steps(&sa, &sb), sa.len(), sb.len(), |x, y| {
        out.extend(StepPair::new(x.map(|x| sa[x]), y.map(|y| sb[y]), None));
        Ok(())
    })
    .unwrap_or_default();
    out
}

/// Calls `visit` for every element of two sequences in order given their
/// matched pairs: unmatched ones of A, then of B, then the next pair.
fn walk_pairs(
    pairs: &[(usize, usize)],
    len_a: usize,
    len_b: usize,
    mut visit: impl FnMut(Option<usize>, Option<usize>) -> Result<(), Cancelled>,
) -> Result<(), Cancelled> {
    let (mut i, mut j) = (0, 0);
    for (pi, pj) in pairs.iter().copied().chain([(len_a, len_b)]) {
        for x in i..pi {
            visit(Some(x), None)?;
        }
        for y in j..pj {
            visit(None, Some(y))?;
        }
        if pi < len_a && pj < len_b {
            visit(Some(pi), Some(pj))?;
        }
        (i, j) = (pi + 1, pj + 1);
    }
    Ok(())
}

/// Record ranges of ordered steps: each from its first record to the next
/// step's (empty when they share it); the last ends after the last record
/// of any step. Returns the ranges and where the records after the steps start.
fn step_ranges(steps: &[&Step], total: usize) -> (Vec<Range<usize>>, usize) {
    let after = steps
        .iter()
        .filter(|s| s.last_file == 0 && s.last_record >= s.first_record)
        .map(|s| s.last_record.saturating_add(1))
        .max()
        .unwrap_or(0)
        .max(steps.last().map_or(0, |s| s.first_record + 1))
        .min(total);
    let ranges = steps
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let end = steps.get(k + 1).map_or(after, |n| n.first_record);
            s.first_record..end.max(s.first_record)
        })
        .collect();
    (ranges, after)
}

fn only_rows(range: Range<usize>, side_a: bool) -> impl Iterator<Item = AlignedRow> {
    range.map(move |r| AlignedRow {
        a: side_a.then_some(r),
        b: (!side_a).then_some(r),
        mark: if side_a { Mark::OnlyA } else { Mark::OnlyB },
    })
}

/// Lines up two runs step by step: the steps are matched (name, kind and
/// depth; pointer as a tiebreak), each matched pair's records (from its first
/// record to the next step's) are diffed by message with the step's mark on
/// its first row, a step only one run has shows on its side alone, and the
/// records before the first step and after the last are diffed by message.
/// Only the steps of each outline's first file are used; the digests are
/// that file's records.
pub fn align_by_step(
    oa: &Outline,
    ob: &Outline,
    da: &[RecordDigest],
    db: &[RecordDigest],
    job: Option<&JobContext>,
) -> Result<Comparison, Cancelled> {
    let mut control = Control::new(job);
    let (sa, sb) = (steps_by_record(oa, da.len()), steps_by_record(ob, db.len()));
    let (ra, after_a) = step_ranges(&sa, da.len());
    let (rb, after_b) = step_ranges(&sb, db.len());
    let pairs = match_steps(&sa, &sb);
    let mut rows = Vec::with_capacity(da.len().max(db.len()));
    let mut steps = Vec::with_capacity(sa.len().max(sb.len()));
    let head_a = ra.first().map_or(after_a, |r| r.start);
    let head_b = rb.first().map_or(after_b, |r| r.start);
    rows.extend(align_messages(
        &da[..head_a],
        &db[..head_b],
        0,
        0,
        &mut control,
    )?);
    walk_pairs(&pairs, sa.len(), sb.len(), |x, y| {
        let first_row = rows.len();
        let step = StepPair::new(x.map(|x| sa[x]), y.map(|y| sb[y]), None);
        match (x, y) {
            (Some(x), Some(y)) => {
                let (ra, rb) = (ra[x].clone(), rb[y].clone());
                rows.extend(align_messages(
                    &da[ra.clone()],
                    &db[rb.clone()],
                    ra.start,
                    rb.start,
                    &mut control,
                )?);
                if let (Some(step), Some(row)) = (&step, rows.get_mut(first_row))
                    && step.mark() != Mark::Same
                {
                    row.mark = step.mark();
                }
            }
            (Some(x), None) => {
                control.advance(ra[x].len());
                rows.extend(only_rows(ra[x].clone(), true));
            }
            (None, Some(y)) => {
                control.advance(rb[y].len());
                rows.extend(only_rows(rb[y].clone(), false));
            }
            (None, None) => {}
        }
        if let Some(mut step) = step {
            step.row = (rows.len() > first_row).then_some(first_row);
            steps.push(step);
        }
        control.check()
    })?;
    let steps_end_row = rows.len();
    rows.extend(align_messages(
        &da[after_a..],
        &db[after_b..],
        after_a,
        after_b,
        &mut control,
    )?);
    control.flush();
    let mut comparison = Comparison::new(rows, steps);
    comparison.steps_end_row = steps_end_row;
    Ok(comparison)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::Job;
    use crate::tasksequence::{Outcome, Phase};
    use proptest::prelude::*;

    #[test]
    fn normalising_masks_what_differs_between_runs() {
        assert_eq!(
            normalise(
                "Successfully completed the action (Apply Operating System) with the exit win32 code 0"
            ),
            "Successfully completed the action (Apply Operating System) with the exit win32 code #"
        );
        assert_eq!(
            normalise(
                "Set a global environment variable _SMSTSLogPath=X:\\WINDOWS\\TEMP\\SMSTSLog"
            ),
            normalise(
                "Set a global environment variable _SMSTSLogPath=C:\\WINDOWS\\CCM\\Logs\\SMSTSLog"
            )
        );
        assert_eq!(
            normalise(
                "Package {6F0F7B8E-2B8A-4F4B-9D2D-2C1B7E9A0F11} size 1234 bytes, error 0x80070002"
            ),
            "Package {#} size # bytes, error #"
        );
        assert_eq!(
            normalise("Downloading \\\\CM01\\SMSPKGD$\\P0100012\\setup.exe to cache"),
            "Downloading <path> to cache"
        );
        assert_eq!(
            normalise("Reboot at 11-24-2026 15:04:05.123 (thread 1234, 80070643)"),
            "Reboot at # #:#:#.# (thread #, #)"
        );
        // Words with hex letters stay words; so do words with digits inside.
        assert_eq!(
            normalise("Deadline added to cache"),
            "Deadline added to cache"
        );
        assert_eq!(normalise("Win32 x64 ABC"), "Win32 x64 ABC");
        assert_eq!(normalise("line one\r\nline 2"), "line one");
        assert_eq!(normalise("Größe 12 äöü"), "Größe # äöü");
        assert_eq!(normalise(""), "");
    }

    fn naive_lcs_len(a: &[u64], b: &[u64]) -> usize {
        let mut t = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for i in (0..a.len()).rev() {
            for j in (0..b.len()).rev() {
                t[i][j] = if a[i] == b[j] {
                    t[i + 1][j + 1] + 1
                } else {
                    t[i + 1][j].max(t[i][j + 1])
                };
            }
        }
        t[0][0]
    }

    /// Pairs increase on both sides and join equal keys.
    fn assert_valid_pairs(a: &[u64], b: &[u64], pairs: &[(usize, usize)]) {
        for w in pairs.windows(2) {
            assert!(w[0].0 < w[1].0 && w[0].1 < w[1].1, "{w:?}");
        }
        for &(i, j) in pairs {
            assert_eq!(a[i], b[j], "pair ({i}, {j})");
        }
    }

    fn digests(keys: &[u64]) -> Vec<RecordDigest> {
        keys.iter()
            .map(|&key| RecordDigest {
                key,
                wall_ms: None,
                severity: Severity::Info,
            })
            .collect()
    }

    proptest! {
        /// On inputs small enough for the exact diff, the matching is a
        /// longest common subsequence, and the rows show every record once,
        /// in order, with reverse maps pointing back at them.
        #[test]
        fn matching_is_a_longest_common_subsequence(
            a in proptest::collection::vec(0u64..6, 0..40),
            b in proptest::collection::vec(0u64..6, 0..40),
        ) {
            let pairs = matching_pairs(&a, &b);
            prop_assert_eq!(pairs.len(), naive_lcs_len(&a, &b));
            assert_valid_pairs(&a, &b, &pairs);
            let comparison = align_by_message(&digests(&a), &digests(&b), None).unwrap();
            let ra: Vec<usize> = comparison.rows().iter().filter_map(|r| r.a).collect();
            let rb: Vec<usize> = comparison.rows().iter().filter_map(|r| r.b).collect();
            prop_assert_eq!(ra, (0..a.len()).collect::<Vec<_>>());
            prop_assert_eq!(rb, (0..b.len()).collect::<Vec<_>>());
            let same = comparison.rows().iter().filter(|r| r.mark == Mark::Same).count();
            prop_assert_eq!(same, pairs.len());
            for record in 0..a.len() {
                let row = comparison.row_of_a(record).unwrap();
                prop_assert_eq!(comparison.get(row).unwrap().a, Some(record));
            }
            for record in 0..b.len() {
                let row = comparison.row_of_b(record).unwrap();
                prop_assert_eq!(comparison.get(row).unwrap().b, Some(record));
            }
            prop_assert_eq!(comparison.row_of_a(a.len()), None);
        }

        /// Myers' diff finds a longest common subsequence too.
        #[test]
        fn myers_is_a_longest_common_subsequence(
            a in proptest::collection::vec(0u64..5, 1..60),
            b in proptest::collection::vec(0u64..5, 1..60),
        ) {
            let mut control = Control::new(None);
            let pairs = myers(&a, &b, &mut control).unwrap().unwrap();
            prop_assert_eq!(pairs.len(), naive_lcs_len(&a, &b));
            assert_valid_pairs(&a, &b, &pairs);
        }
    }

    #[test]
    fn unique_anchors_keep_a_long_diff_in_order() {
        // Too big for the exact table: anchors and gaps.
        let a: Vec<u64> = (0..3000).collect();
        let mut b: Vec<u64> = (0..3000).filter(|x| x % 100 != 7).collect();
        b.insert(1500, 99_999);
        let pairs = matching_pairs(&a, &b);
        assert_eq!(pairs.len(), 3000 - 30);
        assert_valid_pairs(&a, &b, &pairs);
    }

    #[test]
    fn a_large_gap_without_unique_lines_is_diffed_by_myers() {
        // 40,000 records of two alternating lines: no anchors, and far too
        // many cells for the table; B lost two records and gained one.
        let a: Vec<u64> = (0..40_000).map(|i| i % 2).collect();
        let mut b = a.clone();
        b.remove(30_001);
        b.remove(10_000);
        b.insert(20_000, 7);
        let pairs = matching_pairs(&a, &b);
        assert_eq!(pairs.len(), 40_000 - 2);
        assert_valid_pairs(&a, &b, &pairs);
    }

    #[test]
    fn past_the_budget_a_gap_is_paired_by_position() {
        let a: Vec<u64> = (0..5000).map(|i| i % 3).collect();
        // Every other record as in A, the others new; a new last record.
        let mut b: Vec<u64> = (0..4000)
            .map(|k| if k % 2 == 0 { a[k] } else { 5 })
            .collect();
        b.push(99);
        let mut control = Control::new(None);
        control.budget = 0;
        let mut pairs = Vec::new();
        match_range(&a, &b, 0, 0, &mut pairs, 0, &mut control).unwrap();
        assert_valid_pairs(&a, &b, &pairs);
        let expected: Vec<(usize, usize)> = (0..4000).step_by(2).map(|k| (k, k)).collect();
        assert_eq!(pairs, expected);
        // Every record still gets its row.
        let rows = rows_from_pairs(&pairs, a.len(), b.len(), 0, 0);
        assert_eq!(rows.len(), 5000);
        assert_eq!(rows.iter().filter(|r| r.a.is_some()).count(), 5000);
        assert_eq!(rows.iter().filter(|r| r.b.is_some()).count(), 4001);
    }

    #[test]
    fn a_million_records_a_side_line_up() {
        // Mostly unique lines with runs of repeated ones, a few edits.
        let n = 1_000_000u64;
        let a: Vec<u64> = (0..n)
            .map(|i| if i % 10 < 3 { i % 10 } else { 1000 + i })
            .collect();
        let mut b: Vec<u64> = a.iter().copied().filter(|&k| k % 250_000 != 1007).collect();
        b.insert(500_000, 42);
        let started = std::time::Instant::now();
        let pairs = matching_pairs(&a, &b);
        assert_valid_pairs(&a, &b, &pairs);
        assert_eq!(pairs.len(), b.len() - 1);
        // Generous for an unoptimised build on a busy machine.
        assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
    }

    #[test]
    fn alignment_stops_when_cancelled() {
        let keys: Vec<u64> = (0..50_000).collect();
        let (a, b) = (digests(&keys), digests(&keys[1..]));
        let job = Job::spawn("compare-cancel-test", None, move |ctx| {
            while !ctx.cancelled() {
                std::thread::yield_now();
            }
            align_by_message(&a, &b, Some(ctx))
        });
        job.cancel();
        assert_eq!(job.wait(), Ok(Err(Cancelled)));
    }

    #[test]
    fn alignment_reports_progress_for_every_record() {
        let a = digests(&(0..70_000).collect::<Vec<_>>());
        let b = digests(&(5..70_000).collect::<Vec<_>>());
        let job = Job::spawn("compare-progress-test", None, move |ctx| {
            ctx.set_total((a.len() + b.len()) as u64);
            align_by_message(&a, &b, Some(ctx)).map(|c| c.len())
        });
        while !job.is_finished() {
            std::thread::yield_now();
        }
        assert_eq!(job.progress(), 1.0);
        assert_eq!(job.wait(), Ok(Ok(70_000)));
    }

    fn digest(key: u64, wall_ms: Option<i64>, severity: Severity) -> RecordDigest {
        RecordDigest {
            key,
            wall_ms,
            severity,
        }
    }

    fn shape(c: &Comparison) -> Vec<(Option<usize>, Option<usize>, Mark)> {
        c.rows().iter().map(|r| (r.a, r.b, r.mark)).collect()
    }

    #[test]
    fn time_alignment_pairs_the_same_record_at_the_same_elapsed_time() {
        let a = [
            digest(1, Some(1_000), Severity::Info),
            digest(2, Some(3_000), Severity::Info),
            digest(3, None, Severity::Info),
            digest(4, Some(9_000), Severity::Error),
        ];
        // B started a day later; its second record came 5 s in.
        let day = 86_400_000;
        let b = [
            digest(1, Some(day + 500), Severity::Info),
            digest(2, Some(day + 5_500), Severity::Info),
        ];
        let c = align_by_time(&a, &b, None).unwrap();
        assert_eq!(
            shape(&c),
            vec![
                (Some(0), Some(0), Mark::Same),
                (Some(1), None, Mark::Same),
                // Without a time: right after its predecessor.
                (Some(2), None, Mark::Same),
                (None, Some(1), Mark::Same),
                (Some(3), None, Mark::Failed),
            ]
        );
        assert_eq!(c.difference_rows(), &[4]);
        assert_eq!(c.row_of_b(1), Some(3));
    }

    #[test]
    fn the_same_words_with_another_severity_differ() {
        let a = [
            digest(1, None, Severity::Info),
            digest(2, None, Severity::Info),
        ];
        let b = [
            digest(1, None, Severity::Info),
            digest(2, None, Severity::Error),
        ];
        let marks: Vec<Mark> = align_by_message(&a, &b, None)
            .unwrap()
            .rows()
            .iter()
            .map(|r| r.mark)
            .collect();
        assert_eq!(marks, vec![Mark::Same, Mark::Changed]);
    }

    #[test]
    fn step_differences_follow_the_rules() {
        let s = |result, code, ms| StepSide {
            result,
            exit_code: code,
            duration_ms: Some(ms),
            first_record: 0,
        };
        let ok = s(StepResult::Success, Some(0), 30_000);
        assert!(step_differences(Some(&ok), Some(&ok)).is_empty());
        assert_eq!(step_differences(Some(&ok), None), vec![Difference::OnlyInA]);
        assert_eq!(step_differences(None, Some(&ok)), vec![Difference::OnlyInB]);
        let failed = s(StepResult::FailedContinued, Some(0x8007_0643), 31_000);
        assert_eq!(
            step_differences(Some(&ok), Some(&failed)),
            vec![Difference::FailedInOne, Difference::ExitCode]
        );
        let slow = s(StepResult::Success, Some(0), 12 * 60_000);
        assert_eq!(
            step_differences(Some(&ok), Some(&slow)),
            vec![Difference::Duration]
        );
        // Short steps: a few seconds more is not a difference …
        assert!(!large_duration_difference(2_000, 9_000));
        // … twice as long is, once both are over 10 s …
        assert!(large_duration_difference(11_000, 22_001));
        assert!(!large_duration_difference(11_000, 22_000));
        // … and so is more than 5 minutes, however short the other one.
        assert!(large_duration_difference(1_000, 302_000));
        assert!(!large_duration_difference(600_000, 890_000));
    }

    #[test]
    fn differences_are_found_forward_and_backward() {
        let row = |mark| AlignedRow {
            a: Some(0),
            b: Some(0),
            mark,
        };
        let c = Comparison::new(
            vec![
                row(Mark::Same),
                row(Mark::OnlyA),
                row(Mark::OnlyA),
                row(Mark::Same),
                row(Mark::Failed),
            ],
            Vec::new(),
        );
        assert_eq!(c.difference_count(), 2);
        assert_eq!(c.difference_rows(), &[1, 4]);
        assert_eq!(c.next_difference(0), Some(1));
        assert_eq!(c.next_difference(2), Some(4));
        assert_eq!(c.next_difference(5), None);
        assert_eq!(c.previous_difference(4), Some(1));
        assert_eq!(c.previous_difference(1), None);
    }

    /// A step of a hand-built outline.
    fn step(
        name: &str,
        pointer: u32,
        depth: usize,
        kind: StepKind,
        records: Range<usize>,
        (result, exit_code, duration_ms): (StepResult, u32, i64),
    ) -> Step {
        Step {
            name: name.to_owned(),
            pointer: Some(pointer),
            depth,
            kind,
            start_wall_ms: None,
            start_utc_ms: None,
            end_wall_ms: None,
            end_utc_ms: None,
            duration_ms: Some(duration_ms),
            result,
            exit_code: Some(exit_code),
            exit_name: None,
            exit_meaning: None,
            component: None,
            reboot_before: false,
            reboots: 0,
            phase: Phase::Unknown,
            boot: 0,
            file: 0,
            first_record: records.start,
            last_file: 0,
            last_record: records.end - 1,
        }
    }

    fn outline(steps: Vec<Step>, records: usize) -> Outline {
        Outline {
            steps,
            outcome: Outcome::Completed,
            phases: Vec::new(),
            name: None,
            standalone: false,
            table_size: None,
            overlapping_records: 0,
            records,
        }
    }

    use StepKind::{Group, Step as Action};
    use StepResult::{FailedContinued, Success};

    /// Run A: a group with two applications; run B installed one more
    /// application (a step only B has) and the VPN client failed there.
    fn two_runs() -> (Outline, Outline, Vec<RecordDigest>, Vec<RecordDigest>) {
        let a = outline(
            vec![
                step(
                    "Install Applications",
                    0,
                    0,
                    Group,
                    2..3,
                    (Success, 0, 90_000),
                ),
                step("Install VPN", 1, 1, Action, 3..6, (Success, 0, 40_000)),
                step("Install Office", 2, 1, Action, 6..9, (Success, 0, 50_000)),
            ],
            11,
        );
        let b = outline(
            vec![
                step(
                    "Install Applications",
                    0,
                    0,
                    Group,
                    2..3,
                    (Success, 0, 95_000),
                ),
                step(
                    "Install VPN",
                    1,
                    1,
                    Action,
                    3..7,
                    (FailedContinued, 1603, 41_000),
                ),
                step("Install Zoom", 2, 1, Action, 7..9, (Success, 0, 20_000)),
                step("Install Office", 3, 1, Action, 9..12, (Success, 0, 50_000)),
            ],
            14,
        );
        // Keys: 1xx engine lines, 2xx VPN, 3xx Office, 4xx Zoom, 9xx the end.
        let da = digests(&[100, 101, 102, 200, 201, 202, 300, 301, 302, 900, 901]);
        let db = digests(&[
            100, 101, 102, 200, 201, 203, 202, 400, 401, 300, 301, 302, 900, 901,
        ]);
        (a, b, da, db)
    }

    #[test]
    fn step_alignment_lines_up_two_runs_that_differ_in_one_step() {
        let (oa, ob, da, db) = two_runs();
        let c = align_by_step(&oa, &ob, &da, &db, None).unwrap();
        use Mark::{Changed, Failed, OnlyB, Same};
        assert_eq!(
            shape(&c),
            vec![
                (Some(0), Some(0), Same),
                (Some(1), Some(1), Same),
                // The group: same result, durations close.
                (Some(2), Some(2), Same),
                // The VPN step failed in B: its first row says so; B logged one more line.
                (Some(3), Some(3), Failed),
                (Some(4), Some(4), Same),
                (None, Some(5), OnlyB),
                (Some(5), Some(6), Same),
                // Zoom only in B.
                (None, Some(7), OnlyB),
                (None, Some(8), OnlyB),
                // Office lines up again although its pointer moved.
                (Some(6), Some(9), Same),
                (Some(7), Some(10), Same),
                (Some(8), Some(11), Same),
                // After the last step.
                (Some(9), Some(12), Same),
                (Some(10), Some(13), Same),
            ]
        );
        let names: Vec<(&str, Vec<Difference>, Option<usize>)> = c
            .steps()
            .iter()
            .map(|s| (s.name.as_str(), s.differences.clone(), s.row))
            .collect();
        assert_eq!(
            names,
            vec![
                ("Install Applications", vec![], Some(2)),
                (
                    "Install VPN",
                    vec![Difference::FailedInOne, Difference::ExitCode],
                    Some(3)
                ),
                ("Install Zoom", vec![Difference::OnlyInB], Some(7)),
                ("Install Office", vec![], Some(9)),
            ]
        );
        let office = &c.steps()[3];
        assert_eq!(office.a.as_ref().map(|s| s.first_record), Some(6));
        assert_eq!(office.b.as_ref().map(|s| s.first_record), Some(9));
        assert_eq!(c.difference_rows(), &[3, 5, 7]);
        assert_eq!(
            c.step_for_row(8).map(|s| s.name.as_str()),
            Some("Install Zoom")
        );
        assert_eq!(c.step_for_row(1), None);
        assert_eq!(
            c.step_for_row(11).map(|s| s.name.as_str()),
            Some("Install Office")
        );
        assert_eq!(c.step_for_row(12), None);
        assert_eq!(c.row_of_b(9), Some(9));
        assert_eq!(c.row_of_a(6), Some(9));
        // The summary without documents matches the same steps.
        let summary = summarise_steps(&oa, &ob);
        let expected: Vec<StepPair> = c
            .steps()
            .iter()
            .cloned()
            .map(|mut s| {
                s.row = None;
                s
            })
            .collect();
        assert_eq!(summary, expected);
        let changed = c.rows().iter().filter(|r| r.mark == Changed).count();
        assert_eq!(changed, 0);
    }

    #[test]
    fn a_step_entered_twice_matches_the_run_with_the_same_pointer() {
        let a = outline(
            vec![
                step("Restart Computer", 4, 0, Action, 0..1, (Success, 0, 1_000)),
                step("Restart Computer", 9, 0, Action, 1..2, (Success, 0, 1_000)),
            ],
            2,
        );
        let b = outline(
            vec![step(
                "Restart Computer",
                9,
                0,
                Action,
                0..1,
                (Success, 0, 1_000),
            )],
            1,
        );
        let summary = summarise_steps(&a, &b);
        let sides: Vec<(bool, bool)> = summary
            .iter()
            .map(|s| (s.a.is_some(), s.b.is_some()))
            .collect();
        assert_eq!(sides, vec![(true, false), (true, true)]);
    }

    #[test]
    fn logs_without_steps_are_diffed_by_message() {
        let empty = outline(Vec::new(), 0);
        let (a, b) = (digests(&[1, 2, 3]), digests(&[1, 3]));
        let c = align_by_step(&empty, &empty, &a, &b, None).unwrap();
        assert_eq!(
            shape(&c),
            vec![
                (Some(0), Some(0), Mark::Same),
                (Some(1), None, Mark::OnlyA),
                (Some(2), Some(1), Mark::Same),
            ]
        );
        assert!(c.steps().is_empty());
        // Steps pointing past the digests (a file that shrank) are left out.
        let (oa, ob, _, _) = two_runs();
        let c = align_by_step(&oa, &ob, &a, &b, None).unwrap();
        assert_eq!(c.rows().iter().filter(|r| r.a.is_some()).count(), 3);
        assert_eq!(c.rows().iter().filter(|r| r.b.is_some()).count(), 2);
    }

    #[test]
    fn modes_have_names() {
        for mode in [AlignMode::Step, AlignMode::Time, AlignMode::Message] {
            assert_eq!(AlignMode::from_name(mode.name()), Some(mode));
        }
        assert_eq!(AlignMode::from_name("lines"), None);
    }
}
