//! CPU renderer benchmark: how long `gui::raster` takes to paint a full
//! 1920×1080 frame of the log view (list, outline, details pane), next to
//! what egui needs to lay the frame out and tessellate it.
//!
//! `cargo bench --bench cpu_frame` (LOGWEAVE_CPU_FRAME_INPUT=FILE for
//! another log; default: the bundled smsts.log, scrolled one row a frame).
//! Prints a markdown table; results go to benches/RESULTS.md.

#[path = "../tests/common/cpu_renderer.rs"]
mod cpu_renderer;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use logweave::gui::{LogWeaveApp, Settings, ThemeChoice};

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

struct Samples {
    app: Vec<Duration>,
    tessellate: Vec<Duration>,
    paint: Vec<Duration>,
}

fn run(input: &std::path::Path, theme: ThemeChoice, frames: usize) -> Samples {
    let files = vec![input.to_path_buf()];
    let (renderer, timing) = cpu_renderer::CpuRenderer::new();
    let settings = Settings {
        theme,
        ..Settings::default()
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(1920.0, 1080.0))
        .renderer(renderer)
        .with_render_cursor(false)
        .build_eframe(move |_cc| LogWeaveApp::with_settings(settings, &files, None));
    let deadline = Instant::now() + Duration::from_secs(120);
    while h.state().tabs.iter().any(|t| t.busy().is_some()) && Instant::now() < deadline {
        h.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    h.run_steps(10);
    let rows = h.state().tabs[0].primary().doc().record_count();
    let mut samples = Samples {
        app: Vec::new(),
        tessellate: Vec::new(),
        paint: Vec::new(),
    };
    for k in 0..frames {
        // A fresh set of rows every frame, as while scrolling.
        let tab = h.state_mut().tabs[0].primary_mut();
        tab.view.follow_end = false;
        tab.view.top = k % rows.max(1);
        let started = Instant::now();
        h.step();
        samples.app.push(started.elapsed());
        h.render().expect("CPU render");
        let t = *timing.lock().unwrap();
        samples.tessellate.push(t.tessellate);
        samples.paint.push(t.paint);
    }
    samples
}

fn main() {
    // `cargo test --all-targets` runs this without `--bench`: not a test.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let input = std::env::var_os("LOGWEAVE_CPU_FRAME_INPUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("resources/samples/smsts.log")
        });
    println!(
        "| 1920×1080, {}, {} threads | median ms | p99 ms | max ms |",
        input.file_name().unwrap_or_default().to_string_lossy(),
        rayon::current_num_threads()
    );
    println!("|---|---|---|---|");
    for (name, theme) in [("dark", ThemeChoice::Dark), ("light", ThemeChoice::Light)] {
        let mut s = run(&input, theme, 300);
        let mut total: Vec<Duration> = (0..s.paint.len())
            .map(|i| s.app[i] + s.tessellate[i] + s.paint[i])
            .collect();
        for (what, samples) in [
            ("paint (raster)", &mut s.paint),
            ("tessellate (egui)", &mut s.tessellate),
            ("app frame (egui layout)", &mut s.app),
            ("whole frame", &mut total),
        ] {
            let max = *samples.iter().max().expect("samples");
            let (median, p99) = (percentile(samples, 0.5), percentile(samples, 0.99));
            println!(
                "| {name}: {what} | {} | {} | {} |",
                ms(median),
                ms(p99),
                ms(max)
            );
        }
    }
}
