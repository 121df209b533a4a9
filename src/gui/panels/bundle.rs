//! The bundle panel at the left of the window: an archive or a folder of
//! logs (a zip of `CCM\Logs`, a copied SMSTSLog folder, another computer's
//! share) as a tree of folders and logs with their size, format, time range
//! and error and warning counts, and above it the sets of logs that belong
//! together (the smsts.log chain, a log and its `.lo_`, rotated logs), each
//! opened as one timeline. Draws [`BundleView`]'s state; a click opens a log
//! in a tab (in the background). Never imports another panel.

use egui::{Align, Color32, Layout, Rect, RichText, Sense, Ui, pos2, vec2};

use crate::bundle::LogEntry;
use crate::bundle::sets::{LogSet, SetKind};
use crate::gui::app::LogWeaveApp;
use crate::gui::theme;
use crate::gui::view::{
    BundleView, EntryState, EntrySummary, OpenAs, TreeRow, relative_parts, visible_rows,
};
use crate::model::Severity;
use crate::time::format_rfc3339_ms;

/// Widths of the columns right of the name: size, format, time range,
/// errors, warnings.
const COLUMNS: [f32; 5] = [60.0, 48.0, 196.0, 46.0, 62.0];
/// Space between columns.
const GAP: f32 = 10.0;
/// Indentation per tree level.
const INDENT: f32 = 14.0;

/// What the user asked for in the panel.
enum Action {
    None,
    Close,
    Open(Vec<usize>, OpenAs),
    Fold(String),
    Select(usize),
    ClearSelection,
}

/// `2026-11-03 09:12:04` (UTC).
fn stamp(ms: i64) -> String {
    format_rfc3339_ms(ms).replace('T', " ")[..19].to_owned()
}

/// The first and last record times, the date once when they share it.
fn time_range(summary: &EntrySummary) -> String {
    match (summary.first_utc_ms, summary.last_utc_ms) {
        (Some(first), Some(last)) => {
            let (a, b) = (stamp(first), stamp(last));
            if a[..10] == b[..10] {
                format!("{a} – {}", &b[11..])
            } else {
                format!("{} – {}", &a[..16], &b[5..16])
            }
        }
        (Some(one), None) | (None, Some(one)) => stamp(one),
        (None, None) => "no times".to_owned(),
    }
}

/// What a set is, in words.
fn set_kind_text(kind: SetKind) -> &'static str {
    match kind {
        SetKind::SmstsChain => "Task sequence",
        SetKind::Rollover => "Rollover",
        SetKind::ImeRotation => "Rotated logs",
    }
}

/// A row narrower than this leaves the time range out (it is in the
/// hover text).
const TIME_SHOWN_FROM: f32 = 600.0;

/// The columns of a row: name, size, format, time range, errors, warnings
/// (the time range empty in a narrow panel).
fn columns(rect: Rect) -> [Rect; 6] {
    let mut right = rect.right() - 4.0;
    let mut out = [Rect::NOTHING; 6];
    let with_time = rect.width() >= TIME_SHOWN_FROM;
    for (i, &width) in COLUMNS.iter().enumerate().rev() {
        if i == 2 && !with_time {
            out[i + 1] = Rect::from_x_y_ranges(right..=right, rect.y_range());
            continue;
        }
        out[i + 1] = Rect::from_x_y_ranges(right - width..=right, rect.y_range());
        right -= width + GAP;
    }
    out[0] = Rect::from_x_y_ranges(
        rect.left() + 4.0..=right.max(rect.left() + 4.0),
        rect.y_range(),
    );
    out
}

/// Paints `text` in `cell`, clipped to it.
fn cell_text(ui: &Ui, cell: Rect, text: &str, color: Color32, right: bool, strong: bool) {
    if cell.width() <= 0.0 {
        return;
    }
    let rich = if strong {
        RichText::new(text).strong()
    } else {
        RichText::new(text)
    };
    let galley = egui::WidgetText::from(rich).into_galley(
        ui,
        Some(egui::TextWrapMode::Truncate),
        cell.width(),
        egui::TextStyle::Body,
    );
    let x = if right {
        cell.right() - galley.size().x
    } else {
        cell.left()
    };
    ui.painter().with_clip_rect(cell).galley(
        pos2(x, cell.center().y - galley.size().y / 2.0),
        galley,
        color,
    );
}

