use proptest::prelude::*;

use super::*;
use crate::document::{LogDocument, OpenOptions};
use crate::search::Query;

/// The naive oracle: index the file, read every row, keep those the
/// selection keeps.
fn expected(bytes: &[u8], selection: &Selection) -> Vec<(usize, RecordFields)> {
    let doc = LogDocument::from_bytes("oracle.log", bytes.to_vec(), OpenOptions::default());
    doc.wait();
    doc.rows(0..doc.record_count(), None)
        .into_iter()
        .filter(|row| selection.keeps_severity(row.severity()))
        .filter(|row| {
            selection
                .matcher
                .is_none_or(|m| m.is_match(&row.fields.message))
        })
        .map(|row| (row.record, row.fields))
        .collect()
}

fn scanned(
    bytes: &[u8],
    selection: &Selection,
    threads: usize,
    min_chunk: usize,
) -> Vec<(usize, RecordFields)> {
    let sample = &bytes[..bytes.len().min(crate::formats::DETECT_SAMPLE_BYTES)];
    let dialect = Dialect::detect(sample, &Default::default());
    let options = ScanOptions {
        threads,
        min_chunk_bytes: min_chunk,
    };
    scan(
        &dialect,
        bytes,
        selection,
        &options,
        &AtomicBool::new(false),
    )
    .expect("not cancelled")
    .into_iter()
    .map(|f| {
        assert_eq!(dialect.fields(&bytes[f.start..f.end]), f.fields);
        (f.record, f.fields)
    })
    .collect()
}

const ALL: [bool; 3] = [true; 3];

fn ccm(message: &str, kind: u8) -> String {
    format!(
        "<![LOG[{message}]LOG]!><time=\"08:55:51.234+480\" date=\"11-24-2026\" component=\"TSManager\" context=\"\" type=\"{kind}\" thread=\"1234\" file=\"x.cpp:1\">\r\n"
    )
}

#[test]
fn every_fixture_agrees_with_the_index() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
    let queries = ["error", "0x8007", "e", "TSManager", "zzz-not-there"];
    let mut files = 0;
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if !path.is_file() {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        files += 1;
        for text in queries {
            let matcher = Query::text(text).compile().unwrap();
            for severities in [ALL, [false, false, true], [false, true, true]] {
                let selection = Selection {
                    matcher: Some(&matcher),
                    severities,
                };
                let want = expected(&bytes, &selection);
                for (threads, chunk) in [(1, 1 << 20), (2, 64), (3, 17), (4, 1)] {
                    assert_eq!(
                        scanned(&bytes, &selection, threads, chunk),
                        want,
                        "{} {text:?} {severities:?} threads {threads} chunk {chunk}",
                        path.display()
                    );
                }
            }
        }
    }
    assert!(files > 10);
}

#[test]
fn codes_match_every_written_form_as_a_whole_number() {
    let text = [
        ccm("Failed (0x80070005)", 3),
        ccm("exit code -2147024891", 2),
        ccm("returned 2147942405", 1),
        ccm("hr=80070005", 3),
        ccm("not this one: 180070005 nor 0x800700051", 1),
        ccm("nor 0x80070002", 3),
    ]
    .concat();
    let matcher = Matcher::codes(&[0x8007_0005]);
    let selection = Selection {
        matcher: Some(&matcher),
        severities: ALL,
    };
    let records: Vec<usize> = scanned(text.as_bytes(), &selection, 1, 1 << 20)
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    assert_eq!(records, vec![0, 1, 2, 3]);
    assert_eq!(expected(text.as_bytes(), &selection).len(), 4);
}

#[test]
fn severities_alone_select_records() {
    let text = [ccm("a", 1), ccm("b", 2), ccm("c", 3), ccm("d", 3)].concat();
    let selection = Selection {
        matcher: None,
        severities: [false, false, true],
    };
    let records: Vec<usize> = scanned(text.as_bytes(), &selection, 2, 1)
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    assert_eq!(records, vec![2, 3]);
}

#[test]
fn a_cancelled_scan_says_so() {
    let text = ccm("x", 1).repeat(20_000);
    let dialect = Dialect::detect(text.as_bytes(), &Default::default());
    let selection = Selection {
        matcher: None,
        severities: ALL,
    };
    let cancel = AtomicBool::new(true);
    assert_eq!(
        scan(
            &dialect,
            text.as_bytes(),
            &selection,
            &ScanOptions::default(),
            &cancel
        ),
        Err(Cancelled)
    );
}

/// Records of a CCM log, some spanning lines and some holding text that
/// looks like a record start, to mislead chunks that start mid-record.
fn record() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "Install failed 0x80070005",
            "ok",
            "line one\r\nline two <![LOG[fake]LOG]!>",
            "<![LOG[ nested start",
            "error: access denied",
            "",
        ]),
        1u8..=3,
        0usize..3,
    )
        .prop_map(|(message, kind, garbage)| {
            let junk = ["", "junk between records\r\n", "\r\n"][garbage];
            format!("{junk}{}", ccm(message, kind))
        })
}

proptest! {
    #[test]
    fn random_logs_agree_with_the_index(
        records in prop::collection::vec(record(), 1..80),
        threads in 1usize..5,
        chunk in 1usize..400,
        query in prop::sample::select(vec!["error", "0x80070005", "fake", "line two"]),
        errors_only in any::<bool>(),
    ) {
        let text = records.concat();
        let matcher = Query::text(query).compile().unwrap();
        let selection = Selection {
            matcher: Some(&matcher),
            severities: if errors_only { [false, false, true] } else { ALL },
        };
        prop_assert_eq!(
            scanned(text.as_bytes(), &selection, threads, chunk),
            expected(text.as_bytes(), &selection)
        );
    }
}
