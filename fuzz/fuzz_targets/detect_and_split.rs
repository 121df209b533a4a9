//! Bytes → `Dialect::detect` → `index_range` with one thread and with 2–4
//! threads at tiny chunk and batch sizes: the same records (offsets,
//! severities, times, zones), in order and inside the data; and every
//! record's `dialect.fields(raw)` parses and agrees with the index's meta.
#![no_main]

use libfuzzer_sys::fuzz_target;
use logweave::index::BuildOptions;
use logweave_fuzz::{Params, build, detect, sequential};

fuzz_target!(|data: &[u8]| {
    let mut p = Params::new(data);
    let threads = 2 + usize::from(p.byte() % 3);
    let min_chunk_bytes = 1 + usize::from(p.byte());
    let first_batch_bytes = usize::from(p.u16());
    let max_batch_bytes = usize::from(p.u16());
    let data = p.rest();
    let dialect = detect(data);
    let one = build(&dialect, data, &sequential());
    let many = build(
        &dialect,
        data,
        &BuildOptions {
            threads,
            first_batch_bytes,
            max_batch_bytes,
            min_chunk_bytes,
        },
    );
    assert_eq!(
        one, many,
        "{threads} threads, chunks of {min_chunk_bytes}, batches {first_batch_bytes}/{max_batch_bytes}"
    );
    let mut previous_end = dialect.bom_len as u64;
    for r in &one {
        assert!(r.start >= previous_end, "records overlap or go back: {r:?}");
        assert!(r.start < r.end, "empty record: {r:?}");
        assert!(r.end <= data.len() as u64, "record past the data: {r:?}");
        previous_end = r.end;
        let raw = &data[r.start as usize..r.end as usize];
        let fields = dialect.fields(raw);
        assert_eq!(
            fields.meta.severity, r.meta.severity,
            "fields and index disagree on severity of {r:?}"
        );
        assert_eq!(
            fields.meta.wall_ms, r.meta.wall_ms,
            "fields and index disagree on the time of {r:?}"
        );
    }
});
