//! Lining up two logs for a side-by-side comparison (two copies of smsts.log
//! from two runs or two machines): by task-sequence step, by time since each
//! file's start, or by normalised message (times, GUIDs, numbers and paths
//! masked). The result is one list of rows, each holding a record of A, of
//! B, or of both, with a mark saying how they differ, and a per-step summary.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use crate::document::LogDocument;
use crate::jobs::JobContext;
use crate::model::Severity;
use crate::tasksequence::{self, Outline, StepKind, StepResult};

/// Records are read this many at a time.
const BATCH: usize = 4096;

/// Bytes of a record read for its normalised first line.
const READ_LIMIT: usize = 4096;

/// Gaps between anchors up to this many cells are diffed exactly (longest
/// common subsequence); larger ones are paired by position.
const EXACT_CELLS: usize = 4_000_000;

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

/// How the two sides of a row differ.
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
    /// A large difference in duration: both over 10 s and one more than
    /// twice the other, or more than 5 minutes apart.
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
    /// The comparison row of its first record.
    pub row: Option<usize>,
    /// How the two runs differ.
    pub differences: Vec<Difference>,
}

impl StepPair {
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
}

/// Two logs lined up.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Comparison {
    rows: Vec<AlignedRow>,
    steps: Vec<StepPair>,
    /// Rows where a run of differences starts.
    differences: Vec<usize>,
}

impl Comparison {
    fn new(rows: Vec<AlignedRow>, steps: Vec<StepPair>) -> Comparison {
        let differences = rows
            .iter()
            .enumerate()
            .filter(|&(i, r)| r.mark != Mark::Same && (i == 0 || rows[i - 1].mark != r.mark))
            .map(|(i, _)| i)
            .collect();
        Comparison {
            rows,
            steps,
            differences,
        }
    }

    /// The rows, in order.
    pub fn rows(&self) -> &[AlignedRow] {
        &self.rows
    }

