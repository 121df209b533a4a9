//! The record index: for every record its byte offset, severity and time,
//! stored compactly (9 bytes per record plus small per-block and per-zone
//! tables), and the parallel builder that fills it.
//! Never parses: `build` fills it.

mod build;

pub(crate) use build::chunk_ranges;
pub use build::{BuildOptions, Cancelled, IndexProgress, index_range};

use crate::formats::RecordMeta;
use crate::model::{Direction, Severity, SeverityCounts, ZoneKind};
use crate::time::MS_PER_MINUTE;

/// Marks a record without a time in `time_deltas`.
const NO_TIME: i32 = i32::MIN;

/// Records share a base offset and a base time; a new block starts when a
/// delta would not fit in 32 bits.
#[derive(Clone, Copy, Debug)]
struct Block {
    first_record: usize,
    offset_base: u64,
    /// `None` until the block's first timed record.
    time_base: Option<i64>,
}

/// A run of records whose times share one zone rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ZoneRun {
    first_record: usize,
    zone: ZoneKind,
    utc_adjust_minutes: i32,
}

/// One record as the builder hands it to [`RecordIndex::extend`]: 24 bytes
/// rather than a start, an end and a [`RecordMeta`] (the end is the next
/// record's start).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pending {
    pub(crate) start: u64,
    /// Wall-clock ms; meaningful when `timed`.
    wall_ms: i64,
    utc_adjust_minutes: i32,
    severity: Severity,
    zone: ZoneKind,
    timed: bool,
    eof_dependent: bool,
}

impl Pending {
    pub(crate) fn new(start: u64, meta: RecordMeta, eof_dependent: bool) -> Pending {
        Pending {
            start,
            wall_ms: meta.wall_ms.unwrap_or_default(),
            utc_adjust_minutes: meta.utc_adjust_minutes,
            severity: meta.severity,
            zone: meta.zone,
            timed: meta.wall_ms.is_some(),
            eof_dependent,
        }
    }
}

/// True when `t - base` fits a time delta.
fn time_delta_fits(t: i64, base: i64) -> bool {
    t.checked_sub(base)
        .is_some_and(|d| d > i64::from(NO_TIME) && d <= i64::from(i32::MAX))
}

/// One record as the index returns it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IndexedRecord {
    /// Byte offset of the record's first byte in the file.
    pub start: u64,
    /// Byte offset just after the record (the next record's start).
    pub end: u64,
    /// Severity, wall-clock time and zone.
    pub meta: RecordMeta,
}

/// Offsets, severities and times of every record of one file.
#[derive(Clone, Debug, Default)]
pub struct RecordIndex {
    blocks: Vec<Block>,
    offset_deltas: Vec<u32>,
    time_deltas: Vec<i32>,
    severities: Vec<u8>,
    zone_runs: Vec<ZoneRun>,
    counts: SeverityCounts,
    zone_counts: [u64; 4],
    /// Where the last record ends.
    end: u64,
    /// First record whose extent could change when bytes are appended.
    provisional_from: Option<usize>,
}

fn zone_slot(zone: ZoneKind) -> usize {
    match zone {
        ZoneKind::Bias => 0,
        ZoneKind::EastOffset => 1,
        ZoneKind::Local => 2,
        ZoneKind::None => 3,
    }
}

impl RecordIndex {
    /// An empty index whose first record will start at `origin` (after the BOM).
    pub fn new(origin: u64) -> RecordIndex {
        RecordIndex {
            end: origin,
            ..RecordIndex::default()
        }
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.severities.len()
    }

    /// True when there are no records.
    pub fn is_empty(&self) -> bool {
        self.severities.is_empty()
    }

    /// Records per severity.
    pub fn counts(&self) -> SeverityCounts {
        self.counts
    }

    /// Where the last record ends (the next byte to index).
    pub fn end(&self) -> u64 {
        self.end
    }

    /// The first record that may change when the file grows, if any.
    pub fn provisional_from(&self) -> Option<usize> {
        self.provisional_from
    }

    /// Reserves room for `additional` more records.
    pub fn reserve(&mut self, additional: usize) {
        self.offset_deltas.reserve(additional);
        self.time_deltas.reserve(additional);
        self.severities.reserve(additional);
    }

