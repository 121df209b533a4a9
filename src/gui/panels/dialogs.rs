//! Small dialogs: several files dropped (one merged view or a tab each?) and
//! Save As (selected or shown rows, original text or tab-separated).
//! Never imports another panel; the native dialogs run off the UI thread.

use crate::export::ExportFormat;
use crate::gui::app::{LogWeaveApp, SaveRequest, SaveScope};
use crate::gui::view::LogTab;

/// Several files were dropped: one merged view, or a tab each?
pub fn drop_dialog(ctx: &egui::Context, app: &mut LogWeaveApp) {
    let Some(choice) = &mut app.panels.drop_choice else {
        return;
    };
    let mut answer = None;
    let mut compare = false;
    egui::Modal::new(egui::Id::unique("drop-choice")).show(ctx, |ui| {
        ui.heading(format!("Open {} files", choice.files.len()));
        for f in choice.files.iter().take(8) {
            ui.label(f.file_name().map_or_else(
                || f.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ));
        }
        ui.checkbox(
            &mut choice.remember,
            "Remember my choice (hold Shift while dropping to merge)",
        );
        ui.horizontal(|ui| {
            if ui.button("One merged view").clicked() {
                answer = Some(true);
            }
            if ui.button("A tab for each").clicked() {
                answer = Some(false);
            }
            if choice.files.len() == 2 && ui.button("Compare side by side").clicked() {
                compare = true;
            }
            if ui.button("Cancel").clicked() {
                answer = Some(false);
                choice.files.clear();
            }
        });
    });
    if compare
        && let Some(choice) = app.panels.drop_choice.take()
        && let [a, b] = choice.files.as_slice()
    {
        app.open_compare(a, b);
        return;
    }
    if let Some(merge) = answer
        && let Some(choice) = app.panels.drop_choice.take()
    {
        if choice.remember && !choice.files.is_empty() {
            app.settings.drop_merges = Some(merge);
        }
        if merge {
            app.open_merged(&choice.files);
        } else {
            for f in &choice.files {
                app.open(f, false);
            }
        }
    }
}

/// The Save As dialog; returns the choice when the user confirms.
pub fn save_dialog(ctx: &egui::Context, app: &mut LogWeaveApp) -> Option<SaveRequest> {
    let mut request = app.panels.save?;
    let selected = app.active_tab().map_or(0, |t| t.view.selection.len());
    let visible = app.active_tab().map_or(0, LogTab::view_len);
    let mut confirmed = None;
    let mut cancel = false;
    egui::Modal::new(egui::Id::unique("save-as")).show(ctx, |ui| {
        ui.heading("Save As");
        ui.radio_value(
            &mut request.scope,
            SaveScope::Selected,
            format!("Selected rows ({selected})"),
        );
        ui.radio_value(
            &mut request.scope,
            SaveScope::Visible,
            format!("All rows shown ({visible})"),
        );
        ui.separator();
        ui.radio_value(
            &mut request.format,
            ExportFormat::Original,
            "Original log text (opens in CMTrace)",
        );
        ui.radio_value(
            &mut request.format,
            ExportFormat::Tsv,
            "Tab-separated columns",
        );
        ui.horizontal(|ui| {
            if ui.button("Save…").clicked() {
                confirmed = Some(request);
            }
            if ui.button("Cancel").clicked() {
                cancel = true;
            }
        });
    });
    app.panels.save = if confirmed.is_some() || cancel {
        None
    } else {
        Some(request)
    };
    confirmed
}
