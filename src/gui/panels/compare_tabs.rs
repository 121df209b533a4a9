//! Window > Compare two open logs: two lists of the open logs (A and B)
//! and Compare; "Choose files…" for logs that are not open.
//! Never imports another panel.

use egui::ComboBox;

use crate::gui::app::{LogWeaveApp, OpenPurpose};

/// The window, while it is open.
pub fn window(ctx: &egui::Context, app: &mut LogWeaveApp) {
    let Some((mut a, mut b)) = app.panels.compare_tabs else {
        return;
    };
    let logs = app.single_log_tabs();
    let title_of = |i: usize| {
        logs.iter()
            .find(|(j, _)| *j == i)
            .map_or_else(|| "(choose a log)".to_owned(), |(_, t)| t.clone())
    };
    let mut open = true;
    let mut compare = false;
    let mut choose_files = false;
    egui::Window::new("Compare two logs")
        .constrain_to(crate::gui::widgets::below_menu(ctx))
        .open(&mut open)
        .resizable(false)
        .collapsible(false)
        .show(ctx, |ui| {
            if logs.len() < 2 {
                ui.label("Fewer than two logs are open: choose the files to compare.");
            }
            egui::Grid::new("compare-tabs")
                .num_columns(2)
                .show(ui, |ui| {
                    for (side, chosen) in [("A (left)", &mut a), ("B (right)", &mut b)] {
                        ui.label(side);
                        ComboBox::from_id_salt(side)
                            .width(320.0)
                            .selected_text(title_of(*chosen))
                            .show_ui(ui, |ui| {
                                for (i, title) in &logs {
                                    ui.selectable_value(chosen, *i, title);
                                }
                            });
                        ui.end_row();
                    }
                });
            ui.horizontal(|ui| {
                let ready = a != b && [a, b].iter().all(|i| logs.iter().any(|(j, _)| j == i));
                compare = ui
                    .add_enabled(ready, egui::Button::new("Compare"))
                    .on_disabled_hover_text("Choose two different logs")
                    .clicked();
                choose_files = ui.button("Choose files…").clicked();
            });
        });
    app.panels.compare_tabs = open.then_some((a, b));
    if compare {
        app.compare_open_tabs(a, b);
    } else if choose_files {
        app.panels.compare_tabs = None;
        app.pick_files(OpenPurpose::Compare);
    }
}
