#![allow(dead_code)] // the comparison test does not read the timings

//! The CPU renderer as an egui_kittest renderer, so a harness's frames can
//! be painted by it (and timed) just as by egui's wgpu renderer.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use egui::epaint::textures::TexturesDelta;
use logweave::gui::raster::{Canvas, Rasterizer};

/// How long the last frame took to tessellate and to paint.
#[derive(Clone, Copy, Debug, Default)]
pub struct Timing {
    pub tessellate: Duration,
    pub paint: Duration,
}

/// Paints harness frames with [`Rasterizer`].
#[derive(Default)]
pub struct CpuRenderer {
    rasterizer: Rasterizer,
    canvas: Canvas,
    timing: Arc<Mutex<Timing>>,
}

impl CpuRenderer {
    /// A renderer and the place its timings appear.
    pub fn new() -> (CpuRenderer, Arc<Mutex<Timing>>) {
        let renderer = CpuRenderer::default();
        let timing = Arc::clone(&renderer.timing);
        (renderer, timing)
    }
}

impl egui_kittest::TestRenderer for CpuRenderer {
    fn handle_delta(&mut self, delta: &mut TexturesDelta) {
        self.rasterizer.set_textures(delta);
        self.rasterizer.free_textures(delta);
    }

    fn render(
        &mut self,
        ctx: &egui::Context,
        output: &egui::FullOutput,
    ) -> Result<image::RgbaImage, String> {
        let ppp = ctx.pixels_per_point();
        let size = ctx.content_rect().size() * ppp;
        let (w, h) = (size.x.round() as usize, size.y.round() as usize);
        let started = Instant::now();
        let primitives = ctx.tessellate(output.shapes.clone(), ppp);
        let tessellate = started.elapsed();
        self.canvas.resize(w, h);
        let started = Instant::now();
        // Black, as the GPU renderer's transparent clear reads over black.
        self.rasterizer
            .paint(&mut self.canvas, &primitives, ppp, egui::Color32::BLACK);
        let paint = started.elapsed();
        *self.timing.lock().unwrap() = Timing { tessellate, paint };
        image::RgbaImage::from_raw(w as u32, h as u32, self.canvas.to_rgba())
            .ok_or_else(|| "canvas size".to_owned())
    }
}
