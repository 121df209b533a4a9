//! The diagnosis strip above a task-sequence log's rows: how the run ended,
//! the failed step and its code with name and meaning, and buttons to jump
//! to the failure, show the evidence, open the log to read next and copy a
//! summary for a ticket. A successful run says so in one line.
//! Never imports another panel.

use std::path::PathBuf;

use egui::{RichText, Ui};

use crate::gui::view::LogTab;
use crate::triage::{self, EvidenceRecord, TriageOutcome};

/// Draws the strip when the tab's logs hold a task sequence; returns a log
/// the user asked to open.
pub fn show(ui: &mut Ui, tab: &mut LogTab) -> Option<PathBuf> {
    if !tab.outline.wanted {
        return None;
    }
    tab.poll_outline();
    let (Some(triage), Some(outline)) = (tab.outline.triage.clone(), tab.outline.outline.clone())
    else {
        return None;
    };
    let visuals = ui.visuals().clone();
    let accent = match triage.outcome {
        TriageOutcome::Failed => visuals.error_fg_color,
        // A copy that ends on its reboot is not a worry: the run goes on.
        TriageOutcome::Running if triage.restarted_into.is_none() => visuals.warn_fg_color,
        TriageOutcome::Running => visuals.text_color(),
        TriageOutcome::Succeeded | TriageOutcome::Unknown => visuals.text_color(),
    };
    let mut open = None;
    let mut jump: Option<(usize, usize)> = None;
    egui::Frame::group(ui.style())
        .fill(visuals.faint_bg_color)
        .stroke(egui::Stroke::new(1.0, accent))
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(triage.headline()).strong().color(accent));
                if let Some(phase) = triage.phase {
                    ui.weak(format!(
                        "in {}",
                        if phase == "winpe" {
                            "WinPE"
                        } else {
                            "the full OS"
                        }
                    ));
                }
            });
            if let Some(meaning) = &triage.meaning {
                ui.label(meaning);
            }
            ui.horizontal_wrapped(|ui| {
                if triage.outcome == TriageOutcome::Failed {
                    if let Some(target) = failure_record(&triage.evidence)
                        && ui
                            .button("Jump to failure")
                            .on_hover_text("Select the record that shows the failure")
                            .clicked()
                    {
                        jump = Some(target);
                    }
                    if !triage.evidence.is_empty() {
                        let label = if tab.outline.evidence_shown {
                            "Hide evidence"
                        } else {
                            "Show evidence"
                        };
                        if ui.button(label).clicked() {
                            tab.outline.evidence_shown = !tab.outline.evidence_shown;
                        }
                    }
                    if !triage.next_logs.is_empty() {
                        ui.menu_button("Next log", |ui| {
                            for (i, log) in triage.next_logs.iter().enumerate() {
                                match tab.outline.next_log_paths.get(i).cloned().flatten() {
                                    Some(path) => {
                                        if ui
                                            .button(format!("Open {}", log.path))
                                            .on_hover_text(&log.why)
                                            .clicked()
                                        {
                                            open = Some(path);
                                            ui.close();
                                        }
                                    }
                                    None => {
                                        ui.label(RichText::new(&log.path).weak()).on_hover_text(
                                            format!("{} (not beside this log)", log.why),
                                        );
                                    }
                                }
                            }
                        });
                    }
                }
                ui.menu_button("Copy summary", |ui| {
                    if ui.button("As Markdown (for a ticket)").clicked() {
                        ui.ctx().copy_text(triage::markdown(&triage, &outline));
                        ui.close();
                    }
                    if ui.button("As plain text").clicked() {
                        ui.ctx().copy_text(triage::plain_text(&triage, &outline));
                        ui.close();
                    }
                });
                if !triage.harmless.is_empty() {
                    ui.weak(format!(
                        "{} earlier error{} usually harmless",
                        triage.harmless.len(),
                        if triage.harmless.len() == 1 {
                            " is"
                        } else {
                            "s are"
                        }
                    ));
                }
            });
            if tab.outline.evidence_shown {
                ui.separator();
                for record in &triage.evidence {
                    if evidence_row(ui, record, false) {
                        jump = Some((record.file_index, record.record));
                    }
                }
                for record in &triage.harmless {
                    if evidence_row(ui, record, true) {
                        jump = Some((record.file_index, record.record));
                    }
                }
            }
        });
    if let Some(entry) = jump
        && !tab.select_entry(entry)
    {
        // Filtered out: show everything so the record can be shown.
        tab.clear_filter();
        tab.filter.reselect = Some(entry);
    }
    open
}

/// The record to select for "Jump to failure": the failing action's line,
/// else the last evidence record.
fn failure_record(evidence: &[EvidenceRecord]) -> Option<(usize, usize)> {
    evidence
        .iter()
        .find(|e| e.message.starts_with("Failed to run the"))
        .or(evidence.last())
        .map(|e| (e.file_index, e.record))
}

/// One evidence line (a link to its record); harmless ones are muted, with
/// why on hover. True when clicked.
fn evidence_row(ui: &mut Ui, record: &EvidenceRecord, harmless: bool) -> bool {
    let first_line = record.message.lines().next().unwrap_or("");
    let text = format!(
        "{}  {}  {}",
        record.time.as_deref().unwrap_or(""),
        record.component,
        first_line
    );
    let text = if harmless {
        RichText::new(format!("(usually harmless) {text}")).weak()
    } else {
        RichText::new(text)
    };
    let response = ui.link(text);
    let response = match (&record.why, &record.source) {
        (Some(why), Some(source)) => response.on_hover_text(format!("{why}\n{source}")),
        _ => response.on_hover_text(format!("Record {} of {}", record.record + 1, record.file)),
    };
    response.clicked()
}
