//! The path box: where no native file dialog can be shown (a Linux desktop
//! without an XDG portal or zenity), the paths to open are typed or pasted
//! here, one per line — files, folders, bundles or entry paths.
//! Never imports another panel.

use crate::gui::app::{LogWeaveApp, OpenPurpose};

/// The path box, while it is open.
pub fn window(ctx: &egui::Context, app: &mut LogWeaveApp) {
    let Some(typed) = &mut app.path_box else {
        return;
    };
    let mut open = true;
    let mut go = false;
    let what = match typed.purpose {
        OpenPurpose::Tabs { .. } => "to open",
        OpenPurpose::Merged => "to merge into one timeline",
        OpenPurpose::AddTo(_) => "to add to the merged view",
        OpenPurpose::Compare => "to compare (two)",
    };
    egui::Window::new("Type the paths to open")
        .constrain_to(crate::gui::widgets::below_menu(ctx))
        .open(&mut open)
        .collapsible(false)
        .default_width(560.0)
        .show(ctx, |ui| {
            ui.label(
                "No file dialog can be shown on this desktop (it needs an XDG desktop \
                 portal or zenity). Type or paste the paths instead, one per line:",
            );
            ui.add(
                egui::TextEdit::multiline(&mut typed.text)
                    .desired_rows(4)
                    .desired_width(f32::INFINITY)
                    .hint_text(format!("paths {what}")),
            );
            ui.horizontal(|ui| {
                go = ui
                    .add_enabled(!typed.paths().is_empty(), egui::Button::new("Open"))
                    .clicked();
                ui.weak("Files, folders, zip or cab bundles, bundle.zip/SMSTSLog/smsts.log");
            });
        });
    if go {
        app.open_typed_paths();
    } else if !open {
        app.path_box = None;
    }
}