    /// Per step, A and B (step mode; empty without task-sequence steps).
    pub fn steps(&self) -> &[StepPair] {
        &self.steps
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
struct Digest {
    /// Hash of the component and the normalised first line.
    key: u64,
    /// Wall clock as written.
    wall_ms: Option<i64>,
    severity: Severity,
}

/// A message with what differs between runs masked: numbers (times, dates,
/// pointers, sizes, thread ids), hex codes, GUIDs and paths.
pub fn normalise(message: &str) -> String {
    let line = message.split(['\r', '\n']).next().unwrap_or("");
    let bytes = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // A path: `C:\…`, `X:\…` or `\\server\…`, up to a space, quote or bracket.
        let drive = b.is_ascii_alphabetic()
            && bytes.get(i + 1) == Some(&b':')
            && bytes.get(i + 2) == Some(&b'\\')
            && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric());
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
        if b == b'0'
            && matches!(bytes.get(i + 1), Some(b'x' | b'X'))
            && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric())
        {
            i += 2;
            while i < bytes.len() && bytes[i].is_ascii_hexdigit() {
                i += 1;
            }
            out.push('#');
            continue;
        }
        if b.is_ascii_hexdigit() {
            // A run of hex digits, dashes and braces with at least one digit:
            // numbers, 0x codes, GUIDs.
            let start = i;
            let mut j = i;
            let mut digits = 0;
            while j < bytes.len()
                && (bytes[j].is_ascii_hexdigit() || (j > start && bytes[j] == b'-'))
            {
                digits += usize::from(bytes[j].is_ascii_digit());
                j += 1;
            }
            let word_start = start == 0 || !bytes[start - 1].is_ascii_alphabetic();
            let word_end = j >= bytes.len() || !bytes[j].is_ascii_alphabetic();
            if digits > 0 && word_start && word_end {
                out.push('#');
                i = j;
                continue;
            }
            out.push_str(&line[start..j.max(start + 1)]);
            i = j.max(start + 1);
            continue;
        }
        let c = line[i..].chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

fn digests(doc: &LogDocument, ctx: &JobContext) -> Option<Vec<Digest>> {
    let total = doc.record_count();
    let mut out = Vec::with_capacity(total);
    let mut at = 0;
    while at < total {
        if ctx.cancelled() {
            return None;
        }
        let end = (at + BATCH).min(total);
        for row in doc.rows(at..end, Some(READ_LIMIT)) {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            row.fields.component.hash(&mut h);
            normalise(&row.fields.message).hash(&mut h);
            out.push(Digest {
                key: h.finish(),
                wall_ms: row.fields.meta.wall_ms,
                severity: row.severity(),
            });
        }
        ctx.advance((end - at) as u64);
        at = end;
    }
    Some(out)
}

/// Lines up two indexed documents. `Err` when cancelled.
pub fn compare_documents(
    a: &LogDocument,
    b: &LogDocument,
    mode: AlignMode,
    ctx: &JobContext,
) -> Result<Comparison, String> {
    let cancelled = || "cancelled".to_owned();
    ctx.set_total((a.record_count() + b.record_count()) as u64);
    let da = digests(a, ctx).ok_or_else(cancelled)?;
    let db = digests(b, ctx).ok_or_else(cancelled)?;
    Ok(match mode {
        AlignMode::Message => Comparison::new(align_messages(&da, &db, 0, 0), Vec::new()),
        AlignMode::Time => Comparison::new(align_times(&da, &db), Vec::new()),
        AlignMode::Step => {
            let oa = tasksequence::outline_document(a);
            if ctx.cancelled() {
                return Err(cancelled());
            }
            let ob = tasksequence::outline_document(b);
            align_steps(&oa, &ob, &da, &db)
        }
    })
}

/// A diff of two digest sequences by key; `a0`/`b0` are the record numbers
/// of their first elements.
fn align_messages(a: &[Digest], b: &[Digest], a0: usize, b0: usize) -> Vec<AlignedRow> {
    let ka: Vec<u64> = a.iter().map(|d| d.key).collect();
    let kb: Vec<u64> = b.iter().map(|d| d.key).collect();
    let pairs = matching_pairs(&ka, &kb);
    let mut rows = rows_from_pairs(&pairs, ka.len(), kb.len(), a0, b0);
    // The same words with another outcome (an exit code masked as a number
    // that turned an information line into an error) still differ.
    for row in &mut rows {
        if let (Mark::Same, Some(i), Some(j)) = (row.mark, row.a, row.b)
            && a[i - a0].severity != b[j - b0].severity
        {
            row.mark = Mark::Changed;
        }
    }
    rows
}

/// Rows from matched index pairs (increasing on both sides): between two
/// matches, the unmatched records of A and B side by side as changed rows,
/// the rest on their own.
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
        let (gap_a, gap_b) = (pi - i, pj - j);
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

/// Index pairs of a longest-common-subsequence-like matching of `a` and `b`:
/// equal ends first, then keys unique on both sides as anchors (in order,
/// patience style), then an exact LCS in each gap small enough, and the
/// gaps' equal ends otherwise.
pub fn matching_pairs(a: &[u64], b: &[u64]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    match_range(a, b, 0, 0, &mut out, 0);
    out
}

fn match_range(
    a: &[u64],
    b: &[u64],
    a0: usize,
    b0: usize,
    out: &mut Vec<(usize, usize)>,
    depth: u32,
) {
    // Equal prefix and suffix.
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    for k in 0..prefix {
        out.push((a0 + k, b0 + k));
    }
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let (a0, b0) = (a0 + prefix, b0 + prefix);
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    if !ma.is_empty() && !mb.is_empty() {
        if ma.len().saturating_mul(mb.len()) <= EXACT_CELLS {
            lcs(ma, mb, a0, b0, out);
        } else if depth < 8 {
            let anchors = unique_anchors(ma, mb);
            if anchors.is_empty() {
                // Nothing to hold on to: the gap stays unmatched.
            } else {
                let (mut i, mut j) = (0, 0);
                for (ai, bj) in anchors {
                    match_range(&ma[i..ai], &mb[j..bj], a0 + i, b0 + j, out, depth + 1);
                    out.push((a0 + ai, b0 + bj));
                    (i, j) = (ai + 1, bj + 1);
                }
                match_range(&ma[i..], &mb[j..], a0 + i, b0 + j, out, depth + 1);
            }
        }
    }
    let (sa, sb) = (a0 + a.len() - suffix, b0 + b.len() - suffix);
    for k in 0..suffix {
        out.push((sa + k, sb + k));
    }
}

/// Keys that occur once in `a` and once in `b`, as index pairs forming the
/// longest chain increasing on both sides.
fn unique_anchors(a: &[u64], b: &[u64]) -> Vec<(usize, usize)> {
    let mut counts: HashMap<u64, (u32, u32, usize, usize)> = HashMap::new();
    for (i, &k) in a.iter().enumerate() {
        let e = counts.entry(k).or_insert((0, 0, i, 0));
        e.0 += 1;
    }
    for (j, &k) in b.iter().enumerate() {
        if let Some(e) = counts.get_mut(&k) {
            e.1 += 1;
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

/// Exact longest common subsequence of two short sequences.
fn lcs(a: &[u64], b: &[u64], a0: usize, b0: usize, out: &mut Vec<(usize, usize)>) {
    let (n, m) = (a.len(), b.len());
    let width = m + 1;
    let mut table = vec![0u32; (n + 1) * width];
    for i in (0..n).rev() {
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
}

/// Elapsed time since the first timed record, for each record; a record
/// without a time takes its predecessor's.
fn elapsed(d: &[Digest]) -> Vec<i64> {
    let start = d.iter().find_map(|x| x.wall_ms).unwrap_or(0);
    let mut last = 0;
    d.iter()
        .map(|x| {
            if let Some(w) = x.wall_ms {
                last = (w - start).max(last);
            }
            last
        })
        .collect()
}

/// Records at the same time since each file's start side by side: a merge
/// by elapsed time; a record pairs with the other side's next record when
/// they read the same and are within a second of each other.
fn align_times(a: &[Digest], b: &[Digest]) -> Vec<AlignedRow> {
    const TOGETHER_MS: i64 = 1000;
    let (ea, eb) = (elapsed(a), elapsed(b));
    let mut rows = Vec::with_capacity(a.len().max(b.len()));
    let (mut i, mut j) = (0, 0);
    let lone = |d: &Digest, only: Mark| {
        if d.severity == Severity::Error {
            Mark::Failed
        } else {
            let _ = only;
            Mark::Same
        }
    };
    while i < a.len() || j < b.len() {
        if i < a.len()
            && j < b.len()
            && a[i].key == b[j].key
            && (ea[i] - eb[j]).abs() <= TOGETHER_MS
        {
            rows.push(AlignedRow {
                a: Some(i),
                b: Some(j),
                mark: Mark::Same,
            });
            i += 1;
            j += 1;
        } else if j >= b.len() || (i < a.len() && ea[i] <= eb[j]) {
            rows.push(AlignedRow {
                a: Some(i),
                b: None,
                mark: lone(&a[i], Mark::OnlyA),
            });
            i += 1;
        } else {
            rows.push(AlignedRow {
                a: None,
                b: Some(j),
                mark: lone(&b[j], Mark::OnlyB),
            });
            j += 1;
        }
    }
    rows
}

/// What identifies a step across two runs.
fn step_key(s: &tasksequence::Step) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (&s.name, s.kind == StepKind::Group, s.depth).hash(&mut h);
    h.finish()
}

fn side(s: &tasksequence::Step) -> StepSide {
    StepSide {
        result: s.result,
        exit_code: s.exit_code,
        duration_ms: s.duration_ms,
        first_record: s.first_record,
    }
}

fn is_failure(r: StepResult) -> bool {
    matches!(r, StepResult::Failed | StepResult::FailedContinued)
}

/// How two runs of a step differ.
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
    if a.exit_code != b.exit_code && a.exit_code.is_some() && b.exit_code.is_some() {
        out.push(Difference::ExitCode);
    }
    if let (Some(x), Some(y)) = (a.duration_ms, b.duration_ms) {
        let (short, long) = (x.min(y), x.max(y));
        let large = (short > 10_000 && long > 2 * short) || long - short > 5 * 60_000;
        if large {
            out.push(Difference::Duration);
        }
    }
    out
}

/// The record ranges of the steps of one run: each from its first record to
/// the next step's first record (steps of the first file only).
fn segments(o: &Outline, total: usize) -> Vec<(usize, std::ops::Range<usize>)> {
    let mut starts: Vec<(usize, usize)> = o
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.file == 0 && s.first_record < total)
        .map(|(i, s)| (s.first_record, i))
        .collect();
    starts.sort_unstable();
    starts.dedup_by_key(|s| s.0);
    let mut out = Vec::with_capacity(starts.len());
    for (k, &(first, step)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(total, |n| n.0);
        out.push((step, first..end));
    }
    out
}

/// Lines up two runs step by step: the steps are matched (a diff of their
/// names, kinds and depths), each matched pair's records are diffed by
/// message, and a step only one run has shows on its side alone.
fn align_steps(oa: &Outline, ob: &Outline, da: &[Digest], db: &[Digest]) -> Comparison {
    let (sa, sb) = (segments(oa, da.len()), segments(ob, db.len()));
    let ka: Vec<u64> = sa.iter().map(|(i, _)| step_key(&oa.steps[*i])).collect();
    let kb: Vec<u64> = sb.iter().map(|(i, _)| step_key(&ob.steps[*i])).collect();
    let pairs = matching_pairs(&ka, &kb);
    let mut rows = Vec::with_capacity(da.len().max(db.len()));
    let mut steps = Vec::new();
    // Records before the first step.
    let head_a = sa.first().map_or(da.len(), |s| s.1.start);
    let head_b = sb.first().map_or(db.len(), |s| s.1.start);
    rows.extend(align_messages(&da[..head_a], &db[..head_b], 0, 0));
    let mut push_step = |rows: &mut Vec<AlignedRow>, a: Option<usize>, b: Option<usize>| {
        let step_a = a.map(|k| &oa.steps[sa[k].0]);
        let step_b = b.map(|k| &ob.steps[sb[k].0]);
        let (side_a, side_b) = (step_a.map(side), step_b.map(side));
        let differences = step_differences(side_a.as_ref(), side_b.as_ref());
        let first_row = rows.len();
        match (a, b) {
            (Some(x), Some(y)) => {
                let (ra, rb) = (sa[x].1.clone(), sb[y].1.clone());
                rows.extend(align_messages(
                    &da[ra.clone()],
                    &db[rb.clone()],
                    ra.start,
                    rb.start,
                ));
                let step_mark = if differences.contains(&Difference::FailedInOne) {
                    Some(Mark::Failed)
                } else if differences.is_empty() {
                    None
                } else {
                    Some(Mark::Changed)
                };
                if let (Some(mark), Some(row)) = (step_mark, rows.get_mut(first_row)) {
                    row.mark = mark;
                }
            }
            (Some(x), None) => rows.extend(sa[x].1.clone().map(|r| AlignedRow {
                a: Some(r),
                b: None,
                mark: Mark::OnlyA,
            })),
            (None, Some(y)) => rows.extend(sb[y].1.clone().map(|r| AlignedRow {
                a: None,
                b: Some(r),
                mark: Mark::OnlyB,
            })),
            (None, None) => return,
        }
        let any = step_a.or(step_b).expect("a step on one side");
        steps.push(StepPair {
            name: any.name.clone(),
            depth: any.depth,
            kind: any.kind,
            a: side_a,
            b: side_b,
            row: (rows.len() > first_row).then_some(first_row),
            differences,
        });
    };
    let (mut i, mut j) = (0, 0);
    for (pi, pj) in pairs.iter().copied().chain([(sa.len(), sb.len())]) {
        while i < pi {
            push_step(&mut rows, Some(i), None);
            i += 1;
        }
        while j < pj {
            push_step(&mut rows, None, Some(j));
            j += 1;
        }
        if pi < sa.len() && pj < sb.len() {
            push_step(&mut rows, Some(pi), Some(pj));
        }
        (i, j) = (pi + 1, pj + 1);
    }
    Comparison::new(rows, steps)
}

#[cfg(test)]
mod tests {
    use super::*;
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
        // Words with hex letters stay words.
        assert_eq!(
            normalise("Deadline added to cache"),
            "Deadline added to cache"
        );
        assert_eq!(normalise("line one\r\nline 2"), "line one");
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

    proptest! {
        /// On inputs small enough for the exact diff, the matching is a
        /// longest common subsequence, and the rows show every record once, in order.
        #[test]
        fn matching_is_a_longest_common_subsequence(
            a in proptest::collection::vec(0u64..6, 0..40),
            b in proptest::collection::vec(0u64..6, 0..40),
        ) {
            let pairs = matching_pairs(&a, &b);
            prop_assert_eq!(pairs.len(), naive_lcs_len(&a, &b));
            for w in pairs.windows(2) {
                prop_assert!(w[0].0 < w[1].0 && w[0].1 < w[1].1);
            }
            for &(i, j) in &pairs {
                prop_assert_eq!(a[i], b[j]);
            }
            let rows = rows_from_pairs(&pairs, a.len(), b.len(), 0, 0);
            let ra: Vec<usize> = rows.iter().filter_map(|r| r.a).collect();
            let rb: Vec<usize> = rows.iter().filter_map(|r| r.b).collect();
            prop_assert_eq!(ra, (0..a.len()).collect::<Vec<_>>());
            prop_assert_eq!(rb, (0..b.len()).collect::<Vec<_>>());
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
        assert!(pairs.iter().all(|&(i, j)| a[i] == b[j]));
    }

    fn digest(key: u64, wall_ms: Option<i64>, severity: Severity) -> Digest {
        Digest {
            key,
            wall_ms,
            severity,
        }
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
        let rows = align_times(&a, &b);
        let shape: Vec<(Option<usize>, Option<usize>, Mark)> =
            rows.iter().map(|r| (r.a, r.b, r.mark)).collect();
        assert_eq!(
            shape,
            vec![
                (Some(0), Some(0), Mark::Same),
                (Some(1), None, Mark::Same),
                (Some(2), None, Mark::Same),
                (None, Some(1), Mark::Same),
                (Some(3), None, Mark::Failed),
            ]
        );
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
        let marks: Vec<Mark> = align_messages(&a, &b, 10, 20)
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
        // Short steps: a few seconds more is not a difference.
        let quick = s(StepResult::Success, Some(0), 2_000);
        let less_quick = s(StepResult::Success, Some(0), 9_000);
        assert!(step_differences(Some(&quick), Some(&less_quick)).is_empty());
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
        assert_eq!(c.next_difference(0), Some(1));
        assert_eq!(c.next_difference(2), Some(4));
        assert_eq!(c.next_difference(5), None);
        assert_eq!(c.previous_difference(4), Some(1));
        assert_eq!(c.previous_difference(1), None);
    }
}
