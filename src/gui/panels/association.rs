//! Windows: "Open .log and .lo_ files with LogWeave?" — the offer at start
//! (Yes, Not now, Don't ask again); Preferences can do the same later. The
//! app registers per user; never offered in WinPE. Never imports another
//! panel.

use crate::gui::app::LogWeaveApp;

/// The offer at start, while it is due.
pub fn offer(ctx: &egui::Context, app: &mut LogWeaveApp) {
    if !app.panels.association_offer {
        return;
    }
    egui::Window::new("Open .log files with LogWeave?")
        .constrain_to(crate::gui::widgets::below_menu(ctx))
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, egui::vec2(0.0, 0.0))
        .show(ctx, |ui| {
            ui.label(
                "Make LogWeave the viewer of .log and .lo_ files for your account \
                 (as CMTrace offers)? Preferences can change it later.",
            );
            ui.horizontal(|ui| {
                if ui.button("Yes").clicked() {
                    app.associate_log_files();
                    app.panels.association_offer = false;
                }
                if ui.button("Not now").clicked() {
                    app.panels.association_offer = false;
                }
                if ui.button("Don't ask again").clicked() {
                    app.settings.offer_association = false;
                    app.panels.association_offer = false;
                }
            });
        });
}
