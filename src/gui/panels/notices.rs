//! Problems of the window as a whole (a file that could not be opened, a
//! dialog or a save that failed), each with Dismiss, above the tabs.

use crate::gui::app::LogWeaveApp;

/// The window's notices.
pub fn show(ui: &mut egui::Ui, app: &mut LogWeaveApp) {
    let mut dismiss = None;
    for (i, notice) in app.notices.iter().enumerate() {
        ui.horizontal(|ui| {
            ui.colored_label(ui.visuals().error_fg_color, "!");
            ui.label(&notice.text);
            if ui.small_button("Dismiss").clicked() {
                dismiss = Some(i);
            }
        });
    }
    if let Some(i) = dismiss {
        app.notices.remove(i);
    }
}
