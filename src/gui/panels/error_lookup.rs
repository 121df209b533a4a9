//! Tools > Error Lookup (Ctrl+L, as in CMTrace and OneTrace): an input box,
//! every interpretation of the code with its source, a history of recent
//! lookups, and "Find in open logs" listing each record that mentions the
//! code in any of its written forms. Draws [`ErrorLookup`]'s state.
//! Never imports another panel.

use std::sync::Arc;

use egui::{RichText, Ui};

use crate::errors::detect::written_forms;
use crate::gui::view::{ErrorLookup, LookupAction};

impl ErrorLookup {
    /// Draws the window.
    pub fn window(&mut self, ctx: &egui::Context, history: &mut Vec<String>) -> LookupAction {
        let mut action = LookupAction::None;
        let mut open = self.open;
        egui::Window::new("Error Lookup")
            .constrain_to(crate::gui::widgets::below_menu(ctx))
            .open(&mut open)
            .default_width(620.0)
            .show(ctx, |ui| {
                action = self.contents(ui, history);
            });
        self.open = open;
        action
    }

    fn contents(&mut self, ui: &mut Ui, history: &mut Vec<String>) -> LookupAction {
        let mut action = LookupAction::None;
        ui.horizontal(|ui| {
            ui.label("Code:");
            let response = ui.add(
                egui::TextEdit::singleline(&mut self.input)
                    .hint_text("0x80070002, 80070002, -2147024894, 1603 or a name")
                    .desired_width(300.0),
            );
            if std::mem::take(&mut self.focus) {
                response.request_focus();
            }
            let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if ui.button("Look up").clicked() || enter {
                self.run(history);
            }
        });
        match &self.results {
            Some(Err(e)) => {
                ui.colored_label(ui.visuals().error_fg_color, e.clone());
            }
            Some(Ok(found)) => {
                let value = found.first().map(|f| f.unsigned as u32);
                for (i, f) in found.iter().enumerate() {
                    ui.separator();
                    egui::Grid::new(("interpretation", i)).num_columns(2).show(ui, |ui| {
                        let row = |ui: &mut Ui, key: &str, value: String| {
                            ui.label(RichText::new(key).weak());
                            ui.add(egui::Label::new(value).wrap());
                            ui.end_row();
                        };
                        row(ui, "Hex", f.hex.clone());
                        row(ui, "Decimal", format!("{} (unsigned {})", f.signed, f.unsigned));
                        row(ui, "Name", f.name.clone().unwrap_or_else(|| "—".into()));
                        row(ui, "Facility", f.facility.clone());
                        row(ui, "Meaning", f.meaning.clone().unwrap_or_else(|| "— (no text for this code here; the name and facility say what is known)".into()));
                        row(ui, "Source", f.source.clone());
                    });
                }
                if let Some(value) = value {
                    ui.separator();
                    ui.horizontal(|ui| {
                        if ui
                            .button("Find in open logs")
                            .on_hover_text(written_forms(value).join(", "))
                            .clicked()
                        {
                            action = LookupAction::FindInLogs(value);
                        }
                        if let Some(job) = &self.find_job {
                            ui.add(
                                egui::ProgressBar::new(job.progress())
                                    .desired_width(140.0)
                                    .text("searching"),
                            );
                        } else if let Some(failure) = &self.find_failure {
                            ui.colored_label(ui.visuals().error_fg_color, failure);
                        } else if self.searched == Some(value) {
                            ui.label(format!("{} records mention it", self.occurrences.len()));
                        }
                    });
                }
            }
            None => {
                ui.weak(
                    "Type a code and press Enter. Codes in the details pane are links to here.",
                );
            }
        }
        if self.searched.is_some() && !self.occurrences.is_empty() {
            egui::ScrollArea::vertical()
                .max_height(180.0)
                .id_salt("occurrences")
                .show(ui, |ui| {
                    for o in &self.occurrences {
                        let file = o
                            .doc
                            .path()
                            .file_name()
                            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                        if ui
                            .link(format!("{file} #{}: {}", o.record + 1, o.text))
                            .clicked()
                        {
                            action = LookupAction::Jump(Arc::clone(&o.doc), o.record);
                        }
                    }
                });
        }
        if !history.is_empty() {
            ui.separator();
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("Recent:").weak());
                for h in history.clone() {
                    if ui.small_button(&h).clicked() {
                        self.input = h;
                        self.run(history);
                    }
                }
            });
        }
        action
    }
}
