//! `logweave tail`: snapshots of its output for people (with and without
//! colour) and for scripts, missing files, waiting for a file, Ctrl+C, and a
//! torture test where a writer appends, rolls over, truncates, deletes and
//! re-creates a log while the tail runs as a child process.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

fn logweave() -> Command {
    Command::new(env!("CARGO_BIN_EXE_logweave"))
}

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

/// One CCM record at 10:00:`second` with CRLF.
fn ccm(second: u32, message: &str, kind: u8) -> String {
    format!(
        "<![LOG[{message}]LOG]!><time=\"10:00:{:02}.000+000\" date=\"03-14-2025\" component=\"Writer\" context=\"\" type=\"{kind}\" thread=\"1\" file=\"\">\r\n",
        second % 60
    )
}

/// A child `logweave tail` whose stdout lines arrive on a channel.
struct TailChild {
    child: Child,
    lines: Receiver<String>,
    stderr: std::thread::JoinHandle<String>,
}

fn spawn_tail(args: &[&str]) -> TailChild {
    let mut child = logweave()
        .arg("tail")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, lines) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let stderr = std::thread::spawn(move || {
        let mut text = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            text.push_str(&line);
            text.push('\n');
        }
        text
    });
    TailChild {
        child,
        lines,
        stderr,
    }
}

