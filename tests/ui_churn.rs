//! The window under churn: a writer appends to a log, cuts records in half,
//! rolls it over to `.lo_`, truncates it and rewrites it in place, for
//! hundreds of cycles, while the window follows it in a tab of its own and
//! merged with the bundled sample. Afterwards both tabs show exactly the
//! file's records (none lost, none repeated, in order), nothing panicked,
//! and the frames stayed within their budget.
#![cfg(feature = "gui")]

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use logweave::gui::{LogWeaveApp, Settings};

mod common;
use common::sample;

/// Cycles the writer runs.
const CYCLES: u64 = 400;
/// The slowest frame allowed while the file churns, in this unoptimised
/// test build (the window's own frames, rows decoded and laid out; the
/// release build is several times faster).
const FRAME_BUDGET: Duration = Duration::from_millis(250);

/// One record; every record has the same length, so a rewrite with as many
/// records keeps the file's size and only its bytes change.
fn record(seq: u64) -> String {
    let kind = [1, 1, 1, 2, 3][(seq % 5) as usize];
    format!(
        "<![LOG[churn {seq:08}]LOG]!><time=\"10:{:02}:{:02}.{:03}+000\" date=\"01-02-2024\" component=\"writer\" context=\"\" type=\"{kind}\" thread=\"7\" file=\"\">\r\n",
        (seq / 60_000) % 60,
        (seq / 1000) % 60,
        seq % 1000
    )
}

fn records(from: u64, count: u64) -> String {
    (from..from + count).map(record).collect()
}

/// Deterministic choices (xorshift).
struct Dice(u64);
impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % sides
    }
}

/// What the writer did, for the failure message.
#[derive(Default)]
struct Tally {
    appends: u32,
    halves: u32,
    rollovers: u32,
    truncations: u32,
    rewrites: u32,
}

/// Churns `path` for [`CYCLES`] cycles; ends with whole records only.
fn churn(path: &Path) -> Tally {
    let rolled = path.with_extension("lo_");
    let mut dice = Dice(0x5eed_1234_abcd_9876);
    let mut seq = 1000u64;
    let mut tally = Tally::default();
    let append = |text: &str| {
        let mut f = OpenOptions::new().append(true).open(path).unwrap();
        f.write_all(text.as_bytes()).unwrap();
    };
    for _ in 0..CYCLES {
        match dice.roll(20) {
            // Most of the time, records are appended.
            0..=11 => {
                let n = 1 + dice.roll(20);
                append(&records(seq, n));
                seq += n;
                tally.appends += 1;
            }
            // A record written in two pieces, the reader may see the first.
            12..=13 => {
                let text = record(seq);
                let (head, tail) = text.split_at(text.len() / 2);
                append(head);
                std::thread::sleep(Duration::from_millis(dice.roll(30)));
                append(tail);
                seq += 1;
                tally.halves += 1;
            }
            // Rolled over: the log becomes .lo_ and a new one starts.
            14..=15 => {
                std::fs::rename(path, &rolled).unwrap();
                let n = dice.roll(10);
                std::fs::write(path, records(seq, n)).unwrap();
                seq += n;
                tally.rollovers += 1;
            }
            // Truncated in place (same file) and written again.
            16..=17 => {
                let f = OpenOptions::new().write(true).open(path).unwrap();
                f.set_len(0).unwrap();
                drop(f);
                let n = dice.roll(10);
                append(&records(seq, n));
                seq += n;
                tally.truncations += 1;
            }
            // Rewritten in place with as many new records: same size,
            // other bytes.
            _ => {
                let len = std::fs::metadata(path).unwrap().len();
                let count = len / record(0).len() as u64;
                let mut f = OpenOptions::new().write(true).open(path).unwrap();
                f.write_all(records(seq, count).as_bytes()).unwrap();
                seq += count;
                tally.rewrites += 1;
            }
        }
        std::thread::sleep(Duration::from_millis(dice.roll(15)));
    }
    // A last burst the tabs must catch up with.
    append(&records(seq, 3000));
    tally
}

/// The messages of the records in `path`, in order.
fn file_records(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .split("\r\n")
        .filter(|r| !r.is_empty())
        .map(|r| {
            r.strip_prefix("<![LOG[")
                .and_then(|r| r.split_once("]LOG]!>"))
                .expect("whole records only")
                .0
                .to_owned()
        })
        .collect()
}

