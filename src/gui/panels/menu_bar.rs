//! The menu bar: File, Edit, View, Tools and Help, each item a [`Command`]
//! with its shortcut. Queues commands; never acts itself.

use egui::Ui;

use crate::gui::app::LogWeaveApp;
use crate::gui::commands::Command;
use crate::gui::widgets;

pub fn show(ui: &mut Ui, app: &mut LogWeaveApp) {
    let shown = egui::Panel::top("menu").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                widgets::menu_item(ui, app, Command::Open);
                widgets::menu_item(ui, app, Command::OpenIgnoringExisting);
                widgets::menu_item(ui, app, Command::OpenMerged);
                widgets::menu_item(ui, app, Command::OpenTaskSequenceLogs);
                ui.menu_button("Open bundle or folder", |ui| {
                    widgets::menu_item(ui, app, Command::OpenBundle);
                    widgets::menu_item(ui, app, Command::OpenFolder);
                });
                widgets::menu_item(ui, app, Command::OpenFromComputer);
                widgets::menu_item(ui, app, Command::OpenRemote);
                widgets::menu_item(ui, app, Command::Compare);
                ui.menu_button("Open recent", |ui| {
                    if app.settings.recent_files.is_empty() {
                        ui.label("No recent files");
                    }
                    for path in app.settings.recent_files.clone() {
                        if ui.button(path.display().to_string()).clicked() {
                            app.open_path(&path);
                            ui.close();
                        }
                    }
                });
                widgets::menu_item(ui, app, Command::SaveAs);
                widgets::menu_item(ui, app, Command::Print);
                widgets::menu_item(ui, app, Command::CloseTab);
                ui.separator();
                widgets::menu_item(ui, app, Command::Preferences);
                if ui.button("Exit").clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button("Edit", |ui| {
                widgets::menu_item(ui, app, Command::Copy);
                widgets::menu_item(ui, app, Command::SelectAll);
                widgets::menu_item(ui, app, Command::PasteAsLog);
                widgets::menu_item(ui, app, Command::Find);
                widgets::menu_item(ui, app, Command::FindNext);
                widgets::menu_item(ui, app, Command::FindPrevious);
            });
            ui.menu_button("Tools", |ui| {
                widgets::menu_item(ui, app, Command::Filter);
                widgets::menu_item(ui, app, Command::Highlight);
                widgets::menu_item(ui, app, Command::ErrorLookup);
                widgets::menu_item(ui, app, Command::Diagnosis);
                widgets::menu_item(ui, app, Command::NextError);
                widgets::menu_item(ui, app, Command::PreviousError);
                widgets::menu_item(ui, app, Command::NextWarning);
                widgets::menu_item(ui, app, Command::PreviousWarning);
                widgets::menu_item(ui, app, Command::Pause);
                widgets::menu_item(ui, app, Command::ToggleDetailColumns);
                widgets::menu_item(ui, app, Command::ToggleDetailsPane);
                widgets::menu_item(ui, app, Command::ToggleOutline);
                widgets::menu_item(ui, app, Command::NextDifference);
                widgets::menu_item(ui, app, Command::PreviousDifference);
            });
            ui.menu_button("Window", |ui| {
                widgets::menu_item(ui, app, Command::NextTab);
                widgets::menu_item(ui, app, Command::PreviousTab);
                widgets::menu_item(ui, app, Command::CompareTabs);
                widgets::menu_item(ui, app, Command::MergeTabs);
                if !app.tabs.is_empty() {
                    ui.separator();
                }
                let titles: Vec<String> = app.tabs.iter().map(|t| t.title()).collect();
                for (i, title) in titles.iter().enumerate() {
                    let label = format!("{} {title}", i + 1);
                    if ui.radio(app.active == i, label).clicked() {
                        app.active = i;
                        ui.close();
                    }
                }
            });
            ui.menu_button("Help", |ui| {
                widgets::menu_item(ui, app, Command::Shortcuts);
                widgets::menu_item(ui, app, Command::About);
            });
        });
    });
    widgets::set_menu_bottom(ui.ctx(), shown.response.rect.bottom());
}