/// A count in its column: CMTrace's row colours behind it when not zero.
fn count_badge(ui: &Ui, cell: Rect, count: u64, severity: Severity) {
    let visuals = ui.visuals();
    if count == 0 {
        cell_text(ui, cell, "0", visuals.weak_text_color(), true, false);
        return;
    }
    let colors = theme::severity_colors(severity, visuals);
    let font = egui::TextStyle::Body.resolve(ui.style());
    let text = count.to_string();
    let galley = ui.painter().layout_no_wrap(text, font, colors.text);
    let width = (galley.size().x + 10.0).min(cell.width());
    let badge = Rect::from_min_max(
        pos2(cell.right() - width, cell.top() + 2.0),
        pos2(cell.right(), cell.bottom() - 2.0),
    );
    ui.painter().rect_filled(badge, 3.0, colors.background);
    ui.painter().galley(
        pos2(
            badge.center().x - galley.size().x / 2.0,
            badge.center().y - galley.size().y / 2.0,
        ),
        galley,
        colors.text,
    );
}

/// The accessible name and the hover text of a log's row.
fn entry_words(view: &BundleView, entry: &LogEntry, state: &EntryState) -> (String, String) {
    let name = view.relative_name(entry);
    let status = match state {
        EntryState::Waiting | EntryState::Indexing => "indexing…".to_owned(),
        EntryState::Failed(why) => format!("cannot be read: {why}"),
        EntryState::Ready(s) => format!(
            "{} errors, {} warnings, {} records, {}, {}",
            s.counts.errors,
            s.counts.warnings,
            s.counts.total(),
            s.format.name(),
            time_range(s)
        ),
    };
    let label = format!("{name}: {status}");
    let hover = format!(
        "{}\n{} ({} bytes)\n{status}\n\nClick to open in a tab; Ctrl+click to pick several \
         and open them merged.",
        entry.path.display(),
        crate::gui::widgets::size_text(entry.size),
        entry.size
    );
    (label, hover)
}

/// The bundle panel.
pub fn show(ui: &mut Ui, app: &mut LogWeaveApp) {
    let mut action = Action::None;
    // Beside open logs the panel gives them most of the window (the time
    // range column goes first, into the hover text).
    let share = if app.tabs.is_empty() { 0.75 } else { 0.45 };
    let max = (ui.available_width() * share).max(400.0);
    egui::Panel::left("bundle")
        .resizable(true)
        .default_size(700.0)
        .size_range(400.0..=max)
        .show(ui, |ui| {
            action = panel(ui, &app.bundle);
        });
    match action {
        Action::None => {}
        Action::Close => app.close_bundle(),
        Action::Open(entries, open_as) => app.open_bundle_entries(&entries, open_as),
        Action::Fold(key) => app.bundle.toggle_fold(&key),
        Action::Select(entry) => {
            if !app.bundle.selected.remove(&entry) {
                app.bundle.selected.insert(entry);
            }
        }
        Action::ClearSelection => app.bundle.selected.clear(),
    }
}

