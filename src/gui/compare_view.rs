//! Side-by-side comparison of two logs (copies of smsts.log from two runs or
//! two machines): two full log panes whose rows line up — by task-sequence
//! step, by time since each file's start, or by normalised message — with
//! synchronised scrolling and selection, a middle gutter marking the
//! differences, and a per-step summary. The alignment comes from
//! [`crate::compare`] and is computed off the UI thread.

use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::{Color32, FontId, Rect, RichText, Sense, Ui, UiBuilder, pos2, vec2};

use super::log_view::{self, Highlight};
use super::outline_panel::{result_text, short_duration};
use super::settings::Settings;
use super::tab::{AlignedRows, LogTab};
use super::theme;
use crate::compare::{self, AlignMode, Comparison, Mark};
use crate::jobs::{Job, Waker};
use crate::model::Severity;

/// Width of the gutter between the panes.
const GUTTER: f32 = 18.0;

/// The alignment is computed again at most this often while records arrive.
const REFRESH: Duration = Duration::from_secs(3);

/// Which pane has the keyboard.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Pane {
    /// The left pane (the tab's own log).
    #[default]
    A,
    /// The right pane.
    B,
}

/// The comparison state of a tab: the tab itself is pane A.
pub struct CompareView {
    /// Pane B.
    pub b: LogTab,
    /// How rows line up.
    pub mode: AlignMode,
    /// The pane that has the keyboard.
    pub focus: Pane,
    /// The last alignment computed.
    pub comparison: Option<Arc<Comparison>>,
    /// Show the per-step summary.
    pub show_summary: bool,
    /// Why the comparison could not be made.
    pub error: Option<String>,
    job: Option<Job<Result<Comparison, String>>>,
    job_mode: AlignMode,
    counts: (usize, usize),
    computed_at: Option<Instant>,
    /// Scroll position and cursor of both panes after the last frame, to see which one moved.
    last: (usize, Option<usize>),
}

impl CompareView {
    /// A comparison with `b` as the right pane.
    pub fn new(b: LogTab) -> CompareView {
        CompareView {
            b,
            mode: AlignMode::Step,
            focus: Pane::A,
            comparison: None,
            show_summary: true,
            error: None,
            job: None,
            job_mode: AlignMode::Step,
            counts: (0, 0),
            computed_at: None,
            last: (0, None),
        }
    }

    /// Asks the alignment job to stop (without waiting).
    pub fn cancel(&self) {
        if let Some(job) = &self.job {
            job.cancel();
        }
    }

    /// True while the alignment is being computed.
    pub fn is_aligning(&self) -> bool {
        self.job.is_some()
    }

    /// Progress of the alignment, when it runs.
    pub fn progress(&self) -> Option<f32> {
        self.job.as_ref().map(Job::progress)
    }

    /// Switches the alignment mode (the rows line up again once it is computed).
    pub fn set_mode(&mut self, mode: AlignMode) {
        if mode != self.mode {
            self.mode = mode;
            self.computed_at = None;
            if let Some(job) = self.job.take() {
                job.cancel();
            }
        }
    }

    /// Takes in a finished alignment and starts a new one when needed.
    pub fn poll(&mut self, a: &mut LogTab, waker: Option<Waker>) {
        self.b.poll();
        if let Some(job) = &mut self.job
            && job.is_finished()
        {
            let result = job.take();
            self.job = None;
            match result {
                Some(Ok(Ok(comparison))) if self.job_mode == self.mode => {
                    self.error = None;
                    let a_rows = AlignedRows::new(
                        comparison.rows().iter().map(|r| r.a),
                        a.doc().record_count(),
                    );
                    let b_rows = AlignedRows::new(
                        comparison.rows().iter().map(|r| r.b),
                        self.b.doc().record_count(),
                    );
                    a.set_aligned(Some(a_rows));
                    self.b.set_aligned(Some(b_rows));
                    self.comparison = Some(Arc::new(comparison));
                }
                Some(Ok(Err(e))) => self.error = Some(e),
                Some(Err(failure)) => self.error = Some(format!("Lining up failed: {failure}")),
                _ => {}
            }
        }
        if self.job.is_some() || a.doc().is_indexing() || self.b.doc().is_indexing() {
            return;
        }
        let counts = (a.doc().record_count(), self.b.doc().record_count());
        let due = match self.computed_at {
            None => true,
            Some(at) => counts != self.counts && at.elapsed() >= REFRESH,
        };
        if !due {
            return;
        }
        self.counts = counts;
        self.computed_at = Some(Instant::now());
        self.job_mode = self.mode;
        let (doc_a, doc_b, mode) = (Arc::clone(a.doc()), Arc::clone(self.b.doc()), self.mode);
        self.job = Some(Job::spawn("logweave-compare", waker, move |ctx| {
            compare::compare_documents(&doc_a, &doc_b, mode, ctx)
        }));
    }

