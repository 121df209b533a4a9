//! Alignment by time since each file's start ([`align_by_time`]): a merge
//! by elapsed time that pairs the same record logged within a second.
//! Works on the digests given to it: never reads documents and never looks
//! at task-sequence steps.

use super::control::{Control, PROGRESS_STEP};
use super::{AlignedRow, Cancelled, Comparison, Mark, RecordDigest};
use crate::jobs::JobContext;
use crate::model::Severity;

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
