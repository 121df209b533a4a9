//! "Open remote…": the address another computer's `logweave serve`
//! printed, the files it serves (size, format; smsts.log ticked), opened
//! as tabs, merged, or as the task sequence — followed live over the
//! network. Draws [`ServedDialog`](crate::gui::view::ServedDialog)'s
//! state; connecting happens off the UI thread. Never imports another panel.

use egui::{Context, RichText};

use crate::gui::app::LogWeaveApp;
use crate::gui::view::OpenAs;

/// Draws the dialog; connects and opens files when asked.
pub fn window(ctx: &Context, app: &mut LogWeaveApp) {
    if !app.served.open {
        return;
    }
    app.served.poll();
    let mut open = true;
    let mut connect = false;
    let mut trust = false;
    let mut chosen: Option<OpenAs> = None;
    egui::Window::new("Open remote")
        .constrain_to(crate::gui::widgets::below_menu(ctx))
        .open(&mut open)
        .default_width(680.0)
        .collapsible(false)
        .show(ctx, |ui| {
            ui.label(
                "Follows the logs another computer shares with `logweave serve` \
                 (a deployment in WinPE, say). Paste the address it printed:",
            );
            ui.horizontal(|ui| {
                let edit = ui.add(
                    egui::TextEdit::singleline(&mut app.served.address)
                        .hint_text("https://HOST:PORT/#TOKEN&pin=sha256:…")
                        .desired_width(480.0),
                );
                if app.served.focus {
                    edit.request_focus();
                    app.served.focus = false;
                }
                if edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    connect = true;
                }
                let button = ui.add_enabled(
                    !app.served.is_connecting(),
                    egui::Button::new("Connect"),
                );
                if button
                    .on_hover_text("Check the server's certificate and list its logs")
                    .clicked()
                {
                    connect = true;
                }
            });
            if app.served.is_connecting() {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.weak("connecting…");
                });
            }
            if let Some(offered) = app.served.offered {
                ui.label(
                    "The address has no certificate pin. The server offered this \
                     certificate (SHA-256); trust it only if it is the fingerprint \
                     `logweave serve` printed:",
                );
                ui.monospace(offered.colons());
                if ui.button("Trust this certificate").clicked() {
                    trust = true;
                }
            } else if let Some(why) = &app.served.problem {
                ui.colored_label(ui.visuals().error_fg_color, why);
            }
            let Some(served) = &mut app.served.served else {
                return;
            };
            ui.separator();
            ui.label(
                RichText::new(format!(
                    "Logs served by {} ({} files)",
                    served.address.origin(),
                    served.files.len()
                ))
                .strong(),
            );
            egui::ScrollArea::vertical()
                .max_height(320.0)
                .show(ui, |ui| {
                    egui::Grid::new("served-files")
                        .num_columns(3)
                        .striped(true)
                        .spacing([12.0, 4.0])
                        .show(ui, |ui| {
                            for (file, ticked) in served.files.iter().zip(&mut served.ticked) {
                                ui.checkbox(ticked, &file.path);
                                ui.label(crate::gui::widgets::size_text(file.size));
                                ui.weak(&file.format);
                                ui.end_row();
                            }
                        });
                });
            let any = served.ticked.iter().any(|t| *t);
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(any, egui::Button::new("Open"))
                    .on_hover_text("A tab each, followed live")
                    .clicked()
                {
                    chosen = Some(OpenAs::Tabs);
                }
                if ui
                    .add_enabled(any, egui::Button::new("Open merged"))
                    .on_hover_text("One timeline")
                    .clicked()
                {
                    chosen = Some(OpenAs::Merged);
                }
                if ui
                    .add_enabled(served.ticks_smsts(), egui::Button::new("Open as task sequence"))
                    .on_hover_text(
                        "The smsts.log copies as one chain, with the Task sequence panel and the diagnosis",
                    )
                    .clicked()
                {
                    chosen = Some(OpenAs::Triage);
                }
            });
        });
    if connect {
        app.served.connect(app.waker.clone());
    } else if trust {
        app.served.trust_offered(app.waker.clone());
    }
    if let Some(open_as) = chosen
        && let Some(served) = &app.served.served
    {
        let paths = served.ticked_paths();
        app.served.close();
        app.open_remote(paths, open_as);
    } else if !open {
        app.served.close();
    }
}