fn panel(ui: &mut Ui, view: &BundleView) -> Action {
    let mut action = Action::None;
    ui.horizontal(|ui| {
        ui.heading("Bundle");
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            if ui
                .small_button("Close")
                .on_hover_text("Close the bundle (the tabs opened from it stay)")
                .clicked()
            {
                action = Action::Close;
            }
        });
    });
    if let Some(root) = &view.root {
        ui.add(egui::Label::new(RichText::new(root.display().to_string()).weak()).truncate())
            .on_hover_text(root.display().to_string());
    }
    if let Some(failure) = &view.failure {
        ui.colored_label(ui.visuals().error_fg_color, failure);
        return action;
    }
    if view.is_listing() {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Listing the logs…");
        });
        return action;
    }
    let entries = view.entries();
    let (done, all) = view.progress();
    let total: u64 = entries.iter().map(|e| e.size).sum();
    ui.horizontal(|ui| {
        ui.label(format!(
            "{} {}, {}",
            all,
            if all == 1 { "log" } else { "logs" },
            crate::gui::widgets::size_text(total)
        ));
        if done < all {
            ui.spinner();
            ui.weak(format!("indexing {done} of {all}…"));
        }
    });
    if entries.is_empty() {
        ui.weak("No logs here (.log, .lo_ or .txt files, in folders or zip/cab archives).");
    }
    if !view.sets.is_empty() {
        ui.add_space(4.0);
        for set in &view.sets {
            if let Some(a) = set_row(ui, view, set) {
                action = a;
            }
        }
    }
    if let Some(listing) = &view.listing
        && !listing.problems.is_empty()
    {
        let error = ui.visuals().error_fg_color;
        egui::CollapsingHeader::new(
            RichText::new(format!(
                "{} {} while listing",
                listing.problems.len(),
                if listing.problems.len() == 1 {
                    "problem"
                } else {
                    "problems"
                }
            ))
            .color(error),
        )
        .default_open(listing.problems.len() <= 5)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("bundle-problems")
                .max_height(120.0)
                .show(ui, |ui| {
                    for problem in &listing.problems {
                        let place = match &view.root {
                            Some(root) => relative_parts(root, &problem.path).join("/"),
                            None => problem.path.display().to_string(),
                        };
                        ui.colored_label(error, format!("{place}: {}", problem.message))
                            .on_hover_text(problem.to_string());
                    }
                });
        });
    }
    if view.selected.len() >= 2 {
        ui.horizontal(|ui| {
            ui.label(format!("{} logs picked:", view.selected.len()));
            let picked: Vec<usize> = view.selected.iter().copied().collect();
            if ui
                .button("Open picked merged")
                .on_hover_text("One timeline of the picked logs")
                .clicked()
            {
                action = Action::Open(picked.clone(), OpenAs::Merged);
            }
            if ui.button("Open picked in tabs").clicked() {
                action = Action::Open(picked, OpenAs::Tabs);
            }
            if ui.small_button("Clear").clicked() {
                action = Action::ClearSelection;
            }
        });
    }
    ui.separator();
    if let Some(a) = tree(ui, view) {
        action = a;
    }
    action
}

/// One recognised set: what it is, its logs, and how to open it.
fn set_row(ui: &mut Ui, view: &BundleView, set: &LogSet) -> Option<Action> {
    let mut action = None;
    let entries = view.entries();
    let members: Vec<String> = set
        .members
        .iter()
        .filter_map(|&i| entries.get(i))
        .map(|e| view.relative_name(e))
        .collect();
    let description = match set.kind {
        SetKind::SmstsChain => format!(
            "{} copies of smsts.log: one deployment, one timeline",
            members.len()
        ),
        SetKind::Rollover | SetKind::ImeRotation => {
            let current = entries
                .get(*set.members.last().unwrap_or(&0))
                .map_or_else(|| set.name.clone(), LogEntry::file_name);
            format!("{current} + {} older: one timeline", members.len() - 1)
        }
    };
    egui::Frame::new()
        .fill(ui.visuals().faint_bg_color)
        .inner_margin(4.0)
        .corner_radius(3.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.label(RichText::new(set_kind_text(set.kind)).strong());
                ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                    if set.kind == SetKind::SmstsChain
                        && ui
                            .button("Failure triage")
                            .on_hover_text(
                                "Open the copies as one timeline with the Task sequence \
                                 panel: the failed step, its error and what to read next",
                            )
                            .clicked()
                    {
                        action = Some(Action::Open(set.members.clone(), OpenAs::Triage));
                    }
                    let merged = ui.button("Open merged").on_hover_text(format!(
                        "One timeline, oldest first:\n{}",
                        members.join("\n")
                    ));
                    if merged.clicked() {
                        let open_as = if set.kind == SetKind::SmstsChain {
                            OpenAs::Chain
                        } else {
                            OpenAs::Merged
                        };
                        action = Some(Action::Open(set.members.clone(), open_as));
                    }
                    ui.add(egui::Label::new(RichText::new(description).weak()).truncate())
                        .on_hover_text(members.join("\n"));
                });
            });
        });
    action
}