    /// Releases spare capacity (after a full build).
    pub fn shrink_to_fit(&mut self) {
        self.offset_deltas.shrink_to_fit();
        self.time_deltas.shrink_to_fit();
        self.severities.shrink_to_fit();
        self.blocks.shrink_to_fit();
        self.zone_runs.shrink_to_fit();
    }

    /// Heap bytes held by the index (capacity, not length).
    pub fn heap_bytes(&self) -> usize {
        self.offset_deltas.capacity() * 4
            + self.time_deltas.capacity() * 4
            + self.severities.capacity()
            + self.blocks.capacity() * std::mem::size_of::<Block>()
            + self.zone_runs.capacity() * std::mem::size_of::<ZoneRun>()
    }

    /// Appends a record starting at `start` and ending at `end`.
    pub fn push(&mut self, start: u64, end: u64, meta: RecordMeta, eof_dependent: bool) {
        debug_assert!(
            start >= self.end || self.is_empty(),
            "records must be appended in order"
        );
        let record = self.len();
        let fits = self.blocks.last().is_some_and(|b| {
            start - b.offset_base <= u64::from(u32::MAX)
                && match (b.time_base, meta.wall_ms) {
                    (Some(base), Some(t)) => t
                        .checked_sub(base)
                        .is_some_and(|d| d > i64::from(NO_TIME) && d <= i64::from(i32::MAX)),
                    _ => true,
                }
        });
        if !fits {
            self.blocks.push(Block {
                first_record: record,
                offset_base: start,
                time_base: meta.wall_ms,
            });
        }
        let block = self
            .blocks
            .last_mut()
            .expect("a block exists after the check above");
        let offset_delta = u32::try_from(start - block.offset_base).expect("checked to fit");
        let time_delta = match meta.wall_ms {
            Some(t) => {
                let base = *block.time_base.get_or_insert(t);
                i32::try_from(t - base).expect("checked to fit")
            }
            None => NO_TIME,
        };
        self.offset_deltas.push(offset_delta);
        self.time_deltas.push(time_delta);
        self.severities.push(meta.severity as u8);
        self.counts.add(meta.severity);
        if meta.wall_ms.is_some() {
            self.zone_counts[zone_slot(meta.zone)] += 1;
            let current = self
                .zone_runs
                .last()
                .map(|r| (r.zone, r.utc_adjust_minutes));
            if current != Some((meta.zone, meta.utc_adjust_minutes)) {
                self.zone_runs.push(ZoneRun {
                    first_record: record,
                    zone: meta.zone,
                    utc_adjust_minutes: meta.utc_adjust_minutes,
                });
            }
        }
        if eof_dependent && self.provisional_from.is_none() {
            self.provisional_from = Some(record);
        }
        self.end = end;
    }

    /// Appends records in file order, the last of them ending at `end`: the
    /// same as [`push`](Self::push) for each, without its per-record lookups.
    pub(crate) fn extend(&mut self, records: &[Pending], end: u64) {
        let Some(first) = records.first() else {
            return;
        };
        debug_assert!(
            first.start >= self.end || self.is_empty(),
            "records must be appended in order"
        );
        self.reserve(records.len());
        // The current block and zone run, kept in locals and written back.
        let mut block = self.blocks.pop();
        let mut run = self
            .zone_runs
            .last()
            .map(|r| (r.zone, r.utc_adjust_minutes));
        let mut counts = [0u64; 3];
        for (record, r) in (self.len()..).zip(records) {
            let fits = block.as_ref().is_some_and(|b| {
                r.start - b.offset_base <= u64::from(u32::MAX)
                    && (!r.timed
                        || b.time_base
                            .is_none_or(|base| time_delta_fits(r.wall_ms, base)))
            });
            let b = match &mut block {
                Some(b) if fits => b,
                _ => {
                    self.blocks.extend(block.take());
                    block.insert(Block {
                        first_record: record,
                        offset_base: r.start,
                        time_base: r.timed.then_some(r.wall_ms),
                    })
                }
            };
            let offset_delta = (r.start - b.offset_base) as u32;
            let time_delta = if r.timed {
                let base = *b.time_base.get_or_insert(r.wall_ms);
                (r.wall_ms - base) as i32
            } else {
                NO_TIME
            };
            self.offset_deltas.push(offset_delta);
            self.time_deltas.push(time_delta);
            self.severities.push(r.severity as u8);
            counts[r.severity as usize] += 1;
            if r.timed {
                self.zone_counts[zone_slot(r.zone)] += 1;
                if run != Some((r.zone, r.utc_adjust_minutes)) {
                    run = Some((r.zone, r.utc_adjust_minutes));
                    self.zone_runs.push(ZoneRun {
                        first_record: record,
                        zone: r.zone,
                        utc_adjust_minutes: r.utc_adjust_minutes,
                    });
                }
            }
            if r.eof_dependent && self.provisional_from.is_none() {
                self.provisional_from = Some(record);
            }
        }
        self.blocks.extend(block);
        self.counts.info += counts[Severity::Info as usize];
        self.counts.warnings += counts[Severity::Warning as usize];
        self.counts.errors += counts[Severity::Error as usize];
        self.end = end;
    }

