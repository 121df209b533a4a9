//! What the benchmarks share: generated inputs (kept in
//! `LOGWEAVE_BENCH_DIR` between runs), medians, the page cache warmed, the
//! machine's load written beside the figures.
#![allow(dead_code)]

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A generated input: `../shared/gen_ccm_log.py --size SIZE --seed 1`.
pub struct Input {
    pub name: &'static str,
    /// The generator's `--size`.
    pub size: &'static str,
    pub format: &'static str,
}

pub const INPUTS: [Input; 3] = [
    Input {
        name: "ccm-100M.log",
        size: "100M",
        format: "ccm",
    },
    Input {
        name: "ccm-1G.log",
        size: "1G",
        format: "ccm",
    },
    Input {
        name: "plain-1G.log",
        size: "1G",
        format: "plain",
    },
];

pub fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0")
}

pub fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Runs `f` `runs` times; returns the median time and the last result.
pub fn measure<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        drop(last.take());
        let started = Instant::now();
        let out = f();
        times.push(started.elapsed());
        last = Some(out);
    }
    (median(times), last.expect("at least one run"))
}

pub fn generate(generator: &Path, dir: &Path, input: &Input) -> PathBuf {
    let path = dir.join(input.name);
    if path.exists() {
        eprintln!("reusing {}", path.display());
        return path;
    }
    let partial = dir.join(format!("{}.partial", input.name));
    let mut cmd = Command::new("python3");
    cmd.arg(generator)
        .args(["--size", input.size, "--seed", "1"]);
    if input.format != "ccm" {
        cmd.args(["--format", input.format]);
    }
    cmd.arg("-o").arg(&partial);
    eprintln!("generating {} ...", path.display());
    let status = cmd.status().expect("python3 runs the generator");
    assert!(status.success(), "generator failed: {status}");
    std::fs::rename(&partial, &path).expect("rename the generated file");
    path
}

/// Reads the whole file once so every method starts from the page cache.
pub fn warm(path: &Path) {
    let mut file = File::open(path).expect("open input");
    let mut buf = vec![0u8; 4 << 20];
    while file.read(&mut buf).expect("read input") > 0 {}
}

pub fn load_average() -> Option<String> {
    let load = std::fs::read_to_string("/proc/loadavg").ok()?;
    Some(
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" "),
    )
}

pub fn fmt_time(t: Duration) -> String {
    let ms = t.as_secs_f64() * 1e3;
    if ms >= 100.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{ms:.2} ms")
    }
}

/// The generator: `LOGWEAVE_BENCH_GEN`, else `../shared/gen_ccm_log.py`.
pub fn generator() -> PathBuf {
    std::env::var_os("LOGWEAVE_BENCH_GEN")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/gen_ccm_log.py"))
}

/// Where inputs live: `LOGWEAVE_BENCH_DIR` (kept), else a temporary
/// folder removed with the returned guard.
pub fn input_dir() -> (PathBuf, Option<tempfile::TempDir>) {
    match std::env::var_os("LOGWEAVE_BENCH_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            std::fs::create_dir_all(&dir).expect("create LOGWEAVE_BENCH_DIR");
            (dir, None)
        }
        None => {
            let temp = tempfile::tempdir().expect("temporary folder");
            (temp.path().to_owned(), Some(temp))
        }
    }
}