/// The column headings and the rows of folders and logs.
fn tree(ui: &mut Ui, view: &BundleView) -> Option<Action> {
    let mut action = None;
    let visuals = ui.visuals().clone();
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let (header, _) =
        ui.allocate_exact_size(vec2(ui.available_width(), row_height), Sense::hover());
    let cells = columns(header);
    let strong = visuals.strong_text_color();
    for (i, title) in [
        "Name",
        "Size",
        "Format",
        "Time range (UTC)",
        "Errors",
        "Warnings",
    ]
    .iter()
    .enumerate()
    {
        if cells[i].width() <= 0.0 {
            continue;
        }
        let right = matches!(i, 1 | 4 | 5);
        cell_text(ui, cells[i], title, strong, right, true);
        ui.interact(
            cells[i],
            ui.make_persistent_id(("bundle-column", i)),
            Sense::hover(),
        )
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, *title));
    }
    ui.painter().hline(
        header.x_range(),
        header.bottom(),
        visuals.widgets.noninteractive.bg_stroke,
    );
    let shown = visible_rows(&view.tree, &view.folded);
    let entries = view.entries();
    ui.spacing_mut().item_spacing.y = 0.0;
    egui::ScrollArea::vertical()
        .id_salt("bundle-tree")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, shown.len(), |ui, range| {
            for (n, &row) in shown[range.clone()].iter().enumerate() {
                let striped = (range.start + n) % 2 == 1;
                let (rect, response) =
                    ui.allocate_exact_size(vec2(ui.available_width(), row_height), Sense::click());
                let picked = matches!(&view.tree[row], TreeRow::File { entry, .. }
                    if view.selected.contains(entry));
                let background = if picked {
                    visuals.selection.bg_fill
                } else if response.hovered() {
                    visuals.widgets.hovered.weak_bg_fill
                } else if striped {
                    visuals.faint_bg_color
                } else {
                    Color32::TRANSPARENT
                };
                ui.painter().rect_filled(rect, 0.0, background);
                let text = if picked {
                    visuals.selection.stroke.color
                } else {
                    visuals.text_color()
                };
                match &view.tree[row] {
                    TreeRow::Folder {
                        depth,
                        name,
                        key,
                        logs,
                        size,
                    } => {
                        let folded = view.folded.contains(key);
                        folder_row(ui, rect, *depth, name, folded, *logs, *size);
                        let label = format!(
                            "folder {key}, {logs} {}",
                            if *logs == 1 { "log" } else { "logs" }
                        );
                        response.widget_info(|| {
                            egui::WidgetInfo::labeled(egui::Role::Button, true, &label)
                        });
                        if response.clicked() {
                            action = Some(Action::Fold(key.clone()));
                        }
                    }
                    TreeRow::File { depth, entry } => {
                        let Some(log) = entries.get(*entry) else {
                            continue;
                        };
                        let state = &view.states[*entry];
                        file_row(ui, rect, *depth, log, state, text);
                        let (label, hover) = entry_words(view, log, state);
                        response.widget_info(|| {
                            egui::WidgetInfo::labeled(egui::Role::Button, true, &label)
                        });
                        let response = response.on_hover_text(hover);
                        if response.clicked() {
                            let several = ui.input(|i| i.modifiers.command || i.modifiers.shift);
                            action = Some(if several {
                                Action::Select(*entry)
                            } else {
                                Action::Open(vec![*entry], OpenAs::Tabs)
                            });
                        }
                    }
                }
            }
        });
    action
}

