//! The "Task sequence" side panel: the outline of the active tab's smsts.log
//! (or chain of smsts.log copies) as a tree of groups and steps with their
//! result, duration and exit code; failed steps red, continued-on-error steps
//! yellow, reboots marked; a click jumps to the step's first record, and the
//! view can be narrowed to the records of one step.
//! Never imports another panel; the outline is computed off the UI thread.

use egui::{Align, Layout, RichText, Sense, Ui, vec2};

use crate::gui::app::LogWeaveApp;
use crate::gui::theme;
use crate::gui::view::{LogTab, Tab};
use crate::gui::widgets::step_text::{result_severity, result_text, short_duration};
use crate::model::Severity;
use crate::tasksequence::{Outcome, Outline, Phase, Platform, Step, StepKind, StepResult};

/// Paints a result's mark: a green check for success, a filled dot for a
/// failure (in the row's text colour, which is CMTrace's red or yellow
/// pairing), a dash for skipped, a half-filled ring for running.
fn paint_result_mark(
    painter: &egui::Painter,
    center: egui::Pos2,
    result: StepResult,
    color: egui::Color32,
    success: egui::Color32,
) {
    let r = 4.5;
    let stroke = egui::Stroke::new(1.5, color);
    match result {
        StepResult::Success => {
            let check = [
                center + vec2(-r, 0.0),
                center + vec2(-r / 3.0, r * 0.8),
                center + vec2(r, -r * 0.9),
            ];
            painter.add(egui::Shape::line(
                check.to_vec(),
                egui::Stroke::new(2.0, success),
            ));
        }
        StepResult::Failed | StepResult::FailedContinued => {
            painter.circle_filled(center, r + 0.5, color);
        }
        StepResult::SkippedDisabled | StepResult::SkippedCondition => {
            painter.line_segment([center - vec2(r, 0.0), center + vec2(r, 0.0)], stroke);
        }
        StepResult::Running => {
            painter.circle_stroke(center, r, stroke);
            painter.circle_filled(center, r / 2.0, color);
        }
    }
}

/// Paints a group's fold arrow: pointing right when folded, down when open.
fn paint_fold_arrow(
    painter: &egui::Painter,
    center: egui::Pos2,
    folded: bool,
    color: egui::Color32,
) {
    let s = 4.0;
    let points = if folded {
        vec![
            center + vec2(-s / 2.0, -s),
            center + vec2(s, 0.0),
            center + vec2(-s / 2.0, s),
        ]
    } else {
        vec![
            center + vec2(-s, -s / 2.0),
            center + vec2(s, -s / 2.0),
            center + vec2(0.0, s),
        ]
    };
    painter.add(egui::Shape::convex_polygon(
        points,
        color,
        egui::Stroke::NONE,
    ));
}

/// `text` with its first letter in upper case.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The steps shown when some groups are folded: (index, step).
fn shown_steps<'a>(
    outline: &'a Outline,
    folded: &std::collections::HashSet<usize>,
) -> Vec<(usize, &'a Step)> {
    let mut out = Vec::with_capacity(outline.steps.len());
    let mut hide_below: Option<usize> = None;
    for (i, step) in outline.steps.iter().enumerate() {
        if let Some(depth) = hide_below {
            if step.depth > depth {
                continue;
            }
            hide_below = None;
        }
        out.push((i, step));
        if step.kind == StepKind::Group && folded.contains(&i) {
            hide_below = Some(step.depth);
        }
    }
    out
}

/// The hover text of a step: everything the outline knows about it.
fn step_details(step: &Step) -> String {
    let mut lines = vec![format!(
        "{} {}",
        if step.kind == StepKind::Group {
            "Group"
        } else {
            "Step"
        },
        step.name
    )];
    if let Some(p) = step.pointer {
        lines.push(format!("Instruction pointer: {p}"));
    }
    lines.push(format!("Result: {}", result_text(step.result)));
    if let Some(code) = step.exit_text() {
        let mut line = format!("Exit code: {code}");
        if let Some(name) = &step.exit_name {
            line.push_str(&format!(" {name}"));
        }
        lines.push(line);
        if let Some(meaning) = &step.exit_meaning {
            lines.push(meaning.clone());
        }
    }
    if let Some(d) = step.duration_ms {
        lines.push(format!(
            "Duration: {} (reboots left out)",
            short_duration(d)
        ));
    }
    // WinPE writes its own default bias, not the machine's: its steps'
    // times are given as its clock showed them, never as a made-up UTC.
    match (step.phase, step.start_wall_ms, step.start_utc_ms) {
        (Phase::WinPE, Some(wall), _) => lines.push(format!(
            "Started: {} by WinPE's clock (the machine's zone is not known there)",
            crate::time::format_rfc3339_ms(wall)
                .trim_end_matches('Z')
                .replace('T', " ")
        )),
        (_, _, Some(start)) => lines.push(format!(
            "Started: {} UTC",
            crate::time::format_rfc3339_ms(start)
        )),
        _ => {}
    }
    if let Some(c) = &step.component {
        lines.push(format!("Component: {c}"));
    }
    lines.push(format!("Phase: {}", step.phase.label()));
    if step.reboots > 0 {
        lines.push(format!("Reboots while it ran: {}", step.reboots));
    }
    lines.push("Click to go to its first record.".to_owned());
    lines.join("\n")
}

