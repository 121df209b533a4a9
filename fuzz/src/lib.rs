//! Helpers shared by the fuzz targets in `fuzz_targets/`: building an index
//! the way `document::run_job` does, reading every row of a document, and a
//! tiny byte reader that turns the front of a fuzz input into parameters.
//! Never asserts anything itself: each target states its own properties.

use std::sync::RwLock;
use std::sync::atomic::AtomicBool;

use logweave::document::{LogDocument, Row};
use logweave::formats::{DETECT_SAMPLE_BYTES, Dialect};
use logweave::index::{BuildOptions, IndexProgress, IndexedRecord, RecordIndex, index_range};

/// Reads parameters off the front of a fuzz input; runs dry as zeros.
pub struct Params<'a> {
    data: &'a [u8],
}

impl<'a> Params<'a> {
    /// A reader over `data`.
    pub fn new(data: &'a [u8]) -> Params<'a> {
        Params { data }
    }

    /// The next byte (0 when none is left).
    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }

    /// The next little-endian u16.
    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.byte(), self.byte()])
    }

    /// What is left: the text to parse.
    pub fn rest(self) -> &'a [u8] {
        self.data
    }
}

/// The dialect a document detects for `data` (from its first 64 KiB).
pub fn detect(data: &[u8]) -> Dialect {
    let sample = &data[..data.len().min(DETECT_SAMPLE_BYTES)];
    Dialect::detect(sample, &Default::default())
}

/// Every record `index_range` finds in `data` with `options`.
pub fn build(dialect: &Dialect, data: &[u8], options: &BuildOptions) -> Vec<IndexedRecord> {
    let index = RwLock::new(RecordIndex::new(dialect.bom_len as u64));
    index_range(
        dialect,
        data,
        &index,
        options,
        &IndexProgress::default(),
        &AtomicBool::new(false),
    )
    .expect("never cancelled");
    let ix = index.read().expect("index lock");
    (0..ix.len())
        .map(|i| ix.get(i).expect("record in range"))
        .collect()
}

/// One thread, default batches: the reference every other build must match.
pub fn sequential() -> BuildOptions {
    BuildOptions {
        threads: 1,
        ..BuildOptions::default()
    }
}

/// Every row of a document, after its indexing finished.
pub fn all_rows(doc: &LogDocument) -> Vec<Row> {
    doc.wait();
    assert!(doc.problem().is_none(), "problem: {:?}", doc.problem());
    doc.rows(0..doc.record_count(), None)
}