    /// Drops records `len..` (the provisional tail before re-indexing it).
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len() {
            return;
        }
        let new_end = self.start_of(len);
        for i in len..self.len() {
            let meta = self.meta(i);
            self.counts.remove(meta.severity);
            if meta.wall_ms.is_some() {
                let slot = &mut self.zone_counts[zone_slot(meta.zone)];
                *slot = slot.saturating_sub(1);
            }
        }
        self.offset_deltas.truncate(len);
        self.time_deltas.truncate(len);
        self.severities.truncate(len);
        while self.blocks.last().is_some_and(|b| b.first_record >= len) {
            self.blocks.pop();
        }
        while self.zone_runs.last().is_some_and(|r| r.first_record >= len) {
            self.zone_runs.pop();
        }
        if self.provisional_from.is_some_and(|p| p >= len) {
            self.provisional_from = None;
        }
        self.end = new_end;
    }

    fn block_of(&self, record: usize) -> &Block {
        let i = self.blocks.partition_point(|b| b.first_record <= record);
        &self.blocks[i - 1]
    }

    fn start_of(&self, record: usize) -> u64 {
        self.block_of(record).offset_base + u64::from(self.offset_deltas[record])
    }

    /// Byte range `[start, end)` of a record. Panics if `record >= len()`.
    pub fn byte_range(&self, record: usize) -> (u64, u64) {
        let end = if record + 1 < self.len() {
            self.start_of(record + 1)
        } else {
            self.end
        };
        (self.start_of(record), end)
    }

    /// Severity of a record.
    pub fn severity(&self, record: usize) -> Severity {
        Severity::from_bits(self.severities[record])
    }

    /// Severity, wall-clock time and zone of records `range`, in order,
    /// walking the block and zone tables once instead of searching them per
    /// record (for whole-file passes such as merging).
    pub fn metas(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = RecordMeta> + '_ {
        let range = range.start.min(self.len())..range.end.min(self.len());
        let mut block = self
            .blocks
            .partition_point(|b| b.first_record <= range.start)
            .saturating_sub(1);
        let mut run = self
            .zone_runs
            .partition_point(|r| r.first_record <= range.start);
        range.map(move |record| {
            while self
                .blocks
                .get(block + 1)
                .is_some_and(|b| b.first_record <= record)
            {
                block += 1;
            }
            while self
                .zone_runs
                .get(run)
                .is_some_and(|r| r.first_record <= record)
            {
                run += 1;
            }
            let severity = self.severity(record);
            let delta = self.time_deltas[record];
            if delta == NO_TIME {
                return RecordMeta {
                    severity,
                    ..RecordMeta::default()
                };
            }
            let base = self.blocks[block].time_base.unwrap_or_default();
            let zone = run
                .checked_sub(1)
                .and_then(|r| self.zone_runs.get(r))
                .map_or((ZoneKind::Local, 0), |r| (r.zone, r.utc_adjust_minutes));
            RecordMeta {
                severity,
                wall_ms: Some(base + i64::from(delta)),
                zone: zone.0,
                utc_adjust_minutes: zone.1,
            }
        })
    }

    /// The runs of records that share one zone rule: (first record, zone, minutes to add for UTC).
    pub fn zone_runs(&self) -> Vec<(usize, ZoneKind, i32)> {
        self.zone_runs
            .iter()
            .map(|r| (r.first_record, r.zone, r.utc_adjust_minutes))
            .collect()
    }

    /// Severity, wall-clock time and zone of a record.
    pub fn meta(&self, record: usize) -> RecordMeta {
        let severity = self.severity(record);
        let delta = self.time_deltas[record];
        if delta == NO_TIME {
            return RecordMeta {
                severity,
                ..RecordMeta::default()
            };
        }
        let base = self.block_of(record).time_base.unwrap_or_default();
        let run_at = self.zone_runs.partition_point(|r| r.first_record <= record);
        let run = self
            .zone_runs
            .get(run_at.wrapping_sub(1))
            .copied()
            .unwrap_or(ZoneRun {
                first_record: 0,
                zone: ZoneKind::Local,
                utc_adjust_minutes: 0,
            });
        RecordMeta {
            severity,
            wall_ms: Some(base + i64::from(delta)),
            zone: run.zone,
            utc_adjust_minutes: run.utc_adjust_minutes,
        }
    }

    /// Offsets and meta of a record.
    pub fn get(&self, record: usize) -> Option<IndexedRecord> {
        (record < self.len()).then(|| {
            let (start, end) = self.byte_range(record);
            IndexedRecord {
                start,
                end,
                meta: self.meta(record),
            }
        })
    }

    /// UTC milliseconds of a record, if it has a time.
    pub fn utc_ms(&self, record: usize) -> Option<i64> {
        self.meta(record).utc_ms()
    }

    /// The nearest record of `severity` strictly after (or before) `from`.
    /// `from = None` searches from the start (or the end).
    pub fn next_of_severity(
        &self,
        from: Option<usize>,
        severity: Severity,
        direction: Direction,
    ) -> Option<usize> {
        let byte = severity as u8;
        match direction {
            Direction::Forward => {
                let start = from.map_or(0, |f| f + 1).min(self.len());
                memchr::memchr(byte, &self.severities[start..]).map(|i| start + i)
            }
            Direction::Backward => {
                let end = from.unwrap_or(self.len()).min(self.len());
                memchr::memrchr(byte, &self.severities[..end])
            }
        }
    }

    /// The first and the last record that has a time, in file order.
    pub fn first_and_last_timed(&self) -> Option<(usize, usize)> {
        let first = self.time_deltas.iter().position(|&d| d != NO_TIME)?;
        let last = self.time_deltas.iter().rposition(|&d| d != NO_TIME)?;
        Some((first, last))
    }

    /// The zone rule most of the timed records use (`None` without times).
    pub fn dominant_zone(&self) -> ZoneKind {
        let kinds = [ZoneKind::Bias, ZoneKind::EastOffset, ZoneKind::Local];
        kinds
            .into_iter()
            .filter(|&k| self.zone_counts[zone_slot(k)] > 0)
            .max_by_key(|&k| {
                (
                    self.zone_counts[zone_slot(k)],
                    std::cmp::Reverse(zone_slot(k)),
                )
            })
            .unwrap_or(ZoneKind::None)
    }

    /// Milliseconds to add to a record's wall clock for UTC (see [`RecordMeta::utc_ms`]).
    pub fn utc_adjust_ms(&self, record: usize) -> i64 {
        i64::from(self.meta(record).utc_adjust_minutes) * MS_PER_MINUTE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extend_matches_push() {
        const DAY: i64 = 86_400_000;
        let severities = [Severity::Info, Severity::Warning, Severity::Error];
        let zones = [
            (ZoneKind::Bias, 240),
            (ZoneKind::Bias, 240),
            (ZoneKind::EastOffset, -60),
            (ZoneKind::Local, 0),
        ];
        let mut records = Vec::new();
        let (mut start, mut time) = (3u64, 1_000i64);
        for i in 0..2_000u64 {
            // Gaps that need new blocks: offsets past 4 GiB, times 30 days on or back.
            start += match i % 97 {
                0 => 5_000_000_000,
                _ => 10 + i % 7,
            };
            time += match i % 61 {
                0 => 30 * DAY,
                1 => -40 * DAY,
                _ => 5,
            };
            let (zone, adjust) = zones[(i as usize / 50) % zones.len()];
            let meta = RecordMeta {
                severity: severities[(i % 3) as usize],
                wall_ms: (i % 13 != 0).then_some(time),
                zone,
                utc_adjust_minutes: adjust,
            };
            records.push((start, meta, i > 1_990));
        }
        let ends: Vec<u64> = records
            .iter()
            .skip(1)
            .map(|r| r.0)
            .chain([start + 9])
            .collect();
        let mut pushed = RecordIndex::new(3);
        for (r, &end) in records.iter().zip(&ends) {
            pushed.push(r.0, end, r.1, r.2);
        }
        let mut extended = RecordIndex::new(3);
        let pending: Vec<Pending> = records
            .iter()
            .map(|r| Pending::new(r.0, r.1, r.2))
            .collect();
        // In uneven pieces, as the builder hands them over.
        let mut from = 0;
        for size in [1, 0, 5, 700, 3, 1_291] {
            let to = from + size;
            let end = if to > 0 { ends[to - 1] } else { 3 };
            extended.extend(&pending[from..to], end);
            from = to;
        }
        assert_eq!(from, records.len());
        assert_eq!(extended.len(), pushed.len());
        assert_eq!(extended.end(), pushed.end());
        assert_eq!(extended.counts(), pushed.counts());
        assert_eq!(extended.provisional_from(), pushed.provisional_from());
        assert_eq!(extended.dominant_zone(), pushed.dominant_zone());
        assert_eq!(extended.zone_counts, pushed.zone_counts);
        assert_eq!(
            extended.first_and_last_timed(),
            pushed.first_and_last_timed()
        );
        assert!(pushed.blocks.len() > 10);
        for i in 0..pushed.len() {
            assert_eq!(extended.get(i), pushed.get(i), "record {i}");
        }
    }

    fn meta(severity: Severity, wall_ms: Option<i64>) -> RecordMeta {
        RecordMeta {
            severity,
            wall_ms,
            zone: ZoneKind::Bias,
            utc_adjust_minutes: 240,
        }
    }

    #[test]
    fn push_get_truncate() {
        let mut index = RecordIndex::new(3);
        index.push(3, 10, meta(Severity::Info, Some(1_000)), false);
        index.push(10, 20, meta(Severity::Error, None), false);
        // A gap in time and offset that needs new blocks.
        index.push(
            5_000_000_000,
            5_000_000_100,
            meta(Severity::Warning, Some(1_000 + 40 * 86_400_000)),
            true,
        );
        assert_eq!(index.len(), 3);
        // Records are contiguous: a record ends where the next one starts.
        assert_eq!(index.byte_range(1), (10, 5_000_000_000));
        assert_eq!(index.byte_range(2), (5_000_000_000, 5_000_000_100));
        assert_eq!(index.meta(0).utc_ms(), Some(1_000 + 240 * 60_000));
        assert_eq!(index.meta(1).wall_ms, None);
        assert_eq!(index.meta(2).wall_ms, Some(1_000 + 40 * 86_400_000));
        assert_eq!(
            index.counts(),
            SeverityCounts {
                info: 1,
                warnings: 1,
                errors: 1
            }
        );
        assert_eq!(index.provisional_from(), Some(2));
        assert_eq!(
            index.next_of_severity(None, Severity::Error, Direction::Forward),
            Some(1)
        );
        assert_eq!(
            index.next_of_severity(Some(1), Severity::Error, Direction::Forward),
            None
        );
        assert_eq!(
            index.next_of_severity(Some(2), Severity::Info, Direction::Backward),
            Some(0)
        );
        assert_eq!(index.first_and_last_timed(), Some((0, 2)));
        let walked: Vec<RecordMeta> = index.metas(0..3).collect();
        let looked_up: Vec<RecordMeta> = (0..3).map(|i| index.meta(i)).collect();
        assert_eq!(walked, looked_up);
        assert_eq!(index.metas(1..3).collect::<Vec<_>>(), looked_up[1..]);
        index.truncate(1);
        assert_eq!(index.len(), 1);
        assert_eq!(index.end(), 10);
        assert_eq!(index.provisional_from(), None);
        assert_eq!(
            index.counts(),
            SeverityCounts {
                info: 1,
                warnings: 0,
                errors: 0
            }
        );
        assert_eq!(index.dominant_zone(), ZoneKind::Bias);
    }
}