impl Drop for TailChild {
    fn drop(&mut self) {
        // A failed test must not leave the child following the file.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl TailChild {
    fn next_line(&self, timeout: Duration) -> Option<String> {
        self.lines.recv_timeout(timeout).ok()
    }

    /// Ends the child and returns its stderr.
    fn finish(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let stderr = std::mem::replace(&mut self.stderr, std::thread::spawn(String::new));
        stderr.join().unwrap_or_default()
    }
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

/// What the torture test's writer does between batches of records.
#[derive(Clone, Copy, Debug)]
enum Upheaval {
    /// Rename to `.lo_`, write one more record through the old handle, start a new file.
    RollOver,
    /// Cut the file to nothing; the writer goes on appending.
    Truncate,
    /// Delete the file and create it again.
    Recreate,
}

/// The message of record `seq` (every third one spans three lines).
fn message(seq: u64) -> String {
    if seq.is_multiple_of(3) {
        format!("rec {seq}\r\n  detail line\r\n  last line of {seq}")
    } else {
        format!("rec {seq}")
    }
}

fn append(file: &mut std::fs::File, seq: &mut u64) {
    let record = ccm((*seq % 60) as u32, &message(*seq), 1);
    // One write per record, as ConfigMgr's writer does.
    file.write_all(record.as_bytes()).unwrap();
    *seq += 1;
}

/// What the writer puts at the start of every file it starts (after a
/// rollover, a truncation or a re-creation): the same records every time,
/// more than 4 KiB of them, as a service that logs its settings whenever it
/// starts. A file truncated and written again then starts exactly like before.
const BANNER: &str = "==== Task Sequence Manager started, settings follow ====";
const BANNER_RECORDS: usize = 32;

fn start_file(file: &mut std::fs::File, banners: &mut u64) {
    for _ in 0..BANNER_RECORDS {
        file.write_all(ccm(0, BANNER, 1).as_bytes()).unwrap();
    }
    *banners += 1;
}

fn open_append(path: &Path) -> std::fs::File {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap()
}

/// What the tail printed so far.
#[derive(Default)]
struct Seen {
    /// The next numbered record expected.
    next: u64,
    /// Banner records printed.
    banner_records: u64,
}

/// Reads the tail's JSON lines up to and including record `last`; checks
/// each numbered record arrives once and in order, and counts the banner
/// records in between.
fn catch_up(tail: &TailChild, seen: &mut Seen, last: u64) {
    while seen.next <= last {
        let Some(line) = tail.next_line(Duration::from_secs(20)) else {
            panic!("tail stopped at record {} of {last}", seen.next);
        };
        let value: serde_json::Value = serde_json::from_str(&line).unwrap();
        let text = value["message"].as_str().unwrap();
        if text == BANNER {
            seen.banner_records += 1;
            continue;
        }
        if text != message(seen.next) {
            std::thread::sleep(Duration::from_millis(200));
            let rest: Vec<String> = tail.lines.try_iter().collect();
            panic!("record {}: got {line}; then {rest:?}", seen.next);
        }
        seen.next += 1;
    }
}

/// The writer appends records (some multi-line), then rolls the file over
/// to `.lo_`, truncates it, or deletes and re-creates it, for hundreds of
/// cycles, while `logweave tail --json -n all` runs; every record must come
/// out exactly once and in order. Every file starts with the same banner.
///
/// A writer that truncates or deletes the file faster than the tail looks at
/// it would legitimately lose the records written and removed between two
/// looks, so before truncating or deleting, the writer waits until the tail
/// has printed every record written so far. After truncating, it does not
/// wait: it writes past the old length at once, so the tail may first see the
/// file longer than before, and every record written after the truncation
/// must still come out once and in order. A rollover waits only until the
/// tail has the file open (the records before this cycle's batch): the batch
/// and one more record the writer adds through its old handle after the
/// rename are read from the renamed file before the new one.
#[test]
fn every_record_once_across_rollover_truncation_and_recreation() {
    const CYCLES: usize = 240;
    const TIME_BUDGET: Duration = Duration::from_secs(40);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("smsts.log");
    let rolled = dir.path().join("smsts.lo_");
    let mut seq = 0u64;
    let mut banners = 0u64;
    let mut writer = open_append(&path);
    start_file(&mut writer, &mut banners);
    for _ in 0..5 {
        append(&mut writer, &mut seq);
    }
    let tail = spawn_tail(&[
        "--json",
        "-n",
        "all",
        "--interval",
        "20",
        path.to_str().unwrap(),
    ]);
    let mut seen = Seen::default();
    // The tail starts with what the file holds when it opens it.
    catch_up(&tail, &mut seen, seq - 1);
    let started = Instant::now();
    let mut cycles = 0;
    let upheavals = [Upheaval::RollOver, Upheaval::Truncate, Upheaval::Recreate];
    while cycles < CYCLES && started.elapsed() < TIME_BUDGET {
        let batch_start = seq;
        for _ in 0..(1 + cycles % 4) {
            append(&mut writer, &mut seq);
        }
        match upheavals[cycles % upheavals.len()] {
            Upheaval::RollOver => {
                // The tail must have opened this file (it may be new) to read
                // its rest after the rename; this cycle's batch it has not seen.
                catch_up(&tail, &mut seen, batch_start - 1);
                std::fs::rename(&path, &rolled).unwrap();
                append(&mut writer, &mut seq);
                writer = open_append(&path);
                start_file(&mut writer, &mut banners);
            }
            Upheaval::Truncate => {
                catch_up(&tail, &mut seen, seq - 1);
                let old_len = writer.metadata().unwrap().len();
                writer.set_len(0).unwrap();
                // Without waiting for the tail, grow the file past its old
                // length: the tail may see it empty, part-way, or longer than
                // before and with the same first 4 KiB (the banner), and must
                // read it again from its start in every case. Some cycles
                // pause between records to meet the tail's looks at
                // different points of the regrowth.
                start_file(&mut writer, &mut banners);
                let pause = Duration::from_micros(200 * (cycles / 3 % 3) as u64);
                while writer.metadata().unwrap().len() <= old_len {
                    append(&mut writer, &mut seq);
                    std::thread::sleep(pause);
                }
            }
            Upheaval::Recreate => {
                catch_up(&tail, &mut seen, seq - 1);
                drop(writer);
                std::fs::remove_file(&path).unwrap();
                writer = open_append(&path);
                start_file(&mut writer, &mut banners);
            }
        }
        append(&mut writer, &mut seq);
        cycles += 1;
    }
    catch_up(&tail, &mut seen, seq - 1);
    // Nothing more than what was written.
    let extra = tail.next_line(Duration::from_millis(300));
    let err = tail.finish();
    assert_eq!(extra, None, "a record came out twice or from nowhere");
    assert_eq!(
        seen.banner_records,
        banners * BANNER_RECORDS as u64,
        "banner records lost or repeated"
    );
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
