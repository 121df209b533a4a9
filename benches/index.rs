//! Indexing throughput against two anchors, side by side in one run.
//!
//! For each generated input (100 MiB and 1 GiB CCM, 1 GiB plain text) it
//! prints a markdown table:
//! * `wc -l` on the file (a spawned process),
//! * a plain memchr newline count over a fresh memory map (one thread),
//! * the full record index (`index_range`, 1 thread and all threads), from
//!   opening the file to a finished, shrunk `RecordIndex`,
//! * the first-screen latency: `LogDocument::open` until `record_count() >= 50`.
//!
//! Bytes per record is `RecordIndex::heap_bytes() / len()` after the build
//! (the capacity of its vectors: what stays resident while the file is open).
//!
//! Run with `cargo bench --bench index`. Environment:
//! * `LOGWEAVE_BENCH_DIR=DIR`: keep the inputs in DIR (generated there once,
//!   reused by later runs) instead of a fresh temporary folder.
//! * `LOGWEAVE_BENCH_QUICK=1`: only the 100 MiB CCM input, 3 runs (smoke test).
//! * `LOGWEAVE_BENCH_RUNS=N`: runs per measurement (default 5; median reported).
//! * `LOGWEAVE_BENCH_INPUTS=ccm-1G.log,...`: only these inputs.
//! * `LOGWEAVE_BENCH_GEN=PATH`: the generator (default `../shared/gen_ccm_log.py`).

use std::path::Path;
use std::process::Command;
use std::sync::RwLock;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

mod common;
use common::{INPUTS, Input, env_flag, fmt_time, generate, load_average, measure, median, warm};

use logweave::document::{LogDocument, OpenOptions};
use logweave::formats::{DETECT_SAMPLE_BYTES, Dialect, SeverityKeywords};
use logweave::index::{BuildOptions, IndexProgress, RecordIndex, index_range};
use logweave::source::{LogFile, MapPolicy};

/// Records the first screen needs.
const FIRST_SCREEN: usize = 50;

/// One measured method.
struct Row {
    method: String,
    median: Duration,
    /// Records (or lines, for the newline counters) it reported.
    items: usize,
    /// Index heap bytes per record (index rows only).
    bytes_per_record: Option<f64>,
}

fn wc_lines(path: &Path) -> usize {
    let out = Command::new("wc")
        .arg("-l")
        .arg(path)
        .output()
        .expect("wc runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .expect("wc prints a count")
}

/// Newlines counted over a memory map of the file (mapped through the
/// crate's own source, so the anchor pays the same mapping cost as the index
/// and the crate keeps its only `unsafe` in `src/sys.rs`).
fn memchr_lines(path: &Path) -> usize {
    let file = LogFile::open(path).expect("open input");
    let map = file.snapshot(MapPolicy::Auto).expect("map input");
    memchr::memchr_iter(b'\n', &map).count()
}

/// The full index of a file as the document builds it: open, map, detect,
/// index, shrink. Returns the index.
fn full_index(path: &Path, threads: usize) -> RecordIndex {
    let file = LogFile::open(path).expect("open input");
    let snapshot = file.snapshot(MapPolicy::Auto).expect("snapshot");
    let sample = &snapshot[..snapshot.len().min(DETECT_SAMPLE_BYTES)];
    let dialect = Dialect::detect(sample, &SeverityKeywords::default());
    let index = RwLock::new(RecordIndex::new(dialect.bom_len as u64));
    let options = BuildOptions {
        threads,
        ..BuildOptions::default()
    };
    let progress = IndexProgress::default();
    let cancel = AtomicBool::new(false);
    index_range(&dialect, &snapshot, &index, &options, &progress, &cancel).expect("not cancelled");
    let mut index = index.into_inner().expect("not poisoned");
    index.shrink_to_fit();
    index
}

/// Time from `LogDocument::open` until the first screenful of records is
/// indexed (median of `runs`), and the records seen then. Each document is
/// cancelled and dropped outside the timed part, before the next run.
fn first_screen(path: &Path, runs: usize) -> (Duration, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut shown = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let doc = LogDocument::open(path, OpenOptions::default()).expect("open document");
        loop {
            shown = doc.record_count();
            if shown >= FIRST_SCREEN || !doc.is_indexing() {
                break;
            }
            std::thread::sleep(Duration::from_micros(20));
        }
        times.push(started.elapsed());
        shown = shown.max(doc.record_count());
        drop(doc);
    }
    (median(times), shown)
}

