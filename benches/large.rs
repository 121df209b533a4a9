//! Memory bounds on a 10 GB log (issue 18): the document API the window
//! uses, on `gen_ccm_log.py --size 10G --seed 1`. Measures the indexing
//! time, the index's heap bytes per record, the process's anonymous memory
//! (sampled while indexing: the index, buffers and everything else but the
//! file's own pages, which the system can drop), the time to read a screen
//! of rows while indexing runs and after (what one frame reads), and how
//! soon a search and a filter over the whole file stop once cancelled.
//!
//! `cargo bench --bench large` (`LOGWEAVE_BENCH_DIR` keeps the 10 GB input;
//! `LOGWEAVE_LARGE_SIZE=2G` for a smaller one). Prints a markdown table;
//! results go to benches/RESULTS.md.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use logweave::document::{LogDocument, OpenOptions};
use logweave::filter::{Clause, Field, Filter, Op};
use logweave::jobs::Job;
use logweave::search::{self, Query};

mod common;
use common::{Input, fmt_time};

/// Anonymous resident memory of this process, bytes (`RssAnon`).
fn anonymous_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("RssAnon:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

fn mib(bytes: u64) -> String {
    format!("{:.0} MiB", bytes as f64 / (1 << 20) as f64)
}

/// The slowest of `samples` reads of a screen (50 rows) ending at the
/// last record indexed so far.
fn screen_read(doc: &LogDocument) -> Duration {
    let end = doc.record_count();
    let started = Instant::now();
    let rows = doc.rows(end.saturating_sub(50)..end, Some(64 * 1024));
    std::hint::black_box(rows);
    started.elapsed()
}

/// Starts `work` as a job, cancels it after `after`, returns how long it
/// took to stop once cancelled and the progress it had made.
fn cancel_after<T: Send + 'static>(
    name: &str,
    after: Duration,
    work: impl FnOnce(&logweave::jobs::JobContext) -> T + Send + 'static,
) -> (Duration, f32) {
    let job = Job::spawn(name, None, work);
    std::thread::sleep(after);
    let progress = job.progress();
    let cancelled = Instant::now();
    job.cancel();
    let _ = job.wait();
    (cancelled.elapsed(), progress)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this
    // binary without it, and a benchmark is not a test: nothing to do then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let size: &'static str = Box::leak(
        std::env::var("LOGWEAVE_LARGE_SIZE")
            .unwrap_or_else(|_| "10G".to_owned())
            .into_boxed_str(),
    );
    let name: &'static str = Box::leak(format!("ccm-{size}.log").into_boxed_str());
    let input = Input {
        name,
        size,
        format: "ccm",
    };
    let (dir, _guard) = common::input_dir();
    let path = common::generate(&common::generator(), &dir, &input);
    let bytes = std::fs::metadata(&path).expect("input").len();
    let before = anonymous_bytes();

    // Indexing, with memory sampled and a screen read every 50 ms.
    let started = Instant::now();
    let doc = Arc::new(LogDocument::open(&path, OpenOptions::default()).expect("open"));
    let peak = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, stop) = (Arc::clone(&peak), Arc::clone(&stop));
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                peak.fetch_max(anonymous_bytes(), Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };
    let mut reads_while_indexing = Vec::new();
    while doc.is_indexing() {
        reads_while_indexing.push(screen_read(&doc));
        std::thread::sleep(Duration::from_millis(50));
    }
    doc.wait();
    let indexed_in = started.elapsed();
    stop.store(true, Ordering::SeqCst);
    sampler.join().unwrap();
    let records = doc.record_count();
    let index_bytes = doc.with_index(|index| index.heap_bytes()) as u64;
    let after = anonymous_bytes();
    let slowest_while_indexing = reads_while_indexing
        .iter()
        .max()
        .copied()
        .unwrap_or_default();
    let reads_after: Vec<Duration> = (0..20)
        .map(|i| {
            let at = records / 20 * i;
            let started = Instant::now();
            std::hint::black_box(doc.rows(at..at + 50, Some(64 * 1024)));
            started.elapsed()
        })
        .collect();
    let slowest_after = reads_after.iter().max().copied().unwrap_or_default();

    // A search and a filter over every record, cancelled after 500 ms.
    let query = Query::text("no record says this");
    let matcher = query.compile().expect("query");
    let searched = Arc::clone(&doc);
    let (search_stop, search_progress) =
        cancel_after("bench-search", Duration::from_millis(500), move |ctx| {
            search::search(&searched, &matcher, 0..usize::MAX, ctx)
        });
    let filter = Filter {
        clauses: vec![Clause {
            field: Field::Text,
            op: Op::Contains,
            value: "no record says this".to_owned(),
        }],
    }
    .compile()
    .expect("filter");
    let filtered = Arc::clone(&doc);
    let (filter_stop, filter_progress) =
        cancel_after("bench-filter", Duration::from_millis(500), move |ctx| {
            logweave::filter::apply(&filtered, &filter, 0..usize::MAX, ctx)
        });

    println!(
        "\n{} ({} bytes), {} records; load average {}\n",
        path.display(),
        bytes,
        records,
        common::load_average().unwrap_or_default()
    );
    println!("| figure | value |\n|---|---|");
    println!(
        "| indexed in | {} ({:.0} MB/s) |",
        fmt_time(indexed_in),
        bytes as f64 / 1e6 / indexed_in.as_secs_f64()
    );
    println!(
        "| index heap | {} ({:.2} bytes per record) |",
        mib(index_bytes),
        index_bytes as f64 / records.max(1) as f64
    );
    println!(
        "| anonymous memory | {} before opening, peak {} while indexing, {} after |",
        mib(before),
        mib(peak.load(Ordering::SeqCst)),
        mib(after)
    );
    println!(
        "| a screen of rows (50) while indexing | slowest {} of {} reads |",
        fmt_time(slowest_while_indexing),
        reads_while_indexing.len()
    );
    println!(
        "| a screen of rows (50) after, 20 places | slowest {} |",
        fmt_time(slowest_after)
    );
    println!(
        "| search cancelled after 500 ms | stopped {} later, at {:.0} % |",
        fmt_time(search_stop),
        search_progress * 100.0
    );
    println!(
        "| filter cancelled after 500 ms | stopped {} later, at {:.0} % |",
        fmt_time(filter_stop),
        filter_progress * 100.0
    );
}
