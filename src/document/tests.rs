//! Unit tests of [`LogDocument`](super::LogDocument): opening, indexing and
//! refreshing real files written to a temporary directory. Test code only:
//! nothing outside `cfg(test)` may use it.

use super::fingerprint::FINGERPRINT_BYTES;
use super::*;
use std::io::Write;

fn ccm(message: &str, second: usize) -> String {
    format!(
        "<![LOG[{message}]LOG]!><time=\"10:00:{:02}.000+000\" date=\"03-14-2025\" component=\"ccmsetup\" context=\"\" type=\"1\" thread=\"7\" file=\"\">\r\n",
        second % 60
    )
}

/// `banner` identical records (what a service writes whenever it
/// starts), then `count` records named `name 0`, `name 1`, ...
fn log(banner: usize, name: &str, count: usize) -> String {
    let mut text: String = (0..banner)
        .map(|i| ccm("==== ccmsetup started ====", i))
        .collect();
    text.extend((0..count).map(|i| ccm(&format!("{name} {i}"), banner + i)));
    text
}

fn messages(doc: &LogDocument) -> Vec<String> {
    doc.rows(0..doc.record_count(), None)
        .into_iter()
        .map(|row| row.fields.message)
        .collect()
}

/// Truncates the file in place (same file object) and writes `text`.
fn rewrite(path: &Path, text: &str) {
    let mut file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    file.set_len(0).unwrap();
    file.write_all(text.as_bytes()).unwrap();
}

fn options(map: MapPolicy) -> OpenOptions {
    OpenOptions {
        map,
        ..OpenOptions::default()
    }
}

#[test]
fn truncated_and_regrown_past_the_old_length_is_read_again() {
    // A few hundred identical bytes at the start, and more than the
    // bytes compared at the start: only the bytes before the old end tell.
    for banner in [3, 3 * FINGERPRINT_BYTES / 200] {
        for map in [MapPolicy::Auto, MapPolicy::Never] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("ccmsetup.log");
            let old = log(banner, "old", 5);
            std::fs::write(&path, &old).unwrap();
            let doc = LogDocument::open_blocking(&path, options(map)).unwrap();
            assert_eq!(doc.record_count(), banner + 5);
            let generation = doc.generation();
            let identity = doc.file_identity();

            let new = log(banner, "new", 12);
            let same = log(banner, "", 0).len() + "<![LOG[".len();
            assert!(same >= 300 && new.len() > old.len());
            assert!(new[..same] == old[..same] && new[same..old.len()] != old[same..]);
            rewrite(&path, &new);
            assert_eq!(doc.file_identity(), identity);
            assert_eq!(
                doc.refresh().unwrap(),
                FileChange::Reindexed(ReindexReason::Rewritten),
                "banner {banner}, {map:?}"
            );
            doc.wait();
            assert_ne!(doc.generation(), generation);
            let fresh = LogDocument::open_blocking(&path, options(map)).unwrap();
            assert_eq!(messages(&doc), messages(&fresh));
            assert_eq!(messages(&doc).last().unwrap(), "new 11");
            assert_eq!(doc.summary().bytes, new.len() as u64);

            // Then plain appends are appends again.
            let generation = doc.generation();
            std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .unwrap()
                .write_all(ccm("appended", 59).as_bytes())
                .unwrap();
            // (The last record counts as new: its extent depended on the end.)
            assert_eq!(
                doc.refresh().unwrap(),
                FileChange::Appended {
                    first_new: banner + 11
                }
            );
            doc.wait();
            assert_eq!(doc.generation(), generation);
            assert_eq!(doc.record_count(), banner + 13);
            assert_eq!(doc.refresh().unwrap(), FileChange::Unchanged);
        }
    }
}

#[test]
fn a_rewrite_after_refresh_looked_is_caught_by_the_indexing_pass() {
    for map in [MapPolicy::Auto, MapPolicy::Never] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ccmsetup.log");
        std::fs::write(&path, log(40, "old", 5)).unwrap();
        let doc = LogDocument::open_blocking(&path, options(map)).unwrap();
        let generation = doc.generation();
        // `refresh` saw the file grown, unchanged before the old end, and
        // starts appending; the file is rewritten before the pass maps it.
        rewrite(&path, &log(40, "new", 9));
        doc.start(Job::Extend);
        doc.wait();
        assert_eq!(doc.problem(), None);
        assert_ne!(doc.generation(), generation, "{map:?}");
        let fresh = LogDocument::open_blocking(&path, options(map)).unwrap();
        assert_eq!(messages(&doc), messages(&fresh));
        assert_eq!(doc.refresh().unwrap(), FileChange::Unchanged);
    }
}

