//! The details pane under the list: the selected record whole, its time as
//! written and in UTC, component, thread, source file, and the error codes
//! in its text as links to Error Lookup.
//! Never imports another panel.

use egui::{RichText, Ui};

use crate::gui::app::LogWeaveApp;
use crate::gui::view::Tab;
use crate::gui::view::thread_text;
use crate::time::format_rfc3339_ms;

/// One line saying what a code is, for tooltips.
fn code_summary(value: u32) -> String {
    crate::errors::lookup(crate::errors::Tables::builtin(), &format!("0x{value:08X}"))
        .ok()
        .and_then(|found| {
            found
                .into_iter()
                .find(|i| i.name.is_some() || i.meaning.is_some())
        })
        .map(|i| {
            format!(
                "{} {}",
                i.name.unwrap_or_default(),
                i.meaning.unwrap_or_default()
            )
            .trim()
            .to_owned()
        })
        .unwrap_or_else(|| "Look up this code".to_owned())
}

pub fn show(ui: &mut Ui, app: &mut LogWeaveApp) {
    egui::Panel::bottom("details")
        .resizable(true)
        .default_size(180.0)
        .min_size(110.0)
        .show(ui, |ui| {
            let Some(tab) = app.tabs.get(app.active).map(Tab::focused) else {
                return;
            };
            let Some((source, record)) = tab.cursor_entry() else {
                ui.weak("Select a row to see the whole record here.");
                return;
            };
            let Some(row) = tab.sources[source].doc.row(record) else {
                return;
            };
            let f = &row.fields;
            // In a comparison: the side, and the other side's record of the
            // same row when there is one.
            let (side, other) = match app.tabs.get(app.active) {
                Some(Tab::Compare(c)) => {
                    let other_pane = match c.focus {
                        crate::gui::view::Pane::A => &c.b,
                        crate::gui::view::Pane::B => &c.a,
                    };
                    let other = other_pane
                        .cursor_entry()
                        .and_then(|(s, r)| other_pane.sources.get(s)?.doc.row(r));
                    (Some(c.focus), other)
                }
                _ => (None, None),
            };
            ui.horizontal_wrapped(|ui| {
                let field = |ui: &mut Ui, name: &str, value: String| {
                    if !value.is_empty() {
                        ui.label(RichText::new(name).weak());
                        ui.label(value);
                        ui.add_space(10.0);
                    }
                };
                if let Some(side) = side {
                    field(ui, "Side", side.label().to_owned());
                }
                if tab.is_merged() {
                    field(ui, "File", tab.sources[source].name());
                }
                field(ui, "Record", format!("{}", row.record + 1));
                field(ui, "Time", f.time_text.clone().unwrap_or_default());
                let utc = if tab.is_merged() {
                    // The merged view's reading: a WinPE record's UTC only
                    // when the machine's zone is known.
                    match tab.utc_ms(source, &row) {
                        Some(ms) => format_rfc3339_ms(ms),
                        None if f.meta.wall_ms.is_some() => {
                            "zone unknown (WinPE's clock, the machine's zone not in these logs)"
                                .to_owned()
                        }
                        None => String::new(),
                    }
                } else {
                    match (row.utc_ms(), f.meta.zone) {
                        (Some(ms), crate::model::ZoneKind::Local) => {
                            format!("{} (zone unknown)", format_rfc3339_ms(ms))
                        }
                        (Some(ms), _) => format_rfc3339_ms(ms),
                        (None, _) => String::new(),
                    }
                };
                field(ui, "UTC", utc);
                field(ui, "Component", f.component.clone());
                field(ui, "Thread", thread_text(&f.thread));
                field(ui, "Source", f.source_file.clone());
                field(ui, "Context", f.context.clone());
            });
            let codes = crate::errors::detect::find_codes(&f.message);
            if !codes.is_empty() {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new("Error codes").weak());
                    let mut shown = Vec::new();
                    for code in &codes {
                        if shown.contains(&code.value) {
                            continue;
                        }
                        shown.push(code.value);
                        let written = &f.message[code.range.clone()];
                        if ui
                            .link(written)
                            .on_hover_text(code_summary(code.value))
                            .clicked()
                        {
                            app.pending_lookup = Some(written.to_owned());
                        }
                    }
                });
            }
            if let (Some(side), Some(other)) = (side, &other)
                && other.fields.message != f.message
            {
                word_diff(ui, side, &f.message, &other.fields.message);
            }
            ui.separator();
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    let mut text = f.message.as_str();
                    ui.add(
                        egui::TextEdit::multiline(&mut text)
                            .desired_width(f32::INFINITY)
                            .font(egui::TextStyle::Monospace),
                    );
                });
        });
}

/// The selected record and the other side's record of the same row, one
/// line each (their first lines), the words that differ marked.
fn word_diff(ui: &mut Ui, side: crate::gui::view::Pane, mine: &str, other: &str) {
    let first_line = |t: &str| t.lines().next().unwrap_or_default().to_owned();
    let (mine, other) = (first_line(mine), first_line(other));
    let (a, b, a_pieces, b_pieces) = match side {
        crate::gui::view::Pane::A => {
            let (pa, pb) = crate::compare::word_diff(&mine, &other);
            (mine, other, pa, pb)
        }
        crate::gui::view::Pane::B => {
            let (pa, pb) = crate::compare::word_diff(&other, &mine);
            (other, mine, pa, pb)
        }
    };
    let hit = crate::gui::theme::find_hit_colors(ui.visuals());
    for (name, text, pieces) in [("A", &a, &a_pieces), ("B", &b, &b_pieces)] {
        let mut job = egui::text::LayoutJob::default();
        let plain = egui::TextFormat {
            font_id: egui::TextStyle::Monospace.resolve(ui.style()),
            color: ui.visuals().text_color(),
            ..Default::default()
        };
        job.append(&format!("{name}  "), 0.0, plain.clone());
        for (range, changed) in pieces {
            let mut format = plain.clone();
            if *changed {
                format.background = hit.background;
                format.color = hit.text;
            }
            job.append(&text[range.clone()], 0.0, format);
        }
        ui.label(job).on_hover_text(format!(
            "{name}: the words that differ from the other side are marked"
        ));
    }
}
