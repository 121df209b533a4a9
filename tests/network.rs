//! Logs on network file systems: read, never mapped (with the result a
//! local file gives); a poll of a tailed log reads only what was appended
//! plus a small verification sample; a share truncated and rewritten while
//! tailed is read again from its start; a lost connection keeps what was
//! read and clears when the file reads again. A share is faked with
//! `Placement::Network`, with `LOGWEAVE_TREAT_AS_NETWORK` in a child
//! process, and with read faults armed for one file name.

use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use logweave::document::{DocumentProblem, FileChange, LogDocument, OpenOptions, ReindexReason};
use logweave::follow::{FileTail, TailNotice};
use logweave::source::network::{
    TREAT_AS_NETWORK_VAR, arm_read_fault, disarm_read_fault, is_network_file,
};
use logweave::source::{LogFile, MapPolicy, Placement, Snapshot, VERIFY_BYTES};

fn ccm(message: &str, second: usize) -> String {
    format!(
        "<![LOG[{message}]LOG]!><time=\"10:00:{:02}.000+000\" date=\"03-14-2025\" component=\"smsts\" context=\"\" type=\"1\" thread=\"7\" file=\"\">\r\n",
        second % 60
    )
}

/// `banner` identical records, then `count` records named `name 0`, ...
fn log(banner: usize, name: &str, count: usize) -> String {
    let mut text: String = (0..banner)
        .map(|i| ccm("==== Task Sequence Manager started ====", i))
        .collect();
    text.extend((0..count).map(|i| ccm(&format!("{name} {i}"), banner + i)));
    text
}

fn append(path: &Path, text: &str) {
    std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
}

fn network() -> OpenOptions {
    OpenOptions {
        placement: Placement::Network,
        ..OpenOptions::default()
    }
}

fn messages(doc: &LogDocument) -> Vec<String> {
    doc.rows(0..doc.record_count(), None)
        .into_iter()
        .map(|row| row.fields.message)
        .collect()
}

/// `logweave stats --json`, less the time indexing took.
fn stats_json(path: &Path, network_folder: Option<&Path>) -> serde_json::Value {
    let mut command = Command::new(env!("CARGO_BIN_EXE_logweave"));
    command.args(["stats", "--json"]).arg(path);
    match network_folder {
        Some(folder) => command.env(TREAT_AS_NETWORK_VAR, folder),
        None => command.env_remove(TREAT_AS_NETWORK_VAR),
    };
    let output = command.output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let mut stats: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    stats.as_object_mut().unwrap().remove("index_ms");
    stats
}

/// (a) A file under `LOGWEAVE_TREAT_AS_NETWORK` is taken for a network
/// file and read, and says the same as the same file read locally.
#[test]
fn a_network_file_is_read_not_mapped_and_reads_as_a_local_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("smsts.log");
    std::fs::write(&path, log(3, "step", 2000)).unwrap();
    let local = stats_json(&path, None);
    assert_eq!(local["records"], 2003);
    assert_eq!(stats_json(&path, Some(dir.path())), local);

    // In a child (the variable is read per process): files under the
    // folder count as network files, read and never mapped.
    let child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_sees_the_folder_as_a_share",
            "--ignored",
            "--nocapture",
        ])
        .env(TREAT_AS_NETWORK_VAR, dir.path())
        .env("LOGWEAVE_NETWORK_TEST_FILE", &path)
        .output()
        .unwrap();
    assert!(child.status.success(), "{child:?}");
    assert!(
        String::from_utf8_lossy(&child.stdout).contains("1 passed"),
        "{child:?}"
    );

    // Asked for explicitly, without the variable.
    let file = LogFile::open_with(&path, Placement::Network).unwrap();
    assert!(file.is_network());
    assert!(matches!(
        file.snapshot(MapPolicy::Auto).unwrap(),
        Snapshot::Read(_)
    ));
}

/// Run by [`a_network_file_is_read_not_mapped_and_reads_as_a_local_one`]
/// in a child process with `LOGWEAVE_TREAT_AS_NETWORK` set.
#[test]
#[ignore = "run by a_network_file_is_read_not_mapped_and_reads_as_a_local_one"]
fn child_sees_the_folder_as_a_share() {
    let path = std::env::var_os("LOGWEAVE_NETWORK_TEST_FILE").expect("run by the parent test");
    let path = Path::new(&path);
    assert!(is_network_file(path));
    assert!(!is_network_file(
        &std::env::temp_dir().join("elsewhere.log")
    ));
    let file = LogFile::open(path).unwrap();
    assert!(file.is_network());
    assert!(matches!(
        file.snapshot(MapPolicy::Auto).unwrap(),
        Snapshot::Read(_)
    ));
    let doc = LogDocument::open_blocking(path, OpenOptions::default()).unwrap();
    assert!(doc.is_network());
    assert_eq!(doc.record_count(), 2003);
}

