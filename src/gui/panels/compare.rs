//! Side-by-side comparison of two logs (copies of smsts.log from two runs or
//! two machines): the mode strip, the per-step summary, both panes drawn by
//! the log list and the gutter marking the differences between them. Draws
//! a [`CompareTab`]; the alignment and the pane sync rule live there.
//! Never imports another panel.

use egui::{Color32, FontId, Rect, RichText, Sense, Ui, UiBuilder, pos2, vec2};

use crate::compare::{AlignMode, Mark};
use crate::gui::settings::Settings;
use crate::gui::theme;
use crate::gui::view::{CompareTab, Highlight, Pane};
use crate::gui::widgets::log_list;
use crate::gui::widgets::step_text::{result_severity, result_text, short_duration};
use crate::model::Severity;

/// Width of the gutter between the panes.
const GUTTER: f32 = 18.0;

fn mode_label(mode: AlignMode) -> &'static str {
    match mode {
        AlignMode::Step => "By step",
        AlignMode::Time => "By time since start",
        AlignMode::Message => "By message",
    }
}

/// The colour of a difference mark in the gutter.
fn mark_color(mark: Mark, visuals: &egui::Visuals) -> Option<Color32> {
    match mark {
        Mark::Same => None,
        Mark::Failed => Some(visuals.error_fg_color),
        Mark::Changed => Some(visuals.warn_fg_color),
        Mark::OnlyA | Mark::OnlyB => Some(visuals.hyperlink_color),
    }
}

/// Draws a comparison tab: the strip, the summary, both panes and the gutter.
pub fn show(
    ui: &mut Ui,
    view: &mut CompareTab,
    settings: &mut Settings,
    highlight: &Highlight,
    list_has_keys: bool,
) {
    strip(ui, view);
    if view.show_summary {
        summary(ui, view);
    }
    ui.separator();
    let full = ui.available_rect_before_wrap();
    ui.allocate_rect(full, Sense::hover());
    let pane_width = ((full.width() - GUTTER) / 2.0).max(50.0);
    let left = Rect::from_min_size(full.min, vec2(pane_width, full.height()));
    let gutter = Rect::from_min_size(pos2(left.right(), full.top()), vec2(GUTTER, full.height()));
    let right = Rect::from_min_max(pos2(gutter.right(), full.top()), full.max);
    // A click in a pane gives it the keyboard.
    if ui.input(|i| i.pointer.primary_pressed())
        && let Some(pos) = ui.input(|i| i.pointer.interact_pos())
    {
        if left.contains(pos) {
            view.focus = Pane::A;
        } else if right.contains(pos) {
            view.focus = Pane::B;
        }
    }
    let before = view.positions();
    // Half a window each: without the detail columns (unless asked for) the
    // log text, where runs differ, gets the pane's width.
    let mut pane_settings = settings.clone();
    pane_settings.show_detail_columns &= view.show_columns;
    ui.scope_builder(UiBuilder::new().max_rect(left).id_salt("pane-a"), |ui| {
        log_list::show(
            ui,
            &mut view.a,
            &mut pane_settings,
            highlight,
            list_has_keys && view.focus == Pane::A,
        );
    });
    ui.scope_builder(UiBuilder::new().max_rect(right).id_salt("pane-b"), |ui| {
        log_list::show(
            ui,
            &mut view.b,
            &mut pane_settings,
            highlight,
            list_has_keys && view.focus == Pane::B,
        );
    });
    settings.column_widths = pane_settings.column_widths;
    view.sync_panes(before);
    paint_gutter(ui, view, gutter, settings);
}

fn paint_gutter(ui: &Ui, view: &CompareTab, gutter: Rect, settings: &Settings) {
    let visuals = ui.visuals();
    let painter = ui.painter_at(gutter);
    painter.rect_filled(gutter, 0.0, visuals.faint_bg_color);
    let Some(comparison) = &view.comparison else {
        return;
    };
    let font = FontId::proportional(settings.font_size);
    // The panes' geometry: a header row, then rows of the same height.
    let row_height = (ui.fonts_mut(|f| f.row_height(&font)) + 6.0).round();
    let rows = comparison.rows();
    let visible = ((gutter.height() - row_height) / row_height).ceil() as usize;
    for i in 0..visible {
        let row = view.a.view.top + i;
        let Some(aligned) = rows.get(row) else {
            break;
        };
        let Some(color) = mark_color(aligned.mark, visuals) else {
            continue;
        };
        let top = gutter.top() + row_height * (i as f32 + 1.0);
        let rect = Rect::from_min_size(
            pos2(gutter.left() + 3.0, top + 1.0),
            vec2(GUTTER - 6.0, row_height - 2.0),
        );
        painter.rect_filled(rect, 2.0, color);
        let symbol = match aligned.mark {
            Mark::OnlyA => "<",
            Mark::OnlyB => ">",
            Mark::Failed => "!",
            Mark::Changed => "~",
            Mark::Same => "",
        };
        painter.text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            symbol,
            FontId::monospace(settings.font_size - 1.0),
            visuals.extreme_bg_color,
        );
    }
}