#[test]
fn nul_padding_filled_in_place_is_still_an_append() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.log");
    let first = log(0, "rec", 3);
    let second = ccm("filled", 30);
    let mut bytes = first.clone().into_bytes();
    bytes.resize(first.len() + second.len(), 0);
    std::fs::write(&path, &bytes).unwrap();
    let doc = LogDocument::open_blocking(&path, OpenOptions::default()).unwrap();
    assert_eq!(doc.record_count(), 3);
    let generation = doc.generation();
    bytes[first.len()..].copy_from_slice(second.as_bytes());
    std::fs::write(&path, &bytes).unwrap();
    assert!(matches!(
        doc.refresh().unwrap(),
        FileChange::Appended { .. }
    ));
    doc.wait();
    assert_eq!(doc.generation(), generation);
    assert_eq!(messages(&doc).last().unwrap(), "filled");
}

/// A pass that panics is reported, and the same bytes are not indexed again
/// at every look (the same bug would strike every poll); appended bytes are.
#[test]
fn a_failed_pass_is_not_retried_until_the_file_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("indexer-fails-here.log");
    std::fs::write(&path, "one\r\ntwo\r\n").unwrap();
    crate::jobs::arm_fault("index", "indexer-fails-here.log");
    let doc = LogDocument::open(&path, OpenOptions::default()).unwrap();
    doc.wait();
    assert!(matches!(
        doc.problem(),
        Some(DocumentProblem::IndexingFailed(_))
    ));
    assert!(
        !doc.is_indexing(),
        "a failed pass does not look like a running one"
    );
    for _ in 0..3 {
        assert_eq!(doc.refresh().unwrap(), FileChange::Unchanged);
        assert!(!doc.is_indexing());
    }
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    std::io::Write::write_all(&mut file, b"three\r\n").unwrap();
    assert!(matches!(
        doc.refresh().unwrap(),
        FileChange::Appended { .. }
    ));
    doc.wait();
    assert!(matches!(
        doc.problem(),
        Some(DocumentProblem::IndexingFailed(_))
    ));
    assert_eq!(doc.refresh().unwrap(), FileChange::Unchanged);
}

#[test]
fn text_in_memory_reads_as_the_same_file_would() {
    let dir = tempfile::tempdir().unwrap();
    let samples = [
        log(3, "record", 40),
        "plain line one\nplain line two\r\nerror: third\n".to_owned(),
        "msg a\tTSManager\t3/21/2018 3:45:33 AM\t1160 (0x0488)\nmsg b\tTSManager\t3/21/2018 3:45:34 AM\t1160 (0x0488)\n".to_owned(),
    ];
    for (i, text) in samples.iter().enumerate() {
        let path = dir.path().join(format!("{i}.log"));
        std::fs::write(&path, text).unwrap();
        let file = LogDocument::open_blocking(&path, OpenOptions::default()).unwrap();
        let memory = LogDocument::from_bytes(
            "Pasted log",
            text.clone().into_bytes(),
            OpenOptions::default(),
        );
        memory.wait();
        assert!(memory.is_in_memory() && !file.is_in_memory());
        assert_eq!(memory.path(), Path::new("Pasted log"));
        assert_eq!(memory.record_count(), file.record_count(), "sample {i}");
        assert_eq!(memory.summary().format, file.summary().format, "sample {i}");
        let rows = |d: &LogDocument| {
            d.rows(0..d.record_count(), None)
                .into_iter()
                .map(|r| (r.offset, r.fields))
                .collect::<Vec<_>>()
        };
        assert_eq!(rows(&memory), rows(&file), "sample {i}");
        // Nothing on disk to follow: a refresh finds it unchanged.
        assert!(matches!(memory.refresh(), Ok(FileChange::Unchanged)));
        // Save As writes the text out as it came.
        let all: Vec<usize> = (0..memory.record_count()).collect();
        let mut saved = Vec::new();
        crate::export::write_records(
            &memory,
            &all,
            crate::export::ExportFormat::Original,
            &mut saved,
            None,
        )
        .unwrap();
        assert_eq!(String::from_utf8(saved).unwrap(), *text, "sample {i}");
    }
}

fn network() -> OpenOptions {
    OpenOptions {
        placement: Placement::Network,
        ..OpenOptions::default()
    }
}

fn append(path: &Path, text: &str) {
    std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
}

