//! The GPU host: runs [`LogWeaveApp`] through eframe with OpenGL and draws
//! each frame with `frame.rs`. The only file that knows eframe. Tells its
//! caller whether the window never got a GL context, so LogWeave can start
//! again on the CPU renderer.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::super::app::{Layout, LogWeaveApp};
use super::super::frame;
use super::super::settings;
use super::super::single_instance::Listener;

/// How the GPU window ended.
pub enum Outcome {
    /// The user closed it.
    Closed,
    /// It never opened: no window or no usable OpenGL context.
    NoContext(String),
    /// It failed after it had opened.
    Failed(String),
}

impl eframe::App for LogWeaveApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        frame::logic(self, ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        frame::ui(self, ui);
    }

    fn save(&mut self, _storage: &mut dyn eframe::Storage) {
        super::save_settings(&self.settings);
    }
}

/// Runs the window on eframe (OpenGL).
pub fn run(files: Vec<PathBuf>, layout: Layout, listener: Option<Listener>) -> Outcome {
    let options = eframe::NativeOptions {
        viewport: super::viewport(),
        // OpenGL even when a build also has wgpu (the UI tests' renderer).
        renderer: eframe::Renderer::Glow,
        ..eframe::NativeOptions::default()
    };
    let opened = Arc::new(AtomicBool::new(false));
    let app_opened = Arc::clone(&opened);
    let result = eframe::run_native(
        "LogWeave",
        options,
        Box::new(move |cc| {
            app_opened.store(true, Ordering::SeqCst);
            // Settings from before the shared file were in eframe's storage.
            let loaded = settings::load();
            let settings = loaded
                .settings
                .or_else(|| {
                    cc.storage
                        .and_then(|s| eframe::get_value(s, settings::STORAGE_KEY))
                })
                .unwrap_or_default();
            let mut app = super::start_app(&cc.egui_ctx, settings, &files, layout, listener);
            app.report_settings_problem(loaded.problem);
            Ok(Box::new(app))
        }),
    );
    match result {
        Ok(()) => Outcome::Closed,
        // No window system at all (no display): the CPU cannot help either.
        Err(e @ eframe::Error::WinitEventLoop(_)) => Outcome::Failed(e.to_string()),
        Err(e) if opened.load(Ordering::SeqCst) => Outcome::Failed(e.to_string()),
        Err(e) => Outcome::NoContext(e.to_string()),
    }
}
