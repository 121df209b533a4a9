//! `logweave search` against `rg -c` on the generated 1 GiB logs: the same
//! query, both as spawned processes from a warm page cache, output to
//! /dev/null. ripgrep counts matching lines; LogWeave finds the matching
//! records, numbers them as the index does and prints them whole, so it does
//! strictly more. Prints a markdown table per input with the ratio.
//!
//! Run with `cargo bench --bench search` (builds the release binary).
//! Environment as for the index benchmark: `LOGWEAVE_BENCH_DIR`,
//! `LOGWEAVE_BENCH_RUNS`, `LOGWEAVE_BENCH_INPUTS`, `LOGWEAVE_BENCH_GEN`,
//! `LOGWEAVE_BENCH_QUICK` (100 MiB input only).

use std::path::Path;
use std::process::{Command, Stdio};

mod common;
use common::{INPUTS, env_flag, fmt_time, generate, load_average, measure, warm};

/// One query: LogWeave's arguments and ripgrep's for the same thing.
struct Query {
    what: &'static str,
    logweave: &'static [&'static str],
    rg: &'static [&'static str],
}

const QUERIES: &[Query] = &[
    Query {
        what: "literal, match case (`0x80004005`)",
        logweave: &["--case", "0x80004005"],
        rg: &["-c", "0x80004005"],
    },
    Query {
        what: "literal, any case (`failed`)",
        logweave: &["failed"],
        rg: &["-c", "-i", "failed"],
    },
    Query {
        what: "no match (`ZZQQ-not-there`)",
        logweave: &["--case", "ZZQQ-not-there"],
        rg: &["-c", "ZZQQ-not-there"],
    },
    Query {
        what: "error code, every written form (`--code 0x80004005`)",
        logweave: &["--code", "0x80004005"],
        rg: &[
            "-c",
            "-i",
            "-e",
            "0x80004005",
            "-e",
            "80004005",
            "-e",
            "-2147467259",
            "-e",
            "2147500037",
        ],
    },
];

/// Runs a command to /dev/null; returns its exit code.
fn run_quiet(program: &Path, args: &[&str], file: &Path) -> i32 {
    Command::new(program)
        .args(args)
        .arg(file)
        .stdout(Stdio::null())
        .status()
        .expect("the program runs")
        .code()
        .unwrap_or(-1)
}

/// Records LogWeave prints for a query (its JSON Lines, counted).
fn records_found(logweave: &Path, args: &[&str], file: &Path) -> usize {
    let out = Command::new(logweave)
        .arg("search")
        .arg("--json")
        .args(args)
        .arg(file)
        .output()
        .expect("logweave runs");
    out.stdout.iter().filter(|&&b| b == b'\n').count()
}

fn rg_lines(args: &[&str], file: &Path) -> Option<usize> {
    let out = Command::new("rg").args(args).arg(file).output().ok()?;
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .ok()
        .or(Some(0))
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let logweave = Path::new(env!("CARGO_BIN_EXE_logweave"));
    if Command::new("rg").arg("--version").output().is_err() {
        println!("ripgrep (`rg`) is not installed: apt-get install -y ripgrep");
        return;
    }
    let quick = env_flag("LOGWEAVE_BENCH_QUICK");
    let runs = std::env::var("LOGWEAVE_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 3 } else { 5 })
        .max(1);
    let (dir, _temp) = common::input_dir();
    let generator = common::generator();
    let only = std::env::var("LOGWEAVE_BENCH_INPUTS").ok();
    let rg = Path::new("rg");
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    println!("## LogWeave search benchmark\n");
    println!(
        "{threads} hardware threads; inputs in {}; median of {runs} runs; both programs spawned, output to /dev/null.\n",
        dir.display()
    );
    let inputs = if quick { &INPUTS[..1] } else { &INPUTS[1..] };
    for input in inputs.iter().filter(|i| {
        only.as_deref()
            .is_none_or(|list| list.split(',').any(|n| n.trim() == i.name))
    }) {
        let path = generate(&generator, &dir, input);
        warm(&path);
        println!("### {}\n", input.name);
        if let Some(load) = load_average() {
            println!("Load average (1, 5, 15 min) before this input: {load}.\n");
        }
        println!("| query | `rg` | lines | `logweave search` | records | ratio |");
        println!("|---|---:|---:|---:|---:|---:|");
        for query in QUERIES {
            let lines = rg_lines(query.rg, &path).unwrap_or(0);
            let records = records_found(logweave, query.logweave, &path);
            let (rg_time, _) = measure(runs, || run_quiet(rg, query.rg, &path));
            let mut args = vec!["search"];
            args.extend_from_slice(query.logweave);
            let (lw_time, code) = measure(runs, || run_quiet(logweave, &args, &path));
            assert!(code == 0 || code == 3, "logweave search exited with {code}");
            println!(
                "| {} | {} | {lines} | {} | {records} | {:.2}× |",
                query.what,
                fmt_time(rg_time),
                fmt_time(lw_time),
                lw_time.as_secs_f64() / rg_time.as_secs_f64()
            );
        }
        println!();
    }
}
