//! The tab strip: a tab per open log, merged view or comparison (the files
//! behind it as a tooltip), close buttons, and "Merge all tabs".
//! Never imports another panel.

use crate::gui::app::LogWeaveApp;
use crate::gui::commands::Command;
use crate::gui::view::{Tab, distinguishing_names};

/// The tabs; closes or activates them and queues Merge all tabs.
pub fn show(ui: &mut egui::Ui, app: &mut LogWeaveApp) {
    let mut close = None;
    // Tabs of one log each are named by as much of their path as tells
    // same-named files apart.
    let single: Vec<(usize, std::path::PathBuf)> = app
        .tabs
        .iter()
        .enumerate()
        .filter_map(|(i, t)| match t {
            Tab::Log(log) if log.sources.len() == 1 && !log.sources[0].doc.is_in_memory() => {
                Some((i, log.sources[0].path.clone()))
            }
            _ => None,
        })
        .collect();
    let paths: Vec<&std::path::Path> = single.iter().map(|(_, p)| p.as_path()).collect();
    let names = distinguishing_names(&paths);
    ui.horizontal_wrapped(|ui| {
        for i in 0..app.tabs.len() {
            let title = match single.iter().position(|(t, _)| *t == i) {
                Some(at) => names[at].clone(),
                None => app.tabs[i].title(),
            };
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
