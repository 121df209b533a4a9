//! Alignment by normalised message ([`align_by_message`]): equal heads and
//! tails first, an exact longest common subsequence for small gaps, patience
//! anchors to cut large ones, capped Myers' diff, pairing by position once
//! the work budget is spent (see the parent module's documentation). Works
//! on the digests and keys given to it: never reads documents or outlines
//! and never looks at times.

use std::collections::HashMap;

use super::control::Control;
use super::{AlignedRow, Cancelled, Comparison, EXACT_CELLS, MAX_EDITS, Mark, RecordDigest};
use crate::jobs::JobContext;

/// How often a large gap is cut at unique anchors, recursively.
const MAX_ANCHOR_DEPTH: u32 = 8;

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
pub(super) fn align_messages(
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
pub(super) fn rows_from_pairs(
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
pub(super) fn match_range(
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
pub(super) fn myers(
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
