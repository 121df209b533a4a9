//! The memory of `logweave serve` while clients follow a large log (issue
//! 16). Three scenarios per generated input, each on a new `serve`
//! process sharing a folder with one `smsts.log`:
//! - *follow*: a writer grows the log to the input's size, 1 MiB at a
//!   time, while `logweave tail -n all --json URL` follows it and a second
//!   client does what the web page's tail does (the change stream, the last
//!   rows after every change);
//! - *catch up*: the finished log read from its start by `tail -n all`;
//! - *outline*: as *follow*, the second client also asking the triage and
//!   the outline of the task sequence every 2 s (the page: every 15 s).
//!
//! The server's memory is sampled from `/proc/PID/status` every 20 ms:
//! `RssAnon` (what the server holds itself) and `VmHWM` (its peak resident
//! set, with the pages of the log it mapped, which the system can drop).
//!
//! `cargo bench --bench serve` (`LOGWEAVE_BENCH_DIR` keeps the inputs;
//! `LOGWEAVE_SERVE_SIZES=100M,1G` by default). Prints a markdown table;
//! results go to benches/RESULTS.md.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use logweave::document::{LogDocument, OpenOptions};
use logweave::remote::{Client, RemoteAddress};

mod common;
use common::Input;
#[path = "../tests/support/served.rs"]
mod served;
use served::Served;

const TOKEN: &str = "Bench-Token-serve-memory-2026";
const CHUNK: usize = 1 << 20;

/// One field of `/proc/PID/status`, bytes.
fn status_bytes(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1 << 20) as f64)
}

/// Samples a process's `RssAnon` every 20 ms into a running maximum.
struct Sampler {
    peak: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Sampler {
    fn start(pid: u32) -> Sampler {
        let peak = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (peak, stop) = (Arc::clone(&peak), Arc::clone(&stop));
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    peak.fetch_max(status_bytes(pid, "RssAnon:"), Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(20));
                }
            })
        };
        Sampler {
            peak,
            stop,
            thread: Some(thread),
        }
    }

    fn finish(mut self) -> u64 {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        self.peak.load(Ordering::SeqCst)
    }
}

/// A child process killed when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn logweave() -> Command {
    Command::new(env!("CARGO_BIN_EXE_logweave"))
}

/// `logweave tail -n all --json URL` counting the records it prints.
fn follow(address: &str) -> (Running, Arc<AtomicU64>) {
    let (origin, fragment) = address.split_once('#').expect("the address has a fragment");
    let url = format!("{}/0/smsts.log#{fragment}", origin.trim_end_matches('/'));
    let mut child = logweave()
        .args(["tail", "-n", "all", "--json", &url])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start logweave tail");
    let stdout = child.stdout.take().expect("tail's stdout");
    let count = Arc::new(AtomicU64::new(0));
    let counted = Arc::clone(&count);
    std::thread::spawn(move || {
        for _ in BufReader::new(stdout).split(b'\n').map_while(Result::ok) {
            counted.fetch_add(1, Ordering::SeqCst);
        }
    });
    (Running(child), count)
}

