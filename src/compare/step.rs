//! Alignment by task-sequence step ([`align_by_step`]): the records of each
//! pair of matched steps diffed by message, a step only one run has on its
//! side alone. Works on the outlines and digests given to it: never reads
//! documents; matching the steps is the summary's job and diffing records
//! the message diff's.

use std::ops::Range;

use super::control::Control;
use super::message::align_messages;
use super::summary::{StepPair, match_steps, steps_by_record, walk_pairs};
use super::{AlignedRow, Cancelled, Comparison, Mark, RecordDigest};
use crate::jobs::JobContext;
use crate::tasksequence::{Outline, Step};

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