/// What the user did in the panel.
enum Action {
    None,
    Jump(usize),
    Fold(usize),
}

/// The "Task sequence" panel at the right of the window.
pub fn show(ui: &mut Ui, app: &mut LogWeaveApp) {
    egui::Panel::right("task-sequence")
        .resizable(true)
        .default_size(360.0)
        .min_size(220.0)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading("Task sequence");
                ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                    if ui
                        .small_button("Hide")
                        .on_hover_text("Hide this panel (Ctrl+T)")
                        .clicked()
                    {
                        app.settings.show_outline = false;
                    }
                });
            });
            let Some(tab) = app.tabs.get_mut(app.active).map(Tab::primary_mut) else {
                ui.weak("Open an smsts.log to see the steps of its task sequence.");
                return;
            };
            tab.poll_outline();
            let Some(outline) = tab.outline.outline.clone() else {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Reading the task sequence…");
                });
                return;
            };
            if outline.steps.is_empty() {
                ui.weak(
                    "No task-sequence steps in this log. The outline is built from smsts.log \
                     (Start executing an instruction …).",
                );
                return;
            }
            header(ui, tab, &outline);
            ui.separator();
            let action = tree(ui, tab, &outline);
            match action {
                Action::None => {}
                Action::Fold(i) => {
                    if !tab.outline.folded.remove(&i) {
                        tab.outline.folded.insert(i);
                    }
                }
                Action::Jump(i) => jump_to_step(tab, &outline, i),
            }
        });
}

fn header(ui: &mut Ui, tab: &mut LogTab, outline: &Outline) {
    if let Some(name) = &outline.name {
        ui.label(RichText::new(name).strong());
    }
    let visuals = ui.visuals().clone();
    let text = capitalised(&outline.outcome_text());
    let colors = match outline.outcome {
        Outcome::Failed { .. } => theme::severity_colors(Severity::Error, &visuals),
        // Restarted into the next boot: nothing is wrong, the log goes on
        // in another copy.
        Outcome::Running if outline.restarted_into.is_none() => {
            theme::severity_colors(Severity::Warning, &visuals)
        }
        Outcome::Running | Outcome::Completed => theme::RowColors {
            background: visuals.faint_bg_color,
            text: visuals.strong_text_color(),
        },
    };
    egui::Frame::new()
        .fill(colors.background)
        .inner_margin(4.0)
        .corner_radius(3.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(text).color(colors.text));
        });
    let steps = outline
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Step)
        .count();
    let failed = outline
        .steps
        .iter()
        .filter(|s| s.result == StepResult::Failed)
        .count();
    let continued = outline
        .steps
        .iter()
        .filter(|s| s.result == StepResult::FailedContinued)
        .count();
    let phases: Vec<&str> = outline
        .phases
        .iter()
        .map(|p| p.phase.label())
        .collect::<Vec<_>>();
    ui.weak(format!(
        "{steps} steps, {failed} failed, {continued} continued on error; boots: {}{}",
        if phases.is_empty() {
            Phase::Unknown.label().to_owned()
        } else {
            phases.join(", then ")
        },
        match outline.platform {
            Platform::Unknown => String::new(),
            platform => format!(" ({})", platform.label()),
        },
    ));
    if tab.outline.is_running() {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.weak("Updating…");
        });
    }
    let selected = tab.outline.selected;
    let mut only = tab.scope.is_some();
    let response = ui
        .add_enabled(
            selected.is_some() || only,
            egui::Checkbox::new(&mut only, "Records of the selected step only"),
        )
        .on_hover_text("Shows the rows from the step's first record to its last.");
    if response.changed() {
        tab.set_scope(if only { selected } else { None });
    }
}

