//! One-line banners above a pane's rows: the step scope ("Showing the
//! records of step … only" with Show all records), a background step that
//! failed (with Dismiss), and each source's notice (rolled over, truncated,
//! unreadable, indexing failed, not a text log), naming the file.
//! Never imports another panel.

use crate::document::DocumentProblem;
use crate::gui::view::LogTab;

/// The banners of one pane.
pub fn show(ui: &mut egui::Ui, tab: &mut LogTab) {
    if let Some(scope) = &tab.scope {
        let name = scope.name.clone();
        let mut clear = false;
        ui.horizontal(|ui| {
            ui.label(format!("Showing the records of step “{name}” only."));
            clear = ui.small_button("Show all records").clicked();
        });
        if clear {
            tab.set_scope(None);
        }
    }
    if let Some(failure) = &tab.failure {
        let mut dismiss = false;
        ui.horizontal(|ui| {
            ui.colored_label(ui.visuals().error_fg_color, failure);
            copy_details_button(ui, failure);
            dismiss = ui.small_button("Dismiss").clicked();
        });
        if dismiss {
            tab.failure = None;
        }
    }
    for source in &tab.sources {
        if source.doc.looks_binary() {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!(
                    "{} does not look like a text log (its first bytes are mostly binary); its lines are shown as records.",
                    source.name()
                ),
            );
        }
        if let Some(notice) = &source.notice {
            let who = if tab.sources.len() > 1 {
                format!("{}: ", source.name())
            } else {
                String::new()
            };
            // A file that cannot be shown at all is an error; a rollover or
            // truncation note is a warning.
            let color = match source.doc.problem() {
                Some(DocumentProblem::IndexingFailed(_) | DocumentProblem::Unreadable(_)) => {
                    ui.visuals().error_fg_color
                }
                // (A lost connection is retried: a warning.)
                Some(DocumentProblem::ConnectionLost(_)) | None => ui.visuals().warn_fg_color,
            };
            let text = format!("{who}{notice}");
            if matches!(
                source.doc.problem(),
                Some(DocumentProblem::IndexingFailed(_))
            ) {
                ui.horizontal(|ui| {
                    ui.colored_label(color, &text);
                    copy_details_button(ui, &text);
                });
            } else {
                ui.colored_label(color, text);
            }
        }
    }
}

/// "Copy details" beside an internal error: copies the one-line failure
/// with the full report of the panic behind it (version, thread, place,
/// backtrace; also kept in `panics.log` beside the settings), for a bug
/// report.
fn copy_details_button(ui: &mut egui::Ui, failure: &str) {
    if !failure.contains("internal error") {
        return;
    }
    let log = crate::jobs::panic_log_path()
        .map(|p| format!(" (also in {})", p.display()))
        .unwrap_or_default();
    if ui
        .small_button("Copy details")
        .on_hover_text(format!(
            "Copy the error and its backtrace for a bug report{log}"
        ))
        .clicked()
    {
        let details = crate::jobs::panic_details().unwrap_or_default();
        ui.ctx().copy_text(format!("{failure}\n\n{details}"));
    }
}
