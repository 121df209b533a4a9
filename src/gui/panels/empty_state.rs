//! What the window shows with no log open: an Open button, recent files and
//! a drop hint.
//! Never imports another panel.

use egui::{RichText, Ui};

use crate::gui::app::LogWeaveApp;
use crate::gui::commands::Command;

pub fn show(ui: &mut Ui, app: &mut LogWeaveApp) {
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() * 0.2);
        ui.heading("LogWeave");
        ui.label("Open a ConfigMgr, MDT, Intune or Windows log — or drop log files here.");
        ui.weak(
            "A folder or a zip/cab bundle of logs, dropped or given, opens as a tree of its logs.",
        );
        ui.add_space(12.0);
        if ui.button(RichText::new("Open…").size(18.0)).clicked() {
            app.request(Command::Open);
        }
        if !app.settings.recent_files.is_empty() {
            ui.add_space(16.0);
            ui.label(RichText::new("Recent files").strong());
            for path in app.settings.recent_files.clone() {
                if ui.link(path.display().to_string()).clicked() {
                    app.open_path(&path);
                }
            }
        }
    });
}
