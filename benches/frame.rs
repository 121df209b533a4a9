//! Frame benchmark for the viewer: CPU time of one egui frame of the real app
//! (headless, through egui_kittest) with a 10 M-record log loaded, while
//! standing still and while scrolling through the whole file.
//!
//! `cargo bench --bench frame` (LOGWEAVE_FRAME_RECORDS=N to change the size).
//! Prints a markdown table; results go to benches/RESULTS.md.

use std::io::Write;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use logweave::gui::{LogWeaveApp, Settings};

const COMPONENTS: [&str; 6] = [
    "TSManager",
    "InstallApplication",
    "OSDDriverClient",
    "ApplyOperatingSystem",
    "TSMBootstrap",
    "ccmsetup",
];

/// Writes `records` CCM records (about 1 % errors, 5 % warnings, some multi-line).
fn generate(path: &std::path::Path, records: usize) -> std::io::Result<u64> {
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..records {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let kind = match state % 100 {
            0 => 3,
            1..=5 => 2,
            _ => 1,
        };
        let ms = i as u64 * 7;
        let (h, m, s, milli) = (
            ms / 3_600_000 % 24,
            ms / 60_000 % 60,
            ms / 1000 % 60,
            ms % 1000,
        );
        let component = COMPONENTS[(state >> 8) as usize % COMPONENTS.len()];
        let message = if state.is_multiple_of(67) {
            format!(
                "Command output line {i}\r\n  detail {}\r\n  more",
                state % 1000
            )
        } else {
            format!(
                "Set a global environment variable _SMSTSStep{}={}",
                state % 97,
                state % 100_000
            )
        };
        write!(
            out,
            "<![LOG[{message}]LOG]!><time=\"{h:02}:{m:02}:{s:02}.{milli:03}+480\" date=\"11-24-2026\" component=\"{component}\" context=\"\" type=\"{kind}\" thread=\"{}\" file=\"engine.cxx:{}\">\r\n",
            1000 + state % 9000,
            state % 2000
        )?;
    }
    out.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this
    // binary without it, and a benchmark is not a test: nothing to do then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let records: usize = std::env::var("LOGWEAVE_FRAME_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000_000);
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("frame-bench.log");
    let started = Instant::now();
    let bytes = generate(&path, records).expect("writing the input");
    eprintln!(
        "generated {records} records ({bytes} bytes) in {:?}",
        started.elapsed()
    );

    let files = vec![path.clone()];
    let mut h = Harness::builder()
        .with_size(egui::vec2(1200.0, 760.0))
        .build_eframe(move |_cc| LogWeaveApp::with_settings(Settings::default(), &files, None));
    let started = Instant::now();
    while h.state().tabs[0].primary().doc().is_indexing() {
        h.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    let loaded = h.state().tabs[0].primary().doc().record_count();
    eprintln!("indexed {loaded} records in {:?}", started.elapsed());
    for _ in 0..20 {
        h.step();
    }

    let mut still = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        h.step();
        still.push(t.elapsed());
    }

    // Scrolling through the whole file: 2,000 positions from the first to the last row,
    // each a fresh set of rows read from the file.
    let mut scrolling = Vec::new();
    let positions = 2000;
    for k in 0..=positions {
        let tab = h.state_mut().tabs[0].primary_mut();
        tab.view.follow_end = false;
        tab.view.top = (loaded as u64 * k / positions) as usize;
        let t = Instant::now();
        h.step();
        scrolling.push(t.elapsed());
    }

    // Keyboard paging: Page Down 500 times from the middle.
    h.state_mut().tabs[0].primary_mut().select_row(loaded / 2);
    h.step();
    let mut paging = Vec::new();
    for _ in 0..500 {
        h.key_press(egui::Key::PageDown);
        let t = Instant::now();
        h.step();
        paging.push(t.elapsed());
    }

    println!(
        "| frame ({loaded} records, {:.0} MiB, 1200×760) | median ms | p99 ms | max ms |",
        bytes as f64 / 1048576.0
    );
    println!("|---|---|---|---|");
    for (name, samples) in [
        ("standing still", &mut still),
        (
            "scrolling through the whole file (2,001 jumps)",
            &mut scrolling,
        ),
        ("Page Down ×500", &mut paging),
    ] {
        let max = *samples.iter().max().expect("samples");
        let (median, p99) = (percentile(samples, 0.5), percentile(samples, 0.99));
        println!("| {name} | {} | {} | {} |", ms(median), ms(p99), ms(max));
    }
}