fn strip(ui: &mut Ui, view: &mut CompareTab) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("A").strong());
        ui.label(view.a.sources[0].path.display().to_string());
        ui.separator();
        ui.label(RichText::new("B").strong());
        ui.label(view.b.sources[0].path.display().to_string());
    });
    ui.horizontal_wrapped(|ui| {
        ui.label("Line up:");
        for mode in [AlignMode::Step, AlignMode::Time, AlignMode::Message] {
            if ui
                .selectable_label(view.mode == mode, mode_label(mode))
                .clicked()
            {
                view.set_mode(mode);
            }
        }
        ui.separator();
        if ui
            .button("Previous difference")
            .on_hover_text("Shift+F6")
            .clicked()
        {
            view.jump_to_difference(false);
        }
        if ui.button("Next difference").on_hover_text("F6").clicked() {
            view.jump_to_difference(true);
        }
        ui.toggle_value(&mut view.show_summary, "Step summary");
        ui.toggle_value(&mut view.show_columns, "Columns")
            .on_hover_text("Show Component, Date/Time and Thread in both panes");
        if let Some(p) = view.progress() {
            ui.add(
                egui::ProgressBar::new(p)
                    .desired_width(120.0)
                    .text("Lining up…"),
            );
        } else if let Some(c) = &view.comparison {
            ui.weak(format!(
                "{} rows, {} differences",
                c.rows().len(),
                c.difference_count()
            ));
        }
    });
    if let Some(e) = &view.error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
}

fn summary(ui: &mut Ui, view: &mut CompareTab) {
    let Some(comparison) = view.comparison.clone() else {
        return;
    };
    let steps = comparison.steps();
    if steps.is_empty() {
        ui.weak("No task-sequence steps in these logs: the summary compares smsts.log runs.");
        return;
    }
    let visuals = ui.visuals().clone();
    let mut jump = None;
    egui::ScrollArea::vertical()
        .id_salt("compare-summary")
        .max_height(170.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            egui::Grid::new("compare-summary-grid")
                .striped(true)
                .num_columns(6)
                .spacing(vec2(14.0, 3.0))
                .show(ui, |ui| {
                    for title in ["Step", "A", "A duration", "B", "B duration", "Difference"] {
                        ui.label(RichText::new(title).strong());
                    }
                    ui.end_row();
                    for step in steps {
                        ui.horizontal(|ui| {
                            ui.add_space(step.depth as f32 * 14.0);
                            let name = if step.kind == crate::tasksequence::StepKind::Group {
                                RichText::new(&step.name).strong()
                            } else {
                                RichText::new(&step.name)
                            };
                            if ui
                                .add(egui::Label::new(name).sense(Sense::click()).extend())
                                .on_hover_text("Go to this step in both panes")
                                .clicked()
                            {
                                jump = step.row;
                            }
                        });
                        for side in [&step.a, &step.b] {
                            match side {
                                Some(s) => {
                                    let colors =
                                        theme::severity_colors(result_severity(s.result), &visuals);
                                    let mut text = result_text(s.result).to_owned();
                                    if let Some(code) = s.exit_code.filter(|&c| c != 0) {
                                        text.push_str(&format!(
                                            " ({})",
                                            crate::tasksequence::code_text(code)
                                        ));
                                    }
                                    let label = if colors.background == Color32::TRANSPARENT {
                                        RichText::new(text)
                                    } else {
                                        RichText::new(text)
                                            .color(colors.text)
                                            .background_color(colors.background)
                                    };
                                    ui.label(label);
                                    ui.label(s.duration_ms.map(short_duration).unwrap_or_default());
                                }
                                None => {
                                    ui.weak("not run");
                                    ui.label("");
                                }
                            }
                        }
                        let differences = step.differences_text();
                        if differences.is_empty() {
                            ui.label("");
                        } else {
                            let severity = if step.failed_in_one() {
                                Severity::Error
                            } else {
                                Severity::Warning
                            };
                            let colors = theme::severity_colors(severity, &visuals);
                            ui.label(
                                RichText::new(differences)
                                    .color(colors.text)
                                    .background_color(colors.background),
                            );
                        }
                        ui.end_row();
                    }
                });
        });
    if let Some(row) = jump {
        view.select_row(row);
    }
}
