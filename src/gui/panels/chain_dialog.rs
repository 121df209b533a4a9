//! "Open task sequence logs…": finds the copies of smsts.log a deployment
//! left behind (on this computer's drives, or inside a folder the user picked
//! or dropped, e.g. a copied log bundle) and opens them as one chain — one
//! merged timeline with overlapping records hidden and the task-sequence
//! panel beside it. Draws [`ChainDialog`](crate::gui::ChainDialog)'s state; the search runs off the
//! UI thread.
//! Never imports another panel.

use std::path::{Path, PathBuf};

use egui::{Context, RichText};

use crate::gui::app::LogWeaveApp;
use crate::gui::view::SearchPlace;

fn file_label(path: &Path) -> String {
    let size = std::fs::metadata(path)
        .map(|m| format!("{:.1} KB", m.len() as f64 / 1024.0))
        .unwrap_or_default();
    format!("{}   {size}", path.display())
}

/// Draws the dialog; opens the chain when asked.
pub fn window(ctx: &Context, app: &mut LogWeaveApp) {
    let waker = app.waker.clone();
    if !app.chain.open {
        return;
    }
    let mut open = app.chain.open;
    let mut chosen: Option<Vec<PathBuf>> = None;
    egui::Window::new("Open task sequence logs")
        .constrain_to(crate::gui::widgets::below_menu(ctx))
        .open(&mut open)
        .default_width(620.0)
        .collapsible(false)
        .show(ctx, |ui| {
            ui.label(
                "smsts.log moves while a task sequence runs (X:\\Windows\\Temp\\SMSTSLog, \
                 C:\\_SMSTaskSequence\\Logs\\Smstslog, C:\\Windows\\CCM\\Logs\\SMSTSLog …) and \
                 rolls over to smsts-YYYYMMDD-HHMMSS.log. Every copy found opens as one \
                 timeline, overlaps hidden.",
            );
            ui.horizontal(|ui| {
                if ui
                    .button("Search this computer")
                    .on_hover_text("Every drive letter, in the places the task sequence writes to")
                    .clicked()
                {
                    app.chain.search(SearchPlace::ThisComputer, waker.clone());
                }
                if ui
                    .button("Choose a folder…")
                    .on_hover_text(
                        "A copied log bundle or a drive: all its subfolders are searched",
                    )
                    .clicked()
                {
                    app.chain.pick_folder(waker.clone());
                }
            });
            ui.separator();
            if let Some(failure) = &app.chain.failure {
                ui.colored_label(ui.visuals().error_fg_color, failure);
            }
            if app.chain.is_searching() {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(format!(
                        "Looking in {}…",
                        app.chain
                            .place
                            .as_ref()
                            .map(SearchPlace::describe)
                            .unwrap_or_default()
                    ));
                });
                return;
            }
            let Some(place) = &app.chain.place else {
                return;
            };
            if app.chain.found.is_empty() {
                ui.label(format!("No smsts.log found in {}.", place.describe()));
                return;
            }
            ui.label(RichText::new(format!(
                "{} found in {}:",
                match app.chain.found.len() {
                    1 => "1 copy".to_owned(),
                    n => format!("{n} copies"),
                },
                place.describe()
            )));
            egui::ScrollArea::vertical()
                .max_height(260.0)
                .show(ui, |ui| {
                    for (path, on) in &mut app.chain.found {
                        ui.checkbox(on, file_label(path));
                    }
                });
            let picked: Vec<PathBuf> = app
                .chain
                .found
                .iter()
                .filter(|(_, on)| *on)
                .map(|(p, _)| p.clone())
                .collect();
            ui.add_space(4.0);
            if ui
                .add_enabled(
                    !picked.is_empty(),
                    egui::Button::new("Open as one timeline"),
                )
                .clicked()
            {
                chosen = Some(picked);
            }
        });
    app.chain.open = open;
    if let Some(paths) = chosen {
        app.chain.open = false;
        app.open_chain(&paths);
    }
}
