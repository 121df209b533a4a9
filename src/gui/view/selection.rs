//! Which view rows are selected ([`Selection`], ranges so a Shift+click over
//! millions of rows stays small) and sets of record numbers ([`RecordSet`]).
//! Plain data: never reads a document, never draws.

use std::ops::Range;

/// Selected view rows, as sorted, non-overlapping ranges (a Shift+click over
/// millions of rows stays one range).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    ranges: Vec<Range<usize>>,
}

impl Selection {
    /// Selects only `row`.
    pub fn set(&mut self, row: usize) {
        self.ranges.clear();
        self.ranges.push(row..row + 1);
    }

    /// Selects exactly `a..=b` (in either order).
    pub fn set_range(&mut self, a: usize, b: usize) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        self.ranges.clear();
        self.ranges.push(lo..hi + 1);
    }

    /// Adds or removes one row.
    pub fn toggle(&mut self, row: usize) {
        if self.contains(row) {
            let mut next = Vec::new();
            for r in self.ranges.drain(..) {
                if r.contains(&row) {
                    if r.start < row {
                        next.push(r.start..row);
                    }
                    if row + 1 < r.end {
                        next.push(row + 1..r.end);
                    }
                } else {
                    next.push(r);
                }
            }
            self.ranges = next;
        } else {
            let at = self.ranges.partition_point(|r| r.end <= row);
            self.ranges.insert(at, row..row + 1);
            self.normalise();
        }
    }

    fn normalise(&mut self) {
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(self.ranges.len());
        for r in self.ranges.drain(..) {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        self.ranges = merged;
    }

    /// True when `row` is selected.
    pub fn contains(&self, row: usize) -> bool {
        let at = self.ranges.partition_point(|r| r.end <= row);
        self.ranges.get(at).is_some_and(|r| r.contains(&row))
    }

    /// Number of selected rows.
    pub fn len(&self) -> usize {
        self.ranges.iter().map(ExactSizeIterator::len).sum()
    }

    /// True when nothing is selected.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// First and last selected row.
    pub fn bounds(&self) -> Option<(usize, usize)> {
        Some((self.ranges.first()?.start, self.ranges.last()?.end - 1))
    }

    /// Every selected row, in order.
    pub fn rows(&self) -> impl Iterator<Item = usize> + '_ {
        self.ranges.iter().flat_map(Clone::clone)
    }

    /// Drops rows at or after `len` (the view got shorter).
    pub fn clip(&mut self, len: usize) {
        self.ranges.retain(|r| r.start < len);
        if let Some(last) = self.ranges.last_mut() {
            last.end = last.end.min(len);
        }
    }

    /// Clears the selection.
    pub fn clear(&mut self) {
        self.ranges.clear();
    }
}

/// A set of record numbers of one file (one bit per record).
#[derive(Clone, Debug, Default)]
pub struct RecordSet {
    bits: Vec<u64>,
}

impl RecordSet {
    /// Adds a record.
    pub fn insert(&mut self, record: usize) {
        let word = record / 64;
        if self.bits.len() <= word {
            self.bits.resize(word + 1, 0);
        }
        self.bits[word] |= 1 << (record % 64);
    }

    /// True when the record is in the set.
    pub fn contains(&self, record: usize) -> bool {
        self.bits
            .get(record / 64)
            .is_some_and(|w| w & (1 << (record % 64)) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_ranges() {
        let mut s = Selection::default();
        s.set_range(10, 2);
        assert_eq!(s.len(), 9);
        s.toggle(5);
        assert!(!s.contains(5));
        assert_eq!(s.len(), 8);
        s.toggle(5);
        assert_eq!(s.len(), 9);
        s.toggle(20);
        assert_eq!(s.bounds(), Some((2, 20)));
        s.clip(8);
        assert_eq!(s.rows().collect::<Vec<_>>(), vec![2, 3, 4, 5, 6, 7]);
        s.set_range(0, 5_000_000);
        assert_eq!(s.len(), 5_000_001);
    }
}
