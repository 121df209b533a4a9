//! The status bar: records, errors and warnings, the position, CMTrace's
//! elapsed time from the first record to the selection, a note about the
//! last move ("No more errors below"), follow state and background progress.
//! Never imports another panel.

use egui::Ui;

use crate::gui::app::LogWeaveApp;
use crate::gui::view::{LogTab, Tab};
use crate::time::format_elapsed;

pub fn show(ui: &mut Ui, app: &mut LogWeaveApp) {
    egui::Panel::bottom("status").show(ui, |ui| {
        ui.horizontal(|ui| {
            // In a comparison, which side the figures and the selection are of.
            if let Some(Tab::Compare(compare)) = app.tabs.get(app.active) {
                ui.strong(compare.focus.label())
                    .on_hover_text("The pane the keyboard and these figures are for (click the other pane to switch)");
                ui.separator();
            }
            let Some(tab) = app.tabs.get_mut(app.active).map(Tab::focused_mut) else {
                ui.label("Drop log files here, or File > Open (Ctrl+O).");
                return;
            };
            let counts = tab.counts();
            let total = tab.record_total();
            let shown = tab.view_len();
            if tab.filter.is_active() || tab.start_record > 0 {
                ui.label(format!("Records: {shown} of {total}"));
            } else {
                ui.label(format!("Records: {total}"));
            }
            ui.separator();
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!("Errors: {}", counts.errors),
            );
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("Warnings: {}", counts.warnings),
            );
            ui.separator();
            if let Some(cursor) = tab.view.cursor {
                ui.label(format!("Row {} of {shown}", cursor + 1));
                ui.separator();
            }
            if let Some(text) = elapsed_text(tab) {
                ui.label(text);
                ui.separator();
            }
            if let Some(note) = &tab.view.note {
                ui.colored_label(ui.visuals().warn_fg_color, note);
                ui.separator();
            }
            if tab.is_paused() {
                ui.colored_label(ui.visuals().warn_fg_color, "Paused");
            } else if tab.view.follow_end {
                ui.label("Following new records")
                    .on_hover_text("Scroll up or select a row to stop; End follows again");
            } else {
                ui.weak("Not following (End follows new records)");
            }
            if let Some((what, fraction)) = tab.busy() {
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(160.0)
                        .text(format!("{what} {:.0}%", fraction * 100.0)),
                );
            }
        });
    });
}

/// CMTrace's elapsed time: from the first record to the selection, or across
/// a multi-selection.
fn elapsed_text(tab: &LogTab) -> Option<String> {
    let (first, last) = tab.view.selection.bounds()?;
    let (from, to) = if first == last {
        (tab.entry_at(0)?, tab.entry_at(first)?)
    } else {
        (tab.entry_at(first)?, tab.entry_at(last)?)
    };
    match (tab.time_key(from), tab.time_key(to)) {
        (Some(a), Some(b)) => Some(format_elapsed(b - a)),
        _ => Some("Cannot compare entries that do not have a timestamp".into()),
    }
}
