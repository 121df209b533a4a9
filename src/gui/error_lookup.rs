//! Tools > Error Lookup (Ctrl+L, as in CMTrace and OneTrace): an input box,
//! every interpretation of the code with its source, a history of recent
//! lookups, and "Find in open logs" listing each record that mentions the
//! code in any of its written forms.

use std::sync::Arc;

use egui::{RichText, Ui};

use crate::document::LogDocument;
use crate::errors::detect::{find_codes, written_forms};
use crate::errors::{self, Interpretation, Tables};
use crate::jobs::{Job, Waker};
use crate::search::{self, Query};

/// Recent lookups kept.
pub const HISTORY_MAX: usize = 20;

/// A record that mentions the looked-up code.
#[derive(Clone)]
pub struct Occurrence {
    /// The document it is in (compared by pointer with the open tabs).
    pub doc: Arc<LogDocument>,
    /// Record number.
    pub record: usize,
    /// The first line of its message.
    pub text: String,
}

/// State of the Error Lookup window.
#[derive(Default)]
pub struct ErrorLookup {
    /// Window shown.
    pub open: bool,
    /// The input box.
    pub input: String,
    /// What the last lookup found (or why it failed).
    pub results: Option<Result<Vec<Interpretation>, String>>,
    /// Focus the input on the next frame.
    pub focus: bool,
    /// The running "Find in open logs".
    pub find_job: Option<Job<Vec<Occurrence>>>,
    /// What it found.
    pub occurrences: Vec<Occurrence>,
    /// Why the last "Find in open logs" failed, if it did.
    pub find_failure: Option<String>,
    /// The value searched for.
    pub searched: Option<u32>,
}

/// What the window asks the app to do.
pub enum LookupAction {
    /// Nothing.
    None,
    /// Select a record in the tab that shows `doc`.
    Jump(Arc<LogDocument>, usize),
    /// Search the open logs for the value.
    FindInLogs(u32),
}

impl ErrorLookup {
    /// Opens the window on `code` and looks it up.
    pub fn show_code(&mut self, code: &str, history: &mut Vec<String>) {
        self.open = true;
        self.input = code.to_owned();
        self.run(history);
    }

    /// Looks up the input.
    pub fn run(&mut self, history: &mut Vec<String>) {
        let input = self.input.trim().to_owned();
        let result =
            errors::lookup_everywhere(Tables::builtin(), &input).map_err(|e| e.to_string());
        if result.is_ok() {
            history.retain(|h| h != &input);
            history.insert(0, input);
            history.truncate(HISTORY_MAX);
        }
        self.results = Some(result);
    }

    /// Starts searching `docs` for `value` in all its written forms.
    pub fn find_in(&mut self, value: u32, docs: Vec<Arc<LogDocument>>, waker: Option<Waker>) {
        self.searched = Some(value);
        self.occurrences.clear();
        self.find_failure = None;
        self.find_job = Some(Job::spawn("logweave-find-code", waker, move |ctx| {
            let forms: Vec<String> = written_forms(value)
                .iter()
                .map(|f| regex::escape(f))
                .collect();
            let query = Query {
                text: format!(r"\b(?:0x)?(?:{})\b|{}", forms[1], forms[2..].join("|")),
                regex: true,
                ..Query::default()
            };
            let Ok(matcher) = query.compile() else {
                return Vec::new();
            };
            let mut out = Vec::new();
            for doc in docs {
                let hits = search::search(&doc, &matcher, 0..doc.record_count(), ctx);
                for chunk in hits.chunks(256) {
                    for &record in chunk {
                        if let Some(row) = doc.rows(record..record + 1, Some(64 * 1024)).pop()
                            && find_codes(&row.fields.message)
                                .iter()
                                .any(|f| f.value == value)
                        {
                            let text = row.fields.message.lines().next().unwrap_or("").to_owned();
                            out.push(Occurrence {
                                doc: Arc::clone(&doc),
                                record,
                                text,
                            });
                        }
                    }
                }
            }
            out
        }));
    }

    /// Collects a finished search.
    pub fn poll(&mut self) {
        if let Some(job) = &mut self.find_job
            && let Some(found) = job.take()
        {
            match found {
                Ok(found) => self.occurrences = found,
                Err(e) => {
                    self.occurrences.clear();
                    self.find_failure = Some(format!("Finding the code failed: {e}"));
                }
            }
            self.find_job = None;
        }
    }

    /// Draws the window.
    pub fn window(&mut self, ctx: &egui::Context, history: &mut Vec<String>) -> LookupAction {
        let mut action = LookupAction::None;
        let mut open = self.open;
        egui::Window::new("Error Lookup")
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