#[test]
fn a_network_file_is_indexed_from_reads_and_a_poll_reads_what_was_appended() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("share.log");
    let text = log(0, "record", 5000);
    std::fs::write(&path, &text).unwrap();
    let doc = LogDocument::open_blocking(&path, network()).unwrap();
    assert!(doc.is_network());
    assert!(matches!(doc.pass().unwrap().snapshot, Snapshot::Read(_)));
    let local = LogDocument::open_blocking(&path, OpenOptions::default()).unwrap();
    assert!(!local.is_network());
    assert_eq!(messages(&doc), messages(&local));

    let before = doc.bytes_read();
    let added = ccm("appended", 1);
    append(&path, &added);
    assert!(matches!(
        doc.refresh().unwrap(),
        FileChange::Appended { .. }
    ));
    doc.wait();
    // The look compares the fingerprint's two windows; the pass re-reads
    // the kept bytes' first and last 4 KiB and reads what is new.
    let read = doc.bytes_read() - before;
    let verify = 2 * FINGERPRINT_BYTES as u64 + 2 * crate::source::VERIFY_BYTES;
    assert_eq!(read, added.len() as u64 + verify, "{} bytes", text.len());
    assert_eq!(messages(&doc).last().unwrap(), "appended");
    assert_eq!(doc.record_count(), 5001);
}

#[test]
fn a_lost_connection_keeps_the_records_and_clears_when_the_file_reads_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lost-connection-unit.log");
    std::fs::write(&path, log(2, "before", 20)).unwrap();
    let doc = LogDocument::open_blocking(&path, network()).unwrap();
    let shown = doc.rows(0..doc.record_count(), None);
    append(&path, &ccm("while away", 40));

    crate::source::network::arm_read_fault("lost-connection-unit.log");
    // A look that cannot reach the file...
    assert!(doc.refresh().is_err());
    let problem = doc.problem().unwrap();
    assert!(matches!(problem, DocumentProblem::ConnectionLost(_)));
    assert!(problem.to_string().starts_with("connection lost: "));
    assert!(problem.to_string().ends_with(" — retrying"));
    // ...and a pass that cannot read it keep what was read.
    doc.start(Job::Extend);
    doc.wait();
    assert!(matches!(
        doc.problem(),
        Some(DocumentProblem::ConnectionLost(_))
    ));
    // The rows read stay, shown from the bytes read before.
    assert_eq!(doc.rows(0..doc.record_count(), None), shown);
    crate::source::network::disarm_read_fault("lost-connection-unit.log");

    assert!(matches!(
        doc.refresh().unwrap(),
        FileChange::Appended { .. }
    ));
    doc.wait();
    assert_eq!(doc.problem(), None);
    assert_eq!(messages(&doc).last().unwrap(), "while away");
    assert_eq!(doc.refresh().unwrap(), FileChange::Unchanged);
}

#[test]
fn a_lost_connection_with_nothing_new_is_retried_and_cleared() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lost-quiet-unit.log");
    std::fs::write(&path, log(0, "rec", 3)).unwrap();
    let doc = LogDocument::open_blocking(&path, network()).unwrap();
    crate::source::network::arm_read_fault("lost-quiet-unit.log");
    assert!(doc.refresh().is_err());
    assert!(matches!(
        doc.problem(),
        Some(DocumentProblem::ConnectionLost(_))
    ));
    crate::source::network::disarm_read_fault("lost-quiet-unit.log");
    // Nothing changed, yet the look runs the pass again, which clears it.
    assert!(matches!(
        doc.refresh().unwrap(),
        FileChange::Appended { .. }
    ));
    doc.wait();
    assert_eq!(doc.problem(), None);
    assert_eq!(doc.record_count(), 3);
    assert_eq!(doc.refresh().unwrap(), FileChange::Unchanged);
}

#[test]
fn a_failed_read_of_a_local_file_is_not_a_lost_connection() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("local-read-fails-unit.log");
    std::fs::write(&path, log(0, "rec", 3)).unwrap();
    let doc = LogDocument::open_blocking(&path, options(MapPolicy::Never)).unwrap();
    crate::source::network::arm_read_fault("local-read-fails-unit.log");
    doc.start(Job::Extend);
    doc.wait();
    crate::source::network::disarm_read_fault("local-read-fails-unit.log");
    assert!(matches!(
        doc.problem(),
        Some(DocumentProblem::Unreadable(_))
    ));
    assert_eq!(doc.record_count(), 3);
}
