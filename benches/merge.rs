//! Merge benchmark (issue #6): four 256 MiB CCM logs generated with
//! ../shared/gen_ccm_log.py (different seeds, start times and zones) are
//! indexed, then merged; also the bytes per merged row and the time to turn
//! one file off and on again. Prints a markdown table.
//!
//! `cargo bench --bench merge` (LOGWEAVE_BENCH_DIR=folder reuses inputs;
//! LOGWEAVE_BENCH_QUICK=1 uses 4 × 16 MiB).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use logweave::document::{LogDocument, OpenOptions};
use logweave::merge;

const INPUTS: [(u32, &str, i32); 4] = [
    (11, "2026-11-24 08:00:00", 480),
    (12, "2026-11-24 09:30:00", 300),
    (13, "2026-11-24 07:45:00", -60),
    (14, "2026-11-24 10:15:00", 0),
];

fn generate(dir: &Path, size: &str) -> Vec<PathBuf> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/gen_ccm_log.py");
    INPUTS
        .iter()
        .map(|&(seed, start, tz)| {
            let path = dir.join(format!("merge-{size}-{seed}.log"));
            if !path.exists() {
                let status = Command::new("python3")
                    .arg(&script)
                    .args([
                        "--size",
                        size,
                        "--seed",
                        &seed.to_string(),
                        "--start",
                        start,
                        "--tz",
                        &tz.to_string(),
                        "-o",
                    ])
                    .arg(&path)
                    .status()
                    .expect("python3 runs the generator");
                assert!(status.success(), "the generator failed");
            }
            path
        })
        .collect()
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0}", d.as_secs_f64() * 1000.0)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this
    // binary without it, and a benchmark is not a test: nothing to do then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let quick = std::env::var_os("LOGWEAVE_BENCH_QUICK").is_some();
    let size = if quick { "16M" } else { "256M" };
    let temp = tempfile::tempdir().expect("temporary folder");
    let dir = std::env::var_os("LOGWEAVE_BENCH_DIR")
        .map_or_else(|| temp.path().to_owned(), PathBuf::from);
    let paths = generate(&dir, size);
    let bytes: u64 = paths
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    // Warm the page cache.
    for p in &paths {
        let _ = std::fs::read(p);
    }
    let runs = 3;
    let mut index_times = Vec::new();
    let mut merge_times = Vec::new();
    let mut plan_times = Vec::new();
    let mut toggle_times = Vec::new();
    let mut rows = 0;
    let mut order_bytes = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let docs: Vec<LogDocument> = paths
            .iter()
            .map(|p| LogDocument::open(p, OpenOptions::default()).expect("opens"))
            .collect();
        for d in &docs {
            d.wait();
        }
        index_times.push(started.elapsed());
        let refs: Vec<&LogDocument> = docs.iter().collect();
        let started = Instant::now();
        let plan = merge::plan(&refs, &[None, None, None, None]);
        plan_times.push(started.elapsed());
        let started = Instant::now();
        let merged = merge::merge(&refs, &plan, &AtomicBool::new(false)).expect("not cancelled");
        merge_times.push(started.elapsed());
        rows = merged.order.len();
        order_bytes = merged.order.capacity() * 8;
        let started = Instant::now();
        let without = merged.visible(&[true, false, true, true]);
        let with = merged.visible(&[true, true, true, true]);
        toggle_times.push(started.elapsed() / 2);
        assert!(without.len() < with.len());
    }
    let (index, merge_t, plan_t, toggle) = (
        median(index_times),
        median(merge_times),
        median(plan_times),
        median(toggle_times),
    );
    let total = index + plan_t + merge_t;
    println!(
        "| 4 × {size} CCM ({:.0} MiB, {rows} rows) | ms | ratio to indexing |",
        bytes as f64 / 1048576.0
    );
    println!("|---|---|---|");
    println!(
        "| index the four files (all threads) | {} | 1.00 |",
        ms(index)
    );
    println!(
        "| decide the time rules (plan) | {} | {:.2} |",
        ms(plan_t),
        plan_t.as_secs_f64() / index.as_secs_f64()
    );
    println!(
        "| merge (keys + k-way merge of the files) | {} | {:.2} |",
        ms(merge_t),
        merge_t.as_secs_f64() / index.as_secs_f64()
    );
    println!(
        "| index + plan + merge | {} | {:.2} |",
        ms(total),
        total.as_secs_f64() / index.as_secs_f64()
    );
    println!(
        "| turn one file off or on ({rows} rows) | {} | |",
        ms(toggle)
    );
    println!();
    println!(
        "Merged order: {:.2} bytes per row ({order_bytes} bytes for {rows} rows).",
        order_bytes as f64 / rows as f64
    );
}