/// (b) Tailing a 10 MB log on a share: a poll after 100 bytes were
/// appended reads those bytes and the verification windows, not the log.
#[test]
fn a_poll_after_an_append_reads_the_new_bytes_and_a_sample_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big-share.log");
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 10 << 20 {
        text.push_str(&format!("line {i:08} of a long log on a share\r\n"));
        i += 1;
    }
    std::fs::write(&path, &text).unwrap();
    let doc = LogDocument::open_blocking(&path, network()).unwrap();
    let opened = doc.bytes_read();
    assert!(opened >= text.len() as u64, "{opened}");
    let records = doc.record_count();

    let added = "x".repeat(98) + "\r\n";
    assert_eq!(added.len(), 100);
    append(&path, &added);
    let before = doc.bytes_read();
    let started = Instant::now();
    assert!(matches!(
        doc.refresh().unwrap(),
        FileChange::Appended { .. }
    ));
    doc.wait();
    let read = doc.bytes_read() - before;
    eprintln!(
        "10 MB log on a share: open read {opened} bytes; a poll after 100 appended bytes read {read} bytes in {:?}",
        started.elapsed()
    );
    // 100 new bytes, the kept bytes' first and last 4 KiB (the pass) and
    // the index fingerprint's two 4 KiB windows (the look).
    assert!((100..=100 + 4 * VERIFY_BYTES).contains(&read), "{read}");
    assert_eq!(doc.record_count(), records + 1);
    assert_eq!(messages(&doc).last().unwrap(), &"x".repeat(98));

    // A poll with nothing new reads the fingerprint windows only.
    let before = doc.bytes_read();
    assert_eq!(doc.refresh().unwrap(), FileChange::Unchanged);
    assert!(doc.bytes_read() - before <= 2 * VERIFY_BYTES);
}

/// (c) Truncated and written again, longer, while tailed: the same start,
/// different bytes before the old end. Read again from the start, with the
/// records a fresh open finds.
#[test]
fn a_share_truncated_and_rewritten_longer_while_tailed_is_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rewritten-share.log");
    let old = log(40, "old", 5);
    std::fs::write(&path, &old).unwrap();
    let doc = LogDocument::open_blocking(&path, network()).unwrap();
    let mut tail = FileTail::open(&path, network(), false).unwrap();
    assert_eq!(tail.poll().rows.len(), 45);

    let new = log(40, "new", 30);
    assert!(new.len() > old.len() && new[..4096] == old[..4096]);
    let mut file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.set_len(0).unwrap();
    file.write_all(new.as_bytes()).unwrap();
    drop(file);

    assert_eq!(
        doc.refresh().unwrap(),
        FileChange::Reindexed(ReindexReason::Rewritten)
    );
    doc.wait();
    let fresh = LogDocument::open_blocking(&path, OpenOptions::default()).unwrap();
    assert_eq!(messages(&doc), messages(&fresh));
    assert_eq!(messages(&doc).last().unwrap(), "new 29");

    let update = tail.poll();
    assert!(
        update.notices.contains(&TailNotice::Rewritten),
        "{:?}",
        update.notices
    );
    let tailed: Vec<String> = update.rows.into_iter().map(|r| r.fields.message).collect();
    assert_eq!(tailed, messages(&fresh));
}

/// (d) The share goes away: the problem is a lost connection, the records
/// and rows read stay, and once the file reads again a refresh clears it
/// and takes in what was written meanwhile.
#[test]
fn a_lost_connection_keeps_the_rows_and_clears_when_the_share_is_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("share-goes-away.log");
    std::fs::write(&path, log(0, "before", 50)).unwrap();
    let doc = LogDocument::open_blocking(&path, network()).unwrap();
    let shown = doc.rows(0..50, Some(64 * 1024));

    arm_read_fault("share-goes-away.log");
    append(&path, &ccm("written while away", 59));
    for _ in 0..3 {
        let error = doc.refresh().unwrap_err();
        let problem = doc.problem().unwrap();
        assert_eq!(problem, DocumentProblem::ConnectionLost(error.to_string()));
        assert_eq!(
            problem.to_string(),
            format!("connection lost: {error} — retrying")
        );
        assert_eq!(doc.record_count(), 50);
        assert_eq!(doc.rows(0..50, Some(64 * 1024)), shown);
    }
    disarm_read_fault("share-goes-away.log");

    assert!(matches!(
        doc.refresh().unwrap(),
        FileChange::Appended { .. }
    ));
    doc.wait();
    assert_eq!(doc.problem(), None);
    assert_eq!(doc.record_count(), 51);
    assert_eq!(messages(&doc).last().unwrap(), "written while away");
    assert_eq!(doc.refresh().unwrap(), FileChange::Unchanged);
}
