//! The toolbar: navigation (errors, warnings), pause, the Task sequence
//! toggle, severity toggles, the Highlight box and the quick filter with its
//! "Filter active" label.
//! Never imports another panel.

use egui::{RichText, Ui};

use crate::gui::app::LogWeaveApp;
use crate::gui::commands::Command;
use crate::gui::view::{LogTab, Tab};
use crate::gui::widgets;

pub fn show(ui: &mut Ui, app: &mut LogWeaveApp) {
    egui::Panel::top("toolbar").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            widgets::command_button(ui, app, Command::Open, "Open…");
            ui.separator();
            widgets::command_button(ui, app, Command::PreviousError, "Prev error");
            widgets::command_button(ui, app, Command::NextError, "Next error");
            widgets::command_button(ui, app, Command::PreviousWarning, "Prev warning");
            widgets::command_button(ui, app, Command::NextWarning, "Next warning");
            ui.separator();
            let paused = app.active_tab().is_some_and(LogTab::is_paused);
            widgets::command_button(ui, app, Command::Pause, if paused { "Resume" } else { "Pause" });
            widgets::command_button(ui, app, Command::ToggleOutline, "Task sequence");
            // A comparison's panes show every record, lined up: no filters there.
            if let Some(Tab::Log(tab)) = app.tabs.get_mut(app.active) {
                ui.separator();
                ui.label("Show:");
                let mut shown = tab.filter.severities;
                let mut changed = false;
                for (i, name) in ["Info", "Warnings", "Errors"].into_iter().enumerate() {
                    changed |= ui.toggle_value(&mut shown[i], name).on_hover_text(format!("Show {} rows", name.to_lowercase())).changed();
                }
                if changed {
                    tab.filter.severities = shown;
                    tab.apply_filter();
                }
            }
        });
        ui.horizontal_wrapped(|ui| {
            ui.label("Highlight:");
            let highlight = ui.add(egui::TextEdit::singleline(&mut app.settings.highlight_text).desired_width(120.0).hint_text("text or thread"))
                .on_hover_text("Rows containing this text are highlighted; a decimal or 0x hex number highlights that thread's rows (Tools > Highlight)");
            if std::mem::take(&mut app.panels.focus_highlight) {
                highlight.request_focus();
                // Typing replaces what was there, as in the find box.
                if let Some(mut state) = egui::TextEdit::load_state(ui.ctx(), highlight.id) {
                    let all = egui::text::CCursorRange::two(
                        egui::text::CCursor::new(0),
                        egui::text::CCursor::new(app.settings.highlight_text.chars().count()),
                    );
                    state.cursor.set_char_range(Some(all));
                    state.store(ui.ctx(), highlight.id);
                }
            }
            ui.checkbox(&mut app.highlight_case, "Aa").on_hover_text("Case-sensitive highlight");
            ui.separator();
            let tab = match app.tabs.get_mut(app.active) {
                Some(Tab::Log(tab)) => tab,
                Some(Tab::Compare(_)) => {
                    ui.weak("A comparison shows every record of both logs, lined up.");
                    return;
                }
                None => return,
            };
            ui.label("Filter:");
            let response = ui.add(egui::TextEdit::singleline(&mut tab.filter.quick).desired_width(160.0).hint_text("log text contains"));
            if response.changed() {
                tab.apply_filter();
            }
            if ui.button("Filter…").on_hover_text("Tools > Filter (Ctrl+Shift+F)").clicked() {
                app.panels.filter = true;
            }
            let Some(tab) = app.tabs.get_mut(app.active).map(Tab::primary_mut) else { return };
            if tab.filter.is_active() {
                let shown = tab.view_len();
                let total = tab.record_total();
                let label = RichText::new(format!("Filter active: {shown} of {total}")).color(ui.visuals().warn_fg_color).strong();
                ui.label(label);
                if ui.button("× Clear filter").clicked() {
                    tab.clear_filter();
                }
            }
            if let Some(error) = &tab.filter.error {
                ui.colored_label(ui.visuals().error_fg_color, error.clone());
            }
        });
    });
}
