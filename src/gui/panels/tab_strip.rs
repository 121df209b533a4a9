//! The tab strip: a tab per open log, merged view or comparison (the files
//! behind it as a tooltip), close buttons, and "Merge all tabs".
//! Never imports another panel.

use crate::gui::app::LogWeaveApp;
use crate::gui::commands::Command;

/// The tabs; closes or activates them and queues Merge all tabs.
pub fn show(ui: &mut egui::Ui, app: &mut LogWeaveApp) {
    let mut close = None;
    ui.horizontal_wrapped(|ui| {
        for i in 0..app.tabs.len() {
            let title = app.tabs[i].title();
            let selected = i == app.active;
            let response = ui.selectable_label(selected, &title).on_hover_text(
                app.tabs[i]
                    .sources()
                    .map(|s| s.path.display().to_string())
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
            if response.clicked() {
                app.active = i;
            }
            if response.middle_clicked()
                || ui
                    .small_button("×")
                    .on_hover_text("Close tab (Ctrl+W)")
                    .clicked()
            {
                close = Some(i);
            }
            ui.add_space(6.0);
        }
    });
    if let Some(i) = close {
        app.close_tab(i);
    }
    if app.tabs.len() > 1 && ui.small_button("Merge all tabs into one view").clicked() {
        app.request(Command::MergeTabs);
    }
}