fn mb_per_s(bytes: u64, t: Duration) -> f64 {
    bytes as f64 / 1e6 / t.as_secs_f64()
}

fn fmt_rate(per_s: f64) -> String {
    if per_s >= 1e6 {
        format!("{:.1} M/s", per_s / 1e6)
    } else {
        format!("{:.0} k/s", per_s / 1e3)
    }
}

fn bench_input(path: &Path, runs: usize, threads_all: usize) {
    let bytes = std::fs::metadata(path).expect("stat input").len();
    warm(path);
    let load = load_average();
    let mut rows = Vec::new();

    let (t, lines) = measure(runs, || wc_lines(path));
    rows.push(Row {
        method: "`wc -l`".into(),
        median: t,
        items: lines,
        bytes_per_record: None,
    });
    let (t, lines) = measure(runs, || memchr_lines(path));
    rows.push(Row {
        method: "memchr `\\n` count (mmap, 1 thread)".into(),
        median: t,
        items: lines,
        bytes_per_record: None,
    });
    let memchr_time = t;

    let mut counts = Vec::new();
    for (label, threads) in [("1 thread", 1), ("all threads", 0)] {
        let (t, index) = measure(runs, || full_index(path, threads));
        let per_record = index.heap_bytes() as f64 / index.len().max(1) as f64;
        counts.push(index.len());
        rows.push(Row {
            method: format!(
                "LogWeave full index, {label}{}",
                if threads == 0 {
                    format!(" ({threads_all})")
                } else {
                    String::new()
                }
            ),
            median: t,
            items: index.len(),
            bytes_per_record: Some(per_record),
        });
    }
    assert!(
        counts.windows(2).all(|w| w[0] == w[1]),
        "thread counts disagree on the record count: {counts:?}"
    );

    let (latency, shown) = first_screen(path, runs);

    println!(
        "### {} ({bytes} bytes, {} records, {lines} lines)\n",
        path.file_name().unwrap_or_default().to_string_lossy(),
        counts[0]
    );
    if let Some(load) = load {
        println!("Load average (1, 5, 15 min) before this input: {load}.\n");
    }
    println!(
        "| method | time (median of {runs}) | MB/s | records/s | ratio vs memchr | bytes/record |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for row in &rows {
        let rate = row.items as f64 / row.median.as_secs_f64();
        let unit = if row.bytes_per_record.is_some() {
            ""
        } else {
            " lines"
        };
        println!(
            "| {} | {} | {:.0} | {}{unit} | {:.2}× | {} |",
            row.method,
            fmt_time(row.median),
            mb_per_s(bytes, row.median),
            fmt_rate(rate),
            row.median.as_secs_f64() / memchr_time.as_secs_f64(),
            row.bytes_per_record
                .map_or("–".to_owned(), |b| format!("{b:.2}")),
        );
    }
    println!(
        "| first screen: `LogDocument::open` → `record_count() >= {FIRST_SCREEN}` (all threads) | {} | | | | |",
        fmt_time(latency)
    );
    println!();
    assert!(
        shown >= FIRST_SCREEN.min(counts[0]),
        "first screen saw only {shown} records"
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this
    // binary without it, and a benchmark is not a test: nothing to do then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let quick = env_flag("LOGWEAVE_BENCH_QUICK");
    let runs = std::env::var("LOGWEAVE_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 3 } else { 5 })
        .max(1);
    let generator = common::generator();
    let (dir, _temp) = common::input_dir();
    let threads_all = std::thread::available_parallelism().map_or(1, usize::from);
    println!("## LogWeave index benchmark\n");
    println!(
        "{threads_all} hardware threads; inputs in {}; median of {runs} runs; MB = 10^6 bytes.\n",
        dir.display()
    );
    let only = std::env::var("LOGWEAVE_BENCH_INPUTS").ok();
    let inputs: &[Input] = if quick { &INPUTS[..1] } else { &INPUTS };
    let wanted = |input: &&Input| {
        only.as_deref()
            .is_none_or(|list| list.split(',').any(|n| n.trim() == input.name))
    };
    for input in inputs.iter().filter(wanted) {
        let path = generate(&generator, &dir, input);
        bench_input(&path, runs, threads_all);
    }
}