fn tree(ui: &mut Ui, tab: &mut LogTab, outline: &Outline) -> Action {
    let shown = shown_steps(outline, &tab.outline.folded);
    let visuals = ui.visuals().clone();
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let mut action = Action::None;
    let selected = tab.outline.selected;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, row_height, shown.len(), |ui, range| {
            for &(i, step) in &shown[range] {
                if step.reboot_before {
                    ui.horizontal(|ui| {
                        ui.add_space(step.depth as f32 * 14.0);
                        // A step entered again after its reboot started in the boot before.
                        let boot = step.boot + usize::from(step.reboots > 0);
                        let phase = outline.phases.get(boot).map_or(step.phase, |p| p.phase);
                        ui.weak(format!("— reboot into {} —", phase.label()));
                    });
                }
                let colors = theme::severity_colors(result_severity(step.result), &visuals);
                let (rect, response) =
                    ui.allocate_exact_size(vec2(ui.available_width(), row_height), Sense::click());
                let background = if selected == Some(i) {
                    visuals.selection.bg_fill
                } else if response.hovered() {
                    visuals.widgets.hovered.weak_bg_fill
                } else {
                    colors.background
                };
                let text_color = if selected == Some(i) {
                    visuals.strong_text_color()
                } else if step.result.is_skipped() {
                    visuals.weak_text_color()
                } else {
                    colors.text
                };
                ui.painter().rect_filled(rect, 2.0, background);
                let indent = step.depth as f32 * 14.0;
                let font = egui::TextStyle::Body.resolve(ui.style());
                let mut x = rect.left() + 4.0 + indent;
                let fold_rect =
                    egui::Rect::from_min_size(egui::pos2(x, rect.top()), vec2(14.0, row_height));
                // A group whose members never ran (skipped) has nothing to fold.
                let foldable = outline.has_members(i);
                if foldable {
                    paint_fold_arrow(
                        ui.painter(),
                        fold_rect.center(),
                        tab.outline.folded.contains(&i),
                        text_color,
                    );
                }
                x += 16.0;
                paint_result_mark(
                    ui.painter(),
                    egui::pos2(x + 5.0, rect.center().y),
                    step.result,
                    text_color,
                    if selected == Some(i) {
                        text_color
                    } else {
                        theme::success_color(&visuals)
                    },
                );
                x += 16.0;
                let mut right = String::new();
                if let Some(code) = step.exit_text().filter(|c| c != "0") {
                    right.push_str(&code);
                    right.push_str("  ");
                }
                if let Some(d) = step.duration_ms {
                    right.push_str(&short_duration(d));
                }
                let right_rect = ui.painter().text(
                    egui::pos2(rect.right() - 4.0, rect.center().y),
                    egui::Align2::RIGHT_CENTER,
                    &right,
                    font.clone(),
                    if selected == Some(i) || colors.background != egui::Color32::TRANSPARENT {
                        text_color
                    } else {
                        visuals.weak_text_color()
                    },
                );
                let name_rect = egui::Rect::from_min_max(
                    egui::pos2(x, rect.top()),
                    egui::pos2(right_rect.left() - 6.0, rect.bottom()),
                );
                let name = if step.kind == StepKind::Group {
                    RichText::new(&step.name).strong()
                } else {
                    RichText::new(&step.name)
                };
                let galley = egui::WidgetText::from(name).into_galley(
                    ui,
                    Some(egui::TextWrapMode::Truncate),
                    name_rect.width().max(10.0),
                    egui::TextStyle::Body,
                );
                ui.painter().with_clip_rect(name_rect).galley(
                    egui::pos2(name_rect.left(), rect.center().y - galley.size().y / 2.0),
                    galley,
                    text_color,
                );
                let label = format!("{} {}", result_text(step.result), step.name);
                response
                    .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
                let response = response.on_hover_text(step_details(step));
                if response.clicked() {
                    let on_arrow = response
                        .interact_pointer_pos()
                        .is_some_and(|p| fold_rect.contains(p));
                    action = if on_arrow && foldable {
                        Action::Fold(i)
                    } else {
                        Action::Jump(i)
                    };
                }
                if response.double_clicked() && foldable {
                    action = Action::Fold(i);
                }
            }
        });
    action
}

/// Selects step `i` and its first record (narrowing the scope to it when the
/// view shows one step only).
fn jump_to_step(tab: &mut LogTab, outline: &Outline, i: usize) {
    let Some(step) = outline.steps.get(i) else {
        return;
    };
    tab.outline.selected = Some(i);
    if tab.scope.is_some() {
        tab.set_scope(Some(i));
    }
    let entry = (step.file, step.first_record);
    if !tab.select_entry(entry) {
        // Filtered out: show everything so the record can be shown.
        tab.clear_filter();
        tab.filter.reselect = Some(entry);
    }
}