/// The messages a tab shows of its source `source`, in view order, and the
/// number of its rows from other sources.
fn shown(h: &mut Harness<'static, LogWeaveApp>, tab: usize, source: usize) -> (Vec<String>, usize) {
    let log = h.state_mut().tabs[tab].primary_mut();
    let len = log.view_len();
    let rows = log.rows(0..len);
    let others = rows.iter().filter(|(s, _)| *s != source).count();
    let mine = rows
        .into_iter()
        .filter(|(s, _)| *s == source)
        .map(|(_, row)| row.fields.message)
        .collect();
    (mine, others)
}

#[test]
fn the_window_follows_a_log_through_rollovers_truncations_and_rewrites() {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("churn.log");
    std::fs::write(&path, records(0, 50)).unwrap();
    let settings = Settings {
        poll_interval_ms: 50,
        ..Settings::default()
    };
    let (alone, merged) = (path.clone(), [path.clone(), sample()]);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1200.0, 760.0))
        .build_eframe(move |_cc| {
            let mut app = LogWeaveApp::with_settings(settings, &[alone], None);
            app.open_merged(&merged);
            app
        });
    assert_eq!(h.state().tabs.len(), 2);

    let done = Arc::new(AtomicBool::new(false));
    let writer = {
        let (path, done) = (path.clone(), Arc::clone(&done));
        std::thread::spawn(move || {
            let tally = churn(&path);
            done.store(true, Ordering::SeqCst);
            tally
        })
    };
    // Frames while the file churns, alternating the tab shown.
    let mut frames = Vec::new();
    let mut n = 0usize;
    while !done.load(Ordering::SeqCst) {
        if n.is_multiple_of(20) {
            h.state_mut().active = (n / 20) % 2;
        }
        let started = Instant::now();
        h.step();
        frames.push(started.elapsed());
        n += 1;
        // At every moment, each tab shows the records it has in the order
        // they were written, none twice (sequence numbers only grow within
        // a file and across a rollover); only the last row may be a record
        // still being written. Rows whose bytes were just cut off (before
        // the next look re-indexes) are empty, and only at the end.
        if n.is_multiple_of(5) {
            for tab in 0..2 {
                let (mut messages, _) = shown(&mut h, tab, 0);
                while messages.last().is_some_and(String::is_empty) {
                    messages.pop();
                }
                let last = messages.len().saturating_sub(1);
                let mut previous = None;
                for (i, message) in messages.iter().enumerate() {
                    let seq = message
                        .strip_prefix("churn ")
                        .filter(|s| s.len() == 8)
                        .and_then(|s| s.parse::<u64>().ok());
                    match seq {
                        Some(seq) => {
                            assert!(
                                previous < Some(seq),
                                "tab {tab} frame {n}: {seq} after {previous:?} (row {i})"
                            );
                            previous = Some(seq);
                        }
                        None => assert_eq!(i, last, "tab {tab} frame {n}: row {i} is {message:?}"),
                    }
                }
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let tally = writer.join().expect("the writer finished");
    let summary = format!(
        "{CYCLES} cycles: {} appends, {} records written in two pieces, {} rollovers, {} truncations, {} same-size rewrites",
        tally.appends, tally.halves, tally.rollovers, tally.truncations, tally.rewrites
    );
    assert!(
        tally.rollovers > 10 && tally.truncations > 10 && tally.rewrites > 10 && tally.halves > 10,
        "{summary}"
    );

    // Both tabs settle on the file as it is now.
    let expected = file_records(&path);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        h.step();
        let quiet = h.state().tabs.iter().all(|t| t.busy().is_none());
        let (alone, _) = shown(&mut h, 0, 0);
        let (in_merge, others) = shown(&mut h, 1, 0);
        if quiet && alone == expected && in_merge == expected && others == 205 {
            break;
        }
        if Instant::now() > deadline {
            let first_difference = |got: &[String]| {
                got.iter()
                    .zip(&expected)
                    .position(|(a, b)| a != b)
                    .unwrap_or(got.len().min(expected.len()))
            };
            panic!(
                "{summary}\nthe file holds {} records; its tab shows {} (first difference at {}), the merged tab {} (first difference at {}) and {} of the sample's 205",
                expected.len(),
                alone.len(),
                first_difference(&alone),
                in_merge.len(),
                first_difference(&in_merge),
                others
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    frames.sort();
    let slowest = *frames.last().unwrap();
    let p95 = frames[frames.len() * 95 / 100];
    eprintln!(
        "{summary}; {} frames while churning, 95th percentile {p95:?}, slowest {slowest:?}; {} records at the end",
        frames.len(),
        expected.len()
    );
    assert!(
        slowest <= FRAME_BUDGET,
        "a frame took {slowest:?} (budget {FRAME_BUDGET:?})"
    );
}
