//! Rows of one pane of a comparison ([`AlignedRows`]): which record each row
//! shows, or a gap where only the other pane has one. Never draws.

/// Rows of a pane of a comparison: the other pane's records line up with
/// these, and where the other side has a record this one lacks, the row is a
/// gap.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AlignedRows {
    /// View row → record of this pane, or [`GAP`].
    pub records: Vec<u32>,
    /// Record → view row ([`GAP`] when not shown).
    pub rows_of_records: Vec<u32>,
}

/// A row with no record on this side.
pub const GAP: u32 = u32::MAX;

impl AlignedRows {
    /// Rows from the records of one side of an alignment (`None` = gap).
    pub fn new(side: impl IntoIterator<Item = Option<usize>>, record_count: usize) -> AlignedRows {
        let records: Vec<u32> = side
            .into_iter()
            .map(|r| r.and_then(|r| u32::try_from(r).ok()).unwrap_or(GAP))
            .collect();
        let mut rows_of_records = vec![GAP; record_count];
        for (row, &record) in records.iter().enumerate() {
            if let Some(slot) = rows_of_records.get_mut(record as usize) {
                *slot = u32::try_from(row).unwrap_or(GAP);
            }
        }
        AlignedRows {
            records,
            rows_of_records,
        }
    }
}
