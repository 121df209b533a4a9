//! The churn a log goes through while `logweave tail` follows it: a
//! writer appends records (some multi-line), rolls the file over to `.lo_`,
//! truncates it, deletes and re-creates it, for hundreds of cycles, and
//! every record must come out of the tail exactly once and in order —
//! whether the tail reads the file itself or through `logweave serve`.
#![allow(dead_code)] // each test file uses its own part

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

pub fn logweave() -> Command {
    Command::new(env!("CARGO_BIN_EXE_logweave"))
}

/// One CCM record at 10:00:`second` with CRLF.
pub fn ccm(second: u32, message: &str, kind: u8) -> String {
    format!(
        "<![LOG[{message}]LOG]!><time=\"10:00:{:02}.000+000\" date=\"03-14-2025\" component=\"Writer\" context=\"\" type=\"{kind}\" thread=\"1\" file=\"\">\r\n",
        second % 60
    )
}

/// A child `logweave tail` whose stdout lines arrive on a channel.
pub struct TailChild {
    pub child: Child,
    pub lines: Receiver<String>,
    stderr: std::thread::JoinHandle<String>,
}

pub fn spawn_tail(args: &[&str]) -> TailChild {
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
    pub fn next_line(&self, timeout: Duration) -> Option<String> {
        self.lines.recv_timeout(timeout).ok()
    }

    /// Ends the child and returns its stderr.
    pub fn finish(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let stderr = std::mem::replace(&mut self.stderr, std::thread::spawn(String::new));
        stderr.join().unwrap_or_default()
    }
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
pub fn every_record_once(tail_target: impl FnOnce(&Path) -> String) -> (usize, String) {
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
    let target = tail_target(&path);
    let tail = spawn_tail(&["--json", "-n", "all", "--interval", "20", &target]);
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
    (cycles, err)
}
