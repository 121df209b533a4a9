//! The same bytes written to a temporary file and opened with
//! `LogDocument::open` under `MapPolicy::Auto` (memory map) and
//! `MapPolicy::Never` (plain reads), and held in memory with
//! `LogDocument::from_bytes`: the same format, encoding, record spans, counts
//! and rows; and whole-file passes see the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use logweave::document::{LogDocument, OpenOptions};
use logweave::index::BuildOptions;
use logweave::source::MapPolicy;
use logweave_fuzz::{Params, all_rows};

fuzz_target!(|data: &[u8]| {
    let mut p = Params::new(data);
    let threads = 1 + usize::from(p.byte() % 3);
    let data = p.rest();
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("same.log");
    std::fs::write(&path, data).expect("write");
    let options = |map| OpenOptions {
        build: BuildOptions {
            threads,
            first_batch_bytes: 4096,
            max_batch_bytes: 16 * 1024,
            min_chunk_bytes: 64,
        },
        map,
        ..OpenOptions::default()
    };
    let mapped = LogDocument::open(&path, options(MapPolicy::Auto)).expect("open");
    let read = LogDocument::open(&path, options(MapPolicy::Never)).expect("open");
    let memory = LogDocument::from_bytes("same.log", data.to_vec(), options(MapPolicy::Auto));
    let rows = all_rows(&mapped);
    let n = rows.len();
    for (name, other) in [("read", &read), ("memory", &memory)] {
        assert_eq!(all_rows(other), rows, "mapped vs {name}");
        assert_eq!(other.format(), mapped.format(), "{name}");
        assert_eq!(other.encoding(), mapped.encoding(), "{name}");
        assert_eq!(other.counts(), mapped.counts(), "{name}");
        assert_eq!(other.spans(0..n), mapped.spans(0..n), "{name}");
        assert_eq!(
            other.pass().expect("pass").all_bytes(),
            mapped.pass().expect("pass").all_bytes(),
            "{name}"
        );
    }
    assert_eq!(mapped.pass().expect("pass").all_bytes(), data);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.record, i);
    }
});
