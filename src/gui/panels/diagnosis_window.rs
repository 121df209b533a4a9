//! The Diagnosis window (Tools > Diagnosis, Ctrl+Shift+D): the active
//! tab's errors ranked — the first error first, then by how often each
//! message occurs — with their codes looked up and the usually-harmless
//! ones muted at the end; clicking one selects its first record.
//! Never imports another panel.

use egui::{RichText, Ui};

use crate::gui::app::LogWeaveApp;
use crate::gui::view::Tab;

/// Draws the window when it is open.
pub fn window(ctx: &egui::Context, app: &mut LogWeaveApp) {
    if !app.panels.diagnosis {
        return;
    }
    let mut open = true;
    let mut jump = None;
    egui::Window::new("Diagnosis")
        .constrain_to(crate::gui::widgets::below_menu(ctx))
        .open(&mut open)
        .default_size([640.0, 420.0])
        .default_pos([160.0, 110.0])
        .show(ctx, |ui| {
            let Some(Tab::Log(tab)) = app.tabs.get_mut(app.active) else {
                ui.label("Open a log to rank its errors.");
                return;
            };
            tab.poll_ranking();
            let Some(groups) = tab.ranked.groups.clone() else {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Ranking the errors…");
                });
                return;
            };
            if groups.is_empty() {
                ui.label("No error records in this log.");
                return;
            }
            let total: usize = groups.iter().map(|g| g.count).sum();
            ui.weak(format!(
                "{total} error records in {} kinds; the first one first, then the most frequent; usually harmless ones last, muted.",
                groups.len()
            ));
            ui.separator();
            egui::ScrollArea::vertical().show(ui, |ui| {
                for (i, group) in groups.iter().enumerate() {
                    if row(ui, i, group) {
                        jump = Some(group.first);
                    }
                }
            });
        });
    if !open {
        app.panels.diagnosis = false;
    }
    if let Some(entry) = jump
        && let Some(Tab::Log(tab)) = app.tabs.get_mut(app.active)
        && !tab.select_entry(entry)
    {
        tab.clear_filter();
        tab.filter.reselect = Some(entry);
    }
}

/// One group: count, component, first message (a link), its codes. True
/// when clicked.
fn row(ui: &mut Ui, i: usize, group: &crate::triage::ErrorGroup) -> bool {
    let muted = group.harmless.is_some();
    let mut clicked = false;
    ui.horizontal_wrapped(|ui| {
        let label = if i == 0 && !muted { "first" } else { "" };
        ui.weak(format!("{label:>5} {:>5}×", group.count));
        if !group.component.is_empty() {
            ui.weak(&group.component);
        }
        let first_line = group.message.lines().next().unwrap_or("");
        let text = if muted {
            RichText::new(first_line).weak()
        } else {
            RichText::new(first_line).color(ui.visuals().error_fg_color)
        };
        let response = ui.link(text);
        let response = match &group.harmless {
            Some(why) => response.on_hover_text(format!("Usually harmless: {why}")),
            None => response.on_hover_text(format!(
                "First at {}",
                group.time.as_deref().unwrap_or("an unknown time")
            )),
        };
        clicked = response.clicked();
    });
    for code in &group.codes {
        let name = code.name.as_deref().unwrap_or("unknown code");
        let text = match &code.meaning {
            Some(meaning) => format!("        {} {name}: {meaning}", code.code),
            None => format!("        {} {name}", code.code),
        };
        ui.weak(text);
    }
    clicked
}
