//! Help > Keyboard shortcuts: every command with its keys, and the list's
//! own keys; Help > About: the version, the build and the licences.
//! Never imports another panel.

use egui::RichText;

use crate::gui::app::LogWeaveApp;
use crate::gui::commands::{Command, LIST_KEYS_HELP};

/// Help > Keyboard shortcuts, while it is open.
pub fn window(ctx: &egui::Context, app: &mut LogWeaveApp) {
    let mut open = app.panels.shortcuts;
    egui::Window::new("Keyboard shortcuts")
        .constrain_to(crate::gui::widgets::below_menu(ctx))
        .open(&mut open)
        .resizable(false)
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                for command in Command::ALL {
                    let keys = command.shortcut_text(ctx);
                    if !keys.is_empty() {
                        ui.label(RichText::new(keys).monospace());
                        ui.label(command.label());
                        ui.end_row();
                    }
                }
                for (keys, what) in LIST_KEYS_HELP {
                    ui.label(RichText::new(*keys).monospace());
                    ui.label(*what);
                    ui.end_row();
                }
            });
        });
    app.panels.shortcuts = open;
}

/// Help > About LogWeave, while it is open: the version and what it is.
pub fn about(ctx: &egui::Context, app: &mut LogWeaveApp) {
    let mut open = app.panels.about;
    egui::Window::new("About LogWeave")
        .constrain_to(crate::gui::widgets::below_menu(ctx))
        .open(&mut open)
        .resizable(false)
        .collapsible(false)
        .show(ctx, |ui| {
            ui.heading(format!("LogWeave {}", env!("CARGO_PKG_VERSION")));
            ui.label(format!("Version {}", crate::LONG_VERSION));
            ui.label(env!("CARGO_PKG_DESCRIPTION"));
            ui.label(format!("Licence: {}", env!("CARGO_PKG_LICENSE")));
            egui::CollapsingHeader::new("Third-party licences").show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .max_height(260.0)
                    .show(ui, |ui| {
                        egui::Grid::new("third-party").striped(true).show(ui, |ui| {
                            for (name, version, licence) in third_party() {
                                ui.label(name);
                                ui.weak(version);
                                ui.label(licence);
                                ui.end_row();
                            }
                        });
                    });
            });
        });
    app.panels.about = open;
}

/// The crates LogWeave is built from, with their versions and licences
/// (`packaging/THIRD-PARTY-LICENCES.md`, generated from Cargo.lock).
fn third_party() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    const LIST: &str = include_str!("../../../packaging/THIRD-PARTY-LICENCES.md");
    LIST.lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| crate "))
        .filter_map(|l| {
            let mut cells = l.trim_matches('|').split('|').map(str::trim);
            Some((cells.next()?, cells.next()?, cells.next()?))
        })
}
