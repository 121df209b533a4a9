//! `search::scan::scan` (chunks walked in parallel, a raw byte pattern
//! picking the records to decode) against the naive oracle of
//! `src/search/scan/tests.rs`: index the bytes as a document, read every
//! row, keep those whose severity and message the selection keeps. Random
//! queries (plain, case, whole word, regex, error codes), severities,
//! thread counts and chunk sizes; each found record's fields are also those
//! of its own bytes.
#![no_main]

use std::sync::atomic::AtomicBool;

use libfuzzer_sys::fuzz_target;
use logweave::document::{LogDocument, OpenOptions};
use logweave::search::scan::{ScanOptions, Selection, scan};
use logweave::search::{Matcher, Query};
use logweave_fuzz::{Params, all_rows, detect};

fuzz_target!(|data: &[u8]| {
    let mut p = Params::new(data);
    let flags = p.byte();
    let threads = 1 + usize::from(p.byte() % 4);
    let min_chunk_bytes = 1 + usize::from(p.u16() % 512);
    let query_len = usize::from(p.byte() % 12);
    let code = u32::from_le_bytes([p.byte(), p.byte(), p.byte(), p.byte()]);
    let rest = p.rest();
    let (query, data) = rest.split_at(query_len.min(rest.len()));
    let severities = [flags & 1 != 0, flags & 2 != 0, flags & 4 != 0];
    let matcher: Option<Matcher> = if flags & 0x40 != 0 {
        Some(Matcher::codes(&[code]))
    } else {
        let q = Query {
            text: String::from_utf8_lossy(query).into_owned(),
            match_case: flags & 8 != 0,
            whole_word: flags & 16 != 0,
            regex: flags & 32 != 0,
        };
        q.compile().ok()
    };
    if flags & 0x80 != 0 && matcher.is_none() {
        return;
    }
    let selection = Selection {
        matcher: matcher.as_ref(),
        severities,
    };
    let doc = LogDocument::from_bytes("scan.log", data.to_vec(), OpenOptions::default());
    let want: Vec<_> = all_rows(&doc)
        .into_iter()
        .filter(|row| severities[row.severity() as usize])
        .filter(|row| {
            matcher
                .as_ref()
                .is_none_or(|m| m.is_match(&row.fields.message))
        })
        .map(|row| (row.record, row.offset as usize, row.fields))
        .collect();
    let dialect = detect(data);
    let options = ScanOptions {
        threads,
        min_chunk_bytes,
    };
    let found = scan(
        &dialect,
        data,
        &selection,
        &options,
        &AtomicBool::new(false),
    )
    .expect("not cancelled");
    for f in &found {
        assert_eq!(
            dialect.fields(&data[f.start..f.end]),
            f.fields,
            "record {}",
            f.record
        );
    }
    let got: Vec<_> = found
        .into_iter()
        .map(|f| (f.record, f.start, f.fields))
        .collect();
    assert_eq!(got, want, "{threads} threads, chunks of {min_chunk_bytes}");
});