/// What the web page asks: the last rows after each change and, with
/// `outline`, the triage and the outline every 2 s.
fn page_like(address: &str, outline: bool, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<u64> {
    let address = RemoteAddress::parse(address).expect("the printed address parses");
    std::thread::spawn(move || {
        let client = Client::new(address).expect("client");
        let mut asked = 0u64;
        let mut generation = 0u64;
        let mut side_at = Instant::now() - Duration::from_secs(10);
        while !stop.load(Ordering::SeqCst) {
            if let Ok(answer) = client.get(&format!("/v1/changes?since={generation}&wait=1")) {
                let value: serde_json::Value =
                    serde_json::from_slice(&answer.body).unwrap_or_default();
                generation = value["generation"].as_u64().unwrap_or(generation);
            }
            let _ = client.get("/v1/rows/0/smsts.log?last=65536");
            asked += 2;
            if outline && side_at.elapsed() >= Duration::from_secs(2) {
                let _ = client.get("/v1/triage");
                let _ = client.get("/v1/outline");
                asked += 2;
                side_at = Instant::now();
            }
        }
        asked
    })
}

fn wait_for(count: &AtomicU64, records: u64, within: Duration) -> bool {
    let started = Instant::now();
    while count.load(Ordering::SeqCst) < records {
        if started.elapsed() > within {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    true
}

#[derive(Clone, Copy, PartialEq)]
enum Scenario {
    Follow,
    CatchUp,
    Outline,
}

/// What one scenario measured.
struct Measured {
    idle: u64,
    peak: u64,
    hwm: u64,
    all_records: bool,
    took: Duration,
    asked: u64,
}

fn run(scenario: Scenario, data: &[u8], records: u64) -> Measured {
    let work = tempfile::tempdir().expect("temporary folder");
    let served = work.path().join("SMSTSLog");
    std::fs::create_dir(&served).unwrap();
    let log = served.join("smsts.log");
    let whole = scenario == Scenario::CatchUp;
    std::fs::write(&log, if whole { data } else { &[] }).unwrap();
    let token_file = work.path().join("token.txt");
    std::fs::write(&token_file, TOKEN).unwrap();
    let server = Served::start(&served, &token_file, &[]);
    let address = server.address.clone();
    let pid = server.child.id();
    std::thread::sleep(Duration::from_secs(2));
    let idle = status_bytes(pid, "RssAnon:");

    let sampler = Sampler::start(pid);
    let started = Instant::now();
    let (tail, count) = follow(&address);
    let stop = Arc::new(AtomicBool::new(false));
    let page =
        (!whole).then(|| page_like(&address, scenario == Scenario::Outline, Arc::clone(&stop)));
    if !whole {
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
        for chunk in data.chunks(CHUNK) {
            file.write_all(chunk).unwrap();
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    let all_records = wait_for(&count, records, Duration::from_secs(900));
    let took = started.elapsed();
    stop.store(true, Ordering::SeqCst);
    let asked = page.map_or(0, |p| p.join().unwrap_or_default());
    drop(tail);
    let peak = sampler.finish();
    let hwm = status_bytes(pid, "VmHWM:");
    drop(server);
    Measured {
        idle,
        peak,
        hwm,
        all_records,
        took,
        asked,
    }
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let sizes = std::env::var("LOGWEAVE_SERVE_SIZES").unwrap_or_else(|_| "100M,1G".to_owned());
    let (dir, _guard) = common::input_dir();
    println!(
        "load average before: {}",
        common::load_average().unwrap_or_default()
    );
    println!();
    println!(
        "| input | scenario | server idle | peak `RssAnon` | peak per MiB of log | `VmHWM` (with the log's mapped pages) | records | time | page-like requests |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for size in sizes.split(',') {
        let size: &'static str = Box::leak(size.trim().to_owned().into_boxed_str());
        let name: &'static str = Box::leak(format!("ccm-{size}.log").into_boxed_str());
        let input = Input {
            name,
            size,
            format: "ccm",
        };
        let path = common::generate(&common::generator(), &dir, &input);
        let records = LogDocument::open_blocking(&path, OpenOptions::default())
            .expect("open the input")
            .record_count() as u64;
        let data = std::fs::read(&path).expect("read the input");
        let log_mib = data.len() as f64 / (1 << 20) as f64;
        for (scenario, label) in [
            (Scenario::Follow, "follow"),
            (Scenario::CatchUp, "catch up"),
            (Scenario::Outline, "outline"),
        ] {
            let m = run(scenario, &data, records);
            println!(
                "| {name} | {label} | {} | {} | {:.0} KiB | {} | {} | {:.1} s | {} |",
                mib(m.idle),
                mib(m.peak),
                m.peak as f64 / 1024.0 / log_mib,
                mib(m.hwm),
                if m.all_records {
                    format!("all {records}")
                } else {
                    "NOT all".to_owned()
                },
                m.took.as_secs_f64(),
                m.asked,
            );
        }
    }
}
