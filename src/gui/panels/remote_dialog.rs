//! "Open from computer…": a computer's name (checked before the network is
//! asked), the computers used before, and that computer's well-known log
//! folders on its administrative share — each reachable with its number of
//! logs, or not with the reason — one of which opens in the bundle panel.
//! Draws [`RemoteDialog`](crate::gui::view::RemoteDialog)'s state; the
//! folders are looked at off the UI thread. Never imports another panel.

use std::path::PathBuf;

use egui::{Context, RichText};

use crate::gui::app::LogWeaveApp;
use crate::gui::view::FolderState;

/// Draws the dialog; connects and opens a folder when asked.
pub fn window(ctx: &Context, app: &mut LogWeaveApp) {
    if !app.remote.open {
        return;
    }
    let mut open = true;
    let mut connect = false;
    let mut chosen: Option<PathBuf> = None;
    let recent = app.settings.recent_hosts.clone();
    egui::Window::new("Open from computer")
        .constrain_to(crate::gui::widgets::below_menu(ctx))
        .open(&mut open)
        .default_width(640.0)
        .collapsible(false)
        .show(ctx, |ui| {
            ui.label(
                "Reads another computer's logs over its administrative share \
                 (\\\\COMPUTER\\c$): you need to be an administrator there.",
            );
            ui.horizontal(|ui| {
                ui.label("Computer:");
                let edit = ui.add(
                    egui::TextEdit::singleline(&mut app.remote.host)
                        .hint_text("computer name, e.g. PC042")
                        .desired_width(260.0),
                );
                if app.remote.focus {
                    edit.request_focus();
                    app.remote.focus = false;
                }
                if edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    connect = true;
                }
                if ui
                    .button("Connect")
                    .on_hover_text("Look for the log folders of this computer")
                    .clicked()
                {
                    connect = true;
                }
            });
            if let Some(why) = &app.remote.invalid {
                ui.colored_label(ui.visuals().error_fg_color, why);
            }
            if !recent.is_empty() {
                ui.horizontal_wrapped(|ui| {
                    ui.weak("Recent:");
                    for host in &recent {
                        if ui.small_button(host).clicked() {
                            app.remote.host.clone_from(host);
                            connect = true;
                        }
                    }
                });
            }
            let Some(host) = app.remote.connected.clone() else {
                return;
            };
            ui.separator();
            ui.label(RichText::new(format!("Log folders on {host}")).strong());
            let error = ui.visuals().error_fg_color;
            egui::Grid::new("remote-folders")
                .num_columns(3)
                .striped(true)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    for folder in &app.remote.folders {
                        ui.label(folder.label)
                            .on_hover_text(folder.path.display().to_string());
                        match &folder.state {
                            FolderState::Checking => {
                                ui.horizontal(|ui| {
                                    ui.spinner();
                                    ui.weak("checking…");
                                });
                            }
                            FolderState::Reachable(logs) => {
                                ui.label(format!(
                                    "reachable, {logs} {}",
                                    if *logs == 1 { "log" } else { "logs" }
                                ))
                                .on_hover_text(folder.path.display().to_string());
                            }
                            FolderState::Unreachable(why)
                                if why == crate::bundle::remote::MISSING =>
                            {
                                ui.weak(why.as_str())
                                    .on_hover_text(folder.path.display().to_string());
                            }
                            FolderState::Unreachable(why) => {
                                ui.colored_label(error, format!("not reachable: {why}"))
                                    .on_hover_text(folder.path.display().to_string());
                            }
                        }
                        let reachable = matches!(folder.state, FolderState::Reachable(_));
                        if ui
                            .add_enabled(reachable, egui::Button::new("Open"))
                            .on_hover_text(format!(
                                "Open {} in the bundle panel",
                                folder.path.display()
                            ))
                            .clicked()
                        {
                            chosen = Some(folder.path.clone());
                        }
                        ui.end_row();
                    }
                });
        });
    if connect && let Some(host) = app.remote.connect(app.waker.clone()) {
        app.settings.remember_host(&host);
    }
    if let Some(folder) = chosen {
        app.remote.close();
        app.open_bundle(folder);
    } else if !open {
        app.remote.close();
    }
}
