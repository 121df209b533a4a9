//! The strip above a merged view: each file on/off with its colour, the
//! time rule used and a zone override, remove, add, hide duplicates and how
//! times are shown.
//! Never imports another panel.

use egui::{RichText, Ui};

use crate::gui::view::LogTab;

/// The files of a merged view: on/off, colour, the time rule used, a zone
/// override, remove; and the view's options. Returns true when "Add file…" was clicked.
pub fn show(ui: &mut Ui, tab: &mut LogTab) -> bool {
    let mut add = false;
    let mut toggles = Vec::new();
    let mut overrides = Vec::new();
    let mut remove = None;
    egui::Grid::new("merge-files")
        .num_columns(4)
        .striped(true)
        .show(ui, |ui| {
            let plan = tab.merge.as_ref().and_then(|m| m.plan.clone());
            for (i, source) in tab.sources.iter().enumerate() {
                ui.horizontal(|ui| {
                    let (rect, _) =
                        ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
                    ui.painter().rect_filled(
                        rect,
                        2.0,
                        crate::gui::theme::source_color(i, ui.visuals()),
                    );
                    let mut on = source.enabled;
                    if ui
                        .checkbox(&mut on, source.name())
                        .on_hover_text(format!(
                            "{}\nShow this file's records",
                            source.path.display()
                        ))
                        .changed()
                    {
                        toggles.push((i, on));
                    }
                });
                let rule = plan
                    .as_ref()
                    .and_then(|p| p.files.get(i))
                    .map_or_else(|| "…".to_owned(), crate::merge::FilePlan::describe);
                ui.label(RichText::new(rule).weak());
                ui.horizontal(|ui| {
                    let mut set = source.zone_override.is_some();
                    let mut hours = source.zone_override.map_or(0.0, |m| -f64::from(m) / 60.0);
                    let changed_set = ui
                        .checkbox(&mut set, "zone UTC")
                        .on_hover_text(
                            "Set this file's zone: its times are local time of that zone",
                        )
                        .changed();
                    let changed_hours = ui
                        .add_enabled(
                            set,
                            egui::DragValue::new(&mut hours)
                                .range(-14.0..=14.0)
                                .speed(0.25)
                                .suffix(" h"),
                        )
                        .changed();
                    if changed_set || changed_hours {
                        overrides.push((i, set.then(|| (-(hours * 60.0)).round() as i32)));
                    }
                });
                if ui
                    .small_button("×")
                    .on_hover_text("Remove this file from the view")
                    .clicked()
                {
                    remove = Some(i);
                }
                ui.end_row();
            }
        });
    ui.horizontal(|ui| {
        if ui.button("Add file…").clicked() {
            add = true;
        }
        if let Some(m) = &mut tab.merge {
            let mut hide = m.hide_duplicates;
            if ui.checkbox(&mut hide, "Hide duplicates").on_hover_text("Hide records identical in time, thread, component and message to one in another file").changed() {
                toggles.push((usize::MAX, hide));
            }
            let times = ui.label("Times:");
            let mut display = m.time_display;
            egui::ComboBox::from_id_salt("time-display")
                .selected_text(match display {
                    crate::gui::view::TimeDisplay::AsWritten => "as written".to_owned(),
                    crate::gui::view::TimeDisplay::Utc => "UTC".to_owned(),
                    crate::gui::view::TimeDisplay::Zone(m) => format!("UTC{:+}", f64::from(m) / 60.0),
                })
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut display, crate::gui::view::TimeDisplay::AsWritten, "as written");
                    ui.selectable_value(&mut display, crate::gui::view::TimeDisplay::Utc, "UTC");
                    for hours in [-8, -5, 0, 1, 2, 10] {
                        ui.selectable_value(&mut display, crate::gui::view::TimeDisplay::Zone(hours * 60), format!("UTC{hours:+}"));
                    }
                })
                .response
                .labelled_by(times.id);
            m.time_display = display;
            if let Some(plan) = &m.plan {
                ui.label(RichText::new(if plan.one_machine { "ordered by wall clock (one machine)" } else { "ordered by UTC (several zones)" }).weak());
            }
        }
    });
    for (i, on) in toggles {
        if i == usize::MAX {
            tab.set_hide_duplicates(on);
        } else {
            tab.set_enabled(i, on);
        }
    }
    for (i, minutes) in overrides {
        tab.set_zone_override(i, minutes);
    }
    if let Some(i) = remove {
        tab.remove_source(i);
    }
    add
}