/// Paints a folder's row: its fold arrow, name, logs and size.
fn folder_row(ui: &Ui, rect: Rect, depth: usize, name: &str, folded: bool, logs: usize, size: u64) {
    let visuals = ui.visuals();
    let cells = columns(rect);
    let x = cells[0].left() + depth as f32 * INDENT;
    let arrow = pos2(x + 5.0, rect.center().y);
    let s = 4.0;
    let points = if folded {
        vec![
            arrow + vec2(-s / 2.0, -s),
            arrow + vec2(s, 0.0),
            arrow + vec2(-s / 2.0, s),
        ]
    } else {
        vec![
            arrow + vec2(-s, -s / 2.0),
            arrow + vec2(s, -s / 2.0),
            arrow + vec2(0.0, s),
        ]
    };
    ui.painter().add(egui::Shape::convex_polygon(
        points,
        visuals.text_color(),
        egui::Stroke::NONE,
    ));
    let name_cell = Rect::from_x_y_ranges(x + 14.0..=cells[0].right(), rect.y_range());
    cell_text(
        ui,
        name_cell,
        &format!("{name}/"),
        visuals.strong_text_color(),
        false,
        true,
    );
    let weak = visuals.weak_text_color();
    cell_text(
        ui,
        cells[1],
        &crate::gui::widgets::size_text(size),
        weak,
        true,
        false,
    );
    let logs = if logs == 1 {
        "1 log".to_owned()
    } else {
        format!("{logs} logs")
    };
    cell_text(ui, cells[2].union(cells[3]), &logs, weak, false, false);
}

/// Paints a log's row: its name, size, and what indexing found.
fn file_row(ui: &Ui, rect: Rect, depth: usize, log: &LogEntry, state: &EntryState, text: Color32) {
    let visuals = ui.visuals();
    let cells = columns(rect);
    let x = cells[0].left() + depth as f32 * INDENT + 14.0;
    let name_cell = Rect::from_x_y_ranges(x..=cells[0].right(), rect.y_range());
    cell_text(ui, name_cell, &log.file_name(), text, false, false);
    cell_text(
        ui,
        cells[1],
        &crate::gui::widgets::size_text(log.size),
        text,
        true,
        false,
    );
    let rest = cells[2].union(cells[5]);
    match state {
        EntryState::Waiting | EntryState::Indexing => {
            cell_text(
                ui,
                rest,
                "indexing…",
                visuals.weak_text_color(),
                false,
                false,
            );
        }
        EntryState::Failed(why) => {
            cell_text(ui, rest, why, visuals.error_fg_color, false, false);
        }
        EntryState::Ready(summary) => {
            cell_text(ui, cells[2], summary.format.name(), text, false, false);
            cell_text(ui, cells[3], &time_range(summary), text, false, false);
            count_badge(ui, cells[4], summary.counts.errors, Severity::Error);
            count_badge(ui, cells[5], summary.counts.warnings, Severity::Warning);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_time_ranges_read_short() {
        assert_eq!(crate::gui::widgets::size_text(512), "512 B");
        assert_eq!(crate::gui::widgets::size_text(14_848), "14.5 KB");
        assert_eq!(crate::gui::widgets::size_text(3 << 20), "3.0 MB");
        let day = 1_793_000_000_000; // 2026-10-26 …
        let summary = |first, last| EntrySummary {
            format: crate::formats::LogFormat::Ccm,
            first_utc_ms: first,
            last_utc_ms: last,
            counts: Default::default(),
        };
        let same = time_range(&summary(Some(day), Some(day + 60_000)));
        assert_eq!(same.len(), "2026-10-26 09:33:20 – 09:34:20".len(), "{same}");
        assert!(same.starts_with(&stamp(day)), "{same}");
        let two = time_range(&summary(Some(day), Some(day + 86_400_000)));
        assert!(two.contains(" – "), "{two}");
        assert_eq!(time_range(&summary(None, None)), "no times");
    }
}
