//! `logweave tail`: snapshots of its output for people (with and without
//! colour) and for scripts, missing files, waiting for a file, Ctrl+C, and a
//! torture test where a writer appends, rolls over, truncates, deletes and
//! re-creates a log while the tail runs as a child process.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

#[path = "support/churn.rs"]
mod churn;

use churn::{ccm, logweave, spawn_tail};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/tail")
        .join(name)
}

fn run(args: &[&str]) -> (String, String, Option<i32>) {
    let output = logweave().args(args).output().unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.code(),
    )
}

fn expected(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap()
}

/// `logweave tail -n all --no-follow --color COLOR` on the mixed fixture.
fn whole_fixture(color: &str) -> String {
    let log = fixture("mixed.log");
    let (out, err, code) = run(&[
        "tail",
        "-n",
        "all",
        "--no-follow",
        "--color",
        color,
        log.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    out
}

#[test]
fn prints_time_component_and_message_without_colour() {
    let out = whole_fixture("never");
    assert_eq!(out, expected("mixed.expected"));
    // auto is off when stdout is not a terminal (here: a pipe).
    let log = fixture("mixed.log");
    let (auto, _, _) = run(&["tail", "-n", "all", "--no-follow", log.to_str().unwrap()]);
    assert_eq!(auto, out);
}

#[test]
fn colours_errors_red_and_warnings_yellow() {
    assert_eq!(whole_fixture("always"), expected("mixed.colour.expected"));
}

#[test]
fn last_n_after_severity_filters() {
    let log = fixture("mixed.log");
    let (out, _, code) = run(&[
        "tail",
        "-n",
        "2",
        "--no-follow",
        "--errors",
        "--warnings",
        "--color",
        "never",
        log.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(out, expected("mixed.problems.expected"));
    let (errors, _, _) = run(&[
        "tail",
        "--no-follow",
        "--errors",
        "--grep",
        "0x8007",
        log.to_str().unwrap(),
    ]);
    assert_eq!(
        errors,
        "E 10:21:10.250  TSManager        Failed to download policy 0x80070005\n"
    );
    let (last, _, _) = run(&["tail", "-n", "1", "--no-follow", log.to_str().unwrap()]);
    assert_eq!(
        last,
        "  10:22:00.000  InstallSoftware  Step 'Apply OS' done\n"
    );
}

#[test]
fn json_has_the_rows_keys_plus_source() {
    let log = fixture("mixed.log");
    let path = log.to_str().unwrap();
    let (tail, _, code) = run(&["tail", "--json", "-n", "all", "--no-follow", path]);
    assert_eq!(code, Some(0));
    let (rows, _, _) = run(&["rows", "--json", path]);
    assert_eq!(tail.lines().count(), 5);
    for (tail_line, rows_line) in tail.lines().zip(rows.lines()) {
        let mut tail_value: serde_json::Value = serde_json::from_str(tail_line).unwrap();
        let rows_value: serde_json::Value = serde_json::from_str(rows_line).unwrap();
        let source = tail_value.as_object_mut().unwrap().remove("source");
        assert_eq!(source, Some(serde_json::Value::from(path)));
        assert_eq!(tail_value, rows_value);
    }
}

#[test]
fn several_files_are_merged_with_a_source_tag() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.log");
    let b = dir.path().join("bb.log");
    std::fs::write(&a, ccm(0, "first", 1) + &ccm(2, "third", 1)).unwrap();
    std::fs::write(&b, ccm(1, "second", 3)).unwrap();
    let (out, err, code) = run(&[
        "tail",
        "--no-follow",
        "--color",
        "never",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    // A numbered legend once, then the tag, and E/W without colour.
    assert_eq!(
        out,
        format!(
            "[1] {}\n[2] {}\n\
             [1]   10:00:00.000  Writer           first\n\
             [2] E 10:00:01.000  Writer           second\n\
             [1]   10:00:02.000  Writer           third\n",
            a.display(),
            b.display()
        )
    );
}

#[test]
fn a_missing_file_is_a_one_line_error_naming_it() {
    let (out, err, code) = run(&["tail", "no-such-dir/smsts.log"]);
    assert_eq!(code, Some(1));
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no-such-dir/smsts.log"), "{err}");
}

#[test]
fn waits_for_a_file_that_does_not_exist_yet() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("smsts.log");
    let tail = spawn_tail(&[
        "--wait",
        "--interval",
        "20",
        "--color",
        "never",
        path.to_str().unwrap(),
    ]);
    std::thread::sleep(Duration::from_millis(200));
    std::fs::write(&path, ccm(5, "the task sequence starts", 1)).unwrap();
    let line = tail.next_line(Duration::from_secs(10));
    let err = tail.finish();
    assert_eq!(
        line.as_deref(),
        Some("  10:00:05.000  Writer           the task sequence starts")
    );
    assert!(err.contains("exists now"), "{err}");
}

#[cfg(unix)]
#[test]
fn ctrl_c_exits_cleanly_with_code_0() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.log");
    std::fs::write(&path, ccm(0, "hello", 1)).unwrap();
    let mut tail = spawn_tail(&["--interval", "20", path.to_str().unwrap()]);
    assert!(tail.next_line(Duration::from_secs(10)).is_some());
    let sent = Command::new("kill")
        .args(["-INT", &tail.child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = tail.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "tail did not exit on SIGINT");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
    tail.finish();
}

/// The churn of `support/churn.rs` with the tail reading the file itself.
#[test]
fn every_record_once_across_rollover_truncation_and_recreation() {
    let (cycles, err) = churn::every_record_once(|path| path.to_str().unwrap().to_owned());
    assert!(cycles >= 60, "only {cycles} cycles ran in the time budget");
    assert!(
        err.contains("rolled over to smsts.lo_; following the new file"),
        "{err}"
    );
    // A truncation seen before the file grew again reads "truncated"; one
    // seen after it grew past its old length reads "rewritten".
    assert!(
        err.contains("truncated") || err.contains("was rewritten"),
        "{err}"
    );
}
