//! The CPU renderer against egui's own GPU renderer: the same frames of the
//! real app (the bundled smsts.log, dark and light theme, list, outline and
//! details pane; the Error Lookup window over it) painted by egui-wgpu on
//! Mesa's llvmpipe and by `gui::raster`, compared pixel by pixel.
//!
//! Tolerance: a pixel matches when no channel differs by more than 24 levels
//! (anti-aliased edges are computed with different arithmetic); at most
//! 0.5 % of pixels may differ more, and the mean difference over all
//! channels must stay under 1 level. Both images and a difference map are
//! written to `target/cpu-renderer/` for a person to look at.
#![cfg(feature = "gui")]

mod common;
#[path = "common/cpu_renderer.rs"]
mod cpu_renderer;

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use logweave::gui::{LogWeaveApp, Settings, ThemeChoice};

use cpu_renderer::CpuRenderer;

const SIZE: egui::Vec2 = egui::vec2(1100.0, 700.0);

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/cpu-renderer");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn app_harness(
    settings: Settings,
    theme: egui::Theme,
    renderer: Option<CpuRenderer>,
) -> Harness<'static, LogWeaveApp> {
    let files = vec![common::sample()];
    let builder = Harness::builder()
        .with_size(SIZE)
        .with_theme(theme)
        .with_render_cursor(false);
    let builder = match renderer {
        Some(cpu) => builder.renderer(cpu),
        None => builder.wgpu(),
    };
    let mut h = builder.build_eframe(move |_cc| LogWeaveApp::with_settings(settings, &files, None));
    common::settle(&mut h, "the sample and its outline", |app| {
        common::idle(app)
            && app
                .active_tab()
                .is_some_and(|t| t.outline.outline.is_some())
    });
    // Go to the first error: a selected red row, its record in the details pane.
    h.key_press(egui::Key::E);
    h.run_steps(4);
    h
}

struct Difference {
    over: usize,
    total: usize,
    mean: f64,
}

fn compare(name: &str, gpu: &image::RgbaImage, cpu: &image::RgbaImage) -> Difference {
    assert_eq!(gpu.dimensions(), cpu.dimensions(), "{name}: sizes");
    let mut map = image::RgbaImage::new(gpu.width(), gpu.height());
    let (mut over, mut sum) = (0usize, 0u64);
    for (x, y, g) in gpu.enumerate_pixels() {
        let c = cpu.get_pixel(x, y);
        // The GPU image is premultiplied over a transparent clear: over black
        // that is its RGB, as the CPU one is painted over black.
        let diff: Vec<u8> = (0..3).map(|i| g[i].abs_diff(c[i])).collect();
        sum += diff.iter().map(|&d| u64::from(d)).sum::<u64>();
        let worst = *diff.iter().max().unwrap();
        if worst > 24 {
            over += 1;
        }
        let shade = worst.saturating_mul(8);
        map.put_pixel(x, y, image::Rgba([shade, shade, shade, 255]));
    }
    let dir = out_dir();
    gpu.save(dir.join(format!("{name}-gpu.png"))).unwrap();
    cpu.save(dir.join(format!("{name}-cpu.png"))).unwrap();
    map.save(dir.join(format!("{name}-difference.png")))
        .unwrap();
    let total = (gpu.width() * gpu.height()) as usize;
    Difference {
        over,
        total,
        mean: sum as f64 / (total * 3) as f64,
    }
}

fn check(
    name: &str,
    settings: Settings,
    theme: egui::Theme,
    also: impl Fn(&mut Harness<'static, LogWeaveApp>),
) {
    let mut gpu = app_harness(settings.clone(), theme, None);
    let (cpu_renderer, _) = CpuRenderer::new();
    let mut cpu = app_harness(settings, theme, Some(cpu_renderer));
    also(&mut gpu);
    also(&mut cpu);
    let gpu_image = gpu.render().expect("the GPU renderer (llvmpipe) renders");
    let cpu_image = cpu.render().expect("the CPU renderer renders");
    let d = compare(name, &gpu_image, &cpu_image);
    let share = d.over as f64 / d.total as f64;
    eprintln!(
        "{name}: {} of {} pixels differ by more than 24 levels ({:.3} %), mean difference {:.3}",
        d.over,
        d.total,
        share * 100.0,
        d.mean
    );
    assert!(
        share <= 0.005,
        "{name}: {:.3} % of pixels differ",
        share * 100.0
    );
    assert!(d.mean < 1.0, "{name}: mean difference {:.3}", d.mean);
}

#[test]
fn the_cpu_renderer_paints_the_dark_log_view_as_the_gpu_does() {
    let settings = Settings {
        theme: ThemeChoice::Dark,
        ..Settings::default()
    };
    check("dark", settings, egui::Theme::Dark, |_| {});
}

#[test]
fn the_cpu_renderer_paints_the_light_log_view_and_a_window_as_the_gpu_does() {
    let settings = Settings {
        theme: ThemeChoice::Light,
        ..Settings::default()
    };
    check("light-lookup", settings, egui::Theme::Light, |h| {
        h.state_mut()
            .lookup
            .show_code("0x80070002", &mut Vec::new());
        h.run_steps(4);
    });
}
