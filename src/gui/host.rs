//! The eframe host: runs [`LogWeaveApp`] in a native window through
//! eframe — the window's options, the single-instance hand-over, persisted
//! settings — and draws each frame with `frame.rs`. The only file that knows
//! eframe's `App`; a CPU-rendered host would sit beside it and call the same
//! frame.
//! Never holds state of its own beyond eframe's, and never parses.

use std::path::PathBuf;
use std::sync::Arc;

use super::app::{Layout, LogWeaveApp, association_offer_due};
use super::frame;
use super::settings;
use super::single_instance;
use crate::jobs::Waker;

impl LogWeaveApp {
    /// Creates the app from eframe's creation context, restoring settings and opening `files`.
    pub fn new(cc: &eframe::CreationContext<'_>, files: &[PathBuf], layout: Layout) -> LogWeaveApp {
        let settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, settings::STORAGE_KEY))
            .unwrap_or_default();
        let ctx = cc.egui_ctx.clone();
        let waker: Waker = Arc::new(move || ctx.request_repaint());
        let mut app = LogWeaveApp::with_layout(settings, files, layout, Some(waker));
        let registered = logweave_viewer_registered();
        app.panels.association_offer = association_offer_due(
            cfg!(windows),
            crate::sys::in_winpe(),
            app.settings.offer_association,
            registered,
        );
        app
    }
}

/// True when this LogWeave opens `.log` files for this user (Windows).
fn logweave_viewer_registered() -> bool {
    crate::sys::association::viewer_exe()
        .is_ok_and(|exe| crate::sys::association::is_registered(&exe))
}

impl eframe::App for LogWeaveApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        frame::logic(self, ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        frame::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, settings::STORAGE_KEY, &self.settings);
    }
}

/// Opens the viewer window on `files` (the bundled sample when none is given
/// and `sample_when_empty`).
///
/// Unless `new_window`, files for tabs go to this user's window when one is
/// running (and this process is done), and otherwise this window listens for
/// later starts.
pub fn run(files: Vec<PathBuf>, layout: Layout, new_window: bool) -> eframe::Result<()> {
    let address = single_instance::Address::for_this_user().ok();
    if !new_window
        && layout == Layout::Tabs
        && !files.is_empty()
        && let Some(address) = &address
        && single_instance::hand_over(address, &files).unwrap_or(false)
    {
        return Ok(());
    }
    let listener = address
        .as_ref()
        .filter(|_| !new_window)
        .and_then(single_instance::Listener::start);
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("LogWeave")
            .with_inner_size([1200.0, 760.0])
            .with_min_inner_size([480.0, 320.0])
            .with_drag_and_drop(true),
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        "LogWeave",
        options,
        Box::new(move |cc| {
            let mut app = LogWeaveApp::new(cc, &files, layout);
            if let Some(listener) = listener {
                let ctx = cc.egui_ctx.clone();
                listener.set_waker(Arc::new(move || ctx.request_repaint()));
                app.instance = Some(listener);
            }
            Ok(Box::new(app))
        }),
    )
}