    /// Moves both panes to aligned row `row` and selects it.
    pub fn select_row(&mut self, a: &mut LogTab, row: usize) {
        a.select_row(row);
        self.b.select_row(row);
        // A few rows of context above the difference.
        a.view.top = row.saturating_sub(4);
        self.b.view.top = a.view.top;
        self.last = (usize::MAX, None);
    }

    /// The next (or previous) difference from the cursor; selects it.
    pub fn jump_to_difference(&mut self, a: &mut LogTab, forward: bool) -> bool {
        let Some(comparison) = &self.comparison else {
            return false;
        };
        let cursor = a.view.cursor;
        let found = if forward {
            comparison.next_difference(cursor.map_or(0, |c| c + 1))
        } else {
            cursor.and_then(|c| comparison.previous_difference(c))
        };
        match found {
            Some(row) => {
                self.select_row(a, row);
                true
            }
            None => false,
        }
    }
}

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
pub(super) fn show(
    ui: &mut Ui,
    a: &mut LogTab,
    settings: &mut Settings,
    highlight: &Highlight,
    list_has_keys: bool,
) {
    let Some(mut view) = a.compare.take() else {
        return;
    };
    strip(ui, a, &mut view);
    if view.show_summary {
        summary(ui, a, &mut view);
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
    let before = (
        a.view.top,
        a.view.cursor,
        view.b.view.top,
        view.b.view.cursor,
    );
    ui.scope_builder(UiBuilder::new().max_rect(left).id_salt("pane-a"), |ui| {
        log_view::show(
            ui,
            a,
            settings,
            highlight,
            list_has_keys && view.focus == Pane::A,
        );
    });
    ui.scope_builder(UiBuilder::new().max_rect(right).id_salt("pane-b"), |ui| {
        log_view::show(
            ui,
            &mut view.b,
            settings,
            highlight,
            list_has_keys && view.focus == Pane::B,
        );
    });
    sync(a, &mut view, before);
    paint_gutter(ui, a, &view, gutter, settings);
    a.compare = Some(view);
}

/// Scrolling and selection follow whichever pane moved.
fn sync(
    a: &mut LogTab,
    view: &mut CompareView,
    before: (usize, Option<usize>, usize, Option<usize>),
) {
    let b = &mut view.b;
    let a_moved = a.view.top != before.0 || a.view.cursor != before.1;
    let b_moved = b.view.top != before.2 || b.view.cursor != before.3;
    if a_moved || (!b_moved && view.focus == Pane::A) {
        b.view.top = a.view.top;
        b.view.selection = a.view.selection.clone();
        b.view.cursor = a.view.cursor;
        b.view.anchor = a.view.anchor;
        b.view.follow_end = a.view.follow_end;
    } else {
        a.view.top = b.view.top;
        a.view.selection = b.view.selection.clone();
        a.view.cursor = b.view.cursor;
        a.view.anchor = b.view.anchor;
        a.view.follow_end = b.view.follow_end;
    }
    view.last = (a.view.top, a.view.cursor);
}

fn paint_gutter(ui: &Ui, a: &LogTab, view: &CompareView, gutter: Rect, settings: &Settings) {
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
        let row = a.view.top + i;
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

fn strip(ui: &mut Ui, a: &mut LogTab, view: &mut CompareView) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("A").strong());
        ui.label(a.sources[0].path.display().to_string());
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
            view.jump_to_difference(a, false);
        }
        if ui.button("Next difference").on_hover_text("F6").clicked() {
            view.jump_to_difference(a, true);
        }
        ui.toggle_value(&mut view.show_summary, "Step summary");
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

fn summary(ui: &mut Ui, a: &mut LogTab, view: &mut CompareView) {
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
                                    let colors = theme::severity_colors(
                                        super::outline_panel::result_severity(s.result),
                                        &visuals,
                                    );
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
        view.select_row(a, row);
    }
}
