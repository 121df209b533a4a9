//! The per-step summary: which step of run A is which step of run B
//! ([`StepPair`]; matched by name, kind and depth, the instruction pointer
//! breaking ties) and how the two runs of a step differ ([`Difference`],
//! [`step_differences`]). Works on the outlines given to it: never reads
//! documents or digests and never builds rows.

use std::hash::{DefaultHasher, Hash, Hasher};

use super::{Cancelled, EXACT_CELLS, Mark, matching_pairs};
use crate::tasksequence::{Outline, Step, StepKind, StepResult};

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
    /// A ran it, B skipped it (disabled, or its condition was false).
    SkippedInB,
    /// A skipped it, B ran it.
    SkippedInA,
    /// Different exit codes.
    ExitCode,
    /// A large difference in duration (see [`large_duration_difference`]).
    Duration,
}

impl Difference {
    /// `only-in-a`, `only-in-b`, `failed-in-one`, `skipped-in-b`,
    /// `skipped-in-a`, `exit-code` or `duration`.
    pub fn name(self) -> &'static str {
        match self {
            Difference::OnlyInA => "only-in-a",
            Difference::OnlyInB => "only-in-b",
            Difference::FailedInOne => "failed-in-one",
            Difference::SkippedInB => "skipped-in-b",
            Difference::SkippedInA => "skipped-in-a",
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
            Difference::SkippedInB => "ran in A, skipped in B",
            Difference::SkippedInA => "skipped in A, ran in B",
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
    pub(super) fn new(a: Option<&Step>, b: Option<&Step>, row: Option<usize>) -> Option<StepPair> {
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
    match (a.result.is_skipped(), b.result.is_skipped()) {
        (false, true) => out.push(Difference::SkippedInB),
        (true, false) => out.push(Difference::SkippedInA),
        _ => {}
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
pub(super) fn steps_by_record(o: &Outline, total: usize) -> Vec<&Step> {
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
pub(super) fn match_steps(a: &[&Step], b: &[&Step]) -> Vec<(usize, usize)> {
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
pub(super) fn walk_pairs(
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
